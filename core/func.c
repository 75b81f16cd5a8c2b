/* func.c — the function, bound method and built-in function types, and the binding
 * of call arguments to a Python function's parameters with CPython 3.11's TypeError
 * messages (initialize_locals in CPython's ceval.c).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cell.h"
#include "code.h"
#include "dict.h"
#include "events.h"
#include "func.h"
#include "str.h"
#include "tuple.h"

/* ---- Function ---- */

Object *func_new(Vm *vm, Object *code, Object *globals)
{
    CodeObject *c = (CodeObject *)code;
    FunctionObject *f = (FunctionObject *)obj_alloc(vm, &FunctionType, sizeof(FunctionObject));
    if (!f) return NULL;
    f->code = NEWREF(code);
    f->globals = NEWREF(globals);
    f->name = NEWREF(c->name);
    f->qualname = NEWREF(c->qualname ? c->qualname : c->name);
    f->doc = NEWREF(c->doc ? c->doc : vm->none);
    Object *modname = dict_get_str(vm, globals, "__name__");
    f->module = NEWREF(modname ? modname : vm->none);
    gc_track(vm, (Object *)f);
    return (Object *)f;
}

static void func_dealloc(Vm *vm, Object *self)
{
    FunctionObject *f = (FunctionObject *)self;
    XDECREF(vm, f->code);
    XDECREF(vm, f->globals);
    XDECREF(vm, f->name);
    XDECREF(vm, f->qualname);
    XDECREF(vm, f->defaults);
    XDECREF(vm, f->kwdefaults);
    XDECREF(vm, f->closure);
    XDECREF(vm, f->doc);
    XDECREF(vm, f->module);
    XDECREF(vm, f->dict);
    obj_free(vm, self);
}

static int func_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    FunctionObject *f = (FunctionObject *)self;
    Object *refs[] = {f->code, f->globals, f->name, f->qualname, f->defaults,
                      f->kwdefaults, f->closure, f->doc, f->module, f->dict};
    return visit_refs(vm, refs, sizeof refs / sizeof refs[0], visit, arg);
}

static void func_clear(Vm *vm, Object *self)
{
    FunctionObject *f = (FunctionObject *)self;
    SETREF(vm, f->globals, NULL);
    SETREF(vm, f->defaults, NULL);
    SETREF(vm, f->kwdefaults, NULL);
    SETREF(vm, f->closure, NULL);
    SETREF(vm, f->doc, NULL);
    SETREF(vm, f->module, NULL);
    SETREF(vm, f->dict, NULL);
}

static Object *func_repr(Vm *vm, Object *self)
{
    return str_from_format(vm, "<function %U at 0x%x>", ((FunctionObject *)self)->qualname,
                           (unsigned)self->id);
}

static Object *func_call(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    return vm_call_function(vm, self, args, nargs, kwnames);
}

static Object *func_descr_get(Vm *vm, Object *descr, Object *obj, Object *type)
{
    if (!obj || obj == vm->none) return NEWREF(descr);
    return method_new(vm, descr, obj);
}

static Object *or_none(Vm *vm, Object *o)
{
    return NEWREF(o ? o : vm->none);
}

static Object *func_getattr(Vm *vm, Object *self, Object *name)
{
    FunctionObject *f = (FunctionObject *)self;
    const char *n = str_cstr(name);
    if (n[0] == '_' && n[1] == '_') {
        if (!strcmp(n, "__name__")) return NEWREF(f->name);
        if (!strcmp(n, "__qualname__")) return NEWREF(f->qualname);
        if (!strcmp(n, "__doc__")) return or_none(vm, f->doc);
        if (!strcmp(n, "__code__")) return NEWREF(f->code);
        if (!strcmp(n, "__defaults__")) return or_none(vm, f->defaults);
        if (!strcmp(n, "__kwdefaults__")) return or_none(vm, f->kwdefaults);
        if (!strcmp(n, "__closure__")) return or_none(vm, f->closure);
        if (!strcmp(n, "__globals__")) return NEWREF(f->globals);
        if (!strcmp(n, "__module__")) return or_none(vm, f->module);
        if (!strcmp(n, "__dict__")) {
            if (!f->dict && !(f->dict = dict_new(vm))) return NULL;
            return NEWREF(f->dict);
        }
    }
    if (f->dict) {
        Object *v = dict_get(vm, f->dict, name);
        if (v) return NEWREF(v);
        if (vm->exc) return NULL;
    }
    return obj_generic_getattr(vm, self, name);
}

static int func_setattr(Vm *vm, Object *self, Object *name, Object *value)
{
    FunctionObject *f = (FunctionObject *)self;
    const char *n = str_cstr(name);
    Object **slot = NULL;
    if (!strcmp(n, "__name__") || !strcmp(n, "__qualname__")) {
        if (!value || !STR_CHECK(value)) {
            err_format(vm, &TypeErrorType, "%s must be set to a string object", n);
            return -1;
        }
        slot = n[2] == 'n' ? &f->name : &f->qualname;
    } else if (!strcmp(n, "__doc__")) slot = &f->doc;
    else if (!strcmp(n, "__module__")) slot = &f->module;
    else if (!strcmp(n, "__defaults__")) slot = &f->defaults;
    else if (!strcmp(n, "__kwdefaults__")) slot = &f->kwdefaults;
    if (slot) {
        Object *v = value && value != vm->none ? value : NULL;
        if (slot == &f->doc || slot == &f->module) v = value ? value : vm->none;
        XINCREF(v);
        SETREF(vm, *slot, v);
        EV(vm, mutate, self);
        return 0;
    }
    if (!f->dict && !(f->dict = dict_new(vm))) return -1;
    int r = value ? dict_set(vm, f->dict, name, value) : dict_del(vm, f->dict, name);
    if (r < 0 && !value && err_matches(vm, &KeyErrorType)) {
        err_clear(vm);
        err_format(vm, &AttributeErrorType, "'function' object has no attribute '%U'", name);
    }
    if (r == 0) EV(vm, mutate, self);
    return r;
}

/* ---- Argument binding ---- */

static void format_missing(Vm *vm, FunctionObject *func, const char *kind, Object **names,
                           int n)
{
    StrBuf b;
    strbuf_init(&b);
    for (int i = 0; i < n; i++) {
        if (i > 0) strbuf_append_cstr(&b, n == 2 ? " and " : (i == n - 1 ? ", and " : ", "));
        strbuf_append_char(&b, '\'');
        strbuf_append_str(&b, names[i]);
        strbuf_append_char(&b, '\'');
    }
    Object *s = strbuf_finish(vm, &b);
    if (!s) return;
    err_format(vm, &TypeErrorType, "%U() missing %d required %s argument%s: %U",
               func->qualname, n, kind, n == 1 ? "" : "s", s);
    DECREF(vm, s);
}

/* Raises "missing N required positional/keyword-only argument(s)" for the unset slots
 * in [start, end) (positional ones only below [limit]). */
static int missing_arguments(Vm *vm, FunctionObject *func, Object **locals, int start,
                             int end, const char *kind, Object *kwdefaults)
{
    CodeObject *co = (CodeObject *)func->code;
    Object *names[64];
    int n = 0;
    for (int i = start; i < end && n < 64; i++) {
        Object *name = TUPLE_ITEM(co->varnames, i);
        if (locals[i]) continue;
        if (kwdefaults && dict_get(vm, kwdefaults, name)) continue;
        names[n++] = name;
    }
    format_missing(vm, func, kind, names, n);
    return -1;
}

static int too_many_positional(Vm *vm, FunctionObject *func, Object **locals, size_t given)
{
    CodeObject *co = (CodeObject *)func->code;
    int ndefaults = func->defaults ? (int)TUPLE_SIZE(func->defaults) : 0;
    int kwonly_given = 0;
    for (int i = co->argcount; i < co->argcount + co->kwonlyargcount; i++)
        if (locals[i]) kwonly_given++;
    char sig[64], kwsig[96] = "";
    bool plural;
    if (ndefaults) {
        snprintf(sig, sizeof sig, "from %d to %d", co->argcount - ndefaults, co->argcount);
        plural = true;
    } else {
        snprintf(sig, sizeof sig, "%d", co->argcount);
        plural = co->argcount != 1;
    }
    if (kwonly_given)
        snprintf(kwsig, sizeof kwsig, " positional argument%s (and %d keyword-only argument%s)",
                 given != 1 ? "s" : "", kwonly_given, kwonly_given != 1 ? "s" : "");
    err_format(vm, &TypeErrorType, "%U() takes %s positional argument%s but %zu%s %s given",
               func->qualname, sig, plural ? "s" : "", given, kwsig,
               given == 1 && !kwonly_given ? "was" : "were");
    return -1;
}

/* Finds the parameter slot named [name] among the keyword-passable parameters. */
static int find_keyword_slot(CodeObject *co, Object *name, int total)
{
    TupleObject *vn = (TupleObject *)co->varnames;
    for (int j = co->posonlyargcount; j < total; j++)
        if (vn->items[j] == name) return j;
    for (int j = co->posonlyargcount; j < total; j++)
        if (str_equal(vn->items[j], name)) return j;
    return -1;
}

static int posonly_passed_as_keyword(Vm *vm, FunctionObject *func, Object *kwnames)
{
    CodeObject *co = (CodeObject *)func->code;
    Object *names[64];
    int n = 0;
    for (int i = 0; i < co->posonlyargcount; i++) {
        Object *pn = TUPLE_ITEM(co->varnames, i);
        for (size_t k = 0; k < TUPLE_SIZE(kwnames); k++)
            if (str_equal(pn, TUPLE_ITEM(kwnames, k)) && n < 64) { names[n++] = pn; break; }
    }
    if (n == 0) return 0;
    StrBuf b;
    strbuf_init(&b);
    for (int i = 0; i < n; i++) {
        if (i) strbuf_append_cstr(&b, ", ");
        strbuf_append_char(&b, '\'');
        strbuf_append_str(&b, names[i]);
        strbuf_append_char(&b, '\'');
    }
    Object *s = strbuf_finish(vm, &b);
    if (s) {
        err_format(vm, &TypeErrorType,
                   "%U() got some positional-only arguments passed as keyword arguments: %U",
                   func->qualname, s);
        DECREF(vm, s);
    }
    return -1;
}

static int bind_keywords(Vm *vm, FunctionObject *func, Object **locals, Object **kwvalues,
                         Object *kwnames, Object *kwdict)
{
    CodeObject *co = (CodeObject *)func->code;
    int total = co->argcount + co->kwonlyargcount;
    for (size_t k = 0; k < TUPLE_SIZE(kwnames); k++) {
        Object *name = TUPLE_ITEM(kwnames, k), *value = kwvalues[k];
        int j = find_keyword_slot(co, name, total);
        if (j < 0) {
            if (kwdict) {
                if (dict_set(vm, kwdict, name, value) < 0) return -1;
                continue;
            }
            if (posonly_passed_as_keyword(vm, func, kwnames) < 0) return -1;
            err_format(vm, &TypeErrorType, "%U() got an unexpected keyword argument '%U'",
                       func->qualname, name);
            return -1;
        }
        if (locals[j]) {
            err_format(vm, &TypeErrorType, "%U() got multiple values for argument '%U'",
                       func->qualname, name);
            return -1;
        }
        locals[j] = NEWREF(value);
    }
    return 0;
}

static int apply_defaults(Vm *vm, FunctionObject *func, Object **locals, size_t nargs)
{
    CodeObject *co = (CodeObject *)func->code;
    int argcount = co->argcount;
    if ((int)nargs < argcount) {
        int ndef = func->defaults ? (int)TUPLE_SIZE(func->defaults) : 0;
        int m = argcount - ndef;
        for (int i = (int)nargs; i < m; i++)
            if (!locals[i]) return missing_arguments(vm, func, locals, (int)nargs, m,
                                                     "positional", NULL);
        for (int i = m > (int)nargs ? m : (int)nargs; i < argcount; i++)
            if (!locals[i]) locals[i] = NEWREF(TUPLE_ITEM(func->defaults, i - m));
    }
    int total = argcount + co->kwonlyargcount;
    for (int i = argcount; i < total; i++) {
        if (locals[i]) continue;
        Object *name = TUPLE_ITEM(co->varnames, i);
        Object *def = func->kwdefaults ? dict_get(vm, func->kwdefaults, name) : NULL;
        if (def) { locals[i] = NEWREF(def); continue; }
        if (vm->exc) return -1;
        return missing_arguments(vm, func, locals, argcount, total, "keyword-only",
                                 func->kwdefaults);
    }
    return 0;
}

/* func_bind_args beyond the common case: keywords, defaults, *args / **kwargs and
 * the errors. Out of line, so that the common case pays for no register saves. */
static __attribute__((noinline)) int bind_args_general(Vm *vm, FunctionObject *func,
                                                       Object **locals, Object **args,
                                                       size_t nargs, Object *kwnames)
{
    CodeObject *co = (CodeObject *)func->code;
    size_t argcount = (size_t)co->argcount;
    int total = co->argcount + co->kwonlyargcount;
    Object *kwdict = NULL;
    if (co->flags & CO_VARKEYWORDS) {
        kwdict = dict_new(vm);
        if (!kwdict) return -1;
        locals[total + ((co->flags & CO_VARARGS) ? 1 : 0)] = kwdict;
    }
    size_t ncopy = nargs < argcount ? nargs : argcount;
    for (size_t i = 0; i < ncopy; i++) locals[i] = NEWREF(args[i]);
    if (co->flags & CO_VARARGS) {
        Object *rest = nargs > argcount ? tuple_from_array(vm, args + argcount, nargs - argcount)
                                        : NEWREF(vm->empty_tuple);
        if (!rest) return -1;
        locals[total] = rest;
    }
    if (kwnames && bind_keywords(vm, func, locals, args + nargs, kwnames, kwdict) < 0)
        return -1;
    if (nargs > argcount && !(co->flags & CO_VARARGS))
        return too_many_positional(vm, func, locals, nargs);
    return apply_defaults(vm, func, locals, nargs);
}

int func_bind_args(Vm *vm, FunctionObject *func, Object **locals, Object **args,
                   size_t nargs, Object *kwnames)
{
    CodeObject *co = (CodeObject *)func->code;
    /* The common case (every __init__ call of a class instantiation with positional
     * arguments): exactly the positional parameters, nothing else. */
    if (!kwnames && nargs == (size_t)co->argcount &&
        !(co->flags & (CO_VARARGS | CO_VARKEYWORDS)) && co->kwonlyargcount == 0) {
        for (size_t i = 0; i < nargs; i++) locals[i] = NEWREF(args[i]);
        return 0;
    }
    return bind_args_general(vm, func, locals, args, nargs, kwnames);
}

/* ---- Bound method ---- */

Object *method_new(Vm *vm, Object *func, Object *self)
{
    MethodObject *m = (MethodObject *)obj_alloc(vm, &MethodType, sizeof(MethodObject));
    if (!m) return NULL;
    m->func = NEWREF(func);
    m->self = NEWREF(self);
    gc_track(vm, (Object *)m);
    return (Object *)m;
}

static void method_dealloc(Vm *vm, Object *self)
{
    MethodObject *m = (MethodObject *)self;
    XDECREF(vm, m->func);
    XDECREF(vm, m->self);
    obj_free(vm, self);
}

static int method_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    MethodObject *m = (MethodObject *)self;
    int r = m->func ? visit(vm, m->func, arg) : 0;
    if (!r && m->self) r = visit(vm, m->self, arg);
    return r;
}

static void method_clear(Vm *vm, Object *self)
{
    MethodObject *m = (MethodObject *)self;
    SETREF(vm, m->func, NULL);
    SETREF(vm, m->self, NULL);
}

static Object *method_call(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    MethodObject *m = (MethodObject *)self;
    size_t total = nargs + args_nkw(kwnames);
    Object *small[8], **buf = small;
    if (total + 1 > 8) {
        buf = malloc((total + 1) * sizeof(Object *));
        if (!buf) return err_no_memory(vm);
    }
    buf[0] = m->self;
    if (total) memcpy(buf + 1, args, total * sizeof(Object *));
    Object *r = obj_call(vm, m->func, buf, nargs + 1, kwnames);
    if (buf != small) free(buf);
    return r;
}

static Object *method_repr(Vm *vm, Object *self)
{
    MethodObject *m = (MethodObject *)self;
    Object *name = obj_getattr_cstr(vm, m->func, "__qualname__");
    if (!name) return NULL;
    Object *selfr = obj_repr(vm, m->self);
    if (!selfr) { DECREF(vm, name); return NULL; }
    Object *r = str_from_format(vm, "<bound method %U of %U>", name, selfr);
    DECREF(vm, name);
    DECREF(vm, selfr);
    return r;
}

static Object *method_getattr(Vm *vm, Object *self, Object *name)
{
    MethodObject *m = (MethodObject *)self;
    if (str_eq_cstr(name, "__func__")) return NEWREF(m->func);
    if (str_eq_cstr(name, "__self__")) return NEWREF(m->self);
    if (str_eq_cstr(name, "__class__")) return NEWREF((Object *)&MethodType);
    return obj_getattr(vm, m->func, name);
}

static Object *method_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if ((op != CMP_EQ && op != CMP_NE) || TYPE(b) != &MethodType)
        return NEWREF(vm->not_implemented);
    MethodObject *x = (MethodObject *)a, *y = (MethodObject *)b;
    int eq = x->self == y->self;
    if (eq) {
        eq = obj_richcompare_bool(vm, x->func, y->func, CMP_EQ);
        if (eq < 0) return NULL;
    }
    return bool_from(vm, op == CMP_EQ ? eq : !eq);
}

static Hash method_hash(Vm *vm, Object *self)
{
    MethodObject *m = (MethodObject *)self;
    Hash a = obj_hash(vm, m->self);
    if (a == -1) return -1;
    Hash h = a ^ (Hash)m->func->id;
    return h == -1 ? -2 : h;
}

/* ---- Built-in functions and method descriptors ---- */

Object *builtin_new(Vm *vm, const MethodDef *def, Object *self)
{
    BuiltinObject *b = (BuiltinObject *)obj_alloc(vm, &BuiltinFunctionType, sizeof(BuiltinObject));
    if (!b) return NULL;
    b->def = def;
    b->self = self;
    XINCREF(self);
    if (self) gc_track(vm, (Object *)b);
    return (Object *)b;
}

Object *builtin_new_descr(Vm *vm, const MethodDef *def, Type *owner)
{
    BuiltinObject *b = (BuiltinObject *)builtin_new(vm, def, NULL);
    if (b) b->objclass = owner;
    return (Object *)b;
}

static void builtin_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, ((BuiltinObject *)self)->self);
    obj_free(vm, self);
}

static int builtin_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    Object *s = ((BuiltinObject *)self)->self;
    return s ? visit(vm, s, arg) : 0;
}

static void builtin_clear(Vm *vm, Object *self)
{
    SETREF(vm, ((BuiltinObject *)self)->self, NULL);
}

static Object *builtin_call(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    BuiltinObject *b = (BuiltinObject *)self;
    if (b->self || !b->objclass) return b->def->fn(vm, b->self, args, nargs, kwnames);
    if (b->def->kind == METH_STATIC) return b->def->fn(vm, NULL, args, nargs, kwnames);
    if (b->def->kind == METH_CLASS)
        return b->def->fn(vm, (Object *)b->objclass, args, nargs, kwnames);
    if (nargs < 1)
        return err_format(vm, &TypeErrorType, "unbound method %s.%s() needs an argument",
                          b->objclass->name, b->def->name);
    if (!obj_isinstance_type(args[0], b->objclass))
        return err_format(vm, &TypeErrorType,
                          "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
                          b->def->name, b->objclass->name, TYPE(args[0])->name);
    return b->def->fn(vm, args[0], args + 1, nargs - 1, kwnames);
}

static Object *builtin_descr_get(Vm *vm, Object *descr, Object *obj, Object *type)
{
    BuiltinObject *b = (BuiltinObject *)descr;
    if (b->self || !b->objclass) return NEWREF(descr);
    if (b->def->kind == METH_STATIC) return builtin_new(vm, b->def, NULL);
    if (b->def->kind == METH_CLASS)
        return builtin_new(vm, b->def, type ? type : (Object *)TYPE(obj));
    if (!obj || obj == vm->none) return NEWREF(descr);
    return builtin_new(vm, b->def, obj);
}

static Object *builtin_repr(Vm *vm, Object *self)
{
    BuiltinObject *b = (BuiltinObject *)self;
    if (!b->self && b->objclass)
        return str_from_format(vm, "<method '%s' of '%s' objects>", b->def->name,
                               b->objclass->name);
    if (!b->self || TYPE(b->self) == &ModuleType)
        return str_from_format(vm, "<built-in function %s>", b->def->name);
    if (TYPE(b->self) == &TypeType || type_is_subtype(TYPE(b->self), &TypeType))
        return str_from_format(vm, "<built-in method %s of type object at 0x%x>",
                               b->def->name, (unsigned)b->self->id);
    return str_from_format(vm, "<built-in method %s of %s object at 0x%x>", b->def->name,
                           TYPE(b->self)->name, (unsigned)b->self->id);
}

static Object *builtin_getattr(Vm *vm, Object *self, Object *name)
{
    BuiltinObject *b = (BuiltinObject *)self;
    if (str_eq_cstr(name, "__name__") || str_eq_cstr(name, "__qualname__"))
        return str_from_cstr(vm, b->def->name);
    if (str_eq_cstr(name, "__doc__")) return NEWREF(vm->none);
    if (str_eq_cstr(name, "__self__")) return NEWREF(b->self ? b->self : vm->none);
    return obj_generic_getattr(vm, self, name);
}

int func_init(Vm *vm)
{
    return 0;
}

Type FunctionType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "function",
    .basicsize = sizeof(FunctionObject),
    .modelled_size = 152,
    .tflags = TP_GC,
    .dealloc = func_dealloc,
    .traverse = func_traverse,
    .clear = func_clear,
    .repr = func_repr,
    .call = func_call,
    .getattr = func_getattr,
    .setattr = func_setattr,
    .descr_get = func_descr_get,
    .weaklist_offset = offsetof(FunctionObject, weaklist),
};

Type MethodType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "method",
    .basicsize = sizeof(MethodObject),
    .modelled_size = 48,
    .tflags = TP_GC,
    .dealloc = method_dealloc,
    .traverse = method_traverse,
    .clear = method_clear,
    .repr = method_repr,
    .hash = method_hash,
    .richcompare = method_richcompare,
    .call = method_call,
    .getattr = method_getattr,
    .weaklist_offset = offsetof(MethodObject, weaklist),
};

Type BuiltinFunctionType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "builtin_function_or_method",
    .basicsize = sizeof(BuiltinObject),
    .modelled_size = 72,
    .tflags = TP_GC,
    .dealloc = builtin_dealloc,
    .traverse = builtin_traverse,
    .clear = builtin_clear,
    .repr = builtin_repr,
    .call = builtin_call,
    .getattr = builtin_getattr,
    .descr_get = builtin_descr_get,
};
