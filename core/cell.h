/* cell.h — cell objects (cell.c): the boxes that hold variables shared between a
 * function and the closures defined inside it (CPython's PyCellObject). A frame owns
 * one cell per cellvar; closures hold references to the same cells, which is how the
 * pictures show which frame a closure variable came from. */
#ifndef PYFRAMES_CELL_H
#define PYFRAMES_CELL_H

#include "vm.h"

/* A cell: [ref] is the variable's value, or NULL while it is unbound. */
typedef struct {
    Object ob;
    Object *ref;
} CellObject;

#define CELL_CHECK(o) (TYPE(o) == &CellType)
#define CELL_GET(o) (((CellObject *)(o))->ref)

/* Creates a cell holding [value] (borrowed; may be NULL). Returns a new reference. */
Object *cell_new(Vm *vm, Object *value);
/* Replaces the cell's contents with [value] (borrowed; NULL unbinds). */
void cell_set(Vm *vm, Object *cell, Object *value);

#endif
