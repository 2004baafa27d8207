'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { imagesOf, footprintCaption } = require('../out/generation');

test('the server answer: one entry per image, the path preferred over the uri, with its footprint', () => {
  const result = {
    images: [
      { prompt: 'hero', uri: 'file:///w/generated/hero-7.png', path: '/w/generated/hero-7.png', energyWh: 4.391, co2eGrams: 1.674, reused: false },
      { prompt: 'icon', uri: 'file:///w/generated/icon-1.png', path: '/w/generated/icon-1.png', energyWh: 0.09, co2eGrams: 0.034, reused: true },
    ],
  };
  assert.deepEqual(imagesOf(result), [
    { file: '/w/generated/hero-7.png', caption: 'hero: 4.39 Wh · 1.67 g CO2e' },
    { file: '/w/generated/icon-1.png', caption: 'icon: 0.09 Wh · 0.03 g CO2e (reused, no new energy)' },
  ]);
});

test('older or simpler shapes, and nothing to show', () => {
  assert.deepEqual(imagesOf({ output: 'out/a.png' }), [{ file: 'out/a.png', caption: 'out/a.png' }]);
  assert.deepEqual(imagesOf({ outputs: ['a.webp', 'a.webp', 'notes.txt'] }), [{ file: 'a.webp', caption: 'a.webp' }]);
  assert.deepEqual(imagesOf({ cancelled: 2 }), []);
  assert.deepEqual(imagesOf(null), []);
  assert.equal(footprintCaption({ co2eGrams: 0.1 }), '0.10 g CO2e');
});
