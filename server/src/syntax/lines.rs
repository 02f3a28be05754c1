//! Physical lines and the line-level rules shared by the parser and the tree builder:
//! comments, blank lines and BuildKit's line-continuation test.

use super::go;
use super::instruction::{LogicalLine, Segment};

/// One physical line: `[start, content_end)` is its text without trailing `\r`/`\n`,
/// `[content_end, end)` the line break.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    pub start: usize,
    pub content_end: usize,
    pub end: usize,
}

pub(super) struct Lines<'a> {
    pub bytes: &'a [u8],
    pub pos: usize,
    /// How many lines were read (the 0-based number of the next line).
    pub count: u32,
    /// Lines longer than BuildKit's scanner accepts, as `(start, content_end)`.
    pub too_long: Vec<(usize, usize)>,
}

/// BuildKit reads lines with `bufio.Scanner`, whose longest token is 64 KiB.
pub(super) const MAX_LINE: usize = 65_535;

impl<'a> Lines<'a> {
    pub fn new(bytes: &'a [u8], pos: usize) -> Lines<'a> {
        Lines {
            bytes,
            pos,
            count: 0,
            too_long: Vec::new(),
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let end = match memchr::memchr(b'\n', &self.bytes[start..]) {
            Some(i) => start + i + 1,
            None => self.bytes.len(),
        };
        let mut content_end = end;
        while content_end > start && matches!(self.bytes[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        self.pos = end;
        self.count += 1;
        let newline = usize::from(self.bytes[end - 1] == b'\n');
        if end - start - newline > MAX_LINE {
            self.too_long.push((start, content_end));
        }
        Some(Line {
            start,
            content_end,
            end,
        })
    }
}

/// The offset after leading whitespace (Go's `unicode.IsSpace`).
pub(super) fn skip_space(text: &str, from: usize, to: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    // ASCII fast path; anything else goes through the Unicode check.
    while at < to && matches!(bytes[at], b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
        at += 1;
    }
    if at < to && bytes[at] >= 0x80 {
        let s = &text[at..to];
        return to - s.trim_start_matches(go::is_space).len();
    }
    at
}

pub(super) fn is_comment(text: &str, line: Line) -> bool {
    let ws = skip_space(text, line.start, line.end);
    ws < line.end && text.as_bytes()[ws] == b'#'
}

/// BuildKit's line-continuation test. When the line continues, returns the length of the
/// text that stays (everything before the escape character).
pub(super) fn continuation(token: &[u8], escape: u8) -> Option<usize> {
    let last = token.iter().rposition(|&b| b != b' ' && b != b'\t')?;
    if token[last] != escape {
        return None;
    }
    if last > 0 && token[last - 1] == escape {
        return None; // `\\` at the end is an escaped escape, not a continuation
    }
    Some(last)
}

/// What one physical line of an instruction is made of, for the tree.
#[derive(Debug, Clone, Copy)]
pub(super) enum Part {
    Whitespace(usize, usize),
    /// Text that is part of the logical line.
    Content(usize, usize),
    /// The escape character and the blanks after it.
    Continuation(usize, usize),
    Comment(usize, usize),
    Newline(usize, usize),
}

/// One instruction's lines, from its first line to the end of its logical line (heredoc
/// bodies come after and are read separately).
pub(super) struct Scanned {
    pub logical: LogicalLine,
    /// Blank and comment lines inside the continuation, as absolute line ranges.
    pub empty_lines: Vec<(usize, usize)>,
    pub comment_lines: Vec<(usize, usize)>,
    pub last: Line,
}

/// Reads an instruction's continuation lines exactly as BuildKit's inner loop does, and
/// appends what each line is made of to `parts`. `cont` is the continuation test of the
/// first line's text (after `ws_end`).
pub(super) fn scan_instruction(
    text: &str,
    lines: &mut Lines,
    first: Line,
    ws_end: usize,
    cont: Option<usize>,
    escape: u8,
    parts: &mut Vec<Part>,
) -> Scanned {
    let base = first.start;
    let mut scanned = Scanned {
        logical: LogicalLine::default(),
        empty_lines: Vec::new(),
        comment_lines: Vec::new(),
        last: first,
    };
    let push_segment = |logical: &mut LogicalLine, start: usize, end: usize| {
        if start < end {
            logical.segments.push(Segment {
                logical: logical.text.len() as u32,
                source: (start - base) as u32,
                len: (end - start) as u32,
            });
            logical.text.push_str(&text[start..end]);
        }
    };
    parts.push(Part::Whitespace(first.start, ws_end));
    let mut continues = cont.is_some();
    let cut = cont.map_or(first.content_end, |k| ws_end + k);
    parts.push(Part::Content(ws_end, cut));
    push_segment(&mut scanned.logical, ws_end, cut);
    parts.push(Part::Continuation(cut, first.content_end));
    parts.push(Part::Newline(first.content_end, first.end));
    while continues {
        let Some(line) = lines.next() else { break };
        scanned.last = line;
        if is_comment(text, line) {
            let ws = skip_space(text, line.start, line.content_end);
            parts.push(Part::Whitespace(line.start, ws));
            parts.push(Part::Comment(ws, line.content_end));
            parts.push(Part::Newline(line.content_end, line.end));
            scanned.comment_lines.push((line.start, line.content_end));
            continue;
        }
        if skip_space(text, line.start, line.content_end) == line.content_end {
            parts.push(Part::Whitespace(line.start, line.content_end));
            parts.push(Part::Newline(line.content_end, line.end));
            scanned.empty_lines.push((line.start, line.content_end));
            continue;
        }
        let token = &text.as_bytes()[line.start..line.content_end];
        let cont = continuation(token, escape);
        continues = cont.is_some();
        let cut = cont.map_or(line.content_end, |k| line.start + k);
        parts.push(Part::Content(line.start, cut));
        push_segment(&mut scanned.logical, line.start, cut);
        parts.push(Part::Continuation(cut, line.content_end));
        parts.push(Part::Newline(line.content_end, line.end));
    }
    scanned
}
