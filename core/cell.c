/* cell.c — the cell type: a mutable box for one closure variable. Cells are GC
 * containers (a closure stored in the variable it closes over makes a cycle). */
#include "cell.h"
#include "events.h"
#include "str.h"

Object *cell_new(Vm *vm, Object *value)
{
    CellObject *c = (CellObject *)obj_alloc(vm, &CellType, sizeof(CellObject));
    if (!c) return NULL;
    XINCREF(value);
    c->ref = value;
    gc_track(vm, (Object *)c);
    return (Object *)c;
}

void cell_set(Vm *vm, Object *cell, Object *value)
{
    XINCREF(value);
    SETREF(vm, ((CellObject *)cell)->ref, value);
    EV(vm, mutate, cell);
}

static void cell_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, ((CellObject *)self)->ref);
    obj_free(vm, self);
}

static int cell_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    Object *r = ((CellObject *)self)->ref;
    return r ? visit(vm, r, arg) : 0;
}

static void cell_clear(Vm *vm, Object *self)
{
    SETREF(vm, ((CellObject *)self)->ref, NULL);
}

static Object *cell_repr(Vm *vm, Object *self)
{
    Object *r = ((CellObject *)self)->ref;
    if (!r) return str_from_format(vm, "<cell at 0x%x: empty>", (unsigned)self->id);
    return str_from_format(vm, "<cell at 0x%x: %s object at 0x%x>", (unsigned)self->id,
                           TYPE(r)->name, (unsigned)r->id);
}

static Object *cell_getattr(Vm *vm, Object *self, Object *name)
{
    if (str_eq_cstr(name, "cell_contents")) {
        Object *r = ((CellObject *)self)->ref;
        if (!r) return err_format(vm, &ValueErrorType, "Cell is empty");
        return NEWREF(r);
    }
    return obj_generic_getattr(vm, self, name);
}

Type CellType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "cell",
    .basicsize = sizeof(CellObject),
    .modelled_size = 24,
    .tflags = TP_GC,
    .dealloc = cell_dealloc,
    .traverse = cell_traverse,
    .clear = cell_clear,
    .repr = cell_repr,
    .getattr = cell_getattr,
};
