/* json.c — the JSON writer behind the event stream: a growable byte buffer, automatic
 * commas, and string escaping (quotes, backslashes, control characters; lone
 * surrogates written as \uXXXX escapes; everything else passed through as UTF-8). */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void json_init(JsonBuf *b) {
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
    b->comma = false;
}

void json_free(JsonBuf *b) {
    free(b->data);
    json_init(b);
}

void json_reset(JsonBuf *b) {
    b->len = 0;
    b->failed = false;
    b->comma = false;
}

bool json_grow(JsonBuf *b, size_t extra) {
    if (b->failed) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) { b->failed = true; return false; }
    b->data = p;
    b->cap = cap;
    return true;
}

void json_escape(JsonBuf *b, const char *s, size_t n) {
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* start of the pending run of bytes copied verbatim */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0xED) continue;
        const char *esc = NULL;
        char buf[8];
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c == '\b') esc = "\\b";
        else if (c == '\f') esc = "\\f";
        else if (c < 0x20) { snprintf(buf, sizeof buf, "\\u%04x", c); esc = buf; }
        else if (c == 0xED && i + 2 < n && p[i + 1] >= 0xA0) {
            /* A surrogate code point encoded as UTF-8 (a Python str may hold one):
             * not valid UTF-8, so write it as a JSON \u escape. */
            unsigned cp = 0xD000u | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
            snprintf(buf, sizeof buf, "\\u%04x", cp);
            json_raw(b, s + run, i - run);
            json_raw(b, buf, 6);
            i += 2;
            run = i + 1;
            continue;
        }
        if (esc) {
            json_raw(b, s + run, i - run);
            json_raw(b, esc, strlen(esc));
            run = i + 1;
        }
    }
    json_raw(b, s + run, n - run);
}

void json_string(JsonBuf *b, const char *s, size_t n) {
    json_separate_(b);
    json_char(b, '"');
    json_escape(b, s, n);
    json_char(b, '"');
    b->comma = true;
}
