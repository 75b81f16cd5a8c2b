/* code.h — code objects (code.c): the compiled form of a module, function, class body
 * or comprehension. Bytecode is an array of 32-bit instructions (opcode in the low 8
 * bits, argument in the high 24, see opcodes.def) with one source position per
 * instruction (line, end line, columns: CPython 3.11's co_positions).
 */
#ifndef PYFRAMES_CODE_H
#define PYFRAMES_CODE_H

#include "vm.h"

/* The opcodes, from opcodes.def. */
typedef enum {
#define OPCODE(name, effect) OP_##name,
#include "opcodes.def"
#undef OPCODE
    OP_COUNT
} Opcode;

/* Encoding of one instruction. */
#define INSTR(op, arg) ((uint32_t)(op) | ((uint32_t)(arg) << 8))
#define INSTR_OP(w) ((w) & 0xFFu)
#define INSTR_ARG(w) ((w) >> 8)
#define INSTR_ARG_MAX 0xFFFFFF

/* Code flags (CodeObject.flags), CPython's values. */
enum {
    CO_OPTIMIZED = 0x1,    /* locals are fast slots (functions, comprehensions) */
    CO_NEWLOCALS = 0x2,
    CO_VARARGS = 0x4,      /* has *args */
    CO_VARKEYWORDS = 0x8,  /* has **kwargs */
    CO_NESTED = 0x10,
    CO_GENERATOR = 0x20,   /* calling creates a generator */
    CO_NOFREE = 0x40
};

/* Maximum nesting of try/with blocks in one code object (CPython's CO_MAXBLOCKS). */
#define CODE_MAX_BLOCKS 20

/* The source span of one instruction: lines 1-based, columns 0-based UTF-8 byte
 * offsets; -1 when unknown (artificial instructions). */
typedef struct {
    int line, end_line, col, end_col;
} CodePos;

/* A code object. Locals-plus layout of a frame running it (frame.h):
 * [0, nlocals) the varnames (arguments first, in signature order: positional,
 * keyword-only, *args, **kwargs), [nlocals, +ncells) the cells of cellvars,
 * then [.., +nfrees) the cells of freevars (copied from the function's closure),
 * then the value stack of [stacksize] slots. */
typedef struct {
    Object ob;
    uint32_t *instrs;
    CodePos *positions;   /* one per instruction */
    size_t ninstrs;
    Object *consts;       /* tuple */
    Object *names;        /* tuple of interned str: attribute/global/name operands */
    Object *varnames;     /* tuple of interned str */
    Object *cellvars;     /* tuple of interned str */
    Object *freevars;     /* tuple of interned str */
    int *cell2arg;        /* per cellvar: the argument slot it starts from, or -1; NULL if none */
    int argcount;         /* positional parameters (including positional-only) */
    int posonlyargcount;
    int kwonlyargcount;
    int flags;            /* CO_* */
    int nlocals, ncells, nfrees;
    int nlocalsplus;      /* nlocals + ncells + nfrees */
    int stacksize;        /* maximum value stack depth */
    Object *name;         /* str: "f", "<module>", "<listcomp>", "<lambda>", class name */
    Object *qualname;     /* str: "A.f", "f.<locals>.g" */
    Object *filename;     /* str */
    Object *doc;          /* the docstring (str) or NULL */
    int firstlineno;
    uint32_t ev_epoch;    /* events.c: the run whose stream has this code's record */
} CodeObject;

#define CODE_CHECK(o) (TYPE(o) == &CodeType)

/* Creates an empty code object (every tuple empty, no instructions); the compiler
 * fills the fields. Returns a new reference. */
Object *code_new(Vm *vm);
/* Returns the source line of instruction [index] (or the nearest earlier known
 * line; firstlineno when none). */
int code_line_at(const CodeObject *code, size_t index);
/* Returns the name of [op] ("LOAD_FAST"). */
const char *opcode_name(int op);
/* The net stack effect of [op] with argument [arg]; [jump] selects the effect when
 * the branch is taken (for jumps and handlers). */
int opcode_stack_effect(int op, int arg, bool jump);
/* Returns true if [op] takes a jump target argument. */
bool opcode_has_jump(int op);
/* Writes a disassembly of [code] (and nested code constants) to stdout, for debugging. */
void code_dump(Vm *vm, const CodeObject *code);

#endif
