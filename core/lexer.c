/* lexer.c — the tokenizer: turns source text into the token array the parser reads.
 * Its structure follows CPython 3.11's Parser/tokenizer.c (tok_get) closely so that
 * tokenizer errors carry the same messages and positions. Owns the indentation stack,
 * the bracket stack and number/string scanning; string contents are decoded by the
 * parser.
 */
#include "lexer.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_INDENT 100
#define MAX_LEVEL 200
#define TAB_SIZE 8
#define LEX_EOF (-1)

/* The scanning state: a cursor over the normalised source (always ends in '\n'). */
typedef struct {
    Arena *arena;
    const char *buf, *end; /* the normalised text */
    const char *cur;       /* next byte to read */
    const char *line_start;
    int lineno;
    const char *start;     /* start of the current token */
    int atbol;             /* at the beginning of a line */
    int pendin;            /* pending INDENT (>0) or DEDENT (<0) tokens */
    int indent;            /* top of the indentation stacks */
    int indstack[MAX_INDENT], altindstack[MAX_INDENT];
    int level;             /* bracket nesting depth */
    char parenstack[MAX_LEVEL];
    int parenline[MAX_LEVEL], parencol[MAX_LEVEL];
    int eval_mode;
    int blankline;
    TokenStream *out;
    size_t cap;
} Lexer;

static const char *const kind_names[] = {
#define X(n, s) s,
    TOKEN_LIST(X)
#undef X
};

const char *lexer_kind_name(TokKind kind) {
    return kind < TK_COUNT ? kind_names[kind] : "?";
}

/* ---- reading characters ---- */

static int nextc(Lexer *lx) {
    if (lx->cur >= lx->end) {
        lx->cur = lx->end + 1; /* so that backup() after EOF is symmetric */
        return LEX_EOF;
    }
    int c = (unsigned char)*lx->cur++;
    return c;
}

static void backup(Lexer *lx, int c) {
    lx->cur--;
    (void)c;
}

/* Counts code points in [s, s+n): every byte that is not a UTF-8 continuation byte. */
static int count_chars(const char *s, size_t n) {
    int k = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) k++;
    return k;
}

int lexer_char_offset(const char *src, size_t len, int lineno, int byte_col1) {
    const char *p = src, *end = src + len;
    for (int l = 1; l < lineno && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) { p = end; break; }
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t line_len = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
    if (byte_col1 < 0) return byte_col1;
    if ((size_t)byte_col1 > line_len + 1) byte_col1 = (int)line_len + 1;
    if ((size_t)byte_col1 > line_len) /* CPython decodes the terminating NUL too */
        return count_chars(p, line_len) + 1;
    return count_chars(p, (size_t)byte_col1);
}

/* ---- errors ---- */

static void set_error(Lexer *lx, int kind, int lineno, int offset, int end_lineno,
                      int end_offset, const char *fmt, ...) {
    ParseError *e = &lx->out->err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->kind = kind;
    e->lineno = lineno;
    e->col_offset = offset;
    e->end_lineno = end_lineno;
    e->end_col_offset = end_offset;
    lx->out->status = LEX_ERROR;
}

/* CPython's syntaxerror(tok, ...): the offset is the number of characters from the
 * line start to the cursor (the last consumed character, 1-based). */
static int syntax_error(Lexer *lx, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const char *cur = lx->cur > lx->end ? lx->end : lx->cur;
    int col = count_chars(lx->line_start, (size_t)(cur - lx->line_start));
    set_error(lx, PE_SYNTAX, lx->lineno, col, lx->lineno, col, "%s", msg);
    lx->out->err_overrides = 1;
    return -1;
}

/* CPython's syntaxerror_known_range: explicit 1-based byte columns, converted. */
static int syntax_error_range(Lexer *lx, int col1, int end_col1, const char *msg) {
    int c = count_chars(lx->line_start, (size_t)col1 - 1) + 1;
    int e = count_chars(lx->line_start, (size_t)end_col1);
    set_error(lx, PE_SYNTAX, lx->lineno, c, lx->lineno, e, "%s", msg);
    lx->out->err_overrides = 1;
    return -1;
}

/* Length in bytes of the current physical line including its newline. */
static int line_bytes(Lexer *lx) {
    const char *nl = memchr(lx->line_start, '\n', (size_t)(lx->end - lx->line_start));
    return nl ? (int)(nl + 1 - lx->line_start) : (int)(lx->end - lx->line_start);
}

/* Errors the parser reports with a known location at (lineno, 0..-1). */
static int whole_line_error(Lexer *lx, int kind, const char *msg) {
    set_error(lx, kind, lx->lineno, 1, lx->lineno, 0, "%s", msg);
    return -1;
}

/* ---- emitting tokens ---- */

static int emit(Lexer *lx, TokKind kind, const char *start, const char *end,
                int lineno, int col, int end_lineno, int end_col) {
    TokenStream *ts = lx->out;
    if (ts->count == lx->cap) {
        size_t ncap = lx->cap ? lx->cap * 2 : 256;
        Token *nt = arena_alloc(lx->arena, ncap * sizeof(Token));
        if (!nt) return -1;
        if (ts->count) memcpy(nt, ts->tokens, ts->count * sizeof(Token));
        ts->tokens = nt;
        lx->cap = ncap;
    }
    Token *t = &ts->tokens[ts->count++];
    t->kind = kind;
    t->start = start;
    t->len = (size_t)(end - start);
    t->lineno = lineno;
    t->col = col;
    t->end_lineno = end_lineno;
    t->end_col = end_col;
    t->level = lx->level;
    return 0;
}

/* Emits a token spanning [lx->start, lx->cur) on the current line. */
static int emit_here(Lexer *lx, TokKind kind) {
    int col = (int)(lx->start - lx->line_start);
    return emit(lx, kind, lx->start, lx->cur, lx->lineno, col, lx->lineno,
                col + (int)(lx->cur - lx->start));
}

/* INDENT, DEDENT and ENDMARKER have no extent in CPython: their column is wherever
 * the tokenizer's cursor is (col_is_cursor); the parser reports them that way. */
static int emit_marker(Lexer *lx, TokKind kind) {
    const char *cur = lx->cur > lx->end ? lx->end : lx->cur;
    int col = (int)(cur - lx->line_start);
    if (emit(lx, kind, cur, cur, lx->lineno, col, lx->lineno, col) < 0) return -1;
    lx->out->tokens[lx->out->count - 1].col_is_cursor = 1;
    return 0;
}

/* ---- identifiers ---- */

static int is_id_start(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 128;
}

static int is_id_char(int c) {
    return is_id_start(c) || (c >= '0' && c <= '9');
}

static const struct { const char *word; TokKind kind; } keywords[] = {
    {"False", TK_FALSE}, {"None", TK_NONE}, {"True", TK_TRUE}, {"and", TK_AND},
    {"as", TK_AS}, {"assert", TK_ASSERT}, {"async", TK_ASYNC}, {"await", TK_AWAIT},
    {"break", TK_BREAK}, {"class", TK_CLASS}, {"continue", TK_CONTINUE},
    {"def", TK_DEF}, {"del", TK_DEL}, {"elif", TK_ELIF}, {"else", TK_ELSE},
    {"except", TK_EXCEPT}, {"finally", TK_FINALLY}, {"for", TK_FOR},
    {"from", TK_FROM}, {"global", TK_GLOBAL}, {"if", TK_IF}, {"import", TK_IMPORT},
    {"in", TK_IN}, {"is", TK_IS}, {"lambda", TK_LAMBDA}, {"nonlocal", TK_NONLOCAL},
    {"not", TK_NOT}, {"or", TK_OR}, {"pass", TK_PASS}, {"raise", TK_RAISE},
    {"return", TK_RETURN}, {"try", TK_TRY}, {"while", TK_WHILE}, {"with", TK_WITH},
    {"yield", TK_YIELD},
};

static TokKind keyword_kind(const char *s, size_t n) {
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, s, n) == 0)
            return keywords[i].kind;
    return TK_NAME;
}

/* Decodes one UTF-8 sequence at [s] (at most [n] bytes); sets *len. */
static uint32_t utf8_decode(const unsigned char *s, size_t n, int *len) {
    uint32_t c = s[0];
    int k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if ((size_t)k > n) k = (int)n;
    if (k == 1) { *len = 1; return c; }
    c &= (k == 2 ? 0x1F : k == 3 ? 0x0F : 0x07);
    for (int i = 1; i < k; i++) c = (c << 6) | (s[i] & 0x3F);
    *len = k;
    return c;
}

/* An approximation of Unicode's general categories Z*, C* (not printable). */
static int is_unprintable(uint32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0xAD || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
           (c >= 0x205F && c <= 0x206F) || c == 0x3000 || c == 0xFEFF ||
           (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xFFF0 && c <= 0xFFFF);
}

/* An approximation of XID_Continue for non-ASCII code points: letters and marks of
 * the common scripts are accepted; symbols, punctuation and spaces are not. */
static int is_xid_char(uint32_t c) {
    if (c < 0x80) return is_id_char((int)c);
    if (is_unprintable(c)) return 0;
    if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA || c == 0xB7;
    if (c == 0xD7 || c == 0xF7) return 0;
    if (c >= 0x2000 && c <= 0x2BFF)
        return (c >= 0x2070 && c <= 0x209F && c != 0x207A && c != 0x207B && c != 0x207C &&
                c != 0x208A && c != 0x208B && c != 0x208C) ||
               c == 0x2102 || c == 0x2107 || (c >= 0x210A && c <= 0x2113) ||
               c == 0x2115 || (c >= 0x2119 && c <= 0x211D) || c == 0x2124 ||
               c == 0x2126 || c == 0x2128 || (c >= 0x212A && c <= 0x212D) ||
               (c >= 0x212F && c <= 0x2139) || (c >= 0x2160 && c <= 0x2188);
    if (c >= 0x3000 && c <= 0x303F) return c == 0x3005 || c == 0x3006 || c == 0x3007;
    if (c >= 0xFF00 && c <= 0xFF0F) return 0;
    if (c >= 0xFF1A && c <= 0xFF20) return 0;
    if (c >= 0x1F000 && c <= 0x1FAFF) return 0;
    return 1;
}

/* CPython's verify_identifier: the first character that cannot be part of an
 * identifier is reported, with the cursor just after it. */
static int verify_identifier(Lexer *lx) {
    const unsigned char *s = (const unsigned char *)lx->start;
    size_t n = (size_t)(lx->cur - lx->start);
    size_t i = 0;
    int first = 1;
    while (i < n) {
        int len;
        uint32_t c = utf8_decode(s + i, n - i, &len);
        int ok = is_xid_char(c) && !(first && c >= '0' && c <= '9');
        if (!ok) {
            lx->cur = (const char *)s + i + len;
            if (is_unprintable(c))
                return syntax_error(lx, "invalid non-printable character U+%04X", c);
            char utf8[5] = {0};
            memcpy(utf8, s + i, (size_t)len);
            return syntax_error(lx, "invalid character '%s' (U+%04X)", utf8, c);
        }
        i += (size_t)len;
        first = 0;
    }
    return 0;
}

/* ---- numbers (CPython's tokenizer, almost line for line) ---- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_xdigit(int c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int lookahead(Lexer *lx, const char *test) {
    const char *s = test;
    int res = 0;
    while (1) {
        int c = nextc(lx);
        if (*s == 0) { res = !is_id_char(c); }
        else if (c == *s) { s++; continue; }
        backup(lx, c);
        while (s != test) { backup(lx, *--s); }
        return res;
    }
}

/* After a number: a letter glued to it is an error, except the keywords that may
 * legally follow a number (CPython only warns there). Returns 0 on error. */
static int verify_end_of_number(Lexer *lx, int c, const char *kind) {
    int r = 0;
    if (c == 'a') r = lookahead(lx, "nd");
    else if (c == 'e') r = lookahead(lx, "lse");
    else if (c == 'f') r = lookahead(lx, "or");
    else if (c == 'i') {
        int c2 = nextc(lx);
        if (c2 == 'f' || c2 == 'n' || c2 == 's') r = 1;
        backup(lx, c2);
    } else if (c == 'o') r = lookahead(lx, "r");
    else if (c == 'n') r = lookahead(lx, "ot");
    if (r) return 1;
    if (c >= 0 && c < 128 && is_id_char(c)) {
        backup(lx, c);
        syntax_error(lx, "invalid %s literal", kind);
        return 0;
    }
    return 1;
}

/* Returns the character after a run of digits with single underscores, 0 on error. */
static int decimal_tail(Lexer *lx) {
    int c;
    while (1) {
        do { c = nextc(lx); } while (is_digit(c));
        if (c != '_') break;
        c = nextc(lx);
        if (!is_digit(c)) {
            backup(lx, c);
            syntax_error(lx, "invalid decimal literal");
            return 0;
        }
    }
    return c;
}

/* Scans the prefixed integer digits (after 0x/0o/0b). Returns the next char or 0. */
static int based_digits(Lexer *lx, int base, const char *kind) {
    int c = nextc(lx);
    do {
        if (c == '_') c = nextc(lx);
        int ok = base == 16 ? is_xdigit(c) : base == 8 ? (c >= '0' && c < '8')
                                                       : (c == '0' || c == '1');
        if (!ok) {
            if (base != 16 && is_digit(c)) {
                syntax_error(lx, "invalid digit '%c' in %s literal", c, kind);
                return 0;
            }
            backup(lx, c);
            syntax_error(lx, "invalid %s literal", kind);
            return 0;
        }
        do {
            c = nextc(lx);
        } while (base == 16 ? is_xdigit(c) : base == 8 ? (c >= '0' && c < '8')
                                                       : (c == '0' || c == '1'));
    } while (c == '_');
    if (base != 16 && is_digit(c)) {
        syntax_error(lx, "invalid digit '%c' in %s literal", c, kind);
        return 0;
    }
    if (!verify_end_of_number(lx, c, kind)) return 0;
    return c == 0 ? ' ' : c;
}

/* The fraction/exponent/imaginary tail of a decimal number; c is the character after
 * the integer part (or after the '.' when [in_fraction]). Returns next char or 0. */
static int number_tail(Lexer *lx, int c, int in_fraction) {
    if (!in_fraction && c == '.') {
        c = nextc(lx);
        in_fraction = 1;
    }
    if (in_fraction && is_digit(c)) {
        c = decimal_tail(lx);
        if (c == 0) return 0;
    }
    if (c == 'e' || c == 'E') {
        int e = c;
        c = nextc(lx);
        if (c == '+' || c == '-') {
            c = nextc(lx);
            if (!is_digit(c)) {
                backup(lx, c);
                syntax_error(lx, "invalid decimal literal");
                return 0;
            }
        } else if (!is_digit(c)) {
            backup(lx, c);
            if (!verify_end_of_number(lx, e, "decimal")) return 0;
            backup(lx, e);
            return -2; /* the cursor is already after the number */
        }
        c = decimal_tail(lx);
        if (c == 0) return 0;
    }
    if (c == 'j' || c == 'J') {
        c = nextc(lx);
        if (!verify_end_of_number(lx, c, "imaginary")) return 0;
    } else if (!verify_end_of_number(lx, c, "decimal")) {
        return 0;
    }
    return c;
}

/* Scans a number starting with digit [c] (or '.' followed by a digit when c == '.').
 * Returns 0 or -1 on error. */
static int scan_number(Lexer *lx, int c) {
    if (c == '.') {
        c = number_tail(lx, nextc(lx), 1);
    } else if (c == '0') {
        c = nextc(lx);
        if (c == 'x' || c == 'X') c = based_digits(lx, 16, "hexadecimal");
        else if (c == 'o' || c == 'O') c = based_digits(lx, 8, "octal");
        else if (c == 'b' || c == 'B') c = based_digits(lx, 2, "binary");
        else {
            int nonzero = 0;
            while (1) {
                if (c == '_') {
                    c = nextc(lx);
                    if (!is_digit(c)) {
                        backup(lx, c);
                        return syntax_error(lx, "invalid decimal literal");
                    }
                }
                if (c != '0') break;
                c = nextc(lx);
            }
            const char *zeros_end = lx->cur;
            if (is_digit(c)) {
                nonzero = 1;
                c = decimal_tail(lx);
                if (c == 0) return -1;
            }
            if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J') {
                c = number_tail(lx, c, 0);
            } else if (nonzero) {
                backup(lx, c);
                return syntax_error_range(
                    lx, (int)(lx->start + 1 - lx->line_start),
                    (int)(zeros_end - lx->line_start),
                    "leading zeros in decimal integer literals are not permitted; "
                    "use an 0o prefix for octal integers");
            } else if (!verify_end_of_number(lx, c, "decimal")) {
                return -1;
            }
        }
    } else {
        c = decimal_tail(lx);
        if (c == 0) return -1;
        c = number_tail(lx, c, 0);
    }
    if (c == 0) return -1;
    if (c != -2) backup(lx, c);
    return emit_here(lx, TK_NUMBER);
}

/* ---- strings ---- */

/* Scans a string whose opening quote was just read (prefix already consumed). */
static int scan_string(Lexer *lx, int quote) {
    int quote_size = 1, end_quote_size = 0;
    int first_lineno = lx->lineno;
    const char *first_line_start = lx->line_start;
    int c = nextc(lx);
    if (c == quote) {
        c = nextc(lx);
        if (c == quote) quote_size = 3;
        else end_quote_size = 1;
    }
    if (c != quote) backup(lx, c);
    while (end_quote_size != quote_size) {
        c = nextc(lx);
        if (c == '\n' && quote_size == 3) {
            /* keep line bookkeeping for multi-line strings */
            lx->lineno++;
            lx->line_start = lx->cur;
        }
        if (c == LEX_EOF || (quote_size == 1 && c == '\n')) {
            int detected = lx->lineno;
            if (c == LEX_EOF && quote_size == 3) detected = lx->lineno - 1;
            lx->cur = lx->start + 1;
            lx->line_start = first_line_start;
            lx->lineno = first_lineno;
            if (quote_size == 3)
                return syntax_error(lx, "unterminated triple-quoted string literal "
                                        "(detected at line %d)", detected);
            return syntax_error(lx, "unterminated string literal (detected at line %d)",
                                detected);
        }
        if (c == quote) {
            end_quote_size++;
        } else {
            end_quote_size = 0;
            if (c == '\\') {
                c = nextc(lx);
                if (c == '\n' && quote_size == 3) {
                    lx->lineno++;
                    lx->line_start = lx->cur;
                } else if (c == '\n') {
                    /* a backslash-newline continues a single-quoted string */
                    lx->lineno++;
                    lx->line_start = lx->cur;
                }
            }
        }
    }
    int col = (int)(lx->start - first_line_start);
    return emit(lx, TK_STRING, lx->start, lx->cur, first_lineno, col, lx->lineno,
                (int)(lx->cur - lx->line_start));
}

/* ---- operators ---- */

static TokKind one_char(int c) {
    switch (c) {
    case '(': return TK_LPAR; case ')': return TK_RPAR; case '[': return TK_LSQB;
    case ']': return TK_RSQB; case ':': return TK_COLON; case ',': return TK_COMMA;
    case ';': return TK_SEMI; case '+': return TK_PLUS; case '-': return TK_MINUS;
    case '*': return TK_STAR; case '/': return TK_SLASH; case '|': return TK_VBAR;
    case '&': return TK_AMPER; case '<': return TK_LESS; case '>': return TK_GREATER;
    case '=': return TK_EQUAL; case '.': return TK_DOT; case '%': return TK_PERCENT;
    case '{': return TK_LBRACE; case '}': return TK_RBRACE; case '~': return TK_TILDE;
    case '^': return TK_CIRCUMFLEX; case '@': return TK_AT; case '!': return TK_EXCLAMATION;
    default: return TK_OP; /* an unknown character: the parser rejects it */
    }
}

static TokKind two_chars(int c1, int c2) {
    switch (c1) {
    case '!': if (c2 == '=') return TK_NOTEQUAL; break;
    case '%': if (c2 == '=') return TK_PERCENTEQUAL; break;
    case '&': if (c2 == '=') return TK_AMPEREQUAL; break;
    case '*': if (c2 == '*') return TK_DOUBLESTAR; if (c2 == '=') return TK_STAREQUAL; break;
    case '+': if (c2 == '=') return TK_PLUSEQUAL; break;
    case '-': if (c2 == '=') return TK_MINEQUAL; if (c2 == '>') return TK_RARROW; break;
    case '/': if (c2 == '/') return TK_DOUBLESLASH; if (c2 == '=') return TK_SLASHEQUAL; break;
    case ':': if (c2 == '=') return TK_COLONEQUAL; break;
    case '<':
        if (c2 == '<') return TK_LEFTSHIFT;
        if (c2 == '=') return TK_LESSEQUAL;
        if (c2 == '>') return TK_NOTEQUAL;
        break;
    case '=': if (c2 == '=') return TK_EQEQUAL; break;
    case '>': if (c2 == '=') return TK_GREATEREQUAL; if (c2 == '>') return TK_RIGHTSHIFT; break;
    case '@': if (c2 == '=') return TK_ATEQUAL; break;
    case '^': if (c2 == '=') return TK_CIRCUMFLEXEQUAL; break;
    case '|': if (c2 == '=') return TK_VBAREQUAL; break;
    }
    return TK_ERROR;
}

static TokKind three_chars(int c1, int c2, int c3) {
    if (c3 != '=') return TK_ERROR;
    if (c1 == '*' && c2 == '*') return TK_DOUBLESTAREQUAL;
    if (c1 == '/' && c2 == '/') return TK_DOUBLESLASHEQUAL;
    if (c1 == '<' && c2 == '<') return TK_LEFTSHIFTEQUAL;
    if (c1 == '>' && c2 == '>') return TK_RIGHTSHIFTEQUAL;
    return TK_ERROR;
}

/* Tracks bracket nesting for c (an opening or closing bracket). */
static int track_brackets(Lexer *lx, int c) {
    if (c == '(' || c == '[' || c == '{') {
        if (lx->level >= MAX_LEVEL) return syntax_error(lx, "too many nested parentheses");
        lx->parenstack[lx->level] = (char)c;
        lx->parenline[lx->level] = lx->lineno;
        lx->parencol[lx->level] = (int)(lx->start - lx->line_start);
        lx->level++;
    } else if (c == ')' || c == ']' || c == '}') {
        if (!lx->level) return syntax_error(lx, "unmatched '%c'", c);
        lx->level--;
        int opening = lx->parenstack[lx->level];
        if (!((opening == '(' && c == ')') || (opening == '[' && c == ']') ||
              (opening == '{' && c == '}'))) {
            if (lx->parenline[lx->level] != lx->lineno)
                return syntax_error(lx, "closing parenthesis '%c' does not match opening "
                                        "parenthesis '%c' on line %d",
                                    c, opening, lx->parenline[lx->level]);
            return syntax_error(lx, "closing parenthesis '%c' does not match opening "
                                    "parenthesis '%c'", c, opening);
        }
    }
    return 0;
}

/* ---- the main loop ---- */

/* Reads a backslash continuation; returns the next char, or -1 after an error. */
static int continuation_line(Lexer *lx) {
    int c = nextc(lx);
    if (c != '\n') {
        /* CPython: col_offset = cur - line start - 1, reported 1-based; end None-ish */
        const char *cur = lx->cur > lx->end ? lx->end : lx->cur;
        int col = count_chars(lx->line_start, (size_t)(cur - lx->line_start - 1)) + 1;
        set_error(lx, PE_SYNTAX, lx->lineno, col, lx->lineno, 0, "%s",
                  "unexpected character after line continuation character");
        return -1;
    }
    c = nextc(lx);
    if (c == LEX_EOF) {
        int col = count_chars(lx->line_start, (size_t)(lx->end - lx->line_start));
        set_error(lx, PE_SYNTAX, lx->lineno, col, lx->lineno, -1, "%s",
                  "unexpected EOF while parsing");
        return -1;
    }
    backup(lx, c);
    lx->lineno++;
    lx->line_start = lx->cur;
    return c;
}

/* Computes the indentation of a new line and queues INDENT/DEDENT tokens. Returns 0,
 * or -1 after an error. */
static int read_indentation(Lexer *lx) {
    int col = 0, altcol = 0, cont_line_col = 0, c;
    lx->atbol = 0;
    for (;;) {
        c = nextc(lx);
        if (c == ' ') { col++; altcol++; }
        else if (c == '\t') { col = (col / TAB_SIZE + 1) * TAB_SIZE; altcol++; }
        else if (c == '\f') { col = altcol = 0; }
        else if (c == '\\') {
            cont_line_col = cont_line_col ? cont_line_col : col;
            if (continuation_line(lx) < 0) return -1;
        } else break;
    }
    backup(lx, c);
    lx->blankline = (c == '#' || c == '\n' || c == LEX_EOF);
    if (lx->blankline || lx->level != 0 || lx->eval_mode) return 0;
    if (cont_line_col) col = altcol = cont_line_col;
    if (col == lx->indstack[lx->indent]) {
        if (altcol != lx->altindstack[lx->indent]) goto tab_error;
    } else if (col > lx->indstack[lx->indent]) {
        if (lx->indent + 1 >= MAX_INDENT)
            return whole_line_error(lx, PE_INDENTATION, "too many levels of indentation");
        if (altcol <= lx->altindstack[lx->indent]) goto tab_error;
        lx->pendin++;
        lx->indstack[++lx->indent] = col;
        lx->altindstack[lx->indent] = altcol;
    } else {
        while (lx->indent > 0 && col < lx->indstack[lx->indent]) {
            lx->pendin--;
            lx->indent--;
        }
        if (col != lx->indstack[lx->indent]) {
            int n = count_chars(lx->line_start, (size_t)line_bytes(lx));
            set_error(lx, PE_INDENTATION, lx->lineno, n, lx->lineno, -1, "%s",
                      "unindent does not match any outer indentation level");
            return -1;
        }
        if (altcol != lx->altindstack[lx->indent]) goto tab_error;
    }
    return 0;
tab_error:
    return whole_line_error(lx, PE_TAB, "inconsistent use of tabs and spaces in indentation");
}

/* Scans a name, or a string with a prefix. */
static int scan_name(Lexer *lx, int c) {
    int saw_b = 0, saw_r = 0, saw_u = 0, saw_f = 0;
    while (1) {
        if (!(saw_b || saw_u || saw_f) && (c == 'b' || c == 'B')) saw_b = 1;
        else if (!(saw_b || saw_u || saw_r || saw_f) && (c == 'u' || c == 'U')) saw_u = 1;
        else if (!(saw_r || saw_u) && (c == 'r' || c == 'R')) saw_r = 1;
        else if (!(saw_f || saw_b || saw_u) && (c == 'f' || c == 'F')) saw_f = 1;
        else break;
        c = nextc(lx);
        if (c == '"' || c == '\'') return scan_string(lx, c);
    }
    int nonascii = 0;
    while (c != LEX_EOF && is_id_char(c)) {
        if (c >= 128) nonascii = 1;
        c = nextc(lx);
    }
    backup(lx, c);
    if (nonascii && verify_identifier(lx) < 0) return -1;
    if (emit_here(lx, TK_NAME) < 0) return -1;
    Token *t = &lx->out->tokens[lx->out->count - 1];
    t->kind = keyword_kind(t->start, t->len);
    return 0;
}

/* Produces the next token(s). Returns 1 at the end, 0 to continue, -1 on error. */
static int next_token(Lexer *lx) {
    int c;
nextline:
    lx->start = NULL;
    lx->blankline = 0;
    if (lx->atbol) {
        if (read_indentation(lx) < 0) return -1;
    }
    lx->start = lx->cur;
    if (lx->pendin != 0) {
        TokKind k = lx->pendin < 0 ? TK_DEDENT : TK_INDENT;
        lx->pendin += lx->pendin < 0 ? 1 : -1;
        return emit_marker(lx, k);
    }
again:
    do { c = nextc(lx); } while (c == ' ' || c == '\t' || c == '\f');
    lx->start = lx->cur - 1;
    if (c == '#') {
        while (c != LEX_EOF && c != '\n') c = nextc(lx);
    }
    if (c == LEX_EOF) {
        lx->cur = lx->end;
        if (lx->level) {
            ParseError *e = &lx->out->err;
            int l = lx->level - 1;
            snprintf(e->msg, sizeof e->msg, "'%c' was never closed", lx->parenstack[l]);
            e->kind = PE_SYNTAX;
            e->lineno = e->end_lineno = lx->parenline[l];
            e->col_offset = lx->parencol[l] + 1; /* converted by the parser */
            e->end_col_offset = 0;
            lx->out->status = LEX_EOF_IN_PAREN;
            if (emit_marker(lx, TK_ERROR) < 0) return -1;
            return 1;
        }
        if (!lx->eval_mode) {
            while (lx->indent > 0) {
                lx->indent--;
                if (emit_marker(lx, TK_DEDENT) < 0) return -1;
            }
        }
        if (emit_marker(lx, TK_ENDMARKER) < 0) return -1;
        return 1;
    }
    if (is_id_start(c)) return scan_name(lx, c);
    if (c == '\n') {
        lx->atbol = 1;
        if (lx->blankline || lx->level > 0 || lx->eval_mode) {
            if (lx->cur < lx->end) { lx->lineno++; lx->line_start = lx->cur; }
            goto nextline;
        }
        /* CPython's NEWLINE token leaves the '\n' out: zero width. */
        lx->cur--;
        if (emit_here(lx, TK_NEWLINE) < 0) return -1;
        lx->cur++;
        if (lx->cur < lx->end) { lx->lineno++; lx->line_start = lx->cur; }
        return 0;
    }
    if (c == '.') {
        c = nextc(lx);
        if (is_digit(c)) { backup(lx, c); return scan_number(lx, '.'); }
        if (c == '.') {
            c = nextc(lx);
            if (c == '.') return emit_here(lx, TK_ELLIPSIS);
            backup(lx, c);
            backup(lx, '.');
        } else {
            backup(lx, c);
        }
        return emit_here(lx, TK_DOT);
    }
    if (is_digit(c)) return scan_number(lx, c);
    if (c == '\'' || c == '"') return scan_string(lx, c);
    if (c == '\\') {
        if (continuation_line(lx) < 0) return -1;
        goto again;
    }
    int c2 = nextc(lx);
    TokKind k = two_chars(c, c2);
    if (k != TK_ERROR) {
        int c3 = nextc(lx);
        TokKind k3 = three_chars(c, c2, c3);
        if (k3 != TK_ERROR) k = k3;
        else backup(lx, c3);
        return emit_here(lx, k);
    }
    backup(lx, c2);
    if (track_brackets(lx, c) < 0) return -1;
    if (c < 0x20 || c == 0x7F) {
        if (c == 0)
            return syntax_error(lx, "source code cannot contain null bytes");
        return syntax_error(lx, "invalid non-printable character U+%04X", c);
    }
    return emit_here(lx, one_char(c));
}

/* Copies the source with CPython's universal-newline translation and a final '\n'. */
static char *normalise(Arena *arena, const char *src, size_t len, size_t *out_len) {
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { src += 3; len -= 3; }
    char *buf = arena_alloc(arena, len + 2);
    if (!buf) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (src[i] == '\r') {
            buf[n++] = '\n';
            if (i + 1 < len && src[i + 1] == '\n') i++;
        } else {
            buf[n++] = src[i];
        }
    }
    if (n == 0 || buf[n - 1] != '\n') buf[n++] = '\n';
    buf[n] = 0;
    *out_len = n;
    return buf;
}

int lexer_tokenize(Arena *arena, const char *src, size_t len, int eval_mode,
                   TokenStream *out) {
    memset(out, 0, sizeof *out);
    Lexer lx;
    memset(&lx, 0, sizeof lx);
    size_t n;
    char *buf = normalise(arena, src, len, &n);
    if (!buf) return -1;
    lx.arena = arena;
    lx.buf = buf;
    lx.end = buf + n;
    lx.cur = lx.line_start = buf;
    lx.lineno = 1;
    lx.atbol = 1;
    lx.eval_mode = eval_mode;
    lx.out = out;
    out->buf = buf;
    out->buflen = n;
    for (;;) {
        int r = next_token(&lx);
        if (r == 1) return 0;
        if (r < 0) {
            if (out->status == LEX_OK) return -1; /* out of memory */
            if (emit_marker(&lx, TK_ERROR) < 0) return -1;
            return 0;
        }
    }
}
