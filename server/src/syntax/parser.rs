//! The line loop of BuildKit's `parser.Parse`: directives, comments, continuations and
//! heredocs, turned into typed instructions. It never fails: what BuildKit would reject
//! becomes an error value. The lossless tree is built from the same lines on demand
//! (see `tree.rs`).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use rowan::{TextRange, TextSize};
use smol_str::SmolStr;

use super::command::{ErrorCode, RawCommand, parse_command};
use super::heredoc::{HeredocSpec, heredocs_from_line};
use super::instruction::{
    ArgNode, Command, Flag, Heredoc, Instruction, Keyword, LogicalLine, SyntaxError,
};
use super::lines::{
    Line, Lines, MAX_LINE, Part, continuation, is_comment, scan_instruction, skip_space,
};
use super::{Directive, Parse, StoredEntry, go};

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
        let Some((name, value)) = split_directive(body) else {
            self.done = true;
            return DirectiveLine::Not;
        };
        let name_len = name.len();
        let name = name.to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return DirectiveLine::Not;
        }
        let value_start = value.as_ptr() as usize - text.as_ptr() as usize;
        let directive = Directive {
            name: name.clone(),
            value: value.to_string(),
            range: range(token.start, token.end),
            name_range: range(body_start, body_start + name_len),
            value_range: range(value_start, value_start + value.len()),
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

pub(super) fn size(offset: usize) -> TextSize {
    TextSize::from(offset as u32)
}

pub(super) fn range(start: usize, end: usize) -> TextRange {
    TextRange::new(size(start), size(end))
}

pub(super) fn line_too_long(start: usize, end: usize) -> SyntaxError {
    SyntaxError {
        code: ErrorCode::LineTooLong,
        message: format!("dockerfile line greater than max allowed size of {MAX_LINE}"),
        range: range(start, end),
    }
}

pub(super) fn no_instructions() -> SyntaxError {
    SyntaxError {
        code: ErrorCode::NoInstructions,
        message: "file with no instructions".to_string(),
        range: TextRange::empty(size(0)),
    }
}

pub(crate) fn parse_text(text: &str) -> Parse {
    let start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut parser = Parser::new(text, start, 0);
    parser.run();
    let Parser {
        directive_list,
        mut errors,
        entries,
        escape,
        lines,
        directive_scan_end,
        ..
    } = parser;
    errors.extend(lines.too_long.iter().map(|&(s, e)| line_too_long(s, e)));
    if entries.is_empty() {
        errors.push(no_instructions());
    }
    errors.sort_by_key(|e| e.range.start());
    let entries_with_errors = super::count_with_errors(&entries);
    Parse {
        text: Arc::from(text),
        green: OnceLock::new(),
        entries,
        directives: directive_list,
        entries_with_errors,
        errors,
        escape,
        line_count: lines.count,
        directive_scan_end: size(directive_scan_end.unwrap_or(text.len())),
        id: super::next_parse_id(),
        base: None,
    }
}

/// Decides, before an instruction starting at a given offset with the given comment block,
/// whether parsing can stop there (an incremental reparse that has caught up).
pub(super) type Resync<'a> = Box<dyn FnMut(usize, &[String]) -> bool + 'a>;

pub(super) struct Parser<'a> {
    text: &'a str,
    pub escape: u8,
    directives: Directives,
    directive_list: Vec<Directive>,
    /// File-level errors, absolute.
    errors: Vec<SyntaxError>,
    pub entries: Vec<StoredEntry>,
    comments: Vec<String>,
    pub lines: Lines<'a>,
    /// Scratch space for `scan_instruction`.
    parts: Vec<Part>,
    /// The end of the line that ended the directive block.
    directive_scan_end: Option<usize>,
    pub resync: Option<Resync<'a>>,
    /// Where parsing stopped because `resync` said so: offset and line number.
    pub resynced_at: Option<(usize, u32)>,
}

impl<'a> Parser<'a> {
    pub fn new(text: &'a str, start: usize, line: u32) -> Parser<'a> {
        let mut lines = Lines::new(text.as_bytes(), start);
        lines.count = line;
        Parser {
            text,
            escape: b'\\',
            directives: Directives {
                done: false,
                seen: HashSet::new(),
            },
            directive_list: Vec::new(),
            errors: Vec::new(),
            entries: Vec::new(),
            comments: Vec::new(),
            lines,
            parts: Vec::new(),
            directive_scan_end: None,
            resync: None,
            resynced_at: None,
        }
    }

    /// Continues after the directive block with a known escape character.
    pub fn without_directives(mut self, escape: u8) -> Parser<'a> {
        self.directives.done = true;
        self.escape = escape;
        self
    }

    pub fn run(&mut self) {
        while let Some(line) = self.lines.next() {
            let line_no = self.lines.count - 1;
            let text = self.text;
            let ws_end = skip_space(text, line.start, line.content_end);
            let was_done = self.directives.done;
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
            let directive = self
                .directives
                .check(text, ws_end..line.content_end, line_no);
            if !was_done && self.directives.done {
                self.directive_scan_end = Some(line.end);
            }
            match directive {
                DirectiveLine::Not => {}
                DirectiveLine::Valid(d) => {
                    if d.name == "escape" {
                        self.escape = d.value.as_bytes()[0];
                    }
                    self.comments.pop();
                    self.directive_list.push(d);
                    continue;
                }
                DirectiveLine::Invalid(d, code, message) => {
                    self.errors.push(SyntaxError {
                        code,
                        message,
                        range: d.range,
                    });
                    self.directive_list.push(d);
                    continue;
                }
            }
            if comment {
                continue;
            }
            let token = &text.as_bytes()[ws_end..line.content_end];
            let cont = continuation(token, self.escape);
            if cont.is_none() && token.is_empty() {
                continue;
            }
            if let Some(resync) = &mut self.resync {
                if resync(line.start, &self.comments) {
                    self.resynced_at = Some((line.start, line_no));
                    return;
                }
            }
            self.instruction(line, line_no, ws_end, cont);
        }
    }

    fn instruction(&mut self, first: Line, first_line_no: u32, ws_end: usize, cont: Option<usize>) {
        let text = self.text;
        let base = first.start;
        self.parts.clear();
        let scanned = scan_instruction(
            text,
            &mut self.lines,
            first,
            ws_end,
            cont,
            self.escape,
            &mut self.parts,
        );
        let logical = scanned.logical;
        let mut last = scanned.last;

        let mut raw = parse_command(&logical.text, 0..logical.text.len(), self.escape);
        let mut errors = Vec::new();
        if let Some(e) = raw.error.take() {
            errors.push(SyntaxError {
                code: e.code,
                range: logical.source_range(e.range),
                message: e.message,
            });
        }
        let command = convert_command(raw, &logical);

        let mut heredocs = Vec::new();
        if can_contain_heredoc(&command) && logical.text.contains("<<") {
            match heredocs_from_line(&logical.text) {
                Ok(specs) => {
                    for spec in specs {
                        heredocs.push(self.heredoc_body(
                            spec,
                            &logical,
                            base,
                            &mut last,
                            &mut errors,
                        ));
                    }
                }
                Err(message) => errors.push(SyntaxError {
                    code: ErrorCode::InvalidHeredoc,
                    message,
                    range: command.args_range,
                }),
            }
        }

        let relative = |(s, e): (usize, usize)| range(s - base, e - base);
        let instruction = Instruction {
            command,
            heredocs,
            logical,
            comments: std::mem::take(&mut self.comments),
            empty_continuation_lines: scanned.empty_lines.into_iter().map(relative).collect(),
            continuation_comments: scanned.comment_lines.into_iter().map(relative).collect(),
            errors,
            len: size(last.content_end - base),
            full_len: size(last.end - base),
            line_count: self.lines.count - first_line_no,
        };
        self.entries.push(StoredEntry {
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
        last: &mut Line,
        errors: &mut Vec<SyntaxError>,
    ) -> Heredoc {
        let body_start = self.lines.pos;
        let mut content = String::new();
        let mut terminator = None;
        for line in self.lines.by_ref() {
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
        let word_range = logical.source_range(spec.range.clone());
        if terminator.is_none() {
            errors.push(SyntaxError {
                code: ErrorCode::UnterminatedHeredoc,
                message: "unterminated heredoc".to_string(),
                range: word_range,
            });
        }
        Heredoc {
            name: SmolStr::new(&spec.name),
            range: word_range,
            fd: spec.fd,
            chomp: spec.chomp,
            expand: spec.expand,
            content,
            body: range(body_start - base, body_end - base),
            terminator: terminator.map(|t| range(t.start - base, t.content_end - base)),
        }
    }
}

fn can_contain_heredoc(command: &Command) -> bool {
    let command = command.effective();
    matches!(command.kind, Keyword::Run | Keyword::Copy | Keyword::Add) && !command.json
}

/// Logical-line ranges of a raw command → source ranges of the typed command.
fn convert_command(raw: RawCommand, logical: &LogicalLine) -> Command {
    let flags = raw
        .flags
        .into_iter()
        .map(|f| {
            let body = f.text.strip_prefix("--").unwrap_or(&f.text);
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (SmolStr::new(n), Some(SmolStr::new(v))),
                None => (SmolStr::new(body), None),
            };
            let name_start = (f.range.start + 2).min(f.range.end);
            let name_end = f.eq.unwrap_or(f.range.end);
            Flag {
                range: logical.source_range(f.range.clone()),
                name,
                name_range: logical.source_range(name_start..name_end.max(name_start)),
                value,
                value_range: f
                    .eq
                    .map(|eq| logical.source_range(eq + 1..f.range.end.max(eq + 1))),
                text: f.text,
            }
        })
        .collect();
    let nodes = raw
        .nodes
        .into_iter()
        .map(|n| ArgNode {
            range: n.range.clone().map(|r| logical.source_range(r)),
            logical: n.range.map(|r| range(r.start, r.end)),
            value: n.value,
        })
        .collect();
    Command {
        keyword_range: logical.source_range(raw.keyword_range.clone()),
        kind: Keyword::parse(&raw.keyword),
        keyword: raw.keyword,
        flags,
        args_range: logical.source_range(raw.args_range.clone()),
        args_logical: range(raw.args_range.start, raw.args_range.end),
        nodes,
        json: raw.json,
        trigger: raw.trigger.map(|t| Box::new(convert_command(*t, logical))),
    }
}

/// A directive's body (the comment text after `#` and leading blanks) split as BuildKit's
/// `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (Go's ASCII `\s`): the name as written and
/// the value, both slices of `body`; `None` when it does not match.
pub(crate) fn split_directive(body: &str) -> Option<(&str, &str)> {
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
    if name_len == 0 {
        return None;
    }
    let value = body[name_len..]
        .trim_start_matches(is_re_space)
        .strip_prefix('=')?
        .trim_start_matches(is_re_space)
        .trim_end_matches(is_re_space);
    (!value.is_empty()).then_some((&body[..name_len], value))
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
            .map(|e| (e.line + 1, e.last_line() + 1))
            .collect();
        assert_eq!(spans, [(5, 5), (11, 12), (17, 23)]);
    }

    #[test]
    fn heredoc_bodies_are_verbatim() {
        let text = "RUN <<-EOF cat\n\t# not a comment \\\n\tEOF\nCOPY <<'A' /a\n$x\nA\n";
        let parse = parse(text);
        let run = &parse.entry(0).expect("instruction").inst;
        assert_eq!(run.heredocs[0].content, "\t# not a comment \\\n");
        assert!(run.heredocs[0].chomp);
        assert_eq!(run.line_count, 3);
        let copy = &parse.entry(1).expect("instruction").inst;
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
        let counts: Vec<_> = parse.entries().map(|e| e.inst.heredocs.len()).collect();
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
        let cmd = &parse.entry(0).expect("instruction").inst.command;
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
        assert_eq!(
            parse.entry(0).expect("instruction").inst.comments,
            ["a", "# b"]
        );
        assert_eq!(parse.entry(1).expect("instruction").inst.comments, ["c"]);
    }
}
