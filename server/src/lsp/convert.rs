//! Byte offsets ⇄ LSP positions, in the encoding negotiated at `initialize`.
//!
//! The one place where offsets become positions. Everything below `lsp/` speaks byte offsets
//! (`TextRange`); every position a client sends or receives goes through here.
//!
//! Lines end at `\n`, `\r\n` or `\r`, as the LSP specification says (the rope is built with
//! ropey's `cr_lines` only, so U+2028 or a form feed does not start a line). Conversions never
//! panic: positions beyond the end of a line clamp to the line's end (before its line break),
//! lines beyond the last clamp to the end of the text, and a column inside a character (the
//! middle of a UTF-16 surrogate pair or of a multi-byte UTF-8 sequence) snaps to the start of
//! that character.

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use crate::syntax::{TextRange, TextSize};

/// How the `character` of a position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: the protocol's default, and what a client gets unless it offers UTF-8.
    #[default]
    Utf16,
}

impl Encoding {
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// UTF-8 when the client offers it (it is what we store, so no counting); else UTF-16,
    /// which every client must support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }
}

/// Where a position landed in the text, and whether it had to be moved there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    /// Char index into the rope.
    pub char: usize,
    /// False when the position was beyond its line or the text, or inside a character.
    pub exact: bool,
}

/// The char index of `pos`.
pub fn resolve(rope: &Rope, pos: Position, enc: Encoding) -> Resolved {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return Resolved {
            char: rope.len_chars(),
            exact: false,
        };
    }
    let start = rope.line_to_char(line);
    let end = content_end(rope, line, start);
    let column = pos.character as usize;
    match enc {
        Encoding::Utf8 => {
            let first = rope.char_to_byte(start);
            let last = rope.char_to_byte(end);
            let byte = first.saturating_add(column).min(last);
            // Snaps down to the start of the char holding `byte`.
            let char = rope.byte_to_char(byte);
            let exact = byte == first.saturating_add(column) && rope.char_to_byte(char) == byte;
            Resolved { char, exact }
        }
        Encoding::Utf16 => {
            let first = rope.char_to_utf16_cu(start);
            let last = rope.char_to_utf16_cu(end);
            let unit = first.saturating_add(column).min(last);
            // Snaps down to the start of a surrogate pair.
            let char = rope.utf16_cu_to_char(unit);
            let exact = unit == first.saturating_add(column) && rope.char_to_utf16_cu(char) == unit;
            Resolved { char, exact }
        }
    }
}

/// The byte offset of `pos` (clamped and snapped, see the module docs).
pub fn offset(rope: &Rope, pos: Position, enc: Encoding) -> TextSize {
    let char = resolve(rope, pos, enc).char;
    size(rope.char_to_byte(char))
}

/// The position of byte `offset`. An offset past the end is the end; one inside a character
/// or between the `\r` and `\n` of a line break moves back to where that character (or the
/// line break) starts.
pub fn position(rope: &Rope, offset: TextSize, enc: Encoding) -> Position {
    let byte = (u32::from(offset) as usize).min(rope.len_bytes());
    let mut char = rope.byte_to_char(byte);
    let line = rope.char_to_line(char);
    let start = rope.line_to_char(line);
    char = char.min(content_end(rope, line, start));
    let column = match enc {
        Encoding::Utf8 => rope.char_to_byte(char) - rope.char_to_byte(start),
        Encoding::Utf16 => rope.char_to_utf16_cu(char) - rope.char_to_utf16_cu(start),
    };
    Position::new(to_u32(line), to_u32(column))
}

/// `range` as an LSP range.
pub fn lsp_range(rope: &Rope, range: TextRange, enc: Encoding) -> Range {
    Range::new(
        position(rope, range.start(), enc),
        position(rope, range.end(), enc),
    )
}

/// The byte range of an LSP range; an inverted range is put the right way round.
pub fn text_range(rope: &Rope, range: Range, enc: Encoding) -> TextRange {
    let a = offset(rope, range.start, enc);
    let b = offset(rope, range.end, enc);
    TextRange::new(a.min(b), a.max(b))
}

/// The char index where line `line` (starting at char `start`) ends, before its line break.
fn content_end(rope: &Rope, line: usize, start: usize) -> usize {
    let slice = rope.line(line);
    let mut len = slice.len_chars();
    if len > 0 && slice.char(len - 1) == '\n' {
        len -= 1;
    }
    if len > 0 && slice.char(len - 1) == '\r' {
        len -= 1;
    }
    start + len
}

/// Line starts of one version of a text, for converting many positions fast (the rope's
/// conversions cost a few hundred nanoseconds each; a document symbol list at 10,000 lines
/// converts thousands). Same lines and same clamping as the rope functions above.
#[derive(Debug, Clone)]
pub struct LineIndex {
    text: std::sync::Arc<str>,
    /// Byte offset where each line starts; lines end at `\n`, `\r\n` or `\r`.
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: std::sync::Arc<str>) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        let mut at = 0;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[at..]) {
            let i = at + i;
            let next = if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i + 2
            } else {
                i + 1
            };
            starts.push(to_u32(next));
            at = next;
        }
        LineIndex { text, starts }
    }

    /// Where line `line`'s text ends, before its line break.
    fn content_end(&self, line: usize) -> usize {
        let bytes = self.text.as_bytes();
        match self.starts.get(line + 1) {
            Some(&next) => {
                let next = next as usize;
                if next >= 2 && &bytes[next - 2..next] == b"\r\n" {
                    next - 2
                } else {
                    next - 1
                }
            }
            None => bytes.len(),
        }
    }

    /// The position of byte `offset` (see [`position`]).
    pub fn position(&self, offset: TextSize, enc: Encoding) -> Position {
        let mut byte = (u32::from(offset) as usize).min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.starts.partition_point(|&s| s as usize <= byte) - 1;
        let start = self.starts[line] as usize;
        let byte = byte.min(self.content_end(line));
        let column = match enc {
            Encoding::Utf8 => byte - start,
            Encoding::Utf16 => utf16_len(&self.text[start..byte]),
        };
        Position::new(to_u32(line), to_u32(column))
    }

    /// The byte offset of `pos` (see [`offset`]).
    pub fn offset(&self, pos: Position, enc: Encoding) -> TextSize {
        let line = pos.line as usize;
        let Some(&start) = self.starts.get(line) else {
            return size(self.text.len());
        };
        let start = start as usize;
        let end = self.content_end(line);
        let column = pos.character as usize;
        let byte = match enc {
            Encoding::Utf8 => {
                let mut byte = start.saturating_add(column).min(end);
                while !self.text.is_char_boundary(byte) {
                    byte -= 1;
                }
                byte
            }
            Encoding::Utf16 => {
                let mut units = 0;
                let mut byte = start;
                for c in self.text[start..end].chars() {
                    units += c.len_utf16();
                    if units > column {
                        break;
                    }
                    byte += c.len_utf8();
                }
                byte
            }
        };
        size(byte)
    }

    pub fn lsp_range(&self, range: TextRange, enc: Encoding) -> Range {
        Range::new(
            self.position(range.start(), enc),
            self.position(range.end(), enc),
        )
    }

    pub fn text_range(&self, range: Range, enc: Encoding) -> TextRange {
        let a = self.offset(range.start, enc);
        let b = self.offset(range.end, enc);
        TextRange::new(a.min(b), a.max(b))
    }
}

/// UTF-16 code units of `s`: one per char, two for chars outside the BMP (4-byte UTF-8).
fn utf16_len(s: &str) -> usize {
    s.bytes()
        .map(|b| usize::from((b & 0xC0) != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

fn size(bytes: usize) -> TextSize {
    TextSize::from(to_u32(bytes))
}

/// Documents are far below 4 GiB (`TextSize` is 32-bit); saturate rather than wrap.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CJK: &str = "FROM alpine\nRUN echo \"建置階段😀\" $APP_HOME\nENV A\n";

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    fn at(text: &str, needle: &str) -> TextSize {
        let i = text.find(needle).expect("needle in text");
        TextSize::from(i as u32)
    }

    /// Every char boundary maps to a position and back to the same offset.
    fn round_trips(text: &str, enc: Encoding) {
        let rope = Rope::from_str(text);
        let mut boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        boundaries.push(text.len());
        for b in boundaries {
            // The `\n` of a `\r\n` has no position of its own.
            if b > 0 && text.as_bytes()[b - 1] == b'\r' && text.as_bytes().get(b) == Some(&b'\n') {
                continue;
            }
            let p = position(&rope, TextSize::from(b as u32), enc);
            assert_eq!(
                offset(&rope, p, enc),
                TextSize::from(b as u32),
                "{enc:?} {text:?} at {b} → {p:?}"
            );
        }
    }

    #[test]
    fn negotiation_prefers_utf8_only_when_offered() {
        use PositionEncodingKind as K;
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[K::UTF16])), Encoding::Utf16);
        assert_eq!(Encoding::negotiate(Some(&[K::UTF32])), Encoding::Utf16);
        assert_eq!(
            Encoding::negotiate(Some(&[K::UTF16, K::UTF8])),
            Encoding::Utf8
        );
        assert_eq!(Encoding::negotiate(Some(&[K::UTF8])), Encoding::Utf8);
    }

    #[test]
    fn cjk_and_emoji_in_both_encodings() {
        let rope = Rope::from_str(CJK);
        // `$APP_HOME`: after 4 CJK chars (3 bytes, 1 unit each) and 😀 (4 bytes, 2 units).
        let app = at(CJK, "$APP_HOME");
        let before = "RUN echo \"建置階段😀\" ".len() as u32;
        assert_eq!(before, 10 + 12 + 4 + 2);
        assert_eq!(position(&rope, app, Encoding::Utf8), pos(1, before));
        assert_eq!(
            position(&rope, app, Encoding::Utf16),
            pos(1, 10 + 4 + 2 + 2)
        );
        assert_eq!(offset(&rope, pos(1, before), Encoding::Utf8), app);
        assert_eq!(offset(&rope, pos(1, 18), Encoding::Utf16), app);

        // The emoji itself.
        let emoji = at(CJK, "😀");
        assert_eq!(position(&rope, emoji, Encoding::Utf16), pos(1, 14));
        assert_eq!(position(&rope, emoji, Encoding::Utf8), pos(1, 22));

        // The next line is unaffected.
        let env = at(CJK, "ENV");
        assert_eq!(position(&rope, env, Encoding::Utf16), pos(2, 0));
        assert_eq!(position(&rope, env, Encoding::Utf8), pos(2, 0));
        round_trips(CJK, Encoding::Utf8);
        round_trips(CJK, Encoding::Utf16);
    }

    #[test]
    fn position_inside_a_surrogate_pair_snaps_to_the_char_start() {
        let rope = Rope::from_str(CJK);
        let emoji = at(CJK, "😀");
        // 14 is the high surrogate, 15 the low one.
        let r = resolve(&rope, pos(1, 15), Encoding::Utf16);
        assert!(!r.exact);
        assert_eq!(rope.char_to_byte(r.char), usize::from(emoji));
        assert!(resolve(&rope, pos(1, 14), Encoding::Utf16).exact);
        assert_eq!(
            offset(&rope, pos(1, 16), Encoding::Utf16),
            emoji + TextSize::of('😀')
        );
    }

    #[test]
    fn position_inside_a_multibyte_utf8_char_snaps_to_the_char_start() {
        let rope = Rope::from_str(CJK);
        let cjk = at(CJK, "建");
        let column = u32::from(cjk) - "FROM alpine\n".len() as u32;
        for inside in 1..3 {
            let r = resolve(&rope, pos(1, column + inside), Encoding::Utf8);
            assert!(!r.exact);
            assert_eq!(rope.char_to_byte(r.char), usize::from(cjk));
        }
        // Inside the emoji's 4 bytes.
        let emoji = at(CJK, "😀");
        let column = u32::from(emoji) - "FROM alpine\n".len() as u32;
        assert_eq!(offset(&rope, pos(1, column + 3), Encoding::Utf8), emoji);
    }

    #[test]
    fn offsets_inside_a_char_move_to_its_start() {
        let rope = Rope::from_str(CJK);
        let emoji = at(CJK, "😀");
        for delta in 1..4u32 {
            let p = position(&rope, emoji + TextSize::from(delta), Encoding::Utf16);
            assert_eq!(p, pos(1, 14));
        }
    }

    #[test]
    fn crlf_line_ends() {
        let text = "FROM a\r\nENV 建置😀 x\r\n\r\nRUN b";
        let rope = Rope::from_str(text);
        assert_eq!(rope.len_lines(), 4);
        let run = at(text, "RUN");
        assert_eq!(position(&rope, run, Encoding::Utf16), pos(3, 0));
        let x = at(text, " x") + TextSize::from(1);
        assert_eq!(position(&rope, x, Encoding::Utf16), pos(1, 9));
        assert_eq!(position(&rope, x, Encoding::Utf8), pos(1, 15));
        // Past the end of line 0 clamps before the `\r\n`.
        assert_eq!(offset(&rope, pos(0, 99), Encoding::Utf16), at(text, "\r\n"));
        // Between `\r` and `\n` is the end of the line's content.
        let lf = at(text, "\r\n") + TextSize::from(1);
        assert_eq!(position(&rope, lf, Encoding::Utf8), pos(0, 6));
        round_trips(text, Encoding::Utf8);
        round_trips(text, Encoding::Utf16);
    }

    #[test]
    fn lone_cr_ends_a_line_but_unicode_separators_do_not() {
        let text = "A\rB\u{2028}C\u{85}D\u{0C}E\nF";
        let rope = Rope::from_str(text);
        assert_eq!(
            rope.len_lines(),
            3,
            "ropey must be built with cr_lines only"
        );
        assert_eq!(position(&rope, at(text, "B"), Encoding::Utf16), pos(1, 0));
        assert_eq!(position(&rope, at(text, "C"), Encoding::Utf16), pos(1, 2));
        assert_eq!(position(&rope, at(text, "F"), Encoding::Utf16), pos(2, 0));
    }

    #[test]
    fn past_the_end_of_a_line_or_the_file() {
        let text = "ENV 建置😀\nRUN x";
        let rope = Rope::from_str(text);
        let eol = at(text, "\n");
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let r = resolve(&rope, pos(0, 1000), enc);
            assert!(!r.exact);
            assert_eq!(rope.char_to_byte(r.char), usize::from(eol));
            let end = TextSize::of(text);
            assert_eq!(offset(&rope, pos(1, 1000), enc), end);
            assert_eq!(offset(&rope, pos(2, 0), enc), end);
            assert_eq!(offset(&rope, pos(u32::MAX, u32::MAX), enc), end);
            assert_eq!(position(&rope, end + TextSize::from(50), enc), pos(1, 5));
        }
        // A trailing newline makes an empty last line that positions may point at.
        let rope = Rope::from_str("A\n");
        let r = resolve(&rope, pos(1, 0), Encoding::Utf16);
        assert!(r.exact);
        assert_eq!(r.char, 2);
    }

    #[test]
    fn empty_text() {
        let rope = Rope::from_str("");
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            assert_eq!(position(&rope, TextSize::from(0), enc), pos(0, 0));
            assert_eq!(position(&rope, TextSize::from(9), enc), pos(0, 0));
            assert_eq!(offset(&rope, pos(3, 3), enc), TextSize::from(0));
        }
    }

    /// The line index converts exactly as the rope does, at every offset and many positions.
    #[test]
    fn line_index_agrees_with_the_rope() {
        for text in [
            CJK,
            "",
            "A\n",
            "FROM a\r\nENV 建置😀 x\r\n\r\nRUN b",
            "A\rB\u{2028}C\u{85}D\u{0C}E\nF",
            "\r\r\n\n😀\r",
        ] {
            let rope = Rope::from_str(text);
            let index = LineIndex::new(std::sync::Arc::from(text));
            for enc in [Encoding::Utf8, Encoding::Utf16] {
                for b in 0..=text.len() + 2 {
                    let at = TextSize::from(b as u32);
                    assert_eq!(
                        index.position(at, enc),
                        position(&rope, at, enc),
                        "{text:?} {b} {enc:?}"
                    );
                }
                for line in 0..6 {
                    for character in 0..40 {
                        let p = pos(line, character);
                        assert_eq!(
                            index.offset(p, enc),
                            offset(&rope, p, enc),
                            "{text:?} {p:?} {enc:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn ranges_both_ways() {
        let rope = Rope::from_str(CJK);
        let app = at(CJK, "$APP_HOME");
        let range = TextRange::at(app, TextSize::of("$APP_HOME"));
        let lsp = lsp_range(&rope, range, Encoding::Utf16);
        assert_eq!(lsp, Range::new(pos(1, 18), pos(1, 27)));
        assert_eq!(text_range(&rope, lsp, Encoding::Utf16), range);
        let inverted = Range::new(lsp.end, lsp.start);
        assert_eq!(text_range(&rope, inverted, Encoding::Utf16), range);
    }
}
