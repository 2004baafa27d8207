// CarbonLsp for VS Code: starts the language server for *.prompts.json files and adds a status
// bar footprint, generation commands and an image preview on top of it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, State } from 'vscode-languageclient/node';
import { createLanguageClient } from './client';
import { isUnknownCommand, statusView, Summary, summaryMessage } from './format';
import { imagesOf } from './generation';
import { gridSecrets, storedLabels } from './secrets';
import { resolveServer } from './serverPath';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let trace: vscode.LogOutputChannel;

/** A plain output channel behind the log-channel interface the client wants: every line is shown,
 *  whatever the window's log level (the protocol trace is written at "trace" level). */
function alwaysVisible(channel: vscode.OutputChannel): vscode.LogOutputChannel {
  const line = (m: unknown) => channel.appendLine(m instanceof Error ? m.message : String(m));
  return {
    name: channel.name,
    append: (v: string) => channel.append(v),
    appendLine: (v: string) => channel.appendLine(v),
    replace: (v: string) => channel.replace(v),
    clear: () => channel.clear(),
    show: (preserveFocus?: boolean) => channel.show(preserveFocus),
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
    logLevel: vscode.LogLevel.Trace,
    onDidChangeLogLevel: () => ({ dispose: () => undefined }),
    trace: line, debug: line, info: line, warn: line, error: line,
  } as vscode.LogOutputChannel;
}
let status: vscode.StatusBarItem;
let previewPanel: vscode.WebviewPanel | undefined;
let refreshTimer: NodeJS.Timeout | undefined;
let extensionPath = '';
let secrets: vscode.SecretStorage | undefined;

const imageExtensions = /\.(png|jpe?g|webp|gif|bmp)$/i; // showDocument targets we preview
const isPromptFile = (doc: vscode.TextDocument | undefined) => !!doc && /\.prompts\.json$/i.test(doc.uri.path);

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  secrets = context.secrets;
  output = vscode.window.createOutputChannel('CarbonLsp', { log: true });
  // The protocol trace (carbonlsp.trace.server) in a plain channel: in the log channel it was written at
  // trace level, which the default log level hides, so "messages" showed nothing.
  trace = alwaysVisible(vscode.window.createOutputChannel('CarbonLsp Trace'));
  status = vscode.window.createStatusBarItem('carbonlsp.footprint', vscode.StatusBarAlignment.Right, 100);
  status.name = 'CarbonLsp footprint';
  status.command = 'carbonlsp.showSummary';
  context.subscriptions.push(output, trace, status);

  const cmd = (id: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  cmd('carbonlsp.showLog', () => output.show(true));
  cmd('carbonlsp.restartServer', () => restart());
  cmd('carbonlsp.showSummary', () => showSummary());
  cmd('carbonlsp.generatePrompt', (uri?: vscode.Uri | string, index?: number) => generatePrompt(uri, index));
  cmd('carbonlsp.generateAllPrompts', (uri?: vscode.Uri | string) => generateAll(uri));
  cmd('carbonlsp.cancelGeneration', () => runServerCommand('carbonlsp.cancel', []));
  cmd('carbonlsp.previewImage', (target?: vscode.Uri | string, caption?: string) => previewImage(target, caption));
  cmd('carbonlsp.showReport', () => showReport());
  cmd('carbonlsp.setGridCredential', () => setGridCredential());
  cmd('carbonlsp.clearGridCredentials', () => clearGridCredentials());

  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => scheduleRefresh()),
    vscode.languages.onDidChangeDiagnostics(() => scheduleRefresh()),
    vscode.workspace.onDidChangeTextDocument((e) => isPromptFile(e.document) && scheduleRefresh(800)),
    // A credential stored or removed (here or in another window): the server reads them when it starts.
    context.secrets.onDidChange((e) => gridSecrets.some((s) => s.key === e.key) && void restart()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('carbonlsp.server')) void restart();
      else if (e.affectsConfiguration('carbonlsp.statusBar')) scheduleRefresh(0);
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop().catch(() => undefined);
  client = undefined;
}

/** An error notification with a Show Log button (and more); never waits for the user's click. */
function notifyError(message: string, ...extra: string[]): void {
  output.error(message);
  void vscode.window.showErrorMessage(`CarbonLsp: ${message}`, 'Show Log', ...extra).then((choice) => {
    if (choice === 'Show Log') output.show(true);
    else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'carbonlsp.server');
    else if (choice === 'Restart') void restart();
  });
}

async function start(): Promise<void> {
  const config = vscode.workspace.getConfiguration('carbonlsp');
  const resolved = resolveServer({
    settingPath: config.get<string>('server.path'),
    dotnetPath: config.get<string>('server.dotnetPath'),
    extensionPath,
    platform: process.platform,
    arch: process.arch,
    exists: (p) => fs.existsSync(p),
    modifiedTime: (p) => fs.statSync(p).mtimeMs,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    home: os.homedir(),
  });
  output.appendLine(`Looked for the server at:\n  ${resolved.tried.join('\n  ')}`);
  if (!resolved.ok) {
    // Recoverable without reloading the window: fix the setting (a change restarts) or press Restart.
    notifyError(resolved.error, 'Open Settings', 'Restart');
    return;
  }
  const server = resolved.server;
  if (server.source === 'bundled' && process.platform !== 'win32') {
    // A .vsix may lose the executable bit on extraction.
    try {
      fs.accessSync(server.command, fs.constants.X_OK);
    } catch {
      try {
        fs.chmodSync(server.command, 0o755);
      } catch (e) {
        output.appendLine(`[warn] cannot make ${server.command} executable: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  const stored = await readGridSecrets();
  const held = storedLabels(stored);
  output.appendLine(`Starting (${server.source}): ${server.command} ${server.args.join(' ')}${held.length ? ` (from the secret storage: ${held.join(', ')})` : ''}`);
  client = createLanguageClient(server, {
    secrets: stored,
    outputChannel: output,
    traceOutputChannel: trace,
    onCrash: (message, final) => notifyError(message, ...(final ? ['Restart'] : [])),
    middleware: {
      window: {
        // The server asks to show generated images: open them in our preview, not as text.
        showDocument: async (params, token, next) => {
          const uri = vscode.Uri.parse(params.uri);
          if (imageExtensions.test(uri.path) && !params.external) {
            await previewImage(uri);
            return { success: true };
          }
          return next(params, token);
        },
      },
      // Commands the server registers (code lenses: footprint, generate, open image) go through
      // here: show what they answer, and say clearly when the server does not know one.
      executeCommand: async (command, args, next) => {
        try {
          const result = await next(command, args);
          await showCommandResult(command, result);
          if (command === 'carbonlsp.recordSaving') scheduleRefresh(0); // the status bar's "saved" moves at once
          return result;
        } catch (e) {
          await reportCommandError(command, e);
          return undefined;
        }
      },
    },
  });
  try {
    await client.start();
    scheduleRefresh(0);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    client = undefined;
    notifyError(`the server failed to start (${server.command}): ${detail}`, 'Open Settings', 'Restart');
  }
}

let restarting: Promise<void> = Promise.resolve();

/** Restarts one at a time: a settings change fires several events, and two interleaved restarts could
 *  leave no client running (or two). Each reads the settings afresh when its turn comes. */
function restart(): Promise<void> {
  restarting = restarting.then(async () => {
    if (client) {
      await client.stop().catch(() => undefined);
      client = undefined;
    }
    await start();
    // The status bar showed the stopped server's last footprint (seen in the real VS Code test): ask anew,
    // which hides it while no server runs.
    scheduleRefresh(0);
  }).catch((e) => output.error(`restart failed: ${e instanceof Error ? e.message : String(e)}`));
  return restarting;
}

function scheduleRefresh(delay = 300): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refreshStatus(), delay);
}

async function fetchSummary(): Promise<Summary | undefined> {
  if (!client || client.state !== State.Running) return undefined;
  const doc = vscode.window.activeTextEditor?.document;
  const params = isPromptFile(doc) ? { textDocument: { uri: doc!.uri.toString() } } : {};
  return client.sendRequest<Summary>('carbonlsp/summary', params);
}

async function refreshStatus(): Promise<void> {
  if (!vscode.workspace.getConfiguration('carbonlsp').get<boolean>('statusBar', true)) {
    status.hide();
    return;
  }
  try {
    const view = statusView(await fetchSummary());
    if (!view.text) {
      status.hide();
      return;
    }
    status.text = view.text;
    status.tooltip = view.tooltip;
    status.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    status.show();
  } catch (e) {
    output.appendLine(`[status] carbonlsp/summary failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function showSummary(): Promise<void> {
  if (!client) return notifyError('the server is not running.', 'Restart');
  const choice = await vscode.window.showInformationMessage(summaryMessage(await fetchSummary()), 'Show Log');
  if (choice === 'Show Log') output.show(true);
}

/** Shows what a server command answered: the footprint, generated images, a cancel count. */
async function showCommandResult(command: string, result: any): Promise<void> {
  if (!result) return;
  if (command === 'carbonlsp.showFootprint') await showMarkdown('Footprint', markdownOf(result));
  else if (command === 'carbonlsp.generate' || command === 'carbonlsp.generateAll') await showGenerationResult(result);
  else if (command === 'carbonlsp.cancel' && typeof result.cancelled === 'number') {
    void vscode.window.showInformationMessage(result.cancelled ? `CarbonLsp: cancelled ${result.cancelled} generation(s).` : 'CarbonLsp: no generation was running.');
  }
}

async function reportCommandError(command: string, e: unknown): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  if (isUnknownCommand(e)) {
    void vscode.window.showWarningMessage(
      `CarbonLsp: this server version cannot run "${command}" yet (image generation is not available). Update the server or point carbonlsp.server.path at a newer build.`,
    );
  } else if ((e as { code?: number })?.code === -32800) {
    void vscode.window.showInformationMessage(`CarbonLsp: ${message}`);
  } else {
    notifyError(`"${command}" failed: ${message}`);
  }
}

/** The grid credentials in the secret storage, by key; none when it cannot be read (the server then says the
 *  provider needs a token, naming the variable). */
async function readGridSecrets(): Promise<Record<string, string | undefined>> {
  const stored: Record<string, string | undefined> = {};
  for (const s of gridSecrets) {
    try {
      stored[s.key] = await secrets?.get(s.key);
    } catch (e) {
      output.warn(`secret storage: ${s.label} not read (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return stored;
}

/** "Set grid provider credential": one of the tokens into the OS keychain through VS Code's secret storage;
 *  the server restarts with it (onDidChange). The value is never echoed or logged. */
async function setGridCredential(): Promise<void> {
  const pick = await vscode.window.showQuickPick(gridSecrets.map((s) => ({ label: s.label, description: s.env, secret: s })), { title: 'CarbonLsp: which grid provider credential?' });
  if (!pick) return;
  const value = await vscode.window.showInputBox({ title: `CarbonLsp: ${pick.secret.label}`, prompt: 'Kept in the secret storage (your OS keychain), sent only to the provider you configure.', password: pick.secret.password, ignoreFocusOut: true });
  if (value === undefined) return;
  if (!value.trim()) await secrets?.delete(pick.secret.key);
  else await secrets?.store(pick.secret.key, value.trim());
  void vscode.window.showInformationMessage(`CarbonLsp: ${pick.secret.label} ${value.trim() ? 'stored' : 'removed'}; the server restarts with it.`);
}

async function clearGridCredentials(): Promise<void> {
  for (const s of gridSecrets) await secrets?.delete(s.key);
  void vscode.window.showInformationMessage('CarbonLsp: grid provider credentials removed from the secret storage.');
}

let reportPanel: vscode.WebviewPanel | undefined;

/** "Show footprint report": the server writes the workspace's HTML report (.carbonlsp/footprint-report.html)
 *  and answers its path; it is shown in a webview without scripts (the report has none and asks for nothing). */
async function showReport(): Promise<void> {
  const folder = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const result = (await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'CarbonLsp: writing the footprint report' },
    () => runServerCommand('carbonlsp.report', folder ? [folder.toString()] : []))) as { path?: string } | undefined;
  if (!result?.path) return;
  let html: string;
  try {
    html = fs.readFileSync(result.path, 'utf8');
  } catch (e) {
    return notifyError(`the report could not be read (${result.path}): ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!reportPanel) {
    reportPanel = vscode.window.createWebviewPanel('carbonlsp.report', 'Footprint report', vscode.ViewColumn.Beside, { enableScripts: false, localResourceRoots: [] });
    reportPanel.onDidDispose(() => (reportPanel = undefined));
  }
  reportPanel.webview.html = html;
  reportPanel.reveal(vscode.ViewColumn.Beside, true);
  output.appendLine(`[report] ${result.path}`);
}

/** workspace/executeCommand from our own commands; a server that does not know the command gets a clear message. */
async function runServerCommand(command: string, args: unknown[]): Promise<unknown> {
  if (!client || client.state !== State.Running) {
    notifyError('the server is not running.', 'Restart');
    return undefined;
  }
  try {
    const result = await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
    await showCommandResult(command, result);
    return result;
  } catch (e) {
    await reportCommandError(command, e);
    return undefined;
  }
}

function targetUri(uri?: vscode.Uri | string): vscode.Uri | undefined {
  if (typeof uri === 'string') return vscode.Uri.parse(uri);
  if (uri) return uri;
  const doc = vscode.window.activeTextEditor?.document;
  return isPromptFile(doc) ? doc!.uri : undefined;
}

/** The prompt under the cursor: its index among the document symbols (one per prompt, in order). */
async function promptIndexAtCursor(uri: vscode.Uri): Promise<number | undefined> {
  const editor = vscode.window.activeTextEditor;
  const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
  if (editor && editor.document.uri.toString() === uri.toString()) {
    const at = symbols.findIndex((s) => s.range.contains(editor.selection.active));
    if (at >= 0) return at;
  }
  if (symbols.length === 0) return undefined;
  const pick = await vscode.window.showQuickPick(
    symbols.map((s, i) => ({ label: s.name, description: s.detail, index: i })),
    { placeHolder: 'Which prompt should be generated?' },
  );
  return pick?.index;
}

async function generatePrompt(uri?: vscode.Uri | string, index?: number): Promise<void> {
  const target = targetUri(uri);
  if (!target) return void vscode.window.showWarningMessage('CarbonLsp: open a *.prompts.json file first.');
  const i = typeof index === 'number' ? index : await promptIndexAtCursor(target);
  if (i === undefined) return;
  await runServerCommand('carbonlsp.generate', [target.toString(), i]);
}

async function generateAll(uri?: vscode.Uri | string): Promise<void> {
  const target = targetUri(uri);
  if (!target) return void vscode.window.showWarningMessage('CarbonLsp: open a *.prompts.json file first.');
  await runServerCommand('carbonlsp.generateAll', [target.toString()]);
}

/** Previews the images a generation result names ({ images: [{ prompt, path, uri, energyWh, co2eGrams }] }). */
async function showGenerationResult(result: unknown): Promise<void> {
  const images = imagesOf(result);
  if (images.length === 1) await previewImage(images[0].file, images[0].caption);
  else if (images.length > 1) await previewGallery(images);
}

function toUri(target: string): vscode.Uri {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(target)) return vscode.Uri.parse(target);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
  return vscode.Uri.file(path.isAbsolute(target) ? target : path.join(base, target));
}

async function previewGallery(images: { file: string; caption?: string }[]): Promise<void> {
  const uris = images.map((i) => toUri(i.file));
  const roots = [...new Set(uris.map((u) => path.dirname(u.fsPath)))].map((d) => vscode.Uri.file(d));
  const p = panel(`${images.length} generated images`, roots);
  p.webview.html = page(
    p.webview,
    images
      .map((img, i) => `<figure><img src="${escapeHtml(p.webview.asWebviewUri(uris[i]).toString())}" alt=""><figcaption class="fp">${escapeHtml(img.caption ?? uris[i].fsPath)}</figcaption></figure>`)
      .join(''),
  );
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function panel(title: string, roots: vscode.Uri[]): vscode.WebviewPanel {
  if (previewPanel) {
    previewPanel.title = title;
    previewPanel.webview.options = { enableScripts: false, localResourceRoots: roots };
    previewPanel.reveal(vscode.ViewColumn.Beside, true);
    return previewPanel;
  }
  previewPanel = vscode.window.createWebviewPanel('carbonlsp.preview', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false, localResourceRoots: roots });
  previewPanel.onDidDispose(() => (previewPanel = undefined));
  return previewPanel;
}

function page(webview: vscode.Webview, body: string): string {
  const csp = `default-src 'none'; img-src ${webview.cspSource} data:; style-src 'unsafe-inline';`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<style>body{font-family:var(--vscode-font-family);padding:12px} img{max-width:100%;image-rendering:pixelated;border:1px solid var(--vscode-panel-border)} .fp{margin-top:8px;font-size:1.1em}</style>
</head><body>${body}</body></html>`;
}

/** Shows a generated image beside the editor with its footprint; accepts a Uri, a file URI or a path (relative to the workspace). */
async function previewImage(target?: vscode.Uri | string, caption?: string): Promise<void> {
  let uri: vscode.Uri | undefined;
  if (target instanceof vscode.Uri) uri = target;
  else if (typeof target === 'string' && target) uri = toUri(target);
  else {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Images: ['png', 'jpg', 'jpeg', 'webp'] } });
    uri = picked?.[0];
  }
  if (!uri) return;
  const p = panel(path.basename(uri.path), [vscode.Uri.file(path.dirname(uri.fsPath))]);
  const src = p.webview.asWebviewUri(uri).toString();
  p.webview.html = page(p.webview, `<img src="${escapeHtml(src)}" alt="${escapeHtml(path.basename(uri.path))}"><div class="fp">${escapeHtml(caption ?? uri.fsPath)}</div>`);
}

function markdownOf(result: any): string {
  if (typeof result === 'string') return result;
  const contents = result?.contents ?? result;
  if (typeof contents === 'string') return contents;
  if (contents && typeof contents.value === 'string') return contents.value;
  return '```json\n' + JSON.stringify(result, null, 2) + '\n```';
}

async function showMarkdown(title: string, markdown: string): Promise<void> {
  let html: string;
  try {
    html = (await vscode.commands.executeCommand<string>('markdown.api.render', markdown)) ?? '';
  } catch {
    html = '';
  }
  const p = panel(title, []);
  p.webview.html = page(p.webview, html || `<pre>${escapeHtml(markdown)}</pre>`);
}
