//! Small text helpers shared by the editing features: physical lines, offsets clamped to
//! character boundaries, and the blanks BuildKit's continuation rule skips.

use crate::syntax::{TextRange, TextSize};

/// One physical line: `[start, content_end)` is its text without the line break,
/// `[content_end, end)` the break itself (`\n`, `\r\n`, or nothing at the end of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub content_end: usize,
    pub end: usize,
}

/// The physical lines of `text[from..to]` (`from` must be a line start).
pub(crate) fn lines(text: &str, from: usize, to: usize) -> impl Iterator<Item = Line> + '_ {
    let bytes = text.as_bytes();
    let to = to.min(bytes.len());
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= to {
            return None;
        }
        let start = pos;
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
        let mut content_end = end;
        // As the parser does: a line's text excludes every trailing `\r` and `\n`.
        while content_end > start && matches!(bytes[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        pos = end;
        Some(Line {
            start,
            content_end,
            end,
        })
    })
}

/// The line containing `offset`.
pub(crate) fn line_at(text: &str, offset: usize) -> Line {
    let bytes = text.as_bytes();
    let offset = offset.min(bytes.len());
    let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
    lines(text, start, bytes.len()).next().unwrap_or(Line {
        start,
        content_end: start,
        end: start,
    })
}

/// `offset` moved back onto a character boundary and into the text.
pub(crate) fn clamp(text: &str, offset: TextSize) -> usize {
    let mut at = usize::from(offset).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Where the `[ \t]` run ending at `end` starts. Only spaces and tabs: they are the blanks
/// BuildKit's continuation regex (`E[ \t]*$`) skips, so removing them never turns a line into
/// a continuation or back.
pub(crate) fn trailing_blanks_start(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = end;
    while at > start && matches!(bytes[at - 1], b' ' | b'\t') {
        at -= 1;
    }
    at
}

/// Where the `[ \t]` run starting at `start` ends.
pub(crate) fn leading_blanks_end(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    while at < end && matches!(bytes[at], b' ' | b'\t') {
        at += 1;
    }
    at
}

/// Whether the line is a comment line (first non-blank character `#`).
pub(crate) fn is_comment_line(text: &str, line: Line) -> bool {
    let ws = first_non_space(text, line.start, line.content_end);
    ws < line.content_end && text.as_bytes()[ws] == b'#'
}

/// Whether the line has only whitespace.
pub(crate) fn is_blank_line(text: &str, line: Line) -> bool {
    first_non_space(text, line.start, line.content_end) == line.content_end
}

/// The first offset in `[start, end)` that is not Unicode whitespace (the parser's rule).
pub(crate) fn first_non_space(text: &str, start: usize, end: usize) -> usize {
    let s = &text[start..end];
    end - s.trim_start_matches(char::is_whitespace).len()
}

pub(crate) fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32))
}
