// @ts-check
/**
 * arrows.js — the SVG arrows from names and container slots (`[data-ref]`) to the boxes
 * of the objects they refer to (`[data-oid]`), drawn over the stage after the views
 * have laid out: all rectangles are read first, then the SVG is written once. Weak
 * references are dashed. Redrawn when the stage resizes.
 */
import { svg } from './dom.js';

export class Arrows {
  /** @param {HTMLElement} stage the positioned element holding frames and heap */
  constructor(stage) {
    this.stage = stage;
    this.svg = svg('svg', { class: 'arrows', 'aria-hidden': 'true' });
    const defs = svg('defs');
    for (const kind of ['strong', 'weak', 'hot']) {
      const marker = svg('marker', { id: '', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
      marker.setAttribute('id', `${uid}-${kind}`);
      const path = svg('path', { d: 'M0,1 L10,5 L0,9 z', class: `arrow-head ${kind}` });
      marker.appendChild(path);
      defs.appendChild(marker);
    }
    this.svg.appendChild(defs);
    this.group = svg('g');
    this.svg.appendChild(this.group);
    stage.appendChild(this.svg);
    this.frame = 0;
    if (typeof ResizeObserver !== 'undefined') {
      this.observer = new ResizeObserver(() => this.schedule());
      this.observer.observe(stage);
    }
    uid++;
    this.id = uid - 1;
  }

  /** Redraws in the next animation frame (coalesced). */
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.update(); });
  }

  /** Reads the layout and redraws every arrow now. */
  update() {
    const stage = this.stage;
    const origin = stage.getBoundingClientRect();
    const ox = origin.left - stage.scrollLeft, oy = origin.top - stage.scrollTop;
    /** @type {Map<string, DOMRect>} */
    const targets = new Map();
    for (const box of stage.querySelectorAll('[data-oid]')) {
      targets.set(/** @type {HTMLElement} */ (box).dataset.oid || '', box.getBoundingClientRect());
    }
    /** @type {{x1: number, y1: number, t: DOMRect, weak: boolean, hot: boolean}[]} */
    const lines = [];
    for (const slot of stage.querySelectorAll('.slot[data-ref]')) {
      const h = /** @type {HTMLElement} */ (slot);
      const t = targets.get(h.dataset.ref || '');
      const dot = h.querySelector('.dot') || h;
      const r = dot.getBoundingClientRect();
      if (!t || r.width === 0) continue;
      lines.push({ x1: r.left + r.width / 2, y1: r.top + r.height / 2, t, weak: !!h.dataset.weak, hot: !!h.closest('.frame.active') });
    }
    const width = stage.scrollWidth, height = stage.scrollHeight;
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    // Boxes an arrow should not run through: the objects, and the frames too.
    const rects = [...targets.values()];
    for (const f of stage.querySelectorAll('.frame')) rects.push(f.getBoundingClientRect());
    const obstacles = rects.map((t) => ({ x: t.left - ox, y: t.top - oy, w: t.width, h: t.height }));
    const paths = lines.map((l) => {
      const d = pathFor(l.x1 - ox, l.y1 - oy, l.t.left - ox, l.t.top - oy, l.t.width, l.t.height, obstacles);
      const kind = l.weak ? 'weak' : l.hot ? 'hot' : 'strong';
      return svg('path', { d, class: `arrow ${kind}`, 'marker-end': `url(#${this.id}-${kind})` });
    });
    this.group.replaceChildren(...paths);
  }

  dispose() {
    if (this.observer) this.observer.disconnect();
    if (this.frame) cancelAnimationFrame(this.frame);
  }
}

let uid = 1;

/**
 * A smooth curve from a slot's dot to a box. It enters the box on the side that faces
 * the dot (its left edge near the top when the box lies to the right; else its bottom
 * edge when the box is above, its top edge when below, its right edge when it lies to
 * the left), choosing the closest of those, and leaves the dot heading that way; an
 * entry from above or below lands at the point of the edge nearest the dot, so an
 * arrow to a box up and to the right rises into it instead of sweeping across the
 * boxes beside it.
 * @param {number} x1
 * @param {number} y1
 * @param {number} bx box left
 * @param {number} by box top
 * @param {number} bw
 * @param {number} bh
 * @param {{x: number, y: number, w: number, h: number}[]} [obstacles] the boxes on the stage
 *   (stage coordinates): among the entries, the one whose curve crosses fewest wins
 */
export function pathFor(x1, y1, bx, by, bw, bh, obstacles = []) {
  if (x1 >= bx && x1 <= bx + bw && y1 >= by && y1 <= by + bh) {
    // A slot of the box that refers to the box itself (a list that contains itself):
    // a loop out of the bottom, around the left side, and back in through the left edge.
    const below = by + bh + 12, left = bx - 14, entry = by + Math.min(14, bh / 2);
    return rounded([[x1, y1], [x1, below], [left, below], [left, entry], [bx - 1, entry]]);
  }
  const inset = Math.min(14, bw / 2);
  const along = Math.max(bx + inset, Math.min(bx + bw - inset, x1));
  /** @type {{x: number, y: number, dx: number, dy: number}[]} entry points with the direction of travel */
  const entries = [];
  if (bx > x1 + 12) entries.push({ x: bx - 1, y: by + Math.min(14, bh / 2), dx: 1, dy: 0 });
  if (bx + bw < x1 - 12) entries.push({ x: bx + bw + 1, y: by + Math.min(14, bh / 2), dx: -1, dy: 0 });
  if (by + bh < y1 - 8) entries.push({ x: along, y: by + bh + 1, dx: 0, dy: -1 });
  if (by > y1 + 8) entries.push({ x: along, y: by - 1, dx: 0, dy: 1 });
  if (!entries.length) entries.push({ x: bx + inset, y: by - 1, dx: 0, dy: 1 }); // the dot is level with the box
  // Boxes in the way: not the target, not the box the arrow starts in.
  const inWay = obstacles.filter((o) => !(o.x === bx && o.y === by) && !(x1 >= o.x && x1 <= o.x + o.w && y1 >= o.y && y1 <= o.y + o.h));
  let best = '', bestCost = Infinity;
  for (const e of entries) for (const first of ['side', 'straight', 'under']) {
    if (e.dx ? first === 'straight' : first === 'under') continue;
    const c = curveTo(x1, y1, e, first);
    const cost = Math.hypot(e.x - x1, e.y - y1) + (e.dx ? 0 : 16) + (first === 'side' ? 0 : 8) + 1000 * crossings(c, inWay);
    if (cost < bestCost) { bestCost = cost; best = `M${r(x1)},${r(y1)} C${r(c[2])},${r(c[3])} ${r(c[4])},${r(c[5])} ${r(c[6])},${r(c[7])}`; }
  }
  if (bestCost >= 1000) {
    // Every curve runs through some box (which would hide it, or make it seem to point
    // at the wrong object): try a path along the gaps between the boxes instead.
    for (const e of entries) {
      const alt = corridorPath(x1, y1, e, inWay);
      if (alt && alt.cost < bestCost) { bestCost = alt.cost; best = alt.d; }
    }
  }
  return best;
}

/**
 * A path from (x1, y1) into the sideways entry [e] that runs in the gaps between boxes:
 * out of the slot horizontally to a vertical gap, along it to a horizontal gap, along
 * that to just before the target, and into the entry; corners rounded. Returns the best
 * such path and its cost (length, a little per corner, 1000 per box crossed), or null
 * for entries from above or below.
 * @param {number} x1
 * @param {number} y1
 * @param {{x: number, y: number, dx: number, dy: number}} e
 * @param {{x: number, y: number, w: number, h: number}[]} rects the boxes in the way
 */
export function corridorPath(x1, y1, e, rects) {
  if (!e.dx) return null;
  const GAP = 9;
  const xb = e.x - e.dx * 14; // the last leg enters the box horizontally
  const lo = Math.min(x1, xb), hi = Math.max(x1, xb);
  const xs = new Set([xb]);
  const ys = new Set([y1, e.y]);
  for (const o of rects) {
    for (const x of [o.x - GAP, o.x + o.w + GAP]) if (x > lo && x < hi) xs.add(x);
    ys.add(o.y - GAP);
    ys.add(o.y + o.h + GAP);
  }
  let best = null;
  for (const xa of xs) for (const yc of ys) {
    // Going backwards (away from the target) before turning is never better.
    if ((xa - x1) * e.dx < 0) continue;
    /** @type {number[][]} */
    const pts = [[x1, y1], [xa, y1], [xa, yc], [xb, yc], [xb, e.y], [e.x, e.y]];
    let length = 0, corners = 0, crossed = 0;
    for (let i = 1; i < pts.length; i++) {
      const [ax, ay] = pts[i - 1], [bx, by] = pts[i];
      const len = Math.abs(bx - ax) + Math.abs(by - ay);
      if (len < 0.5) continue;
      length += len;
      corners++;
      for (const o of rects) if (segmentCrosses(ax, ay, bx, by, o)) crossed++;
    }
    const cost = length + 12 * corners + 1000 * crossed;
    if (!best || cost < best.cost) best = { cost, pts };
  }
  return best && { cost: best.cost, d: rounded(best.pts) };
}

/**
 * Whether the horizontal or vertical segment (ax, ay)–(bx, by) passes through the
 * inside of [o] (a margin of 2 px on each side is allowed).
 * @param {number} ax @param {number} ay @param {number} bx @param {number} by
 * @param {{x: number, y: number, w: number, h: number}} o
 */
function segmentCrosses(ax, ay, bx, by, o) {
  const x0 = Math.min(ax, bx), x1 = Math.max(ax, bx), y0 = Math.min(ay, by), y1 = Math.max(ay, by);
  return x1 > o.x + 2 && x0 < o.x + o.w - 2 && y1 > o.y + 2 && y0 < o.y + o.h - 2;
}

/**
 * An SVG path through axis-aligned points with rounded corners.
 * @param {number[][]} pts
 */
function rounded(pts) {
  const p = pts.filter((q, i) => i === 0 || Math.abs(q[0] - pts[i - 1][0]) + Math.abs(q[1] - pts[i - 1][1]) >= 0.5);
  let d = `M${r(p[0][0])},${r(p[0][1])}`;
  for (let i = 1; i < p.length - 1; i++) {
    const [px, py] = p[i - 1], [cx, cy] = p[i], [nx, ny] = p[i + 1];
    const rad = Math.min(8, Math.hypot(cx - px, cy - py) / 2, Math.hypot(nx - cx, ny - cy) / 2);
    const ux = Math.sign(cx - px), uy = Math.sign(cy - py), vx = Math.sign(nx - cx), vy = Math.sign(ny - cy);
    d += ` L${r(cx - ux * rad)},${r(cy - uy * rad)} Q${r(cx)},${r(cy)} ${r(cx + vx * rad)},${r(cy + vy * rad)}`;
  }
  const last = p[p.length - 1];
  return d + ` L${r(last[0])},${r(last[1])}`;
}

/**
 * The control points of the curve from (x1, y1) into [e]: [x1, y1, c1x, c1y, c2x, c2y, x2, y2].
 * A vertical entry leaves the dot sideways, or ('straight') heading up or down first
 * (that one slips between rows of boxes); a sideways entry may dip ('under') below the
 * boxes of its row on the way.
 * @param {number} x1
 * @param {number} y1
 * @param {{x: number, y: number, dx: number, dy: number}} e
 * @param {string} [how] 'side', 'straight' or 'under'
 */
function curveTo(x1, y1, e, how = 'side') {
  const { x: x2, y: y2 } = e;
  if (e.dx) {
    const d = Math.max(24, Math.abs(x2 - x1) * 0.45) * e.dx;
    if (how === 'under') {
      const low = Math.max(y1, y2) + 70;
      return [x1, y1, x1 + d * 0.4, low, x2 - d * 0.4, low, x2, y2];
    }
    return [x1, y1, x1 + d, y1, x2 - d, y2, x2, y2];
  }
  // Vertical entry: leave the dot sideways towards the target, then turn into the edge.
  const side = x2 >= x1 ? 1 : -1;
  const lead = Math.min(40, Math.max(16, Math.abs(x2 - x1) * 0.5));
  const d = Math.max(24, Math.abs(y2 - y1) * 0.5) * e.dy;
  if (how === 'straight') return [x1, y1, x1, y1 + d, x2, y2 - d, x2, y2];
  return [x1, y1, x1 + side * lead, y1, x2, y2 - d, x2, y2];
}

/**
 * How many of [rects] the cubic curve [c] passes through (sampled).
 * @param {number[]} c
 * @param {{x: number, y: number, w: number, h: number}[]} rects
 */
function crossings(c, rects) {
  let n = 0;
  for (const o of rects) {
    for (let i = 1; i < 16; i++) {
      const t = i / 16, u = 1 - t;
      const a = u * u * u, b = 3 * u * u * t, d = 3 * u * t * t, f = t * t * t;
      const x = a * c[0] + b * c[2] + d * c[4] + f * c[6], y = a * c[1] + b * c[3] + d * c[5] + f * c[7];
      if (x > o.x + 2 && x < o.x + o.w - 2 && y > o.y + 2 && y < o.y + o.h - 2) { n++; break; }
    }
  }
  return n;
}

/** @param {number} v */
function r(v) { return Math.round(v * 10) / 10; }
