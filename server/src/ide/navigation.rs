//! What is under the cursor, and where else it occurs: go to definition, find references and
//! document highlight for stage names, ARG/ENV variables and heredoc delimiters.
//!
//! Everything is answered from the model's indexes: the instruction under the cursor comes from
//! a binary search over the parse's entries, and the model's definition, use and stage-reference
//! lists are ordered by instruction, so only that instruction's slice is examined. Finding every
//! occurrence of a symbol walks the model's lists (never the text).
//!
//! Decisions that follow BuildKit:
//! - `COPY --from=name` and `RUN --mount=…,from=name` resolve case-insensitively against *every*
//!   stage, later ones included (BuildKit registers all stages before it converts commands;
//!   only a dependency cycle is an error). So a forward `COPY --from` is a reference: it goes to
//!   the definition, shows in references and is renamed with the stage.
//! - `FROM name` only sees *earlier* stages, by exact (lower-cased) name. A `FROM later` above
//!   `AS later`, or `FROM Build` for `AS build`, is an image reference, not a stage reference:
//!   it has no definition, is not a reference and is not renamed (hover explains why).
//! - `--from=0` resolves to stage 0 and is listed among its references, but rename leaves index
//!   references alone (they stay valid).
//! - ONBUILD triggers' `--from` resolve against this file's stages, as they do when a stage of
//!   this file builds on the stage that declares them.

use crate::model::{DefKind, Model, Mount, StageRef, StageRefKind, VarDef};
use crate::syntax::{Entry, Heredoc, Parse, TextRange, TextSize};

/// A symbol occurrence under the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    /// The name in `FROM … AS name` of stage `.0`.
    StageDef(usize),
    /// A stage reference: index into [`Model::stage_refs`] (it may name an image instead).
    StageRef(usize),
    /// A variable definition: index into [`Model::var_defs`].
    VarDef(u32),
    /// A variable use: index into [`Model::var_uses`].
    VarUse(usize),
    /// A heredoc delimiter: the entry, the heredoc's index in it, and whether the cursor is on
    /// the `<<EOF` opener (else on the terminator line).
    Heredoc {
        entry: usize,
        heredoc: usize,
        opener: bool,
    },
}

/// The symbol under the cursor and the range of its name there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SymbolAt {
    pub symbol: Symbol,
    pub range: TextRange,
}

/// A place to jump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavTarget {
    /// The whole construct (the FROM instruction, the `KEY=value` word, the heredoc opener).
    pub full_range: TextRange,
    /// The name to select.
    pub focus_range: TextRange,
}

/// Go-to-definition result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The name under the cursor.
    pub origin: TextRange,
    /// Nearest definition first; an `ARG X` without a default inside a stage is followed by the
    /// global `ARG X=…` it takes its value from.
    pub targets: Vec<NavTarget>,
}

/// How a highlighted occurrence uses the symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HighlightKind {
    /// A definition: `AS name`, `ARG X`, `ENV X=…`, the `<<EOF` opener.
    Write,
    /// A use: `$X`, `FROM name`, `--from=name`, the heredoc terminator.
    Read,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    pub range: TextRange,
    pub kind: HighlightKind,
}

// ---- Index helpers ---------------------------------------------------------------------------

/// The index range of the items of instruction `entry` in a list ordered by instruction.
fn entry_span<T>(items: &[T], entry: usize, key: impl Fn(&T) -> usize) -> std::ops::Range<usize> {
    let lo = items.partition_point(|x| key(x) < entry);
    let hi = lo + items[lo..].partition_point(|x| key(x) <= entry);
    lo..hi
}

/// Indices of the variable definitions made by instruction `entry`.
pub(crate) fn defs_of_entry(model: &Model, entry: usize) -> std::ops::Range<usize> {
    entry_span(&model.var_defs, entry, |d| d.entry)
}

/// Indices of the variable uses in instruction `entry`.
pub(crate) fn uses_of_entry(model: &Model, entry: usize) -> std::ops::Range<usize> {
    entry_span(&model.var_uses, entry, |u| u.entry)
}

/// Indices of the stage references in instruction `entry`.
pub(crate) fn stage_refs_of_entry(model: &Model, entry: usize) -> std::ops::Range<usize> {
    entry_span(&model.stage_refs, entry, |r| r.entry)
}

fn slice(parse: &Parse, range: TextRange) -> Option<&str> {
    parse.text().get(range.start().into()..range.end().into())
}

// ---- Exact name ranges -------------------------------------------------------------------------

/// The range of just the name of a stage reference: the recorded range when the source says
/// exactly the name, the inside of quotes when quoted, `None` when quotes or escapes are mixed
/// in (or a mount value could not be located precisely).
pub fn stage_ref_name_range(parse: &Parse, r: &StageRef) -> Option<TextRange> {
    unquoted(parse, r.range, &r.text).or_else(|| {
        // The model gives a mount's whole value when it could not map the field; the source
        // text of the value still splits the same way when nothing in it is quoted.
        if r.kind != StageRefKind::MountFrom {
            return None;
        }
        let raw = slice(parse, r.range)?;
        let mount = Mount::parse(raw);
        let field = mount.fields.iter().find(|f| {
            f.canonical_key() == "from"
                && f.value.as_deref() == Some(r.text.as_str())
                && !raw[f.range.clone()].contains('"')
        })?;
        let v = field.value_range.clone()?;
        Some(TextRange::new(
            r.range.start() + TextSize::from(v.start as u32),
            r.range.start() + TextSize::from(v.end as u32),
        ))
    })
}

/// The range of a stage's name in `AS name`, as written.
pub fn stage_name_range(parse: &Parse, model: &Model, stage: usize) -> Option<TextRange> {
    let s = model.stages.get(stage)?;
    let range = s.name_range?;
    let name = s.name.as_deref()?;
    let raw = slice(parse, range)?;
    (raw.to_lowercase() == name).then_some(range)
}

/// The range of a definition's name (`X` in `ARG X=1`, `ENV X=1`, `ENV X 1`).
pub fn def_name_range(parse: &Parse, def: &VarDef) -> Option<TextRange> {
    unquoted(parse, def.range, &def.name)
}

/// `range` when its text is `name`; the inside of matching quotes around `name`.
fn unquoted(parse: &Parse, range: TextRange, name: &str) -> Option<TextRange> {
    let raw = slice(parse, range)?;
    if raw == name {
        return Some(range);
    }
    let b = raw.as_bytes();
    if b.len() >= 2
        && (b[0] == b'"' || b[0] == b'\'')
        && b[b.len() - 1] == b[0]
        && &raw[1..raw.len() - 1] == name
    {
        return Some(TextRange::new(
            range.start() + TextSize::from(1),
            range.end() - TextSize::from(1),
        ));
    }
    None
}

/// The range of a use's name. Uses whose instruction text could not be mapped exactly share
/// the range of their whole argument; then the k-th `$name` / `${name` in it is the k-th such
/// use.
pub fn use_name_range(parse: &Parse, model: &Model, index: usize) -> Option<TextRange> {
    let u = model.var_uses.get(index)?;
    let raw = slice(parse, u.range)?;
    if raw == u.name {
        return Some(u.range);
    }
    let k = model.var_uses[..index]
        .iter()
        .rev()
        .take_while(|p| p.entry == u.entry)
        .filter(|p| p.range == u.range && p.name == u.name)
        .count();
    find_refs(raw, &u.name)
        .nth(k)
        .map(|(s, e)| TextRange::new(u.range.start() + s, u.range.start() + e))
}

/// The `$name` / `${name` occurrences in `text`, as name offsets.
fn find_refs<'t>(text: &'t str, name: &'t str) -> impl Iterator<Item = (TextSize, TextSize)> + 't {
    let bytes = text.as_bytes();
    text.match_indices('$').filter_map(move |(i, _)| {
        let braced = bytes.get(i + 1) == Some(&b'{');
        let start = i + 1 + usize::from(braced);
        let end = start + name.len();
        if text.get(start..end) != Some(name) {
            return None;
        }
        let next = bytes.get(end).copied();
        let ok = if braced {
            !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        } else {
            !next.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80)
        };
        ok.then(|| (TextSize::from(start as u32), TextSize::from(end as u32)))
    })
}

/// Exact ranges of a heredoc's delimiter name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeredocNames {
    /// The delimiter as written in the opener (quotes included): `"EOF"` in `<<-"EOF"`.
    pub delimiter: TextRange,
    /// The name inside the delimiter, when it is written plainly or wholly quoted.
    pub opener: Option<TextRange>,
    /// The name on the terminator line (leading tabs of `<<-` skipped).
    pub terminator: Option<TextRange>,
}

pub fn heredoc_names(parse: &Parse, entry: Entry<'_>, h: &Heredoc) -> Option<HeredocNames> {
    let word_range = entry.abs(h.range);
    let word = slice(parse, word_range)?;
    let b = word.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if b.get(i..i + 2) != Some(b"<<") {
        return None;
    }
    i += 2;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    // Go's `\s`: space, \t, \n, \v, \f, \r.
    i += b[i..]
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let delimiter = TextRange::new(
        word_range.start() + TextSize::from(i as u32),
        word_range.end(),
    );
    let opener = unquoted(parse, delimiter, &h.name);
    let terminator = h.terminator.and_then(|t| {
        let t = entry.abs(t);
        let line = slice(parse, t)?;
        let tabs = if h.chomp {
            line.len() - line.trim_start_matches('\t').len()
        } else {
            0
        };
        let name = TextRange::new(t.start() + TextSize::from(tabs as u32), t.end());
        (slice(parse, name)? == h.name).then_some(name)
    });
    Some(HeredocNames {
        delimiter,
        opener,
        terminator,
    })
}

// ---- The symbol under the cursor -----------------------------------------------------------------

/// The symbol whose name covers `offset` (a name's end counts, so a cursor right after a name
/// finds it). Text outside instructions (comments, directives, blank lines) has none.
pub fn symbol_at(parse: &Parse, model: &Model, offset: TextSize) -> Option<SymbolAt> {
    let i = parse.entry_at(offset)?;
    let entry = parse.entry(i)?;
    let mut found: Vec<SymbolAt> = Vec::new();
    let info = model.entries.get(i)?;
    if let Some(s) = info.stage.and_then(|s| model.stages.get(s)) {
        if s.from_entry == i {
            if let Some(range) = s.name_range {
                found.push(SymbolAt {
                    symbol: Symbol::StageDef(s.index),
                    range: stage_name_range(parse, model, s.index).unwrap_or(range),
                });
            }
        }
    }
    for r in stage_refs_of_entry(model, i) {
        let sr = &model.stage_refs[r];
        found.push(SymbolAt {
            symbol: Symbol::StageRef(r),
            range: stage_ref_name_range(parse, sr).unwrap_or(sr.range),
        });
    }
    for d in defs_of_entry(model, i) {
        let def = &model.var_defs[d];
        found.push(SymbolAt {
            symbol: Symbol::VarDef(d as u32),
            range: def_name_range(parse, def).unwrap_or(def.range),
        });
    }
    for u in uses_of_entry(model, i) {
        if let Some(range) = use_name_range(parse, model, u) {
            found.push(SymbolAt {
                symbol: Symbol::VarUse(u),
                range,
            });
        }
    }
    for (h, heredoc) in entry.inst.heredocs.iter().enumerate() {
        let Some(names) = heredoc_names(parse, entry, heredoc) else {
            continue;
        };
        found.push(SymbolAt {
            symbol: Symbol::Heredoc {
                entry: i,
                heredoc: h,
                opener: true,
            },
            range: names.opener.unwrap_or(names.delimiter),
        });
        if let Some(range) = names.terminator {
            found.push(SymbolAt {
                symbol: Symbol::Heredoc {
                    entry: i,
                    heredoc: h,
                    opener: false,
                },
                range,
            });
        }
    }
    // A name that contains the offset wins over one that merely ends there (`$A$B` between
    // the names is on `B`).
    found
        .iter()
        .find(|s| s.range.contains(offset))
        .or_else(|| found.iter().find(|s| s.range.end() == offset))
        .copied()
}

// ---- Targets -------------------------------------------------------------------------------------

/// Where stage `s` is defined: its FROM instruction, focused on the name (or, for an unnamed
/// stage reached by index, on the FROM keyword).
pub fn stage_target(parse: &Parse, model: &Model, s: usize) -> Option<NavTarget> {
    let stage = model.stages.get(s)?;
    let entry = parse.entry(stage.from_entry)?;
    let focus = stage_name_range(parse, model, s)
        .or(stage.name_range)
        .unwrap_or_else(|| entry.abs(entry.inst.command.keyword_range));
    Some(NavTarget {
        full_range: entry.range(),
        focus_range: focus,
    })
}

fn var_target(parse: &Parse, def: &VarDef) -> NavTarget {
    let focus = def_name_range(parse, def).unwrap_or(def.range);
    let end = def.value_range.map_or(def.range.end(), |v| v.end());
    NavTarget {
        full_range: TextRange::new(def.range.start(), end.max(def.range.end())),
        focus_range: focus,
    }
}

/// The global `ARG X=…` a stage's `ARG X` (no default) takes its value from.
pub fn inherited_global(model: &Model, def: u32) -> Option<u32> {
    let d = model.var_defs.get(def as usize)?;
    if d.kind != DefKind::Arg || d.default.is_some() {
        return None;
    }
    match model.global_env.get_var(&d.name)?.origin {
        crate::model::Origin::Def(g) | crate::model::Origin::BuildArg(g)
            if model.var_defs.get(g as usize)?.kind == DefKind::GlobalArg =>
        {
            Some(g)
        }
        _ => None,
    }
}

/// Go to definition.
pub fn definition(parse: &Parse, model: &Model, offset: TextSize) -> Option<Definition> {
    let at = symbol_at(parse, model, offset)?;
    let targets = match at.symbol {
        Symbol::StageDef(s) => vec![stage_target(parse, model, s)?],
        Symbol::StageRef(r) => vec![stage_target(parse, model, model.stage_refs[r].target?)?],
        Symbol::VarDef(d) => {
            // On a re-declaration without default, the value comes from the global ARG.
            let def = inherited_global(model, d).unwrap_or(d);
            vec![var_target(parse, &model.var_defs[def as usize])]
        }
        Symbol::VarUse(u) => {
            let d = model.var_uses[u].def?;
            let mut targets = vec![var_target(parse, &model.var_defs[d as usize])];
            if let Some(g) = inherited_global(model, d) {
                targets.push(var_target(parse, &model.var_defs[g as usize]));
            }
            targets
        }
        Symbol::Heredoc { entry, heredoc, .. } => {
            let e = parse.entry(entry)?;
            let h = e.inst.heredocs.get(heredoc)?;
            let names = heredoc_names(parse, e, h)?;
            vec![NavTarget {
                full_range: e.abs(h.range),
                focus_range: names.opener.unwrap_or(names.delimiter),
            }]
        }
    };
    Some(Definition {
        origin: at.range,
        targets,
    })
}

// ---- Occurrences ---------------------------------------------------------------------------------

/// Every occurrence of the symbol at `offset`, definitions marked `Write`, in source order.
///
/// - A stage: its name and every reference resolving to it (index references included).
/// - A variable: every definition and use of its group (all ARGs of one name are one build
///   argument; an ENV that overrides a visible variable joins it).
/// - A variable with no definition in the file (`$HOME`, an undeclared `$TARGETARCH`): its other
///   unresolved uses of the same name.
/// - An image named by `--from=`: the other `--from=` with the same text.
/// - A heredoc: its opener and terminator.
pub fn occurrences(parse: &Parse, model: &Model, offset: TextSize) -> Option<Vec<Highlight>> {
    let at = symbol_at(parse, model, offset)?;
    Some(occurrences_of(parse, model, at.symbol))
}

pub fn occurrences_of(parse: &Parse, model: &Model, symbol: Symbol) -> Vec<Highlight> {
    let mut out = Vec::new();
    let mut push = |range: Option<TextRange>, kind| {
        if let Some(range) = range {
            out.push(Highlight { range, kind });
        }
    };
    match symbol {
        Symbol::StageDef(_) | Symbol::StageRef(_) => {
            let target = match symbol {
                Symbol::StageDef(s) => Some(s),
                Symbol::StageRef(r) => model.stage_refs[r].target,
                _ => None,
            };
            match target {
                Some(s) => {
                    push(
                        stage_name_range(parse, model, s).or(model.stages[s].name_range),
                        HighlightKind::Write,
                    );
                    for r in model.refs_to_stage(s) {
                        push(
                            Some(stage_ref_name_range(parse, r).unwrap_or(r.range)),
                            HighlightKind::Read,
                        );
                    }
                }
                None => {
                    if let Symbol::StageRef(r) = symbol {
                        let text = &model.stage_refs[r].text;
                        for r in model
                            .stage_refs
                            .iter()
                            .filter(|o| o.target.is_none() && o.text == *text)
                        {
                            push(
                                Some(stage_ref_name_range(parse, r).unwrap_or(r.range)),
                                HighlightKind::Read,
                            );
                        }
                    }
                }
            }
        }
        Symbol::VarDef(_) | Symbol::VarUse(_) => {
            let def = match symbol {
                Symbol::VarDef(d) => Some(d),
                Symbol::VarUse(u) => model.var_uses[u].def,
                _ => None,
            };
            match def {
                Some(d) => {
                    for (_, def) in model.defs_in_group(d) {
                        push(
                            Some(def_name_range(parse, def).unwrap_or(def.range)),
                            HighlightKind::Write,
                        );
                    }
                    let g = model.group(d);
                    for (u, var) in model.var_uses.iter().enumerate() {
                        if var.def.is_some_and(|d| model.group(d) == g) {
                            push(use_name_range(parse, model, u), HighlightKind::Read);
                        }
                    }
                }
                None => {
                    if let Symbol::VarUse(u) = symbol {
                        let name = &model.var_uses[u].name;
                        for (u, var) in model.var_uses.iter().enumerate() {
                            if var.def.is_none() && var.name == *name {
                                push(use_name_range(parse, model, u), HighlightKind::Read);
                            }
                        }
                    }
                }
            }
        }
        Symbol::Heredoc { entry, heredoc, .. } => {
            if let Some(e) = parse.entry(entry) {
                if let Some(names) = e
                    .inst
                    .heredocs
                    .get(heredoc)
                    .and_then(|h| heredoc_names(parse, e, h))
                {
                    push(
                        Some(names.opener.unwrap_or(names.delimiter)),
                        HighlightKind::Write,
                    );
                    push(names.terminator, HighlightKind::Read);
                }
            }
        }
    }
    out.sort_by_key(|h| (h.range.start(), h.range.end()));
    out.dedup_by_key(|h| h.range);
    out
}

/// Document highlight.
pub fn highlights(parse: &Parse, model: &Model, offset: TextSize) -> Vec<Highlight> {
    occurrences(parse, model, offset).unwrap_or_default()
}

/// Find references; definitions only when `include_declaration`.
pub fn references(
    parse: &Parse,
    model: &Model,
    offset: TextSize,
    include_declaration: bool,
) -> Vec<TextRange> {
    occurrences(parse, model, offset)
        .unwrap_or_default()
        .into_iter()
        .filter(|h| include_declaration || h.kind == HighlightKind::Read)
        .map(|h| h.range)
        .collect()
}

/// The 1-based line of `offset`, counting only within instruction `entry` (cheap: one
/// instruction's text).
pub(crate) fn line_of(parse: &Parse, entry: usize, offset: TextSize) -> u32 {
    let Some(e) = parse.entry(entry) else {
        return 0;
    };
    let start = usize::from(e.offset);
    let end = usize::from(offset).max(start);
    let newlines = parse
        .text()
        .as_bytes()
        .get(start..end)
        .map_or(0, |b| memchr::memchr_iter(b'\n', b).count());
    e.line + newlines as u32 + 1
}

#[cfg(test)]
mod tests;
