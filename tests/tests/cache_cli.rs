//! The `cache` command's contract: the JSON shape, defaults, and usage errors (exit 2, one
//! line on stderr).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/cache")
        .join(name)
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(e2e::binary())
        .arg("cache")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_shape() {
    let dir = fixture("e01-arg-declared-early");
    let (code, out, err) = run(&dir, &["Dockerfile", "--build-arg", "VERSION=2.0"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let json: Value = serde_json::from_str(&out).expect("JSON");
    let keys: Vec<&str> = json
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert!(keys.contains(&"target") && keys.contains(&"steps"));
    assert_eq!(json["target"], "0");
    let first = &json["steps"][0];
    for key in [
        "line",
        "end_line",
        "stage",
        "instruction",
        "status",
        "reason",
    ] {
        assert!(!first[key].is_null(), "{key} missing: {first}");
    }
    assert_eq!(first["instruction"], "FROM");
    // The contract's field order, as printed.
    let order: Vec<usize> = [
        "\"line\"",
        "\"end_line\"",
        "\"stage\"",
        "\"instruction\"",
        "\"status\"",
        "\"reason\"",
    ]
    .iter()
    .map(|k| out.find(k).expect("key printed"))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn defaults_context_and_target() {
    // Run from elsewhere: the context is the Dockerfile's directory.
    let dir = fixture("e08-copy-all-source-edit");
    let path = dir.join("Dockerfile");
    let path = path.to_string_lossy();
    let (code, out, _) = run(Path::new("/"), &[&path, "--changed-file", "README.md"]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["steps"].as_array().map(Vec::len), Some(6));
    // An absolute path inside the context is accepted.
    let file = dir.join("src/app.js");
    let (code, out, err) = run(
        &dir,
        &["Dockerfile", "--changed-file", &file.to_string_lossy()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("src/app.js is copied here"), "{out}");
    // The target defaults to the last stage.
    let (_, out, _) = run(&fixture("e14-multistage-copy-from"), &["Dockerfile"]);
    let json: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(json["target"], "final");
}

#[test]
fn usage_errors() {
    let dir = fixture("e15-unrelated-stage-target");
    let cases: &[&[&str]] = &[
        &["missing/Dockerfile"],
        &["Dockerfile", "--target", "nope"],
        &["Dockerfile", "--edit-line", "0"],
        &["Dockerfile", "--edit-line", "99"],
        &["Dockerfile", "--edit-line", "x"],
        &["Dockerfile", "--base-image-line", "2"],
        &["Dockerfile", "--base-image-line", "3"],
        &["Dockerfile", "--context", "nowhere"],
        &["Dockerfile", "--changed-file", "/etc/passwd"],
        &["Dockerfile", "--build-arg", "=x"],
        &["."],
    ];
    for args in cases {
        let (code, out, err) = run(&dir, args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn no_stage_is_an_error() {
    let tmp = std::env::temp_dir().join(format!("cache-cli-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).expect("temp dir");
    std::fs::write(tmp.join("Dockerfile"), "# nothing\nARG X=1\n").expect("write");
    let (code, _, err) = run(&tmp, &["Dockerfile"]);
    let _ = std::fs::remove_dir_all(&tmp);
    assert_eq!(code, 2);
    assert!(err.contains("no build stage"), "{err}");
}
