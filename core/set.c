/* set.c — set and frozenset as CPython 3.11's setobject.c: an open-addressing table
 * of (key, hash) slots probed linearly (9 slots) then with perturbation, the same
 * growth and merge paths (so iteration order and sys.getsizeof match python3), the
 * set algebra, comparisons, frozenset's hash, and the set iterator.
 */
#include "set.h"

#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "class.h"
#include "dict.h"
#include "events.h"
#include "int.h"
#include "str.h"
#include "tuple.h"
#include "vm.h"

#define SET(o) ((SetObject *)(o))
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5
#define ANYSET_CHECK(o) (TYPE(o) == &SetType || TYPE(o) == &FrozenSetType || \
                         type_is_subtype(TYPE(o), &SetType) || type_is_subtype(TYPE(o), &FrozenSetType))
#define FROZEN(o) (TYPE(o) == &FrozenSetType || type_is_subtype(TYPE(o), &FrozenSetType))

/* The marker of a deleted slot: a unique address, never dereferenced. */
static const char dummy_marker;
#define DUMMY ((Object *)&dummy_marker)

enum { DISCARD_NOTFOUND, DISCARD_FOUND };

/* ---- the table ---- */

static Object *set_alloc(Vm *vm, Type *type)
{
    SetObject *so = (SetObject *)obj_alloc(vm, type, type->basicsize);
    if (!so) return NULL;
    so->mask = SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
    gc_track(vm, (Object *)so);
    return (Object *)so;
}

/* Finds the slot of [key], or the first never-used slot (set_lookkey). NULL on error. */
static SetEntry *set_lookkey(Vm *vm, SetObject *so, Object *key, Hash hash)
{
restart:;
    uint64_t perturb = (uint64_t)hash, mask = so->mask, i = (size_t)hash & mask;
    for (;;) {
        SetEntry *entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL) return entry;
            if (entry->hash == hash) {
                Object *startkey = entry->key;
                if (startkey == key) return entry;
                if (TYPE(startkey) == &StrType && TYPE(key) == &StrType) {
                    if (str_equal(startkey, key)) return entry;
                } else if (startkey != DUMMY) {
                    SetEntry *table = so->table;
                    INCREF(startkey);
                    int cmp = obj_richcompare_bool(vm, startkey, key, CMP_EQ);
                    DECREF(vm, startkey);
                    if (cmp < 0) return NULL;
                    if (table != so->table || entry->key != startkey) goto restart;
                    if (cmp > 0) return entry;
                    mask = so->mask;
                }
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* Inserts into a table known to hold no dummies nor [key] (set_insert_clean). */
static void set_insert_clean(SetEntry *table, size_t mask, Object *key, Hash hash)
{
    uint64_t perturb = (uint64_t)hash, i = (size_t)hash & mask;
    for (;;) {
        SetEntry *entry = &table[i];
        if (entry->key == NULL) goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                entry++;
                if (entry->key == NULL) goto found;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        entry->key = key;
        entry->hash = hash;
        return;
    }
}

/* Rebuilds the table with the smallest power of two > [minused] slots. */
static int set_table_resize(Vm *vm, SetObject *so, size_t minused)
{
    size_t newsize = SET_MINSIZE;
    while (newsize <= minused) {
        if (newsize > SIZE_MAX / sizeof(SetEntry) / 4) {
            err_no_memory(vm);
            return -1;
        }
        newsize <<= 1;
    }
    SetEntry *oldtable = so->table;
    size_t oldmask = so->mask;
    bool old_malloced = oldtable != so->smalltable;
    SetEntry small_copy[SET_MINSIZE];
    SetEntry *newtable;
    if (newsize == SET_MINSIZE) {
        newtable = so->smalltable;
        if (newtable == oldtable) {
            if (so->fill == so->used) return 0;
            memcpy(small_copy, oldtable, sizeof(small_copy));
            oldtable = small_copy;
        }
    } else {
        newtable = mem_alloc(vm, newsize * sizeof(SetEntry));
        if (!newtable) return -1;
    }
    memset(newtable, 0, newsize * sizeof(SetEntry));
    so->mask = newsize - 1;
    so->table = newtable;
    if (so->fill == so->used) {
        for (size_t k = 0; k <= oldmask; k++)
            if (oldtable[k].key) set_insert_clean(newtable, so->mask, oldtable[k].key, oldtable[k].hash);
    } else {
        so->fill = so->used;
        for (size_t k = 0; k <= oldmask; k++)
            if (oldtable[k].key && oldtable[k].key != DUMMY)
                set_insert_clean(newtable, so->mask, oldtable[k].key, oldtable[k].hash);
    }
    if (old_malloced) mem_free(vm, oldtable, (oldmask + 1) * sizeof(SetEntry));
    return 0;
}

/* Adds [key] with [hash] (set_add_entry); the key is not stolen. */
static int set_add_entry(Vm *vm, SetObject *so, Object *key, Hash hash)
{
    INCREF(key);
restart:;
    size_t mask = so->mask, i = (size_t)hash & mask;
    uint64_t perturb = (uint64_t)hash;
    SetEntry *freeslot = NULL;
    for (;;) {
        SetEntry *entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL) {
                if (freeslot) {
                    so->used++;
                    freeslot->key = key;
                    freeslot->hash = hash;
                    EV(vm, mutate, (Object *)so);
                    return 0;
                }
                so->fill++;
                so->used++;
                entry->key = key;
                entry->hash = hash;
                EV(vm, mutate, (Object *)so);
                if (so->fill * 5 < mask * 3) return 0;
                return set_table_resize(vm, so, so->used > 50000 ? so->used * 2 : so->used * 4);
            }
            if (entry->hash == hash) {
                Object *startkey = entry->key;
                if (startkey == key) goto found_active;
                if (TYPE(startkey) == &StrType && TYPE(key) == &StrType) {
                    if (str_equal(startkey, key)) goto found_active;
                } else if (startkey != DUMMY) {
                    SetEntry *table = so->table;
                    INCREF(startkey);
                    int cmp = obj_richcompare_bool(vm, startkey, key, CMP_EQ);
                    DECREF(vm, startkey);
                    if (cmp > 0) goto found_active;
                    if (cmp < 0) {
                        DECREF(vm, key);
                        return -1;
                    }
                    if (table != so->table || entry->key != startkey) goto restart;
                    mask = so->mask;
                }
            } else if (entry->hash == -1 && entry->key == DUMMY && !freeslot) {
                freeslot = entry;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_active:
    DECREF(vm, key);
    return 0;
}

static Hash key_hash(Vm *vm, Object *key)
{
    if (TYPE(key) == &StrType) return str_hash(key);
    return obj_hash(vm, key);
}

static int set_add_key(Vm *vm, SetObject *so, Object *key)
{
    Hash hash = key_hash(vm, key);
    if (hash == -1) return -1;
    return set_add_entry(vm, so, key, hash);
}

static int set_contains_entry(Vm *vm, SetObject *so, Object *key, Hash hash)
{
    SetEntry *e = set_lookkey(vm, so, key, hash);
    if (!e) return -1;
    return e->key != NULL;
}

/* Hashes [key] for a lookup; an unhashable set key is retried as a frozenset, as
 * CPython's set_contains does. */
static int set_contains_key(Vm *vm, SetObject *so, Object *key)
{
    Hash hash = key_hash(vm, key);
    if (hash == -1) {
        if (!(TYPE(key) == &SetType || type_is_subtype(TYPE(key), &SetType)) ||
            !err_matches(vm, &TypeErrorType))
            return -1;
        err_clear(vm);
        Object *tmp = set_from_iterable(vm, key, true);
        if (!tmp) return -1;
        int rc = set_contains_key(vm, so, tmp);
        DECREF(vm, tmp);
        return rc;
    }
    return set_contains_entry(vm, so, key, hash);
}

static int set_discard_entry(Vm *vm, SetObject *so, Object *key, Hash hash)
{
    SetEntry *e = set_lookkey(vm, so, key, hash);
    if (!e) return -1;
    if (e->key == NULL) return DISCARD_NOTFOUND;
    Object *old = e->key;
    e->key = DUMMY;
    e->hash = -1;
    so->used--;
    EV(vm, mutate, (Object *)so);
    DECREF(vm, old);
    return DISCARD_FOUND;
}

static int set_discard_key(Vm *vm, SetObject *so, Object *key)
{
    Hash hash = key_hash(vm, key);
    if (hash == -1) {
        if (!(TYPE(key) == &SetType || type_is_subtype(TYPE(key), &SetType)) ||
            !err_matches(vm, &TypeErrorType))
            return -1;
        err_clear(vm);
        Object *tmp = set_from_iterable(vm, key, true);
        if (!tmp) return -1;
        int rc = set_discard_key(vm, so, tmp);
        DECREF(vm, tmp);
        return rc;
    }
    return set_discard_entry(vm, so, key, hash);
}

/* Empties the set, returning to the small table. */
static void set_clear_internal(Vm *vm, SetObject *so)
{
    SetEntry *table = so->table;
    size_t mask = so->mask, fill = so->fill;
    bool malloced = table != so->smalltable;
    SetEntry small_copy[SET_MINSIZE];
    if (!malloced) {
        memcpy(small_copy, table, sizeof(small_copy));
        table = small_copy;
    }
    memset(so->smalltable, 0, sizeof(so->smalltable));
    so->table = so->smalltable;
    so->mask = SET_MINSIZE - 1;
    so->fill = so->used = 0;
    so->hash = -1;
    EV(vm, mutate, (Object *)so);
    for (size_t i = 0; fill > 0 && i <= mask; i++) {
        if (table[i].key) {
            fill--;
            if (table[i].key != DUMMY) DECREF(vm, table[i].key);
        }
    }
    if (malloced) mem_free(vm, table, (mask + 1) * sizeof(SetEntry));
}

/* Walks the active entries (set_next). */
static bool set_next_entry(SetObject *so, size_t *pos, SetEntry **out)
{
    size_t i = *pos;
    while (i <= so->mask && (so->table[i].key == NULL || so->table[i].key == DUMMY)) i++;
    *pos = i + 1;
    if (i > so->mask) return false;
    *out = &so->table[i];
    return true;
}

/* Merges another set into [so] (set_merge). */
static int set_merge(Vm *vm, SetObject *so, SetObject *other)
{
    if (other == so || other->used == 0) return 0;
    if ((so->fill + other->used) * 5 >= so->mask * 3) {
        if (set_table_resize(vm, so, (so->used + other->used) * 2) < 0) return -1;
    }
    SetEntry *so_entry = so->table, *other_entry = other->table;
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (size_t i = 0; i <= other->mask; i++, so_entry++, other_entry++) {
            if (other_entry->key) {
                so_entry->key = NEWREF(other_entry->key);
                so_entry->hash = other_entry->hash;
            }
        }
        so->fill = other->fill;
        so->used = other->used;
        EV(vm, mutate, (Object *)so);
        return 0;
    }
    if (so->fill == 0) {
        so->fill = other->used;
        so->used = other->used;
        for (size_t i = 0; i <= other->mask; i++, other_entry++) {
            Object *key = other_entry->key;
            if (key && key != DUMMY) set_insert_clean(so->table, so->mask, NEWREF(key), other_entry->hash);
        }
        EV(vm, mutate, (Object *)so);
        return 0;
    }
    for (size_t i = 0; i <= other->mask; i++) {
        other_entry = &other->table[i];
        Object *key = other_entry->key;
        if (key && key != DUMMY && set_add_entry(vm, so, key, other_entry->hash) < 0) return -1;
    }
    return 0;
}

/* set_update_internal: sets merge, dicts add their keys with known hashes, anything
 * else is iterated. */
static int set_update_internal(Vm *vm, SetObject *so, Object *other)
{
    if (ANYSET_CHECK(other)) return set_merge(vm, so, SET(other));
    if (TYPE(other) == &DictType) {
        size_t n = dict_size(other);
        if ((so->fill + n) * 5 >= so->mask * 3) {
            if (set_table_resize(vm, so, (so->used + n) * 2) < 0) return -1;
        }
        DictObject *d = (DictObject *)other;
        for (size_t i = 0; i < d->nentries; i++) {
            Object *key;
            Hash hash;
            if (dict_entry_at(other, i, &key, &hash) && set_add_entry(vm, so, key, hash) < 0)
                return -1;
        }
        return 0;
    }
    Object *it = obj_iter(vm, other);
    if (!it) return -1;
    Object *key;
    while ((key = obj_next(vm, it))) {
        int rc = set_add_key(vm, so, key);
        DECREF(vm, key);
        if (rc < 0) break;
    }
    DECREF(vm, it);
    return vm->exc ? -1 : 0;
}

/* ---- the C API ---- */

Object *set_new(Vm *vm) { return set_alloc(vm, &SetType); }

Object *frozenset_new(Vm *vm) { return set_alloc(vm, &FrozenSetType); }

/* make_new_set: a set of [type] filled from [iterable] (may be NULL). */
static Object *make_new_set(Vm *vm, Type *type, Object *iterable)
{
    Object *so = set_alloc(vm, type);
    if (!so) return NULL;
    if (iterable && set_update_internal(vm, SET(so), iterable) < 0) {
        DECREF(vm, so);
        return NULL;
    }
    return so;
}

/* make_new_set_basetype: subclasses produce plain sets / frozensets. */
static Object *make_new_set_basetype(Vm *vm, Type *type, Object *iterable)
{
    if (type != &SetType && type != &FrozenSetType)
        type = type_is_subtype(type, &SetType) ? &SetType : &FrozenSetType;
    return make_new_set(vm, type, iterable);
}

Object *set_from_iterable(Vm *vm, Object *iterable, bool frozen)
{
    return make_new_set(vm, frozen ? &FrozenSetType : &SetType, iterable);
}

int set_add(Vm *vm, Object *s, Object *item) { return set_add_key(vm, SET(s), item); }

int set_contains(Vm *vm, Object *s, Object *item) { return set_contains_key(vm, SET(s), item); }

int set_discard(Vm *vm, Object *s, Object *item)
{
    int rc = set_discard_key(vm, SET(s), item);
    return rc < 0 ? -1 : rc == DISCARD_FOUND;
}

int set_update(Vm *vm, Object *s, Object *iterable) { return set_update_internal(vm, SET(s), iterable); }

size_t set_size(Object *s) { return SET(s)->used; }

bool set_next(Object *s, size_t *pos, Object **key)
{
    SetEntry *e;
    if (!set_next_entry(SET(s), pos, &e)) return false;
    *key = e->key;
    return true;
}

/* ---- algebra ---- */

static Object *set_copy(Vm *vm, Object *so)
{
    return make_new_set_basetype(vm, TYPE(so), so);
}

static Object *set_intersection(Vm *vm, SetObject *so, Object *other)
{
    if ((Object *)so == other) return set_copy(vm, other);
    Object *result = make_new_set_basetype(vm, TYPE(so), NULL);
    if (!result) return NULL;
    if (ANYSET_CHECK(other)) {
        SetObject *a = so, *b = SET(other);
        if (b->used > a->used) {
            SetObject *t = a;
            a = b;
            b = t;
        }
        size_t pos = 0;
        SetEntry *e;
        while (set_next_entry(b, &pos, &e)) {
            Object *key = NEWREF(e->key);
            Hash hash = e->hash;
            int rc = set_contains_entry(vm, a, key, hash);
            if (rc > 0) rc = set_add_entry(vm, SET(result), key, hash);
            DECREF(vm, key);
            if (rc < 0) {
                DECREF(vm, result);
                return NULL;
            }
        }
        return result;
    }
    Object *it = obj_iter(vm, other);
    if (!it) {
        DECREF(vm, result);
        return NULL;
    }
    Object *key;
    while ((key = obj_next(vm, it))) {
        Hash hash = key_hash(vm, key);
        int rc = hash == -1 ? -1 : set_contains_entry(vm, so, key, hash);
        if (rc > 0) rc = set_add_entry(vm, SET(result), key, hash);
        DECREF(vm, key);
        if (rc < 0) break;
    }
    DECREF(vm, it);
    if (vm->exc) {
        DECREF(vm, result);
        return NULL;
    }
    return result;
}

static int set_difference_update_internal(Vm *vm, SetObject *so, Object *other)
{
    if ((Object *)so == other) {
        set_clear_internal(vm, so);
        return 0;
    }
    if (ANYSET_CHECK(other)) {
        if ((SET(other)->used >> 3) > so->used) other = set_intersection(vm, so, other);
        else INCREF(other);
        if (!other) return -1;
        size_t pos = 0;
        SetEntry *e;
        while (set_next_entry(SET(other), &pos, &e)) {
            if (set_discard_entry(vm, so, e->key, e->hash) < 0) {
                DECREF(vm, other);
                return -1;
            }
        }
        DECREF(vm, other);
    } else {
        Object *it = obj_iter(vm, other);
        if (!it) return -1;
        Object *key;
        while ((key = obj_next(vm, it))) {
            int rc = set_discard_key(vm, so, key);
            DECREF(vm, key);
            if (rc < 0) break;
        }
        DECREF(vm, it);
        if (vm->exc) return -1;
    }
    if (so->fill - so->used <= so->mask / 4) return 0;
    return set_table_resize(vm, so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

static Object *set_copy_and_difference(Vm *vm, SetObject *so, Object *other)
{
    Object *result = set_copy(vm, (Object *)so);
    if (result && set_difference_update_internal(vm, SET(result), other) < 0) {
        DECREF(vm, result);
        return NULL;
    }
    return result;
}

static Object *set_difference(Vm *vm, SetObject *so, Object *other)
{
    size_t other_size;
    if (ANYSET_CHECK(other)) other_size = SET(other)->used;
    else if (TYPE(other) == &DictType) other_size = dict_size(other);
    else return set_copy_and_difference(vm, so, other);
    if ((so->used >> 2) > other_size) return set_copy_and_difference(vm, so, other);
    Object *result = make_new_set_basetype(vm, TYPE(so), NULL);
    if (!result) return NULL;
    size_t pos = 0;
    SetEntry *e;
    while (set_next_entry(so, &pos, &e)) {
        Object *key = NEWREF(e->key);
        Hash hash = e->hash;
        int rc;
        if (TYPE(other) == &DictType) {
            Object *v = dict_get_hash(vm, other, key, hash);
            rc = v ? 1 : vm->exc ? -1 : 0;
        } else {
            rc = set_contains_entry(vm, SET(other), key, hash);
        }
        if (rc == 0) rc = set_add_entry(vm, SET(result), key, hash);
        DECREF(vm, key);
        if (rc < 0) {
            DECREF(vm, result);
            return NULL;
        }
    }
    return result;
}

static int set_symmetric_difference_update_internal(Vm *vm, SetObject *so, Object *other)
{
    if ((Object *)so == other) {
        set_clear_internal(vm, so);
        return 0;
    }
    Object *otherset;
    if (ANYSET_CHECK(other)) otherset = NEWREF(other);
    else if (!(otherset = make_new_set_basetype(vm, TYPE(so), other))) return -1;
    size_t pos = 0;
    SetEntry *e;
    while (set_next_entry(SET(otherset), &pos, &e)) {
        Object *key = NEWREF(e->key);
        Hash hash = e->hash;
        int rc = set_discard_entry(vm, so, key, hash);
        if (rc == DISCARD_NOTFOUND) rc = set_add_entry(vm, so, key, hash);
        DECREF(vm, key);
        if (rc < 0) {
            DECREF(vm, otherset);
            return -1;
        }
    }
    DECREF(vm, otherset);
    return 0;
}

static Object *set_symmetric_difference(Vm *vm, SetObject *so, Object *other)
{
    Object *otherset = make_new_set_basetype(vm, TYPE(so), other);
    if (!otherset) return NULL;
    if (set_symmetric_difference_update_internal(vm, SET(otherset), (Object *)so) < 0) {
        DECREF(vm, otherset);
        return NULL;
    }
    return otherset;
}

/* 1 if every item of [so] is in [other] (a set), 0 if not, -1 on error. */
static int set_issubset_internal(Vm *vm, SetObject *so, SetObject *other)
{
    if (so->used > other->used) return 0;
    size_t pos = 0;
    SetEntry *e;
    while (set_next_entry(so, &pos, &e)) {
        Object *key = NEWREF(e->key);
        int rc = set_contains_entry(vm, other, key, e->hash);
        DECREF(vm, key);
        if (rc <= 0) return rc;
    }
    return 1;
}

/* ---- slots ---- */

static void set_dealloc(Vm *vm, Object *self)
{
    SetObject *so = SET(self);
    for (size_t i = 0; i <= so->mask; i++)
        if (so->table[i].key && so->table[i].key != DUMMY) DECREF(vm, so->table[i].key);
    if (so->table != so->smalltable) mem_free(vm, so->table, (so->mask + 1) * sizeof(SetEntry));
    obj_free(vm, self);
}

static int set_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    SetObject *so = SET(self);
    for (size_t i = 0; i <= so->mask; i++) {
        Object *k = so->table[i].key;
        if (k && k != DUMMY) {
            int rc = visit(vm, k, arg);
            if (rc) return rc;
        }
    }
    return 0;
}

static void set_gc_clear(Vm *vm, Object *self) { set_clear_internal(vm, SET(self)); }

static Object *set_repr(Vm *vm, Object *self)
{
    SetObject *so = SET(self);
    const char *name = TYPE(self)->name;
    bool plain_set = TYPE(self) == &SetType;
    if (so->used == 0) return str_from_format(vm, "%s()", name);
    int rc = repr_enter(vm, self);
    if (rc < 0) return NULL;
    if (rc > 0) return str_from_format(vm, "%s(...)", name);
    StrBuf b;
    strbuf_init(&b);
    if (!plain_set) {
        strbuf_append_cstr(&b, name);
        strbuf_append_char(&b, '(');
    }
    strbuf_append_char(&b, '{');
    Object *keys = tuple_new(vm, so->used);
    if (!keys) {
        strbuf_free(&b);
        repr_leave(vm, self);
        return NULL;
    }
    size_t pos = 0, k = 0;
    SetEntry *e;
    while (set_next_entry(so, &pos, &e)) TUPLE_ITEM(keys, k++) = NEWREF(e->key);
    for (size_t i = 0; i < k; i++) {
        Object *r = obj_repr(vm, TUPLE_ITEM(keys, i));
        if (!r) {
            DECREF(vm, keys);
            strbuf_free(&b);
            repr_leave(vm, self);
            return NULL;
        }
        if (i) strbuf_append(&b, ", ", 2);
        strbuf_append_str(&b, r);
        DECREF(vm, r);
    }
    DECREF(vm, keys);
    strbuf_append_char(&b, '}');
    if (!plain_set) strbuf_append_char(&b, ')');
    repr_leave(vm, self);
    return strbuf_finish(vm, &b);
}

static uint64_t shuffle_bits(uint64_t h) { return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL; }

static Hash frozenset_hash(Vm *vm, Object *self)
{
    SetObject *so = SET(self);
    if (so->hash != -1) return so->hash;
    uint64_t hash = 0;
    for (size_t i = 0; i <= so->mask; i++) hash ^= shuffle_bits((uint64_t)so->table[i].hash);
    if ((so->mask + 1 - so->fill) & 1) hash ^= shuffle_bits(0);
    if ((so->fill - so->used) & 1) hash ^= shuffle_bits((uint64_t)-1);
    hash ^= ((uint64_t)so->used + 1) * 1927868237UL;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069U + 907133923UL;
    if (hash == (uint64_t)-1) hash = 590923713UL;
    so->hash = (Hash)hash;
    return so->hash;
}

static Object *set_richcompare(Vm *vm, Object *a, Object *b, int op)
{
    if (!ANYSET_CHECK(a) || !ANYSET_CHECK(b)) return NEWREF(vm->not_implemented);
    SetObject *v = SET(a), *w = SET(b);
    int r;
    switch (op) {
    case CMP_EQ:
    case CMP_NE:
        if (v->used != w->used) r = 0;
        else if (v->hash != -1 && w->hash != -1 && v->hash != w->hash) r = 0;
        else r = set_issubset_internal(vm, v, w);
        if (r < 0) return NULL;
        return bool_from(vm, op == CMP_EQ ? r : !r);
    case CMP_LE: r = set_issubset_internal(vm, v, w); break;
    case CMP_GE: r = set_issubset_internal(vm, w, v); break;
    case CMP_LT: r = v->used < w->used ? set_issubset_internal(vm, v, w) : 0; break;
    default: r = v->used > w->used ? set_issubset_internal(vm, w, v) : 0; break;
    }
    if (r < 0) return NULL;
    return bool_from(vm, r);
}

static Object *set_binop(Vm *vm, Object *a, Object *b, int op)
{
    bool inplace = op >= BINOP_INPLACE;
    int base = inplace ? op - BINOP_INPLACE : op;
    if (base != BINOP_OR && base != BINOP_AND && base != BINOP_SUB && base != BINOP_XOR)
        return NEWREF(vm->not_implemented);
    if (!ANYSET_CHECK(a) || !ANYSET_CHECK(b)) return NEWREF(vm->not_implemented);
    SetObject *so = SET(a);
    if (inplace && !FROZEN(a)) {
        int rc;
        switch (base) {
        case BINOP_OR: rc = set_update_internal(vm, so, b); break;
        case BINOP_SUB: rc = set_difference_update_internal(vm, so, b); break;
        case BINOP_XOR: rc = set_symmetric_difference_update_internal(vm, so, b); break;
        default: {
            Object *tmp = set_intersection(vm, so, b);
            if (!tmp) return NULL;
            set_clear_internal(vm, so);
            rc = set_merge(vm, so, SET(tmp));
            DECREF(vm, tmp);
        }
        }
        if (rc < 0) return NULL;
        return NEWREF(a);
    }
    switch (base) {
    case BINOP_OR: {
        Object *r = set_copy(vm, a);
        if (r && set_update_internal(vm, SET(r), b) < 0) {
            DECREF(vm, r);
            return NULL;
        }
        return r;
    }
    case BINOP_AND: return set_intersection(vm, so, b);
    case BINOP_SUB: return set_difference(vm, so, b);
    default: return set_symmetric_difference(vm, so, b);
    }
}

static int64_t set_len(Vm *vm, Object *self) { return (int64_t)SET(self)->used; }
static int set_is_true(Vm *vm, Object *self) { return SET(self)->used != 0; }
static int set_tp_contains(Vm *vm, Object *self, Object *item) { return set_contains_key(vm, SET(self), item); }

static size_t set_sizeof(Vm *vm, Object *self)
{
    SetObject *so = SET(self);
    size_t size = SetType.modelled_size;
    if (so->table != so->smalltable) size += (so->mask + 1) * 16;
    return size;
}

static Object *set_tp_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (type == &SetType && args_nkw(kwnames)) {
        err_format(vm, &TypeErrorType, "set() takes no keyword arguments");
        return NULL;
    }
    return set_alloc(vm, type);
}

static int set_init(Vm *vm, Object *self, Object **args, size_t nargs, Object *kwnames)
{
    if (TYPE(self) == &SetType && args_nkw(kwnames)) {
        err_format(vm, &TypeErrorType, "set() takes no keyword arguments");
        return -1;
    }
    if (args_check(vm, "set", nargs, NULL, 0, 1) < 0) return -1;
    if (SET(self)->fill) set_clear_internal(vm, SET(self));
    if (nargs == 0) return 0;
    return set_update_internal(vm, SET(self), args[0]);
}

static Object *frozenset_tp_new(Vm *vm, Type *type, Object **args, size_t nargs, Object *kwnames)
{
    if (type == &FrozenSetType && args_nkw(kwnames)) {
        err_format(vm, &TypeErrorType, "frozenset() takes no keyword arguments");
        return NULL;
    }
    if (args_check(vm, "frozenset", nargs, NULL, 0, 1) < 0) return NULL;
    if (type == &FrozenSetType && nargs && TYPE(args[0]) == &FrozenSetType) return NEWREF(args[0]);
    return make_new_set(vm, type, nargs ? args[0] : NULL);
}

/* ---- methods ---- */

#define CHECK(name, lo, hi) if (args_check(vm, name, nargs, kw, lo, hi) < 0) return NULL

static Object *m_add(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("set.add", 1, 1);
    if (set_add_key(vm, SET(self), args[0]) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_discard(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("set.discard", 1, 1);
    if (set_discard_key(vm, SET(self), args[0]) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_remove(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("set.remove", 1, 1);
    int rc = set_discard_key(vm, SET(self), args[0]);
    if (rc < 0) return NULL;
    if (rc == DISCARD_NOTFOUND) {
        err_set(vm, &KeyErrorType, args[0]);
        return NULL;
    }
    RETURN_NONE(vm);
}

static Object *m_pop(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("set.pop", 0, 0);
    SetObject *so = SET(self);
    if (so->used == 0) {
        Object *msg = str_from_cstr(vm, "pop from an empty set");
        if (msg) {
            err_set(vm, &KeyErrorType, msg);
            DECREF(vm, msg);
        }
        return NULL;
    }
    SetEntry *entry = so->table + (so->finger & so->mask);
    SetEntry *limit = so->table + so->mask;
    while (entry->key == NULL || entry->key == DUMMY) {
        entry++;
        if (entry > limit) entry = so->table;
    }
    Object *key = entry->key;
    entry->key = DUMMY;
    entry->hash = -1;
    so->used--;
    so->finger = (size_t)(entry - so->table) + 1;
    EV(vm, mutate, self);
    return key;
}

static Object *m_clear(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("set.clear", 0, 0);
    set_clear_internal(vm, SET(self));
    RETURN_NONE(vm);
}

static Object *m_copy(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK(FROZEN(self) ? "frozenset.copy" : "set.copy", 0, 0);
    if (TYPE(self) == &FrozenSetType) return NEWREF(self);
    return set_copy(vm, self);
}

static Object *m_union(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "union", 0, kw, 0, 0) < 0) return NULL;
    Object *r = set_copy(vm, self);
    for (size_t i = 0; r && i < nargs; i++) {
        if (set_update_internal(vm, SET(r), args[i]) < 0) {
            DECREF(vm, r);
            r = NULL;
        }
    }
    return r;
}

static Object *m_update(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "update", 0, kw, 0, 0) < 0) return NULL;
    for (size_t i = 0; i < nargs; i++)
        if (set_update_internal(vm, SET(self), args[i]) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_intersection(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "intersection", 0, kw, 0, 0) < 0) return NULL;
    if (nargs == 0) return set_copy(vm, self);
    Object *result = NEWREF(self);
    for (size_t i = 0; i < nargs; i++) {
        Object *next = set_intersection(vm, SET(result), args[i]);
        DECREF(vm, result);
        if (!next) return NULL;
        result = next;
    }
    return result;
}

static Object *m_intersection_update(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    Object *tmp = m_intersection(vm, self, args, nargs, kw);
    if (!tmp) return NULL;
    if (tmp != self) {
        set_clear_internal(vm, SET(self));
        int rc = set_merge(vm, SET(self), SET(tmp));
        DECREF(vm, tmp);
        if (rc < 0) return NULL;
    } else {
        DECREF(vm, tmp);
    }
    RETURN_NONE(vm);
}

static Object *m_difference(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "difference", 0, kw, 0, 0) < 0) return NULL;
    if (nargs == 0) return set_copy(vm, self);
    Object *result = set_difference(vm, SET(self), args[0]);
    for (size_t i = 1; result && i < nargs; i++) {
        if (set_difference_update_internal(vm, SET(result), args[i]) < 0) {
            DECREF(vm, result);
            result = NULL;
        }
    }
    return result;
}

static Object *m_difference_update(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    if (args_check(vm, "difference_update", 0, kw, 0, 0) < 0) return NULL;
    for (size_t i = 0; i < nargs; i++)
        if (set_difference_update_internal(vm, SET(self), args[i]) < 0) return NULL;
    RETURN_NONE(vm);
}

static Object *m_symmetric_difference(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK(FROZEN(self) ? "frozenset.symmetric_difference" : "set.symmetric_difference", 1, 1);
    return set_symmetric_difference(vm, SET(self), args[0]);
}

static Object *m_symmetric_difference_update(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("set.symmetric_difference_update", 1, 1);
    if (set_symmetric_difference_update_internal(vm, SET(self), args[0]) < 0) return NULL;
    RETURN_NONE(vm);
}

/* Runs [fn] with [other] as a set (converting other iterables first). */
static int with_set(Vm *vm, Object *other, Object **out)
{
    if (ANYSET_CHECK(other)) {
        *out = NEWREF(other);
        return 0;
    }
    *out = make_new_set(vm, &SetType, other);
    return *out ? 0 : -1;
}

static Object *m_issubset(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK(FROZEN(self) ? "frozenset.issubset" : "set.issubset", 1, 1);
    Object *other;
    if (with_set(vm, args[0], &other) < 0) return NULL;
    int r = set_issubset_internal(vm, SET(self), SET(other));
    DECREF(vm, other);
    return r < 0 ? NULL : bool_from(vm, r);
}

static Object *m_issuperset(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK(FROZEN(self) ? "frozenset.issuperset" : "set.issuperset", 1, 1);
    if (ANYSET_CHECK(args[0])) {
        int r = set_issubset_internal(vm, SET(args[0]), SET(self));
        return r < 0 ? NULL : bool_from(vm, r);
    }
    Object *it = obj_iter(vm, args[0]);
    if (!it) return NULL;
    Object *key;
    int r = 1;
    while (r == 1 && (key = obj_next(vm, it))) {
        r = set_contains_key(vm, SET(self), key);
        DECREF(vm, key);
    }
    DECREF(vm, it);
    if (r < 0 || vm->exc) return NULL;
    return bool_from(vm, r);
}

static Object *m_isdisjoint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK(FROZEN(self) ? "frozenset.isdisjoint" : "set.isdisjoint", 1, 1);
    Object *other = args[0];
    if (ANYSET_CHECK(other)) {
        SetObject *a = SET(self), *b = SET(other);
        if (a->used > b->used) {
            SetObject *t = a;
            a = b;
            b = t;
        }
        size_t pos = 0;
        SetEntry *e;
        while (set_next_entry(a, &pos, &e)) {
            Object *key = NEWREF(e->key);
            int rc = set_contains_entry(vm, b, key, e->hash);
            DECREF(vm, key);
            if (rc < 0) return NULL;
            if (rc) return bool_from(vm, 0);
        }
        return bool_from(vm, 1);
    }
    Object *it = obj_iter(vm, other);
    if (!it) return NULL;
    Object *key;
    int found = 0;
    while (!found && (key = obj_next(vm, it))) {
        found = set_contains_key(vm, SET(self), key);
        DECREF(vm, key);
    }
    DECREF(vm, it);
    if (found < 0 || vm->exc) return NULL;
    return bool_from(vm, !found);
}

static Object *m_contains(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("set.__contains__", 1, 1);
    int rc = set_contains_key(vm, SET(self), args[0]);
    return rc < 0 ? NULL : bool_from(vm, rc);
}

static Object *m_sizeof(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    CHECK("set.__sizeof__", 0, 0);
    return int_from_i64(vm, (int64_t)set_sizeof(vm, self) - 16);
}

/* ---- iterator ---- */

typedef struct {
    Object ob;
    Object *set;   /* NULL once exhausted */
    size_t used;   /* the set's size when iteration started */
    size_t pos;
    size_t len;
} SetIterObject;

static Object *set_iter(Vm *vm, Object *self)
{
    SetIterObject *it = (SetIterObject *)obj_alloc(vm, &SetIterType, sizeof(SetIterObject));
    if (!it) return NULL;
    it->set = NEWREF(self);
    it->used = SET(self)->used;
    it->len = it->used;
    gc_track(vm, (Object *)it);
    return (Object *)it;
}

static Object *setiter_next(Vm *vm, Object *self)
{
    SetIterObject *it = (SetIterObject *)self;
    if (!it->set) return NULL;
    SetObject *so = SET(it->set);
    if (it->used != so->used) {
        it->used = (size_t)-1;
        err_format(vm, &RuntimeErrorType, "Set changed size during iteration");
        return NULL;
    }
    SetEntry *e;
    if (!set_next_entry(so, &it->pos, &e)) {
        Object *s = it->set;
        it->set = NULL;
        DECREF(vm, s);
        return NULL;
    }
    it->len--;
    return NEWREF(e->key);
}

static void setiter_dealloc(Vm *vm, Object *self)
{
    XDECREF(vm, ((SetIterObject *)self)->set);
    obj_free(vm, self);
}

static int setiter_traverse(Vm *vm, Object *self, VisitFn visit, void *arg)
{
    Object *s = ((SetIterObject *)self)->set;
    return s ? visit(vm, s, arg) : 0;
}

static void setiter_clear(Vm *vm, Object *self) { SETREF(vm, ((SetIterObject *)self)->set, NULL); }

static Object *iter_self(Vm *vm, Object *self) { return NEWREF(self); }

static Object *setiter_length_hint(Vm *vm, Object *self, Object **args, size_t nargs, Object *kw)
{
    SetIterObject *it = (SetIterObject *)self;
    int64_t n = it->set && it->used == SET(it->set)->used ? (int64_t)it->len : 0;
    return int_from_i64(vm, n);
}

/* ---- method tables ---- */

static const MethodDef set_methods[] = {
    {"add", m_add, METH_INSTANCE},
    {"discard", m_discard, METH_INSTANCE},
    {"remove", m_remove, METH_INSTANCE},
    {"pop", m_pop, METH_INSTANCE},
    {"clear", m_clear, METH_INSTANCE},
    {"copy", m_copy, METH_INSTANCE},
    {"union", m_union, METH_INSTANCE},
    {"update", m_update, METH_INSTANCE},
    {"intersection", m_intersection, METH_INSTANCE},
    {"intersection_update", m_intersection_update, METH_INSTANCE},
    {"difference", m_difference, METH_INSTANCE},
    {"difference_update", m_difference_update, METH_INSTANCE},
    {"symmetric_difference", m_symmetric_difference, METH_INSTANCE},
    {"symmetric_difference_update", m_symmetric_difference_update, METH_INSTANCE},
    {"issubset", m_issubset, METH_INSTANCE},
    {"issuperset", m_issuperset, METH_INSTANCE},
    {"isdisjoint", m_isdisjoint, METH_INSTANCE},
    {"__contains__", m_contains, METH_INSTANCE},
    {"__sizeof__", m_sizeof, METH_INSTANCE},
    {NULL}
};

static const MethodDef frozenset_methods[] = {
    {"copy", m_copy, METH_INSTANCE},
    {"union", m_union, METH_INSTANCE},
    {"intersection", m_intersection, METH_INSTANCE},
    {"difference", m_difference, METH_INSTANCE},
    {"symmetric_difference", m_symmetric_difference, METH_INSTANCE},
    {"issubset", m_issubset, METH_INSTANCE},
    {"issuperset", m_issuperset, METH_INSTANCE},
    {"isdisjoint", m_isdisjoint, METH_INSTANCE},
    {"__contains__", m_contains, METH_INSTANCE},
    {"__sizeof__", m_sizeof, METH_INSTANCE},
    {NULL}
};

static const MethodDef setiter_methods[] = {
    {"__length_hint__", setiter_length_hint, METH_INSTANCE},
    {NULL}
};

Type SetType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "set",
    .basicsize = sizeof(SetObject),
    .modelled_size = 216,
    .tflags = TP_GC | TP_BASETYPE,
    .base = &ObjectType,
    .methods = set_methods,
    .dealloc = set_dealloc,
    .traverse = set_traverse,
    .clear = set_gc_clear,
    .repr = set_repr,
    .richcompare = set_richcompare,
    .binop = set_binop,
    .is_true = set_is_true,
    .len = set_len,
    .contains = set_tp_contains,
    .iter = set_iter,
    .new_ = set_tp_new,
    .init = set_init,
    .sizeof_ = set_sizeof,
    .weaklist_offset = offsetof(SetObject, weaklist),
};

Type FrozenSetType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "frozenset",
    .basicsize = sizeof(SetObject),
    .modelled_size = 216,
    .tflags = TP_GC | TP_BASETYPE,
    .base = &ObjectType,
    .methods = frozenset_methods,
    .dealloc = set_dealloc,
    .traverse = set_traverse,
    .clear = set_gc_clear,
    .repr = set_repr,
    .hash = frozenset_hash,
    .richcompare = set_richcompare,
    .binop = set_binop,
    .is_true = set_is_true,
    .len = set_len,
    .contains = set_tp_contains,
    .iter = set_iter,
    .new_ = frozenset_tp_new,
    .sizeof_ = set_sizeof,
    .weaklist_offset = offsetof(SetObject, weaklist),
};

Type SetIterType = {
    .ob = {.refcnt = 1, .type = &TypeType, .flags = OF_STATIC | OF_IMMORTAL},
    .name = "set_iterator",
    .basicsize = sizeof(SetIterObject),
    .modelled_size = 64,
    .tflags = TP_GC,
    .base = &ObjectType,
    .methods = setiter_methods,
    .dealloc = setiter_dealloc,
    .traverse = setiter_traverse,
    .clear = setiter_clear,
    .iter = iter_self,
    .iternext = setiter_next,
};
