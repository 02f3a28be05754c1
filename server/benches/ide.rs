//! Editing aids on generated Dockerfiles: semantic tokens (the anchor server's slowest
//! request: 37.5 s at 10k lines), completion, folding and formatting.
//!
//! Run: `cargo bench -p dockerfile-lsp --bench ide`

mod common;

use divan::{Bencher, black_box};
use dockerfile_lsp::ide::{
    completion, folding, formatting, hover, navigation, rename, semantic_tokens, signature_help,
    symbols,
};
use dockerfile_lsp::model::{Model, Options};
use dockerfile_lsp::syntax::{self, TextSize};

// The server runs on mimalloc; measure with the same allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

fn setup(lines: usize) -> (String, syntax::Parse, Model) {
    let text = common::synthetic_dockerfile(lines);
    let parse = syntax::parse(&text);
    let model = Model::new(&parse, &Options::default());
    (text, parse, model)
}

/// `textDocument/semanticTokens/full` after parsing and analysis: tokens plus the UTF-16
/// relative encoding the client receives.
#[divan::bench(args = SIZES)]
fn semantic_tokens_full_utf16(bencher: Bencher, lines: usize) {
    let (text, parse, model) = setup(lines);
    bencher.bench(|| {
        let tokens = semantic_tokens::semantic_tokens(black_box(&parse), &model, None);
        semantic_tokens::encode(&text, &tokens, semantic_tokens::Encoding::Utf16)
    });
}

/// The same including parse and model, as after an edit with nothing cached.
#[divan::bench(args = SIZES)]
fn semantic_tokens_full_from_text(bencher: Bencher, lines: usize) {
    let text = common::synthetic_dockerfile(lines);
    bencher.bench(|| {
        let parse = syntax::parse(black_box(&text));
        let model = Model::new(&parse, &Options::default());
        let tokens = semantic_tokens::semantic_tokens(&parse, &model, None);
        semantic_tokens::encode(&text, &tokens, semantic_tokens::Encoding::Utf16)
    });
}

/// A viewport (about 60 lines) in the middle of the file.
#[divan::bench(args = SIZES)]
fn semantic_tokens_range(bencher: Bencher, lines: usize) {
    let (text, parse, model) = setup(lines);
    let mid = text.len() / 2;
    let range = syntax::TextRange::new(
        TextSize::from(mid as u32),
        TextSize::from((mid + 3_000).min(text.len()) as u32),
    );
    bencher.bench(|| {
        let tokens = semantic_tokens::semantic_tokens(black_box(&parse), &model, Some(range));
        semantic_tokens::encode(&text, &tokens, semantic_tokens::Encoding::Utf16)
    });
}

/// Completion of a variable in the middle of the file (`${` typed in a RUN).
#[divan::bench(args = SIZES)]
fn completion_variable(bencher: Bencher, lines: usize) {
    let (text, parse, model) = setup(lines);
    let at = common::edit_offset(&text);
    let mut edited = text.clone();
    edited.insert_str(at, "\nRUN echo ${");
    let parse2 = syntax::parse(&edited);
    let model2 = Model::new(&parse2, &Options::default());
    let offset = TextSize::from((at + "\nRUN echo ${".len()) as u32);
    let _ = (&parse, &model);
    bencher.bench(|| completion::completion(black_box(&parse2), &model2, offset));
}

#[divan::bench(args = SIZES)]
fn folding_ranges(bencher: Bencher, lines: usize) {
    let (_, parse, _) = setup(lines);
    bencher.bench(|| folding::folding_ranges(black_box(&parse)));
}

#[divan::bench(args = SIZES)]
fn format_document(bencher: Bencher, lines: usize) {
    let (_, parse, _) = setup(lines);
    let options = formatting::FormatOptions::default();
    bencher.bench(|| formatting::format(black_box(&parse), &options));
}

/// `textDocument/documentSymbol` without the conversion to LSP positions and JSON: the
/// hierarchy of stages and their instructions.
#[divan::bench(args = SIZES)]
fn document_symbols(bencher: Bencher, lines: usize) {
    let (_, parse, model) = setup(lines);
    bencher.bench(|| symbols::document_symbols(black_box(&parse), black_box(&model)));
}

/// Where the first `--from=stage0` refers to a stage: the position of a stage name.
fn stage_reference(text: &str) -> TextSize {
    let at = text
        .find("--from=stage0")
        .expect("a COPY --from in the file")
        + "--from=".len();
    TextSize::from(at as u32)
}

/// Hover on a stage reference (the stage's base chain and image config).
#[divan::bench(args = SIZES)]
fn hover_stage(bencher: Bencher, lines: usize) {
    let (text, parse, model) = setup(lines);
    let at = stage_reference(&text);
    bencher.bench(|| hover::hover(black_box(&parse), black_box(&model), at));
}

/// References of a stage name, declaration included.
#[divan::bench(args = SIZES)]
fn references_stage(bencher: Bencher, lines: usize) {
    let (text, parse, model) = setup(lines);
    let at = stage_reference(&text);
    bencher.bench(|| navigation::references(black_box(&parse), black_box(&model), at, true));
}

/// Rename of a stage name (every reference edited).
#[divan::bench(args = SIZES)]
fn rename_stage(bencher: Bencher, lines: usize) {
    let (text, parse, model) = setup(lines);
    let at = stage_reference(&text);
    bencher.bench(|| rename::rename(black_box(&parse), black_box(&model), at, "renamed"));
}

/// Signature help where lspbench types.
#[divan::bench(args = SIZES)]
fn signature_help_at_edit(bencher: Bencher, lines: usize) {
    let (text, parse, _) = setup(lines);
    let at = TextSize::from(common::edit_offset(&text) as u32);
    bencher.bench(|| signature_help::signature_help(black_box(&parse), at));
}
