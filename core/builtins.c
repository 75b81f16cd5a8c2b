/* builtins.c — the builtins module: print/input, the functions over iterables (len,
 * sum, min, max, sorted, any, all), the conversions and introspection functions
 * (repr, ascii, chr, ord, bin, hex, oct, format, round, divmod, pow, id, hash,
 * isinstance, getattr, dir, vars, globals, locals, ...), the built-in types and
 * exceptions by name, and the iterator types enumerate, zip, map, filter, reversed,
 * the sequence iterator and the callable iterator.
 */
#include "builtins.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cell.h"
#include "class.h"
#include "code.h"
#include "dict.h"
#include "gc.h"
#include "events.h"
#include "exc.h"
#include "float.h"
#include "format.h"
#include "frame.h"
#include "func.h"
#include "int.h"
#include "list.h"
#include "module.h"
#include "set.h"
#include "str.h"
#include "tuple.h"

#define CHECK(name, lo, hi) if (args_check(vm, name, nargs, kw, lo, hi) < 0) return NULL

/* ---- output and input ---- */

/* Returns the object print() writes to when file is None: sys.stdout if the sys
 * module exists (it may have been replaced), else NULL for the real stdout. */
static Object *current_stdout(Vm *vm)
{
    if (!vm->modules) return NULL;
    Object *sys = dict_get_str(vm, vm->modules, "sys");
    if (!sys || TYPE(sys) != &ModuleType) return NULL;
    return dict_get_str(vm, module_dict(sys), "stdout");
}

/* Writes a str to [file] (a StdStream writes directly; others get file.write(s)). */
static int file_write(Vm *vm, Object *file, Object *s)
{
    if (!file || TYPE(file) == &StdStreamType) {
        int stream = file ? ((StdStreamObject *)file)->stream : 1;
        /* CPython's print calls sys.stdout.write, which calls its buffer's write:
         * two C calls that count against the recursion limit. */
        if (vm_enter_c_call(vm, 2, " while calling a Python object") < 0) return -1;
        vm_write(vm, stream, str_cstr(s), str_byte_len(s));
        vm_leave_c_call(vm, 2);
        return 0;
    }
    Object *r = obj_call_method(vm, file, "write", 1, s);
    if (!r) return -1;
    DECREF(vm, r);
    return 0;
}

static int print_option(Vm *vm, const char *what, Object *v, Object **out)
{
    if (!v || IS_NONE(vm, v)) return 0;
    if (!STR_CHECK(v)) {
        err_format(vm, &TypeErrorType, "%s must be None or a string, not %T", what, v);
        return -1;
    }
    *out = v;
    return 0;
}

static Object *b_print(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    static const char *const names[] = {"sep", "end", "file", "flush", NULL};
    Object *opt[4];
    if (args_unpack(vm, "print", args + nargs, 0, kw, names, 0, 0, opt) < 0) return NULL;
    Object *sep = NULL, *end = NULL;
    if (print_option(vm, "sep", opt[0], &sep) < 0 || print_option(vm, "end", opt[1], &end) < 0)
        return NULL;
    Object *file = opt[2] && !IS_NONE(vm, opt[2]) ? opt[2] : current_stdout(vm);
    if (file && IS_NONE(vm, file)) RETURN_NONE(vm);
    if (!file || TYPE(file) == &StdStreamType) {
        StrBuf b;
        strbuf_init(&b);
        for (size_t i = 0; i < nargs; i++) {
            if (i) {
                if (sep) strbuf_append_str(&b, sep);
                else strbuf_append_char(&b, ' ');
            }
            Object *s = obj_str(vm, args[i]);
            if (!s) {
                strbuf_free(&b);
                return NULL;
            }
            strbuf_append_str(&b, s);
            DECREF(vm, s);
        }
        if (end) strbuf_append_str(&b, end);
        else strbuf_append_char(&b, '\n');
        Object *text = strbuf_finish(vm, &b);
        if (!text) return NULL;
        int rc = file_write(vm, file, text);
        DECREF(vm, text);
        if (rc < 0) return NULL;
        RETURN_NONE(vm);
    }
    for (size_t i = 0; i < nargs; i++) {
        if (i) {
            Object *s = sep ? NEWREF(sep) : str_from_cstr(vm, " ");
            int rc = s ? file_write(vm, file, s) : -1;
            XDECREF(vm, s);
            if (rc < 0) return NULL;
        }
        Object *s = obj_str(vm, args[i]);
        int rc = s ? file_write(vm, file, s) : -1;
        XDECREF(vm, s);
        if (rc < 0) return NULL;
    }
    Object *e = end ? NEWREF(end) : str_from_cstr(vm, "\n");
    int rc = e ? file_write(vm, file, e) : -1;
    XDECREF(vm, e);
    if (rc < 0) return NULL;
    if (opt[3] && obj_is_true(vm, opt[3]) > 0 && type_lookup_str(TYPE(file), "flush")) {
        Object *r = obj_call_method(vm, file, "flush", 0);
        if (!r) return NULL;
        DECREF(vm, r);
    }
    RETURN_NONE(vm);
}

/* input(): the next configured stdin line, without its newline. With no line left:
 * EOFError as CPython with an exhausted stdin, or, in an interactive run (the web
 * engine), a pause for the learner's line: when the call comes straight from the
 * outermost eval loop (vm->input_direct, set by CALL) the run suspends and
 * pf_resume gives the line as this call's result; otherwise (a C-level caller sits
 * in between) the run stops with status 4 and the page re-runs it with the line. */
static Object *b_input(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    bool direct = vm->input_direct;
    vm->input_direct = false;
    CHECK("input", 0, 1);
    Object *prompt = NULL;
    if (nargs) {
        prompt = obj_str(vm, args[0]);
        if (!prompt) return NULL;
        int rc = file_write(vm, current_stdout(vm), prompt);
        if (rc < 0) {
            DECREF(vm, prompt);
            return NULL;
        }
    }
    const char *const *lines = vm->config.stdin_lines;
    size_t avail = 0;
    while (lines && lines[avail]) avail++;
    if (vm->input_pos >= avail) {
        if (vm->config.interactive) {
            EV(vm, input, prompt);
            XDECREF(vm, prompt);
            vm_input_wait(vm, direct);
            return NULL;
        }
        XDECREF(vm, prompt);
        return err_format(vm, &EOFErrorType, "EOF when reading a line");
    }
    XDECREF(vm, prompt);
    return vm_input_line(vm, lines[vm->input_pos++]);
}

/* ---- functions over iterables ---- */

static Object *b_len(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("len", 1, 1);
    int64_t n = obj_len(vm, args[0]);
    return n < 0 ? NULL : int_from_i64(vm, n);
}

static Object *b_sum(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    size_t nkw = args_nkw(kw);
    if (nargs + nkw > 2)
        return err_format(vm, &TypeErrorType, "sum() takes at most 2 arguments (%zu given)", nargs + nkw);
    if (nargs == 0)
        return err_format(vm, &TypeErrorType, "sum() takes at least 1 positional argument (0 given)");
    Object *start = nargs > 1 ? args[1] : NULL;
    if (nkw) {
        if (!str_eq_cstr(TUPLE_ITEM(kw, 0), "start"))
            return err_format(vm, &TypeErrorType, "'%U' is an invalid keyword argument for sum()",
                              TUPLE_ITEM(kw, 0));
        start = args[nargs];
    }
    if (start && STR_CHECK(start))
        return err_format(vm, &TypeErrorType, "sum() can't sum strings [use ''.join(seq) instead]");
    Object *it = obj_iter(vm, args[0]);
    if (!it) return NULL;
    Object *acc = start ? NEWREF(start) : int_from_i64(vm, 0);
    Object *item;
    while (acc && (item = obj_next(vm, it))) {
        Object *r;
        if (TYPE(acc) == &IntType && TYPE(item) == &IntType && ((IntObject *)acc)->ndigits == 0 &&
            ((IntObject *)item)->ndigits == 0) {
            int64_t x = ((IntObject *)acc)->small, y = ((IntObject *)item)->small, z;
            r = __builtin_add_overflow(x, y, &z) ? obj_binop(vm, acc, item, BINOP_ADD)
                                                 : int_from_i64(vm, z);
        } else {
            r = obj_binop(vm, acc, item, BINOP_ADD);
        }
        DECREF(vm, item);
        DECREF(vm, acc);
        acc = r;
    }
    DECREF(vm, it);
    if (vm->exc) {
        XDECREF(vm, acc);
        return NULL;
    }
    return acc;
}

static Object *min_max(Vm *vm, Object **args, size_t nargs, Object *kw, int op, const char *name)
{
    static const char *const names[] = {"key", "default", NULL};
    Object *opt[2];
    if (nargs == 0)
        return err_format(vm, &TypeErrorType, "%s expected at least 1 argument, got 0", name);
    if (args_unpack(vm, name, args + nargs, 0, kw, names, 0, 0, opt) < 0) return NULL;
    Object *key = opt[0] && !IS_NONE(vm, opt[0]) ? opt[0] : NULL, *dflt = opt[1];
    if (nargs > 1 && dflt)
        return err_format(vm, &TypeErrorType,
                          "Cannot specify a default for %s() with multiple positional arguments", name);
    Object *src = nargs == 1 ? NEWREF(args[0]) : tuple_from_array(vm, args, nargs);
    if (!src) return NULL;
    Object *it = obj_iter(vm, src);
    DECREF(vm, src);
    if (!it) return NULL;
    Object *best = NULL, *best_key = NULL, *item;
    while ((item = obj_next(vm, it))) {
        Object *k = key ? obj_call(vm, key, &item, 1, NULL) : NEWREF(item);
        if (!k) {
            DECREF(vm, item);
            break;
        }
        if (!best) {
            best = item;
            best_key = k;
            continue;
        }
        int better = obj_richcompare_bool(vm, k, best_key, op);
        if (better < 0) {
            DECREF(vm, item);
            DECREF(vm, k);
            break;
        }
        if (better) {
            SETREF(vm, best, item);
            SETREF(vm, best_key, k);
        } else {
            DECREF(vm, item);
            DECREF(vm, k);
        }
    }
    DECREF(vm, it);
    XDECREF(vm, best_key);
    if (vm->exc) {
        XDECREF(vm, best);
        return NULL;
    }
    if (best) return best;
    if (dflt) return NEWREF(dflt);
    return err_format(vm, &ValueErrorType, "%s() arg is an empty sequence", name);
}

static Object *b_min(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    return min_max(vm, args, nargs, kw, CMP_LT, "min");
}

static Object *b_max(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    return min_max(vm, args, nargs, kw, CMP_GT, "max");
}

static Object *b_sorted(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (nargs != 1)
        return err_format(vm, &TypeErrorType, "sorted expected 1 argument, got %zu", nargs);
    static const char *const names[] = {"key", "reverse", NULL};
    Object *opt[2];
    Object *l = list_from_iterable(vm, args[0]);
    if (!l) return NULL;
    if (args_unpack(vm, "sort", args + 1, 0, kw, names, 0, 0, opt) < 0) {
        DECREF(vm, l);
        return NULL;
    }
    /* CPython's sorted() calls the new list's sort method, a C call that counts
     * against the recursion limit while the key function runs. */
    if (vm_enter_c_call(vm, 1, " while calling a Python object") < 0) {
        DECREF(vm, l);
        return NULL;
    }
    int reverse = 0;
    if (opt[1]) {
        if (FLOAT_CHECK(opt[1])) {
            vm_leave_c_call(vm, 1);
            DECREF(vm, l);
            return err_format(vm, &TypeErrorType, "'float' object cannot be interpreted as an integer");
        }
        reverse = obj_is_true(vm, opt[1]);
    }
    int rc = reverse < 0 ? -1 : list_sort(vm, l, opt[0], reverse);
    vm_leave_c_call(vm, 1);
    if (rc < 0) {
        DECREF(vm, l);
        return NULL;
    }
    return l;
}

/* any()/all(): stops at the first item whose truth is [stop_on]. */
static Object *any_all(Vm *vm, Object *iterable, int stop_on)
{
    Object *it = obj_iter(vm, iterable);
    if (!it) return NULL;
    Object *item;
    int found = 0;
    while (!found && (item = obj_next(vm, it))) {
        int t = obj_is_true(vm, item);
        DECREF(vm, item);
        if (t < 0) break;
        found = t == stop_on;
    }
    DECREF(vm, it);
    if (vm->exc) return NULL;
    return bool_from(vm, stop_on ? found : !found);
}

static Object *b_any(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("any", 1, 1);
    return any_all(vm, args[0], 1);
}

static Object *b_all(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("all", 1, 1);
    return any_all(vm, args[0], 0);
}

/* ---- numbers ---- */

static Object *b_abs(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("abs", 1, 1);
    Object *x = args[0];
    if (type_lookup_str(TYPE(x), "__abs__")) return obj_call_method(vm, x, "__abs__", 0);
    if (TYPE(x) == &FloatType) return float_from_double(vm, fabs(((FloatObject *)x)->value));
    if (INT_CHECK(x)) {
        if (int_sign(x) < 0) return int_neg(vm, x);
        return TYPE(x) == &IntType ? NEWREF(x) : int_add(vm, x, vm->small_ints[-SMALL_INT_MIN]);
    }
    return err_format(vm, &TypeErrorType, "bad operand type for abs(): '%s'", type_name(TYPE(x)));
}

/* round(int, negative ndigits): round half to even to a multiple of 10**-ndigits. */
static Object *round_int(Vm *vm, Object *x, Object *ndigits)
{
    Object *ten = int_from_i64(vm, 10), *neg = int_neg(vm, ndigits);
    Object *p = ten && neg ? int_pow(vm, ten, neg, NULL) : NULL;
    XDECREF(vm, ten);
    XDECREF(vm, neg);
    if (!p) return NULL;
    Object *q = int_floordiv(vm, x, p), *r = q ? int_mod(vm, x, p) : NULL;
    Object *two_r = r ? int_add(vm, r, r) : NULL;
    Object *result = NULL;
    if (two_r) {
        int c = int_compare(two_r, p);
        Object *one = vm->small_ints[1 - SMALL_INT_MIN];
        Object *odd = int_mod(vm, q, vm->small_ints[2 - SMALL_INT_MIN]);
        if (odd && (c > 0 || (c == 0 && !int_is_zero(odd)))) SETREF(vm, q, int_add(vm, q, one));
        XDECREF(vm, odd);
        if (q) result = int_mul(vm, q, p);
    }
    XDECREF(vm, q);
    XDECREF(vm, r);
    XDECREF(vm, two_r);
    DECREF(vm, p);
    return result;
}

static Object *b_round(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    static const char *const names[] = {"number", "ndigits", NULL};
    Object *a[2];
    if (args_unpack(vm, "round", args, nargs, kw, names, 1, 2, a) < 0) return NULL;
    Object *x = a[0], *nd = a[1] && !IS_NONE(vm, a[1]) ? a[1] : NULL;
    Type *t = TYPE(x);
    if ((t->tflags & TP_HEAPTYPE) && type_lookup_str(t, "__round__")) {
        if (nd) return obj_call_method(vm, x, "__round__", 1, nd);
        return obj_call_method(vm, x, "__round__", 0);
    }
    int64_t n = 0;
    Object *ndi = NULL;
    if (nd) {
        ndi = int_index(vm, nd);
        if (!ndi) return NULL;
        if (int_as_i64(vm, ndi, &n) < 0) {
            err_clear(vm);
            n = int_sign(ndi) < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
        }
    }
    Object *r;
    if (FLOAT_CHECK(x)) {
        double d = ((FloatObject *)x)->value;
        if (!nd) {
            double y = nearbyint(d);
            r = int_from_double(vm, y);
        } else {
            r = float_round_ndigits(vm, d, n);
        }
    } else if (INT_CHECK(x)) {
        if (!nd || n >= 0) r = int_add(vm, x, vm->small_ints[-SMALL_INT_MIN]);
        else r = round_int(vm, x, ndi);
    } else if (type_lookup_str(t, "__round__")) {
        r = nd ? obj_call_method(vm, x, "__round__", 1, nd) : obj_call_method(vm, x, "__round__", 0);
    } else {
        r = err_format(vm, &TypeErrorType, "type %s doesn't define __round__ method", type_name(t));
    }
    XDECREF(vm, ndi);
    return r;
}

static Object *b_divmod(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("divmod", 2, 2);
    Object *a = args[0], *b = args[1];
    if ((TYPE(a)->tflags & TP_HEAPTYPE) && type_lookup_str(TYPE(a), "__divmod__")) {
        Object *r = obj_call_method(vm, a, "__divmod__", 1, b);
        if (r != vm->not_implemented) return r;
        DECREF(vm, r);
    }
    if ((TYPE(b)->tflags & TP_HEAPTYPE) && type_lookup_str(TYPE(b), "__rdivmod__")) {
        Object *r = obj_call_method(vm, b, "__rdivmod__", 1, a);
        if (r != vm->not_implemented) return r;
        DECREF(vm, r);
    }
    bool num_a = INT_CHECK(a) || FLOAT_CHECK(a), num_b = INT_CHECK(b) || FLOAT_CHECK(b);
    if (!num_a || !num_b)
        return err_format(vm, &TypeErrorType, "unsupported operand type(s) for divmod(): '%s' and '%s'",
                          type_name(TYPE(a)), type_name(TYPE(b)));
    if (INT_CHECK(a) && INT_CHECK(b)) {
        Object *q = int_floordiv(vm, a, b);
        if (!q) return NULL;
        Object *r = int_mod(vm, a, b);
        Object *t = r ? tuple_pack(vm, 2, q, r) : NULL;
        DECREF(vm, q);
        XDECREF(vm, r);
        return t;
    }
    double x, y, q, m;
    if (float_as_double(vm, a, &x) < 0 || float_as_double(vm, b, &y) < 0) return NULL;
    if (float_divmod(vm, x, y, &q, &m) < 0) return NULL;
    Object *fq = float_from_double(vm, q), *fm = float_from_double(vm, m);
    Object *t = fq && fm ? tuple_pack(vm, 2, fq, fm) : NULL;
    XDECREF(vm, fq);
    XDECREF(vm, fm);
    return t;
}

static Object *b_pow(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    static const char *const names[] = {"base", "exp", "mod", NULL};
    Object *a[3];
    if (args_unpack(vm, "pow", args, nargs, kw, names, 2, 3, a) < 0) return NULL;
    if (!a[2] || IS_NONE(vm, a[2])) return obj_binop(vm, a[0], a[1], BINOP_POW);
    if (INT_CHECK(a[0]) && INT_CHECK(a[1]) && INT_CHECK(a[2])) return int_pow(vm, a[0], a[1], a[2]);
    if ((TYPE(a[0])->tflags & TP_HEAPTYPE) && type_lookup_str(TYPE(a[0]), "__pow__"))
        return obj_call_method(vm, a[0], "__pow__", 2, a[1], a[2]);
    if (FLOAT_CHECK(a[0]) || FLOAT_CHECK(a[1]) || FLOAT_CHECK(a[2]))
        return err_format(vm, &TypeErrorType,
                          "pow() 3rd argument not allowed unless all arguments are integers");
    return err_format(vm, &TypeErrorType,
                      "unsupported operand type(s) for ** or pow(): '%s', '%s', '%s'",
                      type_name(TYPE(a[0])), type_name(TYPE(a[1])), type_name(TYPE(a[2])));
}

/* bin/oct/hex: the int's digits in [base] with [prefix] and sign. */
static Object *int_text(Vm *vm, Object *x, int base, const char *prefix)
{
    Object *i = int_index(vm, x);
    if (!i) return NULL;
    char *digits = int_to_base_cstr(vm, i, base);
    Object *r = NULL;
    if (digits) {
        r = str_from_format(vm, "%s%s%s", int_sign(i) < 0 ? "-" : "", prefix, digits);
        free(digits);
    }
    DECREF(vm, i);
    return r;
}

static Object *b_bin(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("bin", 1, 1);
    return int_text(vm, args[0], 2, "0b");
}

static Object *b_oct(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("oct", 1, 1);
    return int_text(vm, args[0], 8, "0o");
}

static Object *b_hex(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("hex", 1, 1);
    return int_text(vm, args[0], 16, "0x");
}

/* ---- text ---- */

static Object *b_repr(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("repr", 1, 1);
    return obj_repr(vm, args[0]);
}

static Object *b_ascii(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("ascii", 1, 1);
    Object *r = obj_repr(vm, args[0]);
    if (!r || STR_IS_ASCII(r)) return r;
    StrBuf b;
    strbuf_init(&b);
    const char *p = str_cstr(r), *end = p + str_byte_len(r);
    while (p < end) {
        uint32_t cp = str_decode_utf8(&p);
        if (cp < 128) strbuf_append_char(&b, (char)cp);
        else strbuf_append_escape(&b, cp);
    }
    DECREF(vm, r);
    return strbuf_finish(vm, &b);
}

static Object *b_chr(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("chr", 1, 1);
    Object *i = int_index(vm, args[0]);
    if (!i) return NULL;
    int cp;
    int rc = int_as_c_int(vm, i, &cp);
    DECREF(vm, i);
    if (rc < 0) return NULL;
    return str_from_codepoint(vm, cp);
}

static Object *b_ord(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("ord", 1, 1);
    Object *c = args[0];
    if (!STR_CHECK(c))
        return err_format(vm, &TypeErrorType, "ord() expected string of length 1, but %T found", c);
    if (str_len(c) != 1)
        return err_format(vm, &TypeErrorType,
                          "ord() expected a character, but string of length %zu found", str_len(c));
    return int_from_i64(vm, str_codepoint_at(c, 0));
}

static Object *b_format(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("format", 1, 2);
    if (nargs > 1 && !STR_CHECK(args[1]))
        return err_format(vm, &TypeErrorType, "format() argument 2 must be str, not %T", args[1]);
    return obj_format(vm, args[0], nargs > 1 ? args[1] : NULL);
}

/* ---- objects and attributes ---- */

static Object *b_id(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("id", 1, 1);
    uint64_t a = obj_address(args[0]);
    return int_from_i64(vm, (int64_t)a);
}

static Object *b_hash(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("hash", 1, 1);
    Hash h = obj_hash(vm, args[0]);
    return h == -1 ? NULL : int_from_i64(vm, h);
}

static Object *b_callable(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("callable", 1, 1);
    Type *t = TYPE(args[0]);
    return bool_from(vm, t->call != NULL || type_lookup_str(t, "__call__") != NULL);
}

static Object *b_isinstance(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("isinstance", 2, 2);
    int r = obj_isinstance(vm, args[0], args[1]);
    return r < 0 ? NULL : bool_from(vm, r);
}

static bool is_type(Object *o) { return obj_isinstance_type(o, &TypeType); }

static int subclass_check(Vm *vm, Object *c, Object *cls)
{
    if (TYPE(cls) == &TupleType) {
        for (size_t i = 0; i < TUPLE_SIZE(cls); i++) {
            int r = subclass_check(vm, c, TUPLE_ITEM(cls, i));
            if (r != 0) return r;
        }
        return 0;
    }
    if (!is_type(cls)) {
        err_format(vm, &TypeErrorType,
                   "issubclass() arg 2 must be a class, a tuple of classes, or a union");
        return -1;
    }
    return type_is_subtype((Type *)c, (Type *)cls);
}

static Object *b_issubclass(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("issubclass", 2, 2);
    if (!is_type(args[0])) return err_format(vm, &TypeErrorType, "issubclass() arg 1 must be a class");
    int r = subclass_check(vm, args[0], args[1]);
    return r < 0 ? NULL : bool_from(vm, r);
}

static int check_attr_name(Vm *vm, Object *name)
{
    if (STR_CHECK(name)) return 0;
    err_format(vm, &TypeErrorType, "attribute name must be string, not '%s'", type_name(TYPE(name)));
    return -1;
}

static Object *b_getattr(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("getattr", 2, 3);
    if (check_attr_name(vm, args[1]) < 0) return NULL;
    if (nargs == 2) return obj_getattr(vm, args[0], args[1]);
    Object *r = obj_lookup_attr(vm, args[0], args[1]);
    if (r || vm->exc) return r;
    return NEWREF(args[2]);
}

static Object *b_setattr(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("setattr", 3, 3);
    if (check_attr_name(vm, args[1]) < 0) return NULL;
    if (obj_setattr(vm, args[0], args[1], args[2]) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *b_delattr(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("delattr", 2, 2);
    if (check_attr_name(vm, args[1]) < 0) return NULL;
    if (obj_setattr(vm, args[0], args[1], NULL) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *b_hasattr(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("hasattr", 2, 2);
    if (check_attr_name(vm, args[1]) < 0) return NULL;
    Object *r = obj_lookup_attr(vm, args[0], args[1]);
    if (!r) return vm->exc ? NULL : bool_from(vm, 0);
    DECREF(vm, r);
    return bool_from(vm, 1);
}

Object *builtins_locals(Vm *vm)
{
    Frame *f = vm->frame;
    if (!f) return NEWREF(vm->main_globals ? vm->main_globals : vm->builtins);
    if (f->locals) return NEWREF(f->locals);
    CodeObject *code = f->code;
    Object *d = dict_new(vm);
    if (!d) return NULL;
    for (int i = 0; i < code->nlocals; i++) {
        Object *v = f->localsplus[i];
        if (v && dict_set(vm, d, TUPLE_ITEM(code->varnames, i), v) < 0) goto fail;
    }
    for (int i = 0; i < code->ncells + code->nfrees; i++) {
        Object *cell = f->localsplus[code->nlocals + i];
        Object *v = cell && CELL_CHECK(cell) ? CELL_GET(cell) : NULL;
        Object *name = i < code->ncells ? TUPLE_ITEM(code->cellvars, i)
                                        : TUPLE_ITEM(code->freevars, i - code->ncells);
        if (v && dict_set(vm, d, name, v) < 0) goto fail;
    }
    return d;
fail:
    DECREF(vm, d);
    return NULL;
}

static Object *b_locals(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("locals", 0, 0);
    return builtins_locals(vm);
}

static Object *b_globals(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("globals", 0, 0);
    if (vm->frame) return NEWREF(vm->frame->globals);
    return NEWREF(vm->main_globals ? vm->main_globals : vm->builtins);
}

static Object *b_vars(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("vars", 0, 1);
    if (nargs == 0) return builtins_locals(vm);
    Object *name = str_intern_cstr(vm, "__dict__");
    if (!name) return NULL;
    Object *d = obj_lookup_attr(vm, args[0], name);
    DECREF(vm, name);
    if (d || vm->exc) return d;
    return err_format(vm, &TypeErrorType, "vars() argument must have __dict__ attribute");
}

/* Adds the keys of dict [d] to set [names]. */
static int add_keys(Vm *vm, Object *names, Object *d)
{
    if (!d || !(TYPE(d) == &DictType || type_is_subtype(TYPE(d), &DictType))) return 0;
    size_t pos = 0;
    Object *k;
    while (dict_next(d, &pos, &k, NULL))
        if (set_add(vm, names, k) < 0) return -1;
    return 0;
}

static Object *b_dir(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("dir", 0, 1);
    Object *src;
    if (nargs == 0) {
        src = builtins_locals(vm);
        if (!src) return NULL;
        Object *keys = dict_keys_list(vm, src);
        DECREF(vm, src);
        if (keys && list_sort(vm, keys, NULL, false) < 0) SETREF(vm, keys, NULL);
        return keys;
    }
    Object *o = args[0];
    if ((TYPE(o)->tflags & TP_HEAPTYPE) && type_lookup_str(TYPE(o), "__dir__")) {
        Object *r = obj_call_method(vm, o, "__dir__", 0);
        if (!r) return NULL;
        Object *l = list_from_iterable(vm, r);
        DECREF(vm, r);
        if (l && list_sort(vm, l, NULL, false) < 0) SETREF(vm, l, NULL);
        return l;
    }
    Object *names = set_new(vm);
    if (!names) return NULL;
    int rc = 0;
    if (TYPE(o) == &ModuleType) {
        rc = add_keys(vm, names, module_dict(o));
    } else {
        Type *t = is_type(o) ? (Type *)o : TYPE(o);
        if (!is_type(o) && TYPE(o)->dict_offset) {
            Object *d = *(Object **)((char *)o + TYPE(o)->dict_offset);
            gc_dict_materialize(vm, d); /* CPython's dir() asks for __dict__ */
            rc = add_keys(vm, names, d);
        }
        if (rc == 0 && t->mro) {
            for (size_t i = 0; rc == 0 && i < TUPLE_SIZE(t->mro); i++)
                rc = add_keys(vm, names, ((Type *)TUPLE_ITEM(t->mro, i))->dict);
        } else if (rc == 0) {
            for (Type *b = t; rc == 0 && b; b = b->base) rc = add_keys(vm, names, b->dict);
        }
        if (rc == 0 && !is_type(o)) {
            Object *cls = str_intern_cstr(vm, "__class__");
            rc = cls ? set_add(vm, names, cls) : -1;
            XDECREF(vm, cls);
        }
    }
    Object *l = rc == 0 ? list_from_iterable(vm, names) : NULL;
    DECREF(vm, names);
    if (l && list_sort(vm, l, NULL, false) < 0) SETREF(vm, l, NULL);
    return l;
}

static Object *b_next(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("next", 1, 2);
    Object *it = args[0];
    if (!TYPE(it)->iternext)
        return err_format(vm, &TypeErrorType, "'%s' object is not an iterator", type_name(TYPE(it)));
    Object *r = TYPE(it)->iternext(vm, it);
    if (r || vm->exc) {
        if (!r && nargs > 1 && err_matches(vm, &StopIterationType)) {
            err_clear(vm);
            return NEWREF(args[1]);
        }
        return r;
    }
    if (nargs > 1) return NEWREF(args[1]);
    err_set(vm, &StopIterationType, NULL);
    return NULL;
}

static Object *b_exit(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("exit", 0, 1);
    err_set(vm, &SystemExitType, nargs ? args[0] : NULL);
    return NULL;
}

/* ---- iterator types ---- */

/* One layout serves every iterator below: [a] the main source (iterator, sequence or
 * callable), [b] a second object (function, sentinel, or the tuple of zip/map
 * iterators), [index] a position or counter, [flag] zip's strict. */
typedef struct {
    Object ob;
    Object *a;
    Object *b;
    int64_t index;
    Object *big_index; /* enumerate's count once it leaves int64 (or for big starts) */
    bool flag;
} IterObject;

#define IT(o) ((IterObject *)(o))

static Object *iterobj_new(Vm *vm, Type *type, Object *a, Object *b, int64_t index)
{
    IterObject *it = (IterObject *)obj_alloc(vm, type, type->basicsize);
    if (!it) return NULL;
    it->a = a;
    it->b = b;
    it->index = index;
    gc_track(vm, (Object *)it);
    return (Object *)it;
}

static void iterobj_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, IT(self)->a);
    XDECREF(vm, IT(self)->b);
    XDECREF(vm, IT(self)->big_index);
    obj_free(vm, self);
}

static int iterobj_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    int rc;
    if (IT(self)->a && (rc = visit(vm, IT(self)->a, arg))) return rc;
    if (IT(self)->b && (rc = visit(vm, IT(self)->b, arg))) return rc;
    return 0;
}

static void iterobj_clear(Vm *vm, Object *self)
{
    SETREF(vm, IT(self)->a, NULL);
    SETREF(vm, IT(self)->b, NULL);
}

static Object *iter_self(Vm *vm, Object *self) { return NEWREF(self); }

/* enumerate(iterable, start=0) */
static Object *enumerate_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kw)
{
    static const char *const names[] = {"iterable", "start", NULL};
    Object *a[2];
    for (size_t i = 0; i < args_nkw(kw); i++) {
        Object *k = TUPLE_ITEM(kw, i);
        if (!str_eq_cstr(k, "iterable") && !str_eq_cstr(k, "start"))
            return err_format(vm, &TypeErrorType, "'%U' is an invalid keyword argument for enumerate()", k);
    }
    if (nargs + args_nkw(kw) > 2)
        return err_format(vm, &TypeErrorType, "enumerate() takes at most 2 arguments (%zu given)",
                          nargs + args_nkw(kw));
    if (nargs == 0 && !args_nkw(kw))
        return err_format(vm, &TypeErrorType, "enumerate() missing required argument 'iterable'");
    if (args_unpack(vm, "enumerate", args, nargs, kw, names, 1, 2, a) < 0) return NULL;
    int64_t start = 0;
    Object *big = NULL;
    if (a[1]) {
        Object *i = int_index(vm, a[1]);
        if (!i) return NULL;
        if (int_as_i64(vm, i, &start) < 0) {
            err_clear(vm);
            big = NEWREF(i);
        }
        DECREF(vm, i);
    }
    Object *it = obj_iter(vm, a[0]);
    if (!it) {
        XDECREF(vm, big);
        return NULL;
    }
    Object *e = iterobj_new(vm, type, it, NULL, start);
    if (e) IT(e)->big_index = big;
    else XDECREF(vm, big);
    return e;
}

static Object *enumerate_next(Vm *vm, Object *self)
{
    IterObject *e = IT(self);
    Object *item = obj_next(vm, e->a);
    if (!item) return NULL;
    Object *idx;
    if (e->big_index) {
        idx = NEWREF(e->big_index);
        Object *n = int_add(vm, e->big_index, vm->small_ints[1 - SMALL_INT_MIN]);
        if (!n) {
            DECREF(vm, idx);
            DECREF(vm, item);
            return NULL;
        }
        SETREF(vm, e->big_index, n);
    } else {
        idx = int_from_i64(vm, e->index);
        if (e->index == INT64_MAX) {
            Object *n = int_add(vm, idx, vm->small_ints[1 - SMALL_INT_MIN]);
            e->big_index = n;
        }
        e->index++;
    }
    Object *r = idx ? tuple_pack(vm, 2, idx, item) : NULL;
    XDECREF(vm, idx);
    DECREF(vm, item);
    return r;
}

/* zip(*iterables, strict=False) */
static Object *zip_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kw)
{
    bool strict = false;
    for (size_t i = 0; i < args_nkw(kw); i++) {
        if (!str_eq_cstr(TUPLE_ITEM(kw, i), "strict"))
            return err_format(vm, &TypeErrorType, "zip() got an unexpected keyword argument '%U'",
                              TUPLE_ITEM(kw, i));
        int t = obj_is_true(vm, args[nargs + i]);
        if (t < 0) return NULL;
        strict = t;
    }
    Object *its = tuple_new(vm, nargs);
    if (!its) return NULL;
    for (size_t i = 0; i < nargs; i++) {
        Object *it = obj_iter(vm, args[i]);
        if (!it) {
            DECREF(vm, its);
            return NULL;
        }
        TUPLE_ITEM(its, i) = it;
    }
    Object *z = iterobj_new(vm, type, NULL, its, 0);
    if (z) IT(z)->flag = strict;
    return z;
}

static Object *zip_strict_error(Vm *vm, IterObject *z, size_t i)
{
    if (vm->exc) return NULL;
    const char *plural = i == 1 ? " " : "s 1-";
    if (i) return err_format(vm, &ValueErrorType, "zip() argument %zu is shorter than argument%s%zu",
                             i + 1, plural, i);
    for (i = 1; i < TUPLE_SIZE(z->b); i++) {
        Object *item = obj_next(vm, TUPLE_ITEM(z->b, i));
        if (item) {
            DECREF(vm, item);
            plural = i == 1 ? " " : "s 1-";
            return err_format(vm, &ValueErrorType, "zip() argument %zu is longer than argument%s%zu",
                              i + 1, plural, i);
        }
        if (vm->exc) return NULL;
    }
    return NULL;
}

static Object *zip_next(Vm *vm, Object *self)
{
    IterObject *z = IT(self);
    size_t n = TUPLE_SIZE(z->b);
    if (n == 0) return NULL;
    Object *r = tuple_new(vm, n);
    if (!r) return NULL;
    for (size_t i = 0; i < n; i++) {
        Object *item = obj_next(vm, TUPLE_ITEM(z->b, i));
        if (!item) {
            DECREF(vm, r);
            return z->flag ? zip_strict_error(vm, z, i) : NULL;
        }
        TUPLE_ITEM(r, i) = item;
    }
    return r;
}

/* map(func, *iterables) */
static Object *map_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kw)
{
    if (type == &MapType && args_nkw(kw))
        return err_format(vm, &TypeErrorType, "map() takes no keyword arguments");
    if (nargs < 2) return err_format(vm, &TypeErrorType, "map() must have at least two arguments.");
    Object *its = tuple_new(vm, nargs - 1);
    if (!its) return NULL;
    for (size_t i = 1; i < nargs; i++) {
        Object *it = obj_iter(vm, args[i]);
        if (!it) {
            DECREF(vm, its);
            return NULL;
        }
        TUPLE_ITEM(its, i - 1) = it;
    }
    return iterobj_new(vm, type, NEWREF(args[0]), its, 0);
}

static Object *map_next(Vm *vm, Object *self)
{
    IterObject *m = IT(self);
    size_t n = TUPLE_SIZE(m->b);
    Object *small[8];
    Object **items = n <= 8 ? small : malloc(n * sizeof(Object *));
    if (!items) return err_no_memory(vm);
    size_t got = 0;
    for (; got < n; got++) {
        items[got] = obj_next(vm, TUPLE_ITEM(m->b, got));
        if (!items[got]) break;
    }
    Object *r = got == n ? obj_call(vm, m->a, items, n, NULL) : NULL;
    for (size_t i = 0; i < got; i++) DECREF(vm, items[i]);
    if (items != small) free(items);
    return r;
}

/* filter(function or None, iterable) */
static Object *filter_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kw)
{
    if (type == &FilterType && args_nkw(kw))
        return err_format(vm, &TypeErrorType, "filter() takes no keyword arguments");
    if (args_check(vm, "filter", nargs, NULL, 2, 2) < 0) return NULL;
    Object *it = obj_iter(vm, args[1]);
    if (!it) return NULL;
    return iterobj_new(vm, type, it, NEWREF(args[0]), 0);
}

static Object *filter_next(Vm *vm, Object *self)
{
    IterObject *f = IT(self);
    for (;;) {
        Object *item = obj_next(vm, f->a);
        if (!item) return NULL;
        int ok;
        if (IS_NONE(vm, f->b) || f->b == (Object *)&BoolType) {
            ok = obj_is_true(vm, item);
        } else {
            Object *r = obj_call(vm, f->b, &item, 1, NULL);
            ok = r ? obj_is_true(vm, r) : -1;
            XDECREF(vm, r);
        }
        if (ok > 0) return item;
        DECREF(vm, item);
        if (ok < 0) return NULL;
    }
}

/* reversed(sequence) */
static Object *reversed_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kw)
{
    if (type == &ReversedType && args_nkw(kw))
        return err_format(vm, &TypeErrorType, "reversed() takes no keyword arguments");
    if (nargs != 1)
        return err_format(vm, &TypeErrorType, "reversed expected 1 argument, got %zu", nargs);
    Object *seq = args[0];
    Object *meth = type_lookup_str(TYPE(seq), "__reversed__");
    if (meth && !IS_NONE(vm, meth)) return obj_call_method(vm, seq, "__reversed__", 0);
    if (meth || !TYPE(seq)->getitem || !TYPE(seq)->len || TYPE(seq) == &DictType ||
        type_is_subtype(TYPE(seq), &DictType))
        return err_format(vm, &TypeErrorType, "'%s' object is not reversible", type_name(TYPE(seq)));
    int64_t n = obj_len(vm, seq);
    if (n < 0) return NULL;
    return iterobj_new(vm, type, NEWREF(seq), NULL, n - 1);
}

static Object *reversed_next(Vm *vm, Object *self)
{
    IterObject *r = IT(self);
    if (!r->a || r->index < 0) {
        SETREF(vm, r->a, NULL);
        return NULL;
    }
    Object *i = int_from_i64(vm, r->index--);
    if (!i) return NULL;
    Object *item = obj_getitem(vm, r->a, i);
    DECREF(vm, i);
    if (!item && (err_matches(vm, &IndexErrorType) || err_matches(vm, &StopIterationType))) {
        err_clear(vm);
        r->index = -1;
        SETREF(vm, r->a, NULL);
    }
    return item;
}

static Object *reversed_length_hint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    IterObject *r = IT(self);
    return int_from_i64(vm, r->a && r->index >= 0 ? r->index + 1 : 0);
}

/* The iterator over __getitem__ (ops.c's fallback for iter()). */
Object *seqiter_new(Vm *vm, Object *seq)
{
    return iterobj_new(vm, &SeqIterType, NEWREF(seq), NULL, 0);
}

static Object *seqiter_next(Vm *vm, Object *self)
{
    IterObject *s = IT(self);
    if (!s->a) return NULL;
    Object *i = int_from_i64(vm, s->index);
    if (!i) return NULL;
    Object *item = obj_getitem(vm, s->a, i);
    DECREF(vm, i);
    if (item) {
        s->index++;
        return item;
    }
    if (err_matches(vm, &IndexErrorType) || err_matches(vm, &StopIterationType)) {
        err_clear(vm);
        SETREF(vm, s->a, NULL);
    }
    return NULL;
}

/* iter(callable, sentinel) */
static Object *calliter_next(Vm *vm, Object *self)
{
    IterObject *c = IT(self);
    if (!c->a) return NULL;
    Object *r = obj_call(vm, c->a, NULL, 0, NULL);
    if (!r) {
        if (err_matches(vm, &StopIterationType)) {
            err_clear(vm);
            SETREF(vm, c->a, NULL);
            SETREF(vm, c->b, NULL);
        }
        return NULL;
    }
    int eq = obj_richcompare_bool(vm, r, c->b, CMP_EQ);
    if (eq == 0) return r;
    DECREF(vm, r);
    if (eq > 0) {
        SETREF(vm, c->a, NULL);
        SETREF(vm, c->b, NULL);
    }
    return NULL;
}

static Object *b_iter(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("iter", 1, 2);
    if (nargs == 1) return obj_iter(vm, args[0]);
    Type *t = TYPE(args[0]);
    if (!t->call && !type_lookup_str(t, "__call__"))
        return err_format(vm, &TypeErrorType, "iter(v, w): v must be callable");
    return iterobj_new(vm, &CallIterType, NEWREF(args[0]), NEWREF(args[1]), 0);
}

/* ---- the module ---- */

static const MethodDef builtin_functions[] = {
    {"__build_class__", builtin_build_class, METH_STATIC},
    {"abs", b_abs, METH_STATIC},
    {"all", b_all, METH_STATIC},
    {"any", b_any, METH_STATIC},
    {"ascii", b_ascii, METH_STATIC},
    {"bin", b_bin, METH_STATIC},
    {"callable", b_callable, METH_STATIC},
    {"chr", b_chr, METH_STATIC},
    {"delattr", b_delattr, METH_STATIC},
    {"dir", b_dir, METH_STATIC},
    {"divmod", b_divmod, METH_STATIC},
    {"exit", b_exit, METH_STATIC},
    {"format", b_format, METH_STATIC},
    {"getattr", b_getattr, METH_STATIC},
    {"globals", b_globals, METH_STATIC},
    {"hasattr", b_hasattr, METH_STATIC},
    {"hash", b_hash, METH_STATIC},
    {"hex", b_hex, METH_STATIC},
    {"id", b_id, METH_STATIC},
    {"input", b_input, METH_STATIC},
    {"isinstance", b_isinstance, METH_STATIC},
    {"issubclass", b_issubclass, METH_STATIC},
    {"iter", b_iter, METH_STATIC},
    {"len", b_len, METH_STATIC},
    {"locals", b_locals, METH_STATIC},
    {"max", b_max, METH_STATIC},
    {"min", b_min, METH_STATIC},
    {"next", b_next, METH_STATIC},
    {"oct", b_oct, METH_STATIC},
    {"ord", b_ord, METH_STATIC},
    {"pow", b_pow, METH_STATIC},
    {"print", b_print, METH_STATIC},
    {"quit", b_exit, METH_STATIC},
    {"repr", b_repr, METH_STATIC},
    {"round", b_round, METH_STATIC},
    {"setattr", b_setattr, METH_STATIC},
    {"sorted", b_sorted, METH_STATIC},
    {"sum", b_sum, METH_STATIC},
    {"vars", b_vars, METH_STATIC},
    {NULL}
};

static const struct {
    const char *name;
    Type *type;
} builtin_types[] = {
    {"object", &ObjectType}, {"type", &TypeType}, {"int", &IntType}, {"bool", &BoolType},
    {"float", &FloatType}, {"str", &StrType}, {"list", &ListType}, {"tuple", &TupleType},
    {"dict", &DictType}, {"set", &SetType}, {"frozenset", &FrozenSetType},
    {"range", &RangeType}, {"slice", &SliceType}, {"enumerate", &EnumerateType},
    {"zip", &ZipType}, {"map", &MapType}, {"filter", &FilterType},
    {"reversed", &ReversedType}, {"super", &SuperType}, {"property", &PropertyType},
    {"staticmethod", &StaticMethodType}, {"classmethod", &ClassMethodType},
#define EXC(name, base) {#name, &name##Type},
#include "exceptions.def"
#undef EXC
};

int builtins_init(Vm *vm)
{
    if (vm->builtins_module) return 0;
    Object *m = module_new(vm, "builtins");
    if (!m) return -1;
    vm->builtins_module = m;
    vm->builtins = NEWREF(module_dict(m));
    if (module_add_methods(vm, m, builtin_functions) < 0) return -1;
    for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++)
        if (module_add_object(vm, m, builtin_types[i].name, (Object *)builtin_types[i].type) < 0)
            return -1;
    if (module_add_object(vm, m, "None", vm->none) < 0 ||
        module_add_object(vm, m, "True", vm->true_) < 0 ||
        module_add_object(vm, m, "False", vm->false_) < 0 ||
        module_add_object(vm, m, "NotImplemented", vm->not_implemented) < 0 ||
        module_add_object(vm, m, "Ellipsis", vm->ellipsis) < 0 ||
        module_add_object(vm, m, "EnvironmentError", (Object *)&OSErrorType) < 0 ||
        module_add_object(vm, m, "IOError", (Object *)&OSErrorType) < 0)
        return -1;
    if (vm->modules && dict_set_str(vm, vm->modules, "builtins", m) < 0) return -1;
    return 0;
}

static const MethodDef reversed_methods[] = {
    {"__length_hint__", reversed_length_hint, METH_INSTANCE},
    {NULL}
};

#define ITER_TYPE(var, tname, size, new_fn, next_fn, meths, extra) \
    Type var = { \
        .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL}, \
        .name = tname, \
        .basicsize = sizeof(IterObject), \
        .modelled_size = size, \
        .tflags = TP_GC | extra, \
        .base = &ObjectType, \
        .methods = meths, \
        .dealloc = iterobj_dealloc, \
        .traverse = iterobj_traverse, \
        .clear = iterobj_clear, \
        .iter = iter_self, \
        .iternext = next_fn, \
        .new_ = new_fn, \
    };

ITER_TYPE(EnumerateType, "enumerate", 72, enumerate_new, enumerate_next, NULL, TP_BASETYPE)
ITER_TYPE(ZipType, "zip", 64, zip_new, zip_next, NULL, TP_BASETYPE)
ITER_TYPE(MapType, "map", 48, map_new, map_next, NULL, TP_BASETYPE)
ITER_TYPE(FilterType, "filter", 48, filter_new, filter_next, NULL, TP_BASETYPE)
ITER_TYPE(ReversedType, "reversed", 48, reversed_new, reversed_next, reversed_methods, TP_BASETYPE)
ITER_TYPE(SeqIterType, "iterator", 48, NULL, seqiter_next, NULL, 0)
ITER_TYPE(CallIterType, "callable_iterator", 48, NULL, calliter_next, NULL, 0)
