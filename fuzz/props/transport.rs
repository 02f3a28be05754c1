//! The input framing of the server on arbitrary bytes: never panics, never loses its place —
//! the messages and error codes decoded do not depend on how the input was cut into reads
//! (only an error's wording may: a body cut short is noticed either by its bad JSON or by
//! the next header arriving first) — and every message it passes on is valid JSON-RPC.

use dockerfile_lsp::lsp::transport::{Frame, FrameDecoder};

/// A frame: the message, or the error code of an invalid one.
fn decode(chunks: &[&[u8]]) -> (Vec<Result<Vec<u8>, i64>>, usize) {
    let mut d = FrameDecoder::default();
    let mut frames = Vec::new();
    for c in chunks {
        d.push(c);
        frames.extend(std::iter::from_fn(|| d.next()).map(|f| match f {
            Frame::Message(body) => Ok(body),
            Frame::Invalid(invalid) => Err(invalid.code),
        }));
    }
    (frames, d.pending())
}

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let Some((&cut, input)) = data.split_first() else {
        return;
    };
    let (whole, pending) = decode(&[input]);
    for body in whole.iter().flatten() {
        let v: serde_json::Value = serde_json::from_slice(body).expect("JSON");
        assert_eq!(v["jsonrpc"], "2.0");
    }
    // The same bytes in reads of `cut + 1` bytes.
    let chunks: Vec<&[u8]> = input.chunks(usize::from(cut) + 1).collect();
    let (pieces, pending_pieces) = decode(&chunks);
    assert_eq!(whole, pieces, "framing depends on how the input was read");
    assert_eq!(pending, pending_pieces);
}
