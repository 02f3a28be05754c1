//! Document links from image references to their registry pages: the base image of each
//! `FROM`, and `COPY --from=` / `RUN --mount=…,from=` values that name an image rather than a
//! stage (also inside ONBUILD).
//!
//! Never linked: stage names (including a `FROM later` that names a stage defined further
//! down, which BuildKit would pull as an image), `scratch`, index references, and references
//! that are not valid image names. A reference with variables is linked only when its
//! expansion is known: every variable is set, or unset but written with a default
//! (`${TAG:-3.20}`); the whole written reference is then the link, to the expanded image.

use super::image_ref::{self, ImageRef};
use super::navigation::stage_ref_name_range;
use crate::model::{Base, Model, StageRefKind};
use crate::syntax::shell::{Lexer, ModifierKind, RefMode, var_refs};
use crate::syntax::{Parse, TextRange, TextSize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentLink {
    pub range: TextRange,
    pub target: String,
    pub tooltip: String,
}

pub fn document_links(parse: &Parse, model: &Model) -> Vec<DocumentLink> {
    let mut links = Vec::new();
    let is_stage_name = |name: &str| {
        let lower = name.to_lowercase();
        model
            .stages
            .iter()
            .any(|s| s.name.as_deref() == Some(lower.as_str()))
    };
    for stage in &model.stages {
        let (Base::Image(image), Some(range)) = (&stage.base, stage.base_range) else {
            continue;
        };
        if is_stage_name(image) {
            continue;
        }
        let written = stage.base_text.as_str();
        let exact = !written.contains('$')
            && parse.text().get(range.start().into()..range.end().into()) == Some(written);
        if written.contains('$') && !expansion_known(parse, model, written) {
            continue;
        }
        if let Some(link) = link(image, range, exact) {
            links.push(link);
        }
    }
    for r in &model.stage_refs {
        if r.target.is_some()
            || r.by_index
            || r.kind == StageRefKind::From
            || r.text.contains('$')
            || r.text.eq_ignore_ascii_case("scratch")
            || is_stage_name(&r.text)
        {
            continue;
        }
        if let Some(range) = stage_ref_name_range(parse, r) {
            if let Some(link) = link(&r.text, range, true) {
                links.push(link);
            }
        }
    }
    links.sort_by_key(|l| l.range.start());
    links
}

/// Whether `word` expands to what BuildKit will use, given the global scope: no variable is
/// unset unless it is written with a default.
fn expansion_known(parse: &Parse, model: &Model, word: &str) -> bool {
    let Ok(processed) = Lexer::new(parse.escape()).process_word(word, &model.global_env) else {
        return false;
    };
    if processed.unmatched.is_empty() {
        return true;
    }
    let refs = var_refs(word, parse.escape(), RefMode::Builder).refs;
    processed.unmatched.iter().all(|name| {
        let mut of_name = refs.iter().filter(|r| r.name == *name).peekable();
        of_name.peek().is_some()
            && of_name.all(|r| {
                matches!(
                    r.modifier.as_ref().map(|m| m.kind),
                    Some(ModifierKind::UseDefault { .. })
                )
            })
    })
}

/// A link for `image` shown at `range`; when `exact`, `range` holds the reference as written
/// and the link covers only its name (registry and path).
fn link(image: &str, range: TextRange, exact: bool) -> Option<DocumentLink> {
    let parsed: ImageRef = image_ref::parse(image)?;
    let (target, site) = image_ref::registry_page(&parsed)?;
    let range = if exact {
        TextRange::at(range.start(), TextSize::from(parsed.name_len as u32))
    } else {
        range
    };
    Some(DocumentLink {
        range,
        target,
        tooltip: format!("Open {} on {site}", parsed.familiar()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::nav_fixture::{fixture, mark};

    /// The `«…»` ranges are the links, `targets` their targets in order.
    #[track_caller]
    fn check(src: &str, targets: &[&str]) {
        let f = fixture(src);
        let links = document_links(&f.parse, &f.model);
        let ranges: Vec<TextRange> = links.iter().map(|l| l.range).collect();
        assert_eq!(mark(&f.text, &ranges), src);
        let got: Vec<&str> = links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(got, targets);
    }

    #[test]
    fn images_in_from_copy_and_mounts() {
        check(
            "FROM «node»:20 AS build
FROM build AS test
FROM «ghcr.io/astral-sh/uv»:0.5 AS uv
FROM scratch
COPY --from=build /a /a
COPY --from=«nginx»:1.27 /etc/nginx /etc/nginx
COPY --from=0 /b /b
RUN --mount=from=«quay.io/prometheus/busybox»,target=/bb true
ONBUILD COPY --from=«mcr.microsoft.com/dotnet/sdk»:8.0 /x /x
",
            &[
                "https://hub.docker.com/_/node",
                "https://github.com/astral-sh/uv/pkgs/container/uv",
                "https://hub.docker.com/_/nginx",
                "https://quay.io/repository/prometheus/busybox",
                "https://mcr.microsoft.com/artifact/mar/dotnet/sdk",
            ],
        );
    }

    #[test]
    fn never_stage_names_scratch_or_invalid_refs() {
        // `FROM later` names a stage defined below: BuildKit would pull it, but a link to
        // Docker Hub would only mislead.
        check(
            "FROM later\nFROM «alpine»:3 AS later\nFROM Build\nCOPY --from=scratch /a /a\n",
            &["https://hub.docker.com/_/alpine"],
        );
    }

    #[test]
    fn variables_only_when_the_expansion_is_known() {
        check(
            "ARG TAG=3.20
ARG REGISTRY
ARG NAME
FROM «alpine:${TAG}»
FROM «${REGISTRY:-docker.io}/library/node:${NODE:-22}»
FROM ${REGISTRY}alpine
FROM alpine:$NAME
FROM $NAME
",
            &[
                "https://hub.docker.com/_/alpine",
                "https://hub.docker.com/_/node",
            ],
        );
    }

    #[test]
    fn ranges_on_lines_with_cjk_and_emoji() {
        check(
            "FROM «bitnami/redis»:7 AS 建置
COPY --from=user/建置-tools /😀 /x
COPY --from=«user/tools» /😀 /建置階段😀
",
            &[
                "https://hub.docker.com/r/bitnami/redis",
                "https://hub.docker.com/r/user/tools",
            ],
        );
    }
}
