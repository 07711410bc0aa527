//! The YAML parser's syntax errors in a cutover lead's words, at the place the mistake
//! is (issue 12, item 5).
//!
//! The parser (granit-parser, through serde-saphyr) words its errors for YAML experts
//! ("mapping values are not allowed in this context") and places some of them where it
//! noticed the problem, not where it is: a tab that indents line 62 is reported at the
//! end of line 61. [`explain`] reads the lines around the reported place to name the
//! likely cause in plain words and to move the place onto it. The parser's own words are
//! kept as the label, so they can still be searched for.

use crate::source::Span;

/// A syntax error in plain words.
pub(super) struct Explained {
    /// What is wrong, in plain words.
    pub(super) message: String,
    /// How to fix it.
    pub(super) help: String,
    /// Where the mistake is (the parser's place when no better one is found).
    pub(super) span: Span,
}

/// Lines after the reported one searched for an indenting tab: the scanner reports a
/// tab at the start of line N at the end of line N-1 or on the tab's own line.
const TAB_LOOKAHEAD: usize = 2;

/// Plain words for the parser's `message` at `span` in `text`, or `None` when the
/// message is not one of the common ones (it is then shown as the parser wrote it).
pub(super) fn explain(message: &str, text: &str, span: Span) -> Option<Explained> {
    let lines: Vec<&str> = text.split('\n').collect();
    let line_no = (span.line as usize).max(1);
    let line = lines.get(line_no - 1).copied().unwrap_or("");
    let said = |message: String, help: &str| Explained {
        message,
        help: help.to_owned(),
        span,
    };
    if message.contains("tab") {
        return Some(tab(&lines, line_no, span));
    }
    if message.contains("mapping values are not allowed") {
        return Some(colon(&lines, line_no, span));
    }
    if message.contains("unclosed quote") {
        return Some(said(
            "this quote is never closed".to_owned(),
            "end the value with the same quote mark it starts with (`\"` or `'`); to write a quote inside a value, put the other kind around it: `name: 'Say \"go\"'`",
        ));
    }
    if message.contains("trailing content after") {
        return Some(said(
            "text follows the closing quote of this value".to_owned(),
            "put the whole value inside the quotes, e.g. `name: \"Backup (final)\"`",
        ));
    }
    if message.contains("did not find expected key") {
        let text = if line.trim_start().starts_with("- ") {
            "a list item (`- `) starts here, where the mapping above expects a key (`name: value`)"
        } else {
            "this line does not line up with the keys of the mapping it is in"
        };
        return Some(said(
            text.to_owned(),
            "line each key up with the keys above it (the same number of spaces); a new list item starts with `- ` at the same indent as the other items",
        ));
    }
    if message.contains("did not find expected '-' indicator") {
        return Some(said(
            "this line is neither a new list item nor part of the item above".to_owned(),
            "start a new item with `- ` at the same indent as the other items, or indent the line to line up with the keys of the item above",
        ));
    }
    if message.contains("unclosed bracket")
        || message.contains("flow sequence")
        || message.contains("flow mapping")
        || message.contains("illegal placement of ':'")
    {
        let (message, span) = match unclosed_bracket(&lines, line_no) {
            Some((c, span)) => (format!("this `{c}` is never closed"), span),
            None => (
                "a `[` or `{` above is not closed before this point".to_owned(),
                span,
            ),
        };
        return Some(Explained {
            message,
            help: "close each `[` with `]` and each `{` with `}` on the same line, e.g. `after: [backup, freeze]`; quote a value that contains `[`, `]`, `{`, `}`, `,` or `: `".to_owned(),
            span,
        });
    }
    if message.contains("reference to unknown value") {
        return Some(said(
            "a value starting with `*` refers to an anchor (`&name`) that is not defined above"
                .to_owned(),
            "put the value in quotes if `*` is part of the text, e.g. `notes: \"*provisional*\"`",
        ));
    }
    if message.contains("unexpected character") {
        return Some(said(
            "a value cannot start with this character unless it is quoted".to_owned(),
            "put the value in quotes, e.g. `name: \"@PAS team\"`; `@`, `` ` ``, `%`, `|`, `>`, `&`, `*`, `!` and `#` have meanings at the start of a YAML value",
        ));
    }
    None
}

/// A tab where YAML wants spaces: placed on the first tab in the indentation of the
/// reported line or the next [`TAB_LOOKAHEAD`] lines.
fn tab(lines: &[&str], line_no: usize, reported: Span) -> Explained {
    let start = line_no.saturating_sub(1);
    let found = (start..lines.len().min(start + 1 + TAB_LOOKAHEAD)).find_map(|i| {
        let line = lines[i];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        line[..indent].find('\t').map(|at| (i, at))
    });
    let span = match found {
        Some((i, at)) => {
            let before: usize = lines[..i].iter().map(|l| l.len() + 1).sum();
            Span {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                col: u32::try_from(lines[i][..at].chars().count() + 1).unwrap_or(u32::MAX),
                offset: u32::try_from(before + at).unwrap_or(u32::MAX),
                len: 1,
            }
        }
        None => reported,
    };
    Explained {
        message: "a tab is used for indentation here; YAML indents with spaces".to_owned(),
        help: "replace the tab with spaces, lined up with the lines around it (most editors can show tabs and convert them to spaces)".to_owned(),
        span,
    }
}

/// "mapping values are not allowed in this context": a `:` YAML cannot read as a key.
/// Either a value holds an unquoted `: ` (`name: Backup: final`) or the line is
/// indented more than the key above it, so it reads as the rest of that value.
fn colon(lines: &[&str], line_no: usize, span: Span) -> Explained {
    let line = lines.get(line_no - 1).copied().unwrap_or("");
    let body = line.trim_start_matches(' ');
    let body = body.strip_prefix("- ").unwrap_or(body);
    let first_colon = body
        .find(": ")
        .or_else(|| body.strip_suffix(':').map(str::len));
    let key_end = line.len() - body.len() + first_colon.unwrap_or(0);
    // Columns are characters; the reported colon after the first one is in the value.
    let reported_at = line
        .char_indices()
        .nth(span.col.saturating_sub(1) as usize)
        .map_or(line.len(), |(b, _)| b);
    if first_colon.is_some() && reported_at > key_end {
        let key = &line[line.len() - body.len()..key_end];
        let value = line[key_end + 1..].trim();
        let value = value.split(" #").next().unwrap_or(value).trim_end();
        return Explained {
            message: format!(
                "the value of `{key}` contains `: `, which YAML reads as the start of another key"
            ),
            help: format!(
                "put the value in quotes: `{key}: \"{}\"`",
                value.replace('"', "\\\"")
            ),
            span,
        };
    }
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let above = lines[..line_no - 1]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let message = match above {
        Some(a) if indent(line) > indent(a) => format!(
            "this line is indented more than the line above it ({} spaces, not {}), so YAML reads it as the rest of the value above",
            indent(line),
            indent(a)
        ),
        _ => "a key is not allowed here: YAML reads this line as part of the value above it"
            .to_owned(),
    };
    Explained {
        message,
        help: "line the key up with the keys above it (the same number of spaces); if a value contains `: `, put the value in quotes".to_owned(),
        span,
    }
}

/// Lines above the reported one searched for a `[` or `{` left open.
const BRACKET_LOOKBEHIND: usize = 20;

/// The last `[` or `{` left open (outside quotes) on the reported line or the
/// [`BRACKET_LOOKBEHIND`] lines above it, and its place.
fn unclosed_bracket(lines: &[&str], line_no: usize) -> Option<(char, Span)> {
    let last = line_no.min(lines.len());
    (last.saturating_sub(BRACKET_LOOKBEHIND)..last)
        .rev()
        .find_map(|i| {
            let line = lines[i];
            let mut open: Vec<(usize, char)> = Vec::new();
            let mut quote: Option<char> = None;
            for (at, c) in line.char_indices() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (None, '"' | '\'') => quote = Some(c),
                    (None, '#') if at == 0 || line[..at].ends_with(' ') => break,
                    (None, '[' | '{') => open.push((at, c)),
                    (None, ']' | '}') => {
                        open.pop();
                    }
                    _ => {}
                }
            }
            let (at, c) = *open.last()?;
            let before: usize = lines[..i].iter().map(|l| l.len() + 1).sum();
            Some((
                c,
                Span {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    col: u32::try_from(line[..at].chars().count() + 1).unwrap_or(u32::MAX),
                    offset: u32::try_from(before + at).unwrap_or(u32::MAX),
                    len: 1,
                },
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, line: u32, col: u32) -> Span {
        Span {
            line,
            col,
            offset: crate::load::byte_offset(text, line, col),
            len: 0,
        }
    }

    #[test]
    fn a_tab_is_placed_where_it_is_not_at_the_end_of_the_line_above() {
        let text = "tasks:\n  - id: a\n    name: A\n\towner: B\n";
        let e = explain(
            "while scanning a plain scalar, found a tab",
            text,
            at(text, 3, 11),
        )
        .unwrap();
        assert_eq!((e.span.line, e.span.col, e.span.offset), (4, 1, 29));
        assert_eq!(&text[29..30], "\t");
        assert!(e.message.starts_with("a tab is used for indentation here"));
    }

    #[test]
    fn a_colon_in_a_value_is_told_apart_from_a_wrong_indent() {
        let text = "tasks:\n  - id: a\n    name: Backup: final\n";
        let e = explain(
            "mapping values are not allowed in this context",
            text,
            at(text, 3, 17),
        )
        .unwrap();
        assert_eq!(
            e.message,
            "the value of `name` contains `: `, which YAML reads as the start of another key"
        );
        assert_eq!(e.help, "put the value in quotes: `name: \"Backup: final\"`");

        let text = "tasks:\n  - id: a\n    name: A\n     owner: B\n";
        let e = explain(
            "mapping values are not allowed in this context",
            text,
            at(text, 4, 11),
        )
        .unwrap();
        assert!(e.message.contains("(5 spaces, not 4)"), "{}", e.message);
    }

    #[test]
    fn an_unknown_message_is_left_to_the_parser() {
        assert!(explain("something new", "a: b\n", at("a: b\n", 1, 1)).is_none());
    }
}
