//! One logical line → keyword, flags and argument nodes, following BuildKit's
//! `splitCommand`, `extractBuilderFlags` and the per-keyword line parsers, with the
//! logical-line byte range of every piece kept so the editor can point at it.

use std::ops::Range;

use smol_str::SmolStr;

use super::go;
use super::json::{JsonArgs, parse_json_args};

/// Where a parse error came from, so later layers can present it well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A physical line of 64 KiB or more.
    LineTooLong,
    /// `# escape=` with something other than `\` or a backtick.
    InvalidEscape,
    /// A parser directive given twice.
    DuplicateDirective,
    /// Only comments and blank lines.
    NoInstructions,
    /// `ENV KEY` / `LABEL KEY` with no value.
    MissingValue,
    /// `ENV a=1 b`: a word without `=` in the `key=value` form.
    MissingEquals,
    /// A JSON array with an element that is not a string.
    JsonNotStrings,
    /// A heredoc whose terminator never comes.
    UnterminatedHeredoc,
    /// A heredoc word that does not lex (e.g. an unbalanced quote).
    InvalidHeredoc,
    /// The file was not valid UTF-8 (reported at the first invalid byte).
    InvalidUtf8,
}

/// A parse error inside one logical line, in logical-line byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawError {
    pub code: ErrorCode,
    pub message: String,
    pub range: Range<usize>,
}

/// One `--flag` word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawFlag {
    /// The word after quote and escape removal, exactly as BuildKit stores it.
    pub text: SmolStr,
    /// The raw word in the logical line.
    pub range: Range<usize>,
    /// Where the `=` that separates name and value sits in the logical line.
    pub eq: Option<usize>,
}

/// One node of BuildKit's argument chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawNode {
    pub value: SmolStr,
    /// `None` for synthetic nodes (the `=`/`""` separator of ENV/LABEL, unknown instructions).
    pub range: Option<Range<usize>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct RawCommand {
    pub keyword: SmolStr,
    pub keyword_range: Range<usize>,
    pub flags: Vec<RawFlag>,
    /// The argument text after the flags, trimmed.
    pub args_range: Range<usize>,
    pub nodes: Vec<RawNode>,
    pub json: bool,
    /// The instruction an ONBUILD wraps.
    pub trigger: Option<Box<RawCommand>>,
    pub error: Option<RawError>,
}

/// Parses `line[range]` (a logical line or the rest of an ONBUILD) as BuildKit's
/// `newNodeFromLine` does. Offsets in the result are offsets into `line`.
pub(crate) fn parse_command(line: &str, range: Range<usize>, escape: u8) -> RawCommand {
    let whole = &line[range.clone()];
    let trimmed = go::trim_space(whole);
    let t0 = range.start + trimmed.as_ptr() as usize - whole.as_ptr() as usize;
    let (keyword, rest) = go::split_whitespace_once(trimmed);
    let mut cmd = RawCommand {
        keyword: SmolStr::new(keyword),
        keyword_range: t0..t0 + keyword.len(),
        args_range: t0 + trimmed.len()..t0 + trimmed.len(),
        ..RawCommand::default()
    };
    if let Some((rest_offset, rest_text)) = rest {
        let rest_start = t0 + rest_offset;
        let (args_offset, flags) = extract_flags(rest_text, rest_start, escape);
        cmd.flags = flags;
        let args_text = &rest_text[args_offset..];
        let args_trimmed = go::trim_space(args_text);
        let a0 = rest_start
            + args_offset
            + (args_trimmed.as_ptr() as usize - args_text.as_ptr() as usize);
        cmd.args_range = a0..a0 + args_trimmed.len();
    }
    let args = &line[cmd.args_range.clone()];
    let a0 = cmd.args_range.start;
    match keyword.to_ascii_lowercase().as_str() {
        "add" | "copy" | "volume" => maybe_json_to_list(&mut cmd, args, a0),
        "run" | "cmd" | "entrypoint" | "shell" => maybe_json(&mut cmd, args, a0),
        "arg" => {
            cmd.nodes = words(args, escape)
                .into_iter()
                .map(node_at(args, a0))
                .collect()
        }
        "env" => name_val(&mut cmd, args, a0, escape, "ENV"),
        "label" => name_val(&mut cmd, args, a0, escape, "LABEL"),
        "expose" | "from" => whitespace_list(&mut cmd, args, a0),
        "healthcheck" => health_config(&mut cmd, args, a0),
        "maintainer" | "stopsignal" | "user" | "workdir" => {
            if !args.is_empty() {
                cmd.nodes.push(RawNode {
                    value: SmolStr::new(args),
                    range: Some(cmd.args_range.clone()),
                });
            }
        }
        "onbuild" => {
            if !args.is_empty() {
                let trigger = parse_command(line, cmd.args_range.clone(), escape);
                cmd.error = trigger.error.clone();
                cmd.trigger = Some(Box::new(trigger));
            }
        }
        _ => cmd.nodes.push(RawNode {
            value: SmolStr::default(),
            range: None,
        }),
    }
    cmd
}

fn node_at(text: &str, base: usize) -> impl Fn(Range<usize>) -> RawNode + '_ {
    move |r: Range<usize>| RawNode {
        value: SmolStr::new(&text[r.clone()]),
        range: Some(base + r.start..base + r.end),
    }
}

/// BuildKit's `extractBuilderFlags`. It reads bytes as Latin-1 runes, so non-ASCII text in a
/// flag comes out re-encoded; we do the same for byte-identical results. Returns the offset
/// (in `text`) where the arguments start, and the flags.
fn extract_flags(text: &str, base: usize, escape: u8) -> (usize, Vec<RawFlag>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(u8),
    }
    let bytes = text.as_bytes();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut eq: Option<usize> = None;
    let mut blank_ok = false;
    let mut pos = 0;
    let mut push =
        |word: &mut String, start: usize, end: usize, eq: &mut Option<usize>, blank_ok: bool| {
            if blank_ok || !word.is_empty() {
                flags.push(RawFlag {
                    text: SmolStr::new(word.as_str()),
                    range: base + start..base + end,
                    eq: eq.map(|e| base + e),
                });
            }
            word.clear();
            *eq = None;
        };
    while pos <= bytes.len() {
        let at_end = pos == bytes.len();
        if phase == Phase::Spaces {
            if at_end {
                break;
            }
            let ch = bytes[pos];
            if go::is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == bytes.len() || bytes[pos + 1] != b'-' {
                return (char_boundary(text, pos), flags);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if at_end {
            if word != "--" {
                push(&mut word, word_start, pos, &mut eq, blank_ok);
            }
            return (bytes.len(), flags);
        }
        let mut ch = bytes[pos];
        match phase {
            // The Spaces phase has just become Word above.
            Phase::Word | Phase::Spaces => {
                if go::is_space_byte(ch) {
                    if word == "--" {
                        return (char_boundary(text, pos), flags);
                    }
                    push(
                        &mut word,
                        word_start,
                        char_boundary(text, pos),
                        &mut eq,
                        blank_ok,
                    );
                    blank_ok = false;
                    phase = Phase::Spaces;
                    pos += 1;
                    continue;
                }
                if ch == b'\'' || ch == b'"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                    pos += 1;
                    continue;
                }
                if ch == escape {
                    if pos + 1 == bytes.len() {
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    ch = bytes[pos];
                }
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                    pos += 1;
                    continue;
                }
                if ch == escape {
                    if pos + 1 == bytes.len() {
                        phase = Phase::Word;
                        pos += 1;
                        continue;
                    }
                    pos += 1;
                    ch = bytes[pos];
                }
            }
        }
        if ch == b'=' && eq.is_none() {
            eq = Some(pos);
        }
        word.push(ch as char);
        pos += 1;
    }
    (bytes.len(), flags)
}

/// The first character boundary at or after `at`. BuildKit's byte scanners treat the UTF-8
/// continuation bytes 0x85 and 0xA0 as spaces and can split a character there; we keep our
/// ranges on whole characters instead.
fn char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// BuildKit's `parseWords`: splits on whitespace, keeping quotes and escapes in the words.
/// Returns byte ranges into `text`; every word is a contiguous slice, except that an escape
/// character at the very end of the text is dropped (it is outside the returned range).
pub(crate) fn words(text: &str, escape: u8) -> Vec<Range<usize>> {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote(char),
    }
    let escape = escape as char;
    let mut result = Vec::new();
    let mut phase = Phase::Spaces;
    let mut start = 0;
    let mut end = 0; // end of the word text written so far
    let mut blank_ok = false;
    let mut chars = text.char_indices().peekable();
    loop {
        let Some((pos, ch)) = chars.next() else {
            if phase != Phase::Spaces && (blank_ok || end > start) {
                result.push(start..end);
            }
            return result;
        };
        let width = ch.len_utf8();
        if phase == Phase::Spaces {
            if go::is_space(ch) {
                continue;
            }
            phase = Phase::Word;
            start = pos;
            end = pos;
        }
        match phase {
            Phase::Word => {
                if go::is_space(ch) {
                    if blank_ok || end > start {
                        result.push(start..end);
                    }
                    phase = Phase::Spaces;
                    blank_ok = false;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                }
                if ch == escape {
                    if pos + width == text.len() {
                        continue; // an escape at the very end is dropped
                    }
                    if let Some((next_pos, next)) = chars.next() {
                        end = next_pos + next.len_utf8();
                        continue;
                    }
                }
                end = pos + width;
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                }
                if ch == escape && quote != '\'' {
                    if pos + width == text.len() {
                        phase = Phase::Word;
                        continue;
                    }
                    if let Some((next_pos, next)) = chars.next() {
                        end = next_pos + next.len_utf8();
                        continue;
                    }
                }
                end = pos + width;
            }
            Phase::Spaces => {}
        }
    }
}

fn whitespace_list(cmd: &mut RawCommand, args: &str, a0: usize) {
    if args.is_empty() {
        return;
    }
    cmd.nodes = go::split_whitespace_ranges(args)
        .into_iter()
        .map(|(s, e)| RawNode {
            value: SmolStr::new(&args[s..e]),
            range: Some(a0 + s..a0 + e),
        })
        .collect();
}

fn json_nodes(values: Vec<(String, Range<usize>)>, base: usize) -> Vec<RawNode> {
    values
        .into_iter()
        .map(|(value, r)| RawNode {
            value: SmolStr::new(value),
            range: Some(base + r.start..base + r.end),
        })
        .collect()
}

fn not_strings_error(range: Range<usize>) -> RawError {
    RawError {
        code: ErrorCode::JsonNotStrings,
        message: "when using JSON array syntax, arrays must be comprised of strings only".into(),
        range,
    }
}

/// `parseMaybeJSON`: RUN, CMD, ENTRYPOINT, SHELL (and HEALTHCHECK's command).
fn maybe_json(cmd: &mut RawCommand, args: &str, a0: usize) {
    if args.is_empty() {
        return;
    }
    match parse_json_args(args) {
        JsonArgs::Strings(values) => {
            cmd.nodes.extend(json_nodes(values, a0));
            cmd.json = true;
        }
        JsonArgs::NonString(r) => cmd.error = Some(not_strings_error(a0 + r.start..a0 + r.end)),
        JsonArgs::NotJson => cmd.nodes.push(RawNode {
            value: SmolStr::new(args),
            range: Some(a0..a0 + args.len()),
        }),
    }
}

/// `parseMaybeJSONToList`: ADD, COPY, VOLUME.
fn maybe_json_to_list(cmd: &mut RawCommand, args: &str, a0: usize) {
    match parse_json_args(args) {
        JsonArgs::Strings(values) => {
            cmd.nodes = json_nodes(values, a0);
            cmd.json = true;
        }
        JsonArgs::NonString(r) => cmd.error = Some(not_strings_error(a0 + r.start..a0 + r.end)),
        JsonArgs::NotJson => whitespace_list(cmd, args, a0),
    }
}

/// `parseNameVal`: ENV and LABEL, in the `k=v` form or the legacy `k rest of line` form.
fn name_val(cmd: &mut RawCommand, args: &str, a0: usize, escape: u8, keyword: &str) {
    let word_ranges = words(args, escape);
    let Some(first) = word_ranges.first() else {
        return;
    };
    if !args[first.clone()].contains('=') {
        match go::split_whitespace_once(args) {
            (key, Some((value_offset, value))) => {
                cmd.nodes = vec![
                    RawNode {
                        value: SmolStr::new(key),
                        range: Some(a0..a0 + key.len()),
                    },
                    RawNode {
                        value: SmolStr::new(value),
                        range: Some(a0 + value_offset..a0 + args.len()),
                    },
                    RawNode {
                        value: SmolStr::default(),
                        range: None,
                    },
                ];
            }
            (key, None) => {
                cmd.nodes = vec![RawNode {
                    value: SmolStr::new(key),
                    range: Some(a0..a0 + key.len()),
                }];
                cmd.error = Some(RawError {
                    code: ErrorCode::MissingValue,
                    message: format!("{keyword} must have two arguments"),
                    range: a0..a0 + args.len(),
                });
            }
        }
        return;
    }
    for r in word_ranges {
        let word = &args[r.clone()];
        let Some(eq) = word.find('=') else {
            if cmd.error.is_none() {
                cmd.error = Some(RawError {
                    code: ErrorCode::MissingEquals,
                    message: format!(
                        "Syntax error - can't find = in {}. Must be of the form: name=value",
                        go::quote(word)
                    ),
                    range: a0 + r.start..a0 + r.end,
                });
            }
            // Keep the word as a key without value so the editor can still see it.
            cmd.nodes.push(RawNode {
                value: SmolStr::new(word),
                range: Some(a0 + r.start..a0 + r.end),
            });
            cmd.nodes.push(RawNode {
                value: SmolStr::default(),
                range: None,
            });
            cmd.nodes.push(RawNode {
                value: SmolStr::default(),
                range: None,
            });
            continue;
        };
        let key_end = a0 + r.start + eq;
        cmd.nodes.push(RawNode {
            value: SmolStr::new(&word[..eq]),
            range: Some(a0 + r.start..key_end),
        });
        cmd.nodes.push(RawNode {
            value: SmolStr::new(&word[eq + 1..]),
            range: Some(key_end + 1..a0 + r.end),
        });
        cmd.nodes.push(RawNode {
            value: SmolStr::new_static("="),
            range: None,
        });
    }
}

/// `parseHealthConfig`: the type word (`CMD`, `NONE`, …), then the rest like `parseMaybeJSON`.
/// BuildKit scans bytes here, so we split where it splits.
fn health_config(cmd: &mut RawCommand, args: &str, a0: usize) {
    let bytes = args.as_bytes();
    let sep = bytes
        .iter()
        .position(|&b| go::is_space_byte(b))
        .unwrap_or(bytes.len());
    if sep == 0 {
        return;
    }
    let next = bytes[sep..]
        .iter()
        .position(|&b| !go::is_space_byte(b))
        .map_or(bytes.len(), |p| sep + p);
    cmd.nodes.push(RawNode {
        value: SmolStr::new(String::from_utf8_lossy(&bytes[..sep])),
        range: Some(a0..a0 + sep),
    });
    let mut next = next;
    while !args.is_char_boundary(next) {
        next += 1;
    }
    maybe_json(cmd, &args[next..], a0 + next);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(line: &str) -> RawCommand {
        parse_command(line, 0..line.len(), b'\\')
    }

    fn values(c: &RawCommand) -> Vec<&str> {
        c.nodes.iter().map(|n| n.value.as_str()).collect()
    }

    #[test]
    fn keyword_flags_and_args() {
        let c = cmd("  COPY --from=build --chown=1:1 a b ");
        assert_eq!(c.keyword, "COPY");
        assert_eq!(c.keyword_range, 2..6);
        let flags: Vec<_> = c.flags.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(flags, ["--from=build", "--chown=1:1"]);
        assert_eq!(c.flags[0].range, 7..19);
        assert_eq!(c.flags[0].eq, Some(13));
        assert_eq!(values(&c), ["a", "b"]);
        assert_eq!(c.nodes[1].range, Some(34..35));
    }

    #[test]
    fn flags_quotes_and_terminator() {
        let c = cmd(r#"RUN --x="a b" -- --y"#);
        assert_eq!(c.flags[0].text, "--x=a b");
        assert_eq!(values(&c), ["--y"]);
        let c = cmd("CMD --doit -- [ ]");
        assert_eq!(c.flags.len(), 1);
        assert!(c.json && c.nodes.is_empty());
        let c = cmd("COPY --");
        assert!(c.flags.is_empty());
        let c = cmd("COPY --x=é a b");
        assert_eq!(c.flags[0].text, "--x=\u{c3}\u{a9}");
    }

    #[test]
    fn env_forms() {
        let c = cmd(r#"ENV a=1 b="x y""#);
        assert_eq!(values(&c), ["a", "1", "=", "b", "\"x y\"", "="]);
        assert_eq!(c.nodes[4].range, Some(10..15));
        let c = cmd("ENV a b  c");
        assert_eq!(values(&c), ["a", "b  c", ""]);
        let c = cmd("ENV PATH");
        assert_eq!(
            c.error.as_ref().map(|e| e.code),
            Some(ErrorCode::MissingValue)
        );
        let c = cmd("ENV a=1 b");
        assert_eq!(
            c.error.as_ref().map(|e| e.message.as_str()),
            Some("Syntax error - can't find = in \"b\". Must be of the form: name=value")
        );
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let text = r#"a\ b "c d" 'e\' f\"#;
        let w: Vec<_> = words(text, b'\\').into_iter().map(|r| &text[r]).collect();
        assert_eq!(w, [r"a\ b", r#""c d""#, r"'e\'", "f"]);
        let text = r#""" x"#;
        let w: Vec<_> = words(text, b'\\').into_iter().map(|r| &text[r]).collect();
        assert_eq!(w, [r#""""#, "x"]);
    }

    #[test]
    fn healthcheck_and_onbuild() {
        let c = cmd("HEALTHCHECK --retries=3 CMD [\"x\"]");
        assert_eq!(values(&c), ["CMD", "x"]);
        assert!(c.json);
        let c = cmd("HEALTHCHECK CONNECT TCP 7000");
        assert_eq!(values(&c), ["CONNECT", "TCP 7000"]);
        let c = cmd("ONBUILD COPY --from=x a b");
        let t = c
            .trigger
            .as_ref()
            .map(|t| (t.keyword.clone(), t.flags.len(), values(t).len()));
        assert_eq!(t, Some(("COPY".into(), 1, 2)));
    }

    #[test]
    fn bytes_that_look_like_spaces_never_split_ranges() {
        // U+20000 is F0 A0 80 80 and U+2020 is E2 80 A0: BuildKit sees the 0xA0 as a space.
        for line in [
            "RUN --a=\"\"𠀀 x",
            "RUN --x=†y z",
            "RUN -- 𠀀",
            "COPY --from=建置 a b",
        ] {
            let c = cmd(line);
            for f in &c.flags {
                assert!(line.is_char_boundary(f.range.start) && line.is_char_boundary(f.range.end));
            }
            assert!(line.is_char_boundary(c.args_range.start), "{line}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_line_parses_without_panic(line in r#"(RUN|COPY|ONBUILD|HEALTHCHECK|ENV|ARG) [-="' a-z\\\x{80}-\x{2FFFF}]{0,30}"#) {
            let c = cmd(&line);
            for f in &c.flags {
                proptest::prop_assert!(line.is_char_boundary(f.range.start) && line.is_char_boundary(f.range.end));
            }
        }
    }

    #[test]
    fn unknown_and_empty() {
        let c = cmd("FOO bar");
        assert_eq!(values(&c), [""]);
        let c = cmd("CMD");
        assert!(c.nodes.is_empty());
        let c = cmd("CMD [\"a\", 1]");
        assert_eq!(
            c.error.as_ref().map(|e| e.code),
            Some(ErrorCode::JsonNotStrings)
        );
    }
}
