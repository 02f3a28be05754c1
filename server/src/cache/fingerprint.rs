//! Step fingerprints: a stable 64-bit hash per ingredient of a BuildKit cache key.
//!
//! A fingerprint is not BuildKit's digest. It only has to change exactly when BuildKit's
//! key would change, so each ingredient is hashed separately ([`Part`]) and the parts are
//! hashed together. Keeping the parts lets a diff say *which* ingredient changed.

use std::hash::{DefaultHasher, Hasher};

/// One ingredient of a step's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    /// FROM: the image reference (after ARG expansion).
    Image,
    /// The platform every exec op and image pull carries.
    Platform,
    /// RUN: the argv without the shell prefix (command string or exec array, heredoc bodies).
    Command,
    /// RUN (shell form): the SHELL prefix.
    Shell,
    /// RUN: the ordered environment.
    Env,
    /// RUN: the working directory.
    Workdir,
    /// RUN: the user.
    User,
    /// RUN: the normalised `--mount` list.
    Mounts,
    /// RUN: `--network`, `--security`, `--device`, and the sandbox host name.
    Options,
    /// COPY/ADD: the sources (selectors, URLs, git refs, heredoc files).
    Sources,
    /// COPY/ADD: the resolved destination.
    Dest,
    /// COPY/ADD: `--chown`, `--chmod`, `--exclude`, `--parents`, `--link`, `--unpack`, …
    Flags,
    /// WORKDIR: the directory created.
    Path,
    /// WORKDIR: the owner of the directory (the current USER).
    Owner,
    /// WORKDIR: the creation time (`SOURCE_DATE_EPOCH`).
    Epoch,
    /// The start of a stage that is not an image (scratch, another stage, an unresolved base).
    Base,
    /// COPY --link: the merge that re-links the copied files onto the stage.
    Merge,
}

/// A hasher for key ingredients. Strings are length-prefixed so that adjacent values cannot
/// run into each other (`["ab", "c"]` ≠ `["a", "bc"]`).
#[derive(Clone)]
pub(crate) struct Fp(DefaultHasher);

impl Fp {
    /// `DefaultHasher::new()` has fixed keys, so equal inputs give equal hashes within (and
    /// across) runs of one binary — all a comparison of two analyses needs.
    pub fn new(tag: &str) -> Fp {
        let mut fp = Fp(DefaultHasher::new());
        fp.str(tag);
        fp
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        self.0.write_usize(s.len());
        self.0.write(s.as_bytes());
        self
    }

    pub fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => {
                self.0.write_u8(1);
                self.str(s)
            }
            None => {
                self.0.write_u8(0);
                self
            }
        }
    }

    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.0.write_u64(v);
        self
    }

    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.0.write_u8(u8::from(v));
        self
    }

    pub fn strs<S: AsRef<str>>(&mut self, items: &[S]) -> &mut Self {
        self.0.write_usize(items.len());
        for s in items {
            self.str(s.as_ref());
        }
        self
    }

    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The fingerprint of a list of parts.
pub(crate) fn combine(parts: &[(Part, u64)]) -> u64 {
    let mut fp = Fp::new("step");
    for (part, hash) in parts {
        fp.u64(*part as u64).u64(*hash);
    }
    fp.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_prefix_separates_values() {
        let a = Fp::new("t").str("ab").str("c").finish();
        let b = Fp::new("t").str("a").str("bc").finish();
        assert_ne!(a, b);
        assert_eq!(a, Fp::new("t").str("ab").str("c").finish());
        assert_ne!(
            Fp::new("t").opt(None).finish(),
            Fp::new("t").opt(Some("")).finish()
        );
    }
}
