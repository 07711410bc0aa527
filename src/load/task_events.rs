//! Reading a chunk of `tasks:` items straight from YAML parser events.
//!
//! serde-saphyr turns each value into its `Located` form through a generic newtype
//! protocol that costs more than parsing the YAML itself: on a 100,000-task runbook
//! about 1.9 s of CPU against 0.6 s for the parser's events alone. Task items are by
//! far the bulk of a large runbook and have one fixed shape, so a chunk of them (see
//! `split`) is first read here, from granit-parser's events (the parser serde-saphyr
//! itself uses), into exactly the values serde-saphyr would give.
//!
//! Only the plain cases are read: any tag, anchor, alias, unknown or repeated key,
//! null, or scalar whose type is not obvious makes the whole chunk return `None`, and
//! the caller parses it with serde-saphyr as before. A chunk read here is therefore
//! never accepted where serde-saphyr would reject it, and errors are still reported
//! by serde-saphyr, with its messages. `tests` (and the `split_equivalence` fuzz
//! target) check that both readings agree, spans included.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle, StrInput};

use crate::model::Located;
use crate::model::task::{Dependency, Distribution, Estimate, LinkType, Task};
use crate::source::Span;

/// Reads a YAML document that is a sequence of task mappings (about `expected` of
/// them), or `None` when it is anything but plain (the caller then parses it with
/// serde-saphyr).
pub(super) fn read_tasks(text: &str, expected: usize) -> Option<Vec<Located<Task>>> {
    let mut events = Events {
        parser: Parser::new_from_str(text),
    };
    events.expect(|e| matches!(e, Event::StreamStart))?;
    events.expect(|e| matches!(e, Event::DocumentStart(..)))?;
    events.expect(|e| matches!(e, Event::SequenceStart(_, 0, None)))?;
    // `expected` counts lines that start an item, which a hostile file can make
    // cheap (`- a` is 4 bytes, a task 448): reserve for what parses, not for that.
    let mut tasks = Vec::with_capacity(expected.min(4096));
    loop {
        match events.node()? {
            Node::End => break,
            Node::Map(span) => tasks.push(Located::new(events.task()?, span)),
            _ => return None,
        }
    }
    events.expect(|e| matches!(e, Event::DocumentEnd))?;
    events.expect(|e| matches!(e, Event::StreamEnd))?;
    events.parser.next_event().is_none().then_some(tasks)
}

/// One node, as far as this reader handles it.
enum Node<'a> {
    Scalar(Cow<'a, str>, ScalarStyle, Span),
    Map(Span),
    Seq,
    /// The end of the enclosing mapping or sequence.
    End,
}

struct Events<'a> {
    parser: Parser<'a, StrInput<'a>>,
}

impl<'a> Events<'a> {
    /// The next event and its position; `None` on a syntax error or the end.
    fn next(&mut self) -> Option<(Event<'a>, Span)> {
        let (event, span) = self.parser.next_event()?.ok()?;
        Some((event, position(&span)?))
    }

    fn expect(&mut self, wanted: impl Fn(&Event<'a>) -> bool) -> Option<()> {
        self.next().filter(|(e, _)| wanted(e)).map(|_| ())
    }

    /// The next node; anything with an anchor, a tag or an alias is not handled.
    fn node(&mut self) -> Option<Node<'a>> {
        Some(match self.next()? {
            (Event::Scalar(value, style, 0, None), span) => Node::Scalar(value, style, span),
            (Event::MappingStart(_, 0, None), span) => Node::Map(span),
            (Event::SequenceStart(_, 0, None), _) => Node::Seq,
            (Event::MappingEnd | Event::SequenceEnd, _) => Node::End,
            _ => return None,
        })
    }

    /// A scalar read into a `String` field. Plain null-like text would be `None` or an
    /// error in serde-saphyr, so it is left to serde-saphyr.
    fn string(&mut self) -> Option<Located<String>> {
        let (value, span) = text(self.node()?)?;
        Some(Located::new(value.into_owned(), span))
    }

    /// A plain `true` or `false` (serde-saphyr accepts more spellings; those go to it).
    fn boolean(&mut self) -> Option<Located<bool>> {
        match self.node()? {
            Node::Scalar(value, ScalarStyle::Plain, span) => match value.as_ref() {
                "true" => Some(Located::new(true, span)),
                "false" => Some(Located::new(false, span)),
                _ => None,
            },
            _ => None,
        }
    }

    /// A plain scalar naming one of `variants`.
    fn variant<T: Copy>(&mut self, variants: &[(&str, T)]) -> Option<Located<T>> {
        match self.node()? {
            Node::Scalar(value, ScalarStyle::Plain, span) => variants
                .iter()
                .find(|(name, _)| *name == value)
                .map(|&(_, v)| Located::new(v, span)),
            _ => None,
        }
    }

    /// The keys of a mapping whose start has been read, each passed to `field`, which
    /// reads its value.
    fn fields(&mut self, mut field: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        loop {
            match self.node()? {
                Node::End => return Some(()),
                Node::Scalar(key, ScalarStyle::Plain, _) => field(self, &key)?,
                _ => return None,
            }
        }
    }

    fn task(&mut self) -> Option<Task> {
        let mut task = Task::default();
        let (mut after, mut tags) = (None, None);
        self.fields(|events, key| match key {
            "id" => put(&mut task.id, events.string()),
            "name" => put(&mut task.name, events.string().map(|s| s.value)),
            "workstream" => put(&mut task.workstream, events.string()),
            "owner" => put(&mut task.owner, events.string().map(|s| s.value)),
            "duration" => put(&mut task.duration, events.string()),
            "estimate" => put(&mut task.estimate, events.estimate().map(Box::new)),
            "milestone" => put(&mut task.milestone, events.boolean().map(|b| b.value)),
            "go_live" => put(&mut task.go_live, events.boolean()),
            "calendar" => put(&mut task.calendar, events.string()),
            "after" => put(&mut after, events.sequence(Self::dependency)),
            "not_before" => put(&mut task.not_before, events.string()),
            "deadline" => put(&mut task.deadline, events.string()),
            "point_of_no_return" => put(
                &mut task.point_of_no_return,
                events.boolean().map(|b| b.value),
            ),
            "rollback" => put(&mut task.rollback, events.string()),
            "tags" => put(
                &mut tags,
                events.sequence(|_, node| Some(text(node)?.0.into_owned())),
            ),
            "notes" => put(&mut task.notes, events.string().map(|s| s.value)),
            _ => None,
        })?;
        task.after = after.unwrap_or_default();
        task.tags = tags.unwrap_or_default();
        Some(task)
    }

    /// `estimate:`, a mapping.
    fn estimate(&mut self) -> Option<Located<Estimate>> {
        let Node::Map(span) = self.node()? else {
            return None;
        };
        let mut estimate = Estimate {
            best: None,
            likely: None,
            worst: None,
            distribution: None,
        };
        self.fields(|events, key| match key {
            "best" => put(&mut estimate.best, events.string()),
            "likely" => put(&mut estimate.likely, events.string()),
            "worst" => put(&mut estimate.worst, events.string()),
            "distribution" => put(
                &mut estimate.distribution,
                events.variant(&[
                    ("pert", Distribution::Pert),
                    ("triangular", Distribution::Triangular),
                ]),
            ),
            _ => None,
        })?;
        Some(Located::new(estimate, span))
    }

    /// A sequence, each item read by `item` from its first node.
    fn sequence<T>(
        &mut self,
        mut item: impl FnMut(&mut Self, Node<'a>) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Node::Seq = self.node()? else {
            return None;
        };
        let mut items = Vec::new();
        loop {
            match self.node()? {
                Node::End => return Some(items),
                node => items.push(item(self, node)?),
            }
        }
    }

    /// One entry of `after:`, as `Dependency`'s own `Deserialize` builds it.
    fn dependency(&mut self, node: Node<'a>) -> Option<Located<Dependency>> {
        match node {
            // `Dependency` deserialises through `deserialize_any`, which would read a
            // plain `true`, `12` or `~` as a boolean, number or null: those go to it.
            Node::Scalar(value, style, span)
                if !(style == ScalarStyle::Plain && maybe_not_text(&value)) =>
            {
                let dependency = Dependency {
                    task: Located::new(value.into_owned(), Span::default()),
                    link: None,
                    lag: None,
                };
                Some(Located::new(dependency, span))
            }
            Node::Map(span) => {
                let (mut task, mut link, mut lag) = (None, None, None);
                self.fields(|events, key| match key {
                    "task" => put(&mut task, events.string()),
                    "type" => put(&mut link, events.variant(LINK_TYPES)),
                    "lag" => put(&mut lag, events.string()),
                    _ => None,
                })?;
                let dependency = Dependency {
                    task: task?,
                    link,
                    lag,
                };
                Some(Located::new(dependency, span))
            }
            _ => None,
        }
    }
}

/// The spellings `LinkType` accepts, with its serde aliases.
const LINK_TYPES: &[(&str, LinkType)] = &[
    ("FS", LinkType::FS),
    ("fs", LinkType::FS),
    ("finish-to-start", LinkType::FS),
    ("SS", LinkType::SS),
    ("ss", LinkType::SS),
    ("start-to-start", LinkType::SS),
    ("FF", LinkType::FF),
    ("ff", LinkType::FF),
    ("finish-to-finish", LinkType::FF),
    ("SF", LinkType::SF),
    ("sf", LinkType::SF),
    ("start-to-finish", LinkType::SF),
];

/// Fills `slot` with `value`; `None` when there is no value or the key came before
/// (serde-saphyr reports a repeated key).
fn put<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value?);
    Some(())
}

/// A scalar that serde-saphyr reads into a `String` as it is: anything but plain
/// null-like text (which it reads as `None`, or refuses).
fn text(node: Node<'_>) -> Option<(Cow<'_, str>, Span)> {
    match node {
        Node::Scalar(value, style, span) if !(style == ScalarStyle::Plain && nullish(&value)) => {
            Some((value, span))
        }
        _ => None,
    }
}

/// Plain text serde-saphyr reads as null.
fn nullish(value: &str) -> bool {
    matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

/// Plain text that `deserialize_any` might read as something other than a string:
/// null, a YAML 1.1 boolean, or anything that starts like a number.
fn maybe_not_text(value: &str) -> bool {
    nullish(value)
        || matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
        || value.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
}

/// A parser span as serde-saphyr's `Location` reports it: 1-based line and column, and
/// the byte range.
fn position(span: &granit_parser::Span) -> Option<Span> {
    let start = span.start.byte_offset()?;
    let end = span.end.byte_offset()?;
    let clamp = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    Some(Span {
        line: clamp(span.start.line()),
        col: clamp(span.start.col() + 1),
        offset: clamp(start),
        len: clamp(end.saturating_sub(start)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde-saphyr makes of the same text.
    fn saphyr(text: &str) -> Option<Vec<Located<Task>>> {
        serde_saphyr::from_str(text).ok()
    }

    /// The law: whenever this reader gives tasks, serde-saphyr gives the same ones.
    fn agrees(text: &str) -> Option<Vec<Located<Task>>> {
        let fast = read_tasks(text, 0);
        if let Some(tasks) = &fast {
            assert_eq!(Some(tasks), saphyr(text).as_ref(), "{text}");
        }
        fast
    }

    #[test]
    fn reads_every_field_as_serde_saphyr_does() {
        let text = "\
- id: t0
  name: Réconcile « données »
  workstream: data
  owner: Zoë
  estimate: { best: 1h, likely: 2h, worst: 5h, distribution: triangular }
  calendar: office
  after:
    - t9
    - { task: t8, type: SS, lag: -30m }
    - task: t7
      type: finish-to-finish
  not_before: 2027-01-05T08:00
  deadline: \"2027-02-01T08:00\"
  point_of_no_return: true
  rollback: 2h
  tags: [a, 'b c']
  notes: |
    A note
      indented more

# a comment between items
- { id: t1, name: \"Quoted: \\u00e9\", duration: 1d, after: [t0], milestone: false, go_live: true }
-   id: t2
    name: 'Single ''quoted'' ✓'
    milestone: true
    tags: []
    after: []
- {id: t3, name: a
    folded plain, estimate: {likely: 2h}}
";
        let tasks = agrees(text).expect("plain tasks are read here");
        assert_eq!(tasks.len(), 4);
        let t0 = &tasks[0].value;
        assert_eq!(t0.after.len(), 3);
        assert_eq!(t0.after[1].value.link.as_ref().unwrap().value, LinkType::SS);
        assert_eq!(t0.notes.as_deref(), Some("A note\n  indented more\n"));
        assert_eq!(tasks[3].value.name.as_deref(), Some("a folded plain"));
    }

    #[test]
    fn leaves_anything_unusual_to_serde_saphyr() {
        for text in [
            // Null-like, tagged, anchored, aliased, repeated, unknown, mistyped.
            "- { id: a, owner: ~ }\n",
            "- { id: a, owner: }\n",
            "- { id: !!str a }\n",
            "- { id: &x a, name: *x }\n",
            "- { id: a, id: b }\n",
            "- { id: a, after: [b], after: [c] }\n",
            "- { id: a, bogus: 1 }\n",
            "- { id: a, milestone: yes }\n",
            "- { id: a, milestone: 1 }\n",
            "- { id: a, after: [12] }\n",
            "- { id: a, after: [true] }\n",
            "- { id: a, after: b }\n",
            "- { id: a, after: [{ type: SS }] }\n",
            "- { id: a, after: [{ task: b, type: XX }] }\n",
            "- { id: a, estimate: 2h }\n",
            "- { id: a, estimate: { best: 1h, mode: 2h } }\n",
            "- { id: a, tags: [~] }\n",
            "- { \"id\": a }\n",
            "- a\n",
            "- [a]\n",
            "{ id: a }\n",
            "- { id: a }\n---\n- { id: b }\n",
            "- { id: a\n",
        ] {
            assert!(agrees(text).is_none(), "{text}");
        }
        // Valid either way, but read by serde-saphyr.
        assert!(saphyr("- { id: a, milestone: yes }\n").is_some());
        assert!(saphyr("- { id: !!str a }\n").is_some());
    }

    #[test]
    fn an_empty_list_and_numbers_in_text_fields() {
        assert_eq!(agrees("[]\n"), Some(vec![]));
        // A `String` field takes a plain number as its text, as serde-saphyr does.
        let tasks = agrees("- { id: 12, name: 3.5, duration: 2 }\n").unwrap();
        assert_eq!(tasks[0].value.id.as_ref().unwrap().value, "12");
    }

    #[test]
    fn positions_are_serde_saphyrs_in_multibyte_text() {
        let text = "- { name: «ü», id: x }\n-\n  id: y\n  after: [ x ]\n";
        let tasks = agrees(text).unwrap();
        let id = tasks[0].value.id.as_ref().unwrap();
        assert_eq!((id.span.line, id.span.col), (1, 20)); // columns count characters
        assert_eq!(
            &text[id.span.offset as usize..][..id.span.len as usize],
            "x"
        );
        let after = &tasks[1].value.after[0];
        assert_eq!((after.span.line, after.span.col), (4, 12));
    }
}
