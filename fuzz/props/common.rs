//! Shared by the fuzz targets: turning fuzzer bytes into a Dockerfile, an edit, options, and
//! the invariants every range must keep.

use dockerfile_lsp::syntax::{TextEdit, TextRange, TextSize};

/// Splits the input: the first bytes choose an edit, the rest is the file (decoded lossily,
/// as the server does).
pub fn text_and_edit(data: &[u8]) -> (String, TextEdit) {
    let (head, body) = data.split_at(data.len().min(6));
    let text = String::from_utf8_lossy(body).into_owned();
    let edit = edit_from(head, &text);
    (text, edit)
}

/// Pieces an edit inserts: the constructs whose boundaries incremental work must respect.
pub const INSERTS: [&str; 14] = [
    "",
    "\n",
    "\\\n",
    "x",
    "<<EOF\n",
    "EOF\n",
    "# c\n",
    "FROM a AS b\n",
    "`",
    "$",
    "--from=b ",
    "\r",
    "😀",
    "# escape=`\n",
];

/// An edit of `text` chosen by up to 5 bytes: start, end (both snapped to char boundaries,
/// end ≥ start) and one of [`INSERTS`].
pub fn edit_from(head: &[u8], text: &str) -> TextEdit {
    let start = offset_from(head.get(..2).unwrap_or(&[]), text);
    let end = offset_from(head.get(2..4).unwrap_or(&[]), text).max(start);
    let insert = INSERTS[head.get(4).copied().unwrap_or(0) as usize % INSERTS.len()].to_string();
    TextEdit {
        range: TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32)),
        insert,
    }
}

/// A char boundary of `text` (its end included) chosen by big-endian bytes.
pub fn offset_from(bytes: &[u8], text: &str) -> usize {
    let n = bytes.iter().fold(0usize, |acc, &x| acc * 256 + x as usize);
    let mut at = if text.is_empty() {
        0
    } else {
        n % (text.len() + 1)
    };
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Takes bytes off the front of the fuzzer's input; zeros once it runs out.
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    pub fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    pub fn bit(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    pub fn u16(&mut self) -> u16 {
        u16::from(self.byte()) << 8 | u16::from(self.byte())
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.byte() as usize % items.len()]
    }

    pub fn rest(self) -> &'a [u8] {
        self.0
    }
}

/// Whether `range` lies inside `text` on character boundaries.
pub fn on_boundaries(text: &str, range: TextRange) -> bool {
    let (s, e) = (usize::from(range.start()), usize::from(range.end()));
    s <= e && e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
}

#[track_caller]
pub fn check_range(text: &str, range: TextRange) {
    assert!(
        on_boundaries(text, range),
        "{range:?} outside the text or splitting a character (len {})",
        text.len()
    );
}

/// Line starts of `text` by the LSP's rule: lines end at `\n`, `\r\n` or a lone `\r`.
pub fn line_starts(text: &str) -> Vec<usize> {
    let b = text.as_bytes();
    let mut starts = vec![0];
    for i in 0..b.len() {
        match b[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if b.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
            _ => {}
        }
    }
    starts
}

/// (line, column) of a byte offset, the column in bytes or UTF-16 units.
pub fn line_col(text: &str, starts: &[usize], offset: usize, utf16: bool) -> (u32, u32) {
    let line = starts.partition_point(|&s| s <= offset) - 1;
    let before = &text[starts[line]..offset];
    let col = if utf16 {
        before.encode_utf16().count()
    } else {
        before.len()
    };
    (line as u32, col as u32)
}

/// Everything public a model holds (its reuse cache aside), for comparing two models.
pub fn model_summary(m: &dockerfile_lsp::model::Model) -> String {
    format!(
        "{:?}\n{:?}\n{:?} {:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?} {:?} {:?}",
        m.frontend,
        m.stages,
        m.meta_args,
        m.orphans,
        m.entries,
        m.global_env,
        m.global_defaults,
        m.var_defs,
        m.var_uses,
        m.stage_refs,
        m.target,
        m.target_missing,
        m.reachable,
    )
}
