/* compiler.c — compiles the AST to code objects, one compilation unit per scope
 * (module, function, lambda, class body, comprehension), in the shapes CPython 3.11
 * emits: handler blocks for try/with (SETUP_FINALLY ... POP_BLOCK), finally bodies
 * copied onto the normal and exceptional paths, comprehensions as nested functions
 * called with the outermost iterator, and a position (line, end line, columns) for
 * every instruction. Jumps use labels patched at the end; the maximum stack depth is
 * found by a flow pass over the finished instructions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "code.h"
#include "compiler.h"
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "int.h"
#include "list.h"
#include "set.h"
#include "str.h"
#include "symtable.h"
#include "tuple.h"

/* The kinds of compile-time blocks (CPython's fblocktype). */
typedef enum {
    FB_WHILE_LOOP, FB_FOR_LOOP, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END,
    FB_WITH, FB_HANDLER_CLEANUP, FB_EXCEPTION_HANDLER,
    FB_POP_VALUE  /* a value saved on the stack (the return value while finally runs) */
} FBlockKind;

typedef struct {
    FBlockKind kind;
    int start, exit;            /* loop labels */
    const StmtList *finalbody;  /* FINALLY_TRY */
    const char *name;           /* HANDLER_CLEANUP: `as` name or NULL */
} FBlock;

typedef struct Unit {
    struct Unit *parent;
    Scope *scope;
    uint32_t *instrs;
    CodePos *pos;
    bool *is_jump;
    size_t n, cap;
    int *labels;
    size_t nlabels, caplabels;
    Object *consts;   /* list */
    Object *names;    /* list of interned str */
    Object *varnames; /* list */
    Object *cellvars; /* list */
    Object *freevars; /* list */
    FBlock fblocks[CODE_MAX_BLOCKS];
    int nfblocks;
    CodePos cur;
    Object *qualname;
    int argcount, posonly, kwonly, flags, firstlineno;
} Unit;

typedef struct {
    Vm *vm;
    Unit *u;
    const char *source;
    const char *filename;
    Object *filename_obj;
    bool failed;
} Compiler;

#define FAIL(c) do { (c)->failed = true; return; } while (0)

/* ---- Syntax errors ---- */

/* Returns the text of line [lineno] of [src] (without newline) in [start] and [len]. */
static bool source_line(const char *src, int lineno, const char **start, size_t *len)
{
    if (!src || lineno < 1) return false;
    const char *p = src;
    for (int l = 1; l < lineno; l++) {
        p = strchr(p, '\n');
        if (!p) return false;
        p++;
    }
    const char *e = strchr(p, '\n');
    *start = p;
    *len = e ? (size_t)(e - p) : strlen(p);
    return true;
}

/* Converts a 0-based byte column of a line into a 1-based character offset. */
static int char_offset(const char *line, size_t len, int col)
{
    int chars = 0;
    for (size_t i = 0; i < len && (int)i < col; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80) chars++;
    return chars + 1;
}

void compiler_syntax_error(Vm *vm, Type *type, const char *msg, const char *filename,
                           int lineno, int offset, int end_lineno, int end_offset)
{
    Object *exc = exc_new_msg(vm, type, msg);
    if (!exc) return;
    ExceptionObject *e = (ExceptionObject *)exc;
    const char *line;
    size_t len;
    Object *text = NULL;
    if (source_line(vm->source, lineno, &line, &len)) {
        char *buf = malloc(len + 2);
        if (buf) {
            memcpy(buf, line, len);
            buf[len] = '\n';
            buf[len + 1] = 0;
            text = str_from_utf8(vm, buf, len + 1);
            free(buf);
        }
    }
    e->msg = str_from_cstr(vm, msg);
    e->filename = str_from_cstr(vm, filename);
    e->lineno = int_from_i64(vm, lineno);
    e->offset = offset > 0 ? int_from_i64(vm, offset) : NEWREF(vm->none);
    e->text = text ? text : NEWREF(vm->none);
    e->end_lineno = end_lineno > 0 ? int_from_i64(vm, end_lineno) : NEWREF(vm->none);
    e->end_offset = end_offset > 0 ? int_from_i64(vm, end_offset) : NEWREF(vm->none);
    Object *details = tuple_pack(vm, 6, e->filename, e->lineno, e->offset, e->text,
                                 e->end_lineno, e->end_offset);
    if (details) {
        Object *args = tuple_pack(vm, 2, e->msg, details);
        if (args) SETREF(vm, e->args, args);
        DECREF(vm, details);
    }
    err_set_object(vm, exc);
    DECREF(vm, exc);
}

/* Reports a SyntaxError at the span [pos] (0-based byte columns). */
static void error_at(Compiler *c, AstPos pos, const char *msg)
{
    if (c->failed && c->vm->exc) return;
    c->failed = true;
    const char *line;
    size_t len;
    int off = pos.col_offset + 1, end_off = pos.end_col_offset + 1;
    if (source_line(c->source, pos.lineno, &line, &len)) off = char_offset(line, len, pos.col_offset);
    if (source_line(c->source, pos.end_lineno, &line, &len))
        end_off = char_offset(line, len, pos.end_col_offset);
    compiler_syntax_error(c->vm, &SyntaxErrorType, msg, c->filename, pos.lineno, off,
                          pos.end_lineno, end_off);
}

/* ---- Emitting ---- */

static int emit(Compiler *c, int op, int arg)
{
    Unit *u = c->u;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 64;
        u->instrs = realloc(u->instrs, u->cap * sizeof(uint32_t));
        u->pos = realloc(u->pos, u->cap * sizeof(CodePos));
        u->is_jump = realloc(u->is_jump, u->cap * sizeof(bool));
        if (!u->instrs || !u->pos || !u->is_jump) { c->failed = true; err_no_memory(c->vm); return -1; }
    }
    if (arg < 0 || arg > INSTR_ARG_MAX) { c->failed = true; err_unsupported(c->vm, "code this large"); return -1; }
    u->instrs[u->n] = INSTR(op, arg);
    u->pos[u->n] = u->cur;
    u->is_jump[u->n] = false;
    return (int)u->n++;
}

static int new_label(Compiler *c)
{
    Unit *u = c->u;
    if (u->nlabels == u->caplabels) {
        u->caplabels = u->caplabels ? u->caplabels * 2 : 16;
        u->labels = realloc(u->labels, u->caplabels * sizeof(int));
    }
    u->labels[u->nlabels] = -1;
    return (int)u->nlabels++;
}

static void use_label(Compiler *c, int label)
{
    c->u->labels[label] = (int)c->u->n;
}

static void emit_jump(Compiler *c, int op, int label)
{
    int i = emit(c, op, label);
    if (i >= 0) c->u->is_jump[i] = true;
}

/* Adds [o] (stolen) to the list [l] unless an equal constant of the same type is
 * there; returns its index. */
static int add_const_obj(Compiler *c, Object *o)
{
    if (!o) { c->failed = true; return 0; }
    ListObject *l = (ListObject *)c->u->consts;
    for (size_t i = 0; i < l->size; i++) {
        Object *x = l->items[i];
        if (x == o) { DECREF(c->vm, o); return (int)i; }
        if (TYPE(x) != TYPE(o) || CODE_CHECK(o)) continue;
        if (TYPE(o) == &FloatType || TYPE(o) == &TupleType) continue;
        int eq = obj_richcompare_bool(c->vm, x, o, CMP_EQ);
        if (eq < 0) err_clear(c->vm);
        if (eq == 1) { DECREF(c->vm, o); return (int)i; }
    }
    int r = list_append(c->vm, c->u->consts, o);
    DECREF(c->vm, o);
    if (r < 0) c->failed = true;
    return (int)l->size - 1;
}

static void load_const(Compiler *c, Object *o)
{
    emit(c, OP_LOAD_CONST, add_const_obj(c, o));
}

static int list_index_str(Compiler *c, Object *list, const char *name, bool add)
{
    ListObject *l = (ListObject *)list;
    for (size_t i = 0; i < l->size; i++)
        if (str_eq_cstr(l->items[i], name)) return (int)i;
    if (!add) return -1;
    Object *s = str_intern_cstr(c->vm, name);
    if (!s || list_append(c->vm, list, s) < 0) { c->failed = true; XDECREF(c->vm, s); return 0; }
    DECREF(c->vm, s);
    return (int)l->size - 1;
}

static int name_index(Compiler *c, const char *name)
{
    return list_index_str(c, c->u->names, name, true);
}

/* ---- Units ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Fills a list with the names of [s] whose scope matches, sorted (CPython sorts
 * cellvars and freevars). */
static void collect_sorted(Compiler *c, Scope *s, Object *list, SymScope which, bool free_class)
{
    const char **names = malloc((s->nsyms + 1) * sizeof(char *));
    size_t n = 0;
    for (size_t i = 0; i < s->nsyms; i++) {
        Symbol *sym = &s->syms[i];
        if (sym->scope == which || (free_class && (sym->flags & DEF_FREE_CLASS)))
            names[n++] = sym->name;
    }
    if (which == SC_CELL && s->needs_class_closure) names[n++] = "__class__";
    qsort(names, n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < n; i++) list_index_str(c, list, names[i], true);
    free(names);
}

static Unit *unit_new(Compiler *c, Scope *s, Object *qualname, int firstlineno)
{
    Unit *u = calloc(1, sizeof(Unit));
    if (!u) { c->failed = true; return NULL; }
    u->parent = c->u;
    u->scope = s;
    u->consts = list_new(c->vm, 0);
    u->names = list_new(c->vm, 0);
    u->varnames = list_new(c->vm, 0);
    u->cellvars = list_new(c->vm, 0);
    u->freevars = list_new(c->vm, 0);
    u->qualname = qualname;
    u->firstlineno = firstlineno;
    u->cur = (CodePos){firstlineno, firstlineno, -1, -1};
    c->u = u;
    if (!u->consts || !u->names || !u->varnames || !u->cellvars || !u->freevars) c->failed = true;
    return u;
}

static const char *mangle(Compiler *c, const char *name);

/* Adds parameter [arg] (mangled inside a class) to varnames. */
static void add_param(Compiler *c, const Arg *arg)
{
    list_index_str(c, c->u->varnames, mangle(c, arg->arg), true);
}

/* Adds the parameters (in signature order) then the other locals to varnames. */
static void unit_add_varnames(Compiler *c, const Arguments *a)
{
    Unit *u = c->u;
    if (a) {
        for (size_t i = 0; i < a->nposonlyargs; i++) add_param(c, a->posonlyargs[i]);
        for (size_t i = 0; i < a->nargs; i++) add_param(c, a->args[i]);
        for (size_t i = 0; i < a->nkwonlyargs; i++) add_param(c, a->kwonlyargs[i]);
        if (a->vararg) add_param(c, a->vararg);
        if (a->kwarg) add_param(c, a->kwarg);
        u->posonly = (int)a->nposonlyargs;
        u->argcount = (int)(a->nposonlyargs + a->nargs);
        u->kwonly = (int)a->nkwonlyargs;
        if (a->vararg) u->flags |= CO_VARARGS;
        if (a->kwarg) u->flags |= CO_VARKEYWORDS;
    }
    if (u->scope->kind == BLOCK_FUNCTION) {
        for (size_t i = 0; i < u->scope->nsyms; i++) {
            Symbol *sym = &u->scope->syms[i];
            if (sym->scope == SC_LOCAL || (sym->scope == SC_CELL && (sym->flags & DEF_PARAM)))
                list_index_str(c, u->varnames, sym->name, true);
        }
    }
    collect_sorted(c, u->scope, u->cellvars, SC_CELL, false);
    collect_sorted(c, u->scope, u->freevars, SC_FREE, u->scope->kind == BLOCK_CLASS);
}

static Object *list_to_tuple(Vm *vm, Object *l)
{
    return tuple_from_array(vm, ((ListObject *)l)->items, ((ListObject *)l)->size);
}

/* Computes the maximum value stack depth by a worklist walk of the control-flow
 * graph: each instruction index is queued at most once at a time ([queued]), so the
 * worklist never holds more than n entries; an index is re-queued only when a path
 * reaches it deeper than before. */
static int compute_stacksize(Compiler *c, Unit *u)
{
    size_t n = u->n;
    int *depth = malloc((n + 1) * sizeof(int));
    int *work = malloc((n + 1) * sizeof(int));
    char *queued = calloc(n + 1, 1);
    if (!depth || !work || !queued) {
        free(depth); free(work); free(queued);
        err_no_memory(c->vm);
        return -1;
    }
    for (size_t i = 0; i <= n; i++) depth[i] = -1;
    /* In consistent code every depth is reached by an acyclic path, so it is at most
     * the sum of all positive effects; beyond that a loop grows the stack (a compiler
     * bug): stop rather than spin. */
    long bound = 1;
    for (size_t i = 0; i < n; i++) {
        int op = (int)INSTR_OP(u->instrs[i]), arg = (int)INSTR_ARG(u->instrs[i]);
        int e1 = opcode_stack_effect(op, arg, false), e2 = opcode_stack_effect(op, arg, true);
        bound += (e1 > 0 ? e1 : 0) + (e2 > 0 ? e2 : 0);
    }
    int nwork = 0, maxd = 0;
    depth[0] = 0;
    work[nwork++] = 0;
    queued[0] = 1;
    while (nwork > 0) {
        int i = work[--nwork];
        queued[i] = 0;
        int d = depth[i];
        for (;;) {
            if ((size_t)i >= n) break;
            int op = (int)INSTR_OP(u->instrs[i]), arg = (int)INSTR_ARG(u->instrs[i]);
            if (opcode_has_jump(op) && (size_t)arg <= n) {
                int jd = d + opcode_stack_effect(op, arg, true);
                if (jd > maxd) maxd = jd;
                if (depth[arg] < jd) {
                    depth[arg] = jd;
                    if (!queued[arg]) { queued[arg] = 1; work[nwork++] = arg; }
                }
            }
            int nd = d + opcode_stack_effect(op, arg, false);
            if (nd > maxd) maxd = nd;
            if (maxd > bound) { nwork = 0; maxd = -2; break; }
            if (op == OP_JUMP || op == OP_RETURN_VALUE || op == OP_RERAISE ||
                op == OP_RAISE_VARARGS)
                break;
            i++;
            if (depth[i] >= nd) break;
            depth[i] = nd;
            d = nd;
        }
    }
    free(depth);
    free(work);
    free(queued);
    if (maxd < 0)
        err_format(c->vm, &RuntimeErrorType, "pyframes: inconsistent stack depth in compiled code");
    return maxd + 1;
}

static void unit_free(Compiler *c, Unit *u)
{
    Vm *vm = c->vm;
    free(u->instrs);
    free(u->pos);
    free(u->is_jump);
    free(u->labels);
    XDECREF(vm, u->consts);
    XDECREF(vm, u->names);
    XDECREF(vm, u->varnames);
    XDECREF(vm, u->cellvars);
    XDECREF(vm, u->freevars);
    XDECREF(vm, u->qualname);
    c->u = u->parent;
    free(u);
}

/* Finishes the current unit into a code object and pops it. */
static Object *unit_finish(Compiler *c, const char *name, Object *doc)
{
    Unit *u = c->u;
    Vm *vm = c->vm;
    if (c->failed) { unit_free(c, u); return NULL; }
    for (size_t i = 0; i < u->n; i++)
        if (u->is_jump[i]) {
            int target = u->labels[INSTR_ARG(u->instrs[i])];
            u->instrs[i] = INSTR(INSTR_OP(u->instrs[i]), target);
        }
    int stacksize = compute_stacksize(c, u);
    CodeObject *co = (CodeObject *)code_new(vm);
    if (!co) { unit_free(c, u); return NULL; }
    co->instrs = u->instrs;
    co->positions = u->pos;
    co->ninstrs = u->n;
    u->instrs = NULL;
    u->pos = NULL;
    SETREF(vm, co->consts, list_to_tuple(vm, u->consts));
    SETREF(vm, co->names, list_to_tuple(vm, u->names));
    SETREF(vm, co->varnames, list_to_tuple(vm, u->varnames));
    SETREF(vm, co->cellvars, list_to_tuple(vm, u->cellvars));
    SETREF(vm, co->freevars, list_to_tuple(vm, u->freevars));
    co->argcount = u->argcount;
    co->posonlyargcount = u->posonly;
    co->kwonlyargcount = u->kwonly;
    co->nlocals = (int)((ListObject *)u->varnames)->size;
    co->ncells = (int)((ListObject *)u->cellvars)->size;
    co->nfrees = (int)((ListObject *)u->freevars)->size;
    co->nlocalsplus = co->nlocals + co->ncells + co->nfrees;
    co->flags = u->flags;
    if (u->scope->kind == BLOCK_FUNCTION) co->flags |= CO_OPTIMIZED | CO_NEWLOCALS;
    if (u->scope->is_generator) co->flags |= CO_GENERATOR;
    if (!co->nfrees && !co->ncells) co->flags |= CO_NOFREE;
    if (co->ncells) {
        co->cell2arg = malloc((size_t)co->ncells * sizeof(int));
        int nargs = co->argcount + co->kwonlyargcount + ((co->flags & CO_VARARGS) ? 1 : 0) +
                    ((co->flags & CO_VARKEYWORDS) ? 1 : 0);
        bool any = false;
        for (int i = 0; i < co->ncells; i++) {
            co->cell2arg[i] = -1;
            for (int j = 0; j < nargs; j++)
                if (str_equal(TUPLE_ITEM(co->cellvars, i), TUPLE_ITEM(co->varnames, j))) {
                    co->cell2arg[i] = j;
                    any = true;
                }
        }
        if (!any) { free(co->cell2arg); co->cell2arg = NULL; }
    }
    co->stacksize = stacksize;
    co->name = str_intern_cstr(vm, name);
    co->qualname = u->qualname ? NEWREF(u->qualname) : NEWREF(co->name);
    co->filename = NEWREF(c->filename_obj);
    co->doc = doc;
    co->firstlineno = u->firstlineno;
    bool bad = !co->consts || !co->names || !co->varnames || !co->name || co->stacksize < 0;
    unit_free(c, u);
    if (bad) { DECREF(vm, (Object *)co); c->failed = true; return NULL; }
    return (Object *)co;
}

/* ---- Names ---- */

static Symbol *lookup(Compiler *c, const char *name)
{
    return symtable_lookup(c->u->scope, name);
}

static int deref_index(Compiler *c, const char *name)
{
    int i = list_index_str(c, c->u->cellvars, name, false);
    if (i >= 0) return i;
    i = list_index_str(c, c->u->freevars, name, false);
    if (i >= 0) return (int)((ListObject *)c->u->cellvars)->size + i;
    return -1;
}

/* Returns [name] mangled for the current class ("__x" in class A: "_A__x"). */
static const char *mangle(Compiler *c, const char *name)
{
    const char *m = symtable_mangle(c->u->scope, name);
    if (!m) {
        err_no_memory(c->vm);
        c->failed = true;
        return name;
    }
    return m;
}

static void nameop(Compiler *c, const char *name, ExprContext ctx)
{
    name = mangle(c, name);
    Symbol *sym = lookup(c, name);
    Scope *s = c->u->scope;
    SymScope sc = sym ? sym->scope : SC_GLOBAL_IMPLICIT;
    if (s->kind == BLOCK_CLASS && sym && sym->scope == SC_FREE && ctx == CTX_LOAD) {
        emit(c, OP_LOAD_CLASSDEREF, deref_index(c, name));
        return;
    }
    if (sc == SC_FREE || sc == SC_CELL) {
        if (s->kind == BLOCK_CLASS && sc == SC_CELL) sc = SC_LOCAL; /* __class__ cell itself */
        else {
            int op = ctx == CTX_LOAD ? OP_LOAD_DEREF : ctx == CTX_STORE ? OP_STORE_DEREF
                                                                        : OP_DELETE_DEREF;
            emit(c, op, deref_index(c, name));
            return;
        }
    }
    if (sc == SC_LOCAL && s->kind == BLOCK_FUNCTION) {
        int op = ctx == CTX_LOAD ? OP_LOAD_FAST : ctx == CTX_STORE ? OP_STORE_FAST
                                                                   : OP_DELETE_FAST;
        emit(c, op, list_index_str(c, c->u->varnames, name, true));
        return;
    }
    if (sc == SC_GLOBAL_EXPLICIT || (sc == SC_GLOBAL_IMPLICIT && s->kind == BLOCK_FUNCTION)) {
        int idx = name_index(c, name);
        if (ctx == CTX_LOAD) emit(c, OP_LOAD_GLOBAL, idx << 1);
        else emit(c, ctx == CTX_STORE ? OP_STORE_GLOBAL : OP_DELETE_GLOBAL, idx);
        return;
    }
    int op = ctx == CTX_LOAD ? OP_LOAD_NAME : ctx == CTX_STORE ? OP_STORE_NAME : OP_DELETE_NAME;
    emit(c, op, name_index(c, name));
}

static void store_name(Compiler *c, const char *name)
{
    nameop(c, name, CTX_STORE);
}

/* ---- Expressions ---- */

static void visit_expr(Compiler *c, const Expr *e);
static void visit_stmts(Compiler *c, const StmtList *l);
static void visit_stmt(Compiler *c, const Stmt *s);

static CodePos pos_of(AstPos p)
{
    return (CodePos){p.lineno, p.end_lineno, p.col_offset, p.end_col_offset};
}

static bool all_name_chars(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return false;
    }
    return true;
}

/* Returns the constant's object (new reference), or NULL. */
static Object *constant_object(Compiler *c, const Expr *e)
{
    Vm *vm = c->vm;
    switch (e->v.constant.kind) {
    case CONST_NONE: return NEWREF(vm->none);
    case CONST_TRUE: return NEWREF(vm->true_);
    case CONST_FALSE: return NEWREF(vm->false_);
    case CONST_ELLIPSIS: return NEWREF(vm->ellipsis);
    case CONST_INT:
        return int_from_str(vm, e->v.constant.text, e->v.constant.len, e->v.constant.base);
    case CONST_FLOAT: return float_from_double(vm, e->v.constant.f);
    case CONST_STR: {
        Object *s = str_from_utf8(vm, e->v.constant.text, e->v.constant.len);
        if (s && all_name_chars(e->v.constant.text, e->v.constant.len)) s = str_intern(vm, s);
        return s;
    }
    case CONST_BYTES:
        err_unsupported(vm, "bytes literals");
        return NULL;
    }
    return NULL;
}

static Object *fold_const(Compiler *c, const Expr *e);

/* True if [e] is a numeric literal, possibly under unary -, + or ~ (never ~ of a
 * float, a TypeError at run time); sets *[is_float]. */
static bool foldable_number(const Expr *e, bool *is_float)
{
    if (e->kind == EXPR_CONSTANT) {
        int k = e->v.constant.kind;
        *is_float = k == CONST_FLOAT;
        return k == CONST_INT || k == CONST_TRUE || k == CONST_FALSE || k == CONST_FLOAT;
    }
    if (e->kind != EXPR_UNARYOP || e->v.unaryop.op == UNOP_NOT) return false;
    if (!foldable_number(e->v.unaryop.operand, is_float)) return false;
    return !(*is_float && e->v.unaryop.op == UNOP_INVERT);
}

/* True if [e] folds to a constant as CPython 3.11's AST optimizer folds it: a literal
 * (not bytes), a unary -, + or ~ of a number, or a tuple of those. */
static bool is_foldable(const Expr *e)
{
    bool is_float;
    switch (e->kind) {
    case EXPR_CONSTANT: return e->v.constant.kind != CONST_BYTES;
    case EXPR_UNARYOP: return foldable_number(e, &is_float);
    case EXPR_TUPLE:
        if (e->v.seq.ctx != CTX_LOAD) return false;
        for (size_t i = 0; i < e->v.seq.elts.count; i++)
            if (!is_foldable(e->v.seq.elts.items[i])) return false;
        return true;
    default:
        return false;
    }
}

/* Builds the tuple of the folded constants [elts] (all is_foldable). */
static Object *fold_items(Compiler *c, const ExprList *elts)
{
    size_t n = elts->count;
    Object *t = tuple_new(c->vm, n);
    if (!t) { c->failed = true; return NULL; }
    for (size_t i = 0; i < n; i++) {
        Object *item = fold_const(c, elts->items[i]);
        if (!item) {
            for (size_t j = 0; j < i; j++) DECREF(c->vm, ((TupleObject *)t)->items[j]);
            for (size_t j = 0; j < n; j++) ((TupleObject *)t)->items[j] = NULL;
            DECREF(c->vm, t);
            c->failed = true;
            return NULL;
        }
        ((TupleObject *)t)->items[i] = item;
    }
    return t;
}

/* Returns the constant [e] folds to (is_foldable(e) must hold); NULL with c->failed
 * on error. */
static Object *fold_const(Compiler *c, const Expr *e)
{
    if (e->kind == EXPR_CONSTANT) {
        Object *o = constant_object(c, e);
        if (!o) c->failed = true;
        return o;
    }
    if (e->kind == EXPR_TUPLE) return fold_items(c, &e->v.seq.elts);
    Object *x = fold_const(c, e->v.unaryop.operand);
    if (!x) return NULL;
    Object *r = obj_unop(c->vm, x, e->v.unaryop.op);
    DECREF(c->vm, x);
    if (!r) c->failed = true;
    return r;
}

/* A tuple display of constants folds into one constant (as CPython's optimizer). */
static Object *fold_tuple(Compiler *c, const Expr *e)
{
    if (!is_foldable(e)) return NULL;
    return fold_const(c, e);
}

/* Returns the frozenset constant of a set display's folded items [t] (stolen), built
 * as CPython 3.11 builds it: frozenset(t), then, when the compiler merges constants,
 * a new frozenset from the first one's iteration order — which fixes the order the
 * set display then shows. */
static Object *frozenset_constant(Compiler *c, Object *t)
{
    Vm *vm = c->vm;
    Object *first = set_from_iterable(vm, t, true);
    DECREF(vm, t);
    if (!first) { c->failed = true; return NULL; }
    Object *items = tuple_new(vm, set_size(first));
    if (!items) { DECREF(vm, first); c->failed = true; return NULL; }
    size_t pos = 0, i = 0;
    Object *key;
    while (set_next(first, &pos, &key)) TUPLE_ITEM(items, i++) = NEWREF(key);
    DECREF(vm, first);
    Object *fs = set_from_iterable(vm, items, true);
    DECREF(vm, items);
    if (!fs) c->failed = true;
    return fs;
}

static bool has_starred(const ExprList *l)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i]->kind == EXPR_STARRED) return true;
    return false;
}

/* Builds a list/tuple/set display, with starred items through extend/update. */
static void visit_sequence(Compiler *c, const ExprList *elts, int kind)
{
    size_t n = elts->count;
    if (kind != EXPR_TUPLE && n > 2 && !has_starred(elts)) {
        /* CPython 3.11: [1, 2, 3] is BUILD_LIST 0 + the constant tuple + LIST_EXTEND;
         * {1, 2, 3} is BUILD_SET 0 + a frozenset constant + SET_UPDATE. */
        bool all_const = true;
        for (size_t i = 0; i < n && all_const; i++) all_const = is_foldable(elts->items[i]);
        if (all_const) {
            Object *t = fold_items(c, elts);
            if (!t) return;
            if (kind == EXPR_SET && !(t = frozenset_constant(c, t))) return;
            emit(c, kind == EXPR_SET ? OP_BUILD_SET : OP_BUILD_LIST, 0);
            load_const(c, t);
            emit(c, kind == EXPR_SET ? OP_SET_UPDATE : OP_LIST_EXTEND, 1);
            return;
        }
    }
    if (!has_starred(elts)) {
        for (size_t i = 0; i < n; i++) visit_expr(c, elts->items[i]);
        emit(c, kind == EXPR_SET ? OP_BUILD_SET : kind == EXPR_LIST ? OP_BUILD_LIST : OP_BUILD_TUPLE,
             (int)n);
        return;
    }
    bool is_set = kind == EXPR_SET;
    size_t pre = 0;
    while (pre < n && elts->items[pre]->kind != EXPR_STARRED) visit_expr(c, elts->items[pre++]);
    emit(c, is_set ? OP_BUILD_SET : OP_BUILD_LIST, (int)pre);
    for (size_t i = pre; i < n; i++) {
        Expr *x = elts->items[i];
        if (x->kind == EXPR_STARRED) {
            visit_expr(c, x->v.starred.value);
            emit(c, is_set ? OP_SET_UPDATE : OP_LIST_EXTEND, 1);
        } else {
            visit_expr(c, x);
            emit(c, is_set ? OP_SET_ADD : OP_LIST_APPEND, 1);
        }
    }
    if (kind == EXPR_TUPLE) emit(c, OP_LIST_TO_TUPLE, 0);
}

static void visit_dict(Compiler *c, const Expr *e)
{
    size_t n = e->v.dict.keys.count, group = 0;
    bool have_dict = false;
    for (size_t i = 0; i < n; i++) {
        Expr *k = e->v.dict.keys.items[i];
        if (k) {
            visit_expr(c, k);
            visit_expr(c, e->v.dict.values.items[i]);
            group++;
            continue;
        }
        if (group || !have_dict) {
            emit(c, OP_BUILD_MAP, (int)group);
            if (have_dict) emit(c, OP_DICT_UPDATE, 1);
            have_dict = true;
            group = 0;
        }
        visit_expr(c, e->v.dict.values.items[i]);
        emit(c, OP_DICT_UPDATE, 1);
    }
    if (group || !have_dict) {
        emit(c, OP_BUILD_MAP, (int)group);
        if (have_dict) emit(c, OP_DICT_UPDATE, 1);
    }
}

static void visit_compare_op(Compiler *c, CmpOpKind op)
{
    switch (op) {
    case CMPOP_IS: emit(c, OP_IS_OP, 0); break;
    case CMPOP_IS_NOT: emit(c, OP_IS_OP, 1); break;
    case CMPOP_IN: emit(c, OP_CONTAINS_OP, 0); break;
    case CMPOP_NOT_IN: emit(c, OP_CONTAINS_OP, 1); break;
    default: emit(c, OP_COMPARE_OP, (int)op); break;
    }
}

static void visit_compare(Compiler *c, const Expr *e)
{
    size_t n = e->v.compare.comparators.count;
    visit_expr(c, e->v.compare.left);
    if (n == 1) {
        visit_expr(c, e->v.compare.comparators.items[0]);
        visit_compare_op(c, e->v.compare.ops[0]);
        return;
    }
    int cleanup = new_label(c), end = new_label(c);
    for (size_t i = 0; i + 1 < n; i++) {
        visit_expr(c, e->v.compare.comparators.items[i]);
        emit(c, OP_SWAP, 2);
        emit(c, OP_COPY, 2);
        visit_compare_op(c, e->v.compare.ops[i]);
        emit_jump(c, OP_JUMP_IF_FALSE_OR_POP, cleanup);
    }
    visit_expr(c, e->v.compare.comparators.items[n - 1]);
    visit_compare_op(c, e->v.compare.ops[n - 1]);
    emit_jump(c, OP_JUMP, end);
    use_label(c, cleanup);
    emit(c, OP_SWAP, 2);
    emit(c, OP_POP_TOP, 0);
    use_label(c, end);
}

/* Pushes the keyword arguments of a call as a dict (for CALL_FUNCTION_EX). */
static void call_kwargs_dict(Compiler *c, Keyword **kws, size_t nkw)
{
    size_t group = 0;
    bool have = false;
    for (size_t i = 0; i < nkw; i++) {
        if (kws[i]->arg) {
            Object *k = str_intern_cstr(c->vm, kws[i]->arg);
            load_const(c, k);
            visit_expr(c, kws[i]->value);
            group++;
            continue;
        }
        if (group) {
            emit(c, OP_BUILD_MAP, (int)group);
            if (have) emit(c, OP_DICT_MERGE, 1);
            have = true;
            group = 0;
        }
        if (!have) { emit(c, OP_BUILD_MAP, 0); have = true; }
        visit_expr(c, kws[i]->value);
        emit(c, OP_DICT_MERGE, 1);
    }
    if (group) {
        emit(c, OP_BUILD_MAP, (int)group);
        if (have) emit(c, OP_DICT_MERGE, 1);
    }
}

/* Emits the arguments and the call, the callable (and NULL or self) being on the stack. */
static void call_helper(Compiler *c, size_t npushed, const ExprList *args, Keyword **kws,
                        size_t nkw)
{
    bool complex = has_starred(args);
    for (size_t i = 0; i < nkw; i++)
        if (!kws[i]->arg) complex = true;
    if (!complex) {
        for (size_t i = 0; i < args->count; i++) visit_expr(c, args->items[i]);
        if (nkw) {
            Object *names = tuple_new(c->vm, nkw);
            if (!names) { c->failed = true; return; }
            for (size_t i = 0; i < nkw; i++) {
                visit_expr(c, kws[i]->value);
                ((TupleObject *)names)->items[i] = str_intern_cstr(c->vm, kws[i]->arg);
            }
            emit(c, OP_KW_NAMES, add_const_obj(c, names));
        }
        emit(c, OP_CALL, (int)(npushed + args->count + nkw));
        return;
    }
    /* CALL_FUNCTION_EX wants [NULL, callable]: npushed is 0 here. */
    if (args->count == 1 && args->items[0]->kind == EXPR_STARRED) {
        visit_expr(c, args->items[0]->v.starred.value);
    } else {
        visit_sequence(c, args, EXPR_TUPLE);
    }
    bool have_kw = nkw > 0;
    if (have_kw) call_kwargs_dict(c, kws, nkw);
    emit(c, OP_CALL_FUNCTION_EX, have_kw ? 1 : 0);
}

static bool call_is_simple(const Expr *e)
{
    if (has_starred(&e->v.call.args)) return false;
    for (size_t i = 0; i < e->v.call.nkeywords; i++)
        if (!e->v.call.keywords[i]->arg) return false;
    return true;
}

static void visit_call(Compiler *c, const Expr *e)
{
    const Expr *fn = e->v.call.func;
    bool simple = call_is_simple(e);
    if (fn->kind == EXPR_ATTRIBUTE && simple) {
        visit_expr(c, fn->v.attribute.value);
        CodePos saved = c->u->cur;
        c->u->cur = pos_of(fn->pos);
        emit(c, OP_LOAD_METHOD, name_index(c, mangle(c, fn->v.attribute.attr)));
        c->u->cur = saved;
        call_helper(c, 0, &e->v.call.args, e->v.call.keywords, e->v.call.nkeywords);
        return;
    }
    Symbol *sym = fn->kind == EXPR_NAME ? lookup(c, fn->v.name.id) : NULL;
    bool global = fn->kind == EXPR_NAME &&
                  ((sym && sym->scope == SC_GLOBAL_EXPLICIT) ||
                   ((!sym || sym->scope == SC_GLOBAL_IMPLICIT) && c->u->scope->kind == BLOCK_FUNCTION));
    if (global) {
        CodePos saved = c->u->cur;
        c->u->cur = pos_of(fn->pos);
        emit(c, OP_LOAD_GLOBAL, (name_index(c, fn->v.name.id) << 1) | 1);
        c->u->cur = saved;
    } else {
        emit(c, OP_PUSH_NULL, 0);
        visit_expr(c, fn);
    }
    call_helper(c, 0, &e->v.call.args, e->v.call.keywords, e->v.call.nkeywords);
}

static Object *make_qualname(Compiler *c, const char *name)
{
    Unit *p = c->u;
    if (!p || p->scope->kind == BLOCK_MODULE) return str_from_cstr(c->vm, name);
    Symbol *sym = symtable_lookup(p->scope, name);
    if (sym && sym->scope == SC_GLOBAL_EXPLICIT) return str_from_cstr(c->vm, name);
    const char *pq = p->qualname ? str_cstr(p->qualname) : "";
    if (p->scope->kind == BLOCK_FUNCTION)
        return str_from_format(c->vm, "%s.<locals>.%s", pq, name);
    return str_from_format(c->vm, "%s.%s", pq, name);
}

/* Pushes the closure tuple for [code] (its freevars from this unit's cells) and
 * returns the MAKE_FUNCTION flag bit for it. */
static int emit_closure(Compiler *c, Object *code)
{
    CodeObject *co = (CodeObject *)code;
    size_t n = TUPLE_SIZE(co->freevars);
    if (!n) return 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = str_cstr(TUPLE_ITEM(co->freevars, i));
        int idx = deref_index(c, name);
        if (idx < 0) {
            c->failed = true;
            err_format(c->vm, &RuntimeErrorType, "compiler: no cell for free variable '%s'", name);
            return 0;
        }
        emit(c, OP_LOAD_CLOSURE, idx);
    }
    emit(c, OP_BUILD_TUPLE, (int)n);
    return 8;
}

/* Compiles a function body (def or lambda) into a code object (new reference). */
static Object *compile_function_body(Compiler *c, const void *node, const char *name,
                                     const Arguments *args, const StmtList *body,
                                     const Expr *lambda_body, int firstlineno)
{
    Scope *s = symtable_child(c->u->scope, node);
    if (!s) { c->failed = true; return NULL; }
    Object *qualname = make_qualname(c, name);
    if (!unit_new(c, s, qualname, firstlineno)) return NULL;
    unit_add_varnames(c, args);
    Object *doc = NULL;
    size_t start = 0;
    if (body && body->count > 0) {
        Stmt *first = body->items[0];
        if (first->kind == STMT_EXPR && first->v.expr.value->kind == EXPR_CONSTANT &&
            first->v.expr.value->v.constant.kind == CONST_STR) {
            doc = constant_object(c, first->v.expr.value);
            start = 1;
        }
    }
    if (lambda_body) {
        c->u->cur = pos_of(lambda_body->pos);
        visit_expr(c, lambda_body);
        emit(c, OP_RETURN_VALUE, 0);
    } else {
        for (size_t i = start; i < body->count && !c->failed; i++) visit_stmt(c, body->items[i]);
        c->u->cur.col = c->u->cur.end_col = -1;
        c->u->cur.end_line = c->u->cur.line;
        load_const(c, NEWREF(c->vm->none));
        emit(c, OP_RETURN_VALUE, 0);
    }
    Object *code = unit_finish(c, name, doc);
    if (!code) XDECREF(c->vm, doc);
    return code;
}

/* Pushes defaults / kwdefaults and returns the MAKE_FUNCTION flags for them. */
static int emit_defaults(Compiler *c, const Arguments *a)
{
    int flags = 0;
    if (a->ndefaults) {
        for (size_t i = 0; i < a->ndefaults; i++) visit_expr(c, a->defaults[i]);
        emit(c, OP_BUILD_TUPLE, (int)a->ndefaults);
        flags |= 1;
    }
    size_t nkw = 0;
    for (size_t i = 0; i < a->nkwonlyargs; i++)
        if (a->kw_defaults[i]) {
            load_const(c, str_intern_cstr(c->vm, mangle(c, a->kwonlyargs[i]->arg)));
            visit_expr(c, a->kw_defaults[i]);
            nkw++;
        }
    if (nkw) {
        emit(c, OP_BUILD_MAP, (int)nkw);
        flags |= 2;
    }
    return flags;
}

static void make_function(Compiler *c, Object *code, int flags)
{
    if (!code) { c->failed = true; return; }
    flags |= emit_closure(c, code);
    load_const(c, code);
    emit(c, OP_MAKE_FUNCTION, flags);
}

static void visit_lambda(Compiler *c, const Expr *e)
{
    int flags = emit_defaults(c, e->v.lambda.args);
    Object *code = compile_function_body(c, e, "<lambda>", e->v.lambda.args, NULL,
                                         e->v.lambda.body, e->pos.lineno);
    make_function(c, code, flags);
}

/* The loops of a comprehension: generator [gi] of [n]. */
static void comprehension_loop(Compiler *c, const Expr *e, Comprehension **gens, size_t gi,
                               size_t n)
{
    Comprehension *g = gens[gi];
    if (gi == 0) {
        emit(c, OP_LOAD_FAST, 0); /* .0 */
    } else {
        visit_expr(c, g->iter);
        emit(c, OP_GET_ITER, 0);
    }
    int start = new_label(c), anchor = new_label(c);
    use_label(c, start);
    emit_jump(c, OP_FOR_ITER, anchor);
    visit_expr(c, g->target);
    for (size_t i = 0; i < g->ifs.count; i++) {
        visit_expr(c, g->ifs.items[i]);
        emit_jump(c, OP_POP_JUMP_IF_FALSE, start);
    }
    if (gi + 1 < n) {
        comprehension_loop(c, e, gens, gi + 1, n);
    } else {
        CodePos saved = c->u->cur;
        switch (e->kind) {
        case EXPR_LISTCOMP:
            visit_expr(c, e->v.comp.elt);
            emit(c, OP_LIST_APPEND, (int)n + 1);
            break;
        case EXPR_SETCOMP:
            visit_expr(c, e->v.comp.elt);
            emit(c, OP_SET_ADD, (int)n + 1);
            break;
        case EXPR_DICTCOMP:
            visit_expr(c, e->v.dictcomp.key);
            visit_expr(c, e->v.dictcomp.value);
            emit(c, OP_MAP_ADD, (int)n + 1);
            break;
        default:
            visit_expr(c, e->v.comp.elt);
            emit(c, OP_YIELD_VALUE, 0);
            emit(c, OP_POP_TOP, 0);
            break;
        }
        c->u->cur = saved;
    }
    emit_jump(c, OP_JUMP, start);
    use_label(c, anchor);
}

static void visit_comprehension(Compiler *c, const Expr *e)
{
    Comprehension **gens = e->kind == EXPR_DICTCOMP ? e->v.dictcomp.generators : e->v.comp.generators;
    size_t n = e->kind == EXPR_DICTCOMP ? e->v.dictcomp.ngenerators : e->v.comp.ngenerators;
    const char *name = e->kind == EXPR_LISTCOMP ? "<listcomp>" : e->kind == EXPR_SETCOMP ? "<setcomp>"
                     : e->kind == EXPR_DICTCOMP ? "<dictcomp>" : "<genexpr>";
    Scope *s = symtable_child(c->u->scope, e);
    if (!s) FAIL(c);
    Object *qualname = make_qualname(c, name);
    if (!unit_new(c, s, qualname, e->pos.lineno)) return;
    c->u->cur = pos_of(e->pos);
    c->u->argcount = 1;
    list_index_str(c, c->u->varnames, ".0", true);
    unit_add_varnames(c, NULL);
    if (e->kind == EXPR_LISTCOMP) emit(c, OP_BUILD_LIST, 0);
    else if (e->kind == EXPR_SETCOMP) emit(c, OP_BUILD_SET, 0);
    else if (e->kind == EXPR_DICTCOMP) emit(c, OP_BUILD_MAP, 0);
    comprehension_loop(c, e, gens, 0, n);
    if (e->kind == EXPR_GENERATOREXP) load_const(c, NEWREF(c->vm->none));
    emit(c, OP_RETURN_VALUE, 0);
    Object *code = unit_finish(c, name, NULL);
    if (!code) FAIL(c);
    int flags = emit_closure(c, code);
    load_const(c, code);
    emit(c, OP_MAKE_FUNCTION, flags);
    visit_expr(c, gens[0]->iter);
    emit(c, OP_GET_ITER, 0);
    emit(c, OP_CALL, 0);
}

static void visit_joinedstr(Compiler *c, const Expr *e)
{
    size_t n = e->v.joinedstr.values.count;
    if (n == 0) {
        load_const(c, NEWREF(c->vm->empty_str));
        return;
    }
    for (size_t i = 0; i < n; i++) visit_expr(c, e->v.joinedstr.values.items[i]);
    if (n > 1 || e->v.joinedstr.values.items[0]->kind != EXPR_FORMATTEDVALUE)
        if (n > 1) emit(c, OP_BUILD_STRING, (int)n);
}

static void visit_formatted(Compiler *c, const Expr *e)
{
    visit_expr(c, e->v.formatted.value);
    int conv = e->v.formatted.conversion;
    int arg = conv == 's' ? 1 : conv == 'r' ? 2 : conv == 'a' ? 3 : 0;
    if (e->v.formatted.format_spec) {
        visit_expr(c, e->v.formatted.format_spec);
        arg |= 4;
    }
    emit(c, OP_FORMAT_VALUE, arg);
}

static void visit_slice_part(Compiler *c, const Expr *e)
{
    if (e) visit_expr(c, e);
    else load_const(c, NEWREF(c->vm->none));
}

static void visit_store(Compiler *c, const Expr *e);

static void visit_expr1(Compiler *c, const Expr *e)
{
    switch (e->kind) {
    case EXPR_BOOLOP: {
        int end = new_label(c);
        size_t n = e->v.boolop.values.count;
        for (size_t i = 0; i < n; i++) {
            visit_expr(c, e->v.boolop.values.items[i]);
            if (i + 1 < n)
                emit_jump(c, e->v.boolop.op == BOOLOP_AND ? OP_JUMP_IF_FALSE_OR_POP
                                                          : OP_JUMP_IF_TRUE_OR_POP, end);
        }
        use_label(c, end);
        break;
    }
    case EXPR_NAMEDEXPR:
        visit_expr(c, e->v.namedexpr.value);
        emit(c, OP_COPY, 1);
        visit_store(c, e->v.namedexpr.target);
        break;
    case EXPR_BINOP:
        visit_expr(c, e->v.binop.left);
        visit_expr(c, e->v.binop.right);
        emit(c, OP_BINARY_OP, e->v.binop.op);
        break;
    case EXPR_UNARYOP:
        if (is_foldable(e)) {
            Object *k = fold_const(c, e);
            if (k) load_const(c, k);
            break;
        }
        visit_expr(c, e->v.unaryop.operand);
        emit(c, OP_UNARY_OP, e->v.unaryop.op);
        break;
    case EXPR_LAMBDA: visit_lambda(c, e); break;
    case EXPR_IFEXP: {
        int orelse = new_label(c), end = new_label(c);
        visit_expr(c, e->v.ifexp.test);
        emit_jump(c, OP_POP_JUMP_IF_FALSE, orelse);
        visit_expr(c, e->v.ifexp.body);
        emit_jump(c, OP_JUMP, end);
        use_label(c, orelse);
        visit_expr(c, e->v.ifexp.orelse);
        use_label(c, end);
        break;
    }
    case EXPR_DICT: visit_dict(c, e); break;
    case EXPR_SET: visit_sequence(c, &e->v.set.elts, EXPR_SET); break;
    case EXPR_LISTCOMP: case EXPR_SETCOMP: case EXPR_DICTCOMP: case EXPR_GENERATOREXP:
        visit_comprehension(c, e);
        break;
    case EXPR_AWAIT:
        err_unsupported(c->vm, "await");
        c->failed = true;
        break;
    case EXPR_YIELD:
        if (e->v.yield.value) visit_expr(c, e->v.yield.value);
        else load_const(c, NEWREF(c->vm->none));
        emit(c, OP_YIELD_VALUE, 0);
        break;
    case EXPR_YIELDFROM: {
        visit_expr(c, e->v.yield.value);
        emit(c, OP_GET_YIELD_FROM_ITER, 0);
        load_const(c, NEWREF(c->vm->none));
        int send = new_label(c), exit = new_label(c);
        use_label(c, send);
        emit_jump(c, OP_SEND, exit);
        emit(c, OP_YIELD_VALUE, 0);
        emit_jump(c, OP_JUMP, send);
        use_label(c, exit);
        break;
    }
    case EXPR_COMPARE: visit_compare(c, e); break;
    case EXPR_CALL: visit_call(c, e); break;
    case EXPR_FORMATTEDVALUE: visit_formatted(c, e); break;
    case EXPR_JOINEDSTR: visit_joinedstr(c, e); break;
    case EXPR_CONSTANT: {
        Object *o = constant_object(c, e);
        if (!o) FAIL(c);
        load_const(c, o);
        break;
    }
    case EXPR_ATTRIBUTE:
        if (e->v.attribute.ctx != CTX_LOAD) { visit_store(c, e); break; }
        visit_expr(c, e->v.attribute.value);
        emit(c, OP_LOAD_ATTR, name_index(c, mangle(c, e->v.attribute.attr)));
        break;
    case EXPR_SUBSCRIPT:
        if (e->v.subscript.ctx != CTX_LOAD) { visit_store(c, e); break; }
        visit_expr(c, e->v.subscript.value);
        visit_expr(c, e->v.subscript.slice);
        emit(c, OP_BINARY_SUBSCR, 0);
        break;
    case EXPR_STARRED:
        if (e->v.starred.ctx == CTX_STORE) { visit_store(c, e); break; }
        error_at(c, e->pos, "can't use starred expression here");
        break;
    case EXPR_NAME:
        if (e->v.name.ctx != CTX_LOAD) { visit_store(c, e); break; }
        nameop(c, e->v.name.id, CTX_LOAD);
        break;
    case EXPR_LIST:
    case EXPR_TUPLE: {
        if (e->v.seq.ctx != CTX_LOAD) { visit_store(c, e); break; }
        if (e->kind == EXPR_TUPLE && e->v.seq.elts.count > 0) {
            Object *t = fold_tuple(c, e);
            if (t) { load_const(c, t); break; }
            if (c->failed) break;
        }
        visit_sequence(c, &e->v.seq.elts, e->kind);
        break;
    }
    case EXPR_SLICE:
        visit_slice_part(c, e->v.slice.lower);
        visit_slice_part(c, e->v.slice.upper);
        if (e->v.slice.step) {
            visit_expr(c, e->v.slice.step);
            emit(c, OP_BUILD_SLICE, 3);
        } else {
            emit(c, OP_BUILD_SLICE, 2);
        }
        break;
    }
}

static void visit_expr(Compiler *c, const Expr *e)
{
    if (!e || c->failed) return;
    CodePos saved = c->u->cur;
    c->u->cur = pos_of(e->pos);
    visit_expr1(c, e);
    c->u->cur = saved;
}

/* Stores TOS into the target [e] (Name, Attribute, Subscript, Tuple/List, Starred). */
static void visit_store(Compiler *c, const Expr *e)
{
    if (c->failed) return;
    CodePos saved = c->u->cur;
    c->u->cur = pos_of(e->pos);
    switch (e->kind) {
    case EXPR_NAME: nameop(c, e->v.name.id, e->v.name.ctx == CTX_DEL ? CTX_DEL : CTX_STORE); break;
    case EXPR_ATTRIBUTE:
        visit_expr(c, e->v.attribute.value);
        emit(c, e->v.attribute.ctx == CTX_DEL ? OP_DELETE_ATTR : OP_STORE_ATTR,
             name_index(c, mangle(c, e->v.attribute.attr)));
        break;
    case EXPR_SUBSCRIPT:
        visit_expr(c, e->v.subscript.value);
        visit_expr(c, e->v.subscript.slice);
        emit(c, e->v.subscript.ctx == CTX_DEL ? OP_DELETE_SUBSCR : OP_STORE_SUBSCR, 0);
        break;
    case EXPR_STARRED: visit_store(c, e->v.starred.value); break;
    case EXPR_LIST:
    case EXPR_TUPLE: {
        const ExprList *elts = &e->v.seq.elts;
        if (e->v.seq.ctx == CTX_DEL) {
            for (size_t i = 0; i < elts->count; i++) visit_store(c, elts->items[i]);
            break;
        }
        size_t star = elts->count;
        for (size_t i = 0; i < elts->count; i++)
            if (elts->items[i]->kind == EXPR_STARRED) {
                if (star != elts->count) {
                    error_at(c, elts->items[i]->pos, "multiple starred expressions in assignment");
                    c->u->cur = saved;
                    return;
                }
                star = i;
            }
        if (star == elts->count) emit(c, OP_UNPACK_SEQUENCE, (int)elts->count);
        else emit(c, OP_UNPACK_EX, (int)(star | ((elts->count - star - 1) << 8)));
        for (size_t i = 0; i < elts->count; i++) visit_store(c, elts->items[i]);
        break;
    }
    default:
        error_at(c, e->pos, "cannot assign to expression");
        break;
    }
    c->u->cur = saved;
}

/* ---- Statements ---- */

static bool push_fblock(Compiler *c, FBlockKind kind, int start, int exit, AstPos pos)
{
    if (c->u->nfblocks >= CODE_MAX_BLOCKS) {
        error_at(c, pos, "too many statically nested blocks");
        return false;
    }
    FBlock *b = &c->u->fblocks[c->u->nfblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->start = start;
    b->exit = exit;
    return true;
}

static void pop_fblock(Compiler *c)
{
    c->u->nfblocks--;
}

static void call_exit_with_nones(Compiler *c)
{
    load_const(c, NEWREF(c->vm->none));
    load_const(c, NEWREF(c->vm->none));
    load_const(c, NEWREF(c->vm->none));
    emit(c, OP_CALL, 2);
    emit(c, OP_POP_TOP, 0);
}

static void delete_handler_name(Compiler *c, const char *name)
{
    load_const(c, NEWREF(c->vm->none));
    store_name(c, name);
    nameop(c, name, CTX_DEL);
}

/* Emits the code that leaves block [b] early (return/break/continue). */
static void unwind_fblock(Compiler *c, FBlock *b, bool preserve_tos)
{
    switch (b->kind) {
    case FB_WHILE_LOOP:
    case FB_EXCEPTION_HANDLER:
        break;
    case FB_FOR_LOOP:
        if (preserve_tos) emit(c, OP_SWAP, 2);
        emit(c, OP_POP_TOP, 0);
        break;
    case FB_TRY_EXCEPT:
        emit(c, OP_POP_BLOCK, 0);
        break;
    case FB_FINALLY_TRY: {
        emit(c, OP_POP_BLOCK, 0);
        /* The finally body runs outside its own block: [b] is a copy and the caller
         * (unwind_to) has already cut c->u->nfblocks down to the blocks around it. */
        if (preserve_tos) {
            /* a return inside the finally body drops the value being returned */
            if (!push_fblock(c, FB_POP_VALUE, -1, -1, b->finalbody->items[0]->pos)) break;
            visit_stmts(c, b->finalbody);
            pop_fblock(c);
        } else {
            visit_stmts(c, b->finalbody);
        }
        break;
    }
    case FB_FINALLY_END:
        if (preserve_tos) emit(c, OP_SWAP, 2);
        emit(c, OP_POP_TOP, 0);
        if (preserve_tos) emit(c, OP_SWAP, 2);
        emit(c, OP_POP_BLOCK, 0);
        emit(c, OP_POP_EXCEPT, 0);
        break;
    case FB_POP_VALUE:
        if (preserve_tos) emit(c, OP_SWAP, 2);
        emit(c, OP_POP_TOP, 0);
        break;
    case FB_WITH:
        emit(c, OP_POP_BLOCK, 0);
        if (preserve_tos) emit(c, OP_SWAP, 2);
        call_exit_with_nones(c);
        break;
    case FB_HANDLER_CLEANUP:
        if (b->name) emit(c, OP_POP_BLOCK, 0);
        if (preserve_tos) emit(c, OP_SWAP, 2);
        emit(c, OP_POP_BLOCK, 0);
        emit(c, OP_POP_EXCEPT, 0);
        if (b->name) delete_handler_name(c, b->name);
        break;
    }
}

/* Unwinds every block down to (not including) the innermost loop when [loop] is
 * true; returns that loop block (or NULL), or unwinds all blocks for return. */
static FBlock *unwind_to(Compiler *c, bool loop, bool preserve_tos)
{
    for (int i = c->u->nfblocks - 1; i >= 0; i--) {
        FBlock *b = &c->u->fblocks[i];
        if (loop && (b->kind == FB_WHILE_LOOP || b->kind == FB_FOR_LOOP)) return b;
        FBlock copy = *b;
        int depth = c->u->nfblocks;
        c->u->nfblocks = i;
        unwind_fblock(c, &copy, preserve_tos);
        c->u->nfblocks = depth;
    }
    return NULL;
}

static bool in_loop(Compiler *c)
{
    for (int i = c->u->nfblocks - 1; i >= 0; i--)
        if (c->u->fblocks[i].kind == FB_WHILE_LOOP || c->u->fblocks[i].kind == FB_FOR_LOOP)
            return true;
    return false;
}

static void visit_return(Compiler *c, const Stmt *s)
{
    if (c->u->scope->kind != BLOCK_FUNCTION) {
        error_at(c, s->pos, "'return' outside function");
        return;
    }
    if (s->v.ret.value) visit_expr(c, s->v.ret.value);
    else load_const(c, NEWREF(c->vm->none));
    unwind_to(c, false, true);
    emit(c, OP_RETURN_VALUE, 0);
}

static void visit_break_continue(Compiler *c, const Stmt *s, bool is_break)
{
    if (!in_loop(c)) {
        error_at(c, s->pos, is_break ? "'break' outside loop" : "'continue' not properly in loop");
        return;
    }
    emit(c, OP_NOP, 0);
    int depth = c->u->nfblocks;
    FBlock *loop = unwind_to(c, true, false);
    if (!loop) return;
    c->u->nfblocks = depth;
    if (is_break) {
        FBlock copy = *loop;
        unwind_fblock(c, &copy, false);
        emit_jump(c, OP_JUMP, loop->exit);
    } else {
        emit_jump(c, OP_JUMP, loop->start);
    }
}

static void visit_for(Compiler *c, const Stmt *s)
{
    int start = new_label(c), cleanup = new_label(c), end = new_label(c);
    visit_expr(c, s->v.for_.iter);
    emit(c, OP_GET_ITER, 0);
    use_label(c, start);
    if (!push_fblock(c, FB_FOR_LOOP, start, end, s->pos)) return;
    emit_jump(c, OP_FOR_ITER, cleanup);
    visit_store(c, s->v.for_.target);
    visit_stmts(c, &s->v.for_.body);
    c->u->cur = pos_of(s->v.for_.iter->pos);
    emit_jump(c, OP_JUMP, start);
    pop_fblock(c);
    use_label(c, cleanup);
    visit_stmts(c, &s->v.for_.orelse);
    use_label(c, end);
}

static void visit_while(Compiler *c, const Stmt *s)
{
    int start = new_label(c), orelse = new_label(c), end = new_label(c);
    use_label(c, start);
    visit_expr(c, s->v.while_.test);
    emit_jump(c, OP_POP_JUMP_IF_FALSE, orelse);
    if (!push_fblock(c, FB_WHILE_LOOP, start, end, s->pos)) return;
    visit_stmts(c, &s->v.while_.body);
    c->u->cur = pos_of(s->v.while_.test->pos);
    emit_jump(c, OP_JUMP, start);
    pop_fblock(c);
    use_label(c, orelse);
    visit_stmts(c, &s->v.while_.orelse);
    use_label(c, end);
}

static void visit_if(Compiler *c, const Stmt *s)
{
    int orelse = new_label(c), end = new_label(c);
    visit_expr(c, s->v.if_.test);
    emit_jump(c, OP_POP_JUMP_IF_FALSE, orelse);
    visit_stmts(c, &s->v.if_.body);
    if (s->v.if_.orelse.count) emit_jump(c, OP_JUMP, end);
    use_label(c, orelse);
    visit_stmts(c, &s->v.if_.orelse);
    use_label(c, end);
}

static void pop_except_and_reraise(Compiler *c)
{
    emit(c, OP_COPY, 2);
    emit(c, OP_POP_EXCEPT, 0);
    emit(c, OP_RERAISE, 0);
}

static void visit_try_except(Compiler *c, const Stmt *s)
{
    int except = new_label(c), orelse = new_label(c), cleanup = new_label(c), end = new_label(c);
    emit_jump(c, OP_SETUP_FINALLY, except);
    if (!push_fblock(c, FB_TRY_EXCEPT, -1, -1, s->pos)) return;
    visit_stmts(c, &s->v.try_.body);
    pop_fblock(c);
    emit(c, OP_POP_BLOCK, 0);
    use_label(c, orelse);
    visit_stmts(c, &s->v.try_.orelse);
    emit_jump(c, OP_JUMP, end);
    use_label(c, except);
    c->u->cur.col = c->u->cur.end_col = -1;
    emit_jump(c, OP_SETUP_FINALLY, cleanup);
    emit(c, OP_PUSH_EXC_INFO, 0);
    if (!push_fblock(c, FB_EXCEPTION_HANDLER, -1, -1, s->pos)) return;
    for (size_t i = 0; i < s->v.try_.nhandlers; i++) {
        ExceptHandler *h = s->v.try_.handlers[i];
        c->u->cur = pos_of(h->pos);
        int next = new_label(c);
        if (h->type) {
            visit_expr(c, h->type);
            emit(c, OP_CHECK_EXC_MATCH, 0);
            emit_jump(c, OP_POP_JUMP_IF_FALSE, next);
        }
        if (h->name) {
            int cleanup_end = new_label(c);
            store_name(c, h->name);
            emit_jump(c, OP_SETUP_FINALLY, cleanup_end);
            if (!push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, h->pos)) return;
            c->u->fblocks[c->u->nfblocks - 1].name = h->name;
            visit_stmts(c, &h->body);
            pop_fblock(c);
            c->u->cur.col = c->u->cur.end_col = -1;
            emit(c, OP_POP_BLOCK, 0);
            emit(c, OP_POP_BLOCK, 0);
            emit(c, OP_POP_EXCEPT, 0);
            delete_handler_name(c, h->name);
            emit_jump(c, OP_JUMP, end);
            use_label(c, cleanup_end);
            delete_handler_name(c, h->name);
            emit(c, OP_RERAISE, 0);
        } else {
            emit(c, OP_POP_TOP, 0);
            if (!push_fblock(c, FB_HANDLER_CLEANUP, -1, -1, h->pos)) return;
            visit_stmts(c, &h->body);
            pop_fblock(c);
            emit(c, OP_POP_BLOCK, 0);
            emit(c, OP_POP_EXCEPT, 0);
            emit_jump(c, OP_JUMP, end);
        }
        use_label(c, next);
    }
    pop_fblock(c);
    emit(c, OP_RERAISE, 0);
    use_label(c, cleanup);
    pop_except_and_reraise(c);
    use_label(c, end);
}

static void visit_try_finally(Compiler *c, const Stmt *s)
{
    int handler = new_label(c), cleanup = new_label(c), exit = new_label(c);
    emit_jump(c, OP_SETUP_FINALLY, handler);
    if (!push_fblock(c, FB_FINALLY_TRY, -1, -1, s->pos)) return;
    c->u->fblocks[c->u->nfblocks - 1].finalbody = &s->v.try_.finalbody;
    if (s->v.try_.nhandlers) visit_try_except(c, s);
    else visit_stmts(c, &s->v.try_.body);
    pop_fblock(c);
    emit(c, OP_POP_BLOCK, 0);
    visit_stmts(c, &s->v.try_.finalbody);
    emit_jump(c, OP_JUMP, exit);
    use_label(c, handler);
    c->u->cur.col = c->u->cur.end_col = -1;
    emit_jump(c, OP_SETUP_FINALLY, cleanup);
    emit(c, OP_PUSH_EXC_INFO, 0);
    if (!push_fblock(c, FB_FINALLY_END, -1, -1, s->pos)) return;
    visit_stmts(c, &s->v.try_.finalbody);
    pop_fblock(c);
    emit(c, OP_RERAISE, 0);
    use_label(c, cleanup);
    pop_except_and_reraise(c);
    use_label(c, exit);
}

static void visit_with(Compiler *c, const Stmt *s, size_t item)
{
    WithItem *w = &s->v.with.items[item];
    int final = new_label(c), cleanup = new_label(c), suppress = new_label(c), exit = new_label(c);
    visit_expr(c, w->context_expr);
    c->u->cur = pos_of(w->context_expr->pos);
    emit(c, OP_BEFORE_WITH, 0);
    emit_jump(c, OP_SETUP_WITH, final);
    if (!push_fblock(c, FB_WITH, -1, -1, s->pos)) return;
    if (w->optional_vars) visit_store(c, w->optional_vars);
    else emit(c, OP_POP_TOP, 0);
    if (item + 1 < s->v.with.nitems) visit_with(c, s, item + 1);
    else visit_stmts(c, &s->v.with.body);
    pop_fblock(c);
    c->u->cur = pos_of(s->pos);
    c->u->cur.end_line = c->u->cur.line;
    c->u->cur.col = c->u->cur.end_col = -1;
    emit(c, OP_POP_BLOCK, 0);
    call_exit_with_nones(c);
    emit_jump(c, OP_JUMP, exit);
    use_label(c, final);
    emit_jump(c, OP_SETUP_FINALLY, cleanup);
    emit(c, OP_PUSH_EXC_INFO, 0);
    emit(c, OP_WITH_EXCEPT_START, 0);
    emit_jump(c, OP_POP_JUMP_IF_TRUE, suppress);
    emit(c, OP_RERAISE, 0);
    use_label(c, suppress);
    emit(c, OP_POP_TOP, 0);
    emit(c, OP_POP_BLOCK, 0);
    emit(c, OP_POP_EXCEPT, 0);
    emit(c, OP_POP_TOP, 0);
    emit_jump(c, OP_JUMP, exit);
    use_label(c, cleanup);
    pop_except_and_reraise(c);
    use_label(c, exit);
}

static void visit_funcdef(Compiler *c, const Stmt *s)
{
    const ExprList *decos = &s->v.funcdef.decorator_list;
    for (size_t i = 0; i < decos->count; i++) {
        emit(c, OP_PUSH_NULL, 0);
        visit_expr(c, decos->items[i]);
    }
    int firstlineno = decos->count ? decos->items[0]->pos.lineno : s->pos.lineno;
    int flags = emit_defaults(c, s->v.funcdef.args);
    Object *code = compile_function_body(c, s, s->v.funcdef.name, s->v.funcdef.args,
                                         &s->v.funcdef.body, NULL, firstlineno);
    c->u->cur = pos_of(s->pos);
    make_function(c, code, flags);
    for (size_t i = 0; i < decos->count; i++) emit(c, OP_CALL, 1);
    store_name(c, s->v.funcdef.name);
}

static Object *compile_class_body(Compiler *c, const Stmt *s, int firstlineno)
{
    Scope *sc = symtable_child(c->u->scope, s);
    if (!sc) { c->failed = true; return NULL; }
    Object *qualname = make_qualname(c, s->v.classdef.name);
    if (!unit_new(c, sc, qualname, firstlineno)) return NULL;
    unit_add_varnames(c, NULL);
    c->u->cur = (CodePos){firstlineno, firstlineno, -1, -1};
    emit(c, OP_LOAD_NAME, name_index(c, "__name__"));
    emit(c, OP_STORE_NAME, name_index(c, "__module__"));
    load_const(c, NEWREF(qualname));
    emit(c, OP_STORE_NAME, name_index(c, "__qualname__"));
    const StmtList *body = &s->v.classdef.body;
    size_t start = 0;
    if (body->count && body->items[0]->kind == STMT_EXPR &&
        body->items[0]->v.expr.value->kind == EXPR_CONSTANT &&
        body->items[0]->v.expr.value->v.constant.kind == CONST_STR) {
        c->u->cur = pos_of(body->items[0]->pos);
        load_const(c, constant_object(c, body->items[0]->v.expr.value));
        emit(c, OP_STORE_NAME, name_index(c, "__doc__"));
        start = 1;
    }
    for (size_t i = start; i < body->count && !c->failed; i++) visit_stmt(c, body->items[i]);
    c->u->cur.col = c->u->cur.end_col = -1;
    if (sc->needs_class_closure) {
        emit(c, OP_LOAD_CLOSURE, list_index_str(c, c->u->cellvars, "__class__", false));
    } else {
        load_const(c, NEWREF(c->vm->none));
    }
    emit(c, OP_RETURN_VALUE, 0);
    return unit_finish(c, s->v.classdef.name, NULL);
}

static void visit_classdef(Compiler *c, const Stmt *s)
{
    const ExprList *decos = &s->v.classdef.decorator_list;
    for (size_t i = 0; i < decos->count; i++) {
        emit(c, OP_PUSH_NULL, 0);
        visit_expr(c, decos->items[i]);
    }
    int firstlineno = decos->count ? decos->items[0]->pos.lineno : s->pos.lineno;
    Object *code = compile_class_body(c, s, firstlineno);
    if (!code) FAIL(c);
    c->u->cur = pos_of(s->pos);
    emit(c, OP_PUSH_NULL, 0);
    emit(c, OP_LOAD_BUILD_CLASS, 0);
    make_function(c, code, 0);
    load_const(c, str_from_cstr(c->vm, s->v.classdef.name));
    ExprList args = s->v.classdef.bases;
    /* bases are positional arguments after (func, name) */
    bool simple = !has_starred(&args);
    for (size_t i = 0; i < s->v.classdef.nkeywords; i++)
        if (!s->v.classdef.keywords[i]->arg) simple = false;
    if (!simple) {
        err_unsupported(c->vm, "starred bases or ** in a class statement");
        FAIL(c);
    }
    for (size_t i = 0; i < args.count; i++) visit_expr(c, args.items[i]);
    size_t nkw = s->v.classdef.nkeywords;
    if (nkw) {
        Object *names = tuple_new(c->vm, nkw);
        if (!names) FAIL(c);
        for (size_t i = 0; i < nkw; i++) {
            visit_expr(c, s->v.classdef.keywords[i]->value);
            ((TupleObject *)names)->items[i] = str_intern_cstr(c->vm, s->v.classdef.keywords[i]->arg);
        }
        emit(c, OP_KW_NAMES, add_const_obj(c, names));
    }
    c->u->cur = pos_of(s->pos);
    emit(c, OP_CALL, (int)(2 + args.count + nkw));
    for (size_t i = 0; i < decos->count; i++) emit(c, OP_CALL, 1);
    store_name(c, s->v.classdef.name);
}

/* The comparison whose location CPython 3.11's compiler_jump_if leaves current after
 * compiling the condition [e] (through `not` and the last operand of and/or), or
 * NULL when the statement's location stays. */
static const Expr *jump_if_location(const Expr *e)
{
    switch (e->kind) {
    case EXPR_COMPARE: return e;
    case EXPR_UNARYOP:
        return e->v.unaryop.op == UNOP_NOT ? jump_if_location(e->v.unaryop.operand) : NULL;
    case EXPR_BOOLOP: {
        const ExprList *v = &e->v.boolop.values;
        return v->count ? jump_if_location(v->items[v->count - 1]) : NULL;
    }
    default:
        return NULL;
    }
}

static void visit_import(Compiler *c, const Stmt *s)
{
    for (size_t i = 0; i < s->v.import.nnames; i++) {
        Alias *a = &s->v.import.names[i];
        c->u->cur = pos_of(s->pos); /* CPython 3.11: the statement's span, not the alias's */
        load_const(c, int_from_i64(c->vm, 0));
        load_const(c, NEWREF(c->vm->none));
        emit(c, OP_IMPORT_NAME, name_index(c, a->name));
        if (a->asname) {
            store_name(c, a->asname);
        } else if (strchr(a->name, '.')) {
            store_name(c, a->name); /* unreachable in practice: dotted imports fail */
        } else {
            store_name(c, a->name);
        }
    }
}

static void visit_importfrom(Compiler *c, const Stmt *s)
{
    size_t n = s->v.import.nnames;
    load_const(c, int_from_i64(c->vm, s->v.import.level));
    Object *names = tuple_new(c->vm, n);
    if (!names) FAIL(c);
    for (size_t i = 0; i < n; i++)
        ((TupleObject *)names)->items[i] = str_from_cstr(c->vm, s->v.import.names[i].name);
    load_const(c, names);
    emit(c, OP_IMPORT_NAME, name_index(c, s->v.import.module ? s->v.import.module : ""));
    if (n == 1 && strcmp(s->v.import.names[0].name, "*") == 0) {
        emit(c, OP_IMPORT_STAR, 0);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        Alias *a = &s->v.import.names[i];
        emit(c, OP_IMPORT_FROM, name_index(c, a->name));
        store_name(c, a->asname ? a->asname : a->name);
    }
    emit(c, OP_POP_TOP, 0);
}

static void visit_augassign(Compiler *c, const Stmt *s)
{
    const Expr *t = s->v.augassign.target;
    int op = s->v.augassign.op + BINOP_INPLACE;
    switch (t->kind) {
    case EXPR_NAME:
        nameop(c, t->v.name.id, CTX_LOAD);
        visit_expr(c, s->v.augassign.value);
        emit(c, OP_BINARY_OP, op);
        nameop(c, t->v.name.id, CTX_STORE);
        break;
    case EXPR_ATTRIBUTE:
        visit_expr(c, t->v.attribute.value);
        emit(c, OP_COPY, 1);
        c->u->cur = pos_of(t->pos);
        emit(c, OP_LOAD_ATTR, name_index(c, mangle(c, t->v.attribute.attr)));
        visit_expr(c, s->v.augassign.value);
        c->u->cur = pos_of(s->pos);
        emit(c, OP_BINARY_OP, op);
        emit(c, OP_SWAP, 2);
        emit(c, OP_STORE_ATTR, name_index(c, mangle(c, t->v.attribute.attr)));
        break;
    case EXPR_SUBSCRIPT:
        visit_expr(c, t->v.subscript.value);
        visit_expr(c, t->v.subscript.slice);
        emit(c, OP_COPY, 2);
        emit(c, OP_COPY, 2);
        c->u->cur = pos_of(t->pos);
        emit(c, OP_BINARY_SUBSCR, 0);
        visit_expr(c, s->v.augassign.value);
        c->u->cur = pos_of(s->pos);
        emit(c, OP_BINARY_OP, op);
        emit(c, OP_SWAP, 3);
        emit(c, OP_SWAP, 2);
        emit(c, OP_STORE_SUBSCR, 0);
        break;
    default:
        error_at(c, t->pos, "'expression' is an illegal expression for augmented assignment");
        break;
    }
}

static void visit_stmt(Compiler *c, const Stmt *s)
{
    if (c->failed) return;
    /* `global` and `nonlocal` are declarations (symtable.c): as in CPython 3.11 they
     * compile to nothing, so they give no line event and no step, and what follows
     * keeps the position of what came before. */
    if (s->kind == STMT_GLOBAL || s->kind == STMT_NONLOCAL) return;
    c->u->cur = pos_of(s->pos);
    switch (s->kind) {
    case STMT_FUNCTIONDEF: visit_funcdef(c, s); break;
    case STMT_CLASSDEF: visit_classdef(c, s); break;
    case STMT_RETURN: visit_return(c, s); break;
    case STMT_DELETE:
        for (size_t i = 0; i < s->v.del.targets.count; i++) visit_store(c, s->v.del.targets.items[i]);
        break;
    case STMT_ASSIGN: {
        visit_expr(c, s->v.assign.value);
        size_t n = s->v.assign.targets.count;
        for (size_t i = 0; i < n; i++) {
            if (i + 1 < n) emit(c, OP_COPY, 1);
            visit_store(c, s->v.assign.targets.items[i]);
        }
        break;
    }
    case STMT_AUGASSIGN: visit_augassign(c, s); break;
    case STMT_ANNASSIGN:
        if (s->v.annassign.value) {
            visit_expr(c, s->v.annassign.value);
            visit_store(c, s->v.annassign.target);
        }
        break;
    case STMT_FOR: visit_for(c, s); break;
    case STMT_WHILE: visit_while(c, s); break;
    case STMT_IF: visit_if(c, s); break;
    case STMT_WITH: visit_with(c, s, 0); break;
    case STMT_RAISE:
        if (s->v.raise.exc) visit_expr(c, s->v.raise.exc);
        if (s->v.raise.cause) visit_expr(c, s->v.raise.cause);
        c->u->cur = pos_of(s->pos);
        emit(c, OP_RAISE_VARARGS, s->v.raise.exc ? (s->v.raise.cause ? 2 : 1) : 0);
        break;
    case STMT_TRY:
        if (s->v.try_.finalbody.count) visit_try_finally(c, s);
        else visit_try_except(c, s);
        break;
    case STMT_ASSERT: {
        int end = new_label(c);
        visit_expr(c, s->v.assert_.test);
        /* CPython 3.11's compiler_jump_if leaves the location of the test's comparison
         * on what follows, so the AssertionError points at it (^^^^^ under `x > 5`). */
        const Expr *loc = jump_if_location(s->v.assert_.test);
        if (loc) c->u->cur = pos_of(loc->pos);
        emit_jump(c, OP_POP_JUMP_IF_TRUE, end);
        if (s->v.assert_.msg) {
            emit(c, OP_PUSH_NULL, 0);
            emit(c, OP_LOAD_ASSERTION_ERROR, 0);
            visit_expr(c, s->v.assert_.msg);
            emit(c, OP_CALL, 1);
        } else {
            emit(c, OP_LOAD_ASSERTION_ERROR, 0);
        }
        emit(c, OP_RAISE_VARARGS, 1);
        use_label(c, end);
        break;
    }
    case STMT_IMPORT: visit_import(c, s); break;
    case STMT_IMPORTFROM: visit_importfrom(c, s); break;
    case STMT_GLOBAL:
    case STMT_NONLOCAL:
        break; /* not reached: see above */
    case STMT_EXPR:
        if (s->v.expr.value->kind == EXPR_CONSTANT) {
            emit(c, OP_NOP, 0);
            break;
        }
        visit_expr(c, s->v.expr.value);
        emit(c, OP_POP_TOP, 0);
        break;
    case STMT_PASS: emit(c, OP_NOP, 0); break;
    case STMT_BREAK: visit_break_continue(c, s, true); break;
    case STMT_CONTINUE: visit_break_continue(c, s, false); break;
    }
}

static void visit_stmts(Compiler *c, const StmtList *l)
{
    for (size_t i = 0; i < l->count && !c->failed; i++) visit_stmt(c, l->items[i]);
}

/* ---- Entry point ---- */

/* Gives a NotImplementedError raised while compiling ("pyframes does not support ...")
 * a traceback entry at [line], so the learner sees which line uses the construct. */
static void unsupported_at_line(Compiler *c, int line)
{
    Vm *vm = c->vm;
    Object *exc = vm->exc;
    if (!exc || !obj_isinstance_type(exc, &NotImplementedErrorType)) return;
    if (((ExceptionObject *)exc)->traceback) return;
    vm->exc = NULL; /* lookups must not run while an exception is pending */
    Object *name = str_intern_cstr(vm, "<module>");
    if (name) exc_add_traceback(vm, exc, c->filename_obj, name, line, line, -1, -1);
    XDECREF(vm, name);
    if (vm->exc) err_clear(vm);
    vm->exc = exc;
}

Object *compiler_compile(Vm *vm, const Module *m, const char *source, const char *filename)
{
    Compiler comp = {vm, NULL, source, filename, NULL, false};
    Compiler *c = &comp;
    SymtableError serr;
    /* CPython's symtable allows three levels of statement and expression nesting per
     * unit of the recursion limit (COMPILER_STACK_FRAME_SCALE), and the compiler
     * recurses no deeper than the symtable. At most 6000 whatever the limit: the wasm
     * build's native stack (about 1 MB in V8) ran out near 10,000. */
    int max_depth = vm->recursion_limit < 2000 ? 3 * vm->recursion_limit : 6000;
    Scope *top = symtable_build(m, max_depth, &serr);
    if (!top && serr.too_deep)
        return err_format(vm, &RecursionErrorType, "maximum recursion depth exceeded during compilation");
    if (!top) {
        error_at(c, serr.pos, serr.msg);
        return NULL;
    }
    c->filename_obj = str_from_cstr(vm, filename);
    if (!c->filename_obj || !unit_new(c, top, NULL, 1)) {
        symtable_free(top);
        XDECREF(vm, c->filename_obj);
        return NULL;
    }
    const StmtList *body = &m->body;
    size_t start = 0;
    if (body->count && body->items[0]->kind == STMT_EXPR &&
        body->items[0]->v.expr.value->kind == EXPR_CONSTANT &&
        body->items[0]->v.expr.value->v.constant.kind == CONST_STR) {
        c->u->cur = pos_of(body->items[0]->pos);
        load_const(c, constant_object(c, body->items[0]->v.expr.value));
        emit(c, OP_STORE_NAME, name_index(c, "__doc__"));
        start = 1;
    }
    for (size_t i = start; i < body->count && !c->failed; i++) visit_stmt(c, body->items[i]);
    int fail_line = c->failed ? c->u->cur.line : 0;
    c->u->cur.col = c->u->cur.end_col = -1;
    c->u->cur.end_line = c->u->cur.line;
    load_const(c, NEWREF(vm->none));
    emit(c, OP_RETURN_VALUE, 0);
    Object *code = unit_finish(c, "<module>", NULL);
    while (c->u) unit_free(c, c->u);
    symtable_free(top);
    if (fail_line > 0) unsupported_at_line(c, fail_line);
    XDECREF(vm, c->filename_obj);
    if (!code && !vm->exc) err_format(vm, &RuntimeErrorType, "compilation failed");
    if (code && getenv("PYFRAMES_DIS")) code_dump(vm, (CodeObject *)code);
    return code;
}
