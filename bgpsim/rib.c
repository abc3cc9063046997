/*
 * The RIB, as RFC 4271 and RFC 4456 read: Adj-RIB-In per side after the
 * import checks, the decision process, and the export rules.
 *
 * Import (RFC 4456 8, RFC 4271 9.1.2): a route whose ORIGINATOR_ID is our
 * router id, or whose CLUSTER_LIST holds our cluster id, or (eBGP) whose
 * AS_PATH holds our AS (more often than Calico's numAllowedLocalASNumbers
 * or IOS allowas-in allow) is dropped.  Decision (RFC 4271 9.1.2.2 with RFC
 * 4456 9) after IOS weight (own routes 32768, neighbor weight, set weight;
 * bgpsim/policy.c applies neighbor route policy): a route of the speaker's
 * own first, as BIRD's static protocol preference makes it; then LOCAL_PREF, AS_PATH
 * length, ORIGIN, MED between routes from the same neighbouring AS, eBGP
 * over iBGP, the lowest BGP identifier with ORIGINATOR_ID in its place,
 * the shortest CLUSTER_LIST, the lowest peer address.  Export: never back
 * to the source; iBGP split horizon and RFC 4456 6 reflection (from a
 * client to every peer, from a non-client only to clients); a Calico node
 * exports only its blocks and routes inside its IPPools (R32); the
 * attributes a route leaves with (RFC 4456 8: ORIGINATOR_ID, CLUSTER_LIST;
 * RFC 4271 5.1 toward eBGP, with IOS as-override; next hops as IOS and
 * calico-node's BIRD set them).  Origination: a node's confirmed blocks (R30), an IOS router's
 * `network` statements that its routing table has.
 *
 * No cache lives here: the Loc-RIB is read and written through rib_best()
 * and rib_best_set() (cache.c stores it; with sim_opts.plain a Calico
 * node's is computed by rib_decision() when asked).
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

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

	/* IOS: the highest weight (own routes 32768, `neighbor X weight`,
	 * `set weight`); BIRD's are all 0.  Then a route of our own first
	 * (BIRD's static protocol preference 200 over BGP's 100) */
	if (a->weight != b->weight)
		return a->weight > b->weight;
	if (a->local != b->local)
		return a->local;
	if (a->local_pref != b->local_pref) /* 9.1.2.2 (lp) */
		return a->local_pref > b->local_pref;
	if (!a->as_path_ignore && a->aspath_len != b->aspath_len) /* a */
		return a->aspath_len < b->aspath_len;
	if (a->origin != b->origin) /* b */
		return a->origin < b->origin;
	if ((a->always_med || a->first_as == b->first_as) &&
	    a->med != b->med) /* c */
		return a->med < b->med;
	if (a->ebgp != b->ebgp) /* d */
		return a->ebgp;
	/* e: no IGP metric in the simulation.  IOS (and FRR) then keep the
	 * older of two eBGP paths from different routers: the best path
	 * stays (RFC 5004), unless `bgp bestpath compare-routerid` */
	if (a->oldest_ebgp && a->ebgp && b->ebgp && a->selected != b->selected &&
	    a->id != b->id)
		return a->selected;
	/* f: the lowest identifier,
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

static bool
opt_set_on(const struct rr_opt_bool *o)
{
	return o->set && o->v;
}

static void
path_of(const struct world *w, uint32_t k, uint32_t src, uint32_t ia,
        uint32_t inc, struct rib_path *p)
{
	const struct rib_attrs *a = rib_attrs(w, ia);
	const struct rr_speaker *s = w->spk[k].pub.spk;
	bool local = src == RIB_SRC_LOCAL, ios = !w->spk[k].bird;

	p->local = local;
	p->weight = local && !w->spk[k].bird ? 32768u : a->weight;
	p->ebgp = !local && !w->side[src].pub.ibgp;
	p->local_pref = lp_of(a);
	p->aspath_len = a->aspath_len;
	p->origin = a->origin;
	p->first_as = a->first_as;
	/* a missing MED is 0, the worst with `med missing-as-worst` */
	p->med = a->has_med ? a->med
	         : ios && opt_set_on(&s->bestpath_med_missing_as_worst)
	                 ? UINT32_MAX
	                 : 0;
	p->id = a->has_orig ? a->originator_id
	        : local     ? w->spk[k].pub.router_id
	                    : w->side[src].pub.peer_id;
	p->ncluster = a->ncluster;
	if (local)
		memset(&p->peer, 0, sizeof(p->peer));
	else
		p->peer = w->side[src].pub.peer;
	p->order = local ? 0 : src + 1;
	p->selected = inc != SIM_NONE && src == inc;
	p->oldest_ebgp = ios && !opt_set_on(&s->bestpath_compare_routerid);
	p->as_path_ignore = ios && opt_set_on(&s->bestpath_as_path_ignore);
	p->always_med = ios && opt_set_on(&s->bestpath_always_compare_med);
}

/* Is (sa, a) preferred over (sb, b) at speaker k, whose best path is
 * inc (SIM_NONE: none, or not known)? */
static bool
better(const struct world *w, uint32_t k, uint32_t sa, uint32_t ia, uint32_t sb,
       uint32_t ib, uint32_t inc)
{
	struct rib_path a, b;

	if (sb == SIM_NONE)
		return true;
	if (ia == ib && sa != RIB_SRC_LOCAL && sb != RIB_SRC_LOCAL &&
	    w->side[sa].pub.ibgp == w->side[sb].pub.ibgp &&
	    rib_attrs(w, ia)->has_orig) {
		/* the same set from two reflectors: only the peer address
		 * tells them apart (RFC 4271 9.1.2.2 g) */
		uint32_t ra = w->side[sa].rib.peer_rank,
		         rb = w->side[sb].rib.peer_rank;
		return ra != rb ? ra < rb : sa < sb;
	}
	path_of(w, k, sa, ia, inc, &a);
	path_of(w, k, sb, ib, inc, &b);
	return rib_decide(&a, &b);
}

/* IOS `bgp deterministic-med`: is it on at speaker k? */
static bool
det_med(const struct world *w, uint32_t k)
{
	return !w->spk[k].bird &&
	       opt_set_on(&w->spk[k].pub.spk->deterministic_med);
}

/* One group of IOS `bgp deterministic-med`: the paths from one
 * neighbouring AS and the best of them so far. */
struct dm_group {
	uint32_t as, src, attrs;
};

/* The decision with `bgp deterministic-med` (Cisco IOS IP Routing: BGP
 * Command Reference, "bgp deterministic-med"; "BGP Best Path Selection
 * Algorithm"): the paths are grouped by neighbouring AS (the first AS of
 * the AS_PATH, internal paths together), the best of each group chosen
 * (MEDs compared inside it), then the best of those: the answer no longer
 * depends on the order the paths arrived in. */
static uint32_t
decide_det_med(const struct world *w, uint32_t k, uint32_t pid,
               uint32_t *attrs, uint32_t inc)
{
	const struct wspk *sp = &w->spk[k];
	struct dm_group stack[32], *g = stack;
	uint32_t ng = 0, cap = 32, best = SIM_NONE, ba = 0, v, i, j;

	v = rib_map_get(&sp->rib.local, pid);
	if (v) {
		g[0].as = rib_attrs(w, v)->first_as;
		g[0].src = RIB_SRC_LOCAL;
		g[0].attrs = v;
		ng = 1;
	}
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t si = sp->pub.first_session + i, as;
		v = rib_map_get(&w->side[si].rib.in, pid);
		if (!v)
			continue;
		as = rib_attrs(w, v)->first_as;
		for (j = 0; j < ng && g[j].as != as; j++)
			;
		if (j < ng) {
			if (better(w, k, si, v, g[j].src, g[j].attrs, inc)) {
				g[j].src = si;
				g[j].attrs = v;
			}
			continue;
		}
		if (ng == cap) {
			/* more neighbouring ASes than the stack holds: at
			 * most one group per session and the local one */
			struct dm_group *n;
			cap = sp->pub.nsessions + 1;
			n = rr_xcalloc(cap, sizeof(*n));
			memcpy(n, g, ng * sizeof(*n));
			g = n;
		}
		g[ng].as = as;
		g[ng].src = si;
		g[ng].attrs = v;
		ng++;
	}
	for (j = 0; j < ng; j++)
		if (better(w, k, g[j].src, g[j].attrs, best, ba, inc)) {
			best = g[j].src;
			ba = g[j].attrs;
		}
	if (g != stack)
		free(g);
	*attrs = ba;
	return best;
}

/* The decision with inc the best path so far (SIM_NONE: none). */
static uint32_t
decide(const struct world *w, uint32_t k, uint32_t pid, uint32_t *attrs,
       uint32_t inc)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t best = SIM_NONE, ba = 0, v, i;

	if (det_med(w, k))
		return decide_det_med(w, k, pid, attrs, inc);

	v = rib_map_get(&sp->rib.local, pid);
	if (v) {
		best = RIB_SRC_LOCAL;
		ba = v;
	}
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t si = sp->pub.first_session + i;
		v = rib_map_get(&w->side[si].rib.in, pid);
		if (v && better(w, k, si, v, best, ba, inc)) {
			best = si;
			ba = v;
		}
	}
	*attrs = ba;
	return best;
}

uint32_t
rib_decision(const struct world *w, uint32_t k, uint32_t pid,
             uint32_t *attrs)
{
	return decide(w, k, pid, attrs, SIM_NONE);
}

/* ------------------------------------------------------------ multipath */

uint32_t
rib_multipath_max(const struct world *w, uint32_t k, uint32_t best)
{
	const struct rr_speaker *s = w->spk[k].pub.spk;
	const struct rr_opt_u32 *o;

	if (best == SIM_NONE || best == RIB_SRC_LOCAL)
		return 1;
	/* calico-node's kernel protocol: `merge paths on`, BIRD 1.6's limit
	 * (KRT_DEFAULT_ECMP_LIMIT, sysdep/unix/krt.h) */
	if (w->spk[k].bird)
		return BIRD_MERGE_LIMIT;
	o = w->side[best].pub.ibgp ? &s->maximum_paths_ibgp
	                           : &s->maximum_paths;
	if (s->maximum_paths_eibgp.set && s->maximum_paths_eibgp.v > 1)
		o = &s->maximum_paths_eibgp;
	return o->set && o->v > 1 ? o->v : 1;
}

/* BIRD 1.6 `merge paths`: may route (src, ia) join the best one's (best,
 * ba) in the kernel's ECMP route?  rte_mergable() (nest/rt-table.c: the
 * same preference and protocol; BGP routes only, a node's own static
 * routes never merge) and bgp_rte_mergable() (proto/bgp/attrs.c): the
 * same LOCAL_PREF, AS_PATH length, ORIGIN, MED when both come from the
 * same neighbouring AS (med metric off), both internal or both external,
 * and IGP metric (none simulated: equal); another next hop (mpnh_merge
 * keeps one per gateway). */
static bool
bird_mergable(const struct world *w, uint32_t k, uint32_t best, uint32_t ba,
              uint32_t src, uint32_t ia)
{
	const struct rib_attrs *x = rib_attrs(w, ba), *y = rib_attrs(w, ia);
	struct rib_path a, b;

	path_of(w, k, best, ba, SIM_NONE, &a);
	path_of(w, k, src, ia, SIM_NONE, &b);
	if (a.local_pref != b.local_pref || a.aspath_len != b.aspath_len ||
	    a.origin != b.origin || a.ebgp != b.ebgp ||
	    !rr_addr_cmp(&x->next_hop, &y->next_hop))
		return false;
	return a.first_as != b.first_as || a.med == b.med;
}

bool
rib_multipath_ok(const struct world *w, uint32_t k, uint32_t best,
                 uint32_t ba, uint32_t src, uint32_t ia)
{
	const struct rr_speaker *s = w->spk[k].pub.spk;
	const struct rib_attrs *x = rib_attrs(w, ba), *y = rib_attrs(w, ia);
	struct rib_path a, b;
	bool relax = opt_set_on(&s->bestpath_multipath_relax);

	if (src == best || src == RIB_SRC_LOCAL || best == RIB_SRC_LOCAL)
		return false;
	if (w->spk[k].bird)
		return bird_mergable(w, k, best, ba, src, ia);
	if (!(s->maximum_paths_eibgp.set && s->maximum_paths_eibgp.v > 1) &&
	    w->side[src].pub.ibgp != w->side[best].pub.ibgp)
		return false;
	path_of(w, k, best, ba, SIM_NONE, &a);
	path_of(w, k, src, ia, SIM_NONE, &b);
	/* IOS: the same weight, LOCAL_PREF, AS_PATH (as a whole; its
	 * length with `bgp bestpath as-path multipath-relax`), ORIGIN, MED
	 * and, no IGP metric simulated, another next hop */
	if (a.weight != b.weight || a.local_pref != b.local_pref ||
	    a.origin != b.origin || a.med != b.med ||
	    a.aspath_len != b.aspath_len ||
	    !rr_addr_cmp(&x->next_hop, &y->next_hop))
		return false;
	if (!relax && (x->nsegs_words != y->nsegs_words ||
	               (x->nsegs_words &&
	                memcmp(x->segs, y->segs,
	                       x->nsegs_words * sizeof(*x->segs)))))
		return false;
	return true;
}

bool
rib_multipath_before(const struct world *w, uint32_t k, uint32_t sa,
                     uint32_t ia, uint32_t sb, uint32_t ib)
{
	return better(w, k, sa, ia, sb, ib, SIM_NONE);
}

/* ------------------------------------------------------------ import */

static bool
has_u32(const uint32_t *v, uint32_t n, uint32_t x)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
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

/* How often the own AS may already be in a received AS_PATH: Calico's
 * numAllowedLocalASNumbers (BIRD `allow local as`), IOS `neighbor X
 * allowas-in [N]` (N, 3 when left out). */
static uint32_t
allow_own_as(const struct wside *s)
{
	const struct rr_neighbor *nb = s->pub.nb;

	if (!nb)
		return 0;
	if (rr_nb_rare(nb)->allow_local_as.set)
		return rr_nb_rare(nb)->allow_local_as.v;
	return rr_nb_rare(nb)->allowas_in.set ? rr_nb_rare(nb)->allowas_in.v
	                                      : 0;
}

/* The import checks of RFC 4456 8 and RFC 4271 9.1.2 for set a on side s. */
static enum rib_drop
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
	if (!s->pub.ibgp && aspath_has(a, s->cfg.local_as, allow_own_as(s)))
		return RIB_DROP_ASLOOP;
	return RIB_DROP_NONE;
}

static void
note_drop(struct wside *s, enum rib_drop why, uint32_t pid, uint32_t val)
{
	if (!s->rib.ndrops++) {
		s->rib.drop = (uint8_t)why;
		s->rib.drop_pid = pid;
		s->rib.drop_val = val;
	}
}

/* RFC 4271 9.1.3 follows a change of the Loc-RIB: adjout.c */
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
	if (w->opts.best && (old == SIM_NONE) != (nw == SIM_NONE))
		w->opts.best(w->opts.best_ctx, w->sched.now, k, &w->pfx[pid].p,
		             pid, old, nw);
	adjout_best_changed(w, k, pid, old, oa, nw, na);
}

/* Route (src, attrs; 0 withdraws) for pid at speaker k. */
static void
rib_update(struct world *w, uint32_t k, uint32_t src, uint32_t pid,
           uint32_t attrs)
{
	struct rib_map *in = src == RIB_SRC_LOCAL ? &w->spk[k].rib.local
	                                          : &w->side[src].rib.in;
	uint32_t oa, old, na, nw;

	if (rib_map_get(in, pid) == attrs)
		return;
	old = rib_best(w, k, pid, &oa);
	rib_map_set(w, in, pid, attrs);
	if (src != RIB_SRC_LOCAL)
		w->side[src].pub.pfx_rcvd = in->count;
	if (old == src || det_med(w, k)) {
		/* the best path replaced keeps its age (FRR keeps a path's
		 * selected flag through an implicit withdraw), withdrawn
		 * it is no candidate; with deterministic-med a new path
		 * can change which path of another AS wins: all again */
		nw = decide(w, k, pid, &na, old);
	} else if (attrs && better(w, k, src, attrs, old, oa, old)) {
		nw = src;
		na = attrs;
	} else {
		nw = old;
		na = oa;
	}
	rib_best_set(w, k, pid, nw);
	if (nw != old || na != oa)
		best_changed(w, k, pid, old, oa, nw, na);
}

/* An UPDATE received on side si (RFC 4271 9.1): withdrawals, then the
 * routes, after the import checks. */
void
rib_import(struct world *w, uint32_t si, const struct rib_update *u)
{
	struct wside *s = &w->side[si];
	uint32_t k = s->pub.speaker, i, id = u->attrs;
	enum rib_drop why = u->drop;

	for (i = 0; i < u->nwithdrawn; i++)
		rib_update(w, k, si, u->withdrawn[i], 0);
	if (!u->nnlri && !why)
		return; /* withdrawals only, or End-of-RIB */
	if (!why)
		why = import_drop(w, s, rib_attrs(w, id));
	if (why) {
		const struct rib_attrs *a = id ? rib_attrs(w, id) : NULL;
		note_drop(s, why, u->first,
		          why == RIB_DROP_CLUSTER && a ? a->clusters[0] : 0);
		id = 0;
	}
	if (id && w->spk[k].rib.calico)
		id = bird_import_lp(w, id, !s->pub.ibgp);
	for (i = 0; i < u->nnlri; i++) {
		uint32_t pa = id;
		if (id && s->pol_in) {
			pa = policy_import(w, si, u->nlri[i], id);
			if (!pa)
				note_drop(s, RIB_DROP_POLICY, u->nlri[i], 0);
		}
		/* a Calico node: the session's BGPFilter import rules */
		if (pa && s->nbird_filters &&
		    !(pa = bird_import(w, si, u->nlri[i], pa)))
			note_drop(s, RIB_DROP_BGPFILTER, u->nlri[i], 0);
		rib_update(w, k, si, u->nlri[i], pa);
	}
	/* IOS maximum-prefix: past N, the session goes down once this
	 * UPDATE is read (reconfig.c) */
	if (s->max_prefix && !s->max_prefix_warn && !s->max_prefix_hit &&
	    s->rib.in.count > s->max_prefix) {
		s->max_prefix_hit = true;
		sched_push(&w->sched, w->sched.now, SEV_MAXPFX, si, 0, 0);
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
	rib_map_release(&s->rib.in);
	s->pub.pfx_rcvd = 0;
}

/* ------------------------------------------------------------ export */

/* R32: where prefix p sits among the IPPools (attrs.c notes it with the
 * prefix id). */
enum rib_pool
rib_pool_class(const struct rr_model *m, const struct rr_prefix *p)
{
	const struct rr_calico *c = &m->calico;
	enum rib_pool r = RIB_POOL_NONE;
	size_t i;

	for (i = 0; i < c->nippools; i++) {
		const struct rr_ippool *pl = &c->ippools[i];
		if (!pl->cidr.addr.af || pl->cidr.addr.af != p->addr.af ||
		    p->len < pl->cidr.len ||
		    !rr_prefix_contains(&pl->cidr, &p->addr))
			continue;
		if (pl->disable_bgp_export.set && pl->disable_bgp_export.v)
			return RIB_POOL_NO_EXPORT;
		r = RIB_POOL_IN;
	}
	return r;
}

/* Policy only (the session's state aside): may speaker k send the route
 * (src, attrs ia) for pid on side di? */
enum rib_why
rib_export_policy(const struct world *w, uint32_t k, uint32_t pid,
                  uint32_t src, uint32_t ia, uint32_t di)
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
		/* confd's export filter: BGPFilters, then R32 */
		enum rib_why why = bird_export_policy(w, di, pid, src, ia);
		if (why != RIB_OK)
			return why;
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
	if (d->pol_out && ia && !policy_export_ok(w, di, pid, ia))
		return RIB_POLICY_OUT;
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
	return rib_export_policy(w, k, pid, src, ia, si);
}

bool
rib_exportable(const struct world *w, uint32_t k, uint32_t pid,
                     uint32_t src, uint32_t ia)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t i;

	if (src == SIM_NONE ||
	    (src != RIB_SRC_LOCAL && w->side[src].rib.split_horizon))
		return false;
	for (i = 0; i < sp->pub.nsessions; i++)
		if (rib_export_policy(w, k, pid, src, ia,
		                      sp->pub.first_session + i) == RIB_OK)
			return true;
	return false;
}

/* Once, from the configuration: the sides whose routes iBGP split
 * horizon (RFC 4456 6) keeps from every other side of their speaker (a
 * node's sessions to its reflectors), whatever the prefix. */
struct peer_ix {
	struct rr_addr a;
	uint32_t si;
};

static int
cmp_peer(const void *x, const void *y)
{
	return rr_addr_cmp(&((const struct peer_ix *)x)->a,
	                   &((const struct peer_ix *)y)->a);
}

/* Each side's place in the order of peer addresses (RFC 4271 9.1.2.2 g),
 * equal addresses equal places. */
static void
rank_peers(struct world *w)
{
	struct peer_ix *v = rr_xcalloc(w->nside + 1, sizeof(*v));
	uint32_t i, r = 0;

	for (i = 0; i < w->nside; i++) {
		v[i].a = w->side[i].pub.peer;
		v[i].si = i;
	}
	qsort(v, w->nside, sizeof(*v), cmp_peer);
	for (i = 0; i < w->nside; i++) {
		if (i && cmp_peer(&v[i - 1], &v[i]))
			r++;
		w->side[v[i].si].rib.peer_rank = r;
	}
	free(v);
}

void
rib_sides_init(struct world *w)
{
	uint32_t k, i, j;

	for (k = 0; k < w->nspk; k++) {
		const struct wspk *sp = &w->spk[k];
		for (i = 0; i < sp->pub.nsessions; i++) {
			struct wside *s = &w->side[sp->pub.first_session + i];
			bool kept = s->pub.ibgp;
			for (j = 0; j < sp->pub.nsessions && kept; j++) {
				const struct wside *d =
				        &w->side[sp->pub.first_session + j];
				kept = d == s ||
				       (d->pub.ibgp &&
				        !rib_reflect_ok(sp->rib.calico,
				                        s->pub.rr_client,
				                        d->pub.rr_client,
				                        d->client_to_client));
			}
			s->rib.split_horizon = kept;
		}
	}
	rank_peers(w);
}

/* RFC 4456 8: reflecting adds ORIGINATOR_ID (if absent) and prepends
 * the cluster id: IOS its own, BIRD the client session's. */
static bool
reflect(const struct world *w, uint32_t k, const struct wside *s,
        const struct rib_class *c, struct rib_attrs *a, uint32_t *clusters,
        size_t cap)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t cid = sp->rib.calico && !s->pub.rr_client ? c->cluster_id
	               : sp->rib.calico                    ? s->cluster_id
	                                                   : sp->pub.cluster_id;

	if (!a->has_orig) {
		a->has_orig = true;
		a->originator_id = s->pub.peer_id;
	}
	if (a->ncluster + 1 > cap)
		return false;
	clusters[0] = cid;
	if (a->ncluster)
		memcpy(clusters + 1, a->clusters, a->ncluster * sizeof(uint32_t));
	a->clusters = clusters;
	a->ncluster++;
	return true;
}

/* IOS `neighbor X as-override`: every occurrence of X's AS in the path
 * (segments of words: type, count, ASNs) becomes the router's own AS, so
 * that X, a site sharing one AS with others, does not drop the route as a
 * loop. */
static void
override_as(uint32_t *words, uint32_t n, uint32_t peer_as, uint32_t own)
{
	uint32_t i = 0, j;

	while (i + 1 < n) {
		for (j = 0; j < words[i + 1] && i + 2 + j < n; j++)
			if (words[i + 2 + j] == peer_as)
				words[i + 2 + j] = own;
		i += 2 + words[i + 1];
	}
}

/* RFC 4271 5.1.2, 5.1.5, RFC 4456 8: toward eBGP our AS is prepended and
 * LOCAL_PREF, MED (of a learned route), ORIGINATOR_ID and CLUSTER_LIST
 * stay home. */
static bool
to_ebgp(const struct rib_class *c, bool local, struct rib_attrs *a,
        uint32_t *words, size_t cap)
{
	uint32_t n = 0;

	words[n++] = BGP_SEG_SEQUENCE;
	if (a->nsegs_words >= 2 && a->segs[0] == BGP_SEG_SEQUENCE &&
	    a->segs[1] < 255) {
		words[n++] = a->segs[1] + 1;
		words[n++] = c->local_as;
		if (a->nsegs_words - 2 > cap - n)
			return false;
		memcpy(words + n, a->segs + 2,
		       (a->nsegs_words - 2) * sizeof(uint32_t));
		n += a->nsegs_words - 2;
	} else {
		words[n++] = 1;
		words[n++] = c->local_as;
		if (a->nsegs_words > cap - n)
			return false;
		if (a->nsegs_words)
			memcpy(words + n, a->segs,
			       a->nsegs_words * sizeof(uint32_t));
		n += a->nsegs_words;
	}
	if (c->override_as)
		override_as(words, n, c->override_as, c->local_as);
	a->segs = words;
	a->nsegs_words = n;
	a->has_lp = false;
	a->local_pref = 0;
	if (!local) {
		a->has_med = false;
		a->med = 0;
	}
	a->has_orig = false;
	a->originator_id = 0;
	a->ncluster = 0;
	a->clusters = NULL;
	return true;
}

uint32_t
rib_export_attrs(struct world *w, uint32_t k, uint32_t src, uint32_t ia,
                 const struct rib_class *c)
{
	struct rib_attrs a = *rib_attrs(w, ia);
	uint32_t words[256 + 2], clusters[64];
	bool self = false;

	a.wire = NULL;
	a.weight = 0; /* the router's own knob, never sent */
	if (src == RIB_SRC_LOCAL) {
		self = true; /* own routes: the session's address */
	} else {
		const struct wside *s = &w->side[src];
		if (c->ibgp && s->pub.ibgp) {
			if (!reflect(w, k, s, c, &a, clusters,
			             sizeof(clusters) / sizeof(clusters[0])))
				return 0;
			self = c->nh_self_all;
		} else if (c->ibgp) {
			/* eBGP-learned to iBGP: next-hop-self if asked */
			self = c->nh_self;
			if (!a.has_lp) {
				a.has_lp = true;
				a.local_pref = 100;
			}
		} else {
			/* RFC 4271 5.1.3: toward an eBGP peer on the subnet
			 * that holds the next hop, IOS leaves it (a third-party
			 * next hop) -- unless next-hop-self, which overrides
			 * it (IOS, FRR; BIRD 1.6's `next hop self` alike) */
			self = c->nh_self ||
			       (!c->nh_keep &&
			        !(c->shared.addr.af &&
			          rr_prefix_contains(&c->shared, &a.next_hop)));
		}
	}
	if (!c->ibgp &&
	    !to_ebgp(c, src == RIB_SRC_LOCAL, &a, words,
	             sizeof(words) / sizeof(words[0])))
		return 0;
	if (self)
		a.next_hop = c->local;
	if (c->no_comms) {
		a.ncomm = 0;
		a.comms = NULL;
	}
	return rib_attrs_intern(w, &a);
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
 * exactly (IOS `network` command reference): a connected subnet or a static route. */
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
				/* a /32 (/128) block has no blackhole route:
				 * only a workload's own route, not simulated */
				if (s->originates[i].kind == RR_ORIG_BLOCK &&
				    p->len == (p->addr.af == RR_AF_INET6 ? 128
				                                         : 32))
					continue;
				a.local_pref = calico_local_pref(w, p->addr.af);
				rib_update(w, k, RIB_SRC_LOCAL,
				           rib_prefix_id(w, p),
				           rib_attrs_intern(w, &a));
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
			           rib_attrs_intern(w, &a));
		}
	}
}

