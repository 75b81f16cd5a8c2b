/* format.c — the format-spec mini-language and the formatting entry points.
 *
 * Parses "[[fill]align][sign][z][#][0][width][grouping][.precision][type]" as CPython
 * 3.11, pads and groups numbers, implements format()/FORMAT_VALUE (obj_format),
 * str.format / str.format_map, and printf-style `str % args`.
 */
#include "format.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dict.h"
#include "float.h"
#include "int.h"
#include "str.h"
#include "tuple.h"

/* ---- the spec ---- */

static bool is_align(uint32_t c) { return c == '<' || c == '>' || c == '^' || c == '='; }

Object *format_unknown_code(Vm *vm, char code, const char *type_name) {
    if (code > 32 && code < 127)
        return err_format(vm, &ValueErrorType, "Unknown format code '%c' for object of type '%s'", code, type_name);
    return err_format(vm, &ValueErrorType, "Unknown format code '\\x%x' for object of type '%s'",
                      (unsigned)(unsigned char)code, type_name);
}

/* Reads decimal digits at cps[*i]; returns the count consumed, -1 on overflow. */
static int read_int(Vm *vm, const uint32_t *cps, size_t n, size_t *i, int64_t *out) {
    int count = 0;
    int64_t v = 0;
    while (*i < n && cps[*i] >= '0' && cps[*i] <= '9') {
        if (v > (INT64_MAX - 9) / 10) {
            err_format(vm, &ValueErrorType, "Too many decimal digits in format string");
            return -1;
        }
        v = v * 10 + (cps[*i] - '0');
        (*i)++;
        count++;
    }
    *out = v;
    return count;
}

int format_parse_spec(Vm *vm, Object *spec, char default_type, char default_align,
                      const char *type_name, FormatSpec *out) {
    memset(out, 0, sizeof *out);
    out->fill = ' ';
    out->width = -1;
    out->precision = -1;
    out->type = default_type;
    if (!spec) return 0;
    size_t n = str_len(spec);
    uint32_t stackbuf[64], *cps = n <= 64 ? stackbuf : malloc(n * sizeof *cps);
    if (!cps) { err_no_memory(vm); return -1; }
    const char *p = str_cstr(spec);
    for (size_t k = 0; k < n; k++) cps[k] = str_decode_utf8(&p);
    size_t i = 0;
    bool fill_given = false, align_given = false;
    int rc = -1;
    if (n >= 2 && is_align(cps[1])) {
        out->fill = cps[0];
        out->align = (char)cps[1];
        fill_given = align_given = true;
        i = 2;
    } else if (n >= 1 && is_align(cps[0])) {
        out->align = (char)cps[0];
        align_given = true;
        i = 1;
    }
    if (i < n && (cps[i] == '+' || cps[i] == '-' || cps[i] == ' ')) out->sign = (char)cps[i++];
    if (i < n && cps[i] == 'z') { out->no_neg_zero = true; i++; }
    if (i < n && cps[i] == '#') { out->alternate = true; i++; }
    if (!fill_given && i < n && cps[i] == '0') {
        out->fill = '0';
        out->zero_pad = true;
        if (!align_given && default_align == '>') out->align = '=';
        i++;
    }
    int c = read_int(vm, cps, n, &i, &out->width);
    if (c < 0) goto done;
    if (c == 0) out->width = -1;
    if (i < n && cps[i] == ',') { out->grouping = ','; i++; }
    if (i < n && cps[i] == '_') {
        if (out->grouping) { err_format(vm, &ValueErrorType, "Cannot specify both ',' and '_'."); goto done; }
        out->grouping = '_';
        i++;
    }
    if (i < n && cps[i] == ',' && out->grouping == '_') {
        err_format(vm, &ValueErrorType, "Cannot specify both ',' and '_'.");
        goto done;
    }
    if (i < n && cps[i] == '.') {
        i++;
        c = read_int(vm, cps, n, &i, &out->precision);
        if (c < 0) goto done;
        if (c == 0) { err_format(vm, &ValueErrorType, "Format specifier missing precision"); goto done; }
    }
    if (n - i > 1) {
        err_format(vm, &ValueErrorType, "Invalid format specifier '%U' for object of type '%s'", spec, type_name);
        goto done;
    }
    if (n - i == 1) {
        if (cps[i] > 127) {
            err_format(vm, &ValueErrorType, "Unknown format code '\\x%x' for object of type '%s'", cps[i], type_name);
            goto done;
        }
        out->type = (char)cps[i];
    }
    if (out->grouping) {
        switch (out->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (out->grouping == '_') break;
            /* fall through */
        default:
            if (out->type > 32 && out->type < 127)
                err_format(vm, &ValueErrorType, "Cannot specify '%c' with '%c'.", out->grouping, out->type);
            else
                err_format(vm, &ValueErrorType, "Cannot specify '%c' with '\\x%x'.", out->grouping, (unsigned)out->type);
            goto done;
        }
    }
    rc = 0;
done:
    if (cps != stackbuf) free(cps);
    return rc;
}

/* ---- padding and grouping ---- */

static void append_fill(StrBuf *b, uint32_t fill, int64_t n) {
    for (int64_t i = 0; i < n; i++) strbuf_append_cp(b, fill);
}

Object *format_pad(Vm *vm, const FormatSpec *spec, const char *body, size_t nbytes,
                   size_t len, char def_align) {
    char align = spec->align ? spec->align : def_align;
    int64_t total = spec->width > (int64_t)len ? spec->width - (int64_t)len : 0;
    if (total == 0) return str_from_utf8(vm, body, nbytes);
    if (!mem_fits(vm, (double)total * (spec->fill < 0x80 ? 1 : 4) + (double)nbytes)) return NULL;
    int64_t left = align == '<' ? 0 : align == '^' ? total / 2 : total;
    StrBuf b;
    strbuf_init(&b);
    append_fill(&b, spec->fill, left);
    strbuf_append(&b, body, nbytes);
    append_fill(&b, spec->fill, total - left);
    return strbuf_finish(vm, &b);
}

char *format_group_digits(const char *digits, size_t n, char sep, int every) {
    size_t out_len = n + (n ? (n - 1) / (size_t)every : 0);
    char *out = malloc(out_len + 1), *w = out + out_len;
    if (!out) return NULL;
    *w = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && i % (size_t)every == 0) *--w = sep;
        *--w = digits[n - 1 - i];
    }
    return out;
}

Object *format_number(Vm *vm, const FormatSpec *spec, bool neg, const char *prefix,
                      const char *intpart, const char *rest) {
    const char *sign = neg ? "-" : spec->sign == '+' ? "+" : spec->sign == ' ' ? " " : "";
    char align = spec->align ? spec->align : '>';
    int every = strchr("xXob", spec->type) && spec->type ? 4 : 3;
    size_t ilen = strlen(intpart), fixed = strlen(sign) + strlen(prefix) + strlen(rest);
    if (spec->width > 0 && !mem_fits(vm, (double)spec->width * (spec->fill < 0x80 ? 1 : 4))) return NULL;
    char *digits = NULL;
    if (spec->grouping && ilen) {
        /* Zero padding with '=' is part of the digits, so it gets grouped too. */
        size_t want = ilen;
        if (align == '=' && spec->fill == '0' && spec->width > (int64_t)fixed) {
            size_t min = (size_t)spec->width - fixed;
            while (want + (want - 1) / (size_t)every < min) want++;
        }
        char *padded = malloc(want + 1);
        if (!padded) return err_no_memory(vm);
        memset(padded, '0', want - ilen);
        memcpy(padded + want - ilen, intpart, ilen + 1);
        digits = format_group_digits(padded, want, spec->grouping, every);
        free(padded);
    } else {
        digits = malloc(ilen + 1);
        if (digits) memcpy(digits, intpart, ilen + 1);
    }
    if (!digits) return err_no_memory(vm);
    size_t len = fixed + strlen(digits);
    int64_t total = spec->width > (int64_t)len ? spec->width - (int64_t)len : 0;
    StrBuf b;
    strbuf_init(&b);
    int64_t left = align == '<' ? 0 : align == '^' ? total / 2 : total;
    if (align != '=') append_fill(&b, spec->fill, left);
    strbuf_append_cstr(&b, sign);
    strbuf_append_cstr(&b, prefix);
    if (align == '=') append_fill(&b, spec->fill, total);
    strbuf_append_cstr(&b, digits);
    strbuf_append_cstr(&b, rest);
    if (align != '=') append_fill(&b, spec->fill, total - left);
    free(digits);
    return strbuf_finish(vm, &b);
}

/* ---- format() ---- */

Object *format_object_default(Vm *vm, Object *self, Object *spec) {
    if (spec && str_len(spec) > 0)
        return err_format(vm, &TypeErrorType, "unsupported format string passed to %s.__format__", TYPE(self)->name);
    return obj_str(vm, self);
}

Object *obj_format(Vm *vm, Object *value, Object *spec) {
    Type *t = TYPE(value);
    if (t == &IntType || t == &BoolType) return int_format(vm, value, spec);
    if (t == &FloatType) return float_format(vm, ((FloatObject *)value)->value, spec);
    if (t == &StrType && (!spec || str_len(spec) == 0)) return NEWREF(value);
    Object *name = str_intern_cstr(vm, "__format__");
    if (!name) return NULL;
    Object *meth = type_lookup(t, name), *base = type_lookup(&ObjectType, name);
    DECREF(vm, name);
    if (!meth || meth == base) return format_object_default(vm, value, spec);
    Object *empty = NULL;
    if (!spec) spec = empty = str_from_cstr(vm, "");
    Object *r = spec ? obj_call_args(vm, meth, 2, value, spec) : NULL;
    XDECREF(vm, empty);
    if (r && !STR_CHECK(r)) {
        err_format(vm, &TypeErrorType, "__format__ must return a str, not %T", r);
        DECREF(vm, r);
        return NULL;
    }
    return r;
}

/* ---- str.format ---- */

typedef struct {
    Object **args;
    size_t nargs;
    Object *kwnames;  /* tuple of names for args[nargs + i], or NULL */
    Object *mapping;  /* format_map's mapping, or NULL */
    int auto_index;   /* next automatic field number; -1 once manual numbering is used */
    bool manual;
} FormatArgs;

static Object *lookup_keyword(Vm *vm, FormatArgs *fa, const char *name, size_t n) {
    Object *key = str_from_utf8(vm, name, n);
    if (!key) return NULL;
    Object *r = NULL;
    if (fa->mapping) {
        r = obj_getitem(vm, fa->mapping, key);
    } else {
        size_t nkw = fa->kwnames ? TUPLE_SIZE(fa->kwnames) : 0;
        for (size_t i = 0; i < nkw; i++)
            if (str_equal(TUPLE_ITEM(fa->kwnames, i), key)) { r = NEWREF(fa->args[fa->nargs + i]); break; }
        if (!r) err_set(vm, &KeyErrorType, key);
    }
    DECREF(vm, key);
    return r;
}

static bool all_digits(const char *s, size_t n) {
    if (!n) return false;
    for (size_t i = 0; i < n; i++) if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* Resolves a field name ("0", "name", "", "a.b[0]") to an object (new reference). */
static Object *resolve_field(Vm *vm, FormatArgs *fa, const char *f, size_t n) {
    size_t k = 0;
    while (k < n && f[k] != '.' && f[k] != '[') k++;
    Object *obj;
    if (k == 0 || all_digits(f, k)) {
        long idx;
        if (k == 0) {
            if (fa->manual) return err_format(vm, &ValueErrorType, "cannot switch from manual field specification to automatic field numbering");
            idx = fa->auto_index++;
        } else {
            if (fa->auto_index > 0) return err_format(vm, &ValueErrorType, "cannot switch from automatic field numbering to manual field specification");
            fa->manual = true;
            idx = strtol(f, NULL, 10);
        }
        if (fa->mapping) return err_format(vm, &ValueErrorType, "Format string contains positional fields");
        if ((size_t)idx >= fa->nargs)
            return err_format(vm, &IndexErrorType, "Replacement index %ld out of range for positional args tuple", idx);
        obj = NEWREF(fa->args[idx]);
    } else {
        obj = lookup_keyword(vm, fa, f, k);
        if (!obj) return NULL;
    }
    while (k < n) {
        size_t s = k + 1, e = s;
        if (f[k] == '.') {
            while (e < n && f[e] != '.' && f[e] != '[') e++;
            if (e == s) { DECREF(vm, obj); return err_format(vm, &ValueErrorType, "Empty attribute in format string"); }
            Object *name = str_from_utf8(vm, f + s, e - s);
            Object *v = name ? obj_getattr(vm, obj, name) : NULL;
            XDECREF(vm, name);
            DECREF(vm, obj);
            if (!v) return NULL;
            obj = v;
            k = e;
        } else {
            while (e < n && f[e] != ']') e++;
            if (e >= n) { DECREF(vm, obj); return err_format(vm, &ValueErrorType, "Missing ']' in format string"); }
            if (e == s) { DECREF(vm, obj); return err_format(vm, &ValueErrorType, "Empty attribute in format string"); }
            Object *key = all_digits(f + s, e - s) ? int_from_i64(vm, strtoll(f + s, NULL, 10)) : str_from_utf8(vm, f + s, e - s);
            Object *v = key ? obj_getitem(vm, obj, key) : NULL;
            XDECREF(vm, key);
            DECREF(vm, obj);
            if (!v) return NULL;
            obj = v;
            k = e + 1;
            if (k < n && f[k] != '.' && f[k] != '[') return err_format(vm, &ValueErrorType, "Only '.' or '[' may follow ']' in format field specifier");
        }
    }
    return obj;
}

static Object *vformat(Vm *vm, const char *s, size_t n, FormatArgs *fa, int depth);

/* Handles one replacement field's inside text [f, f+n). */
static Object *render_field(Vm *vm, const char *f, size_t n, FormatArgs *fa, int depth) {
    size_t k = 0;
    int bracket = 0;
    while (k < n) {
        if (f[k] == '[') bracket = 1;
        else if (f[k] == ']') bracket = 0;
        else if (!bracket && (f[k] == '!' || f[k] == ':')) break;
        k++;
    }
    size_t name_len = k;
    char conv = 0;
    if (k < n && f[k] == '!') {
        if (k + 1 >= n) return err_format(vm, &ValueErrorType, "end of string while looking for conversion specifier");
        conv = f[k + 1];
        k += 2;
        if (k < n && f[k] != ':') return err_format(vm, &ValueErrorType, "expected ':' after conversion specifier");
    }
    Object *obj = resolve_field(vm, fa, f, name_len);
    if (!obj) return NULL;
    Object *spec = NULL;
    if (k < n && f[k] == ':') {
        spec = vformat(vm, f + k + 1, n - k - 1, fa, depth + 1);
        if (!spec) { DECREF(vm, obj); return NULL; }
    }
    if (conv) {
        Object *c = conv == 'r' ? obj_repr(vm, obj) : conv == 's' ? obj_str(vm, obj) : NULL;
        if (conv == 'a') {
            Object *r = obj_repr(vm, obj);
            c = r ? str_ascii_repr(vm, r) : NULL;
            /* ascii(): repr with non-ASCII escaped; strip the quotes str_ascii_repr added. */
            if (c) {
                Object *inner = str_from_utf8(vm, str_cstr(c) + 1, str_byte_len(c) - 2);
                DECREF(vm, c);
                c = inner;
            }
            XDECREF(vm, r);
        } else if (conv != 'r' && conv != 's') {
            DECREF(vm, obj);
            XDECREF(vm, spec);
            if (conv > 32 && conv < 127)
                return err_format(vm, &ValueErrorType, "Unknown conversion specifier %c", conv);
            return err_format(vm, &ValueErrorType, "Unknown conversion specifier \\x%x", (unsigned)(unsigned char)conv);
        }
        DECREF(vm, obj);
        if (!c) { XDECREF(vm, spec); return NULL; }
        obj = c;
    }
    Object *r = obj_format(vm, obj, spec);
    DECREF(vm, obj);
    XDECREF(vm, spec);
    return r;
}

static Object *vformat(Vm *vm, const char *s, size_t n, FormatArgs *fa, int depth) {
    if (depth > 2) return err_format(vm, &ValueErrorType, "Max string recursion exceeded");
    StrBuf b;
    strbuf_init(&b);
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == '}') {
            if (i + 1 < n && s[i + 1] == '}') { strbuf_append_char(&b, '}'); i += 2; continue; }
            strbuf_free(&b);
            return err_format(vm, &ValueErrorType, "Single '}' encountered in format string");
        }
        if (c != '{') { strbuf_append_char(&b, c); i++; continue; }
        if (i + 1 < n && s[i + 1] == '{') { strbuf_append_char(&b, '{'); i += 2; continue; }
        if (i + 1 >= n) { strbuf_free(&b); return err_format(vm, &ValueErrorType, "Single '{' encountered in format string"); }
        size_t j = i + 1;
        int level = 1;
        while (j < n) {
            if (s[j] == '{') level++;
            else if (s[j] == '}' && --level == 0) break;
            j++;
        }
        if (j >= n) { strbuf_free(&b); return err_format(vm, &ValueErrorType, "expected '}' before end of string"); }
        Object *piece = render_field(vm, s + i + 1, j - i - 1, fa, depth);
        if (!piece) { strbuf_free(&b); return NULL; }
        strbuf_append_str(&b, piece);
        DECREF(vm, piece);
        i = j + 1;
    }
    return strbuf_finish(vm, &b);
}

Object *format_str_format(Vm *vm, Object *fmt, Object **args, size_t nargs, Object *kwnames) {
    FormatArgs fa = {args, nargs, kwnames, NULL, 0, false};
    return vformat(vm, str_cstr(fmt), str_byte_len(fmt), &fa, 0);
}

Object *format_str_format_map(Vm *vm, Object *fmt, Object *mapping) {
    FormatArgs fa = {NULL, 0, NULL, mapping, 0, false};
    return vformat(vm, str_cstr(fmt), str_byte_len(fmt), &fa, 0);
}

/* ---- printf-style % ---- */

typedef struct {
    bool left, plus, space, alt, zero;
    int64_t width, prec;
} PercentSpec;

/* Pads [body] (UTF-8, [len] code points) for a %-conversion; numbers pass [signlen]
 * and [prefixlen] so that zero padding goes after the sign and prefix. */
static void percent_pad(StrBuf *b, const PercentSpec *ps, const char *body, size_t len,
                        size_t signlen, bool numeric) {
    int64_t pad = ps->width > (int64_t)len ? ps->width - (int64_t)len : 0;
    size_t nbytes = strlen(body);
    if (ps->left) { strbuf_append(b, body, nbytes); append_fill(b, ' ', pad); return; }
    if (numeric && ps->zero) {
        strbuf_append(b, body, signlen);
        append_fill(b, '0', pad);
        strbuf_append(b, body + signlen, nbytes - signlen);
        return;
    }
    append_fill(b, ' ', pad);
    strbuf_append(b, body, nbytes);
}

static bool has_special(Vm *vm, Object *o, const char *name) {
    Object *n = str_intern_cstr(vm, name);
    bool r = n && type_lookup(TYPE(o), n);
    XDECREF(vm, n);
    return r;
}

/* Formats one integer conversion (d i u x X o) into b. */
static int percent_int(Vm *vm, StrBuf *b, const PercentSpec *ps, char conv, Object *v) {
    Object *iv;
    if (conv == 'd' || conv == 'i' || conv == 'u') {
        if (INT_CHECK(v)) iv = NEWREF(v);
        else if (FLOAT_CHECK(v) || has_special(vm, v, "__int__") || has_special(vm, v, "__index__")) iv = int_from_object(vm, v);
        else { err_format(vm, &TypeErrorType, "%%%c format: a real number is required, not %T", conv, v); return -1; }
    } else {
        if (!INT_CHECK(v) && !has_special(vm, v, "__index__")) {
            err_format(vm, &TypeErrorType, "%%%c format: an integer is required, not %T", conv, v);
            return -1;
        }
        iv = int_index(vm, v);
    }
    if (!iv) return -1;
    int base = conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : 10;
    char *digits = int_to_base_cstr(vm, iv, base);
    bool neg = int_sign(iv) < 0;
    DECREF(vm, iv);
    if (!digits) return -1;
    if (conv == 'X') for (char *c = digits; *c; c++) if (*c >= 'a' && *c <= 'f') *c = (char)(*c - 32);
    size_t dl = strlen(digits);
    size_t zeros = ps->prec > (int64_t)dl ? (size_t)ps->prec - dl : 0;
    if (!mem_fits(vm, (double)zeros + (double)dl)) { free(digits); return -1; }
    const char *prefix = ps->alt && base == 16 ? (conv == 'X' ? "0X" : "0x") : ps->alt && base == 8 ? "0o" : "";
    const char *sign = neg ? "-" : ps->plus ? "+" : ps->space ? " " : "";
    size_t total = strlen(sign) + strlen(prefix) + zeros + dl;
    char *body = malloc(total + 1);
    if (!body) { free(digits); err_no_memory(vm); return -1; }
    size_t at = 0;
    memcpy(body + at, sign, strlen(sign));
    at += strlen(sign);
    memcpy(body + at, prefix, strlen(prefix));
    at += strlen(prefix);
    memset(body + at, '0', zeros);
    body[at + zeros] = 0;
    strcat(body, digits);
    percent_pad(b, ps, body, total, strlen(sign) + strlen(prefix), true);
    free(body);
    free(digits);
    return 0;
}

static int percent_float(Vm *vm, StrBuf *b, const PercentSpec *ps, char conv, Object *v) {
    double d;
    if (float_as_double(vm, v, &d) < 0) return -1;
    int prec = ps->prec < 0 ? 6 : (int)ps->prec; /* at most INT_MAX (percent_spec) */
    if (prec > 1000 && !mem_fits(vm, (double)prec + 400)) return -1;
    char *text = float_to_string(d, conv, prec, ps->alt ? FLOAT_ALT : 0);
    if (!text) { err_no_memory(vm); return -1; }
    const char *sign = text[0] == '-' ? "" : ps->plus ? "+" : ps->space ? " " : "";
    size_t len = strlen(sign) + strlen(text);
    char *body = malloc(len + 1);
    if (!body) { free(text); err_no_memory(vm); return -1; }
    strcpy(body, sign);
    strcat(body, text);
    bool finite = d == d && d - d == 0;
    percent_pad(b, ps, body, len, (text[0] == '-' || *sign) ? 1 : 0, finite);
    free(body);
    free(text);
    return 0;
}

static int percent_text(Vm *vm, StrBuf *b, const PercentSpec *ps, char conv, Object *v) {
    Object *s;
    if (conv == 's') s = obj_str(vm, v);
    else if (conv == 'r') s = obj_repr(vm, v);
    else {
        Object *r = obj_repr(vm, v);
        Object *q = r ? str_ascii_repr(vm, r) : NULL;
        s = q ? str_from_utf8(vm, str_cstr(q) + 1, str_byte_len(q) - 2) : NULL;
        XDECREF(vm, r);
        XDECREF(vm, q);
    }
    if (!s) return -1;
    size_t len = str_len(s), bytes = str_byte_len(s);
    if (ps->prec >= 0 && ps->prec < (int64_t)len) {
        len = (size_t)ps->prec;
        const char *p = str_cstr(s);
        for (size_t i = 0; i < len; i++) str_decode_utf8(&p);
        bytes = (size_t)(p - str_cstr(s));
    }
    char *body = malloc(bytes + 1);
    if (!body) { DECREF(vm, s); err_no_memory(vm); return -1; }
    memcpy(body, str_cstr(s), bytes);
    body[bytes] = 0;
    percent_pad(b, ps, body, len, 0, false);
    free(body);
    DECREF(vm, s);
    return 0;
}

static int percent_char(Vm *vm, StrBuf *b, const PercentSpec *ps, Object *v) {
    char buf[5];
    if (STR_CHECK(v)) {
        if (str_len(v) != 1) { err_format(vm, &TypeErrorType, "%%c requires int or char"); return -1; }
        snprintf(buf, sizeof buf, "%s", str_cstr(v));
    } else if (INT_CHECK(v)) {
        int64_t cp;
        if (int_as_i64(vm, v, &cp) < 0 || cp < 0 || cp > 0x10FFFF) {
            err_clear(vm);
            err_format(vm, &OverflowErrorType, "%%c arg not in range(0x110000)");
            return -1;
        }
        buf[str_encode_utf8((uint32_t)cp, buf)] = 0;
    } else {
        err_format(vm, &TypeErrorType, "%%c requires int or char");
        return -1;
    }
    percent_pad(b, ps, buf, 1, 0, false);
    return 0;
}

/* Takes the next positional argument (borrowed), or raises "not enough arguments". */
static Object *next_arg(Vm *vm, Object **items, size_t n, size_t *idx) {
    if (*idx >= n) return err_format(vm, &TypeErrorType, "not enough arguments for format string");
    return items[(*idx)++];
}

/* Reads a '*' or a decimal number for width/precision. */
static int percent_number(Vm *vm, const char **pp, Object **items, size_t n, size_t *idx, int64_t *out) {
    const char *p = *pp;
    if (*p == '*') {
        Object *v = next_arg(vm, items, n, idx);
        if (!v) return -1;
        if (!INT_CHECK(v)) { err_format(vm, &TypeErrorType, "* wants int"); return -1; }
        if (int_as_i64(vm, v, out) < 0) return -1;
        *pp = p + 1;
        return 1;
    }
    int64_t v = 0;
    int count = 0;
    while (*p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        count++;
        if (v > 1000000000) { err_format(vm, &ValueErrorType, "width too big"); return -1; }
    }
    *out = v;
    *pp = p;
    return count;
}

Object *format_percent(Vm *vm, Object *fmt, Object *args) {
    bool is_tuple = TYPE(args) == &TupleType || type_is_subtype(TYPE(args), &TupleType);
    Object **items = is_tuple ? ((TupleObject *)args)->items : &args;
    size_t n = is_tuple ? TUPLE_SIZE(args) : 1, idx = 0;
    Object *dict = NULL;
    if (!is_tuple && !STR_CHECK(args) && TYPE(args)->getitem) dict = args;
    const char *s = str_cstr(fmt), *end = s + str_byte_len(fmt), *start = s;
    StrBuf b;
    strbuf_init(&b);
    while (s < end) {
        if (*s != '%') {
            const char *q = memchr(s, '%', (size_t)(end - s));
            if (!q) q = end;
            strbuf_append(&b, s, (size_t)(q - s));
            s = q;
            continue;
        }
        s++;
        Object *v = NULL, *owned = NULL;
        if (s < end && *s == '(') {
            if (!dict) { err_format(vm, &TypeErrorType, "format requires a mapping"); goto fail; }
            const char *k = ++s;
            int level = 1;
            while (s < end && level) { if (*s == '(') level++; else if (*s == ')') level--; if (level) s++; }
            if (s >= end) { err_format(vm, &ValueErrorType, "incomplete format key"); goto fail; }
            Object *key = str_from_utf8(vm, k, (size_t)(s - k));
            s++;
            if (!key) goto fail;
            owned = v = obj_getitem(vm, dict, key);
            DECREF(vm, key);
            if (!v) goto fail;
        }
        PercentSpec ps = {false, false, false, false, false, -1, -1};
        for (;; s++) {
            if (*s == '-') ps.left = true;
            else if (*s == '+') ps.plus = true;
            else if (*s == ' ') ps.space = true;
            else if (*s == '#') ps.alt = true;
            else if (*s == '0') ps.zero = true;
            else break;
        }
        int got = percent_number(vm, &s, items, n, &idx, &ps.width);
        if (got < 0) { XDECREF(vm, owned); goto fail; }
        if (got == 0) ps.width = -1;
        if (ps.width < -1 || (got && ps.width < 0)) { ps.left = true; ps.width = -ps.width; }
        /* the padding is built in a C buffer: a width past the memory budget fails
         * at once (not after filling gigabytes) */
        if (ps.width > 1000 && !mem_fits(vm, (double)ps.width)) { XDECREF(vm, owned); goto fail; }
        if (s < end && *s == '.') {
            s++;
            if (percent_number(vm, &s, items, n, &idx, &ps.prec) < 0) { XDECREF(vm, owned); goto fail; }
            if (ps.prec > INT_MAX || ps.prec < INT_MIN) { /* a C int in CPython */
                XDECREF(vm, owned);
                err_format(vm, &OverflowErrorType, "Python int too large to convert to C int");
                goto fail;
            }
        }
        while (s < end && (*s == 'h' || *s == 'l' || *s == 'L')) s++;
        if (s >= end) { XDECREF(vm, owned); err_format(vm, &ValueErrorType, "incomplete format"); goto fail; }
        char conv = *s++;
        if (conv == '%') { strbuf_append_char(&b, '%'); XDECREF(vm, owned); continue; }
        if (!v && !(v = next_arg(vm, items, n, &idx))) goto fail;
        int rc;
        switch (conv) {
        case 's': case 'r': case 'a': rc = percent_text(vm, &b, &ps, conv, v); break;
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': rc = percent_int(vm, &b, &ps, conv, v); break;
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': rc = percent_float(vm, &b, &ps, conv, v); break;
        case 'c': rc = percent_char(vm, &b, &ps, v); break;
        default: {
            const char *cp = s - 1;
            uint32_t ch = str_decode_utf8(&cp);
            size_t at = 0;
            for (const char *q = start; q < s - 1; q++) if (((unsigned char)*q & 0xC0) != 0x80) at++;
            if (ch > 32 && ch < 127)
                err_format(vm, &ValueErrorType, "unsupported format character '%c' (0x%x) at index %zu", (int)ch, (unsigned)ch, at);
            else
                err_format(vm, &ValueErrorType, "unsupported format character '\\x%x' (0x%x) at index %zu", (unsigned)ch, (unsigned)ch, at);
            rc = -1;
        }
        }
        XDECREF(vm, owned);
        if (rc < 0) goto fail;
    }
    if (!dict && idx < n) {
        err_format(vm, &TypeErrorType, "not all arguments converted during string formatting");
        goto fail;
    }
    return strbuf_finish(vm, &b);
fail:
    strbuf_free(&b);
    return NULL;
}
