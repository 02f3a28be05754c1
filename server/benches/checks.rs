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

const SIZES: [usize; 2] = [1_000, 10_000];

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
