/*
 * A Calico node's BIRD filters, as confd writes them into bird.cfg and
 * bird_ipam.cfg (emitters/bird*.c writes the same text; Calico's
 * confd/pkg/backends/calico/bgp_processor.go buildImportFilter /
 * buildExportFilter, template_funcs.go BGPFilterBIRDFuncs, and the
 * calico_export_to_bgp_peers() template), evaluated on the simulator's
 * routes:
 *
 *  import  the session's BGPFilter import functions in order (a matching
 *          rule's operations, then accept or reject ends the filter), then
 *          accept;
 *  export  the route-priority lines (a route without LOCAL_PREF gets
 *          2147483647 - priority), the BGPFilter export functions, then
 *          calico_export_to_bgp_peers(): export-disabled pools rejected,
 *          apply_communities() (prefixAdvertisements), calico_aggr() (the
 *          node's blocks, nothing beneath them unless its priority is
 *          elevated), the node's static routes, on a route reflector the
 *          LB and external service ranges, every pool; else reject.
 *
 * The rules and calico_export_to_bgp_peers() are read by model/bgpfilter.c
 * (one reading for the simulation and the analysis); here they run on the
 * simulator's routes and change their attributes.
 *
 * BIRD's `accept` inside a function ends the whole filter: a BGPFilter
 * rule that accepts skips calico_export_to_bgp_peers(), communities
 * included.  What the simulation cannot know is said once, as a note,
 * when the world is built: a rule on `interface` (the kernel's interface
 * names) never matches here.
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

#define BIRD_MAX 2147483647u
#define WORDS 512

enum bres { BR_CONTINUE = 0, BR_ACCEPT, BR_REJECT };

/* A route as the filter sees it, with room for what it changes. */
struct broute {
	const struct rr_prefix *net;
	bool bgp; /* source = RTS_BGP */
	struct rib_attrs a;
	uint32_t comms[WORDS], lcomms[WORDS], segs[WORDS];
	bool changed;
};

static uint32_t
prio_of(const struct world *w, uint8_t af)
{
	return w->bird_prio[af == RR_AF_INET6];
}

static void
route_init(struct broute *r, const struct world *w, uint32_t pid, bool bgp,
           uint32_t ia)
{
	const struct rib_attrs *a = rib_attrs(w, ia);
	r->net = rib_prefix(w, pid);
	r->bgp = bgp;
	r->a = *a;
	r->a.wire = NULL;
	r->changed = false;
	if (r->a.ncomm <= WORDS) {
		if (a->ncomm)
			memcpy(r->comms, a->comms, a->ncomm * sizeof(uint32_t));
		r->a.comms = r->comms;
	}
	if (r->a.nlcomm <= WORDS) {
		if (a->nlcomm)
			memcpy(r->lcomms, a->lcomms,
			       a->nlcomm * sizeof(uint32_t));
		r->a.lcomms = r->lcomms;
	}
	if (r->a.nsegs_words <= WORDS) {
		if (a->nsegs_words)
			memcpy(r->segs, a->segs,
			       a->nsegs_words * sizeof(uint32_t));
		r->a.segs = r->segs;
	}
}

/* ------------------------------------------------------- matching */

/* The facts model/bgpfilter.c reads, of a route as the filter sees it. */
static void
facts(const struct rib_attrs *a, const struct rr_prefix *net, bool bgp,
      struct rr_bird_route *f)
{
	memset(f, 0, sizeof(*f));
	f->net = *net;
	f->bgp = bgp;
	f->has_lp = a->has_lp;
	f->lp = a->local_pref;
	f->comms = a->comms;
	f->ncomms = a->ncomm;
	f->lcomms = a->lcomms;
	f->nlcomm_words = a->nlcomm;
	if (a->nsegs_words >= 2 && a->segs[0] == BGP_SEG_SEQUENCE) {
		f->aspath = a->segs + 2;
		f->naspath_seq = a->segs[1];
	}
}

/* ------------------------------------------------------- changes */

static void
add_comm(struct broute *rt, const char *v)
{
	struct rr_bird_route f;
	unsigned long x, y, z;
	char *e;
	x = strtoul(v, &e, 10);
	if (*e != ':')
		return;
	y = strtoul(e + 1, &e, 10);
	facts(&rt->a, rt->net, rt->bgp, &f);
	if (rr_bird_has_community(&f, v))
		return; /* int_set_add: once */
	if (*e == ':') {
		z = strtoul(e + 1, NULL, 10);
		if (rt->a.lcomms != rt->lcomms || rt->a.nlcomm + 3 > WORDS)
			return;
		rt->lcomms[rt->a.nlcomm++] = (uint32_t)x;
		rt->lcomms[rt->a.nlcomm++] = (uint32_t)y;
		rt->lcomms[rt->a.nlcomm++] = (uint32_t)z;
	} else {
		if (rt->a.comms != rt->comms || rt->a.ncomm + 1 > WORDS)
			return;
		rt->comms[rt->a.ncomm++] = (uint32_t)(x << 16 | (y & 0xffff));
	}
	rt->changed = true;
}

/* bgp_path.prepend(asn): into the first AS_SEQUENCE, or a new one */
static void
prepend(struct broute *rt, uint32_t asn)
{
	struct rib_attrs *a = &rt->a;
	if (a->segs != rt->segs || a->nsegs_words + 3 > WORDS)
		return;
	if (a->nsegs_words >= 2 && a->segs[0] == BGP_SEG_SEQUENCE &&
	    a->segs[1] < 255) {
		memmove(a->segs + 3, a->segs + 2,
		        (a->nsegs_words - 2) * sizeof(uint32_t));
		a->segs[1]++;
		a->segs[2] = asn;
		a->nsegs_words++;
	} else {
		memmove(a->segs + 3, a->segs, a->nsegs_words * sizeof(uint32_t));
		a->segs[0] = BGP_SEG_SEQUENCE;
		a->segs[1] = 1;
		a->segs[2] = asn;
		a->nsegs_words += 3;
	}
	rt->changed = true;
}

static void
rule_ops(const struct rr_bgpfilter_rule *r, struct broute *rt)
{
	size_t i, j;
	for (i = 0; i < r->nops; i++) {
		const struct rr_bgpfilter_op *op = &r->ops[i];
		if (op->kind == RR_BFOP_ADD_COMMUNITY) {
			add_comm(rt, op->community);
		} else if (op->kind == RR_BFOP_PREPEND_AS_PATH) {
			for (j = op->nasns; j-- > 0;)
				prepend(rt, op->asns[j]);
		} else if (op->kind == RR_BFOP_SET_PRIORITY) {
			rt->a.has_lp = true;
			rt->a.local_pref = BIRD_MAX - op->priority;
			rt->changed = true;
		}
	}
}

/* One BGPFilter function: the first rule that matches decides. */
static enum bres
run_filter(const struct rr_bgpfilter *f, size_t list, bool same_as,
           struct broute *rt)
{
	const struct rr_bgpfilter_rule *r;
	struct rr_bird_route fa;
	facts(&rt->a, rt->net, rt->bgp, &fa);
	switch (rr_bgpfilter_eval(f, list, same_as, &fa, &r, NULL)) {
	case RR_BIRD_ACCEPT:
		rule_ops(r, rt);
		return BR_ACCEPT;
	case RR_BIRD_REJECT:
		return BR_REJECT;
	default:
		return BR_CONTINUE;
	}
}

/* The session's BGPFilters in one direction, in order. */
static enum bres
run_filters(const struct wside *d, bool import, struct broute *rt)
{
	const struct rr_neighbor *nb = d->pub.nb;
	size_t list = (import ? 1u : 0u) + (d->pub.ipv6 ? 2u : 0u), i;
	enum bres r;
	for (i = 0; i < d->nbird_filters; i++)
		if ((r = run_filter(d->bird_filters[i], list,
		                    nb && nb->export_internal, rt)) != BR_CONTINUE)
			return r;
	return BR_CONTINUE;
}

/* ------------------------------------------- calico_export_to_bgp_peers */

static void
apply_communities(const struct rr_speaker *s, struct broute *rt)
{
	size_t i, j;
	for (i = 0; i < s->nadv_communities; i++) {
		const struct rr_community_rule *c = &s->adv_communities[i];
		if (c->cidr.addr.af != rt->net->addr.af ||
		    rt->net->len < c->cidr.len ||
		    !rr_prefix_contains(&c->cidr, &rt->net->addr))
			continue;
		for (j = 0; j < c->nvalues; j++)
			add_comm(rt, c->values[j]);
	}
}

/* The template's calico_export_to_bgp_peers(internal), its decision
 * (model/bgpfilter.c).  `a` as the export filter's first lines leave
 * it; NULL: that of set ia, read only when the node's blocks ask. */
static enum rib_why
calico_decide(const struct world *w, uint32_t k, uint32_t pid,
              const struct rr_prefix *net, bool bgp, const struct rib_attrs *a,
              uint32_t ia)
{
	static const enum rr_calico_pool pools[] = {
		[RIB_POOL_NONE] = RR_CALICO_POOL_NONE,
		[RIB_POOL_IN] = RR_CALICO_POOL_IN,
		[RIB_POOL_NO_EXPORT] = RR_CALICO_POOL_NO_EXPORT,
	};
	struct rr_bird_route f;
	facts(a ? a : rib_attrs(w, ia), net, bgp, &f);
	switch (rr_calico_export(w->m, w->spk[k].pub.spk, &f,
	                         pools[w->pfx[pid].pool],
	                         prio_of(w, net->addr.af))) {
	case RR_CALICO_EXPORT_OK:
		return RIB_OK;
	case RR_CALICO_EXPORT_DISABLED:
		return RIB_CALICO_DISABLED;
	default:
		return RIB_CALICO_POOL;
	}
}

/* ... and what it changes: apply_communities() */
static enum rib_why
calico_export(const struct world *w, uint32_t k, uint32_t pid,
              struct broute *rt)
{
	enum rib_why why =
	        calico_decide(w, k, pid, rt->net, rt->bgp, &rt->a, 0);
	if (why == RIB_OK)
		apply_communities(w->spk[k].pub.spk, rt);
	return why;
}

/* The whole export filter of side di for the route; `rt` ends with the
 * attributes the route leaves with (before BGP's own export changes). */
static enum rib_why
export_filter(const struct world *w, uint32_t di, uint32_t pid, uint32_t src,
              uint32_t ia, struct broute *rt)
{
	const struct wside *d = &w->side[di];
	uint32_t k = d->pub.speaker;

	route_init(rt, w, pid, src != RIB_SRC_LOCAL, ia);
	/* the route-priority lines: a LOCAL_PREF for every route */
	if (!rt->a.has_lp || !rt->bgp) {
		uint32_t lp = BIRD_MAX - prio_of(w, rt->net->addr.af);
		if (!rt->a.has_lp || rt->a.local_pref != lp) {
			rt->a.has_lp = true;
			rt->a.local_pref = lp;
			rt->changed = true;
		}
	}
	switch (run_filters(d, false, rt)) {
	case BR_ACCEPT:
		return RIB_OK;
	case BR_REJECT:
		return RIB_BGPFILTER;
	default:
		return calico_export(w, k, pid, rt);
	}
}

enum rib_why
bird_export_policy(const struct world *w, uint32_t di, uint32_t pid,
                   uint32_t src, uint32_t ia)
{
	struct broute rt;
	if (!w->side[di].nbird_filters) /* no copy of the route needed */
		return calico_decide(w, w->side[di].pub.speaker, pid,
		                     rib_prefix(w, pid), src != RIB_SRC_LOCAL,
		                     NULL, ia);
	return export_filter(w, di, pid, src, ia, &rt);
}

uint32_t
bird_export_attrs(struct world *w, uint32_t di, uint32_t pid, uint32_t src,
                  uint32_t ia)
{
	struct broute rt;
	const struct wside *d = &w->side[di];
	if (!d->nbird_filters &&
	    !w->spk[d->pub.speaker].pub.spk->nadv_communities &&
	    (src == RIB_SRC_LOCAL || rib_attrs(w, ia)->has_lp))
		return ia; /* nothing the filter would change */
	if (export_filter(w, di, pid, src, ia, &rt) != RIB_OK || !rt.changed)
		return ia;
	return rib_attrs_intern(w, &rt.a);
}

/* BIRD 1.6 bgp_decode_attrs: "If there's no local preference, define
 * one" -- 0, for every route from eBGP (whose LOCAL_PREF is ignored) and
 * any iBGP route without it.  The decision compares it, and the export
 * filter keeps a LOCAL_PREF that is defined. */
uint32_t
bird_import_lp(struct world *w, uint32_t ia, bool ebgp)
{
	const struct rib_attrs *a = rib_attrs(w, ia);
	struct rib_attrs k;
	if (a->has_lp && (!ebgp || !a->local_pref))
		return ia;
	k = *a;
	k.wire = NULL;
	k.has_lp = true;
	k.local_pref = 0;
	return rib_attrs_intern(w, &k);
}

uint32_t
bird_import(struct world *w, uint32_t si, uint32_t pid, uint32_t ia)
{
	struct broute rt;
	if (!ia || !w->side[si].nbird_filters)
		return ia;
	route_init(&rt, w, pid, true, ia);
	switch (run_filters(&w->side[si], true, &rt)) {
	case BR_REJECT:
		return 0;
	default:
		return rt.changed ? rib_attrs_intern(w, &rt.a) : ia;
	}
}

/* ------------------------------------------------------- build */

/* What the simulation cannot decide, said once per rule. */
static void
note_rules(const struct rr_bgpfilter *f, struct rr_diags *d, bool *seen)
{
	size_t k, i;
	for (k = 0; k < 4; k++)
		for (i = 0; i < f->nrules[k]; i++) {
			const struct rr_bgpfilter_rule *r = &f->rules[k][i];
			if (r->interface && *r->interface && !*seen) {
				rr_diag_add(d, RR_SEV_NOTE, NULL, &r->at,
				            "BGPFilter '%s' matches interface "
				            "'%s': rrkit sim knows no interface "
				            "names, so the rule never matches in "
				            "the simulation",
				            f->meta.name, r->interface);
				*seen = true;
			}
			if (r->prefix_length && r->match_operator &&
			    (!strcmp(r->match_operator, "Equal") ||
			     !strcmp(r->match_operator, "NotEqual")))
				rr_diag_add(d, RR_SEV_NOTE, NULL, &r->at,
				            "BGPFilter '%s': matchOperator %s with "
				            "prefixLength compares a prefix with a "
				            "prefix set, a BIRD runtime error that "
				            "rejects every route reaching the rule",
				            f->meta.name, r->match_operator);
		}
}

void
bird_policy_build(struct world *w, struct rr_diags *d)
{
	uint32_t si;
	size_t i, k;
	bool iface = false;
	const struct rr_model *m = w->m;
	const struct rr_bgpconfig *def = rr_calico_config(&m->calico, "default");

	w->bird_prio[0] = w->bird_prio[1] = 1024;
	if (def && def->ipv4_normal_route_priority.set)
		w->bird_prio[0] = def->ipv4_normal_route_priority.v;
	if (def && def->ipv6_normal_route_priority.set)
		w->bird_prio[1] = def->ipv6_normal_route_priority.v;

	for (si = 0; si < w->nside; si++) {
		struct wside *s = &w->side[si];
		const struct rr_neighbor *nb = s->pub.nb;
		if (!w->spk[s->pub.speaker].rib.calico || !nb || !nb->nfilters)
			continue;
		s->bird_filters = rr_arena_calloc(&w->rib_arena, nb->nfilters,
		                                  sizeof(*s->bird_filters));
		for (i = 0; i < nb->nfilters; i++)
			if ((s->bird_filters[s->nbird_filters] =
			             rr_calico_filter(&m->calico, nb->filters[i])))
				s->nbird_filters++;
	}
	for (k = 0; k < m->calico.nbgpfilters; k++)
		note_rules(&m->calico.bgpfilters[k], d, &iface);
}
