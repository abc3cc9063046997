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
 */
#include "analyze/az_priv.h"

#include <stdio.h>
#include <string.h>

static const char *
name_of(const struct rr_opt_str *o)
{
	return o->set ? o->v : NULL;
}

bool
az_policy_side(const struct az *a, const struct az_side *s, bool in)
{
	const struct rr_neighbor *n = s->nb;

	if (a->spk[s->spk].bird)
		return false;
	if (in)
		return n->filter_list_in.set || n->prefix_list_in.set ||
		       n->route_map_in.set || n->weight.set;
	return n->filter_list_out.set || n->prefix_list_out.set ||
	       n->route_map_out.set;
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
	const struct rr_opt_str *fl = in ? &n->filter_list_in
					 : &n->filter_list_out;
	const struct rr_opt_str *pl = in ? &n->prefix_list_in
					 : &n->prefix_list_out;
	const struct rr_opt_str *rm = in ? &n->route_map_in : &n->route_map_out;
	struct rr_route_facts r;
	char path[1024];

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
