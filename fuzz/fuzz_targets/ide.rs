//! Every editor feature at an arbitrary offset of arbitrary text: never panics, and every
//! range it returns lies inside the text on character boundaries.
#![no_main]

use dockerfile_lsp::ide;
use dockerfile_lsp::model::{Model, Options};
use dockerfile_lsp::syntax::{self, TextRange, TextSize};
use libfuzzer_sys::fuzz_target;

fn check(text: &str, range: TextRange) {
    let (s, e) = (usize::from(range.start()), usize::from(range.end()));
    assert!(s <= e && e <= text.len(), "{range:?} outside the text");
    assert!(text.is_char_boundary(s) && text.is_char_boundary(e), "{range:?} splits a character");
}

fuzz_target!(|data: &[u8]| {
    let (head, body) = data.split_at(data.len().min(2));
    let text = String::from_utf8_lossy(body).into_owned();
    let parse = syntax::parse(&text);
    let model = Model::new(&parse, &Options::default());
    let n = head.iter().fold(0usize, |acc, &x| acc * 256 + x as usize);
    let at = TextSize::from((n % (text.len() + 2)) as u32);

    if let Some(h) = ide::hover::hover(&parse, &model, at) {
        check(&text, h.range);
    }
    if let Some(d) = ide::navigation::definition(&parse, &model, at) {
        for t in d.targets {
            check(&text, t.full_range);
            check(&text, t.focus_range);
        }
    }
    for h in ide::navigation::highlights(&parse, &model, at) {
        check(&text, h.range);
    }
    for r in ide::navigation::references(&parse, &model, at, true) {
        check(&text, r);
    }
    if let Ok(p) = ide::rename::prepare_rename(&parse, &model, at) {
        check(&text, p.range);
    }
    if let Ok(edits) = ide::rename::rename(&parse, &model, at, "renamed") {
        for e in edits {
            check(&text, e.range);
        }
    }
    for s in ide::symbols::document_symbols(&parse, &model) {
        check(&text, s.range);
    }
    for l in ide::links::document_links(&parse, &model) {
        check(&text, l.range);
    }
});
