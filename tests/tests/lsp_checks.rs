//! The checks through the server: published diagnostics come from `checks::check` (with the
//! settings' `rules`, the file's `# check=` directive and the build context's
//! `.dockerignore`), and `textDocument/codeAction` offers their fixes with the diagnostic
//! attached.

use e2e::lsp_client::LspClient;
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";

const TEXT: &str = "FROM alpine:3.20 AS Build
LABEL 😀=1
MAINTAINER me
COPPY . /app
FROM build
";

fn codes(diagnostics: &[Value]) -> Vec<(String, i64)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_i64().unwrap_or_default(),
            )
        })
        .collect()
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

fn code_actions(lsp: &mut LspClient, diagnostic: &Value) -> Vec<Value> {
    let result = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic], "triggerKind": 1},
        }),
    );
    result.as_array().cloned().unwrap_or_default()
}

fn titles(actions: &[Value]) -> Vec<&str> {
    actions.iter().filter_map(|a| a["title"].as_str()).collect()
}

#[test]
fn published_diagnostics_come_from_the_checks() {
    let mut lsp = LspClient::spawn();
    let init = lsp.initialize(&["utf-16"], json!({}));
    assert_eq!(
        init["capabilities"]["codeActionProvider"],
        json!({"codeActionKinds": ["quickfix"], "resolveProvider": false})
    );
    lsp.open(URI, TEXT);
    let diags = lsp.wait_diagnostics(URI, Some(1));
    assert_eq!(
        codes(&diags),
        [
            ("StageNameCasing".to_string(), 2),
            ("MaintainerDeprecated".to_string(), 2),
            ("UnknownInstruction".to_string(), 1),
        ]
    );
    let stage = find(&diags, "StageNameCasing");
    assert_eq!(stage["source"], "buildkit");
    assert_eq!(
        stage["codeDescription"]["href"],
        "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"
    );
    assert_eq!(
        stage["range"],
        json!({"start": {"line": 0, "character": 20}, "end": {"line": 0, "character": 25}})
    );
    assert_eq!(find(&diags, "MaintainerDeprecated")["tags"], json!([2]));
    assert_eq!(
        find(&diags, "UnknownInstruction")["message"],
        "unknown instruction: COPPY (did you mean COPY?)"
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn settings_and_the_check_directive_apply() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(
        &[],
        json!({"rules": {"StageNameCasing": "error", "UnknownInstruction": "off"}}),
    );
    lsp.open(URI, &format!("# check=skip=MaintainerDeprecated\n{TEXT}"));
    let diags = lsp.wait_diagnostics_until(URI, |d| codes(d).len() == 1);
    assert_eq!(codes(&diags), [("StageNameCasing".to_string(), 1)]);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn the_build_context_ignore_file_is_read() {
    let dir =
        std::env::temp_dir().join(format!("dockerfile-lsp-lsp-checks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    std::fs::write(dir.join(".dockerignore"), "*.md\n").expect("write");
    let path = dir.join("Dockerfile");
    let text = "FROM alpine:3.20\nCOPY README.md /\n";
    std::fs::write(&path, text).expect("write");
    let uri = format!("file://{}", path.display());
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.open(&uri, text);
    let diags = lsp.wait_diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), [("CopyIgnoredFile".to_string(), 2)]);
    assert_eq!(
        diags[0]["message"],
        "Attempting to Copy file \"README.md\" that is excluded by .dockerignore"
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

/// A relative `context` setting starts at the workspace folder (as in VS Code's settings),
/// for the checks as for the cache insight.
#[test]
fn a_relative_context_setting_starts_at_the_workspace_folder() {
    let root =
        std::env::temp_dir().join(format!("dockerfile-lsp-lsp-context-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("docker")).expect("a temp dir");
    std::fs::write(root.join(".dockerignore"), "*.md\n").expect("write");
    let path = root.join("docker/Dockerfile");
    let text = "FROM alpine:3.20\nCOPY README.md /\n";
    std::fs::write(&path, text).expect("write");
    let uri = format!("file://{}", path.display());
    let mut lsp = LspClient::spawn();
    let settings = json!({"context": "."});
    lsp.set_settings(settings.clone());
    lsp.initialize_with(json!({
        "processId": null,
        "rootUri": format!("file://{}", root.display()),
        "capabilities": {"workspace": {"configuration": true}},
        "initializationOptions": settings,
    }));
    lsp.open(&uri, text);
    let diags = lsp.wait_diagnostics(&uri, Some(1));
    assert_eq!(codes(&diags), [("CopyIgnoredFile".to_string(), 2)]);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn code_actions_offer_fixes_and_ignores() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&["utf-16"], json!({}));
    lsp.open(URI, TEXT);
    let diags = lsp.wait_diagnostics(URI, Some(1));

    let stage = find(&diags, "StageNameCasing").clone();
    let actions = code_actions(&mut lsp, &stage);
    assert_eq!(
        titles(&actions),
        [
            "Rename the stage to build",
            "Ignore StageNameCasing for this instruction",
            "Ignore StageNameCasing in this file",
        ]
    );
    let rename = &actions[0];
    assert_eq!(rename["kind"], "quickfix");
    assert_eq!(rename["isPreferred"], true);
    assert_eq!(rename["diagnostics"], json!([stage]));
    assert_eq!(
        rename["edit"]["changes"][URI],
        json!([{
            "range": {"start": {"line": 0, "character": 20}, "end": {"line": 0, "character": 25}},
            "newText": "build",
        }])
    );
    let ignore = &actions[1];
    assert_eq!(ignore["kind"], "quickfix");
    assert!(ignore.get("isPreferred").is_none());
    assert_eq!(
        ignore["edit"]["changes"][URI],
        json!([{
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "newText": "\n# check=skip=StageNameCasing\n",
        }])
    );

    // Positions after the emoji are UTF-16 columns.
    let maintainer = find(&diags, "MaintainerDeprecated").clone();
    let actions = code_actions(&mut lsp, &maintainer);
    assert_eq!(actions[0]["title"], "Convert to a LABEL");
    assert_eq!(
        actions[0]["edit"]["changes"][URI][0]["newText"],
        "LABEL org.opencontainers.image.authors=\"me\""
    );

    // Hard errors get their quick fix but no "ignore" actions.
    let unknown = find(&diags, "UnknownInstruction").clone();
    assert_eq!(
        titles(&code_actions(&mut lsp, &unknown)),
        ["Change to COPY"]
    );

    // Without diagnostics in the context: everything at the range.
    let result = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": {"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 2}},
            "context": {"diagnostics": []},
        }),
    );
    assert_eq!(result[0]["title"], "Change to COPY");

    // Only refactorings asked for: none.
    let none = lsp.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": URI},
            "range": stage["range"],
            "context": {"diagnostics": [stage], "only": ["refactor"]},
        }),
    );
    assert_eq!(none, Value::Null);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
