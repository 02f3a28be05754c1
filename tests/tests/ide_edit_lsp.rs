//! The editing aids over stdio: completion, signature help, semantic tokens (full, delta,
//! range), folding and formatting (document, range, on-type), with exact results in both
//! position encodings on text with CJK and emoji.

use e2e::lsp_client::{LspClient, edit};
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";

/// Columns in UTF-8 bytes and in UTF-16 units; `pick` chooses by the session's encoding.
#[derive(Clone, Copy)]
struct Enc {
    utf8: bool,
}

impl Enc {
    fn name(self) -> &'static str {
        if self.utf8 { "utf-8" } else { "utf-16" }
    }

    fn pick(self, utf8: u32, utf16: u32) -> u32 {
        if self.utf8 { utf8 } else { utf16 }
    }
}

const BOTH: [Enc; 2] = [Enc { utf8: true }, Enc { utf8: false }];

fn start(enc: Enc, settings: Value, insert_replace: bool) -> LspClient {
    let mut lsp = LspClient::spawn();
    let result = lsp.initialize_with(json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {
            "general": {"positionEncodings": [enc.name()]},
            "workspace": {"configuration": true},
            "textDocument": {
                "completion": {"completionItem": {
                    "snippetSupport": true,
                    "insertReplaceSupport": insert_replace,
                }},
            },
        },
        "initializationOptions": settings.clone(),
    }));
    lsp.set_settings(settings);
    assert_eq!(result["capabilities"]["positionEncoding"], enc.name());
    lsp
}

fn open(lsp: &mut LspClient, text: &str) {
    lsp.open(URI, text);
    lsp.wait_diagnostics(URI, Some(1));
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn range(a: (u32, u32), b: (u32, u32)) -> Value {
    json!({"start": pos(a.0, a.1), "end": pos(b.0, b.1)})
}

fn at(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": pos(line, character)})
}

#[test]
fn capabilities_are_declared() {
    let mut lsp = LspClient::spawn();
    let result = lsp.initialize(&[], json!({}));
    let caps = &result["capabilities"];
    assert_eq!(
        caps["completionProvider"],
        json!({"resolveProvider": false, "triggerCharacters": [" ", "-", "=", "$", "{", ","]})
    );
    assert_eq!(
        caps["signatureHelpProvider"],
        json!({"triggerCharacters": [" ", "="], "retriggerCharacters": [","]})
    );
    let tokens = &caps["semanticTokensProvider"];
    assert_eq!(tokens["full"], json!({"delta": true}));
    assert_eq!(tokens["range"], true);
    assert_eq!(
        tokens["legend"]["tokenTypes"],
        json!([
            "keyword",
            "comment",
            "parameter",
            "property",
            "namespace",
            "class",
            "macro",
            "string",
            "variable",
            "operator",
            "number"
        ])
    );
    assert_eq!(
        tokens["legend"]["tokenModifiers"],
        json!([
            "declaration",
            "definition",
            "readonly",
            "deprecated",
            "defaultLibrary"
        ])
    );
    assert_eq!(caps["foldingRangeProvider"], true);
    assert_eq!(caps["documentFormattingProvider"], true);
    assert_eq!(caps["documentRangeFormattingProvider"], true);
    assert_eq!(
        caps["documentOnTypeFormattingProvider"],
        json!({"firstTriggerCharacter": "\n"})
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

const COMPLETION_TEXT: &str = "FROM alpine AS build\nENV MSG=\"日本 🐳\" HOME=/root\nRUN echo 🐳 \\\n  && echo 日本 $HO\nCOPY --from=b <<EOF /a\n🐳 ${M\nEOF\n";

#[test]
fn completion_in_both_encodings() {
    for enc in BOTH {
        let mut lsp = start(enc, json!({}), false);
        open(&mut lsp, COMPLETION_TEXT);

        // `  && echo 日本 $HO|`: the variables in scope, replacing `HO`.
        let col = enc.pick(20, 16);
        let items = lsp.request("textDocument/completion", at(3, col));
        let items = items.as_array().expect("items");
        let labels: Vec<&str> = items
            .iter()
            .map(|i| i["label"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(labels, ["HOME", "MSG", "PATH"], "{}", enc.name());
        let home = &items[0];
        assert_eq!(
            home["textEdit"],
            json!({"range": range((3, enc.pick(18, 14)), (3, col)), "newText": "HOME"})
        );
        assert_eq!(home["kind"], 6);
        assert_eq!(home["detail"], "= /root");
        assert_eq!(home["insertTextFormat"], 1);

        // A COPY heredoc after an emoji: `🐳 ${M|` completes `MSG}`.
        let col = enc.pick(8, 6);
        let items = lsp.request("textDocument/completion", at(5, col));
        let msg = &items[1];
        assert_eq!(msg["label"], "MSG");
        assert_eq!(
            msg["textEdit"],
            json!({"range": range((5, col - 1), (5, col)), "newText": "MSG}"})
        );
        assert_eq!(msg["detail"], "= 日本 🐳");

        // `--from=b|`: no stage but earlier ones (the current stage is not offered).
        let items = lsp.request("textDocument/completion", at(4, 13));
        assert_eq!(items, json!([]));
        assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
    }
}

#[test]
fn completion_snippets_and_insert_replace() {
    let mut lsp = start(Enc { utf8: false }, json!({}), true);
    open(&mut lsp, "FROM a\nRU\nRUN --mount=type=ca,target=/x\n");
    let items = lsp.request("textDocument/completion", at(1, 2));
    let run = items
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == "RUN"))
        .cloned()
        .expect("RUN");
    assert_eq!(run["insertTextFormat"], 2);
    assert_eq!(run["kind"], 14);
    assert_eq!(
        run["textEdit"],
        json!({"insert": range((1, 0), (1, 2)), "replace": range((1, 0), (1, 2)), "newText": "RUN ${1:command}"})
    );
    assert_eq!(run["documentation"]["kind"], "markdown");
    // Mount type values, replacing the whole field value after the cursor too.
    let items = lsp.request("textDocument/completion", at(2, 19));
    let cache = items
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == "cache"))
        .cloned()
        .expect("cache");
    assert_eq!(
        cache["textEdit"],
        json!({"insert": range((2, 17), (2, 19)), "replace": range((2, 17), (2, 19)), "newText": "cache"})
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn signature_help_in_both_encodings() {
    for enc in BOTH {
        let mut lsp = start(enc, json!({}), false);
        open(&mut lsp, "FROM a\nCOPY 日本🐳 \n");
        let col = enc.pick(16, 10);
        let help = lsp.request(
            "textDocument/signatureHelp",
            json!({"textDocument": {"uri": URI}, "position": pos(1, col)}),
        );
        assert_eq!(help["activeSignature"], 0);
        assert_eq!(help["activeParameter"], 7);
        let sig = &help["signatures"][0];
        let label = sig["label"].as_str().unwrap_or("");
        assert!(label.starts_with("COPY [--from=") && label.ends_with(" <dest>"));
        let n = label.len();
        assert_eq!(sig["parameters"][7]["label"], json!([n - 6, n]));
        // Typing the source instead: `<src>...`.
        let help = lsp.request(
            "textDocument/signatureHelp",
            json!({"textDocument": {"uri": URI}, "position": pos(1, enc.pick(15, 9))}),
        );
        assert_eq!(help["activeParameter"], 6);
        assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
    }
}

const TOKENS_TEXT: &str = "FROM alpine AS b\nENV M=\"日本🐳\" N=1\nRUN echo 🐳 $M\n";

/// Absolute `(line, start, length, type, modifiers)` from the relative encoding.
fn decode(data: &Value) -> Vec<(u32, u32, u32, u32, u32)> {
    let data: Vec<u32> = data
        .as_array()
        .expect("data")
        .iter()
        .map(|v| v.as_u64().unwrap_or(0) as u32)
        .collect();
    let (mut line, mut start) = (0, 0);
    data.chunks(5)
        .map(|c| {
            if c[0] > 0 {
                start = 0;
            }
            line += c[0];
            start += c[1];
            (line, start, c[2], c[3], c[4])
        })
        .collect()
}

#[test]
fn semantic_tokens_full_delta_range() {
    const KW: u32 = 0;
    const NS: u32 = 4;
    const CLASS: u32 = 5;
    const STR: u32 = 7;
    const VAR: u32 = 8;
    const OP: u32 = 9;
    const DD: u32 = 0b11;
    for enc in BOTH {
        let mut lsp = start(enc, json!({}), false);
        open(&mut lsp, TOKENS_TEXT);
        let full = lsp.request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        );
        let p = |a, b| enc.pick(a, b);
        assert_eq!(
            decode(&full["data"]),
            [
                (0, 0, 4, KW, 0),
                (0, 5, 6, CLASS, 0),
                (0, 12, 2, KW, 0),
                (0, 15, 1, NS, DD),
                (1, 0, 3, KW, 0),
                (1, 4, 1, VAR, DD),
                (1, 5, 1, OP, 0),
                (1, 6, p(12, 6), STR, 0),
                (1, p(19, 13), 1, VAR, DD),
                (1, p(20, 14), 1, OP, 0),
                (1, p(21, 15), 1, STR, 0),
                (2, 0, 3, KW, 0),
                (2, p(14, 12), 2, VAR, 0),
            ],
            "{}",
            enc.name()
        );
        let id = full["resultId"].as_str().expect("resultId").to_string();

        // `N=1` → `N=12`: one token changes length.
        lsp.change(URI, 2, vec![edit((1, p(22, 16)), (1, p(22, 16)), "2")]);
        lsp.wait_diagnostics(URI, Some(2));
        let delta = lsp.request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": URI}, "previousResultId": id}),
        );
        assert_eq!(
            delta["edits"],
            json!([{"start": 50, "deleteCount": 5, "data": [0, 1, 2, STR, 0]}])
        );
        assert_ne!(delta["resultId"], json!(id));
        // An unknown previous id gets full tokens.
        let again = lsp.request(
            "textDocument/semanticTokens/full/delta",
            json!({"textDocument": {"uri": URI}, "previousResultId": "nope"}),
        );
        assert_eq!(decode(&again["data"]).len(), 13);

        // A range: just the RUN line, relative to the start of the document.
        let ranged = lsp.request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": URI}, "range": range((2, 0), (2, 3))}),
        );
        assert_eq!(
            decode(&ranged["data"]),
            [(2, 0, 3, KW, 0), (2, p(14, 12), 2, VAR, 0)]
        );
        assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
    }
}

#[test]
fn folding_ranges() {
    let text = "# syntax=docker/dockerfile:1\n# check=skip=all\n# 说明 🐳\n# more\nFROM a AS b\nRUN echo 🐳 \\\n  x\n\nFROM b\nRUN <<A cat && <<B cat\n1\nA\n2\nB\n";
    for enc in BOTH {
        let mut lsp = start(enc, json!({}), false);
        open(&mut lsp, text);
        let folds = lsp.request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        );
        let fold = |s: u32, e: u32, kind: &str| json!({"startLine": s, "endLine": e, "kind": kind});
        assert_eq!(
            folds,
            json!([
                fold(0, 1, "region"),
                fold(2, 3, "comment"),
                fold(4, 6, "region"),
                fold(5, 6, "region"),
                fold(8, 13, "region"),
                fold(9, 13, "region"),
                fold(9, 11, "region"),
                fold(11, 13, "region"),
            ])
        );
        // A lone `\r` ends a line for the client (not for BuildKit): lines are the client's.
        lsp.change(URI, 2, vec![json!({"text": "FROM a\rRUN x \\\n y\n"})]);
        lsp.wait_diagnostics(URI, Some(2));
        let folds = lsp.request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        );
        assert_eq!(folds, json!([fold(0, 2, "region")]));
        assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
    }
}

const FORMAT_TEXT: &str = "FROM a\nRUN echo 🐳 \\ \n   x\nrun echo 日本🐳  \n";

#[test]
fn formatting_in_both_encodings() {
    for enc in BOTH {
        let mut lsp = start(enc, json!({}), false);
        open(&mut lsp, FORMAT_TEXT);
        let p = |a, b| enc.pick(a, b);
        let options = json!({"tabSize": 2, "insertSpaces": true});
        let edits = lsp.request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": URI}, "options": options}),
        );
        assert_eq!(
            edits,
            json!([
                {"range": range((1, p(15, 13)), (1, p(16, 14))), "newText": ""},
                {"range": range((3, 0), (3, 3)), "newText": "RUN"},
                {"range": range((3, p(19, 13)), (3, p(21, 15))), "newText": ""},
            ]),
            "{}",
            enc.name()
        );
        // Range formatting: only the last instruction.
        let edits = lsp.request(
            "textDocument/rangeFormatting",
            json!({"textDocument": {"uri": URI}, "range": range((3, 0), (3, 1)), "options": options}),
        );
        assert_eq!(edits.as_array().map(Vec::len), Some(2));
        // On-type does nothing unless re-indenting is on.
        let edits = lsp.request(
            "textDocument/onTypeFormatting",
            json!({"textDocument": {"uri": URI}, "position": pos(2, 0), "ch": "\n", "options": options}),
        );
        assert_eq!(edits, json!([]));
        assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
    }
}

#[test]
fn reindent_setting() {
    let settings = json!({"formatting": {"reindentContinuations": true}});
    let mut lsp = start(Enc { utf8: false }, settings, false);
    open(&mut lsp, FORMAT_TEXT);
    let options = json!({"tabSize": 2, "insertSpaces": true});
    let edits = lsp.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": URI}, "options": options}),
    );
    assert_eq!(
        edits[1],
        json!({"range": range((2, 0), (2, 3)), "newText": "  "})
    );
    // After typing a newline behind `\`, the new line is indented.
    lsp.change(URI, 2, vec![edit((2, 0), (2, 0), "\n")]);
    lsp.wait_diagnostics(URI, Some(2));
    let edits = lsp.request(
        "textDocument/onTypeFormatting",
        json!({"textDocument": {"uri": URI}, "position": pos(2, 0), "ch": "\n", "options": {"tabSize": 4, "insertSpaces": false}}),
    );
    assert_eq!(
        edits,
        json!([{"range": range((2, 0), (2, 0)), "newText": "\t"}])
    );
    lsp.close(URI);
    lsp.notification("textDocument/publishDiagnostics");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
