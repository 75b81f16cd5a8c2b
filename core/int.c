/* int.c — the int and bool types: arbitrary precision integers.
 *
 * Values that fit in int64 live in IntObject.small (the fast path); larger values use
 * sign-magnitude base-2**32 digits stored inline after the object. Every result goes
 * through int_from_mag / int_from_i64, which normalise and apply the small-int cache.
 */
#include "int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "float.h"
#include "format.h"
#include "str.h"
#include "tuple.h"

#define DIGIT_BITS 32
#define BASE ((uint64_t)1 << 32)

/* ---- magnitudes: little-endian arrays of 32-bit digits ---- */

static size_t mag_norm(const uint32_t *d, size_t n) {
    while (n && !d[n - 1]) n--;
    return n;
}

static int mag_cmp(const uint32_t *a, size_t an, const uint32_t *b, size_t bn) {
    if (an != bn) return an < bn ? -1 : 1;
    for (size_t i = an; i-- > 0;)
        if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
}

/* out (max(an,bn)+1 digits) = a + b; returns the digit count. */
static size_t mag_add(const uint32_t *a, size_t an, const uint32_t *b, size_t bn,
                      uint32_t *out) {
    if (an < bn) { const uint32_t *t = a; a = b; b = t; size_t tn = an; an = bn; bn = tn; }
    uint64_t carry = 0;
    for (size_t i = 0; i < an; i++) {
        carry += (uint64_t)a[i] + (i < bn ? b[i] : 0);
        out[i] = (uint32_t)carry;
        carry >>= 32;
    }
    out[an] = (uint32_t)carry;
    return mag_norm(out, an + 1);
}

/* out (an digits) = a - b, requires a >= b. */
static size_t mag_sub(const uint32_t *a, size_t an, const uint32_t *b, size_t bn,
                      uint32_t *out) {
    int64_t borrow = 0;
    for (size_t i = 0; i < an; i++) {
        int64_t t = (int64_t)a[i] - (i < bn ? b[i] : 0) - borrow;
        borrow = t < 0;
        out[i] = (uint32_t)(t + (borrow ? (int64_t)BASE : 0));
    }
    return mag_norm(out, an);
}

/* out (an+bn digits, zeroed by the caller) += a * b (schoolbook). */
static void mag_mul_school(const uint32_t *a, size_t an, const uint32_t *b, size_t bn,
                           uint32_t *out) {
    for (size_t i = 0; i < an; i++) {
        uint64_t carry = 0, ai = a[i];
        if (!ai) continue;
        for (size_t j = 0; j < bn; j++) {
            carry += ai * b[j] + out[i + j];
            out[i + j] = (uint32_t)carry;
            carry >>= 32;
        }
        for (size_t k = i + bn; carry; k++) {
            carry += out[k];
            out[k] = (uint32_t)carry;
            carry >>= 32;
        }
    }
}

/* Adds [b] (bn digits) into [out] starting at digit [at]; out must be long enough. */
static void mag_add_into(uint32_t *out, size_t at, const uint32_t *b, size_t bn) {
    uint64_t carry = 0;
    size_t i = 0;
    for (; i < bn; i++) {
        carry += (uint64_t)out[at + i] + b[i];
        out[at + i] = (uint32_t)carry;
        carry >>= 32;
    }
    for (; carry; i++) {
        carry += out[at + i];
        out[at + i] = (uint32_t)carry;
        carry >>= 32;
    }
}

#define KARATSUBA_CUTOFF 48

/* out (an+bn digits, zeroed) = a * b, Karatsuba for large balanced operands. False
 * when a temporary could not be allocated (out is then garbage). */
static bool mag_mul(const uint32_t *a, size_t an, const uint32_t *b, size_t bn,
                    uint32_t *out) {
    if (an < bn) { const uint32_t *t = a; a = b; b = t; size_t tn = an; an = bn; bn = tn; }
    if (bn < KARATSUBA_CUTOFF || an > 2 * bn) {
        if (bn < KARATSUBA_CUTOFF || an <= 2 * bn) { mag_mul_school(a, an, b, bn, out); return true; }
        /* Unbalanced: multiply slices of a by b. */
        uint32_t *tmp = calloc(2 * bn, sizeof *tmp);
        bool ok = tmp != NULL;
        for (size_t at = 0; ok && at < an; at += bn) {
            size_t n = an - at < bn ? an - at : bn;
            memset(tmp, 0, 2 * bn * sizeof *tmp);
            ok = mag_mul(a + at, n, b, bn, tmp);
            mag_add_into(out, at, tmp, mag_norm(tmp, n + bn));
        }
        free(tmp);
        return ok;
    }
    size_t h = an / 2; /* split point; b has more than h digits since an <= 2 bn */
    size_t bh = bn < h ? bn : h;
    const uint32_t *a0 = a, *a1 = a + h, *b0 = b, *b1 = b + bh;
    size_t a0n = mag_norm(a0, h), a1n = an - h, b0n = mag_norm(b0, bh), b1n = bn - bh;
    if (bh < h) { mag_mul_school(a, an, b, bn, out); return true; }
    uint32_t *z0 = calloc(2 * h + 2, sizeof *z0), *z2 = calloc(a1n + b1n + 1, sizeof *z2);
    uint32_t *sa = calloc(a1n + 2, sizeof *sa), *sb = calloc(b1n + h + 2, sizeof *sb);
    uint32_t *z1 = calloc(a1n + b1n + h + 4, sizeof *z1);
    bool ok = z0 && z1 && z2 && sa && sb && mag_mul(a0, a0n, b0, b0n, z0) && mag_mul(a1, a1n, b1, b1n, z2);
    size_t san = ok ? mag_add(a0, a0n, a1, a1n, sa) : 0, sbn = ok ? mag_add(b0, b0n, b1, b1n, sb) : 0;
    if (!ok || !mag_mul(sa, san, sb, sbn, z1)) {
        free(z0); free(z1); free(z2); free(sa); free(sb);
        return false;
    }
    size_t z1n = mag_norm(z1, san + sbn);
    size_t z0n = mag_norm(z0, a0n + b0n), z2n = mag_norm(z2, a1n + b1n);
    z1n = mag_sub(z1, z1n, z0, z0n, z1);
    z1n = mag_sub(z1, z1n, z2, z2n, z1);
    mag_add_into(out, 0, z0, z0n);
    mag_add_into(out, h, z1, z1n);
    mag_add_into(out, 2 * h, z2, z2n);
    free(z0); free(z1); free(z2); free(sa); free(sb);
    return true;
}

/* q (n digits) = a / d; returns the remainder. q may alias a. */
static uint32_t mag_divrem_small(const uint32_t *a, size_t n, uint32_t d, uint32_t *q) {
    uint64_t rem = 0;
    for (size_t i = n; i-- > 0;) {
        uint64_t cur = (rem << 32) | a[i];
        q[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
    return (uint32_t)rem;
}

static int clz32(uint32_t x) {
    int n = 0;
    while (!(x & 0x80000000u)) { x <<= 1; n++; }
    return n;
}

/* Knuth's algorithm D (Hacker's Delight divmnu): q (an-bn+1 digits) and r (bn
 * digits) for an >= bn >= 2. */
static bool mag_divrem(const uint32_t *a, size_t an, const uint32_t *b, size_t bn,
                       uint32_t *q, uint32_t *r) {
    int s = clz32(b[bn - 1]);
    uint32_t *vn = malloc(bn * sizeof *vn), *un = malloc((an + 1) * sizeof *un);
    if (!vn || !un) { free(vn); free(un); return false; }
    for (size_t i = bn - 1; i > 0; i--)
        vn[i] = (b[i] << s) | (s ? (uint32_t)((uint64_t)b[i - 1] >> (32 - s)) : 0);
    vn[0] = b[0] << s;
    un[an] = s ? (uint32_t)((uint64_t)a[an - 1] >> (32 - s)) : 0;
    for (size_t i = an - 1; i > 0; i--)
        un[i] = (a[i] << s) | (s ? (uint32_t)((uint64_t)a[i - 1] >> (32 - s)) : 0);
    un[0] = a[0] << s;
    for (size_t jj = an - bn + 1; jj-- > 0;) {
        size_t j = jj;
        uint64_t num = ((uint64_t)un[j + bn] << 32) | un[j + bn - 1];
        uint64_t qhat = num / vn[bn - 1], rhat = num - qhat * vn[bn - 1];
        while (qhat >= BASE || qhat * vn[bn - 2] > ((rhat << 32) | un[j + bn - 2])) {
            qhat--;
            rhat += vn[bn - 1];
            if (rhat >= BASE) break;
        }
        int64_t t, k = 0;
        for (size_t i = 0; i < bn; i++) {
            uint64_t p = qhat * vn[i];
            t = (int64_t)un[i + j] - k - (int64_t)(p & 0xFFFFFFFFu);
            un[i + j] = (uint32_t)t;
            k = (int64_t)(p >> 32) - (t >> 32);
        }
        t = (int64_t)un[j + bn] - k;
        un[j + bn] = (uint32_t)t;
        q[j] = (uint32_t)qhat;
        if (t < 0) {
            q[j]--;
            uint64_t c = 0;
            for (size_t i = 0; i < bn; i++) {
                c += (uint64_t)un[i + j] + vn[i];
                un[i + j] = (uint32_t)c;
                c >>= 32;
            }
            un[j + bn] += (uint32_t)c;
        }
    }
    for (size_t i = 0; i < bn; i++)
        r[i] = (un[i] >> s) | (s ? (uint32_t)((uint64_t)un[i + 1] << (32 - s)) : 0);
    free(vn);
    free(un);
    return true;
}

/* ---- views of int objects as magnitudes ---- */

typedef struct {
    const uint32_t *d;
    size_t n;
    int sign;
    uint32_t buf[2];
} Mag;

static void mag_of(Object *o, Mag *m) {
    IntObject *i = (IntObject *)o;
    if (i->ndigits) {
        m->d = INT_DIGITS(i);
        m->n = (size_t)i->ndigits;
        m->sign = i->sign;
        return;
    }
    uint64_t u = i->small < 0 ? -(uint64_t)i->small : (uint64_t)i->small;
    m->buf[0] = (uint32_t)u;
    m->buf[1] = (uint32_t)(u >> 32);
    m->d = m->buf;
    m->n = mag_norm(m->buf, 2);
    m->sign = i->small < 0 ? -1 : i->small > 0;
}

static bool is_big(Object *o) { return ((IntObject *)o)->ndigits != 0; }
static int64_t small_of(Object *o) { return ((IntObject *)o)->small; }

/* Raises MemoryError when an int of [ndigits] digits cannot fit in the memory budget
 * (checked before long computations so huge ** and << fail fast). */
static bool digits_fit(Vm *vm, double ndigits) {
    double budget = vm->config.max_memory ? (double)vm->config.max_memory : 512.0 * 1024 * 1024;
    if (ndigits * 4.0 > budget - (double)vm->mem_used) {
        err_no_memory(vm);
        return false;
    }
    return true;
}

/* Charges [ops] digit operations of big-int arithmetic to the step budget, a step per
 * 64 (about what a bytecode instruction costs), before they are done: one operation
 * on huge ints (10**10**8) would otherwise run for minutes where the budget promises
 * a stop. False, the budget exception raised, when they do not fit. */
static bool charge_ops(Vm *vm, uint64_t ops) {
    vm->steps += ops / 64;
    if (vm->steps <= vm->config.max_steps) return true;
    vm_raise_budget(vm);
    return false;
}

/* A new zeroed array of [n] digits for a result; its writing is charged (linear). */
static uint32_t *digits_new(Vm *vm, size_t n) {
    if (!digits_fit(vm, (double)n) || !charge_ops(vm, n)) return NULL;
    uint32_t *d = calloc(n ? n : 1, sizeof *d);
    if (!d) err_no_memory(vm);
    return d;
}

static Object *int_new_small(Vm *vm, Type *type, int64_t v) {
    IntObject *o = (IntObject *)obj_alloc(vm, type, type->basicsize);
    if (!o) return NULL;
    o->small = v;
    return (Object *)o;
}

Object *int_from_i64(Vm *vm, int64_t v) {
    Object *o;
    if (v >= SMALL_INT_MIN && v <= SMALL_INT_MAX && (o = vm->small_ints[v - SMALL_INT_MIN])) {
        INCREF(o);
        return o;
    }
    return int_new_small(vm, &IntType, v);
}

/* Builds a normalised int of [type] from a magnitude and sign. */
static Object *int_from_mag_type(Vm *vm, Type *type, const uint32_t *d, size_t n, int sign) {
    n = mag_norm(d, n);
    if (n <= 2) {
        uint64_t u = n ? d[0] | (n > 1 ? (uint64_t)d[1] << 32 : 0) : 0;
        if (sign >= 0 && u <= (uint64_t)INT64_MAX)
            return type == &IntType ? int_from_i64(vm, (int64_t)u) : int_new_small(vm, type, (int64_t)u);
        if (sign < 0 && u <= (uint64_t)INT64_MAX + 1) {
            int64_t v = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
            return type == &IntType ? int_from_i64(vm, v) : int_new_small(vm, type, v);
        }
    }
    if (!digits_fit(vm, (double)n)) return NULL;
    IntObject *o = (IntObject *)obj_alloc(vm, type, type->basicsize + n * sizeof(uint32_t));
    if (!o) return NULL;
    memcpy(INT_DIGITS(o), d, n * sizeof(uint32_t));
    o->ndigits = (int32_t)n;
    o->sign = sign < 0 ? -1 : 1;
    return (Object *)o;
}

static Object *int_from_mag(Vm *vm, const uint32_t *d, size_t n, int sign) {
    return int_from_mag_type(vm, &IntType, d, n, sign);
}

/* Same as int_from_mag but frees the (malloc'd) digit buffer. */
static Object *int_take_mag(Vm *vm, uint32_t *d, size_t n, int sign) {
    Object *r = int_from_mag(vm, d, n, sign);
    free(d);
    return r;
}

/* Returns an exact int with the value of [o] (an int of any subtype). */
static Object *int_exact(Vm *vm, Object *o) {
    if (TYPE(o) == &IntType) return NEWREF(o);
    Mag m;
    mag_of(o, &m);
    return int_from_mag(vm, m.d, m.n, m.sign);
}

bool int_is_zero(Object *o) { return !is_big(o) && small_of(o) == 0; }

int int_sign(Object *o) {
    if (is_big(o)) return ((IntObject *)o)->sign;
    return small_of(o) < 0 ? -1 : small_of(o) > 0;
}

int int_compare(Object *a, Object *b) {
    if (!is_big(a) && !is_big(b))
        return small_of(a) < small_of(b) ? -1 : small_of(a) > small_of(b);
    Mag x, y;
    mag_of(a, &x);
    mag_of(b, &y);
    if (x.sign != y.sign) return x.sign < y.sign ? -1 : 1;
    int c = mag_cmp(x.d, x.n, y.d, y.n);
    return x.sign < 0 ? -c : c;
}

uint64_t int_bit_length(Object *o) {
    Mag m;
    mag_of(o, &m);
    if (!m.n) return 0;
    return (uint64_t)(m.n - 1) * 32 + (uint64_t)(32 - clz32(m.d[m.n - 1]));
}

int int_as_i64(Vm *vm, Object *o, int64_t *out) {
    if (!INT_CHECK(o)) {
        err_format(vm, &TypeErrorType, "'%T' object cannot be interpreted as an integer", o);
        return -1;
    }
    if (is_big(o)) {
        err_format(vm, &OverflowErrorType, "Python int too large to convert to C long");
        return -1;
    }
    *out = small_of(o);
    return 0;
}

int int_as_c_int(Vm *vm, Object *o, int *out) {
    int64_t v;
    if (int_as_i64(vm, o, &v) < 0) {
        if (!err_matches(vm, &OverflowErrorType)) return -1;
        err_clear(vm);
        v = INT64_MAX;
    }
    if (v > INT32_MAX || v < INT32_MIN) {
        err_format(vm, &OverflowErrorType, "Python int too large to convert to C int");
        return -1;
    }
    *out = (int)v;
    return 0;
}

int int_as_ssize(Vm *vm, Object *o, intptr_t *out) {
    Object *i = int_index(vm, o);
    if (!i) return -1;
    if (is_big(i)) {
        err_format(vm, &OverflowErrorType, "cannot fit '%T' into an index-sized integer", o);
        DECREF(vm, i);
        return -1;
    }
    /* Index-sized means 64 bits, as CPython's Py_ssize_t on 64-bit builds. On wasm32 a
     * value beyond the pointer range is clamped: every use of it (a repeat count, an
     * index, a width) then fails as it would on a 64-bit build, with MemoryError or
     * IndexError, rather than with an OverflowError CPython would not raise. */
    int64_t v = small_of(i);
    *out = v > INTPTR_MAX ? INTPTR_MAX : v < INTPTR_MIN ? INTPTR_MIN : (intptr_t)v;
    DECREF(vm, i);
    return 0;
}

/* ---- conversions with double ---- */

int int_to_double(Vm *vm, Object *o, double *out) {
    if (!is_big(o)) { *out = (double)small_of(o); return 0; }
    Mag m;
    mag_of(o, &m);
    uint64_t bits = int_bit_length(o);
    if (bits > 1024) goto overflow;
    /* Take the top 64 bits, with a sticky bit for everything below, and round once. */
    int shift = (int)bits - 64;
    uint64_t top = 0;
    bool sticky = false;
    for (size_t i = m.n; i-- > 0;) {
        for (int b = 31; b >= 0; b--) {
            int64_t pos = (int64_t)i * 32 + b;
            if (pos >= (int64_t)bits) continue;
            int bit = (m.d[i] >> b) & 1;
            if (pos >= shift) top |= (uint64_t)bit << (pos - shift);
            else if (bit) { sticky = true; break; }
        }
        if (sticky) break;
    }
    if (sticky) top |= 1;
    double d = ldexp((double)top, shift);
    if (isinf(d)) goto overflow;
    *out = m.sign < 0 ? -d : d;
    return 0;
overflow:
    err_format(vm, &OverflowErrorType, "int too large to convert to float");
    return -1;
}

Object *int_from_double(Vm *vm, double d) {
    if (isinf(d)) return err_format(vm, &OverflowErrorType, "cannot convert float infinity to integer");
    if (isnan(d)) return err_format(vm, &ValueErrorType, "cannot convert float NaN to integer");
    d = trunc(d);
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) return int_from_i64(vm, (int64_t)d);
    int e;
    double m = frexp(fabs(d), &e); /* |d| = m * 2**e, 0.5 <= m < 1 */
    uint64_t mant = (uint64_t)ldexp(m, 64);   /* exact: 53 significant bits */
    size_t shift = (size_t)e - 64, n = shift / 32 + 3;
    uint32_t *dg = digits_new(vm, n);
    if (!dg) return NULL;
    size_t w = shift / 32, b = shift % 32;
    uint32_t parts[3] = {(uint32_t)(mant << b), (uint32_t)((mant >> (32 - b)) & (b ? 0xFFFFFFFFu : 0)), 0};
    if (b == 0) { parts[0] = (uint32_t)mant; parts[1] = (uint32_t)(mant >> 32); }
    else { parts[1] = (uint32_t)(mant >> (32 - b)); parts[2] = (uint32_t)(mant >> (64 - b)); }
    for (int i = 0; i < 3; i++) dg[w + (size_t)i] = parts[i];
    return int_take_mag(vm, dg, n, d < 0 ? -1 : 1);
}

int int_compare_double(Vm *vm, Object *a, double d) {
    if (isnan(d)) return 2;
    if (isinf(d)) return d > 0 ? -1 : 1;
    if (!is_big(a) && small_of(a) > -(1LL << 53) && small_of(a) < (1LL << 53)) {
        double x = (double)small_of(a);
        return x < d ? -1 : x > d;
    }
    double f = floor(d);
    Object *fi = int_from_double(vm, f);
    if (!fi) { err_clear(vm); return 0; }
    int c = int_compare(a, fi);
    DECREF(vm, fi);
    if (c == 0 && f != d) c = -1;
    return c;
}

/* ---- hashing ---- */

#define HASH_MODULUS (((uint64_t)1 << 61) - 1)

Hash int_hash_value(Object *o) {
    Mag m;
    mag_of(o, &m);
    uint64_t h = 0;
    for (size_t i = m.n; i-- > 0;) {
        h = ((h << 32) & HASH_MODULUS) | (h >> 29);
        h += m.d[i];
        while (h >= HASH_MODULUS) h -= HASH_MODULUS;
    }
    int64_t r = m.sign < 0 ? -(int64_t)h : (int64_t)h;
    if (r == -1) r = -2;
    return (Hash)r;
}

/* ---- arithmetic ---- */

/* a + sb * b for arbitrary ints. */
static Object *big_addsub(Vm *vm, Object *ao, Object *bo, int bsign) {
    Mag a, b;
    mag_of(ao, &a);
    mag_of(bo, &b);
    int sb = b.sign * bsign;
    if (!a.sign) return int_from_mag(vm, b.d, b.n, sb);
    if (!sb) return int_from_mag(vm, a.d, a.n, a.sign);
    size_t n = (a.n > b.n ? a.n : b.n) + 1;
    uint32_t *out = digits_new(vm, n);
    if (!out) return NULL;
    if (a.sign == sb) return int_take_mag(vm, out, mag_add(a.d, a.n, b.d, b.n, out), a.sign);
    int c = mag_cmp(a.d, a.n, b.d, b.n);
    if (c == 0) { free(out); return int_from_i64(vm, 0); }
    if (c > 0) return int_take_mag(vm, out, mag_sub(a.d, a.n, b.d, b.n, out), a.sign);
    return int_take_mag(vm, out, mag_sub(b.d, b.n, a.d, a.n, out), sb);
}

Object *int_add(Vm *vm, Object *a, Object *b) {
    int64_t r;
    if (!is_big(a) && !is_big(b) && !__builtin_add_overflow(small_of(a), small_of(b), &r))
        return int_from_i64(vm, r);
    return big_addsub(vm, a, b, 1);
}

Object *int_sub(Vm *vm, Object *a, Object *b) {
    int64_t r;
    if (!is_big(a) && !is_big(b) && !__builtin_sub_overflow(small_of(a), small_of(b), &r))
        return int_from_i64(vm, r);
    return big_addsub(vm, a, b, -1);
}

/* The digit products mag_mul does for [an] by [bn] digits: schoolbook below the
 * cutoff, else three half-size products per level (Karatsuba) on bn-digit slices. */
static uint64_t mul_ops(size_t an, size_t bn) {
    if (an < bn) { size_t t = an; an = bn; bn = t; }
    uint64_t n = bn, k = an / bn;
    for (; n >= KARATSUBA_CUTOFF; n = (n + 1) / 2) k *= 3;
    return k * n * n;
}

Object *int_mul(Vm *vm, Object *ao, Object *bo) {
    int64_t r;
    if (!is_big(ao) && !is_big(bo) && !__builtin_mul_overflow(small_of(ao), small_of(bo), &r))
        return int_from_i64(vm, r);
    Mag a, b;
    mag_of(ao, &a);
    mag_of(bo, &b);
    if (!a.sign || !b.sign) return int_from_i64(vm, 0);
    if (!charge_ops(vm, mul_ops(a.n, b.n))) return NULL;
    uint32_t *out = digits_new(vm, a.n + b.n);
    if (!out) return NULL;
    if (!mag_mul(a.d, a.n, b.d, b.n, out)) { free(out); return err_no_memory(vm); }
    return int_take_mag(vm, out, a.n + b.n, a.sign * b.sign);
}

Object *int_neg(Vm *vm, Object *a) {
    if (!is_big(a) && small_of(a) != INT64_MIN) return int_from_i64(vm, -small_of(a));
    Mag m;
    mag_of(a, &m);
    return int_from_mag(vm, m.d, m.n, -m.sign);
}

static Object *int_abs(Vm *vm, Object *a) {
    return int_sign(a) < 0 ? int_neg(vm, a) : int_exact(vm, a);
}

/* Truncated division of magnitudes: *q and *r get new ints with the signs of C's
 * truncating division (q = a/b toward zero, r has a's sign). b must be nonzero. */
static int big_divrem(Vm *vm, Object *ao, Object *bo, Object **q, Object **r) {
    Mag a, b;
    mag_of(ao, &a);
    mag_of(bo, &b);
    if (mag_cmp(a.d, a.n, b.d, b.n) < 0) {
        *q = int_from_i64(vm, 0);
        *r = int_exact(vm, ao);
        return *q && *r ? 0 : -1;
    }
    if (!charge_ops(vm, (uint64_t)(a.n - b.n + 1) * b.n)) return -1; /* schoolbook */
    uint32_t *qd = digits_new(vm, a.n - b.n + 1), *rd = qd ? digits_new(vm, b.n) : NULL;
    if (!qd || !rd) { free(qd); free(rd); return -1; }
    size_t rn;
    if (b.n == 1) {
        rd[0] = mag_divrem_small(a.d, a.n, b.d[0], qd);
        rn = 1;
        free(qd);
        qd = digits_new(vm, a.n);
        if (!qd) { free(rd); return -1; }
        mag_divrem_small(a.d, a.n, b.d[0], qd);
        *q = int_take_mag(vm, qd, a.n, a.sign * b.sign);
    } else {
        if (!mag_divrem(a.d, a.n, b.d, b.n, qd, rd)) { free(qd); free(rd); err_no_memory(vm); return -1; }
        rn = b.n;
        *q = int_take_mag(vm, qd, a.n - b.n + 1, a.sign * b.sign);
    }
    *r = int_take_mag(vm, rd, rn, a.sign);
    if (!*q || !*r) { XDECREF(vm, *q); XDECREF(vm, *r); return -1; }
    return 0;
}

/* Python floor division and modulo; either output pointer may be NULL. */
static int int_divmod_impl(Vm *vm, Object *a, Object *b, Object **qout, Object **rout,
                           const char *zero_msg) {
    if (int_is_zero(b)) {
        err_format(vm, &ZeroDivisionErrorType, "%s", zero_msg);
        return -1;
    }
    if (!is_big(a) && !is_big(b) && !(small_of(a) == INT64_MIN && small_of(b) == -1)) {
        int64_t x = small_of(a), y = small_of(b), q = x / y, r = x % y;
        if (r && ((r < 0) != (y < 0))) { q--; r += y; }
        if (qout && !(*qout = int_from_i64(vm, q))) return -1;
        if (rout && !(*rout = int_from_i64(vm, r))) { if (qout) DECREF(vm, *qout); return -1; }
        return 0;
    }
    Object *q, *r;
    if (big_divrem(vm, a, b, &q, &r) < 0) return -1;
    if (!int_is_zero(r) && int_sign(r) != int_sign(b)) {
        Object *one = int_from_i64(vm, 1);
        Object *q2 = int_sub(vm, q, one), *r2 = int_add(vm, r, b);
        DECREF(vm, one);
        DECREF(vm, q);
        DECREF(vm, r);
        if (!q2 || !r2) { XDECREF(vm, q2); XDECREF(vm, r2); return -1; }
        q = q2;
        r = r2;
    }
    if (qout) *qout = q; else DECREF(vm, q);
    if (rout) *rout = r; else DECREF(vm, r);
    return 0;
}

Object *int_floordiv(Vm *vm, Object *a, Object *b) {
    Object *q;
    return int_divmod_impl(vm, a, b, &q, NULL, "integer division or modulo by zero") < 0 ? NULL : q;
}

Object *int_mod(Vm *vm, Object *a, Object *b) {
    Object *r;
    return int_divmod_impl(vm, a, b, NULL, &r, "integer modulo by zero") < 0 ? NULL : r;
}

static Object *int_divmod(Vm *vm, Object *a, Object *b) {
    Object *q, *r;
    if (int_divmod_impl(vm, a, b, &q, &r, "integer division or modulo by zero") < 0) return NULL;
    Object *t = tuple_pack(vm, 2, q, r);
    DECREF(vm, q);
    DECREF(vm, r);
    return t;
}

/* Shifts a magnitude left by [bits] into a new malloc'd buffer of *n digits. */
static uint32_t *mag_shl(Vm *vm, const uint32_t *d, size_t n, uint64_t bits, size_t *outn) {
    size_t w = (size_t)(bits / 32), b = (size_t)(bits % 32);
    uint32_t *out = digits_new(vm, n + w + 1);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = (uint64_t)d[i] << b;
        out[i + w] |= (uint32_t)v;
        out[i + w + 1] |= (uint32_t)(v >> 32);
    }
    *outn = n + w + 1;
    return out;
}

static Object *int_truediv(Vm *vm, Object *a, Object *b) {
    if (int_is_zero(b)) return err_format(vm, &ZeroDivisionErrorType, "division by zero");
    if (!is_big(a) && !is_big(b)) {
        int64_t x = small_of(a), y = small_of(b);
        if (x > -(1LL << 53) && x < (1LL << 53) && y > -(1LL << 53) && y < (1LL << 53))
            return float_from_double(vm, (double)x / (double)y);
    }
    if (int_is_zero(a)) return float_from_double(vm, int_sign(b) < 0 ? -0.0 : 0.0);
    /* Correctly rounded: scale so the quotient has 55+ bits, then round once. */
    Mag ma, mb;
    mag_of(a, &ma);
    mag_of(b, &mb);
    int64_t abits = (int64_t)int_bit_length(a), bbits = (int64_t)int_bit_length(b);
    int64_t diff = abits - bbits;
    if (diff > 1025) goto overflow;
    if (diff < -1080) return float_from_double(vm, (ma.sign * mb.sign) < 0 ? -0.0 : 0.0);
    int64_t shift = 55 - diff;
    uint32_t *nd, *dd;
    size_t nn, dn;
    if (shift >= 0) {
        nd = mag_shl(vm, ma.d, ma.n, (uint64_t)shift, &nn);
        dd = mag_shl(vm, mb.d, mb.n, 0, &dn);
    } else {
        nd = mag_shl(vm, ma.d, ma.n, 0, &nn);
        dd = mag_shl(vm, mb.d, mb.n, (uint64_t)-shift, &dn);
    }
    if (!nd || !dd) { free(nd); free(dd); return NULL; }
    Object *n = int_take_mag(vm, nd, nn, 1), *d = int_take_mag(vm, dd, dn, 1);
    Object *q = NULL, *r = NULL;
    if (!n || !d || big_divrem(vm, n, d, &q, &r) < 0) {
        XDECREF(vm, n); XDECREF(vm, d);
        return NULL;
    }
    uint64_t qv = (uint64_t)small_of(q); /* < 2**57 */
    if (!int_is_zero(r)) qv |= 1;
    DECREF(vm, n); DECREF(vm, d); DECREF(vm, q); DECREF(vm, r);
    double res = ldexp((double)qv, (int)-shift);
    if (isinf(res)) goto overflow;
    return float_from_double(vm, (ma.sign * mb.sign) < 0 ? -res : res);
overflow:
    return err_format(vm, &OverflowErrorType, "integer division result too large for a float");
}

static Object *int_lshift(Vm *vm, Object *a, Object *b) {
    if (int_sign(b) < 0) return err_format(vm, &ValueErrorType, "negative shift count");
    if (int_is_zero(a)) return int_from_i64(vm, 0);
    if (is_big(b)) return err_no_memory(vm);
    int64_t s = small_of(b);
    if (!is_big(a) && s < 63) {
        int64_t x = small_of(a);
        if (x >= -(INT64_C(1) << (62 - s)) && x < (INT64_C(1) << (62 - s)))
            return int_from_i64(vm, (int64_t)((uint64_t)x << s));
    }
    if (!digits_fit(vm, ((double)int_bit_length(a) + (double)s) / 32.0)) return NULL;
    Mag m;
    mag_of(a, &m);
    size_t n;
    uint32_t *d = mag_shl(vm, m.d, m.n, (uint64_t)s, &n);
    return d ? int_take_mag(vm, d, n, m.sign) : NULL;
}

static Object *int_rshift(Vm *vm, Object *a, Object *b) {
    if (int_sign(b) < 0) return err_format(vm, &ValueErrorType, "negative shift count");
    if (is_big(b) || (uint64_t)small_of(b) >= int_bit_length(a))
        return int_from_i64(vm, int_sign(a) < 0 ? -1 : 0);
    int64_t s = small_of(b);
    if (!is_big(a)) return int_from_i64(vm, small_of(a) >> s);
    /* Floor semantics for negatives: -((-a - 1) >> s) - 1. */
    Mag m;
    mag_of(a, &m);
    Object *src = NULL;
    if (m.sign < 0) {
        Object *one = int_from_i64(vm, 1);
        Object *na = int_neg(vm, a);
        src = na ? int_sub(vm, na, one) : NULL;
        DECREF(vm, one);
        XDECREF(vm, na);
        if (!src) return NULL;
        mag_of(src, &m);
    }
    size_t w = (size_t)(s / 32), bits = (size_t)(s % 32), n = m.n - w;
    uint32_t *d = digits_new(vm, n);
    if (!d) { XDECREF(vm, src); return NULL; }
    for (size_t i = 0; i < n; i++) {
        uint64_t v = m.d[i + w] | (i + w + 1 < m.n ? (uint64_t)m.d[i + w + 1] << 32 : 0);
        d[i] = (uint32_t)(v >> bits);
    }
    Object *r = int_take_mag(vm, d, n, 1);
    XDECREF(vm, src);
    if (!r || int_sign(a) > 0) return r;
    Object *one = int_from_i64(vm, 1);
    Object *t = int_add(vm, r, one);
    DECREF(vm, r);
    Object *res = t ? int_neg(vm, t) : NULL;
    XDECREF(vm, t);
    DECREF(vm, one);
    return res;
}

/* Two's complement of an int in [n] digits (n big enough for the sign bit). */
static void to_twos(Object *o, uint32_t *out, size_t n) {
    Mag m;
    mag_of(o, &m);
    memset(out, 0, n * sizeof *out);
    memcpy(out, m.d, m.n * sizeof *out);
    if (m.sign >= 0) return;
    uint64_t carry = 1;
    for (size_t i = 0; i < n; i++) {
        carry += (uint32_t)~out[i];
        out[i] = (uint32_t)carry;
        carry >>= 32;
    }
}

static Object *int_bitwise(Vm *vm, Object *a, Object *b, int op) {
    if (!is_big(a) && !is_big(b)) {
        int64_t x = small_of(a), y = small_of(b);
        return int_from_i64(vm, op == BINOP_AND ? x & y : op == BINOP_OR ? x | y : x ^ y);
    }
    Mag ma, mb;
    mag_of(a, &ma);
    mag_of(b, &mb);
    size_t n = (ma.n > mb.n ? ma.n : mb.n) + 1;
    uint32_t *x = digits_new(vm, n), *y = digits_new(vm, n);
    if (!x || !y) { free(x); free(y); return NULL; }
    to_twos(a, x, n);
    to_twos(b, y, n);
    for (size_t i = 0; i < n; i++)
        x[i] = op == BINOP_AND ? x[i] & y[i] : op == BINOP_OR ? x[i] | y[i] : x[i] ^ y[i];
    free(y);
    int neg = x[n - 1] >> 31;
    if (neg) { /* back from two's complement */
        uint64_t carry = 1;
        for (size_t i = 0; i < n; i++) {
            carry += (uint32_t)~x[i];
            x[i] = (uint32_t)carry;
            carry >>= 32;
        }
    }
    return int_take_mag(vm, x, n, neg ? -1 : 1);
}

static Object *int_invert(Vm *vm, Object *a) {
    if (!is_big(a)) return int_from_i64(vm, ~small_of(a));
    Object *one = int_from_i64(vm, 1);
    Object *t = int_add(vm, a, one);
    DECREF(vm, one);
    if (!t) return NULL;
    Object *r = int_neg(vm, t);
    DECREF(vm, t);
    return r;
}

/* ---- pow ---- */

static Object *int_pow_mod(Vm *vm, Object *base, Object *exp, Object *m);

Object *int_pow(Vm *vm, Object *a, Object *b, Object *m) {
    if (m) return int_pow_mod(vm, a, b, m);
    if (int_sign(b) < 0) {
        double x, y;
        if (int_to_double(vm, a, &x) < 0 || int_to_double(vm, b, &y) < 0) return NULL;
        if (x == 0.0)
            return err_format(vm, &ZeroDivisionErrorType, "0.0 cannot be raised to a negative power");
        return float_from_double(vm, float_pow(x, y));
    }
    Mag ma;
    mag_of(a, &ma);
    if (ma.n == 0 || (ma.n == 1 && ma.d[0] == 1)) {
        if (ma.n == 0) return int_from_i64(vm, int_is_zero(b) ? 1 : 0);
        bool odd = is_big(b) ? (INT_DIGITS(b)[0] & 1) : (small_of(b) & 1);
        return int_from_i64(vm, ma.sign < 0 && odd ? -1 : 1);
    }
    if (is_big(b)) return err_no_memory(vm);
    uint64_t e = (uint64_t)small_of(b);
    if (!digits_fit(vm, (double)int_bit_length(a) * (double)e / 32.0)) return NULL;
    Object *result = int_from_i64(vm, 1), *sq = int_exact(vm, a);
    while (result && sq) {
        if (e & 1) SETREF(vm, result, int_mul(vm, result, sq));
        e >>= 1;
        if (!e || !result) break;
        SETREF(vm, sq, int_mul(vm, sq, sq));
    }
    XDECREF(vm, sq);
    if (!sq) XDECREF(vm, result);
    return sq ? result : NULL;
}

/* Modular inverse of [a] modulo [m] (m > 0) by the extended Euclidean algorithm. */
static Object *int_mod_inverse(Vm *vm, Object *a, Object *m) {
    Object *r0 = int_mod(vm, a, m), *r1 = int_exact(vm, m);
    Object *s0 = int_from_i64(vm, 1), *s1 = int_from_i64(vm, 0);
    while (r0 && r1 && s0 && s1 && !int_is_zero(r1)) {
        Object *q, *r;
        if (int_divmod_impl(vm, r0, r1, &q, &r, "") < 0) break;
        Object *qs = int_mul(vm, q, s1);
        Object *ns = qs ? int_sub(vm, s0, qs) : NULL;
        XDECREF(vm, qs);
        DECREF(vm, q);
        SETREF(vm, r0, r1);
        r1 = r;
        SETREF(vm, s0, s1);
        s1 = ns;
    }
    Object *res = NULL;
    if (r0 && r1 && s0 && s1) {
        Object *one = int_from_i64(vm, 1);
        if (int_compare(r0, one) != 0)
            err_format(vm, &ValueErrorType, "base is not invertible for the given modulus");
        else
            res = int_mod(vm, s0, m);
        DECREF(vm, one);
    }
    XDECREF(vm, r0); XDECREF(vm, r1); XDECREF(vm, s0); XDECREF(vm, s1);
    return res;
}

static Object *int_pow_mod(Vm *vm, Object *base, Object *exp, Object *m) {
    if (int_is_zero(m)) return err_format(vm, &ValueErrorType, "pow() 3rd argument cannot be 0");
    bool neg_mod = int_sign(m) < 0;
    Object *mod = int_abs(vm, m);
    if (!mod) return NULL;
    Object *b, *e;
    if (int_sign(exp) < 0) {
        b = int_mod_inverse(vm, base, mod);
        e = int_neg(vm, exp);
    } else {
        b = int_mod(vm, base, mod);
        e = int_exact(vm, exp);
    }
    Object *result = int_from_i64(vm, 1);
    if (b && e && result) SETREF(vm, result, int_mod(vm, result, mod));
    uint64_t nbits = e ? int_bit_length(e) : 0;
    Mag me;
    if (e) mag_of(e, &me);
    for (uint64_t i = 0; b && e && result && i < nbits; i++) {
        if ((me.d[i / 32] >> (i % 32)) & 1) {
            SETREF(vm, result, int_mul(vm, result, b));
            if (result) SETREF(vm, result, int_mod(vm, result, mod));
        }
        if (i + 1 < nbits) {
            SETREF(vm, b, int_mul(vm, b, b));
            if (b) SETREF(vm, b, int_mod(vm, b, mod));
        }
    }
    if (!b || !e) { XDECREF(vm, result); result = NULL; }
    XDECREF(vm, b);
    XDECREF(vm, e);
    if (result && neg_mod && !int_is_zero(result)) SETREF(vm, result, int_sub(vm, result, mod));
    DECREF(vm, mod);
    return result;
}

/* ---- text conversion ---- */

static bool is_space_char(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

static Object *int_bad_literal(Vm *vm, const char *text, size_t len, int base) {
    Object *s = str_from_utf8(vm, text, len);
    if (!s) return NULL;
    err_format(vm, &ValueErrorType, "invalid literal for int() with base %d: %R", base, s);
    DECREF(vm, s);
    return NULL;
}

/* Multiplies the magnitude d (n digits, capacity n+1) by [mul] and adds [add]. */
static size_t mag_muladd_small(uint32_t *d, size_t n, uint32_t mul, uint32_t add) {
    uint64_t carry = add;
    for (size_t i = 0; i < n; i++) {
        carry += (uint64_t)d[i] * mul;
        d[i] = (uint32_t)carry;
        carry >>= 32;
    }
    if (carry) d[n++] = (uint32_t)carry;
    return n;
}

Object *int_from_str(Vm *vm, const char *text, size_t len, int base) {
    if (base != 0 && (base < 2 || base > 36))
        return err_format(vm, &ValueErrorType, "int() base must be >= 2 and <= 36, or 0");
    const char *p = text, *end = text + len;
    int orig_base = base;
    while (p < end && is_space_char(*p)) p++;
    while (end > p && is_space_char(end[-1])) end--;
    int sign = 1;
    if (p < end && (*p == '+' || *p == '-')) sign = *p++ == '-' ? -1 : 1;
    bool prefixed = false;
    if (end - p >= 2 && p[0] == '0') {
        char c = (char)(p[1] | 0x20);
        int pb = c == 'x' ? 16 : c == 'o' ? 8 : c == 'b' ? 2 : 0;
        if (pb && (base == 0 || base == pb)) { base = pb; p += 2; prefixed = true; }
    }
    if (base == 0) {
        base = 10;
        /* Base 0 forbids leading zeros in nonzero decimal literals. */
        if (p < end && *p == '0') {
            for (const char *q = p; q < end; q++)
                if (*q != '0' && *q != '_') return int_bad_literal(vm, text, len, 0);
        }
    }
    size_t ndig = 0;
    bool last_us = !prefixed;  /* an underscore may follow a prefix */
    if (p == end) return int_bad_literal(vm, text, len, orig_base);
    for (const char *q = p; q < end; q++) {
        if (*q == '_') {
            if (last_us) return int_bad_literal(vm, text, len, orig_base);
            last_us = true;
            continue;
        }
        if (digit_value(*q) >= base) return int_bad_literal(vm, text, len, orig_base);
        last_us = false;
        ndig++;
    }
    if (last_us || ndig == 0) return int_bad_literal(vm, text, len, orig_base);
    if ((base & (base - 1)) && vm->int_max_str_digits > 0 && ndig > (size_t)vm->int_max_str_digits)
        return err_format(vm, &ValueErrorType,
                          "Exceeds the limit (%d digits) for integer string conversion: value "
                          "has %zu digits; use sys.set_int_max_str_digits() to increase the limit",
                          vm->int_max_str_digits, ndig);
    size_t cap = (size_t)((double)ndig * log2((double)base) / 32.0) + 3;
    uint32_t *d = digits_new(vm, cap);
    if (!d) return NULL;
    size_t n = 0;
    /* Consume digits in chunks whose value fits in 32 bits. */
    uint32_t chunk = 0, mul = 1;
    for (const char *q = p; q < end; q++) {
        if (*q == '_') continue;
        chunk = chunk * (uint32_t)base + (uint32_t)digit_value(*q);
        mul *= (uint32_t)base;
        if ((uint64_t)mul * (uint64_t)base > 0xFFFFFFFFu) {
            n = mag_muladd_small(d, n, mul, chunk);
            chunk = 0;
            mul = 1;
        }
    }
    if (mul > 1) n = mag_muladd_small(d, n, mul, chunk);
    return int_take_mag(vm, d, n, sign);
}

static Object *int_digit_limit_error(Vm *vm) {
    return err_format(vm, &ValueErrorType,
                      "Exceeds the limit (%d digits) for integer string conversion; use "
                      "sys.set_int_max_str_digits() to increase the limit",
                      vm->int_max_str_digits);
}

char *int_to_base_cstr(Vm *vm, Object *o, int base) {
    Mag m;
    mag_of(o, &m);
    if (base == 10 && vm->int_max_str_digits > 0 &&
        (double)int_bit_length(o) * 0.30102999566398 - 1 > vm->int_max_str_digits) {
        int_digit_limit_error(vm);
        return NULL;
    }
    size_t bits = (size_t)int_bit_length(o);
    /* 64-bit arithmetic: bits * 30103 passes 2**32 from about 43,000 digits, and size_t
     * is 32 bits in the wasm build (a short buffer there corrupted the heap). */
    size_t cap = (size_t)(base == 10 ? (uint64_t)bits * 30103 / 100000 + 12 : (uint64_t)bits + 2) + 1;
    char *out = malloc(cap), *w = out + cap;
    uint32_t *t = malloc((m.n ? m.n : 1) * sizeof *t);
    if (!out || !t) { free(out); free(t); err_no_memory(vm); return NULL; }
    memcpy(t, m.d, m.n * sizeof *t);
    size_t n = m.n;
    *--w = 0;
    uint32_t chunk_div = base == 10 ? 1000000000u : base == 16 ? 0x10000000u : base == 8 ? 0x40000000u : 0x80000000u;
    int chunk_len = base == 10 ? 9 : base == 16 ? 7 : base == 8 ? 10 : 31;
    while (n) {
        uint32_t rem = mag_divrem_small(t, n, chunk_div, t);
        n = mag_norm(t, n);
        for (int i = 0; i < chunk_len && (n || rem); i++) {
            *--w = "0123456789abcdef"[rem % (uint32_t)base];
            rem /= (uint32_t)base;
        }
    }
    if (!*w) *--w = '0';
    free(t);
    memmove(out, w, strlen(w) + 1);
    if (base == 10 && vm->int_max_str_digits > 0 && strlen(out) > (size_t)vm->int_max_str_digits) {
        free(out);
        int_digit_limit_error(vm);
        return NULL;
    }
    return out;
}

Object *int_to_decimal(Vm *vm, Object *o) {
    if (!is_big(o)) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", (long long)small_of(o));
        return str_from_cstr(vm, buf);
    }
    char *digits = int_to_base_cstr(vm, o, 10);
    if (!digits) return NULL;
    size_t n = strlen(digits);
    char *full = malloc(n + 2);
    if (!full) { free(digits); return err_no_memory(vm); }
    full[0] = '-';
    memcpy(full + 1, digits, n + 1);
    Object *s = int_sign(o) < 0 ? str_from_utf8(vm, full, n + 1) : str_from_utf8(vm, digits, n);
    free(full);
    free(digits);
    return s;
}

/* ---- conversion from arbitrary objects ---- */

/* Calls the special method [name] looked up on type(o), with o as self; sets *found
 * to false (and returns NULL without an exception) when the type has no such method. */
static Object *call_special(Vm *vm, Object *o, const char *name, bool *found) {
    Object *n = str_intern_cstr(vm, name);
    if (!n) return NULL;
    Object *f = type_lookup(TYPE(o), n);
    DECREF(vm, n);
    *found = f != NULL;
    return f ? obj_call_args(vm, f, 1, o) : NULL;
}

Object *int_index(Vm *vm, Object *o) {
    if (TYPE(o) == &IntType) return NEWREF(o);
    if (INT_CHECK(o)) return int_exact(vm, o);
    bool found;
    Object *r = call_special(vm, o, "__index__", &found);
    if (!found)
        return err_format(vm, &TypeErrorType, "'%T' object cannot be interpreted as an integer", o);
    if (r && !INT_CHECK(r)) {
        err_format(vm, &TypeErrorType, "__index__ returned non-int (type %T)", r);
        DECREF(vm, r);
        return NULL;
    }
    return r;
}

Object *int_from_object(Vm *vm, Object *x) {
    if (TYPE(x) == &IntType) return NEWREF(x);
    if (INT_CHECK(x)) return int_exact(vm, x);
    if (FLOAT_CHECK(x)) return int_from_double(vm, ((FloatObject *)x)->value);
    if (STR_CHECK(x)) return int_from_str(vm, str_cstr(x), str_byte_len(x), 10);
    static const char *const names[] = {"__int__", "__index__", "__trunc__"};
    for (int i = 0; i < 3; i++) {
        bool found;
        Object *r = call_special(vm, x, names[i], &found);
        if (!found) continue;
        if (!r) return NULL;
        if (!INT_CHECK(r)) {
            if (i == 2) { Object *t = int_index(vm, r); DECREF(vm, r); return t; }
            err_format(vm, &TypeErrorType, "%s returned non-int (type %T)", names[i], r);
            DECREF(vm, r);
            return NULL;
        }
        Object *t = int_exact(vm, r);
        DECREF(vm, r);
        return t;
    }
    return err_format(vm, &TypeErrorType,
                      "int() argument must be a string, a bytes-like object or a real number, "
                      "not '%T'", x);
}

/* ---- __format__ ---- */

static Object *int_format_char(Vm *vm, Object *o, FormatSpec *fs) {
    if (fs->sign) return err_format(vm, &ValueErrorType, "Sign not allowed with integer format specifier 'c'");
    if (fs->alternate)
        return err_format(vm, &ValueErrorType, "Alternate form (#) not allowed with integer format specifier 'c'");
    if (is_big(o) || small_of(o) < 0 || small_of(o) > 0x10FFFF)
        return err_format(vm, &OverflowErrorType, "%%c arg not in range(0x110000)");
    char buf[5];
    int n = str_encode_utf8((uint32_t)small_of(o), buf);
    return format_pad(vm, fs, buf, (size_t)n, 1, '>');
}

Object *int_format(Vm *vm, Object *o, Object *spec) {
    if (!spec || str_len(spec) == 0) return obj_str(vm, o);
    FormatSpec fs;
    if (format_parse_spec(vm, spec, 'd', '>', "int", &fs) < 0) return NULL;
    int base;
    const char *prefix = "";
    switch (fs.type) {
    case 0: case 'd': case 'n': base = 10; break;
    case 'x': base = 16; prefix = "0x"; break;
    case 'X': base = 16; prefix = "0X"; break;
    case 'o': base = 8; prefix = "0o"; break;
    case 'b': base = 2; prefix = "0b"; break;
    case 'c': base = 0; break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        double d;
        if (int_to_double(vm, o, &d) < 0) return NULL;
        return float_format(vm, d, spec);
    }
    default: return format_unknown_code(vm, fs.type, TYPE(o)->name);
    }
    if (fs.precision >= 0)
        return err_format(vm, &ValueErrorType, "Precision not allowed in integer format specifier");
    if (base == 0) return int_format_char(vm, o, &fs);
    char *digits;
    if (!is_big(o)) {
        uint64_t u = small_of(o) < 0 ? -(uint64_t)small_of(o) : (uint64_t)small_of(o);
        digits = malloc(70);
        if (!digits) return err_no_memory(vm);
        char *w = digits + 69;
        *w = 0;
        do { *--w = "0123456789abcdef"[u % (uint64_t)base]; u /= (uint64_t)base; } while (u);
        memmove(digits, w, strlen(w) + 1);
    } else if (!(digits = int_to_base_cstr(vm, o, base))) {
        return NULL;
    }
    if (fs.type == 'X')
        for (char *c = digits; *c; c++) if (*c >= 'a' && *c <= 'f') *c = (char)(*c - 32);
    Object *r = format_number(vm, &fs, int_sign(o) < 0, fs.alternate ? prefix : "", digits, "");
    free(digits);
    return r;
}

/* ---- type slots ---- */

static Object *int_repr(Vm *vm, Object *self) {
    if (TYPE(self) == &BoolType || type_is_subtype(TYPE(self), &BoolType))
        return str_intern_cstr(vm, small_of(self) ? "True" : "False");
    return int_to_decimal(vm, self);
}

static Hash int_hash(Vm *vm, Object *self) { return int_hash_value(self); }

static Object *int_richcompare(Vm *vm, Object *a, Object *b, int op) {
    int c;
    if (INT_CHECK(a) && INT_CHECK(b)) {
        c = int_compare(a, b);
    } else if (INT_CHECK(a) && FLOAT_CHECK(b)) {
        c = int_compare_double(vm, a, ((FloatObject *)b)->value);
    } else if (FLOAT_CHECK(a) && INT_CHECK(b)) {
        c = int_compare_double(vm, b, ((FloatObject *)a)->value);
        if (c != 2) c = -c;
    } else {
        return NEWREF(vm->not_implemented);
    }
    if (c == 2) return bool_from(vm, op == CMP_NE);
    return bool_from(vm, cmp_holds(op, c));
}

static bool is_bool(Object *o) { return TYPE(o) == &BoolType; }

static Object *int_binop(Vm *vm, Object *a, Object *b, int op) {
    if (op >= BINOP_INPLACE) op -= BINOP_INPLACE;
    if (!INT_CHECK(a) || !INT_CHECK(b)) return NEWREF(vm->not_implemented);
    switch (op) {
    case BINOP_ADD: return int_add(vm, a, b);
    case BINOP_SUB: return int_sub(vm, a, b);
    case BINOP_MUL: return int_mul(vm, a, b);
    case BINOP_TRUEDIV: return int_truediv(vm, a, b);
    case BINOP_FLOORDIV: return int_floordiv(vm, a, b);
    case BINOP_MOD: return int_mod(vm, a, b);
    case BINOP_POW: return int_pow(vm, a, b, NULL);
    case BINOP_LSHIFT: return int_lshift(vm, a, b);
    case BINOP_RSHIFT: return int_rshift(vm, a, b);
    case BINOP_AND: case BINOP_OR: case BINOP_XOR:
        if (is_bool(a) && is_bool(b)) {
            int x = small_of(a) != 0, y = small_of(b) != 0;
            return bool_from(vm, op == BINOP_AND ? x & y : op == BINOP_OR ? x | y : x ^ y);
        }
        return int_bitwise(vm, a, b, op);
    default: return NEWREF(vm->not_implemented);
    }
}

static Object *int_unop(Vm *vm, Object *self, int op) {
    switch (op) {
    case UNOP_NEG: return int_neg(vm, self);
    case UNOP_POS: return int_exact(vm, self);
    case UNOP_INVERT: return int_invert(vm, self);
    default: return bool_from(vm, int_is_zero(self));
    }
}

static int int_is_true(Vm *vm, Object *self) { return !int_is_zero(self); }

/* CPython 3.11's sys.getsizeof: 24 bytes of header plus 4 per 30-bit digit, at least
 * one digit (so 0 and False report 28, as python3.11 does). */
static size_t int_sizeof(Vm *vm, Object *self) {
    uint64_t bits = int_bit_length(self);
    size_t ndigits = bits ? (size_t)((bits + 29) / 30) : 1;
    return TYPE(self)->modelled_size + 4 * ndigits;
}

static Object *int_new_impl(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames) {
    size_t nkw = args_nkw(kwnames);
    Object *x = nargs > 0 ? args[0] : NULL, *base = nargs > 1 ? args[1] : NULL;
    if (nargs > 2) return err_format(vm, &TypeErrorType, "int() takes at most 2 arguments (%zu given)", nargs + nkw);
    for (size_t i = 0; i < nkw; i++) {
        Object *k = ((TupleObject *)kwnames)->items[i];
        if (str_eq_cstr(k, "base") && !base) base = args[nargs + i];
        else return err_format(vm, &TypeErrorType, "'%U' is an invalid keyword argument for int()", k);
    }
    Object *v;
    if (!base) {
        v = x ? int_from_object(vm, x) : int_from_i64(vm, 0);
    } else {
        int64_t b;
        Object *bi = int_index(vm, base);
        if (!bi) return NULL;
        int ok = int_as_i64(vm, bi, &b);
        DECREF(vm, bi);
        if (ok < 0) return NULL;
        if (!x) return err_format(vm, &TypeErrorType, "int() missing string argument");
        if (!STR_CHECK(x)) return err_format(vm, &TypeErrorType, "int() can't convert non-string with explicit base");
        if (b != 0 && (b < 2 || b > 36))
            return err_format(vm, &ValueErrorType, "int() base must be >= 2 and <= 36, or 0");
        v = int_from_str(vm, str_cstr(x), str_byte_len(x), (int)b);
    }
    if (!v || type == &IntType) return v;
    Mag m;
    mag_of(v, &m);
    Object *r = int_from_mag_type(vm, type, m.d, m.n, m.sign);
    DECREF(vm, v);
    return r;
}

static Object *bool_new_impl(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames) {
    if (args_check(vm, "bool", nargs, kwnames, 0, 1) < 0) return NULL;
    if (nargs == 0) return bool_from(vm, 0);
    int t = obj_is_true(vm, args[0]);
    return t < 0 ? NULL : bool_from(vm, t);
}

static Object *int_getattr(Vm *vm, Object *self, Object *name) {
    if (str_eq_cstr(name, "real") || str_eq_cstr(name, "numerator")) return int_exact(vm, self);
    if (str_eq_cstr(name, "imag")) return int_from_i64(vm, 0);
    if (str_eq_cstr(name, "denominator")) return int_from_i64(vm, 1);
    return obj_generic_getattr(vm, self, name);
}

/* ---- methods ---- */

static Object *m_bit_length(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "bit_length", nargs, kw, 0, 0) < 0) return NULL;
    return int_from_i64(vm, (int64_t)int_bit_length(self));
}

static Object *m_bit_count(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "bit_count", nargs, kw, 0, 0) < 0) return NULL;
    Mag m;
    mag_of(self, &m);
    int64_t c = 0;
    for (size_t i = 0; i < m.n; i++) c += __builtin_popcount(m.d[i]);
    return int_from_i64(vm, c);
}

static Object *m_conjugate(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "conjugate", nargs, kw, 0, 0) < 0) return NULL;
    return int_exact(vm, self);
}

static Object *m_as_integer_ratio(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "as_integer_ratio", nargs, kw, 0, 0) < 0) return NULL;
    Object *n = int_exact(vm, self), *one = int_from_i64(vm, 1);
    Object *t = n && one ? tuple_pack(vm, 2, n, one) : NULL;
    XDECREF(vm, n);
    XDECREF(vm, one);
    return t;
}

static Object *m_format(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "__format__", nargs, kw, 1, 1) < 0) return NULL;
    if (!STR_CHECK(args[0]))
        return err_format(vm, &TypeErrorType, "__format__() argument must be str, not %T", args[0]);
    return int_format(vm, self, args[0]);
}

static Object *m_float(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    double d;
    if (int_to_double(vm, self, &d) < 0) return NULL;
    return float_from_double(vm, d);
}

static Object *m_int(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return int_exact(vm, self);
}

/* int.__round__(ndigits=None): rounds to 10**-ndigits, half to even. */
static Object *m_round(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "__round__", nargs, kw, 0, 1) < 0) return NULL;
    if (nargs == 0 || IS_NONE(vm, args[0])) return int_exact(vm, self);
    Object *nd = int_index(vm, args[0]);
    if (!nd) return NULL;
    if (int_sign(nd) >= 0) { DECREF(vm, nd); return int_exact(vm, self); }
    Object *ten = int_from_i64(vm, 10), *e = int_neg(vm, nd);
    DECREF(vm, nd);
    Object *p = e ? int_pow(vm, ten, e, NULL) : NULL;
    XDECREF(vm, e);
    DECREF(vm, ten);
    if (!p) return NULL;
    Object *q, *r;
    if (int_divmod_impl(vm, self, p, &q, &r, "") < 0) { DECREF(vm, p); return NULL; }
    Mag mq;
    mag_of(q, &mq);
    /* Compare 2r with p: above half rounds up, exactly half rounds to even q. */
    Object *two = int_from_i64(vm, 2), *r2 = int_mul(vm, r, two);
    int c = r2 ? int_compare(r2, p) : 0;
    bool up = c > 0 || (c == 0 && !int_is_zero(r2) && (mq.n && (mq.d[0] & 1)));
    XDECREF(vm, r2);
    DECREF(vm, two);
    DECREF(vm, r);
    if (up) {
        Object *one = int_from_i64(vm, 1);
        SETREF(vm, q, int_add(vm, q, one));
        DECREF(vm, one);
    }
    Object *res = q ? int_mul(vm, q, p) : NULL;
    XDECREF(vm, q);
    DECREF(vm, p);
    return res;
}

static Object *m_getnewargs(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    Object *v = int_exact(vm, self);
    Object *t = v ? tuple_pack(vm, 1, v) : NULL;
    XDECREF(vm, v);
    return t;
}

static Object *m_sizeof(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return int_from_i64(vm, (int64_t)int_sizeof(vm, self));
}

/* Dunder wrappers so that int.__add__(a, b) and super().__add__(b) work. */
#define INT_BINOP_METHOD(fname, op, reflected) \
    static Object *fname(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) { \
        if (args_check(vm, #fname, nargs, kw, 1, 1) < 0) return NULL; \
        return reflected ? int_binop(vm, args[0], self, op) : int_binop(vm, self, args[0], op); \
    }
INT_BINOP_METHOD(m_add, BINOP_ADD, 0)
INT_BINOP_METHOD(m_radd, BINOP_ADD, 1)
INT_BINOP_METHOD(m_sub, BINOP_SUB, 0)
INT_BINOP_METHOD(m_rsub, BINOP_SUB, 1)
INT_BINOP_METHOD(m_mul, BINOP_MUL, 0)
INT_BINOP_METHOD(m_rmul, BINOP_MUL, 1)
INT_BINOP_METHOD(m_truediv, BINOP_TRUEDIV, 0)
INT_BINOP_METHOD(m_rtruediv, BINOP_TRUEDIV, 1)
INT_BINOP_METHOD(m_floordiv, BINOP_FLOORDIV, 0)
INT_BINOP_METHOD(m_rfloordiv, BINOP_FLOORDIV, 1)
INT_BINOP_METHOD(m_mod, BINOP_MOD, 0)
INT_BINOP_METHOD(m_rmod, BINOP_MOD, 1)
INT_BINOP_METHOD(m_lshift, BINOP_LSHIFT, 0)
INT_BINOP_METHOD(m_rshift, BINOP_RSHIFT, 0)
INT_BINOP_METHOD(m_and, BINOP_AND, 0)
INT_BINOP_METHOD(m_or, BINOP_OR, 0)
INT_BINOP_METHOD(m_xor, BINOP_XOR, 0)

static Object *m_pow(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "__pow__", nargs, kw, 1, 2) < 0) return NULL;
    if (!INT_CHECK(args[0])) return NEWREF(vm->not_implemented);
    Object *m = nargs > 1 && !IS_NONE(vm, args[1]) ? args[1] : NULL;
    if (m && !INT_CHECK(m)) return NEWREF(vm->not_implemented);
    return int_pow(vm, self, args[0], m);
}

static Object *m_divmod(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    if (args_check(vm, "__divmod__", nargs, kw, 1, 1) < 0) return NULL;
    if (!INT_CHECK(args[0])) return NEWREF(vm->not_implemented);
    return int_divmod(vm, self, args[0]);
}

static Object *m_neg(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) { return int_neg(vm, self); }
static Object *m_abs(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) { return int_abs(vm, self); }
static Object *m_invert(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) { return int_invert(vm, self); }
static Object *m_repr(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) { return int_repr(vm, self); }
static Object *m_hash(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return int_from_i64(vm, int_hash_value(self));
}
static Object *m_bool(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) {
    return bool_from(vm, !int_is_zero(self));
}

#define INT_CMP_METHOD(fname, op) \
    static Object *fname(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw) { \
        if (args_check(vm, #fname, nargs, kw, 1, 1) < 0) return NULL; \
        return int_richcompare(vm, self, args[0], op); \
    }
INT_CMP_METHOD(m_lt, CMP_LT)
INT_CMP_METHOD(m_le, CMP_LE)
INT_CMP_METHOD(m_eq, CMP_EQ)
INT_CMP_METHOD(m_ne, CMP_NE)
INT_CMP_METHOD(m_gt, CMP_GT)
INT_CMP_METHOD(m_ge, CMP_GE)

/* ---- start-up ---- */

int int_init(Vm *vm) {
    vm->int_max_str_digits = 4300;
    for (int64_t v = SMALL_INT_MIN; v <= SMALL_INT_MAX; v++) {
        Object *o = int_new_small(vm, &IntType, v);
        if (!o) return -1;
        o->flags |= OF_IMMORTAL;
        vm->small_ints[v - SMALL_INT_MIN] = o;
    }
    if (!vm->false_) {
        if (!(vm->false_ = int_new_small(vm, &BoolType, 0))) return -1;
        vm->false_->flags |= OF_IMMORTAL;
    }
    if (!vm->true_) {
        if (!(vm->true_ = int_new_small(vm, &BoolType, 1))) return -1;
        vm->true_->flags |= OF_IMMORTAL;
    }
    return 0;
}

void int_fini(Vm *vm) {
    for (int i = 0; i <= SMALL_INT_MAX - SMALL_INT_MIN; i++) {
        Object *o = vm->small_ints[i];
        vm->small_ints[i] = NULL;
        XDECREF(vm, o);
    }
    Object *t = vm->true_, *f = vm->false_;
    vm->true_ = vm->false_ = NULL;
    XDECREF(vm, t);
    XDECREF(vm, f);
}

static const MethodDef int_methods[] = {
    {"bit_length", m_bit_length, METH_INSTANCE},
    {"bit_count", m_bit_count, METH_INSTANCE},
    {"conjugate", m_conjugate, METH_INSTANCE},
    {"as_integer_ratio", m_as_integer_ratio, METH_INSTANCE},
    {"__format__", m_format, METH_INSTANCE},
    {"__float__", m_float, METH_INSTANCE},
    {"__int__", m_int, METH_INSTANCE},
    {"__index__", m_int, METH_INSTANCE},
    {"__trunc__", m_int, METH_INSTANCE},
    {"__floor__", m_int, METH_INSTANCE},
    {"__ceil__", m_int, METH_INSTANCE},
    {"__round__", m_round, METH_INSTANCE},
    {"__getnewargs__", m_getnewargs, METH_INSTANCE},
    {"__sizeof__", m_sizeof, METH_INSTANCE},
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
    {"__divmod__", m_divmod, METH_INSTANCE},
    {"__pow__", m_pow, METH_INSTANCE},
    {"__lshift__", m_lshift, METH_INSTANCE},
    {"__rshift__", m_rshift, METH_INSTANCE},
    {"__and__", m_and, METH_INSTANCE},
    {"__or__", m_or, METH_INSTANCE},
    {"__xor__", m_xor, METH_INSTANCE},
    {"__neg__", m_neg, METH_INSTANCE},
    {"__pos__", m_int, METH_INSTANCE},
    {"__abs__", m_abs, METH_INSTANCE},
    {"__invert__", m_invert, METH_INSTANCE},
    {"__bool__", m_bool, METH_INSTANCE},
    {"__repr__", m_repr, METH_INSTANCE},
    {"__hash__", m_hash, METH_INSTANCE},
    {"__lt__", m_lt, METH_INSTANCE},
    {"__le__", m_le, METH_INSTANCE},
    {"__eq__", m_eq, METH_INSTANCE},
    {"__ne__", m_ne, METH_INSTANCE},
    {"__gt__", m_gt, METH_INSTANCE},
    {"__ge__", m_ge, METH_INSTANCE},
    {NULL}
};

Type IntType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC},
    .name = "int",
    .basicsize = sizeof(IntObject),
    .modelled_size = 24,
    .tflags = TP_BASETYPE | TP_INT_SUB,
    .base = &ObjectType,
    .methods = int_methods,
    .repr = int_repr,
    .str = int_repr,
    .hash = int_hash,
    .richcompare = int_richcompare,
    .binop = int_binop,
    .unop = int_unop,
    .is_true = int_is_true,
    .getattr = int_getattr,
    .new_ = int_new_impl,
    .sizeof_ = int_sizeof,
};

static const MethodDef bool_methods[] = {
    {NULL}
};

Type BoolType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC},
    .name = "bool",
    .basicsize = sizeof(IntObject),
    .modelled_size = 24,
    .tflags = TP_INT_SUB,
    .base = &IntType,
    .methods = bool_methods,
    .repr = int_repr,
    .str = int_repr,
    .hash = int_hash,
    .richcompare = int_richcompare,
    .binop = int_binop,
    .unop = int_unop,
    .is_true = int_is_true,
    .getattr = int_getattr,
    .new_ = bool_new_impl,
    .sizeof_ = int_sizeof,
};
