//! BuildKit's `Node.Dump()` format: one s-expression per instruction. The conformance suite
//! (`shared/corpus/buildkit-parser`) compares it byte for byte.

use super::Parse;
use super::go;
use super::instruction::Command;

/// The dump of a whole file, without a trailing newline (as `Dump()` returns it).
pub fn dump(parse: &Parse) -> String {
    let mut out = String::new();
    for (i, entry) in parse.entries().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push('(');
        out.push_str(&dump_command(&entry.inst.command));
        out.push(')');
    }
    out
}

fn dump_command(cmd: &Command) -> String {
    let mut out = String::new();
    // Go's strings.ToLower maps each rune to one rune.
    out.extend(
        cmd.keyword
            .chars()
            .map(|c| c.to_lowercase().next().unwrap_or(c)),
    );
    if !cmd.flags.is_empty() {
        out.push_str(" [");
        for (i, flag) in cmd.flags.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            go::quote_into(&mut out, &flag.text);
        }
        out.push(']');
    }
    for node in &cmd.nodes {
        out.push(' ');
        go::quote_into(&mut out, &node.value);
    }
    if let Some(trigger) = &cmd.trigger {
        out.push_str(" (");
        out.push_str(&dump_command(trigger));
        out.push(')');
    }
    go::trim_space(&out).to_string()
}
