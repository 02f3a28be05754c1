//! The word processor: quote removal, escapes, `$var` / `${var…}` expansion and word splitting,
//! behaving like BuildKit's `shell.Lex`, quirks included.
//!
//! The same engine also runs without an environment to find variable references for the editor
//! ([`Lexer::var_refs`]); expansion never changes how the text is read, so the structure it sees
//! is exactly the structure BuildKit sees.

use std::collections::HashSet;
use std::mem;

use super::MAX_DEPTH;
use super::env::Env;
use super::error::{ShellError, ShellErrorKind as K};
use super::gochar::{is_digit, is_letter, is_space};
use super::pattern::{self, PatternError};
use super::refs::{Modifier, ModifierKind, VarRef, VarScan};

/// What Go's `string(rune)` gives for the end-of-input rune: BuildKit prints it in messages.
const EOF_RUNE: char = '\u{FFFD}';

/// BuildKit's `shell.Lex`: the escape token plus four switches, all off by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexer {
    escape: char,
    /// Keep `'` and `"` in the output (quotes still group and protect).
    pub raw_quotes: bool,
    /// Keep escape characters in the output.
    pub raw_escapes: bool,
    /// Treat `'` and `"` as ordinary characters (BuildKit does this for COPY/ADD heredoc bodies).
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written (`$x`, `${x}`, `${x:-w}`) instead of
    /// expanding them to the empty string.
    pub skip_unset_env: bool,
}

impl Default for Lexer {
    fn default() -> Self {
        Self::new('\\')
    }
}

/// The result of [`Lexer::process_word`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Processed {
    /// The expanded word.
    pub value: String,
    /// Names that were looked up and found, in first-seen order.
    pub matched: Vec<String>,
    /// Names that were looked up and not set, in first-seen order. Like BuildKit, this includes
    /// special and positional parameters (`$1`, `$@`) and even the empty name of `${+x}`.
    pub unmatched: Vec<String>,
}

impl Lexer {
    /// A lexer with the given escape token (`\` or, after `# escape=`, a backtick).
    pub const fn new(escape: char) -> Self {
        Self {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    /// The escape token.
    pub const fn escape(&self) -> char {
        self.escape
    }

    /// Expands `word` as one word (BuildKit's `ProcessWordWithMatches`): whitespace is kept.
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<Processed, ShellError> {
        let mut engine = Engine::new(*self, word, Sink::eval(env, true), false);
        let (value, _) = engine.top_level()?;
        let (matched, unmatched) = engine.sink.into_lookups();
        Ok(Processed {
            value,
            matched,
            unmatched,
        })
    }

    /// Expands `word` and splits the result into words at unquoted whitespace (BuildKit's
    /// `ProcessWords`). Whitespace coming from a variable splits too, unless it is quoted.
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ShellError> {
        let mut engine = Engine::new(*self, word, Sink::eval(env, false), true);
        engine.top_level().map(|(_, words)| words)
    }

    /// The variable references BuildKit would expand in `text` with this lexer's settings (see
    /// [`var_refs`](super::var_refs) with `RefMode::Builder`). Use this form when the options
    /// matter, e.g. COPY/ADD heredoc bodies, which BuildKit expands with `skip_process_quotes`
    /// and always with `\` as the escape token.
    ///
    /// `errors` holds at most one error: the first one BuildKit stops at whatever the values are.
    /// Errors that depend on values (`${v?}`, a pattern built from a variable) are not reported,
    /// and `skip_unset_env` is ignored since every variable is unknown here. Scanning goes on
    /// after the error so that later references are still found.
    pub fn var_refs(&self, text: &str) -> VarScan {
        // With no environment every variable looks unset; skipping unset ones would hide the
        // pattern checks, so the scan always expands.
        let lexer = Lexer {
            skip_unset_env: false,
            ..*self
        };
        let mut engine = Engine::new(lexer, text, Sink::Scan(Scan::default()), false);
        let mut errors = Vec::new();
        loop {
            let before = engine.pos;
            match engine.top_level() {
                Ok(_) => break,
                Err(e) => {
                    if errors.is_empty() {
                        errors.push(e);
                    }
                    if engine.peek().is_none() {
                        break;
                    }
                    // Every error consumes input; this only guards against a future one that
                    // does not.
                    if engine.pos == before {
                        engine.skip_char();
                    }
                }
            }
        }
        let refs = match engine.sink {
            Sink::Scan(scan) => scan.refs,
            Sink::Eval(_) => Vec::new(),
        };
        VarScan { refs, errors }
    }
}

/// Where lookups go: a real environment, or the reference scanner.
enum Sink<'a> {
    Eval(Lookups<'a>),
    Scan(Scan),
}

struct Lookups<'a> {
    env: &'a dyn Env,
    capture: bool,
    seen: HashSet<&'a str>,
    matched: Vec<&'a str>,
    unmatched: Vec<&'a str>,
}

#[derive(Default)]
struct Scan {
    refs: Vec<VarRef>,
    /// Lookups so far, to tell whether a pattern is literal text (and so can be checked).
    lookups: usize,
}

impl<'a> Sink<'a> {
    fn eval(env: &'a dyn Env, capture: bool) -> Self {
        Sink::Eval(Lookups {
            env,
            capture,
            seen: HashSet::new(),
            matched: Vec::new(),
            unmatched: Vec::new(),
        })
    }

    fn into_lookups(self) -> (Vec<String>, Vec<String>) {
        match self {
            Sink::Eval(l) => (
                l.matched.into_iter().map(str::to_owned).collect(),
                l.unmatched.into_iter().map(str::to_owned).collect(),
            ),
            Sink::Scan(_) => (Vec::new(), Vec::new()),
        }
    }
}

/// Words being split, BuildKit's `wordsStruct`. The text of the current word lives in
/// [`Engine::word_buf`], which BuildKit shares between nesting levels.
#[derive(Default)]
struct Words {
    done: Vec<String>,
    in_word: bool,
}

struct Engine<'a> {
    lexer: Lexer,
    src: &'a str,
    /// Byte offset of the next character.
    pos: usize,
    raw_escapes: bool,
    /// Whether anyone wants the words (only `process_words` does).
    split: bool,
    /// The current word. BuildKit keeps one buffer for all nesting levels and clears it whenever a
    /// nested word starts (`${v:-…}`), which drops what the outer word had so far:
    /// `ProcessWords("a${v:-b}")` gives `["b"]`. We keep that behaviour.
    word_buf: String,
    /// How many `${…}` we are inside.
    depth: usize,
    sink: Sink<'a>,
}

impl<'a> Engine<'a> {
    fn new(lexer: Lexer, src: &'a str, sink: Sink<'a>, split: bool) -> Self {
        // Go's text/scanner skips a byte-order mark at the very start of its input.
        let pos = if src.starts_with('\u{FEFF}') {
            '\u{FEFF}'.len_utf8()
        } else {
            0
        };
        Self {
            lexer,
            src,
            pos,
            raw_escapes: lexer.raw_escapes,
            split,
            word_buf: String::new(),
            depth: 0,
            sink,
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn skip_char(&mut self) {
        self.next_char();
    }

    fn err(&self, kind: K, start: usize) -> ShellError {
        ShellError::new(kind, start..self.pos)
    }

    fn err_to_end(&self, kind: K, start: usize) -> ShellError {
        ShellError::new(kind, start..self.src.len())
    }

    fn top_level(&mut self) -> Result<(String, Vec<String>), ShellError> {
        let raw = self.lexer.raw_escapes;
        self.stop_on(None, raw)
    }

    // ---- words -------------------------------------------------------------------------------

    fn add_char(&mut self, w: &mut Words, c: char) {
        if !self.split {
            return;
        }
        if is_space(c) {
            if w.in_word && !self.word_buf.is_empty() {
                w.done.push(mem::take(&mut self.word_buf));
                w.in_word = false;
            }
        } else {
            self.add_raw_char(w, c);
        }
    }

    fn add_raw_char(&mut self, w: &mut Words, c: char) {
        if self.split {
            self.word_buf.push(c);
            w.in_word = true;
        }
    }

    fn add_str(&mut self, w: &mut Words, s: &str) {
        for c in s.chars() {
            self.add_char(w, c);
        }
    }

    fn add_raw_str(&mut self, w: &mut Words, s: &str) {
        if self.split {
            self.word_buf.push_str(s);
            w.in_word = true;
        }
    }

    fn finish_words(&mut self, mut w: Words) -> Vec<String> {
        if !self.word_buf.is_empty() {
            w.done.push(mem::take(&mut self.word_buf));
        }
        w.done
    }

    // ---- lookups -----------------------------------------------------------------------------

    fn lookup(&mut self, name: &'a str) -> Option<&'a str> {
        match &mut self.sink {
            Sink::Eval(l) => {
                let env: &'a dyn Env = l.env;
                let value = env.get(name);
                if l.capture && l.seen.insert(name) {
                    if value.is_some() {
                        l.matched.push(name);
                    } else {
                        l.unmatched.push(name);
                    }
                }
                value
            }
            Sink::Scan(s) => {
                s.lookups += 1;
                None
            }
        }
    }

    fn scanning(&self) -> bool {
        matches!(self.sink, Sink::Scan(_))
    }

    fn lookup_count(&self) -> usize {
        match &self.sink {
            Sink::Scan(s) => s.lookups,
            Sink::Eval(_) => 0,
        }
    }

    /// Records a reference for the scanner; special and positional parameters are not variables.
    fn note_ref(&mut self, start: usize, name_start: usize, braced: bool) -> Option<usize> {
        let Sink::Scan(scan) = &mut self.sink else {
            return None;
        };
        let name = &self.src[name_start..self.pos];
        let first = name.chars().next()?;
        if is_digit(first) || is_special_param(first) {
            return None;
        }
        scan.refs.push(VarRef {
            name: name.to_owned(),
            range: start..self.pos,
            name_range: name_start..self.pos,
            braced,
            modifier: None,
        });
        Some(scan.refs.len() - 1)
    }

    fn ref_mut(&mut self, idx: Option<usize>) -> Option<&mut VarRef> {
        match &mut self.sink {
            Sink::Scan(scan) => scan.refs.get_mut(idx?),
            Sink::Eval(_) => None,
        }
    }

    // ---- the grammar -------------------------------------------------------------------------

    /// Reads up to `stop` (consumed) or the end of the input; `stop` of `None` means the end.
    fn stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), ShellError> {
        let saved = mem::replace(&mut self.raw_escapes, raw_escapes);
        let result = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        result
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), ShellError> {
        let mut out = String::new();
        self.word_buf.clear();
        let mut words = Words::default();
        let quotes = !self.lexer.skip_process_quotes;

        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += c.len_utf8();
                let words = self.finish_words(words);
                return Ok((out, words));
            }
            match c {
                '$' => {
                    let value = self.dollar()?;
                    out.push_str(&value);
                    // Expanded text is split at whitespace; quoted text below is not.
                    self.add_str(&mut words, &value);
                }
                '<' => {
                    let text = self.possible_heredoc();
                    out.push_str(text);
                    self.add_raw_str(&mut words, text);
                }
                '\'' if quotes => {
                    let text = self.single_quoted()?;
                    out.push_str(&text);
                    self.add_raw_str(&mut words, &text);
                }
                '"' if quotes => {
                    let text = self.double_quoted()?;
                    out.push_str(&text);
                    self.add_raw_str(&mut words, &text);
                }
                _ => {
                    self.pos += c.len_utf8();
                    if c == self.lexer.escape {
                        if self.raw_escapes {
                            self.add_raw_char(&mut words, c);
                            out.push(c);
                        }
                        // An escape at the very end is dropped.
                        let Some(escaped) = self.next_char() else {
                            break;
                        };
                        self.add_raw_char(&mut words, escaped);
                        out.push(escaped);
                    } else {
                        self.add_char(&mut words, c);
                        out.push(c);
                    }
                }
            }
        }
        if let Some(expected) = stop {
            return Err(self.err(K::UnexpectedEnd { expected }, self.pos));
        }
        let words = self.finish_words(words);
        Ok((out, words))
    }

    /// `<<` and the blanks after it are kept as they are, so `<< EOF` stays one word.
    fn possible_heredoc(&mut self) -> &'a str {
        let start = self.pos;
        self.pos += 1;
        if self.peek() == Some('<') {
            self.pos += 1;
            while let Some(c @ (' ' | '\t' | '\r')) = self.peek() {
                self.pos += c.len_utf8();
            }
        }
        &self.src[start..self.pos]
    }

    /// Everything up to the next `'` is literal; there is no escape inside single quotes.
    fn single_quoted(&mut self) -> Result<String, ShellError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        if self.lexer.raw_quotes {
            out.push('\'');
        }
        loop {
            match self.next_char() {
                None => return Err(self.err_to_end(K::UnterminatedSingleQuote, start)),
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    /// Inside `"…"`, `$` expands and the escape token protects only `"`, `$` and itself.
    fn double_quoted(&mut self) -> Result<String, ShellError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        if self.lexer.raw_quotes {
            out.push('"');
        }
        loop {
            match self.peek() {
                None => return Err(self.err_to_end(K::UnterminatedDoubleQuote, start)),
                Some('"') => {
                    self.pos += 1;
                    if self.lexer.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    out.push_str(&value);
                }
                Some(c) => {
                    self.pos += c.len_utf8();
                    let mut c = c;
                    if c == self.lexer.escape {
                        if self.raw_escapes {
                            // With raw escapes an escape before an ordinary character ends up
                            // twice in the output; BuildKit does the same.
                            out.push(c);
                        }
                        match self.peek() {
                            // The escape is dropped; the next turn reports the missing quote.
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.lexer.escape => {
                                self.pos += n.len_utf8();
                                c = n;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
        }
    }

    /// A name after `$`: a run of digits, one special parameter character, or letters, digits
    /// and `_` (Go's Unicode classes, so `$한국어` is a name).
    fn name(&mut self) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if self.pos == start && is_digit(c) {
                while let Some(d) = self.peek().filter(|&d| is_digit(d)) {
                    self.pos += d.len_utf8();
                }
                break;
            }
            if self.pos == start && is_special_param(c) {
                self.pos += c.len_utf8();
                break;
            }
            if !is_letter(c) && !is_digit(c) && c != '_' {
                break;
            }
            self.pos += c.len_utf8();
        }
        &self.src[start..self.pos]
    }

    fn dollar(&mut self) -> Result<String, ShellError> {
        let start = self.pos;
        self.pos += 1;
        if self.peek() != Some('{') {
            let name_start = self.pos;
            let name = self.name();
            if name.is_empty() {
                // `$` before anything that cannot start a name is a plain dollar.
                return Ok("$".to_owned());
            }
            self.note_ref(start, name_start, false);
            return Ok(match self.lookup(name) {
                Some(v) => v.to_owned(),
                None if self.lexer.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.pos += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.err(K::TooDeep, start));
        }
        let first_ref = match &self.sink {
            Sink::Scan(scan) => scan.refs.len(),
            Sink::Eval(_) => 0,
        };
        self.depth += 1;
        let result = self.braced(start);
        self.depth -= 1;
        // The reference (if any) was recorded as soon as its name was read; now its end is known,
        // even when the expansion failed.
        let end = self.pos;
        if let Some(r) = self
            .ref_mut(Some(first_ref))
            .filter(|r| r.range.start == start)
        {
            r.range.end = end;
        }
        result
    }

    /// `${…}`, with `start` at the `$` and the `{` consumed.
    fn braced(&mut self, start: usize) -> Result<String, ShellError> {
        match self.peek() {
            None => return Err(self.err_to_end(K::MissingBrace, start)),
            Some(c @ ('{' | '}' | ':')) => {
                return Err(ShellError::new(
                    K::BadSubstitution,
                    start..self.pos + c.len_utf8(),
                ));
            }
            Some(_) => {}
        }
        let name_start = self.pos;
        let name = self.name();
        let ref_idx = self.note_ref(start, name_start, true);
        let op_start = self.pos;
        let first = self.next_char();
        let mut op_text = String::from(first.unwrap_or(EOF_RUNE));

        match first {
            Some('}') => Ok(match self.lookup(name) {
                Some(v) => v.to_owned(),
                None if self.lexer.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(c @ (':' | '+' | '-' | '?' | '#' | '%')) => {
                let colon = c == ':';
                let op = if colon {
                    let op = self.next_char();
                    op_text.push(op.unwrap_or(EOF_RUNE));
                    op
                } else {
                    Some(c)
                };
                self.note_modifier(ref_idx, colon, op, op_start);
                let pattern_op = matches!(op, Some('#' | '%'));
                if colon && pattern_op {
                    return Err(self.err(K::UnsupportedModifier(op_text), start));
                }
                let lookups_before = self.lookup_count();
                let word = self.nested_word('}', pattern_op, start, K::MissingBrace)?;
                let literal_word = self.lookup_count() == lookups_before;
                let value = self.lookup(name);
                if self.lexer.skip_unset_env && value.is_none() {
                    return Ok(format!("${{{name}{op_text}{word}}}"));
                }
                match op {
                    Some('-') => Ok(match value {
                        Some(v) if !(colon && v.is_empty()) => v.to_owned(),
                        _ => word,
                    }),
                    Some('+') => Ok(match value {
                        Some(v) if !(colon && v.is_empty()) => word,
                        _ => String::new(),
                    }),
                    Some('?') => {
                        let problem = match value {
                            None => "is not allowed to be unset",
                            Some("") if colon => "is not allowed to be empty",
                            Some(v) => return Ok(v.to_owned()),
                        };
                        if self.scanning() {
                            // Depends on the values, which the scanner does not know.
                            return Ok(String::new());
                        }
                        let message = if word.is_empty() {
                            problem.to_owned()
                        } else {
                            word
                        };
                        Err(self.err(
                            K::Required {
                                name: name.to_owned(),
                                message,
                            },
                            start,
                        ))
                    }
                    Some(p @ ('#' | '%')) => {
                        // A doubled operator (`##`, `%%`) arrives as the first character of the
                        // expanded word, so `${v#$X}` with X=`#a` is greedy too.
                        let (greedy, pat) = match word.strip_prefix(p) {
                            Some(rest) => (true, rest),
                            None => (false, word.as_str()),
                        };
                        let value = value.unwrap_or("");
                        if self.scanning() {
                            if literal_word {
                                self.check_pattern(pat, p == '%', greedy, start)?;
                            }
                            return Ok(String::new());
                        }
                        let trimmed = if p == '%' {
                            pattern::trim_suffix(pat, value, greedy)
                        } else {
                            pattern::trim_prefix(pat, value, greedy)
                        };
                        trimmed.map_err(|e| self.pattern_err(e, start))
                    }
                    _ => Err(self.err(K::UnsupportedModifier(op_text), start)),
                }
            }
            Some('/') => {
                let all = self.peek() == Some('/');
                if all {
                    self.pos += 1;
                }
                let op_end = self.pos;
                if let Some(r) = self.ref_mut(ref_idx) {
                    r.modifier = Some(Modifier {
                        kind: ModifierKind::Replace { all },
                        range: op_start..op_end,
                    });
                }
                let lookups_before = self.lookup_count();
                let pat = self.nested_word('/', true, start, K::MissingSlash)?;
                let literal_pattern = self.lookup_count() == lookups_before;
                let replacement = self.nested_word('}', true, start, K::MissingBrace)?;
                let value = self.lookup(name);
                if self.lexer.skip_unset_env && value.is_none() {
                    // BuildKit rebuilds `${v//p/r}` with a single slash.
                    return Ok(format!("${{{name}/{pat}/{replacement}}}"));
                }
                if self.scanning() {
                    if literal_pattern {
                        pattern::glob_to_regex(&pat, true, false).map_err(|reason| {
                            self.pattern_err(
                                PatternError {
                                    pattern: pat,
                                    reason,
                                },
                                start,
                            )
                        })?;
                    }
                    return Ok(String::new());
                }
                pattern::replace(&pat, value.unwrap_or(""), &replacement, all)
                    .map_err(|e| self.pattern_err(e, start))
            }
            _ => {
                self.note_modifier(ref_idx, false, first, op_start);
                Err(if first.is_none() {
                    // `${name` at the end: BuildKit reports the end-of-input rune as the modifier.
                    self.err_to_end(K::UnsupportedModifier(op_text), start)
                } else {
                    self.err(K::UnsupportedModifier(op_text), start)
                })
            }
        }
    }

    /// A word inside `${…}` up to `stop`. Running out of input becomes `missing` (anything that
    /// failed at the very end, an unclosed quote included, is reported as the missing delimiter).
    fn nested_word(
        &mut self,
        stop: char,
        raw_escapes: bool,
        start: usize,
        missing: K,
    ) -> Result<String, ShellError> {
        match self.stop_on(Some(stop), raw_escapes) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.peek().is_none() => Err(self.err_to_end(missing, start)),
            Err(e) => Err(e),
        }
    }

    fn pattern_err(&self, e: PatternError, start: usize) -> ShellError {
        self.err(
            K::InvalidPattern {
                pattern: e.pattern,
                reason: e.reason,
            },
            start,
        )
    }

    /// The scanner's static check of a literal `#`/`%` pattern.
    fn check_pattern(
        &self,
        pat: &str,
        suffix: bool,
        greedy: bool,
        start: usize,
    ) -> Result<(), ShellError> {
        let pat = if suffix {
            pattern::reverse_pattern(pat)
        } else {
            pat.to_owned()
        };
        match pattern::glob_to_regex(&pat, greedy, true) {
            Ok(_) => Ok(()),
            Err(reason) => Err(self.pattern_err(
                PatternError {
                    pattern: pat,
                    reason,
                },
                start,
            )),
        }
    }

    /// Records the operator of a `${name<op>…}` reference, `op_start` being where it begins.
    fn note_modifier(
        &mut self,
        ref_idx: Option<usize>,
        colon: bool,
        op: Option<char>,
        op_start: usize,
    ) {
        if ref_idx.is_none() {
            return;
        }
        let mut end = self.pos;
        let kind = match (colon, op) {
            (_, Some('-')) => ModifierKind::UseDefault { colon },
            (_, Some('+')) => ModifierKind::UseAlternative { colon },
            (_, Some('?')) => ModifierKind::Required { colon },
            (_, Some('=')) => ModifierKind::AssignDefault { colon },
            (false, Some(p @ ('#' | '%'))) => {
                // `##` / `%%`: the second operator character is the first of the word.
                let longest = self.peek() == Some(p);
                if longest {
                    end += 1;
                }
                if p == '#' {
                    ModifierKind::RemovePrefix { longest }
                } else {
                    ModifierKind::RemoveSuffix { longest }
                }
            }
            (_, None) => return,
            _ => ModifierKind::Other,
        };
        if let Some(r) = self.ref_mut(ref_idx) {
            r.modifier = Some(Modifier {
                kind,
                range: op_start..end,
            });
        }
    }
}

/// POSIX special parameters (`$@ $* $# $? $- $$ $! $0`).
pub(super) fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}
