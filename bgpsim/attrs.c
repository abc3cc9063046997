/*
 * The RIB's representation: prefixes by id (each prefix once, masked),
 * path attribute sets interned by content (a reflector's thousands of
 * clients all receive the same sets, so the RIBs hold 32-bit ids), maps
 * from prefix id to a value (hashed while small, pages of a dense array
 * when large; identical pages may be shared, cache.c), and the attributes of a set in the form the codec of bgp/
 * writes them (RFC 4271 5: ascending type codes).
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ maps */

/* One map lets go of page p. */
void
rib_page_drop(struct rib_page *p)
{
	if (p && !--p->refs)
		free(p);
}

void
rib_map_release(struct rib_map *m)
{
	uint32_t i;

	free(m->keys);
	free(m->vals);
	for (i = 0; i < m->npages; i++)
		rib_page_drop(m->pages[i]);
	free(m->pages);
	memset(m, 0, sizeof(*m));
}

static void sparse_put(struct rib_map *m, uint32_t pid, uint32_t v);

static void
sparse_grow(struct rib_map *m)
{
	struct rib_map o = *m;
	uint32_t i;

	m->cap = o.cap ? o.cap * 2 : 4;
	m->keys = rr_xcalloc(m->cap, sizeof(uint32_t));
	m->vals = rr_xcalloc(m->cap, sizeof(uint32_t));
	m->count = 0;
	for (i = 0; i < o.cap; i++)
		if (o.keys[i])
			sparse_put(m, o.keys[i] - 1, o.vals[i]);
	free(o.keys);
	free(o.vals);
}

static void
sparse_put(struct rib_map *m, uint32_t pid, uint32_t v)
{
	uint32_t i, mask;

	if ((m->count + 1) * 2 > m->cap)
		sparse_grow(m);
	mask = m->cap - 1;
	for (i = rib_mix32(pid) & mask; m->keys[i]; i = (i + 1) & mask)
		if (m->keys[i] == pid + 1) {
			m->vals[i] = v;
			return;
		}
	m->keys[i] = pid + 1;
	m->vals[i] = v;
	m->count++;
}

/* linear probing: delete by shifting the cluster back */
static void
sparse_del(struct rib_map *m, uint32_t pid)
{
	uint32_t i, j, mask;

	if (!m->cap)
		return;
	mask = m->cap - 1;
	for (i = rib_mix32(pid) & mask; m->keys[i]; i = (i + 1) & mask)
		if (m->keys[i] == pid + 1)
			break;
	if (!m->keys[i])
		return;
	m->count--;
	for (j = i;;) {
		uint32_t h;
		j = (j + 1) & mask;
		if (!m->keys[j])
			break;
		h = rib_mix32(m->keys[j] - 1) & mask;
		/* move j back to i unless its home lies in (i, j] */
		if (i <= j ? (h <= i || h > j) : (h <= i && h > j)) {
			m->keys[i] = m->keys[j];
			m->vals[i] = m->vals[j];
			i = j;
		}
	}
	m->keys[i] = 0;
	m->vals[i] = 0;
}

/* A page's hash is the sum of a term per slot, kept as it is written
 * (cache.c finds identical pages by it). */
static uint64_t
page_term(uint32_t slot, uint32_t v)
{
	uint64_t h;

	if (!v)
		return 0;
	h = ((uint64_t)slot << 32 | v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* Room for page i in m's array of pages. */
static void
page_room(struct rib_map *m, uint32_t i)
{
	uint32_t n = m->npages ? m->npages : 4;

	if (i < m->npages)
		return;
	while (n <= i)
		n *= 2;
	m->pages = rr_xrealloc(m->pages, n * sizeof(*m->pages));
	memset(m->pages + m->npages, 0, (n - m->npages) * sizeof(*m->pages));
	m->npages = n;
}

void
rib_map_put_page(struct rib_map *m, uint32_t i, struct rib_page *p)
{
	struct rib_page *o;

	page_room(m, i);
	o = m->pages[i];
	if (o == p)
		return;
	m->count = m->count + (p ? p->n : 0) - (o ? o->n : 0);
	if (p)
		p->refs++;
	m->pages[i] = p;
	rib_page_drop(o);
}

/* The page of pid, this map's own to write (copied when shared). */
static struct rib_page *
page_own(struct rib_map *m, uint32_t pid)
{
	uint32_t i = pid / RIB_PAGE;
	struct rib_page *p;

	page_room(m, i);
	p = m->pages[i];
	if (p && !p->shared && p->refs == 1)
		return p;
	m->pages[i] = rr_xmalloc(sizeof(*p));
	if (p) {
		*m->pages[i] = *p;
		rib_page_drop(p);
	} else {
		memset(m->pages[i], 0, sizeof(*p));
	}
	p = m->pages[i];
	p->refs = 1;
	p->shared = false;
	p->dirty = false;
	return p;
}

static void
dense_set(struct rib_map *m, uint32_t pid, uint32_t v)
{
	struct rib_page *p;
	uint32_t old = rib_map_get(m, pid);

	if (old == v)
		return;
	p = page_own(m, pid);
	m->last = pid / RIB_PAGE;
	p->hash += page_term(pid % RIB_PAGE, v) - page_term(pid % RIB_PAGE, old);
	p->v[pid % RIB_PAGE] = v;
	p->n = p->n + (v != 0) - (old != 0);
	m->count = m->count + (v != 0) - (old != 0);
	if (!p->dirty) {
		/* written since the last seal (cache.c may share it) */
		p->dirty = true;
		if (m->ndirty < RIB_MAP_DIRTY)
			m->dirty[m->ndirty] = pid / RIB_PAGE;
		m->ndirty++;
	}
}

/* Will a map of n values be large: pages of a dense array are smaller
 * and faster than the hash? */
static bool
dense_for(const struct world *w, uint32_t n)
{
	return n >= 32 && (uint64_t)n * 16 > w->npfx;
}

static void
to_dense(struct rib_map *m)
{
	struct rib_map o = *m;
	uint32_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < o.cap; i++)
		if (o.keys[i])
			dense_set(m, o.keys[i] - 1, o.vals[i]);
	free(o.keys);
	free(o.vals);
}

/* A batch of routes about to arrive: pages from 32 values when the map
 * will hold a 64th of the prefixes (the routes of a batch are mostly
 * neighbours, and pages can be shared: no growing hash on the way). */
void
rib_map_reserve(const struct world *w, struct rib_map *m, uint32_t n)
{
	if (!m->pages && (m->count + n) * 64 > w->npfx && m->count + n >= 32)
		to_dense(m);
}

void
rib_map_set(const struct world *w, struct rib_map *m, uint32_t pid,
            uint32_t v)
{
	if (!m->pages && v && !rib_map_get(m, pid) &&
	    dense_for(w, m->count + 1))
		to_dense(m);
	if (m->pages)
		dense_set(m, pid, v);
	else if (v)
		sparse_put(m, pid, v);
	else
		sparse_del(m, pid);
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

uint32_t *
rib_map_keys(const struct rib_map *m, struct rr_arena *a, uint32_t *n)
{
	uint32_t *v = rr_arena_calloc(a, m->count + 1, sizeof(uint32_t));
	uint32_t i, j, k = 0;

	if (m->pages) {
		for (i = 0; i < m->npages && k < m->count; i++)
			for (j = 0; m->pages[i] && j < RIB_PAGE; j++)
				if (m->pages[i]->v[j])
					v[k++] = i * RIB_PAGE + j;
	} else {
		for (i = 0; i < m->cap; i++)
			if (m->keys[i])
				v[k++] = m->keys[i] - 1;
		qsort(v, k, sizeof(*v), cmp_u32);
	}
	*n = k;
	return v;
}

/* ---------------------------------------------------------- prefixes */

static uint64_t
pfx_hash(const struct rr_prefix *p)
{
	return chash_mix(chash_bytes(p->addr.b, p->addr.af == RR_AF_INET6 ? 16 : 4),
	                 (uint64_t)p->len << 8 | p->addr.af);
}

static bool
pfx_eq(const struct rr_prefix *a, const struct rr_prefix *b)
{
	return a->len == b->len && a->addr.af == b->addr.af &&
	       !memcmp(a->addr.b, b->addr.b,
	               a->addr.af == RR_AF_INET6 ? 16 : 4);
}

struct pfx_key {
	const struct world *w;
	const struct rr_prefix *p;
};

static bool
pfx_is(const void *ctx, uint32_t v)
{
	const struct pfx_key *k = ctx;
	return pfx_eq(&k->w->pfx[v - 1].p, k->p);
}

uint32_t
rib_prefix_id(struct world *w, const struct rr_prefix *in)
{
	struct rr_prefix p;
	struct pfx_key k = {w, &p};
	unsigned i, bits = in->addr.af == RR_AF_INET6 ? 128u : 32u;
	uint64_t h;
	uint32_t v;

	/* masked, with nothing past the address family's length */
	memset(&p, 0, sizeof(p));
	p.addr.af = in->addr.af;
	p.len = in->len > bits ? (uint8_t)bits : in->len;
	for (i = 0; i < bits / 8 && i * 8 < p.len; i++)
		p.addr.b[i] =
		        (uint8_t)(in->addr.b[i] &
		                  (p.len >= i * 8 + 8
		                           ? 0xffu
		                           : 0xffu << (i * 8 + 8 - p.len)));
	h = pfx_hash(&p);
	v = chash_find(&w->pfx_hash, h, pfx_is, &k);
	if (v)
		return v - 1;
	if (w->npfx == w->cappfx) {
		w->cappfx = w->cappfx ? w->cappfx * 2 : 1024;
		w->pfx = rr_xrealloc(w->pfx, w->cappfx * sizeof(*w->pfx));
	}
	w->pfx[w->npfx].p = p;
	w->pfx[w->npfx].pool = (uint8_t)rib_pool_class(w->m, &p);
	chash_add(&w->pfx_hash, h, w->npfx + 1);
	return w->npfx++;
}

const struct rr_prefix *
rib_prefix(const struct world *w, uint32_t pid)
{
	return &w->pfx[pid].p;
}

/* ---------------------------------------------------- attribute sets */

static uint64_t
u32s_hash(uint64_t h, const uint32_t *v, uint32_t n)
{
	return chash_mix(h, n ? chash_bytes(v, n * sizeof(*v)) : 0x5bd1e995u);
}

static uint64_t
attrs_hash(const struct rib_attrs *a)
{
	uint64_t h = (uint64_t)a->origin | (uint64_t)a->has_med << 8 |
	             (uint64_t)a->has_lp << 9 | (uint64_t)a->has_orig << 10 |
	             (uint64_t)a->atomic << 11;

	h = chash_mix(h, (uint64_t)a->med << 32 | a->local_pref);
	h = chash_mix(h, a->originator_id);
	h = chash_mix(h, a->weight);
	h = chash_mix(h, a->next_hop.af);
	if (a->next_hop.af)
		h = chash_mix(h, chash_bytes(a->next_hop.b,
		                             a->next_hop.af == RR_AF_INET6 ? 16
		                                                          : 4));
	h = u32s_hash(h, a->segs, a->nsegs_words);
	h = u32s_hash(h, a->clusters, a->ncluster);
	h = u32s_hash(h, a->lcomms, a->nlcomm);
	return u32s_hash(h, a->comms, a->ncomm);
}

static bool
u32s_eq(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb)
{
	return na == nb && (!na || !memcmp(a, b, na * sizeof(uint32_t)));
}

static bool
attrs_eq(const struct rib_attrs *a, const struct rib_attrs *b)
{
	return a->origin == b->origin && a->has_med == b->has_med &&
	       a->has_lp == b->has_lp && a->has_orig == b->has_orig &&
	       a->atomic == b->atomic && a->med == b->med &&
	       a->local_pref == b->local_pref &&
	       a->originator_id == b->originator_id &&
	       a->weight == b->weight &&
	       rr_addr_eq(&a->next_hop, &b->next_hop) &&
	       a->next_hop.af == b->next_hop.af &&
	       u32s_eq(a->segs, a->nsegs_words, b->segs, b->nsegs_words) &&
	       u32s_eq(a->clusters, a->ncluster, b->clusters, b->ncluster) &&
	       u32s_eq(a->comms, a->ncomm, b->comms, b->ncomm) &&
	       u32s_eq(a->lcomms, a->nlcomm, b->lcomms, b->nlcomm);
}

static uint32_t *
copy_u32s(struct world *w, const uint32_t *v, uint32_t n)
{
	uint32_t *c;

	if (!n)
		return NULL;
	c = rr_arena_calloc(&w->rib_arena, n, sizeof(uint32_t));
	memcpy(c, v, n * sizeof(uint32_t));
	return c;
}

/* AS_PATH length (RFC 4271 9.1.2.2 a) and the neighbouring AS */
static void
aspath_facts(struct rib_attrs *a)
{
	uint32_t i = 0;

	a->aspath_len = 0;
	a->first_as = 0;
	while (i + 1 < a->nsegs_words) {
		uint32_t type = a->segs[i], n = a->segs[i + 1];
		if (i == 0 && type == BGP_SEG_SEQUENCE && n)
			a->first_as = a->segs[2];
		if (type == BGP_SEG_SEQUENCE)
			a->aspath_len += n;
		else if (type == BGP_SEG_SET)
			a->aspath_len += 1;
		i += 2 + n;
	}
}

struct attrs_key {
	const struct world *w;
	const struct rib_attrs *a;
};

static bool
attrs_is(const void *ctx, uint32_t v)
{
	const struct attrs_key *k = ctx;
	return attrs_eq(k->w->attrs[v - 1], k->a);
}

uint32_t
rib_attrs_intern(struct world *w, const struct rib_attrs *key)
{
	struct rib_attrs k = *key, *n;
	struct attrs_key ak = {w, &k};
	uint32_t v;

	aspath_facts(&k);
	k.hash = attrs_hash(&k);
	v = chash_find(&w->attr_hash, k.hash, attrs_is, &ak);
	if (v)
		return v;
	n = rr_arena_alloc(&w->rib_arena, sizeof(*n));
	*n = k;
	n->segs = copy_u32s(w, k.segs, k.nsegs_words);
	n->clusters = copy_u32s(w, k.clusters, k.ncluster);
	n->comms = copy_u32s(w, k.comms, k.ncomm);
	n->lcomms = copy_u32s(w, k.lcomms, k.nlcomm);
	n->wire = NULL;
	n->nh_owner = k.next_hop.af ? world_owner(w, &k.next_hop) : SIM_NONE;
	if (w->nattrs == w->capattrs) {
		w->capattrs = w->capattrs ? w->capattrs * 2 : 1024;
		w->attrs =
		        rr_xrealloc(w->attrs, w->capattrs * sizeof(*w->attrs));
	}
	w->attrs[w->nattrs++] = n;
	chash_add(&w->attr_hash, k.hash, w->nattrs);
	return w->nattrs;
}

void
rib_attr_set(struct bgp_attr *at, uint8_t flags, uint8_t code, uint16_t len)
{
	memset(at, 0, sizeof(*at));
	at->flags = flags;
	at->code = code;
	at->len = len;
	at->decoded = true;
}

/* The attributes of set `id` as sent (ascending type codes, RFC 4271 5),
 * built on first use. */
const struct rib_attrs *
rib_attrs_wire(struct world *w, uint32_t id)
{
	struct rib_attrs *a = w->attrs[id - 1];
	struct bgp_attr *v;
	struct bgp_seg *segs = NULL;
	uint32_t n = 0, nsegs = 0, i, len = 0;

	if (a->wire)
		return a;
	v = rr_arena_calloc(&w->rib_arena, 11, sizeof(*v));
	for (i = 0; i + 1 < a->nsegs_words; i += 2 + a->segs[i + 1])
		nsegs++;
	if (nsegs) {
		uint32_t s = 0;
		segs = rr_arena_calloc(&w->rib_arena, nsegs, sizeof(*segs));
		for (i = 0; i + 1 < a->nsegs_words; i += 2 + a->segs[i + 1]) {
			segs[s].type = (uint8_t)a->segs[i];
			segs[s].n = (uint8_t)a->segs[i + 1];
			segs[s].asns = &a->segs[i + 2];
			s++;
		}
	}
	rib_attr_set(&v[n], BGP_ATTR_F_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
	v[n++].u.origin = a->origin;
	rib_attr_set(&v[n], BGP_ATTR_F_TRANSITIVE, BGP_ATTR_AS_PATH, 0);
	v[n].u.aspath.segs = segs;
	v[n++].u.aspath.nsegs = nsegs;
	len += 4 + 3 + (a->nsegs_words - nsegs * 2) * 4 + nsegs * 2 + 1;
	if (a->next_hop.af == RR_AF_INET) {
		rib_attr_set(&v[n], BGP_ATTR_F_TRANSITIVE, BGP_ATTR_NEXT_HOP, 4);
		v[n++].u.next_hop = a->next_hop;
		len += 7;
	}
	if (a->has_med) {
		rib_attr_set(&v[n], BGP_ATTR_F_OPTIONAL, BGP_ATTR_MED, 4);
		v[n++].u.u32 = a->med;
		len += 7;
	}
	if (a->has_lp) {
		rib_attr_set(&v[n], BGP_ATTR_F_TRANSITIVE, BGP_ATTR_LOCAL_PREF, 4);
		v[n++].u.u32 = a->local_pref;
		len += 7;
	}
	if (a->atomic) {
		rib_attr_set(&v[n], BGP_ATTR_F_TRANSITIVE,
		         BGP_ATTR_ATOMIC_AGGREGATE, 0);
		n++;
		len += 3;
	}
	if (a->ncomm) {
		rib_attr_set(&v[n], BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE,
		         BGP_ATTR_COMMUNITIES, (uint16_t)(a->ncomm * 4));
		v[n].u.list.v = a->comms;
		v[n++].u.list.n = a->ncomm;
		len += 4 + a->ncomm * 4;
	}
	if (a->has_orig) {
		rib_attr_set(&v[n], BGP_ATTR_F_OPTIONAL, BGP_ATTR_ORIGINATOR_ID, 4);
		v[n++].u.u32 = a->originator_id;
		len += 7;
	}
	if (a->ncluster) {
		rib_attr_set(&v[n], BGP_ATTR_F_OPTIONAL, BGP_ATTR_CLUSTER_LIST,
		         (uint16_t)(a->ncluster * 4));
		v[n].u.list.v = a->clusters;
		v[n++].u.list.n = a->ncluster;
		len += 4 + a->ncluster * 4;
	}
	if (a->nlcomm) { /* RFC 8092 */
		rib_attr_set(&v[n], BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE,
		         BGP_ATTR_LARGE_COMMUNITIES, (uint16_t)(a->nlcomm * 4));
		v[n].u.list.v = a->lcomms;
		v[n++].u.list.n = a->nlcomm;
		len += 4 + a->nlcomm * 4;
	}
	a->wire = v;
	a->nwire = n;
	a->wire_len = len;
	return a;
}

void
rib_attrs_read(const struct bgp_update *u, struct rib_attrs *k,
               uint32_t *words, size_t nwords, const struct bgp_mp **reach,
               const struct bgp_mp **unreach)
{
	size_t i, j, s;

	memset(k, 0, sizeof(*k));
	*reach = *unreach = NULL;
	for (i = 0; i < u->nattrs; i++) {
		const struct bgp_attr *a = &u->attrs[i];
		if (!a->decoded)
			continue;
		switch (a->code) {
		case BGP_ATTR_ORIGIN:
			k->origin = a->u.origin;
			break;
		case BGP_ATTR_AS_PATH:
			for (s = 0; s < a->u.aspath.nsegs; s++) {
				const struct bgp_seg *g = &a->u.aspath.segs[s];
				if (k->nsegs_words + 2u + g->n > nwords)
					break;
				words[k->nsegs_words++] = g->type;
				words[k->nsegs_words++] = g->n;
				for (j = 0; j < g->n; j++)
					words[k->nsegs_words++] = g->asns[j];
			}
			k->segs = words;
			break;
		case BGP_ATTR_NEXT_HOP:
			k->next_hop = a->u.next_hop;
			break;
		case BGP_ATTR_MED:
			k->has_med = true;
			k->med = a->u.u32;
			break;
		case BGP_ATTR_LOCAL_PREF:
			k->has_lp = true;
			k->local_pref = a->u.u32;
			break;
		case BGP_ATTR_ATOMIC_AGGREGATE:
			k->atomic = true;
			break;
		case BGP_ATTR_COMMUNITIES:
			k->comms = a->u.list.v;
			k->ncomm = (uint32_t)a->u.list.n;
			break;
		case BGP_ATTR_ORIGINATOR_ID:
			k->has_orig = true;
			k->originator_id = a->u.u32;
			break;
		case BGP_ATTR_CLUSTER_LIST:
			k->clusters = a->u.list.v;
			k->ncluster = (uint32_t)a->u.list.n;
			break;
		case BGP_ATTR_LARGE_COMMUNITIES:
			k->lcomms = a->u.list.v;
			k->nlcomm = (uint32_t)a->u.list.n;
			break;
		case BGP_ATTR_MP_REACH:
			*reach = &a->u.mp;
			break;
		case BGP_ATTR_MP_UNREACH:
			*unreach = &a->u.mp;
			break;
		default:
			break;
		}
	}
}

