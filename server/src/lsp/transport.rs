//! Input framing that survives a broken client.
//!
//! tower-lsp-server 0.23 reads stdin through tokio-util's `FramedRead`, and that stream ends
//! after the first decoding error (tokio-util 0.7 returns `None` once a decoder failed, and
//! tower-lsp treats `None` as end of input). One malformed message would therefore stop the
//! server. So stdin goes through [`pump`] first: it splits the input into frames itself,
//! forwards each well-formed JSON-RPC message unchanged, and replaces each broken one by a
//! request for [`INVALID_MESSAGE`] with id `null`, which answers the JSON-RPC error the client
//! should get (`-32700` parse error or `-32600` invalid request, id `null`).
//!
//! Resynchronisation: junk before a header is skipped up to the next `Content-Length`; a
//! message whose body holds the start of another message (`Content-Length: N` + blank line,
//! which cannot occur inside valid JSON) was cut short, and decoding restarts there.

use memchr::memmem;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{self, ErrorCode};

use super::server::Server;

/// The method that stands for a message that could not be read.
pub const INVALID_MESSAGE: &str = "$/dockerfile-lsp/invalidMessage";

/// A header block longer than this without its blank line is junk.
const MAX_HEADER: usize = 8 * 1024;
/// A larger `Content-Length` is taken for junk rather than allocated for.
const MAX_BODY: usize = 256 * 1024 * 1024;
const HEADER_NAME: &[u8] = b"Content-Length";

/// A message that could not be read, as the parameters of [`INVALID_MESSAGE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invalid {
    /// `-32700` (not JSON) or `-32600` (JSON, but not a JSON-RPC message).
    pub code: i64,
    pub message: String,
}

impl Invalid {
    fn parse_error(why: impl std::fmt::Display) -> Self {
        Invalid {
            code: ErrorCode::ParseError.code(),
            message: format!("Parse error: {why}"),
        }
    }

    fn invalid_request(why: impl std::fmt::Display) -> Self {
        Invalid {
            code: ErrorCode::InvalidRequest.code(),
            message: format!("Invalid request: {why}"),
        }
    }

    fn to_request(&self) -> Vec<u8> {
        let request = serde_json::json!({
            "jsonrpc": "2.0",
            "id": null,
            "method": INVALID_MESSAGE,
            "params": self,
        });
        request.to_string().into_bytes()
    }
}

impl Server {
    /// Answers [`INVALID_MESSAGE`]: the error the broken message deserves.
    pub async fn invalid_message(&self, params: Invalid) -> jsonrpc::Result<()> {
        Err(jsonrpc::Error {
            code: ErrorCode::from(params.code),
            message: params.message.into(),
            data: None,
        })
    }
}

/// One unit of input.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A well-formed JSON-RPC message (the body, without headers).
    Message(Vec<u8>),
    Invalid(Invalid),
}

/// Splits bytes into frames. Pure: fed with [`push`](Self::push), drained with
/// [`next`](Self::next).
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    /// Start of the undecoded bytes in `buf`.
    pos: usize,
    /// Bytes after `pos` already searched for a next header while waiting for a body.
    scanned: usize,
}

impl FrameDecoder {
    pub fn push(&mut self, bytes: &[u8]) {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// Bytes received but not yet decoded.
    pub fn pending(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The next frame, or `None` until more bytes arrive.
    #[allow(clippy::should_implement_trait)] // needs more input to continue, unlike an iterator
    pub fn next(&mut self) -> Option<Frame> {
        loop {
            // Stray line breaks between messages are harmless; skip them silently.
            while matches!(self.buf.get(self.pos), Some(b'\r' | b'\n')) {
                self.advance(1);
            }
            let avail = &self.buf[self.pos..];
            if avail.is_empty() {
                return None;
            }
            let Some(header_end) = memmem::find(avail, b"\r\n\r\n") else {
                if avail.len() <= MAX_HEADER {
                    return None;
                }
                let skip = later_header_name(avail).unwrap_or(avail.len());
                self.advance(skip);
                return Some(Frame::Invalid(Invalid::parse_error(
                    "no message header (Content-Length) found",
                )));
            };
            let length = match content_length(&avail[..header_end]) {
                Ok(length) => length,
                Err(why) => {
                    let skip = later_header_name(&avail[..header_end]).unwrap_or(header_end + 4);
                    self.advance(skip);
                    return Some(Frame::Invalid(Invalid::parse_error(why)));
                }
            };
            let body_start = header_end + 4;
            let body_end = body_start + length;
            if avail.len() < body_end {
                // While waiting, look for the next message's header in what has come: if
                // it is there, this message is shorter than its Content-Length said.
                // (Rescan a header's length back: one may have been cut by the last read.)
                let from = self.scanned.saturating_sub(MAX_HEADER).max(body_start);
                if let Some(i) = next_header(&avail[from..]) {
                    self.advance(from + i);
                    return Some(Frame::Invalid(Invalid::parse_error(
                        "message shorter than its Content-Length",
                    )));
                }
                self.scanned = avail.len();
                return None;
            }
            let body = &avail[body_start..body_end];
            if body.is_empty() {
                // tower-lsp skips empty messages too.
                self.advance(body_end);
                continue;
            }
            return Some(match check(body) {
                Ok(()) => {
                    let message = body.to_vec();
                    self.advance(body_end);
                    Frame::Message(message)
                }
                // Holding the next message's header, the body was cut short: the same error
                // as when that header arrives before the rest of the body (above), so the
                // answer does not depend on how the input was split into reads.
                Err(invalid) => match next_header(body) {
                    Some(i) => {
                        self.advance(body_start + i);
                        Frame::Invalid(Invalid::parse_error(
                            "message shorter than its Content-Length",
                        ))
                    }
                    None => {
                        self.advance(body_end);
                        Frame::Invalid(invalid)
                    }
                },
            });
        }
    }

    fn advance(&mut self, n: usize) {
        self.pos += n;
        self.scanned = 0;
    }
}

/// Where a `Content-Length` header name starts in `bytes`, after the first byte.
fn later_header_name(bytes: &[u8]) -> Option<usize> {
    let rest = bytes.get(1..)?;
    memmem::find(rest, HEADER_NAME).map(|i| i + 1)
}

/// Where a complete, valid header block starts in `bytes`.
fn next_header(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memmem::find(&bytes[from..], HEADER_NAME) {
        let start = from + i;
        let rest = &bytes[start..];
        if let Some(end) = memmem::find(rest, b"\r\n\r\n") {
            if content_length(&rest[..end]).is_ok() {
                return Some(start);
            }
        }
        from = start + 1;
    }
    None
}

/// The body length a header block declares. The last `Content-Length` wins: a header cut
/// short and followed by a whole one means the whole one.
fn content_length(header: &[u8]) -> Result<usize, String> {
    let text = std::str::from_utf8(header).map_err(|_| "header is not UTF-8".to_string())?;
    let mut length = None;
    for line in text.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            match value.parse::<usize>() {
                Ok(n) if n <= MAX_BODY => length = Some(n),
                _ => return Err(format!("bad Content-Length {value:?}")),
            }
        }
    }
    length.ok_or_else(|| "missing Content-Length header".to_string())
}

/// A JSON-RPC message as tower-lsp-server will read it; mirrors its private `Message`.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)] // only deserialised, to check
enum Message {
    Response(jsonrpc::Response),
    Request(jsonrpc::Request),
}

/// Whether tower-lsp-server will accept `body`.
fn check(body: &[u8]) -> Result<(), Invalid> {
    let text = std::str::from_utf8(body).map_err(Invalid::parse_error)?;
    match serde_json::from_str::<Message>(text) {
        Ok(_) => Ok(()),
        Err(e) if e.is_data() => Err(Invalid::invalid_request(
            "not a JSON-RPC 2.0 request, notification or response",
        )),
        Err(e) => Err(Invalid::parse_error(e)),
    }
}

/// Copies framed messages from `input` to `output` (see the module docs) until `input` ends
/// or `output` is closed.
pub async fn pump<R, W>(mut input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut decoder = FrameDecoder::default();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut chunk).await {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                tracing::error!("reading input: {e}");
                break;
            }
        };
        decoder.push(&chunk[..n]);
        while let Some(frame) = decoder.next() {
            let body = match frame {
                Frame::Message(body) => body,
                Frame::Invalid(invalid) => {
                    tracing::warn!("unreadable message from the client: {}", invalid.message);
                    invalid.to_request()
                }
            };
            let header = format!("Content-Length: {}\r\n\r\n", body.len());
            let sent = async {
                output.write_all(header.as_bytes()).await?;
                output.write_all(&body).await
            };
            if sent.await.is_err() {
                // The server stopped reading (after `exit`).
                return;
            }
        }
    }
    if decoder.pending() > 0 {
        tracing::warn!(
            "input ended inside a message; {} bytes dropped",
            decoder.pending()
        );
    }
    let _ = output.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    const PING: &str = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn decode(input: &[u8]) -> Vec<Frame> {
        let mut d = FrameDecoder::default();
        d.push(input);
        std::iter::from_fn(|| d.next()).collect()
    }

    fn msg(body: &str) -> Frame {
        Frame::Message(body.as_bytes().to_vec())
    }

    fn codes(frames: &[Frame]) -> Vec<i64> {
        frames
            .iter()
            .map(|f| match f {
                Frame::Message(_) => 0,
                Frame::Invalid(i) => i.code,
            })
            .collect()
    }

    #[test]
    fn well_formed_messages_pass_unchanged() {
        let response = r#"{"jsonrpc":"2.0","id":7,"result":null}"#;
        let input = format!(
            "{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n{}",
            framed(PING),
            framed(response)
        );
        assert_eq!(decode(input.as_bytes()), [msg(PING), msg(response)]);
    }

    #[test]
    fn byte_by_byte() {
        let input = framed(PING) + &framed(PING);
        let mut d = FrameDecoder::default();
        let mut got = Vec::new();
        for b in input.as_bytes() {
            d.push(std::slice::from_ref(b));
            got.extend(std::iter::from_fn(|| d.next()));
        }
        assert_eq!(got, [msg(PING), msg(PING)]);
        assert_eq!(d.pending(), 0);
    }

    #[test]
    fn malformed_json_is_a_parse_error_and_decoding_goes_on() {
        let input = framed(r#"{"jsonrpc":"2.0","method":"#) + &framed(PING);
        let frames = decode(input.as_bytes());
        assert_eq!(codes(&frames), [-32700, 0]);
    }

    #[test]
    fn json_that_is_not_json_rpc_is_an_invalid_request() {
        for body in [r#"[1,2]"#, r#"{"jsonrpc":"1.0","id":1,"method":"x"}"#, "42"] {
            let input = framed(body) + &framed(PING);
            assert_eq!(codes(&decode(input.as_bytes())), [-32600, 0], "{body}");
        }
    }

    #[test]
    fn not_utf8() {
        let mut input = b"Content-Length: 3\r\n\r\n\"\xff\"".to_vec();
        input.extend(framed(PING).as_bytes());
        assert_eq!(codes(&decode(&input)), [-32700, 0]);
    }

    #[test]
    fn junk_before_a_header_is_skipped() {
        let input = format!("garbage{}", framed(PING));
        assert_eq!(codes(&decode(input.as_bytes())), [-32700, 0]);
        let input = format!("Foo: bar\r\n\r\n{}", framed(PING));
        assert_eq!(codes(&decode(input.as_bytes())), [-32700, 0]);
        let input = format!("\r\n\r\n{}\r\n", framed(PING));
        assert_eq!(codes(&decode(input.as_bytes())), [0]);
    }

    #[test]
    fn bad_content_length() {
        for header in [
            "Content-Length: abc",
            "Content-Length: -1",
            "Content-Length: 99999999999",
        ] {
            let input = format!("{header}\r\n\r\n{}", framed(PING));
            assert_eq!(codes(&decode(input.as_bytes())), [-32700, 0], "{header}");
        }
    }

    #[test]
    fn a_truncated_header_followed_by_a_whole_message() {
        // The first header lost its blank line and body: the second header wins.
        let input = format!("Content-Length: 10\r\n{}", framed(PING));
        assert_eq!(decode(input.as_bytes()), [msg(PING)]);
        // Cut in the middle of the line.
        let input = format!("Content-Len{}", framed(PING));
        assert_eq!(codes(&decode(input.as_bytes())), [-32700, 0]);
        let input = format!("Content-Length: 4{}", framed(PING));
        assert_eq!(codes(&decode(input.as_bytes())), [-32700, 0]);
    }

    #[test]
    fn a_body_shorter_than_declared() {
        // Complete input: the long "body" swallows the next message, which is recovered.
        let input = format!("Content-Length: 60\r\n\r\n{{\"jsonrpc\"{}", framed(PING));
        assert_eq!(codes(&decode(input.as_bytes())), [-32700, 0]);
        // Still waiting for bytes that will never come: the next header is enough.
        let input = format!("Content-Length: 500\r\n\r\n{{\"jsonrpc\"{}", framed(PING));
        assert_eq!(codes(&decode(input.as_bytes())), [-32700, 0]);
        // A header in the body that is only a string is no reason to cut.
        let body = r#"{"jsonrpc":"2.0","method":"x","params":"Content-Length: 5"}"#;
        let input = format!("Content-Length: {}\r\n\r\n{}", body.len() + 1, body);
        let mut d = FrameDecoder::default();
        d.push(input.as_bytes());
        assert_eq!(d.next(), None);
        d.push(b" ");
        assert_eq!(d.next(), Some(msg(&format!("{body} "))));
    }

    /// Found by the `transport` fuzz target: a declared length that swallows the next
    /// header was reported as an invalid request (-32600) when the whole input was there,
    /// as a parse error (-32700) when it came in pieces.
    #[test]
    fn a_cut_message_is_the_same_error_however_the_input_is_read() {
        let cut = r#"{"jsonrpd": "initialize", "params": {}}"#;
        let input = format!(
            "Content-Length: {}\r\n\r\n{cut}{}",
            cut.len() + 30,
            framed(PING)
        );
        let whole = decode(input.as_bytes());
        assert_eq!(codes(&whole), [-32700, 0]);
        let mut d = FrameDecoder::default();
        let mut pieces = Vec::new();
        for b in input.as_bytes() {
            d.push(std::slice::from_ref(b));
            pieces.extend(std::iter::from_fn(|| d.next()));
        }
        assert_eq!(whole, pieces);
    }

    #[test]
    fn long_junk_without_a_header_end() {
        let junk = "x".repeat(MAX_HEADER + 1);
        let input = format!("{junk}{}", framed(PING));
        assert_eq!(codes(&decode(input.as_bytes())), [-32700, 0]);
    }

    #[test]
    fn the_replacement_request_is_well_formed() {
        let invalid = Invalid::parse_error("x");
        let request = invalid.to_request();
        let text = std::str::from_utf8(&request).expect("utf-8");
        assert!(check(&request).is_ok(), "{text}");
        let value: serde_json::Value = serde_json::from_str(text).expect("json");
        assert_eq!(value["id"], serde_json::Value::Null);
        assert_eq!(value["method"], INVALID_MESSAGE);
        assert_eq!(value["params"]["code"], -32700);
    }

    #[tokio::test]
    async fn pump_reframes_and_ends_with_its_input() {
        let input = format!("junk{}{}", framed(PING), framed("{"));
        let (mut reader, writer) = tokio::io::duplex(1024);
        pump(input.as_bytes(), writer).await;
        let mut out = String::new();
        reader.read_to_string(&mut out).await.expect("read");
        let mut d = FrameDecoder::default();
        d.push(out.as_bytes());
        let frames: Vec<_> = std::iter::from_fn(|| d.next()).collect();
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[1], msg(PING));
        for i in [0, 2] {
            let Frame::Message(body) = &frames[i] else {
                panic!("{:?}", frames[i]);
            };
            assert!(String::from_utf8_lossy(body).contains(INVALID_MESSAGE));
        }
    }
}
