/* module.h — module objects (module.c): a name and an attribute dict. */
#ifndef PYFRAMES_MODULE_H
#define PYFRAMES_MODULE_H

#include "object.h"

/* A module. [dict] holds its globals (with __name__); [builtin] marks modules made in
 * C (repr "<module 'sys' (built-in)>"). */
typedef struct {
    Object ob;
    Object *dict;
    Object *name;
    bool builtin;
    Object *weaklist;
} ModuleObject;

/* Returns a new built-in module named [name] with __name__ and __doc__ set. */
Object *module_new(Vm *vm, const char *name);
/* Returns the module's attribute dict (borrowed). */
Object *module_dict(Object *m);
/* Adds a built-in function for every entry of [defs] (ending with {NULL}); -1 on error. */
int module_add_methods(Vm *vm, Object *m, const MethodDef *defs);
/* Sets attribute [name] of module [m] to [value] (not stolen). */
int module_add_object(Vm *vm, Object *m, const char *name, Object *value);

#endif
