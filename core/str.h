/* str.h — the str type (str.c): immutable UTF-8 text with cached code-point length and
 * hash, code-point indexing (O(1) for ASCII), interning, and the str iterator. */
#ifndef PYFRAMES_STR_H
#define PYFRAMES_STR_H

#include "vm.h"

/* A str. [data] holds [byte_len] bytes of UTF-8 plus a NUL, in the same allocation,
 * just past type->basicsize. [len] is the number of code points; [max_cp] is the
 * largest code point (for the modelled size and the ASCII fast path); [hash] is -1 until
 * computed; [interned] is set once the str is in vm->interned (which holds it, as key
 * and value, for the rest of the run; interned strs are marked OF_IMMORTAL). */
typedef struct {
    Object ob;
    size_t byte_len;
    size_t len;
    Hash hash;
    uint32_t max_cp;
    bool interned;
    char *data;
} StrObject;

#define STR_CHECK(o) (TYPE(o) == &StrType || type_is_subtype(TYPE(o), &StrType))
/* True if every code point of [s] is ASCII (bytes index = code point index). */
#define STR_IS_ASCII(s) (((StrObject *)(s))->max_cp < 128)

/* Creates the empty str (vm->empty_str) and, if not yet made, vm->interned. */
int str_init(Vm *vm);
/* Releases vm->empty_str at the end of the run (vm->interned is released by its owner). */
void str_fini(Vm *vm);
/* Returns a new str from UTF-8 text (invalid bytes are replaced by U+FFFD). */
Object *str_from_utf8(Vm *vm, const char *s, size_t len);
Object *str_from_cstr(Vm *vm, const char *s);
/* Returns a new str of type [type] (str or a subclass) from UTF-8 text. */
Object *str_new_of_type(Vm *vm, Type *type, const char *s, size_t len);
/* Returns the interned str equal to [s]; steals the reference to [s] and returns a
 * new reference (possibly to a different, equal object). */
Object *str_intern(Vm *vm, Object *s);
Object *str_intern_cstr(Vm *vm, const char *s);
/* The UTF-8 text (NUL-terminated, valid while the str lives). */
const char *str_cstr(Object *s);
/* Number of code points / bytes. */
size_t str_len(Object *s);
size_t str_byte_len(Object *s);
/* True if [s] equals the C string [c]. */
bool str_eq_cstr(Object *s, const char *c);
/* True if two strs have equal contents. */
bool str_equal(Object *a, Object *b);
/* The cached deterministic hash of [s] (FNV-1a over UTF-8, never -1). */
Hash str_hash(Object *s);
/* Returns a + b (both str). */
Object *str_concat(Vm *vm, Object *a, Object *b);
/* Builds a str with err_format's conversions (%s %d %zd %R %S %T %U ...). */
Object *str_from_format(Vm *vm, const char *fmt, ...);
Object *str_from_vformat(Vm *vm, const char *fmt, va_list ap);
/* Returns repr(s) as CPython: quotes chosen, escapes for control characters. */
Object *str_repr(Vm *vm, Object *s);
/* Like str_repr but escapes every non-ASCII code point (for ascii()). */
Object *str_ascii_repr(Vm *vm, Object *s);
/* Returns a str holding the single code point [cp] (chr()); ValueError "chr() arg not
 * in range(0x110000)" if out of range. Latin-1 strs are cached per VM only as ASCII. */
Object *str_from_codepoint(Vm *vm, int64_t cp);
/* Returns the code point at index [i] (0 <= i < len). */
uint32_t str_codepoint_at(Object *s, size_t i);
/* Decodes one UTF-8 code point at [p], advancing *p. */
uint32_t str_decode_utf8(const char **p);
/* Encodes [cp] as UTF-8 into [out] (4 bytes), returning the byte count. */
int str_encode_utf8(uint32_t cp, char *out);
/* Returns str(x) as a new str for any object (calls obj_str; exact str returned as is). */
Object *str_of(Vm *vm, Object *x);

/* A growable UTF-8 buffer for building strings. */
typedef struct {
    char *data;
    size_t len, cap;
    bool failed;
} StrBuf;

void strbuf_init(StrBuf *b);
void strbuf_append(StrBuf *b, const char *s, size_t n);
void strbuf_append_cstr(StrBuf *b, const char *s);
void strbuf_append_char(StrBuf *b, char c);
void strbuf_append_cp(StrBuf *b, uint32_t cp);
/* Appends [cp] as repr() escapes it: \\xhh below 0x100, else \\uhhhh or \\Uhhhhhhhh. */
void strbuf_append_escape(StrBuf *b, uint32_t cp);
/* Appends the text of a str object. */
void strbuf_append_str(StrBuf *b, Object *s);
/* Turns the buffer into a str (new reference) and frees the buffer; NULL +
 * MemoryError if an append failed. */
Object *strbuf_finish(Vm *vm, StrBuf *b);
void strbuf_free(StrBuf *b);

#endif
