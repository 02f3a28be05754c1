//! Image references as `distribution/reference.ParseNormalizedNamed` reads them (what
//! BuildKit uses for FROM: "failed to parse stage name …: invalid reference format", and
//! the InvalidDefaultArgInFrom check).

use std::sync::OnceLock;

use regex::Regex;

/// The parts of a valid reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Registry host (normalised: Docker Hub is `docker.io`).
    pub domain: String,
    /// Repository path (normalised: `library/alpine`).
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

fn reference_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alphanumeric = "[a-z0-9]+";
        let separator = "(?:[._]|__|[-]+)";
        let domain_component = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        let domain_name = format!(r"{domain_component}(?:\.{domain_component})*");
        let host = format!(r"(?:{domain_name}|\[(?:[a-fA-F0-9:]+)\])");
        let domain_and_port = format!("{host}(?::[0-9]+)?");
        let path_component = format!("{alphanumeric}(?:{separator}{alphanumeric})*");
        let remote_name = format!("{path_component}(?:/{path_component})*");
        let name = format!("(?:{domain_and_port}/)?{remote_name}");
        let tag = r"[\w][\w.-]{0,127}";
        let digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}";
        // `\w` must stay ASCII, as in Go's RE2.
        Regex::new(&format!("^(?-u:({name})(?::({tag}))?(?:@({digest}))?)$"))
            .expect("the reference grammar is a valid regex")
    })
}

fn is_identifier(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9'))
}

/// `splitDockerDomain`.
fn split_docker_domain(name: &str) -> (String, String) {
    let Some((maybe_domain, rest)) = name.split_once('/') else {
        return ("docker.io".into(), format!("library/{name}"));
    };
    let (domain, remote) = if maybe_domain == "localhost"
        || maybe_domain.contains(['.', ':'])
        || maybe_domain.to_lowercase() != maybe_domain
    {
        (maybe_domain.to_string(), rest.to_string())
    } else if maybe_domain == "index.docker.io" {
        ("docker.io".to_string(), rest.to_string())
    } else {
        ("docker.io".to_string(), name.to_string())
    };
    let domain = if domain == "index.docker.io" {
        "docker.io".to_string()
    } else {
        domain
    };
    if domain == "docker.io" && !remote.contains('/') {
        return (domain, format!("library/{remote}"));
    }
    (domain, remote)
}

/// `go-digest`'s `Parse` of `algo:hex`.
fn check_digest(d: &str) -> Result<(), String> {
    let (algo, hex) = d.split_once(':').unwrap_or((d, ""));
    let size = match algo {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err("unsupported digest algorithm".into()),
    };
    if hex.len() != size {
        return Err("invalid checksum digest length".into());
    }
    if !hex.bytes().all(|b| matches!(b, b'a'..=b'f' | b'0'..=b'9')) {
        return Err("invalid checksum digest format".into());
    }
    Ok(())
}

/// Validates a digest (`sha256:…`) as `go-digest` does; the error is its message.
pub fn parse_digest(d: &str) -> Result<(), String> {
    if !d.contains(':') {
        return Err("invalid checksum digest format".into());
    }
    check_digest(d)
}

/// `reference.ParseNormalizedNamed`. The error is the library's message.
pub fn parse_normalized_named(s: &str) -> Result<ImageRef, String> {
    if is_identifier(s) {
        return Err(format!(
            "invalid repository name ({s}), cannot specify 64-byte hexadecimal strings"
        ));
    }
    let (domain, remainder) = split_docker_domain(s);
    let remote = remainder.split(':').next().unwrap_or("");
    if remote.to_lowercase() != remote {
        return Err(format!(
            "invalid reference format: repository name ({remote}) must be lowercase"
        ));
    }
    let full = format!("{domain}/{remainder}");
    let re = reference_regex();
    let Some(caps) = re.captures(&full) else {
        if re.is_match(&full.to_lowercase()) {
            return Err("invalid reference format: repository name must be lowercase".into());
        }
        return Err("invalid reference format".into());
    };
    let name = caps.get(1).map_or("", |m| m.as_str());
    let (dom, path) = name.split_once('/').unwrap_or(("", name));
    if path.len() > 255 {
        return Err("repository name must not be more than 255 characters".into());
    }
    let digest = caps.get(3).map(|m| m.as_str().to_string());
    if let Some(d) = &digest {
        check_digest(d)?;
    }
    Ok(ImageRef {
        domain: dom.to_string(),
        path: path.to_string(),
        tag: caps.get(2).map(|m| m.as_str().to_string()),
        digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_references() {
        let r = parse_normalized_named("alpine").expect("valid");
        assert_eq!(
            (r.domain.as_str(), r.path.as_str()),
            ("docker.io", "library/alpine")
        );
        assert_eq!(r.tag, None);
        let r = parse_normalized_named("ghcr.io/owner/img:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
            .expect("valid");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
        assert!(r.digest.is_some());
        assert!(parse_normalized_named("localhost:5000/x").is_ok());
        assert!(parse_normalized_named("build").is_ok());
        assert!(parse_normalized_named("mcr.microsoft.com/windows/servercore:ltsc2022").is_ok());
    }

    #[test]
    fn invalid_references() {
        for (s, msg) in [
            ("golang:", "invalid reference format"),
            ("golang:-alpine3.23", "invalid reference format"),
            ("", "invalid reference format"),
            (
                "Alpine",
                "invalid reference format: repository name (library/Alpine) must be lowercase",
            ),
            ("a b", "invalid reference format"),
            ("alpine@sha256:abc", "invalid reference format"),
        ] {
            assert_eq!(parse_normalized_named(s).err().as_deref(), Some(msg), "{s}");
        }
        assert_eq!(
            parse_normalized_named("alpine@md5:0123456789abcdef0123456789abcdef")
                .err()
                .as_deref(),
            Some("unsupported digest algorithm")
        );
    }
}
