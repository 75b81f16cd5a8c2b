#!/usr/bin/env python3
"""Regenerates the golden expectations of tests/programs/ with CPython 3.11.

For every tests/programs/NAME.py this runs `python3 NAME.py` with tests/programs as the
working directory, stdout and stderr on ONE pipe (as `2>&1` gives them), stdin from
NAME.in if that file exists (else empty), and writes:
    NAME.out     everything the program printed, byte for byte
    NAME.status  its exit status (one number and a newline)
The checked-in .out/.status files are what tests/corpus.test.js compares
`build/pyframes run NAME.py` against, so the tests never need Python.

Two normalisations, both documented in tests/README.md:
  - PYTHONUNBUFFERED=1, so stdout and stderr interleave in the order they were written
    (a block-buffered stdout would otherwise move stdout text after stderr text);
  - since 3.9, CPython shows the script's ABSOLUTE path in tracebacks; we strip this
    folder's path, so tracebacks read `File "NAME.py", line N` as pyframes prints them.

Every program runs twice, with PYTHONHASHSEED=0 and =1; if the outputs differ the
program is not deterministic (e.g. it iterates a set of str) and is reported as an
error: fix the program, do not check in its output.

`--dir depth` writes the expectations of tests/depth/ instead (programs that recurse
deeper than the wasm engine's nesting cap: tests/depth.test.js runs them natively).

How to add a program: write tests/programs/TOPIC_what.py (short, deterministic, only the
subset of issues #2/#3, imports limited to sys, gc, weakref, math, tracemalloc), then run
    python3 tests/gen-expected.py TOPIC_what.py      # or no argument: the whole corpus
review the new .out, and commit the three files together.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
TIMEOUT = 60


def run(name, seed):
    stdin_path = os.path.join(PROGRAMS, name[:-3] + ".in")
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONHASHSEED=str(seed),
               PYTHONDONTWRITEBYTECODE="1", LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8")
    for var in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONWARNINGS"):
        env.pop(var, None)
    stdin = open(stdin_path, "rb") if os.path.exists(stdin_path) else subprocess.DEVNULL
    try:
        proc = subprocess.run([sys.executable, name], cwd=PROGRAMS, stdin=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              env=env, timeout=TIMEOUT)
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    out = proc.stdout.replace(('"' + PROGRAMS + os.sep).encode(), b'"')
    out = out.replace((PROGRAMS + os.sep).encode(), b"")
    return out, proc.returncode


def main(argv):
    if sys.version_info[:2] != (3, 11) and "--any-python" not in argv:
        sys.exit(f"gen-expected.py: needs CPython 3.11 (this is {sys.version.split()[0]}); "
                 "pass --any-python to override")
    global PROGRAMS
    if "--dir" in argv:
        at = argv.index("--dir")
        PROGRAMS = os.path.join(HERE, argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    names = [a for a in argv if not a.startswith("--")]
    names = [os.path.basename(n) for n in names] or sorted(
        n for n in os.listdir(PROGRAMS) if n.endswith(".py"))
    failures = []
    for name in names:
        out, status = run(name, 0)
        again, status2 = run(name, 1)
        if (out, status) != (again, status2):
            failures.append(name)
            print(f"NOT DETERMINISTIC: {name}", file=sys.stderr)
            continue
        if b"Warning:" in out:
            print(f"note: {name} prints a warning; is that intended?", file=sys.stderr)
        base = os.path.join(PROGRAMS, name[:-3])
        with open(base + ".out", "wb") as f:
            f.write(out)
        with open(base + ".status", "w") as f:
            f.write(f"{status}\n")
    if len(names) > 1:  # drop expectations whose program is gone
        present = {n[:-3] for n in os.listdir(PROGRAMS) if n.endswith(".py")}
        for n in os.listdir(PROGRAMS):
            stem, ext = os.path.splitext(n)
            if ext in (".out", ".status") and stem not in present:
                os.remove(os.path.join(PROGRAMS, n))
    print(f"{len(names) - len(failures)} expectations written, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
