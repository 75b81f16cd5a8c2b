/* object.h — the object model every part of the core shares.
 *
 * Every Python value is an `Object *`. Objects are reference counted exactly as in
 * CPython 3.11: a new reference is owned by whoever receives it and must be released
 * with DECREF. Functions that can fail return NULL (or -1) with the exception stored in
 * vm->exc, never by longjmp. Built-in types are static `Type` structs; their attribute
 * dicts are filled per VM by type_ready() and released by vm_free().
 */
#ifndef PYFRAMES_OBJECT_H
#define PYFRAMES_OBJECT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Vm Vm;
typedef struct Object Object;
typedef struct Type Type;
typedef struct Frame Frame;

/* Object flags (Object.flags). */
enum {
    OF_TRACKED = 1 << 0,    /* linked into a GC generation list */
    OF_FINALIZED = 1 << 1,  /* __del__ already ran (PEP 442: at most once) */
    OF_IMMORTAL = 1 << 2,   /* cached for the whole run (small ints, singletons, interned) */
    OF_STATIC = 1 << 3,     /* not heap allocated (static built-in types) */
    OF_REACHABLE = 1 << 4,  /* scratch bit for the cycle collector */
    OF_EVENTS_SEEN = 1 << 5, /* the event stream has announced this object */
    OF_TYPE_DICT = 1 << 6,   /* a type's attribute dict: mutating it invalidates type_lookup's cache */
    OF_INLINE_DICT = 1 << 7  /* a plain instance's attribute dict that CPython 3.11 would
                              * keep inline, as no object (gc_instance_dict) */
};

/* The header at the start of every object (24 bytes on 64-bit builds).
 *
 * [id] is a sequential per-VM integer, assigned at allocation and never reused within
 * a run; the event stream and id() use it, never addresses (native and wasm must
 * agree). [gen] belongs to the cycle collector (gc.c) and is meaningful only while
 * OF_TRACKED is set. Instances of TP_GC types carry a GcHead just before this header
 * (as CPython's PyGC_Head): other objects pay nothing for the collector. */
struct Object {
    intptr_t refcnt;
    Type *type;
    uint32_t id;
    uint16_t flags;
    int16_t gen;
};

/* The cycle collector's links, allocated in front of every object whose type has
 * TP_GC (obj_alloc does it); GC_HEAD(o) reaches it. Only gc.c reads it. On 64-bit
 * builds the collector's scratch count lives in the upper half of refcnt while it
 * runs (16 bytes, as CPython's PyGC_Head); 32-bit builds (wasm32) need the field. */
typedef struct GcHead {
    Object *gc_next;
    Object *gc_prev;
#if INTPTR_MAX <= INT32_MAX
    intptr_t gc_refs;
#endif
} GcHead;
#define GC_HEAD(o) ((GcHead *)(o) - 1)

/* Comparison operators for richcompare, in CPython's order. */
enum { CMP_LT, CMP_LE, CMP_EQ, CMP_NE, CMP_GT, CMP_GE };

/* Answers comparison [op] from a three-way result [c] (<0, 0 or >0), for types
 * whose values are totally ordered. */
static inline bool cmp_holds(int op, int c)
{
    switch (op) {
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_EQ: return c == 0;
    case CMP_NE: return c != 0;
    case CMP_GT: return c > 0;
    default: return c >= 0;
    }
}

/* Binary operators, shared by the compiler (BINARY_OP arg), the VM and binop slots.
 * The in-place forms are BINOP_INPLACE + op. */
#define BINOP_LIST(X) \
    X(ADD, "+", "__add__") X(SUB, "-", "__sub__") X(MUL, "*", "__mul__") \
    X(TRUEDIV, "/", "__truediv__") X(FLOORDIV, "//", "__floordiv__") \
    X(MOD, "%", "__mod__") X(POW, "**", "__pow__") X(MATMUL, "@", "__matmul__") \
    X(LSHIFT, "<<", "__lshift__") X(RSHIFT, ">>", "__rshift__") \
    X(AND, "&", "__and__") X(OR, "|", "__or__") X(XOR, "^", "__xor__")
enum {
#define X(n, sym, dunder) BINOP_##n,
    BINOP_LIST(X)
#undef X
    BINOP_COUNT,
    BINOP_INPLACE = 16
};
enum { UNOP_NEG, UNOP_POS, UNOP_INVERT, UNOP_NOT };

/* A hash value: 64 bits on every build (as CPython's Py_hash_t on 64-bit platforms), so
 * hash() and set/dict iteration order are the same natively and in wasm32. */
typedef int64_t Hash;

/* Visitor used by traverse slots: called once for every reference an object holds. */
typedef int (*VisitFn)(Vm *vm, Object *ref, void *arg);
/* Calls [visit] on each non-NULL of the [n] references [refs], in order; returns the
 * first nonzero result, else 0 (the traverse slots of objects with a few fields). */
int visit_refs(Vm *vm, Object *const *refs, size_t n, VisitFn visit, void *arg);

/* The one calling convention for everything callable from the VM or from C:
 * [args] holds nargs positional arguments followed by len(kwnames) keyword values;
 * [kwnames] is NULL or a tuple of str. Arguments are borrowed. Returns a new reference
 * or NULL with vm->exc set. */
typedef Object *(*CallFn)(Vm *vm, Object *callable, Object **args, size_t nargs,
                          Object *kwnames);

/* A built-in method or function: [self] is the bound object (NULL for plain functions). */
typedef Object *(*MethodFn)(Vm *vm, Object *self, Object **args, size_t nargs,
                            Object *kwnames);

enum { METH_INSTANCE = 0, METH_STATIC = 1, METH_CLASS = 2 };

/* One entry of a type's method table (the table ends with {NULL}). */
typedef struct {
    const char *name;
    MethodFn fn;
    int kind; /* METH_INSTANCE, METH_STATIC or METH_CLASS */
} MethodDef; /* no docstring: a built-in's __doc__ is None (size budget, issue #4) */

/* Type flags (Type.tflags). */
enum {
    TP_GC = 1 << 0,       /* instances may hold references: tracked by the cycle GC */
    TP_BASETYPE = 1 << 1, /* may be subclassed */
    TP_HEAPTYPE = 1 << 2, /* created by a class statement */
    TP_INT_SUB = 1 << 3,  /* fast subclass checks, as CPython's Py_TPFLAGS_*_SUBCLASS */
    TP_STR_SUB = 1 << 4,
    TP_LIST_SUB = 1 << 5,
    TP_TUPLE_SUB = 1 << 6,
    TP_DICT_SUB = 1 << 7,
    TP_EXC_SUB = 1 << 8,
    TP_TYPE_SUB = 1 << 9,
    TP_HAS_DEL = 1 << 10  /* a heap type whose MRO defines __del__ (slots.c keeps it) */
};

/* A type. Slots left NULL fall back to object's generic behaviour (ops.c) or raise
 * TypeError with CPython's message. User classes are Types with TP_HEAPTYPE whose
 * slots dispatch to dunder methods (class.c). */
struct Type {
    Object ob;
    const char *name;     /* e.g. "list"; for heap types points into [name_obj] */
    size_t basicsize;     /* C size of an instance (fixed part) */
    size_t itemsize;      /* per-item size for variable-size objects, else 0 */
    size_t modelled_size; /* what sys.getsizeof reports for an empty instance (CPython 3.11, 64-bit) */
    uint32_t tflags;
    Type *base;
    Object *dict;     /* attribute dict (DictObject), filled by type_ready */
    Object *mro;      /* tuple of types, filled by type_ready */
    Object *bases;    /* tuple of types */
    Object *name_obj; /* str, for heap types */
    Object *qualname; /* str, for heap types */
    Object *module;   /* str or NULL */
    const MethodDef *methods;

    void (*dealloc)(Vm *vm, Object *self);      /* release references, then obj_free */
    int (*traverse)(Vm *vm, Object *self, VisitFn visit, void *arg);
    void (*clear)(Vm *vm, Object *self);        /* break references (cycle GC) */
    Object *(*repr)(Vm *vm, Object *self);
    Object *(*str)(Vm *vm, Object *self);
    Hash (*hash)(Vm *vm, Object *self);     /* -1 with vm->exc set on error */
    Object *(*richcompare)(Vm *vm, Object *a, Object *b, int op); /* may return NotImplemented */
    Object *(*binop)(Vm *vm, Object *a, Object *b, int op);       /* may return NotImplemented */
    Object *(*unop)(Vm *vm, Object *self, int op);
    int (*is_true)(Vm *vm, Object *self);       /* 1, 0, or -1 on error */
    int64_t (*len)(Vm *vm, Object *self);       /* -1 on error */
    Object *(*getitem)(Vm *vm, Object *self, Object *key);
    int (*setitem)(Vm *vm, Object *self, Object *key, Object *value); /* value NULL: delete */
    int (*contains)(Vm *vm, Object *self, Object *item);              /* 1, 0, -1 */
    Object *(*iter)(Vm *vm, Object *self);
    Object *(*iternext)(Vm *vm, Object *self);  /* NULL without vm->exc: exhausted */
    CallFn call;
    Object *(*getattr)(Vm *vm, Object *self, Object *name);           /* NULL + AttributeError if missing */
    int (*setattr)(Vm *vm, Object *self, Object *name, Object *value); /* value NULL: delete */
    Object *(*descr_get)(Vm *vm, Object *descr, Object *obj, Object *type);
    int (*descr_set)(Vm *vm, Object *descr, Object *obj, Object *value);
    Object *(*new_)(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames);
    int (*init)(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames);
    size_t (*sizeof_)(Vm *vm, Object *self);    /* modelled sys.getsizeof, NULL: modelled_size */
    size_t dict_offset;                         /* offset of an Object* __dict__ slot, 0 if none */
    size_t weaklist_offset;                     /* offset of the weakref list head, 0 if none */
    Object *weaklist;                           /* weak references to this type (weakref.c) */
};

/* For the few tiny helpers on the hottest paths: the wasm build is -Oz, which keeps
 * even one-line static inline functions out of line (a call each time). */
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* ---- Reference counting (object.c owns the funnel) ---- */

#define INCREF(o) ((void)(((Object *)(o))->refcnt++))
#define XINCREF(o) do { Object *x_ = (Object *)(o); if (x_) x_->refcnt++; } while (0)
/* Out-of-line DECREF / XDECREF (object.c): the wasm build uses them instead of the
 * inline macros, which saves ~20 KB of code there. */
void obj_decref(Vm *vm, Object *o);
void obj_xdecref(Vm *vm, Object *o);
#ifdef __EMSCRIPTEN__
#define DECREF(vm, o) obj_decref((vm), (Object *)(o))
#define XDECREF(vm, o) obj_xdecref((vm), (Object *)(o))
#else
#define DECREF(vm, o) do { Object *d_ = (Object *)(o); \
        if (--d_->refcnt == 0) obj_dealloc((vm), d_); } while (0)
#define XDECREF(vm, o) do { Object *d_ = (Object *)(o); \
        if (d_ && --d_->refcnt == 0) obj_dealloc((vm), d_); } while (0)
#endif
/* Replaces *[slot] with [value] (a new reference, may be NULL), releasing the old one
 * after the store, as CPython's Py_SETREF. */
#define SETREF(vm, slot, value) do { Object *old_ = (Object *)(slot); \
        (slot) = (value); XDECREF((vm), old_); } while (0)
/* Returns a new reference to [o]. */
static inline Object *NEWREF(Object *o) { INCREF(o); return o; }

#define TYPE(o) (((Object *)(o))->type)

/* Allocates an instance of [type] with [size] bytes (>= sizeof(Object)), zeroed,
 * refcount 1, a fresh id, not yet GC-tracked. A heap [type] gains a reference that
 * obj_free releases (as CPython's PyType_GenericAlloc / subtype_dealloc). Raises MemoryError past the memory
 * budget. This is the one allocation funnel: accounting, GC triggering (gc.c) and the
 * "alloc" event all happen here. */
Object *obj_alloc(Vm *vm, Type *type, size_t size);
/* Allocates an instance of [type] using type->basicsize + n * type->itemsize. */
Object *obj_alloc_var(Vm *vm, Type *type, size_t n);
/* Called by DECREF at refcount zero: untracks, runs __del__ if any, calls the type's
 * dealloc — deferred through the trashcan so freeing long chains never recurses deeply
 * on the C stack. */
void obj_dealloc(Vm *vm, Object *o);
/* Returns [o]'s memory to the allocator; the last step of every dealloc slot.
 * Emits the "free" event. */
void obj_free(Vm *vm, Object *o);
/* Raw memory for object-owned buffers (list items, dict tables, big-int digits). Counted
 * against the memory budget; MemoryError (and NULL) past it. */
/* False, MemoryError raised, when [bytes] more cannot fit in the memory budget: checked
 * before building a result piece by piece (padding to a width, expanding tabs), which
 * would otherwise loop for as long as the width is large before failing. */
bool mem_fits(Vm *vm, double bytes);
void *mem_alloc(Vm *vm, size_t size);
void *mem_realloc(Vm *vm, void *p, size_t old_size, size_t new_size);
void mem_free(Vm *vm, void *p, size_t size);
/* Creates the allocator and collector state (object.c): vm_init_runtime calls it
 * before anything is allocated. Returns -1 if the system is out of memory. */
int memory_init(Vm *vm);
/* Teardown, called by pf_free after modules and globals were cleared and cycles
 * collected: releases every object still alive without running its dealloc (the
 * event stream's "end" record implies those frees), then gives every arena and block
 * back to the system. */
void memory_fini(Vm *vm);

/* ---- The cycle collector (gc.c) ---- */

/* Links a container into generation 0 and counts the allocation (may trigger a
 * collection before returning). Call once the object is fully initialised. */
void gc_track(Vm *vm, Object *o);
void gc_untrack(Vm *vm, Object *o);

/* ---- Errors (exc.c) ---- */

/* Sets vm->exc to a new [type] exception with a printf-style message. Besides the C
 * conversions %s %d %i %u %ld %zd %zu %x %c %%, it understands %R (repr of an
 * Object *), %S (str of an Object *), %T (type name of an Object *) and %U (an Object *
 * that is a str, inserted verbatim). Returns NULL so callers can `return err_format(...)`. */
Object *err_format(Vm *vm, Type *type, const char *fmt, ...);
/* Sets vm->exc to [exc] (a new reference is taken). */
void err_set_object(Vm *vm, Object *exc);
/* Sets vm->exc to an instance of [type] with [value] as its single argument (or no
 * argument if [value] is NULL). */
void err_set(Vm *vm, Type *type, Object *value);
/* Returns true if vm->exc is set and is an instance of [type] (or a subclass). */
bool err_matches(Vm *vm, Type *type);
/* Clears vm->exc. */
void err_clear(Vm *vm);
/* Raises MemoryError (the pre-allocated instance) and returns NULL. */
Object *err_no_memory(Vm *vm);
/* Raises NotImplementedError("pyframes does not support <what>") and returns NULL. */
Object *err_unsupported(Vm *vm, const char *what);

/* ---- Generic protocols (ops.c): the abstract object API ---- */

Object *obj_repr(Vm *vm, Object *o);
Object *obj_str(Vm *vm, Object *o);
Hash obj_hash(Vm *vm, Object *o);
Object *obj_richcompare(Vm *vm, Object *a, Object *b, int op);
/* Compares and returns 1/0, or -1 on error. Identity implies equality for CMP_EQ, as
 * CPython's PyObject_RichCompareBool. */
int obj_richcompare_bool(Vm *vm, Object *a, Object *b, int op);
Object *obj_binop(Vm *vm, Object *a, Object *b, int op); /* op may include BINOP_INPLACE */
Object *obj_unop(Vm *vm, Object *o, int op);
int obj_is_true(Vm *vm, Object *o);
int64_t obj_len(Vm *vm, Object *o);
Object *obj_getitem(Vm *vm, Object *o, Object *key);
int obj_setitem(Vm *vm, Object *o, Object *key, Object *value);
int obj_delitem(Vm *vm, Object *o, Object *key);
int obj_contains(Vm *vm, Object *container, Object *item);
Object *obj_iter(Vm *vm, Object *o);
/* Returns the next item (new reference), or NULL: exhausted if vm->exc is NULL. */
Object *obj_next(Vm *vm, Object *iter);
Object *obj_getattr(Vm *vm, Object *o, Object *name);
Object *obj_getattr_cstr(Vm *vm, Object *o, const char *name);
/* Like obj_getattr but returns NULL *without* an exception when the attribute is
 * missing (AttributeError swallowed). */
Object *obj_lookup_attr(Vm *vm, Object *o, Object *name);
int obj_setattr(Vm *vm, Object *o, Object *name, Object *value);
Object *obj_call(Vm *vm, Object *callable, Object **args, size_t nargs, Object *kwnames);
/* Calls [callable] with the given number of positional arguments (borrowed). */
Object *obj_call_args(Vm *vm, Object *callable, int nargs, ...);
/* Calls method [name] of [self] with positional args (borrowed). */
Object *obj_call_method(Vm *vm, Object *self, const char *name, int nargs, ...);
bool obj_isinstance_type(Object *o, Type *type);
int obj_isinstance(Vm *vm, Object *o, Object *cls); /* 1, 0, -1; cls may be a tuple */
bool type_is_subtype(Type *a, Type *b);
/* Looks [name] up along type's MRO; returns a borrowed reference or NULL (no exception).
 * Results for interned names are cached (class.c) until any type dict changes. */
Object *type_lookup(Type *type, Object *name);
/* type_lookup of a C string literal (a static address: it keys the same cache). */
Object *type_lookup_lit(Type *type, const char *name);
/* Forgets every cached type_lookup result (a type dict changed, a type was freed, a
 * run starts or ends). */
void type_cache_invalidate(void);
/* Fills type->dict from its method table and computes its MRO. */
int type_ready(Vm *vm, Type *type);
/* Generic attribute access for instances (descriptors, __dict__, class attributes). */
Object *obj_generic_getattr(Vm *vm, Object *o, Object *name);
int obj_generic_setattr(Vm *vm, Object *o, Object *name, Object *value);

/* The static built-in types and exception types (types.def, exceptions.def). */
#undef TYPE
#define TYPE(name) extern Type name##Type;
#include "types.def"
#undef TYPE
#define TYPE(o) (((Object *)(o))->type)
#define EXC(name, base) extern Type name##Type;
#include "exceptions.def"
#undef EXC

/* Reports whether [o] is None/True/False etc. */
#define IS_NONE(vm, o) ((Object *)(o) == (vm)->none)

#endif
