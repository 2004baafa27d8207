'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { serverEnvironment, storedLabels, gridSecrets } = require('../out/secrets');

test('stored grid credentials become the server\'s environment variables; empty ones are left out', () => {
  const env = serverEnvironment({ PATH: '/bin', CARBONLSP_WATTTIME_USER: 'from-shell' }, {
    'carbonlsp.electricityMapsToken': ' tok ', 'carbonlsp.wattTimeUser': 'me', 'carbonlsp.wattTimePassword': '   ',
  });
  assert.equal(env.PATH, '/bin');
  assert.equal(env.CARBONLSP_ELECTRICITYMAPS_TOKEN, 'tok');
  assert.equal(env.CARBONLSP_WATTTIME_USER, 'me');                 // the editor's stored value wins
  assert.equal(env.CARBONLSP_WATTTIME_PASSWORD, undefined);
  assert.equal(env.DOTNET_CLI_TELEMETRY_OPTOUT, '1');
  assert.equal(serverEnvironment({ CARBONLSP_WATTTIME_USER: 'from-shell' }, {}).CARBONLSP_WATTTIME_USER, 'from-shell');
});

test('messages name the stored credentials, never their values; the variables are the server\'s', () => {
  assert.deepEqual(storedLabels({ 'carbonlsp.electricityMapsToken': 'x', 'carbonlsp.wattTimeUser': '' }), ['Electricity Maps API token']);
  assert.deepEqual(gridSecrets.map((s) => s.env), ['CARBONLSP_ELECTRICITYMAPS_TOKEN', 'CARBONLSP_WATTTIME_USER', 'CARBONLSP_WATTTIME_PASSWORD']);
});
