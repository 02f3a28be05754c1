// Checks the manifest's contributions against the server contract: the language id and file
// patterns, one setting per server setting (with a type and a description), and the rule list.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULE_CODES, SEVERITIES } from '../src/rules';
import { defaultSettings } from '../src/settings';

interface Schema {
  type?: string;
  enum?: string[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
}
interface Manifest {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  dependencies: Record<string, string>;
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: {
    languages: { id: string; filenames?: string[]; filenamePatterns?: string[]; extensions?: string[] }[];
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, Schema> };
  };
}

// Compiled tests run from out/test/; the manifest is two levels up.
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const props = manifest.contributes.configuration.properties;

function dockerfileLanguage(): Manifest['contributes']['languages'][number] {
  const lang = manifest.contributes.languages.find((l) => l.id === 'dockerfile');
  assert.ok(lang, 'no contribution for language id "dockerfile"');
  return lang;
}

/** Every leaf key of the server settings object, as `cache.baseline` etc. */
function leafKeys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    // rules and buildArgs are maps, i.e. one setting each.
    typeof v === 'object' && v !== null && k !== 'rules' && k !== 'buildArgs'
      ? leafKeys(v as Record<string, unknown>, `${prefix}${k}.`)
      : [`${prefix}${k}`],
  );
}

describe('package.json', () => {
  test('activates on the dockerfile language; bundle entry point', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:dockerfile']);
    assert.equal(manifest.main, './dist/extension.js');
  });

  test('vscode-languageclient 9 and an engines.vscode it supports (>= 1.82)', () => {
    assert.match(manifest.dependencies['vscode-languageclient'], /^\^?9\./);
    const [major, minor] = manifest.engines.vscode.replace(/^\^/, '').split('.').map(Number);
    assert.ok(major > 1 || minor >= 82, manifest.engines.vscode);
  });

  test('language "dockerfile" covers Dockerfile, Containerfile and the glob names', () => {
    const lang = dockerfileLanguage();
    for (const name of ['Dockerfile', 'Containerfile']) assert.ok(lang.filenames?.includes(name), name);
    for (const pattern of ['Dockerfile.*', 'Containerfile.*', '*.Dockerfile', '*.dockerfile']) {
      assert.ok(lang.filenamePatterns?.includes(pattern), pattern);
    }
  });

  test('file names resolve to dockerfile as VS Code decides (name > longest pattern > extension)', () => {
    // VS Code's rule (languagesAssociations.ts): an exact file name wins, then the longest
    // matching filenamePattern, then the longest extension; all case-insensitive.
    const toRegex = (glob: string): RegExp =>
      new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    const languageOf = (name: string): string | undefined => {
      const langs = manifest.contributes.languages;
      const byName = langs.find((l) => l.filenames?.some((f) => f.toLowerCase() === name.toLowerCase()));
      if (byName) return byName.id;
      const patterns = langs.flatMap((l) => (l.filenamePatterns ?? []).map((p) => ({ id: l.id, p })));
      const best = patterns.filter(({ p }) => toRegex(p).test(name)).sort((a, b) => b.p.length - a.p.length)[0];
      if (best) return best.id;
      return langs.find((l) => l.extensions?.some((e) => name.toLowerCase().endsWith(e.toLowerCase())))?.id;
    };
    for (const name of ['Dockerfile', 'Containerfile', 'Dockerfile.production', 'Containerfile.dev', 'api.Dockerfile', 'base.dockerfile', 'Dockerfile.go']) {
      assert.equal(languageOf(name), 'dockerfile', name);
    }
    // BuildKit's per-Dockerfile ignore file is not a Dockerfile.
    assert.equal(languageOf('Dockerfile.dockerignore'), 'ignore');
    for (const name of ['Dockerfiles', 'docker-compose.yml', 'Makefile']) assert.equal(languageOf(name), undefined, name);
  });

  test('commands: restart, show output, build stage', () => {
    const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, `${c.category}: ${c.title}`]));
    assert.deepEqual(titles, {
      'dockerfileLsp.restartServer': 'Dockerfile LSP: Restart Server',
      'dockerfileLsp.showOutput': 'Dockerfile LSP: Show Output',
      'dockerfileLsp.buildStage': 'Dockerfile LSP: Build Stage…',
    });
  });

  test('every server setting has a dockerfileLsp.* setting, plus server.path and trace.server', () => {
    const expected = [
      ...leafKeys(defaultSettings() as unknown as Record<string, unknown>).map((k) => `dockerfileLsp.${k}`),
      'dockerfileLsp.server.path',
      'dockerfileLsp.trace.server',
    ];
    assert.deepEqual(Object.keys(props).sort(), expected.sort());
  });

  test('every setting has a type and a description; defaults match the server defaults', () => {
    const defaults = defaultSettings() as unknown as Record<string, unknown>;
    for (const [key, schema] of Object.entries(props)) {
      assert.ok(schema.type, `${key}: type`);
      assert.ok((schema.description ?? schema.markdownDescription ?? '').length > 20, `${key}: description`);
      assert.ok('default' in schema, `${key}: default`);
      const path = key.replace(/^dockerfileLsp\./, '').split('.');
      if (path[0] === 'server' || path[0] === 'trace') continue;
      const serverDefault = path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], defaults);
      assert.deepEqual(schema.default, serverDefault, key);
    }
  });

  test('enums: cache.baseline and trace.server', () => {
    assert.deepEqual(props['dockerfileLsp.cache.baseline'].enum, ['disk', 'git']);
    assert.deepEqual(props['dockerfileLsp.trace.server'].enum, ['off', 'messages', 'verbose']);
  });

  test('rules: one property per rule code (all 27), each with the severity enum and a description', () => {
    const rules = props['dockerfileLsp.rules'];
    assert.equal(rules.type, 'object');
    assert.deepEqual(Object.keys(rules.properties ?? {}), [...RULE_CODES]);
    assert.equal(RULE_CODES.length, 27);
    for (const [code, schema] of Object.entries(rules.properties ?? {})) {
      assert.deepEqual(schema.enum, [...SEVERITIES], code);
      assert.ok((schema.markdownDescription ?? schema.description ?? '').includes(code), code);
    }
    assert.deepEqual((rules.additionalProperties as Schema).enum, [...SEVERITIES]);
  });

  test('buildArgs values are strings', () => {
    assert.deepEqual(props['dockerfileLsp.buildArgs'].additionalProperties, { type: 'string' });
  });

  test('server.path cannot be set by an untrusted workspace', () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, ['dockerfileLsp.server.path']);
  });
});
