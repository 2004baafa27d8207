'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { formatGrams, formatEnergy, statusView, summaryMessage, isUnknownCommand, savedLine } = require('../out/format');

test('grams and energy are short and readable', () => {
  assert.equal(formatGrams(0), '0.00 g');
  assert.equal(formatGrams(0.042), '0.042 g');
  assert.equal(formatGrams(0.42), '0.42 g');
  assert.equal(formatGrams(4.25), '4.3 g');
  assert.equal(formatGrams(42.4), '42 g');
  assert.equal(formatGrams(1234), '1.23 kg');
  assert.equal(formatGrams(NaN), '? g');
  assert.equal(formatEnergy(0.27), '0.27 Wh');
  assert.equal(formatEnergy(12.3), '12 Wh');
  assert.equal(formatEnergy(1500), '1.50 kWh');
});

const file = { uri: 'file:///a.prompts.json', files: 1, prompts: 4, images: 15, energyWh: 14.2, co2eGrams: 6.43, co2eGramsLow: 4.1, co2eGramsHigh: 9.0, budgetGrams: 2, budgetExceeded: true };
const workspace = { files: 3, prompts: 9, images: 20, energyWh: 30, co2eGrams: 12.5 };

test('status bar: file then workspace, warning when over budget', () => {
  const v = statusView({ file, workspace });
  assert.equal(v.text, '$(pulse) 6.4 g CO2e · ws 13 g');
  assert.equal(v.warning, true);
  assert.match(v.tooltip, /This file: 6\.4 g CO2e, 14 Wh \(4 prompts, 15 images\)/);
  assert.match(v.tooltip, /Range: 4\.1 g to 9\.0 g/);
  assert.match(v.tooltip, /Over budget: 6\.4 g of 2\.0 g/);
  assert.match(v.tooltip, /Workspace: 13 g CO2e, 30 Wh \(3 files, 9 prompts, 20 images\)/);
});

test('status bar: a single-file workspace does not repeat itself; no budget, no warning', () => {
  const v = statusView({ file: { ...file, budgetGrams: undefined, budgetExceeded: false }, workspace: { ...workspace, files: 1 } });
  assert.equal(v.text, '$(pulse) 6.4 g CO2e');
  assert.equal(v.warning, false);
  assert.doesNotMatch(v.tooltip, /budget/i);
});

test('status bar: workspace only when no prompt file is active; hidden when nothing', () => {
  assert.equal(statusView({ file: null, workspace }).text, '$(pulse) ws 13 g CO2e');
  assert.equal(statusView({ file: null, workspace: null }).text, '');
  assert.equal(statusView(undefined).text, '');
});

test('status bar: this month\'s savings next to what is spent, only once something was saved', () => {
  const saved = { energyWh: 1.8, co2eGrams: 0.69, fixes: 3, reuses: 1 };
  const v = statusView({ file, workspace, savedThisMonth: saved });
  assert.equal(v.text, '$(pulse) 6.4 g CO2e · ws 13 g · saved 0.69 g');
  assert.match(v.tooltip, /Saved this month: 1\.80 Wh, 0\.69 g CO2e \(3 fixes, 1 reuse\)/);
  assert.equal(savedLine({ energyWh: 0.5, co2eGrams: 0.2, fixes: 1, reuses: 0 }), 'Saved this month: 0.50 Wh, 0.20 g CO2e (1 fix, 0 reuses)');
  const none = statusView({ file, workspace, savedThisMonth: { energyWh: 0, co2eGrams: 0, fixes: 0, reuses: 0 } });
  assert.doesNotMatch(none.text, /saved/);
  assert.doesNotMatch(none.tooltip, /Saved/);
});

test('summary message and unknown-command errors', () => {
  assert.match(summaryMessage({ file, workspace }), /^This file: .* · Workspace: /);
  assert.equal(summaryMessage(null), 'CarbonLsp: no prompt files open.');
  assert.equal(isUnknownCommand(new Error("Unknown command 'carbonlsp.generate'.")), true);
  assert.equal(isUnknownCommand({ code: -32602, message: "Unknown command 'x'." }), true);
  assert.equal(isUnknownCommand(new Error('Request textDocument/hover failed')), false);
});
