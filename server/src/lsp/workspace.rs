//! Settings: `workspace/didChangeConfiguration`, pulling `workspace/configuration`, and the
//! registration that makes some clients send the former.
//!
//! Requests to the client are sent from spawned tasks, never awaited inside a notification
//! handler: a client that never answers would otherwise hold one of tower-lsp's four handler
//! slots forever, and keep the server from exiting.

use std::time::Duration;

use serde_json::Value;
use tower_lsp_server::ls_types::{ConfigurationItem, DidChangeConfigurationParams, Registration};

use super::config::{Config, SECTION};
use super::server::Server;

/// How long to wait for the client to answer a request of ours.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// After `initialized`: register for settings changes and pull the settings, as the client
/// allows.
pub fn initialized(server: &Server) {
    let session = server.session();
    if session.register_configuration {
        let client = server.client.clone();
        tokio::spawn(async move {
            let registration = Registration {
                id: "dockerfile-lsp/didChangeConfiguration".into(),
                method: "workspace/didChangeConfiguration".into(),
                register_options: None,
            };
            let sent = client.register_capability(vec![registration]);
            match tokio::time::timeout(CLIENT_TIMEOUT, sent).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!("client/registerCapability failed: {e}"),
                Err(_) => tracing::warn!("client/registerCapability: no answer"),
            }
        });
    }
    if session.configuration {
        spawn_pull(server);
    }
    super::cache::register_watchers(server);
}

/// `settings.dockerfile` when the client sends it; otherwise the notification only says
/// "something changed", and we pull.
pub fn did_change_configuration(server: &Server, params: DidChangeConfigurationParams) {
    match params.settings.get(SECTION) {
        Some(value) if !value.is_null() => apply(server, value, "didChangeConfiguration"),
        _ if server.session().configuration => spawn_pull(server),
        _ => tracing::debug!("didChangeConfiguration without our section; nothing to pull"),
    }
}

fn spawn_pull(server: &Server) {
    let server = server.clone();
    tokio::spawn(async move {
        let items = vec![ConfigurationItem {
            scope_uri: None,
            section: Some(SECTION.into()),
        }];
        let answer = tokio::time::timeout(CLIENT_TIMEOUT, server.client.configuration(items));
        match answer.await {
            Ok(Ok(values)) => match values.first() {
                // `null`: the client has no such section; keep what we have.
                Some(value) if !value.is_null() => apply(&server, value, "workspace/configuration"),
                _ => tracing::debug!("workspace/configuration: no `{SECTION}` settings"),
            },
            Ok(Err(e)) => tracing::warn!("workspace/configuration failed: {e}"),
            Err(_) => tracing::warn!("workspace/configuration: no answer"),
        }
    });
}

fn apply(server: &Server, value: &Value, source: &str) {
    let (config, warnings) = Config::from_value(value);
    for w in warnings {
        tracing::warn!("{source}: {w}");
    }
    server.replace_config(config);
}
