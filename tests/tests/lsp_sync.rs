//! Text synchronisation and diagnostics: incremental edits in order, in both encodings,
//! invalid edits, save, close.

use dockerfile_lsp::{checks, syntax};
use e2e::lsp_client::{LspClient, edit, messages, replace_all};
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";

/// The server's view of the text, via its syntax tree: equal to the tree of `expected`.
fn assert_text(lsp: &mut LspClient, expected: &str) {
    let tree = lsp.request(
        "dockerfile-lsp/syntaxTree",
        json!({"textDocument": {"uri": URI}}),
    );
    let want = format!("{:#?}", syntax::parse(expected).syntax());
    assert_eq!(
        tree.as_str(),
        Some(want.as_str()),
        "expected text {expected:?}"
    );
}

/// (line, UTF-16 column) of a byte offset; lines end at `\n`, `\r\n` or `\r`.
fn utf16_position(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let mut line = 0;
    let mut start = 0;
    let bytes = before.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
            b'\r' | b'\n' => {
                line += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let column = before[start..].encode_utf16().count();
    (line, column as u32)
}

/// A diagnostic reduced to (start, end, message), positions as (line, UTF-16 column).
type Reported = ((u32, u32), (u32, u32), String);

/// What the server should report for `text`.
fn expected_diagnostics(text: &str) -> Vec<Reported> {
    let parse = syntax::parse(text);
    let config = checks::Config::default();
    let model = dockerfile_lsp::model::Model::new(&parse, &config.model_options());
    checks::check(&parse, &model, &config)
        .into_iter()
        .map(|d| {
            (
                utf16_position(text, usize::from(d.range.start())),
                utf16_position(text, usize::from(d.range.end())),
                d.message,
            )
        })
        .collect()
}

fn reported(diagnostics: &[Value]) -> Vec<Reported> {
    let pos = |p: &Value| {
        (
            p["line"].as_u64().expect("line") as u32,
            p["character"].as_u64().expect("character") as u32,
        )
    };
    diagnostics
        .iter()
        .map(|d| {
            (
                pos(&d["range"]["start"]),
                pos(&d["range"]["end"]),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect()
}

#[test]
fn diagnostics_appear_clear_after_the_fix_and_on_close() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    let diags = lsp.wait_diagnostics(URI, Some(1));
    assert_eq!(
        diags,
        [json!({
            "range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": 5}},
            "severity": 1,
            "code": "MissingValue",
            "codeDescription": {"href": "https://docs.docker.com/reference/dockerfile/"},
            "source": "buildkit",
            "message": "ENV must have two arguments",
        })]
    );
    lsp.change(URI, 2, vec![edit((1, 5), (1, 5), "=1")]);
    assert_eq!(lsp.wait_diagnostics(URI, Some(2)), Vec::<Value>::new());
    lsp.change(URI, 3, vec![edit((1, 5), (1, 7), "")]);
    assert_eq!(
        messages(&lsp.wait_diagnostics(URI, Some(3))),
        ["ENV must have two arguments"]
    );
    lsp.close(URI);
    let cleared = lsp.notification("textDocument/publishDiagnostics");
    assert_eq!(
        cleared,
        json!({"uri": URI, "diagnostics": []}),
        "cleared without a version"
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

/// A small deterministic generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

/// A random char boundary of `text`.
fn boundary(text: &str, rng: &mut Lcg) -> usize {
    let mut bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    bounds.push(text.len());
    bounds[rng.next(bounds.len())]
}

#[test]
fn three_hundred_edits_sent_back_to_back_apply_in_order() {
    const PIECES: [&str; 12] = [
        "E",
        "N",
        "V",
        " ",
        "A",
        "=",
        "1",
        "\n",
        "建",
        "😀",
        "\\",
        "LABEL X\nENV Y\n",
    ];
    let mut lsp = LspClient::spawn();
    lsp.initialize(&["utf-16"], json!({}));
    let mut text = String::from("FROM scratch\nENV A\n");
    lsp.open(URI, &text);
    let mut rng = Lcg(42);
    let mut version = 1;
    for _ in 0..300 {
        version += 1;
        // Now and then several changes in one notification, each on the previous result.
        let count = if rng.next(7) == 0 { 3 } else { 1 };
        let mut changes = Vec::new();
        for _ in 0..count {
            let (mut a, mut b) = (boundary(&text, &mut rng), boundary(&text, &mut rng));
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            if b - a > 8 || rng.next(3) != 0 {
                b = a; // mostly insertions, as typing is
            }
            let piece = if rng.next(4) == 0 {
                ""
            } else {
                PIECES[rng.next(PIECES.len())]
            };
            if a == b && piece.is_empty() {
                continue;
            }
            changes.push(edit(
                utf16_position(&text, a),
                utf16_position(&text, b),
                piece,
            ));
            text.replace_range(a..b, piece);
        }
        lsp.change(URI, version, changes);
    }
    assert_eq!(version, 301);
    // Publications arrive in version order (the client checks) and end with the last one.
    let diagnostics = lsp.wait_diagnostics(URI, Some(301));
    let expected = expected_diagnostics(&text);
    assert!(
        !expected.is_empty(),
        "the text should have errors: {text:?}"
    );
    assert_eq!(reported(&diagnostics), expected, "final text {text:?}");
    assert_text(&mut lsp, &text);
    // Nothing older may follow: `shutdown_and_exit` fails on any unread publication.
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn crlf_and_multibyte_in_utf16() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    let text = "FROM scratch\r\nRUN echo \"建置階段😀\" $APP_HOME\r\nENV 😀\r\n";
    lsp.open(URI, text);
    assert_eq!(
        reported(&lsp.wait_diagnostics(URI, Some(1))),
        [((2, 4), (2, 6), "ENV must have two arguments".to_string())]
    );
    // Replace `$APP_HOME` (UTF-16 columns 18..27) and give ENV its value after the emoji.
    lsp.change(
        URI,
        2,
        vec![edit((1, 18), (1, 27), "$X"), edit((2, 6), (2, 6), "=v")],
    );
    assert_eq!(lsp.wait_diagnostics(URI, Some(2)), Vec::<Value>::new());
    assert_text(
        &mut lsp,
        "FROM scratch\r\nRUN echo \"建置階段😀\" $X\r\nENV 😀=v\r\n",
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn crlf_and_multibyte_in_utf8() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&["utf-8"], json!({}));
    let text = "FROM scratch\r\nRUN echo \"建置階段😀\" $APP_HOME\r\nENV 😀\r\n";
    lsp.open(URI, text);
    assert_eq!(
        reported(&lsp.wait_diagnostics(URI, Some(1))),
        [((2, 4), (2, 8), "ENV must have two arguments".to_string())]
    );
    // `$APP_HOME` is at UTF-8 columns 28..37.
    lsp.change(
        URI,
        2,
        vec![edit((1, 28), (1, 37), "$X"), edit((2, 8), (2, 8), "=v")],
    );
    assert_eq!(lsp.wait_diagnostics(URI, Some(2)), Vec::<Value>::new());
    assert_text(
        &mut lsp,
        "FROM scratch\r\nRUN echo \"建置階段😀\" $X\r\nENV 😀=v\r\n",
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn invalid_edits_are_clamped_never_fatal() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.open(URI, "ENV 😀\nRUN x\n");
    lsp.wait_diagnostics(URI, Some(1));
    let steps: [(Value, &str); 5] = [
        // Past the end of a line: at the line's end.
        (edit((0, 40), (0, 99), " 1"), "ENV 😀 1\nRUN x\n"),
        // Past the end of the file: at the end.
        (
            edit((7, 3), (99, 0), "LABEL z\n"),
            "ENV 😀 1\nRUN x\nLABEL z\n",
        ),
        // Inverted: applied the right way round.
        (edit((1, 5), (1, 4), ""), "ENV 😀 1\nRUN \nLABEL z\n"),
        // Inside the surrogate pair: from the emoji's start.
        (edit((0, 5), (0, 6), "e"), "ENV e 1\nRUN \nLABEL z\n"),
        // Far beyond u32 range is not representable; the maximum is.
        (
            edit((u32::MAX, u32::MAX), (u32::MAX, u32::MAX), "#"),
            "ENV e 1\nRUN \nLABEL z\n#",
        ),
    ];
    for (version, (change, expected)) in (2..).zip(steps) {
        lsp.change(URI, version, vec![change]);
        let diags = lsp.wait_diagnostics(URI, Some(version));
        assert_eq!(
            reported(&diags),
            expected_diagnostics(expected),
            "{expected:?}"
        );
        assert_text(&mut lsp, expected);
    }
    lsp.wait_stderr("inverted edit range");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn full_text_changes_and_save() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    lsp.wait_diagnostics(URI, Some(1));
    lsp.change(
        URI,
        2,
        vec![
            replace_all("FROM scratch\n"),
            edit((1, 0), (1, 0), "LABEL b\n"),
        ],
    );
    assert_eq!(
        messages(&lsp.wait_diagnostics(URI, Some(2))),
        ["LABEL must have two arguments"]
    );
    // Saving the same text changes nothing.
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}, "text": "FROM scratch\nLABEL b\n"}),
    );
    // Saved text that differs (the client and we drifted apart) wins.
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": URI}, "text": "FROM scratch\nLABEL b=1\n"}),
    );
    assert_eq!(lsp.wait_diagnostics(URI, Some(2)), Vec::<Value>::new());
    assert_text(&mut lsp, "FROM scratch\nLABEL b=1\n");
    // Reopening replaces the document.
    lsp.close(URI);
    lsp.wait_diagnostics(URI, None);
    lsp.open(URI, "FROM scratch\nENV A\n");
    assert_eq!(lsp.wait_diagnostics(URI, Some(1)).len(), 1);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn several_documents() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    let uris: Vec<String> = (0..5)
        .map(|i| format!("file:///work/{i}/Dockerfile"))
        .collect();
    for uri in &uris {
        lsp.open(uri, "FROM scratch\nENV A\n");
    }
    for (i, uri) in uris.iter().enumerate() {
        if i % 2 == 0 {
            lsp.change(uri, 2, vec![edit((1, 5), (1, 5), "=1")]);
        }
    }
    for (i, uri) in uris.iter().enumerate() {
        let version = if i % 2 == 0 { 2 } else { 1 };
        let diags = lsp.wait_diagnostics(uri, Some(version));
        assert_eq!(diags.len(), usize::from(i % 2 == 1), "{uri}");
    }
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
