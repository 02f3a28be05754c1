//! The ordered environment of a build step, as BuildKit's `llb.EnvList` keeps it: setting a
//! name again moves it to the end (which is why reordering ENV lines changes RUN cache keys).

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvList {
    vars: Arc<Vec<EnvVar>>,
}

impl EnvList {
    pub fn vars(&self) -> &[EnvVar] {
        &self.vars
    }

    pub fn get_var(&self, name: &str) -> Option<&EnvVar> {
        self.vars.iter().find(|v| v.name == name)
    }

    /// `AddOrReplace`: removes any earlier entry of the name and appends the new one.
    pub fn set(&mut self, name: &str, value: &str, origin: Origin) {
        let vars = Arc::make_mut(&mut self.vars);
        vars.retain(|v| v.name != name);
        vars.push(EnvVar {
            name: SmolStr::new(name),
            value: SmolStr::new(value),
            origin,
        });
    }

    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.iter().map(|v| v.name.as_str())
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
