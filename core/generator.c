/* generator.c — the generator type: a suspended frame resumed through the eval loop
 * (vm_eval) by next(), send(), throw() and close(), with CPython 3.11's rules:
 * StopIteration carries the return value, a StopIteration escaping the body becomes
 * RuntimeError (PEP 479), close() throws GeneratorExit.
 */
#include "args.h"
#include "events.h"
#include "exc.h"
#include "func.h"
#include "generator.h"
#include "str.h"
#include "tuple.h"

Object *gen_new(Vm *vm, Frame *f)
{
    GenObject *g = (GenObject *)obj_alloc(vm, &GeneratorType, sizeof(GenObject));
    if (!g) {
        frame_free(vm, f);
        return NULL;
    }
    g->frame = f;
    f->generator = (Object *)g;
    FunctionObject *fn = (FunctionObject *)f->func;
    g->name = NEWREF(fn ? fn->name : f->code->name);
    g->qualname = NEWREF(fn ? fn->qualname : f->code->qualname);
    gc_track(vm, (Object *)g);
    return (Object *)g;
}

static void gen_release_frame(Vm *vm, GenObject *g)
{
    Frame *f = g->frame;
    g->frame = NULL;
    if (f) frame_free(vm, f);
    SETREF(vm, g->exc_state, NULL);
}

/* PEP 479: a StopIteration leaving the generator body becomes RuntimeError. */
static void convert_stop_iteration(Vm *vm)
{
    if (!err_matches(vm, &StopIterationType)) return;
    Object *stop = vm->exc;
    vm->exc = NULL;
    Object *rt = exc_new_msg(vm, &RuntimeErrorType, "generator raised StopIteration");
    if (!rt) { DECREF(vm, stop); return; }
    ExceptionObject *e = (ExceptionObject *)rt;
    e->cause = NEWREF(stop);
    e->context = stop;
    e->suppress_context = true;
    vm->exc = rt;
}

Object *gen_send_ex(Vm *vm, Object *gen, Object *value, Object *throw_exc, bool *returned)
{
    GenObject *g = (GenObject *)gen;
    Frame *f = g->frame;
    *returned = false;
    if (g->running) return err_format(vm, &ValueErrorType, "generator already executing");
    if (!f || f->state == FRAME_COMPLETED) {
        if (throw_exc) {
            err_set_object(vm, throw_exc);
            return NULL;
        }
        *returned = true;
        return NEWREF(vm->none);
    }
    if (f->state == FRAME_CREATED && !throw_exc && value && value != vm->none)
        return err_format(vm, &TypeErrorType,
                          "can't send non-None value to a just-started generator");
    if (EVAL_TOO_DEEP(vm))
        return err_format(vm, &RecursionErrorType, "maximum recursion depth exceeded");
    bool resuming = f->state == FRAME_SUSPENDED;
    if (vm_push_frame(vm, f) < 0) return NULL;
    if (resuming && !throw_exc) {
        /* resuming from a yield: the sent value is the result of the yield expression */
        *f->sp++ = NEWREF(value ? value : vm->none);
    }
    EV(vm, call, f);
    Object *outer = vm->handled_exc;
    if (g->exc_state) {
        vm->handled_exc = g->exc_state;
        g->exc_state = NULL;
    } else {
        XINCREF(outer);
    }
    g->running = true;
    vm->c_depth++;
    vm->eval_depth++;
    Object *r = vm_eval(vm, f, throw_exc);
    vm->eval_depth--;
    vm->c_depth--;
    g->running = false;
    vm_pop_frame(vm, f);
    Object *inner = vm->handled_exc;
    vm->handled_exc = outer;
    if (inner == outer) XDECREF(vm, inner);
    else if (r && f->state == FRAME_SUSPENDED) g->exc_state = inner;
    else XDECREF(vm, inner);
    if (r && f->state == FRAME_SUSPENDED) return r;
    gen_release_frame(vm, g);
    if (r) {
        *returned = true;
        return r;
    }
    convert_stop_iteration(vm);
    return NULL;
}

static Object *gen_iternext(Vm *vm, Object *self)
{
    bool returned;
    Object *r = gen_send_ex(vm, self, vm->none, NULL, &returned);
    if (!r || !returned) return r;
    /* Exhausted: NULL without an exception (the iternext contract), or, as CPython's
     * gen_iternext, StopIteration(value) when the generator returned a value other
     * than None — so next(g) shows it; obj_next and FOR_ITER clear it. */
    if (r != vm->none) err_set(vm, &StopIterationType, r);
    DECREF(vm, r);
    return NULL;
}

static Object *gen_iter(Vm *vm, Object *self)
{
    return NEWREF(self);
}

/* Turns a send() result into the method's return value: a return becomes
 * StopIteration(value). */
static Object *finish_send(Vm *vm, Object *r, bool returned)
{
    if (!r || !returned) return r;
    err_set(vm, &StopIterationType, r == vm->none ? NULL : r);
    DECREF(vm, r);
    return NULL;
}

static Object *gen_send(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    if (args_check(vm, "send", nargs, kwnames, 1, 1) < 0) return NULL;
    bool returned;
    Object *r = gen_send_ex(vm, self, args[0], NULL, &returned);
    return finish_send(vm, r, returned);
}

static Object *gen_throw(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    if (args_check(vm, "throw", nargs, kwnames, 1, 3) < 0) return NULL;
    Object *typ = args[0], *exc;
    if (obj_isinstance_type(typ, &TypeType) && type_is_subtype((Type *)typ, &BaseExceptionType)) {
        exc = nargs > 1 && args[1] != vm->none ? obj_call(vm, typ, args + 1, 1, NULL)
                                              : obj_call(vm, typ, NULL, 0, NULL);
        if (!exc) return NULL;
    } else if (obj_isinstance_type(typ, &BaseExceptionType)) {
        exc = NEWREF(typ);
    } else {
        return err_format(vm, &TypeErrorType,
                          "exceptions must be classes or instances deriving from "
                          "BaseException, not %s", TYPE(typ)->name);
    }
    bool returned;
    Object *r = gen_send_ex(vm, self, NULL, exc, &returned);
    DECREF(vm, exc);
    return finish_send(vm, r, returned);
}

/* generator.close(): throws GeneratorExit into a started generator. */
static int gen_close_impl(Vm *vm, GenObject *g)
{
    Frame *f = g->frame;
    if (!f || f->state != FRAME_SUSPENDED) {
        if (f && f->state == FRAME_CREATED) f->state = FRAME_COMPLETED;
        gen_release_frame(vm, g);
        return 0;
    }
    Object *ge = obj_call(vm, (Object *)&GeneratorExitType, NULL, 0, NULL);
    if (!ge) return -1;
    bool returned;
    Object *r = gen_send_ex(vm, (Object *)g, NULL, ge, &returned);
    DECREF(vm, ge);
    if (r) {
        DECREF(vm, r);
        if (returned) return 0;
        err_format(vm, &RuntimeErrorType, "generator ignored GeneratorExit");
        return -1;
    }
    if (err_matches(vm, &GeneratorExitType) || err_matches(vm, &StopIterationType)) {
        err_clear(vm);
        return 0;
    }
    return -1;
}

static Object *gen_close(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    if (args_check(vm, "close", nargs, kwnames, 0, 0) < 0) return NULL;
    if (gen_close_impl(vm, (GenObject *)self) < 0) return NULL;
    RETURN_NONE(vm);
}

static void gen_dealloc(Vm *vm, Object *self)
{
    GenObject *g = (GenObject *)self;
    if (g->frame && g->frame->state == FRAME_SUSPENDED && g->frame->nblocks > 0) {
        /* Finalize: close it so its finally blocks run (as CPython's _PyGen_Finalize). */
        Object *saved = vm->exc;
        vm->exc = NULL;
        self->refcnt = 1;
        if (gen_close_impl(vm, g) < 0) err_clear(vm);
        self->refcnt--;
        vm->exc = saved;
        if (self->refcnt > 0) return; /* resurrected */
    }
    gen_release_frame(vm, g);
    XDECREF(vm, g->name);
    XDECREF(vm, g->qualname);
    obj_free(vm, self);
}

static int gen_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    GenObject *g = (GenObject *)self;
    int r = 0;
    if (g->frame && (r = frame_traverse(vm, g->frame, visit, arg))) return r;
    if (g->exc_state && (r = visit(vm, g->exc_state, arg))) return r;
    return 0;
}

static void gen_clear(Vm *vm, Object *self)
{
    GenObject *g = (GenObject *)self;
    if (!g->running) gen_release_frame(vm, g);
}

static Object *gen_repr(Vm *vm, Object *self)
{
    return str_from_format(vm, "<generator object %U at 0x%x>", ((GenObject *)self)->qualname,
                           (unsigned)self->id);
}

static Object *gen_getattr(Vm *vm, Object *self, Object *name)
{
    GenObject *g = (GenObject *)self;
    if (str_eq_cstr(name, "__name__")) return NEWREF(g->name);
    if (str_eq_cstr(name, "__qualname__")) return NEWREF(g->qualname);
    if (str_eq_cstr(name, "gi_running")) return bool_from(vm, g->running);
    if (str_eq_cstr(name, "gi_frame")) return NEWREF(vm->none);
    if (str_eq_cstr(name, "gi_code"))
        return g->frame ? NEWREF((Object *)g->frame->code) : NEWREF(vm->none);
    return obj_generic_getattr(vm, self, name);
}

static const MethodDef gen_methods[] = {
    {"send", gen_send, METH_INSTANCE},
    {"throw", gen_throw, METH_INSTANCE},
    {"close", gen_close, METH_INSTANCE},
    {NULL},
};

Type GeneratorType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "generator",
    .basicsize = sizeof(GenObject),
    .modelled_size = 200,
    .tflags = TP_GC,
    .methods = gen_methods,
    .dealloc = gen_dealloc,
    .traverse = gen_traverse,
    .clear = gen_clear,
    .repr = gen_repr,
    .iter = gen_iter,
    .iternext = gen_iternext,
    .getattr = gen_getattr,
    .weaklist_offset = offsetof(GenObject, weaklist),
};
