//! `dockerfile-lsp check` as users and scripts see it: output formats, columns, exit
//! statuses, unreadable paths, invalid UTF-8 and the build context's ignore file.

use std::path::{Path, PathBuf};
use std::process::Command;

use e2e::binary;
use serde_json::Value;

/// A fresh directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "dockerfile-lsp-check-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write");
    path
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(binary())
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> (i32, Vec<Value>, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (code, out, err) = run(&all);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    (code, v.as_array().cloned().unwrap_or_default(), err)
}

#[test]
fn json_fields_and_unicode_columns() {
    let dir = temp_dir("json");
    let file = write(
        &dir,
        "Dockerfile",
        "FROM alpine:3.20\nLABEL é=1\nCOPPY . /app\n".as_bytes(),
    );
    let f = file.to_str().expect("utf-8 path");
    let (code, items, err) = json(&[f]);
    assert_eq!(code, 1, "an error means exit 1: {err}");
    assert_eq!(items.len(), 1, "{items:?}");
    let d = &items[0];
    assert_eq!(d["path"], f);
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(3), Some(6))
    );
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "UnknownInstruction");
    assert_eq!(d["source"], "buildkit");
    assert_eq!(
        d["message"],
        "unknown instruction: COPPY (did you mean COPY?)"
    );
    let keys: Vec<&String> = d.as_object().expect("an object").keys().collect();
    assert_eq!(keys.len(), 9, "{keys:?}");

    // Columns count characters, not bytes.
    let file = write(
        &dir,
        "Dockerfile.u",
        "FROM alpine:3.20\nENV é=1 ü\n".as_bytes(),
    );
    let (_, items, _) = json(&[file.to_str().expect("utf-8 path")]);
    let d = &items[0];
    assert_eq!(d["code"], "MissingEquals");
    assert_eq!(
        (d["column"].as_u64(), d["end_column"].as_u64()),
        (Some(9), Some(10))
    );
}

#[test]
fn text_output_like_a_compiler() {
    let dir = temp_dir("text");
    let file = write(&dir, "Dockerfile", b"FROM alpine:3.20\n\tMAINTAINER me\n");
    let f = file.to_str().expect("utf-8 path");
    let (code, out, _) = run(&["check", f]);
    assert_eq!(code, 0, "warnings only: exit 0\n{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "{f}:2:2: warning: Maintainer instruction is deprecated in favor of using label [MaintainerDeprecated]"
        )
    );
    assert_eq!(lines[1], " 2 | \tMAINTAINER me");
    assert_eq!(lines[2], "   | \t^~~~~~~~~~~~~", "the caret keeps the tab");
    assert_eq!(lines.last().copied(), Some("1 warning"));
}

#[test]
fn clean_file_exits_zero_with_no_output() {
    let dir = temp_dir("clean");
    let file = write(&dir, "Dockerfile", b"FROM alpine:3.20\nCMD [\"sh\"]\n");
    let (code, out, err) = run(&["check", file.to_str().expect("utf-8 path")]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let (code, items, _) = json(&[file.to_str().expect("utf-8 path")]);
    assert_eq!((code, items.len()), (0, 0));
}

#[test]
fn unreadable_paths_exit_two_and_the_rest_is_checked() {
    let dir = temp_dir("io");
    let good = write(&dir, "Dockerfile", b"FROM alpine:3.20\nMAINTAINER me\n");
    let missing = dir.join("nope");
    let (code, items, err) = json(&[
        missing.to_str().expect("utf-8 path"),
        dir.to_str().expect("utf-8 path"),
        good.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 2);
    assert_eq!(items.len(), 1, "the readable file is still checked");
    let err_lines: Vec<&str> = err.lines().collect();
    assert_eq!(err_lines.len(), 2, "{err}");
    assert!(err_lines[0].contains("nope") && err_lines[0].contains("no such file"));
    assert!(err_lines[1].contains("is a directory"));
    let (code, _, err) = run(&["check"]);
    assert_eq!(code, 2, "no path is a usage error: {err}");
}

#[test]
fn invalid_utf8_is_an_error_at_the_first_bad_byte() {
    let dir = temp_dir("utf8");
    let file = write(&dir, "Dockerfile", b"FROM alpine:3.20\nLABEL a=\xff\xfe\n");
    let (code, items, _) = json(&[file.to_str().expect("utf-8 path")]);
    assert_eq!(code, 1);
    let d = items
        .iter()
        .find(|d| d["code"] == "InvalidUtf8")
        .expect("an InvalidUtf8 error");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(9))
    );
}

#[test]
fn the_context_ignore_file_is_used() {
    let dir = temp_dir("ignore");
    write(&dir, ".dockerignore", b"*.md\n");
    let file = write(&dir, "Dockerfile", b"FROM alpine:3.20\nCOPY README.md /\n");
    let (_, items, _) = json(&[file.to_str().expect("utf-8 path")]);
    let codes: Vec<&str> = items.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, ["CopyIgnoredFile"]);
    // `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's.
    write(&dir, "Dockerfile.dockerignore", b"*.txt\n");
    let (_, items, _) = json(&[file.to_str().expect("utf-8 path")]);
    assert!(items.is_empty(), "{items:?}");
}
