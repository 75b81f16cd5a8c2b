/* pyframes.h — the public interface of the interpreter.
 *
 * The only header the native CLI (main.c) and the Emscripten glue (wasm.c) include.
 * A run is: pf_new(config) → pf_run(source, filename) → pf_free. Nothing is global:
 * two runs in one process (the browser reuses its module) share no state.
 */
#ifndef PYFRAMES_H
#define PYFRAMES_H

#include <stddef.h>
#include <stdint.h>

typedef struct Vm Vm;

/* Options for one run. Zero-initialise and set what you need; pf_config_default()
 * gives the defaults documented beside each field. */
typedef struct PfConfig {
    uint64_t max_steps;         /* bytecode step budget (default 10,000,000; 0 = default) */
    size_t max_memory;          /* memory budget in bytes (default 512 MiB) → MemoryError */
    int recursion_limit;        /* initial sys.getrecursionlimit() (default 1000) */
    int trace;                  /* nonzero: emit the event stream */
    int snapshots;              /* nonzero: also emit a full snapshot after every step */
    uint64_t max_trace_steps;   /* trace step budget (0 = unlimited) */
    const char *const *stdin_lines; /* lines answered to input(), NULL-terminated, or NULL */
    /* Nonzero: input() with no line left waits instead of raising EOFError: the run
     * suspends (pf_run / pf_resume return PF_SUSPENDED; pf_resume continues it) or,
     * where it cannot suspend (input() under a C-level call), stops with status 4. */
    int interactive;
    /* Receives program output: stream 1 = stdout, 2 = stderr. */
    void (*write)(void *user, int stream, const char *text, size_t len);
    /* Receives the event stream in pieces of whole JSON records: one or more records
     * per call, each followed by a newline. Records are handed over in blocks of about
     * 64 KiB, and the rest when the run ends or suspends in input(). The text is only
     * valid during the call. */
    void (*emit)(void *user, const char *record, size_t len);
    void *user;
} PfConfig;

/* Returns the default configuration. */
PfConfig pf_config_default(void);
/* Creates an interpreter for one run. Returns NULL if memory is exhausted. */
Vm *pf_new(const PfConfig *config);
/* Runs [source] as the __main__ module, named [filename] in tracebacks. Returns the
 * exit status `python3 FILE` would give: 0, or 1 for an uncaught exception or a
 * syntax error; 3 when the step budget ran out. */
int pf_run(Vm *vm, const char *source, const char *filename);
/* pf_run / pf_resume's status when the run is suspended in input() (interactive runs). */
#define PF_SUSPENDED 5
/* Continues a run suspended in input() with [line] as input()'s result (a trailing
 * newline is dropped). Returns what pf_run would: the exit status, or PF_SUSPENDED
 * again at the next input(). Returns -1 if the run is not suspended. */
int pf_resume(Vm *vm, const char *line);
/* Frees the interpreter and every object it still holds. */
void pf_free(Vm *vm);

#endif
