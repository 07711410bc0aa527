//! Gates and their criteria: each gate's id and due time, and each criterion's one
//! check, resolved against the task and workstream ids.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use super::common::{duplicate, loc};
use super::{Checker, is_valid_id};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::runbook::{InFile, Runbook};
use crate::model::{Located, gate};
use crate::project::{Comparison, Criterion, CriterionKind, Due, Gate, TaskId};
use crate::source::{FileId, Origin};
use crate::time::parse_t_minus;

impl Checker {
    pub(super) fn gates(
        &mut self,
        runbook: &Runbook,
        tz: &TimeZone,
        task_index: &HashMap<String, TaskId>,
        workstream_index: &HashMap<String, usize>,
    ) -> Vec<Gate> {
        let mut gates = Vec::new();
        let mut seen: HashMap<String, Origin> = HashMap::new();
        for InFile { file, item } in &runbook.gates {
            let file = *file;
            let g = &item.value;
            let Some(id) = &g.id else {
                self.push(
                    Diagnostic::at(Code::MissingField, loc(file, item), "gate has no `id`")
                        .with_help("give every gate a unique id, e.g. `id: t-2w`"),
                );
                continue;
            };
            let origin = loc(file, id);
            if !self.check_id(origin, &id.value, "gate") {
                continue;
            }
            if let Some(first) = seen.get(&id.value) {
                self.push(duplicate("gate", &id.value, origin, *first));
                continue;
            }
            seen.insert(id.value.clone(), origin);
            let due = match &g.due {
                None => {
                    self.push(
                        Diagnostic::at(
                            Code::MissingField,
                            origin,
                            format!("gate `{}` has no `due`", id.value),
                        )
                        .with_help("write when it is due: `due: T-14d` or an instant"),
                    );
                    None
                }
                Some(text) => match parse_t_minus(&text.value) {
                    Some(Ok(m)) => Some(Due::Relative(m)),
                    Some(Err(e)) => {
                        self.push(
                            Diagnostic::at(Code::InvalidInstant, loc(file, text), e.message)
                                .with_help(e.help),
                        );
                        None
                    }
                    None => self.instant(file, text, tz).map(Due::At),
                },
            };
            if g.criteria.is_empty() {
                self.push(
                    Diagnostic::at(
                        Code::InvalidCriterion,
                        origin,
                        format!("gate `{}` has no criteria", id.value),
                    )
                    .with_help("list what must hold under `criteria:`"),
                );
            }
            let criteria = g
                .criteria
                .iter()
                .filter_map(|c| self.criterion(file, c, task_index, workstream_index))
                .collect();
            if let Some(due) = due {
                gates.push(Gate {
                    id: id.value.clone(),
                    name: g
                        .name
                        .as_ref()
                        .map_or_else(|| id.value.clone(), |n| n.value.clone()),
                    due,
                    owner: g.owner.as_ref().map(|o| o.value.clone()),
                    criteria,
                    origin,
                });
            }
        }
        gates
    }

    fn criterion(
        &mut self,
        file: FileId,
        c: &Located<gate::Criterion>,
        task_index: &HashMap<String, TaskId>,
        workstream_index: &HashMap<String, usize>,
    ) -> Option<Criterion> {
        let origin = loc(file, c);
        let v = &c.value;
        let kinds: Vec<&str> = [
            ("metric", v.metric.is_some()),
            ("tasks_done", v.tasks_done.is_some()),
            ("workstream_done", v.workstream_done.is_some()),
            ("float_to_go_live", v.float_to_go_live.is_some()),
            ("fits_window", v.fits_window.is_some()),
            ("signoff", v.signoff.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, present)| present.then_some(k))
        .collect();
        let invalid = |this: &mut Self, message: String, help: &str| {
            this.push(
                Diagnostic::at(Code::InvalidCriterion, origin, message).with_help(help.to_owned()),
            );
            None
        };
        if kinds.len() != 1 {
            return invalid(
                self,
                if kinds.is_empty() {
                    "criterion says nothing to check".to_owned()
                } else {
                    format!("criterion mixes {}", kinds.join(" and "))
                },
                "give exactly one of: metric, tasks_done, workstream_done, float_to_go_live, fits_window, signoff",
            );
        }
        let thresholds: Vec<(Comparison, &Located<f64>)> = [
            (Comparison::AtLeast, &v.at_least),
            (Comparison::AtMost, &v.at_most),
            (Comparison::Equals, &v.equals),
        ]
        .into_iter()
        .filter_map(|(k, t)| t.as_ref().map(|t| (k, t)))
        .collect();
        if v.by.is_some() && v.signoff.is_none() {
            return invalid(
                self,
                "`by` only applies to a signoff criterion".to_owned(),
                "remove `by`",
            );
        }
        let kind = match kinds[0] {
            "metric" => {
                let metric = v.metric.as_ref()?;
                if thresholds.len() != 1 {
                    return invalid(
                        self,
                        format!("metric `{}` needs exactly one threshold", metric.value),
                        "add one of `at_least: 95`, `at_most: 0`, `equals: 1`",
                    );
                }
                let (comparison, threshold) = thresholds[0];
                if !threshold.value.is_finite() {
                    return invalid(
                        self,
                        "threshold is not a finite number".to_owned(),
                        "write a number",
                    );
                }
                CriterionKind::Metric {
                    metric: metric.value.clone(),
                    comparison,
                    threshold: threshold.value,
                }
            }
            "workstream_done" => {
                let ws = v.workstream_done.as_ref()?;
                let at_least = match thresholds.as_slice() {
                    [(Comparison::AtLeast, t)] if (0.0..=100.0).contains(&t.value) => t.value,
                    _ => {
                        return invalid(
                            self,
                            format!(
                                "workstream_done `{}` needs `at_least` (a percentage, 0 to 100)",
                                ws.value
                            ),
                            "e.g. `{ workstream_done: training, at_least: 90 }`",
                        );
                    }
                };
                let workstream = self.reference(
                    file,
                    ws,
                    workstream_index,
                    Code::UnknownWorkstream,
                    "workstream",
                )?;
                CriterionKind::WorkstreamDone {
                    workstream,
                    at_least,
                }
            }
            other => {
                if !thresholds.is_empty() {
                    return invalid(
                        self,
                        format!("`{other}` takes no at_least, at_most or equals"),
                        "thresholds apply to metric and workstream_done criteria",
                    );
                }
                match other {
                    "tasks_done" => {
                        let ids = v.tasks_done.as_ref()?;
                        if ids.is_empty() {
                            return invalid(
                                self,
                                "tasks_done lists no task".to_owned(),
                                "list task ids: `tasks_done: [dm-dress-rehearsal-3]`",
                            );
                        }
                        let mut found = Vec::with_capacity(ids.len());
                        let mut ok = true;
                        for t in ids {
                            match self.reference(file, t, task_index, Code::UnknownTask, "task") {
                                Some(i) => found.push(i),
                                None => ok = false,
                            }
                        }
                        if !ok {
                            return None;
                        }
                        CriterionKind::TasksDone(found)
                    }
                    "float_to_go_live" => CriterionKind::FloatToGoLive(self.elapsed_duration(
                        file,
                        v.float_to_go_live.as_ref()?,
                        false,
                    )?),
                    "fits_window" => {
                        let f = v.fits_window.as_ref()?;
                        if !f.value {
                            return invalid(
                                self,
                                "`fits_window: false` checks nothing".to_owned(),
                                "write `fits_window: true` or remove the criterion",
                            );
                        }
                        CriterionKind::FitsWindow
                    }
                    _ => {
                        let s = v.signoff.as_ref()?;
                        if !is_valid_id(&s.value) {
                            self.check_id(loc(file, s), &s.value, "signoff");
                            return None;
                        }
                        CriterionKind::Signoff {
                            id: s.value.clone(),
                            by: v.by.as_ref().map(|b| b.value.clone()),
                        }
                    }
                }
            }
        };
        let label = v
            .name
            .as_ref()
            .map_or_else(|| describe(&kind, v), |n| n.value.clone());
        Some(Criterion {
            kind,
            severity: v
                .severity
                .as_ref()
                .map_or_else(Default::default, |s| s.value),
            owner: v.owner.as_ref().map(|o| o.value.clone()),
            label,
            origin,
        })
    }
}

/// A label for a criterion the runbook did not name.
fn describe(kind: &CriterionKind, v: &gate::Criterion) -> String {
    match kind {
        CriterionKind::Metric {
            metric,
            comparison,
            threshold,
        } => {
            let op = comparison.sign();
            format!("{metric} {op} {threshold}")
        }
        CriterionKind::TasksDone(_) => {
            let ids: Vec<&str> = v
                .tasks_done
                .iter()
                .flatten()
                .map(|t| t.value.as_str())
                .collect();
            format!("done: {}", ids.join(", "))
        }
        CriterionKind::WorkstreamDone { at_least, .. } => format!(
            "workstream {} >= {at_least}% done",
            v.workstream_done.as_ref().map_or("", |w| w.value.as_str())
        ),
        CriterionKind::FloatToGoLive(_) => format!(
            "float to go-live >= {}",
            v.float_to_go_live.as_ref().map_or("", |f| f.value.as_str())
        ),
        CriterionKind::FitsWindow => "plan fits the cutover window".to_owned(),
        CriterionKind::Signoff { id, by } => match by {
            Some(by) => format!("signed off: {id} ({by})"),
            None => format!("signed off: {id}"),
        },
    }
}
