#!/usr/bin/env python3
"""Check the lesson texts in lessons/: run every ```python run block.

Each runnable block runs under CPython (`python3`, must be 3.11) and under
build/pyframes, as a file named main.py in a fresh temporary directory, with stdout
and stderr on one pipe. The two outputs and exit statuses must be equal (CPython's
absolute script path in tracebacks is reduced to `main.py`, as pyframes prints it).

Info-string options (after `python run`, space separated):
  name=SLUG        the example's name; unique within a lesson
  expect=error     the example must fail (non-zero exit) under both engines
  engine=pyframes  pyframes-only (uses the `pyframes` module): not run under CPython,
                   must exit 0 under pyframes (or fail, with expect=error)

It also checks the format rules of lessons/README.md: the `# Title` first line, at
most 25 lines per runnable block, and at least one `**Predict:**` blockquote followed
by a runnable block and a <details> answer in every lesson.

Usage: python3 tools/check-lessons.py [--verbose] [LESSON.md ...]
Exit status 0 when everything passes, 1 otherwise.
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LESSONS = os.path.join(ROOT, "lessons")
PYFRAMES = os.environ.get("PYFRAMES_BIN", os.path.join(ROOT, "build", "pyframes"))
PYTHON = os.environ.get("PYTHON", "python3")
MAX_LINES = 25
TIMEOUT = 20

FENCE = re.compile(r"^(```+)\s*(\S.*)?$")


def parse_blocks(text):
    """Yield (line_number, info, code) for every fenced block of a Markdown text."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, info, start = m.group(1), (m.group(2) or "").strip(), i + 1
        j = start
        while j < len(lines) and lines[j].strip() != fence:
            j += 1
        yield start, info, "\n".join(lines[start:j]) + "\n"
        i = j + 1


def parse_info(info):
    """Return the options dict of a `python run ...` info string, or None."""
    words = info.split()
    if words[:2] != ["python", "run"]:
        return None
    opts = {}
    for w in words[2:]:
        key, _, value = w.partition("=")
        opts[key] = value
    return opts


def run(cmd, code):
    """Run `code` as main.py with `cmd`; return (status, combined output)."""
    with tempfile.TemporaryDirectory(prefix="lesson-") as d:
        path = os.path.join(d, "main.py")
        with open(path, "w") as f:
            f.write(code)
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        try:
            p = subprocess.run(cmd + ["main.py"], cwd=d, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return None, "(timed out after %d s)" % TIMEOUT
        out = p.stdout.decode("utf-8", "replace")
        out = out.replace(os.path.realpath(d) + os.sep, "").replace(d + os.sep, "")
        return p.returncode, out


def check_format(name, text, problems):
    """Check the format rules that do not need running anything."""
    if not text.startswith("# "):
        problems.append(f"{name}:1: the first line must be '# Title'")
    if "**Predict:**" not in text:
        problems.append(f"{name}: no '> **Predict:**' exercise")
    if "<details><summary>Answer</summary>" not in text:
        problems.append(f"{name}: no '<details><summary>Answer</summary>' answer")
    # Every Predict blockquote must be followed by a runnable block before the next one.
    parts = text.split("**Predict:**")[1:]
    for k, part in enumerate(parts, 1):
        nxt = part.find("```python run")
        if nxt < 0:
            problems.append(f"{name}: Predict #{k} is not followed by a python run block")


def check_lesson(path, verbose, problems):
    name = os.path.relpath(path, ROOT)
    with open(path) as f:
        text = f.read()
    check_format(name, text, problems)
    seen = set()
    count = 0
    for line, info, code in parse_blocks(text):
        opts = parse_info(info)
        if opts is None:
            continue
        count += 1
        where = f"{name}:{line}"
        slug = opts.get("name")
        if slug:
            if slug in seen:
                problems.append(f"{where}: duplicate name={slug}")
            seen.add(slug)
        n = code.count("\n")
        if n > MAX_LINES:
            problems.append(f"{where}: {n} lines (at most {MAX_LINES})")
        expect_error = opts.get("expect") == "error"
        pf_only = opts.get("engine") == "pyframes"
        pf_status, pf_out = run([PYFRAMES, "run"], code)
        if pf_only:
            py_status, py_out = None, None
        else:
            py_status, py_out = run([PYTHON], code)
        label = slug or f"block at line {line}"
        if verbose:
            print(f"--- {where} {label}: python3={py_status} pyframes={pf_status}")
        if py_status is not None and (py_status != 0) != expect_error:
            problems.append(f"{where} ({label}): CPython exit status {py_status}"
                            + (" (expected an error)" if expect_error else "")
                            + "\n" + indent(py_out))
        if pf_status is None or (pf_status != 0) != expect_error:
            problems.append(f"{where} ({label}): pyframes exit status {pf_status}"
                            + (" (expected an error)" if expect_error else "")
                            + "\n" + indent(pf_out))
        if py_status is not None and (py_status, py_out) != (pf_status, pf_out):
            problems.append(f"{where} ({label}): pyframes differs from CPython\n"
                            + diff(py_out, pf_out))
    if count == 0:
        problems.append(f"{name}: no python run blocks")
    return count


def indent(text):
    return "".join("    | " + l + "\n" for l in text.rstrip("\n").split("\n"))


def diff(expected, got):
    import difflib
    lines = difflib.unified_diff(expected.splitlines(), got.splitlines(),
                                 "python3", "pyframes", lineterm="", n=1)
    return "\n".join("    " + l for l in lines)


def main(argv):
    verbose = "--verbose" in argv or "-v" in argv
    files = [a for a in argv if not a.startswith("-")]
    if not files:
        files = sorted(os.path.join(LESSONS, f) for f in os.listdir(LESSONS)
                       if re.match(r"\d\d-.*\.md$", f))
    if not os.access(PYFRAMES, os.X_OK):
        print(f"check-lessons: {PYFRAMES} not found; run `make` first", file=sys.stderr)
        return 1
    problems, total = [], 0
    for path in files:
        total += check_lesson(os.path.abspath(path), verbose, problems)
    for p in problems:
        print("FAIL " + p)
    print(f"check-lessons: {len(files)} lessons, {total} examples, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
