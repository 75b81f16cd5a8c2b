/* parser.h — the recursive-descent parser (parser.c): Python 3.11 source text to the
 * AST of ast.h, or a syntax error worded and positioned exactly as CPython 3.11
 * reports it (message, line, and the column range its caret line underlines).
 */
#ifndef PYFRAMES_PARSER_H
#define PYFRAMES_PARSER_H

#include <stddef.h>

#include "ast.h"

/* The kinds of ParseError. */
enum {
    PE_SYNTAX,      /* SyntaxError */
    PE_INDENTATION, /* IndentationError */
    PE_TAB,         /* TabError */
    PE_UNSUPPORTED, /* valid Python outside the subset: raise
                     * NotImplementedError("pyframes does not support " + msg) */
    PE_MEMORY       /* out of memory while parsing: raise MemoryError */
};

/* A syntax error with CPython's SyntaxError attributes.
 * [lineno]/[end_lineno] are 1-based lines (SyntaxError.lineno / end_lineno).
 * [col_offset]/[end_col_offset] are 1-BASED columns counted in CHARACTERS (code
 * points) of the source line: exactly SyntaxError.offset / end_offset, so the caret
 * line is drawn as CPython does from offset/end_offset. When CPython sets
 * end_lineno/end_offset to None (tokenizer errors such as IndentationError), they are
 * 0 here; exc.c should then store None. For PE_UNSUPPORTED the position is the
 * construct's start. */
typedef struct {
    char msg[256];
    int kind;
    int lineno, col_offset, end_lineno, end_col_offset;
} ParseError;

/* Parses a whole module. Returns the AST (allocated in [arena]) or NULL with [err]
 * filled. [source] need not be NUL-terminated. */
Module *parse_module(Arena *arena, const char *source, size_t len, ParseError *err);
/* Parses a single expression (as `eval` input: surrounding whitespace and newlines
 * allowed). Used by exc.c to locate the operator of a BinOp or the brackets of a
 * Subscript from a source segment; positions are relative to [source] (line 1,
 * column 0 at its first byte). Returns NULL with [err] filled on error. */
Expr *parse_expression(Arena *arena, const char *source, size_t len, ParseError *err);

#endif
