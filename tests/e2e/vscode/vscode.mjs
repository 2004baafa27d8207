// The CarbonLsp extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3) on 127.0.0.1, driven
// by headless Chromium through playwright-core. Installs the packaged extension (its bundled server) into
// a fresh profile, opens the prompt file, and checks what a designer sees: diagnostics in the editor and
// the Problems panel, a hover with the footprint, code lenses, the status bar, and a quick fix that
// changes the saved file. Prints `ok <step> <ms>` per step (as the other clients in tests/e2e do) and
// saves a screenshot per step.
//
// Environment: CARBONLSP_REPO (repository root), CARBONLSP_E2E_FILE (a copy of
// examples/campaign.prompts.json in a folder of its own: the workspace), CARBONLSP_E2E_VSIX (default
// editors/vscode/carbonlsp.vsix), CARBONLSP_E2E_SHOTS (screenshot folder, default
// artifacts/e2e/vscode), CARBONLSP_E2E_TIMEOUT_MS (whole run, default 150000), CHROMIUM (default
// /usr/bin/chromium). Install: tests/e2e/vscode/install.sh.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = process.env.CARBONLSP_REPO ?? join(here, '..', '..', '..');
const file = process.env.CARBONLSP_E2E_FILE;
if (!file || !existsSync(file)) { console.error('CARBONLSP_E2E_FILE must name a prompt file'); process.exit(2); }
const vsix = process.env.CARBONLSP_E2E_VSIX ?? join(repo, 'editors', 'vscode', 'carbonlsp.vsix');
const shots = process.env.CARBONLSP_E2E_SHOTS ?? join(repo, 'artifacts', 'e2e', 'vscode');
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const limit = Number(process.env.CARBONLSP_E2E_TIMEOUT_MS ?? 150000);
const entry = join(here, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
for (const [what, path] of [['code-server (run tests/e2e/vscode/install.sh)', entry], ['the packaged extension (dotnet pwsh ./build.ps1 package)', vsix], ['chromium (apt-get install -y chromium)', browserPath]])
  if (!existsSync(path)) { console.log(`MISSING ${what}: ${path}`); process.exit(4); }

const started = Date.now();
let step = Date.now();
const ok = name => { console.log(`ok ${name} ${Date.now() - step}`); step = Date.now(); };
const watchdog = setTimeout(() => { console.error(`timed out after ${limit} ms`); cleanup(); process.exit(3); }, limit);

const profile = mkdtempSync(join(tmpdir(), 'carbonlsp-vscode-'));
const userData = join(profile, 'user-data'), extensions = join(profile, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(shots, { recursive: true });
// A quiet profile: no welcome page, no trust prompt, no update or telemetry traffic, hovers soon.
writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false,
  'workbench.enableExperiments': false, 'editor.hover.delay': 150, 'editor.codeLens': true, 'editor.inlayHints.enabled': 'on',
  'window.commandCenter': false, ...(process.env.CARBONLSP_E2E_KEEP ? { 'carbonlsp.trace.server': 'messages' } : {}), 'chat.commandCenter.enabled': false, 'workbench.colorTheme': 'Default Light Modern',
}, null, 2));

// A plain JSON file beside the prompt file (see the 'open' step).
const plainJson = join(dirname(file), 'notes.json');
writeFileSync(plainJson, JSON.stringify({ note: 'an ordinary JSON file' }, null, 2));

let server, browser;
function cleanup() {
  try { browser?.close(); } catch { }
  // code-server runs VS Code's server in child processes: end the whole process group it leads.
  try { if (server) process.kill(-server.pid, 'SIGKILL'); } catch { }
  if (process.env.CARBONLSP_E2E_KEEP) console.log(`# profile kept: ${profile}`);
  else try { rmSync(profile, { recursive: true, force: true }); } catch { }
}

/** The first file under dir whose name passes test (depth-first), or undefined. */
function findFile(dir, test) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { const f = findFile(p, test); if (f) return f; }
    else if (e.isFile() && test(e.name)) return p;
  }
  return undefined;
}

const freePort = () => new Promise((resolve, reject) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  s.on('error', reject);
});

try {
  execFileSync(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { stdio: 'pipe', timeout: 60000 });
  ok('install-extension');

  const port = await freePort();
  server = spawn(process.execPath, [entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', userData, '--extensions-dir', extensions, dirname(file)],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_PROXY_URI: '' }, detached: true });
  let serverLog = '';
  server.stdout.on('data', d => { serverLog += d; });
  server.stderr.on('data', d => { serverLog += d; });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { }
    if (i > 300) throw new Error(`code-server did not start:\n${serverLog}`);
    await new Promise(r => setTimeout(r, 100));
  }
  ok('code-server');

  browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const consoleErrors = [];
  page.on('pageerror', e => consoleErrors.push(String(e)));
  // Nothing but 127.0.0.1: the workbench must not need another address (fonts, marketplace, telemetry).
  await page.route(url => !/^https?:\/\/127\.0\.0\.1[:/]/.test(url.href) && !url.href.startsWith('data:') && !url.href.startsWith('blob:'), r => r.abort());
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirname(file))}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.locator('.statusbar').waitFor();
  ok('workbench');
  const shot = async name => page.screenshot({ path: join(shots, `${name}.png`) });

  // Open a plain .json file first: VS Code's own JSON server then runs, and it used to flag the prompt
  // file's comments and trailing commas (issue 19, item 12). Then the prompt file, both with Quick Open.
  const quickOpen = async name => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(name);
    // The list updates a moment after the input: wait until the row Enter would pick (the focused one) names
    // the file (the list of recent files shown before the filter applies had another file focused).
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: name }).waitFor();
  };
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await quickOpen(basename(plainJson));
  await quickOpen(basename(file));
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor();
  ok('open');

  // Diagnostics: squiggles in the editor, CL101 for 80 steps in the Problems panel.
  await page.locator('.squiggly-warning, .squiggly-error').first().waitFor({ timeout: 60000 });
  await page.keyboard.press('Control+Shift+M');
  const problems = page.locator('.markers-panel');
  await problems.getByText('80 steps', { exact: false }).first().waitFor({ timeout: 30000 });
  const problemText = await problems.innerText();
  if (!/CL101/.test(problemText)) throw new Error(`no CL101 in the Problems panel:\n${problemText}`);
  await shot('diagnostics');
  ok('diagnostics');

  // Whether VS Code asked for the lenses of a file opened while its client started: in about 1 run in 6 it
  // never does (no textDocument/codeLens request in the trace, even after the server's codeLens/refresh). Noted
  // here; the lenses are checked after the quick fix below.
  const lensesAtOpen = await page.locator('.codelens-decoration').first().waitFor({ timeout: 10000 }).then(() => true, () => false);
  if (!lensesAtOpen) {
    // What a user does then: close the file and open it again (VS Code attaches the editor's lens controller anew).
    await page.keyboard.press('Control+W');
    await quickOpen(basename(file));
    await editor.waitFor();
  }

  // Hover on the 80 of "steps": 80 (Go to line:column, then Show Hover).
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex(l => l.includes('"steps": 80'));
  const column = lines[line].indexOf('"steps": 80') + '"steps": '.length + 1;
  await editor.click();
  await page.keyboard.press('Control+G');
  await page.locator(".quick-input-widget input").fill(`:${line + 1}:${column + 1}`); // Go to Line takes ":line:column"
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  // The server's hover on the steps (the cost of a step, what denoising takes), not only the problem's text.
  const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: /denois/i }).first();
  await hover.waitFor({ timeout: 30000 });
  const hoverText = await hover.innerText();
  if (!/Wh/.test(hoverText) || !/CO2e/.test(hoverText)) throw new Error(`the hover does not give the footprint:\n${hoverText}`);
  await shot('hover');
  ok('hover');
  await page.keyboard.press('Escape');

  // Quick fix: "Use 25 steps (...)" from the light bulb menu, then save and read the file on disk.
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: /^Use \d+ steps/ }).first();
  await fix.waitFor({ timeout: 30000 });
  const fixTitle = (await fix.getAttribute('aria-label')).trim();
  await shot('quickfix');
  // The menu is keyboard-driven (a pointer block covers it): move the focus to the fix, then Enter.
  for (let i = 0; ; i++) {
    const focused = await page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label').catch(() => '');
    if (focused === fixTitle) break;
    if (i > 20) throw new Error(`could not focus "${fixTitle}" in the quick fix menu`);
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+S');
  const want = fixTitle.match(/^Use (\d+) steps/)[1];
  for (let i = 0; ; i++) {
    const saved = readFileSync(file, 'utf8');
    if (saved.includes(`"steps": ${want}`) && !saved.includes('"steps": 80')) break;
    if (i > 150) throw new Error(`the quick fix "${fixTitle}" did not reach the saved file:\n${saved}`);
    await new Promise(r => setTimeout(r, 100));
  }
  // CL101 leaves the Problems panel.
  await problems.getByText('80 steps', { exact: false }).first().waitFor({ state: 'detached', timeout: 30000 });
  await shot('fixed');
  ok('quickfix');

  // Code lenses above the prompts and the status bar's footprint.
  await page.locator('.codelens-decoration').first().waitFor({ timeout: 30000 });
  const lenses = await page.locator('.codelens-decoration').allInnerTexts();
  if (!lenses.some(t => /Wh/.test(t))) throw new Error(`no footprint in the code lenses: ${JSON.stringify(lenses)}`);
  const status = page.locator('.statusbar-item', { hasText: 'CO2e' }).first();
  await status.waitFor({ timeout: 30000 });
  // The quick fix ran carbonlsp.recordSaving after its edit (issue 22): the status bar says what it saved.
  await page.locator('.statusbar-item', { hasText: /CO2e.*saved/ }).first().waitFor({ timeout: 30000 });
  const statusText = await status.innerText();
  await shot('lenses');
  ok('lens+status');

  // One checker per problem: VS Code's JSON server reports nothing on the prompt file (it has a comment and
  // a trailing comma, which prompt files allow; unknown keys are CarbonLsp's CL002 alone).
  const allProblems = await problems.innerText();
  for (const json of [/Comments are not permitted/i, /Trailing comma/i, /is not allowed/i])
    if (json.test(allProblems)) throw new Error(`VS Code's JSON checks flag the prompt file (${json}):\n${allProblems}`);
  ok('json-checks');


  // carbonlsp.server.path changed in the User tab of the Settings editor of this remote window (issue 19,
  // item 13; machine-overridable settings were hidden there): a path that does not exist stops the server with
  // a message that names it; a good path starts it again, with no window reload.
  const setServerPath = async value => {
    await page.keyboard.press('Control+Comma');
    const search = page.locator('.settings-editor .settings-header .monaco-editor textarea').first();
    await search.waitFor({ timeout: 30000 });
    await search.fill('carbonlsp.server.path');
    const input = page.locator('.settings-editor .setting-item-contents', { hasText: 'Path' })
      .filter({ has: page.locator('.setting-item-label', { hasText: /^Path$/ }) }).locator('input').first();
    await input.waitFor({ timeout: 30000 });
    await input.fill(value);
    await input.press('Tab');   // the Settings editor writes the value when the field loses focus (or after a pause)
  };
  const missing = join(profile, 'no-such-folder', 'carbonlsp');
  await setServerPath(missing);
  await page.locator('.notification-toast', { hasText: 'which does not exist' }).first().waitFor({ timeout: 30000 });
  await problems.getByText(/CL1\d\d/).first().waitFor({ state: 'detached', timeout: 30000 });
  await page.locator('.statusbar-item', { hasText: 'CO2e' }).first().waitFor({ state: 'hidden', timeout: 30000 });
  await shot('server-path-missing');
  const bundled = findFile(extensions, n => n === 'carbonlsp');
  if (!bundled) throw new Error(`no bundled server under ${extensions}`);
  await setServerPath(bundled);
  await problems.getByText(/CL1\d\d/).first().waitFor({ timeout: 60000 });
  await page.locator('.statusbar-item', { hasText: 'CO2e' }).first().waitFor({ timeout: 30000 });
  const saved = JSON.parse(readFileSync(join(userData, 'User', 'settings.json'), 'utf8'));
  if (saved['carbonlsp.server.path'] !== bundled) throw new Error(`the User settings hold ${saved['carbonlsp.server.path']}, not ${bundled}`);
  await shot('server-path-restored');
  ok('server-path');

  // Last, since the webview keeps the keyboard focus afterwards (the Settings editor did not open after it in CI).
  // "CarbonLsp: Show footprint report" (issue 22): the server writes .carbonlsp/footprint-report.html and the
  // extension shows it in a webview, with the fix just applied counted as saved this month.
  await page.keyboard.press('F1');
  await page.keyboard.type('CarbonLsp: Show footprint report');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show footprint report' }).first().waitFor({ timeout: 30000 });
  await page.keyboard.press('Enter');
  const report = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await report.locator('h1', { hasText: 'Footprint report' }).waitFor({ timeout: 60000 });
  const savedCard = await report.locator('.card.saved').innerText();
  if (!/1 fix\b/.test(savedCard)) throw new Error(`the report's "saved this month" does not count the quick fix: ${savedCard}`);
  if (!existsSync(join(dirname(file), '.carbonlsp', 'footprint-report.html'))) throw new Error('no .carbonlsp/footprint-report.html in the workspace');
  await shot('report');
  ok('report');

  if (consoleErrors.length) console.log(`# page errors: ${consoleErrors.slice(0, 5).join(' | ')}`);
  console.log(`# status bar: ${statusText.replace(/\s+/g, ' ')}; fix: ${fixTitle}; lenses before the first edit: ${lensesAtOpen ? 'yes' : 'no'}; ${Date.now() - started} ms`);
  cleanup();
  clearTimeout(watchdog);
  process.exit(0);
} catch (e) {
  console.error(`FAILED: ${e?.stack ?? e}`);
  try { const pages = browser?.contexts()[0]?.pages(); if (pages?.[0]) await pages[0].screenshot({ path: join(shots, 'failure.png') }); } catch { }
  cleanup();
  process.exit(1);
}
