// @ts-check
// Unit tests of the arrow routing in arrows.js: an arrow enters its box on the side
// facing the slot it leaves from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathFor } from './arrows.js';

/** The end point of a path "M.. C.. .. x,y". @param {string} d */
const endOf = (d) => d.split(' ').pop()?.split(',').map(Number) || [];

test('a box to the right in the same row is entered from its left edge', () => {
  const [x, y] = endOf(pathFor(100, 50, 300, 40, 120, 60));
  assert.equal(x, 299);
  assert.ok(y >= 40 && y <= 100);
});

test('a box above and to the right is entered from below, at the point nearest the slot', () => {
  const [x, y] = endOf(pathFor(250, 400, 200, 100, 200, 80));
  assert.equal(y, 181, 'the bottom edge');
  assert.equal(x, 250, 'straight above the slot');
  const [x2, y2] = endOf(pathFor(100, 400, 300, 100, 120, 60));
  assert.ok(y2 === 161 || x2 === 299, 'far up and right: bottom or left edge');
});

test('a box to the left is entered from its right edge, a box below from its top', () => {
  assert.equal(endOf(pathFor(400, 50, 100, 40, 120, 60))[0], 221);
  assert.equal(endOf(pathFor(150, 50, 100, 300, 120, 60))[1], 299);
});

test('among the entries, the one whose curve does not cross another box wins', () => {
  // Slot at (100, 300), target up and to the right: by default it rises into the
  // target's bottom edge; with a box just below the target, it comes in from the left.
  const target = /** @type {const} */ ([300, 100, 120, 60]);
  assert.deepEqual(endOf(pathFor(100, 300, ...target)), [314, 161]);
  assert.deepEqual(endOf(pathFor(100, 300, ...target, [{ x: 250, y: 170, w: 200, h: 60 }])), [299, 114]);
});
