/* weakref.h — weak references (weakref.c): the WeakRef type behind weakref.ref and the
 * per-object lists of weak references, found through Type.weaklist_offset.
 *
 * A type supports weak references when its weaklist_offset is nonzero: that offset
 * holds an `Object *` slot (zeroed at allocation) heading the list of WeakRefObjects
 * pointing at the instance. Basic references (no callback) come first, as in CPython.
 */
#ifndef PYFRAMES_WEAKREF_H
#define PYFRAMES_WEAKREF_H

#include "vm.h"

/* A weak reference. [referent] is borrowed and becomes NULL when the referent dies;
 * [callback] (owned, may be NULL) is called with the reference when that happens.
 * [key] is set only for WeakValueDictionary's internal references. */
typedef struct WeakRefObject {
    Object ob;
    Object *referent;
    Object *callback;
    Object *key;
    Hash hash;              /* cached hash of the referent, -1 until computed */
    struct WeakRefObject *wr_prev, *wr_next; /* in the referent's list */
} WeakRefObject;

/* Returns a weak reference to [obj] with [callback] (NULL or None: none), sharing the
 * existing basic reference when there is no callback, as CPython does. Raises
 * "TypeError: cannot create weak reference to 'list' object" for unsupported types. */
Object *weakref_new(Vm *vm, Object *obj, Object *callback);
/* Returns the referent (new reference) or None when it died. */
Object *weakref_get(Vm *vm, Object *ref);
/* Reports whether [type]'s instances can be weakly referenced. */
static inline bool weakref_supported(Type *type) { return type->weaklist_offset != 0; }
/* Returns the address of [o]'s weakref list head (NULL if unsupported). */
static inline WeakRefObject **weakref_list(Object *o) {
    size_t off = o->type->weaklist_offset;
    return off ? (WeakRefObject **)((char *)o + off) : NULL;
}
/* Number of weak references to [o] (weakref.getweakrefcount). */
size_t weakref_count(Object *o);
/* Detaches [ref] from its referent (the referent is dying); the callback stays. */
void weakref_clear_ref(Vm *vm, WeakRefObject *ref);
/* Called by obj_dealloc when [o] dies by reference count: clears every weak reference
 * to it, then calls their callbacks, newest-registered first after basic refs, as
 * CPython's PyObject_ClearWeakRefs. A failing callback prints "Exception ignored in". */
void weakref_clear_at_dealloc(Vm *vm, Object *o);
/* Runs the pending weakref.finalize callbacks whose atexit flag is set, newest first,
 * as CPython's atexit hook does; afterwards no finalize callback runs any more. The VM
 * calls it once when the main module has finished, before tearing down globals. */
void weakref_run_atexit(Vm *vm);
/* Adds WeakValueDictionary and WeakKeyDictionary to the weakref module (weakdict.c). */
int weakdict_add_types(Vm *vm, Object *module);

#endif
