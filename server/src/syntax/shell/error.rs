//! Errors of word processing and of the reference scanner.

use std::fmt;
use std::ops::Range;

use super::gochar::go_quote;

/// What went wrong. `Display` gives BuildKit's own wording for the kinds BuildKit has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShellErrorKind {
    /// `'…` without its closing quote.
    UnterminatedSingleQuote,
    /// `"…` without its closing quote.
    UnterminatedDoubleQuote,
    /// A nested word ran into the end of the input before `expected`. BuildKit turns this into
    /// [`MissingBrace`](Self::MissingBrace) or [`MissingSlash`](Self::MissingSlash) before it
    /// reaches the user, so it only shows up if that changes.
    UnexpectedEnd { expected: char },
    /// `${` … with no closing `}`.
    MissingBrace,
    /// `${v/pattern` with no `/` before the end of the input.
    MissingSlash,
    /// `${}`, `${:…`, `${{…`.
    BadSubstitution,
    /// `${v<op>…}` with an operator BuildKit lacks; the text is what BuildKit prints (`:=`, `:#`, `.`).
    UnsupportedModifier(String),
    /// `${v?msg}` / `${v:?msg}` on an unset (or empty) variable.
    Required { name: String, message: String },
    /// A `#`, `%` or `/` pattern BuildKit cannot turn into a regular expression (e.g. `\x`).
    InvalidPattern { pattern: String, reason: String },
    /// Shell mode: `$(` without its `)`.
    UnterminatedCommandSubstitution,
    /// Shell mode: `` ` `` without its closing backquote.
    UnterminatedBackquote,
    /// Shell mode: `$((` without its `))`.
    UnterminatedArithmetic,
    /// Substitutions nested deeper than we follow (hundreds of levels; real files use a few).
    /// BuildKit has no such limit; ours keeps the stack bounded.
    TooDeep,
}

/// An error together with the byte range of `source` it is about (for `${…}` problems, from the
/// `$` up to where the problem was found; for unterminated constructs, up to the end of the input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellError {
    pub kind: ShellErrorKind,
    pub range: Range<usize>,
}

impl ShellError {
    pub(super) fn new(kind: ShellErrorKind, range: Range<usize>) -> Self {
        Self { kind, range }
    }

    /// The message exactly as BuildKit reports it for `source` (the word that was processed):
    /// `failed to process "<source>": <message>`.
    pub fn buildkit_message(&self, source: &str) -> String {
        format!("failed to process {}: {self}", go_quote(source))
    }
}

impl fmt::Display for ShellErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const END: &str = "unexpected end of statement while looking for matching";
        match self {
            Self::UnterminatedSingleQuote => write!(f, "{END} single-quote"),
            Self::UnterminatedDoubleQuote => write!(f, "{END} double-quote"),
            Self::UnexpectedEnd { expected } => write!(f, "{END} {expected}"),
            Self::MissingBrace => f.write_str("syntax error: missing '}'"),
            Self::MissingSlash => f.write_str("syntax error: missing '/' in ${}"),
            Self::BadSubstitution => f.write_str("syntax error: bad substitution"),
            Self::UnsupportedModifier(m) => write!(f, "unsupported modifier ({m}) in substitution"),
            Self::Required { name, message } => write!(f, "{name}: {message}"),
            Self::InvalidPattern { pattern, reason } => {
                write!(f, "invalid pattern ({pattern}) in substitution: {reason}")
            }
            Self::UnterminatedCommandSubstitution => write!(f, "{END} )"),
            Self::UnterminatedBackquote => write!(f, "{END} backquote"),
            Self::UnterminatedArithmetic => write!(f, "{END} ))"),
            Self::TooDeep => f.write_str("substitutions nested too deeply"),
        }
    }
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for ShellError {}
