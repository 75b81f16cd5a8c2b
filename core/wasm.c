/* wasm.c — the Emscripten exports of the web engine (the only file that knows
 * Emscripten). One call runs a program with tracing on and leaves the event stream,
 * stdout and stderr in buffers the JS side reads; with streaming on, the stream is
 * also handed to Module.onChunk in pieces of whole records while it is produced.
 *
 * JS API (web/engine/worker.js, which turns its options object into the arguments):
 * pf_wasm_run(source, filename, stdin lines, budgets, flags) → exit status, then
 * pf_wasm_buffer(0..3) / pf_wasm_buffer_len(0..3) for stream / stdout / stderr / both.
 * Flags (RUN_*, below; worker.js has the same values): stream (call onChunk),
 * interactive (input() with no line left waits), trace (without it the run writes no
 * event stream, for benchmarks).
 * An interactive run that waits in input() returns PF_SUSPENDED (5) and stays alive:
 * pf_wasm_resume(line) continues it (the buffers then hold only what the resumed part
 * produced), pf_wasm_discard() drops it; the next pf_wasm_run drops it too.
 */
#include <emscripten.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pyframes.h"

static JsonBuf bufs[4]; /* 0 = event stream, 1 = stdout, 2 = stderr, 3 = both in order */
static int streaming;

EM_JS(void, js_chunk, (const char *data, size_t len), {
    if (Module.onChunk) Module.onChunk(data, len);
});

/* vm.h's STACK_LOW: is there room for one more nested level? A JS function called
 * 256 deep with nine arguments needs 32 KB of V8's stack (about 128 bytes a call once
 * compiled, 190 before); if V8 runs out on the way, the exception is caught here, in
 * JS, before it can unwind any wasm frame. In a Chromium worker every recursion path
 * we know ended safely with as little as 32 calls of room untraced, 128 traced. */
EM_JS(int, pf_stack_room, (void), {
    try { (function p(n) { n && p(n - 1, 0, 0, 0, 0, 0, 0, 0, 0); })(256); return 1; } catch (e) { return 0; }
});

static void flush_chunk(void) {
    if (!streaming || !bufs[0].len) return;
    js_chunk(bufs[0].data, bufs[0].len);
    json_reset(&bufs[0]);
}

/* Streaming, a block of records goes to JS as it is (the emitter hands over blocks
 * of about 64 KiB); otherwise it is kept for pf_wasm_buffer(0). */
static void on_emit(void *user, const char *records, size_t len) {
    if (streaming) {
        flush_chunk(); /* what a run resumed without streaming kept, first */
        js_chunk(records, len);
        return;
    }
    json_raw(&bufs[0], records, len);
}

static void on_write(void *user, int stream, const char *text, size_t len) {
    json_raw(&bufs[stream == 2 ? 2 : 1], text, len);
    json_raw(&bufs[3], text, len);
}

/* ---- the options ---- */

enum { RUN_STREAM = 1, RUN_INTERACTIVE = 2, RUN_TRACE = 4 }; /* pf_wasm_run's flags */

/* Numbers from the options, clamped: converting an out-of-range double is undefined
 * in C (and the build lets the conversion saturate). NaN and negatives count as 0. */
static uint64_t to_count(double v) {
    if (!(v > 0)) return 0;
    return v >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)v;
}

static int to_int(double v) {
    if (v != v) return 0;
    if (v <= (double)INT_MIN) return INT_MIN;
    return v >= (double)INT_MAX ? INT_MAX : (int)v;
}

typedef struct {
    PfConfig config;
    char *filename;
    char *stdin_block;  /* the stdin lines, each ended by a NUL */
    char **stdin_lines; /* pointers into stdin_block, NULL-terminated */
} Options;

/* A copy of the [n] bytes at [p] with a NUL after them (NULL when p is). */
static char *copy_bytes(const char *p, size_t n) {
    char *c = p ? malloc(n + 1) : NULL;
    if (c) { memcpy(c, p, n); c[n] = 0; }
    return c;
}

/* The run suspended in input(), with what it points into (kept until it ends). */
static Vm *live;
static Options live_opts;
static char *live_source;

static void free_options(Options *o) {
    free(o->stdin_lines);
    free(o->stdin_block);
    free(o->filename);
    memset(o, 0, sizeof *o);
}

/* Drops the suspended run, if any. */
EMSCRIPTEN_KEEPALIVE void pf_wasm_discard(void) {
    if (live) pf_free(live);
    live = NULL;
    free_options(&live_opts);
    free(live_source);
    live_source = NULL;
}

/* Keeps the run alive if it is suspended, else frees it; returns [status]. */
static int settle(int status) {
    flush_chunk();
    if (status != PF_SUSPENDED) pf_wasm_discard();
    return status;
}

/* Runs [source] (UTF-8, NUL-terminated). Options: [filename] (NULL: "main.py"), the
 * [nlines] stdin lines in [stdin_block] (each ended by a NUL, [stdin_len] bytes in
 * all), the budgets (NaN: the default) and [flags] (RUN_*).
 * Returns the exit status, or PF_SUSPENDED when an interactive run waits in input(). */
EMSCRIPTEN_KEEPALIVE int pf_wasm_run(const char *source, const char *filename, const char *stdin_block,
                                     size_t stdin_len, size_t nlines, double max_steps,
                                     double recursion_limit, double max_trace_steps, int flags) {
    pf_wasm_discard();
    for (int i = 0; i < 4; i++) json_reset(&bufs[i]);
    streaming = (flags & RUN_STREAM) != 0;
    live_opts = (Options){pf_config_default(), NULL, NULL, NULL};
    PfConfig *c = &live_opts.config;
    if (max_steps == max_steps) c->max_steps = to_count(max_steps);
    if (recursion_limit == recursion_limit) c->recursion_limit = to_int(recursion_limit);
    if (max_trace_steps == max_trace_steps) c->max_trace_steps = to_count(max_trace_steps);
    c->interactive = (flags & RUN_INTERACTIVE) != 0;
    c->trace = (flags & RUN_TRACE) != 0;
    c->emit = on_emit;
    c->write = on_write;
    live_opts.filename = copy_bytes(filename, filename ? strlen(filename) : 0);
    live_opts.stdin_block = copy_bytes(stdin_block, stdin_len);
    if (nlines) {
        live_opts.stdin_lines = calloc(nlines + 1, sizeof *live_opts.stdin_lines);
        if (!live_opts.stdin_lines || !live_opts.stdin_block) return settle(1);
        char *line = live_opts.stdin_block;
        for (size_t i = 0; i < nlines; i++, line += strlen(line) + 1) live_opts.stdin_lines[i] = line;
        c->stdin_lines = (const char *const *)live_opts.stdin_lines;
    }
    size_t n = strlen(source);
    live_source = copy_bytes(source, n);
    live = live_source ? pf_new(c) : NULL;
    if (!live) return settle(1);
    return settle(pf_run(live, live_source, live_opts.filename ? live_opts.filename : "main.py"));
}

/* Continues the suspended run with [line] as input()'s result; returns as pf_wasm_run
 * (-1 if no run is suspended). Streaming stays as the run was started. */
EMSCRIPTEN_KEEPALIVE int pf_wasm_resume(const char *line) {
    if (!live) return -1;
    for (int i = 0; i < 4; i++) json_reset(&bufs[i]);
    return settle(pf_resume(live, line));
}

/* The event stream (0), stdout (1), stderr (2) or both interleaved (3) of the last run. */
EMSCRIPTEN_KEEPALIVE const char *pf_wasm_buffer(int which) {
    return bufs[which].data ? bufs[which].data : "";
}

EMSCRIPTEN_KEEPALIVE size_t pf_wasm_buffer_len(int which) { return bufs[which].len; }

/* Releases the buffers' memory (they are reused by the next run otherwise). */
EMSCRIPTEN_KEEPALIVE void pf_wasm_release(void) {
    for (int i = 0; i < 4; i++) json_free(&bufs[i]);
}
