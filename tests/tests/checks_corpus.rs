//! The checks over the 178 real-world Dockerfiles of the shared corpus:
//!
//! * they all build, so none gets an error-severity diagnostic (except the deliberately
//!   empty file and a Rego policy that is not a Dockerfile);
//! * differential against BuildKit (`real-world-expected/*.json`, see its README): our
//!   diagnostics with BuildKit rule names agree with BuildKit's `checks` rule for rule and
//!   line for line, and where BuildKit failed with a hard error we report one on that line
//!   — apart from the known differences listed below, each with its reason.

use std::collections::BTreeSet;
use std::path::Path;

use dockerfile_lsp::checks::{self, Config, Diagnostic, Severity};
use dockerfile_lsp::docs::{self, RuleOrigin};
use dockerfile_lsp::model::Model;
use dockerfile_lsp::syntax::{self, Parse};
use e2e::{real_world_files, shared_dir};
use serde_json::Value;

/// Files that do not build, on purpose.
const NOT_DOCKERFILES: [&str; 2] = [
    "crazy-max__diun/pkg__dockerfile__fixtures__empty.Dockerfile",
    "tonistiigi__xx/src__Dockerfile.rego",
];

/// BuildKit findings we do not report, on purpose (file, rule, line).
const KNOWN_MISSING: [(&str, &str, usize, &str); 4] = [
    // README known difference 4: the oracle treats Windows images as linux/amd64, where
    // `C:\go` is relative. On the Windows builder these files are built with it is
    // absolute, so we do not report drive-letter paths.
    (
        "docker-library__golang/1.26__windows__nanoserver-ltsc2025__Dockerfile",
        "WorkdirRelativePath",
        30,
        "Windows path",
    ),
    (
        "docker-library__golang/1.27__windows__windowsservercore-ltsc2025__Dockerfile",
        "WorkdirRelativePath",
        88,
        "Windows path",
    ),
    // The oracle runs the newest frontend's code whatever `# syntax=` says; this file pins
    // docker/dockerfile:1.2, which has no build checks (InvalidDefinitionDescription came
    // with 1.11). We honour the pin.
    (
        "PowerShell__PowerShell-Docker/release__7-3__ubi9__docker__Dockerfile",
        "InvalidDefinitionDescription",
        4,
        "pinned frontend",
    ),
    (
        "PowerShell__PowerShell-Docker/release__7-3__ubi9__docker__Dockerfile",
        "InvalidDefinitionDescription",
        14,
        "pinned frontend",
    ),
];

/// BuildKit hard errors we do not report, on purpose (file, reason). Both come from the
/// oracle's setup, not from the files.
const KNOWN_ERROR_DIFFERENCES: [(&str, &str); 14] = [
    // README known difference 3: no --build-arg values. These FROM lines need one; we report
    // InvalidDefaultArgInFrom (a warning, like BuildKit's check) instead of the error.
    (
        "containerd__containerd/integration__images__volume-copy-up__Dockerfile",
        "build arg",
    ),
    ("docker__cli/e2e__testdata__engine__Dockerfile", "build arg"),
    (
        "dotnet__dotnet-docker/eng__docker-tools__Dockerfile.syft",
        "build arg",
    ),
    (
        "etcd-io__etcd/tests__antithesis__test-template__Dockerfile",
        "build arg",
    ),
    (
        "kubernetes__ingress-nginx/images__custom-error-pages__rootfs__Dockerfile",
        "build arg",
    ),
    (
        "kubernetes__ingress-nginx/images__e2e-test-echo__rootfs__Dockerfile",
        "build arg",
    ),
    (
        "kubernetes__ingress-nginx/images__ext-auth-example-authsvc__rootfs__Dockerfile",
        "build arg",
    ),
    (
        "kubernetes__ingress-nginx/images__fastcgi-helloserver__rootfs__Dockerfile",
        "build arg",
    ),
    (
        "kubernetes__ingress-nginx/images__go-grpc-greeter-server__rootfs__Dockerfile",
        "build arg",
    ),
    (
        "kubernetes__ingress-nginx/images__test-runner__rootfs__Dockerfile",
        "build arg",
    ),
    (
        "microsoft__dotnet-framework-docker/tests__Microsoft.DotNet.Framework.Docker.Tests__projects__webapp-3.5__Dockerfile",
        "build arg",
    ),
    (
        "tailscale__tailscale/ssh__tailssh__testcontainers__Dockerfile",
        "build arg",
    ),
    // README known difference 1: the oracle's base images have no WORKDIR, so a mount
    // target of `.` becomes `/`. The real base images set one; we do not guess.
    (
        "crazy-max__diun/hack__docs.Dockerfile",
        "base image WORKDIR",
    ),
    (
        "crazy-max__diun/test__dockerfile1__mount__Dockerfile",
        "base image WORKDIR",
    ),
];

fn check(path: &Path, config: &Config) -> (Parse, Vec<Diagnostic>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parse = syntax::parse_bytes(&bytes);
    let model = Model::new(&parse, &config.model_options());
    let diagnostics = checks::check(&parse, &model, config);
    (parse, diagnostics)
}

/// 1-based line of an offset.
fn line_of(parse: &Parse, offset: usize) -> usize {
    parse.text()[..offset.min(parse.text().len())]
        .matches('\n')
        .count()
        + 1
}

/// The 1-based first line of the instruction holding 1-based `line` (the line itself when
/// no instruction holds it). BuildKit reports most checks at the instruction's start
/// line; we report at the exact word, which may sit on a continuation line.
fn instruction_line(parse: &Parse, line: usize) -> usize {
    let l = (line as u32).saturating_sub(1);
    parse
        .entries()
        .find(|e| e.line <= l && l <= e.last_line())
        .map_or(line, |e| e.line as usize + 1)
}

fn is_buildkit_rule(code: &str) -> bool {
    docs::rule(code).is_some_and(|r| r.origin == RuleOrigin::BuildKit)
}

#[test]
fn real_world_files_have_no_errors() {
    let root = shared_dir().join("corpus/real-world");
    let mut failures = Vec::new();
    let files = real_world_files();
    for rel in &files {
        let name = rel.to_string_lossy().replace('\\', "/");
        let (parse, diags) = check(&root.join(rel), &Config::default());
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| {
                format!(
                    "{name}:{}: {} {}",
                    line_of(&parse, d.range.start().into()),
                    d.code,
                    d.message
                )
            })
            .collect();
        let expected_broken = NOT_DOCKERFILES.contains(&name.as_str());
        if expected_broken {
            assert!(!errors.is_empty(), "{name} should not pass");
        } else {
            failures.extend(errors);
        }
    }
    println!("{} real-world files checked", files.len());
    assert_eq!(files.len(), 178);
    assert!(
        failures.is_empty(),
        "errors in files that build:\n{}",
        failures.join("\n")
    );
}

#[test]
fn differential_against_buildkit() {
    let root = shared_dir().join("corpus/real-world");
    let expected_root = shared_dir().join("corpus/real-world-expected");
    // The oracle ran BuildKit with every experimental rule enabled.
    let config = Config {
        experimental: true,
        ..Config::default()
    };
    let (mut total, mut matched, mut known) = (0usize, 0usize, 0usize);
    let mut missing = Vec::new();
    let mut extra = Vec::new();
    let mut wording = Vec::new();
    let (mut errors_total, mut errors_matched, mut errors_known) = (0usize, 0usize, 0usize);
    let mut errors_missing = Vec::new();
    for rel in real_world_files() {
        let name = rel.to_string_lossy().replace('\\', "/");
        let json_path = expected_root.join(format!("{name}.json"));
        let text = std::fs::read_to_string(&json_path)
            .unwrap_or_else(|e| panic!("{}: {e}", json_path.display()));
        let oracle: Value = serde_json::from_str(&text).expect("valid JSON");
        let (parse, diags) = check(&root.join(&rel), &config);

        // Build checks: (rule, instruction line) on both sides, as sets.
        let ours: BTreeSet<(String, usize)> = diags
            .iter()
            .filter(|d| is_buildkit_rule(&d.code))
            .map(|d| {
                let line = line_of(&parse, d.range.start().into());
                (d.code.clone(), instruction_line(&parse, line))
            })
            .collect();
        let theirs: BTreeSet<(String, usize)> = oracle["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let rule = c["rule"].as_str().unwrap_or_default().to_string();
                let line = c["line"].as_u64().unwrap_or(0) as usize;
                (rule, instruction_line(&parse, line))
            })
            .collect();
        for (rule, line) in &theirs {
            total += 1;
            if ours.contains(&(rule.clone(), *line)) {
                matched += 1;
            } else if KNOWN_MISSING
                .iter()
                .any(|(f, r, l, _)| *f == name && r == rule && *l == *line)
            {
                known += 1;
            } else {
                missing.push(format!("{name}:{line}: {rule}"));
            }
        }
        for (rule, line) in ours.difference(&theirs) {
            extra.push(format!("{name}:{line}: {rule}"));
        }
        // Same wording: BuildKit's message starts ours (we may add a clause).
        for c in oracle["checks"].as_array().into_iter().flatten() {
            let rule = c["rule"].as_str().unwrap_or_default();
            let message = c["message"].as_str().unwrap_or_default();
            let line = instruction_line(&parse, c["line"].as_u64().unwrap_or(0) as usize);
            let same = |d: &&Diagnostic| {
                d.code == rule
                    && instruction_line(&parse, line_of(&parse, d.range.start().into())) == line
            };
            if diags.iter().filter(same).count() > 0
                && !diags
                    .iter()
                    .filter(same)
                    .any(|d| d.message.starts_with(message))
            {
                wording.push(format!("{name}:{line}: {rule}: {message:?}"));
            }
        }

        // Hard errors: where BuildKit failed, we report an error on that line.
        let error = ["error", "check_error", "parse_error"]
            .iter()
            .find_map(|k| oracle[*k].as_object().cloned());
        if let Some(error) = error {
            errors_total += 1;
            let line = error.get("line").and_then(Value::as_u64).unwrap_or(0) as usize;
            let end = error.get("end_line").and_then(Value::as_u64).unwrap_or(0) as usize;
            let found = diags.iter().any(|d| {
                let l = line_of(&parse, d.range.start().into());
                d.severity == Severity::Error && (line == 0 || (line <= l && l <= end.max(line)))
            });
            if found {
                errors_matched += 1;
            } else if KNOWN_ERROR_DIFFERENCES.iter().any(|(f, _)| *f == name) {
                errors_known += 1;
            } else {
                errors_missing.push(format!(
                    "{name}:{line}: {}",
                    error
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                ));
            }
        }
    }
    println!(
        "checks: {matched}/{total} BuildKit findings matched, {known} known differences, {} missing, {} extra",
        missing.len(),
        extra.len()
    );
    println!(
        "errors: {errors_matched}/{errors_total} BuildKit hard errors matched, {errors_known} known differences, {} missing",
        errors_missing.len()
    );
    assert!(
        wording.is_empty(),
        "messages that differ:\n{}",
        wording.join("\n")
    );
    assert!(
        missing.is_empty(),
        "BuildKit findings we miss:\n{}",
        missing.join("\n")
    );
    assert!(
        extra.is_empty(),
        "findings BuildKit does not have:\n{}",
        extra.join("\n")
    );
    assert!(
        errors_missing.is_empty(),
        "hard errors we miss:\n{}",
        errors_missing.join("\n")
    );
    assert_eq!((total, matched, known), (300, 296, 4));
    assert_eq!((errors_total, errors_matched, errors_known), (16, 2, 14));
}
