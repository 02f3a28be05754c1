//! The command line: `check`, `cache` and `dump` read files, call the same functions as the
//! server, and print text or JSON.

pub mod cache;
pub mod check;
pub mod dump;

use std::path::Path;

/// Exit status for usage and I/O failures.
pub const EXIT_USAGE: u8 = 2;

/// Reads a Dockerfile from disk, decoding invalid UTF-8 lossily. Errors are one line of text.
pub fn read_dockerfile(path: &Path) -> Result<(String, Option<crate::syntax::TextSize>), String> {
    if path.is_dir() {
        return Err(format!("{}: is a directory", path.display()));
    }
    let bytes =
        std::fs::read(path).map_err(|e| format!("{}: {}", path.display(), io_message(&e)))?;
    Ok(crate::syntax::decode(&bytes))
}

pub(crate) fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
