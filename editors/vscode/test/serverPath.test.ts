import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bundledServerPath, INSTALL_HINT, resolveServer, ServerLookup } from '../src/serverPath';

/** A lookup over a fake file system: `files` are the executable files that exist. */
function lookup(files: string[], overrides: Partial<ServerLookup> = {}): ServerLookup {
  const set = new Set(files);
  return {
    setting: undefined,
    extensionPath: '/ext',
    platform: 'linux',
    arch: 'x64',
    env: { PATH: '/usr/local/bin:/usr/bin:/home/me/.cargo/bin' },
    workspaceFolder: '/work/proj',
    homeDir: '/home/me',
    isExecutableFile: (p) => set.has(p),
    ...overrides,
  };
}

describe('resolveServer', () => {
  test('the setting wins over bundled and PATH', () => {
    const r = resolveServer(
      lookup(['/opt/dls', '/ext/server/linux-x64/dockerfile-lsp', '/usr/bin/dockerfile-lsp'], { setting: '/opt/dls' }),
    );
    assert.deepEqual([r.ok, r.ok && r.path, r.ok && r.source], [true, '/opt/dls', 'setting']);
  });

  test('bundled binary for this platform and arch comes before PATH', () => {
    const r = resolveServer(lookup(['/ext/server/linux-x64/dockerfile-lsp', '/usr/bin/dockerfile-lsp']));
    assert.ok(r.ok);
    assert.equal(r.path, '/ext/server/linux-x64/dockerfile-lsp');
    assert.equal(r.source, 'bundled');
  });

  test('a bundled binary for another arch is not used', () => {
    const r = resolveServer(lookup(['/ext/server/linux-arm64/dockerfile-lsp', '/home/me/.cargo/bin/dockerfile-lsp']));
    assert.ok(r.ok);
    assert.equal(r.path, '/home/me/.cargo/bin/dockerfile-lsp');
    assert.equal(r.source, 'PATH');
  });

  test('PATH is searched in order', () => {
    const r = resolveServer(lookup(['/usr/bin/dockerfile-lsp', '/home/me/.cargo/bin/dockerfile-lsp']));
    assert.ok(r.ok);
    assert.equal(r.path, '/usr/bin/dockerfile-lsp');
  });

  test('relative and empty PATH entries are skipped (no binaries from the opened folder)', () => {
    const r = resolveServer(
      lookup(['/work/proj/bin/dockerfile-lsp', 'bin/dockerfile-lsp', './dockerfile-lsp', 'dockerfile-lsp'], {
        env: { PATH: '::bin:.' },
      }),
    );
    assert.equal(r.ok, false);
  });

  test('not found: the message says how to install and which setting to use', () => {
    const r = resolveServer(lookup([]));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.settingProblem, false);
    assert.match(r.message, new RegExp(INSTALL_HINT.replace(/[-]/g, '\\-')));
    assert.match(r.message, /dockerfileLsp\.server\.path/);
    assert.deepEqual(r.tried, [
      '/ext/server/linux-x64/dockerfile-lsp',
      '/usr/local/bin/dockerfile-lsp',
      '/usr/bin/dockerfile-lsp',
      '/home/me/.cargo/bin/dockerfile-lsp',
    ]);
  });

  test('a setting that points nowhere is an error, not a silent fallback', () => {
    const r = resolveServer(lookup(['/usr/bin/dockerfile-lsp'], { setting: '/nope/dockerfile-lsp' }));
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.settingProblem, true);
    assert.match(r.message, /\/nope\/dockerfile-lsp/);
  });

  test('a relative setting is relative to the workspace folder', () => {
    const r = resolveServer(
      lookup(['/work/proj/target/debug/dockerfile-lsp'], { setting: './target/debug/dockerfile-lsp' }),
    );
    assert.ok(r.ok);
    assert.equal(r.path, '/work/proj/target/debug/dockerfile-lsp');
  });

  test('a relative setting without a workspace folder is not found', () => {
    const r = resolveServer(lookup(['target/debug/dockerfile-lsp'], { setting: 'target/debug/dockerfile-lsp', workspaceFolder: undefined }));
    assert.equal(r.ok, false);
  });

  test('~ and ${userHome} / ${workspaceFolder} are expanded in the setting', () => {
    const files = ['/home/me/bin/dls', '/work/proj/out/dls'];
    const a = resolveServer(lookup(files, { setting: '~/bin/dls' }));
    const b = resolveServer(lookup(files, { setting: '${userHome}/bin/dls' }));
    const c = resolveServer(lookup(files, { setting: '${workspaceFolder}/out/dls' }));
    assert.deepEqual(
      [a, b, c].map((r) => r.ok && r.path),
      ['/home/me/bin/dls', '/home/me/bin/dls', '/work/proj/out/dls'],
    );
  });

  test('a bare command name in the setting is looked up on PATH', () => {
    const r = resolveServer(lookup(['/usr/bin/dockerfile-lsp-nightly'], { setting: 'dockerfile-lsp-nightly' }));
    assert.ok(r.ok);
    assert.equal(r.path, '/usr/bin/dockerfile-lsp-nightly');
    assert.equal(r.source, 'setting');
  });

  test('whitespace-only setting counts as unset', () => {
    const r = resolveServer(lookup(['/usr/bin/dockerfile-lsp'], { setting: '  ' }));
    assert.ok(r.ok);
    assert.equal(r.source, 'PATH');
  });

  describe('on Windows', () => {
    const win = (files: string[], overrides: Partial<ServerLookup> = {}): ServerLookup =>
      lookup(files, {
        platform: 'win32',
        arch: 'x64',
        extensionPath: 'C:\\ext',
        workspaceFolder: 'C:\\proj',
        homeDir: 'C:\\Users\\me',
        // Windows keeps the original spelling "Path"; lookup must be case-insensitive.
        env: { Path: 'C:\\Windows;"C:\\Program Files\\dls";C:\\Users\\me\\.cargo\\bin' },
        ...overrides,
      });

    test('bundled binary has .exe and uses backslashes', () => {
      assert.equal(bundledServerPath('C:\\ext', 'win32', 'arm64'), 'C:\\ext\\server\\win32-arm64\\dockerfile-lsp.exe');
      const r = resolveServer(win(['C:\\ext\\server\\win32-x64\\dockerfile-lsp.exe']));
      assert.ok(r.ok);
      assert.equal(r.source, 'bundled');
    });

    test('PATH: "Path" spelling, quoted entries, .exe appended; .cmd shims are not used', () => {
      const r = resolveServer(
        win(['C:\\Windows\\dockerfile-lsp.cmd', 'C:\\Program Files\\dls\\dockerfile-lsp.exe', 'C:\\Users\\me\\.cargo\\bin\\dockerfile-lsp.exe']),
      );
      assert.ok(r.ok);
      assert.equal(r.path, 'C:\\Program Files\\dls\\dockerfile-lsp.exe');
    });

    test('setting without .exe gets it appended', () => {
      const r = resolveServer(win(['D:\\tools\\dockerfile-lsp.exe'], { setting: 'D:\\tools\\dockerfile-lsp' }));
      assert.ok(r.ok);
      assert.equal(r.path, 'D:\\tools\\dockerfile-lsp.exe');
    });
  });
});
