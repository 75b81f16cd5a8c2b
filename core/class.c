/* class.c — the `object` and `type` types and user classes: type_ready for the
 * static types, type() / class statements (C3 MRO, __slots__, instance layout with
 * __dict__ and weakref slots), and attribute access on types. The dunder-dispatching
 * slots of user classes live in slots.c; the descriptor types (property,
 * staticmethod, classmethod, super, slot wrappers, mappingproxy) in descr.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "class.h"
#include "dict.h"
#include "events.h"
#include "exc.h"
#include "func.h"
#include "gc.h"
#include "int.h"
#include "list.h"
#include "str.h"
#include "tuple.h"

/* ---- The type attribute cache ----
 * CPython's method cache: type_lookup results for interned names, direct-mapped by
 * (type, name). Entries hold borrowed pointers, valid only while [type_cache_epoch]
 * is unchanged: it moves whenever any type dict is mutated (dict.c checks
 * OF_TYPE_DICT), a type is freed, or a VM starts or ends, so no entry outlives the
 * objects it points to. Every instance creation (__init__) and attribute store
 * probes it, so the probe below is inlined into its two callers. */
#define TYPE_CACHE_SIZE 1024
typedef struct {
    Type *type;
    const void *key;
    Object *value;
    uint32_t epoch;
} TypeCacheEntry;
static TypeCacheEntry type_cache[TYPE_CACHE_SIZE];
static uint32_t type_cache_epoch = 1;

void type_cache_invalidate(void)
{
    if (++type_cache_epoch == 0) { /* wrapped: old entries could look current */
        memset(type_cache, 0, sizeof type_cache);
        type_cache_epoch = 1;
    }
}

/* The slot for ([type], [key]): [key] is an interned str or a C string literal, both
 * addresses that stay unique for the whole run. */
static ALWAYS_INLINE TypeCacheEntry *type_cache_slot(Type *type, const void *key)
{
    return &type_cache[(((uintptr_t)type >> 4) ^ ((uintptr_t)key >> 3) * 31) &
                       (TYPE_CACHE_SIZE - 1)];
}

static ALWAYS_INLINE bool type_cache_hit(const TypeCacheEntry *e, Type *type, const void *key)
{
    return e->epoch == type_cache_epoch && e->type == type && e->key == key;
}

Object *type_dict_get(Object *dict, Object *name)
{
    /* Type dicts hold str keys: the lookup compares by content and needs no VM. */
    return dict_get_hash(NULL, dict, name, str_hash(name));
}

/* type_lookup without the cache. */
static Object *type_lookup_uncached(Type *type, Object *name)
{
    if (!type->mro) {
        for (Type *t = type; t; t = t->base)
            if (t->dict) {
                Object *v = type_dict_get(t->dict, name);
                if (v) return v;
            }
        return NULL;
    }
    for (size_t i = 0; i < TUPLE_SIZE(type->mro); i++) {
        Type *t = (Type *)TUPLE_ITEM(type->mro, i);
        if (!t->dict) continue;
        Object *v = type_dict_get(t->dict, name);
        if (v) return v;
    }
    return NULL;
}

/* A miss: looks the str [name] (NULL: the C string [key]) up along [type]'s MRO and
 * remembers the result under [key]. Out of line, so that a hit pays for no register
 * saves. */
static __attribute__((noinline)) Object *type_cache_fill(TypeCacheEntry *e, Type *type,
                                                         const void *key, Object *name)
{
    Object *v = name ? type_lookup_uncached(type, name) : type_lookup_str(type, key);
    *e = (TypeCacheEntry){type, key, v, type_cache_epoch};
    return v;
}

Object *type_lookup(Type *type, Object *name)
{
    /* only interned str live as long as the run; a stack str's address is reused */
    if (TYPE(name) != &StrType || !((StrObject *)name)->interned)
        return type_lookup_uncached(type, name);
    TypeCacheEntry *e = type_cache_slot(type, name);
    return type_cache_hit(e, type, name) ? e->value : type_cache_fill(e, type, name, name);
}

/* ---- Small helpers ---- */

const char *type_name(Type *type) { return type->name ? type->name : "?"; }

uint64_t obj_address(Object *o) { return 0x7f0000000000ull + 16ull * (uint64_t)o->id; }

/* A str on the C stack naming [name], for dict lookups that must not allocate (a
 * dict compares exact-str keys by content, without needing the VM). */
static void stack_str(StrObject *s, const char *name)
{
    memset(s, 0, sizeof *s);
    s->ob.refcnt = 1;
    s->ob.type = &StrType;
    s->ob.flags = OF_STATIC | OF_IMMORTAL;
    s->byte_len = strlen(name);
    s->len = s->byte_len;
    s->hash = -1;
    s->data = (char *)name;
}

/* Looks [name] up in the dict [d] without allocating; borrowed or NULL. */
Object *type_dict_get_cstr(Object *d, const char *name)
{
    StrObject key;
    stack_str(&key, name);
    return type_dict_get(d, (Object *)&key);
}

Object *type_lookup_str(Type *type, const char *name)
{
    StrObject key;
    stack_str(&key, name);
    return type_lookup(type, (Object *)&key);
}

Object *type_lookup_lit(Type *type, const char *name)
{
    TypeCacheEntry *e = type_cache_slot(type, name);
    return type_cache_hit(e, type, name) ? e->value : type_cache_fill(e, type, name, NULL);
}

Object *descr_bind(Vm *vm, Object *descr, Object *obj, Type *type)
{
    if (TYPE(descr)->descr_get) return TYPE(descr)->descr_get(vm, descr, obj, (Object *)type);
    return NEWREF(descr);
}

/* ---- The object type ---- */

Object *object_repr(Vm *vm, Object *o)
{
    Type *t = TYPE(o);
    char buf[40];
    snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)obj_address(o));
    if ((t->tflags & TP_HEAPTYPE) && t->module && STR_CHECK(t->module) &&
        !str_eq_cstr(t->module, "builtins"))
        return str_from_format(vm, "<%U.%U object at %s>", t->module, t->qualname, buf);
    return str_from_format(vm, "<%s object at %s>", type_name(t), buf);
}

static Object *object_str(Vm *vm, Object *o)
{
    return obj_repr(vm, o);
}

static Hash object_hash(Vm *vm, Object *o) { return (Hash)(obj_address(o) >> 4); }

static Object *object_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (op == CMP_EQ) return NEWREF(a == b ? vm->true_ : vm->not_implemented);
    if (op == CMP_NE && TYPE(a)->richcompare) {
        Object *r = TYPE(a)->richcompare(vm, a, b, CMP_EQ);
        if (!r || r == vm->not_implemented) return r;
        int t = obj_is_true(vm, r);
        DECREF(vm, r);
        return t < 0 ? NULL : bool_from(vm, !t);
    }
    return NEWREF(vm->not_implemented);
}

/* Inline, without args_nkw's call: object_new asks on every instance creation. */
static ALWAYS_INLINE bool excess_args(size_t nargs, Object *kwnames)
{
    return nargs || (kwnames && TUPLE_SIZE(kwnames));
}

static int object_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames);

static Object *object_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (excess_args(nargs, kwnames)) {
        if (type->new_ != object_new)
            return err_format(vm, &TypeErrorType, "object.__new__() takes exactly one argument "
                                                  "(the type to instantiate)");
        if (type->init == object_init)
            return err_format(vm, &TypeErrorType, "%s() takes no arguments", type_name(type));
    }
    if (type->tflags & TP_EXC_SUB) return type->base->new_(vm, type, args, nargs, kwnames);
    Object *o = obj_alloc(vm, type, type->basicsize);
    if (!o) return NULL;
    if (type->tflags & TP_GC) gc_track(vm, o);
    return o;
}

static int object_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    Type *type = TYPE(self);
    if (excess_args(nargs, kwnames)) {
        if (type->init != object_init) {
            err_format(vm, &TypeErrorType, "object.__init__() takes exactly one argument "
                                           "(the instance to initialize)");
            return -1;
        }
        if (type->new_ == object_new) {
            err_format(vm, &TypeErrorType, "%s() takes no arguments", type_name(type));
            return -1;
        }
    }
    return 0;
}

/* object.__format__(spec): str(self) when spec is empty. */
static Object *object_format(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "__format__", nargs, kw, 1, 1) < 0) return NULL;
    if (!STR_CHECK(args[0]))
        return err_format(vm, &TypeErrorType, "__format__() argument must be str, not %s",
                          type_name(TYPE(args[0])));
    if (str_len(args[0]) > 0)
        return err_format(vm, &TypeErrorType, "unsupported format string passed to %s.__format__",
                          type_name(TYPE(self)));
    return obj_str(vm, self);
}

static Object *object_dir_method(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "__dir__", nargs, kw, 0, 0) < 0) return NULL;
    Object *d = dict_new(vm);
    if (!d) return NULL;
    Object **slot = TYPE(self)->dict_offset
                        ? (Object **)((char *)self + TYPE(self)->dict_offset) : NULL;
    if (slot) gc_dict_materialize(vm, *slot); /* CPython asks for __dict__ here */
    int err = slot && *slot ? dict_update(vm, d, *slot) : 0;
    Object *mro = TYPE(self)->mro;
    for (size_t i = 0; !err && mro && i < TUPLE_SIZE(mro); i++)
        err = dict_update(vm, d, ((Type *)TUPLE_ITEM(mro, i))->dict);
    Object *keys = err ? NULL : dict_keys_list(vm, d);
    DECREF(vm, d);
    return keys;
}

static Object *object_init_subclass(Vm *vm, Object *self, Object **args, size_t nargs,
                                    Object *kw)
{
    if (args_check(vm, "__init_subclass__", nargs, kw, 0, 0) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *object_reduce_stub(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    return err_unsupported(vm, "pickling");
}

static const MethodDef object_methods[] = {
    {"__format__", object_format, METH_INSTANCE},
    {"__dir__", object_dir_method, METH_INSTANCE},
    {"__init_subclass__", object_init_subclass, METH_CLASS},
    {"__reduce_ex__", object_reduce_stub, METH_INSTANCE},
    {NULL},
};

Type ObjectType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "object",
    .basicsize = sizeof(Object),
    .modelled_size = 16,
    .tflags = TP_BASETYPE,
    .methods = object_methods,
    .repr = object_repr,
    .str = object_str,
    .hash = object_hash,
    .richcompare = object_richcompare,
    .getattr = obj_generic_getattr,
    .setattr = obj_generic_setattr,
    .new_ = object_new,
    .init = object_init,
};

/* ---- Heap-type instances: the __dict__ slot around the base's layout ---- */

/* The object references a user class adds to its static base [b]'s layout: the
 * __slots__ values and the __dict__ pointer, the slots [first, end) of [self]. The
 * weakref list head among them ([weak], else NULL) is not a counted reference. */
typedef struct {
    Object **first, **end, **weak;
} AddedSlots;

static ALWAYS_INLINE AddedSlots added_slots(Object *self, Type *b)
{
    Type *t = TYPE(self);
    char *p = (char *)self;
    bool own_weak = t->weaklist_offset && !b->weaklist_offset;
    return (AddedSlots){(Object **)(p + b->basicsize), (Object **)(p + t->basicsize),
                        own_weak ? (Object **)(p + t->weaklist_offset) : NULL};
}

/* Releases the slots of [self] added on top of its static base [b]. */
static void clear_added_slots(Vm *vm, Object *self, Type *b)
{
    AddedSlots s = added_slots(self, b);
    for (Object **slot = s.first; slot < s.end; slot++)
        if (slot != s.weak) SETREF(vm, *slot, NULL);
}

static void subtype_dealloc(Vm *vm, Object *self)
{
    Type *b = type_static_base(TYPE(self));
    clear_added_slots(vm, self, b);
    if (b->dealloc) b->dealloc(vm, self);
    else obj_free(vm, self);
}

static int subtype_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    Type *b = type_static_base(TYPE(self));
    AddedSlots s = added_slots(self, b);
    for (Object **slot = s.first; slot < s.end; slot++) {
        Object *v = *slot;
        if (v && slot != s.weak) {
            /* an attribute dict CPython would keep inline is part of its instance */
            int r = v->flags & OF_INLINE_DICT ? v->type->traverse(vm, v, visit, arg)
                                              : visit(vm, v, arg);
            if (r) return r;
        }
    }
    int r = visit(vm, (Object *)TYPE(self), arg);
    if (r) return r;
    return b->traverse ? b->traverse(vm, self, visit, arg) : 0;
}

static void subtype_clear(Vm *vm, Object *self)
{
    Type *b = type_static_base(TYPE(self));
    clear_added_slots(vm, self, b);
    if (b->clear) b->clear(vm, self);
}

/* ---- type_ready: static types ---- */

#define INHERIT(slot) if (!t->slot) t->slot = b->slot

static void inherit_slots(Type *t, Type *b)
{
    INHERIT(dealloc); INHERIT(repr); INHERIT(str); INHERIT(binop); INHERIT(unop);
    INHERIT(is_true); INHERIT(len); INHERIT(getitem); INHERIT(setitem); INHERIT(contains);
    INHERIT(iter); INHERIT(iternext); INHERIT(call); INHERIT(getattr); INHERIT(setattr);
    INHERIT(descr_get); INHERIT(descr_set); INHERIT(init); INHERIT(sizeof_);
    if (!t->traverse && !t->clear) { t->traverse = b->traverse; t->clear = b->clear; }
    if (!t->richcompare && !t->hash) { t->richcompare = b->richcompare; t->hash = b->hash; }
    if (!t->new_ && t->base != &ObjectType) t->new_ = b->new_;
    if (!t->dict_offset) t->dict_offset = b->dict_offset;
    if (!t->weaklist_offset) t->weaklist_offset = b->weaklist_offset;
    t->tflags |= b->tflags & (TP_INT_SUB | TP_STR_SUB | TP_LIST_SUB | TP_TUPLE_SUB |
                              TP_DICT_SUB | TP_EXC_SUB | TP_TYPE_SUB);
}

#undef INHERIT

int type_ready(Vm *vm, Type *t)
{
    if (t != &ObjectType && !t->base) t->base = &ObjectType;
    Type *b = t->base;
    t->ob.type = t->ob.type ? t->ob.type : &TypeType;
    t->ob.flags |= OF_STATIC | OF_IMMORTAL;
    if (t->ob.refcnt < 1) t->ob.refcnt = 1;
    t->ob.id = vm->next_id++;
    if (b) inherit_slots(t, b);
    /* A previous run's dict/mro/bases died with its heap: overwrite, never release. */
    t->dict = dict_new(vm);
    if (t->dict) t->dict->flags |= OF_TYPE_DICT;
    t->mro = t->bases = NULL;
    if (!t->dict) return -1;
    t->dict->flags |= OF_IMMORTAL;
    for (const MethodDef *m = t->methods; m && m->name; m++) {
        Object *d = m->kind == METH_STATIC ? builtin_new(vm, m, NULL)
                                           : builtin_new_descr(vm, m, t);
        if (!d) return -1;
        int r = dict_set_str(vm, t->dict, m->name, d);
        DECREF(vm, d);
        if (r < 0) return -1;
    }
    if (descr_add_slot_wrappers(vm, t) < 0) return -1;
    if (!dict_get_str(vm, t->dict, "__doc__") && dict_set_str(vm, t->dict, "__doc__", vm->none) < 0)
        return -1;
    size_t n = 1;
    for (Type *x = b; x; x = x->base) n++;
    Object *mro = tuple_new(vm, n);
    if (!mro) return -1;
    size_t i = 0;
    for (Type *x = t; x; x = x->base) TUPLE_ITEM(mro, i++) = NEWREF((Object *)x);
    t->mro = mro;
    type_cache_invalidate();
    t->bases = b ? tuple_pack(vm, 1, (Object *)b) : NEWREF(vm->empty_tuple);
    if (!t->bases) return -1;
    /* Everything a static type holds lives for the whole run. */
    t->mro->flags |= OF_IMMORTAL;
    t->bases->flags |= OF_IMMORTAL;
    size_t pos = 0;
    Object *k, *v;
    while (dict_next(t->dict, &pos, &k, &v)) v->flags |= OF_IMMORTAL;
    return 0;
}

void type_unready(Vm *vm, Type *t)
{
    if (t->dict) {
        size_t pos = 0;
        Object *k, *v;
        while (dict_next(t->dict, &pos, &k, &v))
            if (v != vm->none) v->flags &= ~OF_IMMORTAL;
        t->dict->flags &= ~OF_IMMORTAL;
        dict_clear(vm, t->dict);
    }
    if (t->mro) t->mro->flags &= ~OF_IMMORTAL;
    if (t->bases && t->bases != vm->empty_tuple) t->bases->flags &= ~OF_IMMORTAL;
    SETREF(vm, t->dict, NULL);
    SETREF(vm, t->mro, NULL);
    SETREF(vm, t->bases, NULL);
}

void class_fini(Vm *vm)
{
#undef TYPE
#define TYPE(name) type_unready(vm, &name##Type);
#include "types.def"
#undef TYPE
#define TYPE(o) (((Object *)(o))->type)
    class_clear_repr_guard(vm);
}

/* ---- The type type ---- */

static Object *type_repr(Vm *vm, Object *self)
{
    Type *t = (Type *)self;
    if ((t->tflags & TP_HEAPTYPE) && t->module && STR_CHECK(t->module) &&
        !str_eq_cstr(t->module, "builtins"))
        return str_from_format(vm, "<class '%U.%U'>", t->module, t->qualname);
    if (t->tflags & TP_HEAPTYPE) return str_from_format(vm, "<class '%U'>", t->qualname);
    return str_from_format(vm, "<class '%s'>", type_name(t));
}

static Object *type_call(Vm *vm, Object *callable, Object **args, size_t nargs, Object *kwnames)
{
    Type *t = (Type *)callable;
    if (t == &TypeType && nargs == 1 && !args_nkw(kwnames)) return NEWREF((Object *)TYPE(args[0]));
    if (!t->new_)
        return err_format(vm, &TypeErrorType, "cannot create '%s' instances", type_name(t));
    Object *o = t->new_(vm, t, args, nargs, kwnames);
    if (!o || (TYPE(o) != t && !type_is_subtype(TYPE(o), t))) return o;
    /* object.__init__ without arguments does nothing: `class C: pass` skips the call */
    if (TYPE(o)->init == object_init && !excess_args(nargs, kwnames)) return o;
    if (TYPE(o)->init && TYPE(o)->init(vm, o, args, nargs, kwnames) < 0) {
        DECREF(vm, o);
        return NULL;
    }
    return o;
}

static Object *type_new_slot(Vm *vm, Type *meta, Object **args, size_t nargs, Object *kwnames)
{
    if (nargs == 1 && !args_nkw(kwnames)) return NEWREF((Object *)TYPE(args[0]));
    if (nargs != 3)
        return err_format(vm, &TypeErrorType, "type() takes 1 or 3 arguments");
    if (!STR_CHECK(args[0]))
        return err_format(vm, &TypeErrorType, "type.__new__() argument 1 must be str, not %s",
                          type_name(TYPE(args[0])));
    if (TYPE(args[1]) != &TupleType)
        return err_format(vm, &TypeErrorType, "type.__new__() argument 2 must be tuple, not %s",
                          type_name(TYPE(args[1])));
    if (TYPE(args[2]) != &DictType && !(TYPE(args[2])->tflags & TP_DICT_SUB))
        return err_format(vm, &TypeErrorType, "type.__new__() argument 3 must be dict, not %s",
                          type_name(TYPE(args[2])));
    return type_new_meta(vm, meta, args[0], args[1], args[2]);
}

static int type_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    return 0;
}

static Object *type_special_attr(Vm *vm, Type *t, Object *name)
{
    const char *n = str_cstr(name);
    if (n[0] != '_' || n[1] != '_') return NULL;
    bool heap = (t->tflags & TP_HEAPTYPE) != 0;
    if (!strcmp(n, "__name__"))
        return heap ? NEWREF(t->name_obj) : str_from_cstr(vm, type_name(t));
    if (!strcmp(n, "__qualname__"))
        return heap ? NEWREF(t->qualname) : str_from_cstr(vm, type_name(t));
    if (!strcmp(n, "__module__")) {
        Object *m = t->dict ? dict_get_str(vm, t->dict, "__module__") : NULL;
        if (m) return NEWREF(m);
        return str_from_cstr(vm, "builtins");
    }
    if (!strcmp(n, "__mro__")) return NEWREF(t->mro);
    if (!strcmp(n, "__bases__")) return NEWREF(t->bases);
    if (!strcmp(n, "__base__")) return NEWREF(t->base ? (Object *)t->base : vm->none);
    if (!strcmp(n, "__dict__")) return mappingproxy_new(vm, t->dict);
    if (!strcmp(n, "__class__")) return NEWREF((Object *)TYPE(t));
    return NULL;
}

static Object *type_getattr(Vm *vm, Object *self, Object *name)
{
    Type *t = (Type *)self, *meta = TYPE(self);
    Object *special = type_special_attr(vm, t, name);
    if (special || vm->exc) return special;
    Object *meta_attr = type_lookup(meta, name);
    if (meta_attr && TYPE(meta_attr)->descr_get && TYPE(meta_attr)->descr_set)
        return TYPE(meta_attr)->descr_get(vm, meta_attr, self, (Object *)meta);
    Object *attr = type_lookup(t, name);
    if (attr) return descr_bind(vm, attr, NULL, t);
    if (meta_attr) return descr_bind(vm, meta_attr, self, meta);
    exc_attribute_error(vm, self, name);
    return NULL;
}

static int type_setattr(Vm *vm, Object *self, Object *name, Object *value)
{
    Type *t = (Type *)self;
    if (!(t->tflags & TP_HEAPTYPE)) {
        err_format(vm, &TypeErrorType, "cannot set '%U' attribute of immutable type '%s'", name,
                   type_name(t));
        return -1;
    }
    Object *meta_attr = type_lookup(TYPE(self), name);
    if (meta_attr && TYPE(meta_attr)->descr_set)
        return TYPE(meta_attr)->descr_set(vm, meta_attr, self, value);
    const char *n = str_cstr(name);
    if (!strcmp(n, "__name__") || !strcmp(n, "__qualname__")) {
        if (!value || !STR_CHECK(value)) {
            err_format(vm, &TypeErrorType, "can only assign string to %s.%s, not '%s'",
                       type_name(t), n, value ? type_name(TYPE(value)) : "NoneType");
            return -1;
        }
        if (n[2] == 'n') {
            SETREF(vm, t->name_obj, NEWREF(value));
            t->name = str_cstr(value);
        } else {
            SETREF(vm, t->qualname, NEWREF(value));
        }
        return 0;
    }
    int r;
    if (value) {
        r = dict_set(vm, t->dict, name, value);
    } else {
        r = dict_discard(vm, t->dict, name);
        if (r == 0) {
            exc_attribute_error(vm, self, name);
            r = -1;
        }
    }
    if (r < 0) return -1;
    /* Subclasses keep their TP_HAS_DEL bit: from now on gc_finalize looks __del__ up
     * on every type. */
    if (!strcmp(n, "__del__")) vm->gc->del_assigned = true;
    size_t len = strlen(n);
    if (len > 4 && n[0] == '_' && n[1] == '_' && n[len - 1] == '_' && n[len - 2] == '_')
        type_fixup_slots(vm, t);
    return 0;
}

static void type_dealloc(Vm *vm, Object *self)
{
    Type *t = (Type *)self;
    type_cache_invalidate();
    SETREF(vm, t->dict, NULL);
    SETREF(vm, t->mro, NULL);
    SETREF(vm, t->bases, NULL);
    SETREF(vm, t->qualname, NULL);
    SETREF(vm, t->module, NULL);
    Type *base = t->base;
    t->base = NULL;
    XDECREF(vm, base);
    SETREF(vm, t->name_obj, NULL);
    obj_free(vm, self);
}

static int type_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    Type *t = (Type *)self;
    Object *refs[] = {t->dict, t->mro, t->bases, (Object *)t->base, t->name_obj, t->qualname,
                      t->module};
    return visit_refs(vm, refs, sizeof refs / sizeof refs[0], visit, arg);
}

static void type_clear(Vm *vm, Object *self)
{
    Type *t = (Type *)self;
    if (!(t->tflags & TP_HEAPTYPE)) return;
    SETREF(vm, t->mro, NULL);
    if (t->dict) dict_clear(vm, t->dict);
    SETREF(vm, t->dict, NULL);
}

static Hash type_hash(Vm *vm, Object *self) { return object_hash(vm, self); }

static Object *type_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    return object_richcompare(vm, a, b, op);
}

/* type.mro(): the MRO as a list. */
static Object *type_mro_method(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "mro", nargs, kw, 0, 0) < 0) return NULL;
    Object *mro = ((Type *)self)->mro;
    Object *l = list_from_iterable(vm, mro);
    return l;
}

static Object *type_subclasses_stub(Vm *vm, Object *self, Object **args, size_t nargs,
                                    Object *kw)
{
    return err_unsupported(vm, "type.__subclasses__()");
}

static const MethodDef type_methods[] = {
    {"mro", type_mro_method, METH_INSTANCE},
    {"__subclasses__", type_subclasses_stub, METH_INSTANCE},
    {NULL},
};

Type TypeType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "type",
    .basicsize = sizeof(Type),
    .weaklist_offset = offsetof(Type, weaklist),
    .modelled_size = 920,
    .tflags = TP_BASETYPE | TP_GC | TP_TYPE_SUB,
    .methods = type_methods,
    .dealloc = type_dealloc,
    .traverse = type_traverse,
    .clear = type_clear,
    .repr = type_repr,
    .hash = type_hash,
    .richcompare = type_richcompare,
    .call = type_call,
    .getattr = type_getattr,
    .setattr = type_setattr,
    .new_ = type_new_slot,
    .init = type_init,
};

/* ---- type_new: class statements and type(name, bases, ns) ---- */

struct Slots_;

/* The type whose C layout instances of [t] share (CPython's solid_base). */
static Type *solid_base(Type *t)
{
    if (t->tflags & TP_HEAPTYPE) return solid_base(t->base);
    if (t->base && t->basicsize == t->base->basicsize) return solid_base(t->base);
    return t;
}

static Type *best_base(Vm *vm, Object *bases)
{
    Type *winner = NULL, *base = NULL;
    for (size_t i = 0; i < TUPLE_SIZE(bases); i++) {
        Object *bo = TUPLE_ITEM(bases, i);
        if (!(TYPE(bo)->tflags & TP_TYPE_SUB)) {
            err_format(vm, &TypeErrorType, "bases must be types");
            return NULL;
        }
        Type *b = (Type *)bo;
        if (!(b->tflags & TP_BASETYPE)) {
            err_format(vm, &TypeErrorType, "type '%s' is not an acceptable base type", type_name(b));
            return NULL;
        }
        Type *candidate = solid_base(b);
        if (!winner) {
            winner = candidate;
            base = b;
        } else if (type_is_subtype(winner, candidate)) {
            /* keep the winner */
        } else if (type_is_subtype(candidate, winner)) {
            winner = candidate;
            base = b;
        } else {
            err_format(vm, &TypeErrorType, "multiple bases have instance lay-out conflict");
            return NULL;
        }
    }
    return base;
}

/* C3 linearization: [seqs] are [nseq] arrays of types (their lengths in [lens]);
 * heads are consumed by advancing [pos]. */
static Object *c3_merge(Vm *vm, Type *t, Object *bases)
{
    size_t nb = TUPLE_SIZE(bases), nseq = nb + 1, total = 1;
    Type ***seqs = calloc(nseq, sizeof *seqs);
    size_t *lens = calloc(nseq, sizeof *lens), *pos = calloc(nseq, sizeof *pos);
    Type **out = NULL;
    Object *result = NULL;
    if (!seqs || !lens || !pos) goto done;
    for (size_t i = 0; i < nb; i++) {
        Object *mro = ((Type *)TUPLE_ITEM(bases, i))->mro;
        lens[i] = TUPLE_SIZE(mro);
        seqs[i] = (Type **)((TupleObject *)mro)->items;
        total += lens[i];
    }
    lens[nb] = nb;
    seqs[nb] = (Type **)((TupleObject *)bases)->items;
    total += nb;
    out = malloc(total * sizeof *out);
    if (!out) goto done;
    size_t n = 0;
    out[n++] = t;
    for (;;) {
        bool empty = true;
        Type *next = NULL;
        for (size_t i = 0; i < nseq && !next; i++) {
            if (pos[i] >= lens[i]) continue;
            empty = false;
            Type *cand = seqs[i][pos[i]];
            bool in_tail = false;
            for (size_t j = 0; j < nseq && !in_tail; j++)
                for (size_t k = pos[j] + 1; k < lens[j]; k++)
                    if (seqs[j][k] == cand) { in_tail = true; break; }
            if (!in_tail) next = cand;
        }
        if (empty) break;
        if (!next) {
            StrBuf sb;
            strbuf_init(&sb);
            strbuf_append_cstr(&sb, "Cannot create a consistent method resolution\norder (MRO) for bases ");
            bool first = true;
            for (size_t i = 0; i < nseq; i++) {
                if (pos[i] >= lens[i]) continue;
                for (size_t k = 0; k < i; k++)
                    if (pos[k] < lens[k] && seqs[k][pos[k]] == seqs[i][pos[i]]) goto skip;
                if (!first) strbuf_append_cstr(&sb, ", ");
                strbuf_append_cstr(&sb, type_name(seqs[i][pos[i]]));
                first = false;
            skip:;
            }
            Object *msg = strbuf_finish(vm, &sb);
            if (msg) {
                err_set(vm, &TypeErrorType, msg);
                DECREF(vm, msg);
            }
            goto done;
        }
        out[n++] = next;
        for (size_t i = 0; i < nseq; i++)
            if (pos[i] < lens[i] && seqs[i][pos[i]] == next) pos[i]++;
    }
    result = tuple_from_array(vm, (Object **)out, n);
done:
    if (!result && !vm->exc) err_no_memory(vm);
    free(seqs);
    free(lens);
    free(pos);
    free(out);
    return result;
}

/* Copies [ns] into the new type's dict, applying CPython's conversions. */
static int add_members(Vm *vm, Type *t, Type *base, struct Slots_ *sl);
static int fill_type_dict(Vm *vm, Type *t, Object *ns, struct Slots_ *sl)
{
    t->dict = dict_new(vm);
    if (t->dict) t->dict->flags |= OF_TYPE_DICT;
    if (!t->dict) return -1;
    size_t pos = 0;
    Object *k, *v;
    while (dict_next(ns, &pos, &k, &v)) {
        if (STR_CHECK(k) && (str_eq_cstr(k, "__classcell__") || str_eq_cstr(k, "__qualname__")))
            continue;
        if (dict_set(vm, t->dict, k, v) < 0) return -1;
    }
    Object *mod = dict_get_str(vm, t->dict, "__module__");
    if (!mod) {
        Object *g = vm->main_globals ? dict_get_str(vm, vm->main_globals, "__name__") : NULL;
        if (g && dict_set_str(vm, t->dict, "__module__", g) < 0) return -1;
        mod = g;
    }
    t->module = mod ? NEWREF(mod) : NULL;
    if (add_members(vm, t, t->base, sl) < 0) return -1;
    for (int which = 0; which < 2; which++) {
        bool adds = which == 0 ? t->dict_offset && !t->base->dict_offset
                               : t->weaklist_offset && !t->base->weaklist_offset;
        const char *name = which == 0 ? "__dict__" : "__weakref__";
        if (!adds || dict_get_str(vm, t->dict, name)) continue;
        Object *gs = descr_new_getset(vm, t, which);
        if (!gs || dict_set_str(vm, t->dict, name, gs) < 0) {
            XDECREF(vm, gs);
            return -1;
        }
        DECREF(vm, gs);
    }
    if (!dict_get_str(vm, t->dict, "__doc__") && dict_set_str(vm, t->dict, "__doc__", vm->none) < 0)
        return -1;
    if (dict_get_str(vm, t->dict, "__eq__") && !dict_get_str(vm, t->dict, "__hash__") &&
        dict_set_str(vm, t->dict, "__hash__", vm->none) < 0)
        return -1;
    static const struct { const char *name; Type *wrap; } wraps[] = {
        {"__new__", &StaticMethodType},
        {"__init_subclass__", &ClassMethodType},
        {"__class_getitem__", &ClassMethodType},
    };
    for (size_t i = 0; i < 3; i++) {
        Object *f = dict_get_str(vm, t->dict, wraps[i].name);
        if (!f || TYPE(f) != &FunctionType) continue;
        Object *w = obj_call_args(vm, (Object *)wraps[i].wrap, 1, f);
        if (!w || dict_set_str(vm, t->dict, wraps[i].name, w) < 0) {
            XDECREF(vm, w);
            return -1;
        }
        DECREF(vm, w);
    }
    return 0;
}

/* The parsed __slots__ of a class statement. */
typedef struct Slots_ {
    bool present;     /* the namespace defines __slots__ */
    Object *names;    /* tuple of the slot names (without __dict__/__weakref__) */
    bool dict, weak;  /* "__dict__" / "__weakref__" listed */
} Slots;

static int parse_slots(Vm *vm, Object *ns, Type *base, struct Slots_ *sl)
{
    memset(sl, 0, sizeof *sl);
    Object *spec = dict_get_str(vm, ns, "__slots__");
    if (!spec) return 0;
    sl->present = true;
    Object *all = STR_CHECK(spec) ? tuple_pack(vm, 1, spec) : tuple_from_iterable(vm, spec);
    if (!all) return -1;
    Object *names = tuple_new(vm, TUPLE_SIZE(all));
    if (!names) {
        DECREF(vm, all);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < TUPLE_SIZE(all); i++) {
        Object *nm = TUPLE_ITEM(all, i);
        if (!STR_CHECK(nm)) {
            err_format(vm, &TypeErrorType, "__slots__ items must be strings, not '%s'",
                       type_name(TYPE(nm)));
            goto fail;
        }
        if (str_eq_cstr(nm, "__dict__")) { sl->dict = true; continue; }
        if (str_eq_cstr(nm, "__weakref__")) { sl->weak = true; continue; }
        if (dict_get(vm, ns, nm)) {
            err_format(vm, &ValueErrorType, "%R in __slots__ conflicts with class variable", nm);
            goto fail;
        }
        TUPLE_ITEM(names, n++) = NEWREF(nm);
    }
    if (n && base->itemsize) {
        err_format(vm, &TypeErrorType, "nonempty __slots__ not supported for subtype of '%s'",
                   type_name(base));
        goto fail;
    }
    ((TupleObject *)names)->size = n;
    DECREF(vm, all);
    sl->names = names;
    return 0;
fail:
    ((TupleObject *)names)->size = n;
    DECREF(vm, names);
    DECREF(vm, all);
    return -1;
}

/* Lays instances out as the base plus the __slots__ values, a __dict__ and a weakref
 * slot (the last two unless __slots__ leaves them out). */
static void set_layout(Type *t, Type *base, Slots *sl)
{
    size_t nslots = sl->names ? TUPLE_SIZE(sl->names) : 0;
    bool want_dict = !sl->present || sl->dict, want_weak = !sl->present || sl->weak;
    t->basicsize = base->basicsize + nslots * sizeof(Object *);
    t->itemsize = base->itemsize;
    t->dict_offset = base->dict_offset;
    t->weaklist_offset = base->weaklist_offset;
    t->modelled_size = base->modelled_size + ((base->tflags & TP_GC) ? 0 : 16) + 8 * nslots;
    if (base->itemsize == 0 && want_dict && !t->dict_offset) {
        t->dict_offset = t->basicsize;
        t->basicsize += sizeof(Object *);
        t->modelled_size += 16;
    }
    if (base->itemsize == 0 && want_weak && !t->weaklist_offset) {
        t->weaklist_offset = t->basicsize;
        t->basicsize += sizeof(Object *);
        t->modelled_size += 8;
    }
    if (base->tflags & TP_INT_SUB) t->modelled_size = base->modelled_size + 16;
}

/* Stores a member descriptor for each __slots__ name in the new class's dict. */
static int add_members(Vm *vm, Type *t, Type *base, Slots *sl)
{
    for (size_t i = 0; sl->names && i < TUPLE_SIZE(sl->names); i++) {
        Object *nm = TUPLE_ITEM(sl->names, i);
        Object *m = descr_new_member(vm, t, nm, base->basicsize + i * sizeof(Object *));
        if (!m || dict_set(vm, t->dict, nm, m) < 0) {
            XDECREF(vm, m);
            return -1;
        }
        DECREF(vm, m);
    }
    return 0;
}

/* Calls __set_name__ on the new class's attributes and the base's __init_subclass__. */
static int finish_class(Vm *vm, Type *t)
{
    size_t pos = 0;
    Object *k, *v;
    EV(vm, watch, (Object *const *)&t, 1); /* the class, not yet in any namespace */
    while (dict_next(t->dict, &pos, &k, &v)) {
        Object *sn = type_lookup_str(TYPE(v), "__set_name__");
        if (!sn) continue;
        Object *args[2] = {(Object *)t, k};
        INCREF(v);
        Object *r = class_call_unbound(vm, sn, v, args, 2, NULL);
        DECREF(vm, v);
        if (!r) return -1;
        DECREF(vm, r);
    }
    /* super(t, t).__init_subclass__() */
    Object *mro = t->mro;
    for (size_t i = 1; i < TUPLE_SIZE(mro); i++) {
        Type *b = (Type *)TUPLE_ITEM(mro, i);
        Object *f = dict_get_str(vm, b->dict, "__init_subclass__");
        if (!f) continue;
        Object *bound = descr_bind(vm, f, NULL, t);
        if (!bound) return -1;
        Object *r = obj_call(vm, bound, NULL, 0, NULL);
        DECREF(vm, bound);
        if (!r) return -1;
        DECREF(vm, r);
        break;
    }
    return 0;
}

Object *type_new_meta(Vm *vm, Type *meta, Object *name, Object *bases, Object *ns)
{
    Object *own_bases = TUPLE_SIZE(bases) ? NEWREF(bases)
                                          : tuple_pack(vm, 1, (Object *)&ObjectType);
    if (!own_bases) return NULL;
    for (size_t i = 0; i < TUPLE_SIZE(own_bases); i++)
        for (size_t j = 0; j < i; j++)
            if (TUPLE_ITEM(own_bases, i) == TUPLE_ITEM(own_bases, j)) {
                DECREF(vm, own_bases);
                return err_format(vm, &TypeErrorType, "duplicate base class %s",
                                  type_name((Type *)TUPLE_ITEM(own_bases, i)));
            }
    Type *base = best_base(vm, own_bases);
    if (!base) {
        DECREF(vm, own_bases);
        return NULL;
    }
    for (size_t i = 0; i < TUPLE_SIZE(own_bases); i++) {
        Type *bm = TYPE(TUPLE_ITEM(own_bases, i));
        if (type_is_subtype(bm, meta)) meta = bm;
    }
    Type *t = (Type *)obj_alloc(vm, meta, meta->basicsize);
    if (!t) {
        DECREF(vm, own_bases);
        return NULL;
    }
    t->tflags = TP_HEAPTYPE | TP_BASETYPE | TP_GC |
                (base->tflags & (TP_INT_SUB | TP_STR_SUB | TP_LIST_SUB | TP_TUPLE_SUB |
                                 TP_DICT_SUB | TP_EXC_SUB | TP_TYPE_SUB));
    t->base = (Type *)NEWREF((Object *)base);
    t->bases = own_bases;
    t->name_obj = NEWREF(name);
    t->name = str_cstr(name);
    Object *qn = dict_get_str(vm, ns, "__qualname__");
    t->qualname = NEWREF(qn && STR_CHECK(qn) ? qn : name);
    Slots sl;
    if (parse_slots(vm, ns, base, &sl) < 0) {
        DECREF(vm, t);
        return NULL;
    }
    set_layout(t, base, &sl);
    /* Inherit every slot from the base, then override the dunder-dispatching ones. */
    t->dealloc = subtype_dealloc;
    t->traverse = subtype_traverse;
    t->clear = subtype_clear;
    t->sizeof_ = base->sizeof_;
    t->methods = NULL;
    int ok = fill_type_dict(vm, t, ns, &sl) == 0 && (t->mro = c3_merge(vm, t, own_bases));
    type_cache_invalidate();
    XDECREF(vm, sl.names);
    if (!ok) {
        DECREF(vm, t);
        return NULL;
    }
    type_fixup_slots(vm, t);
    gc_track(vm, (Object *)t);
    if (finish_class(vm, t) < 0) {
        DECREF(vm, t);
        return NULL;
    }
    return (Object *)t;
}

Object *type_new(Vm *vm, Object *name, Object *bases, Object *ns)
{
    return type_new_meta(vm, &TypeType, name, bases, ns);
}
