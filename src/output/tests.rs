use std::fs;
use std::path::{Path, PathBuf};

use super::*;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn new_files_are_readable_by_others_and_replaced_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = dir();
    let path = dir.path().join("report.html");
    write_atomic(&path, b"one").unwrap();
    assert_eq!(mode(&path), 0o644);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    write_atomic(&path, b"two").unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(fs::read(&path).unwrap(), b"two");
}

#[test]
fn replaces_and_refuses_as_asked() {
    let dir = dir();
    let path = dir.path().join("out.txt");
    create_atomic(&path, b"one").unwrap();
    assert!(matches!(
        create_atomic(&path, b"two"),
        Err(WriteError::Exists(_))
    ));
    assert_eq!(fs::read(&path).unwrap(), b"one");
    write_atomic(&path, b"three").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"three");
    // No temporary files are left behind.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_directory_is_refused_and_the_old_file_kept() {
    let dir = dir();
    let path = dir.path().join("out.txt");
    write_atomic(&path, b"old").unwrap();
    let blocked = dir.path().join("blocked");
    fs::create_dir(&blocked).unwrap();
    let err = write_atomic(&blocked, b"new").unwrap_err();
    assert!(matches!(err, WriteError::IsDirectory(_)), "{err}");
    assert_eq!(fs::read(&path).unwrap(), b"old");
    assert!(blocked.is_dir());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn dash_is_standard_output() {
    assert_eq!(Target::of(None), Target::Stdout);
    assert_eq!(Target::of(Some(Path::new("-"))), Target::Stdout);
    assert_eq!(
        Target::of(Some(Path::new("./-"))),
        Target::File(PathBuf::from("./-"))
    );
}

#[test]
fn an_input_is_refused_by_any_path_that_reaches_it() {
    let dir = dir();
    let input = dir.path().join("rb.yaml");
    fs::write(&input, "runbook: r\n").unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    let inputs = [input.clone()];
    let through_dotdot = dir.path().join("sub/../rb.yaml");
    let through_dot = dir.path().join("./rb.yaml");
    for target in [&input, &through_dotdot, &through_dot] {
        let err = write_output(target, b"report", &inputs).unwrap_err();
        match &err {
            WriteError::IsInput { input: named, .. } => assert_eq!(named, &input),
            other => panic!("{other}"),
        }
        assert!(err.to_string().contains("rb.yaml as input"), "{err}");
    }
    assert_eq!(fs::read_to_string(&input).unwrap(), "runbook: r\n");
    // Another file in the same directory is fine.
    write_output(&dir.path().join("report.txt"), b"report", &inputs).unwrap();
}

#[cfg(unix)]
#[test]
fn an_input_is_refused_through_a_symbolic_or_hard_link() {
    let dir = dir();
    let input = dir.path().join("rb.status.yaml");
    fs::write(&input, "as_of: 2027-01-01\n").unwrap();
    let soft = dir.path().join("soft.yaml");
    let hard = dir.path().join("hard.yaml");
    std::os::unix::fs::symlink(&input, &soft).unwrap();
    fs::hard_link(&input, &hard).unwrap();
    for target in [&soft, &hard] {
        assert!(matches!(
            write_output(target, b"x", std::slice::from_ref(&input)),
            Err(WriteError::IsInput { .. })
        ));
    }
    assert_eq!(fs::read_to_string(&input).unwrap(), "as_of: 2027-01-01\n");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_followed_not_replaced() {
    let dir = dir();
    let real = dir.path().join("real.txt");
    fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.txt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let written = write_atomic(&link, b"new").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&real).unwrap(), b"new");
    assert_eq!(written.path, fs::canonicalize(&real).unwrap());
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = dir();
    let path = dir.path().join("signed-off.html");
    fs::write(&path, "the signed copy").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let err = write_atomic(&path, b"new").unwrap_err();
    assert!(matches!(err, WriteError::ReadOnly(_)), "{err}");
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), "the signed copy");
    assert_eq!(mode(&path), 0o444);
}

#[test]
fn temporary_names_are_recognised_exactly() {
    for ours in [".cutover-a1B2c3.tmp", ".cutover-x.tmp"] {
        assert!(is_temp_name(OsStr::new(ours)), "{ours}");
    }
    for not_ours in [
        ".cutover-.tmp",
        ".cutover-a1b2.tmp.bak",
        "cutover-a1b2c3.tmp",
        ".cutover-a b.tmp",
        ".cutover-../x.tmp",
        ".cutover-aaaaaaaaaaaaaaaaa.tmp",
    ] {
        assert!(!is_temp_name(OsStr::new(not_ours)), "{not_ours}");
    }
}

#[test]
fn stale_temporary_files_are_removed_and_fresh_ones_kept() {
    let dir = dir();
    let stale = dir.path().join(".cutover-AbC123.tmp");
    let fresh = dir.path().join(".cutover-XyZ789.tmp");
    let other = dir.path().join(".cutover-notes.txt");
    for p in [&stale, &fresh, &other] {
        fs::write(p, "partial").unwrap();
    }
    // An hour old: a write killed mid-way.
    let hour_ago =
        fs::metadata(&fresh).unwrap().modified().unwrap() - std::time::Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let written = write_atomic(&dir.path().join("report.md"), b"report").unwrap();
    assert_eq!(written.stale_removed, 1);
    assert!(!stale.exists());
    assert!(fresh.exists(), "a temporary file being written now is kept");
    assert!(other.exists(), "only our own name pattern is removed");
}
