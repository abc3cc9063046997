/*
 * Every cache of the simulator, in one object (struct sim_cache), each on
 * the table of chash.c.  A cache only saves work: the same messages, the
 * same routes, the same output with all of them off (sim_opts.plain, or
 * RRKIT_SIM_PLAIN=1 for `rrkit sim`; make check runs every sim golden
 * case both ways).
 *
 * - Decoded UPDATEs by their bytes and the reading codec: a reflector
 *   sends its clients the same bytes, which are decoded once (every
 *   distinct message still goes through the decoder of bgp/) and handed
 *   to each machine with bgp_fsm_recv_decoded(); inbound.c keeps with each
 *   what it read from it.  An entry is pinned while it is being delivered;
 *   past CACHE_DEC_MAX entries the lot is let go when none is pinned.
 * - Received attribute bytes -> attribute set (most UPDATEs repeat bytes
 *   another session brought).
 * - Export attributes: (speaker, set, source, destination class) -> set.
 * - The Loc-RIB of every speaker: stored (side codes, in pages shared
 *   like the Adj-RIBs-In: thousands of nodes hold the same best sources
 *   but for their own blocks); with plain, a Calico node's is decided
 *   from its Adj-RIBs-In when asked (an IOS router's is state: kept).
 * - Peers' OPENs: most differ only in BGP identifier and hold time; one
 *   decoded copy serves every machine that received the same one.
 * - Pages of Adj-RIBs-In by content (attrs.c): the clients of a
 *   reflector hold the same routes but their own; identical pages are
 *   one, held by many maps and copied before a write.
 * - Update-group templates (adjout.c): a batch of UPDATEs composed and
 *   encoded for one member of a group, sent as it is by the others that
 *   would compose the same (as a router's update group formats a message
 *   once for its peers), and read once per kind of receiver (inbound.c).
 * - Batches taken alike: the pages a Calico node's Adj-RIB-In and Loc-RIB
 *   end with after a template's messages, by the reading and the pages
 *   they started from (a reflector's clients meet the same states but in
 *   the page of their own blocks): a node in a state met before takes the
 *   pages it ends with, shared, and the counts that go with them.
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

#define CACHE_DEC_MAX    8192

static void cache_bo_release(struct sim_cache *c);

/* the next-hop owners of a Loc-RIB page (cache_nh_page) */
struct cache_nh {
	struct rib_page *pre[1 + CACHE_BO_SIDES]; /* Loc-RIB, in[] (held) */
	uint32_t ns;
	uint64_t hash;
	uint32_t own[RIB_PAGE];
};

void
cache_init(struct world *w, bool plain)
{
	struct sim_cache *c = &w->cache;
	uint32_t k;

	memset(c, 0, sizeof(*c));
	c->plain = plain;
	rr_arena_init(&c->dec_arena);
	rr_arena_init(&c->arena);
	rr_arena_init(&c->seg_arena);
	c->best = rr_xcalloc(w->nspk + 1, sizeof(*c->best));
	c->stored = rr_xcalloc(w->nspk + 1, sizeof(*c->stored));
	c->nspk = w->nspk;
	/* an IOS router's Loc-RIB is state, not a cache: its decision keeps
	 * the older of two eBGP paths, which only the stored best tells */
	for (k = 0; k < w->nspk; k++)
		c->stored[k] = w->spk[k].pub.kind == RR_SPK_IOS || !plain;
}

void
cache_release(struct sim_cache *c)
{
	uint32_t k;

	chash_release(&c->dec);
	chash_release(&c->raw);
	chash_release(&c->xf);
	chash_release(&c->opens);
	chash_release(&c->tmpl);
	cache_bo_release(c);
	chash_release(&c->seg);
	free(c->segv);
	rr_arena_release(&c->seg_arena);
	for (k = 0; k < c->nnh; k++) {
		uint32_t m;
		for (m = 0; m < 1 + c->nhv[k]->ns; m++)
			rib_page_drop(c->nhv[k]->pre[m]);
	}
	chash_release(&c->nh);
	free(c->nhv);
	chash_release(&c->pages);
	for (k = 0; k < c->npage; k++)
		rib_page_drop(c->pagev[k]);
	free(c->pagev);
	for (k = 0; k < c->ntmpl; k++) {
		adjout_batch_free(c->tmplv[k].t);
		free(c->tmplv[k].t);
	}
	free(c->tmplv);
	free(c->decv);
	free(c->rawv);
	free(c->xfv);
	free(c->openv);
	for (k = 0; k < c->nspk; k++)
		rib_map_release(&c->best[k]);
	free(c->best);
	free(c->stored);
	rr_arena_release(&c->dec_arena);
	rr_arena_release(&c->arena);
}

/* Room for one more in a growing array of n of cap elements. */
static void *
grow(void *v, uint32_t n, uint32_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 256;
	return rr_xrealloc(v, (size_t)*cap * size);
}

/* ----------------------------------------------------- decoded UPDATEs */

static uint8_t
codec_bits(const struct bgp_codec *c)
{
	return (uint8_t)((c->as4 ? 1u : 0u) | (c->ext_msg ? 2u : 0u) |
	                 (c->addpath_v4 ? 4u : 0u) | (c->addpath_v6 ? 8u : 0u));
}

struct dec_key {
	const struct sim_cache *c;
	const uint8_t *b;
	size_t n;
	uint8_t codec;
};

static bool
dec_is(const void *ctx, uint32_t v)
{
	const struct dec_key *k = ctx;
	const struct cache_dec *e = k->c->decv[v - 1];
	return e->len == k->n && e->codec == k->codec &&
	       !memcmp(e->bytes, k->b, k->n);
}

struct cache_dec *
cache_decoded(struct world *w, const struct bgp_codec *rx, const uint8_t *b,
              size_t n)
{
	struct sim_cache *c = &w->cache;
	struct dec_key k = {c, b, n, codec_bits(rx)};
	uint64_t h;
	uint32_t v;
	struct cache_dec *e;
	uint8_t *copy;
	struct bgp_error err;

	if (c->plain)
		return NULL;
	h = chash_mix(chash_bytes(b, n), k.codec);
	v = chash_find(&c->dec, h, dec_is, &k);
	if (v) {
		c->dec_hits++;
		c->busy++;
		return c->decv[v - 1];
	}
	c->dec_misses++;
	if (c->ndec >= CACHE_DEC_MAX && !c->busy) {
		/* let the lot go: the bytes that keep coming come back */
		chash_clear(&c->dec);
		c->ndec = 0;
		rr_arena_release(&c->dec_arena);
		rr_arena_init(&c->dec_arena);
	}
	e = rr_arena_calloc(&c->dec_arena, 1, sizeof(*e));
	copy = rr_arena_alloc(&c->dec_arena, n);
	memcpy(copy, b, n);
	if (bgp_msg_decode(copy, n, rx, &c->dec_arena, &e->msg, &err) < 0 ||
	    e->msg.type != BGP_MSG_UPDATE)
		return NULL;
	e->bytes = copy;
	e->len = (uint32_t)n;
	e->codec = k.codec;
	c->decv = grow(c->decv, c->ndec, &c->capdec, sizeof(*c->decv));
	c->decv[c->ndec++] = e;
	chash_add(&c->dec, h, c->ndec);
	c->busy++;
	return e;
}

void
cache_unpin(struct world *w)
{
	if (!w->cache.busy)
		RR_BUG("sim: cache entry unpinned twice");
	w->cache.busy--;
}

/* --------------------------------------------------- attribute bytes */

struct raw_key {
	const struct sim_cache *c;
	const uint8_t *b;
	size_t n;
	bool as4;
};

static bool
raw_is(const void *ctx, uint32_t v)
{
	const struct raw_key *k = ctx;
	const struct cache_raw *e = &k->c->rawv[v - 1];
	return e->len == k->n && e->as4 == k->as4 &&
	       !memcmp(e->bytes, k->b, k->n);
}

uint32_t
cache_raw_get(struct world *w, const uint8_t *b, size_t n, bool as4)
{
	struct sim_cache *c = &w->cache;
	struct raw_key k = {c, b, n, as4};
	uint32_t v;

	if (c->plain)
		return 0;
	v = chash_find(&c->raw, chash_mix(chash_bytes(b, n), as4), raw_is, &k);
	return v ? c->rawv[v - 1].id : 0;
}

void
cache_raw_put(struct world *w, const uint8_t *b, size_t n, bool as4,
              uint32_t id)
{
	struct sim_cache *c = &w->cache;
	struct cache_raw *e;
	uint8_t *copy;

	if (c->plain || n > 0xffff)
		return;
	copy = rr_arena_alloc(&c->arena, n);
	memcpy(copy, b, n);
	c->rawv = grow(c->rawv, c->nraw, &c->capraw, sizeof(*c->rawv));
	e = &c->rawv[c->nraw++];
	e->bytes = copy;
	e->len = (uint32_t)n;
	e->as4 = as4;
	e->id = id;
	chash_add(&c->raw, chash_mix(chash_bytes(b, n), as4), c->nraw);
}

/* -------------------------------------------------- export attributes */

struct xf_key {
	const struct sim_cache *c;
	uint32_t k, ia, src, cls;
};

static bool
xf_is(const void *ctx, uint32_t v)
{
	const struct xf_key *x = ctx;
	const struct cache_xf *e = &x->c->xfv[v - 1];
	return e->k == x->k && e->ia == x->ia && e->src == x->src &&
	       e->cls == x->cls;
}

static uint64_t
xf_hash(uint32_t k, uint32_t ia, uint32_t src, uint32_t cls)
{
	return chash_mix(chash_mix((uint64_t)k << 32 | ia, src), cls);
}

uint32_t
cache_xf_get(struct world *w, uint32_t k, uint32_t ia, uint32_t src,
             uint32_t cls)
{
	struct sim_cache *c = &w->cache;
	struct xf_key x = {c, k, ia, src, cls};
	uint32_t v;

	if (c->plain)
		return 0;
	v = chash_find(&c->xf, xf_hash(k, ia, src, cls), xf_is, &x);
	return v ? c->xfv[v - 1].out : 0;
}

void
cache_xf_put(struct world *w, uint32_t k, uint32_t ia, uint32_t src,
             uint32_t cls, uint32_t out)
{
	struct sim_cache *c = &w->cache;
	struct cache_xf *e;

	if (c->plain || !out)
		return;
	c->xfv = grow(c->xfv, c->nxf, &c->capxf, sizeof(*c->xfv));
	e = &c->xfv[c->nxf++];
	e->k = k;
	e->ia = ia;
	e->src = src;
	e->cls = cls;
	e->out = out;
	chash_add(&c->xf, xf_hash(k, ia, src, cls), c->nxf);
}

/* ----------------------------------------------------------- Loc-RIB */

/*
 * The Loc-RIB of speaker k for pid: the source of the best path (side,
 * RIB_SRC_LOCAL, SIM_NONE) and its set: stored, or (plain, a Calico
 * node) decided afresh from the Adj-RIBs-In.
 */
uint32_t
rib_best(const struct world *w, uint32_t k, uint32_t pid, uint32_t *attrs)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t v;

	if (!w->cache.stored[k])
		return rib_decision(w, k, pid, attrs);
	v = rib_map_get(&w->cache.best[k], pid);
	if (!v) {
		*attrs = 0;
		return SIM_NONE;
	}
	if (v == 1) {
		*attrs = rib_map_get(&sp->rib.local, pid);
		return RIB_SRC_LOCAL;
	}
	v = sp->pub.first_session + v - 2;
	*attrs = rib_map_get(&w->side[v].rib.in, pid);
	return v;
}

void
rib_best_set(struct world *w, uint32_t k, uint32_t pid, uint32_t src)
{
	uint32_t code = src == SIM_NONE        ? 0
	                : src == RIB_SRC_LOCAL ? 1
	                                       : src - w->spk[k].pub.first_session + 2;

	if (w->cache.stored[k])
		rib_map_set(w, &w->cache.best[k], pid, code);
}

/* ----------------------------------------------------------- OPENs */

struct open_key {
	const struct sim_cache *c;
	const uint8_t *b;
	size_t n;
};

static bool
open_is(const void *ctx, uint32_t v)
{
	const struct open_key *k = ctx;
	const struct cache_open *e = &k->c->openv[v - 1];
	return e->len == k->n && !memcmp(e->key, k->b, k->n);
}

void
cache_share_open(struct world *w, struct fsm *f)
{
	struct sim_cache *c = &w->cache;
	uint8_t key[BGP_MAX_LEN];
	struct bgp_msg m;
	struct bgp_error e;
	struct open_key k = {c, key, 0};
	uint16_t hold = f->peer_open.hold;
	uint32_t id = f->peer_open.bgp_id, v;
	uint64_t h;
	long n;

	if (c->plain)
		return;
	/* the key: the OPEN as received, identifier and hold time aside */
	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_OPEN;
	m.u.open = f->peer_open;
	m.u.open.hold = 0;
	m.u.open.bgp_id = 0;
	n = bgp_msg_encode(&m, NULL, key, sizeof(key));
	if (n <= 0)
		return; /* the machine keeps its own copy */
	k.n = (size_t)n;
	h = chash_bytes(key, k.n);
	v = chash_find(&c->opens, h, open_is, &k);
	if (!v) {
		struct cache_open *o;
		uint8_t *copy = rr_arena_alloc(&c->arena, k.n);
		memcpy(copy, key, k.n);
		if (bgp_msg_decode(copy, k.n, NULL, &c->arena, &m, &e) < 0 ||
		    m.type != BGP_MSG_OPEN)
			return;
		c->openv = grow(c->openv, c->nopen, &c->capopen,
		                sizeof(*c->openv));
		o = &c->openv[c->nopen++];
		o->key = copy;
		o->len = k.n;
		o->open = m.u.open;
		chash_add(&c->opens, h, c->nopen);
		v = c->nopen;
	}
	f->peer_open = c->openv[v - 1].open;
	f->peer_open.hold = hold;
	f->peer_open.bgp_id = id;
	rr_arena_release(&f->open_arena);
}

/* ----------------------------------------------------------- templates */

#define CACHE_TMPL_BYTES (64u << 20)

struct tmpl_key {
	const struct sim_cache *c;
	uint32_t k, grp, epoch, a, b;
};

static bool
tmpl_is(const void *ctx, uint32_t v)
{
	const struct tmpl_key *x = ctx;
	const struct cache_tmpl *e = &x->c->tmplv[v - 1];
	return e->k == x->k && e->grp == x->grp && e->epoch == x->epoch &&
	       e->a == x->a && e->b == x->b;
}

static uint64_t
tmpl_hash(uint32_t k, uint32_t grp, uint32_t epoch, uint32_t a, uint32_t b)
{
	return chash_mix(chash_mix(chash_mix((uint64_t)k << 32 | grp, epoch),
	                           a),
	                 b);
}

struct adjout_batch *
cache_tmpl_get(struct world *w, uint32_t k, uint32_t grp, uint32_t epoch,
               uint32_t a, uint32_t b)
{
	struct sim_cache *c = &w->cache;
	struct tmpl_key x = {c, k, grp, epoch, a, b};
	uint32_t v;

	if (c->plain)
		return NULL;
	v = chash_find(&c->tmpl, tmpl_hash(k, grp, epoch, a, b), tmpl_is, &x);
	if (!v) {
		c->tmpl_misses++;
		return NULL;
	}
	c->tmpl_hits++;
	return c->tmplv[v - 1].t;
}

static void *
dup(const void *p, size_t n)
{
	void *q = rr_xmalloc(n ? n : 1);
	if (n)
		memcpy(q, p, n);
	return q;
}

struct adjout_batch *
cache_tmpl_put(struct world *w, uint32_t k, uint32_t grp, uint32_t epoch,
               uint32_t a, uint32_t b, const struct adjout_batch *bt)
{
	struct sim_cache *c = &w->cache;
	struct adjout_batch *t;
	struct cache_tmpl *e;
	size_t size = bt->len + bt->nmsg * 8u +
	              (bt->non + bt->noff + bt->ncand) * 5u + sizeof(*t);

	if (c->plain || c->tmpl_bytes + size > CACHE_TMPL_BYTES)
		return NULL;
	c->tmpl_bytes += size;
	t = rr_xcalloc(1, sizeof(*t));
	t->bytes = dup(bt->bytes, bt->len);
	t->len = t->cap = bt->len;
	t->end = dup(bt->end, bt->nmsg * sizeof(uint32_t));
	t->npfx = dup(bt->npfx, bt->nmsg * sizeof(uint32_t));
	t->mend = dup(bt->mend, bt->nmsg * sizeof(uint32_t));
	t->mpids = dup(bt->mpids, (bt->nmsg ? bt->mend[bt->nmsg - 1] : 0) *
	                                  sizeof(uint32_t));
	t->capmp = bt->nmsg ? bt->mend[bt->nmsg - 1] : 0;
	t->nmsg = t->capmsg = bt->nmsg;
	t->version = bt->version;
	t->on = dup(bt->on, bt->non * sizeof(uint32_t));
	t->off = dup(bt->off, bt->noff * sizeof(uint32_t));
	t->cand = dup(bt->cand, bt->ncand * sizeof(uint32_t));
	t->cand_adv = dup(bt->cand_adv, bt->ncand);
	t->non = t->capon = bt->non;
	t->noff = t->capoff = bt->noff;
	t->ncand = t->capcand = bt->ncand;
	c->tmplv = grow(c->tmplv, c->ntmpl, &c->captmpl, sizeof(*c->tmplv));
	e = &c->tmplv[c->ntmpl++];
	e->k = k;
	e->grp = grp;
	e->epoch = epoch;
	e->a = a;
	e->b = b;
	e->t = t;
	chash_add(&c->tmpl, tmpl_hash(k, grp, epoch, a, b), c->ntmpl);
	return t;
}

/* ---------------------------------------------------- Adj-RIB-In pages */

#define CACHE_PAGES 65536 /* 64 MB of shared pages at most */

struct page_key {
	const struct sim_cache *c;
	const struct rib_page *p;
};

static bool
page_is(const void *ctx, uint32_t v)
{
	const struct page_key *k = ctx;
	return !memcmp(k->c->pagev[v - 1]->v, k->p->v, sizeof(k->p->v));
}

/* Let go of the shared pages no map holds any more (earlier states of
 * tables that moved on); the next sweep when twice as many are kept. */
static void
sweep_pages(struct sim_cache *c)
{
	uint32_t i, n = 0;

	chash_clear(&c->pages);
	for (i = 0; i < c->npage; i++) {
		struct rib_page *p = c->pagev[i];
		if (p->refs == 1) {
			rib_page_drop(p);
			continue;
		}
		c->pagev[n++] = p;
		chash_add(&c->pages, p->hash, n);
	}
	c->npage = n;
	c->page_sweep = n * 2 > 1024 ? n * 2 : 1024;
}

/* Page i of m, written: the identical shared one, or shared from now. */
static void
seal_page(struct world *w, struct rib_map *m, uint32_t i)
{
	struct sim_cache *c = &w->cache;
	struct rib_page *p = i < m->npages ? m->pages[i] : NULL;
	struct page_key k = {c, p};
	uint64_t h;
	uint32_t v;

	if (!p || !p->dirty)
		return;
	p->dirty = false;
	if (p->shared || p->refs != 1)
		return;
	if (!p->n) {
		m->pages[i] = NULL;
		rib_page_drop(p);
		return;
	}
	h = p->hash;
	v = chash_find(&c->pages, h, page_is, &k);
	if (v) {
		c->page_hits++;
		c->pagev[v - 1]->refs++;
		m->pages[i] = c->pagev[v - 1];
		rib_page_drop(p);
		return;
	}
	if (c->npage >= c->page_sweep)
		sweep_pages(c);
	if (c->npage >= CACHE_PAGES)
		return;
	p->shared = true;
	p->refs++;
	c->pagev = grow(c->pagev, c->npage, &c->cappage, sizeof(*c->pagev));
	c->pagev[c->npage++] = p;
	chash_add(&c->pages, h, c->npage);
}

void
cache_side_reserve(struct world *w, uint32_t si, uint32_t n)
{
	uint32_t k = w->side[si].pub.speaker;

	rib_map_reserve(w, &w->side[si].rib.in, n);
	if (w->cache.stored[k])
		rib_map_reserve(w, &w->cache.best[k], n);
}

void
cache_side_seal(struct world *w, uint32_t si)
{
	cache_seal(w, &w->side[si].rib.in);
	cache_seal(w, &w->cache.best[w->side[si].pub.speaker]);
}

void
cache_seal(struct world *w, struct rib_map *m)
{
	uint32_t i;

	if (w->cache.plain || !m->ndirty || !m->pages) {
		m->ndirty = 0;
		return;
	}
	/* the page written last is still being filled (routes come in
	 * prefix order): it stays the map's own until the next one */
	if (m->ndirty <= RIB_MAP_DIRTY) {
		for (i = 0; i < m->ndirty; i++)
			if (m->dirty[i] != m->last)
				seal_page(w, m, m->dirty[i]);
	} else {
		for (i = 0; i < m->npages; i++)
			if (i != m->last)
				seal_page(w, m, i);
	}
	m->ndirty = 0;
	if (m->last < m->npages && m->pages[m->last] &&
	    m->pages[m->last]->dirty)
		m->dirty[m->ndirty++] = m->last;
}

/* ------------------------------------------------ batches taken alike */

#define CACHE_BO_MAX 1024

/* A page held by the cache with p's content (one reference the
 * caller's), NULL when p is empty: the identical shared page, or a copy
 * shared from now. */
static struct rib_page *
page_ref(struct sim_cache *c, struct rib_page *p)
{
	struct page_key k = {c, p};
	struct rib_page *q;
	uint32_t v;

	if (!p || !p->n)
		return NULL;
	if (p->shared) {
		p->refs++;
		return p;
	}
	v = chash_find(&c->pages, p->hash, page_is, &k);
	if (v) {
		q = c->pagev[v - 1];
		q->refs++;
		return q;
	}
	q = rr_xmalloc(sizeof(*q));
	*q = *p;
	q->dirty = false;
	q->shared = true;
	q->refs = 1;
	if (c->npage >= c->page_sweep)
		sweep_pages(c);
	if (c->npage < CACHE_PAGES) {
		q->refs++;
		c->pagev = grow(c->pagev, c->npage, &c->cappage,
		                sizeof(*c->pagev));
		c->pagev[c->npage++] = q;
		chash_add(&c->pages, q->hash, c->npage);
	}
	return q;
}

static bool
page_same(const struct rib_page *a, const struct rib_page *b)
{
	if (a == b)
		return true;
	if (!a || !a->n)
		return !b || !b->n;
	return b && a->n == b->n && a->hash == b->hash &&
	       !memcmp(a->v, b->v, sizeof(a->v));
}

static void
bo_drop(struct cache_bo *e)
{
	uint32_t j, m;

	free(e->calls);
	e->calls = NULL;
	for (j = 0; j < e->npg; j++) {
		for (m = 0; m < 1 + e->ns; m++)
			rib_page_drop(e->pre[j][m]);
		rib_page_drop(e->post[j][0]);
		rib_page_drop(e->post[j][1]);
	}
}

static void
cache_bo_release(struct sim_cache *c)
{
	uint32_t i;

	for (i = 0; i < c->nbo; i++)
		bo_drop(&c->bov[i]);
	free(c->bov);
	c->bov = NULL;
	c->nbo = c->capbo = 0;
	chash_release(&c->bo);
}

struct bo_key {
	const struct sim_cache *c;
	const struct cache_bo *e;
};

static bool
bo_is(const void *ctx, uint32_t v)
{
	const struct cache_bo *x = ((const struct bo_key *)ctx)->e;
	const struct cache_bo *e = &((const struct bo_key *)ctx)->c->bov[v - 1];
	uint32_t j, m;

	if (e->rd != x->rd || e->first != x->first || e->n != x->n ||
	    e->slot != x->slot || e->ns != x->ns || e->npg != x->npg)
		return false;
	for (m = 0; m < e->ns; m++)
		if (e->peer_id[m] != x->peer_id[m] ||
		    e->rank[m] != x->rank[m] ||
		    !rr_addr_eq(&e->peer[m], &x->peer[m]))
			return false;
	for (j = 0; j < e->npg; j++) {
		if (e->pg[j] != x->pg[j])
			return false;
		for (m = 0; m < 1 + e->ns; m++)
			if (!page_same(e->pre[j][m], x->pre[j][m]))
				return false;
	}
	return true;
}

/* page i of map m, NULL when absent */
static struct rib_page *
map_page(const struct rib_map *m, uint32_t i)
{
	return i < m->npages ? m->pages[i] : NULL;
}

/*
 * What a batch's messages are, whoever takes them: the pages their
 * prefixes fall in and the ORIGINATOR_IDs they carry (sorted), kept per
 * (reading, first, n) while CACHE_SEG_MAX are kept; ok false when a
 * message is dropped, or they touch more than CACHE_BO_PAGES pages.
 */
#define CACHE_SEG_MAX 8192
struct cache_seg {
	const struct adjout_reading *rd;
	uint32_t first, n;
	bool ok;
	uint32_t npg, pg[CACHE_BO_PAGES];
	uint32_t norig;
	uint32_t *orig;
};

struct seg_key {
	const struct sim_cache *c;
	const struct adjout_reading *rd;
	uint32_t first, n;
};

static bool
seg_is(const void *ctx, uint32_t v)
{
	const struct seg_key *k = ctx;
	const struct cache_seg *e = k->c->segv[v - 1];
	return e->rd == k->rd && e->first == k->first && e->n == k->n;
}

static bool
seg_page(struct cache_seg *g, uint32_t pid)
{
	uint32_t j, pg = pid / RIB_PAGE;

	for (j = 0; j < g->npg; j++)
		if (g->pg[j] == pg)
			return true;
	if (g->npg == CACHE_BO_PAGES)
		return false;
	g->pg[g->npg++] = pg;
	return true;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static const struct cache_seg *
seg_get(struct world *w, const struct adjout_reading *rd, uint32_t first,
        uint32_t n)
{
	struct sim_cache *c = &w->cache;
	struct seg_key k = {c, rd, first, n};
	uint64_t h = chash_mix((uintptr_t)rd, (uint64_t)first << 32 | n);
	struct cache_seg *g;
	uint32_t v, i, j;

	v = chash_find(&c->seg, h, seg_is, &k);
	if (v)
		return c->segv[v - 1];
	if (c->nseg >= CACHE_SEG_MAX) {
		chash_clear(&c->seg);
		c->nseg = 0;
		rr_arena_release(&c->seg_arena);
		rr_arena_init(&c->seg_arena);
	}
	g = rr_arena_calloc(&c->seg_arena, 1, sizeof(*g));
	g->rd = rd;
	g->first = first;
	g->n = n;
	g->ok = true;
	g->orig = rr_arena_calloc(&c->seg_arena, n + 1, sizeof(uint32_t));
	for (i = first; i < first + n && g->ok; i++) {
		const struct rib_update *u = &rd->ru[i];
		const struct rib_attrs *a = rib_attrs(w, u->attrs);
		if (u->drop || (u->nnlri && !a)) {
			g->ok = false;
			break;
		}
		if (a && a->has_orig && u->nnlri)
			g->orig[g->norig++] = a->originator_id;
		for (j = 0; j < u->nwithdrawn && g->ok; j++)
			g->ok = seg_page(g, u->withdrawn[j]);
		for (j = 0; j < u->nnlri && g->ok; j++)
			g->ok = seg_page(g, u->nlri[j]);
	}
	qsort(g->orig, g->norig, sizeof(uint32_t), cmp_u32);
	c->segv = grow(c->segv, c->nseg, &c->capseg, sizeof(*c->segv));
	c->segv[c->nseg++] = g;
	chash_add(&c->seg, h, c->nseg);
	return g;
}

static bool
seg_has_orig(const struct cache_seg *g, uint32_t id)
{
	return g->norig &&
	       bsearch(&id, g->orig, g->norig, sizeof(uint32_t), cmp_u32);
}

/* Does a prefix of the batch have a value in m (a speaker's own routes,
 * its log)?  Looked up only where m has values in the batch's pages. */
static bool
seg_in_map(const struct cache_seg *g, const struct rib_map *m)
{
	uint32_t i, j, p;
	bool near = false;

	if (!m->count)
		return false;
	if (m->pages) {
		for (j = 0; j < g->npg && !near; j++)
			near = map_page(m, g->pg[j]) &&
			       map_page(m, g->pg[j])->n;
	} else {
		for (i = 0; i < m->cap && !near; i++)
			for (j = 0; m->keys[i] && j < g->npg; j++)
				near |= (m->keys[i] - 1) / RIB_PAGE == g->pg[j];
	}
	if (!near)
		return false;
	for (i = g->first; i < g->first + g->n; i++) {
		const struct rib_update *u = &g->rd->ru[i];
		for (p = 0; p < u->nwithdrawn; p++)
			if (rib_map_get(m, u->withdrawn[p]))
				return true;
		for (p = 0; p < u->nnlri; p++)
			if (rib_map_get(m, u->nlri[p]))
				return true;
	}
	return false;
}

/*
 * The key of side si's batch: false when it does not qualify.  It
 * qualifies when the outcome can depend on nothing else: a Calico node
 * (stored Loc-RIB, paged) whose sessions are all iBGP toward
 * non-clients whose routes go nowhere (split horizon), with no import
 * filter; no message dropped, no route whose ORIGINATOR_ID is the node's
 * own; no prefix it originates or has in its log; no best-route hook.
 */
static bool
bo_key(struct world *w, uint32_t si, const struct adjout_reading *rd,
       uint32_t first, uint32_t n, struct cache_bo *e)
{
	const struct wside *s = &w->side[si];
	uint32_t k = s->pub.speaker, j, m;
	const struct wspk *sp = &w->spk[k];
	const struct rib_map *best = &w->cache.best[k];
	const struct cache_seg *g;
	uint64_t h;

	if (w->cache.plain || !sp->bird ||
	    !w->cache.stored[k] || sp->pub.nsessions > CACHE_BO_SIDES ||
	    !best->pages || !s->rib.in.pages)
		return false;
	e->rd = rd;
	e->first = first;
	e->n = n;
	e->in_changed = false;
	e->calls = NULL;
	e->ncalls = e->capcalls = 0;
	e->slot = si - sp->pub.first_session;
	e->ns = sp->pub.nsessions;
	h = chash_mix(chash_mix((uintptr_t)rd, (uint64_t)first << 32 | n),
	              (uint64_t)e->slot << 32 | e->ns);
	for (m = 0; m < e->ns; m++) {
		const struct wside *d = &w->side[sp->pub.first_session + m];
		if (!d->pub.ibgp || d->pub.rr_client || !d->rib.split_horizon ||
		    d->pol_in || d->nbird_filters ||
		    (!d->rib.in.pages && d->rib.in.count))
			return false;
		e->peer_id[m] = d->pub.peer_id;
		e->rank[m] = d->rib.peer_rank;
		e->peer[m] = d->pub.peer;
		h = chash_mix(h, (uint64_t)d->pub.peer_id << 32 |
		                         d->rib.peer_rank);
	}
	g = seg_get(w, rd, first, n);
	if (!g->ok || seg_has_orig(g, sp->pub.router_id) ||
	    seg_in_map(g, &sp->rib.local) || seg_in_map(g, &sp->out.logpos))
		return false;
	e->npg = g->npg;
	for (j = 0; j < e->npg; j++) {
		e->pg[j] = g->pg[j];
		h = chash_mix(h, e->pg[j]);
		e->pre[j][0] = map_page(best, e->pg[j]);
		for (m = 0; m < e->ns; m++)
			e->pre[j][1 + m] = map_page(
			        &w->side[sp->pub.first_session + m].rib.in,
			        e->pg[j]);
		for (m = 0; m < 1 + e->ns; m++)
			h = chash_mix(h, e->pre[j][m] && e->pre[j][m]->n
			                         ? e->pre[j][m]->hash
			                         : 0);
	}
	e->hash = h;
	return true;
}

/* The best-route hook while a batch is recorded: the call noted (in the
 * speaker's session slots), then passed on. */
static void
bo_hook(void *ctx, uint64_t t, uint32_t k, const struct rr_prefix *p,
        uint32_t pid, uint32_t from, uint32_t to)
{
	struct world *w = ctx;
	struct cache_batch *b = w->cache.rec;
	struct cache_bo *e = &b->e;
	uint32_t first = w->spk[k].pub.first_session;

	b->hook(b->hook_ctx, t, k, p, pid, from, to);
	if (k != b->k || from == RIB_SRC_LOCAL || to == RIB_SRC_LOCAL) {
		b->hook_bad = true;
		return;
	}
	if (e->ncalls + 3 > e->capcalls) {
		e->capcalls = e->capcalls ? e->capcalls * 2 : 48;
		e->calls = rr_xrealloc(e->calls,
		                       e->capcalls * sizeof(uint32_t));
	}
	e->calls[e->ncalls++] = pid;
	e->calls[e->ncalls++] = from == SIM_NONE ? SIM_NONE : from - first;
	e->calls[e->ncalls++] = to == SIM_NONE ? SIM_NONE : to - first;
}

bool
cache_batch_get(struct world *w, uint32_t si, const struct adjout_reading *rd,
                uint32_t first, uint32_t n, struct cache_batch *b)
{
	struct sim_cache *c = &w->cache;
	struct wside *s = &w->side[si];
	struct wspk *sp;
	struct bo_key x = {c, &b->e};
	const struct cache_bo *e;
	uint32_t v, j, m;

	b->rec = false;
	if (!bo_key(w, si, rd, first, n, &b->e))
		return false;
	b->si = si;
	b->k = s->pub.speaker;
	sp = &w->spk[b->k];
	v = chash_find(&c->bo, b->e.hash, bo_is, &x);
	if (!v) {
		/* note the state before: its pages as they are now */
		c->bo_misses++;
		for (j = 0; j < b->e.npg; j++)
			for (m = 0; m < 1 + b->e.ns; m++)
				b->e.pre[j][m] = page_ref(c, b->e.pre[j][m]);
		b->rec = true;
		b->hook_bad = false;
		b->hook = w->opts.best;
		b->hook_ctx = w->opts.best_ctx;
		if (b->hook) {
			w->cache.rec = b;
			w->opts.best = bo_hook;
			w->opts.best_ctx = w;
		}
		b->version = sp->out.version;
		b->nbest = sp->rib.nbest;
		b->tv = sp->pub.table_version;
		b->ndrops = s->rib.ndrops;
		return false;
	}
	c->bo_hits++;
	e = &c->bov[v - 1];
	for (j = 0; j < e->npg; j++) {
		rib_map_put_page(&c->best[b->k], e->pg[j], e->post[j][0]);
		rib_map_put_page(&s->rib.in, e->pg[j], e->post[j][1]);
	}
	sp->rib.nbest = (uint32_t)((int32_t)sp->rib.nbest + e->dbest);
	sp->pub.nbest = sp->rib.nbest;
	sp->pub.table_version += e->nchanged;
	if (e->in_changed)
		s->pub.pfx_rcvd = s->rib.in.count;
	if (e->nchanged)
		world_changed(w);
	for (j = 0; j < e->ncalls; j += 3) {
		uint32_t f0 = sp->pub.first_session;
		uint32_t from = e->calls[j + 1], to = e->calls[j + 2];
		w->opts.best(w->opts.best_ctx, w->sched.now, b->k,
		             &w->pfx[e->calls[j]].p, e->calls[j],
		             from == SIM_NONE ? SIM_NONE : f0 + from,
		             to == SIM_NONE ? SIM_NONE : f0 + to);
	}
	return true;
}

void
cache_batch_put(struct world *w, struct cache_batch *b)
{
	struct sim_cache *c = &w->cache;
	struct wside *s = &w->side[b->si];
	struct wspk *sp = &w->spk[b->k];
	struct cache_bo *e = &b->e;
	uint32_t j;

	if (!b->rec)
		return;
	b->rec = false;
	if (b->hook) {
		w->opts.best = b->hook;
		w->opts.best_ctx = b->hook_ctx;
		c->rec = NULL;
	}
	/* the batch did something a state does not tell: not kept */
	if (sp->out.version != b->version || s->rib.ndrops != b->ndrops ||
	    b->hook_bad) {
		bo_drop(e);
		return;
	}
	for (j = 0; j < e->npg; j++) {
		e->post[j][0] = page_ref(c, map_page(&c->best[b->k], e->pg[j]));
		e->post[j][1] = page_ref(c, map_page(&s->rib.in, e->pg[j]));
		if (!page_same(e->pre[j][1 + e->slot], e->post[j][1]))
			e->in_changed = true;
	}
	e->dbest = (int32_t)((int64_t)sp->rib.nbest - (int64_t)b->nbest);
	e->nchanged = (uint32_t)(sp->pub.table_version - b->tv);
	if (c->nbo >= CACHE_BO_MAX) {
		/* let the lot go: the states met now come back */
		uint32_t i;
		for (i = 0; i < c->nbo; i++)
			bo_drop(&c->bov[i]);
		c->nbo = 0;
		chash_clear(&c->bo);
	}
	c->bov = grow(c->bov, c->nbo, &c->capbo, sizeof(*c->bov));
	c->bov[c->nbo++] = *e;
	chash_add(&c->bo, e->hash, c->nbo);
}

/* --------------------------------------------- next hops of best paths */


struct nh_key {
	const struct sim_cache *c;
	const struct cache_nh *x;
};

static bool
nh_is(const void *ctx, uint32_t v)
{
	const struct nh_key *k = ctx;
	const struct cache_nh *e = k->c->nhv[v - 1];
	uint32_t m;

	if (e->ns != k->x->ns)
		return false;
	for (m = 0; m < 1 + e->ns; m++)
		if (e->pre[m] != k->x->pre[m])
			return false;
	return true;
}

const uint32_t *
cache_nh_page(struct world *w, uint32_t k, uint32_t i)
{
	struct sim_cache *c = &w->cache;
	const struct wspk *sp = &w->spk[k];
	struct cache_nh x, *e;
	struct nh_key key = {c, &x};
	uint32_t m, v, j;

	if (c->plain || !c->stored[k] || !c->best[k].pages ||
	    sp->pub.nsessions > CACHE_BO_SIDES)
		return NULL;
	x.ns = sp->pub.nsessions;
	x.pre[0] = map_page(&c->best[k], i);
	/* a page no other map holds is asked about once */
	if (!x.pre[0] || !x.pre[0]->shared || x.pre[0]->refs < 3)
		return NULL;
	x.hash = chash_mix((uintptr_t)x.pre[0], x.ns);
	for (m = 0; m < x.ns; m++) {
		const struct rib_map *in =
		        &w->side[sp->pub.first_session + m].rib.in;
		if (!in->pages && in->count)
			return NULL;
		x.pre[1 + m] = map_page(in, i);
		if (x.pre[1 + m] && !x.pre[1 + m]->shared)
			return NULL;
		x.hash = chash_mix(x.hash, (uintptr_t)x.pre[1 + m]);
	}
	v = chash_find(&c->nh, x.hash, nh_is, &key);
	if (v) {
		c->nh_hits++;
		return c->nhv[v - 1]->own;
	}
	/* the pages held while the entry stands (an address let go could
	 * come back as another page) */
	e = rr_arena_alloc(&c->arena, sizeof(*e));
	*e = x;
	for (m = 0; m < 1 + x.ns; m++)
		if (e->pre[m])
			e->pre[m]->refs++;
	c->nhv = grow(c->nhv, c->nnh, &c->capnh, sizeof(*c->nhv));
	c->nhv[c->nnh++] = e;
	for (j = 0; j < RIB_PAGE; j++) {
		uint32_t code = x.pre[0]->v[j], ia;
		const struct rib_attrs *a;
		e->own[j] = SIM_NONE;
		if (code < 2 || code - 2 >= x.ns)
			continue;
		ia = x.pre[1 + code - 2] ? x.pre[1 + code - 2]->v[j] : 0;
		a = rib_attrs(w, ia);
		if (a)
			e->own[j] = a->nh_owner;
	}
	chash_add(&c->nh, x.hash, c->nnh);
	return e->own;
}
