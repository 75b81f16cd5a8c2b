/* slots.c — the slots of user classes: each dispatches to the class's dunder method
 * (__repr__, __eq__, __add__/__radd__/__iadd__, __getitem__, __getattr__, __init__,
 * ...), and type_fixup_slots decides, from the MRO, which slots a class gets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "class.h"
#include "dict.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "str.h"
#include "tuple.h"

/* Returns the type in [type]'s MRO whose dict defines [name] first, or NULL. */
static Type *defining_type(Type *type, const char *name)
{
    Object *mro = type->mro;
    if (!mro) return NULL;
    for (size_t i = 0; i < TUPLE_SIZE(mro); i++) {
        Type *t = (Type *)TUPLE_ITEM(mro, i);
        if (t->dict && type_dict_get_cstr(t->dict, name)) return t;
    }
    return NULL;
}

/* True if [name] is defined first by a user class along [type]'s MRO. */
static bool heap_defines(Type *type, const char *name)
{
    Type *t = defining_type(type, name);
    return t && (t->tflags & TP_HEAPTYPE);
}

/* Calls [method] (found on type(self)) with self prepended to [args]. */
Object *class_call_unbound(Vm *vm, Object *method, Object *self, Object **args, size_t nargs,
                            Object *kwnames)
{
    if (TYPE(method) == &FunctionType) {
        size_t total = nargs + args_nkw(kwnames) + 1;
        Object *small[8];
        Object **all = total <= 8 ? small : malloc(total * sizeof(Object *));
        if (!all) return err_no_memory(vm);
        all[0] = self;
        if (total > 1) memcpy(all + 1, args, (total - 1) * sizeof(Object *));
        Object *r = vm_call_function(vm, method, all, nargs + 1, kwnames);
        if (all != small) free(all);
        return r;
    }
    Object *bound = descr_bind(vm, method, self, TYPE(self));
    if (!bound) return NULL;
    Object *r = obj_call(vm, bound, args, nargs, kwnames);
    DECREF(vm, bound);
    return r;
}

/* Looks [name] up on type(self) and calls it; *[found] tells whether it exists
 * (NULL without exception when it does not). */
static Object *call_dunder(Vm *vm, Object *self, const char *name, bool *found, Object **args,
                           size_t nargs)
{
    Object *m = type_lookup_str(TYPE(self), name);
    if (found) *found = m != NULL;
    if (!m) {
        if (!found) err_format(vm, &AttributeErrorType, "%s", name);
        return NULL;
    }
    INCREF(m);
    Object *r = class_call_unbound(vm, m, self, args, nargs, NULL);
    DECREF(vm, m);
    return r;
}

/* ---- Heap-type slots: dispatch to the class's dunder methods ---- */

static Object *slot_repr(Vm *vm, Object *self) { return call_dunder(vm, self, "__repr__", NULL, NULL, 0); }
static Object *slot_str(Vm *vm, Object *self) { return call_dunder(vm, self, "__str__", NULL, NULL, 0); }

static Hash slot_hash(Vm *vm, Object *self)
{
    Object *r = call_dunder(vm, self, "__hash__", NULL, NULL, 0);
    if (!r) return -1;
    if (!INT_CHECK(r)) {
        DECREF(vm, r);
        err_format(vm, &TypeErrorType, "__hash__ method should return an integer");
        return -1;
    }
    /* As CPython's slot_tp_hash: a result that fits is the hash itself, a bigger int
     * is hashed. */
    int64_t h;
    if (int_as_i64(vm, r, &h) < 0) {
        err_clear(vm);
        h = int_hash_value(r);
    }
    DECREF(vm, r);
    return h == -1 ? -2 : h;
}

static const char *const cmp_dunder[] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};

static Object *slot_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    bool found;
    Object *r = call_dunder(vm, a, cmp_dunder[op], &found, &b, 1);
    if (!found) return NEWREF(vm->not_implemented);
    return r;
}

static const char *const binop_dunder[] = {
#define X(n, sym, dunder) dunder,
    BINOP_LIST(X)
#undef X
};

/* Builds "__radd__" / "__iadd__" from "__add__". */
static void variant_name(char *out, size_t size, int op, char prefix)
{
    snprintf(out, size, "__%c%s", prefix, binop_dunder[op] + 2);
}

static Object *call_binary(Vm *vm, Object *self, const char *name, Object *other)
{
    bool found;
    Object *r = call_dunder(vm, self, name, &found, &other, 1);
    if (!found) return NEWREF(vm->not_implemented);
    return r;
}

static Object *slot_binop(Vm *vm, Object *a, Object *b, int op)
{
    int base = op & ~BINOP_INPLACE;
    char rname[24], iname[24];
    variant_name(rname, sizeof rname, base, 'r');
    if (op & BINOP_INPLACE) {
        variant_name(iname, sizeof iname, base, 'i');
        return call_binary(vm, a, iname, b);
    }
    Type *ta = TYPE(a), *tb = TYPE(b);
    bool do_other = ta != tb && tb->binop == slot_binop && type_lookup_str(tb, rname);
    if (ta->binop == slot_binop) {
        if (do_other && type_is_subtype(tb, ta) &&
            type_lookup_str(tb, rname) != type_lookup_str(ta, rname)) {
            Object *r = call_binary(vm, b, rname, a);
            if (r != vm->not_implemented) return r;
            DECREF(vm, r);
            do_other = false;
        }
        Object *r = call_binary(vm, a, binop_dunder[base], b);
        if (r != vm->not_implemented || ta == tb) return r;
        DECREF(vm, r);
    }
    if (do_other) return call_binary(vm, b, rname, a);
    return NEWREF(vm->not_implemented);
}

static Object *slot_unop(Vm *vm, Object *self, int op)
{
    static const char *const names[] = {"__neg__", "__pos__", "__invert__"};
    bool found;
    Object *r = call_dunder(vm, self, names[op], &found, NULL, 0);
    if (!found) return NEWREF(vm->not_implemented);
    return r;
}

static int slot_is_true(Vm *vm, Object *self)
{
    Object *r = call_dunder(vm, self, "__bool__", NULL, NULL, 0);
    if (!r) return -1;
    int t = r == vm->true_ ? 1 : r == vm->false_ ? 0 : -1;
    if (t < 0)
        err_format(vm, &TypeErrorType, "__bool__ should return bool, returned %s",
                   type_name(TYPE(r)));
    DECREF(vm, r);
    return t;
}

static int64_t slot_len(Vm *vm, Object *self)
{
    Object *r = call_dunder(vm, self, "__len__", NULL, NULL, 0);
    if (!r) return -1;
    if (!INT_CHECK(r)) {
        err_format(vm, &TypeErrorType, "'%s' object cannot be interpreted as an integer",
                   type_name(TYPE(r)));
        DECREF(vm, r);
        return -1;
    }
    int64_t n;
    int ok = int_as_i64(vm, r, &n);
    DECREF(vm, r);
    if (ok < 0) { /* past Py_ssize_t */
        err_clear(vm);
        err_format(vm, &OverflowErrorType, "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    if (n < 0) {
        err_format(vm, &ValueErrorType, "__len__() should return >= 0");
        return -1;
    }
    return n;
}

static Object *slot_getitem(Vm *vm, Object *self, Object *key)
{
    return call_dunder(vm, self, "__getitem__", NULL, &key, 1);
}

static int slot_setitem(Vm *vm, Object *self, Object *key, Object *value)
{
    Object *args[2] = {key, value};
    Object *r = value ? call_dunder(vm, self, "__setitem__", NULL, args, 2)
                      : call_dunder(vm, self, "__delitem__", NULL, args, 1);
    if (!r) return -1;
    DECREF(vm, r);
    return 0;
}

static int slot_contains(Vm *vm, Object *self, Object *item)
{
    Object *r = call_dunder(vm, self, "__contains__", NULL, &item, 1);
    if (!r) return -1;
    int t = obj_is_true(vm, r);
    DECREF(vm, r);
    return t;
}

static Object *slot_iter(Vm *vm, Object *self)
{
    Object *m = type_lookup_str(TYPE(self), "__iter__");
    if (m == vm->none)
        return err_format(vm, &TypeErrorType, "'%s' object is not iterable", type_name(TYPE(self)));
    return call_dunder(vm, self, "__iter__", NULL, NULL, 0);
}

static Object *slot_iternext(Vm *vm, Object *self)
{
    Object *r = call_dunder(vm, self, "__next__", NULL, NULL, 0);
    if (!r && err_matches(vm, &StopIterationType)) err_clear(vm);
    return r;
}

static Object *slot_call(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    Object *m = type_lookup_str(TYPE(self), "__call__");
    if (!m)
        return err_format(vm, &TypeErrorType, "'%s' object is not callable", type_name(TYPE(self)));
    INCREF(m);
    Object *r = class_call_unbound(vm, m, self, args, nargs, kwnames);
    DECREF(vm, m);
    return r;
}

/* The getattr of the nearest base that is not dispatching to __getattr__. */
static Object *inherited_getattr(Vm *vm, Object *self, Object *name)
{
    Object *ga = type_lookup_str(TYPE(self), "__getattribute__");
    if (ga && heap_defines(TYPE(self), "__getattribute__")) {
        INCREF(ga);
        Object *r = class_call_unbound(vm, ga, self, &name, 1, NULL);
        DECREF(vm, ga);
        return r;
    }
    Type *b = type_static_base(TYPE(self));
    return b->getattr ? b->getattr(vm, self, name) : obj_generic_getattr(vm, self, name);
}

static Object *slot_getattr(Vm *vm, Object *self, Object *name)
{
    Object *r = inherited_getattr(vm, self, name);
    if (r || !err_matches(vm, &AttributeErrorType)) return r;
    Object *ga = type_lookup_str(TYPE(self), "__getattr__");
    if (!ga) return NULL;
    err_clear(vm);
    INCREF(ga);
    r = class_call_unbound(vm, ga, self, &name, 1, NULL);
    DECREF(vm, ga);
    return r;
}

static int slot_setattr(Vm *vm, Object *self, Object *name, Object *value)
{
    const char *dunder = value ? "__setattr__" : "__delattr__";
    Object *r;
    if (heap_defines(TYPE(self), dunder)) {
        Object *args[2] = {name, value};
        r = call_dunder(vm, self, dunder, NULL, args, value ? 2 : 1);
        if (!r) return -1;
        DECREF(vm, r);
        return 0;
    }
    Type *b = type_static_base(TYPE(self));
    return b->setattr ? b->setattr(vm, self, name, value)
                      : obj_generic_setattr(vm, self, name, value);
}

static Object *slot_descr_get(Vm *vm, Object *descr, Object *obj, Object *type)
{
    Object *args[2] = {obj ? obj : vm->none, type ? type : vm->none};
    return call_dunder(vm, descr, "__get__", NULL, args, 2);
}

static int slot_descr_set(Vm *vm, Object *descr, Object *obj, Object *value)
{
    Object *args[2] = {obj, value};
    Object *r = value ? call_dunder(vm, descr, "__set__", NULL, args, 2)
                      : call_dunder(vm, descr, "__delete__", NULL, args, 1);
    if (!r) return -1;
    DECREF(vm, r);
    return 0;
}

static Object *slot_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    Object *m = type_lookup_str(type, "__new__");
    if (!m) return err_format(vm, &AttributeErrorType, "__new__");
    Object *func = descr_bind(vm, m, NULL, type);
    if (!func) return NULL;
    size_t total = nargs + args_nkw(kwnames) + 1;
    Object **all = malloc(total * sizeof(Object *));
    if (!all) {
        DECREF(vm, func);
        return err_no_memory(vm);
    }
    all[0] = (Object *)type;
    if (total > 1) memcpy(all + 1, args, (total - 1) * sizeof(Object *));
    Object *r = obj_call(vm, func, all, nargs + 1, kwnames);
    free(all);
    DECREF(vm, func);
    return r;
}

static int slot_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    Object *m = type_lookup_lit(TYPE(self), "__init__");
    if (!m) return 0;
    INCREF(m);
    Object *r = class_call_unbound(vm, m, self, args, nargs, kwnames);
    DECREF(vm, m);
    if (!r) return -1;
    if (r != vm->none) {
        err_format(vm, &TypeErrorType, "__init__() should return None, not '%s'",
                   type_name(TYPE(r)));
        DECREF(vm, r);
        return -1;
    }
    DECREF(vm, r);
    return 0;
}

static bool heap_defines_any(Type *t, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (heap_defines(t, names[i])) return true;
    return false;
}

static bool heap_defines_binop(Type *t)
{
    char name[24];
    for (int op = 0; op < BINOP_COUNT; op++) {
        if (heap_defines(t, binop_dunder[op])) return true;
        variant_name(name, sizeof name, op, 'r');
        if (heap_defines(t, name)) return true;
        variant_name(name, sizeof name, op, 'i');
        if (heap_defines(t, name)) return true;
    }
    return false;
}

#define FIX(slot, cond, fn) t->slot = (cond) ? fn : b->slot

void type_fixup_slots(Vm *vm, Type *t)
{
    Type *b = t->base;
    static const char *const unops[] = {"__neg__", "__pos__", "__invert__"};
    static const char *const getattrs[] = {"__getattr__", "__getattribute__"};
    static const char *const setattrs[] = {"__setattr__", "__delattr__"};
    static const char *const items[] = {"__setitem__", "__delitem__"};
    static const char *const sets[] = {"__set__", "__delete__"};
    FIX(repr, heap_defines(t, "__repr__"), slot_repr);
    FIX(str, heap_defines(t, "__str__"), slot_str);
    /* A base whose str is just its repr (int, float) must let a user __repr__ show. */
    if (t->str == b->str && b->str == b->repr) t->str = ObjectType.str;
    FIX(richcompare, heap_defines_any(t, cmp_dunder, 6), slot_richcompare);
    FIX(binop, heap_defines_binop(t), slot_binop);
    FIX(unop, heap_defines_any(t, unops, 3), slot_unop);
    FIX(is_true, heap_defines(t, "__bool__"), slot_is_true);
    FIX(len, heap_defines(t, "__len__"), slot_len);
    FIX(getitem, heap_defines(t, "__getitem__"), slot_getitem);
    FIX(setitem, heap_defines_any(t, items, 2), slot_setitem);
    FIX(contains, heap_defines(t, "__contains__"), slot_contains);
    FIX(iter, heap_defines(t, "__iter__"), slot_iter);
    FIX(iternext, heap_defines(t, "__next__"), slot_iternext);
    FIX(call, heap_defines(t, "__call__"), slot_call);
    FIX(getattr, heap_defines_any(t, getattrs, 2), slot_getattr);
    FIX(setattr, heap_defines_any(t, setattrs, 2), slot_setattr);
    FIX(descr_get, heap_defines(t, "__get__"), slot_descr_get);
    FIX(descr_set, heap_defines_any(t, sets, 2), slot_descr_set);
    FIX(new_, heap_defines(t, "__new__"), slot_new);
    FIX(init, heap_defines(t, "__init__"), slot_init);
    if (type_lookup_str(t, "__del__")) t->tflags |= TP_HAS_DEL;
    else t->tflags &= ~(uint32_t)TP_HAS_DEL;
    Type *h = defining_type(t, "__hash__");
    if (h && (h->tflags & TP_HEAPTYPE))
        t->hash = dict_get_str(vm, h->dict, "__hash__") == vm->none ? NULL : slot_hash;
    else
        t->hash = b->hash;
}

#undef FIX

