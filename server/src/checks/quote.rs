//! Writing text back into a Dockerfile for quick fixes: JSON strings for exec form, and
//! `key=value` words whose value BuildKit's word processor reads back unchanged.

/// A JSON string literal (what `json.Unmarshal` reads back as `s`).
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON array of strings, `["a", "b"]`.
pub fn json_array<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let parts: Vec<String> = items.into_iter().map(json_string).collect();
    format!("[{}]", parts.join(", "))
}

/// `raw` (a legacy `ENV k v` value: shell-word text, quotes and escapes included) written so
/// that, after `=`, it stays one word of `parseWords` and the word processor gives the same
/// value: wrapped in double quotes when it holds no quotes or escapes, otherwise with each
/// unquoted blank escaped.
pub fn as_single_word(raw: &str, escape: char) -> String {
    let has_blank = raw.chars().any(char::is_whitespace);
    if !has_blank && !raw.is_empty() {
        return raw.to_string();
    }
    if !raw.contains(['"', '\'', escape]) {
        return format!("\"{raw}\"");
    }
    let mut out = String::with_capacity(raw.len() + 8);
    let mut quote: Option<char> = None;
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match quote {
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                } else if c == escape {
                    out.push(c);
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                    continue;
                } else if c.is_whitespace() {
                    out.push(escape);
                }
                out.push(c);
            }
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                } else if c == escape && q == '"' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                }
            }
        }
    }
    if raw.is_empty() {
        return "\"\"".into();
    }
    out
}

/// A value for `LABEL key=<value>`: the text as a double-quoted word (the word processor
/// expands `$` inside double quotes, so those are escaped too).
pub fn double_quoted_literal(s: &str, escape: char) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '$' || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::shell::Lexer;
    use std::collections::HashMap;

    fn value(word: &str) -> String {
        let env: HashMap<String, String> = HashMap::new();
        Lexer::new('\\')
            .process_word(word, &env)
            .map(|p| p.value)
            .unwrap_or_default()
    }

    #[test]
    fn single_words_keep_their_value() {
        for raw in [
            "plain",
            "two words",
            "\"quoted value\" tail",
            "it is 'a b'",
            "a\\ b c",
            "  lead",
            "tab\tsep",
            "",
        ] {
            let w = as_single_word(raw, '\\');
            // One `key=value` word for the parser, with the same value.
            let p = crate::syntax::parse(&format!("ENV A={w}\n"));
            let nodes = &p.entry(0).expect("one instruction").inst.command.nodes;
            assert_eq!(nodes.len(), 3, "{raw} → {w}");
            assert_eq!(value(&nodes[1].value), value(raw), "{raw} → {w}");
        }
    }

    #[test]
    fn json_and_literals() {
        assert_eq!(json_array(["a \"b\"", "c\\d"]), r#"["a \"b\"", "c\\d"]"#);
        assert_eq!(
            value(&double_quoted_literal("Jo \"x\" $HOME", '\\')),
            "Jo \"x\" $HOME"
        );
    }
}
