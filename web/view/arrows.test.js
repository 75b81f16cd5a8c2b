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

/**
 * Whether an SVG path of M/L/Q/C commands passes through the inside of [o], sampled
 * along its straight pieces and control polygons (good enough for axis-aligned routes).
 * @param {string} d @param {{x: number, y: number, w: number, h: number}} o
 */
function passesThrough(d, o) {
  const nums = (d.match(/-?\d+(\.\d+)?/g) || []).map(Number);
  for (let i = 2; i + 1 < nums.length; i += 2) {
    const [ax, ay, bx, by] = [nums[i - 2], nums[i - 1], nums[i], nums[i + 1]];
    for (let k = 0; k <= 20; k++) {
      const x = ax + (bx - ax) * k / 20, y = ay + (by - ay) * k / 20;
      if (x > o.x + 2 && x < o.x + o.w - 2 && y > o.y + 2 && y < o.y + o.h - 2) return true;
    }
  }
  return false;
}

test('when every curve would cross a box, the arrow runs in the gaps between boxes', () => {
  // The slot at (100, 50); the target to the right, one row down; a box sits squarely
  // between them (the layout of a name whose object is in the heap's second column).
  const wall = { x: 200, y: 20, w: 120, h: 140 };
  const d = pathFor(100, 50, 400, 100, 100, 50, [wall]);
  assert.ok(!passesThrough(d, wall), `the path ${d} avoids the box`);
  const [x, y] = endOf(d.replace(/ L/g, ' '));
  assert.equal(x, 399, 'it still ends on the left edge of the target');
  assert.ok(y >= 100 && y <= 150);
});

test('a slot that refers to its own box loops out below and back in from the left', () => {
  const d = pathFor(150, 70, 100, 40, 120, 50);
  const [x, y] = endOf(d.replace(/ L/g, ' '));
  assert.equal(x, 99, 'enters through the left edge');
  assert.ok(y > 40 && y < 90);
  const ys = (d.match(/-?\d+(\.\d+)?/g) || []).map(Number).filter((_, i) => i % 2 === 1);
  assert.ok(Math.max(...ys) > 90, 'the loop passes below the box');
});
