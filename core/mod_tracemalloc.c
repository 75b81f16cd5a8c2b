/* mod_tracemalloc.c — tracemalloc basics over the allocation funnel: start, stop,
 * is_tracing, get_traced_memory (bytes allocated since start that are still in use,
 * and their peak), reset_peak, clear_traces. Sizes are the funnel's byte counts, scaled
 * to a 64-bit build's (×2 on wasm32, whose pointers are half as wide), so a program sees
 * the same magnitudes natively and in the browser. */
#include "args.h"
#include "gc.h"
#include "int.h"
#include "module.h"
#include "tuple.h"

static Object *tm_start(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "start", nargs, kw, 0, 1) < 0) return NULL;
    GcState *gc = vm->gc;
    if (!gc->tracing) {
        gc->tracing = true;
        gc->trace_base = vm->mem_used;
        gc->trace_peak = vm->mem_used;
    }
    RETURN_NONE(vm);
}

static Object *tm_stop(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "stop", nargs, kw, 0, 0) < 0) return NULL;
    vm->gc->tracing = false;
    RETURN_NONE(vm);
}

static Object *tm_is_tracing(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "is_tracing", nargs, kw, 0, 0) < 0) return NULL;
    return bool_from(vm, vm->gc->tracing);
}

static Object *tm_get_traced_memory(Vm *vm, Object *self, Object **args, size_t nargs,
                                    Object *kw) {
    if (args_check(vm, "get_traced_memory", nargs, kw, 0, 0) < 0) return NULL;
    GcState *gc = vm->gc;
    size_t cur = 0, peak = 0;
    if (gc->tracing) {
        cur = vm->mem_used > gc->trace_base ? vm->mem_used - gc->trace_base : 0;
        peak = gc->trace_peak > gc->trace_base ? gc->trace_peak - gc->trace_base : 0;
    }
    const int64_t scale = 8 / (int64_t)sizeof(void *);
    Object *c = int_from_i64(vm, (int64_t)cur * scale);
    Object *p = int_from_i64(vm, (int64_t)peak * scale);
    Object *t = c && p ? tuple_pack(vm, 2, c, p) : NULL;
    XDECREF(vm, c);
    XDECREF(vm, p);
    return t;
}

static Object *tm_reset_peak(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "reset_peak", nargs, kw, 0, 0) < 0) return NULL;
    vm->gc->trace_peak = vm->mem_used;
    RETURN_NONE(vm);
}

static Object *tm_clear_traces(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "clear_traces", nargs, kw, 0, 0) < 0) return NULL;
    vm->gc->trace_base = vm->gc->trace_peak = vm->mem_used;
    RETURN_NONE(vm);
}

static const MethodDef tracemalloc_methods[] = {
    {"start", tm_start, METH_STATIC},
    {"stop", tm_stop, METH_STATIC},
    {"is_tracing", tm_is_tracing, METH_STATIC},
    {"get_traced_memory", tm_get_traced_memory, METH_STATIC},
    {"reset_peak", tm_reset_peak, METH_STATIC},
    {"clear_traces", tm_clear_traces, METH_STATIC},
    {NULL},
};

Object *mod_tracemalloc_create(Vm *vm) {
    Object *m = module_new(vm, "tracemalloc");
    if (m && module_add_methods(vm, m, tracemalloc_methods) < 0) SETREF(vm, m, NULL);
    return m;
}
