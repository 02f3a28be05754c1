//! Step fingerprints: a stable 64-bit hash per ingredient of a BuildKit cache key.
//!
//! A fingerprint is not BuildKit's digest. It only has to change exactly when BuildKit's
//! key would change, so each ingredient is hashed separately ([`Part`]) and the parts are
//! hashed together. Keeping the parts lets a diff say *which* ingredient changed.

use std::hash::Hasher;

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

/// A fast 64-bit hasher: every 8 input bytes are xored into the state and mixed by a
/// folded 128-bit multiply (the core of wyhash/foldhash). The keys are fixed, so equal
/// inputs give equal hashes in every run — all a comparison of two analyses needs. It is
/// several times faster than SipHash, which matters: the LSP fingerprints every step on
/// every keystroke.
#[derive(Clone, Copy)]
pub(crate) struct FoldHasher(u64);

const MUL: u64 = 0x9E37_79B9_7F4A_7C15;
const FINAL: u64 = 0xD6E8_FEB8_6659_FD93;

#[inline]
fn fold_mul(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl Hasher for FoldHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = fold_mul(self.0 ^ u64::from_le_bytes(w), MUL);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            // The tail's length goes in too, so `"a\0"` and `"a"` differ.
            self.0 = fold_mul(
                self.0 ^ u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59),
                MUL,
            );
        }
    }

    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.0 = fold_mul(self.0 ^ v, MUL);
    }

    #[inline]
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }

    #[inline]
    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v) | 0x100);
    }

    fn finish(&self) -> u64 {
        fold_mul(self.0 ^ (self.0 >> 31), FINAL)
    }
}

/// A hasher for key ingredients. Strings are length-prefixed so that adjacent values cannot
/// run into each other (`["ab", "c"]` ≠ `["a", "bc"]`).
#[derive(Clone)]
pub(crate) struct Fp(FoldHasher);

impl Fp {
    pub fn new(tag: &str) -> Fp {
        let mut fp = Fp(FoldHasher(0x2D35_8DCC_AA6C_78A5));
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

    #[test]
    fn no_collisions_on_near_inputs() {
        let mut seen = std::collections::HashSet::new();
        for a in 0..64u8 {
            for len in 0..20 {
                let mut s = vec![b'x'; len];
                if len > 0 {
                    s[len / 2] = a;
                }
                let text = String::from_utf8_lossy(&s).into_owned();
                seen.insert((text.clone(), Fp::new("t").str(&text).finish()));
            }
        }
        let hashes: std::collections::HashSet<u64> = seen.iter().map(|(_, h)| *h).collect();
        assert_eq!(hashes.len(), seen.len());
    }
}
