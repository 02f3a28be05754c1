//! Test fixtures for the navigation features: `$0` marks the cursor and `«…»` the ranges a
//! feature should return, so an expectation reads as the file itself.

use crate::model::{Model, Options};
use crate::syntax::{Parse, TextRange, TextSize, parse};

pub(crate) struct Fixture {
    /// The file without markers.
    pub text: String,
    /// Where `$0` was (0 when absent).
    pub offset: TextSize,
    pub parse: Parse,
    pub model: Model,
}

/// Strips `$0`, `«` and `»` from `src` and analyses the rest.
pub(crate) fn fixture(src: &str) -> Fixture {
    let mut text = String::with_capacity(src.len());
    let mut offset = TextSize::from(0);
    let mut open = 0i32;
    let mut rest = src;
    while let Some(c) = rest.chars().next() {
        let here = TextSize::from(text.len() as u32);
        if let Some(r) = rest.strip_prefix("$0") {
            offset = here;
            rest = r;
            continue;
        }
        match c {
            // Expected ranges are compared by re-marking the text (see `mark`).
            '«' => open += 1,
            '»' => open -= 1,
            c => text.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    assert_eq!(open, 0, "unbalanced «» in fixture");
    let parse = parse(&text);
    let model = Model::new(&parse, &Options::default());
    Fixture {
        text,
        offset,
        parse,
        model,
    }
}

/// `text` with `«…»` around each range (ranges must not overlap).
pub(crate) fn mark(text: &str, ranges: &[TextRange]) -> String {
    let mut sorted: Vec<TextRange> = ranges.to_vec();
    sorted.sort_by_key(|r| (r.start(), r.end()));
    let mut out = String::with_capacity(text.len() + ranges.len() * 4);
    let mut at = 0usize;
    for r in sorted {
        let (s, e) = (usize::from(r.start()), usize::from(r.end()));
        assert!(s >= at, "overlapping ranges {ranges:?}");
        out.push_str(&text[at..s]);
        out.push('«');
        out.push_str(&text[s..e]);
        out.push('»');
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// The fixture source without the cursor marker (what [`mark`] should reproduce).
pub(crate) fn expected(src: &str) -> String {
    src.replace("$0", "")
}

/// Applies edits (non-overlapping, any order) to `text`.
pub(crate) fn apply_edits(text: &str, edits: &[(TextRange, String)]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start()));
    let mut out = text.to_string();
    for (r, new) in edits {
        out.replace_range(usize::from(r.start())..usize::from(r.end()), &new);
    }
    out
}
