// Maps the extension's `dockerfileLsp.*` settings to the object the server expects under
// its configuration section `dockerfile`. No `vscode` import: the caller passes a getter,
// so the mapping is unit-tested in plain Node.

import { isSeverity, RULE_CODES, Severity } from './rules';

/** The server's settings (section `dockerfile`); the contract with the server. */
export interface ServerSettings {
  rules: Record<string, Severity>;
  buildArgs: Record<string, string>;
  target: string;
  context: string;
  cache: {
    baseline: 'disk' | 'git';
    inlayHints: boolean;
    codeLens: boolean;
  };
  formatting: {
    reindentContinuations: boolean;
  };
}

/** The server's configuration section name. */
export const SERVER_SECTION = 'dockerfile';
/** The extension's configuration section name (package.json `contributes.configuration`). */
export const EXTENSION_SECTION = 'dockerfileLsp';

export function defaultSettings(): ServerSettings {
  return {
    rules: {},
    buildArgs: {},
    target: '',
    context: '',
    cache: { baseline: 'disk', inlayHints: true, codeLens: true },
    formatting: { reindentContinuations: false },
  };
}

/** Reads one key below `dockerfileLsp`, e.g. `cache.baseline`; `undefined` when unset. */
export type SettingGetter = (key: string) => unknown;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds the server's settings from the extension's. Values of the wrong type fall back to
 * the default (VS Code does not enforce the schema on hand-edited settings.json), and each
 * dropped value is reported through `warn` so the user can find the typo in the output.
 */
export function toServerSettings(get: SettingGetter, warn: (message: string) => void = () => {}): ServerSettings {
  const out = defaultSettings();
  const key = (k: string): string => `${EXTENSION_SECTION}.${k}`;

  const rules = get('rules');
  if (isRecord(rules)) {
    for (const [code, severity] of Object.entries(rules)) {
      if (!isSeverity(severity)) {
        warn(`${key('rules')}.${code}: expected one of off|hint|info|warning|error, got ${JSON.stringify(severity)}; ignored`);
        continue;
      }
      // Unknown codes are passed on: a newer server may know them. Only warn.
      if (!RULE_CODES.includes(code)) {
        warn(`${key('rules')}.${code}: unknown rule code (passed to the server anyway)`);
      }
      out.rules[code] = severity;
    }
  } else if (rules !== undefined && rules !== null) {
    warn(`${key('rules')}: expected an object; ignored`);
  }

  const buildArgs = get('buildArgs');
  if (isRecord(buildArgs)) {
    for (const [name, value] of Object.entries(buildArgs)) {
      // `--build-arg N=1` is a string to Docker; accept numbers/booleans written unquoted.
      if (typeof value === 'string') {
        out.buildArgs[name] = value;
      } else if (typeof value === 'number' || typeof value === 'boolean') {
        out.buildArgs[name] = String(value);
      } else {
        warn(`${key('buildArgs')}.${name}: expected a string; ignored`);
      }
    }
  } else if (buildArgs !== undefined && buildArgs !== null) {
    warn(`${key('buildArgs')}: expected an object; ignored`);
  }

  out.target = stringSetting(get, 'target', out.target, warn);
  out.context = stringSetting(get, 'context', out.context, warn);

  const baseline = get('cache.baseline');
  if (baseline === 'disk' || baseline === 'git') {
    out.cache.baseline = baseline;
  } else if (baseline !== undefined && baseline !== null) {
    warn(`${key('cache.baseline')}: expected "disk" or "git"; using "disk"`);
  }
  out.cache.inlayHints = boolSetting(get, 'cache.inlayHints', out.cache.inlayHints, warn);
  out.cache.codeLens = boolSetting(get, 'cache.codeLens', out.cache.codeLens, warn);
  out.formatting.reindentContinuations = boolSetting(
    get,
    'formatting.reindentContinuations',
    out.formatting.reindentContinuations,
    warn,
  );
  return out;
}

function stringSetting(get: SettingGetter, k: string, fallback: string, warn: (m: string) => void): string {
  const v = get(k);
  if (typeof v === 'string') return v.trim();
  if (v !== undefined && v !== null) warn(`${EXTENSION_SECTION}.${k}: expected a string; ignored`);
  return fallback;
}

function boolSetting(get: SettingGetter, k: string, fallback: boolean, warn: (m: string) => void): boolean {
  const v = get(k);
  if (typeof v === 'boolean') return v;
  if (v !== undefined && v !== null) warn(`${EXTENSION_SECTION}.${k}: expected true or false; ignored`);
  return fallback;
}

/** One item of a `workspace/configuration` request. */
export interface ConfigurationItem {
  section?: string | null;
  scopeUri?: string | null;
}

/**
 * Answers `workspace/configuration`. Items asking for `dockerfile` (or a part of it, such as
 * `dockerfile.cache`) get our mapped settings for their scope; every other item keeps the
 * answer VS Code's default handler gave (`fallback[i]`). Results stay in request order, as
 * the protocol requires.
 */
export function answerConfiguration(
  items: readonly ConfigurationItem[],
  fallback: readonly unknown[],
  settingsFor: (scopeUri: string | undefined) => ServerSettings,
): unknown[] {
  return items.map((item, i) => {
    const section = item.section ?? '';
    if (section !== SERVER_SECTION && !section.startsWith(`${SERVER_SECTION}.`)) {
      return fallback[i] ?? null;
    }
    let value: unknown = settingsFor(item.scopeUri ?? undefined);
    for (const part of section.split('.').slice(1)) {
      value = isRecord(value) && Object.prototype.hasOwnProperty.call(value, part) ? value[part] : null;
    }
    return value;
  });
}

/** The `workspace/didChangeConfiguration` payload, nested by section as the LSP spec shows. */
export function didChangeConfigurationParams(settings: ServerSettings): { settings: { dockerfile: ServerSettings } } {
  return { settings: { dockerfile: settings } };
}
