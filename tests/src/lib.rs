//! Helpers shared by the end-to-end tests: where the shared corpus lives, the list of
//! real-world Dockerfiles, and an LSP client that drives the built server.

pub mod lsp_client;

use std::path::{Path, PathBuf};

/// The `shared` folder beside the workspace (`/work/main` → `/work/shared`). A git worktree
/// nested deeper (`/work/wt/<name>`) finds it further up, so each ancestor is tried.
pub fn shared_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The manifest is `<workspace>/tests`; start at the workspace's parent.
    let tried: Vec<PathBuf> = manifest
        .ancestors()
        .skip(2)
        .map(|base| base.join("shared"))
        .collect();
    tried
        .iter()
        .find(|dir| dir.join("corpus").is_dir())
        .cloned()
        .unwrap_or_else(|| {
            let list: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
            panic!(
                "the shared corpus is missing; looked in:\n  {}",
                list.join("\n  ")
            )
        })
}

/// Every real-world Dockerfile of the corpus, as paths relative to `corpus/real-world`,
/// sorted. Licence texts and the sources list are not Dockerfiles.
pub fn real_world_files() -> Vec<PathBuf> {
    let root = shared_dir().join("corpus/real-world");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if name != "_licenses" {
                    stack.push(path);
                }
            } else if name != "SOURCES.md" && !name.ends_with(".md") {
                files.push(
                    path.strip_prefix(&root)
                        .map(Path::to_path_buf)
                        .unwrap_or(path),
                );
            }
        }
    }
    files.sort();
    files
}

/// The `dockerfile-lsp` binary of the same build profile. Cargo builds it when the server
/// package's own integration tests are part of the run (`cargo test --workspace`).
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    // target/<profile>/deps/<test> → target/<profile>/dockerfile-lsp
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binaries live in target/<profile>/deps");
    let path = profile_dir.join(format!("dockerfile-lsp{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.is_file(),
        "{} is missing: run the tests with `cargo test --workspace`, which builds it",
        path.display()
    );
    path
}
