//! `dockerfile-lsp check [--format text|json] PATH...`: every diagnostic of each file, as
//! compilers print them (text) or as one JSON array. Exit status 0 when no diagnostic is an
//! error, 1 when one is, 2 when a path could not be read (the others are still checked).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde_json::json;

use super::{EXIT_USAGE, io_message};
use crate::cache::context::{IgnoreFile, WalkOptions, ignore_file_path, walk_context};
use crate::checks::{self, Config, Diagnostic, Severity};
use crate::model::Model;
use crate::syntax::{self, Parse, TextSize};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// One file's result.
struct Checked {
    path: String,
    parse: Parse,
    diagnostics: Vec<Diagnostic>,
}

/// Reads and checks one file. The error is a one-line message.
fn check_file(path: &Path) -> Result<Checked, String> {
    if path.is_dir() {
        return Err(format!("{}: is a directory", path.display()));
    }
    let bytes =
        std::fs::read(path).map_err(|e| format!("{}: {}", path.display(), io_message(&e)))?;
    let parse = syntax::parse_bytes(&bytes);
    let config = config_for(path, &parse);
    let model = Model::new(&parse, &config.model_options());
    let diagnostics = checks::check(&parse, &model, &config);
    Ok(Checked {
        path: path.display().to_string(),
        parse,
        diagnostics,
    })
}

/// The build context is the file's directory: its ignore file, and (bounded) its contents.
fn config_for(path: &Path, parse: &Parse) -> Config {
    let mut config = Config::default();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let ignore = ignore_file_path(path, &dir)
        .and_then(|p| std::fs::read(p).ok())
        .map(|b| IgnoreFile::parse(&String::from_utf8_lossy(&b)));
    // Only CopyBeforeDependencyInstall looks into the context, for COPY of a directory.
    let copies_dirs = parse.entries().any(|e| {
        matches!(
            e.inst.command.kind,
            syntax::Keyword::Copy | syntax::Keyword::Add
        )
    });
    if copies_dirs {
        let options = WalkOptions {
            max_entries: 20_000,
            max_duration: std::time::Duration::from_millis(300),
        };
        config.context = Some(Arc::new(walk_context(&dir, ignore.as_ref(), &options)));
    }
    config.ignore_file = ignore.map(Arc::new);
    config
}

/// 1-based line and column (in Unicode scalar values) of a byte offset.
fn line_col(text: &str, offset: TextSize) -> (usize, usize, usize) {
    let offset = usize::from(offset).min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count() + 1;
    let col = text[line_start..offset].chars().count() + 1;
    (line, col, line_start)
}

/// Runs the command; returns the exit status.
pub fn run(format: Format, paths: &[std::path::PathBuf]) -> u8 {
    let mut io_failed = false;
    let mut results = Vec::new();
    for path in paths {
        match check_file(path) {
            Ok(c) => results.push(c),
            Err(message) => {
                eprintln!("error: {message}");
                io_failed = true;
            }
        }
    }
    let any_error = results
        .iter()
        .any(|c| c.diagnostics.iter().any(|d| d.severity == Severity::Error));
    let out = match format {
        Format::Json => json_output(&results),
        Format::Text => text_output(&results),
    };
    if let Err(e) = std::io::stdout().lock().write_all(out.as_bytes()) {
        eprintln!("error: writing the output: {e}");
        return EXIT_USAGE;
    }
    if io_failed {
        EXIT_USAGE
    } else if any_error {
        1
    } else {
        0
    }
}

fn json_output(results: &[Checked]) -> String {
    let mut items = Vec::new();
    for c in results {
        let text = c.parse.text();
        for d in &c.diagnostics {
            let (line, column, _) = line_col(text, d.range.start());
            let (end_line, end_column, _) = line_col(text, d.range.end());
            items.push(json!({
                "path": c.path,
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "severity": d.severity.as_str(),
                "code": d.code,
                "source": d.source,
                "message": d.message,
            }));
        }
    }
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_string());
    s.push('\n');
    s
}

/// `path:line:col: severity: message [code]`, then the source line with carets under the
/// range (its first line), as compilers print them.
fn text_output(results: &[Checked]) -> String {
    let mut out = String::new();
    let mut counts = [0usize; 4];
    for c in results {
        let text = c.parse.text();
        for d in &c.diagnostics {
            counts[d.severity as usize] += 1;
            let (line, col, line_start) = line_col(text, d.range.start());
            let line_end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i);
            let source = text[line_start..line_end].trim_end_matches('\r');
            out.push_str(&format!(
                "{}:{line}:{col}: {}: {} [{}]\n",
                c.path,
                d.severity.as_str(),
                d.message,
                d.code
            ));
            let start = usize::from(d.range.start()).clamp(line_start, line_start + source.len());
            let end = usize::from(d.range.end()).clamp(start, line_start + source.len());
            let gutter = line.to_string();
            let pad = " ".repeat(gutter.len());
            // Tabs are kept so the carets line up under them.
            let mut caret: String = text[line_start..start]
                .chars()
                .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                .collect();
            let width = text[start..end].chars().count().max(1);
            caret.push('^');
            caret.push_str(&"~".repeat(width - 1));
            out.push_str(&format!(" {gutter} | {source}\n {pad} | {caret}\n"));
        }
    }
    let total: usize = counts.iter().sum();
    if total > 0 {
        let parts: Vec<String> = [
            (counts[0], "error"),
            (counts[1], "warning"),
            (counts[2], "info"),
            (counts[3], "hint"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}{}", if *n == 1 { "" } else { "s" }))
        .collect();
        out.push_str(&format!("{}\n", parts.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_unicode_scalars() {
        let text = "é\nab😀c";
        assert_eq!(line_col(text, TextSize::from(0)), (1, 1, 0));
        assert_eq!(line_col(text, TextSize::from(2)).0, 1);
        assert_eq!(line_col(text, TextSize::from(9)).1, 4);
    }
}
