//! Shared by the real-client tests (`client_neovim.rs`, `client_emacs.rs`): finding the
//! editors, the README snippets they run, a temp dir per test, and running a client script
//! with a deadline.
//!
//! A client script writes one line per check to the file named by `DOCKERFILE_LSP_RESULT`:
//! `ok <check>[: detail]` or `FAIL <check>: why`, then `DONE`. [`Run::assert_passed`]
//! requires exactly the expected checks, so a check that silently stops running fails too.

#![allow(dead_code)] // each test binary uses its own subset

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The whole client run, a safety net: each run takes about 1–2 s here.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// The repository root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `tests/clients`, where the scripts and fixtures live.
pub fn clients_dir() -> PathBuf {
    workspace().join("tests/clients")
}

fn ci() -> bool {
    std::env::var("DOCKERFILE_LSP_CI").as_deref() == Ok("1")
}

/// The client to run, or `None` (after saying why) when it is missing outside CI. Under
/// `DOCKERFILE_LSP_CI=1` a missing client fails the test: CI installs all of them.
pub fn require<T>(client: &str, found: Result<T, String>) -> Option<T> {
    match found {
        Ok(path) => Some(path),
        Err(why) if ci() => panic!("{client} is required with DOCKERFILE_LSP_CI=1: {why}"),
        Err(why) => {
            // Straight to stderr, past the test harness's capture, so that it shows.
            let _ = writeln!(
                std::io::stderr(),
                "{client}: SKIPPED ({why}; .ci/run installs it)"
            );
            None
        }
    }
}

/// The program named by `var`, else `default`. A bare name is looked up on `PATH` when run.
pub fn from_env(var: &str, default: impl Into<PathBuf>) -> (PathBuf, bool) {
    match std::env::var_os(var) {
        Some(v) if !v.is_empty() => (PathBuf::from(v), true),
        _ => (default.into(), false),
    }
}

/// `(major, minor, patch)` from `nvim --version` ("NVIM v0.11.4").
pub fn nvim_version(nvim: &Path) -> Result<(u32, u32, u32), String> {
    let out = Command::new(nvim)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{} does not run: {e}", nvim.display()))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    let version = first
        .strip_prefix("NVIM v")
        .ok_or_else(|| format!("{}: unexpected --version {first:?}", nvim.display()))?;
    let mut parts = version
        .split(|c: char| !c.is_ascii_digit())
        .map(|p| p.parse::<u32>().unwrap_or(0));
    Ok((
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    ))
}

/// A fresh directory for one test; removed by [`TempDir::finish`] when the test passed.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "dockerfile-lsp-client-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a parent dir");
        }
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }

    pub fn finish(self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The project directory a client opens: the multi-stage fixture as `Dockerfile`, and a
/// `.dockerignore`, which the configurations use as a root marker (a temp dir has no `.git`).
pub fn project(dir: &TempDir) -> PathBuf {
    let project = dir.path().join("project");
    let fixture = std::fs::read_to_string(clients_dir().join("fixtures/Dockerfile"))
        .expect("the client fixture");
    dir.write("project/Dockerfile", &fixture);
    dir.write("project/.dockerignore", "**/.git\n");
    project
}

/// The code blocks of `file` that follow a `<!-- client-test: TAG -->` line, as written.
pub fn blocks(file: &Path, tag: &str) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let marker = format!("<!-- client-test: {tag} -->");
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() != marker {
            continue;
        }
        let fence = lines.next().unwrap_or_default();
        assert!(
            fence.starts_with("```"),
            "{}: {marker} must be followed by a code block, found {fence:?}",
            file.display()
        );
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        blocks.push(block.join("\n") + "\n");
    }
    assert!(
        !blocks.is_empty(),
        "{}: no code block tagged {marker}",
        file.display()
    );
    blocks
}

/// The blocks tagged `tag`, joined, with `/path/to/dockerfile-lsp` (the README's
/// placeholder for a checkout) replaced by this checkout.
pub fn snippet(file: &Path, tag: &str) -> String {
    let checkout = workspace().display().to_string();
    blocks(file, tag)
        .join("\n")
        .replace("/path/to/dockerfile-lsp", &checkout)
}

/// `PATH` with the server binary's directory first: the configurations under test run
/// `dockerfile-lsp` by name, as an installed server.
pub fn path_with_server() -> std::ffi::OsString {
    let bin_dir = e2e::binary()
        .parent()
        .expect("the binary has a directory")
        .to_path_buf();
    let mut paths = vec![bin_dir];
    if let Some(old) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&old));
    }
    std::env::join_paths(paths).expect("a valid PATH")
}

/// A finished client run.
pub struct Run {
    pub client: String,
    pub status: Option<i32>,
    pub timed_out: bool,
    pub elapsed: Duration,
    pub results: String,
    pub stdout: String,
    pub stderr: String,
    /// Extra logs to show on failure (e.g. Neovim's lsp.log, which holds the server's stderr).
    pub logs: Vec<(String, String)>,
}

/// Runs `cmd` in `cwd` with the results file `results`, killing it at [`DEADLINE`].
pub fn run(client: &str, mut cmd: Command, cwd: &Path, results: &Path) -> Run {
    let _ = std::fs::remove_file(results);
    let out_path = results.with_extension("stdout");
    let err_path = results.with_extension("stderr");
    let stdout = std::fs::File::create(&out_path).expect("stdout file");
    let stderr = std::fs::File::create(&err_path).expect("stderr file");
    cmd.current_dir(cwd)
        .env("PATH", path_with_server())
        .env("DOCKERFILE_LSP_RESULT", results)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{client} does not start: {e}"));
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for the client") {
            break status;
        }
        if start.elapsed() > DEADLINE {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for the killed client");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    Run {
        client: client.to_owned(),
        status: status.code(),
        timed_out,
        elapsed: start.elapsed(),
        results: read(results),
        stdout: read(&out_path),
        stderr: read(&err_path),
        logs: Vec::new(),
    }
}

impl Run {
    /// Passes when the client exited 0 after `DONE` with exactly `expected` checks passed,
    /// in that order; otherwise fails with everything the client and server said.
    pub fn assert_passed(&self, expected: &[&str]) {
        let passed: Vec<&str> = self
            .results
            .lines()
            .filter_map(|l| l.strip_prefix("ok "))
            .map(|l| l.split(": ").next().unwrap_or(l))
            .collect();
        let ok = !self.timed_out
            && self.status == Some(0)
            && self.results.lines().last() == Some("DONE")
            && !self.results.lines().any(|l| l.starts_with("FAIL"))
            && passed == expected;
        if ok {
            println!(
                "{}: {} checks passed in {:.1} s\n{}",
                self.client,
                passed.len(),
                self.elapsed.as_secs_f64(),
                self.results
            );
            return;
        }
        let mut report = format!(
            "{}: {} after {:.1} s\nexpected checks: {expected:?}\npassed checks:   {passed:?}\n\
             --- results\n{}",
            self.client,
            if self.timed_out {
                "killed at the deadline".to_owned()
            } else {
                format!("exit status {:?}", self.status)
            },
            self.elapsed.as_secs_f64(),
            self.results
        );
        for (name, text) in [("stdout", &self.stdout), ("stderr", &self.stderr)]
            .into_iter()
            .chain(self.logs.iter().map(|(n, t)| (n.as_str(), t)))
        {
            if !text.trim().is_empty() {
                report.push_str(&format!("--- {name}\n{text}\n"));
            }
        }
        panic!("{report}");
    }
}
