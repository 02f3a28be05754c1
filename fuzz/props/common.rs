//! Shared by the fuzz targets: turning fuzzer bytes into a Dockerfile and an edit.

use dockerfile_lsp::syntax::{TextEdit, TextRange, TextSize};

/// Splits the input: the first bytes choose an edit, the rest is the file (decoded lossily,
/// as the server does).
pub fn text_and_edit(data: &[u8]) -> (String, TextEdit) {
    let (head, body) = data.split_at(data.len().min(6));
    let text = String::from_utf8_lossy(body).into_owned();
    let at = |b: &[u8]| -> usize {
        let n = b.iter().fold(0usize, |acc, &x| acc * 256 + x as usize);
        let mut at = if text.is_empty() { 0 } else { n % (text.len() + 1) };
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let start = at(head.get(..2).unwrap_or(&[]));
    let end = at(head.get(2..4).unwrap_or(&[])).max(start);
    let inserts = ["", "\n", "\\\n", "x", "<<EOF\n", "EOF\n", "# c\n", "FROM a AS b\n", "`", "$", "--from=b "];
    let insert = inserts[head.get(4).copied().unwrap_or(0) as usize % inserts.len()].to_string();
    let edit = TextEdit {
        range: TextRange::new(TextSize::from(start as u32), TextSize::from(end as u32)),
        insert,
    };
    (text, edit)
}
