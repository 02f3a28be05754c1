//! Instruction flags, exactly the set each `parse*` function in BuildKit's
//! `instructions/parse.go` (and the `commands_run*.go` hooks) registers.
//!
//! `since` is the first stable frontend with the flag, taken from `git tag --contains`
//! on the commit that added it or moved it out of labs (`release/labs/tags` history).
//! Flags that predate the versioned frontend (1.0) are given 1.0.

use super::{FlagInfo, FlagKind, FrontendVersion, ValueInfo, v};

/// `true` / `false` for a bool flag available since `since`.
const fn bool_values(since: FrontendVersion) -> [ValueInfo; 2] {
    [
        ValueInfo {
            value: "true",
            doc: "Turn the option on; the same as writing the flag without a value.",
            since,
        },
        ValueInfo {
            value: "false",
            doc: "Turn the option off.",
            since,
        },
    ]
}

pub(super) const FROM_FLAGS: &[FlagInfo] = &[FlagInfo {
    name: "platform",
    kind: FlagKind::String,
    since: v(1, 0),
    labs_only: false,
    labs_since: None,
    placeholder: "<platform>",
    doc: "Picks the platform variant of a multi-platform base image for this stage, \
          e.g. `linux/arm64`; without it the build's target platform is used. Global ARGs \
          are expanded, including the automatic platform ARGs, so \
          `--platform=$BUILDPLATFORM` runs the stage natively on the builder, the usual \
          way to cross-compile. A constant value is reported by \
          `FromPlatformFlagConstDisallowed`, and `$TARGETPLATFORM` by \
          `RedundantTargetPlatform`.",
    values: &[],
    url: "https://docs.docker.com/reference/dockerfile/#from",
}];

pub(super) const RUN_FLAGS: &[FlagInfo] = &[
    FlagInfo {
        name: "mount",
        kind: FlagKind::MultiString,
        since: v(1, 2),
        labs_only: false,
        labs_since: Some(v(1, 0)),
        placeholder: "[type=<type>][,<option>=<value>...]",
        doc: "Attaches a mount to the container of this one command: files from the \
              context or another stage (`bind`, the default), a persistent cache \
              directory (`cache`), an in-memory filesystem (`tmpfs`), a build secret \
              (`secret`) or an SSH agent socket (`ssh`). Nothing under the mount point \
              is saved in the layer. The value is a comma-separated list of options \
              such as `type=cache,target=/root/.cache`. Repeat the flag for several mounts.",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#run---mount",
    },
    FlagInfo {
        name: "network",
        kind: FlagKind::String,
        since: v(1, 3),
        labs_only: false,
        labs_since: Some(v(1, 1)),
        placeholder: "default|none|host",
        doc: "Chooses the network the command runs in. `none` removes network access, \
              which proves a step does not download anything; `host` shares the host's \
              network and needs the `network.host` entitlement. Any other value fails \
              the build.",
        values: &[
            ValueInfo {
                value: "default",
                doc: "The build's normal network; the same as leaving the flag out.",
                since: v(1, 3),
            },
            ValueInfo {
                value: "none",
                doc: "No network at all, apart from a loopback interface private to the command.",
                since: v(1, 3),
            },
            ValueInfo {
                value: "host",
                doc: "The host's network stack. The builder must allow the `network.host` \
                      entitlement (`--allow network.host`).",
                since: v(1, 3),
            },
        ],
        url: "https://docs.docker.com/reference/dockerfile/#run---network",
    },
    FlagInfo {
        name: "security",
        kind: FlagKind::String,
        since: v(1, 20),
        labs_only: false,
        labs_since: Some(v(1, 1)),
        placeholder: "sandbox|insecure",
        doc: "Chooses the sandbox for the command. `insecure` runs it with elevated \
              privileges, much like `docker run --privileged`, for jobs such as mounting \
              filesystems or running nested containers; the builder must allow the \
              `security.insecure` entitlement. `sandbox` is the default. Any other value \
              fails the build.",
        values: &[
            ValueInfo {
                value: "sandbox",
                doc: "The normal, confined sandbox; the same as leaving the flag out.",
                since: v(1, 20),
            },
            ValueInfo {
                value: "insecure",
                doc: "Run with all privileges. The builder must allow the \
                      `security.insecure` entitlement (`--allow security.insecure`).",
                since: v(1, 20),
            },
        ],
        url: "https://docs.docker.com/reference/dockerfile/#run---security",
    },
    FlagInfo {
        name: "device",
        kind: FlagKind::MultiString,
        since: v(1, 14),
        labs_only: true,
        labs_since: None,
        placeholder: "<name>[,required]",
        doc: "Gives the command access to a CDI (Container Device Interface) device such \
              as a GPU. The name selects the first device of a kind \
              (`vendor.com/device`), one device (`vendor.com/device=foo`), every device \
              of the kind (`vendor.com/device=*`), or the devices of a class set by \
              annotation. The device is optional unless `required` is added. Labs only \
              (`# syntax=docker/dockerfile:1-labs`); the builder must allow the `device` \
              entitlement. Repeat the flag for several devices.",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#run---device",
    },
];

const CHOWN_DOC: &str = "Sets the owner of the new files and directories, by name or numeric \
                         ID: `app`, `1000`, `app:staff`, `1000:1000`. Without it they belong \
                         to root (0:0). Names are looked up in the destination stage's \
                         `/etc/passwd` and `/etc/group`. Without a group, a user name brings \
                         its primary group and a numeric UID is reused as the GID. Variables \
                         are expanded. Not supported for Windows containers.";

const CHMOD_DOC: &str = "Sets the permission bits of the new files and directories: octal \
                         (`755`, `0644`) or, since 1.14, symbolic chmod syntax (`+x`, \
                         `u=rwX,go=rX`, where `X` adds execute only to directories and \
                         already-executable files). Variables are expanded. Not supported \
                         for Windows containers.";

const LINK_DOC: &str = "Writes the files into a layer of their own that does not depend on \
                        the layers below. The copy cannot see what is already in the image \
                        (it will not follow a symlink on the destination path, and it \
                        replaces the mode of an existing destination directory), but in \
                        return the layer stays cached when earlier instructions change and \
                        can be rebased onto a new base image without being rebuilt.";

const EXCLUDE_DOC: &str = "Leaves out sources that match the pattern, written like the \
                           sources themselves (Go `filepath.Match` wildcards, e.g. `*.md`). \
                           Matching files are skipped even when a source pattern selects \
                           them. Repeat the flag to exclude several patterns.";

pub(super) const ADD_FLAGS: &[FlagInfo] = &[
    FlagInfo {
        name: "chown",
        kind: FlagKind::String,
        since: v(1, 0),
        labs_only: false,
        labs_since: None,
        placeholder: "<user>[:<group>]",
        doc: CHOWN_DOC,
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#add---chown",
    },
    FlagInfo {
        name: "chmod",
        kind: FlagKind::String,
        since: v(1, 2),
        labs_only: false,
        labs_since: None,
        placeholder: "<perms>",
        doc: CHMOD_DOC,
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#add---chmod",
    },
    FlagInfo {
        name: "link",
        kind: FlagKind::Bool,
        since: v(1, 4),
        labs_only: false,
        labs_since: None,
        placeholder: "[=<bool>]",
        doc: LINK_DOC,
        values: &bool_values(v(1, 4)),
        url: "https://docs.docker.com/reference/dockerfile/#add---link",
    },
    FlagInfo {
        name: "keep-git-dir",
        kind: FlagKind::Bool,
        since: v(1, 6),
        labs_only: false,
        labs_since: Some(v(1, 5)),
        placeholder: "[=<bool>]",
        doc: "When the source is a Git repository, keeps its `.git` directory in the \
              result; by default only the checked-out files are added. Has no effect \
              on other sources.",
        values: &bool_values(v(1, 6)),
        url: "https://docs.docker.com/reference/dockerfile/#add---keep-git-dir",
    },
    FlagInfo {
        name: "checksum",
        kind: FlagKind::String,
        since: v(1, 6),
        labs_only: false,
        labs_since: Some(v(1, 5)),
        placeholder: "<hash>",
        doc: "Pins a remote source so the build fails if its content changes. For an \
              HTTP(S) file give the SHA-256 digest as `sha256:<hex>` (the only algorithm \
              accepted); for a Git source (since 1.17) give the commit hash or a prefix of \
              it. Variables are expanded.",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#add---checksum",
    },
    FlagInfo {
        name: "unpack",
        kind: FlagKind::Bool,
        since: v(1, 17),
        labs_only: false,
        labs_since: None,
        placeholder: "[=<bool>]",
        doc: "Decides whether tar archives (plain or compressed, e.g. gzip or bzip2) are \
              extracted into the destination. Without the flag a local archive is \
              extracted and a downloaded one is stored as a file; `--unpack` extracts a \
              download, `--unpack=false` keeps a local archive packed.",
        values: &bool_values(v(1, 17)),
        url: "https://docs.docker.com/reference/dockerfile/#add---unpack",
    },
    FlagInfo {
        name: "exclude",
        kind: FlagKind::MultiString,
        since: v(1, 19),
        labs_only: false,
        labs_since: Some(v(1, 7)),
        placeholder: "<pattern>",
        doc: EXCLUDE_DOC,
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#add---exclude",
    },
];

pub(super) const COPY_FLAGS: &[FlagInfo] = &[
    FlagInfo {
        name: "from",
        kind: FlagKind::String,
        since: v(1, 0),
        labs_only: false,
        labs_since: None,
        placeholder: "<stage|image|context>",
        doc: "Copies from somewhere other than the build context: an earlier stage (by \
              name, or by index counting from 0), an image such as `nginx:1.27`, or a \
              named context given with `--build-context`. Source paths start at the root \
              of that filesystem. The value is not variable-expanded; to choose the \
              source with an ARG, declare a stage `FROM ${IMAGE} AS src` and copy from it. \
              A stage can only be copied from after it is defined.",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#copy---from",
    },
    FlagInfo {
        name: "chown",
        kind: FlagKind::String,
        since: v(1, 0),
        labs_only: false,
        labs_since: None,
        placeholder: "<user>[:<group>]",
        doc: CHOWN_DOC,
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#copy---chown",
    },
    FlagInfo {
        name: "chmod",
        kind: FlagKind::String,
        since: v(1, 2),
        labs_only: false,
        labs_since: None,
        placeholder: "<perms>",
        doc: CHMOD_DOC,
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#copy---chmod",
    },
    FlagInfo {
        name: "link",
        kind: FlagKind::Bool,
        since: v(1, 4),
        labs_only: false,
        labs_since: None,
        placeholder: "[=<bool>]",
        doc: LINK_DOC,
        values: &bool_values(v(1, 4)),
        url: "https://docs.docker.com/reference/dockerfile/#copy---link",
    },
    FlagInfo {
        name: "parents",
        kind: FlagKind::Bool,
        since: v(1, 20),
        labs_only: false,
        labs_since: Some(v(1, 7)),
        placeholder: "[=<bool>]",
        doc: "Keeps each source's directory path under the destination instead of \
              flattening it: `COPY --parents x/a.txt y/a.txt /out/` writes \
              `/out/x/a.txt` and `/out/y/a.txt`. A `./` inside a source marks where the \
              kept path begins (`x/./y/*.txt` keeps only `y/…`), and `**` matches any \
              number of directories.",
        values: &bool_values(v(1, 20)),
        url: "https://docs.docker.com/reference/dockerfile/#copy---parents",
    },
    FlagInfo {
        name: "exclude",
        kind: FlagKind::MultiString,
        since: v(1, 19),
        labs_only: false,
        labs_since: Some(v(1, 7)),
        placeholder: "<pattern>",
        doc: EXCLUDE_DOC,
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#copy---exclude",
    },
];

pub(super) const HEALTHCHECK_FLAGS: &[FlagInfo] = &[
    FlagInfo {
        name: "interval",
        kind: FlagKind::String,
        since: v(1, 0),
        labs_only: false,
        labs_since: None,
        placeholder: "<duration>",
        doc: "Time between the end of one check and the start of the next, as a Go \
              duration (`30s`, `1m30s`). Default `30s`; `0` leaves it unset so the \
              runtime default applies; anything below `1ms` is an error.",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
    },
    FlagInfo {
        name: "timeout",
        kind: FlagKind::String,
        since: v(1, 0),
        labs_only: false,
        labs_since: None,
        placeholder: "<duration>",
        doc: "How long one check may run before it is killed and counted as a failure, \
              as a Go duration. Default `30s`; `0` leaves it unset so the runtime \
              default applies; anything below `1ms` is an error.",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
    },
    FlagInfo {
        name: "start-period",
        kind: FlagKind::String,
        since: v(1, 0),
        labs_only: false,
        labs_since: None,
        placeholder: "<duration>",
        doc: "Grace period after the container starts during which failed checks do not \
              count against `--retries`; the first success ends it early. Go duration, \
              default `0s`.",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
    },
    FlagInfo {
        name: "start-interval",
        kind: FlagKind::String,
        since: v(1, 6),
        labs_only: false,
        labs_since: None,
        placeholder: "<duration>",
        doc: "Time between checks while the start period lasts, so a slow-starting \
              service can be probed more often at first. Go duration, default `5s`. The \
              container runtime must support it (Docker Engine 25 or later).",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
    },
    FlagInfo {
        name: "retries",
        kind: FlagKind::String,
        since: v(1, 0),
        labs_only: false,
        labs_since: None,
        placeholder: "<n>",
        doc: "How many failures in a row mark the container `unhealthy`. A whole number, \
              0 or more; default `3` (`0` leaves it unset so the runtime default applies).",
        values: &[],
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
    },
];
