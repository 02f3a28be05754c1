//! Unit tests of the whole `check` pipeline on small inputs (the fixture suite in
//! `tests/fixtures/checks` covers every rule; these pin down the API).

use super::*;
use crate::model::Model;
use crate::syntax::parse;

pub(super) fn run(text: &str, config: &Config) -> Vec<Diagnostic> {
    let p = parse(text);
    let m = Model::new(&p, &config.model_options());
    check(&p, &m, config)
}

#[test]
fn clean_file_has_no_diagnostics() {
    let d = run(
        "FROM alpine:3.20\nRUN echo hi\nCMD [\"sh\"]\n",
        &Config::default(),
    );
    assert!(d.is_empty(), "{d:#?}");
}
