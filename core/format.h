/* format.h — the format-spec mini-language (format(), f-strings, str.format) and
 * printf-style `%` formatting of str (format.c). */
#ifndef PYFRAMES_FORMAT_H
#define PYFRAMES_FORMAT_H

#include "vm.h"

/* A parsed format spec: [[fill]align][sign][z][#][0][width][grouping][.precision][type]. */
typedef struct {
    uint32_t fill;      /* code point, default ' ' */
    char align;         /* '<', '>', '^', '=' or 0 (default for the type) */
    char sign;          /* '+', '-', ' ' or 0 */
    bool alternate;     /* '#' */
    bool zero_pad;      /* '0' before width */
    int64_t width;      /* -1 if absent */
    char grouping;      /* ',', '_' or 0 */
    int64_t precision;  /* -1 if absent */
    char type;          /* presentation type or 0 */
    bool no_neg_zero;   /* 'z': coerce negative zero to positive (3.11) */
} FormatSpec;

/* Parses [spec] (a str or NULL) for an object of type [type_name]; [default_type] is
 * the presentation type assumed when none is given (used in messages, e.g. 's' for
 * str, 'd' for int, 0 for float) and [default_align] the alignment ('<' for str, '>'
 * for numbers) which decides whether a '0' before the width means '='. Raises
 * ValueError as CPython ("Invalid format specifier '...' for object of type 'int'",
 * "Cannot specify ',' with 's'.", ...). */
int format_parse_spec(Vm *vm, Object *spec, char default_type, char default_align,
                      const char *type_name, FormatSpec *out);
/* Raises "Unknown format code 'q' for object of type 'int'" and returns NULL. */
Object *format_unknown_code(Vm *vm, char code, const char *type_name);
/* Assembles a formatted number: a '-' sign if [neg] (else '+'/' ' per spec), [prefix]
 * ("0x", ...), the integer digits [intpart] grouped per spec->grouping (every 4 digits
 * for x/X/o/b), then [rest] (fraction, exponent, '%'), padded per spec (zero padding
 * with '0' and '=' is grouped too, as CPython). Returns a new str. */
Object *format_number(Vm *vm, const FormatSpec *spec, bool neg, const char *prefix,
                      const char *intpart, const char *rest);
/* Pads [body] (UTF-8, [len] code points) into a new str honouring width/fill/align;
 * [def_align] applies when spec->align is 0. */
Object *format_pad(Vm *vm, const FormatSpec *spec, const char *body, size_t nbytes,
                   size_t len, char def_align);
/* Inserts grouping characters every [every] digits into the integer digits [digits]
 * ([n] ASCII bytes), writing a malloc'd string to *out. Returns -1 on memory error. */
char *format_group_digits(const char *digits, size_t n, char sep, int every);
/* format(value, spec): calls type(value).__format__(value, spec). [spec] may be NULL
 * (empty). object.__format__ with a non-empty spec raises "unsupported format string
 * passed to X.__format__". Used by FORMAT_VALUE and builtin format(). */
Object *obj_format(Vm *vm, Object *value, Object *spec);
/* object.__format__(self, spec): the default for types without their own. */
Object *format_object_default(Vm *vm, Object *self, Object *spec);
/* str.format(*args, **kwargs) with [fmt] as the template. */
Object *format_str_format(Vm *vm, Object *fmt, Object **args, size_t nargs,
                          Object *kwnames);
/* str.format_map(mapping). */
Object *format_str_format_map(Vm *vm, Object *fmt, Object *mapping);
/* fmt % args for str (printf-style). */
Object *format_percent(Vm *vm, Object *fmt, Object *args);

#endif
