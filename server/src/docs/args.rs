//! ARGs that exist without an `ARG` instruction: the automatic platform ARGs
//! (`dockerfile2llb/platform.go`), the proxy ARGs, BuildKit's own build args
//! (`frontend/dockerui/config.go`, `dockerfile2llb/convert.go`) and `SOURCE_DATE_EPOCH`.

use super::PredefinedArg;
use super::PredefinedArgKind::{BuildKit, Platform, Proxy, SourceDateEpoch};

const PLATFORM_URL: &str =
    "https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope";
const PROXY_URL: &str = "https://docs.docker.com/reference/dockerfile/#predefined-args";
const BUILTIN_URL: &str =
    "https://docs.docker.com/reference/dockerfile/#buildkit-built-in-build-args";
const SBOM_URL: &str = "https://docs.docker.com/build/metadata/attestations/sbom/";

const PROXY_DOC: &str = "Proxy setting passed with `--build-arg`, usable in `RUN` without an \
                         `ARG` line. Unless the Dockerfile declares it, the value is left out \
                         of the image history and of the cache key, so credentials in a proxy \
                         URL do not leak and a changed proxy does not invalidate the cache.";

pub(super) static PREDEFINED_ARGS: [PredefinedArg; 32] = [
    PredefinedArg {
        name: "TARGETPLATFORM",
        doc: "Platform the build produces, e.g. `linux/amd64` or `linux/arm/v7` (set by \
              `docker build --platform`). Global: declare `ARG TARGETPLATFORM` inside a \
              stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "TARGETOS",
        doc: "OS part of `TARGETPLATFORM`, e.g. `linux` or `windows`. Global: re-declare it \
              in a stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "TARGETARCH",
        doc: "Architecture part of `TARGETPLATFORM`, e.g. `amd64` or `arm64`. Global: \
              re-declare it in a stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "TARGETVARIANT",
        doc: "Variant part of `TARGETPLATFORM`, e.g. `v7` for `linux/arm/v7`; often empty. \
              Global: re-declare it in a stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "TARGETOSVERSION",
        doc: "OS version part of `TARGETPLATFORM` (mainly for Windows targets); usually \
              empty. Set by BuildKit since frontend 1.13 but not listed in the reference. \
              Global: re-declare it in a stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "BUILDPLATFORM",
        doc: "Platform of the machine running the build, e.g. `linux/amd64`. Use \
              `FROM --platform=$BUILDPLATFORM` for stages that should run natively and \
              cross-compile. Global: re-declare it in a stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "BUILDOS",
        doc: "OS part of `BUILDPLATFORM`. Global: re-declare it in a stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "BUILDARCH",
        doc: "Architecture part of `BUILDPLATFORM`. Global: re-declare it in a stage to use \
              it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "BUILDVARIANT",
        doc: "Variant part of `BUILDPLATFORM`; often empty. Global: re-declare it in a stage \
              to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "BUILDOSVERSION",
        doc: "OS version part of `BUILDPLATFORM`; usually empty. Set by BuildKit since \
              frontend 1.13 but not listed in the reference. Global: re-declare it in a \
              stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "TARGETSTAGE",
        doc: "Name of the stage being built (`--target`), or `default` when none was \
              chosen. Set by BuildKit since frontend 1.11 but not listed in the reference. \
              Global: re-declare it in a stage to use it there.",
        kind: Platform,
        url: PLATFORM_URL,
    },
    PredefinedArg {
        name: "HTTP_PROXY",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "http_proxy",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "HTTPS_PROXY",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "https_proxy",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "FTP_PROXY",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "ftp_proxy",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "NO_PROXY",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "no_proxy",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "ALL_PROXY",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "all_proxy",
        doc: PROXY_DOC,
        kind: Proxy,
        url: PROXY_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_BUILD_NAME",
        doc: "Name shown for this build in `docker buildx history` and in Docker \
              Desktop's Builds view, instead of the generated one.",
        kind: BuildKit,
        url: BUILTIN_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_CACHE_MOUNT_NS",
        doc: "Namespace prepended to every cache mount ID, so that projects sharing a \
              builder do not share `RUN --mount=type=cache` directories.",
        kind: BuildKit,
        url: BUILTIN_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_CONTEXT_KEEP_GIT_DIR",
        doc: "Bool. When the build context is a Git repository, keep its `.git` directory \
              (it is left out by default), e.g. so a step can run `git rev-parse`.",
        kind: BuildKit,
        url: BUILTIN_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_INLINE_CACHE",
        doc: "Bool. Store cache metadata inside the image config, so the pushed image can \
              later serve as a `--cache-from` source.",
        kind: BuildKit,
        url: BUILTIN_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_MULTI_PLATFORM",
        doc: "Bool. Produce the multi-platform output shape (an image index) even when \
              building for a single platform, so results are the same either way.",
        kind: BuildKit,
        url: BUILTIN_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_SANDBOX_HOSTNAME",
        doc: "Host name seen by `RUN` commands; `buildkitsandbox` by default.",
        kind: BuildKit,
        url: BUILTIN_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_SYNTAX",
        doc: "Frontend image to build with, overriding the `# syntax=` directive. The value \
              `dockerfile.v0` forces the frontend built into BuildKit.",
        kind: BuildKit,
        url: BUILTIN_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_DOCKERFILE_CHECK",
        doc: "Build-check settings in the same format as the `# check=` directive (e.g. \
              `skip=StageNameCasing;error=true`), combined with it. Since frontend 1.8.",
        kind: BuildKit,
        url: "https://docs.docker.com/reference/dockerfile/#check",
    },
    PredefinedArg {
        name: "BUILDKIT_SBOM_SCAN_CONTEXT",
        doc: "When SBOM attestations are generated, also scan the build context: `true`, \
              `false`, or a comma-separated list of stage names. Declare it as an `ARG` \
              (globally or in a stage) to opt in; it is not a normal variable.",
        kind: BuildKit,
        url: SBOM_URL,
    },
    PredefinedArg {
        name: "BUILDKIT_SBOM_SCAN_STAGE",
        doc: "When SBOM attestations are generated, also scan intermediate stages: `true`, \
              `false`, or a comma-separated list of stage names. Declare it as an `ARG` \
              (globally or in a stage) to opt in; it is not a normal variable.",
        kind: BuildKit,
        url: SBOM_URL,
    },
    PredefinedArg {
        name: "SOURCE_DATE_EPOCH",
        doc: "Unix timestamp (seconds) used as the image creation time and for history, \
              for reproducible builds (frontend 1.5+). Since 1.23 a global `ARG` default \
              can set it; since 1.24 the value may also be `context` (use the time the \
              build context's source records, such as a Git commit), a named context, or \
              a stage that is `FROM scratch` with a single remote `ADD` (HTTP or Git).",
        kind: SourceDateEpoch,
        url: BUILTIN_URL,
    },
];
