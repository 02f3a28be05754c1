//! Context-aware completion: instructions, flags and their values, `--mount` options, stage
//! names, variables in scope, parser directives and `# check=` rule names.
//!
//! The context comes from the one instruction under the cursor (`Parse::entry_at`) and the
//! model's per-instruction state, never from a walk over the file; only instruction-keyword
//! completion counts the file's keyword casing. Everything offered comes from the `docs`
//! tables, filtered by the frontend version the file pins. Nothing is offered in comments
//! (except directives and `# check=skip=`), nor in heredoc bodies that are not expanded.

use crate::docs::{self, FlagInfo, FlagKind, InstructionInfo, PredefinedArgKind, RuleOrigin};
use crate::model::{DefKind, Model, Mount};
use crate::syntax::{Command, Entry, Keyword, Parse, TextRange, TextSize};

use super::formatting::keyword_casing;
use super::text_util::{Line, clamp, is_comment_line, line_at, lines, range};

/// Characters that should open completion (register them with the client).
pub const TRIGGER_CHARACTERS: [&str; 6] = [" ", "-", "=", "$", "{", ","];

/// What an item is, for the client's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    /// An instruction keyword (with a snippet of its arguments).
    Instruction,
    /// Another keyword: `AS`, HEALTHCHECK's `CMD`/`NONE`, `scratch`.
    Keyword,
    /// An instruction flag (`--mount`).
    Flag,
    /// A `--mount` option key (`target`).
    MountOption,
    /// A value of a flag, mount option or directive.
    Value,
    Variable,
    /// A build stage name.
    Stage,
    /// A parser directive name.
    Directive,
    /// A build check rule name.
    Rule,
}

/// One completion item. `range` is the text before the cursor the item replaces (insert
/// mode); `replace_range` extends it over the rest of the word after the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    pub range: TextRange,
    pub replace_range: TextRange,
    pub insert_text: String,
    /// `insert_text` is an LSP snippet (`${1:placeholder}`, `${1|a,b|}`); see
    /// [`snippet_to_plain`] for clients without snippet support.
    pub snippet: bool,
    pub sort_text: String,
    pub deprecated: bool,
}

/// A snippet as plain text: placeholders keep their default text, choices their first value,
/// tab stops vanish.
pub fn snippet_to_plain(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len());
    let mut chars = snippet.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '$' if chars.peek().is_some_and(|n| n.is_ascii_digit()) => {
                while chars.next_if(char::is_ascii_digit).is_some() {}
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.next_if(char::is_ascii_digit).is_some() {}
                match chars.next() {
                    Some(':') => {
                        // The default text, up to the matching `}`.
                        let mut depth = 0;
                        for c in chars.by_ref() {
                            match c {
                                '{' => depth += 1,
                                '}' if depth == 0 => break,
                                '}' => depth -= 1,
                                _ => {}
                            }
                            out.push(c);
                        }
                    }
                    Some('|') => {
                        let mut first = true;
                        for c in chars.by_ref() {
                            match c {
                                ',' => first = false,
                                '|' => {}
                                '}' => break,
                                _ if first => out.push(c),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The items for the cursor at `offset`.
pub fn completion(parse: &Parse, model: &Model, offset: TextSize) -> Vec<CompletionItem> {
    let text = parse.text();
    let off = clamp(text, offset);
    let line = line_at(text, off);
    // Between the `\r` and `\n` of a line break is the end of the line.
    let off = off.min(line.content_end);
    let mut cx = Cx {
        parse,
        model,
        text,
        off,
        line,
        items: Vec::new(),
    };
    if cx.directive() {
        cx.items
            .sort_by(|a, b| (&a.sort_text, &a.label).cmp(&(&b.sort_text, &b.label)));
        return cx.items;
    }
    match parse.entry_at(TextSize::from(off as u32)) {
        None => {
            if is_comment_line(text, line) {
                cx.check_comment();
            } else {
                cx.blank_line();
            }
        }
        Some(i) => {
            if let Some(entry) = parse.entry(i) {
                cx.instruction(i, entry);
            }
        }
    }
    // In the order clients show them, so the answer is deterministic.
    cx.items
        .sort_by(|a, b| (&a.sort_text, &a.label).cmp(&(&b.sort_text, &b.label)));
    cx.items
}

/// The cursor and what we know about it.
struct Cx<'a> {
    parse: &'a Parse,
    model: &'a Model,
    text: &'a str,
    off: usize,
    line: Line,
    items: Vec<CompletionItem>,
}

/// How variables at a position are scoped.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// FROM lines: global ARGs and the predefined platform ARGs.
    Global,
    /// ARG before the first FROM: predefined ARGs and earlier global ARGs.
    MetaArg,
    /// Build time (RUN, COPY, ENV, …): ARGs and ENVs declared so far.
    Build,
    /// Container run time (CMD, ENTRYPOINT, HEALTHCHECK): ENV only.
    Runtime,
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t')
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'a> Cx<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// The blank-delimited word around the cursor on its line: `(start, end)`.
    fn word(&self) -> (usize, usize) {
        let b = self.bytes();
        let mut s = self.off;
        while s > self.line.start && !is_blank(b[s - 1]) {
            s -= 1;
        }
        let mut e = self.off;
        while e < self.line.content_end && !is_blank(b[e]) {
            e += 1;
        }
        (s, e)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        label: impl Into<String>,
        kind: CompletionKind,
        detail: Option<String>,
        documentation: Option<String>,
        (start, end): (usize, usize),
        insert: Option<String>,
        snippet: bool,
        sort: impl Into<String>,
    ) {
        let label = label.into();
        self.items.push(CompletionItem {
            insert_text: insert.unwrap_or_else(|| label.clone()),
            label,
            kind,
            detail,
            documentation,
            range: range(start, self.off),
            replace_range: range(start, end.max(self.off)),
            snippet,
            sort_text: sort.into(),
            deprecated: false,
        });
    }

    // ---- parser directives and `# check=` comments ------------------------------------------

    /// Completion on the top lines, where parser directives live. Returns whether the cursor is
    /// there (even when nothing is offered).
    fn directive(&mut self) -> bool {
        let directives = self.parse.directives();
        // Directives are lines 0..n; the cursor's line must be one of them or line n.
        let Some(n) = lines(self.text, 0, self.text.len())
            .take(directives.len() + 1)
            .position(|l| l.start == self.line.start)
        else {
            return false;
        };
        let contiguous = directives
            .iter()
            .enumerate()
            .all(|(i, d)| d.line == i as u32);
        if !contiguous || !is_comment_line(self.text, self.line) {
            return false;
        }
        let own = directives.get(n);
        let line_text = &self.text[self.line.start..self.off];
        let Some(hash) = line_text.find('#') else {
            return false;
        };
        let after = &line_text[hash + 1..];
        let name_start = self.line.start + hash + 1 + (after.len() - after.trim_start().len());
        let before = &self.text[name_start..self.off];
        match before.find('=') {
            None => {
                if !before.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return true;
                }
                let (_, end) = self.word();
                for info in docs::directives() {
                    let taken = directives
                        .iter()
                        .any(|d| d.name == info.name && own.is_none_or(|o| o.line != d.line));
                    if taken {
                        continue;
                    }
                    let insert = match info.name {
                        "syntax" => "syntax=${1:docker/dockerfile:1}",
                        "escape" => "escape=${1|`,\\\\|}",
                        _ => "check=${1:skip=}",
                    };
                    self.push(
                        info.name,
                        CompletionKind::Directive,
                        Some("parser directive".into()),
                        Some(doc_with_url(info.doc, info.url)),
                        (name_start, end),
                        Some(insert.into()),
                        true,
                        info.name,
                    );
                }
            }
            Some(eq) => {
                let name = before[..eq].trim().to_ascii_lowercase();
                let value_part = &before[eq + 1..];
                let value_start =
                    name_start + eq + 1 + (value_part.len() - value_part.trim_start().len());
                match name.as_str() {
                    "syntax" => self.syntax_values(value_start),
                    "escape" => {
                        let end = self.line.content_end;
                        for (v, doc) in [
                            ("\\", "The default escape character."),
                            (
                                "`",
                                "A backtick, for Windows paths such as `C:\\app\\` that end in `\\`.",
                            ),
                        ] {
                            self.push(
                                v,
                                CompletionKind::Value,
                                None,
                                Some(doc.into()),
                                (value_start, end),
                                None,
                                false,
                                v,
                            );
                        }
                    }
                    "check" => self.check_value(value_start, true),
                    _ => {}
                }
            }
        }
        true
    }

    fn syntax_values(&mut self, start: usize) {
        let (_, end) = self.word();
        let latest = docs::LATEST_STABLE;
        let values = [
            (
                "docker/dockerfile:1".to_string(),
                "The newest stable 1.x frontend (recommended).".to_string(),
            ),
            (
                format!("docker/dockerfile:{latest}"),
                format!("Pinned to frontend {latest}."),
            ),
            (
                "docker/dockerfile:1-labs".to_string(),
                "The newest 1.x frontend with labs features (`RUN --device`).".to_string(),
            ),
            (
                "docker/dockerfile-upstream:master".to_string(),
                "The development frontend built from BuildKit's master branch.".to_string(),
            ),
        ];
        for (i, (v, doc)) in values.into_iter().enumerate() {
            self.push(
                v,
                CompletionKind::Value,
                None,
                Some(doc),
                (start, end),
                None,
                false,
                format!("{i}"),
            );
        }
    }

    /// `# check=` values: `skip=…;error=…;experimental=…`, rule names comma-separated.
    fn check_value(&mut self, value_start: usize, keys: bool) {
        let before = &self.text[value_start..self.off];
        if before.contains(char::is_whitespace) {
            return; // BuildKit ignores what follows a space
        }
        let part_start = value_start + before.rfind(';').map_or(0, |i| i + 1);
        let part = &self.text[part_start..self.off];
        let end = {
            let b = self.bytes();
            let mut e = self.off;
            while e < self.line.content_end && !matches!(b[e], b',' | b';' | b' ' | b'\t') {
                e += 1;
            }
            e
        };
        let Some(eq) = part.find('=') else {
            if !keys {
                return;
            }
            for (key, insert, doc) in [
                (
                    "skip",
                    "skip=",
                    "Rules to turn off, comma-separated, or `all`.",
                ),
                (
                    "error",
                    "error=${1|true,false|}",
                    "`true` makes the build fail when a check reports something.",
                ),
                (
                    "experimental",
                    "experimental=",
                    "Experimental rules to turn on, comma-separated, or `all`.",
                ),
            ] {
                self.push(
                    key,
                    CompletionKind::Value,
                    None,
                    Some(doc.into()),
                    (part_start, end),
                    Some(insert.into()),
                    insert.contains('$'),
                    key,
                );
            }
            return;
        };
        let key = part[..eq].trim().to_ascii_lowercase();
        let list_start = part_start + eq + 1;
        match key.as_str() {
            "error" if keys => {
                for v in ["true", "false"] {
                    self.push(
                        v,
                        CompletionKind::Value,
                        None,
                        None,
                        (list_start, end),
                        None,
                        false,
                        v,
                    );
                }
            }
            "skip" | "experimental" => {
                let list = &self.text[list_start..self.off];
                let item_start = list_start + list.rfind(',').map_or(0, |i| i + 1);
                let listed: Vec<&str> = self.text[list_start..self.line.content_end]
                    .split([',', ';', ' '])
                    .collect();
                let current = &self.text[item_start..end];
                if list_start == item_start {
                    self.push(
                        "all",
                        CompletionKind::Value,
                        None,
                        Some("Every rule.".into()),
                        (item_start, end),
                        None,
                        false,
                        "0",
                    );
                }
                let experimental_only = key == "experimental";
                for rule in docs::rules() {
                    if rule.code != current && listed.contains(&rule.code) {
                        continue;
                    }
                    if experimental_only && !rule.experimental {
                        continue;
                    }
                    let origin = match rule.origin {
                        RuleOrigin::BuildKit => "1",
                        RuleOrigin::Ours => "2",
                    };
                    self.push(
                        rule.code,
                        CompletionKind::Rule,
                        Some(rule.summary.into()),
                        Some(doc_with_url(rule.doc, rule.url)),
                        (item_start, end),
                        None,
                        false,
                        format!("{origin}{}", rule.code),
                    );
                }
            }
            _ => {}
        }
    }

    /// A comment above an instruction: only `# check=skip=<rules>` (frontend 1.21) completes.
    fn check_comment(&mut self) {
        let line_text = &self.text[self.line.start..self.off];
        let Some(hash) = line_text.find('#') else {
            return;
        };
        let body = line_text[hash + 1..].trim_start();
        let body_start = self.off - body.len();
        let lower = body.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("check") else {
            return;
        };
        let rest_trim = rest.trim_start();
        if !rest_trim.starts_with('=') {
            return;
        }
        let value_start = body_start + (body.len() - rest_trim.len()) + 1;
        let value = &self.text[value_start..self.off];
        if value.to_ascii_lowercase().starts_with("skip=") {
            self.check_value(value_start, false);
        }
    }

    // ---- instructions -------------------------------------------------------------------------

    /// A line outside any instruction: a new instruction is being typed.
    fn blank_line(&mut self) {
        let before = &self.text[self.line.start..self.off];
        let trimmed = before.trim_start();
        if trimmed.contains(char::is_whitespace) {
            return;
        }
        let (start, end) = self.word();
        let next =
            super::semantic_tokens::first_entry_from(self.parse, TextSize::from(self.off as u32));
        let after_from = self
            .model
            .stages
            .first()
            .is_some_and(|s| s.from_entry < next);
        self.instructions(start, end, false, after_from, false);
    }

    /// Instruction keywords. `trigger`: after ONBUILD. `plain`: the line already has arguments,
    /// so only the keyword is inserted.
    fn instructions(
        &mut self,
        start: usize,
        end: usize,
        trigger: bool,
        after_from: bool,
        plain: bool,
    ) {
        let casing = keyword_casing(self.parse);
        for info in docs::instructions() {
            if trigger && !info.onbuild_trigger {
                continue;
            }
            if !trigger && !after_from && !matches!(info.name, "FROM" | "ARG") {
                // Before the first FROM only ARG and FROM are allowed.
                continue;
            }
            let label = casing.apply(info.name);
            let snippet = format!("{label}{}", &info.snippet[info.name.len()..]);
            let sort = if info.deprecated {
                format!("z{}", info.name)
            } else {
                info.name.to_string()
            };
            let (insert, is_snippet) = if plain {
                (label.clone(), false)
            } else {
                (snippet, true)
            };
            self.push(
                label,
                CompletionKind::Instruction,
                Some(info.summary.into()),
                Some(doc_with_url(info.doc, info.url)),
                (start, end),
                Some(insert),
                is_snippet,
                sort,
            );
            if info.deprecated {
                if let Some(last) = self.items.last_mut() {
                    last.deprecated = true;
                }
            }
        }
    }

    fn instruction(&mut self, index: usize, entry: Entry<'a>) {
        let inst = entry.inst;
        let off = TextSize::from(self.off as u32);
        // Heredoc bodies: variables where they are expanded, nothing else.
        if let Some(first) = inst.heredocs.first() {
            if off >= entry.offset + first.body.start() {
                for h in &inst.heredocs {
                    let body = entry.abs(h.body);
                    if body.start() <= off && off < body.end().max(body.start() + TextSize::from(1))
                    {
                        let effective = inst.command.effective();
                        let scope = match effective.kind {
                            // RUN bodies are shell scripts: the shell expands them.
                            Keyword::Run => Some(Scope::Build),
                            Keyword::Copy | Keyword::Add if h.expand => Some(Scope::Build),
                            _ => None,
                        };
                        if let Some(scope) = scope {
                            self.variables(index, scope);
                        }
                    }
                }
                return;
            }
        }
        if self.line.start > usize::from(entry.offset) && is_comment_line(self.text, self.line) {
            return;
        }
        let (word_start, word_end) = self.word();
        let top = &inst.command;
        let kw = entry.abs(top.keyword_range);
        if usize::from(kw.start()) == word_start
            || (top.keyword.is_empty() && word_start == self.off)
        {
            if self.off < usize::from(kw.start()) {
                return;
            }
            let after_from = self
                .model
                .stages
                .first()
                .is_some_and(|s| s.from_entry < index)
                || top.kind == Keyword::From;
            let plain = !self.text[word_end..self.line.content_end].trim().is_empty();
            self.instructions(word_start, word_end, false, after_from, plain);
            return;
        }
        if self.off < usize::from(kw.end()) {
            return;
        }
        // ONBUILD: the trigger is an instruction of its own.
        let mut cmd = top;
        if top.kind == Keyword::Onbuild {
            match &top.trigger {
                Some(trigger) => {
                    let tk = entry.abs(trigger.keyword_range);
                    if usize::from(tk.start()) == word_start {
                        let plain = !self.text[word_end..self.line.content_end].trim().is_empty();
                        self.instructions(word_start, word_end, true, true, plain);
                        return;
                    }
                    if word_start < usize::from(tk.start()) {
                        return;
                    }
                    cmd = trigger;
                }
                None => {
                    self.instructions(word_start, word_end, true, true, false);
                    return;
                }
            }
        }
        let scope = scope_of(self.model, index, cmd);
        if self.variable_here(index, cmd, scope, word_start) {
            return;
        }
        let Some(info) = docs::instruction(&cmd.keyword) else {
            return;
        };
        let ws = TextSize::from(word_start as u32);
        let args_before = cmd
            .nodes
            .iter()
            .filter_map(|n| n.range)
            .filter(|r| entry.abs(*r).start() < ws)
            .count();
        let word = &self.text[word_start..self.off];
        if args_before == 0 && word.starts_with('-') && info.parses_flags {
            match word.find('=') {
                Some(eq) if word.starts_with("--") => {
                    let name = &word[2..eq];
                    self.flag_value(index, cmd, info, name, word_start + eq + 1, word_end);
                }
                Some(_) => {}
                None => self.flags(entry, cmd, info, word_start, word_end),
            }
            return;
        }
        self.argument(index, entry, cmd, args_before, word_start, word_end);
    }

    /// `$NAME` / `${NAME` right before the cursor: the variables in scope.
    fn variable_here(
        &mut self,
        index: usize,
        cmd: &Command,
        scope: Option<Scope>,
        word_start: usize,
    ) -> bool {
        let b = self.bytes();
        let mut s = self.off;
        while s > self.line.start && is_name_byte(b[s - 1]) {
            s -= 1;
        }
        let dollar = if s > self.line.start && b[s - 1] == b'$' {
            s - 1
        } else if s > self.line.start + 1 && b[s - 1] == b'{' && b[s - 2] == b'$' {
            s - 2
        } else {
            return false;
        };
        // Exec-form RUN/CMD/ENTRYPOINT/SHELL and `--from` values are never expanded.
        let word = &self.text[word_start..self.off];
        let exec_form = cmd.json
            && matches!(
                cmd.kind,
                Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell
            );
        let no_expansion = word.starts_with("--from=")
            || (word.starts_with("--mount=") && {
                let field = &self.text[word_start..dollar];
                let field = &field[field.rfind(',').map_or(0, |i| i + 1)..];
                field
                    .to_ascii_lowercase()
                    .trim_start_matches("--mount=")
                    .starts_with("from=")
            });
        if exec_form || no_expansion || (b.get(s).is_some_and(|c| c.is_ascii_digit())) {
            return true;
        }
        // An escaped `$` is literal: the shell escapes with `\\`, the builder with the file's
        // escape character.
        let shell = !cmd.json
            && matches!(
                cmd.kind,
                Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck
            );
        let escape = if shell {
            b'\\'
        } else {
            self.parse.escape() as u8
        };
        if dollar > self.line.start && b[dollar - 1] == escape {
            return true;
        }
        if let Some(scope) = scope {
            self.variables_at(index, scope, s, dollar + 1 < s && b[dollar + 1] == b'{');
        }
        true
    }

    /// Variables for a `$` typed in a heredoc body.
    fn variables(&mut self, index: usize, scope: Scope) {
        let b = self.bytes();
        let mut s = self.off;
        while s > self.line.start && is_name_byte(b[s - 1]) {
            s -= 1;
        }
        let braced = s > self.line.start + 1 && b[s - 1] == b'{' && b[s - 2] == b'$';
        let unbraced = s > self.line.start && b[s - 1] == b'$';
        if (braced || unbraced) && !b.get(s).is_some_and(|c| c.is_ascii_digit()) {
            let escaped = {
                let dollar = if braced { s - 2 } else { s - 1 };
                dollar > self.line.start && b[dollar - 1] == b'\\'
            };
            if !escaped {
                self.variables_at(index, scope, s, braced);
            }
        }
    }

    fn variables_at(&mut self, index: usize, scope: Scope, name_start: usize, braced: bool) {
        let b = self.bytes();
        let mut name_end = self.off;
        while name_end < self.line.content_end && is_name_byte(b[name_end]) {
            name_end += 1;
        }
        let close = braced && b.get(name_end) != Some(&b'}');
        for (name, detail, predefined) in variables_in_scope(self.model, index, scope) {
            let doc = docs::predefined_arg(&name).map(|a| doc_with_url(a.doc, a.url));
            let sort = format!("{}{name}", if predefined { "2" } else { "1" });
            let insert = if close {
                format!("{name}}}")
            } else {
                name.clone()
            };
            self.push(
                name,
                CompletionKind::Variable,
                detail,
                doc,
                (name_start, name_end),
                Some(insert),
                false,
                sort,
            );
        }
    }

    fn flags(
        &mut self,
        entry: Entry<'_>,
        cmd: &Command,
        info: &'static InstructionInfo,
        start: usize,
        end: usize,
    ) {
        let frontend = &self.model.frontend;
        let ws = TextSize::from(start as u32);
        for (i, flag) in info.flags.iter().enumerate() {
            if !flag.available_in(frontend.version(), frontend.labs) {
                continue;
            }
            let present = cmd
                .flags
                .iter()
                .any(|f| f.name == flag.name && entry.abs(f.range).start() != ws);
            if present && flag.kind != FlagKind::MultiString {
                continue;
            }
            let insert = flag_snippet(flag);
            let snippet = insert.contains('$');
            self.push(
                format!("--{}", flag.name),
                CompletionKind::Flag,
                Some(flag_signature(flag)),
                Some(flag_doc(flag)),
                (start, end),
                Some(insert),
                snippet,
                format!("{i:02}"),
            );
        }
    }

    fn flag_value(
        &mut self,
        index: usize,
        cmd: &Command,
        info: &'static InstructionInfo,
        name: &str,
        value_start: usize,
        end: usize,
    ) {
        let Some(flag) = info.flag(name) else {
            return;
        };
        let frontend = self.model.frontend.clone();
        match (cmd.kind, flag.name) {
            (Keyword::Run, "mount") => self.mount(index, value_start, end),
            (_, "from") => self.stages_before(index, value_start, end),
            (_, "platform") => {
                let values = [
                    (
                        "$BUILDPLATFORM",
                        "The builder's own platform: run this stage natively (cross-compilation).",
                    ),
                    (
                        "$TARGETPLATFORM",
                        "The platform being built (the default; `RedundantTargetPlatform` flags it).",
                    ),
                    ("linux/amd64", "64-bit x86."),
                    ("linux/arm64", "64-bit ARM (Apple silicon, Graviton)."),
                    ("linux/arm/v7", "32-bit ARMv7."),
                    ("linux/arm/v6", "32-bit ARMv6."),
                    ("linux/386", "32-bit x86."),
                    ("linux/ppc64le", "64-bit POWER, little-endian."),
                    ("linux/s390x", "IBM Z."),
                    ("linux/riscv64", "64-bit RISC-V."),
                    ("windows/amd64", "Windows on 64-bit x86."),
                ];
                for (i, (v, doc)) in values.into_iter().enumerate() {
                    self.push(
                        v,
                        CompletionKind::Value,
                        None,
                        Some(doc.into()),
                        (value_start, end),
                        None,
                        false,
                        format!("{i:02}"),
                    );
                }
            }
            (_, "chmod") => {
                let symbolic = frontend.version() >= docs::FrontendVersion::new(1, 14);
                let values = [
                    ("755", "rwxr-xr-x: executables and directories.", false),
                    ("644", "rw-r--r--: ordinary files.", false),
                    ("0755", "rwxr-xr-x, octal with a leading zero.", false),
                    ("0644", "rw-r--r--, octal with a leading zero.", false),
                    ("600", "rw-------: private files.", false),
                    (
                        "+x",
                        "Add execute permission for everyone (symbolic, frontend 1.14+).",
                        true,
                    ),
                    (
                        "u+x",
                        "Add execute permission for the owner (symbolic, frontend 1.14+).",
                        true,
                    ),
                    (
                        "u=rwX,go=rX",
                        "Owner read/write, others read; execute only on directories and executables (symbolic, frontend 1.14+).",
                        true,
                    ),
                ];
                for (i, (v, doc, sym)) in values.into_iter().enumerate() {
                    if sym && !symbolic {
                        continue;
                    }
                    self.push(
                        v,
                        CompletionKind::Value,
                        None,
                        Some(doc.into()),
                        (value_start, end),
                        None,
                        false,
                        format!("{i:02}"),
                    );
                }
            }
            (Keyword::Healthcheck, _) => {
                let default = match flag.name {
                    "interval" | "timeout" => "30s",
                    "start-period" => "0s",
                    "start-interval" => "5s",
                    "retries" => "3",
                    _ => return,
                };
                self.push(
                    default,
                    CompletionKind::Value,
                    Some("default".into()),
                    Some(flag_doc(flag)),
                    (value_start, end),
                    None,
                    false,
                    "0",
                );
            }
            _ => {
                for (i, v) in flag.values.iter().enumerate() {
                    if frontend.version() < v.since {
                        continue;
                    }
                    self.push(
                        v.value,
                        CompletionKind::Value,
                        None,
                        Some(v.doc.into()),
                        (value_start, end),
                        None,
                        false,
                        format!("{i:02}"),
                    );
                }
            }
        }
    }

    /// Stage names usable from instruction `index`: named stages defined before its stage.
    fn stages_before(&mut self, index: usize, start: usize, end: usize) {
        let current = self
            .model
            .entries
            .get(index)
            .and_then(|e| e.stage)
            .unwrap_or(0);
        let stages = &self.model.stages[..current.min(self.model.stages.len())];
        let mut found = Vec::new();
        for s in stages {
            let Some(name) = &s.name else { continue };
            // A later stage of the same name shadows an earlier one.
            if stages[s.index + 1..]
                .iter()
                .any(|o| o.name.as_ref() == Some(name))
            {
                continue;
            }
            found.push((
                name.to_string(),
                format!("stage {} (FROM {})", s.index, s.base_text),
                s.index,
            ));
        }
        for (name, detail, i) in found {
            self.push(
                name,
                CompletionKind::Stage,
                Some(detail),
                None,
                (start, end),
                None,
                false,
                format!("{i:04}"),
            );
        }
    }

    /// `RUN --mount=` values: `type=` first, then the options of that type, and their values.
    fn mount(&mut self, index: usize, value_start: usize, end: usize) {
        let text = self.text;
        let value = &text[value_start..end];
        let mount = Mount::parse(value);
        let before = &text[value_start..self.off];
        let field_start = value_start + before.rfind(',').map_or(0, |i| i + 1);
        let field = &text[field_start..self.off];
        let field_end = {
            let b = self.bytes();
            let mut e = self.off;
            while e < end && b[e] != b',' {
                e += 1;
            }
            e
        };
        let ty = mount.kind();
        if let Some(eq) = field.find('=') {
            let key = field[..eq].to_ascii_lowercase();
            let vs = field_start + eq + 1;
            let Some(option) = docs::mount_option(&key) else {
                return;
            };
            match option.name {
                "type" => {
                    for (i, t) in docs::mount_types().iter().enumerate() {
                        self.push(
                            t.name,
                            CompletionKind::Value,
                            None,
                            Some(doc_with_url(t.doc, t.url)),
                            (vs, field_end),
                            None,
                            false,
                            format!("{i}"),
                        );
                    }
                }
                "from" => self.stages_before(index, vs, field_end),
                _ => {
                    for (i, v) in option.values.iter().enumerate() {
                        self.push(
                            v.value,
                            CompletionKind::Value,
                            None,
                            Some(v.doc.into()),
                            (vs, field_end),
                            None,
                            false,
                            format!("{i}"),
                        );
                    }
                }
            }
            return;
        }
        let version = self.model.frontend.version();
        // Keys already written, except the one being typed.
        let present: Vec<String> = mount
            .fields
            .iter()
            .filter(|f| value_start + f.range.start != field_start)
            .map(|f| f.canonical_key().to_string())
            .collect();
        let has_type = present.iter().any(|k| k == "type");
        for (i, option) in docs::mount_options().iter().enumerate() {
            if version < option.since || present.iter().any(|k| k == option.name) {
                continue;
            }
            let fits = if option.name == "type" {
                !has_type
            } else {
                option.applies_to(&ty)
            };
            if !fits {
                continue;
            }
            let choices: Vec<&str> = if option.name == "type" {
                docs::mount_types().iter().map(|t| t.name).collect()
            } else {
                option.values.iter().map(|v| v.value).collect()
            };
            let (insert, snippet) = if option.bare_allowed {
                (option.name.to_string(), false)
            } else if choices.is_empty() {
                (format!("{}=$1", option.name), true)
            } else {
                (
                    format!("{}=${{1|{}|}}", option.name, choices.join(",")),
                    true,
                )
            };
            let detail = if option.aliases.is_empty() {
                format!("mount option ({})", option.types.join(", "))
            } else {
                format!(
                    "mount option ({}); also {}",
                    option.types.join(", "),
                    option.aliases.join(", ")
                )
            };
            self.push(
                option.name,
                CompletionKind::MountOption,
                Some(detail),
                Some(option.doc.into()),
                (field_start, field_end),
                Some(insert),
                snippet,
                format!("{i:02}"),
            );
        }
    }

    fn argument(
        &mut self,
        index: usize,
        entry: Entry<'_>,
        cmd: &Command,
        args_before: usize,
        start: usize,
        end: usize,
    ) {
        let word = &self.text[start..self.off];
        match cmd.kind {
            Keyword::From => match args_before {
                0 => {
                    if word.starts_with('-') {
                        return;
                    }
                    self.stages_before(index, start, end);
                    self.push(
                        "scratch",
                        CompletionKind::Keyword,
                        Some("an empty base image".into()),
                        Some("Start from an empty filesystem, for static binaries and minimal images.".into()),
                        (start, end),
                        None,
                        false,
                        "9scratch",
                    );
                }
                1 => {
                    let upper = cmd.keyword.bytes().any(|b| b.is_ascii_uppercase());
                    let label = if upper { "AS" } else { "as" };
                    self.push(
                        label,
                        CompletionKind::Keyword,
                        Some("name this stage".into()),
                        Some("`AS <name>` names the stage so later `FROM <name>`, `COPY --from=<name>` and `--target <name>` can refer to it.".into()),
                        (start, end),
                        Some(format!("{label} ${{1:name}}")),
                        true,
                        "0",
                    );
                }
                _ => {}
            },
            Keyword::Healthcheck if args_before == 0 => {
                let casing = keyword_casing(self.parse);
                for (label, insert, doc) in [
                    (
                        "CMD",
                        "CMD ${1:command}",
                        "Run this command to check the container's health; exit status 0 means healthy.",
                    ),
                    (
                        "NONE",
                        "NONE",
                        "Turn off any health check inherited from the base image.",
                    ),
                ] {
                    let label = casing.apply(label);
                    let insert = format!("{label}{}", &insert[label.len()..]);
                    self.push(
                        label.clone(),
                        CompletionKind::Keyword,
                        None,
                        Some(doc.into()),
                        (start, end),
                        Some(insert.clone()),
                        insert.contains('$'),
                        label,
                    );
                }
            }
            Keyword::Arg if !word.contains('=') && !word.starts_with('-') => {
                self.arg_names(index, entry, start, end)
            }
            _ => {}
        }
    }

    /// ARG names worth declaring: global ARGs and predefined ARGs not declared yet.
    fn arg_names(&mut self, index: usize, entry: Entry<'_>, start: usize, end: usize) {
        let model = self.model;
        let info = model.entries.get(index);
        let in_stage = info.is_some_and(|e| e.stage.is_some());
        let ws = TextSize::from(start as u32);
        // Definitions are in entry order: this ARG's own are found by binary search.
        let first = model.var_defs.partition_point(|d| d.entry < index);
        let own = &model.var_defs[first..];
        let declared = |name: &str| {
            info.is_some_and(|e| e.declared_args.iter().any(|(n, _)| n == name))
                || own
                    .iter()
                    .take_while(|d| d.entry == index)
                    .any(|d| d.name == name && !d.range.contains_inclusive(ws))
        };
        let mut seen: Vec<String> = Vec::new();
        if in_stage {
            for d in global_defs(model) {
                if declared(&d.name) || seen.iter().any(|s| *s == d.name) {
                    continue;
                }
                seen.push(d.name.to_string());
                let detail = d
                    .default
                    .as_ref()
                    .map_or("global ARG".to_string(), |v| format!("global ARG = {v}"));
                self.push(
                    d.name.to_string(),
                    CompletionKind::Variable,
                    Some(detail),
                    Some("Re-declare the global ARG to use its value in this stage.".into()),
                    (start, end),
                    None,
                    false,
                    format!("1{}", d.name),
                );
            }
        } else if entry.inst.command.kind != Keyword::Arg {
            return;
        }
        for a in docs::predefined_args() {
            if !in_stage && a.kind == PredefinedArgKind::Platform {
                continue; // already global
            }
            if declared(a.name) || seen.iter().any(|s| s == a.name) {
                continue;
            }
            let sort = match a.kind {
                PredefinedArgKind::Platform => "2",
                _ => "3",
            };
            self.push(
                a.name,
                CompletionKind::Variable,
                Some("predefined ARG".into()),
                Some(doc_with_url(a.doc, a.url)),
                (start, end),
                None,
                false,
                format!("{sort}{}", a.name),
            );
        }
    }
}

/// The global ARG definitions: the model records them first, before any stage's.
fn global_defs(model: &Model) -> impl Iterator<Item = &crate::model::VarDef> {
    model
        .var_defs
        .iter()
        .take_while(|d| d.kind == DefKind::GlobalArg)
}

/// The variable scope of `cmd` at instruction `index`.
fn scope_of(model: &Model, index: usize, cmd: &Command) -> Option<Scope> {
    let info = model.entries.get(index)?;
    if cmd.kind == Keyword::From {
        return Some(Scope::Global);
    }
    if info.stage.is_none() {
        return (cmd.kind == Keyword::Arg).then_some(Scope::MetaArg);
    }
    Some(match cmd.kind {
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => Scope::Runtime,
        _ => Scope::Build,
    })
}

/// `(name, detail, predefined)` of every variable in scope.
fn variables_in_scope(
    model: &Model,
    index: usize,
    scope: Scope,
) -> Vec<(String, Option<String>, bool)> {
    let mut out: Vec<(String, Option<String>, bool)> = Vec::new();
    let mut add = |name: &str, value: Option<&str>, predefined: bool| {
        if out.iter().any(|(n, _, _)| n == name) {
            return;
        }
        let detail = match value {
            Some(v) if v.chars().count() > 60 => {
                Some(format!("= {}…", v.chars().take(60).collect::<String>()))
            }
            Some(v) => Some(format!("= {v}")),
            None => Some("ARG without a value".into()),
        };
        out.push((name.to_string(), detail, predefined));
    };
    use crate::model::Origin;
    let is_predefined = |o: Origin| matches!(o, Origin::Predefined | Origin::DefaultPath);
    match scope {
        Scope::Global | Scope::MetaArg => {
            for v in model.global_env.vars() {
                if scope == Scope::MetaArg && !is_predefined(v.origin) {
                    continue;
                }
                add(&v.name, Some(&v.value), is_predefined(v.origin));
            }
            for d in global_defs(model) {
                if scope == Scope::MetaArg && d.entry >= index {
                    continue;
                }
                add(&d.name, d.value.as_deref(), false);
            }
        }
        Scope::Build | Scope::Runtime => {
            let Some(info) = model.entries.get(index) else {
                return out;
            };
            let env = if scope == Scope::Build {
                &info.env
            } else {
                &info.runtime_env
            };
            for v in env.vars() {
                add(&v.name, Some(&v.value), is_predefined(v.origin));
            }
            if scope == Scope::Build {
                for (name, _) in info.declared_args.iter() {
                    add(name, None, false);
                }
            }
        }
    }
    out
}

fn doc_with_url(doc: &str, url: &str) -> String {
    if url.is_empty() {
        doc.to_string()
    } else {
        format!("{doc}\n\n[Reference]({url})")
    }
}

/// `--name=<placeholder>` or `--name[=<bool>]`.
fn flag_signature(flag: &FlagInfo) -> String {
    match flag.kind {
        FlagKind::Bool => format!("--{}{}", flag.name, flag.placeholder),
        _ => format!("--{}={}", flag.name, flag.placeholder),
    }
}

fn flag_doc(flag: &FlagInfo) -> String {
    let mut doc = flag.doc.to_string();
    if flag.labs_only {
        doc.push_str(&format!(
            "\n\nNeeds a labs frontend (`# syntax=docker/dockerfile:1-labs`), {} or later.",
            flag.since
        ));
    } else if flag.since > docs::FrontendVersion::new(1, 0) {
        doc.push_str(&format!("\n\nSince frontend {}.", flag.since));
    }
    doc_with_url(&doc, flag.url)
}

fn flag_snippet(flag: &FlagInfo) -> String {
    match flag.kind {
        FlagKind::Bool => format!("--{}", flag.name),
        _ if flag.name == "mount" => {
            let types: Vec<&str> = docs::mount_types().iter().map(|t| t.name).collect();
            format!("--mount=type=${{1|{}|}}", types.join(","))
        }
        _ if !flag.values.is_empty() => {
            let values: Vec<&str> = flag.values.iter().map(|v| v.value).collect();
            format!("--{}=${{1|{}|}}", flag.name, values.join(","))
        }
        _ => format!("--{}=$1", flag.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Options;
    use crate::syntax::parse;

    /// Completes at the `|` marker; returns the items sorted as a client would show them.
    fn items(marked: &str) -> (String, Vec<CompletionItem>) {
        let at = marked.find('|').expect("a cursor marker");
        let text = format!("{}{}", &marked[..at], &marked[at + 1..]);
        let p = parse(&text);
        let m = Model::new(&p, &Options::default());
        let mut items = completion(&p, &m, TextSize::from(at as u32));
        for i in &items {
            assert!(i.range.end() == TextSize::from(at as u32), "{i:?}");
            assert!(i.range.start() <= i.range.end() && i.range.end() <= i.replace_range.end());
        }
        items.sort_by(|a, b| (&a.sort_text, &a.label).cmp(&(&b.sort_text, &b.label)));
        (text, items)
    }

    fn labels(marked: &str) -> Vec<String> {
        items(marked).1.into_iter().map(|i| i.label).collect()
    }

    /// The text each item replaces (insert range).
    fn replaced(marked: &str) -> Vec<String> {
        let (text, items) = items(marked);
        items
            .iter()
            .map(|i| text[std::ops::Range::<usize>::from(i.range)].to_string())
            .collect()
    }

    const ALL: [&str; 18] = [
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
        "MAINTAINER",
    ];

    #[test]
    fn instructions_by_position_and_casing() {
        assert_eq!(labels("|"), ["ARG", "FROM"]);
        assert_eq!(labels("ARG X\nF|"), ["ARG", "FROM"]);
        assert_eq!(labels("FROM a\n|"), ALL);
        assert_eq!(labels("FROM a\n  R|UN x"), ALL);
        let lower: Vec<String> = ALL.iter().map(|s| s.to_lowercase()).collect();
        assert_eq!(labels("from a\nrun x\nRUN y\nrun z\n|"), lower);
        let (_, it) = items("FROM a\nRU|");
        let run = it.iter().find(|i| i.label == "RUN").expect("RUN");
        assert_eq!(run.insert_text, "RUN ${1:command}");
        assert!(run.snippet);
        assert_eq!(snippet_to_plain(&run.insert_text), "RUN command");
        assert_eq!(replaced("FROM a\nRU|"), vec!["RU"; 18]);
        // With arguments already there, only the keyword is inserted.
        let (_, it) = items("FROM a\nRU| echo");
        assert!(it.iter().all(|i| !i.snippet && i.insert_text == i.label));
        assert!(
            it.iter()
                .find(|i| i.label == "MAINTAINER")
                .is_some_and(|i| i.deprecated)
        );
    }

    #[test]
    fn onbuild_triggers() {
        let expected: Vec<&str> = ALL
            .iter()
            .copied()
            .filter(|k| !matches!(*k, "FROM" | "ONBUILD" | "MAINTAINER"))
            .collect();
        assert_eq!(labels("FROM a\nONBUILD |"), expected);
        assert_eq!(labels("FROM a\nONBUILD C|"), expected);
        assert_eq!(
            labels("FROM a\nONBUILD COPY --l|"),
            [
                "--from",
                "--chown",
                "--chmod",
                "--link",
                "--parents",
                "--exclude"
            ]
        );
    }

    #[test]
    fn directives() {
        assert_eq!(labels("# |"), ["check", "escape", "syntax"]);
        assert_eq!(replaced("#sy|"), ["sy", "sy", "sy"]);
        assert_eq!(
            labels("# syntax=docker/dockerfile:1\n# |\nFROM a"),
            ["check", "escape"]
        );
        assert_eq!(
            labels("# syntax=|"),
            [
                "docker/dockerfile:1",
                "docker/dockerfile:1.26",
                "docker/dockerfile:1-labs",
                "docker/dockerfile-upstream:master"
            ]
        );
        assert_eq!(labels("# escape=|"), ["\\", "`"]);
        assert_eq!(labels("# check=|"), ["error", "experimental", "skip"]);
        assert_eq!(labels("# check=error=|"), ["false", "true"]);
        let skip = labels("# check=skip=|");
        assert_eq!(skip[0], "all");
        assert!(skip.contains(&"StageNameCasing".to_string()));
        let after = labels("# check=skip=StageNameCasing,F|");
        assert!(!after.contains(&"all".to_string()));
        assert!(!after.contains(&"StageNameCasing".to_string()));
        assert_eq!(replaced("# check=skip=StageNameCasing,Fr|")[0], "Fr");
        assert_eq!(
            labels("# check=experimental=|"),
            ["all", "InvalidDefinitionDescription"]
        );
        // Not a directive any more after an ordinary comment or an instruction.
        assert!(labels("# hello\n# |").is_empty());
        assert!(labels("FROM a\n# sy|").is_empty());
        // Per-instruction check comments complete rule names only.
        let rules = labels("FROM a\n# check=skip=|\nRUN x");
        assert!(rules.contains(&"JSONArgsRecommended".to_string()) && rules[0] == "all");
        assert!(labels("FROM a\n# check=|\nRUN x").is_empty());
    }

    #[test]
    fn flags_for_the_instruction() {
        assert_eq!(
            labels("FROM a\nRUN -|"),
            ["--mount", "--network", "--security"]
        );
        assert_eq!(
            labels("# syntax=docker/dockerfile:1-labs\nFROM a\nRUN --|"),
            ["--mount", "--network", "--security", "--device"]
        );
        assert_eq!(
            labels("FROM a\nRUN --network=none --mount=type=cache,target=/x --|"),
            ["--mount", "--security"]
        );
        assert_eq!(
            labels("FROM a\nCOPY --from=x --|"),
            ["--chown", "--chmod", "--link", "--parents", "--exclude"]
        );
        // Pinned to an old frontend: newer flags are not offered.
        assert_eq!(
            labels("# syntax=docker/dockerfile:1.3\nFROM a\nADD --|"),
            ["--chown", "--chmod"]
        );
        assert_eq!(labels("FROM --|"), ["--platform"]);
        let (_, it) = items("FROM a\nRUN --n|");
        let net = it.iter().find(|i| i.label == "--network").expect("network");
        assert_eq!(net.insert_text, "--network=${1|default,none,host|}");
        assert_eq!(net.detail.as_deref(), Some("--network=default|none|host"));
        assert_eq!(replaced("FROM a\nRUN --n|")[0], "--n");
        // Not after the arguments started, not in ARG (no flag parsing).
        assert!(labels("FROM a\nRUN echo --|").is_empty());
        assert!(labels("FROM a\nARG --|").is_empty());
    }

    #[test]
    fn flag_values() {
        assert_eq!(
            labels("FROM a\nRUN --network=|"),
            ["default", "none", "host"]
        );
        assert_eq!(labels("FROM a\nRUN --security=|"), ["sandbox", "insecure"]);
        assert_eq!(labels("FROM a\nCOPY --link=|"), ["true", "false"]);
        assert_eq!(replaced("FROM a\nCOPY --link=t|"), ["t", "t"]);
        let platforms = labels("FROM --platform=|");
        assert_eq!(
            &platforms[..4],
            [
                "$BUILDPLATFORM",
                "$TARGETPLATFORM",
                "linux/amd64",
                "linux/arm64"
            ]
        );
        assert_eq!(
            labels("FROM a\nCOPY --chmod=|"),
            [
                "755",
                "644",
                "0755",
                "0644",
                "600",
                "+x",
                "u+x",
                "u=rwX,go=rX"
            ]
        );
        assert_eq!(
            labels("# syntax=docker/dockerfile:1.10\nFROM a\nCOPY --chmod=|"),
            ["755", "644", "0755", "0644", "600"]
        );
        assert_eq!(labels("FROM a\nHEALTHCHECK --interval=|"), ["30s"]);
        assert_eq!(labels("FROM a\nHEALTHCHECK --retries=|"), ["3"]);
    }

    #[test]
    fn mounts() {
        assert_eq!(
            labels("FROM a\nRUN --mount=|"),
            ["type", "from", "source", "target", "readwrite"]
        );
        assert_eq!(
            labels("FROM a\nRUN --mount=type=|"),
            ["bind", "cache", "tmpfs", "secret", "ssh"]
        );
        assert_eq!(replaced("FROM a\nRUN --mount=type=ca|,target=/x")[0], "ca");
        assert_eq!(
            labels("FROM a\nRUN --mount=type=cache,|"),
            [
                "from", "source", "target", "readonly", "id", "sharing", "mode", "uid", "gid"
            ]
        );
        assert_eq!(
            labels("FROM a\nRUN --mount=type=cache,sharing=|"),
            ["shared", "private", "locked"]
        );
        assert_eq!(
            labels("FROM a\nRUN --mount=type=secret,target=/x,|"),
            ["id", "required", "mode", "uid", "gid", "env"]
        );
        assert_eq!(
            labels("FROM a\nRUN --mount=type=cache,ro=|"),
            ["true", "false"]
        );
        let (_, it) = items("FROM a\nRUN --mount=type=cache,sh|");
        let sharing = it.iter().find(|i| i.label == "sharing").expect("sharing");
        assert_eq!(sharing.insert_text, "sharing=${1|shared,private,locked|}");
        assert_eq!(labels("FROM a AS one\nFROM b\nRUN --mount=from=|"), ["one"]);
    }

    #[test]
    fn stage_names() {
        let text =
            "FROM a AS one\nFROM b AS two\nFROM c AS one\nFROM d AS four\nCOPY --from=| /x /y";
        // `one` once (the later one shadows), never the current stage.
        assert_eq!(labels(text), ["two", "one"]);
        assert_eq!(labels("FROM a AS one\nFROM |"), ["one", "scratch"]);
        assert_eq!(labels("FROM a AS one\nFROM o| AS x"), ["one", "scratch"]);
        assert_eq!(labels("FROM alpine |"), ["AS"]);
        assert_eq!(labels("from alpine a|"), ["as"]);
        assert!(labels("FROM alpine AS x|").is_empty());
    }

    #[test]
    fn variables_in_scope_exactly() {
        let text = "ARG G=1\nARG H\nFROM a\nARG L=2\nENV E=3\nRUN echo $|";
        assert_eq!(labels(text), ["E", "L", "PATH"]);
        assert_eq!(
            labels("ARG G=1\nARG H\nFROM $|"),
            [
                "G",
                "H",
                "BUILDARCH",
                "BUILDOS",
                "BUILDOSVERSION",
                "BUILDPLATFORM",
                "BUILDVARIANT",
                "TARGETARCH",
                "TARGETOS",
                "TARGETOSVERSION",
                "TARGETPLATFORM",
                "TARGETSTAGE",
                "TARGETVARIANT"
            ]
        );
        // A platform ARG re-declared in the stage, braced: the `}` is added.
        let (text, it) = items("FROM a\nARG TARGETARCH\nRUN echo ${T|");
        assert_eq!(
            it.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(),
            ["TARGETARCH", "PATH"]
        );
        assert_eq!(it[0].insert_text, "TARGETARCH}");
        assert_eq!(it[0].detail.as_deref(), Some("= amd64"));
        assert_eq!(&text[std::ops::Range::<usize>::from(it[0].range)], "T");
        let (_, it) = items("FROM a\nENV TARGETARCH=x\nRUN echo ${T|}");
        assert_eq!(it[0].insert_text, "TARGETARCH");
        // Run time: ENV only.
        assert_eq!(
            labels("FROM a\nARG A=1\nENV E=2\nCMD echo $|"),
            ["E", "PATH"]
        );
        // ARG without a value is in scope (declared).
        assert_eq!(labels("FROM a\nARG NOVAL\nWORKDIR $|"), ["NOVAL", "PATH"]);
        // Meta ARG defaults see earlier meta ARGs and the predefined ones.
        let meta = labels("ARG A=1\nARG B=$|\nFROM x");
        assert_eq!(meta[0], "A");
        assert!(!meta.contains(&"B".to_string()));
        // Never in exec form, `--from`, `from=`, escaped or positional.
        assert!(labels("FROM a\nENV E=1\nCMD [\"$|\"]").is_empty());
        assert!(labels("FROM a\nENV E=1\nCOPY --from=$| /a /b").is_empty());
        assert!(labels("FROM a\nENV E=1\nRUN --mount=type=bind,from=$| x").is_empty());
        assert!(labels("FROM a\nENV E=1\nRUN echo \\$|").is_empty());
        assert!(labels("FROM a\nENV E=1\nRUN echo $1|").is_empty());
        // Flag values that expand.
        assert_eq!(labels("FROM a\nENV E=1\nCOPY --chown=$|"), ["E", "PATH"]);
    }

    #[test]
    fn heredocs() {
        let run = "FROM a\nARG X=1\nRUN <<EOF\necho ${|\nEOF\n";
        assert_eq!(labels(run), ["X", "PATH"]);
        // RUN bodies are scripts: the shell expands them even with a quoted delimiter.
        assert_eq!(
            labels("FROM a\nARG X=1\nRUN <<'EOF'\necho $|\nEOF\n"),
            ["X", "PATH"]
        );
        assert_eq!(
            labels("FROM a\nARG X=1\nCOPY <<EOF /x\n$|\nEOF\n"),
            ["X", "PATH"]
        );
        assert!(labels("FROM a\nARG X=1\nCOPY <<'EOF' /x\n$|\nEOF\n").is_empty());
        // Nothing else inside bodies, nor on the terminator.
        assert!(labels("FROM a\nRUN <<EOF\n|\nEOF\n").is_empty());
        assert!(labels("FROM a\nRUN <<EOF\nx\nEO|F\n").is_empty());
    }

    #[test]
    fn healthcheck_and_arg_names() {
        assert_eq!(labels("FROM a\nHEALTHCHECK |"), ["CMD", "NONE"]);
        assert_eq!(
            labels("from a\nhealthcheck --interval=5s |"),
            ["cmd", "none"]
        );
        assert_eq!(
            labels("FROM a\nHEALTHCHECK --|"),
            [
                "--interval",
                "--timeout",
                "--start-period",
                "--start-interval",
                "--retries"
            ]
        );
        let names = labels("ARG G=1\nFROM a\nARG TARGETOS\nARG |");
        assert_eq!(names[0], "G");
        assert!(names.contains(&"TARGETARCH".to_string()));
        assert!(!names.contains(&"TARGETOS".to_string()));
        assert!(names.contains(&"HTTP_PROXY".to_string()));
        let meta = labels("ARG |\nFROM a");
        assert!(
            !meta.contains(&"TARGETARCH".to_string())
                && meta.contains(&"SOURCE_DATE_EPOCH".to_string())
        );
    }

    #[test]
    fn nothing_in_comments() {
        assert!(labels("FROM a\n# RUN $|").is_empty());
        assert!(labels("FROM a\nRUN a \\\n # --|\n b").is_empty());
        assert!(labels("FROM a\n# |").is_empty());
    }

    #[test]
    fn escape_files_and_non_ascii() {
        let text = "# escape=`\nFROM a\nENV VÄR=1 E=2\nRUN echo 🐳 日本 `\n  $|";
        let (t, it) = items(text);
        let names: Vec<_> = it.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(names, ["E", "VÄR", "PATH"]);
        assert!(
            it.iter()
                .all(|i| t[std::ops::Range::<usize>::from(i.range)].is_empty())
        );
        // The builder escapes with the file's escape character, the shell with `\`.
        assert!(labels("# escape=`\nFROM a\nENV E=1\nENV F=`$|").is_empty());
        assert_eq!(
            labels("# escape=`\nFROM a\nENV E=1\nENV F=\\$|"),
            ["E", "PATH"]
        );
        assert_eq!(
            labels("# escape=`\nFROM a\nENV E=1\nRUN echo `$|"),
            ["E", "PATH"]
        );
        assert!(labels("# escape=`\nFROM a\nENV E=1\nRUN echo \\$|").is_empty());
        assert_eq!(
            labels("FROM a\nLABEL k=\"🐳\" v=日本 \\\n  --|"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn any_offset_is_safe() {
        let text = "# syntax=docker/dockerfile:1\n# check=skip=A,\nARG G=1\nFROM --platform=$BUILDPLATFORM a:$G AS x\nRUN --mount=type=cache,target=/c \\\n  # c\n  echo ${G:-y} 🐳\nCOPY --from=x <<EOF /a\n$G\nEOF\nONBUILD RUN x\nHEALTHCHECK CMD y\n";
        let p = parse(text);
        let m = Model::new(&p, &Options::default());
        for i in 0..=text.len() + 2 {
            let _ = completion(&p, &m, TextSize::from(i as u32));
        }
        // Between `\r` and `\n`.
        let text = "FROM a\r\nRUN --mount=\\\r\n  x\r\n";
        let p = parse(text);
        let m = Model::new(&p, &Options::default());
        for i in 0..=text.len() {
            let _ = completion(&p, &m, TextSize::from(i as u32));
        }
    }
}
