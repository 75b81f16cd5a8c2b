/* tuple.h — the immutable sequence type tuple and its iterator (tuple.c). */
#ifndef PYFRAMES_TUPLE_H
#define PYFRAMES_TUPLE_H

#include "object.h"

/* A tuple: [size] items stored inline. Items are owned references; a tuple fresh from
 * tuple_new has NULL items until its creator fills them. */
typedef struct {
    Object ob;
    size_t size;
    Object *items[];
} TupleObject;

/* Returns a new tuple of [n] NULL items for the caller to fill with new references
 * (n == 0 returns the shared empty tuple). Raises MemoryError past the budget. */
Object *tuple_new(Vm *vm, size_t n);
/* Returns a new instance of [type] (tuple or a subclass) with [n] NULL items. */
Object *tuple_new_of_type(Vm *vm, Type *type, size_t n);
/* Returns a new tuple holding the [n] borrowed Object* arguments. */
Object *tuple_pack(Vm *vm, size_t n, ...);
/* Returns a new tuple holding the [n] borrowed references in [items]. */
Object *tuple_from_array(Vm *vm, Object **items, size_t n);
/* Returns a new tuple with the items of any iterable (a tuple is returned as is). */
Object *tuple_from_iterable(Vm *vm, Object *iterable);
/* Returns the hash of a tuple as CPython 3.11's xxHash-based tuplehash. */
Hash tuple_hash(Vm *vm, Object *self);
/* Creates the shared empty tuple (vm->empty_tuple) once per VM. */
int tuple_init(Vm *vm);

#define TUPLE_SIZE(o) (((TupleObject *)(o))->size)
#define TUPLE_ITEM(o, i) (((TupleObject *)(o))->items[(i)])

#endif
