//! Scenarios: what each one changes (go-live, slips, durations, estimates, metrics,
//! tasks done), resolved against the tasks and kept inside the plan's horizon.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use super::Checker;
use super::common::{duplicate, loc};
use crate::calendar::Calendar;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::runbook::{InFile, Runbook};
use crate::model::{Text, scenario};
use crate::project::{Scenario, Task, TaskId};
use crate::source::Origin;
use crate::time::{HORIZON_YEARS, Horizon, Moment, local_label};

impl Checker {
    pub(super) fn scenarios(
        &mut self,
        runbook: &Runbook,
        tz: &TimeZone,
        go_live: Option<(Moment, Horizon, Moment)>,
        task_index: &HashMap<String, TaskId>,
        tasks: &[Task],
        calendars: &[Calendar],
    ) -> Vec<Scenario> {
        let mut out = Vec::new();
        let mut seen: HashMap<String, Origin> = HashMap::new();
        for InFile { file, item } in &runbook.scenarios {
            let file = *file;
            let s: &scenario::Scenario = &item.value;
            let Some(id) = &s.id else {
                self.push(
                    Diagnostic::at(Code::MissingField, loc(file, item), "scenario has no `id`")
                        .with_help("give every scenario a unique id, e.g. `id: defer-4w`"),
                );
                continue;
            };
            let origin = loc(file, id);
            if !self.check_id(origin, &id.value, "scenario") {
                continue;
            }
            if let Some(first) = seen.get(&id.value) {
                self.push(duplicate("scenario", &id.value, origin, *first));
                continue;
            }
            seen.insert(id.value.clone(), origin);
            let errors = self.error_count();
            let mut sc = Scenario {
                id: id.value.clone(),
                name: s
                    .name
                    .as_ref()
                    .map_or_else(|| id.value.clone(), |n| n.value.clone()),
                origin,
                ..Default::default()
            };
            if let (Some(_), Some(g)) = (&s.defer_go_live, &s.go_live) {
                self.push(
                    Diagnostic::at(
                        Code::InvalidScenario,
                        loc(file, g),
                        "scenario both defers go-live and sets it",
                    )
                    .with_help("keep `defer_go_live` or `go_live`, not both"),
                );
            }
            if let Some(d) = &s.defer_go_live {
                sc.defer = self.elapsed_duration(file, d, false);
            }
            if let Some(g) = &s.go_live {
                sc.go_live = self.instant(file, g, tz);
            }
            // Go-live must stay inside the plan's horizon, or nothing could be planned.
            let moved = match (sc.go_live, &s.go_live, sc.defer, &s.defer_go_live, go_live) {
                (Some(at), Some(text), _, _, Some((_, h, start))) => Some((at, text, h, start)),
                (None, None, Some(d), Some(text), Some((base, h, start))) => {
                    Some((base.shift_local(tz, d), text, h, start))
                }
                _ => None,
            };
            if let Some((at, text, _, start)) = moved
                && at <= start
            {
                self.push(
                    Diagnostic::at(
                        Code::InvalidScenario,
                        loc(file, text),
                        format!(
                            "the scenario moves go-live to {}, not after the plan's start ({})",
                            local_label(at, tz),
                            local_label(start, tz)
                        ),
                    )
                    .with_help("go-live must stay after `start`, as in the runbook itself"),
                );
            } else if let Some((at, text, h, _)) = moved
                && !h.contains(at)
            {
                self.push(
                    Diagnostic::at(
                        Code::InvalidScenario,
                        loc(file, text),
                        format!(
                            "the scenario moves go-live to {}, outside the plan's horizon",
                            local_label(at, tz)
                        ),
                    )
                    .with_help(format!(
                        "a plan may use {} to {}, {HORIZON_YEARS} years before the start and after go-live",
                        local_label(h.from, tz),
                        local_label(h.until, tz)
                    )),
                );
            }
            let task_work = |this: &mut Self,
                             key: &Text,
                             text: &Text,
                             negative: bool|
             -> Option<(TaskId, i64)> {
                let t = this.reference(file, key, task_index, Code::UnknownTask, "task")?;
                let cal = &calendars[tasks.get(t)?.calendar];
                let spec = this.duration(file, text, negative)?;
                Some((t, spec.minutes_with(cal.day_minutes, cal.week_minutes)))
            };
            for (key, text) in s.slip.iter().flat_map(|m| m.iter()) {
                if let Some(x) = task_work(self, key, text, true) {
                    sc.slips.push(x);
                }
            }
            for (key, text) in s.durations.iter().flat_map(|m| m.iter()) {
                if let Some(x) = task_work(self, key, text, false) {
                    sc.durations.push(x);
                }
            }
            for (key, e) in s.estimates.iter().flat_map(|m| m.iter()) {
                let Some(t) = self.reference(file, key, task_index, Code::UnknownTask, "task")
                else {
                    continue;
                };
                let cal = &calendars[tasks[t].calendar];
                if let Some(est) = self.estimate(file, e, cal.day_minutes, cal.week_minutes) {
                    sc.estimates.push((t, est));
                }
            }
            for (key, value) in s.metrics.iter().flat_map(|m| m.iter()) {
                sc.metrics.push((key.value.clone(), value.value));
            }
            for t in s.done.iter().flatten() {
                if let Some(i) = self.reference(file, t, task_index, Code::UnknownTask, "task") {
                    sc.done.push(i);
                }
            }
            let changes_nothing = sc.defer.is_none()
                && sc.go_live.is_none()
                && sc.slips.is_empty()
                && sc.durations.is_empty()
                && sc.estimates.is_empty()
                && sc.metrics.is_empty()
                && sc.done.is_empty();
            if changes_nothing && self.error_count() == errors {
                self.push(
                    Diagnostic::at(
                        Code::InvalidScenario,
                        origin,
                        format!("scenario `{}` changes nothing", id.value),
                    )
                    .with_help(
                        "add defer_go_live, go_live, slip, durations, estimates, metrics or done",
                    ),
                );
            }
            out.push(sc);
        }
        out
    }
}
