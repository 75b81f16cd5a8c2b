/* mod_weakref.c — the weakref module: ref/ReferenceType, getweakrefcount, getweakrefs,
 * and weakref.finalize (a callable that calls func(*args, **kwargs) once when its
 * object dies, or at exit if still pending, as CPython's Lib/weakref.py). The weak
 * dictionaries live in weakdict.c.
 */
#include "args.h"
#include "class.h"
#include "dict.h"
#include "events.h"
#include "exc.h"
#include "gc.h"
#include "list.h"
#include "module.h"
#include "str.h"
#include "tuple.h"
#include "weakref.h"

#include <stdio.h>
#include <string.h>

/* A finalize object. While alive it sits in the registry (vm->gc->finalizers, a list
 * holding a reference), which keeps it alive as CPython's class-level _registry. */
typedef struct {
    Object ob;
    Object *wr;      /* weakref to the object, with this finalize as its callback */
    Object *func;
    Object *args;    /* tuple */
    Object *kwargs;  /* dict or NULL */
    bool alive;
    bool atexit;
    size_t index;    /* creation order, for the exit-time order */
    Object *weaklist;
} FinalizeObject;


/* ---- module functions ---- */

static Object *wr_getweakrefcount(Vm *vm, Object *self, Object **args, size_t nargs,
                                  Object *kw) {
    if (args_check(vm, "getweakrefcount", nargs, kw, 1, 1) < 0) return NULL;
    return int_from_i64(vm, (int64_t)weakref_count(args[0]));
}

static Object *wr_getweakrefs(Vm *vm, Object *self, Object **args, size_t nargs,
                              Object *kw) {
    if (args_check(vm, "getweakrefs", nargs, kw, 1, 1) < 0) return NULL;
    Object *result = list_new(vm, 0);
    WeakRefObject **list = weakref_list(args[0]);
    for (WeakRefObject *wr = list ? *list : NULL; result && wr; wr = wr->wr_next)
        if (list_append(vm, result, &wr->ob) < 0) SETREF(vm, result, NULL);
    return result;
}

static const MethodDef weakref_methods[] = {
    {"getweakrefcount", wr_getweakrefcount, METH_STATIC},
    {"getweakrefs", wr_getweakrefs, METH_STATIC},
    {NULL},
};

/* ---- the registry of pending finalizers ---- */

static int registry_add(Vm *vm, Object *f) {
    GcState *gc = vm->gc;
    if (!gc->finalizers && !(gc->finalizers = list_new(vm, 0))) return -1;
    return list_append(vm, gc->finalizers, f);
}

/* Removes [f] from the registry (dropping the registry's reference) and marks it dead.
 * The caller holds its own reference. */
static void registry_remove(Vm *vm, FinalizeObject *f) {
    f->alive = false;
    Object *reg = vm->gc->finalizers;
    if (!reg) return;
    ListObject *l = (ListObject *)reg;
    for (size_t i = l->size; i-- > 0;) {
        if (l->items[i] != &f->ob) continue;
        memmove(&l->items[i], &l->items[i + 1], (l->size - i - 1) * sizeof(Object *));
        l->size--;
        DECREF(vm, &f->ob);
        return;
    }
}

/* ---- finalize ---- */

static Object *finalize_new(Vm *vm, Type *type, Object **args, size_t nargs,
                            Object *kwnames) {
    if (nargs < 2)
        return err_format(vm, &TypeErrorType,
                          "finalize.__init__() missing %zu required positional argument%s: %s",
                          2 - nargs, nargs == 1 ? "" : "s",
                          nargs == 1 ? "'func'" : "'obj' and 'func'");
    FinalizeObject *f = (FinalizeObject *)obj_alloc(vm, type, type->basicsize);
    if (!f) return NULL;
    f->func = NEWREF(args[1]);
    f->args = tuple_from_array(vm, args + 2, nargs - 2);
    f->atexit = true;
    f->index = vm->gc->finalize_index++;
    size_t nkw = args_nkw(kwnames);
    if (f->args && nkw) {
        f->kwargs = dict_new(vm);
        for (size_t i = 0; f->kwargs && i < nkw; i++)
            if (dict_set(vm, f->kwargs, ((TupleObject *)kwnames)->items[i], args[nargs + i]) < 0)
                SETREF(vm, f->kwargs, NULL);
    }
    gc_track(vm, &f->ob);
    if (!f->args || (nkw && !f->kwargs) || !(f->wr = weakref_new(vm, args[0], &f->ob)) ||
        registry_add(vm, &f->ob) < 0) {
        DECREF(vm, &f->ob);
        return NULL;
    }
    f->alive = true;
    return &f->ob;
}

static int finalize_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return 0;
}

/* Calls func(*args, **kwargs) if still pending; the finalizer is dead afterwards. */
static Object *finalize_fire(Vm *vm, FinalizeObject *f) {
    if (!f->alive || vm->gc->finalize_shutdown) RETURN_NONE(vm);
    INCREF(&f->ob);
    registry_remove(vm, f);
    Object *func = f->func, *args = f->args, *kwargs = f->kwargs;
    f->func = f->args = f->kwargs = NULL;
    Object *result;
    if (kwargs && dict_size(kwargs)) {
        TupleObject *t = (TupleObject *)args;
        size_t n = t->size, nkw = dict_size(kwargs);
        Object *names = tuple_new(vm, nkw);
        Object **all = names ? mem_alloc(vm, (n + nkw + 1) * sizeof(Object *)) : NULL;
        result = NULL;
        if (all) {
            size_t pos = 0, k = 0;
            Object *key, *value;
            for (size_t i = 0; i < n; i++) all[i] = t->items[i];
            while (dict_next(kwargs, &pos, &key, &value)) {
                ((TupleObject *)names)->items[k] = NEWREF(key);
                all[n + k++] = value;
            }
            result = obj_call(vm, func, all, n, names);
            mem_free(vm, all, (n + nkw + 1) * sizeof(Object *));
        }
        XDECREF(vm, names);
    } else {
        result = obj_call(vm, func, ((TupleObject *)args)->items, ((TupleObject *)args)->size,
                          NULL);
    }
    DECREF(vm, func);
    DECREF(vm, args);
    XDECREF(vm, kwargs);
    Object *self = &f->ob;
    EV(vm, watch, &self, 1); /* the registry let it go */
    DECREF(vm, self);
    return result;
}

static Object *finalize_call(Vm *vm, Object *self, Object **args, size_t nargs,
                             Object *kwnames) {
    if (nargs > 1)
        return err_format(vm, &TypeErrorType,
                          "finalize.__call__() takes from 1 to 2 positional arguments but "
                          "%zu were given", nargs + 1);
    return finalize_fire(vm, (FinalizeObject *)self);
}

/* (obj, func, args, kwargs) while pending and the object lives, else None. */
static Object *finalize_info(Vm *vm, FinalizeObject *f) {
    Object *obj = f->alive && f->wr ? ((WeakRefObject *)f->wr)->referent : NULL;
    if (!obj) RETURN_NONE(vm);
    Object *kwargs = f->kwargs ? NEWREF(f->kwargs) : dict_new(vm);
    if (!kwargs) return NULL;
    Object *t = tuple_pack(vm, 4, obj, f->func, f->args, kwargs);
    DECREF(vm, kwargs);
    return t;
}

static Object *finalize_peek(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "peek", nargs, kw, 0, 0) < 0) return NULL;
    return finalize_info(vm, (FinalizeObject *)self);
}

static Object *finalize_detach(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "detach", nargs, kw, 0, 0) < 0) return NULL;
    FinalizeObject *f = (FinalizeObject *)self;
    Object *info = finalize_info(vm, f);
    if (info && !IS_NONE(vm, info)) registry_remove(vm, f);
    return info;
}

static Object *finalize_getattr(Vm *vm, Object *self, Object *name) {
    FinalizeObject *f = (FinalizeObject *)self;
    if (str_eq_cstr(name, "alive")) return bool_from(vm, f->alive);
    if (str_eq_cstr(name, "atexit")) return bool_from(vm, f->atexit);
    return obj_generic_getattr(vm, self, name);
}

static int finalize_setattr(Vm *vm, Object *self, Object *name, Object *value) {
    if (str_eq_cstr(name, "atexit") && value) {
        int t = obj_is_true(vm, value);
        if (t < 0) return -1;
        ((FinalizeObject *)self)->atexit = t;
        return 0;
    }
    return obj_generic_setattr(vm, self, name, value);
}

static Object *finalize_repr(Vm *vm, Object *self) {
    FinalizeObject *f = (FinalizeObject *)self;
    Object *obj = f->alive && f->wr ? ((WeakRefObject *)f->wr)->referent : NULL;
    char me[32], it[32];
    snprintf(me, sizeof me, "0x%llx", (unsigned long long)obj_address(self));
    if (!obj) return str_from_format(vm, "<finalize object at %s; dead>", me);
    snprintf(it, sizeof it, "0x%llx", (unsigned long long)obj_address(obj));
    return str_from_format(vm, "<finalize object at %s; for '%s' at %s>", me,
                           obj->type->name, it);
}

static int finalize_traverse(Vm *vm, Object *self, VisitFn visit, void *arg) {
    FinalizeObject *f = (FinalizeObject *)self;
    Object *refs[4] = {f->wr, f->func, f->args, f->kwargs};
    return visit_refs(vm, refs, 4, visit, arg); /* visitors return 0 or 1 */
}

static void finalize_clear(Vm *vm, Object *self) {
    FinalizeObject *f = (FinalizeObject *)self;
    SETREF(vm, f->wr, NULL);
    SETREF(vm, f->func, NULL);
    SETREF(vm, f->args, NULL);
    SETREF(vm, f->kwargs, NULL);
}

static void finalize_dealloc(Vm *vm, Object *self) {
    finalize_clear(vm, self);
    obj_free(vm, self);
}

static const MethodDef finalize_methods[] = {
    {"peek", finalize_peek, METH_INSTANCE},
    {"detach", finalize_detach, METH_INSTANCE},
    {NULL},
};

Type FinalizeType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "finalize",
    .basicsize = sizeof(FinalizeObject),
    .modelled_size = 48,
    .tflags = TP_GC | TP_BASETYPE,
    .methods = finalize_methods,
    .dealloc = finalize_dealloc,
    .traverse = finalize_traverse,
    .clear = finalize_clear,
    .repr = finalize_repr,
    .call = finalize_call,
    .getattr = finalize_getattr,
    .setattr = finalize_setattr,
    .new_ = finalize_new,
    .init = finalize_init,
    .weaklist_offset = offsetof(FinalizeObject, weaklist),
};

/* ---- exit ---- */

/* Picks the pending atexit finalizer created last, or NULL. */
static FinalizeObject *last_pending(Vm *vm) {
    Object *reg = vm->gc->finalizers;
    FinalizeObject *best = NULL;
    for (size_t i = 0; reg && i < LIST_SIZE(reg); i++) {
        FinalizeObject *f = (FinalizeObject *)LIST_ITEM(reg, i);
        if (f->atexit && (!best || f->index > best->index)) best = f;
    }
    return best;
}

void weakref_run_atexit(Vm *vm) {
    GcState *gc = vm->gc;
    if (!gc || gc->finalize_shutdown) return;
    bool reenable = gc->enabled;
    gc->enabled = false;
    FinalizeObject *f;
    while ((f = last_pending(vm)) != NULL) {
        Object *r = finalize_fire(vm, f);
        if (r) {
            DECREF(vm, r);
        } else {
            Object *exc = vm->exc;
            vm->exc = NULL;
            exc_print(vm, exc);
            DECREF(vm, exc);
        }
    }
    gc->enabled = reenable;
    gc->finalize_shutdown = true;
}

Object *mod_weakref_create(Vm *vm) {
    Object *m = module_new(vm, "weakref");
    if (!m) return NULL;
    if (module_add_methods(vm, m, weakref_methods) < 0 ||
        module_add_object(vm, m, "ref", &WeakRefType.ob) < 0 ||
        module_add_object(vm, m, "ReferenceType", &WeakRefType.ob) < 0 ||
        module_add_object(vm, m, "finalize", &FinalizeType.ob) < 0 ||
        weakdict_add_types(vm, m) < 0) {
        DECREF(vm, m);
        return NULL;
    }
    return m;
}
