/* descr.c — descriptors: the slot wrappers through which a static type's slots appear
 * as dunder methods (`object.__init__`, `int.__add__`), and the descriptor types
 * property, staticmethod, classmethod and super.
 */
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "class.h"
#include "dict.h"
#include "gc.h"
#include "events.h"
#include "exc.h"
#include "func.h"
#include "int.h"
#include "str.h"
#include "tuple.h"

/* ---- Slot wrappers ---- */

enum {
    SW_REPR, SW_STR, SW_HASH, SW_LT, SW_LE, SW_EQ, SW_NE, SW_GT, SW_GE, SW_LEN,
    SW_GETITEM, SW_SETITEM, SW_DELITEM, SW_CONTAINS, SW_ITER, SW_NEXT, SW_CALL, SW_INIT,
    SW_NEW, SW_GETATTRIBUTE, SW_SETATTR, SW_DELATTR, SW_BOOL, SW_NEG, SW_POS, SW_INVERT,
    SW_GET, SW_SET, SW_DELETE,
    SW_BINOP, /* + op */
    SW_RBINOP = SW_BINOP + BINOP_COUNT,
    SW_COUNT = SW_RBINOP + BINOP_COUNT
};

static const char *const fixed_names[SW_BINOP] = {
    "__repr__", "__str__", "__hash__", "__lt__", "__le__", "__eq__", "__ne__", "__gt__",
    "__ge__", "__len__", "__getitem__", "__setitem__", "__delitem__", "__contains__",
    "__iter__", "__next__", "__call__", "__init__", "__new__", "__getattribute__",
    "__setattr__", "__delattr__", "__bool__", "__neg__", "__pos__", "__invert__",
    "__get__", "__set__", "__delete__"};

static const char *const binop_names[] = {
#define X(n, sym, dunder) dunder,
    BINOP_LIST(X)
#undef X
};

static const char *const rbinop_names[] = {
    "__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rfloordiv__", "__rmod__",
    "__rpow__", "__rmatmul__", "__rlshift__", "__rrshift__", "__rand__", "__ror__",
    "__rxor__"};

static const char *slot_name(int slot)
{
    if (slot < SW_BINOP) return fixed_names[slot];
    if (slot < SW_RBINOP) return binop_names[slot - SW_BINOP];
    return rbinop_names[slot - SW_RBINOP];
}

/* Number of arguments (besides self) each wrapper takes; -1: any (init/call/new). */
static int slot_arity(int slot)
{
    switch (slot) {
    case SW_CALL: case SW_INIT: case SW_NEW: return -1;
    case SW_LT: case SW_LE: case SW_EQ: case SW_NE: case SW_GT: case SW_GE:
    case SW_GETITEM: case SW_DELITEM: case SW_CONTAINS: case SW_GETATTRIBUTE:
    case SW_DELATTR: case SW_DELETE: return 1;
    case SW_SETITEM: case SW_SETATTR: case SW_SET: case SW_GET: return 2;
    default: return slot >= SW_BINOP ? 1 : 0;
    }
}

static Object *sw_none_or_err(Vm *vm, int r) { return r < 0 ? NULL : NEWREF(vm->none); }

/* Runs slot [slot] of [t] on [self]. */
static Object *slot_invoke(Vm *vm, Type *t, int slot, Object *self, Object **args, size_t nargs,
                           Object *kwnames)
{
    int arity = slot_arity(slot);
    if (arity >= 0) {
        if (args_nkw(kwnames))
            return err_format(vm, &TypeErrorType, "wrapper %s() takes no keyword arguments",
                              slot_name(slot));
        if (slot == SW_GET && nargs == 1) {
            /* __get__(obj) with the type omitted */
        } else if ((int)nargs != arity) {
            return err_format(vm, &TypeErrorType, "expected %d argument%s, got %zu", arity,
                              arity == 1 ? "" : "s", nargs);
        }
    }
    int64_t n;
    int r;
    switch (slot) {
    case SW_REPR: return t->repr ? t->repr(vm, self) : object_repr(vm, self);
    case SW_STR: return t->str ? t->str(vm, self) : obj_repr(vm, self);
    case SW_HASH:
        n = t->hash ? t->hash(vm, self) : obj_hash(vm, self);
        return n == -1 && vm->exc ? NULL : int_from_i64(vm, n);
    case SW_LT: case SW_LE: case SW_EQ: case SW_NE: case SW_GT: case SW_GE:
        return t->richcompare(vm, self, args[0], slot - SW_LT);
    case SW_LEN:
        n = t->len(vm, self);
        return n < 0 ? NULL : int_from_i64(vm, n);
    case SW_GETITEM: return t->getitem(vm, self, args[0]);
    case SW_SETITEM: return sw_none_or_err(vm, t->setitem(vm, self, args[0], args[1]));
    case SW_DELITEM: return sw_none_or_err(vm, t->setitem(vm, self, args[0], NULL));
    case SW_CONTAINS:
        r = t->contains(vm, self, args[0]);
        return r < 0 ? NULL : bool_from(vm, r);
    case SW_ITER: return t->iter(vm, self);
    case SW_NEXT: {
        Object *x = t->iternext(vm, self);
        if (!x && !vm->exc) err_set(vm, &StopIterationType, NULL);
        return x;
    }
    case SW_CALL: return t->call(vm, self, args, nargs, kwnames);
    case SW_INIT: return sw_none_or_err(vm, t->init(vm, self, args, nargs, kwnames));
    case SW_GETATTRIBUTE:
        if (!STR_CHECK(args[0]))
            return err_format(vm, &TypeErrorType, "attribute name must be string, not '%s'",
                              type_name(TYPE(args[0])));
        return t->getattr ? t->getattr(vm, self, args[0]) : obj_generic_getattr(vm, self, args[0]);
    case SW_SETATTR: case SW_DELATTR:
        if (!STR_CHECK(args[0]))
            return err_format(vm, &TypeErrorType, "attribute name must be string, not '%s'",
                              type_name(TYPE(args[0])));
        return sw_none_or_err(vm, t->setattr(vm, self, args[0],
                                             slot == SW_SETATTR ? args[1] : NULL));
    case SW_BOOL:
        r = t->is_true(vm, self);
        return r < 0 ? NULL : bool_from(vm, r);
    case SW_NEG: case SW_POS: case SW_INVERT: return t->unop(vm, self, slot - SW_NEG);
    case SW_GET: {
        Object *obj = args[0] == vm->none ? NULL : args[0];
        Object *type = nargs > 1 && args[1] != vm->none ? args[1] : NULL;
        return t->descr_get(vm, self, obj, type);
    }
    case SW_SET: return sw_none_or_err(vm, t->descr_set(vm, self, args[0], args[1]));
    case SW_DELETE: return sw_none_or_err(vm, t->descr_set(vm, self, args[0], NULL));
    default:
        if (slot >= SW_RBINOP) return t->binop(vm, args[0], self, slot - SW_RBINOP);
        return t->binop(vm, self, args[0], slot - SW_BINOP);
    }
}

static Object *wrapper_new(Vm *vm, Type *wtype, Type *objclass, int slot, Object *self)
{
    DescrObject *d = (DescrObject *)obj_alloc(vm, wtype, sizeof(DescrObject));
    if (!d) return NULL;
    d->objclass = objclass;
    d->slot = slot;
    d->self = self ? NEWREF(self) : NULL;
    if (self) gc_track(vm, (Object *)d);
    return (Object *)d;
}

static Object *check_self(Vm *vm, DescrObject *d, Object *self)
{
    if (type_is_subtype(TYPE(self), d->objclass)) return self;
    return err_format(vm, &TypeErrorType, "descriptor '%s' requires a '%s' object but received a '%s'",
                      slot_name(d->slot), type_name(d->objclass), type_name(TYPE(self)));
}

static Object *slotwrapper_call(Vm *vm, Object *callable, Object **args, size_t nargs,
                                Object *kwnames)
{
    DescrObject *d = (DescrObject *)callable;
    if (d->slot == SW_NEW) {
        if (nargs < 1)
            return err_format(vm, &TypeErrorType, "%s.__new__(): not enough arguments",
                              type_name(d->objclass));
        Object *to = args[0];
        if (!(TYPE(to)->tflags & TP_TYPE_SUB))
            return err_format(vm, &TypeErrorType, "%s.__new__(X): X is not a type object (%s)",
                              type_name(d->objclass), type_name(TYPE(to)));
        if (!type_is_subtype((Type *)to, d->objclass))
            return err_format(vm, &TypeErrorType, "%s.__new__(%s): %s is not a subtype of %s",
                              type_name(d->objclass), type_name((Type *)to),
                              type_name((Type *)to), type_name(d->objclass));
        return d->objclass->new_(vm, (Type *)to, args + 1, nargs - 1, kwnames);
    }
    if (nargs < 1)
        return err_format(vm, &TypeErrorType, "descriptor '%s' of '%s' object needs an argument",
                          slot_name(d->slot), type_name(d->objclass));
    if (!check_self(vm, d, args[0])) return NULL;
    return slot_invoke(vm, d->objclass, d->slot, args[0], args + 1, nargs - 1, kwnames);
}

static Object *slotwrapper_get(Vm *vm, Object *descr, Object *obj, Object *type)
{
    DescrObject *d = (DescrObject *)descr;
    if (!obj || d->slot == SW_NEW) return NEWREF(descr);
    if (!check_self(vm, d, obj)) return NULL;
    return wrapper_new(vm, &MethodWrapperType, d->objclass, d->slot, obj);
}

static Object *slotwrapper_repr(Vm *vm, Object *self)
{
    DescrObject *d = (DescrObject *)self;
    if (d->slot == SW_NEW)
        return str_from_format(vm, "<built-in method __new__ of type object at 0x%llx>",
                               (unsigned long long)obj_address((Object *)d->objclass));
    return str_from_format(vm, "<slot wrapper '%s' of '%s' objects>", slot_name(d->slot),
                           type_name(d->objclass));
}

static void descr_dealloc(Vm *vm, Object *self)
{
    DescrObject *d = (DescrObject *)self;
    SETREF(vm, d->self, NULL);
    obj_free(vm, self);
}

static int descr_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    DescrObject *d = (DescrObject *)self;
    return d->self ? visit(vm, d->self, arg) : 0;
}

static void descr_clear(Vm *vm, Object *self)
{
    SETREF(vm, ((DescrObject *)self)->self, NULL);
}

static Object *methodwrapper_call(Vm *vm, Object *callable, Object **args, size_t nargs,
                                  Object *kwnames)
{
    DescrObject *d = (DescrObject *)callable;
    return slot_invoke(vm, d->objclass, d->slot, d->self, args, nargs, kwnames);
}

static Object *methodwrapper_repr(Vm *vm, Object *self)
{
    DescrObject *d = (DescrObject *)self;
    return str_from_format(vm, "<method-wrapper '%s' of %s object at 0x%llx>", slot_name(d->slot),
                           type_name(TYPE(d->self)), (unsigned long long)obj_address(d->self));
}

static Object *descr_getattr(Vm *vm, Object *self, Object *name)
{
    DescrObject *d = (DescrObject *)self;
    if (str_eq_cstr(name, "__name__") || str_eq_cstr(name, "__qualname__")) {
        if (TYPE(self) == &MemberDescrType) return NEWREF(d->name);
        if (TYPE(self) == &GetSetDescrType)
            return str_from_cstr(vm, d->slot == 0 ? "__dict__" : "__weakref__");
        return str_from_cstr(vm, slot_name(d->slot));
    }
    if (str_eq_cstr(name, "__objclass__")) return NEWREF((Object *)d->objclass);
    if (str_eq_cstr(name, "__self__") && d->self) return NEWREF(d->self);
    return obj_generic_getattr(vm, self, name);
}

Type SlotWrapperType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "wrapper_descriptor",
    .basicsize = sizeof(DescrObject),
    .modelled_size = 56,
    .dealloc = descr_dealloc,
    .repr = slotwrapper_repr,
    .call = slotwrapper_call,
    .getattr = descr_getattr,
    .descr_get = slotwrapper_get,
};

Type MethodWrapperType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "method-wrapper",
    .basicsize = sizeof(DescrObject),
    .modelled_size = 48,
    .tflags = TP_GC,
    .dealloc = descr_dealloc,
    .traverse = descr_traverse,
    .clear = descr_clear,
    .repr = methodwrapper_repr,
    .call = methodwrapper_call,
    .getattr = descr_getattr,
};

/* Whether static type [t] defines [slot] itself (not inherited unchanged). */
static bool defines_slot(Type *t, int slot)
{
    Type *b = t->base;
#define OWN(f) (t->f && (!b || t->f != b->f))
    switch (slot) {
    case SW_REPR: return OWN(repr);
    case SW_STR: return OWN(str);
    case SW_HASH: return OWN(hash);
    case SW_LT: case SW_LE: case SW_EQ: case SW_NE: case SW_GT: case SW_GE:
        return OWN(richcompare);
    case SW_LEN: return OWN(len);
    case SW_GETITEM: return OWN(getitem);
    case SW_SETITEM: case SW_DELITEM: return OWN(setitem);
    case SW_CONTAINS: return OWN(contains);
    case SW_ITER: return OWN(iter);
    case SW_NEXT: return OWN(iternext);
    case SW_CALL: return OWN(call);
    case SW_INIT: return OWN(init);
    case SW_NEW: return OWN(new_);
    case SW_GETATTRIBUTE: return OWN(getattr);
    case SW_SETATTR: case SW_DELATTR: return OWN(setattr);
    case SW_BOOL: return OWN(is_true);
    case SW_NEG: case SW_POS: return OWN(unop);
    case SW_INVERT: return OWN(unop) && (t->tflags & TP_INT_SUB);
    case SW_GET: return OWN(descr_get);
    case SW_SET: case SW_DELETE: return OWN(descr_set);
    default: return OWN(binop);
    }
#undef OWN
}

int descr_add_slot_wrappers(Vm *vm, Type *t)
{
    for (int slot = 0; slot < SW_COUNT; slot++) {
        if (!defines_slot(t, slot)) continue;
        const char *name = slot_name(slot);
        if (dict_get_str(vm, t->dict, name)) continue;
        Object *w = wrapper_new(vm, &SlotWrapperType, t, slot, NULL);
        if (!w) return -1;
        w->flags |= OF_IMMORTAL;
        int r = dict_set_str(vm, t->dict, name, w);
        DECREF(vm, w);
        if (r < 0) return -1;
    }
    if (!t->hash && t->richcompare && !dict_get_str(vm, t->dict, "__hash__"))
        return dict_set_str(vm, t->dict, "__hash__", vm->none);
    return 0;
}

/* ---- property ---- */

static Object *property_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    Object *o = obj_alloc(vm, type, type->basicsize);
    if (o) gc_track(vm, o);
    return o;
}

static int property_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    static const char *const names[] = {"fget", "fset", "fdel", "doc", NULL};
    Object *v[4] = {NULL, NULL, NULL, NULL};
    if (args_unpack(vm, "property", args, nargs, kwnames, names, 0, 4, v) < 0) return -1;
    PropertyObject *p = (PropertyObject *)self;
    for (int i = 0; i < 4; i++)
        if (v[i] == vm->none) v[i] = NULL;
    SETREF(vm, p->fget, v[0] ? NEWREF(v[0]) : NULL);
    SETREF(vm, p->fset, v[1] ? NEWREF(v[1]) : NULL);
    SETREF(vm, p->fdel, v[2] ? NEWREF(v[2]) : NULL);
    Object *doc = v[3];
    if (!doc && p->fget) {
        doc = obj_lookup_attr(vm, p->fget, str_intern_cstr(vm, "__doc__"));
        if (!doc && vm->exc) return -1;
        SETREF(vm, p->doc, doc);
        return 0;
    }
    SETREF(vm, p->doc, doc ? NEWREF(doc) : NULL);
    return 0;
}

/* The property's name for error messages: fget.__name__ when available. */
static Object *property_name(Vm *vm, PropertyObject *p)
{
    Object *f = p->fget ? p->fget : p->fset ? p->fset : p->fdel;
    if (!f) return NULL;
    Object *n = obj_getattr_cstr(vm, f, "__name__");
    if (!n) err_clear(vm);
    return n;
}

static Object *property_error(Vm *vm, PropertyObject *p, Object *obj, const char *what)
{
    Object *name = property_name(vm, p);
    if (name)
        err_format(vm, &AttributeErrorType, "property %R of '%s' object has %s", name,
                   type_name(TYPE(obj)), what);
    else
        err_format(vm, &AttributeErrorType, "property of '%s' object has %s",
                   type_name(TYPE(obj)), what);
    XDECREF(vm, name);
    return NULL;
}

static Object *property_get(Vm *vm, Object *self, Object *obj, Object *type)
{
    PropertyObject *p = (PropertyObject *)self;
    if (!obj || obj == vm->none) return NEWREF(self);
    if (!p->fget) return property_error(vm, p, obj, "no getter");
    return obj_call(vm, p->fget, &obj, 1, NULL);
}

static int property_set(Vm *vm, Object *self, Object *obj, Object *value)
{
    PropertyObject *p = (PropertyObject *)self;
    Object *f = value ? p->fset : p->fdel;
    if (!f) {
        property_error(vm, p, obj, value ? "no setter" : "no deleter");
        return -1;
    }
    Object *args[2] = {obj, value};
    Object *r = obj_call(vm, f, args, value ? 2 : 1, NULL);
    if (!r) return -1;
    DECREF(vm, r);
    return 0;
}

/* Returns a copy of property [self] with one accessor replaced (getter/setter/deleter). */
static Object *property_copy(Vm *vm, Object *self, int which, Object *func)
{
    PropertyObject *p = (PropertyObject *)self;
    Object *fs[3] = {p->fget, p->fset, p->fdel};
    fs[which] = func;
    Object *args[4];
    for (int i = 0; i < 3; i++) args[i] = fs[i] ? fs[i] : vm->none;
    args[3] = p->doc && which != 0 ? p->doc : vm->none;
    return obj_call(vm, (Object *)TYPE(self), args, 4, NULL);
}

static Object *property_getter(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "getter", nargs, kw, 1, 1) < 0) return NULL;
    return property_copy(vm, self, 0, args[0]);
}

static Object *property_setter(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "setter", nargs, kw, 1, 1) < 0) return NULL;
    return property_copy(vm, self, 1, args[0]);
}

static Object *property_deleter(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "deleter", nargs, kw, 1, 1) < 0) return NULL;
    return property_copy(vm, self, 2, args[0]);
}

static Object *property_getattr(Vm *vm, Object *self, Object *name)
{
    PropertyObject *p = (PropertyObject *)self;
    Object *v = NULL;
    if (str_eq_cstr(name, "fget")) v = p->fget;
    else if (str_eq_cstr(name, "fset")) v = p->fset;
    else if (str_eq_cstr(name, "fdel")) v = p->fdel;
    else if (str_eq_cstr(name, "__doc__")) v = p->doc;
    else return obj_generic_getattr(vm, self, name);
    return NEWREF(v ? v : vm->none);
}

static void property_clear(Vm *vm, Object *self)
{
    PropertyObject *p = (PropertyObject *)self;
    SETREF(vm, p->fget, NULL);
    SETREF(vm, p->fset, NULL);
    SETREF(vm, p->fdel, NULL);
    SETREF(vm, p->doc, NULL);
}

static void property_dealloc(Vm *vm, Object *self)
{
    property_clear(vm, self);
    obj_free(vm, self);
}

static int property_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    PropertyObject *p = (PropertyObject *)self;
    Object *refs[] = {p->fget, p->fset, p->fdel, p->doc};
    return visit_refs(vm, refs, 4, visit, arg);
}

static const MethodDef property_methods[] = {
    {"getter", property_getter, METH_INSTANCE},
    {"setter", property_setter, METH_INSTANCE},
    {"deleter", property_deleter, METH_INSTANCE},
    {NULL},
};

Type PropertyType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "property",
    .basicsize = sizeof(PropertyObject),
    .modelled_size = 56,
    .tflags = TP_GC | TP_BASETYPE,
    .methods = property_methods,
    .dealloc = property_dealloc,
    .traverse = property_traverse,
    .clear = property_clear,
    .getattr = property_getattr,
    .descr_get = property_get,
    .descr_set = property_set,
    .new_ = property_new,
    .init = property_init,
};

/* ---- staticmethod and classmethod ---- */

static Object *funcwrap_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    Object *o = obj_alloc(vm, type, type->basicsize);
    if (o) gc_track(vm, o);
    return o;
}

static int funcwrap_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    const char *name = TYPE(self) == &ClassMethodType ? "classmethod" : "staticmethod";
    if (args_check(vm, name, nargs, kwnames, 1, 1) < 0) return -1;
    SETREF(vm, ((StaticMethodObject *)self)->func, NEWREF(args[0]));
    return 0;
}

static void funcwrap_clear(Vm *vm, Object *self)
{
    SETREF(vm, ((StaticMethodObject *)self)->func, NULL);
    SETREF(vm, ((StaticMethodObject *)self)->dict, NULL);
}

static void funcwrap_dealloc(Vm *vm, Object *self)
{
    funcwrap_clear(vm, self);
    obj_free(vm, self);
}

static int funcwrap_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    StaticMethodObject *s = (StaticMethodObject *)self;
    int r = s->func ? visit(vm, s->func, arg) : 0;
    if (!r && s->dict) r = visit(vm, s->dict, arg);
    return r;
}

static Object *funcwrap_getattr(Vm *vm, Object *self, Object *name)
{
    StaticMethodObject *s = (StaticMethodObject *)self;
    if (str_eq_cstr(name, "__func__") || str_eq_cstr(name, "__wrapped__"))
        return NEWREF(s->func ? s->func : vm->none);
    if (s->func && (str_eq_cstr(name, "__name__") || str_eq_cstr(name, "__qualname__") ||
                    str_eq_cstr(name, "__doc__")))
        return obj_getattr(vm, s->func, name);
    return obj_generic_getattr(vm, self, name);
}

static Object *funcwrap_repr(Vm *vm, Object *self)
{
    StaticMethodObject *s = (StaticMethodObject *)self;
    return str_from_format(vm, "<%s(%R)>", type_name(TYPE(self)), s->func ? s->func : vm->none);
}

static Object *staticmethod_get(Vm *vm, Object *self, Object *obj, Object *type)
{
    Object *f = ((StaticMethodObject *)self)->func;
    if (!f) return err_format(vm, &RuntimeErrorType, "uninitialized staticmethod object");
    return NEWREF(f);
}

static Object *staticmethod_call(Vm *vm, Object *self, Object **args, size_t nargs,
                                 Object *kwnames)
{
    return obj_call(vm, ((StaticMethodObject *)self)->func, args, nargs, kwnames);
}

static Object *classmethod_get(Vm *vm, Object *self, Object *obj, Object *type)
{
    Object *f = ((StaticMethodObject *)self)->func;
    if (!f) return err_format(vm, &RuntimeErrorType, "uninitialized classmethod object");
    if (!type) type = (Object *)TYPE(obj);
    if (TYPE(f)->descr_get && TYPE(f) != &FunctionType)
        return TYPE(f)->descr_get(vm, f, type, NULL);
    return method_new(vm, f, type);
}

Type StaticMethodType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "staticmethod",
    .basicsize = sizeof(StaticMethodObject),
    .modelled_size = 56,
    .tflags = TP_GC | TP_BASETYPE,
    .dealloc = funcwrap_dealloc,
    .traverse = funcwrap_traverse,
    .clear = funcwrap_clear,
    .repr = funcwrap_repr,
    .call = staticmethod_call,
    .getattr = funcwrap_getattr,
    .descr_get = staticmethod_get,
    .new_ = funcwrap_new,
    .init = funcwrap_init,
    .dict_offset = offsetof(StaticMethodObject, dict),
};

Type ClassMethodType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "classmethod",
    .basicsize = sizeof(StaticMethodObject),
    .modelled_size = 56,
    .tflags = TP_GC | TP_BASETYPE,
    .dealloc = funcwrap_dealloc,
    .traverse = funcwrap_traverse,
    .clear = funcwrap_clear,
    .repr = funcwrap_repr,
    .getattr = funcwrap_getattr,
    .descr_get = classmethod_get,
    .new_ = funcwrap_new,
    .init = funcwrap_init,
    .dict_offset = offsetof(StaticMethodObject, dict),
};

/* ---- super ---- */

/* Replaces the type reference in *[slot] with [value] (new reference taken). */
static void set_type_ref(Vm *vm, Type **slot, Type *value)
{
    Type *old = *slot;
    if (value) INCREF(value);
    *slot = value;
    if (old) DECREF(vm, old);
}

/* Checks super(type, obj) and returns the type whose MRO is searched (borrowed). */
static Type *super_check(Vm *vm, Type *type, Object *obj)
{
    if ((TYPE(obj)->tflags & TP_TYPE_SUB) && type_is_subtype((Type *)obj, type))
        return (Type *)obj;
    if (type_is_subtype(TYPE(obj), type)) return TYPE(obj);
    err_format(vm, &TypeErrorType, "super(type, obj): obj must be an instance or subtype of type");
    return NULL;
}

static Object *super_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    Object *o = obj_alloc(vm, type, type->basicsize);
    if (o) gc_track(vm, o);
    return o;
}

static int super_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    if (args_check(vm, "super", nargs, kwnames, 0, 2) < 0) return -1;
    Type *type;
    Object *obj = NULL;
    if (nargs == 0) {
        if (vm_super_args(vm, &type, &obj) < 0) return -1;
    } else {
        if (!(TYPE(args[0])->tflags & TP_TYPE_SUB)) {
            err_format(vm, &TypeErrorType, "super() argument 1 must be a type, not %s",
                       type_name(TYPE(args[0])));
            return -1;
        }
        type = (Type *)args[0];
        obj = nargs > 1 && args[1] != vm->none ? args[1] : NULL;
    }
    Type *obj_type = NULL;
    if (obj && !(obj_type = super_check(vm, type, obj))) return -1;
    SuperObject *s = (SuperObject *)self;
    set_type_ref(vm, &s->type, type);
    SETREF(vm, s->obj, obj ? NEWREF(obj) : NULL);
    set_type_ref(vm, &s->obj_type, obj_type);
    return 0;
}

static Object *super_getattr(Vm *vm, Object *self, Object *name)
{
    SuperObject *s = (SuperObject *)self;
    if (s->obj_type && !str_eq_cstr(name, "__class__")) {
        Object *mro = s->obj_type->mro;
        size_t n = TUPLE_SIZE(mro), i = 0;
        while (i < n && (Type *)TUPLE_ITEM(mro, i) != s->type) i++;
        for (i++; i < n; i++) {
            Type *t = (Type *)TUPLE_ITEM(mro, i);
            Object *v = t->dict ? dict_get(vm, t->dict, name) : NULL;
            if (!v) continue;
            Object *obj = s->obj == (Object *)s->obj_type ? NULL : s->obj;
            return descr_bind(vm, v, obj, s->obj_type);
        }
    }
    return obj_generic_getattr(vm, self, name);
}

static Object *super_repr(Vm *vm, Object *self)
{
    SuperObject *s = (SuperObject *)self;
    if (s->obj_type)
        return str_from_format(vm, "<super: <class '%s'>, <%s object>>", type_name(s->type),
                               type_name(s->obj_type));
    return str_from_format(vm, "<super: <class '%s'>, NULL>", type_name(s->type));
}

static void super_clear(Vm *vm, Object *self)
{
    SuperObject *s = (SuperObject *)self;
    set_type_ref(vm, &s->type, NULL);
    SETREF(vm, s->obj, NULL);
    set_type_ref(vm, &s->obj_type, NULL);
}

static void super_dealloc(Vm *vm, Object *self)
{
    super_clear(vm, self);
    obj_free(vm, self);
}

static int super_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    SuperObject *s = (SuperObject *)self;
    Object *refs[] = {(Object *)s->type, s->obj, (Object *)s->obj_type};
    return visit_refs(vm, refs, 3, visit, arg);
}

Type SuperType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "super",
    .basicsize = sizeof(SuperObject),
    .modelled_size = 48,
    .tflags = TP_GC | TP_BASETYPE,
    .dealloc = super_dealloc,
    .traverse = super_traverse,
    .clear = super_clear,
    .repr = super_repr,
    .getattr = super_getattr,
    .new_ = super_new,
    .init = super_init,
};

/* ---- getset descriptors: __dict__ and __weakref__ of user classes ---- */

enum { GS_DICT, GS_WEAKREF };

Object *descr_new_getset(Vm *vm, Type *owner, int which)
{
    DescrObject *d = (DescrObject *)obj_alloc(vm, &GetSetDescrType, sizeof(DescrObject));
    if (!d) return NULL;
    d->objclass = owner;
    INCREF(owner);
    d->slot = which;
    gc_track(vm, (Object *)d);
    return (Object *)d;
}

static void getset_clear(Vm *vm, Object *self)
{
    DescrObject *d = (DescrObject *)self;
    Type *owner = d->objclass;
    d->objclass = NULL;
    if (owner) DECREF(vm, owner);
}

static void getset_dealloc(Vm *vm, Object *self)
{
    getset_clear(vm, self);
    obj_free(vm, self);
}

static int getset_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    DescrObject *d = (DescrObject *)self;
    return d->objclass ? visit(vm, (Object *)d->objclass, arg) : 0;
}

static const char *getset_name(DescrObject *d) { return d->slot == GS_DICT ? "__dict__" : "__weakref__"; }

static Object *getset_get(Vm *vm, Object *descr, Object *obj, Object *type)
{
    DescrObject *d = (DescrObject *)descr;
    if (!obj) return NEWREF(descr);
    Type *t = TYPE(obj);
    if (d->slot == GS_DICT) {
        Object **slot = (Object **)((char *)obj + t->dict_offset);
        if (!*slot && !(*slot = dict_new(vm))) return NULL;
        gc_dict_materialize(vm, *slot);
        return NEWREF(*slot);
    }
    Object *head = *(Object **)((char *)obj + t->weaklist_offset);
    return NEWREF(head ? head : vm->none);
}

static int getset_set(Vm *vm, Object *descr, Object *obj, Object *value)
{
    DescrObject *d = (DescrObject *)descr;
    if (d->slot == GS_WEAKREF) {
        err_format(vm, &AttributeErrorType, "attribute '__weakref__' of '%s' objects is not writable",
                   d->objclass ? type_name(d->objclass) : "?");
        return -1;
    }
    if (!value) {
        err_format(vm, &TypeErrorType, "cannot delete __dict__");
        return -1;
    }
    if (TYPE(value) != &DictType && !(TYPE(value)->tflags & TP_DICT_SUB)) {
        err_format(vm, &TypeErrorType, "__dict__ must be set to a dictionary, not a '%s'",
                   type_name(TYPE(value)));
        return -1;
    }
    Object **slot = (Object **)((char *)obj + TYPE(obj)->dict_offset);
    SETREF(vm, *slot, NEWREF(value));
    return 0;
}

static Object *getset_repr(Vm *vm, Object *self)
{
    DescrObject *d = (DescrObject *)self;
    return str_from_format(vm, "<attribute '%s' of '%s' objects>", getset_name(d),
                           d->objclass ? type_name(d->objclass) : "?");
}

Type GetSetDescrType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "getset_descriptor",
    .basicsize = sizeof(DescrObject),
    .modelled_size = 56,
    .tflags = TP_GC,
    .dealloc = getset_dealloc,
    .traverse = getset_traverse,
    .clear = getset_clear,
    .repr = getset_repr,
    .getattr = descr_getattr,
    .descr_get = getset_get,
    .descr_set = getset_set,
};

/* ---- member descriptors: the __slots__ of user classes ---- */

Object *descr_new_member(Vm *vm, Type *owner, Object *name, size_t offset)
{
    DescrObject *d = (DescrObject *)obj_alloc(vm, &MemberDescrType, sizeof(DescrObject));
    if (!d) return NULL;
    d->objclass = owner;
    INCREF(owner);
    d->name = NEWREF(name);
    d->offset = offset;
    gc_track(vm, (Object *)d);
    return (Object *)d;
}

static void member_clear(Vm *vm, Object *self)
{
    getset_clear(vm, self);
}

static void member_dealloc(Vm *vm, Object *self)
{
    getset_clear(vm, self);
    SETREF(vm, ((DescrObject *)self)->name, NULL);
    obj_free(vm, self);
}

static Object *member_check(Vm *vm, DescrObject *d, Object *obj)
{
    if (d->objclass && type_is_subtype(TYPE(obj), d->objclass)) return obj;
    return err_format(vm, &TypeErrorType,
                      "descriptor '%U' for '%s' objects doesn't apply to a '%s' object", d->name,
                      d->objclass ? type_name(d->objclass) : "?", type_name(TYPE(obj)));
}

static Object *member_get(Vm *vm, Object *descr, Object *obj, Object *type)
{
    DescrObject *d = (DescrObject *)descr;
    if (!obj) return NEWREF(descr);
    if (!member_check(vm, d, obj)) return NULL;
    Object *v = *(Object **)((char *)obj + d->offset);
    if (!v) {
        exc_attribute_error(vm, obj, d->name);
        return NULL;
    }
    return NEWREF(v);
}

static int member_set(Vm *vm, Object *descr, Object *obj, Object *value)
{
    DescrObject *d = (DescrObject *)descr;
    if (!member_check(vm, d, obj)) return -1;
    Object **slot = (Object **)((char *)obj + d->offset);
    if (!value && !*slot) {
        exc_attribute_error(vm, obj, d->name);
        return -1;
    }
    EV(vm, mutate, obj); /* the event stream reports __slots__ values */
    SETREF(vm, *slot, value ? NEWREF(value) : NULL);
    return 0;
}

static Object *member_repr(Vm *vm, Object *self)
{
    DescrObject *d = (DescrObject *)self;
    return str_from_format(vm, "<member %R of '%s' objects>", d->name,
                           d->objclass ? type_name(d->objclass) : "?");
}

Type MemberDescrType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "member_descriptor",
    .basicsize = sizeof(DescrObject),
    .modelled_size = 64,
    .tflags = TP_GC,
    .dealloc = member_dealloc,
    .traverse = getset_traverse,
    .clear = member_clear,
    .repr = member_repr,
    .getattr = descr_getattr,
    .descr_get = member_get,
    .descr_set = member_set,
};

/* ---- mappingproxy: the read-only class __dict__ ---- */

typedef struct {
    Object ob;
    Object *mapping;
} ProxyObject;

Object *mappingproxy_new(Vm *vm, Object *mapping)
{
    ProxyObject *p = (ProxyObject *)obj_alloc(vm, &MappingProxyType, sizeof(ProxyObject));
    if (!p) return NULL;
    p->mapping = NEWREF(mapping);
    gc_track(vm, (Object *)p);
    return (Object *)p;
}

#define PROXIED(o) (((ProxyObject *)(o))->mapping)

static void proxy_dealloc(Vm *vm, Object *self)
{
    SETREF(vm, PROXIED(self), NULL);
    obj_free(vm, self);
}

static int proxy_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    return PROXIED(self) ? visit(vm, PROXIED(self), arg) : 0;
}

static Object *proxy_repr(Vm *vm, Object *self)
{
    return str_from_format(vm, "mappingproxy(%R)", PROXIED(self));
}

static Object *proxy_str(Vm *vm, Object *self) { return obj_str(vm, PROXIED(self)); }
static int64_t proxy_len(Vm *vm, Object *self) { return obj_len(vm, PROXIED(self)); }
static Object *proxy_getitem(Vm *vm, Object *self, Object *k) { return obj_getitem(vm, PROXIED(self), k); }
static int proxy_contains(Vm *vm, Object *self, Object *k) { return obj_contains(vm, PROXIED(self), k); }
static Object *proxy_iter(Vm *vm, Object *self) { return obj_iter(vm, PROXIED(self)); }

static Object *proxy_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    return obj_richcompare(vm, PROXIED(a), b, op);
}

/* Forwards method [name] to the proxied mapping. */
static Object *proxy_forward(Vm *vm, Object *self, const char *name, Object **args, size_t nargs,
                             Object *kw)
{
    Object *m = obj_getattr_cstr(vm, PROXIED(self), name);
    if (!m) return NULL;
    Object *r = obj_call(vm, m, args, nargs, kw);
    DECREF(vm, m);
    return r;
}

#define PROXY_METHOD(n) \
    static Object *proxy_##n(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) \
    { return proxy_forward(vm, self, #n, args, nargs, kw); }
PROXY_METHOD(keys)
PROXY_METHOD(values)
PROXY_METHOD(items)
PROXY_METHOD(get)
PROXY_METHOD(copy)
#undef PROXY_METHOD

static const MethodDef proxy_methods[] = {
    {"keys", proxy_keys, METH_INSTANCE},
    {"values", proxy_values, METH_INSTANCE},
    {"items", proxy_items, METH_INSTANCE},
    {"get", proxy_get, METH_INSTANCE},
    {"copy", proxy_copy, METH_INSTANCE},
    {NULL},
};

Type MappingProxyType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "mappingproxy",
    .basicsize = sizeof(ProxyObject),
    .modelled_size = 40,
    .tflags = TP_GC,
    .methods = proxy_methods,
    .dealloc = proxy_dealloc,
    .traverse = proxy_traverse,
    .repr = proxy_repr,
    .str = proxy_str,
    .richcompare = proxy_richcompare,
    .len = proxy_len,
    .getitem = proxy_getitem,
    .contains = proxy_contains,
    .iter = proxy_iter,
};
