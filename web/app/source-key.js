// @ts-check
/**
 * source-key.js — a short key for a program's text (FNV-1a, 32 bits, over UTF-16 code
 * units, as hex). The site build names its precomputed traces by it so the no-wasm
 * fallback can find the trace of any example's code, also when it arrives in a share
 * link. Shared by tools/build-site.mjs (Node) and the page.
 */

/**
 * @param {string} text
 * @returns {string}
 */
export function sourceKey(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0') + text.length.toString(16);
}
