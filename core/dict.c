/* dict.c — the dict type as CPython 3.11's compact dict: an index table probed with
 * perturbation pointing into an insertion-ordered entry array, with the same sizes
 * and growth (so sys.getsizeof matches), lazy GC tracking (MAINTAIN_TRACKING), the
 * dict methods, the keys/values/items views and the dict iterators.
 */
#include "dict.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "class.h"
#include "events.h"
#include "int.h"
#include "list.h"
#include "set.h"
#include "str.h"
#include "tuple.h"
#include "vm.h"

#define DICT(o) ((DictObject *)(o))
#define DICT_CHECK(o) (TYPE(o) == &DictType || type_is_subtype(TYPE(o), &DictType))
#define DKIX_EMPTY (-1)
#define DKIX_DUMMY (-2)
#define DKIX_ERROR (-3)
#define LOG_MINSIZE 3
/* A dict's first table is smaller than CPython's 8 slots: room for 2 entries and no
 * index at all (lookup_mini scans them; most instance dicts hold one or two
 * attributes). It grows into an 8-slot table with the same entry positions
 * (grow_mini), so from then on the table is exactly what CPython's would be; while
 * mini, getsizeof reports CPython's 8-slot sizes. */
#define LOG_MINI 2
#define PERTURB_SHIFT 5
#define USABLE_FRACTION(n) (((n) << 1) / 3)

static size_t dk_size(DictObject *d) { return d->log2_size ? (size_t)1 << d->log2_size : 0; }

/* Smallest log2 size whose table holds [minsize] slots (at least 8). */
static uint8_t log2_keysize(size_t minsize)
{
    uint8_t log2 = LOG_MINSIZE;
    while (((size_t)1 << log2) < minsize) log2++;
    return log2;
}

/* Size for [n] items inserted at once (CPython's estimate_log2_keysize). */
static uint8_t estimate_log2_keysize(size_t n) { return log2_keysize((n * 3 + 1) / 2); }

/* True if [o] might ever be part of a cycle (_PyObject_GC_MAY_BE_TRACKED). */
static bool may_be_tracked(Object *o)
{
    if (!(TYPE(o)->tflags & TP_GC)) return false;
    if (TYPE(o) == &TupleType) return (o->flags & OF_TRACKED) != 0;
    return true;
}

/* Starts tracking [d] once it holds something that may be tracked (lazy tracking). */
static void maintain_tracking(Vm *vm, DictObject *d, Object *key, Object *value)
{
    /* an inline attribute dict is traversed by its instance (gc_instance_dict) */
    if (d->ob.flags & (OF_TRACKED | OF_INLINE_DICT)) return;
    if (may_be_tracked(key) || may_be_tracked(value)) gc_track(vm, (Object *)d);
}

/* ---- tables ---- */

/* Bytes of the index part of a table of 2**[log2] slots (int8/int16/int32 slots). */
static size_t index_bytes(uint8_t log2)
{
    size_t size = (size_t)1 << log2;
    return log2 < LOG_MINSIZE ? 0 : log2 < 8 ? size : log2 < 16 ? size * 2 : size * 4;
}


/* Entry [i] of [d] (only key and value exist in a unicode table). */
static inline DictEntry *ent(const DictObject *d, size_t i)
{
    return (DictEntry *)((char *)d->entries + i * dict_entry_size(d->unicode));
}

/* The hash of str [k], cached in the str (every key of a table was hashed once). */
static inline Hash str_key_hash(Object *k)
{
    Hash h = ((StrObject *)k)->hash;
    return h != -1 ? h : str_hash(k);
}

/* The hash of the key of entry [e] of [d]. */
static inline Hash ent_hash(const DictObject *d, const DictEntry *e)
{
    return d->unicode ? str_key_hash(e->key) : e->hash;
}

static inline void ent_store(DictObject *d, size_t i, Object *key, Object *value, Hash hash)
{
    DictEntry *e = ent(d, i);
    e->key = key;
    e->value = value;
    if (!d->unicode) e->hash = hash;
}

/* The index slots of [d]'s table, just before its entries. */
static void *dk_indices(DictObject *d) { return (char *)d->entries - index_bytes(d->log2_size); }

static inline intptr_t ix_get(DictObject *d, size_t i)
{
    void *idx = dk_indices(d);
    if (d->log2_size < 8) return ((int8_t *)idx)[i];
    if (d->log2_size < 16) return ((int16_t *)idx)[i];
    return ((int32_t *)idx)[i];
}

static inline void ix_set(DictObject *d, size_t i, intptr_t ix)
{
    void *idx = dk_indices(d);
    if (d->log2_size < 8) ((int8_t *)idx)[i] = (int8_t)ix;
    else if (d->log2_size < 16) ((int16_t *)idx)[i] = (int16_t)ix;
    else ((int32_t *)idx)[i] = (int32_t)ix;
}

static size_t table_bytes(uint8_t log2, bool unicode)
{
    return index_bytes(log2) + USABLE_FRACTION((size_t)1 << log2) * dict_entry_size(unicode);
}

/* Whether [entries] is the mini table embedded in [d]'s own block (dict_new_embedded).
 * A table allocated on its own never starts right after a DictObject: objects and raw
 * buffers come from different pools (and malloc puts a header between blocks). */
static inline bool table_embedded(const DictObject *d, const void *entries)
{
    return entries == (const void *)(d + 1);
}

/* Frees [d]'s table [entries] of 2**[log2] slots (the current one or one replaced). */
static void free_tables(Vm *vm, const DictObject *d, void *entries, uint8_t log2)
{
    if (!log2 || table_embedded(d, entries)) return;
    mem_free(vm, (char *)entries - index_bytes(log2), 0);
}

/* Releases the keys and values of the table described by [t] ([d]'s fields, or a
 * copy of them), in entry order, then the table itself. */
static void release_table(Vm *vm, const DictObject *d, const DictObject *t)
{
    size_t es = dict_entry_size(t->unicode);
    char *p = t->entries;
    for (size_t n = t->nentries; n; n--, p += es) {
        XDECREF(vm, ((DictEntry *)p)->key);
        XDECREF(vm, ((DictEntry *)p)->value);
    }
    free_tables(vm, d, t->entries, t->log2_size);
}

/* Allocates an empty table of 2**[log2] slots with [unicode] entries into [d] (the
 * old one must be saved). */
static int new_tables(Vm *vm, DictObject *d, uint8_t log2, bool unicode)
{
    if (log2 > 25) { /* DictObject.usable has 26 bits */
        err_no_memory(vm);
        return -1;
    }
    size_t size = (size_t)1 << log2;
    char *table = mem_alloc(vm, table_bytes(log2, unicode));
    if (!table) return -1;
    memset(table, 0xff, index_bytes(log2));
    d->entries = table + index_bytes(log2);
    d->unicode = unicode;
    d->log2_size = log2;
    d->usable = (uint32_t)USABLE_FRACTION(size);
    d->nentries = 0;
    return 0;
}

/* Returns the first slot that holds no live entry for [hash] (find_empty_slot). */
static size_t find_empty_slot(DictObject *d, Hash hash)
{
    size_t mask = dk_size(d) - 1, i = (size_t)hash & mask;
    uint64_t perturb = (uint64_t)hash;
    while (ix_get(d, i) >= 0) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    return i;
}

/* Rebuilds [d] with 2**[log2] slots, compacting the live entries in order. */
static int dict_resize(Vm *vm, DictObject *d, uint8_t log2, bool unicode)
{
    if (d->log2_size && !d->unicode) unicode = false; /* non-str keys stay */
    DictObject old = *d;
    if (new_tables(vm, d, log2, unicode) < 0) {
        d->entries = old.entries;
        d->log2_size = old.log2_size;
        d->unicode = old.unicode;
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < old.nentries; i++) {
        DictEntry *e = ent(&old, i);
        if (!e->key) continue;
        Hash hash = ent_hash(&old, e);
        ent_store(d, k, e->key, e->value, hash);
        ix_set(d, find_empty_slot(d, hash), (intptr_t)k);
        k++;
    }
    d->nentries = (uint32_t)k;
    d->usable -= (uint32_t)k;
    d->version++;
    free_tables(vm, d, old.entries, old.log2_size);
    return 0;
}

/* Replaces [d]'s mini table by an 8-slot one keeping every entry (deleted ones too)
 * at its position, so nentries and usable are what CPython's 8-slot table has. */
static int grow_mini(Vm *vm, DictObject *d)
{
    DictObject old = *d;
    if (new_tables(vm, d, LOG_MINSIZE, old.unicode) < 0) {
        d->entries = old.entries;
        d->log2_size = old.log2_size;
        return -1;
    }
    memcpy(d->entries, old.entries, old.nentries * dict_entry_size(old.unicode));
    for (size_t i = 0; i < old.nentries; i++) {
        DictEntry *e = ent(&old, i);
        if (e->key) ix_set(d, find_empty_slot(d, ent_hash(&old, e)), (intptr_t)i);
    }
    d->nentries = old.nentries;
    /* Slots CPython's table has used up: every insertion, even of an entry popitem()
     * took back since. */
    d->usable -= (uint32_t)(USABLE_FRACTION((size_t)1 << LOG_MINI) - old.usable);
    free_tables(vm, d, old.entries, old.log2_size);
    return 0;
}

/* Grows the table before an insertion (insertion_resize: GROWTH_RATE = used * 3). */
static int insertion_resize(Vm *vm, DictObject *d, bool unicode)
{
    return dict_resize(vm, d, log2_keysize(d->used * 3), unicode);
}

/* One probe loop of lookup_unicode over index slots of type [T]. */
#define UNICODE_PROBE(T)                                                               \
    for (;;) {                                                                         \
        intptr_t ix = ((const T *)idx)[i];                                             \
        if (ix == DKIX_EMPTY) return DKIX_EMPTY;                                       \
        if (ix >= 0) {                                                                 \
            DictEntry *e = ent(d, (size_t)ix);                                         \
            if (e->key == key) {                                                       \
                *slot = i;                                                             \
                return ix;                                                             \
            }                                                                          \
            if (str_key_hash(e->key) == hash) return lookup_unicode_slow(d, key, hash, slot); \
        }                                                                              \
        perturb >>= PERTURB_SHIFT;                                                     \
        i = (i * 5 + perturb + 1) & mask;                                              \
    }

/* lookup_unicode once an entry with [key]'s hash but another str object turned up:
 * probes again from the start comparing contents (no Python code can run). */
static __attribute__((noinline)) intptr_t lookup_unicode_slow(DictObject *d, Object *key,
                                                              Hash hash, size_t *slot)
{
    size_t mask = ((size_t)1 << d->log2_size) - 1, i = (size_t)hash & mask;
    uint64_t perturb = (uint64_t)hash;
    for (;;) {
        intptr_t ix = ix_get(d, i);
        if (ix == DKIX_EMPTY) return DKIX_EMPTY;
        if (ix >= 0) {
            DictEntry *e = ent(d, (size_t)ix);
            if (e->key == key || (str_key_hash(e->key) == hash && str_equal(e->key, key))) {
                *slot = i;
                return ix;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* dict_lookup for an exact str [key] in a table whose keys are all exact str
 * (CPython's unicodekeys_lookup_unicode): comparisons cannot run Python code, and the
 * common case (the same interned str object) needs no call at all. */
static inline intptr_t lookup_unicode(DictObject *d, Object *key, Hash hash, size_t *slot)
{
    uint8_t log2 = d->log2_size;
    size_t mask = ((size_t)1 << log2) - 1, i = (size_t)hash & mask;
    const char *idx = (const char *)d->entries - index_bytes(log2);
    uint64_t perturb = (uint64_t)hash;
    if (log2 < 8) UNICODE_PROBE(int8_t)
    if (log2 < 16) UNICODE_PROBE(int16_t)
    UNICODE_PROBE(int32_t)
}

/* Finds [key]: returns its entry index, DKIX_EMPTY, or DKIX_ERROR; *[slot] receives
 * the index-table slot of a found key. */
static intptr_t lookup_generic(Vm *vm, DictObject *d, Object *key, Hash hash, size_t *slot);

/* dict_lookup in a mini table: a scan of its (at most 2) entries, comparing as
 * lookup_generic does. [slot] receives the entry index (there is no index table). */
static intptr_t lookup_mini(Vm *vm, DictObject *d, Object *key, Hash hash, size_t *slot)
{
restart:
    for (size_t i = 0; i < d->nentries; i++) {
        DictEntry *e = ent(d, i);
        if (e->key == key) {
            *slot = i;
            return (intptr_t)i;
        }
        if (!e->key || ent_hash(d, e) != hash) continue;
        Object *startkey = e->key;
        int cmp;
        if (TYPE(key) == &StrType && TYPE(startkey) == &StrType) {
            cmp = str_equal(startkey, key);
        } else {
            void *entries = d->entries;
            INCREF(startkey);
            cmp = obj_richcompare_bool(vm, startkey, key, CMP_EQ);
            DECREF(vm, startkey);
            if (cmp < 0) return DKIX_ERROR;
            if (d->log2_size != LOG_MINI) return lookup_generic(vm, d, key, hash, slot);
            if (entries != d->entries || i >= d->nentries || ent(d, i)->key != startkey)
                goto restart;
        }
        if (cmp > 0) {
            *slot = i;
            return (intptr_t)i;
        }
    }
    return DKIX_EMPTY;
}

static __attribute__((noinline)) intptr_t lookup_generic(Vm *vm, DictObject *d, Object *key,
                                                         Hash hash, size_t *slot)
{
restart:
    if (!d->log2_size) return DKIX_EMPTY;
    if (d->log2_size == LOG_MINI) return lookup_mini(vm, d, key, hash, slot);
    uint8_t log2 = d->log2_size;
    size_t mask = ((size_t)1 << log2) - 1, i = (size_t)hash & mask;
    const char *idx = (const char *)d->entries - index_bytes(log2);
    int width = log2 < 8 ? 1 : log2 < 16 ? 2 : 4;
    uint64_t perturb = (uint64_t)hash;
    bool str_key = TYPE(key) == &StrType;
    for (;;) {
        intptr_t ix = width == 1 ? ((const int8_t *)idx)[i]
                    : width == 2 ? ((const int16_t *)idx)[i] : ((const int32_t *)idx)[i];
        if (ix == DKIX_EMPTY) return DKIX_EMPTY;
        if (ix >= 0) {
            DictEntry *e = ent(d, (size_t)ix);
            if (e->key == key) {
                *slot = i;
                return ix;
            }
            if (ent_hash(d, e) == hash) {
                Object *startkey = e->key;
                if (str_key && TYPE(startkey) == &StrType) {
                    if (str_equal(startkey, key)) {
                        *slot = i;
                        return ix;
                    }
                } else {
                    void *entries = d->entries;
                    INCREF(startkey);
                    int cmp = obj_richcompare_bool(vm, startkey, key, CMP_EQ);
                    DECREF(vm, startkey);
                    if (cmp < 0) return DKIX_ERROR;
                    if (entries != d->entries || ent(d, (size_t)ix)->key != startkey) goto restart;
                    if (cmp > 0) {
                        *slot = i;
                        return ix;
                    }
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

static inline intptr_t dict_lookup(Vm *vm, DictObject *d, Object *key, Hash hash, size_t *slot)
{
    if (!d->log2_size) return DKIX_EMPTY;
    if (d->log2_size == LOG_MINI) return lookup_mini(vm, d, key, hash, slot);
    if (d->unicode && TYPE(key) == &StrType) return lookup_unicode(d, key, hash, slot);
    return lookup_generic(vm, d, key, hash, slot);
}

/* Returns the hash of [key], using the cached str hash directly. */
static Hash key_hash(Vm *vm, Object *key)
{
    if (TYPE(key) == &StrType) return str_key_hash(key);
    return obj_hash(vm, key);
}

/* Stores key/value with a known hash (insertdict); references are not stolen. */
static int dict_insert(Vm *vm, DictObject *d, Object *key, Hash hash, Object *value)
{
    if (d->ob.flags & OF_TYPE_DICT) type_cache_invalidate();
    bool str_key = TYPE(key) == &StrType;
    if (!d->log2_size) {
        if (new_tables(vm, d, LOG_MINI, str_key) < 0) return -1;
    } else if (d->unicode && !str_key) {
        /* A str-keys-only table cannot hold this key: a general one replaces it, of
         * the same shape while it is empty, else grown as CPython's insertion_resize. */
        if (d->nentries == 0) {
            uint32_t usable = d->usable;
            if (dict_resize(vm, d, d->log2_size, false) < 0) return -1;
            d->usable = usable;
        } else if (insertion_resize(vm, d, false) < 0) {
            return -1;
        }
    }
    INCREF(key);
    INCREF(value);
    size_t slot;
    intptr_t ix = dict_lookup(vm, d, key, hash, &slot);
    if (ix == DKIX_ERROR) {
        DECREF(vm, key);
        DECREF(vm, value);
        return -1;
    }
    if (ix == DKIX_EMPTY) {
        if (d->usable == 0 && (d->log2_size == LOG_MINI ? grow_mini(vm, d)
                                                        : insertion_resize(vm, d, d->unicode)) < 0) {
            DECREF(vm, key);
            DECREF(vm, value);
            return -1;
        }
        /* A __eq__ run by the lookup may have emptied or rebuilt the table. */
        int rc = 0;
        if (!d->log2_size) rc = new_tables(vm, d, LOG_MINI, str_key);
        else if (d->unicode && !str_key) rc = insertion_resize(vm, d, false);
        if (rc < 0) {
            DECREF(vm, key);
            DECREF(vm, value);
            return -1;
        }
        size_t n = d->nentries;
        if (d->log2_size != LOG_MINI) ix_set(d, find_empty_slot(d, hash), (intptr_t)n);
        ent_store(d, n, key, value, hash);
        d->used++;
        d->usable--;
        d->nentries++;
        d->version++;
        EV(vm, mutate, (Object *)d);
        maintain_tracking(vm, d, key, value);
        return 0;
    }
    Object *old = ent(d, (size_t)ix)->value;
    ent(d, (size_t)ix)->value = value;
    d->version++;
    EV(vm, mutate, (Object *)d);
    maintain_tracking(vm, d, key, value);
    DECREF(vm, old);
    DECREF(vm, key);
    return 0;
}

/* ---- the C API ---- */

static Object *dict_alloc(Vm *vm, Type *type)
{
    Object *d = obj_alloc(vm, type, type->basicsize);
    if (d && type != &DictType) gc_track(vm, d);
    return d;
}

Object *dict_new(Vm *vm) { return dict_alloc(vm, &DictType); }

Object *dict_new_embedded(Vm *vm)
{
    size_t mini = table_bytes(LOG_MINI, true); /* no index: just the entries */
    DictObject *d = (DictObject *)obj_alloc(vm, &DictType, sizeof(DictObject) + mini);
    if (!d) return NULL;
    d->entries = d + 1;
    d->unicode = true;
    d->log2_size = LOG_MINI;
    d->usable = (uint32_t)USABLE_FRACTION((size_t)1 << LOG_MINI);
    return (Object *)d;
}

Object *dict_new_presized(Vm *vm, size_t n)
{
    Object *d = dict_new(vm);
    if (!d || n <= USABLE_FRACTION((size_t)1 << LOG_MINSIZE)) return d;
    if (new_tables(vm, DICT(d), estimate_log2_keysize(n), true) < 0) {
        DECREF(vm, d);
        return NULL;
    }
    return d;
}

Object *dict_get_hash(Vm *vm, Object *d, Object *key, Hash hash)
{
    size_t slot;
    intptr_t ix = dict_lookup(vm, DICT(d), key, hash, &slot);
    return ix >= 0 ? ent(DICT(d), (size_t)ix)->value : NULL;
}

Object *dict_get(Vm *vm, Object *d, Object *key)
{
    Hash hash = key_hash(vm, key);
    if (hash == -1) return NULL;
    return dict_get_hash(vm, d, key, hash);
}

Object *dict_get_hint(Vm *vm, Object *d, Object *key, uint32_t *hint)
{
    DictEntry *e = dict_hinted_entry(DICT(d), key, *hint);
    if (e) return e->value;
    Hash hash = key_hash(vm, key);
    if (hash == -1) return NULL;
    size_t slot;
    intptr_t ix = dict_lookup(vm, DICT(d), key, hash, &slot);
    if (ix < 0) return NULL;
    *hint = (uint32_t)ix;
    return ent(DICT(d), (size_t)ix)->value;
}

int dict_set_hint(Vm *vm, Object *d, Object *key, Object *value, uint32_t *hint)
{
    DictObject *dd = DICT(d);
    DictEntry *e = dict_hinted_entry(dd, key, *hint);
    if (!e || (dd->ob.flags & OF_TYPE_DICT)) {
        if (dict_set(vm, d, key, value) < 0) return -1;
        /* A new key is the last entry. */
        if (dd->nentries && ent(dd, dd->nentries - 1)->key == key) *hint = dd->nentries - 1;
        else dict_get_hint(vm, d, key, hint);
        return 0;
    }
    /* dict_insert's replacement of an existing key's value, references in the same
     * order (the old value's __del__ may look). */
    Object *old = e->value;
    INCREF(key);
    INCREF(value);
    e->value = value;
    dd->version++;
    EV(vm, mutate, d);
    maintain_tracking(vm, dd, key, value);
    DECREF(vm, old);
    DECREF(vm, key);
    return 0;
}

Object *dict_get_str(Vm *vm, Object *d, const char *key)
{
    Object *k = str_intern_cstr(vm, key);
    if (!k) {
        err_clear(vm);
        return NULL;
    }
    Object *v = dict_get_hash(vm, d, k, str_hash(k));
    DECREF(vm, k);
    return v;
}

int dict_set(Vm *vm, Object *d, Object *key, Object *value)
{
    Hash hash = key_hash(vm, key);
    if (hash == -1) return -1;
    return dict_insert(vm, DICT(d), key, hash, value);
}

int dict_set_str(Vm *vm, Object *d, const char *key, Object *value)
{
    Object *k = str_intern_cstr(vm, key);
    if (!k) return -1;
    int rc = dict_insert(vm, DICT(d), k, str_hash(k), value);
    DECREF(vm, k);
    return rc;
}

/* Removes the entry at [ix] whose index slot is [slot]; returns the old value (new
 * reference, the key is released). */
static Object *dict_remove_entry(Vm *vm, DictObject *d, intptr_t ix, size_t slot)
{
    if (d->ob.flags & OF_TYPE_DICT) type_cache_invalidate();
    DictEntry *e = ent(d, (size_t)ix);
    Object *key = e->key, *value = e->value;
    if (d->log2_size != LOG_MINI) ix_set(d, slot, DKIX_DUMMY);
    e->key = NULL;
    e->value = NULL;
    d->used--;
    d->version++;
    EV(vm, mutate, (Object *)d);
    DECREF(vm, key);
    return value;
}

/* Pops [key]: returns its value (new reference), or NULL (vm->exc set on error only). */
static Object *dict_pop_item(Vm *vm, DictObject *d, Object *key)
{
    Hash hash = key_hash(vm, key);
    if (hash == -1) return NULL;
    size_t slot;
    intptr_t ix = dict_lookup(vm, d, key, hash, &slot);
    if (ix < 0) return NULL;
    return dict_remove_entry(vm, d, ix, slot);
}

int dict_discard(Vm *vm, Object *d, Object *key)
{
    Object *v = dict_pop_item(vm, DICT(d), key);
    if (!v) return vm->exc ? -1 : 0;
    DECREF(vm, v);
    return 1;
}

int dict_del(Vm *vm, Object *d, Object *key)
{
    int rc = dict_discard(vm, d, key);
    if (rc == 0) {
        err_set(vm, &KeyErrorType, key);
        return -1;
    }
    return rc < 0 ? -1 : 0;
}

int dict_contains(Vm *vm, Object *d, Object *key)
{
    Hash hash = key_hash(vm, key);
    if (hash == -1) return -1;
    size_t slot;
    intptr_t ix = dict_lookup(vm, DICT(d), key, hash, &slot);
    if (ix == DKIX_ERROR) return -1;
    return ix >= 0;
}

size_t dict_size(Object *d) { return DICT(d)->used; }

bool dict_entry_at(Object *d, size_t i, Object **key, Hash *hash)
{
    DictObject *dd = DICT(d);
    DictEntry *e = ent(dd, i);
    if (!e->key) return false;
    *key = e->key;
    *hash = ent_hash(dd, e);
    return true;
}

bool dict_next(Object *d, size_t *pos, Object **key, Object **value)
{
    DictObject *dd = DICT(d);
    size_t i = *pos;
    while (i < dd->nentries && ent(dd, i)->key == NULL) i++;
    if (i >= dd->nentries) {
        *pos = i;
        return false;
    }
    if (key) *key = ent(dd, i)->key;
    if (value) *value = ent(dd, i)->value;
    *pos = i + 1;
    return true;
}

void dict_clear(Vm *vm, Object *d)
{
    DictObject *dd = DICT(d);
    if (!dd->log2_size) return;
    if (dd->ob.flags & OF_TYPE_DICT) type_cache_invalidate();
    DictObject old = *dd;
    dd->entries = NULL;
    dd->log2_size = 0;
    dd->used = dd->nentries = dd->usable = 0;
    dd->unicode = false;
    dd->version++;
    EV(vm, mutate, d);
    release_table(vm, dd, &old);
}

/* Makes [d] (empty, no table) an exact copy of [src]'s table, holes included
 * (clone_combined_dict_keys). */
static int dict_clone_into(Vm *vm, DictObject *d, DictObject *src)
{
    if (!src->log2_size) return 0;
    if (new_tables(vm, d, src->log2_size, src->unicode) < 0) return -1;
    memcpy(dk_indices(d), dk_indices(src), index_bytes(src->log2_size));
    memcpy(d->entries, src->entries, src->nentries * dict_entry_size(src->unicode));
    for (size_t i = 0; i < src->nentries; i++) {
        XINCREF(ent(d, i)->key);
        XINCREF(ent(d, i)->value);
    }
    d->nentries = src->nentries;
    d->usable = src->usable;
    d->used = src->used;
    d->version++;
    if (src->ob.flags & OF_TRACKED) gc_track(vm, (Object *)d);
    EV(vm, mutate, (Object *)d);
    return 0;
}

/* dict_merge for a dict source: clone when the target is empty and the source clean,
 * otherwise one resize up front, then insertions. */
static int dict_merge_dict(Vm *vm, DictObject *d, DictObject *other, bool override)
{
    if (other == d || other->used == 0) return 0;
    if (d->used == 0 && !d->log2_size && other->used == other->nentries &&
        (other->log2_size <= LOG_MINSIZE || USABLE_FRACTION(dk_size(other) / 2) < other->used))
        return dict_clone_into(vm, d, other);
    size_t cur = d->log2_size > LOG_MINSIZE ? dk_size(d) : 8;
    if (USABLE_FRACTION(cur) < other->used) {
        if (dict_resize(vm, d, estimate_log2_keysize(d->used + other->used), other->unicode) < 0)
            return -1;
    }
    for (size_t i = 0; i < other->nentries; i++) {
        DictEntry *oe = ent(other, i);
        if (!oe->key) continue;
        DictEntry e = {oe->key, oe->value, ent_hash(other, oe)};
        INCREF(e.key);
        INCREF(e.value);
        int rc = 0;
        if (override) {
            rc = dict_insert(vm, d, e.key, e.hash, e.value);
        } else {
            size_t slot;
            intptr_t ix = dict_lookup(vm, d, e.key, e.hash, &slot);
            if (ix == DKIX_ERROR) rc = -1;
            else if (ix == DKIX_EMPTY) rc = dict_insert(vm, d, e.key, e.hash, e.value);
        }
        DECREF(vm, e.key);
        DECREF(vm, e.value);
        if (rc < 0) return -1;
    }
    return 0;
}

/* Merges a mapping with keys() and __getitem__. */
static int dict_merge_mapping(Vm *vm, DictObject *d, Object *other)
{
    Object *keys = obj_call_method(vm, other, "keys", 0);
    if (!keys) return -1;
    Object *it = obj_iter(vm, keys);
    DECREF(vm, keys);
    if (!it) return -1;
    Object *key;
    while ((key = obj_next(vm, it))) {
        Object *value = obj_getitem(vm, other, key);
        int rc = value ? dict_set(vm, (Object *)d, key, value) : -1;
        XDECREF(vm, value);
        DECREF(vm, key);
        if (rc < 0) break;
    }
    DECREF(vm, it);
    return vm->exc ? -1 : 0;
}

/* Merges an iterable of key/value pairs (dict_merge_from_seq2). */
static int dict_merge_seq2(Vm *vm, DictObject *d, Object *seq)
{
    Object *it = obj_iter(vm, seq);
    if (!it) return -1;
    Object *item;
    for (size_t i = 0; (item = obj_next(vm, it)); i++) {
        Object *fast = NULL;
        if (TYPE(item) == &TupleType || TYPE(item) == &ListType) fast = NEWREF(item);
        else if (TYPE(item)->iter || type_lookup_str(TYPE(item), "__iter__")) fast = list_from_iterable(vm, item);
        if (!fast) {
            if (!vm->exc || err_matches(vm, &TypeErrorType)) {
                err_clear(vm);
                err_format(vm, &TypeErrorType,
                           "cannot convert dictionary update sequence element #%zu to a sequence", i);
            }
            DECREF(vm, item);
            break;
        }
        size_t n = TYPE(fast) == &TupleType ? TUPLE_SIZE(fast) : LIST_SIZE(fast);
        int rc = -1;
        if (n != 2) {
            err_format(vm, &ValueErrorType,
                       "dictionary update sequence element #%zu has length %zu; 2 is required", i, n);
        } else {
            Object *k = TYPE(fast) == &TupleType ? TUPLE_ITEM(fast, 0) : LIST_ITEM(fast, 0);
            Object *v = TYPE(fast) == &TupleType ? TUPLE_ITEM(fast, 1) : LIST_ITEM(fast, 1);
            INCREF(k);
            INCREF(v);
            rc = dict_set(vm, (Object *)d, k, v);
            DECREF(vm, k);
            DECREF(vm, v);
        }
        DECREF(vm, fast);
        DECREF(vm, item);
        if (rc < 0) break;
    }
    DECREF(vm, it);
    return vm->exc ? -1 : 0;
}

int dict_update(Vm *vm, Object *d, Object *other)
{
    if (DICT_CHECK(other)) return dict_merge_dict(vm, DICT(d), DICT(other), true);
    if (type_lookup_str(TYPE(other), "keys")) return dict_merge_mapping(vm, DICT(d), other);
    return dict_merge_seq2(vm, DICT(d), other);
}

Object *dict_copy(Vm *vm, Object *d)
{
    DictObject *src = DICT(d);
    Object *r = dict_new(vm);
    if (!r) return NULL;
    int rc;
    if (src->used == 0) rc = 0;
    else if (src->used >= (src->nentries * 2) / 3) rc = dict_clone_into(vm, DICT(r), src);
    else rc = dict_merge_dict(vm, DICT(r), src, true);
    if (rc < 0) {
        DECREF(vm, r);
        return NULL;
    }
    return r;
}

/* Builds a list of keys (0), values (1) or items (2). */
static Object *dict_list(Vm *vm, Object *d, int kind)
{
    DictObject *dd = DICT(d);
    Object *l = list_new(vm, dd->used);
    if (!l) return NULL;
    size_t pos = 0, k = 0;
    Object *key, *value;
    while (dict_next(d, &pos, &key, &value)) {
        Object *x = kind == 0 ? NEWREF(key) : kind == 1 ? NEWREF(value) : tuple_pack(vm, 2, key, value);
        if (!x) {
            DECREF(vm, l);
            return NULL;
        }
        LIST_ITEM(l, k++) = x;
    }
    return l;
}

Object *dict_keys_list(Vm *vm, Object *d) { return dict_list(vm, d, 0); }
Object *dict_values_list(Vm *vm, Object *d) { return dict_list(vm, d, 1); }
Object *dict_items_list(Vm *vm, Object *d) { return dict_list(vm, d, 2); }

/* ---- slots ---- */

static void dict_dealloc(Vm *vm, Object *self)
{
    DictObject *d = DICT(self);
    if (self->flags & OF_TYPE_DICT) type_cache_invalidate();
    release_table(vm, d, d);
    d->log2_size = 0;
    obj_free(vm, self);
}

/* Visits values then keys, in entry order, as CPython's dict_traverse (str keys of a
 * str-keys-only table are skipped: they can never be part of a cycle). */
static int dict_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    DictObject *d = DICT(self);
    size_t es = dict_entry_size(d->unicode);
    for (size_t i = 0; i < d->nentries; i++) {
        DictEntry *e = (DictEntry *)((char *)d->entries + i * es);
        if (!e->key || !e->value) continue;
        int rc = visit(vm, e->value, arg);
        if (rc) return rc;
        if (!d->unicode && (rc = visit(vm, e->key, arg))) return rc;
    }
    return 0;
}

static void dict_gc_clear(Vm *vm, Object *self) { dict_clear(vm, self); }

static Object *dict_repr(Vm *vm, Object *self)
{
    DictObject *d = DICT(self);
    if (d->used == 0) return str_from_cstr(vm, "{}");
    int rc = repr_enter(vm, self);
    if (rc < 0) return NULL;
    if (rc > 0) return str_from_cstr(vm, "{...}");
    StrBuf b;
    strbuf_init(&b);
    strbuf_append_char(&b, '{');
    bool first = true;
    for (size_t i = 0; i < d->nentries; i++) {
        if (!ent(d, (size_t)(i))->key) continue;
        Object *k = NEWREF(ent(d, (size_t)(i))->key), *v = NEWREF(ent(d, (size_t)(i))->value);
        Object *kr = obj_repr(vm, k);
        Object *vr = kr ? obj_repr(vm, v) : NULL;
        DECREF(vm, k);
        DECREF(vm, v);
        if (!vr) {
            XDECREF(vm, kr);
            strbuf_free(&b);
            repr_leave(vm, self);
            return NULL;
        }
        if (!first) strbuf_append(&b, ", ", 2);
        first = false;
        strbuf_append_str(&b, kr);
        strbuf_append(&b, ": ", 2);
        strbuf_append_str(&b, vr);
        DECREF(vm, kr);
        DECREF(vm, vr);
    }
    strbuf_append_char(&b, '}');
    repr_leave(vm, self);
    return strbuf_finish(vm, &b);
}

static int dict_equal(Vm *vm, DictObject *a, DictObject *b)
{
    if (a->used != b->used) return 0;
    for (size_t i = 0; i < a->nentries; i++) {
        DictEntry *e = ent(a, (size_t)(i));
        if (!e->key) continue;
        Object *key = NEWREF(e->key), *aval = NEWREF(e->value);
        size_t slot;
        intptr_t ix = dict_lookup(vm, b, key, ent_hash(a, e), &slot);
        int rc;
        if (ix == DKIX_ERROR) rc = -1;
        else if (ix < 0) rc = 0;
        else {
            Object *bval = NEWREF(ent(b, (size_t)(ix))->value);
            rc = obj_richcompare_bool(vm, aval, bval, CMP_EQ);
            DECREF(vm, bval);
        }
        DECREF(vm, key);
        DECREF(vm, aval);
        if (rc <= 0) return rc;
    }
    return 1;
}

static Object *dict_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (!DICT_CHECK(a) || !DICT_CHECK(b) || (op != CMP_EQ && op != CMP_NE))
        return NEWREF(vm->not_implemented);
    int eq = dict_equal(vm, DICT(a), DICT(b));
    if (eq < 0) return NULL;
    return bool_from(vm, op == CMP_EQ ? eq : !eq);
}

static Object *dict_binop(Vm *vm, Object *a, Object *b, int op)
{
    if (op == BINOP_OR) {
        if (!DICT_CHECK(a) || !DICT_CHECK(b)) return NEWREF(vm->not_implemented);
        Object *r = dict_copy(vm, a);
        if (r && dict_update(vm, r, b) < 0) {
            DECREF(vm, r);
            return NULL;
        }
        return r;
    }
    if (op == BINOP_INPLACE + BINOP_OR) {
        if (dict_update(vm, a, b) < 0) return NULL;
        return NEWREF(a);
    }
    return NEWREF(vm->not_implemented);
}

static int64_t dict_len(Vm *vm, Object *self) { return (int64_t)DICT(self)->used; }
static int dict_is_true(Vm *vm, Object *self) { return DICT(self)->used != 0; }

static Object *dict_getitem(Vm *vm, Object *self, Object *key)
{
    Hash hash = key_hash(vm, key);
    if (hash == -1) return NULL;
    Object *v = dict_get_hash(vm, self, key, hash);
    if (v) return NEWREF(v);
    if (vm->exc) return NULL;
    if (TYPE(self) != &DictType) {
        Object *missing = type_lookup_str(TYPE(self), "__missing__");
        if (missing) return obj_call_method(vm, self, "__missing__", 1, key);
    }
    err_set(vm, &KeyErrorType, key);
    return NULL;
}

static int dict_setitem(Vm *vm, Object *self, Object *key, Object *value)
{
    if (value) return dict_set(vm, self, key, value);
    return dict_del(vm, self, key);
}

static int dict_tp_contains(Vm *vm, Object *self, Object *key) { return dict_contains(vm, self, key); }

/* CPython's sizeof: 48-byte object + 16-byte GC header, plus the keys object when the
 * dict owns a table: 32-byte header, the index bytes and USABLE_FRACTION entries of
 * 16 (str keys only) or 24 bytes. */
static size_t dict_sizeof(Vm *vm, Object *self)
{
    DictObject *d = DICT(self);
    size_t size = DictType.modelled_size;
    if (!d->log2_size) return size;
    unsigned log2 = d->log2_size < LOG_MINSIZE ? LOG_MINSIZE : d->log2_size;
    unsigned log2_bytes = log2 < 8 ? log2 : log2 < 16 ? log2 + 1 : log2 < 32 ? log2 + 2 : log2 + 3;
    return size + 32 + ((size_t)1 << log2_bytes) +
           USABLE_FRACTION((size_t)1 << log2) * (d->unicode ? 16 : 24);
}

static Object *dict_iter(Vm *vm, Object *self);

static Object *dict_tp_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    return dict_alloc(vm, type);
}

/* dict(arg, **kw) and dict.update(arg, **kw). */
static int dict_update_common(Vm *vm, Object *self, const char *name, Object **args,
                              size_t nargs, Object *kwnames)
{
    if (nargs > 1) {
        err_format(vm, &TypeErrorType, "%s expected at most 1 argument, got %zu", name, nargs);
        return -1;
    }
    if (nargs && dict_update(vm, self, args[0]) < 0) return -1;
    size_t nkw = args_nkw(kwnames);
    for (size_t i = 0; i < nkw; i++)
        if (dict_set(vm, self, TUPLE_ITEM(kwnames, i), args[nargs + i]) < 0) return -1;
    return 0;
}

static int dict_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    return dict_update_common(vm, self, "dict", args, nargs, kwnames);
}

/* ---- methods ---- */

static Object *m_get(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "get", nargs, kw, 1, 2) < 0) return NULL;
    Object *v = dict_get(vm, self, args[0]);
    if (v) return NEWREF(v);
    if (vm->exc) return NULL;
    return NEWREF(nargs > 1 ? args[1] : vm->none);
}

static Object *m_setdefault(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "setdefault", nargs, kw, 1, 2) < 0) return NULL;
    Object *dflt = nargs > 1 ? args[1] : vm->none;
    Hash hash = key_hash(vm, args[0]);
    if (hash == -1) return NULL;
    Object *v = dict_get_hash(vm, self, args[0], hash);
    if (v) return NEWREF(v);
    if (vm->exc) return NULL;
    if (dict_insert(vm, DICT(self), args[0], hash, dflt) < 0) return NULL;
    return NEWREF(dflt);
}

static Object *m_pop(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "pop", nargs, kw, 1, 2) < 0) return NULL;
    Object *v = dict_pop_item(vm, DICT(self), args[0]);
    if (v || vm->exc) return v;
    if (nargs > 1) return NEWREF(args[1]);
    err_set(vm, &KeyErrorType, args[0]);
    return NULL;
}

static Object *m_popitem(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.popitem", nargs, kw, 0, 0) < 0) return NULL;
    DictObject *d = DICT(self);
    if (d->used == 0) {
        Object *msg = str_from_cstr(vm, "popitem(): dictionary is empty");
        if (msg) {
            err_set(vm, &KeyErrorType, msg);
            DECREF(vm, msg);
        }
        return NULL;
    }
    size_t i = d->nentries;
    while (i > 0 && ent(d, (size_t)(i - 1))->key == NULL) i--;
    DictEntry *e = ent(d, (size_t)(i - 1));
    Object *r = tuple_pack(vm, 2, e->key, e->value);
    if (!r) return NULL;
    Hash hash = ent_hash(d, e);
    size_t mask = dk_size(d) - 1, slot = (size_t)hash & mask;
    uint64_t perturb = (uint64_t)hash;
    while (d->log2_size != LOG_MINI && ix_get(d, slot) != (intptr_t)(i - 1)) {
        perturb >>= PERTURB_SHIFT;
        slot = (slot * 5 + perturb + 1) & mask;
    }
    Object *v = dict_remove_entry(vm, d, (intptr_t)(i - 1), slot);
    DECREF(vm, v);
    d->nentries = (uint32_t)(i - 1);
    return r;
}

static Object *m_keys(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw);
static Object *m_values(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw);
static Object *m_items(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw);

static Object *m_update(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (dict_update_common(vm, self, "update", args, nargs, kw) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_copy(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.copy", nargs, kw, 0, 0) < 0) return NULL;
    return dict_copy(vm, self);
}

static Object *m_clear(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.clear", nargs, kw, 0, 0) < 0) return NULL;
    dict_clear(vm, self);
    RETURN_NONE(vm);
}

static Object *m_fromkeys(Vm *vm, Object *cls, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "fromkeys", nargs, kw, 1, 2) < 0) return NULL;
    Object *value = nargs > 1 ? args[1] : vm->none;
    Object *d = obj_call(vm, cls, NULL, 0, NULL);
    if (!d) return NULL;
    Object *src = args[0];
    if (TYPE(d) == &DictType && (TYPE(src) == &DictType || TYPE(src) == &SetType ||
                                 TYPE(src) == &FrozenSetType)) {
        size_t n = TYPE(src) == &DictType ? dict_size(src) : set_size(src);
        bool unicode = TYPE(src) == &DictType && DICT(src)->unicode;
        if (n > 0 && dict_resize(vm, DICT(d), estimate_log2_keysize(n), unicode) < 0) {
            DECREF(vm, d);
            return NULL;
        }
    }
    Object *it = obj_iter(vm, src);
    if (!it) {
        DECREF(vm, d);
        return NULL;
    }
    Object *key;
    while ((key = obj_next(vm, it))) {
        int rc = TYPE(d) == &DictType ? dict_set(vm, d, key, value) : obj_setitem(vm, d, key, value);
        DECREF(vm, key);
        if (rc < 0) break;
    }
    DECREF(vm, it);
    if (vm->exc) {
        DECREF(vm, d);
        return NULL;
    }
    return d;
}

static Object *m_contains(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.__contains__", nargs, kw, 1, 1) < 0) return NULL;
    int rc = dict_contains(vm, self, args[0]);
    return rc < 0 ? NULL : bool_from(vm, rc);
}

static Object *m_getitem(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.__getitem__", nargs, kw, 1, 1) < 0) return NULL;
    return dict_getitem(vm, self, args[0]);
}

static Object *m_sizeof(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.__sizeof__", nargs, kw, 0, 0) < 0) return NULL;
    return int_from_i64(vm, (int64_t)dict_sizeof(vm, self) - 16);
}

/* ---- iterators ---- */

enum { KIND_KEYS, KIND_VALUES, KIND_ITEMS };

typedef struct {
    Object ob;
    Object *dict;     /* NULL once exhausted */
    size_t used;      /* the dict's size when iteration started */
    size_t pos;       /* next entry index (reverse: one past it) */
    size_t len;       /* items left to yield */
    int kind;
    bool reverse;
} DictIterObject;

static Type *dictiter_type(int kind, bool reverse)
{
    if (reverse) return &DictRevIterType;
    return kind == KIND_KEYS ? &DictIterType : kind == KIND_VALUES ? &DictValueIterType
                                                                   : &DictItemIterType;
}

static Object *dictiter_new(Vm *vm, Object *dict, int kind, bool reverse)
{
    DictIterObject *it = (DictIterObject *)obj_alloc(vm, dictiter_type(kind, reverse),
                                                     sizeof(DictIterObject));
    if (!it) return NULL;
    it->dict = NEWREF(dict);
    it->used = DICT(dict)->used;
    it->len = it->used;
    it->kind = kind;
    it->reverse = reverse;
    it->pos = reverse ? DICT(dict)->nentries : 0;
    gc_track(vm, (Object *)it);
    return (Object *)it;
}

static Object *dict_iter(Vm *vm, Object *self) { return dictiter_new(vm, self, KIND_KEYS, false); }

static Object *dictiter_exhaust(Vm *vm, DictIterObject *it)
{
    Object *d = it->dict;
    it->dict = NULL;
    XDECREF(vm, d);
    return NULL;
}

static Object *dictiter_next(Vm *vm, Object *self)
{
    DictIterObject *it = (DictIterObject *)self;
    DictObject *d = DICT(it->dict);
    if (!d) return NULL;
    if (it->used != d->used) {
        it->used = (size_t)-1;
        err_format(vm, &RuntimeErrorType, "dictionary changed size during iteration");
        return NULL;
    }
    DictEntry *e = NULL;
    if (it->reverse) {
        while (it->pos > 0 && it->pos <= d->nentries && !ent(d, (size_t)(it->pos - 1))->key) it->pos--;
        if (it->pos == 0 || it->pos > d->nentries) return dictiter_exhaust(vm, it);
        e = ent(d, (size_t)(--it->pos));
    } else {
        while (it->pos < d->nentries && !ent(d, (size_t)(it->pos))->key) it->pos++;
        if (it->pos >= d->nentries) return dictiter_exhaust(vm, it);
        e = ent(d, (size_t)(it->pos++));
    }
    if (it->len == 0) {
        err_format(vm, &RuntimeErrorType, "dictionary keys changed during iteration");
        return dictiter_exhaust(vm, it);
    }
    it->len--;
    if (it->kind == KIND_KEYS) return NEWREF(e->key);
    if (it->kind == KIND_VALUES) return NEWREF(e->value);
    return tuple_pack(vm, 2, e->key, e->value);
}

static void dictiter_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, ((DictIterObject *)self)->dict);
    obj_free(vm, self);
}

static int dictiter_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    Object *d = ((DictIterObject *)self)->dict;
    return d ? visit(vm, d, arg) : 0;
}

static void dictiter_clear(Vm *vm, Object *self)
{
    SETREF(vm, ((DictIterObject *)self)->dict, NULL);
}

static Object *iter_self(Vm *vm, Object *self) { return NEWREF(self); }

static Object *dictiter_length_hint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    DictIterObject *it = (DictIterObject *)self;
    int64_t n = it->dict && it->used == DICT(it->dict)->used ? (int64_t)it->len : 0;
    return int_from_i64(vm, n);
}

static Object *m_reversed(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.__reversed__", nargs, kw, 0, 0) < 0) return NULL;
    return dictiter_new(vm, self, KIND_KEYS, true);
}

/* ---- views ---- */

typedef struct {
    Object ob;
    Object *dict;
} DictViewObject;

static Object *view_new(Vm *vm, Object *dict, Type *type)
{
    DictViewObject *v = (DictViewObject *)obj_alloc(vm, type, sizeof(DictViewObject));
    if (!v) return NULL;
    v->dict = NEWREF(dict);
    gc_track(vm, (Object *)v);
    return (Object *)v;
}

static Object *m_keys(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.keys", nargs, kw, 0, 0) < 0) return NULL;
    return view_new(vm, self, &DictKeysType);
}

static Object *m_values(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.values", nargs, kw, 0, 0) < 0) return NULL;
    return view_new(vm, self, &DictValuesType);
}

static Object *m_items(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "dict.items", nargs, kw, 0, 0) < 0) return NULL;
    return view_new(vm, self, &DictItemsType);
}

static int view_kind(Object *v)
{
    return TYPE(v) == &DictKeysType ? KIND_KEYS : TYPE(v) == &DictValuesType ? KIND_VALUES : KIND_ITEMS;
}

#define VIEW_DICT(o) (((DictViewObject *)(o))->dict)

static void view_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, VIEW_DICT(self));
    obj_free(vm, self);
}

static int view_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    return VIEW_DICT(self) ? visit(vm, VIEW_DICT(self), arg) : 0;
}

static void view_clear(Vm *vm, Object *self) { SETREF(vm, VIEW_DICT(self), NULL); }

static int64_t view_len(Vm *vm, Object *self) { return (int64_t)DICT(VIEW_DICT(self))->used; }

static Object *view_iter(Vm *vm, Object *self)
{
    return dictiter_new(vm, VIEW_DICT(self), view_kind(self), false);
}

static Object *view_repr(Vm *vm, Object *self)
{
    int rc = repr_enter(vm, self);
    if (rc < 0) return NULL;
    if (rc > 0) return str_from_cstr(vm, "...");
    Object *l = dict_list(vm, VIEW_DICT(self), view_kind(self));
    Object *r = l ? str_from_format(vm, "%s(%R)", TYPE(self)->name, l) : NULL;
    XDECREF(vm, l);
    repr_leave(vm, self);
    return r;
}

static int view_contains(Vm *vm, Object *self, Object *item)
{
    Object *d = VIEW_DICT(self);
    int kind = view_kind(self);
    if (kind == KIND_KEYS) return dict_contains(vm, d, item);
    if (kind == KIND_VALUES) {
        size_t pos = 0;
        Object *v;
        while (dict_next(d, &pos, NULL, &v)) {
            INCREF(v);
            int eq = obj_richcompare_bool(vm, v, item, CMP_EQ);
            DECREF(vm, v);
            if (eq != 0) return eq;
        }
        return 0;
    }
    if (TYPE(item) != &TupleType || TUPLE_SIZE(item) != 2) return 0;
    Object *found = dict_get(vm, d, TUPLE_ITEM(item, 0));
    if (!found) return vm->exc ? -1 : 0;
    INCREF(found);
    int eq = obj_richcompare_bool(vm, found, TUPLE_ITEM(item, 1), CMP_EQ);
    DECREF(vm, found);
    return eq;
}

static bool is_setlike(Object *o)
{
    return TYPE(o) == &SetType || TYPE(o) == &FrozenSetType || TYPE(o) == &DictKeysType ||
           TYPE(o) == &DictItemsType || type_is_subtype(TYPE(o), &SetType) ||
           type_is_subtype(TYPE(o), &FrozenSetType);
}

/* Set operations on keys/items views produce sets, as CPython's dictviews_* do. */
static Object *view_binop(Vm *vm, Object *a, Object *b, int op)
{
    int base = op >= BINOP_INPLACE ? op - BINOP_INPLACE : op;
    const char *meth = base == BINOP_AND ? "intersection_update" : base == BINOP_OR ? "update"
                     : base == BINOP_SUB ? "difference_update" : base == BINOP_XOR
                     ? "symmetric_difference_update" : NULL;
    if (!meth) return NEWREF(vm->not_implemented);
    Object *left = a, *right = b;
    Object *s = set_from_iterable(vm, left, false);
    if (!s) return NULL;
    Object *r = obj_call_method(vm, s, meth, 1, right);
    if (!r) {
        DECREF(vm, s);
        return NULL;
    }
    DECREF(vm, r);
    return s;
}

static Object *view_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (!is_setlike(a) || !is_setlike(b)) return NEWREF(vm->not_implemented);
    Object *x = set_from_iterable(vm, a, true);
    if (!x) return NULL;
    Object *y = set_from_iterable(vm, b, true);
    if (!y) {
        DECREF(vm, x);
        return NULL;
    }
    Object *r = obj_richcompare(vm, x, y, op);
    DECREF(vm, x);
    DECREF(vm, y);
    return r;
}

static Object *view_m_isdisjoint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "isdisjoint", nargs, kw, 1, 1) < 0) return NULL;
    Object *it = obj_iter(vm, args[0]);
    if (!it) return NULL;
    Object *x;
    int found = 0;
    while (!found && (x = obj_next(vm, it))) {
        found = view_contains(vm, self, x);
        DECREF(vm, x);
    }
    DECREF(vm, it);
    if (found < 0 || vm->exc) return NULL;
    return bool_from(vm, !found);
}

static Object *view_m_reversed(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    return dictiter_new(vm, VIEW_DICT(self), view_kind(self), true);
}

/* ---- method tables ---- */

static const MethodDef dict_methods[] = {
    {"get", m_get, METH_INSTANCE},
    {"setdefault", m_setdefault, METH_INSTANCE},
    {"pop", m_pop, METH_INSTANCE},
    {"popitem", m_popitem, METH_INSTANCE},
    {"keys", m_keys, METH_INSTANCE},
    {"values", m_values, METH_INSTANCE},
    {"items", m_items, METH_INSTANCE},
    {"update", m_update, METH_INSTANCE},
    {"copy", m_copy, METH_INSTANCE},
    {"clear", m_clear, METH_INSTANCE},
    {"fromkeys", m_fromkeys, METH_CLASS},
    {"__contains__", m_contains, METH_INSTANCE},
    {"__getitem__", m_getitem, METH_INSTANCE},
    {"__reversed__", m_reversed, METH_INSTANCE},
    {"__sizeof__", m_sizeof, METH_INSTANCE},
    {NULL}
};

static const MethodDef view_methods[] = {
    {"isdisjoint", view_m_isdisjoint, METH_INSTANCE},
    {"__reversed__", view_m_reversed, METH_INSTANCE},
    {NULL}
};

static const MethodDef values_methods[] = {
    {"__reversed__", view_m_reversed, METH_INSTANCE},
    {NULL}
};

static const MethodDef dictiter_methods[] = {
    {"__length_hint__", dictiter_length_hint, METH_INSTANCE},
    {NULL}
};

Type DictType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "dict",
    .basicsize = sizeof(DictObject),
    .modelled_size = 64,
    .tflags = TP_GC | TP_BASETYPE | TP_DICT_SUB,
    .base = &ObjectType,
    .methods = dict_methods,
    .dealloc = dict_dealloc,
    .traverse = dict_traverse,
    .clear = dict_gc_clear,
    .repr = dict_repr,
    .richcompare = dict_richcompare,
    .binop = dict_binop,
    .is_true = dict_is_true,
    .len = dict_len,
    .getitem = dict_getitem,
    .setitem = dict_setitem,
    .contains = dict_tp_contains,
    .iter = dict_iter,
    .new_ = dict_tp_new,
    .init = dict_init,
    .sizeof_ = dict_sizeof,
};

#define VIEW_TYPE(var, tname, meths, binop_fn, cmp_fn) \
    Type var = { \
        .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL}, \
        .name = tname, \
        .basicsize = sizeof(DictViewObject), \
        .modelled_size = 40, \
        .tflags = TP_GC, \
        .base = &ObjectType, \
        .methods = meths, \
        .dealloc = view_dealloc, \
        .traverse = view_traverse, \
        .clear = view_clear, \
        .repr = view_repr, \
        .richcompare = cmp_fn, \
        .binop = binop_fn, \
        .len = view_len, \
        .contains = view_contains, \
        .iter = view_iter, \
    };

VIEW_TYPE(DictKeysType, "dict_keys", view_methods, view_binop, view_richcompare)
VIEW_TYPE(DictValuesType, "dict_values", values_methods, NULL, NULL)
VIEW_TYPE(DictItemsType, "dict_items", view_methods, view_binop, view_richcompare)

#define DICTITER_TYPE(var, tname) \
    Type var = { \
        .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL}, \
        .name = tname, \
        .basicsize = sizeof(DictIterObject), \
        .modelled_size = 72, \
        .tflags = TP_GC, \
        .base = &ObjectType, \
        .methods = dictiter_methods, \
        .dealloc = dictiter_dealloc, \
        .traverse = dictiter_traverse, \
        .clear = dictiter_clear, \
        .iter = iter_self, \
        .iternext = dictiter_next, \
    };

DICTITER_TYPE(DictIterType, "dict_keyiterator")
DICTITER_TYPE(DictValueIterType, "dict_valueiterator")
DICTITER_TYPE(DictItemIterType, "dict_itemiterator")
DICTITER_TYPE(DictRevIterType, "dict_reversekeyiterator")
