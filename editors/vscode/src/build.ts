// The `docker build` command for "Build Stage…": the argument vector, the default tag, and
// quoting for the shell of the terminal it is typed into. Pure, so the quoting is tested.

import * as nodePath from 'path';

export interface BuildRequest {
  stage: string;
  tag: string;
  /** Absolute path of the Dockerfile. */
  file: string;
  /** Absolute path of the build context directory. */
  context: string;
  /** From `dockerfileLsp.buildArgs`, so the build sees what the server analysed. */
  buildArgs?: Readonly<Record<string, string>>;
}

/** argv of the build, starting with `docker`. No shell involved. */
export function buildArgv(req: BuildRequest): string[] {
  const argv = ['docker', 'build', '--target', req.stage, '--tag', req.tag];
  for (const [name, value] of Object.entries(req.buildArgs ?? {})) {
    argv.push('--build-arg', `${name}=${value}`);
  }
  argv.push('--file', req.file, req.context);
  return argv;
}

/**
 * The build context: `dockerfileLsp.context` resolved against the workspace folder, or the
 * Dockerfile's directory when the setting is empty (the server applies the same rule).
 */
export function resolveContext(
  setting: string,
  workspaceFolder: string | undefined,
  dockerfile: string,
  platform: NodeJS.Platform = process.platform,
): string {
  const p = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  const value = setting.trim();
  if (value === '') return p.dirname(dockerfile);
  if (p.isAbsolute(value)) return p.normalize(value);
  return p.resolve(workspaceFolder ?? p.dirname(dockerfile), value);
}

/**
 * `<folder>:<stage>`, made into a valid image reference: the repository part must be
 * lowercase [a-z0-9] words joined by `.`, `_`, `__` or `-`; the tag [A-Za-z0-9_.-], at most
 * 128 characters, not starting with `.` or `-`.
 */
export function defaultTag(folderName: string, stage: string): string {
  const repo =
    folderName
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/[._-]{2,}/g, '-')
      .replace(/^[._-]+|[._-]+$/g, '') || 'image';
  const tag = stage.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '').slice(0, 128) || 'latest';
  return `${repo}:${tag}`;
}

// [registry[:port]/]path[:tag] as in distribution/reference, without digests.
const REFERENCE =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;

/** undefined when `tag` is a valid `--tag` value, else a message for the input box. */
export function validateTag(tag: string): string | undefined {
  if (tag.trim() === '') return 'Enter an image name, e.g. myapp:dev';
  if (!REFERENCE.test(tag)) {
    return 'Not a valid image reference: lowercase name components separated by /, optionally :tag (letters, digits, _ . -)';
  }
  return undefined;
}

export type ShellKind = 'posix' | 'fish' | 'powershell';

/**
 * The quoting rules for the terminal's shell, from the shell's executable path. Shells we
 * cannot quote for reliably (cmd.exe, nushell, unknown) give undefined, and the caller opens
 * a terminal with a shell it knows instead of guessing.
 */
export function shellKind(shellPath: string | undefined): ShellKind | undefined {
  if (shellPath === undefined || shellPath === '') return undefined;
  const base = shellPath.replace(/^.*[\\/]/, '').toLowerCase().replace(/\.exe$/, '');
  if (['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'busybox'].includes(base)) return 'posix';
  if (base === 'fish') return 'fish';
  if (base === 'pwsh' || base === 'powershell') return 'powershell';
  return undefined;
}

// Words that need no quoting in any of the shells above: a plain flag (`--target`), or a
// word of [A-Za-z0-9_+-./:@=] that starts with a letter, digit, `_`, `/` or `.`. Left out on
// purpose: a leading `=` (zsh `=cmd` expansion), `~` (tilde expansion), `@` first
// (PowerShell splatting), `,` (a PowerShell array), `-x.y` (PowerShell splits it at the dot).
const SAFE = /^(?:--?[A-Za-z][A-Za-z0-9-]*|[A-Za-z0-9_/.][A-Za-z0-9_+\-./:@=]*)$/;

export function quoteArg(arg: string, kind: ShellKind): string {
  if (SAFE.test(arg)) return arg;
  switch (kind) {
    case 'posix':
      // Inside '…' nothing is special; a ' ends the string, so write it as '\''.
      return `'${arg.replace(/'/g, `'\\''`)}'`;
    case 'fish':
      // fish also treats \\ and \' as escapes inside single quotes.
      return `'${arg.replace(/[\\']/g, (c) => `\\${c}`)}'`;
    case 'powershell':
      // PowerShell single quotes: only the quote itself (including the typographic
      // variants PowerShell also accepts) is special and is doubled.
      return `'${arg.replace(/['\u2018\u2019\u201A\u201B]/g, (c) => c + c)}'`;
  }
}

export function commandLine(argv: readonly string[], kind: ShellKind): string {
  const quoted = argv.map((a) => quoteArg(a, kind));
  // PowerShell runs a quoted first word only through the call operator.
  if (kind === 'powershell' && quoted.length > 0 && quoted[0] !== argv[0]) quoted[0] = `& ${quoted[0]}`;
  return quoted.join(' ');
}
