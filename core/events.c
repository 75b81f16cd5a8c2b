/* events.c — the event stream (docs/event-stream.md): the one emit funnel behind a
 * mask, lazy announcement of objects, container deltas computed against what the
 * stream last said, coalesced reference counts, and the full snapshots used by tests.
 * It never allocates Python objects nor runs Python code, so tracing changes neither
 * ids nor GC timing.
 */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell.h"
#include "class.h"
#include "code.h"
#include "dict.h"
#include "exc.h"
#include "float.h"
#include "frame.h"
#include "func.h"
#include "gc.h"
#include "generator.h"
#include "int.h"
#include "json.h"
#include "list.h"
#include "misc.h"
#include "module.h"
#include "range.h"
#include "set.h"
#include "str.h"
#include "tuple.h"
#include "weakref.h"

/* The record kinds, from events.def. */
enum {
#define EVENT(name, json) EV_##name,
#include "events.def"
#undef EVENT
    EV_COUNT
};

#define NO_REF UINT32_MAX
/* Records are written one after the other (newline-separated) into one buffer, which
 * is handed to config.emit when it holds at least this many bytes (and at the end). */
#define FLUSH_BYTES (64 * 1024)
/* While at most this many objects are announced, every step end re-reads all of their
 * counts (exact); above it only the watch set is re-read (see the spec). */
#define FULL_SCAN_LIMIT 256

/* A growable array of ids. */
typedef struct {
    uint32_t *v;
    size_t n, cap;
} IdVec;

/* What the stream has said about one announced object. [shadow] holds the refs of its
 * last reported description (NO_REF for null), for deltas and for reference-count
 * watching when it dies. [stamp] is the step at which it was last put in the watch set. */
typedef struct {
    Object *o;
    uint32_t id;
    bool immortal, dirty;
    bool keyed;       /* has been a key in a reported dict (mortal objects only) */
    uint64_t stamp;
    uint64_t version; /* dicts: DictObject.version when last diffed */
    uint32_t cell_frame; /* cells: the frame that created it (0: unknown) */
    size_t dense_index;  /* position in EventState.dense */
    size_t mortal_index; /* position in EventState.mortal (mortal objects only) */
    IdVec shadow;
} Seen;

/* A mortal announced object with the count and generation last reported for it,
 * packed for the full count scan (one memory access per object besides this array). */
typedef struct {
    Object *o;
    intptr_t rc;
    int32_t gen;
    uint32_t gw; /* gen_word(o) when last read: unchanged means gen is too */
    Seen *s;
} Mortal;

/* What the stream has said about one frame on the stack. */
typedef struct {
    Frame *f;
    uint32_t id;
    int line;
    IdVec shadow; /* one ref per local slot (code->nlocalsplus) */
} FrameInfo;

struct EventState {
    JsonBuf rec;            /* the records not yet handed to config.emit, each followed
                             * by a newline, then the record being built */
    size_t rec_start;       /* where the record being built starts in [rec] */
    uint32_t mask;          /* 1 << EV_* of the kinds written */
    Seen **table;           /* open addressing on id, linear probing */
    size_t tcap, tcount;
    Seen **dense;           /* the same entries packed, for scans (order irrelevant) */
    size_t capdense;
    Mortal *mortal;         /* the mortal entries packed: the full count scan */
    Seen *spare;            /* removed entries kept for reuse (linked through .o) */
    size_t nmortal, capmortal;
    Seen **changed;         /* full scan: entries whose rc/gen changed this step */
    size_t nchanged, capchanged;
    JsonBuf genbuf;         /* scratch: the "gen" members of a counts record */
    IdVec scratch;          /* scratch: the refs of a description being diffed */
    Object **objs;          /* scratch: the same refs as objects */
    size_t capobjs;
    FrameInfo *frames;      /* the frame stack as the stream knows it, bottom first */
    size_t nframes, capframes;
    uint32_t next_frame_id;
    uint32_t kind_type;     /* kind_of's cache: a class's id + 1 (0: none)... */
    int kind;               /* ...and its kind */
    uint32_t epoch;         /* this run's mark in CodeObject.ev_epoch (code records
                             * written) */
    uint64_t nsteps;        /* steps opened so far */
    uint32_t last_step_frame; /* the frame the last step record gave (0: null; NO_REF:
                               * no step yet) */
    bool in_step;
    Frame *step_frame;      /* the frame executing during the current step */
    Frame *entering;        /* the frame ev_call reports (not yet part of the closing step) */
    Object *hint_cell;      /* a cell about to be announced from a frame's cellvar slot... */
    uint32_t hint_frame;    /* ...and that frame's id */
    IdVec dirty;            /* announced containers changed this step */
    IdVec watch;            /* announced objects whose counts to re-read at step end */
    IdVec carry;            /* stack-held objects of the previous step end */
    int walked_depth;       /* the call depth when watch_stacks last ran */
    IdVec volatile_ids;     /* announced objects that change without ev_mutate: an
                             * instance whose __dict__ is not made yet, a live weakref */
    size_t full_scan_limit;
    bool watching;          /* this step keeps the watch set (the heap was large when it
                             * opened); otherwise its end re-reads every count */
    bool began, ended, busy, trace_exhausted;
    JsonBuf out1, out2;     /* stdout / stderr so far (kept for snapshots only) */
    JsonBuf exc;            /* the current exception as JSON, or empty (snapshots only) */
    bool exc_caught;
    /* The traceback the last exc record gave: the exception's id, the id of the
     * traceback's first (outermost) entry then, and its length. The next exc record of
     * the same exception sends only the entries added in front of it (tb_outer). */
    uint32_t tb_exc, tb_head;
    size_t tb_len;
    /* scratch */
    uint32_t marker;        /* describe(): a generator's frame id and state, kept in
                             * the shadow so that its changes are seen (else NO_REF) */
    Object **refs;          /* referents collected by describe() */
    size_t nrefs, caprefs;
    struct Work { Object *o; size_t first, next, end; } *work;
    size_t nwork, capwork;
};

typedef struct EventState EventState;

/* ---- small helpers ---- */

static char *w_u64(char *p, uint64_t v);
static inline char *w_i64(char *p, int64_t v);

/* Numbers are written straight into the buffer (w_u64 below). */
static void put_digits(JsonBuf *b, uint64_t v, bool neg) {
    if (!json_reserve(b, 24)) return;
    char *p = b->data + b->len;
    if (b->comma) *p++ = ',';
    if (neg) *p++ = '-';
    p = w_u64(p, v);
    *p = 0;
    b->len = (size_t)(p - b->data);
    b->comma = true;
}

static inline void ev_uint(JsonBuf *b, uint64_t v) { put_digits(b, v, false); }

static inline void ev_int(JsonBuf *b, int64_t v) {
    put_digits(b, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0);
}

static bool idvec_push(IdVec *v, uint32_t id) {
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        uint32_t *p = realloc(v->v, cap * sizeof *p);
        if (!p) return false;
        v->v = p;
        v->cap = cap;
    }
    v->v[v->n++] = id;
    return true;
}

static void idvec_free(IdVec *v) { free(v->v); v->v = NULL; v->n = v->cap = 0; }

static ALWAYS_INLINE uint32_t ref_id(Object *o) { return o ? o->id : NO_REF; }

static bool is_immortal(Object *o) { return (o->flags & (OF_IMMORTAL | OF_STATIC)) != 0; }

/* What obj_gen() depends on, in one word (for the count scan's quick test). */
static ALWAYS_INLINE uint32_t gen_word(Object *o) {
    return ((uint32_t)(uint16_t)o->gen << 16) | (o->flags & OF_TRACKED);
}

static int obj_gen(Object *o) { return (o->flags & OF_TRACKED) && o->gen >= 0 && o->gen <= 2 ? o->gen : -1; }

/* ---- the id → Seen table ---- */

static ALWAYS_INLINE size_t slot_of(EventState *es, uint32_t id) {
    return (size_t)(id * 2654435761u) & (es->tcap - 1);
}

/* seen_get past a collision at slot [i]. */
static Seen *seen_probe(EventState *es, uint32_t id, size_t i) {
    for (;;) {
        i = (i + 1) & (es->tcap - 1);
        Seen *s = es->table[i];
        if (!s || s->id == id) return s;
    }
}

/* The first probe inline: the table is at most half full, so it usually decides. */
static ALWAYS_INLINE Seen *seen_get(EventState *es, uint32_t id) {
    if (!es->tcap) return NULL;
    size_t i = slot_of(es, id);
    Seen *s = es->table[i];
    if (!s || s->id == id) return s;
    return seen_probe(es, id, i);
}

static ALWAYS_INLINE Seen *seen_of(EventState *es, Object *o) {
    return (o && (o->flags & OF_EVENTS_SEEN)) ? seen_get(es, o->id) : NULL;
}

static bool table_grow(EventState *es) {
    size_t cap = es->tcap ? es->tcap * 2 : 1024;
    Seen **t = calloc(cap, sizeof *t), **old = es->table;
    if (!t) return false;
    size_t oldcap = es->tcap;
    es->table = t;
    es->tcap = cap;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i]) continue;
        size_t j = slot_of(es, old[i]->id);
        while (t[j]) j = (j + 1) & (cap - 1);
        t[j] = old[i];
    }
    free(old);
    return true;
}

static Seen *seen_add(EventState *es, Object *o) {
    if ((es->tcount + 1) * 2 > es->tcap && !table_grow(es)) return NULL;
    if (es->tcount == es->capdense) {
        size_t cap = es->capdense ? es->capdense * 2 : 256;
        Seen **d = realloc(es->dense, cap * sizeof *d);
        if (!d) return NULL;
        es->dense = d;
        es->capdense = cap;
    }
    Seen *s = es->spare;
    if (s) {
        es->spare = (Seen *)s->o;
        IdVec shadow = s->shadow;
        memset(s, 0, sizeof *s);
        s->shadow = shadow;
        s->shadow.n = 0;
    } else {
        s = calloc(1, sizeof *s);
        if (!s) return NULL;
    }
    s->o = o;
    s->id = o->id;
    s->immortal = is_immortal(o);
    if (!s->immortal) {
        if (es->nmortal == es->capmortal) {
            size_t cap = es->capmortal ? es->capmortal * 2 : 256;
            Mortal *m = realloc(es->mortal, cap * sizeof *m);
            if (!m) { s->o = (Object *)es->spare; es->spare = s; return NULL; }
            es->mortal = m;
            es->capmortal = cap;
        }
        s->mortal_index = es->nmortal;
        es->mortal[es->nmortal++] = (Mortal){o, o->refcnt, obj_gen(o), gen_word(o), s};
    }
    if (o == es->hint_cell) s->cell_frame = es->hint_frame;
    size_t i = slot_of(es, o->id);
    while (es->table[i]) i = (i + 1) & (es->tcap - 1);
    es->table[i] = s;
    s->dense_index = es->tcount;
    es->dense[es->tcount++] = s;
    o->flags |= OF_EVENTS_SEEN;
    return s;
}

/* Removes [s] with backward-shift deletion (no tombstones). */
static void seen_remove(EventState *es, Seen *s) {
    size_t mask = es->tcap - 1, i = slot_of(es, s->id);
    while (es->table[i] != s) i = (i + 1) & mask;
    es->table[i] = NULL;
    for (size_t j = (i + 1) & mask; es->table[j]; j = (j + 1) & mask) {
        size_t home = slot_of(es, es->table[j]->id);
        bool movable = (j > i) ? (home <= i || home > j) : (home <= i && home > j);
        if (movable) {
            es->table[i] = es->table[j];
            es->table[j] = NULL;
            i = j;
        }
    }
    es->tcount--;
    Seen *last = es->dense[es->tcount];
    es->dense[s->dense_index] = last;
    last->dense_index = s->dense_index;
    if (!s->immortal) {
        Mortal last_m = es->mortal[--es->nmortal];
        es->mortal[s->mortal_index] = last_m;
        last_m.s->mortal_index = s->mortal_index;
    }
    s->o->flags &= ~OF_EVENTS_SEEN;
    if (s->shadow.cap > 64) idvec_free(&s->shadow);
    s->o = (Object *)es->spare;
    es->spare = s;
}

/* ---- the emit funnel ---- */

/* The opening of each kind's records: {"kind":"NAME" */
#define PREFIX_MAX 24
static const char kind_prefixes[][PREFIX_MAX] = {
#define EVENT(name, json) "{\"kind\":\"" json "\"",
#include "events.def"
#undef EVENT
};

static const unsigned char kind_prefix_lens[] = {
#define EVENT(name, json) (unsigned char)(sizeof "{\"kind\":\"" json "\"" - 1),
#include "events.def"
#undef EVENT
};

static void begin_record(EventState *es, int kind) {
    JsonBuf *j = &es->rec;
    es->rec_start = j->len;
    j->comma = true;
    if (!json_reserve(j, PREFIX_MAX)) return;
    memcpy(j->data + j->len, kind_prefixes[kind], PREFIX_MAX); /* a fixed-size copy */
    j->len += kind_prefix_lens[kind];
    j->data[j->len] = 0;
}

/* Cuts the record being built back to [at] (a member just written that says nothing);
 * a member came before it. */
static void drop_tail(JsonBuf *j, size_t at) {
    if (j->failed) return;
    j->len = at;
    j->data[at] = 0;
    j->comma = true;
}

/* Drops the record being built (begun, then found to say nothing). */
static void drop_record(EventState *es) {
    es->rec.len = es->rec_start;
    if (es->rec.data) es->rec.data[es->rec.len] = 0;
    es->rec.comma = false;
}

/* Hands the finished records (each with its newline) to config.emit in one call. */
static void flush_records(Vm *vm) {
    EventState *es = vm->events;
    if (es->rec.len && vm->config.emit) vm->config.emit(vm->config.user, es->rec.data, es->rec.len);
    json_reset(&es->rec);
    es->rec_start = 0;
}

/* Ends the record and keeps it (followed by a newline) if its kind is in the mask;
 * a record cut short by a failed allocation is dropped. */
static void emit(Vm *vm, int kind) {
    EventState *es = vm->events;
    JsonBuf *j = &es->rec;
    bool keep = (es->mask & (1u << kind)) && vm->config.emit;
    if (json_reserve(j, 2)) { /* the closing brace and, for a kept record, its newline */
        j->data[j->len++] = '}';
        if (keep) j->data[j->len++] = '\n';
        j->data[j->len] = 0;
    }
    if (j->failed || !keep) {
        j->failed = false;
        j->len = es->rec_start;
        if (j->data) j->data[j->len] = 0;
    } else if (j->len >= FLUSH_BYTES) {
        flush_records(vm);
    }
    j->comma = false;
}

/* ---- fixed-shape records, written in one piece ----
 * The records written at nearly every step (step, bind, pop, free, cell, push) have a
 * bounded size: one reservation, then plain stores, instead of a reservation and a
 * comma test per member. */

/* Writes the decimal digits of [v] at [p]; returns the end. Ids, lines and counts fit in
 * 32 bits: their length comes from comparisons, their digits two at a time from a table
 * of the pairs 00..99 and 32-bit divisions by 100 (compilers turn those into
 * multiplies); the rare larger value peels its last digits off first. Numbers are the
 * emitter's hottest work: a closure's call writes about 40 of them. */
static const char digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

static char *w_u64(char *p, uint64_t v) {
    if (v > UINT32_MAX) {
        char *e = w_u64(p, v / 10);
        *e = (char)('0' + v % 10);
        return e + 1;
    }
    uint32_t x = (uint32_t)v;
    unsigned n = x < 100 ? (x < 10 ? 1 : 2) : x < 10000 ? (x < 1000 ? 3 : 4)
               : x < 1000000 ? (x < 100000 ? 5 : 6) : x < 100000000 ? (x < 10000000 ? 7 : 8)
               : x < 1000000000 ? 9 : 10;
    char *e = p + n;
    while (x >= 100) {
        uint32_t q = x / 100;
        e -= 2;
        memcpy(e, digit_pairs + 2 * (x - q * 100), 2);
        x = q;
    }
    if (x >= 10) memcpy(e - 2, digit_pairs + 2 * x, 2);
    else e[-1] = (char)('0' + x);
    return p + n;
}

static inline char *w_i64(char *p, int64_t v) {
    if (v < 0) { *p++ = '-'; return w_u64(p, 0 - (uint64_t)v); }
    return w_u64(p, (uint64_t)v);
}

/* A ref: the id, or null. */
static ALWAYS_INLINE char *w_ref(char *p, uint32_t id) {
    if (id != NO_REF) return w_u64(p, id);
    memcpy(p, "null", 4);
    return p + 4;
}

#define W_LIT(p, lit) (memcpy((p), (lit), sizeof(lit) - 1), (p) + sizeof(lit) - 1)

/* Opens a record of [kind] with room for [room] bytes of members; returns where they
 * go, or NULL when memory ran out (fast_close then drops the record). */
static ALWAYS_INLINE char *fast_open(EventState *es, int kind, size_t room) {
    JsonBuf *j = &es->rec;
    es->rec_start = j->len;
    if (!json_reserve(j, PREFIX_MAX + room + 2)) return NULL;
    char *p = j->data + j->len;
    memcpy(p, kind_prefixes[kind], PREFIX_MAX); /* a fixed-size copy */
    return p + kind_prefix_lens[kind];
}

/* Closes the record whose members end at [p], as emit() does. */
static void fast_close(Vm *vm, int kind, char *p) {
    EventState *es = vm->events;
    JsonBuf *j = &es->rec;
    j->comma = false;
    if (!p || !(es->mask & (1u << kind)) || !vm->config.emit) {
        j->failed = false;
        j->len = es->rec_start;
        if (j->data) j->data[j->len] = 0;
        return;
    }
    *p++ = '}';
    *p++ = '\n';
    *p = 0;
    j->len = (size_t)(p - j->data);
    if (j->len >= FLUSH_BYTES) flush_records(vm);
}

/* Puts [o] in the set whose counts are re-read at step end. */
static void touch(EventState *es, Object *o) {
    if (!es->watching) return; /* this step's counts are read by the full scan */
    Seen *s = seen_of(es, o);
    if (s && s->stamp != es->nsteps + 1) {
        s->stamp = es->nsteps + 1;
        idvec_push(&es->watch, s->id);
    }
}

static void touch_id(EventState *es, uint32_t id) {
    if (id == NO_REF || !es->watching) return;
    Seen *s = seen_get(es, id);
    if (s) touch(es, s->o);
}

/* ---- descriptions ---- */

/* Describes an object: writes its fields to [j] (when non-NULL) and collects the
 * objects it refers to in es->refs, in the order written. */
typedef struct {
    EventState *es;
    JsonBuf *j;
} Desc;

static void collect(EventState *es, Object *r) {
    if (es->nrefs == es->caprefs) {
        size_t cap = es->caprefs ? es->caprefs * 2 : 64;
        Object **p = realloc(es->refs, cap * sizeof *p);
        if (!p) return;
        es->refs = p;
        es->caprefs = cap;
    }
    es->refs[es->nrefs++] = r;
}

static void put_ref(Desc *d, Object *r) {
    collect(d->es, r);
    if (!d->j) return;
    if (r) ev_uint(d->j, r->id);
    else json_null(d->j);
}

static void put_key_ref(Desc *d, const char *key, Object *r) {
    if (d->j) json_key(d->j, key);
    put_ref(d, r);
}

static void put_str(Desc *d, const char *key, Object *s) {
    if (!d->j) return;
    json_key(d->j, key);
    if (s && STR_CHECK(s)) json_string(d->j, str_cstr(s), str_byte_len(s));
    else json_cstr(d->j, "");
}

static void put_cstr(Desc *d, const char *key, const char *text) {
    if (!d->j) return;
    json_key(d->j, key);
    json_cstr(d->j, text);
}

static void put_items(Desc *d, const char *key, Object *const *items, size_t n) {
    if (d->j) { json_key(d->j, key); json_begin_array(d->j); }
    for (size_t i = 0; i < n; i++) put_ref(d, items[i]);
    if (d->j) json_end_array(d->j);
}

static void put_tuple_items(Desc *d, const char *key, Object *t) {
    if (t && TYPE(t) == &TupleType) put_items(d, key, ((TupleObject *)t)->items, TUPLE_SIZE(t));
    else put_items(d, key, NULL, 0);
}

/* Writes an int's decimal text without creating objects. */
static void put_int_value(Vm *vm, Desc *d, Object *o) {
    IntObject *io = (IntObject *)o;
    if (!d->j) return;
    json_key(d->j, "value");
    if (io->ndigits == 0) {
        JsonBuf *j = d->j;
        if (!json_reserve(j, 32)) return;
        char *p = j->data + j->len;
        if (j->comma) *p++ = ',';
        *p++ = '"';
        p = w_i64(p, io->small);
        *p++ = '"';
        *p = 0;
        j->len = (size_t)(p - j->data);
        j->comma = true;
        return;
    }
    uint64_t ndigits = (int_bit_length(o) - 1) * 30103 / 100000 + 1; /* exact, or one less */
    if (ndigits > 4300) {
        /* Past CPython's limit for str() (4300 digits): the exact digits would cost time
         * quadratic in their number at every record that shows the int. */
        char text[48];
        snprintf(text, sizeof text, "an int of about %llu digits", (unsigned long long)ndigits);
        json_cstr(d->j, text);
        return;
    }
    Object *saved = vm->exc;
    int limit = vm->int_max_str_digits;
    vm->exc = NULL;
    vm->int_max_str_digits = 0;
    char *digits = int_to_base_cstr(vm, o, 10);
    vm->int_max_str_digits = limit;
    if (vm->exc) XDECREF(vm, vm->exc);
    vm->exc = saved;
    if (!digits) { json_cstr(d->j, "?"); return; }
    JsonBuf *j = d->j;
    json_raw(j, j->comma ? ",\"" : "\"", j->comma ? 2 : 1);
    if (io->sign < 0) json_raw(j, "-", 1);
    json_raw(j, digits, strlen(digits));
    json_raw(j, "\"", 1);
    j->comma = true;
    free(digits);
}

static void describe_dict_items(Desc *d, Object *dict) {
    if (d->j) { json_key(d->j, "items"); json_begin_array(d->j); }
    size_t pos = 0;
    Object *k, *v;
    while (dict_next(dict, &pos, &k, &v)) {
        if (d->j) json_begin_array(d->j);
        put_ref(d, k);
        put_ref(d, v);
        if (d->j) json_end_array(d->j);
    }
    if (d->j) json_end_array(d->j);
}

static void describe_set_items(Desc *d, Object *set) {
    if (d->j) { json_key(d->j, "items"); json_begin_array(d->j); }
    size_t pos = 0;
    Object *k;
    while (set_next(set, &pos, &k)) put_ref(d, k);
    if (d->j) json_end_array(d->j);
}

/* The frame id of a live frame, 0 if the stream has not seen it. */
static uint32_t frame_id_of(EventState *es, Frame *f) {
    if (!f) return 0;
    for (size_t i = es->nframes; i-- > 0;)
        if (es->frames[i].f == f) return es->frames[i].id;
    return f->ev_id;
}

static void describe_type_object(Desc *d, Type *t) {
    put_cstr(d, "name", t->name ? t->name : "?");
    if (!(t->tflags & TP_HEAPTYPE)) return;
    put_str(d, "qualname", t->qualname);
    put_tuple_items(d, "bases", t->bases);
    put_key_ref(d, "dict", t->dict);
}

static const char *slot_name(CodeObject *c, int i);

/* A generator: its frame id while started and not finished, and while it is not running
 * (created or suspended) the frame's local slots as [name, ref] pairs (bound ones only;
 * the unbound ones are collected as null refs so that the shadow stays positional). */
static void describe_generator(Desc *d, GenObject *g) {
    Frame *f = g->frame;
    bool live = f && f->state != FRAME_COMPLETED;
    put_str(d, "name", g->name);
    put_str(d, "qualname", g->qualname);
    if (d->j) {
        json_key(d->j, "frame");
        if (live && f->ev_id) ev_uint(d->j, f->ev_id);
        else json_null(d->j);
    }
    if (live) d->es->marker = (f->ev_id << 3) + (uint32_t)f->state;
    if (!live || f->state == FRAME_RUNNING) return;
    CodeObject *c = f->code;
    if (d->j) { json_key(d->j, "locals"); json_begin_array(d->j); }
    for (int i = 0; i < c->nlocalsplus; i++) {
        Object *v = f->localsplus[i];
        if (!v) { collect(d->es, NULL); continue; }
        if (d->j) { json_begin_array(d->j); json_cstr(d->j, slot_name(c, i)); }
        put_ref(d, v);
        if (d->j) json_end_array(d->j);
    }
    if (d->j) json_end_array(d->j);
}

/* True when instances of user class [t] have __slots__ values (offsets a user class
 * adds that are neither the __dict__ nor the weakref slot). */
static bool has_slot_values(Type *t) {
    Type *b = type_static_base(t);
    for (size_t off = b->basicsize; off + sizeof(Object *) <= t->basicsize; off += sizeof(Object *))
        if (off != t->dict_offset && off != t->weaklist_offset) return true;
    return false;
}

/* The __slots__ values of an instance as [name, ref] pairs (null: unset), classes from
 * the most derived, each in its __slots__ order. */
static void describe_slots(Desc *d, Object *o) {
    if (d->j) { json_key(d->j, "slots"); json_begin_array(d->j); }
    for (Type *t = TYPE(o); t && (t->tflags & TP_HEAPTYPE); t = t->base) {
        if (!t->dict) continue;
        size_t pos = 0;
        Object *k, *v;
        while (dict_next(t->dict, &pos, &k, &v)) {
            if (TYPE(v) != &MemberDescrType || ((DescrObject *)v)->objclass != t) continue;
            DescrObject *m = (DescrObject *)v;
            if (d->j) { json_begin_array(d->j); json_string(d->j, str_cstr(m->name), str_byte_len(m->name)); }
            put_ref(d, *(Object **)((char *)o + m->offset));
            if (d->j) json_end_array(d->j);
        }
    }
    if (d->j) json_end_array(d->j);
}

/* The fields that follow "type" for each kind of object (see the spec's table). */
/* t is T or a subtype of it (the exact test first: it is the usual case, and the
 * subtype walk is a call). */
#define IS_A(t, T) ((t) == &(T) || type_is_subtype((t), &(T)))

/* Which built-in a type's description follows (the subclassable ones). */
enum { K_OTHER, K_INT, K_FLOAT, K_STR, K_LIST, K_TUPLE, K_DICT, K_SET, K_TYPE, K_EXC };

static int kind_of_uncached(Type *t) {
    if (IS_A(t, IntType)) return K_INT;
    if (IS_A(t, FloatType)) return K_FLOAT;
    if (IS_A(t, StrType)) return K_STR;
    if (IS_A(t, ListType)) return K_LIST;
    if (IS_A(t, TupleType)) return K_TUPLE;
    if (IS_A(t, DictType)) return K_DICT;
    if (IS_A(t, SetType) || IS_A(t, FrozenSetType)) return K_SET;
    if (IS_A(t, TypeType)) return K_TYPE;
    if (IS_A(t, BaseExceptionType)) return K_EXC;
    return K_OTHER;
}

/* kind_of_uncached, remembered for the last user class asked about (by its id, never
 * reused): instances of one class are described over and over, and for a class every
 * test is a walk of its bases. */
static int kind_of(EventState *es, Type *t) {
    if (!(t->tflags & TP_HEAPTYPE)) return kind_of_uncached(t);
    if (es->kind_type != ((Object *)t)->id + 1) {
        es->kind_type = ((Object *)t)->id + 1;
        es->kind = kind_of_uncached(t);
    }
    return es->kind;
}

static void describe_body(Vm *vm, Desc *d, Object *o) {
    Type *t = TYPE(o);
    d->es->marker = NO_REF;
    if (t->tflags & TP_HEAPTYPE) put_key_ref(d, "cls", (Object *)t);
    /* The types that cannot be subclassed first, by identity; then the others. */
    if (t == &BoolType) {
        put_cstr(d, "value", o == vm->true_ ? "True" : "False");
    } else if (t == &CellType) {
        put_key_ref(d, "ref", CELL_GET(o));
        Seen *s = seen_of(d->es, o);
        if (d->j) {
            json_key(d->j, "frame");
            if (s && s->cell_frame) ev_uint(d->j, s->cell_frame);
            else json_null(d->j);
        }
    } else if (t == &FunctionType) {
        FunctionObject *f = (FunctionObject *)o;
        put_str(d, "name", f->name);
        put_str(d, "qualname", f->qualname);
        put_tuple_items(d, "defaults", f->defaults);
        put_tuple_items(d, "closure", f->closure);
        put_key_ref(d, "kwdefaults", f->kwdefaults);
    } else if (t == &MethodType) {
        put_key_ref(d, "func", ((MethodObject *)o)->func);
        put_key_ref(d, "self", ((MethodObject *)o)->self);
    } else if (t == &BuiltinFunctionType) {
        BuiltinObject *b = (BuiltinObject *)o;
        put_cstr(d, "name", b->def && b->def->name ? b->def->name : "?");
        put_key_ref(d, "self", b->self);
    } else if (t == &ModuleType) {
        put_str(d, "name", ((ModuleObject *)o)->name);
    } else if (t == &RangeType) {
        RangeObject *r = (RangeObject *)o;
        char buf[80];
        if (r->step == 1) snprintf(buf, sizeof buf, "range(%lld, %lld)", (long long)r->start, (long long)r->stop);
        else snprintf(buf, sizeof buf, "range(%lld, %lld, %lld)", (long long)r->start,
                      (long long)r->stop, (long long)r->step);
        put_cstr(d, "value", buf);
    } else if (t == &WeakRefType) {
        put_key_ref(d, "ref", ((WeakRefObject *)o)->referent);
    } else if (t == &GeneratorType) {
        describe_generator(d, (GenObject *)o);
    } else {
        switch (kind_of(d->es, t)) {
        case K_INT: put_int_value(vm, d, o); break;
        case K_FLOAT: {
            char buf[32];
            put_cstr(d, "value", float_repr_cstr(((FloatObject *)o)->value, buf));
            break;
        }
        case K_STR:
            if (d->j) { json_key(d->j, "value"); json_string(d->j, str_cstr(o), str_byte_len(o)); }
            break;
        case K_LIST: put_items(d, "items", ((ListObject *)o)->items, LIST_SIZE(o)); break;
        case K_TUPLE: put_items(d, "items", ((TupleObject *)o)->items, TUPLE_SIZE(o)); break;
        case K_DICT: describe_dict_items(d, o); break;
        case K_SET: describe_set_items(d, o); break;
        case K_TYPE: describe_type_object(d, (Type *)o); break;
        case K_EXC: put_tuple_items(d, "args", ((ExceptionObject *)o)->args); break;
        default: break;
        }
    }
    if ((t->tflags & TP_HEAPTYPE) && t->dict_offset)
        put_key_ref(d, "dict", *(Object **)((char *)o + t->dict_offset));
    if ((t->tflags & TP_HEAPTYPE) && has_slot_values(t)) describe_slots(d, o);
}

/* Collects [o]'s referents in es->refs (no JSON). */
static void collect_refs(Vm *vm, Object *o) {
    Desc d = {vm->events, NULL};
    vm->events->nrefs = 0;
    describe_body(vm, &d, o);
}

/* Copies the collected refs into [shadow]. */
static void set_shadow(EventState *es, IdVec *shadow) {
    shadow->n = 0;
    for (size_t i = 0; i < es->nrefs; i++) idvec_push(shadow, ref_id(es->refs[i]));
    if (es->marker != NO_REF) idvec_push(shadow, es->marker);
}

/* The common count fields; [all] (snapshots) writes "gen" even when it is -1. */
static void write_counts(JsonBuf *j, Object *o, bool all) {
    if (is_immortal(o)) {
        json_key(j, "immortal");
        json_bool(j, true);
        return;
    }
    json_key(j, "rc");
    ev_int(j, o->refcnt);
    int gen = obj_gen(o);
    if (gen >= 0 || all) { /* absent in alloc: not tracked by the collector (-1) */
        json_key(j, "gen");
        ev_int(j, gen);
    }
}

/* True for objects whose description changes without an ev_mutate call. */
static bool is_volatile(Object *o) {
    Type *t = TYPE(o);
    if (o->refcnt == 0) return true;
    if (t == &WeakRefType) return ((WeakRefObject *)o)->referent != NULL;
    if (t == &GeneratorType) return ((GenObject *)o)->frame != NULL;
    return (t->tflags & TP_HEAPTYPE) && t->dict_offset &&
           *(Object **)((char *)o + t->dict_offset) == NULL;
}

/* Marks the mortal keys among a dict's collected [refs] (key, value, key, ...): the
 * stream may name them in a delta's "del" list once they are gone (see ev_free). */
static void mark_keys(EventState *es, Object *const *refs, size_t n) {
    for (size_t i = 0; i < n; i += 2) {
        Object *k = refs[i];
        if (!k || is_immortal(k)) continue;
        Seen *ks = seen_of(es, k);
        if (ks) ks->keyed = true;
    }
}

/* Writes the alloc record of [o] (already in the table) and records its shadow. */
static void emit_alloc(Vm *vm, Object *o) {
    EventState *es = vm->events;
    Seen *s = seen_of(es, o);
    begin_record(es, EV_ALLOC);
    json_key(&es->rec, "id");
    ev_uint(&es->rec, o->id);
    json_key(&es->rec, "type");
    json_cstr(&es->rec, TYPE(o)->name ? TYPE(o)->name : "?");
    write_counts(&es->rec, o, false);
    Desc d = {es, &es->rec};
    es->nrefs = 0;
    describe_body(vm, &d, o);
    if (es->watching) /* what it refers to gained a reference the stream now shows */
        for (size_t i = 0; i < es->nrefs; i++) touch(es, es->refs[i]);
    if (s) {
        set_shadow(es, &s->shadow);
        if (!s->immortal) {
            Mortal *m = &es->mortal[s->mortal_index];
            m->rc = o->refcnt;
            m->gen = obj_gen(o);
            m->gw = gen_word(o);
        }
        if (kind_of(es, TYPE(o)) == K_DICT) s->version = ((DictObject *)o)->version;
        if (TYPE(o) == &DictType) mark_keys(es, es->refs, es->nrefs);
        if (is_volatile(o)) idvec_push(&es->volatile_ids, o->id);
    }
    emit(vm, EV_ALLOC);
}

/* Pushes [o] on the announce work stack with its referents appended to [kids]. */
static bool work_push(Vm *vm, Object *o, Object ***kids, size_t *nkids, size_t *capkids) {
    EventState *es = vm->events;
    if (es->nwork == es->capwork) {
        size_t cap = es->capwork ? es->capwork * 2 : 32;
        struct Work *w = realloc(es->work, cap * sizeof *w);
        if (!w) return false;
        es->work = w;
        es->capwork = cap;
    }
    collect_refs(vm, o);
    if (*nkids + es->nrefs > *capkids) {
        size_t cap = (*nkids + es->nrefs) * 2 + 16;
        Object **p = realloc(*kids, cap * sizeof *p);
        if (!p) return false;
        *kids = p;
        *capkids = cap;
    }
    if (es->nrefs) memcpy(*kids + *nkids, es->refs, es->nrefs * sizeof **kids);
    es->work[es->nwork++] = (struct Work){o, *nkids, *nkids, *nkids + es->nrefs};
    *nkids += es->nrefs;
    return true;
}

/* Announces [o] and everything its description refers to that the stream has not
 * seen, children before parents (an explicit stack: no C recursion). Objects on a
 * cycle may be referred to by an alloc record that comes just before their own. */
static void announce(Vm *vm, Object *o) {
    EventState *es = vm->events;
    if (!o || (o->flags & OF_EVENTS_SEEN) || o->refcnt <= 0) return;
    if (!seen_add(es, o)) return;
    Object **kids = NULL;
    size_t nkids = 0, capkids = 0;
    es->nwork = 0;
    if (!work_push(vm, o, &kids, &nkids, &capkids)) goto out;
    while (es->nwork) {
        struct Work *w = &es->work[es->nwork - 1];
        if (w->next < w->end) {
            Object *c = kids[w->next++];
            if (c && !(c->flags & OF_EVENTS_SEEN) && c->refcnt > 0)
                if (!seen_add(es, c) || !work_push(vm, c, &kids, &nkids, &capkids)) goto out;
            continue;
        }
        Object *x = w->o;
        nkids = w->first;
        es->nwork--;
        emit_alloc(vm, x);
    }
out:
    free(kids);
    es->nwork = 0;
}

/* ---- deltas ---- */

static void emit_ref_array(JsonBuf *j, const uint32_t *ids, size_t n) {
    json_begin_array(j);
    for (size_t i = 0; i < n; i++) {
        if (ids[i] == NO_REF) json_null(j);
        else ev_uint(j, ids[i]);
    }
    json_end_array(j);
}

/* Reports a list's change as one splice of the differing middle. */
static void diff_list(Vm *vm, Seen *s, const uint32_t *now, size_t n) {
    EventState *es = vm->events;
    const uint32_t *old = s->shadow.v;
    size_t m = s->shadow.n, pre = 0, suf = 0;
    while (pre < m && pre < n && old[pre] == now[pre]) pre++;
    while (suf < m - pre && suf < n - pre && old[m - 1 - suf] == now[n - 1 - suf]) suf++;
    if (pre == m && pre == n) return;
    for (size_t i = pre; i < m - suf; i++) touch_id(es, old[i]);
    begin_record(es, EV_SPLICE);
    json_key(&es->rec, "id");
    ev_uint(&es->rec, s->id);
    json_key(&es->rec, "at");
    ev_uint(&es->rec, pre);
    json_key(&es->rec, "del");
    ev_uint(&es->rec, m - suf - pre);
    json_key(&es->rec, "ins");
    emit_ref_array(&es->rec, now + pre, n - suf - pre);
    emit(vm, EV_SPLICE);
}

static bool has_key(const uint32_t *pairs, size_t npairs, uint32_t key, size_t *at) {
    for (size_t i = 0; i < npairs; i++)
        if (pairs[2 * i] == key) { *at = i; return true; }
    return false;
}

/* Reports a dict's change as deletions then sets (see the spec for the order rule). */
static void diff_dict(Vm *vm, Seen *s, const uint32_t *now, size_t n) {
    EventState *es = vm->events;
    const uint32_t *old = s->shadow.v;
    size_t m = s->shadow.n / 2, np = n / 2;
    /* The kept keys are those of [now] that appear in [old] in increasing old order
     * before the first key that breaks that order; the rest of [now] is appended. */
    size_t kept = 0, last = 0;
    bool first = true;
    while (kept < np) {
        size_t at;
        if (!has_key(old, m, now[2 * kept], &at) || (!first && at < last)) break;
        last = at;
        first = false;
        kept++;
    }
    bool changed = false;
    JsonBuf *j = &es->rec;
    begin_record(es, EV_DICT);
    json_key(j, "id");
    ev_uint(j, s->id);
    size_t del_at = j->len;
    bool any = false;
    json_key(j, "del");
    json_begin_array(j);
    for (size_t i = 0; i < m; i++) {
        bool in_kept = false;
        for (size_t k = 0; k < kept; k++)
            if (now[2 * k] == old[2 * i]) { in_kept = true; break; }
        if (!in_kept) {
            ev_uint(j, old[2 * i]);
            touch_id(es, old[2 * i]);
            touch_id(es, old[2 * i + 1]);
            changed = any = true;
        }
    }
    json_end_array(j);
    if (!any) drop_tail(j, del_at); /* an empty list is left out */
    size_t set_at = j->len;
    any = false;
    json_key(j, "set");
    json_begin_array(j);
    for (size_t k = 0; k < np; k++) {
        size_t at = 0;
        bool was = k < kept && has_key(old, m, now[2 * k], &at);
        if (was && old[2 * at + 1] == now[2 * k + 1]) continue;
        if (was) touch_id(es, old[2 * at + 1]);
        emit_ref_array(j, now + 2 * k, 2);
        changed = any = true;
    }
    json_end_array(j);
    if (!any) drop_tail(j, set_at);
    if (changed) emit(vm, EV_DICT);
    else drop_record(es);
}

static bool same_ids(const IdVec *a, const uint32_t *b, size_t n) {
    return a->n == n && (n == 0 || memcmp(a->v, b, n * sizeof *b) == 0);
}

/* The usual change of an exact dict (the old keys are a prefix of the new ones: values
 * replaced, keys appended) in two passes over the dict's entries, read in place (key,
 * then value: dict.h's layout), and none over a copy (it runs at every step end for
 * the globals of a program that rebinds a global):
 * the first checks the keys and announces what is new, the second writes the delta and
 * updates the shadow in place. Returns false, having written nothing, for any other
 * change. */
static bool diff_dict_fast(Vm *vm, Seen *s) {
    EventState *es = vm->events;
    DictObject *d = (DictObject *)s->o;
    const size_t stride = dict_entry_size(d->unicode), ne = d->nentries, m = s->shadow.n / 2;
    const char *base = d->entries;
    size_t n = 0, first = SIZE_MAX;
    for (size_t i = 0; i < ne; i++) {
        Object *const *kv = (Object *const *)(base + i * stride);
        Object *k = kv[0], *v = kv[1];
        if (!k) continue;
        if (n < m) {
            if (k->id != s->shadow.v[2 * n]) return false;
            if (ref_id(v) != s->shadow.v[2 * n + 1]) {
                if (first == SIZE_MAX) first = i;
                announce(vm, v);
            }
        } else {
            if (first == SIZE_MAX) first = i;
            announce(vm, k);
            announce(vm, v);
        }
        n++;
    }
    if (n < m) return false;
    if (first == SIZE_MAX) return true;
    JsonBuf *j = &es->rec;
    begin_record(es, EV_DICT);
    json_key(j, "id");
    ev_uint(j, s->id);
    json_raw(j, ",\"set\":[", sizeof ",\"set\":[" - 1);
    j->comma = false;
    /* [first] is an entry index; count the live entries before it. */
    size_t at = 0;
    for (size_t i = 0; i < first; i++) if (((Object *const *)(base + i * stride))[0]) at++;
    if (es->watching) { /* as the general diff does */
        for (size_t i = 0; i < first; i++) {
            Object *const *kv = (Object *const *)(base + i * stride);
            if (kv[0]) { touch(es, kv[0]); touch(es, kv[1]); }
        }
    }
    for (size_t i = first; i < ne; i++) {
        Object *const *kv = (Object *const *)(base + i * stride);
        Object *k = kv[0], *v = kv[1];
        if (!k) continue;
        uint32_t vid = ref_id(v);
        if (es->watching) { touch(es, k); touch(es, v); }
        if (at < m) {
            uint32_t *slot = &s->shadow.v[2 * at++];
            if (vid == slot[1]) continue;
            touch_id(es, slot[1]);
            slot[1] = vid;
        } else {
            at++;
            idvec_push(&s->shadow, k->id);
            idvec_push(&s->shadow, vid);
            if (!is_immortal(k)) {
                Seen *ks = seen_of(es, k);
                if (ks) ks->keyed = true;
            }
        }
        json_begin_array(j);
        ev_uint(j, k->id);
        if (v) ev_uint(j, vid); else json_null(j);
        json_end_array(j);
    }
    json_end_array(j);
    emit(vm, EV_DICT);
    return true;
}

/* Compares an announced object with what the stream last said and writes the delta. */
static void diff_object(Vm *vm, Seen *s) {
    EventState *es = vm->events;
    Object *o = s->o;
    s->dirty = false;
    if (o->refcnt < 0) return;
    touch(es, o); /* a mutation may start or stop its tracking by the collector */
    Type *t = TYPE(o);
    if (t == &DictType) {
        uint32_t version = ((DictObject *)o)->version;
        if (version == s->version) return;
        if (diff_dict_fast(vm, s)) { s->version = version; return; }
    } else if (t == &CellType) { /* diff_frame looks at the frame's cells every step */
        if (s->shadow.n == 1 && s->shadow.v[0] == ref_id(CELL_GET(o))) return;
    }
    int kind = kind_of(es, t);
    bool is_dict = kind == K_DICT;
    if (is_dict && !(t->tflags & TP_HEAPTYPE) && ((DictObject *)o)->version == s->version) return;
    collect_refs(vm, o);
    IdVec now = es->scratch;
    es->scratch = (IdVec){0};
    set_shadow(es, &now);
    if (!same_ids(&s->shadow, now.v, now.n)) {
        size_t nobjs = es->nrefs;
        if (nobjs > es->capobjs) {
            Object **p = realloc(es->objs, nobjs * 2 * sizeof *p);
            if (p) { es->objs = p; es->capobjs = nobjs * 2; }
        }
        if (nobjs <= es->capobjs) {
            Object **objs = es->objs;
            es->objs = NULL; /* announce() may diff nothing, but keep it private */
            if (nobjs) memcpy(objs, es->refs, nobjs * sizeof *objs);
            for (size_t i = 0; i < nobjs; i++)
                if (objs[i] && !(objs[i]->flags & OF_EVENTS_SEEN)) announce(vm, objs[i]);
            if (t == &DictType) mark_keys(es, objs, nobjs);
            es->objs = objs;
        }
        for (size_t i = 0; i < now.n; i++) touch_id(es, now.v[i]);
        if (kind == K_LIST && !(t->tflags & TP_HEAPTYPE)) {
            diff_list(vm, s, now.v, now.n);
        } else if (is_dict && !(t->tflags & TP_HEAPTYPE)) {
            diff_dict(vm, s, now.v, now.n);
        } else if (t == &SetType || t == &FrozenSetType) {
            begin_record(es, EV_MEMBERS);
            json_key(&es->rec, "id");
            ev_uint(&es->rec, s->id);
            json_key(&es->rec, "items");
            emit_ref_array(&es->rec, now.v, now.n);
            emit(vm, EV_MEMBERS);
        } else if (t == &CellType) {
            char *p = fast_open(es, EV_CELL, 48);
            if (p) {
                p = W_LIT(p, ",\"id\":");
                p = w_u64(p, s->id);
                p = W_LIT(p, ",\"ref\":");
                p = w_ref(p, now.n ? now.v[0] : NO_REF);
            }
            fast_close(vm, EV_CELL, p);
        } else {
            begin_record(es, EV_UPDATE);
            json_key(&es->rec, "id");
            ev_uint(&es->rec, s->id);
            Desc d = {es, &es->rec};
            es->nrefs = 0;
            describe_body(vm, &d, o);
            emit(vm, EV_UPDATE);
        }
        for (size_t i = 0; i < s->shadow.n; i++) touch_id(es, s->shadow.v[i]);
        IdVec old = s->shadow;
        s->shadow = now;
        now = old;
    }
    /* Keep the larger buffer as the scratch one. */
    if (now.cap >= es->scratch.cap) { idvec_free(&es->scratch); es->scratch = now; }
    else idvec_free(&now);
    if (is_dict) s->version = ((DictObject *)o)->version;
}

static void mark_dirty(EventState *es, Object *o) {
    Seen *s = seen_of(es, o);
    if (s && !s->dirty) {
        s->dirty = true;
        idvec_push(&es->dirty, s->id);
    }
}

/* ---- frames ---- */

static ALWAYS_INLINE FrameInfo *frame_info(EventState *es, Frame *f) {
    for (size_t i = es->nframes; i-- > 0;)
        if (es->frames[i].f == f) return &es->frames[i];
    return NULL;
}

static const char *slot_name(CodeObject *c, int i) {
    Object *names = c->varnames;
    if (i >= c->nlocals) {
        i -= c->nlocals;
        names = c->cellvars;
        if (i >= c->ncells) { i -= c->ncells; names = c->freevars; }
    }
    if (!names || (size_t)i >= TUPLE_SIZE(names)) return "?";
    return str_cstr(TUPLE_ITEM(names, i));
}

/* Writes bind records for the local slots of [fi] that changed; cells in the frame
 * and its namespace dicts are diffed too. */
static void diff_frame(Vm *vm, FrameInfo *fi) {
    EventState *es = vm->events;
    Frame *f = fi->f;
    CodeObject *c = f->code;
    int n = c->nlocalsplus;
    while (fi->shadow.n < (size_t)n) idvec_push(&fi->shadow, NO_REF);
    for (int i = 0; i < n; i++) {
        Object *v = f->localsplus[i];
        uint32_t id = ref_id(v);
        if (id == fi->shadow.v[i]) continue;
        if (i >= c->nlocals && i < c->nlocals + c->ncells) {
            es->hint_cell = v;
            es->hint_frame = fi->id;
        }
        announce(vm, v);
        es->hint_cell = NULL;
        touch_id(es, fi->shadow.v[i]);
        touch(es, v);
        fi->shadow.v[i] = id;
        char *p = fast_open(es, EV_BIND, 64);
        if (p) {
            p = W_LIT(p, ",\"frame\":");
            p = w_u64(p, fi->id);
            p = W_LIT(p, ",\"slot\":");
            p = w_u64(p, (uint64_t)i);
            p = W_LIT(p, ",\"ref\":");
            p = w_ref(p, v ? id : NO_REF);
        }
        fast_close(vm, EV_BIND, p);
    }
    for (int i = c->nlocals; i < n; i++) {
        Seen *s = seen_of(es, f->localsplus[i]);
        if (s) diff_object(vm, s);
    }
    Seen *s = seen_of(es, f->locals);
    if (s) diff_object(vm, s);
    s = seen_of(es, f->globals);
    if (s) diff_object(vm, s);
}

/* Reports every pending delta: the executing frame's slots, then changed containers. */
static void flush_deltas(Vm *vm) {
    EventState *es = vm->events;
    FrameInfo *fi = frame_info(es, es->step_frame);
    if (fi) diff_frame(vm, fi);
    size_t keep = 0;
    for (size_t i = 0; i < es->volatile_ids.n; i++) {
        Seen *s = seen_get(es, es->volatile_ids.v[i]);
        if (!s) continue;
        diff_object(vm, s);
        if (is_volatile(s->o)) es->volatile_ids.v[keep++] = s->id;
    }
    es->volatile_ids.n = keep;
    for (size_t i = 0; i < es->dirty.n; i++) {
        Seen *s = seen_get(es, es->dirty.v[i]);
        if (s && s->dirty) diff_object(vm, s);
    }
    es->dirty.n = 0;
}

/* ---- reference counts ---- */

/* Watches [ref]; and, up to two levels down, what an opaque object or a tuple the
 * stream never showed refers to (an enumerate's list iterator, the iterators in a
 * zip's tuple). [arg] counts the levels already gone down. */
static int touch_visit(Vm *vm, Object *ref, void *arg) {
    EventState *es = vm->events;
    if (!ref) return 0;
    Type *t = TYPE(ref);
    if (ref->flags & OF_EVENTS_SEEN) {
        touch(es, ref);
        idvec_push(&es->carry, ref->id);
    } else if ((uintptr_t)arg < 2 && t->traverse && !(t->tflags & TP_HEAPTYPE) &&
               (t == &TupleType || kind_of(es, t) == K_OTHER)) {
        t->traverse(vm, ref, touch_visit, (void *)((uintptr_t)arg + 1));
    }
    return 0;
}

/* Watches [o] and what it refers to, unless its description names every referent (an
 * instance, a container: their deltas watch those). An iterator, say, drops its
 * sequence without a hook when it is exhausted. */
static void watch_held(Vm *vm, Object *o) {
    if (!o) return;
    Type *t = TYPE(o);
    if (o->flags & OF_EVENTS_SEEN) {
        touch_visit(vm, o, NULL);
        if ((t->tflags & TP_HEAPTYPE) || kind_of(vm->events, t) != K_OTHER) return;
    }
    if (t->traverse) t->traverse(vm, o, touch_visit, NULL);
}

/* Watches what value stacks hold (and what unannounced stack objects refer to), now
 * and at the previous step end. Only the stacks of frames that ran since the last
 * call change. Every call and return is a step, so between two calls at most one
 * frame returned and its caller resumed: the frames above the depth of the last call
 * less one ran, and the one below them goes into the carry, since it pops what it
 * holds when they return. Walking every frame made each step of a 20,000-deep
 * recursion cost 20,000 frames. */
static void watch_stacks(Vm *vm) {
    EventState *es = vm->events;
    for (size_t i = 0; i < es->carry.n; i++) touch_id(es, es->carry.v[i]);
    es->carry.n = 0;
    int low = es->walked_depth < vm->depth ? es->walked_depth : vm->depth;
    int walk = vm->depth - low + 3;
    for (Frame *f = vm->frame; f && walk-- > 0; f = f->back) {
        for (Object **p = FRAME_STACK_BASE(f); p < f->sp; p++) watch_held(vm, *p);
    }
    es->walked_depth = vm->depth;
    watch_held(vm, vm->handled_exc); /* what a bare `raise` re-raises */
    /* The running frame's locals too: an iterator bound there (a comprehension's .0)
     * is exhausted by the frame's own code. */
    if (vm->frame)
        for (int i = 0; i < vm->frame->code->nlocalsplus; i++) watch_held(vm, vm->frame->localsplus[i]);
}

static void put_count_entry(JsonBuf *j, bool *open, const char *key, uint32_t id, int64_t v) {
    if (!*open) {
        json_key(j, key);
        json_begin_object(j);
        *open = true;
    }
    if (!json_reserve(j, 48)) return;
    char *p = j->data + j->len;
    if (j->comma) *p++ = ',';
    *p++ = '"';
    p = w_u64(p, id);
    *p++ = '"';
    *p++ = ':';
    p = w_i64(p, v);
    *p = 0;
    j->len = (size_t)(p - j->data);
    j->comma = true;
}

/* Decides how this step's counts are read: every announced object on small heaps or
 * after a collection (exact), else the watch set plus what value stacks hold. Objects
 * whose count reached zero are being deallocated (a __del__ runs): their contents may
 * change without ev_mutate, so they are diffed. */
static bool collect_watch(Vm *vm) {
    EventState *es = vm->events;
    bool full = !es->watching || es->nmortal <= es->full_scan_limit;
    if (full) {
        /* One pass over the mortal entries: those whose count or generation changed
         * (flush_deltas, which runs next, changes no count). */
        es->nchanged = 0;
        for (Mortal *m = es->mortal, *end = m + es->nmortal; m < end; m++) {
            Object *o = m->o;
            intptr_t rc = o->refcnt;
            if (rc == m->rc && rc != 0 && gen_word(o) == m->gw) continue; /* the usual case */
            Seen *s = m->s;
            if (rc == 0 && !s->dirty) { /* being deallocated: see the spec */
                s->dirty = true;
                idvec_push(&es->dirty, s->id);
            }
            m->gw = gen_word(o);
            if (rc == m->rc && obj_gen(o) == m->gen) continue;
            if (es->nchanged == es->capchanged) {
                size_t cap = es->capchanged ? es->capchanged * 2 : 64;
                Seen **p = realloc(es->changed, cap * sizeof *p);
                if (!p) break;
                es->changed = p;
                es->capchanged = cap;
            }
            es->changed[es->nchanged++] = s;
        }
        return true;
    }
    watch_stacks(vm);
    for (size_t i = 0; i < es->watch.n; i++) {
        Seen *s = seen_get(es, es->watch.v[i]);
        if (s && s->o->refcnt == 0) mark_dirty(es, s->o);
    }
    return false;
}

/* Adds [s]'s count changes to the counts record being built: "rc" members to [j],
 * "gen" members to [g] (appended after them). */
static void count_changes(EventState *es, JsonBuf *j, JsonBuf *g, Seen *s, bool *rc_open, bool *gen_open) {
    if (s->immortal) return;
    Object *o = s->o;
    Mortal *m = &es->mortal[s->mortal_index];
    if (o->refcnt != m->rc) {
        put_count_entry(j, rc_open, "rc", s->id, o->refcnt);
        m->rc = o->refcnt;
    }
    int gen = obj_gen(o);
    if (gen != m->gen) {
        put_count_entry(g, gen_open, "gen", s->id, gen);
        m->gen = gen;
    }
}

/* Writes the counts record for the step that ends. */
static void emit_counts(Vm *vm, bool full) {
    EventState *es = vm->events;
    JsonBuf *j = &es->rec, *g = &es->genbuf;
    bool rc_open = false, gen_open = false;
    if (full && es->nchanged == 0) { es->watch.n = 0; return; }
    begin_record(es, EV_COUNTS);
    json_reset(g);
    g->comma = true;
    if (full) {
        for (size_t i = 0; i < es->nchanged; i++)
            count_changes(es, j, g, es->changed[i], &rc_open, &gen_open);
        es->nchanged = 0;
    } else {
        for (size_t i = 0; i < es->watch.n; i++) {
            Seen *s = seen_get(es, es->watch.v[i]);
            if (s) count_changes(es, j, g, s, &rc_open, &gen_open);
        }
    }
    es->watch.n = 0;
    if (rc_open) json_end_object(j);
    if (gen_open) {
        json_end_object(g);
        json_raw(j, g->data, g->len);
        j->comma = true;
    }
    if (rc_open || gen_open) emit(vm, EV_COUNTS);
    else drop_record(es);
}

/* ---- snapshots ----
 * Only the CLI's --snapshots (the tests) writes them: the web engine is built without
 * (PF_NO_SNAPSHOTS, for its size budget; core/wasm.c has no such option). */
#ifdef PF_NO_SNAPSHOTS
#define SNAPSHOTS(vm) 0
#else
#define SNAPSHOTS(vm) ((vm)->config.snapshots)

static void snapshot_object(Vm *vm, JsonBuf *j, Object *o) {
    EventState *es = vm->events;
    char name[16];
    snprintf(name, sizeof name, "%u", o->id);
    json_key(j, name);
    json_begin_object(j);
    json_key(j, "type");
    json_cstr(j, TYPE(o)->name ? TYPE(o)->name : "?");
    write_counts(j, o, true);
    Desc d = {es, j};
    es->nrefs = 0;
    describe_body(vm, &d, o);
    json_end_object(j);
}

static void snapshot_frame(Vm *vm, JsonBuf *j, Frame *f) {
    EventState *es = vm->events;
    FrameInfo *fi = frame_info(es, f);
    CodeObject *c = f->code;
    json_begin_object(j);
    json_key(j, "id");
    ev_uint(j, frame_id_of(es, f));
    json_key(j, "name");
    json_cstr(j, str_cstr(c->name));
    json_key(j, "qualname");
    json_cstr(j, str_cstr(c->qualname));
    json_key(j, "parent");
    if (f->back && frame_id_of(es, f->back)) ev_uint(j, frame_id_of(es, f->back));
    else json_null(j);
    json_key(j, "func");
    if (f->func) ev_uint(j, f->func->id); else json_null(j);
    json_key(j, "line");
    ev_int(j, fi ? fi->line : frame_line(f));
    json_key(j, "globals");
    if (f->globals) ev_uint(j, f->globals->id); else json_null(j);
    if (f->locals) { json_key(j, "locals_dict"); ev_uint(j, f->locals->id); }
    json_key(j, "locals");
    json_begin_array(j);
    for (int i = 0; i < c->nlocalsplus; i++) {
        if (!f->localsplus[i]) continue;
        json_begin_array(j);
        json_cstr(j, slot_name(c, i));
        ev_uint(j, f->localsplus[i]->id);
        json_end_array(j);
    }
    json_end_array(j);
    json_end_object(j);
}

static void frames_bottom_up(Vm *vm, JsonBuf *j, Frame *top) {
    size_t n = 0;
    if (top && top == vm->events->entering) top = top->back;
    for (Frame *f = top; f; f = f->back) n++;
    Frame **stack = malloc((n + 1) * sizeof *stack);
    if (!stack) return;
    size_t i = n;
    for (Frame *f = top; f; f = f->back) stack[--i] = f;
    for (i = 0; i < n; i++) snapshot_frame(vm, j, stack[i]);
    free(stack);
}

static void emit_snapshot(Vm *vm) {
    EventState *es = vm->events;
    JsonBuf *j = &es->rec;
    begin_record(es, EV_SNAPSHOT);
    json_key(j, "n");
    ev_uint(j, es->nsteps - 1);
    json_key(j, "state");
    json_begin_object(j);
    json_key(j, "frames");
    json_begin_array(j);
    frames_bottom_up(vm, j, vm->frame);
    json_end_array(j);
    json_key(j, "objects");
    json_begin_object(j);
    for (size_t i = 0; i < es->tcount; i++) snapshot_object(vm, j, es->dense[i]->o);
    json_end_object(j);
    json_key(j, "stdout");
    json_string(j, es->out1.data ? es->out1.data : "", es->out1.len);
    json_key(j, "stderr");
    json_string(j, es->out2.data ? es->out2.data : "", es->out2.len);
    json_key(j, "exception");
    if (es->exc.len) { json_raw(j, es->exc.data, es->exc.len); j->comma = true; }
    else json_null(j);
    json_end_object(j);
    emit(vm, EV_SNAPSHOT);
}
#endif

/* ---- steps ---- */

/* Closes the current step: deltas, counts, snapshot. */
static void end_step(Vm *vm) {
    EventState *es = vm->events;
    if (!es->in_step) return;
    bool full = collect_watch(vm);
    flush_deltas(vm);
    emit_counts(vm, full);
    bool next = es->nmortal > es->full_scan_limit;
    if (next && !es->watching) {
        es->watching = true;
        es->carry.n = 0;
        es->walked_depth = 0; /* every frame */
        watch_stacks(vm); /* what the stacks hold now: re-read at the next step end */
        es->watch.n = 0;
    }
    es->watching = next;
#ifndef PF_NO_SNAPSHOTS
    if (SNAPSHOTS(vm)) emit_snapshot(vm);
#endif
    es->in_step = false;
}

static bool active(Vm *vm) {
    EventState *es = vm->events;
    return es && es->began && !es->ended && !es->busy && !es->trace_exhausted;
}

/* Ends the current step and opens the next one; false when the trace step budget ran
 * out (the VM is told to stop). */
static bool open_step(Vm *vm, const char *at, Frame *frame, int line) {
    EventState *es = vm->events;
    end_step(vm);
    if (vm->config.max_trace_steps && es->nsteps >= vm->config.max_trace_steps) {
        es->trace_exhausted = true;
        vm->budget_exhausted = true;
        return false;
    }
    if (es->exc_caught) { json_reset(&es->exc); es->exc_caught = false; }
    FrameInfo *fi = frame_info(es, frame);
    if (fi) fi->line = line;
    /* The step's number is implied (steps count from 0); "at" is left out when it is
     * "line", "frame" when it is the previous step's. */
    char *p = fast_open(es, EV_STEP, 80);
    uint32_t fid = fi ? fi->id : 0;
    if (p) {
        if (at[0] != 'l') { /* at: a short literal (call, return, exception, end) */
            size_t n = strlen(at);
            p = W_LIT(p, ",\"at\":\"");
            memcpy(p, at, n);
            p += n;
            *p++ = '"';
        }
        if (fid != es->last_step_frame) {
            p = W_LIT(p, ",\"frame\":");
            p = w_ref(p, fi ? fid : NO_REF);
            es->last_step_frame = fid;
        }
        p = W_LIT(p, ",\"line\":");
        p = w_i64(p, line);
    }
    fast_close(vm, EV_STEP, p);
    es->nsteps++;
    es->in_step = true;
    es->step_frame = frame;
    return true;
}

/* ---- hooks: execution ---- */

void ev_line(Vm *vm, Frame *frame, int line) {
    if (!active(vm)) return;
    vm->events->busy = true;
    open_step(vm, "line", frame, line);
    vm->events->busy = false;
}

/* Writes the code record of [c]: what every frame running it shares. */
static void emit_code(Vm *vm, CodeObject *c) {
    EventState *es = vm->events;
    JsonBuf *j = &es->rec;
    c->ev_epoch = es->epoch;
    begin_record(es, EV_CODE);
    json_key(j, "id");
    ev_uint(j, ((Object *)c)->id);
    json_key(j, "name");
    json_cstr(j, str_cstr(c->name));
    json_key(j, "qualname");
    json_cstr(j, str_cstr(c->qualname));
    json_key(j, "names");
    json_begin_array(j);
    for (int i = 0; i < c->nlocalsplus; i++) json_cstr(j, slot_name(c, i));
    json_end_array(j);
    json_key(j, "cells");
    ev_int(j, c->ncells);
    emit(vm, EV_CODE);
}

/* The entries above nframes keep the shadow buffers of popped frames, so that a call
 * reuses one instead of allocating it. */
static FrameInfo *push_info(EventState *es, Frame *f) {
    if (es->nframes == es->capframes) {
        size_t cap = es->capframes ? es->capframes * 2 : 16;
        FrameInfo *p = realloc(es->frames, cap * sizeof *p);
        if (!p) return NULL;
        memset(p + es->capframes, 0, (cap - es->capframes) * sizeof *p);
        es->frames = p;
        es->capframes = cap;
    }
    FrameInfo *fi = &es->frames[es->nframes++];
    IdVec shadow = fi->shadow;
    memset(fi, 0, sizeof *fi);
    fi->shadow = shadow;
    fi->shadow.n = 0;
    fi->f = f;
    if (!f->ev_id) f->ev_id = ++es->next_frame_id;
    fi->id = f->ev_id;
    fi->line = f->code->firstlineno;
    return fi;
}

void ev_call(Vm *vm, Frame *frame) {
    if (!active(vm)) return;
    EventState *es = vm->events;
    es->busy = true;
    es->entering = frame;
    /* The new frame took over the caller's stack references to its function and
     * arguments: the closing step's watch set would miss them there. */
    if (es->watching) {
        touch(es, frame->func);
        for (int i = 0; i < frame->code->nlocalsplus; i++) watch_held(vm, frame->localsplus[i]);
    }
    end_step(vm);
    es->entering = NULL;
    FrameInfo *fi = push_info(es, frame);
    /* A resumed generator continues where it yielded. */
    int line = FRAME_LASTI(frame) >= 0 ? frame_line(frame) : frame->code->firstlineno;
    if (!fi || !open_step(vm, "call", frame, line)) goto done;
    announce(vm, frame->func);
    announce(vm, frame->globals);
    announce(vm, frame->locals);
    CodeObject *c = frame->code;
    if (c->ev_epoch != es->epoch) emit_code(vm, c);
    char *p = fast_open(es, EV_PUSH, 160);
    if (p) {
        uint32_t parent = frame_id_of(es, frame->back);
        p = W_LIT(p, ",\"frame\":");
        p = w_u64(p, fi->id);
        p = W_LIT(p, ",\"parent\":");
        p = w_ref(p, parent ? parent : NO_REF);
        p = W_LIT(p, ",\"code\":");
        p = w_u64(p, ((Object *)c)->id);
        p = W_LIT(p, ",\"func\":");
        p = w_ref(p, ref_id(frame->func));
        p = W_LIT(p, ",\"globals\":");
        p = w_ref(p, ref_id(frame->globals));
        if (frame->locals) {
            p = W_LIT(p, ",\"locals_dict\":");
            p = w_u64(p, frame->locals->id);
        }
        p = W_LIT(p, ",\"line\":");
        p = w_i64(p, line);
    }
    fast_close(vm, EV_PUSH, p);
    /* The frame holds its function and namespaces: their counts changed. */
    touch(es, frame->func);
    touch(es, frame->globals);
    touch(es, frame->locals);
    diff_frame(vm, fi);
done:
    es->busy = false;
}

void ev_return(Vm *vm, Frame *frame, Object *retval) {
    if (!active(vm)) return;
    EventState *es = vm->events;
    es->busy = true;
    FrameInfo *fi = frame_info(es, frame);
    int line = fi ? fi->line : frame_line(frame);
    /* A frame that an exception leaves has its locals kept for the traceback
     * (keep_frame_locals) before this hook: the closing step sees those counts. */
    if (fi && es->watching)
        for (size_t i = 0; i < fi->shadow.n; i++) touch_id(es, fi->shadow.v[i]);
    /* Off the value stack, not yet in the caller's; a tuple the stream has not shown
     * yet, built by the return statement, holds its items' new references. */
    if (es->watching && retval && !(retval->flags & OF_EVENTS_SEEN)) watch_held(vm, retval);
    else touch(es, retval);
    if (!open_step(vm, "return", frame, line)) goto done;
    es->step_frame = frame->back;
    announce(vm, retval);
    touch(es, retval);
    char *p = fast_open(es, EV_POP, 64);
    if (p) {
        p = W_LIT(p, ",\"frame\":");
        p = w_u64(p, fi ? fi->id : frame->ev_id);
        p = W_LIT(p, ",\"ret\":");
        p = w_ref(p, ref_id(retval));
        if (frame->state == FRAME_SUSPENDED) p = W_LIT(p, ",\"yield\":true");
    }
    fast_close(vm, EV_POP, p);
    if (fi) {
        for (size_t i = 0; i < fi->shadow.n; i++) touch_id(es, fi->shadow.v[i]);
        size_t at = (size_t)(fi - es->frames);
        if (at + 1 < es->nframes) { /* not the newest frame (a generator's) */
            idvec_free(&fi->shadow);
            memmove(fi, fi + 1, (es->nframes - at - 1) * sizeof *fi);
            es->frames[es->nframes - 1].shadow = (IdVec){0};
        }
        es->nframes--;
    }
    touch(es, frame->globals);
done:
    es->busy = false;
}

void ev_c_returned(Vm *vm, Object **from, Object **to, Object *result) {
    if (!vm->events->watching) return;
    /* The C function may have stored them where the stream does not look (a list the
     * stream never showed, a C-level registry such as gc.callbacks)... */
    while (from < to) touch(vm->events, *from++);
    /* ...and its result may hold references the stream has not seen it take (the
     * list gc.get_objects() makes, consumed by an iterator within the step). */
    watch_held(vm, result);
}

void ev_watch(Vm *vm, Object *const *items, size_t n) {
    if (!vm->events->watching) return;
    /* Their counts (and, two levels down, those of what unshown tuples among them hold;
     * for a class being made, those of the names in its dict) are re-read at the next
     * step end, inside the Python code; after that, only that code changes them, and
     * it is watched as usual. */
    for (size_t i = 0; i < n; i++) {
        Object *o = items[i];
        watch_held(vm, o);
        if (!o || (o->flags & OF_EVENTS_SEEN) || !IS_A(TYPE(o), TypeType) || !((Type *)o)->dict) continue;
        size_t pos = 0;
        Object *name, *value;
        while (dict_next(((Type *)o)->dict, &pos, &name, &value)) touch_visit(vm, value, NULL);
    }
}

void ev_release(Vm *vm, Frame *frame) {
    touch(vm->events, frame->func);
    touch(vm->events, frame->locals);
}

void ev_bind(Vm *vm, Frame *frame, Object *dict, Object *name, Object *value) {
    if (!active(vm)) return;
    if (dict) mark_dirty(vm->events, dict);
    /* Frame slots are compared with what the stream said when the step ends. */
}

/* ---- hooks: objects ---- */

void ev_alloc(Vm *vm, Object *o) {
    /* Objects are announced lazily, when a record first refers to them. */
}

void ev_free(Vm *vm, Object *o, int reason) {
    if (!(o->flags & OF_EVENTS_SEEN)) return;
    EventState *es = vm->events;
    if (!es) return;
    Seen *s = seen_get(es, o->id);
    if (!s) return;
    if (active(vm)) {
        es->busy = true;
        /* The deltas are written at the step end, after the free (the spec allows a
         * free before the delta that drops the last visible reference), so objects
         * they announce show their counts once the step's work is done. Except for an
         * object that has been a dict key: a pending dict delta may delete it by id. */
        if (s->keyed) flush_deltas(vm);
        for (size_t i = 0; i < s->shadow.n; i++) touch_id(es, s->shadow.v[i]);
        char *p = fast_open(es, EV_FREE, 48);
        if (p) {
            p = W_LIT(p, ",\"id\":");
            p = w_u64(p, o->id);
            /* "refcount" is the default, left out */
            if (reason == FREE_GC) p = W_LIT(p, ",\"reason\":\"gc\"");
            else if (reason == FREE_END) p = W_LIT(p, ",\"reason\":\"end\"");
        }
        fast_close(vm, EV_FREE, p);
        es->busy = false;
    }
    seen_remove(es, s);
}

void ev_dealloc(Vm *vm, Object *o) {
    /* What an object releases changes counts without a hook when the stream never
     * showed the reference (an exhausted iterator's list, a call's argument tuple, a
     * generator's frame): watch what it reaches. */
    EventState *es = vm->events;
    if (!es->watching) return;
    /* Being deallocated (see the spec): re-diffed at each step end until it is freed.
     * Only the watch set needs this; the full count scan finds a count of 0 itself,
     * at no cost, where a push per deallocated object cost traced sum_squares 18%. */
    if (o->flags & OF_EVENTS_SEEN) {
        touch(es, o);
        idvec_push(&es->volatile_ids, o->id);
    }
    if (TYPE(o)->traverse) TYPE(o)->traverse(vm, o, touch_visit, NULL);
}

void ev_mutate(Vm *vm, Object *o) {
    if (!(o->flags & OF_EVENTS_SEEN) || !vm->events) return;
    mark_dirty(vm->events, o);
}

void ev_output(Vm *vm, int stream, const char *text, size_t len) {
    if (!active(vm)) return;
    EventState *es = vm->events;
    if (SNAPSHOTS(vm)) json_raw(stream == 2 ? &es->out2 : &es->out1, text, len);
    begin_record(es, EV_OUT);
    json_key(&es->rec, "stream");
    ev_int(&es->rec, stream == 2 ? 2 : 1);
    json_key(&es->rec, "text");
    json_string(&es->rec, text, len);
    emit(vm, EV_OUT);
}

/* ---- hooks: exceptions ---- */

static void write_tb_entry(JsonBuf *j, TracebackObject *tb) {
    json_begin_array(j);
    if (tb->filename && STR_CHECK(tb->filename)) json_cstr(j, str_cstr(tb->filename));
    else json_cstr(j, "");
    ev_int(j, tb->lineno);
    if (tb->name && STR_CHECK(tb->name)) json_cstr(j, str_cstr(tb->name));
    else json_cstr(j, "");
    json_end_array(j);
}

/* How many entries of [exc]'s traceback lie in front of the one the last exc record
 * ended with (tb_head, tb_len entries from there on), or -1 when that traceback is not
 * a tail of this one (another exception, or a traceback replaced). Object ids are never
 * reused, so an id names one entry. */
static long tb_added(EventState *es, Object *exc) {
    if (es->tb_exc != exc->id || !es->tb_len) return -1;
    long k = 0;
    Object *t = ((ExceptionObject *)exc)->traceback;
    for (; t && t->id != es->tb_head; t = ((TracebackObject *)t)->next) k++;
    if (!t) return -1;
    size_t rest = 0;
    for (; t; t = ((TracebackObject *)t)->next) rest++;
    return rest == es->tb_len ? k : -1;
}

/* [incremental]: the stream's record (tb_outer when possible); else the snapshot copy. */
static void write_exc_fields(Vm *vm, JsonBuf *j, const char *what, Frame *frame, Object *exc,
                             bool incremental) {
    EventState *es = vm->events;
    ExceptionObject *e = (ExceptionObject *)exc;
    json_key(j, "what");
    json_cstr(j, what);
    json_key(j, "frame");
    uint32_t fid = frame_id_of(es, frame);
    if (fid) ev_uint(j, fid); else json_null(j);
    json_key(j, "ref");
    ev_uint(j, exc->id);
    json_key(j, "type");
    json_cstr(j, TYPE(exc)->name ? TYPE(exc)->name : "?");
    json_key(j, "msg");
    Object *args = e->args;
    if (args && TYPE(args) == &TupleType && TUPLE_SIZE(args) == 1 && STR_CHECK(TUPLE_ITEM(args, 0)))
        json_string(j, str_cstr(TUPLE_ITEM(args, 0)), str_byte_len(TUPLE_ITEM(args, 0)));
    else if (e->msg && STR_CHECK(e->msg))
        json_string(j, str_cstr(e->msg), str_byte_len(e->msg));
    else
        json_cstr(j, "");
    long added = incremental ? tb_added(es, exc) : -1;
    json_key(j, added >= 0 ? "tb_outer" : "tb");
    json_begin_array(j);
    size_t n = 0;
    for (Object *t = e->traceback; t; t = ((TracebackObject *)t)->next, n++)
        if (added < 0 || (long)n < added) write_tb_entry(j, (TracebackObject *)t);
    json_end_array(j);
    if (incremental) {
        es->tb_exc = exc->id;
        es->tb_head = e->traceback ? e->traceback->id : 0;
        es->tb_len = n;
    }
}

static void emit_exc(Vm *vm, const char *what, Frame *frame, Object *exc) {
    EventState *es = vm->events;
    announce(vm, exc);
    touch(es, exc);
    begin_record(es, EV_EXC);
    write_exc_fields(vm, &es->rec, what, frame, exc, true);
    emit(vm, EV_EXC);
    if (SNAPSHOTS(vm)) { /* the snapshots' copy of the current exception */
        json_reset(&es->exc);
        json_begin_object(&es->exc);
        write_exc_fields(vm, &es->exc, what, frame, exc, false);
        json_end_object(&es->exc);
        es->exc_caught = strcmp(what, "caught") == 0;
    }
}

void ev_raise(Vm *vm, Frame *frame, Object *exc) {
    if (!active(vm) || !exc) return;
    EventState *es = vm->events;
    es->busy = true;
    int line = frame ? frame_line(frame) : 0;
    if (open_step(vm, "exception", frame, line)) emit_exc(vm, "raised", frame, exc);
    es->busy = false;
}

void ev_catch(Vm *vm, Frame *frame, Object *exc) {
    if (!active(vm) || !exc) return;
    vm->events->busy = true;
    emit_exc(vm, "caught", frame, exc);
    vm->events->busy = false;
}

void ev_uncaught(Vm *vm, Object *exc) {
    if (!active(vm) || !exc) return;
    vm->events->busy = true;
    emit_exc(vm, "uncaught", NULL, exc);
    vm->events->busy = false;
}

static void gc_survivor(Vm *vm, Object *o, void *arg) {
    EventState *es = arg;
    if (!(o->flags & OF_EVENTS_SEEN)) return;
    touch(es, o);
    mark_dirty(es, o);
}

void ev_gc_moved(Vm *vm, Object *o) {
    if ((o->flags & OF_EVENTS_SEEN) && active(vm)) touch(vm->events, o);
}

void ev_gc(Vm *vm, int generation, size_t examined, size_t unreachable, size_t finalizers,
           size_t freed) {
    if (!active(vm)) return;
    EventState *es = vm->events;
    JsonBuf *j = &es->rec;
    begin_record(es, EV_GC);
    json_key(j, "generation");
    ev_int(j, generation);
    json_key(j, "examined");
    ev_uint(j, examined);
    json_key(j, "unreachable");
    ev_uint(j, unreachable);
    json_key(j, "finalizers");
    ev_uint(j, finalizers);
    json_key(j, "freed");
    ev_uint(j, freed);
    emit(vm, EV_GC);
    /* The survivors it promoted were put in the watch set (ev_gc_moved). When
     * finalizers ran, the collector may also have cleared (tp_clear) objects it then
     * could not free (a resurrecting __del__): re-read and diff the announced objects
     * of the generation the survivors went to. */
    if (finalizers) gc_each_tracked(vm, generation < 2 ? generation + 1 : -1, gc_survivor, es);
}

void ev_input(Vm *vm, Object *prompt) {
    if (!active(vm)) return;
    EventState *es = vm->events;
    begin_record(es, EV_INPUT);
    json_key(&es->rec, "prompt");
    if (prompt && STR_CHECK(prompt)) json_string(&es->rec, str_cstr(prompt), str_byte_len(prompt));
    else json_cstr(&es->rec, "");
    emit(vm, EV_INPUT);
}

void ev_suspend(Vm *vm) {
    EventState *es = vm->events;
    if (!es || !es->began || es->ended) return;
    JsonBuf *j = &es->rec;
    begin_record(es, EV_END);
    json_key(j, "status");
    ev_int(j, 4);
    json_key(j, "exit");
    json_cstr(j, "input");
    json_key(j, "steps");
    ev_uint(j, es->nsteps);
    json_key(j, "truncated");
    json_bool(j, false);
    json_key(j, "suspended");
    json_bool(j, true);
    emit(vm, EV_END);
    flush_records(vm);
}

bool ev_trace_exhausted(Vm *vm) { return vm->events && vm->events->trace_exhausted; }

/* ---- run boundaries ---- */

void ev_begin(Vm *vm, const char *source, const char *filename) {
    EventState *es = vm->events;
    if (!es || es->began) return;
    es->began = true;
    JsonBuf *j = &es->rec;
    es->rec_start = j->len;
    j->comma = false;
    json_begin_object(j);
    json_key(j, "v");
    ev_int(j, 3); /* the stream format's version (docs/event-stream.md) */
    json_key(j, "kind");
    json_cstr(j, "header");
    json_key(j, "source");
    json_cstr(j, source ? source : "");
    json_key(j, "filename");
    json_cstr(j, filename ? filename : "");
    json_key(j, "options");
    json_begin_object(j);
    json_key(j, "max_steps");
    ev_uint(j, vm->config.max_steps);
    json_key(j, "recursion_limit");
    ev_int(j, vm->config.recursion_limit);
    json_key(j, "max_trace_steps");
    ev_uint(j, vm->config.max_trace_steps);
    json_key(j, "snapshots");
    json_bool(j, vm->config.snapshots != 0);
    json_key(j, "stdin");
    json_begin_array(j);
    for (const char *const *l = vm->config.stdin_lines; l && *l; l++) json_cstr(j, *l);
    json_end_array(j);
    json_end_object(j);
    emit(vm, EV_HEADER);
}

static const char *exit_name(int status) {
    switch (status) {
    case 0: return "ok";
    case 1: return "exception";
    case 2: return "syntax";
    case 3: return "budget";
    default: return "input";
    }
}

void ev_end(Vm *vm, int status) {
    EventState *es = vm->events;
    if (!es || !es->began || es->ended) return;
    es->busy = false;
    bool truncated = es->trace_exhausted || status == 3;
    es->trace_exhausted = false; /* let the last records through */
    if (es->nsteps == 0) {
        begin_record(es, EV_STEP);
        json_key(&es->rec, "at");
        json_cstr(&es->rec, "end");
        json_key(&es->rec, "frame");
        json_null(&es->rec);
        json_key(&es->rec, "line");
        ev_int(&es->rec, 0);
        emit(vm, EV_STEP);
        es->nsteps = 1;
        es->in_step = true;
        es->step_frame = NULL;
    }
    es->watching = false; /* the last step re-reads every count: the module's teardown
                           * drops references the watch set cannot see */
    end_step(vm);
    JsonBuf *j = &es->rec;
    if (truncated) {
        begin_record(es, EV_BUDGET);
        json_key(j, "what");
        json_cstr(j, status == 3 && !vm->config.max_trace_steps ? "steps" :
                     (vm->config.max_trace_steps && es->nsteps >= vm->config.max_trace_steps) ? "trace" : "steps");
        json_key(j, "limit");
        ev_uint(j, (vm->config.max_trace_steps && es->nsteps >= vm->config.max_trace_steps)
                         ? vm->config.max_trace_steps : vm->config.max_steps);
        emit(vm, EV_BUDGET);
    }
    begin_record(es, EV_END);
    json_key(j, "status");
    ev_int(j, status);
    json_key(j, "exit");
    json_cstr(j, exit_name(truncated ? 3 : status));
    json_key(j, "steps");
    ev_uint(j, es->nsteps);
    json_key(j, "truncated");
    json_bool(j, truncated);
    emit(vm, EV_END);
    flush_records(vm);
    es->ended = true;
}

int events_init(Vm *vm) {
    EventState *es = calloc(1, sizeof *es);
    if (!es) return -1;
    json_init(&es->rec);
    json_init(&es->out1);
    json_init(&es->out2);
    json_init(&es->exc);
    json_init(&es->genbuf);
    es->mask = ~0u;
    if (!vm->config.snapshots) es->mask &= ~(1u << EV_SNAPSHOT);
    es->full_scan_limit = FULL_SCAN_LIMIT;
    es->last_step_frame = NO_REF;
    static uint32_t epochs;
    es->epoch = ++epochs;
    const char *limit = getenv("PYFRAMES_EV_FULLSCAN");
    if (limit) es->full_scan_limit = (size_t)strtoul(limit, NULL, 10);
    vm->events = es;
    return 0;
}

void events_fini(Vm *vm) {
    EventState *es = vm->events;
    if (!es) return;
    for (size_t i = 0; i < es->tcap; i++) {
        Seen *s = es->table[i];
        if (!s) continue;
        s->o->flags &= ~OF_EVENTS_SEEN;
        idvec_free(&s->shadow);
        free(s);
    }
    while (es->spare) {
        Seen *s = es->spare;
        es->spare = (Seen *)s->o;
        idvec_free(&s->shadow);
        free(s);
    }
    free(es->table);
    free(es->dense);
    for (size_t i = 0; i < es->capframes; i++) idvec_free(&es->frames[i].shadow);
    free(es->frames);
    idvec_free(&es->dirty);
    idvec_free(&es->watch);
    idvec_free(&es->carry);
    idvec_free(&es->volatile_ids);
    json_free(&es->rec);
    json_free(&es->out1);
    json_free(&es->out2);
    json_free(&es->exc);
    json_free(&es->genbuf);
    free(es->mortal);
    free(es->changed);
    idvec_free(&es->scratch);
    free(es->objs);
    free(es->refs);
    free(es->work);
    free(es);
    vm->events = NULL;
}
