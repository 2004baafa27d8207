// Edit -> diagnostics latency as VS Code's own client library sees it: vscode-jsonrpc (the library under
// vscode-languageclient) reads the server's messages; the time is taken when a publishDiagnostics for the
// edited version has been parsed. The .NET bench (bench/CarbonLsp.ServerBench) measures more, but its
// StreamJsonRpc client parses a 4 MB message into a JToken tree and collects it afterwards, which on a
// 2-core machine slows the server it measures; this client is what an editor has.
//
// Usage (after `npm ci` in editors/vscode and `dotnet pwsh ./build.ps1 publish`):
//   node bench/node-client/edit-latency.mjs artifacts/publish/linux-x64/carbonlsp [prompts=10000] [stress|typical] [edits=40]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', 'editors', 'vscode', 'package.json'));
const rpc = require('vscode-jsonrpc/node');

const [server, promptsArg = '10000', kind = 'stress', editsArg = '40'] = process.argv.slice(2);
const prompts = Number(promptsArg), edits = Number(editsArg), stress = kind === 'stress';
const subjects = ['a red fox in the snow', 'a lighthouse at dusk', 'a bowl of ramen', 'a city skyline at night', 'a portrait of an old sailor'];
const models = ['sdxl', 'sdxl-turbo', 'sd15', 'flux-dev', 'sd-turbo', 'ssd-1b', 'pixart-sigma', 'carbon-tiny'];

// Stress: every prompt flagged (as bench/CarbonLsp.Benchmarks/PromptFiles.Generate); an edit inserts
// "images": 2x (a new footprint and findings). Typical: efficient prompts, one in fifty with too many
// steps; an edit inserts "steps": 9x into a prompt that sets none (a new finding).
const lines = ['{', '  "region": "DE",', '  "device": "nvidia-rtx-4090",', '  "budget": { "co2eGrams": 100 },', '  "defaults": { "negativePrompt": "blurry", "precision": "fp16" },', '  "prompts": ['];
for (let i = 0; i < prompts; i++) {
  let s = stress
    ? `    { "id": "p${i}", "prompt": "${subjects[i % 5]}, variation ${i}", "model": "${models[i % 8]}", "steps": ${i % 7 === 0 ? 80 : 25}, "seed": ${i}`
      + (i % 5 === 0 ? ', "width": 1024, "height": 1024' : '') + (i % 11 === 0 ? ', "guidance": 7.5' : '')
    : `    { "id": "p${i}", "prompt": "${subjects[i % 5]}, variation ${i}", "model": "sdxl-turbo", "guidance": 0, "seed": ${i}` + (i % 50 === 0 ? ', "steps": 60' : '');
  lines.push(s + (i === prompts - 1 ? ' }' : ' },'));
}
lines.push('  ]', '}', '');
const text = lines.join('\n');
const dir = mkdtempSync(join(tmpdir(), 'carbonlsp-bench-'));
const file = join(dir, 'bench.prompts.json');
writeFileSync(file, text);
const uri = pathToFileURL(file).href;

const child = spawn(resolve(server), ['serve'], { stdio: ['pipe', 'pipe', 'ignore'] });
const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
// A second reader on the same stdout sees the same bytes: it takes the time the last byte of each
// publishDiagnostics message arrived (nothing parsed but the header and the version), which is the
// server's latency without the client's parsing.
const arrivedAt = new Map();
{
  let header = '', remaining = -1, start = null;
  child.stdout.on('data', chunk => {
    const now = performance.now();
    let i = 0;
    while (i < chunk.length) {
      if (remaining < 0) {
        const end = chunk.indexOf('\r\n\r\n', i);
        if (end < 0) { header += chunk.toString('latin1', i); return; }
        header += chunk.toString('latin1', i, end);
        remaining = Number(/Content-Length: *(\d+)/i.exec(header)[1]);
        header = ''; start = Buffer.alloc(0); i = end + 4;
        continue;
      }
      const take = Math.min(remaining, chunk.length - i);
      if (start.length < 200) start = Buffer.concat([start, chunk.subarray(i, i + Math.min(take, 200 - start.length))]);
      remaining -= take; i += take;
      if (remaining === 0) {
        const head = start.toString('utf8');
        const v = /"method":"textDocument\/publishDiagnostics".*?"version":(\d+)/.exec(head);
        if (v) arrivedAt.set(Number(v[1]), now);
        remaining = -1;
      }
    }
  });
}
const waiting = new Map();
let count = 0;
connection.onNotification('textDocument/publishDiagnostics', p => {
  const at = performance.now();
  count = p.diagnostics.length;
  const w = waiting.get(p.version);
  if (w) { waiting.delete(p.version); w(at); }
});
connection.onRequest(() => null);
connection.listen();
const diagnosticsFor = version => new Promise(r => waiting.set(version, r));

await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true } } } });
await connection.sendNotification('initialized', {});
let t = performance.now();
const opened = diagnosticsFor(1);
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
const openMs = (await opened) - t;
const times = [], arrivals = [];
for (let i = 0; i < edits; i++) {
  const version = i + 2;
  let line = 6 + 1 + (i * 613) % (prompts - 20);
  while (!stress && lines[line].includes('"steps"')) line++;
  await new Promise(r => setTimeout(r, 300)); // a pause: each edit is analysed at once (no debounce)
  const inserted = (stress ? '"images": 2' : '"steps": 9') + (i % 10) + ', ';
  const arrived = diagnosticsFor(version);
  t = performance.now();
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line, character: 6 }, end: { line, character: 6 } }, text: inserted }] });
  times.push(Math.round((await arrived) - t));
  arrivals.push(Math.round(arrivedAt.get(version) - t));
}
const stats = list => {
  const sorted = [...list].sort((a, b) => a - b);
  const p = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `${p(0.5)} / ${p(0.95)} / ${sorted.at(-1)} ms`;
};
console.log(`# ${prompts} prompts (${stress ? 'stress: every prompt flagged' : 'typical'}), ${Math.round(text.length / 1024)} KiB, ${count} diagnostics`);
console.log(`didOpen -> diagnostics parsed: ${Math.round(openMs)} ms`);
console.log(`edit -> diagnostics arrived (last byte), median / p95 / max (${edits} edits): ${stats(arrivals)}`);
console.log(`edit -> diagnostics parsed by vscode-jsonrpc, median / p95 / max (${edits} edits): ${stats(times)}`);
console.log(`arrived, each edit in order: ${arrivals.join(', ')} ms`);
console.log(`parsed, each edit in order: ${times.join(', ')} ms`);
const memory = when => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8'), kb = k => Math.round(Number(status.match(new RegExp(`${k}:\\s+(\\d+)`))[1]) / 1024);
  if (/VmRSS:\s+\d+/.test(status)) console.log(`server resident memory ${when}: ${kb('VmRSS')} MB (anonymous ${kb('RssAnon')} MB, mapped files ${kb('RssFile')} MB)`);
};
memory('with the file open, right after the last edit');
// The server gives the GC's free space back once the typing stops (CARBONLSP_IDLE_TRIM_MS, 5 s by default).
const rest = Number(process.env.BENCH_REST_MS ?? 8000);
if (rest > 0) {
  await new Promise(r => setTimeout(r, rest));
  memory(`at rest, ${rest / 1000} s after the last edit`);
}
await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();
child.kill();
rmSync(dir, { recursive: true, force: true });
