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
		memcpy(r->comms, a->comms, a->ncomm * sizeof(uint32_t));
		r->a.comms = r->comms;
	}
	if (r->a.nlcomm <= WORDS) {
		memcpy(r->lcomms, a->lcomms, a->nlcomm * sizeof(uint32_t));
		r->a.lcomms = r->lcomms;
	}
	if (r->a.nsegs_words <= WORDS) {
		memcpy(r->segs, a->segs, a->nsegs_words * sizeof(uint32_t));
		r->a.segs = r->segs;
	}
}

/* ------------------------------------------------------- matching */

/* net ~ p: net is p or inside it */
static bool
within(const struct rr_prefix *net, const struct rr_prefix *p)
{
	return net->addr.af == p->addr.af && net->len >= p->len &&
	       rr_prefix_contains(p, &net->addr);
}

/* filterMatchCIDR; -1 when BIRD would stop on a runtime error ('=' and
 * '!=' between a prefix and a prefix set). */
static int
cidr_match(const struct rr_bgpfilter_rule *r, const struct rr_prefix *net)
{
	const char *op = r->match_operator;
	bool in, eq = !strcmp(op, "Equal") || !strcmp(op, "NotEqual");
	if (!r->cidr_p.addr.af)
		return 0;
	if (r->prefix_length) {
		int32_t lo = r->cidr_p.len,
		        hi = r->cidr_p.addr.af == RR_AF_INET6 ? 128 : 32;
		if (eq)
			return -1;
		if (r->prefix_min > lo)
			lo = r->prefix_min;
		if (r->prefix_max >= 0 && r->prefix_max < hi)
			hi = r->prefix_max;
		in = net->addr.af == r->cidr_p.addr.af &&
		     rr_prefix_contains(&r->cidr_p, &net->addr) &&
		     net->len >= lo && net->len <= hi;
	} else if (eq) {
		in = !rr_prefix_cmp(net, &r->cidr_p);
	} else {
		in = within(net, &r->cidr_p);
	}
	return !strcmp(op, "Equal") || !strcmp(op, "In") ? in : !in;
}

static bool
has_comm(const struct rib_attrs *a, const char *v)
{
	unsigned long x = 0, y = 0, z = 0;
	char *e;
	uint32_t i;
	x = strtoul(v, &e, 10);
	if (*e != ':')
		return false;
	y = strtoul(e + 1, &e, 10);
	if (*e == ':') {
		z = strtoul(e + 1, NULL, 10);
		for (i = 0; i + 2 < a->nlcomm; i += 3)
			if (a->lcomms[i] == x && a->lcomms[i + 1] == y &&
			    a->lcomms[i + 2] == z)
				return true;
		return false;
	}
	for (i = 0; i < a->ncomm; i++)
		if (a->comms[i] == (uint32_t)(x << 16 | (y & 0xffff)))
			return true;
	return false;
}

/* bgp_path ~ [= a b * =]: the path begins with a b */
static bool
path_starts(const struct rib_attrs *a, const uint32_t *asn, size_t n)
{
	uint32_t i = 0, j;
	size_t k = 0;
	while (k < n && i + 1 < a->nsegs_words) {
		uint32_t type = a->segs[i], len = a->segs[i + 1];
		for (j = 0; j < len && k < n; j++)
			if (type != BGP_SEG_SEQUENCE ||
			    a->segs[i + 2 + j] != asn[k++])
				return false;
		i += 2 + len;
	}
	return k == n;
}

/* filterStatement's conditions, joined by && */
static int
rule_match(const struct rr_bgpfilter_rule *r, const struct broute *rt,
           bool same_as)
{
	if (r->peer_type && !strcmp(r->peer_type, "iBGP") && !same_as)
		return 0;
	if (r->peer_type && !strcmp(r->peer_type, "eBGP") && same_as)
		return 0;
	if (r->cidr && *r->cidr && r->match_operator) {
		int m = cidr_match(r, rt->net);
		if (m <= 0)
			return m;
	}
	if (r->source && *r->source && !rt->bgp)
		return 0;
	if (r->interface && *r->interface)
		return 0; /* no interface names here (noted at build) */
	if (r->community && !has_comm(&rt->a, r->community))
		return 0;
	if (r->nas_path_prefix &&
	    !path_starts(&rt->a, r->as_path_prefix, r->nas_path_prefix))
		return 0;
	if (r->priority.set &&
	    !(rt->a.has_lp && rt->a.local_pref == BIRD_MAX - r->priority.v))
		return 0;
	return 1;
}

/* ------------------------------------------------------- changes */

static void
add_comm(struct broute *rt, const char *v)
{
	unsigned long x, y, z;
	char *e;
	x = strtoul(v, &e, 10);
	if (*e != ':')
		return;
	y = strtoul(e + 1, &e, 10);
	if (has_comm(&rt->a, v))
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
	size_t i;
	for (i = 0; i < f->nrules[list]; i++) {
		const struct rr_bgpfilter_rule *r = &f->rules[list][i];
		int m = rule_match(r, rt, same_as);
		if (m < 0)
			return BR_REJECT; /* BIRD runtime error: rejected */
		if (!m)
			continue;
		if (!r->action || strcmp(r->action, "Accept"))
			return BR_REJECT;
		rule_ops(r, rt);
		return BR_ACCEPT;
	}
	return BR_CONTINUE;
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

static bool
in_ranges(const struct rr_cidr_ent *v, size_t n, const struct rr_prefix *p)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i].text && strchr(v[i].text, '/') && within(p, &v[i].p))
			return true;
	return false;
}

static void
apply_communities(const struct rr_speaker *s, struct broute *rt)
{
	size_t i, j;
	for (i = 0; i < s->nadv_communities; i++) {
		const struct rr_community_rule *c = &s->adv_communities[i];
		if (!within(rt->net, &c->cidr))
			continue;
		for (j = 0; j < c->nvalues; j++)
			add_comm(rt, c->values[j]);
	}
}

/* The template's calico_export_to_bgp_peers(internal), its decision.
 * `a` as the export filter's first lines leave it; NULL: that of set ia
 * (with the priority's LOCAL_PREF when it has none), read only when the
 * route lies beneath one of the node's blocks. */
static enum rib_why
calico_decide(const struct world *w, uint32_t k, uint32_t pid,
              const struct rr_prefix *net, bool bgp, const struct rib_attrs *a,
              uint32_t ia)
{
	const struct rr_speaker *s = w->spk[k].pub.spk;
	const struct rr_bgpconfig *d;
	uint32_t prio = prio_of(w, net->addr.af), lp;
	enum rib_pool pool = (enum rib_pool)w->pfx[pid].pool;
	size_t i;

	if (pool == RIB_POOL_NO_EXPORT)
		return RIB_CALICO_DISABLED;
	/* calico_aggr(): a block, nothing beneath it unless elevated
	 * (krt_metric = 2147483647 - LOCAL_PREF for a BGP route) */
	for (i = 0; i < s->noriginates; i++) {
		const struct rr_origin *o = &s->originates[i];
		if (o->kind != RR_ORIG_BLOCK || !within(net, &o->p))
			continue;
		if (!rr_prefix_cmp(net, &o->p))
			return RIB_OK;
		if (!bgp)
			return RIB_CALICO_POOL;
		if (!a)
			a = rib_attrs(w, ia);
		lp = a->has_lp ? a->local_pref : BIRD_MAX - prio;
		return BIRD_MAX - lp < prio ? RIB_OK : RIB_CALICO_POOL;
	}
	/* inside a pool: accepted whatever comes between */
	if (pool == RIB_POOL_IN)
		return RIB_OK;
	/* the node's static routes (service ranges and addresses) */
	for (i = 0; i < s->noriginates; i++)
		if (s->originates[i].kind != RR_ORIG_BLOCK &&
		    within(net, &s->originates[i].p))
			return RIB_OK;
	/* a route reflector: the LB and external service ranges */
	if (s->cluster_id.set && (d = rr_calico_config(&w->m->calico, "default")) &&
	    (in_ranges(d->service_lb_ips, d->nservice_lb_ips, net) ||
	     in_ranges(d->service_external_ips, d->nservice_external_ips,
	               net)))
		return RIB_OK;
	return RIB_CALICO_POOL;
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
