//! Workstreams: their ids, names and leads, and the warning for a workstream no task
//! belongs to.

use std::collections::HashMap;

use super::Checker;
use super::common::{duplicate, loc};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::runbook::{InFile, Runbook};
use crate::project::Workstream;
use crate::source::Origin;

/// The workstreams, resolved: what tasks and gates look up.
pub(super) struct Workstreams {
    /// In the order written.
    pub(super) list: Vec<Workstream>,
    /// Each workstream's place in `list`, by id.
    pub(super) index: HashMap<String, usize>,
    /// Where each workstream's id was written, by place in `list`.
    pub(super) origin: Vec<Origin>,
}

impl Checker {
    /// The workstreams, in the order written.
    pub(super) fn workstreams(&mut self, runbook: &Runbook) -> Workstreams {
        let mut workstreams = Vec::new();
        let mut workstream_index: HashMap<String, usize> = HashMap::new();
        let mut workstream_origin = Vec::new();
        for InFile {
            file,
            item: (id, ws),
        } in &runbook.workstreams
        {
            let origin = loc(*file, id);
            if !self.check_id(origin, &id.value, "workstream") {
                continue;
            }
            if let Some(&first) = workstream_index.get(&id.value) {
                self.push(duplicate(
                    "workstream",
                    &id.value,
                    origin,
                    workstream_origin[first],
                ));
                continue;
            }
            workstream_index.insert(id.value.clone(), workstreams.len());
            workstream_origin.push(origin);
            workstreams.push(Workstream {
                id: id.value.clone(),
                name: ws
                    .value
                    .name
                    .as_ref()
                    .map_or_else(|| id.value.clone(), |n| n.value.clone()),
                lead: ws.value.lead.as_ref().map(|l| l.value.clone()),
            });
        }
        Workstreams {
            list: workstreams,
            index: workstream_index,
            origin: workstream_origin,
        }
    }

    /// Warns about each workstream no task belongs to (`used` is by workstream).
    pub(super) fn unused_workstreams(&mut self, workstreams: &Workstreams, used: &[bool]) {
        for (i, used) in used.iter().enumerate() {
            if !used {
                self.push(
                    Diagnostic::at(
                        Code::EmptyWorkstream,
                        workstreams.origin[i],
                        format!("no task belongs to workstream `{}`", workstreams.list[i].id),
                    )
                    .with_help("add `workstream:` to its tasks, or remove the workstream"),
                );
            }
        }
    }
}
