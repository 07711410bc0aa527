//! Waivers: a comment at a task that accepts a check's finding for it, with a reason.
//!
//! ```yaml
//! # cutover-lint: allow long-lag the second build team starts two weeks after the first
//! - { id: cb-templates-surgery, ..., after: [{ task: cb-templates-medicine, type: SS, lag: 2w }] }
//! ```
//!
//! `allow` takes one or more checks (codes or names, separated by commas), then the
//! reason, which is required. The comment waives findings about the item it is written
//! in (on any of its lines) or directly above (in the block of comment lines just
//! before its first line): a task, a gate criterion, a workstream. A waiver that cannot
//! be applied is `L090`; one that waives nothing is `L091`.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::config::Settings;
use super::{Anchor, Check, Finding, finding};
use crate::model::runbook::Runbook;
use crate::source::{FileId, Origin, Sources, Span};

/// The marker that starts a waiver comment.
pub const MARKER: &str = "cutover-lint:";

/// One waiver comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    /// Where the comment is (its `#`).
    pub origin: Origin,
    /// The checks it waives.
    pub checks: Vec<Check>,
    /// Words in the list of checks that name none.
    pub unknown: Vec<String>,
    /// Why, as the comment gives it after `--`.
    pub reason: String,
    /// The comment is not `allow ...`.
    pub malformed: bool,
}

/// Every waiver comment in the files of `model`.
pub fn collect(model: &Runbook, sources: &Sources) -> Vec<Waiver> {
    let mut files: Vec<FileId> = std::iter::once(model.main_file)
        .chain(model.tasks.iter().map(|t| t.file))
        .chain(model.gates.iter().map(|g| g.file))
        .chain(model.workstreams.iter().map(|w| w.file))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    files.sort();
    let mut waivers = Vec::new();
    for file in files {
        let Some(text) = sources.get(file).map(|f| f.text.as_str()) else {
            continue;
        };
        if !text.contains(MARKER) {
            continue;
        }
        let mut offset = 0usize;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            if let Some((col, w)) = parse_line(line) {
                waivers.push(Waiver {
                    origin: Origin {
                        file,
                        span: Span {
                            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                            col: u32::try_from(line[..col].chars().count() + 1).unwrap_or(u32::MAX),
                            offset: u32::try_from(offset + col).unwrap_or(u32::MAX),
                            len: u32::try_from(line.trim_end().len().saturating_sub(col))
                                .unwrap_or(0),
                        },
                    },
                    ..w
                });
            }
            offset += line.len();
        }
    }
    waivers
}

/// The waiver in `line`, if it has one, and the byte column of its `#`.
fn parse_line(line: &str) -> Option<(usize, Waiver)> {
    let (col, rest) = line.match_indices('#').find_map(|(i, _)| {
        let starts_comment = line[..i]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let rest = line[i + 1..].trim_start().strip_prefix(MARKER)?;
        starts_comment.then_some((i, rest))
    })?;
    let mut waiver = Waiver {
        origin: Origin::default(),
        checks: Vec::new(),
        unknown: Vec::new(),
        reason: String::new(),
        malformed: false,
    };
    let mut words = rest.split_whitespace();
    if words.next() != Some("allow") {
        waiver.malformed = true;
        return Some((col, waiver));
    }
    // The checks: one word, or several joined by commas (`L003,L006`, `L003, L006`).
    for word in words.by_ref() {
        for name in word.split(',').filter(|n| !n.is_empty()) {
            match Check::find(name) {
                Some(c) => waiver.checks.push(c),
                None => waiver.unknown.push(name.to_owned()),
            }
        }
        if !word.ends_with(',') {
            break;
        }
    }
    waiver.reason = words.collect::<Vec<_>>().join(" ");
    Some((col, waiver))
}

/// How each line of a file is laid out, for finding the lines of an item.
struct Lines {
    /// Leading spaces, or `None` for a blank line.
    indent: Vec<Option<u32>>,
    comment: Vec<bool>,
}

impl Lines {
    fn of(text: &str) -> Lines {
        let mut indent = Vec::new();
        let mut comment = Vec::new();
        for line in text.split_inclusive('\n') {
            let body = line.trim_start_matches(' ');
            let blank = body.trim().is_empty();
            indent.push((!blank).then(|| u32::try_from(line.len() - body.len()).unwrap_or(0)));
            comment.push(body.starts_with('#'));
        }
        Lines { indent, comment }
    }

    /// The 1-based lines a waiver may be on to cover `anchor`: the comment lines
    /// directly above it (no deeper than the item itself starts), its own line and the
    /// lines indented under it.
    fn covering(&self, anchor: Anchor) -> std::ops::RangeInclusive<u32> {
        let line = anchor.origin.span.line.max(1) as usize;
        let base = anchor.origin.span.col.saturating_sub(1);
        // Comment lines directly above, but not those indented into the item before.
        let above = |i: usize| {
            self.comment.get(i).copied().unwrap_or(false)
                && self
                    .indent
                    .get(i)
                    .copied()
                    .flatten()
                    .is_some_and(|n| if anchor.key { n <= base } else { n < base })
        };
        let mut first = line;
        while first > 1 && above(first - 2) {
            first -= 1;
        }
        let mut last = line;
        while let Some(next) = self.indent.get(last) {
            match next {
                None => {}
                Some(i) if (anchor.key && *i > base) || (!anchor.key && *i >= base) => {}
                Some(_) => break,
            }
            last += 1;
        }
        // Trailing blank lines belong to nobody.
        while last > line && self.indent.get(last - 1).is_some_and(Option::is_none) {
            last -= 1;
        }
        u32::try_from(first).unwrap_or(u32::MAX)..=u32::try_from(last).unwrap_or(u32::MAX)
    }
}

/// Marks the findings that waivers cover, and reports waivers that cannot be applied
/// (`L090`) or waive nothing (`L091`).
pub fn apply(
    waivers: &[Waiver],
    settings: &Settings,
    sources: &Sources,
    findings: &mut Vec<Finding>,
) {
    if waivers.is_empty() {
        return;
    }
    // Waivers by file, then line.
    let mut by_file: HashMap<FileId, BTreeMap<u32, Vec<usize>>> = HashMap::new();
    for (i, w) in waivers.iter().enumerate() {
        by_file
            .entry(w.origin.file)
            .or_default()
            .entry(w.origin.span.line)
            .or_default()
            .push(i);
    }
    let mut layouts: HashMap<FileId, Lines> = HashMap::new();
    let mut used = vec![false; waivers.len()];
    for f in findings.iter_mut() {
        let Some(anchor) = f.anchor else {
            continue;
        };
        let Some(lines_of) = by_file.get(&anchor.origin.file) else {
            continue;
        };
        let layout = layouts.entry(anchor.origin.file).or_insert_with(|| {
            Lines::of(
                sources
                    .get(anchor.origin.file)
                    .map_or("", |s| s.text.as_str()),
            )
        });
        for (_, ids) in lines_of.range(layout.covering(anchor)) {
            for &i in ids {
                let w = &waivers[i];
                if w.malformed || w.reason.is_empty() || !w.checks.contains(&f.code) {
                    continue;
                }
                used[i] = true;
                if f.waived.is_none() {
                    f.waived = Some(w.reason.clone());
                }
            }
        }
    }
    let level = |check: Check| settings.of(check).level;
    for (w, used) in waivers.iter().zip(used) {
        let mut report = |check: Check, message: String, help: &str| {
            if let Some(level) = level(check) {
                findings.push(finding(
                    sources,
                    check,
                    level,
                    w.origin,
                    None,
                    message,
                    Some(help.to_owned().into()),
                ));
            }
        };
        if w.malformed {
            report(
                Check::InvalidWaiver,
                "this `cutover-lint:` comment is not a waiver".to_owned(),
                "write `# cutover-lint: allow <check> <reason>`",
            );
            continue;
        }
        for name in &w.unknown {
            let names = Check::ALL.iter().filter(|c| c.waivable()).map(|c| c.name());
            let hint = crate::diagnostic::suggestion(name, names)
                .unwrap_or_else(|| "docs/lint.md lists the checks".to_owned());
            report(
                Check::InvalidWaiver,
                format!("`{name}` is not a lint check"),
                &hint,
            );
        }
        if let Some(c) = w.checks.iter().find(|c| !c.waivable()) {
            report(
                Check::InvalidWaiver,
                format!("`{}` ({}) cannot be waived", c.name(), c.code()),
                "fix the setting or the waiver instead",
            );
        }
        if w.checks.is_empty() && w.unknown.is_empty() {
            report(
                Check::InvalidWaiver,
                "this waiver names no check".to_owned(),
                "write `# cutover-lint: allow <check> <reason>`",
            );
        } else if w.reason.is_empty() {
            report(
                Check::InvalidWaiver,
                "this waiver gives no reason, so it is not applied".to_owned(),
                "say why the finding is accepted after the check: `allow long-lag <reason>`",
            );
        } else if !used && !w.checks.is_empty() {
            let names: Vec<&str> = w.checks.iter().map(|c| c.name()).collect();
            report(
                Check::UnusedWaiver,
                format!("this waiver for `{}` waives nothing", names.join("`, `")),
                "put it directly above the task (or in it) that the finding is about, or remove it",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> Option<(Vec<&'static str>, Vec<String>, String, bool)> {
        parse_line(line).map(|(_, w)| {
            (
                w.checks.iter().map(|c| c.code()).collect(),
                w.unknown,
                w.reason,
                w.malformed,
            )
        })
    }

    #[test]
    fn a_waiver_names_checks_then_gives_its_reason() {
        let none: Vec<String> = Vec::new();
        assert_eq!(
            parsed("  # cutover-lint: allow L003 the supplier needs two weeks\n"),
            Some((
                vec!["L003"],
                none.clone(),
                "the supplier needs two weeks".to_owned(),
                false
            ))
        );
        assert_eq!(
            parsed("- { id: a }  # cutover-lint: allow long-lag, high-float staggered teams"),
            Some((
                vec!["L003", "L006"],
                none.clone(),
                "staggered teams".to_owned(),
                false
            ))
        );
        assert_eq!(
            parsed("# cutover-lint: allow L003,L006 two reasons"),
            Some((
                vec!["L003", "L006"],
                none.clone(),
                "two reasons".to_owned(),
                false
            ))
        );
        assert_eq!(
            parsed("# cutover-lint: allow L003"),
            Some((vec!["L003"], none.clone(), String::new(), false))
        );
        assert_eq!(
            parsed("# cutover-lint: allow lead-time because"),
            Some((
                Vec::new(),
                vec!["lead-time".to_owned()],
                "because".to_owned(),
                false
            ))
        );
        assert_eq!(
            parsed("# cutover-lint: ignore L003"),
            Some((Vec::new(), none.clone(), String::new(), true))
        );
        // Not a comment: inside a word, or no marker at all.
        assert_eq!(parsed("name: a#cutover-lint: allow L003 x"), None);
        assert_eq!(parsed("# an ordinary comment"), None);
    }

    #[test]
    fn an_item_covers_the_comments_above_it_and_its_indented_lines() {
        let text = "tasks:\n  # about a\n  # cutover-lint: allow L001 why\n  - id: a\n    name: A\n\n    # inside a\n  # above b\n  - { id: b,\n      name: B }\nworkstreams:\n  data:\n    lead: x\n  tech: {}\n";
        let lines = Lines::of(text);
        let at = |line, col, key| Anchor {
            origin: Origin {
                file: FileId(0),
                span: Span {
                    line,
                    col,
                    offset: 0,
                    len: 0,
                },
            },
            key,
        };
        assert_eq!(lines.covering(at(4, 5, false)), 2..=7);
        assert_eq!(lines.covering(at(9, 5, false)), 8..=10);
        assert_eq!(lines.covering(at(12, 3, true)), 12..=13);
        assert_eq!(lines.covering(at(14, 3, true)), 14..=14);
    }
}
