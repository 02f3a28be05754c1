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
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (text, None),
    };
    if let Some(d) = digest {
        valid_digest(d).then_some(())?;
    }
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(t) = tag {
        valid_tag(t).then_some(())?;
    }
    let (domain, path) = match name.split_once('/') {
        Some((first, remainder))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (first, remainder)
        }
        _ => ("docker.io", name),
    };
    valid_domain(domain).then_some(())?;
    path.split('/').all(valid_path_component).then_some(())?;
    let domain = if domain == "index.docker.io" {
        "docker.io"
    } else {
        domain
    };
    let path = if domain == "docker.io" && !path.contains('/') {
        format!("library/{path}")
    } else {
        path.to_string()
    };
    Some(ImageRef {
        domain: domain.to_string(),
        path,
        tag: tag.map(str::to_string),
        digest: digest.map(str::to_string),
        name_len: name.len(),
    })
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_path_component(c: &str) -> bool {
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let sep_start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[sep_start..i];
        let ok = matches!(sep, "." | "_" | "__") || sep.bytes().all(|x| x == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// A host name (dot-separated labels) or an IPv6 literal in brackets, and an optional port.
fn valid_domain(d: &str) -> bool {
    let (host_ok, port) = if let Some(rest) = d.strip_prefix('[') {
        let Some((ip, tail)) = rest.split_once(']') else {
            return false;
        };
        let port = match tail {
            "" => None,
            t => match t.strip_prefix(':') {
                Some(p) => Some(p),
                None => return false,
            },
        };
        let ok = !ip.is_empty() && ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
        (ok, port)
    } else {
        let (host, port) = match d.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (d, None),
        };
        let ok = !host.is_empty()
            && host.split('.').all(|label| {
                let b = label.as_bytes();
                !b.is_empty()
                    && b[0].is_ascii_alphanumeric()
                    && b[b.len() - 1].is_ascii_alphanumeric()
                    && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
            });
        (ok, port)
    };
    host_ok && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b.iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

/// `algorithm:encoded`, e.g. `sha256:` and at least 32 hex digits.
fn valid_digest(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    !alg.is_empty()
        && alg.as_bytes()[0].is_ascii_alphabetic()
        && alg
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'+' | b'.'))
        && hex.len() >= 32
        && hex.bytes().all(|c| c.is_ascii_hexdigit())
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
        let r = parse("localhost:5000/team/app:1.2@sha256:0123456789abcdef0123456789abcdef")
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
            page("docker.io/library/alpine@sha256:0123456789abcdef0123456789abcdef"),
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
