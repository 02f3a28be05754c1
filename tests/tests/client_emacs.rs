//! Real Emacs + Eglot in batch mode against the built server, configured as README.md says
//! (the code block tagged `<!-- client-test: emacs-eglot -->`).
//! `tests/clients/emacs/eglot-checks.el` does the checking; see there for each check.
//!
//! Client: `DOCKERFILE_LSP_EMACS` (default: `emacs` on `PATH`) with Eglot loadable (Debian:
//! `emacs-nox elpa-eglot`). Skipped when missing, unless `DOCKERFILE_LSP_CI=1`.

mod client_support;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use client_support::{TempDir, clients_dir, from_env, require, workspace};

const CHECKS: [&str; 11] = [
    "connect",
    "diagnostics",
    "hover",
    "signature_help",
    "definition",
    "completion",
    "diagnostics_clear",
    "quick_fix",
    "rename",
    "formatting",
    "server_stderr",
];

/// Emacs, if it runs and finds Eglot; `Ok` carries the versions for the report.
fn emacs() -> Result<(PathBuf, String), String> {
    let (emacs, _) = from_env("DOCKERFILE_LSP_EMACS", "emacs");
    // -q, not -Q: Debian's elpa-eglot is on the load path through site-start.
    let out = Command::new(&emacs)
        .args(["--batch", "-q", "--eval"])
        .arg(
            r#"(princ (format "Emacs %s, Eglot from %s" emacs-version
                 (if (require 'eglot nil t) (locate-library "eglot") "MISSING")))"#,
        )
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{} does not run: {e}", emacs.display()))?;
    let version = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() || version.contains("MISSING") {
        return Err(format!(
            "{} cannot load Eglot: {version}{}",
            emacs.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok((emacs, version))
}

/// Connect; Flymake diagnostics (and the README's `eglot-workspace-configuration` reaching
/// the server); hover and signature help as ElDoc gets them; xref definition;
/// completion-at-point; diagnostics after a fixing edit; a quick fix through
/// `eglot-code-actions`; `eglot-rename`; `eglot-format-buffer`.
#[test]
fn emacs_eglot() {
    let Some((emacs, version)) = require("Emacs with Eglot", emacs()) else {
        return;
    };
    let dir = TempDir::new("emacs");
    let project = client_support::project(&dir);
    let config = dir.write(
        "eglot-config.el",
        &client_support::snippet(&workspace().join("README.md"), "emacs-eglot"),
    );
    let mut cmd = Command::new(&emacs);
    cmd.args(["--batch", "-q", "-l"])
        .arg(clients_dir().join("emacs/eglot-checks.el"))
        .env("DOCKERFILE_LSP_EMACS_CONFIG", &config)
        // Nothing from the user's ~/.emacs.d (-q skips the init file, not package dirs).
        .env("HOME", dir.path());
    let run = client_support::run(
        &format!("{version} ({})", emacs.display()),
        cmd,
        &project,
        &dir.path().join("results.txt"),
    );
    run.assert_passed(&CHECKS);
    dir.finish();
}
