'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { resolveServer, runtimeIdentifier, executableName } = require('../out/serverPath');

const ext = '/home/u/.vscode/extensions/carbonlsp-0.1.0';
const dev = '/repo/editors/vscode';
const only = (...files) => (p) => files.includes(p);

test('runtime identifiers match .NET RIDs', () => {
  assert.equal(runtimeIdentifier('linux', 'x64'), 'linux-x64');
  assert.equal(runtimeIdentifier('linux', 'arm64'), 'linux-arm64');
  assert.equal(runtimeIdentifier('darwin', 'arm64'), 'osx-arm64');
  assert.equal(runtimeIdentifier('win32', 'x64'), 'win-x64');
  assert.equal(executableName('win32'), 'carbonlsp.exe');
  assert.equal(executableName('linux'), 'carbonlsp');
});

test('the setting wins over everything', () => {
  const r = resolveServer({ settingPath: '/opt/carbonlsp/carbonlsp', extensionPath: ext, platform: 'linux', arch: 'x64', exists: () => true });
  assert.equal(r.ok, true);
  assert.deepEqual(r.server, { source: 'setting', command: '/opt/carbonlsp/carbonlsp', args: ['serve'], path: '/opt/carbonlsp/carbonlsp' });
});

test('a .dll in the setting runs with dotnet (or the dotnetPath setting)', () => {
  const r = resolveServer({ settingPath: '~/b/carbonlsp.dll', dotnetPath: '/usr/share/dotnet/dotnet', home: '/home/u', extensionPath: ext, platform: 'linux', arch: 'x64', exists: only('/home/u/b/carbonlsp.dll') });
  assert.equal(r.ok, true);
  assert.equal(r.server.command, '/usr/share/dotnet/dotnet');
  assert.deepEqual(r.server.args, ['/home/u/b/carbonlsp.dll', 'serve']);
});

test('a setting that points nowhere is an error, not a silent fallback', () => {
  const r = resolveServer({ settingPath: '${workspaceFolder}/bin/carbonlsp', workspaceFolder: '/w', extensionPath: ext, platform: 'linux', arch: 'x64', exists: () => false });
  assert.equal(r.ok, false);
  assert.match(r.error, /carbonlsp\.server\.path points at "\/w\/bin\/carbonlsp"/);
});

test('then the bundled self-contained server for the platform', () => {
  const exe = `${ext}/server/linux-x64/carbonlsp`;
  const r = resolveServer({ settingPath: '  ', extensionPath: ext, platform: 'linux', arch: 'x64', exists: only(exe) });
  assert.equal(r.ok, true);
  assert.equal(r.server.source, 'bundled');
  assert.equal(r.server.command, exe);
  assert.deepEqual(r.server.args, ['serve']);
});

test('on Windows the bundled server is carbonlsp.exe under server\\win-x64', () => {
  const e = 'C:\\ext\\carbonlsp';
  const exe = 'C:\\ext\\carbonlsp\\server\\win-x64\\carbonlsp.exe';
  const r = resolveServer({ extensionPath: e, platform: 'win32', arch: 'x64', exists: only(exe) });
  assert.equal(r.ok, true);
  assert.equal(r.server.command, exe);
});

test('then the development build: Release or Debug, the newer when both exist', () => {
  const rel = '/repo/src/CarbonLsp/bin/Release/net10.0/carbonlsp.dll';
  const dbg = '/repo/src/CarbonLsp/bin/Debug/net10.0/carbonlsp.dll';
  let r = resolveServer({ extensionPath: dev, platform: 'linux', arch: 'x64', exists: only(rel, dbg) });
  assert.equal(r.server.source, 'development');
  assert.deepEqual([r.server.command, ...r.server.args], ['dotnet', rel, 'serve']);
  r = resolveServer({ extensionPath: dev, platform: 'linux', arch: 'x64', exists: only(dbg) });
  assert.equal(r.server.path, dbg);
  // Both built: the newer wins, so a stale Release build does not shadow the Debug one.
  const mtime = (p) => (p === dbg ? 2000 : 1000);
  r = resolveServer({ extensionPath: dev, platform: 'linux', arch: 'x64', exists: only(rel, dbg), modifiedTime: mtime });
  assert.equal(r.server.path, dbg);
  r = resolveServer({ extensionPath: dev, platform: 'linux', arch: 'x64', exists: only(rel, dbg), modifiedTime: (p) => (p === rel ? 3000 : 1000) });
  assert.equal(r.server.path, rel);
});

test('nothing found: an error that says what to do, and every place looked at', () => {
  const r = resolveServer({ extensionPath: dev, platform: 'darwin', arch: 'arm64', exists: () => false });
  assert.equal(r.ok, false);
  assert.match(r.error, /osx-arm64/);
  assert.match(r.error, /carbonlsp\.server\.path/);
  assert.deepEqual(r.tried, [
    '/repo/editors/vscode/server/osx-arm64/carbonlsp',
    '/repo/src/CarbonLsp/bin/Release/net10.0/carbonlsp.dll',
    '/repo/src/CarbonLsp/bin/Debug/net10.0/carbonlsp.dll',
  ]);
});
