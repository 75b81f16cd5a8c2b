/* main.c — the native command line:
 *   pyframes run FILE.py | run -c CODE      runs a program like `python3 FILE.py`
 *   pyframes trace FILE.py | trace -c CODE  writes the event stream, one JSON record per line
 * Options: --max-steps N, --recursion-limit N, --snapshots, --suspend (an interactive
 * run: input() suspends the program and each stdin line resumes it, as the web engine
 * does; the stream then holds the input requests). The exit status is the program's
 * (0, 1 uncaught exception or syntax error, 3 step budget exhausted, 4 input wanted
 * and no line left).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyframes.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: pyframes run|trace [--max-steps N] [--recursion-limit N] [--snapshots] [--max-trace-steps N] [--suspend] "
            "(FILE.py | -c CODE)\n");
}

static char *read_file(FILE *f, size_t *len_out)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) { free(buf); return NULL; }
            buf = nb;
        }
    }
    buf[len] = 0;
    if (len_out) *len_out = len;
    return buf;
}

/* Splits stdin into lines (without newlines) for input(), NULL-terminated. */
static char **read_stdin_lines(void)
{
    size_t len;
    char *text = read_file(stdin, &len);
    if (!text) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += text[i] == '\n';
    char **lines = calloc(n + 2, sizeof(char *));
    if (!lines) { free(text); return NULL; }
    size_t k = 0;
    char *p = text;
    while (*p) {
        char *nl = strchr(p, '\n');
        if (nl) *nl = 0;
        lines[k++] = strdup(p);
        if (!nl) break;
        p = nl + 1;
    }
    free(text);
    return lines;
}

static void write_out(void *user, int stream, const char *text, size_t len)
{
    if (stream == 2) {
        fflush(stdout);
        fwrite(text, 1, len, stderr);
        fflush(stderr);
    } else {
        fwrite(text, 1, len, stdout);
    }
}

static void write_none(void *user, int stream, const char *text, size_t len)
{
}

static void emit_record(void *user, const char *record, size_t len)
{
    fwrite(record, 1, len, stdout);
}

static int run_once(const PfConfig *config, const char *source, const char *filename)
{
    Vm *vm = pf_new(config);
    if (!vm) {
        fprintf(stderr, "pyframes: out of memory\n");
        return 1;
    }
    int status = pf_run(vm, source, filename);
    pf_free(vm);
    return status;
}

/* --suspend: answers each input() of a suspended run with the next stdin line, as the
 * web engine does; where the run stopped instead (status 4: input() under a C-level
 * call), runs it again with the lines used so far plus one given up front. */
static int run_interactive(PfConfig *config, const char *source, const char *filename,
                           char **lines)
{
    size_t nlines = 0, given = 0;
    while (lines && lines[nlines]) nlines++;
    const char **upfront = calloc(nlines + 1, sizeof *upfront);
    if (!upfront) return 1;
    int status;
    for (;;) {
        for (size_t i = 0; i <= nlines; i++) upfront[i] = i < given ? lines[i] : NULL;
        config->stdin_lines = upfront;
        Vm *vm = pf_new(config);
        if (!vm) {
            fprintf(stderr, "pyframes: out of memory\n");
            status = 1;
            break;
        }
        status = pf_run(vm, source, filename);
        while (status == PF_SUSPENDED && given < nlines) {
            fflush(stdout);
            status = pf_resume(vm, lines[given++]);
        }
        pf_free(vm);
        if (status == PF_SUSPENDED) status = 4;
        if (status != 4 || given >= nlines) break;
        given++;
    }
    free(upfront);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "trace") != 0)) {
        usage();
        return 2;
    }
    bool trace = strcmp(argv[1], "trace") == 0;
    PfConfig config = pf_config_default();
    const char *file = NULL, *code = NULL;
    bool suspend = false;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--max-steps") && i + 1 < argc) {
            config.max_steps = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--recursion-limit") && i + 1 < argc) {
            config.recursion_limit = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--max-trace-steps") && i + 1 < argc) {
            config.max_trace_steps = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--snapshots")) {
            config.snapshots = 1;
        } else if (!strcmp(argv[i], "--suspend")) {
            suspend = true;
        } else if (!strcmp(argv[i], "-c") && i + 1 < argc) {
            code = argv[++i];
            break;
        } else if (!file) {
            file = argv[i];
            break;
        } else {
            usage();
            return 2;
        }
    }
    if (!file && !code) {
        usage();
        return 2;
    }
    char *source;
    const char *filename;
    if (code) {
        source = strdup(code);
        filename = "<string>";
    } else {
        FILE *f = fopen(file, "rb");
        if (!f) {
            fprintf(stderr, "%s: can't open file '%s': [Errno 2] No such file or directory\n",
                    argv[0], file);
            return 2;
        }
        source = read_file(f, NULL);
        fclose(f);
        filename = file;
    }
    if (!source) return 1;
    char **lines = NULL;
    if (strstr(source, "input(")) {
        lines = read_stdin_lines();
        config.stdin_lines = suspend ? NULL : (const char *const *)lines;
    }
    config.interactive = suspend;
    config.trace = trace;
    config.write = trace ? write_none : write_out;
    config.emit = emit_record;
    int status = suspend ? run_interactive(&config, source, filename, lines)
                         : run_once(&config, source, filename);
    fflush(stdout);
    free(source);
    if (lines) {
        for (char **p = lines; *p; p++) free(*p);
        free(lines);
    }
    return status;
}
