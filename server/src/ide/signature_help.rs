//! Signature help: the instruction's forms from `docs`, the one matching what is written, and
//! the parameter under the cursor (the flag being typed, or which argument).

use crate::docs::{self, FlagInfo, InstructionInfo};
use crate::syntax::{Command, Keyword, Parse, TextSize};

use super::text_util::{clamp, is_comment_line, line_at};

/// Help for the instruction under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHelp {
    pub signatures: Vec<Signature>,
    pub active_signature: u32,
    /// `None` when the cursor is on no parameter (the keyword).
    pub active_parameter: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// E.g. `COPY [--from=<stage|image|context>] … <src>... <dest>` (ASCII).
    pub label: String,
    /// Markdown.
    pub documentation: Option<String>,
    pub parameters: Vec<Parameter>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// `[start, end)` byte offsets into the signature label (ASCII, so also UTF-16 offsets).
    pub label: (u32, u32),
    /// Markdown.
    pub documentation: Option<String>,
}

/// Characters after which a client should ask (and ask again).
pub const TRIGGER_CHARACTERS: [&str; 2] = [" ", "="];
pub const RETRIGGER_CHARACTERS: [&str; 1] = [","];

/// What a parameter of a signature stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Param {
    /// `[--name=…]`.
    Flag(String),
    /// `[OPTIONS]`: any flag.
    Options,
    /// An argument; `variadic` when it ends in `...`.
    Arg { variadic: bool },
}

/// Splits a signature after its keyword into parameters: words, with `[…]` groups and quoted
/// strings kept whole.
fn split(label: &str) -> Vec<(u32, u32, Param)> {
    let bytes = label.as_bytes();
    let mut out = Vec::new();
    let mut i = label.find(' ').unwrap_or(label.len());
    while i < bytes.len() {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        let (mut depth, mut quoted) = (0i32, false);
        while i < bytes.len() {
            match bytes[i] {
                b'"' => quoted = !quoted,
                b'[' if !quoted => depth += 1,
                b']' if !quoted => depth -= 1,
                b' ' if depth <= 0 && !quoted => break,
                _ => {}
            }
            i += 1;
        }
        let word = &label[start..i];
        let param = if let Some(rest) = word.strip_prefix("[--") {
            let end = rest.find(['=', ']', '.']).unwrap_or(rest.len());
            Param::Flag(rest[..end].to_string())
        } else if word == "[OPTIONS]" {
            Param::Options
        } else {
            Param::Arg {
                variadic: word.ends_with("...") || word.ends_with("...]"),
            }
        };
        out.push((start as u32, i as u32, param));
    }
    out
}

/// Signature help at `offset`, or `None` outside an instruction's arguments.
pub fn signature_help(parse: &Parse, offset: TextSize) -> Option<SignatureHelp> {
    let text = parse.text();
    let off = clamp(text, offset);
    let line = line_at(text, off);
    // Between the `\r` and `\n` of a line break is the end of the line.
    let off = off.min(line.content_end);
    let index = parse.entry_at(TextSize::from(off as u32))?;
    let entry = parse.entry(index)?;
    let inst = entry.inst;
    let at = TextSize::from(off as u32);
    if inst
        .heredocs
        .first()
        .is_some_and(|h| at >= entry.offset + h.body.start())
    {
        return None;
    }
    if line.start > usize::from(entry.offset) && is_comment_line(text, line) {
        return None;
    }
    let mut cmd = &inst.command;
    if cmd.kind == Keyword::Onbuild {
        if let Some(trigger) = &cmd.trigger {
            if at > entry.abs(trigger.keyword_range).end() {
                cmd = trigger;
            }
        }
    }
    let info = docs::instruction(&cmd.keyword)?;
    let keyword = entry.abs(cmd.keyword_range);
    if at < keyword.start() {
        return None;
    }
    // The word under the cursor (blank-delimited, on this line).
    let b = text.as_bytes();
    let mut word_start = off;
    while word_start > line.start && !matches!(b[word_start - 1], b' ' | b'\t') {
        word_start -= 1;
    }
    let ws = TextSize::from(word_start as u32);
    let args: Vec<_> = cmd.nodes.iter().filter_map(|n| n.range).collect();
    let args_before = args.iter().filter(|r| entry.abs(**r).start() < ws).count();
    // Arguments the instruction will have, counting one being typed between the others.
    let typing_new = !args.iter().any(|r| {
        let r = entry.abs(*r);
        r.start() <= ws && at <= r.end()
    });
    let total = args.len() + usize::from(typing_new);
    let active_signature = pick(info, cmd, !inst.heredocs.is_empty());
    let word = &text[word_start..off];
    let in_keyword = at <= keyword.end();
    let flag_word = !in_keyword && args_before == 0 && word.starts_with("--");

    let signatures: Vec<Signature> = info
        .signatures
        .iter()
        .map(|label| Signature {
            label: label.to_string(),
            documentation: Some(info.summary.to_string()),
            parameters: split(label)
                .into_iter()
                .map(|(s, e, p)| Parameter {
                    label: (s, e),
                    documentation: param_doc(info, &p),
                })
                .collect(),
        })
        .collect();
    let params = split(info.signatures[active_signature]);
    let active_parameter = if in_keyword {
        None
    } else if flag_word {
        let name = word[2..].split('=').next().unwrap_or_default();
        params
            .iter()
            .position(|(_, _, p)| matches!(p, Param::Flag(n) if n == name))
            .or_else(|| {
                // A flag name being typed: the first flag it begins.
                params.iter().position(
                    |(_, _, p)| matches!(p, Param::Flag(n) if !name.is_empty() && n.starts_with(name)),
                )
            })
            .or_else(|| params.iter().position(|(_, _, p)| *p == Param::Options))
            .map(|i| i as u32)
    } else {
        let args: Vec<usize> = params
            .iter()
            .enumerate()
            .filter(|(_, (_, _, p))| matches!(p, Param::Arg { .. }))
            .map(|(i, _)| i)
            .collect();
        let k = if cmd.json { 0 } else { args_before };
        which_arg(&params, &args, k, total.max(k + 1)).map(|i| i as u32)
    };
    Some(SignatureHelp {
        signatures,
        active_signature: active_signature as u32,
        active_parameter,
    })
}

/// The form that matches what is written.
fn pick(info: &InstructionInfo, cmd: &Command, heredoc: bool) -> usize {
    let find = |f: &dyn Fn(&str) -> bool| info.signatures.iter().position(|s| f(s));
    let first_word = cmd.nodes.first().map(|n| n.value.to_ascii_uppercase());
    let chosen = if heredoc {
        find(&|s| s.contains("<<"))
    } else if cmd.json {
        find(&|s| s.contains("[\""))
    } else {
        match cmd.kind {
            Keyword::Healthcheck if first_word.as_deref() == Some("NONE") => {
                find(&|s| s.ends_with("NONE"))
            }
            Keyword::Env
                if cmd.nodes.len() == 3
                    && cmd.nodes[2].value.is_empty()
                    && cmd.nodes[2].range.is_none()
                    && !cmd.nodes[1].value.is_empty() =>
            {
                // The legacy `ENV key value` form has an empty separator node.
                find(&|s| !s.contains('='))
            }
            Keyword::User
                if first_word.is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit())) =>
            {
                find(&|s| s.contains("<UID>"))
            }
            _ => find(&|s| !s.contains("[\"") && !s.contains("<<")),
        }
    };
    chosen.unwrap_or(0)
}

/// Maps argument `k` of `total` onto the argument parameters, with a variadic parameter
/// taking whatever the others leave (`<src>... <dest>`: the last argument is `<dest>`).
fn which_arg(
    params: &[(u32, u32, Param)],
    args: &[usize],
    k: usize,
    total: usize,
) -> Option<usize> {
    let last = *args.last()?;
    let v = args
        .iter()
        .position(|&i| matches!(params[i].2, Param::Arg { variadic: true }));
    let Some(v) = v else {
        return Some(args.get(k).copied().unwrap_or(last));
    };
    let after = args.len() - v - 1;
    if k < v {
        return Some(args[k]);
    }
    // Arguments from `total - after` on belong to the parameters after the variadic one.
    let tail_start = total.saturating_sub(after).max(v + 1);
    if after > 0 && k >= tail_start {
        return Some(args[(v + 1 + k - tail_start).min(args.len() - 1)]);
    }
    Some(args[v])
}

fn param_doc(info: &InstructionInfo, p: &Param) -> Option<String> {
    match p {
        Param::Flag(name) => info.flag(name).map(flag_doc),
        Param::Options => {
            let names: Vec<String> = info
                .flags
                .iter()
                .map(|f| format!("`--{}`", f.name))
                .collect();
            (!names.is_empty()).then(|| format!("Flags: {}", names.join(", ")))
        }
        Param::Arg { .. } => None,
    }
}

fn flag_doc(flag: &FlagInfo) -> String {
    format!("{}\n\n[Reference]({})", flag.doc, flag.url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// `(active signature label, active parameter text)` at the `|` marker.
    fn help(marked: &str) -> Option<(String, Option<String>)> {
        let at = marked.find('|').expect("marker");
        let text = format!("{}{}", &marked[..at], &marked[at + 1..]);
        let p = parse(&text);
        let h = signature_help(&p, TextSize::from(at as u32))?;
        let sig = &h.signatures[h.active_signature as usize];
        let param = h.active_parameter.map(|i| {
            let (s, e) = sig.parameters[i as usize].label;
            sig.label[s as usize..e as usize].to_string()
        });
        Some((sig.label.clone(), param))
    }

    fn param(marked: &str) -> Option<String> {
        help(marked).and_then(|(_, p)| p)
    }

    #[test]
    fn copy_arguments_and_flags() {
        assert_eq!(param("COPY |"), Some("<src>...".into()));
        assert_eq!(param("COPY a |"), Some("<dest>".into()));
        assert_eq!(param("COPY a b |"), Some("<dest>".into()));
        assert_eq!(param("COPY a | c"), Some("<src>...".into()));
        assert_eq!(param("COPY a b| c"), Some("<src>...".into()));
        assert_eq!(param("COPY a b c|"), Some("<dest>".into()));
        assert_eq!(
            param("COPY --from=x --ch|"),
            Some("[--chown=<user>:<group>]".into())
        );
        assert_eq!(
            param("COPY --from=|"),
            Some("[--from=<stage|image|context>]".into())
        );
        assert_eq!(param("COP|Y a b"), None);
        let (label, p) = help("COPY [\"a\", \"|\"]").expect("help");
        assert_eq!(label, r#"COPY [OPTIONS] ["<src>", ... "<dest>"]"#);
        assert_eq!(p.as_deref(), Some(r#"["<src>", ... "<dest>"]"#));
        let (label, _) = help("COPY <<EOF /x|\nbody\nEOF").expect("help");
        assert_eq!(label, "COPY [OPTIONS] <<EOF <dest>");
    }

    #[test]
    fn from_run_healthcheck_env_user() {
        assert_eq!(param("FROM |"), Some("<image>[:<tag>][@<digest>]".into()));
        assert_eq!(param("FROM a |"), Some("[AS <name>]".into()));
        assert_eq!(
            param("FROM --platform=|"),
            Some("[--platform=<platform>]".into())
        );
        assert_eq!(
            param("RUN --mount=type=cache,|"),
            Some("[--mount=<mount>...]".into())
        );
        assert_eq!(param("RUN echo |"), Some("<command>".into()));
        assert_eq!(
            help("RUN [\"a\", \"|\"]").map(|(l, _)| l),
            Some(r#"RUN [OPTIONS] ["<executable>", "<param>"...]"#.into())
        );
        assert_eq!(param("HEALTHCHECK |"), Some("CMD".into()));
        assert_eq!(param("HEALTHCHECK CMD |"), Some("<command>".into()));
        assert_eq!(
            help("HEALTHCHECK NONE|").map(|(l, _)| l),
            Some("HEALTHCHECK NONE".into())
        );
        assert_eq!(
            help("ENV a b|").map(|(l, _)| l),
            Some("ENV <key> <value>".into())
        );
        assert_eq!(
            help("ENV a=1 |").map(|(l, _)| l),
            Some("ENV <key>=<value> [<key>=<value>...]".into())
        );
        assert_eq!(
            help("USER 1000|").map(|(l, _)| l),
            Some("USER <UID>[:<GID>]".into())
        );
        assert_eq!(param("ONBUILD COPY a |"), Some("<dest>".into()));
        assert_eq!(
            help("ONBUILD |").map(|(l, _)| l),
            Some("ONBUILD <INSTRUCTION> <arguments>".into())
        );
    }

    #[test]
    fn nowhere_else() {
        assert_eq!(help("# c|\nFROM a"), None);
        assert_eq!(help("FROM a\nRUN <<EOF\nx|\nEOF"), None);
        assert_eq!(help("FROM a\nRUN a \\\n# c|\n b"), None);
        assert_eq!(help("FOO |"), None);
        assert_eq!(help("|"), None);
    }

    #[test]
    fn parameter_docs() {
        let p = parse("RUN --network=");
        let h = signature_help(&p, TextSize::from(14)).expect("help");
        let sig = &h.signatures[h.active_signature as usize];
        let doc = sig.parameters[h.active_parameter.expect("param") as usize]
            .documentation
            .as_deref()
            .unwrap_or_default();
        assert!(doc.contains("network"), "{doc}");
        // Every offset of a tricky file is safe.
        let text =
            "# escape=`\nFROM 🐳 AS x\nONBUILD COPY --from=x `\n a 日本\nRUN <<EOF\nz\nEOF\n";
        let p = parse(text);
        for i in 0..=text.len() + 1 {
            let _ = signature_help(&p, TextSize::from(i as u32));
        }
    }
}
