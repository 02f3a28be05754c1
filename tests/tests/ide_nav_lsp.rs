//! Navigation and information features over stdio, in both position encodings, on a file
//! whose lines mix CJK and emoji with the symbols (so UTF-8 and UTF-16 columns differ):
//! definition, references, document highlight, prepareRename / rename, hover, document and
//! workspace symbols, document links.

use e2e::lsp_client::{LspClient, edit};
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";
const OTHER: &str = "file:///work/other.Dockerfile";

const TEXT: &str = "# syntax=docker/dockerfile:1
ARG APP_HOME=/srv
FROM node:20 AS build
ARG APP_HOME
RUN echo \"建置階段😀\" $APP_HOME
RUN <<EOF
echo 😀 $APP_HOME
EOF
FROM alpine
COPY --from=build /😀 /建置
";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Enc {
    Utf8,
    Utf16,
}

impl Enc {
    fn name(self) -> &'static str {
        match self {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
        }
    }

    /// The column of byte `byte` of `line`.
    fn column(self, line: &str, byte: usize) -> u32 {
        match self {
            Enc::Utf8 => byte as u32,
            Enc::Utf16 => line[..byte].encode_utf16().count() as u32,
        }
    }
}

/// The LSP range of the `nth` (0-based) `needle` on line `line` of [`TEXT`].
fn range(enc: Enc, line: u32, needle: &str, nth: usize) -> Value {
    let text = TEXT.lines().nth(line as usize).expect("line");
    let byte = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} on line {line}"))
        .0;
    json!({
        "start": {"line": line, "character": enc.column(text, byte)},
        "end": {"line": line, "character": enc.column(text, byte + needle.len())},
    })
}

/// A position inside the `nth` `needle` on line `line` (one character in).
fn pos(enc: Enc, line: u32, needle: &str, nth: usize) -> Value {
    let start = range(enc, line, needle, nth)["start"].clone();
    json!({"line": line, "character": start["character"].as_u64().expect("col") + 1})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

/// `initialize` offering `enc`, with or without location links and symbol trees; opens
/// [`TEXT`] and reads its diagnostics.
fn start(enc: Enc, modern: bool) -> LspClient {
    let mut lsp = LspClient::spawn();
    let mut text_document = json!({
        "synchronization": {"didSave": true},
        "publishDiagnostics": {"versionSupport": true},
    });
    if modern {
        text_document["definition"] = json!({"linkSupport": true});
        text_document["documentSymbol"] = json!({"hierarchicalDocumentSymbolSupport": true});
        text_document["rename"] = json!({"prepareSupport": true});
    }
    let result = lsp.initialize_with(json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {
            "general": {"positionEncodings": [enc.name()]},
            "textDocument": text_document,
        },
    }));
    assert_eq!(result["capabilities"]["positionEncoding"], enc.name());
    lsp.open(URI, TEXT);
    // A clean file: only the informational note that `FROM alpine` has no tag.
    let diagnostics = lsp.wait_diagnostics(URI, Some(1));
    let codes: Vec<&Value> = diagnostics.iter().map(|d| &d["code"]).collect();
    assert_eq!(codes, [&json!("UnpinnedBaseImage")]);
    lsp
}

#[test]
fn capabilities_are_declared() {
    let mut lsp = LspClient::spawn();
    let result = lsp.initialize(&["utf-16"], json!({}));
    let caps = &result["capabilities"];
    assert_eq!(caps["definitionProvider"], true);
    assert_eq!(caps["referencesProvider"], true);
    assert_eq!(caps["documentHighlightProvider"], true);
    assert_eq!(caps["renameProvider"], json!({"prepareProvider": true}));
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(
        caps["documentSymbolProvider"],
        json!({"label": "Dockerfile"})
    );
    assert_eq!(caps["workspaceSymbolProvider"], true);
    assert_eq!(
        caps["documentLinkProvider"],
        json!({"resolveProvider": false})
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn the_cjk_line_has_these_columns() {
    // Spelled out once: `$APP_HOME` on line 4 starts after 10 ASCII bytes, four CJK
    // characters (3 bytes, 1 UTF-16 unit each), an emoji (4 bytes, 2 units) and `" `.
    assert_eq!(
        range(Enc::Utf8, 4, "APP_HOME", 0),
        json!({"start": {"line": 4, "character": 29}, "end": {"line": 4, "character": 37}})
    );
    assert_eq!(
        range(Enc::Utf16, 4, "APP_HOME", 0),
        json!({"start": {"line": 4, "character": 19}, "end": {"line": 4, "character": 27}})
    );
}

fn variable_occurrences(enc: Enc) -> Vec<Value> {
    vec![
        range(enc, 1, "APP_HOME", 0),
        range(enc, 3, "APP_HOME", 0),
        range(enc, 4, "APP_HOME", 0),
        range(enc, 6, "APP_HOME", 0),
    ]
}

fn check_navigation(enc: Enc) {
    let mut lsp = start(enc, false);
    let on_use = at(URI, pos(enc, 4, "APP_HOME", 0));

    // Definition: the stage's `ARG APP_HOME`, then the global one that gives the value.
    let def = lsp.request("textDocument/definition", on_use.clone());
    assert_eq!(
        def,
        json!([
            {"uri": URI, "range": range(enc, 3, "APP_HOME", 0)},
            {"uri": URI, "range": range(enc, 1, "APP_HOME", 0)},
        ])
    );

    // References, with and without the declarations.
    let mut params = on_use.clone();
    params["context"] = json!({"includeDeclaration": true});
    let refs = lsp.request("textDocument/references", params.clone());
    let expected: Vec<Value> = variable_occurrences(enc)
        .into_iter()
        .map(|r| json!({"uri": URI, "range": r}))
        .collect();
    assert_eq!(refs, json!(expected));
    params["context"] = json!({"includeDeclaration": false});
    let uses = lsp.request("textDocument/references", params);
    assert_eq!(uses, json!(expected[2..]));

    // Highlight: definitions are writes (3), uses reads (2).
    let highlights = lsp.request("textDocument/documentHighlight", on_use.clone());
    let kinds = [3, 3, 2, 2];
    let expected: Vec<Value> = variable_occurrences(enc)
        .into_iter()
        .zip(kinds)
        .map(|(r, k)| json!({"range": r, "kind": k}))
        .collect();
    assert_eq!(highlights, json!(expected));

    // Stages: from `--from=build` to `AS build`, and back.
    let def = lsp.request("textDocument/definition", at(URI, pos(enc, 9, "build", 0)));
    assert_eq!(
        def,
        json!([{"uri": URI, "range": range(enc, 2, "build", 0)}])
    );
    let highlights = lsp.request(
        "textDocument/documentHighlight",
        at(URI, pos(enc, 2, "build", 0)),
    );
    assert_eq!(
        highlights,
        json!([
            {"range": range(enc, 2, "build", 0), "kind": 3},
            {"range": range(enc, 9, "build", 0), "kind": 2},
        ])
    );

    // Heredoc delimiters: opener and terminator.
    let highlights = lsp.request(
        "textDocument/documentHighlight",
        at(URI, pos(enc, 7, "EOF", 0)),
    );
    assert_eq!(
        highlights,
        json!([
            {"range": range(enc, 5, "EOF", 0), "kind": 3},
            {"range": range(enc, 7, "EOF", 0), "kind": 2},
        ])
    );

    // Nothing under the cursor: null.
    let none = lsp.request("textDocument/definition", at(URI, pos(enc, 4, "echo", 0)));
    assert_eq!(none, Value::Null);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn navigation_utf8() {
    check_navigation(Enc::Utf8);
}

#[test]
fn navigation_utf16() {
    check_navigation(Enc::Utf16);
}

fn check_rename(enc: Enc) {
    let mut lsp = start(enc, true);
    let on_use = at(URI, pos(enc, 6, "APP_HOME", 0));
    let prepared = lsp.request("textDocument/prepareRename", on_use.clone());
    assert_eq!(
        prepared,
        json!({"range": range(enc, 6, "APP_HOME", 0), "placeholder": "APP_HOME"})
    );
    let mut params = on_use;
    params["newName"] = json!("ROOT");
    let edit = lsp.request("textDocument/rename", params);
    let edits: Vec<Value> = variable_occurrences(enc)
        .into_iter()
        .map(|r| json!({"range": r, "newText": "ROOT"}))
        .collect();
    assert_eq!(edit, json!({"changes": {URI: edits}}));

    // A stage: the name and the `--from`.
    let mut params = at(URI, pos(enc, 9, "build", 0));
    params["newName"] = json!("compile");
    let edit = lsp.request("textDocument/rename", params.clone());
    assert_eq!(
        edit,
        json!({"changes": {URI: [
            {"range": range(enc, 2, "build", 0), "newText": "compile"},
            {"range": range(enc, 9, "build", 0), "newText": "compile"},
        ]}})
    );

    // Refused: the client shows the message.
    params["newName"] = json!("scratch");
    let error = lsp
        .try_request("textDocument/rename", params)
        .expect_err("refused");
    assert_eq!(error["code"], -32803);
    assert_eq!(
        error["message"],
        "`scratch` is reserved and can't name a stage"
    );
    let error = lsp
        .try_request(
            "textDocument/prepareRename",
            at(URI, pos(enc, 2, "node", 0)),
        )
        .map(|v| v.to_string());
    // On the image: nothing to rename.
    assert_eq!(error, Ok("null".to_string()));
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn rename_utf8() {
    check_rename(Enc::Utf8);
}

#[test]
fn rename_utf16() {
    check_rename(Enc::Utf16);
}

fn check_hover_symbols_links(enc: Enc) {
    let mut lsp = start(enc, true);
    let hover = lsp.request("textDocument/hover", at(URI, pos(enc, 4, "APP_HOME", 0)));
    assert_eq!(hover["range"], range(enc, 4, "APP_HOME", 0));
    assert_eq!(hover["contents"]["kind"], "markdown");
    let md = hover["contents"]["value"].as_str().expect("markdown");
    assert_eq!(
        md,
        "**ARG** `APP_HOME`

Value here: `/srv`, the default of the global ARG on line 2.

```dockerfile
ARG APP_HOME
```
Defined on line 4; the value comes from line 2.
"
    );
    let hover = lsp.request("textDocument/hover", at(URI, pos(enc, 9, "build", 0)));
    assert_eq!(hover["range"], range(enc, 9, "build", 0));
    let md = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        md.starts_with("**stage** `build` (index 0, line 3)\n\n`build ← node:20`"),
        "{md}"
    );
    let hover = lsp.request("textDocument/hover", at(URI, pos(enc, 9, "COPY", 0)));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .is_some_and(|md| md.starts_with("**COPY** —")),
        "{hover}"
    );

    // Document symbols, as a tree.
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let outline: Vec<(String, u64, usize)> = symbols
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().expect("name").to_string(),
                s["kind"].as_u64().expect("kind"),
                s["children"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        outline,
        [
            ("syntax=docker/dockerfile:1".to_string(), 20, 0),
            ("ARG APP_HOME=/srv".to_string(), 12, 1),
            ("build (node:20)".to_string(), 2, 3),
            ("stage 1 (alpine)".to_string(), 2, 1),
        ]
    );
    let build = &symbols[2];
    assert_eq!(build["selectionRange"], range(enc, 2, "build", 0));
    assert_eq!(
        build["range"],
        json!({"start": {"line": 2, "character": 0}, "end": {"line": 7, "character": 3}})
    );
    let run = &build["children"][1];
    assert_eq!(run["name"], "RUN echo \"建置階段😀\" $APP_HOME");
    let end = enc.column(
        TEXT.lines().nth(4).expect("line"),
        TEXT.lines().nth(4).expect("line").len(),
    );
    assert_eq!(
        run["range"],
        json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": end}})
    );

    // Workspace symbols across the open documents.
    lsp.open(OTHER, "FROM alpine AS builder\nENV 建置=😀 BUILD_ID=1\n");
    lsp.wait_diagnostics(OTHER, Some(1));
    let found = lsp.request("workspace/symbol", json!({"query": "build"}));
    let mut names: Vec<(String, String)> = found
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().expect("name").to_string(),
                s["location"]["uri"].as_str().expect("uri").to_string(),
            )
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("BUILD_ID".to_string(), OTHER.to_string()),
            ("build".to_string(), URI.to_string()),
            ("builder".to_string(), OTHER.to_string()),
        ]
    );
    let build_id = found
        .as_array()
        .expect("symbols")
        .iter()
        .find(|s| s["name"] == "BUILD_ID")
        .expect("BUILD_ID");
    // `ENV 建置=😀 BUILD_ID=1`: the name starts after 4 + 6 + 1 + 4 + 1 bytes (4 + 2 + 1 +
    // 2 + 1 UTF-16 units).
    let start = if enc == Enc::Utf8 { 16 } else { 10 };
    assert_eq!(
        build_id["location"]["range"],
        json!({"start": {"line": 1, "character": start}, "end": {"line": 1, "character": start + 8}})
    );

    // Document links.
    let links = lsp.request(
        "textDocument/documentLink",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(
        links,
        json!([
            {"range": range(enc, 2, "node", 0), "target": "https://hub.docker.com/_/node", "tooltip": "Open node:20 on Docker Hub"},
            {"range": range(enc, 8, "alpine", 0), "target": "https://hub.docker.com/_/alpine", "tooltip": "Open alpine on Docker Hub"},
        ])
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn hover_symbols_and_links_utf8() {
    check_hover_symbols_links(Enc::Utf8);
}

#[test]
fn hover_symbols_and_links_utf16() {
    check_hover_symbols_links(Enc::Utf16);
}

#[test]
fn links_and_flat_symbols_for_older_clients() {
    // Without hierarchy support: a flat list with container names.
    let mut lsp = start(Enc::Utf16, false);
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let flat: Vec<(String, Option<String>)> = symbols
        .as_array()
        .expect("symbols")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().expect("name").to_string(),
                s["containerName"].as_str().map(str::to_string),
            )
        })
        .collect();
    assert_eq!(flat.len(), 10, "{flat:#?}");
    assert_eq!(
        flat[2],
        (
            "APP_HOME".to_string(),
            Some("ARG APP_HOME=/srv".to_string())
        )
    );
    assert_eq!(
        flat[4],
        (
            "ARG APP_HOME".to_string(),
            Some("build (node:20)".to_string())
        )
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));

    // With linkSupport: LocationLinks (the origin, the whole FROM, the name).
    let mut lsp = start(Enc::Utf16, true);
    let def = lsp.request(
        "textDocument/definition",
        at(URI, pos(Enc::Utf16, 9, "build", 0)),
    );
    assert_eq!(
        def,
        json!([{
            "originSelectionRange": range(Enc::Utf16, 9, "build", 0),
            "targetUri": URI,
            "targetRange": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 21}},
            "targetSelectionRange": range(Enc::Utf16, 2, "build", 0),
        }])
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn hover_follows_the_build_args_setting() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&["utf-16"], json!({"buildArgs": {"APP_HOME": "/opt"}}));
    lsp.open(URI, TEXT);
    lsp.wait_diagnostics(URI, Some(1));
    let hover = lsp.request(
        "textDocument/hover",
        at(URI, pos(Enc::Utf16, 6, "APP_HOME", 0)),
    );
    let md = hover["contents"]["value"].as_str().expect("markdown");
    assert!(
        md.contains("Value here: `/opt` (from `--build-arg`)."),
        "{md}"
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn answers_follow_incremental_edits() {
    let mut lsp = start(Enc::Utf16, false);
    // A new use in the build stage, before the heredoc; the model is updated, not rebuilt.
    lsp.change(
        URI,
        2,
        vec![edit((5, 0), (5, 0), "RUN echo 😀${APP_HOME}\n")],
    );
    lsp.wait_diagnostics(URI, Some(2));
    let mut params = at(URI, pos(Enc::Utf16, 1, "APP_HOME", 0));
    params["context"] = json!({"includeDeclaration": false});
    let refs = lsp.request("textDocument/references", params);
    let lines: Vec<(u64, u64)> = refs
        .as_array()
        .expect("locations")
        .iter()
        .map(|l| {
            (
                l["range"]["start"]["line"].as_u64().expect("line"),
                l["range"]["start"]["character"]
                    .as_u64()
                    .expect("character"),
            )
        })
        .collect();
    // `RUN echo 😀${` is 9 + 2 + 2 UTF-16 units.
    assert_eq!(lines, [(4, 19), (5, 13), (7, 9)]);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
