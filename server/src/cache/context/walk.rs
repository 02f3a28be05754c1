//! A bounded, read-only walk of the build context, producing what BuildKit would receive.
//!
//! Mirrors fsutil's sending walk (`fsutil/filter.go`): `.dockerignore` rules are applied with
//! the walker's chained semantics, excluded directories are entered only when an exception
//! could re-include something inside, and an excluded directory that ends up containing an
//! included path is itself part of the context (its header is sent).
//!
//! Safety: symlinks are recorded (with their target text) and never followed, so the walk
//! cannot leave the context root or loop through links; directories are identified by
//! device/inode on Unix so a bind-mount cycle is cut. Nothing is ever written or opened
//! for reading beyond directory listings and metadata.

use std::cmp::Ordering;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use super::dockerignore::{Decision, IgnoreFile, MatchState};

/// Limits for [`walk_context`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkOptions {
    /// Stop after examining this many entries (excluded ones count: they cost a `stat`).
    pub max_entries: usize,
    /// Stop after this much wall-clock time.
    pub max_duration: Duration,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_entries: 50_000,
            max_duration: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// Sockets, FIFOs, devices: sent by Docker as such, hashed by their header.
    Other,
}

/// One path in the context, with the metadata that feeds BuildKit's checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the context root, `/`-separated, no leading `./`.
    pub path: String,
    pub kind: EntryKind,
    /// Bytes (files), 0 otherwise.
    pub size: u64,
    /// Full `st_mode` (type and permission bits) on Unix; synthesised elsewhere.
    pub mode: u32,
    /// A symlink's target as stored in the link (never resolved).
    pub link_target: Option<String>,
    /// Not part of BuildKit's checksum; useful only as a cheap "may have changed" hint.
    pub mtime: Option<SystemTime>,
}

impl Entry {
    pub fn is_dir(&self) -> bool {
        self.kind == EntryKind::Dir
    }

    pub fn is_symlink(&self) -> bool {
        self.kind == EntryKind::Symlink
    }

    /// Any execute bit set (a chmod +x changes the checksum).
    pub fn is_executable(&self) -> bool {
        self.mode & 0o111 != 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    EntryLimit(usize),
    TimeLimit(Duration),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkStatus {
    Complete,
    /// The walk hit a bound; the index holds what was seen before that.
    Stopped {
        entries_seen: usize,
        reason: StopReason,
    },
    /// The context root could not be listed at all.
    Failed(String),
}

impl WalkStatus {
    pub fn is_complete(&self) -> bool {
        matches!(self, WalkStatus::Complete)
    }

    /// A user-facing status line, `None` when the walk completed.
    pub fn message(&self) -> Option<String> {
        match self {
            WalkStatus::Complete => None,
            WalkStatus::Stopped {
                entries_seen,
                reason,
            } => Some(format!(
                "context walk stopped after {entries_seen} files: {}",
                match reason {
                    StopReason::EntryLimit(n) => format!("limit of {n} files reached"),
                    StopReason::TimeLimit(d) => format!("time limit of {d:?} reached"),
                }
            )),
            WalkStatus::Failed(msg) => Some(format!("context walk failed: {msg}")),
        }
    }
}

/// A path the walk could not read. Docker fails the build on such errors unless the path
/// is excluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    pub path: String,
    pub message: String,
}

/// The walked context: entries sorted so that every directory is immediately followed by its
/// whole subtree (segment-wise byte order, as BuildKit's checksum tree iterates).
#[derive(Debug, Clone, Default)]
pub struct ContextIndex {
    root: PathBuf,
    entries: Vec<Entry>,
    status: Option<WalkStatus>,
    ignore: Option<IgnoreFile>,
    excluded: usize,
    errors: Vec<WalkError>,
}

/// Segment-wise order: `/` sorts before every other byte, so `a/b` < `a-b` and a directory's
/// subtree is contiguous right after it.
pub fn cmp_paths(a: &str, b: &str) -> Ordering {
    let key = |c: u8| if c == b'/' { 0u16 } else { u16::from(c) + 1 };
    a.bytes().map(key).cmp(b.bytes().map(key))
}

impl ContextIndex {
    /// An index over given entries (tests, or a client that already knows the tree).
    pub fn from_entries(mut entries: Vec<Entry>) -> ContextIndex {
        entries.sort_by(|a, b| cmp_paths(&a.path, &b.path));
        entries.dedup_by(|a, b| a.path == b.path);
        ContextIndex {
            entries,
            status: Some(WalkStatus::Complete),
            ..ContextIndex::default()
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn status(&self) -> &WalkStatus {
        self.status.as_ref().unwrap_or(&WalkStatus::Complete)
    }

    /// How many entries the ignore file removed (skipped subtrees count once).
    pub fn excluded_count(&self) -> usize {
        self.excluded
    }

    pub fn errors(&self) -> &[WalkError] {
        &self.errors
    }

    pub fn ignore_file(&self) -> Option<&IgnoreFile> {
        self.ignore.as_ref()
    }

    /// Which rule (if any) excludes `rel_path` — also for paths the walk skipped.
    pub fn ignore_decision(&self, rel_path: &str) -> Option<Decision<'_>> {
        self.ignore.as_ref().map(|i| i.decide(rel_path))
    }

    /// Position of `rel_path` in [`ContextIndex::entries`].
    pub fn position(&self, rel_path: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|e| cmp_paths(&e.path, rel_path))
            .ok()
    }

    pub fn get(&self, rel_path: &str) -> Option<&Entry> {
        self.position(rel_path).and_then(|i| self.entries.get(i))
    }

    /// Positions of everything strictly below `dir` (`""` = the root: everything).
    pub fn subtree(&self, dir: &str) -> std::ops::Range<usize> {
        if dir.is_empty() {
            return 0..self.entries.len();
        }
        let start = self
            .entries
            .partition_point(|e| cmp_paths(&e.path, dir) != Ordering::Greater);
        let prefix = format!("{dir}/");
        let len = self.entries[start..].partition_point(|e| e.path.starts_with(&prefix));
        start..start + len
    }
}

struct Frame {
    rel: String,
    names: Vec<(String, PathBuf)>,
    next: usize,
    state: Option<MatchState>,
    /// An excluded directory, emitted only once something inside it is included.
    pending: Option<Entry>,
    #[cfg(unix)]
    id: (u64, u64),
}

/// Walk `root` (read-only) and return what the build context would contain.
pub fn walk_context(
    root: &Path,
    ignore: Option<&IgnoreFile>,
    options: &WalkOptions,
) -> ContextIndex {
    let started = Instant::now();
    let mut index = ContextIndex {
        root: root.to_path_buf(),
        ignore: ignore.cloned(),
        ..ContextIndex::default()
    };
    let root_frame = match read_names(root) {
        Ok(names) => Frame {
            rel: String::new(),
            names,
            next: 0,
            state: None,
            pending: None,
            #[cfg(unix)]
            id: dir_id(root),
        },
        Err(e) => {
            index.status = Some(WalkStatus::Failed(format!("{}: {e}", root.display())));
            return index;
        }
    };
    let mut stack = vec![root_frame];
    let mut seen = 0usize;
    let mut status = WalkStatus::Complete;

    while let Some(frame) = stack.last_mut() {
        let Some((name, full)) = frame.names.get(frame.next).cloned() else {
            stack.pop();
            continue;
        };
        frame.next += 1;
        if seen >= options.max_entries {
            status = WalkStatus::Stopped {
                entries_seen: seen,
                reason: StopReason::EntryLimit(options.max_entries),
            };
            break;
        }
        if started.elapsed() > options.max_duration {
            status = WalkStatus::Stopped {
                entries_seen: seen,
                reason: StopReason::TimeLimit(options.max_duration),
            };
            break;
        }
        seen += 1;

        let rel = if frame.rel.is_empty() {
            name
        } else {
            format!("{}/{name}", frame.rel)
        };
        let parent_state = frame.state.clone();
        let meta = match fs::symlink_metadata(&full) {
            Ok(m) => m,
            Err(e) => {
                index.errors.push(WalkError {
                    path: rel,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let (excluded, state) = match index.ignore.as_ref() {
            Some(ig) => {
                let (d, s) = ig.decide_child(&rel, parent_state.as_ref());
                (d.excluded, Some(s))
            }
            None => (false, None),
        };
        let entry = make_entry(rel.clone(), &full, &meta);

        if !meta.is_dir() {
            if excluded {
                index.excluded += 1;
            } else {
                emit(&mut stack, &mut index, entry);
            }
            continue;
        }

        if excluded
            && index
                .ignore
                .as_ref()
                .is_some_and(|ig| ig.can_skip_excluded_dir(&rel))
        {
            index.excluded += 1;
            continue;
        }
        #[cfg(unix)]
        let id = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(unix)]
        if stack.iter().any(|f| f.id == id) {
            // Only a bind mount can make a directory its own ancestor.
            index.errors.push(WalkError {
                path: rel,
                message: "directory cycle (bind mount?) not entered".to_owned(),
            });
            continue;
        }
        let names = match read_names(&full) {
            Ok(names) => names,
            Err(e) => {
                // fsutil tolerates permission errors only under excluded paths.
                if !excluded {
                    index.errors.push(WalkError {
                        path: rel.clone(),
                        message: e.to_string(),
                    });
                    emit(&mut stack, &mut index, entry);
                }
                continue;
            }
        };
        let pending = if excluded {
            index.excluded += 1;
            Some(entry)
        } else {
            emit(&mut stack, &mut index, entry);
            None
        };
        stack.push(Frame {
            rel,
            names,
            next: 0,
            state,
            pending,
            #[cfg(unix)]
            id,
        });
    }
    index.status = Some(status);
    index
}

/// Append `entry`, first emitting any excluded ancestors that now contain an included path
/// (such a directory is sent after all, so it no longer counts as excluded).
fn emit(stack: &mut [Frame], index: &mut ContextIndex, entry: Entry) {
    for frame in stack.iter_mut() {
        if let Some(p) = frame.pending.take() {
            index.entries.push(p);
            index.excluded = index.excluded.saturating_sub(1);
        }
    }
    index.entries.push(entry);
}

fn read_names(dir: &Path) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut names = Vec::new();
    for item in fs::read_dir(dir)? {
        let item = item?;
        let os = item.file_name();
        // Non-UTF-8 names are matched by their lossy form (Go would see raw bytes).
        let name = os.to_string_lossy().into_owned();
        names.push((name, item.path()));
    }
    // Byte order of names = Go's lexical walk order = our index order.
    names.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(names)
}

#[cfg(unix)]
fn dir_id(p: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p)
        .map(|m| (m.dev(), m.ino()))
        .unwrap_or((u64::MAX, u64::MAX))
}

fn make_entry(path: String, full: &Path, meta: &fs::Metadata) -> Entry {
    let ft = meta.file_type();
    let kind = if ft.is_symlink() {
        EntryKind::Symlink
    } else if ft.is_dir() {
        EntryKind::Dir
    } else if ft.is_file() {
        EntryKind::File
    } else {
        EntryKind::Other
    };
    let link_target = (kind == EntryKind::Symlink)
        .then(|| {
            fs::read_link(full)
                .ok()
                .map(|t| t.to_string_lossy().into_owned())
        })
        .flatten();
    Entry {
        path,
        kind,
        size: if kind == EntryKind::File {
            meta.len()
        } else {
            0
        },
        mode: mode_of(meta, kind),
        link_target,
        mtime: meta.modified().ok(),
    }
}

#[cfg(unix)]
fn mode_of(meta: &fs::Metadata, _kind: EntryKind) -> u32 {
    use std::os::unix::fs::MetadataExt;
    meta.mode()
}

#[cfg(not(unix))]
fn mode_of(meta: &fs::Metadata, kind: EntryKind) -> u32 {
    // No Unix mode here: synthesise a conventional one from the read-only flag.
    let ro = meta.permissions().readonly();
    match kind {
        EntryKind::Dir => 0o040_755,
        EntryKind::Symlink => 0o120_777,
        _ if ro => 0o100_444,
        _ => 0o100_644,
    }
}

#[cfg(test)]
mod tests;
