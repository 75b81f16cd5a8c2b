/* alloc.h — the small-object allocator (alloc.c), modelled on CPython's pymalloc.
 *
 * Requests up to ALLOC_SMALL_MAX bytes are rounded up to a size class (8-byte steps)
 * and served from 4 KiB pools, each pool holding blocks of one size class; pools are
 * carved from 256 KiB arenas taken from the system allocator and given back when they
 * empty, as CPython 3.9+ does. Larger requests go straight to malloc. Object blocks
 * and raw buffers live in separate pools so teardown can enumerate the live objects.
 */
#ifndef PYFRAMES_ALLOC_H
#define PYFRAMES_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ALLOC_ALIGN 8
#define ALLOC_SMALL_MAX 512
#define ALLOC_NCLASSES (ALLOC_SMALL_MAX / ALLOC_ALIGN)
#define ALLOC_POOL_SIZE 4096
#define ALLOC_POOL_OVERHEAD 48
#define ALLOC_ARENA_SIZE (256 * 1024)
#define ALLOC_POOLS_PER_ARENA (ALLOC_ARENA_SIZE / ALLOC_POOL_SIZE)

/* What a block holds: an Object (enumerated at teardown), a raw buffer, or a GcHead
 * followed by an Object (instances of TP_GC types). */
enum { ALLOC_OBJECT, ALLOC_RAW, ALLOC_GC_OBJECT, ALLOC_KINDS };

typedef struct AllocState AllocState;
typedef struct Arena Arena;

/* The header at the start of every pool. Invariant (pymalloc's): a pool with ref > 0
 * and a free block is linked in usedpools of its kind and class, and its [freeblock]
 * list is never empty: taking its last entry moves the next never-used block onto it
 * (alloc_pool_refill), so the inline fast path below always finds a block; a full
 * pool (freeblock NULL) is linked nowhere; an empty pool (ref == 0) is in its arena's
 * freepools list. Visible here for the inline fast paths below (object.c). */
typedef struct Pool {
    uint16_t ref;             /* blocks handed out */
    uint16_t szidx;           /* size class */
    uint16_t kind;            /* ALLOC_OBJECT, ALLOC_RAW or ALLOC_GC_OBJECT */
    uint16_t nextoffset;      /* offset of the next never-used block */
    uint16_t maxnextoffset;   /* largest valid nextoffset */
    void *freeblock;          /* singly linked list of free blocks (NULL: full) */
    struct Pool *nextpool, *prevpool;
    Arena *arena;
} Pool;

/* The allocator's statistics. Per size class i (blocks of (i + 1) * 8 bytes): [pools]
 * assigned to it, [blocks_used] handed out, [blocks_free] still free in those pools;
 * the block counts and small_bytes are computed by alloc_stats (the fast paths do not
 * keep them). */
typedef struct {
    size_t arenas_allocated;  /* arenas ever taken from the system */
    size_t arenas_freed;      /* arenas given back */
    size_t arenas_current;    /* arenas held now */
    size_t arenas_highwater;  /* most arenas held at once */
    size_t pools_current;     /* pools assigned to a size class now */
    size_t pools_empty;       /* pools carved in held arenas but unused */
    size_t pools[ALLOC_NCLASSES];
    size_t blocks_used[ALLOC_NCLASSES];
    size_t blocks_free[ALLOC_NCLASSES];
    size_t large_count;       /* blocks served by malloc (> ALLOC_SMALL_MAX) */
    size_t large_bytes;
    size_t small_bytes;       /* bytes in handed-out small blocks (rounded sizes) */
} AllocStats;

struct LargeHdr;
struct AllocState {
    Pool *usedpools[ALLOC_KINDS][ALLOC_NCLASSES];
    Arena *arenas;            /* every arena held */
    Arena *usable;            /* arenas with at least one free pool */
    Arena **table;            /* hash set of arenas by base address */
    size_t table_cap, table_used; /* used counts tombstones too */
    struct LargeHdr *large;
    Arena *last_found;        /* table_find's last answer (most frees hit one arena) */
    uintptr_t last_base;      /* its base address, or 1 (never an arena's) without one */
    AllocStats stats;
};

/* Creates an allocator; NULL if the system is out of memory. */
AllocState *alloc_new(void);
/* Gives every arena and large block back to the system, then the allocator itself. */
void alloc_delete(AllocState *a);
/* Returns a block of at least [size] bytes (8-byte aligned, not zeroed) of [kind], or
 * NULL if the system allocator failed. */
void *alloc_block(AllocState *a, size_t size, int kind);
/* Returns block [p] (from alloc_block) to its pool, or to the system if large;
 * returns its usable size (as alloc_block_size). */
size_t alloc_release(AllocState *a, void *p);
/* Returns the usable size of block [p]: its size class, or the requested size if large. */
size_t alloc_block_size(AllocState *a, void *p);
/* Returns the size class [size] falls into, as bytes (0 for large requests). */
size_t alloc_rounded_size(size_t size);
/* Returns the statistics, with the block counts and small_bytes brought up to date. */
const AllocStats *alloc_stats(AllocState *a);
/* Calls [fn] on every live block of [kind] (teardown, leak reports). The blocks must
 * not be released while the walk runs. */
void alloc_each_block(AllocState *a, int kind, void (*fn)(void *block, void *arg), void *arg);
/* Reports whether block allocation bypasses the pools (sanitizer builds route every
 * request to malloc so AddressSanitizer sees each block). */
bool alloc_is_system_only(void);

/* ---- inline fast paths (obj_alloc; alloc_release): same effects as alloc_block ---- */

/* Called when the last free block of pool [p] was taken / when a block was returned
 * to [p] and it changes lists. */
void alloc_pool_refill(AllocState *a, Pool *p);
void alloc_pool_slow_free(AllocState *a, Pool *p, bool was_full);

/* alloc_block for a small request of size class [szidx] when a pool of that class is
 * in use; NULL otherwise (the caller then calls alloc_block). */
static inline __attribute__((always_inline)) void *alloc_small_fast(AllocState *a, unsigned szidx, int kind) {
    Pool *p = a->usedpools[kind][szidx];
    if (!p) return NULL;
    void *bp = p->freeblock;
    p->ref++;
    if (!(p->freeblock = *(void **)bp)) alloc_pool_refill(a, p);
    return bp;
}

/* alloc_release for a block known to come from the pools; returns its size. */
static inline __attribute__((always_inline)) size_t alloc_small_release(AllocState *a, void *bp) {
    Pool *p = (Pool *)((uintptr_t)bp & ~(uintptr_t)(ALLOC_POOL_SIZE - 1));
    size_t size = (p->szidx + 1) * ALLOC_ALIGN;
    void *head = p->freeblock;
    *(void **)bp = head;
    p->freeblock = bp;
    if (--p->ref == 0 || !head) alloc_pool_slow_free(a, p, !head);
    return size;
}

#endif
