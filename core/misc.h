/* misc.h — the singleton types (None, NotImplemented, Ellipsis) and slice objects
 * (misc.c). */
#ifndef PYFRAMES_MISC_H
#define PYFRAMES_MISC_H

#include "object.h"

/* A slice: each part is an object (None when omitted). */
typedef struct {
    Object ob;
    Object *start, *stop, *step;
} SliceObject;

/* Creates vm->none, vm->not_implemented and vm->ellipsis if not yet made. */
int misc_init(Vm *vm);
/* Returns a new slice; NULL parts mean None. Arguments are borrowed. */
Object *slice_new(Vm *vm, Object *start, Object *stop, Object *step);
/* Resolves [slice] against a sequence of [length] items as CPython's
 * PySlice_GetIndicesEx: fills start/stop/step and returns the slice length, or -1 with
 * an exception (step zero, non-index bounds). */
int64_t slice_indices(Vm *vm, Object *slice, int64_t length, int64_t *start,
                      int64_t *stop, int64_t *step);
/* Converts an index object to intptr_t as CPython's PyNumber_AsSsize_t with IndexError
 * on overflow ("cannot fit 'int' into an index-sized integer"); -1 + exception on
 * error (check vm->exc). [o] must support __index__ (TypeError otherwise, with
 * "[what] indices must be integers or slices, not T" when [what] is non-NULL). */
int index_as_ssize(Vm *vm, Object *o, intptr_t *out);

#endif
