//! Every editor feature at an arbitrary offset of arbitrary text: never panics, every range
//! it returns lies inside the text on character boundaries, and the invariants clients rely
//! on hold (semantic tokens sorted, disjoint, single-line, and encoded to the positions an
//! independent count gives, in UTF-8 and UTF-16; range tokens are the full tokens meeting the
//! range; folds span at least two existing lines).

use dockerfile_lsp::ide;
use dockerfile_lsp::ide::semantic_tokens::{Encoding, Token, encode, semantic_tokens};
use dockerfile_lsp::model::{Model, Options};
use dockerfile_lsp::syntax::{self, TextRange, TextSize};

use super::common::{Bytes, check_range, line_col, line_starts};

/// Decodes the LSP relative encoding and compares it with positions counted independently.
fn check_encoding(text: &str, starts: &[usize], tokens: &[Token], encoding: Encoding) {
    let data = encode(text, tokens, encoding);
    assert_eq!(data.len(), tokens.len() * 5, "a token was dropped");
    let utf16 = encoding == Encoding::Utf16;
    let (mut line, mut col) = (0u32, 0u32);
    for (t, chunk) in tokens.iter().zip(data.chunks_exact(5)) {
        line += chunk[0];
        col = if chunk[0] == 0 {
            col + chunk[1]
        } else {
            chunk[1]
        };
        let (s, e) = (usize::from(t.range.start()), usize::from(t.range.end()));
        assert_eq!(
            (line, col),
            line_col(text, starts, s, utf16),
            "{t:?} {encoding:?}"
        );
        let piece = &text[s..e];
        let len = if utf16 {
            piece.encode_utf16().count()
        } else {
            piece.len()
        };
        assert_eq!(chunk[2] as usize, len, "{t:?} {encoding:?}");
        assert_eq!(chunk[3], t.kind as u32);
        assert_eq!(chunk[4], t.modifiers);
    }
}

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let mut input = Bytes(data);
    let n = input.u16();
    let pick = input.byte();
    let text = String::from_utf8_lossy(input.rest()).into_owned();
    let parse = syntax::parse(&text);
    let model = Model::new(&parse, &Options::default());
    // Up to one past the end: clients send such offsets, the features must cope.
    let at = TextSize::from((n as usize % (text.len() + 2)) as u32);

    // Navigation and information.
    if let Some(h) = ide::hover::hover(&parse, &model, at) {
        check_range(&text, h.range);
    }
    if let Some(d) = ide::navigation::definition(&parse, &model, at) {
        for t in d.targets {
            check_range(&text, t.full_range);
            check_range(&text, t.focus_range);
        }
    }
    for h in ide::navigation::highlights(&parse, &model, at) {
        check_range(&text, h.range);
    }
    for r in ide::navigation::references(&parse, &model, at, true) {
        check_range(&text, r);
    }
    if let Ok(p) = ide::rename::prepare_rename(&parse, &model, at) {
        check_range(&text, p.range);
    }
    let new_name = ["renamed", "x", "A_B", "build-2"][pick as usize % 4];
    if let Ok(edits) = ide::rename::rename(&parse, &model, at, new_name) {
        for e in edits {
            check_range(&text, e.range);
        }
    }
    for s in ide::symbols::document_symbols(&parse, &model) {
        check_range(&text, s.range);
    }
    for l in ide::links::document_links(&parse, &model) {
        check_range(&text, l.range);
    }

    // Editing aids.
    for item in ide::completion::completion(&parse, &model, at) {
        check_range(&text, item.range);
        check_range(&text, item.replace_range);
        assert_eq!(item.range.start(), item.replace_range.start(), "{item:?}");
        assert!(item.range.end() <= item.replace_range.end(), "{item:?}");
        let _ = ide::completion::snippet_to_plain(&item.insert_text);
    }
    if let Some(help) = ide::signature_help::signature_help(&parse, at) {
        let active = help.signatures.get(help.active_signature as usize);
        assert!(active.is_some(), "{help:?}");
        for s in &help.signatures {
            for p in &s.parameters {
                assert!(
                    p.label.0 <= p.label.1 && p.label.1 as usize <= s.label.len(),
                    "{s:?}"
                );
            }
        }
    }

    let starts = line_starts(&text);
    let tokens = semantic_tokens(&parse, &model, None);
    for t in &tokens {
        check_range(&text, t.range);
        assert!(!t.range.is_empty(), "{t:?}");
        let piece = &text[usize::from(t.range.start())..usize::from(t.range.end())];
        assert!(!piece.contains(['\n', '\r']), "multi-line token {t:?}");
    }
    for w in tokens.windows(2) {
        assert!(
            w[0].range.end() <= w[1].range.start(),
            "unsorted or overlapping {w:?}"
        );
    }
    check_encoding(&text, &starts, &tokens, Encoding::Utf8);
    check_encoding(&text, &starts, &tokens, Encoding::Utf16);
    // A range request: from the offset to a second one.
    let len = TextSize::from(text.len() as u32);
    let end = TextSize::from((n as usize * 7 % (text.len() + 1)) as u32).max(at.min(len));
    let within = TextRange::new(at.min(len), end);
    let ranged = semantic_tokens(&parse, &model, Some(within));
    let mut full = tokens.iter();
    for t in &ranged {
        assert!(
            full.any(|f| f == t),
            "range token {t:?} is not a full token"
        );
    }
    for t in &tokens {
        if t.range.start() <= within.end() && within.start() <= t.range.end() {
            assert!(ranged.contains(t), "{t:?} meets {within:?} but is missing");
        }
    }

    for f in ide::folding::folding_ranges(&parse) {
        check_range(&text, f.range);
        assert!(f.start_line < f.end_line, "{f:?}");
        assert!(
            (f.end_line as usize) < starts.len(),
            "{f:?} beyond the last line"
        );
    }

    let options = ide::formatting::FormatOptions {
        tab_size: u32::from(pick % 9),
        insert_spaces: pick & 0x10 == 0,
        reindent_continuations: pick & 0x20 == 0,
    };
    for ch in ['\n', 'x'] {
        for e in ide::formatting::format_on_type(&parse, at, ch, &options) {
            check_range(&text, e.range);
        }
    }
}
