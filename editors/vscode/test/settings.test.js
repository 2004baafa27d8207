'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { toServerSettings, answerConfiguration, serverKeys, ruleKeys } = require('../out/settings');

const from = (o) => (k) => o[k];

test('unset, null and empty values are left to the server', () => {
  assert.deepEqual(toServerSettings(from({ region: '', device: null, pue: undefined, 'rules.disabled': [] })), {});
});

test('values are passed through, trimmed, with rules nested and codes upper-cased', () => {
  const s = toServerSettings(
    from({ region: ' DE ', device: 'nvidia-h100', pue: 1.3, budget: { co2eGrams: 5 }, debounceMs: 50, inlayHints: false, codeLens: true, 'rules.stepsTolerance': 1.5, 'rules.disabled': ['cl105'] }),
  );
  assert.deepEqual(s, { region: 'DE', device: 'nvidia-h100', pue: 1.3, budget: { co2eGrams: 5 }, debounceMs: 50, inlayHints: false, codeLens: true, rules: { stepsTolerance: 1.5, disabled: ['CL105'] } });
});

test('a nested rules object (settings.json style) is read too', () => {
  assert.deepEqual(toServerSettings(from({ rules: { maxImages: 4 } })), { rules: { maxImages: 4 } });
});

test('workspace/configuration: our section mapped, other sections untouched', () => {
  const r = answerConfiguration([{ section: 'carbonlsp' }, { section: 'editor' }], () => ({ region: 'FR' }), (s) => `other:${s}`);
  assert.deepEqual(r, [{ region: 'FR' }, 'other:editor']);
});

test('package.json declares a setting for every server key, with a description', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  for (const k of serverKeys) {
    if (k === 'rules') continue;
    assert.ok(props[`carbonlsp.${k}`], `carbonlsp.${k}`);
  }
  for (const k of ruleKeys) assert.ok(props[`carbonlsp.rules.${k}`], `carbonlsp.rules.${k}`);
  for (const [k, v] of Object.entries(props)) assert.ok(v.description || v.markdownDescription, `${k} has no description`);
  assert.equal(props['carbonlsp.debounceMs'].default, 50);
});

test('prompt files are left to CarbonLsp: VS Code\'s JSON server neither parses nor validates them', () => {
  // With a JSON language participant or a jsonValidation entry, VS Code's built-in JSON server reported
  // comments and trailing commas as errors and every unknown key a second time (issue 19, item 12).
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  assert.equal(pkg.contributes.jsonLanguageParticipants, undefined);
  assert.equal(pkg.contributes.jsonValidation, undefined);
  assert.ok(pkg.contributes.languages.some(l => l.id === 'carbon-prompts' && l.filenamePatterns.includes('*.prompts.json')));
  // Editors that do run a JSON server with the schema: comments and trailing commas are allowed.
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'schemas', 'prompts.schema.json'), 'utf8'));
  assert.equal(schema.allowComments, true);
  assert.equal(schema.allowTrailingCommas, true);
});

test('the server path and the folders it may read are window settings (shown in remote windows\' User tab), kept from untrusted workspaces', () => {
  // As machine-overridable it was hidden from the User tab in remote windows (code-server, Remote-SSH, WSL).
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  // A cloned repository's .vscode/settings.json must not allow the server to read folders outside it (issue 20, item 6).
  for (const key of ['carbonlsp.server.path', 'carbonlsp.server.dotnetPath', 'carbonlsp.modelsPath', 'carbonlsp.trustedModelFolders', 'carbonlsp.gridProvider', 'carbonlsp.gridUrl']) {
    assert.equal(props[key].scope, 'window', key);
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
  }
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});
