/* class.h — the `object` and `type` types, user classes (heap types whose slots
 * dispatch to dunder methods), the descriptor types property / staticmethod /
 * classmethod / super, and the descriptors through which built-in methods and slots
 * appear in type dicts (class.c, descr.c).
 */
#ifndef PYFRAMES_CLASS_H
#define PYFRAMES_CLASS_H

#include "vm.h"

/* The descriptors of descr.c sharing one layout: a slot wrapper (`object.__repr__`,
 * `list.__init__`: a static type's slot seen as a dunder method), its bound form
 * (a "method-wrapper", [self] set), the __dict__/__weakref__ getset descriptors of
 * user classes, and the member descriptors of __slots__. */
typedef struct {
    Object ob;
    Type *objclass;        /* the type that defines it (owned by getset/member) */
    int slot;              /* slot wrappers: which slot; getsets: 0 __dict__, 1 __weakref__ */
    Object *self;          /* bound method-wrapper: the instance, else NULL */
    Object *name;          /* member descriptors (__slots__): the attribute name */
    size_t offset;         /* member descriptors: where the value lives in the instance */
} DescrObject;

/* property(fget, fset, fdel, doc). */
typedef struct {
    Object ob;
    Object *fget, *fset, *fdel, *doc;
} PropertyObject;

/* staticmethod(f) / classmethod(f). */
typedef struct {
    Object ob;
    Object *func;
    Object *dict;
} StaticMethodObject;

/* super(type, obj): [obj_type] is type(obj) or obj itself when obj is a type. */
typedef struct {
    Object ob;
    Type *type;
    Object *obj;
    Type *obj_type;
} SuperObject;

/* Creates a class as `type(name, bases, ns)` does (also called by __build_class__):
 * [bases] is a tuple (may be empty), [ns] the class namespace dict (copied; a
 * "__classcell__" entry is left out of the new type's dict for the caller to fill).
 * Returns the new type (new reference). */
Object *type_new(Vm *vm, Object *name, Object *bases, Object *ns);
/* Same, with an explicit metatype (type or a subclass of it). */
Object *type_new_meta(Vm *vm, Type *meta, Object *name, Object *bases, Object *ns);
/* object.__repr__: "<__main__.Foo object at 0x7f...>" (also the fallback repr). */
Object *object_repr(Vm *vm, Object *o);
/* Looks a C-string attribute name up along [type]'s MRO; borrowed or NULL, never an
 * exception (used for __del__, __enter__, __exit__ ...). */
Object *type_lookup_str(Type *type, const char *name);
/* Looks the str [name] up in a type's attribute dict without needing the VM
 * (borrowed or NULL). */
Object *type_dict_get(Object *dict, Object *name);
/* Same with a C-string name (no allocation). */
Object *type_dict_get_cstr(Object *dict, const char *name);
/* Returns the type's __name__ / __qualname__ as C text. */
const char *type_name(Type *type);
/* Calls [method] (found on type(self)) with self prepended to the arguments. */
Object *class_call_unbound(Vm *vm, Object *method, Object *self, Object **args, size_t nargs,
                           Object *kwnames);
/* The first static type along [t]'s base chain (whose layout user classes extend).
 * Inline: instance dealloc and GC traversal ask for it on every instance. */
static ALWAYS_INLINE Type *type_static_base(Type *t)
{
    while (t->tflags & TP_HEAPTYPE) t = t->base;
    return t;
}
/* Recomputes a heap type's dispatching slots after one of its dunder attributes
 * changed. */
void type_fixup_slots(Vm *vm, Type *type);

/* The address shown by object.__repr__ and returned by id(): deterministic, derived
 * from the object's sequential id so native and wasm agree (0x7f0000000000 + 16*id). */
uint64_t obj_address(Object *o);

/* Guards repr of self-containing containers, as Py_ReprEnter: returns 1 if [o] is
 * already being repr'ed (print "[...]" / "{...}"), 0 if not (then call repr_leave
 * when done), -1 on error. */
int repr_enter(Vm *vm, Object *o);
void repr_leave(Vm *vm, Object *o);

/* Implemented by the VM (vm.c): finds the arguments of a zero-argument super() in
 * the calling frame: the class from the __class__ cell and the first argument.
 * Returns 0, or -1 with RuntimeError ("super(): no arguments", "super(): __class__
 * cell not found") set. [self] is borrowed. */
int vm_super_args(Vm *vm, Type **type, Object **self);

/* Optionally releases the per-VM dicts, MROs and bases of the static types of
 * types.def before memory_fini (without it, the next run's type_ready overwrites the
 * stale pointers, never releasing them). */
void class_fini(Vm *vm);
/* Releases the dict, MRO and bases that type_ready gave static type [t]. */
void type_unready(Vm *vm, Type *t);
/* Releases the repr-guard state (call before teardown). */
void class_clear_repr_guard(Vm *vm);

/* Calls a descriptor's __get__ if it has one (new reference). */
Object *descr_bind(Vm *vm, Object *descr, Object *obj, Type *type);
/* Adds a slot wrapper to static type [t]'s dict for each slot it defines itself
 * (type_ready calls it). */
int descr_add_slot_wrappers(Vm *vm, Type *t);
/* Creates the __dict__ (which 0) or __weakref__ (which 1) attribute descriptor that a
 * class adding those slots holds in its dict. */
Object *descr_new_getset(Vm *vm, Type *owner, int which);
/* Creates the descriptor for __slots__ entry [name] of [owner], stored at [offset]. */
Object *descr_new_member(Vm *vm, Type *owner, Object *name, size_t offset);
/* Returns a read-only mappingproxy over [mapping] (a class's __dict__). */
Object *mappingproxy_new(Vm *vm, Object *mapping);

#endif
