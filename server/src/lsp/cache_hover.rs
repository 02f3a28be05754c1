//! The build-context part of a hover on a COPY/ADD source: which context files it selects
//! (count and the first few), and which files under it `.dockerignore` leaves out, with
//! the rule that does it.

use std::path::Path;
use std::time::Duration;

use super::analysis::Snapshot;
use super::cache::CacheDoc;
use crate::cache::context::{self, CopySource, EntryKind, WalkOptions};
use crate::syntax::shell::Lexer;
use crate::syntax::{Keyword, TextRange, TextSize};

/// How many paths a hover lists.
const SHOWN: usize = 8;

/// Markdown for the source under `offset`, and the source's range.
pub fn copy_source(
    doc: &CacheDoc,
    snap: &Snapshot,
    offset: TextSize,
) -> Option<(String, TextRange)> {
    let index = snap.parse.entry_at(offset)?;
    let entry = snap.parse.entry(index)?;
    let cmd = &entry.inst.command;
    if !matches!(cmd.kind, Keyword::Copy | Keyword::Add) || cmd.flag("from").is_some() {
        return None;
    }
    let n = cmd.nodes.len();
    let node = cmd.nodes.get(..n.checked_sub(1)?)?.iter().find(|node| {
        node.range
            .is_some_and(|r| entry.abs(r).contains_inclusive(offset))
    })?;
    let range = entry.abs(node.range?);
    if entry
        .inst
        .heredocs
        .iter()
        .any(|h| node.range.is_some_and(|r| r.contains_range(h.range)))
    {
        return None;
    }
    let context_dir = doc.context.as_ref()?;
    let analysis = snap.cache_analysis(&doc.base.options);
    let sources = analysis.context_sources_of_entry(index);
    let edge = sources.first()?;
    // The word as BuildKit expands it, to pick the right source.
    let env = &snap.model.entries.get(index)?.env;
    let expanded = Lexer::new(snap.parse.escape())
        .process_word(&node.value, env)
        .map_or_else(|_| node.value.to_string(), |p| p.value);
    let src = edge
        .sources
        .iter()
        .find(|s| **s == expanded)
        .cloned()
        .unwrap_or(expanded);
    let source = CopySource::new(&src, edge.excludes, edge.parents);
    let walked = doc.index()?;
    let selection = source.select(&walked);

    let mut out = format!("**Build context** `{}`\n\n", context_dir.display());
    let files: Vec<&str> = selection
        .entries
        .iter()
        .filter_map(|&i| walked.entries().get(i))
        .filter(|e| e.kind != EntryKind::Dir)
        .map(|e| e.path.as_str())
        .collect();
    if selection.not_found {
        out.push_str(&format!(
            "`{src}` is not in the build context (after `.dockerignore`): the build fails.\n"
        ));
    } else {
        let listed: Vec<String> = files.iter().take(SHOWN).map(|p| format!("`{p}`")).collect();
        let more = files.len().saturating_sub(SHOWN);
        out.push_str(&format!(
            "`{src}` selects {} file{}{}{}{}\n",
            files.len(),
            if files.len() == 1 { "" } else { "s" },
            if listed.is_empty() { "." } else { ": " },
            listed.join(", "),
            if more > 0 {
                format!(", … and {more} more")
            } else {
                String::new()
            }
        ));
    }
    if let Some(message) = walked.status().message() {
        out.push_str(&format!("\n_{message}: the list may be incomplete._\n"));
    }
    if let Some(ignore) = doc.base.options.ignore.as_deref() {
        let excluded = excluded_under(context_dir, source.key(), source.is_wildcard(), ignore);
        if !excluded.is_empty() {
            out.push_str("\nLeft out by `.dockerignore`:\n");
            for (path, rule, line) in excluded.iter().take(SHOWN) {
                out.push_str(&format!("- `{path}`: rule `{rule}` (line {line})\n"));
            }
            if excluded.len() > SHOWN {
                out.push_str(&format!("- … and {} more\n", excluded.len() - SHOWN));
            }
        }
    }
    Some((out, range))
}

/// Paths under the source (or the source itself) that the ignore file excludes, with the
/// deciding rule: `(path, rule text, rule line)`. Walks without the ignore file, briefly.
fn excluded_under(
    context_dir: &Path,
    key: &str,
    wildcard: bool,
    ignore: &context::IgnoreFile,
) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    let mut check = |path: &str| {
        let decision = ignore.decide(path);
        if decision.excluded {
            if let Some(rule) = decision.rule {
                out.push((path.to_string(), rule.text.clone(), rule.line));
            }
            return true;
        }
        false
    };
    // A wildcard is matched per path: look at the whole context then; else the source only.
    let base = if wildcard { "" } else { key };
    if !base.is_empty() && check(base) {
        return out;
    }
    let root = if base.is_empty() {
        context_dir.to_path_buf()
    } else {
        context_dir.join(base)
    };
    if !root.is_dir() {
        return out;
    }
    let options = WalkOptions {
        max_entries: 2_000,
        max_duration: Duration::from_millis(200),
    };
    let walked = context::walk_context(&root, None, &options);
    let mut seen_dirs: Vec<String> = Vec::new();
    for e in walked.entries() {
        let path = if base.is_empty() {
            e.path.clone()
        } else {
            format!("{base}/{}", e.path)
        };
        // Inside an excluded directory already listed: skip its contents.
        if seen_dirs.iter().any(|d| path.starts_with(&format!("{d}/"))) {
            continue;
        }
        if wildcard && !CopySource::new(key, &[] as &[&str], false).contains(&path) {
            continue;
        }
        if check(&path) && e.is_dir() {
            seen_dirs.push(path);
        }
    }
    out
}
