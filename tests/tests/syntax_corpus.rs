//! The parser on real Dockerfiles and on arbitrary bytes: lossless, no panics, and a stable
//! structure (snapshots of each real-world file's outline).

use std::fmt::Write;

use dockerfile_lsp::syntax::{self, Command, Parse, SyntaxKind};
use e2e::{real_world_files, shared_dir};
use proptest::prelude::*;

/// One line per instruction: line span, keyword, flags, argument count, heredocs, errors.
fn outline(parse: &Parse, text: &str) -> String {
    let mut out = String::new();
    for d in parse.directives() {
        let _ = writeln!(out, "L{} directive {}={}", d.line + 1, d.name, d.value);
    }
    for entry in parse.entries() {
        let inst = entry.inst;
        let _ = write!(out, "L{}-{} ", entry.line + 1, entry.last_line() + 1);
        command(&mut out, &inst.command, text, &entry);
        for h in &inst.heredocs {
            let _ = write!(out, " <<{}({} bytes)", h.name, h.content.len());
        }
        for e in &inst.errors {
            let _ = write!(out, " error={:?}", e.code);
        }
        if !inst.empty_continuation_lines.is_empty() {
            let _ = write!(
                out,
                " empty-continuation={}",
                inst.empty_continuation_lines.len()
            );
        }
        out.push('\n');
    }
    out
}

fn command(out: &mut String, cmd: &Command, text: &str, entry: &syntax::Entry) {
    let _ = write!(out, "{}", &text[entry.abs(cmd.keyword_range)]);
    for f in &cmd.flags {
        let _ = write!(out, " --{}", f.name);
    }
    let _ = write!(out, " args={}", cmd.nodes.len());
    if cmd.json {
        out.push_str(" json");
    }
    if let Some(t) = &cmd.trigger {
        out.push_str(" (");
        command(out, t, text, entry);
        out.push(')');
    }
}

#[test]
fn real_world_files_round_trip_with_stable_structure() {
    let root = shared_dir().join("corpus/real-world");
    let files = real_world_files();
    assert_eq!(files.len(), 178);
    for rel in files {
        let bytes = std::fs::read(root.join(&rel)).expect("readable");
        let (text, _) = syntax::decode(&bytes);
        let parse = syntax::parse(&text);
        assert_eq!(
            parse.syntax().to_string(),
            text,
            "{} is lossless",
            rel.display()
        );
        let tree = parse.syntax();
        assert_eq!(
            tree.children()
                .filter(|n| n.kind() == SyntaxKind::Instruction)
                .count(),
            parse.entries().len(),
            "{}",
            rel.display()
        );
        let name = rel.display().to_string().replace('/', "__");
        insta::assert_snapshot!(name, outline(&parse, &text));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let (text, invalid) = syntax::decode(&bytes);
        prop_assert_eq!(invalid.is_some(), std::str::from_utf8(&bytes).is_err());
        let parse = syntax::parse(&text);
        prop_assert_eq!(parse.syntax().to_string(), text.clone());
        let _ = syntax::dump::dump(&parse);
    }

    #[test]
    fn dockerfile_like_text_round_trips(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("FROM alpine AS b".to_string()),
                Just("RUN <<EOF cat".to_string()),
                Just("RUN <<-'A' <<B".to_string()),
                Just("EOF".to_string()),
                Just("\tA".to_string()),
                Just("# escape=`".to_string()),
                Just("# syntax=x".to_string()),
                Just("ONBUILD COPY --from=x [\"a\", \"b\"] /".to_string()),
                Just("ENV a=\"b c\" d".to_string()),
                Just("  \\".to_string()),
                Just("`".to_string()),
                Just("# c \\".to_string()),
                Just("".to_string()),
                Just("   ".to_string()),
                "[ -~\t建😀]{0,20}",
            ],
            0..30,
        ),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let parse = syntax::parse(&text);
        prop_assert_eq!(parse.syntax().to_string(), text.clone());
        for entry in parse.entries() {
            let end = usize::from(entry.offset + entry.inst.full_len);
            prop_assert!(end <= text.len());
            for f in &entry.inst.command.flags {
                prop_assert!(usize::from(entry.abs(f.range).end()) <= end);
            }
        }
    }
}
