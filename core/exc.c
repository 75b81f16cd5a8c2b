/* exc.c — exception objects (every type of exceptions.def), the err_* raising API,
 * traceback entries, and exc_print: CPython 3.11's default excepthook output with
 * PEP 657 markers, "[Previous line repeated ...]", chained exceptions, SyntaxError's
 * layout and "Did you mean" suggestions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "class.h"
#include "dict.h"
#include "gc.h"
#include "exc.h"
#include "int.h"
#include "list.h"
#include "module.h"
#include "parser.h"
#include "str.h"
#include "tuple.h"

/* ---- The exception object ---- */

#define EXC_OF(o) ((ExceptionObject *)(o))

static bool is_exc(Object *o) { return (TYPE(o)->tflags & TP_EXC_SUB) != 0; }

static Object *exc_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    ExceptionObject *e = (ExceptionObject *)obj_alloc(vm, type, type->basicsize);
    if (!e) return NULL;
    e->args = tuple_from_array(vm, args, nargs);
    if (!e->args) {
        DECREF(vm, e);
        return NULL;
    }
    gc_track(vm, (Object *)e);
    return (Object *)e;
}

/* Sets SyntaxError's attributes from (msg, (filename, lineno, offset, text, end_lineno,
 * end_offset)). */
static int syntax_error_init(Vm *vm, ExceptionObject *e, Object **args, size_t nargs)
{
    if (nargs >= 1) SETREF(vm, e->msg, NEWREF(args[0]));
    if (nargs != 2) return 0;
    Object *info = args[1];
    if (TYPE(info) != &TupleType || TUPLE_SIZE(info) < 4 || TUPLE_SIZE(info) > 6) {
        err_format(vm, &IndexErrorType, "tuple index out of range");
        return -1;
    }
    Object **fields[] = {&e->filename, &e->lineno, &e->offset, &e->text, &e->end_lineno,
                         &e->end_offset};
    for (size_t i = 0; i < TUPLE_SIZE(info); i++)
        SETREF(vm, *fields[i], NEWREF(TUPLE_ITEM(info, i)));
    return 0;
}

static int exc_init_slot(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    if (args_nkw(kwnames)) {
        err_format(vm, &TypeErrorType, "%s() takes no keyword arguments", type_name(TYPE(self)));
        return -1;
    }
    ExceptionObject *e = EXC_OF(self);
    Object *t = tuple_from_array(vm, args, nargs);
    if (!t) return -1;
    SETREF(vm, e->args, t);
    Type *type = TYPE(self);
    if (type_is_subtype(type, &StopIterationType))
        SETREF(vm, e->value, NEWREF(nargs ? args[0] : vm->none));
    else if (type_is_subtype(type, &SystemExitType))
        SETREF(vm, e->value, NEWREF(nargs == 0 ? vm->none : nargs == 1 ? args[0] : t));
    else if (type_is_subtype(type, &SyntaxErrorType))
        return syntax_error_init(vm, e, args, nargs);
    return 0;
}

static void exc_clear(Vm *vm, Object *self)
{
    ExceptionObject *e = EXC_OF(self);
    Object **fields[] = {&e->dict, &e->args, &e->traceback, &e->context, &e->cause, &e->msg,
                         &e->filename, &e->lineno, &e->offset, &e->text, &e->end_lineno,
                         &e->end_offset, &e->value, &e->name, &e->obj, &e->suggestion};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) SETREF(vm, *fields[i], NULL);
}

static void exc_dealloc(Vm *vm, Object *self)
{
    exc_clear(vm, self);
    obj_free(vm, self);
}

static int exc_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    ExceptionObject *e = EXC_OF(self);
    Object *refs[] = {e->dict, e->args, e->traceback, e->context, e->cause, e->msg,
                      e->filename, e->lineno, e->offset, e->text, e->end_lineno,
                      e->end_offset, e->value, e->name, e->obj, e->suggestion};
    return visit_refs(vm, refs, sizeof refs / sizeof refs[0], visit, arg);
}

static Object *exc_str(Vm *vm, Object *self)
{
    ExceptionObject *e = EXC_OF(self);
    Type *t = TYPE(self);
    size_t n = e->args ? TUPLE_SIZE(e->args) : 0;
    if (type_is_subtype(t, &SyntaxErrorType) && e->msg) {
        Object *msg = obj_str(vm, e->msg);
        if (!msg) return NULL;
        bool have_file = e->filename && STR_CHECK(e->filename);
        bool have_line = e->lineno && INT_CHECK(e->lineno);
        Object *r;
        if (have_file) {
            const char *f = str_cstr(e->filename), *slash = strrchr(f, '/');
            if (slash) f = slash + 1;
            r = have_line ? str_from_format(vm, "%U (%s, line %S)", msg, f, e->lineno)
                          : str_from_format(vm, "%U (%s)", msg, f);
        } else {
            r = have_line ? str_from_format(vm, "%U (line %S)", msg, e->lineno) : NEWREF(msg);
        }
        DECREF(vm, msg);
        return r;
    }
    if (n == 0) return str_from_cstr(vm, "");
    if (n == 1) {
        if (type_is_subtype(t, &KeyErrorType)) return obj_repr(vm, TUPLE_ITEM(e->args, 0));
        return obj_str(vm, TUPLE_ITEM(e->args, 0));
    }
    return obj_str(vm, e->args);
}

static Object *exc_repr(Vm *vm, Object *self)
{
    ExceptionObject *e = EXC_OF(self);
    const char *name = type_name(TYPE(self));
    if (e->args && TUPLE_SIZE(e->args) == 1)
        return str_from_format(vm, "%s(%R)", name, TUPLE_ITEM(e->args, 0));
    if (!e->args || TUPLE_SIZE(e->args) == 0) return str_from_format(vm, "%s()", name);
    return str_from_format(vm, "%s%R", name, e->args);
}

/* The C field behind a special attribute of [e], or NULL. */
static Object **exc_attr_field(ExceptionObject *e, const char *n)
{
    Type *t = TYPE(e);
    if (!strcmp(n, "args")) return &e->args;
    if (!strcmp(n, "__traceback__")) return &e->traceback;
    if (!strcmp(n, "__context__")) return &e->context;
    if (!strcmp(n, "__cause__")) return &e->cause;
    if (type_is_subtype(t, &StopIterationType) && !strcmp(n, "value")) return &e->value;
    if (type_is_subtype(t, &SystemExitType) && !strcmp(n, "code")) return &e->value;
    if ((type_is_subtype(t, &NameErrorType) || type_is_subtype(t, &AttributeErrorType) ||
         type_is_subtype(t, &ImportErrorType)) && !strcmp(n, "name"))
        return &e->name;
    if (type_is_subtype(t, &AttributeErrorType) && !strcmp(n, "obj")) return &e->obj;
    if (type_is_subtype(t, &SyntaxErrorType)) {
        static const char *const names[] = {"msg", "filename", "lineno", "offset", "text",
                                            "end_lineno", "end_offset"};
        Object **fields[] = {&e->msg, &e->filename, &e->lineno, &e->offset, &e->text,
                             &e->end_lineno, &e->end_offset};
        for (int i = 0; i < 7; i++)
            if (!strcmp(n, names[i])) return fields[i];
    }
    return NULL;
}

static Object *exc_getattr(Vm *vm, Object *self, Object *name)
{
    ExceptionObject *e = EXC_OF(self);
    const char *n = str_cstr(name);
    if (!strcmp(n, "__suppress_context__")) return bool_from(vm, e->suppress_context);
    if (type_is_subtype(TYPE(self), &SyntaxErrorType) && !strcmp(n, "print_file_and_line"))
        return NEWREF(vm->none);
    Object **field = exc_attr_field(e, n);
    if (field) return NEWREF(*field ? *field : vm->none);
    return obj_generic_getattr(vm, self, name);
}

static int exc_setattr(Vm *vm, Object *self, Object *name, Object *value)
{
    ExceptionObject *e = EXC_OF(self);
    const char *n = str_cstr(name);
    if (!strcmp(n, "__suppress_context__")) {
        int t = value ? obj_is_true(vm, value) : 0;
        if (t < 0) return -1;
        e->suppress_context = t;
        return 0;
    }
    Object **field = exc_attr_field(e, n);
    if (!field) return obj_generic_setattr(vm, self, name, value);
    if (field == &e->args) {
        if (!value) {
            err_format(vm, &TypeErrorType, "args may not be deleted");
            return -1;
        }
        Object *t = tuple_from_iterable(vm, value);
        if (!t) return -1;
        SETREF(vm, e->args, t);
        return 0;
    }
    if ((field == &e->cause || field == &e->context) && value && value != vm->none &&
        !is_exc(value)) {
        err_format(vm, &TypeErrorType, "exception %s must be None or derive from BaseException",
                   field == &e->cause ? "cause" : "context");
        return -1;
    }
    if (field == &e->traceback && value && value != vm->none && TYPE(value) != &TracebackType) {
        err_format(vm, &TypeErrorType, "__traceback__ must be a traceback or None");
        return -1;
    }
    if (field == &e->cause) e->suppress_context = true;
    SETREF(vm, *field, value && value != vm->none ? NEWREF(value) : NULL);
    return 0;
}

static Object *exc_with_traceback(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "with_traceback", nargs, kw, 1, 1) < 0) return NULL;
    Object *name = str_intern_cstr(vm, "__traceback__");
    if (!name) return NULL;
    int r = exc_setattr(vm, self, name, args[0]);
    DECREF(vm, name);
    return r < 0 ? NULL : NEWREF(self);
}

static const MethodDef exc_methods[] = {
    {"with_traceback", exc_with_traceback, METH_INSTANCE},
    {NULL},
};

/* Every exception type is this one with its own name and base. The types themselves
 * start zeroed (no data in the binary: the wasm size budget, issue #4) and exc_init
 * fills them in before readying them. */
static const Type exc_template = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .basicsize = sizeof(ExceptionObject),
    .modelled_size = 88,
    .tflags = TP_GC | TP_BASETYPE | TP_EXC_SUB,
    .methods = exc_methods,
    .dealloc = exc_dealloc,
    .traverse = exc_traverse,
    .clear = exc_clear,
    .repr = exc_repr,
    .str = exc_str,
    .getattr = exc_getattr,
    .setattr = exc_setattr,
    .new_ = exc_new,
    .init = exc_init_slot,
    .dict_offset = offsetof(ExceptionObject, dict),
};

#define EXC(N, B) Type N##Type;
#include "exceptions.def"
#undef EXC

static const struct {
    const char *name;
    Type *type, *base;
} exc_types[] = {
#define EXC(N, B) {#N, &N##Type, &B##Type},
#include "exceptions.def"
#undef EXC
};

/* ---- Tracebacks ---- */

static void tb_dealloc(Vm *vm, Object *self)
{
    TracebackObject *tb = (TracebackObject *)self;
    SETREF(vm, tb->next, NULL);
    SETREF(vm, tb->filename, NULL);
    SETREF(vm, tb->name, NULL);
    SETREF(vm, tb->frame, NULL);
    obj_free(vm, self);
}

static int tb_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    TracebackObject *tb = (TracebackObject *)self;
    Object *refs[] = {tb->next, tb->filename, tb->name, tb->frame};
    return visit_refs(vm, refs, 4, visit, arg);
}

static void tb_clear(Vm *vm, Object *self)
{
    SETREF(vm, ((TracebackObject *)self)->next, NULL);
    SETREF(vm, ((TracebackObject *)self)->frame, NULL);
}

static Object *tb_getattr(Vm *vm, Object *self, Object *name)
{
    TracebackObject *tb = (TracebackObject *)self;
    if (str_eq_cstr(name, "tb_next")) return NEWREF(tb->next ? tb->next : vm->none);
    if (str_eq_cstr(name, "tb_lineno")) return int_from_i64(vm, tb->lineno);
    if (str_eq_cstr(name, "tb_frame")) return NEWREF(tb->frame ? tb->frame : vm->none);
    return obj_generic_getattr(vm, self, name);
}

Type TracebackType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "traceback",
    .basicsize = sizeof(TracebackObject),
    .modelled_size = 64,
    .tflags = TP_GC,
    .dealloc = tb_dealloc,
    .traverse = tb_traverse,
    .clear = tb_clear,
    .getattr = tb_getattr,
};

int exc_add_traceback(Vm *vm, Object *exc, Object *filename, Object *name, int lineno,
                      int end_lineno, int col, int end_col)
{
    TracebackObject *tb = (TracebackObject *)obj_alloc(vm, &TracebackType, sizeof(TracebackObject));
    if (!tb) return -1;
    ExceptionObject *e = EXC_OF(exc);
    tb->next = e->traceback; /* the reference moves into the new entry */
    tb->filename = filename ? NEWREF(filename) : NULL;
    tb->name = name ? NEWREF(name) : NULL;
    tb->lineno = lineno;
    tb->end_lineno = end_lineno;
    tb->col = col;
    tb->end_col = end_col;
    e->traceback = (Object *)tb;
    gc_track(vm, (Object *)tb);
    return 0;
}

/* ---- Raising ---- */

void err_set_object(Vm *vm, Object *exc)
{
    INCREF(exc);
    Object *handled = vm->handled_exc;
    if (handled && handled != vm->none && handled != exc && is_exc(exc)) {
        /* Chain to the exception being handled, breaking any cycle it would create. */
        Object *o = handled;
        while (o) {
            ExceptionObject *oe = EXC_OF(o);
            if (oe->context == exc) {
                SETREF(vm, oe->context, NULL);
                break;
            }
            o = oe->context;
        }
        SETREF(vm, EXC_OF(exc)->context, NEWREF(handled));
    }
    SETREF(vm, vm->exc, exc);
}

void err_set(Vm *vm, Type *type, Object *value)
{
    Object *saved = vm->exc;
    vm->exc = NULL;
    Object *e = value ? obj_call_args(vm, (Object *)type, 1, value)
                      : obj_call_args(vm, (Object *)type, 0);
    if (!e) {
        XDECREF(vm, saved);
        return; /* vm->exc holds the error from creating the exception */
    }
    XDECREF(vm, saved);
    err_set_object(vm, e);
    DECREF(vm, e);
}

Object *err_format(Vm *vm, Type *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    Object *msg = str_from_vformat(vm, fmt, ap);
    va_end(ap);
    if (!msg) return NULL;
    err_set(vm, type, msg);
    DECREF(vm, msg);
    return NULL;
}

bool err_matches(Vm *vm, Type *type)
{
    return vm->exc && type_is_subtype(TYPE(vm->exc), type);
}

void err_clear(Vm *vm) { SETREF(vm, vm->exc, NULL); }

Object *err_no_memory(Vm *vm)
{
    if (vm->memory_error) {
        ExceptionObject *e = EXC_OF(vm->memory_error);
        SETREF(vm, e->traceback, NULL);
        SETREF(vm, e->context, NULL);
        SETREF(vm, e->cause, NULL);
        INCREF(vm->memory_error);
        SETREF(vm, vm->exc, vm->memory_error);
    }
    return NULL;
}

Object *err_unsupported(Vm *vm, const char *what)
{
    return err_format(vm, &NotImplementedErrorType, "pyframes does not support %s", what);
}

Object *exc_new_msg(Vm *vm, Type *type, const char *msg)
{
    Object *s = str_from_cstr(vm, msg);
    if (!s) return NULL;
    Object *e = obj_call_args(vm, (Object *)type, 1, s);
    DECREF(vm, s);
    return e;
}

void exc_attribute_error(Vm *vm, Object *obj, Object *name)
{
    if (TYPE(obj)->tflags & TP_TYPE_SUB)
        err_format(vm, &AttributeErrorType, "type object '%s' has no attribute '%U'",
                   type_name((Type *)obj), name);
    else if (TYPE(obj) == &ModuleType)
        err_format(vm, &AttributeErrorType, "module '%U' has no attribute '%U'",
                   ((ModuleObject *)obj)->name, name);
    else
        err_format(vm, &AttributeErrorType, "'%s' object has no attribute '%U'",
                   type_name(TYPE(obj)), name);
    if (vm->exc && TYPE(vm->exc) == &AttributeErrorType) {
        SETREF(vm, EXC_OF(vm->exc)->name, NEWREF(name));
        SETREF(vm, EXC_OF(vm->exc)->obj, NEWREF(obj));
    }
}

/* ---- "Did you mean" (CPython 3.11's Python/suggestions.c) ---- */

#define MAX_CANDIDATE_ITEMS 750
#define MAX_STRING_SIZE 40
#define MOVE_COST 2
#define CASE_COST 1

static int substitution_cost(char a, char b)
{
    if ((a & 31) != (b & 31)) return MOVE_COST;
    if (a == b) return 0;
    if ('A' <= a && a <= 'Z') a += 'a' - 'A';
    if ('A' <= b && b <= 'Z') b += 'a' - 'A';
    return a == b ? CASE_COST : MOVE_COST;
}

static size_t levenshtein(const char *a, size_t a_size, const char *b, size_t b_size,
                          size_t max_cost)
{
    size_t buffer[MAX_STRING_SIZE];
    if (a == b) return 0;
    while (a_size && b_size && a[0] == b[0]) { a++; b++; a_size--; b_size--; }
    while (a_size && b_size && a[a_size - 1] == b[b_size - 1]) { a_size--; b_size--; }
    if (a_size == 0 || b_size == 0) return (a_size + b_size) * MOVE_COST;
    if (a_size > MAX_STRING_SIZE || b_size > MAX_STRING_SIZE) return max_cost + 1;
    if (b_size < a_size) {
        const char *t = a; a = b; b = t;
        size_t ts = a_size; a_size = b_size; b_size = ts;
    }
    if ((b_size - a_size) * MOVE_COST > max_cost) return max_cost + 1;
    for (size_t i = 0; i < a_size; i++) buffer[i] = (i + 1) * MOVE_COST;
    size_t result = 0;
    for (size_t bi = 0; bi < b_size; bi++) {
        char code = b[bi];
        size_t distance = result = bi * MOVE_COST;
        size_t minimum = SIZE_MAX;
        for (size_t i = 0; i < a_size; i++) {
            size_t substitute = distance + substitution_cost(code, a[i]);
            distance = buffer[i];
            size_t insert_delete = (result < distance ? result : distance) + MOVE_COST;
            result = insert_delete < substitute ? insert_delete : substitute;
            buffer[i] = result;
            if (result < minimum) minimum = result;
        }
        if (minimum > max_cost) return max_cost + 1;
    }
    return result;
}

/* Returns the best candidate (borrowed) among [items] for [name], or NULL. */
static Object *best_suggestion(Object **items, size_t n, Object *name)
{
    if (n >= MAX_CANDIDATE_ITEMS) return NULL;
    const char *ns = str_cstr(name);
    size_t nsize = str_byte_len(name), best_dist = SIZE_MAX;
    Object *best = NULL;
    for (size_t i = 0; i < n; i++) {
        Object *item = items[i];
        if (!STR_CHECK(item) || str_equal(item, name)) continue;
        size_t isize = str_byte_len(item);
        size_t max_dist = (nsize + isize + 3) * MOVE_COST / 6;
        if (best_dist - 1 < max_dist) max_dist = best_dist - 1;
        size_t d = levenshtein(ns, nsize, str_cstr(item), isize, max_dist);
        if (d > max_dist) continue;
        if (!best || d < best_dist) {
            best = item;
            best_dist = d;
        }
    }
    return best;
}

static Object *suggest_from_dict(Vm *vm, Object *d, Object *name)
{
    if (!d) return NULL;
    Object *keys = dict_keys_list(vm, d);
    if (!keys) {
        err_clear(vm);
        return NULL;
    }
    ListObject *l = (ListObject *)keys;
    Object *s = best_suggestion(l->items, l->size, name);
    if (s) INCREF(s);
    DECREF(vm, keys);
    return s;
}

void exc_name_error(Vm *vm, Object *name, Object *varnames, Object *globals)
{
    err_format(vm, &NameErrorType, "name '%U' is not defined", name);
    if (!vm->exc || TYPE(vm->exc) != &NameErrorType) return;
    ExceptionObject *e = EXC_OF(vm->exc);
    SETREF(vm, e->name, NEWREF(name));
    Object *s = NULL;
    if (varnames && TYPE(varnames) == &TupleType) {
        s = best_suggestion(((TupleObject *)varnames)->items, TUPLE_SIZE(varnames), name);
        if (s) INCREF(s);
    }
    if (!s) s = suggest_from_dict(vm, globals, name);
    if (!s) s = suggest_from_dict(vm, vm->builtins, name);
    SETREF(vm, e->suggestion, s);
}

static int cmp_str_items(const void *a, const void *b)
{
    return strcmp(str_cstr(*(Object *const *)a), str_cstr(*(Object *const *)b));
}

/* dir(obj) as a sorted list of the names an AttributeError suggestion considers. */
static Object *dir_names(Vm *vm, Object *obj)
{
    Object *d = dict_new(vm);
    if (!d) return NULL;
    int err = 0;
    if (TYPE(obj) == &ModuleType) {
        err = dict_update(vm, d, ((ModuleObject *)obj)->dict);
    } else {
        Type *t = (TYPE(obj)->tflags & TP_TYPE_SUB) ? (Type *)obj : TYPE(obj);
        if (t != (Type *)obj && t->dict_offset) {
            Object *inst = *(Object **)((char *)obj + t->dict_offset);
            gc_dict_materialize(vm, inst); /* CPython's suggestions call dir() */
            if (inst) err = dict_update(vm, d, inst);
        }
        Object *mro = t->mro;
        for (size_t i = 0; !err && mro && i < TUPLE_SIZE(mro); i++)
            err = dict_update(vm, d, ((Type *)TUPLE_ITEM(mro, i))->dict);
    }
    Object *keys = err ? NULL : dict_keys_list(vm, d);
    DECREF(vm, d);
    if (keys) {
        ListObject *l = (ListObject *)keys;
        size_t n = 0;
        for (size_t i = 0; i < l->size; i++)
            if (STR_CHECK(l->items[i])) l->items[n++] = l->items[i];
            else DECREF(vm, l->items[i]);
        l->size = n;
        qsort(l->items, n, sizeof(Object *), cmp_str_items);
    }
    return keys;
}

/* The suggestion for an uncaught NameError/AttributeError (new reference) or NULL. */
static Object *offer_suggestion(Vm *vm, Object *exc)
{
    ExceptionObject *e = EXC_OF(exc);
    if (TYPE(exc) == &NameErrorType) return e->suggestion ? NEWREF(e->suggestion) : NULL;
    if (TYPE(exc) != &AttributeErrorType || !e->name || !e->obj || TYPE(e->name) != &StrType)
        return NULL;
    Object *dir = dir_names(vm, e->obj);
    if (!dir) {
        err_clear(vm);
        return NULL;
    }
    Object *s = best_suggestion(((ListObject *)dir)->items, ((ListObject *)dir)->size, e->name);
    if (s) INCREF(s);
    DECREF(vm, dir);
    return s;
}

/* ---- Printing ---- */

#define TB_RECURSIVE_CUTOFF 3
#define TB_LIMIT 1000
#define IS_WS(c) ((c) == ' ' || (c) == '\t' || (c) == '\f')

/* Returns line [lineno] (1-based) of [src] and its byte length, or NULL. */
static const char *source_line(const char *src, int lineno, size_t *len)
{
    if (!src || lineno < 1) return NULL;
    const char *p = src;
    for (int i = 1; i < lineno; i++) {
        p = strchr(p, '\n');
        if (!p) return NULL;
        p++;
    }
    if (!*p) return NULL;
    const char *end = strchr(p, '\n');
    *len = end ? (size_t)(end - p) : strlen(p);
    if (*len && p[*len - 1] == '\r') (*len)--;
    return p;
}

/* Number of code points in the first [bytes] bytes of [s] (at most [len]). */
static long char_offset(const char *s, size_t len, long bytes)
{
    if (bytes > (long)len) bytes = (long)len;
    long n = 0;
    for (long i = 0; i < bytes; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

/* Byte index of code point [cp] in [s]. */
static size_t byte_index(const char *s, size_t len, long cp)
{
    size_t i = 0;
    long n = 0;
    while (i < len && n < cp) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
        n++;
    }
    return i;
}

/* Finds the secondary range of a BinOp or Subscript segment (traceback.c's
 * extract_anchors_from_line). Returns 1 with the anchors as byte offsets into
 * [seg], else 0. */
static int extract_anchors(const char *seg, size_t len, long *left, long *right, char *primary,
                           char *secondary)
{
    Arena *arena = arena_new();
    if (!arena) return 0;
    ParseError perr;
    Expr *e = parse_expression(arena, seg, len, &perr);
    int res = 0;
    if (e && e->kind == EXPR_BINOP) {
        Expr *l = e->v.binop.left, *r = e->v.binop.right;
        if (l->pos.end_lineno != 1 || r->pos.lineno != 1) goto done;
        for (int i = l->pos.end_col_offset; i < r->pos.col_offset; i++) {
            if (IS_WS(seg[i])) continue;
            *left = i;
            *right = i + 1;
            if (i + 1 < r->pos.col_offset && !IS_WS(seg[i + 1])) ++*right;
            if (i + 1 < r->pos.col_offset && seg[i] == ')') continue;
            *primary = '~';
            *secondary = '^';
            break;
        }
        res = 1;
    } else if (e && e->kind == EXPR_SUBSCRIPT) {
        long sl = (long)len;
        *left = e->v.subscript.value->pos.end_col_offset;
        *right = e->v.subscript.slice->pos.end_col_offset + 1;
        while (*left < sl && (IS_WS(seg[*left]) || seg[*left] != '[')) ++*left;
        while (*right < sl && (IS_WS(seg[*right]) || seg[*right] != ']')) ++*right;
        if (*right < sl) *right += 1;
        *primary = '~';
        *secondary = '^';
        res = 1;
    }
done:
    arena_free(arena);
    return res;
}

/* Writes the marker line under a source line (traceback.c's tb_displayline). */
static void print_markers(StrBuf *out, TracebackObject *tb, const char *line, size_t len)
{
    if (tb->col < 0 || tb->end_col < 0 || tb->end_lineno < 0 || tb->lineno < 0) return;
    long line_chars = char_offset(line, len, (long)len);
    long indent = 0;
    while ((size_t)indent < len && IS_WS(line[indent])) indent++;
    long start = char_offset(line, len, tb->col), end = char_offset(line, len, tb->end_col);
    long left = -1, right = -1;
    char primary = '^', secondary = '^';
    if (tb->lineno == tb->end_lineno) {
        size_t bs = byte_index(line, len, start), be = byte_index(line, len, end);
        if (be > bs) {
            const char *seg = line + bs;
            size_t seglen = be - bs;
            char *copy = malloc(seglen + 1);
            if (copy) {
                memcpy(copy, seg, seglen);
                copy[seglen] = 0;
                if (extract_anchors(copy, seglen, &left, &right, &primary, &secondary)) {
                    left = char_offset(copy, seglen, left) + start;
                    right = char_offset(copy, seglen, right) + start;
                }
                free(copy);
            }
        }
    } else {
        long i = (long)len;
        while (--i >= 0 && IS_WS(line[i])) {}
        end = i + 1;
    }
    bool secondary_ranges = left != -1 || right != -1;
    if (end - start == line_chars - indent && !secondary_ranges) return;
    for (long offset = indent - 4 + 1; offset <= end; offset++) {
        char c = offset <= start ? ' '
                 : secondary_ranges && left < offset && offset <= right ? secondary : primary;
        strbuf_append_char(out, c);
    }
    strbuf_append_char(out, '\n');
}

static void print_tb_entry(Vm *vm, StrBuf *out, TracebackObject *tb)
{
    strbuf_append_cstr(out, "  File \"");
    if (tb->filename) strbuf_append_str(out, tb->filename);
    strbuf_append_cstr(out, "\", line ");
    char num[24];
    snprintf(num, sizeof num, "%d", tb->lineno);
    strbuf_append_cstr(out, num);
    strbuf_append_cstr(out, ", in ");
    if (tb->name) strbuf_append_str(out, tb->name);
    strbuf_append_char(out, '\n');
    if (!tb->filename || !vm->filename || strcmp(str_cstr(tb->filename), vm->filename)) return;
    /* CPython's linecache has no text for pseudo-files such as "<string>" (-c code). */
    if (vm->filename[0] == '<') return;
    size_t len;
    const char *line = source_line(vm->source, tb->lineno, &len);
    if (!line) return;
    size_t i = 0;
    while (i < len && IS_WS(line[i])) i++;
    strbuf_append_cstr(out, "    ");
    strbuf_append(out, line + i, len - i);
    strbuf_append_char(out, '\n');
    print_markers(out, tb, line, len);
}

static void print_repeated(StrBuf *out, long cnt)
{
    char buf[80];
    cnt -= TB_RECURSIVE_CUTOFF;
    snprintf(buf, sizeof buf, "  [Previous line repeated %ld more time%s]\n", cnt,
             cnt > 1 ? "s" : "");
    strbuf_append_cstr(out, buf);
}

static bool same_str(Object *a, Object *b)
{
    if (a == b) return true;
    return a && b && str_equal(a, b);
}

static void print_tb(Vm *vm, StrBuf *out, Object *first)
{
    long depth = 0;
    for (Object *t = first; t; t = ((TracebackObject *)t)->next) depth++;
    Object *tbo = first;
    while (tbo && depth > TB_LIMIT) {
        depth--;
        tbo = ((TracebackObject *)tbo)->next;
    }
    TracebackObject *last = NULL;
    long cnt = 0;
    for (; tbo; tbo = ((TracebackObject *)tbo)->next) {
        TracebackObject *tb = (TracebackObject *)tbo;
        if (!last || !same_str(tb->filename, last->filename) || tb->lineno != last->lineno ||
            !same_str(tb->name, last->name)) {
            if (cnt > TB_RECURSIVE_CUTOFF) print_repeated(out, cnt);
            last = tb;
            cnt = 0;
        }
        cnt++;
        if (cnt <= TB_RECURSIVE_CUTOFF) print_tb_entry(vm, out, tb);
    }
    if (cnt > TB_RECURSIVE_CUTOFF) print_repeated(out, cnt);
}

static long as_long(Vm *vm, Object *o, long dflt)
{
    if (!o || !INT_CHECK(o)) return dflt;
    int64_t v;
    if (int_as_i64(vm, o, &v) < 0) {
        err_clear(vm);
        return dflt;
    }
    return (long)v;
}

/* SyntaxError's "  File ..., line N", the text and its carets (pythonrun.c). */
static void print_syntax_error_location(Vm *vm, StrBuf *out, ExceptionObject *e)
{
    long lineno = as_long(vm, e->lineno, 0), offset = as_long(vm, e->offset, -1);
    long end_lineno = lineno, end_offset = -1;
    if (TYPE(e) == &SyntaxErrorType) { /* subclasses show a single caret */
        end_lineno = as_long(vm, e->end_lineno, lineno);
        end_offset = as_long(vm, e->end_offset, -1);
    }
    strbuf_append_cstr(out, "  File \"");
    if (e->filename && STR_CHECK(e->filename)) strbuf_append_str(out, e->filename);
    else strbuf_append_cstr(out, "<string>");
    char num[32];
    snprintf(num, sizeof num, "\", line %ld\n", lineno);
    strbuf_append_cstr(out, num);
    if (!e->text || !STR_CHECK(e->text)) return;
    const char *text = str_cstr(e->text);
    long line_size = (long)str_byte_len(e->text);
    /* The offsets count characters; the caret line is drawn in bytes. */
    if (offset > 0) offset = (long)byte_index(text, (size_t)line_size, offset - 1) + 1;
    if (end_offset > 0)
        end_offset = (long)byte_index(text, (size_t)line_size, end_offset - 1) + 1;
    if (end_lineno > lineno) end_offset = line_size;
    if (end_offset > line_size + 1) end_offset = line_size + 1;
    long carets = end_offset > 0 && end_offset > offset ? end_offset - offset : 1;
    offset--;
    while (*text == ' ' || *text == '\t' || *text == '\f') {
        text++;
        offset--;
    }
    long len = (long)strlen(text);
    if (len > 0 && text[len - 1] == '\n') len--;
    if (offset > len) offset = len;
    for (;;) {
        const char *nl = strchr(text, '\n');
        if (!nl) break;
        long inl = nl - text;
        if (inl >= offset) break;
        inl++;
        text += inl;
        len -= inl;
        offset -= inl;
    }
    strbuf_append_cstr(out, "    ");
    strbuf_append_cstr(out, text);
    if (text[len] != '\n') strbuf_append_char(out, '\n');
    if (offset < 0) return;
    strbuf_append_cstr(out, "    ");
    while (--offset >= 0) strbuf_append_char(out, ' ');
    for (long i = 0; i < carets; i++) strbuf_append_char(out, '^');
    strbuf_append_char(out, '\n');
}

/* The "module.Qualname" shown for the exception's type (no module for builtins and
 * __main__). */
static void print_type_name(Vm *vm, StrBuf *out, Type *t)
{
    if (t->tflags & TP_HEAPTYPE) {
        Object *mod = t->dict ? dict_get_str(vm, t->dict, "__module__") : NULL;
        if (!mod || !STR_CHECK(mod)) {
            strbuf_append_cstr(out, "<unknown>.");
        } else if (!str_eq_cstr(mod, "builtins") && !str_eq_cstr(mod, "__main__")) {
            strbuf_append_str(out, mod);
            strbuf_append_char(out, '.');
        }
        strbuf_append_str(out, t->qualname);
    } else {
        strbuf_append_cstr(out, type_name(t));
    }
}

static void print_one(Vm *vm, StrBuf *out, Object *exc)
{
    if (!is_exc(exc)) {
        strbuf_append_cstr(out, "TypeError: print_exception(): Exception expected for value, ");
        strbuf_append_cstr(out, type_name(TYPE(exc)));
        strbuf_append_cstr(out, " found\n");
        return;
    }
    ExceptionObject *e = EXC_OF(exc);
    if (e->traceback) {
        strbuf_append_cstr(out, "Traceback (most recent call last):\n");
        print_tb(vm, out, e->traceback);
    }
    Object *value = exc;
    if (type_is_subtype(TYPE(exc), &SyntaxErrorType) && e->lineno && INT_CHECK(e->lineno)) {
        print_syntax_error_location(vm, out, e);
        value = e->msg ? e->msg : vm->none;
    }
    print_type_name(vm, out, TYPE(exc));
    if (value != vm->none) {
        Object *s = obj_str(vm, value);
        if (!s) {
            err_clear(vm);
            strbuf_append_cstr(out, ": <exception str() failed>");
        } else {
            if (str_len(s) != 0) {
                strbuf_append_cstr(out, ": ");
                strbuf_append_str(out, s);
            }
            DECREF(vm, s);
        }
    }
    Object *sugg = offer_suggestion(vm, exc);
    if (sugg) {
        strbuf_append_cstr(out, ". Did you mean: '");
        strbuf_append_str(out, sugg);
        strbuf_append_cstr(out, "'?");
        DECREF(vm, sugg);
    }
    strbuf_append_char(out, '\n');
}

typedef struct {
    Object **items;
    size_t n, cap;
} Seen;

static bool seen_has(Seen *s, Object *o)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i] == o) return true;
    return false;
}

static void seen_add(Seen *s, Object *o)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        Object **items = realloc(s->items, cap * sizeof *items);
        if (!items) return;
        s->items = items;
        s->cap = cap;
    }
    s->items[s->n++] = o;
}

static void print_recursive(Vm *vm, StrBuf *out, Object *exc, Seen *seen, int depth)
{
    seen_add(seen, exc);
    if (is_exc(exc) && depth < 200) {
        ExceptionObject *e = EXC_OF(exc);
        if (e->cause) {
            if (!seen_has(seen, e->cause)) {
                print_recursive(vm, out, e->cause, seen, depth + 1);
                strbuf_append_cstr(out, "\nThe above exception was the direct cause of the "
                                        "following exception:\n\n");
            }
        } else if (e->context && !e->suppress_context && !seen_has(seen, e->context)) {
            print_recursive(vm, out, e->context, seen, depth + 1);
            strbuf_append_cstr(out, "\nDuring handling of the above exception, another "
                                    "exception occurred:\n\n");
        }
    }
    print_one(vm, out, exc);
}

static void write_buf(Vm *vm, StrBuf *out)
{
    if (out->data && out->len) vm_write(vm, 2, out->data, out->len);
    strbuf_free(out);
}

void exc_print(Vm *vm, Object *exc)
{
    Object *saved = vm->exc;
    vm->exc = NULL;
    INCREF(exc);
    StrBuf out;
    strbuf_init(&out);
    Seen seen = {0};
    print_recursive(vm, &out, exc, &seen, 0);
    free(seen.items);
    write_buf(vm, &out);
    DECREF(vm, exc);
    if (vm->exc) err_clear(vm);
    vm->exc = saved;
}

void exc_print_unraisable(Vm *vm, const char *where, Object *obj, Object *exc)
{
    Object *saved = vm->exc;
    vm->exc = NULL;
    StrBuf out;
    strbuf_init(&out);
    strbuf_append_cstr(&out, where ? where : "Exception ignored in");
    if (obj) {
        strbuf_append_cstr(&out, ": ");
        Object *r = obj_repr(vm, obj);
        if (r) {
            strbuf_append_str(&out, r);
            DECREF(vm, r);
        } else {
            err_clear(vm);
            strbuf_append_cstr(&out, "<object repr() failed>");
        }
    }
    strbuf_append_char(&out, '\n');
    if (exc) {
        Seen seen = {0};
        print_recursive(vm, &out, exc, &seen, 0);
        free(seen.items);
    }
    write_buf(vm, &out);
    if (vm->exc) err_clear(vm);
    vm->exc = saved;
}

/* ---- Start-up and teardown ---- */

int exc_init(Vm *vm)
{
    for (size_t i = 0; i < sizeof exc_types / sizeof *exc_types; i++) {
        Type *t = exc_types[i].type;
        *t = exc_template;
        t->name = exc_types[i].name;
        t->base = exc_types[i].base;
        if (type_ready(vm, t) < 0) return -1;
    }
    if (!vm->memory_error) {
        Object *e = exc_new(vm, &MemoryErrorType, NULL, 0, NULL);
        if (!e) return -1;
        e->flags |= OF_IMMORTAL;
        vm->memory_error = e;
    }
    return 0;
}

void exc_fini(Vm *vm)
{
    if (vm->memory_error) {
        vm->memory_error->flags &= ~OF_IMMORTAL;
        exc_clear(vm, vm->memory_error);
        SETREF(vm, vm->memory_error, NULL);
    }
#define EXC(name, base) type_unready(vm, &name##Type);
#include "exceptions.def"
#undef EXC
}
