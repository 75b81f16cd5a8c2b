/* lexer.h — the tokenizer (lexer.c): source text to a token array with positions,
 * INDENT/DEDENT/NEWLINE from an indentation stack, implicit line joining inside
 * brackets, and CPython 3.11's tokenizer errors. Strings (f-strings included) are one
 * token each; the parser decodes them.
 */
#ifndef PYFRAMES_LEXER_H
#define PYFRAMES_LEXER_H

#include <stddef.h>

#include "ast.h"
#include "parser.h"

/* Token kinds: structural tokens, literals, keywords, then operators. */
#define TOKEN_LIST(X) \
    X(ENDMARKER, "end of file") X(NAME, "name") X(NUMBER, "number") \
    X(STRING, "string") X(NEWLINE, "newline") X(INDENT, "indent") \
    X(DEDENT, "dedent") X(ERROR, "error") \
    X(FALSE, "False") X(NONE, "None") X(TRUE, "True") X(AND, "and") X(AS, "as") \
    X(ASSERT, "assert") X(ASYNC, "async") X(AWAIT, "await") X(BREAK, "break") \
    X(CLASS, "class") X(CONTINUE, "continue") X(DEF, "def") X(DEL, "del") \
    X(ELIF, "elif") X(ELSE, "else") X(EXCEPT, "except") X(FINALLY, "finally") \
    X(FOR, "for") X(FROM, "from") X(GLOBAL, "global") X(IF, "if") \
    X(IMPORT, "import") X(IN, "in") X(IS, "is") X(LAMBDA, "lambda") \
    X(NONLOCAL, "nonlocal") X(NOT, "not") X(OR, "or") X(PASS, "pass") \
    X(RAISE, "raise") X(RETURN, "return") X(TRY, "try") X(WHILE, "while") \
    X(WITH, "with") X(YIELD, "yield") \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]") X(LBRACE, "{") \
    X(RBRACE, "}") X(COLON, ":") X(COMMA, ",") X(SEMI, ";") X(PLUS, "+") \
    X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(VBAR, "|") X(AMPER, "&") \
    X(LESS, "<") X(GREATER, ">") X(EQUAL, "=") X(DOT, ".") X(PERCENT, "%") \
    X(EQEQUAL, "==") X(NOTEQUAL, "!=") X(LESSEQUAL, "<=") \
    X(GREATEREQUAL, ">=") X(TILDE, "~") X(CIRCUMFLEX, "^") X(LEFTSHIFT, "<<") \
    X(RIGHTSHIFT, ">>") X(DOUBLESTAR, "**") X(PLUSEQUAL, "+=") \
    X(MINEQUAL, "-=") X(STAREQUAL, "*=") X(SLASHEQUAL, "/=") \
    X(PERCENTEQUAL, "%=") X(AMPEREQUAL, "&=") X(VBAREQUAL, "|=") \
    X(CIRCUMFLEXEQUAL, "^=") X(LEFTSHIFTEQUAL, "<<=") \
    X(RIGHTSHIFTEQUAL, ">>=") X(DOUBLESTAREQUAL, "**=") \
    X(DOUBLESLASH, "//") X(DOUBLESLASHEQUAL, "//=") X(AT, "@") \
    X(ATEQUAL, "@=") X(RARROW, "->") X(ELLIPSIS, "...") X(COLONEQUAL, ":=") \
    X(EXCLAMATION, "!") X(OP, "op")

typedef enum {
#define X(n, s) TK_##n,
    TOKEN_LIST(X)
#undef X
    TK_COUNT
} TokKind;

/* The first and last keyword kinds (keywords are recognised by the lexer). */
#define TK_FIRST_KEYWORD TK_FALSE
#define TK_LAST_KEYWORD TK_YIELD

/* One token: [start]/[len] point into the source; lines 1-based, columns 0-based
 * UTF-8 byte offsets (as CPython's tokenize). INDENT/DEDENT sit at the first
 * token of their line. */
typedef struct {
    TokKind kind;
    const char *start;
    size_t len;
    int lineno, col, end_lineno, end_col;
    int level;         /* bracket nesting depth after this token */
    int col_is_cursor; /* INDENT/DEDENT/ENDMARKER/ERROR: col is the tokenizer's cursor */
} Token;

/* How the token stream ended when it ends in TK_ERROR. */
enum {
    LEX_OK,            /* ends with TK_ENDMARKER */
    LEX_ERROR,         /* a tokenizer error: [err] holds the full SyntaxError */
    LEX_EOF_IN_PAREN   /* end of file inside brackets: "'(' was never closed" */
};

/* The result of tokenizing a whole source. */
typedef struct {
    Token *tokens;  /* count tokens; the last is TK_ENDMARKER or TK_ERROR */
    size_t count;
    int status;     /* LEX_* */
    ParseError err; /* LEX_ERROR: the finished SyntaxError. LEX_EOF_IN_PAREN: the
                     * message, with col_offset a 1-based BYTE column to convert */
    int err_overrides; /* LEX_ERROR raised as an exception by CPython's tokenizer itself
                        * (strings, numbers, characters, brackets): such an error later
                        * in the file replaces a parser error, the others do not */
    const char *buf; /* the normalised source the tokens point into ('\n' line ends) */
    size_t buflen;
} TokenStream;

/* Tokenizes [len] bytes of [src] into [out], allocating in [arena]. When [eval_mode]
 * is set, no INDENT/DEDENT/NEWLINE tokens are produced (input to parse_expression). Returns 0, or -1 if out of memory. */
int lexer_tokenize(Arena *arena, const char *src, size_t len, int eval_mode,
                   TokenStream *out);
/* Returns the display text of a token kind ("(", "if", "name"...). */
const char *lexer_kind_name(TokKind kind);
/* Converts a 1-based byte column of line [lineno] of [src] into CPython's 1-based
 * character offset (clamping as CPython does past the end of the line). */
int lexer_char_offset(const char *src, size_t len, int lineno, int byte_col1);

#endif
