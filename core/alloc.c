/* alloc.c — the pymalloc-style small-object allocator and its statistics.
 *
 * Arenas are 256 KiB blocks aligned to their size, so the arena holding an address is
 * found by masking it and looking the base up in a small hash set; pools are 4 KiB,
 * aligned, with a header at their start. Large blocks carry a header linking them into
 * one list so teardown can release them all. See alloc.h for the shape.
 */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define ALLOC_SYSTEM_ONLY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ALLOC_SYSTEM_ONLY 1
#endif
#endif
#ifndef ALLOC_SYSTEM_ONLY
#define ALLOC_SYSTEM_ONLY 0
#endif

_Static_assert(sizeof(Pool) <= ALLOC_POOL_OVERHEAD, "pool header too large");

/* One 256 KiB arena. [pool_address] is the next pool never carved; freepools holds
 * carved pools that emptied. Arenas with a free pool are in the usable list. */
struct Arena {
    char *base;
    unsigned nfreepools;      /* empty + never carved pools */
    Pool *freepools;
    char *pool_address;
    Arena *next, *prev;       /* every arena */
    Arena *next_usable, *prev_usable;
    bool usable;
};

/* Large blocks: a header before the caller's bytes, kept 16-byte aligned. */
typedef struct LargeHdr {
    struct LargeHdr *next, *prev;
    size_t size;
    size_t kind;
} LargeHdr;
#define LARGE_HDR (((sizeof(LargeHdr) + 15) / 16) * 16)

#define TOMBSTONE ((Arena *)1)

/* ---- the arena hash set ---- */

static size_t hash_base(const char *base, size_t cap) {
    uintptr_t h = (uintptr_t)base / ALLOC_ARENA_SIZE;
    return (size_t)(h * 2654435761u) & (cap - 1);
}

static Arena *table_probe(AllocState *a, const char *base) {
    if (a->table_cap == 0) return NULL;
    for (size_t i = hash_base(base, a->table_cap);; i = (i + 1) & (a->table_cap - 1)) {
        Arena *e = a->table[i];
        if (e == NULL) return NULL;
        if (e != TOMBSTONE && e->base == base) {
            a->last_base = (uintptr_t)base;
            return a->last_found = e;
        }
    }
}

/* The arena holding [p], or NULL (a large block): most frees hit the last one found. */
static inline __attribute__((always_inline)) Arena *table_find(AllocState *a, const void *p) {
    const char *base = (const char *)((uintptr_t)p & ~(uintptr_t)(ALLOC_ARENA_SIZE - 1));
    if ((uintptr_t)base == a->last_base) return a->last_found;
    return table_probe(a, base);
}

static void table_put_raw(Arena **table, size_t cap, Arena *ar) {
    size_t i = hash_base(ar->base, cap);
    while (table[i] != NULL && table[i] != TOMBSTONE) i = (i + 1) & (cap - 1);
    table[i] = ar;
}

static bool table_grow(AllocState *a) {
    size_t cap = a->table_cap ? a->table_cap * 2 : 64;
    while (cap < (a->stats.arenas_current + 1) * 4) cap *= 2;
    Arena **t = calloc(cap, sizeof *t);
    if (!t) return false;
    for (Arena *ar = a->arenas; ar; ar = ar->next) table_put_raw(t, cap, ar);
    free(a->table);
    a->table = t;
    a->table_cap = cap;
    a->table_used = a->stats.arenas_current;
    return true;
}

static bool table_add(AllocState *a, Arena *ar) {
    if ((a->table_used + 1) * 2 > a->table_cap && !table_grow(a)) return false;
    table_put_raw(a->table, a->table_cap, ar);
    a->table_used++;
    return true;
}

static void table_remove(AllocState *a, Arena *ar) {
    for (size_t i = hash_base(ar->base, a->table_cap);; i = (i + 1) & (a->table_cap - 1)) {
        if (a->table[i] == ar) { a->table[i] = TOMBSTONE; return; }
    }
}

/* ---- arenas ---- */

static void usable_link(AllocState *a, Arena *ar) {
    ar->usable = true;
    ar->prev_usable = NULL;
    ar->next_usable = a->usable;
    if (a->usable) a->usable->prev_usable = ar;
    a->usable = ar;
}

static void usable_unlink(AllocState *a, Arena *ar) {
    ar->usable = false;
    if (ar->prev_usable) ar->prev_usable->next_usable = ar->next_usable;
    else a->usable = ar->next_usable;
    if (ar->next_usable) ar->next_usable->prev_usable = ar->prev_usable;
}

static Arena *arena_new(AllocState *a) {
    Arena *ar = calloc(1, sizeof *ar);
    if (!ar) return NULL;
    ar->base = aligned_alloc(ALLOC_ARENA_SIZE, ALLOC_ARENA_SIZE);
    if (!ar->base) { free(ar); return NULL; }
    ar->nfreepools = ALLOC_POOLS_PER_ARENA;
    ar->pool_address = ar->base;
    ar->next = a->arenas;
    if (a->arenas) a->arenas->prev = ar;
    a->arenas = ar;
    a->stats.arenas_current++;
    if (!table_add(a, ar)) {
        a->arenas = ar->next;
        if (a->arenas) a->arenas->prev = NULL;
        a->stats.arenas_current--;
        free(ar->base);
        free(ar);
        return NULL;
    }
    a->stats.arenas_allocated++;
    if (a->stats.arenas_current > a->stats.arenas_highwater)
        a->stats.arenas_highwater = a->stats.arenas_current;
    a->stats.pools_empty += ALLOC_POOLS_PER_ARENA;
    usable_link(a, ar);
    return ar;
}

static void arena_free(AllocState *a, Arena *ar) {
    if (a->last_found == ar) {
        a->last_found = NULL;
        a->last_base = 1;
    }
    if (ar->usable) usable_unlink(a, ar);
    table_remove(a, ar);
    if (ar->prev) ar->prev->next = ar->next;
    else a->arenas = ar->next;
    if (ar->next) ar->next->prev = ar->prev;
    a->stats.arenas_current--;
    a->stats.arenas_freed++;
    a->stats.pools_empty -= ALLOC_POOLS_PER_ARENA;
    free(ar->base);
    free(ar);
}

/* Picks the usable arena with the fewest free pools, as pymalloc does, so that the
 * emptiest arenas get a chance to drain and be given back. */
static Arena *arena_for_pool(AllocState *a) {
    Arena *best = NULL;
    for (Arena *ar = a->usable; ar; ar = ar->next_usable)
        if (!best || ar->nfreepools < best->nfreepools) best = ar;
    return best ? best : arena_new(a);
}

/* ---- pools ---- */

static void pool_link(AllocState *a, Pool *p) {
    Pool **head = &a->usedpools[p->kind][p->szidx];
    p->prevpool = NULL;
    p->nextpool = *head;
    if (*head) (*head)->prevpool = p;
    *head = p;
}

static void pool_unlink(AllocState *a, Pool *p) {
    if (p->prevpool) p->prevpool->nextpool = p->nextpool;
    else a->usedpools[p->kind][p->szidx] = p->nextpool;
    if (p->nextpool) p->nextpool->prevpool = p->prevpool;
    p->nextpool = p->prevpool = NULL;
}

static Pool *pool_new(AllocState *a, unsigned szidx, int kind) {
    Arena *ar = arena_for_pool(a);
    if (!ar) return NULL;
    Pool *p;
    if (ar->freepools) {
        p = ar->freepools;
        ar->freepools = p->nextpool;
    } else {
        p = (Pool *)ar->pool_address;
        ar->pool_address += ALLOC_POOL_SIZE;
    }
    if (--ar->nfreepools == 0) usable_unlink(a, ar);
    size_t size = (szidx + 1) * ALLOC_ALIGN;
    *p = (Pool){ .szidx = (uint16_t)szidx, .kind = (uint16_t)kind, .arena = ar,
                 .nextoffset = (uint16_t)(ALLOC_POOL_OVERHEAD + size),
                 .maxnextoffset = (uint16_t)(ALLOC_POOL_SIZE - size),
                 .freeblock = (char *)p + ALLOC_POOL_OVERHEAD };
    *(void **)p->freeblock = NULL;
    pool_link(a, p);
    a->stats.pools[szidx]++;
    a->stats.pools_current++;
    a->stats.pools_empty--;
    return p;
}

/* An emptied pool goes back to its arena; an arena whose pools are all free goes back
 * to the system. */
static void pool_retire(AllocState *a, Pool *p) {
    Arena *ar = p->arena;
    pool_unlink(a, p);
    a->stats.pools[p->szidx]--;
    a->stats.pools_current--;
    a->stats.pools_empty++;
    p->nextpool = ar->freepools;
    ar->freepools = p;
    ar->nfreepools++;
    if (ar->nfreepools == ALLOC_POOLS_PER_ARENA) arena_free(a, ar);
    else if (!ar->usable) usable_link(a, ar);
}

static void *small_alloc(AllocState *a, size_t size, int kind) {
    unsigned szidx = (unsigned)((size - 1) / ALLOC_ALIGN);
    void *bp = alloc_small_fast(a, szidx, kind);
    if (bp) return bp;
    return pool_new(a, szidx, kind) ? alloc_small_fast(a, szidx, kind) : NULL;
}

/* The pool's free list ran out: the next never-used block goes on it, or the pool is
 * full and leaves usedpools. */
void alloc_pool_refill(AllocState *a, Pool *p) {
    if (p->nextoffset > p->maxnextoffset) {
        pool_unlink(a, p);
        return;
    }
    p->freeblock = (char *)p + p->nextoffset;
    *(void **)p->freeblock = NULL;
    p->nextoffset = (uint16_t)(p->nextoffset + (p->szidx + 1) * ALLOC_ALIGN);
}

void alloc_pool_slow_free(AllocState *a, Pool *p, bool was_full) {
    if (was_full) pool_link(a, p); /* pool_retire unlinks it */
    if (p->ref == 0) pool_retire(a, p);
}

/* ---- large blocks ---- */

static void *large_alloc(AllocState *a, size_t size, int kind) {
    if (size > SIZE_MAX - LARGE_HDR) return NULL;
    LargeHdr *h = malloc(LARGE_HDR + size);
    if (!h) return NULL;
    h->size = size;
    h->kind = (size_t)kind;
    h->prev = NULL;
    h->next = a->large;
    if (a->large) a->large->prev = h;
    a->large = h;
    a->stats.large_count++;
    a->stats.large_bytes += size;
    return (char *)h + LARGE_HDR;
}

static LargeHdr *large_hdr(void *p) { return (LargeHdr *)((char *)p - LARGE_HDR); }

static size_t large_free(AllocState *a, void *p) {
    LargeHdr *h = large_hdr(p);
    size_t size = h->size;
    if (h->prev) h->prev->next = h->next;
    else a->large = h->next;
    if (h->next) h->next->prev = h->prev;
    a->stats.large_count--;
    a->stats.large_bytes -= h->size;
    free(h);
    return size;
}

/* ---- the interface ---- */

AllocState *alloc_new(void) {
    AllocState *a = calloc(1, sizeof(AllocState));
    if (a) a->last_base = 1;
    return a;
}

void alloc_delete(AllocState *a) {
    if (!a) return;
    while (a->arenas) {
        Arena *next = a->arenas->next;
        free(a->arenas->base);
        free(a->arenas);
        a->arenas = next;
    }
    while (a->large) {
        LargeHdr *next = a->large->next;
        free(a->large);
        a->large = next;
    }
    free(a->table);
    free(a);
}

bool alloc_is_system_only(void) { return ALLOC_SYSTEM_ONLY; }

size_t alloc_rounded_size(size_t size) {
    if (ALLOC_SYSTEM_ONLY || size > ALLOC_SMALL_MAX) return 0;
    if (size == 0) size = 1;
    return (size + ALLOC_ALIGN - 1) / ALLOC_ALIGN * ALLOC_ALIGN;
}

void *alloc_block(AllocState *a, size_t size, int kind) {
    if (size == 0) size = 1;
    if (!ALLOC_SYSTEM_ONLY && size <= ALLOC_SMALL_MAX) return small_alloc(a, size, kind);
    return large_alloc(a, size, kind);
}

size_t alloc_release(AllocState *a, void *p) {
    if (!p) return 0;
    if (table_find(a, p)) return alloc_small_release(a, p);
    return large_free(a, p);
}

size_t alloc_block_size(AllocState *a, void *p) {
    if (table_find(a, p)) {
        Pool *pool = (Pool *)((uintptr_t)p & ~(uintptr_t)(ALLOC_POOL_SIZE - 1));
        return (pool->szidx + 1) * ALLOC_ALIGN;
    }
    return large_hdr(p)->size;
}

const AllocStats *alloc_stats(AllocState *a) {
    memset(a->stats.blocks_used, 0, sizeof a->stats.blocks_used);
    a->stats.small_bytes = 0;
    for (Arena *ar = a->arenas; ar; ar = ar->next) {
        for (char *pc = ar->base; pc < ar->pool_address; pc += ALLOC_POOL_SIZE) {
            Pool *p = (Pool *)pc;
            a->stats.blocks_used[p->szidx] += p->ref; /* 0 for a pool in freepools */
            a->stats.small_bytes += (size_t)p->ref * (p->szidx + 1) * ALLOC_ALIGN;
        }
    }
    for (int i = 0; i < ALLOC_NCLASSES; i++) {
        size_t per_pool = (ALLOC_POOL_SIZE - ALLOC_POOL_OVERHEAD) / ((size_t)(i + 1) * ALLOC_ALIGN);
        a->stats.blocks_free[i] = a->stats.pools[i] * per_pool - a->stats.blocks_used[i];
    }
    return &a->stats;
}

/* Walks the blocks of one carved pool, skipping those on its free list. */
static void pool_each_block(Pool *p, void (*fn)(void *, void *), void *arg) {
    size_t size = (p->szidx + 1) * ALLOC_ALIGN;
    unsigned char is_free[ALLOC_POOL_SIZE / ALLOC_ALIGN];
    memset(is_free, 0, sizeof is_free);
    for (void *b = p->freeblock; b; b = *(void **)b)
        is_free[((char *)b - (char *)p) / size] = 1;
    for (size_t off = ALLOC_POOL_OVERHEAD; off < p->nextoffset; off += size)
        if (!is_free[off / size]) fn((char *)p + off, arg);
}

void alloc_each_block(AllocState *a, int kind, void (*fn)(void *block, void *arg), void *arg) {
    for (Arena *ar = a->arenas; ar; ar = ar->next) {
        for (char *pc = ar->base; pc < ar->pool_address; pc += ALLOC_POOL_SIZE) {
            Pool *p = (Pool *)pc;
            if (p->ref > 0 && (int)p->kind == kind) pool_each_block(p, fn, arg);
        }
    }
    for (LargeHdr *h = a->large; h; h = h->next)
        if ((int)h->kind == kind) fn((char *)h + LARGE_HDR, arg);
}
