/* object.c — the one allocation funnel: obj_alloc/obj_free for objects, mem_* for
 * buffers, the memory budget, sequential ids, the alloc/free events, and obj_dealloc
 * (finalizer, weak references, the type's dealloc) with CPython's trashcan so that
 * freeing long chains never recurses deeply on the C stack. Also the run's memory
 * set-up and teardown (memory_init / memory_fini).
 */
#include "alloc.h"
#include "events.h"
#include "gc.h"
#include "vm.h"
#include "weakref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nested deallocations deeper than this are deferred to the trashcan (CPython's
 * Py_TRASHCAN uses 50 too). */
#define TRASH_DEPTH 50
#define DEFAULT_MAX_MEMORY ((size_t)512 * 1024 * 1024)

/* ---- set-up and teardown ---- */

int memory_init(Vm *vm) {
    if (vm->alloc) return 0;
    type_cache_invalidate(); /* a new heap: no cached type_lookup result may survive */
    vm->alloc = alloc_new();
    vm->gc = gc_state_new();
    if (!vm->alloc || !vm->gc) {
        alloc_delete(vm->alloc);
        free(vm->gc);
        vm->alloc = NULL;
        vm->gc = NULL;
        return -1;
    }
    return 0;
}

static ALWAYS_INLINE size_t max_memory(Vm *vm) {
    return vm->config.max_memory ? vm->config.max_memory : DEFAULT_MAX_MEMORY;
}

/* Charges [size] bytes to the budget; false (nothing charged) past it. The check
 * comes before any real allocation, so `[0] * 10**12` fails at once. */
static ALWAYS_INLINE bool budget_charge(Vm *vm, size_t size) {
    size_t max = max_memory(vm);
    if (size > max || vm->mem_used > max - size) return false;
    vm->mem_used += size;
    if (vm->mem_used > vm->mem_peak) vm->mem_peak = vm->mem_used;
    if (vm->gc->tracing && vm->mem_used > vm->gc->trace_peak) vm->gc->trace_peak = vm->mem_used;
    return true;
}

static ALWAYS_INLINE size_t charged_size(size_t size) {
#ifdef __EMSCRIPTEN__
    /* alloc_rounded_size inline (the wasm build never routes blocks to the system). */
    if (!size) size = 1;
    return size <= ALLOC_SMALL_MAX ? (size + ALLOC_ALIGN - 1) & ~(size_t)(ALLOC_ALIGN - 1) : size;
#else
    size_t r = alloc_rounded_size(size);
    return r ? r : (size ? size : 1);
#endif
}

/* Whether small blocks come from the pools (sanitizer builds use malloc for all). */
static ALWAYS_INLINE bool pools_on(void) {
#ifdef __EMSCRIPTEN__
    return true;
#else
    return !alloc_is_system_only();
#endif
}

/* ---- raw buffers ---- */

bool mem_fits(Vm *vm, double bytes) {
    if (bytes <= (double)max_memory(vm) - (double)vm->mem_used) return true;
    err_no_memory(vm);
    return false;
}

void *mem_alloc(Vm *vm, size_t size) {
    size_t charge = charged_size(size);
    if (!budget_charge(vm, charge)) return err_no_memory(vm);
    void *p = alloc_block(vm->alloc, size, ALLOC_RAW);
    if (!p) {
        vm->mem_used -= charge;
        return err_no_memory(vm);
    }
    return p;
}

void mem_free(Vm *vm, void *p, size_t size) {
    if (!p || !vm->alloc) return;
    vm->mem_used -= alloc_release(vm->alloc, p);
}

void *mem_realloc(Vm *vm, void *p, size_t old_size, size_t new_size) {
    if (!p) return mem_alloc(vm, new_size);
    size_t have = alloc_block_size(vm->alloc, p);
    size_t rounded = alloc_rounded_size(new_size);
    if (rounded && rounded == alloc_rounded_size(have) && have <= ALLOC_SMALL_MAX) return p;
    void *q = mem_alloc(vm, new_size);
    if (!q) return NULL;
    memcpy(q, p, have < new_size ? have : new_size);
    mem_free(vm, p, old_size);
    return q;
}

/* ---- objects ---- */

/* Bytes in front of an instance of [type]: the collector's GcHead for TP_GC types. */
static ALWAYS_INLINE size_t gc_prefix(const Type *type) {
    return (type->tflags & TP_GC) ? sizeof(GcHead) : 0;
}

Object *obj_alloc(Vm *vm, Type *type, size_t size) {
    if (size < sizeof(Object)) size = sizeof(Object);
    size_t prefix = gc_prefix(type);
    size += prefix;
    size_t charge = charged_size(size);
    if (!budget_charge(vm, charge)) return err_no_memory(vm);
    int kind = prefix ? ALLOC_GC_OBJECT : ALLOC_OBJECT;
    /* A small block (charge is its size class) comes straight off its class's pool
     * when one has room; alloc_block covers the rest. */
    bool small = size <= ALLOC_SMALL_MAX && !(charge & 7);
    char *block = NULL;
    if (small && pools_on()) block = alloc_small_fast(vm->alloc, (unsigned)(charge / ALLOC_ALIGN - 1), kind);
    if (!block && !(block = alloc_block(vm->alloc, size, kind))) {
        vm->mem_used -= charge;
        return err_no_memory(vm);
    }
    if (small) {
        /* A small block is a whole number of 8-byte words (its size class): zeroed
         * inline, cheaper than a memset call for these few words. */
        for (uint64_t *w = (uint64_t *)block, *end = (uint64_t *)(block + charge); w < end; w++)
            *w = 0;
    } else {
        memset(block, 0, size);
    }
    Object *o = (Object *)(block + prefix);
    o->refcnt = 1;
    o->type = type;
    o->id = vm->next_id++;
    if (type->tflags & TP_HEAPTYPE) INCREF(type); /* released by obj_free */
    if (prefix) gc_count_alloc(vm);
    EV(vm, alloc, o);
    return o;
}

Object *obj_alloc_var(Vm *vm, Type *type, size_t n) {
    if (type->itemsize && n > (SIZE_MAX - type->basicsize) / type->itemsize)
        return err_no_memory(vm);
    return obj_alloc(vm, type, type->basicsize + n * type->itemsize);
}

static int free_reason(GcState *gc) {
    if (gc->ending) return FREE_END;
    return gc->clearing ? FREE_GC : FREE_REFCOUNT;
}

void obj_free(Vm *vm, Object *o) {
    if (o->flags & OF_STATIC) return;
    GcState *gc = vm->gc;
    if (gc->clearing) gc->freed_in_collection++;
    EV(vm, free, o, free_reason(gc));
    Type *type = o->type;
    if (o->flags & OF_TRACKED) gc_untrack(vm, o);
    if ((type->tflags & TP_GC) && !(o->flags & OF_INLINE_DICT)) gc_count_free(vm);
    vm->mem_used -= alloc_release(vm->alloc, (char *)o - gc_prefix(type));
    if (type->tflags & TP_HEAPTYPE) DECREF(vm, type);
}

/* ---- deallocation ---- */

/* Runs [o]'s __del__ once (PEP 442) with the object temporarily resurrected; returns
 * true if __del__ stored a new reference to it, which keeps it alive. */
static bool call_finalizer(Vm *vm, Object *o) {
    Type *type = o->type;
    if (!(type->tflags & TP_HEAPTYPE) || (o->flags & OF_FINALIZED)) return false;
    o->refcnt = 1;
    bool ran = gc_finalize(vm, o);
    if (--o->refcnt == 0 || !ran) return false;
    if ((type->tflags & TP_GC) && !(o->flags & OF_TRACKED)) gc_link_young(vm, o);
    return true;
}

/* The steps of freeing one object whose count reached zero. */
static void dealloc_one(Vm *vm, Object *o) {
    if (call_finalizer(vm, o)) return;
    EV(vm, dealloc, o);
    size_t wl = o->type->weaklist_offset; /* weakref_list(o), inline */
    if (wl && *(WeakRefObject **)((char *)o + wl)) weakref_clear_at_dealloc(vm, o);
    if (o->flags & OF_TRACKED) gc_untrack(vm, o);
    if (o->type->dealloc) o->type->dealloc(vm, o);
    else obj_free(vm, o);
}

/* Deallocates the objects deferred to the trashcan, one at a time; their children
 * may defer more, which this loop picks up too. */
static void trash_drain(Vm *vm) {
    GcState *gc = vm->gc;
    while (gc->trash_n > 0) dealloc_one(vm, gc->trash[--gc->trash_n]);
}

/* Defers [o] to the trashcan; false if the stack could not grow (the caller then
 * frees [o] at once, a little deeper on the C stack). */
static bool trash_push(Vm *vm, Object *o) {
    GcState *gc = vm->gc;
    if (gc->trash_n == gc->trash_cap) {
        size_t cap = gc->trash_cap ? gc->trash_cap * 2 : 256;
        Object **items = realloc(gc->trash, cap * sizeof *items);
        if (!items) return false;
        gc->trash = items;
        gc->trash_cap = cap;
    }
    gc->trash[gc->trash_n++] = o;
    return true;
}

void obj_dealloc(Vm *vm, Object *o) {
    Type *type = o->type;
    if (!(o->flags & (OF_STATIC | OF_IMMORTAL | OF_TRACKED)) && !vm->events &&
        !(type->tflags & (TP_GC | TP_HEAPTYPE)) && !type->dealloc && !type->weaklist_offset &&
        vm->dealloc_depth < TRASH_DEPTH) {
        /* An object with nothing to release (a float, an int): exactly what the path
         * below comes to (no finalizer, no trashcan, no event). */
        if (vm->gc->clearing) vm->gc->freed_in_collection++;
        vm->mem_used -= alloc_release(vm->alloc, o);
        return;
    }
    if (o->flags & (OF_STATIC | OF_IMMORTAL)) {
        o->refcnt = 1 << 28; /* a refcount slip elsewhere; never free shared objects */
        return;
    }
    if (o->flags & OF_TRACKED) gc_untrack(vm, o);
    if (vm->dealloc_depth >= TRASH_DEPTH && trash_push(vm, o)) return;
    vm->dealloc_depth++;
    dealloc_one(vm, o);
    if (vm->dealloc_depth == 1 && vm->gc->trash_n) trash_drain(vm);
    vm->dealloc_depth--;
}

int visit_refs(Vm *vm, Object *const *refs, size_t n, VisitFn visit, void *arg) {
    for (size_t i = 0; i < n; i++) {
        int r = refs[i] ? visit(vm, refs[i], arg) : 0;
        if (r) return r;
    }
    return 0;
}

void obj_decref(Vm *vm, Object *o) {
    if (--o->refcnt == 0) obj_dealloc(vm, o);
}

void obj_xdecref(Vm *vm, Object *o) {
    if (o && --o->refcnt == 0) obj_dealloc(vm, o);
}

/* ---- teardown ---- */

typedef struct {
    Object **items;
    size_t n, cap;
    bool gc_kind; /* the blocks being walked start with a GcHead */
} LiveList;

static void collect_live(void *block, void *arg) {
    LiveList *l = arg;
    Object *o = block;
    if (l->gc_kind) o = (Object *)((char *)block + sizeof(GcHead));
    /* Weak references are unlinked from their referents: a static type outlives the
     * run and must not keep a list pointing into freed memory. */
    if (obj_isinstance_type(o, &WeakRefType)) weakref_clear_ref(NULL, (WeakRefObject *)o);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        Object **items = realloc(l->items, cap * sizeof *items);
        if (!items) return;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = o;
}

static int by_id(const void *a, const void *b) {
    uint32_t x = (*(Object *const *)a)->id, y = (*(Object *const *)b)->id;
    return (x > y) - (x < y);
}

/* With PYFRAMES_DEBUG_LEAKS set, lists objects still alive at teardown that are not
 * shared run-wide objects: reference-count leaks in the core. */
static void report_leaks(Vm *vm, LiveList *live) {
    if (!getenv("PYFRAMES_DEBUG_LEAKS")) return;
    size_t leaked = 0;
    for (size_t i = 0; i < live->n; i++) {
        Object *o = live->items[i];
        if (o->flags & OF_IMMORTAL) continue;
        if (leaked++ < 40)
            fprintf(stderr, "pyframes: alive at exit: id %u type %s refcnt %ld\n", o->id,
                    o->type->name ? o->type->name : "?", (long)o->refcnt);
    }
    fprintf(stderr, "pyframes: %zu objects alive at exit (%zu shared)\n", leaked,
            live->n - leaked);
}

void memory_fini(Vm *vm) {
    if (!vm->alloc) return;
    GcState *gc = vm->gc;
    SETREF(vm, gc->callbacks, NULL);
    SETREF(vm, gc->garbage, NULL);
    SETREF(vm, gc->finalizers, NULL);
    trash_drain(vm);
    gc->ending = true;
    LiveList live = {0};
    alloc_each_block(vm->alloc, ALLOC_OBJECT, collect_live, &live);
    live.gc_kind = true;
    alloc_each_block(vm->alloc, ALLOC_GC_OBJECT, collect_live, &live);
    qsort(live.items, live.n, sizeof *live.items, by_id);
    report_leaks(vm, &live); /* no events: the stream's "end" record implies these frees */
    free(live.items);
    alloc_delete(vm->alloc);
    vm->alloc = NULL;
    type_cache_invalidate();
    gc_state_free(vm, gc);
    vm->gc = NULL;
    vm->mem_used = 0;
}
