//! Reading a runbook file part by part after a structural error, so that every
//! unknown field and wrong type in it is reported at once.
//!
//! serde stops at the first error in a document. When a file fails that way (not a
//! YAML syntax error, which leaves no structure to go on), the file is outlined from
//! parser events and read again in parts:
//!
//! - the settings: the file with its collections (`calendars`, `workstreams`, `tasks`,
//!   `gates`, `scenarios`) blanked out;
//! - each collection item on its own: a task, gate or scenario, a calendar or
//!   workstream entry.
//!
//! A part that fails has the entry the error points at blanked (spaces keep every
//! other line and column where it was) and is read again, so each bad field in it is
//! reported. A bad item is then left out, and its id remembered in [`Skipped`] so
//! that references to it raise no second error; a bad setting is left out and
//! remembered too. A runbook with anything skipped is never scheduled (`validate`
//! refuses it), so a partial plan cannot reach a decision.
//!
//! Anything unusual (anchors or aliases, complex keys, a root that is not a mapping)
//! means no recovery, and the first error stands alone, as before.

use granit_parser::{Event, Parser};
use serde::de::DeserializeOwned;

use super::split::Shift as _;
use super::{Limits, options, yaml_diagnostic};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::calendar::CalendarSpec;
use crate::model::gate::Gate;
use crate::model::runbook::{Parts, RunbookFile, Skipped, Workstream};
use crate::model::scenario::Scenario;
use crate::model::task::Task;
use crate::model::{Entries, Located};
use crate::source::FileId;

/// Structural errors reported per file before the rest of it is left unread: a
/// generated file of two million malformed items costs a bounded time, and past a
/// thousand mistakes of structure the file is not worth checking further.
pub(super) const MAX_STRUCTURAL_ERRORS: usize = 1_000;

/// Is this load diagnostic one that leaves the file's structure readable?
pub(super) fn recoverable(code: Code) -> bool {
    matches!(
        code,
        Code::UnknownField | Code::WrongType | Code::MissingField | Code::DuplicateKey
    )
}

/// A runbook file or an included file: settings (maybe none) and collections.
pub(super) trait Collections: DeserializeOwned {
    fn calendars(&mut self) -> &mut Entries<Located<CalendarSpec>>;
    fn workstreams(&mut self) -> &mut Entries<Located<Workstream>>;
    fn tasks(&mut self) -> &mut Option<Vec<Located<Task>>>;
    fn gates(&mut self) -> &mut Vec<Located<Gate>>;
    fn scenarios(&mut self) -> &mut Vec<Located<Scenario>>;
}

macro_rules! collections {
    ($t:ty) => {
        impl Collections for $t {
            fn calendars(&mut self) -> &mut Entries<Located<CalendarSpec>> {
                &mut self.calendars
            }
            fn workstreams(&mut self) -> &mut Entries<Located<Workstream>> {
                &mut self.workstreams
            }
            fn tasks(&mut self) -> &mut Option<Vec<Located<Task>>> {
                &mut self.tasks
            }
            fn gates(&mut self) -> &mut Vec<Located<Gate>> {
                &mut self.gates
            }
            fn scenarios(&mut self) -> &mut Vec<Located<Scenario>> {
                &mut self.scenarios
            }
        }
    };
}
collections!(RunbookFile);
collections!(Parts);

/// One node of the outline: where it is, and (to two levels below the root's
/// entries) what it holds.
#[derive(Debug, Default)]
struct Node {
    /// Byte range of the node (a block collection runs to the next token).
    start: usize,
    end: usize,
    /// For a mapping entry's value: its key and where the key starts.
    key: Option<(String, usize)>,
    /// The node's scalar text, kept for `id` values only.
    scalar: Option<String>,
    children: Vec<usize>,
    parent: Option<usize>,
    is_map: bool,
}

/// An open collection while outlining: its node, whether it is a mapping, and (for a
/// mapping) the key read whose value is still to come, with where the key starts.
type Open = (usize, bool, Option<(String, usize)>);

/// The file's nodes; node 0 is the root mapping.
struct Outline {
    nodes: Vec<Node>,
}

impl Outline {
    /// Outlines `text`, or `None` for anything but a plain single-document mapping.
    fn of(text: &str) -> Option<Outline> {
        let mut parser = Parser::new_from_str(text);
        let mut nodes: Vec<Node> = Vec::new();
        // Open collections: (node index, is a mapping, the pending key if a mapping).
        let mut open: Vec<Open> = Vec::new();
        let mut documents = 0;
        while let Some(event) = parser.next_event() {
            let (event, span) = event.ok()?;
            let start = span.start.byte_offset()?;
            let end = span.end.byte_offset()?;
            let (is_start, is_map, scalar) = match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return None;
                    }
                    continue;
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let (index, _, pending) = open.pop()?;
                    if pending.is_some() {
                        return None;
                    }
                    nodes[index].end = end.max(nodes[index].start);
                    continue;
                }
                Event::Scalar(value, _, 0, _) => (false, false, Some(value)),
                Event::MappingStart(_, 0, _) => (true, true, None),
                Event::SequenceStart(_, 0, _) => (true, false, None),
                _ => return None,
            };
            // A key of the innermost open mapping?
            if let Some((_, true, pending)) = open.last_mut()
                && pending.is_none()
            {
                let key = scalar?; // complex keys are not outlined
                *pending = Some((key.into_owned(), start));
                continue;
            }
            let parent = open.last().map(|(i, _, _)| *i);
            let key = match open.last_mut() {
                Some((_, true, pending)) => pending.take(),
                _ => None,
            };
            if parent.is_none() && !nodes.is_empty() {
                return None;
            }
            let depth = {
                let mut d = 0;
                let mut p = parent;
                while let Some(i) = p {
                    d += 1;
                    p = nodes[i].parent;
                }
                d
            };
            let index = nodes.len();
            let keep_scalar = key.as_ref().is_some_and(|(k, _)| k == "id");
            nodes.push(Node {
                start,
                end,
                key,
                scalar: if keep_scalar {
                    scalar.map(std::borrow::Cow::into_owned)
                } else {
                    None
                },
                children: Vec::new(),
                parent,
                is_map: is_start && is_map,
            });
            if let Some(p) = parent
                && depth <= 3
            {
                nodes[p].children.push(index);
            }
            if is_start {
                open.push((index, is_map, None));
            }
        }
        // The root must be a mapping.
        if !open.is_empty() || nodes.is_empty() {
            return None;
        }
        if !nodes[0].is_map {
            return None;
        }
        Some(Outline { nodes })
    }

    /// The root's entries, by key.
    fn entries(&self, node: usize) -> impl Iterator<Item = (&str, usize)> {
        self.nodes[node]
            .children
            .iter()
            .filter_map(|&c| Some((self.nodes[c].key.as_ref()?.0.as_str(), c)))
    }

    /// The byte range of an entry: its key through its value.
    fn entry_range(&self, node: usize) -> (usize, usize) {
        let n = &self.nodes[node];
        (n.key.as_ref().map_or(n.start, |(_, k)| *k), n.end)
    }

    /// The `id:` written in an item mapping, if plain.
    fn id_of(&self, item: usize) -> Option<String> {
        self.entries(item)
            .find(|(k, _)| *k == "id")
            .and_then(|(_, c)| self.nodes[c].scalar.clone())
    }
}

/// Blanks `range` of `buffer`, keeping line breaks.
fn blank(buffer: &mut [u8], start: usize, end: usize) {
    let len = buffer.len();
    for b in &mut buffer[start.min(len)..end.min(len)] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// `end`, or just past the `,` that follows it in a flow collection, so that blanking
/// an entry of `{ a: 1, b: 2 }` leaves no empty entry behind.
fn past_comma(buffer: &[u8], end: usize) -> usize {
    let mut i = end;
    while i < buffer.len() && buffer[i] == b' ' {
        i += 1;
    }
    if buffer.get(i) == Some(&b',') {
        i + 1
    } else {
        end
    }
}

/// The place of a diagnostic as a byte offset in the text it was made from.
fn offset_of(d: &Diagnostic, text: &str) -> usize {
    d.origin.map_or(0, |o| {
        if o.span.offset == u32::MAX {
            super::byte_offset(text, o.span.line, o.span.col) as usize
        } else {
            o.span.offset as usize
        }
    })
}

/// Reads `buffer` as `T`, blanking the entry of `entries` each error points at and
/// trying again. Every error found is returned (its position in `buffer`); the value
/// is `None` when an error falls outside every entry.
fn read_blanking<T: DeserializeOwned>(
    mut buffer: Vec<u8>,
    entries: &[(usize, usize)],
    file: FileId,
    limits: &Limits,
    on_blank: &mut dyn FnMut(usize),
) -> (Option<T>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut left: Vec<bool> = vec![true; entries.len()];
    loop {
        let Ok(text) = std::str::from_utf8(&buffer) else {
            return (None, errors);
        };
        match serde_saphyr::from_str_with_options::<T>(text, options(text.len(), limits)) {
            Ok(value) => return (Some(value), errors),
            Err(e) => {
                let d = yaml_diagnostic(&e, file, text);
                let at = offset_of(&d, text);
                let recover = recoverable(d.code);
                if !recover && !errors.is_empty() {
                    // The file as a whole parsed up to its first structural error and
                    // was outlined without a syntax error, so a syntax error now comes
                    // from the blanking (rare layouts): report what was found.
                    return (None, errors);
                }
                errors.push(d);
                let hit = entries
                    .iter()
                    .enumerate()
                    .find(|(i, (s, e))| left[*i] && (*s..(*e).max(*s + 1)).contains(&at));
                match hit {
                    Some((i, &(s, e))) if recover => {
                        left[i] = false;
                        on_blank(i);
                        let e = past_comma(&buffer, e);
                        blank(&mut buffer, s, e);
                    }
                    _ => return (None, errors),
                }
            }
        }
    }
}

/// Reads `text` part by part after the whole-file read failed; `None` when the file
/// cannot be outlined (the caller reports the first error alone).
pub(super) fn recover<T: Collections>(
    text: &str,
    file: FileId,
    limits: &Limits,
) -> Option<(Option<T>, Vec<Diagnostic>, Skipped)> {
    let outline = Outline::of(text)?;
    let mut diagnostics = Vec::new();
    let mut skipped = Skipped::default();
    let root_entries: Vec<(&str, usize)> = outline.entries(0).collect();

    // The settings: everything but the collections.
    let is_collection = |k: &str| {
        matches!(
            k,
            "calendars" | "workstreams" | "tasks" | "gates" | "scenarios"
        )
    };
    let mut head = text.as_bytes().to_vec();
    let mut settings = Vec::new();
    let mut names = Vec::new();
    for &(key, node) in &root_entries {
        let (s, e) = outline.entry_range(node);
        if is_collection(key) {
            blank(&mut head, s, e);
        } else {
            settings.push((s, e));
            names.push(key.to_owned());
        }
    }
    let mut left_out = Vec::new();
    let (value, errors) = read_blanking::<T>(head, &settings, file, limits, &mut |i| {
        left_out.push(i);
    });
    diagnostics.extend(errors);
    skipped
        .settings
        .extend(left_out.into_iter().map(|i| names[i].clone()));
    let mut value = value;

    // A blank copy of the text, for padding items to their place in the file.
    let mut blank_text = text.as_bytes().to_vec();
    let len = blank_text.len();
    blank(&mut blank_text, 0, len);

    for &(key, node) in &root_entries {
        if !is_collection(key) {
            continue;
        }
        let items = outline.nodes[node].children.clone();
        let is_map = outline.nodes[node]
            .children
            .first()
            .is_some_and(|&c| outline.nodes[c].key.is_some());
        for item in items {
            if diagnostics.len() >= MAX_STRUCTURAL_ERRORS {
                let at = outline.nodes[item].start;
                let line = text[..at].matches('\n').count() + 1;
                let col = text[..at]
                    .rsplit('\n')
                    .next()
                    .map_or(0, |l| l.chars().count())
                    + 1;
                diagnostics.push(
                    Diagnostic::at(
                        Code::InputLimit,
                        crate::source::Origin {
                            file,
                            span: crate::source::Span {
                                line: u32::try_from(line).unwrap_or(u32::MAX),
                                col: u32::try_from(col).unwrap_or(u32::MAX),
                                offset: u32::try_from(at).unwrap_or(u32::MAX),
                                len: 0,
                            },
                        },
                        format!(
                            "more than {MAX_STRUCTURAL_ERRORS} unknown fields or wrong types: the file is read no further"
                        ),
                    )
                    .with_help("fix the mistakes above (often one repeated one) and run again"),
                );
                return Some((None, diagnostics, skipped));
            }
            let kind = match key {
                "tasks" => "task",
                "gates" => "gate",
                "scenarios" => "scenario",
                "calendars" => "calendar",
                _ => "workstream",
            };
            let (start, end) = if is_map {
                outline.entry_range(item)
            } else {
                (outline.nodes[item].start, outline.nodes[item].end)
            };
            // The entries inside the item, to blank one at a time.
            let entries: Vec<(usize, usize)> = outline
                .entries(item)
                .map(|(_, c)| outline.entry_range(c))
                .collect();
            let ok = if kind == "task" {
                read_task(text, start, end, &entries, file, limits, &mut diagnostics).map(|t| {
                    if let Some(v) = value.as_mut() {
                        v.tasks().get_or_insert_with(Vec::new).push(t);
                    }
                })
            } else {
                let mut buffer = blank_text[..start].to_vec();
                buffer.extend_from_slice(&text.as_bytes()[start..end]);
                let mut no_op = |_| {};
                match kind {
                    "gate" => {
                        let (v, e) = read_blanking::<Located<Gate>>(
                            buffer, &entries, file, limits, &mut no_op,
                        );
                        let v = v.filter(|_| e.is_empty());
                        diagnostics.extend(e);
                        v.map(|g| {
                            if let Some(t) = value.as_mut() {
                                t.gates().push(g);
                            }
                        })
                    }
                    "scenario" => {
                        let (v, e) = read_blanking::<Located<Scenario>>(
                            buffer, &entries, file, limits, &mut no_op,
                        );
                        let v = v.filter(|_| e.is_empty());
                        diagnostics.extend(e);
                        v.map(|g| {
                            if let Some(t) = value.as_mut() {
                                t.scenarios().push(g);
                            }
                        })
                    }
                    "calendar" => {
                        let (v, e) = read_blanking::<Entries<Located<CalendarSpec>>>(
                            buffer, &entries, file, limits, &mut no_op,
                        );
                        let v = v.filter(|_| e.is_empty());
                        diagnostics.extend(e);
                        v.map(|c| {
                            if let Some(t) = value.as_mut() {
                                t.calendars().0.extend(c.0);
                            }
                        })
                    }
                    _ => {
                        let (v, e) = read_blanking::<Entries<Located<Workstream>>>(
                            buffer, &entries, file, limits, &mut no_op,
                        );
                        let v = v.filter(|_| e.is_empty());
                        diagnostics.extend(e);
                        v.map(|w| {
                            if let Some(t) = value.as_mut() {
                                t.workstreams().0.extend(w.0);
                            }
                        })
                    }
                }
            };
            if ok.is_none() {
                skipped.items += 1;
                if kind == "task" {
                    skipped.tasks += 1;
                }
                let id = if is_map {
                    outline.nodes[item].key.as_ref().map(|(k, _)| k.clone())
                } else {
                    outline.id_of(item)
                };
                if let Some(id) = id {
                    skipped.ids.insert((kind.to_owned(), id));
                }
            }
        }
    }
    Some((value, diagnostics, skipped))
}

/// Reads one task item, padded to its column and shifted to its line; every error
/// in it is pushed to `diagnostics`.
fn read_task(
    text: &str,
    start: usize,
    end: usize,
    entries: &[(usize, usize)],
    file: FileId,
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Located<Task>> {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let prefix_chars = text[line_start..start].chars().count();
    let line = text[..start].matches('\n').count();
    // Offsets in the item text are offsets in the file less `shift`.
    let shift = start - prefix_chars;
    let mut buffer = vec![b' '; prefix_chars];
    buffer.extend_from_slice(&text.as_bytes()[start..end]);
    let local: Vec<(usize, usize)> = entries
        .iter()
        .map(|&(s, e)| (s - shift, e - shift))
        .collect();
    let (task, errors) = read_blanking::<Located<Task>>(buffer, &local, file, limits, &mut |_| {});
    let (lines, bytes) = (
        i64::try_from(line).unwrap_or(i64::MAX),
        i64::try_from(shift).unwrap_or(i64::MAX),
    );
    let task = task.filter(|_| errors.is_empty());
    for mut d in errors {
        if let Some(origin) = d.origin.as_mut() {
            origin.span.shift(lines, bytes);
        }
        diagnostics.push(d);
    }
    task.map(|mut t| {
        t.shift(lines, bytes);
        t
    })
}
