/* vm.h — the interpreter state (struct Vm) and the entry points of the VM.
 *
 * There is no global VM: every function takes `Vm *vm` first. The struct is grouped
 * by the subsystem that owns each field; only that subsystem writes it.
 */
#ifndef PYFRAMES_VM_H
#define PYFRAMES_VM_H

#include "object.h"
#include "pyframes.h"

#define SMALL_INT_MIN (-5)
#define SMALL_INT_MAX 256

struct GcState;
struct AllocState;
struct EventState;

/* How deep Python code may nest inside C calls (vm->eval_depth: a function called
 * from C, a class body, a generator resumed) before RecursionError, whatever
 * sys.setrecursionlimit says. Below the cap the recursion limit decides, counted as
 * CPython counts it (recursion through __init__, __repr__ or __eq__ costs two levels
 * per call and stops near 500 deep in CPython, through x[n] or list(map(f, ...)) one
 * level and near 1000). The cap lets the two-level paths reach CPython's depth.
 * The stack a nested eval costs in wasm differs by path (about 750 bytes through
 * __init__, 1.5 KB through sorted() calling __lt__, measured in Node), and the stacks
 * differ by host (a Chromium worker has about half of a page's: 10,300 nested JS calls
 * against 20,500; Node's main thread 13,900). So the engine does not trust the cap
 * alone: past STACK_PROBE_FROM nested C levels it asks the host before each further
 * level (STACK_LOW, below). The same cap in both builds keeps their streams
 * byte-identical (Node has room for all of it). C recursion without evals (repr, ==
 * and hashing of nested containers) has its own cap, C_STACK_MAX in ops.c. */
#ifndef EVAL_DEPTH_MAX
#define EVAL_DEPTH_MAX 500
#endif

struct Vm {
    /* ---- configuration (pyframes.h), copied at vm_new ---- */
    PfConfig config;

    /* ---- objects shared for the whole run (object.c / builtins.c) ---- */
    uint32_t next_id;        /* next object id; ids are sequential, never addresses */
    Object *none, *true_, *false_, *not_implemented, *ellipsis;
    Object *small_ints[SMALL_INT_MAX - SMALL_INT_MIN + 1]; /* the cache, -5..256 */
    Object *empty_tuple, *empty_str;
    Object *interned;        /* dict: str -> the interned str */
    Object *builtins;        /* dict of the builtins module */
    Object *builtins_module;
    Object *modules;         /* dict: name -> module (sys.modules) */
    Object *memory_error;    /* pre-allocated MemoryError instance */
    Object *main_globals;    /* globals dict of __main__ */

    /* ---- execution (vm.c) ---- */
    Frame *frame;            /* the executing frame (top of the frame stack) */
    Object *exc;             /* the exception being raised, or NULL */
    Object *handled_exc;     /* sys.exc_info()[1] stack top: exception being handled */
    int depth;               /* Python call depth (frames on the stack) */
    int c_depth;             /* nested C-level recursion: re-entries of the eval loop,
                              * repr, comparison and hashing of nested containers */
    int eval_depth;          /* nested C-level re-entries of the eval loop */
    int c_calls;             /* C-level calls in progress that CPython 3.11 counts against
                              * the recursion limit with the frames (vm_enter_c_call) */
    int recursion_limit;     /* sys.getrecursionlimit() */
    uint64_t steps;          /* bytecode instructions executed */
    bool budget_exhausted;   /* the step budget ran out (not catchable by Python code) */
    const char *filename;    /* "NAME.py" shown in tracebacks */
    const char *source;      /* the program's source text (for traceback lines) */
    struct VmExec *exec;     /* vm.c private: frame free lists, import table state */
    size_t input_pos;        /* config.stdin_lines consumed by input() */
    bool input_direct;       /* set by CALL while it calls input() straight from the
                              * outermost eval loop: the call may suspend the run */
    bool suspended;          /* the run waits in input() for pf_resume */
    bool input_stop;         /* input() needs a line where it cannot suspend: the run
                              * unwinds (like the budget) and ends with status 4 */

    /* ---- type system (ops.c, class.c) ---- */
    Object **repr_stack;     /* objects whose repr is in progress (repr_enter), malloc'd */
    int repr_depth, repr_cap;

    /* ---- memory (object.c, alloc.c, gc.c) ---- */
    size_t mem_used;         /* bytes currently allocated through the funnel */
    size_t mem_peak;
    struct AllocState *alloc;
    struct GcState *gc;
    Object *trash;           /* trashcan: objects whose dealloc was deferred */
    int dealloc_depth;

    /* ---- numbers (int.c) ---- */
    int int_max_str_digits;  /* sys.get_int_max_str_digits(): 4300 by default, 0 = no limit */

    /* ---- events (events.c) ---- */
    struct EventState *events; /* NULL when not tracing: every hook checks this first */

    /* ---- output ---- */
    void (*write)(Vm *vm, int stream, const char *text, size_t len); /* stream 1=stdout 2=stderr */
    void *user;
};

/* The wasm engine's stack guard: true when one more nested C level (an eval or a C
 * recursion, vm->c_depth) would leave too little of the host's stack. Below
 * STACK_PROBE_FROM levels no host has that little; from there each level asks
 * pf_stack_room (core/wasm.c), which tries a fixed depth of JS calls (32 KB or more)
 * and catches the host's "Maximum call stack size exceeded" itself, so the caller
 * raises RecursionError instead of losing the run. Native builds have megabytes of C
 * stack for the caps and need no probe. */
#ifdef __EMSCRIPTEN__
#define STACK_PROBE_FROM 200
int pf_stack_room(void);
#define STACK_LOW(vm) (__builtin_expect((vm)->c_depth >= STACK_PROBE_FROM, 0) && !pf_stack_room())
#else
#define STACK_LOW(vm) 0
#endif
/* No room for one more nested eval (vm_call_function, a class body, a generator
 * resumed): the cap or the host's stack. */
#define EVAL_TOO_DEEP(vm) (__builtin_expect((vm)->eval_depth >= EVAL_DEPTH_MAX, 0) || STACK_LOW(vm))

/* Creates the run-wide objects (singletons, small ints, builtins, modules). */
int vm_init_runtime(Vm *vm);
/* Compiles [source] as module __main__ and runs it; prints an uncaught exception's
 * traceback to stderr. Returns the process exit status (0, or 1 for an uncaught
 * exception or a syntax error as CPython; 3 when the step budget ran out). */
int vm_run_main(Vm *vm, const char *source, const char *filename);
/* Runs a code object with a fresh frame (used by obj_call on Python functions from C
 * code: a nested, bounded re-entry of the eval loop). */
Object *vm_call_function(Vm *vm, Object *func, Object **args, size_t nargs, Object *kwnames);
/* builtins.__build_class__(func, name, *bases, **kw): runs a class body and creates
 * the class (vm.c; builtins.c registers it in the builtins module). */
Object *builtin_build_class(Vm *vm, Object *self, Object **args, size_t nargs,
                            Object *kwnames);
/* Enters [levels] nested C-level calls that CPython 3.11 counts against the recursion
 * limit (a built-in called from Python code, str()/repr() of an object, ...): raises
 * RecursionError "maximum recursion depth exceeded[where]" and returns -1 when the
 * frames plus the calls in progress would pass sys.getrecursionlimit(); otherwise adds
 * [levels] to vm->c_calls (vm_leave_c_call takes them back) and returns 0. */
int vm_enter_c_call(Vm *vm, int levels, const char *where);
/* Leaves [levels] calls entered by vm_enter_c_call. */
void vm_leave_c_call(Vm *vm, int levels);
/* The step budget ran out (or a run stops for input): raises the exception that
 * unwinds past every handler and sets vm->budget_exhausted. The caller returns NULL. */
void vm_raise_budget(Vm *vm);
/* input() found no line in an interactive run: marks the run suspended ([direct]:
 * called straight from the outermost eval loop) or stopping (status 4). The caller
 * returns NULL with no exception set. */
void vm_input_wait(Vm *vm, bool direct);
/* Returns input()'s result for stdin [line]: a new str without the line end. */
Object *vm_input_line(Vm *vm, const char *line);
/* Imports the built-in module [name] (modules.def), caching it in vm->modules.
 * Raises ModuleNotFoundError ("No module named 'x'") and returns NULL if unknown. */
Object *vm_import(Vm *vm, Object *name);
/* Writes text to stdout (1) or stderr (2) through the configured writer, and emits the
 * output event. */
void vm_write(Vm *vm, int stream, const char *text, size_t len);

/* Returns the cached small int or a new int object for [v] (new reference). */
Object *int_from_i64(Vm *vm, int64_t v);
/* Returns a new str from UTF-8 text. */
Object *str_from_cstr(Vm *vm, const char *s);
Object *str_from_utf8(Vm *vm, const char *s, size_t len);
/* Returns the interned str for [s] (new reference). */
Object *str_intern_cstr(Vm *vm, const char *s);
/* Returns the UTF-8 text of a str (valid while the str lives; NUL-terminated). */
const char *str_cstr(Object *s);
/* Returns None/True/False as new references. */
#define RETURN_NONE(vm) return NEWREF((vm)->none)
static inline Object *bool_from(Vm *vm, int b) { return NEWREF(b ? vm->true_ : vm->false_); }

#endif
