// Benchmarks: times each bench/programs/*.py under `build/pyframes run` and under
// `python3` in the same run, alternating the two sides, and prints the medians and the
// ratio pyframes/CPython (goal: <= 1.0). rss_*.py programs report peak resident memory
// instead of time. Not part of `make test`: timings never become assertions.
//
//   node bench/run.mjs [--runs N] [--only SUBSTRING]
//   env: PYFRAMES_BIN (default build/pyframes), PYTHON (default python3),
//        PYFRAMES_BENCH_ARGS (extra options after `run`; default raises the step budget)
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PROGRAMS = path.join(ROOT, 'bench', 'programs');
const BIN = path.resolve(ROOT, process.env.PYFRAMES_BIN || 'build/pyframes');
// Resolve python3 to the real interpreter: a version-manager shim (pyenv) would add
// its own start-up time to every CPython sample.
const PYTHON = spawnSync(process.env.PYTHON || 'python3', ['-c', 'import sys; print(sys.executable)'],
  { encoding: 'utf8' }).stdout?.trim() || process.env.PYTHON || 'python3';
const PF_ARGS = (process.env.PYFRAMES_BENCH_ARGS ?? '--max-steps 4000000000').split(/\s+/).filter(Boolean);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}
const RUNS = Math.max(5, Number(arg('runs', 5)));
const ONLY = arg('only', '');

const sides = {
  pyframes: (file) => [BIN, ['run', ...PF_ARGS, file]],
  cpython: (file) => [PYTHON, [file]],
};

/** Runs once; returns {ms, out, ok}. */
function timeOnce(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: PROGRAMS, encoding: 'utf8', timeout: 300000, maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, out: r.stdout ?? '', ok: r.status === 0, err: (r.stderr || r.error?.message || '').trim() };
}

/** Peak RSS in KiB: /usr/bin/time -f %M when present, else polling /proc/PID/status. */
async function rssOnce(cmd, args) {
  if (TIME) {
    const r = spawnSync(TIME, ['-f', '%M', cmd, ...args], { cwd: PROGRAMS, encoding: 'utf8', timeout: 300000 });
    const lines = (r.stderr || '').trim().split('\n');
    return { kib: Number(lines.at(-1)), out: r.stdout ?? '', ok: r.status === 0, err: lines.slice(0, -1).join('\n') };
  }
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: PROGRAMS });
    let out = '', err = '', peak = 0;
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const poll = setInterval(() => {
      try {
        const m = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/);
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch { /* exited */ }
    }, 2);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ kib: peak, out, ok: code === 0, err });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  if (!fs.existsSync(BIN)) {
    console.error(`bench: ${path.relative(ROOT, BIN)} is missing: run \`make\` first`);
    process.exit(1);
  }
  const files = fs.readdirSync(PROGRAMS).filter((f) => f.endsWith('.py') && f.includes(ONLY)).sort();
  const rows = [];
  for (const file of files) {
    const isRss = file.startsWith('rss_');
    const samples = { pyframes: [], cpython: [] };
    const outputs = { pyframes: null, cpython: null };
    const errors = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate which side goes first so drift in machine load hits both equally.
      const order = i % 2 ? ['cpython', 'pyframes'] : ['pyframes', 'cpython'];
      for (const side of order) {
        const [cmd, args] = sides[side](file);
        const r = isRss ? await rssOnce(cmd, args) : timeOnce(cmd, args);
        if (!r.ok) errors.push(`${side}: ${r.err.split('\n').slice(-3).join(' | ')}`);
        samples[side].push(isRss ? r.kib / 1024 : r.ms);
        outputs[side] = r.out;
      }
      if (errors.length) break;
    }
    const pf = median(samples.pyframes), py = median(samples.cpython);
    const note = errors.length ? `FAILED ${errors[0]}`
      : outputs.pyframes !== outputs.cpython ? 'OUTPUT DIFFERS' : '';
    rows.push({ file, unit: isRss ? 'MiB peak RSS' : 'ms', pf, py, ratio: errors.length ? NaN : pf / py, note });
    printRow(rows.at(-1));
  }
  const version = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\nCPython: ${PYTHON} (${version})`);
  console.log(`${RUNS} runs per side, medians; ratio = pyframes / CPython (goal <= 1.00)`);
}

let headerDone = false;
function printRow(r) {
  if (!headerDone) {
    console.log(`${'program'.padEnd(24)} ${'pyframes'.padStart(10)} ${'CPython'.padStart(10)} ${'ratio'.padStart(7)}  unit`);
    console.log('-'.repeat(66));
    headerDone = true;
  }
  const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-').padStart(10);
  const ratio = Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : '-';
  console.log(`${r.file.padEnd(24)} ${f(r.pf)} ${f(r.py)} ${ratio.padStart(7)}  ${r.unit}${r.note ? '  ' + r.note : ''}`);
}

main();
