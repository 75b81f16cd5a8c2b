/* wasm_libc.c — smaller stand-ins for libc pieces, in the wasm build only (the
 * Makefile's EMFLAGS rename the libc names to these with -D). The size budget (issue
 * #4) is why:
 *   - snprintf/vsnprintf: musl's printf is ~7 KB, most of it fmt_fp, and pyframes
 *     formats no float through printf (float.c makes its own exact digits), so this
 *     one does the flags - 0 + and space, width, precision (also *), the length
 *     modifiers and d i u x X c s %: all that the sources use.
 *   - strtod hands the decimal text to JavaScript's Number(), which is correctly
 *     rounded as strtod is (musl's computes in software long double). Only decimal,
 *     inf/infinity and nan are accepted (every caller passes validated decimal text;
 *     hex floats are never parsed).
 *   - Fourteen libm functions go to JavaScript (js_math below): musl's cost
 *     ~6 KB of gzip (sin/cos/tan share __rem_pio2 and its table). For tan, asin, acos,
 *     atan and expm1 Math gives musl's results bit for bit; for the rest neither musl
 *     nor V8 matches glibc (the native build) everywhere, and V8 is as close as musl
 *     or closer, except cosh. exp, log, log2, pow, hypot and the gamma/erf family stay
 *     Emscripten's libc's: there V8 differs from glibc more. At -Oz that libc links
 *     size-optimised pow, log and log2 (musl's older ones, without the 4 KB tables),
 *     an ulp off glibc in about 9% (pow) and 3% (log) of cases; float.c's float_pow
 *     computes whole-number powers exactly enough instead, and log stays off. fmod
 *     goes to JavaScript's %, which is specified as the exact fmod.
 *   - qsort and strtol/strtoll/strtoul: see pf_qsort and pf_strtoll.
 *   - strchr, strcpy and strcat: byte loops (see pf_strchr).
 *   - getenv: a web page has no environment, so the PYFRAMES_* debug switches
 *     (disassembly, leak report, full-scan limit) and their code drop out.
 *   - fwrite: see pf_fwrite.
 *   - malloc and friends replace emmalloc (-sMALLOC=none): see the end of the file.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <math.h>
#include <stdarg.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *s;
    size_t cap, len;
} Out;

static void put(Out *o, char c, int times) {
    for (; times > 0; times--, o->len++)
        if (o->len + 1 < o->cap) o->s[o->len] = c;
}

int pf_vsnprintf(char *restrict s, size_t n, const char *restrict fmt, va_list ap) {
    Out o = {s, n, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') { put(&o, *p, 1); continue; }
        int left = 0, zero = 0, width = 0, prec = -1, longs = 0;
        char sign = 0;
        for (;; p++) {
            if (p[1] == '-') left = 1;
            else if (p[1] == '0') zero = 1;
            else if (p[1] == '+' || p[1] == ' ') sign = sign == '+' ? sign : p[1];
            else break;
        }
        p++;
        if (*p == '*') width = va_arg(ap, int), p++;
        else while (*p >= '0' && *p <= '9') width = width * 10 + *p++ - '0';
        if (width < 0) left = 1, width = -width;
        if (*p == '.') {
            prec = 0;
            if (*++p == '*') prec = va_arg(ap, int), p++;
            else while (*p >= '0' && *p <= '9') prec = prec * 10 + *p++ - '0';
        }
        for (; *p == 'l' || *p == 'h' || *p == 'z' || *p == 't' || *p == 'j'; p++)
            longs += *p == 'l' ? 1 : *p == 'j' ? 2 : 0;
        char c = *p, num[24], *body = num + 24;
        int len = 0;
        unsigned base = c == 'x' || c == 'X' ? 16 : 10;
        uint64_t v;
        switch (c) {
        case 'd': case 'i': {
            int64_t x = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
            if (x < 0) sign = '-', x = -(uint64_t)x;
            v = (uint64_t)x;
            goto digits;
        }
        case 'u': case 'x': case 'X':
            v = longs >= 2 ? va_arg(ap, unsigned long long) : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
            sign = 0;
        digits:
            for (; body > num && (v || len < prec || (len == 0 && prec < 0)); v /= base, len++)
                *--body = (char)("0123456789abcdef"[v % base] - (c == 'X' && v % base > 9 ? 32 : 0));
            zero &= prec < 0;
            break;
        case 'c': *--body = (char)va_arg(ap, int); len = 1; zero = 0; sign = 0; break;
        case 's':
            body = va_arg(ap, char *);
            if (!body) body = "(null)";
            while ((prec < 0 || len < prec) && body[len]) len++;
            zero = 0, sign = 0;
            break;
        default: /* %%; also anything unknown (no caller uses e/f/g, o, p or #) */
            if (c) put(&o, c, 1);
            else p--;
            continue;
        }
        int pad = width - len - (sign != 0);
        if (!left && !zero) put(&o, ' ', pad);
        if (sign) put(&o, sign, 1);
        if (zero) put(&o, '0', pad);
        for (int i = 0; i < len; i++) put(&o, body[i], 1);
        if (left) put(&o, ' ', pad);
    }
    if (n) s[o.len < n ? o.len : n - 1] = 0;
    return (int)o.len;
}

int pf_snprintf(char *restrict s, size_t n, const char *restrict fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int r = pf_vsnprintf(s, n, fmt, ap);
    va_end(ap);
    return r;
}

/* qsort: a shell sort. Every caller sorts distinct keys (names, ids), so the order is
 * the one any sort gives; musl's smoothsort is ~1 KB. */
void pf_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
    char *b = base;
    for (size_t gap = n / 2; gap; gap /= 2)
        for (size_t i = gap; i < n; i++)
            for (size_t j = i; j >= gap && cmp(b + (j - gap) * size, b + j * size) > 0; j -= gap)
                for (char *x = b + (j - gap) * size, *y = b + j * size, *end = x + size; x < end; x++, y++) {
                    char t = *x;
                    *x = *y;
                    *y = t;
                }
}

/* strtol/strtoll/strtoul for the bases pyframes uses (10 and 16): optional space and
 * sign, saturating as strtoll does (strtoul's callers pass four hex digits). */
long long pf_strtoll(const char *restrict s, char **restrict end, int base) {
    const char *p = s;
    while (*p == ' ' || (*p >= '\t' && *p <= '\r')) p++;
    int neg = *p == '-';
    if (*p == '+' || *p == '-') p++;
    unsigned long long v = 0, max = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
    const char *digits = p;
    for (;; p++) {
        int d = *p >= '0' && *p <= '9' ? *p - '0' : (*p | 32) >= 'a' && (*p | 32) <= 'z' ? (*p | 32) - 'a' + 10 : 99;
        if (d >= base) break;
        v = v > (max - (unsigned)d) / (unsigned)base ? max : v * (unsigned)base + (unsigned)d;
    }
    if (end) *end = (char *)(p == digits ? s : p);
    return neg ? (long long)(0 - v) : (long long)v;
}

long pf_strtol(const char *restrict s, char **restrict end, int base) {
    long long v = pf_strtoll(s, end, base);
    return v > LONG_MAX ? LONG_MAX : v < LONG_MIN ? LONG_MIN : (long)v;
}

unsigned long pf_strtoul(const char *restrict s, char **restrict end, int base) {
    return (unsigned long)pf_strtol(s, end, base);
}

/* strchr, strcpy and strcat: plain byte loops (musl's work a word at a time, ~450 B
 * more). Their callers are the compiler, tracebacks, number parsing and formatting:
 * short strings, none in a loop of the interpreter. */
char *pf_strchr(const char *s, int c) {
    for (;; s++) {
        if (*s == (char)c) return (char *)s;
        if (!*s) return NULL;
    }
}

char *pf_strcpy(char *restrict d, const char *restrict s) {
    char *r = d;
    while ((*d++ = *s++)) {}
    return r;
}

char *pf_strcat(char *restrict d, const char *restrict s) {
    pf_strcpy(d + strlen(d), s);
    return d;
}

char *pf_getenv(const char *name) {
    return NULL;
}

/* The only fwrite (vm.c's default_write) is for a run without a write callback, and
 * wasm.c always passes one: dropping it drops musl's stdout/stderr FILEs and their
 * fd_write/fd_seek/fd_close imports. */
size_t pf_fwrite(const void *restrict p, size_t size, size_t n, void *restrict f) {
    return n;
}

EM_JS(double, js_math, (int f, double x, double y), {
    return f > 12 ? x % y : Math[["sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh",
                                  "cosh", "tanh", "expm1", "log1p", "log10"][f]](x, y);
});

double pf_sin(double x) { return js_math(0, x, 0); }
double pf_cos(double x) { return js_math(1, x, 0); }
double pf_tan(double x) { return js_math(2, x, 0); }
double pf_asin(double x) { return js_math(3, x, 0); }
double pf_acos(double x) { return js_math(4, x, 0); }
double pf_atan(double x) { return js_math(5, x, 0); }
double pf_atan2(double y, double x) { return js_math(6, y, x); }
double pf_sinh(double x) { return js_math(7, x, 0); }
double pf_cosh(double x) { return js_math(8, x, 0); }
double pf_tanh(double x) { return js_math(9, x, 0); }
double pf_expm1(double x) { return js_math(10, x, 0); }
double pf_log1p(double x) { return js_math(11, x, 0); }
double pf_log10(double x) { return js_math(12, x, 0); }
double pf_fmod(double x, double y) { return js_math(13, x, y); } /* JS % is C's fmod, exactly */

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

/* ---- malloc ----
 * The system allocator under alloc.c's pools (arenas, large blocks, frames, the
 * stream's buffers), in place of emmalloc (-sMALLOC=none): power-of-two size classes,
 * a free list per class, and new blocks from the top of the heap (what sbrk does).
 * alloc.c keeps small objects off this path, so what comes here is few and mostly
 * large; blocks are never split or merged, and memory freed to a class is reused by
 * that class only (a wasm heap never shrinks anyway). A block is an 8-byte header
 * (its class k, +ALIGNED for an aligned_alloc block) then the caller's 2**k bytes, so
 * that the usual power-of-two requests (doubling buffers, arenas) waste nothing. Each
 * free list holds the blocks' user pointers, linked through their first word. */
#include <emscripten/heap.h>
#include <string.h>

extern size_t __heap_base; /* the linker's: where the heap starts */
static uintptr_t heap_top = (uintptr_t)&__heap_base;

#define HEADER 8
#define ALIGNED 64u /* header flag: the block is aligned to its own size */
#define MAX_CLASS 30

static void *free_blocks[2][MAX_CLASS + 1]; /* [0]: malloc, [1]: aligned_alloc */

/* The class of [n] bytes: the smallest k >= 3 with 2**k >= n. */
static unsigned class_of(size_t n) {
    return n <= 8 ? 3 : 32 - (unsigned)__builtin_clz((unsigned)(n - 1));
}

/* A block of class [k] ([aligned]: aligned to its size), reused or new at the top of
 * the heap (the header goes in the padding before it). */
static void *block(unsigned k, int aligned) {
    void *p = free_blocks[aligned][k];
    if (p) {
        free_blocks[aligned][k] = *(void **)p;
        return p;
    }
    size_t size = (size_t)1 << k, align = aligned ? size : HEADER;
    uintptr_t user = (heap_top + HEADER + align - 1) & ~(uintptr_t)(align - 1);
    uintptr_t top = user + size;
    if (top < user) return NULL; /* past 4 GiB */
    if (top > emscripten_get_heap_size() && !emscripten_resize_heap(top)) return NULL;
    heap_top = top;
    ((unsigned *)user)[-2] = k | (aligned ? ALIGNED : 0);
    return (void *)user;
}

void *malloc(size_t n) {
    return n > ((size_t)1 << MAX_CLASS) ? NULL : block(class_of(n), 0);
}

/* Only alloc.c's arenas ask for this: 256 KiB aligned to 256 KiB. */
void *aligned_alloc(size_t align, size_t n) {
    if (align <= HEADER) return malloc(n);
    if (n > ((size_t)1 << MAX_CLASS) || align > ((size_t)1 << MAX_CLASS)) return NULL;
    return block(class_of(n > align ? n : align), 1);
}

void free(void *p) {
    if (!p) return;
    unsigned h = ((unsigned *)p)[-2];
    void **list = &free_blocks[(h & ALIGNED) != 0][h & ~ALIGNED];
    *(void **)p = *list;
    *list = p;
}

void *calloc(size_t n, size_t size) {
    if (size && n > SIZE_MAX / size) return NULL;
    void *p = malloc(n * size);
    if (p) memset(p, 0, n * size);
    return p;
}

void *realloc(void *p, size_t n) {
    if (!p) return malloc(n);
    size_t have = (size_t)1 << (((unsigned *)p)[-2] & ~ALIGNED);
    if (n <= have) return p;
    void *q = malloc(n);
    if (!q) return NULL;
    memcpy(q, p, have);
    free(p);
    return q;
}
#else
typedef int wasm_libc_native_build_is_empty;
#endif
