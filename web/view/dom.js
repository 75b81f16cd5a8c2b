// @ts-check
/**
 * dom.js — the one way the views build DOM: el(tag, attrs, ...children). Text always
 * goes in as text nodes (never HTML strings), so program data can never become markup.
 */

/**
 * @typedef {Node | string | number | null | undefined | false} Child
 */

/**
 * Creates an element. [attrs]: `class`, `text`, `dataset` (object), `style`
 * (object), `on` (object of event listeners), properties of the element for names it
 * knows (value, checked, disabled, ...), attributes for the rest (aria-*, role, ...).
 * @param {string} tag
 * @param {{[name: string]: any} | null} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) setAttrs(node, attrs);
  append(node, children);
  return node;
}

/**
 * Creates an SVG element with attributes.
 * @param {string} tag
 * @param {{[name: string]: string | number}} [attrs]
 * @returns {SVGElement}
 */
export function svg(tag, attrs = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const k in attrs) node.setAttribute(k, String(attrs[k]));
  return /** @type {SVGElement} */ (node);
}

/**
 * @param {HTMLElement} node
 * @param {{[name: string]: any}} attrs
 */
function setAttrs(node, attrs) {
  for (const name in attrs) {
    const v = attrs[name];
    if (v == null || v === false) continue;
    if (name === 'class') node.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (name === 'text') node.textContent = String(v);
    else if (name === 'dataset') Object.assign(node.dataset, v);
    else if (name === 'style') Object.assign(node.style, v);
    else if (name === 'on') for (const ev in v) node.addEventListener(ev, v[ev]);
    else if (name in node && !name.includes('-') && name !== 'list' && name !== 'form') /** @type {any} */ (node)[name] = v;
    else node.setAttribute(name, v === true ? '' : String(v));
  }
}

/**
 * Appends children (flattening arrays, skipping null/false; strings as text nodes).
 * @param {Node} node
 * @param {(Child | Child[])[]} children
 */
export function append(node, children) {
  for (const c of children) {
    if (Array.isArray(c)) append(node, c);
    else if (c == null || c === false) continue;
    else node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/**
 * Replaces all children of [node].
 * @param {Node} node
 * @param {...(Child | Child[])} children
 */
export function replaceChildren(node, ...children) {
  while (node.firstChild) node.removeChild(node.firstChild);
  append(node, children);
}
