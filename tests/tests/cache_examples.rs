//! The worked examples of `shared/design/cache-model.md` §5 (and our own edge cases), run
//! through `dockerfile-lsp cache`.
//!
//! Each folder under `tests/fixtures/cache/` is a build context with a `case.json`:
//!
//! ```json
//! { "example": "E5", "description": "…",
//!   "cases": [ { "name": "…", "args": ["Dockerfile", "--edit-line", "3"],
//!                "expect": { "1": "cached", "5": "invalidated" },
//!                "reasons": { "5": "APP_ENV" }, "notes": ["…"] } ] }
//! ```
//!
//! `args` follow `cache` and run in the fixture folder. `expect` lists every step line the
//! output must have, with its status (taken from the document, not from our output);
//! `reasons` and `notes` are substrings the reason of that line / some note must contain.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cache")
}

/// Runs every case of one folder; returns the failures as text.
fn run_folder(dir: &Path) -> (usize, Vec<String>) {
    let name = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("case.json"))
            .unwrap_or_else(|e| panic!("{name}/case.json: {e}")),
    )
    .unwrap_or_else(|e| panic!("{name}/case.json: {e}"));
    let mut failures = Vec::new();
    let cases = spec["cases"].as_array().cloned().unwrap_or_default();
    for case in &cases {
        let label = format!("{name}: {}", case["name"].as_str().unwrap_or("?"));
        let args: Vec<String> = case["args"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let out = Command::new(e2e::binary())
            .arg("cache")
            .args(&args)
            .current_dir(dir)
            .output()
            .expect("the binary runs");
        if !out.status.success() {
            failures.push(format!(
                "{label}: exit {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let json: Value = match serde_json::from_slice(&out.stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{label}: output is not JSON: {e}"));
                continue;
            }
        };
        let steps = json["steps"].as_array().cloned().unwrap_or_default();
        let mut got: BTreeMap<u64, (String, String)> = BTreeMap::new();
        for s in &steps {
            let line = s["line"].as_u64().unwrap_or(0);
            let status = s["status"].as_str().unwrap_or("").to_string();
            let reason = s["reason"].as_str().unwrap_or("").to_string();
            if got.insert(line, (status, reason)).is_some() {
                failures.push(format!("{label}: two steps on line {line}"));
            }
        }
        let expect: BTreeMap<u64, String> = case["expect"]
            .as_object()
            .map(|o| {
                o.iter()
                    .filter_map(|(k, v)| Some((k.parse().ok()?, v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        let got_lines: Vec<u64> = got.keys().copied().collect();
        let want_lines: Vec<u64> = expect.keys().copied().collect();
        if got_lines != want_lines {
            failures.push(format!(
                "{label}: step lines {got_lines:?}, expected {want_lines:?}"
            ));
        }
        for (line, want) in &expect {
            if let Some((status, reason)) = got.get(line).filter(|(s, _)| s != want) {
                failures.push(format!(
                    "{label}: line {line} is {status}, expected {want} (reason: {reason})"
                ));
            }
        }
        if let Some(reasons) = case["reasons"].as_object() {
            for (line, needle) in reasons {
                let needle = needle.as_str().unwrap_or("");
                let reason = line
                    .parse::<u64>()
                    .ok()
                    .and_then(|l| got.get(&l))
                    .map(|(_, r)| r.as_str())
                    .unwrap_or("");
                if !reason.contains(needle) {
                    failures.push(format!(
                        "{label}: reason of line {line} lacks {needle:?}: {reason:?}"
                    ));
                }
            }
        }
        if let Some(notes) = case["notes"].as_array() {
            let all: Vec<&str> = json["notes"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            for needle in notes.iter().filter_map(Value::as_str) {
                if !all.iter().any(|n| n.contains(needle)) {
                    failures.push(format!("{label}: no note contains {needle:?}: {all:?}"));
                }
            }
        }
    }
    (cases.len(), failures)
}

fn run_all(filter: impl Fn(&str) -> bool) -> (usize, usize) {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .expect("fixtures/cache exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("case.json").is_file())
        .filter(|p| p.file_name().is_some_and(|n| filter(&n.to_string_lossy())))
        .collect();
    dirs.sort();
    let mut failures = Vec::new();
    let mut cases = 0;
    for dir in &dirs {
        let (n, f) = run_folder(dir);
        cases += n;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    (dirs.len(), cases)
}

/// The 25 worked examples (E1–E25; E9 and E10 take two folders each).
#[test]
fn worked_examples() {
    let (folders, cases) =
        run_all(|n| n.starts_with('e') && n.as_bytes().get(1).is_some_and(u8::is_ascii_digit));
    let examples: std::collections::BTreeSet<String> = std::fs::read_dir(fixtures())
        .expect("fixtures/cache exists")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with('e').then(|| name[1..3].to_string())
        })
        .collect();
    assert_eq!(
        examples.len(),
        25,
        "one or more folders per example: {examples:?}"
    );
    assert!(folders >= 25 && cases >= 25);
}

/// Our own edge cases (folders named `x-…`).
#[test]
fn edge_cases() {
    run_all(|n| n.starts_with("x-"));
}
