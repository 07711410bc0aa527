//! Finds the runbook a part (a file named in an `include:`) belongs to, so that
//! `validate PART` checks it as that runbook sees it, with its calendars, workstreams
//! and tasks.
//!
//! The runbook is the one a `# cutover-runbook: PATH` comment in the part names (the
//! path relative to the part), else every runbook that includes the part found in the
//! part's folder and the folders above it, up to the repository's root (the folder
//! holding `.git`), or [`LEVELS_OUTSIDE_GIT`] folders up outside a repository.

use std::path::{Path, PathBuf};

use super::canonical;
use super::sniff::{self, Kind, Marker};
use crate::load::{Limits, load_runbook};
use crate::source::Sources;

/// How many folders above a part are searched when it is not in a git repository.
pub(crate) const LEVELS_OUTSIDE_GIT: usize = 2;

/// How many folders above a part are searched at most, in a repository.
const MAX_LEVELS: usize = 16;

/// How the runbooks of a part were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartFoundBy {
    /// A runbook named to `validate` too includes it.
    Named,
    /// Named by the part's `# cutover-runbook:` comment.
    Marker,
    /// Found by searching the folders around the part for runbooks that include it.
    Search,
}

impl PartFoundBy {
    /// The JSON value: `marker` or `search`.
    pub fn name(self) -> &'static str {
        match self {
            PartFoundBy::Named => "named",
            PartFoundBy::Marker => "marker",
            PartFoundBy::Search => "search",
        }
    }

    /// How, in words (after "checked as part of RUNBOOK").
    pub fn label(self) -> &'static str {
        match self {
            PartFoundBy::Named => "named too",
            PartFoundBy::Marker => "named by the `# cutover-runbook:` comment",
            PartFoundBy::Search => "found in the folders above",
        }
    }
}

/// The runbooks a part belongs to, or why none was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owners {
    Found(Vec<PathBuf>, PartFoundBy),
    /// The marker names a file that cannot be read or that does not include the part.
    BadMarker {
        marker: Marker,
        why: String,
    },
    /// No runbook including the part was found.
    NotFound {
        searched: Vec<PathBuf>,
    },
}

/// The runbooks the part at `path` belongs to.
pub(crate) fn owners(path: &Path, marker: Option<&Marker>, limits: &Limits) -> Owners {
    let me = canonical(path);
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if let Some(marker) = marker {
        let runbook = tidy(folder.join(&marker.path));
        let why = if !runbook.is_file() {
            format!("`{}` is not a file", runbook.display())
        } else if !includes(&runbook, &me, limits) {
            format!(
                "`{}` does not include this file (directly or through its includes)",
                runbook.display()
            )
        } else {
            return Owners::Found(vec![runbook], PartFoundBy::Marker);
        };
        return Owners::BadMarker {
            marker: marker.clone(),
            why,
        };
    }
    let searched = folders_to_search(&folder);
    let mut found = Vec::new();
    for dir in &searched {
        for candidate in runbooks_in(dir) {
            if canonical(&candidate) != me && includes(&candidate, &me, limits) {
                found.push(candidate);
            }
        }
    }
    if found.is_empty() {
        Owners::NotFound { searched }
    } else {
        Owners::Found(found, PartFoundBy::Search)
    }
}

/// `folder` and the folders above it, up to the repository root or
/// [`LEVELS_OUTSIDE_GIT`] up when there is none.
fn folders_to_search(folder: &Path) -> Vec<PathBuf> {
    let absolute = canonical(folder);
    let root = absolute
        .ancestors()
        .take(MAX_LEVELS + 1)
        .position(|d| d.join(".git").exists());
    let levels = root.unwrap_or(LEVELS_OUTSIDE_GIT);
    // Walk up by `..` from the folder as named, so paths stay as the user wrote them.
    let mut out = Vec::new();
    let mut dir = folder.to_path_buf();
    for level in 0..=levels {
        if level > 0 && absolute.ancestors().nth(level).is_none() {
            break;
        }
        out.push(dir.clone());
        dir = dir.join("..");
    }
    out.into_iter().map(tidy).collect()
}

/// `a/b/../..` written as `.`, `a/b/..` as `a`, for messages people read.
fn tidy(path: PathBuf) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir
                if out
                    .components()
                    .next_back()
                    .is_some_and(|c| matches!(c, std::path::Component::Normal(_))) =>
            {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// The runbooks (by their first lines) in `dir`, in name order.
fn runbooks_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| super::is_yaml_name(p) && p.is_file())
        .filter(|p| sniff::kind(p, &super::head(p)) == Kind::Runbook)
        .map(|p| match dir.to_str() {
            Some(".") => p.strip_prefix(".").map(Path::to_path_buf).unwrap_or(p),
            _ => p,
        })
        .collect();
    found.sort();
    found
}

/// Whether the runbook at `runbook` includes the file whose canonical path is `part`,
/// directly or through its includes.
fn includes(runbook: &Path, part: &Path, limits: &Limits) -> bool {
    let mut sources = Sources::default();
    if load_runbook(runbook, &mut sources, limits).is_err() {
        return false;
    }
    sources
        .iter()
        .skip(1)
        .any(|(_, f)| canonical(&f.path) == part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_folds_parent_folders_into_the_path_written() {
        assert_eq!(tidy(PathBuf::from("a/b/..")), PathBuf::from("a"));
        assert_eq!(tidy(PathBuf::from("a/b/../..")), PathBuf::from("."));
        assert_eq!(tidy(PathBuf::from("./..")), PathBuf::from(".."));
        assert_eq!(tidy(PathBuf::from("a/../../x")), PathBuf::from("../x"));
    }
}
