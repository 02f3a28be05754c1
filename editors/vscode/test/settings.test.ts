import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  answerConfiguration,
  defaultSettings,
  didChangeConfigurationParams,
  ServerSettings,
  toServerSettings,
} from '../src/settings';

/** A getter over flat `dockerfileLsp.*` keys, like WorkspaceConfiguration.get. */
function getter(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

describe('toServerSettings', () => {
  test('nothing set gives the documented defaults', () => {
    assert.deepEqual(toServerSettings(getter({})), {
      rules: {},
      buildArgs: {},
      target: '',
      context: '',
      cache: { baseline: 'disk', inlayHints: true, codeLens: true },
      formatting: { reindentContinuations: false },
    });
  });

  test('every setting is mapped to its place in the server object', () => {
    const s = toServerSettings(
      getter({
        rules: { StageNameCasing: 'error', UnpinnedBaseImage: 'off' },
        buildArgs: { NODE_VERSION: '20', DEBUG: '' },
        target: 'build',
        context: 'docker',
        'cache.baseline': 'git',
        'cache.inlayHints': false,
        'cache.codeLens': false,
        'formatting.reindentContinuations': true,
        // Client-only settings must not leak to the server.
        'server.path': '/x',
        'trace.server': 'verbose',
      }),
    );
    assert.deepEqual(s, {
      rules: { StageNameCasing: 'error', UnpinnedBaseImage: 'off' },
      buildArgs: { NODE_VERSION: '20', DEBUG: '' },
      target: 'build',
      context: 'docker',
      cache: { baseline: 'git', inlayHints: false, codeLens: false },
      formatting: { reindentContinuations: true },
    });
  });

  test('invalid values fall back to defaults and are reported', () => {
    const warnings: string[] = [];
    const s = toServerSettings(
      getter({
        rules: { StageNameCasing: 'fatal', FromAsCasing: 'hint', MadeUpRule: 'info' },
        buildArgs: { A: 1, B: true, C: { nested: 1 } },
        target: 42,
        'cache.baseline': 'svn',
        'cache.codeLens': 'yes',
      }),
      (w) => warnings.push(w),
    );
    // Unknown rule codes are kept (a newer server may know them) but warned about.
    assert.deepEqual(s.rules, { FromAsCasing: 'hint', MadeUpRule: 'info' });
    assert.deepEqual(s.buildArgs, { A: '1', B: 'true' });
    assert.equal(s.target, '');
    assert.equal(s.cache.baseline, 'disk');
    assert.equal(s.cache.codeLens, true);
    assert.equal(warnings.length, 6, warnings.join('\n'));
    assert.ok(warnings.some((w) => w.includes('dockerfileLsp.rules.StageNameCasing')));
    assert.ok(warnings.some((w) => w.includes('MadeUpRule')));
    assert.ok(warnings.some((w) => w.includes('dockerfileLsp.buildArgs.C')));
  });

  test('non-object rules / buildArgs are ignored', () => {
    const warnings: string[] = [];
    const s = toServerSettings(getter({ rules: ['StageNameCasing'], buildArgs: 'A=1' }), (w) => warnings.push(w));
    assert.deepEqual([s.rules, s.buildArgs, warnings.length], [{}, {}, 2]);
  });

  test('target and context are trimmed', () => {
    const s = toServerSettings(getter({ target: ' final ', context: ' ./app ' }));
    assert.deepEqual([s.target, s.context], ['final', './app']);
  });

  test('results are fresh objects (callers may mutate them)', () => {
    const a = defaultSettings();
    a.rules.X = 'error';
    assert.deepEqual(defaultSettings().rules, {});
  });
});

describe('answerConfiguration', () => {
  const mine: ServerSettings = { ...defaultSettings(), target: 'final' };
  const scopes: (string | undefined)[] = [];
  const settingsFor = (scope: string | undefined): ServerSettings => {
    scopes.push(scope);
    return scope === 'file:///other/Dockerfile' ? { ...mine, target: 'other' } : mine;
  };

  test('section "dockerfile" gets the mapped settings, other sections keep VS Code\'s answer, order kept', () => {
    scopes.length = 0;
    const result = answerConfiguration(
      [
        { section: 'editor' },
        { section: 'dockerfile', scopeUri: 'file:///other/Dockerfile' },
        { section: 'dockerfile' },
        { section: 'dockerfileLsp' },
      ],
      [{ tabSize: 4 }, null, null, { untouched: true }],
      settingsFor,
    );
    assert.deepEqual(result, [{ tabSize: 4 }, { ...mine, target: 'other' }, mine, { untouched: true }]);
    assert.deepEqual(scopes, ['file:///other/Dockerfile', undefined]);
  });

  test('subsections: dockerfile.cache, dockerfile.cache.baseline, unknown → null', () => {
    const result = answerConfiguration(
      [{ section: 'dockerfile.cache' }, { section: 'dockerfile.cache.baseline' }, { section: 'dockerfile.nope' }],
      [],
      settingsFor,
    );
    assert.deepEqual(result, [mine.cache, 'disk', null]);
  });

  test('an item without section is not ours', () => {
    assert.deepEqual(answerConfiguration([{}, { section: null }], ['a', 'b'], settingsFor), ['a', 'b']);
  });
});

test('didChangeConfiguration nests the settings under "dockerfile"', () => {
  const s = defaultSettings();
  assert.deepEqual(didChangeConfigurationParams(s), { settings: { dockerfile: s } });
});
