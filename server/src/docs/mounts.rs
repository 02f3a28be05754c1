//! `RUN --mount` types and keys, from BuildKit's `instructions/commands_runmount.go`
//! (parsing) and `dockerfile2llb/convert_{runmount,secrets,ssh}.go` (what each key does).
//!
//! `types` follows the reference tables (what each type documents); `invalid_for` lists
//! the types for which BuildKit fails the build. Every key dates from the experimental
//! `RUN --mount` and so is stable since 1.2, except `size` (1.4) and `env` (1.10).

use super::{FrontendVersion, MountOption, MountType, ValueInfo, v};

const ALL_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];

pub(super) static MOUNT_TYPES: [MountType; 5] = [
    MountType {
        name: "bind",
        doc: "The default type. Makes a directory or file from the build context, or from \
              `from=` (a stage, image or named context), visible to the command without \
              copying it into a layer. Read-only unless `rw` is given; anything written \
              is thrown away after the step.",
        required: &["target"],
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypebind",
    },
    MountType {
        name: "cache",
        doc: "A directory that persists between builds on the same builder, for \
              compiler and package-manager caches (`/root/.cache/go-build`, \
              `/var/cache/apt`, …). Writable; its contents never become part of the \
              image. Caches are keyed by `id` (default: the target path), and `sharing` \
              controls concurrent use.",
        required: &["target"],
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypecache",
    },
    MountType {
        name: "tmpfs",
        doc: "An empty in-memory filesystem for scratch data, gone after the step. \
              `size` caps how much it may hold.",
        required: &["target"],
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypetmpfs",
    },
    MountType {
        name: "secret",
        doc: "Makes a build secret (passed with `docker build --secret id=…`) available \
              to this step only, as a file (by default `/run/secrets/<id>`) and/or, \
              with `env=`, as an environment variable. It is never written to a layer \
              or the build cache. A missing secret is skipped silently unless \
              `required` is set.",
        required: &[],
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypesecret",
    },
    MountType {
        name: "ssh",
        doc: "Forwards an SSH agent or keys from the client (`docker build --ssh \
              default`) as a socket, so steps such as `git clone` over SSH can \
              authenticate without the key entering the image. `SSH_AUTH_SOCK` is set to \
              the first such socket unless the step already defines it.",
        required: &[],
        url: "https://docs.docker.com/reference/dockerfile/#run---mounttypessh",
    },
];

const fn bool_values(since: FrontendVersion) -> [ValueInfo; 2] {
    [
        ValueInfo {
            value: "true",
            doc: "Turn the option on; the same as writing the key alone.",
            since,
        },
        ValueInfo {
            value: "false",
            doc: "Turn the option off.",
            since,
        },
    ]
}

pub(super) static MOUNT_OPTIONS: [MountOption; 14] = [
    MountOption {
        name: "type",
        aliases: &[],
        types: ALL_TYPES,
        invalid_for: &[],
        bare_allowed: false,
        doc: "The kind of mount: `bind` (the default), `cache`, `tmpfs`, `secret` or \
              `ssh`. Write it first: BuildKit reads the keys in order, so `required` or \
              `size` before `type=` is checked against the default `bind` type and rejected.",
        values: &[
            ValueInfo {
                value: "bind",
                doc: "Files from the context, a stage or an image, read-only by default.",
                since: v(1, 2),
            },
            ValueInfo {
                value: "cache",
                doc: "A persistent, writable cache directory kept between builds.",
                since: v(1, 2),
            },
            ValueInfo {
                value: "tmpfs",
                doc: "An empty in-memory filesystem for the step.",
                since: v(1, 2),
            },
            ValueInfo {
                value: "secret",
                doc: "A build secret as a file or environment variable.",
                since: v(1, 2),
            },
            ValueInfo {
                value: "ssh",
                doc: "A socket to the client's SSH agent.",
                since: v(1, 2),
            },
        ],
        since: v(1, 2),
    },
    MountOption {
        name: "from",
        aliases: &[],
        types: &["bind", "cache"],
        invalid_for: &["secret"],
        bare_allowed: false,
        doc: "Where the mounted files come from: a stage name, an image reference or a \
              named context. For `bind` the default is the build context; for `cache` \
              it seeds a new cache (default: empty). A stage must be defined before \
              the step that mounts it. Variables are not expanded here; define an \
              alias stage instead.",
        values: &[],
        since: v(1, 2),
    },
    MountOption {
        name: "source",
        aliases: &["src"],
        types: &["bind", "cache"],
        invalid_for: &["ssh"],
        bare_allowed: false,
        doc: "Path inside `from` (or the build context) to mount; default: its root. On a \
              `secret` mount it is accepted as another way to give the secret's ID and \
              cannot be combined with `id`.",
        values: &[],
        since: v(1, 2),
    },
    MountOption {
        name: "target",
        aliases: &["dst", "destination"],
        types: ALL_TYPES,
        invalid_for: &[],
        bare_allowed: false,
        doc: "Where the mount appears in the container. A relative path starts from the \
              current `WORKDIR`. Needed for `bind`, `cache` and `tmpfs`; optional for \
              `secret` (default `/run/secrets/<id>`, or no file at all when `env` is \
              set) and `ssh` (default `/run/buildkit/ssh_agent.<n>`).",
        values: &[],
        since: v(1, 2),
    },
    MountOption {
        name: "readonly",
        aliases: &["ro"],
        types: &["cache"],
        invalid_for: &[],
        bare_allowed: true,
        doc: "Mount read-only. Cache mounts are writable by default; bind mounts are \
              already read-only.",
        values: &bool_values(v(1, 2)),
        since: v(1, 2),
    },
    MountOption {
        name: "readwrite",
        aliases: &["rw"],
        types: &["bind"],
        invalid_for: &[],
        bare_allowed: true,
        doc: "Let the command write into a bind mount. The writes are discarded after the \
              step and never reach the image or the source.",
        values: &bool_values(v(1, 2)),
        since: v(1, 2),
    },
    MountOption {
        name: "id",
        aliases: &[],
        types: &["cache", "secret", "ssh"],
        invalid_for: &[],
        bare_allowed: false,
        doc: "Identifies what to mount. For `cache`, mounts with the same ID share one \
              cache (default: the target path). For `secret`, the secret's ID as passed to \
              `--secret id=…` (default: the file name of `target`). For `ssh`, the agent \
              or key ID as passed to `--ssh` (default `default`).",
        values: &[],
        since: v(1, 2),
    },
    MountOption {
        name: "sharing",
        aliases: &[],
        types: &["cache"],
        invalid_for: &["bind", "tmpfs", "secret", "ssh"],
        bare_allowed: false,
        doc: "What happens when several builds use the same cache at once. Default \
              `shared`.",
        values: &[
            ValueInfo {
                value: "shared",
                doc: "Every concurrent user mounts the same directory (the default).",
                since: v(1, 2),
            },
            ValueInfo {
                value: "private",
                doc: "A concurrent user gets a separate, new cache directory.",
                since: v(1, 2),
            },
            ValueInfo {
                value: "locked",
                doc: "A concurrent user waits until the current one is done.",
                since: v(1, 2),
            },
        ],
        since: v(1, 2),
    },
    MountOption {
        name: "required",
        aliases: &[],
        types: &["secret", "ssh"],
        invalid_for: &["bind", "cache", "tmpfs"],
        bare_allowed: true,
        doc: "Fail the build when the secret or SSH agent was not provided, instead of \
              running the step without it. Default `false`.",
        values: &bool_values(v(1, 2)),
        since: v(1, 2),
    },
    MountOption {
        name: "size",
        aliases: &[],
        types: &["tmpfs"],
        invalid_for: &["bind", "cache", "secret", "ssh"],
        bare_allowed: false,
        doc: "Upper limit for a tmpfs mount, as bytes or with a unit (`64m`, `1g`).",
        values: &[],
        since: v(1, 4),
    },
    MountOption {
        name: "mode",
        aliases: &[],
        types: &["cache", "secret", "ssh"],
        invalid_for: &["bind", "tmpfs"],
        bare_allowed: false,
        doc: "Permission bits in octal: for a new cache directory (default `0755`), the \
              secret file (default `0400`) or the SSH socket (default `0600`).",
        values: &[],
        since: v(1, 2),
    },
    MountOption {
        name: "uid",
        aliases: &[],
        types: &["cache", "secret", "ssh"],
        invalid_for: &["bind", "tmpfs"],
        bare_allowed: false,
        doc: "Numeric owner of the new cache directory, secret file or SSH socket. \
              Default `0`.",
        values: &[],
        since: v(1, 2),
    },
    MountOption {
        name: "gid",
        aliases: &[],
        types: &["cache", "secret", "ssh"],
        invalid_for: &["bind", "tmpfs"],
        bare_allowed: false,
        doc: "Numeric group of the new cache directory, secret file or SSH socket. \
              Default `0`.",
        values: &[],
        since: v(1, 2),
    },
    MountOption {
        name: "env",
        aliases: &[],
        types: &["secret"],
        invalid_for: &[],
        bare_allowed: false,
        doc: "Expose the secret as this environment variable for the step. Without \
              `target` the secret is then not written to a file at all; with both it is \
              available both ways.",
        values: &[],
        since: v(1, 10),
    },
];
