/* json.h — a small JSON writer into a growable buffer (json.c), used by the event
 * stream. Commas are inserted automatically: call json_key before each member of an
 * object, and the value functions for members and array elements alike. Strings are
 * escaped as JSON requires; non-ASCII text passes through as UTF-8. The hot paths are
 * inline (the event stream writes millions of small records). */
#ifndef PYFRAMES_JSON_H
#define PYFRAMES_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A growable output buffer. [failed] is set when memory ran out (the contents are then
 * incomplete); [comma] says whether the next value needs a separating comma. The
 * contents are always NUL-terminated (when non-empty). */
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
/* Makes room for [extra] more bytes plus the terminating NUL (slow path of
 * json_reserve); false (and [failed] set) when memory ran out. */
bool json_grow(JsonBuf *b, size_t extra);
/* Writes a string value / the escaped contents of a string (no quotes, no comma): for
 * keys built from data. */
void json_string(JsonBuf *b, const char *s, size_t n);
void json_escape(JsonBuf *b, const char *s, size_t n);

/* Makes room for [extra] more bytes. Always inlined: the wasm build is -Oz, which
 * would otherwise call it. */
static inline __attribute__((always_inline)) bool json_reserve(JsonBuf *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap && !b->failed) return true;
    return json_grow(b, extra);
}

/* Appends raw bytes (no escaping, no comma handling). */
static inline void json_raw(JsonBuf *b, const char *s, size_t n) {
    if (!json_reserve(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

/* Appends one raw byte. */
static inline void json_char(JsonBuf *b, char c) {
    if (!json_reserve(b, 1)) return;
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}

static inline void json_separate_(JsonBuf *b) {
    if (b->comma) json_char(b, ',');
}

/* Opens / closes an object or an array. */
static inline void json_begin_object(JsonBuf *b) { json_separate_(b); json_char(b, '{'); b->comma = false; }
static inline void json_end_object(JsonBuf *b) { json_char(b, '}'); b->comma = true; }
static inline void json_begin_array(JsonBuf *b) { json_separate_(b); json_char(b, '['); b->comma = false; }
static inline void json_end_array(JsonBuf *b) { json_char(b, ']'); b->comma = true; }

/* Writes a member name (a C string that needs no escaping) and the colon. */
static inline void json_key(JsonBuf *b, const char *key) {
    size_t n = strlen(key);
    if (!json_reserve(b, n + 4)) return;
    char *p = b->data + b->len;
    if (b->comma) *p++ = ',';
    *p++ = '"';
    memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    *p = 0;
    b->len = (size_t)(p - b->data);
    b->comma = false;
}

/* Values (numbers: events.c writes them straight into the buffer). */
static inline void json_cstr(JsonBuf *b, const char *s) { json_string(b, s, strlen(s)); }

static inline void json_bool(JsonBuf *b, bool v) {
    json_separate_(b);
    json_raw(b, v ? "true" : "false", v ? 4 : 5);
    b->comma = true;
}

static inline void json_null(JsonBuf *b) {
    json_separate_(b);
    json_raw(b, "null", 4);
    b->comma = true;
}

#endif
