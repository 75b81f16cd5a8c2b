/* tuple.c — the tuple type: inline item storage, CPython 3.11's xxHash-based hash,
 * indexing and slicing, concatenation and repetition, comparisons, repr, the
 * index/count methods and the tuple iterator. The empty tuple is shared per VM.
 */
#include "tuple.h"

#include <stdarg.h>
#include <string.h>

#include "args.h"
#include "class.h"
#include "int.h"
#include "list.h"
#include "misc.h"
#include "str.h"
#include "vm.h"

#define TUPLE(o) ((TupleObject *)(o))
#define TUPLE_CHECK(o) (TYPE(o) == &TupleType || type_is_subtype(TYPE(o), &TupleType))

/* Allocates a tuple of [type] with [n] NULL items (tracked when n > 0). */
static Object *tuple_alloc(Vm *vm, Type *type, size_t n)
{
    if (n > (SIZE_MAX - type->basicsize) / sizeof(Object *) / 2) return err_no_memory(vm);
    TupleObject *t = (TupleObject *)obj_alloc(vm, type, type->basicsize + n * sizeof(Object *));
    if (!t) return NULL;
    t->size = n;
    if (n || type != &TupleType) gc_track(vm, (Object *)t);
    return (Object *)t;
}

int tuple_init(Vm *vm)
{
    if (vm->empty_tuple) return 0;
    Object *t = obj_alloc(vm, &TupleType, sizeof(TupleObject));
    if (!t) return -1;
    t->flags |= OF_IMMORTAL;
    vm->empty_tuple = t;
    return 0;
}

Object *tuple_new(Vm *vm, size_t n)
{
    if (n == 0 && vm->empty_tuple) return NEWREF(vm->empty_tuple);
    return tuple_alloc(vm, &TupleType, n);
}

Object *tuple_new_of_type(Vm *vm, Type *type, size_t n)
{
    if (type == &TupleType) return tuple_new(vm, n);
    return tuple_alloc(vm, type, n);
}

Object *tuple_pack(Vm *vm, size_t n, ...)
{
    Object *t = tuple_new(vm, n);
    if (!t) return NULL;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) TUPLE(t)->items[i] = NEWREF(va_arg(ap, Object *));
    va_end(ap);
    return t;
}

Object *tuple_from_array(Vm *vm, Object **items, size_t n)
{
    Object *t = tuple_new(vm, n);
    if (!t) return NULL;
    for (size_t i = 0; i < n; i++) TUPLE(t)->items[i] = NEWREF(items[i]);
    return t;
}

Object *tuple_from_iterable(Vm *vm, Object *iterable)
{
    if (TYPE(iterable) == &TupleType) return NEWREF(iterable);
    if (TYPE(iterable) == &ListType) return list_as_tuple(vm, iterable);
    Object *l = list_from_iterable(vm, iterable);
    if (!l) return NULL;
    Object *t = list_as_tuple(vm, l);
    DECREF(vm, l);
    return t;
}

/* ---- hashing (CPython 3.11 tuplehash, xxHash's mixing) ---- */

#define XXPRIME_1 ((uint64_t)11400714785074694791ULL)
#define XXPRIME_2 ((uint64_t)14029467366897019727ULL)
#define XXPRIME_5 ((uint64_t)2870177450012600261ULL)
#define XXROTATE(x) (((x) << 31) | ((x) >> 33))

Hash tuple_hash(Vm *vm, Object *self)
{
    TupleObject *t = TUPLE(self);
    uint64_t acc = XXPRIME_5;
    for (size_t i = 0; i < t->size; i++) {
        Hash h = obj_hash(vm, t->items[i]);
        if (h == -1) return -1;
        acc += (uint64_t)h * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    acc += (uint64_t)t->size ^ (XXPRIME_5 ^ 3527539UL);
    if (acc == (uint64_t)-1) return 1546275796;
    return (Hash)acc;
}

/* ---- slots ---- */

static void tuple_dealloc(Vm *vm, Object *self)
{
    TupleObject *t = TUPLE(self);
    for (size_t i = t->size; i-- > 0;) {
        Object *x = t->items[i];
        t->items[i] = NULL;
        XDECREF(vm, x);
    }
    obj_free(vm, self);
}

static int tuple_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    TupleObject *t = TUPLE(self);
    for (size_t i = t->size; i-- > 0;) {
        if (t->items[i]) {
            int rc = visit(vm, t->items[i], arg);
            if (rc) return rc;
        }
    }
    return 0;
}

static void tuple_gc_clear(Vm *vm, Object *self)
{
    TupleObject *t = TUPLE(self);
    for (size_t i = 0; i < t->size; i++) SETREF(vm, t->items[i], NULL);
}

static Object *tuple_repr(Vm *vm, Object *self)
{
    TupleObject *t = TUPLE(self);
    if (t->size == 0) return str_from_cstr(vm, "()");
    int rc = repr_enter(vm, self);
    if (rc < 0) return NULL;
    if (rc > 0) return str_from_cstr(vm, "(...)");
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_char(&b, '(');
    for (size_t i = 0; i < t->size; i++) {
        if (i) strbuf_append(&b, ", ", 2);
        Object *r = obj_repr(vm, t->items[i]);
        if (!r) {
            strbuf_free(&b);
            repr_leave(vm, self);
            return NULL;
        }
        strbuf_append_str(&b, r);
        DECREF(vm, r);
    }
    if (t->size == 1) strbuf_append_char(&b, ',');
    strbuf_append_char(&b, ')');
    repr_leave(vm, self);
    return strbuf_finish(vm, &b);
}

static Object *tuple_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (!TUPLE_CHECK(a) || !TUPLE_CHECK(b)) return NEWREF(vm->not_implemented);
    TupleObject *x = TUPLE(a), *y = TUPLE(b);
    size_t i;
    for (i = 0; i < x->size && i < y->size; i++) {
        int eq = obj_richcompare_bool(vm, x->items[i], y->items[i], CMP_EQ);
        if (eq < 0) return NULL;
        if (!eq) break;
    }
    if (i >= x->size || i >= y->size)
        return bool_from(vm, cmp_holds(op, (x->size > y->size) - (x->size < y->size)));
    if (op == CMP_EQ) return bool_from(vm, 0);
    if (op == CMP_NE) return bool_from(vm, 1);
    return obj_richcompare(vm, x->items[i], y->items[i], op);
}

static Object *tuple_getitem(Vm *vm, Object *self, Object *key)
{
    TupleObject *t = TUPLE(self);
    if (TYPE(key) == &SliceType) {
        int64_t start, stop, step;
        int64_t n = slice_indices(vm, key, (int64_t)t->size, &start, &stop, &step);
        if (n < 0) return NULL;
        if (n == (int64_t)t->size && step == 1 && TYPE(self) == &TupleType) return NEWREF(self);
        Object *r = tuple_new(vm, (size_t)n);
        if (!r) return NULL;
        for (int64_t i = 0, j = start; i < n; i++, j += step) TUPLE(r)->items[i] = NEWREF(t->items[j]);
        return r;
    }
    if (!INT_CHECK(key) && !type_lookup_str(TYPE(key), "__index__"))
        return err_format(vm, &TypeErrorType, "tuple indices must be integers or slices, not %T", key);
    intptr_t i;
    if (index_as_ssize(vm, key, &i) < 0) return NULL;
    if (i < 0) i += (intptr_t)t->size;
    if (i < 0 || (size_t)i >= t->size) return err_format(vm, &IndexErrorType, "tuple index out of range");
    return NEWREF(t->items[i]);
}

static Object *tuple_repeat(Vm *vm, Object *seq, intptr_t n)
{
    TupleObject *t = TUPLE(seq);
    if (n == 1 && TYPE(seq) == &TupleType) return NEWREF(seq);
    if (n <= 0 || t->size == 0) return tuple_new(vm, 0);
    if ((size_t)n > SIZE_MAX / sizeof(Object *) / t->size) return err_no_memory(vm);
    size_t total = t->size * (size_t)n;
    Object *r = tuple_new(vm, total);
    if (!r) return NULL;
    for (size_t k = 0; k < total; k++) TUPLE(r)->items[k] = NEWREF(t->items[k % t->size]);
    return r;
}

static Object *tuple_binop(Vm *vm, Object *a, Object *b, int op)
{
    int base = op >= BINOP_INPLACE ? op - BINOP_INPLACE : op;
    if (base == BINOP_ADD) {
        if (!TUPLE_CHECK(a)) return NEWREF(vm->not_implemented);
        if (!TUPLE_CHECK(b)) {
            return NEWREF(vm->not_implemented);
        }
        TupleObject *x = TUPLE(a), *y = TUPLE(b);
        if (y->size == 0 && TYPE(a) == &TupleType) return NEWREF(a);
        if (x->size == 0 && TYPE(b) == &TupleType) return NEWREF(b);
        Object *r = tuple_new(vm, x->size + y->size);
        if (!r) return NULL;
        for (size_t i = 0; i < x->size; i++) TUPLE(r)->items[i] = NEWREF(x->items[i]);
        for (size_t i = 0; i < y->size; i++) TUPLE(r)->items[x->size + i] = NEWREF(y->items[i]);
        return r;
    }
    if (base == BINOP_MUL) {
        Object *seq = TUPLE_CHECK(a) ? a : b;
        Object *count = seq == a ? b : a;
        bool index = INT_CHECK(count) || type_lookup_str(TYPE(count), "__index__");
        if (!index) return NEWREF(vm->not_implemented);
        intptr_t n;
        if (index_as_ssize(vm, count, &n) < 0) {
            if (!err_matches(vm, &IndexErrorType)) return NULL;
            err_clear(vm);
            return err_format(vm, &OverflowErrorType,
                              "cannot fit '%s' into an index-sized integer", TYPE(count)->name);
        }
        return tuple_repeat(vm, seq, n);
    }
    return NEWREF(vm->not_implemented);
}

static int64_t tuple_len(Vm *vm, Object *self) { return (int64_t)TUPLE(self)->size; }

static int tuple_is_true(Vm *vm, Object *self) { return TUPLE(self)->size != 0; }

static int tuple_contains(Vm *vm, Object *self, Object *item)
{
    TupleObject *t = TUPLE(self);
    for (size_t i = 0; i < t->size; i++) {
        int eq = obj_richcompare_bool(vm, t->items[i], item, CMP_EQ);
        if (eq != 0) return eq;
    }
    return 0;
}

static size_t tuple_sizeof(Vm *vm, Object *self)
{
    return TupleType.modelled_size + TUPLE(self)->size * 8; /* CPython's 64-bit slots, on every build */
}

static Object *tuple_tp_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (type == &TupleType && args_nkw(kwnames)) {
        err_format(vm, &TypeErrorType, "tuple() takes no keyword arguments");
        return NULL;
    }
    if (args_check(vm, "tuple", nargs, NULL, 0, 1) < 0) return NULL;
    Object *t = nargs ? tuple_from_iterable(vm, args[0]) : tuple_new(vm, 0);
    if (!t || type == &TupleType) return t;
    Object *r = tuple_alloc(vm, type, TUPLE(t)->size);
    if (r)
        for (size_t i = 0; i < TUPLE(t)->size; i++) TUPLE(r)->items[i] = NEWREF(TUPLE(t)->items[i]);
    DECREF(vm, t);
    return r;
}

/* ---- methods ---- */

static Object *m_index(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "index", nargs, kw, 1, 3) < 0) return NULL;
    intptr_t size = (intptr_t)TUPLE(self)->size, start = 0, stop = size;
    for (size_t k = 1; k < nargs; k++) {
        intptr_t v;
        if (!INT_CHECK(args[k]) && !type_lookup_str(TYPE(args[k]), "__index__"))
            return err_format(vm, &TypeErrorType,
                              "slice indices must be integers or have an __index__ method");
        if (index_as_ssize(vm, args[k], &v) < 0) {
            if (!err_matches(vm, &IndexErrorType)) return NULL;
            err_clear(vm);
            v = int_sign(args[k]) < 0 ? -size - 1 : size;
        }
        if (v < 0) {
            v += size;
            if (v < 0) v = 0;
        }
        if (k == 1) start = v;
        else stop = v;
    }
    for (intptr_t i = start; i < stop && i < size; i++) {
        int eq = obj_richcompare_bool(vm, TUPLE(self)->items[i], args[0], CMP_EQ);
        if (eq < 0) return NULL;
        if (eq) return int_from_i64(vm, i);
    }
    return err_format(vm, &ValueErrorType, "tuple.index(x): x not in tuple");
}

static Object *m_count(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "tuple.count", nargs, kw, 1, 1) < 0) return NULL;
    int64_t count = 0;
    for (size_t i = 0; i < TUPLE(self)->size; i++) {
        int eq = obj_richcompare_bool(vm, TUPLE(self)->items[i], args[0], CMP_EQ);
        if (eq < 0) return NULL;
        count += eq;
    }
    return int_from_i64(vm, count);
}

static Object *m_getnewargs(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "tuple.__getnewargs__", nargs, kw, 0, 0) < 0) return NULL;
    Object *copy = tuple_from_array(vm, TUPLE(self)->items, TUPLE(self)->size);
    if (!copy) return NULL;
    Object *r = tuple_pack(vm, 1, copy);
    DECREF(vm, copy);
    return r;
}

/* ---- iterator ---- */

typedef struct {
    Object ob;
    Object *seq;   /* NULL once exhausted */
    size_t index;
} TupleIterObject;

static Object *tuple_iter(Vm *vm, Object *self)
{
    TupleIterObject *it = (TupleIterObject *)obj_alloc(vm, &TupleIterType, sizeof(TupleIterObject));
    if (!it) return NULL;
    it->seq = NEWREF(self);
    gc_track(vm, (Object *)it);
    return (Object *)it;
}

static Object *tupleiter_next(Vm *vm, Object *self)
{
    TupleIterObject *it = (TupleIterObject *)self;
    if (!it->seq) return NULL;
    if (it->index < TUPLE(it->seq)->size) return NEWREF(TUPLE(it->seq)->items[it->index++]);
    Object *seq = it->seq;
    it->seq = NULL;
    DECREF(vm, seq);
    return NULL;
}

static void tupleiter_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, ((TupleIterObject *)self)->seq);
    obj_free(vm, self);
}

static int tupleiter_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    Object *seq = ((TupleIterObject *)self)->seq;
    return seq ? visit(vm, seq, arg) : 0;
}

static void tupleiter_clear(Vm *vm, Object *self)
{
    SETREF(vm, ((TupleIterObject *)self)->seq, NULL);
}

static Object *iter_self(Vm *vm, Object *self) { return NEWREF(self); }

static Object *tupleiter_length_hint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    TupleIterObject *it = (TupleIterObject *)self;
    return int_from_i64(vm, it->seq ? (int64_t)(TUPLE(it->seq)->size - it->index) : 0);
}

/* ---- method tables ---- */

static const MethodDef tuple_methods[] = {
    {"index", m_index, METH_INSTANCE},
    {"count", m_count, METH_INSTANCE},
    {"__getnewargs__", m_getnewargs, METH_INSTANCE},
    {NULL}
};

static const MethodDef tupleiter_methods[] = {
    {"__length_hint__", tupleiter_length_hint, METH_INSTANCE},
    {NULL}
};

Type TupleType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "tuple",
    .basicsize = sizeof(TupleObject),
    .itemsize = sizeof(Object *),
    .modelled_size = 40,
    .tflags = TP_GC | TP_BASETYPE | TP_TUPLE_SUB,
    .base = &ObjectType,
    .methods = tuple_methods,
    .dealloc = tuple_dealloc,
    .traverse = tuple_traverse,
    .clear = tuple_gc_clear,
    .repr = tuple_repr,
    .hash = tuple_hash,
    .richcompare = tuple_richcompare,
    .binop = tuple_binop,
    .is_true = tuple_is_true,
    .len = tuple_len,
    .getitem = tuple_getitem,
    .contains = tuple_contains,
    .iter = tuple_iter,
    .new_ = tuple_tp_new,
    .sizeof_ = tuple_sizeof,
};

Type TupleIterType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "tuple_iterator",
    .basicsize = sizeof(TupleIterObject),
    .modelled_size = 48,
    .tflags = TP_GC,
    .base = &ObjectType,
    .methods = tupleiter_methods,
    .dealloc = tupleiter_dealloc,
    .traverse = tupleiter_traverse,
    .clear = tupleiter_clear,
    .iter = iter_self,
    .iternext = tupleiter_next,
};
