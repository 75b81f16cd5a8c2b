/* symtable.h — scopes of a module (symtable.c), computed before compiling as
 * CPython's symtable.c does: which names are local, global (explicit or implicit),
 * free (from an enclosing function) or cell (captured by an inner function), with
 * class scopes skipped by nested functions, comprehensions as nested functions, and
 * the implicit __class__ cell for zero-argument super().
 */
#ifndef PYFRAMES_SYMTABLE_H
#define PYFRAMES_SYMTABLE_H

#include "ast.h"

/* How a name is resolved in its scope. */
typedef enum {
    SC_LOCAL = 1,        /* a fast local (function) or a namespace name (module/class) */
    SC_GLOBAL_EXPLICIT,  /* declared global */
    SC_GLOBAL_IMPLICIT,  /* not bound anywhere enclosing: globals then builtins */
    SC_FREE,             /* bound in an enclosing function: a cell from the closure */
    SC_CELL              /* local, captured by an inner function: lives in a cell */
} SymScope;

/* Flags recorded while walking the tree (Symbol.flags). */
enum {
    DEF_LOCAL = 1,     /* assigned, imported, def/class name, for/with target */
    DEF_PARAM = 2,
    DEF_GLOBAL = 4,
    DEF_NONLOCAL = 8,
    DEF_USE = 16,
    DEF_FREE_CLASS = 32 /* class scope passes this free name through to its methods */
};

typedef enum { BLOCK_MODULE, BLOCK_FUNCTION, BLOCK_CLASS } BlockKind;

/* One name of a scope. */
typedef struct {
    const char *name;
    int flags;
    SymScope scope;
    AstPos decl_pos; /* the global/nonlocal statement declaring it (error positions) */
} Symbol;

/* A scope: module, function/lambda/comprehension, or class body. Symbols are kept in
 * order of first appearance (parameters first), which gives co_varnames its order. */
typedef struct Scope {
    BlockKind kind;
    const char *name;       /* "top", function/class name, "<lambda>", "<listcomp>", ... */
    const void *node;       /* the Stmt or Expr that opened it (lookup key) */
    struct Scope *parent;
    struct Scope **children;
    size_t nchildren, capchildren;
    Symbol *syms;
    size_t nsyms, capsyms;
    bool is_generator;
    bool is_comprehension;
    bool is_lambda;
    bool needs_class_closure; /* class scope: methods use __class__ (super()) */
    int lineno;
    /* The class whose name mangles __private names here: the class itself for a class
     * body, the enclosing class for the scopes inside it, NULL outside classes. */
    const char *private_name;
    char **owned;           /* mangled names made for this scope (freed with it) */
    size_t nowned, capowned;
} Scope;

/* The error found while building the table (msg empty when none). */
typedef struct {
    char msg[200];
    AstPos pos;
    bool too_deep; /* expressions nested past the limit: RecursionError, not SyntaxError */
} SymtableError;

/* Builds and resolves the scopes of [m]. Returns the module scope, or NULL with [err]
 * filled (SyntaxError text and position, or too_deep when expressions nest deeper than
 * [max_depth]: CPython's "maximum recursion depth exceeded during compilation"). */
Scope *symtable_build(const Module *m, int max_depth, SymtableError *err);
/* Frees a scope tree. */
void symtable_free(Scope *s);
/* Finds the child scope opened by [node]. */
Scope *symtable_child(const Scope *s, const void *node);
/* Returns the symbol named [name] in [s], or NULL. [name] is the name as written:
 * a __private name inside a class is looked up mangled (symtable_mangle). */
Symbol *symtable_lookup(const Scope *s, const char *name);
/* Returns [name] as CPython's _Py_Mangle gives it in scope [s]: "__x" inside class
 * "_Foo" becomes "_Foo__x" (not dunder names, dotted names, or in a class named only
 * with underscores). The result is [name] itself or a string owned by [s]; NULL only
 * when memory is exhausted. */
const char *symtable_mangle(Scope *s, const char *name);

#endif
