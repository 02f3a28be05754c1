//! `dockerfile-lsp dump PATH`: BuildKit's parser dump, for conformance.

use std::io::Write;
use std::path::Path;

use super::{EXIT_USAGE, read_dockerfile};
use crate::syntax;

/// Prints the dump of `path` on stdout, or BuildKit's first parse error on stderr.
/// Returns the exit status.
pub fn run(path: &Path) -> u8 {
    let (text, _) = match read_dockerfile(path) {
        Ok(decoded) => decoded,
        Err(message) => {
            eprintln!("error: {message}");
            return EXIT_USAGE;
        }
    };
    let parse = syntax::parse(&text);
    if let Some(error) = parse.first_error() {
        let line = text[..usize::from(error.range.start())]
            .matches('\n')
            .count()
            + 1;
        eprintln!("error: {}:{line}: {}", path.display(), error.message);
        return 1;
    }
    let mut out = syntax::dump::dump(&parse);
    out.push('\n');
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: writing the dump: {e}");
            EXIT_USAGE
        }
    }
}
