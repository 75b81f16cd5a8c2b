/* frame.h — the execution frame of one running (or suspended) code object, as
 * CPython 3.11's _PyInterpreterFrame: heap allocated, linked to its caller by [back].
 * Frames are pushed and popped only by named functions in vm.c (vm_push_frame,
 * vm_pop_frame); generators own their frame between resumptions (generator.c).
 * Readers (events.c snapshots, tracebacks) may inspect every field documented here.
 */
#ifndef PYFRAMES_FRAME_H
#define PYFRAMES_FRAME_H

#include "code.h"

/* A try/with handler block: on an exception the value stack is cut back to [level]
 * items, the exception is pushed and execution continues at instruction [handler]. */
typedef struct {
    int handler;
    int level;
} FrameBlock;

/* Life cycle of a frame (Frame.state). */
typedef enum {
    FRAME_CREATED,    /* arguments bound, not started (a new generator) */
    FRAME_RUNNING,    /* on the frame stack, executing or calling */
    FRAME_SUSPENDED,  /* a generator paused at a yield */
    FRAME_COMPLETED   /* returned or raised: must not run again */
} FrameState;

/* A frame. Invariants:
 * - localsplus has code->nlocalsplus + code->stacksize slots: the locals in varnames
 *   order (NULL = unbound), then code->ncells cells for cellvars (created when the
 *   frame starts; an argument that is also a cellvar is moved into its cell and its
 *   local slot left NULL, see code->cell2arg), then code->nfrees cells shared with
 *   the function's closure (the cells of the defining frame), then the value stack.
 * - [sp] points one past the top of the value stack; slots below it own references.
 * - A frame on the stack (state RUNNING) holds strong references to code, func,
 *   globals and locals. */
struct Frame {
    Frame *back;          /* the calling frame (NULL for the outermost) */
    CodeObject *code;     /* what runs (strong) */
    Object *func;         /* the FunctionObject called, or NULL for module code (strong) */
    Object *globals;      /* the module dict for LOAD_GLOBAL/STORE_GLOBAL: borrowed, as
                           * in CPython 3.11 (a call does not change its count); the
                           * function (func) or, for a module frame, locals keeps it */
    Object *locals;       /* namespace dict of module and class bodies (LOAD_NAME), else NULL (strong) */
    const uint32_t *ip;   /* next instruction to execute; the one executing (or last
                           * executed) is FRAME_LASTI(f), whose code->positions entry gives
                           * the current line and the PEP 657 span */
    Object **sp;          /* value stack top */
    Object *generator;    /* the generator owning this frame (borrowed), or NULL */
    FrameState state;
    bool is_entry;        /* started by a C-level call (vm_eval): returning leaves that eval loop */
    int last_line;        /* line of the last line event (tracing), -1 initially */
    int trace_prev;       /* index of the previously traced instruction (tracing) */
    int nblocks;          /* active handler blocks */
    FrameBlock blocks[CODE_MAX_BLOCKS];
    size_t nslots;        /* allocated slots of localsplus (for the free list) */
    uint32_t ev_id;       /* events.c: the frame's id in the event stream, 0 until it is
                           * first pushed while tracing (frame_new must zero it) */
    Object *localsplus[]; /* locals | cells | frees | value stack */
};

/* The index of the instruction executing (or last executed); -1 before the start. */
#define FRAME_LASTI(f) ((int)((f)->ip - (f)->code->instrs) - 1)
/* The first slot of the value stack. */
#define FRAME_STACK_BASE(f) ((f)->localsplus + (f)->code->nlocalsplus)
/* The cell slots (cellvars then freevars). */
#define FRAME_CELLS(f) ((f)->localsplus + (f)->code->nlocals)

/* Creates a frame for [code] (not yet on the frame stack): locals empty, cells for
 * cellvars not yet made. [func] may be NULL (module/class body with [locals]). Takes
 * new references to code, func and locals; [globals] is borrowed (func's globals, or
 * the module frame's locals). NULL + MemoryError on failure. */
Frame *frame_new(Vm *vm, CodeObject *code, Object *func, Object *globals, Object *locals);
/* Creates the cells of the frame (cellvars, moving arguments in) and copies the
 * closure's cells. Call after arguments are bound. -1 on error. */
int frame_init_cells(Vm *vm, Frame *f);
/* Releases every reference a frame holds and returns its memory to the free list. */
void frame_free(Vm *vm, Frame *f);
/* Visits every reference held by [f] (for generators' traverse). */
int frame_traverse(Vm *vm, Frame *f, VisitFn visit, void *arg);
/* Returns the line executing in [f]. */
int frame_line(const Frame *f);

/* Runs [f] (already linked as the top frame with vm_push_frame, or a suspended
 * generator frame) until it returns, yields or raises, re-entering the dispatch loop
 * from C. [throw] non-NULL resumes the frame by raising it (generator.throw).
 * Returns the returned/yielded value (f->state tells which) or NULL with vm->exc. */
Object *vm_eval(Vm *vm, Frame *f, Object *throw_exc);
/* Links [f] on top of the frame stack (f->back = vm->frame); checks the recursion
 * limit first (RecursionError, -1). */
int vm_push_frame(Vm *vm, Frame *f);
/* Unlinks the top frame [f] from the frame stack (does not free it). */
void vm_pop_frame(Vm *vm, Frame *f);
#endif
