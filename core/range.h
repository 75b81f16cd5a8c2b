/* range.h — the range type and its iterator (range.c). Bounds are 64-bit on the fast
 * path; ranges whose bounds or length leave int64 keep int objects in [big]. */
#ifndef PYFRAMES_RANGE_H
#define PYFRAMES_RANGE_H

#include "object.h"

/* range(start, stop, step) with its precomputed length. When any of the four does not
 * fit in int64, [big] is a tuple (start, stop, step, len) of ints and the int64 fields
 * are meaningless; otherwise [big] is NULL. */
typedef struct {
    Object ob;
    int64_t start, stop, step, len;
    Object *big;
} RangeObject;

/* Returns a new range object; ValueError if [step] is 0. */
Object *range_new(Vm *vm, int64_t start, int64_t stop, int64_t step);
/* Takes the next value of range iterator [it] into *[v] when it has one that is an
 * int64 outside the small-int cache; false otherwise, nothing taken (iternext then
 * gives it). The VM's FOR_ITER writes such values into a loop variable's int. */
bool rangeiter_next_uncached(Object *it, int64_t *v);

#endif
