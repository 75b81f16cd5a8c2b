/* float.c — the float type: IEEE doubles with CPython 3.11's semantics.
 *
 * Owns the decimal digits of a double (exact, made here rather than by printf: the
 * wasm build has no float printf, issue #4's size budget), the shortest round-trip
 * repr (the fewest correctly rounded digits that read back, laid out as CPython's
 * format_float_short), hash, float(str), round(), the arithmetic with Python's // % **
 * rules, and float.__format__.
 */
#include "float.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "format.h"
#include "int.h"
#include "str.h"
#include "tuple.h"

Object *float_from_double(Vm *vm, double d) {
    FloatObject *f = (FloatObject *)obj_alloc(vm, &FloatType, sizeof(FloatObject));
    if (!f) return NULL;
    f->value = d;
    return (Object *)f;
}

static Object *float_new_of_type(Vm *vm, Type *type, double d) {
    if (type == &FloatType) return float_from_double(vm, d);
    FloatObject *f = (FloatObject *)obj_alloc(vm, type, type->basicsize);
    if (!f) return NULL;
    f->value = d;
    return (Object *)f;
}

/* Calls type(o).name(o) if the type defines it; *found reports whether it does. */
static Object *call_special(Vm *vm, Object *o, const char *name, bool *found) {
    Object *n = str_intern_cstr(vm, name);
    if (!n) return NULL;
    Object *f = type_lookup(TYPE(o), n);
    DECREF(vm, n);
    *found = f != NULL;
    return f ? obj_call_args(vm, f, 1, o) : NULL;
}

int float_as_double(Vm *vm, Object *o, double *out) {
    if (FLOAT_CHECK(o)) { *out = ((FloatObject *)o)->value; return 0; }
    if (INT_CHECK(o)) return int_to_double(vm, o, out);
    bool found;
    Object *r = call_special(vm, o, "__float__", &found);
    if (found) {
        if (!r) return -1;
        if (!FLOAT_CHECK(r)) {
            err_format(vm, &TypeErrorType, "%T.__float__ returned non-float (type %T)", o, r);
            DECREF(vm, r);
            return -1;
        }
        *out = ((FloatObject *)r)->value;
        DECREF(vm, r);
        return 0;
    }
    r = call_special(vm, o, "__index__", &found);
    if (found) {
        if (!r) return -1;
        int rc = INT_CHECK(r) ? int_to_double(vm, r, out) : -1;
        if (rc < 0 && !vm->exc)
            err_format(vm, &TypeErrorType, "__index__ returned non-int (type %T)", r);
        DECREF(vm, r);
        return rc;
    }
    err_format(vm, &TypeErrorType, "must be real number, not %T", o);
    return -1;
}

/* ---- digit generation (exact, as correctly rounded printf / David Gay's dtoa) ---- */

/* The exact decimal expansion of finite d > 0: writes its digits, without leading or
 * trailing zeros, to [out] (room for 800) and returns how many; d = 0.DIGITS *
 * 10**decpt. d = m * 2**e with integer m, so the digits are those of m * 2**e (e >= 0)
 * or of m * 5**-e shifted -e places (e < 0): at most 767 of them (m odd). */
static int exact_digits(double d, char *out, int *decpt) {
    int e;
    uint64_t m = (uint64_t)ldexp(frexp(d, &e), 53);
    for (e -= 53; !(m & 1); m >>= 1) e++; /* odd m: no trailing zeros to make room for */
    uint32_t limb[90]; /* base 10**9, least significant first */
    int n = 0, len = 0;
    for (; m; m /= 1000000000) limb[n++] = (uint32_t)(m % 1000000000);
    for (int left = e < 0 ? -e : e; left > 0; left -= 12) {
        uint64_t mul = 1, carry = 0;
        for (int i = 0; i < 12 && i < left; i++) mul *= e < 0 ? 5 : 2;
        for (int i = 0; i < n; i++) {
            carry += limb[i] * mul;
            limb[i] = (uint32_t)(carry % 1000000000);
            carry /= 1000000000;
        }
        if (carry) limb[n++] = (uint32_t)carry;
    }
    for (int i = n - 1; i >= 0; i--) {
        char nine[10];
        for (int j = 8; j >= 0; j--, limb[i] /= 10) nine[j] = (char)('0' + limb[i] % 10);
        int j = 0;
        if (i == n - 1) while (nine[j] == '0') j++;
        memcpy(out + len, nine + j, (size_t)(9 - j));
        len += 9 - j;
    }
    *decpt = len + (e < 0 ? e : 0);
    while (out[len - 1] == '0') len--;
    return len;
}

/* Rounds the [n] digits (no trailing zeros) to their first [keep], half to even on
 * the exact value; returns the new count (trailing zeros dropped; 0 when the value
 * rounds to zero) and bumps *decpt when the carry adds a digit (999 -> 1). */
static int round_digits(char *dig, int n, int keep, int *decpt) {
    if (keep >= n) return n;
    if (keep < 0) return 0;
    bool up = dig[keep] > '5' || (dig[keep] == '5' &&
              (n > keep + 1 || (keep > 0 && (dig[keep - 1] - '0') % 2)));
    n = keep;
    if (up) {
        while (n > 0 && dig[n - 1] == '9') n--;
        if (n == 0) { dig[n++] = '1'; ++*decpt; }
        else dig[n - 1]++;
    }
    while (n > 0 && dig[n - 1] == '0') n--;
    return n;
}

/* strtod of 0.DIGITS[0..n) * 10**decpt; writes the exponent after the digits (room
 * for 8 more characters). */
static double digits_value(char *dig, int n, int decpt) {
    if (n == 0) return 0.0;
    snprintf(dig + n, 8, "e%d", decpt - n);
    return strtod(dig, NULL);
}

/* Produces the decimal digits of finite d >= 0 without trailing zeros, and the decimal
 * point position: d = 0.DIGITS * 10**decpt. Mode 0: shortest round-trip (the fewest
 * significant digits, correctly rounded, that read back as d); mode 2: [ndigits]
 * significant digits; mode 3: [ndigits] digits after the point. Zero gives "0" with
 * decpt 1. Returns a malloc'd string. */
static char *float_digits(double d, int mode, int ndigits, int *decpt) {
    char *out = malloc(800), trial[32];
    if (!out) return NULL;
    *decpt = 1;
    int n = d == 0.0 ? 0 : exact_digits(d, out, decpt);
    if (mode == 0) {
        int p = 1, e;
        for (; p < n && p < 17; p++) {
            memcpy(trial, out, (size_t)p + 1);
            e = *decpt;
            int k = round_digits(trial, n, p, &e);
            if (digits_value(trial, k, e) == d) break;
        }
        n = round_digits(out, n, p, decpt);
    } else {
        n = round_digits(out, n, mode == 2 ? (ndigits < 1 ? 1 : ndigits) : *decpt + ndigits, decpt);
    }
    if (n == 0) { out[n++] = '0'; *decpt = 1; }
    out[n] = 0;
    return out;
}

/* CPython's format_float_short: lays out digits for e/f/g/r. */
char *float_to_string(double d, char code, int precision, int flags) {
    bool upper = code == 'E' || code == 'F' || code == 'G';
    char lc = upper ? (char)(code + 32) : code;
    bool neg = signbit(d) != 0;
    if (isnan(d) || isinf(d)) {
        const char *t = isnan(d) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
        char *s = malloc(8);
        if (s) snprintf(s, 8, "%s%s", neg && !isnan(d) ? "-" : "", t);
        return s;
    }
    d = fabs(d);
    int mode = 0;
    if (lc == 'e') { mode = 2; precision++; }
    else if (lc == 'f') mode = 3;
    else if (lc == 'g') { mode = 2; if (precision == 0) precision = 1; }
    else precision = 0;
    int decpt;
    char *digits = float_digits(d, mode, precision, &decpt);
    if (!digits) return NULL;
    int digits_len = (int)strlen(digits), vdigits_end = digits_len;
    bool add_dot_0 = flags & FLOAT_ADD_DOT_0, alt = flags & FLOAT_ALT, use_exp = false;
    if (lc == 'e') { use_exp = true; vdigits_end = precision; }
    else if (lc == 'f') vdigits_end = decpt + precision;
    else if (lc == 'g') {
        if (decpt <= -4 || decpt > (add_dot_0 ? precision - 1 : precision)) use_exp = true;
        if (alt) vdigits_end = precision;
    } else if (decpt <= -4 || decpt > 16) use_exp = true;
    int exp = 0;
    if (use_exp) { exp = decpt - 1; decpt = 1; }
    int vdigits_start = decpt <= 0 ? decpt - 1 : 0;
    if (!use_exp && add_dot_0) vdigits_end = vdigits_end > decpt ? vdigits_end : decpt + 1;
    else vdigits_end = vdigits_end > decpt ? vdigits_end : decpt;
    size_t cap = (size_t)(vdigits_end - vdigits_start) + (size_t)digits_len + 16;
    char *buf = malloc(cap), *p = buf;
    if (!buf) { free(digits); return NULL; }
    if (neg) *p++ = '-';
    if (decpt <= 0) {
        memset(p, '0', (size_t)(decpt - vdigits_start)); p += decpt - vdigits_start;
        *p++ = '.';
        memset(p, '0', (size_t)-decpt); p += -decpt;
    } else {
        memset(p, '0', (size_t)-vdigits_start); p += -vdigits_start;
    }
    if (0 < decpt && decpt <= digits_len) {
        memcpy(p, digits, (size_t)decpt); p += decpt;
        *p++ = '.';
        memcpy(p, digits + decpt, (size_t)(digits_len - decpt)); p += digits_len - decpt;
    } else {
        memcpy(p, digits, (size_t)digits_len); p += digits_len;
    }
    if (digits_len < decpt) {
        memset(p, '0', (size_t)(decpt - digits_len)); p += decpt - digits_len;
        *p++ = '.';
        memset(p, '0', (size_t)(vdigits_end - decpt)); p += vdigits_end - decpt;
    } else {
        memset(p, '0', (size_t)(vdigits_end - digits_len)); p += vdigits_end - digits_len;
    }
    if (p[-1] == '.' && !alt) p--;
    if (use_exp) p += snprintf(p, 8, "%c%+.02d", upper ? 'E' : 'e', exp);
    *p = 0;
    free(digits);
    return buf;
}

char *float_repr_cstr(double d, char buf[32]) {
    char *s = float_to_string(d, 'r', 0, FLOAT_ADD_DOT_0);
    snprintf(buf, 32, "%s", s ? s : "?");
    free(s);
    return buf;
}

/* ---- hash ---- */

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)
#define HASH_INF 314159

Hash float_hash_value(double v) {
    if (isinf(v)) return v > 0 ? HASH_INF : -HASH_INF;
    if (isnan(v)) return 0;
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) { sign = -1; m = -m; }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    int64_t r = (int64_t)x * sign;
    if (r == -1) r = -2;
    return (Hash)r;
}

/* ---- float(str) ---- */

static bool ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Parses Python float syntax in [p, end) (no surrounding space); false if invalid. */
static bool parse_float_text(const char *p, const char *end, double *out) {
    size_t n = (size_t)(end - p);
    char *clean = malloc(n + 1);
    if (!clean) return false;
    size_t k = 0;
    const char *s = p;
    bool neg = false;
    if (s < end && (*s == '+' || *s == '-')) neg = *s++ == '-';
    size_t rest = (size_t)(end - s);
    char low[10] = {0};
    for (size_t i = 0; i < rest && i < 9; i++) low[i] = (char)tolower((unsigned char)s[i]);
    if ((rest == 3 && !strcmp(low, "inf")) || (rest == 8 && !strcmp(low, "infinity"))) {
        free(clean);
        *out = neg ? -INFINITY : INFINITY;
        return true;
    }
    if (rest == 3 && !strcmp(low, "nan")) {
        free(clean);
        *out = neg ? -NAN : NAN;
        return true;
    }
    /* digits [. digits] [e [sign] digits], underscores only between digits */
    int ndig = 0;
    bool ok = true;
    char prev = 0;
    for (const char *q = s; q < end && ok; q++) {
        char c = *q;
        if (c >= '0' && c <= '9') { clean[k++] = c; ndig++; }
        else if (c == '_') ok = prev >= '0' && prev <= '9' && q + 1 < end && q[1] >= '0' && q[1] <= '9';
        else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') clean[k++] = c;
        else ok = false;
        prev = c;
    }
    clean[k] = 0;
    if (ok && ndig) {
        /* Validate the shape strictly (strtod would also accept hex and partial input). */
        const char *q = clean;
        int mant = 0;
        while (*q >= '0' && *q <= '9') { q++; mant++; }
        if (*q == '.') { q++; while (*q >= '0' && *q <= '9') { q++; mant++; } }
        if (!mant) ok = false;
        if (ok && (*q == 'e' || *q == 'E')) {
            q++;
            if (*q == '+' || *q == '-') q++;
            if (!(*q >= '0' && *q <= '9')) ok = false;
            while (*q >= '0' && *q <= '9') q++;
        }
        if (*q) ok = false;
    } else {
        ok = false;
    }
    if (ok) {
        double d = strtod(clean, NULL);
        *out = neg ? -d : d;
    }
    free(clean);
    return ok;
}

Object *float_from_str(Vm *vm, Object *s) {
    const char *p = str_cstr(s), *end = p + str_byte_len(s);
    while (p < end && ascii_space(*p)) p++;
    while (end > p && ascii_space(end[-1])) end--;
    double d;
    if (!parse_float_text(p, end, &d))
        return err_format(vm, &ValueErrorType, "could not convert string to float: %R", s);
    return float_from_double(vm, d);
}

/* ---- arithmetic ---- */

int float_divmod(Vm *vm, double vx, double wx, double *floordiv, double *modp) {
    double mod = fmod(vx, wx), div = (vx - mod) / wx;
    if (mod) {
        if ((wx < 0) != (mod < 0)) { mod += wx; div -= 1.0; }
    } else {
        mod = copysign(0.0, wx);
    }
    double fd;
    if (div) {
        fd = floor(div);
        if (div - fd > 0.5) fd += 1.0;
    } else {
        fd = copysign(0.0, vx / wx);
    }
    if (floordiv) *floordiv = fd;
    if (modp) *modp = mod;
    return 0;
}

static Object *float_overflow_errno(Vm *vm) {
    Object *code = int_from_i64(vm, 34), *msg = str_from_cstr(vm, "Numerical result out of range");
    Object *exc = code && msg ? obj_call_args(vm, (Object *)&OverflowErrorType, 2, code, msg) : NULL;
    XDECREF(vm, code);
    XDECREF(vm, msg);
    if (exc) { err_set_object(vm, exc); DECREF(vm, exc); }
    return NULL;
}

static bool is_odd_integer(double w) { return fmod(fabs(w), 2.0) == 1.0; }

static Object *float_pow_impl(Vm *vm, double iv, double iw) {
    if (iw == 0) return float_from_double(vm, 1.0);
    if (isnan(iv)) return float_from_double(vm, iv);
    if (isnan(iw)) return float_from_double(vm, iv == 1.0 ? 1.0 : iw);
    if (isinf(iw)) {
        iv = fabs(iv);
        if (iv == 1.0) return float_from_double(vm, 1.0);
        return float_from_double(vm, (iw > 0.0) == (iv > 1.0) ? fabs(iw) : 0.0);
    }
    bool odd = is_odd_integer(iw);
    if (isinf(iv)) {
        if (iw > 0.0) return float_from_double(vm, odd ? iv : fabs(iv));
        return float_from_double(vm, odd ? copysign(0.0, iv) : 0.0);
    }
    if (iv == 0.0) {
        if (iw < 0.0)
            return err_format(vm, &ZeroDivisionErrorType, "0.0 cannot be raised to a negative power");
        return float_from_double(vm, odd ? iv : 0.0);
    }
    bool negate = false;
    if (iv < 0.0) {
        if (iw != floor(iw)) return err_unsupported(vm, "complex numbers");
        iv = -iv;
        negate = odd;
    }
    if (iv == 1.0) return float_from_double(vm, negate ? -1.0 : 1.0);
    double ix = float_pow(iv, iw);
    if (isinf(ix)) return float_overflow_errno(vm);
    return float_from_double(vm, negate ? -ix : ix);
}

/* Converts a binop operand (float or int) to double; false if neither. */
static int operand(Vm *vm, Object *o, double *out) {
    if (FLOAT_CHECK(o)) { *out = ((FloatObject *)o)->value; return 1; }
    if (INT_CHECK(o)) return int_to_double(vm, o, out) < 0 ? -1 : 1;
    return 0;
}

static Object *float_binop(Vm *vm, Object *a, Object *b, int op) {
    if (op >= BINOP_INPLACE) op -= BINOP_INPLACE;
    if (!FLOAT_CHECK(a) && !FLOAT_CHECK(b)) return NEWREF(vm->not_implemented);
    double x, y, r;
    int ka = operand(vm, a, &x);
    if (ka < 0) return NULL;
    int kb = ka ? operand(vm, b, &y) : 0;
    if (kb < 0) return NULL;
    if (!ka || !kb) return NEWREF(vm->not_implemented);
    switch (op) {
    case BINOP_ADD: return float_from_double(vm, x + y);
    case BINOP_SUB: return float_from_double(vm, x - y);
    case BINOP_MUL: return float_from_double(vm, x * y);
    case BINOP_TRUEDIV:
        if (y == 0.0) return err_format(vm, &ZeroDivisionErrorType, "float division by zero");
        return float_from_double(vm, x / y);
    case BINOP_FLOORDIV:
        if (y == 0.0) return err_format(vm, &ZeroDivisionErrorType, "float floor division by zero");
        float_divmod(vm, x, y, &r, NULL);
        return float_from_double(vm, r);
    case BINOP_MOD:
        if (y == 0.0) return err_format(vm, &ZeroDivisionErrorType, "float modulo");
        float_divmod(vm, x, y, NULL, &r);
        return float_from_double(vm, r);
    case BINOP_POW: return float_pow_impl(vm, x, y);
    default: return NEWREF(vm->not_implemented);
    }
}

static Object *float_unop(Vm *vm, Object *self, int op) {
    double v = ((FloatObject *)self)->value;
    switch (op) {
    case UNOP_NEG: return float_from_double(vm, -v);
    case UNOP_POS: return float_from_double(vm, v);
    case UNOP_NOT: return bool_from(vm, v == 0.0);
    default: return err_format(vm, &TypeErrorType, "bad operand type for unary ~: 'float'");
    }
}

static Object *float_richcompare(Vm *vm, Object *a, Object *b, int op) {
    double x, y;
    if (!FLOAT_CHECK(a)) return NEWREF(vm->not_implemented);
    x = ((FloatObject *)a)->value;
    int c;
    if (FLOAT_CHECK(b)) {
        y = ((FloatObject *)b)->value;
        if (isnan(x) || isnan(y)) c = 2;
        else c = x < y ? -1 : x > y;
    } else if (INT_CHECK(b)) {
        c = int_compare_double(vm, b, x);
        if (c != 2) c = -c;
    } else {
        return NEWREF(vm->not_implemented);
    }
    if (c == 2) return bool_from(vm, op == CMP_NE);
    return bool_from(vm, cmp_holds(op, c));
}

/* ---- rounding ---- */

static Object *float_round(Vm *vm, double x, Object *ndigits) {
    if (!ndigits || IS_NONE(vm, ndigits)) {
        /* halves to even: the default rounding mode's nearest (wasm's f64.nearest) */
        return int_from_double(vm, nearbyint(x));
    }
    Object *nd = int_index(vm, ndigits);
    if (!nd) return NULL;
    int64_t n;
    bool big = int_as_i64(vm, nd, &n) < 0;
    if (big) { err_clear(vm); n = int_sign(nd) < 0 ? INT64_MIN : INT64_MAX; }
    DECREF(vm, nd);
    return float_round_ndigits(vm, x, n);
}

Object *float_round_ndigits(Vm *vm, double x, int64_t n) {
    if (!isfinite(x) || x == 0.0 || n > 323) return float_from_double(vm, x);
    if (n < -308) return float_from_double(vm, 0.0 * x);
    char dig[800];
    int decpt, len = exact_digits(fabs(x), dig, &decpt);
    len = round_digits(dig, len, decpt + (int)n, &decpt);
    double r = digits_value(dig, len, decpt);
    if (isinf(r)) return err_format(vm, &OverflowErrorType, "rounded value too large to represent");
    return float_from_double(vm, copysign(r, x));
}

/* ---- pow ---- */

#ifdef __EMSCRIPTEN__
/* Double-double arithmetic (a value is hi + lo, |lo| <= ulp(hi)/2; about 106 bits),
 * with Dekker's exact product: wasm has no fused multiply-add. */
typedef struct { double hi, lo; } DD;

static DD dd_norm(double hi, double lo) {
    double s = hi + lo;
    return (DD){s, lo - (s - hi)};
}

static __attribute__((noinline)) DD dd_mul(DD a, DD b) {
    const double split = 134217729.0; /* 2**27 + 1 */
    double p = a.hi * b.hi;
    double ta = split * a.hi, ah = ta - (ta - a.hi), al = a.hi - ah;
    double tb = split * b.hi, bh = tb - (tb - b.hi), bl = b.hi - bh;
    double e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    return dd_norm(p, e + (a.hi * b.lo + a.lo * b.hi));
}
#endif

/* CPython's pow is glibc's, off the correctly rounded result in about one case in a
 * thousand (0.52 ulp at most); the native build uses it as it is. The wasm build links
 * Emscripten's size-optimised pow (-Oz), off by an ulp in about one case in ten
 * (1.05 ** 10, 10 ** -5; musl's accurate pow needs 4 KB of tables): there, x ** n for
 * an integral |n| < 2**31 is computed in double-double by repeated squaring and
 * rounded once, which agrees with glibc but for those one-in-a-thousand near-ties.
 * Results near the ends of the double range (the double-double loses bits) go to
 * libm. */
double float_pow(double x, double y) {
#ifndef __EMSCRIPTEN__
    return pow(x, y);
#else
    double ay = fabs(y);
    if (!isfinite(x) || x == 0.0 || y != floor(y) || ay >= 2147483648.0 || ay < 2.0) return pow(x, y);
    double m = fabs(x);
    DD r = {1.0, 0.0}, b = {m, 0.0};
    for (uint32_t n = (uint32_t)ay;;) {
        if (n & 1) r = dd_mul(r, b);
        n >>= 1;
        if (!n) break;
        b = dd_mul(b, b);
        if (!(b.hi < 0x1p900 && b.hi > 0x1p-900)) return pow(x, y);
    }
    if (!(r.hi < 0x1p900 && r.hi > 0x1p-900)) return pow(x, y);
    double v = r.hi;
    if (y < 0) { /* 1 / r, with the remainder of the first quotient */
        double q = 1.0 / r.hi;
        DD t = dd_mul((DD){q, 0.0}, r);
        v = q + ((1.0 - t.hi) - t.lo) / r.hi;
    }
    bool odd = fmod(ay, 2.0) == 1.0;
    return x < 0 && odd ? -v : v;
#endif
}

/* ---- __format__ ---- */

Object *float_format(Vm *vm, double d, Object *spec) {
    if (!spec || str_len(spec) == 0) {
        char buf[32];
        return str_from_cstr(vm, float_repr_cstr(d, buf));
    }
    FormatSpec fs;
    if (format_parse_spec(vm, spec, 0, '>', "float", &fs) < 0) return NULL;
    char type = fs.type;
    if (fs.precision > INT_MAX) return err_format(vm, &ValueErrorType, "precision too big");
    /* The text is about as long as the precision (plus 309 digits at most before the
     * point): a huge one is a MemoryError, not an allocation past the budget. */
    if (fs.precision > 1000 && !mem_fits(vm, (double)fs.precision + 400)) return NULL;
    int flags = fs.alternate ? FLOAT_ALT : 0, prec = (int)fs.precision;
    bool percent = false;
    switch (type) {
    case 0: flags |= FLOAT_ADD_DOT_0; type = prec < 0 ? 'r' : 'g'; break;
    case 'n': type = 'g'; break;
    case '%': type = 'f'; percent = true; d *= 100; break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': break;
    default: return format_unknown_code(vm, type, "float");
    }
    if (prec < 0) prec = 6;
    char *text = float_to_string(d, type, prec, flags);
    if (!text) return err_no_memory(vm);
    bool neg = text[0] == '-';
    char *body = text + neg;
    if (neg && fs.no_neg_zero) {
        bool zero = true;
        for (char *c = body; *c && *c != 'e' && *c != 'E'; c++)
            if (*c >= '1' && *c <= '9') zero = false;
        if (zero && !isnan(d)) neg = false;
    }
    /* Split into the integer digits (grouped) and the rest. */
    size_t intlen = strspn(body, "0123456789");
    size_t restlen = strlen(body + intlen);
    char *intpart = malloc(intlen + 1), *rest = malloc(restlen + 2);
    if (!intpart || !rest) { free(text); free(intpart); free(rest); return err_no_memory(vm); }
    memcpy(intpart, body, intlen);
    intpart[intlen] = 0;
    memcpy(rest, body + intlen, restlen + 1);
    if (percent) strcat(rest, "%");
    Object *r;
    if (intlen == 0) { /* inf / nan: no grouping, no zero padding with digits */
        r = format_number(vm, &fs, neg, "", "", rest);
    } else {
        r = format_number(vm, &fs, neg, "", intpart, rest);
    }
    free(text);
    free(intpart);
    free(rest);
    return r;
}

/* ---- type slots ---- */

static Object *float_repr(Vm *vm, Object *self) {
    char buf[32];
    return str_from_cstr(vm, float_repr_cstr(((FloatObject *)self)->value, buf));
}

static Hash float_hash(Vm *vm, Object *self) {
    double v = ((FloatObject *)self)->value;
    if (isnan(v)) return (Hash)self->id;
    return float_hash_value(v);
}

static int float_is_true(Vm *vm, Object *self) { return ((FloatObject *)self)->value != 0.0; }

static void float_dealloc(Vm *vm, Object *self) { obj_free(vm, self); }

static Object *float_new_impl(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames) {
    if (args_nkw(kwnames)) return err_format(vm, &TypeErrorType, "float() takes no keyword arguments");
    if (nargs > 1) return err_format(vm, &TypeErrorType, "float expected at most 1 argument, got %zu", nargs);
    double d = 0.0;
    if (nargs == 1) {
        Object *x = args[0];
        if (STR_CHECK(x)) {
            Object *f = float_from_str(vm, x);
            if (!f) return NULL;
            d = ((FloatObject *)f)->value;
            DECREF(vm, f);
        } else if (!FLOAT_CHECK(x) && !INT_CHECK(x)) {
            bool has = false;
            Object *n1 = str_intern_cstr(vm, "__float__"), *n2 = str_intern_cstr(vm, "__index__");
            has = (n1 && type_lookup(TYPE(x), n1)) || (n2 && type_lookup(TYPE(x), n2));
            XDECREF(vm, n1);
            XDECREF(vm, n2);
            if (!has)
                return err_format(vm, &TypeErrorType,
                                  "float() argument must be a string or a real number, not '%T'", x);
            if (float_as_double(vm, x, &d) < 0) return NULL;
        } else if (float_as_double(vm, x, &d) < 0) {
            return NULL;
        }
    }
    return float_new_of_type(vm, type, d);
}

static Object *float_getattr(Vm *vm, Object *self, Object *name) {
    if (str_eq_cstr(name, "real")) return float_from_double(vm, ((FloatObject *)self)->value);
    if (str_eq_cstr(name, "imag")) return float_from_double(vm, 0.0);
    return obj_generic_getattr(vm, self, name);
}

/* ---- methods ---- */

#define VALUE(o) (((FloatObject *)(o))->value)

static Object *m_is_integer(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "is_integer", nargs, kw, 0, 0) < 0) return NULL;
    double v = VALUE(self);
    return bool_from(vm, isfinite(v) && v == floor(v));
}

static Object *m_as_integer_ratio(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "as_integer_ratio", nargs, kw, 0, 0) < 0) return NULL;
    double v = VALUE(self);
    if (isinf(v)) return err_format(vm, &OverflowErrorType, "cannot convert Infinity to integer ratio");
    if (isnan(v)) return err_format(vm, &ValueErrorType, "cannot convert NaN to integer ratio");
    int e;
    double m = frexp(v, &e);
    for (int i = 0; i < 300 && m != floor(m); i++) { m *= 2.0; e--; }
    Object *num = int_from_double(vm, m), *den = int_from_i64(vm, 1), *sh = int_from_i64(vm, e < 0 ? -e : e);
    Object *res = NULL;
    if (num && den && sh) {
        Object *two = int_from_i64(vm, 2);
        Object *p = int_pow(vm, two, sh, NULL);
        DECREF(vm, two);
        if (p) {
            if (e > 0) SETREF(vm, num, int_mul(vm, num, p));
            else { SETREF(vm, den, p); p = NULL; }
            XDECREF(vm, p);
            if (num && den) res = tuple_pack(vm, 2, num, den);
        }
    }
    XDECREF(vm, num);
    XDECREF(vm, den);
    XDECREF(vm, sh);
    return res;
}

static Object *m_conjugate(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return float_from_double(vm, VALUE(self));
}

static Object *m_format(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "__format__", nargs, kw, 1, 1) < 0) return NULL;
    if (!STR_CHECK(args[0]))
        return err_format(vm, &TypeErrorType, "__format__() argument must be str, not %T", args[0]);
    return float_format(vm, VALUE(self), args[0]);
}

static Object *m_round(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "__round__", nargs, kw, 0, 1) < 0) return NULL;
    return float_round(vm, VALUE(self), nargs ? args[0] : NULL);
}

static Object *m_trunc(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return int_from_double(vm, VALUE(self));
}
static Object *m_floor(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return int_from_double(vm, floor(VALUE(self)));
}
static Object *m_ceil(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return int_from_double(vm, ceil(VALUE(self)));
}
static Object *m_float(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return float_from_double(vm, VALUE(self));
}
static Object *m_neg(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return float_from_double(vm, -VALUE(self));
}
static Object *m_abs(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return float_from_double(vm, fabs(VALUE(self)));
}
static Object *m_bool(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return bool_from(vm, VALUE(self) != 0.0);
}
static Object *m_repr(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return float_repr(vm, self);
}
static Object *m_hash(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return int_from_i64(vm, float_hash(vm, self));
}
static Object *m_getnewargs(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    Object *f = float_from_double(vm, VALUE(self));
    Object *t = f ? tuple_pack(vm, 1, f) : NULL;
    XDECREF(vm, f);
    return t;
}

static Object *m_divmod(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "__divmod__", nargs, kw, 1, 1) < 0) return NULL;
    double x = VALUE(self), y, q, r;
    int k = operand(vm, args[0], &y);
    if (k <= 0) return k < 0 ? NULL : NEWREF(vm->not_implemented);
    if (y == 0.0) return err_format(vm, &ZeroDivisionErrorType, "float divmod()");
    float_divmod(vm, x, y, &q, &r);
    Object *a = float_from_double(vm, q), *b = float_from_double(vm, r);
    Object *t = a && b ? tuple_pack(vm, 2, a, b) : NULL;
    XDECREF(vm, a);
    XDECREF(vm, b);
    return t;
}

static Object *m_rdivmod(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "__rdivmod__", nargs, kw, 1, 1) < 0) return NULL;
    double y = VALUE(self), x, q, r;
    int k = operand(vm, args[0], &x);
    if (k <= 0) return k < 0 ? NULL : NEWREF(vm->not_implemented);
    if (y == 0.0) return err_format(vm, &ZeroDivisionErrorType, "float divmod()");
    float_divmod(vm, x, y, &q, &r);
    Object *a = float_from_double(vm, q), *b = float_from_double(vm, r);
    Object *t = a && b ? tuple_pack(vm, 2, a, b) : NULL;
    XDECREF(vm, a);
    XDECREF(vm, b);
    return t;
}

#define FLOAT_BINOP_METHOD(fname, op, reflected) \
    static Object *fname(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) { \
        if (args_check(vm, #fname, nargs, kw, 1, 1) < 0) return NULL; \
        return reflected ? float_binop(vm, args[0], self, op) : float_binop(vm, self, args[0], op); \
    }
FLOAT_BINOP_METHOD(m_add, BINOP_ADD, 0)
FLOAT_BINOP_METHOD(m_radd, BINOP_ADD, 1)
FLOAT_BINOP_METHOD(m_sub, BINOP_SUB, 0)
FLOAT_BINOP_METHOD(m_rsub, BINOP_SUB, 1)
FLOAT_BINOP_METHOD(m_mul, BINOP_MUL, 0)
FLOAT_BINOP_METHOD(m_rmul, BINOP_MUL, 1)
FLOAT_BINOP_METHOD(m_truediv, BINOP_TRUEDIV, 0)
FLOAT_BINOP_METHOD(m_rtruediv, BINOP_TRUEDIV, 1)
FLOAT_BINOP_METHOD(m_floordiv, BINOP_FLOORDIV, 0)
FLOAT_BINOP_METHOD(m_rfloordiv, BINOP_FLOORDIV, 1)
FLOAT_BINOP_METHOD(m_mod, BINOP_MOD, 0)
FLOAT_BINOP_METHOD(m_rmod, BINOP_MOD, 1)
FLOAT_BINOP_METHOD(m_pow, BINOP_POW, 0)
FLOAT_BINOP_METHOD(m_rpow, BINOP_POW, 1)

#define FLOAT_CMP_METHOD(fname, op) \
    static Object *fname(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) { \
        if (args_check(vm, #fname, nargs, kw, 1, 1) < 0) return NULL; \
        return float_richcompare(vm, self, args[0], op); \
    }
FLOAT_CMP_METHOD(m_lt, CMP_LT)
FLOAT_CMP_METHOD(m_le, CMP_LE)
FLOAT_CMP_METHOD(m_eq, CMP_EQ)
FLOAT_CMP_METHOD(m_ne, CMP_NE)
FLOAT_CMP_METHOD(m_gt, CMP_GT)
FLOAT_CMP_METHOD(m_ge, CMP_GE)

static const MethodDef float_methods[] = {
    {"is_integer", m_is_integer, METH_INSTANCE},
    {"as_integer_ratio", m_as_integer_ratio, METH_INSTANCE},
    {"conjugate", m_conjugate, METH_INSTANCE},
    {"__format__", m_format, METH_INSTANCE},
    {"__round__", m_round, METH_INSTANCE},
    {"__trunc__", m_trunc, METH_INSTANCE},
    {"__int__", m_trunc, METH_INSTANCE},
    {"__floor__", m_floor, METH_INSTANCE},
    {"__ceil__", m_ceil, METH_INSTANCE},
    {"__float__", m_float, METH_INSTANCE},
    {"__pos__", m_float, METH_INSTANCE},
    {"__neg__", m_neg, METH_INSTANCE},
    {"__abs__", m_abs, METH_INSTANCE},
    {"__bool__", m_bool, METH_INSTANCE},
    {"__repr__", m_repr, METH_INSTANCE},
    {"__hash__", m_hash, METH_INSTANCE},
    {"__getnewargs__", m_getnewargs, METH_INSTANCE},
    {"__divmod__", m_divmod, METH_INSTANCE},
    {"__rdivmod__", m_rdivmod, METH_INSTANCE},
    {"__add__", m_add, METH_INSTANCE},
    {"__radd__", m_radd, METH_INSTANCE},
    {"__sub__", m_sub, METH_INSTANCE},
    {"__rsub__", m_rsub, METH_INSTANCE},
    {"__mul__", m_mul, METH_INSTANCE},
    {"__rmul__", m_rmul, METH_INSTANCE},
    {"__truediv__", m_truediv, METH_INSTANCE},
    {"__rtruediv__", m_rtruediv, METH_INSTANCE},
    {"__floordiv__", m_floordiv, METH_INSTANCE},
    {"__rfloordiv__", m_rfloordiv, METH_INSTANCE},
    {"__mod__", m_mod, METH_INSTANCE},
    {"__rmod__", m_rmod, METH_INSTANCE},
    {"__pow__", m_pow, METH_INSTANCE},
    {"__rpow__", m_rpow, METH_INSTANCE},
    {"__lt__", m_lt, METH_INSTANCE},
    {"__le__", m_le, METH_INSTANCE},
    {"__eq__", m_eq, METH_INSTANCE},
    {"__ne__", m_ne, METH_INSTANCE},
    {"__gt__", m_gt, METH_INSTANCE},
    {"__ge__", m_ge, METH_INSTANCE},
    {NULL}
};

Type FloatType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC},
    .name = "float",
    .basicsize = sizeof(FloatObject),
    .modelled_size = 24,
    .tflags = TP_BASETYPE,
    .base = &ObjectType,
    .methods = float_methods,
    .dealloc = float_dealloc,
    .repr = float_repr,
    .str = float_repr,
    .hash = float_hash,
    .richcompare = float_richcompare,
    .binop = float_binop,
    .unop = float_unop,
    .is_true = float_is_true,
    .getattr = float_getattr,
    .new_ = float_new_impl,
};
