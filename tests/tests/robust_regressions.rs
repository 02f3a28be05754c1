//! Every input a fuzz target ever failed on, replayed in `cargo test`.
//!
//! `tests/fixtures/regressions/<target>/` holds the inputs (raw bytes, as libFuzzer wrote
//! them) and `fuzz/props/<target>.rs` the properties the target checks; this file runs the
//! same properties on the kept inputs, so a fixed bug stays fixed without running the fuzzer.
//! To keep a new finding: copy `fuzz/artifacts/<target>/crash-…` here under a name that
//! says what broke.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

#[path = "../../fuzz/props/mod.rs"]
mod props;

type Property = fn(&[u8]);

const TARGETS: [(&str, Property); 10] = [
    ("parse", props::parse::run),
    ("model", props::model::run),
    ("ide", props::ide::run),
    ("format", props::format::run),
    ("checks", props::checks::run),
    ("cache", props::cache::run),
    ("dockerignore", props::dockerignore::run),
    ("context", props::context::run),
    ("analysis", props::analysis::run),
    ("transport", props::transport::run),
];

fn regressions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regressions")
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = regressions_dir().join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    };
    files.retain(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"));
    files.sort();
    files
}

#[test]
fn every_kept_input_passes_its_target() {
    let mut failed = Vec::new();
    let mut count = 0;
    for (target, property) in TARGETS {
        for path in inputs(target) {
            let bytes = std::fs::read(&path).expect("readable");
            count += 1;
            if std::panic::catch_unwind(|| property(&bytes)).is_err() {
                failed.push(path.display().to_string());
            }
        }
    }
    assert!(failed.is_empty(), "failing inputs:\n{}", failed.join("\n"));
    assert!(count > 0, "no regression inputs found");
}

#[test]
fn every_folder_is_a_target() {
    for entry in std::fs::read_dir(regressions_dir()).expect("the regressions folder") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".md") {
            continue;
        }
        assert!(
            TARGETS.iter().any(|(t, _)| *t == name),
            "tests/fixtures/regressions/{name} is not a fuzz target"
        );
    }
}

/// The properties on small hand-made inputs: they hold, and they are not vacuous (a property
/// that panics on everything would make the fuzzer useless; one that checks nothing would
/// not fail here either, but at least every target runs its code in `cargo test`).
#[test]
fn the_properties_hold_on_seeds() {
    let dockerfile = b"\x00\x10\x07# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM ${BASE} AS build\nRUN <<EOF\necho hi\nEOF\nCOPY --from=build /a /b\n";
    for (target, property) in TARGETS {
        match target {
            "dockerignore" => property(b"*.md\n!README.md\n\0README.md\ndocs/a.md\nsrc"),
            "context" => property(b"\x00src\n\nsrc/a.js\nsrc/b/c.js\nlib@src\n"),
            "transport" => property(b"\x03Content-Length: 2\r\n\r\n{}junk"),
            "analysis" => {
                property(b"\x00FROM a\nRUN x\n\x00\x01\x02\x01\x02\x05\x00\x00\x00\x00\x00\x01\xff")
            }
            _ => property(dockerfile),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Random sequences of `didChange` edits through the server's document store: after
    /// each, the incrementally updated snapshot equals a fresh analysis of the same text
    /// (tree, errors, model), and at the end so do diagnostics and symbols.
    #[test]
    fn random_edit_sequences_equal_a_fresh_analysis(
        utf8 in any::<bool>(),
        lines in proptest::collection::vec(
            prop_oneof![
                Just("FROM alpine AS base"), Just("FROM base"),
                Just("ARG V=1"), Just("ENV A=$V B=${A:-x}"),
                Just("RUN <<EOF"), Just("echo 😀 日本"),
                Just("EOF"), Just("RUN a \\"),
                Just("COPY --from=base /a /b"), Just("# c"),
                Just("# escape=`"), Just(""),
            ],
            0..16,
        ),
        script in proptest::collection::vec(any::<u8>(), 0..96),
    ) {
        let mut input = vec![u8::from(utf8)];
        input.extend(lines.join("\n").bytes());
        input.push(0);
        input.extend(script);
        props::analysis::run(&input);
    }
}
