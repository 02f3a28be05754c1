//! Parse throughput on generated multi-stage Dockerfiles, and the cost of re-parsing the one
//! instruction a keystroke touches.
//!
//! Run: `cargo bench -p dockerfile-lsp --bench parse`

mod common;

use divan::{Bencher, black_box};
use dockerfile_lsp::syntax;

// The server runs on mimalloc; measure with the same allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

#[divan::bench(args = SIZES)]
fn full_parse(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| syntax::parse(black_box(&text)));
}

/// A keystroke in the middle of the file (where lspbench types): the incremental re-parse,
/// including moving every later instruction.
#[divan::bench(args = SIZES)]
fn keystroke_reparse(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    let at = common::edit_offset(&text) as u32;
    let old = syntax::parse(&text);
    let edit = syntax::TextEdit {
        range: syntax::TextRange::empty(at.into()),
        insert: "x".to_string(),
    };
    let new_text = edit.apply(&text);
    bencher.bench(|| old.reparse(black_box(&new_text), black_box(&edit)));
}
