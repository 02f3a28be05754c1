//! The JSON (exec) form of an instruction, decided as BuildKit decides it: Go's
//! `encoding/json` decoding the whole rest of the line into `[]any`.

use std::ops::Range;

/// What a candidate JSON argument list turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonArgs {
    /// Not a JSON array, or not valid JSON: BuildKit silently uses the shell form.
    NotJson,
    /// Valid JSON, but an element is not a string: a hard error in BuildKit. Holds the
    /// byte range of the first such element.
    NonString(Range<usize>),
    /// Each element's decoded value and the byte range of its string literal (quotes included).
    Strings(Vec<(String, Range<usize>)>),
}

/// Go's `encoding/json` nesting limit: deeper documents are syntax errors.
const MAX_DEPTH: usize = 10_000;

/// Decides the form of `rest` (the argument text after flags, already trimmed).
pub fn parse_json_args(rest: &str) -> JsonArgs {
    let start = rest.len() - rest.trim_start_matches(super::go::is_space).len();
    if !rest[start..].starts_with('[') {
        return JsonArgs::NotJson;
    }
    let mut scanner = Scanner {
        text: rest.as_bytes(),
        pos: start,
        number_overflow: false,
    };
    let Some(elements) = scanner.top_level_array() else {
        return JsonArgs::NotJson;
    };
    scanner.skip_ws();
    if scanner.pos != scanner.text.len() || scanner.number_overflow {
        // Trailing text is a syntax error; an out-of-range number is a decode error: both
        // make Go's Unmarshal fail, so BuildKit falls back to the shell form.
        return JsonArgs::NotJson;
    }
    let mut strings = Vec::with_capacity(elements.len());
    for element in elements {
        match element {
            Element::String(value, range) => strings.push((value, range)),
            Element::Other(range) => return JsonArgs::NonString(range),
        }
    }
    JsonArgs::Strings(strings)
}

enum Element {
    String(String, Range<usize>),
    Other(Range<usize>),
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    number_overflow: bool,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    /// The outer array: its elements, or `None` on a syntax error.
    fn top_level_array(&mut self) -> Option<Vec<Element>> {
        self.pos += 1; // '['
        let mut elements = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Some(elements);
        }
        loop {
            self.skip_ws();
            let start = self.pos;
            if self.peek() == Some(b'"') {
                let value = self.string()?;
                elements.push(Element::String(value, start..self.pos));
            } else {
                self.value(1)?;
                elements.push(Element::Other(start..self.pos));
            }
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(elements);
                }
                _ => return None,
            }
        }
    }

    /// Validates one value of any type. Nesting is tracked with an explicit stack so that a
    /// hostile 10,000-deep document cannot overflow ours.
    fn value(&mut self, depth: usize) -> Option<()> {
        // Each entry: is this container an object (so elements are `key: value`)?
        let mut stack: Vec<bool> = Vec::new();
        loop {
            self.skip_ws();
            match self.peek()? {
                b'[' | b'{' => {
                    let is_object = self.peek() == Some(b'{');
                    self.pos += 1;
                    if depth + stack.len() + 1 > MAX_DEPTH {
                        return None;
                    }
                    stack.push(is_object);
                    self.skip_ws();
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        stack.pop();
                        if !self.after_value(&mut stack)? {
                            return Some(());
                        }
                        continue;
                    }
                    if is_object {
                        self.object_key()?;
                    }
                    continue;
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            if !self.after_value(&mut stack)? {
                return Some(());
            }
        }
    }

    /// After a complete value inside containers: consumes separators and closing brackets.
    /// Returns `Some(true)` when another value follows, `Some(false)` when the outermost
    /// value is complete.
    fn after_value(&mut self, stack: &mut Vec<bool>) -> Option<bool> {
        loop {
            let Some(&is_object) = stack.last() else {
                return Some(false);
            };
            self.skip_ws();
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    if is_object {
                        self.skip_ws();
                        self.object_key()?;
                    }
                    return Some(true);
                }
                b']' if !is_object => {
                    self.pos += 1;
                    stack.pop();
                }
                b'}' if is_object => {
                    self.pos += 1;
                    stack.pop();
                }
                _ => return None,
            }
        }
    }

    fn object_key(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek()? != b'"' {
            return None;
        }
        self.string()?;
        self.skip_ws();
        if self.peek()? != b':' {
            return None;
        }
        self.pos += 1;
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.text[self.pos..].starts_with(word) {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        // Go decodes numbers into float64 and fails the whole Unmarshal when one is out of range.
        let text = std::str::from_utf8(&self.text[start..self.pos]).ok()?;
        if text.parse::<f64>().map_or(true, |f| f.is_infinite()) {
            self.number_overflow = true;
        }
        Some(())
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.pos..self.pos + 4)?;
        let mut value = 0u32;
        for &d in digits {
            value = value * 16 + (d as char).to_digit(16)?;
        }
        self.pos += 4;
        Some(value)
    }

    /// A string literal, decoded as Go does (lone surrogates become U+FFFD).
    fn string(&mut self) -> Option<String> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is valid UTF-8 and we stop only at ASCII bytes, so this slice is too.
            out.push_str(std::str::from_utf8(&self.text[run_start..self.pos]).ok()?);
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escape = self.peek()?;
                    self.pos += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let unit = self.hex4()?;
                            out.push(self.code_point(unit));
                        }
                        _ => return None,
                    }
                }
                _ => return None, // a control character
            }
        }
    }

    /// Completes a `\uXXXX` escape, pairing surrogates when the next escape is a low one.
    fn code_point(&mut self, unit: u32) -> char {
        if (0xD800..0xDC00).contains(&unit) && self.text[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            if let Some(low) = self.hex4() {
                if (0xDC00..0xE000).contains(&low) {
                    let combined = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    return char::from_u32(combined).unwrap_or('\u{FFFD}');
                }
            }
            self.pos = save;
        }
        char::from_u32(unit).unwrap_or('\u{FFFD}')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(input: &str) -> Vec<String> {
        match parse_json_args(input) {
            JsonArgs::Strings(v) => v.into_iter().map(|(s, _)| s).collect(),
            other => panic!("{input:?} gave {other:?}"),
        }
    }

    #[test]
    fn valid_arrays() {
        assert_eq!(strings(r#"["a", "b c"]"#), ["a", "b c"]);
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(strings(" [ \"\" ] \n"), [""]);
        assert_eq!(
            strings(r#"["\/usr\\\"/bin", "\u0000"]"#),
            ["/usr\\\"/bin", "\0"]
        );
        assert_eq!(
            strings(r#"["\ud83d\ude00", "\ud83d", "\udc00x"]"#),
            ["😀", "\u{FFFD}", "\u{FFFD}x"]
        );
    }

    #[test]
    fn ranges_cover_literals() {
        let JsonArgs::Strings(v) = parse_json_args(r#"[ "a", "bc" ]"#) else {
            panic!()
        };
        assert_eq!(v[0].1, 2..5);
        assert_eq!(v[1].1, 7..11);
    }

    #[test]
    fn fallbacks_and_errors() {
        for shell in [
            "['a']",
            r#"["c:\windows"]"#,
            r#"["a",]"#,
            r#"["a"] x"#,
            r#"["a""#,
            "echo [x]",
            r#"["a", 1e400]"#,
            r#"["a", [1e999]]"#,
            "[\"a\tb\"]",
            "[01]",
        ] {
            assert_eq!(parse_json_args(shell), JsonArgs::NotJson, "{shell}");
        }
        assert_eq!(parse_json_args(r#"["a", 1]"#), JsonArgs::NonString(6..7));
        assert_eq!(
            parse_json_args(r#"[ "echo", [ "nested json" ] ]"#),
            JsonArgs::NonString(10..27)
        );
        assert!(matches!(
            parse_json_args(r#"["a", {"k": [true, null]}]"#),
            JsonArgs::NonString(_)
        ));
    }

    #[test]
    fn depth_limit() {
        let deep_ok = format!("[{}{}]", "[".repeat(9_998), "]".repeat(9_998));
        assert!(matches!(parse_json_args(&deep_ok), JsonArgs::NonString(_)));
        let too_deep = format!("[{}{}]", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse_json_args(&too_deep), JsonArgs::NotJson);
    }
}
