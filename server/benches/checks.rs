//! The checks on generated multi-stage Dockerfiles: parse, model and checks measured
//! separately (the checks get a ready parse and model, as in the server).
//!
//! Run: `cargo bench -p dockerfile-lsp --bench checks`

mod common;

use divan::{Bencher, black_box};
use dockerfile_lsp::checks::{self, Config};
use dockerfile_lsp::model::Model;
use dockerfile_lsp::syntax;

// The server runs on mimalloc; measure with the same allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

#[divan::bench(args = SIZES)]
fn parse(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    bencher.bench(|| syntax::parse(black_box(&text)));
}

#[divan::bench(args = SIZES)]
fn model(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    let parse = syntax::parse(&text);
    let config = Config::default();
    bencher.bench(|| Model::new(black_box(&parse), &config.model_options()));
}

#[divan::bench(args = SIZES)]
fn checks(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    let parse = syntax::parse(&text);
    let config = Config::default();
    let model = Model::new(&parse, &config.model_options());
    bencher.bench(|| checks::check(black_box(&parse), black_box(&model), &config));
}

/// A keystroke where lspbench types: the checks of the new version, reusing the findings of
/// the previous run (as the server does), on a ready parse and model.
#[divan::bench(args = SIZES)]
fn keystroke_checks(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    let at = common::edit_offset(&text) as u32;
    let config = Config::default();
    let old_parse = syntax::parse(&text);
    let old_model = Model::new(&old_parse, &config.model_options());
    let (_, cache) = checks::check_incremental(&old_parse, &old_model, &config, None);
    let edit = syntax::TextEdit {
        range: syntax::TextRange::empty(at.into()),
        insert: "x".to_string(),
    };
    let new_text = edit.apply(&text);
    let parse = old_parse.reparse(&new_text, &edit);
    let model = old_model.update(&parse, &config.model_options());
    bencher.bench(|| {
        let previous = checks::Previous {
            cache: &cache,
            edit: &edit,
        };
        checks::check_incremental(
            black_box(&parse),
            black_box(&model),
            &config,
            Some(previous),
        )
    });
}
