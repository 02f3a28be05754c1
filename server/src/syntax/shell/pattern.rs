//! The glob patterns of `${v#p}`, `${v%p}` and `${v/p/r}`, done the way BuildKit does them: the
//! pattern becomes a regular expression (`?` is one character, `*` any run, `\` escapes `*`, `?`
//! and `\`; there are no bracket expressions), and suffix removal runs a prefix search over the
//! reversed pattern and value.

use regex::Regex;

use super::gochar::{is_digit, is_letter};

/// A pattern that does not convert. `pattern` is the text BuildKit names in its message (for `%`
/// that is the *reversed* pattern, as BuildKit reports it).
pub(super) struct PatternError {
    pub pattern: String,
    pub reason: String,
}

/// The regular expression for a glob, or BuildKit's reason for rejecting it.
pub(super) fn glob_to_regex(pattern: &str, greedy: bool, anchored: bool) -> Result<String, String> {
    // Go's text/scanner, which BuildKit reads the pattern with, drops a leading byte-order mark.
    let pattern = pattern.strip_prefix('\u{FEFF}').unwrap_or(pattern);
    let mut out = String::with_capacity(pattern.len() + 4);
    if anchored {
        out.push('^');
    }
    let star = if greedy { ".*" } else { ".*?" };
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str(star),
            '?' => out.push('.'),
            '\\' => match chars.peek().copied() {
                // `\}` and `\/` only protect the delimiters of `${…}`: the backslash is dropped and
                // the character is handled on the next turn.
                Some('}' | '/') => {}
                Some(e @ ('*' | '?' | '\\')) => {
                    chars.next();
                    out.push('\\');
                    out.push(e);
                }
                Some(e) => return Err(format!("invalid escape '\\{e}'")),
                // Go formats its end-of-input rune with %c, which prints U+FFFD.
                None => return Err("invalid escape '\\\u{FFFD}'".to_owned()),
            },
            '[' | ']' | '{' | '}' | '.' | '+' | '(' | ')' | '|' | '^' | '$' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

fn compile(pattern: &str, greedy: bool, anchored: bool) -> Result<Regex, PatternError> {
    let err = |reason: String| PatternError {
        pattern: pattern.to_owned(),
        reason,
    };
    let source = glob_to_regex(pattern, greedy, anchored).map_err(err)?;
    Regex::new(&source).map_err(|e| err(e.to_string()))
}

/// Reverses a pattern but keeps each `\x` pair in order (`a\*c` → `c\*a`), so that the reversed
/// pattern matches the reversed value.
pub(super) fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let n = chars.len();
    let mut out = chars.clone();
    let mut i = 0;
    while i < n {
        let o = n - 1 - i;
        if chars[i] == '\\' && i + 1 < n {
            // i + 1 < n means o >= 1.
            out[o - 1] = '\\';
            out[o] = chars[i + 1];
            i += 2;
        } else {
            out[o] = chars[i];
            i += 1;
        }
    }
    out.into_iter().collect()
}

fn reverse(s: &str) -> String {
    s.chars().rev().collect()
}

/// `${v#p}` (`greedy` for `##`).
pub(super) fn trim_prefix(
    pattern: &str,
    value: &str,
    greedy: bool,
) -> Result<String, PatternError> {
    let re = compile(pattern, greedy, true)?;
    Ok(match re.find(value) {
        Some(m) => value[m.end()..].to_owned(),
        None => value.to_owned(),
    })
}

/// `${v%p}` (`greedy` for `%%`). A regex cannot find the shortest match ending at the right, so
/// BuildKit searches the reversed value from the left with the reversed pattern.
pub(super) fn trim_suffix(
    pattern: &str,
    value: &str,
    greedy: bool,
) -> Result<String, PatternError> {
    trim_prefix(&reverse_pattern(pattern), &reverse(value), greedy).map(|s| reverse(&s))
}

/// `${v/p/r}` and `${v//p/r}`. `*` is always greedy here.
pub(super) fn replace(
    pattern: &str,
    value: &str,
    replacement: &str,
    all: bool,
) -> Result<String, PatternError> {
    let re = compile(pattern, true, false)?;
    if all {
        return Ok(go_replace_all(&re, value, replacement));
    }
    // The first replacement is inserted literally (BuildKit splices strings, no `$` expansion).
    Ok(match re.find(value) {
        Some(m) => format!("{}{replacement}{}", &value[..m.start()], &value[m.end()..]),
        None => value.to_owned(),
    })
}

/// Go's `Regexp.ReplaceAllString`: the replacement is a template (`$0` is the match, `$$` a
/// dollar, other `$name` nothing), and an empty match right after a match is not replaced.
fn go_replace_all(re: &Regex, value: &str, template: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut last_end = 0;
    let mut search = 0;
    while search <= value.len() {
        let Some(m) = re.find_at(value, search) else {
            break;
        };
        out.push_str(&value[last_end..m.start()]);
        if m.end() > last_end || m.start() == 0 {
            go_expand(&mut out, template, m.as_str());
        }
        last_end = m.end();
        // Always move on by at least one character, as Go does.
        let width = value[search..].chars().next().map_or(0, char::len_utf8);
        if search + width > m.end() {
            search += width;
        } else if search + 1 > m.end() {
            search += 1;
        } else {
            search = m.end();
        }
    }
    out.push_str(&value[last_end..]);
    out
}

/// Go's `Regexp.Expand` for a regex whose only group is group 0.
fn go_expand(out: &mut String, template: &str, matched: &str) {
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match template_name(rest) {
            Some((name, after)) => {
                rest = after;
                // Only group 0 exists; `00` is a (missing) name, not a number, in Go.
                if name == "0" {
                    out.push_str(matched);
                }
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// The `name` or `{name}` after a `$` in a Go replacement template, and the text after it.
fn template_name(s: &str) -> Option<(&str, &str)> {
    let (braced, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let end = body
        .char_indices()
        .find(|&(_, c)| !(is_letter(c) || is_digit(c) || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let (name, mut after) = body.split_at(end);
    if braced {
        after = after.strip_prefix('}')?;
    }
    Some((name, after))
}
