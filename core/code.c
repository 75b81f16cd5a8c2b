/* code.c — the code object type: allocation and release, the position table lookup,
 * opcode names and stack effects (from opcodes.def), and a disassembler for
 * debugging the compiler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "int.h"
#include "str.h"
#include "tuple.h"

#define VAR 1000

static const char *const opcode_names[] = {
#define OPCODE(name, effect) #name,
#include "opcodes.def"
#undef OPCODE
};

static const int opcode_effects[] = {
#define OPCODE(name, effect) effect,
#include "opcodes.def"
#undef OPCODE
};

Object *code_new(Vm *vm)
{
    CodeObject *c = (CodeObject *)obj_alloc(vm, &CodeType, sizeof(CodeObject));
    if (!c) return NULL;
    c->consts = NEWREF(vm->empty_tuple);
    c->names = NEWREF(vm->empty_tuple);
    c->varnames = NEWREF(vm->empty_tuple);
    c->cellvars = NEWREF(vm->empty_tuple);
    c->freevars = NEWREF(vm->empty_tuple);
    c->firstlineno = 1;
    return (Object *)c;
}

static void code_dealloc(Vm *vm, Object *self)
{
    CodeObject *c = (CodeObject *)self;
    free(c->instrs);
    free(c->positions);
    free(c->cell2arg);
    XDECREF(vm, c->consts);
    XDECREF(vm, c->names);
    XDECREF(vm, c->varnames);
    XDECREF(vm, c->cellvars);
    XDECREF(vm, c->freevars);
    XDECREF(vm, c->name);
    XDECREF(vm, c->qualname);
    XDECREF(vm, c->filename);
    XDECREF(vm, c->doc);
    obj_free(vm, self);
}

static Object *code_repr(Vm *vm, Object *self)
{
    CodeObject *c = (CodeObject *)self;
    return str_from_format(vm, "<code object %s at 0x%x, file \"%s\", line %d>",
                           c->name ? str_cstr(c->name) : "?", (unsigned)self->id,
                           c->filename ? str_cstr(c->filename) : "?", c->firstlineno);
}

/* The co_* attributes that lessons read (co_code, co_lnotab and friends are not
 * modelled). */
static Object *code_getattr(Vm *vm, Object *self, Object *name)
{
    CodeObject *c = (CodeObject *)self;
    const char *n = str_cstr(name);
    Object *o = NULL;
    if (!strcmp(n, "co_argcount")) return int_from_i64(vm, c->argcount);
    if (!strcmp(n, "co_posonlyargcount")) return int_from_i64(vm, c->posonlyargcount);
    if (!strcmp(n, "co_kwonlyargcount")) return int_from_i64(vm, c->kwonlyargcount);
    if (!strcmp(n, "co_nlocals")) return int_from_i64(vm, c->nlocals);
    if (!strcmp(n, "co_stacksize")) return int_from_i64(vm, c->stacksize);
    if (!strcmp(n, "co_flags")) return int_from_i64(vm, c->flags);
    if (!strcmp(n, "co_firstlineno")) return int_from_i64(vm, c->firstlineno);
    if (!strcmp(n, "co_varnames")) o = c->varnames;
    else if (!strcmp(n, "co_cellvars")) o = c->cellvars;
    else if (!strcmp(n, "co_freevars")) o = c->freevars;
    else if (!strcmp(n, "co_names")) o = c->names;
    else if (!strcmp(n, "co_consts")) o = c->consts;
    else if (!strcmp(n, "co_name")) o = c->name;
    else if (!strcmp(n, "co_qualname")) o = c->qualname ? c->qualname : c->name;
    else if (!strcmp(n, "co_filename")) o = c->filename;
    if (o) return NEWREF(o);
    return obj_generic_getattr(vm, self, name);
}

int code_line_at(const CodeObject *code, size_t index)
{
    if (!code->positions) return code->firstlineno;
    if (index >= code->ninstrs) index = code->ninstrs ? code->ninstrs - 1 : 0;
    for (size_t i = index + 1; i-- > 0;)
        if (code->positions[i].line > 0) return code->positions[i].line;
    return code->firstlineno;
}

const char *opcode_name(int op)
{
    return op >= 0 && op < OP_COUNT ? opcode_names[op] : "?";
}

bool opcode_has_jump(int op)
{
    switch (op) {
    case OP_JUMP: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: case OP_FOR_ITER:
    case OP_SETUP_FINALLY: case OP_SETUP_WITH: case OP_SEND:
        return true;
    default:
        return false;
    }
}

static int popcount_flags(int arg)
{
    return (arg & 1) + ((arg >> 1) & 1) + ((arg >> 3) & 1);
}

int opcode_stack_effect(int op, int arg, bool jump)
{
    switch (op) {
    case OP_SETUP_FINALLY: return jump ? 1 : 0;
    case OP_SETUP_WITH: return 0; /* handler: enter result gone, exception pushed */
    case OP_FOR_ITER: return jump ? -1 : 1;
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: return jump ? 0 : -1;
    case OP_SEND: return jump ? -1 : 0;
    case OP_LOAD_GLOBAL: return 1 + (arg & 1);
    case OP_BUILD_SLICE: return 1 - arg;
    case OP_BUILD_TUPLE: case OP_BUILD_LIST: case OP_BUILD_SET: case OP_BUILD_STRING:
        return 1 - arg;
    case OP_BUILD_MAP: return 1 - 2 * arg;
    case OP_UNPACK_SEQUENCE: return arg - 1;
    case OP_UNPACK_EX: return (arg & 0xFF) + (arg >> 8);
    case OP_FORMAT_VALUE: return (arg & 4) ? -1 : 0;
    case OP_CALL: return -arg - 1;
    case OP_CALL_FUNCTION_EX: return -2 - (arg & 1);
    case OP_MAKE_FUNCTION: return -popcount_flags(arg);
    case OP_RAISE_VARARGS: return -arg;
    default:
        return opcode_effects[op];
    }
}

void code_dump(Vm *vm, const CodeObject *code)
{
    printf("Disassembly of %s (%zu instructions, stack %d):\n",
           str_cstr(code->qualname ? code->qualname : code->name), code->ninstrs,
           code->stacksize);
    for (size_t i = 0; i < code->ninstrs; i++) {
        uint32_t w = code->instrs[i];
        CodePos p = code->positions[i];
        printf("%4d %5zu %-22s %u", p.line, i, opcode_name((int)INSTR_OP(w)),
               (unsigned)INSTR_ARG(w));
        int op = (int)INSTR_OP(w), arg = (int)INSTR_ARG(w);
        Object *tup = NULL;
        if (op == OP_LOAD_CONST || op == OP_KW_NAMES) tup = code->consts;
        else if (op == OP_LOAD_NAME || op == OP_STORE_NAME || op == OP_LOAD_ATTR ||
                 op == OP_STORE_ATTR || op == OP_LOAD_METHOD || op == OP_IMPORT_NAME ||
                 op == OP_IMPORT_FROM || op == OP_STORE_GLOBAL) tup = code->names;
        else if (op == OP_LOAD_GLOBAL) { tup = code->names; arg >>= 1; }
        else if (op == OP_LOAD_FAST || op == OP_STORE_FAST || op == OP_DELETE_FAST)
            tup = code->varnames;
        if (tup && (size_t)arg < TUPLE_SIZE(tup)) {
            Object *r = obj_repr(vm, TUPLE_ITEM(tup, arg));
            if (r) { printf("  (%s)", str_cstr(r)); DECREF(vm, r); }
            else err_clear(vm);
        }
        printf("\n");
    }
    for (size_t i = 0; i < TUPLE_SIZE(code->consts); i++) {
        Object *c = TUPLE_ITEM(code->consts, i);
        if (CODE_CHECK(c)) code_dump(vm, (const CodeObject *)c);
    }
}

Type CodeType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "code",
    .basicsize = sizeof(CodeObject),
    .modelled_size = 168,
    .dealloc = code_dealloc,
    .repr = code_repr,
    .getattr = code_getattr,
};
