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
    const paths = lines.map((l) => {
      const d = pathFor(l.x1 - ox, l.y1 - oy, l.t.left - ox, l.t.top - oy, l.t.width, l.t.height);
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
 */
export function pathFor(x1, y1, bx, by, bw, bh) {
  const inset = Math.min(14, bw / 2);
  const along = Math.max(bx + inset, Math.min(bx + bw - inset, x1));
  /** @type {{x: number, y: number, dx: number, dy: number}[]} entry points with the direction of travel */
  const entries = [];
  if (bx > x1 + 12) entries.push({ x: bx - 1, y: by + Math.min(14, bh / 2), dx: 1, dy: 0 });
  if (bx + bw < x1 - 12) entries.push({ x: bx + bw + 1, y: by + Math.min(14, bh / 2), dx: -1, dy: 0 });
  if (by + bh < y1 - 8) entries.push({ x: along, y: by + bh + 1, dx: 0, dy: -1 });
  if (by > y1 + 8) entries.push({ x: along, y: by - 1, dx: 0, dy: 1 });
  if (!entries.length) entries.push({ x: bx + inset, y: by - 1, dx: 0, dy: 1 }); // the dot is inside the box
  const cost = (/** @type {{x: number, y: number, dx: number}} */ e) => Math.hypot(e.x - x1, e.y - y1) + (e.dx ? 0 : 16); // ties: prefer the side
  const e = entries.reduce((best, c) => (cost(c) < cost(best) ? c : best));
  const { x: x2, y: y2 } = e;
  if (e.dx) {
    const d = Math.max(24, Math.abs(x2 - x1) * 0.45) * e.dx;
    return `M${r(x1)},${r(y1)} C${r(x1 + d)},${r(y1)} ${r(x2 - d)},${r(y2)} ${r(x2)},${r(y2)}`;
  }
  // Vertical entry: leave the dot sideways towards the target, then turn into the edge.
  const side = x2 >= x1 ? 1 : -1;
  const lead = Math.min(40, Math.max(16, Math.abs(x2 - x1) * 0.5));
  const d = Math.max(24, Math.abs(y2 - y1) * 0.5) * e.dy;
  return `M${r(x1)},${r(y1)} C${r(x1 + side * lead)},${r(y1)} ${r(x2)},${r(y2 - d)} ${r(x2)},${r(y2)}`;
}

/** @param {number} v */
function r(v) { return Math.round(v * 10) / 10; }
