import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { buildArgv, commandLine, defaultTag, quoteArg, resolveContext, shellKind, validateTag } from '../src/build';

describe('buildArgv', () => {
  test('the documented shape: --target --tag --file <context>', () => {
    assert.deepEqual(buildArgv({ stage: 'build', tag: 'proj:build', file: '/w/Dockerfile', context: '/w' }), [
      'docker', 'build', '--target', 'build', '--tag', 'proj:build', '--file', '/w/Dockerfile', '/w',
    ]);
  });

  test('build args from the settings are passed as --build-arg NAME=value', () => {
    const argv = buildArgv({
      stage: 's', tag: 't', file: '/f', context: '/c', buildArgs: { NODE: '20', MSG: 'hello world' },
    });
    assert.deepEqual(argv.slice(6, 10), ['--build-arg', 'NODE=20', '--build-arg', 'MSG=hello world']);
    assert.deepEqual(argv.slice(-3), ['--file', '/f', '/c']);
  });
});

describe('commandLine / quoteArg', () => {
  const argv = buildArgv({
    stage: 'build',
    tag: 'my-app:build',
    file: "/home/me/My Projects/it's \"here\"/Dockerfile.prod",
    context: '/home/me/My Projects/it\'s "here"',
    buildArgs: { TOKEN: '$HOME `id` $(id) !x ~ *', EMPTY: '' },
  });

  test('POSIX: spaces, single and double quotes, $ and backticks', () => {
    assert.equal(
      commandLine(argv, 'posix'),
      "docker build --target build --tag my-app:build --build-arg 'TOKEN=$HOME `id` $(id) !x ~ *' --build-arg EMPTY= " +
        `--file '/home/me/My Projects/it'\\''s "here"/Dockerfile.prod' '/home/me/My Projects/it'\\''s "here"'`,
    );
  });

  test('POSIX quoting round-trips through a real sh', { skip: process.platform === 'win32' }, () => {
    // printf prints each argument on its own line; what sh parses must equal argv exactly.
    const line = commandLine(['printf', '%s\\n', ...argv.slice(1)], 'posix');
    const out = execFileSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
    assert.deepEqual(out.split('\n').slice(0, -1), argv.slice(1));
  });

  test('fish: backslashes and quotes escaped inside single quotes', () => {
    assert.equal(quoteArg("C:\\dir\\it's", 'fish'), "'C:\\\\dir\\\\it\\'s'");
    assert.equal(quoteArg('a b', 'fish'), "'a b'");
  });

  test('PowerShell: quotes doubled (also typographic ones), $ stays literal, & for a quoted command', () => {
    assert.equal(quoteArg("C:\\My Projects\\it's", 'powershell'), "'C:\\My Projects\\it''s'");
    assert.equal(quoteArg('it\u2019s $env:HOME', 'powershell'), "'it\u2019\u2019s $env:HOME'");
    assert.equal(quoteArg('a,b', 'powershell'), "'a,b'");
    assert.equal(quoteArg('@splat', 'powershell'), "'@splat'");
    assert.equal(commandLine(['C:\\Program Files\\Docker\\docker.exe', 'build'], 'powershell'), "& 'C:\\Program Files\\Docker\\docker.exe' build");
    assert.equal(commandLine(['docker', 'build'], 'powershell'), 'docker build');
  });

  test('plain words stay unquoted; risky leading characters are quoted', () => {
    for (const word of ['--target', 'my-app:build', '/usr/src/app/Dockerfile', 'registry:5000/a/b:c', 'NODE=20', './ctx']) {
      assert.equal(quoteArg(word, 'posix'), word);
    }
    for (const word of ['', '=cmd', '~/x', 'a b', '-x.y', 'a;b', 'a|b', 'a&b', 'a>b', '*']) {
      assert.notEqual(quoteArg(word, 'posix'), word, word);
    }
    assert.equal(quoteArg('', 'posix'), "''");
  });
});

describe('shellKind', () => {
  test('known shells by executable name, any directory, any case, .exe', () => {
    assert.equal(shellKind('/bin/bash'), 'posix');
    assert.equal(shellKind('/usr/bin/zsh'), 'posix');
    assert.equal(shellKind('/opt/homebrew/bin/fish'), 'fish');
    assert.equal(shellKind('C:\\Program Files\\PowerShell\\7\\pwsh.exe'), 'powershell');
    assert.equal(shellKind('C:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'), 'powershell');
    assert.equal(shellKind('C:\\Program Files\\Git\\bin\\bash.exe'), 'posix');
  });
  test('shells we cannot quote for give undefined', () => {
    assert.equal(shellKind('C:\\Windows\\System32\\cmd.exe'), undefined);
    assert.equal(shellKind('/usr/bin/nu'), undefined);
    assert.equal(shellKind(''), undefined);
    assert.equal(shellKind(undefined), undefined);
  });
});

describe('defaultTag / validateTag', () => {
  test('<folder>:<stage>, made valid', () => {
    assert.equal(defaultTag('proj', 'build'), 'proj:build');
    assert.equal(defaultTag('My Project (2)', 'Build'), 'my-project-2:Build');
    assert.equal(defaultTag('__weird..name__', 'x'), 'weird-name:x');
    assert.equal(defaultTag('日本', 'final'), 'image:final');
    assert.equal(defaultTag('proj', '.hidden'), 'proj:hidden');
  });

  test('defaults are always valid references', () => {
    for (const [folder, stage] of [['My Project (2)', 'Build'], ['日本', 'final'], ['a', 'b'.repeat(200)]]) {
      assert.equal(validateTag(defaultTag(folder, stage)), undefined, defaultTag(folder, stage));
    }
  });

  test('validateTag', () => {
    for (const ok of ['app', 'app:1.0', 'org/app:dev_1', 'localhost:5000/org/app:x', 'ghcr.io/o/a', 'a__b', 'a---b']) {
      assert.equal(validateTag(ok), undefined, ok);
    }
    for (const bad of ['', ' ', 'App', 'app:', 'app:-x', 'a b', 'app:tag:tag', '/app', 'app/', 'a_-b', 'app:' + 'x'.repeat(129)]) {
      assert.notEqual(validateTag(bad), undefined, bad);
    }
  });
});

describe('resolveContext', () => {
  test('empty: the Dockerfile directory', () => {
    assert.equal(resolveContext('', '/w', '/w/svc/Dockerfile', 'linux'), '/w/svc');
  });
  test('relative: against the workspace folder', () => {
    assert.equal(resolveContext('docker/..//ctx', '/w', '/w/svc/Dockerfile', 'linux'), '/w/ctx');
  });
  test('relative without a workspace folder: against the Dockerfile directory', () => {
    assert.equal(resolveContext('ctx', undefined, '/w/svc/Dockerfile', 'linux'), '/w/svc/ctx');
  });
  test('absolute is kept', () => {
    assert.equal(resolveContext('/abs/ctx/', '/w', '/w/Dockerfile', 'linux'), '/abs/ctx/');
    assert.equal(resolveContext('D:\\ctx', 'C:\\w', 'C:\\w\\Dockerfile', 'win32'), 'D:\\ctx');
    assert.equal(resolveContext('', 'C:\\w', 'C:\\w\\svc\\Dockerfile', 'win32'), 'C:\\w\\svc');
  });
});
