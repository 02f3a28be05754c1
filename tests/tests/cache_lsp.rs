//! The build-cache features over LSP: inlay hints on rebuilt steps (baseline = the file on
//! disk, or git HEAD), code lenses (what-if), hover on COPY sources, watched context files,
//! and the `dockerfile.cache.*` settings.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use e2e::lsp_client::{LspClient, edit};
use serde_json::{Value, json};

/// A temporary build context with the given files; removed on drop.
struct Context(PathBuf);

impl Context {
    fn new(name: &str, files: &[(&str, &str)]) -> Context {
        let dir = std::env::temp_dir().join(format!("cache-lsp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let p = dir.join(path);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, text).expect("write");
        }
        Context(dir)
    }

    fn uri(&self, path: &str) -> String {
        format!("file://{}", self.0.join(path).display())
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const DOCKERFILE: &str = "FROM alpine:3.20\nRUN apk add --no-cache python3\nENV APP_ENV=prod\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt\nLABEL maintainer=team-a\nRUN echo done\n";

/// A client that offers what the cache features use: refresh requests and watched files.
fn start(settings: Value, refresh: bool) -> LspClient {
    let mut lsp = LspClient::spawn();
    lsp.set_settings(settings.clone());
    lsp.initialize_with(json!({
        "capabilities": {
            "workspace": {
                "configuration": true,
                "didChangeWatchedFiles": {"dynamicRegistration": true},
                "inlayHint": {"refreshSupport": refresh},
                "codeLens": {"refreshSupport": refresh},
            },
            "textDocument": {"synchronization": {"didSave": true}},
        },
        "initializationOptions": settings,
    }));
    lsp
}

fn hints(lsp: &mut LspClient, uri: &str) -> Vec<(u64, String)> {
    let result = lsp.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}}}),
    );
    result
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap_or(0) + 1,
                h["label"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// Asks for hints until `accept` holds (baselines load in the background).
fn hints_until(
    lsp: &mut LspClient,
    uri: &str,
    accept: impl Fn(&[(u64, String)]) -> bool,
) -> Vec<(u64, String)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = hints(lsp, uri);
        if accept(&got) || Instant::now() > deadline {
            return got;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn lines(hints: &[(u64, String)]) -> Vec<u64> {
    hints.iter().map(|(l, _)| *l).collect()
}

#[test]
fn inlay_hints_follow_edits_and_saves() {
    let ctx = Context::new(
        "hints",
        &[("Dockerfile", DOCKERFILE), ("requirements.txt", "flask\n")],
    );
    let uri = ctx.uri("Dockerfile");
    let mut lsp = start(json!({}), false);
    lsp.open(&uri, DOCKERFILE);
    lsp.wait_diagnostics(&uri, Some(1));
    assert_eq!(hints(&mut lsp, &uri), []);
    // APP_ENV=prod → staging.
    lsp.change(&uri, 2, vec![edit((2, 12), (2, 16), "staging")]);
    lsp.wait_diagnostics(&uri, Some(2));
    let got = hints(&mut lsp, &uri);
    assert_eq!(lines(&got), [5, 7], "{got:?}");
    assert_eq!(got[0].1, "⟳ rebuilds: ENV APP_ENV on line 3 changed");
    // The tooltip has the full reason.
    let raw = lsp.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 100, "character": 0}}}),
    );
    let tooltip = raw[0]["tooltip"]["value"].as_str().unwrap_or("");
    assert!(
        tooltip.contains("changes the environment of this RUN"),
        "{tooltip}"
    );
    // A LABEL edit changes nothing more.
    lsp.change(&uri, 3, vec![edit((5, 17), (5, 23), "team-b")]);
    lsp.wait_diagnostics(&uri, Some(3));
    assert_eq!(lines(&hints(&mut lsp, &uri)), [5, 7]);
    // Saving makes this text the baseline.
    let saved = DOCKERFILE
        .replace("APP_ENV=prod", "APP_ENV=staging")
        .replace("team-a", "team-b");
    std::fs::write(ctx.path().join("Dockerfile"), &saved).expect("write");
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}, "text": saved}),
    );
    let got = hints_until(&mut lsp, &uri, <[_]>::is_empty);
    assert_eq!(got, []);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn baseline_is_the_file_on_disk() {
    // The editor restored an unsaved buffer: the hints compare it with the saved file.
    let ctx = Context::new("disk", &[("Dockerfile", DOCKERFILE)]);
    let uri = ctx.uri("Dockerfile");
    let mut lsp = start(json!({}), false);
    lsp.open(&uri, &DOCKERFILE.replace("python3", "python3 py3-pip"));
    lsp.wait_diagnostics(&uri, Some(1));
    let got = hints_until(&mut lsp, &uri, |h| !h.is_empty());
    assert_eq!(lines(&got), [2, 4, 5, 7], "{got:?}");
    assert_eq!(got[0].1, "⟳ rebuilds: command changed");
    assert_eq!(got[1].1, "⟳ rebuilds: after line 2");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn baseline_git_head() {
    let ctx = Context::new("git", &[("Dockerfile", DOCKERFILE)]);
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(ctx.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if !(git(&["init", "-q"]) && git(&["add", "Dockerfile"]) && git(&["commit", "-qm", "v1"])) {
        eprintln!("git is not usable here; skipped");
        return;
    }
    // Saved, not committed: the disk baseline sees nothing, the git one sees the edit.
    let edited = DOCKERFILE.replace("APP_ENV=prod", "APP_ENV=dev");
    std::fs::write(ctx.path().join("Dockerfile"), &edited).expect("write");
    let uri = ctx.uri("Dockerfile");
    let mut lsp = start(json!({"cache": {"baseline": "git"}}), false);
    lsp.open(&uri, &edited);
    lsp.wait_diagnostics(&uri, Some(1));
    let got = hints_until(&mut lsp, &uri, |h| !h.is_empty());
    assert_eq!(lines(&got), [5, 7], "{got:?}");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn code_lenses_resolve_to_what_if() {
    let ctx = Context::new("lens", &[("Dockerfile", DOCKERFILE)]);
    let uri = ctx.uri("Dockerfile");
    let mut lsp = start(json!({}), false);
    lsp.open(&uri, DOCKERFILE);
    lsp.wait_diagnostics(&uri, Some(1));
    let lenses = lsp.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let lenses = lenses.as_array().cloned().unwrap_or_default();
    assert_eq!(lenses.len(), 7, "one per instruction");
    assert!(lenses.iter().all(|l| l.get("command").is_none()));
    let title = |lsp: &mut LspClient, i: usize| -> String {
        let resolved = lsp.request("codeLens/resolve", lenses[i].clone());
        resolved["command"]["title"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(
        title(&mut lsp, 2),
        "edit → 2 steps rebuild (lines 5–7, stage 0)"
    );
    assert_eq!(title(&mut lsp, 5), "no cache effect");
    assert_eq!(
        title(&mut lsp, 0),
        "edit → 5 steps rebuild (lines 1–7, stage 0)"
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn watched_context_files() {
    let files = [
        (
            "Dockerfile",
            "FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n",
        ),
        ("package.json", "{}\n"),
        ("src/app.js", "1\n"),
        ("notes.md", "x\n"),
        (".dockerignore", "*.md\n"),
    ];
    let ctx = Context::new("watch", &files);
    let uri = ctx.uri("Dockerfile");
    let mut lsp = start(json!({}), true);
    let registrations = lsp.wait_server_requests("client/registerCapability", 1);
    assert!(
        registrations.iter().any(|r| r["params"]["registrations"][0]["method"]
            == "workspace/didChangeWatchedFiles"),
        "{registrations:#?}"
    );
    lsp.open(&uri, files[0].1);
    lsp.wait_diagnostics(&uri, Some(1));
    assert_eq!(hints(&mut lsp, &uri), []);
    // An ignored file: nothing, not even a refresh.
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ctx.uri("notes.md"), "type": 2}]}),
    );
    assert_eq!(hints(&mut lsp, &uri), []);
    lsp.expect_no_notification("workspace/inlayHint/refresh", Duration::from_millis(200));
    // A source file: the steps from COPY . . on.
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": ctx.uri("src/app.js"), "type": 2}]}),
    );
    lsp.notification("workspace/inlayHint/refresh");
    lsp.notification("workspace/codeLens/refresh");
    let got = hints(&mut lsp, &uri);
    assert_eq!(lines(&got), [5, 6], "{got:?}");
    assert_eq!(got[0].1, "⟳ rebuilds: src/app.js changed");
    // Saving the Dockerfile starts a new count.
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}, "text": files[0].1}),
    );
    let got = hints_until(&mut lsp, &uri, <[_]>::is_empty);
    assert_eq!(got, []);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn hover_on_a_copy_source() {
    let files = [
        (
            "Dockerfile",
            "FROM alpine\nCOPY docs/ /docs/\nCOPY . /src\n",
        ),
        ("docs/a.txt", "a\n"),
        ("docs/b.txt", "b\n"),
        ("docs/secret.key", "k\n"),
        (".dockerignore", "# keys stay home\n**/*.key\n"),
    ];
    let ctx = Context::new("hover", &files);
    let uri = ctx.uri("Dockerfile");
    let mut lsp = start(json!({}), false);
    lsp.open(&uri, files[0].1);
    lsp.wait_diagnostics(&uri, Some(1));
    let hover = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 7}}),
    );
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        text.contains("`docs/` selects 2 files: `docs/a.txt`, `docs/b.txt`"),
        "{text}"
    );
    assert!(
        text.contains("`docs/secret.key`: rule `**/*.key` (line 2)"),
        "{text}"
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn settings_turn_features_off_and_pick_the_target() {
    let text = "FROM alpine AS a\nRUN echo a\nFROM alpine AS b\nRUN echo b\n";
    let ctx = Context::new("settings", &[("Dockerfile", text)]);
    let uri = ctx.uri("Dockerfile");
    let mut lsp = start(
        json!({"cache": {"inlayHints": false, "codeLens": false}}),
        false,
    );
    lsp.open(&uri, text);
    lsp.wait_diagnostics(&uri, Some(1));
    lsp.change(&uri, 2, vec![edit((3, 9), (3, 10), "B")]);
    lsp.wait_diagnostics(&uri, Some(2));
    assert_eq!(hints(&mut lsp, &uri), []);
    let lenses = lsp.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(lenses, json!([]));
    // Hints on, target a: the edit in stage b is not built.
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile": {"target": "a"}}}),
    );
    lsp.wait_diagnostics(&uri, Some(2));
    let got = hints_until(&mut lsp, &uri, |_| true);
    assert_eq!(got, []);
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"dockerfile": {"target": "b"}}}),
    );
    lsp.wait_diagnostics(&uri, Some(2));
    let got = hints_until(&mut lsp, &uri, |h| !h.is_empty());
    assert_eq!(lines(&got), [4], "{got:?}");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
