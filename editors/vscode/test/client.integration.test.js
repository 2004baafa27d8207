// The real vscode-languageclient (with a stubbed `vscode`) against the real CarbonLsp server,
// started the way the extension starts it: resolveServer() then createLanguageClient().
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { installFakeVscode } = require('../test-support/fake-vscode');

const extensionRoot = path.resolve(__dirname, '..');
const repoRoot = path.resolve(extensionRoot, '..', '..');

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** The server as the extension finds it; the test is skipped without one (failed where clients are required). */
function resolveOrSkip(t) {
  const { resolveServer } = require('../out/serverPath');
  const resolved = resolveServer({ extensionPath: extensionRoot, platform: process.platform, arch: process.arch, exists: fs.existsSync, modifiedTime: (p) => fs.statSync(p).mtimeMs });
  if (resolved.ok) return resolved;
  if (process.env.CARBONLSP_REQUIRE_CLIENTS) assert.fail(`no server: ${resolved.error} (build src/CarbonLsp first)`);
  t.skip(`skipped: ${resolved.error}`);
  return undefined;
}

test('vscode-languageclient starts the resolved server, hovers, summarises and reports unknown commands', { timeout: 60000 }, async (t) => {
  const fake = installFakeVscode({ settings: { 'carbonlsp.debounceMs': 50, 'carbonlsp.region': 'FR' } });
  t.after(() => fake.uninstall());
  const { createLanguageClient } = require('../out/client');
  const { isUnknownCommand } = require('../out/format');

  const resolved = resolveOrSkip(t);
  if (!resolved) return;

  const crashes = [];
  const client = createLanguageClient(resolved.server, { getSetting: (k) => fake.vscode.workspace.getConfiguration('carbonlsp').get(k), onCrash: (m) => crashes.push(m) });
  await withTimeout(client.start(), 30000, 'client.start()');
  t.after(() => client.stop().catch(() => undefined));
  const caps = client.initializeResult.capabilities;
  assert.ok(caps.hoverProvider, 'hoverProvider');
  assert.ok(caps.codeActionProvider, 'codeActionProvider');
  assert.ok(caps.diagnosticProvider, 'pull diagnostics, since vscode-languageclient declares them');
  assert.equal(client.initializeResult.serverInfo.name, 'carbonlsp');

  const file = path.join(repoRoot, 'examples', 'campaign.prompts.json');
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, 'utf8');
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'carbon-prompts', version: 1, text } });

  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('"steps": 80'));
  const hover = await withTimeout(
    client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line].indexOf('"steps"') + 2 } }),
    10000,
    'hover',
  );
  assert.match(hover.contents.value, /each extra step costs/);

  const report = await withTimeout(client.sendRequest('textDocument/diagnostic', { textDocument: { uri } }), 10000, 'pull diagnostics');
  assert.ok(report.items.some((d) => d.code === 'CL101'), 'CL101 in the pulled report');

  const summary = await withTimeout(client.sendRequest('carbonlsp/summary', { textDocument: { uri } }), 10000, 'summary');
  assert.equal(summary.file.prompts, 4);
  assert.ok(summary.file.co2eGrams > 0 && summary.workspace.co2eGrams >= summary.file.co2eGrams);

  await assert.rejects(client.sendRequest('workspace/executeCommand', { command: 'carbonlsp.noSuchCommand', arguments: [] }), (e) => {
    assert.ok(isUnknownCommand(e), `not recognised as an unknown command: ${e.message}`);
    return true;
  });

  await withTimeout(client.stop(), 10000, 'client.stop()');
  assert.deepEqual(crashes, []);
});

// Issue 21: a grid token from VS Code's secret storage reaches the server as its environment variable and
// the provider in its header, and nowhere else: not in initializationOptions, not in the log. The provider is a
// loopback server answering in Electricity Maps' documented v3 shape.
test('a token from the secret storage reaches the grid provider and is never logged', { timeout: 60000 }, async (t) => {
  const http = require('node:http');
  const token = 'em-secret-token-8d1f';
  const seen = [];
  const provider = http.createServer((req, res) => {
    seen.push({ url: req.url, token: req.headers['auth-token'] });
    if (req.headers['auth-token'] !== token) { res.writeHead(401).end('{"message":"unauthorized"}'); return; }
    const now = new Date();
    const hour = (h) => new Date(Math.floor(now.getTime() / 3600000 + h) * 3600000).toISOString();
    const body = req.url.startsWith('/v3/carbon-intensity/latest')
      ? { zone: 'FR', carbonIntensity: 123, datetime: hour(0), updatedAt: now.toISOString(), isEstimated: false }
      : { zone: 'FR', forecast: Array.from({ length: 24 }, (_, i) => ({ carbonIntensity: i === 5 ? 20 : 123, datetime: hour(i) })), updatedAt: now.toISOString() };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise((r) => provider.listen(0, '127.0.0.1', r));
  t.after(() => provider.close());
  const url = `http://127.0.0.1:${provider.address().port}/`;

  const fake = installFakeVscode({ settings: { 'carbonlsp.region': 'FR', 'carbonlsp.gridProvider': 'electricitymaps', 'carbonlsp.gridUrl': url } });
  t.after(() => fake.uninstall());
  const { createLanguageClient } = require('../out/client');
  const resolved = resolveOrSkip(t);
  if (!resolved) return;
  const logged = [];
  const line = (m) => logged.push(String(m));
  const channel = { name: 'log', append: line, appendLine: line, replace: line, clear() {}, show() {}, hide() {}, dispose() {}, logLevel: 0, onDidChangeLogLevel: () => ({ dispose() {} }), trace: line, debug: line, info: line, warn: line, error: line };
  const client = createLanguageClient(resolved.server, {
    getSetting: (k) => fake.vscode.workspace.getConfiguration('carbonlsp').get(k), secrets: { 'carbonlsp.electricityMapsToken': token }, outputChannel: channel, traceOutputChannel: channel,
  });
  assert.doesNotMatch(JSON.stringify(client.clientOptions.initializationOptions), new RegExp(token));
  await withTimeout(client.start(), 30000, 'client.start()');
  t.after(() => client.stop().catch(() => undefined));

  const file = path.join(repoRoot, 'examples', 'campaign.prompts.json');
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, 'utf8').replace(/"region":\s*"[A-Z]+"/, '"region": "FR"');
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'carbon-prompts', version: 1, text } });
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes('"steps": 80'));
  let hover = '';
  for (let i = 0; i < 100 && !/Electricity Maps/.test(hover); i++) {
    await new Promise((r) => setTimeout(r, 100));
    const h = await client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: at, character: 10 } });
    hover = h?.contents?.value ?? '';
  }
  assert.match(hover, /now 123 g CO2e\/kWh \(Electricity Maps/);
  assert.ok(seen.length >= 1 && seen.every((s) => s.token === token), `requests: ${JSON.stringify(seen.map((s) => s.url))}`);
  assert.ok(seen.every((s) => !/prompt|lighthouse/i.test(s.url)), 'only the zone and the window are sent');
  await withTimeout(client.stop(), 10000, 'client.stop()');
  assert.ok(logged.length > 0, 'the log channel was used');
  assert.ok(!logged.some((l) => l.includes(token)), 'the token was logged');
});
