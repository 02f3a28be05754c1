//! The build state the evaluation pass carries through a stage, and BuildKit's path rules.
//!
//! The model ([`crate::model`]) gives the environment, declared ARGs, USER and SHELL before
//! every instruction of the file. Two things it does not record, which the cache needs:
//!
//! * the state *between* ONBUILD triggers replayed at the start of a child stage, and at the
//!   very end of a stage (what a `FROM <stage>` child starts from);
//! * the working directory exactly as BuildKit's LLB state holds it: an absolute WORKDIR is
//!   kept as written (`/app/` stays `/app/`), and that string is in every later RUN's key.
//!
//! So the pass keeps its own [`State`], overwritten from the model at every instruction of
//! the file, and advanced by [`apply`] (a mirror of the model's ENV/ARG/USER/WORKDIR/SHELL
//! handling) only where the model has no record: triggers and stage ends.

use std::collections::BTreeMap;
use std::sync::Arc;

use smol_str::SmolStr;

use crate::model::{EnvList, Model, Origin};
use crate::syntax::shell::Lexer;
use crate::syntax::{Command, Keyword};

/// Build args BuildKit never puts in the environment (`nonEnvArgs` in convert.go).
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// What later steps of a stage see.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub env: EnvList,
    pub declared: Arc<Vec<(SmolStr, u32)>>,
    /// BuildKit's `State.GetDir()` string; `None` = the base image's (unknown) directory.
    pub cwd: Option<Arc<str>>,
    pub user: Option<SmolStr>,
    pub shell: Option<Arc<[String]>>,
    /// The entry that set the USER, the SHELL, and the entries that built up the working
    /// directory (an absolute WORKDIR restarts the list).
    pub user_from: Option<u32>,
    pub shell_from: Option<u32>,
    pub cwd_from: Arc<Vec<u32>>,
    /// `env` was computed here (a replayed trigger, a stage end), not taken from the model:
    /// a definition's value may then differ from the one the model recorded.
    pub env_replayed: bool,
}

/// What [`apply`] needs besides the state.
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    pub lexer: &'a Lexer,
    pub build_args: &'a BTreeMap<String, String>,
}

impl Ctx<'_> {
    pub fn expand(&self, word: &str, env: &EnvList) -> String {
        // Nothing to expand, unquote or unescape: the word is its own value.
        let escape = self.lexer.escape();
        if !word.contains(['$', '\'', '"', escape]) {
            return word.to_string();
        }
        // An expansion error fails the build in BuildKit; keeping the raw word keeps the
        // fingerprint stable and comparable.
        self.lexer
            .process_word(word, env)
            .map_or_else(|_| word.to_string(), |p| p.value)
    }

    /// The definition the model recorded for `name` at `entry` (defs are in entry order).
    pub fn def_at(&self, entry: usize, name: &str) -> Option<u32> {
        let defs = &self.model.var_defs;
        let start = defs.partition_point(|d| d.entry < entry);
        defs[start..]
            .iter()
            .take_while(|d| d.entry == entry)
            .position(|d| d.name == name)
            .map(|p| (start + p) as u32)
            .or_else(|| {
                // Should the order ever differ, a linear search is still right.
                defs.iter()
                    .position(|d| d.entry == entry && d.name == name)
                    .map(|p| p as u32)
            })
    }
}

/// Advances `state` over one instruction (or ONBUILD trigger) defined at `entry`. Only
/// instructions that change the state do anything.
pub(crate) fn apply(ctx: &Ctx<'_>, state: &mut State, entry: usize, cmd: &Command) {
    let e = entry as u32;
    match cmd.kind {
        Keyword::Env => {
            state.env_replayed = true;
            // All pairs expand against the environment before the instruction.
            let before = state.env.clone();
            for triplet in cmd.nodes.chunks(3) {
                let [key, value, _] = triplet else { continue };
                let name = ctx.expand(&key.value, &before);
                let value = ctx.expand(&value.value, &before);
                let origin = ctx
                    .def_at(entry, &name)
                    .map_or(Origin::Predefined, Origin::Def);
                state.env.set(&name, &value, origin);
            }
        }
        Keyword::Arg => {
            state.env_replayed = true;
            for node in &cmd.nodes {
                let (key, default) = match node.value.split_once('=') {
                    Some((k, v)) => (k, Some(v)),
                    None => (node.value.as_str(), None),
                };
                let Some(def) = ctx.def_at(entry, key) else {
                    continue;
                };
                let value = match ctx.build_args.get(key) {
                    Some(v) => Some((v.clone(), Origin::BuildArg(def))),
                    None => match default {
                        Some(d) => Some((ctx.expand(d, &state.env), Origin::Def(def))),
                        None => ctx
                            .model
                            .global_env
                            .get_var(key)
                            .map(|g| (g.value.to_string(), Origin::Def(def))),
                    },
                };
                Arc::make_mut(&mut state.declared).push((SmolStr::new(key), def));
                if let Some((v, origin)) = value {
                    if !NON_ENV_ARGS.contains(&key) {
                        state.env.set(key, &v, origin);
                    }
                }
            }
        }
        Keyword::User => {
            if let Some(node) = cmd.nodes.first() {
                state.user = Some(SmolStr::new(ctx.expand(&node.value, &state.env)));
                state.user_from = Some(e);
            }
        }
        Keyword::Workdir => {
            if let Some(node) = cmd.nodes.first() {
                let path = ctx.expand(&node.value, &state.env);
                let absolute = path.starts_with('/');
                state.cwd = Some(Arc::from(workdir(state.cwd.as_deref(), &path)));
                let from = Arc::make_mut(&mut state.cwd_from);
                if absolute {
                    from.clear();
                }
                from.push(e);
            }
        }
        Keyword::Shell if cmd.json && !cmd.nodes.is_empty() => {
            let shell: Vec<String> = cmd.nodes.iter().map(|n| n.value.to_string()).collect();
            state.shell = Some(Arc::from(shell));
            state.shell_from = Some(e);
        }
        _ => {}
    }
}

/// The placeholder for what the base image decides and the file cannot know (its working
/// directory, user, shell). It is the same in both versions of a comparison.
pub(crate) const IMAGE_DEFAULT: &str = "\u{0}image";

pub(crate) use super::context::golang::clean;

/// Go's `path.Join` of two elements.
pub(crate) fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => String::new(),
        (true, false) => clean(b),
        (false, true) => clean(a),
        (false, false) => clean(&format!("{a}/{b}")),
    }
}

/// `system.NormalizePath(parent, p, "linux", keepSlash)`: an absolute `p` is kept as written,
/// a relative one is joined onto the parent and cleaned.
pub(crate) fn normalize_path(parent: &str, p: &str, keep_slash: bool) -> String {
    let parent = if parent.is_empty() {
        "/".to_string()
    } else if parent.starts_with('/') || parent == IMAGE_DEFAULT {
        parent.to_string()
    } else {
        join("/", parent)
    };
    let mut new = if p.is_empty() {
        parent.clone()
    } else {
        p.to_string()
    };
    if !new.starts_with('/') {
        new = join(&parent, &new);
    }
    if keep_slash {
        if p.ends_with('/') && !new.ends_with('/') {
            new.push('/');
        } else if p.ends_with("/.") {
            if new != "/" {
                new.push('/');
            }
            new.push('.');
        }
    }
    new
}

/// The working directory after `WORKDIR path` (`NormalizeWorkdir` then `llb.Dir`).
pub(crate) fn workdir(current: Option<&str>, path: &str) -> String {
    normalize_path(current.unwrap_or(IMAGE_DEFAULT), path, false)
}

/// The LLB file action's `normalizePath(parent, p, keepSlash)` (`client/llb/fileop.go`).
pub(crate) fn llb_normalize(p: &str, keep_slash: bool) -> String {
    let mut out = clean(p);
    if keep_slash {
        if p.ends_with('/') && !out.ends_with('/') {
            out.push('/');
        } else if p.ends_with("/.") {
            if out != "/" {
                out.push('/');
            }
            out.push('.');
        }
    }
    out
}

/// The destination of a COPY/ADD as the file op stores it (`pathRelativeToWorkingDir`, then
/// the file action's normalisation). Whether it depends on the working directory, too.
pub(crate) fn copy_dest(cwd: Option<&str>, dest: &str) -> (String, bool) {
    if dest.starts_with('/') {
        return (llb_normalize(&normalize_path("/", dest, true), true), false);
    }
    let p = if dest.is_empty() || dest == "." {
        "./"
    } else {
        dest
    };
    let joined = normalize_path(cwd.unwrap_or(IMAGE_DEFAULT), p, true);
    (llb_normalize(&joined, true), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_path_clean() {
        assert_eq!(clean(""), ".");
        assert_eq!(clean("/a/b/../c/./"), "/a/c");
        assert_eq!(clean("/.."), "/");
        assert_eq!(clean("a/../.."), "..");
        assert_eq!(clean("//x"), "/x");
    }

    #[test]
    fn workdir_keeps_absolute_paths_as_written() {
        assert_eq!(workdir(Some("/"), "/app/"), "/app/");
        assert_eq!(workdir(Some("/app/"), "x/"), "/app/x");
        assert_eq!(workdir(None, "/srv"), "/srv");
        assert_ne!(workdir(None, "rel"), workdir(Some("/"), "rel"));
    }

    #[test]
    fn copy_destinations() {
        assert_eq!(copy_dest(Some("/app"), "./"), ("/app/".into(), true));
        assert_eq!(copy_dest(Some("/app"), "."), ("/app/".into(), true));
        assert_eq!(copy_dest(Some("/app"), "src/"), ("/app/src/".into(), true));
        assert_eq!(copy_dest(Some("/app"), "/etc/x"), ("/etc/x".into(), false));
        assert_eq!(copy_dest(None, "/etc//x/"), ("/etc/x/".into(), false));
        assert_eq!(copy_dest(Some("/srv"), "./src/").0, "/srv/src/");
    }
}
