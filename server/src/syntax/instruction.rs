//! The typed view of one instruction. Ranges are relative to the start of the instruction's
//! first physical line, so an instruction's data stays valid when text before it moves
//! (see [`super::Entry`] for the absolute position).

use std::ops::Range;

use rowan::{TextRange, TextSize};
use smol_str::SmolStr;

use super::command::ErrorCode;

/// The 18 Dockerfile instructions, and everything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Case-insensitive, as BuildKit matches keywords.
    pub fn parse(word: &str) -> Keyword {
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    /// The canonical upper-case spelling (empty for unknown words).
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "",
        }
    }
}

/// A parse error. Inside an [`Instruction`] its range is relative to the instruction;
/// in [`super::Parse::errors`] it is absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub code: ErrorCode,
    pub message: String,
    pub range: TextRange,
}

/// One `--name[=value]` word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// The word after quote and escape removal, as BuildKit stores it (`--from=build`).
    pub text: SmolStr,
    /// The raw word.
    pub range: TextRange,
    /// The name without `--`.
    pub name: SmolStr,
    pub name_range: TextRange,
    /// `None` for a bare `--flag`.
    pub value: Option<SmolStr>,
    pub value_range: Option<TextRange>,
}

/// One node of BuildKit's argument chain: a word, a JSON string, the shell command text,
/// or one part of an ENV/LABEL `key value sep` triplet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgNode {
    pub value: SmolStr,
    /// The source text the node came from (a JSON string literal includes its quotes).
    /// `None` for synthetic nodes such as the ENV/LABEL separator.
    pub range: Option<TextRange>,
    /// The same span in the instruction's logical line.
    pub logical: Option<TextRange>,
}

/// Keyword, flags and arguments of an instruction (or of an ONBUILD trigger).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The keyword as written.
    pub keyword: SmolStr,
    pub keyword_range: TextRange,
    pub kind: Keyword,
    pub flags: Vec<Flag>,
    /// The argument text after the flags, trimmed, in the source and in the logical line.
    pub args_range: TextRange,
    pub args_logical: TextRange,
    pub nodes: Vec<ArgNode>,
    /// The arguments were a JSON array (exec form).
    pub json: bool,
    /// The instruction an ONBUILD wraps.
    pub trigger: Option<Box<Command>>,
}

impl Command {
    /// The command that does the work: the ONBUILD trigger, or itself.
    pub fn effective(&self) -> &Command {
        match (&self.kind, &self.trigger) {
            (Keyword::Onbuild, Some(trigger)) => trigger,
            _ => self,
        }
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word, quotes removed.
    pub name: SmolStr,
    /// The `<<EOF` word in the instruction line.
    pub range: TextRange,
    /// The file descriptor before `<<` (0 when none is written).
    pub fd: u32,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// False when any part of the delimiter was quoted: the body is not expanded.
    pub expand: bool,
    /// The body as BuildKit stores it: the raw lines, line breaks included.
    pub content: String,
    /// The body lines in the source (may be empty).
    pub body: TextRange,
    /// The terminator line, if the heredoc is terminated.
    pub terminator: Option<TextRange>,
}

/// One piece of the logical line: `len` bytes taken from the source at `source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub logical: u32,
    pub source: u32,
    pub len: u32,
}

/// The instruction text as BuildKit sees it: continuation lines joined, comment and blank
/// lines inside the continuation dropped, with a map back to the source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogicalLine {
    pub text: String,
    /// Non-empty segments in order.
    pub segments: Vec<Segment>,
}

impl LogicalLine {
    /// The source offset of the character at logical offset `offset` (for range starts).
    pub fn source_start(&self, offset: usize) -> TextSize {
        let offset = offset as u32;
        let i = self
            .segments
            .partition_point(|s| s.logical + s.len <= offset);
        match self.segments.get(i) {
            Some(s) if s.logical <= offset => TextSize::from(s.source + offset - s.logical),
            Some(s) => TextSize::from(s.source),
            None => self.end(),
        }
    }

    /// The source offset just after the character before logical offset `offset`
    /// (for range ends: a range ending at a line's end does not take in the continuation).
    pub fn source_end(&self, offset: usize) -> TextSize {
        let offset = offset as u32;
        let i = self
            .segments
            .partition_point(|s| s.logical + s.len < offset);
        match self.segments.get(i) {
            Some(s) if s.logical < offset => TextSize::from(s.source + offset - s.logical),
            Some(s) => TextSize::from(s.source),
            None => self.end(),
        }
    }

    /// A logical range as a source range.
    pub fn source_range(&self, range: Range<usize>) -> TextRange {
        if range.is_empty() {
            let at = self.source_start(range.start);
            return TextRange::empty(at);
        }
        TextRange::new(self.source_start(range.start), self.source_end(range.end))
    }

    /// The logical offset of a source offset, if it lies on the logical line.
    pub fn logical_offset(&self, source: TextSize) -> Option<usize> {
        let source = u32::from(source);
        self.segments
            .iter()
            .find(|s| s.source <= source && source <= s.source + s.len)
            .map(|s| (s.logical + source - s.source) as usize)
    }

    fn end(&self) -> TextSize {
        self.segments
            .last()
            .map_or(TextSize::from(0), |s| TextSize::from(s.source + s.len))
    }
}

/// One instruction: its first physical line through its last (continuations, comment lines
/// inside them, heredoc bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub command: Command,
    pub heredocs: Vec<Heredoc>,
    pub logical: LogicalLine,
    /// The comment lines right above, as BuildKit collects them (`PrevComment`).
    pub comments: Vec<String>,
    /// Blank lines inside the continuation (NoEmptyContinuation).
    pub empty_continuation_lines: Vec<TextRange>,
    /// Comment lines inside the continuation.
    pub continuation_comments: Vec<TextRange>,
    pub errors: Vec<SyntaxError>,
    /// Length of the text up to the end of the last line, without its line break.
    pub len: TextSize,
    /// Length including the final line break.
    pub full_len: TextSize,
    /// How many physical lines the instruction spans (at least 1).
    pub line_count: u32,
}

impl Instruction {
    pub fn keyword(&self) -> Keyword {
        self.command.kind
    }

    pub fn range(&self) -> TextRange {
        TextRange::up_to(self.len)
    }
}
