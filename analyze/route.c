/*
 * Routes: every node's blocks propagated over the sessions that come up,
 * with the rules bgpsim's RIB applies (RFC 4271, RFC 4456, BIRD 1.6
 * proto/bgp, confd's bird_ipam.cfg.template):
 *
 *   - decision (RFC 4271 9.1.2.2, RFC 4456 9): own route first, highest
 *     LOCAL_PREF, shortest AS_PATH, lowest ORIGIN, lowest MED from the
 *     same neighbouring AS, eBGP over iBGP, lowest BGP identifier with
 *     ORIGINATOR_ID in its place, shortest CLUSTER_LIST, lowest peer
 *     address; no IGP metric;
 *   - export: never back to the source; iBGP to iBGP only by reflection
 *     (RFC 4456 6; IOS: a client's route to everyone, to other clients
 *     unless `no bgp client-to-client reflection`, a non-client's to
 *     clients; BIRD: when either session is an `rr client`, and not to a
 *     client whose cluster id is in the CLUSTER_LIST); a Calico node
 *     re-exports only routes inside its IPPools (R32); toward eBGP the
 *     local AS is prepended and LOCAL_PREF, MED, ORIGINATOR_ID and
 *     CLUSTER_LIST go;
 *   - import: ORIGINATOR_ID our router id, CLUSTER_LIST holding our
 *     cluster id (IOS: on every session; BIRD: on its clients' sessions),
 *     an eBGP AS_PATH holding our AS beyond `allow local as`: dropped
 *     (RFC 4456 8, RFC 4271 9.1.2); a family the session does not carry;
 *   - next hops: own routes get the session's address, reflection keeps
 *     it (IOS `next-hop-self all`, BIRD `next hop self` change it), eBGP
 *     sets its own unless BIRD `next hop keep`; a route arrives when the
 *     next hop leads, speaker by speaker, to the node that owns the block.
 *
 * Scale.  Nodes that peer only with hubs (routers, in-cluster reflectors,
 * any node with a session to another plain node) and whose sessions,
 * both sides' settings and session states are the same are one class;
 * permuting them is a symmetry of the network.  A block is then
 * propagated once per situation (the origin's class, whether the origin
 * is the class's first member, family, pool), over a graph of the hubs,
 * the origin, and two members per class: `rep`, the member that wins a
 * tie between members (lowest BGP identifier, then address), and
 * `other`, standing for all the rest.  The two are needed because a hub
 * whose best path came from rep does not send it back to rep.  If a hub
 * ends up preferring the path of `other`, the symmetry argument no longer
 * holds and that situation is propagated again with every node.
 */
#include "analyze/az_priv.h"

#include <stdlib.h>
#include <string.h>

enum exp_why {
	X_OK = 0,
	X_NO_ROUTE,
	X_FAMILY,
	X_TO_SOURCE,
	X_POOL_DISABLED,
	X_POOL,
	X_SPLIT,
	X_NO_C2C,
	X_CLUSTER,
	X_POLICY,
};

enum drop_why {
	D_NONE = 0,
	D_ORIGINATOR,
	D_CLUSTER,
	D_ASLOOP,
	D_FAMILY,
	D_POLICY,
};

/* One block as the analysis counts it. */
struct block {
	struct rr_prefix p;
	uint32_t origin; /* speaker */
	uint32_t run;
	uint8_t fam; /* 0 v4, 1 v6 */
	uint8_t pool; /* 1 outside pools, 2 inside, 3 export disabled */
	bool multi; /* another speaker originates it too */
};

struct cls {
	uint32_t *mem; /* sorted by (router id, address) */
	uint32_t n;
	size_t sig_off, sig_len;
	uint32_t hash;
};

/* A role's outcome in a run. */
enum out_kind {
	O_ARRIVES = 0,
	O_DEST_DOWN, /* the destination has no session up */
	O_ORIGIN_DOWN, /* the origin has no session up */
	O_CAUSE,
	O_UNKNOWN, /* through a peer rrkit was not given */
};

struct miss {
	uint32_t v; /* speaker (a hub, the origin, or a role vertex) */
	uint32_t origin; /* the origin it misses */
	uint8_t kind;
	uint32_t cause;
};

struct runrec {
	uint32_t origin_cls; /* AZ_NONE: origin is a hub */
	uint32_t origin; /* the origin propagated (a speaker) */
	bool is_min;
	uint8_t fam, pool;
	bool multi; /* a prefix with several origins: key is the prefix */
	struct rr_prefix p;
	bool full; /* propagated with every node */
	bool per_origin; /* full, once per origin (symmetry did not hold) */
	struct miss *miss; /* sorted by v */
	uint32_t nmiss;
	uint32_t *rep, *other; /* per class: the role vertices */
};

struct az_routes {
	struct block *blk;
	uint32_t nblk;
	uint32_t *blk_of; /* per speaker: first block index (blocks sorted
			   * by origin), and blk_of[k+1] the end */
	struct cls *cls;
	uint32_t ncls;
	uint8_t *sig; /* signatures */
	size_t nsig, capsig;
	struct runrec *run;
	uint32_t nrun;
	uint32_t nodes_fam[2]; /* nodes running BGP per family */
	/* per family: a session up between two routers over the other
	 * family that both activate for this one (az_cross_family) */
	bool xfam[2];

	/* propagation state, per run */
	bool *active;
	uint32_t *role_of; /* speaker -> the vertex that stands for it */
	/* bridge_cause's last answer */
	bool bridge_known;
	uint32_t bridge_x, bridge_y, bridge_cause;
	struct az_path **adjin; /* per side */
	uint8_t *drop; /* per side: why the last path was dropped */
	struct az_path **best; /* per speaker */
	uint32_t *best_src; /* side, AZ_NONE local; valid if best */
	uint32_t *queue, qh, qt, qcap;
	bool *queued;
	uint32_t *touched_spk, ntouched_spk, captspk;
	uint32_t *touched_side, ntouched_side, captside;
	struct rr_arena parena;
	const struct block *cur; /* the block being propagated */
	uint32_t nactive;
	uint32_t *act_list;
	bool ignore_mesh;
	/* route policy somewhere decides by prefix: one run per block */
	bool per_block;
	uint64_t steps;
	bool unconverged;
	uint32_t *comp; /* island of each speaker (up sessions) */
	bool *comp_unknown; /* the island reaches a peer not given */
	/* ... or a peer not given may reach it: comp_unknown, or a speaker
	 * of the island accepts peers of a listen range */
	bool *comp_open;
};

/* ---------------------------------------------------------- helpers */

static bool
use_side(const struct az *a, uint32_t di)
{
	const struct az_side *d = &a->side[di];
	const struct az_routes *r = a->routes;

	if (!d->up)
		return false;
	if (r->ignore_mesh && d->nb->scope == RR_SCOPE_MESH)
		return false;
	return true;
}

static uint32_t
partner_up(const struct az *a, uint32_t di)
{
	const struct az_sess *s = &a->sess[a->side[di].session];
	return s->a == di ? s->b : s->a;
}

static uint8_t
pool_of(const struct rr_model *m, const struct rr_prefix *p)
{
	const struct rr_calico *c = &m->calico;
	size_t i;
	uint8_t r = 1;

	for (i = 0; i < c->nippools; i++) {
		const struct rr_ippool *pl = &c->ippools[i];
		if (!pl->cidr.addr.af || pl->cidr.addr.af != p->addr.af ||
		    p->len < pl->cidr.len ||
		    !rr_prefix_contains(&pl->cidr, &p->addr))
			continue;
		if (pl->disable_bgp_export.set && pl->disable_bgp_export.v)
			return 3;
		r = 2;
	}
	return r;
}

static uint32_t
calico_lp(const struct rr_model *m, uint8_t af)
{
	const struct rr_calico *c = &m->calico;
	size_t i;

	/* R34 */
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

static int
cmp_block(const void *x, const void *y)
{
	const struct block *a = x, *b = y;
	int c;

	if (a->origin != b->origin)
		return a->origin < b->origin ? -1 : 1;
	c = rr_prefix_cmp(&a->p, &b->p);
	return c;
}

static int
cmp_block_pfx(const void *x, const void *y)
{
	const struct block *a = *(struct block *const *)x;
	const struct block *b = *(struct block *const *)y;
	int c = rr_prefix_cmp(&a->p, &b->p);

	if (c)
		return c;
	return a->origin < b->origin ? -1 : a->origin > b->origin;
}

/* Every Calico node's blocks (and an IOS `network` equal to one). */
static void
collect_blocks(struct az *a)
{
	struct az_routes *r = a->routes;
	struct block **byp;
	uint32_t k, n = 0, cap = 0, i, j;

	for (k = 0; k < a->nspk; k++) {
		const struct rr_speaker *s = a->spk[k].s;
		size_t q;
		if (!a->spk[k].bird)
			continue;
		for (q = 0; q < s->noriginates; q++) {
			struct block *b;
			/* a service route is anycast: not a block to deliver */
			if (s->originates[q].kind != RR_ORIG_BLOCK)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				r->blk = rr_xrealloc(r->blk,
						     cap * sizeof(*r->blk));
			}
			b = &r->blk[n++];
			memset(b, 0, sizeof(*b));
			b->p = rr_prefix_masked(&s->originates[q].p);
			b->origin = k;
			b->fam = b->p.addr.af == RR_AF_INET6;
			b->pool = pool_of(a->m, &b->p);
			b->run = AZ_NONE;
		}
	}
	/* duplicates: a prefix from two speakers */
	byp = rr_xcalloc(n + 1, sizeof(*byp));
	for (i = 0; i < n; i++)
		byp[i] = &r->blk[i];
	qsort(byp, n, sizeof(*byp), cmp_block_pfx);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !rr_prefix_cmp(&byp[i]->p, &byp[j]->p);
		     j++)
			;
		if (j - i > 1)
			for (k = i; k < j; k++)
				byp[k]->multi = true;
	}
	/* IOS networks equal to a block compete with it (sim originates
	 * them) */
	for (k = 0; k < a->nspk; k++) {
		const struct rr_speaker *s = a->spk[k].s;
		size_t q;
		if (a->spk[k].bird)
			continue;
		for (q = 0; q < s->nnetworks; q++) {
			struct rr_prefix p = rr_prefix_masked(&s->networks[q].p);
			if (s->networks[q].vrf || !ios_has_route(s, &p))
				continue;
			for (i = 0; i < n; i++)
				if (!rr_prefix_cmp(&byp[i]->p, &p))
					byp[i]->multi = true;
		}
	}
	free(byp);
	if (n)
		qsort(r->blk, n, sizeof(*r->blk), cmp_block);
	r->nblk = n;
	r->blk_of = rr_xcalloc(a->nspk + 2, sizeof(uint32_t));
	for (i = 0, k = 0; k <= a->nspk; k++) {
		while (i < n && r->blk[i].origin < k)
			i++;
		r->blk_of[k] = i;
	}
}

/* ------------------------------------------------------------ classes */

static void
sig_put(struct az_routes *r, const void *p, size_t n)
{
	if (r->nsig + n > r->capsig) {
		r->capsig = r->capsig ? r->capsig * 2 : 4096;
		while (r->capsig < r->nsig + n)
			r->capsig *= 2;
		r->sig = rr_xrealloc(r->sig, r->capsig);
	}
	memcpy(r->sig + r->nsig, p, n);
	r->nsig += n;
}

static void
sig_u32(struct az_routes *r, uint32_t v)
{
	sig_put(r, &v, sizeof(v));
}

/* What about one side decides how routes cross it. */
static void
sig_side(struct az *a, const struct az_side *d, bool bird)
{
	struct az_routes *r = a->routes;
	uint32_t f = (uint32_t)d->up | (uint32_t)d->ibgp << 1 |
		     (uint32_t)d->rr_client << 2 | (uint32_t)d->nh_self << 3 |
		     (uint32_t)d->nh_self_all << 4 | (uint32_t)d->nh_keep << 5 |
		     (uint32_t)d->fam_active << 6 | (uint32_t)d->ipv6 << 7 |
		     (uint32_t)d->c2c << 8 | (uint32_t)d->as_override << 9 |
		     (uint32_t)d->dis << 10 | (uint32_t)d->no_comms << 18;

	sig_u32(r, f);
	sig_u32(r, d->local_as);
	sig_u32(r, d->remote_as);
	sig_u32(r, d->allow_local_as);
	/* BIRD's session cluster id counts only on client sessions */
	sig_u32(r, bird && !d->rr_client ? 0 : d->cluster_id);
	sig_u32(r, r->ignore_mesh && d->nb->scope == RR_SCOPE_MESH);
	sig_put(r, &d->shared, sizeof(d->shared));
	/* a side with IOS route policy makes its node a class of its own;
	 * nodes whose sessions run the same BGPFilters (by the BGPPeer's
	 * names) stay alike: the runs are then per block (run_for) */
	if (bird && (d->pol_in || d->pol_out)) {
		size_t i;
		sig_u32(r, (uint32_t)d->nb->nfilters);
		for (i = 0; i < d->nb->nfilters; i++)
			sig_put(r, &d->nb->filters[i], sizeof(const char *));
	} else {
		sig_u32(r, d->pol_in || d->pol_out
				   ? AZ_NONE - (uint32_t)(d - a->side)
				   : 0);
	}

}

static uint32_t
fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Class members in the order a tie between them is decided: the lowest
 * BGP identifier, then the lowest address (RFC 4271 9.1.2.2 f, g). */
struct mkey {
	uint32_t rid, k;
	struct rr_addr addr;
};

static int
cmp_member(const void *x, const void *y)
{
	const struct mkey *p = x, *q = y;
	int c;

	if (p->rid != q->rid)
		return p->rid < q->rid ? -1 : 1;
	c = rr_addr_cmp(&p->addr, &q->addr);
	if (c)
		return c;
	return p->k < q->k ? -1 : p->k > q->k;
}

static void
sort_members(const struct az *a, struct cls *c)
{
	struct mkey *v = rr_xcalloc(c->n + 1, sizeof(*v));
	uint32_t i;

	for (i = 0; i < c->n; i++) {
		const struct az_spk *p = &a->spk[c->mem[i]];
		v[i].rid = p->router_id;
		v[i].k = c->mem[i];
		if (p->s->naddrs)
			v[i].addr = p->s->addrs[0].p.addr;
	}
	qsort(v, c->n, sizeof(*v), cmp_member);
	for (i = 0; i < c->n; i++)
		c->mem[i] = v[i].k;
	free(v);
}

static int
cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

/* Which nodes may be grouped: plain nodes, no duplicate router id, no
 * duplicate block, peering only with non-plain speakers. */
static void
mark_hubs(struct az *a)
{
	struct az_routes *r = a->routes;
	uint32_t *rids = rr_xcalloc(a->nspk + 1, sizeof(uint32_t));
	bool *cand = rr_xcalloc(a->nspk + 1, sizeof(bool));
	uint32_t k, i;

	for (k = 0; k < a->nspk; k++)
		rids[k] = a->spk[k].router_id;
	qsort(rids, a->nspk, sizeof(uint32_t), cmp_u32);
	for (k = 0; k < a->nspk; k++) {
		const struct az_spk *p = &a->spk[k];
		uint32_t *hit;
		bool dup = false;
		cand[k] = p->bird && !p->s->cluster_id.set && !a->o.no_classes;
		hit = a->nspk ? bsearch(&p->router_id, rids, a->nspk,
					sizeof(uint32_t), cmp_u32)
			      : NULL;
		if (hit && ((hit > rids && hit[-1] == p->router_id) ||
			    (hit + 1 < rids + a->nspk &&
			     hit[1] == p->router_id)))
			dup = true;
		for (i = r->blk_of[k]; i < r->blk_of[k + 1]; i++)
			dup |= r->blk[i].multi;
		if (dup)
			cand[k] = false;
	}
	for (k = 0; k < a->nspk; k++) {
		struct az_spk *p = &a->spk[k];
		p->hub = !cand[k];
		for (i = 0; i < p->nsides && !p->hub; i++) {
			const struct az_side *d = &a->side[p->first_side + i];
			if (d->peer_spk != AZ_NONE && cand[d->peer_spk] &&
			    !(r->ignore_mesh && d->nb->scope == RR_SCOPE_MESH))
				p->hub = true;
		}
	}
	free(rids);
	free(cand);
}

static void
build_classes(struct az *a)
{
	struct az_routes *r = a->routes;
	uint32_t k, i, c, *htab, hcap = 64;

	mark_hubs(a);
	while (hcap < a->nspk * 2)
		hcap *= 2;
	htab = rr_xmalloc(hcap * sizeof(uint32_t));
	for (i = 0; i < hcap; i++)
		htab[i] = AZ_NONE;
	for (k = 0; k < a->nspk; k++) {
		struct az_spk *p = &a->spk[k];
		size_t off = r->nsig, len;
		uint32_t h, slot;
		if (p->hub)
			continue;
		sig_u32(r, p->s->asn.v);
		sig_u32(r, (uint32_t)p->fam[0] | (uint32_t)p->fam[1] << 1 |
				   (uint32_t)p->node << 2);
		sig_u32(r, p->nsides);
		/* prefixAdvertisements' communities (one BGPConfiguration's
		 * strings: alike nodes hold the same pointers) */
		sig_u32(r, (uint32_t)p->s->nadv_communities);
		for (i = 0; i < p->s->nadv_communities; i++) {
			const struct rr_community_rule *cr =
				&p->s->adv_communities[i];
			sig_put(r, &cr->cidr, sizeof(cr->cidr));
			sig_put(r, cr->values,
				cr->nvalues * sizeof(*cr->values));
		}
		for (i = 0; i < p->nsides; i++) {
			const struct az_side *d = &a->side[p->first_side + i];
			uint32_t t = d->up ? partner_up(a, p->first_side + i)
					   : d->partner;
			sig_u32(r, d->peer_spk);
			sig_side(a, d, true);
			if (t != AZ_NONE)
				sig_side(a, &a->side[t],
					 a->spk[a->side[t].spk].bird);
			else
				sig_u32(r, AZ_NONE);
		}
		len = r->nsig - off;
		h = fnv(r->sig + off, len);
		for (slot = h & (hcap - 1); htab[slot] != AZ_NONE;
		     slot = (slot + 1) & (hcap - 1)) {
			const struct cls *q = &r->cls[htab[slot]];
			if (q->hash == h && q->sig_len == len &&
			    !memcmp(r->sig + q->sig_off, r->sig + off, len))
				break;
		}
		c = htab[slot];
		if (c == AZ_NONE) {
			r->cls = rr_xrealloc(r->cls,
					     (r->ncls + 1) * sizeof(*r->cls));
			c = r->ncls++;
			memset(&r->cls[c], 0, sizeof(r->cls[c]));
			r->cls[c].sig_off = off;
			r->cls[c].sig_len = len;
			r->cls[c].hash = h;
			htab[slot] = c;
		} else {
			r->nsig = off; /* a known signature */
		}
		p->cls = c;
		r->cls[c].n++;
	}
	for (c = 0; c < r->ncls; c++) {
		r->cls[c].mem = rr_xcalloc(r->cls[c].n, sizeof(uint32_t));
		r->cls[c].n = 0;
	}
	for (k = 0; k < a->nspk; k++)
		if (!a->spk[k].hub)
			r->cls[a->spk[k].cls].mem[r->cls[a->spk[k].cls].n++] = k;
	for (c = 0; c < r->ncls; c++)
		sort_members(a, &r->cls[c]);
	free(htab);
}

/* -------------------------------------------------------------- paths */

static struct az_path *
path_copy(struct az_routes *r, const struct az_path *p, uint16_t more_as,
	  uint16_t more_cl)
{
	struct az_path *q = rr_arena_alloc(&r->parena, sizeof(*q));

	*q = *p;
	q->aspath = rr_arena_alloc(&r->parena,
				   (p->naspath + more_as + 1u) * sizeof(uint32_t));
	q->clusters = rr_arena_alloc(
		&r->parena, (p->ncluster + more_cl + 1u) * sizeof(uint32_t));
	if (p->naspath)
		memcpy(q->aspath + more_as, p->aspath,
		       p->naspath * sizeof(uint32_t));
	if (p->ncluster)
		memcpy(q->clusters + more_cl, p->clusters,
		       p->ncluster * sizeof(uint32_t));
	return q;
}

static bool
u32s_eq(const uint32_t *x, const uint32_t *y, uint32_t n)
{
	return !n || !memcmp(x, y, n * sizeof(uint32_t));
}

static bool
path_eq(const struct az_path *p, const struct az_path *q)
{
	if (!p || !q)
		return p == q;
	return p->side == q->side && rr_addr_eq(&p->nh, &q->nh) &&
	       p->has_lp == q->has_lp && p->local_pref == q->local_pref &&
	       p->has_med == q->has_med && p->med == q->med &&
	       p->has_orig == q->has_orig && p->originator == q->originator &&
	       p->origin == q->origin && p->naspath == q->naspath &&
	       p->ncluster == q->ncluster && p->weight == q->weight &&
	       p->ncomm == q->ncomm && p->nlcomm == q->nlcomm &&
	       u32s_eq(p->aspath, q->aspath, p->naspath) &&
	       u32s_eq(p->clusters, q->clusters, p->ncluster) &&
	       u32s_eq(p->comms, q->comms, p->ncomm) &&
	       u32s_eq(p->lcomms, q->lcomms, p->nlcomm);
}

static bool
has_u32(const uint32_t *v, uint32_t n, uint32_t x)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

/* The router id of the speaker at the other end of side si. */
static uint32_t
peer_id(const struct az *a, uint32_t si)
{
	return a->spk[a->side[partner_up(a, si)].spk].router_id;
}

/* RFC 4271 9.1.2.2 with RFC 4456 9: is p preferred over q at k? */
static bool
better(const struct az *a, uint32_t k, const struct az_path *p,
       const struct az_path *q)
{
	bool pl = p->side == AZ_NONE, ql = q->side == AZ_NONE;
	bool bird = a->spk[k].bird;
	uint32_t x, y;
	bool pe, qe;
	int c;

	/* IOS: the highest weight first (own routes 32768) */
	x = pl && !bird ? 32768u : p->weight;
	y = ql && !bird ? 32768u : q->weight;
	if (x != y)
		return x > y;
	if (pl != ql)
		return pl;
	x = p->has_lp ? p->local_pref : 100;
	y = q->has_lp ? q->local_pref : 100;
	if (x != y)
		return x > y;
	if (p->naspath != q->naspath)
		return p->naspath < q->naspath;
	if (p->origin != q->origin)
		return p->origin < q->origin;
	x = p->naspath ? p->aspath[0] : 0;
	y = q->naspath ? q->aspath[0] : 0;
	if (x == y && (p->has_med ? p->med : 0) != (q->has_med ? q->med : 0))
		return (p->has_med ? p->med : 0) < (q->has_med ? q->med : 0);
	pe = !pl && !a->side[p->side].ibgp;
	qe = !ql && !a->side[q->side].ibgp;
	if (pe != qe)
		return pe;
	x = p->has_orig ? p->originator
	    : pl	? a->spk[k].router_id
			: peer_id(a, p->side);
	y = q->has_orig ? q->originator
	    : ql	? a->spk[k].router_id
			: peer_id(a, q->side);
	if (x != y)
		return x < y;
	if (p->ncluster != q->ncluster)
		return p->ncluster < q->ncluster;
	if (!pl && !ql) {
		c = rr_addr_cmp(&a->side[p->side].peer, &a->side[q->side].peer);
		if (c)
			return c < 0;
	}
	return (pl ? 0 : p->side + 1) < (ql ? 0 : q->side + 1);
}

static bool
reflect_ok(bool bird, bool from_client, bool to_client, bool c2c)
{
	if (bird)
		return from_client || to_client;
	if (from_client)
		return !to_client || c2c;
	return to_client;
}

/* Policy only: may k send its best path on side di? */
static enum exp_why
export_why(const struct az *a, uint32_t k, uint32_t di)
{
	const struct az_routes *r = a->routes;
	const struct az_side *d = &a->side[di];
	const struct az_path *p = r->best[k];
	const struct rr_bgpfilter_rule *rule;
	uint32_t src;

	if (!p)
		return X_NO_ROUTE;
	if (di == a->mute_side)
		return X_POLICY; /* az_routes_max_prefix's counting pass */
	if ((r->cur->p.addr.af == RR_AF_INET6) != d->ipv6 || !d->fam_active)
		return X_FAMILY;
	src = r->best_src[k];
	if (src == di)
		return X_TO_SOURCE;
	/* a BGPFilter rule that accepts ends BIRD's export filter before
	 * calico_export_to_bgp_peers() (pools) */
	if (a->spk[k].bird &&
	    !(d->pol_out && az_bird_filters(a, d, false, &r->cur->p, p,
					    &rule) == RR_BIRD_ACCEPT)) {
		if (r->cur->pool == 3)
			return X_POOL_DISABLED;
		if (src != AZ_NONE && r->cur->pool != 2)
			return X_POOL;
	}
	if (src != AZ_NONE) {
		const struct az_side *s = &a->side[src];
		if (s->ibgp && d->ibgp &&
		    !reflect_ok(a->spk[k].bird, s->rr_client, d->rr_client,
				d->c2c))
			return s->rr_client && d->rr_client ? X_NO_C2C
							    : X_SPLIT;
		if (a->spk[k].bird && d->rr_client &&
		    has_u32(p->clusters, p->ncluster, d->cluster_id))
			return X_CLUSTER;
	}
	if (d->pol_out) {
		struct rr_rm_actions act;
		const struct rr_loc *at;
		if (az_policy_decide(a, d, false, &r->cur->p, p, &act, &at) ==
		    RR_POLICY_DENY)
			return X_POLICY;
	}
	return X_OK;
}

/* What k sends on side di (RFC 4456 8, RFC 4271 5.1). */
static struct az_path *
transform(struct az *a, uint32_t k, uint32_t di)
{
	struct az_routes *r = a->routes;
	const struct az_side *d = &a->side[di];
	const struct az_path *p = r->best[k];
	uint32_t src = r->best_src[k];
	bool bird = a->spk[k].bird, self = false;
	bool reflect = src != AZ_NONE && d->ibgp && a->side[src].ibgp;
	struct az_path *q;

	/* a BGPFilter's operations, or else prefixAdvertisements'
	 * communities, act in BIRD's export filter, before BGP prepends the
	 * node's AS */
	if (bird && (d->pol_out || a->spk[k].s->nadv_communities)) {
		struct az_path *f = path_copy(r, p, 0, 0);
		az_bird_apply(a, &r->parena, d, false, &r->cur->p, f);
		p = f;
	}
	q = path_copy(r, p, d->ibgp ? 0 : 1, reflect ? 1 : 0);

	if (src == AZ_NONE) {
		self = true;
	} else if (reflect) {
		const struct az_side *s = &a->side[src];
		uint32_t cid = bird ? (!s->rr_client ? d->cluster_id
						     : s->cluster_id)
				    : a->spk[k].cluster_id;
		if (!q->has_orig) {
			q->has_orig = true;
			q->originator = peer_id(a, src);
		}
		q->clusters[0] = cid;
		q->ncluster++;
		self = d->nh_self_all;
	} else if (d->ibgp) {
		self = d->nh_self;
		if (!q->has_lp) {
			q->has_lp = true;
			q->local_pref = 100;
		}
	} else {
		/* RFC 4271 5.1.3: toward an eBGP peer on the subnet that
		 * holds the next hop, IOS leaves it (a third-party next hop)
		 * -- unless next-hop-self, which overrides it (IOS, FRR; BIRD
		 * 1.6's `next hop self` alike) */
		self = d->nh_self ||
		       (!d->nh_keep &&
			!(d->shared.addr.af &&
			  rr_prefix_contains(&d->shared, &q->nh)));
	}
	if (!d->ibgp) {
		uint32_t i;
		q->aspath[0] = d->local_as;
		q->naspath++;
		/* IOS as-override: the peer's AS becomes ours (after the
		 * prepend, as IOS does it) */
		for (i = 0; d->as_override && i < q->naspath; i++)
			if (q->aspath[i] == d->remote_as)
				q->aspath[i] = d->local_as;
		q->has_lp = false;
		q->local_pref = 0;
		if (src != AZ_NONE) {
			q->has_med = false;
			q->med = 0;
		}
		q->has_orig = false;
		q->originator = 0;
		q->ncluster = 0;
	}
	if (self)
		q->nh = d->local;
	q->weight = 0; /* the router's own knob, never sent */
	/* an outbound route-map's set clauses, except on reflected routes */
	if (rr_nb_rare(d->nb)->route_map_out.set && !a->spk[k].bird &&
	    !(src != AZ_NONE && a->side[src].ibgp && d->ibgp)) {
		struct rr_rm_actions act;
		const struct rr_loc *at;
		if (az_policy_decide(a, d, false, &r->cur->p, p, &act, &at) !=
			    RR_POLICY_DENY &&
		    act.entry && act.entry->nsets)
			az_policy_apply(a, &r->parena, d, false, &act, q);
	}
	/* no send-community: IOS sends no COMMUNITIES (a set clause's
	 * included) */
	if (!bird && d->no_comms) {
		q->ncomm = 0;
		q->comms = NULL;
	}
	return q;
}

/* RFC 4456 8, RFC 4271 9.1.2: does side pi drop path p? */
static enum drop_why
import_why(const struct az *a, uint32_t pi, const struct az_path *p)
{
	const struct az_side *s = &a->side[pi];
	const struct az_spk *k = &a->spk[s->spk];

	if (!s->fam_active)
		return D_FAMILY;
	if (p->has_orig && p->originator == k->router_id)
		return D_ORIGINATOR;
	if (p->ncluster) {
		uint32_t cid = k->bird ? s->cluster_id : k->cluster_id;
		if ((!k->bird || s->rr_client) &&
		    has_u32(p->clusters, p->ncluster, cid))
			return D_CLUSTER;
	}
	if (!s->ibgp) {
		uint32_t i, seen = 0;
		for (i = 0; i < p->naspath; i++)
			seen += p->aspath[i] == s->local_as;
		if (seen > s->allow_local_as)
			return D_ASLOOP;
	}
	return D_NONE;
}

/* ------------------------------------------------------- propagation */

static void
touch(uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*v = rr_xrealloc(*v, *cap * sizeof(uint32_t));
	}
	(*v)[(*n)++] = x;
}

static void
push(struct az_routes *r, uint32_t k)
{
	if (r->queued[k])
		return;
	r->queued[k] = true;
	r->queue[r->qt++ % r->qcap] = k;
}

/* Is side di used by this run (up, of the block's family, peer active)? */
static bool
run_side(const struct az *a, uint32_t di)
{
	const struct az_routes *r = a->routes;
	const struct az_side *d = &a->side[di];

	return use_side(a, di) &&
	       d->ipv6 == (r->cur->p.addr.af == RR_AF_INET6) &&
	       r->active[a->side[partner_up(a, di)].spk];
}

static void
set_best(struct az_routes *r, uint32_t k, struct az_path *p, uint32_t src)
{
	if (!r->best[k] && p)
		touch(&r->touched_spk, &r->ntouched_spk, &r->captspk, k);
	r->best[k] = p;
	r->best_src[k] = src;
	push(r, k);
}

/* The decision over every path k holds (its own route stays best). */
static void
recompute(struct az *a, uint32_t k)
{
	struct az_routes *r = a->routes;
	const struct az_spk *p = &a->spk[k];
	struct az_path *b = NULL;
	uint32_t i, src = AZ_NONE;

	for (i = 0; i < p->nsides; i++) {
		uint32_t si = p->first_side + i;
		struct az_path *q = r->adjin[si];
		if (q && (!b || better(a, k, q, b))) {
			b = q;
			src = si;
		}
	}
	set_best(r, k, b, src);
}

/* Side pi receives p (NULL: a withdrawal, or nothing to send). */
static void
deliver(struct az *a, uint32_t pi, struct az_path *p)
{
	struct az_routes *r = a->routes;
	uint32_t k = a->side[pi].spk;
	enum drop_why dw = p ? import_why(a, pi, p) : D_NONE;

	if (p && !dw && a->side[pi].pol_in) {
		struct rr_rm_actions act;
		const struct rr_loc *at;
		if (az_policy_decide(a, &a->side[pi], true, &r->cur->p, p, &act,
				     &at) == RR_POLICY_DENY) {
			dw = D_POLICY;
		} else {
			if (rr_nb_rare(a->side[pi].nb)->weight.set)
				p->weight =
				        rr_nb_rare(a->side[pi].nb)->weight.v;
			if (a->spk[k].bird)
				az_bird_apply(a, &r->parena, &a->side[pi], true,
					      &r->cur->p, p);
			else
				az_policy_apply(a, &r->parena, &a->side[pi],
						true, &act, p);
		}
	}
	if (p) {
		p->side = pi;
		p->nh_owner = az_owner(a, &p->nh);
	}
	if (dw != (enum drop_why)r->drop[pi]) {
		touch(&r->touched_side, &r->ntouched_side, &r->captside, pi);
		r->drop[pi] = (uint8_t)dw;
	}
	if (dw)
		p = NULL;
	if (path_eq(p, r->adjin[pi]))
		return;
	if (!r->adjin[pi])
		touch(&r->touched_side, &r->ntouched_side, &r->captside, pi);
	r->adjin[pi] = p;
	if (r->best[k] && r->best_src[k] == AZ_NONE)
		return; /* its own route */
	if (p && (!r->best[k] || better(a, k, p, r->best[k])))
		set_best(r, k, p, pi);
	else if (r->best[k] && r->best_src[k] == pi)
		recompute(a, k);
}

static void
export_from(struct az *a, uint32_t k)
{
	struct az_routes *r = a->routes;
	const struct az_spk *p = &a->spk[k];
	uint32_t i;

	for (i = 0; i < p->nsides; i++) {
		uint32_t di = p->first_side + i;
		struct az_path *q = NULL;
		if (!run_side(a, di))
			continue;
		if (export_why(a, k, di) == X_OK)
			q = transform(a, k, di);
		deliver(a, partner_up(a, di), q);
		r->steps++;
	}
}

static void
propagate(struct az *a, const uint32_t *origins, uint32_t norigins)
{
	struct az_routes *r = a->routes;
	const struct block *b = r->cur;
	uint64_t cap = 64ull * (r->nactive + 16) + 64ull * a->nside;
	uint32_t i;

	r->qh = r->qt = 0;
	r->steps = 0;
	for (i = 0; i < norigins; i++) {
		uint32_t k = origins[i];
		struct az_path *p = rr_arena_alloc(&r->parena, sizeof(*p));
		memset(p, 0, sizeof(*p));
		p->side = AZ_NONE;
		p->nh_owner = k;
		p->has_lp = true;
		if (a->spk[k].bird) {
			p->local_pref = calico_lp(a->m, b->p.addr.af);
		} else {
			p->local_pref = 100;
			p->has_med = true;
		}
		set_best(r, k, p, AZ_NONE);
	}
	while (r->qh != r->qt) {
		uint32_t k = r->queue[r->qh++ % r->qcap];
		r->queued[k] = false;
		export_from(a, k);
		if (r->steps > cap) {
			r->unconverged = true;
			a->unsettled++;
			break;
		}
	}
	while (r->qh != r->qt)
		r->queued[r->queue[r->qh++ % r->qcap]] = false;
}

/* az_routes_max_prefix: the propagation just done stands for w prefixes;
 * each side that kept a path keeps w more.  In a run over classes only
 * the sides between two hubs are real (az_routes_max_prefix checks). */
static void
count_prefixes(struct az *a, uint32_t w)
{
	const struct az_routes *r = a->routes;
	uint32_t i, d;

	if (!a->pfx_count)
		return;
	for (i = 0; i < r->ntouched_side; i++) {
		d = r->touched_side[i];
		if (r->adjin[d])
			a->pfx_count[d] += w;
	}
}

/* How many of run ri's blocks origin o has (o == AZ_NONE: all of them). */
static uint32_t
run_npfx(const struct az_routes *r, uint32_t ri, uint32_t o)
{
	uint32_t i, n = 0;

	for (i = 0; i < r->nblk; i++)
		n += r->blk[i].run == ri &&
		     (o == AZ_NONE || r->blk[i].origin == o);
	return n;
}

static void
reset_run(struct az *a)
{
	struct az_routes *r = a->routes;
	uint32_t i;

	for (i = 0; i < r->ntouched_spk; i++) {
		r->best[r->touched_spk[i]] = NULL;
		r->best_src[r->touched_spk[i]] = AZ_NONE;
	}
	for (i = 0; i < r->ntouched_side; i++) {
		r->adjin[r->touched_side[i]] = NULL;
		r->drop[r->touched_side[i]] = D_NONE;
	}
	r->ntouched_spk = r->ntouched_side = 0;
	for (i = 0; i < r->nactive; i++)
		r->active[r->act_list[i]] = false;
	r->nactive = 0;
	rr_arena_release(&r->parena);
	rr_arena_init(&r->parena);
}

static void
activate(struct az_routes *r, uint32_t k)
{
	if (k == AZ_NONE || r->active[k])
		return;
	r->active[k] = true;
	r->act_list[r->nactive++] = k;
}

/* Does k's best path lead, next hop by next hop, to origin m? */
static bool
reaches(const struct az *a, uint32_t k, uint32_t m)
{
	const struct az_routes *r = a->routes;
	uint32_t cur = k, depth;

	for (depth = 0; depth < 8; depth++) {
		const struct az_path *p = r->best[cur];
		uint32_t o;
		if (!p)
			return false;
		if (p->side == AZ_NONE)
			return cur == m;
		o = p->nh_owner == AZ_NONE ? AZ_NONE : r->role_of[p->nh_owner];
		if (o == m)
			return true;
		if (o == AZ_NONE || o == cur)
			return false;
		cur = o;
	}
	return false;
}

/* ------------------------------------------------------------- causes */

static const struct rr_loc *
mesh_setting(const struct az *a)
{
	const struct rr_calico *c = &a->m->calico;
	size_t i;

	for (i = 0; i < c->nbgpconfigs; i++)
		if (c->bgpconfigs[i].meta.name &&
		    !strcmp(c->bgpconfigs[i].meta.name, "default"))
			return c->bgpconfigs[i].node_to_node_mesh_enabled.set
				       ? &c->bgpconfigs[i]
						  .node_to_node_mesh_enabled.at
				       : &c->bgpconfigs[i].meta.loc;
	return NULL;
}

static const struct rr_loc *
cluster_loc(const struct az *a, uint32_t k, const struct az_side *d)
{
	const struct rr_speaker *s = a->spk[k].s;

	if (a->spk[k].bird && d && rr_nb_rare(d->nb)->rr_cluster_id.set)
		return &rr_nb_rare(d->nb)->rr_cluster_id.at;
	if (s->cluster_id.set && s->cluster_id.at.line)
		return &s->cluster_id.at;
	if (s->router_id.set && s->router_id.at.line)
		return &s->router_id.at;
	return &s->loc;
}

static const struct rr_loc *
rid_loc(const struct az *a, uint32_t k)
{
	const struct rr_speaker *s = a->spk[k].s;
	return s->router_id.set && s->router_id.at.line ? &s->router_id.at
							 : &s->loc;
}

static uint32_t
spk_cause(struct az *a, enum az_why why, uint32_t k)
{
	uint32_t ci = az_cause_new(a, why, AZ_NONE, AZ_NONE);
	struct az_cause *c = &a->cause[ci];

	c->spk = k;
	c->at = a->spk[k].s->loc;
	c->rule = (uint8_t)az_why_rule(a, c);
	return ci;
}

/* k will not send its best path on di. */
static uint32_t
export_cause(struct az *a, uint32_t k, uint32_t di, enum exp_why why)
{
	struct az_routes *r = a->routes;
	uint32_t src = r->best_src[k], ci;
	struct az_cause *c;

	switch (why) {
	case X_FAMILY:
		ci = az_cause_new(a, AZ_W_FAMILY, di, partner_up(a, di));
		break;
	case X_POOL:
		ci = az_cause_new(a, AZ_W_POOL, di, src);
		break;
	case X_SPLIT:
		ci = az_cause_new(a, AZ_W_SPLIT_HORIZON, di, src);
		break;
	case X_NO_C2C:
		ci = az_cause_new(a, AZ_W_NO_C2C, di, src);
		c = &a->cause[ci];
		if (a->spk[k].s->client_to_client.set)
			c->at2 = a->spk[k].s->client_to_client.at;
		break;
	case X_POLICY: {
		struct rr_rm_actions act;
		const struct rr_loc *at;
		ci = az_cause_new(a, AZ_W_POLICY, di, src);
		az_policy_decide(a, &a->side[di], false, &r->cur->p, r->best[k],
				 &act, &at);
		if (at)
			a->cause[ci].at = *at;
		a->cause[ci].pfx = r->cur->p;
		break;
	}
	case X_CLUSTER:
		ci = az_cause_new(a, AZ_W_CLUSTER_LOOP, di, src);
		c = &a->cause[ci];
		c->at = *cluster_loc(a, k, &a->side[di]);
		c->v1 = a->side[di].cluster_id;
		break;
	default:
		RR_BUG("export_cause: not a refusal");
	}
	c = &a->cause[ci];
	c->rule = (uint8_t)az_why_rule(a, c);
	return ci;
}

/* Side pi dropped what it received. */
static uint32_t
drop_cause(struct az *a, uint32_t pi, enum drop_why why)
{
	const struct az_routes *r = a->routes;
	uint32_t qi = partner_up(a, pi), k = a->side[pi].spk, ci;
	const struct az_side *s = &a->side[pi];
	struct az_cause *c;

	switch (why) {
	case D_FAMILY:
		ci = az_cause_new(a, AZ_W_FAMILY, pi, qi);
		break;
	case D_POLICY: {
		/* what the peer sends, judged again (the drop kept no path) */
		struct rr_rm_actions act;
		const struct rr_loc *at = NULL;
		const struct az_path *sent = r->best[a->side[qi].spk];
		ci = az_cause_new(a, AZ_W_POLICY, pi, qi);
		if (sent)
			az_policy_decide(a, s, true, &r->cur->p, sent, &act, &at);
		if (at)
			a->cause[ci].at = *at;
		else if (rr_nb_rare(s->nb)->route_map_in.set)
			a->cause[ci].at = rr_nb_rare(s->nb)->route_map_in.at;
		a->cause[ci].pfx = r->cur->p;
		a->cause[ci].v1 = 1; /* inbound */
		break;
	}
	case D_ORIGINATOR:
		ci = az_cause_new(a, AZ_W_ORIGINATOR, pi, qi);
		c = &a->cause[ci];
		c->v1 = a->spk[k].router_id;
		c->at = *rid_loc(a, k);
		c->spk2 = r->cur->origin;
		c->at2 = *rid_loc(a, r->cur->origin);
		break;
	case D_CLUSTER:
		ci = az_cause_new(a, AZ_W_CLUSTER_LOOP, pi, qi);
		c = &a->cause[ci];
		c->v1 = a->spk[k].bird ? s->cluster_id : a->spk[k].cluster_id;
		c->at = *cluster_loc(a, k, s);
		c->at2 = *cluster_loc(a, a->side[qi].spk, &a->side[qi]);
		break;
	case D_ASLOOP:
		ci = az_cause_new(a, AZ_W_AS_LOOP, pi, qi);
		c = &a->cause[ci];
		c->v1 = s->local_as;
		c->at2 = *az_as_loc(a, s);
		break;
	default:
		RR_BUG("drop_cause: not a drop");
	}
	c = &a->cause[ci];
	c->rule = (uint8_t)az_why_rule(a, c);
	return ci;
}

static bool
has_fam_sides(const struct az *a, uint32_t k, bool v6)
{
	const struct az_spk *p = &a->spk[k];
	uint32_t i;

	for (i = 0; i < p->nsides; i++)
		if (a->side[p->first_side + i].ipv6 == v6 &&
		    !(a->routes->ignore_mesh &&
		      a->side[p->first_side + i].nb->scope == RR_SCOPE_MESH))
			return true;
	return false;
}

static bool
any_run_side(const struct az *a, uint32_t k)
{
	const struct az_spk *p = &a->spk[k];
	uint32_t i;

	for (i = 0; i < p->nsides; i++)
		if (run_side(a, p->first_side + i))
			return true;
	return false;
}

static uint32_t
isolated_cause(struct az *a, uint32_t k, bool v6)
{
	uint32_t ci = spk_cause(a, AZ_W_ISOLATED, k);
	const struct rr_loc *ms = mesh_setting(a);

	a->cause[ci].v1 = v6;
	if (ms)
		a->cause[ci].at2 = *ms;
	return ci;
}

/* The first island of speaker k (by its lowest-numbered speaker). */
static uint32_t
find(uint32_t *comp, uint32_t x)
{
	while (comp[x] != x) {
		comp[x] = comp[comp[x]];
		x = comp[x];
	}
	return x;
}

/*
 * The first session up between two routers that runs over one family and
 * is activated for the other (v6's) on both ends, AZ_NONE if none: BGP
 * carries that family over it too (RFC 4760: IPv6 routes over an IPv4
 * session), which rrkit does not model -- a route of that family moves
 * only over sessions of its own.
 */
uint32_t
az_cross_family(const struct az *a, bool v6)
{
	int k = v6 ? RR_AFS_IPV6 : RR_AFS_IPV4;
	uint32_t i;

	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		const struct az_side *x, *y;
		if (s->state != AZ_UP || s->b == AZ_NONE)
			continue;
		x = &a->side[s->a];
		y = &a->side[s->b];
		if (x->ipv6 == v6 || a->spk[x->spk].bird ||
		    a->spk[y->spk].bird)
			continue;
		if (rr_nb_af(x->nb, k)->v && rr_nb_af(y->nb, k)->v)
			return i;
	}
	return AZ_NONE;
}

static void
islands(struct az *a)
{
	struct az_routes *r = a->routes;
	uint32_t i;

	r->xfam[0] = az_cross_family(a, false) != AZ_NONE;
	r->xfam[1] = az_cross_family(a, true) != AZ_NONE;

	r->comp = rr_xcalloc(a->nspk + 1, sizeof(uint32_t));
	r->comp_unknown = rr_xcalloc(a->nspk + 1, sizeof(bool));
	for (i = 0; i < a->nspk; i++)
		r->comp[i] = i;
	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		uint32_t x, y;
		if (s->state != AZ_UP || s->b == AZ_NONE ||
		    !use_side(a, s->a))
			continue;
		x = find(r->comp, a->side[s->a].spk);
		y = find(r->comp, a->side[s->b].spk);
		if (x != y)
			r->comp[x > y ? x : y] = x < y ? x : y;
	}
	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		if (s->state == AZ_UNKNOWN)
			r->comp_unknown[find(r->comp, a->side[s->a].spk)] =
				true;
	}
	r->comp_open = rr_xcalloc(a->nspk + 1, sizeof(bool));
	for (i = 0; i < a->nspk; i++) {
		const struct rr_speaker *sp = a->spk[i].s;
		size_t q;
		uint32_t x = find(r->comp, i);
		r->comp_open[x] |= r->comp_unknown[x];
		for (q = 0; q < sp->nneighbors; q++)
			r->comp_open[x] |= sp->neighbors[q].is_range;
	}
	for (i = 0; i < a->nspk; i++) {
		r->comp_unknown[i] = r->comp_unknown[find(r->comp, i)];
		r->comp_open[i] = r->comp_open[find(r->comp, i)];
	}
}

/* The cause of a session that is down between islands x and y (the
 * lowest such session: a session the analysis took down, e.g. by
 * maximum-prefix, or one that never came up), AZ_NONE if none: the
 * islands are then apart by design.  The last pair is remembered. */
static uint32_t
bridge_cause(struct az *a, uint32_t x, uint32_t y)
{
	struct az_routes *r = a->routes;
	uint32_t i, p, q;

	if (r->bridge_known && r->bridge_x == x && r->bridge_y == y)
		return r->bridge_cause;
	r->bridge_known = true;
	r->bridge_x = x;
	r->bridge_y = y;
	r->bridge_cause = AZ_NONE;
	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		if (s->state != AZ_DOWN || s->cause == AZ_NONE ||
		    s->b == AZ_NONE ||
		    (r->ignore_mesh &&
		     a->side[s->a].nb->scope == RR_SCOPE_MESH))
			continue;
		p = find(r->comp, a->side[s->a].spk);
		q = find(r->comp, a->side[s->b].spk);
		if ((p == x && q == y) || (p == y && q == x)) {
			r->bridge_cause = s->cause;
			break;
		}
	}
	return r->bridge_cause;
}

/* The lowest speaker that routes of the current block's family reach from
 * k over the sessions of that family (k's island of that family). */
static uint32_t
fam_island_min(const struct az *a, uint32_t k)
{
	uint32_t *q = rr_xcalloc(a->nspk + 1, sizeof(uint32_t));
	bool *seen = rr_xcalloc(a->nspk + 1, sizeof(bool));
	uint32_t nq = 0, h = 0, lo = k, i;

	q[nq++] = k;
	seen[k] = true;
	while (h < nq) {
		const struct az_spk *p = &a->spk[q[h++]];
		for (i = 0; i < p->nsides; i++) {
			uint32_t du = p->first_side + i, w;
			if (!run_side(a, du))
				continue;
			w = a->side[partner_up(a, du)].spk;
			if (seen[w])
				continue;
			seen[w] = true;
			q[nq++] = w;
			if (w < lo)
				lo = w;
		}
	}
	free(q);
	free(seen);
	return lo;
}

/* Where the route from origin o stops on its way to v, nearest first. */
static void
explain(struct az *a, uint32_t v, uint32_t o, struct miss *out)
{
	struct az_routes *r = a->routes;
	bool v6 = r->cur->p.addr.af == RR_AF_INET6;
	uint32_t *bfs, nb = 0, head = 0, i;
	bool *seen;

	out->cause = AZ_NONE;
	if (!has_fam_sides(a, v, v6) || !has_fam_sides(a, o, v6)) {
		out->kind = O_CAUSE;
		out->cause = isolated_cause(a, has_fam_sides(a, v, v6) ? o : v,
					    v6);
		return;
	}
	if (!any_run_side(a, v)) {
		out->kind = O_DEST_DOWN;
		return;
	}
	if (!any_run_side(a, o)) {
		out->kind = O_ORIGIN_DOWN;
		return;
	}
	if (r->best[v]) {
		out->kind = O_CAUSE;
		out->cause = spk_cause(a, AZ_W_NEXT_HOP, v);
		a->cause[out->cause].spk2 = o;
		a->cause[out->cause].nh = r->best[v]->nh;
		return;
	}
	if (find(r->comp, v) != find(r->comp, o) && r->comp_unknown[v] &&
	    r->comp_unknown[o]) {
		out->kind = O_UNKNOWN;
		return;
	}
	bfs = rr_xcalloc(r->nactive + 1, sizeof(uint32_t));
	seen = rr_xcalloc(a->nspk + 1, sizeof(bool));
	bfs[nb++] = v;
	seen[v] = true;
	out->kind = O_CAUSE;
	while (head < nb && out->cause == AZ_NONE) {
		uint32_t u = bfs[head++];
		const struct az_spk *p = &a->spk[u];
		for (i = 0; i < p->nsides && out->cause == AZ_NONE; i++) {
			uint32_t du = p->first_side + i, dw, w;
			enum exp_why why;
			if (!run_side(a, du))
				continue;
			dw = partner_up(a, du);
			w = a->side[dw].spk;
			if (r->best[w]) {
				why = export_why(a, w, dw);
				if (why == X_OK && r->drop[du])
					out->cause = drop_cause(
						a, du, (enum drop_why)r->drop[du]);
				else if (why != X_OK && why != X_TO_SOURCE &&
					 why != X_NO_ROUTE &&
					 why != X_POOL_DISABLED)
					out->cause = export_cause(a, w, dw, why);
			}
			if (!seen[w] && nb <= r->nactive) {
				seen[w] = true;
				bfs[nb++] = w;
			}
		}
	}
	if (out->cause == AZ_NONE) {
		/* two islands: name each by its first speaker, the lower
		 * one first (whichever pair of the two a run meets first) */
		uint32_t x = find(r->comp, v), y = find(r->comp, o), t;
		bool fam_only = x == y;
		if (fam_only && r->xfam[v6]) {
			/* linked by a session that carries this family over
			 * the other one, not modelled: not judged (a note) */
			out->kind = O_UNKNOWN;
			goto done;
		}
		if (fam_only) {
			/* linked only by sessions of the other family: the
			 * islands of this one */
			x = fam_island_min(a, v);
			y = fam_island_min(a, o);
		}
		if (y < x) {
			t = x;
			x = y;
			y = t;
		}
		out->cause = x != y && !fam_only ? bridge_cause(a, x, y)
						 : AZ_NONE;
		if (out->cause != AZ_NONE)
			goto done;
		out->cause = spk_cause(a, AZ_W_PARTITION, x);
		a->cause[out->cause].v3 = fam_only ? 1u + v6 : 0;
		a->cause[out->cause].spk2 = y;
		a->cause[out->cause].at2 = a->spk[y].s->loc;
		a->cause[out->cause].v1 = v;
		a->cause[out->cause].v2 = o;
	}
done:
	free(bfs);
	free(seen);
}

/* --------------------------------------------------------------- runs */

struct runkey {
	uint32_t who; /* class, or origin speaker (hub) */
	uint8_t kind; /* 0 class, 1 hub origin, 2 multi (prefix) */
	uint8_t is_min, fam, pool;
	struct rr_prefix p;
};

static uint32_t
run_for(struct az *a, const struct block *b, struct runkey *keys,
	uint32_t *htab, uint32_t hcap)
{
	struct az_routes *r = a->routes;
	const struct az_spk *o = &a->spk[b->origin];
	struct runkey k;
	uint32_t h, slot;
	struct runrec *R;

	memset(&k, 0, sizeof(k));
	k.fam = b->fam;
	k.pool = b->pool;
	if (b->multi) {
		k.kind = 2;
		k.p = b->p;
	} else if (o->hub) {
		k.kind = 1;
		k.who = b->origin;
	} else {
		k.who = o->cls;
		k.is_min = r->cls[o->cls].mem[0] == b->origin;
	}
	if (r->per_block)
		k.p = b->p;
	h = fnv((const uint8_t *)&k, sizeof(k));
	for (slot = h & (hcap - 1); htab[slot] != AZ_NONE;
	     slot = (slot + 1) & (hcap - 1))
		if (!memcmp(&keys[htab[slot]], &k, sizeof(k)))
			return htab[slot];
	r->run = rr_xrealloc(r->run, (r->nrun + 1) * sizeof(*r->run));
	R = &r->run[r->nrun];
	memset(R, 0, sizeof(*R));
	R->fam = b->fam;
	R->pool = b->pool;
	R->multi = b->multi;
	R->p = b->p;
	R->origin_cls = k.kind == 0 ? o->cls : AZ_NONE;
	R->is_min = k.is_min;
	/* a class run stands for every origin of the class alike (the
	 * lowest member apart): its origin is the first block's own, so
	 * that what it names (the route that stops, where it came from) is
	 * a block that exists -- a member standing in for it named a node
	 * that originates nothing */
	R->origin = b->origin;
	keys[r->nrun] = k;
	htab[slot] = r->nrun;
	return r->nrun++;
}

/* The role vertices of every class for origin o. */
static void
roles(struct az *a, struct runrec *R, uint32_t o)
{
	struct az_routes *r = a->routes;
	uint32_t c, i;

	R->rep = rr_xcalloc(r->ncls + 1, sizeof(uint32_t));
	R->other = rr_xcalloc(r->ncls + 1, sizeof(uint32_t));
	for (c = 0; c < r->ncls; c++) {
		const struct cls *q = &r->cls[c];
		R->rep[c] = R->other[c] = AZ_NONE;
		for (i = 0; i < q->n; i++) {
			if (q->mem[i] == o)
				continue;
			if (R->rep[c] == AZ_NONE)
				R->rep[c] = q->mem[i];
			else if (R->other[c] == AZ_NONE)
				R->other[c] = q->mem[i];
		}
	}
}

static void
setup_active(struct az *a, struct runrec *R, const uint32_t *origins,
	     uint32_t norigins)
{
	struct az_routes *r = a->routes;
	uint32_t k, c, i;

	if (R->full) {
		for (k = 0; k < a->nspk; k++) {
			activate(r, k);
			r->role_of[k] = k;
		}
		return;
	}
	for (k = 0; k < a->nspk; k++)
		if (a->spk[k].hub) {
			activate(r, k);
			r->role_of[k] = k;
		}
	for (i = 0; i < norigins; i++) {
		activate(r, origins[i]);
		r->role_of[origins[i]] = origins[i];
	}
	for (c = 0; c < r->ncls; c++) {
		const struct cls *q = &r->cls[c];
		activate(r, R->rep[c]);
		activate(r, R->other[c]);
		for (i = 0; i < q->n; i++) {
			uint32_t m = q->mem[i];
			if (m == R->origin)
				continue;
			r->role_of[m] = m == R->rep[c] ? m
					: R->other[c] != AZ_NONE ? R->other[c]
								 : R->rep[c];
		}
	}
}

/* A hub preferring the path of an `other` vertex breaks the symmetry. */
static bool
symmetric(const struct az *a, const struct runrec *R)
{
	const struct az_routes *r = a->routes;
	uint32_t i;

	for (i = 0; i < r->nactive; i++) {
		uint32_t k = r->act_list[i], w;
		if (!a->spk[k].hub || !r->best[k] || r->best_src[k] == AZ_NONE)
			continue;
		w = a->side[partner_up(a, r->best_src[k])].spk;
		if (!a->spk[w].hub && w != R->origin &&
		    R->other[a->spk[w].cls] == w)
			return false;
	}
	return true;
}

static int
cmp_miss(const void *x, const void *y)
{
	const struct miss *p = x, *q = y;
	if (p->v != q->v)
		return p->v < q->v ? -1 : 1;
	return p->origin < q->origin ? -1 : p->origin > q->origin;
}

static void
add_miss(struct runrec *R, const struct miss *m, uint32_t *cap)
{
	if (R->nmiss == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		R->miss = rr_xrealloc(R->miss, *cap * sizeof(*R->miss));
	}
	R->miss[R->nmiss++] = *m;
}

/* Every node vertex that does not get the block from each origin. */
static void
outcomes(struct az *a, struct runrec *R, const uint32_t *origins,
	 uint32_t norigins, uint32_t *cap)
{
	struct az_routes *r = a->routes;
	uint32_t i, j, q;

	for (i = 0; i < r->nactive; i++) {
		uint32_t v = r->act_list[i];
		const struct az_spk *p = &a->spk[v];
		bool own = false;
		if (!p->node || !p->fam[R->fam])
			continue;
		for (q = 0; q < norigins; q++)
			own |= origins[q] == v;
		if (own)
			continue;
		for (j = 0; j < norigins; j++) {
			struct miss m;
			if (!a->spk[origins[j]].bird || reaches(a, v, origins[j]))
				continue;
			memset(&m, 0, sizeof(m));
			m.v = v;
			m.origin = origins[j];
			explain(a, v, origins[j], &m);
			add_miss(R, &m, cap);
		}
	}
}

/* w: the prefixes the run stands for (az_routes_max_prefix's count) */
static void
run_once(struct az *a, struct runrec *R, const uint32_t *origins,
	 uint32_t norigins, uint32_t *cap, uint32_t w)
{
	setup_active(a, R, origins, norigins);
	propagate(a, origins, norigins);
	count_prefixes(a, w);
	outcomes(a, R, origins, norigins, cap);
	reset_run(a);
}

static void
exec_run(struct az *a, uint32_t ri)
{
	struct az_routes *r = a->routes;
	struct runrec *R = &r->run[ri];
	struct block cur;
	uint32_t *origins, norigins = 0, i, cap = 0;

	origins = rr_xcalloc(a->nspk + 1, sizeof(uint32_t));
	memset(&cur, 0, sizeof(cur));
	cur.p = R->p;
	cur.fam = R->fam;
	cur.pool = R->pool;
	cur.origin = R->origin;
	r->cur = &cur;
	roles(a, R, R->origin);
	if (R->multi) {
		R->full = true;
		for (i = 0; i < r->nblk; i++)
			if (!rr_prefix_cmp(&r->blk[i].p, &R->p) &&
			    a->spk[r->blk[i].origin].node &&
			    a->spk[r->blk[i].origin].fam[R->fam])
				origins[norigins++] = r->blk[i].origin;
		for (i = 0; i < a->nspk; i++) {
			const struct rr_speaker *s = a->spk[i].s;
			size_t q;
			if (a->spk[i].bird)
				continue;
			for (q = 0; q < s->nnetworks; q++) {
				struct rr_prefix np =
					rr_prefix_masked(&s->networks[q].p);
				if (!s->networks[q].vrf &&
				    !rr_prefix_cmp(&np, &R->p) &&
				    ios_has_route(s, &np)) {
					origins[norigins++] = i;
					break;
				}
			}
		}
		run_once(a, R, origins, norigins, &cap, 1);
		goto out;
	}
	origins[norigins++] = R->origin;
	setup_active(a, R, origins, norigins);
	propagate(a, origins, norigins);
	if (R->full || symmetric(a, R)) {
		if (a->pfx_count)
			count_prefixes(a, run_npfx(r, ri, AZ_NONE));
		outcomes(a, R, origins, norigins, &cap);
		reset_run(a);
		goto out;
	}
	/* the symmetry does not hold: every origin with every node */
	reset_run(a);
	R->full = R->per_origin = true;
	for (i = 0; i < r->nblk; i++) {
		if (r->blk[i].run != ri ||
		    (i && r->blk[i - 1].run == ri &&
		     r->blk[i - 1].origin == r->blk[i].origin))
			continue;
		cur.origin = origins[0] = r->blk[i].origin;
		run_once(a, R, origins, 1, &cap,
			 a->pfx_count ? run_npfx(r, ri, cur.origin) : 0);
	}
out:
	if (R->nmiss)
		qsort(R->miss, R->nmiss, sizeof(*R->miss), cmp_miss);
	r->cur = NULL;
	free(origins);
}

/* ----------------------------------------------------------- counting */

/*
 * The cause of node k's first expected session of the family that is
 * down.  When none is, its sessions are toward peers rrkit was not given
 * (not analysed: AZ_NONE) -- unless no peer outside the input can join
 * k to the island of `other` (the other end of the route): no speaker
 * there has a session toward an address nobody given owns, nor a listen
 * range.  Whatever answers at k's peer address, the route is then lost:
 * the cause is k's session toward it (a typo in peerIP, most often).
 */
static uint32_t
down_cause(const struct az *a, uint32_t k, bool v6, uint32_t other)
{
	const struct az_routes *r = a->routes;
	const struct az_spk *p = &a->spk[k];
	uint32_t i;

	for (i = 0; i < p->nsides; i++) {
		const struct az_side *d = &a->side[p->first_side + i];
		const struct az_sess *s = &a->sess[d->session];
		if (d->ipv6 == v6 && s->expected && s->state == AZ_DOWN &&
		    s->cause != AZ_NONE &&
		    !(r->ignore_mesh && d->nb->scope == RR_SCOPE_MESH))
			return s->cause;
	}
	if (other == AZ_NONE || r->comp_open[other])
		return AZ_NONE;
	for (i = 0; i < p->nsides; i++) {
		const struct az_side *d = &a->side[p->first_side + i];
		const struct az_sess *s = &a->sess[d->session];
		if (d->ipv6 == v6 && s->state == AZ_UNKNOWN &&
		    s->cause != AZ_NONE &&
		    a->cause[s->cause].why == AZ_W_UNKNOWN_PEER &&
		    !a->cause[s->cause].v1 /* not a VRF's address */ &&
		    !(r->ignore_mesh && d->nb->scope == RR_SCOPE_MESH))
			return s->cause;
	}
	return AZ_NONE;
}

static void
count(struct az *a, uint32_t ci, uint64_t n, uint32_t node, uint32_t origin,
      const struct rr_prefix *p)
{
	struct az_cause *c;

	if (!n)
		return;
	if (ci == AZ_NONE) {
		a->verdict.routes_unknown += n;
		return;
	}
	c = &a->cause[ci];
	if (!c->routes) {
		c->node = node;
		c->origin = origin;
		c->pfx = *p;
	}
	c->routes += n;
}

/* The first block of run ri whose origin is o (for examples). */
static const struct block *
block_of(const struct az_routes *r, uint32_t ri, uint32_t o)
{
	uint32_t i;

	for (i = r->blk_of[o]; i < r->blk_of[o + 1]; i++)
		if (r->blk[i].run == ri)
			return &r->blk[i];
	return NULL;
}

/* A route counted on a session toward a peer not given is lost for sure
 * (down_cause): the cause says so (AZ_UNKNOWN_LOST) and is an error. */
static uint32_t
lost_to_unknown(struct az *a, uint32_t ci)
{
	if (ci != AZ_NONE && a->cause[ci].why == AZ_W_UNKNOWN_PEER)
		a->cause[ci].v3 = AZ_UNKNOWN_LOST;
	return ci;
}

static void
account_one(struct az *a, uint32_t ri, const struct miss *m, uint64_t n,
	    uint32_t node, uint32_t origin)
{
	const struct az_routes *r = a->routes;
	const struct runrec *R = &r->run[ri];
	const struct block *b = block_of(r, ri, origin);
	const struct rr_prefix *p = b ? &b->p : &R->p;
	bool v6 = R->fam;

	switch (m->kind) {
	case O_DEST_DOWN:
		count(a, lost_to_unknown(a, down_cause(a, node, v6, origin)), n,
		      node, origin, p);
		break;
	case O_ORIGIN_DOWN:
		count(a, lost_to_unknown(a, down_cause(a, origin, v6, node)), n,
		      node, origin, p);
		break;
	case O_UNKNOWN:
		a->verdict.routes_unknown += n;
		break;
	default:
		count(a, m->cause, n, node, origin, p);
		break;
	}
}

/* Blocks of run ri per origin (bc[o]), and their total. */
static uint64_t
run_blocks(const struct az_routes *r, uint32_t ri, uint32_t *bc)
{
	uint64_t t = 0;
	uint32_t i;

	for (i = 0; i < r->nblk; i++)
		if (r->blk[i].run == ri) {
			bc[r->blk[i].origin]++;
			t++;
		}
	return t;
}

/*
 * A miss at a role vertex stands for every member with that role: for
 * each of them, every block of the run's origins but its own (B - bc[n]).
 * Whose session is down decides the cause of a "down" miss.
 */
static uint64_t
account_role(struct az *a, uint32_t ri, const struct miss *m, uint64_t B,
	     const uint32_t *bc)
{
	struct az_routes *r = a->routes;
	const struct runrec *R = &r->run[ri];
	const struct az_spk *p = &a->spk[m->v];
	const struct cls *D = &r->cls[p->cls];
	bool rep = R->rep[p->cls] == m->v, inC = p->cls == R->origin_cls;
	uint64_t total = 0, n;
	uint32_t j, first = AZ_NONE, role = 0;

	for (j = 0; j < D->n; j++) {
		uint32_t q = D->mem[j];
		if ((q == R->rep[p->cls]) != rep)
			continue;
		role++;
		n = B - bc[q];
		if (m->kind == O_DEST_DOWN && n)
			account_one(a, ri, m, n, q, R->origin);
		if (first == AZ_NONE && n)
			first = q;
		total += n;
	}
	if (m->kind == O_ORIGIN_DOWN) {
		/* per origin: its blocks times the members it reaches not */
		for (j = 0; j < a->nspk; j++)
			if (bc[j])
				account_one(a, ri, m,
					    (uint64_t)bc[j] *
						    (role - (inC && !rep ? 1 : 0)),
					    first, j);
	} else if (m->kind != O_DEST_DOWN) {
		account_one(a, ri, m, total, first, R->origin);
	}
	return total;
}

static void
account_run(struct az *a, uint32_t ri, uint32_t *bc)
{
	struct az_routes *r = a->routes;
	const struct runrec *R = &r->run[ri];
	uint64_t B = run_blocks(r, ri, bc);
	uint32_t i, j;

	for (i = 0; i < R->nmiss; i++) {
		const struct miss *m = &R->miss[i];
		const struct az_spk *p = &a->spk[m->v];
		uint64_t n;
		if (R->full || R->multi) {
			/* every miss is for one real (node, origin) */
			n = R->multi ? 1 : bc[m->origin];
			account_one(a, ri, m, n, m->v, m->origin);
		} else if (p->hub) {
			n = B - bc[m->v];
			if (m->kind == O_ORIGIN_DOWN) {
				for (j = 0; j < a->nspk; j++)
					if (bc[j] && j != m->v)
						account_one(a, ri, m, bc[j],
							    m->v, j);
			} else {
				account_one(a, ri, m, n, m->v, R->origin);
			}
		} else {
			account_role(a, ri, m, B, bc);
		}
	}
	for (i = 0; i < r->nblk; i++)
		if (r->blk[i].run == ri)
			bc[r->blk[i].origin] = 0;
}

/* --------------------------------------------------------------- pass */

static uint32_t
node_origins(const struct az *a, const struct block *b)
{
	const struct az_routes *r = a->routes;
	uint32_t i, n = 0;

	if (!b->multi)
		return a->spk[b->origin].node && a->spk[b->origin].fam[b->fam];
	for (i = 0; i < r->nblk; i++)
		if (!rr_prefix_cmp(&r->blk[i].p, &b->p) &&
		    a->spk[r->blk[i].origin].node &&
		    a->spk[r->blk[i].origin].fam[b->fam])
			n++;
	return n;
}

static void
alloc_state(struct az *a)
{
	struct az_routes *r = a->routes;

	r->active = rr_xcalloc(a->nspk + 1, sizeof(bool));
	r->act_list = rr_xcalloc(a->nspk + 1, sizeof(uint32_t));
	r->role_of = rr_xcalloc(a->nspk + 1, sizeof(uint32_t));
	r->best = rr_xcalloc(a->nspk + 1, sizeof(*r->best));
	r->best_src = rr_xcalloc(a->nspk + 1, sizeof(uint32_t));
	r->queued = rr_xcalloc(a->nspk + 1, sizeof(bool));
	r->qcap = a->nspk + 1;
	r->queue = rr_xcalloc(r->qcap, sizeof(uint32_t));
	r->adjin = rr_xcalloc(a->nside + 1, sizeof(*r->adjin));
	r->drop = rr_xcalloc(a->nside + 1, 1);
	rr_arena_init(&r->parena);
}

static void
free_state(struct az_routes *r)
{
	free(r->active);
	free(r->act_list);
	free(r->role_of);
	free(r->best);
	free(r->best_src);
	free(r->queued);
	free(r->queue);
	free(r->adjin);
	free(r->drop);
	free(r->touched_spk);
	free(r->touched_side);
	rr_arena_release(&r->parena);
	r->active = NULL;
	r->act_list = r->role_of = r->best_src = r->queue = NULL;
	r->best = r->adjin = NULL;
	r->queued = NULL;
	r->drop = NULL;
	r->touched_spk = r->touched_side = NULL;
}

static void
pass(struct az *a, bool ignore_mesh)
{
	struct az_routes *r = rr_xcalloc(1, sizeof(*r));
	struct runkey *keys;
	uint32_t *htab, hcap = 64, i, *bc;

	a->routes = r;
	r->ignore_mesh = ignore_mesh;
	collect_blocks(a);
	islands(a);
	for (i = 0; i < a->nspk; i++) {
		a->spk[i].hub = false;
		a->spk[i].cls = AZ_NONE;
		r->nodes_fam[0] += a->spk[i].node && a->spk[i].fam[0];
		r->nodes_fam[1] += a->spk[i].node && a->spk[i].fam[1];
	}
	for (i = 0; i < a->nside; i++)
		if (a->side[i].up &&
		    (a->side[i].pol_in || a->side[i].pol_out))
			r->per_block = true;
	build_classes(a);
	alloc_state(a);
	while (hcap < r->nblk * 2 + 2)
		hcap *= 2;
	htab = rr_xmalloc(hcap * sizeof(uint32_t));
	for (i = 0; i < hcap; i++)
		htab[i] = AZ_NONE;
	keys = rr_xcalloc(r->nblk + 1, sizeof(*keys));
	for (i = 0; i < r->nblk; i++) {
		struct block *b = &r->blk[i];
		const struct az_spk *o = &a->spk[b->origin];
		uint64_t want;
		if (b->pool == 3)
			continue; /* disableBGPExport: not advertised */
		want = r->nodes_fam[b->fam] - node_origins(a, b);
		a->verdict.routes_expected += want;
		if (o->dup_of != AZ_NONE || o->dup_proto) {
			/* calico-node does not run, or BIRD refuses its
			 * configuration: nothing advertised */
			uint32_t ci = spk_cause(a,
						o->dup_of != AZ_NONE
							? AZ_W_DUP_ADDRESS
							: AZ_W_DUP_PROTOCOL,
						b->origin);
			a->cause[ci].spk2 = o->dup_of;
			a->cause[ci].at2 = o->dup_of != AZ_NONE
						   ? a->spk[o->dup_of].s->loc
						   : o->dup_proto->loc;
			a->cause[ci].pfx = b->p;
			count(a, ci, want, AZ_NONE, b->origin, &b->p);
			continue;
		}
		if (!o->node || !o->fam[b->fam]) {
			/* R3: no address of the family, no BGP for it */
			uint32_t ci = spk_cause(a, AZ_W_NO_ADDRESS, b->origin);
			a->cause[ci].v1 = b->fam;
			a->cause[ci].pfx = b->p;
			count(a, ci, want, AZ_NONE, b->origin, &b->p);
			continue;
		}
		b->run = run_for(a, b, keys, htab, hcap);
	}
	free(htab);
	free(keys);
	if (a->m->mesh_elided) {
		/* the mesh is not in the model: nothing to say about routes */
		a->verdict.routes_unknown += a->verdict.routes_expected;
		return;
	}
	for (i = 0; i < r->nrun; i++)
		exec_run(a, i);
	bc = rr_xcalloc(a->nspk + 1, sizeof(uint32_t));
	for (i = 0; i < r->nrun; i++)
		account_run(a, i, bc);
	free(bc);
}

void
az_routes_run(struct az *a)
{
	pass(a, false);
	free_state(a->routes);
}

/* A pass whose causes, counts and classes are thrown away: scratch_begin
 * saves what pass() changes, scratch_end frees that pass and puts the
 * main pass's state back. */
struct scratch {
	struct az_routes *routes;
	struct az_verdict v;
	uint32_t ncause, unsettled;
	uint64_t *cause_routes; /* each cause's route count */
	struct az_spk *spk;     /* the classes pass() regroups */
};

static void
scratch_begin(struct az *a, struct scratch *sc)
{
	uint32_t i;

	sc->routes = a->routes;
	sc->v = a->verdict;
	sc->ncause = a->ncause;
	sc->unsettled = a->unsettled;
	sc->cause_routes = rr_xcalloc(a->ncause + 1, sizeof(uint64_t));
	for (i = 0; i < a->ncause; i++)
		sc->cause_routes[i] = a->cause[i].routes;
	sc->spk = rr_xcalloc(a->nspk + 1, sizeof(*sc->spk));
	memcpy(sc->spk, a->spk, a->nspk * sizeof(*sc->spk));
	memset(&a->verdict, 0, sizeof(a->verdict));
}

static void
scratch_end(struct az *a, struct scratch *sc)
{
	uint32_t i;

	az_routes_free(a);
	for (i = 0; i < sc->ncause; i++)
		a->cause[i].routes = sc->cause_routes[i];
	a->ncause = sc->ncause;
	a->verdict = sc->v;
	a->unsettled = sc->unsettled;
	a->routes = sc->routes;
	memcpy(a->spk, sc->spk, a->nspk * sizeof(*sc->spk));
	free(sc->cause_routes);
	free(sc->spk);
}

/* Routes that the mesh alone carries: with the mesh left out, do as many
 * routes arrive?  Returns the number that would no longer arrive. */
uint64_t
az_routes_without_mesh(struct az *a)
{
	struct scratch sc;
	uint64_t before = 0, after = 0, lost, unknown = a->verdict.routes_unknown;
	uint32_t i;

	scratch_begin(a, &sc);
	for (i = 0; i < sc.ncause; i++)
		before += sc.cause_routes[i];
	pass(a, true);
	for (i = 0; i < a->ncause; i++)
		after += a->cause[i].routes;
	after -= before;
	lost = after + a->verdict.routes_unknown;
	scratch_end(a, &sc);
	return lost > unknown ? lost - unknown : 0;
}

/* The maximum-prefix of side d (an IOS neighbor's, not warning-only). */
static uint32_t
max_prefix_of(const struct az *a, const struct az_side *d)
{
	const struct rr_nb_rare *r;

	if (a->spk[d->spk].bird || !d->up)
		return 0;
	r = rr_nb_rare(d->nb);
	if (!r->maximum_prefix.set || r->maximum_prefix_warning_only)
		return 0;
	return r->maximum_prefix.v;
}

/* At most how many prefixes the peer of side d can send: a Calico node
 * whose sessions are all iBGP and that reflects for none of them sends
 * only what it originates (BIRD exports no iBGP route to an iBGP peer but
 * by reflection); anything else is not bounded here (UINT32_MAX). */
static uint32_t
peer_sends_at_most(const struct az *a, const struct az_side *d)
{
	const struct az_spk *x;
	uint32_t i;

	if (d->peer_spk == AZ_NONE || !a->spk[d->peer_spk].bird)
		return UINT32_MAX;
	x = &a->spk[d->peer_spk];
	for (i = 0; i < x->nsides; i++) {
		const struct az_side *e = &a->side[x->first_side + i];
		if (e->up && (!e->ibgp || e->rr_client))
			return UINT32_MAX;
	}
	return x->s->noriginates > UINT32_MAX ? UINT32_MAX
					       : (uint32_t)x->s->noriginates;
}

/* A counting pass (its causes dropped) into a->pfx_count; over classes
 * unless side i's count needs every node as itself (a limit toward a class
 * member: a node that relays), then again node by node.  Side i AZ_NONE:
 * any side with a limit the peer can pass. */
static void
count_pass(struct az *a, uint32_t i)
{
	struct scratch sc;
	bool no_classes = a->o.no_classes, full = false;
	uint32_t j;

	scratch_begin(a, &sc);
	pass(a, false);
	for (j = 0; j < a->nside && !full; j++) {
		const struct az_side *d = &a->side[j];
		if (i != AZ_NONE && j != i)
			continue;
		full = max_prefix_of(a, d) &&
		       peer_sends_at_most(a, d) > max_prefix_of(a, d) &&
		       d->peer_spk != AZ_NONE &&
		       (!a->spk[d->spk].hub || !a->spk[d->peer_spk].hub);
	}
	scratch_end(a, &sc);
	if (full && !no_classes) {
		memset(a->pfx_count, 0, (a->nside + 1) * sizeof(uint32_t));
		scratch_begin(a, &sc);
		a->o.no_classes = true;
		pass(a, false);
		a->o.no_classes = no_classes;
		scratch_end(a, &sc);
	}
}

/* At most this many neighbors get a pass of their own for the count while
 * the network converges; past it a note says how many were not. */
#define AZ_MAX_PREFIX_PASSES 32

/*
 * IOS `neighbor X maximum-prefix N`: once more than N prefixes are kept
 * from X (after its inbound policy) IOS sends a Cease (maximum number of
 * prefixes reached, RFC 4486 3) and keeps X down (Cisco IOS IP Routing:
 * BGP Command Reference, "neighbor maximum-prefix"; FRR: bgpd/bgp_route.c
 * bgp_maximum_prefix_overflow).  A pass counts what each side keeps in
 * the converged state, each run weighted by the prefixes it stands for.
 *
 * The count is checked at every UPDATE, not once settled: when the session
 * comes up, X sends what it holds without it before our paths over it
 * arrive and make it withdraw what it then prefers through us (RFC 4456 8:
 * a path from a non-client is not reflected to a non-client).  So a side
 * whose settled count is within N gets a pass of its own in which it
 * sends X nothing; past N there, the session goes down too -- on a first
 * start it depends on the order the updates arrive in (FRR 8.4 and BIRD
 * 1.6 at start did go down), and each time the session comes back alone
 * X's first updates pass N again.  The sessions past their limit then go
 * down, before the routes are analysed for real.  The passes' causes and
 * counts are dropped (scratch_*).
 */
uint32_t
az_routes_max_prefix(struct az *a)
{
	uint32_t i, n = 0, down = 0, npass = 0, skipped = 0;
	uint32_t *settled, *early, *was;

	for (i = 0; i < a->nside; i++) {
		uint32_t lim = max_prefix_of(a, &a->side[i]);
		/* the counting pass only where the limit can be reached */
		n += lim && peer_sends_at_most(a, &a->side[i]) > lim;
	}
	if (!n || a->m->mesh_elided)
		return 0;
	settled = rr_xcalloc(a->nside + 1, sizeof(uint32_t));
	early = rr_xcalloc(a->nside + 1, sizeof(uint32_t));
	/* a side whose count passes its limit only while the network
	 * converges: its settled count + 1 (else 0) */
	was = rr_xcalloc(a->nside + 1, sizeof(uint32_t));
	a->pfx_count = settled;
	count_pass(a, AZ_NONE);
	for (i = 0; i < a->nside; i++) {
		const struct az_side *d = &a->side[i];
		uint32_t lim = max_prefix_of(a, d);
		if (!lim || settled[i] > lim ||
		    peer_sends_at_most(a, d) <= lim ||
		    d->session == AZ_NONE ||
		    a->sess[d->session].state != AZ_UP)
			continue;
		if (npass == AZ_MAX_PREFIX_PASSES) {
			skipped++;
			continue;
		}
		npass++;
		a->pfx_count = early;
		memset(early, 0, (a->nside + 1) * sizeof(uint32_t));
		a->mute_side = i;
		count_pass(a, i);
		a->mute_side = AZ_NONE;
		if (early[i] > lim) {
			was[i] = settled[i] + 1;
			settled[i] = early[i];
		}
	}
	a->pfx_count = NULL;
	for (i = 0; i < a->nside; i++) {
		struct az_side *d = &a->side[i];
		uint32_t lim = max_prefix_of(a, d), si, ci, o;
		struct az_sess *s;
		if (!lim || settled[i] <= lim ||
		    d->session == AZ_NONE)
			continue;
		si = d->session;
		s = &a->sess[si];
		if (s->state != AZ_UP || s->b == AZ_NONE)
			continue;
		o = s->a == i ? s->b : s->a;
		ci = az_cause_new(a, AZ_W_MAX_PREFIX, i, o);
		a->cause[ci].at = rr_nb_rare(d->nb)->maximum_prefix.at;
		a->cause[ci].v1 = lim;
		a->cause[ci].v2 = settled[i];
		/* 0, or the settled count + 1 when only the count while
		 * the network converges passes the limit */
		a->cause[ci].v3 = was[i];
		/* it replaces a warning the session had while up */
		s->cause = ci;
		s->state = AZ_DOWN;
		a->side[s->a].up = a->side[s->b].up = false;
		down++;
	}
	free(settled);
	free(early);
	free(was);
	a->max_prefix_skipped = skipped;
	return down;
}

void
az_routes_free(struct az *a)
{
	struct az_routes *r = a->routes;
	uint32_t i;

	if (!r)
		return;
	free_state(r);
	for (i = 0; i < r->nrun; i++) {
		free(r->run[i].miss);
		free(r->run[i].rep);
		free(r->run[i].other);
	}
	free(r->run);
	for (i = 0; i < r->ncls; i++)
		free(r->cls[i].mem);
	free(r->cls);
	free(r->sig);
	free(r->blk);
	free(r->blk_of);
	free(r->comp);
	free(r->comp_unknown);
	free(r->comp_open);
	free(r);
	a->routes = NULL;
}

/* ------------------------------------------------------------ lookups */

static const struct block *
find_block(const struct az_routes *r, uint32_t o, const struct rr_prefix *p)
{
	uint32_t lo = r->blk_of[o], hi = r->blk_of[o + 1];
	struct rr_prefix q = rr_prefix_masked(p);

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		int c = rr_prefix_cmp(&r->blk[mid].p, &q);
		if (!c)
			return &r->blk[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum az_state
az_routes_lookup(const struct az *a, uint32_t node, uint32_t origin,
		 const struct rr_prefix *p, uint32_t *cause)
{
	const struct az_routes *r = a->routes;
	const struct block *b;
	const struct runrec *R;
	const struct az_spk *n;
	struct miss key, *hit;
	uint32_t c;

	*cause = AZ_NONE;
	if (!r || node >= a->nspk || origin >= a->nspk || node == origin)
		return AZ_UNKNOWN;
	b = find_block(r, origin, p);
	n = &a->spk[node];
	if (!b || b->pool == 3 || !n->node || !n->fam[b->fam])
		return AZ_UNKNOWN;
	if (b->run == AZ_NONE) {
		uint32_t i;
		for (i = 0; i < a->ncause; i++)
			if ((a->cause[i].why == AZ_W_NO_ADDRESS ||
			     a->cause[i].why == AZ_W_DUP_ADDRESS ||
			     a->cause[i].why == AZ_W_DUP_PROTOCOL) &&
			    a->cause[i].side == AZ_NONE &&
			    a->cause[i].spk == origin) {
				*cause = i;
				return AZ_DOWN;
			}
		return AZ_UNKNOWN;
	}
	if (a->m->mesh_elided)
		return AZ_UNKNOWN;
	R = &r->run[b->run];
	memset(&key, 0, sizeof(key));
	key.v = node;
	key.origin = R->full || R->multi ? origin : R->origin;
	if (!R->full && !R->multi && !n->hub) {
		c = n->cls;
		key.v = node == R->rep[c] ? R->rep[c]
			: R->other[c] != AZ_NONE ? R->other[c]
						 : R->rep[c];
	}
	hit = R->nmiss ? bsearch(&key, R->miss, R->nmiss, sizeof(key), cmp_miss)
		       : NULL;
	if (!hit)
		return AZ_UP;
	switch (hit->kind) {
	case O_DEST_DOWN:
		*cause = down_cause(a, node, b->fam, origin);
		break;
	case O_ORIGIN_DOWN:
		*cause = down_cause(a, origin, b->fam, node);
		break;
	case O_UNKNOWN:
		return AZ_UNKNOWN;
	default:
		*cause = hit->cause;
		break;
	}
	return *cause == AZ_NONE ? AZ_UNKNOWN : AZ_DOWN;
}
