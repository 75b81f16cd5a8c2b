/* wasm_libc.c — smaller stand-ins for two libc pieces in the wasm build only (the
 * Makefile's EMFLAGS rename snprintf/vsnprintf/strtod to these with -D). musl's
 * printf formats through long double and its strtod computes in long double, and
 * wasm has no long double hardware: both pull in ~15 KB of software 128-bit float
 * arithmetic. pyframes never prints or parses a long double, so:
 *   - snprintf/vsnprintf use musl's own double-only printf (__small_vsnprintf), which
 *     produces the same digits (fmt_fp is exact for double either way);
 *   - strtod hands the decimal text to JavaScript's Number(), which is correctly
 *     rounded as strtod is. Only decimal, inf/infinity and nan are accepted (every
 *     caller passes validated decimal text; hex floats are never parsed).
 * getenv is also renamed here: a web page has no environment, so the PYFRAMES_* debug
 * switches (disassembly, leak report, full-scan limit) and their code drop out.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>

int __small_vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap);

int pf_snprintf(char *restrict s, size_t n, const char *restrict fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = __small_vsnprintf(s, n, fmt, ap);
    va_end(ap);
    return r;
}

char *pf_getenv(const char *name) {
    return NULL;
}

EM_JS(double, js_number, (const char *s, int len), {
    var t = "";
    for (var i = 0; i < len; i++) t += String.fromCharCode(HEAPU8[s + i]);
    return Number(t);
});

static int lower(char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Case-insensitive: does [s] start with the lowercase word [w]? */
static int starts(const char *s, const char *w) {
    while (*w && lower(*s) == *w) s++, w++;
    return !*w;
}

static int digits(const char **p) {
    int n = 0;
    while (**p >= '0' && **p <= '9') (*p)++, n++;
    return n;
}

double pf_strtod(const char *restrict s, char **restrict end) {
    const char *p = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
    const char *start = p;
    int neg = *p == '-';
    if (*p == '+' || *p == '-') p++;
    if (starts(p, "inf")) {
        if (end) *end = (char *)(p + (starts(p, "infinity") ? 8 : 3));
        return neg ? -INFINITY : INFINITY;
    }
    if (starts(p, "nan")) {
        if (end) *end = (char *)(p + 3);
        return neg ? -NAN : NAN;
    }
    int mant = digits(&p);
    if (*p == '.') p++, mant += digits(&p);
    if (!mant) {
        if (end) *end = (char *)s;
        return 0;
    }
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '+' || *q == '-') q++;
        if (digits(&q)) p = q;
    }
    if (end) *end = (char *)p;
    return js_number(start, (int)(p - start));
}
#else
typedef int wasm_libc_native_build_is_empty;
#endif
