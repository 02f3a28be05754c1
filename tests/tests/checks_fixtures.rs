//! Data-driven tests of every diagnostic family: `tests/fixtures/checks/*.cases`.
//!
//! A case file holds many cases:
//!
//! ```text
//! === a name for the case
//! %% build-arg NAME=value      (options, optional: build-arg, target, experimental,
//! %% ignore *.md                ignore <.dockerignore line>, rule Code=level)
//! FROM alpine                  (the Dockerfile, up to ---)
//! COPPY . /app
//! ---
//! 2:1-2:6 error UnknownInstruction "did you mean COPY?"
//! fix UnknownInstruction "Change to COPY"
//! | FROM alpine
//! | COPY . /app
//! ```
//!
//! Expected diagnostics are `LINE` or `LINE:COL-LINE:COL` (1-based, columns in characters),
//! the severity, the code and optionally a quoted part of the message. The list must match
//! the diagnostics exactly (`none` or an empty list: no diagnostics). A `fix` line applies
//! the fix with that title from the first diagnostic with that code; the `|` lines are the
//! whole file afterwards.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use dockerfile_lsp::cache::context::IgnoreFile;
use dockerfile_lsp::checks::{self, Config, Diagnostic, Level};
use dockerfile_lsp::model::Model;
use dockerfile_lsp::syntax::{self, TextRange, TextSize};

#[derive(Debug, Default)]
struct Case {
    file: String,
    line: usize,
    name: String,
    options: Vec<String>,
    text: String,
    expected: Vec<Expected>,
    fixes: Vec<ExpectedFix>,
}

#[derive(Debug)]
struct Expected {
    raw: String,
    line: usize,
    range: Option<(usize, usize, usize, usize)>,
    severity: String,
    code: String,
    message: Option<String>,
}

#[derive(Debug)]
struct ExpectedFix {
    code: String,
    title: String,
    result: String,
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/checks")
}

fn parse_expected(line: &str) -> Option<Expected> {
    let (head, message) = match line.find('"') {
        Some(q) => (
            line[..q].trim(),
            Some(
                line[q + 1..]
                    .trim_end()
                    .strip_suffix('"')
                    .unwrap_or(&line[q + 1..])
                    .replace("\\\"", "\""),
            ),
        ),
        None => (line.trim(), None),
    };
    let mut parts = head.split_whitespace();
    let pos = parts.next()?;
    let severity = parts.next()?.to_string();
    let code = parts.next()?.to_string();
    let (line_no, range) = match pos.split_once('-') {
        Some((a, b)) => {
            let (l1, c1) = a.split_once(':')?;
            let (l2, c2) = b.split_once(':')?;
            let r = (
                l1.parse().ok()?,
                c1.parse().ok()?,
                l2.parse().ok()?,
                c2.parse().ok()?,
            );
            (r.0, Some(r))
        }
        None => (pos.parse().ok()?, None),
    };
    Some(Expected {
        raw: line.to_string(),
        line: line_no,
        range,
        severity,
        code,
        message,
    })
}

fn load_cases() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("the fixtures folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "cases"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let content = std::fs::read_to_string(&path).expect("a readable case file");
        let mut case: Option<Case> = None;
        let mut in_expected = false;
        let mut text_lines: Vec<&str> = Vec::new();
        let mut fix: Option<ExpectedFix> = None;
        let flush = |case: &mut Option<Case>,
                     fix: &mut Option<ExpectedFix>,
                     lines: &mut Vec<&str>,
                     cases: &mut Vec<Case>| {
            if let Some(mut c) = case.take() {
                if let Some(f) = fix.take() {
                    c.fixes.push(f);
                }
                if !lines.is_empty() && c.text.is_empty() {
                    c.text = lines.join("\n") + "\n";
                }
                cases.push(c);
            }
            lines.clear();
        };
        for (n, line) in content.lines().enumerate() {
            if let Some(name) = line.strip_prefix("=== ") {
                flush(&mut case, &mut fix, &mut text_lines, &mut cases);
                case = Some(Case {
                    file: file.clone(),
                    line: n + 1,
                    name: name.trim().to_string(),
                    ..Case::default()
                });
                in_expected = false;
                continue;
            }
            let Some(c) = case.as_mut() else { continue };
            if !in_expected {
                if line == "---" {
                    c.text = if text_lines.is_empty() {
                        String::new()
                    } else {
                        text_lines.join("\n") + "\n"
                    };
                    text_lines.clear();
                    in_expected = true;
                } else if let Some(opt) = line.strip_prefix("%% ") {
                    c.options.push(opt.to_string());
                } else {
                    text_lines.push(line);
                }
                continue;
            }
            if let Some(rest) = line
                .strip_prefix("| ")
                .or_else(|| (line == "|").then_some(""))
            {
                if let Some(f) = fix.as_mut() {
                    f.result.push_str(rest);
                    f.result.push('\n');
                }
                continue;
            }
            if let Some(f) = fix.take() {
                c.fixes.push(f);
            }
            let t = line.trim();
            if t.is_empty() || t == "none" || t.starts_with("##") {
                continue;
            }
            if let Some(rest) = t.strip_prefix("fix ") {
                let (code, title) = rest.split_once(' ').unwrap_or((rest, ""));
                fix = Some(ExpectedFix {
                    code: code.to_string(),
                    title: title.trim().trim_matches('"').to_string(),
                    result: String::new(),
                });
                continue;
            }
            match parse_expected(t) {
                Some(e) => c.expected.push(e),
                None => panic!("{file}:{}: cannot read expectation {t:?}", n + 1),
            }
        }
        flush(&mut case, &mut fix, &mut text_lines, &mut cases);
    }
    cases
}

fn config_for(case: &Case) -> Config {
    let mut config = Config::default();
    let mut ignore = Vec::new();
    for opt in &case.options {
        let (key, value) = opt.split_once(' ').unwrap_or((opt, ""));
        match key {
            "build-arg" => {
                let (k, v) = value.split_once('=').unwrap_or((value, ""));
                config.build_args.insert(k.to_string(), v.to_string());
            }
            "target" => config.target = Some(value.to_string()),
            "experimental" => config.experimental = true,
            "ignore" => ignore.push(value.to_string()),
            "rule" => {
                let (k, v) = value.split_once('=').unwrap_or((value, ""));
                let level = Level::parse(v).unwrap_or_else(|| panic!("bad level {v}"));
                config.rules.insert(k.to_string(), level);
            }
            other => panic!("unknown option {other}"),
        }
    }
    if !ignore.is_empty() {
        config.ignore_file = Some(Arc::new(IgnoreFile::parse(&ignore.join("\n"))));
    }
    config
}

fn position(text: &str, offset: TextSize) -> (usize, usize) {
    let offset = usize::from(offset).min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count() + 1;
    (line, text[line_start..offset].chars().count() + 1)
}

fn describe(text: &str, d: &Diagnostic) -> String {
    let (l1, c1) = position(text, d.range.start());
    let (l2, c2) = position(text, d.range.end());
    format!(
        "{l1}:{c1}-{l2}:{c2} {} {} \"{}\"",
        d.severity.as_str(),
        d.code,
        d.message
    )
}

fn matches(text: &str, e: &Expected, d: &Diagnostic) -> bool {
    let (l1, c1) = position(text, d.range.start());
    let (l2, c2) = position(text, d.range.end());
    l1 == e.line
        && e.range.is_none_or(|r| r == (l1, c1, l2, c2))
        && d.severity.as_str() == e.severity
        && d.code == e.code
        && e.message.as_deref().is_none_or(|m| d.message.contains(m))
}

fn apply(text: &str, edits: &[(TextRange, String)]) -> String {
    let mut edits: Vec<_> = edits.to_vec();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse((r.start(), r.end())));
    let mut out = text.to_string();
    for (r, new) in edits {
        out.replace_range(usize::from(r.start())..usize::from(r.end()), &new);
    }
    out
}

#[test]
fn check_fixtures() {
    let cases = load_cases();
    assert!(
        cases.len() >= 150,
        "the fixtures are missing: {} cases",
        cases.len()
    );
    let mut failures = String::new();
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    for case in &cases {
        *per_file.entry(case.file.clone()).or_default() += 1;
        let config = config_for(case);
        let parse = syntax::parse(&case.text);
        let model = Model::new(&parse, &config.model_options());
        let diags = checks::check(&parse, &model, &config);
        let text = &case.text;
        let mut unmatched: Vec<&Diagnostic> = diags.iter().collect();
        let mut missing = Vec::new();
        for e in &case.expected {
            match unmatched.iter().position(|d| matches(text, e, d)) {
                Some(p) => {
                    unmatched.remove(p);
                }
                None => missing.push(e.raw.clone()),
            }
        }
        let mut problems = String::new();
        for m in &missing {
            let _ = writeln!(problems, "  missing:    {m}");
        }
        for d in &unmatched {
            let _ = writeln!(problems, "  unexpected: {}", describe(text, d));
        }
        for f in &case.fixes {
            let found = diags
                .iter()
                .filter(|d| d.code == f.code)
                .flat_map(|d| d.fixes.iter())
                .find(|x| x.title == f.title);
            match found {
                None => {
                    let titles: Vec<_> = diags
                        .iter()
                        .filter(|d| d.code == f.code)
                        .flat_map(|d| d.fixes.iter().map(|x| x.title.clone()))
                        .collect();
                    let _ = writeln!(
                        problems,
                        "  no fix {:?} on {} (have {titles:?})",
                        f.title, f.code
                    );
                }
                Some(x) => {
                    let got = apply(text, &x.edits);
                    if got != f.result {
                        let _ = writeln!(
                            problems,
                            "  fix {:?} gives:\n{}  expected:\n{}",
                            f.title,
                            got.lines()
                                .map(|l| format!("    | {l}\n"))
                                .collect::<String>(),
                            f.result
                                .lines()
                                .map(|l| format!("    | {l}\n"))
                                .collect::<String>()
                        );
                    }
                }
            }
        }
        if !problems.is_empty() {
            let _ = writeln!(
                failures,
                "{}:{} {}\n{problems}",
                case.file, case.line, case.name
            );
        }
    }
    println!("check fixtures: {} cases ({per_file:?})", cases.len());
    assert!(failures.is_empty(), "\n{failures}");
}
