/* parser.c — a recursive-descent parser for the pyframes subset of Python 3.11: the
 * token array of lexer.c to the AST of ast.h. Node positions are taken from tokens the
 * way CPython's PEG parser does (a node spans its first to its last token). Syntax
 * errors reproduce CPython's first-pass/second-pass behaviour: the specific messages of
 * its invalid_* rules where we detect them, otherwise "invalid syntax" at the furthest
 * token read, and tokenizer errors anywhere in the file take precedence.
 */
#include "parser.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

/* The parser state for one token stream (the module, or one f-string expression). */
typedef struct Parser {
    Arena *arena;
    TokenStream ts;
    Token *toks;
    size_t pos;        /* index of the next token */
    size_t fill;       /* 1 + furthest token index read outside speculation */
    size_t fill_any;   /* 1 + furthest token index read at all */
    int speculating;   /* > 0 inside try_parse */
    jmp_buf *jb;       /* where errors jump to */
    ParseError *err;
    int fatal;         /* the error must not be discarded by speculation */
    int from_lexer;    /* the error is the tokenizer's (already final) */
    int no_override;   /* tokenizer errors later in the file must not replace it */
    int no_override_next; /* set no_override on the next error */
    int no_juxtapose;  /* suppress the "forgot a comma" check (dict keys) */
    int err_raw;       /* err columns are already CPython's final values */
    int in_func;       /* depth of function bodies (for nothing but future use) */
    struct Parser *parent; /* the enclosing parser of an f-string expression */
    ParseError unsupported; /* first unsupported construct seen (kind PE_UNSUPPORTED) */
    int has_unsupported;
} Parser;

typedef Expr *(*ExprFn)(Parser *p);

static Expr *star_expressions(Parser *p);
static Expr *star_expression(Parser *p);
static Expr *named_expression(Parser *p);
static Expr *expression(Parser *p);
static Expr *disjunction(Parser *p);
static Expr *bitwise_or(Parser *p);
static Expr *primary(Parser *p);
static Expr *yield_expr(Parser *p);
static Expr *star_named_expression(Parser *p);
static StmtList block(Parser *p, Token *kw, const char *what);
static Expr *strings(Parser *p);

/* ---- errors ---- */

static _Noreturn void jump(Parser *p) {
    longjmp(*p->jb, 1);
}

/* Fills p->err. Columns follow CPython's RAISE_ERROR_KNOWN_LOCATION: [col] and
 * [end_col] are the byte counts to decode (1-based byte columns); they are converted
 * to characters at the end. */
static void set_err(Parser *p, int kind, int lineno, int col, int end_lineno, int end_col,
                    const char *fmt, va_list ap) {
    ParseError *e = p->err;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    e->kind = kind;
    e->lineno = lineno;
    e->col_offset = col;
    e->end_lineno = end_lineno;
    e->end_col_offset = end_col;
    p->from_lexer = 0;
    p->no_override = p->no_override_next;
    p->no_override_next = 0;
    p->err_raw = 0;
}

/* CPython's RAISE_ERROR_KNOWN_LOCATION: 0-based byte columns; an end column of -1
 * gives end_offset 0. */
static _Noreturn void raise_loc(Parser *p, int lineno, int col, int end_lineno, int end_col,
                                const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    set_err(p, PE_SYNTAX, lineno, col + 1, end_lineno, end_col + 1, fmt, ap);
    va_end(ap);
    jump(p);
}

/* Raises an error spanning from the start of [a] to the end of [b] (byte columns
 * 0-based, as in AstPos). */
static _Noreturn void raise_range(Parser *p, AstPos a, AstPos b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    set_err(p, PE_SYNTAX, a.lineno, a.col_offset + 1, b.end_lineno, b.end_col_offset + 1,
            fmt, ap);
    va_end(ap);
    jump(p);
}

static AstPos tok_pos(const Token *t) {
    AstPos r = {t->lineno, t->col, t->end_lineno, t->end_col};
    return r;
}

/* Raises at token [t] as CPython's _PyPegen_raise_error does (INDENT/DEDENT/
 * ENDMARKER use the tokenizer cursor and no end). */
static _Noreturn void raise_at_token(Parser *p, int kind, const Token *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (t->col_is_cursor)
        set_err(p, kind, t->lineno, t->col, t->end_lineno, -1, fmt, ap);
    else
        set_err(p, kind, t->lineno, t->col + 1, t->end_lineno, t->end_col + 1, fmt, ap);
    va_end(ap);
    jump(p);
}

/* The last token read (CPython's p->tokens[p->fill - 1]). */
static Token *last_read(Parser *p) {
    return &p->toks[p->fill ? p->fill - 1 : 0];
}

/* Raises the tokenizer's error stored in the token stream. */
static _Noreturn void raise_lexer_error(Parser *p) {
    *p->err = p->ts.err;
    p->from_lexer = 1;
    p->fatal = 1;
    if (p->ts.status == LEX_EOF_IN_PAREN) {
        p->err_raw = 0; /* col_offset is a 1-based byte column: convert it */
        p->err->end_col_offset = 0;
    } else {
        p->err_raw = 1;
    }
    jump(p);
}

/* The generic error: "invalid syntax" at the furthest token read, or CPython's
 * IndentationError when that token is an INDENT/DEDENT. */
static _Noreturn void fail(Parser *p) {
    Token *t = last_read(p);
    if (t->kind == TK_INDENT || t->kind == TK_DEDENT) {
        /* _PyPegen_set_syntax_error returns before looking for tokenizer errors */
        p->fatal = 1;
        p->no_override_next = 1;
        raise_at_token(p, PE_INDENTATION, t, t->kind == TK_INDENT ? "unexpected indent"
                                                                   : "unexpected unindent");
    }
    if (t->kind == TK_ENDMARKER && t->col_is_cursor) {
        /* "invalid syntax" at the end of the file */
        raise_at_token(p, PE_SYNTAX, t, "invalid syntax");
    }
    raise_range(p, tok_pos(t), tok_pos(t), "invalid syntax");
}

/* Records the first unsupported construct; parsing goes on so that a real syntax
 * error later in the file still wins, as it would in CPython. */
static void unsupported(Parser *p, const Token *t, const char *what) {
    Parser *root = p;
    while (root->parent) root = root->parent;
    if (root->has_unsupported || p->speculating) return;
    root->has_unsupported = 1;
    ParseError *e = &root->unsupported;
    snprintf(e->msg, sizeof e->msg, "%s", what);
    e->kind = PE_UNSUPPORTED;
    e->lineno = e->end_lineno = t->lineno;
    e->col_offset = t->col + 1;
    e->end_col_offset = t->end_col + 1;
}

static _Noreturn void out_of_memory(Parser *p) {
    snprintf(p->err->msg, sizeof p->err->msg, "out of memory");
    p->err->kind = PE_MEMORY;
    p->fatal = 1;
    p->err_raw = 1;
    p->no_override = 1;
    jump(p);
}

/* ---- tokens ---- */

static Token *peek_n(Parser *p, size_t k) {
    size_t i = p->pos + k;
    if (i >= p->ts.count) i = p->ts.count - 1;
    if (i + 1 > p->fill_any) p->fill_any = i + 1;
    if (!p->speculating && i + 1 > p->fill) p->fill = i + 1;
    Token *t = &p->toks[i];
    if (t->kind == TK_ERROR) raise_lexer_error(p);
    return t;
}

static Token *peek(Parser *p) { return peek_n(p, 0); }
static int check(Parser *p, TokKind k) { return peek(p)->kind == k; }

static Token *advance(Parser *p) {
    Token *t = peek(p);
    if (p->pos < p->ts.count - 1) p->pos++;
    return t;
}

static Token *accept(Parser *p, TokKind k) {
    return check(p, k) ? advance(p) : NULL;
}

/* Consumes a token of kind [k] or fails with the generic error. */
static Token *expect(Parser *p, TokKind k) {
    if (!check(p, k)) fail(p);
    return advance(p);
}

/* CPython's forced token (&&'x'): "expected 'x'" at whatever token is there. */
static Token *expect_forced(Parser *p, TokKind k) {
    Token *t = peek(p);
    if (t->kind != k) {
        p->fatal = 1;
        raise_range(p, tok_pos(t), tok_pos(t), "expected '%s'", lexer_kind_name(k));
    }
    return advance(p);
}

static Token *prev(Parser *p) { return &p->toks[p->pos ? p->pos - 1 : 0]; }

/* The span from token index [start] to the last consumed token. */
static AstPos span(Parser *p, size_t start) {
    Token *a = &p->toks[start];
    size_t i = p->pos ? p->pos - 1 : 0;
    /* CPython's _PyPegen_get_last_nonnwhitespace_token */
    while (i > start && (p->toks[i].kind == TK_NEWLINE || p->toks[i].kind == TK_INDENT ||
                         p->toks[i].kind == TK_DEDENT))
        i--;
    Token *b = &p->toks[i];
    AstPos r = {a->lineno, a->col, b->end_lineno, b->end_col};
    return r;
}

/* Runs [fn] speculatively: returns its result, or NULL (position restored) if it
 * raised a syntax error. Tokenizer errors still propagate, as in CPython. */
static Expr *try_parse(Parser *p, ExprFn fn) {
    size_t save_pos = p->pos;
    jmp_buf jb;
    jmp_buf *outer = p->jb;
    ParseError saved = *p->err;
    Expr *volatile r = NULL;
    p->jb = &jb;
    p->speculating++;
    if (setjmp(jb) == 0) {
        r = fn(p);
    } else {
        p->jb = outer;
        p->speculating--;
        if (p->fatal && p->from_lexer) jump(p);
        p->fatal = 0;
        *p->err = saved;
        p->pos = save_pos;
        return NULL;
    }
    p->jb = outer;
    p->speculating--;
    return r;
}

/* ---- node construction ---- */

static void *alloc(Parser *p, size_t size) {
    void *m = arena_alloc(p->arena, size);
    if (!m) out_of_memory(p);
    return m;
}

static Expr *new_expr(Parser *p, ExprKind kind, AstPos pos) {
    Expr *e = alloc(p, sizeof(Expr));
    e->kind = kind;
    e->pos = pos;
    return e;
}

static Stmt *new_stmt(Parser *p, StmtKind kind, AstPos pos) {
    Stmt *s = alloc(p, sizeof(Stmt));
    s->kind = kind;
    s->pos = pos;
    return s;
}

static void push_expr(Parser *p, ExprList *l, Expr *e) {
    if (exprlist_push(p->arena, l, e) < 0) out_of_memory(p);
}

static void push_stmt(Parser *p, StmtList *l, Stmt *s) {
    if (stmtlist_push(p->arena, l, s) < 0) out_of_memory(p);
}

/* A growable array of arbitrary pointers, turned into (items, count) at the end. */
typedef struct { void **items; size_t count, cap; } PtrVec;

static void vec_push(Parser *p, PtrVec *v, void *item) {
    if (v->count == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 4;
        void **n = alloc(p, ncap * sizeof(void *));
        if (v->count) memcpy(n, v->items, v->count * sizeof(void *));
        v->items = n;
        v->cap = ncap;
    }
    v->items[v->count++] = item;
}

static const char *ident(Parser *p, const Token *t) {
    char *s = arena_strndup(p->arena, t->start, t->len);
    if (!s) out_of_memory(p);
    return s;
}

static Expr *name_expr(Parser *p, Token *t, ExprContext ctx) {
    Expr *e = new_expr(p, EXPR_NAME, tok_pos(t));
    e->v.name.id = ident(p, t);
    e->v.name.ctx = ctx;
    return e;
}

static Expr *constant(Parser *p, ConstKind kind, AstPos pos) {
    Expr *e = new_expr(p, EXPR_CONSTANT, pos);
    e->v.constant.kind = kind;
    return e;
}

static Expr *new_seq(Parser *p, ExprKind kind, ExprList elts, AstPos pos) {
    Expr *e = new_expr(p, kind, pos);
    e->v.seq.elts = elts;
    e->v.seq.ctx = CTX_LOAD;
    return e;
}

/* ---- targets and contexts ---- */

/* CPython's _PyPegen_get_expr_name: how error messages name an expression. */
static const char *expr_name(const Expr *e) {
    switch (e->kind) {
    case EXPR_ATTRIBUTE: return "attribute";
    case EXPR_SUBSCRIPT: return "subscript";
    case EXPR_STARRED: return "starred";
    case EXPR_NAME: return "name";
    case EXPR_LIST: return "list";
    case EXPR_TUPLE: return "tuple";
    case EXPR_LAMBDA: return "lambda";
    case EXPR_CALL: return "function call";
    case EXPR_BOOLOP: case EXPR_BINOP: case EXPR_UNARYOP: return "expression";
    case EXPR_GENERATOREXP: return "generator expression";
    case EXPR_YIELD: case EXPR_YIELDFROM: return "yield expression";
    case EXPR_AWAIT: return "await expression";
    case EXPR_LISTCOMP: return "list comprehension";
    case EXPR_SETCOMP: return "set comprehension";
    case EXPR_DICTCOMP: return "dict comprehension";
    case EXPR_DICT: return "dict literal";
    case EXPR_SET: return "set display";
    case EXPR_JOINEDSTR: case EXPR_FORMATTEDVALUE: return "f-string expression";
    case EXPR_CONSTANT:
        switch (e->v.constant.kind) {
        case CONST_NONE: return "None";
        case CONST_TRUE: return "True";
        case CONST_FALSE: return "False";
        case CONST_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    case EXPR_COMPARE: return "comparison";
    case EXPR_IFEXP: return "conditional expression";
    case EXPR_NAMEDEXPR: return "named expression";
    default: return "expression";
    }
}

enum { STAR_TARGETS, DEL_TARGETS, FOR_TARGETS };

/* CPython's _PyPegen_get_invalid_target: the first sub-expression that cannot be a
 * target, or NULL. */
static Expr *invalid_target(Expr *e, int type) {
    if (!e) return NULL;
    switch (e->kind) {
    case EXPR_LIST: case EXPR_TUPLE:
        for (size_t i = 0; i < e->v.seq.elts.count; i++) {
            Expr *r = invalid_target(e->v.seq.elts.items[i], type);
            if (r) return r;
        }
        return NULL;
    case EXPR_STARRED:
        if (type == DEL_TARGETS) return e;
        return invalid_target(e->v.starred.value, type);
    case EXPR_COMPARE:
        if (type == FOR_TARGETS) {
            if (e->v.compare.ops[0] == CMPOP_IN) return invalid_target(e->v.compare.left, type);
            return NULL;
        }
        return e;
    case EXPR_NAME: case EXPR_SUBSCRIPT: case EXPR_ATTRIBUTE:
        return NULL;
    default:
        return e;
    }
}

/* RAISE_SYNTAX_ERROR_INVALID_TARGET: raises if [e] holds an invalid target. */
static void check_invalid_target(Parser *p, Expr *e, int type) {
    Expr *bad = invalid_target(e, type);
    if (!bad) return;
    raise_range(p, bad->pos, bad->pos, type == DEL_TARGETS ? "cannot delete %s"
                                                            : "cannot assign to %s",
                expr_name(bad));
}

/* Sets the store/delete context of a valid target (check_invalid_target first). */
static void set_context(Expr *e, ExprContext ctx) {
    switch (e->kind) {
    case EXPR_NAME: e->v.name.ctx = ctx; break;
    case EXPR_ATTRIBUTE: e->v.attribute.ctx = ctx; break;
    case EXPR_SUBSCRIPT: e->v.subscript.ctx = ctx; break;
    case EXPR_STARRED:
        e->v.starred.ctx = ctx;
        set_context(e->v.starred.value, ctx);
        break;
    case EXPR_LIST: case EXPR_TUPLE:
        e->v.seq.ctx = ctx;
        for (size_t i = 0; i < e->v.seq.elts.count; i++) set_context(e->v.seq.elts.items[i], ctx);
        break;
    default: break;
    }
}

/* Reports whether the token can start an expression. */
static int starts_expression(TokKind k) {
    switch (k) {
    case TK_NAME: case TK_NUMBER: case TK_STRING: case TK_LPAR: case TK_LSQB:
    case TK_LBRACE: case TK_MINUS: case TK_PLUS: case TK_TILDE: case TK_NOT:
    case TK_LAMBDA: case TK_TRUE: case TK_FALSE: case TK_NONE: case TK_ELLIPSIS:
    case TK_AWAIT:
        return 1;
    default:
        return 0;
    }
}

/* ---- numbers and strings ---- */

static Expr *number(Parser *p, Token *t) {
    char *buf = alloc(p, t->len + 1);
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++)
        if (t->start[i] != '_') buf[n++] = t->start[i];
    buf[n] = 0;
    AstPos pos = tok_pos(t);
    char last = buf[n - 1];
    if (last == 'j' || last == 'J') {
        unsupported(p, t, "complex numbers");
        Expr *e = constant(p, CONST_FLOAT, pos);
        e->v.constant.f = 0;
        return e;
    }
    if (n > 1 && buf[0] == '0' && strchr("xXoObB", buf[1])) {
        Expr *e = constant(p, CONST_INT, pos);
        e->v.constant.base = strchr("xX", buf[1]) ? 16 : strchr("oO", buf[1]) ? 8 : 2;
        e->v.constant.text = buf + 2;
        e->v.constant.len = n - 2;
        return e;
    }
    if (strpbrk(buf, ".eE")) {
        Expr *e = constant(p, CONST_FLOAT, pos);
        e->v.constant.f = strtod(buf, NULL);
        return e;
    }
    Expr *e = constant(p, CONST_INT, pos);
    e->v.constant.base = 10;
    e->v.constant.text = buf;
    e->v.constant.len = n;
    return e;
}

/* A byte buffer growing in the arena while a string literal is decoded. */
typedef struct { char *data; size_t len, cap; } Buf;

static void buf_put(Parser *p, Buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t ncap = (b->len + n + 1) * 2;
        char *d = alloc(p, ncap);
        if (b->len) memcpy(d, b->data, b->len);
        b->data = d;
        b->cap = ncap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

static void buf_utf8(Parser *p, Buf *b, uint32_t c) {
    char u[4];
    size_t n;
    if (c < 0x80) { u[0] = (char)c; n = 1; }
    else if (c < 0x800) { u[0] = (char)(0xC0 | c >> 6); u[1] = (char)(0x80 | (c & 0x3F)); n = 2; }
    else if (c < 0x10000) {
        u[0] = (char)(0xE0 | c >> 12); u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | c >> 18); u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F)); u[3] = (char)(0x80 | (c & 0x3F)); n = 4;
    }
    buf_put(p, b, u, n);
}

static int hexval(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The unicode-escape error of CPython, reported at the end of the string token. */
static _Noreturn void escape_error(Parser *p, Token *t, int is_bytes, size_t at,
                                   size_t end, const char *what) {
    AstPos e = tok_pos(t);
    e.lineno = e.end_lineno;
    e.col_offset = e.end_col_offset;
    if (is_bytes)
        raise_range(p, e, e, "(value error) invalid \\x escape at position %zu", at);
    raise_range(p, e, e, "(unicode error) 'unicodeescape' codec can't decode bytes in "
                         "position %zu-%zu: %s", at, end, what);
}

/* Decodes the escapes of [s, s+n) (a non-raw literal body) into [b]. */
static void decode_escapes(Parser *p, Token *t, Buf *b, const char *s, size_t n,
                           int is_bytes) {
    size_t i = 0;
    while (i < n) {
        if (s[i] != '\\') {
            size_t j = i;
            while (j < n && s[j] != '\\') j++;
            buf_put(p, b, s + i, j - i);
            i = j;
            continue;
        }
        size_t at = b->len;
        i++;
        if (i >= n) { buf_put(p, b, "\\", 1); break; }
        char c = s[i++];
        switch (c) {
        case '\n': break;
        case '\\': buf_put(p, b, "\\", 1); break;
        case '\'': buf_put(p, b, "'", 1); break;
        case '"': buf_put(p, b, "\"", 1); break;
        case 'a': buf_put(p, b, "\a", 1); break;
        case 'b': buf_put(p, b, "\b", 1); break;
        case 'f': buf_put(p, b, "\f", 1); break;
        case 'n': buf_put(p, b, "\n", 1); break;
        case 'r': buf_put(p, b, "\r", 1); break;
        case 't': buf_put(p, b, "\t", 1); break;
        case 'v': buf_put(p, b, "\v", 1); break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            unsigned v = (unsigned)(c - '0');
            for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
                v = v * 8 + (unsigned)(s[i++] - '0');
            if (is_bytes) { char ch = (char)(v & 0xFF); buf_put(p, b, &ch, 1); }
            else buf_utf8(p, b, v);
            break;
        }
        case 'x': case 'u': case 'U': {
            int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            if (is_bytes && c != 'x') {
                buf_put(p, b, s + i - 2, 2);
                break;
            }
            uint32_t v = 0;
            int k = 0;
            for (; k < digits && i < n && hexval(s[i]) >= 0; k++) v = v * 16 + (uint32_t)hexval(s[i++]);
            if (k < digits) {
                const char *what = c == 'x' ? "truncated \\xXX escape" : c == 'u'
                                   ? "truncated \\uXXXX escape" : "truncated \\UXXXXXXXX escape";
                escape_error(p, t, is_bytes, at, at + 1 + (size_t)k, what);
            }
            if (v > 0x10FFFF) escape_error(p, t, 0, at, at + 9, "illegal Unicode character");
            if (is_bytes) { char ch = (char)v; buf_put(p, b, &ch, 1); }
            else buf_utf8(p, b, v);
            break;
        }
        case 'N':
            if (!is_bytes) {
                unsupported(p, t, "\\N{...} escapes");
                while (i < n && s[i] != '}') i++;
                if (i < n) i++;
                break;
            }
            buf_put(p, b, s + i - 2, 2); /* kept as is in bytes */
            break;
        default:
            buf_put(p, b, s + i - 2, 2);
            break;
        }
    }
}

/* The parts of one string token: prefix flags and the body between the quotes. */
typedef struct {
    int is_bytes, is_raw, is_f;
    const char *body;
    size_t len;
    size_t quote; /* 1 or 3 */
} StrTok;

static StrTok split_string(const Token *t) {
    StrTok s = {0, 0, 0, NULL, 0, 1};
    size_t i = 0;
    while (t->start[i] != '\'' && t->start[i] != '"') {
        char c = (char)(t->start[i] | 0x20);
        if (c == 'b') s.is_bytes = 1;
        else if (c == 'r') s.is_raw = 1;
        else if (c == 'f') s.is_f = 1;
        i++;
    }
    if (t->len - i >= 6 && t->start[i + 1] == t->start[i] && t->start[i + 2] == t->start[i])
        s.quote = 3;
    s.body = t->start + i + s.quote;
    s.len = t->len - i - 2 * s.quote;
    return s;
}

/* ---- f-strings ---- */

static void fstring_parts(Parser *p, Token *t, StrTok *st, const char **sp, const char *end,
                          ExprList *out, Buf *lit, int depth, AstPos whole);

/* Flushes the pending literal text as a Constant part. */
static void flush_literal(Parser *p, ExprList *out, Buf *lit, AstPos whole) {
    if (lit->len == 0) return;
    Expr *c = constant(p, CONST_STR, whole);
    c->v.constant.text = lit->data;
    c->v.constant.len = lit->len;
    push_expr(p, out, c);
    lit->data = NULL;
    lit->len = lit->cap = 0;
}

/* Raises an f-string error at the whole string token (as CPython 3.11 does). */
static _Noreturn void fstring_error(Parser *p, Token *t, const char *msg) {
    (void)t;
    raise_at_token(p, PE_SYNTAX, last_read(p), "%s", msg);
}

/* Finds the line and column of byte [s] of the normalised buffer, from token [t]. */
static void locate(const Token *t, const char *s, int *line, int *col) {
    int l = t->lineno, c = t->col;
    for (const char *q = t->start; q < s; q++) {
        if (*q == '\n') { l++; c = 0; }
        else c++;
    }
    *line = l;
    *col = c;
}

static Expr *parse_sub_expression(Parser *p, Token *t, const char *s, size_t n);

/* Parses one replacement field starting after its '{'; *sp ends after the '}'. */
static Expr *fstring_field(Parser *p, Token *t, StrTok *st, const char **sp, const char *end,
                           ExprList *out, Buf *lit, int depth, AstPos whole) {
    const char *s = *sp, *expr_start = s;
    int nest = 0;
    char quote = 0;
    if (depth >= 2) fstring_error(p, t, "f-string: expressions nested too deeply");
    for (; s < end; s++) {
        char c = *s;
        if (c == '\\') fstring_error(p, t, "f-string expression part cannot include a backslash");
        if (quote) {
            if (c == quote) quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') { quote = c; continue; }
        if (c == '[' || c == '(' || c == '{') { nest++; continue; }
        if (c == '#') fstring_error(p, t, "f-string expression part cannot include '#'");
        if (nest == 0 && (c == '}' || c == ':')) break;
        if (nest == 0 && c == '!' && s + 1 < end && s[1] != '=') break;
        if (nest == 0 && c == '=' && s + 1 < end && s[1] != '=' &&
            !(s > expr_start && strchr("=!<>", s[-1])))
            break;
        if (c == ']' || c == ')' || c == '}') {
            if (nest == 0) {
                char msg[64];
                snprintf(msg, sizeof msg, "f-string: unmatched '%c'", c);
                fstring_error(p, t, msg);
            }
            nest--;
        }
    }
    if (quote) fstring_error(p, t, "f-string: unterminated string");
    if (s >= end) fstring_error(p, t, "f-string: expecting '}'");
    const char *expr_end = s;
    int blank = 1;
    for (const char *q = expr_start; q < expr_end; q++)
        if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\f') blank = 0;
    if (blank) fstring_error(p, t, "f-string: empty expression not allowed");
    Expr *value = parse_sub_expression(p, t, expr_start, (size_t)(expr_end - expr_start));
    int conversion = -1, debug = 0;
    if (*s == '=') {
        debug = 1;
        s++;
        buf_put(p, lit, expr_start, (size_t)(s - expr_start));
        /* whitespace after '=' belongs to the literal text too */
        while (s < end && (*s == ' ' || *s == '\t')) buf_put(p, lit, s++, 1);
    }
    if (s < end && *s == '!') {
        s++;
        if (s >= end) fstring_error(p, t, "f-string: expecting '}'");
        if (*s != 's' && *s != 'r' && *s != 'a')
            fstring_error(p, t, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
        conversion = *s++;
        if (s >= end || (*s != ':' && *s != '}')) fstring_error(p, t, "f-string: expecting '}'");
    }
    Expr *spec = NULL;
    if (s < end && *s == ':') {
        s++;
        ExprList parts = {0};
        Buf sublit = {0};
        /* CPython positions a format spec at its own string token */
        AstPos own = tok_pos(t);
        fstring_parts(p, t, st, &s, end, &parts, &sublit, depth + 1, own);
        flush_literal(p, &parts, &sublit, own);
        spec = new_expr(p, EXPR_JOINEDSTR, own);
        spec->v.joinedstr.values = parts;
    }
    if (s >= end || *s != '}') fstring_error(p, t, "f-string: expecting '}'");
    s++;
    if (debug && conversion == -1 && !spec) conversion = 'r';
    flush_literal(p, out, lit, whole);
    Expr *fv = new_expr(p, EXPR_FORMATTEDVALUE, whole);
    fv->v.formatted.value = value;
    fv->v.formatted.conversion = conversion;
    fv->v.formatted.format_spec = spec;
    *sp = s;
    return fv;
}

/* Splits an f-string body [*sp, end) into literal text and fields, appending to
 * [out]. In a format spec (depth > 0) it stops at the closing '}'. */
static void fstring_parts(Parser *p, Token *t, StrTok *st, const char **sp, const char *end,
                          ExprList *out, Buf *lit, int depth, AstPos whole) {
    const char *s = *sp;
    while (s < end) {
        const char *q = s;
        while (q < end && *q != '{' && *q != '}') {
            if (*q == '\\' && !st->is_raw && q + 1 < end) q++;
            q++;
        }
        if (q > s) {
            if (st->is_raw) buf_put(p, lit, s, (size_t)(q - s));
            else decode_escapes(p, t, lit, s, (size_t)(q - s), 0);
        }
        s = q;
        if (s >= end) break;
        if (*s == '{') {
            if (depth == 0 && s + 1 < end && s[1] == '{') {
                buf_put(p, lit, "{", 1);
                s += 2;
                continue;
            }
            s++;
            Expr *fv = fstring_field(p, t, st, &s, end, out, lit, depth, whole);
            push_expr(p, out, fv);
            continue;
        }
        /* '}' */
        if (depth > 0) break;
        if (s + 1 < end && s[1] == '}') {
            buf_put(p, lit, "}", 1);
            s += 2;
            continue;
        }
        fstring_error(p, t, "f-string: single '}' is not allowed");
    }
    *sp = s;
}

/* ---- atoms ---- */

/* Parses one or more adjacent string tokens into a Constant or JoinedStr. */
static Expr *strings(Parser *p) {
    size_t start = p->pos;
    int any_f = 0, any_bytes = 0, any_str = 0;
    size_t n = 0;
    while (check(p, TK_STRING)) {
        StrTok st = split_string(peek(p));
        any_f |= st.is_f;
        if (st.is_bytes) any_bytes = 1;
        else any_str = 1;
        advance(p);
        n++;
    }
    AstPos whole = span(p, start);
    if (any_bytes && any_str)
        raise_at_token(p, PE_SYNTAX, last_read(p), "cannot mix bytes and nonbytes literals");
    ExprList parts = {0};
    Buf lit = {0};
    for (size_t i = 0; i < n; i++) {
        Token *t = &p->toks[start + i];
        StrTok st = split_string(t);
        if (st.is_f) {
            const char *s = st.body;
            fstring_parts(p, t, &st, &s, st.body + st.len, &parts, &lit, 0, whole);
        } else if (st.is_raw) {
            buf_put(p, &lit, st.body, st.len);
        } else {
            decode_escapes(p, t, &lit, st.body, st.len, st.is_bytes);
        }
    }
    if (!any_f) {
        Expr *e = constant(p, any_bytes ? CONST_BYTES : CONST_STR, whole);
        if (!lit.data) buf_put(p, &lit, "", 0);
        e->v.constant.text = lit.data;
        e->v.constant.len = lit.len;
        if (any_bytes) {
            for (size_t i = 0; i < lit.len; i++)
                if ((unsigned char)lit.data[i] >= 0x80 && 0) break;
        }
        return e;
    }
    flush_literal(p, &parts, &lit, whole);
    Expr *e = new_expr(p, EXPR_JOINEDSTR, whole);
    e->v.joinedstr.values = parts;
    return e;
}

static Expr *comprehension_tail(Parser *p, ExprKind kind, Expr *elt, Expr *value,
                                size_t start, TokKind close);

/* ( ... ): a group, a tuple, a generator expression, or a yield. */
static Expr *paren_atom(Parser *p) {
    size_t start = p->pos;
    advance(p);
    if (accept(p, TK_RPAR)) return new_seq(p, EXPR_TUPLE, (ExprList){0}, span(p, start));
    if (check(p, TK_YIELD)) {
        Expr *y = yield_expr(p);
        expect(p, TK_RPAR);
        return y;
    }
    if (check(p, TK_DOUBLESTAR)) {
        Token *t = advance(p);
        expression(p);
        if (check(p, TK_RPAR)) {
            raise_range(p, tok_pos(t), tok_pos(t), "cannot use double starred expression here");
        }
        fail(p);
    }
    Expr *first = star_named_expression(p);
    if (check(p, TK_FOR))
        return comprehension_tail(p, EXPR_GENERATOREXP, first, NULL, start, TK_RPAR);
    if (check(p, TK_RPAR)) {
        if (first->kind == EXPR_STARRED)
            raise_range(p, first->pos, first->pos, "cannot use starred expression here");
        advance(p);
        return first;
    }
    if (!check(p, TK_COMMA)) {
        if (check(p, TK_EQUAL) && first->kind != EXPR_NAMEDEXPR) fail(p);
        fail(p);
    }
    ExprList elts = {0};
    push_expr(p, &elts, first);
    while (accept(p, TK_COMMA)) {
        if (check(p, TK_RPAR)) break;
        push_expr(p, &elts, star_named_expression(p));
    }
    expect(p, TK_RPAR);
    return new_seq(p, EXPR_TUPLE, elts, span(p, start));
}

/* [ ... ]: a list display or a list comprehension. */
static Expr *list_atom(Parser *p) {
    size_t start = p->pos;
    advance(p);
    if (accept(p, TK_RSQB)) return new_seq(p, EXPR_LIST, (ExprList){0}, span(p, start));
    Expr *first = star_named_expression(p);
    if (check(p, TK_FOR)) {
        if (first->kind == EXPR_STARRED)
            raise_range(p, first->pos, first->pos, "iterable unpacking cannot be used in comprehension");
        return comprehension_tail(p, EXPR_LISTCOMP, first, NULL, start, TK_RSQB);
    }
    ExprList elts = {0};
    push_expr(p, &elts, first);
    while (accept(p, TK_COMMA)) {
        if (check(p, TK_RSQB)) break;
        push_expr(p, &elts, star_named_expression(p));
        if (check(p, TK_FOR))
            raise_range(p, elts.items[0]->pos, elts.items[elts.count - 1]->pos,
                        "did you forget parentheses around the comprehension target?");
    }
    if (check(p, TK_FOR) && elts.count == 1)
        raise_range(p, first->pos, tok_pos(prev(p)),
                    "did you forget parentheses around the comprehension target?");
    expect(p, TK_RSQB);
    return new_seq(p, EXPR_LIST, elts, span(p, start));
}

/* { ... }: dict or set display or comprehension. */
static Expr *brace_atom(Parser *p) {
    size_t start = p->pos;
    advance(p);
    if (accept(p, TK_RBRACE)) {
        Expr *d = new_expr(p, EXPR_DICT, span(p, start));
        return d;
    }
    Expr *key = NULL, *value = NULL;
    int is_dict;
    if (check(p, TK_DOUBLESTAR)) {
        Token *t = advance(p);
        value = bitwise_or(p);
        if (check(p, TK_FOR))
            raise_range(p, tok_pos(t), tok_pos(t), "dict unpacking cannot be used in dict comprehension");
        is_dict = 1;
    } else {
        key = star_named_expression(p);
        is_dict = check(p, TK_COLON) && key->kind != EXPR_STARRED;
        if (is_dict) {
            advance(p);
            if (check(p, TK_RBRACE) || check(p, TK_COMMA)) {
                Token *colon = prev(p);
                raise_range(p, tok_pos(colon), tok_pos(colon),
                            "expression expected after dictionary key and ':'");
            }
            value = expression(p);
        }
    }
    if (check(p, TK_FOR)) {
        if (is_dict) return comprehension_tail(p, EXPR_DICTCOMP, key, value, start, TK_RBRACE);
        if (key->kind == EXPR_STARRED)
            raise_range(p, key->pos, key->pos, "iterable unpacking cannot be used in comprehension");
        return comprehension_tail(p, EXPR_SETCOMP, key, NULL, start, TK_RBRACE);
    }
    if (!is_dict) {
        ExprList elts = {0};
        push_expr(p, &elts, key);
        while (accept(p, TK_COMMA)) {
            if (check(p, TK_RBRACE)) break;
            push_expr(p, &elts, star_named_expression(p));
        }
        expect(p, TK_RBRACE);
        Expr *s = new_expr(p, EXPR_SET, span(p, start));
        s->v.set.elts = elts;
        return s;
    }
    Expr *d = new_expr(p, EXPR_DICT, (AstPos){0, 0, 0, 0});
    push_expr(p, &d->v.dict.keys, key);
    push_expr(p, &d->v.dict.values, value);
    while (accept(p, TK_COMMA)) {
        if (check(p, TK_RBRACE)) break;
        if (accept(p, TK_DOUBLESTAR)) {
            push_expr(p, &d->v.dict.keys, NULL);
            push_expr(p, &d->v.dict.values, bitwise_or(p));
            continue;
        }
        p->no_juxtapose++;
        Expr *k = expression(p);
        p->no_juxtapose--;
        if (!check(p, TK_COLON)) {
            if (!check(p, TK_DOUBLESTAR))
                raise_loc(p, k->pos.lineno, k->pos.end_col_offset - 1, k->pos.end_lineno, -1,
                          "':' expected after dictionary key");
            fail(p);
        }
        advance(p);
        if (check(p, TK_RBRACE) || check(p, TK_COMMA)) {
            Token *colon = prev(p);
            raise_range(p, tok_pos(colon), tok_pos(colon),
                        "expression expected after dictionary key and ':'");
        }
        push_expr(p, &d->v.dict.keys, k);
        push_expr(p, &d->v.dict.values, expression(p));
    }
    expect(p, TK_RBRACE);
    d->pos = span(p, start);
    return d;
}

static Expr *atom(Parser *p) {
    Token *t = peek(p);
    switch (t->kind) {
    case TK_NAME: advance(p); return name_expr(p, t, CTX_LOAD);
    case TK_TRUE: advance(p); return constant(p, CONST_TRUE, tok_pos(t));
    case TK_FALSE: advance(p); return constant(p, CONST_FALSE, tok_pos(t));
    case TK_NONE: advance(p); return constant(p, CONST_NONE, tok_pos(t));
    case TK_ELLIPSIS: advance(p); return constant(p, CONST_ELLIPSIS, tok_pos(t));
    case TK_NUMBER: advance(p); return number(p, t);
    case TK_STRING: return strings(p);
    case TK_LPAR: return paren_atom(p);
    case TK_LSQB: return list_atom(p);
    case TK_LBRACE: return brace_atom(p);
    default: fail(p);
    }
}

/* ---- comprehensions ---- */

/* Parses a comprehension target list (star_targets) up to 'in'. */
static Expr *target_list(Parser *p, TokKind stop);

static Expr *comprehension_tail(Parser *p, ExprKind kind, Expr *elt, Expr *value,
                                size_t start, TokKind close) {
    PtrVec gens = {0};
    while (check(p, TK_FOR) || check(p, TK_ASYNC)) {
        if (check(p, TK_ASYNC)) {
            unsupported(p, peek(p), "asynchronous comprehensions");
            advance(p);
        }
        Token *for_tok = expect(p, TK_FOR);
        Comprehension *c = alloc(p, sizeof(Comprehension));
        c->target = target_list(p, TK_IN);
        (void)for_tok;
        expect(p, TK_IN);
        c->iter = disjunction(p);
        while (accept(p, TK_IF)) push_expr(p, &c->ifs, disjunction(p));
        vec_push(p, &gens, c);
    }
    if (close == TK_RPAR && check(p, TK_COMMA) && p->speculating == 0) {
        /* handled by the call-argument checks */
    }
    if (close != TK_OP) expect(p, close);
    Expr *e = new_expr(p, kind, span(p, start));
    if (kind == EXPR_DICTCOMP) {
        e->v.dictcomp.key = elt;
        e->v.dictcomp.value = value;
        e->v.dictcomp.generators = (Comprehension **)gens.items;
        e->v.dictcomp.ngenerators = gens.count;
    } else {
        e->v.comp.elt = elt;
        e->v.comp.generators = (Comprehension **)gens.items;
        e->v.comp.ngenerators = gens.count;
    }
    return e;
}

/* ---- calls, subscripts, attributes ---- */

static Keyword *new_keyword(Parser *p, const char *arg, Expr *value, AstPos pos) {
    Keyword *k = alloc(p, sizeof(Keyword));
    k->arg = arg;
    k->value = value;
    k->pos = pos;
    return k;
}

/* Raises CPython's "Generator expression must be parenthesized" for [g]. */
static _Noreturn void genexp_error(Parser *p, Expr *elt, Expr *g) {
    Comprehension *last = g->v.comp.generators[g->v.comp.ngenerators - 1];
    Expr *end = last->ifs.count ? last->ifs.items[last->ifs.count - 1] : last->iter;
    raise_range(p, elt->pos, end->pos, "Generator expression must be parenthesized");
}

/* Parses call arguments after '(' up to and including ')'. */
static void call_arguments(Parser *p, size_t start, ExprList *args, Keyword ***kws,
                           size_t *nkws) {
    PtrVec kw = {0};
    int seen_kw = 0, seen_kw_unpack = 0;
    int count = 0;
    while (!check(p, TK_RPAR)) {
        size_t astart = p->pos;
        Token *t = peek(p);
        if (t->kind == TK_STAR) {
            advance(p);
            Expr *v = expression(p);
            if (seen_kw_unpack)
                raise_range(p, tok_pos(t), tok_pos(t),
                            "iterable argument unpacking follows keyword argument unpacking");
            Expr *s = new_expr(p, EXPR_STARRED, span(p, astart));
            s->v.starred.value = v;
            s->v.starred.ctx = CTX_LOAD;
            push_expr(p, args, s);
        } else if (t->kind == TK_DOUBLESTAR) {
            advance(p);
            Expr *v = expression(p);
            vec_push(p, &kw, new_keyword(p, NULL, v, span(p, astart)));
            seen_kw_unpack = 1;
        } else if (t->kind == TK_NAME && peek_n(p, 1)->kind == TK_EQUAL) {
            advance(p);
            Token *eq = advance(p);
            Expr *v = expression(p);
            if (check(p, TK_FOR))
                raise_range(p, tok_pos(t), tok_pos(eq),
                            "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
            vec_push(p, &kw, new_keyword(p, ident(p, t), v, span(p, astart)));
            seen_kw = 1;
        } else if ((t->kind == TK_TRUE || t->kind == TK_FALSE || t->kind == TK_NONE) &&
                   peek_n(p, 1)->kind == TK_EQUAL) {
            Token *eq = peek_n(p, 1);
            raise_range(p, tok_pos(t), tok_pos(eq), "cannot assign to %s",
                        lexer_kind_name(t->kind));
        } else {
            Expr *v;
            if (t->kind == TK_NAME && peek_n(p, 1)->kind == TK_COLONEQUAL) v = named_expression(p);
            else v = expression(p);
            if (check(p, TK_EQUAL)) {
                Token *eq = peek(p);
                raise_range(p, v->pos, tok_pos(eq),
                            "expression cannot contain assignment, perhaps you meant \"==\"?");
            }
            if (check(p, TK_FOR)) {
                Expr *g = comprehension_tail(p, EXPR_GENERATOREXP, v, NULL, astart, TK_OP);
                if (count == 0 && check(p, TK_RPAR)) {
                    advance(p);
                    g->pos = span(p, start);
                    p->pos--; /* leave ')' for the loop below */
                    push_expr(p, args, g);
                    break;
                }
                if (count > 0 || check(p, TK_COMMA)) genexp_error(p, v, g);
                fail(p);
            }
            if (seen_kw_unpack)
                raise_at_token(p, PE_SYNTAX, last_read(p),
                               "positional argument follows keyword argument unpacking");
            if (seen_kw)
                raise_at_token(p, PE_SYNTAX, last_read(p),
                               "positional argument follows keyword argument");
            push_expr(p, args, v);
        }
        count++;
        if (!accept(p, TK_COMMA)) break;
    }
    if (!check(p, TK_RPAR)) {
        /* a generator expression after other arguments: f(a, x for x in y) */
        fail(p);
    }
    advance(p);
    *kws = (Keyword **)kw.items;
    *nkws = kw.count;
}

/* Parses one subscript element: a slice or an expression (named or starred). */
static Expr *slice_item(Parser *p) {
    size_t start = p->pos;
    Expr *lower = NULL, *upper = NULL, *step = NULL;
    if (check(p, TK_STAR)) return star_expression(p);
    if (!check(p, TK_COLON)) {
        lower = named_expression(p);
        if (!check(p, TK_COLON)) return lower;
        if (lower->kind == EXPR_NAMEDEXPR) fail(p);
    }
    advance(p);
    if (!check(p, TK_COLON) && !check(p, TK_COMMA) && !check(p, TK_RSQB)) upper = expression(p);
    if (accept(p, TK_COLON)) {
        if (!check(p, TK_COMMA) && !check(p, TK_RSQB)) step = expression(p);
    }
    Expr *e = new_expr(p, EXPR_SLICE, span(p, start));
    e->v.slice.lower = lower;
    e->v.slice.upper = upper;
    e->v.slice.step = step;
    return e;
}

static Expr *slices(Parser *p) {
    size_t start = p->pos;
    Expr *first = slice_item(p);
    if (!check(p, TK_COMMA)) return first;
    ExprList elts = {0};
    push_expr(p, &elts, first);
    while (accept(p, TK_COMMA)) {
        if (check(p, TK_RSQB)) break;
        push_expr(p, &elts, slice_item(p));
    }
    return new_seq(p, EXPR_TUPLE, elts, span(p, start));
}

/* primary: atom followed by .name, (args) and [slices] trailers. */
static Expr *primary(Parser *p) {
    size_t start = p->pos;
    Expr *e = atom(p);
    for (;;) {
        Token *t = peek(p);
        if (t->kind == TK_DOT) {
            advance(p);
            Token *n = expect(p, TK_NAME);
            Expr *a = new_expr(p, EXPR_ATTRIBUTE, span(p, start));
            a->v.attribute.value = e;
            a->v.attribute.attr = ident(p, n);
            a->v.attribute.ctx = CTX_LOAD;
            e = a;
        } else if (t->kind == TK_LPAR) {
            size_t lpar = p->pos;
            advance(p);
            Expr *c = new_expr(p, EXPR_CALL, (AstPos){0, 0, 0, 0});
            call_arguments(p, lpar, &c->v.call.args, &c->v.call.keywords, &c->v.call.nkeywords);
            c->v.call.func = e;
            c->pos = span(p, start);
            e = c;
        } else if (t->kind == TK_LSQB) {
            advance(p);
            Expr *s = slices(p);
            expect(p, TK_RSQB);
            Expr *sub = new_expr(p, EXPR_SUBSCRIPT, span(p, start));
            sub->v.subscript.value = e;
            sub->v.subscript.slice = s;
            sub->v.subscript.ctx = CTX_LOAD;
            e = sub;
        } else {
            return e;
        }
    }
}

/* ---- operators ---- */

static Expr *binop(Parser *p, size_t start, Expr *l, int op, Expr *r) {
    Expr *e = new_expr(p, EXPR_BINOP, span(p, start));
    e->v.binop.left = l;
    e->v.binop.op = op;
    e->v.binop.right = r;
    return e;
}

static Expr *factor(Parser *p);

/* power: await_primary ['**' factor] (right associative through factor). */
static Expr *power(Parser *p) {
    size_t start = p->pos;
    if (check(p, TK_AWAIT)) {
        unsupported(p, peek(p), "await expressions");
        advance(p);
        Expr *v = primary(p);
        Expr *e = new_expr(p, EXPR_AWAIT, span(p, start));
        e->v.yield.value = v;
        return e;
    }
    Expr *l = primary(p);
    if (accept(p, TK_DOUBLESTAR)) return binop(p, start, l, BINOP_POW, factor(p));
    return l;
}

static Expr *factor(Parser *p) {
    size_t start = p->pos;
    Token *t = peek(p);
    int op;
    if (t->kind == TK_MINUS) op = UNOP_NEG;
    else if (t->kind == TK_PLUS) op = UNOP_POS;
    else if (t->kind == TK_TILDE) op = UNOP_INVERT;
    else return power(p);
    advance(p);
    Expr *operand = factor(p);
    Expr *e = new_expr(p, EXPR_UNARYOP, span(p, start));
    e->v.unaryop.op = op;
    e->v.unaryop.operand = operand;
    return e;
}

static int term_op(TokKind k) {
    switch (k) {
    case TK_STAR: return BINOP_MUL;
    case TK_SLASH: return BINOP_TRUEDIV;
    case TK_DOUBLESLASH: return BINOP_FLOORDIV;
    case TK_PERCENT: return BINOP_MOD;
    case TK_AT: return BINOP_MATMUL;
    default: return -1;
    }
}

static Expr *term(Parser *p) {
    size_t start = p->pos;
    Expr *l = factor(p);
    int op;
    while ((op = term_op(peek(p)->kind)) >= 0) {
        advance(p);
        l = binop(p, start, l, op, factor(p));
    }
    return l;
}

static Expr *sum(Parser *p) {
    size_t start = p->pos;
    Expr *l = term(p);
    for (;;) {
        TokKind k = peek(p)->kind;
        if (k != TK_PLUS && k != TK_MINUS) return l;
        advance(p);
        l = binop(p, start, l, k == TK_PLUS ? BINOP_ADD : BINOP_SUB, term(p));
    }
}

static Expr *shift_expr(Parser *p) {
    size_t start = p->pos;
    Expr *l = sum(p);
    for (;;) {
        TokKind k = peek(p)->kind;
        if (k != TK_LEFTSHIFT && k != TK_RIGHTSHIFT) return l;
        advance(p);
        l = binop(p, start, l, k == TK_LEFTSHIFT ? BINOP_LSHIFT : BINOP_RSHIFT, sum(p));
    }
}

static Expr *bitwise_and(Parser *p) {
    size_t start = p->pos;
    Expr *l = shift_expr(p);
    while (accept(p, TK_AMPER)) l = binop(p, start, l, BINOP_AND, shift_expr(p));
    return l;
}

static Expr *bitwise_xor(Parser *p) {
    size_t start = p->pos;
    Expr *l = bitwise_and(p);
    while (accept(p, TK_CIRCUMFLEX)) l = binop(p, start, l, BINOP_XOR, bitwise_and(p));
    return l;
}

static Expr *bitwise_or(Parser *p) {
    size_t start = p->pos;
    Expr *l = bitwise_xor(p);
    while (accept(p, TK_VBAR)) l = binop(p, start, l, BINOP_OR, bitwise_xor(p));
    return l;
}

/* Returns the comparison operator at the current token (consuming it), or -1. */
static int comp_op(Parser *p) {
    Token *t = peek(p);
    switch (t->kind) {
    case TK_EQEQUAL: advance(p); return CMPOP_EQ;
    case TK_NOTEQUAL:
        if (t->len == 2 && t->start[0] == '<') {
            /* "<>" is only valid with barry_as_FLUFL */
            fail(p);
        }
        advance(p);
        return CMPOP_NE;
    case TK_LESS: advance(p); return CMPOP_LT;
    case TK_LESSEQUAL: advance(p); return CMPOP_LE;
    case TK_GREATER: advance(p); return CMPOP_GT;
    case TK_GREATEREQUAL: advance(p); return CMPOP_GE;
    case TK_IN: advance(p); return CMPOP_IN;
    case TK_NOT:
        if (peek_n(p, 1)->kind == TK_IN) { advance(p); advance(p); return CMPOP_NOT_IN; }
        return -1;
    case TK_IS:
        advance(p);
        if (accept(p, TK_NOT)) return CMPOP_IS_NOT;
        return CMPOP_IS;
    default: return -1;
    }
}

static Expr *comparison(Parser *p) {
    size_t start = p->pos;
    Expr *l = bitwise_or(p);
    int op = comp_op(p);
    if (op < 0) return l;
    PtrVec ops = {0};
    Expr *e = new_expr(p, EXPR_COMPARE, (AstPos){0, 0, 0, 0});
    e->v.compare.left = l;
    do {
        vec_push(p, &ops, (void *)(intptr_t)op);
        push_expr(p, &e->v.compare.comparators, bitwise_or(p));
    } while ((op = comp_op(p)) >= 0);
    e->v.compare.ops = alloc(p, ops.count * sizeof(CmpOpKind));
    for (size_t i = 0; i < ops.count; i++) e->v.compare.ops[i] = (CmpOpKind)(intptr_t)ops.items[i];
    e->pos = span(p, start);
    return e;
}

static Expr *inversion(Parser *p) {
    size_t start = p->pos;
    if (accept(p, TK_NOT)) {
        Expr *operand = inversion(p);
        Expr *e = new_expr(p, EXPR_UNARYOP, span(p, start));
        e->v.unaryop.op = UNOP_NOT;
        e->v.unaryop.operand = operand;
        return e;
    }
    return comparison(p);
}

static Expr *boolop(Parser *p, TokKind tok, BoolOpKind op, ExprFn operand) {
    size_t start = p->pos;
    Expr *first = operand(p);
    if (!check(p, tok)) return first;
    Expr *e = new_expr(p, EXPR_BOOLOP, (AstPos){0, 0, 0, 0});
    e->v.boolop.op = op;
    push_expr(p, &e->v.boolop.values, first);
    while (accept(p, tok)) push_expr(p, &e->v.boolop.values, operand(p));
    e->pos = span(p, start);
    return e;
}

static Expr *conjunction(Parser *p) { return boolop(p, TK_AND, BOOLOP_AND, inversion); }
static Expr *disjunction(Parser *p) { return boolop(p, TK_OR, BOOLOP_OR, conjunction); }

/* ---- lambda and parameters ---- */

static Arg *new_arg(Parser *p, Token *name, Expr *annotation) {
    Arg *a = alloc(p, sizeof(Arg));
    a->arg = ident(p, name);
    a->annotation = annotation;
    a->pos = tok_pos(name);
    if (annotation) {
        a->pos.end_lineno = annotation->pos.end_lineno;
        a->pos.end_col_offset = annotation->pos.end_col_offset;
    }
    return a;
}

/* Parses one parameter name with an optional annotation (not in lambdas). */
static Arg *param(Parser *p, int lambda, int allow_star_annotation) {
    Token *name = expect(p, TK_NAME);
    Expr *ann = NULL;
    if (!lambda && accept(p, TK_COLON)) {
        ann = expression(p);
    }
    (void)allow_star_annotation;
    return new_arg(p, name, ann);
}

/* Parses a parameter list up to [close] (')' for def, ':' for lambda), CPython's
 * `params`/`lambda_params` with their invalid_* checks. */
static Arguments *parameters(Parser *p, TokKind close) {
    int lambda = close == TK_COLON;
    Arguments *a = alloc(p, sizeof(Arguments));
    PtrVec pos = {0}, defaults = {0}, kwonly = {0}, kwdefaults = {0};
    int seen_slash = 0, seen_star = 0, seen_default = 0;
    size_t nposonly = 0;
    while (!check(p, close)) {
        Token *t = peek(p);
        if (t->kind == TK_SLASH) {
            if (seen_slash) raise_range(p, tok_pos(t), tok_pos(t), "/ may appear only once");
            if (seen_star) raise_range(p, tok_pos(t), tok_pos(t), "/ must be ahead of *");
            if (pos.count == 0) {
                if (peek_n(p, 1)->kind == TK_COMMA)
                    raise_range(p, tok_pos(t), tok_pos(t), "at least one argument must precede /");
                raise_range(p, tok_pos(t), tok_pos(t), "invalid syntax");
            }
            advance(p);
            seen_slash = 1;
            nposonly = pos.count;
        } else if (t->kind == TK_STAR) {
            if (seen_star) raise_range(p, tok_pos(t), tok_pos(t), "* argument may appear only once");
            advance(p);
            seen_star = 1;
            if (check(p, TK_COMMA)) {
                if (peek_n(p, 1)->kind == close || peek_n(p, 1)->kind == TK_DOUBLESTAR)
                    raise_range(p, tok_pos(t), tok_pos(t), "named arguments must follow bare *");
            } else if (check(p, close)) {
                raise_range(p, tok_pos(t), tok_pos(t), "named arguments must follow bare *");
            } else {
                a->vararg = param(p, lambda, 1);
                if (check(p, TK_EQUAL))
                    raise_range(p, tok_pos(peek(p)), tok_pos(peek(p)),
                                "var-positional argument cannot have default value");
            }
        } else if (t->kind == TK_DOUBLESTAR) {
            advance(p);
            a->kwarg = param(p, lambda, 0);
            if (check(p, TK_EQUAL))
                raise_range(p, tok_pos(peek(p)), tok_pos(peek(p)),
                            "var-keyword argument cannot have default value");
            if (check(p, TK_COMMA) && peek_n(p, 1)->kind != close) {
                advance(p);
                Token *n = peek(p);
                raise_range(p, tok_pos(n), tok_pos(n), "arguments cannot follow var-keyword argument");
            }
            accept(p, TK_COMMA);
            break;
        } else {
            Arg *arg = param(p, lambda, 0);
            Expr *def = NULL;
            if (accept(p, TK_EQUAL)) def = expression(p);
            if (seen_star) {
                vec_push(p, &kwonly, arg);
                vec_push(p, &kwdefaults, def);
            } else {
                if (def) {
                    seen_default = 1;
                    vec_push(p, &defaults, def);
                } else if (seen_default) {
                    raise_range(p, arg->pos, arg->pos, "non-default argument follows default argument");
                }
                vec_push(p, &pos, arg);
            }
        }
        if (!accept(p, TK_COMMA)) break;
    }
    Arg **all = (Arg **)pos.items;
    a->posonlyargs = all;
    a->nposonlyargs = nposonly;
    a->args = all + nposonly;
    a->nargs = pos.count - nposonly;
    a->defaults = (Expr **)defaults.items;
    a->ndefaults = defaults.count;
    a->kwonlyargs = (Arg **)kwonly.items;
    a->nkwonlyargs = kwonly.count;
    a->kw_defaults = (Expr **)kwdefaults.items;
    return a;
}

static Expr *lambdef(Parser *p) {
    size_t start = p->pos;
    advance(p);
    Arguments *args = parameters(p, TK_COLON);
    expect(p, TK_COLON);
    Expr *body = expression(p);
    Expr *e = new_expr(p, EXPR_LAMBDA, span(p, start));
    e->v.lambda.args = args;
    e->v.lambda.body = body;
    return e;
}

/* ---- expressions with error checks ---- */

static int is_legacy_name(const Expr *e) {
    return e->kind == EXPR_NAME &&
           (strcmp(e->v.name.id, "print") == 0 || strcmp(e->v.name.id, "exec") == 0);
}

/* CPython's invalid_expression / invalid_legacy_expression: after a disjunction [a]
 * that is directly followed by something that starts another expression. */
static void check_juxtaposed(Parser *p, Expr *a, size_t a_start) {
    Token *t = peek(p);
    if (!starts_expression(t->kind) || t->kind == TK_NOT) return;
    if (p->no_juxtapose) return;
    Token *first = &p->toks[a_start];
    int name_string = first->kind == TK_NAME && a_start + 1 == p->pos && t->kind == TK_STRING;
    size_t save_fill = p->fill;
    size_t save = p->pos;
    if (is_legacy_name(a) && t->kind != TK_LPAR) {
        Expr *b = try_parse(p, star_expressions);
        p->fill = save_fill;
        if (b)
            raise_range(p, a->pos, b->pos, "Missing parentheses in call to '%s'. Did you mean %s(...)?",
                        a->v.name.id, a->v.name.id);
        p->pos = save;
        return;
    }
    if (name_string) return;
    if (first->kind == TK_NAME && a_start + 1 == p->pos &&
        ((first->len == 5 && memcmp(first->start, "match", 5) == 0) ||
         (first->len == 4 && memcmp(first->start, "case", 4) == 0) ||
         (first->len == 1 && first->start[0] == '_')))
        return;
    p->no_juxtapose++; /* CPython's expression_without_invalid */
    Expr *b = try_parse(p, expression);
    p->no_juxtapose--;
    p->fill = save_fill;
    if (b && prev(p)->level > 0)
        raise_range(p, a->pos, b->pos, "invalid syntax. Perhaps you forgot a comma?");
    p->pos = save;
}

static Expr *expression(Parser *p) {
    if (check(p, TK_LAMBDA)) return lambdef(p);
    size_t start = p->pos;
    Expr *body = disjunction(p);
    if (check(p, TK_IF)) {
        advance(p);
        Expr *test = disjunction(p);
        if (!check(p, TK_ELSE)) {
            if (!check(p, TK_COLON))
                raise_range(p, body->pos, test->pos, "expected 'else' after 'if' expression");
            fail(p);
        }
        advance(p);
        Expr *orelse = expression(p);
        Expr *e = new_expr(p, EXPR_IFEXP, span(p, start));
        e->v.ifexp.test = test;
        e->v.ifexp.body = body;
        e->v.ifexp.orelse = orelse;
        return e;
    }
    check_juxtaposed(p, body, start);
    return body;
}

/* CPython's invalid_named_expression, for `a = b` where an expression is expected:
 * called when [a] (starting at token [a_start]) is followed by '='. */
static void check_named_assign(Parser *p, Expr *a, size_t a_start) {
    Token *first = &p->toks[a_start];
    size_t save = p->pos;
    size_t save_fill = p->fill;
    advance(p); /* '=' */
    Expr *b = try_parse(p, bitwise_or);
    int followed = b && (check(p, TK_EQUAL) || check(p, TK_COLONEQUAL));
    p->pos = save;
    p->fill = save_fill;
    if (!b || followed) return;
    if (a->kind == EXPR_NAME && a_start + 1 == save)
        raise_range(p, a->pos, b->pos,
                    "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    if (first->kind == TK_LSQB || first->kind == TK_TRUE || first->kind == TK_FALSE ||
        first->kind == TK_NONE)
        return;
    if (first->kind == TK_LPAR && (a->kind == EXPR_TUPLE || a->kind == EXPR_GENERATOREXP) &&
        a->pos.col_offset == first->col && a->pos.lineno == first->lineno)
        return;
    switch (a->kind) {
    case EXPR_COMPARE: case EXPR_BOOLOP: case EXPR_IFEXP: case EXPR_LAMBDA:
    case EXPR_NAMEDEXPR: case EXPR_STARRED: case EXPR_TUPLE:
        return;
    case EXPR_UNARYOP:
        if (a->v.unaryop.op == UNOP_NOT) return;
        break;
    default: break;
    }
    if (invalid_target(a, STAR_TARGETS) == NULL) return;
    raise_range(p, a->pos, a->pos, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                expr_name(a));
}

static Expr *named_expression(Parser *p) {
    size_t start = p->pos;
    Token *t = peek(p);
    if (t->kind == TK_NAME && peek_n(p, 1)->kind == TK_COLONEQUAL) {
        advance(p);
        advance(p);
        Expr *value = expression(p);
        Expr *e = new_expr(p, EXPR_NAMEDEXPR, span(p, start));
        e->v.namedexpr.target = name_expr(p, t, CTX_STORE);
        e->v.namedexpr.value = value;
        return e;
    }
    Expr *e = expression(p);
    if (check(p, TK_COLONEQUAL)) {
        raise_range(p, e->pos, e->pos, "cannot use assignment expressions with %s", expr_name(e));
    }
    if (check(p, TK_EQUAL)) check_named_assign(p, e, start);
    return e;
}

static Expr *starred(Parser *p, ExprFn inner) {
    size_t start = p->pos;
    advance(p);
    Expr *v = inner(p);
    Expr *e = new_expr(p, EXPR_STARRED, span(p, start));
    e->v.starred.value = v;
    e->v.starred.ctx = CTX_LOAD;
    return e;
}

static Expr *star_named_expression(Parser *p) {
    if (check(p, TK_STAR)) return starred(p, bitwise_or);
    return named_expression(p);
}

static Expr *star_expression(Parser *p) {
    if (check(p, TK_STAR)) return starred(p, bitwise_or);
    return expression(p);
}

/* Reports whether the token ends a star_expressions list after a comma. */
static int ends_list(TokKind k) {
    return !(starts_expression(k) || k == TK_STAR);
}

static Expr *star_expressions(Parser *p) {
    size_t start = p->pos;
    Expr *first = star_expression(p);
    if (!check(p, TK_COMMA)) return first;
    ExprList elts = {0};
    push_expr(p, &elts, first);
    while (accept(p, TK_COMMA)) {
        if (ends_list(peek(p)->kind)) break;
        push_expr(p, &elts, star_expression(p));
    }
    return new_seq(p, EXPR_TUPLE, elts, span(p, start));
}

/* The same as star_expressions but elements are star_named_expressions (used for
 * the right-hand side of return and the like where CPython allows them). */
static Expr *yield_expr(Parser *p) {
    size_t start = p->pos;
    advance(p);
    if (accept(p, TK_FROM)) {
        Expr *v = expression(p);
        Expr *e = new_expr(p, EXPR_YIELDFROM, span(p, start));
        e->v.yield.value = v;
        return e;
    }
    Expr *v = NULL;
    if (!ends_list(peek(p)->kind)) v = star_expressions(p);
    Expr *e = new_expr(p, EXPR_YIELD, span(p, start));
    e->v.yield.value = v;
    return e;
}

/* ---- targets ---- */

/* One target of a for/with/comprehension: a star_target. */
static Expr *star_target(Parser *p) {
    if (check(p, TK_STAR)) {
        Expr *e = starred(p, star_target);
        return e;
    }
    return primary(p);
}

/* star_targets: a target list up to [stop] (checked by the caller). */
static Expr *target_list(Parser *p, TokKind stop) {
    size_t start = p->pos;
    Expr *first = try_parse(p, star_target);
    Expr *result = NULL;
    if (first) {
        if (!check(p, TK_COMMA)) {
            result = first;
        } else {
            ExprList elts = {0};
            push_expr(p, &elts, first);
            while (accept(p, TK_COMMA)) {
                if (check(p, stop)) break;
                Expr *e = try_parse(p, star_target);
                if (!e) { result = NULL; goto invalid; }
                push_expr(p, &elts, e);
            }
            result = new_seq(p, EXPR_TUPLE, elts, span(p, start));
        }
        if (check(p, stop) && !invalid_target(result, STAR_TARGETS)) {
            set_context(result, CTX_STORE);
            return result;
        }
    }
invalid:
    /* CPython's invalid_for_target: re-read it as star_expressions */
    p->pos = start;
    {
        size_t save_fill = p->fill;
        Expr *all = try_parse(p, star_expressions);
        p->fill = save_fill;
        if (all) check_invalid_target(p, all, FOR_TARGETS);
    }
    p->pos = start;
    if (first) {
        /* re-parse to leave the position where the generic error occurs */
        Expr *e = star_target(p);
        (void)e;
        while (accept(p, TK_COMMA)) {
            if (check(p, stop)) break;
            star_target(p);
        }
    } else {
        star_target(p);
    }
    fail(p);
}

/* ---- statements ---- */

static Stmt *statement_list_item(Parser *p, StmtList *out);

/* Parses `global a, b` / `nonlocal a, b`. */
static Stmt *global_stmt(Parser *p, StmtKind kind) {
    size_t start = p->pos;
    advance(p);
    Stmt *s = new_stmt(p, kind, (AstPos){0, 0, 0, 0});
    do {
        Token *n = expect(p, TK_NAME);
        if (namelist_push(p->arena, &s->v.global.names, ident(p, n)) < 0) out_of_memory(p);
    } while (accept(p, TK_COMMA));
    s->pos = span(p, start);
    return s;
}

/* dotted_name: NAME ('.' NAME)* as one identifier. */
static const char *dotted_name(Parser *p) {
    Token *first = expect(p, TK_NAME);
    Token *last = first;
    while (check(p, TK_DOT) && peek_n(p, 1)->kind == TK_NAME) {
        advance(p);
        last = advance(p);
    }
    if (last == first) return ident(p, first);
    /* join the names without any whitespace between them */
    Buf b = {0};
    for (Token *t = first; t <= last; t++) buf_put(p, &b, t->start, t->len);
    return b.data;
}

static Stmt *import_stmt(Parser *p) {
    size_t start = p->pos;
    advance(p);
    PtrVec names = {0};
    do {
        size_t astart = p->pos;
        Alias *a = alloc(p, sizeof(Alias));
        a->name = dotted_name(p);
        if (accept(p, TK_AS)) a->asname = ident(p, expect(p, TK_NAME));
        a->pos = span(p, astart);
        vec_push(p, &names, a);
    } while (accept(p, TK_COMMA));
    Stmt *s = new_stmt(p, STMT_IMPORT, span(p, start));
    s->v.import.nnames = names.count;
    s->v.import.names = alloc(p, (names.count ? names.count : 1) * sizeof(Alias));
    for (size_t i = 0; i < names.count; i++) s->v.import.names[i] = *(Alias *)names.items[i];
    return s;
}

static Stmt *from_stmt(Parser *p) {
    size_t start = p->pos;
    advance(p);
    int level = 0;
    for (;;) {
        if (accept(p, TK_DOT)) level++;
        else if (accept(p, TK_ELLIPSIS)) level += 3;
        else break;
    }
    const char *module = NULL;
    if (check(p, TK_NAME) || level == 0) module = dotted_name(p);
    expect(p, TK_IMPORT);
    PtrVec names = {0};
    if (check(p, TK_STAR)) {
        Token *t = advance(p);
        Alias *a = alloc(p, sizeof(Alias));
        a->name = "*";
        a->pos = tok_pos(t);
        vec_push(p, &names, a);
    } else {
        int paren = accept(p, TK_LPAR) != NULL;
        do {
            if (paren && check(p, TK_RPAR) && names.count) break;
            size_t astart = p->pos;
            Alias *a = alloc(p, sizeof(Alias));
            a->name = ident(p, expect(p, TK_NAME));
            if (accept(p, TK_AS)) a->asname = ident(p, expect(p, TK_NAME));
            a->pos = span(p, astart);
            vec_push(p, &names, a);
            if (!paren && check(p, TK_COMMA) && peek_n(p, 1)->kind == TK_NEWLINE) {
                advance(p);
                raise_at_token(p, PE_SYNTAX, peek(p),
                               "trailing comma not allowed without surrounding parentheses");
            }
        } while (accept(p, TK_COMMA));
        if (paren) expect(p, TK_RPAR);
    }
    Stmt *s = new_stmt(p, STMT_IMPORTFROM, span(p, start));
    s->v.import.module = module;
    s->v.import.level = level;
    s->v.import.nnames = names.count;
    s->v.import.names = alloc(p, names.count * sizeof(Alias));
    for (size_t i = 0; i < names.count; i++) s->v.import.names[i] = *(Alias *)names.items[i];
    return s;
}

static int augassign_op(TokKind k) {
    switch (k) {
    case TK_PLUSEQUAL: return BINOP_ADD;
    case TK_MINEQUAL: return BINOP_SUB;
    case TK_STAREQUAL: return BINOP_MUL;
    case TK_SLASHEQUAL: return BINOP_TRUEDIV;
    case TK_DOUBLESLASHEQUAL: return BINOP_FLOORDIV;
    case TK_PERCENTEQUAL: return BINOP_MOD;
    case TK_DOUBLESTAREQUAL: return BINOP_POW;
    case TK_ATEQUAL: return BINOP_MATMUL;
    case TK_LEFTSHIFTEQUAL: return BINOP_LSHIFT;
    case TK_RIGHTSHIFTEQUAL: return BINOP_RSHIFT;
    case TK_AMPEREQUAL: return BINOP_AND;
    case TK_VBAREQUAL: return BINOP_OR;
    case TK_CIRCUMFLEXEQUAL: return BINOP_XOR;
    default: return -1;
    }
}

/* The right-hand side of an assignment: a yield expression or star_expressions. */
static Expr *assign_value(Parser *p) {
    if (check(p, TK_YIELD)) return yield_expr(p);
    return star_expressions(p);
}

/* Validates the targets of `t1 = t2 = ... = value` as CPython's invalid_assignment
 * and invalid_named_expression would. */
static void check_assign_targets(Parser *p, ExprList *targets, size_t *starts, Expr *value) {
    for (size_t i = 0; i < targets->count; i++) {
        Expr *t = targets->items[i];
        if (t->kind == EXPR_YIELD || t->kind == EXPR_YIELDFROM)
            raise_range(p, t->pos, t->pos, "assignment to yield expression not possible");
        if (!invalid_target(t, STAR_TARGETS)) continue;
        /* `a = b` alone: invalid_named_expression words it "... here. Maybe ..." */
        Expr *last = t;
        size_t last_start = starts[i];
        int found = 1;
        if (t->kind == EXPR_TUPLE && p->toks[starts[i]].kind != TK_LPAR && t->v.seq.elts.count) {
            last = t->v.seq.elts.items[t->v.seq.elts.count - 1];
            found = 0;
            for (size_t k = starts[i]; k < p->ts.count; k++)
                if (p->toks[k].lineno == last->pos.lineno && p->toks[k].col == last->pos.col_offset) {
                    last_start = k;
                    found = 1;
                    break;
                }
        }
        if (i == 0 && last->kind != EXPR_STARRED && found) {
            size_t save = p->pos;
            /* position on the '=' after this target */
            size_t k = last_start;
            while (k < p->ts.count && !(p->toks[k].kind == TK_EQUAL &&
                                        p->toks[k].lineno == t->pos.end_lineno &&
                                        p->toks[k].col >= t->pos.end_col_offset))
                k++;
            p->pos = k;
            check_named_assign(p, last, last_start);
            p->pos = save;
        }
        check_invalid_target(p, t, STAR_TARGETS);
    }
    (void)value;
}

/* Expression statements, assignments, augmented and annotated assignments. */
static Stmt *expr_stmt(Parser *p) {
    size_t start = p->pos;
    Token *first_tok = peek(p);
    Expr *first = check(p, TK_YIELD) ? yield_expr(p) : star_expressions(p);
    Token *t = peek(p);
    if (t->kind == TK_EQUAL) {
        ExprList targets = {0};
        PtrVec starts = {0};
        push_expr(p, &targets, first);
        vec_push(p, &starts, (void *)(uintptr_t)start);
        Expr *value = NULL;
        while (accept(p, TK_EQUAL)) {
            size_t vstart = p->pos;
            value = assign_value(p);
            if (check(p, TK_EQUAL)) {
                push_expr(p, &targets, value);
                vec_push(p, &starts, (void *)(uintptr_t)vstart);
            }
        }
        size_t *st = alloc(p, starts.count * sizeof(size_t));
        for (size_t i = 0; i < starts.count; i++) st[i] = (size_t)(uintptr_t)starts.items[i];
        size_t save = p->pos;
        check_assign_targets(p, &targets, st, value);
        p->pos = save;
        for (size_t i = 0; i < targets.count; i++) set_context(targets.items[i], CTX_STORE);
        Stmt *s = new_stmt(p, STMT_ASSIGN, span(p, start));
        s->v.assign.targets = targets;
        s->v.assign.value = value;
        return s;
    }
    int op = augassign_op(t->kind);
    if (op >= 0) {
        if (first->kind != EXPR_NAME && first->kind != EXPR_ATTRIBUTE &&
            first->kind != EXPR_SUBSCRIPT)
            raise_range(p, first->pos, first->pos,
                        "'%s' is an illegal expression for augmented assignment", expr_name(first));
        advance(p);
        Expr *value = assign_value(p);
        set_context(first, CTX_STORE);
        Stmt *s = new_stmt(p, STMT_AUGASSIGN, span(p, start));
        s->v.augassign.target = first;
        s->v.augassign.op = op;
        s->v.augassign.value = value;
        return s;
    }
    if (t->kind == TK_COLON) {
        int parenthesized = first_tok->kind == TK_LPAR;
        if (first->kind == EXPR_TUPLE && !parenthesized)
            raise_range(p, first->v.seq.elts.count ? first->v.seq.elts.items[0]->pos : first->pos,
                        first->v.seq.elts.count ? first->v.seq.elts.items[0]->pos : first->pos,
                        "only single target (not tuple) can be annotated");
        if (first->kind == EXPR_TUPLE || first->kind == EXPR_LIST) {
            advance(p);
            expression(p);
            raise_range(p, first->pos, first->pos, "only single target (not %s) can be annotated",
                        expr_name(first));
        }
        if (first->kind != EXPR_NAME && first->kind != EXPR_ATTRIBUTE &&
            first->kind != EXPR_SUBSCRIPT) {
            advance(p);
            expression(p);
            raise_range(p, first->pos, first->pos, "illegal target for annotation");
        }
        advance(p);
        Expr *ann = expression(p);
        Expr *value = NULL;
        if (accept(p, TK_EQUAL)) value = assign_value(p);
        set_context(first, CTX_STORE);
        Stmt *s = new_stmt(p, STMT_ANNASSIGN, span(p, start));
        s->v.annassign.target = first;
        s->v.annassign.annotation = ann;
        s->v.annassign.value = value;
        s->v.annassign.simple = first->kind == EXPR_NAME && !parenthesized;
        return s;
    }
    Stmt *s = new_stmt(p, STMT_EXPR, span(p, start));
    s->v.expr.value = first;
    return s;
}

static Stmt *del_stmt(Parser *p) {
    size_t start = p->pos;
    advance(p);
    Expr *targets = star_expressions(p);
    if (!check(p, TK_NEWLINE) && !check(p, TK_SEMI)) fail(p);
    check_invalid_target(p, targets, DEL_TARGETS);
    Stmt *s = new_stmt(p, STMT_DELETE, (AstPos){0, 0, 0, 0});
    if (targets->kind == EXPR_TUPLE && p->toks[start + 1].kind != TK_LPAR) {
        s->v.del.targets = targets->v.seq.elts;
    } else {
        push_expr(p, &s->v.del.targets, targets);
    }
    for (size_t i = 0; i < s->v.del.targets.count; i++)
        set_context(s->v.del.targets.items[i], CTX_DEL);
    s->pos = span(p, start);
    return s;
}

/* One simple statement (no NEWLINE). */
static Stmt *simple_stmt(Parser *p) {
    size_t start = p->pos;
    Token *t = peek(p);
    switch (t->kind) {
    case TK_PASS: advance(p); return new_stmt(p, STMT_PASS, tok_pos(t));
    case TK_BREAK: advance(p); return new_stmt(p, STMT_BREAK, tok_pos(t));
    case TK_CONTINUE: advance(p); return new_stmt(p, STMT_CONTINUE, tok_pos(t));
    case TK_RETURN: {
        advance(p);
        Expr *v = ends_list(peek(p)->kind) ? NULL : star_expressions(p);
        Stmt *s = new_stmt(p, STMT_RETURN, span(p, start));
        s->v.ret.value = v;
        return s;
    }
    case TK_RAISE: {
        advance(p);
        Stmt *s = new_stmt(p, STMT_RAISE, (AstPos){0, 0, 0, 0});
        if (!ends_list(peek(p)->kind)) {
            s->v.raise.exc = expression(p);
            if (accept(p, TK_FROM)) s->v.raise.cause = expression(p);
        }
        s->pos = span(p, start);
        return s;
    }
    case TK_GLOBAL: return global_stmt(p, STMT_GLOBAL);
    case TK_NONLOCAL: return global_stmt(p, STMT_NONLOCAL);
    case TK_DEL: return del_stmt(p);
    case TK_ASSERT: {
        advance(p);
        Stmt *s = new_stmt(p, STMT_ASSERT, (AstPos){0, 0, 0, 0});
        s->v.assert_.test = expression(p);
        if (accept(p, TK_COMMA)) s->v.assert_.msg = expression(p);
        s->pos = span(p, start);
        return s;
    }
    case TK_IMPORT: return import_stmt(p);
    case TK_FROM: return from_stmt(p);
    default: return expr_stmt(p);
    }
}

/* simple_stmts: simple_stmt (';' simple_stmt)* [';'] NEWLINE, appended to [out]. */
static void simple_stmts(Parser *p, StmtList *out) {
    for (;;) {
        push_stmt(p, out, simple_stmt(p));
        if (accept(p, TK_SEMI)) {
            if (check(p, TK_NEWLINE)) break;
            continue;
        }
        break;
    }
    if (!check(p, TK_NEWLINE)) {
        Stmt *last = out->items[out->count - 1];
        if (last->kind == STMT_EXPR) {
            /* the juxtaposition checks of CPython's second pass */
            Expr *v = last->v.expr.value;
            if (is_legacy_name(v)) {
                size_t save = p->pos;
                p->pos = save;
            }
        }
        fail(p);
    }
    advance(p);
}

/* The block after a compound statement's ':'. [kw] is the statement's keyword token
 * and [what] how CPython names it in "expected an indented block after ...". */
static StmtList block(Parser *p, Token *kw, const char *what) {
    StmtList body = {0};
    if (!check(p, TK_NEWLINE)) {
        simple_stmts(p, &body);
        return body;
    }
    advance(p);
    if (!check(p, TK_INDENT)) {
        Token *t = peek(p);
        (void)t;
        if (what) {
            char msg[128];
            snprintf(msg, sizeof msg, "expected an indented block after %s on line %d", what,
                     kw->lineno);
            raise_at_token(p, PE_INDENTATION, last_read(p), "%s", msg);
        }
        raise_at_token(p, PE_INDENTATION, last_read(p), "expected an indented block");
    }
    advance(p);
    while (!check(p, TK_DEDENT)) statement_list_item(p, &body);
    advance(p);
    return body;
}

/* Expects the ':' of a compound statement header; CPython reports "expected ':'" when
 * the line ends instead (at the NEWLINE), and the generic error otherwise. */
static void header_colon(Parser *p) {
    if (accept(p, TK_COLON)) return;
    if (check(p, TK_NEWLINE)) raise_at_token(p, PE_SYNTAX, last_read(p), "expected ':'");
    fail(p);
}

/* Statement-kind descriptions for "expected an indented block after ...". */
static const char *block_what(Parser *p, Token *kw, char *buf, size_t n) {
    snprintf(buf, n, "'%.*s' statement", (int)kw->len, kw->start);
    return buf;
}

static Stmt *if_stmt(Parser *p) {
    size_t start = p->pos;
    Token *kw = advance(p);
    char what[64];
    Expr *test = named_expression(p);
    header_colon(p);
    Stmt *s = new_stmt(p, STMT_IF, (AstPos){0, 0, 0, 0});
    s->v.if_.test = test;
    s->v.if_.body = block(p, kw, block_what(p, kw, what, sizeof what));
    if (check(p, TK_ELIF)) {
        push_stmt(p, &s->v.if_.orelse, if_stmt(p));
    } else if (check(p, TK_ELSE)) {
        Token *ekw = advance(p);
        expect_forced(p, TK_COLON);
        s->v.if_.orelse = block(p, ekw, "'else' statement");
    }
    s->pos = span(p, start);
    /* a statement ends at its last token before NEWLINE/DEDENT */
    return s;
}

static Stmt *while_stmt(Parser *p) {
    size_t start = p->pos;
    Token *kw = advance(p);
    Expr *test = named_expression(p);
    header_colon(p);
    Stmt *s = new_stmt(p, STMT_WHILE, (AstPos){0, 0, 0, 0});
    s->v.while_.test = test;
    s->v.while_.body = block(p, kw, "'while' statement");
    if (check(p, TK_ELSE)) {
        Token *ekw = advance(p);
        expect_forced(p, TK_COLON);
        s->v.while_.orelse = block(p, ekw, "'else' statement");
    }
    s->pos = span(p, start);
    return s;
}

static Stmt *for_stmt(Parser *p) {
    size_t start = p->pos;
    Token *kw = advance(p);
    Expr *target = target_list(p, TK_IN);
    expect(p, TK_IN);
    Expr *iter = star_expressions(p);
    header_colon(p);
    Stmt *s = new_stmt(p, STMT_FOR, (AstPos){0, 0, 0, 0});
    s->v.for_.target = target;
    s->v.for_.iter = iter;
    s->v.for_.body = block(p, kw, "'for' statement");
    if (check(p, TK_ELSE)) {
        Token *ekw = advance(p);
        expect_forced(p, TK_COLON);
        s->v.for_.orelse = block(p, ekw, "'else' statement");
    }
    s->pos = span(p, start);
    return s;
}

/* One `expression [as star_target]` item of a with statement. */
static void with_item(Parser *p, PtrVec *items) {
    WithItem *w = alloc(p, sizeof(WithItem));
    w->context_expr = expression(p);
    if (accept(p, TK_AS)) {
        size_t tstart = p->pos;
        Expr *t = star_target(p);
        int ends = check(p, TK_COMMA) || check(p, TK_COLON) || check(p, TK_RPAR);
        if (!ends || invalid_target(t, STAR_TARGETS)) {
            /* CPython's invalid_with_item: expression 'as' expression &(',' | ')' | ':') */
            size_t save_fill = p->fill;
            p->pos = tstart;
            Expr *all = try_parse(p, expression);
            int all_ends = all && (check(p, TK_COMMA) || check(p, TK_COLON) || check(p, TK_RPAR));
            p->fill = save_fill;
            if (all_ends) check_invalid_target(p, all, STAR_TARGETS);
            p->pos = tstart;
            star_target(p);
            if (!ends) fail(p);
            /* e.g. `as f()` before a newline: the generic error after the target */
            p->fill = p->pos + 1;
            fail(p);
        }
        set_context(t, CTX_STORE);
        w->optional_vars = t;
    }
    vec_push(p, items, w);
}

static Expr *with_items_parenthesized(Parser *p) {
    /* used speculatively: '(' items [','] ')' ':' */
    PtrVec items = {0};
    expect(p, TK_LPAR);
    do {
        if (check(p, TK_RPAR) && items.count) break;
        with_item(p, &items);
    } while (accept(p, TK_COMMA));
    expect(p, TK_RPAR);
    if (!check(p, TK_COLON)) fail(p);
    Expr *holder = new_expr(p, EXPR_TUPLE, (AstPos){0, 0, 0, 0});
    holder->v.seq.elts.items = (Expr **)items.items;
    holder->v.seq.elts.count = items.count;
    return holder;
}

static Stmt *with_stmt(Parser *p) {
    size_t start = p->pos;
    Token *kw = advance(p);
    PtrVec items = {0};
    Expr *paren = NULL;
    if (check(p, TK_LPAR)) paren = try_parse(p, with_items_parenthesized);
    if (paren) {
        items.items = (void **)paren->v.seq.elts.items;
        items.count = paren->v.seq.elts.count;
    } else {
        do {
            with_item(p, &items);
        } while (accept(p, TK_COMMA));
    }
    header_colon(p);
    Stmt *s = new_stmt(p, STMT_WITH, (AstPos){0, 0, 0, 0});
    s->v.with.nitems = items.count;
    s->v.with.items = alloc(p, items.count * sizeof(WithItem));
    for (size_t i = 0; i < items.count; i++) s->v.with.items[i] = *(WithItem *)items.items[i];
    s->v.with.body = block(p, kw, "'with' statement");
    s->pos = span(p, start);
    return s;
}

static Stmt *try_stmt(Parser *p) {
    size_t start = p->pos;
    Token *kw = advance(p);
    expect_forced(p, TK_COLON);
    Stmt *s = new_stmt(p, STMT_TRY, (AstPos){0, 0, 0, 0});
    s->v.try_.body = block(p, kw, "'try' statement");
    PtrVec handlers = {0};
    while (check(p, TK_EXCEPT)) {
        size_t hstart = p->pos;
        Token *ekw = advance(p);
        ExceptHandler *h = alloc(p, sizeof(ExceptHandler));
        if (check(p, TK_STAR)) {
            unsupported(p, peek(p), "except* clauses");
            advance(p);
        }
        if (!check(p, TK_COLON)) {
            if (check(p, TK_NEWLINE)) raise_at_token(p, PE_SYNTAX, last_read(p), "expected ':'");
            h->type = expression(p);
            if (check(p, TK_COMMA)) {
                Expr *first = h->type;
                size_t save = p->pos;
                while (accept(p, TK_COMMA)) expression(p);
                if (accept(p, TK_AS)) expect(p, TK_NAME);
                if (check(p, TK_COLON))
                    raise_range(p, first->pos, tok_pos(prev(p)),
                                "multiple exception types must be parenthesized");
                p->pos = save;
                fail(p);
            }
            if (accept(p, TK_AS)) {
                if (!check(p, TK_NAME)) {
                    size_t tstart = p->pos;
                    Expr *bad = try_parse(p, expression);
                    if (bad && (check(p, TK_COLON) || check(p, TK_NEWLINE)))
                        raise_range(p, bad->pos, bad->pos, "cannot use %s as except target",
                                    expr_name(bad));
                    p->pos = tstart;
                }
                h->name = ident(p, expect(p, TK_NAME));
            }
        }
        header_colon(p);
        h->body = block(p, ekw, "'except' statement");
        h->pos = span(p, hstart);
        vec_push(p, &handlers, h);
    }
    s->v.try_.handlers = (ExceptHandler **)handlers.items;
    s->v.try_.nhandlers = handlers.count;
    if (handlers.count && check(p, TK_ELSE)) {
        Token *ekw = advance(p);
        expect_forced(p, TK_COLON);
        s->v.try_.orelse = block(p, ekw, "'else' statement");
    }
    if (check(p, TK_FINALLY)) {
        Token *fkw = advance(p);
        expect_forced(p, TK_COLON);
        s->v.try_.finalbody = block(p, fkw, "'finally' statement");
    }
    if (!handlers.count && !s->v.try_.finalbody.count) {
        Token *t = peek(p);
        raise_range(p, tok_pos(t), tok_pos(t), "expected 'except' or 'finally' block");
    }
    s->pos = span(p, start);
    return s;
}

static Stmt *funcdef(Parser *p, ExprList decorators, int is_async) {
    size_t start = p->pos;
    if (is_async) advance(p);
    Token *kw = advance(p);
    Token *name = expect(p, TK_NAME);
    expect_forced(p, TK_LPAR);
    Arguments *args = parameters(p, TK_RPAR);
    expect(p, TK_RPAR);
    Expr *returns = NULL;
    if (accept(p, TK_RARROW)) returns = expression(p);
    expect_forced(p, TK_COLON);
    Stmt *s = new_stmt(p, STMT_FUNCTIONDEF, (AstPos){0, 0, 0, 0});
    s->v.funcdef.name = ident(p, name);
    s->v.funcdef.args = args;
    s->v.funcdef.returns = returns;
    s->v.funcdef.decorator_list = decorators;
    p->in_func++;
    s->v.funcdef.body = block(p, kw, "function definition");
    p->in_func--;
    s->pos = span(p, start);
    return s;
}

static Stmt *classdef(Parser *p, ExprList decorators) {
    size_t start = p->pos;
    Token *kw = advance(p);
    Token *name = expect(p, TK_NAME);
    Stmt *s = new_stmt(p, STMT_CLASSDEF, (AstPos){0, 0, 0, 0});
    s->v.classdef.name = ident(p, name);
    s->v.classdef.decorator_list = decorators;
    if (check(p, TK_LPAR)) {
        size_t lpar = p->pos;
        advance(p);
        call_arguments(p, lpar, &s->v.classdef.bases, &s->v.classdef.keywords,
                       &s->v.classdef.nkeywords);
    }
    header_colon(p);
    s->v.classdef.body = block(p, kw, "class definition");
    s->pos = span(p, start);
    return s;
}

static Stmt *decorated(Parser *p) {
    ExprList decorators = {0};
    while (accept(p, TK_AT)) {
        push_expr(p, &decorators, named_expression(p));
        expect(p, TK_NEWLINE);
    }
    if (check(p, TK_DEF)) return funcdef(p, decorators, 0);
    if (check(p, TK_CLASS)) return classdef(p, decorators);
    if (check(p, TK_ASYNC) && peek_n(p, 1)->kind == TK_DEF) {
        unsupported(p, peek(p), "async functions");
        return funcdef(p, decorators, 1);
    }
    fail(p);
}

/* Detects a `match` statement (soft keyword): `match <subject>:` ending the line. */
static int looks_like_match(Parser *p) {
    Token *t = peek(p);
    if (t->kind != TK_NAME || t->len != 5 || memcmp(t->start, "match", 5) != 0) return 0;
    Token *n = peek_n(p, 1);
    if (!starts_expression(n->kind) && n->kind != TK_STAR) return 0;
    if (n->kind == TK_LPAR || n->kind == TK_LSQB || n->kind == TK_MINUS ||
        n->kind == TK_PLUS || n->kind == TK_TILDE) {
        /* could be a call/subscript/operator on a variable named match */
    }
    for (size_t k = p->pos + 1; k < p->ts.count; k++) {
        Token *x = &p->toks[k];
        if (x->kind == TK_ERROR || x->kind == TK_ENDMARKER) return 0;
        if (x->kind == TK_NEWLINE) {
            Token *c = &p->toks[k - 1];
            return c->kind == TK_COLON && k + 1 < p->ts.count && p->toks[k + 1].kind == TK_INDENT;
        }
    }
    return 0;
}

/* Parses one statement (simple statements append several) into [out]. */
static Stmt *statement_list_item(Parser *p, StmtList *out) {
    Token *t = peek(p);
    switch (t->kind) {
    case TK_DEF: {
        Stmt *s = funcdef(p, (ExprList){0}, 0);
        push_stmt(p, out, s);
        return s;
    }
    case TK_CLASS: {
        Stmt *s = classdef(p, (ExprList){0});
        push_stmt(p, out, s);
        return s;
    }
    case TK_AT: {
        Stmt *s = decorated(p);
        push_stmt(p, out, s);
        return s;
    }
    case TK_IF: { Stmt *s = if_stmt(p); push_stmt(p, out, s); return s; }
    case TK_WHILE: { Stmt *s = while_stmt(p); push_stmt(p, out, s); return s; }
    case TK_FOR: { Stmt *s = for_stmt(p); push_stmt(p, out, s); return s; }
    case TK_TRY: { Stmt *s = try_stmt(p); push_stmt(p, out, s); return s; }
    case TK_WITH: { Stmt *s = with_stmt(p); push_stmt(p, out, s); return s; }
    case TK_ASYNC: {
        Token *n = peek_n(p, 1);
        unsupported(p, t, n->kind == TK_DEF ? "async functions" : n->kind == TK_FOR
                          ? "async for" : "async with");
        if (n->kind == TK_DEF) {
            Stmt *s = funcdef(p, (ExprList){0}, 1);
            push_stmt(p, out, s);
            return s;
        }
        advance(p);
        return statement_list_item(p, out);
    }
    case TK_INDENT:
        advance(p);
        fail(p);
    default:
        if (looks_like_match(p)) {
            unsupported(p, t, "the match statement");
            /* skip the whole statement: header and indented block */
            while (!check(p, TK_INDENT)) advance(p);
            int depth = 0;
            do {
                Token *x = advance(p);
                if (x->kind == TK_INDENT) depth++;
                else if (x->kind == TK_DEDENT) depth--;
            } while (depth > 0);
            Stmt *s = new_stmt(p, STMT_PASS, tok_pos(t));
            push_stmt(p, out, s);
            return s;
        }
        simple_stmts(p, out);
        return out->items[out->count - 1];
    }
}

/* ---- error finishing ---- */

/* Converts the parser's byte columns to CPython's character offsets and applies the
 * tokenizer-error precedence rules. */
static void finish_error(Parser *p) {
    ParseError *e = p->err;
    if (!p->from_lexer && !p->no_override && e->kind != PE_MEMORY) {
        if (p->ts.status == LEX_ERROR && p->ts.err_overrides) {
            *e = p->ts.err;
            return;
        }
        if (p->ts.status == LEX_EOF_IN_PAREN) {
            Token *cur = &p->toks[p->fill_any ? p->fill_any - 1 : 0];
            if (cur->lineno > p->ts.err.lineno) {
                *e = p->ts.err;
                e->end_col_offset = 0;
                p->err_raw = 0;
            }
        }
    }
    if (p->err_raw || e->kind == PE_MEMORY) return;
    int line = e->lineno;
    e->col_offset = lexer_char_offset(p->ts.buf, p->ts.buflen, line, e->col_offset);
    if (e->end_col_offset > 0)
        e->end_col_offset = lexer_char_offset(p->ts.buf, p->ts.buflen, line, e->end_col_offset);
}

static int parser_init(Parser *p, Arena *arena, const char *src, size_t len, int eval,
                       ParseError *err) {
    memset(p, 0, sizeof *p);
    memset(err, 0, sizeof *err);
    p->arena = arena;
    p->err = err;
    if (lexer_tokenize(arena, src, len, eval, &p->ts) < 0) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        err->kind = PE_MEMORY;
        return -1;
    }
    p->toks = p->ts.tokens;
    return 0;
}

Module *parse_module(Arena *arena, const char *source, size_t len, ParseError *err) {
    Parser p;
    if (parser_init(&p, arena, source, len, 0, err) < 0) return NULL;
    jmp_buf jb;
    p.jb = &jb;
    Module *volatile m = NULL;
    if (setjmp(jb) == 0) {
        m = alloc(&p, sizeof(Module));
        while (!check(&p, TK_ENDMARKER)) {
            if (check(&p, TK_NEWLINE)) { advance(&p); continue; }
            statement_list_item(&p, &m->body);
        }
    } else {
        finish_error(&p);
        return NULL;
    }
    if (p.has_unsupported) {
        *err = p.unsupported;
        err->col_offset = lexer_char_offset(p.ts.buf, p.ts.buflen, err->lineno, err->col_offset);
        err->end_col_offset = lexer_char_offset(p.ts.buf, p.ts.buflen, err->lineno,
                                                err->end_col_offset);
        return NULL;
    }
    return m;
}

Expr *parse_expression(Arena *arena, const char *source, size_t len, ParseError *err) {
    Parser p;
    if (parser_init(&p, arena, source, len, 1, err) < 0) return NULL;
    jmp_buf jb;
    p.jb = &jb;
    Expr *volatile e = NULL;
    if (setjmp(jb) == 0) {
        e = star_expressions(&p);
        if (!check(&p, TK_ENDMARKER)) fail(&p);
    } else {
        finish_error(&p);
        return NULL;
    }
    if (p.has_unsupported) {
        *err = p.unsupported;
        return NULL;
    }
    return e;
}

/* Parses the whole token stream of an f-string field; returns 0, or -1 with the
 * error in sub->err. */
static int sub_parse_run(Parser *sub, Expr **out) {
    jmp_buf jb;
    sub->jb = &jb;
    if (setjmp(jb) != 0) return -1;
    Expr *e;
    if (check(sub, TK_YIELD)) e = yield_expr(sub);
    else e = star_expressions(sub);
    if (!check(sub, TK_ENDMARKER)) fail(sub);
    *out = e;
    return 0;
}

/* Parses the expression [s, s+n) of an f-string field of token [t]: tokens are
 * re-positioned to their place in the file; errors propagate to [p]. */
static Expr *parse_sub_expression(Parser *p, Token *t, const char *s, size_t n) {
    int line, col;
    locate(t, s, &line, &col);
    Parser sub;
    memset(&sub, 0, sizeof sub);
    sub.arena = p->arena;
    sub.err = p->err;
    sub.parent = p;
    sub.speculating = p->speculating;
    if (lexer_tokenize(p->arena, s, n, 1, &sub.ts) < 0) out_of_memory(p);
    sub.toks = sub.ts.tokens;
    for (size_t i = 0; i < sub.ts.count; i++) {
        Token *k = &sub.toks[i];
        if (k->lineno == 1) k->col += col;
        if (k->end_lineno == 1) k->end_col += col;
        k->lineno += line - 1;
        k->end_lineno += line - 1;
        k->level++;
    }
    /* CPython parses "(expr)": its errors at the end point at the closing ')' */
    Token *endm = &sub.toks[sub.ts.count - 1];
    if (endm->kind == TK_ENDMARKER) {
        int el, ec;
        locate(t, s + n, &el, &ec);
        endm->col_is_cursor = 0;
        endm->lineno = endm->end_lineno = el;
        endm->col = ec;
        endm->end_col = ec + 1;
    }
    if (sub.ts.status != LEX_OK) {
        /* CPython reports f-string tokenizer trouble as f-string errors */
        fstring_error(p, t, "f-string: invalid expression");
    }
    Expr *e = NULL;
    if (sub_parse_run(&sub, &e) < 0) {
        /* An error inside the field: CPython 3.11 reports it as "f-string: ..." with
         * columns relative to the string "(expr)" it parsed */
        ParseError *err = p->err;
        if (err->kind == PE_MEMORY) jump(p);
        char msg[256];
        snprintf(msg, sizeof msg, "f-string: %.200s", err->msg);
        snprintf(err->msg, sizeof err->msg, "%s", msg);
        if (err->lineno == line) err->col_offset = err->col_offset - col + 1;
        if (err->end_lineno == line && err->end_col_offset > 0)
            err->end_col_offset = err->end_col_offset - col + 1;
        p->from_lexer = 0;
        p->no_override = 0;
        p->err_raw = 1;
        p->fatal = 1;
        jump(p);
    }
    if (sub.has_unsupported && !p->has_unsupported) {
        Parser *root = p;
        while (root->parent) root = root->parent;
        if (!root->has_unsupported) {
            root->has_unsupported = 1;
            root->unsupported = sub.unsupported;
        }
    }
    return e;
}
