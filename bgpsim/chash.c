/*
 * The one hash table of the simulator: open addressing over (64-bit hash,
 * 32-bit value) pairs, linear probing, doubling at half full.  The keys
 * stay with the table's owner, who confirms a candidate with a callback:
 * prefixes and attribute sets (attrs.c), addresses (world.c), and every
 * cache (cache.c) use it, as every table of OpenBGPD's RDE uses chash.
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

void
chash_release(struct chash *t)
{
	free(t->h);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

void
chash_clear(struct chash *t)
{
	if (t->cap) {
		memset(t->v, 0, t->cap * sizeof(*t->v));
		t->n = 0;
	}
}

uint32_t
chash_find(const struct chash *t, uint64_t h, chash_eq_fn eq, const void *ctx)
{
	uint32_t i, mask;

	if (!t->cap)
		return 0;
	mask = t->cap - 1;
	for (i = (uint32_t)h & mask; t->v[i]; i = (i + 1) & mask)
		if (t->h[i] == h && eq(ctx, t->v[i]))
			return t->v[i];
	return 0;
}

static void
put(struct chash *t, uint64_t h, uint32_t v)
{
	uint32_t i, mask = t->cap - 1;

	for (i = (uint32_t)h & mask; t->v[i]; i = (i + 1) & mask)
		;
	t->h[i] = h;
	t->v[i] = v;
	t->n++;
}

void
chash_add(struct chash *t, uint64_t h, uint32_t v)
{
	if ((t->n + 1) * 2 > t->cap) {
		struct chash o = *t;
		uint32_t i;
		t->cap = o.cap ? o.cap * 2 : 64;
		t->n = 0;
		t->h = rr_xcalloc(t->cap, sizeof(*t->h));
		t->v = rr_xcalloc(t->cap, sizeof(*t->v));
		for (i = 0; i < o.cap; i++)
			if (o.v[i])
				put(t, o.h[i], o.v[i]);
		free(o.h);
		free(o.v);
	}
	put(t, h, v);
}

uint64_t
chash_bytes(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, b + i, 8);
		h = chash_mix(h, v);
	}
	for (; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	return h;
}
