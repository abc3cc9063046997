/*
 * rrkit rollout's engine (rollout.h, docs/rollout.md): the union world of
 * every state, the diff of two states session by session as BIRD 1.6 and
 * IOS apply it, the rehearsal on one clock and the loss accounting.
 */
#include "rollout/rollout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ro_change_names[RO_KIND_N] = {
        [RO_ADDED] = "added",         [RO_REMOVED] = "removed",
        [RO_SHUTDOWN] = "shutdown",   [RO_RESTARTED] = "restarted",
        [RO_REPLACED] = "replaced",   [RO_CHANGED] = "changed",
        [RO_CLUSTER_ID] = "cluster-id",
};

/* ------------------------------------------------------------ the diff */

#define SAME_OPT(a, b, f) ((a)->f.set == (b)->f.set && (a)->f.v == (b)->f.v)

static bool
same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool
same_ostr(const struct rr_opt_str *a, const struct rr_opt_str *b)
{
	return a->set == b->set && (!a->set || same_str(a->v, b->v));
}

static bool
same_oaddr(const struct rr_opt_addr *a, const struct rr_opt_addr *b)
{
	return a->set == b->set && (!a->set || rr_addr_eq(&a->v, &b->v));
}

static bool
same_password(const struct rr_neighbor *a, const struct rr_neighbor *b)
{
	return SAME_OPT(a, b, password) &&
	       a->password_hash == b->password_hash &&
	       a->password_unresolved == b->password_unresolved;
}

static bool
same_filters(const struct rr_neighbor *a, const struct rr_neighbor *b)
{
	size_t i;

	if (a->nfilters != b->nfilters || a->export_internal != b->export_internal)
		return false;
	for (i = 0; i < a->nfilters; i++)
		if (!same_str(a->filters[i], b->filters[i]))
			return false;
	return true;
}

/* BIRD 1.6 bgp_reconfigure(): every option of the BGP protocol compared
 * (memcmp of the config past the generic part, then the password); the
 * filters belong to the generic part (proto_reconfigure reloads them
 * without a restart). */
static bool
bird_same_session(const struct rr_neighbor *a, const struct rr_neighbor *b)
{
	return SAME_OPT(a, b, remote_as) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), local_as) &&
	       SAME_OPT(a, b, rr_client) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), rr_cluster_id) &&
	       a->passive == b->passive && same_password(a, b) &&
	       SAME_OPT(a, b, keepalive) && SAME_OPT(a, b, hold) &&
	       SAME_OPT(a, b, graceful_restart) &&
	       SAME_OPT(a, b, ebgp_multihop) && SAME_OPT(a, b, ttl_security) &&
	       a->next_hop == b->next_hop &&
	       same_oaddr(&a->source_address, &b->source_address) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), allow_local_as) &&
	       same_oaddr(&rr_nb_rare(a)->reachable_by,
	                  &rr_nb_rare(b)->reachable_by) &&
	       a->family == b->family;
}

static bool
same_afs(const struct rr_neighbor *a, const struct rr_neighbor *b)
{
	size_t k;

	for (k = 0; k < RR_AFS_COUNT; k++)
		if (rr_nb_af(a, (int)k)->v != rr_nb_af(b, (int)k)->v)
			return false;
	return true;
}

static bool
same_asns(const struct rr_opt_asns *a, const struct rr_opt_asns *b)
{
	size_t i;

	if (a->set != b->set || a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].asn != b->v[i].asn)
			return false;
	return true;
}

/* IOS: what resets the session when it changes (remote-as, local-as,
 * route-reflector-client, update-source, ebgp-multihop, TTL security,
 * transport mode, an address family activated or not). */
static bool
ios_same_session(const struct rr_neighbor *a, const struct rr_neighbor *b)
{
	return SAME_OPT(a, b, remote_as) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), local_as) &&
	       rr_nb_rare(a)->local_as_no_prepend ==
	               rr_nb_rare(b)->local_as_no_prepend &&
	       rr_nb_rare(a)->local_as_replace_as ==
	               rr_nb_rare(b)->local_as_replace_as &&
	       rr_nb_rare(a)->local_as_dual_as ==
	               rr_nb_rare(b)->local_as_dual_as &&
	       SAME_OPT(a, b, rr_client) &&
	       same_ostr(&a->update_source, &b->update_source) &&
	       same_oaddr(&a->source_address, &b->source_address) &&
	       SAME_OPT(a, b, ebgp_multihop) && SAME_OPT(a, b, ttl_security) &&
	       a->passive == b->passive && same_afs(a, b) &&
	       same_asns(&rr_nb_rare(a)->alternate_as,
	                 &rr_nb_rare(b)->alternate_as);
}

/* IOS: what it applies in place (new policy, timers for the next
 * session, the password for the next connection). */
static bool
ios_same_rest(const struct rr_neighbor *a, const struct rr_neighbor *b)
{
	return SAME_OPT(a, b, keepalive) && SAME_OPT(a, b, hold) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), min_hold) &&
	       same_password(a, b) && SAME_OPT(a, b, next_hop_self) &&
	       a->next_hop_self_all == b->next_hop_self_all &&
	       same_ostr(&rr_nb_rare(a)->route_map_in,
	                 &rr_nb_rare(b)->route_map_in) &&
	       same_ostr(&rr_nb_rare(a)->route_map_out,
	                 &rr_nb_rare(b)->route_map_out) &&
	       same_ostr(&rr_nb_rare(a)->prefix_list_in,
	                 &rr_nb_rare(b)->prefix_list_in) &&
	       same_ostr(&rr_nb_rare(a)->prefix_list_out,
	                 &rr_nb_rare(b)->prefix_list_out) &&
	       same_ostr(&rr_nb_rare(a)->filter_list_in,
	                 &rr_nb_rare(b)->filter_list_in) &&
	       same_ostr(&rr_nb_rare(a)->filter_list_out,
	                 &rr_nb_rare(b)->filter_list_out) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), weight) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), as_override) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), allowas_in) &&
	       same_ostr(&a->send_community, &b->send_community) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), remove_private_as) &&
	       SAME_OPT(rr_nb_rare(a), rr_nb_rare(b), default_originate);
}

static bool
shut(const struct rr_neighbor *n)
{
	return n->shutdown.set && n->shutdown.v;
}

bool
ro_diff_neighbor(bool bird, const struct rr_neighbor *a,
                 const struct rr_neighbor *b, enum ro_change_kind *kind,
                 enum sim_reconf *how, uint8_t *cease)
{
	*cease = 0;
	if (!a && !b)
		return false;
	if (!b) {
		*kind = RO_REMOVED;
		*how = SIM_RC_STOP;
		*cease = ERR_CEASE_DECONFIGURED;
		return true;
	}
	if (!a) {
		*kind = RO_ADDED;
		*how = SIM_RC_START;
		return true;
	}
	if (a == b)
		return false;
	if (bird) {
		if (!same_str(a->name, b->name)) {
			/* another protocol: the old one is removed */
			*kind = RO_REPLACED;
			*how = SIM_RC_RESTART;
			*cease = ERR_CEASE_DECONFIGURED;
			return true;
		}
		if (!bird_same_session(a, b)) {
			*kind = RO_RESTARTED;
			*how = SIM_RC_RESTART;
			*cease = ERR_CEASE_CONFIG_CHANGE;
			return true;
		}
		if (!same_filters(a, b)) {
			*kind = RO_CHANGED;
			*how = SIM_RC_INPLACE;
			return true;
		}
		return false;
	}
	if (!shut(a) && shut(b)) {
		*kind = RO_SHUTDOWN;
		*how = SIM_RC_STOP;
		*cease = ERR_CEASE_ADMIN_SHUTDOWN;
		return true;
	}
	if (shut(a) && !shut(b)) {
		*kind = RO_ADDED;
		*how = SIM_RC_START;
		return true;
	}
	if (!ios_same_session(a, b)) {
		*kind = RO_RESTARTED;
		*how = shut(b) ? SIM_RC_INPLACE : SIM_RC_RESTART;
		*cease = shut(b) ? 0 : ERR_CEASE_CONFIG_CHANGE;
		return true;
	}
	if (!ios_same_rest(a, b)) {
		*kind = RO_CHANGED;
		*how = SIM_RC_INPLACE;
		return true;
	}
	return false;
}

/* ------------------------------------------------------- the union */

/* a session's identity on a speaker: the peer (or listen range), port,
 * VRF; and for BIRD the protocol's name (birdc configure keeps a protocol
 * by its name: Mesh_X becoming Node_X is one removed and one added, and
 * the two may run side by side, one waiting for BIRD's lock on the
 * neighbor, bgpsim/world.c) */
static bool
same_key(const struct rr_neighbor *a, const struct rr_neighbor *b)
{
	if (a->is_range != b->is_range || a->port != b->port ||
	    !same_str(a->vrf, b->vrf) || !same_str(a->name, b->name))
		return false;
	if (a->is_range)
		return a->range.len == b->range.len &&
		       rr_addr_eq(&a->range.addr, &b->range.addr);
	return rr_addr_eq(&a->peer, &b->peer);
}

struct uspk {
	struct rr_speaker *s; /* the union speaker (a copy) */
	size_t capnb;
	const struct rr_speaker **ver; /* per state, NULL: absent */
	size_t off;                    /* first index in the state tables */
};

struct onion {
	struct rr_arena a;
	struct rr_model m;
	size_t nstates;
	struct uspk *u;
	size_t nu;
	/* name -> union speaker + 1 */
	uint32_t *slot;
	size_t nslot;
	size_t nnb; /* union neighbors in all */
	/* (union speaker, neighbor key) -> (speaker + 1, neighbor index) */
	struct nbslot {
		uint32_t u1, nb;
	} *nslots;
	size_t nnslot;
	/* per state: the neighbor for each union neighbor, NULL absent */
	const struct rr_neighbor ***ver;
};

static uint64_t
hstr(const char *s, unsigned kind)
{
	uint64_t h = 1469598103934665603ull ^ kind;

	for (; s && *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

static size_t
find_uspk(struct onion *o, const struct rr_speaker *s, bool add)
{
	size_t i = (size_t)hstr(s->name, s->kind) & (o->nslot - 1);

	for (;; i = (i + 1) & (o->nslot - 1)) {
		uint32_t v = o->slot[i];
		if (!v)
			break;
		if (o->u[v - 1].s->kind == s->kind &&
		    same_str(o->u[v - 1].s->name, s->name))
			return v - 1;
	}
	if (!add)
		return SIZE_MAX;
	o->u[o->nu].s = rr_arena_alloc(&o->a, sizeof(struct rr_speaker));
	*o->u[o->nu].s = *s;
	o->u[o->nu].s->neighbors = NULL;
	o->u[o->nu].s->nneighbors = 0;
	o->u[o->nu].ver = rr_arena_calloc(&o->a, o->nstates,
	                                  sizeof(*o->u[o->nu].ver));
	o->slot[i] = (uint32_t)++o->nu;
	return o->nu - 1;
}

static uint64_t
nb_hash(size_t u, const struct rr_neighbor *n)
{
	uint64_t h = hstr(n->vrf, (unsigned)u);
	const struct rr_addr *a = n->is_range ? &n->range.addr : &n->peer;
	size_t i;

	h = (h ^ n->port ^ ((uint64_t)n->is_range << 17) ^
	     ((uint64_t)n->range.len << 20) ^ ((uint64_t)a->af << 28)) *
	    1099511628211ull;
	for (i = 0; i < sizeof(a->b); i++)
		h = (h ^ a->b[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

/* the union neighbor of speaker u with n's key, SIZE_MAX: none (add:
 * append a copy of n) */
static size_t
onion_nb(struct onion *o, size_t u, const struct rr_neighbor *n, size_t hint,
         bool add)
{
	struct uspk *us = &o->u[u];
	size_t i;

	if (hint < us->s->nneighbors && same_key(&us->s->neighbors[hint], n))
		return hint;
	for (i = (size_t)nb_hash(u, n) & (o->nnslot - 1);;
	     i = (i + 1) & (o->nnslot - 1)) {
		const struct nbslot *e = &o->nslots[i];
		if (!e->u1)
			break;
		if (e->u1 == u + 1 && same_key(&us->s->neighbors[e->nb], n))
			return e->nb;
	}
	if (!add)
		return SIZE_MAX;
	if (us->s->nneighbors == us->capnb) {
		us->capnb = us->capnb ? us->capnb * 2 : 8;
		us->s->neighbors = rr_xrealloc(
		        us->s->neighbors, us->capnb * sizeof(struct rr_neighbor));
	}
	o->nslots[i].u1 = (uint32_t)u + 1;
	o->nslots[i].nb = (uint32_t)us->s->nneighbors;
	us->s->neighbors[us->s->nneighbors++] = *n;
	return us->s->nneighbors - 1;
}

static int
onion_build(struct onion *o, const struct rr_model *const *models, size_t n)
{
	size_t total = 0, st, i, j, pass;

	memset(o, 0, sizeof(*o));
	rr_arena_init(&o->a);
	o->nstates = n;
	for (st = 0; st < n; st++)
		total += models[st]->nspeakers;
	o->nslot = 16;
	while (o->nslot < total * 2)
		o->nslot *= 2;
	o->slot = rr_xcalloc(o->nslot, sizeof(*o->slot));
	o->u = rr_xcalloc(total + 1, sizeof(*o->u));
	/* IOS routers first, then nodes, as a model holds them */
	for (pass = 0; pass < 2; pass++)
		for (st = 0; st < n; st++)
			for (i = 0; i < models[st]->nspeakers; i++) {
				const struct rr_speaker *s =
				        models[st]->speakers[i];
				size_t k;
				if ((s->kind == RR_SPK_IOS) != (pass == 0))
					continue;
				k = find_uspk(o, s, true);
				o->u[k].ver[st] = s;
			}
	/* every neighbor of every state, once per key */
	total = 0;
	for (st = 0; st < n; st++)
		for (i = 0; i < models[st]->nspeakers; i++)
			total += models[st]->speakers[i]->nneighbors;
	o->nnslot = 16;
	while (o->nnslot < total * 2)
		o->nnslot *= 2;
	o->nslots = rr_xcalloc(o->nnslot, sizeof(*o->nslots));
	for (i = 0; i < o->nu; i++) {
		struct uspk *u = &o->u[i];
		for (st = 0; st < n; st++) {
			const struct rr_speaker *s = u->ver[st];
			if (!s)
				continue;
			for (j = 0; j < s->nneighbors; j++)
				(void)onion_nb(o, i, &s->neighbors[j], j, true);
		}
		u->s->capnb = u->s->nneighbors;
		u->off = o->nnb;
		o->nnb += u->s->nneighbors;
	}
	o->ver = rr_arena_calloc(&o->a, n, sizeof(*o->ver));
	for (st = 0; st < n; st++) {
		o->ver[st] = rr_xcalloc(o->nnb + 1, sizeof(**o->ver));
		for (i = 0; i < o->nu; i++) {
			const struct rr_speaker *s = o->u[i].ver[st];
			if (!s)
				continue;
			for (j = 0; j < s->nneighbors; j++) {
				size_t k = onion_nb(o, i, &s->neighbors[j], j,
				                    false);
				o->ver[st][o->u[i].off + k] = &s->neighbors[j];
			}
		}
	}
	/* the model the world is built from: the target's resources, every
	 * speaker of every state */
	o->m = *models[n - 1];
	memset(&o->m.arena, 0, sizeof(o->m.arena));
	o->m.speakers = rr_arena_calloc(&o->a, o->nu + 1, sizeof(*o->m.speakers));
	for (i = 0; i < o->nu; i++)
		o->m.speakers[i] = o->u[i].s;
	o->m.nspeakers = o->nu;
	o->m.capspk = o->nu;
	o->m.mesh_elided = false;
	o->m.mesh_sessions = 0;
	for (st = 0; st < n; st++)
		if (models[st]->mesh_elided)
			return -2;
	return 0;
}

static void
onion_release(struct onion *o)
{
	size_t i;

	for (i = 0; i < o->nu; i++)
		free(o->u[i].s->neighbors);
	for (i = 0; o->ver && i < o->nstates; i++)
		free(o->ver[i]);
	free(o->u);
	free(o->slot);
	free(o->nslots);
	rr_arena_release(&o->a);
}

/* ----------------------------------------------------- loss accounting */

/*
 * What a speaker lost: per speaker that lost a route, a cell per prefix
 * (the prefix's index in the prefix table), 4 bytes: the episode the
 * route went in (+ 1, 0: not missing) and whether the pair was counted.
 * An episode is what many routes share: the routes of one session go at
 * one moment for one cause.  At 5,000 nodes that each lose every block
 * that is 100 MB of cells and a few thousand episodes (a hash table of
 * (speaker, prefix) tracks took 2 GB); a rehearsal without loss allocates
 * none.
 */
#define CELL_COUNTED 0x80000000u
#define CELL_EP 0x7fffffffu
struct episode {
	uint64_t since;
	const char *cause, *gcause;
	uint32_t refs; /* cells in it; 0: free, on the free list */
};
#define KEPT_NONE UINT32_MAX

struct nodeacc {
	uint64_t routes, loss_ms, first, last;
	uint32_t open;
	bool kept; /* has an interval kept one by one */
	const char *gc[4];
	size_t ngc;
	bool more_gc;
};

/* (speaker, prefix index) -> interval kept one by one: open addressing,
 * at most half full, from KEPT_FIRST slots doubling (at most RO_MAX_LOSSES
 * keys: 2^18 slots at most; a rehearsal that keeps a few intervals clears
 * 3 KiB, not 3 MiB) */
struct kept_slot {
	uint32_t k, pi, idx; /* idx: index in loss, KEPT_NONE; k + 1, 0: free */
};
#define KEPT_FIRST 256

struct reh {
	const struct ro_opts *opts;
	struct ro_result *r;
	struct sim *s;
	struct onion *o;
	bool on; /* the first step was applied */
	/* per speaker: cells by prefix index, their number */
	uint32_t **cell;
	uint32_t *ncell;
	uint32_t *last_ep; /* the speaker's latest episode + 1 */
	struct episode *ep;
	uint32_t nep, capep, free_ep; /* free_ep: a free episode + 1 */
	struct kept_slot *kept;
	size_t capkept, nkept; /* slots (a power of two), keys */
	size_t capl;
	struct nodeacc *acc;
	uint64_t missing_now;
	bool worst_open;
	/* the side being stopped by a step, and which step */
	uint32_t stopping;
	size_t step;
	/* the words for the session being stopped (one at a time) */
	const char *stop_cause, *stop_gcause;
	uint32_t stop_si;
	size_t stop_step;
	/* per side: the last cause worded, and from what */
	const char **side_cause, **side_gcause;
	const char **side_err;
	uint8_t *side_state;
	uint32_t *side_waits; /* per side: sim_session waits at the step */
	/* the sim's prefix ids -> prefix table index + 1 (0: not looked up) */
	uint32_t *pid_v;
	size_t npid;
	/* group causes, interned */
	const char **gcs;
	size_t ngcs, capgcs;
	/* the prefix table: prefix -> index + 1; by index, the prefix, the
	 * node that originates it (a block) and whether it is a service
	 * route (origin SIM_NONE); a prefix no speaker originates in the
	 * model gets an index when first seen (origin SIM_NONE) */
	uint32_t *oslot;
	size_t noslot;
	struct rr_prefix *opfx;
	uint32_t *oorg;
	bool *osvc;
	size_t norg, caporg;
};

static uint64_t
hpfx(uint32_t k, const struct rr_prefix *p)
{
	uint64_t h = 1469598103934665603ull ^ k;
	size_t i, n = p->addr.af == RR_AF_INET6 ? 16 : 4;

	for (i = 0; i < n; i++)
		h = (h ^ p->addr.b[i]) * 1099511628211ull;
	h = (h ^ p->len) * 1099511628211ull;
	/* FNV's low bits depend only on the inputs' low bits: mix the high
	 * ones down (the final step of MurmurHash3's fmix64) */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static bool
pfx_eq(const struct rr_prefix *a, const struct rr_prefix *b)
{
	return a->len == b->len && rr_addr_eq(&a->addr, &b->addr);
}

/* the prefix table's entry for p + 1, 0: none */
static uint32_t
org_find(const struct reh *h, const struct rr_prefix *p)
{
	size_t i;

	if (!h->noslot)
		return 0;
	i = (size_t)hpfx(0, p) & (h->noslot - 1);
	for (;; i = (i + 1) & (h->noslot - 1)) {
		uint32_t v = h->oslot[i];
		if (!v || pfx_eq(&h->opfx[v - 1], p))
			return v;
	}
}

static void
org_slot(struct reh *h, uint32_t v)
{
	size_t j = (size_t)hpfx(0, &h->opfx[v - 1]) & (h->noslot - 1);

	while (h->oslot[j])
		j = (j + 1) & (h->noslot - 1);
	h->oslot[j] = v;
}

/* p's index + 1 in the prefix table, added when new */
static uint32_t
org_add(struct reh *h, const struct rr_prefix *p, uint32_t origin, bool svc)
{
	uint32_t v = org_find(h, p);
	size_t i;

	if (v)
		return v;
	if ((h->norg + 1) * 2 > h->noslot) {
		h->noslot = h->noslot ? h->noslot * 2 : 64;
		free(h->oslot);
		h->oslot = rr_xcalloc(h->noslot, sizeof(*h->oslot));
		for (i = 0; i < h->norg; i++)
			org_slot(h, (uint32_t)i + 1);
	}
	if (h->norg == h->caporg) {
		h->caporg = h->caporg ? h->caporg * 2 : 64;
		h->opfx = rr_xrealloc(h->opfx, h->caporg * sizeof(*h->opfx));
		h->oorg = rr_xrealloc(h->oorg, h->caporg * sizeof(*h->oorg));
		h->osvc = rr_xrealloc(h->osvc, h->caporg * sizeof(*h->osvc));
	}
	h->opfx[h->norg] = *p;
	h->oorg[h->norg] = origin;
	h->osvc[h->norg] = svc;
	v = (uint32_t)++h->norg;
	org_slot(h, v);
	return v;
}

/* a service range or address the Calico nodes advertise (by prefix
 * index: h->opfx[pi]) */
static bool
is_service(const struct reh *h, uint32_t pi)
{
	return h->osvc[pi];
}

/*
 * Whether a missing route at speaker k counts as a loss: at a Calico node,
 * any route but a service's (kube-proxy answers a Service's addresses on
 * every node before routing: a node's BGP route to one carries nothing);
 * at a router, a service route (what the network outside the cluster
 * reaches the Services by).
 */
static bool
counts(const struct reh *h, uint32_t k, uint32_t pi)
{
	return (sim_speaker(h->s, k)->kind == RR_SPK_CALICO) !=
	       is_service(h, pi);
}

static void
origins_build(struct reh *h)
{
	const struct rr_model *m = &h->o->m;
	size_t k, i;

	for (k = 0; k < m->nspeakers; k++) {
		const struct rr_speaker *s = m->speakers[k];
		for (i = 0; i < s->noriginates; i++) {
			bool svc = s->originates[i].kind != RR_ORIG_BLOCK;
			org_add(h, &s->originates[i].p,
			        svc ? SIM_NONE : (uint32_t)k, svc);
		}
	}
}

/* speaker k's cell of prefix index pi (0-based); NULL: none yet */
static uint32_t *
cell_find(const struct reh *h, uint32_t k, uint32_t pi)
{
	return pi < h->ncell[k] ? &h->cell[k][pi] : NULL;
}

static uint32_t *
cell_get(struct reh *h, uint32_t k, uint32_t pi)
{
	if (pi >= h->ncell[k]) {
		uint32_t n = (uint32_t)(h->caporg > pi ? h->caporg : pi + 1);
		h->cell[k] = rr_xrealloc(h->cell[k], n * sizeof(uint32_t));
		memset(h->cell[k] + h->ncell[k], 0,
		       (n - h->ncell[k]) * sizeof(uint32_t));
		h->ncell[k] = n;
	}
	return &h->cell[k][pi];
}

/* the episode of speaker k that a route gone at t for cause joins */
static uint32_t
ep_join(struct reh *h, uint32_t k, uint64_t t, const char *cause,
        const char *gcause)
{
	uint32_t e = h->last_ep[k];
	struct episode *x;

	if (e && h->ep[e - 1].refs && h->ep[e - 1].since == t &&
	    h->ep[e - 1].cause == cause) {
		h->ep[e - 1].refs++;
		return e;
	}
	if (h->free_ep) {
		e = h->free_ep;
		h->free_ep = (uint32_t)h->ep[e - 1].since;
	} else {
		if (h->nep == h->capep) {
			h->capep = h->capep ? h->capep * 2 : 256;
			h->ep = rr_xrealloc(h->ep, h->capep * sizeof(*h->ep));
		}
		if (h->nep == CELL_EP)
			RR_BUG("rollout: too many loss episodes");
		e = ++h->nep;
	}
	x = &h->ep[e - 1];
	x->since = t;
	x->cause = cause;
	x->gcause = gcause;
	x->refs = 1;
	h->last_ep[k] = e;
	return e;
}

static void
ep_leave(struct reh *h, uint32_t e)
{
	if (--h->ep[e - 1].refs)
		return;
	h->ep[e - 1].since = h->free_ep; /* the free list's link */
	h->free_ep = e;
}

static size_t
kept_at(const struct reh *h, uint32_t k, uint32_t pi)
{
	uint64_t x = (uint64_t)k << 32 | pi;
	size_t i;

	x ^= x >> 33; /* MurmurHash3's fmix64 */
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	i = (size_t)x & (h->capkept - 1);

	while (h->kept[i].k && !(h->kept[i].k == k + 1 && h->kept[i].pi == pi))
		i = (i + 1) & (h->capkept - 1);
	return i;
}

static void
kept_grow(struct reh *h)
{
	struct kept_slot *old = h->kept;
	size_t n = h->capkept, i;

	h->capkept = n ? n * 2 : KEPT_FIRST;
	h->kept = rr_xcalloc(h->capkept, sizeof(*h->kept));
	for (i = 0; i < n; i++)
		if (old[i].k)
			h->kept[kept_at(h, old[i].k - 1, old[i].pi)] = old[i];
	free(old);
}

/* the interval of (k, pi) now kept one by one: idx (KEPT_NONE: not kept) */
static void
kept_set(struct reh *h, uint32_t k, uint32_t pi, uint32_t idx)
{
	size_t i;

	if (!h->acc[k].kept) {
		if (idx == KEPT_NONE)
			return;
		h->acc[k].kept = true;
	}
	if (!h->kept)
		kept_grow(h);
	i = kept_at(h, k, pi);
	if (!h->kept[i].k) {
		if (idx == KEPT_NONE)
			return;
		if ((h->nkept + 1) * 2 > h->capkept) {
			kept_grow(h);
			i = kept_at(h, k, pi);
		}
		h->kept[i].k = k + 1;
		h->kept[i].pi = pi;
		h->nkept++;
	}
	h->kept[i].idx = idx;
}

static uint32_t
kept_take(struct reh *h, uint32_t k, uint32_t pi)
{
	size_t i;
	uint32_t idx;

	if (!h->acc[k].kept)
		return KEPT_NONE;
	i = kept_at(h, k, pi);
	if (!h->kept[i].k)
		return KEPT_NONE;
	idx = h->kept[i].idx;
	h->kept[i].idx = KEPT_NONE;
	return idx;
}

static const char *
intern_gc(struct reh *h, const char *s)
{
	size_t i;

	for (i = 0; i < h->ngcs; i++)
		if (!strcmp(h->gcs[i], s))
			return h->gcs[i];
	if (h->ngcs == h->capgcs) {
		h->capgcs = h->capgcs ? h->capgcs * 2 : 16;
		h->gcs = rr_xrealloc(h->gcs, h->capgcs * sizeof(*h->gcs));
	}
	h->gcs[h->ngcs] = rr_arena_strdup(&h->r->arena, s);
	return h->gcs[h->ngcs++];
}

/* "Mesh_10_0_0_12 to node-b", "neighbor 10.0.0.11 to node-a" */
static const char *
side_label(struct reh *h, uint32_t si, char *buf, size_t len, bool generic)
{
	const struct sim_session *ss = sim_session(h->s, si);
	const char *peer = ss->peer_speaker != SIM_NONE
	                           ? h->r->speaker_names[ss->peer_speaker]
	                           : NULL;
	bool peer_node = ss->peer_speaker != SIM_NONE &&
	                 sim_speaker(h->s, ss->peer_speaker)->kind ==
	                         RR_SPK_CALICO;
	char a[RR_ADDR_STRLEN];

	if (generic && peer_node)
		snprintf(buf, len, "%s session to another node",
		         ss->nb && ss->nb->name &&
		                         !strncmp(ss->nb->name, "Mesh_", 5)
		                 ? "a node-to-node mesh"
		                 : "a");
	else if (ss->nb && ss->nb->name && !ss->dynamic)
		snprintf(buf, len, "%s (to %s)", ss->nb->name,
		         peer ? peer : rr_addr_str(&ss->peer, a));
	else
		snprintf(buf, len, "the session to %s",
		         peer ? peer : rr_addr_str(&ss->peer, a));
	return buf;
}

/* the episode of speaker k's missing route to prefix pi, NULL: not
 * missing */
static const struct episode *
missing(const struct reh *h, uint32_t k, uint32_t pi)
{
	const uint32_t *c = cell_find(h, k, pi);

	return c && (*c & CELL_EP) ? &h->ep[(*c & CELL_EP) - 1] : NULL;
}

static void
side_cause(struct reh *h, uint32_t si, uint32_t pi, const char **cause,
           const char **gcause)
{
	const struct sim_session *ss = sim_session(h->s, si);
	char l[160], g[160], buf[1024];
	const char *why;

	if (si == h->stopping) {
		/* every prefix of the session stopped: the same words */
		if (h->stop_cause && h->stop_si == si &&
		    h->stop_step == h->step) {
			*cause = h->stop_cause;
			*gcause = h->stop_gcause;
			return;
		}
		side_label(h, si, l, sizeof(l), false);
		side_label(h, si, g, sizeof(g), true);
		snprintf(buf, sizeof(buf), "%s stopped by step %zu", l,
		         h->step);
		*cause = rr_arena_strdup(&h->r->arena, buf);
		snprintf(buf, sizeof(buf), "%s stopped by a step", g);
		*gcause = intern_gc(h, buf);
		h->stop_cause = *cause;
		h->stop_gcause = *gcause;
		h->stop_si = si;
		h->stop_step = h->step;
		return;
	}
	if (ss->state == FSM_ST_ESTABLISHED) {
		/* the peer withdrew it: say why the peer lost it */
		const struct episode *ue =
		        ss->peer_speaker != SIM_NONE
		                ? missing(h, ss->peer_speaker, pi)
		                : NULL;
		const char *uc = ue ? ue->cause : NULL;
		if (h->side_cause[si] && h->side_state[si] == FSM_ST_ESTABLISHED &&
		    h->side_err[si] == uc) {
			*cause = h->side_cause[si];
			*gcause = h->side_gcause[si];
			return;
		}
		side_label(h, si, l, sizeof(l), false);
		side_label(h, si, g, sizeof(g), true);
		snprintf(buf, sizeof(buf), "withdrawn over %s%s%s%s%s", l,
		         uc ? " (" : "",
		         uc && ss->peer_speaker != SIM_NONE
		                 ? h->r->speaker_names[ss->peer_speaker]
		                 : "",
		         uc ? ": " : "", uc ? uc : "");
		if (uc)
			strcat(buf, ")");
		*cause = rr_arena_strdup(&h->r->arena, buf);
		snprintf(buf, sizeof(buf), "withdrawn over %s%s%s%s%s%s", g,
		         uc ? " (" : "",
		         uc && ss->peer_speaker != SIM_NONE
		                 ? h->r->speaker_names[ss->peer_speaker]
		                 : "",
		         uc ? ": " : "", uc ? ue->gcause : "", uc ? ")" : "");
		*gcause = intern_gc(h, buf);
		h->side_cause[si] = *cause;
		h->side_gcause[si] = *gcause;
		h->side_err[si] = uc;
		h->side_state[si] = FSM_ST_ESTABLISHED;
		return;
	}
	if (h->side_cause[si] && h->side_err[si] == ss->last_error &&
	    h->side_state[si] == (uint8_t)ss->state) {
		*cause = h->side_cause[si];
		*gcause = h->side_gcause[si];
		return;
	}
	side_label(h, si, l, sizeof(l), false);
	side_label(h, si, g, sizeof(g), true);
	why = ss->last_error ? ss->last_error : "down";
	snprintf(buf, sizeof(buf), "%s went down: %s", l, why);
	*cause = rr_arena_strdup(&h->r->arena, buf);
	snprintf(buf, sizeof(buf), "%s went down: %s", g, why);
	*gcause = intern_gc(h, buf);
	h->side_cause[si] = *cause;
	h->side_gcause[si] = *gcause;
	h->side_err[si] = ss->last_error;
	h->side_state[si] = (uint8_t)ss->state;
}

static void
acc_gc(struct nodeacc *a, const char *gc)
{
	size_t i;

	for (i = 0; i < a->ngc; i++)
		if (a->gc[i] == gc)
			return;
	if (a->ngc < 4)
		a->gc[a->ngc++] = gc;
	else
		a->more_gc = true;
}

/* p's index + 1 in the prefix table, added when new and add; pid: the
 * sim's id of p (a hash lookup per route change was 15% of a rollout that
 * loses 25M routes) */
static uint32_t
pfx_v(struct reh *h, const struct rr_prefix *p, uint32_t pid, bool add)
{
	if (pid >= h->npid) {
		size_t n = h->npid ? h->npid : 256;
		while (n <= pid)
			n *= 2;
		h->pid_v = rr_xrealloc(h->pid_v, n * sizeof(*h->pid_v));
		memset(h->pid_v + h->npid, 0,
		       (n - h->npid) * sizeof(*h->pid_v));
		h->npid = n;
	}
	if (!h->pid_v[pid])
		h->pid_v[pid] =
		        add ? org_add(h, p, SIM_NONE, false) : org_find(h, p);
	return h->pid_v[pid];
}

static void
on_best(void *ctx, uint64_t t, uint32_t k, const struct rr_prefix *p,
        uint32_t pid, uint32_t from, uint32_t to)
{
	struct reh *h = ctx;
	struct ro_result *r = h->r;
	struct nodeacc *a;
	const char *cause, *gcause;
	uint32_t *c, pi, e, kept;
	struct episode *x;

	/* the first state converging: h->acc is not there yet */
	if (!h->on || from == SIM_LOCAL || to == SIM_LOCAL)
		return;
	a = &h->acc[k];
	if (to != SIM_NONE) {
		/* a route back, or another path: only a route missing has an
		 * episode (a path switch at 5,000 nodes changes 25M routes) */
		uint32_t v = pfx_v(h, p, pid, false);
		c = v ? cell_find(h, k, v - 1) : NULL;
		if (!c || !(*c & CELL_EP))
			return;
		pi = v - 1;
		e = *c & CELL_EP;
		*c &= ~CELL_EP;
		x = &h->ep[e - 1];
		if (counts(h, k, pi)) {
			if (h->worst_open) {
				r->worst_end_ms = t;
				h->worst_open = false;
			}
			h->missing_now--;
			r->loss_ms += t - x->since;
			a->loss_ms += t - x->since;
			a->open--;
			if (t > a->last)
				a->last = t;
			kept = kept_take(h, k, pi);
			if (kept != KEPT_NONE) {
				char l[160];
				r->loss[kept].end_ms = t;
				r->loss[kept].restored_by = rr_arena_strdup(
				        &r->arena,
				        side_label(h, to, l, sizeof(l), false));
			}
		}
		ep_leave(h, e);
		return;
	}
	pi = pfx_v(h, p, pid, true) - 1;
	c = cell_get(h, k, pi);
	if (*c & CELL_EP)
		return;
	side_cause(h, from, pi, &cause, &gcause);
	c = cell_get(h, k, pi); /* side_cause adds no prefix: c holds */
	*c |= ep_join(h, k, t, cause, gcause);
	if (!counts(h, k, pi))
		return; /* a router: only for the causes */
	acc_gc(a, gcause);
	if (!(*c & CELL_COUNTED)) {
		*c |= CELL_COUNTED;
		r->routes_lost++;
		a->routes++;
	}
	if (!a->first)
		a->first = t;
	a->open++;
	r->intervals++;
	kept = KEPT_NONE;
	if (r->nloss < RO_MAX_LOSSES) {
		struct ro_loss *l;
		if (r->nloss == h->capl) {
			h->capl = h->capl ? h->capl * 2 : 256;
			r->loss = rr_xrealloc(r->loss, h->capl * sizeof(*r->loss));
		}
		l = &r->loss[r->nloss];
		memset(l, 0, sizeof(*l));
		l->node = k;
		l->origin = h->oorg[pi];
		l->service = is_service(h, pi);
		l->prefix = *p;
		l->start_ms = t;
		l->end_ms = SIM_NEVER;
		l->cause = cause;
		l->group_cause = gcause;
		kept = (uint32_t)r->nloss++;
	} else {
		r->loss_dropped++;
	}
	kept_set(h, k, pi, kept);
	if (++h->missing_now > r->worst_routes) {
		r->worst_routes = h->missing_now;
		r->worst_start_ms = t;
		h->worst_open = true;
	}
}

/* ------------------------------------------------------- the steps */

/* which union neighbor each side is, SIZE_MAX: none */
static size_t *
side_map(struct reh *h)
{
	size_t n = sim_nsessions(h->s), si;
	size_t *map = rr_xcalloc(n + 1, sizeof(*map));

	for (si = 0; si < n; si++) {
		const struct sim_session *ss = sim_session(h->s, si);
		const struct rr_speaker *u = h->o->u[ss->speaker].s;
		map[si] = SIZE_MAX;
		if (ss->nb >= u->neighbors &&
		    ss->nb < u->neighbors + u->nneighbors)
			map[si] = h->o->u[ss->speaker].off +
			          (size_t)(ss->nb - u->neighbors);
	}
	return map;
}

static void
note(struct ro_result *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->nnotes; i++)
		if (!strcmp(r->notes[i], text))
			return;
	r->notes = rr_xrealloc(r->notes, (r->nnotes + 1) * sizeof(*r->notes));
	r->notes[r->nnotes++] = text;
}

static uint32_t
cluster_of(const struct rr_speaker *s, uint32_t rid)
{
	if (s->cluster_id.set)
		return s->cluster_id.v;
	if (s->router_id.set && s->router_id.v.af == RR_AF_INET)
		return rr_addr_v4(&s->router_id.v);
	return rid;
}

/* every established iBGP session of speaker k starts again */
static void
reset_ibgp(struct reh *h, uint32_t k, struct ro_step *step)
{
	const struct sim_speaker *sp = sim_speaker(h->s, k);
	uint32_t i;

	for (i = 0; i < sp->nsessions; i++) {
		uint32_t si = sp->first_session + i;
		const struct sim_session *ss = sim_session(h->s, si);
		if (!ss->ibgp || !ss->enabled ||
		    ss->state != FSM_ST_ESTABLISHED)
			continue;
		h->stopping = si;
		sim_reconf(h->s, si, SIM_RC_RESTART, ss->nb,
		           ERR_CEASE_CONFIG_CHANGE);
		h->stopping = SIM_NONE;
		step->restarted++;
	}
}

/*
 * A session between two Calico nodes whose both ends start in one step,
 * neither passive (a BGPPeer peering; the mesh makes one end passive):
 * both dial after the connect delay.  BIRD 1.6 with graceful restart
 * (calico-node's template sets it) takes an incoming connection on an
 * Established, GR-ready protocol for the neighbor restarting
 * (bgp_incoming_connection in proto/bgp/bgp.c): the session that came up
 * first is closed for the other end's connection, and the two ends can
 * take each other down every connect delay until their timing drifts
 * apart.  The rehearsal has them meet at once; say so.  run[si]: the
 * session ran before the step and was not restarted by it.
 */
static void
both_dial(struct reh *h, const uint8_t *run, size_t n)
{
	size_t si;

	for (si = 0; si < n; si++) {
		const struct sim_session *a = sim_session(h->s, si), *b;
		if (run[si] || !a->enabled || a->partner == SIM_NONE ||
		    a->partner >= n || run[a->partner] || !a->nb ||
		    a->nb->passive)
			continue;
		b = sim_session(h->s, a->partner);
		if (!b->enabled || !b->nb || b->nb->passive ||
		    sim_speaker(h->s, a->speaker)->kind != RR_SPK_CALICO ||
		    sim_speaker(h->s, b->speaker)->kind != RR_SPK_CALICO)
			continue;
		note(h->r,
		     "a session between two Calico nodes starts at both ends "
		     "in one step and both dial (a BGPPeer peering: the mesh "
		     "makes one end passive): BIRD 1.6 with graceful restart, "
		     "which calico-node configures, closes the session that "
		     "came up first when the other end's connection arrives, "
		     "and such a session was seen to flap for 2 to 26 s "
		     "before it held; the rehearsal has it up at the first "
		     "try");
		return;
	}
}

static void
apply_step(struct reh *h, const size_t *map, size_t st, struct ro_step *step)
{
	struct onion *o = h->o;
	size_t n = sim_nsessions(h->s), si, u, cap = 0;
	uint8_t *done = rr_xcalloc(o->nnb + 1, 1);
	/* 1: the session ran before the step and the step did not start or
	 * restart it (both_dial) */
	uint8_t *run = rr_xcalloc(n + 1, 1);

	h->step = st;
	for (si = 0; si < n; si++)
		run[si] = sim_session(h->s, si)->enabled;
	for (si = 0; si < n; si++) {
		const struct sim_session *ss = sim_session(h->s, si);
		size_t j = map[si];
		const struct rr_neighbor *a, *b;
		enum ro_change_kind kind;
		enum sim_reconf how;
		uint8_t cease;
		bool bird;
		if (j == SIZE_MAX)
			continue;
		a = o->ver[st - 1][j];
		b = o->ver[st][j];
		bird = ss->speaker < o->nu &&
		       o->u[ss->speaker].s->kind == RR_SPK_CALICO;
		if (!ro_diff_neighbor(bird, a, b, &kind, &how, &cease))
			continue;
		h->stopping = (uint32_t)si;
		sim_reconf(h->s, (uint32_t)si, how, b, cease);
		h->stopping = SIM_NONE;
		if (how == SIM_RC_START || how == SIM_RC_RESTART)
			run[si] = 0; /* started anew */
		if (kind == RO_ADDED)
			step->added++;
		else if (kind == RO_REMOVED || kind == RO_SHUTDOWN)
			step->removed++;
		else if (kind != RO_CHANGED)
			step->restarted++;
		if (done[j])
			continue; /* a listen range: said once */
		done[j] = 1;
		if (step->nchanges == cap) {
			cap = cap ? cap * 2 : 16;
			step->changes = rr_xrealloc(step->changes,
			                            cap * sizeof(*step->changes));
		}
		{
			struct ro_change *c = &step->changes[step->nchanges++];
			const struct rr_neighbor *x = b ? b : a;
			memset(c, 0, sizeof(*c));
			c->kind = kind;
			c->speaker = h->r->speaker_names[ss->speaker];
			c->session = x->name ? rr_arena_strdup(&h->r->arena,
			                                       x->name)
			                     : NULL;
			c->old_session = kind == RO_REPLACED && a->name
			                         ? rr_arena_strdup(&h->r->arena,
			                                           a->name)
			                         : NULL;
			c->is_range = x->is_range;
			if (x->is_range)
				c->range = x->range;
			else
				c->peer = x->peer;
			c->port = x->port ? x->port : 179;
			c->cease = cease;
			if (kind == RO_CHANGED || (kind == RO_RESTARTED && !bird &&
			                           !same_password(a, b)))
				note(h->r, "changes applied in place (BIRD "
				           "filters, IOS policy, timers, "
				           "password) take effect on the next "
				           "session or the next UPDATE: rrkit "
				           "does not re-run the export of "
				           "routes already sent");
		}
	}
	both_dial(h, run, n);
	free(run);
	/* IOS bgp cluster-id */
	for (u = 0; u < o->nu; u++) {
		const struct rr_speaker *a = o->u[u].ver[st - 1],
		                        *b = o->u[u].ver[st];
		uint32_t rid = sim_speaker(h->s, (uint32_t)u)->router_id, x, y;
		if (!a || !b || b->kind != RR_SPK_IOS)
			continue;
		x = cluster_of(a, rid);
		y = cluster_of(b, rid);
		if (a->asn.v != b->asn.v)
			note(h->r, "a speaker's own AS changed: rrkit does not "
			           "replay that change (the sessions keep the "
			           "first AS)");
		if (x == y)
			continue;
		sim_reconf_cluster_id(h->s, (uint32_t)u, y);
		reset_ibgp(h, (uint32_t)u, step);
		note(h->r, "a changed bgp cluster-id resets every established "
		           "iBGP session of the router (Cease 6/6), as FRR "
		           "does (bgpd.c bgp_cluster_id_set, observed live); "
		           "IOS is assumed to do the same, not checked on a "
		           "real IOS: if IOS applies the new id without a "
		           "reset, the sessions and routes this step shows "
		           "going stay up");
		if (step->nchanges == cap) {
			cap = cap ? cap * 2 : 16;
			step->changes = rr_xrealloc(step->changes,
			                            cap * sizeof(*step->changes));
		}
		memset(&step->changes[step->nchanges], 0,
		       sizeof(step->changes[0]));
		step->changes[step->nchanges].kind = RO_CLUSTER_ID;
		step->changes[step->nchanges].speaker = h->r->speaker_names[u];
		step->changes[step->nchanges].old_id = x;
		step->changes[step->nchanges].new_id = y;
		step->nchanges++;
	}
	for (u = 0; u < o->nu; u++) {
		const struct rr_speaker *a = o->u[u].ver[st - 1],
		                        *b = o->u[u].ver[st];
		if (a && b && a->kind == RR_SPK_CALICO && a->asn.v != b->asn.v)
			note(h->r, "a speaker's own AS changed: rrkit does not "
			           "replay that change (the sessions keep the "
			           "first AS)");
		if (!a != !b && (a ? a : b)->noriginates)
			note(h->r, "a speaker that exists in only some states "
			           "runs from the start with the sessions each "
			           "state gives it; the routes it originates "
			           "are the same in every state");
	}
	free(done);
}

static void
finish_nodes(struct reh *h)
{
	struct ro_result *r = h->r;
	uint32_t k;
	char buf[1024];

	for (k = 0; k < r->nspeakers; k++) {
		struct nodeacc *a = &h->acc[k];
		struct ro_node_loss *nl;
		size_t i, off;
		if (!a->routes)
			continue;
		r->nodes = rr_xrealloc(r->nodes,
		                       (r->nnodes + 1) * sizeof(*r->nodes));
		nl = &r->nodes[r->nnodes++];
		nl->node = k;
		nl->router = sim_speaker(h->s, k)->kind != RR_SPK_CALICO;
		nl->routes = a->routes;
		nl->loss_ms = a->loss_ms;
		nl->first_ms = a->first;
		nl->last_ms = a->open ? r->end_ms : a->last;
		nl->open = a->open > 0;
		off = (size_t)snprintf(buf, sizeof(buf), "%llu route%s lost%s: ",
		                       (unsigned long long)a->routes,
		                       a->routes == 1 ? "" : "s",
		                       a->open ? ", not all back at the end" : "");
		for (i = 0; i < a->ngc && off < sizeof(buf); i++)
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
			                        "%s%s", i ? "; " : "", a->gc[i]);
		if (a->more_gc && off < sizeof(buf))
			snprintf(buf + off, sizeof(buf) - off, "; ...");
		nl->story = intern_gc(h, buf);
	}
}

/* The sessions that began a wait since the step st was applied and were
 * delayed by it: the peer still has them configured and did not bring
 * them up before the wait ended. */
static void
step_waits(struct reh *h, struct ro_step *st)
{
	size_t si, n = sim_nsessions(h->s), cap = 0;

	for (si = 0; si < n; si++) {
		const struct sim_session *ss = sim_session(h->s, si);
		struct ro_wait *wt;
		char l[160];
		/* a wait matters when the other side wants the session and
		 * did not bring it up before the wait ended */
		bool peer_up = ss->state == FSM_ST_ESTABLISHED &&
		               ss->established_at_ms >= ss->wait_at_ms &&
		               ss->established_at_ms <
		                       ss->wait_at_ms + ss->wait_s * 1000ull;
		if (ss->waits == h->side_waits[si] || peer_up ||
		    ss->partner == SIM_NONE ||
		    !sim_session(h->s, ss->partner)->enabled) {
			h->side_waits[si] = ss->waits;
			continue;
		}
		if (st->nwaits == RO_MAX_WAITS) {
			st->waits_dropped++;
		} else {
			if (st->nwaits == cap) {
				cap = cap ? cap * 2 : 16;
				st->waits = rr_xrealloc(
				        st->waits, cap * sizeof(*st->waits));
			}
			wt = &st->waits[st->nwaits++];
			wt->speaker = ss->speaker;
			wt->session = rr_arena_strdup(
			        &h->r->arena, side_label(h, (uint32_t)si, l,
			                                 sizeof(l), false));
			wt->at_ms = ss->wait_at_ms;
			wt->secs = ss->wait_s;
			wt->error_ms = ss->wait_error_ms;
			wt->why = ss->wait_why ? rr_arena_strdup(&h->r->arena,
			                                         ss->wait_why)
			                       : NULL;
			wt->forget_s = sim_speaker(h->s, ss->speaker)
			                       ->profile->error_amnesia;
			wt->bird = wt->forget_s != 0;
			wt->count = ss->waits - h->side_waits[si];
		}
		h->side_waits[si] = ss->waits;
	}
}

int
ro_rehearse(const struct rr_model *const *models, size_t n,
            const struct ro_opts *o, struct ro_result *r, struct rr_diags *d)
{
	struct onion on;
	struct reh h;
	struct sim_opts so;
	uint64_t interval = o->interval_ms ? o->interval_ms : 30000, t;
	size_t *map = NULL, si, st, i;
	int rc;

	memset(r, 0, sizeof(*r));
	rr_arena_init(&r->arena);
	memset(&h, 0, sizeof(h));
	if (n < 2)
		RR_BUG("rollout: fewer than two states");
	rc = onion_build(&on, models, n);
	if (rc < 0) {
		rr_diag_add(d, RR_SEV_FATAL, NULL, NULL,
		            "rollout: the node-to-node mesh is too large for "
		            "rrkit to simulate; the change cannot be rehearsed");
		onion_release(&on);
		return rc;
	}
	memset(&so, 0, sizeof(so));
	so.latency_ms = o->latency_ms;
	so.plain = o->plain;
	so.cap_ms = (o->settle_ms ? o->settle_ms : 1200000) + interval * n;
	so.best = on_best;
	so.best_ctx = &h;
	h.opts = o;
	h.r = r;
	h.o = &on;
	h.stopping = SIM_NONE;
	if (sim_new(&on.m, &so, &h.s, d) < 0) {
		onion_release(&on);
		return -1;
	}
	r->nspeakers = (uint32_t)sim_nspeakers(h.s);
	r->speaker_names = rr_arena_calloc(&r->arena, r->nspeakers + 1,
	                                   sizeof(char *));
	for (i = 0; i < r->nspeakers; i++)
		r->speaker_names[i] = rr_arena_strdup(
		        &r->arena, sim_speaker(h.s, i)->name
		                           ? sim_speaker(h.s, i)->name
		                           : "?");
	h.acc = rr_xcalloc(r->nspeakers + 1, sizeof(*h.acc));
	h.cell = rr_xcalloc(r->nspeakers + 1, sizeof(*h.cell));
	h.ncell = rr_xcalloc(r->nspeakers + 1, sizeof(*h.ncell));
	h.last_ep = rr_xcalloc(r->nspeakers + 1, sizeof(*h.last_ep));
	n = on.nstates;
	map = side_map(&h);
	h.side_cause = rr_xcalloc(sim_nsessions(h.s) + 1, sizeof(char *));
	h.side_gcause = rr_xcalloc(sim_nsessions(h.s) + 1, sizeof(char *));
	h.side_err = rr_xcalloc(sim_nsessions(h.s) + 1, sizeof(char *));
	h.side_state = rr_xcalloc(sim_nsessions(h.s) + 1, 1);
	h.side_waits = rr_xcalloc(sim_nsessions(h.s) + 1, sizeof(uint32_t));
	origins_build(&h);
	/* the first state's sessions only */
	for (si = 0; si < sim_nsessions(h.s); si++)
		if (map[si] != SIZE_MAX && !on.ver[0][map[si]])
			sim_reconf(h.s, (uint32_t)si, SIM_RC_STOP, NULL, 0);
	sim_start(h.s);
	r->converged_ms = sim_advance(h.s, SIM_NEVER);
	for (si = 0; si < sim_nsessions(h.s); si++)
		h.side_waits[si] = sim_session(h.s, si)->waits;
	r->steps = rr_xcalloc(n, sizeof(*r->steps));
	r->nsteps = n - 1;
	h.on = true;
	for (st = 1; st < n; st++) {
		t = r->converged_ms + (st - 1) * interval;
		sim_advance(h.s, t);
		if (st > 1) {
			r->steps[st - 2].established = sim_established(h.s);
			step_waits(&h, &r->steps[st - 2]);
		}
		r->steps[st - 1].at_ms = t;
		apply_step(&h, map, st, &r->steps[st - 1]);
	}
	r->end_ms = sim_advance(h.s, SIM_NEVER);
	r->capped = sim_stats(h.s)->capped;
	r->steps[n - 2].established = sim_established(h.s);
	step_waits(&h, &r->steps[n - 2]);
	/* intervals not closed run to the end */
	for (i = 0; i < r->nspeakers; i++) {
		uint32_t pi, c;
		for (pi = 0; pi < h.ncell[i]; pi++) {
			c = h.cell[i][pi] & CELL_EP;
			if (c && counts(&h, (uint32_t)i, pi)) {
				uint64_t ms = r->end_ms - h.ep[c - 1].since;
				r->loss_ms += ms;
				h.acc[i].loss_ms += ms;
			}
		}
	}
	if (h.worst_open)
		r->worst_end_ms = SIM_NEVER;
	finish_nodes(&h);
	free(map);
	free(h.acc);
	free(h.side_cause);
	free(h.side_gcause);
	free(h.side_err);
	free(h.side_state);
	free(h.side_waits);
	free(h.pid_v);
	for (i = 0; i < r->nspeakers; i++)
		free(h.cell[i]);
	free(h.cell);
	free(h.ncell);
	free(h.last_ep);
	free(h.ep);
	free(h.kept);
	free(h.gcs);
	free(h.oslot);
	free(h.opfx);
	free(h.oorg);
	free(h.osvc);
	sim_free(h.s);
	onion_release(&on);
	return 0;
}

void
ro_result_release(struct ro_result *r)
{
	size_t i;

	for (i = 0; r->steps && i < r->nsteps; i++) {
		free(r->steps[i].changes);
		free(r->steps[i].waits);
	}
	free(r->steps);
	free(r->loss);
	free(r->nodes);
	free(r->notes);
	rr_arena_release(&r->arena);
	memset(r, 0, sizeof(*r));
}
