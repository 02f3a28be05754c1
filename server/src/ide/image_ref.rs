//! Image references (`[registry[:port]/]path[:tag][@digest]`) as the Docker distribution
//! `reference` package reads them (`ParseNormalizedNamed`), and the web page of the repository
//! on its registry.

/// A parsed, normalised image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The registry: `docker.io` for Docker Hub (also when written `index.docker.io` or not
    /// written at all).
    pub domain: String,
    /// The repository path; official Docker Hub images get `library/`.
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// Bytes of the name as written (registry and path, before `:tag` / `@digest`).
    pub name_len: usize,
}

impl ImageRef {
    /// The short form `docker` prints: `alpine:3.20`, `user/app`, `ghcr.io/o/p:1`.
    pub fn familiar(&self) -> String {
        let mut s = if self.domain == "docker.io" {
            self.path
                .strip_prefix("library/")
                .unwrap_or(&self.path)
                .to_string()
        } else {
            format!("{}/{}", self.domain, self.path)
        };
        if let Some(tag) = &self.tag {
            s.push(':');
            s.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            s.push('@');
            s.push_str(digest);
        }
        s
    }

    /// The fully qualified form BuildKit pulls: `docker.io/library/alpine:latest`.
    pub fn canonical(&self) -> String {
        let mut s = format!("{}/{}", self.domain, self.path);
        match (&self.tag, &self.digest) {
            (Some(tag), _) => {
                s.push(':');
                s.push_str(tag);
            }
            (None, None) => s.push_str(":latest"),
            (None, Some(_)) => {}
        }
        if let Some(digest) = &self.digest {
            s.push('@');
            s.push_str(digest);
        }
        s
    }
}

/// Parses an image reference; `None` when it is not a valid one (upper case in the path, a
/// blank part, an unexpanded `$VAR`, …).
pub fn parse(text: &str) -> Option<ImageRef> {
    // Validation and normalisation are BuildKit's (the checks use the same function); what
    // the editor adds is where the name ends, for the link's range.
    let r = crate::checks::reference::parse_normalized_named(text).ok()?;
    let rest = text.split_once('@').map_or(text, |(r, _)| r);
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let name_len = rest[slash..].rfind(':').map_or(rest.len(), |i| slash + i);
    Some(ImageRef {
        domain: r.domain,
        path: r.path,
        tag: r.tag,
        digest: r.digest,
        name_len,
    })
}

/// The web page of the repository, and a name for it.
pub fn registry_page(r: &ImageRef) -> Option<(String, &'static str)> {
    let domain = r.domain.as_str();
    // A registry on this machine has no page worth opening.
    let host = match domain.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => domain.split(':').next().unwrap_or(domain),
    };
    if matches!(host, "localhost" | "::1") || host.starts_with("127.") {
        return None;
    }
    Some(match domain {
        "docker.io" => match r.path.strip_prefix("library/") {
            Some(official) => (format!("https://hub.docker.com/_/{official}"), "Docker Hub"),
            None => (format!("https://hub.docker.com/r/{}", r.path), "Docker Hub"),
        },
        "ghcr.io" => {
            // Packages are listed under the repository that publishes them; a nested name is
            // one package whose `/` is escaped.
            let (owner, package) = r.path.split_once('/')?;
            let repo = package.split('/').next().unwrap_or(package);
            (
                format!(
                    "https://github.com/{owner}/{repo}/pkgs/container/{}",
                    package.replace('/', "%2F")
                ),
                "GitHub Packages",
            )
        }
        "mcr.microsoft.com" => (
            format!("https://mcr.microsoft.com/artifact/mar/{}", r.path),
            "Microsoft Artifact Registry",
        ),
        "quay.io" => (format!("https://quay.io/repository/{}", r.path), "Quay"),
        "public.ecr.aws" => (
            format!("https://gallery.ecr.aws/{}", r.path),
            "Amazon ECR Public Gallery",
        ),
        // gcr.io pages redirect a browser to the Cloud console's view of the image.
        d if d == "gcr.io" || d.ends_with(".gcr.io") => (
            format!("https://{d}/{}", r.path),
            "Google Container Registry",
        ),
        d => (format!("https://{d}/{}", r.path), "the registry"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_like_docker() {
        let r = parse("alpine").expect("valid");
        assert_eq!(
            (r.domain.as_str(), r.path.as_str()),
            ("docker.io", "library/alpine")
        );
        assert_eq!(r.canonical(), "docker.io/library/alpine:latest");
        assert_eq!(r.familiar(), "alpine");
        let r = parse("localhost:5000/team/app:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
            .expect("valid");
        assert_eq!(r.domain, "localhost:5000");
        assert_eq!(r.path, "team/app");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert_eq!(r.name_len, "localhost:5000/team/app".len());
        let r = parse("index.docker.io/user/app:v1").expect("valid");
        assert_eq!(r.familiar(), "user/app:v1");
        // A first component with upper case is a registry (and this one is fine).
        assert_eq!(
            parse("Registry.Example/app").map(|r| r.domain),
            Some("Registry.Example".into())
        );
        for bad in [
            "",
            "Alpine",
            "alpine:",
            "alpine:-x",
            "a//b",
            "alpine@sha256:12",
            "$IMG",
            "a b",
            "x/-y",
            "[::1",
            "host:port/a",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(parse("[::1]:5000/a").is_some());
        assert!(parse("a__b/c-d---e.f_g:T_1.x-y").is_some());
    }

    #[test]
    fn registry_pages() {
        let page = |s: &str| parse(s).and_then(|r| registry_page(&r)).map(|(u, _)| u);
        assert_eq!(
            page("node:20"),
            Some("https://hub.docker.com/_/node".into())
        );
        assert_eq!(
            page("bitnami/redis"),
            Some("https://hub.docker.com/r/bitnami/redis".into())
        );
        assert_eq!(
            page(
                "docker.io/library/alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            ),
            Some("https://hub.docker.com/_/alpine".into())
        );
        assert_eq!(
            page("ghcr.io/astral-sh/uv:0.5"),
            Some("https://github.com/astral-sh/uv/pkgs/container/uv".into())
        );
        assert_eq!(
            page("ghcr.io/owner/repo/tool"),
            Some("https://github.com/owner/repo/pkgs/container/repo%2Ftool".into())
        );
        assert_eq!(page("ghcr.io/lonely"), None);
        assert_eq!(
            page("mcr.microsoft.com/dotnet/sdk:8.0"),
            Some("https://mcr.microsoft.com/artifact/mar/dotnet/sdk".into())
        );
        assert_eq!(
            page("quay.io/prometheus/node-exporter"),
            Some("https://quay.io/repository/prometheus/node-exporter".into())
        );
        assert_eq!(
            page("gcr.io/distroless/static-debian12"),
            Some("https://gcr.io/distroless/static-debian12".into())
        );
        assert_eq!(
            page("public.ecr.aws/docker/library/nginx"),
            Some("https://gallery.ecr.aws/docker/library/nginx".into())
        );
        assert_eq!(
            page("registry.k8s.io/pause:3.9"),
            Some("https://registry.k8s.io/pause".into())
        );
        assert_eq!(page("localhost:5000/app"), None);
    }
}
