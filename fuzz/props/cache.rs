//! The cache analysis on arbitrary text: never panics; an unchanged file rebuilds nothing;
//! every impact covers every step; what-if edits hit the edited step; and changes combine
//! monotonically (asking about more changes never makes a step more cached).

use dockerfile_lsp::cache::{CacheAnalysis, CacheOptions, Change, Impact, Status, analyze_text};

fn covers_every_step(impact: &Impact, analysis: &CacheAnalysis, what: &str) {
    let ids: Vec<usize> = impact.steps.iter().map(|s| s.step).collect();
    let all: Vec<usize> = (0..analysis.steps().len()).collect();
    assert_eq!(
        ids, all,
        "{what}: an impact lists every step once, in order"
    );
    let _ = impact.summary(analysis);
}

/// How far `status` goes towards a rebuild; `NotBuilt` stands apart.
fn rank(status: Status) -> Option<u8> {
    match status {
        Status::Cached => Some(0),
        Status::Volatile => Some(1),
        Status::Conditional => Some(2),
        Status::Invalidated => Some(3),
        Status::NotBuilt => None,
    }
}

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let (text, edit) = super::common::text_and_edit(data);
    let options = CacheOptions::default();
    let old = analyze_text(&text, &options);
    let again = analyze_text(&text, &options);
    let same = CacheAnalysis::diff(&old, &again);
    covers_every_step(&same, &again, "diff of equal texts");
    if let Some(s) = same.rebuilt().next() {
        panic!("{text:?} unchanged, yet step {} rebuilds: {s:?}", s.step);
    }

    let new_text = edit.apply(&text);
    let new = analyze_text(&new_text, &options);
    covers_every_step(&CacheAnalysis::diff(&old, &new), &new, "diff after an edit");

    let mut changes: Vec<Change<'_>> = vec![
        Change::ContextFile("src/main.go"),
        Change::ContextFile("."),
        Change::BuildArg("A"),
        Change::BuildArg("HTTP_PROXY"),
        Change::ImageDigest("alpine"),
        Change::EditLine(0),
        Change::Diff(&old),
    ];
    changes.extend((0..new.stages().len().min(8)).map(Change::BaseDigest));
    changes.extend((0..new.line_count().min(64)).map(Change::EditLine));
    let entries = new
        .steps()
        .iter()
        .map(|s| s.origin)
        .max()
        .map_or(0, |e| e + 1);
    changes.extend((0..entries.min(64)).map(Change::EditEntry));

    let all = new.impact(&changes);
    covers_every_step(&all, &new, "all changes at once");
    for change in &changes {
        let one = new.impact(std::slice::from_ref(change));
        covers_every_step(&one, &new, &format!("{change:?}"));
        for (single, combined) in one.steps.iter().zip(&all.steps) {
            match (rank(single.status), rank(combined.status)) {
                (Some(a), Some(b)) => assert!(
                    a <= b,
                    "{change:?} alone rebuilds step {} more than all changes together in {new_text:?}",
                    single.step
                ),
                (a, b) => assert_eq!(a, b, "built or not does not depend on the change"),
            }
        }
        if let Change::EditEntry(entry) = *change {
            for (step, outcome) in new.steps().iter().zip(&one.steps) {
                if step.origin == entry && outcome.status != Status::NotBuilt {
                    assert!(
                        outcome.status.rebuilds(),
                        "editing entry {entry} leaves its own step cached: {outcome:?} in {new_text:?}"
                    );
                }
            }
        }
    }
}
