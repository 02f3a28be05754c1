//! The `dockerfile` settings: from `initializationOptions`, `workspace/configuration` and
//! `workspace/didChangeConfiguration`; a change re-publishes diagnostics.

use e2e::lsp_client::LspClient;
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";

fn severities(diagnostics: &[Value]) -> Vec<i64> {
    diagnostics
        .iter()
        .map(|d| d["severity"].as_i64().expect("severity"))
        .collect()
}

/// A client that does not answer `workspace/configuration`: only `initializationOptions`.
fn initialize_with_options(lsp: &mut LspClient, options: Value) {
    lsp.initialize_with(json!({"capabilities": {}, "initializationOptions": options}));
}

#[test]
fn initialization_options_bare() {
    let mut lsp = LspClient::spawn();
    initialize_with_options(&mut lsp, json!({"rules": {"MissingValue": "info"}}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    assert_eq!(severities(&lsp.wait_diagnostics(URI, Some(1))), [3]);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn initialization_options_wrapped_as_helix_sends_them() {
    let mut lsp = LspClient::spawn();
    initialize_with_options(
        &mut lsp,
        json!({"dockerfile": {"rules": {"MissingValue": "off"}}, "other": {}}),
    );
    lsp.open(URI, "FROM scratch\nENV A\n");
    assert_eq!(lsp.wait_diagnostics(URI, Some(1)), Vec::<Value>::new());
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn pulled_settings_win_over_initialization_options() {
    let mut lsp = LspClient::spawn();
    lsp.set_settings(json!({"rules": {"MissingValue": "hint"}}));
    lsp.initialize_with(json!({
        "capabilities": {"workspace": {"configuration": true}},
        "initializationOptions": {"rules": {"MissingValue": "info"}},
    }));
    lsp.open(URI, "FROM scratch\nENV A\n");
    // The pull races the open; either way the last publication has the pulled severity.
    lsp.wait_diagnostics_until(URI, |d| severities(d) == [4]);
    let pulls = lsp.server_requests("workspace/configuration");
    assert_eq!(pulls.len(), 1);
    assert_eq!(
        pulls[0]["params"]["items"],
        json!([{"section": "dockerfile"}])
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn did_change_configuration_with_settings() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    // The server registers for the notification when the client allows it.
    let registrations = lsp.wait_server_requests("client/registerCapability", 1);
    assert_eq!(
        registrations[0]["params"]["registrations"][0]["method"],
        "workspace/didChangeConfiguration"
    );
    lsp.open(URI, "FROM scratch\nENV A\nLABEL B\n");
    assert_eq!(severities(&lsp.wait_diagnostics(URI, Some(1))), [1, 1]);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile": {"rules": {"MissingValue": "off"}}}}),
    );
    assert_eq!(lsp.wait_diagnostics(URI, Some(1)), Vec::<Value>::new());
    // The same settings again: nothing to re-publish.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile": {"rules": {"MissingValue": "off"}}}}),
    );
    lsp.expect_no_notification(
        "textDocument/publishDiagnostics",
        std::time::Duration::from_millis(300),
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn did_change_configuration_without_settings_pulls() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    assert_eq!(severities(&lsp.wait_diagnostics(URI, Some(1))), [1]);
    lsp.set_settings(json!({"rules": {"MissingValue": "warning"}}));
    for settings in [Value::Null, json!({}), json!({"dockerfile": null})] {
        lsp.notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": settings }),
        );
    }
    lsp.wait_diagnostics_until(URI, |d| severities(d) == [2]);
    // One pull after `initialized`, one per notification.
    lsp.wait_server_requests("workspace/configuration", 4);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn wrong_types_are_logged_and_ignored() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    assert_eq!(severities(&lsp.wait_diagnostics(URI, Some(1))), [1]);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile": {
            "rules": {"MissingValue": "loud", "Other": 3},
            "buildArgs": "x", "target": [], "cache": {"baseline": 1}, "formatting": true,
        }}}),
    );
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile": "nonsense"}}),
    );
    // Still serving, with default settings (so nothing was re-published).
    let report = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(report["items"][0]["severity"], 1);
    let stderr = lsp.wait_stderr("dockerfile.formatting:");
    for key in [
        "rules.MissingValue",
        "rules.Other",
        "buildArgs",
        "target",
        "cache.baseline",
        "formatting",
    ] {
        assert!(
            stderr.contains(&format!("dockerfile.{key}:")),
            "{key}: {stderr}"
        );
    }
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
