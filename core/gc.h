/* gc.h — the generational cycle collector (gc.c), phase by phase as CPython 3.11's
 * Modules/gcmodule.c: update_refs, subtract_refs, move_unreachable, handle_weakrefs,
 * finalize_garbage, handle_resurrected_objects, delete_garbage.
 *
 * gc_track/gc_untrack are declared in object.h. The gc module (mod_gc.c) reads and
 * writes the state below.
 */
#ifndef PYFRAMES_GC_H
#define PYFRAMES_GC_H

#include "vm.h"

#define GC_NUM_GENERATIONS 3
/* Object.gen values besides 0..2: the frozen generation, and scratch states used only
 * while a collection runs. */
enum {
    GC_PERMANENT = 3,   /* gc.freeze()d */
    GC_COLLECTING = 10, /* in the generation being collected, not yet scanned */
    GC_SCANNED = 11,    /* found reachable by move_unreachable */
    GC_UNREACHABLE = 12 /* tentatively (then finally) unreachable */
};

/* gc.set_debug flags (the ones that change behaviour here). */
enum { GC_DEBUG_STATS = 1, GC_DEBUG_COLLECTABLE = 2, GC_DEBUG_UNCOLLECTABLE = 4,
       GC_DEBUG_SAVEALL = 32, GC_DEBUG_LEAK = 38 };

/* A list sentinel: a GcHead with an Object after it, so list code treats the head
 * like any tracked object ([ob] is what the lists link). */
typedef struct {
    GcHead gc;
    Object ob;
} GcList;

/* One generation: a circular doubly linked list through GcHead.gc_next/gc_prev whose
 * sentinel is [head].ob. [count] is CPython's: for generation 0, allocations of GC types
 * minus their deallocations since the last collection; for older generations, the
 * number of collections of the next younger generation since their own last one. */
typedef struct {
    GcList head;
    int threshold;
    int count;
} GcGeneration;

/* Per-generation totals for gc.get_stats(). */
typedef struct {
    size_t collections, collected, uncollectable;
} GcStats;

typedef struct GcState {
    GcGeneration gens[GC_NUM_GENERATIONS];
    GcList permanent;          /* gc.freeze() moves everything here */
    bool enabled;              /* gc.enable()/disable(): automatic collection */
    bool collecting;           /* a collection is running (no re-entry) */
    bool clearing;             /* delete_garbage runs: frees get reason FREE_GC */
    bool ending;               /* memory_fini runs: frees get reason FREE_END */
    int debug;                 /* gc.set_debug flags */
    size_t long_lived_total;   /* survivors of the last full collection */
    size_t long_lived_pending; /* objects promoted to generation 2 since then */
    size_t freed_in_collection;/* objects freed while clearing (for the gc event) */
    size_t finalized_in_collection; /* __del__ methods run by the collection */
    GcStats stats[GC_NUM_GENERATIONS];
    Object *callbacks;         /* gc.callbacks (list), created by mod_gc, or NULL */
    Object *garbage;           /* gc.garbage (list), created by mod_gc, or NULL */
    Object *finalizers;        /* weakref.finalize registry (mod_weakref.c), or NULL */
    bool finalize_shutdown;    /* atexit finalizers ran: no more may run */
    bool del_assigned;         /* a class got __del__ after creation: TP_HAS_DEL may be stale */
    size_t finalize_index;     /* creation counter of finalize objects */
    bool tracing;              /* tracemalloc.start() was called */
    size_t trace_base;         /* vm->mem_used when tracing started */
    size_t trace_peak;         /* highest vm->mem_used while tracing */
    Object **trash;            /* trashcan (object.c): deallocations deferred, a stack */
    size_t trash_n, trash_cap;
} GcState;

/* Creates the collector state (thresholds 700, 10, 10; enabled). */
GcState *gc_state_new(void);
/* Frees the collector state; the objects it lists must already be gone. */
void gc_state_free(Vm *vm, GcState *gc);
/* Counts the allocation of an instance of a GC type (CPython's gen0 count). */
static inline void gc_count_alloc(Vm *vm) { vm->gc->gens[0].count++; }
/* Counts the deallocation of an instance of a GC type. */
static inline void gc_count_free(Vm *vm) {
    if (vm->gc->gens[0].count > 0) vm->gc->gens[0].count--;
}
/* A new attribute dict for [owner]. CPython 3.11 stores a plain class instance's
 * attributes inline, with no dict object until __dict__ is asked for. Such a dict is
 * made here too (the stream shows it) but flagged OF_INLINE_DICT: its allocation and
 * freeing are not counted, it is never tracked, and the collector traverses its
 * values as the instance's own references, as CPython's subtype_traverse does. */
Object *gc_instance_dict(Vm *vm, Object *owner);
/* [d] (an instance's dict, or NULL) is handed out as __dict__ (or read by dir()): from
 * now on it is the ordinary dict CPython would make at this point (counted, tracked
 * if it may be part of a cycle). */
void gc_dict_materialize(Vm *vm, Object *d);
/* Re-links [o] into generation 0 without counting or triggering (resurrection). */
void gc_link_young(Vm *vm, Object *o);
/* Runs a collection of [generation] (0..2) with gc.callbacks, as gc.collect() does;
 * returns the number of unreachable objects found (collected + uncollectable), or 0 if
 * a collection is already running. */
size_t gc_collect(Vm *vm, int generation);
/* The end of the program, as CPython's finalization begins: runs the pending
 * weakref.finalize callbacks, then a full collection (with gc.callbacks) so cyclic
 * garbage is finalized before globals are cleared. vm_run_main calls it before the
 * stream's "end" record; nothing runs when the step budget ran out. */
void gc_at_exit(Vm *vm);
/* The full collection at teardown (pf_free, after globals and modules were cleared):
 * gc.callbacks are dropped and not called, as CPython's _PyGC_CollectNoFail. */
void gc_collect_final(Vm *vm);
/* Calls [fn] on every tracked object of [generation] (-1: all, the permanent one too). */
void gc_each_tracked(Vm *vm, int generation, void (*fn)(Vm *, Object *, void *), void *arg);
/* Number of objects linked in [generation] (GC_PERMANENT for the frozen one). */
size_t gc_generation_size(Vm *vm, int generation);
/* gc.freeze(): moves every tracked object to the permanent generation. */
void gc_freeze(Vm *vm);
/* gc.unfreeze(): moves the permanent generation back into the oldest. */
void gc_unfreeze(Vm *vm);
/* Runs [o]'s __del__ if its class has one and it has not run yet (PEP 442: once),
 * marking it finalized; errors print "Exception ignored in". The caller holds a
 * reference to [o]. Returns true if __del__ ran. */
bool gc_finalize(Vm *vm, Object *o);
/* Reports whether [o] is tracked. */
static inline bool gc_is_tracked(Object *o) { return (o->flags & OF_TRACKED) != 0; }
/* Prints "Exception ignored in: <repr of obj>" and the pending exception's traceback
 * to stderr, then clears it, as CPython's PyErr_WriteUnraisable. */
void gc_write_unraisable(Vm *vm, Object *obj);

#endif
