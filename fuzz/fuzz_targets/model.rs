//! The model on arbitrary text: never panics, and the update after an edit (which reuses
//! untouched stages) equals a fresh analysis.
#![no_main]

use dockerfile_lsp::model::{Model, Options};
use dockerfile_lsp::syntax;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (text, edit) = common::text_and_edit(data);
    let options = Options::default();
    let old_parse = syntax::parse(&text);
    let old = Model::new(&old_parse, &options);
    let new_text = edit.apply(&text);
    let new_parse = old_parse.reparse(&new_text, &edit);
    let updated = old.update(&new_parse, &options);
    let fresh = Model::new(&new_parse, &options);
    assert_eq!(updated.stages, fresh.stages);
    assert_eq!(updated.var_defs, fresh.var_defs);
    assert_eq!(updated.var_uses, fresh.var_uses);
    assert_eq!(updated.stage_refs, fresh.stage_refs);
    assert_eq!(updated.entries, fresh.entries);
});
