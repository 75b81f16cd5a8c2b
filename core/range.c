/* range.c — the range type (64-bit bounds): length, indexing and slicing, O(1)
 * membership for ints, comparison and hash as CPython's, index/count, reversed(),
 * and the range iterator.
 */
#include "range.h"

#include "args.h"
#include "class.h"
#include "int.h"
#include "misc.h"
#include "str.h"
#include "tuple.h"
#include "vm.h"

#define RANGE(o) ((RangeObject *)(o))

/* Number of items of range(start, stop, step), computed without overflow. */
static int64_t range_length(int64_t start, int64_t stop, int64_t step)
{
    uint64_t span, ustep;
    if (step > 0) {
        if (start >= stop) return 0;
        span = (uint64_t)stop - (uint64_t)start - 1;
        ustep = (uint64_t)step;
    } else {
        if (start <= stop) return 0;
        span = (uint64_t)start - (uint64_t)stop - 1;
        ustep = 0 - (uint64_t)step;
    }
    uint64_t n = span / ustep + 1;
    return n > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)n;
}

Object *range_new(Vm *vm, int64_t start, int64_t stop, int64_t step)
{
    if (step == 0) return err_format(vm, &ValueErrorType, "range() arg 3 must not be zero");
    RangeObject *r = (RangeObject *)obj_alloc(vm, &RangeType, sizeof(RangeObject));
    if (!r) return NULL;
    r->start = start;
    r->stop = stop;
    r->step = step;
    r->len = range_length(start, stop, step);
    return (Object *)r;
}

/* ---- big ranges: int objects when a bound or the length leaves int64 ---- */

#define BIG(r, i) TUPLE_ITEM((r)->big, (i))
#define ONE(vm) ((vm)->small_ints[1 - SMALL_INT_MIN])
#define ZERO(vm) ((vm)->small_ints[-SMALL_INT_MIN])

/* len(range(start, stop, step)) with int objects (compute_range_length). */
static Object *big_length(Vm *vm, Object *start, Object *stop, Object *step)
{
    Object *lo = start, *hi = stop, *st = NEWREF(step);
    if (int_sign(step) < 0) {
        lo = stop;
        hi = start;
        SETREF(vm, st, int_neg(vm, step));
        if (!st) return NULL;
    }
    if (int_compare(lo, hi) >= 0) {
        DECREF(vm, st);
        return NEWREF(ZERO(vm));
    }
    Object *diff = int_sub(vm, hi, lo);
    Object *d1 = diff ? int_sub(vm, diff, ONE(vm)) : NULL;
    Object *q = d1 ? int_floordiv(vm, d1, st) : NULL;
    Object *n = q ? int_add(vm, q, ONE(vm)) : NULL;
    XDECREF(vm, diff);
    XDECREF(vm, d1);
    XDECREF(vm, q);
    DECREF(vm, st);
    return n;
}

/* Makes a range from int objects (borrowed), choosing the int64 form when possible. */
static Object *range_from_objects(Vm *vm, Type *type, Object *start, Object *stop, Object *step)
{
    if (int_is_zero(step)) return err_format(vm, &ValueErrorType, "range() arg 3 must not be zero");
    int64_t a, b, c;
    if (int_as_i64(vm, start, &a) == 0 && int_as_i64(vm, stop, &b) == 0 &&
        int_as_i64(vm, step, &c) == 0) {
        int64_t n = range_length(a, b, c);
        if (n < INT64_MAX) return range_new(vm, a, b, c);
    }
    err_clear(vm);
    Object *len = big_length(vm, start, stop, step);
    if (!len) return NULL;
    RangeObject *r = (RangeObject *)obj_alloc(vm, &RangeType, sizeof(RangeObject));
    if (r) r->big = tuple_pack(vm, 4, start, stop, step, len);
    DECREF(vm, len);
    if (r && !r->big) {
        DECREF(vm, r);
        return NULL;
    }
    return (Object *)r;
}

static Object *range_tp_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (args_nkw(kwnames)) return err_format(vm, &TypeErrorType, "range() takes no keyword arguments");
    if (args_check(vm, "range", nargs, NULL, 1, 3) < 0) return NULL;
    Object *v[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < nargs; i++) {
        if (!(v[i] = int_index(vm, args[i]))) {
            for (size_t j = 0; j < i; j++) DECREF(vm, v[j]);
            return NULL;
        }
    }
    Object *r;
    if (nargs == 1) r = range_from_objects(vm, type, ZERO(vm), v[0], ONE(vm));
    else r = range_from_objects(vm, type, v[0], v[1], nargs == 3 ? v[2] : ONE(vm));
    for (size_t i = 0; i < nargs; i++) DECREF(vm, v[i]);
    return r;
}

static void range_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, RANGE(self)->big);
    obj_free(vm, self);
}

static Object *range_repr(Vm *vm, Object *self)
{
    RangeObject *r = RANGE(self);
    if (r->big) {
        if (int_compare(BIG(r, 2), ONE(vm)) == 0)
            return str_from_format(vm, "range(%R, %R)", BIG(r, 0), BIG(r, 1));
        return str_from_format(vm, "range(%R, %R, %R)", BIG(r, 0), BIG(r, 1), BIG(r, 2));
    }
    if (r->step == 1) return str_from_format(vm, "range(%lld, %lld)", (long long)r->start, (long long)r->stop);
    return str_from_format(vm, "range(%lld, %lld, %lld)", (long long)r->start, (long long)r->stop,
                           (long long)r->step);
}

static int64_t range_len(Vm *vm, Object *self)
{
    RangeObject *r = RANGE(self);
    if (!r->big) return r->len;
    int64_t n;
    if (int_as_i64(vm, BIG(r, 3), &n) == 0) return n;
    err_clear(vm);
    err_format(vm, &OverflowErrorType, "Python int too large to convert to C ssize_t");
    return -1;
}

static int range_is_true(Vm *vm, Object *self)
{
    RangeObject *r = RANGE(self);
    return r->big ? !int_is_zero(BIG(r, 3)) : r->len != 0;
}

/* The four defining values as new int objects (for comparisons and hashing). */
static int range_objects(Vm *vm, RangeObject *r, Object **out)
{
    if (r->big) {
        for (int i = 0; i < 4; i++) out[i] = NEWREF(BIG(r, i));
        return 0;
    }
    out[0] = int_from_i64(vm, r->start);
    out[1] = int_from_i64(vm, r->stop);
    out[2] = int_from_i64(vm, r->step);
    out[3] = int_from_i64(vm, r->len);
    return 0;
}

static void release4(Vm *vm, Object **o)
{
    for (int i = 0; i < 4; i++) XDECREF(vm, o[i]);
}

static int range_equal(RangeObject *a, RangeObject *b)
{
    if (a == b) return 1;
    if (a->len != b->len) return 0;
    if (a->len == 0) return 1;
    if (a->start != b->start) return 0;
    if (a->len == 1) return 1;
    return a->step == b->step;
}

static Object *range_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (TYPE(a) != &RangeType || TYPE(b) != &RangeType || (op != CMP_EQ && op != CMP_NE))
        return NEWREF(vm->not_implemented);
    int eq;
    if (!RANGE(a)->big && !RANGE(b)->big) {
        eq = range_equal(RANGE(a), RANGE(b));
    } else {
        Object *x[4], *y[4];
        range_objects(vm, RANGE(a), x);
        range_objects(vm, RANGE(b), y);
        eq = int_compare(x[3], y[3]) == 0;
        if (eq && !int_is_zero(x[3])) {
            eq = int_compare(x[0], y[0]) == 0;
            if (eq && int_compare(x[3], ONE(vm)) != 0) eq = int_compare(x[2], y[2]) == 0;
        }
        release4(vm, x);
        release4(vm, y);
    }
    return bool_from(vm, op == CMP_EQ ? eq : !eq);
}

/* hash((len, start, step)) with None standing in as CPython's range_hash. */
static Hash range_hash(Vm *vm, Object *self)
{
    RangeObject *r = RANGE(self);
    Object *o[4];
    range_objects(vm, r, o);
    Object *len = NEWREF(o[3]);
    Object *start = !int_is_zero(o[3]) ? NEWREF(o[0]) : NEWREF(vm->none);
    Object *step = int_compare(o[3], ONE(vm)) > 0 ? NEWREF(o[2]) : NEWREF(vm->none);
    release4(vm, o);
    Hash h = -1;
    if (len && start && step) {
        Object *t = tuple_pack(vm, 3, len, start, step);
        if (t) {
            h = obj_hash(vm, t);
            DECREF(vm, t);
        }
    }
    XDECREF(vm, len);
    XDECREF(vm, start);
    XDECREF(vm, step);
    return h;
}

static Object *range_item(Vm *vm, RangeObject *r, int64_t i)
{
    return int_from_i64(vm, r->start + i * r->step);
}

/* r[i] for a big range (i an int object). */
static Object *big_getitem(Vm *vm, RangeObject *r, Object *key)
{
    Object *i = int_index(vm, key);
    if (!i) return NULL;
    if (int_sign(i) < 0) SETREF(vm, i, int_add(vm, i, BIG(r, 3)));
    if (!i) return NULL;
    if (int_sign(i) < 0 || int_compare(i, BIG(r, 3)) >= 0) {
        DECREF(vm, i);
        return err_format(vm, &IndexErrorType, "range object index out of range");
    }
    Object *off = int_mul(vm, i, BIG(r, 2));
    DECREF(vm, i);
    if (!off) return NULL;
    Object *v = int_add(vm, BIG(r, 0), off);
    DECREF(vm, off);
    return v;
}

static Object *range_getitem(Vm *vm, Object *self, Object *key)
{
    RangeObject *r = RANGE(self);
    if (r->big) {
        if (TYPE(key) == &SliceType) return err_unsupported(vm, "slicing ranges beyond 64-bit integers");
        if (!INT_CHECK(key) && !type_lookup_str(TYPE(key), "__index__"))
            return err_format(vm, &TypeErrorType, "range indices must be integers or slices, not %T", key);
        return big_getitem(vm, r, key);
    }
    if (TYPE(key) == &SliceType) {
        int64_t start, stop, step;
        int64_t n = slice_indices(vm, key, r->len, &start, &stop, &step);
        if (n < 0) return NULL;
        int64_t nstart = r->start + start * r->step;
        int64_t nstep = r->step * step;
        int64_t nstop = r->start + stop * r->step;
        RangeObject *s = (RangeObject *)range_new(vm, nstart, nstop, nstep);
        if (s) s->len = n;
        return (Object *)s;
    }
    if (!INT_CHECK(key) && !type_lookup_str(TYPE(key), "__index__"))
        return err_format(vm, &TypeErrorType, "range indices must be integers or slices, not %T", key);
    int64_t i; /* 64 bits: intptr_t is 32 in the wasm build */
    if (!INT_CHECK(key) || int_as_i64(vm, key, &i) < 0) {
        intptr_t k;
        if (INT_CHECK(key)) err_clear(vm);
        if (index_as_ssize(vm, key, &k) < 0) return NULL;
        i = k;
    }
    if (i < 0) i += r->len;
    if (i < 0 || i >= r->len)
        return err_format(vm, &IndexErrorType, "range object index out of range");
    return range_item(vm, r, i);
}

/* Position of int [x] in the range, or -1. */
static int64_t range_find_int(RangeObject *r, int64_t x)
{
    if (r->len == 0) return -1;
    if (r->step > 0 ? (x < r->start || x >= r->stop) : (x > r->start || x <= r->stop)) return -1;
    int64_t d = x - r->start;
    if (d % r->step != 0) return -1;
    return d / r->step;
}

static bool exact_int(Object *o)
{
    return (TYPE(o) == &IntType || TYPE(o) == &BoolType) && ((IntObject *)o)->ndigits == 0;
}

/* Position of int [x] in a big range as a new int, or NULL (no exception) if absent. */
static Object *big_find(Vm *vm, RangeObject *r, Object *x)
{
    Object *start = BIG(r, 0), *stop = BIG(r, 1), *step = BIG(r, 2);
    bool inside = int_sign(step) > 0 ? int_compare(x, start) >= 0 && int_compare(x, stop) < 0
                                     : int_compare(x, start) <= 0 && int_compare(x, stop) > 0;
    if (!inside) return NULL;
    Object *d = int_sub(vm, x, start);
    Object *m = d ? int_mod(vm, d, step) : NULL;
    Object *q = m && int_is_zero(m) ? int_floordiv(vm, d, step) : NULL;
    XDECREF(vm, d);
    XDECREF(vm, m);
    return q;
}

static int range_contains(Vm *vm, Object *self, Object *item)
{
    RangeObject *r = RANGE(self);
    if (r->big && (TYPE(item) == &IntType || TYPE(item) == &BoolType)) {
        Object *q = big_find(vm, r, item);
        if (!q) return vm->exc ? -1 : 0;
        DECREF(vm, q);
        return 1;
    }
    if (r->big) return err_unsupported(vm, "'in' on ranges beyond 64-bit integers") ? 0 : -1;
    if (exact_int(item)) return range_find_int(r, ((IntObject *)item)->small) >= 0;
    if (TYPE(item) == &IntType || TYPE(item) == &BoolType) return 0;
    for (int64_t i = 0; i < r->len; i++) {
        Object *x = range_item(vm, r, i);
        if (!x) return -1;
        int eq = obj_richcompare_bool(vm, x, item, CMP_EQ);
        DECREF(vm, x);
        if (eq != 0) return eq;
    }
    return 0;
}

static Object *range_getattr(Vm *vm, Object *self, Object *name)
{
    RangeObject *r = RANGE(self);
    int k = str_eq_cstr(name, "start") ? 0 : str_eq_cstr(name, "stop") ? 1 : str_eq_cstr(name, "step") ? 2 : -1;
    if (r->big && k >= 0) return NEWREF(BIG(r, k));
    if (str_eq_cstr(name, "start")) return int_from_i64(vm, r->start);
    if (str_eq_cstr(name, "stop")) return int_from_i64(vm, r->stop);
    if (str_eq_cstr(name, "step")) return int_from_i64(vm, r->step);
    return obj_generic_getattr(vm, self, name);
}

static Object *m_index(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "range.index", nargs, kw, 1, 1) < 0) return NULL;
    RangeObject *r = RANGE(self);
    if (r->big && INT_CHECK(args[0])) {
        Object *q = big_find(vm, r, args[0]);
        if (q || vm->exc) return q;
        return err_format(vm, &ValueErrorType, "%R is not in range", args[0]);
    }
    if (r->big) return err_unsupported(vm, "index() on ranges beyond 64-bit integers");
    if (exact_int(args[0])) {
        int64_t i = range_find_int(r, ((IntObject *)args[0])->small);
        if (i >= 0) return int_from_i64(vm, i);
    } else if (!(TYPE(args[0]) == &IntType || TYPE(args[0]) == &BoolType)) {
        for (int64_t i = 0; i < r->len; i++) {
            Object *x = range_item(vm, r, i);
            if (!x) return NULL;
            int eq = obj_richcompare_bool(vm, x, args[0], CMP_EQ);
            DECREF(vm, x);
            if (eq < 0) return NULL;
            if (eq) return int_from_i64(vm, i);
        }
    }
    return err_format(vm, &ValueErrorType, "%R is not in range", args[0]);
}

static Object *m_count(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "range.count", nargs, kw, 1, 1) < 0) return NULL;
    RangeObject *r = RANGE(self);
    if (r->big) {
        int rc = range_contains(vm, self, args[0]);
        return rc < 0 ? NULL : int_from_i64(vm, rc);
    }
    if (exact_int(args[0])) return int_from_i64(vm, range_find_int(r, ((IntObject *)args[0])->small) >= 0);
    int64_t count = 0;
    for (int64_t i = 0; i < r->len; i++) {
        Object *x = range_item(vm, r, i);
        if (!x) return NULL;
        int eq = obj_richcompare_bool(vm, x, args[0], CMP_EQ);
        DECREF(vm, x);
        if (eq < 0) return NULL;
        count += eq;
    }
    return int_from_i64(vm, count);
}

/* ---- iterator ---- */

/* [bnext]/[bstep]/[bleft] replace the int64 fields for big ranges (else NULL). */
typedef struct {
    Object ob;
    int64_t next, step, remaining;
    Object *bnext, *bstep, *bleft;
} RangeIterObject;

static void rangeiter_dealloc(Vm *vm, Object *self);

static Object *rangeiter_new(Vm *vm, int64_t start, int64_t step, int64_t len)
{
    RangeIterObject *it = (RangeIterObject *)obj_alloc(vm, &RangeIterType, sizeof(RangeIterObject));
    if (!it) return NULL;
    it->next = start;
    it->step = step;
    it->remaining = len;
    return (Object *)it;
}

/* An iterator over a big range from [first] by [step] for [count] items (borrowed). */
static Object *big_iter(Vm *vm, Object *first, Object *step, Object *count)
{
    RangeIterObject *it = (RangeIterObject *)rangeiter_new(vm, 0, 0, 0);
    if (!it) return NULL;
    it->bnext = NEWREF(first);
    it->bstep = NEWREF(step);
    it->bleft = NEWREF(count);
    return (Object *)it;
}

static Object *range_iter(Vm *vm, Object *self)
{
    RangeObject *r = RANGE(self);
    if (r->big) return big_iter(vm, BIG(r, 0), BIG(r, 2), BIG(r, 3));
    return rangeiter_new(vm, r->start, r->step, r->len);
}

static Object *m_reversed(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "range.__reversed__", nargs, kw, 0, 0) < 0) return NULL;
    RangeObject *r = RANGE(self);
    if (r->big) {
        Object *n1 = int_sub(vm, BIG(r, 3), ONE(vm));
        Object *off = n1 ? int_mul(vm, n1, BIG(r, 2)) : NULL;
        Object *last = off ? int_add(vm, BIG(r, 0), off) : NULL;
        Object *neg = last ? int_neg(vm, BIG(r, 2)) : NULL;
        Object *it = neg ? big_iter(vm, last, neg, BIG(r, 3)) : NULL;
        XDECREF(vm, n1);
        XDECREF(vm, off);
        XDECREF(vm, last);
        XDECREF(vm, neg);
        return it;
    }
    int64_t last = r->len ? r->start + (r->len - 1) * r->step : r->start;
    return rangeiter_new(vm, last, -r->step, r->len);
}

static Object *rangeiter_next(Vm *vm, Object *self)
{
    RangeIterObject *it = (RangeIterObject *)self;
    if (it->bleft) {
        if (int_sign(it->bleft) <= 0) return NULL;
        Object *v = NEWREF(it->bnext);
        SETREF(vm, it->bnext, int_add(vm, it->bnext, it->bstep));
        SETREF(vm, it->bleft, int_sub(vm, it->bleft, ONE(vm)));
        if (!it->bnext || !it->bleft) {
            DECREF(vm, v);
            if (!it->bleft) it->bleft = NEWREF(ZERO(vm));
            if (!it->bnext) it->bnext = NEWREF(ZERO(vm));
            return NULL;
        }
        return v;
    }
    if (it->remaining <= 0) return NULL;
    int64_t v = it->next;
    it->remaining--;
    it->next = (int64_t)((uint64_t)it->next + (uint64_t)it->step);
    return int_from_i64(vm, v);
}

bool rangeiter_next_uncached(Object *self, int64_t *v)
{
    RangeIterObject *it = (RangeIterObject *)self;
    if (it->bleft || it->remaining <= 0 || (it->next >= SMALL_INT_MIN && it->next <= SMALL_INT_MAX))
        return false;
    *v = it->next;
    it->remaining--;
    it->next = (int64_t)((uint64_t)it->next + (uint64_t)it->step);
    return true;
}

static Object *iter_self(Vm *vm, Object *self) { return NEWREF(self); }

static Object *rangeiter_length_hint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    RangeIterObject *it = (RangeIterObject *)self;
    if (it->bleft) return NEWREF(it->bleft);
    return int_from_i64(vm, it->remaining);
}

/* ---- method tables ---- */

static const MethodDef range_methods[] = {
    {"index", m_index, METH_INSTANCE},
    {"count", m_count, METH_INSTANCE},
    {"__reversed__", m_reversed, METH_INSTANCE},
    {NULL}
};

static const MethodDef rangeiter_methods[] = {
    {"__length_hint__", rangeiter_length_hint, METH_INSTANCE},
    {NULL}
};

Type RangeType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "range",
    .basicsize = sizeof(RangeObject),
    .modelled_size = 48,
    .base = &ObjectType,
    .methods = range_methods,
    .dealloc = range_dealloc,
    .repr = range_repr,
    .hash = range_hash,
    .richcompare = range_richcompare,
    .is_true = range_is_true,
    .len = range_len,
    .getitem = range_getitem,
    .contains = range_contains,
    .iter = range_iter,
    .getattr = range_getattr,
    .new_ = range_tp_new,
};

Type RangeIterType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "range_iterator",
    .basicsize = sizeof(RangeIterObject),
    .modelled_size = 48,
    .base = &ObjectType,
    .methods = rangeiter_methods,
    .dealloc = rangeiter_dealloc,
    .iter = iter_self,
    .iternext = rangeiter_next,
};

static void rangeiter_dealloc(Vm *vm, Object *self)
{
    RangeIterObject *it = (RangeIterObject *)self;
    XDECREF(vm, it->bnext);
    XDECREF(vm, it->bstep);
    XDECREF(vm, it->bleft);
    obj_free(vm, self);
}
