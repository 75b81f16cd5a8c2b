/* int.h — the int and bool types (int.c): arbitrary precision integers with a fast
 * int64 path and a sign-magnitude big form (32-bit digits) used only when a value does
 * not fit in int64. Every int-creating path goes through the small-int cache. */
#ifndef PYFRAMES_INT_H
#define PYFRAMES_INT_H

#include "vm.h"

/* An int (or bool, or an instance of an int subclass). Invariant: when [ndigits] is 0
 * the value is [small]; otherwise the value is [sign] * (digits, little-endian base
 * 2**32) and does not fit in int64 (results are normalised back to the small form).
 * The digits live in the same allocation, just past type->basicsize (INT_DIGITS), so
 * an int in the int64 range takes 40 bytes. */
typedef struct {
    Object ob;
    int64_t small;
    int32_t ndigits;
    int32_t sign;      /* -1 or 1 when ndigits > 0 */
} IntObject;

/* The digits of a big int [o] (ndigits > 0). */
#define INT_DIGITS(o) ((uint32_t *)((char *)(o) + TYPE(o)->basicsize))

/* True if [o] is an int (or bool or int subclass instance). */
#define INT_CHECK(o) (TYPE(o) == &IntType || TYPE(o) == &BoolType || \
                      type_is_subtype(TYPE(o), &IntType))

/* Creates the small-int cache and True/False; sets the str-conversion digit limit. */
int int_init(Vm *vm);
/* Releases the small-int cache and True/False at the end of the run. */
void int_fini(Vm *vm);
/* Stores [o]'s value in *[out]; raises OverflowError ("Python int too large to convert
 * to C int64") and returns -1 if it does not fit, TypeError if [o] is not an int. */
int int_as_i64(Vm *vm, Object *o, int64_t *out);
/* [o] (an int) as a C int, as CPython's _PyLong_AsInt: OverflowError "Python int too
 * large to convert to C int" outside its range; -1 with the exception set. */
int int_as_c_int(Vm *vm, Object *o, int *out);
/* Like int_as_i64 but for indices: clamps nothing, raises IndexError-free OverflowError
 * "cannot fit 'int' into an index-sized integer" as CPython's PyNumber_AsSsize_t. */
int int_as_ssize(Vm *vm, Object *o, intptr_t *out);
/* Parses [text] ([len] bytes) in [base] (0 or 2..36) as int() does: whitespace,
 * sign, underscores, prefixes. Raises ValueError "invalid literal for int() with base
 * 10: 'abc'" on bad input. */
Object *int_from_str(Vm *vm, const char *text, size_t len, int base);
/* Converts a float to int by truncation (OverflowError for inf, ValueError for nan). */
Object *int_from_double(Vm *vm, double d);
/* Converts an int to the nearest double; OverflowError "int too large to convert to
 * float" if out of range. Returns -1 on error. */
int int_to_double(Vm *vm, Object *o, double *out);
/* True if [o] (an int) is zero. */
bool int_is_zero(Object *o);
/* Returns -1, 0 or 1 according to the sign of [o] (an int). */
int int_sign(Object *o);
/* Returns the decimal text of [o] as a new str, honouring the 4300-digit limit. */
Object *int_to_decimal(Vm *vm, Object *o);
/* Returns the text of |o| in [base] (2, 8, 10 or 16) without prefix or sign, as a
 * malloc'd C string (caller frees with free()); NULL + MemoryError/ValueError. */
char *int_to_base_cstr(Vm *vm, Object *o, int base);
/* Compares int [a] with double [d] exactly, as CPython: returns -1, 0, 1; nan → 2. */
int int_compare_double(Vm *vm, Object *a, double d);
/* Compares two ints: returns -1, 0 or 1. */
int int_compare(Object *a, Object *b);
/* The int hash (CPython's: modulus 2**61-1, hash(-1) == -2). */
Hash int_hash_value(Object *o);
/* Arithmetic on ints (new references, NULL on error). */
Object *int_add(Vm *vm, Object *a, Object *b);
Object *int_sub(Vm *vm, Object *a, Object *b);
Object *int_mul(Vm *vm, Object *a, Object *b);
Object *int_floordiv(Vm *vm, Object *a, Object *b);
Object *int_mod(Vm *vm, Object *a, Object *b);
Object *int_neg(Vm *vm, Object *a);
/* pow(a, b) or pow(a, b, m) when [m] is non-NULL; negative b without m gives a float. */
Object *int_pow(Vm *vm, Object *a, Object *b, Object *m);
/* Converts any object to an int as int(x) does (__int__, __index__, __trunc__, str). */
Object *int_from_object(Vm *vm, Object *x);
/* Returns an exact int for an object with __index__ (TypeError otherwise): "'float'
 * object cannot be interpreted as an integer". */
Object *int_index(Vm *vm, Object *o);
/* Number of bits of |o|. */
uint64_t int_bit_length(Object *o);
/* Formats an int with a format spec (int.__format__). */
Object *int_format(Vm *vm, Object *o, Object *spec);

#endif
