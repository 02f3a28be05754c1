//! Document symbols (an outline: directives, global ARGs, stages → their instructions →
//! the variables an ARG/ENV defines) and workspace symbols (stages and ARG/ENV definitions
//! across documents, matched against a query).

use super::navigation::{def_name_range, defs_of_entry, stage_name_range};
use crate::model::{Base, DefKind, Model, Stage, VarDef};
use crate::syntax::{Entry, Keyword, Parse, TextRange};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// `# syntax=…`, `# escape=…`, `# check=…`.
    Directive,
    Stage,
    Instruction,
    /// An ARG before the first FROM.
    GlobalArg,
    Arg,
    Env,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// Everything the symbol covers (a stage: its FROM through its last instruction).
    pub range: TextRange,
    /// The name to select, inside `range`.
    pub selection_range: TextRange,
    pub children: Vec<DocumentSymbol>,
}

/// How long an instruction's arguments may get in its outline name.
const MAX_ARGS: usize = 40;

/// The outline of a file: directives, then instructions before the first FROM (global ARGs),
/// then one symbol per stage holding its instructions.
pub fn document_symbols(parse: &Parse, model: &Model) -> Vec<DocumentSymbol> {
    let mut out: Vec<DocumentSymbol> = parse
        .directives()
        .iter()
        .map(|d| DocumentSymbol {
            name: format!("{}={}", d.name, d.value),
            detail: None,
            kind: SymbolKind::Directive,
            range: d.range,
            selection_range: d.name_range,
            children: Vec::new(),
        })
        .collect();
    for (i, entry) in parse.entries().enumerate() {
        let stage = model
            .entries
            .get(i)
            .and_then(|e| e.stage)
            .and_then(|s| model.stages.get(s));
        match stage {
            Some(stage) if stage.from_entry == i => {
                out.push(stage_symbol(parse, model, stage, entry));
            }
            Some(_) => {
                let symbol = instruction_symbol(parse, model, i, entry);
                if let Some(parent) = out.last_mut().filter(|s| s.kind == SymbolKind::Stage) {
                    parent.range = parent.range.cover(symbol.range);
                    parent.children.push(symbol);
                } else {
                    out.push(symbol);
                }
            }
            None => out.push(instruction_symbol(parse, model, i, entry)),
        }
    }
    out
}

/// `build (node:20)`, `stage 2 (alpine)`.
pub fn stage_label(model: &Model, stage: &Stage) -> String {
    let base = match &stage.base {
        Base::Image(image) => image.clone(),
        Base::Scratch => "scratch".to_string(),
        Base::Stage(p) => model
            .stages
            .get(*p)
            .and_then(|p| p.name.as_deref())
            .unwrap_or(stage.base_text.as_str())
            .to_string(),
        Base::Unresolved(_) if stage.base_text.is_empty() => "?".to_string(),
        Base::Unresolved(_) => stage.base_text.to_string(),
    };
    match &stage.name {
        Some(name) => format!("{name} ({base})"),
        None => format!("stage {} ({base})", stage.index),
    }
}

fn stage_symbol(parse: &Parse, model: &Model, stage: &Stage, from: Entry<'_>) -> DocumentSymbol {
    let keyword = from.abs(from.inst.command.keyword_range);
    let selection = stage_name_range(parse, model, stage.index)
        .or(stage.name_range)
        .unwrap_or(keyword);
    DocumentSymbol {
        name: stage_label(model, stage),
        detail: stage
            .platform
            .as_ref()
            .map(|(raw, _)| format!("--platform={raw}")),
        kind: SymbolKind::Stage,
        range: from.range(),
        selection_range: selection,
        children: Vec::new(),
    }
}

/// `COPY --from=build /out /app`, whitespace collapsed, cut at [`MAX_ARGS`] characters.
pub fn instruction_label(entry: Entry<'_>) -> String {
    let cmd = &entry.inst.command;
    let keyword = match cmd.kind {
        Keyword::Unknown => cmd.keyword.to_string(),
        k => k.as_str().to_string(),
    };
    let logical = &entry.inst.logical;
    let after_keyword = logical
        .logical_offset(cmd.keyword_range.end())
        .and_then(|at| logical.text.get(at..))
        .unwrap_or_default();
    // Collapse whitespace, counting characters as we go (a long RUN must not be re-counted
    // for every word: the outline of a 10,000-line file has thousands of labels).
    let mut args = String::new();
    let mut chars = 0;
    for (n, word) in after_keyword.split_whitespace().enumerate() {
        if n > 0 {
            args.push(' ');
            chars += 1;
        }
        args.push_str(word);
        chars += word.chars().count();
        if chars > MAX_ARGS {
            break;
        }
    }
    if chars > MAX_ARGS {
        args = args.chars().take(MAX_ARGS - 1).collect::<String>();
        args.push('…');
    }
    if args.is_empty() {
        keyword
    } else {
        format!("{keyword} {args}")
    }
}

fn instruction_symbol(parse: &Parse, model: &Model, i: usize, entry: Entry<'_>) -> DocumentSymbol {
    let trigger = entry.inst.command.effective().kind;
    let children = defs_of_entry(model, i)
        .map(|d| &model.var_defs[d])
        .map(|def| DocumentSymbol {
            name: def.name.to_string(),
            detail: def.default.as_ref().map(|v| v.to_string()),
            kind: def_kind(def, trigger),
            range: def_full_range(def),
            selection_range: def_name_range(parse, def).unwrap_or(def.range),
            children: Vec::new(),
        })
        .collect();
    DocumentSymbol {
        name: instruction_label(entry),
        detail: None,
        kind: SymbolKind::Instruction,
        range: entry.range(),
        selection_range: entry.abs(entry.inst.command.keyword_range),
        children,
    }
}

fn def_kind(def: &VarDef, keyword: Keyword) -> SymbolKind {
    match def.kind {
        DefKind::GlobalArg => SymbolKind::GlobalArg,
        DefKind::Arg => SymbolKind::Arg,
        DefKind::Env => SymbolKind::Env,
        DefKind::Onbuild if keyword == Keyword::Env => SymbolKind::Env,
        DefKind::Onbuild => SymbolKind::Arg,
    }
}

fn def_full_range(def: &VarDef) -> TextRange {
    match def.value_range {
        Some(v) if v.end() >= def.range.end() => TextRange::new(def.range.start(), v.end()),
        _ => def.range,
    }
}

// ---- Workspace symbols ---------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSymbol<D> {
    /// Which document (whatever the caller passed in).
    pub document: D,
    pub name: String,
    pub kind: SymbolKind,
    /// The stage holding a variable (`build`, `stage 1`), or `global`.
    pub container: Option<String>,
    /// The name.
    pub range: TextRange,
    pub full_range: TextRange,
}

/// How well `name` matches `query` (lower is better), or `None`: equal, prefix, substring, or
/// the query's characters in order, ignoring case. An empty query matches everything.
fn score(name: &str, query: &str) -> Option<u8> {
    if query.is_empty() {
        return Some(3);
    }
    let name = name.to_lowercase();
    let query = query.to_lowercase();
    if name == query {
        Some(0)
    } else if name.starts_with(&query) {
        Some(1)
    } else if name.contains(&query) {
        Some(2)
    } else {
        let mut chars = name.chars();
        query.chars().all(|q| chars.any(|c| c == q)).then_some(3)
    }
}

/// Named stages and ARG/ENV definitions of every document that match `query`, best matches
/// first (then shorter names, then document and source order).
pub fn workspace_symbols<'a, D: Clone + 'a>(
    documents: impl IntoIterator<Item = (D, &'a Parse, &'a Model)>,
    query: &str,
) -> Vec<WorkspaceSymbol<D>> {
    let mut found: Vec<(u8, usize, WorkspaceSymbol<D>)> = Vec::new();
    for (doc, parse, model) in documents {
        for stage in &model.stages {
            let (Some(name), Some(range)) = (&stage.name, stage.name_range) else {
                continue;
            };
            let Some(s) = score(name, query) else {
                continue;
            };
            let full_range = parse.entry(stage.from_entry).map_or(range, |e| e.range());
            found.push((
                s,
                found.len(),
                WorkspaceSymbol {
                    document: doc.clone(),
                    name: name.to_string(),
                    kind: SymbolKind::Stage,
                    container: None,
                    range: stage_name_range(parse, model, stage.index).unwrap_or(range),
                    full_range,
                },
            ));
        }
        for def in &model.var_defs {
            let Some(s) = score(&def.name, query) else {
                continue;
            };
            let keyword = parse
                .entry(def.entry)
                .map_or(Keyword::Arg, |e| e.inst.command.effective().kind);
            let container = match def.stage.and_then(|s| model.stages.get(s)) {
                Some(stage) => stage
                    .name
                    .as_ref()
                    .map_or_else(|| format!("stage {}", stage.index), |n| n.to_string()),
                None => "global".to_string(),
            };
            found.push((
                s,
                found.len(),
                WorkspaceSymbol {
                    document: doc.clone(),
                    name: def.name.to_string(),
                    kind: def_kind(def, keyword),
                    container: Some(container),
                    range: def_name_range(parse, def).unwrap_or(def.range),
                    full_range: def_full_range(def),
                },
            ));
        }
    }
    found.sort_by_key(|(s, order, sym)| (*s, sym.name.len(), *order));
    found.into_iter().map(|(_, _, sym)| sym).collect()
}

#[cfg(test)]
mod tests;
