/* misc.c — the small built-in types: NoneType, NotImplementedType and ellipsis with
 * their per-VM singletons, and slice objects (repr, comparison, indices(), and the
 * index resolution every sequence uses for a[i:j:k]).
 */
#include "misc.h"

#include "args.h"
#include "class.h"
#include "int.h"
#include "str.h"
#include "tuple.h"
#include "vm.h"

/* ---- singletons ---- */

static Object *make_singleton(Vm *vm, Type *type)
{
    Object *o = obj_alloc(vm, type, sizeof(Object));
    if (o) o->flags |= OF_IMMORTAL;
    return o;
}

int misc_init(Vm *vm)
{
    if (!vm->none && !(vm->none = make_singleton(vm, &NoneTypeType))) return -1;
    if (!vm->not_implemented && !(vm->not_implemented = make_singleton(vm, &NotImplementedTypeType)))
        return -1;
    if (!vm->ellipsis && !(vm->ellipsis = make_singleton(vm, &EllipsisTypeType))) return -1;
    return 0;
}

static Object *none_repr(Vm *vm, Object *self) { return str_from_cstr(vm, "None"); }
static Object *notimpl_repr(Vm *vm, Object *self) { return str_from_cstr(vm, "NotImplemented"); }
static Object *ellipsis_repr(Vm *vm, Object *self) { return str_from_cstr(vm, "Ellipsis"); }
static int none_is_true(Vm *vm, Object *self) { return 0; }
static int always_true(Vm *vm, Object *self) { return 1; }

static void singleton_dealloc(Vm *vm, Object *self) { obj_free(vm, self); }

/* The singleton types take no arguments and return their instance. */
static Object *singleton_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (nargs || args_nkw(kwnames))
        return err_format(vm, &TypeErrorType, "%s takes no arguments", type->name);
    if (type == &NoneTypeType) return NEWREF(vm->none);
    if (type == &NotImplementedTypeType) return NEWREF(vm->not_implemented);
    return NEWREF(vm->ellipsis);
}

/* CPython hashes these singletons by address; ours derive from the stable address. */
static Hash singleton_hash(Vm *vm, Object *self)
{
    uint64_t y = obj_address(self);
    y = (y >> 4) | (y << 60);
    Hash h = (Hash)y;
    return h == -1 ? -2 : h;
}

#define SINGLETON_TYPE(var, tname, repr_fn, true_fn) \
    Type var = { \
        .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL}, \
        .name = tname, \
        .basicsize = sizeof(Object), \
        .modelled_size = 16, \
        .base = &ObjectType, \
        .dealloc = singleton_dealloc, \
        .repr = repr_fn, \
        .hash = singleton_hash, \
        .is_true = true_fn, \
        .new_ = singleton_new, \
    };

SINGLETON_TYPE(NoneTypeType, "NoneType", none_repr, none_is_true)
SINGLETON_TYPE(NotImplementedTypeType, "NotImplementedType", notimpl_repr, always_true)
SINGLETON_TYPE(EllipsisTypeType, "ellipsis", ellipsis_repr, always_true)

/* ---- index conversion ---- */

int index_as_ssize(Vm *vm, Object *o, intptr_t *out)
{
    if (TYPE(o) == &IntType && ((IntObject *)o)->ndigits == 0) {
        int64_t v = ((IntObject *)o)->small; /* clamped on wasm32, as int_as_ssize does */
        *out = v > INTPTR_MAX ? INTPTR_MAX : v < INTPTR_MIN ? INTPTR_MIN : (intptr_t)v;
        return 0;
    }
    Object *i = int_index(vm, o);
    if (!i) return -1;
    int rc = int_as_ssize(vm, i, out);
    if (rc < 0 && err_matches(vm, &OverflowErrorType)) {
        err_clear(vm);
        err_format(vm, &IndexErrorType, "cannot fit '%T' into an index-sized integer", o);
    }
    DECREF(vm, i);
    return rc;
}

/* Converts a slice bound as _PyEval_SliceIndex: None keeps *out, big values clamp. */
static int slice_index(Vm *vm, Object *o, int64_t *out)
{
    if (IS_NONE(vm, o)) return 0;
    if (!INT_CHECK(o) && !type_lookup_str(TYPE(o), "__index__")) {
        err_format(vm, &TypeErrorType,
                   "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    Object *i = int_index(vm, o);
    if (!i) return -1;
    if (int_as_i64(vm, i, out) < 0) {
        err_clear(vm);
        *out = int_sign(i) < 0 ? INT64_MIN : INT64_MAX;
    }
    DECREF(vm, i);
    return 0;
}

/* PySlice_Unpack: fills start/stop/step before clamping to a length. */
static int slice_unpack(Vm *vm, SliceObject *s, int64_t *start, int64_t *stop, int64_t *step)
{
    *step = 1;
    if (slice_index(vm, s->step, step) < 0) return -1;
    if (*step == 0) {
        err_format(vm, &ValueErrorType, "slice step cannot be zero");
        return -1;
    }
    if (*step < -INT64_MAX) *step = -INT64_MAX;
    *start = *step < 0 ? INT64_MAX : 0;
    if (slice_index(vm, s->start, start) < 0) return -1;
    *stop = *step < 0 ? INT64_MIN : INT64_MAX;
    if (slice_index(vm, s->stop, stop) < 0) return -1;
    return 0;
}

/* PySlice_AdjustIndices: clamps to [length] and returns the slice length. */
static int64_t slice_adjust(int64_t length, int64_t *start, int64_t *stop, int64_t step)
{
    if (*start < 0) {
        *start += length;
        if (*start < 0) *start = step < 0 ? -1 : 0;
    } else if (*start >= length) {
        *start = step < 0 ? length - 1 : length;
    }
    if (*stop < 0) {
        *stop += length;
        if (*stop < 0) *stop = step < 0 ? -1 : 0;
    } else if (*stop >= length) {
        *stop = step < 0 ? length - 1 : length;
    }
    if (step < 0) {
        if (*stop < *start) return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

int64_t slice_indices(Vm *vm, Object *slice, int64_t length, int64_t *start,
                       int64_t *stop, int64_t *step)
{
    if (slice_unpack(vm, (SliceObject *)slice, start, stop, step) < 0) return -1;
    return slice_adjust(length, start, stop, *step);
}

/* ---- slice objects ---- */

Object *slice_new(Vm *vm, Object *start, Object *stop, Object *step)
{
    SliceObject *s = (SliceObject *)obj_alloc(vm, &SliceType, sizeof(SliceObject));
    if (!s) return NULL;
    s->start = NEWREF(start ? start : vm->none);
    s->stop = NEWREF(stop ? stop : vm->none);
    s->step = NEWREF(step ? step : vm->none);
    gc_track(vm, (Object *)s);
    return (Object *)s;
}

static void slice_dealloc(Vm *vm, Object *self)
{
    SliceObject *s = (SliceObject *)self;
    XDECREF(vm, s->start);
    XDECREF(vm, s->stop);
    XDECREF(vm, s->step);
    obj_free(vm, self);
}

static int slice_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    SliceObject *s = (SliceObject *)self;
    int rc = 0;
    if (s->start && (rc = visit(vm, s->start, arg))) return rc;
    if (s->stop && (rc = visit(vm, s->stop, arg))) return rc;
    if (s->step && (rc = visit(vm, s->step, arg))) return rc;
    return 0;
}

static void slice_clear(Vm *vm, Object *self)
{
    SliceObject *s = (SliceObject *)self;
    SETREF(vm, s->start, NULL);
    SETREF(vm, s->stop, NULL);
    SETREF(vm, s->step, NULL);
}

static Object *slice_repr(Vm *vm, Object *self)
{
    SliceObject *s = (SliceObject *)self;
    return str_from_format(vm, "slice(%R, %R, %R)", s->start, s->stop, s->step);
}

static Object *slice_as_tuple(Vm *vm, Object *self)
{
    SliceObject *s = (SliceObject *)self;
    return tuple_pack(vm, 3, s->start, s->stop, s->step);
}

static Object *slice_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (TYPE(a) != &SliceType || TYPE(b) != &SliceType) return NEWREF(vm->not_implemented);
    Object *x = slice_as_tuple(vm, a);
    if (!x) return NULL;
    Object *y = slice_as_tuple(vm, b);
    if (!y) {
        DECREF(vm, x);
        return NULL;
    }
    Object *r = obj_richcompare(vm, x, y, op);
    DECREF(vm, x);
    DECREF(vm, y);
    return r;
}

static Hash slice_hash(Vm *vm, Object *self)
{
    err_format(vm, &TypeErrorType, "unhashable type: 'slice'");
    return -1;
}

static Object *slice_getattr(Vm *vm, Object *self, Object *name)
{
    SliceObject *s = (SliceObject *)self;
    if (str_eq_cstr(name, "start")) return NEWREF(s->start);
    if (str_eq_cstr(name, "stop")) return NEWREF(s->stop);
    if (str_eq_cstr(name, "step")) return NEWREF(s->step);
    return obj_generic_getattr(vm, self, name);
}

static Object *slice_tp_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (args_check(vm, "slice", nargs, kwnames, 1, 3) < 0) return NULL;
    if (nargs == 1) return slice_new(vm, NULL, args[0], NULL);
    return slice_new(vm, args[0], args[1], nargs == 3 ? args[2] : NULL);
}

static Object *m_indices(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "slice.indices", nargs, kw, 1, 1) < 0) return NULL;
    int64_t length;
    if (!INT_CHECK(args[0]) && !type_lookup_str(TYPE(args[0]), "__index__"))
        return err_format(vm, &TypeErrorType, "'%s' object cannot be interpreted as an integer",
                          type_name(TYPE(args[0])));
    Object *len = int_index(vm, args[0]);
    if (!len) return NULL;
    int ok = int_as_i64(vm, len, &length);
    DECREF(vm, len);
    if (ok < 0) return NULL;
    if (length < 0) return err_format(vm, &ValueErrorType, "length should not be negative");
    int64_t start, stop, step;
    if (slice_unpack(vm, (SliceObject *)self, &start, &stop, &step) < 0) return NULL;
    slice_adjust(length, &start, &stop, step);
    Object *a = int_from_i64(vm, start), *b = int_from_i64(vm, stop), *c = int_from_i64(vm, step);
    Object *r = (a && b && c) ? tuple_pack(vm, 3, a, b, c) : NULL;
    XDECREF(vm, a);
    XDECREF(vm, b);
    XDECREF(vm, c);
    return r;
}

static const MethodDef slice_methods[] = {
    {"indices", m_indices, METH_INSTANCE},
    {NULL}
};

Type SliceType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "slice",
    .basicsize = sizeof(SliceObject),
    .modelled_size = 56,
    .tflags = TP_GC,
    .base = &ObjectType,
    .methods = slice_methods,
    .dealloc = slice_dealloc,
    .traverse = slice_traverse,
    .clear = slice_clear,
    .repr = slice_repr,
    .hash = slice_hash,
    .richcompare = slice_richcompare,
    .getattr = slice_getattr,
    .new_ = slice_tp_new,
};
