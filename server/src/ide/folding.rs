//! Folding ranges: the directive block, build stages, multi-line instructions, heredoc bodies
//! and comment blocks.

use crate::syntax::{Parse, TextRange};

use super::text_util::{Line, is_blank_line, is_comment_line, lines, range};

/// What a fold holds (the LSP `FoldingRangeKind`s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FoldKind {
    Comment,
    Region,
}

/// A foldable block of whole lines: `start_line` stays visible, the rest folds away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    /// 0-based first and last line.
    pub start_line: u32,
    pub end_line: u32,
    /// From the start of the first line to the end of the last line's text.
    pub range: TextRange,
    pub kind: FoldKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Blank,
    Comment,
    Directive,
    /// A line of an instruction (continuations, heredoc bodies included).
    Instruction,
}

/// Every fold, sorted by start line (then by size, outer first).
pub fn folding_ranges(parse: &Parse) -> Vec<Fold> {
    let text = parse.text();
    // One pass over the lines: their kind and extent. Instructions come from the parse, the
    // lines between them are read once.
    let mut kinds: Vec<Kind> = Vec::with_capacity(parse.line_count() as usize);
    let mut spans: Vec<Line> = Vec::with_capacity(parse.line_count() as usize);
    let mut directives = parse.directives().iter().map(|d| d.line).peekable();
    let mut gap = |kinds: &mut Vec<Kind>, spans: &mut Vec<Line>, from: usize, to: usize| {
        for line in lines(text, from, to) {
            let n = kinds.len() as u32;
            let kind = if directives.next_if(|&d| d == n).is_some() {
                Kind::Directive
            } else if is_comment_line(text, line) {
                Kind::Comment
            } else if is_blank_line(text, line) {
                Kind::Blank
            } else {
                Kind::Instruction
            };
            kinds.push(kind);
            spans.push(line);
        }
    };
    let mut pos = 0;
    let mut folds = Vec::new();
    for entry in parse.entries() {
        let start = usize::from(entry.offset);
        gap(&mut kinds, &mut spans, pos, start);
        pos = start + usize::from(entry.inst.full_len);
        let first = kinds.len() as u32;
        for line in lines(text, start, pos) {
            kinds.push(Kind::Instruction);
            spans.push(line);
        }
        let last = kinds.len() as u32 - 1;
        let span = |a: u32, b: u32| range(spans[a as usize].start, spans[b as usize].content_end);
        if last > first {
            folds.push(Fold {
                start_line: first,
                end_line: last,
                range: span(first, last),
                kind: FoldKind::Region,
            });
        }
        // A heredoc folds from the line before its body (the opener's line or the previous
        // terminator) to its terminator.
        let line_of = |offset: usize| {
            let own = &spans[first as usize..=last as usize];
            first + own.partition_point(|l| l.start <= offset).saturating_sub(1) as u32
        };
        for h in &entry.inst.heredocs {
            let body = line_of(usize::from(entry.offset + h.body.start()));
            let end = h
                .terminator
                .map_or(last, |t| line_of(usize::from(entry.offset + t.start())));
            let header = body.saturating_sub(1).max(first);
            if end > header && !(header == first && end == last) {
                folds.push(Fold {
                    start_line: header,
                    end_line: end,
                    range: span(header, end),
                    kind: FoldKind::Region,
                });
            }
        }
    }
    gap(&mut kinds, &mut spans, pos, text.len());
    let span = |a: u32, b: u32| range(spans[a as usize].start, spans[b as usize].content_end);

    // Runs of comment lines (two or more) and the directive block.
    let mut i = 0;
    while i < kinds.len() {
        let k = kinds[i];
        let mut j = i;
        while j + 1 < kinds.len() && kinds[j + 1] == k {
            j += 1;
        }
        if j > i && matches!(k, Kind::Comment | Kind::Directive) {
            folds.push(Fold {
                start_line: i as u32,
                end_line: j as u32,
                range: span(i as u32, j as u32),
                kind: if k == Kind::Comment {
                    FoldKind::Comment
                } else {
                    FoldKind::Region
                },
            });
        }
        i = j + 1;
    }

    // Stages: from the FROM line to the line before the next FROM, without the blank lines
    // at the end nor the comment block that introduces the next stage.
    let froms: Vec<u32> = parse
        .entries()
        .filter(|e| e.inst.command.kind == crate::syntax::Keyword::From)
        .map(|e| e.line)
        .collect();
    for (n, &from) in froms.iter().enumerate() {
        let mut end = match froms.get(n + 1) {
            Some(&next) => {
                let mut end = next.saturating_sub(1);
                while end > from && kinds[end as usize] == Kind::Comment {
                    end -= 1;
                }
                end
            }
            None => kinds.len().saturating_sub(1) as u32,
        };
        while end > from && kinds[end as usize] == Kind::Blank {
            end -= 1;
        }
        if end > from {
            folds.push(Fold {
                start_line: from,
                end_line: end,
                range: span(from, end),
                kind: FoldKind::Region,
            });
        }
    }
    folds.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    folds.dedup_by_key(|f| (f.start_line, f.end_line));
    folds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn folds(text: &str) -> Vec<(u32, u32, FoldKind)> {
        let p = parse(text);
        let folds = folding_ranges(&p);
        for f in &folds {
            // Ranges agree with the lines.
            let start_line = text[..usize::from(f.range.start())].matches('\n').count() as u32;
            let end_line = text[..usize::from(f.range.end())].matches('\n').count() as u32;
            assert_eq!((start_line, end_line), (f.start_line, f.end_line), "{f:?}");
        }
        folds
            .into_iter()
            .map(|f| (f.start_line, f.end_line, f.kind))
            .collect()
    }

    use FoldKind::{Comment, Region};

    #[test]
    fn stages_instructions_comments_directives() {
        let text = "\
# syntax=docker/dockerfile:1
# check=skip=all
# a
# b
FROM a AS one
RUN x \\
  y

# next stage
# more
FROM one
# lone
RUN z


";
        assert_eq!(
            folds(text),
            [
                (0, 1, Region),
                (2, 3, Comment),
                (4, 6, Region),
                (5, 6, Region),
                (8, 9, Comment),
                (10, 12, Region),
            ]
        );
    }

    #[test]
    fn heredocs() {
        let text = "FROM a\nRUN <<EOF\nx\ny\nEOF\nRUN <<A cat && \\\n <<B cat\na\nA\nb\nB\n";
        assert_eq!(
            folds(text),
            [
                (0, 10, Region),
                // The instruction fold covers the single heredoc.
                (1, 4, Region),
                (5, 10, Region),
                (6, 8, Region),
                (8, 10, Region),
            ]
        );
        // Unterminated: to the end of the file.
        assert_eq!(folds("RUN <<EOF\nx\ny"), [(0, 2, Region)]);
    }

    #[test]
    fn crlf_cjk_and_escape() {
        let text = "# escape=`\r\n# 注释\r\n# 🐳\r\nFROM a\r\nRUN a `\r\n  b\r\n";
        assert_eq!(
            folds(text),
            [(1, 2, Comment), (3, 5, Region), (4, 5, Region)]
        );
        assert!(folds("").is_empty());
        assert!(folds("\n\n").is_empty());
    }
}
