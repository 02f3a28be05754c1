//! Shell-word processing and variable expansion, as BuildKit's `frontend/dockerfile/shell` does it,
//! and a scanner of variable references for editor features.
//!
//! [`Lexer`] mirrors `shell.Lex`: quote removal, the escape token, `$name` / `${name…}` expansion
//! with BuildKit's modifiers, and word splitting, with its quirks (see the tests for each). Some
//! that are easy to miss:
//!
//! - `${name` with no `}` reports `unsupported modifier (\u{FFFD})`, not a missing brace;
//! - `ProcessWords` forgets the text before a `${v:-w}`-style expansion in the same word
//!   (`a${v:-b}` splits to `["b"]`), because BuildKit shares one word buffer across nesting;
//! - `${v//p/r}` with Go template expansion in `r` (`$0` is the match), but `${v/p/r}` literal;
//! - a byte-order mark at the very start of the input (or of a pattern) is skipped;
//! - names use Go's Unicode letter and digit classes (Unicode 15.1), not Rust's.
//!
//! [`var_refs`] finds `$X` / `${X…}` references with byte ranges, either by BuildKit's rules or
//! by POSIX sh rules (for RUN commands and heredoc bodies).

mod env;
mod error;
mod gochar;
mod lexer;
mod pattern;
mod refs;
mod tables;
#[cfg(test)]
mod tests;

pub use env::Env;
pub use error::{ShellError, ShellErrorKind};
pub use gochar::go_quote;
pub use lexer::{Lexer, Processed};
pub use refs::{
    FrontendSupport, FrontendVersion, Modifier, ModifierKind, RefMode, VarRef, VarScan, var_refs,
};

/// How many substitutions deep we follow before giving up with [`ShellErrorKind::TooDeep`].
const MAX_DEPTH: usize = 200;
