//! The 18 instructions BuildKit's parser knows (`instructions/parse.go`), alphabetically.

use super::InstructionInfo;
use super::flags::{ADD_FLAGS, COPY_FLAGS, FROM_FLAGS, HEALTHCHECK_FLAGS, RUN_FLAGS};

pub(super) static INSTRUCTIONS: [InstructionInfo; 18] = [
    InstructionInfo {
        name: "ADD",
        summary: "Copy files, URLs or Git repositories into the image; local archives are extracted.",
        doc: r#"Adds files to the image from the build context, an HTTP(S) URL or a Git repository, placing them at `<dest>` (a relative destination starts from the current `WORKDIR`). Local tar archives are extracted on the way in; downloaded files are stored as they are unless `--unpack` says otherwise.

For plain files from the context prefer `COPY`, which does nothing implicit. Use `ADD` for remote sources, and pin them with `--checksum` so a changed download cannot slip into the image. With several sources the destination must end in `/`; use the JSON form for paths containing spaces.

```dockerfile
ADD --checksum=sha256:<digest> https://example.com/tool.tar.gz /opt/
ADD https://github.com/moby/buildkit.git#v0.20.0 /src/buildkit
```"#,
        signatures: &[
            "ADD [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--checksum=<hash>] [--keep-git-dir] [--unpack] [--exclude=<pattern>...] <src>... <dest>",
            r#"ADD [OPTIONS] ["<src>", ... "<dest>"]"#,
            "ADD [OPTIONS] <<EOF <dest>",
        ],
        flags: ADD_FLAGS,
        url: "https://docs.docker.com/reference/dockerfile/#add",
        creates_layer: true,
        snippet: "ADD ${1:src} ${2:dest}",
        parses_flags: true,
        heredocs: true,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "ARG",
        summary: "Declare a build argument, optionally with a default value.",
        doc: r#"Declares a variable whose value can be chosen at build time with `--build-arg <name>=<value>`. It exists from the declaring line to the end of the stage and is not kept in the image's environment (that is what `ENV` is for). One line may declare several names.

An `ARG` before the first `FROM` is global: only `FROM` lines see it. To use it inside a stage, declare it again there without a value; it then takes the global default or the value passed on the command line. The automatic platform ARGs (`TARGETARCH`, `BUILDPLATFORM`, …) behave the same way.

Build arguments end up in the image history and provenance, so never pass secrets through them; mount them with `RUN --mount=type=secret` instead.

```dockerfile
ARG VERSION=1.27
FROM nginx:${VERSION}
ARG VERSION
RUN echo "built from $VERSION" > /version.txt
```"#,
        signatures: &["ARG <name>[=<default>] [<name>[=<default>]...]"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#arg",
        creates_layer: false,
        snippet: "ARG ${1:name}",
        parses_flags: false,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "CMD",
        summary: "Set the container's default command, or default arguments for ENTRYPOINT.",
        doc: r#"Says what a container runs when it is started without a command. It has no effect on the build, and only the last `CMD` of a stage counts.

Prefer the JSON (exec) form, so the program runs as PID 1 and receives stop signals itself; the shell form wraps it in `/bin/sh -c` (see `JSONArgsRecommended`). When an `ENTRYPOINT` is set, `CMD` provides its default arguments instead, and both should then use the JSON form. JSON strings need double quotes.

```dockerfile
CMD ["nginx", "-g", "daemon off;"]
```"#,
        signatures: &[
            r#"CMD ["<executable>", "<param>"...]"#,
            r#"CMD ["<param>"...]"#,
            "CMD <command> <param>...",
        ],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#cmd",
        creates_layer: false,
        snippet: r#"CMD ["${1:executable}"]"#,
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "COPY",
        summary: "Copy files from the build context, another stage or an image into the image.",
        doc: r#"Copies `<src>` paths to `<dest>` in the image. Sources are relative to the build context (after `.dockerignore` filtering) unless `--from` names a stage, an image or a named context. Wildcards are allowed, and a directory source copies its contents rather than the directory itself. A relative `<dest>` starts from the current `WORKDIR`; with several sources it must end in `/`.

New files belong to root unless `--chown` is given. `--link` keeps the layer independent of earlier ones, which helps caching, and a heredoc source writes a small file inline. Use the JSON form for paths containing spaces.

```dockerfile
COPY package.json package-lock.json ./
COPY --from=build --chown=app:app /out/app /usr/local/bin/app
```"#,
        signatures: &[
            "COPY [--from=<stage|image|context>] [--chown=<user>:<group>] [--chmod=<perms>] [--link] [--parents] [--exclude=<pattern>...] <src>... <dest>",
            r#"COPY [OPTIONS] ["<src>", ... "<dest>"]"#,
            "COPY [OPTIONS] <<EOF <dest>",
        ],
        flags: COPY_FLAGS,
        url: "https://docs.docker.com/reference/dockerfile/#copy",
        creates_layer: true,
        snippet: "COPY ${1:src} ${2:dest}",
        parses_flags: true,
        heredocs: true,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "ENTRYPOINT",
        summary: "Set the program the container runs; CMD and run-time arguments are passed to it.",
        doc: r#"Makes the container behave like one program: `docker run <image> <args>` appends `<args>` to the entrypoint, and without arguments `CMD` supplies them. Only the last `ENTRYPOINT` of a stage counts. Setting it also drops a `CMD` inherited from the base image (a `CMD` set earlier in the same stage stays).

Use the JSON (exec) form. In the shell form the program runs under `/bin/sh -c`: it is not PID 1, does not get the stop signal from `docker stop`, and ignores both `CMD` and run-time arguments. An empty array, `ENTRYPOINT []`, clears an inherited entrypoint.

```dockerfile
ENTRYPOINT ["/usr/bin/tini", "--", "app"]
CMD ["--port", "8080"]
```"#,
        signatures: &[
            r#"ENTRYPOINT ["<executable>", "<param>"...]"#,
            "ENTRYPOINT <command> <param>...",
        ],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#entrypoint",
        creates_layer: false,
        snippet: r#"ENTRYPOINT ["${1:executable}"]"#,
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "ENV",
        summary: "Set environment variables for later instructions and for the running container.",
        doc: r#"Sets one or more environment variables. They apply to the rest of the stage, carry over to stages built `FROM` it, and are saved in the image, so containers start with them. Values may be quoted and may use other variables; every reference on one `ENV` line sees the values from before that line.

Write `key=value` pairs. The old `ENV key value` form (a single variable whose value is the rest of the line) still works but is reported by `LegacyKeyValueFormat`. For a value only the build needs, prefer `ARG` or set it on the `RUN` line, so that it does not stay in the image.

```dockerfile
ENV NODE_ENV=production \
    PATH="/app/node_modules/.bin:$PATH"
```"#,
        signatures: &["ENV <key>=<value> [<key>=<value>...]", "ENV <key> <value>"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#env",
        creates_layer: false,
        snippet: "ENV ${1:key}=${2:value}",
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "EXPOSE",
        summary: "Document the network ports the container listens on.",
        doc: r#"Records which ports the application listens on, as `<port>` or `<port>/<protocol>` with `tcp` (the default), `udp` or `sctp`; ranges such as `8000-8010` are allowed. It is metadata only and publishes nothing: `docker run -p` publishes a port, and `-P` publishes every exposed port on a random host port.

Write protocols in lower case (`ExposeProtoCasing`) and leave host ports and addresses to `docker run`: `EXPOSE 8080:80` is still tolerated but reported by `ExposeInvalidFormat`.

```dockerfile
EXPOSE 80 443/tcp 53/udp
```"#,
        signatures: &["EXPOSE <port>[/<protocol>] [<port>[/<protocol>]...]"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#expose",
        creates_layer: false,
        snippet: "EXPOSE ${1:port}",
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "FROM",
        summary: "Start a build stage from a base image, an earlier stage, or scratch.",
        doc: r#"Begins a new build stage; everything up to the next `FROM` builds on its base. The base is an image reference (`name[:tag][@digest]`, with `latest` assumed when neither is given), the name of an earlier stage, or `scratch` for an empty filesystem. Only `ARG` may come before the first `FROM`, and those global ARGs can be used in the image reference and in `--platform`.

`AS <name>` names the stage, so later `FROM`, `COPY --from` and `RUN --mount=from=` can refer to it and `docker build --target <name>` can stop there. Names start with a letter and contain letters, digits, `-`, `_` and `.`; write them in lower case (`StageNameCasing`).

```dockerfile
FROM golang:1.24 AS build
FROM --platform=$BUILDPLATFORM alpine:3.21 AS tools
FROM scratch
```"#,
        signatures: &["FROM [--platform=<platform>] <image>[:<tag>][@<digest>] [AS <name>]"],
        flags: FROM_FLAGS,
        url: "https://docs.docker.com/reference/dockerfile/#from",
        creates_layer: false,
        snippet: "FROM ${1:image}",
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: false,
        deprecated: false,
    },
    InstructionInfo {
        name: "HEALTHCHECK",
        summary: "Tell the container runtime how to check that the container still works.",
        doc: r#"Defines a command the runtime runs inside the container at intervals. Exit status 0 means healthy and 1 unhealthy (2 is reserved). The status starts as `starting`; after `--retries` failures in a row it becomes `unhealthy`. A short excerpt of the check's output is kept for `docker inspect`.

Options go between `HEALTHCHECK` and `CMD`, and the command may be in shell or JSON form. `HEALTHCHECK NONE` switches off a check inherited from the base image. Only the last `HEALTHCHECK` of a stage counts.

```dockerfile
HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
  CMD curl -fsS http://localhost:8080/health || exit 1
```"#,
        signatures: &[
            "HEALTHCHECK [--interval=<duration>] [--timeout=<duration>] [--start-period=<duration>] [--start-interval=<duration>] [--retries=<n>] CMD <command>",
            "HEALTHCHECK NONE",
        ],
        flags: HEALTHCHECK_FLAGS,
        url: "https://docs.docker.com/reference/dockerfile/#healthcheck",
        creates_layer: false,
        snippet: "HEALTHCHECK CMD ${1:command}",
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "LABEL",
        summary: "Add key/value metadata to the image.",
        doc: r#"Attaches metadata to the image as `key=value` pairs, several per line if you like. Quote values that contain spaces; variables are expanded. Labels of the base image are inherited, and a later label with the same key replaces the earlier one. `docker image inspect` shows them.

For common facts (source, version, licence, authors) use the OCI keys `org.opencontainers.image.*`. The legacy `LABEL key value` form is reported by `LegacyKeyValueFormat`.

```dockerfile
LABEL org.opencontainers.image.source="https://github.com/example/app" \
      org.opencontainers.image.licenses="MIT"
```"#,
        signatures: &["LABEL <key>=<value> [<key>=<value>...]"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#label",
        creates_layer: false,
        snippet: r#"LABEL ${1:key}="${2:value}""#,
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "MAINTAINER",
        summary: "Deprecated: set the image's author field.",
        doc: r#"Fills in the `Author` field of the image. The instruction is deprecated and reported by `MaintainerDeprecated`; record the author in a label instead, which is what current tooling reads:

```dockerfile
LABEL org.opencontainers.image.authors="team@example.com"
```"#,
        signatures: &["MAINTAINER <name>"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#maintainer-deprecated",
        creates_layer: false,
        snippet: "MAINTAINER ${1:name}",
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: false,
        deprecated: true,
    },
    InstructionInfo {
        name: "ONBUILD",
        summary: "Store an instruction to run when another build uses this image as its base.",
        doc: r#"Saves an instruction in the image instead of running it. When another Dockerfile starts `FROM` this image, the saved instructions run right after that `FROM`, in the order they were added. This suits base images that build an application the downstream project supplies.

Any instruction except `FROM`, `MAINTAINER` and `ONBUILD` itself can be stored. Since frontend 1.11 a stored `COPY --from` or `RUN --mount=from=` may name a stage of the downstream Dockerfile. Triggers fire only one level down: images built from the child do not run them again.

```dockerfile
ONBUILD COPY . /app/src
ONBUILD RUN make -C /app/src
```"#,
        signatures: &["ONBUILD <INSTRUCTION> <arguments>"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#onbuild",
        creates_layer: false,
        snippet: "ONBUILD ${1:INSTRUCTION}",
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: false,
        deprecated: false,
    },
    InstructionInfo {
        name: "RUN",
        summary: "Run a command at build time and save the result as a new layer.",
        doc: r#"Executes a command during the build and stores its filesystem changes as a layer. The shell form goes through the stage's shell (`/bin/sh -c` unless `SHELL` changed it); the JSON form starts the program directly, with no variable expansion. A heredoc (`RUN <<EOF`) holds a multi-line script.

The step is cached: it is reused as long as its text and everything before it are unchanged, even when the command would now fetch something newer. Flags add mounts (caches, secrets, SSH agents, files from other stages) and choose the network and sandbox.

```dockerfile
RUN --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y --no-install-recommends curl
RUN <<EOF
set -eu
make build
EOF
```"#,
        signatures: &[
            "RUN [--mount=<mount>...] [--network=<default|none|host>] [--security=<sandbox|insecure>] [--device=<name>...] <command>",
            r#"RUN [OPTIONS] ["<executable>", "<param>"...]"#,
            "RUN [OPTIONS] <<EOF",
        ],
        flags: RUN_FLAGS,
        url: "https://docs.docker.com/reference/dockerfile/#run",
        creates_layer: true,
        snippet: "RUN ${1:command}",
        parses_flags: true,
        heredocs: true,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "SHELL",
        summary: "Change the shell used by shell-form RUN, CMD and ENTRYPOINT.",
        doc: r#"Replaces the shell (`["/bin/sh", "-c"]` on Linux, `["cmd", "/S", "/C"]` on Windows) that shell-form instructions after it use. It must be written in JSON form. It may appear several times, each one affecting what follows, and it is saved in the image, so child images inherit it.

A common use is a stricter bash, so that a failure anywhere in a pipeline fails the step:

```dockerfile
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | bash
```"#,
        signatures: &[r#"SHELL ["<executable>", "<param>"...]"#],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#shell",
        creates_layer: false,
        snippet: r#"SHELL ["${1:/bin/bash}", "${2:-c}"]"#,
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "STOPSIGNAL",
        summary: "Set the signal that asks the container to stop.",
        doc: r#"Chooses the signal `docker stop` (and the daemon, when it stops containers) sends to the main process before falling back to `SIGKILL`. Give a name such as `SIGQUIT` or a number such as `3`; without it `SIGTERM` is used. Signals from the keyboard (Ctrl+C) are not affected, and `docker run --stop-signal` overrides it per container.

```dockerfile
STOPSIGNAL SIGQUIT
```"#,
        signatures: &["STOPSIGNAL <signal>"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#stopsignal",
        creates_layer: false,
        snippet: "STOPSIGNAL ${1:SIGTERM}",
        parses_flags: false,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "USER",
        summary: "Set the user (and group) for later instructions and for the container.",
        doc: r#"Changes the user that runs the following `RUN` instructions and the container's processes. Give a name or a numeric UID, optionally followed by `:<group>` or `:<GID>`. A name must exist in the image's `/etc/passwd`; a number needs no entry. Without a group, the user's primary group is used (root if there is none).

`COPY` and `ADD` do not follow `USER`: their files belong to root unless `--chown` is given. Create the account first, then switch to it:

```dockerfile
RUN groupadd --system app && useradd --system --gid app app
USER app
```"#,
        signatures: &["USER <user>[:<group>]", "USER <UID>[:<GID>]"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#user",
        creates_layer: false,
        snippet: "USER ${1:user}",
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "VOLUME",
        summary: "Declare paths whose data lives in a volume rather than the container's layer.",
        doc: r#"Marks paths as mount points for volumes: each new container gets an anonymous volume there (unless one is mounted explicitly), so the data outlives the container and bypasses its writable layer. Give a JSON array or paths separated by spaces; variables are expanded. A Dockerfile cannot choose a host directory; that is decided at `docker run` time.

With BuildKit, changes that later build steps make under a declared path are kept in the image (the legacy builder dropped them).

```dockerfile
VOLUME /var/lib/postgresql/data
```"#,
        signatures: &[r#"VOLUME ["<path>"...]"#, "VOLUME <path> [<path>...]"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#volume",
        creates_layer: false,
        snippet: r#"VOLUME ["${1:/data}"]"#,
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
    InstructionInfo {
        name: "WORKDIR",
        summary: "Set the working directory for later instructions and for the container.",
        doc: r#"Sets the directory in which the following `RUN`, `CMD`, `ENTRYPOINT`, `COPY` and `ADD` work, creating it if it does not exist. A relative path is taken from the previous `WORKDIR`, which may come from the base image; variables are expanded, `~` is not.

Use absolute paths: a relative first `WORKDIR` depends on whatever the base image chose and is reported by `WorkdirRelativePath`. Prefer `WORKDIR` to `RUN cd …`, whose effect ends with that `RUN`.

```dockerfile
WORKDIR /app
COPY . .
```"#,
        signatures: &["WORKDIR <path>"],
        flags: &[],
        url: "https://docs.docker.com/reference/dockerfile/#workdir",
        creates_layer: true,
        snippet: "WORKDIR ${1:/path}",
        parses_flags: true,
        heredocs: false,
        onbuild_trigger: true,
        deprecated: false,
    },
];
