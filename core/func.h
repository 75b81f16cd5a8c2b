/* func.h — callables implemented by the VM side (func.c): Python functions, bound
 * methods, and built-in functions/methods wrapping a MethodDef. Also the argument
 * binding of Python functions (CPython 3.11's TypeError messages).
 */
#ifndef PYFRAMES_FUNC_H
#define PYFRAMES_FUNC_H

#include "vm.h"

/* A Python function (def or lambda). [code] is a CodeObject; [closure] a tuple of
 * cells matching code->freevars (NULL without free variables); [defaults] a tuple of
 * the defaults of the last positional parameters (or NULL); [kwdefaults] a dict of
 * keyword-only defaults (or NULL). The cells of [closure] are the ones the defining
 * frame created, so the frame that owns a closure variable is identifiable. */
typedef struct {
    Object ob;
    Object *code;
    Object *globals;    /* dict: the module namespace the function runs in */
    Object *name;       /* str: __name__ */
    Object *qualname;   /* str: __qualname__ */
    Object *defaults;   /* tuple or NULL */
    Object *kwdefaults; /* dict or NULL */
    Object *closure;    /* tuple of CellObject or NULL */
    Object *doc;        /* __doc__: str or None */
    Object *module;     /* __module__: str or None */
    Object *dict;       /* __dict__ (function attributes) or NULL until first set */
    Object *weaklist;
} FunctionObject;

/* A function bound to an instance: calling it prepends [self] to the arguments. */
typedef struct {
    Object ob;
    Object *func;
    Object *self;
    Object *weaklist;
} MethodObject;

/* A built-in function, or a built-in method bound to [self]. When [objclass] is set
 * and [self] is NULL it is an unbound method descriptor found in that type's dict
 * (`list.append`): calling it takes self from the first argument, and attribute
 * access on an instance binds it (descr_get). */
typedef struct {
    Object ob;
    const MethodDef *def;
    Object *self;     /* bound object, module, or NULL */
    Type *objclass;   /* owning type for method descriptors, else NULL */
} BuiltinObject;

#define FUNC_CHECK(o) (TYPE(o) == &FunctionType)

/* Creates a function from [code] (a CodeObject) running in [globals]; name, qualname
 * and doc come from the code object. Returns a new reference. */
Object *func_new(Vm *vm, Object *code, Object *globals);
/* Creates a bound method of [func] and [self] (new reference). */
Object *method_new(Vm *vm, Object *func, Object *self);
/* Creates a built-in function for [def] bound to [self] (which may be NULL or a
 * module). Returns a new reference. */
Object *builtin_new(Vm *vm, const MethodDef *def, Object *self);
/* Creates an unbound built-in method descriptor of type [owner] for [def]: what
 * type_ready should store in a built-in type's dict for each MethodDef. For
 * METH_CLASS / METH_STATIC defs the descriptor binds the class / nothing. */
Object *builtin_new_descr(Vm *vm, const MethodDef *def, Type *owner);

/* Binds [args] (nargs positional then the keyword values named by [kwnames]) to the
 * parameters of Python function [func], storing new references into [locals] (the
 * frame's first code->nlocals slots, all NULL on entry). Applies defaults, builds
 * *args / **kwargs. Raises CPython's TypeError and returns -1 on mismatch. */
int func_bind_args(Vm *vm, FunctionObject *func, Object **locals, Object **args,
                   size_t nargs, Object *kwnames);

/* Start-up: nothing yet beyond type_ready of the function types. */
int func_init(Vm *vm);

#endif
