/*
 * Arena: a bump allocator over a list of chunks.  A model, a diagnostic
 * sink and the wire decoder's scratch space each own one; releasing the
 * arena frees everything allocated from it.
 */
#define _GNU_SOURCE /* mremap */
#include "model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define ARENA_CHUNK (64 * 1024)
#define ARENA_FIRST 1024
#define ARENA_ALIGN (_Alignof(max_align_t))
/*
 * A big arena (a model of 5,000 nodes holds tens of MB) takes its memory
 * in 2 MiB-aligned mappings the kernel may back with huge pages
 * (MADV_HUGEPAGE): one page fault per 2 MiB instead of 512.  Faults of
 * fresh pages were half the CPU of `rrkit lint` on 5,000 nodes.
 */
#define ARENA_HUGE (2u * 1024 * 1024)
#define ARENA_BIG_AT (512u * 1024) /* an arena this big goes huge */

struct rr_arena_chunk {
	struct rr_arena_chunk *next;
	size_t size, used;
	size_t mapped; /* bytes mmap'ed (0: from calloc) */
	max_align_t data[];
};

#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
/*
 * `len` bytes (a multiple of the page) of fresh memory starting on a
 * 2 MiB boundary, advised for huge pages; NULL when the kernel refuses.
 * A huge page backs only a 2 MiB range the mapping covers entirely: see
 * huge_len.
 */
static void *
map_huge(size_t len)
{
	size_t span = len + ARENA_HUGE, lead;
	char *m = mmap(NULL, span, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return NULL;
	lead = (ARENA_HUGE - (uintptr_t)m % ARENA_HUGE) % ARENA_HUGE;
	if (lead)
		munmap(m, lead);
	if (span - lead > len)
		munmap(m + lead + len, span - lead - len);
	(void)madvise(m + lead, len, MADV_HUGEPAGE); /* advice only */
	return m + lead;
}
#endif

/*
 * The mapped length of a huge chunk holding `size` bytes of data: whole
 * 2 MiB pages, unless what passes the last boundary is under 64 KiB (a
 * tail in small pages costs a fault per 4 KiB: from 64 KiB on, one huge
 * page is cheaper in CPU; resident memory grows by less than 2 MiB).
 */
static size_t
huge_len(size_t size)
{
	size_t len = (sizeof(struct rr_arena_chunk) + size + 4095) &
		     ~(size_t)4095;
	if (len % ARENA_HUGE >= ARENA_CHUNK)
		len = (len + ARENA_HUGE - 1) & ~(size_t)(ARENA_HUGE - 1);
	return len;
}

/*
 * A zeroed chunk holding at least `size` bytes of data.  `huge`: from a
 * mapping of whole 2 MiB huge pages (see map_huge); the chunk's size is
 * the whole mapping, so a big vector grows into what rounding left.
 */
static struct rr_arena_chunk *
chunk_new(size_t size, bool huge)
{
	struct rr_arena_chunk *c;

	if (size > SIZE_MAX - sizeof(*c) - 2 * ARENA_HUGE)
		rr_oom();
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
	if (huge) {
		size_t len = huge_len(size);
		c = map_huge(len);
		if (!c)
			rr_oom();
		c->mapped = len;
		c->size = len - sizeof(*c);
		return c;
	}
#else
	(void)huge;
#endif
	c = calloc(1, sizeof(*c) + size);
	if (!c)
		rr_oom();
	c->size = size;
	return c;
}

static void
chunk_free(struct rr_arena_chunk *c)
{
	if (c->mapped)
		munmap(c, c->mapped);
	else
		free(c);
}

/*
 * Process-wide, for a command that reads a big model once and exits
 * (rrkit lint calls it): what malloc hands out comes from one heap kept
 * by the process (glibc: blocks up to 32 MiB from the brk heap, nothing
 * given back to the kernel below 256 MiB) whose first 30 MiB are advised
 * for huge pages, so the tables and arrays of a big run fault once per
 * 2 MiB, not per 4 KiB (a fault of a fresh 4 KiB page cost about 12 us on
 * a VM, a 2 MiB one about 30 times that for 512 times the memory: 4 KiB
 * faults were half of `rrkit lint`'s CPU time on 5,000 nodes), and memory
 * a phase frees is taken again by the next without faults.  The heap is
 * only reserved: untouched, it costs nothing.  Not for sim (its peak grew
 * by 4% with it, its CPU time did not change), nor under
 * AddressSanitizer, which has its own allocator.
 */
void
rr_mem_init(void)
{
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RR_ASAN 1
#endif
#endif
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && !defined(__SANITIZE_ADDRESS__) && !defined(RR_ASAN)
	static bool done;
	uintptr_t b0, b1;
	void *p;

	if (done)
		return;
	done = true;
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	b0 = (uintptr_t)sbrk(0);
	p = malloc(30u * 1024 * 1024); /* grows the heap; freed: its top */
	if (!p)
		return;
	b1 = (uintptr_t)sbrk(0);
	free(p);
	b0 = (b0 + ARENA_HUGE - 1) & ~(uintptr_t)(ARENA_HUGE - 1);
	if (b1 > b0 + ARENA_HUGE)
		(void)madvise((void *)b0,
			      (b1 - b0) & ~(uintptr_t)(ARENA_HUGE - 1),
			      MADV_HUGEPAGE);
#endif
}

void
rr_oom(void)
{
	fputs("rrkit: out of memory\n", stderr);
	exit(RR_EXIT_NOMEM);
}

void
rr_bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "rrkit: BUG: %s:%d: %s\n", file, line, msg);
	abort();
}

void *
rr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		rr_oom();
	return p;
}

void *
rr_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		rr_oom();
	return p;
}

void *
rr_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		rr_oom();
	return q;
}

char *
rr_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = rr_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

void
rr_arena_init(struct rr_arena *a)
{
	a->head = NULL;
	a->used_total = 0;
	a->expect = 0;
}

void
rr_arena_expect(struct rr_arena *a, size_t bytes)
{
	if (bytes > a->expect)
		a->expect = bytes;
}

void
rr_arena_release(struct rr_arena *a)
{
	struct rr_arena_chunk *c = a->head, *next;
	for (; c; c = next) {
		next = c->next;
		chunk_free(c);
	}
	a->head = NULL;
	a->used_total = 0;
}

void
rr_arena_reset(struct rr_arena *a)
{
	struct rr_arena_chunk *c = a->head, *next;

	if (!c)
		return;
	for (next = c->next; next; next = c->next) {
		c->next = next->next;
		chunk_free(next);
	}
	if (c->mapped || (c->used == c->size && c->size > ARENA_CHUNK / 4)) {
		/* a huge chunk or a big block of its own: nothing to keep */
		rr_arena_release(a);
		return;
	}
	memset(c->data, 0, c->used); /* handed out zeroed again */
	c->used = 0;
	a->used_total = 0;
}

/* Put chunk c after the head (a big block: the head keeps taking the
 * small allocations), or first when there is none. */
static void
link_big(struct rr_arena *a, struct rr_arena_chunk *c)
{
	if (a->head) {
		c->next = a->head->next;
		a->head->next = c;
	} else {
		c->next = NULL;
		a->head = c;
	}
}

/*
 * Every chunk comes from calloc or mmap: fresh pages are zero without a
 * memset (the allocator knows), and arena memory is never handed out twice, so
 * an allocation is zero without touching it here.
 */
void *
rr_arena_alloc(struct rr_arena *a, size_t size)
{
	struct rr_arena_chunk *c = a->head;
	size_t need = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	void *p;

	if (need < size)
		rr_oom();
	if (!c || c->size - c->used < need) {
		/* chunks double from ARENA_FIRST to ARENA_CHUNK: an arena
		 * that holds one small thing (a decoded OPEN) clears 1 KiB,
		 * not 64 (calloc clears memory it hands out again) */
		size_t csize = !c ? ARENA_FIRST
		               : c->size < ARENA_CHUNK / 2 ? c->size * 2
		                                           : ARENA_CHUNK;
		while (csize < need && csize < ARENA_CHUNK)
			csize *= 2;
		bool huge = a->used_total + a->expect >= ARENA_BIG_AT ||
			    need >= ARENA_HUGE;

		if (need > ARENA_CHUNK / 4)
			csize = need;
		else if (huge)
			csize = ARENA_HUGE - sizeof(*c);
		c = chunk_new(csize, huge);
		if (need > ARENA_CHUNK / 4) {
			/* a big block: a chunk of its own */
			c->used = need;
			link_big(a, c);
			a->used_total += need;
			return c->data;
		}
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	a->used_total += need;
	return p;
}

void *
rr_arena_calloc(struct rr_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		rr_oom();
	return rr_arena_alloc(a, n * size);
}

char *
rr_arena_strndup(struct rr_arena *a, const char *s, size_t n)
{
	char *p = rr_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
rr_arena_strdup(struct rr_arena *a, const char *s)
{
	return s ? rr_arena_strndup(a, s, strlen(s)) : NULL;
}

char *
rr_arena_vprintf(struct rr_arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		RR_BUG("vsnprintf failed");
	p = rr_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
rr_arena_printf(struct rr_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = rr_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * A big vector lives in a chunk of its own: it grows into the rest of
 * its chunk while there is room, then takes a fresh chunk and lets the old
 * one go (the arena does not keep both).  A small one is copied within
 * the arena, as any allocation.
 */
static void *
grow_big(struct rr_arena *a, void *old, size_t oldsize, size_t newsize)
{
	struct rr_arena_chunk **pp, *c;

	for (pp = &a->head; (c = *pp) != NULL; pp = &c->next)
		if ((void *)c->data == old && c->used == oldsize) {
			struct rr_arena_chunk *n;
			if (newsize <= c->size) {
				/* into the rest of its mapping: zero, never
				 * handed out */
				c->used = newsize;
				a->used_total += newsize - oldsize;
				return old;
			}
#if defined(MREMAP_MAYMOVE) && defined(MREMAP_FIXED)
			if (c->mapped) {
				/* a mapped chunk moves to a bigger aligned
				 * mapping, its pages moved, not copied nor
				 * faulted again; what is added is zero */
				size_t len = huge_len(newsize);
				void *m = map_huge(len);
				if (m && mremap(c, c->mapped, c->mapped,
						MREMAP_MAYMOVE | MREMAP_FIXED,
						m) == m) {
					(void)madvise(m, len, MADV_HUGEPAGE);
					n = m;
					n->mapped = len;
					n->size = len - sizeof(*n);
					n->used = newsize;
					*pp = n;
					a->used_total += newsize - oldsize;
					return n->data;
				}
				if (m)
					munmap(m, len);
			}
#endif
			n = chunk_new(
				newsize, a->used_total >= ARENA_BIG_AT ||
						 newsize >= ARENA_HUGE);
			n->used = newsize;
			memcpy(n->data, old, oldsize);
			n->next = c->next;
			*pp = n;
			a->used_total += newsize - oldsize;
			chunk_free(c);
			return n->data;
		}
	return NULL;
}

void *
rr_arena_push(struct rr_arena *a, void **v, size_t *n, size_t *cap,
	      size_t size)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 4, osz = *cap * size;
		void *nv = NULL;
		if (ncap > SIZE_MAX / size)
			rr_oom();
		if (osz > ARENA_CHUNK / 4 && *v)
			nv = grow_big(a, *v, (osz + ARENA_ALIGN - 1) &
						     ~(ARENA_ALIGN - 1),
				      (ncap * size + ARENA_ALIGN - 1) &
					      ~(ARENA_ALIGN - 1));
		if (!nv) {
			nv = rr_arena_calloc(a, ncap, size);
			if (*n)
				memcpy(nv, *v, *n * size);
		}
		*v = nv;
		*cap = ncap;
	}
	return (char *)*v + (*n)++ * size;
}
