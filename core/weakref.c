/* weakref.c — the weak reference type (weakref.ref / weakref.ReferenceType) and the
 * per-object lists of weak references: creation sharing the basic reference, clearing
 * when the referent dies by reference count (callbacks run after every reference is
 * cleared, as CPython's PyObject_ClearWeakRefs) or in the cycle collector (gc.c).
 */
#include "weakref.h"

#include "args.h"
#include "class.h"
#include "func.h"
#include "gc.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- the referent's list ---- */

static void insert_head(WeakRefObject *wr, WeakRefObject **list) {
    wr->wr_prev = NULL;
    wr->wr_next = *list;
    if (*list) (*list)->wr_prev = wr;
    *list = wr;
}

static void insert_after(WeakRefObject *wr, WeakRefObject *prev) {
    wr->wr_prev = prev;
    wr->wr_next = prev->wr_next;
    if (prev->wr_next) prev->wr_next->wr_prev = wr;
    prev->wr_next = wr;
}

static bool is_basic(WeakRefObject *wr) {
    return wr->ob.type == &WeakRefType && wr->callback == NULL;
}

void weakref_clear_ref(Vm *vm, WeakRefObject *wr) {
    Object *referent = wr->referent;
    if (!referent) return;
    WeakRefObject **list = weakref_list(referent);
    if (wr->wr_prev) wr->wr_prev->wr_next = wr->wr_next;
    else if (list && *list == wr) *list = wr->wr_next;
    if (wr->wr_next) wr->wr_next->wr_prev = wr->wr_prev;
    wr->wr_prev = wr->wr_next = NULL;
    wr->referent = NULL;
}

size_t weakref_count(Object *o) {
    WeakRefObject **list = weakref_list(o);
    size_t n = 0;
    for (WeakRefObject *wr = list ? *list : NULL; wr; wr = wr->wr_next) n++;
    return n;
}

/* ---- creation ---- */

static Object *weakref_new_of_type(Vm *vm, Type *type, Object *obj, Object *callback) {
    WeakRefObject **list = weakref_list(obj);
    if (!list)
        return err_format(vm, &TypeErrorType, "cannot create weak reference to '%s' object",
                          obj->type->name);
    if (callback && IS_NONE(vm, callback)) callback = NULL;
    if (!callback && type == &WeakRefType && *list && is_basic(*list))
        return NEWREF(&(*list)->ob);
    WeakRefObject *wr = (WeakRefObject *)obj_alloc(vm, type, type->basicsize);
    if (!wr) return NULL;
    wr->referent = obj;
    wr->callback = callback ? NEWREF(callback) : NULL;
    wr->hash = -1;
    if (!callback && type == &WeakRefType) insert_head(wr, list);
    else if (*list && is_basic(*list)) insert_after(wr, *list);
    else insert_head(wr, list);
    gc_track(vm, &wr->ob);
    return &wr->ob;
}

Object *weakref_new(Vm *vm, Object *obj, Object *callback) {
    return weakref_new_of_type(vm, &WeakRefType, obj, callback);
}

Object *weakref_get(Vm *vm, Object *ref) {
    Object *referent = ((WeakRefObject *)ref)->referent;
    return NEWREF(referent ? referent : vm->none);
}

/* ---- the referent dies ---- */

typedef struct {
    Object *ref;      /* new reference, or NULL if the weakref itself is dying */
    Object *callback; /* owned */
} PendingCallback;

void weakref_clear_at_dealloc(Vm *vm, Object *o) {
    WeakRefObject **list = weakref_list(o);
    while (*list && (*list)->callback == NULL) weakref_clear_ref(vm, *list);
    size_t count = weakref_count(o);
    if (count == 0) return;
    PendingCallback local[8];
    PendingCallback *pending = count <= 8 ? local : malloc(count * sizeof *pending);
    size_t n = 0;
    while (*list) {
        WeakRefObject *wr = *list;
        if (pending && wr->callback) {
            pending[n].ref = wr->ob.refcnt > 0 ? NEWREF(&wr->ob) : NULL;
            pending[n].callback = wr->callback;
            n++;
        } else {
            XDECREF(vm, wr->callback);
        }
        wr->callback = NULL;
        weakref_clear_ref(vm, wr);
    }
    Object *saved = vm->exc;
    vm->exc = NULL;
    for (size_t i = 0; i < n; i++) {
        if (pending[i].ref) {
            Object *r = obj_call(vm, pending[i].callback, &pending[i].ref, 1, NULL);
            if (r) DECREF(vm, r);
            else gc_write_unraisable(vm, pending[i].callback);
            DECREF(vm, pending[i].ref);
        }
        DECREF(vm, pending[i].callback);
    }
    vm->exc = saved;
    if (pending != local) free(pending);
}

/* ---- the type's slots ---- */

static Object *weakref_type_new(Vm *vm, Type *type, Object **args, size_t nargs,
                                Object *kwnames) {
    if (args_nkw(kwnames) > 0 && type == &WeakRefType)
        return err_format(vm, &TypeErrorType, "ref() takes no keyword arguments");
    if (nargs < 1)
        return err_format(vm, &TypeErrorType, "__new__ expected at least 1 argument, got 0");
    if (nargs > 2)
        return err_format(vm, &TypeErrorType, "__new__ expected at most 2 arguments, got %zu",
                          nargs);
    return weakref_new_of_type(vm, type, args[0], nargs > 1 ? args[1] : NULL);
}

static int weakref_type_init(Vm *vm, Object *self, Object **args, size_t nargs,
                             Object *kwnames) {
    return 0;
}

static Object *weakref_call(Vm *vm, Object *self, Object **args, size_t nargs,
                            Object *kwnames) {
    if (args_nkw(kwnames) > 0)
        return err_format(vm, &TypeErrorType, "weakref() takes no keyword arguments");
    if (nargs > 0)
        return err_format(vm, &TypeErrorType, "weakref expected 0 arguments, got %zu", nargs);
    return weakref_get(vm, self);
}

static void weakref_dealloc(Vm *vm, Object *self) {
    WeakRefObject *wr = (WeakRefObject *)self;
    weakref_clear_ref(vm, wr);
    XDECREF(vm, wr->callback);
    XDECREF(vm, wr->key);
    obj_free(vm, self);
}

static int weakref_traverse(Vm *vm, Object *self, VisitFn visit, void *arg) {
    WeakRefObject *wr = (WeakRefObject *)self;
    if (wr->callback && visit(vm, wr->callback, arg)) return 1;
    return wr->key ? visit(vm, wr->key, arg) : 0;
}

static void weakref_clear(Vm *vm, Object *self) {
    WeakRefObject *wr = (WeakRefObject *)self;
    weakref_clear_ref(vm, wr);
    SETREF(vm, wr->callback, NULL);
    SETREF(vm, wr->key, NULL);
}

static void format_address(char *buf, size_t size, Object *o) {
    snprintf(buf, size, "0x%llx", (unsigned long long)obj_address(o));
}

/* The name CPython shows in parentheses: __name__ of classes and functions. */
static const char *referent_name(Object *o) {
    if (obj_isinstance_type(o, &TypeType)) return type_name((Type *)o);
    if (obj_isinstance_type(o, &FunctionType))
        return str_cstr(((FunctionObject *)o)->name);
    return NULL;
}

static Object *weakref_repr(Vm *vm, Object *self) {
    Object *referent = ((WeakRefObject *)self)->referent;
    char me[32], it[32];
    format_address(me, sizeof me, self);
    if (!referent) return str_from_format(vm, "<weakref at %s; dead>", me);
    format_address(it, sizeof it, referent);
    const char *name = referent_name(referent);
    if (name)
        return str_from_format(vm, "<weakref at %s; to '%s' at %s (%s)>", me,
                               referent->type->name, it, name);
    return str_from_format(vm, "<weakref at %s; to '%s' at %s>", me, referent->type->name, it);
}

static Hash weakref_hash(Vm *vm, Object *self) {
    WeakRefObject *wr = (WeakRefObject *)self;
    if (wr->hash != -1) return wr->hash;
    if (!wr->referent) {
        err_format(vm, &TypeErrorType, "weak object has gone away");
        return -1;
    }
    wr->hash = obj_hash(vm, wr->referent);
    return wr->hash;
}

static Object *weakref_richcompare(Vm *vm, Object *a, Object *b, int op) {
    if ((op != CMP_EQ && op != CMP_NE) || !obj_isinstance_type(b, &WeakRefType))
        return NEWREF(vm->not_implemented);
    Object *x = ((WeakRefObject *)a)->referent, *y = ((WeakRefObject *)b)->referent;
    if (!x || !y) return bool_from(vm, (a == b) == (op == CMP_EQ));
    return obj_richcompare(vm, x, y, op);
}

static Object *weakref_getattr(Vm *vm, Object *self, Object *name) {
    if (str_eq_cstr(name, "__callback__")) {
        Object *cb = ((WeakRefObject *)self)->callback;
        return NEWREF(cb ? cb : vm->none);
    }
    return obj_generic_getattr(vm, self, name);
}

Type WeakRefType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "weakref.ReferenceType",
    .basicsize = sizeof(WeakRefObject),
    .modelled_size = 72,
    .tflags = TP_GC | TP_BASETYPE,
    .base = &ObjectType,
    .dealloc = weakref_dealloc,
    .traverse = weakref_traverse,
    .clear = weakref_clear,
    .repr = weakref_repr,
    .hash = weakref_hash,
    .richcompare = weakref_richcompare,
    .call = weakref_call,
    .getattr = weakref_getattr,
    .new_ = weakref_type_new,
    .init = weakref_type_init,
};
