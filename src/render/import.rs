//! What `cutover import` found in the source file, for people: one line per problem
//! with where it is in the source (`Tasks!C12`, `task 12 (UID 14) "Load data"`), then a
//! help line, then a count.

use std::fmt::Write as _;

use crate::interop::{Problem, Severity};
use crate::render::{Format, Render, RenderError, put};

/// What an import found, for people (standard error).
#[derive(Debug, Clone, Copy)]
pub struct Problems<'a> {
    /// Every problem, in any order.
    pub problems: &'a [Problem],
    /// The source file, as the user named it.
    pub source: &'a str,
}

impl Render for Problems<'_> {
    fn render(&self, format: Format, out: &mut dyn std::io::Write) -> Result<(), RenderError> {
        match format {
            Format::Human { .. } => put(out, &problems(self.problems, self.source)),
            format => Err(RenderError::Unsupported {
                what: "an import's problems",
                format,
            }),
        }
    }
}

/// Problems as text, errors first, each in source order; then a summary line.
pub fn problems(problems: &[Problem], source: &str) -> String {
    let mut out = String::new();
    let mut sorted: Vec<&Problem> = problems.iter().collect();
    sorted.sort_by_key(|p| (p.severity, p.row));
    for p in &sorted {
        let level = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{level}: {}: {}", p.place, p.message);
        if let Some(h) = &p.help {
            let _ = writeln!(out, "  = help: {h}");
        }
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    if !problems.is_empty() {
        let _ = writeln!(
            out,
            "{source}: {errors} {} (left out), {warnings} {} (brought in with a change)",
            if errors == 1 { "error" } else { "errors" },
            if warnings == 1 { "warning" } else { "warnings" },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_first_with_their_help() {
        let list = [
            Problem::warning("task 1 (UID 1) \"A\"", "manually scheduled"),
            Problem::error("Tasks!C3", "`soon` is not a duration")
                .with_help("write 45m, 2h 30m or 2 days"),
        ];
        assert_eq!(
            problems(&list, "plan.xlsx"),
            "error: Tasks!C3: `soon` is not a duration\n  = help: write 45m, 2h 30m or 2 days\n\
             warning: task 1 (UID 1) \"A\": manually scheduled\n\
             plan.xlsx: 1 error (left out), 1 warning (brought in with a change)\n"
        );
        assert_eq!(problems(&[], "x"), "");
    }
}
