/* float.h — the float type (float.c): IEEE doubles with CPython's shortest
 * round-trip repr, hash, rounding and Python's // and % semantics. */
#ifndef PYFRAMES_FLOAT_H
#define PYFRAMES_FLOAT_H

#include "vm.h"

/* A float. */
typedef struct {
    Object ob;
    double value;
} FloatObject;

#define FLOAT_CHECK(o) (TYPE(o) == &FloatType || type_is_subtype(TYPE(o), &FloatType))

/* Returns a new float object. */
Object *float_from_double(Vm *vm, double d);
/* Stores the value of a float or int [o] in *[out]; TypeError "must be real number,
 * not str" otherwise (tries __float__ and __index__). Returns -1 on error. */
int float_as_double(Vm *vm, Object *o, double *out);
/* Writes CPython's repr of [d] (shortest round-trip, e.g. "0.1", "1e+16", "inf") into
 * [buf] and returns buf. */
char *float_repr_cstr(double d, char buf[32]);
/* pow(x, y) as CPython's libm gives it: an integral y by exact-enough squaring (the
 * wasm build's libm is Emscripten's size-optimised one, which is not). */
double float_pow(double x, double y);
/* Flags for float_to_string. */
enum { FLOAT_ADD_DOT_0 = 1, FLOAT_ALT = 2 };
/* Formats [d] as CPython's PyOS_double_to_string: [code] is one of e E f F g G r
 * (r: shortest repr), [precision] as in a format spec, [flags] FLOAT_ADD_DOT_0 /
 * FLOAT_ALT. Includes a leading '-' for negative values (and -0.0). Returns a malloc'd
 * string (free() it) or NULL when out of memory. */
char *float_to_string(double d, char code, int precision, int flags);
/* round(x, n) for a float x: the double nearest the exact decimal value of x rounded
 * half to even at 10**-n; OverflowError when that is too large. */
Object *float_round_ndigits(Vm *vm, double x, int64_t n);
/* CPython's hash of a double (so hash(1.0) == hash(1)). */
Hash float_hash_value(double d);
/* Parses float(str) text: whitespace, inf/nan, underscores. ValueError "could not
 * convert string to float: 'x'" on bad input. */
Object *float_from_str(Vm *vm, Object *s);
/* Formats a double with a format spec (float.__format__). */
Object *float_format(Vm *vm, double d, Object *spec);
/* Python's float floor division and modulo; raise ZeroDivisionError. */
int float_divmod(Vm *vm, double a, double b, double *floordiv, double *mod);

#endif
