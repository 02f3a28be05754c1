//! Rename (and prepareRename) for stage names, ARG/ENV variables and heredoc delimiters.
//!
//! A rename either changes every occurrence so that the file means the same thing with the new
//! name, or is refused with a message saying why. It is refused when an occurrence is written
//! in a way that cannot be edited safely (mixed quoting, a name produced by expansion), when
//! the new name is invalid, and when the new name would capture or be captured by another
//! symbol (another stage's name, an image a later `FROM` pulls, a variable already visible in
//! one of the scopes involved).
//!
//! Stage names: the definition and every reference by name change (`FROM`, `COPY --from`,
//! `RUN --mount from=`, ONBUILD triggers); `--from=<index>` references stay as they are.
//! Each occurrence keeps its casing style when the new name is typed in lower case
//! (`COPY --from=BUILD` becomes `--from=COMPILE`); `FROM` references are always written in
//! lower case, because `FROM` matches the stored (lower-cased) name exactly.

use super::navigation::{
    Symbol, def_name_range, heredoc_names, line_of, stage_name_range, stage_ref_name_range,
    symbol_at, use_name_range,
};
use crate::model::{Base, DefKind, Model, StageRefKind, UseContext};
use crate::syntax::{Keyword, Parse, TextRange, TextSize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// What prepareRename answers: the range to rename and the text to start from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepareRename {
    pub range: TextRange,
    pub placeholder: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameError {
    /// Nothing that can be renamed is at the position.
    NoSymbol,
    /// A symbol is there but cannot be renamed (or not to that name); the message says why.
    Refused(String),
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameError::NoSymbol => f.write_str("there is nothing to rename here"),
            RenameError::Refused(msg) => f.write_str(msg),
        }
    }
}

fn refused<T>(msg: impl Into<String>) -> Result<T, RenameError> {
    Err(RenameError::Refused(msg.into()))
}

fn text_at(parse: &Parse, range: TextRange) -> &str {
    parse
        .text()
        .get(range.start().into()..range.end().into())
        .unwrap_or_default()
}

fn line_at(parse: &Parse, entry: usize, offset: TextSize) -> u32 {
    line_of(parse, entry, offset)
}

/// The range and current text of the renameable name at `offset`.
pub fn prepare_rename(
    parse: &Parse,
    model: &Model,
    offset: TextSize,
) -> Result<PrepareRename, RenameError> {
    let at = symbol_at(parse, model, offset).ok_or(RenameError::NoSymbol)?;
    let range = match at.symbol {
        Symbol::StageDef(s) => match stage_name_range(parse, model, s) {
            Some(r) => r,
            None => return refused("this stage name is written in a way that can't be edited"),
        },
        Symbol::StageRef(r) => {
            let sr = &model.stage_refs[r];
            let Some(target) = sr.target else {
                return refused(format!(
                    "`{}` is an image or build context, not a stage of this file",
                    sr.text
                ));
            };
            if sr.by_index {
                let line = model
                    .stages
                    .get(target)
                    .map_or(0, |s| line_at(parse, s.from_entry, TextSize::from(0)));
                return refused(format!(
                    "`--from={}` refers to stage {target} by index; rename its name on line {line} instead",
                    sr.text
                ));
            }
            match stage_ref_name_range(parse, sr) {
                Some(r) => r,
                None => {
                    return refused(
                        "this reference is written with quotes or escapes that can't be edited safely",
                    );
                }
            }
        }
        Symbol::VarDef(d) => {
            let def = &model.var_defs[d as usize];
            match def_name_range(parse, def) {
                Some(r) => r,
                None => {
                    return refused(format!(
                        "this name is computed (`{}` expands to `{}`); rename the variables it uses instead",
                        text_at(parse, def.range),
                        def.name
                    ));
                }
            }
        }
        Symbol::VarUse(u) => {
            let var = &model.var_uses[u];
            if var.def.is_none() {
                let why = if var.predefined {
                    "it is a predefined build argument"
                } else if crate::docs::predefined_arg(&var.name).is_some() {
                    "it is a predefined build argument, and this scope doesn't declare it"
                } else {
                    "it comes from the base image or is not set"
                };
                return refused(format!(
                    "`{}` is not defined in this file ({why})",
                    var.name
                ));
            }
            at.range
        }
        Symbol::Heredoc { .. } => at.range,
    };
    Ok(PrepareRename {
        range,
        placeholder: text_at(parse, range).to_string(),
    })
}

/// The edits that rename the symbol at `offset` to `new_name`.
pub fn rename(
    parse: &Parse,
    model: &Model,
    offset: TextSize,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    prepare_rename(parse, model, offset)?;
    let at = symbol_at(parse, model, offset).ok_or(RenameError::NoSymbol)?;
    let mut edits = match at.symbol {
        Symbol::StageDef(s) => rename_stage(parse, model, s, new_name)?,
        Symbol::StageRef(r) => match model.stage_refs[r].target {
            Some(s) => rename_stage(parse, model, s, new_name)?,
            None => return Err(RenameError::NoSymbol),
        },
        Symbol::VarDef(d) => rename_var(parse, model, d, new_name)?,
        Symbol::VarUse(u) => match model.var_uses[u].def {
            Some(d) => rename_var(parse, model, d, new_name)?,
            None => return Err(RenameError::NoSymbol),
        },
        Symbol::Heredoc { entry, heredoc, .. } => rename_heredoc(parse, entry, heredoc, new_name)?,
    };
    edits.sort_by_key(|e| e.range.start());
    edits.dedup_by_key(|e| e.range);
    Ok(edits)
}

// ---- Stages --------------------------------------------------------------------------------------

/// BuildKit's stage-name rule, applied (as BuildKit does) to the lower-cased name.
pub fn valid_stage_name(lower: &str) -> bool {
    let mut chars = lower.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
}

/// `new` written in the casing style of `old`, when `new` is all lower case.
fn styled(old: &str, new: &str) -> String {
    if new.chars().any(|c| c.is_uppercase()) {
        return new.to_string();
    }
    let letters: Vec<char> = old.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return new.to_uppercase();
    }
    let mut chars = old.chars();
    let capitalized = chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| !c.is_alphabetic() || c.is_lowercase());
    if capitalized {
        let mut it = new.chars();
        return match it.next() {
            Some(first) => first.to_uppercase().chain(it).collect(),
            None => String::new(),
        };
    }
    new.to_string()
}

fn rename_stage(
    parse: &Parse,
    model: &Model,
    s: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    let lower = new_name.to_lowercase();
    if !valid_stage_name(&lower) {
        return refused(format!(
            "`{new_name}` is not a valid stage name: it must start with a letter and contain only letters, digits, `-`, `_` and `.`"
        ));
    }
    if lower == "scratch" || lower == "context" {
        return refused(format!("`{lower}` is reserved and can't name a stage"));
    }
    let stage = &model.stages[s];
    let line = |entry: usize| line_at(parse, entry, TextSize::from(0));
    if let Some(other) = model
        .stages
        .iter()
        .find(|o| o.index != s && o.name.as_deref() == Some(lower.as_str()))
    {
        return refused(format!(
            "a stage named `{lower}` already exists on line {}",
            line(other.from_entry)
        ));
    }
    // A later `FROM <new>` that pulls an image today would start naming this stage.
    if let Some(captured) = model
        .stages
        .iter()
        .find(|o| o.index > s && o.base_text == lower.as_str() && matches!(o.base, Base::Image(_)))
    {
        return refused(format!(
            "`FROM {lower}` on line {} pulls an image today and would then refer to this stage",
            line(captured.from_entry)
        ));
    }
    if let Some(captured) = model.stage_refs.iter().find(|r| {
        r.target.is_none() && r.kind != StageRefKind::From && r.text.to_lowercase() == lower
    }) {
        return refused(format!(
            "`--from={}` on line {} names an image today and would then refer to this stage",
            captured.text,
            line_at(parse, captured.entry, captured.range.start())
        ));
    }
    // A pure change of case is written exactly as typed (the user is fixing the casing).
    let case_only = stage.name.as_deref() == Some(lower.as_str());
    let write = |old: &str| {
        if case_only {
            new_name.to_string()
        } else {
            styled(old, new_name)
        }
    };
    let mut edits = Vec::new();
    if let Some(range) = stage.name_range {
        let range = stage_name_range(parse, model, s).unwrap_or(range);
        edits.push(TextEdit {
            range,
            new_text: write(text_at(parse, range)),
        });
    }
    for r in model.refs_to_stage(s).filter(|r| !r.by_index) {
        let Some(range) = stage_ref_name_range(parse, r) else {
            return refused(format!(
                "the reference on line {} is written with quotes or escapes that can't be edited safely",
                line_at(parse, r.entry, r.range.start())
            ));
        };
        let new_text = if r.kind == StageRefKind::From {
            lower.clone()
        } else {
            write(text_at(parse, range))
        };
        edits.push(TextEdit { range, new_text });
    }
    Ok(edits)
}

// ---- Variables -----------------------------------------------------------------------------------

/// A name `$NAME` can refer to in both the builder and a POSIX shell.
pub fn valid_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn rename_var(
    parse: &Parse,
    model: &Model,
    def: u32,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    if !valid_var_name(new_name) {
        return refused(format!(
            "`{new_name}` is not a valid variable name: use letters, digits and `_`, not starting with a digit"
        ));
    }
    let old = &model.var_defs[def as usize].name;
    if new_name == old.as_str() {
        return Ok(Vec::new());
    }
    if crate::docs::predefined_arg(old).is_some() {
        // `ARG TARGETARCH` takes its value from the builder; under another name it would not.
        return refused(format!(
            "`{old}` is a predefined build argument: under another name it would lose the value the builder gives it"
        ));
    }
    if new_name == "PATH" || crate::docs::predefined_arg(new_name).is_some() {
        return refused(format!(
            "`{new_name}` is predefined; a variable of that name would change what it means"
        ));
    }
    let g = model.group(def);
    // All ARGs of one name are one build argument (one `--build-arg` sets them all), wherever
    // they are: renaming onto an existing ARG would merge the two.
    let is_arg = |d: &crate::model::VarDef| {
        matches!(d.kind, DefKind::GlobalArg | DefKind::Arg)
            || (d.kind == DefKind::Onbuild
                && parse
                    .entry(d.entry)
                    .is_some_and(|e| e.inst.command.effective().kind == Keyword::Arg))
    };
    if model.defs_in_group(def).any(|(_, d)| is_arg(d)) {
        if let Some(other) = model
            .var_defs
            .iter()
            .find(|d| d.name == new_name && is_arg(d))
        {
            return refused(format!(
                "`{new_name}` is already a build argument (line {}): one `--build-arg` would set both",
                line_at(parse, other.entry, other.range.start())
            ));
        }
    }
    let mut edits = Vec::new();
    // Scopes the variable lives in: `None` is the global scope (FROM lines and global ARGs).
    let mut stages = vec![false; model.stages.len()];
    let mut global = false;
    let mut touch = |entry: usize, context: Option<UseContext>| match model
        .entries
        .get(entry)
        .and_then(|e| e.stage)
    {
        Some(s) if context != Some(UseContext::From) => stages[s] = true,
        _ => global = true,
    };
    for (_, d) in model.defs_in_group(def) {
        let Some(range) = def_name_range(parse, d) else {
            return refused(format!(
                "the definition on line {} is computed (`{}`) and can't be renamed",
                line_at(parse, d.entry, d.range.start()),
                text_at(parse, d.range)
            ));
        };
        touch(d.entry, None);
        edits.push(TextEdit {
            range,
            new_text: new_name.to_string(),
        });
    }
    for (u, var) in model.var_uses.iter().enumerate() {
        if var.def.is_none_or(|d| model.group(d) != g) {
            continue;
        }
        let Some(range) = use_name_range(parse, model, u) else {
            return refused(format!(
                "the use on line {} is written in a way that can't be edited safely",
                line_at(parse, var.entry, var.range.start())
            ));
        };
        touch(var.entry, Some(var.context));
        edits.push(TextEdit {
            range,
            new_text: new_name.to_string(),
        });
    }
    // Stages built on a touched stage see its variables too.
    for s in 0..model.stages.len() {
        if let Base::Stage(p) = model.stages[s].base {
            if stages.get(p) == Some(&true) {
                stages[s] = true;
            }
        }
    }
    let in_scope = |entry: usize, context: Option<UseContext>| match model
        .entries
        .get(entry)
        .and_then(|e| e.stage)
    {
        Some(s) if context != Some(UseContext::From) => stages[s],
        _ => global,
    };
    let clash = model
        .var_defs
        .iter()
        .enumerate()
        .find(|(i, d)| d.name == new_name && model.group(*i as u32) != g && in_scope(d.entry, None))
        .map(|(_, d)| (d.entry, d.range.start()))
        .or_else(|| {
            model
                .var_uses
                .iter()
                .find(|u| u.name == new_name && in_scope(u.entry, Some(u.context)))
                .map(|u| (u.entry, u.range.start()))
        });
    if let Some((entry, at)) = clash {
        return refused(format!(
            "`{new_name}` is already used on line {}, in a scope this variable reaches",
            line_at(parse, entry, at)
        ));
    }
    Ok(edits)
}

// ---- Heredocs ------------------------------------------------------------------------------------

/// A delimiter that needs no quoting and is a plain file name for `COPY <<name`.
pub fn valid_heredoc_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.starts_with('-')
}

fn rename_heredoc(
    parse: &Parse,
    entry: usize,
    heredoc: usize,
    new_name: &str,
) -> Result<Vec<TextEdit>, RenameError> {
    if !valid_heredoc_name(new_name) {
        return refused(format!(
            "`{new_name}` is not a plain heredoc delimiter: use letters, digits, `_`, `-` and `.`"
        ));
    }
    let Some(e) = parse.entry(entry) else {
        return Err(RenameError::NoSymbol);
    };
    let Some(h) = e.inst.heredocs.get(heredoc) else {
        return Err(RenameError::NoSymbol);
    };
    let Some(names) = heredoc_names(parse, e, h) else {
        return Err(RenameError::NoSymbol);
    };
    // A body line equal to the new name would end the heredoc early.
    let body_start = e.abs(h.body).start();
    let mut at = body_start;
    for line in h.content.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let bare = if h.chomp {
            bare.trim_start_matches('\t')
        } else {
            bare
        };
        if bare == new_name {
            return refused(format!(
                "line {} of the body is `{new_name}`: it would end the heredoc there",
                line_at(parse, entry, at)
            ));
        }
        at += TextSize::from(line.len() as u32);
    }
    let mut edits = vec![match names.opener {
        Some(range) => TextEdit {
            range,
            new_text: new_name.to_string(),
        },
        // Mixed quoting (`<<E"OF"`): write the delimiter afresh, still quoted if it was.
        None => TextEdit {
            range: names.delimiter,
            new_text: if h.expand {
                new_name.to_string()
            } else {
                format!("\"{new_name}\"")
            },
        },
    }];
    if let Some(range) = names.terminator {
        edits.push(TextEdit {
            range,
            new_text: new_name.to_string(),
        });
    }
    Ok(edits)
}

#[cfg(test)]
mod tests;
