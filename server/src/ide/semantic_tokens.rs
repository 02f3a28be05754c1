//! Semantic tokens: a sorted list of non-overlapping, single-line byte ranges with a type and
//! modifiers, plus the LSP relative encoding and the delta between two encodings.
//!
//! Tokens are built per instruction from the typed parse and the model's indexes (variable
//! definitions and uses, stage references), never from the lossless tree, so a range request
//! only looks at the instructions it meets. Within one instruction, tokens come in layers: the
//! syntax (keyword, flags, arguments, heredoc bodies), then what the model knows (variables,
//! stage names), then the line structure (continuation escapes, comment lines inside a
//! continuation); a higher layer cuts through a lower one.

use crate::model::{Model, Mount};
use crate::syntax::{Command, Entry, Keyword, Parse, TextRange, TextSize};

use super::text_util::{is_blank_line, is_comment_line, lines, range};

/// Token types, in legend order (the value is the index in [`TOKEN_TYPES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum TokenType {
    /// Instruction keywords, `AS`, HEALTHCHECK's `CMD`/`NONE`, heredoc openers and terminators.
    Keyword = 0,
    Comment,
    /// Instruction flags (`--mount`).
    Parameter,
    /// Flag values, mount option keys, LABEL keys.
    Property,
    /// Build stage names, where defined (`AS name`) and where used (`FROM name`,
    /// `--from=name`, `from=name`).
    Namespace,
    /// Images and other non-stage sources (`FROM alpine`, `--from=alpine:3`).
    Class,
    /// Parser directive names (`syntax`, `escape`, `check`).
    Macro,
    /// Values: ENV/ARG/LABEL values, JSON strings, mount values, directive values, heredoc
    /// bodies.
    String,
    /// `$VAR`, `${VAR}`, and ARG/ENV names.
    Variable,
    /// `=` separators, mount `,`, the continuation escape.
    Operator,
    /// EXPOSE ports.
    Number,
}

/// The legend's token type names, indexed by [`TokenType`].
pub const TOKEN_TYPES: [&str; 11] = [
    "keyword",
    "comment",
    "parameter",
    "property",
    "namespace",
    "class",
    "macro",
    "string",
    "variable",
    "operator",
    "number",
];

/// Modifier bits; bit `n` is [`TOKEN_MODIFIERS`]`[n]`.
pub mod modifiers {
    /// Where a variable or stage name is defined.
    pub const DECLARATION: u32 = 1 << 0;
    pub const DEFINITION: u32 = 1 << 1;
    /// Predefined ARGs (TARGETPLATFORM, HTTP_PROXY, …): defined by BuildKit.
    pub const READONLY: u32 = 1 << 2;
    /// MAINTAINER.
    pub const DEPRECATED: u32 = 1 << 3;
    /// Predefined ARGs again, for themes that colour library symbols.
    pub const DEFAULT_LIBRARY: u32 = 1 << 4;
}

/// The legend's modifier names.
pub const TOKEN_MODIFIERS: [&str; 5] = [
    "declaration",
    "definition",
    "readonly",
    "deprecated",
    "defaultLibrary",
];

/// One token: never empty, never across a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub range: TextRange,
    pub kind: TokenType,
    pub modifiers: u32,
}

/// The tokens of the file, or of the instructions and lines meeting `within`.
pub fn semantic_tokens(parse: &Parse, model: &Model, within: Option<TextRange>) -> Vec<Token> {
    split_at_line_breaks(parse.text(), tokens(parse, model, within))
}

/// Tokens must not cross a line break as clients count lines, and for them a lone `\r` ends
/// a line too, while BuildKit's lines end at `\n` only: a comment or a word can hold one.
/// Such tokens are split there (found by the `ide` fuzz target). The common text without
/// any `\r` costs one scan.
fn split_at_line_breaks(text: &str, tokens: Vec<Token>) -> Vec<Token> {
    let bytes = text.as_bytes();
    if memchr::memchr(b'\r', bytes).is_none() {
        return tokens;
    }
    let mut out = Vec::with_capacity(tokens.len());
    for t in tokens {
        let (s, e) = (usize::from(t.range.start()), usize::from(t.range.end()));
        let mut from = s;
        for i in memchr::memchr2_iter(b'\r', b'\n', &bytes[s..e]) {
            if s + i > from {
                out.push(Token {
                    range: range(from, s + i),
                    ..t
                });
            }
            from = s + i + 1;
        }
        if e > from {
            out.push(Token {
                range: range(from, e),
                ..t
            });
        }
    }
    out
}

fn tokens(parse: &Parse, model: &Model, within: Option<TextRange>) -> Vec<Token> {
    let text = parse.text();
    let mut out = Vec::with_capacity(text.len() / 12);
    let mut index = Index::new(model);
    let meets = |s: usize, e: usize| {
        within.is_none_or(|r| s <= usize::from(r.end()) && usize::from(r.start()) <= e)
    };
    let first = within.map_or(0, |r| first_entry_from(parse, r.start()));
    let mut pos = match first.checked_sub(1).and_then(|i| parse.entry(i)) {
        Some(prev) => usize::from(prev.offset + prev.inst.full_len),
        None => 0,
    };
    let mut builder = Layers::default();
    let escape = parse.escape() as u8;
    let mut directives = parse.directives().iter().peekable();
    for i in first..parse.entry_count() {
        let Some(entry) = parse.entry(i) else { break };
        let start = usize::from(entry.offset);
        if within.is_some_and(|r| start > usize::from(r.end())) {
            pos = text.len().min(pos);
            return finish_gap(text, &mut directives, pos, start, &meets, out);
        }
        out = finish_gap(text, &mut directives, pos, start, &meets, out);
        pos = start + usize::from(entry.inst.full_len);
        builder.clear();
        instruction(text, escape, entry, i, model, &mut index, &mut builder);
        builder.flatten_into(text, &mut out);
    }
    finish_gap(text, &mut directives, pos, text.len(), &meets, out)
}

/// The first instruction that ends at or after `offset`.
pub(crate) fn first_entry_from(parse: &Parse, offset: TextSize) -> usize {
    if let Some(i) = parse.entry_at(offset) {
        return i;
    }
    let (mut lo, mut hi) = (0, parse.entry_count());
    while lo < hi {
        let mid = (lo + hi) / 2;
        match parse.entry(mid) {
            Some(e) if e.offset < offset => lo = mid + 1,
            _ => hi = mid,
        }
    }
    lo
}

/// Comment and directive lines between instructions.
fn finish_gap<'a>(
    text: &str,
    directives: &mut std::iter::Peekable<impl Iterator<Item = &'a crate::syntax::Directive>>,
    from: usize,
    to: usize,
    meets: &impl Fn(usize, usize) -> bool,
    mut out: Vec<Token>,
) -> Vec<Token> {
    if from >= to {
        return out;
    }
    for line in lines(text, from, to) {
        if !meets(line.start, line.content_end) {
            continue;
        }
        while directives
            .next_if(|d| usize::from(d.range.end()) < line.start)
            .is_some()
        {}
        if let Some(d) = directives.next_if(|d| {
            let s = usize::from(d.range.start());
            line.start <= s && s <= line.content_end
        }) {
            let (ns, ne) = (d.name_range.start(), d.name_range.end());
            let (vs, ve) = (d.value_range.start(), d.value_range.end());
            push(&mut out, d.range.start(), ns, TokenType::Comment, 0);
            push(&mut out, ns, ne, TokenType::Macro, 0);
            push(&mut out, ne, vs, TokenType::Operator, 0);
            push(&mut out, vs, ve, TokenType::String, 0);
            continue;
        }
        if is_comment_line(text, line) {
            let s = super::text_util::first_non_space(text, line.start, line.content_end);
            let e = super::text_util::trailing_blanks_start(text, s, line.content_end);
            out.push(Token {
                range: range(s, e),
                kind: TokenType::Comment,
                modifiers: 0,
            });
        }
    }
    out
}

fn push(out: &mut Vec<Token>, s: TextSize, e: TextSize, kind: TokenType, modifiers: u32) {
    if s < e {
        out.push(Token {
            range: TextRange::new(s, e),
            kind,
            modifiers,
        });
    }
}

/// The model's per-entry lists (definitions, uses, stage references). They are built in entry
/// order, and instructions are visited in order, so each list is read with a cursor that only
/// moves forward (placed by binary search on first use, for range requests). Should a list
/// ever not be in entry order, an order sorted by entry is built once per request instead.
struct Index {
    uses: Cursor,
    defs: Cursor,
    refs: Cursor,
}

struct Cursor {
    order: Option<Vec<u32>>,
    pos: Option<usize>,
}

impl Cursor {
    fn new<T>(items: &[T], key: impl Fn(&T) -> usize) -> Cursor {
        let order = if items.is_sorted_by_key(&key) {
            None
        } else {
            let mut order: Vec<u32> = (0..items.len() as u32).collect();
            order.sort_by_key(|&i| key(&items[i as usize]));
            Some(order)
        };
        Cursor { order, pos: None }
    }

    /// The items of `entry` (entries must be asked for in increasing order).
    fn take<'a, T>(
        &'a mut self,
        items: &'a [T],
        entry: usize,
        key: impl Fn(&T) -> usize,
    ) -> impl Iterator<Item = &'a T> + 'a {
        let order = self.order.as_deref();
        let at = move |j: usize| match order {
            Some(o) => &items[o[j] as usize],
            None => &items[j],
        };
        let len = items.len();
        let mut pos = match self.pos {
            Some(p) => p,
            None => {
                let (mut lo, mut hi) = (0, len);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if key(at(mid)) < entry {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                lo
            }
        };
        while pos < len && key(at(pos)) < entry {
            pos += 1;
        }
        let start = pos;
        while pos < len && key(at(pos)) == entry {
            pos += 1;
        }
        self.pos = Some(pos);
        (start..pos).map(at)
    }
}

impl Index {
    fn new(model: &Model) -> Self {
        Index {
            uses: Cursor::new(&model.var_uses, |u| u.entry),
            defs: Cursor::new(&model.var_defs, |d| d.entry),
            refs: Cursor::new(&model.stage_refs, |r| r.entry),
        }
    }
}

/// Layer numbers: higher cuts through lower.
const SYNTAX: u8 = 0;
const MODEL: u8 = 1;
const LINES: u8 = 2;

/// One span of one layer; `kind` `None` erases what is below.
#[derive(Clone, Copy)]
struct Span {
    start: u32,
    end: u32,
    /// Layer, then order of addition: the larger wins where spans overlap.
    rank: (u8, u32),
    kind: Option<(TokenType, u32)>,
}

/// One instruction's spans, with scratch space reused across instructions.
#[derive(Default)]
struct Layers {
    spans: Vec<Span>,
    events: Vec<(u32, bool, u32)>,
    active: Vec<u32>,
}

impl Layers {
    fn clear(&mut self) {
        self.spans.clear();
    }

    fn push_span(&mut self, r: TextRange, layer: u8, kind: Option<(TokenType, u32)>) {
        if !r.is_empty() {
            let seq = self.spans.len() as u32;
            self.spans.push(Span {
                start: r.start().into(),
                end: r.end().into(),
                rank: (layer, seq),
                kind,
            });
        }
    }

    fn add(&mut self, r: TextRange, layer: u8, kind: TokenType, modifiers: u32) {
        self.push_span(r, layer, Some((kind, modifiers)));
    }

    fn erase(&mut self, r: TextRange) {
        self.push_span(r, LINES, None);
    }

    /// Resolves the layers into sorted, non-overlapping, single-line tokens.
    fn flatten_into(&mut self, text: &str, out: &mut Vec<Token>) {
        let spans = &mut self.spans;
        spans.sort_unstable_by_key(|s| (s.start, s.end, s.rank));
        // Most instructions have no overlapping spans: emit them as they are.
        if spans.windows(2).all(|w| w[0].end <= w[1].start) {
            for s in spans.iter() {
                if let Some((kind, m)) = s.kind {
                    emit(text, s.start, s.end, kind, m, out);
                }
            }
            return;
        }
        // Otherwise sweep the boundaries; in each elementary segment the highest rank wins.
        let events = &mut self.events;
        events.clear();
        for (i, s) in spans.iter().enumerate() {
            events.push((s.start, true, i as u32));
            events.push((s.end, false, i as u32));
        }
        events.sort_unstable();
        let active = &mut self.active;
        active.clear();
        let mut current: Option<(u32, TokenType, u32)> = None;
        let mut k = 0;
        while k < events.len() {
            let at = events[k].0;
            while k < events.len() && events[k].0 == at {
                let (_, open, i) = events[k];
                if open {
                    active.push(i);
                } else if let Some(p) = active.iter().position(|&a| a == i) {
                    active.swap_remove(p);
                }
                k += 1;
            }
            let top = active
                .iter()
                .max_by_key(|&&i| spans[i as usize].rank)
                .and_then(|&i| spans[i as usize].kind);
            let same = matches!((current, top), (Some((_, k1, m1)), Some((k2, m2))) if k1 == k2 && m1 == m2);
            if !same {
                if let Some((s, kind, m)) = current {
                    emit(text, s, at, kind, m, out);
                }
                current = top.map(|(kind, m)| (at, kind, m));
            }
        }
    }
}

/// Pushes `[s, e)` split at line breaks (`\n`, `\r\n` and a lone `\r`, as LSP counts lines),
/// without whitespace-only pieces.
fn emit(text: &str, s: u32, e: u32, kind: TokenType, modifiers: u32, out: &mut Vec<Token>) {
    let (s, e) = (s as usize, (e as usize).min(text.len()));
    let bytes = text.as_bytes();
    let mut start = s;
    while start < e {
        // Tokens are short: a plain scan beats memchr's set-up.
        let end = bytes[start..e]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(e, |i| start + i);
        if end > start && !bytes[start..end].iter().all(|b| matches!(b, b' ' | b'\t')) {
            out.push(Token {
                range: range(start, end),
                kind,
                modifiers,
            });
        }
        start = end + 1;
    }
}

fn instruction(
    text: &str,
    escape: u8,
    entry: Entry<'_>,
    index: usize,
    model: &Model,
    idx: &mut Index,
    layers: &mut Layers,
) {
    let inst = entry.inst;
    let abs = |r: TextRange| entry.abs(r);
    command(text, entry, &inst.command, layers);
    for h in &inst.heredocs {
        layers.add(abs(h.range), SYNTAX, TokenType::Keyword, 0);
        layers.add(abs(h.body), SYNTAX, TokenType::String, 0);
        if let Some(t) = h.terminator {
            layers.add(abs(t), SYNTAX, TokenType::Keyword, 0);
        }
    }

    // What the model knows.
    for d in idx.defs.take(&model.var_defs, index, |d| d.entry) {
        layers.add(
            d.range,
            MODEL,
            TokenType::Variable,
            modifiers::DECLARATION | modifiers::DEFINITION,
        );
    }
    for u in idx.uses.take(&model.var_uses, index, |u| u.entry) {
        let (fs, fe) = (
            usize::from(u.full_range.start()),
            usize::from(u.full_range.end()),
        );
        // Uses whose position is only approximate (inside quoted mount fields) are skipped.
        if text.as_bytes().get(fs) != Some(&b'$')
            || text.get(std::ops::Range::<usize>::from(u.range)) != Some(u.name.as_str())
        {
            continue;
        }
        let m = if u.predefined {
            modifiers::READONLY | modifiers::DEFAULT_LIBRARY
        } else {
            0
        };
        let name_end = usize::from(u.range.end());
        let braced = text.as_bytes().get(fs + 1) == Some(&b'{');
        let plain = if braced {
            fe == name_end + 1 && text.as_bytes().get(name_end) == Some(&b'}')
        } else {
            fe == name_end
        };
        if plain {
            layers.add(u.full_range, MODEL, TokenType::Variable, m);
        } else {
            // `${NAME` and `}` are the variable; the modifier and its word stay below.
            layers.add(range(fs, name_end), MODEL, TokenType::Variable, m);
            if braced && fe > name_end && text.as_bytes().get(fe - 1) == Some(&b'}') {
                layers.add(range(fe - 1, fe), MODEL, TokenType::Variable, m);
            }
        }
    }
    for r in idx.refs.take(&model.stage_refs, index, |r| r.entry) {
        let kind = if r.target.is_some() {
            TokenType::Namespace
        } else {
            TokenType::Class
        };
        layers.add(r.range, MODEL, kind, 0);
    }
    if inst.command.kind == Keyword::From {
        if let Some(stage) = model.entries.get(index).and_then(|e| e.stage) {
            if let Some(r) = model.stages.get(stage).and_then(|s| s.name_range) {
                layers.add(
                    r,
                    MODEL,
                    TokenType::Namespace,
                    modifiers::DECLARATION | modifiers::DEFINITION,
                );
            }
        }
    }

    // Line structure: continuation escapes, comment and blank lines inside continuations.
    let logical_end = inst.heredocs.first().map_or(inst.len, |h| h.body.start());
    if inst.line_count == 1 {
        // The common case: one line, which continues only at the end of the file.
        let (start, end) = (
            usize::from(entry.offset),
            usize::from(entry.offset + inst.len),
        );
        if let Some(at) = continuation(&text.as_bytes()[start..end], escape) {
            layers.add(
                range(start + at, start + at + 1),
                LINES,
                TokenType::Operator,
                0,
            );
        }
        return;
    }
    for line in lines(
        text,
        usize::from(entry.offset),
        usize::from(entry.offset + logical_end),
    ) {
        if line.start > usize::from(entry.offset) {
            if is_comment_line(text, line) {
                let s = super::text_util::first_non_space(text, line.start, line.content_end);
                layers.erase(range(line.start, s));
                layers.add(range(s, line.content_end), LINES, TokenType::Comment, 0);
                continue;
            }
            if is_blank_line(text, line) {
                layers.erase(range(line.start, line.content_end));
                continue;
            }
        }
        let token = &text.as_bytes()[line.start..line.content_end];
        if let Some(at) = continuation(token, escape) {
            let at = line.start + at;
            layers.add(range(at, at + 1), LINES, TokenType::Operator, 0);
            layers.erase(range(at + 1, line.content_end));
        }
    }
}

/// BuildKit's continuation test (see `syntax/lines.rs`): the offset of the escape character
/// when the line continues.
fn continuation(token: &[u8], escape: u8) -> Option<usize> {
    let last = token.iter().rposition(|&b| b != b' ' && b != b'\t')?;
    if token[last] != escape || (last > 0 && token[last - 1] == escape) {
        return None;
    }
    Some(last)
}

fn command(text: &str, entry: Entry<'_>, cmd: &Command, layers: &mut Layers) {
    let abs = |r: TextRange| entry.abs(r);
    let keyword_mods = if cmd.kind == Keyword::Maintainer {
        modifiers::DEPRECATED
    } else {
        0
    };
    if cmd.kind != Keyword::Unknown {
        layers.add(
            abs(cmd.keyword_range),
            SYNTAX,
            TokenType::Keyword,
            keyword_mods,
        );
    }
    for flag in &cmd.flags {
        let name_end = abs(flag.name_range).end();
        let start = abs(flag.range).start();
        layers.add(
            TextRange::new(start, name_end),
            SYNTAX,
            TokenType::Parameter,
            0,
        );
        let Some(vr) = flag.value_range.map(abs) else {
            continue;
        };
        if name_end < vr.start() {
            layers.add(
                TextRange::new(name_end, vr.start()),
                SYNTAX,
                TokenType::Operator,
                0,
            );
        }
        let exact = text.get(std::ops::Range::<usize>::from(vr)) == flag.value.as_deref();
        if flag.name == "mount" && exact && cmd.kind == Keyword::Run {
            mount_tokens(text, vr, layers);
        } else {
            layers.add(vr, SYNTAX, TokenType::Property, 0);
        }
    }
    let nodes = || cmd.nodes.iter().filter_map(|n| n.range.map(abs));
    match cmd.kind {
        _ if cmd.json => {
            let first = usize::from(cmd.kind == Keyword::Healthcheck);
            for (i, r) in nodes().enumerate() {
                let kind = if i < first {
                    TokenType::Keyword
                } else {
                    TokenType::String
                };
                layers.add(r, SYNTAX, kind, 0);
            }
        }
        Keyword::From => {
            for (i, r) in nodes().enumerate() {
                let kind = match i {
                    0 => TokenType::Class,
                    1 => TokenType::Keyword,
                    _ => TokenType::Namespace,
                };
                layers.add(r, SYNTAX, kind, 0);
            }
        }
        Keyword::Env | Keyword::Label => {
            for triplet in cmd.nodes.chunks(3) {
                let [key, value, _] = triplet else { continue };
                let key_kind = if cmd.kind == Keyword::Env {
                    TokenType::Variable
                } else {
                    TokenType::Property
                };
                if let Some(k) = key.range.map(abs) {
                    layers.add(k, SYNTAX, key_kind, 0);
                    if let Some(v) = value.range.map(abs) {
                        if text.as_bytes().get(usize::from(k.end())) == Some(&b'=')
                            && k.end() < v.start()
                        {
                            layers.add(
                                TextRange::at(k.end(), TextSize::from(1)),
                                SYNTAX,
                                TokenType::Operator,
                                0,
                            );
                        }
                        layers.add(v, SYNTAX, TokenType::String, 0);
                    }
                }
            }
        }
        Keyword::Arg => {
            for r in nodes() {
                let word = &text[r];
                match word.find('=') {
                    Some(eq) => {
                        let eq = r.start() + TextSize::from(eq as u32);
                        let after = eq + TextSize::from(1);
                        layers.add(
                            TextRange::new(r.start(), eq),
                            SYNTAX,
                            TokenType::Variable,
                            0,
                        );
                        layers.add(TextRange::new(eq, after), SYNTAX, TokenType::Operator, 0);
                        layers.add(TextRange::new(after, r.end()), SYNTAX, TokenType::String, 0);
                    }
                    None => layers.add(r, SYNTAX, TokenType::Variable, 0),
                }
            }
        }
        Keyword::Expose => {
            for r in nodes() {
                layers.add(r, SYNTAX, TokenType::Number, 0);
            }
        }
        Keyword::Healthcheck => {
            if let Some(r) = nodes().next() {
                layers.add(r, SYNTAX, TokenType::Keyword, 0);
            }
        }
        Keyword::Maintainer => {
            for r in nodes() {
                layers.add(r, SYNTAX, TokenType::String, 0);
            }
        }
        Keyword::Onbuild => {
            if let Some(trigger) = &cmd.trigger {
                command(text, entry, trigger, layers);
            }
        }
        _ => {}
    }
}

/// `type=cache,target=/x,ro`: keys are properties, values strings, `=` and `,` operators.
fn mount_tokens(text: &str, value: TextRange, layers: &mut Layers) {
    let base = value.start();
    let at = |o: usize| base + TextSize::from(o as u32);
    let mount = Mount::parse(&text[value]);
    if mount.csv_error.is_some() {
        layers.add(value, SYNTAX, TokenType::String, 0);
        return;
    }
    for f in &mount.fields {
        let kr = TextRange::new(at(f.key_range.start), at(f.key_range.end));
        if f.range.end < text[value].len() {
            layers.add(
                TextRange::at(at(f.range.end), TextSize::from(1)),
                SYNTAX,
                TokenType::Operator,
                0,
            );
        }
        match &f.value_range {
            Some(vr) if vr.start > f.key_range.end => {
                layers.add(kr, SYNTAX, TokenType::Property, 0);
                layers.add(
                    TextRange::new(at(f.key_range.end), at(vr.start)),
                    SYNTAX,
                    TokenType::Operator,
                    0,
                );
                layers.add(
                    TextRange::new(at(vr.start), at(vr.end)),
                    SYNTAX,
                    TokenType::String,
                    0,
                );
            }
            // A quoted field: key and value share the range.
            Some(_) => layers.add(kr, SYNTAX, TokenType::String, 0),
            None => layers.add(kr, SYNTAX, TokenType::Property, 0),
        }
    }
}

/// How positions are counted in the encoded array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Columns and lengths in bytes.
    Utf8,
    /// Columns and lengths in UTF-16 code units.
    Utf16,
}

fn units(s: &str, encoding: Encoding) -> u32 {
    match encoding {
        Encoding::Utf8 => s.len() as u32,
        Encoding::Utf16 if s.is_ascii() => s.len() as u32,
        Encoding::Utf16 => s.chars().map(|c| c.len_utf16() as u32).sum(),
    }
}

/// The LSP relative encoding (`deltaLine, deltaStart, length, type, modifiers` per token) of
/// sorted single-line tokens, in one pass over the text: each token costs the newlines and
/// characters between it and the previous one, so the whole file is O(text + tokens).
pub fn encode(text: &str, tokens: &[Token], encoding: Encoding) -> Vec<u32> {
    let bytes = text.as_bytes();
    let mut data = Vec::with_capacity(tokens.len() * 5);
    let (mut line, mut line_start) = (0u32, 0usize);
    let (mut prev_line, mut prev_col, mut prev_start) = (0u32, 0u32, 0usize);
    let mut scanned = 0usize;
    for t in tokens {
        let (s, e) = (usize::from(t.range.start()), usize::from(t.range.end()));
        if s < scanned || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue; // not sorted or not on the text: skip rather than send garbage
        }
        // Line breaks between the previous token and this one: `\n`, `\r\n` or a lone `\r`
        // (the LSP's rule, which `lsp/convert.rs` follows too).
        let mut on_break = |at: usize| {
            if !(bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n')) {
                line += 1;
                line_start = at + 1;
            }
        };
        let gap = &bytes[scanned..s];
        if gap.len() < 64 {
            // Most gaps are a few bytes: a plain scan beats memchr's set-up.
            for (i, &b) in gap.iter().enumerate() {
                if b == b'\n' || b == b'\r' {
                    on_break(scanned + i);
                }
            }
        } else if memchr::memchr(b'\r', gap).is_none() {
            // Long gaps (a range request starts with the whole text before it): count.
            let newlines = memchr::memchr_iter(b'\n', gap).count() as u32;
            if newlines > 0 {
                line += newlines;
                line_start = memchr::memrchr(b'\n', gap).map_or(line_start, |i| scanned + i + 1);
            }
        } else {
            for i in memchr::memchr2_iter(b'\n', b'\r', gap) {
                on_break(scanned + i);
            }
        }
        let col = if line == prev_line && prev_start >= line_start && data.len() >= 5 {
            prev_col + units(&text[prev_start..s], encoding)
        } else {
            units(&text[line_start..s], encoding)
        };
        let delta_line = line - prev_line;
        let delta_start = if delta_line == 0 && !data.is_empty() {
            col - prev_col
        } else {
            col
        };
        data.extend_from_slice(&[
            delta_line,
            delta_start,
            units(&text[s..e], encoding),
            t.kind as u32,
            t.modifiers,
        ]);
        prev_line = line;
        prev_col = col;
        prev_start = s;
        scanned = s;
    }
    data
}

/// One edit of an encoded array (`semanticTokens/full/delta`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokensEdit {
    pub start: u32,
    pub delete_count: u32,
    pub data: Vec<u32>,
}

/// The edits turning `old` into `new`: one replacement between their common prefix and
/// suffix, aligned to whole tokens (five numbers each). Empty when they are equal.
pub fn diff(old: &[u32], new: &[u32]) -> Vec<TokensEdit> {
    let prefix = old
        .chunks(5)
        .zip(new.chunks(5))
        .take_while(|(a, b)| a == b)
        .count()
        * 5;
    let max_suffix = (old.len() - prefix).min(new.len() - prefix) / 5;
    let suffix = old[prefix..]
        .rchunks(5)
        .zip(new[prefix..].rchunks(5))
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count()
        * 5;
    let (old_mid, new_mid) = (old.len() - prefix - suffix, new.len() - prefix - suffix);
    if old_mid == 0 && new_mid == 0 {
        return Vec::new();
    }
    vec![TokensEdit {
        start: prefix as u32,
        delete_count: old_mid as u32,
        data: new[prefix..prefix + new_mid].to_vec(),
    }]
}

/// Applies delta edits (for tests and clients of the pure layer).
pub fn apply_diff(old: &[u32], edits: &[TokensEdit]) -> Vec<u32> {
    let mut out = old.to_vec();
    for e in edits.iter().rev() {
        let s = (e.start as usize).min(out.len());
        let d = (e.delete_count as usize).min(out.len() - s);
        out.splice(s..s + d, e.data.iter().copied());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Options;
    use crate::syntax::parse;

    fn names(m: u32) -> String {
        TOKEN_MODIFIERS
            .iter()
            .enumerate()
            .filter(|(i, _)| m & (1 << i) != 0)
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join("+")
    }

    /// Found by the `ide` fuzz target: a comment holding a lone `\r` (a line break for the
    /// client) became one token across two lines.
    #[test]
    fn no_token_crosses_a_lone_carriage_return() {
        assert_eq!(
            tokens_in("# a\rb\nFROM x\rAS y\n", None),
            [
                "# a:comment",
                "b:comment",
                "FROM:keyword",
                "x:class",
                "AS:keyword",
                "y:namespace+declaration+definition"
            ]
        );
    }

    /// `text:type[+modifiers]` per token.
    fn tokens_in(text: &str, within: Option<TextRange>) -> Vec<String> {
        let p = parse(text);
        let m = Model::new(&p, &Options::default());
        let tokens = semantic_tokens(&p, &m, within);
        for w in tokens.windows(2) {
            assert!(
                w[0].range.end() <= w[1].range.start(),
                "sorted, disjoint: {w:?}"
            );
        }
        tokens
            .iter()
            .map(|t| {
                let s = &text[std::ops::Range::<usize>::from(t.range)];
                assert!(!s.contains('\n') && !s.is_empty());
                let mods = names(t.modifiers);
                let kind = TOKEN_TYPES[t.kind as usize];
                if mods.is_empty() {
                    format!("{s}:{kind}")
                } else {
                    format!("{s}:{kind}+{mods}")
                }
            })
            .collect()
    }

    fn tokens(text: &str) -> Vec<String> {
        tokens_in(text, None)
    }

    #[test]
    fn directives_comments_stages_flags() {
        let text = "# syntax=docker/dockerfile:1\n# hi\nARG V=1\nFROM --platform=$BUILDPLATFORM alpine:$V AS build\nCOPY --from=build --chmod=755 a b\nFROM build\nMAINTAINER me\n";
        assert_eq!(
            tokens(text),
            [
                "# :comment",
                "syntax:macro",
                "=:operator",
                "docker/dockerfile:1:string",
                "# hi:comment",
                "ARG:keyword",
                "V:variable+declaration+definition",
                "=:operator",
                "1:string",
                "FROM:keyword",
                "--platform:parameter",
                "=:operator",
                "$BUILDPLATFORM:variable+readonly+defaultLibrary",
                "alpine::class",
                "$V:variable",
                "AS:keyword",
                "build:namespace+declaration+definition",
                "COPY:keyword",
                "--from:parameter",
                "=:operator",
                "build:namespace",
                "--chmod:parameter",
                "=:operator",
                "755:property",
                "FROM:keyword",
                "build:namespace",
                "MAINTAINER:keyword+deprecated",
                "me:string",
            ]
        );
    }

    #[test]
    fn run_mounts_continuations_heredocs() {
        let text = "FROM a\nARG X\nRUN --mount=type=cache,target=/c,ro \\\n  # note\n\n  echo ${X:-d} $HOME\nRUN <<EOF\necho $X\n  \nEOF\n";
        assert_eq!(
            tokens(text),
            [
                "FROM:keyword",
                "a:class",
                "ARG:keyword",
                "X:variable+declaration+definition",
                "RUN:keyword",
                "--mount:parameter",
                "=:operator",
                "type:property",
                "=:operator",
                "cache:string",
                ",:operator",
                "target:property",
                "=:operator",
                "/c:string",
                ",:operator",
                "ro:property",
                "\\:operator",
                "# note:comment",
                "${X:variable",
                "}:variable",
                "$HOME:variable",
                "RUN:keyword",
                "<<EOF:keyword",
                "echo :string",
                "$X:variable",
                "EOF:keyword",
            ]
        );
    }

    #[test]
    fn env_label_json_expose_onbuild_healthcheck() {
        let text = "FROM a\nENV A=1 B=\"2\"\nLABEL k=\"v\"\nCMD [\"x\", \"y\"]\nEXPOSE 80/tcp\nONBUILD RUN --network=none x\nHEALTHCHECK --retries=3 CMD [\"z\"]\n";
        assert_eq!(
            tokens(text),
            [
                "FROM:keyword",
                "a:class",
                "ENV:keyword",
                "A:variable+declaration+definition",
                "=:operator",
                "1:string",
                "B:variable+declaration+definition",
                "=:operator",
                "\"2\":string",
                "LABEL:keyword",
                "k:property",
                "=:operator",
                "\"v\":string",
                "CMD:keyword",
                "\"x\":string",
                "\"y\":string",
                "EXPOSE:keyword",
                "80/tcp:number",
                "ONBUILD:keyword",
                "RUN:keyword",
                "--network:parameter",
                "=:operator",
                "none:property",
                "HEALTHCHECK:keyword",
                "--retries:parameter",
                "=:operator",
                "3:property",
                "CMD:keyword",
                "\"z\":string",
            ]
        );
    }

    #[test]
    fn escape_backtick_and_cjk() {
        let text = "# escape=`\nFROM a\nENV 名前=\"🐳 \\\" `\n  X=1\n";
        assert_eq!(
            tokens(text),
            [
                "# :comment",
                "escape:macro",
                "=:operator",
                "`:string",
                "FROM:keyword",
                "a:class",
                "ENV:keyword",
                "名前:variable+declaration+definition",
                "=:operator",
                "\"🐳 \\\":string",
                "`:operator",
                "X:variable+declaration+definition",
                "=:operator",
                "1:string",
            ]
        );
    }

    #[test]
    fn range_requests_see_only_what_they_meet() {
        let text = "FROM a\n# c\nRUN x\nRUN y\n";
        let at = |s: &str| TextSize::from(text.find(s).map_or(0, |i| i as u32));
        assert_eq!(
            tokens_in(text, Some(TextRange::new(at("# c"), at("RUN x")))),
            ["# c:comment", "RUN:keyword"]
        );
        assert_eq!(
            tokens_in(text, Some(TextRange::new(at("RUN y"), at("RUN y")))),
            ["RUN:keyword"]
        );
    }

    #[test]
    fn lone_carriage_returns_break_lines() {
        let text = "FROM a\rRUN x\r\nENV A=1\r";
        let p = parse(text);
        let m = Model::new(&p, &Options::default());
        let t = semantic_tokens(&p, &m, None);
        let lines: Vec<u32> = encode(text, &t, Encoding::Utf8)
            .chunks(5)
            .map(|c| c[0])
            .collect();
        // FROM, a | RUN … on the next LSP line | ENV … after the CRLF.
        assert_eq!(&lines[..3], [0, 0, 1]);
        assert!(lines[3..].contains(&1));
    }

    #[test]
    fn encoding_utf8_and_utf16() {
        let text = "FROM a\nENV 日=🐳 X=1\n";
        let p = parse(text);
        let m = Model::new(&p, &Options::default());
        let t = semantic_tokens(&p, &m, None);
        let var = TokenType::Variable as u32;
        let dd = modifiers::DECLARATION | modifiers::DEFINITION;
        let (kw, cls, op, st) = (
            TokenType::Keyword as u32,
            TokenType::Class as u32,
            TokenType::Operator as u32,
            TokenType::String as u32,
        );
        assert_eq!(
            encode(text, &t, Encoding::Utf16),
            [
                0, 0, 4, kw, 0, 0, 5, 1, cls, 0, //
                1, 0, 3, kw, 0, 0, 4, 1, var, dd, 0, 1, 1, op, 0, 0, 1, 2, st, 0, //
                0, 3, 1, var, dd, 0, 1, 1, op, 0, 0, 1, 1, st, 0,
            ]
        );
        assert_eq!(
            encode(text, &t, Encoding::Utf8),
            [
                0, 0, 4, kw, 0, 0, 5, 1, cls, 0, //
                1, 0, 3, kw, 0, 0, 4, 3, var, dd, 0, 3, 1, op, 0, 0, 1, 4, st, 0, //
                0, 5, 1, var, dd, 0, 1, 1, op, 0, 0, 1, 1, st, 0,
            ]
        );
    }

    #[test]
    fn delta() {
        let old = [0, 0, 4, 0, 0, 1, 0, 3, 0, 0, 1, 0, 3, 0, 0];
        let new = [0, 0, 4, 0, 0, 1, 0, 5, 0, 0, 0, 6, 1, 9, 0, 1, 0, 3, 0, 0];
        let edits = diff(&old, &new);
        assert_eq!(
            edits,
            [TokensEdit {
                start: 5,
                delete_count: 5,
                data: vec![1, 0, 5, 0, 0, 0, 6, 1, 9, 0]
            }]
        );
        assert_eq!(apply_diff(&old, &edits), new);
        assert!(diff(&new, &new).is_empty());
        assert_eq!(apply_diff(&new, &diff(&new, &[])), Vec::<u32>::new());
        assert_eq!(apply_diff(&[], &diff(&[], &new)), new);
    }
}
