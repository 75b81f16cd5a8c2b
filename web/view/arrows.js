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
    const obstacles = [...targets.values()].map((t) => ({ x: t.left - ox, y: t.top - oy, w: t.width, h: t.height }));
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
  const inset = Math.min(14, bw / 2);
  const along = Math.max(bx + inset, Math.min(bx + bw - inset, x1));
  /** @type {{x: number, y: number, dx: number, dy: number}[]} entry points with the direction of travel */
  const entries = [];
  if (bx > x1 + 12) entries.push({ x: bx - 1, y: by + Math.min(14, bh / 2), dx: 1, dy: 0 });
  if (bx + bw < x1 - 12) entries.push({ x: bx + bw + 1, y: by + Math.min(14, bh / 2), dx: -1, dy: 0 });
  if (by + bh < y1 - 8) entries.push({ x: along, y: by + bh + 1, dx: 0, dy: -1 });
  if (by > y1 + 8) entries.push({ x: along, y: by - 1, dx: 0, dy: 1 });
  if (!entries.length) entries.push({ x: bx + inset, y: by - 1, dx: 0, dy: 1 }); // the dot is inside the box
  // Boxes in the way: not the target, not the box the arrow starts in.
  const inWay = obstacles.filter((o) => !(o.x === bx && o.y === by) && !(x1 >= o.x && x1 <= o.x + o.w && y1 >= o.y && y1 <= o.y + o.h));
  let best = '', bestCost = Infinity;
  for (const e of entries) for (const first of ['side', 'straight', 'under']) {
    if (e.dx ? first === 'straight' : first === 'under') continue;
    const c = curveTo(x1, y1, e, first);
    const cost = Math.hypot(e.x - x1, e.y - y1) + (e.dx ? 0 : 16) + (first === 'side' ? 0 : 8) + 1000 * crossings(c, inWay);
    if (cost < bestCost) { bestCost = cost; best = `M${r(x1)},${r(y1)} C${r(c[2])},${r(c[3])} ${r(c[4])},${r(c[5])} ${r(c[6])},${r(c[7])}`; }
  }
  return best;
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
