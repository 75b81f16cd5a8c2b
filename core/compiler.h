/* compiler.h — the compiler (compiler.c): AST (ast.h) to code objects (code.h), with
 * the scopes of symtable.h, CPython 3.11's instruction positions, and the
 * SyntaxErrors CPython's compiler reports ('return' outside function, ...).
 */
#ifndef PYFRAMES_COMPILER_H
#define PYFRAMES_COMPILER_H

#include "ast.h"
#include "vm.h"

/* Compiles module [m] parsed from [source] into the code object of `<module>` (new
 * reference), or returns NULL with vm->exc set (SyntaxError, MemoryError, ...). */
Object *compiler_compile(Vm *vm, const Module *m, const char *source, const char *filename);

/* Sets vm->exc to a new [type] (SyntaxError or a subclass) with CPython's attributes:
 * msg, filename, lineno, offset / end_offset (1-based, in characters; 0 = None),
 * end_lineno (0 = None) and text (the source line, taken from vm->source). */
void compiler_syntax_error(Vm *vm, Type *type, const char *msg, const char *filename,
                           int lineno, int offset, int end_lineno, int end_offset);

#endif
