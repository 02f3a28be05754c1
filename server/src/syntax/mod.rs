//! Text → lossless tree, exactly as BuildKit's `frontend/dockerfile/parser` reads it.
//!
//! [`parse`] never fails. It returns a [`Parse`]: a rowan tree that holds every character of
//! the input, the parser directives, one typed [`Instruction`] per instruction, and the
//! errors BuildKit's parser would raise, each with a byte range.

mod command;
pub mod dump;
mod go;
mod heredoc;
mod incremental;
mod instruction;
mod json;
mod kinds;
mod lines;
mod parser;
pub(crate) use parser::split_directive;
pub mod shell;
mod tree;

use std::sync::{Arc, OnceLock};

pub use command::ErrorCode;
pub use incremental::TextEdit;
pub use instruction::{
    ArgNode, Command, Flag, Heredoc, Instruction, Keyword, LogicalLine, Segment, SyntaxError,
};
pub use kinds::{DockerfileLanguage, SyntaxKind, SyntaxNode, SyntaxToken};
pub use rowan::{TextRange, TextSize};

/// A parser directive at the top of the file (`# syntax=…`, `# escape=…`, `# check=…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lower-cased name.
    pub name: String,
    pub value: String,
    /// The directive line's text (without leading blanks and line break).
    pub range: TextRange,
    pub name_range: TextRange,
    pub value_range: TextRange,
    /// 0-based line.
    pub line: u32,
}

/// One instruction and where it sits in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Absolute offset of the start of the instruction's first line.
    pub offset: TextSize,
    /// 0-based line number of the first line.
    pub line: u32,
    pub inst: &'a Instruction,
}

/// How a [`Parse`] keeps an instruction: position-independent data behind an `Arc`, so an
/// edit elsewhere in the file can reuse it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredEntry {
    pub offset: TextSize,
    pub line: u32,
    pub inst: Arc<Instruction>,
}

impl StoredEntry {
    fn view(&self) -> Entry<'_> {
        Entry {
            offset: self.offset,
            line: self.line,
            inst: &self.inst,
        }
    }
}

impl Entry<'_> {
    /// An instruction-relative range as an absolute one.
    pub fn abs(&self, range: TextRange) -> TextRange {
        range + self.offset
    }

    /// The absolute range of the instruction, from its keyword to the end of its last line.
    pub fn range(&self) -> TextRange {
        TextRange::new(self.inst.command.keyword_range.start(), self.inst.len) + self.offset
    }

    /// 0-based line of the instruction's last physical line.
    pub fn last_line(&self) -> u32 {
        self.line + self.inst.line_count - 1
    }
}

/// The result of parsing one Dockerfile.
#[derive(Debug, Clone)]
pub struct Parse {
    text: Arc<str>,
    /// The lossless tree, built the first time someone asks for it.
    green: OnceLock<rowan::GreenNode>,
    entries: Vec<StoredEntry>,
    directives: Vec<Directive>,
    errors: Vec<SyntaxError>,
    /// How many instructions have errors of their own: [`Parse::errors`] looks at every
    /// instruction only when some do (it runs on every keystroke).
    entries_with_errors: usize,
    escape: u8,
    line_count: u32,
    /// The end of the line that ended the directive block: an edit before it can change how
    /// the whole file is read, so it is re-parsed from scratch.
    directive_scan_end: TextSize,
    id: u64,
    base: Option<u64>,
}

/// How many of `entries` have errors of their own.
pub(crate) fn count_with_errors(entries: &[StoredEntry]) -> usize {
    entries.iter().filter(|e| !e.inst.errors.is_empty()).count()
}

/// Gives every parse its [`Parse::id`].
pub(crate) fn next_parse_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Parse {
    /// The text that was parsed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text, shared (no copy).
    pub fn shared_text(&self) -> Arc<str> {
        Arc::clone(&self.text)
    }

    /// The lossless tree: `syntax().to_string() == text()`.
    pub fn syntax(&self) -> SyntaxNode {
        let green = self
            .green
            .get_or_init(|| tree::build(&self.text, &self.entries, &self.directives, self.escape));
        SyntaxNode::new_root(green.clone())
    }

    /// Every instruction, in source order.
    pub fn entries(
        &self,
    ) -> impl DoubleEndedIterator<Item = Entry<'_>> + ExactSizeIterator + Clone {
        self.entries.iter().map(StoredEntry::view)
    }

    /// The `index`-th instruction.
    pub fn entry(&self, index: usize) -> Option<Entry<'_>> {
        self.entries.get(index).map(StoredEntry::view)
    }

    /// The `index`-th instruction, shared: an incremental re-parse reuses the same `Arc` for
    /// every instruction an edit did not touch, so `Arc::ptr_eq` tells unchanged ones.
    pub fn instruction(&self, index: usize) -> Option<&Arc<Instruction>> {
        self.entries.get(index).map(|e| &e.inst)
    }

    /// A number no other parse in this process has.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The [`id`](Self::id) of the parse this one was re-parsed from. While that parse was
    /// alive, this one's instructions were made, so an instruction here has the address of
    /// one there only if it is the same instruction: caches keyed by that parse's
    /// instruction addresses are safe to consult for this one.
    pub fn base_id(&self) -> Option<u64> {
        self.base
    }

    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    pub fn directives(&self) -> &[Directive] {
        &self.directives
    }

    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The escape character in effect (`\` or a backtick).
    pub fn escape(&self) -> char {
        self.escape as char
    }

    /// Number of physical lines.
    pub fn line_count(&self) -> u32 {
        self.line_count
    }

    /// File-level errors (directives, long lines, no instructions), absolute ranges.
    pub fn file_errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// Every parse error with an absolute range, in source order.
    pub fn errors(&self) -> Vec<SyntaxError> {
        let mut all = self.errors.clone();
        if self.entries_with_errors == 0 {
            return all;
        }
        for entry in self.entries() {
            all.extend(entry.inst.errors.iter().map(|e| SyntaxError {
                range: entry.abs(e.range),
                ..e.clone()
            }));
        }
        all.sort_by_key(|e| e.range.start());
        all
    }

    /// The first error BuildKit's parser would stop at, if any.
    pub fn first_error(&self) -> Option<SyntaxError> {
        let mut errors = self.errors();
        // "file with no instructions" is only reported when nothing else went wrong first.
        errors.sort_by_key(|e| (e.code == ErrorCode::NoInstructions, e.range.start()));
        errors.into_iter().next()
    }

    /// The index of the instruction whose lines contain `offset` (its last line's end
    /// included).
    pub fn entry_at(&self, offset: TextSize) -> Option<usize> {
        let i = self.entries.partition_point(|e| e.offset <= offset);
        let i = i.checked_sub(1)?;
        let e = &self.entries[i];
        (offset <= e.offset + e.inst.len).then_some(i)
    }
}

/// Parses a Dockerfile.
pub fn parse(text: &str) -> Parse {
    parser::parse_text(text)
}

/// Parses file bytes: invalid UTF-8 is decoded lossily and reported as an error at the first
/// invalid byte; the parse is of the decoded text.
pub fn parse_bytes(bytes: &[u8]) -> Parse {
    let (text, invalid) = decode(bytes);
    let mut parse = parse(&text);
    if let Some(at) = invalid {
        let end = text[usize::from(at)..]
            .chars()
            .next()
            .map_or(0, char::len_utf8);
        parse.errors.push(SyntaxError {
            code: ErrorCode::InvalidUtf8,
            message: "the file is not valid UTF-8; invalid bytes are shown as U+FFFD".to_string(),
            range: TextRange::at(at, TextSize::from(end as u32)),
        });
        parse.errors.sort_by_key(|e| e.range.start());
    }
    parse
}

/// Decodes file bytes for the parser: invalid UTF-8 is replaced (U+FFFD), and the offset of
/// the first invalid byte *in the decoded text* is returned so it can be reported.
pub fn decode(bytes: &[u8]) -> (String, Option<TextSize>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), None),
        Err(e) => {
            let valid = e.valid_up_to();
            (
                String::from_utf8_lossy(bytes).into_owned(),
                Some(TextSize::from(valid as u32)),
            )
        }
    }
}
