/* vm.c — the bytecode interpreter: frame allocation and the frame stack, the dispatch
 * loop (computed goto, switch fallback), calls (Python-to-Python calls stay in the
 * same loop; calls from C re-enter it, bounded), exception unwinding through handler
 * blocks, the step budget and recursion limit, __build_class__, imports of built-in
 * modules, and the run's start-up and teardown (pf_new / pf_run / pf_free).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtins.h"
#include "cell.h"
#include "class.h"
#include "code.h"
#include "compiler.h"
#include "dict.h"
#include "events.h"
#include "exc.h"
#include "format.h"
#include "frame.h"
#include "func.h"
#include "generator.h"
#include "int.h"
#include "list.h"
#include "misc.h"
#include "module.h"
#include "parser.h"
#include "range.h"
#include "set.h"
#include "str.h"
#include "tuple.h"
#include "gc.h"

/* Frames with up to this many slots are recycled through per-size free lists. */
#define FRAME_CACHE_SLOTS 64
#define FRAME_CACHE_KEEP 32

/* Private execution state (Vm.exec). */
typedef struct VmExec {
    Frame *free_frames[FRAME_CACHE_SLOTS + 1];
    int nfree[FRAME_CACHE_SLOTS + 1];
    Object *str_build_class; /* interned "__build_class__" */
    Object *budget_exc;      /* the uncatchable step-budget exception, once raised */
    Object *input_exc;       /* the uncatchable "waiting for input" stop, once raised */
    Object *input_builtin;   /* builtins.input as created (CALL marks direct calls) */
    int eval_nesting;        /* vm_eval invocations on the C stack */
    size_t resume_pop;       /* values the suspended CALL leaves on the stack */
    Frame *main_frame;       /* the __main__ frame of a suspended run */
    Object *main_module;
} VmExec;

#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LIKELY(x) __builtin_expect(!!(x), 1)


/* The lookup cache of the name and attribute opcodes: per instruction (hashed by its
 * address), the entry index where each dict it searches (locals or globals or the
 * instance __dict__, then globals, then builtins) last held the name. A hint is only
 * a guess, checked on use, so the table is shared by every VM and never invalidated;
 * a collision costs a lookup. */
#define NAME_HINTS 512
static uint32_t name_hints[NAME_HINTS][3];
#define NAME_HINT(ip) (name_hints[((uintptr_t)(ip) / sizeof *(ip)) & (NAME_HINTS - 1)])

/* The __dict__ of [obj] if generic attribute access would read ([store] false) or
 * write [name] there, no data descriptor of its type coming first; else NULL (the
 * attribute opcodes then take the general path). */
static inline Object *plain_instance_dict(Object *obj, Object *name, bool store)
{
    Type *t = TYPE(obj);
    if (!t->dict_offset || (store ? t->setattr != obj_generic_setattr
                                  : t->getattr != obj_generic_getattr))
        return NULL;
    Object *d = *(Object **)((char *)obj + t->dict_offset);
    if (!d) return NULL;
    Object *descr = type_lookup(t, name);
    if (descr && TYPE(descr)->descr_set && (store || TYPE(descr)->descr_get)) return NULL;
    return d;
}

/* DECREF / XDECREF inline even in the wasm build (where DECREF is a call, for size):
 * only at the dispatch loop's hottest sites. */
#define FAST_DECREF(vm, o) do { Object *d_ = (Object *)(o); \
        if (--d_->refcnt == 0) obj_dealloc((vm), d_); } while (0)
#define FAST_XDECREF(vm, o) do { Object *d_ = (Object *)(o); \
        if (d_ && --d_->refcnt == 0) obj_dealloc((vm), d_); } while (0)

/* ---- Frames ---- */

/* Keeps clang from turning frame_new's zeroing loop back into a memset call. */
#ifdef __clang__
#define NO_MEMSET __attribute__((no_builtin("memset")))
#else
#define NO_MEMSET
#endif

/* frame_new and frame_free, inline in CALL and RETURN_VALUE (every Python call). The
 * frame takes over the caller's reference to [func] (frame_new adds one instead). */
static ALWAYS_INLINE NO_MEMSET Frame *frame_alloc(Vm *vm, CodeObject *code, Object *func,
                                                 Object *globals, Object *locals)
{
    size_t nslots = (size_t)(code->nlocalsplus + code->stacksize);
    Frame *f = NULL;
    VmExec *ex = vm->exec;
    if (nslots <= FRAME_CACHE_SLOTS && ex->free_frames[nslots]) {
        f = ex->free_frames[nslots];
        ex->free_frames[nslots] = f->back;
        ex->nfree[nslots]--;
    } else {
        size_t alloc = nslots <= FRAME_CACHE_SLOTS ? nslots : nslots;
        f = malloc(sizeof(Frame) + alloc * sizeof(Object *));
        if (!f) { err_no_memory(vm); return NULL; }
        f->nslots = alloc;
    }
    f->back = NULL;
    f->code = code;
    INCREF(code);
    f->func = func; /* the caller's reference, handed over */
    f->globals = globals; /* borrowed, as CPython 3.11's f_globals (see frame.h) */
    f->locals = locals;
    XINCREF(locals);
    f->ip = code->instrs;
    f->generator = NULL;
    f->state = FRAME_CREATED;
    f->is_entry = false;
    f->last_line = -1;
    f->trace_prev = -1;
    f->ev_id = 0;
    f->nblocks = 0;
    /* A loop, not memset: a frame has a few locals (memset is a call in wasm). */
    Object **p = f->localsplus, **end = p + code->nlocalsplus;
    while (p < end) *p++ = NULL;
    f->sp = end;
    return f;
}

Frame *frame_new(Vm *vm, CodeObject *code, Object *func, Object *globals, Object *locals)
{
    Frame *f = frame_alloc(vm, code, func, globals, locals);
    if (f) XINCREF(func);
    return f;
}

/* frame_init_cells in two halves, the second inline in CALL (every call of a closure). */
static int make_cellvars(Vm *vm, Frame *f)
{
    CodeObject *code = f->code;
    Object **cells = FRAME_CELLS(f);
    for (int i = 0; i < code->ncells; i++) {
        int arg = code->cell2arg ? code->cell2arg[i] : -1;
        Object *init = arg >= 0 ? f->localsplus[arg] : NULL;
        Object *cell = cell_new(vm, init);
        if (!cell) return -1;
        cells[i] = cell;
        if (arg >= 0) SETREF(vm, f->localsplus[arg], NULL);
    }
    return 0;
}

static ALWAYS_INLINE void copy_closure(Frame *f)
{
    CodeObject *code = f->code;
    if (!code->nfrees) return;
    Object **cells = FRAME_CELLS(f) + code->ncells;
    Object *closure = ((FunctionObject *)f->func)->closure;
    for (int i = 0; i < code->nfrees; i++) {
        Object *cell = TUPLE_ITEM(closure, i);
        INCREF(cell);
        cells[i] = cell;
    }
}

int frame_init_cells(Vm *vm, Frame *f)
{
    if (make_cellvars(vm, f) < 0) return -1;
    copy_closure(f);
    return 0;
}

static ALWAYS_INLINE void frame_release(Vm *vm, Frame *f)
{
    CodeObject *code = f->code;
    Object **base = FRAME_STACK_BASE(f);
    while (f->sp > base) {
        Object *o = *--f->sp;
        XDECREF(vm, o);
    }
    for (int i = 0; i < code->nlocalsplus; i++) {
        Object *o = f->localsplus[i];
        f->localsplus[i] = NULL;
        FAST_XDECREF(vm, o);
    }
    EV(vm, release, f); /* a __del__ run by the loop above may have opened steps */
    FAST_XDECREF(vm, f->func);
    if (f->locals) DECREF(vm, f->locals); /* a function's frame has none: no call */
    size_t nslots = f->nslots;
    f->code = NULL;
    FAST_DECREF(vm, (Object *)code);
    VmExec *ex = vm->exec;
    if (nslots <= FRAME_CACHE_SLOTS && ex->nfree[nslots] < FRAME_CACHE_KEEP) {
        f->back = ex->free_frames[nslots];
        ex->free_frames[nslots] = f;
        ex->nfree[nslots]++;
    } else {
        free(f);
    }
}

void frame_free(Vm *vm, Frame *f) { frame_release(vm, f); }

int frame_traverse(Vm *vm, Frame *f, VisitFn visit, void *arg)
{
    int r;
    for (int i = 0; i < f->code->nlocalsplus; i++)
        if (f->localsplus[i] && (r = visit(vm, f->localsplus[i], arg))) return r;
    for (Object **p = FRAME_STACK_BASE(f); p < f->sp; p++)
        if (*p && (r = visit(vm, *p, arg))) return r;
    if (f->func && (r = visit(vm, f->func, arg))) return r;
    /* f->globals is borrowed: not a reference the frame holds. */
    if (f->locals && (r = visit(vm, f->locals, arg))) return r;
    return 0;
}

int frame_line(const Frame *f)
{
    int lasti = FRAME_LASTI(f);
    return code_line_at(f->code, lasti < 0 ? 0 : (size_t)lasti);
}

int vm_enter_c_call(Vm *vm, int levels, const char *where)
{
    if (UNLIKELY(vm->depth + vm->c_calls + levels > vm->recursion_limit)) {
        err_format(vm, &RecursionErrorType, "maximum recursion depth exceeded%s", where);
        return -1;
    }
    vm->c_calls += levels;
    return 0;
}

void vm_leave_c_call(Vm *vm, int levels)
{
    vm->c_calls -= levels;
}

/* The built-in functions that CPython 3.11 takes as METH_O, METH_NOARGS or
 * METH_VARARGS: its specialised CALL still checks the recursion limit for those
 * ("CPython promises to check all non-vectorcall function calls"), but not for the
 * METH_FASTCALL ones (print, isinstance, getattr, sorted, ...) nor for len. */
static bool counted_builtin_name(const char *name)
{
    static const char *const names[] = {
        "abs", "all", "any", "ascii", "bin", "callable", "chr", "hash", "hex", "id", "oct",
        "ord", "repr", "min", "max", "dir", "vars", "locals", "globals", NULL};
    for (const char *const *n = names; *n; n++)
        if (!strcmp(*n, name)) return true;
    return false;
}

/* The built-in types that CPython 3.11 calls through their vectorcall function, which
 * does not check the recursion limit: list(map(f, xs)) inside f recurses about 1000
 * levels deep, not 500. Measured with python3, one type at a time; int() and zip()
 * are counted. */
static bool uncounted_type_name(const char *name)
{
    static const char *const names[] = {
        "bool", "dict", "enumerate", "filter", "float", "frozenset", "list", "map", "range",
        "reversed", "set", "super", "tuple", NULL};
    for (const char *const *n = names; *n; n++)
        if (!strcmp(*n, name)) return true;
    return false;
}

/* True if CPython 3.11's (specialised) CALL of [callable] counts one level against
 * the recursion limit: built-in functions as above, methods of built-in types except
 * list.append called as l.append(x), bound built-in methods, other modules'
 * functions, and calls of classes and callable objects (except the built-in types
 * above, and str(x) and type(x), which have their own instructions). */
static bool call_is_counted(Vm *vm, Object *callable, Object **args, size_t nargs)
{
    Type *t = TYPE(callable);
    if (t == &BuiltinFunctionType) {
        BuiltinObject *b = (BuiltinObject *)callable;
        if (b->objclass)
            return !(b->objclass == &ListType && !strcmp(b->def->name, "append"));
        if (b->self && b->self == vm->builtins_module) return counted_builtin_name(b->def->name);
        return true;
    }
    if (t == &TypeType && !(((Type *)callable)->tflags & TP_HEAPTYPE)) {
        if (nargs == 1 && (callable == (Object *)&StrType || callable == (Object *)&TypeType))
            return false;
        return !uncounted_type_name(((Type *)callable)->name);
    }
    return t != &MethodType;
}

static ALWAYS_INLINE int push_frame(Vm *vm, Frame *f)
{
    if (UNLIKELY(vm->depth + vm->c_calls >= vm->recursion_limit)) {
        err_format(vm, &RecursionErrorType, "maximum recursion depth exceeded");
        return -1;
    }
    f->back = vm->frame;
    vm->frame = f;
    vm->depth++;
    f->state = FRAME_RUNNING;
    return 0;
}

static ALWAYS_INLINE void pop_frame(Vm *vm, Frame *f)
{
    vm->frame = f->back;
    f->back = NULL;
    vm->depth--;
}

int vm_push_frame(Vm *vm, Frame *f) { return push_frame(vm, f); }
void vm_pop_frame(Vm *vm, Frame *f) { pop_frame(vm, f); }

static void free_frame_cache(Vm *vm)
{
    for (int i = 0; i <= FRAME_CACHE_SLOTS; i++) {
        Frame *f = vm->exec->free_frames[i];
        while (f) {
            Frame *next = f->back;
            free(f);
            f = next;
        }
        vm->exec->free_frames[i] = NULL;
    }
}

/* ---- Helpers of the dispatch loop ---- */

/* Returns the frame ready to run a call of Python function [func] (arguments bound,
 * cells made), or NULL with vm->exc set. */
static Frame *frame_for_call(Vm *vm, FunctionObject *func, Object **args, size_t nargs,
                             Object *kwnames)
{
    CodeObject *code = (CodeObject *)func->code;
    Frame *f = frame_new(vm, code, (Object *)func, func->globals, NULL);
    if (!f) return NULL;
    if (func_bind_args(vm, func, f->localsplus, args, nargs, kwnames) < 0 ||
        ((code->ncells || code->nfrees) && frame_init_cells(vm, f) < 0)) {
        frame_free(vm, f);
        return NULL;
    }
    return f;
}

static void keep_frame_locals(Vm *vm, Frame *f);

void vm_raise_budget(Vm *vm)
{
    vm->budget_exhausted = true;
    VmExec *ex = vm->exec;
    if (vm->input_stop && ex->input_exc) {
        err_set_object(vm, ex->input_exc);
        return;
    }
    if (!ex->budget_exc)
        ex->budget_exc = exc_new_msg(vm, &BaseExceptionType, "step budget exhausted");
    if (ex->budget_exc) err_set_object(vm, ex->budget_exc);
}

static void unbound_local(Vm *vm, CodeObject *code, int i)
{
    err_format(vm, &UnboundLocalErrorType,
               "cannot access local variable '%U' where it is not associated with a value",
               TUPLE_ITEM(code->varnames, i));
}

static Object *cell_name(CodeObject *code, int i)
{
    return i < code->ncells ? TUPLE_ITEM(code->cellvars, i)
                            : TUPLE_ITEM(code->freevars, i - code->ncells);
}

static void unbound_deref(Vm *vm, CodeObject *code, int i)
{
    if (i < code->ncells)
        err_format(vm, &UnboundLocalErrorType,
                   "cannot access local variable '%U' where it is not associated with a value",
                   cell_name(code, i));
    else
        err_format(vm, &NameErrorType,
                   "cannot access free variable '%U' where it is not associated with a value"
                   " in enclosing scope", cell_name(code, i));
}

static void name_error(Vm *vm, Frame *f, Object *name)
{
    exc_name_error(vm, name, f->func ? f->code->varnames : NULL, f->globals);
}

/* Binds [name] to [v] (a reference the call consumes) in a namespace dict: the body
 * of STORE_NAME and STORE_GLOBAL. Returns -1 with vm->exc set on error. */
static int store_name_in(Vm *vm, Object *dict, Object *name, Object *v, uint32_t *hint)
{
    /* dict_set_hint's replacement of a value, shortened where that cannot be seen:
     * untraced, no tracking change for the dict, the old value freed (if at all)
     * without running code. */
    DictObject *d = (DictObject *)dict;
    DictEntry *e = dict_hinted_entry(d, name, *hint);
    if (e && !vm->events && !(d->ob.flags & OF_TYPE_DICT) &&
        ((d->ob.flags & OF_TRACKED) || !(TYPE(v)->tflags & TP_GC)) &&
        (e->value->refcnt > 1 || TYPE(e->value) == &IntType)) {
        Object *old = e->value;
        e->value = v; /* the reference moves into the dict */
        d->version++;
        FAST_DECREF(vm, old);
        return 0;
    }
    int r = dict_set_hint(vm, dict, name, v, hint);
    if (r == 0) EV(vm, bind, NULL, dict, name, v);
    DECREF(vm, v);
    return r;
}

/* Unbinds [name] from a namespace dict of frame [f], raising NameError as CPython
 * when it is not bound: the body of DELETE_NAME and DELETE_GLOBAL. */
static inline int delete_name_in(Vm *vm, Frame *f, Object *dict, Object *name)
{
    if (dict_del(vm, dict, name) < 0) {
        if (err_matches(vm, &KeyErrorType)) { err_clear(vm); name_error(vm, f, name); }
        return -1;
    }
    EV(vm, bind, NULL, dict, name, NULL);
    return 0;
}

/* Sets exc.__context__ to the exception being handled, as _PyErr_SetObject does,
 * breaking any cycle that would create. */
static void chain_context(Vm *vm, Object *exc)
{
    Object *handled = vm->handled_exc;
    if (!handled || handled == exc || !obj_isinstance_type(exc, &BaseExceptionType)) return;
    Object *o = handled;
    while (o) {
        ExceptionObject *e = (ExceptionObject *)o;
        if (e->context == exc) {
            SETREF(vm, e->context, NULL);
            break;
        }
        o = e->context;
    }
    INCREF(handled);
    SETREF(vm, ((ExceptionObject *)exc)->context, handled);
}

static int add_traceback(Vm *vm, Frame *f)
{
    Object *exc = vm->exc;
    if (!exc || !obj_isinstance_type(exc, &BaseExceptionType)) return 0;
    int lasti = FRAME_LASTI(f);
    CodePos p = {f->code->firstlineno, f->code->firstlineno, -1, -1};
    if (lasti >= 0 && (size_t)lasti < f->code->ninstrs) p = f->code->positions[lasti];
    if (p.line <= 0) {
        p.line = frame_line(f);
        p.end_line = p.line;
        p.col = p.end_col = -1;
    }
    vm->exc = NULL;
    int r = exc_add_traceback(vm, exc, f->code->filename, f->code->name, p.line,
                              p.end_line, p.col, p.end_col);
    if (r < 0) {
        DECREF(vm, exc);
        return -1;
    }
    vm->exc = exc;
    return 0;
}

/* Checks `except T` against [exc]: 1 match, 0 not, -1 error. */
static int exc_matches_type(Vm *vm, Object *exc, Object *type)
{
    if (TYPE(type) == &TupleType) {
        for (size_t i = 0; i < TUPLE_SIZE(type); i++) {
            int r = exc_matches_type(vm, exc, TUPLE_ITEM(type, i));
            if (r) return r;
        }
        return 0;
    }
    if (!(obj_isinstance_type(type, &TypeType) &&
          type_is_subtype((Type *)type, &BaseExceptionType))) {
        err_format(vm, &TypeErrorType,
                   "catching classes that do not inherit from BaseException is not allowed");
        return -1;
    }
    return obj_isinstance_type(exc, (Type *)type);
}

static bool is_exception_class(Object *o)
{
    return obj_isinstance_type(o, &TypeType) && type_is_subtype((Type *)o, &BaseExceptionType);
}

/* Turns the operand of `raise X` into an exception instance (new reference). */
static Object *make_exception(Vm *vm, Object *x, bool cause)
{
    if (is_exception_class(x)) {
        Object *e = obj_call(vm, x, NULL, 0, NULL);
        if (!e) return NULL;
        if (!obj_isinstance_type(e, &BaseExceptionType)) {
            err_format(vm, &TypeErrorType,
                       "calling %R should have returned an instance of BaseException, not %T",
                       x, e);
            DECREF(vm, e);
            return NULL;
        }
        return e;
    }
    if (obj_isinstance_type(x, &BaseExceptionType)) return NEWREF(x);
    err_format(vm, &TypeErrorType, cause ? "exception causes must derive from BaseException"
                                         : "exceptions must derive from BaseException");
    return NULL;
}

/* The body of RAISE_VARARGS 1/2: sets vm->exc. */
static void do_raise(Vm *vm, Object *exc_arg, Object *cause_arg)
{
    Object *exc = make_exception(vm, exc_arg, false);
    if (!exc) return;
    if (cause_arg) {
        Object *cause = NULL;
        if (cause_arg != vm->none) {
            cause = make_exception(vm, cause_arg, true);
            if (!cause) { DECREF(vm, exc); return; }
        }
        ExceptionObject *e = (ExceptionObject *)exc;
        SETREF(vm, e->cause, cause);
        e->suppress_context = true;
    }
    chain_context(vm, exc);
    err_set_object(vm, exc);
    DECREF(vm, exc);
}

/* Looks up a special method on the type and binds it (new reference or NULL without
 * an exception when missing). */
static Object *lookup_special(Vm *vm, Object *obj, const char *name)
{
    Object *descr = type_lookup_str(TYPE(obj), name);
    if (!descr) return NULL;
    if (TYPE(descr)->descr_get) return TYPE(descr)->descr_get(vm, descr, obj, (Object *)TYPE(obj));
    return NEWREF(descr);
}

static Object *unpack_iterable(Vm *vm, Object *seq, Object **out, size_t before,
                               size_t after, bool star);

/* Describes a callable for call-site error messages: "f()" / "print()". */
static Object *callable_desc(Vm *vm, Object *c)
{
    if (FUNC_CHECK(c)) return str_from_format(vm, "%U()", ((FunctionObject *)c)->qualname);
    if (TYPE(c) == &BuiltinFunctionType)
        return str_from_format(vm, "%s()", ((BuiltinObject *)c)->def->name);
    if (TYPE(c) == &MethodType) return callable_desc(vm, ((MethodObject *)c)->func);
    if (obj_isinstance_type(c, &TypeType)) return str_from_format(vm, "%s()", type_name((Type *)c));
    return str_from_format(vm, "%s object", TYPE(c)->name);
}

/* Converts the *args operand of CALL_FUNCTION_EX to a tuple (new reference). */
static Object *star_args_tuple(Vm *vm, Object *callable, Object *a)
{
    if (TYPE(a) == &TupleType) return NEWREF(a);
    Object *it = obj_iter(vm, a);
    if (!it) {
        if (err_matches(vm, &TypeErrorType) && !TYPE(a)->iter && !TYPE(a)->getitem) {
            err_clear(vm);
            Object *d = callable_desc(vm, callable);
            if (d) {
                err_format(vm, &TypeErrorType, "%U argument after * must be an iterable, not %T",
                           d, a);
                DECREF(vm, d);
            }
        }
        return NULL;
    }
    DECREF(vm, it);
    return tuple_from_iterable(vm, a);
}

/* CALL_FUNCTION_EX: calls [callable] with a tuple and an optional dict. */
static Object *call_ex(Vm *vm, Object *callable, Object *args, Object *kwargs)
{
    size_t nargs = TUPLE_SIZE(args), nkw = kwargs ? dict_size(kwargs) : 0;
    Object *small[16], **buf = small;
    if (nargs + nkw > 16) {
        buf = malloc((nargs + nkw) * sizeof(Object *));
        if (!buf) return err_no_memory(vm);
    }
    memcpy(buf, ((TupleObject *)args)->items, nargs * sizeof(Object *));
    Object *kwnames = NULL;
    if (nkw) {
        kwnames = tuple_new(vm, nkw);
        if (!kwnames) { if (buf != small) free(buf); return NULL; }
        size_t pos = 0, i = 0;
        Object *k, *v;
        while (dict_next(kwargs, &pos, &k, &v)) {
            ((TupleObject *)kwnames)->items[i] = NEWREF(k);
            buf[nargs + i] = v;
            i++;
        }
    }
    Object *r = obj_call(vm, callable, buf, nargs, kwnames);
    XDECREF(vm, kwnames);
    if (buf != small) free(buf);
    return r;
}

/* DICT_MERGE: merges [src] into the kwargs dict, rejecting duplicates. */
static int dict_merge_kwargs(Vm *vm, Object *callable, Object *dict, Object *src)
{
    if (!obj_isinstance_type(src, &DictType)) {
        Object *keys = obj_lookup_attr(vm, src, str_intern_cstr(vm, "keys"));
        /* str_intern_cstr returns a new ref we do not track: fine, interned strs are immortal-ish */
        if (!keys) {
            if (vm->exc) return -1;
            Object *d = callable_desc(vm, callable);
            if (d) {
                err_format(vm, &TypeErrorType, "%U argument after ** must be a mapping, not %T",
                           d, src);
                DECREF(vm, d);
            }
            return -1;
        }
        DECREF(vm, keys);
        Object *tmp = dict_new(vm);
        if (!tmp || dict_update(vm, tmp, src) < 0) { XDECREF(vm, tmp); return -1; }
        int r = dict_merge_kwargs(vm, callable, dict, tmp);
        DECREF(vm, tmp);
        return r;
    }
    size_t pos = 0;
    Object *k, *v;
    while (dict_next(src, &pos, &k, &v)) {
        if (!STR_CHECK(k)) {
            Object *d = callable_desc(vm, callable);
            if (d) { err_format(vm, &TypeErrorType, "%U keywords must be strings", d); DECREF(vm, d); }
            return -1;
        }
        if (dict_get(vm, dict, k)) {
            Object *d = callable_desc(vm, callable);
            if (d) {
                err_format(vm, &TypeErrorType, "%U got multiple values for keyword argument '%U'",
                           d, k);
                DECREF(vm, d);
            }
            return -1;
        }
        if (dict_set(vm, dict, k, v) < 0) return -1;
    }
    return 0;
}

/* FORMAT_VALUE: conversion then format(value, spec). Steals [value] and [spec]. */
static Object *format_value(Vm *vm, Object *value, int conv, Object *spec)
{
    Object *v = value;
    if (conv) {
        v = conv == 1 ? obj_str(vm, value) : conv == 2 ? obj_repr(vm, value)
                                                       : NULL;
        if (conv == 3) {
            Object *r = obj_repr(vm, value);
            v = r ? str_ascii_repr(vm, r) : NULL;
            XDECREF(vm, r);
        }
        DECREF(vm, value);
        if (!v) { XDECREF(vm, spec); return NULL; }
    }
    if (!spec && TYPE(v) == &StrType) return v;
    Object *r = obj_format(vm, v, spec);
    DECREF(vm, v);
    XDECREF(vm, spec);
    return r;
}

static Object *build_string(Vm *vm, Object **items, size_t n)
{
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < n; i++) strbuf_append_str(&b, items[i]);
    return strbuf_finish(vm, &b);
}

static Object *import_from(Vm *vm, Object *module, Object *name)
{
    Object *v = obj_lookup_attr(vm, module, name);
    if (v || vm->exc) return v;
    Object *modname = obj_lookup_attr(vm, module, str_intern_cstr(vm, "__name__"));
    if (!modname && vm->exc) return NULL;
    if (modname && STR_CHECK(modname))
        err_format(vm, &ImportErrorType, "cannot import name '%U' from '%U' (unknown location)",
                   name, modname);
    else
        err_format(vm, &ImportErrorType, "cannot import name '%U'", name);
    XDECREF(vm, modname);
    return NULL;
}

static int import_star(Vm *vm, Object *module, Object *locals)
{
    if (TYPE(module) != &ModuleType) return err_unsupported(vm, "import * from this object") ? 0 : -1;
    Object *d = module_dict(module);
    size_t pos = 0;
    Object *k, *v;
    while (dict_next(d, &pos, &k, &v)) {
        if (STR_CHECK(k) && str_cstr(k)[0] == '_') continue;
        if (dict_set(vm, locals, k, v) < 0) return -1;
        EV(vm, bind, NULL, locals, k, v);
    }
    return 0;
}

/* int_from_i64 with the small-int cache probed inline (every arithmetic result). */
static ALWAYS_INLINE Object *int_result(Vm *vm, int64_t v)
{
    Object *o;
    if (v >= SMALL_INT_MIN && v <= SMALL_INT_MAX && (o = vm->small_ints[v - SMALL_INT_MIN])) {
        INCREF(o);
        return o;
    }
    return int_from_i64(vm, v);
}

/* BINARY_OP on two small ints, or NULL when the fast path does not apply (no error). */
static inline Object *small_int_binop(Vm *vm, Object *a, Object *b, int op)
{
    IntObject *x = (IntObject *)a, *y = (IntObject *)b;
    if (x->ndigits || y->ndigits) return NULL;
    int64_t r;
    switch (op & ~BINOP_INPLACE) {
    case BINOP_ADD:
        if (__builtin_add_overflow(x->small, y->small, &r)) return NULL;
        return int_result(vm, r);
    case BINOP_SUB:
        if (__builtin_sub_overflow(x->small, y->small, &r)) return NULL;
        return int_result(vm, r);
    case BINOP_MUL:
        /* Two factors that fit in 32 bits cannot overflow: no 128-bit multiply
         * (__multi3 on wasm32) for the common case. */
        if (x->small == (int32_t)x->small && y->small == (int32_t)y->small)
            r = x->small * y->small;
        else if (__builtin_mul_overflow(x->small, y->small, &r))
            return NULL;
        return int_result(vm, r);
    default:
        return NULL;
    }
}

static inline int small_int_compare(Object *a, Object *b, int op)
{
    int64_t x = ((IntObject *)a)->small, y = ((IntObject *)b)->small;
    switch (op) {
    case CMP_LT: return x < y;
    case CMP_LE: return x <= y;
    case CMP_EQ: return x == y;
    case CMP_NE: return x != y;
    case CMP_GT: return x > y;
    default: return x >= y;
    }
}

/* FOR_ITER over a range, untraced: the int held by the variable that the STORE_FAST or
 * STORE_NAME at [ip] assigns, when nothing else refers to it and it is not a cached
 * small int. The loop's next value is then written into that int instead of a new one
 * replacing it (CPython 3.11's FOR_ITER_RANGE does so for STORE_FAST): no allocation
 * and no free per iteration, and nothing else could tell the difference (only id(),
 * which may repeat for objects whose lifetimes do not overlap). NULL otherwise. */
static inline IntObject *range_loop_int(Vm *vm, Frame *f, Object **localsplus,
                                        Object *const *names, const uint32_t *ip)
{
    uint32_t w = *ip;
    Object *o = NULL;
    if (INSTR_OP(w) == OP_STORE_FAST)
        o = localsplus[INSTR_ARG(w)];
    else if (INSTR_OP(w) == OP_STORE_NAME && f->locals && TYPE(f->locals) == &DictType)
        o = dict_get_hint(vm, f->locals, names[INSTR_ARG(w)], NAME_HINT(ip + 1));
    if (!o || TYPE(o) != &IntType || o->refcnt != 1 || (o->flags & OF_IMMORTAL) ||
        ((IntObject *)o)->ndigits)
        return NULL;
    return (IntObject *)o;
}

/* ---- The dispatch loop ---- */

#if defined(__GNUC__) || defined(__clang__)
#define USE_COMPUTED_GOTO 1
#else
#define USE_COMPUTED_GOTO 0
#endif

#define PUSH(o) (*sp++ = (o))
#define POP() (*--sp)
#define TOP() (sp[-1])
#define PEEK(n) (sp[-(n)])
#define STACK_BASE() (localsplus + code->nlocalsplus)

#define LOAD_FRAME() do { \
        code = f->code; first_instr = code->instrs; ip = f->ip; sp = f->sp; \
        localsplus = f->localsplus; \
        consts = ((TupleObject *)code->consts)->items; \
        names = ((TupleObject *)code->names)->items; \
    } while (0)

/* Counts a step and reads the next instruction. */
#define FETCH() do { \
        vm->steps++; word = *ip; f->ip = ++ip; oparg = (int)INSTR_ARG(word); \
    } while (0)

#if USE_COMPUTED_GOTO
#define TARGET(op) L_##op:
#define DISPATCH() do { FETCH(); goto *table[INSTR_OP(word)]; } while (0)
#else
#define TARGET(op) case OP_##op:
#define DISPATCH() goto dispatch
#endif

#define JUMP_TO(target) do { ip = first_instr + (target); f->ip = ip; } while (0)

/* The budget check at backward jumps and calls. */
#define CHECK_BUDGET() do { \
        if (UNLIKELY(vm->steps > vm->config.max_steps || vm->budget_exhausted)) { \
            vm_raise_budget(vm); goto error; } \
    } while (0)

/* Trace hook for every instruction while tracing: line events as sys.settrace gives
 * them (first instruction of a new line, or a backward jump to a line start). */
static void trace_instruction(Vm *vm, Frame *f)
{
    int idx = FRAME_LASTI(f);
    int line = f->code->positions[idx].line;
    int prev = f->trace_prev;
    bool backward = prev >= 0 && idx <= prev &&
                    INSTR_OP(f->code->instrs[prev]) != OP_SEND;
    f->trace_prev = idx;
    if (line <= 0) return;
    /* A backward jump attributed to the line it jumps to (a for loop's jump back to its
     * header): the target reports that line as a backward jump, once per iteration. */
    uint32_t w = f->code->instrs[idx];
    if (INSTR_OP(w) == OP_JUMP && (int)INSTR_ARG(w) <= idx &&
        f->code->positions[INSTR_ARG(w)].line == line)
        return;
    if (line != f->last_line || backward) {
        f->last_line = line;
        ev_line(vm, f, line);
    }
}

/* The eval loop. [resume] set: continues the suspended run at vm->frame with
 * [throw_exc] as the suspended input() call's result (stolen). */
static Object *eval_loop(Vm *vm, Frame *f, Object *throw_exc, bool resume)
{
#if USE_COMPUTED_GOTO
    static void *const normal_table[OP_COUNT] = {
#define OPCODE(name, effect) &&L_##name,
#include "opcodes.def"
#undef OPCODE
    };
    static void *const trace_table[OP_COUNT] = {
#define OPCODE(name, effect) &&L_trace,
#include "opcodes.def"
#undef OPCODE
    };
    void *const *table = vm->events ? trace_table : normal_table;
#endif
    CodeObject *code;
    const uint32_t *first_instr, *ip;
    Object **sp, **localsplus, **consts, **names;
    Object *kwnames = NULL; /* borrowed from consts by KW_NAMES, consumed by CALL */
    Object *result = NULL;
    uint32_t word;
    int cond; /* what a POP_JUMP_IF_* tests (COMPARE_OP may set it and run the jump) */
    int oparg;

    if (resume) {
        LOAD_FRAME();
        goto resume_call;
    }
    f->is_entry = true;
    f->state = FRAME_RUNNING;
    LOAD_FRAME();
    if (UNLIKELY(vm->budget_exhausted)) {
        if (!vm->exc) vm_raise_budget(vm);
        goto exception_unwind;
    }
    if (throw_exc) {
        err_set_object(vm, throw_exc);
        goto propagate;
    }

#if USE_COMPUTED_GOTO
    DISPATCH();
L_trace:
    f->sp = sp; /* the event hooks read every frame's value stack */
    trace_instruction(vm, f);
    goto *normal_table[INSTR_OP(word)];
#else
dispatch:
    FETCH();
    if (vm->events) { f->sp = sp; trace_instruction(vm, f); }
    switch ((Opcode)INSTR_OP(word)) {
#endif

    TARGET(NOP) DISPATCH();

    TARGET(POP_TOP) {
        Object *v = POP();
        FAST_XDECREF(vm, v);
        DISPATCH();
    }
    TARGET(PUSH_NULL) {
        PUSH(NULL);
        DISPATCH();
    }
    TARGET(COPY) {
        Object *v = PEEK(oparg);
        XINCREF(v);
        PUSH(v);
        DISPATCH();
    }
    TARGET(SWAP) {
        Object *t = TOP();
        sp[-1] = PEEK(oparg);
        sp[-oparg] = t;
        DISPATCH();
    }

    TARGET(LOAD_CONST) {
        Object *v = consts[oparg];
        INCREF(v);
        PUSH(v);
        DISPATCH();
    }
    TARGET(LOAD_FAST) {
        Object *v = localsplus[oparg];
        if (UNLIKELY(!v)) { unbound_local(vm, code, oparg); goto error; }
        INCREF(v);
        PUSH(v);
        DISPATCH();
    }
    TARGET(STORE_FAST) {
        Object *v = POP(), *old = localsplus[oparg];
        localsplus[oparg] = v;
        EV(vm, bind, f, NULL, TUPLE_ITEM(code->varnames, oparg), v);
        FAST_XDECREF(vm, old);
        DISPATCH();
    }
    TARGET(DELETE_FAST) {
        Object *old = localsplus[oparg];
        if (!old) { unbound_local(vm, code, oparg); goto error; }
        localsplus[oparg] = NULL;
        EV(vm, bind, f, NULL, TUPLE_ITEM(code->varnames, oparg), NULL);
        DECREF(vm, old);
        DISPATCH();
    }
    TARGET(LOAD_DEREF) {
        Object *v = CELL_GET(localsplus[code->nlocals + oparg]);
        if (UNLIKELY(!v)) { unbound_deref(vm, code, oparg); goto error; }
        INCREF(v);
        PUSH(v);
        DISPATCH();
    }
    TARGET(LOAD_CLASSDEREF) {
        Object *name = cell_name(code, oparg);
        Object *v = f->locals ? dict_get(vm, f->locals, name) : NULL;
        if (!v) {
            if (vm->exc) goto error;
            v = CELL_GET(localsplus[code->nlocals + oparg]);
            if (!v) { unbound_deref(vm, code, oparg); goto error; }
        }
        INCREF(v);
        PUSH(v);
        DISPATCH();
    }
    TARGET(STORE_DEREF) {
        Object *v = POP();
        Object *cell = localsplus[code->nlocals + oparg];
        /* cell_set, inline: the same reference moves, in the same order. */
        Object *old = CELL_GET(cell);
        INCREF(v);
        CELL_GET(cell) = v;
        FAST_XDECREF(vm, old);
        EV(vm, mutate, cell);
        EV(vm, bind, f, NULL, cell_name(code, oparg), v);
        FAST_DECREF(vm, v);
        DISPATCH();
    }
    TARGET(DELETE_DEREF) {
        Object *cell = localsplus[code->nlocals + oparg];
        if (!CELL_GET(cell)) { unbound_deref(vm, code, oparg); goto error; }
        cell_set(vm, cell, NULL);
        EV(vm, bind, f, NULL, cell_name(code, oparg), NULL);
        DISPATCH();
    }
    TARGET(LOAD_CLOSURE) {
        Object *cell = localsplus[code->nlocals + oparg];
        INCREF(cell);
        PUSH(cell);
        DISPATCH();
    }
    TARGET(LOAD_NAME) {
        Object *name = names[oparg];
        uint32_t *hint = NAME_HINT(ip);
        DictEntry *e = dict_hinted_entry((DictObject *)f->locals, name, hint[0]);
        Object *v = e ? e->value : dict_get_hint(vm, f->locals, name, &hint[0]);
        if (!v && !vm->exc && f->locals != f->globals) v = dict_get_hint(vm, f->globals, name, &hint[1]);
        if (!v && !vm->exc) v = dict_get_hint(vm, vm->builtins, name, &hint[2]);
        if (!v) {
            if (!vm->exc) name_error(vm, f, name);
            goto error;
        }
        INCREF(v);
        PUSH(v);
        DISPATCH();
    }
    TARGET(STORE_NAME) {
        if (store_name_in(vm, f->locals, names[oparg], POP(), NAME_HINT(ip)) < 0) goto error;
        DISPATCH();
    }
    TARGET(DELETE_NAME) {
        if (delete_name_in(vm, f, f->locals, names[oparg]) < 0) goto error;
        DISPATCH();
    }
    TARGET(LOAD_GLOBAL) {
        Object *name = names[oparg >> 1];
        uint32_t *hint = NAME_HINT(ip);
        DictEntry *e = dict_hinted_entry((DictObject *)f->globals, name, hint[1]);
        Object *v = e ? e->value : dict_get_hint(vm, f->globals, name, &hint[1]);
        if (!v) {
            if (vm->exc) goto error;
            v = dict_get_hint(vm, vm->builtins, name, &hint[2]);
            if (!v) {
                if (!vm->exc) name_error(vm, f, name);
                goto error;
            }
        }
        if (oparg & 1) PUSH(NULL);
        INCREF(v);
        PUSH(v);
        DISPATCH();
    }
    TARGET(STORE_GLOBAL) {
        if (store_name_in(vm, f->globals, names[oparg], POP(), NAME_HINT(ip)) < 0) goto error;
        DISPATCH();
    }
    TARGET(DELETE_GLOBAL) {
        if (delete_name_in(vm, f, f->globals, names[oparg]) < 0) goto error;
        DISPATCH();
    }

    TARGET(LOAD_ATTR) {
        Object *obj = POP(), *name = names[oparg];
        Object *d = plain_instance_dict(obj, name, false);
        Object *v = d ? dict_get_hint(vm, d, name, NAME_HINT(ip)) : NULL;
        if (v) INCREF(v);
        else if (!vm->exc) v = obj_getattr(vm, obj, name);
        FAST_DECREF(vm, obj);
        if (!v) goto error;
        PUSH(v);
        DISPATCH();
    }
    TARGET(LOAD_METHOD) {
        Object *obj = POP(), *name = names[oparg];
        Type *t = TYPE(obj);
        if (t->getattr == obj_generic_getattr) {
            Object *descr = type_lookup(t, name);
            if (descr && TYPE(descr) == &FunctionType) {
                Object *d = t->dict_offset ? *(Object **)((char *)obj + t->dict_offset) : NULL;
                if (!d || !dict_get(vm, d, name)) {
                    if (vm->exc) { DECREF(vm, obj); goto error; }
                    INCREF(descr);
                    PUSH(descr);
                    PUSH(obj);
                    DISPATCH();
                }
            }
        }
        Object *v = obj_getattr(vm, obj, name);
        DECREF(vm, obj);
        if (!v) goto error;
        PUSH(NULL);
        PUSH(v);
        DISPATCH();
    }
    TARGET(STORE_ATTR) {
        Object *obj = POP(), *v = POP(), *name = names[oparg];
        Object *d = plain_instance_dict(obj, name, true);
        int r = d ? dict_set_hint(vm, d, name, v, NAME_HINT(ip)) : obj_setattr(vm, obj, name, v);
        DECREF(vm, obj);
        DECREF(vm, v);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(DELETE_ATTR) {
        Object *obj = POP();
        int r = obj_setattr(vm, obj, names[oparg], NULL);
        DECREF(vm, obj);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(BINARY_SUBSCR) {
        Object *key = POP(), *obj = POP();
        Object *v = obj_getitem(vm, obj, key);
        DECREF(vm, key);
        DECREF(vm, obj);
        if (!v) goto error;
        PUSH(v);
        DISPATCH();
    }
    TARGET(STORE_SUBSCR) {
        Object *key = POP(), *obj = POP(), *v = POP();
        int r = obj_setitem(vm, obj, key, v);
        DECREF(vm, key);
        DECREF(vm, obj);
        DECREF(vm, v);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(DELETE_SUBSCR) {
        Object *key = POP(), *obj = POP();
        int r = obj_delitem(vm, obj, key);
        DECREF(vm, key);
        DECREF(vm, obj);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(BUILD_SLICE) {
        Object *step = oparg == 3 ? POP() : NULL;
        Object *stop = POP(), *start = POP();
        Object *s = slice_new(vm, start, stop, step);
        DECREF(vm, start);
        DECREF(vm, stop);
        XDECREF(vm, step);
        if (!s) goto error;
        PUSH(s);
        DISPATCH();
    }

    TARGET(BINARY_OP) {
        Object *b = POP(), *a = POP(), *r = NULL;
        if (TYPE(a) == &IntType && TYPE(b) == &IntType) r = small_int_binop(vm, a, b, oparg);
        if (!r) r = obj_binop(vm, a, b, oparg);
        FAST_DECREF(vm, a);
        FAST_DECREF(vm, b);
        if (!r) goto error;
        PUSH(r);
        DISPATCH();
    }
    TARGET(UNARY_OP) {
        Object *a = POP(), *r;
        if (oparg == UNOP_NOT) {
            int t = obj_is_true(vm, a);
            r = t < 0 ? NULL : bool_from(vm, !t);
        } else {
            r = obj_unop(vm, a, oparg);
        }
        DECREF(vm, a);
        if (!r) goto error;
        PUSH(r);
        DISPATCH();
    }
    TARGET(COMPARE_OP) {
        Object *b = POP(), *a = POP(), *r;
        if (TYPE(a) == &IntType && TYPE(b) == &IntType && !((IntObject *)a)->ndigits &&
            !((IntObject *)b)->ndigits) {
            cond = small_int_compare(a, b, oparg);
            if (!vm->events && (INSTR_OP(*ip) == OP_POP_JUMP_IF_FALSE ||
                                INSTR_OP(*ip) == OP_POP_JUMP_IF_TRUE)) {
                /* Untraced, the conditional jump that follows runs at once on [cond],
                 * no bool pushed and popped (CPython 3.11's COMPARE_OP_INT_JUMP): the
                 * same steps, budget checks and frees as the two instructions. */
                FAST_DECREF(vm, a);
                FAST_DECREF(vm, b);
                FETCH();
                goto pop_jump;
            }
            r = cond ? vm->true_ : vm->false_;
            INCREF(r);
        } else {
            r = obj_richcompare(vm, a, b, oparg);
        }
        FAST_DECREF(vm, a);
        FAST_DECREF(vm, b);
        if (!r) goto error;
        PUSH(r);
        DISPATCH();
    }
    TARGET(IS_OP) {
        Object *b = POP(), *a = POP();
        int r = (a == b) ^ oparg;
        DECREF(vm, a);
        DECREF(vm, b);
        PUSH(bool_from(vm, r));
        DISPATCH();
    }
    TARGET(CONTAINS_OP) {
        Object *container = POP(), *item = POP();
        int r = obj_contains(vm, container, item);
        DECREF(vm, container);
        DECREF(vm, item);
        if (r < 0) goto error;
        PUSH(bool_from(vm, r ^ oparg));
        DISPATCH();
    }

    TARGET(BUILD_TUPLE) {
        Object *t = tuple_new(vm, (size_t)oparg);
        if (!t) goto error;
        for (int i = oparg; i > 0; i--) ((TupleObject *)t)->items[i - 1] = POP();
        PUSH(t);
        DISPATCH();
    }
    TARGET(BUILD_LIST) {
        Object *l = list_new(vm, (size_t)oparg);
        if (!l) goto error;
        for (int i = oparg; i > 0; i--) ((ListObject *)l)->items[i - 1] = POP();
        PUSH(l);
        DISPATCH();
    }
    TARGET(BUILD_SET) {
        Object *s = set_new(vm);
        int err = s ? 0 : -1;
        for (int i = oparg; i > 0; i--)
            if (!err && set_add(vm, s, PEEK(i)) < 0) err = -1;
        for (int i = 0; i < oparg; i++) { Object *v = POP(); DECREF(vm, v); }
        if (err) { XDECREF(vm, s); goto error; }
        PUSH(s);
        DISPATCH();
    }
    TARGET(BUILD_MAP) {
        Object *d = dict_new_presized(vm, (size_t)oparg);
        int err = d ? 0 : -1;
        for (int i = oparg; i > 0; i--)
            if (!err && dict_set(vm, d, PEEK(2 * i), PEEK(2 * i - 1)) < 0) err = -1;
        for (int i = 0; i < 2 * oparg; i++) { Object *v = POP(); DECREF(vm, v); }
        if (err) { XDECREF(vm, d); goto error; }
        PUSH(d);
        DISPATCH();
    }
    TARGET(BUILD_STRING) {
        Object *s = build_string(vm, sp - oparg, (size_t)oparg);
        for (int i = 0; i < oparg; i++) { Object *v = POP(); DECREF(vm, v); }
        if (!s) goto error;
        PUSH(s);
        DISPATCH();
    }
    TARGET(LIST_APPEND) {
        Object *v = POP();
        int r = list_append(vm, PEEK(oparg), v);
        DECREF(vm, v);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(SET_ADD) {
        Object *v = POP();
        int r = set_add(vm, PEEK(oparg), v);
        DECREF(vm, v);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(MAP_ADD) {
        Object *v = POP(), *k = POP();
        int r = dict_set(vm, PEEK(oparg), k, v);
        DECREF(vm, k);
        DECREF(vm, v);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(LIST_EXTEND) {
        Object *it = POP();
        int r = list_extend(vm, PEEK(oparg), it);
        if (r < 0 && err_matches(vm, &TypeErrorType) && !TYPE(it)->iter && !TYPE(it)->getitem) {
            err_clear(vm);
            err_format(vm, &TypeErrorType, "Value after * must be an iterable, not %T", it);
        }
        DECREF(vm, it);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(SET_UPDATE) {
        Object *it = POP();
        int r = set_update(vm, PEEK(oparg), it);
        DECREF(vm, it);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(DICT_UPDATE) {
        Object *m = POP();
        int r = dict_update(vm, PEEK(oparg), m);
        if (r < 0 && err_matches(vm, &AttributeErrorType)) {
            err_clear(vm);
            err_format(vm, &TypeErrorType, "'%s' object is not a mapping", TYPE(m)->name);
        }
        DECREF(vm, m);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(DICT_MERGE) {
        Object *m = POP();
        int r = dict_merge_kwargs(vm, PEEK(oparg + 2), PEEK(oparg), m);
        DECREF(vm, m);
        if (r < 0) goto error;
        DISPATCH();
    }
    TARGET(LIST_TO_TUPLE) {
        Object *l = POP();
        Object *t = tuple_from_array(vm, ((ListObject *)l)->items, ((ListObject *)l)->size);
        DECREF(vm, l);
        if (!t) goto error;
        PUSH(t);
        DISPATCH();
    }
    TARGET(UNPACK_SEQUENCE) {
        Object *seq = POP();
        Object **items = NULL;
        size_t n = 0;
        if (TYPE(seq) == &TupleType) { items = ((TupleObject *)seq)->items; n = TUPLE_SIZE(seq); }
        else if (TYPE(seq) == &ListType) { items = ((ListObject *)seq)->items; n = ((ListObject *)seq)->size; }
        if (items && n == (size_t)oparg) {
            for (size_t i = n; i > 0; i--) { INCREF(items[i - 1]); PUSH(items[i - 1]); }
            DECREF(vm, seq);
            DISPATCH();
        }
        Object *r = unpack_iterable(vm, seq, sp, (size_t)oparg, 0, false);
        DECREF(vm, seq);
        if (!r) goto error;
        sp += oparg;
        DISPATCH();
    }
    TARGET(UNPACK_EX) {
        Object *seq = POP();
        size_t before = (size_t)(oparg & 0xFF), after = (size_t)(oparg >> 8);
        Object *r = unpack_iterable(vm, seq, sp, before, after, true);
        DECREF(vm, seq);
        if (!r) goto error;
        sp += before + after + 1;
        DISPATCH();
    }
    TARGET(FORMAT_VALUE) {
        Object *spec = (oparg & 4) ? POP() : NULL;
        Object *v = POP();
        Object *r = format_value(vm, v, oparg & 3, spec);
        if (!r) goto error;
        PUSH(r);
        DISPATCH();
    }

    TARGET(JUMP) {
        if (oparg < (int)(ip - first_instr)) CHECK_BUDGET();
        JUMP_TO(oparg);
        DISPATCH();
    }
    TARGET(POP_JUMP_IF_FALSE)
    TARGET(POP_JUMP_IF_TRUE) {
        Object *v = POP();
        if (v == vm->false_) cond = 0;
        else if (v == vm->true_) cond = 1;
        else {
            cond = obj_is_true(vm, v);
            if (cond < 0) { DECREF(vm, v); goto error; }
        }
        FAST_DECREF(vm, v);
    pop_jump:
        if (cond == (INSTR_OP(word) == OP_POP_JUMP_IF_TRUE)) {
            if (oparg < (int)(ip - first_instr)) CHECK_BUDGET();
            JUMP_TO(oparg);
        }
        DISPATCH();
    }
    TARGET(JUMP_IF_FALSE_OR_POP) {
        int t = obj_is_true(vm, TOP());
        if (t < 0) goto error;
        if (!t) JUMP_TO(oparg);
        else { Object *v = POP(); DECREF(vm, v); }
        DISPATCH();
    }
    TARGET(JUMP_IF_TRUE_OR_POP) {
        int t = obj_is_true(vm, TOP());
        if (t < 0) goto error;
        if (t) JUMP_TO(oparg);
        else { Object *v = POP(); DECREF(vm, v); }
        DISPATCH();
    }
    TARGET(GET_ITER) {
        Object *o = POP();
        Object *it = obj_iter(vm, o);
        DECREF(vm, o);
        if (!it) goto error;
        PUSH(it);
        DISPATCH();
    }
    TARGET(FOR_ITER) {
        Object *it = TOP();
        if (TYPE(it) == &RangeIterType && !vm->events) {
            IntObject *target = range_loop_int(vm, f, localsplus, names, ip);
            int64_t n;
            if (target && rangeiter_next_uncached(it, &n)) {
                target->small = n;
                FETCH(); /* the store, done: the variable holds [target] already */
                DISPATCH();
            }
        }
        Object *v = TYPE(it)->iternext ? TYPE(it)->iternext(vm, it) : obj_next(vm, it);
        if (LIKELY(v != NULL)) {
            PUSH(v);
            DISPATCH();
        }
        if (vm->exc) {
            if (!err_matches(vm, &StopIterationType)) goto error;
            err_clear(vm);
        }
        it = POP();
        DECREF(vm, it);
        JUMP_TO(oparg);
        DISPATCH();
    }

    TARGET(KW_NAMES) {
        kwnames = consts[oparg];
        DISPATCH();
    }
    TARGET(CALL) {
        Object **base = sp - oparg - 2;
        Object *callable;
        Object **args;
        size_t nargs;
        if (base[0]) {
            callable = base[0];
            args = base + 1;
            nargs = (size_t)oparg + 1;
        } else {
            callable = base[1];
            args = base + 2;
            nargs = (size_t)oparg;
            if (TYPE(callable) == &MethodType) {
                MethodObject *m = (MethodObject *)callable;
                base[0] = NEWREF(m->func);
                base[1] = NEWREF(m->self);
                DECREF(vm, callable);
                callable = base[0];
                args = base + 1;
                nargs++;
            }
        }
        Object *kw = kwnames;
        kwnames = NULL;
        if (kw) nargs -= TUPLE_SIZE(kw);
        if (TYPE(callable) == &FunctionType) {
            CHECK_BUDGET();
            FunctionObject *fn = (FunctionObject *)callable;
            CodeObject *co = (CodeObject *)fn->code;
            Frame *nf;
            if (!kw && nargs == (size_t)co->argcount && !co->kwonlyargcount &&
                !(co->flags & (CO_VARARGS | CO_VARKEYWORDS))) {
                /* Exactly the positional parameters: the references move from the
                 * value stack into the new frame, the arguments' to its locals and the
                 * function's (base[0] or base[1], under a NULL) to nf->func. */
                nf = frame_alloc(vm, co, callable, fn->globals, NULL);
                if (nf) {
                    for (size_t i = 0; i < nargs; i++) nf->localsplus[i] = args[i];
                    sp = base;
                    if (co->ncells && make_cellvars(vm, nf) < 0) {
                        frame_free(vm, nf);
                        nf = NULL;
                    } else {
                        copy_closure(nf);
                    }
                }
            } else {
                nf = frame_for_call(vm, fn, args, nargs, kw);
            }
            while (sp > base) { Object *v = POP(); FAST_XDECREF(vm, v); }
            if (!nf) goto error;
            if (nf->code->flags & CO_GENERATOR) {
                Object *g = gen_new(vm, nf);
                if (!g) goto error;
                PUSH(g);
                DISPATCH();
            }
            f->sp = sp;
            if (push_frame(vm, nf) < 0) {
                frame_free(vm, nf);
                goto error;
            }
            f = nf;
            LOAD_FRAME();
            EV(vm, call, f);
            DISPATCH();
        }
        f->sp = sp;
        bool counted = call_is_counted(vm, callable, args, nargs);
        Object *r = NULL;
        if (!counted || vm_enter_c_call(vm, 1, " while calling a Python object") == 0) {
            vm->input_direct = callable == vm->exec->input_builtin && vm->exec->eval_nesting == 1;
            r = obj_call(vm, callable, args, nargs, kw);
            vm->input_direct = false;
            if (counted) vm_leave_c_call(vm, 1);
        }
        if (UNLIKELY(!r && vm->suspended)) {
            /* input() suspended the run: keep everything; pf_resume pops the call's
             * values and pushes the line (resume_call below). */
            vm->exec->resume_pop = (size_t)(sp - base);
            goto exit_eval;
        }
        EV(vm, c_returned, base, sp, r);
    finish_call:
        while (sp > base) { Object *v = POP(); FAST_XDECREF(vm, v); }
        if (!r) goto error;
        PUSH(r);
        DISPATCH();
    resume_call:
        base = sp - vm->exec->resume_pop;
        r = throw_exc;
        goto finish_call;
    }
    TARGET(CALL_FUNCTION_EX) {
        Object **top = sp;
        Object *kwargs = (oparg & 1) ? POP() : NULL;
        Object *a = POP(), *callable = POP(), *null = POP();
        XDECREF(vm, null);
        Object *t = star_args_tuple(vm, callable, a);
        Object *r = NULL;
        if (t) {
            /* The operands stay on the stack during the call, as in CPython (the
             * argument tuple in the NULL's slot): the collector and the event stream's
             * watch set see what the call holds. */
            *sp = t;
            f->sp = top;
            r = call_ex(vm, callable, t, kwargs);
            f->sp = sp;
            DECREF(vm, t);
        }
        DECREF(vm, a);
        DECREF(vm, callable);
        XDECREF(vm, kwargs);
        if (!r) goto error;
        PUSH(r);
        DISPATCH();
    }
    TARGET(MAKE_FUNCTION) {
        Object *c = POP();
        Object *fn = func_new(vm, c, f->globals);
        DECREF(vm, c);
        if (!fn) goto error;
        FunctionObject *func = (FunctionObject *)fn;
        if (oparg & 8) func->closure = POP();
        if (oparg & 2) func->kwdefaults = POP();
        if (oparg & 1) func->defaults = POP();
        PUSH(fn);
        DISPATCH();
    }
    TARGET(RETURN_VALUE) {
        Object *ret = POP();
        f->sp = sp;
        f->state = FRAME_COMPLETED;
        EV(vm, return, f, ret);
        if (f->is_entry) {
            result = ret;
            goto exit_eval;
        }
        Frame *caller = f->back;
        pop_frame(vm, f);
        frame_release(vm, f);
        f = caller;
        LOAD_FRAME();
        PUSH(ret);
        DISPATCH();
    }
    TARGET(LOAD_BUILD_CLASS) {
        Object *bc = dict_get(vm, vm->builtins, vm->exec->str_build_class);
        if (!bc) {
            if (!vm->exc) err_format(vm, &NameErrorType, "__build_class__ not found");
            goto error;
        }
        INCREF(bc);
        PUSH(bc);
        DISPATCH();
    }
    TARGET(IMPORT_NAME) {
        Object *fromlist = POP(), *level = POP();
        bool relative = level != vm->none && INT_CHECK(level) && !int_is_zero(level);
        DECREF(vm, fromlist);
        DECREF(vm, level);
        if (relative) {
            err_format(vm, &ImportErrorType, "attempted relative import with no known parent package");
            goto error;
        }
        f->sp = sp;
        Object *m = vm_import(vm, names[oparg]);
        if (!m) goto error;
        PUSH(m);
        DISPATCH();
    }
    TARGET(IMPORT_FROM) {
        Object *v = import_from(vm, TOP(), names[oparg]);
        if (!v) goto error;
        PUSH(v);
        DISPATCH();
    }
    TARGET(IMPORT_STAR) {
        Object *m = POP();
        int r = import_star(vm, m, f->locals);
        DECREF(vm, m);
        if (r < 0) goto error;
        DISPATCH();
    }

    TARGET(SETUP_FINALLY) {
        FrameBlock *b = &f->blocks[f->nblocks++];
        b->handler = oparg;
        b->level = (int)(sp - STACK_BASE());
        DISPATCH();
    }
    TARGET(SETUP_WITH) {
        FrameBlock *b = &f->blocks[f->nblocks++];
        b->handler = oparg;
        b->level = (int)(sp - STACK_BASE()) - 1;
        DISPATCH();
    }
    TARGET(POP_BLOCK) {
        f->nblocks--;
        DISPATCH();
    }
    TARGET(PUSH_EXC_INFO) {
        Object *exc = POP();
        PUSH(vm->handled_exc ? vm->handled_exc : NEWREF(vm->none));
        vm->handled_exc = NEWREF(exc);
        PUSH(exc);
        EV(vm, catch, f, exc);
        DISPATCH();
    }
    TARGET(POP_EXCEPT) {
        Object *prev = POP();
        Object *old = vm->handled_exc;
        if (prev == vm->none) {
            DECREF(vm, prev);
            prev = NULL;
        }
        vm->handled_exc = prev;
        XDECREF(vm, old);
        DISPATCH();
    }
    TARGET(CHECK_EXC_MATCH) {
        Object *type = POP();
        int r = exc_matches_type(vm, TOP(), type);
        DECREF(vm, type);
        if (r < 0) goto error;
        PUSH(bool_from(vm, r));
        DISPATCH();
    }
    TARGET(RERAISE) {
        Object *exc = POP();
        XDECREF(vm, vm->exc);
        vm->exc = exc;
        EV(vm, raise, f, exc);
        goto exception_unwind;
    }
    TARGET(RAISE_VARARGS) {
        if (oparg == 0) {
            Object *exc = vm->handled_exc;
            if (!exc) {
                err_format(vm, &RuntimeErrorType, "No active exception to reraise");
                goto error;
            }
            err_set_object(vm, exc);
            EV(vm, raise, f, exc);
            goto exception_unwind;
        }
        Object *cause = oparg == 2 ? POP() : NULL;
        Object *exc = POP();
        do_raise(vm, exc, cause);
        DECREF(vm, exc);
        XDECREF(vm, cause);
        goto propagate;
    }
    TARGET(LOAD_ASSERTION_ERROR) {
        PUSH(NEWREF((Object *)&AssertionErrorType));
        DISPATCH();
    }
    TARGET(BEFORE_WITH) {
        Object *mgr = POP();
        Object *enter = lookup_special(vm, mgr, "__enter__");
        Object *exit = enter ? lookup_special(vm, mgr, "__exit__") : NULL;
        if (!exit) {
            if (!vm->exc)
                err_format(vm, &TypeErrorType,
                           enter ? "'%s' object does not support the context manager protocol "
                                   "(missed __exit__ method)"
                                 : "'%s' object does not support the context manager protocol",
                           TYPE(mgr)->name);
            XDECREF(vm, enter);
            DECREF(vm, mgr);
            goto error;
        }
        DECREF(vm, mgr);
        PUSH(exit);
        f->sp = sp;
        Object *r = obj_call(vm, enter, NULL, 0, NULL);
        DECREF(vm, enter);
        if (!r) goto error;
        PUSH(r);
        DISPATCH();
    }
    TARGET(WITH_EXCEPT_START) {
        Object *exc = TOP(), *exit = PEEK(3);
        Object *tb = ((ExceptionObject *)exc)->traceback;
        Object *args[3] = {(Object *)TYPE(exc), exc, tb ? tb : vm->none};
        f->sp = sp;
        Object *r = obj_call(vm, exit, args, 3, NULL);
        if (!r) goto error;
        PUSH(r);
        DISPATCH();
    }

    TARGET(YIELD_VALUE) {
        Object *v = POP();
        f->sp = sp;
        f->state = FRAME_SUSPENDED;
        EV(vm, return, f, v);
        result = v;
        goto exit_eval;
    }
    TARGET(GET_YIELD_FROM_ITER) {
        Object *o = TOP();
        if (!GEN_CHECK(o)) {
            Object *it = obj_iter(vm, o);
            if (!it) goto error;
            sp[-1] = it;
            DECREF(vm, o);
        }
        DISPATCH();
    }
    TARGET(SEND) {
        Object *v = POP(), *it = TOP(), *r;
        bool returned = false;
        f->sp = sp;
        if (GEN_CHECK(it)) {
            r = gen_send_ex(vm, it, v, NULL, &returned);
        } else if (v == vm->none) {
            r = obj_next(vm, it);
            if (!r && !vm->exc) { returned = true; r = NEWREF(vm->none); }
        } else {
            r = obj_call_method(vm, it, "send", 1, v);
        }
        DECREF(vm, v);
        if (!r && err_matches(vm, &StopIterationType)) {
            Object *e = vm->exc;
            Object *val = ((ExceptionObject *)e)->value;
            Object *eargs = ((ExceptionObject *)e)->args;
            if (!val && eargs && TUPLE_SIZE(eargs) > 0) val = TUPLE_ITEM(eargs, 0);
            r = NEWREF(val ? val : vm->none);
            err_clear(vm);
            returned = true;
        }
        if (!r) goto error;
        if (returned) {
            it = POP();
            DECREF(vm, it);
            PUSH(r);
            JUMP_TO(oparg);
        } else {
            PUSH(r);
        }
        DISPATCH();
    }

#if !USE_COMPUTED_GOTO
    default:
        err_format(vm, &RuntimeErrorType, "unknown opcode %d", (int)INSTR_OP(word));
        goto error;
    }
#endif

error:
    /* A new exception at the current instruction of [f]. */
    if (vm->exc && !((ExceptionObject *)vm->exc)->traceback) chain_context(vm, vm->exc);
propagate:
    /* The exception passes through [f]: record the traceback entry. */
    kwnames = NULL;
    add_traceback(vm, f);
    EV(vm, raise, f, vm->exc);
exception_unwind:
    if (f->nblocks > 0 && !vm->budget_exhausted) {
        FrameBlock *b = &f->blocks[--f->nblocks];
        Object **level = STACK_BASE() + b->level;
        while (sp > level) { Object *v = POP(); XDECREF(vm, v); }
        PUSH(vm->exc);
        vm->exc = NULL;
        JUMP_TO(b->handler);
        DISPATCH();
    }
    while (sp > STACK_BASE()) { Object *v = POP(); XDECREF(vm, v); }
    f->sp = sp;
    f->state = FRAME_COMPLETED;
    if (!vm->budget_exhausted) keep_frame_locals(vm, f);
    EV(vm, return, f, NULL);
    if (f->is_entry) {
        result = NULL;
        goto exit_eval;
    }
    {
        Frame *caller = f->back;
        vm_pop_frame(vm, f);
        frame_free(vm, f);
        f = caller;
        LOAD_FRAME();
    }
    goto propagate;

exit_eval:
    f->sp = sp;
    return result;
}

Object *vm_eval(Vm *vm, Frame *f, Object *throw_exc)
{
    vm->exec->eval_nesting++;
    Object *r = eval_loop(vm, f, throw_exc, false);
    vm->exec->eval_nesting--;
    return r;
}

void vm_input_wait(Vm *vm, bool direct)
{
    if (direct) {
        vm->suspended = true;
        return;
    }
    VmExec *ex = vm->exec;
    vm->input_stop = true;
    vm->budget_exhausted = true; /* unwinds past every handler, as the step budget */
    if (!ex->input_exc) ex->input_exc = exc_new_msg(vm, &BaseExceptionType, "waiting for input");
    if (ex->input_exc) err_set_object(vm, ex->input_exc);
}

Object *vm_input_line(Vm *vm, const char *text)
{
    size_t n = strlen(text);
    if (n && text[n - 1] == '\n') n--;
    if (n && text[n - 1] == '\r') n--;
    return str_from_utf8(vm, text, n);
}

/* Unpacks [seq] into out[0..before+after(+1 when star)) in stack order (last item
 * first), as UNPACK_SEQUENCE / UNPACK_EX. Returns seq (borrowed) or NULL. */
static Object *unpack_iterable(Vm *vm, Object *seq, Object **out, size_t before,
                               size_t after, bool star)
{
    Object *it = obj_iter(vm, seq);
    if (!it) {
        if (err_matches(vm, &TypeErrorType) && !TYPE(seq)->iter && !TYPE(seq)->getitem) {
            err_clear(vm);
            err_format(vm, &TypeErrorType, "cannot unpack non-iterable %s object", TYPE(seq)->name);
        }
        return NULL;
    }
    size_t total = before + after + (star ? 1 : 0);
    Object **tmp = calloc(total ? total : 1, sizeof(Object *));
    if (!tmp) { DECREF(vm, it); return err_no_memory(vm); }
    size_t i = 0;
    Object *ok = seq;
    for (; i < before; i++) {
        Object *v = obj_next(vm, it);
        if (!v) {
            if (!vm->exc) {
                if (star)
                    err_format(vm, &ValueErrorType,
                               "not enough values to unpack (expected at least %zu, got %zu)",
                               before + after, i);
                else
                    err_format(vm, &ValueErrorType,
                               "not enough values to unpack (expected %zu, got %zu)", before, i);
            }
            ok = NULL;
            goto done;
        }
        tmp[i] = v;
    }
    if (!star) {
        Object *extra = obj_next(vm, it);
        if (extra) {
            DECREF(vm, extra);
            err_format(vm, &ValueErrorType, "too many values to unpack (expected %zu)", before);
            ok = NULL;
        } else if (vm->exc) {
            ok = NULL;
        }
        goto done;
    }
    Object *rest = list_from_iterable(vm, it);
    if (!rest) { ok = NULL; goto done; }
    size_t nrest = ((ListObject *)rest)->size;
    if (nrest < after) {
        err_format(vm, &ValueErrorType,
                   "not enough values to unpack (expected at least %zu, got %zu)",
                   before + after, before + nrest);
        DECREF(vm, rest);
        ok = NULL;
        goto done;
    }
    for (size_t j = 0; j < after; j++) {
        tmp[before + 1 + j] = ((ListObject *)rest)->items[nrest - after + j];
    }
    ((ListObject *)rest)->size = nrest - after;
    tmp[before] = rest;
    i = total;
done:
    DECREF(vm, it);
    if (!ok) {
        for (size_t j = 0; j < total; j++) XDECREF(vm, tmp[j]);
        free(tmp);
        return NULL;
    }
    for (size_t j = 0; j < total; j++) out[j] = tmp[total - 1 - j];
    free(tmp);
    return ok;
}

/* ---- Calls from C ---- */

Object *vm_call_function(Vm *vm, Object *func, Object **args, size_t nargs, Object *kwnames)
{
    if (UNLIKELY(vm->budget_exhausted)) { vm_raise_budget(vm); return NULL; }
    /* The nesting cap or the host's stack (EVAL_TOO_DEEP, vm.h), below the recursion
     * limit: the message CPython gives when Python code recursing through
     * a slot (__eq__, __getattr__...) reaches the recursion limit. */
    if (EVAL_TOO_DEEP(vm))
        return err_format(vm, &RecursionErrorType, "maximum recursion depth exceeded");
    Frame *f = frame_for_call(vm, (FunctionObject *)func, args, nargs, kwnames);
    if (!f) return NULL;
    if (f->code->flags & CO_GENERATOR) return gen_new(vm, f);
    if (vm_push_frame(vm, f) < 0) {
        frame_free(vm, f);
        return NULL;
    }
    EV(vm, call, f);
    vm->c_depth++;
    vm->eval_depth++;
    Object *r = vm_eval(vm, f, NULL);
    vm->eval_depth--;
    vm->c_depth--;
    vm_pop_frame(vm, f);
    frame_free(vm, f);
    return r;
}

int vm_super_args(Vm *vm, Type **type, Object **self)
{
    Frame *f = vm->frame;
    if (!f || !f->func) {
        err_format(vm, &RuntimeErrorType, "super(): no arguments");
        return -1;
    }
    CodeObject *code = f->code;
    if (code->argcount == 0 && !(code->flags & CO_VARARGS)) {
        err_format(vm, &RuntimeErrorType, "super(): no arguments");
        return -1;
    }
    Object *first = f->localsplus[0];
    for (int i = 0; !first && code->cell2arg && i < code->ncells; i++)
        if (code->cell2arg[i] == 0) first = CELL_GET(FRAME_CELLS(f)[i]);
    if (!first) {
        err_format(vm, &RuntimeErrorType, "super(): arg[0] deleted");
        return -1;
    }
    if (code->argcount == 0) { /* def f(*args): super() uses args[0] */
        if (TUPLE_SIZE(first) == 0) {
            err_format(vm, &RuntimeErrorType, "super(): no arguments");
            return -1;
        }
        first = TUPLE_ITEM(first, 0);
    }
    for (int i = 0; i < code->nfrees; i++) {
        if (!str_eq_cstr(TUPLE_ITEM(code->freevars, i), "__class__")) continue;
        Object *cls = CELL_GET(FRAME_CELLS(f)[code->ncells + i]);
        if (!cls) {
            err_format(vm, &RuntimeErrorType, "super(): empty __class__ cell");
            return -1;
        }
        if (!obj_isinstance_type(cls, &TypeType)) {
            err_format(vm, &RuntimeErrorType, "super(): __class__ is not a type (%s)",
                       TYPE(cls)->name);
            return -1;
        }
        *type = (Type *)cls;
        *self = first;
        return 0;
    }
    err_format(vm, &RuntimeErrorType, "super(): __class__ cell not found");
    return -1;
}

/* ---- __build_class__ ---- */

static Object *calculate_metaclass(Vm *vm, Object *meta, Object *bases)
{
    Object *winner = meta;
    for (size_t i = 0; i < TUPLE_SIZE(bases); i++) {
        Object *t = (Object *)TYPE(TUPLE_ITEM(bases, i));
        if (type_is_subtype((Type *)winner, (Type *)t)) continue;
        if (type_is_subtype((Type *)t, (Type *)winner)) { winner = t; continue; }
        err_format(vm, &TypeErrorType,
                   "metaclass conflict: the metaclass of a derived class must be a (non-strict) "
                   "subclass of the metaclasses of all its bases");
        return NULL;
    }
    return winner;
}

/* Runs the class body function [func] with namespace [ns]; returns its result (the
 * __class__ cell or None). */
static Object *run_class_body(Vm *vm, FunctionObject *func, Object *ns)
{
    if (EVAL_TOO_DEEP(vm))
        return err_format(vm, &RecursionErrorType, "maximum recursion depth exceeded");
    CodeObject *code = (CodeObject *)func->code;
    Frame *f = frame_new(vm, code, (Object *)func, func->globals, ns);
    if (!f) return NULL;
    if ((code->ncells || code->nfrees) && frame_init_cells(vm, f) < 0) {
        frame_free(vm, f);
        return NULL;
    }
    if (vm_push_frame(vm, f) < 0) {
        frame_free(vm, f);
        return NULL;
    }
    EV(vm, call, f);
    vm->c_depth++;
    vm->eval_depth++;
    Object *r = vm_eval(vm, f, NULL);
    vm->eval_depth--;
    vm->c_depth--;
    vm_pop_frame(vm, f);
    frame_free(vm, f);
    return r;
}

Object *builtin_build_class(Vm *vm, Object *self, Object **args, size_t nargs,
                            Object *kwnames)
{
    if (nargs < 2) return err_format(vm, &TypeErrorType, "__build_class__: not enough arguments");
    if (!FUNC_CHECK(args[0]))
        return err_format(vm, &TypeErrorType, "__build_class__: func must be a function");
    if (!STR_CHECK(args[1]))
        return err_format(vm, &TypeErrorType, "__build_class__: name is not a string");
    Object *bases = tuple_from_array(vm, args + 2, nargs - 2);
    if (!bases) return NULL;
    Object *meta = NULL;
    size_t nkw = kwnames ? TUPLE_SIZE(kwnames) : 0;
    Object *kwn = NULL;
    Object *kwv[16];
    size_t nk = 0;
    for (size_t i = 0; i < nkw; i++) {
        Object *k = TUPLE_ITEM(kwnames, i);
        if (str_eq_cstr(k, "metaclass")) meta = args[nargs + i];
        else if (nk < 16) kwv[nk++] = args[nargs + i];
    }
    if (nk) {
        kwn = tuple_new(vm, nk);
        if (!kwn) { DECREF(vm, bases); return NULL; }
        size_t j = 0;
        for (size_t i = 0; i < nkw; i++) {
            Object *k = TUPLE_ITEM(kwnames, i);
            if (!str_eq_cstr(k, "metaclass")) ((TupleObject *)kwn)->items[j++] = NEWREF(k);
        }
    }
    Object *result = NULL, *ns = NULL, *cell = NULL;
    bool is_class = !meta || obj_isinstance_type(meta, &TypeType);
    if (!meta) meta = TUPLE_SIZE(bases) ? (Object *)TYPE(TUPLE_ITEM(bases, 0)) : (Object *)&TypeType;
    if (is_class && !(meta = calculate_metaclass(vm, meta, bases))) goto done;
    ns = dict_new(vm);
    if (!ns) goto done;
    cell = run_class_body(vm, (FunctionObject *)args[0], ns);
    if (!cell) goto done;
    Object *margs[3 + 16] = {args[1], bases, ns};
    for (size_t i = 0; i < nk; i++) margs[3 + i] = kwv[i];
    result = obj_call(vm, meta, margs, 3, kwn);
    if (result && CELL_CHECK(cell)) cell_set(vm, cell, result);
done:
    XDECREF(vm, cell);
    XDECREF(vm, ns);
    XDECREF(vm, kwn);
    DECREF(vm, bases);
    return result;
}

/* ---- Imports ---- */

#define MODULE(name, create) Object *create(Vm *vm);
#include "modules.def"
#undef MODULE

static const struct {
    const char *name;
    Object *(*create)(Vm *vm);
} builtin_modules[] = {
#define MODULE(name, create) {#name, create},
#include "modules.def"
#undef MODULE
};

Object *vm_import(Vm *vm, Object *name)
{
    Object *m = dict_get(vm, vm->modules, name);
    if (m) return NEWREF(m);
    if (vm->exc) return NULL;
    const char *n = str_cstr(name);
    for (size_t i = 0; i < sizeof builtin_modules / sizeof builtin_modules[0]; i++) {
        if (strcmp(builtin_modules[i].name, n) != 0) continue;
        m = builtin_modules[i].create(vm);
        if (!m) return NULL;
        if (dict_set(vm, vm->modules, name, m) < 0) {
            DECREF(vm, m);
            return NULL;
        }
        return m;
    }
    const char *dot = strchr(n, '.');
    if (dot) {
        Object *first = str_from_utf8(vm, n, (size_t)(dot - n));
        if (!first) return NULL;
        m = vm_import(vm, first);
        DECREF(vm, first);
        if (!m) return NULL;
        DECREF(vm, m);
    }
    return err_format(vm, &ModuleNotFoundErrorType, "No module named '%U'", name);
}

/* ---- Output ---- */

void vm_write(Vm *vm, int stream, const char *text, size_t len)
{
    if (vm->write) vm->write(vm, stream, text, len);
    EV(vm, output, stream, text, len);
}

static void default_write(Vm *vm, int stream, const char *text, size_t len)
{
    if (vm->config.write) {
        vm->config.write(vm->config.user, stream, text, len);
        return;
    }
    fwrite(text, 1, len, stream == 2 ? stderr : stdout);
}

/* ---- Running a program ---- */

static Object *make_main_module(Vm *vm, const char *filename)
{
    Object *m = module_new(vm, "__main__");
    if (!m) return NULL;
    ((ModuleObject *)m)->builtin = false;
    Object *d = module_dict(m);
    Object *fn = str_from_cstr(vm, filename);
    Object *ann = dict_new(vm);
    int r = (fn && ann) ? 0 : -1;
    if (!r) r = dict_set_str(vm, d, "__package__", vm->none);
    if (!r) r = dict_set_str(vm, d, "__spec__", vm->none);
    if (!r) r = dict_set_str(vm, d, "__annotations__", ann);
    if (!r) r = dict_set_str(vm, d, "__builtins__", vm->builtins_module);
    if (!r) r = dict_set_str(vm, d, "__file__", fn);
    if (!r) r = dict_set_str(vm, d, "__cached__", vm->none);
    if (!r) r = dict_set_str(vm, vm->modules, "__main__", m);
    XDECREF(vm, fn);
    XDECREF(vm, ann);
    if (r < 0) { DECREF(vm, m); return NULL; }
    return m;
}

/* Exit status for an uncaught SystemExit, printing its message as CPython does. */
static int system_exit_status(Vm *vm, Object *exc)
{
    Object *code = ((ExceptionObject *)exc)->value;
    Object *args = ((ExceptionObject *)exc)->args;
    if (!code && args && TUPLE_SIZE(args) > 0) code = TUPLE_ITEM(args, 0);
    if (!code || code == vm->none) return 0;
    if (INT_CHECK(code)) {
        int64_t v = 0;
        if (int_as_i64(vm, code, &v) < 0) { err_clear(vm); return 1; }
        return (int)(v & 0xFF);
    }
    Object *s = obj_str(vm, code);
    if (s) {
        vm_write(vm, 2, str_cstr(s), str_byte_len(s));
        vm_write(vm, 2, "\n", 1);
        DECREF(vm, s);
    } else {
        err_clear(vm);
    }
    return 1;
}

/* Prints the uncaught exception in vm->exc and returns the exit status. */
static int report_uncaught(Vm *vm)
{
    Object *exc = vm->exc;
    vm->exc = NULL;
    if (vm->input_stop) {
        XDECREF(vm, exc);
        return 4;
    }
    if (vm->budget_exhausted) {
        char msg[160];
        int n = snprintf(msg, sizeof msg,
                         "StepBudgetExceeded: program stopped after %llu steps (possible "
                         "infinite loop); raise the limit with --max-steps\n",
                         (unsigned long long)vm->config.max_steps);
        vm_write(vm, 2, msg, (size_t)n);
        XDECREF(vm, exc);
        return 3;
    }
    if (!exc) return 1;
    EV(vm, uncaught, exc);
    if (obj_isinstance_type(exc, &SystemExitType)) {
        int st = system_exit_status(vm, exc);
        DECREF(vm, exc);
        return st;
    }
    exc_print(vm, exc);
    DECREF(vm, exc);
    return 1;
}

/* Raises the parser's error as SyntaxError/IndentationError/..., in vm->exc. */
static void raise_parse_error(Vm *vm, const ParseError *pe, const char *filename)
{
    if (pe->kind == PE_MEMORY) { err_no_memory(vm); return; }
    if (pe->kind == PE_UNSUPPORTED) {
        /* The names first: lookups must not run while an exception is pending. */
        Object *fn = str_from_cstr(vm, filename), *name = str_intern_cstr(vm, "<module>");
        err_unsupported(vm, pe->msg);
        Object *exc = vm->exc;
        vm->exc = NULL;
        if (fn && name) exc_add_traceback(vm, exc, fn, name, pe->lineno, pe->lineno, -1, -1);
        XDECREF(vm, fn);
        XDECREF(vm, name);
        vm->exc = exc;
        return;
    }
    Type *t = pe->kind == PE_INDENTATION ? &IndentationErrorType
            : pe->kind == PE_TAB ? &TabErrorType : &SyntaxErrorType;
    compiler_syntax_error(vm, t, pe->msg, filename, pe->lineno, pe->col_offset,
                          pe->end_lineno, pe->end_col_offset);
}

static int run_main(Vm *vm, const char *source, const char *filename);
static int finish_main(Vm *vm, Object *r);

/* Ends the run with [status] (exit work and the end record), or, when the run is
 * suspended in input(), emits the provisional end record and returns PF_SUSPENDED. */
static int end_run(Vm *vm, int status)
{
    if (vm->suspended) {
        if (vm->events) ev_suspend(vm);
        return PF_SUSPENDED;
    }
    gc_at_exit(vm); /* weakref.finalize callbacks, then a collection, as CPython's exit */
    EV(vm, end, status);
    return status;
}

int vm_run_main(Vm *vm, const char *source, const char *filename)
{
    vm->filename = filename;
    vm->source = source;
    EV(vm, begin, source, filename);
    return end_run(vm, run_main(vm, source, filename));
}

int pf_resume(Vm *vm, const char *line)
{
    VmExec *ex = vm ? vm->exec : NULL;
    if (!ex || !vm->suspended || !ex->main_frame) return -1;
    vm->suspended = false;
    Object *s = vm_input_line(vm, line ? line : "");
    ex->eval_nesting++;
    Object *r = eval_loop(vm, vm->frame, s, true);
    ex->eval_nesting--;
    return end_run(vm, finish_main(vm, r));
}

/* Frees the frames of a run suspended in input() (pf_free of an unfinished run). */
static void drop_suspended(Vm *vm)
{
    VmExec *ex = vm->exec;
    if (!ex || !ex->main_frame) return;
    if (vm->events) events_fini(vm); /* the trace ends where the run waited */
    vm->events = NULL;
    while (vm->frame) {
        Frame *f = vm->frame;
        vm_pop_frame(vm, f);
        frame_free(vm, f);
    }
    ex->main_frame = NULL;
    SETREF(vm, ex->main_module, NULL);
    vm->suspended = false;
}

static int run_main(Vm *vm, const char *source, const char *filename)
{
    Arena *arena = arena_new();
    if (!arena) return 1;
    ParseError pe;
    memset(&pe, 0, sizeof pe);
    Module *mod = parse_module(arena, source, strlen(source), &pe);
    Object *code = NULL;
    if (!mod) raise_parse_error(vm, &pe, filename);
    else code = compiler_compile(vm, mod, source, filename);
    arena_free(arena);
    if (!code) return report_uncaught(vm);
    Object *m = make_main_module(vm, filename);
    if (!m) { DECREF(vm, code); return report_uncaught(vm); }
    Object *globals = module_dict(m);
    vm->main_globals = NEWREF(globals);
    Frame *f = frame_new(vm, (CodeObject *)code, NULL, globals, globals);
    DECREF(vm, code);
    Object *r = NULL;
    vm->exec->main_module = m;
    vm->exec->main_frame = f;
    if (f) {
        if (vm_push_frame(vm, f) == 0) {
            EV(vm, call, f);
            r = vm_eval(vm, f, NULL);
        } else {
            frame_free(vm, f);
            vm->exec->main_frame = NULL;
        }
    }
    return finish_main(vm, r);
}

/* After the __main__ frame's eval loop returned [r]: unless the run is suspended,
 * frees the frame and the module and returns the exit status. */
static int finish_main(Vm *vm, Object *r)
{
    VmExec *ex = vm->exec;
    if (vm->suspended) return PF_SUSPENDED;
    if (ex->main_frame) {
        vm_pop_frame(vm, ex->main_frame);
        frame_free(vm, ex->main_frame);
        ex->main_frame = NULL;
    }
    SETREF(vm, ex->main_module, NULL);
    if (!r) return report_uncaught(vm);
    DECREF(vm, r);
    return 0;
}

/* ---- Start-up and teardown ---- */

/* Gives every static built-in type the header a fresh run expects: the browser runs
 * many programs in one process, and each must see the same refcounts and flags (ids
 * are assigned by type_ready, in order, so they are the same in every run too). */
static void reset_static_types(void)
{
#undef TYPE
#define TYPE(name) name##Type.ob.refcnt = 1; name##Type.ob.flags = OF_STATIC | OF_IMMORTAL; \
    name##Type.ob.gen = 0;
#include "types.def"
#undef TYPE
#define EXC(name, base) name##Type.ob.refcnt = 1; name##Type.ob.flags = OF_STATIC | OF_IMMORTAL; \
    name##Type.ob.gen = 0;
#include "exceptions.def"
#undef EXC
#define TYPE(o) (((Object *)(o))->type)
}

int vm_init_runtime(Vm *vm)
{
    reset_static_types();
    vm->exec = calloc(1, sizeof(VmExec));
    if (!vm->exec) return -1;
    if (memory_init(vm) < 0) return -1;
    if (misc_init(vm) < 0 || int_init(vm) < 0 || str_init(vm) < 0 || tuple_init(vm) < 0)
        return -1;
    if (!vm->interned && !(vm->interned = dict_new(vm))) return -1;
#undef TYPE
#define TYPE(name) &name##Type,
    static Type *const static_types[] = {
#include "types.def"
    };
#undef TYPE
#define TYPE(o) (((Object *)(o))->type)
    for (size_t i = 0; i < sizeof static_types / sizeof *static_types; i++)
        if (type_ready(vm, static_types[i]) < 0) return -1;
    if (exc_init(vm) < 0) return -1;
    if (func_init(vm) < 0) return -1;
    if (!(vm->modules = dict_new(vm))) return -1;
    if (builtins_init(vm) < 0) return -1;
    vm->exec->str_build_class = str_intern_cstr(vm, "__build_class__");
    vm->exec->input_builtin = dict_get_str(vm, vm->builtins, "input"); /* borrowed */
    return vm->exec->str_build_class ? 0 : -1;
}

PfConfig pf_config_default(void)
{
    PfConfig c;
    memset(&c, 0, sizeof c);
    c.max_steps = 10000000;
    c.max_memory = (size_t)512 << 20;
    c.recursion_limit = 1000;
    return c;
}

Vm *pf_new(const PfConfig *config)
{
    Vm *vm = calloc(1, sizeof(Vm));
    if (!vm) return NULL;
    vm->config = config ? *config : pf_config_default();
    PfConfig d = pf_config_default();
    if (!vm->config.max_steps) vm->config.max_steps = d.max_steps;
    if (!vm->config.max_memory) vm->config.max_memory = d.max_memory;
    if (!vm->config.recursion_limit) vm->config.recursion_limit = d.recursion_limit;
    vm->recursion_limit = vm->config.recursion_limit;
    vm->write = default_write;
    vm->user = vm->config.user;
    if (vm->config.trace && events_init(vm) < 0) {
        free(vm);
        return NULL;
    }
    if (vm_init_runtime(vm) < 0) {
        pf_free(vm);
        return NULL;
    }
    return vm;
}

int pf_run(Vm *vm, const char *source, const char *filename)
{
    return vm_run_main(vm, source, filename);
}

void pf_free(Vm *vm)
{
    if (!vm) return;
    drop_suspended(vm);
    XDECREF(vm, vm->exc);
    vm->exc = NULL;
    XDECREF(vm, vm->handled_exc);
    vm->handled_exc = NULL;
    if (vm->main_globals) {
        dict_clear(vm, vm->main_globals);
        SETREF(vm, vm->main_globals, NULL);
    }
    if (vm->modules) dict_clear(vm, vm->modules);
    if (vm->exec) {
        SETREF(vm, vm->exec->budget_exc, NULL);
        SETREF(vm, vm->exec->input_exc, NULL);
    }
    gc_collect_final(vm);
    if (vm->events) events_fini(vm);
    vm->events = NULL;
    /* The static types outlive the run: release what they hold in this run's heap
     * before the heap goes, so that no pointer into it survives pf_free. */
    if (vm->alloc) {
        exc_fini(vm);
        class_fini(vm);
        int_fini(vm);
        str_fini(vm);
    }
    memory_fini(vm);
    if (vm->exec) {
        free_frame_cache(vm);
        free(vm->exec);
    }
    free(vm);
}

/* ---- Frame objects (tb_frame) ----
 * Frames themselves are not Python objects here; when an exception leaves a frame,
 * the traceback entry gets a frame object that keeps what the frame held (its locals,
 * cells and free variables) alive for as long as the traceback lives, as CPython's
 * tb_frame does: `except E as e:` keeps the failing frames' locals until the block ends. */

typedef struct {
    Object ob;
    Object *code;      /* the frame's code object */
    Object *globals;   /* its globals dict */
    int lineno;        /* the line the frame was at */
    size_t n;          /* slots in [items]: the frame's nlocalsplus */
    Object *items[];   /* locals (NULL = unbound), then cells (strong) */
} FrameObject;

/* Returns a frame object holding new references to [f]'s locals and cells. */
static Object *frame_object_new(Vm *vm, Frame *f)
{
    size_t n = (size_t)f->code->nlocalsplus;
    FrameObject *fo = (FrameObject *)obj_alloc_var(vm, &FrameType, n);
    if (!fo) return NULL;
    fo->code = NEWREF((Object *)f->code);
    fo->globals = NEWREF(f->globals);
    fo->lineno = frame_line(f);
    fo->n = n;
    for (size_t i = 0; i < n; i++) {
        fo->items[i] = f->localsplus[i];
        XINCREF(fo->items[i]);
    }
    gc_track(vm, (Object *)fo);
    return (Object *)fo;
}

/* Gives the traceback entry of the frame an exception is leaving (the newest entry)
 * a frame object, so that the frame's locals outlive the frame while the traceback
 * does. Errors here are not the program's: they leave the entry without a frame. */
static void keep_frame_locals(Vm *vm, Frame *f)
{
    Object *exc = vm->exc;
    if (!exc || !obj_isinstance_type(exc, &BaseExceptionType)) return;
    TracebackObject *tb = (TracebackObject *)((ExceptionObject *)exc)->traceback;
    if (!tb || tb->frame || f->code->nlocalsplus == 0 || !(f->code->flags & CO_OPTIMIZED))
        return;
    vm->exc = NULL;
    Object *fo = frame_object_new(vm, f);
    if (!fo) err_clear(vm);
    vm->exc = exc;
    tb->frame = fo;
}

static void frameobj_dealloc(Vm *vm, Object *self)
{
    FrameObject *fo = (FrameObject *)self;
    for (size_t i = 0; i < fo->n; i++) XDECREF(vm, fo->items[i]);
    XDECREF(vm, fo->code);
    XDECREF(vm, fo->globals);
    obj_free(vm, self);
}

static int frameobj_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    FrameObject *fo = (FrameObject *)self;
    for (size_t i = 0; i < fo->n; i++)
        if (fo->items[i]) {
            int r = visit(vm, fo->items[i], arg);
            if (r) return r;
        }
    if (fo->code) {
        int r = visit(vm, fo->code, arg);
        if (r) return r;
    }
    return fo->globals ? visit(vm, fo->globals, arg) : 0;
}

static void frameobj_clear(Vm *vm, Object *self)
{
    FrameObject *fo = (FrameObject *)self;
    for (size_t i = 0; i < fo->n; i++) SETREF(vm, fo->items[i], NULL);
    SETREF(vm, fo->globals, NULL);
}

static Object *frameobj_repr(Vm *vm, Object *self)
{
    FrameObject *fo = (FrameObject *)self;
    CodeObject *c = (CodeObject *)fo->code;
    return str_from_format(vm, "<frame at 0x%x, file '%U', line %d, code %U>",
                           (unsigned)self->id, c->filename, fo->lineno, c->name);
}

/* f_locals as a new dict: the bound locals, then the cells' contents by name. */
static Object *frameobj_locals(Vm *vm, FrameObject *fo)
{
    CodeObject *c = (CodeObject *)fo->code;
    Object *d = dict_new(vm);
    if (!d) return NULL;
    for (size_t i = 0; i < fo->n; i++) {
        Object *v = fo->items[i], *name;
        if (i < (size_t)c->nlocals) name = TUPLE_ITEM(c->varnames, i);
        else if (i < (size_t)(c->nlocals + c->ncells)) name = TUPLE_ITEM(c->cellvars, i - c->nlocals);
        else name = TUPLE_ITEM(c->freevars, i - c->nlocals - c->ncells);
        if (v && i >= (size_t)c->nlocals && CELL_CHECK(v)) v = CELL_GET(v);
        if (v && dict_set(vm, d, name, v) < 0) { DECREF(vm, d); return NULL; }
    }
    return d;
}

static Object *frameobj_getattr(Vm *vm, Object *self, Object *name)
{
    FrameObject *fo = (FrameObject *)self;
    if (str_eq_cstr(name, "f_code")) return NEWREF(fo->code);
    if (str_eq_cstr(name, "f_lineno")) return int_from_i64(vm, fo->lineno);
    if (str_eq_cstr(name, "f_globals")) return NEWREF(fo->globals ? fo->globals : vm->none);
    if (str_eq_cstr(name, "f_locals")) return frameobj_locals(vm, fo);
    if (str_eq_cstr(name, "f_back")) return NEWREF(vm->none);
    return obj_generic_getattr(vm, self, name);
}

Type FrameType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "frame",
    .basicsize = sizeof(FrameObject),
    .itemsize = sizeof(Object *),
    .modelled_size = 120,
    .tflags = TP_GC,
    .dealloc = frameobj_dealloc,
    .traverse = frameobj_traverse,
    .clear = frameobj_clear,
    .repr = frameobj_repr,
    .getattr = frameobj_getattr,
};
