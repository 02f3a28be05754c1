//! Parser directives (`parser/directives.go`): `syntax`, `escape`, `check`.

use super::{DirectiveInfo, v};

pub(super) static DIRECTIVES: [DirectiveInfo; 3] = [
    DirectiveInfo {
        name: "syntax",
        doc: r#"Chooses the Dockerfile frontend (the parser and converter) that builds this file, given as an image reference. `docker/dockerfile:1` follows the newest 1.x stable release, `docker/dockerfile:1.N` pins a minor version, and a `-labs` suffix (`docker/dockerfile:1-labs`) adds features that are not stable yet. Without it, the frontend bundled with your BuildKit or Docker Engine is used, which may be older.

The language server uses this pin to decide which flags and checks are available. Like every directive it must sit in the block of `# key=value` lines at the very top of the file, and may appear only once. The `BUILDKIT_SYNTAX` build arg overrides it.

```dockerfile
# syntax=docker/dockerfile:1
```"#,
        url: "https://docs.docker.com/reference/dockerfile/#syntax",
        since: v(1, 0),
    },
    DirectiveInfo {
        name: "escape",
        doc: r#"Sets the file's escape character: `\` (the default) or a backtick. It escapes the next character and, as the last character of a line, continues the instruction on the next line. A backtick suits Windows images, where a path such as `C:\app\` at the end of a line would otherwise join two instructions. In `RUN` commands it only matters at the end of a line; the shell deals with the rest.

```dockerfile
# escape=`
```"#,
        url: "https://docs.docker.com/reference/dockerfile/#escape",
        since: v(1, 0),
    },
    DirectiveInfo {
        name: "check",
        doc: r#"Configures BuildKit's build checks for this file, with up to three options separated by `;`:

- `skip=<Rule>,<Rule>` or `skip=all` turns checks off;
- `error=true` makes the build fail when any check reports something;
- `experimental=<Rule>,<Rule>` or `experimental=all` turns on experimental checks.

Rule names are case-sensitive. The same text can also be passed as the `BUILDKIT_DOCKERFILE_CHECK` build arg. Since frontend 1.21, a `# check=skip=<Rule>` comment right above an instruction silences the rule for that instruction only. With `error=true`, pin `syntax` to a version, or a later frontend with new checks may break the build.

```dockerfile
# check=skip=JSONArgsRecommended;error=true
```"#,
        url: "https://docs.docker.com/reference/dockerfile/#check",
        since: v(1, 8),
    },
];
