/* wasm.c — the Emscripten exports of the web engine (the only file that knows
 * Emscripten). One call runs a program with tracing on and leaves the event stream,
 * stdout and stderr in buffers the JS side reads; with streaming on, the stream is
 * also handed to Module.onChunk in pieces of whole records while it is produced.
 *
 * JS API (web/engine/worker.js): pf_wasm_run(source, optionsJson) → exit status, then
 * pf_wasm_buffer(0..3) / pf_wasm_buffer_len(0..3) for stream / stdout / stderr / both.
 * Options (a flat JSON object, all optional): max_steps, recursion_limit,
 * max_trace_steps, stream (bool: call onChunk), filename (string),
 * stdin (array of strings), interactive (bool: input() with no line left waits),
 * trace (bool, default true: false runs without the event stream, for benchmarks).
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

/* ---- a reader for the flat options object ---- */

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
    const char *p;
} Reader;

static void skip_ws(Reader *r) {
    while (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' || *r->p == '\r') r->p++;
}

/* Reads a JSON string at r->p into a malloc'd UTF-8 C string (NULL on error). */
static char *read_string(Reader *r) {
    if (*r->p != '"') return NULL;
    r->p++;
    size_t cap = 64, n = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    while (*r->p && *r->p != '"') {
        unsigned cp = (unsigned char)*r->p++;
        if (cp == '\\') {
            char e = *r->p++;
            switch (e) {
            case 'n': cp = '\n'; break;
            case 't': cp = '\t'; break;
            case 'r': cp = '\r'; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'u': {
                cp = (unsigned)strtoul((char[5]){r->p[0], r->p[1], r->p[2], r->p[3], 0}, NULL, 16);
                r->p += 4;
                if (cp >= 0xD800 && cp < 0xDC00 && r->p[0] == '\\' && r->p[1] == 'u') {
                    unsigned lo = (unsigned)strtoul((char[5]){r->p[2], r->p[3], r->p[4], r->p[5], 0}, NULL, 16);
                    if (lo >= 0xDC00 && lo < 0xE000) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        r->p += 6;
                    }
                }
                break;
            }
            default: cp = (unsigned char)e; break;
            }
            char enc[4];
            int len = 0;
            if (cp < 0x80) enc[len++] = (char)cp;
            else if (cp < 0x800) { enc[len++] = (char)(0xC0 | (cp >> 6)); enc[len++] = (char)(0x80 | (cp & 0x3F)); }
            else if (cp < 0x10000) { enc[len++] = (char)(0xE0 | (cp >> 12)); enc[len++] = (char)(0x80 | ((cp >> 6) & 0x3F)); enc[len++] = (char)(0x80 | (cp & 0x3F)); }
            else { enc[len++] = (char)(0xF0 | (cp >> 18)); enc[len++] = (char)(0x80 | ((cp >> 12) & 0x3F)); enc[len++] = (char)(0x80 | ((cp >> 6) & 0x3F)); enc[len++] = (char)(0x80 | (cp & 0x3F)); }
            if (n + 5 > cap) { cap *= 2; char *q = realloc(out, cap); if (!q) { free(out); return NULL; } out = q; }
            memcpy(out + n, enc, (size_t)len);
            n += (size_t)len;
            continue;
        }
        if (n + 5 > cap) { cap *= 2; char *q = realloc(out, cap); if (!q) { free(out); return NULL; } out = q; }
        out[n++] = (char)cp;
    }
    if (*r->p == '"') r->p++;
    out[n] = 0;
    return out;
}

typedef struct {
    PfConfig config;
    char *filename;
    char **stdin_lines;
    size_t nlines;
} Options;

static void read_options(const char *json, Options *o) {
    Reader r = {json ? json : "{}"};
    skip_ws(&r);
    if (*r.p != '{') return;
    r.p++;
    for (;;) {
        skip_ws(&r);
        if (*r.p != '"') break;
        char *key = read_string(&r);
        skip_ws(&r);
        if (*r.p == ':') r.p++;
        skip_ws(&r);
        if (!key) break;
        if (*r.p == '"') {
            char *v = read_string(&r);
            if (!strcmp(key, "filename")) { free(o->filename); o->filename = v; }
            else free(v);
        } else if (*r.p == '[') {
            r.p++;
            for (;;) {
                skip_ws(&r);
                if (*r.p != '"') break;
                char *line = read_string(&r);
                if (line && !strcmp(key, "stdin")) {
                    char **l = realloc(o->stdin_lines, (o->nlines + 2) * sizeof *l);
                    if (l) { o->stdin_lines = l; l[o->nlines++] = line; l[o->nlines] = NULL; }
                    else free(line);
                } else {
                    free(line);
                }
                skip_ws(&r);
                if (*r.p == ',') r.p++;
            }
            if (*r.p == ']') r.p++;
        } else {
            char *end;
            double v;
            if (!strncmp(r.p, "true", 4)) { v = 1; end = (char *)r.p + 4; }
            else if (!strncmp(r.p, "false", 5)) { v = 0; end = (char *)r.p + 5; }
            else if (!strncmp(r.p, "null", 4)) { v = 0; end = (char *)r.p + 4; }
            else v = strtod(r.p, &end);
            r.p = end;
            if (!strcmp(key, "max_steps")) o->config.max_steps = to_count(v);
            else if (!strcmp(key, "recursion_limit")) o->config.recursion_limit = to_int(v);
            else if (!strcmp(key, "max_trace_steps")) o->config.max_trace_steps = to_count(v);
            else if (!strcmp(key, "stream")) streaming = v != 0;
            else if (!strcmp(key, "interactive")) o->config.interactive = v != 0;
            else if (!strcmp(key, "trace")) o->config.trace = v != 0;
        }
        free(key);
        skip_ws(&r);
        if (*r.p == ',') r.p++;
        else break;
    }
}

/* The run suspended in input(), with what it points into (kept until it ends). */
static Vm *live;
static Options live_opts;
static char *live_source;

static void free_options(Options *o) {
    for (size_t i = 0; i < o->nlines; i++) free(o->stdin_lines[i]);
    free(o->stdin_lines);
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

/* Runs [source] with the options in [options_json]; returns the exit status, or
 * PF_SUSPENDED when an interactive run waits in input(). */
EMSCRIPTEN_KEEPALIVE int pf_wasm_run(const char *source, const char *options_json) {
    pf_wasm_discard();
    for (int i = 0; i < 4; i++) json_reset(&bufs[i]);
    streaming = 0;
    live_opts = (Options){pf_config_default(), NULL, NULL, 0};
    live_opts.config.trace = 1;
    read_options(options_json, &live_opts);
    live_opts.config.emit = on_emit;
    live_opts.config.write = on_write;
    live_opts.config.stdin_lines = (const char *const *)live_opts.stdin_lines;
    size_t n = strlen(source);
    live_source = malloc(n + 1);
    if (live_source) memcpy(live_source, source, n + 1);
    live = live_source ? pf_new(&live_opts.config) : NULL;
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
