// The VS Code glue against a stub `vscode` module (VS Code itself cannot run here): what
// the user sees when no server is found, which commands exist, and what "Build Stage…"
// types into the terminal. Starting a real client is left to tests with a real editor.

import assert from 'node:assert/strict';
import Module from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';

type Handler = (...args: unknown[]) => unknown;

interface FakeDocument {
  languageId: string;
  uri: { scheme: string; fsPath: string; toString(): string };
  isDirty: boolean;
  getText(): string;
  save(): Promise<boolean>;
}

/** What the stub records, and what its dialogs answer. */
const state = {
  settings: {} as Record<string, unknown>,
  commands: new Map<string, Handler>(),
  executed: [] as unknown[][],
  messages: [] as { level: string; text: string; buttons: string[] }[],
  answerMessage: undefined as string | undefined,
  activeDocument: undefined as FakeDocument | undefined,
  openedDocument: undefined as FakeDocument | undefined,
  pick: (items: { label: string }[]): { label: string } | undefined => items[0],
  inputs: [] as { value?: string; validateInput?: (v: string) => unknown }[],
  answerInput: (value: string | undefined): string | undefined => value,
  terminals: [] as { options: Record<string, unknown>; sent: string[] }[],
  shell: '/bin/bash',
  configListeners: [] as Handler[],
};

function resetState(): void {
  state.settings = {};
  state.executed = [];
  state.messages = [];
  state.answerMessage = undefined;
  state.activeDocument = undefined;
  state.openedDocument = undefined;
  state.pick = (items) => items[0];
  state.inputs = [];
  state.answerInput = (value) => value;
  state.terminals = [];
  state.shell = '/bin/bash';
}

const disposable = { dispose: () => undefined };
const message = (level: string) => (text: string, ...buttons: string[]) => {
  state.messages.push({ level, text, buttons });
  return Promise.resolve(state.answerMessage);
};

const vscodeStub = {
  window: {
    createOutputChannel: () => ({ appendLine: () => undefined, append: () => undefined, show: () => undefined, dispose: () => undefined }),
    showErrorMessage: message('error'),
    showWarningMessage: message('warning'),
    showInformationMessage: message('info'),
    get activeTextEditor() {
      return state.activeDocument === undefined ? undefined : { document: state.activeDocument };
    },
    showQuickPick: (items: { label: string }[]) => Promise.resolve(state.pick(items)),
    showInputBox: (options: { value?: string; validateInput?: (v: string) => unknown }) => {
      state.inputs.push(options);
      return Promise.resolve(state.answerInput(options.value));
    },
    createTerminal: (options: Record<string, unknown>) => {
      const t = { options, sent: [] as string[] };
      state.terminals.push(t);
      return { show: () => undefined, sendText: (text: string) => t.sent.push(text) };
    },
  },
  commands: {
    registerCommand: (id: string, handler: Handler) => {
      state.commands.set(id, handler);
      return disposable;
    },
    executeCommand: (...args: unknown[]) => {
      state.executed.push(args);
      return Promise.resolve();
    },
  },
  workspace: {
    workspaceFolders: undefined,
    getConfiguration: () => ({ get: (key: string) => state.settings[key] }),
    onDidChangeConfiguration: (listener: Handler) => {
      state.configListeners.push(listener);
      return disposable;
    },
    openTextDocument: () => Promise.resolve(state.openedDocument),
    getWorkspaceFolder: () => ({ name: 'My Proj', uri: { fsPath: '/w/My Proj' } }),
  },
  env: {
    get shell() {
      return state.shell;
    },
  },
  Uri: { parse: (s: string) => ({ scheme: 'file', fsPath: s.replace(/^file:\/\//, ''), toString: () => s }) },
};

// Serve the stub for `require('vscode')` (vscode-languageclient loads it too; anything
// not listed above is a harmless dummy there).
type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleWithLoad = Module as unknown as { _load: Loader };
const originalLoad = moduleWithLoad._load;
const dummy = (): unknown =>
  new Proxy(function () {}, { get: (_t, p) => (p === 'prototype' ? {} : dummy()), construct: () => ({}) });

interface ExtensionModule {
  activate(context: { subscriptions: unknown[]; extensionPath: string }): void;
  deactivate(): Promise<void>;
}
let extension: ExtensionModule;
const flush = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));
const savedPath = process.env.PATH;

before(async () => {
  moduleWithLoad._load = function (request, parent, isMain) {
    if (request === 'vscode') {
      return new Proxy(vscodeStub, { get: (t, p) => (p in t ? t[p as keyof typeof t] : dummy()) });
    }
    return originalLoad.call(this, request, parent, isMain);
  };
  extension = require('../src/extension') as ExtensionModule;
  // No dockerfile-lsp anywhere: empty PATH, an extension folder without server/.
  process.env.PATH = '';
  extension.activate({ subscriptions: [], extensionPath: mkdtempSync(join(tmpdir(), 'dls-ext-')) });
  await flush(); // let the first start attempt (and its error message) finish before the tests
});

after(async () => {
  await extension.deactivate();
  moduleWithLoad._load = originalLoad;
  process.env.PATH = savedPath;
});

beforeEach(resetState);

describe('activation without a server', () => {
  test('registers exactly the contributed commands', () => {
    assert.deepEqual([...state.commands.keys()].sort(), [
      'dockerfileLsp.buildStage',
      'dockerfileLsp.restartServer',
      'dockerfileLsp.showOutput',
    ]);
  });

  test('error says how to install, offers settings, and "Open Settings" opens the setting', async () => {
    state.answerMessage = 'Open Settings';
    await state.commands.get('dockerfileLsp.restartServer')?.();
    await flush();
    assert.equal(state.messages.length, 1);
    const [msg] = state.messages;
    assert.equal(msg.level, 'error');
    assert.match(msg.text, /cargo install --path server --locked/);
    assert.match(msg.text, /dockerfileLsp\.server\.path/);
    assert.deepEqual(msg.buttons, ['Open Settings', 'Show Output']);
    assert.deepEqual(state.executed, [['workbench.action.openSettings', 'dockerfileLsp.server.path']]);
  });

  test('a wrong server.path is reported as such; changing the setting restarts', async () => {
    state.settings['server.path'] = '/does/not/exist/dockerfile-lsp';
    for (const listener of state.configListeners) {
      listener({ affectsConfiguration: (s: string) => s === 'dockerfileLsp.server.path' });
    }
    await flush();
    assert.equal(state.messages.length, 1);
    assert.match(state.messages[0].text, /server\.path is set to "\/does\/not\/exist\/dockerfile-lsp"/);
  });

  test('other setting changes do not restart', async () => {
    for (const listener of state.configListeners) listener({ affectsConfiguration: () => false });
    await flush();
    assert.equal(state.messages.length, 0);
  });
});

describe('Build Stage…', () => {
  const dockerfile = (text: string, dirty = false): FakeDocument => {
    const doc: FakeDocument = {
      languageId: 'dockerfile',
      uri: { scheme: 'file', fsPath: "/w/My Proj/it's/Dockerfile", toString: () => 'file:///w/My%20Proj/it%27s/Dockerfile' },
      isDirty: dirty,
      getText: () => text,
      save: () => {
        doc.isDirty = false;
        return Promise.resolve(true);
      },
    };
    return doc;
  };
  const run = async (...args: unknown[]): Promise<void> => {
    await state.commands.get('dockerfileLsp.buildStage')?.(...args);
  };

  test('picks a stage, proposes <folder>:<stage>, types a quoted docker build', async () => {
    state.activeDocument = dockerfile('FROM node:20 AS deps\nFROM deps AS Final\nFROM scratch\n');
    state.settings = { buildArgs: { MSG: 'a b' }, context: '' };
    let offered: string[] = [];
    state.pick = (items) => {
      offered = items.map((i) => i.label);
      return items[1];
    };
    await run();
    assert.deepEqual(offered, ['deps', 'Final']);
    assert.equal(state.inputs[0].value, 'my-proj:Final');
    assert.equal(state.inputs[0].validateInput?.('Bad Tag'), 'Not a valid image reference: lowercase name components separated by /, optionally :tag (letters, digits, _ . -)');
    assert.equal(state.terminals.length, 1);
    assert.equal(state.terminals[0].options.cwd, "/w/My Proj/it's");
    assert.equal(state.terminals[0].options.shellPath, undefined);
    assert.deepEqual(state.terminals[0].sent, [
      "docker build --target Final --tag my-proj:Final --build-arg 'MSG=a b' " +
        `--file '/w/My Proj/it'\\''s/Dockerfile' '/w/My Proj/it'\\''s'`,
    ]);
  });

  test('context setting is relative to the workspace folder', async () => {
    state.activeDocument = dockerfile('FROM a AS x\n');
    state.settings = { context: 'ctx' };
    await run();
    assert.match(state.terminals[0].sent[0], / '\/w\/My Proj\/ctx'$/);
  });

  test('cmd.exe as default shell: opens a shell we can quote for instead', async () => {
    state.activeDocument = dockerfile('FROM a AS x\n');
    state.shell = 'C:\\Windows\\System32\\cmd.exe';
    await run();
    const expected = process.platform === 'win32' ? 'powershell.exe' : '/bin/sh';
    assert.equal(state.terminals[0].options.shellPath, expected);
  });

  test('called with (uri, stage) as a code lens would: no pick', async () => {
    // No active editor: the document comes from the uri argument.
    state.openedDocument = dockerfile('FROM a AS x\nFROM b AS y\n');
    state.pick = () => assert.fail('should not ask for a stage');
    await run('file:///w/My%20Proj/it%27s/Dockerfile', 'y');
    assert.match(state.terminals[0].sent[0], /^docker build --target y --tag my-proj:y /);
  });

  test('unsaved changes are saved first (docker reads the file)', async () => {
    const doc = dockerfile('FROM a AS x\n', true);
    state.activeDocument = doc;
    await run();
    assert.equal(doc.isDirty, false);
    assert.equal(state.terminals.length, 1);
  });

  test('no named stages: a warning that says how to name one, no terminal', async () => {
    state.activeDocument = dockerfile('FROM alpine\nRUN true\n');
    await run();
    assert.equal(state.terminals.length, 0);
    assert.equal(state.messages[0].level, 'warning');
    assert.match(state.messages[0].text, /AS <name>/);
  });

  test('cancelling the tag prompt builds nothing', async () => {
    state.activeDocument = dockerfile('FROM a AS x\n');
    state.answerInput = () => undefined;
    await run();
    assert.equal(state.terminals.length, 0);
  });

  test('no Dockerfile open: an error', async () => {
    await run();
    assert.equal(state.messages[0].level, 'error');
    assert.match(state.messages[0].text, /open a Dockerfile/);
  });
});
