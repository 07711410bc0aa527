//! Parsing a large `tasks:` list on several threads.
//!
//! A YAML document is parsed front to back, and for a runbook of 100,000 tasks that is
//! most of the work. The `tasks:` block sequence is, however, a run of independent
//! items, each starting on a line `<indent>- `. So the items are cut into chunks at
//! those lines and each chunk is parsed as its own document on its own thread, while
//! the rest of the file is parsed with the task lines blanked out (spaces keep every
//! other byte offset and line number as they were). Chunk positions are then moved
//! back to where the chunk sits in the file.
//!
//! Anything unusual (anchors or aliases, merge keys, tabs, a second `tasks:`, an
//! item indented differently) means no split; any error in any part means the caller
//! parses the whole file the ordinary way, so errors are reported exactly as before.

use std::collections::HashMap;
use std::ops::Range;

use serde::de::DeserializeOwned;

use crate::model::Located;
use crate::model::runbook::{Parts, Runbook, RunbookFile};
use crate::model::task::{Dependency, Estimate, Task};
use crate::source::{FileId, Sources, Span};

/// Files at least this large are considered for a parallel parse.
pub(super) const PARALLEL_BYTES: usize = 1 << 20;

/// A document whose `tasks:` list can be parsed apart from the rest.
pub(super) trait WithTasks: DeserializeOwned {
    fn tasks_mut(&mut self) -> &mut Vec<Located<Task>>;
}

impl WithTasks for RunbookFile {
    fn tasks_mut(&mut self) -> &mut Vec<Located<Task>> {
        self.tasks.get_or_insert_with(Vec::new)
    }
}

impl WithTasks for Parts {
    fn tasks_mut(&mut self) -> &mut Vec<Located<Task>> {
        self.tasks.get_or_insert_with(Vec::new)
    }
}

/// Where the task items are: the byte range of the list and the start of each item
/// (byte offset, 1-based line).
#[derive(Debug, PartialEq, Eq)]
struct Split {
    region: Range<usize>,
    items: Vec<(usize, u32)>,
}

/// Finds the `tasks:` list's items, or `None` when the file is not plainly laid out.
fn find(text: &str) -> Option<Split> {
    // YAML also breaks lines at a lone carriage return; lines here are counted by
    // `\n` only, so chunk positions (and the masked head's) would be off by one per CR.
    let bytes = text.as_bytes();
    if bytes
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
    {
        return None;
    }
    let mut lines = text.split_inclusive('\n').scan(0, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line))
    });
    let is_key = |l: &str, key: &str| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    };
    let key_line = lines.position(|(_, l)| is_key(l, "tasks:"))?;
    let blank = |l: &str| l.trim().is_empty() || l.trim_start().starts_with('#');
    let mut indent = None;
    let mut items = Vec::new();
    let mut end = text.len();
    for (k, (start, line)) in lines.by_ref().enumerate() {
        if line.starts_with("---") || line.starts_with("...") {
            return None;
        }
        if blank(line) {
            continue;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let indent = *indent.get_or_insert(spaces);
        if line[spaces..].starts_with('\t') {
            return None;
        }
        let rest = &line[spaces..];
        let is_item = rest.starts_with("- ") || rest.trim_end() == "-";
        if spaces == indent && is_item {
            items.push((start, (key_line + 2 + k) as u32));
        } else if spaces < indent || (spaces == indent && !is_item) {
            if spaces == 0 && !is_key(line, "tasks:") {
                end = start;
                break;
            }
            return None;
        }
    }
    // A second `tasks:` at the top level would be a duplicate key.
    if lines.any(|(_, l)| is_key(l, "tasks:")) {
        return None;
    }
    let region = items.first()?.0..end;
    if has_anchor_or_merge(&text.as_bytes()[region.clone()]) {
        return None;
    }
    Some(Split { region, items })
}

/// Could these bytes hold an anchor (`&a`), alias (`*a`) or merge key (`<<`)?
/// Conservative: `A&E` and `2 * 3` are fine, `*.yaml` is not (and only costs speed).
fn has_anchor_or_merge(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| w == b"<<")
        || bytes.iter().enumerate().any(|(i, &b)| {
            (b == b'&' || b == b'*')
                && (i == 0
                    || matches!(
                        bytes[i - 1],
                        b' ' | b'\t' | b'\n' | b'[' | b'{' | b',' | b':' | b'-'
                    ))
                && bytes.get(i + 1).is_some_and(|n| {
                    !matches!(
                        n,
                        b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                    )
                })
        })
}

/// Parses `text` with its task list in parallel, or `None` to parse it whole instead.
/// Task items written exactly as an item of `reuse` are copied from it, not parsed.
pub(super) fn parse<T: WithTasks>(
    text: &str,
    options: impl Fn(usize) -> serde_saphyr::Options + Sync,
    threads: usize,
    reuse: Option<&Reuse<'_>>,
) -> Option<T> {
    let split = find(text)?;
    let chunks = chunk(&split, threads.max(1));
    let (head, parts) = std::thread::scope(|scope| {
        let mut first = 0;
        let handles: Vec<_> = chunks
            .iter()
            .map(|range| {
                let options = &options;
                let items = &split.items[first..first + range.items];
                first += range.items;
                scope.spawn(move || match reuse {
                    Some(reuse) => read_reusing(text, items, range.end, reuse, options),
                    None => read_run(text, range.start, range.end, range.items, options),
                })
            })
            .collect();
        // The rest of the file, with the task items blanked, while the chunks parse.
        let mut masked = text.as_bytes().to_vec();
        for b in &mut masked[split.region.clone()] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        let head: Option<T> = String::from_utf8(masked).ok().and_then(|masked| {
            serde_saphyr::from_str_with_options(&masked, options(masked.len())).ok()
        });
        let parts: Vec<Option<Vec<Located<Task>>>> = handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect();
        (head, parts)
    });
    let mut head = head?;
    let tasks = head.tasks_mut();
    if !tasks.is_empty() {
        return None;
    }
    let parts: Vec<_> = parts.into_iter().collect::<Option<_>>()?;
    tasks.reserve_exact(parts.iter().map(Vec::len).sum());
    for part in parts {
        tasks.extend(part);
    }
    Some(head)
}

/// Parses the `count` task items from `start` (byte offset, line) to `end`, with their
/// positions in the whole file.
fn read_run(
    text: &str,
    start: (usize, u32),
    end: usize,
    count: usize,
    options: &impl Fn(usize) -> serde_saphyr::Options,
) -> Option<Vec<Located<Task>>> {
    let (start, line) = start;
    let slice = &text[start..end];
    let mut tasks = match super::task_events::read_tasks(slice, count) {
        Some(tasks) => tasks,
        None => {
            serde_saphyr::from_str_with_options::<Vec<Located<Task>>>(slice, options(slice.len()))
                .ok()?
        }
    };
    let (lines, bytes) = (i64::from(line) - 1, i64::try_from(start).ok()?);
    for t in &mut tasks {
        t.shift(lines, bytes);
    }
    Some(tasks)
}

/// [`read_run`] for the task items at `items` (ending at `end`), copying from `reuse`
/// each item written exactly as one there and parsing the runs of the others.
fn read_reusing(
    text: &str,
    items: &[(usize, u32)],
    end: usize,
    reuse: &Reuse<'_>,
    options: &impl Fn(usize) -> serde_saphyr::Options,
) -> Option<Vec<Located<Task>>> {
    let mut out = Vec::with_capacity(items.len());
    // The first item of the run of items not found in `reuse`.
    let mut run: Option<usize> = None;
    for (i, &(start, line)) in items.iter().enumerate() {
        let item_end = items.get(i + 1).map_or(end, |next| next.0);
        let Some(earlier) = reuse.items.get(&text[start..item_end]) else {
            run.get_or_insert(i);
            continue;
        };
        if let Some(r) = run.take() {
            out.extend(read_run(text, items[r], start, i - r, options)?);
        }
        let mut task = earlier.task.clone();
        task.shift(
            i64::from(line) - i64::from(earlier.line),
            i64::try_from(start).ok()? - i64::try_from(earlier.offset).ok()?,
        );
        out.push(task);
    }
    if let Some(r) = run {
        out.extend(read_run(text, items[r], end, items.len() - r, options)?);
    }
    Some(out)
}

/// The task items of another version of a runbook (the one a `diff` compares with),
/// parsed, by their text. Reading the new version, an item written exactly as in the
/// old one (the same bytes, from its `- ` line to the next item) would parse to the
/// same task, so it is copied and its positions moved to where it now sits.
pub struct Reuse<'a> {
    items: HashMap<&'a str, Earlier<'a>>,
}

/// A task item as read before: the task, and the line and byte offset of its `- `
/// line's start.
struct Earlier<'a> {
    task: &'a Located<Task>,
    line: u32,
    offset: usize,
}

impl<'a> Reuse<'a> {
    /// The task items of `runbook`, read from `sources`. Only files large enough to be
    /// read in parts ([`PARALLEL_BYTES`]) are indexed, and only when each of their
    /// items is one task of the runbook, in order.
    pub fn new(sources: &'a Sources, runbook: &'a Runbook) -> Self {
        let mut by_file: HashMap<FileId, Vec<&'a Located<Task>>> = HashMap::new();
        for t in &runbook.tasks {
            by_file.entry(t.file).or_default().push(&t.item);
        }
        let mut items = HashMap::new();
        for (file, tasks) in by_file {
            let Some(text) = sources.get(file).map(|f| f.text.as_str()) else {
                continue;
            };
            if text.len() < PARALLEL_BYTES {
                continue;
            }
            let Some(split) = find(text) else {
                continue;
            };
            if split.items.len() != tasks.len() {
                continue;
            }
            let ends = split
                .items
                .iter()
                .skip(1)
                .map(|i| i.0)
                .chain([split.region.end]);
            let found: Option<Vec<(&'a str, Earlier<'a>)>> = split
                .items
                .iter()
                .zip(ends)
                .zip(tasks)
                .map(|((&(start, line), end), task)| {
                    let at = usize::try_from(task.span.offset).ok()?;
                    (task.span.offset != u32::MAX && (start..end).contains(&at)).then(|| {
                        (
                            &text[start..end],
                            Earlier {
                                task,
                                line,
                                offset: start,
                            },
                        )
                    })
                })
                .collect();
            for (text, earlier) in found.into_iter().flatten() {
                items.entry(text).or_insert(earlier);
            }
        }
        Reuse { items }
    }

    /// How many task items are indexed.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when no task item is indexed (no file was large enough, or laid out plainly).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// A chunk: its first item (byte offset, line), where it ends and how many items it
/// has.
struct Chunk {
    start: (usize, u32),
    end: usize,
    items: usize,
}

/// Cuts the items into about `n` runs of similar size.
fn chunk(split: &Split, n: usize) -> Vec<Chunk> {
    let total = split.region.end - split.region.start;
    let target = total.div_ceil(n).max(1);
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut current = split.items[0];
    let mut items = 1;
    for &item in &split.items[1..] {
        if item.0 - current.0 >= target {
            chunks.push(Chunk {
                start: current,
                end: item.0,
                items,
            });
            current = item;
            items = 0;
        }
        items += 1;
    }
    chunks.push(Chunk {
        start: current,
        end: split.region.end,
        items,
    });
    chunks
}

/// Moves positions by whole lines and bytes: a chunk parsed apart from its file, or a
/// task item reused from another version of the file where it sat elsewhere.
pub(crate) trait Shift {
    fn shift(&mut self, lines: i64, bytes: i64);
}

/// `value + by`, kept within `0..=u32::MAX`.
fn moved(value: u32, by: i64) -> u32 {
    u32::try_from((i64::from(value) + by).max(0)).unwrap_or(u32::MAX)
}

impl Shift for Span {
    fn shift(&mut self, lines: i64, bytes: i64) {
        if !self.is_unknown() {
            self.line = moved(self.line, lines);
            if self.offset != u32::MAX {
                self.offset = moved(self.offset, bytes);
            }
        }
    }
}

impl<T: Shift> Shift for Located<T> {
    fn shift(&mut self, lines: i64, bytes: i64) {
        self.span.shift(lines, bytes);
        self.value.shift(lines, bytes);
    }
}

impl<T: Shift> Shift for Option<T> {
    fn shift(&mut self, lines: i64, bytes: i64) {
        if let Some(v) = self {
            v.shift(lines, bytes);
        }
    }
}

impl<T: Shift> Shift for Box<T> {
    fn shift(&mut self, lines: i64, bytes: i64) {
        (**self).shift(lines, bytes);
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, lines: i64, bytes: i64) {
        for v in self {
            v.shift(lines, bytes);
        }
    }
}

macro_rules! no_positions {
    ($($t:ty),*) => { $(impl Shift for $t { fn shift(&mut self, _: i64, _: i64) {} })* };
}
no_positions!(
    String,
    bool,
    crate::model::task::LinkType,
    crate::model::task::Distribution
);

macro_rules! shift_fields {
    ($t:ty { $($field:ident),* }) => {
        impl Shift for $t {
            fn shift(&mut self, lines: i64, bytes: i64) {
                // Destructuring names every field, so a new field cannot be forgotten.
                let Self { $($field),* } = self;
                $($field.shift(lines, bytes);)*
            }
        }
    };
}

shift_fields!(Task {
    id,
    name,
    workstream,
    owner,
    duration,
    estimate,
    milestone,
    go_live,
    calendar,
    after,
    not_before,
    deadline,
    point_of_no_return,
    rollback,
    tags,
    notes
});
shift_fields!(Estimate {
    best,
    likely,
    worst,
    distribution
});
shift_fields!(Dependency { task, link, lag });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_items_at_the_list_indent_only() {
        let text =
            "runbook: r\ntasks:\n  - id: a\n    after: [x]\n  # note\n  - id: b\n\ngates: []\n";
        let split = find(text).unwrap();
        assert_eq!(split.items, [(18, 3), (52, 6)]);
        assert_eq!(
            &text[split.region.clone()],
            "  - id: a\n    after: [x]\n  # note\n  - id: b\n\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_split_safely() {
        assert!(find("tasks:\n  - &a { id: a }\n  - *a\n").is_none());
        assert!(find("tasks:\n  - { id: a, <<: x }\n").is_none());
        assert!(find("tasks:\n  - id: a\n tasks: 1\n").is_none());
        assert!(find("tasks:\n  - id: a\ntasks:\n  - id: b\n").is_none());
        assert!(find("tasks: []\n").is_none());
        assert!(find("tasks:\n  - id: a\n---\n").is_none());
        assert!(find("tasks:\n\t- id: a\n").is_none());
        // A lone CR is a line break to YAML (found by the split_equivalence fuzzer).
        assert!(find("tasks:\n  - { id: a, duration: 6\rh }\n  - id: b\n").is_none());
        // Windows line endings are fine.
        assert!(find("tasks:\r\n  - id: a\r\n  - id: b\r\n").is_some());
        // Ampersands and asterisks in words are not anchors.
        assert!(find("tasks:\n  - { id: a, name: A&E triage 2 * 3 }\n").is_some());
    }

    fn options(len: usize) -> serde_saphyr::Options {
        super::super::options(len, &crate::load::Limits::default())
    }

    /// A runbook that uses every task field, in block and flow style, with multibyte
    /// text and comments between items.
    fn every_field(items: usize) -> String {
        let mut text = String::from(
            "# header comment\nrunbook: Équipe ünïcode go-live\ntimezone: Europe/London\nstart: 2027-01-04T08:00\ngo_live: 2027-03-01T07:00\ntasks:\n",
        );
        for i in 0..items {
            if i % 3 == 0 {
                text.push_str(&format!(
                    "  - id: t{i}\n    name: Réconcile « données » {i}\n    workstream: data\n    owner: Zoë\n    estimate: {{ best: 1h, likely: 2h, worst: 5h, distribution: triangular }}\n    calendar: office\n    after:\n      - t{}\n      - {{ task: t{}, type: SS, lag: -30m }}\n    not_before: 2027-01-05T08:00\n    deadline: 2027-02-01T08:00\n    point_of_no_return: true\n    rollback: 2h\n    tags: [a, b]\n    notes: |\n      A note\n        indented more\n\n  # a comment between items\n",
                    i.saturating_sub(1),
                    i.saturating_sub(2)
                ));
            } else if i % 3 == 1 {
                text.push_str(&format!("  - {{ id: t{i}, name: \"Quoted: {i}\", duration: 1d, after: [t{}], milestone: false, go_live: false }}\n", i - 1));
            } else {
                text.push_str(&format!(
                    "  - {{ id: t{i}, name: 'Single ''quoted'' ✓', milestone: true }}\n"
                ));
            }
        }
        text.push_str("gates:\n  - { id: g, due: T-14d, criteria: [{ fits_window: true }] }\n");
        text
    }

    #[test]
    fn parallel_and_whole_parses_give_the_same_model() {
        let text = every_field(400);
        let whole: RunbookFile =
            serde_saphyr::from_str_with_options(&text, options(text.len())).unwrap();
        for threads in [1, 2, 3, 7] {
            let parallel: RunbookFile = parse(&text, options, threads, None).expect("splits");
            assert_eq!(parallel.tasks, whole.tasks, "{threads} threads");
            assert_eq!(
                format!("{:?}", parallel.gates),
                format!("{:?}", whole.gates)
            );
            assert_eq!(
                format!("{:?}", parallel.runbook),
                format!("{:?}", whole.runbook)
            );
        }
        // The spans really are the file's: the last task's id is where it says.
        let last = whole
            .tasks
            .as_ref()
            .unwrap()
            .last()
            .unwrap()
            .value
            .id
            .clone()
            .unwrap();
        assert_eq!(
            &text[last.span.offset as usize..][..last.value.len()],
            last.value
        );
    }

    /// The task lists of the shipped runbooks and of the generator are plain enough to
    /// be read from parser events, and read the same as serde-saphyr reads them.
    #[test]
    fn task_lists_read_from_events_match_serde_saphyr() {
        let mut texts = vec![crate::synthetic::runbook(2_000, 7)];
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/runbooks")) {
            let path = entry.unwrap().into_path();
            if path.extension().is_some_and(|e| e == "yaml") {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
        let mut lists = 0;
        for text in &texts {
            let Some(split) = find(text) else { continue };
            let list = &text[split.region];
            let fast = super::super::task_events::read_tasks(list, split.items.len())
                .expect("read from events");
            let slow: Vec<Located<Task>> =
                serde_saphyr::from_str_with_options(list, options(list.len())).unwrap();
            assert_eq!(fast, slow);
            lists += 1;
        }
        assert!(lists >= 10, "only {lists} task lists found");
    }

    #[test]
    fn an_error_in_a_chunk_means_no_parallel_result() {
        let mut text = every_field(60);
        text = text.replace("id: t40,", "id: t40, bogus: 1,");
        assert!(parse::<RunbookFile>(&text, options, 3, None).is_none());
    }
}
