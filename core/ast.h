/* ast.h — the abstract syntax tree the parser (parser.c) builds and the compiler
 * reads. Plain C structs modelled on CPython 3.11's Python.asdl, allocated in one
 * Arena (ast.c) so that freeing a whole tree is one arena_free call. The frontend does
 * not depend on the object model: only the operator enums of object.h are shared.
 *
 * Invariants: every node carries lineno/end_lineno (1-based) and col_offset/
 * end_col_offset (0-based UTF-8 byte offsets), exactly as CPython's ast module gives
 * them. Identifiers are NUL-terminated arena strings. Lists are (items, count) pairs;
 * an empty list has count 0 and items possibly NULL.
 */
#ifndef PYFRAMES_AST_H
#define PYFRAMES_AST_H

#include <stddef.h>
#include <stdio.h>

#include "object.h" /* BINOP_*, UNOP_*, CMP_* only */

/* ---- The arena ---- */

/* A bump allocator owning every node, list and string of one parse. */
typedef struct Arena Arena;

/* Creates an empty arena (NULL only if malloc fails). */
Arena *arena_new(void);
/* Returns [size] zeroed bytes owned by [a], aligned for any C type; aborts never:
 * returns NULL only if malloc fails. */
void *arena_alloc(Arena *a, size_t size);
/* Copies [len] bytes of [s] into the arena and NUL-terminates the copy. */
char *arena_strndup(Arena *a, const char *s, size_t len);
/* Releases the arena and everything allocated in it. */
void arena_free(Arena *a);

typedef struct Expr Expr;
typedef struct Stmt Stmt;

/* A source span shared by every node: lines 1-based, columns 0-based UTF-8 bytes. */
typedef struct {
    int lineno, col_offset, end_lineno, end_col_offset;
} AstPos;

/* Growable lists (the parser grows them; the compiler only reads items[0..count)). */
typedef struct { Expr **items; size_t count, cap; } ExprList;
typedef struct { Stmt **items; size_t count, cap; } StmtList;
typedef struct { const char **items; size_t count, cap; } NameList;

/* Appends [e] to [l], growing it in [a]. Returns 0, or -1 if out of memory. */
int exprlist_push(Arena *a, ExprList *l, Expr *e);
/* Appends [s] to [l], growing it in [a]. Returns 0, or -1 if out of memory. */
int stmtlist_push(Arena *a, StmtList *l, Stmt *s);
/* Appends identifier [name] to [l], growing it in [a]. Returns 0, or -1 if out of memory. */
int namelist_push(Arena *a, NameList *l, const char *name);

/* ---- Operators ---- */

/* Load, store or delete: how a Name/Attribute/Subscript/Starred/List/Tuple is used. */
typedef enum { CTX_LOAD, CTX_STORE, CTX_DEL } ExprContext;

/* The operators of BoolOp. */
typedef enum { BOOLOP_AND, BOOLOP_OR } BoolOpKind;

/* Comparison operators of Compare: the first six equal object.h's CMP_* (so they can
 * go straight to richcompare); the last four are the identity/membership tests. */
typedef enum {
    CMPOP_LT = CMP_LT, CMPOP_LE = CMP_LE, CMPOP_EQ = CMP_EQ,
    CMPOP_NE = CMP_NE, CMPOP_GT = CMP_GT, CMPOP_GE = CMP_GE,
    CMPOP_IS = 6, CMPOP_IS_NOT, CMPOP_IN, CMPOP_NOT_IN
} CmpOpKind;

/* BinOp.op and AugAssign.op hold a BINOP_* value of object.h (BINOP_ADD ...
 * BINOP_XOR, never BINOP_INPLACE). UnaryOp.op holds a UNOP_* value of object.h
 * (UNOP_NEG for -x, UNOP_POS for +x, UNOP_INVERT for ~x, UNOP_NOT for not x). */

/* ---- Expressions ---- */

typedef enum {
    EXPR_BOOLOP,         /* a and b and c / a or b */
    EXPR_NAMEDEXPR,      /* target := value */
    EXPR_BINOP,          /* left op right */
    EXPR_UNARYOP,        /* op operand */
    EXPR_LAMBDA,         /* lambda args: body */
    EXPR_IFEXP,          /* body if test else orelse */
    EXPR_DICT,           /* {k: v, **m} */
    EXPR_SET,            /* {a, b} */
    EXPR_LISTCOMP,       /* [elt for ...] */
    EXPR_SETCOMP,        /* {elt for ...} */
    EXPR_DICTCOMP,       /* {key: value for ...} */
    EXPR_GENERATOREXP,   /* (elt for ...) */
    EXPR_AWAIT,          /* never produced (await is unsupported); kept for completeness */
    EXPR_YIELD,          /* yield [value] */
    EXPR_YIELDFROM,      /* yield from value */
    EXPR_COMPARE,        /* left op1 c1 op2 c2 ... */
    EXPR_CALL,           /* func(args, keywords) */
    EXPR_FORMATTEDVALUE, /* one {value!conv:spec} field of an f-string */
    EXPR_JOINEDSTR,      /* an f-string: Constant str and FormattedValue parts */
    EXPR_CONSTANT,       /* a literal */
    EXPR_ATTRIBUTE,      /* value.attr */
    EXPR_SUBSCRIPT,      /* value[slice] */
    EXPR_STARRED,        /* *value */
    EXPR_NAME,           /* id */
    EXPR_LIST,           /* [a, b] */
    EXPR_TUPLE,          /* a, b  or (a, b) */
    EXPR_SLICE           /* lower:upper:step inside a subscript */
} ExprKind;

/* The kinds of Constant. */
typedef enum {
    CONST_NONE, CONST_TRUE, CONST_FALSE, CONST_ELLIPSIS,
    CONST_INT,   /* [text] digits only (no prefix, no underscores, no sign), in [base] */
    CONST_FLOAT, /* [f] */
    CONST_STR,   /* [text]/[len]: decoded UTF-8 bytes (may contain NUL) */
    CONST_BYTES  /* [text]/[len]: raw bytes (the compiler may reject them) */
} ConstKind;

/* One `for target in iter if ifs...` clause of a comprehension (is_async always 0). */
typedef struct {
    Expr *target;
    Expr *iter;
    ExprList ifs;
    int is_async;
} Comprehension;

/* A keyword argument `arg=value`; [arg] is NULL for `**value`. */
typedef struct {
    const char *arg;
    Expr *value;
    AstPos pos;
} Keyword;

/* One parameter name with its optional annotation (annotations are parsed and kept,
 * but the compiler may ignore them). */
typedef struct {
    const char *arg;
    Expr *annotation;
    AstPos pos;
} Arg;

/* The parameter list of a def or lambda, as CPython's `arguments`:
 * posonlyargs / args: positional parameters (before / after `/`);
 * defaults: defaults of the LAST ndefaults of posonlyargs+args;
 * vararg: `*args` or NULL; kwonlyargs with kw_defaults (same count; NULL entry = no
 * default); kwarg: `**kw` or NULL. */
typedef struct {
    Arg **posonlyargs; size_t nposonlyargs;
    Arg **args; size_t nargs;
    Arg *vararg;
    Arg **kwonlyargs; size_t nkwonlyargs;
    Expr **kw_defaults; /* nkwonlyargs entries, NULL where there is no default */
    Arg *kwarg;
    Expr **defaults; size_t ndefaults;
} Arguments;

/* An expression node: [kind] selects the member of the union. */
struct Expr {
    ExprKind kind;
    AstPos pos;
    union {
        /* BoolOp: `values[0] op values[1] op ...` (at least two values). */
        struct { BoolOpKind op; ExprList values; } boolop;
        /* NamedExpr: `target := value` (target is a Name with CTX_STORE). */
        struct { Expr *target; Expr *value; } namedexpr;
        /* BinOp: `left op right`, op a BINOP_* value. */
        struct { Expr *left; int op; Expr *right; } binop;
        /* UnaryOp: `op operand`, op a UNOP_* value. */
        struct { int op; Expr *operand; } unaryop;
        /* Lambda: `lambda args: body`. */
        struct { Arguments *args; Expr *body; } lambda;
        /* IfExp: `body if test else orelse`. */
        struct { Expr *test; Expr *body; Expr *orelse; } ifexp;
        /* Dict: keys[i]: values[i]; keys[i] NULL means `**values[i]`. */
        struct { ExprList keys; ExprList values; } dict;
        /* Set display `{elts}` (never empty). */
        struct { ExprList elts; } set;
        /* ListComp / SetComp / GeneratorExp: `elt` over the generators, in order. */
        struct { Expr *elt; Comprehension **generators; size_t ngenerators; } comp;
        /* DictComp: `key: value` over the generators. */
        struct { Expr *key; Expr *value; Comprehension **generators; size_t ngenerators; } dictcomp;
        /* Await / Yield (value may be NULL) / YieldFrom. */
        struct { Expr *value; } yield;
        /* Compare: `left ops[0] comparators[0] ops[1] comparators[1] ...`. */
        struct { Expr *left; CmpOpKind *ops; ExprList comparators; } compare;
        /* Call: `func(args..., keywords...)`; args may contain Starred. */
        struct { Expr *func; ExprList args; Keyword **keywords; size_t nkeywords; } call;
        /* FormattedValue: conversion is -1 (none), 's', 'r' or 'a'; format_spec is
         * NULL or a JoinedStr. */
        struct { Expr *value; int conversion; Expr *format_spec; } formatted;
        /* JoinedStr: values are Constant(str) and FormattedValue nodes, in order. */
        struct { ExprList values; } joinedstr;
        /* Constant: see ConstKind; text is NUL-terminated (len excludes the NUL). */
        struct { ConstKind kind; const char *text; size_t len; int base; double f; } constant;
        /* Attribute: `value.attr`. */
        struct { Expr *value; const char *attr; ExprContext ctx; } attribute;
        /* Subscript: `value[slice]` (slice may be a Slice, a Tuple of them, or any expr). */
        struct { Expr *value; Expr *slice; ExprContext ctx; } subscript;
        /* Starred: `*value` (in calls, displays and assignment targets). */
        struct { Expr *value; ExprContext ctx; } starred;
        /* Name: an identifier. */
        struct { const char *id; ExprContext ctx; } name;
        /* List / Tuple display or target. */
        struct { ExprList elts; ExprContext ctx; } seq;
        /* Slice: `lower:upper:step`, each part may be NULL. */
        struct { Expr *lower; Expr *upper; Expr *step; } slice;
    } v;
};

/* ---- Statements ---- */

typedef enum {
    STMT_FUNCTIONDEF, /* def name(args) -> returns: body, with decorators */
    STMT_CLASSDEF,    /* class name(bases, keywords): body, with decorators */
    STMT_RETURN,      /* return [value] */
    STMT_DELETE,      /* del targets */
    STMT_ASSIGN,      /* t1 = t2 = value */
    STMT_AUGASSIGN,   /* target op= value */
    STMT_ANNASSIGN,   /* target: annotation [= value] */
    STMT_FOR,         /* for target in iter: body else: orelse */
    STMT_WHILE,       /* while test: body else: orelse */
    STMT_IF,          /* if test: body else: orelse (elif = nested If in orelse) */
    STMT_WITH,        /* with items: body */
    STMT_RAISE,       /* raise [exc [from cause]] */
    STMT_TRY,         /* try/except/else/finally */
    STMT_ASSERT,      /* assert test [, msg] */
    STMT_IMPORT,      /* import a.b as c, d */
    STMT_IMPORTFROM,  /* from .module import names */
    STMT_GLOBAL,      /* global names */
    STMT_NONLOCAL,    /* nonlocal names */
    STMT_EXPR,        /* an expression statement (docstrings included) */
    STMT_PASS, STMT_BREAK, STMT_CONTINUE
} StmtKind;

/* One `except [type [as name]]: body` clause. */
typedef struct {
    Expr *type;       /* NULL for a bare except */
    const char *name; /* NULL unless `as name` */
    StmtList body;
    AstPos pos;
} ExceptHandler;

/* One `context_expr [as optional_vars]` item of a with statement. */
typedef struct {
    Expr *context_expr;
    Expr *optional_vars; /* a store target or NULL */
} WithItem;

/* One `name [as asname]` of an import; name may be dotted ("a.b") or "*". */
typedef struct {
    const char *name;
    const char *asname; /* NULL without `as` */
    AstPos pos;
} Alias;

/* A statement node: [kind] selects the member of the union. */
struct Stmt {
    StmtKind kind;
    AstPos pos;
    union {
        /* FunctionDef: returns is the annotation or NULL; decorators apply bottom-up. */
        struct {
            const char *name; Arguments *args; StmtList body;
            ExprList decorator_list; Expr *returns;
        } funcdef;
        /* ClassDef: bases may contain Starred; keywords as in Call. */
        struct {
            const char *name; ExprList bases; Keyword **keywords; size_t nkeywords;
            StmtList body; ExprList decorator_list;
        } classdef;
        /* Return (value may be NULL). */
        struct { Expr *value; } ret;
        /* Delete: targets have CTX_DEL. */
        struct { ExprList targets; } del;
        /* Assign: every target gets value, left to right. */
        struct { ExprList targets; Expr *value; } assign;
        /* AugAssign: op a BINOP_* value (the compiler adds BINOP_INPLACE). */
        struct { Expr *target; int op; Expr *value; } augassign;
        /* AnnAssign: simple is 1 for a bare (unparenthesised) Name target; value may be NULL. */
        struct { Expr *target; Expr *annotation; Expr *value; int simple; } annassign;
        /* For: `for target in iter: body else: orelse`. */
        struct { Expr *target; Expr *iter; StmtList body; StmtList orelse; } for_;
        /* While: `while test: body else: orelse`. */
        struct { Expr *test; StmtList body; StmtList orelse; } while_;
        /* If: elif chains are an If alone in orelse. */
        struct { Expr *test; StmtList body; StmtList orelse; } if_;
        /* With: items entered left to right. */
        struct { WithItem *items; size_t nitems; StmtList body; } with;
        /* Raise: exc and cause may be NULL. */
        struct { Expr *exc; Expr *cause; } raise;
        /* Try: handlers in order; orelse runs if no exception; finalbody always. */
        struct {
            StmtList body; ExceptHandler **handlers; size_t nhandlers;
            StmtList orelse; StmtList finalbody;
        } try_;
        /* Assert: msg may be NULL. */
        struct { Expr *test; Expr *msg; } assert_;
        /* Import / ImportFrom: module is NULL for `from . import x`; level counts dots. */
        struct { const char *module; Alias *names; size_t nnames; int level; } import;
        /* Global / Nonlocal. */
        struct { NameList names; } global;
        /* Expr statement. */
        struct { Expr *value; } expr;
    } v;
};

/* A whole file: its statements in order. */
typedef struct {
    StmtList body;
} Module;

/* Prints [m] in the shape of CPython's ast.dump(..., include_attributes=True), for
 * debugging and for comparing against CPython. */
void ast_dump(FILE *out, const Module *m);
/* Prints one expression the same way. */
void ast_dump_expr(FILE *out, const Expr *e);

#endif
