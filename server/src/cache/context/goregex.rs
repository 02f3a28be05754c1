//! Go `regexp` syntax (RE2, `syntax.Perl` flags) → an equivalent Rust `regex`.
//!
//! moby/patternmatcher turns a pattern into a Go regexp *string* and compiles it with
//! `regexp.Compile`. User text reaches that string barely escaped: `[`, `]`, `^` and `\x`
//! escapes pass through, so `\d` is a digit class, `[[:alpha:]]` a POSIX class and `[*]`
//! becomes `[[^/]*]`. Rust's regex syntax differs exactly there (nested classes, `\s`
//! including `\v`, Unicode `\d`), so we parse the string with Go's rules and emit a Rust
//! regex in which every literal and class range is spelled out as `\x{..}`.
//!
//! Flags in effect (`syntax.Perl`): `^`/`$` are begin/end of *text*, `.` excludes only `\n`,
//! negated classes may match `\n`, Perl extensions (`\A \z \b \B \d \s \w \Q..\E`) and
//! Unicode groups (`\pL`, `\p{Greek}`) are on.

use std::fmt::Write;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GoRegexError(pub String);

type Ranges = Vec<(u32, u32)>;

#[derive(Debug, Clone)]
enum ClassItem {
    Range(u32, u32),
    /// `\p{Name}` / `\P{Name}` inside or outside a class.
    Unicode {
        name: String,
        negated: bool,
    },
}

#[derive(Debug, Clone)]
enum Node {
    Lit(u32),
    AnyNotNl,
    Class {
        items: Vec<ClassItem>,
        negated: bool,
    },
    BeginText,
    EndText,
    WordBoundary,
    NoWordBoundary,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Group(Box<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

/// Go's limit on `{n,m}` counts.
const MAX_REPEAT: u32 = 1000;

/// Parse `src` as Go would and return an equivalent Rust regex string.
pub(crate) fn translate(src: &str) -> Result<String, GoRegexError> {
    let mut p = Parser {
        s: src.as_bytes(),
        i: 0,
        src,
    };
    let node = p.parse_alt(0)?;
    if p.i < p.s.len() {
        // Only an unmatched ')' stops the top-level parse early.
        return Err(GoRegexError(format!("unexpected ): `{src}`")));
    }
    let mut out = String::with_capacity(src.len() * 4);
    emit(&node, &mut out);
    Ok(out)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    src: &'a str,
}

fn err<T>(msg: impl Into<String>) -> Result<T, GoRegexError> {
    Err(GoRegexError(msg.into()))
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn rest(&self) -> &[u8] {
        &self.s[self.i.min(self.s.len())..]
    }

    fn next_rune(&mut self) -> Result<u32, GoRegexError> {
        let (r, n) = super::golang::decode_rune(self.rest());
        if n == 0 {
            return err(format!("missing argument: `{}`", self.src));
        }
        if r == 0xFFFD && n == 1 {
            return err("invalid UTF-8");
        }
        self.i += n;
        Ok(r)
    }

    fn parse_alt(&mut self, depth: usize) -> Result<Node, GoRegexError> {
        if depth > 1000 {
            return err("expression nests too deeply");
        }
        let mut alts = vec![self.parse_concat(depth)?];
        while self.peek() == Some(b'|') {
            self.i += 1;
            alts.push(self.parse_concat(depth)?);
        }
        Ok(if alts.len() == 1 {
            alts.swap_remove(0)
        } else {
            Node::Alt(alts)
        })
    }

    fn parse_concat(&mut self, depth: usize) -> Result<Node, GoRegexError> {
        let mut items: Vec<Node> = Vec::new();
        // Whether the last item may take a repetition operator (Go rejects `a**`, `^*`...).
        let mut last_repeatable = false;
        let mut last_was_repeat = false;
        while let Some(c) = self.peek() {
            match c {
                b'|' | b')' => break,
                b'(' => {
                    if self.s.get(self.i + 1) == Some(&b'?') {
                        // Flags and named groups never arise from patternmatcher's output.
                        return err(format!("unsupported group syntax in `{}`", self.src));
                    }
                    self.i += 1;
                    let inner = self.parse_alt(depth + 1)?;
                    if self.peek() != Some(b')') {
                        return err(format!("missing closing ): `{}`", self.src));
                    }
                    self.i += 1;
                    items.push(Node::Group(Box::new(inner)));
                    last_repeatable = true;
                    last_was_repeat = false;
                }
                b'*' | b'+' | b'?' | b'{' => {
                    let start = self.i;
                    let (min, max) = match c {
                        b'*' => (0, None),
                        b'+' => (1, None),
                        b'?' => (0, Some(1)),
                        _ => match self.parse_repeat_braces() {
                            Some(mm) => mm,
                            None => {
                                // Not a valid `{n,m}`: Go takes `{` literally.
                                self.i += 1;
                                items.push(Node::Lit(u32::from(b'{')));
                                last_repeatable = true;
                                last_was_repeat = false;
                                continue;
                            }
                        },
                    };
                    if c != b'{' {
                        self.i += 1;
                    }
                    let op = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
                    if last_was_repeat {
                        return err(format!("invalid nested repetition operator: `{op}`"));
                    }
                    if !last_repeatable || items.is_empty() {
                        return err(format!("missing argument to repetition operator: `{op}`"));
                    }
                    if max.is_some_and(|m| m < min) || min > MAX_REPEAT {
                        return err(format!("invalid repeat count: `{op}`"));
                    }
                    // A non-greedy suffix does not change whether the text matches.
                    if self.peek() == Some(b'?') {
                        self.i += 1;
                    }
                    if let Some(last) = items.pop() {
                        items.push(Node::Repeat {
                            node: Box::new(last),
                            min,
                            max,
                        });
                    }
                    last_was_repeat = true;
                }
                b'^' => {
                    self.i += 1;
                    items.push(Node::BeginText);
                    last_repeatable = true;
                    last_was_repeat = false;
                }
                b'$' => {
                    self.i += 1;
                    items.push(Node::EndText);
                    last_repeatable = true;
                    last_was_repeat = false;
                }
                b'.' => {
                    self.i += 1;
                    items.push(Node::AnyNotNl);
                    last_repeatable = true;
                    last_was_repeat = false;
                }
                b'[' => {
                    let node = self.parse_class()?;
                    items.push(node);
                    last_repeatable = true;
                    last_was_repeat = false;
                }
                b'\\' => {
                    match self.parse_backslash()? {
                        Backslash::Node(n) => items.push(n),
                        Backslash::Literals(lits) => {
                            if lits.is_empty() {
                                // An empty `\Q\E` adds nothing; repetition applies to
                                // whatever came before, as in Go.
                                continue;
                            }
                            items.extend(lits.into_iter().map(Node::Lit));
                        }
                    }
                    last_repeatable = true;
                    last_was_repeat = false;
                }
                _ => {
                    let r = self.next_rune()?;
                    items.push(Node::Lit(r));
                    last_repeatable = true;
                    last_was_repeat = false;
                }
            }
        }
        Ok(Node::Concat(items))
    }

    /// `{n}`, `{n,}`, `{n,m}` at the cursor; on success the cursor is after `}`.
    fn parse_repeat_braces(&mut self) -> Option<(u32, Option<u32>)> {
        let save = self.i;
        self.i += 1;
        let min = self.parse_int()?;
        let max = if self.peek() == Some(b',') {
            self.i += 1;
            if self.peek() == Some(b'}') {
                None
            } else {
                Some(self.parse_int()?)
            }
        } else {
            Some(min)
        };
        if self.peek() != Some(b'}') {
            self.i = save;
            return None;
        }
        self.i += 1;
        Some((min, max))
    }

    fn parse_int(&mut self) -> Option<u32> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        if self.i == start {
            return None;
        }
        let digits = &self.s[start..self.i];
        // Go rejects leading zeros ("01") as a repeat count, making `{` literal.
        if digits.len() > 1 && digits[0] == b'0' {
            return None;
        }
        let mut v: u32 = 0;
        for &d in digits {
            // Counts beyond MAX_REPEAT are rejected later; saturate to keep that check.
            v = v.saturating_mul(10).saturating_add(u32::from(d - b'0'));
        }
        Some(v)
    }

    fn parse_backslash(&mut self) -> Result<Backslash, GoRegexError> {
        // Perl extensions handled before ordinary escapes, as in Go's parser.
        if let Some(&c) = self.s.get(self.i + 1) {
            let simple = match c {
                b'A' => Some(Node::BeginText),
                b'z' => Some(Node::EndText),
                b'b' => Some(Node::WordBoundary),
                b'B' => Some(Node::NoWordBoundary),
                _ => None,
            };
            if let Some(n) = simple {
                self.i += 2;
                return Ok(Backslash::Node(n));
            }
            if c == b'C' {
                return err("invalid escape sequence: `\\C`");
            }
            if c == b'Q' {
                // \Q...\E: everything up to \E (or the end) is literal.
                let body = &self.s[self.i + 2..];
                let (lit, consumed) = match find(body, b"\\E") {
                    Some(k) => (&body[..k], k + 2),
                    None => (body, body.len()),
                };
                let lits = String::from_utf8_lossy(lit)
                    .chars()
                    .map(u32::from)
                    .collect();
                self.i += 2 + consumed;
                return Ok(Backslash::Literals(lits));
            }
        }
        if let Some(item) = self.parse_unicode_class()? {
            return Ok(Backslash::Node(Node::Class {
                items: vec![item],
                negated: false,
            }));
        }
        if let Some(ranges) = self.parse_perl_class() {
            let items = ranges
                .into_iter()
                .map(|(lo, hi)| ClassItem::Range(lo, hi))
                .collect();
            return Ok(Backslash::Node(Node::Class {
                items,
                negated: false,
            }));
        }
        let r = self.parse_escape()?;
        Ok(Backslash::Literals(vec![r]))
    }

    /// `\d \D \s \S \w \W` (ASCII, as in Go).
    fn parse_perl_class(&mut self) -> Option<Ranges> {
        let c = *self.s.get(self.i + 1)?;
        if self.peek() != Some(b'\\') {
            return None;
        }
        let (base, neg): (&[(u32, u32)], bool) = match c {
            b'd' => (PERL_D, false),
            b'D' => (PERL_D, true),
            b's' => (PERL_S, false),
            b'S' => (PERL_S, true),
            b'w' => (PERL_W, false),
            b'W' => (PERL_W, true),
            _ => return None,
        };
        self.i += 2;
        Some(if neg { negate(base) } else { base.to_vec() })
    }

    /// `\pL`, `\p{Greek}`, `\P{^Greek}`...; `Ok(None)` when not at `\p`/`\P`.
    fn parse_unicode_class(&mut self) -> Result<Option<ClassItem>, GoRegexError> {
        if self.peek() != Some(b'\\') {
            return Ok(None);
        }
        let mut negated = match self.s.get(self.i + 1) {
            Some(b'p') => false,
            Some(b'P') => true,
            _ => return Ok(None),
        };
        let start = self.i;
        self.i += 2;
        let name = if self.peek() == Some(b'{') {
            let body = &self.s[self.i..];
            let Some(end) = body.iter().position(|&b| b == b'}') else {
                return err(format!(
                    "invalid character class range: `{}`",
                    String::from_utf8_lossy(&self.s[start..])
                ));
            };
            let name = String::from_utf8_lossy(&body[1..end]).into_owned();
            self.i += end + 1;
            name
        } else {
            let (r, n) = super::golang::decode_rune(self.rest());
            self.i += n;
            char::from_u32(r).map(String::from).unwrap_or_default()
        };
        let name = match name.strip_prefix('^') {
            Some(stripped) => {
                negated = !negated;
                stripped.to_owned()
            }
            None => name,
        };
        if !unicode_name_ok(&name) {
            return err(format!(
                "invalid character class range: `{}`",
                String::from_utf8_lossy(&self.s[start..self.i])
            ));
        }
        Ok(Some(ClassItem::Unicode { name, negated }))
    }

    /// Go's `parseEscape`: a single escaped character.
    fn parse_escape(&mut self) -> Result<u32, GoRegexError> {
        let start = self.i;
        self.i += 1; // the backslash
        if self.i >= self.s.len() {
            return err("trailing backslash at end of expression");
        }
        let c = self.next_rune()?;
        let bad = |p: &Self| {
            err(format!(
                "invalid escape sequence: `{}`",
                String::from_utf8_lossy(&p.s[start..p.i.min(p.s.len())])
            ))
        };
        let is_octal = |b: Option<u8>| b.is_some_and(|b| (b'0'..=b'7').contains(&b));
        match c {
            0x30..=0x37 => {
                // A lone non-zero digit would be a backreference, which Go rejects.
                if c != 0x30 && !is_octal(self.peek()) {
                    return bad(self);
                }
                let mut r = c - 0x30;
                for _ in 1..3 {
                    if !is_octal(self.peek()) {
                        break;
                    }
                    r = r * 8 + u32::from(self.s[self.i] - b'0');
                    self.i += 1;
                }
                Ok(r)
            }
            0x78 => {
                // \x: two hex digits or \x{...}.
                if self.i >= self.s.len() {
                    return bad(self);
                }
                let c1 = self.next_rune()?;
                if c1 == u32::from(b'{') {
                    let mut r: u32 = 0;
                    let mut nhex = 0;
                    loop {
                        if self.i >= self.s.len() {
                            return bad(self);
                        }
                        let d = self.next_rune()?;
                        if d == u32::from(b'}') {
                            break;
                        }
                        let Some(v) = unhex(d) else {
                            return bad(self);
                        };
                        r = r * 16 + v;
                        if r > 0x10FFFF {
                            return bad(self);
                        }
                        nhex += 1;
                    }
                    if nhex == 0 {
                        return bad(self);
                    }
                    return Ok(r);
                }
                let (c2, n) = super::golang::decode_rune(self.rest());
                self.i += n;
                match (unhex(c1), unhex(c2)) {
                    (Some(x), Some(y)) if n > 0 => Ok(x * 16 + y),
                    _ => bad(self),
                }
            }
            0x61 => Ok(0x07), // \a
            0x66 => Ok(0x0C), // \f
            0x6E => Ok(0x0A), // \n
            0x72 => Ok(0x0D), // \r
            0x74 => Ok(0x09), // \t
            0x76 => Ok(0x0B), // \v
            _ => {
                // Escaped ASCII punctuation is itself; anything else is an error.
                if c < 0x80 && !(c as u8).is_ascii_alphanumeric() {
                    Ok(c)
                } else {
                    bad(self)
                }
            }
        }
    }

    fn parse_class(&mut self) -> Result<Node, GoRegexError> {
        let whole_start = self.i;
        self.i += 1; // '['
        let mut negated = false;
        if self.peek() == Some(b'^') {
            negated = true;
            self.i += 1;
        }
        let mut items: Vec<ClassItem> = Vec::new();
        let mut first = true; // ']' is literal as the first character
        loop {
            match self.peek() {
                None => {
                    return err(format!(
                        "missing closing ]: `{}`",
                        String::from_utf8_lossy(&self.s[whole_start..])
                    ));
                }
                Some(b']') if !first => break,
                _ => {}
            }
            first = false;
            // POSIX [:alpha:] — Go looks for the next ":]" anywhere after "[:".
            if self.rest().starts_with(b"[:") {
                if let Some(k) = find(&self.rest()[2..], b":]") {
                    let name_end = self.i + 2 + k + 2;
                    let name = &self.s[self.i..name_end];
                    let Some(ranges) = posix_class(name) else {
                        return err(format!(
                            "invalid character class range: `{}`",
                            String::from_utf8_lossy(name)
                        ));
                    };
                    items.extend(ranges.into_iter().map(|(lo, hi)| ClassItem::Range(lo, hi)));
                    self.i = name_end;
                    continue;
                }
            }
            if let Some(item) = self.parse_unicode_class()? {
                items.push(item);
                continue;
            }
            if let Some(ranges) = self.parse_perl_class() {
                items.extend(ranges.into_iter().map(|(lo, hi)| ClassItem::Range(lo, hi)));
                continue;
            }
            let range_start = self.i;
            let lo = self.parse_class_char(whole_start)?;
            let mut hi = lo;
            // `[a-]` means a or '-': a range needs something other than ']' after '-'.
            if self.peek() == Some(b'-') && self.s.get(self.i + 1).is_some_and(|&b| b != b']') {
                self.i += 1;
                hi = self.parse_class_char(whole_start)?;
                if hi < lo {
                    return err(format!(
                        "invalid character class range: `{}`",
                        String::from_utf8_lossy(&self.s[range_start..self.i])
                    ));
                }
            }
            items.push(ClassItem::Range(lo, hi));
        }
        self.i += 1; // ']'
        Ok(Node::Class { items, negated })
    }

    fn parse_class_char(&mut self, whole_start: usize) -> Result<u32, GoRegexError> {
        match self.peek() {
            None => err(format!(
                "missing closing ]: `{}`",
                String::from_utf8_lossy(&self.s[whole_start..])
            )),
            Some(b'\\') => self.parse_escape(),
            Some(_) => self.next_rune(),
        }
    }
}

enum Backslash {
    Node(Node),
    Literals(Vec<u32>),
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn unhex(c: u32) -> Option<u32> {
    char::from_u32(c).and_then(|c| c.to_digit(16))
}

const PERL_D: &[(u32, u32)] = &[(0x30, 0x39)];
const PERL_S: &[(u32, u32)] = &[(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)];
const PERL_W: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)];

/// Go's `posixGroup` table (ASCII).
fn posix_class(name: &[u8]) -> Option<Ranges> {
    let (neg, base) = match name.strip_prefix(b"[:^") {
        Some(rest) => (true, rest),
        None => (false, name.strip_prefix(b"[:")?),
    };
    let ranges: &[(u32, u32)] = match base {
        b"alnum:]" => &[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
        b"alpha:]" => &[(0x41, 0x5A), (0x61, 0x7A)],
        b"ascii:]" => &[(0x00, 0x7F)],
        b"blank:]" => &[(0x09, 0x09), (0x20, 0x20)],
        b"cntrl:]" => &[(0x00, 0x1F), (0x7F, 0x7F)],
        b"digit:]" => &[(0x30, 0x39)],
        b"graph:]" => &[(0x21, 0x7E)],
        b"lower:]" => &[(0x61, 0x7A)],
        b"print:]" => &[(0x20, 0x7E)],
        b"punct:]" => &[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
        b"space:]" => &[(0x09, 0x0D), (0x20, 0x20)],
        b"upper:]" => &[(0x41, 0x5A)],
        b"word:]" => &[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
        b"xdigit:]" => &[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => return None,
    };
    Some(if neg { negate(ranges) } else { ranges.to_vec() })
}

/// Complement of sorted, non-overlapping ranges over all code points.
fn negate(ranges: &[(u32, u32)]) -> Ranges {
    let mut out = Vec::new();
    let mut next = 0u32;
    for &(lo, hi) in ranges {
        if lo > next {
            out.push((next, lo - 1));
        }
        next = hi + 1;
    }
    if next <= 0x10FFFF {
        out.push((next, 0x10FFFF));
    }
    out
}

/// Go's general categories; other names are treated as script names.
const GO_CATEGORIES: &[&str] = &[
    "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N",
    "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "So", "Z",
    "Zl", "Zp", "Zs",
];

fn unicode_name_ok(name: &str) -> bool {
    // Go names are case-sensitive identifiers like `Greek`, `Old_Italic`, `Lu`, `Any`.
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.starts_with(|c: char| c.is_ascii_uppercase())
}

fn emit_unicode(name: &str, negated: bool, out: &mut String) {
    let p = if negated { 'P' } else { 'p' };
    if name == "Any" {
        // Rust spells "any code point" the same way.
        let _ = write!(out, "\\{p}{{Any}}");
    } else if GO_CATEGORIES.contains(&name) {
        let _ = write!(out, "\\{p}{{gc={name}}}");
    } else {
        let _ = write!(out, "\\{p}{{sc={name}}}");
    }
}

fn emit_char(c: u32, out: &mut String) {
    let _ = write!(out, "\\x{{{c:X}}}");
}

/// Rust chars cannot be surrogates; split a range around them.
fn emit_range(lo: u32, hi: u32, out: &mut String) {
    let parts: [(u32, u32); 2] = [(lo, hi.min(0xD7FF)), (lo.max(0xE000), hi)];
    for (a, b) in parts {
        if a > b {
            continue;
        }
        emit_char(a, out);
        if b != a {
            out.push('-');
            emit_char(b, out);
        }
    }
}

fn emit(node: &Node, out: &mut String) {
    match node {
        Node::Lit(c) => {
            if (0xD800..=0xDFFF).contains(c) {
                // Unreachable from valid UTF-8; a surrogate literal never matches text.
                out.push_str("[^\\x{0}-\\x{10FFFF}]");
            } else {
                emit_char(*c, out);
            }
        }
        Node::AnyNotNl => out.push_str("[^\\n]"),
        Node::Class { items, negated } => {
            out.push('[');
            if *negated {
                out.push('^');
            }
            if items.is_empty() {
                // Only reachable for classes Go would also reject; keep the output valid.
                out.push_str("\\x{0}&&\\x{1}");
            }
            for item in items {
                match item {
                    ClassItem::Range(lo, hi) => emit_range(*lo, *hi, out),
                    ClassItem::Unicode { name, negated } => emit_unicode(name, *negated, out),
                }
            }
            out.push(']');
        }
        Node::BeginText => out.push_str("\\A"),
        Node::EndText => out.push_str("\\z"),
        // Go's \b and \B are ASCII word boundaries.
        Node::WordBoundary => out.push_str("(?-u:\\b)"),
        Node::NoWordBoundary => out.push_str("(?-u:\\B)"),
        Node::Concat(items) => {
            out.push_str("(?:");
            for item in items {
                emit(item, out);
            }
            out.push(')');
        }
        Node::Alt(alts) => {
            out.push_str("(?:");
            for (i, a) in alts.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                emit(a, out);
            }
            out.push(')');
        }
        Node::Group(inner) => {
            out.push_str("(?:");
            emit(inner, out);
            out.push(')');
        }
        Node::Repeat { node, min, max } => {
            out.push_str("(?:");
            emit(node, out);
            out.push(')');
            match (min, max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (m, None) => {
                    let _ = write!(out, "{{{m},}}");
                }
                (m, Some(x)) => {
                    let _ = write!(out, "{{{m},{x}}}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(go: &str) -> regex::Regex {
        let rust = translate(go).unwrap_or_else(|e| panic!("{go}: {e:?}"));
        regex::Regex::new(&rust).unwrap_or_else(|e| panic!("{go} -> {rust}: {e}"))
    }

    #[test]
    fn patternmatcher_shapes() {
        let r = re("^[^/]*\\.go$");
        assert!(r.is_match("a.go"));
        assert!(!r.is_match("a/b.go"));
        let r = re("^a/(.*/)?b$");
        assert!(r.is_match("a/b") && r.is_match("a/x/y/b"));
        assert!(!r.is_match("a/xb"));
    }

    #[test]
    fn go_class_rules() {
        // `[` inside a class is literal in Go (nested class in Rust).
        let r = re("^[[^/]*]$");
        assert!(r.is_match("]") && r.is_match("[^/]") && !r.is_match("a]"));
        // POSIX class.
        let r = re("^[[:alpha:]]$");
        assert!(r.is_match("q") && !r.is_match("1"));
        // `]` first is literal.
        let r = re("^[]a]$");
        assert!(r.is_match("]") && r.is_match("a"));
        // \s excludes \v in Go.
        let r = re("^\\s$");
        assert!(r.is_match(" ") && !r.is_match("\u{0B}"));
        // \d is ASCII only.
        let r = re("^\\d$");
        assert!(r.is_match("7") && !r.is_match("٣"));
        // `^` in the middle is begin-of-text: never matches here.
        let r = re("^a^b$");
        assert!(!r.is_match("a^b") && !r.is_match("ab"));
    }

    #[test]
    fn go_escapes() {
        assert!(re("^\\x41$").is_match("A"));
        assert!(re("^\\101$").is_match("A"));
        assert!(re("^\\Qa[^/]*\\E$").is_match("a[^/]*"));
        assert!(re("^\\a$").is_match("\u{07}"));
        assert!(translate("\\q").is_err());
        assert!(translate("\\1").is_err());
        assert!(translate("\\C").is_err());
        assert!(translate("[z-a]").is_err());
        assert!(translate("[a").is_err());
        assert!(translate("[[:foo:]]").is_err());
        assert!(translate("\\").is_err());
        assert!(translate("a**").is_err());
        assert!(translate("*a").is_err());
    }

    #[test]
    fn unicode_groups() {
        assert!(re("^\\pL$").is_match("é"));
        assert!(re("^\\p{Greek}$").is_match("α"));
        assert!(!re("^\\P{Greek}$").is_match("α"));
        assert!(re("^[\\p{^Greek}]$").is_match("a"));
        assert!(translate("\\p{").is_err());
        assert!(translate("\\p").is_err());
    }
}
