/* args.h — argument checking for built-in functions and methods (args.c), producing
 * CPython 3.11's TypeError messages. */
#ifndef PYFRAMES_ARGS_H
#define PYFRAMES_ARGS_H

#include "object.h"

/* Maps the call's positional and keyword arguments onto the parameter [names] (a
 * NULL-terminated list) of function [fname]: out[i] receives a borrowed reference or
 * NULL when the argument was not given. The first [min] parameters are required; the
 * first [max_positional] may be passed positionally (the rest are keyword-only).
 * Raises TypeError as CPython does ("f() takes at most 2 arguments (3 given)",
 * "f() got an unexpected keyword argument 'x'", "f() missing required argument 'x'
 * (pos 1)", ...) and returns -1; 0 on success. */
int args_unpack(Vm *vm, const char *fname, Object **args, size_t nargs, Object *kwnames,
                const char *const *names, int min, int max_positional, Object **out);
/* Checks a positional-only call: raises "f() takes exactly one argument (2 given)" /
 * "f expected at most 2 arguments, got 3" style TypeErrors (CPython's text for the
 * function concerned is passed in through the counts) and rejects keywords with
 * "f() takes no keyword arguments". Returns -1 on error. */
int args_check(Vm *vm, const char *fname, size_t nargs, Object *kwnames, size_t min,
               size_t max);
/* Number of keyword arguments in a vectorcall (0 when kwnames is NULL). */
size_t args_nkw(Object *kwnames);

#endif
