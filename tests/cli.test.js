// The command line itself: `pyframes run -c CODE` behaves like `python3 -c CODE`
// (expectations below are CPython 3.11's), a missing file and bad usage exit with 2,
// input() reads stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, binaryProblem, runMerged } from './lib/run.js';

const problem = binaryProblem();
const skip = problem ?? false;
const tmp = os.tmpdir();

test('cli: run -c CODE prints and exits 0', { skip }, () => {
  const r = runMerged(BIN, ['run', '-c', 'print(6 * 7)\nprint(2 ** 100)'], { cwd: tmp });
  assert.equal(r.output, '42\n1267650600228229401496703205376\n');
  assert.equal(r.status, 0);
});

test('cli: an uncaught exception under -c gives CPython\'s <string> traceback, exit 1', { skip }, () => {
  const r = runMerged(BIN, ['run', '-c', 'x = 1\n1/0'], { cwd: tmp });
  // CPython prints no source line for "<string>": there is no file to read it from.
  assert.equal(r.output, 'Traceback (most recent call last):\n  File "<string>", line 2, in <module>\n' +
    'ZeroDivisionError: division by zero\n');
  assert.equal(r.status, 1);
});

test('cli: a syntax error under -c exits 1', { skip }, () => {
  const r = runMerged(BIN, ['run', '-c', 'print 1'], { cwd: tmp });
  assert.equal(r.output, '  File "<string>", line 1\n    print 1\n    ^^^^^^^\n' +
    'SyntaxError: Missing parentheses in call to \'print\'. Did you mean print(...)?\n');
  assert.equal(r.status, 1);
});

test('cli: a missing file exits 2 with CPython\'s message', { skip }, () => {
  const r = runMerged(BIN, ['run', 'no_such_file_here.py'], { cwd: tmp });
  assert.match(r.output, /can't open file '.*no_such_file_here\.py': \[Errno 2\] No such file or directory\n$/);
  assert.equal(r.status, 2);
});

test('cli: no arguments prints usage and exits 2', { skip }, () => {
  const r = runMerged(BIN, [], { cwd: tmp });
  assert.match(r.output, /usage: pyframes/);
  assert.equal(r.status, 2);
});

test('cli: input() reads lines from stdin; EOF raises EOFError', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(tmp, 'pyframes-cli-'));
  const stdinPath = path.join(dir, 'in.txt');
  fs.writeFileSync(stdinPath, 'Ada\n');
  const r = runMerged(BIN, ['run', '-c', 'print("hi", input("name? "))\ninput()'], { cwd: dir, stdinPath });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.output, 'name? hi Ada\nTraceback (most recent call last):\n  File "<string>", line 2, in <module>\n' +
    'EOFError: EOF when reading a line\n');
  assert.equal(r.status, 1);
});

// Where the subset stops, the program ends with a plain NotImplementedError at the line
// of the construct (CPython would run these; pyframes says what it does not support).
for (const [code, line, what] of [
  ['x = 1\nasync def f():\n    pass\n', 'async def f():', 'async functions'],
  ['x = 1\nmatch x:\n    case 1:\n        pass\n', 'match x:', 'the match statement'],
  ['x = 1\nprint(b"raw")\n', 'print(b"raw")', 'bytes literals'],
]) {
  test(`cli: unsupported ${what} is a NotImplementedError at its line`, { skip }, () => {
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'pf-')), 'prog.py');
    fs.writeFileSync(file, code);
    const r = runMerged(BIN, ['run', 'prog.py'], { cwd: path.dirname(file) });
    assert.equal(r.output, 'Traceback (most recent call last):\n  File "prog.py", line 2, in <module>\n' +
      `    ${line}\nNotImplementedError: pyframes does not support ${what}\n`);
    assert.equal(r.status, 1);
  });
}
