//! `validate` on the files of a repository as a pre-commit hook passes them: a runbook,
//! the parts it includes, its status file, and other tools' YAML. A part is checked as
//! part of its runbook; other YAML is skipped with a note, or an error when named
//! without `--skip-other-yaml`.

use std::path::Path;
use std::process::Command;

use crate::common::cutover;

/// The shipped acute runbook, its parts and status file, in a new git repository with
/// a pre-commit configuration and a CI workflow beside them.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    std::fs::create_dir_all(root.join("northgate-acute")).unwrap();
    for name in ["northgate-acute.yaml", "northgate-acute.status.yaml"] {
        std::fs::copy(shipped.join(name), root.join(name)).unwrap();
    }
    for part in std::fs::read_dir(shipped.join("northgate-acute")).unwrap() {
        let part = part.unwrap().path();
        let name = part.file_name().unwrap();
        std::fs::copy(&part, root.join("northgate-acute").join(name)).unwrap();
    }
    std::fs::write(
        root.join(".pre-commit-config.yaml"),
        "repos:\n  - repo: local\n    hooks:\n      - id: cutover-validate\n        name: cutover validate\n        entry: cutover validate --strict --skip-other-yaml\n        language: system\n        files: \\.ya?ml$\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join(".github/workflows")).unwrap();
    std::fs::write(
        root.join(".github/workflows/ci.yml"),
        "name: CI\non:\n  push:\njobs:\n  validate:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cutover validate runbooks/\n",
    )
    .unwrap();
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(root)
        .status()
        .unwrap();
    assert!(git.success(), "git init");
    dir
}

/// Every file under `root`, relative to it, with `/` between folders (as pre-commit
/// passes them), leaving out `.git`.
fn files_in(root: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(root, root, &mut out);
    out.sort();
    out
}

/// The shipped hook definition: its command and the files it is run on.
struct Hook {
    entry: Vec<String>,
    files: regex::Regex,
    exclude: Option<regex::Regex>,
}

fn shipped_hook() -> Hook {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let hooks: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let hook = hooks
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "cutover-validate")
        .expect("the cutover-validate hook");
    let entry = hook["entry"].as_str().unwrap();
    Hook {
        entry: entry.split_whitespace().map(str::to_owned).collect(),
        files: regex::Regex::new(hook["files"].as_str().unwrap()).unwrap(),
        exclude: hook["exclude"]
            .as_str()
            .map(|e| regex::Regex::new(e).unwrap()),
    }
}

/// Runs the shipped hook in `root` on those of `staged` its `files`/`exclude` select,
/// as pre-commit does: (exit code, stderr, the files it was given).
fn run_hook(root: &Path, staged: &[String]) -> (i32, String, Vec<String>) {
    let hook = shipped_hook();
    assert_eq!(hook.entry[0], "cutover", "the hook runs cutover");
    let selected: Vec<String> = staged
        .iter()
        .filter(|f| hook.files.is_match(f))
        .filter(|f| !hook.exclude.as_ref().is_some_and(|e| e.is_match(f)))
        .cloned()
        .collect();
    let out = cutover()
        .current_dir(root)
        .args(&hook.entry[1..])
        .args(["--color", "never"])
        .args(&selected)
        .output()
        .unwrap();
    assert!(out.stdout.is_empty(), "human output goes to stderr");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stderr).unwrap(),
        selected,
    )
}

#[test]
fn the_hook_passes_a_repository_of_a_runbook_its_parts_status_file_and_other_yaml() {
    let repo = repository();
    let all = files_in(repo.path());
    let (code, stderr, selected) = run_hook(repo.path(), &all);
    // Every YAML file is given to the hook, status files and other tools' files too.
    for f in [
        "northgate-acute.yaml",
        "northgate-acute/training.yaml",
        "northgate-acute.status.yaml",
        ".pre-commit-config.yaml",
        ".github/workflows/ci.yml",
    ] {
        assert!(selected.contains(&f.to_owned()), "{f} not selected");
    }
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("error["), "{stderr}");
    assert!(
        stderr.contains("note: skipped .pre-commit-config.yaml: not a runbook, a part of one or a status file: none of its top-level keys (`repos`) is one cutover reads"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: skipped .github/workflows/ci.yml:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("northgate-acute/waitlist.yaml checked as part of northgate-acute.yaml, which includes them (named too)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: northgate-acute.status.yaml checked against northgate-acute.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("1 runbook and 1 status file checked: 0 invalid, 0 errors, 0 warnings\n"),
        "{stderr}"
    );
    // The README's local hook runs what the published hook runs.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let entry = shipped_hook().entry.join(" ");
    assert!(
        readme.contains(&format!("entry: {entry}\n")),
        "README hook: {entry}"
    );
}

#[test]
fn a_staged_part_alone_is_checked_as_part_of_the_runbook_that_includes_it() {
    let repo = repository();
    let staged = vec![
        "northgate-acute/training.yaml".to_owned(),
        ".pre-commit-config.yaml".to_owned(),
    ];
    let (code, stderr, _) = run_hook(repo.path(), &staged);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stderr, @r"
    note: northgate-acute/training.yaml checked as part of northgate-acute.yaml, which includes it (found in the folders above)
    note: skipped .pre-commit-config.yaml: not a runbook, a part of one or a status file: none of its top-level keys (`repos`) is one cutover reads
    1 runbook checked: 0 invalid, 0 errors, 0 warnings
    ");
}

#[test]
fn a_mistake_in_a_staged_part_is_reported_at_its_place_in_the_part() {
    let repo = repository();
    let part = repo.path().join("northgate-acute/training.yaml");
    let text = std::fs::read_to_string(&part).unwrap();
    let broken = text.replacen("after: [tr-tna]", "after: [tr-tnaa]", 1);
    assert_ne!(broken, text, "the fixture line is there");
    std::fs::write(&part, &broken).unwrap();
    let line = broken.lines().position(|l| l.contains("tr-tnaa")).unwrap() + 1;
    let col = broken
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("tr-tnaa")
        .unwrap()
        + 1;

    let (code, stderr, _) = run_hook(repo.path(), &["northgate-acute/training.yaml".to_owned()]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert!(
        stderr.contains("error[E021]: unknown dependency `tr-tnaa`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> northgate-acute/training.yaml:{line}:{col}\n")),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `tr-tna`?"), "{stderr}");
}

/// A runbook in `x/` that includes a part three folders down another path, outside
/// any git repository, so the search (two folders up) does not reach it.
fn far_part(marker: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("x")).unwrap();
    std::fs::create_dir_all(root.join("a/b/c")).unwrap();
    std::fs::write(
        root.join("x/rb.yaml"),
        "runbook: Far\ntimezone: Europe/London\nstart: 2027-01-04T09:00\ngo_live: 2027-01-08T09:00\n\
         include: [../a/b/c/part.yaml]\n\
         tasks:\n  - { id: live, name: Live, owner: SRO, milestone: true, go_live: true, after: [load] }\n",
    )
    .unwrap();
    std::fs::write(
        root.join("a/b/c/part.yaml"),
        format!("# The data load.\n{marker}\ntasks:\n  - {{ id: load, name: Load, owner: DM Lead, duration: 2h }}\n"),
    )
    .unwrap();
    dir
}

/// Runs `cutover ARGS` in `dir`: (exit code, stdout, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = cutover().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// (code, `file:line:col`) of every diagnostic of `validate --format json ARGS` run in
/// `dir`, and its exit code.
fn places(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String)>) {
    let (code, stdout, _) = run_in(dir, &[&["validate", "--format", "json"], args].concat());
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let places = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                format!(
                    "{}:{}:{}",
                    d["file"].as_str().unwrap(),
                    d["line"],
                    d["column"]
                ),
            )
        })
        .collect();
    (code, places)
}

#[test]
fn a_part_far_from_its_runbook_names_it_in_a_comment() {
    let validate = ["validate", "--color", "never", "a/b/c/part.yaml"];
    let dir = far_part("# cutover-runbook: ../../../x/rb.yaml");
    let (code, _, stderr) = run_in(dir.path(), &validate);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("note: a/b/c/part.yaml checked as part of x/rb.yaml, which includes it (named by the `# cutover-runbook:` comment)"),
        "{stderr}"
    );

    // Without the comment, the runbook is not found: one error, not the part's
    // calendars and dependencies reported as unknown.
    let dir = far_part("");
    assert_eq!(
        places(dir.path(), &["a/b/c/part.yaml"]),
        (
            1,
            vec![("E011".to_owned(), "a/b/c/part.yaml:3:1".to_owned())]
        )
    );
    let (_, _, stderr) = run_in(dir.path(), &validate);
    assert!(stderr.contains("searched `a/b/c`, `a/b`, `a`;"), "{stderr}");

    // A comment naming a runbook that does not include the part is an error at the path.
    let dir = far_part("# cutover-runbook: ../../../x/other.yaml");
    assert_eq!(
        places(dir.path(), &["a/b/c/part.yaml"]),
        (
            1,
            vec![("E011".to_owned(), "a/b/c/part.yaml:2:20".to_owned())]
        )
    );
}

#[test]
fn other_yaml_in_a_directory_is_skipped_with_a_note_and_listed_in_json() {
    let repo = repository();
    let (code, stdout, _) = run_in(repo.path(), &["validate", "--format", "json", "."]);
    assert_eq!(code, 0, "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let skipped: Vec<&str> = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        ["./.github/workflows/ci.yml", "./.pre-commit-config.yaml"]
    );
    // Parts found by walking the directory are checked with their runbook, silently.
    assert!(json.get("parts").is_none(), "{stdout}");
    assert_eq!(json["summary"]["runbooks"], 1);

    // Named, the same file is an error.
    let (code, places) = places(repo.path(), &[".pre-commit-config.yaml"]);
    assert_eq!(
        (code, places),
        (
            1,
            vec![("E012".to_owned(), ".pre-commit-config.yaml:1:1".to_owned())]
        )
    );
}
