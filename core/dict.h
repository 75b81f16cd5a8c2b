/* dict.h — the insertion-ordered hash table type dict, its views and iterators
 * (dict.c), laid out as CPython 3.11's compact dict so sys.getsizeof matches. */
#ifndef PYFRAMES_DICT_H
#define PYFRAMES_DICT_H

#include "object.h"

/* One entry of the ordered entry array; [key] NULL marks a deleted entry. In a table
 * whose keys are all exact str ([unicode], as CPython's DICT_KEYS_UNICODE) entries
 * are only [key] and [value] (16 bytes): the hash is the str's own cached hash. */
typedef struct {
    Object *key;
    Object *value;
    Hash hash;
} DictEntry;

/* A dict. The index table has 2**[log2_size] slots (0 when the dict shares the empty
 * table: no allocation) mapping to positions in [entries]; as in CPython, the index
 * slots are 1, 2 or 4 bytes wide by table size and live in the same block, just before
 * [entries]. [nentries] entries have been used (live or deleted), [usable] more fit
 * before a resize. [unicode] is true while every key is an exact str (CPython's
 * smaller entries, for getsizeof). [version] changes on every mutation (iterators
 * and lookups detect changes). */
typedef struct {
    Object ob;
    uint32_t used;
    uint32_t nentries;
    uint32_t usable : 26;    /* tables stop at 2**25 slots (MemoryError beyond) */
    uint32_t log2_size : 5;
    uint32_t unicode : 1;
    uint32_t version;
    void *entries;
} DictObject;

/* Reads entry [i] (< nentries) of dict [d]: false if it was deleted, else its key
 * (borrowed) and hash. */
bool dict_entry_at(Object *d, size_t i, Object **key, Hash *hash);
/* Returns a new empty dict. */
Object *dict_new(Vm *vm);
/* The same, with its first (mini, str-keyed) table in the dict's own block: one
 * allocation instead of two for a plain instance's attribute dict (gc_instance_dict),
 * as CPython 3.11 stores those attributes with the instance. */
Object *dict_new_embedded(Vm *vm);
/* Returns a new empty dict sized for [n] items (as _PyDict_NewPresized). */
Object *dict_new_presized(Vm *vm, size_t n);
/* Returns the value for [key] (BORROWED) or NULL; vm->exc is set only if hashing or
 * comparing failed. */
Object *dict_get(Vm *vm, Object *d, Object *key);
/* dict_get and dict_set with a position hint (the VM's per-instruction name caches):
 * *[hint] is an entry index from an earlier call, used when that entry still holds the
 * very same [key] object, else the key is looked up and *[hint] updated. Any value is
 * safe. */
Object *dict_get_hint(Vm *vm, Object *d, Object *key, uint32_t *hint);
int dict_set_hint(Vm *vm, Object *d, Object *key, Object *value, uint32_t *hint);
/* Bytes of one entry: in a str-keys-only table ([unicode]) the key and the value (no
 * stored hash: CPython's smaller entries), else a whole DictEntry. */
static ALWAYS_INLINE size_t dict_entry_size(bool unicode)
{
    return unicode ? 2 * sizeof(Object *) : sizeof(DictEntry);
}
/* The hint check of both, inline in the VM's hottest name opcodes: the live entry at
 * [hint] if it holds [key] itself, else NULL. */
static ALWAYS_INLINE DictEntry *dict_hinted_entry(DictObject *d, Object *key, uint32_t hint)
{
    if (hint >= d->nentries) return NULL;
    DictEntry *e = (DictEntry *)((char *)d->entries + hint * dict_entry_size(d->unicode));
    return e->key == key ? e : NULL;
}
/* Like dict_get with a precomputed hash. */
Object *dict_get_hash(Vm *vm, Object *d, Object *key, Hash hash);
/* Returns the value for the str key [key] (BORROWED) or NULL (no exception). */
Object *dict_get_str(Vm *vm, Object *d, const char *key);
/* Stores [value] under [key] (neither stolen); -1 on error. */
int dict_set(Vm *vm, Object *d, Object *key, Object *value);
/* Stores [value] under an interned str made from [key]. */
int dict_set_str(Vm *vm, Object *d, const char *key, Object *value);
/* Removes [key]; -1 with KeyError if missing. */
int dict_del(Vm *vm, Object *d, Object *key);
/* Removes [key] if present: 1 removed, 0 absent, -1 error. */
int dict_discard(Vm *vm, Object *d, Object *key);
/* 1 if [key] is in [d], 0 if not, -1 on error. */
int dict_contains(Vm *vm, Object *d, Object *key);
/* Number of items. */
size_t dict_size(Object *d);
/* Walks the items in insertion order: start with *pos = 0; returns false at the end.
 * [key]/[value] receive borrowed references (either may be NULL). */
bool dict_next(Object *d, size_t *pos, Object **key, Object **value);
/* Removes every item. */
void dict_clear(Vm *vm, Object *d);
/* Returns a shallow copy (new reference). */
Object *dict_copy(Vm *vm, Object *d);
/* Merges [other] (a dict or a mapping with keys(), or an iterable of pairs) into [d]
 * as dict.update; -1 on error. */
int dict_update(Vm *vm, Object *d, Object *other);
/* Returns new lists of the keys / values / (key, value) tuples. */
Object *dict_keys_list(Vm *vm, Object *d);
Object *dict_values_list(Vm *vm, Object *d);
Object *dict_items_list(Vm *vm, Object *d);

#endif
