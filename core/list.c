/* list.c — the list type: storage with CPython 3.11's over-allocation (so
 * sys.getsizeof matches), indexing and slicing (also assignment and deletion), the
 * list methods, a stable merge sort, comparisons, repr, and the forward and reverse
 * list iterators. Every change of contents reports EV(mutate).
 */
#include "list.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "class.h"
#include "events.h"
#include "float.h"
#include "int.h"
#include "misc.h"
#include "str.h"
#include "tuple.h"
#include "vm.h"

#define LIST(o) ((ListObject *)(o))
#define LIST_CHECK(o) (TYPE(o) == &ListType || type_is_subtype(TYPE(o), &ListType))

/* ---- storage ---- */

/* Reallocates the item buffer to exactly [newcap] slots. */
static int list_set_cap(Vm *vm, ListObject *l, size_t newcap)
{
    if (newcap > SIZE_MAX / sizeof(Object *) / 2) {
        err_no_memory(vm);
        return -1;
    }
    Object **items;
    if (newcap == 0) {
        if (l->items) mem_free(vm, l->items, l->cap * sizeof(Object *));
        items = NULL;
    } else if (l->items == NULL) {
        items = mem_alloc(vm, newcap * sizeof(Object *));
    } else {
        items = mem_realloc(vm, l->items, l->cap * sizeof(Object *), newcap * sizeof(Object *));
    }
    if (newcap && !items) return -1;
    l->items = items;
    l->cap = newcap;
    return 0;
}

/* Sets the size to [newsize], reallocating as CPython 3.11's list_resize (the items
 * between the old and new size are left for the caller to fill or release). */
static int list_resize(Vm *vm, ListObject *l, size_t newsize)
{
    if (l->cap >= newsize && newsize >= (l->cap >> 1)) {
        l->size = newsize;
        return 0;
    }
    if (newsize > SIZE_MAX / 16) {
        err_no_memory(vm);
        return -1;
    }
    size_t newcap = (newsize + (newsize >> 3) + 6) & ~(size_t)3;
    if ((intptr_t)(newsize - l->size) > (intptr_t)(newcap - newsize))
        newcap = (newsize + 3) & ~(size_t)3;
    if (newsize == 0) newcap = 0;
    if (list_set_cap(vm, l, newcap) < 0) return -1;
    l->size = newsize;
    return 0;
}

static Object *list_alloc(Vm *vm, Type *type)
{
    Object *o = obj_alloc(vm, type, type->basicsize);
    if (!o) return NULL;
    gc_track(vm, o);
    return o;
}

Object *list_new(Vm *vm, size_t n)
{
    /* Refuse sizes past the budget before allocating anything, counting 8 bytes a
     * slot on every build, so native and wasm32 fail at the same point. */
    if (n > vm->config.max_memory / 8) return err_no_memory(vm);
    ListObject *l = (ListObject *)obj_alloc(vm, &ListType, sizeof(ListObject));
    if (!l) return NULL;
    if (n) {
        l->items = mem_alloc(vm, n * sizeof(Object *));
        if (!l->items) {
            obj_free(vm, (Object *)l);
            return NULL;
        }
        memset(l->items, 0, n * sizeof(Object *));
    }
    l->size = l->cap = n;
    gc_track(vm, (Object *)l);
    return (Object *)l;
}

int list_append(Vm *vm, Object *list, Object *item)
{
    ListObject *l = LIST(list);
    size_t n = l->size;
    if (n < l->cap) {
        l->items[n] = NEWREF(item);
        l->size = n + 1;
    } else {
        if (list_resize(vm, l, n + 1) < 0) return -1;
        l->items[n] = NEWREF(item);
    }
    EV(vm, mutate, list);
    return 0;
}

/* Drops every item (list.clear, also used before re-initialising). */
static void list_clear_items(Vm *vm, ListObject *l)
{
    Object **items = l->items;
    size_t n = l->size, cap = l->cap;
    l->items = NULL;
    l->size = l->cap = 0;
    EV(vm, mutate, (Object *)l); /* before the items go: their __del__ may run code */
    for (size_t i = n; i-- > 0;) XDECREF(vm, items[i]);
    if (items) mem_free(vm, items, cap * sizeof(Object *));
}

/* Estimates how many items [o] will yield, as PyObject_LengthHint; -1 on error. */
static int64_t length_hint(Vm *vm, Object *o, int64_t dflt)
{
    if (TYPE(o)->len) {
        int64_t n = TYPE(o)->len(vm, o);
        if (n >= 0) return n;
        if (!err_matches(vm, &TypeErrorType)) return -1;
        err_clear(vm);
    }
    if (!type_lookup_str(TYPE(o), "__length_hint__")) return dflt;
    Object *r = obj_call_method(vm, o, "__length_hint__", 0);
    if (!r) {
        if (!err_matches(vm, &TypeErrorType)) return -1;
        err_clear(vm);
        return dflt;
    }
    int64_t n = dflt;
    if (r != vm->not_implemented) { /* NotImplemented: the default */
        if (!INT_CHECK(r)) {
            err_format(vm, &TypeErrorType, "__length_hint__ must be an integer, not %T", r);
            n = -1;
        } else if (int_as_i64(vm, r, &n) < 0) {
            n = -1;
        } else if (n < 0) {
            err_format(vm, &ValueErrorType, "__length_hint__() should return >= 0");
        }
    }
    DECREF(vm, r);
    return n;
}

int list_extend(Vm *vm, Object *list, Object *iterable)
{
    ListObject *l = LIST(list);
    if (TYPE(iterable) == &ListType || TYPE(iterable) == &TupleType || iterable == list) {
        size_t n = TYPE(iterable) == &TupleType ? TUPLE_SIZE(iterable) : LIST_SIZE(iterable);
        if (n == 0) return 0;
        Object **src = TYPE(iterable) == &TupleType ? ((TupleObject *)iterable)->items
                                                     : LIST(iterable)->items;
        size_t m = l->size;
        if (l->items == NULL) {
            if (list_set_cap(vm, l, (n + 1) & ~(size_t)1) < 0) return -1;
            l->size = n;
        } else if (list_resize(vm, l, m + n) < 0) {
            return -1;
        }
        if (iterable == list) src = l->items;
        for (size_t i = 0; i < n; i++) l->items[m + i] = NEWREF(src[i]);
        EV(vm, mutate, list);
        return 0;
    }
    Object *it = obj_iter(vm, iterable);
    if (!it) return -1;
    int64_t hint = length_hint(vm, iterable, 8);
    if (hint >= 0 && (uint64_t)hint >= SIZE_MAX / 32) err_no_memory(vm); /* cannot fit */
    if (hint < 0 || vm->exc) {
        DECREF(vm, it);
        return -1;
    }
    size_t m = l->size;
    if (l->items == NULL) {
        if (hint > 0 && list_set_cap(vm, l, ((size_t)hint + 1) & ~(size_t)1) < 0) {
            DECREF(vm, it);
            return -1;
        }
    } else if (hint > 0) {
        if (list_resize(vm, l, m + (size_t)hint) < 0) {
            DECREF(vm, it);
            return -1;
        }
        l->size = m;
    }
    bool changed = false;
    for (;;) {
        Object *item = obj_next(vm, it);
        if (!item) break;
        changed = true;
        if (l->size < l->cap) {
            l->items[l->size++] = item;
        } else {
            size_t n = l->size;
            if (list_resize(vm, l, n + 1) < 0) {
                DECREF(vm, item);
                break;
            }
            l->items[n] = item;
        }
    }
    DECREF(vm, it);
    if (changed) EV(vm, mutate, list);
    if (vm->exc) return -1;
    if (l->size < l->cap && list_resize(vm, l, l->size) < 0) return -1;
    return 0;
}

Object *list_from_iterable(Vm *vm, Object *iterable)
{
    Object *l = list_new(vm, 0);
    if (!l) return NULL;
    if (list_extend(vm, l, iterable) < 0) {
        DECREF(vm, l);
        return NULL;
    }
    return l;
}

Object *list_as_tuple(Vm *vm, Object *list)
{
    return tuple_from_array(vm, LIST(list)->items, LIST(list)->size);
}

int list_insert(Vm *vm, Object *list, intptr_t where, Object *item)
{
    ListObject *l = LIST(list);
    intptr_t n = (intptr_t)l->size;
    if (where < 0) {
        where += n;
        if (where < 0) where = 0;
    }
    if (where > n) where = n;
    if (list_resize(vm, l, (size_t)n + 1) < 0) return -1;
    memmove(&l->items[where + 1], &l->items[where], (size_t)(n - where) * sizeof(Object *));
    l->items[where] = NEWREF(item);
    EV(vm, mutate, list);
    return 0;
}

void list_reverse(Vm *vm, Object *list)
{
    ListObject *l = LIST(list);
    if (l->size < 2) return;
    for (size_t i = 0, j = l->size - 1; i < j; i++, j--) {
        Object *t = l->items[i];
        l->items[i] = l->items[j];
        l->items[j] = t;
    }
    EV(vm, mutate, list);
}

/* ---- sorting: natural merge sort with binary insertion for short runs ---- */

typedef struct {
    Object *key;
    Object *value;
} SortItem;

/* a < b for sorting, with fast paths for exact ints, floats and strs. */
static int sort_lt(Vm *vm, Object *a, Object *b)
{
    Type *ta = TYPE(a), *tb = TYPE(b);
    if (ta == tb) {
        if (ta == &IntType && ((IntObject *)a)->ndigits == 0 && ((IntObject *)b)->ndigits == 0)
            return ((IntObject *)a)->small < ((IntObject *)b)->small;
        if (ta == &FloatType)
            return ((FloatObject *)a)->value < ((FloatObject *)b)->value;
        if (ta == &StrType) {
            StrObject *sa = (StrObject *)a, *sb = (StrObject *)b;
            size_t n = sa->byte_len < sb->byte_len ? sa->byte_len : sb->byte_len;
            int c = memcmp(sa->data, sb->data, n);
            return c < 0 || (c == 0 && sa->byte_len < sb->byte_len);
        }
    }
    return obj_richcompare_bool(vm, a, b, CMP_LT);
}

/* Finds where [x] goes in the sorted a[0..n) (after equal items); -1 on error. */
static intptr_t sort_bisect(Vm *vm, SortItem *a, size_t n, Object *x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int lt = sort_lt(vm, x, a[mid].key);
        if (lt < 0) return -1;
        if (lt) hi = mid;
        else lo = mid + 1;
    }
    return (intptr_t)lo;
}

/* Binary insertion sort of a[0..n) where a[0..start) is already sorted. */
static int sort_insertion(Vm *vm, SortItem *a, size_t start, size_t n)
{
    for (size_t i = start; i < n; i++) {
        SortItem x = a[i];
        intptr_t pos = sort_bisect(vm, a, i, x.key);
        if (pos < 0) return -1;
        memmove(&a[pos + 1], &a[pos], (i - (size_t)pos) * sizeof(SortItem));
        a[pos] = x;
    }
    return 0;
}

/* Merges the sorted runs a[lo..mid) and a[mid..hi) using [tmp]; on error every item
 * is still somewhere in a[lo..hi). */
static int sort_merge(Vm *vm, SortItem *a, size_t lo, size_t mid, size_t hi, SortItem *tmp)
{
    size_t nl = mid - lo;
    memcpy(tmp, &a[lo], nl * sizeof(SortItem));
    size_t i = 0, j = mid, k = lo;
    while (i < nl && j < hi) {
        int lt = sort_lt(vm, a[j].key, tmp[i].key);
        if (lt < 0) {
            memcpy(&a[k], &tmp[i], (nl - i) * sizeof(SortItem));
            return -1;
        }
        a[k++] = lt ? a[j++] : tmp[i++];
    }
    memcpy(&a[k], &tmp[i], (nl - i) * sizeof(SortItem));
    return 0;
}

/* Counts the run starting at a[lo] (reversing a strictly descending one). */
static intptr_t sort_count_run(Vm *vm, SortItem *a, size_t lo, size_t n)
{
    if (lo + 1 >= n) return (intptr_t)(n - lo);
    size_t i = lo + 1;
    int lt = sort_lt(vm, a[i].key, a[lo].key);
    if (lt < 0) return -1;
    if (lt) {
        for (i++; i < n; i++) {
            lt = sort_lt(vm, a[i].key, a[i - 1].key);
            if (lt < 0) return -1;
            if (!lt) break;
        }
        for (size_t x = lo, y = i - 1; x < y; x++, y--) {
            SortItem t = a[x];
            a[x] = a[y];
            a[y] = t;
        }
    } else {
        for (i++; i < n; i++) {
            lt = sort_lt(vm, a[i].key, a[i - 1].key);
            if (lt < 0) return -1;
            if (lt) break;
        }
    }
    return (intptr_t)(i - lo);
}

#define MIN_RUN 32

static int sort_items(Vm *vm, SortItem *a, size_t n)
{
    if (n < 2) return 0;
    size_t *runs = malloc((n / MIN_RUN + 2) * sizeof(size_t) * 2);
    SortItem *tmp = malloc(n * sizeof(SortItem));
    if (!runs || !tmp) {
        free(runs);
        free(tmp);
        err_no_memory(vm);
        return -1;
    }
    int rc = 0;
    size_t nruns = 0, lo = 0;
    while (lo < n && rc == 0) {
        intptr_t len = sort_count_run(vm, a, lo, n);
        if (len < 0) { rc = -1; break; }
        if ((size_t)len < MIN_RUN && lo + (size_t)len < n) {
            size_t end = lo + MIN_RUN < n ? lo + MIN_RUN : n;
            rc = sort_insertion(vm, a + lo, (size_t)len, end - lo);
            len = (intptr_t)(end - lo);
        }
        runs[nruns++] = lo;
        lo += (size_t)len;
    }
    runs[nruns] = n;
    while (rc == 0 && nruns > 1) {
        size_t out = 0;
        for (size_t r = 0; r < nruns; r += 2) {
            if (r + 1 < nruns && rc == 0)
                rc = sort_merge(vm, a, runs[r], runs[r + 1], runs[r + 2], tmp);
            runs[out++] = runs[r];
        }
        runs[out] = n;
        nruns = out;
    }
    free(runs);
    free(tmp);
    return rc;
}

static void sort_reverse_items(SortItem *a, size_t n)
{
    for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        SortItem t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

int list_sort(Vm *vm, Object *list, Object *key, bool reverse)
{
    ListObject *l = LIST(list);
    if (key && IS_NONE(vm, key)) key = NULL;
    Object **items = l->items;
    size_t n = l->size, cap = l->cap;
    l->items = NULL;
    l->size = l->cap = 0;
    EV(vm, mutate, list); /* empty while sorting, as CPython (key functions see it) */
    SortItem *a = malloc((n ? n : 1) * sizeof(SortItem));
    int rc = a ? 0 : -1;
    if (!a) err_no_memory(vm);
    size_t nkeys = 0;
    if (key) EV(vm, watch, items, n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        a[i].value = items[i];
        a[i].key = items[i];
        if (key) {
            a[i].key = obj_call(vm, key, &items[i], 1, NULL);
            if (!a[i].key) rc = -1;
            else nkeys++;
        }
    }
    if (rc == 0) {
        if (reverse) sort_reverse_items(a, n);
        rc = sort_items(vm, a, n);
        if (reverse) sort_reverse_items(a, n);
        for (size_t i = 0; i < n; i++) items[i] = a[i].value;
    }
    if (key)
        for (size_t i = 0; i < nkeys; i++) DECREF(vm, a[i].key);
    free(a);
    bool modified = l->items != NULL || l->size != 0;
    if (modified) list_clear_items(vm, l);
    l->items = items;
    l->size = n;
    l->cap = cap;
    EV(vm, mutate, list);
    if (modified && rc == 0) {
        err_format(vm, &ValueErrorType, "list modified during sort");
        return -1;
    }
    return rc;
}

/* ---- indexing and slicing ---- */

/* Slices are in 64 bits, as Py_ssize_t is in CPython: a huge step is no wraparound in
 * the wasm build (intptr_t is 32 bits there). */
static Object *list_slice(Vm *vm, ListObject *l, int64_t start, int64_t step, int64_t n)
{
    ListObject *r = (ListObject *)list_new(vm, (size_t)n);
    if (!r) return NULL;
    for (int64_t i = 0, j = start; i < n; i++, j += step) r->items[i] = NEWREF(l->items[j]);
    return (Object *)r;
}

static Object *list_getitem(Vm *vm, Object *self, Object *key)
{
    ListObject *l = LIST(self);
    if (TYPE(key) == &SliceType) {
        int64_t start, stop, step;
        int64_t n = slice_indices(vm, key, (int64_t)l->size, &start, &stop, &step);
        if (n < 0) return NULL;
        return list_slice(vm, l, start, step, n);
    }
    if (!INT_CHECK(key) && !type_lookup_str(TYPE(key), "__index__"))
        return err_format(vm, &TypeErrorType, "list indices must be integers or slices, not %T", key);
    intptr_t i;
    if (index_as_ssize(vm, key, &i) < 0) return NULL;
    if (i < 0) i += (intptr_t)l->size;
    if (i < 0 || (size_t)i >= l->size)
        return err_format(vm, &IndexErrorType, "list index out of range");
    return NEWREF(l->items[i]);
}

/* Replaces l[lo:hi] by the items of [v] (NULL: deletion), as list_ass_slice. */
static int list_ass_simple_slice(Vm *vm, ListObject *l, intptr_t lo, intptr_t hi, Object *v)
{
    Object *seq = NULL;
    Object **vitems = NULL;
    size_t vn = 0;
    if (v) {
        if (TYPE(v) == &ListType || TYPE(v) == &TupleType) {
            seq = (Object *)v == (Object *)l ? list_slice(vm, l, 0, 1, (intptr_t)l->size)
                                             : NEWREF(v);
        } else {
            if (!TYPE(v)->iter && !type_lookup_str(TYPE(v), "__iter__") &&
                !type_lookup_str(TYPE(v), "__getitem__")) {
                err_format(vm, &TypeErrorType, "can only assign an iterable");
                return -1;
            }
            seq = list_from_iterable(vm, v);
        }
        if (!seq) return -1;
        vn = TYPE(seq) == &TupleType ? TUPLE_SIZE(seq) : LIST_SIZE(seq);
        vitems = TYPE(seq) == &TupleType ? ((TupleObject *)seq)->items : LIST(seq)->items;
    }
    intptr_t n = (intptr_t)l->size;
    if (lo < 0) lo = 0;
    else if (lo > n) lo = n;
    if (hi < lo) hi = lo;
    else if (hi > n) hi = n;
    size_t norig = (size_t)(hi - lo);
    Object **recycle = NULL;
    if (norig) {
        recycle = malloc(norig * sizeof(Object *));
        if (!recycle) {
            XDECREF(vm, seq);
            err_no_memory(vm);
            return -1;
        }
        memcpy(recycle, &l->items[lo], norig * sizeof(Object *));
    }
    intptr_t d = (intptr_t)vn - (intptr_t)norig;
    if (d < 0) {
        memmove(&l->items[hi + d], &l->items[hi], (size_t)(n - hi) * sizeof(Object *));
        list_resize(vm, l, (size_t)(n + d));
    } else if (d > 0) {
        if (list_resize(vm, l, (size_t)(n + d)) < 0) {
            free(recycle);
            XDECREF(vm, seq);
            return -1;
        }
        memmove(&l->items[hi + d], &l->items[hi], (size_t)(n - hi) * sizeof(Object *));
    }
    for (size_t k = 0; k < vn; k++) l->items[lo + (intptr_t)k] = NEWREF(vitems[k]);
    EV(vm, mutate, (Object *)l);
    for (size_t k = norig; k-- > 0;) DECREF(vm, recycle[k]);
    free(recycle);
    XDECREF(vm, seq);
    return 0;
}

static int list_ass_ext_slice(Vm *vm, ListObject *l, int64_t start, int64_t step,
                              int64_t n, Object *v)
{
    if (!v) {
        if (n <= 0) return 0;
        if (step < 0) {
            start = start + step * (n - 1);
            step = -step;
        }
        Object **garbage = malloc((size_t)n * sizeof(Object *));
        if (!garbage) {
            err_no_memory(vm);
            return -1;
        }
        size_t w = (size_t)start, r = (size_t)start, g = 0;
        for (; r < l->size; r++) {
            if (g < (size_t)n && r == (size_t)start + g * (size_t)step) garbage[g++] = l->items[r];
            else l->items[w++] = l->items[r];
        }
        list_resize(vm, l, l->size - (size_t)n);
        EV(vm, mutate, (Object *)l);
        for (size_t k = 0; k < g; k++) DECREF(vm, garbage[k]);
        free(garbage);
        return 0;
    }
    Object *seq = (Object *)l == v ? list_slice(vm, l, 0, 1, (intptr_t)l->size)
                                   : list_from_iterable(vm, v);
    if (!seq) {
        if (err_matches(vm, &TypeErrorType) && !TYPE(v)->iter) {
            err_clear(vm);
            err_format(vm, &TypeErrorType, "must assign iterable to extended slice");
        }
        return -1;
    }
    if ((int64_t)LIST_SIZE(seq) != n) {
        err_format(vm, &ValueErrorType,
                   "attempt to assign sequence of size %zd to extended slice of size %zd",
                   (size_t)LIST_SIZE(seq), (size_t)n);
        DECREF(vm, seq);
        return -1;
    }
    for (int64_t i = 0, j = start; i < n; i++, j += step) {
        Object *old = l->items[j];
        l->items[j] = LIST(seq)->items[i];
        LIST(seq)->items[i] = old;
    }
    EV(vm, mutate, (Object *)l);
    DECREF(vm, seq);
    return 0;
}

static int list_setitem(Vm *vm, Object *self, Object *key, Object *value)
{
    ListObject *l = LIST(self);
    if (TYPE(key) == &SliceType) {
        int64_t start, stop, step;
        int64_t n = slice_indices(vm, key, (int64_t)l->size, &start, &stop, &step);
        if (n < 0) return -1;
        if (step == 1) return list_ass_simple_slice(vm, l, start, stop, value);
        if (step < 0 && value == NULL) {
            /* normalise so the deletion walks forward */
        }
        return list_ass_ext_slice(vm, l, start, step, n, value);
    }
    if (!INT_CHECK(key) && !type_lookup_str(TYPE(key), "__index__")) {
        err_format(vm, &TypeErrorType, "list indices must be integers or slices, not %T", key);
        return -1;
    }
    intptr_t i;
    if (index_as_ssize(vm, key, &i) < 0) return -1;
    if (i < 0) i += (intptr_t)l->size;
    if (i < 0 || (size_t)i >= l->size) {
        err_format(vm, &IndexErrorType, "list assignment index out of range");
        return -1;
    }
    if (value) {
        Object *old = l->items[i];
        l->items[i] = NEWREF(value);
        EV(vm, mutate, self);
        DECREF(vm, old);
        return 0;
    }
    return list_ass_simple_slice(vm, l, i, i + 1, NULL);
}

/* ---- protocol slots ---- */

static void list_dealloc(Vm *vm, Object *self)
{
    list_clear_items(vm, LIST(self));
    obj_free(vm, self);
}

static int list_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    ListObject *l = LIST(self);
    for (size_t i = l->size; i-- > 0;) {
        if (l->items[i]) {
            int rc = visit(vm, l->items[i], arg);
            if (rc) return rc;
        }
    }
    return 0;
}

static void list_gc_clear(Vm *vm, Object *self)
{
    list_clear_items(vm, LIST(self));
}

static Object *list_repr(Vm *vm, Object *self)
{
    ListObject *l = LIST(self);
    if (l->size == 0) return str_from_cstr(vm, "[]");
    int rc = repr_enter(vm, self);
    if (rc < 0) return NULL;
    if (rc > 0) return str_from_cstr(vm, "[...]");
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_char(&b, '[');
    for (size_t i = 0; i < l->size; i++) {
        if (i) strbuf_append(&b, ", ", 2);
        Object *item = NEWREF(l->items[i]);
        Object *r = obj_repr(vm, item);
        DECREF(vm, item);
        if (!r) {
            strbuf_free(&b);
            repr_leave(vm, self);
            return NULL;
        }
        strbuf_append_str(&b, r);
        DECREF(vm, r);
    }
    strbuf_append_char(&b, ']');
    repr_leave(vm, self);
    return strbuf_finish(vm, &b);
}

static Object *list_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (!LIST_CHECK(a) || !LIST_CHECK(b)) return NEWREF(vm->not_implemented);
    ListObject *x = LIST(a), *y = LIST(b);
    if (x->size != y->size && (op == CMP_EQ || op == CMP_NE)) return bool_from(vm, op == CMP_NE);
    size_t i;
    for (i = 0; i < x->size && i < y->size; i++) {
        Object *p = NEWREF(x->items[i]), *q = NEWREF(y->items[i]);
        int eq = obj_richcompare_bool(vm, p, q, CMP_EQ);
        DECREF(vm, p);
        DECREF(vm, q);
        if (eq < 0) return NULL;
        if (!eq) break;
    }
    if (i >= x->size || i >= y->size)
        return bool_from(vm, cmp_holds(op, (x->size > y->size) - (x->size < y->size)));
    if (op == CMP_EQ) return bool_from(vm, 0);
    if (op == CMP_NE) return bool_from(vm, 1);
    Object *p = NEWREF(x->items[i]), *q = NEWREF(y->items[i]);
    Object *r = obj_richcompare(vm, p, q, op);
    DECREF(vm, p);
    DECREF(vm, q);
    return r;
}

/* Returns l * n as a new list; MemoryError when the size is beyond the budget. */
static Object *list_repeat(Vm *vm, ListObject *l, intptr_t n)
{
    if (n <= 0 || l->size == 0) return list_new(vm, 0);
    if ((size_t)n > vm->config.max_memory / 8 / l->size) return err_no_memory(vm);
    size_t total = l->size * (size_t)n;
    ListObject *r = (ListObject *)list_new(vm, total);
    if (!r) return NULL;
    for (size_t k = 0; k < total; k++) r->items[k] = NEWREF(l->items[k % l->size]);
    return (Object *)r;
}

static bool is_index(Object *o)
{
    return INT_CHECK(o) || type_lookup_str(TYPE(o), "__index__") != NULL;
}

static Object *list_inplace_repeat(Vm *vm, Object *self, intptr_t n)
{
    ListObject *l = LIST(self);
    if (n <= 0 || l->size == 0) {
        list_clear_items(vm, l);
        EV(vm, mutate, self);
        return NEWREF(self);
    }
    if (n == 1) return NEWREF(self);
    if ((size_t)n > vm->config.max_memory / 8 / l->size) return err_no_memory(vm);
    size_t m = l->size, total = m * (size_t)n;
    if (list_resize(vm, l, total) < 0) return NULL;
    for (size_t k = m; k < total; k++) l->items[k] = NEWREF(l->items[k % m]);
    EV(vm, mutate, self);
    return NEWREF(self);
}

static Object *list_binop(Vm *vm, Object *a, Object *b, int op)
{
    bool inplace = op >= BINOP_INPLACE;
    int base = inplace ? op - BINOP_INPLACE : op;
    if (base == BINOP_ADD) {
        if (!LIST_CHECK(a)) return NEWREF(vm->not_implemented);
        if (inplace) {
            if (list_extend(vm, a, b) < 0) return NULL;
            return NEWREF(a);
        }
        if (!LIST_CHECK(b)) {
            return NEWREF(vm->not_implemented);
        }
        ListObject *x = LIST(a), *y = LIST(b);
        ListObject *r = (ListObject *)list_new(vm, x->size + y->size);
        if (!r) return NULL;
        for (size_t i = 0; i < x->size; i++) r->items[i] = NEWREF(x->items[i]);
        for (size_t i = 0; i < y->size; i++) r->items[x->size + i] = NEWREF(y->items[i]);
        return (Object *)r;
    }
    if (base == BINOP_MUL) {
        Object *seq = LIST_CHECK(a) ? a : b;
        Object *count = seq == a ? b : a;
        if (!is_index(count)) return NEWREF(vm->not_implemented);
        intptr_t n;
        if (index_as_ssize(vm, count, &n) < 0) {
            if (!err_matches(vm, &IndexErrorType)) return NULL;
            err_clear(vm);
            return err_format(vm, &OverflowErrorType,
                              "cannot fit '%s' into an index-sized integer", TYPE(count)->name);
        }
        if (inplace && seq == a) return list_inplace_repeat(vm, a, n);
        return list_repeat(vm, LIST(seq), n);
    }
    return NEWREF(vm->not_implemented);
}

static int64_t list_len(Vm *vm, Object *self) { return (int64_t)LIST(self)->size; }

static int list_is_true(Vm *vm, Object *self) { return LIST(self)->size != 0; }

static int list_contains(Vm *vm, Object *self, Object *item)
{
    ListObject *l = LIST(self);
    for (size_t i = 0; i < l->size; i++) {
        Object *x = NEWREF(l->items[i]);
        int eq = obj_richcompare_bool(vm, x, item, CMP_EQ);
        DECREF(vm, x);
        if (eq != 0) return eq;
    }
    return 0;
}

static size_t list_sizeof(Vm *vm, Object *self)
{
    return ListType.modelled_size + LIST(self)->cap * 8; /* CPython 64-bit pointer slots, on every build */
}

static Object *list_tp_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (type == &ListType && args_nkw(kwnames)) {
        err_format(vm, &TypeErrorType, "list() takes no keyword arguments");
        return NULL;
    }
    return list_alloc(vm, type);
}

static int list_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    if (TYPE(self) == &ListType && args_nkw(kwnames)) {
        err_format(vm, &TypeErrorType, "list() takes no keyword arguments");
        return -1;
    }
    if (args_check(vm, "list", nargs, NULL, 0, 1) < 0) return -1;
    ListObject *l = LIST(self);
    if (l->items) {
        list_clear_items(vm, l);
        EV(vm, mutate, self);
    }
    if (nargs == 0) return 0;
    Object *it = args[0];
    if (TYPE(it)->len) {
        int64_t n = TYPE(it)->len(vm, it);
        if (n < 0) {
            if (!err_matches(vm, &TypeErrorType)) return -1;
            err_clear(vm);
        } else if (n > 0 && l->items == NULL && (uint64_t)n < SIZE_MAX / 32) {
            if (list_set_cap(vm, l, ((size_t)n + 1) & ~(size_t)1) < 0) return -1;
        }
    }
    return list_extend(vm, self, it);
}

/* ---- methods ---- */

static Object *m_append(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.append", nargs, kw, 1, 1) < 0) return NULL;
    if (list_append(vm, self, args[0]) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_extend(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.extend", nargs, kw, 1, 1) < 0) return NULL;
    if (list_extend(vm, self, args[0]) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_insert(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "insert", nargs, kw, 2, 2) < 0) return NULL;
    intptr_t i;
    if (index_as_ssize(vm, args[0], &i) < 0) return NULL;
    if (list_insert(vm, self, i, args[1]) < 0) return NULL;
    RETURN_NONE(vm);
}

/* Finds [x] in l[start:stop]: index, -1 not found, -2 error. */
static intptr_t list_find(Vm *vm, ListObject *l, Object *x, intptr_t start, intptr_t stop)
{
    for (intptr_t i = start; i < stop && (size_t)i < l->size; i++) {
        Object *item = NEWREF(l->items[i]);
        int eq = obj_richcompare_bool(vm, item, x, CMP_EQ);
        DECREF(vm, item);
        if (eq < 0) return -2;
        if (eq) return i;
    }
    return -1;
}

static Object *m_remove(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.remove", nargs, kw, 1, 1) < 0) return NULL;
    intptr_t i = list_find(vm, LIST(self), args[0], 0, (intptr_t)LIST(self)->size);
    if (i == -2) return NULL;
    if (i == -1) return err_format(vm, &ValueErrorType, "list.remove(x): x not in list");
    if (list_ass_simple_slice(vm, LIST(self), i, i + 1, NULL) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_pop(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "pop", nargs, kw, 0, 1) < 0) return NULL;
    ListObject *l = LIST(self);
    intptr_t i = -1;
    if (nargs && index_as_ssize(vm, args[0], &i) < 0) return NULL;
    if (l->size == 0) return err_format(vm, &IndexErrorType, "pop from empty list");
    if (i < 0) i += (intptr_t)l->size;
    if (i < 0 || (size_t)i >= l->size) return err_format(vm, &IndexErrorType, "pop index out of range");
    Object *v = l->items[i];
    memmove(&l->items[i], &l->items[i + 1], (l->size - (size_t)i - 1) * sizeof(Object *));
    if (list_resize(vm, l, l->size - 1) < 0) {
        l->size--;
        err_clear(vm);
    }
    EV(vm, mutate, self);
    return v;
}

/* Clamps a slice-style bound as _PyEval_SliceIndexNotNone followed by the usual
 * adjustment for negatives. */
static int slice_bound(Vm *vm, Object *o, intptr_t size, intptr_t *out)
{
    intptr_t v;
    if (!is_index(o)) {
        err_format(vm, &TypeErrorType, "slice indices must be integers or have an __index__ method");
        return -1;
    }
    if (index_as_ssize(vm, o, &v) < 0) {
        if (!err_matches(vm, &IndexErrorType)) return -1;
        err_clear(vm);
        v = int_sign(o) < 0 ? INTPTR_MIN / 2 : INTPTR_MAX / 2;
    }
    if (v < 0) {
        v += size;
        if (v < 0) v = 0;
    }
    *out = v;
    return 0;
}

static Object *m_index(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "index", nargs, kw, 1, 3) < 0) return NULL;
    intptr_t size = (intptr_t)LIST(self)->size, start = 0, stop = INTPTR_MAX;
    if (nargs > 1 && slice_bound(vm, args[1], size, &start) < 0) return NULL;
    if (nargs > 2 && slice_bound(vm, args[2], size, &stop) < 0) return NULL;
    intptr_t i = list_find(vm, LIST(self), args[0], start, stop);
    if (i == -2) return NULL;
    if (i == -1) return err_format(vm, &ValueErrorType, "%R is not in list", args[0]);
    return int_from_i64(vm, i);
}

static Object *m_count(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.count", nargs, kw, 1, 1) < 0) return NULL;
    ListObject *l = LIST(self);
    int64_t count = 0;
    for (size_t i = 0; i < l->size; i++) {
        Object *item = NEWREF(l->items[i]);
        int eq = obj_richcompare_bool(vm, item, args[0], CMP_EQ);
        DECREF(vm, item);
        if (eq < 0) return NULL;
        count += eq;
    }
    return int_from_i64(vm, count);
}

static Object *m_sort(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    static const char *const names[] = {"key", "reverse", NULL};
    Object *out[2];
    if (args_unpack(vm, "sort", args, nargs, kw, names, 0, 0, out) < 0) return NULL;
    int reverse = 0;
    if (out[1]) {
        if (!INT_CHECK(out[1])) {
            if (FLOAT_CHECK(out[1]))
                return err_format(vm, &TypeErrorType, "'float' object cannot be interpreted as an integer");
            reverse = obj_is_true(vm, out[1]);
        } else {
            reverse = !int_is_zero(out[1]);
        }
        if (reverse < 0) return NULL;
    }
    if (list_sort(vm, self, out[0], reverse) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_reverse(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.reverse", nargs, kw, 0, 0) < 0) return NULL;
    list_reverse(vm, self);
    RETURN_NONE(vm);
}

static Object *m_copy(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.copy", nargs, kw, 0, 0) < 0) return NULL;
    return list_slice(vm, LIST(self), 0, 1, (intptr_t)LIST(self)->size);
}

static Object *m_clear(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.clear", nargs, kw, 0, 0) < 0) return NULL;
    list_clear_items(vm, LIST(self));
    EV(vm, mutate, self);
    RETURN_NONE(vm);
}

static Object *m_sizeof(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.__sizeof__", nargs, kw, 0, 0) < 0) return NULL;
    return int_from_i64(vm, (int64_t)(list_sizeof(vm, self) - 16));
}

/* ---- iterators ---- */

typedef struct {
    Object ob;
    Object *seq;   /* NULL once exhausted */
    intptr_t index;
} ListIterObject;

static Object *listiter_make(Vm *vm, Type *type, Object *seq, intptr_t index)
{
    ListIterObject *it = (ListIterObject *)obj_alloc(vm, type, sizeof(ListIterObject));
    if (!it) return NULL;
    it->seq = NEWREF(seq);
    it->index = index;
    gc_track(vm, (Object *)it);
    return (Object *)it;
}

static Object *list_iter(Vm *vm, Object *self) { return listiter_make(vm, &ListIterType, self, 0); }

static Object *listiter_next(Vm *vm, Object *self)
{
    ListIterObject *it = (ListIterObject *)self;
    if (!it->seq) return NULL;
    ListObject *l = LIST(it->seq);
    if ((size_t)it->index < l->size) return NEWREF(l->items[it->index++]);
    Object *seq = it->seq;
    it->seq = NULL;
    DECREF(vm, seq);
    return NULL;
}

static Object *listreviter_next(Vm *vm, Object *self)
{
    ListIterObject *it = (ListIterObject *)self;
    if (!it->seq) return NULL;
    ListObject *l = LIST(it->seq);
    if (it->index >= 0 && (size_t)it->index < l->size) return NEWREF(l->items[it->index--]);
    Object *seq = it->seq;
    it->seq = NULL;
    it->index = -1;
    DECREF(vm, seq);
    return NULL;
}

static Object *m_reversed(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "list.__reversed__", nargs, kw, 0, 0) < 0) return NULL;
    return listiter_make(vm, &ListRevIterType, self, (intptr_t)LIST(self)->size - 1);
}

static void listiter_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, ((ListIterObject *)self)->seq);
    obj_free(vm, self);
}

static int listiter_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    Object *seq = ((ListIterObject *)self)->seq;
    return seq ? visit(vm, seq, arg) : 0;
}

static void listiter_clear(Vm *vm, Object *self)
{
    ListIterObject *it = (ListIterObject *)self;
    SETREF(vm, it->seq, NULL);
}

static Object *iter_self(Vm *vm, Object *self) { return NEWREF(self); }

static Object *listiter_length_hint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    ListIterObject *it = (ListIterObject *)self;
    int64_t n = 0;
    if (it->seq) {
        if (TYPE(self) == &ListIterType) n = (int64_t)LIST(it->seq)->size - it->index;
        else n = it->index + 1 <= (intptr_t)LIST(it->seq)->size ? it->index + 1 : 0;
    }
    return int_from_i64(vm, n < 0 ? 0 : n);
}

/* ---- method tables ---- */

static const MethodDef list_methods[] = {
    {"append", m_append, METH_INSTANCE},
    {"extend", m_extend, METH_INSTANCE},
    {"insert", m_insert, METH_INSTANCE},
    {"remove", m_remove, METH_INSTANCE},
    {"pop", m_pop, METH_INSTANCE},
    {"index", m_index, METH_INSTANCE},
    {"count", m_count, METH_INSTANCE},
    {"sort", m_sort, METH_INSTANCE},
    {"reverse", m_reverse, METH_INSTANCE},
    {"copy", m_copy, METH_INSTANCE},
    {"clear", m_clear, METH_INSTANCE},
    {"__reversed__", m_reversed, METH_INSTANCE},
    {"__sizeof__", m_sizeof, METH_INSTANCE},
    {NULL}
};

static const MethodDef listiter_methods[] = {
    {"__length_hint__", listiter_length_hint, METH_INSTANCE},
    {NULL}
};

Type ListType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "list",
    .basicsize = sizeof(ListObject),
    .modelled_size = 56,
    .tflags = TP_GC | TP_BASETYPE | TP_LIST_SUB,
    .base = &ObjectType,
    .methods = list_methods,
    .dealloc = list_dealloc,
    .traverse = list_traverse,
    .clear = list_gc_clear,
    .repr = list_repr,
    .richcompare = list_richcompare,
    .binop = list_binop,
    .is_true = list_is_true,
    .len = list_len,
    .getitem = list_getitem,
    .setitem = list_setitem,
    .contains = list_contains,
    .iter = list_iter,
    .new_ = list_tp_new,
    .init = list_init,
    .sizeof_ = list_sizeof,
};

Type ListIterType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "list_iterator",
    .basicsize = sizeof(ListIterObject),
    .modelled_size = 48,
    .tflags = TP_GC,
    .base = &ObjectType,
    .methods = listiter_methods,
    .dealloc = listiter_dealloc,
    .traverse = listiter_traverse,
    .clear = listiter_clear,
    .iter = iter_self,
    .iternext = listiter_next,
};

Type ListRevIterType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "list_reverseiterator",
    .basicsize = sizeof(ListIterObject),
    .modelled_size = 48,
    .tflags = TP_GC,
    .base = &ObjectType,
    .methods = listiter_methods,
    .dealloc = listiter_dealloc,
    .traverse = listiter_traverse,
    .clear = listiter_clear,
    .iter = iter_self,
    .iternext = listreviter_next,
};
