//! BuildKit's own data-driven vectors for `shell.Lex` (`envVarTest`, `wordsTest`), run against our
//! lexer the way BuildKit's `lex_test.go` runs them. The file format is described at the end of
//! `shared/corpus/buildkit-parser/README.md`.

use std::path::PathBuf;

use dockerfile_lsp::syntax::shell::Lexer;

fn testfiles_dir() -> PathBuf {
    e2e::shared_dir().join("corpus/buildkit-parser/shell-testfiles")
}

fn read(name: &str) -> String {
    let path = testfiles_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn env_var_test() {
    // The environment of BuildKit's TestShellParser4EnvVars.
    let env: Vec<(String, String)> = [
        ("PWD", "/home"),
        ("SHELL", "bash"),
        ("KOREAN", "한국어"),
        ("NULL", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let lexer = Lexer::new('\\');

    let (mut run, mut windows_only) = (0, 0);
    let mut failures = Vec::new();
    for (i, line) in read("envVarTest").lines().enumerate() {
        let line_no = i + 1;
        if line.starts_with('#') {
            continue;
        }
        // Go's strings.TrimSpace and Rust's trim agree: both trim Unicode White_Space.
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(
            fields.len(),
            3,
            "envVarTest:{line_no}: not `P|input|expected`: {line:?}"
        );
        let (platform, source, expected) = (fields[0].trim(), fields[1].trim(), fields[2].trim());
        match platform {
            "A" | "U" => {}
            "W" => {
                // Windows-only: environment keys are case-insensitive there.
                windows_only += 1;
                continue;
            }
            other => panic!("envVarTest:{line_no}: unknown platform {other:?}"),
        }
        run += 1;
        let got = lexer.process_word(source, &env);
        let ok = match (&got, expected) {
            (Err(_), "error") => true,
            (Ok(p), want) => want != "error" && p.value == want,
            (Err(_), _) => false,
        };
        if !ok {
            failures.push(format!(
                "envVarTest:{line_no}: {source:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    let passed = run - failures.len();
    println!("envVarTest: {passed}/{run} passed, {windows_only} Windows-only lines skipped");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Guard against a parsing slip that silently drops cases.
    assert_eq!((run, windows_only), (228, 2), "unexpected number of cases");
}

#[test]
fn words_test() {
    let lexer = Lexer::new('\\');
    // `ENV name=value` lines add to the environment for the lines after them.
    let mut env: Vec<(String, String)> = Vec::new();

    let mut run = 0;
    let mut failures = Vec::new();
    // Trailing spaces in this file are significant: no trimming except where BuildKit trims.
    for (i, line) in read("wordsTest").lines().enumerate() {
        let line_no = i + 1;
        if line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("ENV ") {
            let entry = rest.trim_start_matches(' ');
            let (k, v) = entry.split_once('=').unwrap_or((entry, ""));
            env.push((k.to_owned(), v.to_owned()));
            continue;
        }
        let fields: Vec<&str> = line.split('|').collect();
        assert_eq!(
            fields.len(),
            2,
            "wordsTest:{line_no}: not `input | words`: {line:?}"
        );
        let source = fields[0].trim();
        let expected: Vec<&str> = fields[1].trim_start_matches(' ').split(',').collect();
        run += 1;
        let got = match lexer.process_words(source, &env) {
            Ok(words) => words,
            Err(_) => vec!["error".to_owned()],
        };
        if got != expected {
            failures.push(format!(
                "wordsTest:{line_no}: {source:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }
    let passed = run - failures.len();
    println!("wordsTest: {passed}/{run} passed, 0 skipped");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(run, 24, "unexpected number of cases");
}
