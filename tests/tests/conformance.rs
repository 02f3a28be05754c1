//! BuildKit parser conformance: the parser suite of BuildKit itself and BuildKit's own dumps
//! of 178 real-world Dockerfiles, all through the `dockerfile-lsp dump` binary.

use std::path::Path;
use std::process::Command;

use e2e::{binary, real_world_files, shared_dir};

fn dump(path: &Path) -> (i32, Vec<u8>, String) {
    let out = Command::new(binary())
        .arg("dump")
        .arg(path)
        .output()
        .expect("dump runs");
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn folders(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

#[test]
fn buildkit_parser_suite() {
    let suite = shared_dir().join("corpus/buildkit-parser");
    let cases = folders(&suite.join("testfiles"));
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read(case.join("result")).expect("result file");
        let (code, out, err) = dump(&case.join("Dockerfile"));
        if code != 0 || out != expected {
            failures.push(format!(
                "{}: status {code}, stderr {err:?}\n--- expected\n{}--- got\n{}",
                case.display(),
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&out)
            ));
        }
    }
    println!(
        "testfiles: {}/{} identical",
        cases.len() - failures.len(),
        cases.len()
    );
    assert_eq!(cases.len(), 33, "the suite has 33 cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn buildkit_negative_cases_are_rejected() {
    let suite = shared_dir().join("corpus/buildkit-parser");
    let cases = folders(&suite.join("testfiles-negative"));
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let (code, out, err) = dump(&case.join("Dockerfile"));
        assert_ne!(code, 0, "{} must be rejected", case.display());
        assert!(out.is_empty(), "{}: nothing on stdout", case.display());
        assert!(
            err.starts_with("error: "),
            "{}: error on stderr, got {err:?}",
            case.display()
        );
    }
    println!(
        "testfiles-negative: {}/{} rejected",
        cases.len(),
        cases.len()
    );
}

#[test]
fn buildkit_line_numbers() {
    let path = shared_dir().join("corpus/buildkit-parser/testfile-line/Dockerfile");
    let text = std::fs::read_to_string(path).expect("testfile-line");
    let parse = dockerfile_lsp::syntax::parse(&text);
    let spans: Vec<_> = parse
        .entries()
        .map(|e| (e.line + 1, e.last_line() + 1))
        .collect();
    assert_eq!(spans, [(5, 5), (11, 12), (17, 31)]);
}

#[test]
fn real_world_dumps_equal_buildkit() {
    let shared = shared_dir();
    let files = real_world_files();
    let mut failures = Vec::new();
    for rel in &files {
        let expected_path = shared
            .join("corpus/real-world-expected")
            .join(format!("{}.json", rel.display()));
        let expected: serde_json::Value = serde_json::from_slice(
            &std::fs::read(&expected_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display())),
        )
        .expect("valid JSON");
        let (code, out, err) = dump(&shared.join("corpus/real-world").join(rel));
        match expected["dump"].as_str() {
            Some(dump) => {
                let want = format!("{dump}\n");
                if code != 0 || out != want.as_bytes() {
                    failures.push(format!("{}: status {code} {err}", rel.display()));
                }
            }
            None => {
                if code == 0 {
                    failures.push(format!(
                        "{}: BuildKit rejects it, we did not",
                        rel.display()
                    ));
                }
            }
        }
    }
    println!(
        "real-world: {}/{} identical",
        files.len() - failures.len(),
        files.len()
    );
    assert_eq!(files.len(), 178);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
