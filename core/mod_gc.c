/* mod_gc.c — the gc module: collect, enable/disable, counts and thresholds, the
 * tracked objects and their references, freeze, callbacks, garbage, debug flags and
 * statistics, over the collector in gc.c. Messages as CPython 3.11's gcmodule.c.
 */
#include "args.h"
#include "dict.h"
#include "gc.h"
#include "int.h"
#include "list.h"
#include "module.h"
#include "tuple.h"

/* Reads an int argument into [out]; -1 with TypeError/OverflowError otherwise. */
static int int_arg(Vm *vm, Object *o, int *out) {
    if (!obj_isinstance_type(o, &IntType))
        return err_format(vm, &TypeErrorType,
                          "'%s' object cannot be interpreted as an integer", o->type->name),
               -1;
    int64_t v;
    if (int_as_i64(vm, o, &v) < 0) return -1;
    if (v > INT32_MAX || v < INT32_MIN) {
        err_format(vm, &OverflowErrorType, "signed integer is greater than maximum");
        return -1;
    }
    *out = (int)v;
    return 0;
}

static Object *gc_collect_fn(Vm *vm, Object *self, Object **args, size_t nargs,
                             Object *kwnames) {
    static const char *const names[] = {"generation", NULL};
    Object *a[1];
    if (args_unpack(vm, "collect", args, nargs, kwnames, names, 0, 1, a) < 0) return NULL;
    int generation = GC_NUM_GENERATIONS - 1;
    if (a[0] && int_arg(vm, a[0], &generation) < 0) return NULL;
    if (generation < 0 || generation >= GC_NUM_GENERATIONS)
        return err_format(vm, &ValueErrorType, "invalid generation");
    return int_from_i64(vm, (int64_t)gc_collect(vm, generation));
}

static Object *gc_enable(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.enable", nargs, kw, 0, 0) < 0) return NULL;
    vm->gc->enabled = true;
    RETURN_NONE(vm);
}

static Object *gc_disable(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.disable", nargs, kw, 0, 0) < 0) return NULL;
    vm->gc->enabled = false;
    RETURN_NONE(vm);
}

static Object *gc_isenabled(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.isenabled", nargs, kw, 0, 0) < 0) return NULL;
    return bool_from(vm, vm->gc->enabled);
}

static Object *int_triple(Vm *vm, int a, int b, int c) {
    Object *x = int_from_i64(vm, a), *y = int_from_i64(vm, b), *z = int_from_i64(vm, c);
    Object *t = x && y && z ? tuple_pack(vm, 3, x, y, z) : NULL;
    XDECREF(vm, x);
    XDECREF(vm, y);
    XDECREF(vm, z);
    return t;
}

static Object *gc_get_count(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.get_count", nargs, kw, 0, 0) < 0) return NULL;
    GcGeneration *g = vm->gc->gens;
    return int_triple(vm, g[0].count, g[1].count, g[2].count);
}

static Object *gc_get_threshold(Vm *vm, Object *self, Object **args, size_t nargs,
                                Object *kw) {
    if (args_check(vm, "gc.get_threshold", nargs, kw, 0, 0) < 0) return NULL;
    GcGeneration *g = vm->gc->gens;
    return int_triple(vm, g[0].threshold, g[1].threshold, g[2].threshold);
}

static Object *gc_set_threshold(Vm *vm, Object *self, Object **args, size_t nargs,
                                Object *kw) {
    if (args_nkw(kw) > 0)
        return err_format(vm, &TypeErrorType, "set_threshold() takes no keyword arguments");
    if (nargs < 1)
        return err_format(vm, &TypeErrorType,
                          "set_threshold() takes at least 1 argument (0 given)");
    if (nargs > 3)
        return err_format(vm, &TypeErrorType,
                          "set_threshold() takes at most 3 arguments (%zu given)", nargs);
    int t[3];
    for (size_t i = 0; i < nargs; i++)
        if (int_arg(vm, args[i], &t[i]) < 0) return NULL;
    for (size_t i = 0; i < nargs; i++) vm->gc->gens[i].threshold = t[i];
    RETURN_NONE(vm);
}

typedef struct {
    Object *result;
    Object **objs;   /* get_referrers: the objects sought */
    size_t nobjs;
    bool found;
    int error;
} Gather;

static void append_tracked(Vm *vm, Object *o, void *arg) {
    Gather *g = arg;
    if (g->error || o == g->result) return;
    if (list_append(vm, g->result, o) < 0) g->error = 1;
}

static Object *gc_get_objects(Vm *vm, Object *self, Object **args, size_t nargs,
                              Object *kwnames) {
    static const char *const names[] = {"generation", NULL};
    Object *a[1];
    if (args_unpack(vm, "get_objects", args, nargs, kwnames, names, 0, 1, a) < 0) return NULL;
    int generation = -1;
    if (a[0] && !IS_NONE(vm, a[0])) {
        if (int_arg(vm, a[0], &generation) < 0) return NULL;
        if (generation >= GC_NUM_GENERATIONS)
            return err_format(vm, &ValueErrorType,
                              "generation parameter must be less than the number of "
                              "available generations (%i)", GC_NUM_GENERATIONS);
        if (generation < -1)
            return err_format(vm, &ValueErrorType, "generation parameter cannot be negative");
    }
    Gather g = {.result = list_new(vm, 0)};
    if (!g.result) return NULL;
    for (int gen = 0; gen < GC_NUM_GENERATIONS; gen++)
        if (generation < 0 || gen == generation) gc_each_tracked(vm, gen, append_tracked, &g);
    if (g.error) {
        DECREF(vm, g.result);
        return NULL;
    }
    return g.result;
}

static int visit_is_sought(Vm *vm, Object *r, void *arg) {
    Gather *g = arg;
    for (size_t i = 0; i < g->nobjs; i++)
        if (r == g->objs[i]) {
            g->found = true;
            return 1;
        }
    return 0;
}

static void append_if_referrer(Vm *vm, Object *o, void *arg) {
    Gather *g = arg;
    if (g->error || o == g->result || !o->type->traverse) return;
    g->found = false;
    o->type->traverse(vm, o, visit_is_sought, g);
    if (g->found && list_append(vm, g->result, o) < 0) g->error = 1;
}

static Object *gc_get_referrers(Vm *vm, Object *self, Object **args, size_t nargs,
                                Object *kw) {
    if (args_nkw(kw) > 0)
        return err_format(vm, &TypeErrorType, "get_referrers() takes no keyword arguments");
    Gather g = {.result = list_new(vm, 0), .objs = args, .nobjs = nargs};
    if (!g.result) return NULL;
    for (int gen = 0; gen < GC_NUM_GENERATIONS; gen++)
        gc_each_tracked(vm, gen, append_if_referrer, &g);
    if (g.error) {
        DECREF(vm, g.result);
        return NULL;
    }
    return g.result;
}

static int visit_append(Vm *vm, Object *r, void *arg) {
    Gather *g = arg;
    if (r && !g->error && list_append(vm, g->result, r) < 0) g->error = 1;
    return 0;
}

static Object *gc_get_referents(Vm *vm, Object *self, Object **args, size_t nargs,
                                Object *kw) {
    if (args_nkw(kw) > 0)
        return err_format(vm, &TypeErrorType, "get_referents() takes no keyword arguments");
    Gather g = {.result = list_new(vm, 0)};
    if (!g.result) return NULL;
    for (size_t i = 0; i < nargs && !g.error; i++) {
        Object *o = args[i];
        if ((o->type->tflags & TP_GC) && o->type->traverse)
            o->type->traverse(vm, o, visit_append, &g);
    }
    if (g.error) {
        DECREF(vm, g.result);
        return NULL;
    }
    return g.result;
}

static Object *gc_is_tracked_fn(Vm *vm, Object *self, Object **args, size_t nargs,
                                Object *kw) {
    if (args_check(vm, "gc.is_tracked", nargs, kw, 1, 1) < 0) return NULL;
    return bool_from(vm, gc_is_tracked(args[0]));
}

static Object *gc_is_finalized(Vm *vm, Object *self, Object **args, size_t nargs,
                               Object *kw) {
    if (args_check(vm, "gc.is_finalized", nargs, kw, 1, 1) < 0) return NULL;
    return bool_from(vm, (args[0]->flags & OF_FINALIZED) != 0);
}

static Object *gc_freeze_fn(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.freeze", nargs, kw, 0, 0) < 0) return NULL;
    gc_freeze(vm);
    RETURN_NONE(vm);
}

static Object *gc_unfreeze_fn(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.unfreeze", nargs, kw, 0, 0) < 0) return NULL;
    gc_unfreeze(vm);
    RETURN_NONE(vm);
}

static Object *gc_get_freeze_count(Vm *vm, Object *self, Object **args, size_t nargs,
                                   Object *kw) {
    if (args_check(vm, "gc.get_freeze_count", nargs, kw, 0, 0) < 0) return NULL;
    return int_from_i64(vm, (int64_t)gc_generation_size(vm, GC_PERMANENT));
}

static Object *gc_get_debug(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.get_debug", nargs, kw, 0, 0) < 0) return NULL;
    return int_from_i64(vm, vm->gc->debug);
}

static Object *gc_set_debug(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.set_debug", nargs, kw, 1, 1) < 0) return NULL;
    int flags;
    if (int_arg(vm, args[0], &flags) < 0) return NULL;
    vm->gc->debug = flags;
    RETURN_NONE(vm);
}

static int set_size_item(Vm *vm, Object *d, const char *key, size_t v) {
    Object *n = int_from_i64(vm, (int64_t)v);
    if (!n) return -1;
    int rc = dict_set_str(vm, d, key, n);
    DECREF(vm, n);
    return rc;
}

static Object *gc_get_stats(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "gc.get_stats", nargs, kw, 0, 0) < 0) return NULL;
    Object *result = list_new(vm, 0);
    for (int i = 0; result && i < GC_NUM_GENERATIONS; i++) {
        GcStats *s = &vm->gc->stats[i];
        Object *d = dict_new(vm);
        if (!d || set_size_item(vm, d, "collections", s->collections) < 0 ||
            set_size_item(vm, d, "collected", s->collected) < 0 ||
            set_size_item(vm, d, "uncollectable", s->uncollectable) < 0 ||
            list_append(vm, result, d) < 0) {
            XDECREF(vm, d);
            SETREF(vm, result, NULL);
            break;
        }
        DECREF(vm, d);
    }
    return result;
}

static const MethodDef gc_methods[] = {
    {"collect", gc_collect_fn, METH_STATIC},
    {"enable", gc_enable, METH_STATIC},
    {"disable", gc_disable, METH_STATIC},
    {"isenabled", gc_isenabled, METH_STATIC},
    {"get_count", gc_get_count, METH_STATIC},
    {"get_threshold", gc_get_threshold, METH_STATIC},
    {"set_threshold", gc_set_threshold, METH_STATIC},
    {"get_objects", gc_get_objects, METH_STATIC},
    {"get_referrers", gc_get_referrers, METH_STATIC},
    {"get_referents", gc_get_referents, METH_STATIC},
    {"is_tracked", gc_is_tracked_fn, METH_STATIC},
    {"is_finalized", gc_is_finalized, METH_STATIC},
    {"freeze", gc_freeze_fn, METH_STATIC},
    {"unfreeze", gc_unfreeze_fn, METH_STATIC},
    {"get_freeze_count", gc_get_freeze_count, METH_STATIC},
    {"get_debug", gc_get_debug, METH_STATIC},
    {"set_debug", gc_set_debug, METH_STATIC},
    {"get_stats", gc_get_stats, METH_STATIC},
    {NULL},
};

/* Creates the module's list attribute [name], shared with the collector's [*slot]. */
static int add_shared_list(Vm *vm, Object *m, const char *name, Object **slot) {
    if (!*slot && !(*slot = list_new(vm, 0))) return -1;
    return module_add_object(vm, m, name, *slot);
}

static int add_int(Vm *vm, Object *m, const char *name, int value) {
    Object *v = int_from_i64(vm, value);
    if (!v) return -1;
    int rc = module_add_object(vm, m, name, v);
    DECREF(vm, v);
    return rc;
}

Object *mod_gc_create(Vm *vm) {
    Object *m = module_new(vm, "gc");
    if (!m) return NULL;
    if (module_add_methods(vm, m, gc_methods) < 0 ||
        add_shared_list(vm, m, "callbacks", &vm->gc->callbacks) < 0 ||
        add_shared_list(vm, m, "garbage", &vm->gc->garbage) < 0 ||
        add_int(vm, m, "DEBUG_STATS", GC_DEBUG_STATS) < 0 ||
        add_int(vm, m, "DEBUG_COLLECTABLE", GC_DEBUG_COLLECTABLE) < 0 ||
        add_int(vm, m, "DEBUG_UNCOLLECTABLE", GC_DEBUG_UNCOLLECTABLE) < 0 ||
        add_int(vm, m, "DEBUG_SAVEALL", GC_DEBUG_SAVEALL) < 0 ||
        add_int(vm, m, "DEBUG_LEAK", GC_DEBUG_LEAK) < 0) {
        DECREF(vm, m);
        return NULL;
    }
    return m;
}
