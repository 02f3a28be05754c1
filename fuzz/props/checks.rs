//! `checks::check` with a `Config` chosen by the input (rule levels, build args, target,
//! platform, experimental rules, an ignore file, a walked context): never panics, every
//! range (diagnostics and fix edits) lies on character boundaries, fix edits do not overlap,
//! every fix applied gives a text that parses and checks again, and "ignore in this file"
//! really silences the rule.

use std::collections::BTreeMap;
use std::sync::Arc;

use dockerfile_lsp::cache::context::{ContextIndex, Entry, EntryKind, IgnoreFile};
use dockerfile_lsp::checks::{self, Config, FixKind, Level, registry};
use dockerfile_lsp::model::Model;
use dockerfile_lsp::syntax::{self, TextRange};

use super::common::{Bytes, check_range};

const LEVELS: [Level; 5] = [
    Level::Off,
    Level::Hint,
    Level::Info,
    Level::Warning,
    Level::Error,
];
const TARGETS: [Option<&str>; 5] = [None, Some("a"), Some("build"), Some("0"), Some("NoSuch")];
const PLATFORMS: [Option<&str>; 5] = [
    None,
    Some("linux/arm64/v8"),
    Some("windows/amd64"),
    Some("bogus"),
    Some("linux"),
];
const ARGS: [(&str, &str); 6] = [
    ("BUILDKIT_DOCKERFILE_CHECK", "skip=all"),
    ("BUILDKIT_DOCKERFILE_CHECK", "error=true;experimental=all"),
    ("BASE", "alpine:3.20"),
    ("A", ""),
    ("TARGETPLATFORM", "linux/arm64"),
    ("VERSION", "${X:-1}"),
];
const IGNORES: [&str; 6] = [
    "",
    "*\n",
    "*.md\n!README.md\n",
    "src\n**/*.lock\n",
    "[\n",
    "!x\n**\n",
];
const PATHS: [&str; 8] = [
    "package.json",
    "package-lock.json",
    "src",
    "src/app.js",
    "README.md",
    "go.mod",
    "vendor",
    "vendor/x.lock",
];

fn context(mask: u8) -> ContextIndex {
    let entries = PATHS
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, p)| {
            let dir = !p.contains('.');
            Entry {
                path: (*p).to_string(),
                kind: if dir { EntryKind::Dir } else { EntryKind::File },
                size: 1,
                mode: if dir { 0o040_755 } else { 0o100_644 },
                link_target: None,
                mtime: None,
            }
        })
        .collect();
    ContextIndex::from_entries(entries)
}

fn config(input: &mut Bytes) -> Config {
    let codes = registry::all();
    let mut rules = BTreeMap::new();
    for _ in 0..input.byte() % 4 {
        let code = codes[input.u16() as usize % codes.len()].code;
        rules.insert(code.to_string(), input.pick(&LEVELS));
    }
    let mut build_args = BTreeMap::new();
    for _ in 0..input.byte() % 3 {
        let (k, v) = input.pick(&ARGS);
        build_args.insert(k.to_string(), v.to_string());
    }
    let flags = input.byte();
    Config {
        rules,
        build_args,
        target: input.pick(&TARGETS).map(str::to_string),
        platform: input.pick(&PLATFORMS).map(str::to_string),
        experimental: flags & 1 != 0,
        ignore_file: (flags & 2 != 0).then(|| Arc::new(IgnoreFile::parse(input.pick(&IGNORES)))),
        context: (flags & 4 != 0).then(|| Arc::new(context(input.byte()))),
    }
}

fn check(text: &str, config: &Config) -> Vec<checks::Diagnostic> {
    let parse = syntax::parse(text);
    let model = Model::new(&parse, &config.model_options());
    checks::check(&parse, &model, config)
}

fn apply(text: &str, edits: &[(TextRange, String)]) -> String {
    let mut edits = edits.to_vec();
    edits.sort_by_key(|(r, _)| (r.start(), r.end()));
    for (r, _) in &edits {
        check_range(text, *r);
    }
    for w in edits.windows(2) {
        assert!(
            w[0].0.end() <= w[1].0.start(),
            "overlapping fix edits {w:?}"
        );
    }
    let mut fixed = text.to_string();
    for (r, new) in edits.iter().rev() {
        fixed.replace_range(usize::from(r.start())..usize::from(r.end()), new);
    }
    fixed
}

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let mut input = Bytes(data);
    let config = config(&mut input);
    let text = String::from_utf8_lossy(input.rest()).into_owned();
    let diagnostics = check(&text, &config);
    for w in diagnostics.windows(2) {
        assert!(w[0].range.start() <= w[1].range.start(), "unsorted {w:?}");
    }
    // At most a few fixes per run: each costs a full check.
    let mut budget = 8;
    for d in &diagnostics {
        check_range(&text, d.range);
        for fix in &d.fixes {
            let fixed = apply(&text, &fix.edits);
            if budget == 0 {
                continue;
            }
            budget -= 1;
            let again = check(&fixed, &config);
            // The build arg replaces the file's `# check=` directive, as in BuildKit.
            let directive_counts = !config.build_args.contains_key("BUILDKIT_DOCKERFILE_CHECK");
            if fix.kind == FixKind::IgnoreFile && directive_counts {
                assert!(
                    again.iter().all(|a| a.code != d.code),
                    "{:?} still reported after {:?} with {config:?}:\n{fixed}",
                    d.code,
                    fix.title
                );
            }
        }
    }
}
