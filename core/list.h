/* list.h — the mutable sequence type list and its iterators (list.c). */
#ifndef PYFRAMES_LIST_H
#define PYFRAMES_LIST_H

#include "object.h"

/* A list: [size] items in an owned buffer of [cap] slots, over-allocated with
 * CPython 3.11's list_resize formula so sys.getsizeof matches. */
typedef struct {
    Object ob;
    size_t size, cap;
    Object **items;
} ListObject;

/* Returns a new list of [n] NULL items for the caller to fill with new references
 * (exact allocation, as PyList_New). */
Object *list_new(Vm *vm, size_t n);
/* Appends [item] (not stolen) to [list]; -1 on error. */
int list_append(Vm *vm, Object *list, Object *item);
/* Returns a new list with the items of [iterable], as list(iterable). */
Object *list_from_iterable(Vm *vm, Object *iterable);
/* Appends every item of [iterable] to [list] as list.extend (CPython's growth). */
int list_extend(Vm *vm, Object *list, Object *iterable);
/* Sorts [list] in place, stably; [key] may be NULL or None. -1 on error. */
int list_sort(Vm *vm, Object *list, Object *key, bool reverse);
/* Returns a new tuple with the items of [list]. */
Object *list_as_tuple(Vm *vm, Object *list);
/* Inserts [item] (not stolen) before index [where] (clamped as list.insert). */
int list_insert(Vm *vm, Object *list, intptr_t where, Object *item);
/* Reverses [list] in place. */
void list_reverse(Vm *vm, Object *list);

#define LIST_SIZE(o) (((ListObject *)(o))->size)
#define LIST_ITEM(o, i) (((ListObject *)(o))->items[(i)])

#endif
