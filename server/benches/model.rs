//! The model (stages, scopes, references) of generated multi-stage files: a full analysis,
//! and the update after a keystroke that reuses untouched stages.
//!
//! Run: `cargo bench -p dockerfile-lsp --bench model`

mod common;

use divan::{Bencher, black_box};
use dockerfile_lsp::model::{Model, Options};
use dockerfile_lsp::syntax;

// The server runs on mimalloc; measure with the same allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

#[divan::bench(args = SIZES)]
fn full_analysis(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    let parse = syntax::parse(&text);
    bencher.bench(|| Model::new(black_box(&parse), &Options::default()));
}

/// A keystroke where lspbench types: incremental re-parse, then the model update.
#[divan::bench(args = SIZES)]
fn keystroke_update(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    let at = common::edit_offset(&text) as u32;
    let old_parse = syntax::parse(&text);
    let old = Model::new(&old_parse, &Options::default());
    let edit = syntax::TextEdit {
        range: syntax::TextRange::empty(at.into()),
        insert: "x".to_string(),
    };
    let new_text = edit.apply(&text);
    bencher.bench(|| {
        let parse = old_parse.reparse(black_box(&new_text), &edit);
        old.update(&parse, &Options::default())
    });
}
