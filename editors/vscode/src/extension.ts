// The zonels extension: starts `zonels lsp` for zone files (and octoDNS, DNSControl and
// Terraform files), passes the `zonels` settings, and offers restart, output and audit commands.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { selfTest } from './selftest';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;

/** The binary: `zonels.path`, else `zonels` on PATH; undefined when neither exists. */
function findServer(): string | undefined {
  const configured = vscode.workspace.getConfiguration('zonels').get<string>('path') || process.env.ZONELS_PATH || '';
  if (configured) {
    return fs.existsSync(configured) ? configured : undefined;
  }
  const exe = process.platform === 'win32' ? 'zonels.exe' : 'zonels';
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const candidate = path.join(dir, exe);
    if (dir && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** The `zonels` settings section as the server reads it. */
function settings(): object {
  const c = vscode.workspace.getConfiguration('zonels');
  return {
    offline: c.get('offline'),
    resolver: c.get('resolver'),
    rules: c.get('rules'),
    inlayHints: { lookups: c.get('inlayHints.lookups'), keys: c.get('inlayHints.keys'), ttls: c.get('inlayHints.ttls') },
    maxDiagnosticsPerFile: c.get('maxDiagnosticsPerFile'),
  };
}

async function start(): Promise<void> {
  const server = findServer();
  if (!server) {
    const configured = vscode.workspace.getConfiguration('zonels').get<string>('path');
    const why = configured ? `zonels.path is set to \`${configured}\`, which does not exist` : '`zonels` is not on PATH';
    output.appendLine(`zonels not started: ${why}`);
    const choice = await vscode.window.showErrorMessage(
      `zonels: ${why}. Install it (\`cargo install --path .\` from a clone of zonels) or set zonels.path.`,
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'zonels.path');
    }
    return;
  }
  const serverOptions: ServerOptions = { command: server, args: ['lsp'], transport: TransportKind.stdio };
  const selector: LanguageClientOptions['documentSelector'] = [{ scheme: 'file', language: 'dns-zone' }, { scheme: 'untitled', language: 'dns-zone' }];
  if (vscode.workspace.getConfiguration('zonels').get<boolean>('hostFiles')) {
    // The server reads only those that hold DNS records; others get nothing.
    for (const language of ['yaml', 'javascript', 'terraform', 'hcl']) {
      selector.push({ scheme: 'file', language });
    }
  }
  const clientOptions: LanguageClientOptions = {
    documentSelector: selector,
    outputChannel: output,
    initializationOptions: { settings: { zonels: settings() } },
    synchronize: {
      configurationSection: 'zonels',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{zonels.toml,zonels.lock,*.zone,*.db}'),
    },
  };
  client = new LanguageClient('zonels', 'zonels', serverOptions, clientOptions);
  output.appendLine(`starting ${server} lsp`);
  await client.start();
}

async function stop(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('zonels', { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('zonels.restart', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('zonels.showOutput', () => output.show(true)),
    // Online, and only when asked: drift between this file's zone and the published DNS
    // shows as diagnostics until the file is edited.
    vscode.commands.registerCommand('zonels.auditFile', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!client || !doc) {
        return;
      }
      await client.sendRequest('workspace/executeCommand', { command: 'zonels.audit', arguments: [doc.uri.toString()] });
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('zonels.path') || e.affectsConfiguration('zonels.hostFiles')) {
        await stop();
        await start();
      }
    }),
  );
  await start();
  if (process.env.ZONELS_E2E_OUT) {
    void selfTest(output);
  }
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
