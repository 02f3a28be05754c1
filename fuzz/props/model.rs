//! The model on arbitrary text: never panics, and the update after an edit (which reuses
//! untouched stages) equals a fresh analysis.

use dockerfile_lsp::model::{Model, Options};
use dockerfile_lsp::syntax;

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let (text, edit) = super::common::text_and_edit(data);
    let options = Options::default();
    let old_parse = syntax::parse(&text);
    let old = Model::new(&old_parse, &options);
    let new_text = edit.apply(&text);
    let new_parse = old_parse.reparse(&new_text, &edit);
    let updated = old.update(&new_parse, &options);
    let fresh = Model::new(&new_parse, &options);
    assert_eq!(
        super::common::model_summary(&updated),
        super::common::model_summary(&fresh),
        "{text:?} after {edit:?}"
    );
}
