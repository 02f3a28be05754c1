//! The few Go standard-library behaviours BuildKit's parser leans on, reproduced so that our
//! output is byte-identical: `unicode.IsSpace`, `strings.TrimSpace`, the `[\t\v\f\r ]+` split,
//! and `strconv.Quote`.

use unicode_general_category::{GeneralCategory, get_general_category};

/// Go's `unicode.IsSpace`: the Unicode White_Space property, which is also what Rust uses.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `unicode.IsSpace(rune(b))` applied to a single byte, as BuildKit's flag and
/// HEALTHCHECK scanners do: they read bytes as Latin-1 runes, so 0x85 and 0xA0 count as space.
pub fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' | 0x85 | 0xA0)
}

/// Go's `strings.TrimSpace`.
pub fn trim_space(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// The bytes of BuildKit's `reWhitespace` class `[\t\v\f\r ]`.
pub fn is_split_space(b: u8) -> bool {
    matches!(b, b'\t' | 0x0B | 0x0C | b'\r' | b' ')
}

/// `reWhitespace.Split(s, -1)` as byte ranges: pieces between runs of `[\t\v\f\r ]`.
/// Like Go's regexp split, a leading or trailing run yields an empty piece.
pub fn split_whitespace_ranges(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut pieces = Vec::new();
    if s.is_empty() {
        // Go: Split("", -1) returns [""].
        pieces.push((0, 0));
        return pieces;
    }
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if is_split_space(bytes[i]) {
            let run_start = i;
            while i < bytes.len() && is_split_space(bytes[i]) {
                i += 1;
            }
            pieces.push((start, run_start));
            start = i;
        } else {
            i += 1;
        }
    }
    pieces.push((start, bytes.len()));
    pieces
}

/// `reWhitespace.Split(s, 2)`: the first piece and, if there was a separator, the rest.
pub fn split_whitespace_once(s: &str) -> (&str, Option<(usize, &str)>) {
    let bytes = s.as_bytes();
    let Some(run_start) = bytes.iter().position(|&b| is_split_space(b)) else {
        return (s, None);
    };
    let mut rest = run_start;
    while rest < bytes.len() && is_split_space(bytes[rest]) {
        rest += 1;
    }
    (&s[..run_start], Some((rest, &s[rest..])))
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
pub fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    use GeneralCategory as G;
    !matches!(
        get_general_category(c),
        G::Control
            | G::Format
            | G::Surrogate
            | G::PrivateUse
            | G::Unassigned
            | G::SpaceSeparator
            | G::LineSeparator
            | G::ParagraphSeparator
    )
}

/// Go's `strconv.Quote`, appended to `out`.
pub fn quote_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let b = c as u32 as u8;
                out.push_str("\\x");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
            c if (c as u32) < 0x10000 => {
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((c as u32 >> shift) & 0xf) as usize] as char);
                }
            }
            c => {
                out.push_str("\\U");
                for shift in [28, 24, 20, 16, 12, 8, 4, 0] {
                    out.push(HEX[((c as u32 >> shift) & 0xf) as usize] as char);
                }
            }
        }
    }
    out.push('"');
}

pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    quote_into(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_go() {
        assert_eq!(quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quote("\u{0}\u{1b}\u{7f}"), r#""\x00\x1b\x7f""#);
        assert_eq!(quote("\t\n\r\u{b}\u{c}\u{7}\u{8}"), r#""\t\n\r\v\f\a\b""#);
        assert_eq!(quote("é建置😀"), "\"é建置😀\"");
        assert_eq!(quote("\u{a0}\u{85}\u{200d}"), r#""\u00a0\u0085\u200d""#);
        assert_eq!(quote("\u{e0001}"), r#""\U000e0001""#);
    }

    #[test]
    fn split_like_go_regexp() {
        assert_eq!(split_whitespace_ranges(""), vec![(0, 0)]);
        assert_eq!(split_whitespace_ranges("a  b"), vec![(0, 1), (3, 4)]);
        assert_eq!(split_whitespace_ranges(" a "), vec![(0, 0), (1, 2), (3, 3)]);
        assert_eq!(
            split_whitespace_once("FROM  x y"),
            ("FROM", Some((6, "x y")))
        );
        assert_eq!(split_whitespace_once("FROM"), ("FROM", None));
        assert_eq!(split_whitespace_once("a\n b"), ("a\n", Some((3, "b"))));
    }

    #[test]
    fn space_sets() {
        assert!(is_space('\u{a0}') && is_space('\u{3000}') && is_space('\u{85}'));
        assert!(!is_space('\u{200b}'));
        assert!(is_space_byte(0xa0) && !is_space_byte(0xc3));
        assert_eq!(trim_space("\u{a0} x\t"), "x");
    }
}
