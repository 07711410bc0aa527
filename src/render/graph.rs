//! The task graph as Graphviz DOT or Mermaid, with the driving chain highlighted.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::{Format, Render, RenderError, put};
use crate::plan::Plan;
use crate::project::LinkType;

fn link_label(link: LinkType, lag: i64, elapsed: bool) -> String {
    let mut label = if link == LinkType::FS {
        String::new()
    } else {
        link.to_string()
    };
    if lag != 0 {
        let sign = if lag > 0 { "+" } else { "-" };
        let _ = write!(label, "{sign}{}", crate::time::Elapsed(lag.abs()));
        if elapsed {
            label.push_str(" elapsed");
        }
    }
    label
}

/// Edges (predecessor, successor) that lie on a driving chain.
fn chain_edges(plan: &Plan) -> HashSet<(usize, usize)> {
    plan.critical
        .chains
        .iter()
        .flat_map(|c| c.windows(2).map(|w| (w[0], w[1])))
        .collect()
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// What `cutover graph` shows: the plan's task graph.
#[derive(Debug)]
pub struct Graph<'a>(pub Plan<'a>);

impl Render for Graph<'_> {
    fn render(&self, format: Format, out: &mut dyn std::io::Write) -> Result<(), RenderError> {
        match format {
            Format::Dot => put(out, &dot(&self.0)),
            Format::Mermaid => put(out, &mermaid(&self.0)),
            _ => Err(RenderError::Unsupported {
                what: "the task graph",
                format,
            }),
        }
    }
}

/// Graphviz DOT: `cutover graph --format dot | dot -Tsvg > plan.svg`.
fn dot(plan: &Plan) -> String {
    let p = plan.project;
    let on_chain = chain_edges(plan);
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", dot_escape(&p.name));
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(
        out,
        "  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=10];"
    );
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=9];");
    for (i, task) in p.tasks.iter().enumerate() {
        let d = &plan.schedule.tasks[i];
        let shape = if task.milestone {
            ", shape=diamond"
        } else {
            ""
        };
        let style = if d.critical {
            ", color=\"#c0392b\", penwidth=2"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\\n{}\"{shape}{style}];",
            dot_escape(&task.id),
            dot_escape(&task.id),
            dot_escape(&task.name)
        );
    }
    for (s, task) in p.tasks.iter().enumerate() {
        for dep in &task.deps {
            let label = link_label(dep.link, dep.lag.minutes, dep.lag.elapsed);
            let mut attrs = Vec::new();
            if !label.is_empty() {
                attrs.push(format!("label=\"{}\"", dot_escape(&label)));
            }
            if on_chain.contains(&(dep.pred, s)) {
                attrs.push("color=\"#c0392b\", penwidth=2".to_owned());
            }
            let attrs = if attrs.is_empty() {
                String::new()
            } else {
                format!(" [{}]", attrs.join(", "))
            };
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\"{attrs};",
                dot_escape(&p.tasks[dep.pred].id),
                dot_escape(&task.id)
            );
        }
    }
    out.push_str("}\n");
    out
}

fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace('\n', " ")
}

/// Mermaid flowchart, for Markdown that renders it (GitHub, GitLab).
fn mermaid(plan: &Plan) -> String {
    let p = plan.project;
    let on_chain = chain_edges(plan);
    let mut out = String::from("flowchart LR\n");
    for (i, task) in p.tasks.iter().enumerate() {
        let label = mermaid_escape(&format!("{}: {}", task.id, task.name));
        if task.milestone {
            let _ = writeln!(out, "  n{i}{{\"{label}\"}}");
        } else {
            let _ = writeln!(out, "  n{i}[\"{label}\"]");
        }
    }
    for (s, task) in p.tasks.iter().enumerate() {
        for dep in &task.deps {
            let arrow = if on_chain.contains(&(dep.pred, s)) {
                "==>"
            } else {
                "-->"
            };
            let label = link_label(dep.link, dep.lag.minutes, dep.lag.elapsed);
            if label.is_empty() {
                let _ = writeln!(out, "  n{} {arrow} n{s}", dep.pred);
            } else {
                let _ = writeln!(
                    out,
                    "  n{} {arrow}|\"{}\"| n{s}",
                    dep.pred,
                    mermaid_escape(&label)
                );
            }
        }
    }
    let critical: Vec<String> = (0..p.tasks.len())
        .filter(|&i| plan.schedule.tasks[i].critical)
        .map(|i| format!("n{i}"))
        .collect();
    out.push_str("  classDef critical stroke:#c0392b,stroke-width:3px;\n");
    if !critical.is_empty() {
        let _ = writeln!(out, "  class {} critical;", critical.join(","));
    }
    out
}
