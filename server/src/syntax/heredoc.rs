//! Heredoc detection on a logical line, as BuildKit's `heredocsFromLine` / `ParseHeredoc`.

use std::collections::HashMap;
use std::ops::Range;

use super::shell::Lexer;

/// A heredoc opener found on the instruction line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeredocSpec {
    pub name: String,
    pub fd: u32,
    pub chomp: bool,
    pub expand: bool,
    /// The opener word (`<<EOF`, `3<<-"END"`) in the logical line.
    pub range: Range<usize>,
}

/// Finds every heredoc opener in `line`. BuildKit always lexes this line with `\` as the
/// escape, whatever the escape directive says; a line that does not lex has no heredocs.
/// An opener whose delimiter does not lex is an error.
pub(crate) fn heredocs_from_line(line: &str) -> Result<Vec<HeredocSpec>, String> {
    let env: HashMap<String, String> = HashMap::new();
    let mut lexer = Lexer::new('\\');
    lexer.raw_quotes = true;
    lexer.raw_escapes = true;
    lexer.skip_unset_env = true;
    let Ok(words) = lexer.process_words(line, &env) else {
        return Ok(Vec::new());
    };
    let mut specs = Vec::new();
    let mut search_from = 0;
    for word in words {
        let Some((fd, chomp, rest)) = match_opener(&word) else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let Some((name, expand)) = delimiter(rest)? else {
            continue;
        };
        // The raw words reproduce the source text, so the opener is found by searching.
        let range = match line[search_from..].find(word.as_str()) {
            Some(i) => search_from + i..search_from + i + word.len(),
            None => search_from..search_from,
        };
        search_from = range.end;
        specs.push(HeredocSpec {
            name,
            fd,
            chomp,
            expand,
            range,
        });
    }
    Ok(specs)
}

/// `^(\d*)<<(-?)\s*([^<]*)$` (Go's `\s` is ASCII).
fn match_opener(word: &str) -> Option<(u32, bool, &str)> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let after = word[digits..].strip_prefix("<<")?;
    let (chomp, after) = match after.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, after),
    };
    let rest = after.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
    if rest.contains('<') {
        return None;
    }
    // Go's ParseUint error (overflow) leaves 0.
    let fd = word[..digits].parse::<u32>().unwrap_or(0);
    Some((fd, chomp, rest))
}

/// The delimiter word: must lex to exactly one word; quoting any part turns expansion off.
fn delimiter(rest: &str) -> Result<Option<(String, bool)>, String> {
    let env: HashMap<String, String> = HashMap::new();
    let mut lexer = Lexer::new('\\');
    lexer.skip_unset_env = true;
    let words = lexer
        .process_words(rest, &env)
        .map_err(|e| e.buildkit_message(rest))?;
    if words.len() != 1 {
        return Ok(None);
    }
    lexer.raw_quotes = true;
    let raw_words = lexer
        .process_words(rest, &env)
        .map_err(|e| e.buildkit_message(rest))?;
    if raw_words.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let quotes = |w: &str| w.matches(['\'', '"']).count();
    let expand = quotes(&words[0]) == quotes(&raw_words[0]);
    Ok(Some((words[0].clone(), expand)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<(String, u32, bool, bool)> {
        heredocs_from_line(line)
            .unwrap_or_default()
            .into_iter()
            .map(|h| (h.name, h.fd, h.chomp, h.expand))
            .collect()
    }

    #[test]
    fn openers() {
        assert_eq!(names("RUN <<EOF"), [("EOF".into(), 0, false, true)]);
        assert_eq!(names("RUN 3<<-'E O' cat"), [("E O".into(), 3, true, false)]);
        assert_eq!(
            names("RUN <<A cat >a && <<B cat >b"),
            [("A".into(), 0, false, true), ("B".into(), 0, false, true)]
        );
        assert_eq!(names("RUN << EOF"), [("EOF".into(), 0, false, true)]);
        assert_eq!(
            names("COPY <<E\"O\"F /x"),
            [("EOF".into(), 0, false, false)]
        );
        assert!(names("RUN echo \"<<EOF\"").is_empty());
        assert!(names("RUN a<<EOF").is_empty());
        assert!(names("RUN echo 'unterminated <<EOF").is_empty());
    }

    #[test]
    fn opener_ranges() {
        let specs = heredocs_from_line("RUN <<A cat && <<-B x").unwrap_or_default();
        assert_eq!(specs[0].range, 4..7);
        assert_eq!(specs[1].range, 15..19);
    }
}
