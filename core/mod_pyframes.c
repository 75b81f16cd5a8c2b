/* mod_pyframes.c — the `pyframes` module: pyframes-specific introspection for the
 * lessons. alloc_stats() shows the small-object allocator (alloc.c): arenas, pools per
 * size class, blocks used and free, and the bytes the memory budget counts.
 */
#include "alloc.h"
#include "args.h"
#include "dict.h"
#include "gc.h"
#include "int.h"
#include "module.h"
#include "tuple.h"

static int set_num(Vm *vm, Object *d, const char *key, size_t value) {
    Object *n = int_from_i64(vm, (int64_t)value);
    if (!n) return -1;
    int rc = dict_set_str(vm, d, key, n);
    DECREF(vm, n);
    return rc;
}

/* {block size: (pools, blocks used, blocks free)} for every size class in use. */
static Object *size_classes(Vm *vm, const AllocStats *s) {
    Object *d = dict_new(vm);
    for (int i = 0; d && i < ALLOC_NCLASSES; i++) {
        if (!s->pools[i]) continue;
        Object *k = int_from_i64(vm, (int64_t)(i + 1) * ALLOC_ALIGN);
        Object *p = int_from_i64(vm, (int64_t)s->pools[i]);
        Object *u = int_from_i64(vm, (int64_t)s->blocks_used[i]);
        Object *f = int_from_i64(vm, (int64_t)s->blocks_free[i]);
        Object *t = k && p && u && f ? tuple_pack(vm, 3, p, u, f) : NULL;
        if (!t || dict_set(vm, d, k, t) < 0) SETREF(vm, d, NULL);
        XDECREF(vm, k);
        XDECREF(vm, p);
        XDECREF(vm, u);
        XDECREF(vm, f);
        XDECREF(vm, t);
    }
    return d;
}

static Object *pf_alloc_stats(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "alloc_stats", nargs, kw, 0, 0) < 0) return NULL;
    const AllocStats *s = alloc_stats(vm->alloc);
    Object *d = dict_new(vm);
    if (!d) return NULL;
    static const char *const keys[] = {
        "arena_size", "pool_size", "small_max", "arenas_allocated", "arenas_freed",
        "arenas_current", "arenas_highwater", "pools_current", "pools_empty", "small_bytes",
        "large_count", "large_bytes", "mem_used", "mem_peak",
    };
    const size_t values[] = {
        ALLOC_ARENA_SIZE, ALLOC_POOL_SIZE, ALLOC_SMALL_MAX, s->arenas_allocated, s->arenas_freed,
        s->arenas_current, s->arenas_highwater, s->pools_current, s->pools_empty, s->small_bytes,
        s->large_count, s->large_bytes, vm->mem_used, vm->mem_peak,
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (set_num(vm, d, keys[i], values[i]) < 0) goto fail;
    Object *classes = size_classes(vm, s);
    if (!classes) goto fail;
    int rc = dict_set_str(vm, d, "size_classes", classes);
    DECREF(vm, classes);
    if (rc < 0) goto fail;
    return d;
fail:
    DECREF(vm, d);
    return NULL;
}

static Object *pf_size_class(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "size_class", nargs, kw, 1, 1) < 0) return NULL;
    int64_t n;
    if (int_as_i64(vm, args[0], &n) < 0) return NULL;
    if (n < 0) return err_format(vm, &ValueErrorType, "size must be non-negative");
    return int_from_i64(vm, (int64_t)alloc_rounded_size((size_t)n));
}

static const MethodDef pyframes_methods[] = {
    {"alloc_stats", pf_alloc_stats, METH_STATIC},
    {"size_class", pf_size_class, METH_STATIC},
    {NULL},
};

Object *mod_pyframes_create(Vm *vm) {
    Object *m = module_new(vm, "pyframes");
    if (m && module_add_methods(vm, m, pyframes_methods) < 0) SETREF(vm, m, NULL);
    return m;
}
