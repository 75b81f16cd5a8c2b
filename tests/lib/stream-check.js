// The event-stream checker (docs/event-stream.md): structural rules every stream must
// keep, whoever produced it. Used by tests/stream.test.js and tests/wasm.test.js.

/** The refs a record holds, and whether they may point forward (alloc groups). */
function refsOf(rec) {
  const out = [];
  const add = (v) => { if (typeof v === 'number') out.push(v); };
  const addAll = (a) => { if (Array.isArray(a)) for (const x of a) Array.isArray(x) ? x.forEach(add) : add(x); };
  switch (rec.kind) {
    case 'bind': add(rec.ref); break;
    case 'pop': add(rec.ret); break;
    case 'push': add(rec.func); add(rec.globals); add(rec.locals_dict); break;
    case 'splice': addAll(rec.ins); break;
    case 'dict': addAll(rec.del); addAll(rec.set); break;
    case 'members': addAll(rec.items); break;
    case 'cell': add(rec.ref); break;
    case 'exc': add(rec.ref); break;
    case 'alloc': case 'update':
      for (const k of ['items', 'defaults', 'closure', 'bases', 'args', 'locals', 'slots']) addAll(rec[k]);
      for (const k of ['ref', 'cls', 'dict', 'func', 'self', 'kwdefaults']) add(rec[k]);
      break;
    default: break;
  }
  return out;
}

/**
 * Checks the stream's structural rules; returns a list of problems (empty when fine).
 * @param {any[]} recs
 */
export function checkStream(recs) {
  const problems = [];
  const live = new Set();
  const frames = [];
  const codes = new Set();
  let steps = 0;
  if (recs[0]?.kind !== 'header' || recs[0].v !== 3) problems.push('first record is not a v3 header');
  const last = recs[recs.length - 1];
  if (last?.kind !== 'end') problems.push('last record is not end');
  for (let i = 0; i < recs.length && problems.length < 10; i++) {
    const rec = recs[i];
    if (rec.kind === 'step') {
      if ('n' in rec) problems.push(`record ${i}: a v3 step record has no n`);
      if (steps === 0 && !('frame' in rec)) problems.push(`record ${i}: the first step has no frame`);
      steps++;
    } else if (rec.kind === 'code') {
      if (codes.has(rec.id)) problems.push(`record ${i}: code ${rec.id} described twice`);
      codes.add(rec.id);
    } else if (rec.kind === 'alloc') {
      if (live.has(rec.id)) problems.push(`record ${i}: id ${rec.id} announced twice`);
      live.add(rec.id);
    } else if (rec.kind === 'free') {
      if (!live.has(rec.id)) problems.push(`record ${i}: free of unknown id ${rec.id}`);
      live.delete(rec.id);
    } else if (rec.kind === 'push') {
      if (!codes.has(rec.code)) problems.push(`record ${i}: push of unknown code ${rec.code}`);
      frames.push(rec.frame);
    } else if (rec.kind === 'pop') {
      const at = frames.lastIndexOf(rec.frame);
      if (at < 0) problems.push(`record ${i}: pop of frame ${rec.frame} not on the stack`);
      else frames.splice(at, 1);
    } else if (rec.kind === 'counts') {
      for (const k of Object.keys({ ...rec.rc, ...rec.gen }))
        if (!live.has(Number(k))) problems.push(`record ${i}: counts for unknown id ${k}`);
    }
    // Alloc records may refer to ids announced by the alloc records right after them.
    let j = i + 1;
    const ahead = new Set();
    if (rec.kind === 'alloc') while (recs[j]?.kind === 'alloc') ahead.add(recs[j++].id);
    for (const r of refsOf(rec)) {
      if (!live.has(r) && !ahead.has(r)) problems.push(`record ${i} (${rec.kind}) refers to unknown or freed id ${r}`);
    }
  }
  if (last?.kind === 'end') {
    if (last.steps !== steps) problems.push(`end says ${last.steps} steps, stream has ${steps}`);
    if (last.status === 0 && !last.truncated && frames.length) problems.push(`frames left on the stack: ${frames}`);
  }
  return problems;
}
