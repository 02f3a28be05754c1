//! Re-parsing after an edit: only the instructions the edit touches are read again; every
//! other instruction is reused (its data is position-independent) and moved. The result is
//! identical to a full parse of the new text (a property test checks it).

use std::sync::{Arc, OnceLock};

use rowan::{TextRange, TextSize};

use super::parser::{Parser, line_too_long, no_instructions};
use super::{ErrorCode, Parse, StoredEntry};

/// One replacement, in the coordinates of the text before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub insert: String,
}

impl TextEdit {
    /// Applies the edit to `text` (which must be the text it was made for).
    pub fn apply(&self, text: &str) -> String {
        let (start, end) = (
            usize::from(self.range.start()),
            usize::from(self.range.end()),
        );
        let mut out = String::with_capacity(text.len() + self.insert.len() - (end - start));
        out.push_str(&text[..start]);
        out.push_str(&self.insert);
        out.push_str(&text[end..]);
        out
    }
}

impl Parse {
    /// The parse of `new_text`, which is this parse's text with `edit` applied.
    pub fn reparse(&self, new_text: &str, edit: &TextEdit) -> Parse {
        let edit_start = usize::from(edit.range.start());
        let old_len = self.text.len();
        let removed = usize::from(edit.range.len());
        let valid = usize::from(edit.range.end()) <= old_len
            && new_text.len() + removed == old_len + edit.insert.len();
        if !valid || edit.range.start() < self.directive_scan_end {
            return super::parse(new_text);
        }
        // Restart after the last instruction the edit cannot touch (BuildKit forgets the
        // comment block after each instruction, so no state carries over from before it).
        let bytes = self.text.as_bytes();
        // An instruction that runs to the end of the file may be open (a continuation or an
        // unterminated heredoc) and take in what is appended, so it is never kept.
        let keep = self.entries.partition_point(|e| {
            let end = usize::from(e.offset + e.inst.full_len);
            end < old_len
                && (end < edit_start || (end == edit_start && bytes.get(end - 1) == Some(&b'\n')))
        });
        let Some(last_kept) = keep.checked_sub(1).map(|i| &self.entries[i]) else {
            return super::parse(new_text);
        };
        let restart = usize::from(last_kept.offset + last_kept.inst.full_len);
        let restart_line = last_kept.line + last_kept.inst.line_count;

        let delta = edit.insert.len() as isize - removed as isize;
        let edited_end_new = edit_start + edit.insert.len();
        let old_entries = &self.entries;
        let mut parser =
            Parser::new(new_text, restart, restart_line).without_directives(self.escape);
        // Stop at the first old instruction past the edit that starts at the same (moved)
        // place with the same comment block: from there on, everything is as before.
        let mut resumed_from = None;
        parser.resync = Some(Box::new(|start: usize, comments: &[String]| {
            if start < edited_end_new {
                return false;
            }
            let old_start = (start as isize - delta) as usize;
            let j =
                old_entries[keep..].partition_point(|e| usize::from(e.offset) < old_start) + keep;
            match old_entries.get(j) {
                Some(e) if usize::from(e.offset) == old_start && e.inst.comments == comments => {
                    resumed_from = Some(j);
                    true
                }
                _ => false,
            }
        }));
        parser.run();
        let region = std::mem::take(&mut parser.entries);
        let resynced_at = parser.resynced_at;
        let region_long_lines = std::mem::take(&mut parser.lines.too_long);
        let end_line_count = parser.lines.count;
        drop(parser);

        // The old count, less the instructions the region replaced, plus the region's.
        let replaced = match (resynced_at, resumed_from) {
            (Some(_), Some(j)) => self.entries.get(keep..j).unwrap_or_default(),
            _ => &self.entries[keep..],
        };
        let entries_with_errors = (self.entries_with_errors + super::count_with_errors(&region))
            .saturating_sub(super::count_with_errors(replaced));
        let mut entries = Vec::with_capacity(self.entries.len() + region.len());
        entries.extend_from_slice(&self.entries[..keep]);
        entries.extend(region);
        let region_end_new = resynced_at.map_or(new_text.len(), |(at, _)| at);
        let line_count = match (resynced_at, resumed_from) {
            (Some((_, line)), Some(j)) => {
                let line_delta = line as i64 - self.entries[j].line as i64;
                entries.extend(self.entries[j..].iter().map(|e| StoredEntry {
                    offset: shift(e.offset, delta),
                    line: (e.line as i64 + line_delta) as u32,
                    inst: Arc::clone(&e.inst),
                }));
                (self.line_count as i64 + line_delta) as u32
            }
            _ => end_line_count,
        };

        // File-level errors: the region's long lines are new; others are kept or moved.
        let region_end_old = (region_end_new as isize - delta) as usize;
        let mut errors = Vec::with_capacity(self.errors.len());
        for e in &self.errors {
            let at = usize::from(e.range.start());
            match e.code {
                ErrorCode::NoInstructions => {}
                _ if at < restart => errors.push(e.clone()),
                ErrorCode::LineTooLong if at >= region_end_old && resynced_at.is_some() => {
                    errors.push(super::SyntaxError {
                        range: TextRange::new(
                            shift(e.range.start(), delta),
                            shift(e.range.end(), delta),
                        ),
                        ..e.clone()
                    });
                }
                ErrorCode::LineTooLong => {}
                _ => errors.push(e.clone()),
            }
        }
        errors.extend(region_long_lines.iter().map(|&(s, e)| line_too_long(s, e)));
        if entries.is_empty() {
            errors.push(no_instructions());
        }
        errors.sort_by_key(|e| e.range.start());

        Parse {
            text: Arc::from(new_text),
            green: OnceLock::new(),
            entries,
            directives: self.directives.clone(),
            errors,
            entries_with_errors,
            escape: self.escape,
            line_count,
            directive_scan_end: self.directive_scan_end,
            id: super::next_parse_id(),
            base: Some(self.id),
        }
    }
}

fn shift(offset: TextSize, delta: isize) -> TextSize {
    TextSize::from((u32::from(offset) as isize + delta) as u32)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::syntax::parse;

    fn check(text: &str, start: usize, end: usize, insert: &str) {
        let edit = TextEdit {
            range: TextRange::new((start as u32).into(), (end as u32).into()),
            insert: insert.to_string(),
        };
        let new_text = edit.apply(text);
        let incremental = parse(text).reparse(&new_text, &edit);
        let full = parse(&new_text);
        assert_same(&incremental, &full, &new_text);
    }

    fn assert_same(a: &Parse, b: &Parse, text: &str) {
        assert_eq!(a.entries, b.entries, "entries differ for {text:?}");
        assert_eq!(a.errors, b.errors, "errors differ for {text:?}");
        assert_eq!(
            a.entries_with_errors, b.entries_with_errors,
            "instructions with errors differ for {text:?}"
        );
        assert_eq!(a.errors(), b.errors(), "all errors differ for {text:?}");
        assert_eq!(
            a.line_count, b.line_count,
            "line count differs for {text:?}"
        );
        assert_eq!(a.directives, b.directives);
        assert_eq!(a.syntax().to_string(), text);
    }

    #[test]
    fn edits_that_change_structure() {
        let text = "FROM a\n# c\nRUN x \\\n  y\nRUN <<EOF\nbody\nEOF\nENV A=1\n";
        // Typing in a RUN.
        check(text, 22, 22, "z");
        // Adding a continuation that swallows the next line.
        check(text, 6, 6, " \\");
        // Removing a continuation.
        check(text, 19, 20, "");
        // Breaking a heredoc terminator: the body runs to the end.
        check(text, 39, 40, "X");
        // Editing the comment block above an instruction.
        check(text, 9, 10, "d");
        // Deleting everything after the first line.
        check(text, 7, text.len(), "");
        // Appending at the end without a newline.
        check("FROM a\nRUN b", 12, 12, "c");
        // Inside the directive block.
        check("# escape=`\nFROM a\nRUN x `\n y\n", 9, 10, "\\");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn any_edit_matches_a_full_parse(
            lines in proptest::collection::vec(
                prop_oneof![
                    Just("FROM alpine AS b"), Just("RUN <<EOF cat"), Just("RUN <<-A <<B"),
                    Just("EOF"), Just("\tA"), Just("B"), Just("# escape=`"), Just("# c"),
                    Just("ENV a=1 \\"), Just("  \\"), Just("`"), Just(""), Just("   "),
                    Just("COPY --from=b /x /y"), Just("ONBUILD RUN x"), Just("#"),
                ],
                0..25,
            ),
            at in 0usize..400, len in 0usize..20,
            insert in prop_oneof![
                Just(String::new()), Just("\n".to_string()), Just("\\".to_string()),
                Just("`".to_string()), Just("#".to_string()), Just("EOF\n".to_string()),
                Just("x".to_string()), Just("RUN a \\\n".to_string()), Just("<<EOF".to_string()),
                "[ -~\n\t]{0,8}",
            ],
        ) {
            let text = lines.join("\n");
            let start = at.min(text.len());
            let end = (start + len).min(text.len());
            let edit = TextEdit {
                range: TextRange::new((start as u32).into(), (end as u32).into()),
                insert: insert.to_string(),
            };
            let new_text = edit.apply(&text);
            let incremental = parse(&text).reparse(&new_text, &edit);
            let full = parse(&new_text);
            prop_assert_eq!(&incremental.entries, &full.entries);
            prop_assert_eq!(&incremental.errors, &full.errors);
            prop_assert_eq!(incremental.line_count, full.line_count);
        }
    }
}
