#!/usr/bin/env node
// End-to-end client for CarbonLsp on vscode-languageserver-protocol, the protocol stack of VS Code's client.
//
//   node client.js <file.prompts.json> <server command...>
//   node client.js /tmp/x/campaign.prompts.json dotnet src/CarbonLsp/bin/Debug/net10.0/carbonlsp.dll serve
//
// Opens the file, edits it, hovers, asks for code actions, applies the quick fix's WorkspaceEdit as a
// client would, and waits until the diagnostic is gone. Prints "ok <step> <ms>" lines; exits 0 on success,
// 1 on a failed check, 3 on the overall timeout.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const lsp = require('vscode-languageserver-protocol/node');

const TIMEOUT_MS = Number(process.env.CARBONLSP_E2E_TIMEOUT_MS || 45000);
const [file, ...serverCommand] = process.argv.slice(2);
if (!file || serverCommand.length === 0) {
  console.error('usage: node client.js <file.prompts.json> <server command...>');
  process.exit(2);
}

const started = Date.now();
const log = (step) => process.stdout.write(`ok ${step} ${Date.now() - started}\n`);
let serverStderr = '';

function fail(message, code = 1) {
  process.stdout.write(`FAIL ${message}\n`);
  if (serverStderr) process.stdout.write(`--- server stderr (last 4000 chars) ---\n${serverStderr.slice(-4000)}\n`);
  process.exit(code);
}
function check(condition, message) {
  if (!condition) fail(message);
}
setTimeout(() => fail(`timed out after ${TIMEOUT_MS} ms`, 3), TIMEOUT_MS).unref();

// ---- text helpers: LSP positions are UTF-16 code units, which is what JS strings index ----
function offsetAt(text, pos) {
  let line = 0;
  let i = 0;
  while (line < pos.line) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
    line++;
  }
  return Math.min(i + pos.character, text.length);
}
function positionOf(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
/** Applies non-overlapping TextEdits; returns the new text and the equivalent didChange events (last edit first). */
function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  const changes = [];
  for (const e of sorted) {
    const s = offsetAt(text, e.range.start);
    const t = offsetAt(text, e.range.end);
    changes.push({ range: e.range, text: e.newText });
    text = text.slice(0, s) + e.newText + text.slice(t);
  }
  return { text, changes };
}

async function main() {
  const uri = pathToFileURL(path.resolve(file)).href;
  let text = fs.readFileSync(file, 'utf8');
  let version = 1;

  const child = spawn(serverCommand[0], serverCommand.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.on('data', (d) => (serverStderr += d.toString()));
  child.on('error', (e) => fail(`cannot start the server: ${e.message}`));
  let exited = false;
  child.on('exit', (code) => {
    exited = true;
    if (!shuttingDown) fail(`the server exited early with code ${code}`);
  });
  let shuttingDown = false;

  const connection = lsp.createProtocolConnection(new lsp.StreamMessageReader(child.stdout), new lsp.StreamMessageWriter(child.stdin));
  const settings = { debounceMs: 50 };
  connection.onRequest(lsp.ConfigurationRequest.type, (params) => params.items.map((i) => (i.section === 'carbonlsp' ? settings : null)));
  connection.onRequest(lsp.RegistrationRequest.type, () => null);
  connection.onRequest(lsp.UnregistrationRequest.type, () => null);
  connection.onRequest(lsp.WorkDoneProgressCreateRequest.type, () => null);
  connection.onNotification(lsp.LogMessageNotification.type, () => {});

  const published = [];
  const waiters = [];
  connection.onNotification(lsp.PublishDiagnosticsNotification.type, (p) => {
    if (p.uri !== uri) return;
    published.push(p);
    for (const w of [...waiters]) if (w.test(p)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(p); }
  });
  const diagnosticsWhere = (test) => {
    const seen = published.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ test, resolve }));
  };
  connection.listen();

  const init = await connection.sendRequest(lsp.InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: 'carbonlsp-e2e-node' },
    rootUri: pathToFileURL(path.dirname(path.resolve(file))).href,
    workspaceFolders: [{ uri: pathToFileURL(path.dirname(path.resolve(file))).href, name: 'e2e' }],
    initializationOptions: {},
    capabilities: {
      workspace: { configuration: true, applyEdit: true, workspaceEdit: { documentChanges: true }, didChangeConfiguration: { dynamicRegistration: true } },
      textDocument: {
        synchronization: { didSave: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { isPreferredSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite', 'source', 'source.fixAll'] } } },
        codeLens: {},
        inlayHint: {},
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        completion: { completionItem: { snippetSupport: false } },
      },
    },
  });
  check(init.capabilities.hoverProvider, 'the server does not declare hoverProvider');
  connection.sendNotification(lsp.InitializedNotification.type, {});
  log('initialize');

  connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version, text } });
  const hasCL101 = (p) => p.diagnostics.some((d) => d.code === 'CL101');
  const first = await diagnosticsWhere(hasCL101);
  const cl101 = first.diagnostics.find((d) => d.code === 'CL101');
  check(cl101.source === 'carbonlsp', `CL101 source is ${cl101.source}`);
  check(/rules\.md#cl101$/i.test(cl101.codeDescription?.href ?? ''), `CL101 codeDescription is ${JSON.stringify(cl101.codeDescription)}`);
  log('diagnostics');

  // Edit: the region becomes France, whose grid is cleaner than Germany's; the file's footprint must drop.
  const summary = () => connection.sendRequest(new lsp.RequestType('carbonlsp/summary'), { textDocument: { uri } });
  const before = await summary();
  check(before.file && before.file.prompts >= 1, `summary before the edit: ${JSON.stringify(before)}`);
  const regionAt = text.indexOf('"DE"');
  check(regionAt > 0, 'the fixture has no "DE" region');
  const regionEdit = { range: { start: positionOf(text, regionAt), end: positionOf(text, regionAt + 4) }, newText: '"FR"' };
  ({ text } = applyEdits(text, [regionEdit]));
  connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: [{ range: regionEdit.range, text: regionEdit.newText }] });
  await diagnosticsWhere((p) => p.version === version);
  const after = await summary();
  check(after.file.co2eGrams < before.file.co2eGrams, `the edit did not lower CO2e: ${before.file.co2eGrams} -> ${after.file.co2eGrams}`);
  log('edit');

  // Hover on the "steps" key of the diagnostic's prompt.
  const stepsLine = cl101.range.start.line;
  const stepsKey = text.split('\n')[stepsLine].indexOf('"steps"');
  check(stepsKey >= 0, `no "steps" on line ${stepsLine}`);
  const hover = await connection.sendRequest(lsp.HoverRequest.type, { textDocument: { uri }, position: { line: stepsLine, character: stepsKey + 2 } });
  const hoverText = typeof hover?.contents === 'string' ? hover.contents : hover?.contents?.value ?? '';
  check(hoverText.includes('each extra step costs'), `hover on steps: ${hoverText}`);
  log('hover');

  // Code lens and symbols, as VS Code asks for them.
  const lenses = await connection.sendRequest(lsp.CodeLensRequest.type, { textDocument: { uri } });
  check(lenses.length >= 1 && /Wh .* CO2e/.test(lenses[0].command?.title ?? ''), `code lenses: ${JSON.stringify(lenses).slice(0, 300)}`);
  const symbols = await connection.sendRequest(lsp.DocumentSymbolRequest.type, { textDocument: { uri } });
  check(symbols.length >= 1, 'no document symbols');
  log('lens+symbols');

  // Quick fix for CL101, applied as a client applies a WorkspaceEdit.
  const current = published[published.length - 1].diagnostics.find((d) => d.code === 'CL101');
  check(current, 'CL101 vanished before the quick fix');
  const actions = await connection.sendRequest(lsp.CodeActionRequest.type, {
    textDocument: { uri }, range: current.range, context: { diagnostics: [current], only: ['quickfix'] },
  });
  const fix = actions.find((a) => /^Use \d+ steps/.test(a.title));
  check(fix, `no "Use N steps" quick fix among ${JSON.stringify(actions.map((a) => a.title))}`);
  check(fix.kind === 'quickfix' && fix.isPreferred === true, `fix kind ${fix.kind}, preferred ${fix.isPreferred}`);
  const edits = fix.edit.documentChanges
    ? fix.edit.documentChanges.filter((d) => d.textDocument.uri === uri).flatMap((d) => d.edits)
    : fix.edit.changes[uri];
  check(edits && edits.length > 0, `the quick fix has no edit for the file: ${JSON.stringify(fix.edit)}`);
  if (fix.edit.documentChanges) check(fix.edit.documentChanges[0].textDocument.version === version, 'the edit targets a stale version');
  const applied = applyEdits(text, edits);
  text = applied.text;
  connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: applied.changes });
  const fixed = await diagnosticsWhere((p) => p.version === version);
  check(!hasCL101(fixed), `CL101 is still there after the fix: ${JSON.stringify(fixed.diagnostics.map((d) => d.code))}`);
  log('quickfix');

  shuttingDown = true;
  await connection.sendRequest(lsp.ShutdownRequest.type);
  connection.sendNotification(lsp.ExitNotification.type);
  const deadline = Date.now() + 5000;
  while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  check(exited, 'the server did not exit after shutdown/exit');
  log('shutdown');
  process.exit(0);
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
