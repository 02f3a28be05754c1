//! Formatting (document and range) on arbitrary text: edits lie inside the text on character
//! boundaries and do not overlap; without re-indenting, what BuildKit builds is unchanged
//! (`syntax::dump::dump`, heredoc bodies, parse errors); with it, the keywords, their lines
//! and heredoc bodies are; and formatting twice equals once.

use dockerfile_lsp::ide::formatting::{FormatOptions, TextEdit, apply_edits, format, format_range};
use dockerfile_lsp::syntax::{self, Parse, TextRange, TextSize, dump::dump};

use super::common::{Bytes, check_range, offset_from};

fn meaning(p: &Parse) -> (String, Vec<String>, usize) {
    let bodies = p
        .entries()
        .flat_map(|e| e.inst.heredocs.iter().map(|h| h.content.clone()))
        .collect();
    (dump(p), bodies, p.errors().len())
}

fn shape(p: &Parse) -> Vec<(String, u32, Vec<String>)> {
    p.entries()
        .map(|e| {
            (
                e.inst.command.keyword.to_ascii_lowercase(),
                e.line,
                e.inst.heredocs.iter().map(|h| h.content.clone()).collect(),
            )
        })
        .collect()
}

fn checked(text: &str, edits: &[TextEdit]) -> String {
    let mut ranges: Vec<TextRange> = edits.iter().map(|e| e.range).collect();
    ranges.sort_by_key(|r| (r.start(), r.end()));
    for r in &ranges {
        check_range(text, *r);
    }
    for w in ranges.windows(2) {
        assert!(w[0].end() <= w[1].start(), "overlapping edits {w:?}");
    }
    apply_edits(text, edits)
}

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let mut input = Bytes(data);
    let flags = input.byte();
    let a = input.u16().to_be_bytes();
    let b = input.u16().to_be_bytes();
    let text = String::from_utf8_lossy(input.rest()).into_owned();
    let options = FormatOptions {
        tab_size: u32::from(flags % 9),
        insert_spaces: flags & 0x10 == 0,
        reindent_continuations: flags & 0x20 != 0,
    };
    let before = syntax::parse(&text);
    let once = checked(&text, &format(&before, &options));
    let after = syntax::parse(&once);
    if options.reindent_continuations {
        assert_eq!(
            shape(&before),
            shape(&after),
            "re-indenting changed the shape"
        );
    } else {
        assert_eq!(
            meaning(&before),
            meaning(&after),
            "formatting changed the meaning"
        );
    }
    let twice = checked(&once, &format(&after, &options));
    assert_eq!(once, twice, "formatting twice differs from once");

    let (s, e) = (offset_from(&a, &text), offset_from(&b, &text));
    let range = TextRange::new(
        TextSize::from(s.min(e) as u32),
        TextSize::from(s.max(e) as u32),
    );
    let partial = checked(&text, &format_range(&before, range, &options));
    let partial_parse = syntax::parse(&partial);
    if options.reindent_continuations {
        assert_eq!(
            shape(&before),
            shape(&partial_parse),
            "range re-indent changed the shape"
        );
    } else {
        assert_eq!(
            meaning(&before),
            meaning(&partial_parse),
            "range formatting changed the meaning"
        );
    }
}
