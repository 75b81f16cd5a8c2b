/* set.h — set and frozenset (set.c), with CPython 3.11's open-addressing table
 * (linear probes then perturbation) so iteration order matches python3. */
#ifndef PYFRAMES_SET_H
#define PYFRAMES_SET_H

#include "object.h"

#define SET_MINSIZE 8

/* One slot of the table: key NULL = never used; key == the dummy marker = deleted. */
typedef struct {
    Object *key;
    Hash hash;
} SetEntry;

/* A set or frozenset. [fill] counts active + dummy slots, [used] active ones; the
 * table has [mask] + 1 slots and is [smalltable] while small. [hash] caches a
 * frozenset's hash (-1 = not computed); [finger] is where pop() searches next. */
typedef struct {
    Object ob;
    size_t fill, used, mask;
    SetEntry *table;
    Hash hash;
    size_t finger;
    SetEntry smalltable[SET_MINSIZE];
    Object *weaklist;
} SetObject;

/* Returns a new empty set. */
Object *set_new(Vm *vm);
/* Returns a new empty frozenset. */
Object *frozenset_new(Vm *vm);
/* Returns a new set (or frozenset when [frozen]) with the items of [iterable] (may be NULL). */
Object *set_from_iterable(Vm *vm, Object *iterable, bool frozen);
/* Adds [item] (not stolen); -1 on error (unhashable). */
int set_add(Vm *vm, Object *s, Object *item);
/* 1 if [item] is in [s], 0 if not, -1 on error. */
int set_contains(Vm *vm, Object *s, Object *item);
/* Removes [item] if present: 1 removed, 0 absent, -1 error. */
int set_discard(Vm *vm, Object *s, Object *item);
/* Adds every item of [iterable]; -1 on error. */
int set_update(Vm *vm, Object *s, Object *iterable);
/* Number of items. */
size_t set_size(Object *s);
/* Walks the items in table order: start with *pos = 0; [key] borrowed. */
bool set_next(Object *s, size_t *pos, Object **key);

#endif
