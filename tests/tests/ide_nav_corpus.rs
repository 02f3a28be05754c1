//! The navigation features over the real-world corpus: nothing panics at any offset, every
//! range they return lies on character boundaries inside the text, and renaming any variable
//! or stage leaves every reference resolving as before.

use dockerfile_lsp::ide::{hover, links, navigation, rename, symbols};
use dockerfile_lsp::model::{Model, Options};
use dockerfile_lsp::syntax::{self, Parse, TextRange, TextSize};

fn files() -> Vec<(String, String)> {
    let root = e2e::shared_dir().join("corpus/real-world");
    e2e::real_world_files()
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(root.join(&rel)).expect("readable");
            (rel.display().to_string(), syntax::decode(&bytes).0)
        })
        .collect()
}

fn analyze(text: &str) -> (Parse, Model) {
    let parse = syntax::parse(text);
    let model = Model::new(&parse, &Options::default());
    (parse, model)
}

#[track_caller]
fn on_boundaries(name: &str, text: &str, range: TextRange) {
    let (s, e) = (usize::from(range.start()), usize::from(range.end()));
    assert!(
        s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e),
        "{name}: bad range {range:?}"
    );
}

#[test]
fn every_feature_at_every_offset() {
    for (name, text) in files() {
        let (p, m) = analyze(&text);
        for s in symbols::document_symbols(&p, &m) {
            on_boundaries(&name, &text, s.range);
            on_boundaries(&name, &text, s.selection_range);
        }
        for l in links::document_links(&p, &m) {
            on_boundaries(&name, &text, l.range);
        }
        let _ = symbols::workspace_symbols([(0, &p, &m)], "e");
        for offset in 0..=text.len() {
            let at = TextSize::from(offset as u32);
            if let Some(h) = hover::hover(&p, &m, at) {
                on_boundaries(&name, &text, h.range);
            }
            let Some(found) = navigation::symbol_at(&p, &m, at) else {
                continue;
            };
            on_boundaries(&name, &text, found.range);
            if let Some(d) = navigation::definition(&p, &m, at) {
                for t in d.targets {
                    on_boundaries(&name, &text, t.full_range);
                    on_boundaries(&name, &text, t.focus_range);
                }
            }
            for h in navigation::highlights(&p, &m, at) {
                on_boundaries(&name, &text, h.range);
            }
            if let Ok(prep) = rename::prepare_rename(&p, &m, at) {
                on_boundaries(&name, &text, prep.range);
            }
        }
    }
}

/// Where an old offset ends up after the edits.
fn map(edits: &[rename::TextEdit], at: TextSize) -> TextSize {
    let shift: i64 = edits
        .iter()
        .filter(|e| e.range.end() <= at)
        .map(|e| e.new_text.len() as i64 - i64::from(u32::from(e.range.len())))
        .sum();
    TextSize::from((i64::from(u32::from(at)) + shift) as u32)
}

fn apply(text: &str, edits: &[rename::TextEdit]) -> String {
    let mut out = text.to_string();
    for e in edits.iter().rev() {
        out.replace_range(
            usize::from(e.range.start())..usize::from(e.range.end()),
            &e.new_text,
        );
    }
    out
}

#[test]
fn renames_keep_every_resolution() {
    let mut renamed = 0;
    for (name, text) in files() {
        let (p, m) = analyze(&text);
        let mut spots: Vec<(TextSize, &str)> = m
            .var_defs
            .iter()
            .map(|d| (d.range.start(), "RENAMED_VAR"))
            .collect();
        spots.extend(
            m.stages
                .iter()
                .filter_map(|s| s.name_range)
                .map(|r| (r.start(), "renamed-stage")),
        );
        for (at, new_name) in spots {
            let Ok(edits) = rename::rename(&p, &m, at, new_name) else {
                continue;
            };
            renamed += 1;
            let new_text = apply(&text, &edits);
            let (p2, m2) = analyze(&new_text);
            let occurrences = |p: &Parse, m: &Model, at: TextSize| -> Vec<TextSize> {
                navigation::highlights(p, m, at)
                    .iter()
                    .map(|h| h.range.start())
                    .collect()
            };
            let before: Vec<TextSize> = occurrences(&p, &m, at)
                .into_iter()
                .map(|o| map(&edits, o))
                .collect();
            assert_eq!(
                occurrences(&p2, &m2, map(&edits, at)),
                before,
                "{name}: renaming at {at:?}"
            );
            assert_eq!(m.var_uses.len(), m2.var_uses.len(), "{name}");
            for (u, u2) in m.var_uses.iter().zip(&m2.var_uses) {
                let d = u
                    .def
                    .map(|d| map(&edits, m.var_defs[d as usize].range.start()));
                let d2 = u2.def.map(|d| m2.var_defs[d as usize].range.start());
                assert_eq!(
                    d, d2,
                    "{name}: renaming at {at:?} moved a use of {}",
                    u.name
                );
            }
            for (r, r2) in m.stage_refs.iter().zip(&m2.stage_refs) {
                assert_eq!(r.target, r2.target, "{name}: renaming at {at:?}");
            }
        }
    }
    assert!(renamed > 100, "only {renamed} renames were tried");
}
