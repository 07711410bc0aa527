//! Tables for the terminal (comfy-table, UTF-8 borders, colour on a TTY) and for
//! Markdown (the same table with pipes), so every report has both from one layout.

use std::fmt::Write as _;

use comfy_table::presets::{ASCII_MARKDOWN, UTF8_FULL_CONDENSED};
use comfy_table::{Cell, Color, ContentArrangement, Table};

/// Where a table is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The terminal: UTF-8 borders.
    Terminal {
        /// Colour the cells by tone (`--color`; by default on a terminal without `NO_COLOR`).
        color: bool,
        /// The terminal's width: tables wrap long text, cut long cells with `…` and drop
        /// low-value columns to fit it. `None`: full rows (a pipe, a file, `--wide`).
        width: Option<u16>,
    },
    /// A Markdown table (pipes), for `--format markdown`.
    Markdown,
}

/// Red/amber/green and neutral tones for cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// No colour.
    Plain,
    /// Green: passes, GO, on time.
    Good,
    /// Yellow: at risk, no data, conditions.
    Warn,
    /// Red: fails, NO-GO, critical, late.
    Bad,
    /// Grey: done, not yet due, notes.
    Muted,
}

/// An empty table with the style's borders and this header.
pub fn table(style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    match style {
        Style::Terminal { color, width } => {
            t.load_style(UTF8_FULL_CONDENSED.with_rounded_corners());
            match width {
                Some(w) => {
                    t.set_content_arrangement(ContentArrangement::Dynamic);
                    t.set_width(w);
                    t.set_truncation_indicator("…");
                }
                None => {
                    t.set_content_arrangement(ContentArrangement::Disabled);
                }
            }
            if color {
                t.enforce_styling();
            } else {
                t.force_no_tty();
            }
        }
        Style::Markdown => {
            t.load_style(ASCII_MARKDOWN);
            t.force_no_tty();
        }
    }
    t.set_header(header.iter().map(|h| Cell::new(*h)).collect::<Vec<_>>());
    t
}

/// Label/value lines: a borderless two-column table in the terminal, a list in Markdown.
pub fn key_values(style: Style, rows: &[(&str, String, Tone)]) -> String {
    match style {
        Style::Markdown => rows.iter().fold(String::new(), |mut out, (k, v, _)| {
            let _ = writeln!(out, "- **{}:** {}", markdown_escape(k), markdown_escape(v));
            out
        }),
        Style::Terminal { width, .. } => {
            let mut t = Table::new();
            t.load_style(comfy_table::presets::NOTHING);
            match width {
                Some(w) => {
                    t.set_content_arrangement(ContentArrangement::Dynamic);
                    t.set_width(w);
                }
                None => {
                    t.set_content_arrangement(ContentArrangement::Disabled);
                }
            }
            if let Style::Terminal { color: true, .. } = style {
                t.enforce_styling();
            } else {
                t.force_no_tty();
            }
            for (k, v, tone) in rows {
                t.add_row(vec![Cell::new(format!("{k}:")), cell(style, v, *tone)]);
            }
            let text = t.to_string();
            // comfy-table pads each line with a leading space; keep the layout but trim
            // trailing spaces.
            text.lines()
                .fold(String::with_capacity(text.len()), |mut out, l| {
                    out.push_str(l.trim_end());
                    out.push('\n');
                    out
                })
        }
    }
}

/// A cell with `text`, escaped for Markdown, coloured on a colour terminal. Control
/// characters are shown as pictures ([`super::visible`]) before colour is added.
pub fn cell(style: Style, text: &str, tone: Tone) -> Cell {
    match style {
        Style::Markdown => Cell::new(markdown_escape(text)),
        Style::Terminal { color, .. } => {
            let c = Cell::new(super::visible::visible(text));
            if !color {
                return c;
            }
            match tone {
                Tone::Plain => c,
                Tone::Good => c.fg(Color::Green),
                Tone::Warn => c.fg(Color::Yellow),
                Tone::Bad => c.fg(Color::Red),
                Tone::Muted => c.fg(Color::DarkGrey),
            }
        }
    }
}

/// Text safe inside a Markdown table cell (and as Markdown text).
pub fn markdown_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '<' | '>' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Fits `t` to the terminal's width (with `Style::Terminal { width: Some(..) }`): hides
/// columns in `drop_order` (least useful first) while the columns left could not each
/// show [`MIN_CELL`] characters; comfy-table then wraps what remains, and each row is cut
/// at [`MAX_LINES`] lines with `…`. Full rows otherwise.
pub fn fit(t: &mut Table, style: Style, drop_order: &[usize]) {
    let Style::Terminal {
        width: Some(width), ..
    } = style
    else {
        return;
    };
    let widths = t.column_max_content_widths();
    let need = |hidden: &[usize]| -> usize {
        widths
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden.contains(i))
            .map(|(_, &w)| usize::from(w).min(MIN_CELL) + 3)
            .sum::<usize>()
            + 1
    };
    let mut hidden: Vec<usize> = Vec::new();
    for &c in drop_order {
        if need(&hidden) <= usize::from(width) {
            break;
        }
        hidden.push(c);
    }
    for &c in &hidden {
        if let Some(col) = t.column_mut(c) {
            col.set_constraint(comfy_table::ColumnConstraint::Hidden);
        }
    }
    for row in t.row_iter_mut() {
        row.max_height(MAX_LINES);
    }
}

/// The fewest characters a column keeps before columns are dropped to fit a terminal.
pub const MIN_CELL: usize = 16;

/// The most lines one row of a fitted table takes; the rest is cut with `…`.
pub const MAX_LINES: usize = 6;

/// `text` wrapped to `width` columns (at spaces; words longer than a line stay whole),
/// each continuation line indented by `indent` spaces. `None`: not wrapped. Control
/// characters are shown as pictures ([`super::visible`]), as in cells, before colour.
pub fn wrap(text: &str, width: Option<u16>, indent: usize) -> String {
    let text = super::visible::visible(text);
    let Some(width) = width.map(usize::from) else {
        return text.into_owned();
    };
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let mut col = 0;
        for (i, word) in line.split(' ').enumerate() {
            let w = word.chars().count();
            if i > 0 && col + 1 + w > width && col > indent {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
                col = indent;
            } else if i > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += w;
        }
    }
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}
