// Packages the extension with vsce (offline: --no-dependencies, the bundle holds the client) and
// checks what the .vsix (a zip) contains.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

/** Reads a zip's central directory: name → { method, size, offset }. */
function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip: no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20); // compressed
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.set(name, { method, size, offset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  const read = (name) => {
    const e = entries.get(name);
    assert.ok(e, `${name} is not in the vsix`);
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    const data = buf.subarray(start, start + e.size); // compressed size from the central directory
    return e.method === 8 ? zlib.inflateRawSync(data) : data;
  };
  return { names: [...entries.keys()], read };
}

test('vsce package makes a .vsix with the manifest, bundle, schema, language wiring and server', { timeout: 120000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carbonlsp-vsix-'));
  const out = path.join(dir, 'carbonlsp.vsix');
  try {
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', out], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 110000,
    });
    const zip = readZip(out);
    for (const name of [
      'extension/package.json',
      'extension/dist/extension.js',
      'extension/schemas/prompts.schema.json',
      'extension/syntaxes/carbon-prompts.tmLanguage.json',
      'extension/language-configuration.json',
      'extension/readme.md',
      'extension.vsixmanifest',
    ]) {
      assert.ok(zip.names.some((n) => n.toLowerCase() === name.toLowerCase()), `${name} missing; the vsix has: ${zip.names.join(', ')}`);
    }
    // Nothing of the sources or node_modules: the bundle carries vscode-languageclient.
    assert.deepEqual(zip.names.filter((n) => /^extension\/(src|test|test-support|node_modules|out)\//.test(n)), []);

    const manifest = JSON.parse(zip.read('extension/package.json').toString('utf8'));
    const lang = manifest.contributes.languages.find((l) => l.id === 'carbon-prompts');
    assert.deepEqual(lang.filenamePatterns, ['*.prompts.json']);
    const inVsix = (rel) => zip.names.includes('extension/' + rel.replace(/^\.\//, ''));
    assert.ok(inVsix(lang.configuration), lang.configuration);
    for (const g of manifest.contributes.grammars) assert.ok(inVsix(g.path), g.path);
    for (const v of manifest.contributes.jsonValidation ?? []) assert.ok(inVsix(v.url), v.url);
    assert.ok(inVsix(manifest.main.endsWith('.js') ? manifest.main : manifest.main + '.js'), manifest.main);
    const grammar = JSON.parse(zip.read('extension/syntaxes/carbon-prompts.tmLanguage.json').toString('utf8'));
    assert.equal(grammar.scopeName, manifest.contributes.grammars[0].scopeName);
    JSON.parse(zip.read('extension/schemas/prompts.schema.json').toString('utf8'));
    assert.match(zip.read('extension/dist/extension.js').toString('utf8'), /carbonlsp\/summary/);

    // A bundled server (put in server/<rid>/ by build.ps1 package) must travel in the vsix.
    const serverDir = path.join(root, 'server');
    if (fs.existsSync(serverDir)) {
      for (const rid of fs.readdirSync(serverDir)) {
        const exe = rid.startsWith('win-') ? 'carbonlsp.exe' : 'carbonlsp';
        assert.ok(zip.names.includes(`extension/server/${rid}/${exe}`), `server/${rid}/${exe} missing from the vsix`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
