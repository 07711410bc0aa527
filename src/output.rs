//! Where a command's result goes, and writing it without ever losing anything.
//!
//! A result goes to standard output (no `--out`, or `--out -`) or to a file. A file is
//! written atomically: a temporary file in the same directory, flushed to disk, then
//! renamed over the target, so readers see the old file or the new one, never a mix.
//! Around that, the rules in `docs/decision.md` ("Writing the result to a file"):
//!
//! - a file the command read (runbook, include, status file) is never the target,
//!   compared by canonical path and by device and inode;
//! - a file with no write permission (such as 0444), or one the user may not write,
//!   is refused rather than replaced;
//! - a device, FIFO or socket (`/dev/null`, `/dev/stdout`) is written in place, never
//!   renamed over;
//! - a symbolic link is followed: the file it points to is replaced, not the link;
//! - temporary files (`.cutover-XXXXXX.tmp`) that an interrupted write (`kill -9`,
//!   power loss) left in the target's directory, owned by the same user and more than
//!   [`STALE_AFTER_SECS`] older than the new one, are removed on the next write there.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file exists and `--force` was not given.
    #[error("{} already exists (use --force to replace it)", .0.display())]
    Exists(PathBuf),
    /// The target is a file the command read (compared by path and by device and inode).
    #[error(
        "refusing to write {}: the command read {} as input, and writing the result there would replace it",
        target.display(),
        input.display()
    )]
    IsInput {
        /// The `--out` path as given.
        target: PathBuf,
        /// The input it names.
        input: PathBuf,
    },
    /// The target exists and has no write permission.
    #[error(
        "refusing to replace {}: the file is read-only (make it writable, or choose another file)",
        .0.display()
    )]
    ReadOnly(PathBuf),
    /// The target is a directory.
    #[error("cannot write {}: it is a directory (name a file in it)", .0.display())]
    IsDirectory(PathBuf),
    /// The file could not be written (its directory, the temporary file, or the rename).
    #[error("cannot write {}", path.display())]
    Io {
        /// The file that could not be written.
        path: PathBuf,
        /// Why the operating system refused.
        #[source]
        source: std::io::Error,
    },
}

/// Where a result goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Standard output: no `--out`, or `--out -`.
    Stdout,
    /// A file (or a device, FIFO or socket, written in place).
    File(PathBuf),
}

impl Target {
    /// The target `--out` names: `-` (or nothing) is standard output, as in most tools.
    pub fn of(out: Option<&Path>) -> Target {
        match out {
            None => Target::Stdout,
            Some(p) if p.as_os_str() == "-" => Target::Stdout,
            Some(p) => Target::File(p.to_path_buf()),
        }
    }
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file written: the target, or the file a symbolic link there points to.
    pub path: PathBuf,
    /// Written in place (a device, FIFO or socket) rather than replaced.
    pub in_place: bool,
    /// Stale temporary files of an interrupted earlier write removed from the directory.
    pub stale_removed: usize,
}

/// A temporary file this old (by modification time) next to a newer one of ours
/// belongs to a write that died: writes take seconds, and an active one keeps its
/// file's modification time current.
pub const STALE_AFTER_SECS: u64 = 10 * 60;

const TEMP_PREFIX: &str = ".cutover-";
const TEMP_SUFFIX: &str = ".tmp";

/// Writes `contents` as a command's result at `path`, refusing any of `inputs` (the
/// files the command read) as the target. See the module documentation.
pub fn write_output(
    path: &Path,
    contents: &[u8],
    inputs: &[PathBuf],
) -> Result<Written, WriteError> {
    refuse_inputs(path, inputs)?;
    write_atomic(path, contents)
}

/// Refuses `target` when it is one of `inputs`: the same canonical path (so `dir/..`
/// and symbolic links are seen through), or the same device and inode (hard links).
pub fn refuse_inputs(target: &Path, inputs: &[PathBuf]) -> Result<(), WriteError> {
    let target_id = Identity::of(target);
    for input in inputs {
        if target_id.same_as(&Identity::of(input)) {
            return Err(WriteError::IsInput {
                target: target.to_path_buf(),
                input: input.clone(),
            });
        }
    }
    Ok(())
}

/// A file as far as it can be told apart from others.
struct Identity {
    /// Canonical path, or for a file not there yet its directory's canonical path
    /// joined with its name.
    path: Option<PathBuf>,
    /// Device and inode, where the file exists.
    inode: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Identity {
        let canonical = fs::canonicalize(path).ok().or_else(|| {
            let name = path.file_name()?;
            let dir = parent_dir(path);
            Some(fs::canonicalize(dir).ok()?.join(name))
        });
        Identity {
            path: canonical,
            inode: fs::metadata(path).ok().and_then(|m| inode(&m)),
        }
    }

    fn same_as(&self, other: &Identity) -> bool {
        let same_path = matches!((&self.path, &other.path), (Some(a), Some(b)) if a == b);
        let same_inode = matches!((self.inode, other.inode), (Some(a), Some(b)) if a == b);
        same_path || same_inode
    }
}

#[cfg(unix)]
#[allow(
    clippy::unnecessary_wraps,
    reason = "the same signature as the non-Unix version, which has no inode"
)]
fn inode(meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn inode(_: &fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The directory a path's file is in (`.` for a bare name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Replaces `path` with `contents` atomically: readers see the old file or the new
/// one, never a mix, and a failed write leaves the old file untouched. A device, FIFO
/// or socket is written in place; a read-only file or a directory is refused.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<Written, WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let target = match fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err(WriteError::IsDirectory(path.to_path_buf())),
        Ok(m) if !m.is_file() => return write_in_place(path, contents),
        Ok(m) => {
            refuse_read_only(path, &m)?;
            // Follow a symbolic link: replace the file, keep the link.
            fs::canonicalize(path).map_err(io)?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(io(e)),
    };
    let (temp, stale_removed) = write_temp(&target, contents)?;
    temp.persist(&target).map_err(|e| WriteError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(Written {
        path: target,
        in_place: false,
        stale_removed,
    })
}

/// Creates `path` with `contents` atomically, refusing to replace an existing file.
pub fn create_atomic(path: &Path, contents: &[u8]) -> Result<Written, WriteError> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    let (temp, stale_removed) = write_temp(path, contents)?;
    temp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.to_path_buf())
        } else {
            WriteError::Io {
                path: path.to_path_buf(),
                source: e.error,
            }
        }
    })?;
    Ok(Written {
        path: path.to_path_buf(),
        in_place: false,
        stale_removed,
    })
}

/// A file without write permission (no `w` bit at all, as 0444, even for root), or one
/// this user may not open for writing, is not replaced behind its owner's back.
fn refuse_read_only(path: &Path, meta: &fs::Metadata) -> Result<(), WriteError> {
    let denied = meta.permissions().readonly()
        || matches!(
            fs::OpenOptions::new().write(true).open(path),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied
        );
    if denied {
        Err(WriteError::ReadOnly(path.to_path_buf()))
    } else {
        Ok(())
    }
}

/// Writes to a device, FIFO or socket as `> path` would: renaming a file over it
/// would replace the node itself (as root, `/dev/null` for the whole machine).
fn write_in_place(path: &Path, contents: &[u8]) -> Result<Written, WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = fs::OpenOptions::new().write(true).open(path).map_err(io)?;
    file.write_all(contents).map_err(io)?;
    file.flush().map_err(io)?;
    Ok(Written {
        path: path.to_path_buf(),
        in_place: true,
        stale_removed: 0,
    })
}

/// Writes `contents` to a new temporary file next to `path`, with the permissions the
/// result should have, and removes stale ones left there by interrupted writes.
fn write_temp(
    path: &Path,
    contents: &[u8],
) -> Result<(tempfile::NamedTempFile, usize), WriteError> {
    let io = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = parent_dir(path);
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(io)?;
    temp.write_all(contents).map_err(io)?;
    // The temporary file is private (0600); give the result the permissions of the
    // file it replaces, or the usual 0644 for a new one.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        temp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))
            .map_err(io)?;
    }
    temp.as_file().sync_all().map_err(io)?;
    let removed = remove_stale(dir, temp.path());
    Ok((temp, removed))
}

/// Is `name` one of our temporary files' names (`.cutover-` + random letters + `.tmp`)?
fn is_temp_name(name: &OsStr) -> bool {
    name.to_str()
        .and_then(|n| n.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX))
        .is_some_and(|mid| {
            (1..=16).contains(&mid.len()) && mid.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// Removes temporary files of ours in `dir` that are stale next to `fresh` (the one
/// just written): regular files with our name pattern, the same owner, and modified
/// more than [`STALE_AFTER_SECS`] before it. Times come from the file system, so no
/// clock is read. Best effort: a file that cannot be removed is left.
fn remove_stale(dir: &Path, fresh: &Path) -> usize {
    let Ok(ours) = fs::metadata(fresh) else {
        return 0;
    };
    let Ok(now) = ours.modified() else {
        return 0;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !is_temp_name(&name) || Some(name.as_os_str()) == fresh.file_name() {
            continue;
        }
        let Ok(meta) = entry.path().symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok());
        let stale = old.is_some_and(|age| age.as_secs() > STALE_AFTER_SECS);
        if meta.is_file()
            && same_owner(&meta, &ours)
            && stale
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

#[cfg(unix)]
fn same_owner(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    a.uid() == b.uid()
}

#[cfg(not(unix))]
fn same_owner(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests;
