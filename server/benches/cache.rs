//! The cache engine on generated multi-stage Dockerfiles (the shape `lspbench.py --emit N`
//! prints): the evaluation pass, and each kind of question the editor asks per keystroke.
//!
//! Run: `cargo bench -p dockerfile-lsp --bench cache`

mod common;

use divan::{Bencher, black_box};
use dockerfile_lsp::cache::{CacheAnalysis, CacheOptions};
use dockerfile_lsp::model::Model;
use dockerfile_lsp::syntax;

// The server runs on mimalloc; measure with the same allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

fn prepared(lines: usize) -> (syntax::Parse, Model, CacheOptions) {
    let text = common::synthetic_dockerfile(lines);
    let options = CacheOptions::default();
    let parse = syntax::parse(&text);
    let model = Model::new(&parse, &options.build);
    (parse, model, options)
}

/// The evaluation pass alone (parse and model already built, as in the server).
#[divan::bench(args = SIZES)]
fn analysis(bencher: Bencher, lines: usize) {
    let (parse, model, options) = prepared(lines);
    bencher.bench(|| CacheAnalysis::new(black_box(&parse), black_box(&model), &options));
}

/// Parse, model and evaluation pass from text: what a keystroke costs end to end.
#[divan::bench(args = SIZES)]
fn parse_model_analysis(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    let options = CacheOptions::default();
    bencher.bench(|| {
        let parse = syntax::parse(black_box(&text));
        let model = Model::new(&parse, &options.build);
        CacheAnalysis::new(&parse, &model, &options)
    });
}

/// Baseline vs buffer after typing into an ENV in the middle of the file.
#[divan::bench(args = SIZES)]
fn diff_after_edit(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    let at = common::edit_offset(&text);
    let mut edited = text.clone();
    edited.insert(at, 'x');
    let options = CacheOptions::default();
    let old = dockerfile_lsp::cache::analyze_text(&text, &options);
    let new = dockerfile_lsp::cache::analyze_text(&edited, &options);
    bencher.bench(|| CacheAnalysis::diff(black_box(&old), black_box(&new)));
}

/// A code lens: what-if for one instruction in the middle.
#[divan::bench(args = SIZES)]
fn what_if_edit(bencher: Bencher, lines: usize) {
    let (parse, model, options) = prepared(lines);
    let an = CacheAnalysis::new(&parse, &model, &options);
    let entry = parse.entry_count() / 2;
    bencher.bench(|| an.what_if_edit(black_box(entry)));
}

/// A watched file changed.
#[divan::bench(args = SIZES)]
fn changed_context_file(bencher: Bencher, lines: usize) {
    let (parse, model, options) = prepared(lines);
    let an = CacheAnalysis::new(&parse, &model, &options);
    bencher.bench(|| an.changed_context_file(black_box("files/file13.txt")));
}

/// A build arg used by every stage.
#[divan::bench(args = SIZES)]
fn changed_build_arg(bencher: Bencher, lines: usize) {
    let (parse, model, options) = prepared(lines);
    let an = CacheAnalysis::new(&parse, &model, &options);
    bencher.bench(|| an.changed_build_arg(black_box("APP_VERSION")));
}
