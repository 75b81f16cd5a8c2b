// wasm-finish.mjs GLUE.mjs — the last step of `make wasm`, for the size budget (issue
// #4): the .wasm beside GLUE.mjs gets its functions reordered and its data segments
// joined, and GLUE.mjs (the Emscripten glue) is replaced by a small one written here.
// Together about 8 KB of gzip.
//
// 1. Function order. gzip sees repeats only within 32 KB, so similar functions should
// sit next to each other. Nothing else changes: every function index (calls, ref.func,
// the element segments, exports, start, the name section) is remapped, and the code is
// copied byte for byte apart from the call immediates. The order: start from one of
// the largest bodies, then repeatedly take the remaining body that shares the most byte
// trigrams with the current one (weighted by a power of its own trigram count, so small
// bodies are not swamped by large ones); 224 starts and weightings are tried and the
// smallest result under gzip -9 is kept. One order alone swings by ~1 KB from a few
// bytes of change in the code (over the 224 orders of one build: 148,811 to 151,035 B,
// median 150,007), so the best of many is smaller and steadier. A hill climb then
// moves single functions next to one of their most similar bodies while gzip -9
// shrinks (4800 tries: 800-1200 B). Orders are measured two at a time. Deterministic;
// about 150 s on two cores. The raw size grows a little (the most
// called functions lose their one-byte indices) but the gzip size drops; keeping the
// most called first was measured and compresses worse. Handles the MVP instruction
// set, exception handling and the 0xFC prefix; anything else (SIMD, other prefixes)
// leaves the module as it was.
//
// 2. The glue. Emscripten's is ~12 KB for what web/engine/worker.js needs: instantiate
// with `wasmBinary`, the exports as Module._name, Module.HEAPU8 kept current when
// memory grows, and the imports (EM_JS functions, copied from Emscripten's glue; heap
// growth with Emscripten's policy; the setjmp/longjmp invoke_* wrappers). The import
// and export names are minified per build, so they are read from Emscripten's glue.
// An import this script does not know leaves Emscripten's glue in place (with a note).
import fs from 'node:fs';
import zlib from 'node:zlib';
import { spawn } from 'node:child_process';

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

// The greedy chain: start from the [start]-th largest body, then repeatedly take the
// remaining body that shares the most trigrams with the current one, weighted by
// (its trigram count + 1) ** -[p]. [sim] is the symmetric matrix of shared trigram counts.
function greedyOrder(bodies, grams, sim, p, start) {
  const n = bodies.length;
  const weight = grams.map((g) => (g.length + 1) ** -p);
  const bySize = bodies.map((_, i) => i).sort((a, b) => bodies[b].length - bodies[a].length || a - b);
  const used = new Uint8Array(n);
  let cur = bySize[Math.min(start, n - 1)];
  const order = [cur];
  used[cur] = 1;
  for (let k = 1; k < n; k++) {
    let best = -1, bestScore = -1;
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      const s = sim[cur * n + j] * weight[j];
      if (s > bestScore) { bestScore = s; best = j; }
    }
    cur = best;
    used[cur] = 1;
    order.push(cur);
  }
  return order;
}

const CLIMB_TRIES = 4800;
// Orders are measured two at a time (two gzip processes): the same results, in the same
// order, on any machine; about twice as fast on two cores.
const WIDTH = 2;

// gzip -9's size of [bytes]: the gzip tool when there is one (what the budget measures,
// bench/wasm-size.mjs), else zlib's level 9 (which differs from it by up to ~1%).
function gzipSize(bytes) {
  return new Promise((resolve) => {
    const child = spawn('gzip', ['-9', '-c']);
    let n = 0;
    child.stdout.on('data', (d) => { n += d.length; });
    child.on('error', () => resolve(zlib.gzipSync(bytes, { level: 9 }).length));
    child.on('close', (code) => resolve(code === 0 ? n : zlib.gzipSync(bytes, { level: 9 }).length));
    child.stdin.on('error', () => {});
    child.stdin.end(bytes);
  });
}

// The result of the greedy chain is chaotic (a few bytes of change anywhere in the code
// can move the gzip size by a kilobyte either way), so [build] is tried with several
// weightings and starts and the smallest under gzip -9 wins: the size is
// then both smaller and steadier from build to build. Still deterministic.
async function bestOrder(bodies, build) {
  const n = bodies.length;
  const grams = bodies.map(trigrams);
  const sim = new Int32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) sim[i * n + j] = sim[j * n + i] = common(grams[i], grams[j]);
  let best = null, bestSize = Infinity, bestOrder = [];
  const chains = [];
  for (const p of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9])
    for (let start = 0; start < 16; start++) chains.push([p, start]);
  for (let k = 0; k < chains.length; k += WIDTH) {
    const orders = chains.slice(k, k + WIDTH).map(([p, start]) => greedyOrder(bodies, grams, sim, p, start));
    const outs = orders.map(build);
    const sizes = await Promise.all(outs.map(gzipSize));
    sizes.forEach((size, i) => { if (size < bestSize) { bestSize = size; best = outs[i]; bestOrder = orders[i]; } });
  }
  // Then a hill climb from the best chain: move one function (picked by a fixed
  // pseudo-random sequence) next to the body most like it, and keep the move when
  // gzip -9 shrinks. About one move in ten is kept, so the moves are tried in pairs
  // from the same order, and the smaller of a pair is kept if it shrinks it. 4800 tries
  // take ~130 s on two cores and save 800-1200 B (the gain per try falls slowly: 700
  // saved 300-400, the next 1700 about 200, the 2400 after those about 300).
  let seed = 1;
  const random = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
  // The bodies most like each one, best first (the first 8, computed when first asked).
  const likeness = [];
  const nearest = (f, rank) => {
    if (!likeness[f]) {
      const all = [];
      for (let j = 0; j < n; j++) if (j !== f) all.push([sim[f * n + j] / (grams[f].length + grams[j].length + 1), j]);
      all.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
      likeness[f] = all.slice(0, 8).map((x) => x[1]);
    }
    return likeness[f][Math.min(rank, likeness[f].length - 1)];
  };
  const move = () => {
    const order = bestOrder.slice();
    const at = Math.floor(random() * n), f = order[at];
    order.splice(at, 1);
    // Next to the most similar body mostly, else one of the next three: a function
    // already beside its nearest still has moves left.
    const to = order.indexOf(nearest(f, Math.floor(random() * random() * 4)));
    order.splice(random() < 0.5 ? to : to + 1, 0, f);
    return order;
  };
  for (let k = 0; k < CLIMB_TRIES && n > 2; k += WIDTH) {
    const orders = Array.from({ length: WIDTH }, move);
    const outs = orders.map(build);
    const sizes = await Promise.all(outs.map(gzipSize));
    const i = sizes.indexOf(Math.min(...sizes));
    if (sizes[i] < bestSize) { bestSize = sizes[i]; best = outs[i]; bestOrder = orders[i]; }
  }
  return best;
}

export async function reorder(buf) {
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

  return bestOrder(bodies, (order) => build(buf, sections, nImported, funcTypes, bodies, order));
}

// The module [buf] with its functions in [order] (indices into [bodies]).
function build(buf, sections, nImported, funcTypes, bodies, order) {
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

// 3. The data segments. wasm-opt's memory packing splits the static data at every run
// of zeros long enough to pay for a segment header in raw bytes (about 300 segments),
// but under gzip the headers (each with its own offset) cost more than the zeros they
// skip: the segments are joined into one, the gaps filled with the zeros that the
// fresh memory holds there anyway (the module defines its memory, so nothing else
// writes it first): 300 segments become one, 772 B less gzip. (Raw, ~6 KB more.) Only MVP active segments of memory 0 at constant
// offsets, without overlaps; anything else leaves the data section as it was.
export function mergeData(buf) {
  const r = reader(buf, 8);
  while (r.pos < buf.length) {
    const header = r.pos, id = buf[r.pos++], len = r.u(), end = r.pos + len;
    if (id === 2) {
      // the memory must be the module's own (an imported one may hold data already)
      const n = r.u();
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 2; k++) { const l = r.u(); r.pos += l; }
        const kind = buf[r.pos++];
        if (kind === 2) return buf;
        if (kind === 0) r.skipLeb();
        else if (kind === 1) { r.pos++; const f = r.u(); r.skipLeb(); if (f & 1) r.skipLeb(); }
        else if (kind === 3) r.pos += 2;
      }
    } else if (id === 12) return buf; // a data count section (bulk memory)
    else if (id === 11) {
      const n = r.u(), segs = [];
      for (let i = 0; i < n; i++) {
        if (buf[r.pos++] !== 0 || buf[r.pos++] !== 0x41) return buf;
        let off = 0, shift = 0, b;
        do { b = buf[r.pos++]; off += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
        if (b & 0x40 || buf[r.pos++] !== 0x0b) return buf; // negative or not just i32.const
        const l = r.u();
        segs.push([off, buf.subarray(r.pos, r.pos + l)]);
        r.pos += l;
      }
      if (segs.length < 2) return buf;
      segs.sort((a, b) => a[0] - b[0]);
      const first = segs[0][0], last = segs[segs.length - 1];
      const data = Buffer.alloc(last[0] + last[1].length - first);
      let at = first;
      for (const [off, bytes] of segs) {
        if (off < at) return buf; // overlap
        bytes.copy(data, off - first);
        at = off + bytes.length;
      }
      const body = concat([[1, 0, 0x41], sleb(first), [0x0b], leb(data.length), data]);
      return concat([buf.subarray(0, header), section(11, body), buf.subarray(end)]);
    }
    r.pos = end;
  }
  return buf;
}

function sleb(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n = Math.floor(n / 128);
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
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
  return `// glue: tools/wasm-finish.mjs
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
${Object.keys(exported).filter((n) => n.startsWith('_') && !n.startsWith('__') && n !== '_setThrew').map((n) => `Module.${n} = ${e(n)};`).join('\n')}
e.${ctors[1]}();
return Module;
}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const glueFile = process.argv[2], wasmFile = glueFile.replace(/\.m?js$/, '.wasm');
  const buf = mergeData(fs.readFileSync(wasmFile));
  try {
    const result = await reorder(buf);
    if (!WebAssembly.validate(result)) throw new Unsupported('the reordered module does not validate');
    fs.writeFileSync(wasmFile, result);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    console.error(`wasm-finish: ${e.message}; function order left as it was`);
    fs.writeFileSync(wasmFile, buf);
  }
  const small = glue(fs.readFileSync(glueFile, 'utf8'));
  if (small) fs.writeFileSync(glueFile, small);
  else console.error("wasm-finish: an import or export it does not know; Emscripten's glue left in place");
}
