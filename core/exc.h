/* exc.h — exception objects and tracebacks (exc.c). The raising API (err_format,
 * err_set, ...) is declared in object.h. */
#ifndef PYFRAMES_EXC_H
#define PYFRAMES_EXC_H

#include "object.h"

/* Every exception instance, built-in or from a user subclass, starts with this
 * layout. [args] is a tuple; [traceback] is the innermost-last chain of
 * TracebackObject built by the VM while unwinding (NULL until raised); [context] and
 * [cause] give "During handling..." and "The above exception was the direct cause...". */
typedef struct {
    Object ob;
    Object *dict;       /* instance attributes (user subclasses, KeyError etc.), may be NULL */
    Object *args;       /* tuple */
    Object *traceback;  /* TracebackObject or NULL */
    Object *context;    /* __context__ or NULL */
    Object *cause;      /* __cause__ or NULL */
    bool suppress_context;
    Object *weaklist;
    /* SyntaxError only (NULL otherwise): msg, filename, lineno, offset, text,
     * end_lineno, end_offset as in CPython. */
    Object *msg, *filename, *lineno, *offset, *text, *end_lineno, *end_offset;
    Object *value;      /* StopIteration.value, SystemExit.code; may be NULL */
    /* NameError/AttributeError .name and AttributeError .obj (NULL: None), and for a
     * NameError the "Did you mean" candidate found when it was raised (or NULL). */
    Object *name, *obj, *suggestion;
} ExceptionObject;

/* One entry of a traceback: the frame's code was at [lineno] when the exception
 * passed through. Entries link outermost → innermost through [next], as CPython's
 * tb_next. [name] is the function name, [filename] the file, both str. */
typedef struct {
    Object ob;
    Object *next;
    Object *filename;
    Object *name;
    int lineno;
    /* The failing instruction's source span (CPython 3.11 PEP 657 positions, columns
     * as UTF-8 byte offsets, -1 when unknown): exc_print uses them for the ^^^ / ~^~
     * marker line under the source line. */
    int end_lineno, col, end_col;
    /* The frame object the entry belongs to (a FrameType object, as CPython's tb_frame,
     * which keeps that frame's locals alive while the traceback lives), or NULL. The
     * VM may set it (a new reference) right after exc_add_traceback. */
    Object *frame;
} TracebackObject;

/* Creates a traceback entry (new reference) and prepends it to exc's chain: called by
 * the VM once for each frame an exception leaves or is raised in. */
int exc_add_traceback(Vm *vm, Object *exc, Object *filename, Object *name, int lineno,
                      int end_lineno, int col, int end_col);
/* Prints [exc] with its traceback, context/cause chain, and the source lines, exactly
 * as CPython 3.11's default excepthook, through vm_write(vm, 2, ...). */
void exc_print(Vm *vm, Object *exc);
/* Creates a new exception instance of [type] with a str message (new reference). */
Object *exc_new_msg(Vm *vm, Type *type, const char *msg);
/* Raises AttributeError with CPython 3.11's message for [obj] lacking attribute [name]
 * ("'Foo' object has no attribute 'x'" / "type object 'Foo' has no attribute 'x'" /
 * "module 'm' has no attribute 'x'"), recording name and obj for the "Did you mean"
 * suggestion printed by exc_print. */
void exc_attribute_error(Vm *vm, Object *obj, Object *name);
/* Raises NameError("name 'x' is not defined") for [name]; [varnames] (a tuple of the
 * code's local variable names, or NULL), [globals] and vm->builtins supply the
 * "Did you mean: 'y'?" suggestion that exc_print shows, as CPython 3.11. */
void exc_name_error(Vm *vm, Object *name, Object *varnames, Object *globals);
/* Prints "Exception ignored in: <repr of obj>" (prefix [where], e.g. "Exception
 * ignored in") followed by [exc]'s traceback, as CPython's unraisable hook (used for
 * errors in __del__ and weakref callbacks). */
void exc_print_unraisable(Vm *vm, const char *where, Object *obj, Object *exc);
/* Readies the exception types and creates vm->memory_error. */
int exc_init(Vm *vm);
/* Releases the exception types' dicts (after the last object is gone). */
void exc_fini(Vm *vm);

#endif
