/* module.c — module objects: a name and an attribute dict (the module's globals),
 * attribute access through that dict, and repr "<module 'sys' (built-in)>".
 */
#include "module.h"

#include "dict.h"
#include "func.h"
#include "str.h"
#include "vm.h"

#define MODULE(o) ((ModuleObject *)(o))

static Object *module_alloc(Vm *vm, Type *type, Object *name)
{
    ModuleObject *m = (ModuleObject *)obj_alloc(vm, type, type->basicsize);
    if (!m) return NULL;
    m->name = NEWREF(name);
    m->dict = dict_new(vm);
    if (!m->dict || dict_set_str(vm, m->dict, "__name__", name) < 0 ||
        dict_set_str(vm, m->dict, "__doc__", vm->none) < 0 ||
        dict_set_str(vm, m->dict, "__package__", vm->none) < 0 ||
        dict_set_str(vm, m->dict, "__loader__", vm->none) < 0 ||
        dict_set_str(vm, m->dict, "__spec__", vm->none) < 0) {
        DECREF(vm, m);
        return NULL;
    }
    gc_track(vm, (Object *)m);
    return (Object *)m;
}

Object *module_new(Vm *vm, const char *name)
{
    Object *n = str_intern_cstr(vm, name);
    if (!n) return NULL;
    Object *m = module_alloc(vm, &ModuleType, n);
    DECREF(vm, n);
    if (m) MODULE(m)->builtin = true;
    return m;
}

Object *module_dict(Object *m) { return MODULE(m)->dict; }

int module_add_object(Vm *vm, Object *m, const char *name, Object *value)
{
    return dict_set_str(vm, MODULE(m)->dict, name, value);
}

int module_add_methods(Vm *vm, Object *m, const MethodDef *defs)
{
    for (const MethodDef *d = defs; d->name; d++) {
        Object *f = builtin_new(vm, d, m);
        if (!f) return -1;
        int rc = dict_set_str(vm, MODULE(m)->dict, d->name, f);
        DECREF(vm, f);
        if (rc < 0) return -1;
    }
    return 0;
}

static void module_dealloc(Vm *vm, Object *self)
{
    ModuleObject *m = MODULE(self);
    XDECREF(vm, m->dict);
    XDECREF(vm, m->name);
    obj_free(vm, self);
}

static int module_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    ModuleObject *m = MODULE(self);
    int rc = 0;
    if (m->dict && (rc = visit(vm, m->dict, arg))) return rc;
    if (m->name && (rc = visit(vm, m->name, arg))) return rc;
    return 0;
}

static void module_clear(Vm *vm, Object *self)
{
    SETREF(vm, MODULE(self)->dict, NULL);
}

static Object *module_repr(Vm *vm, Object *self)
{
    ModuleObject *m = MODULE(self);
    Object *name = m->dict ? dict_get_str(vm, m->dict, "__name__") : NULL;
    if (!name || TYPE(name) != &StrType) name = m->name;
    if (m->builtin) return str_from_format(vm, "<module %R (built-in)>", name);
    Object *file = m->dict ? dict_get_str(vm, m->dict, "__file__") : NULL;
    if (file) return str_from_format(vm, "<module %R from %R>", name, file);
    return str_from_format(vm, "<module %R>", name);
}

static Object *module_getattr(Vm *vm, Object *self, Object *name)
{
    ModuleObject *m = MODULE(self);
    if (m->dict) {
        Object *v = dict_get(vm, m->dict, name);
        if (v) return NEWREF(v);
        if (vm->exc) return NULL;
    }
    if (str_eq_cstr(name, "__dict__")) return NEWREF(m->dict);
    Object *r = obj_generic_getattr(vm, self, name);
    if (r || !err_matches(vm, &AttributeErrorType)) return r;
    err_clear(vm);
    return err_format(vm, &AttributeErrorType, "module %R has no attribute %R", m->name, name);
}

static int module_setattr(Vm *vm, Object *self, Object *name, Object *value)
{
    ModuleObject *m = MODULE(self);
    if (value) return dict_set(vm, m->dict, name, value);
    if (dict_discard(vm, m->dict, name) == 1) return 0;
    if (!vm->exc)
        err_format(vm, &AttributeErrorType, "module %R has no attribute %R", m->name, name);
    return -1;
}

static Object *module_tp_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (nargs < 1 || TYPE(args[0]) != &StrType)
        return err_format(vm, &TypeErrorType, "module.__init__() argument 'name' must be str");
    return module_alloc(vm, type, args[0]);
}

Type ModuleType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "module",
    .basicsize = sizeof(ModuleObject),
    .modelled_size = 72,
    .tflags = TP_GC | TP_BASETYPE,
    .base = &ObjectType,
    .dealloc = module_dealloc,
    .traverse = module_traverse,
    .clear = module_clear,
    .repr = module_repr,
    .getattr = module_getattr,
    .setattr = module_setattr,
    .new_ = module_tp_new,
    .dict_offset = offsetof(ModuleObject, dict),
    .weaklist_offset = offsetof(ModuleObject, weaklist),
};
