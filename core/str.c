/* str.c — the str type, its iterator, interning and the StrBuf string builder.
 *
 * Text is stored as UTF-8 inline after the object with its code-point length, largest
 * code point and hash cached; indexing is O(1) for ASCII strings and a scan otherwise.
 * Case mapping and character classes cover ASCII, Latin-1, Latin Extended-A, Greek and
 * Cyrillic with our own tables, so native and wasm builds agree.
 */
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "dict.h"
#include "float.h"
#include "format.h"
#include "int.h"
#include "list.h"
#include "misc.h"
#include "tuple.h"

#define S(o) ((StrObject *)(o))

/* ---- UTF-8 ---- */

uint32_t str_decode_utf8(const char **pp) {
    const unsigned char *p = (const unsigned char *)*pp;
    uint32_t c = p[0];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n == 2) c = ((c & 0x1F) << 6) | (p[1] & 0x3F);
    else if (n == 3) c = ((c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    else if (n == 4)
        c = ((c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) | ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    *pp += n;
    return c;
}

int str_encode_utf8(uint32_t cp, char *out) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of a valid UTF-8 sequence starting at p (0 if invalid). */
static int utf8_valid_len(const unsigned char *p, const unsigned char *end) {
    unsigned c = p[0];
    int n = c < 0x80 ? 1 : (c >= 0xC2 && c < 0xE0) ? 2 : (c >= 0xE0 && c < 0xF0) ? 3 : (c >= 0xF0 && c < 0xF5) ? 4 : 0;
    if (!n || p + n > end) return 0;
    for (int i = 1; i < n; i++) if ((p[i] & 0xC0) != 0x80) return 0;
    if (n == 3 && c == 0xE0 && p[1] < 0xA0) return 0;
    if (n == 4 && c == 0xF0 && p[1] < 0x90) return 0;
    if (n == 4 && c == 0xF4 && p[1] >= 0x90) return 0;
    return n;
}

/* ---- StrBuf ---- */

void strbuf_init(StrBuf *b) { b->data = NULL; b->len = b->cap = 0; b->failed = false; }

static bool strbuf_reserve(StrBuf *b, size_t extra) {
    if (b->failed) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 32;
    while (cap < b->len + extra + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) { b->failed = true; return false; }
    b->data = d;
    b->cap = cap;
    return true;
}

void strbuf_append(StrBuf *b, const char *s, size_t n) {
    if (!strbuf_reserve(b, n)) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void strbuf_append_cstr(StrBuf *b, const char *s) { strbuf_append(b, s, strlen(s)); }
void strbuf_append_char(StrBuf *b, char c) { strbuf_append(b, &c, 1); }

void strbuf_append_cp(StrBuf *b, uint32_t cp) {
    char tmp[4];
    strbuf_append(b, tmp, (size_t)str_encode_utf8(cp, tmp));
}

void strbuf_append_str(StrBuf *b, Object *s) { strbuf_append(b, S(s)->data, S(s)->byte_len); }

void strbuf_free(StrBuf *b) { free(b->data); strbuf_init(b); }

Object *strbuf_finish(Vm *vm, StrBuf *b) {
    if (b->failed) { strbuf_free(b); return err_no_memory(vm); }
    Object *s = str_from_utf8(vm, b->data ? b->data : "", b->len);
    strbuf_free(b);
    return s;
}

/* ---- construction ---- */

/* Allocates a str of [type] holding [n] bytes of already-valid UTF-8 from [src] (or
 * uninitialised when src is NULL; the caller then calls str_measure). */
static Object *str_alloc(Vm *vm, Type *type, const char *src, size_t n) {
    StrObject *s = (StrObject *)obj_alloc(vm, type, type->basicsize + n + 1);
    if (!s) return NULL;
    s->data = (char *)s + type->basicsize;
    s->byte_len = n;
    s->hash = -1;
    if (src) memcpy(s->data, src, n);
    s->data[n] = 0;
    return (Object *)s;
}

/* Computes len and max_cp from the UTF-8 data. */
static void str_measure(Object *o) {
    StrObject *s = S(o);
    size_t len = 0;
    uint32_t max = 0;
    const char *p = s->data, *end = p + s->byte_len;
    while (p < end) {
        if ((unsigned char)*p < 0x80) { if ((unsigned char)*p > max) max = (unsigned char)*p; p++; }
        else { uint32_t c = str_decode_utf8(&p); if (c > max) max = c; }
        len++;
    }
    s->len = len;
    s->max_cp = max;
}

Object *str_new_of_type(Vm *vm, Type *type, const char *text, size_t n) {
    const unsigned char *p = (const unsigned char *)text, *end = p + n;
    bool valid = true;
    while (p < end) {
        int k = utf8_valid_len(p, end);
        if (!k) { valid = false; break; }
        p += k;
    }
    if (valid) {
        if (n == 0 && type == &StrType && vm->empty_str) return NEWREF(vm->empty_str);
        Object *s = str_alloc(vm, type, text, n);
        if (s) str_measure(s);
        return s;
    }
    StrBuf b;
    strbuf_init(&b);
    for (p = (const unsigned char *)text; p < end;) {
        int k = utf8_valid_len(p, end);
        if (k) { strbuf_append(&b, (const char *)p, (size_t)k); p += k; }
        else { strbuf_append_cp(&b, 0xFFFD); p++; }
    }
    if (b.failed) { strbuf_free(&b); return err_no_memory(vm); }
    Object *s = str_alloc(vm, type, b.data, b.len);
    if (s) str_measure(s);
    strbuf_free(&b);
    return s;
}

Object *str_from_utf8(Vm *vm, const char *s, size_t len) { return str_new_of_type(vm, &StrType, s, len); }
Object *str_from_cstr(Vm *vm, const char *s) { return str_from_utf8(vm, s, strlen(s)); }

/* Builds a str from text known to be valid UTF-8 with known length/max (fast path). */
static Object *str_from_valid(Vm *vm, const char *text, size_t n) {
    if (n == 0 && vm->empty_str) return NEWREF(vm->empty_str);
    Object *s = str_alloc(vm, &StrType, text, n);
    if (s) str_measure(s);
    return s;
}

const char *str_cstr(Object *s) { return S(s)->data; }
size_t str_len(Object *s) { return S(s)->len; }
size_t str_byte_len(Object *s) { return S(s)->byte_len; }
bool str_eq_cstr(Object *s, const char *c) {
    size_t n = strlen(c);
    return S(s)->byte_len == n && memcmp(S(s)->data, c, n) == 0;
}
bool str_equal(Object *a, Object *b) {
    return a == b || (S(a)->byte_len == S(b)->byte_len && memcmp(S(a)->data, S(b)->data, S(a)->byte_len) == 0);
}

Hash str_hash(Object *o) {
    StrObject *s = S(o);
    if (s->hash != -1) return s->hash;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < s->byte_len; i++) {
        h ^= (unsigned char)s->data[i];
        h *= 0x100000001b3ULL;
    }
    Hash r = (Hash)h;
    if (r == -1) r = -2;
    s->hash = r;
    return r;
}

Object *str_of(Vm *vm, Object *x) {
    if (TYPE(x) == &StrType) return NEWREF(x);
    return obj_str(vm, x);
}

Object *str_concat(Vm *vm, Object *a, Object *b) {
    if (S(b)->byte_len == 0 && TYPE(a) == &StrType) return NEWREF(a);
    if (S(a)->byte_len == 0 && TYPE(b) == &StrType) return NEWREF(b);
    Object *r = str_alloc(vm, &StrType, NULL, S(a)->byte_len + S(b)->byte_len);
    if (!r) return NULL;
    memcpy(S(r)->data, S(a)->data, S(a)->byte_len);
    memcpy(S(r)->data + S(a)->byte_len, S(b)->data, S(b)->byte_len);
    S(r)->len = S(a)->len + S(b)->len;
    S(r)->max_cp = S(a)->max_cp > S(b)->max_cp ? S(a)->max_cp : S(b)->max_cp;
    return r;
}

Object *str_from_codepoint(Vm *vm, int64_t cp) {
    if (cp < 0 || cp > 0x10FFFF) return err_format(vm, &ValueErrorType, "chr() arg not in range(0x110000)");
    char buf[4];
    int n = str_encode_utf8((uint32_t)cp, buf);
    Object *s = str_alloc(vm, &StrType, buf, (size_t)n);
    if (!s) return NULL;
    S(s)->len = 1;
    S(s)->max_cp = (uint32_t)cp;
    return s;
}

/* Byte offset of code point [i] (i <= len). */
static size_t byte_offset(Object *o, size_t i) {
    StrObject *s = S(o);
    if (s->max_cp < 128 || i == 0) return i;
    if (i >= s->len) return s->byte_len;
    const char *p = s->data;
    for (size_t k = 0; k < i; k++) {
        unsigned char c = (unsigned char)*p;
        p += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
    return (size_t)(p - s->data);
}

/* Code point index of byte offset [b]. */
static size_t cp_index(Object *o, size_t b) {
    StrObject *s = S(o);
    if (s->max_cp < 128) return b;
    size_t n = 0;
    for (size_t k = 0; k < b; k++) if (((unsigned char)s->data[k] & 0xC0) != 0x80) n++;
    return n;
}

uint32_t str_codepoint_at(Object *s, size_t i) {
    const char *p = S(s)->data + byte_offset(s, i);
    return str_decode_utf8(&p);
}

/* Returns the substring of code points [start, stop). */
static Object *str_substr(Vm *vm, Object *s, size_t start, size_t stop) {
    if (start == 0 && stop >= S(s)->len && TYPE(s) == &StrType) return NEWREF(s);
    if (stop <= start) return str_from_valid(vm, "", 0);
    size_t b0 = byte_offset(s, start), b1 = byte_offset(s, stop);
    return str_from_valid(vm, S(s)->data + b0, b1 - b0);
}

/* ---- interning ---- */

Object *str_intern(Vm *vm, Object *s) {
    if (!s || TYPE(s) != &StrType || S(s)->interned) return s;
    if (!vm->interned && !(vm->interned = dict_new(vm))) { DECREF(vm, s); return NULL; }
    Object *found = dict_get(vm, vm->interned, s);
    if (found) {
        INCREF(found);
        DECREF(vm, s);
        return found;
    }
    if (vm->exc) { DECREF(vm, s); return NULL; }
    if (dict_set(vm, vm->interned, s, s) < 0) { DECREF(vm, s); return NULL; }
    S(s)->interned = true;
    s->flags |= OF_IMMORTAL;
    return s;
}

Object *str_intern_cstr(Vm *vm, const char *c) { return str_intern(vm, str_from_cstr(vm, c)); }

int str_init(Vm *vm) {
    if (!vm->empty_str) {
        Object *e = str_alloc(vm, &StrType, "", 0);
        if (!e) return -1;
        e->flags |= OF_IMMORTAL;
        vm->empty_str = e;
    }
    if (!vm->interned && !(vm->interned = dict_new(vm))) return -1;
    return 0;
}

void str_fini(Vm *vm) {
    Object *e = vm->empty_str;
    vm->empty_str = NULL;
    XDECREF(vm, e);
}

/* ---- str_from_format ---- */

Object *str_from_vformat(Vm *vm, const char *fmt, va_list ap) {
    StrBuf b;
    strbuf_init(&b);
    char tmp[64];
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') { strbuf_append_char(&b, *p); continue; }
        p++;
        int longs = 0;
        bool size = false;
        while (*p == 'l') { longs++; p++; }
        if (*p == 'z') { size = true; p++; }
        switch (*p) {
        case '%': strbuf_append_char(&b, '%'); break;
        case 'c': strbuf_append_cp(&b, (uint32_t)va_arg(ap, int)); break;
        case 's': { const char *s = va_arg(ap, const char *); strbuf_append_cstr(&b, s ? s : "(null)"); break; }
        case 'd': case 'i': /* widened to long long: the same digits */
            snprintf(tmp, sizeof tmp, "%lld",
                     size ? (long long)va_arg(ap, intptr_t)
                     : longs == 2 ? va_arg(ap, long long)
                     : longs == 1 ? (long long)va_arg(ap, long) : (long long)va_arg(ap, int));
            strbuf_append_cstr(&b, tmp);
            break;
        case 'u': case 'x':
            snprintf(tmp, sizeof tmp, *p == 'u' ? "%llu" : "%llx",
                     size ? (unsigned long long)va_arg(ap, size_t)
                     : longs == 2 ? va_arg(ap, unsigned long long)
                     : longs == 1 ? (unsigned long long)va_arg(ap, unsigned long)
                     : (unsigned long long)va_arg(ap, unsigned));
            strbuf_append_cstr(&b, tmp);
            break;
        case 'R': case 'S': {
            Object *o = va_arg(ap, Object *);
            Object *t = *p == 'R' ? obj_repr(vm, o) : obj_str(vm, o);
            if (!t) { strbuf_free(&b); return NULL; }
            strbuf_append_str(&b, t);
            DECREF(vm, t);
            break;
        }
        case 'T': strbuf_append_cstr(&b, TYPE(va_arg(ap, Object *))->name); break;
        case 'U': strbuf_append_str(&b, va_arg(ap, Object *)); break;
        default: strbuf_append_char(&b, '%'); if (*p) strbuf_append_char(&b, *p); else p--; break;
        }
    }
    return strbuf_finish(vm, &b);
}

Object *str_from_format(Vm *vm, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    Object *s = str_from_vformat(vm, fmt, ap);
    va_end(ap);
    return s;
}

/* ---- character classes and case (own tables: ASCII, Latin-1, Latin Ext-A,
 * Greek, Cyrillic) ---- */

static bool cp_is_space(uint32_t c) {
    return (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xA0 ||
           c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

static bool cp_is_upper(uint32_t c) {
    if (c < 128) return c >= 'A' && c <= 'Z';
    if (c >= 0xC0 && c <= 0xDE) return c != 0xD7;
    if (c >= 0x100 && c <= 0x17F) return c != 0x138 && ((c < 0x139 || c > 0x148) ? !(c & 1) : (c & 1)) && c != 0x17F;
    if (c >= 0x391 && c <= 0x3AB) return c != 0x3A2;
    if (c >= 0x400 && c <= 0x42F) return true;
    return false;
}

static bool cp_is_lower(uint32_t c) {
    if (c < 128) return c >= 'a' && c <= 'z';
    if (c == 0xAA || c == 0xB5 || c == 0xBA) return true;
    if (c >= 0xDF && c <= 0xFF) return c != 0xF7;
    if (c >= 0x100 && c <= 0x17F) return !cp_is_upper(c);
    if (c >= 0x3AC && c <= 0x3CE) return true;
    if (c >= 0x430 && c <= 0x45F) return true;
    return false;
}

static bool cp_is_alpha(uint32_t c) {
    if (c < 128) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    return cp_is_upper(c) || cp_is_lower(c) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7A3) ||
           (c >= 0x5D0 && c <= 0x5EA) || (c >= 0x620 && c <= 0x64A);
}

static bool cp_is_digit(uint32_t c) {
    return (c >= '0' && c <= '9') || (c >= 0x660 && c <= 0x669) || (c >= 0x6F0 && c <= 0x6F9) ||
           (c >= 0x966 && c <= 0x96F) || (c >= 0xFF10 && c <= 0xFF19);
}

static uint32_t cp_upper(uint32_t c) {
    if (c < 128) return c >= 'a' && c <= 'z' ? c - 32 : c;
    if (c == 0xB5) return 0x39C;
    if (c == 0xFF) return 0x178;
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
    if (c >= 0x100 && c <= 0x17F && cp_is_lower(c) && c != 0x138 && c != 0x149) return c == 0x17F ? 'S' : c - 1;
    if (c == 0x3C2) return 0x3A3;
    if (c >= 0x3B1 && c <= 0x3CB) return c - 32;
    if (c >= 0x430 && c <= 0x44F) return c - 32;
    if (c >= 0x450 && c <= 0x45F) return c - 80;
    return c;
}

static uint32_t cp_lower(uint32_t c) {
    if (c < 128) return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if (c >= 0x100 && c <= 0x17F && cp_is_upper(c)) return c + 1;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
    if (c >= 0x410 && c <= 0x42F) return c + 32;
    if (c >= 0x400 && c <= 0x40F) return c + 80;
    return c;
}

/* Python's str.isprintable for one code point (approximation outside Latin-1). */
static bool cp_is_printable(uint32_t c) {
    if (c < 0x20 || c == 0x7F) return false;
    if (c < 0x7F) return true;
    if (c <= 0xA0 || c == 0xAD) return false;
    if (cp_is_space(c)) return false;
    if ((c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F))
        return false;
    if ((c >= 0xD800 && c <= 0xF8FF) || c == 0xFEFF || (c >= 0xFFF0 && c <= 0xFFFB) || c >= 0xE0000)
        return false;
    return true;
}

/* ---- repr ---- */

void strbuf_append_escape(StrBuf *b, uint32_t c) {
    char tmp[16];
    snprintf(tmp, sizeof tmp, c < 0x100 ? "\\x%02x" : c < 0x10000 ? "\\u%04x" : "\\U%08x", c);
    strbuf_append_cstr(b, tmp);
}

static Object *repr_impl(Vm *vm, Object *o, bool ascii_only) {
    StrObject *s = S(o);
    bool has_sq = memchr(s->data, '\'', s->byte_len) != NULL;
    bool has_dq = memchr(s->data, '"', s->byte_len) != NULL;
    char quote = has_sq && !has_dq ? '"' : '\'';
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_char(&b, quote);
    for (const char *p = s->data, *end = p + s->byte_len; p < end;) {
        const char *start = p;
        uint32_t c = str_decode_utf8(&p);
        if (c == (uint32_t)quote || c == '\\') { strbuf_append_char(&b, '\\'); strbuf_append_char(&b, (char)c); }
        else if (c == '\t') strbuf_append_cstr(&b, "\\t");
        else if (c == '\n') strbuf_append_cstr(&b, "\\n");
        else if (c == '\r') strbuf_append_cstr(&b, "\\r");
        else if (c >= 0x20 && c < 0x7F) strbuf_append_char(&b, (char)c);
        else if (c > 0x7F && !ascii_only && cp_is_printable(c)) strbuf_append(&b, start, (size_t)(p - start));
        else strbuf_append_escape(&b, c); /* controls, DEL, the rest */
    }
    strbuf_append_char(&b, quote);
    return strbuf_finish(vm, &b);
}

Object *str_repr(Vm *vm, Object *s) { return repr_impl(vm, s, false); }
Object *str_ascii_repr(Vm *vm, Object *s) { return repr_impl(vm, s, true); }

/* ---- slots ---- */

static Object *str_repr_slot(Vm *vm, Object *self) { return str_repr(vm, self); }

static Object *str_str_slot(Vm *vm, Object *self) {
    if (TYPE(self) == &StrType) return NEWREF(self);
    return str_from_valid(vm, S(self)->data, S(self)->byte_len);
}

static Hash str_hash_slot(Vm *vm, Object *self) { return str_hash(self); }

static int str_cmp(Object *a, Object *b) {
    size_t n = S(a)->byte_len < S(b)->byte_len ? S(a)->byte_len : S(b)->byte_len;
    int c = memcmp(S(a)->data, S(b)->data, n);
    if (c) return c < 0 ? -1 : 1;
    return S(a)->byte_len < S(b)->byte_len ? -1 : S(a)->byte_len > S(b)->byte_len;
}

static Object *str_richcompare(Vm *vm, Object *a, Object *b, int op) {
    if (!STR_CHECK(a) || !STR_CHECK(b)) return NEWREF(vm->not_implemented);
    if (op == CMP_EQ || op == CMP_NE) return bool_from(vm, str_equal(a, b) == (op == CMP_EQ));
    return bool_from(vm, cmp_holds(op, str_cmp(a, b)));
}

/* Repeats [s] [n] times. */
static Object *str_repeat(Vm *vm, Object *s, Object *count) {
    intptr_t n;
    if (int_as_ssize(vm, count, &n) < 0) {
        if (err_matches(vm, &OverflowErrorType)) {
            err_clear(vm);
            if (int_sign(count) < 0 || S(s)->byte_len == 0) return str_from_valid(vm, "", 0);
            return err_format(vm, &OverflowErrorType, "cannot fit 'int' into an index-sized integer");
        }
        return NULL;
    }
    if (n <= 0 || S(s)->byte_len == 0) return str_from_valid(vm, "", 0);
    if (n == 1 && TYPE(s) == &StrType) return NEWREF(s);
    size_t bl = S(s)->byte_len;
    if ((size_t)n > (SIZE_MAX / 2) / bl) return err_no_memory(vm);
    Object *r = str_alloc(vm, &StrType, NULL, bl * (size_t)n);
    if (!r) return NULL;
    for (intptr_t i = 0; i < n; i++) memcpy(S(r)->data + bl * (size_t)i, S(s)->data, bl);
    S(r)->len = S(s)->len * (size_t)n;
    S(r)->max_cp = S(s)->max_cp;
    return r;
}

/* True if the other operand's class may handle the operation itself (__radd__ etc.). */
static bool other_may_reflect(Vm *vm, Object *o, const char *name) {
    if (!(TYPE(o)->tflags & TP_HEAPTYPE)) return false;
    Object *n = str_intern_cstr(vm, name);
    bool r = n && type_lookup(TYPE(o), n);
    XDECREF(vm, n);
    return r;
}

static Object *str_binop(Vm *vm, Object *a, Object *b, int op) {
    if (op >= BINOP_INPLACE) op -= BINOP_INPLACE;
    if (op == BINOP_ADD && STR_CHECK(a)) {
        if (STR_CHECK(b)) return str_concat(vm, a, b);
        if (other_may_reflect(vm, b, "__radd__")) return NEWREF(vm->not_implemented);
        return err_format(vm, &TypeErrorType, "can only concatenate str (not \"%T\") to str", b);
    }
    if (op == BINOP_MUL) {
        Object *s = STR_CHECK(a) ? a : b, *n = s == a ? b : a;
        if (INT_CHECK(n)) return str_repeat(vm, s, n);
        if (s == a && other_may_reflect(vm, n, "__rmul__")) return NEWREF(vm->not_implemented);
        Object *nm = str_intern_cstr(vm, "__index__");
        Object *f = nm ? type_lookup(TYPE(n), nm) : NULL;
        XDECREF(vm, nm);
        if (f) {
            Object *i = int_index(vm, n);
            if (!i) return NULL;
            Object *r = str_repeat(vm, s, i);
            DECREF(vm, i);
            return r;
        }
        if (s == b && TYPE(a)->binop && TYPE(a) != &StrType && !INT_CHECK(a) && !FLOAT_CHECK(a))
            return NEWREF(vm->not_implemented);
        return err_format(vm, &TypeErrorType, "can't multiply sequence by non-int of type '%T'", n);
    }
    if (op == BINOP_MOD && STR_CHECK(a)) return format_percent(vm, a, b);
    return NEWREF(vm->not_implemented);
}

static int64_t str_len_slot(Vm *vm, Object *self) { return (int64_t)S(self)->len; }

static Object *str_getitem(Vm *vm, Object *self, Object *key) {
    StrObject *s = S(self);
    if (TYPE(key) == &SliceType) {
        int64_t start, stop, step;
        int64_t n = slice_indices(vm, key, (int64_t)s->len, &start, &stop, &step);
        if (n < 0) return NULL;
        if (step == 1) return str_substr(vm, self, (size_t)start, (size_t)(start + n));
        StrBuf b;
        strbuf_init(&b);
        for (int64_t i = 0, k = start; i < n; i++, k += step) strbuf_append_cp(&b, str_codepoint_at(self, (size_t)k));
        return strbuf_finish(vm, &b);
    }
    if (!INT_CHECK(key)) {
        Object *nm = str_intern_cstr(vm, "__index__");
        Object *f = nm ? type_lookup(TYPE(key), nm) : NULL;
        XDECREF(vm, nm);
        if (!f) return err_format(vm, &TypeErrorType, "string indices must be integers, not '%T'", key);
    }
    intptr_t i;
    if (int_as_ssize(vm, key, &i) < 0) {
        if (err_matches(vm, &OverflowErrorType)) {
            err_clear(vm);
            return err_format(vm, &IndexErrorType, "cannot fit 'int' into an index-sized integer");
        }
        return NULL;
    }
    if (i < 0) i += (intptr_t)s->len;
    if (i < 0 || i >= (intptr_t)s->len) return err_format(vm, &IndexErrorType, "string index out of range");
    if (s->max_cp < 128) return str_from_valid(vm, s->data + i, 1);
    return str_from_codepoint(vm, str_codepoint_at(self, (size_t)i));
}

static const char *find_bytes(const char *hay, size_t hn, const char *needle, size_t nn) {
    if (nn == 0) return hay;
    if (nn > hn) return NULL;
    const char *last = hay + hn - nn;
    for (const char *p = hay; p <= last; p++) {
        p = memchr(p, needle[0], (size_t)(last - p) + 1);
        if (!p) return NULL;
        if (memcmp(p, needle, nn) == 0) return p;
    }
    return NULL;
}

static const char *rfind_bytes(const char *hay, size_t hn, const char *needle, size_t nn) {
    if (nn > hn) return NULL;
    for (const char *p = hay + hn - nn;; p--) {
        if (memcmp(p, needle, nn) == 0) return p;
        if (p == hay) return NULL;
    }
}

static int str_contains(Vm *vm, Object *self, Object *item) {
    if (!STR_CHECK(item)) {
        err_format(vm, &TypeErrorType, "'in <string>' requires string as left operand, not %T", item);
        return -1;
    }
    return find_bytes(S(self)->data, S(self)->byte_len, S(item)->data, S(item)->byte_len) != NULL;
}

static int str_is_true(Vm *vm, Object *self) { return S(self)->byte_len != 0; }

static void str_dealloc(Vm *vm, Object *self) { obj_free(vm, self); }

/* CPython 3.11's compact string sizes on 64-bit. */
static size_t str_sizeof(Vm *vm, Object *self) {
    StrObject *s = S(self);
    if (s->max_cp < 128) return 49 + s->len;
    if (s->max_cp < 256) return 73 + s->len;
    if (s->max_cp < 0x10000) return 74 + 2 * s->len;
    return 76 + 4 * s->len;
}

/* ---- the iterator ---- */

typedef struct {
    Object ob;
    Object *str;     /* NULL once exhausted */
    size_t pos;      /* byte offset of the next code point */
} StrIterObject;

static Object *str_iter(Vm *vm, Object *self) {
    StrIterObject *it = (StrIterObject *)obj_alloc(vm, &StrIterType, sizeof(StrIterObject));
    if (!it) return NULL;
    it->str = NEWREF(self);
    return (Object *)it;
}

static Object *striter_next(Vm *vm, Object *self) {
    StrIterObject *it = (StrIterObject *)self;
    if (!it->str) return NULL;
    StrObject *s = S(it->str);
    if (it->pos >= s->byte_len) {
        Object *o = it->str;
        it->str = NULL;
        DECREF(vm, o);
        return NULL;
    }
    const char *p = s->data + it->pos, *start = p;
    uint32_t c = str_decode_utf8(&p);
    it->pos = (size_t)(p - s->data);
    if (c < 128) return str_from_valid(vm, start, 1);
    return str_from_codepoint(vm, c);
}

static Object *striter_self(Vm *vm, Object *self) { return NEWREF(self); }

static void striter_dealloc(Vm *vm, Object *self) {
    XDECREF(vm, ((StrIterObject *)self)->str);
    obj_free(vm, self);
}

static int striter_traverse(Vm *vm, Object *self, VisitFn visit, void *arg) {
    Object *s = ((StrIterObject *)self)->str;
    return s ? visit(vm, s, arg) : 0;
}

static Object *striter_length_hint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    StrIterObject *it = (StrIterObject *)self;
    if (!it->str) return int_from_i64(vm, 0);
    return int_from_i64(vm, (int64_t)(S(it->str)->len - cp_index(it->str, it->pos)));
}

static const MethodDef striter_methods[] = {
    {"__length_hint__", striter_length_hint, METH_INSTANCE},
    {NULL}
};

Type StrIterType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC},
    .name = "str_iterator",
    .basicsize = sizeof(StrIterObject),
    .modelled_size = 48,
    .methods = striter_methods,
    .base = &ObjectType,
    .dealloc = striter_dealloc,
    .traverse = striter_traverse,
    .iter = striter_self,
    .iternext = striter_next,
};

/* ---- constructor ---- */

static Object *str_new_impl(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames) {
    static const char *const names[] = {"object", "encoding", "errors", NULL};
    Object *a[3];
    if (args_unpack(vm, "str", args, nargs, kwnames, names, 0, 3, a) < 0) return NULL;
    if (a[1] || a[2]) {
        if (a[1] && !STR_CHECK(a[1]))
            return err_format(vm, &TypeErrorType, "str() argument 'encoding' must be str, not %T", a[1]);
        return err_unsupported(vm, "bytes");
    }
    Object *s = a[0] ? obj_str(vm, a[0]) : str_from_valid(vm, "", 0);
    if (!s || type == &StrType) return s;
    Object *r = str_new_of_type(vm, type, S(s)->data, S(s)->byte_len);
    DECREF(vm, s);
    return r;
}

/* ---- methods: helpers ---- */

#define METHOD(name) static Object *name(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)

/* Resolves optional start/end arguments (None or int, slice semantics) to code-point
 * positions clamped to [0, len]. */
static int parse_range(Vm *vm, Object *self, Object **args, size_t nargs, size_t first,
                       size_t *start, size_t *end) {
    intptr_t len = (intptr_t)S(self)->len, v[2] = {0, len};
    for (size_t k = 0; k < 2; k++) {
        if (nargs <= first + k || IS_NONE(vm, args[first + k])) continue;
        intptr_t x;
        Object *idx = int_index(vm, args[first + k]);
        if (!idx) {
            if (err_matches(vm, &TypeErrorType)) {
                err_clear(vm);
                err_format(vm, &TypeErrorType, "slice indices must be integers or None or have an __index__ method");
            }
            return -1;
        }
        if (int_as_ssize(vm, idx, &x) < 0) {
            err_clear(vm);
            x = int_sign(idx) < 0 ? -len - 1 : len;
        }
        DECREF(vm, idx);
        if (x < 0) { x += len; if (x < 0) x = 0; }
        if (x > len) x = len;
        v[k] = x;
    }
    *start = (size_t)v[0];
    *end = (size_t)v[1];
    return 0;
}

static Object *need_str(Vm *vm, Object *o, const char *what) {
    if (STR_CHECK(o)) return o;
    if (what) err_format(vm, &TypeErrorType, "%s must be str, not %T", what, o);
    else err_format(vm, &TypeErrorType, "must be str, not %T", o);
    return NULL;
}

/* find/rfind core: returns code point index or -1; -2 on error. */
static intptr_t find_impl(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw,
                          const char *name, bool reverse) {
    if (args_check(vm, name, nargs, kw, 1, 3) < 0) return -2;
    Object *sub = need_str(vm, args[0], NULL);
    if (!sub) return -2;
    size_t start, end;
    if (parse_range(vm, self, args, nargs, 1, &start, &end) < 0) return -2;
    if (start > end) return -1;
    if (S(sub)->len > end - start) return -1;
    size_t b0 = byte_offset(self, start), b1 = byte_offset(self, end);
    const char *hay = S(self)->data + b0;
    const char *p = reverse ? (S(sub)->byte_len == 0 ? hay + (b1 - b0) : rfind_bytes(hay, b1 - b0, S(sub)->data, S(sub)->byte_len))
                            : find_bytes(hay, b1 - b0, S(sub)->data, S(sub)->byte_len);
    if (!p) return -1;
    return (intptr_t)cp_index(self, (size_t)(p - S(self)->data));
}

METHOD(m_find) {
    intptr_t r = find_impl(vm, self, args, nargs, kw, "find", false);
    return r == -2 ? NULL : int_from_i64(vm, r);
}
METHOD(m_rfind) {
    intptr_t r = find_impl(vm, self, args, nargs, kw, "rfind", true);
    return r == -2 ? NULL : int_from_i64(vm, r);
}
METHOD(m_index) {
    intptr_t r = find_impl(vm, self, args, nargs, kw, "index", false);
    if (r == -1) return err_format(vm, &ValueErrorType, "substring not found");
    return r == -2 ? NULL : int_from_i64(vm, r);
}
METHOD(m_rindex) {
    intptr_t r = find_impl(vm, self, args, nargs, kw, "rindex", true);
    if (r == -1) return err_format(vm, &ValueErrorType, "substring not found");
    return r == -2 ? NULL : int_from_i64(vm, r);
}

METHOD(m_count) {
    if (args_check(vm, "count", nargs, kw, 1, 3) < 0) return NULL;
    Object *sub = need_str(vm, args[0], NULL);
    if (!sub) return NULL;
    size_t start, end;
    if (parse_range(vm, self, args, nargs, 1, &start, &end) < 0) return NULL;
    if (start > end) return int_from_i64(vm, 0);
    if (S(sub)->len == 0) return int_from_i64(vm, (int64_t)(end - start + 1));
    size_t b0 = byte_offset(self, start), b1 = byte_offset(self, end);
    const char *p = S(self)->data + b0, *stop = S(self)->data + b1;
    int64_t n = 0;
    while ((p = find_bytes(p, (size_t)(stop - p), S(sub)->data, S(sub)->byte_len))) {
        n++;
        p += S(sub)->byte_len;
    }
    return int_from_i64(vm, n);
}

static Object *starts_ends(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw, bool ends) {
    const char *name = ends ? "endswith" : "startswith";
    if (args_check(vm, name, nargs, kw, 1, 3) < 0) return NULL;
    size_t start, end;
    if (parse_range(vm, self, args, nargs, 1, &start, &end) < 0) return NULL;
    Object *pat = args[0];
    bool is_tuple = TYPE(pat) == &TupleType || type_is_subtype(TYPE(pat), &TupleType);
    size_t n = is_tuple ? TUPLE_SIZE(pat) : 1;
    if (!is_tuple && !STR_CHECK(pat))
        return err_format(vm, &TypeErrorType, "%s first arg must be str or a tuple of str, not %T", name, pat);
    for (size_t i = 0; i < n; i++) {
        Object *p = is_tuple ? TUPLE_ITEM(pat, i) : pat;
        if (!STR_CHECK(p))
            return err_format(vm, &TypeErrorType, "tuple for %s must only contain str, not %T", name, p);
        if (start > end || S(p)->len > end - start) continue;
        size_t b0 = byte_offset(self, start), b1 = byte_offset(self, end), pl = S(p)->byte_len;
        if (b1 - b0 < pl) continue;
        const char *at = ends ? S(self)->data + b1 - pl : S(self)->data + b0;
        if (memcmp(at, S(p)->data, pl) == 0) return bool_from(vm, 1);
    }
    return bool_from(vm, 0);
}

METHOD(m_startswith) { return starts_ends(vm, self, args, nargs, kw, false); }
METHOD(m_endswith) { return starts_ends(vm, self, args, nargs, kw, true); }

/* Applies a code point mapping to every character. */
static Object *map_chars(Vm *vm, Object *self, uint32_t (*f)(uint32_t)) {
    StrBuf b;
    strbuf_init(&b);
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;) {
        uint32_t c = str_decode_utf8(&p);
        if (c == 0xDF && f == cp_upper) { strbuf_append_cstr(&b, "SS"); continue; }
        strbuf_append_cp(&b, f(c));
    }
    return strbuf_finish(vm, &b);
}

static uint32_t cp_swap(uint32_t c) { return cp_is_upper(c) ? cp_lower(c) : cp_is_lower(c) ? cp_upper(c) : c; }
static uint32_t cp_fold(uint32_t c) { return cp_lower(c); }

METHOD(m_upper) { if (args_check(vm, "upper", nargs, kw, 0, 0) < 0) return NULL; return map_chars(vm, self, cp_upper); }
METHOD(m_lower) { if (args_check(vm, "lower", nargs, kw, 0, 0) < 0) return NULL; return map_chars(vm, self, cp_lower); }
METHOD(m_swapcase) { if (args_check(vm, "swapcase", nargs, kw, 0, 0) < 0) return NULL; return map_chars(vm, self, cp_swap); }
METHOD(m_casefold) {
    if (args_check(vm, "casefold", nargs, kw, 0, 0) < 0) return NULL;
    StrBuf b;
    strbuf_init(&b);
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;) {
        uint32_t c = str_decode_utf8(&p);
        if (c == 0xDF) strbuf_append_cstr(&b, "ss");
        else strbuf_append_cp(&b, cp_fold(c));
    }
    return strbuf_finish(vm, &b);
}

static bool cp_is_cased(uint32_t c) { return cp_is_upper(c) || cp_is_lower(c); }

METHOD(m_capitalize) {
    if (args_check(vm, "capitalize", nargs, kw, 0, 0) < 0) return NULL;
    StrBuf b;
    strbuf_init(&b);
    bool first = true;
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;) {
        uint32_t c = str_decode_utf8(&p);
        strbuf_append_cp(&b, first ? cp_upper(c) : cp_lower(c));
        first = false;
    }
    return strbuf_finish(vm, &b);
}

METHOD(m_title) {
    if (args_check(vm, "title", nargs, kw, 0, 0) < 0) return NULL;
    StrBuf b;
    strbuf_init(&b);
    bool prev_cased = false;
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;) {
        uint32_t c = str_decode_utf8(&p);
        strbuf_append_cp(&b, prev_cased ? cp_lower(c) : cp_upper(c));
        prev_cased = cp_is_cased(c);
    }
    return strbuf_finish(vm, &b);
}

/* Character-class predicates: all characters satisfy [pred] and the string is not
 * empty. */
static Object *all_chars(Vm *vm, Object *self, bool (*pred)(uint32_t)) {
    if (S(self)->byte_len == 0) return bool_from(vm, 0);
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;)
        if (!pred(str_decode_utf8(&p))) return bool_from(vm, 0);
    return bool_from(vm, 1);
}

static bool cp_is_alnum(uint32_t c) { return cp_is_alpha(c) || cp_is_digit(c); }
static bool cp_is_numeric(uint32_t c) {
    return cp_is_digit(c) || c == 0xB2 || c == 0xB3 || c == 0xB9 || (c >= 0xBC && c <= 0xBE) ||
           (c >= 0x2150 && c <= 0x218B) || (c >= 0x2460 && c <= 0x249B) || (c >= 0x4E00 && c == 0x4E00);
}
static bool cp_is_digitish(uint32_t c) { return cp_is_digit(c) || c == 0xB2 || c == 0xB3 || c == 0xB9 || (c >= 0x2460 && c <= 0x2468); }

METHOD(m_isdigit) { return all_chars(vm, self, cp_is_digitish); }
METHOD(m_isdecimal) { return all_chars(vm, self, cp_is_digit); }
METHOD(m_isnumeric) { return all_chars(vm, self, cp_is_numeric); }
METHOD(m_isalpha) { return all_chars(vm, self, cp_is_alpha); }
METHOD(m_isalnum) { return all_chars(vm, self, cp_is_alnum); }
METHOD(m_isspace) { return all_chars(vm, self, cp_is_space); }
METHOD(m_isascii) { return bool_from(vm, S(self)->max_cp < 128); }
METHOD(m_isprintable) {
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;)
        if (!cp_is_printable(str_decode_utf8(&p))) return bool_from(vm, 0);
    return bool_from(vm, 1);
}

static Object *case_check(Vm *vm, Object *self, bool upper) {
    bool cased = false;
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;) {
        uint32_t c = str_decode_utf8(&p);
        if (upper ? cp_is_lower(c) : cp_is_upper(c)) return bool_from(vm, 0);
        if (upper ? cp_is_upper(c) : cp_is_lower(c)) cased = true;
    }
    return bool_from(vm, cased);
}
METHOD(m_isupper) { return case_check(vm, self, true); }
METHOD(m_islower) { return case_check(vm, self, false); }

METHOD(m_istitle) {
    bool cased = false, prev_cased = false;
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;) {
        uint32_t c = str_decode_utf8(&p);
        if (cp_is_upper(c)) { if (prev_cased) return bool_from(vm, 0); prev_cased = cased = true; }
        else if (cp_is_lower(c)) { if (!prev_cased) return bool_from(vm, 0); prev_cased = cased = true; }
        else prev_cased = false;
    }
    return bool_from(vm, cased);
}

METHOD(m_isidentifier) {
    if (S(self)->byte_len == 0) return bool_from(vm, 0);
    bool first = true;
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end; first = false) {
        uint32_t c = str_decode_utf8(&p);
        bool ok = c == '_' || cp_is_alpha(c) || (!first && cp_is_digit(c)) || (c >= 128 && !cp_is_space(c) && cp_is_printable(c) && c > 0xBF);
        if (!ok) return bool_from(vm, 0);
    }
    return bool_from(vm, 1);
}

/* ---- strip ---- */

static bool in_chars(uint32_t c, Object *chars) {
    if (!chars) return cp_is_space(c);
    for (const char *p = S(chars)->data, *end = p + S(chars)->byte_len; p < end;)
        if (str_decode_utf8(&p) == c) return true;
    return false;
}

static Object *strip_impl(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw,
                          const char *name, bool left, bool right) {
    if (args_check(vm, name, nargs, kw, 0, 1) < 0) return NULL;
    Object *chars = nargs && !IS_NONE(vm, args[0]) ? args[0] : NULL;
    if (chars && !STR_CHECK(chars)) return err_format(vm, &TypeErrorType, "%s arg must be None or str", name);
    const char *data = S(self)->data, *b = data, *e = data + S(self)->byte_len;
    if (left) {
        while (b < e) {
            const char *q = b;
            if (!in_chars(str_decode_utf8(&q), chars)) break;
            b = q;
        }
    }
    if (right) {
        while (e > b) {
            const char *q = e - 1;
            while (q > b && ((unsigned char)*q & 0xC0) == 0x80) q--;
            const char *t = q;
            if (!in_chars(str_decode_utf8(&t), chars)) break;
            e = q;
        }
    }
    if (b == data && e == data + S(self)->byte_len && TYPE(self) == &StrType) return NEWREF(self);
    return str_from_valid(vm, b, (size_t)(e - b));
}

METHOD(m_strip) { return strip_impl(vm, self, args, nargs, kw, "strip", true, true); }
METHOD(m_lstrip) { return strip_impl(vm, self, args, nargs, kw, "lstrip", true, false); }
METHOD(m_rstrip) { return strip_impl(vm, self, args, nargs, kw, "rstrip", false, true); }

/* ---- split family ---- */

static int append_piece(Vm *vm, Object *list, const char *p, size_t n) {
    Object *s = str_from_valid(vm, p, n);
    if (!s) return -1;
    int r = list_append(vm, list, s);
    DECREF(vm, s);
    return r;
}

static int split_args(Vm *vm, const char *name, Object **args, size_t nargs, Object *kw,
                      Object **sep, intptr_t *maxsplit) {
    static const char *const names[] = {"sep", "maxsplit", NULL};
    Object *a[2];
    if (args_unpack(vm, name, args, nargs, kw, names, 0, 2, a) < 0) return -1;
    *sep = a[0] && !IS_NONE(vm, a[0]) ? a[0] : NULL;
    *maxsplit = -1;
    if (*sep && !STR_CHECK(*sep)) {
        err_format(vm, &TypeErrorType, "must be str or None, not %T", *sep);
        return -1;
    }
    if (*sep && S(*sep)->byte_len == 0) {
        err_format(vm, &ValueErrorType, "empty separator");
        return -1;
    }
    if (a[1] && int_as_ssize(vm, a[1], maxsplit) < 0) return -1;
    if (*maxsplit < 0) *maxsplit = INTPTR_MAX;
    return 0;
}

/* Whitespace split from the left. */
static int split_ws(Vm *vm, Object *list, const char *p, const char *end, intptr_t maxsplit) {
    while (p < end) {
        const char *q = p;
        while (q < end) { const char *t = q; if (!cp_is_space(str_decode_utf8(&t))) break; q = t; }
        p = q;
        if (p >= end) break;
        if (maxsplit-- <= 0) return append_piece(vm, list, p, (size_t)(end - p));
        while (q < end) { const char *t = q; if (cp_is_space(str_decode_utf8(&t))) break; q = t; }
        if (append_piece(vm, list, p, (size_t)(q - p)) < 0) return -1;
        p = q;
    }
    return 0;
}

METHOD(m_split) {
    Object *sep;
    intptr_t maxsplit;
    if (split_args(vm, "split", args, nargs, kw, &sep, &maxsplit) < 0) return NULL;
    Object *list = list_new(vm, 0);
    if (!list) return NULL;
    const char *p = S(self)->data, *end = p + S(self)->byte_len;
    int rc = 0;
    if (!sep) {
        rc = split_ws(vm, list, p, end, maxsplit);
    } else {
        size_t sl = S(sep)->byte_len;
        const char *q;
        while (maxsplit-- > 0 && (q = find_bytes(p, (size_t)(end - p), S(sep)->data, sl))) {
            if ((rc = append_piece(vm, list, p, (size_t)(q - p))) < 0) break;
            p = q + sl;
        }
        if (rc == 0) rc = append_piece(vm, list, p, (size_t)(end - p));
    }
    if (rc < 0) { DECREF(vm, list); return NULL; }
    return list;
}

METHOD(m_rsplit) {
    Object *sep;
    intptr_t maxsplit;
    if (split_args(vm, "rsplit", args, nargs, kw, &sep, &maxsplit) < 0) return NULL;
    Object *list = list_new(vm, 0);
    if (!list) return NULL;
    const char *start = S(self)->data, *end = start + S(self)->byte_len;
    int rc = 0;
    if (!sep) {
        while (end > start) {
            while (end > start) {
                const char *r = end - 1;
                while (r > start && ((unsigned char)*r & 0xC0) == 0x80) r--;
                const char *t = r;
                if (!cp_is_space(str_decode_utf8(&t))) break;
                end = r;
            }
            if (end <= start) break;
            const char *b = end;
            if (maxsplit-- <= 0) {
                b = start;
            } else {
                while (b > start) {
                    const char *r = b - 1;
                    while (r > start && ((unsigned char)*r & 0xC0) == 0x80) r--;
                    const char *t = r;
                    if (cp_is_space(str_decode_utf8(&t))) break;
                    b = r;
                }
            }
            if ((rc = append_piece(vm, list, b, (size_t)(end - b))) < 0) break;
            end = b;
            if (b == start) break;
        }
    } else {
        size_t sl = S(sep)->byte_len;
        const char *q;
        while (maxsplit-- > 0 && (q = rfind_bytes(start, (size_t)(end - start), S(sep)->data, sl))) {
            if ((rc = append_piece(vm, list, q + sl, (size_t)(end - q - sl))) < 0) break;
            end = q;
        }
        if (rc == 0) rc = append_piece(vm, list, start, (size_t)(end - start));
    }
    if (rc < 0) { DECREF(vm, list); return NULL; }
    list_reverse(vm, list);
    return list;
}

static bool is_linebreak(uint32_t c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D ||
           c == 0x1E || c == 0x85 || c == 0x2028 || c == 0x2029;
}

METHOD(m_splitlines) {
    static const char *const names[] = {"keepends", NULL};
    Object *a[1];
    if (args_unpack(vm, "splitlines", args, nargs, kw, names, 0, 1, a) < 0) return NULL;
    int keep = 0;
    if (a[0] && (keep = obj_is_true(vm, a[0])) < 0) return NULL;
    Object *list = list_new(vm, 0);
    if (!list) return NULL;
    const char *p = S(self)->data, *end = p + S(self)->byte_len, *line = p;
    while (p < end) {
        const char *q = p;
        uint32_t c = str_decode_utf8(&q);
        if (!is_linebreak(c)) { p = q; continue; }
        const char *eol = q;
        if (c == '\r' && q < end && *q == '\n') eol = q + 1;
        if (append_piece(vm, list, line, (size_t)((keep ? eol : p) - line)) < 0) { DECREF(vm, list); return NULL; }
        p = line = eol;
    }
    if (line < end && append_piece(vm, list, line, (size_t)(end - line)) < 0) { DECREF(vm, list); return NULL; }
    return list;
}

static Object *partition_impl(Vm *vm, Object *self, Object *sep, bool reverse) {
    if (!STR_CHECK(sep)) return err_format(vm, &TypeErrorType, "must be str, not %T", sep);
    if (S(sep)->byte_len == 0) return err_format(vm, &ValueErrorType, "empty separator");
    const char *d = S(self)->data;
    size_t n = S(self)->byte_len, sl = S(sep)->byte_len;
    const char *q = reverse ? rfind_bytes(d, n, S(sep)->data, sl) : find_bytes(d, n, S(sep)->data, sl);
    Object *a, *b, *c;
    if (!q) {
        Object *empty = str_from_valid(vm, "", 0);
        Object *whole = str_from_valid(vm, d, n);
        Object *t = empty && whole ? (reverse ? tuple_pack(vm, 3, empty, empty, whole) : tuple_pack(vm, 3, whole, empty, empty)) : NULL;
        XDECREF(vm, empty);
        XDECREF(vm, whole);
        return t;
    }
    a = str_from_valid(vm, d, (size_t)(q - d));
    b = NEWREF(sep);
    c = str_from_valid(vm, q + sl, (size_t)(d + n - q - sl));
    Object *t = a && c ? tuple_pack(vm, 3, a, b, c) : NULL;
    XDECREF(vm, a);
    DECREF(vm, b);
    XDECREF(vm, c);
    return t;
}

METHOD(m_partition) {
    if (args_check(vm, "partition", nargs, kw, 1, 1) < 0) return NULL;
    return partition_impl(vm, self, args[0], false);
}
METHOD(m_rpartition) {
    if (args_check(vm, "rpartition", nargs, kw, 1, 1) < 0) return NULL;
    return partition_impl(vm, self, args[0], true);
}

METHOD(m_join) {
    if (args_check(vm, "join", nargs, kw, 1, 1) < 0) return NULL;
    Object *it = obj_iter(vm, args[0]);
    if (!it) {
        if (err_matches(vm, &TypeErrorType)) { err_clear(vm); err_format(vm, &TypeErrorType, "can only join an iterable"); }
        return NULL;
    }
    StrBuf b;
    strbuf_init(&b);
    size_t i = 0;
    Object *item;
    while ((item = obj_next(vm, it))) {
        if (!STR_CHECK(item)) {
            err_format(vm, &TypeErrorType, "sequence item %zu: expected str instance, %T found", i, item);
            DECREF(vm, item);
            break;
        }
        if (i++) strbuf_append_str(&b, self);
        strbuf_append_str(&b, item);
        DECREF(vm, item);
    }
    DECREF(vm, it);
    if (vm->exc) { strbuf_free(&b); return NULL; }
    return strbuf_finish(vm, &b);
}

METHOD(m_replace) {
    if (args_check(vm, "replace", nargs, kw, 2, 3) < 0) return NULL;
    if (!STR_CHECK(args[0])) return err_format(vm, &TypeErrorType, "replace() argument 1 must be str, not %T", args[0]);
    if (!STR_CHECK(args[1])) return err_format(vm, &TypeErrorType, "replace() argument 2 must be str, not %T", args[1]);
    intptr_t count = -1;
    if (nargs > 2 && int_as_ssize(vm, args[2], &count) < 0) return NULL;
    if (count < 0) count = INTPTR_MAX;
    Object *old = args[0], *new_ = args[1];
    StrBuf b;
    strbuf_init(&b);
    const char *p = S(self)->data, *end = p + S(self)->byte_len;
    if (S(old)->byte_len == 0) {
        while (count > 0) {
            strbuf_append_str(&b, new_);
            count--;
            if (p >= end) break;
            const char *q = p;
            str_decode_utf8(&q);
            strbuf_append(&b, p, (size_t)(q - p));
            p = q;
        }
        strbuf_append(&b, p, (size_t)(end - p));
        return strbuf_finish(vm, &b);
    }
    const char *q;
    while (count-- > 0 && (q = find_bytes(p, (size_t)(end - p), S(old)->data, S(old)->byte_len))) {
        strbuf_append(&b, p, (size_t)(q - p));
        strbuf_append_str(&b, new_);
        p = q + S(old)->byte_len;
    }
    strbuf_append(&b, p, (size_t)(end - p));
    return strbuf_finish(vm, &b);
}

/* Parses (width[, fillchar]) for center/ljust/rjust. */
static int pad_args(Vm *vm, const char *name, Object **args, size_t nargs, Object *kw,
                    intptr_t *width, uint32_t *fill) {
    if (args_check(vm, name, nargs, kw, 1, 2) < 0) return -1;
    if (int_as_ssize(vm, args[0], width) < 0) return -1;
    *fill = ' ';
    if (nargs > 1) {
        if (!STR_CHECK(args[1])) {
            err_format(vm, &TypeErrorType, "%s() argument 2 must be str, not %T", name, args[1]);
            return -1;
        }
        if (S(args[1])->len != 1) {
            err_format(vm, &TypeErrorType, "The fill character must be exactly one character long");
            return -1;
        }
        *fill = str_codepoint_at(args[1], 0);
    }
    return 0;
}

static Object *pad(Vm *vm, Object *self, size_t left, size_t right, uint32_t fill) {
    if (!left && !right && TYPE(self) == &StrType) return NEWREF(self);
    if (!mem_fits(vm, ((double)left + (double)right) * (fill < 0x80 ? 1 : 4) + (double)S(self)->byte_len))
        return NULL;
    StrBuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < left; i++) strbuf_append_cp(&b, fill);
    strbuf_append_str(&b, self);
    for (size_t i = 0; i < right; i++) strbuf_append_cp(&b, fill);
    return strbuf_finish(vm, &b);
}

METHOD(m_center) {
    intptr_t w;
    uint32_t f;
    if (pad_args(vm, "center", args, nargs, kw, &w, &f) < 0) return NULL;
    size_t len = S(self)->len;
    if (w <= (intptr_t)len) return pad(vm, self, 0, 0, f);
    size_t marg = (size_t)w - len, left = marg / 2 + (marg & (size_t)w & 1);
    return pad(vm, self, left, marg - left, f);
}
METHOD(m_ljust) {
    intptr_t w;
    uint32_t f;
    if (pad_args(vm, "ljust", args, nargs, kw, &w, &f) < 0) return NULL;
    size_t len = S(self)->len;
    return pad(vm, self, 0, w > (intptr_t)len ? (size_t)w - len : 0, f);
}
METHOD(m_rjust) {
    intptr_t w;
    uint32_t f;
    if (pad_args(vm, "rjust", args, nargs, kw, &w, &f) < 0) return NULL;
    size_t len = S(self)->len;
    return pad(vm, self, w > (intptr_t)len ? (size_t)w - len : 0, 0, f);
}

METHOD(m_zfill) {
    if (args_check(vm, "zfill", nargs, kw, 1, 1) < 0) return NULL;
    intptr_t w;
    if (int_as_ssize(vm, args[0], &w) < 0) return NULL;
    size_t len = S(self)->len;
    if (w <= (intptr_t)len) return pad(vm, self, 0, 0, ' ');
    size_t fill = (size_t)w - len;
    if (!mem_fits(vm, (double)w + (double)S(self)->byte_len)) return NULL;
    StrBuf b;
    strbuf_init(&b);
    const char *d = S(self)->data;
    size_t skip = len && (d[0] == '+' || d[0] == '-') ? 1 : 0;
    strbuf_append(&b, d, skip);
    for (size_t i = 0; i < fill; i++) strbuf_append_char(&b, '0');
    strbuf_append(&b, d + skip, S(self)->byte_len - skip);
    return strbuf_finish(vm, &b);
}

METHOD(m_expandtabs) {
    static const char *const names[] = {"tabsize", NULL};
    Object *a[1];
    if (args_unpack(vm, "expandtabs", args, nargs, kw, names, 0, 1, a) < 0) return NULL;
    int ts = 8; /* a C int in CPython */
    if (a[0] && int_as_c_int(vm, a[0], &ts) < 0) return NULL;
    size_t tabs = 0;
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end; p++) tabs += *p == '\t';
    if (ts > 0 && !mem_fits(vm, (double)tabs * (double)ts + (double)S(self)->byte_len)) return NULL;
    StrBuf b;
    strbuf_init(&b);
    size_t col = 0;
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;) {
        const char *q = p;
        uint32_t c = str_decode_utf8(&q);
        if (c == '\t') {
            if (ts > 0) { size_t n = (size_t)ts - col % (size_t)ts; for (size_t i = 0; i < n; i++) strbuf_append_char(&b, ' '); col += n; }
        } else {
            strbuf_append(&b, p, (size_t)(q - p));
            col = (c == '\n' || c == '\r') ? 0 : col + 1;
        }
        p = q;
    }
    return strbuf_finish(vm, &b);
}

static Object *remove_affix(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw, bool prefix) {
    const char *name = prefix ? "removeprefix" : "removesuffix";
    if (args_check(vm, name, nargs, kw, 1, 1) < 0) return NULL;
    if (!STR_CHECK(args[0])) return err_format(vm, &TypeErrorType, "%s() argument must be str, not %T", name, args[0]);
    size_t n = S(self)->byte_len, an = S(args[0])->byte_len;
    const char *d = S(self)->data;
    if (an && an <= n && memcmp(prefix ? d : d + n - an, S(args[0])->data, an) == 0)
        return str_from_valid(vm, prefix ? d + an : d, n - an);
    return pad(vm, self, 0, 0, ' ');
}
METHOD(m_removeprefix) { return remove_affix(vm, self, args, nargs, kw, true); }
METHOD(m_removesuffix) { return remove_affix(vm, self, args, nargs, kw, false); }

METHOD(m_encode) { return err_unsupported(vm, "bytes"); }

METHOD(m_format) { return format_str_format(vm, self, args, nargs, kw); }

METHOD(m_format_map) {
    if (args_check(vm, "format_map", nargs, kw, 1, 1) < 0) return NULL;
    return format_str_format_map(vm, self, args[0]);
}

METHOD(m_dunder_format) {
    if (args_check(vm, "__format__", nargs, kw, 1, 1) < 0) return NULL;
    if (!STR_CHECK(args[0]))
        return err_format(vm, &TypeErrorType, "__format__() argument must be str, not %T", args[0]);
    Object *spec = args[0];
    if (S(spec)->byte_len == 0) return str_str_slot(vm, self);
    FormatSpec fs;
    if (format_parse_spec(vm, spec, 's', '<', TYPE(self)->name, &fs) < 0) return NULL;
    if (fs.type && fs.type != 's') return format_unknown_code(vm, fs.type, TYPE(self)->name);
    if (fs.sign) return err_format(vm, &ValueErrorType, "Sign not allowed in string format specifier");
    if (fs.alternate) return err_format(vm, &ValueErrorType, "Alternate form (#) not allowed in string format specifier");
    if (fs.align == '=') return err_format(vm, &ValueErrorType, "'=' alignment not allowed in string format specifier");
    size_t len = S(self)->len;
    if (fs.precision >= 0 && fs.precision < (int64_t)len) len = (size_t)fs.precision;
    return format_pad(vm, &fs, S(self)->data, byte_offset(self, len), len, '<');
}

METHOD(m_translate) {
    if (args_check(vm, "translate", nargs, kw, 1, 1) < 0) return NULL;
    StrBuf b;
    strbuf_init(&b);
    for (const char *p = S(self)->data, *end = p + S(self)->byte_len; p < end;) {
        const char *start = p;
        uint32_t c = str_decode_utf8(&p);
        Object *key = int_from_i64(vm, c);
        if (!key) break;
        Object *v = obj_getitem(vm, args[0], key);
        DECREF(vm, key);
        if (!v) {
            if (err_matches(vm, &LookupErrorType)) { err_clear(vm); strbuf_append(&b, start, (size_t)(p - start)); continue; }
            break;
        }
        if (INT_CHECK(v)) {
            int64_t x;
            if (int_as_i64(vm, v, &x) < 0 || x < 0 || x > 0x10FFFF) {
                err_clear(vm);
                err_format(vm, &ValueErrorType, "character mapping must be in range(0x110000)");
                DECREF(vm, v);
                break;
            }
            strbuf_append_cp(&b, (uint32_t)x);
        } else if (STR_CHECK(v)) {
            strbuf_append_str(&b, v);
        } else if (!IS_NONE(vm, v)) {
            err_format(vm, &TypeErrorType, "character mapping must return integer, None or str");
            DECREF(vm, v);
            break;
        }
        DECREF(vm, v);
    }
    if (vm->exc) { strbuf_free(&b); return NULL; }
    return strbuf_finish(vm, &b);
}

METHOD(m_maketrans) {
    if (args_check(vm, "maketrans", nargs, kw, 1, 3) < 0) return NULL;
    Object *d = dict_new(vm);
    if (!d) return NULL;
    if (nargs == 1) {
        if (dict_update(vm, d, args[0]) < 0) { DECREF(vm, d); return NULL; }
        /* convert single-character str keys to ordinals */
        Object *res = dict_new(vm);
        size_t pos = 0;
        Object *k, *v;
        while (res && dict_next(d, &pos, &k, &v)) {
            Object *nk = STR_CHECK(k) && S(k)->len == 1 ? int_from_i64(vm, str_codepoint_at(k, 0)) : NEWREF(k);
            if (!nk || dict_set(vm, res, nk, v) < 0) { XDECREF(vm, nk); DECREF(vm, res); res = NULL; break; }
            DECREF(vm, nk);
        }
        DECREF(vm, d);
        return res;
    }
    Object *x = args[0], *y = args[1];
    if (!STR_CHECK(x) || !STR_CHECK(y)) { DECREF(vm, d); return err_format(vm, &TypeErrorType, "maketrans() arguments must be str"); }
    if (S(x)->len != S(y)->len) {
        DECREF(vm, d);
        return err_format(vm, &ValueErrorType, "the first two maketrans arguments must have equal length");
    }
    for (size_t i = 0; i < S(x)->len; i++) {
        Object *k = int_from_i64(vm, str_codepoint_at(x, i)), *v = int_from_i64(vm, str_codepoint_at(y, i));
        int rc = k && v ? dict_set(vm, d, k, v) : -1;
        XDECREF(vm, k);
        XDECREF(vm, v);
        if (rc < 0) { DECREF(vm, d); return NULL; }
    }
    if (nargs > 2) {
        if (!STR_CHECK(args[2])) { DECREF(vm, d); return err_format(vm, &TypeErrorType, "maketrans() argument 3 must be str"); }
        for (size_t i = 0; i < S(args[2])->len; i++) {
            Object *k = int_from_i64(vm, str_codepoint_at(args[2], i));
            int rc = k ? dict_set(vm, d, k, vm->none) : -1;
            XDECREF(vm, k);
            if (rc < 0) { DECREF(vm, d); return NULL; }
        }
    }
    return d;
}

METHOD(m_getnewargs) {
    Object *s = str_from_valid(vm, S(self)->data, S(self)->byte_len);
    Object *t = s ? tuple_pack(vm, 1, s) : NULL;
    XDECREF(vm, s);
    return t;
}

METHOD(m_sizeof) { return int_from_i64(vm, (int64_t)str_sizeof(vm, self)); }

METHOD(m_len) { return int_from_i64(vm, (int64_t)S(self)->len); }
METHOD(m_str) { return str_str_slot(vm, self); }
METHOD(m_repr) { return str_repr(vm, self); }
METHOD(m_hash) { return int_from_i64(vm, str_hash(self)); }
METHOD(m_iter) { return str_iter(vm, self); }
METHOD(m_getitem) {
    if (args_check(vm, "__getitem__", nargs, kw, 1, 1) < 0) return NULL;
    return str_getitem(vm, self, args[0]);
}
METHOD(m_contains) {
    if (args_check(vm, "__contains__", nargs, kw, 1, 1) < 0) return NULL;
    int r = str_contains(vm, self, args[0]);
    return r < 0 ? NULL : bool_from(vm, r);
}

#define STR_BINOP_METHOD(fname, op, reflected) \
    METHOD(fname) { \
        if (args_check(vm, #fname, nargs, kw, 1, 1) < 0) return NULL; \
        if (op == BINOP_ADD && !STR_CHECK(args[0])) return NEWREF(vm->not_implemented); \
        if (op == BINOP_MUL && !INT_CHECK(args[0])) return NEWREF(vm->not_implemented); \
        return reflected ? str_binop(vm, args[0], self, op) : str_binop(vm, self, args[0], op); \
    }
STR_BINOP_METHOD(m_add, BINOP_ADD, 0)
STR_BINOP_METHOD(m_mul, BINOP_MUL, 0)
STR_BINOP_METHOD(m_rmul, BINOP_MUL, 1)
STR_BINOP_METHOD(m_mod, BINOP_MOD, 0)
METHOD(m_rmod) { return NEWREF(vm->not_implemented); }

#define STR_CMP_METHOD(fname, op) \
    METHOD(fname) { \
        if (args_check(vm, #fname, nargs, kw, 1, 1) < 0) return NULL; \
        return str_richcompare(vm, self, args[0], op); \
    }
STR_CMP_METHOD(m_lt, CMP_LT)
STR_CMP_METHOD(m_le, CMP_LE)
STR_CMP_METHOD(m_eq, CMP_EQ)
STR_CMP_METHOD(m_ne, CMP_NE)
STR_CMP_METHOD(m_gt, CMP_GT)
STR_CMP_METHOD(m_ge, CMP_GE)

static const MethodDef str_methods[] = {
    {"upper", m_upper, METH_INSTANCE},
    {"lower", m_lower, METH_INSTANCE},
    {"capitalize", m_capitalize, METH_INSTANCE},
    {"title", m_title, METH_INSTANCE},
    {"swapcase", m_swapcase, METH_INSTANCE},
    {"casefold", m_casefold, METH_INSTANCE},
    {"strip", m_strip, METH_INSTANCE},
    {"lstrip", m_lstrip, METH_INSTANCE},
    {"rstrip", m_rstrip, METH_INSTANCE},
    {"split", m_split, METH_INSTANCE},
    {"rsplit", m_rsplit, METH_INSTANCE},
    {"splitlines", m_splitlines, METH_INSTANCE},
    {"join", m_join, METH_INSTANCE},
    {"replace", m_replace, METH_INSTANCE},
    {"find", m_find, METH_INSTANCE},
    {"rfind", m_rfind, METH_INSTANCE},
    {"index", m_index, METH_INSTANCE},
    {"rindex", m_rindex, METH_INSTANCE},
    {"count", m_count, METH_INSTANCE},
    {"startswith", m_startswith, METH_INSTANCE},
    {"endswith", m_endswith, METH_INSTANCE},
    {"isdigit", m_isdigit, METH_INSTANCE},
    {"isdecimal", m_isdecimal, METH_INSTANCE},
    {"isnumeric", m_isnumeric, METH_INSTANCE},
    {"isalpha", m_isalpha, METH_INSTANCE},
    {"isalnum", m_isalnum, METH_INSTANCE},
    {"isspace", m_isspace, METH_INSTANCE},
    {"isupper", m_isupper, METH_INSTANCE},
    {"islower", m_islower, METH_INSTANCE},
    {"istitle", m_istitle, METH_INSTANCE},
    {"isascii", m_isascii, METH_INSTANCE},
    {"isprintable", m_isprintable, METH_INSTANCE},
    {"isidentifier", m_isidentifier, METH_INSTANCE},
    {"center", m_center, METH_INSTANCE},
    {"ljust", m_ljust, METH_INSTANCE},
    {"rjust", m_rjust, METH_INSTANCE},
    {"zfill", m_zfill, METH_INSTANCE},
    {"partition", m_partition, METH_INSTANCE},
    {"rpartition", m_rpartition, METH_INSTANCE},
    {"expandtabs", m_expandtabs, METH_INSTANCE},
    {"removeprefix", m_removeprefix, METH_INSTANCE},
    {"removesuffix", m_removesuffix, METH_INSTANCE},
    {"encode", m_encode, METH_INSTANCE},
    {"format", m_format, METH_INSTANCE},
    {"format_map", m_format_map, METH_INSTANCE},
    {"translate", m_translate, METH_INSTANCE},
    {"maketrans", m_maketrans, METH_STATIC},
    {"__format__", m_dunder_format, METH_INSTANCE},
    {"__getnewargs__", m_getnewargs, METH_INSTANCE},
    {"__sizeof__", m_sizeof, METH_INSTANCE},
    {"__len__", m_len, METH_INSTANCE},
    {"__str__", m_str, METH_INSTANCE},
    {"__repr__", m_repr, METH_INSTANCE},
    {"__hash__", m_hash, METH_INSTANCE},
    {"__iter__", m_iter, METH_INSTANCE},
    {"__getitem__", m_getitem, METH_INSTANCE},
    {"__contains__", m_contains, METH_INSTANCE},
    {"__add__", m_add, METH_INSTANCE},
    {"__mul__", m_mul, METH_INSTANCE},
    {"__rmul__", m_rmul, METH_INSTANCE},
    {"__mod__", m_mod, METH_INSTANCE},
    {"__rmod__", m_rmod, METH_INSTANCE},
    {"__lt__", m_lt, METH_INSTANCE},
    {"__le__", m_le, METH_INSTANCE},
    {"__eq__", m_eq, METH_INSTANCE},
    {"__ne__", m_ne, METH_INSTANCE},
    {"__gt__", m_gt, METH_INSTANCE},
    {"__ge__", m_ge, METH_INSTANCE},
    {NULL}
};

Type StrType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC},
    .name = "str",
    .basicsize = sizeof(StrObject),
    .modelled_size = 49,
    .tflags = TP_BASETYPE | TP_STR_SUB,
    .base = &ObjectType,
    .methods = str_methods,
    .dealloc = str_dealloc,
    .repr = str_repr_slot,
    .str = str_str_slot,
    .hash = str_hash_slot,
    .richcompare = str_richcompare,
    .binop = str_binop,
    .is_true = str_is_true,
    .len = str_len_slot,
    .getitem = str_getitem,
    .contains = str_contains,
    .iter = str_iter,
    .new_ = str_new_impl,
    .sizeof_ = str_sizeof,
};
