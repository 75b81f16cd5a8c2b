/* events.h — the hooks through which the VM and the object model report memory
 * effects to the event stream (events.c). Every hook returns at once when tracing is
 * off (vm->events == NULL); call sites use the EV() macro so that the disabled cost is
 * one pointer test. The record formats are specified in docs/event-stream.md.
 */
#ifndef PYFRAMES_EVENTS_H
#define PYFRAMES_EVENTS_H

#include "vm.h"

/* Why an object was freed. */
enum { FREE_REFCOUNT, FREE_GC, FREE_END };

/* Calls hook ev_NAME(vm, ...) only when tracing. */
#define EV(vm, name, ...) do { if ((vm)->events) ev_##name((vm), __VA_ARGS__); } while (0)

/* A new line is about to execute in [frame]: starts a step. */
void ev_line(Vm *vm, Frame *frame, int line);
/* [frame] was pushed (its arguments already bound) / is being popped with [retval]
 * (NULL when unwinding with an exception). */
void ev_call(Vm *vm, Frame *frame);
void ev_return(Vm *vm, Frame *frame, Object *retval);
/* A call to something other than a Python function returned [result] (NULL: an
 * exception); [from, to) are the value-stack slots of the callable and its arguments,
 * about to be released. */
void ev_c_returned(Vm *vm, Object **from, Object **to, Object *result);
/* C code changed the counts of [items] (n of them) where the stream does not look,
 * or is about to call Python code while it holds them there (sorted()'s list, emptied
 * while its key function runs): their counts are re-read at the next step end. */
void ev_watch(Vm *vm, Object *const *items, size_t n);
/* [frame], returned, is about to release its function and locals dict. */
void ev_release(Vm *vm, Frame *frame);
/* A name was bound in [frame]'s locals (or in [dict] if frame is NULL: globals or a
 * class namespace); value NULL means deleted. */
void ev_bind(Vm *vm, Frame *frame, Object *dict, Object *name, Object *value);
/* Object lifetime. */
void ev_alloc(Vm *vm, Object *o);
void ev_free(Vm *vm, Object *o, int reason);
/* [o]'s count reached zero and it is about to release what it refers to. */
void ev_dealloc(Vm *vm, Object *o);
/* [o]'s contents changed (list/dict/set/attribute/cell mutation). */
void ev_mutate(Vm *vm, Object *o);
/* Program output. */
void ev_output(Vm *vm, int stream, const char *text, size_t len);
/* Exceptions: raised in [frame], caught by a handler in [frame], or uncaught. */
void ev_raise(Vm *vm, Frame *frame, Object *exc);
void ev_catch(Vm *vm, Frame *frame, Object *exc);
/* A cycle collection of [generation] finished: [examined] objects looked at,
 * [unreachable] found, [finalizers] __del__ methods run, [freed] objects freed (their
 * "free" events, reason FREE_GC, came before this call). */
void ev_gc(Vm *vm, int generation, size_t examined, size_t unreachable, size_t finalizers,
           size_t freed);
/* A collection changed [o]'s generation: it survived (moves to an older generation or
 * stops being tracked) or was found unreachable (called for each, before finalizers
 * run and the collector frees the garbage). */
void ev_gc_moved(Vm *vm, Object *o);

/* ---- Run boundaries (called once per run by the VM's entry point) ---- */

/* The run starts: writes the header record. Call before anything else is emitted. */
void ev_begin(Vm *vm, const char *source, const char *filename);
/* The run ended with exit [status] (see pf_run; 4 = stopped waiting for input):
 * closes the last step and writes the budget record (if a budget ran out) and the end
 * record. Nothing is emitted afterwards (teardown frees are implied by "end"). */
void ev_end(Vm *vm, int status);
/* [exc] reached the top level uncaught (before its traceback is printed). */
void ev_uncaught(Vm *vm, Object *exc);
/* input() was called with no stdin line left: the run stops (status 4) after this. */
void ev_input(Vm *vm, Object *prompt);
/* The run is suspended in input() (after ev_input): a provisional end record, status 4
 * and "suspended":true; the stream goes on after it when the run resumes. */
void ev_suspend(Vm *vm);
/* True once the trace step budget (config.max_trace_steps) has run out: the emitter
 * then also sets vm->budget_exhausted, and the VM stops as for the step budget. */
bool ev_trace_exhausted(Vm *vm);

/* Per-run setup and teardown of the emitter state (vm->events), called by pf_new /
 * pf_free when config.trace is set. */
int events_init(Vm *vm);
void events_fini(Vm *vm);

#endif
