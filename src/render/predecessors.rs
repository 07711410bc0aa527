//! A task's predecessors as one line of text, the same way wherever a task is listed:
//! `plan --format csv` (ids, lags in working days), `export --format csv` (ids, lags
//! as `cutover import` reads them back) and the runsheet (names).

use crate::project::LinkType;

/// One link from a predecessor, as the line names it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkText<'a> {
    /// How the predecessor is named: its id, or its name.
    pub(crate) task: &'a str,
    /// FS, SS, FF or SF.
    pub(crate) link: LinkType,
    /// The lag (negative: a lead): working minutes on the successor's calendar, or
    /// elapsed minutes when `elapsed`.
    pub(crate) lag_minutes: i64,
    /// The lag is wall-clock time, whatever the calendar.
    pub(crate) elapsed: bool,
}

/// How lags are written and links are separated.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Lags {
    /// In the successor calendar's working days and hours, `elapsed` said, links
    /// separated by `; ` (task names hold commas): `extract SS+1d; freeze`. `day` is
    /// one working day of that calendar, in minutes.
    Working {
        /// Minutes in one working day of the successor's calendar.
        day: i64,
    },
    /// In hours and minutes, links separated by `, `, as `cutover import` reads them
    /// back (an elapsed lag is in the import's hours already): `extract SS+1h 30m, freeze`.
    Import,
}

/// The links as a person writes them: the predecessor alone for a plain
/// finish-to-start link, else its type and any lag (`dm-extract SS+2h`).
pub(crate) fn predecessor_text<'a>(
    links: impl IntoIterator<Item = LinkText<'a>>,
    lags: Lags,
) -> String {
    let separator = match lags {
        Lags::Working { .. } => "; ",
        Lags::Import => ", ",
    };
    let mut out = String::new();
    for (i, l) in links.into_iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(l.task);
        if l.link == LinkType::FS && l.lag_minutes == 0 {
            continue;
        }
        out.push(' ');
        out.push_str(&l.link.to_string());
        if l.lag_minutes == 0 {
            continue;
        }
        out.push(if l.lag_minutes < 0 { '-' } else { '+' });
        let lag = l.lag_minutes.abs();
        match lags {
            Lags::Working { day } => {
                out.push_str(&crate::time::work_label(lag, day).replace(' ', ""));
                if l.elapsed {
                    out.push_str(" elapsed");
                }
            }
            Lags::Import => out.push_str(&hours_and_minutes(lag)),
        }
    }
    out
}

/// `1h 30m`, `45m`, `2h`.
fn hours_and_minutes(m: i64) -> String {
    match (m / 60, m % 60) {
        (0, min) => format!("{min}m"),
        (h, 0) => format!("{h}h"),
        (h, min) => format!("{h}h {min}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(task: &str, link: LinkType, lag_minutes: i64, elapsed: bool) -> LinkText<'_> {
        LinkText {
            task,
            link,
            lag_minutes,
            elapsed,
        }
    }

    #[test]
    fn plain_links_are_the_task_alone_and_others_carry_type_and_lag() {
        let links = [
            link("Freeze the PAS, then back up", LinkType::FS, 0, false),
            link("extract", LinkType::SS, 600, false),
            link("load", LinkType::FF, -90, true),
            link("check", LinkType::SF, 0, false),
        ];
        assert_eq!(
            predecessor_text(links, Lags::Working { day: 480 }),
            "Freeze the PAS, then back up; extract SS+1d2h; load FF-1h30m elapsed; check SF"
        );
        assert_eq!(
            predecessor_text(links, Lags::Import),
            "Freeze the PAS, then back up, extract SS+10h, load FF-1h 30m, check SF"
        );
        assert_eq!(
            predecessor_text(
                [link("a", LinkType::FS, 120, false)],
                Lags::Working { day: 1440 }
            ),
            "a FS+2h"
        );
        assert_eq!(predecessor_text([], Lags::Import), "");
    }

    #[test]
    fn import_lags_read_back() {
        assert_eq!(hours_and_minutes(90), "1h 30m");
        assert_eq!(hours_and_minutes(45), "45m");
        assert_eq!(hours_and_minutes(120), "2h");
    }
}
