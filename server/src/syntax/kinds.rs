//! Node and token kinds of the lossless tree.

/// Every kind of token and node in the tree. Tokens hold text; nodes group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
pub enum SyntaxKind {
    // Tokens.
    /// Spaces, tabs and other non-newline blanks.
    Whitespace = 0,
    /// A line terminator: `\n`, with any `\r` before it.
    Newline,
    /// The UTF-8 byte-order mark at the start of the file.
    Bom,
    /// A whole comment line's text from `#` to the end of the line.
    Comment,
    /// The text of a parser directive line (`# key=value`).
    DirectiveText,
    /// The instruction keyword (`FROM`, `run`, or an unknown word).
    Keyword,
    /// Any other text of an instruction.
    Text,
    /// The escape character that continues a line, with the blanks after it.
    Continuation,
    /// The body of a heredoc, verbatim, newlines included.
    HeredocBody,
    /// The line that ends a heredoc.
    HeredocEnd,

    // Nodes.
    Root,
    Directive,
    Instruction,
    /// One `--name[=value]` word.
    Flag,
    /// One argument, as BuildKit's parser splits it (a word, a JSON string, the shell command).
    Argument,
    Heredoc,
}

impl SyntaxKind {
    const LAST: u16 = SyntaxKind::Heredoc as u16;

    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            SyntaxKind::Whitespace
                | SyntaxKind::Newline
                | SyntaxKind::Comment
                | SyntaxKind::Continuation
        )
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

/// The rowan language tag of Dockerfiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DockerfileLanguage {}

impl rowan::Language for DockerfileLanguage {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        // Only our own builder creates raw kinds, so anything else is a bug; map it to Text
        // rather than panic on a hot path.
        if raw.0 > SyntaxKind::LAST {
            return SyntaxKind::Text;
        }
        ALL_KINDS[raw.0 as usize]
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

const ALL_KINDS: [SyntaxKind; SyntaxKind::LAST as usize + 1] = [
    SyntaxKind::Whitespace,
    SyntaxKind::Newline,
    SyntaxKind::Bom,
    SyntaxKind::Comment,
    SyntaxKind::DirectiveText,
    SyntaxKind::Keyword,
    SyntaxKind::Text,
    SyntaxKind::Continuation,
    SyntaxKind::HeredocBody,
    SyntaxKind::HeredocEnd,
    SyntaxKind::Root,
    SyntaxKind::Directive,
    SyntaxKind::Instruction,
    SyntaxKind::Flag,
    SyntaxKind::Argument,
    SyntaxKind::Heredoc,
];

pub type SyntaxNode = rowan::SyntaxNode<DockerfileLanguage>;
pub type SyntaxToken = rowan::SyntaxToken<DockerfileLanguage>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_kinds_round_trip() {
        for (i, kind) in ALL_KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, i);
            let raw: rowan::SyntaxKind = (*kind).into();
            assert_eq!(
                <DockerfileLanguage as rowan::Language>::kind_from_raw(raw),
                *kind
            );
        }
    }
}
