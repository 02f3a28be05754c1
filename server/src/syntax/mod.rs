//! Text → lossless tree, exactly as BuildKit's `frontend/dockerfile/parser` reads it.
//!
//! [`parse`] never fails. It returns a [`Parse`]: a rowan tree that holds every character of
//! the input, the parser directives, one typed [`Instruction`] per instruction, and the
//! errors BuildKit's parser would raise, each with a byte range.

mod command;
pub mod dump;
mod go;
mod heredoc;
mod instruction;
mod json;
mod kinds;
mod parser;
pub mod shell;

use std::sync::Arc;

pub use command::ErrorCode;
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Absolute offset of the start of the instruction's first line.
    pub offset: TextSize,
    /// 0-based line number of the first line.
    pub line: u32,
    pub inst: Arc<Instruction>,
}

impl Entry {
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
    green: rowan::GreenNode,
    entries: Vec<Entry>,
    directives: Vec<Directive>,
    errors: Vec<SyntaxError>,
    escape: u8,
    line_count: u32,
}

impl Parse {
    /// The lossless tree.
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// Every instruction, in source order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
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
        for entry in &self.entries {
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

    /// The index of the instruction whose lines contain `offset`.
    pub fn entry_at(&self, offset: TextSize) -> Option<usize> {
        let i = self.entries.partition_point(|e| e.offset <= offset);
        let i = i.checked_sub(1)?;
        let e = &self.entries[i];
        (offset <= e.offset + e.inst.full_len).then_some(i)
    }
}

/// Parses a Dockerfile.
pub fn parse(text: &str) -> Parse {
    parser::parse_text(text)
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
