//! The line loop of BuildKit's `parser.Parse`: directives, comments, continuations and
//! heredocs, turned into a lossless tree plus typed instructions. It never fails: what
//! BuildKit would reject becomes an error value next to the tree.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use rowan::{GreenNodeBuilder, TextRange, TextSize};

use super::command::{ErrorCode, RawCommand, parse_command};
use super::heredoc::{HeredocSpec, heredocs_from_line};
use super::instruction::{
    ArgNode, Command, Flag, Heredoc, Instruction, Keyword, LogicalLine, Segment, SyntaxError,
};
use super::kinds::SyntaxKind as K;
use super::{Directive, Entry, Parse, go};

/// BuildKit reads lines with `bufio.Scanner`, whose longest token is 64 KiB.
const MAX_LINE: usize = 65_535;

/// One physical line: `[start, content_end)` is its text without trailing `\r`/`\n`,
/// `[content_end, end)` the line break.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let end = match self.bytes[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start + i + 1,
            None => self.bytes.len(),
        };
        let mut content_end = end;
        while content_end > start && matches!(self.bytes[content_end - 1], b'\n' | b'\r') {
            content_end -= 1;
        }
        self.pos = end;
        Some(Line {
            start,
            content_end,
            end,
        })
    }
}

/// What one physical line of an instruction is, for building the tree.
#[derive(Debug, Clone, Copy)]
enum Part {
    Whitespace(usize, usize),
    /// Text that is part of the logical line.
    Content(usize, usize),
    /// The escape character and the blanks after it.
    Continuation(usize, usize),
    Comment(usize, usize),
    Newline(usize, usize),
    Heredoc {
        body: (usize, usize),
        terminator: Option<(usize, usize)>,
        newline: Option<(usize, usize)>,
    },
}

/// The offset after leading whitespace (Go's `unicode.IsSpace`).
fn skip_space(text: &str, from: usize, to: usize) -> usize {
    let s = &text[from..to];
    to - s.trim_start_matches(go::is_space).len()
}

fn is_comment(text: &str, line: Line) -> bool {
    let ws = skip_space(text, line.start, line.end);
    text.as_bytes().get(ws) == Some(&b'#') && ws < line.end
}

/// BuildKit's line-continuation test. Returns the length of the text that stays (everything
/// before the escape character) when the line continues.
fn continuation(token: &[u8], escape: u8) -> Option<usize> {
    let last = token.iter().rposition(|&b| b != b' ' && b != b'\t')?;
    if token[last] != escape {
        return None;
    }
    if last > 0 && token[last - 1] == escape {
        return None; // `\\` at the end is an escaped escape, not a continuation
    }
    Some(last)
}

/// Parser-directive recognition, BuildKit's `DirectiveParser.ParseLine`.
struct Directives {
    done: bool,
    seen: HashSet<String>,
}

enum DirectiveLine {
    Not,
    Valid(Directive),
    Invalid(Directive, ErrorCode, String),
}

impl Directives {
    fn check(&mut self, text: &str, token: Range<usize>, line_no: u32) -> DirectiveLine {
        if self.done {
            return DirectiveLine::Not;
        }
        let t = &text[token.clone()];
        let Some(after_hash) = t.strip_prefix('#') else {
            self.done = true;
            return DirectiveLine::Not;
        };
        let body_start = token.start
            + 1
            + (after_hash.len() - after_hash.trim_start_matches(go::is_space).len());
        let body = &text[body_start..token.end];
        // ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ with Go's ASCII \s.
        let is_re_space = |c: char| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ');
        let name_len = body
            .char_indices()
            .take_while(|&(i, c)| {
                if i == 0 {
                    c.is_ascii_alphabetic()
                } else {
                    c.is_ascii_alphanumeric()
                }
            })
            .count();
        let after_name = &body[name_len..];
        let after_space = after_name.trim_start_matches(is_re_space);
        let value_part = after_space
            .strip_prefix('=')
            .map(|v| v.trim_start_matches(is_re_space));
        let value = value_part.map(|v| v.trim_end_matches(is_re_space));
        let (Some(value), true) = (value, name_len > 0) else {
            self.done = true;
            return DirectiveLine::Not;
        };
        if value.is_empty() {
            self.done = true;
            return DirectiveLine::Not;
        }
        let name = body[..name_len].to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return DirectiveLine::Not;
        }
        let value_start = value.as_ptr() as usize - text.as_ptr() as usize;
        let directive = Directive {
            name: name.clone(),
            value: value.to_string(),
            range: TextRange::new(size(token.start), size(token.end)),
            name_range: TextRange::new(size(body_start), size(body_start + name_len)),
            value_range: TextRange::new(size(value_start), size(value_start + value.len())),
            line: line_no,
        };
        if !self.seen.insert(name.clone()) {
            let message = format!("only one {name} parser directive can be used");
            return DirectiveLine::Invalid(directive, ErrorCode::DuplicateDirective, message);
        }
        if name == "escape" && value != "`" && value != "\\" {
            let message = format!("invalid escape token '{value}' does not match ` or \\");
            return DirectiveLine::Invalid(directive, ErrorCode::InvalidEscape, message);
        }
        DirectiveLine::Valid(directive)
    }
}

fn size(offset: usize) -> TextSize {
    TextSize::from(offset as u32)
}

fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(size(start), size(end))
}

pub(crate) fn parse_text(text: &str) -> Parse {
    let bytes = text.as_bytes();
    let mut builder = GreenNodeBuilder::new();
    builder.start_node(K::Root.into());
    let mut pos = 0;
    if text.starts_with('\u{FEFF}') {
        builder.token(K::Bom.into(), "\u{FEFF}");
        pos = 3;
    }
    let mut parser = Parser {
        text,
        builder,
        escape: b'\\',
        directives: Directives {
            done: false,
            seen: HashSet::new(),
        },
        directive_list: Vec::new(),
        errors: Vec::new(),
        entries: Vec::new(),
        comments: Vec::new(),
        lines: Lines { bytes, pos },
        line_no: 0,
    };
    parser.run();
    let Parser {
        mut builder,
        directive_list,
        mut errors,
        entries,
        escape,
        line_no,
        ..
    } = parser;
    builder.finish_node();
    if entries.is_empty() {
        errors.push(SyntaxError {
            code: ErrorCode::NoInstructions,
            message: "file with no instructions".to_string(),
            range: TextRange::empty(size(0)),
        });
    }
    Parse {
        green: builder.finish(),
        entries,
        directives: directive_list,
        errors,
        escape,
        line_count: line_no,
    }
}

struct Parser<'a> {
    text: &'a str,
    builder: GreenNodeBuilder<'static>,
    escape: u8,
    directives: Directives,
    directive_list: Vec<Directive>,
    /// File-level errors, absolute.
    errors: Vec<SyntaxError>,
    entries: Vec<Entry>,
    comments: Vec<String>,
    lines: Lines<'a>,
    /// Lines consumed so far (0-based number of the next line).
    line_no: u32,
}

impl<'a> Parser<'a> {
    fn next_line(&mut self) -> Option<Line> {
        let line = self.lines.next()?;
        self.line_no += 1;
        let len = line.end - line.start - usize::from(self.text.as_bytes()[line.end - 1] == b'\n');
        if len > MAX_LINE {
            self.errors.push(SyntaxError {
                code: ErrorCode::LineTooLong,
                message: format!("dockerfile line greater than max allowed size of {MAX_LINE}"),
                range: range(line.start, line.content_end),
            });
        }
        Some(line)
    }

    fn token(&mut self, kind: K, start: usize, end: usize) {
        if start < end {
            self.builder.token(kind.into(), &self.text[start..end]);
        }
    }

    fn run(&mut self) {
        while let Some(line) = self.next_line() {
            let line_no = self.line_no - 1;
            let text = self.text;
            let ws_end = skip_space(text, line.start, line.content_end);
            let comment = is_comment(text, line);
            if comment {
                // BuildKit drops the line's first byte, not the `#` (an indented comment keeps it).
                let first_len = text[line.start..].chars().next().map_or(1, char::len_utf8);
                let c = go::trim_space(&text[line.start + first_len..line.end]);
                if c.is_empty() {
                    self.comments.clear();
                } else {
                    self.comments.push(c.to_string());
                }
            }
            match self
                .directives
                .check(text, ws_end..line.content_end, line_no)
            {
                DirectiveLine::Not => {}
                DirectiveLine::Valid(d) => {
                    if d.name == "escape" {
                        self.escape = d.value.as_bytes()[0];
                    }
                    self.comments.pop();
                    self.directive_line(line, ws_end, d);
                    continue;
                }
                DirectiveLine::Invalid(d, code, message) => {
                    self.errors.push(SyntaxError {
                        code,
                        message,
                        range: d.range,
                    });
                    self.directive_line(line, ws_end, d);
                    continue;
                }
            }
            if comment {
                self.token(K::Whitespace, line.start, ws_end);
                self.token(K::Comment, ws_end, line.content_end);
                self.token(K::Newline, line.content_end, line.end);
                continue;
            }
            let token = &text.as_bytes()[ws_end..line.content_end];
            let cont = continuation(token, self.escape);
            if cont.is_none() && token.is_empty() {
                self.token(K::Whitespace, line.start, line.content_end);
                self.token(K::Newline, line.content_end, line.end);
                continue;
            }
            self.instruction(line, line_no, ws_end, cont);
        }
    }

    fn directive_line(&mut self, line: Line, ws_end: usize, directive: Directive) {
        self.builder.start_node(K::Directive.into());
        self.token(K::Whitespace, line.start, ws_end);
        self.token(K::DirectiveText, ws_end, line.content_end);
        self.token(K::Newline, line.content_end, line.end);
        self.builder.finish_node();
        self.directive_list.push(directive);
    }

    fn instruction(&mut self, first: Line, first_line_no: u32, ws_end: usize, cont: Option<usize>) {
        let text = self.text;
        let base = first.start;
        let mut parts = Vec::new();
        let mut logical = LogicalLine::default();
        let mut empty_lines = Vec::new();
        let mut comment_lines = Vec::new();
        let push_segment = |logical: &mut LogicalLine, start: usize, end: usize| {
            if start < end {
                logical.segments.push(Segment {
                    logical: logical.text.len() as u32,
                    source: (start - base) as u32,
                    len: (end - start) as u32,
                });
                logical.text.push_str(&text[start..end]);
            }
        };
        parts.push(Part::Whitespace(first.start, ws_end));
        let mut continues = cont.is_some();
        let cut = cont.map_or(first.content_end, |k| ws_end + k);
        parts.push(Part::Content(ws_end, cut));
        push_segment(&mut logical, ws_end, cut);
        parts.push(Part::Continuation(cut, first.content_end));
        parts.push(Part::Newline(first.content_end, first.end));
        let mut last = first;
        while continues {
            let Some(line) = self.next_line() else { break };
            last = line;
            if is_comment(text, line) {
                let ws = skip_space(text, line.start, line.content_end);
                parts.push(Part::Whitespace(line.start, ws));
                parts.push(Part::Comment(ws, line.content_end));
                parts.push(Part::Newline(line.content_end, line.end));
                comment_lines.push(range(line.start - base, line.content_end - base));
                continue;
            }
            if skip_space(text, line.start, line.content_end) == line.content_end {
                parts.push(Part::Whitespace(line.start, line.content_end));
                parts.push(Part::Newline(line.content_end, line.end));
                empty_lines.push(range(line.start - base, line.content_end - base));
                continue;
            }
            let token = &text.as_bytes()[line.start..line.content_end];
            let cont = continuation(token, self.escape);
            continues = cont.is_some();
            let cut = cont.map_or(line.content_end, |k| line.start + k);
            parts.push(Part::Content(line.start, cut));
            push_segment(&mut logical, line.start, cut);
            parts.push(Part::Continuation(cut, line.content_end));
            parts.push(Part::Newline(line.content_end, line.end));
        }

        let raw = parse_command(&logical.text, 0..logical.text.len(), self.escape);
        let mut errors = Vec::new();
        if let Some(e) = &raw.error {
            errors.push(SyntaxError {
                code: e.code,
                message: e.message.clone(),
                range: logical.source_range(e.range.clone()),
            });
        }
        let command = convert_command(&raw, &logical);

        let mut heredocs = Vec::new();
        if can_contain_heredoc(&command) && logical.text.contains("<<") {
            match heredocs_from_line(&logical.text) {
                Ok(specs) => {
                    for spec in specs {
                        let heredoc = self.heredoc_body(
                            spec,
                            &logical,
                            base,
                            &mut parts,
                            &mut last,
                            &mut errors,
                        );
                        heredocs.push(heredoc);
                    }
                }
                Err(message) => errors.push(SyntaxError {
                    code: ErrorCode::InvalidHeredoc,
                    message,
                    range: command.args_range,
                }),
            }
        }

        let instruction = Instruction {
            command,
            heredocs,
            logical,
            comments: std::mem::take(&mut self.comments),
            empty_continuation_lines: empty_lines,
            continuation_comments: comment_lines,
            errors,
            len: size(last.content_end - base),
            full_len: size(last.end - base),
            line_count: self.line_no - first_line_no,
        };
        self.build_instruction_tree(&instruction, base, &parts);
        self.entries.push(Entry {
            offset: size(base),
            line: first_line_no,
            inst: Arc::new(instruction),
        });
    }

    /// Reads one heredoc body after the instruction, BuildKit style: raw lines until one
    /// equals the delimiter (after stripping leading tabs for `<<-`).
    fn heredoc_body(
        &mut self,
        spec: HeredocSpec,
        logical: &LogicalLine,
        base: usize,
        parts: &mut Vec<Part>,
        last: &mut Line,
        errors: &mut Vec<SyntaxError>,
    ) -> Heredoc {
        let body_start = self.lines.pos;
        let mut content = String::new();
        let mut terminator = None;
        while let Some(line) = self.next_line() {
            *last = line;
            let mut candidate = &self.text[line.start..line.content_end];
            if spec.chomp {
                candidate = candidate.trim_start_matches('\t');
            }
            if candidate == spec.name {
                terminator = Some(line);
                break;
            }
            content.push_str(&self.text[line.start..line.end]);
        }
        let body_end = terminator.map_or(self.lines.pos, |t| t.start);
        parts.push(Part::Heredoc {
            body: (body_start, body_end),
            terminator: terminator.map(|t| (t.start, t.content_end)),
            newline: terminator.map(|t| (t.content_end, t.end)),
        });
        let word_range = logical.source_range(spec.range.clone());
        if terminator.is_none() {
            errors.push(SyntaxError {
                code: ErrorCode::UnterminatedHeredoc,
                message: "unterminated heredoc".to_string(),
                range: word_range,
            });
        }
        Heredoc {
            name: spec.name,
            range: word_range,
            fd: spec.fd,
            chomp: spec.chomp,
            expand: spec.expand,
            content,
            body: range(body_start - base, body_end - base),
            terminator: terminator.map(|t| range(t.start - base, t.content_end - base)),
        }
    }

    fn build_instruction_tree(&mut self, inst: &Instruction, base: usize, parts: &[Part]) {
        let mut events = Vec::new();
        command_events(&inst.command, base, true, &mut events);
        // Closes before opens at the same offset; outer opens first, inner closes first.
        events.sort_by_key(|e| (e.pos, e.order));
        let mut events = events.into_iter().peekable();
        let mut keyword_open = false;
        self.builder.start_node(K::Instruction.into());
        for part in parts {
            match *part {
                Part::Whitespace(s, e) => self.token(K::Whitespace, s, e),
                Part::Continuation(s, e) => self.token(K::Continuation, s, e),
                Part::Comment(s, e) => self.token(K::Comment, s, e),
                Part::Newline(s, e) => self.token(K::Newline, s, e),
                Part::Content(s, e) => {
                    // Starts of spans never sit at the end of a content part (they map onto
                    // a character), so every event up to `e` belongs to this part.
                    let mut at = s;
                    loop {
                        while let Some(ev) = events.peek().filter(|ev| ev.pos <= at) {
                            let kind = ev.kind;
                            events.next();
                            self.apply(kind, &mut keyword_open);
                        }
                        if at >= e {
                            break;
                        }
                        let stop = events.peek().map_or(e, |ev| ev.pos.min(e));
                        self.text_tokens(at, stop, keyword_open);
                        at = stop;
                    }
                }
                Part::Heredoc {
                    body,
                    terminator,
                    newline,
                } => {
                    // Anything still open ends before the bodies.
                    for ev in events.by_ref() {
                        self.apply(ev.kind, &mut keyword_open);
                    }
                    self.builder.start_node(K::Heredoc.into());
                    self.token(K::HeredocBody, body.0, body.1);
                    if let Some((s, e)) = terminator {
                        self.token(K::HeredocEnd, s, e);
                    }
                    if let Some((s, e)) = newline {
                        self.token(K::Newline, s, e);
                    }
                    self.builder.finish_node();
                }
            }
        }
        for ev in events {
            self.apply(ev.kind, &mut keyword_open);
        }
        self.builder.finish_node();
    }

    fn apply(&mut self, kind: EventKind, keyword_open: &mut bool) {
        match kind {
            EventKind::Open(k) => self.builder.start_node(k.into()),
            EventKind::Close => self.builder.finish_node(),
            EventKind::KeywordStart => *keyword_open = true,
            EventKind::KeywordEnd => *keyword_open = false,
        }
    }

    /// Splits content into whitespace and text tokens.
    fn text_tokens(&mut self, start: usize, end: usize, keyword: bool) {
        let text = self.text;
        let mut at = start;
        while at < end {
            let s = &text[at..end];
            let ws_len = s.len() - s.trim_start_matches(go::is_space).len();
            if ws_len > 0 {
                self.token(K::Whitespace, at, at + ws_len);
                at += ws_len;
                continue;
            }
            let word_len = s.find(go::is_space).unwrap_or(s.len());
            self.token(
                if keyword { K::Keyword } else { K::Text },
                at,
                at + word_len,
            );
            at += word_len;
        }
    }
}

#[derive(Clone, Copy)]
enum EventKind {
    Open(K),
    Close,
    KeywordStart,
    KeywordEnd,
}

struct Event {
    pos: usize,
    /// Sort key within one offset: closes (deepest first) before opens (outermost first).
    order: (u8, i32),
    kind: EventKind,
}

fn push_span(
    events: &mut Vec<Event>,
    r: TextRange,
    base: usize,
    depth: i32,
    open: EventKind,
    close: EventKind,
) {
    if r.is_empty() {
        return;
    }
    events.push(Event {
        pos: base + usize::from(r.start()),
        order: (1, depth),
        kind: open,
    });
    events.push(Event {
        pos: base + usize::from(r.end()),
        order: (0, -depth),
        kind: close,
    });
}

/// Tree events for a command's keyword, flags and arguments (and an ONBUILD trigger).
fn command_events(cmd: &Command, base: usize, top: bool, events: &mut Vec<Event>) {
    let depth = if top { 1 } else { 2 };
    push_span(
        events,
        cmd.keyword_range,
        base,
        depth + 1,
        EventKind::KeywordStart,
        EventKind::KeywordEnd,
    );
    for flag in &cmd.flags {
        push_span(
            events,
            flag.range,
            base,
            depth,
            EventKind::Open(K::Flag),
            EventKind::Close,
        );
    }
    for node in &cmd.nodes {
        if let Some(r) = node.range {
            push_span(
                events,
                r,
                base,
                depth,
                EventKind::Open(K::Argument),
                EventKind::Close,
            );
        }
    }
    if let Some(trigger) = &cmd.trigger {
        let end = trigger
            .nodes
            .iter()
            .filter_map(|n| n.range)
            .map(|r| r.end())
            .chain(trigger.flags.iter().map(|f| f.range.end()))
            .chain([trigger.keyword_range.end()])
            .max()
            .unwrap_or(trigger.keyword_range.end());
        let span = TextRange::new(trigger.keyword_range.start(), end);
        push_span(
            events,
            span,
            base,
            1,
            EventKind::Open(K::Instruction),
            EventKind::Close,
        );
        command_events(trigger, base, false, events);
    }
}

fn can_contain_heredoc(command: &Command) -> bool {
    let command = command.effective();
    matches!(command.kind, Keyword::Run | Keyword::Copy | Keyword::Add) && !command.json
}

/// Logical-line ranges of a raw command → source ranges of the typed command.
fn convert_command(raw: &RawCommand, logical: &LogicalLine) -> Command {
    let flags = raw
        .flags
        .iter()
        .map(|f| {
            let body = f.text.strip_prefix("--").unwrap_or(&f.text);
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.to_string(), None),
            };
            let name_start = (f.range.start + 2).min(f.range.end);
            let name_end = f.eq.unwrap_or(f.range.end);
            Flag {
                text: f.text.clone(),
                range: logical.source_range(f.range.clone()),
                name,
                name_range: logical.source_range(name_start..name_end.max(name_start)),
                value,
                value_range: f
                    .eq
                    .map(|eq| logical.source_range(eq + 1..f.range.end.max(eq + 1))),
            }
        })
        .collect();
    let nodes = raw
        .nodes
        .iter()
        .map(|n| ArgNode {
            value: n.value.clone(),
            range: n.range.clone().map(|r| logical.source_range(r)),
            logical: n.range.clone().map(|r| range(r.start, r.end)),
        })
        .collect();
    Command {
        keyword: raw.keyword.clone(),
        keyword_range: logical.source_range(raw.keyword_range.clone()),
        kind: Keyword::parse(&raw.keyword),
        flags,
        args_range: logical.source_range(raw.args_range.clone()),
        args_logical: range(raw.args_range.start, raw.args_range.end),
        nodes,
        json: raw.json,
        trigger: raw
            .trigger
            .as_ref()
            .map(|t| Box::new(convert_command(t, logical))),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Keyword, SyntaxKind, parse};

    fn round_trip(text: &str) {
        let parse = parse(text);
        assert_eq!(parse.syntax().to_string(), text, "lossless for {text:?}");
        // Instruction offsets and lengths agree with the tree.
        for entry in parse.entries() {
            let start = usize::from(entry.offset);
            assert!(text.is_char_boundary(start));
            assert!(start + usize::from(entry.inst.full_len) <= text.len());
        }
    }

    #[test]
    fn lossless_on_tricky_input() {
        for text in [
            "",
            "\u{FEFF}FROM x\r\n",
            "FROM x\r\r\nRUN a \\  \r\n  b\\\n# c\n\n d\n",
            "# escape=`\nFROM x\nRUN a `\n b\n",
            "RUN <<EOF\nbody\nEOF\nRUN <<-A cat && <<B cat\n\tx\n\tA\ny\nB\n",
            "RUN <<EOF\nunterminated\n",
            "ONBUILD RUN --mount=type=cache,target=/x echo \\\n  hi\n",
            "\\\nFROM x",
            "FROM a\0b\n\x01\n",
            "LABEL a=\"b\\\n c\"",
            "COPY [\"a\",\n\"b\"]",
            "FR\\\nOM x",
        ] {
            round_trip(text);
        }
    }

    #[test]
    fn instruction_line_spans() {
        // BuildKit's TestParseIncludesLineNumbers (shared/corpus/buildkit-parser/testfile-line).
        let text = "# ESCAPE=\\\n\n\n\nFROM brimstone/ubuntu:14.04\n\n\n# TORUN x\n\n\nENV GOPATH \\\n/go\n\n\n\n# Install\nRUN apt-get update \\\n\t&& a \\\n\n\n    && b \\\n\n\t&& c\n\n";
        let parse = parse(text);
        let spans: Vec<_> = parse
            .entries()
            .iter()
            .map(|e| (e.line + 1, e.last_line() + 1))
            .collect();
        assert_eq!(spans, [(5, 5), (11, 12), (17, 23)]);
    }

    #[test]
    fn heredoc_bodies_are_verbatim() {
        let text = "RUN <<-EOF cat\n\t# not a comment \\\n\tEOF\nCOPY <<'A' /a\n$x\nA\n";
        let parse = parse(text);
        let run = &parse.entries()[0].inst;
        assert_eq!(run.heredocs[0].content, "\t# not a comment \\\n");
        assert!(run.heredocs[0].chomp);
        assert_eq!(run.line_count, 3);
        let copy = &parse.entries()[1].inst;
        assert_eq!(copy.keyword(), Keyword::Copy);
        assert!(!copy.heredocs[0].expand);
        assert_eq!(copy.heredocs[0].content, "$x\n");
        let heredoc_nodes = parse
            .syntax()
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::Heredoc)
            .count();
        assert_eq!(heredoc_nodes, 2);
    }

    #[test]
    fn heredocs_only_where_buildkit_allows() {
        let parse = parse("CMD <<EOF\nRUN [\"<<EOF\"]\nONBUILD RUN <<EOF\nx\nEOF\n");
        let counts: Vec<_> = parse
            .entries()
            .iter()
            .map(|e| e.inst.heredocs.len())
            .collect();
        assert_eq!(counts, [0, 0, 1]);
    }

    #[test]
    fn errors_are_values() {
        let parse = parse("# escape=x\n# escape=`\nENV A\nRUN <<EOF\n");
        let codes: Vec<_> = parse.errors().iter().map(|e| e.code).collect();
        use super::super::ErrorCode::*;
        assert_eq!(
            codes,
            [
                InvalidEscape,
                DuplicateDirective,
                MissingValue,
                UnterminatedHeredoc
            ]
        );
        let text = "# syntax=a\n# SYNTAX=b\nFROM x";
        assert_eq!(
            parse_errors(text),
            ["only one syntax parser directive can be used"]
        );
    }

    fn parse_errors(text: &str) -> Vec<String> {
        parse(text)
            .errors()
            .into_iter()
            .map(|e| e.message)
            .collect()
    }

    #[test]
    fn directives_stop_at_first_other_line() {
        let parse = parse("# syntax=docker/dockerfile:1\n# check=skip=all\n\n# escape=`\nFROM x");
        let names: Vec<_> = parse.directives().iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["syntax", "check"]);
        assert_eq!(parse.escape(), '\\');
        let d = parse
            .directive("check")
            .map(|d| (d.value.clone(), d.value_range));
        assert_eq!(d.map(|(v, _)| v), Some("skip=all".to_string()));
    }

    #[test]
    fn flag_and_argument_ranges() {
        let text = "COPY --from=build --chown=1:1 \\\n  src/ /dst/";
        let parse = parse(text);
        let cmd = &parse.entries()[0].inst.command;
        let from = &cmd.flags[0];
        assert_eq!(&text[from.name_range], "from");
        assert_eq!(from.value_range.map(|r| &text[r]), Some("build"));
        let args: Vec<_> = cmd
            .nodes
            .iter()
            .filter_map(|n| n.range)
            .map(|r| &text[r])
            .collect();
        assert_eq!(args, ["src/", "/dst/"]);
    }

    #[test]
    fn prev_comments_like_buildkit() {
        let parse = parse("# a\n  # b\n\nFROM x\n#\n# c\nRUN y\n");
        assert_eq!(parse.entries()[0].inst.comments, ["a", "# b"]);
        assert_eq!(parse.entries()[1].inst.comments, ["c"]);
    }
}
