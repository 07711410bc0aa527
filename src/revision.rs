//! Runbooks as they were at a git revision, read with the `git` binary
//! (`git cat-file blob REV:path`), so `cutover diff --git REV` compares the working
//! copy with a commit, includes resolved at that commit.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::load::Files;

/// Why a revision cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The `git` binary could not be started.
    #[error("cannot run git: {0}")]
    Spawn(#[source] io::Error),
    /// `git rev-parse` does not know the revision.
    #[error("`{rev}` is not a revision git knows{}", detail(.stderr))]
    UnknownRevision {
        /// The revision as given.
        rev: String,
        /// What git said.
        stderr: String,
    },
    /// Another git command failed.
    #[error("git {args} failed{}", detail(.stderr))]
    Failed {
        /// Its arguments.
        args: String,
        /// What git said.
        stderr: String,
    },
    /// A revision that git would read as an option.
    #[error("a revision may not start with `-`: `{0}`")]
    OptionLike(String),
}

fn detail(stderr: &str) -> String {
    let line = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if line.is_empty() {
        String::new()
    } else {
        format!(": {}", line.trim())
    }
}

/// A commit of the repository around the current directory.
#[derive(Debug, Clone)]
pub struct Revision {
    /// As the user wrote it (`HEAD~1`, `origin/main`).
    pub name: String,
    /// The commit it names.
    pub commit: String,
    /// The current directory, relative to the repository's top (empty at the top).
    prefix: PathBuf,
    /// The repository's top directory.
    toplevel: PathBuf,
}

fn git(args: &[&str]) -> Result<std::process::Output, GitError> {
    Command::new("git")
        .args(args)
        .output()
        .map_err(GitError::Spawn)
}

fn stdout_line(args: &[&str]) -> Result<String, GitError> {
    let out = git(args)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            args: args.join(" "),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim_end_matches(['\n', '\r'])
        .to_owned())
}

impl Revision {
    /// Resolves `rev` in the repository around the current directory.
    pub fn open(rev: &str) -> Result<Revision, GitError> {
        if rev.starts_with('-') {
            return Err(GitError::OptionLike(rev.to_owned()));
        }
        let out = git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ])?;
        if !out.status.success() {
            return Err(GitError::UnknownRevision {
                rev: rev.to_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        let commit = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let toplevel = PathBuf::from(stdout_line(&["rev-parse", "--show-toplevel"])?);
        let prefix = PathBuf::from(stdout_line(&["rev-parse", "--show-prefix"])?);
        Ok(Revision {
            name: rev.to_owned(),
            commit,
            prefix,
            toplevel,
        })
    }

    /// `path` (relative to the current directory, or absolute) as a path from the
    /// repository's top, with `.` and `..` resolved; `None` outside the repository.
    pub fn in_repository(&self, path: &Path) -> Option<PathBuf> {
        let joined = if path.is_absolute() {
            let top = std::fs::canonicalize(&self.toplevel).unwrap_or(self.toplevel.clone());
            let within = path
                .strip_prefix(&self.toplevel)
                .or_else(|_| path.strip_prefix(&top))
                .ok()?;
            within.to_path_buf()
        } else {
            self.prefix.join(path)
        };
        let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
        for c in joined.components() {
            match c {
                Component::Normal(p) => parts.push(p),
                Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop()?;
                }
                Component::RootDir | Component::Prefix(_) => return None,
            }
        }
        Some(parts.iter().collect())
    }

    /// The files (from the repository's top) that differ between the revision and the
    /// working copy.
    pub fn changed_files(&self) -> Result<Vec<PathBuf>, GitError> {
        let args = [
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            &self.commit,
            "--",
        ];
        let out = git(&args)?;
        if !out.status.success() {
            return Err(GitError::Failed {
                args: args.join(" "),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            });
        }
        Ok(out
            .stdout
            .split(|&b| b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
            .collect())
    }
}

impl Files for Revision {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Result<Vec<u8>, Option<u64>>> {
        let not_found = || {
            io::Error::new(
                io::ErrorKind::NotFound,
                format!("not in revision {}", self.name),
            )
        };
        let inside = self.in_repository(path).ok_or_else(not_found)?;
        let spec = format!(
            "{}:{}",
            self.commit,
            inside.to_string_lossy().replace('\\', "/")
        );
        let out = Command::new("git")
            .args(["cat-file", "blob", &spec])
            .output()?;
        if !out.status.success() {
            return Err(not_found());
        }
        let size = out.stdout.len() as u64;
        if size > limit {
            return Ok(Err(Some(size)));
        }
        Ok(Ok(out.stdout))
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        self.in_repository(path)
            .unwrap_or_else(|| path.to_path_buf())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(prefix: &str) -> Revision {
        Revision {
            name: "HEAD".to_owned(),
            commit: "0".repeat(40),
            prefix: PathBuf::from(prefix),
            toplevel: PathBuf::from("/repo"),
        }
    }

    #[test]
    fn paths_are_taken_from_the_repository_top() {
        let r = at("runbooks/");
        assert_eq!(
            r.in_repository(Path::new("a/../b/./c.yaml")),
            Some(PathBuf::from("runbooks/b/c.yaml"))
        );
        assert_eq!(
            r.in_repository(Path::new("../shared.yaml")),
            Some(PathBuf::from("shared.yaml"))
        );
        assert_eq!(r.in_repository(Path::new("../../outside.yaml")), None);
        assert_eq!(
            r.in_repository(Path::new("/repo/x/y.yaml")),
            Some(PathBuf::from("x/y.yaml"))
        );
        assert_eq!(r.in_repository(Path::new("/elsewhere/y.yaml")), None);
    }
}
