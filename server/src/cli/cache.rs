//! `dockerfile-lsp cache PATH [--context DIR] [--target STAGE] CHANGE...`: which build steps
//! the changes invalidate, as one JSON object (see ARCHITECTURE.md for the contract).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{EXIT_USAGE, read_dockerfile};
use crate::cache::{CacheAnalysis, CacheOptions, Change, Impact};
use crate::model::{self, Model};
use crate::syntax::{self, Keyword};

/// Arguments of `cache`. Several changes are one rebuild: each step gets the strongest
/// status any of them gives it.
#[derive(Debug, Clone, clap::Args)]
pub struct CacheArgs {
    /// The Dockerfile.
    pub path: PathBuf,
    /// The build context (default: the Dockerfile's directory).
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// The stage to build (default: the last one).
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// What if the instruction at line N (1-based) changed meaning?
    #[arg(long = "edit-line", value_name = "N")]
    pub edit_line: Vec<u32>,
    /// Compare with an older version of the Dockerfile, exactly.
    #[arg(long = "diff", value_name = "OLD_PATH")]
    pub diff: Vec<PathBuf>,
    /// A build-context file (relative to the context) changed, appeared or was removed.
    #[arg(long = "changed-file", value_name = "REL_PATH")]
    pub changed_file: Vec<String>,
    /// The value of `--build-arg NAME` changes (`NAME=VALUE` is read as NAME).
    #[arg(long = "build-arg", value_name = "NAME")]
    pub build_arg: Vec<String>,
    /// The image of the FROM at line N (1-based) gets a new digest.
    #[arg(long = "base-image-line", value_name = "N")]
    pub base_image_line: Vec<u32>,
}

/// Runs the command; returns the exit status.
pub fn run(args: &CacheArgs) -> u8 {
    match report(args) {
        Ok(out) => match std::io::stdout().lock().write_all(out.as_bytes()) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: writing the result: {e}");
                EXIT_USAGE
            }
        },
        Err(message) => {
            eprintln!("error: {message}");
            EXIT_USAGE
        }
    }
}

fn analyse(text: &str, options: &CacheOptions) -> CacheAnalysis {
    let parse = syntax::parse(text);
    let model = Model::new(&parse, &options.build);
    CacheAnalysis::new(&parse, &model, options)
}

/// The JSON text, or a one-line error.
pub fn report(args: &CacheArgs) -> Result<String, String> {
    let (text, _) = read_dockerfile(&args.path)?;
    let context = match &args.context {
        Some(dir) => dir.clone(),
        None => match args.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        },
    };
    if !context.is_dir() {
        return Err(format!(
            "{}: the context is not a directory",
            context.display()
        ));
    }
    let build = model::Options {
        target: args.target.clone(),
        ..model::Options::default()
    };
    let options = CacheOptions::load(&args.path, &context, build)?;
    let parse = syntax::parse(&text);
    let model = Model::new(&parse, &options.build);
    if let Some(missing) = &model.target_missing {
        return Err(format!("target stage {missing:?} not found"));
    }
    if model.stages.is_empty() {
        return Err(format!("{}: no build stage (no FROM)", args.path.display()));
    }
    let analysis = CacheAnalysis::new(&parse, &model, &options);

    let line_count = parse.line_count().max(1);
    let mut old_versions = Vec::new();
    for old in &args.diff {
        let (old_text, _) = read_dockerfile(old)?;
        old_versions.push(analyse(&old_text, &options));
    }
    let mut changes: Vec<Change<'_>> = Vec::new();
    for &n in &args.edit_line {
        if n == 0 || n > line_count {
            return Err(format!(
                "--edit-line {n}: the file has lines 1 to {line_count}"
            ));
        }
        changes.push(Change::EditLine(n - 1));
    }
    for old in &old_versions {
        changes.push(Change::Diff(old));
    }
    let rel_paths: Vec<String> = args
        .changed_file
        .iter()
        .map(|p| context_relative(p, &context))
        .collect::<Result<_, _>>()?;
    for p in &rel_paths {
        changes.push(Change::ContextFile(p));
    }
    for name in &args.build_arg {
        let name = name.split_once('=').map_or(name.as_str(), |(n, _)| n);
        if name.is_empty() {
            return Err("--build-arg needs a name".to_string());
        }
        changes.push(Change::BuildArg(name));
    }
    for &n in &args.base_image_line {
        let entry = n
            .checked_sub(1)
            .and_then(|l| analysis.entry_at_line(l))
            .filter(|&e| analysis.entry_keyword(e) == Some(Keyword::From))
            .ok_or_else(|| format!("--base-image-line {n}: line {n} is not a FROM line"))?;
        let stage = analysis
            .stage_of_entry(entry)
            .ok_or_else(|| format!("--base-image-line {n}: no stage starts there"))?;
        if analysis.stages()[stage].image.is_none() {
            return Err(format!(
                "--base-image-line {n}: this FROM does not start from an image"
            ));
        }
        changes.push(Change::BaseDigest(stage));
    }
    let impact = analysis.impact(&changes);
    Ok(render(&analysis, &impact))
}

/// `REL_PATH` as a path relative to the context root.
fn context_relative(p: &str, context: &Path) -> Result<String, String> {
    let path = Path::new(p);
    if !path.is_absolute() {
        return Ok(p.to_string());
    }
    let canon = |x: &Path| x.canonicalize().unwrap_or_else(|_| x.to_path_buf());
    let (file, root) = (canon(path), canon(context));
    match file.strip_prefix(&root) {
        Ok(rel) => Ok(rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")),
        Err(_) => Err(format!(
            "--changed-file {p}: not inside the context {}",
            context.display()
        )),
    }
}

/// The output object, in the contract's field order.
#[derive(Serialize)]
struct Output<'a> {
    target: String,
    steps: Vec<OutputStep<'a>>,
    /// Remarks about the change as a whole (an excluded file, an unused build arg).
    notes: &'a [String],
}

#[derive(Serialize)]
struct OutputStep<'a> {
    line: u32,
    end_line: u32,
    stage: String,
    instruction: String,
    status: &'static str,
    reason: &'a str,
}

fn render(analysis: &CacheAnalysis, impact: &Impact) -> String {
    let target = analysis
        .target()
        .map(|t| analysis.stages()[t].label())
        .unwrap_or_default();
    let steps = impact
        .steps
        .iter()
        .map(|s| {
            let step = &analysis.steps()[s.step];
            OutputStep {
                line: step.line + 1,
                end_line: step.end_line + 1,
                stage: analysis.stages()[step.stage].label(),
                instruction: step.instruction(),
                status: s.status.as_str(),
                reason: &s.reason,
            }
        })
        .collect();
    let out = Output {
        target,
        steps,
        notes: &impact.notes,
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_default();
    text.push('\n');
    text
}
