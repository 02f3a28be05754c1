//! Property tests: no navigation feature panics at any byte offset of Dockerfile-ish text, and
//! a rename leaves a file whose model resolves every reference as before (to the renamed
//! symbol, or to what it resolved to before).

use proptest::prelude::*;

use super::hover::hover;
use super::links::document_links;
use super::navigation::{definition, highlights, occurrences_of, references, symbol_at};
use super::rename::{prepare_rename, rename};
use super::symbols::{document_symbols, workspace_symbols};
use crate::model::{Model, Options};
use crate::syntax::{Parse, TextRange, TextSize, parse};

fn analyze(text: &str) -> (Parse, Model) {
    let p = parse(text);
    let m = Model::new(&p, &Options::default());
    (p, m)
}

// ---- Generators ----------------------------------------------------------------------------------

/// Random text built from Dockerfile pieces and arbitrary characters.
fn noise() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "FROM ",
        "from ",
        "ARG ",
        "ENV ",
        "RUN ",
        "COPY ",
        "ONBUILD ",
        "WORKDIR ",
        "CMD ",
        "HEALTHCHECK CMD ",
        " AS ",
        "$",
        "${",
        "}",
        ":-",
        "\"",
        "'",
        "\\\n",
        "\n",
        "\r\n",
        " ",
        "<<EOF",
        "<<-\"E\"",
        "EOF",
        "E",
        "\t",
        "--from=",
        "--mount=type=cache,from=",
        "=",
        ",",
        "# syntax=docker/dockerfile:1.7\n",
        "# check=skip=JSONArgsRecommended\n",
        "# escape=`\n",
        "`",
        "建",
        "😀",
        "A",
        "b",
        "0",
        "alpine",
        "build",
        "[\"x\"]",
        "#",
    ]);
    let piece = prop_oneof![
        4 => pieces.prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..50).prop_map(|v| v.concat())
}

/// Well-formed-ish multi-stage Dockerfiles with names drawn from small pools, so that
/// definitions, uses and stage references collide in interesting ways.
fn dockerfile() -> impl Strategy<Value = String> {
    let var = || prop::sample::select(vec!["A", "B", "VERSION", "HOME", "TARGETARCH"]);
    let stage = || prop::sample::select(vec!["build", "Build", "base", "tools", "later"]);
    let reference = || {
        prop::sample::select(vec![
            "build", "BUILD", "base", "tools", "later", "0", "1", "alpine", "nginx:1",
        ])
    };
    let value = || prop::sample::select(vec!["1", "$A", "${B:-x}", "\"q $A\"", "建😀"]);
    let line = prop_oneof![
        (var(), value()).prop_map(|(n, v)| format!("ARG {n}={v}")),
        var().prop_map(|n| format!("ARG {n}")),
        (var(), value()).prop_map(|(n, v)| format!("ENV {n}={v}")),
        (var(), value()).prop_map(|(n, v)| format!("ENV {n} {v}")),
        (reference(), stage()).prop_map(|(b, s)| format!("FROM {b} AS {s}")),
        reference().prop_map(|b| format!("FROM {b}")),
        (var(), stage()).prop_map(|(n, s)| format!("FROM alpine:${{{n}:-3}} AS {s}")),
        (var(), var()).prop_map(|(a, b)| format!("RUN echo ${a} \"${{{b}}}\" '${a}'")),
        reference().prop_map(|r| format!("COPY --from={r} /a /b")),
        (var(), reference())
            .prop_map(|(n, r)| format!("RUN --mount=type=cache,target=/${n},from={r} true")),
        reference().prop_map(|r| format!("ONBUILD COPY --from={r} /x /y")),
        var().prop_map(|n| format!("ONBUILD ENV {n}=2")),
        var().prop_map(|n| format!("RUN <<EOF\necho ${n}\nEOF")),
        var().prop_map(|n| format!("COPY <<'X' <<Y /d/\n${n}\nX\n${n}\nY")),
        var().prop_map(|n| format!("CMD echo ${n}")),
        var().prop_map(|n| format!("WORKDIR /w/${{{n}:-d}}")),
        var().prop_map(|n| format!("RUN echo 建置😀 ${n} \\\n  && echo ${{{n}}}")),
    ];
    prop::collection::vec(line, 1..14).prop_map(|l| l.join("\n") + "\n")
}

// ---- No panics -----------------------------------------------------------------------------------

fn every_feature_everywhere(text: &str) {
    let (p, m) = analyze(text);
    let _ = document_symbols(&p, &m);
    let _ = document_links(&p, &m);
    let _ = workspace_symbols([(0u8, &p, &m)], "a");
    for offset in 0..=text.len() + 1 {
        let at = TextSize::from(offset as u32);
        let _ = symbol_at(&p, &m, at);
        let _ = definition(&p, &m, at);
        let _ = highlights(&p, &m, at);
        let _ = references(&p, &m, at, true);
        let _ = prepare_rename(&p, &m, at);
        let _ = rename(&p, &m, at, "NEW_NAME");
        let _ = rename(&p, &m, at, "newname");
        let _ = hover(&p, &m, at);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_panic_on_noise(text in noise()) {
        every_feature_everywhere(&text);
    }

    #[test]
    fn no_panic_on_dockerfiles(text in dockerfile()) {
        every_feature_everywhere(&text);
    }

    /// The navigation features binary-search the model's lists by instruction.
    #[test]
    fn model_lists_are_ordered_by_instruction(text in prop_oneof![noise(), dockerfile()]) {
        let (_, m) = analyze(&text);
        prop_assert!(m.var_defs.is_sorted_by_key(|d| d.entry));
        prop_assert!(m.var_uses.is_sorted_by_key(|u| u.entry));
        prop_assert!(m.stage_refs.is_sorted_by_key(|r| r.entry));
    }

    #[test]
    fn rename_keeps_the_model_consistent(
        text in dockerfile(),
        pick in any::<prop::sample::Index>(),
        name in any::<prop::sample::Index>(),
    ) {
        check_rename_consistency(&text, pick, name);
    }
}

// ---- Rename consistency --------------------------------------------------------------------------

/// Where an old offset ends up after the edits.
fn map(edits: &[(TextRange, String)], at: TextSize) -> TextSize {
    let mut shift: i64 = 0;
    for (r, new) in edits {
        if r.end() <= at {
            shift += new.len() as i64 - i64::from(u32::from(r.len()));
        }
    }
    TextSize::from((i64::from(u32::from(at)) + shift) as u32)
}

fn apply(text: &str, edits: &[(TextRange, String)]) -> String {
    crate::ide::nav_fixture::apply_edits(text, edits)
}

/// The start of each occurrence of the symbol at `at`, sorted.
fn occurrence_starts(p: &Parse, m: &Model, at: TextSize) -> Vec<TextSize> {
    match symbol_at(p, m, at) {
        Some(s) => occurrences_of(p, m, s.symbol)
            .into_iter()
            .map(|h| h.range.start())
            .collect(),
        None => Vec::new(),
    }
}

/// Renames a definition or stage name picked at random, to a fresh name or to one that may
/// clash (then the rename must be refused, or be harmless).
fn check_rename_consistency(text: &str, pick: prop::sample::Index, name: prop::sample::Index) {
    const VAR_NAMES: [&str; 4] = ["RENAMED", "A", "B", "HOME"];
    const STAGE_NAMES: [&str; 5] = ["renamed", "tools", "base", "alpine", "later"];
    let (p, m) = analyze(text);
    // Candidate positions: every definition and stage name.
    let mut spots: Vec<(TextSize, &str)> = m
        .var_defs
        .iter()
        .map(|d| (d.range.start(), VAR_NAMES[name.index(VAR_NAMES.len())]))
        .collect();
    spots.extend(
        m.stages
            .iter()
            .filter_map(|s| s.name_range)
            .map(|r| (r.start(), STAGE_NAMES[name.index(STAGE_NAMES.len())])),
    );
    if spots.is_empty() {
        return;
    }
    let (at, new_name) = spots[pick.index(spots.len())];
    let Ok(edits) = rename(&p, &m, at, new_name) else {
        return;
    };
    let edits: Vec<(TextRange, String)> =
        edits.into_iter().map(|e| (e.range, e.new_text)).collect();
    let before = occurrence_starts(&p, &m, at);
    let new_text = apply(text, &edits);
    let (p2, m2) = analyze(&new_text);
    // 1. The renamed symbol's occurrences are exactly the edited places, each now the new name.
    let after = occurrence_starts(&p2, &m2, map(&edits, at));
    let mapped: Vec<TextSize> = before.iter().map(|&b| map(&edits, b)).collect();
    assert_eq!(
        after, mapped,
        "occurrences moved\n--- before\n{text}--- after\n{new_text}"
    );
    for (r, _) in &edits {
        let start = usize::from(map(&edits, r.start()));
        let got = new_text
            .get(start..start + new_name.len())
            .map(str::to_lowercase);
        assert_eq!(
            got.as_deref(),
            Some(new_name.to_lowercase().as_str()),
            "\n{new_text}"
        );
    }
    // 2. Every other use still resolves to the same definition (nothing captured).
    assert_eq!(
        m.var_uses.len(),
        m2.var_uses.len(),
        "\n{text}---\n{new_text}"
    );
    for (u, u2) in m.var_uses.iter().zip(&m2.var_uses) {
        assert_eq!(
            map(&edits, u.range.start()),
            u2.range.start(),
            "\n{new_text}"
        );
        let d = u
            .def
            .map(|d| map(&edits, m.var_defs[d as usize].range.start()));
        let d2 = u2.def.map(|d| m2.var_defs[d as usize].range.start());
        assert_eq!(
            d, d2,
            "use at {:?} changed its definition\n{text}---\n{new_text}",
            u.range
        );
    }
    // 3. Every stage reference still names the same stage.
    assert_eq!(
        m.stage_refs.len(),
        m2.stage_refs.len(),
        "\n{text}---\n{new_text}"
    );
    for (r, r2) in m.stage_refs.iter().zip(&m2.stage_refs) {
        assert_eq!(
            r.target, r2.target,
            "stage ref {:?} changed target\n{text}---\n{new_text}",
            r.text
        );
    }
}

#[test]
fn map_offsets_through_edits() {
    let edits = vec![(TextRange::new(2.into(), 4.into()), "abcd".to_string())];
    assert_eq!(map(&edits, 1.into()), 1.into());
    assert_eq!(map(&edits, 4.into()), 6.into());
}
