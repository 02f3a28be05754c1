//! Variable references for editor features (highlighting, hover, go-to-definition, rename,
//! undefined-variable checks), in builder text or in text that `/bin/sh` will run.

use std::ops::Range;

use super::MAX_DEPTH;
use super::error::{ShellError, ShellErrorKind as K};
use super::lexer::Lexer;

/// How to read the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefMode {
    /// Text the builder expands (ENV, LABEL, COPY, FROM, … arguments): BuildKit's rules exactly.
    Builder,
    /// Text run by a POSIX shell (shell-form RUN/CMD/ENTRYPOINT, RUN heredoc bodies): `'…'` and
    /// `\$` suppress, `"…"` does not, `$(…)`, backquotes and `$((…))` are looked into, comments
    /// are skipped. The `escape` argument does not apply: the shell's escape is always `\`.
    Shell,
}

/// One `$NAME` or `${NAME…}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The whole reference, from `$` to after the closing `}` (or to where scanning stopped, when
    /// the reference is broken).
    pub range: Range<usize>,
    /// Just the name.
    pub name_range: Range<usize>,
    /// `${…}` rather than `$…`.
    pub braced: bool,
    pub modifier: Option<Modifier>,
}

/// The operator of `${NAME<op>word}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modifier {
    pub kind: ModifierKind,
    /// The operator text (`:-`, `##`, `//`, …); for `${#NAME}` the `#`.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModifierKind {
    /// `${v:-w}` (`colon`) / `${v-w}`.
    UseDefault { colon: bool },
    /// `${v:+w}` / `${v+w}`.
    UseAlternative { colon: bool },
    /// `${v:?msg}` / `${v?msg}`.
    Required { colon: bool },
    /// `${v:=w}` / `${v=w}`: shell only, the builder rejects it.
    AssignDefault { colon: bool },
    /// `${v#p}` / `${v##p}` (`longest`).
    RemovePrefix { longest: bool },
    /// `${v%p}` / `${v%%p}`.
    RemoveSuffix { longest: bool },
    /// `${v/p/r}` / `${v//p/r}` (`all`).
    Replace { all: bool },
    /// `${#v}`: shell only.
    Length,
    /// Anything else: substrings, case changes, `${!v}`, or an operator the builder rejects
    /// (`${v:#p}`, `${v.x}`).
    Other,
}

/// A Dockerfile frontend version (`# syntax=docker/dockerfile:1.7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FrontendVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

/// Whether the Dockerfile frontend (the builder, not a shell) supports a modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontendSupport {
    /// In every frontend.
    Always,
    /// From this version on.
    Since(FrontendVersion),
    /// In none (the builder reports "unsupported modifier").
    Never,
}

impl ModifierKind {
    /// The first Dockerfile frontend that expands this modifier. From BuildKit's history: the
    /// colon-less `-`/`+` came with 1.6.0, the pattern forms with 1.7.0, and `?`/`:?` with
    /// 1.1.6 (older than any frontend an editor is likely to see pinned).
    pub fn min_frontend_version(self) -> FrontendSupport {
        let since = |major, minor, patch| {
            FrontendSupport::Since(FrontendVersion {
                major,
                minor,
                patch,
            })
        };
        match self {
            Self::UseDefault { colon: true } | Self::UseAlternative { colon: true } => {
                FrontendSupport::Always
            }
            Self::UseDefault { colon: false } | Self::UseAlternative { colon: false } => {
                since(1, 6, 0)
            }
            Self::Required { .. } => since(1, 1, 6),
            Self::RemovePrefix { .. } | Self::RemoveSuffix { .. } | Self::Replace { .. } => {
                since(1, 7, 0)
            }
            Self::AssignDefault { .. } | Self::Length | Self::Other => FrontendSupport::Never,
        }
    }
}

impl Modifier {
    /// See [`ModifierKind::min_frontend_version`].
    pub fn min_frontend_version(&self) -> FrontendSupport {
        self.kind.min_frontend_version()
    }
}

/// The references found in a text, in source order, and the problems met.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VarScan {
    pub refs: Vec<VarRef>,
    pub errors: Vec<ShellError>,
}

/// The variable references in `text`. `escape` is the Dockerfile's escape token (Builder mode
/// only). Special and positional parameters (`$1`, `$@`, `${#}`) are not reported.
///
/// In Builder mode this is [`Lexer::var_refs`] with default options. In Shell mode only what sh
/// rejects outright is an error (unclosed quotes, `${`, `$(`, `$((` or backquote, and `${}`);
/// bash-isms and PowerShell text (`${env:X}`, `$env:X`, whose `env` is not reported) are not.
pub fn var_refs(text: &str, escape: char, mode: RefMode) -> VarScan {
    match mode {
        RefMode::Builder => Lexer::new(escape).var_refs(text),
        RefMode::Shell => ShellScanner::new(text).run(),
    }
}

// ---- Shell mode ------------------------------------------------------------------------------
//
// A small recursive reader of POSIX sh syntax. sh's special characters are all ASCII, so it walks
// bytes and only ever stops on ASCII ones, which keeps every offset on a character boundary.

/// What ends a command list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Close {
    End,
    Paren,
    Backquote,
}

struct PendingHeredoc {
    delimiter: String,
    strip_tabs: bool,
    expand: bool,
}

struct ShellScanner<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    /// Where the current region ends (the text, or the body of a nested heredoc).
    limit: usize,
    refs: Vec<VarRef>,
    errors: Vec<ShellError>,
    heredocs: Vec<PendingHeredoc>,
    /// How many substitutions deep we are, and whether we gave up for going too deep.
    depth: usize,
    gave_up: bool,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_sh_special(b: u8) -> bool {
    matches!(b, b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!')
}

impl<'a> ShellScanner<'a> {
    fn new(src: &'a str) -> Self {
        Self {
            src,
            b: src.as_bytes(),
            pos: 0,
            limit: src.len(),
            refs: Vec::new(),
            errors: Vec::new(),
            heredocs: Vec::new(),
            depth: 0,
            gave_up: false,
        }
    }

    fn run(mut self) -> VarScan {
        self.command(Close::End);
        VarScan {
            refs: self.refs,
            errors: self.errors,
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        if i < self.limit {
            self.b.get(i).copied()
        } else {
            None
        }
    }

    fn cur(&self) -> Option<u8> {
        self.at(self.pos)
    }

    /// Steps over one character (of any width).
    fn skip_char(&mut self) {
        let width = self.src[self.pos..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        self.pos = (self.pos + width).min(self.limit);
    }

    /// Steps over a backslash and the character it protects.
    fn skip_escaped(&mut self) {
        self.pos += 1;
        if self.pos < self.limit {
            self.skip_char();
        }
    }

    fn error(&mut self, kind: K, start: usize) {
        // After giving up, every open construct looks unterminated; that is not news.
        if !self.gave_up {
            self.errors.push(ShellError::new(kind, start..self.limit));
        }
    }

    /// Enters one more level of substitution, or gives up on the rest of the region.
    fn enter(&mut self, start: usize) -> bool {
        if self.depth >= MAX_DEPTH {
            self.error(K::TooDeep, start);
            self.gave_up = true;
            self.pos = self.limit;
            return false;
        }
        self.depth += 1;
        true
    }

    /// A command list, up to `close` (consumed). Returns false if the region ended first.
    fn command(&mut self, close: Close) -> bool {
        let mut word_start = true;
        let mut depth = 0usize;
        while let Some(c) = self.cur() {
            match c {
                b'\n' => {
                    self.pos += 1;
                    word_start = true;
                    if !self.heredocs.is_empty() {
                        self.heredoc_bodies();
                    }
                }
                b' ' | b'\t' | b'\r' | b';' | b'&' | b'|' | b'>' => {
                    self.pos += 1;
                    word_start = true;
                }
                b'<' => {
                    if self.at(self.pos + 1) == Some(b'<') {
                        if self.at(self.pos + 2) == Some(b'<') {
                            self.pos += 3; // a here-string
                        } else {
                            self.heredoc_operator();
                        }
                    } else {
                        self.pos += 1;
                    }
                    word_start = true;
                }
                b'(' => {
                    depth += 1;
                    self.pos += 1;
                    word_start = true;
                }
                b')' => {
                    self.pos += 1;
                    word_start = true;
                    if close == Close::Paren {
                        if depth == 0 {
                            return true;
                        }
                        depth -= 1;
                    }
                }
                b'`' if close == Close::Backquote => {
                    self.pos += 1;
                    return true;
                }
                b'#' if word_start => {
                    // A comment runs to the end of the line.
                    while let Some(c) = self.cur() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => {
                    // A `\` + newline joins lines, so the next character continues this word.
                    let continuation = c == b'\\' && self.at(self.pos + 1) == Some(b'\n');
                    self.word_part(false);
                    word_start = word_start && continuation;
                }
            }
        }
        close == Close::End
    }

    /// One piece of a word in a command (`in_dq` false) or inside `${…}` within double quotes.
    fn word_part(&mut self, in_dq: bool) {
        let start = self.pos;
        match self.cur() {
            Some(b'\\') => self.skip_escaped(),
            Some(b'\'') if !in_dq => {
                self.pos += 1;
                if !self.skip_past(b'\'') {
                    self.error(K::UnterminatedSingleQuote, start);
                }
            }
            Some(b'"') => {
                self.pos += 1;
                if !self.double_quoted() {
                    self.error(K::UnterminatedDoubleQuote, start);
                }
            }
            Some(b'`') => self.backquote(),
            Some(b'$') => self.dollar(in_dq),
            Some(_) => self.skip_char(),
            None => {}
        }
    }

    /// Moves past the next `end`; false if there is none.
    fn skip_past(&mut self, end: u8) -> bool {
        match self.b[self.pos..self.limit].iter().position(|&c| c == end) {
            Some(i) => {
                self.pos += i + 1;
                true
            }
            None => {
                self.pos = self.limit;
                false
            }
        }
    }

    /// After an opening `"`: up to the closing one (consumed).
    fn double_quoted(&mut self) -> bool {
        while let Some(c) = self.cur() {
            match c {
                b'"' => {
                    self.pos += 1;
                    return true;
                }
                // In double quotes `\` protects only `$`, `` ` ``, `"`, `\` and newline.
                b'\\'
                    if matches!(
                        self.at(self.pos + 1),
                        Some(b'$' | b'`' | b'"' | b'\\' | b'\n')
                    ) =>
                {
                    self.pos += 2;
                }
                b'$' => self.dollar(true),
                b'`' => self.backquote(),
                _ => self.skip_char(),
            }
        }
        false
    }

    fn backquote(&mut self) {
        let start = self.pos;
        if !self.enter(start) {
            return;
        }
        self.pos += 1;
        if !self.command(Close::Backquote) {
            self.error(K::UnterminatedBackquote, start);
        }
        self.depth -= 1;
    }

    fn dollar(&mut self, in_dq: bool) {
        let start = self.pos;
        if !self.enter(start) {
            return;
        }
        self.dollar_inner(start, in_dq);
        self.depth -= 1;
    }

    fn dollar_inner(&mut self, start: usize, in_dq: bool) {
        match self.at(start + 1) {
            Some(b'{') => self.braced(start, in_dq),
            Some(b'(') if self.at(start + 2) == Some(b'(') => {
                self.pos += 3;
                if !self.arithmetic() {
                    self.error(K::UnterminatedArithmetic, start);
                }
            }
            Some(b'(') => {
                self.pos += 2;
                if !self.command(Close::Paren) {
                    self.error(K::UnterminatedCommandSubstitution, start);
                }
            }
            Some(b'\'') if !in_dq => {
                // bash's $'…', where `\'` does not end the string.
                self.pos += 2;
                loop {
                    match self.cur() {
                        None => {
                            self.error(K::UnterminatedSingleQuote, start);
                            break;
                        }
                        Some(b'\\') => self.skip_escaped(),
                        Some(b'\'') => {
                            self.pos += 1;
                            break;
                        }
                        Some(_) => self.skip_char(),
                    }
                }
            }
            Some(c) if is_name_start(c) => {
                self.pos += 1;
                let name_start = self.pos;
                while self.cur().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                let name_end = self.pos;
                if !self.powershell_env(name_start, name_end) {
                    self.push_ref(start, name_start..name_end, false, None);
                }
            }
            // `$1` is one digit in sh (`$10` is `${1}0`); special parameters are one character.
            Some(c) if c.is_ascii_digit() || is_sh_special(c) => self.pos += 2,
            _ => self.pos += 1,
        }
    }

    /// `env` followed by `:` and a name: PowerShell's `$env:X` / `${env:X}`, not a shell variable.
    fn powershell_env(&self, name_start: usize, name_end: usize) -> bool {
        self.src[name_start..name_end].eq_ignore_ascii_case("env")
            && self.at(name_end) == Some(b':')
            && self.at(name_end + 1).is_some_and(is_name_start)
    }

    fn push_ref(
        &mut self,
        start: usize,
        name: Range<usize>,
        braced: bool,
        modifier: Option<Modifier>,
    ) -> usize {
        self.refs.push(VarRef {
            name: self.src[name.clone()].to_owned(),
            range: start..self.pos,
            name_range: name,
            braced,
            modifier,
        });
        self.refs.len() - 1
    }

    /// `${…}`, `start` at the `$`.
    fn braced(&mut self, start: usize, in_dq: bool) {
        self.pos = start + 2;
        if self.cur() == Some(b'}') {
            self.pos += 1;
            self.errors
                .push(ShellError::new(K::BadSubstitution, start..self.pos));
            return;
        }
        // Prefix operators: `${#v}` (length) and bash's `${!v}` (indirection).
        let mut prefix = None;
        if let Some(p @ (b'#' | b'!')) = self.cur() {
            let next = self.at(self.pos + 1);
            if next.is_some_and(is_name_start) {
                let kind = if p == b'#' {
                    ModifierKind::Length
                } else {
                    ModifierKind::Other
                };
                prefix = Some(Modifier {
                    kind,
                    range: self.pos..self.pos + 1,
                });
                self.pos += 1;
            }
        }
        let name_start = self.pos;
        let mut ref_idx = None;
        match self.cur() {
            Some(c) if is_name_start(c) => {
                while self.cur().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                if !self.powershell_env(name_start, self.pos) {
                    ref_idx = Some(self.push_ref(start, name_start..self.pos, true, prefix));
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while self.cur().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            Some(c) if is_sh_special(c) => self.pos += 1,
            _ => {}
        }
        // bash arrays: `${a[$i]}`.
        if self.cur() == Some(b'[') {
            while let Some(c) = self.cur() {
                match c {
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    b'}' => break,
                    _ => self.word_part(true),
                }
            }
        }
        if let Some(op) = self.operator() {
            if let Some(r) = ref_idx.and_then(|i| self.refs.get_mut(i)) {
                if r.modifier.is_none() {
                    r.modifier = Some(op);
                }
            }
        }
        // The word, up to the closing brace.
        let closed = loop {
            match self.cur() {
                None => break false,
                Some(b'}') => {
                    self.pos += 1;
                    break true;
                }
                Some(_) => self.word_part(in_dq),
            }
        };
        if !closed {
            self.error(K::MissingBrace, start);
        }
        let end = self.pos;
        if let Some(r) = ref_idx.and_then(|i| self.refs.get_mut(i)) {
            r.range.end = end;
        }
    }

    /// The operator after the name in `${name…}`, if one is there.
    fn operator(&mut self) -> Option<Modifier> {
        let start = self.pos;
        let c = self.cur()?;
        let next = self.at(start + 1);
        let (kind, len) = match (c, next) {
            (b':', Some(b'-')) => (ModifierKind::UseDefault { colon: true }, 2),
            (b':', Some(b'+')) => (ModifierKind::UseAlternative { colon: true }, 2),
            (b':', Some(b'?')) => (ModifierKind::Required { colon: true }, 2),
            (b':', Some(b'=')) => (ModifierKind::AssignDefault { colon: true }, 2),
            (b'-', _) => (ModifierKind::UseDefault { colon: false }, 1),
            (b'+', _) => (ModifierKind::UseAlternative { colon: false }, 1),
            (b'?', _) => (ModifierKind::Required { colon: false }, 1),
            (b'=', _) => (ModifierKind::AssignDefault { colon: false }, 1),
            (b'#', Some(b'#')) => (ModifierKind::RemovePrefix { longest: true }, 2),
            (b'#', _) => (ModifierKind::RemovePrefix { longest: false }, 1),
            (b'%', Some(b'%')) => (ModifierKind::RemoveSuffix { longest: true }, 2),
            (b'%', _) => (ModifierKind::RemoveSuffix { longest: false }, 1),
            (b'/', Some(b'/')) => (ModifierKind::Replace { all: true }, 2),
            (b'/', Some(b'#' | b'%')) | (b'^', Some(b'^')) | (b',', Some(b',')) => {
                (ModifierKind::Other, 2)
            }
            (b'/', _) => (ModifierKind::Replace { all: false }, 1),
            (b':' | b'^' | b',' | b'@', _) => (ModifierKind::Other, 1),
            _ => return None,
        };
        self.pos += len;
        Some(Modifier {
            kind,
            range: start..self.pos,
        })
    }

    /// After `$((`: up to the matching `))` (consumed).
    fn arithmetic(&mut self) -> bool {
        let mut depth = 0usize;
        while let Some(c) = self.cur() {
            match c {
                b'(' => {
                    depth += 1;
                    self.pos += 1;
                }
                b')' if depth > 0 => {
                    depth -= 1;
                    self.pos += 1;
                }
                b')' => {
                    self.pos += 1;
                    if self.cur() == Some(b')') {
                        self.pos += 1;
                    }
                    return true;
                }
                _ => self.word_part(true),
            }
        }
        false
    }

    /// After `<<` or `<<-` in a command: reads the delimiter word and queues its body, which
    /// starts on the next line.
    fn heredoc_operator(&mut self) {
        self.pos += 2;
        let strip_tabs = self.cur() == Some(b'-');
        if strip_tabs {
            self.pos += 1;
        }
        while let Some(b' ' | b'\t') = self.cur() {
            self.pos += 1;
        }
        let mut delimiter = String::new();
        let mut quoted = false;
        while let Some(c) = self.cur() {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                    break;
                }
                b'\'' | b'"' => {
                    quoted = true;
                    let open = self.pos + 1;
                    self.pos += 1;
                    self.skip_past(c);
                    let close = if self.pos > open && self.b.get(self.pos - 1) == Some(&c) {
                        self.pos - 1
                    } else {
                        self.pos
                    };
                    delimiter.push_str(&self.src[open..close]);
                }
                b'\\' => {
                    quoted = true;
                    let from = self.pos + 1;
                    self.skip_escaped();
                    delimiter.push_str(&self.src[from.min(self.pos)..self.pos]);
                }
                _ => {
                    let from = self.pos;
                    self.skip_char();
                    delimiter.push_str(&self.src[from..self.pos]);
                }
            }
        }
        if !delimiter.is_empty() {
            self.heredocs.push(PendingHeredoc {
                delimiter,
                strip_tabs,
                expand: !quoted,
            });
        }
    }

    /// At the start of a line after `<<WORD`: the bodies of the queued heredocs. An unquoted
    /// delimiter means the body expands like double-quoted text (without the quotes).
    fn heredoc_bodies(&mut self) {
        for doc in std::mem::take(&mut self.heredocs) {
            let body_start = self.pos;
            let mut body_end = self.limit;
            let mut next = self.limit;
            let mut line_start = self.pos;
            while line_start < self.limit {
                let line_end = self.b[line_start..self.limit]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(self.limit, |i| line_start + i);
                let mut line = &self.src[line_start..line_end];
                if doc.strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                if line.strip_suffix('\r').unwrap_or(line) == doc.delimiter {
                    body_end = line_start;
                    next = (line_end + 1).min(self.limit);
                    break;
                }
                line_start = line_end + 1;
            }
            // sh only warns about a body that runs to the end, so that is no error.
            if doc.expand {
                let saved = self.limit;
                self.limit = body_end;
                self.pos = body_start;
                self.heredoc_text();
                self.limit = saved;
            }
            self.pos = next;
        }
    }

    fn heredoc_text(&mut self) {
        while let Some(c) = self.cur() {
            match c {
                b'\\' if matches!(self.at(self.pos + 1), Some(b'$' | b'`' | b'\\' | b'\n')) => {
                    self.pos += 2;
                }
                b'$' => self.dollar(true),
                b'`' => self.backquote(),
                _ => self.skip_char(),
            }
        }
    }
}
