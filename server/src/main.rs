use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dockerfile_lsp::{cli, lsp};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A language server for Dockerfiles that parses exactly as BuildKit does.
#[derive(Parser)]
#[command(name = "dockerfile-lsp", version, about)]
struct Args {
    /// Serve LSP over stdio (the default when no command is given).
    #[arg(long)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Print BuildKit's parser dump of a Dockerfile.
    Dump { path: PathBuf },
    /// Predict which build steps a change invalidates, by BuildKit's cache rules (JSON).
    Cache(cli::cache::CacheArgs),
    /// Report every problem BuildKit would (hard errors and build checks) and our own rules.
    Check {
        /// `text` (as compilers print) or `json` (one array).
        #[arg(long, value_enum, default_value_t = cli::check::Format::Text)]
        format: cli::check::Format,
        /// Dockerfiles to check.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) if e.use_stderr() => {
            // Usage errors are one line (the contract); clap's other lines point to --help.
            let text = e.render().to_string();
            eprintln!(
                "{}",
                text.lines().next().unwrap_or("error: invalid arguments")
            );
            return ExitCode::from(cli::EXIT_USAGE);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match args.command {
        Some(Command::Dump { path }) => ExitCode::from(cli::dump::run(&path)),
        Some(Command::Cache(args)) => ExitCode::from(cli::cache::run(&args)),
        Some(Command::Check { format, paths }) => ExitCode::from(cli::check::run(format, &paths)),
        // With or without `--stdio`: stdio is the only transport.
        None => lsp::serve(),
    }
}
