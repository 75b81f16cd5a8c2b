/* ops.c — the abstract object API: repr/str/hash, rich comparison, binary and unary
 * operators, truth, len, items, membership, iteration, attributes, calls and
 * isinstance. Each function dispatches through the type's slots and falls back to
 * CPython 3.11's behaviour and error messages when a slot is missing.
 */
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "class.h"
#include "dict.h"
#include "gc.h"
#include "exc.h"
#include "str.h"
#include "tuple.h"
#include "vm.h"

/* Hard cap on nested C-level protocol calls (vm->c_depth, which counts nested evals
 * too), whatever the recursion limit says, so deeply nested containers never overflow
 * the C stack. In a Chromium worker (about half of Node's stack) == of nested lists
 * lost the run ("Maximum call stack size exceeded") at 2,000 levels (fine at 1,500),
 * hashing a nested tuple survived 2,500; in Node hashing failed from about 5,500. */
#ifdef C_STACK_MAX
#elif defined(__EMSCRIPTEN__)
#define C_STACK_MAX 1000
#else
#define C_STACK_MAX 8000
#endif

/* ---- Recursion guards ---- */

/* Enters one level of C recursion; raises RecursionError "maximum recursion depth
 * exceeded[where]" and returns -1 past the limit. */
static int enter_recursive(Vm *vm, const char *where)
{
    if (vm->c_depth >= C_STACK_MAX || STACK_LOW(vm)) {
        err_format(vm, &RecursionErrorType, "maximum recursion depth exceeded%s", where);
        return -1;
    }
    if (vm_enter_c_call(vm, 1, where) < 0) return -1; /* counts with the frames */
    vm->c_depth++;
    return 0;
}

static void leave_recursive(Vm *vm)
{
    vm->c_depth--;
    vm_leave_c_call(vm, 1);
}

int repr_enter(Vm *vm, Object *o)
{
    for (int i = 0; i < vm->repr_depth; i++)
        if (vm->repr_stack[i] == o) return 1;
    if (vm->repr_depth == vm->repr_cap) {
        int cap = vm->repr_cap ? vm->repr_cap * 2 : 16;
        Object **grown = realloc(vm->repr_stack, (size_t)cap * sizeof(Object *));
        if (!grown) { err_no_memory(vm); return -1; }
        vm->repr_stack = grown;
        vm->repr_cap = cap;
    }
    vm->repr_stack[vm->repr_depth++] = o;
    return 0;
}

void repr_leave(Vm *vm, Object *o)
{
    for (int i = vm->repr_depth - 1; i >= 0; i--) {
        if (vm->repr_stack[i] == o) {
            memmove(&vm->repr_stack[i], &vm->repr_stack[i + 1],
                    (size_t)(vm->repr_depth - i - 1) * sizeof(Object *));
            if (--vm->repr_depth == 0) class_clear_repr_guard(vm);
            return;
        }
    }
}

void class_clear_repr_guard(Vm *vm)
{
    free(vm->repr_stack);
    vm->repr_stack = NULL;
    vm->repr_depth = vm->repr_cap = 0;
}

/* ---- repr, str, hash ---- */

Object *obj_repr(Vm *vm, Object *o)
{
    if (TYPE(o) == &StrType && !TYPE(o)->repr) return str_repr(vm, o);
    if (!TYPE(o)->repr) return object_repr(vm, o);
    if (enter_recursive(vm, " while getting the repr of an object") < 0) return NULL;
    Object *r = TYPE(o)->repr(vm, o);
    leave_recursive(vm);
    if (r && !STR_CHECK(r)) {
        err_format(vm, &TypeErrorType, "__repr__ returned non-string (type %s)",
                   type_name(TYPE(r)));
        DECREF(vm, r);
        return NULL;
    }
    return r;
}

Object *obj_str(Vm *vm, Object *o)
{
    if (TYPE(o) == &StrType) return NEWREF(o);
    if (!TYPE(o)->str) return obj_repr(vm, o);
    if (enter_recursive(vm, " while getting the str of an object") < 0) return NULL;
    Object *r = TYPE(o)->str(vm, o);
    leave_recursive(vm);
    if (r && !STR_CHECK(r)) {
        err_format(vm, &TypeErrorType, "__str__ returned non-string (type %s)",
                   type_name(TYPE(r)));
        DECREF(vm, r);
        return NULL;
    }
    return r;
}

Hash obj_hash(Vm *vm, Object *o)
{
    if (!TYPE(o)->hash) {
        err_format(vm, &TypeErrorType, "unhashable type: '%s'", type_name(TYPE(o)));
        return -1;
    }
    /* CPython does not count hashing against the recursion limit; only the C stack
     * bounds it here. */
    if (vm->c_depth >= C_STACK_MAX || STACK_LOW(vm)) {
        err_format(vm, &RecursionErrorType,
                   "maximum recursion depth exceeded while getting the hash of an object");
        return -1;
    }
    vm->c_depth++;
    Hash h = TYPE(o)->hash(vm, o);
    vm->c_depth--;
    return h;
}

/* ---- Rich comparison ---- */

static const int swapped_op[] = {CMP_GT, CMP_GE, CMP_EQ, CMP_NE, CMP_LT, CMP_LE};
static const char *const cmp_symbol[] = {"<", "<=", "==", "!=", ">", ">="};

static Object *do_richcompare(Vm *vm, Object *v, Object *w, int op)
{
    Object *res;
    bool checked_reverse = false;
    Type *tv = TYPE(v), *tw = TYPE(w);
    if (tv != tw && type_is_subtype(tw, tv) && tw->richcompare) {
        checked_reverse = true;
        res = tw->richcompare(vm, w, v, swapped_op[op]);
        if (res != vm->not_implemented) return res;
        DECREF(vm, res);
    }
    if (tv->richcompare) {
        res = tv->richcompare(vm, v, w, op);
        if (res != vm->not_implemented) return res;
        DECREF(vm, res);
    }
    if (!checked_reverse && tw->richcompare) {
        res = tw->richcompare(vm, w, v, swapped_op[op]);
        if (res != vm->not_implemented) return res;
        DECREF(vm, res);
    }
    if (op == CMP_EQ) return bool_from(vm, v == w);
    if (op == CMP_NE) return bool_from(vm, v != w);
    return err_format(vm, &TypeErrorType,
                      "'%s' not supported between instances of '%s' and '%s'",
                      cmp_symbol[op], type_name(tv), type_name(tw));
}

Object *obj_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (enter_recursive(vm, " in comparison") < 0) return NULL;
    Object *r = do_richcompare(vm, a, b, op);
    leave_recursive(vm);
    return r;
}

int obj_richcompare_bool(Vm *vm, Object *a, Object *b, int op)
{
    if (a == b) {
        if (op == CMP_EQ) return 1;
        if (op == CMP_NE) return 0;
    }
    Object *r = obj_richcompare(vm, a, b, op);
    if (!r) return -1;
    int t = r == vm->true_ ? 1 : r == vm->false_ ? 0 : obj_is_true(vm, r);
    DECREF(vm, r);
    return t;
}

/* ---- Binary and unary operators ---- */

static const char *const binop_symbol[] = {
#define X(n, sym, dunder) sym,
    BINOP_LIST(X)
#undef X
};

/* CPython's binary_op1: the left operand's slot, then the right's, trying the right
 * first when its type is a proper subclass of the left's. */
static Object *binary_op1(Vm *vm, Object *v, Object *w, int op)
{
    Object *(*slotv)(Vm *, Object *, Object *, int) = TYPE(v)->binop;
    Object *(*slotw)(Vm *, Object *, Object *, int) = NULL;
    if (TYPE(w) != TYPE(v)) {
        slotw = TYPE(w)->binop;
        if (slotw == slotv) slotw = NULL;
    }
    Object *x;
    if (slotv) {
        if (slotw && type_is_subtype(TYPE(w), TYPE(v))) {
            x = slotw(vm, v, w, op);
            if (x != vm->not_implemented) return x;
            DECREF(vm, x);
            slotw = NULL;
        }
        x = slotv(vm, v, w, op);
        if (x != vm->not_implemented) return x;
        DECREF(vm, x);
    }
    if (slotw) {
        x = slotw(vm, v, w, op);
        if (x != vm->not_implemented) return x;
        DECREF(vm, x);
    }
    return NEWREF(vm->not_implemented);
}

static bool is_sequence(Object *o)
{
    return (TYPE(o)->tflags & (TP_STR_SUB | TP_LIST_SUB | TP_TUPLE_SUB)) ||
           TYPE(o) == &StrType || TYPE(o) == &ListType || TYPE(o) == &TupleType;
}

static Object *binop_error(Vm *vm, Object *v, Object *w, int op)
{
    int base = op & ~BINOP_INPLACE;
    bool inplace = (op & BINOP_INPLACE) != 0;
    if (base == BINOP_MUL && (is_sequence(v) || is_sequence(w))) {
        Object *other = is_sequence(v) ? w : v;
        return err_format(vm, &TypeErrorType, "can't multiply sequence by non-int of type '%s'",
                          type_name(TYPE(other)));
    }
    if (base == BINOP_ADD && is_sequence(v)) {
        const char *seq = (TYPE(v)->tflags & TP_STR_SUB) || TYPE(v) == &StrType ? "str"
                          : (TYPE(v)->tflags & TP_LIST_SUB) || TYPE(v) == &ListType ? "list"
                                                                                      : "tuple";
        return err_format(vm, &TypeErrorType, "can only concatenate %s (not \"%s\") to %s",
                          seq, type_name(TYPE(w)), seq);
    }
    if (base == BINOP_POW && !inplace)
        return err_format(vm, &TypeErrorType,
                          "unsupported operand type(s) for ** or pow(): '%s' and '%s'",
                          type_name(TYPE(v)), type_name(TYPE(w)));
    return err_format(vm, &TypeErrorType, "unsupported operand type(s) for %s%s: '%s' and '%s'",
                      binop_symbol[base], inplace ? "=" : "", type_name(TYPE(v)),
                      type_name(TYPE(w)));
}

Object *obj_binop(Vm *vm, Object *a, Object *b, int op)
{
    Object *r;
    if (op & BINOP_INPLACE) {
        if (TYPE(a)->binop) {
            r = TYPE(a)->binop(vm, a, b, op);
            if (r != vm->not_implemented) return r;
            DECREF(vm, r);
        }
    }
    r = binary_op1(vm, a, b, op & ~BINOP_INPLACE);
    if (r != vm->not_implemented) return r;
    DECREF(vm, r);
    return binop_error(vm, a, b, op);
}

Object *obj_unop(Vm *vm, Object *o, int op)
{
    if (op == UNOP_NOT) {
        int t = obj_is_true(vm, o);
        return t < 0 ? NULL : bool_from(vm, !t);
    }
    if (TYPE(o)->unop) {
        Object *r = TYPE(o)->unop(vm, o, op);
        if (r != vm->not_implemented) return r;
        DECREF(vm, r);
    }
    static const char *const sym[] = {"-", "+", "~"};
    return err_format(vm, &TypeErrorType, "bad operand type for unary %s: '%s'", sym[op],
                      type_name(TYPE(o)));
}

/* ---- Truth, length, items, membership ---- */

int obj_is_true(Vm *vm, Object *o)
{
    if (o == vm->true_) return 1;
    if (o == vm->false_ || o == vm->none) return 0;
    if (TYPE(o)->is_true) return TYPE(o)->is_true(vm, o);
    if (TYPE(o)->len) {
        int64_t n = TYPE(o)->len(vm, o);
        return n < 0 ? -1 : n > 0;
    }
    return 1;
}

int64_t obj_len(Vm *vm, Object *o)
{
    if (TYPE(o)->len) return TYPE(o)->len(vm, o);
    err_format(vm, &TypeErrorType, "object of type '%s' has no len()", type_name(TYPE(o)));
    return -1;
}

Object *obj_getitem(Vm *vm, Object *o, Object *key)
{
    if (TYPE(o)->getitem) return TYPE(o)->getitem(vm, o, key);
    if (TYPE(o) == &TypeType || (TYPE(o)->tflags & TP_TYPE_SUB)) {
        Object *m = type_lookup_str((Type *)o, "__class_getitem__");
        if (m) {
            Object *bound = descr_bind(vm, m, NULL, (Type *)o);
            if (!bound) return NULL;
            Object *r = obj_call_args(vm, bound, 1, key);
            DECREF(vm, bound);
            return r;
        }
        return err_format(vm, &TypeErrorType, "type '%s' is not subscriptable",
                          type_name((Type *)o));
    }
    return err_format(vm, &TypeErrorType, "'%s' object is not subscriptable",
                      type_name(TYPE(o)));
}

int obj_setitem(Vm *vm, Object *o, Object *key, Object *value)
{
    if (TYPE(o)->setitem) return TYPE(o)->setitem(vm, o, key, value);
    if (value)
        err_format(vm, &TypeErrorType, "'%s' object does not support item assignment",
                   type_name(TYPE(o)));
    else
        err_format(vm, &TypeErrorType, "'%s' object doesn't support item deletion",
                   type_name(TYPE(o)));
    return -1;
}

int obj_delitem(Vm *vm, Object *o, Object *key) { return obj_setitem(vm, o, key, NULL); }

int obj_contains(Vm *vm, Object *container, Object *item)
{
    if (TYPE(container)->contains) return TYPE(container)->contains(vm, container, item);
    if (!TYPE(container)->iter && !TYPE(container)->getitem) {
        err_format(vm, &TypeErrorType, "argument of type '%s' is not iterable",
                   type_name(TYPE(container)));
        return -1;
    }
    Object *it = obj_iter(vm, container);
    if (!it) return -1;
    int found = 0;
    Object *x;
    while ((x = obj_next(vm, it)) != NULL) {
        found = obj_richcompare_bool(vm, x, item, CMP_EQ);
        DECREF(vm, x);
        if (found != 0) break;
    }
    DECREF(vm, it);
    if (found == 0 && vm->exc) return -1;
    return found;
}

/* ---- Iteration ---- */

Object *obj_iter(Vm *vm, Object *o)
{
    if (!TYPE(o)->iter) {
        if (TYPE(o)->getitem && (TYPE(o)->tflags & TP_HEAPTYPE)) return seqiter_new(vm, o);
        return err_format(vm, &TypeErrorType, "'%s' object is not iterable", type_name(TYPE(o)));
    }
    Object *it = TYPE(o)->iter(vm, o);
    if (it && !TYPE(it)->iternext) {
        err_format(vm, &TypeErrorType, "iter() returned non-iterator of type '%s'",
                   type_name(TYPE(it)));
        DECREF(vm, it);
        return NULL;
    }
    return it;
}

Object *obj_next(Vm *vm, Object *iter)
{
    /* Each item C code pulls from an iterator (sum, max, list(), str.join, unpacking,
     * ...) is a step of the budget, as a bytecode instruction is: otherwise a builtin
     * looping over range(10**12) would run for hours where the budget promises a stop. */
    if (__builtin_expect(++vm->steps > vm->config.max_steps, 0)) {
        vm_raise_budget(vm);
        return NULL;
    }
    if (!TYPE(iter)->iternext)
        return err_format(vm, &TypeErrorType, "'%s' object is not an iterator",
                          type_name(TYPE(iter)));
    Object *r = TYPE(iter)->iternext(vm, iter);
    /* As PyIter_Next: a StopIteration (a generator's return value) is exhaustion. */
    if (!r && vm->exc && err_matches(vm, &StopIterationType)) err_clear(vm);
    return r;
}

/* ---- Attributes ---- */

static int check_attr_name(Vm *vm, Object *name)
{
    if (STR_CHECK(name)) return 0;
    err_format(vm, &TypeErrorType, "attribute name must be string, not '%s'",
               type_name(TYPE(name)));
    return -1;
}

Object *obj_getattr(Vm *vm, Object *o, Object *name)
{
    if (check_attr_name(vm, name) < 0) return NULL;
    if (TYPE(o)->getattr) return TYPE(o)->getattr(vm, o, name);
    return obj_generic_getattr(vm, o, name);
}

Object *obj_getattr_cstr(Vm *vm, Object *o, const char *name)
{
    Object *n = str_intern_cstr(vm, name);
    if (!n) return NULL;
    Object *r = obj_getattr(vm, o, n);
    DECREF(vm, n);
    return r;
}

Object *obj_lookup_attr(Vm *vm, Object *o, Object *name)
{
    Object *r = obj_getattr(vm, o, name);
    if (!r && err_matches(vm, &AttributeErrorType)) err_clear(vm);
    return r;
}

int obj_setattr(Vm *vm, Object *o, Object *name, Object *value)
{
    if (check_attr_name(vm, name) < 0) return -1;
    if (TYPE(o)->setattr) return TYPE(o)->setattr(vm, o, name, value);
    return obj_generic_setattr(vm, o, name, value);
}

/* Returns the address of [o]'s __dict__ slot, or NULL if it has none. */
static Object **dict_slot(Object *o)
{
    size_t off = TYPE(o)->dict_offset;
    return off ? (Object **)((char *)o + off) : NULL;
}

static bool is_data_descr(Object *d)
{
    return TYPE(d)->descr_get && TYPE(d)->descr_set;
}

Object *obj_generic_getattr(Vm *vm, Object *o, Object *name)
{
    Type *t = TYPE(o);
    Object *descr = type_lookup(t, name);
    if (descr && is_data_descr(descr))
        return TYPE(descr)->descr_get(vm, descr, o, (Object *)t);
    Object **slot = dict_slot(o);
    if (slot && *slot) {
        Object *v = dict_get(vm, *slot, name);
        if (v) return NEWREF(v);
        if (vm->exc) return NULL;
    }
    if (descr) {
        if (TYPE(descr)->descr_get) return TYPE(descr)->descr_get(vm, descr, o, (Object *)t);
        return NEWREF(descr);
    }
    if (str_eq_cstr(name, "__class__")) return NEWREF((Object *)t);
    if (slot && str_eq_cstr(name, "__dict__")) {
        if (!*slot && !(*slot = dict_new(vm))) return NULL;
        gc_dict_materialize(vm, *slot);
        return NEWREF(*slot);
    }
    exc_attribute_error(vm, o, name);
    return NULL;
}

int obj_generic_setattr(Vm *vm, Object *o, Object *name, Object *value)
{
    Type *t = TYPE(o);
    Object *descr = type_lookup(t, name);
    if (descr && TYPE(descr)->descr_set)
        return TYPE(descr)->descr_set(vm, descr, o, value);
    Object **slot = dict_slot(o);
    if (!slot) {
        if (descr)
            err_format(vm, &AttributeErrorType, "'%s' object attribute '%U' is read-only",
                       type_name(t), name);
        else
            exc_attribute_error(vm, o, name);
        return -1;
    }
    if (value) {
        if (!*slot && !(*slot = gc_instance_dict(vm, o))) return -1;
        return dict_set(vm, *slot, name, value);
    }
    int r = *slot ? dict_discard(vm, *slot, name) : 0;
    if (r == 0) exc_attribute_error(vm, o, name);
    return r > 0 ? 0 : -1;
}

/* ---- Calls ---- */

Object *obj_call(Vm *vm, Object *callable, Object **args, size_t nargs, Object *kwnames)
{
    CallFn call = TYPE(callable)->call;
    if (!call)
        return err_format(vm, &TypeErrorType, "'%s' object is not callable",
                          type_name(TYPE(callable)));
    return call(vm, callable, args, nargs, kwnames);
}

Object *obj_call_args(Vm *vm, Object *callable, int nargs, ...)
{
    Object *args[16];
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs && i < 16; i++) args[i] = va_arg(ap, Object *);
    va_end(ap);
    return obj_call(vm, callable, args, (size_t)nargs, NULL);
}

Object *obj_call_method(Vm *vm, Object *self, const char *name, int nargs, ...)
{
    Object *args[17];
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs && i < 16; i++) args[i + 1] = va_arg(ap, Object *);
    va_end(ap);
    Object *m = type_lookup_str(TYPE(self), name);
    if (m && TYPE(m) == &FunctionType) {
        args[0] = self;
        return obj_call(vm, m, args, (size_t)nargs + 1, NULL);
    }
    Object *bound = obj_getattr_cstr(vm, self, name);
    if (!bound) return NULL;
    Object *r = obj_call(vm, bound, args + 1, (size_t)nargs, NULL);
    DECREF(vm, bound);
    return r;
}

/* ---- isinstance ---- */

bool type_is_subtype(Type *a, Type *b)
{
    if (a == b) return true;
    if (a->mro) {
        for (size_t i = 0; i < TUPLE_SIZE(a->mro); i++)
            if ((Type *)TUPLE_ITEM(a->mro, i) == b) return true;
        return false;
    }
    for (Type *t = a->base; t; t = t->base)
        if (t == b) return true;
    return b == &ObjectType;
}

bool obj_isinstance_type(Object *o, Type *type) { return type_is_subtype(TYPE(o), type); }

static bool is_type(Object *o)
{
    return TYPE(o) == &TypeType || type_is_subtype(TYPE(o), &TypeType);
}

int obj_isinstance(Vm *vm, Object *o, Object *cls)
{
    if (is_type(cls)) return type_is_subtype(TYPE(o), (Type *)cls);
    if (TYPE(cls) == &TupleType) {
        for (size_t i = 0; i < TUPLE_SIZE(cls); i++) {
            int r = obj_isinstance(vm, o, TUPLE_ITEM(cls, i));
            if (r != 0) return r;
        }
        return 0;
    }
    err_format(vm, &TypeErrorType,
               "isinstance() arg 2 must be a type, a tuple of types, or a union");
    return -1;
}
