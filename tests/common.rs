//! What every integration test shares: the binary, run from the crate root so that
//! paths in its output are the relative paths we pass, with no colour and no limits
//! from the environment.

use assert_cmd::Command;

/// The `cutover` binary, ready for arguments.
pub(crate) fn cutover() -> Command {
    let mut cmd = Command::cargo_bin("cutover").expect("the cutover binary is built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CUTOVER_MAX_FILE_SIZE");
    cmd
}

/// How a run ended.
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// (exit code or -1 if killed, stdout, stderr).
    pub(crate) fn parts(self) -> (i32, String, String) {
        (self.code.unwrap_or(-1), self.stdout, self.stderr)
    }
}

/// Runs `cutover ARGS` and collects its output.
pub(crate) fn run(args: &[&str]) -> Run {
    let out = cutover().args(args).output().expect("cutover runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Runs `cutover ARGS` and returns (exit code, stdout, stderr).
pub(crate) fn run_parts(args: &[&str]) -> (i32, String, String) {
    run(args).parts()
}

/// Runs a command that must succeed quietly (nothing on stderr) and returns stdout.
pub(crate) fn ok(args: &[&str]) -> String {
    let r = run(args);
    assert_eq!(r.code, Some(0), "{args:?} failed:\n{}", r.stderr);
    assert_eq!(r.stderr, "", "{args:?} wrote to stderr");
    r.stdout
}

/// Runs a command that must succeed and returns its standard output as JSON.
pub(crate) fn json(args: &[&str]) -> serde_json::Value {
    let r = run(args);
    assert_eq!(r.code, Some(0), "{args:?} failed:\n{}", r.stderr);
    serde_json::from_str(&r.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e})\n{}", r.stdout))
}

/// The task `id` in a `plan --format json` document.
pub(crate) fn task<'a>(plan: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    plan["tasks"]
        .as_array()
        .expect("a task list")
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no task {id}"))
}

/// (code, line, column) of every diagnostic in `validate --format json` output.
pub(crate) fn diagnostic_places(stdout: &str) -> Vec<(String, u64, u64)> {
    let json: serde_json::Value = serde_json::from_str(stdout).unwrap();
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect()
}
