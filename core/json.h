/* json.h — a small JSON writer into a growable buffer (json.c), used by the event
 * stream. Commas are inserted automatically: call json_key before each member of an
 * object, and the value functions for members and array elements alike. Strings are
 * escaped as JSON requires; non-ASCII text passes through as UTF-8. */
#ifndef PYFRAMES_JSON_H
#define PYFRAMES_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable output buffer. [failed] is set when memory ran out (the contents are then
 * incomplete); [comma] says whether the next value needs a separating comma. */
typedef struct {
    char *data;
    size_t len, cap;
    bool failed;
    bool comma;
} JsonBuf;

/* Prepares an empty buffer / releases its memory. */
void json_init(JsonBuf *b);
void json_free(JsonBuf *b);
/* Empties the buffer, keeping its memory. */
void json_reset(JsonBuf *b);
/* Appends raw bytes (no escaping, no comma handling). */
void json_raw(JsonBuf *b, const char *s, size_t n);
/* Opens / closes an object or an array. */
void json_begin_object(JsonBuf *b);
void json_end_object(JsonBuf *b);
void json_begin_array(JsonBuf *b);
void json_end_array(JsonBuf *b);
/* Writes a member name (a C string that needs no escaping) and the colon. */
void json_key(JsonBuf *b, const char *key);
/* Values. */
void json_string(JsonBuf *b, const char *s, size_t n);
void json_cstr(JsonBuf *b, const char *s);
void json_int(JsonBuf *b, int64_t v);
void json_uint(JsonBuf *b, uint64_t v);
void json_bool(JsonBuf *b, bool v);
void json_null(JsonBuf *b);
/* Writes the escaped contents of a string (no quotes, no comma): for keys built from
 * data. */
void json_escape(JsonBuf *b, const char *s, size_t n);

#endif
