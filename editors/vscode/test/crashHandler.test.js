// The client's crash policy: restart with a notification, give up (and say so) after too many crashes.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { installFakeVscode } = require('../test-support/fake-vscode');

test('a crashing server is restarted with a notice, then stopped with a final message', (t) => {
  const fake = installFakeVscode();
  t.after(() => fake.uninstall());
  const { CrashHandler } = require('../out/client');
  const { CloseAction, ErrorAction } = require('vscode-languageclient/node');
  const notes = [];
  let now = 0;
  const h = new CrashHandler(2, (m, final) => notes.push([m, final]), () => now);
  assert.equal(h.closed().action, CloseAction.Restart);
  now += 1000;
  assert.equal(h.closed().action, CloseAction.Restart);
  now += 1000;
  const last = h.closed();
  assert.equal(last.action, CloseAction.DoNotRestart);
  assert.match(last.message, /stopped 3 times/);
  assert.deepEqual(notes.map((n) => n[1]), [false, false, true]);
  assert.ok(notes.every(([m]) => m.length > 0), 'never silent');
  // Crashes spread over more than three minutes do not add up.
  now += 10 * 60_000;
  assert.equal(h.closed().action, CloseAction.Restart);
  assert.equal(h.error(new Error('x'), undefined, 1).action, ErrorAction.Continue);
  assert.equal(h.error(new Error('x'), undefined, 5).action, ErrorAction.Shutdown);
});
