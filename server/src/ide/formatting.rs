//! Formatting (document, range, on-type) that never changes what BuildKit builds.
//!
//! By default only two things change:
//!
//! - **keyword case**: every known instruction keyword takes the file's majority casing, counted
//!   as BuildKit's `ConsistentInstructionCasing` counts it (ties are upper case);
//! - **trailing blanks**: spaces and tabs at the end of a line. BuildKit drops them everywhere we
//!   remove them: at the end of a logical line (`strings.TrimSpace`), after a continuation
//!   escape (the `E[ \t]*$` regex), on comment, blank and directive lines. Blanks *before* a
//!   continuation escape are part of the command text and are not trailing, so they stay.
//!
//! Heredoc bodies and terminators are never touched (other servers broke files there), nor are
//! ONBUILD trigger keywords (the trigger text is stored verbatim in the image config).
//!
//! Re-indenting continuation lines is opt-in ([`FormatOptions::reindent_continuations`]):
//! BuildKit keeps a continuation line's leading whitespace in the command, so it changes the
//! RUN command string and with it the build cache key (cache-model.md §1.3).

use crate::syntax::{Entry, Keyword, Parse, TextRange, TextSize};

use super::text_util::{
    Line, clamp, first_non_space, is_blank_line, is_comment_line, leading_blanks_end, line_at,
    lines, range, trailing_blanks_start,
};

/// One replacement: `range` (bytes of the original text) becomes `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// What the editor asked for, plus our settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatOptions {
    /// The editor's indentation width (used only when re-indenting).
    pub tab_size: u32,
    /// Indent with spaces (else a tab).
    pub insert_spaces: bool,
    /// `formatting.reindentContinuations`: indent every continuation line by one level and
    /// put instructions at column 0. **Changes RUN command strings, and so invalidates the
    /// build cache of every re-indented RUN** (BuildKit keeps a continuation line's leading
    /// whitespace in the command). Off by default.
    pub reindent_continuations: bool,
}

impl Default for FormatOptions {
    fn default() -> Self {
        FormatOptions {
            tab_size: 4,
            insert_spaces: true,
            reindent_continuations: false,
        }
    }
}

impl FormatOptions {
    fn indent(&self) -> String {
        if self.insert_spaces {
            " ".repeat(self.tab_size.clamp(1, 16) as usize)
        } else {
            "\t".to_string()
        }
    }
}

/// Keyword casing of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    Upper,
    Lower,
}

impl Casing {
    /// `keyword` in this casing (ASCII: every Dockerfile keyword is).
    pub fn apply(self, keyword: &str) -> String {
        match self {
            Casing::Upper => keyword.to_ascii_uppercase(),
            Casing::Lower => keyword.to_ascii_lowercase(),
        }
    }
}

/// The file's majority keyword casing, as BuildKit's `validateCommandCasing` decides it: count
/// the keywords of instructions in stages (FROM and what follows) that are all upper or all
/// lower case; lower wins only with a strict majority. A file without stages counts every
/// instruction instead.
pub fn keyword_casing(parse: &Parse) -> Casing {
    let (mut lower, mut upper) = (0usize, 0usize);
    let (mut all_lower, mut all_upper) = (0usize, 0usize);
    let mut in_stage = false;
    for entry in parse.entries() {
        let cmd = &entry.inst.command;
        if cmd.kind == Keyword::From {
            in_stage = true;
        }
        let k = cmd.keyword.as_str();
        let (is_lower, is_upper) = (
            k == k.to_lowercase().as_str(),
            k == k.to_uppercase().as_str(),
        );
        if !(is_lower || is_upper) || cmd.kind == Keyword::Unknown {
            continue;
        }
        let (l, u) = if in_stage {
            (&mut lower, &mut upper)
        } else {
            (&mut all_lower, &mut all_upper)
        };
        if is_lower {
            *l += 1;
        } else {
            *u += 1;
        }
    }
    if lower + upper == 0 {
        (lower, upper) = (all_lower, all_upper);
    }
    if lower > upper {
        Casing::Lower
    } else {
        Casing::Upper
    }
}

/// Formats the whole document.
pub fn format(parse: &Parse, options: &FormatOptions) -> Vec<TextEdit> {
    Formatter::new(parse, options, None).run()
}

/// Formats the instructions intersecting `range` (and the comment and blank lines in it).
pub fn format_range(parse: &Parse, range: TextRange, options: &FormatOptions) -> Vec<TextEdit> {
    Formatter::new(parse, options, Some(range)).run()
}

/// On-type formatting. After a newline typed right after a continuation escape, indents the
/// new continuation line; only with [`FormatOptions::reindent_continuations`], since that
/// indentation becomes part of the command. `offset` is the cursor after the typed character.
pub fn format_on_type(
    parse: &Parse,
    offset: TextSize,
    ch: char,
    options: &FormatOptions,
) -> Vec<TextEdit> {
    if ch != '\n' || !options.reindent_continuations {
        return Vec::new();
    }
    let text = parse.text();
    let offset = clamp(text, offset);
    let line = line_at(text, offset);
    if line.start == 0 {
        return Vec::new();
    }
    let Some(index) = parse.entry_at(TextSize::from(line.start as u32)) else {
        return Vec::new();
    };
    let Some(entry) = parse.entry(index) else {
        return Vec::new();
    };
    // Only a line of the instruction's logical part, after its first line.
    if line.start <= usize::from(entry.offset) || line.start >= logical_end(entry) {
        return Vec::new();
    }
    let mut edits = Vec::new();
    let indent = options.indent();
    let ws_end = leading_blanks_end(text, line.start, line.content_end);
    if text[line.start..ws_end] != indent {
        edits.push(TextEdit {
            range: range(line.start, ws_end),
            new_text: indent,
        });
    }
    edits
}

/// Applies non-overlapping edits (in any order) to `text`.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> String {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start(), e.range.end()));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in sorted {
        let (s, t) = (usize::from(e.range.start()), usize::from(e.range.end()));
        if s < pos || t > text.len() {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(&e.new_text);
        pos = t;
    }
    out.push_str(&text[pos..]);
    out
}

/// Where an instruction's logical lines end: at its first heredoc body, else at its end.
fn logical_end(entry: Entry<'_>) -> usize {
    let inst = entry.inst;
    let rel = inst
        .heredocs
        .first()
        .map_or(inst.full_len, |h| h.body.start());
    usize::from(entry.offset + rel)
}

struct Formatter<'a> {
    text: &'a str,
    parse: &'a Parse,
    casing: Casing,
    options: &'a FormatOptions,
    indent: String,
    /// Only lines and instructions meeting this range (inclusive ends).
    want: Option<TextRange>,
    edits: Vec<TextEdit>,
}

impl<'a> Formatter<'a> {
    fn new(parse: &'a Parse, options: &'a FormatOptions, want: Option<TextRange>) -> Self {
        Formatter {
            text: parse.text(),
            parse,
            casing: keyword_casing(parse),
            options,
            indent: options.indent(),
            want,
            edits: Vec::new(),
        }
    }

    fn wanted(&self, start: usize, end: usize) -> bool {
        self.want.is_none_or(|r| {
            start <= usize::from(r.end()) && usize::from(r.start()) <= end && start <= end
        })
    }

    fn run(mut self) -> Vec<TextEdit> {
        let mut pos = 0;
        for entry in self.parse.entries() {
            let start = usize::from(entry.offset);
            self.gap(pos, start);
            let end = start + usize::from(entry.inst.full_len);
            if self.wanted(start, usize::from(entry.offset + entry.inst.len)) {
                self.instruction(entry);
            }
            pos = end;
        }
        self.gap(pos, self.text.len());
        let mut edits = self.edits;
        edits.sort_by_key(|e| (e.range.start(), e.range.end()));
        edits
    }

    fn edit(&mut self, start: usize, end: usize, new_text: &str) {
        if self.text[start..end] != *new_text {
            self.edits.push(TextEdit {
                range: range(start, end),
                new_text: new_text.to_string(),
            });
        }
    }

    fn trim_trailing(&mut self, line: Line) {
        let from = trailing_blanks_start(self.text, line.start, line.content_end);
        // Blanks after a lone `\r`: removing them would turn the `\r` into part of a CRLF
        // break, and the next format would trim other blanks (not idempotent).
        if from > line.start && self.text.as_bytes()[from - 1] == b'\r' {
            return;
        }
        self.edit(from, line.content_end, "");
    }

    /// Comment, directive and blank lines between instructions.
    fn gap(&mut self, from: usize, to: usize) {
        for line in lines(self.text, from, to) {
            if self.wanted(line.start, line.content_end) {
                self.trim_trailing(line);
            }
        }
    }

    fn instruction(&mut self, entry: Entry<'_>) {
        let text = self.text;
        let start = usize::from(entry.offset);
        let cmd = &entry.inst.command;
        let reindent = self.options.reindent_continuations;
        let escape = self.parse.escape();
        // Whether the last line BuildKit joins ended in a blank before its escape: if not, a
        // continuation line starting at its first column continues a word (`FR\⏎OM`,
        // `ec\⏎ho`), and indenting it would split that word.
        let mut joined_after_blank = true;
        for (n, line) in lines(text, start, logical_end(entry)).enumerate() {
            let content = &text[line.start..line.content_end];
            let splits_word = !joined_after_blank && !content.starts_with([' ', '\t']);
            if n == 0 || !(is_blank_line(text, line) || is_comment_line(text, line)) {
                let before_escape = content.trim_end_matches([' ', '\t']);
                let before_escape = before_escape.strip_suffix(escape).unwrap_or(before_escape);
                // A line holding only the escape adds nothing to the joined text.
                if !before_escape.is_empty() {
                    joined_after_blank = before_escape.ends_with([' ', '\t']);
                }
            }
            if n == 0 {
                if reindent {
                    // Leading blanks of an instruction's first line are not part of it.
                    let ws = first_non_space(text, line.start, line.content_end);
                    let ws = leading_blanks_end(text, line.start, ws);
                    self.edit(line.start, ws, "");
                }
            } else if reindent && !is_blank_line(text, line) && !splits_word {
                let ws = leading_blanks_end(text, line.start, line.content_end);
                let indent = std::mem::take(&mut self.indent);
                self.edit(line.start, ws, &indent);
                self.indent = indent;
            }
            if n == 0 || is_comment_line(text, line) || !is_blank_line(text, line) {
                self.trim_trailing(line);
            } else {
                // A blank continuation line: BuildKit skips it whatever it holds.
                self.edit(line.start, line.content_end, "");
            }
        }
        if cmd.kind != Keyword::Unknown {
            let r = entry.abs(cmd.keyword_range);
            let (s, e) = (usize::from(r.start()), usize::from(r.end()));
            // A keyword split by a continuation (`FR\⏎OM`) is left as written.
            if text.get(s..e) == Some(cmd.keyword.as_str()) {
                let wanted = self.casing.apply(&cmd.keyword);
                self.edit(s, e, &wanted);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{dump::dump, parse};

    fn fmt_with(text: &str, options: &FormatOptions) -> String {
        let p = parse(text);
        apply_edits(text, &format(&p, options))
    }

    fn fmt(text: &str) -> String {
        fmt_with(text, &FormatOptions::default())
    }

    fn reindent() -> FormatOptions {
        FormatOptions {
            reindent_continuations: true,
            ..FormatOptions::default()
        }
    }

    /// Formatting keeps BuildKit's view of the file, and formatting twice is formatting once.
    fn check(text: &str, expected: &str) {
        let got = fmt(text);
        assert_eq!(got, expected, "format of {text:?}");
        assert_eq!(dump(&parse(text)), dump(&parse(&got)), "dump of {text:?}");
        assert_eq!(fmt(&got), got, "idempotent for {text:?}");
    }

    #[test]
    fn keyword_case_follows_majority() {
        check(
            "from alpine\nRun echo\nrun x\nCOPY a b\n",
            "from alpine\nrun echo\nrun x\ncopy a b\n",
        );
        // Ties go upper.
        check("from a\nRUN x\n", "FROM a\nRUN x\n");
        // Meta ARGs do not count but are normalised.
        check(
            "arg A\narg B\nFROM a\nRUN x\n",
            "ARG A\nARG B\nFROM a\nRUN x\n",
        );
        // Unknown keywords and ONBUILD triggers stay as written.
        check(
            "FROM a\nfoo bar\nonbuild run x\n",
            "FROM a\nfoo bar\nONBUILD run x\n",
        );
        // A keyword split by a continuation is left alone.
        check("FROM a\nru\\\nn x\n", "FROM a\nru\\\nn x\n");
    }

    #[test]
    fn trailing_blanks() {
        check(
            "# syntax=docker/dockerfile:1  \n# c \t\nFROM a  \n\n  \t\nRUN a \\ \t\n  b   \\  \n  c  \r\n",
            "# syntax=docker/dockerfile:1\n# c\nFROM a\n\n\nRUN a \\\n  b   \\\n  c\r\n",
        );
        // Blank continuation lines and comment lines inside a continuation.
        check("RUN a \\\n   \n # x  \n b\n", "RUN a \\\n\n # x\n b\n");
        // Spaces before the escape are command text.
        check("RUN echo a   \\\n b\n", "RUN echo a   \\\n b\n");
        // Blanks after a lone CR stay: trimming them would make a CRLF (fuzz finding).
        check("CMD [\t\r\t\nRUN x \t\r\n", "CMD [\t\r\t\nRUN x\r\n");
    }

    #[test]
    fn heredocs_untouched() {
        let text = "from a\nRUN <<EOF  \nbody  \n\tEOF  \nEOF\nrun <<-X cat  \n\tx \t\n\tX\n";
        check(
            text,
            "from a\nrun <<EOF\nbody  \n\tEOF  \nEOF\nrun <<-X cat\n\tx \t\n\tX\n",
        );
        // Unterminated: the body runs to the end of the file.
        check("RUN <<EOF\na  \n", "RUN <<EOF\na  \n");
    }

    #[test]
    fn escape_directive_files() {
        let text = "# escape=`  \nFROM a\nRUN dir c:\\  \nRUN a `  \n  b  \n";
        check(text, "# escape=`\nFROM a\nRUN dir c:\\\nRUN a `\n  b\n");
        let p = parse(&fmt(text));
        assert_eq!(p.escape(), '`');
        assert_eq!(p.entry_count(), 3);
    }

    #[test]
    fn cjk_and_emoji() {
        check(
            "FROM a\nlabel 说明=\"日本語 🐳\"  \nRUN echo 🐳 \\ \n  ✓  \n",
            "FROM a\nLABEL 说明=\"日本語 🐳\"\nRUN echo 🐳 \\\n  ✓\n",
        );
    }

    /// Found by the `format` fuzz target: re-indenting a continuation line that continues
    /// a word (the keyword here) split the word and changed the instruction.
    #[test]
    fn reindent_never_splits_a_word() {
        let text = "FR\\\nOM alpine\nRUN ec\\\nho hi \\\nthere\n";
        let out = fmt_with(text, &reindent());
        assert_eq!(out, "FR\\\nOM alpine\nRUN ec\\\nho hi \\\n    there\n");
        // A line holding only the escape joins nothing: the blank before it still counts
        // (and formatting twice equals once).
        let text = "ENV G hello \\\n\\\nworld\n";
        let once = fmt_with(text, &reindent());
        assert_eq!(once, "ENV G hello \\\n    \\\n    world\n");
        assert_eq!(fmt_with(&once, &reindent()), once);
    }

    #[test]
    fn reindent_is_opt_in() {
        let text = "  FROM a\nRUN a \\\n b \\\n\t\t# c\n   \\\n\n      d\nRUN <<EOF \\\nx\n  y\nEOF\n  RUN <<EOF\n  z\nEOF\n";
        assert_eq!(
            fmt_with(text, &reindent()),
            "FROM a\nRUN a \\\n    b \\\n    # c\n    \\\n\n    d\nRUN <<EOF \\\n    x\n  y\nEOF\nRUN <<EOF\n  z\nEOF\n"
        );
        let tabs = FormatOptions {
            insert_spaces: false,
            ..reindent()
        };
        assert_eq!(fmt_with("RUN a \\\n  b\n", &tabs), "RUN a \\\n\tb\n");
        let once = fmt_with(text, &reindent());
        assert_eq!(fmt_with(&once, &reindent()), once);
        // Off by default.
        assert_eq!(fmt("RUN a \\\n b\n"), "RUN a \\\n b\n");
    }

    #[test]
    fn range_formats_only_what_it_meets() {
        let text = "FROM a  \nrun b  \n# c  \nRUN d  \n";
        let p = parse(text);
        let start = text.find("run").map_or(0, |i| i as u32);
        let r = TextRange::new(TextSize::from(start), TextSize::from(start + 2));
        let out = apply_edits(text, &format_range(&p, r, &FormatOptions::default()));
        assert_eq!(out, "FROM a  \nRUN b\n# c  \nRUN d  \n");
        // An empty range at a comment line formats that line.
        let at = TextSize::from(text.find("# c").map_or(0, |i| i as u32));
        let out = apply_edits(
            text,
            &format_range(&p, TextRange::empty(at), &FormatOptions::default()),
        );
        assert_eq!(out, "FROM a  \nrun b  \n# c\nRUN d  \n");
    }

    #[test]
    fn on_type_indents_new_continuation_line() {
        let text = "FROM a\nRUN a \\\n\n";
        let p = parse(text);
        let offset = TextSize::from(text.len() as u32 - 1);
        assert!(format_on_type(&p, offset, '\n', &FormatOptions::default()).is_empty());
        let edits = format_on_type(&p, offset, '\n', &reindent());
        assert_eq!(apply_edits(text, &edits), "FROM a\nRUN a \\\n    \n");
        // Not after a line that does not continue.
        let text = "FROM a\nRUN a\n\n";
        let p = parse(text);
        assert!(format_on_type(&p, TextSize::from(13), '\n', &reindent()).is_empty());
        // Not inside a heredoc body.
        let text = "RUN <<EOF\na \\\n\nEOF\n";
        let p = parse(text);
        assert!(format_on_type(&p, TextSize::from(14), '\n', &reindent()).is_empty());
    }

    #[test]
    fn minimal_edits() {
        let p = parse("FROM a \nRUN b\n");
        let edits = format(&p, &FormatOptions::default());
        assert_eq!(
            edits,
            [TextEdit {
                range: TextRange::new(TextSize::from(6), TextSize::from(7)),
                new_text: String::new()
            }]
        );
    }
}
