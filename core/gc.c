/* gc.c — the generational cycle collector, following CPython 3.11's gcmodule.c phase
 * by phase: update_refs, subtract_refs, move_unreachable, then weak references,
 * finalizers (PEP 442), resurrection, and clearing. Collections are triggered by
 * counts of allocations of container objects, never by bytes, so the native and the
 * wasm builds collect at the same moments.
 */
#include "gc.h"

#include "class.h"
#include "dict.h"
#include "events.h"
#include "exc.h"
#include "list.h"
#include "str.h"
#include "weakref.h"

#include <stdlib.h>

/* ---- the generation lists (circular, doubly linked, with a sentinel head) ---- */

static void glist_init(Object *head) { GC_HEAD(head)->gc_next = GC_HEAD(head)->gc_prev = head; }

static bool glist_empty(const Object *head) { return GC_HEAD(head)->gc_next == head; }

static ALWAYS_INLINE void glist_append(Object *o, Object *head) {
    Object *last = GC_HEAD(head)->gc_prev;
    GC_HEAD(last)->gc_next = o;
    GC_HEAD(o)->gc_prev = last;
    GC_HEAD(o)->gc_next = head;
    GC_HEAD(head)->gc_prev = o;
}

/* The links of an unlinked object are left stale: OF_TRACKED says whether it is linked. */
static ALWAYS_INLINE void glist_remove(Object *o) {
    GcHead *h = GC_HEAD(o);
    GC_HEAD(h->gc_prev)->gc_next = h->gc_next;
    GC_HEAD(h->gc_next)->gc_prev = h->gc_prev;
}

static ALWAYS_INLINE void glist_move(Object *o, Object *head) {
    glist_remove(o);
    glist_append(o, head);
}

/* Appends every object of [from] to [to], leaving [from] empty. */
static ALWAYS_INLINE void glist_merge(Object *from, Object *to) {
    if (glist_empty(from)) return;
    Object *first = GC_HEAD(from)->gc_next, *last = GC_HEAD(from)->gc_prev, *tail = GC_HEAD(to)->gc_prev;
    GC_HEAD(tail)->gc_next = first;
    GC_HEAD(first)->gc_prev = tail;
    GC_HEAD(last)->gc_next = to;
    GC_HEAD(to)->gc_prev = last;
    glist_init(from);
}

static size_t glist_size(const Object *head) {
    size_t n = 0;
    for (Object *o = GC_HEAD(head)->gc_next; o != head; o = GC_HEAD(o)->gc_next) n++;
    return n;
}

static void glist_set_gen(Object *head, int gen) {
    for (Object *o = GC_HEAD(head)->gc_next; o != head; o = GC_HEAD(o)->gc_next) o->gen = (int16_t)gen;
}

/* ---- state ---- */

GcState *gc_state_new(void) {
    GcState *gc = calloc(1, sizeof *gc);
    if (!gc) return NULL;
    static const int thresholds[GC_NUM_GENERATIONS] = {700, 10, 10};
    for (int i = 0; i < GC_NUM_GENERATIONS; i++) {
        glist_init(&gc->gens[i].head.ob);
        gc->gens[i].threshold = thresholds[i];
    }
    glist_init(&gc->permanent.ob);
    gc->enabled = true;
    return gc;
}

void gc_state_free(Vm *vm, GcState *gc) {
    free(gc->trash);
    free(gc);
}

static Object *gen_head(GcState *gc, int generation) {
    return generation == GC_PERMANENT ? &gc->permanent.ob : &gc->gens[generation].head.ob;
}

void gc_link_young(Vm *vm, Object *o) {
    glist_append(o, &vm->gc->gens[0].head.ob);
    o->gen = 0;
    o->flags |= OF_TRACKED;
}

void gc_untrack(Vm *vm, Object *o) {
    if (!(o->flags & OF_TRACKED)) return;
    glist_remove(o);
    o->flags &= (uint16_t)~OF_TRACKED;
}

static void collect_generations(Vm *vm);

void gc_track(Vm *vm, Object *o) {
    if (o->flags & OF_TRACKED) return;
    /* Only TP_GC objects have a GcHead (obj_alloc); static objects have none either. */
    if (!(o->type->tflags & TP_GC) || (o->flags & OF_STATIC)) return;
    GcState *gc = vm->gc;
    GcGeneration *g0 = &gc->gens[0];
    if (g0->count > g0->threshold && g0->threshold && gc->enabled && !gc->collecting &&
        !vm->exc) {
        gc->collecting = true;
        collect_generations(vm);
        gc->collecting = false;
    }
    gc_link_young(vm, o);
}

/* ---- unraisable errors and finalizers ---- */

void gc_write_unraisable(Vm *vm, Object *obj) {
    Object *exc = vm->exc;
    if (!exc) return;
    vm->exc = NULL;
    exc_print_unraisable(vm, NULL, obj, exc);
    DECREF(vm, exc);
}

bool gc_finalize(Vm *vm, Object *o) {
    Type *type = o->type;
    if (!(type->tflags & TP_HEAPTYPE) || (o->flags & OF_FINALIZED)) return false;
    if (!(type->tflags & TP_HAS_DEL) && !vm->gc->del_assigned) return false;
    Object *del = type_lookup_str(type, "__del__");
    if (!del) return false;
    o->flags |= OF_FINALIZED;
    Object *saved = vm->exc;
    vm->exc = NULL;
    INCREF(del);
    Object *result = obj_call(vm, del, &o, 1, NULL);
    if (result) DECREF(vm, result);
    else gc_write_unraisable(vm, del);
    DECREF(vm, del);
    vm->exc = saved;
    return true;
}

/* ---- phase 1: find the unreachable objects ---- */

/* gc_refs, the scratch count of phase 1. On 64-bit builds it is kept in the upper
 * 32 bits of refcnt: nothing can INCREF or DECREF while phase 1 runs (only traverse
 * slots and the visitors below), and every object leaves the phase through
 * refs_done, which restores its refcnt. */
#if INTPTR_MAX > INT32_MAX
static ALWAYS_INLINE intptr_t refs_get(const Object *o) { return (intptr_t)((uint64_t)o->refcnt >> 32); }
static ALWAYS_INLINE void refs_set(Object *o, intptr_t n) {
    o->refcnt = (intptr_t)(((uint64_t)n << 32) | ((uint64_t)o->refcnt & 0xffffffffu));
}
static ALWAYS_INLINE void refs_dec(Object *o) { o->refcnt = (intptr_t)((uint64_t)o->refcnt - ((uint64_t)1 << 32)); }
static ALWAYS_INLINE void refs_done(Object *o) { o->refcnt = (intptr_t)((uint64_t)o->refcnt & 0xffffffffu); }
#else
static ALWAYS_INLINE intptr_t refs_get(const Object *o) { return GC_HEAD(o)->gc_refs; }
static ALWAYS_INLINE void refs_set(Object *o, intptr_t n) { GC_HEAD(o)->gc_refs = n; }
static ALWAYS_INLINE void refs_dec(Object *o) { GC_HEAD(o)->gc_refs--; }
static ALWAYS_INLINE void refs_done(Object *o) { (void)o; }
#endif

/* gc_refs starts as the reference count of every object being collected; returns
 * how many there are. */
static size_t update_refs(Object *young) {
    size_t n = 0;
    for (Object *o = GC_HEAD(young)->gc_next; o != young; o = GC_HEAD(o)->gc_next) {
        refs_set(o, o->refcnt);
        o->gen = GC_COLLECTING;
        n++;
    }
    return n;
}

/* A dict's references, as dict_traverse visits them: for a str-keyed table only the
 * values (every second pointer: dict.h's layout), read in place. Also the references
 * of a plain instance's inline attribute dict (gc_instance_dict), which is never
 * tracked itself: they count as the instance's. */
static ALWAYS_INLINE void gc_traverse_dict(Vm *vm, Object *d, VisitFn visit, void *arg) {
    DictObject *dict = (DictObject *)d;
    if (!dict->unicode) {
        d->type->traverse(vm, d, visit, arg);
        return;
    }
    Object **refs = dict->entries;
    for (size_t i = 1, n = 2 * (size_t)dict->nentries; i < n; i += 2)
        if (refs[i]) visit(vm, refs[i], arg);
}

/* The traversal of the scans below, without an indirect call per object: the
 * references of exact dicts and of plain class instances (over object), what most
 * cycles are made of, are visited here in their traverse slots' order (subtype_traverse:
 * the added slots but the weakref list, then the type); anything else through its
 * slot. The visitors here never stop a traversal, and they are inlined into the scans
 * with it: a call per reference cost the wasm build about a tenth of linked_list's and
 * cycles_200k's time (this file is also the one the wasm build compiles for speed: see
 * the Makefile). */
static ALWAYS_INLINE void gc_traverse(Vm *vm, Object *o, VisitFn visit, void *arg) {
    Type *t = o->type;
    if (t == &DictType) {
        gc_traverse_dict(vm, o, visit, arg);
        return;
    }
    if (!(t->tflags & TP_HEAPTYPE) || t->base != &ObjectType) {
        if (t->traverse) t->traverse(vm, o, visit, arg);
        return;
    }
    Object **slots = (Object **)o;
    size_t skip = t->weaklist_offset / sizeof(Object *);
    for (size_t i = sizeof(Object) / sizeof(Object *), n = t->basicsize / sizeof(Object *);
         i < n; i++) {
        Object *r = slots[i];
        if (!r || i == skip) continue;
        if (r->flags & OF_INLINE_DICT) gc_traverse_dict(vm, r, visit, arg);
        else visit(vm, r, arg);
    }
    visit(vm, (Object *)t, arg);
}

static ALWAYS_INLINE bool is_collecting(const Object *r) {
    return r && (r->flags & OF_TRACKED) && r->gen == GC_COLLECTING;
}

static ALWAYS_INLINE int visit_decref(Vm *vm, Object *r, void *arg) {
    if (is_collecting(r)) refs_dec(r);
    return 0;
}

/* Subtracts the references that objects of [young] hold to each other: what stays
 * in gc_refs counts references from outside the generation. */
static void subtract_refs(Vm *vm, Object *young) {
    for (Object *o = GC_HEAD(young)->gc_next; o != young; o = GC_HEAD(o)->gc_next)
        gc_traverse(vm, o, visit_decref, NULL);
}

/* Whatever a reachable object refers to is reachable too: brought back from the
 * tentatively unreachable list, or marked so the scan treats it as reachable. */
static ALWAYS_INLINE int visit_reachable(Vm *vm, Object *r, void *young) {
    if (!r || !(r->flags & OF_TRACKED)) return 0;
    if (r->gen == GC_UNREACHABLE) {
        glist_move(r, young);
        r->gen = GC_COLLECTING;
        refs_set(r, 1);
    } else if (r->gen == GC_COLLECTING && refs_get(r) == 0) {
        refs_set(r, 1);
    }
    return 0;
}

static int visit_may_be_tracked(Vm *vm, Object *r, void *arg) {
    if (!r || !(r->type->tflags & TP_GC)) return 0;
    if (r->type == &TupleType && !(r->flags & OF_TRACKED)) return 0;
    *(bool *)arg = true;
    return 1;
}

/* CPython's single scan: objects with gc_refs > 0 are reachable and make what they
 * refer to reachable; objects at 0 move to [unreachable], perhaps to come back.
 * Reachable objects get generation [gen] at once (CPython sets it after the phase;
 * nothing in between looks). With [untrack], a reachable tuple holding only atomic
 * objects stops being tracked once scanned, as CPython's untrack_tuples does in a
 * later pass over the same list in the same order. Returns how many reachable
 * objects stay in [young]. */
static size_t move_unreachable(Vm *vm, Object *young, Object *unreachable, int gen,
                               bool untrack) {
    size_t n = 0;
    Object *o = GC_HEAD(young)->gc_next;
    while (o != young) {
        Object *next;
        if (refs_get(o) > 0) {
            o->gen = (int16_t)gen;
            refs_done(o);
            gc_traverse(vm, o, visit_reachable, young);
            next = GC_HEAD(o)->gc_next;
            bool may = true;
            if (untrack && o->type == &TupleType) {
                may = false;
                o->type->traverse(vm, o, visit_may_be_tracked, &may);
            }
            if (may) n++;
            else {
                gc_untrack(vm, o);
                if (vm->events) ev_gc_moved(vm, o);
            }
        } else {
            next = GC_HEAD(o)->gc_next;
            glist_move(o, unreachable);
            o->gen = GC_UNREACHABLE;
        }
        o = next;
    }
    return n;
}

/* Splits [young] into reachable objects (left in it, generation [gen]) and
 * [unreachable]; returns the number examined, and in *[kept] the reachable ones. */
static size_t deduce_unreachable(Vm *vm, Object *young, Object *unreachable, int gen,
                                 bool untrack, size_t *kept) {
    size_t examined = update_refs(young);
    subtract_refs(vm, young);
    *kept = move_unreachable(vm, young, unreachable, gen, untrack);
#if INTPTR_MAX > INT32_MAX
    for (Object *o = GC_HEAD(unreachable)->gc_next; o != unreachable; o = GC_HEAD(o)->gc_next)
        refs_done(o);
#endif
    return examined;
}

/* ---- phase 2: weak references, finalizers, resurrection ---- */

/* Clears every weak reference to an unreachable object, then calls the callbacks of
 * those references that are themselves reachable. Returns how many such references
 * the callbacks freed (CPython counts them as collected). */
static size_t handle_weakrefs(Vm *vm, Object *unreachable, Object *old, int old_gen) {
    GcList wrcb_list;
    Object *wrcb = &wrcb_list.ob;
    glist_init(wrcb);
    for (Object *o = GC_HEAD(unreachable)->gc_next; o != unreachable; o = GC_HEAD(o)->gc_next) {
        if (obj_isinstance_type(o, &WeakRefType)) weakref_clear_ref(vm, (WeakRefObject *)o);
        WeakRefObject **wl = weakref_list(o);
        while (wl && *wl) {
            WeakRefObject *wr = *wl;
            Object *w = &wr->ob;
            weakref_clear_ref(vm, wr);
            if (!wr->callback || w->refcnt == 0 || !(w->flags & OF_TRACKED)) continue;
            if (w->gen == GC_UNREACHABLE) continue;
            INCREF(w);
            glist_move(w, wrcb);
        }
    }
    size_t num_freed = 0;
    while (!glist_empty(wrcb)) {
        Object *w = GC_HEAD(wrcb)->gc_next;
        Object *callback = ((WeakRefObject *)w)->callback;
        Object *result = obj_call(vm, callback, &w, 1, NULL);
        if (result) DECREF(vm, result);
        else gc_write_unraisable(vm, callback);
        DECREF(vm, w);
        if (GC_HEAD(wrcb)->gc_next == w) {
            glist_move(w, old);
            w->gen = (int16_t)old_gen;
        } else {
            num_freed++;
        }
    }
    return num_freed;
}

/* Calls __del__ on every unreachable object that has one and has not been finalized.
 * Finalizers may free or resurrect anything, so each object is moved to [seen]
 * before its finalizer runs. */
static void finalize_garbage(Vm *vm, Object *collectable) {
    GcList seen_list;
    Object *seen = &seen_list.ob;
    glist_init(seen);
    while (!glist_empty(collectable)) {
        Object *o = GC_HEAD(collectable)->gc_next;
        glist_move(o, seen);
        if (o->flags & OF_FINALIZED || !(o->type->tflags & TP_HEAPTYPE)) continue;
        INCREF(o);
        if (gc_finalize(vm, o)) vm->gc->finalized_in_collection++;
        DECREF(vm, o);
    }
    glist_merge(seen, collectable);
}

/* Objects a finalizer made reachable again survive into the old generation; the
 * rest go to [still]. */
static void handle_resurrected(Vm *vm, Object *unreachable, Object *still, Object *old,
                               int old_gen) {
    size_t kept;
    deduce_unreachable(vm, unreachable, still, old_gen, false, &kept);
    glist_merge(unreachable, old);
}

/* In CPython 3.11 the attribute dict of a plain class instance is stored inline and
 * is no separate object until __dict__ is asked for, so it is not counted. */
static bool has_managed_dict(Type *type) {
    if (!(type->tflags & TP_HEAPTYPE) || !type->dict_offset) return false;
    Type *t = type;
    while (t && (t->tflags & TP_HEAPTYPE)) t = t->base;
    return !t || t->dict_offset == 0;
}

Object *gc_instance_dict(Vm *vm, Object *owner) {
    bool inline_dict = has_managed_dict(owner->type);
    Object *d = inline_dict ? dict_new_embedded(vm) : dict_new(vm);
    if (d && inline_dict) {
        d->flags |= OF_INLINE_DICT;
        gc_count_free(vm); /* undoes obj_alloc's count (a new dict is untracked: no
                            * collection ran in between) */
    }
    return d;
}

void gc_dict_materialize(Vm *vm, Object *d) {
    if (!d || !(d->flags & OF_INLINE_DICT)) return;
    d->flags &= (uint16_t)~OF_INLINE_DICT;
    gc_count_alloc(vm);
    /* Tracked from now on if it may be part of a cycle; linked without a collection
     * check, since callers hold it borrowed (a collection could run __del__ code). */
    bool may = false;
    d->type->traverse(vm, d, visit_may_be_tracked, &may);
    if (may) gc_link_young(vm, d);
}

/* ---- phase 3: break the cycles ---- */

static void delete_garbage(Vm *vm, Object *collectable, Object *old, int old_gen) {
    GcState *gc = vm->gc;
    gc->clearing = true;
    while (!glist_empty(collectable)) {
        Object *o = GC_HEAD(collectable)->gc_next;
        if ((gc->debug & GC_DEBUG_SAVEALL) && gc->garbage) {
            if (list_append(vm, gc->garbage, o) < 0) err_clear(vm);
        } else if (o->type->clear) {
            INCREF(o);
            o->type->clear(vm, o);
            if (vm->exc) err_clear(vm);
            DECREF(vm, o);
        }
        if (GC_HEAD(collectable)->gc_next == o) {
            glist_move(o, old);
            o->gen = (int16_t)old_gen;
        }
    }
    gc->clearing = false;
}

/* ---- a collection ---- */

/* Collects [generation] and the younger ones; returns CPython's "collected" count
 * and stores the uncollectable count (always 0 here: no legacy tp_del). */
static size_t collect_main(Vm *vm, int generation, size_t *uncollectable) {
    GcState *gc = vm->gc;
    if (generation + 1 < GC_NUM_GENERATIONS) gc->gens[generation + 1].count++;
    for (int i = 0; i <= generation; i++) gc->gens[i].count = 0;
    for (int i = 0; i < generation; i++) glist_merge(&gc->gens[i].head.ob, &gc->gens[generation].head.ob);
    Object *young = &gc->gens[generation].head.ob;
    int old_gen = generation + 1 < GC_NUM_GENERATIONS ? generation + 1 : generation;
    Object *old = &gc->gens[old_gen].head.ob;
    GcList unreachable_list, final_list;
    Object *unreachable = &unreachable_list.ob, *final = &final_list.ob;
    glist_init(unreachable);
    glist_init(final);
    size_t kept, examined = deduce_unreachable(vm, young, unreachable, old_gen, true, &kept);
    if (vm->events) { /* the stream re-reads the generations: finalizers may run next */
        for (Object *o = GC_HEAD(young)->gc_next; o != young; o = GC_HEAD(o)->gc_next) ev_gc_moved(vm, o);
        for (Object *o = GC_HEAD(unreachable)->gc_next; o != unreachable; o = GC_HEAD(o)->gc_next) ev_gc_moved(vm, o);
    }
    if (young != old) {
        if (generation == GC_NUM_GENERATIONS - 2) gc->long_lived_pending += kept;
        glist_merge(young, old);
    } else {
        gc->long_lived_pending = 0;
        gc->long_lived_total = kept;
    }

    gc->finalized_in_collection = 0;
    size_t m = handle_weakrefs(vm, unreachable, old, old_gen);
    finalize_garbage(vm, unreachable);
    handle_resurrected(vm, unreachable, final, old, old_gen);
    m += glist_size(final);
    gc->freed_in_collection = 0;
    delete_garbage(vm, final, old, old_gen);

    *uncollectable = 0;
    gc->stats[generation].collections++;
    gc->stats[generation].collected += m;
    EV(vm, gc, generation, examined, m, gc->finalized_in_collection, gc->freed_in_collection);
    return m;
}

/* Calls each of gc.callbacks with (phase, {"generation", "collected", "uncollectable"}). */
static void invoke_callbacks(Vm *vm, const char *phase, int generation, size_t collected,
                             size_t uncollectable) {
    GcState *gc = vm->gc;
    if (!gc->callbacks || LIST_SIZE(gc->callbacks) == 0) return;
    Object *info = dict_new(vm);
    Object *phase_str = str_from_cstr(vm, phase);
    Object *g = int_from_i64(vm, generation);
    Object *c = int_from_i64(vm, (int64_t)collected);
    Object *u = int_from_i64(vm, (int64_t)uncollectable);
    if (info && phase_str && g && c && u && dict_set_str(vm, info, "generation", g) == 0 &&
        dict_set_str(vm, info, "collected", c) == 0 &&
        dict_set_str(vm, info, "uncollectable", u) == 0) {
        INCREF(gc->callbacks);
        Object *callbacks = gc->callbacks;
        for (size_t i = 0; i < LIST_SIZE(callbacks); i++) {
            Object *cb = NEWREF(LIST_ITEM(callbacks, i));
            Object *r = obj_call_args(vm, cb, 2, phase_str, info);
            if (r) DECREF(vm, r);
            else gc_write_unraisable(vm, cb);
            DECREF(vm, cb);
        }
        DECREF(vm, callbacks);
    } else {
        err_clear(vm);
    }
    XDECREF(vm, info);
    XDECREF(vm, phase_str);
    XDECREF(vm, g);
    XDECREF(vm, c);
    XDECREF(vm, u);
}

static size_t collect_with_callback(Vm *vm, int generation) {
    size_t uncollectable = 0;
    invoke_callbacks(vm, "start", generation, 0, 0);
    size_t collected = collect_main(vm, generation, &uncollectable);
    invoke_callbacks(vm, "stop", generation, collected, uncollectable);
    return collected + uncollectable;
}

/* The automatic trigger: collects the oldest generation whose count passed its
 * threshold; a full collection waits until a quarter of the long-lived objects are
 * new (CPython's guard against quadratic behaviour). */
static void collect_generations(Vm *vm) {
    GcState *gc = vm->gc;
    for (int i = GC_NUM_GENERATIONS - 1; i >= 0; i--) {
        if (gc->gens[i].count <= gc->gens[i].threshold) continue;
        if (i == GC_NUM_GENERATIONS - 1 && gc->long_lived_pending < gc->long_lived_total / 4)
            continue;
        collect_with_callback(vm, i);
        break;
    }
}

size_t gc_collect(Vm *vm, int generation) {
    GcState *gc = vm->gc;
    if (gc->collecting) return 0;
    gc->collecting = true;
    size_t n = collect_with_callback(vm, generation);
    gc->collecting = false;
    return n;
}

void gc_at_exit(Vm *vm) {
    if (!vm->gc || vm->budget_exhausted) return;
    weakref_run_atexit(vm);
    gc_collect(vm, GC_NUM_GENERATIONS - 1);
}

void gc_collect_final(Vm *vm) {
    GcState *gc = vm->gc;
    if (!gc || gc->collecting) return;
    SETREF(vm, gc->callbacks, NULL);
    gc->collecting = true;
    size_t uncollectable;
    collect_main(vm, GC_NUM_GENERATIONS - 1, &uncollectable);
    gc->collecting = false;
}

/* ---- introspection for the gc module ---- */

void gc_each_tracked(Vm *vm, int generation, void (*fn)(Vm *, Object *, void *), void *arg) {
    GcState *gc = vm->gc;
    for (int g = 0; g <= GC_PERMANENT; g++) {
        if (generation >= 0 && g != generation) continue;
        Object *head = gen_head(gc, g);
        for (Object *o = GC_HEAD(head)->gc_next; o != head; o = GC_HEAD(o)->gc_next) fn(vm, o, arg);
    }
}

size_t gc_generation_size(Vm *vm, int generation) {
    return glist_size(gen_head(vm->gc, generation));
}

void gc_freeze(Vm *vm) {
    GcState *gc = vm->gc;
    for (int i = 0; i < GC_NUM_GENERATIONS; i++) {
        glist_set_gen(&gc->gens[i].head.ob, GC_PERMANENT);
        glist_merge(&gc->gens[i].head.ob, &gc->permanent.ob);
    }
    gc->gens[0].count = 0;
}

void gc_unfreeze(Vm *vm) {
    GcState *gc = vm->gc;
    glist_set_gen(&gc->permanent.ob, GC_NUM_GENERATIONS - 1);
    glist_merge(&gc->permanent.ob, &gc->gens[GC_NUM_GENERATIONS - 1].head.ob);
}
