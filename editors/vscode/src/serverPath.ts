// Finds the dockerfile-lsp binary. Order: the `dockerfileLsp.server.path` setting, then a
// binary bundled in the .vsix under server/<platform>-<arch>/, then `dockerfile-lsp` on PATH.
// Pure: the file system and environment come in as arguments so tests can fake them.

import * as nodePath from 'path';

export const SERVER_NAME = 'dockerfile-lsp';
export const INSTALL_HINT = 'cargo install --path server --locked';

export interface ServerLookup {
  /** Value of `dockerfileLsp.server.path` ('' or undefined when unset). */
  setting: string | undefined;
  /** Root of the installed extension (`ExtensionContext.extensionPath`). */
  extensionPath: string;
  platform: NodeJS.Platform;
  arch: string;
  env: Readonly<Record<string, string | undefined>>;
  /** First workspace folder; relative setting values are resolved against it. */
  workspaceFolder?: string;
  homeDir?: string;
  /** True when `path` is a file we can execute (on Windows: a file that exists). */
  isExecutableFile: (path: string) => boolean;
}

export type ServerSource = 'setting' | 'bundled' | 'PATH';

export type ServerResolution =
  | { ok: true; path: string; source: ServerSource; tried: string[] }
  | { ok: false; settingProblem: boolean; tried: string[]; message: string };

export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform, arch: string): string {
  const p = pathFor(platform);
  return p.join(extensionPath, 'server', `${platform}-${arch}`, exeName(platform));
}

export function resolveServer(lookup: ServerLookup): ServerResolution {
  const tried: string[] = [];
  const check = (candidate: string): boolean => {
    tried.push(candidate);
    return lookup.isExecutableFile(candidate);
  };

  const setting = (lookup.setting ?? '').trim();
  if (setting !== '') {
    const found = resolveSetting(setting, lookup, check);
    if (found !== undefined) return { ok: true, path: found, source: 'setting', tried };
    // An explicit setting is never silently replaced by another binary: the user asked
    // for that one, and running a different version would be confusing.
    return {
      ok: false,
      settingProblem: true,
      tried,
      message:
        `Dockerfile LSP: dockerfileLsp.server.path is set to "${setting}", but no executable was found there ` +
        `(looked at ${tried.join(', ')}). Fix the setting, or clear it to use the bundled server or ` +
        `\`${SERVER_NAME}\` from PATH.`,
    };
  }

  const bundled = bundledServerPath(lookup.extensionPath, lookup.platform, lookup.arch);
  if (check(bundled)) return { ok: true, path: bundled, source: 'bundled', tried };

  const onPath = searchPath(SERVER_NAME, lookup, check);
  if (onPath !== undefined) return { ok: true, path: onPath, source: 'PATH', tried };

  return {
    ok: false,
    settingProblem: false,
    tried,
    message:
      `Dockerfile LSP: the language server \`${SERVER_NAME}\` was not found (no bundled binary for ` +
      `${lookup.platform}-${lookup.arch}, none on PATH). Install it with \`${INSTALL_HINT}\` from a checkout ` +
      `of the dockerfile-lsp repository (this puts it in ~/.cargo/bin), or set dockerfileLsp.server.path ` +
      `to the binary. Then run "Dockerfile LSP: Restart Server".`,
  };
}

function resolveSetting(setting: string, lookup: ServerLookup, check: (c: string) => boolean): string | undefined {
  const p = pathFor(lookup.platform);
  let value = setting;
  // The two substitutions users expect from VS Code settings; everything else is literal.
  if (lookup.workspaceFolder !== undefined) value = value.split('${workspaceFolder}').join(lookup.workspaceFolder);
  if (lookup.homeDir !== undefined) {
    value = value.split('${userHome}').join(lookup.homeDir);
    if (value === '~' || value.startsWith('~/') || (lookup.platform === 'win32' && value.startsWith('~\\'))) {
      value = lookup.homeDir + value.slice(1);
    }
  }

  const hasSeparator = value.includes('/') || (lookup.platform === 'win32' && value.includes('\\'));
  if (!hasSeparator && !p.isAbsolute(value)) {
    // A bare name such as "dockerfile-lsp-nightly": look it up on PATH like a shell would.
    return searchPath(value, lookup, check);
  }
  let full = value;
  if (!p.isAbsolute(full)) {
    if (lookup.workspaceFolder === undefined) return undefined;
    full = p.resolve(lookup.workspaceFolder, full);
  }
  for (const candidate of withWindowsExe(full, lookup.platform)) {
    if (check(candidate)) return candidate;
  }
  return undefined;
}

function searchPath(name: string, lookup: ServerLookup, check: (c: string) => boolean): string | undefined {
  const p = pathFor(lookup.platform);
  const raw = envValue(lookup.env, 'PATH', lookup.platform) ?? '';
  for (let dir of raw.split(p.delimiter)) {
    if (lookup.platform === 'win32') dir = dir.replace(/^"(.*)"$/, '$1');
    // Relative entries (".", "bin") would resolve against the opened folder; running a
    // binary from an untrusted checkout that way is exactly what PATH lookup must not do.
    if (dir === '' || !p.isAbsolute(dir)) continue;
    for (const candidate of withWindowsExe(p.join(dir, name), lookup.platform)) {
      if (check(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Windows needs the extension; only `.exe`, because Node cannot spawn `.cmd`/`.bat` without a shell. */
function withWindowsExe(file: string, platform: NodeJS.Platform): string[] {
  if (platform !== 'win32') return [file];
  return /\.exe$/i.test(file) ? [file] : [`${file}.exe`];
}

/** Environment variable names are case-insensitive on Windows ("Path"). */
function envValue(env: Readonly<Record<string, string | undefined>>, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

function exeName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${SERVER_NAME}.exe` : SERVER_NAME;
}

function pathFor(platform: NodeJS.Platform): nodePath.PlatformPath {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}
