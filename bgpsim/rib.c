/*
 * Routes: Adj-RIB-In per side, the decision process, route reflection and
 * export, UPDATEs out and in.
 *
 * RFC 4271 9.1 decision (a route of the speaker's own first, as IOS
 * weight 32768 and BIRD's static protocol preference make it; then
 * LOCAL_PREF, AS_PATH length, ORIGIN, MED between routes from the same
 * neighbouring AS, eBGP over iBGP, the lowest BGP identifier, taking
 * ORIGINATOR_ID in its place (RFC 4456 9), the shortest CLUSTER_LIST, the
 * lowest peer address); iBGP split horizon and RFC 4456 reflection (from a
 * client to every peer, from a non-client only to clients; ORIGINATOR_ID
 * added if absent, the cluster id prepended; a route whose CLUSTER_LIST
 * holds our cluster id or whose ORIGINATOR_ID is our router id is
 * dropped); next hops as ios-bgp.md 2.5 and calico-semantics.md 3.7 say;
 * a Calico node exports only its blocks and routes inside its IPPools
 * (R32).
 *
 * Scale: attribute sets are interned (the thousands of clients of a
 * reflector all receive the same sets); an Adj-RIB-In maps prefix ids to
 * set ids (hashed when small, a dense array when large); the best path is
 * stored only on speakers with many sessions and computed on the others;
 * the Adj-RIB-Out is a bit per prefix and a cursor into the speaker's log
 * of changed prefixes, so UPDATEs are generated while the connection has
 * room, prefixes sharing an attribute set in one message; a message that
 * goes unchanged to many peers with the same codec (an update group) is
 * encoded once (world->enc, bgp_fsm_send_encoded), and what an UPDATE read
 * once was found to mean (attribute set, prefix ids) is kept with the
 * decoded message (world->dec, world.c).
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

#define STORED_BEST_MIN 9 /* sessions from which the best path is kept */
#define EXPORT_BATCH    256
#define NLRI_MAX        1100

/* ------------------------------------------------------------ maps */

static uint32_t
mix32(uint32_t k)
{
	k *= 0x9e3779b1u;
	return k ^ (k >> 15);
}

uint32_t
rib_map_get(const struct rib_map *m, uint32_t pid)
{
	uint32_t i, mask;

	if (m->dense)
		return pid < m->ndense ? m->dense[pid] : 0;
	if (!m->cap)
		return 0;
	mask = m->cap - 1;
	for (i = mix32(pid) & mask; m->keys[i]; i = (i + 1) & mask)
		if (m->keys[i] == pid + 1)
			return m->vals[i];
	return 0;
}

static void
map_release(struct rib_map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->dense);
	memset(m, 0, sizeof(*m));
}

static void
dense_grow(struct rib_map *m, uint32_t need)
{
	/* exactly what is asked (rounded to 256), then by halves: ten
	 * thousand of these hold a full table each */
	uint32_t n = m->ndense ? m->ndense + m->ndense / 2 : 0;

	if (n < need)
		n = need;
	n = (n + 255) & ~255u;
	m->dense = rr_xrealloc(m->dense, (size_t)n * sizeof(uint32_t));
	memset(m->dense + m->ndense, 0,
	       (size_t)(n - m->ndense) * sizeof(uint32_t));
	m->ndense = n;
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
	for (i = mix32(pid) & mask; m->keys[i]; i = (i + 1) & mask)
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
	for (i = mix32(pid) & mask; m->keys[i]; i = (i + 1) & mask)
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
		h = mix32(m->keys[j] - 1) & mask;
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

static void
map_set(const struct world *w, struct rib_map *m, uint32_t pid, uint32_t v)
{
	if (!m->dense && v && !rib_map_get(m, pid) && m->count + 1 >= 32 &&
	    (uint64_t)(m->count + 1) * 16 > w->npfx) {
		/* large: a dense array is smaller and faster */
		struct rib_map o = *m;
		uint32_t i;
		memset(m, 0, sizeof(*m));
		dense_grow(m, w->npfx > pid + 1 ? w->npfx : pid + 1);
		for (i = 0; i < o.cap; i++)
			if (o.keys[i]) {
				m->dense[o.keys[i] - 1] = o.vals[i];
				m->count++;
			}
		free(o.keys);
		free(o.vals);
	}
	if (m->dense) {
		uint32_t old;
		if (pid >= m->ndense) {
			if (!v)
				return;
			dense_grow(m, pid + 1);
		}
		old = m->dense[pid];
		m->dense[pid] = v;
		m->count = m->count + (v != 0) - (old != 0);
		return;
	}
	if (v)
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
	uint32_t i, k = 0;

	if (m->dense) {
		for (i = 0; i < m->ndense && k < m->count; i++)
			if (m->dense[i])
				v[k++] = i;
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

static uint32_t
pfx_hash(const struct rr_prefix *p)
{
	uint32_t h = mix32((uint32_t)p->addr.b[0] << 24 |
	                   (uint32_t)p->addr.b[1] << 16 |
	                   (uint32_t)p->addr.b[2] << 8 | p->addr.b[3]);
	unsigned i;

	h ^= mix32((uint32_t)p->len << 8 | p->addr.af);
	if (p->addr.af == RR_AF_INET6)
		for (i = 4; i < 16; i += 4)
			h = mix32(h ^ ((uint32_t)p->addr.b[i] << 24 |
			               (uint32_t)p->addr.b[i + 1] << 16 |
			               (uint32_t)p->addr.b[i + 2] << 8 |
			               p->addr.b[i + 3]));
	return h;
}

static bool
pfx_eq(const struct rr_prefix *a, const struct rr_prefix *b)
{
	return a->len == b->len && a->addr.af == b->addr.af &&
	       !memcmp(a->addr.b, b->addr.b,
	               a->addr.af == RR_AF_INET6 ? 16 : 4);
}

static void
pfx_rehash(struct world *w)
{
	uint32_t i, cap = w->pfx_hcap ? w->pfx_hcap * 2 : 1024;

	free(w->pfx_hash);
	w->pfx_hash = rr_xcalloc(cap, sizeof(uint32_t));
	w->pfx_hcap = cap;
	for (i = 0; i < w->npfx; i++) {
		uint32_t j = pfx_hash(&w->pfx[i].p) & (cap - 1);
		while (w->pfx_hash[j])
			j = (j + 1) & (cap - 1);
		w->pfx_hash[j] = i + 1;
	}
}

uint32_t
rib_prefix_id(struct world *w, const struct rr_prefix *in)
{
	struct rr_prefix p;
	uint32_t j;

	unsigned i, bits = in->addr.af == RR_AF_INET6 ? 128u : 32u;

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
	if ((w->npfx + 1) * 2 > w->pfx_hcap)
		pfx_rehash(w);
	for (j = pfx_hash(&p) & (w->pfx_hcap - 1); w->pfx_hash[j];
	     j = (j + 1) & (w->pfx_hcap - 1))
		if (pfx_eq(&w->pfx[w->pfx_hash[j] - 1].p, &p))
			return w->pfx_hash[j] - 1;
	if (w->npfx == w->cappfx) {
		w->cappfx = w->cappfx ? w->cappfx * 2 : 1024;
		w->pfx = rr_xrealloc(w->pfx, w->cappfx * sizeof(*w->pfx));
	}
	w->pfx[w->npfx].p = p;
	w->pfx[w->npfx].pool = 0;
	w->pfx_hash[j] = w->npfx + 1;
	return w->npfx++;
}

const struct rr_prefix *
rib_prefix(const struct world *w, uint32_t pid)
{
	return &w->pfx[pid].p;
}

/* R32: 1 outside every pool, 2 inside one, 3 inside an export-disabled one */
static uint8_t
pool_of(const struct world *w, uint32_t pid)
{
	struct rib_pfx *x = &w->pfx[pid];
	const struct rr_calico *c = &w->m->calico;
	size_t i;
	uint8_t r = 1;

	if (x->pool)
		return x->pool;
	for (i = 0; i < c->nippools; i++) {
		const struct rr_ippool *pl = &c->ippools[i];
		if (!pl->cidr.addr.af || pl->cidr.addr.af != x->p.addr.af ||
		    x->p.len < pl->cidr.len ||
		    !rr_prefix_contains(&pl->cidr, &x->p.addr))
			continue;
		if (pl->disable_bgp_export.set && pl->disable_bgp_export.v) {
			r = 3;
			break;
		}
		r = 2;
	}
	x->pool = r;
	return r;
}

/* ---------------------------------------------------- attribute sets */

const struct rib_attrs *
rib_attrs(const struct world *w, uint32_t id)
{
	return id ? w->attrs[id - 1] : NULL;
}

static uint32_t
hmix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x01000193u;
	return h ^ (h >> 13);
}

static uint32_t
attrs_hash(const struct rib_attrs *a)
{
	uint32_t h = 0x811c9dc5u, i;

	h = hmix(h, (uint32_t)a->origin | (uint32_t)a->has_med << 8 |
	                    (uint32_t)a->has_lp << 9 |
	                    (uint32_t)a->has_orig << 10 |
	                    (uint32_t)a->atomic << 11);
	h = hmix(h, a->med);
	h = hmix(h, a->local_pref);
	h = hmix(h, a->originator_id);
	h = hmix(h, a->next_hop.af);
	for (i = 0; i < 16; i += 4)
		h = hmix(h, (uint32_t)a->next_hop.b[i] << 24 |
		                    (uint32_t)a->next_hop.b[i + 1] << 16 |
		                    (uint32_t)a->next_hop.b[i + 2] << 8 |
		                    a->next_hop.b[i + 3]);
	for (i = 0; i < a->nsegs_words; i++)
		h = hmix(h, a->segs[i]);
	h = hmix(h, 0xffffffffu);
	for (i = 0; i < a->ncluster; i++)
		h = hmix(h, a->clusters[i]);
	h = hmix(h, 0xfffffffeu);
	for (i = 0; i < a->ncomm; i++)
		h = hmix(h, a->comms[i]);
	return h;
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
	       rr_addr_eq(&a->next_hop, &b->next_hop) &&
	       a->next_hop.af == b->next_hop.af &&
	       u32s_eq(a->segs, a->nsegs_words, b->segs, b->nsegs_words) &&
	       u32s_eq(a->clusters, a->ncluster, b->clusters, b->ncluster) &&
	       u32s_eq(a->comms, a->ncomm, b->comms, b->ncomm);
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

/* The id of this set (interned; its arrays are copied). */
static uint32_t
attrs_intern(struct world *w, const struct rib_attrs *key)
{
	struct rib_attrs k = *key, *n;
	uint32_t i, b;

	aspath_facts(&k);
	k.hash = attrs_hash(&k);
	if (w->attr_hcap)
		for (i = w->attr_hash[k.hash & (w->attr_hcap - 1)]; i;
		     i = w->attrs[i - 1]->next)
			if (w->attrs[i - 1]->hash == k.hash &&
			    attrs_eq(w->attrs[i - 1], &k))
				return i;
	n = rr_arena_alloc(&w->rib_arena, sizeof(*n));
	*n = k;
	n->segs = copy_u32s(w, k.segs, k.nsegs_words);
	n->clusters = copy_u32s(w, k.clusters, k.ncluster);
	n->comms = copy_u32s(w, k.comms, k.ncomm);
	n->wire = NULL;
	n->nh_owner = k.next_hop.af ? world_owner(w, &k.next_hop) : SIM_NONE;
	if (w->nattrs == w->capattrs) {
		w->capattrs = w->capattrs ? w->capattrs * 2 : 1024;
		w->attrs =
		        rr_xrealloc(w->attrs, w->capattrs * sizeof(*w->attrs));
	}
	w->attrs[w->nattrs++] = n;
	if (w->nattrs * 2 > w->attr_hcap) {
		free(w->attr_hash);
		w->attr_hcap = w->attr_hcap ? w->attr_hcap * 4 : 1024;
		w->attr_hash = rr_xcalloc(w->attr_hcap, sizeof(uint32_t));
		for (i = 0; i < w->nattrs; i++) {
			b = w->attrs[i]->hash & (w->attr_hcap - 1);
			w->attrs[i]->next = w->attr_hash[b];
			w->attr_hash[b] = i + 1;
		}
	} else {
		b = n->hash & (w->attr_hcap - 1);
		n->next = w->attr_hash[b];
		w->attr_hash[b] = w->nattrs;
	}
	return w->nattrs;
}

static void
set_attr(struct bgp_attr *at, uint8_t flags, uint8_t code, uint16_t len)
{
	memset(at, 0, sizeof(*at));
	at->flags = flags;
	at->code = code;
	at->len = len;
	at->decoded = true;
}

/* The attributes of set `id` as sent (ascending type codes, RFC 4271 5). */
static const struct rib_attrs *
attrs_wire(struct world *w, uint32_t id)
{
	struct rib_attrs *a = w->attrs[id - 1];
	struct bgp_attr *v;
	struct bgp_seg *segs = NULL;
	uint32_t n = 0, nsegs = 0, i, len = 0;

	if (a->wire)
		return a;
	v = rr_arena_calloc(&w->rib_arena, 10, sizeof(*v));
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
	set_attr(&v[n], BGP_ATTR_F_TRANSITIVE, BGP_ATTR_ORIGIN, 1);
	v[n++].u.origin = a->origin;
	set_attr(&v[n], BGP_ATTR_F_TRANSITIVE, BGP_ATTR_AS_PATH, 0);
	v[n].u.aspath.segs = segs;
	v[n++].u.aspath.nsegs = nsegs;
	len += 4 + 3 + (a->nsegs_words - nsegs * 2) * 4 + nsegs * 2 + 1;
	if (a->next_hop.af == RR_AF_INET) {
		set_attr(&v[n], BGP_ATTR_F_TRANSITIVE, BGP_ATTR_NEXT_HOP, 4);
		v[n++].u.next_hop = a->next_hop;
		len += 7;
	}
	if (a->has_med) {
		set_attr(&v[n], BGP_ATTR_F_OPTIONAL, BGP_ATTR_MED, 4);
		v[n++].u.u32 = a->med;
		len += 7;
	}
	if (a->has_lp) {
		set_attr(&v[n], BGP_ATTR_F_TRANSITIVE, BGP_ATTR_LOCAL_PREF, 4);
		v[n++].u.u32 = a->local_pref;
		len += 7;
	}
	if (a->atomic) {
		set_attr(&v[n], BGP_ATTR_F_TRANSITIVE,
		         BGP_ATTR_ATOMIC_AGGREGATE, 0);
		n++;
		len += 3;
	}
	if (a->ncomm) {
		set_attr(&v[n], BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE,
		         BGP_ATTR_COMMUNITIES, (uint16_t)(a->ncomm * 4));
		v[n].u.list.v = a->comms;
		v[n++].u.list.n = a->ncomm;
		len += 4 + a->ncomm * 4;
	}
	if (a->has_orig) {
		set_attr(&v[n], BGP_ATTR_F_OPTIONAL, BGP_ATTR_ORIGINATOR_ID, 4);
		v[n++].u.u32 = a->originator_id;
		len += 7;
	}
	if (a->ncluster) {
		set_attr(&v[n], BGP_ATTR_F_OPTIONAL, BGP_ATTR_CLUSTER_LIST,
		         (uint16_t)(a->ncluster * 4));
		v[n].u.list.v = a->clusters;
		v[n++].u.list.n = a->ncluster;
		len += 4 + a->ncluster * 4;
	}
	a->wire = v;
	a->nwire = n;
	a->wire_len = len;
	return a;
}

/* ----------------------------------------------------------- decision */

static uint32_t
lp_of(const struct rib_attrs *a)
{
	return a->has_lp ? a->local_pref : 100; /* RFC 4271 5.1.5 default */
}

bool
rib_decide(const struct rib_path *a, const struct rib_path *b)
{
	int c;

	/* a route of our own first (IOS weight 32768, BIRD's static
	 * protocol preference 200 over BGP's 100) */
	if (a->local != b->local)
		return a->local;
	if (a->local_pref != b->local_pref) /* 9.1.2.2 (lp) */
		return a->local_pref > b->local_pref;
	if (a->aspath_len != b->aspath_len) /* a */
		return a->aspath_len < b->aspath_len;
	if (a->origin != b->origin) /* b */
		return a->origin < b->origin;
	if (a->first_as == b->first_as && a->med != b->med) /* c */
		return a->med < b->med;
	if (a->ebgp != b->ebgp) /* d */
		return a->ebgp;
	/* e: no IGP metric in the simulation; f: the lowest identifier,
	 * ORIGINATOR_ID in its place (RFC 4456 9), then the shortest
	 * CLUSTER_LIST (RFC 4456 9); g: the lowest peer address */
	if (a->id != b->id)
		return a->id < b->id;
	if (a->ncluster != b->ncluster)
		return a->ncluster < b->ncluster;
	c = rr_addr_cmp(&a->peer, &b->peer);
	if (c)
		return c < 0;
	return a->order < b->order;
}

bool
rib_reflect_ok(bool bird, bool from_client, bool to_client,
               bool client_to_client)
{
	if (bird)
		return from_client || to_client;
	if (from_client)
		return !to_client || client_to_client;
	return to_client;
}

static void
path_of(const struct world *w, uint32_t k, uint32_t src, uint32_t ia,
        struct rib_path *p)
{
	const struct rib_attrs *a = rib_attrs(w, ia);
	bool local = src == RIB_SRC_LOCAL;

	p->local = local;
	p->ebgp = !local && !w->side[src].pub.ibgp;
	p->local_pref = lp_of(a);
	p->aspath_len = a->aspath_len;
	p->origin = a->origin;
	p->first_as = a->first_as;
	p->med = a->has_med ? a->med : 0; /* a missing MED is 0 */
	p->id = a->has_orig ? a->originator_id
	        : local     ? w->spk[k].pub.router_id
	                    : w->side[src].pub.peer_id;
	p->ncluster = a->ncluster;
	if (local)
		memset(&p->peer, 0, sizeof(p->peer));
	else
		p->peer = w->side[src].pub.peer;
	p->order = local ? 0 : src + 1;
}

/* Is (sa, a) preferred over (sb, b) at speaker k? */
static bool
better(const struct world *w, uint32_t k, uint32_t sa, uint32_t ia, uint32_t sb,
       uint32_t ib)
{
	struct rib_path a, b;

	if (sb == SIM_NONE)
		return true;
	if (ia == ib && sa != RIB_SRC_LOCAL && sb != RIB_SRC_LOCAL &&
	    w->side[sa].pub.ibgp == w->side[sb].pub.ibgp &&
	    rib_attrs(w, ia)->has_orig) {
		/* the same set from two reflectors: only the peer address
		 * tells them apart (RFC 4271 9.1.2.2 g) */
		int c = rr_addr_cmp(&w->side[sa].pub.peer,
		                    &w->side[sb].pub.peer);
		return c ? c < 0 : sa < sb;
	}
	path_of(w, k, sa, ia, &a);
	path_of(w, k, sb, ib, &b);
	return rib_decide(&a, &b);
}

static uint32_t
compute_best(const struct world *w, uint32_t k, uint32_t pid, uint32_t *attrs)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t best = SIM_NONE, ba = 0, v, i;

	v = rib_map_get(&sp->rib.local, pid);
	if (v) {
		best = RIB_SRC_LOCAL;
		ba = v;
	}
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t si = sp->pub.first_session + i;
		v = rib_map_get(&w->side[si].rib.in, pid);
		if (v && better(w, k, si, v, best, ba)) {
			best = si;
			ba = v;
		}
	}
	*attrs = ba;
	return best;
}

uint32_t
rib_best(const struct world *w, uint32_t k, uint32_t pid, uint32_t *attrs)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t v;

	if (!sp->rib.stored_best)
		return compute_best(w, k, pid, attrs);
	v = rib_map_get(&sp->rib.best, pid);
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

/* ------------------------------------------------------------ export */

static bool
has_u32(const uint32_t *v, uint32_t n, uint32_t x)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* Policy only (the session's state aside): may speaker k send the route
 * (src, attrs ia) for pid on side di? */
static enum rib_why
export_policy(const struct world *w, uint32_t k, uint32_t pid, uint32_t src,
              uint32_t ia, uint32_t di)
{
	const struct wspk *sp = &w->spk[k];
	const struct wside *d = &w->side[di];
	const struct rr_prefix *p = &w->pfx[pid].p;

	if (src == SIM_NONE)
		return RIB_NO_ROUTE;
	if ((p->addr.af == RR_AF_INET6) != d->pub.ipv6)
		return RIB_FAMILY;
	if (!d->v4_active)
		return RIB_NOT_ACTIVATED;
	if (src == di)
		return RIB_TO_SOURCE; /* both profiles: reflect_to_source off */
	if (sp->rib.calico) {
		uint8_t pool = pool_of(w, pid);
		if (pool == 3)
			return RIB_CALICO_DISABLED; /* R32 (a) */
		if (src != RIB_SRC_LOCAL && pool != 2)
			return RIB_CALICO_POOL; /* R32: falls off the end */
	}
	if (src != RIB_SRC_LOCAL) {
		const struct wside *s = &w->side[src];
		if (s->pub.ibgp && d->pub.ibgp &&
		    !rib_reflect_ok(sp->rib.calico, s->pub.rr_client,
		                    d->pub.rr_client, d->client_to_client))
			return s->pub.rr_client && d->pub.rr_client
			               ? RIB_NO_C2C
			               : RIB_SPLIT_HORIZON;
		/* BIRD: not to a client whose cluster id is in the list */
		if (sp->rib.calico && d->pub.rr_client && ia) {
			const struct rib_attrs *a = rib_attrs(w, ia);
			if (has_u32(a->clusters, a->ncluster, d->cluster_id))
				return RIB_SPLIT_HORIZON;
		}
	}
	return RIB_OK;
}

enum rib_why
rib_export_why(const struct world *w, uint32_t k, uint32_t pid, uint32_t si)
{
	uint32_t ia, src = rib_best(w, k, pid, &ia);

	if (src == SIM_NONE)
		return RIB_NO_ROUTE;
	if (w->side[si].pub.state != FSM_ST_ESTABLISHED)
		return RIB_NOT_UP;
	return export_policy(w, k, pid, src, ia, si);
}

static bool
exportable_somewhere(const struct world *w, uint32_t k, uint32_t pid,
                     uint32_t src, uint32_t ia)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t i;

	if (src == SIM_NONE)
		return false;
	for (i = 0; i < sp->pub.nsessions; i++)
		if (export_policy(w, k, pid, src, ia,
		                  sp->pub.first_session + i) == RIB_OK)
			return true;
	return false;
}

static uint32_t
class_of(struct world *w, uint32_t di)
{
	struct wside *d = &w->side[di];
	struct rib_spk *r = &w->spk[d->pub.speaker].rib;
	struct rib_class c;
	uint32_t i;

	if (d->rib.dst_class)
		return d->rib.dst_class;
	memset(&c, 0, sizeof(c));
	c.ibgp = d->pub.ibgp;
	c.nh_self = r->calico ? d->bird_nh_self : d->ios_nhs;
	c.nh_self_all = r->calico ? d->bird_nh_self : d->ios_nhs_all;
	c.nh_keep = r->calico && d->bird_nh_keep;
	c.cluster_id = d->cluster_id;
	c.local_as = d->cfg.local_as;
	c.local = d->pub.local;
	for (i = 0; i < r->nclasses; i++)
		if (!memcmp(&r->classes[i], &c, sizeof(c)))
			break;
	if (i == r->nclasses) {
		if (r->nclasses == r->capclasses) {
			r->capclasses = r->capclasses ? r->capclasses * 2 : 4;
			r->classes = rr_xrealloc(r->classes,
			                         r->capclasses * sizeof(c));
		}
		memset(&r->classes[i], 0, sizeof(c));
		r->classes[i] = c;
		r->nclasses++;
	}
	d->rib.dst_class = i + 1;
	return i + 1;
}

/*
 * The attributes sent on side di for route (src, ia): RFC 4456 8 when
 * reflecting, RFC 4271 5.1.2/5.1.3/5.1.5 toward eBGP, next hops per
 * profile.
 */
static uint32_t
transform(struct world *w, uint32_t k, uint32_t src, uint32_t ia, uint32_t di)
{
	struct wspk *sp = &w->spk[k];
	struct rib_spk *r = &sp->rib;
	const struct wside *d = &w->side[di];
	uint32_t cls = class_of(w, di), h, i, mask, out;
	const struct rib_class *c = &r->classes[cls - 1];
	struct rib_attrs a = *rib_attrs(w, ia);
	uint32_t words[256 + 2], clusters[64];
	bool self = false;

	/* memo: (attrs, source, class) -> attrs out */
	if (r->memocap) {
		mask = r->memocap - 1;
		h = mix32(ia * 31u + src * 7u + cls) & mask;
		for (i = h; r->memo[4 * i]; i = (i + 1) & mask)
			if (r->memo[4 * i] == ia && r->memo[4 * i + 1] == src &&
			    r->memo[4 * i + 2] == cls)
				return r->memo[4 * i + 3];
	}
	a.wire = NULL;
	if (src == RIB_SRC_LOCAL) {
		self = true; /* own routes: the session's address */
	} else {
		const struct wside *s = &w->side[src];
		if (c->ibgp && s->pub.ibgp) {
			/* reflection (RFC 4456 8) */
			uint32_t cid = r->calico && !s->pub.rr_client
			                       ? c->cluster_id
			               : r->calico ? s->cluster_id
			                           : sp->pub.cluster_id;
			if (!a.has_orig) {
				a.has_orig = true;
				a.originator_id = s->pub.peer_id;
			}
			if (a.ncluster + 1 >
			    sizeof(clusters) / sizeof(clusters[0]))
				return 0;
			clusters[0] = cid;
			if (a.ncluster)
				memcpy(clusters + 1, a.clusters,
				       a.ncluster * sizeof(uint32_t));
			a.clusters = clusters;
			a.ncluster++;
			self = c->nh_self_all;
		} else if (c->ibgp) {
			/* eBGP-learned to iBGP: next-hop-self if asked */
			self = c->nh_self;
			if (!a.has_lp) {
				a.has_lp = true;
				a.local_pref = 100;
			}
		} else {
			self = !c->nh_keep;
		}
	}
	if (!c->ibgp) {
		/* RFC 4271 5.1.2: prepend our AS; no LOCAL_PREF, no MED, no
		 * reflection attributes across AS borders */
		uint32_t n = 0;
		words[n++] = BGP_SEG_SEQUENCE;
		if (a.nsegs_words >= 2 && a.segs[0] == BGP_SEG_SEQUENCE &&
		    a.segs[1] < 255) {
			words[n++] = a.segs[1] + 1;
			words[n++] = c->local_as;
			if (a.nsegs_words - 2 > sizeof(words) / 4 - n)
				return 0;
			memcpy(words + n, a.segs + 2,
			       (a.nsegs_words - 2) * sizeof(uint32_t));
			n += a.nsegs_words - 2;
		} else {
			words[n++] = 1;
			words[n++] = c->local_as;
			if (a.nsegs_words > sizeof(words) / 4 - n)
				return 0;
			if (a.nsegs_words)
				memcpy(words + n, a.segs,
				       a.nsegs_words * sizeof(uint32_t));
			n += a.nsegs_words;
		}
		a.segs = words;
		a.nsegs_words = n;
		a.has_lp = false;
		a.local_pref = 0;
		if (src != RIB_SRC_LOCAL) {
			a.has_med = false;
			a.med = 0;
		}
		a.has_orig = false;
		a.originator_id = 0;
		a.ncluster = 0;
		a.clusters = NULL;
	}
	if (self)
		a.next_hop = d->pub.local;
	out = attrs_intern(w, &a);
	/* remember */
	if ((r->memocount + 1) * 2 > r->memocap) {
		uint32_t ocap = r->memocap, *old = r->memo, j;
		r->memocap = ocap ? ocap * 2 : 16;
		r->memo = rr_xcalloc((size_t)r->memocap * 4, sizeof(uint32_t));
		r->memocount = 0;
		mask = r->memocap - 1;
		for (j = 0; j < ocap; j++) {
			if (!old[4 * j])
				continue;
			h = mix32(old[4 * j] * 31u + old[4 * j + 1] * 7u +
			          old[4 * j + 2]) &
			    mask;
			while (r->memo[4 * h])
				h = (h + 1) & mask;
			memcpy(&r->memo[4 * h], &old[4 * j],
			       4 * sizeof(uint32_t));
			r->memocount++;
		}
		free(old);
	}
	mask = r->memocap - 1;
	h = mix32(ia * 31u + src * 7u + cls) & mask;
	while (r->memo[4 * h])
		h = (h + 1) & mask;
	r->memo[4 * h] = ia;
	r->memo[4 * h + 1] = src;
	r->memo[4 * h + 2] = cls;
	r->memo[4 * h + 3] = out;
	r->memocount++;
	return out;
}

/* ------------------------------------------------------------ the log */

static void
log_compact(struct world *w, uint32_t k)
{
	struct wspk *sp = &w->spk[k];
	struct rib_spk *r = &sp->rib;
	uint32_t *newpos = rr_xcalloc(r->nlog + 1, sizeof(uint32_t));
	uint32_t i, n = 0;

	for (i = 0; i < r->nlog; i++) {
		newpos[i] = n;
		if (!r->log[i].stale) {
			r->log[n] = r->log[i];
			map_set(w, &r->logpos, r->log[n].pid, n + 1);
			n++;
		}
	}
	newpos[r->nlog] = n;
	for (i = 0; i < sp->pub.nsessions; i++) {
		struct wside *s = &w->side[sp->pub.first_session + i];
		s->rib.cursor = newpos[s->rib.cursor];
	}
	r->nlog = n;
	free(newpos);
}

/* The best path of pid changed: a new log entry when it is (or was)
 * exportable somewhere, else the standing entry follows the change. */
static void
log_note(struct world *w, uint32_t k, uint32_t pid, uint32_t src, uint32_t ia,
         bool append)
{
	struct rib_spk *r = &w->spk[k].rib;
	uint32_t pos = rib_map_get(&r->logpos, pid);
	struct rib_logent *e;

	if (!append) {
		if (pos) {
			r->log[pos - 1].src = src;
			r->log[pos - 1].ia = ia;
			r->log[pos - 1].cls = 0;
		}
		return;
	}
	if (!pos)
		r->nvalid++;
	else
		r->log[pos - 1].stale = true;
	if (pos && r->nlog > 1024 && r->nlog > 2 * r->nvalid)
		log_compact(w, k);
	if (r->nlog == r->caplog) {
		r->caplog = r->caplog ? r->caplog * 2 : 16;
		r->log = rr_xrealloc(r->log, r->caplog * sizeof(*r->log));
	}
	e = &r->log[r->nlog++];
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->src = src;
	e->ia = ia;
	map_set(w, &r->logpos, pid, r->nlog);
}

/* ------------------------------------------------------------ updates */

static void
best_changed(struct world *w, uint32_t k, uint32_t pid, uint32_t old,
             uint32_t oa, uint32_t nw, uint32_t na)
{
	struct wspk *sp = &w->spk[k];

	if (old == SIM_NONE)
		sp->rib.nbest++;
	if (nw == SIM_NONE)
		sp->rib.nbest--;
	sp->pub.table_version++;
	sp->pub.nbest = sp->rib.nbest;
	world_changed(w);
	if (exportable_somewhere(w, k, pid, old, oa) ||
	    exportable_somewhere(w, k, pid, nw, na)) {
		log_note(w, k, pid, nw, na, true);
		world_queue_export(w, k);
	} else {
		log_note(w, k, pid, nw, na, false);
	}
}

static uint32_t
best_code(const struct wspk *sp, uint32_t src)
{
	if (src == SIM_NONE)
		return 0;
	if (src == RIB_SRC_LOCAL)
		return 1;
	return src - sp->pub.first_session + 2;
}

/* Route (src, attrs; 0 withdraws) for pid at speaker k. */
static void
rib_update(struct world *w, uint32_t k, uint32_t src, uint32_t pid,
           uint32_t attrs)
{
	struct wspk *sp = &w->spk[k];
	struct rib_spk *r = &sp->rib;
	struct rib_map *in =
	        src == RIB_SRC_LOCAL ? &r->local : &w->side[src].rib.in;
	uint32_t oa, old, na, nw;

	if (rib_map_get(in, pid) == attrs)
		return;
	old = rib_best(w, k, pid, &oa);
	map_set(w, in, pid, attrs);
	if (src != RIB_SRC_LOCAL)
		w->side[src].pub.pfx_rcvd = in->count;
	if (old == src) {
		nw = compute_best(w, k, pid, &na);
	} else if (attrs && better(w, k, src, attrs, old, oa)) {
		nw = src;
		na = attrs;
	} else {
		nw = old;
		na = oa;
	}
	if (r->stored_best)
		map_set(w, &r->best, pid, best_code(sp, nw));
	if (nw != old || na != oa)
		best_changed(w, k, pid, old, oa, nw, na);
}

static void
note_drop(struct wside *s, uint8_t why, uint32_t pid, uint32_t val)
{
	if (!s->rib.ndrops++) {
		s->rib.drop = why;
		s->rib.drop_pid = pid;
		s->rib.drop_val = val;
	}
}

/* The attributes of an UPDATE as a set (unknown attributes are not kept). */
static void
attrs_from(const struct bgp_update *u, struct rib_attrs *k, uint32_t *words,
           size_t nwords, const struct bgp_mp **reach,
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

static bool
aspath_has(const struct rib_attrs *a, uint32_t as, uint32_t allowed)
{
	uint32_t i = 0, seen = 0, j;

	while (i + 1 < a->nsegs_words) {
		uint32_t n = a->segs[i + 1];
		for (j = 0; j < n && i + 2 + j < a->nsegs_words; j++)
			if (a->segs[i + 2 + j] == as)
				seen++;
		i += 2 + n;
	}
	return seen > allowed;
}

static uint32_t
raw_hash(const uint8_t *b, size_t n, bool as4)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n ^ (as4 ? 0x100 : 0);
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, b + i, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

/* The path attribute block of a decoded UPDATE (first to last attribute,
 * as received), or NULL. */
static const uint8_t *
attr_block(const struct bgp_update *u, size_t *len)
{
	const struct bgp_attr *f, *l;
	const uint8_t *start;
	size_t i;

	if (!u->nattrs)
		return NULL;
	f = &u->attrs[0];
	l = &u->attrs[u->nattrs - 1];
	if (!f->raw || !l->raw)
		return NULL;
	for (i = 0; i < u->nattrs; i++)
		if (u->attrs[i].code == BGP_ATTR_MP_REACH ||
		    u->attrs[i].code == BGP_ATTR_MP_UNREACH)
			return NULL; /* NLRI inside: no reuse */
	start = f->raw - (f->flags & BGP_ATTR_F_EXTLEN ? 4 : 3);
	if (l->raw + l->len < start)
		return NULL;
	*len = (size_t)(l->raw + l->len - start);
	return start;
}

/* Most UPDATEs repeat attribute bytes another session already brought:
 * the same bytes decode to the same set. */
static uint32_t
raw_lookup(struct world *w, const uint8_t *b, size_t n, bool as4,
           uint32_t *hash)
{
	uint32_t h = raw_hash(b, n, as4), i;

	*hash = h;
	if (!w->raw_hcap)
		return 0;
	for (i = w->raw_hash[h & (w->raw_hcap - 1)]; i; i = w->raw[i - 1].next)
		if (w->raw[i - 1].hash == h && w->raw[i - 1].len == n &&
		    w->raw[i - 1].as4 == as4 &&
		    !memcmp(w->raw[i - 1].bytes, b, n))
			return w->raw[i - 1].id;
	return 0;
}

static void
raw_insert(struct world *w, const uint8_t *b, size_t n, bool as4, uint32_t h,
           uint32_t id)
{
	struct rib_raw *e;
	uint8_t *copy;
	uint32_t k;

	if (n > 0xffff)
		return;
	if (w->nraw == w->capraw) {
		w->capraw = w->capraw ? w->capraw * 2 : 1024;
		w->raw = rr_xrealloc(w->raw, w->capraw * sizeof(*w->raw));
	}
	copy = rr_arena_alloc(&w->rib_arena, n);
	memcpy(copy, b, n);
	e = &w->raw[w->nraw++];
	e->hash = h;
	e->len = (uint32_t)n;
	e->as4 = as4;
	e->bytes = copy;
	e->id = id;
	if (w->nraw * 2 > w->raw_hcap) {
		free(w->raw_hash);
		w->raw_hcap = w->raw_hcap ? w->raw_hcap * 4 : 1024;
		w->raw_hash = rr_xcalloc(w->raw_hcap, sizeof(uint32_t));
		for (k = 0; k < w->nraw; k++) {
			uint32_t bk = w->raw[k].hash & (w->raw_hcap - 1);
			w->raw[k].next = w->raw_hash[bk];
			w->raw_hash[bk] = k + 1;
		}
	} else {
		uint32_t bk = h & (w->raw_hcap - 1);
		e->next = w->raw_hash[bk];
		w->raw_hash[bk] = w->nraw;
	}
}

/* The import checks of RFC 4456 8 and RFC 4271 9.1.2 for set a on side s. */
static uint8_t
import_drop(const struct world *w, const struct wside *s,
            const struct rib_attrs *a)
{
	const struct wspk *sp = &w->spk[s->pub.speaker];

	if (a->has_orig && a->originator_id == sp->pub.router_id)
		return RIB_DROP_ORIGINATOR;
	if (a->ncluster) {
		/* IOS checks its cluster id; BIRD only on the sessions of
		 * its clients (bgp_cluster_list_loopy) */
		uint32_t cid =
		        sp->rib.calico ? s->cluster_id : sp->pub.cluster_id;
		if ((!sp->rib.calico || s->pub.rr_client) &&
		    has_u32(a->clusters, a->ncluster, cid))
			return RIB_DROP_CLUSTER;
	}
	if (!s->pub.ibgp) {
		uint32_t allow = s->pub.nb && s->pub.nb->allow_local_as.set
		                         ? s->pub.nb->allow_local_as.v
		                         : 0;
		if (aspath_has(a, s->cfg.local_as, allow))
			return RIB_DROP_ASLOOP;
	}
	return RIB_DROP_NONE;
}

void
rib_import(struct world *w, uint32_t si, const struct bgp_update *u)
{
	struct wside *s = &w->side[si];
	uint32_t k = s->pub.speaker;
	struct rib_attrs key;
	uint32_t words[512], id = 0, h = 0, pid;
	const struct bgp_mp *reach = NULL, *unreach = NULL;
	const struct bgp_nlri *nl = u->nlri;
	const struct fsm *f = world_session_fsm(w, si);
	const uint8_t *blk = NULL;
	size_t nnl = u->nnlri, i, blen = 0;
	uint8_t why = RIB_DROP_NONE;
	bool v6 = s->pub.ipv6, as4 = f && f->rx.as4;
	/* the same bytes read before (world.c's decoded messages): what
	 * they were found to mean */
	struct wdec *dc = w->dec_cur;

	if (dc && (dc->msg.u.update.attrs != u->attrs ||
	           dc->msg.u.update.nlri != u->nlri ||
	           dc->msg.u.update.nnlri != u->nnlri))
		dc = NULL; /* not that message */

	if (!v6 && nnl && (blk = attr_block(u, &blen)) != NULL) {
		if (dc && dc->raw_id)
			id = dc->raw_id;
		else
			id = raw_lookup(w, blk, blen, as4, &h);
		if (dc && id)
			dc->raw_id = id;
	}
	if (!id) {
		attrs_from(u, &key, words, sizeof(words) / sizeof(words[0]),
		           &reach, &unreach);
	}
	for (i = 0; i < u->nwithdrawn; i++)
		if (!v6)
			rib_update(w, k, si,
			           rib_prefix_id(w, &u->withdrawn[i].prefix),
			           0);
	if (unreach && unreach->nlri && (unreach->afi == BGP_AFI_IPV6) == v6)
		for (i = 0; i < unreach->nnlri; i++)
			rib_update(w, k, si,
			           rib_prefix_id(w, &unreach->nlri[i].prefix),
			           0);
	if (reach && reach->nlri) {
		nl = reach->nlri;
		nnl = reach->nnlri;
		if (reach->afi == BGP_AFI_IPV6 && reach->nh_len >= 16) {
			key.next_hop.af = RR_AF_INET6;
			memcpy(key.next_hop.b, reach->nh, 16);
		} else if (reach->afi == BGP_AFI_IPV4 && reach->nh_len >= 4) {
			key.next_hop.af = RR_AF_INET;
			memcpy(key.next_hop.b, reach->nh, 4);
		}
		if ((reach->afi == BGP_AFI_IPV6) != v6)
			why = RIB_DROP_FAMILY;
	} else if (nnl && v6) {
		why = RIB_DROP_FAMILY;
	}
	if (!nnl)
		return; /* withdrawals only, or End-of-RIB */
	if (!s->v4_active)
		why = RIB_DROP_FAMILY; /* IOS: the family is not activated */
	if (u->action == BGP_ACT_TREAT_AS_WITHDRAW)
		why = RIB_DROP_WITHDRAW; /* RFC 7606 2 */
	if (!why && !id) {
		id = attrs_intern(w, &key);
		if (blk) {
			raw_insert(w, blk, blen, as4, h, id);
			if (dc)
				dc->raw_id = id;
		}
	}
	if (!why)
		why = import_drop(w, s, rib_attrs(w, id));
	if (why) {
		const struct rib_attrs *a = id ? rib_attrs(w, id) : NULL;
		note_drop(s, why, rib_prefix_id(w, &nl[0].prefix),
		          why == RIB_DROP_CLUSTER && a ? a->clusters[0] : 0);
		id = 0;
	}
	if (dc && nl == u->nlri && !dc->nlri_pids) {
		dc->nlri_pids = rr_arena_calloc(&w->dec_arena[dc->epoch & 1],
		                                nnl, sizeof(uint32_t));
		for (i = 0; i < nnl; i++)
			dc->nlri_pids[i] =
			        (nl[i].prefix.addr.af == RR_AF_INET6) != v6
			                ? UINT32_MAX
			                : rib_prefix_id(w, &nl[i].prefix);
	}
	for (i = 0; i < nnl; i++) {
		if ((nl[i].prefix.addr.af == RR_AF_INET6) != v6)
			continue;
		pid = dc && nl == u->nlri ? dc->nlri_pids[i] : UINT32_MAX;
		if (pid == UINT32_MAX)
			pid = rib_prefix_id(w, &nl[i].prefix);
		rib_update(w, k, si, pid, id);
	}
}

void
rib_side_down(struct world *w, uint32_t si)
{
	struct wside *s = &w->side[si];
	struct rr_arena a;
	uint32_t n, i, *keys;

	rr_arena_init(&a);
	keys = rib_map_keys(&s->rib.in, &a, &n);
	for (i = 0; i < n; i++)
		rib_update(w, s->pub.speaker, si, keys[i], 0);
	rr_arena_release(&a);
	map_release(&s->rib.in);
	s->pub.pfx_rcvd = 0;
	free(s->rib.adv);
	s->rib.adv = NULL;
	s->rib.nadv = 0;
	s->rib.cursor = 0;
}

void
rib_side_up(struct world *w, uint32_t si)
{
	struct wside *s = &w->side[si];

	s->rib.cursor = 0;
	if (s->rib.adv)
		memset(s->rib.adv, 0, s->rib.nadv * sizeof(uint64_t));
	world_queue_export_side(w, si);
}

static bool
adv_get(const struct rib_side *r, uint32_t pid)
{
	return pid / 64 < r->nadv && (r->adv[pid / 64] >> (pid % 64) & 1);
}

static void
adv_set(struct rib_side *r, uint32_t pid, bool on)
{
	if (pid / 64 >= r->nadv) {
		uint32_t n = r->nadv ? r->nadv : 16;
		if (!on)
			return;
		while (n <= pid / 64)
			n *= 2;
		r->adv = rr_xrealloc(r->adv, n * sizeof(uint64_t));
		memset(r->adv + r->nadv, 0, (n - r->nadv) * sizeof(uint64_t));
		r->nadv = n;
	}
	if (on)
		r->adv[pid / 64] |= (uint64_t)1 << (pid % 64);
	else
		r->adv[pid / 64] &= ~((uint64_t)1 << (pid % 64));
}

static uint32_t
nlri_bytes(const struct rr_prefix *p, bool addpath)
{
	return 1u + (p->len + 7u) / 8u + (addpath ? 4u : 0u);
}

/* Send NLRI (attrs id, or withdrawals when 0) in as few messages as fit. */
static void
send_group(struct world *w, uint32_t si, uint32_t id, const uint32_t *pids,
           uint32_t n)
{
	struct wside *s = &w->side[si];
	struct fsm *f = world_session_fsm(w, si);
	bool v6 = s->pub.ipv6, ap;
	const struct rib_attrs *a = id ? attrs_wire(w, id) : NULL;
	uint32_t room, used, i = 0, j;
	uint8_t kind, tmp[BGP_MAX_LEN];

	if (!f)
		return;
	ap = v6 ? f->tx.addpath_v6 : f->tx.addpath_v4;
	kind = (uint8_t)((v6 ? 1u : 0u) | (ap ? 2u : 0u) |
	                 (f->tx.as4 ? 4u : 0u) | (f->tx.ext_msg ? 8u : 0u));
	room = BGP_MAX_LEN - BGP_HEADER_LEN - 4 - (a ? a->wire_len : 0) -
	       (v6 ? 10u + (id ? 17u : 0u) : 0u);
	if (!w->enc)
		w->enc = rr_xcalloc(WENC_SLOTS, sizeof(*w->enc));
	while (i < n) {
		struct bgp_update u;
		struct bgp_attr *av = w->attr_buf;
		uint32_t nn = 0;
		struct wenc *e;
		uint64_t h;
		size_t len;

		for (used = 0, j = i; j < n && nn < NLRI_MAX; j++) {
			const struct rr_prefix *p = &w->pfx[pids[j]].p;
			uint32_t b = nlri_bytes(p, ap);
			if (used + b > room)
				break;
			used += b;
			nn++;
		}
		/* the same message to another peer with the same codec: the
		 * bytes encoded for the first (an update group) */
		h = sim_hash_bytes((const uint8_t *)(pids + i),
		                   (size_t)nn * sizeof(uint32_t)) ^
		    ((uint64_t)id << 8 | kind) * 0x9e3779b97f4a7c15ull;
		/* two ways per first prefix: a peer's next messages sit
		 * next to each other (its log is walked in order) */
		e = &w->enc[(pids[i] * 2u + (uint32_t)(h >> 63)) &
		            (WENC_SLOTS - 1)];
		if (!w->codec_cache_off && e->used && e->hash == h &&
		    e->id == id && e->kind == kind && e->npids == nn &&
		    (nn == 1 ? e->ipids[0] == pids[i]
		             : !memcmp(nn <= WENC_INLINE_PIDS ? e->ipids
		                                              : e->hpids,
		                       pids + i,
		                       (size_t)nn * sizeof(uint32_t)))) {
			w->enc_hits++;
			if (!world_send_encoded(w, si,
			                        e->len <= WENC_INLINE_BYTES
			                                ? e->ibytes
			                                : e->hbytes,
			                        e->len))
				return;
			w->stats.prefixes_sent += nn;
			i = j;
			continue;
		}
		w->enc_misses++;
		for (nn = 0; i + nn < j; nn++) {
			w->nlri_buf[nn].path_id = ap ? 1 : 0;
			w->nlri_buf[nn].prefix = w->pfx[pids[i + nn]].p;
		}
		memset(&u, 0, sizeof(u));
		if (!v6) {
			if (id) {
				u.attrs = a->wire;
				u.nattrs = a->nwire;
				u.nlri = w->nlri_buf;
				u.nnlri = nn;
			} else {
				u.withdrawn = w->nlri_buf;
				u.nwithdrawn = nn;
			}
		} else {
			struct bgp_attr *mp;
			uint32_t na = 0;
			if (id) {
				memcpy(av, a->wire, a->nwire * sizeof(*av));
				na = a->nwire;
			}
			mp = &av[na++];
			set_attr(mp, BGP_ATTR_F_OPTIONAL,
			         id ? BGP_ATTR_MP_REACH : BGP_ATTR_MP_UNREACH,
			         0);
			mp->u.mp.afi = BGP_AFI_IPV6;
			mp->u.mp.safi = BGP_SAFI_UNICAST;
			if (id) {
				mp->u.mp.nh_len = 16;
				memcpy(mp->u.mp.nh, a->next_hop.b, 16);
			}
			mp->u.mp.nlri = w->nlri_buf;
			mp->u.mp.nnlri = nn;
			u.attrs = av;
			u.nattrs = na;
		}
		e->used = false;
		if (!world_send_update(w, si, &u, tmp, sizeof(tmp), &len))
			return; /* cannot happen: sized to fit */
		if (len) {
			uint8_t *eb = e->ibytes;
			uint32_t *ep = e->ipids;
			if (len > WENC_INLINE_BYTES) {
				if (e->capbytes < len) {
					e->capbytes = (uint32_t)len;
					e->hbytes = rr_xrealloc(e->hbytes, len);
				}
				eb = e->hbytes;
			}
			memcpy(eb, tmp, len);
			if (nn > WENC_INLINE_PIDS) {
				if (e->cappids < nn) {
					e->cappids = nn;
					e->hpids = rr_xrealloc(
					        e->hpids,
					        (size_t)nn * sizeof(uint32_t));
				}
				ep = e->hpids;
			}
			memcpy(ep, pids + i, (size_t)nn * sizeof(uint32_t));
			e->npids = nn;
			e->hash = h;
			e->id = id;
			e->kind = kind;
			e->len = (uint32_t)len;
			e->used = true;
		}
		w->stats.prefixes_sent += nn;
		i = j;
	}
}

struct grp {
	uint32_t id, first, last, n;
};

/* Send the batch: withdrawals, then one group per attribute set. */
static void
flush(struct world *w, uint32_t si, const uint32_t *wd, uint32_t nwd,
      const uint32_t *ids, const uint32_t *pids, uint32_t n)
{
	struct grp g[EXPORT_BATCH];
	uint32_t next[EXPORT_BATCH], ng = 0, i, j, out[EXPORT_BATCH];
	/* set id -> group + 1, open addressing */
	uint16_t tab[EXPORT_BATCH * 2];
	uint32_t mask = EXPORT_BATCH * 2 - 1, t;

	if (nwd)
		send_group(w, si, 0, wd, nwd);
	memset(tab, 0, sizeof(tab));
	for (i = 0; i < n; i++) {
		for (t = mix32(ids[i]) & mask; tab[t]; t = (t + 1) & mask)
			if (g[tab[t] - 1].id == ids[i])
				break;
		j = tab[t] ? tab[t] - 1u : UINT32_MAX;
		if (j == UINT32_MAX) {
			tab[t] = (uint16_t)(ng + 1);
			j = ng++;
			g[j].id = ids[i];
			g[j].first = i;
			g[j].n = 0;
		} else {
			next[g[j].last] = i;
		}
		g[j].last = i;
		g[j].n++;
		next[i] = UINT32_MAX;
	}
	for (j = 0; j < ng; j++) {
		uint32_t k = 0;
		for (i = g[j].first; i != UINT32_MAX; i = next[i])
			out[k++] = pids[i];
		send_group(w, si, g[j].id, out, k);
	}
}

void
rib_export_side(struct world *w, uint32_t si)
{
	struct wside *s = &w->side[si];
	uint32_t k = s->pub.speaker;
	struct rib_spk *r = &w->spk[k].rib;

	if (!world_session_fsm(w, si))
		return;
	for (;;) {
		uint32_t wd[EXPORT_BATCH], ids[EXPORT_BATCH],
		        pids[EXPORT_BATCH];
		uint32_t nwd = 0, n = 0, seen = 0, last = 0;
		uint32_t room = world_send_room(w, si), est = 0;
		if (s->rib.cursor >= r->nlog || !room)
			break;
		/* a batch about as large as the window has room for */
		while (s->rib.cursor < r->nlog && seen < EXPORT_BATCH &&
		       est < room) {
			struct rib_logent *e = &r->log[s->rib.cursor++];
			uint32_t pid = e->pid, out = 0;
			if (e->stale)
				continue; /* a later entry stands for it */
			seen++;
			if (export_policy(w, k, pid, e->src, e->ia, si) ==
			    RIB_OK) {
				/* the peers of one class share the result */
				uint32_t cls = class_of(w, si);
				if (e->cls != cls) {
					e->out = transform(w, k, e->src, e->ia,
					                   si);
					e->cls = cls;
				}
				out = e->out;
			}
			if (!out) {
				if (adv_get(&s->rib, pid)) {
					est += nwd ? 5 : BGP_HEADER_LEN + 9;
					wd[nwd++] = pid;
					adv_set(&s->rib, pid, false);
				}
				continue;
			}
			if (out != last)
				est += BGP_HEADER_LEN + 4 +
				       attrs_wire(w, out)->wire_len;
			last = out;
			est += 5u + (s->pub.ipv6 ? 12u : 0u);
			ids[n] = out;
			pids[n++] = pid;
			adv_set(&s->rib, pid, true);
		}
		flush(w, si, wd, nwd, ids, pids, n);
	}
}

void
rib_export_speaker(struct world *w, uint32_t k)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t i;

	for (i = 0; i < sp->pub.nsessions; i++)
		rib_export_side(w, sp->pub.first_session + i);
}

/* --------------------------------------------------------- origination */

static uint32_t
calico_local_pref(const struct world *w, uint8_t af)
{
	const struct rr_calico *c = &w->m->calico;
	size_t i;

	/* R34: LOCAL_PREF = 2147483647 - normal route priority (1024) */
	for (i = 0; i < c->nbgpconfigs; i++) {
		const struct rr_bgpconfig *b = &c->bgpconfigs[i];
		const struct rr_opt_u32 *p =
		        af == RR_AF_INET6 ? &b->ipv6_normal_route_priority
		                          : &b->ipv4_normal_route_priority;
		if (b->meta.name && !strcmp(b->meta.name, "default") &&
		    p->set && p->v < 2147483647u)
			return 2147483647u - p->v;
	}
	return 2147483647u - 1024u;
}

/* An IOS `network` is announced only when the routing table has it
 * exactly (ios-bgp.md 2.8): a connected subnet or a static route. */
static bool
ios_has_route(const struct rr_speaker *s, const struct rr_prefix *p)
{
	size_t i;

	for (i = 0; i < s->naddrs; i++) {
		struct rr_prefix c = rr_prefix_masked(&s->addrs[i].p);
		if (!rr_prefix_cmp(&c, p))
			return true;
	}
	for (i = 0; i < s->nstatic_routes; i++)
		if (!rr_prefix_cmp(&s->static_routes[i].p, p))
			return true;
	return false;
}

void
rib_originate(struct world *w)
{
	uint32_t k;
	size_t i;

	for (k = 0; k < w->nspk; k++) {
		const struct rr_speaker *s = w->spk[k].pub.spk;
		struct rib_attrs a;
		memset(&a, 0, sizeof(a));
		a.origin = BGP_ORIGIN_IGP;
		a.has_lp = true;
		if (s->kind == RR_SPK_CALICO) {
			for (i = 0; i < s->noriginates; i++) {
				const struct rr_prefix *p = &s->originates[i].p;
				a.local_pref = calico_local_pref(w, p->addr.af);
				rib_update(w, k, RIB_SRC_LOCAL,
				           rib_prefix_id(w, p),
				           attrs_intern(w, &a));
			}
			continue;
		}
		/* IOS: weight 32768, LOCAL_PREF 100, MED 0 (the IGP metric) */
		a.local_pref = 100;
		a.has_med = true;
		for (i = 0; i < s->nnetworks; i++) {
			struct rr_prefix p =
			        rr_prefix_masked(&s->networks[i].p);
			if (s->networks[i].vrf || !ios_has_route(s, &p))
				continue;
			rib_update(w, k, RIB_SRC_LOCAL, rib_prefix_id(w, &p),
			           attrs_intern(w, &a));
		}
	}
}

/* ---------------------------------------------------------- lifecycle */

void
rib_init(struct world *w)
{
	uint32_t k;

	rr_arena_init(&w->rib_arena);
	w->nlri_buf = rr_xcalloc(NLRI_MAX, sizeof(*w->nlri_buf));
	w->attr_buf = rr_xcalloc(16, sizeof(*w->attr_buf));
	for (k = 0; k < w->nspk; k++)
		w->spk[k].rib.stored_best =
		        w->spk[k].pub.spk->nneighbors >= STORED_BEST_MIN ||
		        w->spk[k].pub.kind == RR_SPK_IOS;
}

void
rib_release(struct world *w)
{
	uint32_t k, i;

	for (i = 0; i < w->nside; i++) {
		map_release(&w->side[i].rib.in);
		free(w->side[i].rib.adv);
	}
	for (k = 0; k < w->nspk; k++) {
		struct rib_spk *r = &w->spk[k].rib;
		map_release(&r->local);
		map_release(&r->best);
		free(r->log);
		map_release(&r->logpos);
		free(r->memo);
		free(r->classes);
	}
	free(w->pfx);
	free(w->pfx_hash);
	free(w->attrs);
	free(w->attr_hash);
	free(w->raw);
	free(w->raw_hash);
	free(w->nlri_buf);
	free(w->attr_buf);
	free(w->grp_buf);
	if (w->enc)
		for (i = 0; i < WENC_SLOTS; i++) {
			free(w->enc[i].hpids);
			free(w->enc[i].hbytes);
		}
	free(w->enc);
	rr_arena_release(&w->rib_arena);
}
