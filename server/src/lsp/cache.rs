//! Build-cache state for the editor: per open Dockerfile, where its build context is, the
//! baseline it is compared with, and which context files changed since.
//!
//! * **Baseline** (`cache.baseline`): `disk` — the file as last saved (read at `didOpen`,
//!   replaced at `didSave`); `git` — `git show HEAD:./<name>`, run by the server in a task
//!   with a timeout. Until it arrives (or if git fails) the baseline is the text on disk, or
//!   the text the client opened.
//! * **Changed context files** come from `workspace/didChangeWatchedFiles` (registered
//!   dynamically) and count from the baseline moment: opening or saving the Dockerfile.
//! * Everything slow (reading files, git, the cache analyses) runs in spawned tasks or on the
//!   blocking threads feature requests run on; the protocol loop only swaps `Arc`s. When new
//!   results arrive, the client is asked to refresh inlay hints and code lenses.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::time::Duration;

use dashmap::DashMap;
use tower_lsp_server::ls_types::{
    DidChangeWatchedFilesParams, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher,
    GlobPattern, InitializeParams, Registration, Uri,
};

use super::analysis::Snapshot;
use super::config::{Baseline, Config};
use super::server::Server;
use crate::cache::context::{self, ContextIndex, WalkOptions};
use crate::cache::{CacheAnalysis, CacheOptions};
use crate::model;

/// How long `git show` may take.
const GIT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for the client to answer a request of ours.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(10);
/// Changed context files remembered per document (the oldest are forgotten).
const MAX_CHANGED: usize = 64;

/// The cache state of every open Dockerfile.
#[derive(Debug, Default)]
pub struct CacheState {
    docs: DashMap<Uri, CacheDoc>,
    /// Small numbers for documents, so that each of thousands of code lenses does not carry
    /// its document's URI.
    ids: DashMap<Uri, u64>,
    uris: DashMap<u64, Uri>,
    next_id: std::sync::atomic::AtomicU64,
    /// Workspace folders from `initialize` (a relative `context` setting starts there).
    folders: RwLock<Vec<PathBuf>>,
}

/// What one open Dockerfile is compared with, and where its context is.
#[derive(Debug, Clone)]
pub struct CacheDoc {
    /// The Dockerfile on disk, for `file:` documents.
    pub path: Option<PathBuf>,
    /// The build context directory, for `file:` documents.
    pub context: Option<PathBuf>,
    pub base: Arc<Base>,
    /// Context paths (relative, `/`-separated) changed since the baseline moment.
    pub changed: Arc<Vec<String>>,
    /// The walked context, for hovers; replaced when a context file changes.
    index: Arc<OnceLock<Arc<ContextIndex>>>,
}

/// The baseline text and the options both analyses use.
#[derive(Debug)]
pub struct Base {
    pub options: Arc<CacheOptions>,
    pub text: Arc<str>,
    /// Where the text came from: `disk`, `git` or `buffer`.
    pub source: &'static str,
    analysis: OnceLock<Arc<CacheAnalysis>>,
}

impl Base {
    fn new(options: Arc<CacheOptions>, text: Arc<str>, source: &'static str) -> Arc<Base> {
        Arc::new(Base {
            options,
            text,
            source,
            analysis: OnceLock::new(),
        })
    }

    /// The baseline's analysis, computed on first use (on a blocking thread).
    pub fn analysis(&self) -> Arc<CacheAnalysis> {
        self.analysis
            .get_or_init(|| Arc::new(crate::cache::analyze_text(&self.text, &self.options)))
            .clone()
    }
}

impl CacheDoc {
    /// The context walked with the ignore file (bounded), computed on first use.
    pub fn index(&self) -> Option<Arc<ContextIndex>> {
        let context = self.context.as_ref()?;
        Some(
            self.index
                .get_or_init(|| {
                    let options = WalkOptions {
                        max_entries: 20_000,
                        max_duration: Duration::from_millis(500),
                    };
                    let ignore = self.base.options.ignore.as_deref();
                    Arc::new(context::walk_context(context, ignore, &options))
                })
                .clone(),
        )
    }
}

/// The model options a snapshot was analysed with (the settings' build args and target).
pub fn build_options(config: &Config) -> model::Options {
    model::Options {
        build_args: config.build_args.clone(),
        target: config.target.clone(),
        platform: None,
    }
}

impl CacheState {
    /// Remembers the workspace folders of `initialize`.
    pub fn initialize(&self, params: &InitializeParams) {
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .collect();
        #[allow(deprecated)]
        if folders.is_empty() {
            if let Some(root) = params.root_uri.as_ref().and_then(|u| u.to_file_path()) {
                folders.push(root.into_owned());
            }
        }
        *self.folders.write().unwrap_or_else(PoisonError::into_inner) = folders;
    }

    /// The workspace folders of `initialize`.
    pub fn folders(&self) -> Vec<PathBuf> {
        self.folders
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The state of `uri`, created from `snapshot` if there is none yet (reads the ignore
    /// file: call it on a blocking thread).
    pub fn doc(&self, uri: &Uri, snapshot: &Snapshot) -> CacheDoc {
        if let Some(doc) = self.docs.get(uri) {
            return doc.clone();
        }
        let doc = self.fresh(
            uri,
            &snapshot.config,
            snapshot.rope.to_string().into(),
            "buffer",
        );
        self.docs
            .entry(uri.clone())
            .or_insert_with(|| doc.clone())
            .clone()
    }

    fn fresh(&self, uri: &Uri, config: &Config, text: Arc<str>, source: &'static str) -> CacheDoc {
        let path = uri.to_file_path().map(|p| p.into_owned());
        let context = path.as_deref().and_then(|p| config.context_dir(p));
        let build = build_options(config);
        let options = match (&path, &context) {
            (Some(path), Some(context)) => CacheOptions::load(path, context, build.clone())
                .unwrap_or_else(|e| {
                    tracing::warn!("cache: {e}; analysing without the ignore file");
                    CacheOptions {
                        build,
                        ..CacheOptions::default()
                    }
                }),
            _ => CacheOptions {
                build,
                ..CacheOptions::default()
            },
        };
        CacheDoc {
            path,
            context,
            base: Base::new(Arc::new(options), text, source),
            changed: Arc::default(),
            index: Arc::default(),
        }
    }

    /// Replaces the baseline text (keeping the options), and starts counting changed files
    /// anew.
    fn set_baseline(&self, uri: &Uri, text: Arc<str>, source: &'static str) -> bool {
        let Some(mut doc) = self.docs.get_mut(uri) else {
            return false;
        };
        // Saving starts a new count of changed context files.
        doc.changed = Arc::default();
        let same = *doc.base.text == *text;
        let base = Base::new(doc.base.options.clone(), text, source);
        if same {
            // Same text (e.g. the opened buffer was the saved file): keep its analysis.
            if let Some(analysis) = doc.base.analysis.get() {
                let _ = base.analysis.set(analysis.clone());
            }
        }
        doc.base = base;
        !same
    }

    pub fn forget(&self, uri: &Uri) {
        self.docs.remove(uri);
    }

    /// A small number naming `uri` (stable while the server runs).
    pub fn id_of(&self, uri: &Uri) -> u64 {
        if let Some(id) = self.ids.get(uri) {
            return *id;
        }
        let id = *self.ids.entry(uri.clone()).or_insert_with(|| {
            self.next_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        });
        self.uris.insert(id, uri.clone());
        id
    }

    /// The document a number names.
    pub fn uri_of(&self, id: u64) -> Option<Uri> {
        self.uris.get(&id).map(|u| u.clone())
    }
}

/// How long the cache's own work waits after an open, so that it never competes with the
/// first diagnostics (a feature request that needs the state sooner builds it itself).
const OPEN_DELAY: Duration = Duration::from_millis(150);

/// Opens: the state from the opened text, then the real baseline, in the background.
pub fn did_open(server: &Server, uri: Uri, text: &str) {
    let config = server.config();
    let state = server.clone();
    let text: Arc<str> = text.into();
    tokio::spawn(async move {
        tokio::time::sleep(OPEN_DELAY).await;
        let (u, t, c) = (uri.clone(), text.clone(), config.clone());
        let s = state.clone();
        let created = state
            .run_blocking("cache: load options", move || {
                let doc = s.cache.fresh(&u, &c, t, "buffer");
                // A feature request may have created it meanwhile (same result): keep that.
                s.cache.docs.entry(u).or_insert(doc);
            })
            .await;
        if created.is_ok() {
            load_baseline(&state, &uri, &config, None).await;
        }
    });
}

/// Saves: in `disk` mode the saved text is the new baseline; in `git` mode HEAD is read again.
pub fn did_save(server: &Server, uri: Uri, text: Option<String>) {
    let config = server.config();
    let state = server.clone();
    tokio::spawn(async move {
        load_baseline(&state, &uri, &config, text.map(Arc::from)).await;
    });
}

pub fn did_close(server: &Server, uri: &Uri) {
    server.cache.forget(uri);
}

/// The settings changed: start over for every open document.
pub fn settings_changed(server: &Server) {
    let uris: Vec<(Uri, Arc<Snapshot>)> = server.documents.snapshots();
    server.cache.docs.clear();
    for (uri, snapshot) in uris {
        did_open(server, uri, &snapshot.rope.to_string());
    }
    refresh(server);
}

/// Reads the baseline for the configured mode; `saved` is the text `didSave` carried.
async fn load_baseline(server: &Server, uri: &Uri, config: &Config, saved: Option<Arc<str>>) {
    let Some(path) = uri.to_file_path().map(|p| p.into_owned()) else {
        return;
    };
    let from_git = match config.cache.baseline {
        Baseline::Git => git_head(server, &path).await,
        Baseline::Disk => None,
    };
    let (text, source) = match (from_git, saved) {
        (Some(text), _) => (text, "git"),
        (None, Some(text)) => (text, "disk"),
        (None, None) => {
            let p = path.clone();
            match server
                .run_blocking("cache: read baseline", move || std::fs::read(&p))
                .await
            {
                Ok(Ok(bytes)) => (Arc::from(crate::syntax::decode(&bytes).0.as_str()), "disk"),
                _ => return,
            }
        }
    };
    if server.cache.set_baseline(uri, text, source) {
        tracing::debug!("cache: new {source} baseline for {}", uri.as_str());
        refresh(server);
    }
}

/// `git show HEAD:./<name>` in the file's directory, with a timeout; `None` when it fails.
/// Runs on a blocking thread (the child is polled, and killed when it takes too long).
async fn git_head(server: &Server, path: &Path) -> Option<Arc<str>> {
    let dir = path.parent()?.to_path_buf();
    let name = path.file_name()?.to_string_lossy().into_owned();
    let shown = path.display().to_string();
    let run = move || -> Result<Vec<u8>, String> {
        let mut child = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .arg("show")
            .arg(format!("HEAD:./{name}"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run git: {e}"))?;
        // Read stdout on its own thread so a large file cannot fill the pipe and stall git.
        let mut stdout = child.stdout.take().ok_or("no stdout")?;
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
        });
        let started = std::time::Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if started.elapsed() > GIT_TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err("git show timed out".into());
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
                Err(e) => return Err(format!("git: {e}")),
            }
        };
        let out = reader
            .join()
            .map_err(|_| "git output reader failed".to_string())?
            .map_err(|e| format!("git output: {e}"))?;
        if status.success() {
            Ok(out)
        } else {
            Err(format!("no HEAD version (git exit {:?})", status.code()))
        }
    };
    match server.run_blocking("cache: git show", run).await {
        Ok(Ok(bytes)) => Some(Arc::from(crate::syntax::decode(&bytes).0.as_str())),
        Ok(Err(e)) => {
            tracing::info!("cache: {shown}: {e}; comparing with the file on disk");
            None
        }
        Err(_) => None,
    }
}

/// Registers for file-change notifications of every file (context files can be anywhere
/// under the workspace), when the client allows dynamic registration.
pub fn register_watchers(server: &Server) {
    if !server.session().watched_files {
        return;
    }
    let client = server.client.clone();
    tokio::spawn(async move {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*".into()),
                kind: None,
            }],
        };
        let registration = Registration {
            id: "dockerfile-lsp/didChangeWatchedFiles".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        let sent = client.register_capability(vec![registration]);
        match tokio::time::timeout(CLIENT_TIMEOUT, sent).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("client/registerCapability (watched files) failed: {e}"),
            Err(_) => tracing::warn!("client/registerCapability (watched files): no answer"),
        }
    });
}

/// Context files changed: remember them for the documents whose context holds them, reload
/// the ignore file if it changed, and ask the client to refresh.
pub fn did_change_watched_files(server: &Server, params: DidChangeWatchedFilesParams) {
    let mut any = false;
    let mut reload = Vec::new();
    for event in &params.changes {
        let Some(path) = event.uri.to_file_path().map(|p| p.into_owned()) else {
            continue;
        };
        for mut entry in server.cache.docs.iter_mut() {
            let key = entry.key().clone();
            let doc = entry.value_mut();
            let Some(context) = doc.context.as_ref() else {
                continue;
            };
            if doc.path.as_deref() == Some(path.as_path()) {
                continue; // the Dockerfile itself: its edits come as text
            }
            let Ok(rel) = path.strip_prefix(context) else {
                continue;
            };
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if rel.is_empty() {
                continue;
            }
            let options = &doc.base.options;
            let is_ignore_file = options.ignore_file_in_context.as_deref() == Some(rel.as_str())
                || is_named_ignore_file(doc.path.as_deref(), &path);
            if is_ignore_file {
                reload.push(key);
            } else if options
                .ignore
                .as_deref()
                .is_some_and(|i| i.decide(&rel).excluded)
            {
                continue; // never sent to the builder
            }
            doc.index = Arc::default();
            if !doc.changed.contains(&rel) {
                let mut changed = (*doc.changed).clone();
                if changed.len() >= MAX_CHANGED {
                    changed.remove(0);
                }
                changed.push(rel);
                doc.changed = Arc::new(changed);
            }
            any = true;
        }
    }
    for uri in reload {
        // The ignore rules changed: load the options again (the changed list stays).
        let server2 = server.clone();
        tokio::spawn(async move {
            let s = server2.clone();
            let config = server2.config();
            let _ = server2
                .run_blocking("cache: reload ignore file", move || {
                    let Some(old) = s.cache.docs.get(&uri).map(|d| d.clone()) else {
                        return;
                    };
                    let mut doc =
                        s.cache
                            .fresh(&uri, &config, old.base.text.clone(), old.base.source);
                    doc.changed = old.changed;
                    s.cache.docs.insert(uri, doc);
                })
                .await;
            refresh(&server2);
        });
    }
    if any {
        tracing::debug!("cache: context files changed");
        refresh(server);
    }
}

/// `<Dockerfile>.dockerignore` next to the Dockerfile (it may lie outside the context).
fn is_named_ignore_file(dockerfile: Option<&Path>, path: &Path) -> bool {
    let Some(dockerfile) = dockerfile else {
        return false;
    };
    let mut name = dockerfile.as_os_str().to_os_string();
    name.push(".dockerignore");
    Path::new(&name) == path
}

/// Asks the client to re-request inlay hints and code lenses (when it can).
pub fn refresh(server: &Server) {
    tracing::debug!("cache: asking the client to refresh hints and lenses");
    let session = server.session();
    let client = server.client.clone();
    tokio::spawn(async move {
        if session.inlay_hint_refresh {
            match tokio::time::timeout(CLIENT_TIMEOUT, client.inlay_hint_refresh()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::debug!("workspace/inlayHint/refresh failed: {e}"),
                Err(_) => tracing::debug!("workspace/inlayHint/refresh: no answer"),
            }
        }
        if session.code_lens_refresh {
            match tokio::time::timeout(CLIENT_TIMEOUT, client.code_lens_refresh()).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::debug!("workspace/codeLens/refresh failed: {e}"),
                Err(_) => tracing::debug!("workspace/codeLens/refresh: no answer"),
            }
        }
    });
}
