// VS Code glue: starts dockerfile-lsp through vscode-languageclient, answers its settings
// requests, and adds three commands. Everything that can be decided without VS Code lives
// in the pure modules next to this file (and is unit-tested there).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { buildArgv, commandLine, defaultTag, resolveContext, shellKind, ShellKind, validateTag } from './build';
import { resolveServer } from './serverPath';
import {
  answerConfiguration,
  didChangeConfigurationParams,
  EXTENSION_SECTION,
  ServerSettings,
  toServerSettings,
} from './settings';
import { parseStages } from './stages';

const LANGUAGE_ID = 'dockerfile';

let output: vscode.OutputChannel;
let client: LanguageClient | undefined;
// Start/stop/restart run one at a time; a restart requested mid-start waits its turn.
let lifecycle: Promise<void> = Promise.resolve();
const reportedWarnings = new Set<string>();

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel('Dockerfile LSP');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('dockerfileLsp.restartServer', () => restart(context)),
    vscode.commands.registerCommand('dockerfileLsp.showOutput', () => output.show()),
    vscode.commands.registerCommand('dockerfileLsp.buildStage', buildStage),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The other settings reach the running server through didChangeConfiguration (see
      // the middleware below); a different binary needs a new process.
      if (e.affectsConfiguration(`${EXTENSION_SECTION}.server.path`)) void restart(context);
    }),
  );
  void enqueue(() => start(context));
}

export function deactivate(): Promise<void> {
  return enqueue(stop);
}

function enqueue(op: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(op, op);
  return lifecycle;
}

function restart(context: vscode.ExtensionContext): Promise<void> {
  return enqueue(async () => {
    await stop();
    await start(context);
  });
}

async function stop(): Promise<void> {
  const old = client;
  client = undefined;
  if (old === undefined) return;
  try {
    await old.stop();
  } catch (err) {
    log(`stopping the server failed: ${String(err)}`);
  }
}

/** The server's settings for one scope (a file or folder URI; undefined = window). */
function settingsFor(scope: vscode.Uri | undefined): ServerSettings {
  const config = vscode.workspace.getConfiguration(EXTENSION_SECTION, scope);
  return toServerSettings(
    (key) => config.get(key),
    (warning) => {
      // The server asks often; say each problem once.
      if (!reportedWarnings.has(warning)) {
        reportedWarnings.add(warning);
        log(`settings: ${warning}`);
      }
    },
  );
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const resolution = resolveServer({
    // In an untrusted workspace VS Code ignores workspace values of this setting (see
    // `restrictedConfigurations` in package.json), so a checkout cannot pick the binary.
    setting: vscode.workspace.getConfiguration(EXTENSION_SECTION).get<string>('server.path'),
    extensionPath: context.extensionPath,
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    workspaceFolder: folder,
    homeDir: os.homedir(),
    isExecutableFile,
  });
  if (!resolution.ok) {
    log(resolution.message);
    void showServerNotFound(resolution.message);
    return;
  }
  log(`using ${resolution.path} (from ${resolution.source})`);

  const serverOptions: ServerOptions = { command: resolution.path, args: ['--stdio'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LANGUAGE_ID },
      { scheme: 'untitled', language: LANGUAGE_ID },
    ],
    initializationOptions: settingsFor(undefined),
    outputChannel: output,
    // Makes the client watch `dockerfileLsp.*` and send didChangeConfiguration (once at
    // start and on every change); the middleware below replaces the payload.
    synchronize: { configurationSection: EXTENSION_SECTION },
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          // Other sections (if the server ever asks, e.g. for `files`) keep VS Code's answer.
          const fallback = await next(params, token);
          if (!Array.isArray(fallback)) return fallback;
          return answerConfiguration(params.items, fallback, (scope) =>
            settingsFor(scope === undefined ? undefined : vscode.Uri.parse(scope)),
          );
        },
        didChangeConfiguration: async () => {
          // The server's section is `dockerfile`, not our `dockerfileLsp`: send the mapped
          // object, nested the same way `workspace/configuration` answers it.
          await client?.sendNotification(
            DidChangeConfigurationNotification.type,
            didChangeConfigurationParams(settingsFor(undefined)),
          );
        },
      },
    },
  };

  const next = new LanguageClient('dockerfileLsp', 'Dockerfile LSP', serverOptions, clientOptions);
  client = next;
  try {
    await next.start();
  } catch (err) {
    client = undefined;
    log(`the server failed to start: ${String(err)}`);
    const choice = await vscode.window.showErrorMessage(
      `Dockerfile LSP: ${resolution.path} failed to start (${String(err)}).`,
      'Show Output',
    );
    if (choice === 'Show Output') output.show();
  }
}

async function showServerNotFound(message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${EXTENSION_SECTION}.server.path`);
  } else if (choice === 'Show Output') {
    output.show();
  }
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    // Windows has no execute bit; the .exe suffix is checked by resolveServer.
    if (process.platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Dockerfile LSP: Build Stage…". Also callable with (uri, stage), e.g. from a server code
 * lens whose command is `dockerfileLsp.buildStage` with arguments [uri, stageName].
 */
async function buildStage(target?: vscode.Uri | string, stageArg?: string): Promise<void> {
  const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
  const document = uri !== undefined ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (document === undefined || (uri === undefined && document.languageId !== LANGUAGE_ID)) {
    void vscode.window.showErrorMessage('Dockerfile LSP: open a Dockerfile first.');
    return;
  }
  if (document.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Dockerfile LSP: save the Dockerfile to disk first; docker build reads it from there.');
    return;
  }
  // docker reads the file from disk, so unsaved edits would silently not be built.
  if (document.isDirty && !(await document.save())) return;

  const stages = parseStages(document.getText()).filter((s) => s.name !== undefined);
  if (stages.length === 0) {
    void vscode.window.showWarningMessage(
      'Dockerfile LSP: this Dockerfile has no named stages. Add `AS <name>` to a FROM line to build it with --target.',
    );
    return;
  }
  let stage = stages.find((s) => s.name === stageArg)?.name;
  if (stage === undefined) {
    const picked = await vscode.window.showQuickPick(
      stages.map((s) => ({ label: s.name ?? '', description: s.image, detail: `line ${s.line + 1}` })),
      { title: 'Build stage', placeHolder: 'Stage to build (docker build --target)' },
    );
    if (picked === undefined) return;
    stage = picked.label;
  }

  const file = document.uri.fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const tag = await vscode.window.showInputBox({
    title: `Build stage ${stage}`,
    prompt: 'Image name and tag (docker build --tag)',
    value: defaultTag(folder?.name ?? path.basename(path.dirname(file)), stage),
    validateInput: validateTag,
  });
  if (tag === undefined) return;

  const settings = settingsFor(document.uri);
  const buildContext = resolveContext(settings.context, folder?.uri.fsPath, file);
  const argv = buildArgv({ stage, tag, file, context: buildContext, buildArgs: settings.buildArgs });

  // Type the command into a terminal (it stays in the shell's history and can be edited
  // and re-run). Quote for the user's shell if we know its rules; otherwise open a shell
  // whose rules we know rather than guess (cmd.exe quoting is not reliably possible).
  let kind: ShellKind | undefined = shellKind(vscode.env.shell);
  let shellPath: string | undefined;
  if (kind === undefined) {
    [shellPath, kind] = process.platform === 'win32' ? ['powershell.exe', 'powershell'] : ['/bin/sh', 'posix'];
  }
  const terminal = vscode.window.createTerminal({ name: `docker build ${stage}`, cwd: buildContext, shellPath });
  terminal.show();
  terminal.sendText(commandLine(argv, kind), true);
}

function log(message: string): void {
  output.appendLine(`[${new Date().toISOString()}] ${message}`);
}
