//! Pull diagnostics (`textDocument/diagnostic`) for clients that ask for them.

use std::time::Duration;

use e2e::lsp_client::{LspClient, edit};
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";

fn pull_client(lsp: &mut LspClient) {
    lsp.initialize_with(json!({
        "capabilities": {
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {"configuration": true, "diagnostics": {"refreshSupport": true}},
        },
    }));
}

fn pull(lsp: &mut LspClient, previous: Option<&str>) -> Value {
    let mut params = json!({"textDocument": {"uri": URI}});
    if let Some(previous) = previous {
        params["previousResultId"] = json!(previous);
    }
    lsp.request("textDocument/diagnostic", params)
}

#[test]
fn a_pull_client_pulls_and_gets_no_pushes() {
    let mut lsp = LspClient::spawn();
    pull_client(&mut lsp);
    lsp.set_settings(json!({}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    let report = pull(&mut lsp, None);
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["message"], "ENV must have two arguments");
    assert_eq!(items[0]["code"], "MissingValue");
    assert_eq!(
        items[0]["range"]["start"],
        json!({"line": 1, "character": 4})
    );
    let id = report["resultId"].as_str().expect("resultId").to_string();

    // Nothing changed: "unchanged" with the same id.
    let again = pull(&mut lsp, Some(&id));
    assert_eq!(again, json!({"kind": "unchanged", "resultId": id}));

    // An edit makes a new result.
    lsp.change(URI, 2, vec![edit((1, 5), (1, 5), "=1")]);
    let fixed = pull(&mut lsp, Some(&id));
    assert_eq!(fixed["kind"], "full");
    assert_eq!(fixed["items"], json!([]));
    assert_ne!(fixed["resultId"], json!(id));

    // Settings that change the result make the server ask for a re-pull.
    lsp.change(URI, 3, vec![edit((1, 5), (1, 7), "")]);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile": {"rules": {"MissingValue": "warning"}}}}),
    );
    lsp.notification("workspace/diagnostic/refresh");
    let warned = pull(&mut lsp, None);
    assert_eq!(warned["items"][0]["severity"], 2);

    lsp.close(URI);
    lsp.expect_no_notification(
        "textDocument/publishDiagnostics",
        Duration::from_millis(300),
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
