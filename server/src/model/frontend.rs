//! Which Dockerfile frontend a `# syntax=` directive selects, and so which features exist.

use crate::docs::{FrontendVersion, LATEST_STABLE};

/// The frontend the file asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frontend {
    /// `Some` when the directive pins a `docker/dockerfile` minor version (`:1.7`, `:1.7.1`,
    /// `:1.7-labs`). `None` means "the latest", which is what `:1`, no directive, or an
    /// unknown frontend image amount to for our checks.
    pub pinned: Option<FrontendVersion>,
    /// A `-labs` channel: labs-only features (`RUN --device`) are available.
    pub labs: bool,
    /// The image is a `docker/dockerfile[-upstream]` frontend (or there is no directive).
    pub official: bool,
}

impl Default for Frontend {
    fn default() -> Self {
        Frontend {
            pinned: None,
            labs: false,
            official: true,
        }
    }
}

impl Frontend {
    /// The version whose features are available.
    pub fn version(&self) -> FrontendVersion {
        self.pinned.unwrap_or(LATEST_STABLE)
    }

    /// Reads a `# syntax=` value. Only the part before the first space counts (BuildKit's
    /// `DetectSyntax`).
    pub fn from_syntax(value: &str) -> Frontend {
        let image = value.split(' ').next().unwrap_or_default();
        let without_digest = image.split('@').next().unwrap_or_default();
        // A tag is after the last ':' that follows the last '/' (a registry port is not a tag).
        let slash = without_digest.rfind('/').map_or(0, |i| i + 1);
        let (repo, tag) = match without_digest[slash..].rfind(':') {
            Some(i) => (
                &without_digest[..slash + i],
                &without_digest[slash + i + 1..],
            ),
            None => (without_digest, ""),
        };
        let repo = repo
            .strip_prefix("docker.io/")
            .or_else(|| repo.strip_prefix("index.docker.io/"))
            .unwrap_or(repo);
        let official = matches!(repo, "docker/dockerfile" | "docker/dockerfile-upstream");
        if !official {
            return Frontend {
                pinned: None,
                labs: false,
                official: false,
            };
        }
        let (version, labs) = match tag.strip_suffix("-labs") {
            Some(v) => (v, true),
            None => (tag, tag == "labs"),
        };
        let mut parts = version.split('.');
        let major = parts.next().and_then(|p| p.parse::<u16>().ok());
        let minor = parts.next().and_then(|p| p.parse::<u16>().ok());
        let pinned = match (major, minor) {
            (Some(major), Some(minor)) => Some(FrontendVersion::new(major, minor)),
            _ => None,
        };
        Frontend {
            pinned,
            labs,
            official,
        }
    }

    /// Whether a feature introduced in `since` (and, for labs-only features, `labs_since`)
    /// is available.
    pub fn supports(&self, since: FrontendVersion, labs_only: bool) -> bool {
        if labs_only && !self.labs {
            return false;
        }
        self.version() >= since
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_values() {
        let f = Frontend::from_syntax("docker/dockerfile:1.7");
        assert_eq!(f.pinned, Some(FrontendVersion::new(1, 7)));
        assert!(!f.labs && f.official);
        let f = Frontend::from_syntax("docker.io/docker/dockerfile:1.4.3-labs@sha256:abc");
        assert_eq!(f.pinned, Some(FrontendVersion::new(1, 4)));
        assert!(f.labs);
        let f = Frontend::from_syntax("docker/dockerfile:1");
        assert_eq!(f.pinned, None);
        assert_eq!(f.version(), LATEST_STABLE);
        assert!(Frontend::from_syntax("docker/dockerfile:1-labs").labs);
        assert!(!Frontend::from_syntax("example.com:5000/my/frontend:2").official);
        assert!(Frontend::from_syntax("docker/dockerfile-upstream:master-labs extra").labs);
    }
}
