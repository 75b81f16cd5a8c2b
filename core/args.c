/* args.c — argument checking for built-in functions and methods, producing CPython
 * 3.11's TypeError messages (the METH_O / METH_NOARGS texts, _PyArg_CheckPositional
 * and _PyArg_UnpackKeywords).
 */
#include "args.h"

#include <string.h>

#include "str.h"
#include "tuple.h"
#include "vm.h"

size_t args_nkw(Object *kwnames) { return kwnames ? TUPLE_SIZE(kwnames) : 0; }

int args_check(Vm *vm, const char *fname, size_t nargs, Object *kwnames, size_t min,
               size_t max)
{
    if (args_nkw(kwnames)) {
        err_format(vm, &TypeErrorType, "%s() takes no keyword arguments", fname);
        return -1;
    }
    if (nargs >= min && nargs <= max) return 0;
    if (min == 1 && max == 1)
        err_format(vm, &TypeErrorType, "%s() takes exactly one argument (%zu given)", fname, nargs);
    else if (min == 0 && max == 0)
        err_format(vm, &TypeErrorType, "%s() takes no arguments (%zu given)", fname, nargs);
    else if (nargs < min)
        err_format(vm, &TypeErrorType, "%s expected %s%zu argument%s, got %zu", fname,
                   min == max ? "" : "at least ", min, min == 1 ? "" : "s", nargs);
    else
        err_format(vm, &TypeErrorType, "%s expected %s%zu argument%s, got %zu", fname,
                   min == max ? "" : "at most ", max, max == 1 ? "" : "s", nargs);
    return -1;
}

/* Index of the keyword named [name] in [kwnames], or -1. */
static intptr_t find_keyword(Object *kwnames, const char *name)
{
    size_t n = args_nkw(kwnames);
    for (size_t i = 0; i < n; i++)
        if (str_eq_cstr(TUPLE_ITEM(kwnames, i), name)) return (intptr_t)i;
    return -1;
}

int args_unpack(Vm *vm, const char *fname, Object **args, size_t nargs, Object *kwnames,
                const char *const *names, int min, int max_positional, Object **out)
{
    size_t maxargs = 0;
    while (names[maxargs]) maxargs++;
    size_t nkw = args_nkw(kwnames), maxpos = (size_t)max_positional;
    if (nargs + nkw > maxargs) {
        err_format(vm, &TypeErrorType, "%s() takes at most %zu %sargument%s (%zu given)", fname,
                   maxargs, nargs == 0 ? "keyword " : "", maxargs == 1 ? "" : "s", nargs + nkw);
        return -1;
    }
    if (nargs > maxpos) {
        if (maxpos == 0)
            err_format(vm, &TypeErrorType, "%s() takes no positional arguments", fname);
        else
            err_format(vm, &TypeErrorType, "%s() takes %s %zu positional argument%s (%zu given)",
                       fname, (size_t)min < maxpos ? "at most" : "exactly", maxpos,
                       maxpos == 1 ? "" : "s", nargs);
        return -1;
    }
    size_t left = nkw;
    for (size_t i = 0; i < maxargs; i++) {
        if (i < nargs) {
            out[i] = args[i];
            continue;
        }
        intptr_t k = left ? find_keyword(kwnames, names[i]) : -1;
        out[i] = k >= 0 ? args[nargs + (size_t)k] : NULL;
        if (k >= 0) left--;
        else if (i < (size_t)min) {
            err_format(vm, &TypeErrorType, "%s() missing required argument '%s' (pos %zu)",
                       fname, names[i], i + 1);
            return -1;
        }
    }
    if (left) {
        for (size_t i = 0; i < nargs; i++) {
            if (find_keyword(kwnames, names[i]) >= 0) {
                err_format(vm, &TypeErrorType,
                           "argument for %s() given by name ('%s') and position (%zu)", fname,
                           names[i], i + 1);
                return -1;
            }
        }
        for (size_t k = 0; k < nkw; k++) {
            Object *kw = TUPLE_ITEM(kwnames, k);
            bool known = false;
            for (size_t i = 0; i < maxargs && !known; i++) known = str_eq_cstr(kw, names[i]);
            if (!known) {
                err_format(vm, &TypeErrorType, "'%U' is an invalid keyword argument for %s()", kw,
                           fname);
                return -1;
            }
        }
    }
    return 0;
}
