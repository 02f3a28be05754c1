//! The editing aids on random and real files: no panic at any offset, and the invariants
//! clients rely on (sorted, disjoint, single-line tokens on character boundaries; edit ranges
//! inside the text; folds of at least two lines).

use dockerfile_lsp::ide::semantic_tokens::{Encoding, encode, semantic_tokens};
use dockerfile_lsp::ide::{completion, folding, formatting, signature_help};
use dockerfile_lsp::model::{Model, Options};
use dockerfile_lsp::syntax::{TextRange, TextSize, parse};
use e2e::{real_world_files, shared_dir};
use proptest::prelude::*;

fn check_all(text: &str, every_offset: bool) {
    let p = parse(text);
    let m = Model::new(&p, &Options::default());
    let boundary = |o: TextSize| text.is_char_boundary(usize::from(o));

    let tokens = semantic_tokens(&p, &m, None);
    for w in tokens.windows(2) {
        assert!(w[0].range.end() <= w[1].range.start(), "overlap {w:?}");
    }
    for t in &tokens {
        assert!(!t.range.is_empty() && usize::from(t.range.end()) <= text.len());
        assert!(boundary(t.range.start()) && boundary(t.range.end()));
        assert!(!text[std::ops::Range::<usize>::from(t.range)].contains('\n'));
    }
    assert_eq!(
        encode(text, &tokens, Encoding::Utf8).len(),
        tokens.len() * 5
    );
    assert_eq!(
        encode(text, &tokens, Encoding::Utf16).len(),
        tokens.len() * 5
    );
    for f in folding::folding_ranges(&p) {
        assert!(f.start_line < f.end_line, "{f:?}");
    }
    let options = formatting::FormatOptions::default();
    let _ = formatting::format(&p, &options);

    let step = if every_offset { 1 } else { 7 };
    let len = text.len() as u32;
    for o in (0..=len + 1).step_by(step) {
        let at = TextSize::from(o);
        for item in completion::completion(&p, &m, at) {
            let r = item.replace_range;
            assert!(usize::from(r.end()) <= text.len(), "{item:?}");
            assert!(boundary(r.start()) && boundary(r.end()) && boundary(item.range.end()));
        }
        let _ = signature_help::signature_help(&p, at);
        let reindent = formatting::FormatOptions {
            reindent_continuations: true,
            ..options
        };
        let _ = formatting::format_on_type(&p, at, '\n', &reindent);
        if every_offset || o % 5 == 0 {
            let r = TextRange::new(at.min(TextSize::from(len)), TextSize::from(len));
            let _ = semantic_tokens(&p, &m, Some(r));
            let _ = formatting::format_range(&p, r, &options);
        }
    }
}

#[test]
fn real_world_files_at_many_offsets() {
    let root = shared_dir().join("corpus/real-world");
    for rel in real_world_files() {
        let bytes = std::fs::read(root.join(&rel)).expect("readable");
        let (text, _) = dockerfile_lsp::syntax::decode(&bytes);
        check_all(&text, false);
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "FROM ",
        "from ",
        "AS ",
        "RUN ",
        "COPY ",
        "ONBUILD ",
        "HEALTHCHECK ",
        "ARG ",
        "ENV ",
        "--mount=",
        "type=cache",
        ",",
        "target=/x",
        "--from=",
        "--platform=",
        "$",
        "${",
        "}",
        "X",
        "=",
        "\\",
        "`",
        "\n",
        "\r\n",
        " ",
        "\t",
        "# ",
        "# syntax=",
        "# escape=`\n",
        "# check=skip=",
        "<<EOF",
        "<<-'E'",
        "EOF",
        "E",
        "[\"",
        "\"]",
        "日本",
        "🐳",
        "é",
        "\"",
        "'",
        ":-",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_text_any_offset(pieces in prop::collection::vec(piece(), 0..40)) {
        check_all(&pieces.concat(), true);
    }
}
