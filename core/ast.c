/* ast.c — the arena that owns every AST node, the growable node lists, and
 * ast_dump, a printer whose output /tmp test scripts compare with CPython's ast module
 * (fields in the order of CPython's _fields, positions as @line:col-endline:endcol).
 */
#include "ast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 65536

/* One malloc'ed block; blocks are chained and freed together. */
typedef struct Chunk {
    struct Chunk *next;
    size_t used, size;
    max_align_t data[];
} Chunk;

struct Arena {
    Chunk *head;
};

Arena *arena_new(void) {
    return calloc(1, sizeof(Arena));
}

static Chunk *chunk_new(size_t size) {
    Chunk *c = malloc(sizeof(Chunk) + size);
    if (!c) return NULL;
    c->next = NULL;
    c->used = 0;
    c->size = size;
    return c;
}

void *arena_alloc(Arena *a, size_t size) {
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0) size = align;
    Chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        if (size > ARENA_CHUNK / 4) {
            /* A big block gets its own chunk behind the current one. */
            Chunk *big = chunk_new(size);
            if (!big) return NULL;
            big->used = size;
            if (c) { big->next = c->next; c->next = big; }
            else a->head = big;
            memset(big->data, 0, size);
            return big->data;
        }
        c = chunk_new(ARENA_CHUNK);
        if (!c) return NULL;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(Arena *a, const char *s, size_t len) {
    char *p = arena_alloc(a, len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

void arena_free(Arena *a) {
    if (!a) return;
    Chunk *c = a->head;
    while (c) {
        Chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

/* Grows a pointer array of [*cap] entries to hold one more, copying [count] items. */
static void **grow(Arena *a, void **items, size_t count, size_t *cap) {
    if (count < *cap) return items;
    size_t ncap = *cap ? *cap * 2 : 4;
    void **n = arena_alloc(a, ncap * sizeof(void *));
    if (!n) return NULL;
    if (count) memcpy(n, items, count * sizeof(void *));
    *cap = ncap;
    return n;
}

int exprlist_push(Arena *a, ExprList *l, Expr *e) {
    void **n = grow(a, (void **)l->items, l->count, &l->cap);
    if (!n) return -1;
    l->items = (Expr **)n;
    l->items[l->count++] = e;
    return 0;
}

int stmtlist_push(Arena *a, StmtList *l, Stmt *s) {
    void **n = grow(a, (void **)l->items, l->count, &l->cap);
    if (!n) return -1;
    l->items = (Stmt **)n;
    l->items[l->count++] = s;
    return 0;
}

int namelist_push(Arena *a, NameList *l, const char *name) {
    void **n = grow(a, (void **)l->items, l->count, &l->cap);
    if (!n) return -1;
    l->items = (const char **)n;
    l->items[l->count++] = name;
    return 0;
}

/* ---- ast_dump ---- */

static const char *const binop_names[] = {
    "Add", "Sub", "Mult", "Div", "FloorDiv", "Mod", "Pow", "MatMult",
    "LShift", "RShift", "BitAnd", "BitOr", "BitXor"
};
static const char *const cmpop_names[] = {
    "Lt", "LtE", "Eq", "NotEq", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"
};
static const char *const ctx_names[] = {"Load", "Store", "Del"};

static const char *unop_name(int op) {
    switch (op) {
    case UNOP_NEG: return "USub";
    case UNOP_POS: return "UAdd";
    case UNOP_INVERT: return "Invert";
    default: return "Not";
    }
}

static void dump_pos(FILE *out, AstPos p) {
    fprintf(out, "@%d:%d-%d:%d", p.lineno, p.col_offset, p.end_lineno, p.end_col_offset);
}

static void dump_str(FILE *out, const char *s, size_t n) {
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
        else if (c < 0x20 || c >= 0x7F) fprintf(out, "\\x%02x", c);
        else fputc(c, out);
    }
    fputc('"', out);
}

static void dump_name(FILE *out, const char *s) {
    if (s) dump_str(out, s, strlen(s));
    else fputs("None", out);
}

static void dump_expr(FILE *out, const Expr *e);
static void dump_stmts(FILE *out, const StmtList *l);

static void dump_exprs(FILE *out, Expr *const *items, size_t n) {
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        dump_expr(out, items[i]);
    }
    fputc(']', out);
}

static void dump_list(FILE *out, const ExprList *l) {
    dump_exprs(out, l->items, l->count);
}

/* Prints a CONST_INT's value in decimal when it fits in 64 bits, else "bigint". */
static void dump_int(FILE *out, const char *text, int base) {
    uint64_t v = 0;
    for (const char *p = text; *p; p++) {
        int d = *p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) {
            fputs("bigint", out);
            return;
        }
        v = v * (uint64_t)base + (uint64_t)d;
    }
    fprintf(out, "%llu", (unsigned long long)v);
}

static void dump_constant(FILE *out, const Expr *e) {
    fputs("Constant(value=", out);
    switch (e->v.constant.kind) {
    case CONST_NONE: fputs("None", out); break;
    case CONST_TRUE: fputs("True", out); break;
    case CONST_FALSE: fputs("False", out); break;
    case CONST_ELLIPSIS: fputs("Ellipsis", out); break;
    case CONST_INT: dump_int(out, e->v.constant.text, e->v.constant.base); break;
    case CONST_FLOAT: fprintf(out, "%.17g", e->v.constant.f); break;
    case CONST_STR: dump_str(out, e->v.constant.text, e->v.constant.len); break;
    case CONST_BYTES:
        fputc('b', out);
        dump_str(out, e->v.constant.text, e->v.constant.len);
        break;
    }
    fputc(')', out);
}

static void dump_arg(FILE *out, const Arg *a) {
    if (!a) { fputs("None", out); return; }
    fputs("arg(arg=", out);
    dump_name(out, a->arg);
    fputs(", annotation=", out);
    dump_expr(out, a->annotation);
    fputc(')', out);
    dump_pos(out, a->pos);
}

static void dump_args_list(FILE *out, Arg *const *args, size_t n) {
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        dump_arg(out, args[i]);
    }
    fputc(']', out);
}

static void dump_arguments(FILE *out, const Arguments *a) {
    fputs("arguments(posonlyargs=", out);
    dump_args_list(out, a->posonlyargs, a->nposonlyargs);
    fputs(", args=", out);
    dump_args_list(out, a->args, a->nargs);
    fputs(", vararg=", out);
    dump_arg(out, a->vararg);
    fputs(", kwonlyargs=", out);
    dump_args_list(out, a->kwonlyargs, a->nkwonlyargs);
    fputs(", kw_defaults=", out);
    dump_exprs(out, a->kw_defaults, a->nkwonlyargs);
    fputs(", kwarg=", out);
    dump_arg(out, a->kwarg);
    fputs(", defaults=", out);
    dump_exprs(out, a->defaults, a->ndefaults);
    fputc(')', out);
}

static void dump_keywords(FILE *out, Keyword *const *kw, size_t n) {
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        fputs("keyword(arg=", out);
        dump_name(out, kw[i]->arg);
        fputs(", value=", out);
        dump_expr(out, kw[i]->value);
        fputc(')', out);
        dump_pos(out, kw[i]->pos);
    }
    fputc(']', out);
}

static void dump_generators(FILE *out, Comprehension *const *g, size_t n) {
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        fputs("comprehension(target=", out);
        dump_expr(out, g[i]->target);
        fputs(", iter=", out);
        dump_expr(out, g[i]->iter);
        fputs(", ifs=", out);
        dump_list(out, &g[i]->ifs);
        fprintf(out, ", is_async=%d)", g[i]->is_async);
    }
    fputc(']', out);
}

static void dump_expr(FILE *out, const Expr *e) {
    if (!e) { fputs("None", out); return; }
    switch (e->kind) {
    case EXPR_BOOLOP:
        fprintf(out, "BoolOp(op=%s, values=", e->v.boolop.op == BOOLOP_AND ? "And" : "Or");
        dump_list(out, &e->v.boolop.values);
        break;
    case EXPR_NAMEDEXPR:
        fputs("NamedExpr(target=", out);
        dump_expr(out, e->v.namedexpr.target);
        fputs(", value=", out);
        dump_expr(out, e->v.namedexpr.value);
        break;
    case EXPR_BINOP:
        fputs("BinOp(left=", out);
        dump_expr(out, e->v.binop.left);
        fprintf(out, ", op=%s, right=", binop_names[e->v.binop.op]);
        dump_expr(out, e->v.binop.right);
        break;
    case EXPR_UNARYOP:
        fprintf(out, "UnaryOp(op=%s, operand=", unop_name(e->v.unaryop.op));
        dump_expr(out, e->v.unaryop.operand);
        break;
    case EXPR_LAMBDA:
        fputs("Lambda(args=", out);
        dump_arguments(out, e->v.lambda.args);
        fputs(", body=", out);
        dump_expr(out, e->v.lambda.body);
        break;
    case EXPR_IFEXP:
        fputs("IfExp(test=", out);
        dump_expr(out, e->v.ifexp.test);
        fputs(", body=", out);
        dump_expr(out, e->v.ifexp.body);
        fputs(", orelse=", out);
        dump_expr(out, e->v.ifexp.orelse);
        break;
    case EXPR_DICT:
        fputs("Dict(keys=", out);
        dump_list(out, &e->v.dict.keys);
        fputs(", values=", out);
        dump_list(out, &e->v.dict.values);
        break;
    case EXPR_SET:
        fputs("Set(elts=", out);
        dump_list(out, &e->v.set.elts);
        break;
    case EXPR_LISTCOMP: case EXPR_SETCOMP: case EXPR_GENERATOREXP:
        fputs(e->kind == EXPR_LISTCOMP ? "ListComp(elt=" : e->kind == EXPR_SETCOMP
              ? "SetComp(elt=" : "GeneratorExp(elt=", out);
        dump_expr(out, e->v.comp.elt);
        fputs(", generators=", out);
        dump_generators(out, e->v.comp.generators, e->v.comp.ngenerators);
        break;
    case EXPR_DICTCOMP:
        fputs("DictComp(key=", out);
        dump_expr(out, e->v.dictcomp.key);
        fputs(", value=", out);
        dump_expr(out, e->v.dictcomp.value);
        fputs(", generators=", out);
        dump_generators(out, e->v.dictcomp.generators, e->v.dictcomp.ngenerators);
        break;
    case EXPR_AWAIT: case EXPR_YIELD: case EXPR_YIELDFROM:
        fputs(e->kind == EXPR_AWAIT ? "Await(value=" : e->kind == EXPR_YIELD
              ? "Yield(value=" : "YieldFrom(value=", out);
        dump_expr(out, e->v.yield.value);
        break;
    case EXPR_COMPARE:
        fputs("Compare(left=", out);
        dump_expr(out, e->v.compare.left);
        fputs(", ops=[", out);
        for (size_t i = 0; i < e->v.compare.comparators.count; i++)
            fprintf(out, "%s%s", i ? ", " : "", cmpop_names[e->v.compare.ops[i]]);
        fputs("], comparators=", out);
        dump_list(out, &e->v.compare.comparators);
        break;
    case EXPR_CALL:
        fputs("Call(func=", out);
        dump_expr(out, e->v.call.func);
        fputs(", args=", out);
        dump_list(out, &e->v.call.args);
        fputs(", keywords=", out);
        dump_keywords(out, e->v.call.keywords, e->v.call.nkeywords);
        break;
    case EXPR_FORMATTEDVALUE:
        fputs("FormattedValue(value=", out);
        dump_expr(out, e->v.formatted.value);
        fprintf(out, ", conversion=%d, format_spec=", e->v.formatted.conversion);
        dump_expr(out, e->v.formatted.format_spec);
        break;
    case EXPR_JOINEDSTR:
        fputs("JoinedStr(values=", out);
        dump_list(out, &e->v.joinedstr.values);
        break;
    case EXPR_CONSTANT:
        dump_constant(out, e);
        dump_pos(out, e->pos);
        return;
    case EXPR_ATTRIBUTE:
        fputs("Attribute(value=", out);
        dump_expr(out, e->v.attribute.value);
        fputs(", attr=", out);
        dump_name(out, e->v.attribute.attr);
        fprintf(out, ", ctx=%s", ctx_names[e->v.attribute.ctx]);
        break;
    case EXPR_SUBSCRIPT:
        fputs("Subscript(value=", out);
        dump_expr(out, e->v.subscript.value);
        fputs(", slice=", out);
        dump_expr(out, e->v.subscript.slice);
        fprintf(out, ", ctx=%s", ctx_names[e->v.subscript.ctx]);
        break;
    case EXPR_STARRED:
        fputs("Starred(value=", out);
        dump_expr(out, e->v.starred.value);
        fprintf(out, ", ctx=%s", ctx_names[e->v.starred.ctx]);
        break;
    case EXPR_NAME:
        fputs("Name(id=", out);
        dump_name(out, e->v.name.id);
        fprintf(out, ", ctx=%s", ctx_names[e->v.name.ctx]);
        break;
    case EXPR_LIST: case EXPR_TUPLE:
        fputs(e->kind == EXPR_LIST ? "List(elts=" : "Tuple(elts=", out);
        dump_list(out, &e->v.seq.elts);
        fprintf(out, ", ctx=%s", ctx_names[e->v.seq.ctx]);
        break;
    case EXPR_SLICE:
        fputs("Slice(lower=", out);
        dump_expr(out, e->v.slice.lower);
        fputs(", upper=", out);
        dump_expr(out, e->v.slice.upper);
        fputs(", step=", out);
        dump_expr(out, e->v.slice.step);
        break;
    }
    fputc(')', out);
    dump_pos(out, e->pos);
}

static void dump_aliases(FILE *out, const Alias *a, size_t n) {
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        fputs("alias(name=", out);
        dump_name(out, a[i].name);
        fputs(", asname=", out);
        dump_name(out, a[i].asname);
        fputc(')', out);
        dump_pos(out, a[i].pos);
    }
    fputc(']', out);
}

static void dump_names(FILE *out, const NameList *l) {
    fputc('[', out);
    for (size_t i = 0; i < l->count; i++) {
        if (i) fputs(", ", out);
        dump_name(out, l->items[i]);
    }
    fputc(']', out);
}

static void dump_stmt(FILE *out, const Stmt *s) {
    switch (s->kind) {
    case STMT_FUNCTIONDEF:
        fputs("FunctionDef(name=", out);
        dump_name(out, s->v.funcdef.name);
        fputs(", args=", out);
        dump_arguments(out, s->v.funcdef.args);
        fputs(", body=", out);
        dump_stmts(out, &s->v.funcdef.body);
        fputs(", decorator_list=", out);
        dump_list(out, &s->v.funcdef.decorator_list);
        fputs(", returns=", out);
        dump_expr(out, s->v.funcdef.returns);
        break;
    case STMT_CLASSDEF:
        fputs("ClassDef(name=", out);
        dump_name(out, s->v.classdef.name);
        fputs(", bases=", out);
        dump_list(out, &s->v.classdef.bases);
        fputs(", keywords=", out);
        dump_keywords(out, s->v.classdef.keywords, s->v.classdef.nkeywords);
        fputs(", body=", out);
        dump_stmts(out, &s->v.classdef.body);
        fputs(", decorator_list=", out);
        dump_list(out, &s->v.classdef.decorator_list);
        break;
    case STMT_RETURN:
        fputs("Return(value=", out);
        dump_expr(out, s->v.ret.value);
        break;
    case STMT_DELETE:
        fputs("Delete(targets=", out);
        dump_list(out, &s->v.del.targets);
        break;
    case STMT_ASSIGN:
        fputs("Assign(targets=", out);
        dump_list(out, &s->v.assign.targets);
        fputs(", value=", out);
        dump_expr(out, s->v.assign.value);
        break;
    case STMT_AUGASSIGN:
        fputs("AugAssign(target=", out);
        dump_expr(out, s->v.augassign.target);
        fprintf(out, ", op=%s, value=", binop_names[s->v.augassign.op]);
        dump_expr(out, s->v.augassign.value);
        break;
    case STMT_ANNASSIGN:
        fputs("AnnAssign(target=", out);
        dump_expr(out, s->v.annassign.target);
        fputs(", annotation=", out);
        dump_expr(out, s->v.annassign.annotation);
        fputs(", value=", out);
        dump_expr(out, s->v.annassign.value);
        fprintf(out, ", simple=%d", s->v.annassign.simple);
        break;
    case STMT_FOR:
        fputs("For(target=", out);
        dump_expr(out, s->v.for_.target);
        fputs(", iter=", out);
        dump_expr(out, s->v.for_.iter);
        fputs(", body=", out);
        dump_stmts(out, &s->v.for_.body);
        fputs(", orelse=", out);
        dump_stmts(out, &s->v.for_.orelse);
        break;
    case STMT_WHILE: case STMT_IF:
        fputs(s->kind == STMT_WHILE ? "While(test=" : "If(test=", out);
        dump_expr(out, s->v.if_.test);
        fputs(", body=", out);
        dump_stmts(out, &s->v.if_.body);
        fputs(", orelse=", out);
        dump_stmts(out, &s->v.if_.orelse);
        break;
    case STMT_WITH:
        fputs("With(items=[", out);
        for (size_t i = 0; i < s->v.with.nitems; i++) {
            fputs(i ? ", withitem(context_expr=" : "withitem(context_expr=", out);
            dump_expr(out, s->v.with.items[i].context_expr);
            fputs(", optional_vars=", out);
            dump_expr(out, s->v.with.items[i].optional_vars);
            fputc(')', out);
        }
        fputs("], body=", out);
        dump_stmts(out, &s->v.with.body);
        break;
    case STMT_RAISE:
        fputs("Raise(exc=", out);
        dump_expr(out, s->v.raise.exc);
        fputs(", cause=", out);
        dump_expr(out, s->v.raise.cause);
        break;
    case STMT_TRY:
        fputs("Try(body=", out);
        dump_stmts(out, &s->v.try_.body);
        fputs(", handlers=[", out);
        for (size_t i = 0; i < s->v.try_.nhandlers; i++) {
            ExceptHandler *h = s->v.try_.handlers[i];
            fputs(i ? ", ExceptHandler(type=" : "ExceptHandler(type=", out);
            dump_expr(out, h->type);
            fputs(", name=", out);
            dump_name(out, h->name);
            fputs(", body=", out);
            dump_stmts(out, &h->body);
            fputc(')', out);
            dump_pos(out, h->pos);
        }
        fputs("], orelse=", out);
        dump_stmts(out, &s->v.try_.orelse);
        fputs(", finalbody=", out);
        dump_stmts(out, &s->v.try_.finalbody);
        break;
    case STMT_ASSERT:
        fputs("Assert(test=", out);
        dump_expr(out, s->v.assert_.test);
        fputs(", msg=", out);
        dump_expr(out, s->v.assert_.msg);
        break;
    case STMT_IMPORT:
        fputs("Import(names=", out);
        dump_aliases(out, s->v.import.names, s->v.import.nnames);
        break;
    case STMT_IMPORTFROM:
        fputs("ImportFrom(module=", out);
        dump_name(out, s->v.import.module);
        fputs(", names=", out);
        dump_aliases(out, s->v.import.names, s->v.import.nnames);
        fprintf(out, ", level=%d", s->v.import.level);
        break;
    case STMT_GLOBAL: case STMT_NONLOCAL:
        fputs(s->kind == STMT_GLOBAL ? "Global(names=" : "Nonlocal(names=", out);
        dump_names(out, &s->v.global.names);
        break;
    case STMT_EXPR:
        fputs("Expr(value=", out);
        dump_expr(out, s->v.expr.value);
        break;
    case STMT_PASS: fputs("Pass(", out); break;
    case STMT_BREAK: fputs("Break(", out); break;
    case STMT_CONTINUE: fputs("Continue(", out); break;
    }
    fputc(')', out);
    dump_pos(out, s->pos);
}

static void dump_stmts(FILE *out, const StmtList *l) {
    fputc('[', out);
    for (size_t i = 0; i < l->count; i++) {
        if (i) fputs(", ", out);
        dump_stmt(out, l->items[i]);
    }
    fputc(']', out);
}

void ast_dump(FILE *out, const Module *m) {
    fputs("Module(body=", out);
    dump_stmts(out, &m->body);
    fputs(")\n", out);
}

void ast_dump_expr(FILE *out, const Expr *e) {
    dump_expr(out, e);
    fputc('\n', out);
}
