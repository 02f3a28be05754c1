//! The lossless rowan tree, built on demand from the text and the parsed instructions. The
//! line rules are the parser's own (`lines.rs`), so the tree and the typed instructions
//! always agree on where each instruction starts and ends.

use rowan::{GreenNode, GreenNodeBuilder, TextRange};

use super::instruction::Command;
use super::kinds::SyntaxKind as K;
use super::lines::{Lines, Part, continuation, is_comment, scan_instruction, skip_space};
use super::{Directive, StoredEntry};

pub(super) fn build(
    text: &str,
    entries: &[StoredEntry],
    directives: &[Directive],
    escape: u8,
) -> GreenNode {
    let mut b = Builder {
        text,
        builder: GreenNodeBuilder::new(),
    };
    b.builder.start_node(K::Root.into());
    let mut pos = 0;
    if text.starts_with('\u{FEFF}') {
        b.token(K::Bom, 0, 3);
        pos = 3;
    }
    let mut lines = Lines::new(text.as_bytes(), pos);
    let mut entries = entries.iter().peekable();
    let mut directives = directives.iter().peekable();
    let mut parts = Vec::new();
    while let Some(line) = lines.next() {
        let line_no = lines.count - 1;
        let ws_end = skip_space(text, line.start, line.content_end);
        if let Some(entry) = entries.next_if(|e| usize::from(e.offset) == line.start) {
            let token = &text.as_bytes()[ws_end..line.content_end];
            parts.clear();
            scan_instruction(
                text,
                &mut lines,
                line,
                ws_end,
                continuation(token, escape),
                escape,
                &mut parts,
            );
            b.instruction(entry, &parts);
            // Heredoc bodies were read by the parser; skip past them.
            let end = usize::from(entry.offset + entry.inst.full_len);
            while lines.pos < end && lines.next().is_some() {}
            continue;
        }
        if directives.next_if(|d| d.line == line_no).is_some() {
            b.builder.start_node(K::Directive.into());
            b.token(K::Whitespace, line.start, ws_end);
            b.token(K::DirectiveText, ws_end, line.content_end);
            b.token(K::Newline, line.content_end, line.end);
            b.builder.finish_node();
            continue;
        }
        b.token(K::Whitespace, line.start, ws_end);
        let kind = if is_comment(text, line) {
            K::Comment
        } else {
            K::Text
        };
        b.token(kind, ws_end, line.content_end);
        b.token(K::Newline, line.content_end, line.end);
    }
    b.builder.finish_node();
    b.builder.finish()
}

struct Builder<'a> {
    text: &'a str,
    builder: GreenNodeBuilder<'static>,
}

#[derive(Clone, Copy)]
enum EventKind {
    Open(K),
    Close(K),
    KeywordStart,
    KeywordEnd,
}

struct Event {
    pos: usize,
    /// Sort key within one offset: closes (deepest first) before opens (outermost first).
    order: (u8, i32),
    kind: EventKind,
}

impl Builder<'_> {
    fn token(&mut self, kind: K, start: usize, end: usize) {
        if start < end {
            self.builder.token(kind.into(), &self.text[start..end]);
        }
    }

    fn instruction(&mut self, entry: &StoredEntry, parts: &[Part]) {
        let base = usize::from(entry.offset);
        let inst = &entry.inst;
        let mut events = Vec::new();
        command_events(&inst.command, base, true, &mut events);
        events.sort_by_key(|e| (e.pos, e.order));
        let mut events = events.into_iter().peekable();
        let mut keyword_open = false;
        // How many flag/argument nodes are open (the ONBUILD trigger node does not count).
        let mut depth = 0i32;
        self.builder.start_node(K::Instruction.into());
        for part in parts {
            match *part {
                Part::Whitespace(s, e) => self.token(K::Whitespace, s, e),
                Part::Continuation(s, e) => self.token(K::Continuation, s, e),
                Part::Comment(s, e) => self.token(K::Comment, s, e),
                Part::Newline(s, e) => self.token(K::Newline, s, e),
                Part::Content(s, e) => {
                    // Starts of spans never sit at the end of a content part (they map onto
                    // a character), so every event up to `e` belongs to this part.
                    let mut at = s;
                    loop {
                        while let Some(ev) = events.next_if(|ev| ev.pos <= at) {
                            depth += self.apply(ev.kind, &mut keyword_open);
                        }
                        if at >= e {
                            break;
                        }
                        let stop = events.peek().map_or(e, |ev| ev.pos.min(e));
                        if keyword_open {
                            self.token(K::Keyword, at, stop);
                        } else if depth > 0 {
                            // Inside a flag or argument the text stays one token: its
                            // meaning is in the typed instruction, not in the tokens.
                            self.token(K::Text, at, stop);
                        } else {
                            self.text_tokens(at, stop);
                        }
                        at = stop;
                    }
                }
            }
        }
        for ev in events {
            self.apply(ev.kind, &mut keyword_open);
        }
        for heredoc in &inst.heredocs {
            self.builder.start_node(K::Heredoc.into());
            let body = heredoc.body + entry.offset;
            self.token(K::HeredocBody, body.start().into(), body.end().into());
            if let Some(t) = heredoc.terminator {
                let t = t + entry.offset;
                self.token(K::HeredocEnd, t.start().into(), t.end().into());
                let line_end = self.text[usize::from(t.end())..]
                    .find('\n')
                    .map_or(self.text.len(), |i| usize::from(t.end()) + i + 1);
                self.token(K::Newline, t.end().into(), line_end);
            }
            self.builder.finish_node();
        }
        self.builder.finish_node();
    }

    /// Applies one event; returns the change in open flag/argument nodes.
    fn apply(&mut self, kind: EventKind, keyword_open: &mut bool) -> i32 {
        match kind {
            EventKind::Open(k) => {
                self.builder.start_node(k.into());
                i32::from(k != K::Instruction)
            }
            EventKind::Close(k) => {
                self.builder.finish_node();
                -i32::from(k != K::Instruction)
            }
            EventKind::KeywordStart => {
                *keyword_open = true;
                0
            }
            EventKind::KeywordEnd => {
                *keyword_open = false;
                0
            }
        }
    }

    /// Splits text between arguments into whitespace and text tokens.
    fn text_tokens(&mut self, start: usize, end: usize) {
        let mut at = start;
        while at < end {
            let ws = skip_space(self.text, at, end);
            if ws > at {
                self.token(K::Whitespace, at, ws);
                at = ws;
                continue;
            }
            let s = &self.text[at..end];
            let word_len = s.find(super::go::is_space).unwrap_or(s.len());
            self.token(K::Text, at, at + word_len);
            at += word_len;
        }
    }
}

fn push_span(events: &mut Vec<Event>, r: TextRange, base: usize, depth: i32, kind: K) {
    if r.is_empty() {
        return;
    }
    let (open, close) = if kind == K::Keyword {
        (EventKind::KeywordStart, EventKind::KeywordEnd)
    } else {
        (EventKind::Open(kind), EventKind::Close(kind))
    };
    events.push(Event {
        pos: base + usize::from(r.start()),
        order: (1, depth),
        kind: open,
    });
    events.push(Event {
        pos: base + usize::from(r.end()),
        order: (0, -depth),
        kind: close,
    });
}

/// Tree events for a command's keyword, flags and arguments (and an ONBUILD trigger).
fn command_events(cmd: &Command, base: usize, top: bool, events: &mut Vec<Event>) {
    let depth = if top { 1 } else { 2 };
    push_span(events, cmd.keyword_range, base, depth + 1, K::Keyword);
    for flag in &cmd.flags {
        push_span(events, flag.range, base, depth, K::Flag);
    }
    for r in cmd.nodes.iter().filter_map(|n| n.range) {
        push_span(events, r, base, depth, K::Argument);
    }
    if let Some(trigger) = &cmd.trigger {
        let end = trigger
            .nodes
            .iter()
            .filter_map(|n| n.range)
            .map(|r| r.end())
            .chain(trigger.flags.iter().map(|f| f.range.end()))
            .chain([trigger.keyword_range.end()])
            .max()
            .unwrap_or(trigger.keyword_range.end());
        let span = TextRange::new(trigger.keyword_range.start(), end);
        push_span(events, span, base, 1, K::Instruction);
        command_events(trigger, base, false, events);
    }
}
