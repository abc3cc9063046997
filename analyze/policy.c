/*
 * IOS route policy on a router's sessions, as the analysis applies it to
 * a path: `neighbor X filter-list`, `prefix-list` and `route-map` in and
 * out, and `neighbor X weight` (Cisco IOS IP Routing: BGP Command
 * Reference).  The lists and route-maps are the model's, evaluated by
 * model/policy.c as IOS evaluates them (bgpsim/policy.c feeds the same
 * evaluators the same facts).
 *
 * Inbound, per prefix: filter-list, prefix-list, then route-map (a deny
 * drops the route); the neighbor's weight, then the permitting entry's set
 * clauses (local-preference, weight, metric, next hop, community,
 * comm-list delete, as-path prepend, origin).  Outbound: the same filters
 * decide whether a route leaves (on the route as the router holds it),
 * then the set clauses change it on the way out, except for routes
 * reflected to iBGP peers (IOS keeps a reflected route's attributes).  A
 * clause rrkit does not evaluate (an ACL, `continue`) lets the route
 * through, as in sim; a note says so.
 *
 * A Calico node's side runs its BGPPeer's BGPFilters as BIRD runs the
 * functions confd writes (model/bgpfilter.c, the reading bgpsim/
 * bird_policy.c uses): the first rule that matches decides; a Reject
 * denies, an Accept applies the rule's operations (addCommunity,
 * prependASPath, setPriority) and, on export, skips the rest of the
 * filter (calico_export_to_bgp_peers()).
 */
#include "analyze/az_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
name_of(const struct rr_opt_str *o)
{
	return o->set ? o->v : NULL;
}

#define BIRD_MAX 2147483647u

/* The facts model/bgpfilter.c reads, of a path as BIRD's filter sees it:
 * on export the route-priority lines have given every route without a
 * LOCAL_PREF, and the node's own, 2147483647 - priority. */
static void
bird_facts(const struct az *a, const struct az_side *s, bool in,
	   const struct rr_prefix *pfx, const struct az_path *p,
	   struct rr_bird_route *f)
{
	memset(f, 0, sizeof(*f));
	f->net = *pfx;
	f->bgp = p->side != AZ_NONE;
	f->has_lp = p->has_lp;
	f->lp = p->local_pref;
	if (!in && (!p->has_lp || !f->bgp)) {
		f->has_lp = true;
		f->lp = rr_calico_normal_lp(a->m, pfx->addr.af);
	}
	f->comms = p->comms;
	f->ncomms = p->ncomm;
	f->lcomms = p->lcomms;
	f->nlcomm_words = p->nlcomm;
	f->aspath = p->aspath;
	f->naspath_seq = p->naspath;
	(void)s;
}

enum rr_bird_verdict
az_bird_filters(const struct az *a, const struct az_side *s, bool in,
		const struct rr_prefix *pfx, const struct az_path *p,
		const struct rr_bgpfilter_rule **rule)
{
	const struct rr_bgpfilter *f;
	struct rr_bird_route facts;

	bird_facts(a, s, in, pfx, p, &facts);
	return rr_bgpfilters_eval(&a->m->calico, s->nb, in, &facts, &f, rule);
}

const struct rr_bgpfilter *
az_bgpfilter_at(const struct az *a, const struct rr_loc *at)
{
	const struct rr_calico *c = &a->m->calico;
	size_t i, k, j;

	for (i = 0; i < c->nbgpfilters; i++)
		for (k = 0; k < 4; k++)
			for (j = 0; j < c->bgpfilters[i].nrules[k]; j++) {
				const struct rr_loc *r =
					&c->bgpfilters[i].rules[k][j].at;
				if (r->file == at->file && r->line == at->line &&
				    r->col == at->col)
					return &c->bgpfilters[i];
			}
	return NULL;
}

bool
az_policy_side(const struct az *a, const struct az_side *s, bool in)
{
	const struct rr_neighbor *n = s->nb;

	if (a->spk[s->spk].bird)
		return rr_bgpfilters_active(&a->m->calico, n, in);
	if (in)
		return rr_nb_rare(n)->filter_list_in.set ||
		       rr_nb_rare(n)->prefix_list_in.set ||
		       rr_nb_rare(n)->route_map_in.set ||
		       rr_nb_rare(n)->weight.set;
	return rr_nb_rare(n)->filter_list_out.set ||
	       rr_nb_rare(n)->prefix_list_out.set ||
	       rr_nb_rare(n)->route_map_out.set;
}

/* The AS_PATH as IOS prints it for regular expressions ("1 2 3"). */
static const char *
aspath_text(const struct az_path *p, char *buf, size_t cap)
{
	size_t o = 0;
	uint16_t i;

	buf[0] = '\0';
	for (i = 0; i < p->naspath && o + 12 < cap; i++) {
		int k = snprintf(buf + o, cap - o, "%s%u", i ? " " : "",
				 (unsigned)p->aspath[i]);
		o += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

enum rr_policy_verdict
az_policy_decide(const struct az *a, const struct az_side *s, bool in,
		 const struct rr_prefix *pfx, const struct az_path *p,
		 struct rr_rm_actions *act, const struct rr_loc **at)
{
	const struct rr_speaker *spk = a->spk[s->spk].s;
	const struct rr_neighbor *n = s->nb;
	const struct rr_opt_str *fl = in ? &rr_nb_rare(n)->filter_list_in
	                                 : &rr_nb_rare(n)->filter_list_out;
	const struct rr_opt_str *pl = in ? &rr_nb_rare(n)->prefix_list_in
	                                 : &rr_nb_rare(n)->prefix_list_out;
	const struct rr_opt_str *rm = in ? &rr_nb_rare(n)->route_map_in
	                                 : &rr_nb_rare(n)->route_map_out;
	struct rr_route_facts r;
	char path[1024];

	if (a->spk[s->spk].bird) {
		const struct rr_bgpfilter_rule *rule;
		memset(act, 0, sizeof(*act));
		*at = NULL;
		if (az_bird_filters(a, s, in, pfx, p, &rule) !=
		    RR_BIRD_REJECT)
			return RR_POLICY_PERMIT;
		*at = &rule->at;
		return RR_POLICY_DENY;
	}
	memset(act, 0, sizeof(*act));
	memset(&r, 0, sizeof(r));
	r.prefix = *pfx;
	r.aspath = aspath_text(p, path, sizeof(path));
	r.comms = p->comms;
	r.ncomms = p->ncomm;
	*at = NULL;
	if (name_of(fl) &&
	    rr_aspath_list_eval(rr_aspath_list_find(spk, fl->v), r.aspath) ==
		    RR_POLICY_DENY) {
		*at = &fl->at;
		return RR_POLICY_DENY;
	}
	if (name_of(pl) &&
	    rr_prefix_list_eval(rr_prefix_list_find(spk, pl->v, pfx->addr.af),
				pfx) == RR_POLICY_DENY) {
		*at = &pl->at;
		return RR_POLICY_DENY;
	}
	if (name_of(rm) &&
	    rr_route_map_eval(spk, rr_route_map_find(spk, rm->v), &r, act) ==
		    RR_POLICY_DENY) {
		*at = &rm->at;
		return RR_POLICY_DENY;
	}
	return RR_POLICY_PERMIT;
}

/* The communities after `set community` and `set comm-list delete`. */
static void
set_comms(struct rr_arena *ar, const struct rr_speaker *spk,
	  const struct rr_rm_actions *act, struct az_path *p)
{
	const struct rr_rm_set *st = act->v[RR_RM_SET_COMMUNITY];
	const struct rr_rm_set *del = act->v[RR_RM_SET_COMM_DELETE];
	uint32_t *c = rr_arena_calloc(ar, 257, sizeof(uint32_t));
	uint32_t n = 0, i, j;

	if (st && !st->additive)
		p->ncomm = 0;
	for (i = 0; i < p->ncomm && n < 256; i++)
		c[n++] = p->comms[i];
	for (i = 0; st && i < st->nlist && n < 256; i++) {
		for (j = 0; j < n && c[j] != st->list[i]; j++)
			;
		if (j == n)
			c[n++] = st->list[i];
	}
	if (del) {
		const struct rr_community_list *l =
			rr_community_list_find(spk, del->name);
		uint32_t o = 0;
		for (i = 0; i < n; i++)
			if (!l || rr_community_list_eval(
					  l, &c[i], 1,
					  spk->community_new_format) !=
					  RR_POLICY_PERMIT)
				c[o++] = c[i];
		n = o;
	}
	p->comms = c;
	p->ncomm = (uint16_t)n;
}

/* set as-path prepend A...: inbound in front of the path; outbound after
 * the router's own AS, which it puts first. */
static void
prepend(struct rr_arena *ar, const struct rr_rm_set *st, struct az_path *p,
	bool after_own)
{
	uint32_t add = (uint32_t)st->nlist, i, first, n = 0;
	uint32_t *v;

	if (st->last_as || !add || p->naspath + add > 255 + 32)
		return;
	v = rr_arena_calloc(ar, p->naspath + add + 1, sizeof(uint32_t));
	first = after_own && p->naspath ? 1 : 0;
	if (first)
		v[n++] = p->aspath[0];
	for (i = 0; i < add; i++)
		v[n++] = st->list[i];
	for (i = first; i < p->naspath; i++)
		v[n++] = p->aspath[i];
	p->aspath = v;
	p->naspath = (uint16_t)n;
}

static void
set_metric(const struct rr_rm_set *st, struct az_path *p)
{
	uint32_t m = p->has_med ? p->med : 0;

	if (st->delta > 0)
		m = m > UINT32_MAX - st->v ? UINT32_MAX : m + st->v;
	else if (st->delta < 0)
		m = m < st->v ? 0 : m - st->v;
	else
		m = st->v;
	p->has_med = true;
	p->med = m;
}

/* The permitting entry's set clauses on path p received (in) or sent on
 * side s. */
void
az_policy_apply(const struct az *a, struct rr_arena *ar,
		const struct az_side *s, bool in,
		const struct rr_rm_actions *act, struct az_path *p)
{
	const struct rr_speaker *spk = a->spk[s->spk].s;
	const struct rr_rm_set *const *v = act->v;

	if (v[RR_RM_SET_LOCAL_PREF] && (in || s->ibgp)) {
		p->has_lp = true;
		p->local_pref = v[RR_RM_SET_LOCAL_PREF]->v;
	}
	if (v[RR_RM_SET_WEIGHT] && in)
		p->weight = v[RR_RM_SET_WEIGHT]->v;
	if (v[RR_RM_SET_METRIC])
		set_metric(v[RR_RM_SET_METRIC], p);
	if (v[RR_RM_SET_NEXT_HOP])
		p->nh = v[RR_RM_SET_NEXT_HOP]->nh;
	if (v[RR_RM_SET_NEXT_HOP_PEER])
		p->nh = in ? s->peer : s->local;
	if (v[RR_RM_SET_NEXT_HOP_SELF] && !in)
		p->nh = s->local;
	if (v[RR_RM_SET_COMMUNITY] || v[RR_RM_SET_COMM_DELETE])
		set_comms(ar, spk, act, p);
	if (v[RR_RM_SET_PREPEND])
		prepend(ar, v[RR_RM_SET_PREPEND], p, !in && !s->ibgp);
	if (v[RR_RM_SET_ORIGIN])
		p->origin = (uint8_t)v[RR_RM_SET_ORIGIN]->v;
}

/* bgp_path.prepend(): in front of the path */
static void
bird_prepend(struct rr_arena *ar, const uint32_t *asns, size_t n,
	     struct az_path *p)
{
	uint32_t *v;

	if (!n || p->naspath + n > 255 + 32)
		return;
	v = rr_arena_calloc(ar, p->naspath + n + 1, sizeof(uint32_t));
	memcpy(v, asns, n * sizeof(uint32_t));
	if (p->naspath)
		memcpy(v + n, p->aspath, p->naspath * sizeof(uint32_t));
	p->aspath = v;
	p->naspath = (uint16_t)(p->naspath + n);
}

/* bgp_community.add() / bgp_large_community.add(): once (BIRD's
 * int_set_add, lc_set_add) */
static void
bird_add_comm(const struct az *a, const struct az_side *s,
	      struct rr_arena *ar, const char *val, struct az_path *p)
{
	struct rr_bird_route f;
	unsigned long x, y, z;
	uint32_t *v;
	char *e;

	x = strtoul(val, &e, 10);
	if (*e != ':')
		return;
	y = strtoul(e + 1, &e, 10);
	bird_facts(a, s, false, &(struct rr_prefix){ 0 }, p, &f);
	if (rr_bird_has_community(&f, val))
		return;
	if (*e == ':') {
		z = strtoul(e + 1, NULL, 10);
		if (p->nlcomm + 3u > 3u * 256u)
			return;
		v = rr_arena_calloc(ar, p->nlcomm + 3u, sizeof(uint32_t));
		if (p->nlcomm)
			memcpy(v, p->lcomms, p->nlcomm * sizeof(uint32_t));
		v[p->nlcomm] = (uint32_t)x;
		v[p->nlcomm + 1] = (uint32_t)y;
		v[p->nlcomm + 2] = (uint32_t)z;
		p->lcomms = v;
		p->nlcomm = (uint16_t)(p->nlcomm + 3u);
		return;
	}
	if (p->ncomm >= 256)
		return;
	v = rr_arena_calloc(ar, p->ncomm + 1u, sizeof(uint32_t));
	if (p->ncomm)
		memcpy(v, p->comms, p->ncomm * sizeof(uint32_t));
	v[p->ncomm] = (uint32_t)(x << 16 | (y & 0xffff));
	p->comms = v;
	p->ncomm++;
}

/* calico_export_to_bgp_peers()'s apply_communities(): the
 * prefixAdvertisements communities of every rule whose cidr holds the
 * route (bird_aggr.cfg; bgpsim/bird_policy.c apply_communities) */
static void
bird_apply_communities(const struct az *a, struct rr_arena *ar,
		       const struct az_side *s, const struct rr_prefix *pfx,
		       struct az_path *p)
{
	const struct rr_speaker *spk = a->spk[s->spk].s;
	size_t i, j;

	for (i = 0; i < spk->nadv_communities; i++) {
		const struct rr_community_rule *c = &spk->adv_communities[i];
		if (c->cidr.addr.af != pfx->addr.af || pfx->len < c->cidr.len ||
		    !rr_prefix_contains(&c->cidr, &pfx->addr))
			continue;
		for (j = 0; j < c->nvalues; j++)
			bird_add_comm(a, s, ar, c->values[j], p);
	}
}

void
az_bird_apply(const struct az *a, struct rr_arena *ar,
	      const struct az_side *s, bool in, const struct rr_prefix *pfx,
	      struct az_path *p)
{
	const struct rr_bgpfilter_rule *rule;
	size_t i;

	if (!(in ? s->pol_in : s->pol_out) ||
	    az_bird_filters(a, s, in, pfx, p, &rule) != RR_BIRD_ACCEPT) {
		if (!in)
			bird_apply_communities(a, ar, s, pfx, p);
		return;
	}
	for (i = 0; i < rule->nops; i++) {
		const struct rr_bgpfilter_op *op = &rule->ops[i];
		if (op->kind == RR_BFOP_ADD_COMMUNITY) {
			bird_add_comm(a, s, ar, op->community, p);
		} else if (op->kind == RR_BFOP_PREPEND_AS_PATH) {
			bird_prepend(ar, op->asns, op->nasns, p);
		} else if (op->kind == RR_BFOP_SET_PRIORITY) {
			p->has_lp = true;
			p->local_pref = BIRD_MAX - op->priority;
		}
	}
}
