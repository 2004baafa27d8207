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

test('vscode-languageclient starts the resolved server, hovers, summarises and reports unknown commands', { timeout: 60000 }, async (t) => {
  const fake = installFakeVscode({ settings: { 'carbonlsp.debounceMs': 50, 'carbonlsp.region': 'FR' } });
  t.after(() => fake.uninstall());
  const { resolveServer } = require('../out/serverPath');
  const { createLanguageClient } = require('../out/client');
  const { isUnknownCommand } = require('../out/format');

  const resolved = resolveServer({ extensionPath: extensionRoot, platform: process.platform, arch: process.arch, exists: fs.existsSync, modifiedTime: (p) => fs.statSync(p).mtimeMs });
  if (!resolved.ok) {
    if (process.env.CARBONLSP_REQUIRE_CLIENTS) assert.fail(`no server: ${resolved.error} (build src/CarbonLsp first)`);
    t.skip(`skipped: ${resolved.error}`);
    return;
  }

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
