//! The ordered environment of a build step, as BuildKit's `llb.EnvList` keeps it: setting a
//! name again moves it to the end (which is why reordering ENV lines changes RUN cache keys).

use std::collections::HashMap;
use std::sync::Arc;

use smol_str::SmolStr;

use crate::syntax::shell;

/// Where a variable's current value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// An ARG or ENV of this file (index into [`super::Model::var_defs`]).
    Def(u32),
    /// An ARG whose value was given with `--build-arg`.
    BuildArg(u32),
    /// A built-in argument (TARGETPLATFORM, BUILDOS, …).
    Predefined,
    /// BuildKit's default `PATH`, added when the base image has none.
    DefaultPath,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: SmolStr,
    pub value: SmolStr,
    pub origin: Origin,
}

/// An ordered list of variables. Cheap to clone (shared until changed).
///
/// Lists longer than [`INDEXED`] carry a name → position index, so setting or looking up a
/// variable stays O(1) however many there are: an `ENV` with 100 000 distinct names on one
/// line used to take minutes (each `set` scanned the list).
#[derive(Clone, Default)]
pub struct EnvList {
    /// `None` when empty: the model starts every instruction with an empty list, and an
    /// empty list that allocates nothing also clones and drops without touching memory.
    vars: Option<Arc<Vars>>,
}

/// Below this length a scan is as fast as the index and needs no memory.
const INDEXED: usize = 32;

#[derive(Clone, Default)]
struct Vars {
    list: Vec<EnvVar>,
    /// Position of each name in `list`; empty while `list` is shorter than [`INDEXED`].
    index: HashMap<SmolStr, usize>,
}

impl Vars {
    fn position(&self, name: &str) -> Option<usize> {
        if self.index.is_empty() {
            self.list.iter().position(|v| v.name == name)
        } else {
            self.index.get(name).copied()
        }
    }
}

impl std::fmt::Debug for EnvList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvList")
            .field("vars", &self.vars())
            .finish()
    }
}

impl PartialEq for EnvList {
    fn eq(&self, other: &Self) -> bool {
        match (&self.vars, &other.vars) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.vars() == other.vars(),
        }
    }
}

impl Eq for EnvList {}

impl EnvList {
    pub fn vars(&self) -> &[EnvVar] {
        self.vars.as_deref().map_or(&[], |v| &v.list)
    }

    pub fn get_var(&self, name: &str) -> Option<&EnvVar> {
        let vars = self.vars.as_deref()?;
        vars.position(name).map(|i| &vars.list[i])
    }

    /// `AddOrReplace`: removes any earlier entry of the name and appends the new one.
    pub fn set(&mut self, name: &str, value: &str, origin: Origin) {
        let shared = self.vars.get_or_insert_with(Arc::default);
        if Arc::get_mut(shared).is_none() {
            // Every instruction keeps the list it ran with, so a set usually copies: leave
            // room for this and the next sets, or the push below reallocates the copy at once.
            let mut list = Vec::with_capacity(shared.list.len() + 4);
            list.extend_from_slice(&shared.list);
            let index = shared.index.clone();
            *shared = Arc::new(Vars { list, index });
        }
        let vars = Arc::make_mut(shared);
        let var = EnvVar {
            name: SmolStr::new(name),
            value: SmolStr::new(value),
            origin,
        };
        match vars.position(name) {
            // Already last: replace in place.
            Some(i) if i + 1 == vars.list.len() => vars.list[i] = var,
            Some(i) => {
                vars.list.remove(i);
                if !vars.index.is_empty() {
                    for (j, v) in vars.list.iter().enumerate().skip(i) {
                        vars.index.insert(v.name.clone(), j);
                    }
                    vars.index.insert(var.name.clone(), vars.list.len());
                }
                vars.list.push(var);
            }
            None => {
                if !vars.index.is_empty() {
                    vars.index.insert(var.name.clone(), vars.list.len());
                }
                vars.list.push(var);
                if vars.index.is_empty() && vars.list.len() >= INDEXED {
                    vars.index = vars
                        .list
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v.name.clone(), i))
                        .collect();
                }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.vars().len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars().is_empty()
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars().iter().map(|v| v.name.as_str())
    }
}

impl shell::Env for EnvList {
    fn get(&self, name: &str) -> Option<&str> {
        self.get_var(name).map(|v| v.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indexed form (long lists) behaves exactly as a scan of the list would.
    #[test]
    fn long_lists_agree_with_a_plain_list() {
        let mut env = EnvList::default();
        let mut plain: Vec<(String, String)> = Vec::new();
        let mut copies = Vec::new();
        for i in 0..400u32 {
            let name = format!("V{}", (i * 7919) % 97);
            let value = i.to_string();
            env.set(&name, &value, Origin::Predefined);
            plain.retain(|(n, _)| *n != name);
            plain.push((name, value));
            if i % 50 == 0 {
                copies.push((env.clone(), plain.clone()));
            }
        }
        copies.push((env, plain));
        for (env, plain) in copies {
            let got: Vec<(String, String)> = env
                .vars()
                .iter()
                .map(|v| (v.name.to_string(), v.value.to_string()))
                .collect();
            assert_eq!(got, plain);
            for (n, v) in &plain {
                assert_eq!(shell::Env::get(&env, n), Some(v.as_str()));
            }
            assert_eq!(env.get_var("nope"), None);
        }
    }

    /// An `ENV` of 100 000 distinct names is linear (it took minutes).
    #[test]
    fn many_distinct_names_are_fast() {
        let mut env = EnvList::default();
        let started = std::time::Instant::now();
        for i in 0..100_000 {
            env.set(&format!("a{i}"), "b", Origin::Predefined);
        }
        assert_eq!(env.len(), 100_000);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[test]
    fn set_moves_to_end() {
        let mut env = EnvList::default();
        env.set("A", "1", Origin::Predefined);
        env.set("B", "2", Origin::Predefined);
        let before = env.clone();
        env.set("A", "1", Origin::Predefined);
        assert_eq!(env.names().collect::<Vec<_>>(), ["B", "A"]);
        assert_eq!(
            before.names().collect::<Vec<_>>(),
            ["A", "B"],
            "clones are unaffected"
        );
        assert_eq!(shell::Env::get(&env, "A"), Some("1"));
    }
}
