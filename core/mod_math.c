/* mod_math.c — the math module: constants, the libm wrappers with CPython's
 * domain/range errors, and the exact integer functions (isqrt, gcd, lcm, factorial,
 * comb, perm, prod) on arbitrary precision ints.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "float.h"
#include "int.h"
#include "module.h"
#include "str.h"
#include "tuple.h"

#define PI 3.141592653589793238462643383279502884
#define E_CONST 2.718281828459045235360287471352662498

#define FN(name) static Object *name(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)

static Object *domain_error(Vm *vm) { return err_format(vm, &ValueErrorType, "math domain error"); }
static Object *range_error(Vm *vm) { return err_format(vm, &OverflowErrorType, "math range error"); }

/* CPython's math_1: applies [f] and turns NaN from a non-NaN input into a domain error
 * and an infinite result from a finite input into a range (or domain) error. */
static Object *math_1(Vm *vm, Object **args, size_t nargs, Object *kw, const char *name,
                      double (*f)(double), bool can_overflow) {
    if (args_check(vm, name, nargs, kw, 1, 1) < 0) return NULL;
    double x;
    if (float_as_double(vm, args[0], &x) < 0) return NULL;
    double r = f(x);
    if (isnan(r) && !isnan(x)) return domain_error(vm);
    if (isinf(r) && isfinite(x)) return can_overflow ? range_error(vm) : domain_error(vm);
    return float_from_double(vm, r);
}

#define MATH_1(fname, cfunc, overflow) \
    FN(m_##fname) { return math_1(vm, args, nargs, kw, #fname, cfunc, overflow); }
MATH_1(sqrt, sqrt, false)
MATH_1(exp, exp, true)
MATH_1(sin, sin, false)
MATH_1(cos, cos, false)
MATH_1(tan, tan, false)
MATH_1(asin, asin, false)
MATH_1(acos, acos, false)
MATH_1(atan, atan, false)
MATH_1(sinh, sinh, true)
MATH_1(cosh, cosh, true)
MATH_1(tanh, tanh, false)
MATH_1(fabs, fabs, false)
MATH_1(expm1, expm1, true)
MATH_1(log1p, log1p, false)
MATH_1(erf, erf, false)
MATH_1(erfc, erfc, false)
MATH_1(gamma, tgamma, true)
MATH_1(lgamma, lgamma, true)

static double deg(double x) { return x * (180.0 / PI); }
static double rad(double x) { return x * (PI / 180.0); }
MATH_1(degrees, deg, true)
MATH_1(radians, rad, false)

/* log of any positive real, including ints too large for a double. */
static int log_of(Vm *vm, Object *x, double (*f)(double), double *out) {
    if (INT_CHECK(x)) {
        if (int_sign(x) <= 0) { domain_error(vm); return -1; }
        double d;
        if (int_to_double(vm, x, &d) == 0) { *out = f(d); return 0; }
        err_clear(vm);
        /* x = (x >> s) * 2**s with a top part that fits a double. */
        uint64_t bits = int_bit_length(x), s = bits - 64;
        Object *sh = int_from_i64(vm, (int64_t)s);
        Object *top = sh ? obj_binop(vm, x, sh, BINOP_RSHIFT) : NULL;
        XDECREF(vm, sh);
        if (!top || int_to_double(vm, top, &d) < 0) { XDECREF(vm, top); return -1; }
        DECREF(vm, top);
        *out = f(d) + f(2.0) * (double)s;
        return 0;
    }
    double d;
    if (float_as_double(vm, x, &d) < 0) return -1;
    if (d <= 0 || isnan(d)) {
        if (isnan(d)) { *out = d; return 0; }
        domain_error(vm);
        return -1;
    }
    *out = f(d);
    return 0;
}

FN(m_log) {
    if (args_check(vm, "log", nargs, kw, 1, 2) < 0) return NULL;
    double num, den;
    if (log_of(vm, args[0], log, &num) < 0) return NULL;
    if (nargs == 1) return float_from_double(vm, num);
    if (log_of(vm, args[1], log, &den) < 0) return NULL;
    if (den == 0.0) return err_format(vm, &ZeroDivisionErrorType, "float division by zero");
    return float_from_double(vm, num / den);
}

FN(m_log2) {
    if (args_check(vm, "log2", nargs, kw, 1, 1) < 0) return NULL;
    double r;
    return log_of(vm, args[0], log2, &r) < 0 ? NULL : float_from_double(vm, r);
}

FN(m_log10) {
    if (args_check(vm, "log10", nargs, kw, 1, 1) < 0) return NULL;
    double r;
    return log_of(vm, args[0], log10, &r) < 0 ? NULL : float_from_double(vm, r);
}

/* Two-argument double functions. */
static int two_doubles(Vm *vm, const char *name, Object **args, size_t nargs, Object *kw,
                       double *x, double *y) {
    if (args_check(vm, name, nargs, kw, 2, 2) < 0) return -1;
    if (float_as_double(vm, args[0], x) < 0 || float_as_double(vm, args[1], y) < 0) return -1;
    return 0;
}

FN(m_pow) {
    double x, y;
    if (two_doubles(vm, "pow", args, nargs, kw, &x, &y) < 0) return NULL;
    if (x == 0.0 && y < 0 && isfinite(y)) return domain_error(vm);
    if (x < 0 && isfinite(x) && isfinite(y) && y != floor(y)) return domain_error(vm);
    double r = float_pow(x, y);
    if (isinf(r) && isfinite(x) && isfinite(y)) return range_error(vm);
    return float_from_double(vm, r);
}

FN(m_atan2) {
    double x, y;
    if (two_doubles(vm, "atan2", args, nargs, kw, &y, &x) < 0) return NULL;
    return float_from_double(vm, atan2(y, x));
}

FN(m_fmod) {
    double x, y;
    if (two_doubles(vm, "fmod", args, nargs, kw, &x, &y) < 0) return NULL;
    if (isinf(y) && isfinite(x)) return float_from_double(vm, x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y)) return domain_error(vm);
    return float_from_double(vm, r);
}

FN(m_copysign) {
    double x, y;
    if (two_doubles(vm, "copysign", args, nargs, kw, &x, &y) < 0) return NULL;
    return float_from_double(vm, copysign(x, y));
}

FN(m_remainder) {
    double x, y;
    if (two_doubles(vm, "remainder", args, nargs, kw, &x, &y) < 0) return NULL;
    if (y == 0.0 || isinf(x)) return domain_error(vm);
    return float_from_double(vm, remainder(x, y));
}

FN(m_hypot) {
    if (args_nkw(kw)) return err_format(vm, &TypeErrorType, "hypot() takes no keyword arguments");
    double acc = 0.0;
    bool inf = false, nan = false;
    double maxv = 0.0;
    double *vals = malloc((nargs ? nargs : 1) * sizeof *vals);
    if (!vals) return err_no_memory(vm);
    for (size_t i = 0; i < nargs; i++) {
        if (float_as_double(vm, args[i], &vals[i]) < 0) { free(vals); return NULL; }
        vals[i] = fabs(vals[i]);
        if (isinf(vals[i])) inf = true;
        if (isnan(vals[i])) nan = true;
        if (vals[i] > maxv) maxv = vals[i];
    }
    double r;
    if (inf) r = INFINITY;
    else if (nan) r = NAN;
    else if (maxv == 0 || nargs <= 1) r = maxv;
    else if (nargs == 2) r = hypot(vals[0], vals[1]);
    else {
        for (size_t i = 0; i < nargs; i++) { double t = vals[i] / maxv; acc += t * t; }
        r = maxv * sqrt(acc);
    }
    free(vals);
    return float_from_double(vm, r);
}

FN(m_dist) {
    if (args_check(vm, "dist", nargs, kw, 2, 2) < 0) return NULL;
    Object *p = tuple_from_iterable(vm, args[0]);
    Object *q = p ? tuple_from_iterable(vm, args[1]) : NULL;
    if (!q) { XDECREF(vm, p); return NULL; }
    Object *res = NULL;
    if (TUPLE_SIZE(p) != TUPLE_SIZE(q)) {
        err_format(vm, &ValueErrorType, "both points must have the same number of dimensions");
    } else {
        double acc = 0.0;
        size_t i;
        for (i = 0; i < TUPLE_SIZE(p); i++) {
            double a, b;
            if (float_as_double(vm, TUPLE_ITEM(p, i), &a) < 0 || float_as_double(vm, TUPLE_ITEM(q, i), &b) < 0) break;
            acc += (a - b) * (a - b);
        }
        if (i == TUPLE_SIZE(p)) res = float_from_double(vm, sqrt(acc));
    }
    DECREF(vm, p);
    DECREF(vm, q);
    return res;
}

/* floor/ceil/trunc: ints are returned as is, floats converted, others use __floor__ etc. */
static Object *rounding(Vm *vm, Object **args, size_t nargs, Object *kw, const char *name,
                        const char *dunder, double (*f)(double)) {
    if (args_check(vm, name, nargs, kw, 1, 1) < 0) return NULL;
    Object *x = args[0];
    if (INT_CHECK(x)) return int_index(vm, x);
    if (FLOAT_CHECK(x)) return int_from_double(vm, f(((FloatObject *)x)->value));
    Object *n = str_intern_cstr(vm, dunder);
    Object *m = n ? type_lookup(TYPE(x), n) : NULL;
    XDECREF(vm, n);
    if (m) return obj_call_args(vm, m, 1, x);
    if (!strcmp(name, "trunc"))
        return err_format(vm, &TypeErrorType, "type %T doesn't define __trunc__ method", x);
    double d;
    if (float_as_double(vm, x, &d) < 0) return NULL;
    return int_from_double(vm, f(d));
}

FN(m_floor) { return rounding(vm, args, nargs, kw, "floor", "__floor__", floor); }
FN(m_ceil) { return rounding(vm, args, nargs, kw, "ceil", "__ceil__", ceil); }
FN(m_trunc) { return rounding(vm, args, nargs, kw, "trunc", "__trunc__", trunc); }

static Object *predicate(Vm *vm, Object **args, size_t nargs, Object *kw, const char *name, int which) {
    if (args_check(vm, name, nargs, kw, 1, 1) < 0) return NULL;
    double x;
    if (float_as_double(vm, args[0], &x) < 0) return NULL;
    return bool_from(vm, which == 0 ? isfinite(x) : which == 1 ? isinf(x) : isnan(x));
}

FN(m_isfinite) { return predicate(vm, args, nargs, kw, "isfinite", 0); }
FN(m_isinf) { return predicate(vm, args, nargs, kw, "isinf", 1); }
FN(m_isnan) { return predicate(vm, args, nargs, kw, "isnan", 2); }

FN(m_isclose) {
    static const char *const names[] = {"a", "b", "rel_tol", "abs_tol", NULL};
    Object *a[4];
    if (args_unpack(vm, "isclose", args, nargs, kw, names, 2, 2, a) < 0) return NULL;
    double x, y, rel = 1e-9, abs_tol = 0.0;
    if (float_as_double(vm, a[0], &x) < 0 || float_as_double(vm, a[1], &y) < 0) return NULL;
    if (a[2] && float_as_double(vm, a[2], &rel) < 0) return NULL;
    if (a[3] && float_as_double(vm, a[3], &abs_tol) < 0) return NULL;
    if (rel < 0.0 || abs_tol < 0.0) return err_format(vm, &ValueErrorType, "tolerances must be non-negative");
    if (x == y) return bool_from(vm, 1);
    if (isinf(x) || isinf(y)) return bool_from(vm, 0);
    double diff = fabs(y - x);
    return bool_from(vm, (diff <= fabs(rel * y)) || (diff <= fabs(rel * x)) || diff <= abs_tol);
}

FN(m_modf) {
    if (args_check(vm, "modf", nargs, kw, 1, 1) < 0) return NULL;
    double x, ip;
    if (float_as_double(vm, args[0], &x) < 0) return NULL;
    double fp = isinf(x) ? copysign(0.0, x) : modf(x, &ip);
    if (isinf(x)) ip = x;
    Object *a = float_from_double(vm, fp), *b = float_from_double(vm, ip);
    Object *t = a && b ? tuple_pack(vm, 2, a, b) : NULL;
    XDECREF(vm, a);
    XDECREF(vm, b);
    return t;
}

FN(m_frexp) {
    if (args_check(vm, "frexp", nargs, kw, 1, 1) < 0) return NULL;
    double x;
    if (float_as_double(vm, args[0], &x) < 0) return NULL;
    int e = 0;
    double m = isfinite(x) ? frexp(x, &e) : x;
    Object *a = float_from_double(vm, m), *b = int_from_i64(vm, e);
    Object *t = a && b ? tuple_pack(vm, 2, a, b) : NULL;
    XDECREF(vm, a);
    XDECREF(vm, b);
    return t;
}

FN(m_ldexp) {
    if (args_check(vm, "ldexp", nargs, kw, 2, 2) < 0) return NULL;
    double x;
    if (float_as_double(vm, args[0], &x) < 0) return NULL;
    if (!INT_CHECK(args[1])) return err_format(vm, &TypeErrorType, "Expected an int as second argument to ldexp.");
    int64_t e;
    if (int_as_i64(vm, args[1], &e) < 0) { err_clear(vm); e = int_sign(args[1]) < 0 ? INT32_MIN : INT32_MAX; }
    if (e > 100000) e = 100000;
    if (e < -100000) e = -100000;
    double r = ldexp(x, (int)e);
    if (isinf(r) && isfinite(x)) return range_error(vm);
    return float_from_double(vm, r);
}

/* fsum: Shewchuk's exact summation of partials, as CPython's math_fsum. */
FN(m_fsum) {
    if (args_check(vm, "fsum", nargs, kw, 1, 1) < 0) return NULL;
    Object *it = obj_iter(vm, args[0]);
    if (!it) return NULL;
    size_t n = 0, cap = 32;
    double *p = malloc(cap * sizeof *p), special = 0.0, inf_sum = 0.0;
    if (!p) { DECREF(vm, it); return err_no_memory(vm); }
    Object *item;
    while ((item = obj_next(vm, it))) {
        double x;
        int rc = float_as_double(vm, item, &x);
        DECREF(vm, item);
        if (rc < 0) break;
        if (!isfinite(x)) {
            if (isinf(x)) inf_sum += x;
            special += x;
            continue;
        }
        size_t i = 0;
        for (size_t j = 0; j < n; j++) {
            double y = p[j];
            if (fabs(x) < fabs(y)) { double t = x; x = y; y = t; }
            double hi = x + y, lo = y - (hi - x);
            if (lo != 0.0) p[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (n == cap) { cap *= 2; double *q = realloc(p, cap * sizeof *q); if (!q) { err_no_memory(vm); break; } p = q; }
            p[n++] = x;
        }
    }
    DECREF(vm, it);
    if (vm->exc) { free(p); return NULL; }
    double hi = 0.0;
    if (special != 0.0) {
        free(p);
        if (isnan(inf_sum)) return err_format(vm, &ValueErrorType, "-inf + inf in fsum");
        return float_from_double(vm, special);
    }
    if (n > 0) {
        double lo = 0;
        hi = p[--n];
        while (n > 0) {
            double x = hi, y = p[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) break;
        }
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0, x = hi + y, yr = x - hi;
            if (y == yr) hi = x;
        }
    }
    free(p);
    return float_from_double(vm, hi);
}

FN(m_prod) {
    static const char *const names[] = {"iterable", "start", NULL};
    Object *a[2];
    if (args_unpack(vm, "prod", args, nargs, kw, names, 1, 1, a) < 0) return NULL;
    Object *acc = a[1] ? NEWREF(a[1]) : int_from_i64(vm, 1);
    Object *it = acc ? obj_iter(vm, a[0]) : NULL;
    if (!it) { XDECREF(vm, acc); return NULL; }
    Object *item;
    while (acc && (item = obj_next(vm, it))) {
        SETREF(vm, acc, obj_binop(vm, acc, item, BINOP_MUL));
        DECREF(vm, item);
    }
    DECREF(vm, it);
    if (vm->exc) { XDECREF(vm, acc); return NULL; }
    return acc;
}

/* ---- exact integer functions ---- */

/* Converts an argument to an exact int via __index__. */
static Object *int_arg(Vm *vm, Object *o) { return int_index(vm, o); }

FN(m_isqrt) {
    if (args_check(vm, "isqrt", nargs, kw, 1, 1) < 0) return NULL;
    Object *n = int_arg(vm, args[0]);
    if (!n) return NULL;
    if (int_sign(n) < 0) { DECREF(vm, n); return err_format(vm, &ValueErrorType, "isqrt() argument must be nonnegative"); }
    if (int_is_zero(n)) return n;
    /* Newton from above: x = 2**ceil(bits/2), then x = (x + n // x) // 2 while decreasing. */
    uint64_t bits = int_bit_length(n);
    Object *one = int_from_i64(vm, 1), *sh = int_from_i64(vm, (int64_t)((bits + 1) / 2));
    Object *x = obj_binop(vm, one, sh, BINOP_LSHIFT);
    DECREF(vm, sh);
    while (x) {
        Object *q = int_floordiv(vm, n, x);
        Object *s = q ? int_add(vm, x, q) : NULL;
        Object *y = s ? obj_binop(vm, s, one, BINOP_RSHIFT) : NULL;
        XDECREF(vm, q);
        XDECREF(vm, s);
        if (!y) { DECREF(vm, x); x = NULL; break; }
        if (int_compare(y, x) >= 0) { DECREF(vm, y); break; }
        DECREF(vm, x);
        x = y;
    }
    DECREF(vm, one);
    DECREF(vm, n);
    return x;
}

static Object *gcd2(Vm *vm, Object *a, Object *b) {
    Object *x = int_sign(a) < 0 ? int_neg(vm, a) : NEWREF(a);
    Object *y = int_sign(b) < 0 ? int_neg(vm, b) : NEWREF(b);
    while (x && y && !int_is_zero(y)) {
        Object *r = int_mod(vm, x, y);
        DECREF(vm, x);
        x = y;
        y = r;
    }
    XDECREF(vm, y);
    if (!y) { XDECREF(vm, x); return NULL; }
    return x;
}

FN(m_gcd) {
    if (args_nkw(kw)) return err_format(vm, &TypeErrorType, "gcd() takes no keyword arguments");
    Object *acc = int_from_i64(vm, 0);
    for (size_t i = 0; acc && i < nargs; i++) {
        Object *v = int_arg(vm, args[i]);
        if (!v) { DECREF(vm, acc); return NULL; }
        SETREF(vm, acc, gcd2(vm, acc, v));
        DECREF(vm, v);
    }
    return acc;
}

FN(m_lcm) {
    if (args_nkw(kw)) return err_format(vm, &TypeErrorType, "lcm() takes no keyword arguments");
    Object *acc = int_from_i64(vm, 1);
    for (size_t i = 0; acc && i < nargs; i++) {
        Object *v = int_arg(vm, args[i]);
        if (!v) { DECREF(vm, acc); return NULL; }
        if (int_is_zero(v) || int_is_zero(acc)) {
            DECREF(vm, acc);
            acc = int_from_i64(vm, 0);
            DECREF(vm, v);
            continue;
        }
        Object *g = gcd2(vm, acc, v);
        Object *q = g ? int_floordiv(vm, acc, g) : NULL;
        Object *p = q ? int_mul(vm, q, v) : NULL;
        XDECREF(vm, g);
        XDECREF(vm, q);
        DECREF(vm, v);
        DECREF(vm, acc);
        acc = p && int_sign(p) < 0 ? int_neg(vm, p) : (p ? NEWREF(p) : NULL);
        XDECREF(vm, p);
    }
    return acc;
}

/* Product of the integers lo..hi (inclusive) by binary splitting. */
static Object *range_product(Vm *vm, int64_t lo, int64_t hi) {
    if (lo > hi) return int_from_i64(vm, 1);
    if (hi - lo < 8) {
        Object *acc = int_from_i64(vm, lo);
        for (int64_t k = lo + 1; acc && k <= hi; k++) {
            Object *kv = int_from_i64(vm, k);
            if (!kv) { DECREF(vm, acc); return NULL; }
            SETREF(vm, acc, int_mul(vm, acc, kv));
            DECREF(vm, kv);
        }
        return acc;
    }
    int64_t mid = lo + (hi - lo) / 2;
    Object *a = range_product(vm, lo, mid);
    Object *b = a ? range_product(vm, mid + 1, hi) : NULL;
    Object *r = b ? int_mul(vm, a, b) : NULL;
    XDECREF(vm, a);
    XDECREF(vm, b);
    return r;
}

/* Reads a non-negative int argument that must fit in int64. */
static int small_nonneg(Vm *vm, Object *o, const char *what, int64_t *out) {
    Object *v = int_arg(vm, o);
    if (!v) return -1;
    if (int_sign(v) < 0) {
        DECREF(vm, v);
        err_format(vm, &ValueErrorType, "%s must be a non-negative integer", what);
        return -1;
    }
    int rc = int_as_i64(vm, v, out);
    DECREF(vm, v);
    if (rc < 0) { err_clear(vm); err_format(vm, &OverflowErrorType, "%s must not exceed %lld", what, (long long)INT64_MAX); }
    return rc;
}

FN(m_factorial) {
    if (args_check(vm, "factorial", nargs, kw, 1, 1) < 0) return NULL;
    Object *v = int_arg(vm, args[0]);
    if (!v) return NULL;
    if (int_sign(v) < 0) { DECREF(vm, v); return err_format(vm, &ValueErrorType, "factorial() not defined for negative values"); }
    int64_t n;
    int rc = int_as_i64(vm, v, &n);
    DECREF(vm, v);
    if (rc < 0) { err_clear(vm); return err_format(vm, &OverflowErrorType, "factorial() argument should not exceed %lld", 9223372036854775807LL); }
    if (n > 50000000) return err_no_memory(vm);
    return range_product(vm, 1, n);
}

FN(m_perm) {
    if (args_check(vm, "perm", nargs, kw, 1, 2) < 0) return NULL;
    int64_t n, k;
    if (small_nonneg(vm, args[0], "n", &n) < 0) return NULL;
    if (nargs < 2 || IS_NONE(vm, args[1])) k = n;
    else if (small_nonneg(vm, args[1], "k", &k) < 0) return NULL;
    if (k > n) return int_from_i64(vm, 0);
    return range_product(vm, n - k + 1, n);
}

FN(m_comb) {
    if (args_check(vm, "comb", nargs, kw, 2, 2) < 0) return NULL;
    int64_t n, k;
    if (small_nonneg(vm, args[0], "n", &n) < 0 || small_nonneg(vm, args[1], "k", &k) < 0) return NULL;
    if (k > n) return int_from_i64(vm, 0);
    if (k > n - k) k = n - k;
    Object *num = range_product(vm, n - k + 1, n);
    Object *den = num ? range_product(vm, 1, k) : NULL;
    Object *r = den ? int_floordiv(vm, num, den) : NULL;
    XDECREF(vm, num);
    XDECREF(vm, den);
    return r;
}

static const MethodDef math_methods[] = {
    {"sqrt", m_sqrt, METH_STATIC},
    {"exp", m_exp, METH_STATIC},
    {"expm1", m_expm1, METH_STATIC},
    {"log", m_log, METH_STATIC},
    {"log2", m_log2, METH_STATIC},
    {"log10", m_log10, METH_STATIC},
    {"log1p", m_log1p, METH_STATIC},
    {"pow", m_pow, METH_STATIC},
    {"sin", m_sin, METH_STATIC},
    {"cos", m_cos, METH_STATIC},
    {"tan", m_tan, METH_STATIC},
    {"asin", m_asin, METH_STATIC},
    {"acos", m_acos, METH_STATIC},
    {"atan", m_atan, METH_STATIC},
    {"atan2", m_atan2, METH_STATIC},
    {"sinh", m_sinh, METH_STATIC},
    {"cosh", m_cosh, METH_STATIC},
    {"tanh", m_tanh, METH_STATIC},
    {"erf", m_erf, METH_STATIC},
    {"erfc", m_erfc, METH_STATIC},
    {"gamma", m_gamma, METH_STATIC},
    {"lgamma", m_lgamma, METH_STATIC},
    {"degrees", m_degrees, METH_STATIC},
    {"radians", m_radians, METH_STATIC},
    {"fabs", m_fabs, METH_STATIC},
    {"fmod", m_fmod, METH_STATIC},
    {"copysign", m_copysign, METH_STATIC},
    {"remainder", m_remainder, METH_STATIC},
    {"hypot", m_hypot, METH_STATIC},
    {"dist", m_dist, METH_STATIC},
    {"floor", m_floor, METH_STATIC},
    {"ceil", m_ceil, METH_STATIC},
    {"trunc", m_trunc, METH_STATIC},
    {"isfinite", m_isfinite, METH_STATIC},
    {"isinf", m_isinf, METH_STATIC},
    {"isnan", m_isnan, METH_STATIC},
    {"isclose", m_isclose, METH_STATIC},
    {"modf", m_modf, METH_STATIC},
    {"frexp", m_frexp, METH_STATIC},
    {"ldexp", m_ldexp, METH_STATIC},
    {"fsum", m_fsum, METH_STATIC},
    {"prod", m_prod, METH_STATIC},
    {"isqrt", m_isqrt, METH_STATIC},
    {"gcd", m_gcd, METH_STATIC},
    {"lcm", m_lcm, METH_STATIC},
    {"factorial", m_factorial, METH_STATIC},
    {"perm", m_perm, METH_STATIC},
    {"comb", m_comb, METH_STATIC},
    {NULL}
};

static int add_float(Vm *vm, Object *m, const char *name, double v) {
    Object *f = float_from_double(vm, v);
    if (!f) return -1;
    int rc = module_add_object(vm, m, name, f);
    DECREF(vm, f);
    return rc;
}

Object *mod_math_create(Vm *vm) {
    Object *m = module_new(vm, "math");
    if (!m) return NULL;
    if (module_add_methods(vm, m, math_methods) < 0 || add_float(vm, m, "pi", PI) < 0 ||
        add_float(vm, m, "e", E_CONST) < 0 || add_float(vm, m, "tau", 2 * PI) < 0 ||
        add_float(vm, m, "inf", INFINITY) < 0 || add_float(vm, m, "nan", NAN) < 0) {
        DECREF(vm, m);
        return NULL;
    }
    return m;
}
