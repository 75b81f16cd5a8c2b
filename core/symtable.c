/* symtable.c — builds the scope tree of a module in two passes, as CPython:
 * 1. walk the AST recording, per scope, which names are bound, used, declared global
 *    or nonlocal (and the scope-level errors CPython reports there);
 * 2. resolve every name top-down (LEGB: class scopes are invisible to nested
 *    functions), then mark the locals that inner functions capture as cells.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "symtable.h"

typedef struct {
    Scope *cur;
    SymtableError *err;
    bool failed;
    int depth, max_depth; /* expression nesting (the compiler recurses as deep) */
} Builder;

/* ---- Scope and symbol bookkeeping ---- */

static Scope *scope_new(Builder *b, BlockKind kind, const char *name, const void *node,
                        int lineno)
{
    Scope *s = calloc(1, sizeof(Scope));
    if (!s) { b->failed = true; snprintf(b->err->msg, sizeof b->err->msg, "out of memory"); return NULL; }
    s->kind = kind;
    s->name = name;
    s->node = node;
    s->lineno = lineno;
    s->parent = b->cur;
    s->private_name = kind == BLOCK_CLASS ? name : b->cur ? b->cur->private_name : NULL;
    if (b->cur) {
        Scope *p = b->cur;
        if (p->nchildren == p->capchildren) {
            p->capchildren = p->capchildren ? p->capchildren * 2 : 4;
            p->children = realloc(p->children, p->capchildren * sizeof(Scope *));
        }
        p->children[p->nchildren++] = s;
    }
    return s;
}

void symtable_free(Scope *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nchildren; i++) symtable_free(s->children[i]);
    free(s->children);
    free(s->syms);
    for (size_t i = 0; i < s->nowned; i++) free(s->owned[i]);
    free(s->owned);
    free(s);
}

/* Writes the mangled form of [name] in a class named [priv] to [buf] and returns it,
 * or returns [name] when it is not mangled (or does not fit). */
static const char *mangle_into(const char *priv, const char *name, char *buf, size_t cap)
{
    if (!priv || name[0] != '_' || name[1] != '_') return name;
    size_t n = strlen(name);
    if ((name[n - 1] == '_' && name[n - 2] == '_') || strchr(name, '.')) return name;
    while (*priv == '_') priv++;
    if (!*priv) return name;
    size_t np = strlen(priv);
    if (1 + np + n + 1 > cap) return name;
    buf[0] = '_';
    memcpy(buf + 1, priv, np);
    memcpy(buf + 1 + np, name, n + 1);
    return buf;
}

const char *symtable_mangle(Scope *s, const char *name)
{
    char buf[512];
    const char *m = mangle_into(s->private_name, name, buf, sizeof buf);
    if (m == name) return name;
    for (size_t i = 0; i < s->nowned; i++)
        if (strcmp(s->owned[i], m) == 0) return s->owned[i];
    if (s->nowned == s->capowned) {
        size_t cap = s->capowned ? s->capowned * 2 : 4;
        char **grown = realloc(s->owned, cap * sizeof *grown);
        if (!grown) return NULL;
        s->owned = grown;
        s->capowned = cap;
    }
    size_t len = strlen(m) + 1;
    char *copy = malloc(len);
    if (!copy) return NULL;
    memcpy(copy, m, len);
    s->owned[s->nowned++] = copy;
    return copy;
}

Symbol *symtable_lookup(const Scope *s, const char *name)
{
    char buf[512];
    name = mangle_into(s->private_name, name, buf, sizeof buf);
    for (size_t i = 0; i < s->nsyms; i++)
        if (strcmp(s->syms[i].name, name) == 0) return &s->syms[i];
    return NULL;
}

Scope *symtable_child(const Scope *s, const void *node)
{
    for (size_t i = 0; i < s->nchildren; i++)
        if (s->children[i]->node == node) return s->children[i];
    return NULL;
}

static Symbol *sym_get(Scope *s, const char *name)
{
    Symbol *sym = symtable_lookup(s, name);
    if (sym) return sym;
    name = symtable_mangle(s, name);
    if (!name) return NULL;
    if (s->nsyms == s->capsyms) {
        s->capsyms = s->capsyms ? s->capsyms * 2 : 8;
        s->syms = realloc(s->syms, s->capsyms * sizeof(Symbol));
    }
    sym = &s->syms[s->nsyms++];
    sym->name = name;
    sym->flags = 0;
    sym->scope = 0;
    return sym;
}

static void error_at(Builder *b, AstPos pos, const char *fmt, const char *name)
{
    if (b->failed) return;
    b->failed = true;
    snprintf(b->err->msg, sizeof b->err->msg, fmt, name);
    b->err->pos = pos;
}

static void add_def(Builder *b, const char *name, int flag)
{
    Symbol *s = sym_get(b->cur, name);
    if (!s) {
        b->failed = true;
        snprintf(b->err->msg, sizeof b->err->msg, "out of memory");
        return;
    }
    s->flags |= flag;
}

/* ---- Pass 1: the walk ---- */

static void visit_expr(Builder *b, const Expr *e);
static void visit_stmts(Builder *b, const StmtList *l);

static void visit_exprs(Builder *b, const ExprList *l)
{
    for (size_t i = 0; i < l->count; i++) visit_expr(b, l->items[i]);
}

/* Adds parameter [arg]; a name already taken by a parameter is CPython's
 * "duplicate argument 'a' in function definition", at the second one. */
static void add_param(Builder *b, const Arg *arg)
{
    Symbol *sym = symtable_lookup(b->cur, arg->arg);
    if (sym && (sym->flags & DEF_PARAM)) {
        error_at(b, arg->pos, "duplicate argument '%s' in function definition", arg->arg);
        return;
    }
    add_def(b, arg->arg, DEF_PARAM);
}

static void visit_params(Builder *b, const Arguments *a)
{
    for (size_t i = 0; i < a->nposonlyargs; i++) add_param(b, a->posonlyargs[i]);
    for (size_t i = 0; i < a->nargs; i++) add_param(b, a->args[i]);
    for (size_t i = 0; i < a->nkwonlyargs; i++) add_param(b, a->kwonlyargs[i]);
    if (a->vararg) add_param(b, a->vararg);
    if (a->kwarg) add_param(b, a->kwarg);
}

/* Defaults and annotations are evaluated in the enclosing scope. */
static void visit_defaults(Builder *b, const Arguments *a)
{
    for (size_t i = 0; i < a->ndefaults; i++) visit_expr(b, a->defaults[i]);
    for (size_t i = 0; i < a->nkwonlyargs; i++)
        if (a->kw_defaults[i]) visit_expr(b, a->kw_defaults[i]);
}

static void visit_comprehension(Builder *b, const Expr *e, const char *name,
                                Comprehension **gens, size_t ngens, const Expr *elt,
                                const Expr *value)
{
    visit_expr(b, gens[0]->iter); /* the outermost iterable: enclosing scope */
    Scope *s = scope_new(b, BLOCK_FUNCTION, name, e, e->pos.lineno);
    if (!s) return;
    s->is_comprehension = true;
    s->is_generator = e->kind == EXPR_GENERATOREXP;
    Scope *saved = b->cur;
    b->cur = s;
    add_def(b, ".0", DEF_PARAM);
    for (size_t i = 0; i < ngens; i++) {
        visit_expr(b, gens[i]->target);
        if (i > 0) visit_expr(b, gens[i]->iter);
        visit_exprs(b, &gens[i]->ifs);
    }
    if (elt) visit_expr(b, elt);
    if (value) visit_expr(b, value);
    b->cur = saved;
}

static void visit_name(Builder *b, const Expr *e)
{
    const char *id = e->v.name.id;
    if (e->v.name.ctx == CTX_LOAD) {
        add_def(b, id, DEF_USE);
        if (b->cur->kind == BLOCK_FUNCTION && strcmp(id, "super") == 0)
            add_def(b, "__class__", DEF_USE);
    } else {
        add_def(b, id, DEF_LOCAL);
    }
}

static void visit_expr1(Builder *b, const Expr *e);

/* Counts one level of statement or expression nesting, as CPython's symtable does;
 * false past the limit. */
static bool enter(Builder *b)
{
    if (b->depth >= b->max_depth) {
        b->failed = b->err->too_deep = true;
        return false;
    }
    b->depth++;
    return true;
}

static void visit_expr(Builder *b, const Expr *e)
{
    if (!e || b->failed || !enter(b)) return;
    visit_expr1(b, e);
    b->depth--;
}

static void visit_expr1(Builder *b, const Expr *e)
{
    switch (e->kind) {
    case EXPR_BOOLOP: visit_exprs(b, &e->v.boolop.values); break;
    case EXPR_NAMEDEXPR: {
        /* In a comprehension the target binds in the enclosing function. */
        Scope *saved = b->cur;
        while (b->cur->is_comprehension && b->cur->parent) b->cur = b->cur->parent;
        visit_expr(b, e->v.namedexpr.target);
        b->cur = saved;
        if (saved->is_comprehension)
            add_def(b, e->v.namedexpr.target->v.name.id, DEF_USE);
        visit_expr(b, e->v.namedexpr.value);
        break;
    }
    case EXPR_BINOP: visit_expr(b, e->v.binop.left); visit_expr(b, e->v.binop.right); break;
    case EXPR_UNARYOP: visit_expr(b, e->v.unaryop.operand); break;
    case EXPR_LAMBDA: {
        visit_defaults(b, e->v.lambda.args);
        Scope *s = scope_new(b, BLOCK_FUNCTION, "<lambda>", e, e->pos.lineno);
        if (!s) return;
        s->is_lambda = true;
        Scope *saved = b->cur;
        b->cur = s;
        visit_params(b, e->v.lambda.args);
        visit_expr(b, e->v.lambda.body);
        b->cur = saved;
        break;
    }
    case EXPR_IFEXP:
        visit_expr(b, e->v.ifexp.test);
        visit_expr(b, e->v.ifexp.body);
        visit_expr(b, e->v.ifexp.orelse);
        break;
    case EXPR_DICT:
        for (size_t i = 0; i < e->v.dict.keys.count; i++) visit_expr(b, e->v.dict.keys.items[i]);
        visit_exprs(b, &e->v.dict.values);
        break;
    case EXPR_SET: visit_exprs(b, &e->v.set.elts); break;
    case EXPR_LISTCOMP:
        visit_comprehension(b, e, "<listcomp>", e->v.comp.generators, e->v.comp.ngenerators,
                            e->v.comp.elt, NULL);
        break;
    case EXPR_SETCOMP:
        visit_comprehension(b, e, "<setcomp>", e->v.comp.generators, e->v.comp.ngenerators,
                            e->v.comp.elt, NULL);
        break;
    case EXPR_GENERATOREXP:
        visit_comprehension(b, e, "<genexpr>", e->v.comp.generators, e->v.comp.ngenerators,
                            e->v.comp.elt, NULL);
        break;
    case EXPR_DICTCOMP:
        visit_comprehension(b, e, "<dictcomp>", e->v.dictcomp.generators,
                            e->v.dictcomp.ngenerators, e->v.dictcomp.key, e->v.dictcomp.value);
        break;
    case EXPR_AWAIT:
    case EXPR_YIELD:
    case EXPR_YIELDFROM:
        if (b->cur->kind != BLOCK_FUNCTION) {
            error_at(b, e->pos, e->kind == EXPR_AWAIT ? "'await' outside function"
                                                      : "'yield' outside function", NULL);
            return;
        }
        b->cur->is_generator = true;
        visit_expr(b, e->v.yield.value);
        break;
    case EXPR_COMPARE:
        visit_expr(b, e->v.compare.left);
        visit_exprs(b, &e->v.compare.comparators);
        break;
    case EXPR_CALL:
        visit_expr(b, e->v.call.func);
        visit_exprs(b, &e->v.call.args);
        for (size_t i = 0; i < e->v.call.nkeywords; i++)
            visit_expr(b, e->v.call.keywords[i]->value);
        break;
    case EXPR_FORMATTEDVALUE:
        visit_expr(b, e->v.formatted.value);
        visit_expr(b, e->v.formatted.format_spec);
        break;
    case EXPR_JOINEDSTR: visit_exprs(b, &e->v.joinedstr.values); break;
    case EXPR_CONSTANT: break;
    case EXPR_ATTRIBUTE: visit_expr(b, e->v.attribute.value); break;
    case EXPR_SUBSCRIPT:
        visit_expr(b, e->v.subscript.value);
        visit_expr(b, e->v.subscript.slice);
        break;
    case EXPR_STARRED: visit_expr(b, e->v.starred.value); break;
    case EXPR_NAME: visit_name(b, e); break;
    case EXPR_LIST:
    case EXPR_TUPLE: visit_exprs(b, &e->v.seq.elts); break;
    case EXPR_SLICE:
        visit_expr(b, e->v.slice.lower);
        visit_expr(b, e->v.slice.upper);
        visit_expr(b, e->v.slice.step);
        break;
    }
}

static void visit_global(Builder *b, const Stmt *s, bool nonlocal)
{
    if (nonlocal && b->cur->kind == BLOCK_MODULE) {
        error_at(b, s->pos, "nonlocal declaration not allowed at module level", NULL);
        return;
    }
    for (size_t i = 0; i < s->v.global.names.count; i++) {
        const char *name = s->v.global.names.items[i];
        Symbol *sym = symtable_lookup(b->cur, name);
        int cur = sym ? sym->flags : 0;
        const char *kw = nonlocal ? "nonlocal" : "global";
        char fmt[120];
        if (cur & (DEF_PARAM | DEF_LOCAL | DEF_USE)) {
            if (cur & DEF_PARAM)
                snprintf(fmt, sizeof fmt, "name '%%s' is parameter and %s", kw);
            else if (cur & DEF_LOCAL)
                snprintf(fmt, sizeof fmt, "name '%%s' is assigned to before %s declaration", kw);
            else
                snprintf(fmt, sizeof fmt, "name '%%s' is used prior to %s declaration", kw);
            error_at(b, s->pos, fmt, name);
            return;
        }
        if (nonlocal && (cur & DEF_GLOBAL)) {
            error_at(b, s->pos, "name '%s' is nonlocal and global", name);
            return;
        }
        if (!nonlocal && (cur & DEF_NONLOCAL)) {
            error_at(b, s->pos, "name '%s' is nonlocal and global", name);
            return;
        }
        add_def(b, name, nonlocal ? DEF_NONLOCAL : DEF_GLOBAL);
        symtable_lookup(b->cur, name)->decl_pos = s->pos;
    }
}

static void visit_stmt1(Builder *b, const Stmt *s);

static void visit_stmt(Builder *b, const Stmt *s)
{
    if (!s || b->failed || !enter(b)) return;
    visit_stmt1(b, s);
    b->depth--;
}

static void visit_stmt1(Builder *b, const Stmt *s)
{
    switch (s->kind) {
    case STMT_FUNCTIONDEF: {
        add_def(b, s->v.funcdef.name, DEF_LOCAL);
        visit_exprs(b, &s->v.funcdef.decorator_list);
        visit_defaults(b, s->v.funcdef.args);
        Scope *sc = scope_new(b, BLOCK_FUNCTION, s->v.funcdef.name, s, s->pos.lineno);
        if (!sc) return;
        Scope *saved = b->cur;
        b->cur = sc;
        visit_params(b, s->v.funcdef.args);
        visit_stmts(b, &s->v.funcdef.body);
        b->cur = saved;
        break;
    }
    case STMT_CLASSDEF: {
        add_def(b, s->v.classdef.name, DEF_LOCAL);
        visit_exprs(b, &s->v.classdef.decorator_list);
        visit_exprs(b, &s->v.classdef.bases);
        for (size_t i = 0; i < s->v.classdef.nkeywords; i++)
            visit_expr(b, s->v.classdef.keywords[i]->value);
        Scope *sc = scope_new(b, BLOCK_CLASS, s->v.classdef.name, s, s->pos.lineno);
        if (!sc) return;
        Scope *saved = b->cur;
        b->cur = sc;
        visit_stmts(b, &s->v.classdef.body);
        b->cur = saved;
        break;
    }
    case STMT_RETURN: visit_expr(b, s->v.ret.value); break;
    case STMT_DELETE: visit_exprs(b, &s->v.del.targets); break;
    case STMT_ASSIGN:
        visit_exprs(b, &s->v.assign.targets);
        visit_expr(b, s->v.assign.value);
        break;
    case STMT_AUGASSIGN:
        visit_expr(b, s->v.augassign.target);
        if (s->v.augassign.target->kind == EXPR_NAME)
            add_def(b, s->v.augassign.target->v.name.id, DEF_USE);
        visit_expr(b, s->v.augassign.value);
        break;
    case STMT_ANNASSIGN:
        visit_expr(b, s->v.annassign.target);
        if (s->v.annassign.value) visit_expr(b, s->v.annassign.value);
        break;
    case STMT_FOR:
        visit_expr(b, s->v.for_.target);
        visit_expr(b, s->v.for_.iter);
        visit_stmts(b, &s->v.for_.body);
        visit_stmts(b, &s->v.for_.orelse);
        break;
    case STMT_WHILE:
        visit_expr(b, s->v.while_.test);
        visit_stmts(b, &s->v.while_.body);
        visit_stmts(b, &s->v.while_.orelse);
        break;
    case STMT_IF:
        visit_expr(b, s->v.if_.test);
        visit_stmts(b, &s->v.if_.body);
        visit_stmts(b, &s->v.if_.orelse);
        break;
    case STMT_WITH:
        for (size_t i = 0; i < s->v.with.nitems; i++) {
            visit_expr(b, s->v.with.items[i].context_expr);
            visit_expr(b, s->v.with.items[i].optional_vars);
        }
        visit_stmts(b, &s->v.with.body);
        break;
    case STMT_RAISE:
        visit_expr(b, s->v.raise.exc);
        visit_expr(b, s->v.raise.cause);
        break;
    case STMT_TRY:
        visit_stmts(b, &s->v.try_.body);
        for (size_t i = 0; i < s->v.try_.nhandlers; i++) {
            ExceptHandler *h = s->v.try_.handlers[i];
            visit_expr(b, h->type);
            if (h->name) add_def(b, h->name, DEF_LOCAL);
            visit_stmts(b, &h->body);
        }
        visit_stmts(b, &s->v.try_.orelse);
        visit_stmts(b, &s->v.try_.finalbody);
        break;
    case STMT_ASSERT:
        visit_expr(b, s->v.assert_.test);
        visit_expr(b, s->v.assert_.msg);
        break;
    case STMT_IMPORT:
    case STMT_IMPORTFROM:
        for (size_t i = 0; i < s->v.import.nnames; i++) {
            Alias *a = &s->v.import.names[i];
            if (strcmp(a->name, "*") == 0) {
                if (b->cur->kind != BLOCK_MODULE) {
                    error_at(b, s->pos, "import * only allowed at module level", NULL);
                    return;
                }
                continue;
            }
            if (a->asname) {
                add_def(b, a->asname, DEF_LOCAL);
            } else {
                add_def(b, a->name, DEF_LOCAL);
            }
        }
        break;
    case STMT_GLOBAL: visit_global(b, s, false); break;
    case STMT_NONLOCAL: visit_global(b, s, true); break;
    case STMT_EXPR: visit_expr(b, s->v.expr.value); break;
    case STMT_PASS: case STMT_BREAK: case STMT_CONTINUE: break;
    }
}

static void visit_stmts(Builder *b, const StmtList *l)
{
    for (size_t i = 0; i < l->count && !b->failed; i++) visit_stmt(b, l->items[i]);
}

/* ---- Pass 2: resolution ---- */

typedef struct {
    const char **names;
    size_t n, cap;
} NameSet;

static bool set_has(const NameSet *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->names[i], name) == 0) return true;
    return false;
}

static void set_add(NameSet *s, const char *name)
{
    if (set_has(s, name)) return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->names = realloc(s->names, s->cap * sizeof(char *));
    }
    s->names[s->n++] = name;
}

static void set_copy(NameSet *dst, const NameSet *src)
{
    for (size_t i = 0; i < src->n; i++) set_add(dst, src->names[i]);
}

/* Resolves [s] given the names [bound] in enclosing function scopes; adds the names
 * free in [s] (to be provided by its parent) to [free_out]. */
static bool analyze(Builder *b, Scope *s, const NameSet *bound, NameSet *free_out)
{
    for (size_t i = 0; i < s->nsyms; i++) {
        Symbol *sym = &s->syms[i];
        if (sym->flags & DEF_GLOBAL) sym->scope = SC_GLOBAL_EXPLICIT;
        else if (sym->flags & DEF_NONLOCAL) {
            if (!bound || !set_has(bound, sym->name)) {
                error_at(b, sym->decl_pos, "no binding for nonlocal '%s' found", sym->name);
                return false;
            }
            sym->scope = SC_FREE;
        } else if (sym->flags & (DEF_LOCAL | DEF_PARAM)) {
            sym->scope = SC_LOCAL;
        } else if (bound && set_has(bound, sym->name)) {
            sym->scope = SC_FREE;
        } else {
            sym->scope = SC_GLOBAL_IMPLICIT;
        }
    }
    NameSet newbound = {0};
    if (bound) set_copy(&newbound, bound);
    if (s->kind == BLOCK_FUNCTION) {
        for (size_t i = 0; i < s->nsyms; i++)
            if (s->syms[i].scope == SC_LOCAL || s->syms[i].scope == SC_FREE)
                set_add(&newbound, s->syms[i].name);
    } else if (s->kind == BLOCK_CLASS) {
        set_add(&newbound, "__class__");
    }
    NameSet child_free = {0};
    for (size_t i = 0; i < s->nchildren; i++) {
        if (!analyze(b, s->children[i], s->kind == BLOCK_MODULE ? NULL : &newbound,
                     &child_free)) {
            free(newbound.names);
            free(child_free.names);
            return false;
        }
    }
    for (size_t i = 0; i < child_free.n; i++) {
        const char *name = child_free.names[i];
        Symbol *sym = symtable_lookup(s, name);
        if (s->kind == BLOCK_FUNCTION && sym && sym->scope == SC_LOCAL) {
            sym->scope = SC_CELL;
        } else if (s->kind == BLOCK_CLASS && strcmp(name, "__class__") == 0) {
            s->needs_class_closure = true;
        } else if (sym && sym->scope == SC_FREE) {
            /* already free here */
        } else if (sym && s->kind == BLOCK_CLASS) {
            sym->flags |= DEF_FREE_CLASS;
        } else if (!sym || sym->scope == SC_GLOBAL_IMPLICIT) {
            Symbol *ns = sym ? sym : sym_get(s, name);
            if (ns) ns->scope = SC_FREE;
        }
    }
    for (size_t i = 0; i < s->nsyms; i++)
        if (s->syms[i].scope == SC_FREE || (s->syms[i].flags & DEF_FREE_CLASS))
            set_add(free_out, s->syms[i].name);
    free(newbound.names);
    free(child_free.names);
    return true;
}

Scope *symtable_build(const Module *m, int max_depth, SymtableError *err)
{
    Builder b = {NULL, err, false, 0, max_depth};
    err->msg[0] = 0;
    err->too_deep = false;
    Scope *top = scope_new(&b, BLOCK_MODULE, "top", m, 1);
    if (!top) return NULL;
    b.cur = top;
    visit_stmts(&b, &m->body);
    NameSet free_names = {0};
    if (!b.failed) analyze(&b, top, NULL, &free_names);
    free(free_names.names);
    if (b.failed) {
        symtable_free(top);
        return NULL;
    }
    return top;
}
