// wasm-finish.mjs GLUE.mjs — the last step of `make wasm`, for the size budget (issue
// #4): the .wasm beside GLUE.mjs gets its functions reordered, and GLUE.mjs (the
// Emscripten glue) is replaced by a small one written here. Together about 7 KB of gzip.
//
// 1. Function order. gzip sees repeats only within 32 KB, so similar functions should
// sit next to each other. Nothing else changes: every function index (calls, ref.func,
// the element segments, exports, start, the name section) is remapped, and the code is
// copied byte for byte apart from the call immediates. The order: start from the
// largest body, then repeatedly take the remaining body that shares the most byte
// trigrams with the current one (weighted by 1/sqrt of its own trigram count, so small
// bodies are not swamped by large ones). Deterministic. The raw size grows a little
// (the most called functions lose their one-byte indices) but the gzip size drops;
// keeping the most called first was measured and compresses worse. Handles the MVP
// instruction set, exception handling and the 0xFC prefix; anything else (SIMD, other
// prefixes) leaves the module as it was.
//
// 2. The glue. Emscripten's is ~12 KB for what web/engine/worker.js needs: instantiate
// with `wasmBinary`, the exports as Module._name, Module.HEAPU8 kept current when
// memory grows, and the imports (EM_JS functions, copied from Emscripten's glue; heap
// growth with Emscripten's policy; the setjmp/longjmp invoke_* wrappers). The import
// and export names are minified per build, so they are read from Emscripten's glue.
// An import this script does not know leaves Emscripten's glue in place (with a note).
import fs from 'node:fs';

class Unsupported extends Error {}

function reader(buf, pos = 0) {
  return {
    buf,
    pos,
    u() {
      let r = 0, s = 0, b;
      do { b = this.buf[this.pos++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80);
      return r;
    },
    skipLeb() { while (this.buf[this.pos++] & 0x80); },
  };
}

function leb(n) {
  const out = [];
  do { let b = n % 128; n = Math.floor(n / 128); if (n) b |= 0x80; out.push(b); } while (n);
  return out;
}

const concat = (parts) => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
const section = (id, body) => concat([[id], leb(body.length), body]);

// Calls [onFunc(pos, len)] for every function index immediate in an expression that
// starts at r.pos and runs to [end].
function scanCode(r, end, onFunc) {
  while (r.pos < end) {
    const op = r.buf[r.pos++];
    if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) r.skipLeb(); // blocktype (s33)
    else if (op === 0x07 || op === 0x08 || op === 0x09 || op === 0x18) r.skipLeb(); // exceptions: tag, depth
    else if (op === 0x0c || op === 0x0d) r.skipLeb();
    else if (op === 0x0e) { const n = r.u(); for (let i = 0; i <= n; i++) r.skipLeb(); }
    else if (op === 0x10 || op === 0xd2) { const p = r.pos; r.skipLeb(); onFunc(p, r.pos - p); }
    else if (op === 0x11) { r.skipLeb(); r.skipLeb(); }
    else if (op === 0x1c) { const n = r.u(); r.pos += n; }
    else if (op >= 0x20 && op <= 0x26) r.skipLeb();
    else if (op >= 0x28 && op <= 0x3e) { r.skipLeb(); r.skipLeb(); }
    else if (op === 0x3f || op === 0x40) r.skipLeb();
    else if (op === 0x41 || op === 0x42) r.skipLeb();
    else if (op === 0x43) r.pos += 4;
    else if (op === 0x44) r.pos += 8;
    else if (op === 0xd0) r.pos += 1;
    else if (op === 0xfc) {
      const sub = r.u();
      if (sub <= 7) continue;
      if (sub === 8) { r.skipLeb(); r.pos += 1; }
      else if (sub === 9 || sub === 13 || (sub >= 15 && sub <= 17)) r.skipLeb();
      else if (sub === 10) r.pos += 2;
      else if (sub === 11) r.pos += 1;
      else if (sub === 12 || sub === 14) { r.skipLeb(); r.skipLeb(); }
      else throw new Unsupported(`0xfc ${sub}`);
    } else if (op > 0xc4 && op !== 0xd1) throw new Unsupported(`opcode 0x${op.toString(16)}`);
    // everything else: no immediates
  }
}

function trigrams(body) {
  const set = new Set();
  for (let i = 0; i + 2 < body.length; i++) set.add(body[i] | (body[i + 1] << 8) | (body[i + 2] << 16));
  return Int32Array.from(set).sort();
}

function common(a, b) {
  let i = 0, j = 0, n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { n++; i++; j++; } else if (a[i] < b[j]) i++; else j++;
  }
  return n;
}

function similarityOrder(bodies) {
  const grams = bodies.map(trigrams);
  const weight = grams.map((g) => 1 / Math.sqrt(g.length + 1));
  const left = bodies.map((_, i) => i);
  let cur = 0;
  for (const i of left) if (bodies[i].length > bodies[cur].length) cur = i;
  const order = [cur];
  left.splice(left.indexOf(cur), 1);
  while (left.length) {
    let best = 0, bestScore = -1;
    for (let k = 0; k < left.length; k++) {
      const j = left[k], s = common(grams[cur], grams[j]) * weight[j];
      if (s > bestScore) { bestScore = s; best = k; }
    }
    cur = left[best];
    order.push(cur);
    left.splice(best, 1);
  }
  return order;
}

export function reorder(buf) {
  const r = reader(buf, 8);
  const sections = [];
  let nImported = 0, funcTypes = null, bodies = null;
  while (r.pos < buf.length) {
    const header = r.pos, id = buf[r.pos++], len = r.u(), start = r.pos, end = start + len;
    const s = { id, header, start, end };
    if (id === 2) {
      const n = r.u();
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 2; k++) { const l = r.u(); r.pos += l; } // module, field
        const kind = buf[r.pos++];
        if (kind === 0) { r.skipLeb(); nImported++; }
        else if (kind === 1) { r.pos++; const f = r.u(); r.skipLeb(); if (f & 1) r.skipLeb(); }
        else if (kind === 2) { const f = r.u(); r.skipLeb(); if (f & 1) r.skipLeb(); }
        else if (kind === 3) r.pos += 2;
      }
    } else if (id === 3) {
      const n = r.u();
      funcTypes = [];
      for (let i = 0; i < n; i++) { const p = r.pos; r.skipLeb(); funcTypes.push(buf.subarray(p, r.pos)); }
    } else if (id === 10) {
      const n = r.u();
      bodies = [];
      for (let i = 0; i < n; i++) { const l = r.u(); bodies.push(buf.subarray(r.pos, r.pos + l)); r.pos += l; }
    } else if (id === 0) {
      const nl = r.u();
      s.name = buf.subarray(r.pos, r.pos + nl).toString();
    }
    sections.push(s);
    r.pos = end;
  }
  if (!bodies || !funcTypes || bodies.length !== funcTypes.length) return buf;

  const order = similarityOrder(bodies);
  const newIndex = new Array(nImported + bodies.length);
  for (let i = 0; i < nImported; i++) newIndex[i] = i;
  order.forEach((old, pos) => { newIndex[nImported + old] = nImported + pos; });
  const remap = (old) => leb(newIndex[old]);

  // Rewrites [bytes] with every function index immediate found by [scan] remapped.
  const rewrite = (bytes, scan) => {
    const parts = [];
    let last = 0;
    scan(bytes, (p, l) => {
      parts.push(bytes.subarray(last, p), Buffer.from(remap(reader(bytes, p).u())));
      last = p + l;
    });
    parts.push(bytes.subarray(last));
    return concat(parts);
  };

  const out = [buf.subarray(0, 8)];
  for (const s of sections) {
    const sr = reader(buf, s.start);
    if (s.id === 3) {
      out.push(section(3, concat([leb(order.length), ...order.map((i) => funcTypes[i])])));
    } else if (s.id === 10) {
      const newBodies = order.map((i) => {
        const b = bodies[i], br = reader(b);
        const nLocals = br.u();
        for (let k = 0; k < nLocals; k++) { br.skipLeb(); br.pos++; }
        const code = rewrite(b, (bytes, on) => scanCode(reader(bytes, br.pos), bytes.length, on));
        return concat([leb(code.length), code]);
      });
      out.push(section(10, concat([leb(newBodies.length), ...newBodies])));
    } else if (s.id === 7) {
      const n = sr.u(), parts = [leb(n)];
      for (let i = 0; i < n; i++) {
        const p = sr.pos, l = sr.u();
        sr.pos += l;
        const name = buf.subarray(p, sr.pos), kind = buf[sr.pos++], idx = sr.u();
        parts.push(name, [kind], kind === 0 ? remap(idx) : leb(idx));
      }
      out.push(section(7, concat(parts)));
    } else if (s.id === 8) {
      out.push(section(8, Buffer.from(remap(sr.u()))));
    } else if (s.id === 9) {
      const n = sr.u(), parts = [leb(n)];
      for (let i = 0; i < n; i++) {
        const flags = sr.u();
        if (flags !== 0) throw new Unsupported(`element segment flags ${flags}`);
        const offset = elemOffset(buf, sr.pos);
        sr.pos += offset.length;
        const m = sr.u(), idx = [];
        for (let k = 0; k < m; k++) idx.push(...remap(sr.u()));
        parts.push([0], offset, leb(m), idx);
      }
      out.push(section(9, concat(parts)));
    } else if (s.id === 0 && s.name === 'name') {
      const nl = sr.u();
      sr.pos += nl;
      const parts = [leb(nl), Buffer.from(s.name)];
      while (sr.pos < s.end) {
        const sub = buf[sr.pos++], len = sr.u(), end = sr.pos + len;
        if (sub === 1) {
          const n = sr.u(), entries = [];
          for (let i = 0; i < n; i++) {
            const idx = sr.u(), l = sr.u();
            entries.push([newIndex[idx], buf.subarray(sr.pos, sr.pos + l)]);
            sr.pos += l;
          }
          entries.sort((a, b) => a[0] - b[0]);
          const sb = concat([leb(n), ...entries.flatMap(([i, nm]) => [leb(i), leb(nm.length), nm])]);
          parts.push([1], leb(sb.length), sb);
        } else if (sub === 0) {
          parts.push([0], leb(len), buf.subarray(sr.pos, end));
        } // local names etc. are dropped
        sr.pos = end;
      }
      out.push(section(0, concat(parts)));
    } else {
      out.push(buf.subarray(s.header, s.end));
    }
  }
  return concat(out);
}

// The offset expression of an MVP element segment (i32.const N or global.get G, end).
function elemOffset(buf, p) {
  const r = reader(buf, p);
  while (buf[r.pos] !== 0x0b) { const op = buf[r.pos++]; if (op === 0x41 || op === 0x23) r.skipLeb(); }
  return buf.subarray(p, r.pos + 1);
}

// Returns the text of `function NAME(...){...}` in [src], or null.
function extractFunction(src, name) {
  const start = src.indexOf(`function ${name}(`);
  if (start < 0) return null;
  let depth = 0;
  for (let i = src.indexOf('{', start); i < src.length; i++) {
    if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return src.slice(start, i + 1);
  }
  return null;
}

// The small glue for Emscripten's glue [src], or null when it has something unknown.
export function glue(src) {
  const lib = /var asmLibraryArg=\{([^}]*)\}/.exec(src);
  const mem = /wasmMemory=Module\["asm"\]\["(\w+)"\]/.exec(src);
  const table = /wasmTable=Module\["asm"\]\["(\w+)"\]/.exec(src);
  const ctors = /addOnInit\(Module\["asm"\]\["(\w+)"\]\)/.exec(src);
  if (!lib || !mem || !table || !ctors) return null;
  const exported = {};
  for (const m of src.matchAll(/Module\["(\w+)"\]=Module\["asm"\]\["(\w+)"\]/g)) exported[m[1]] = m[2];
  const known = {
    __emscripten_throw_longjmp: '()=>{throw Infinity}',
    _emscripten_resize_heap: 'grow',
    _getTempRet0: '()=>tempRet0',
    _setTempRet0: 'v=>{tempRet0=v}',
  };
  const imports = [], functions = [];
  for (const m of lib[1].matchAll(/"(\w+)":(\w+)/g)) {
    const [, key, name] = m;
    let value = known[name];
    if (!value && /^invoke_\w+$/.test(name)) {
      if (!exported.stackSave || !exported.stackRestore || !exported._setThrew) return null;
      value = 'invoke';
    }
    if (!value) {
      const fn = extractFunction(src, name);
      if (!fn) return null;
      functions.push(fn);
      value = name;
    }
    imports.push(`${key}:${value}`);
  }
  const e = (name) => `e.${exported[name]}`, m = `e.${mem[1]}`;
  // Kept short: every byte here is downloaded. Heap growth follows Emscripten's
  // emscripten_resize_heap; invoke is its setjmp/longjmp call wrapper.
  return `// Written by tools/wasm-finish.mjs in place of Emscripten's glue (see there).
export default async function createEngine(Module = {}) {
let e, HEAPU8, tempRet0 = 0;
const view = () => { Module.HEAPU8 = HEAPU8 = new Uint8Array(${m}.buffer); };
const grow = (size) => {
if ((size >>>= 0) > 2147483648) return 0;
for (let cut = 1; cut <= 4; cut *= 2) {
const n = Math.min(2147483648, Math.ceil(Math.max(size, Math.min(HEAPU8.length * (1 + 0.2 / cut), size + 100663296)) / 65536) * 65536);
try { ${m}.grow((n - ${m}.buffer.byteLength + 65535) >>> 16); view(); return 1; } catch (x) {}
}
return 0;
};
const invoke = (i, ...args) => {
const sp = ${e('stackSave')}();
try { return e.${table[1]}.get(i)(...args); } catch (x) { ${e('stackRestore')}(sp); if (x !== x + 0) throw x; ${e('_setThrew')}(1, 0); }
};
${functions.join('\n')}
e = (await WebAssembly.instantiate(Module.wasmBinary || await (await fetch(new URL('pyframes-engine.wasm', import.meta.url))).arrayBuffer(),
{ a: { ${imports.join(', ')} } })).instance.exports;
view();
${Object.keys(exported).filter((n) => n.startsWith('_') && !n.startsWith('__')).map((n) => `Module.${n} = ${e(n)};`).join('\n')}
e.${ctors[1]}();
return Module;
}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const glueFile = process.argv[2], wasmFile = glueFile.replace(/\.m?js$/, '.wasm');
  const buf = fs.readFileSync(wasmFile);
  try {
    const result = reorder(buf);
    if (!WebAssembly.validate(result)) throw new Unsupported('the reordered module does not validate');
    fs.writeFileSync(wasmFile, result);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    console.error(`wasm-finish: ${e.message}; function order left as it was`);
  }
  const small = glue(fs.readFileSync(glueFile, 'utf8'));
  if (small) fs.writeFileSync(glueFile, small);
  else console.error("wasm-finish: an import or export it does not know; Emscripten's glue left in place");
}
