/* mod_sys.c — the sys module: recursion limit, getrefcount and getsizeof modelled on
 * CPython 3.11 (64-bit), intern, exc_info/exception, the int string-conversion limit,
 * the constants lessons print (maxsize, version_info, platform, argv, ...), and the
 * stdout/stderr stream objects that print() writes through.
 */
#include <stdint.h>
#include <string.h>

#include "args.h"
#include "builtins.h"
#include "class.h"
#include "dict.h"
#include "exc.h"
#include "int.h"
#include "list.h"
#include "module.h"
#include "str.h"
#include "tuple.h"
#include "vm.h"

/* The highest recursion limit honoured: frames live on the heap, but each one costs
 * memory, and the wasm build must stay inside its budget. Larger requests are capped. */
#define SYS_MAX_RECURSION_LIMIT 100000

#define CHECK(name, lo, hi) if (args_check(vm, name, nargs, kw, lo, hi) < 0) return NULL

/* ---- stream objects ---- */

Object *stdstream_new(Vm *vm, int stream)
{
    StdStreamObject *s = (StdStreamObject *)obj_alloc(vm, &StdStreamType, sizeof(StdStreamObject));
    if (s) s->stream = stream;
    return (Object *)s;
}

static Object *stream_write(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("TextIOWrapper.write", 1, 1);
    if (!STR_CHECK(args[0]))
        return err_format(vm, &TypeErrorType, "write() argument must be str, not %T", args[0]);
    vm_write(vm, ((StdStreamObject *)self)->stream, str_cstr(args[0]), str_byte_len(args[0]));
    return int_from_i64(vm, (int64_t)str_len(args[0]));
}

static Object *stream_flush(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("TextIOWrapper.flush", 0, 0);
    RETURN_NONE(vm);
}

static Object *stream_isatty(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("TextIOWrapper.isatty", 0, 0);
    return bool_from(vm, 0);
}

static Object *stream_repr(Vm *vm, Object *self)
{
    return str_from_format(vm, "<_io.TextIOWrapper name='<%s>' mode='w' encoding='utf-8'>",
                           ((StdStreamObject *)self)->stream == 2 ? "stderr" : "stdout");
}

static void stream_dealloc(Vm *vm, Object *self) { obj_free(vm, self); }

static const MethodDef stream_methods[] = {
    {"write", stream_write, METH_INSTANCE},
    {"flush", stream_flush, METH_INSTANCE},
    {"isatty", stream_isatty, METH_INSTANCE},
    {NULL}
};

Type StdStreamType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "TextIOWrapper",
    .basicsize = sizeof(StdStreamObject),
    .modelled_size = 208,
    .base = &ObjectType,
    .methods = stream_methods,
    .dealloc = stream_dealloc,
    .repr = stream_repr,
};

/* ---- functions ---- */

static Object *sys_getrecursionlimit(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("sys.getrecursionlimit", 0, 0);
    return int_from_i64(vm, vm->recursion_limit);
}

static Object *sys_setrecursionlimit(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("sys.setrecursionlimit", 1, 1);
    if (!INT_CHECK(args[0]))
        return err_format(vm, &TypeErrorType, "'%s' object cannot be interpreted as an integer",
                          type_name(TYPE(args[0])));
    int n;
    if (int_as_c_int(vm, args[0], &n) < 0) return NULL;
    if (n < 1) return err_format(vm, &ValueErrorType, "recursion limit must be greater or equal than 1");
    if (n > SYS_MAX_RECURSION_LIMIT) n = SYS_MAX_RECURSION_LIMIT;
    if (n <= vm->depth)
        return err_format(vm, &RecursionErrorType,
                          "cannot set the recursion limit to %d at the recursion depth %d: the limit is too low",
                          (int)n, vm->depth);
    vm->recursion_limit = (int)n;
    RETURN_NONE(vm);
}

static Object *sys_getrefcount(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("sys.getrefcount", 1, 1);
    return int_from_i64(vm, (int64_t)args[0]->refcnt);
}

/* The modelled size of [o]: the type's sizeof slot or modelled size, inherited from
 * the nearest base that defines one; a user-defined __sizeof__ wins. */
static Object *sys_getsizeof(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    static const char *const names[] = {"object", "default", NULL};
    Object *a[2];
    if (args_unpack(vm, "getsizeof", args, nargs, kw, names, 1, 2, a) < 0) return NULL;
    Object *o = a[0];
    Type *t = TYPE(o);
    if (t->tflags & TP_HEAPTYPE) {
        for (Type *b = t; b && (b->tflags & TP_HEAPTYPE); b = b->base) {
            if (b->dict && dict_get_str(vm, b->dict, "__sizeof__")) {
                Object *r = obj_call_method(vm, o, "__sizeof__", 0);
                if (!r) {
                    if (a[1] && err_matches(vm, &TypeErrorType)) {
                        err_clear(vm);
                        return NEWREF(a[1]);
                    }
                    return NULL;
                }
                int64_t n;
                int rc = INT_CHECK(r) ? int_as_i64(vm, r, &n) : -1;
                DECREF(vm, r);
                if (rc < 0) {
                    if (!vm->exc)
                        err_format(vm, &TypeErrorType, "an integer is required");
                    return NULL;
                }
                if (n < 0) return err_format(vm, &ValueErrorType, "__sizeof__() should return >= 0");
                return int_from_i64(vm, n + ((t->tflags & TP_GC) ? 16 : 0));
            }
        }
    }
    for (Type *b = t; b; b = b->base) {
        if (b->sizeof_) return int_from_i64(vm, (int64_t)b->sizeof_(vm, o));
        if (b->modelled_size) {
            size_t size = t->modelled_size ? t->modelled_size : b->modelled_size;
            return int_from_i64(vm, (int64_t)size);
        }
    }
    return int_from_i64(vm, 16);
}

static Object *sys_intern(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("sys.intern", 1, 1);
    if (TYPE(args[0]) != &StrType)
        return err_format(vm, &TypeErrorType, "intern() argument must be str, not %T", args[0]);
    return str_intern(vm, NEWREF(args[0]));
}

static Object *sys_exc_info(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("sys.exc_info", 0, 0);
    Object *e = vm->handled_exc;
    if (!e || IS_NONE(vm, e)) return tuple_pack(vm, 3, vm->none, vm->none, vm->none);
    Object *tb = ((ExceptionObject *)e)->traceback;
    return tuple_pack(vm, 3, (Object *)TYPE(e), e, tb ? tb : vm->none);
}

static Object *sys_exception(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("sys.exception", 0, 0);
    Object *e = vm->handled_exc;
    return NEWREF(e ? e : vm->none);
}

static Object *sys_exit(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("exit", 0, 1);
    err_set(vm, &SystemExitType, nargs ? args[0] : NULL);
    return NULL;
}

static Object *sys_get_int_max_str_digits(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("sys.get_int_max_str_digits", 0, 0);
    return int_from_i64(vm, vm->int_max_str_digits);
}

static Object *sys_set_int_max_str_digits(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    static const char *const names[] = {"maxdigits", NULL};
    Object *a[1];
    if (args_unpack(vm, "set_int_max_str_digits", args, nargs, kw, names, 1, 1, a) < 0) return NULL;
    Object *i = int_index(vm, a[0]);
    if (!i) return NULL;
    int n;
    int rc = int_as_c_int(vm, i, &n);
    DECREF(vm, i);
    if (rc < 0) return NULL;
    if (n != 0 && n < 640) return err_format(vm, &ValueErrorType, "maxdigits must be 0 or larger than 640");
    vm->int_max_str_digits = (int)n;
    RETURN_NONE(vm);
}

static Object *sys_getdefaultencoding(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("sys.getdefaultencoding", 0, 0);
    return str_from_cstr(vm, "utf-8");
}

static const MethodDef sys_functions[] = {
    {"getrecursionlimit", sys_getrecursionlimit, METH_STATIC},
    {"setrecursionlimit", sys_setrecursionlimit, METH_STATIC},
    {"getrefcount", sys_getrefcount, METH_STATIC},
    {"getsizeof", sys_getsizeof, METH_STATIC},
    {"intern", sys_intern, METH_STATIC},
    {"exc_info", sys_exc_info, METH_STATIC},
    {"exception", sys_exception, METH_STATIC},
    {"exit", sys_exit, METH_STATIC},
    {"get_int_max_str_digits", sys_get_int_max_str_digits, METH_STATIC},
    {"set_int_max_str_digits", sys_set_int_max_str_digits, METH_STATIC},
    {"getdefaultencoding", sys_getdefaultencoding, METH_STATIC},
    {NULL}
};

/* Sets sys.<name> to a new reference [value] (consumed). */
static int add_new(Vm *vm, Object *m, const char *name, Object *value)
{
    if (!value) return -1;
    int rc = module_add_object(vm, m, name, value);
    DECREF(vm, value);
    return rc;
}

static int add_streams(Vm *vm, Object *m)
{
    Object *out = stdstream_new(vm, 1), *err = stdstream_new(vm, 2);
    int rc = -1;
    if (out && err)
        rc = (module_add_object(vm, m, "stdout", out) < 0 || module_add_object(vm, m, "__stdout__", out) < 0 ||
              module_add_object(vm, m, "stderr", err) < 0 || module_add_object(vm, m, "__stderr__", err) < 0)
                 ? -1 : 0;
    XDECREF(vm, out);
    XDECREF(vm, err);
    return rc;
}

static Object *make_argv(Vm *vm)
{
    Object *name = str_from_cstr(vm, vm->filename ? vm->filename : "");
    if (!name) return NULL;
    Object *l = list_new(vm, 1);
    if (l) LIST_ITEM(l, 0) = name;
    else DECREF(vm, name);
    return l;
}

/* ---- sys.version_info: a tuple with named fields ---- */

static const char *const vinfo_fields[] = {"major", "minor", "micro", "releaselevel", "serial"};

static Object *vinfo_repr(Vm *vm, Object *self)
{
    return str_from_format(vm, "sys.version_info(major=%R, minor=%R, micro=%R, releaselevel=%R, serial=%R)",
                           TUPLE_ITEM(self, 0), TUPLE_ITEM(self, 1), TUPLE_ITEM(self, 2),
                           TUPLE_ITEM(self, 3), TUPLE_ITEM(self, 4));
}

static Object *vinfo_getattr(Vm *vm, Object *self, Object *name)
{
    for (size_t i = 0; i < 5; i++)
        if (str_eq_cstr(name, vinfo_fields[i])) return NEWREF(TUPLE_ITEM(self, i));
    return obj_generic_getattr(vm, self, name);
}

static Object *vinfo_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    return err_format(vm, &TypeErrorType, "cannot create 'sys.version_info' instances");
}

Type VersionInfoType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "version_info",
    .basicsize = sizeof(TupleObject),
    .itemsize = sizeof(Object *),
    .modelled_size = 40,
    .tflags = TP_GC | TP_TUPLE_SUB,
    .base = &TupleType,
    .repr = vinfo_repr,
    .getattr = vinfo_getattr,
    .new_ = vinfo_new,
};

static Object *make_version_info(Vm *vm)
{
    Object *major = int_from_i64(vm, 3), *minor = int_from_i64(vm, 11), *micro = int_from_i64(vm, 7);
    Object *level = str_from_cstr(vm, "final"), *serial = int_from_i64(vm, 0);
    Object *t = (major && minor && micro && level && serial)
                    ? tuple_new_of_type(vm, &VersionInfoType, 5) : NULL;
    if (t) {
        Object *items[5] = {major, minor, micro, level, serial};
        for (size_t i = 0; i < 5; i++) TUPLE_ITEM(t, i) = NEWREF(items[i]);
    }
    XDECREF(vm, major);
    XDECREF(vm, minor);
    XDECREF(vm, micro);
    XDECREF(vm, level);
    XDECREF(vm, serial);
    return t;
}

Object *mod_sys_create(Vm *vm)
{
    Object *m = module_new(vm, "sys");
    if (!m) return NULL;
    if (module_add_methods(vm, m, sys_functions) < 0 || add_streams(vm, m) < 0 ||
        add_new(vm, m, "maxsize", int_from_i64(vm, INT64_MAX)) < 0 ||
        add_new(vm, m, "maxunicode", int_from_i64(vm, 0x10FFFF)) < 0 ||
        add_new(vm, m, "hexversion", int_from_i64(vm, 0x030B07F0)) < 0 ||
        add_new(vm, m, "argv", make_argv(vm)) < 0 ||
        add_new(vm, m, "version_info", make_version_info(vm)) < 0 ||
        add_new(vm, m, "version", str_from_cstr(vm, "3.11.7 (pyframes) [C11]")) < 0 ||
        add_new(vm, m, "platform", str_from_cstr(vm, "linux")) < 0 ||
        add_new(vm, m, "byteorder", str_from_cstr(vm, "little")) < 0 ||
        add_new(vm, m, "executable", str_from_cstr(vm, "")) < 0 ||
        add_new(vm, m, "path", list_new(vm, 0)) < 0 ||
        (vm->modules && module_add_object(vm, m, "modules", vm->modules) < 0)) {
        DECREF(vm, m);
        return NULL;
    }
    return m;
}
