// @ts-check
/**
 * share.js — share links: the code compressed (deflate-raw, base64url) and the step
 * in the URL fragment of the playground: playground.html#code=…&step=12. The fragment
 * never reaches a server.
 */

/**
 * @param {Uint8Array} bytes
 */
function toBase64Url(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * @param {string} text
 */
function fromBase64Url(text) {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * @param {Uint8Array} data
 * @param {CompressionStream | DecompressionStream} transform
 */
async function pipe(data, transform) {
  const stream = new Blob([data]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The fragment for [code] at [step] ("code=…&step=…", without the '#').
 * @param {string} code
 * @param {number} step
 */
export async function encodeShare(code, step) {
  const packed = await pipe(new TextEncoder().encode(code), new CompressionStream('deflate-raw'));
  return `code=${toBase64Url(packed)}&step=${step}`;
}

/**
 * Reads a fragment made by encodeShare; null when it carries no code.
 * @param {string} hash location.hash (with or without '#')
 * @returns {Promise<{code: string, step: number} | null>}
 */
export async function decodeShare(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = params.get('code');
  if (!packed) return null;
  try {
    const bytes = await pipe(fromBase64Url(packed), new DecompressionStream('deflate-raw'));
    return { code: new TextDecoder().decode(bytes), step: Math.max(0, Number(params.get('step')) || 0) };
  } catch {
    return null;
  }
}

/**
 * The full playground link for [code] at [step] (relative to this page's directory).
 * @param {string} code
 * @param {number} step
 */
export async function shareLink(code, step) {
  const url = new URL('playground.html', document.baseURI);
  url.hash = await encodeShare(code, step);
  return url.href;
}
