/* weakdict.c — weakref.WeakValueDictionary and weakref.WeakKeyDictionary: a dict whose
 * values (or keys) are held through weak references, entries vanishing when their
 * object dies. The reference callback is a built-in bound to a weak reference to the
 * dictionary, so the dictionary itself is not kept alive by its entries.
 */
#include "args.h"
#include "class.h"
#include "dict.h"
#include "func.h"
#include "gc.h"
#include "list.h"
#include "module.h"
#include "str.h"
#include "tuple.h"
#include "weakref.h"

#include <stdio.h>

/* Both dictionaries: [data] maps key -> weakref(value) (WeakValueDictionary) or
 * weakref(key) -> value (WeakKeyDictionary); [remover] is the callback given to
 * every weak reference. */
typedef struct {
    Object ob;
    Object *data;
    Object *remover;
    Object *weaklist;
} WeakDictObject;

#define WD(o) ((WeakDictObject *)(o))

static bool is_value_dict(Object *self) { return obj_isinstance_type(self, &WeakValueDictType); }

/* The callback: [self] is a weakref to the dictionary, args[0] the dead reference. */
static Object *weakdict_remove(Vm *vm, Object *self, Object **args, size_t nargs,
                               Object *kw) {
    Object *d = ((WeakRefObject *)self)->referent;
    if (!d || nargs != 1) RETURN_NONE(vm);
    Object *wr = args[0];
    if (is_value_dict(d)) {
        Object *key = ((WeakRefObject *)wr)->key;
        if (key && dict_get(vm, WD(d)->data, key) == wr && dict_del(vm, WD(d)->data, key) < 0)
            return NULL;
    } else if (dict_discard(vm, WD(d)->data, wr) < 0) {
        return NULL;
    }
    if (vm->exc) return NULL;
    RETURN_NONE(vm);
}

static const MethodDef remover_def = {"remove", weakdict_remove, METH_INSTANCE};

static Object *weakdict_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kw) {
    WeakDictObject *d = (WeakDictObject *)obj_alloc(vm, type, type->basicsize);
    if (!d) return NULL;
    gc_track(vm, &d->ob);
    Object *selfref = NULL;
    if (!(d->data = dict_new(vm)) || !(selfref = weakref_new(vm, &d->ob, NULL)) ||
        !(d->remover = builtin_new(vm, &remover_def, selfref))) {
        XDECREF(vm, selfref);
        DECREF(vm, &d->ob);
        return NULL;
    }
    DECREF(vm, selfref);
    return &d->ob;
}

static int weakdict_setitem(Vm *vm, Object *self, Object *key, Object *value);

static int weakdict_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, type_name(self->type), nargs, kw, 0, 1) < 0) return -1;
    if (nargs == 0) return 0;
    Object *src = args[0];
    Object *items = obj_isinstance_type(src, &DictType) ? dict_items_list(vm, src)
                                                          : list_from_iterable(vm, src);
    if (!items) return -1;
    for (size_t i = 0; i < LIST_SIZE(items); i++) {
        Object *pair = LIST_ITEM(items, i);
        Object *k = obj_getitem(vm, pair, vm->small_ints[0 - SMALL_INT_MIN]);
        Object *v = k ? obj_getitem(vm, pair, vm->small_ints[1 - SMALL_INT_MIN]) : NULL;
        int rc = v ? weakdict_setitem(vm, self, k, v) : -1;
        XDECREF(vm, k);
        XDECREF(vm, v);
        if (rc < 0) {
            DECREF(vm, items);
            return -1;
        }
    }
    DECREF(vm, items);
    return 0;
}

/* ---- mapping slots ---- */

/* For a WeakKeyDictionary, a temporary reference to [key] for lookups. */
static Object *key_ref(Vm *vm, Object *key) { return weakref_new(vm, key, NULL); }

static Object *weakdict_getitem(Vm *vm, Object *self, Object *key) {
    Object *found;
    if (is_value_dict(self)) {
        found = dict_get(vm, WD(self)->data, key);
        Object *obj = found ? ((WeakRefObject *)found)->referent : NULL;
        if (obj) return NEWREF(obj);
    } else {
        Object *ref = key_ref(vm, key);
        if (!ref) return NULL;
        found = dict_get(vm, WD(self)->data, ref);
        DECREF(vm, ref);
        if (found) return NEWREF(found);
    }
    if (!vm->exc) err_set(vm, &KeyErrorType, key);
    return NULL;
}

static int weakdict_setitem(Vm *vm, Object *self, Object *key, Object *value) {
    WeakDictObject *d = WD(self);
    if (!value) {
        if (is_value_dict(self)) return dict_del(vm, d->data, key);
        Object *ref = key_ref(vm, key);
        int rc = ref ? dict_del(vm, d->data, ref) : -1;
        XDECREF(vm, ref);
        return rc;
    }
    Object *ref = weakref_new(vm, is_value_dict(self) ? value : key, d->remover);
    if (!ref) return -1;
    int rc;
    if (is_value_dict(self)) {
        ((WeakRefObject *)ref)->key = NEWREF(key);
        rc = dict_set(vm, d->data, key, ref);
    } else {
        rc = dict_set(vm, d->data, ref, value);
    }
    DECREF(vm, ref);
    return rc;
}

static int weakdict_contains(Vm *vm, Object *self, Object *key) {
    if (is_value_dict(self)) {
        Object *found = dict_get(vm, WD(self)->data, key);
        if (!found) return vm->exc ? -1 : 0;
        return ((WeakRefObject *)found)->referent != NULL;
    }
    if (!weakref_supported(key->type)) return 0;
    Object *ref = key_ref(vm, key);
    if (!ref) return -1;
    int rc = dict_contains(vm, WD(self)->data, ref);
    DECREF(vm, ref);
    return rc;
}

static int64_t weakdict_len(Vm *vm, Object *self) { return (int64_t)dict_size(WD(self)->data); }

/* Lists of live keys, values or (key, value) pairs: [what] 0, 1 or 2. */
static Object *weakdict_list(Vm *vm, Object *self, int what) {
    Object *result = list_new(vm, 0);
    size_t pos = 0;
    Object *k, *v;
    bool values = is_value_dict(self);
    while (result && dict_next(WD(self)->data, &pos, &k, &v)) {
        Object *key = values ? k : ((WeakRefObject *)k)->referent;
        Object *value = values ? ((WeakRefObject *)v)->referent : v;
        if (!key || !value) continue;
        Object *item = what == 0 ? NEWREF(key) : what == 1 ? NEWREF(value)
                                                           : tuple_pack(vm, 2, key, value);
        if (!item || list_append(vm, result, item) < 0) SETREF(vm, result, NULL);
        XDECREF(vm, item);
    }
    return result;
}

static Object *weakdict_iter(Vm *vm, Object *self) {
    Object *keys = weakdict_list(vm, self, 0);
    if (!keys) return NULL;
    Object *it = obj_iter(vm, keys);
    DECREF(vm, keys);
    return it;
}

static Object *weakdict_keys(Vm *vm, Object *self, Object **a, size_t n, Object *kw) {
    if (args_check(vm, "keys", n, kw, 0, 0) < 0) return NULL;
    return weakdict_list(vm, self, 0);
}

static Object *weakdict_values(Vm *vm, Object *self, Object **a, size_t n, Object *kw) {
    if (args_check(vm, "values", n, kw, 0, 0) < 0) return NULL;
    return weakdict_list(vm, self, 1);
}

static Object *weakdict_items(Vm *vm, Object *self, Object **a, size_t n, Object *kw) {
    if (args_check(vm, "items", n, kw, 0, 0) < 0) return NULL;
    return weakdict_list(vm, self, 2);
}

static Object *weakdict_get(Vm *vm, Object *self, Object **a, size_t n, Object *kw) {
    if (args_check(vm, "get", n, kw, 1, 2) < 0) return NULL;
    Object *r = weakdict_getitem(vm, self, a[0]);
    if (r || !err_matches(vm, &KeyErrorType)) return r;
    err_clear(vm);
    return NEWREF(n > 1 ? a[1] : vm->none);
}

static Object *weakdict_pop(Vm *vm, Object *self, Object **a, size_t n, Object *kw) {
    if (args_check(vm, "pop", n, kw, 1, 2) < 0) return NULL;
    Object *r = weakdict_getitem(vm, self, a[0]);
    if (!r) {
        if (n < 2 || !err_matches(vm, &KeyErrorType)) return NULL;
        err_clear(vm);
        return NEWREF(a[1]);
    }
    if (weakdict_setitem(vm, self, a[0], NULL) < 0) {
        DECREF(vm, r);
        return NULL;
    }
    return r;
}

static Object *weakdict_setdefault(Vm *vm, Object *self, Object **a, size_t n, Object *kw) {
    if (args_check(vm, "setdefault", n, kw, 1, 2) < 0) return NULL;
    Object *r = weakdict_getitem(vm, self, a[0]);
    if (r || !err_matches(vm, &KeyErrorType)) return r;
    err_clear(vm);
    Object *dflt = n > 1 ? a[1] : vm->none;
    if (weakdict_setitem(vm, self, a[0], dflt) < 0) return NULL;
    return NEWREF(dflt);
}

static Object *weakdict_clear_m(Vm *vm, Object *self, Object **a, size_t n, Object *kw) {
    if (args_check(vm, "clear", n, kw, 0, 0) < 0) return NULL;
    dict_clear(vm, WD(self)->data);
    RETURN_NONE(vm);
}

static Object *weakdict_update(Vm *vm, Object *self, Object **a, size_t n, Object *kw) {
    if (weakdict_init(vm, self, a, n, kw) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *weakdict_repr(Vm *vm, Object *self) {
    char buf[96];
    snprintf(buf, sizeof buf, "<%s at 0x%llx>", type_name(self->type),
             (unsigned long long)obj_address(self));
    return str_from_cstr(vm, buf);
}

/* ---- lifetime ---- */

static int weakdict_traverse(Vm *vm, Object *self, VisitFn visit, void *arg) {
    WeakDictObject *d = WD(self);
    if (d->data && visit(vm, d->data, arg)) return 1;
    return d->remover ? visit(vm, d->remover, arg) : 0;
}

static void weakdict_clear(Vm *vm, Object *self) {
    SETREF(vm, WD(self)->data, NULL);
    SETREF(vm, WD(self)->remover, NULL);
}

static void weakdict_dealloc(Vm *vm, Object *self) {
    weakdict_clear(vm, self);
    obj_free(vm, self);
}

static const MethodDef weakdict_methods[] = {
    {"keys", weakdict_keys, METH_INSTANCE},
    {"values", weakdict_values, METH_INSTANCE},
    {"items", weakdict_items, METH_INSTANCE},
    {"get", weakdict_get, METH_INSTANCE},
    {"pop", weakdict_pop, METH_INSTANCE},
    {"setdefault", weakdict_setdefault, METH_INSTANCE},
    {"clear", weakdict_clear_m, METH_INSTANCE},
    {"update", weakdict_update, METH_INSTANCE},
    {NULL},
};

#define WEAKDICT_TYPE(cname, pyname)                                              \
    Type cname = {                                                                \
        .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL}, \
        .name = pyname,                                                           \
        .basicsize = sizeof(WeakDictObject),                                      \
        .modelled_size = 48,                                                      \
        .tflags = TP_GC | TP_BASETYPE,                                            \
        .methods = weakdict_methods,                                              \
        .dealloc = weakdict_dealloc,                                              \
        .traverse = weakdict_traverse,                                            \
        .clear = weakdict_clear,                                                  \
        .repr = weakdict_repr,                                                    \
        .len = weakdict_len,                                                      \
        .getitem = weakdict_getitem,                                              \
        .setitem = weakdict_setitem,                                              \
        .contains = weakdict_contains,                                            \
        .iter = weakdict_iter,                                                    \
        .new_ = weakdict_new,                                                     \
        .init = weakdict_init,                                                    \
        .weaklist_offset = offsetof(WeakDictObject, weaklist),                    \
    };

WEAKDICT_TYPE(WeakValueDictType, "WeakValueDictionary")
WEAKDICT_TYPE(WeakKeyDictType, "WeakKeyDictionary")

int weakdict_add_types(Vm *vm, Object *module) {
    if (module_add_object(vm, module, "WeakValueDictionary", &WeakValueDictType.ob) < 0) return -1;
    return module_add_object(vm, module, "WeakKeyDictionary", &WeakKeyDictType.ob);
}
