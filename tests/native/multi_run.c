/* multi_run.c — runs one program several times in one process, as the browser engine
 * does (pf_new → pf_run → pf_free, again and again), and checks that every run gives
 * the same output, exit status and event stream. Usage:
 *   multi-run [--runs N] [--no-trace] FILE.py...
 * The programs run round-robin N times (A B A B A B). Prints one "ok FILE: ..." line per
 * program and exits 0 when every run agrees with that program's first; otherwise
 * names the first difference and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyframes.h"

typedef struct {
    char *data;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) { fprintf(stderr, "multi-run: out of memory\n"); exit(2); }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

typedef struct {
    Buf out, events;
} Capture;

static void on_write(void *user, int stream, const char *text, size_t len)
{
    Capture *c = user;
    buf_add(&c->out, stream == 2 ? "[2]" : "", stream == 2 ? 3 : 0);
    buf_add(&c->out, text, len);
}

static void on_emit(void *user, const char *record, size_t len)
{
    Capture *c = user;
    buf_add(&c->events, record, len);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    Buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_add(&b, chunk, n);
    fclose(f);
    if (!b.data) buf_add(&b, "", 0);
    return b.data;
}

/* Returns true if [a] and [b] hold the same bytes. */
static int same(const Buf *a, const Buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Returns the 1-based line number of the first difference of [a] and [b]. */
static size_t first_diff_line(const Buf *a, const Buf *b)
{
    size_t line = 1;
    for (size_t i = 0; i < a->len && i < b->len && a->data[i] == b->data[i]; i++)
        line += a->data[i] == '\n';
    return line;
}

static int run_once(const char *source, const char *filename, int trace, Capture *c)
{
    PfConfig config = pf_config_default();
    config.trace = trace;
    config.write = on_write;
    config.emit = on_emit;
    config.user = c;
    Vm *vm = pf_new(&config);
    if (!vm) return -1;
    int status = pf_run(vm, source, filename);
    pf_free(vm);
    return status;
}

/* Compares run [r] of [file] with its first run; prints the difference. */
static int compare(const char *file, int r, int status, int status0, const Capture *c,
                   const Capture *first)
{
    if (status != status0) {
        printf("%s run %d: exit status %d, run 1 gave %d\n", file, r, status, status0);
        return 1;
    }
    if (!same(&c->out, &first->out)) {
        printf("%s run %d: output differs from run 1 at line %zu\n", file, r,
               first_diff_line(&c->out, &first->out));
        return 1;
    }
    if (!same(&c->events, &first->events)) {
        printf("%s run %d: event stream differs from run 1 at record %zu\n", file, r,
               first_diff_line(&c->events, &first->events));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 3, trace = 1, nfiles = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    if (!files) return 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-trace")) trace = 0;
        else files[nfiles++] = argv[i];
    }
    if (!nfiles || runs < 1) {
        fprintf(stderr, "usage: multi-run [--runs N] [--no-trace] FILE.py...\n");
        return 2;
    }
    char **sources = calloc((size_t)nfiles, sizeof *sources);
    Capture *firsts = calloc((size_t)nfiles, sizeof *firsts);
    int *status0 = calloc((size_t)nfiles, sizeof *status0);
    if (!sources || !firsts || !status0) return 2;
    for (int k = 0; k < nfiles; k++)
        if (!(sources[k] = read_file(files[k]))) {
            fprintf(stderr, "multi-run: cannot read %s\n", files[k]);
            return 2;
        }
    /* Round-robin: every program runs once per round, so each run follows another
     * program's pf_free (as in the browser). */
    int failed = 0;
    for (int r = 1; r <= runs && !failed; r++)
        for (int k = 0; k < nfiles && !failed; k++) {
            if (r == 1) {
                status0[k] = run_once(sources[k], files[k], trace, &firsts[k]);
                if (status0[k] < 0) { printf("%s: pf_new failed\n", files[k]); failed = 1; }
                continue;
            }
            Capture c = {0};
            int status = run_once(sources[k], files[k], trace, &c);
            failed = compare(files[k], r, status, status0[k], &c, &firsts[k]);
            free(c.out.data);
            free(c.events.data);
        }
    for (int k = 0; k < nfiles; k++) {
        if (!failed)
            printf("ok %s: %d runs, status %d, %zu bytes of output, %zu bytes of events\n",
                   files[k], runs, status0[k], firsts[k].out.len, firsts[k].events.len);
        free(firsts[k].out.data);
        free(firsts[k].events.data);
        free(sources[k]);
    }
    free(sources);
    free(firsts);
    free(status0);
    free(files);
    return failed ? 1 : 0;
}
