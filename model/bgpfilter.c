/*
 * Calico BGPFilter rules and calico_export_to_bgp_peers(), as a Calico
 * node's BIRD evaluates the functions confd writes for them
 * (confd/pkg/resource/template/template_funcs.go filterStatement; the
 * calico_export_to_bgp_peers() template of bird_ipam.cfg): on the facts of
 * one route.  bgpsim/bird_policy.c runs them on simulated routes; the
 * analysis can run them on its paths: one reading of a filter.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#define BIRD_MAX 2147483647u

/* net ~ p: net is p or inside it */
static bool
within(const struct rr_prefix *net, const struct rr_prefix *p)
{
	return net->addr.af == p->addr.af && net->len >= p->len &&
	       rr_prefix_contains(p, &net->addr);
}

/* filterMatchCIDR; -1 when BIRD stops on a runtime error ('=' and '!='
 * between a prefix and a prefix set reject the route). */
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

bool
rr_bird_has_community(const struct rr_bird_route *r, const char *v)
{
	unsigned long x, y, z;
	char *e;
	size_t i;
	x = strtoul(v, &e, 10);
	if (*e != ':')
		return false;
	y = strtoul(e + 1, &e, 10);
	if (*e == ':') {
		z = strtoul(e + 1, NULL, 10);
		for (i = 0; i + 2 < r->nlcomm_words; i += 3)
			if (r->lcomms[i] == x && r->lcomms[i + 1] == y &&
			    r->lcomms[i + 2] == z)
				return true;
		return false;
	}
	for (i = 0; i < r->ncomms; i++)
		if (r->comms[i] == (uint32_t)(x << 16 | (y & 0xffff)))
			return true;
	return false;
}

/* bgp_path ~ [= a b * =]: the path begins with a b */
static bool
path_starts(const struct rr_bird_route *r, const uint32_t *asn, size_t n)
{
	size_t i;
	if (n > r->naspath_seq)
		return false;
	for (i = 0; i < n; i++)
		if (r->aspath[i] != asn[i])
			return false;
	return true;
}

/* filterStatement's conditions, joined by &&: 1 match, 0 not, -1 BIRD
 * runtime error. */
static int
rule_match(const struct rr_bgpfilter_rule *r, const struct rr_bird_route *rt,
           bool same_as, bool *unknown)
{
	if (r->peer_type && !strcmp(r->peer_type, "iBGP") && !same_as)
		return 0;
	if (r->peer_type && !strcmp(r->peer_type, "eBGP") && same_as)
		return 0;
	if (r->cidr && *r->cidr && r->match_operator) {
		int m = cidr_match(r, &rt->net);
		if (m <= 0)
			return m;
	}
	if (r->source && *r->source && !rt->bgp)
		return 0;
	if (r->interface && *r->interface) {
		/* ifname: the kernel's interface names, not in the model */
		if (unknown)
			*unknown = true;
		return 0;
	}
	if (r->community && !rr_bird_has_community(rt, r->community))
		return 0;
	if (r->nas_path_prefix &&
	    !path_starts(rt, r->as_path_prefix, r->nas_path_prefix))
		return 0;
	if (r->priority.set &&
	    !(rt->has_lp && rt->lp == BIRD_MAX - r->priority.v))
		return 0;
	return 1;
}

enum rr_bird_verdict
rr_bgpfilter_eval(const struct rr_bgpfilter *f, size_t list, bool same_as,
                  const struct rr_bird_route *r,
                  const struct rr_bgpfilter_rule **rule, bool *unknown)
{
	size_t i;
	*rule = NULL;
	for (i = 0; i < f->nrules[list]; i++) {
		const struct rr_bgpfilter_rule *x = &f->rules[list][i];
		int m = rule_match(x, r, same_as, unknown);
		if (!m)
			continue;
		*rule = x;
		if (m < 0 || !x->action || strcmp(x->action, "Accept"))
			return RR_BIRD_REJECT;
		return RR_BIRD_ACCEPT;
	}
	return RR_BIRD_CONTINUE;
}

static bool
in_ranges(const struct rr_cidr_ent *v, size_t n, const struct rr_prefix *p)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i].text && strchr(v[i].text, '/') && within(p, &v[i].p))
			return true;
	return false;
}

enum rr_calico_export
rr_calico_export(const struct rr_model *m, const struct rr_speaker *s,
                 const struct rr_bird_route *r, enum rr_calico_pool pool,
                 uint32_t prio)
{
	const struct rr_bgpconfig *d;
	size_t i;

	if (pool == RR_CALICO_POOL_NO_EXPORT)
		return RR_CALICO_EXPORT_DISABLED;
	/* calico_aggr(): a block, nothing beneath it unless elevated
	 * (krt_metric = 2147483647 - LOCAL_PREF for a BGP route) */
	for (i = 0; i < s->noriginates; i++) {
		const struct rr_origin *o = &s->originates[i];
		uint32_t lp;
		if (o->kind != RR_ORIG_BLOCK || !within(&r->net, &o->p))
			continue;
		if (!rr_prefix_cmp(&r->net, &o->p))
			return RR_CALICO_EXPORT_OK;
		if (!r->bgp)
			return RR_CALICO_EXPORT_BENEATH_BLOCK;
		lp = r->has_lp ? r->lp : BIRD_MAX - prio;
		return BIRD_MAX - lp < prio ? RR_CALICO_EXPORT_OK
		                            : RR_CALICO_EXPORT_BENEATH_BLOCK;
	}
	if (pool == RR_CALICO_POOL_IN)
		return RR_CALICO_EXPORT_OK;
	/* the node's static routes (service ranges and addresses) */
	for (i = 0; i < s->noriginates; i++)
		if (s->originates[i].kind != RR_ORIG_BLOCK &&
		    within(&r->net, &s->originates[i].p))
			return RR_CALICO_EXPORT_OK;
	/* a route reflector: the LB and external service ranges */
	if (s->cluster_id.set &&
	    (d = rr_calico_config(&m->calico, "default")) &&
	    (in_ranges(d->service_lb_ips, d->nservice_lb_ips, &r->net) ||
	     in_ranges(d->service_external_ips, d->nservice_external_ips,
	               &r->net)))
		return RR_CALICO_EXPORT_OK;
	return RR_CALICO_EXPORT_OUTSIDE;
}

enum rr_calico_pool
rr_calico_pool_of(const struct rr_calico *c, const struct rr_prefix *p)
{
	enum rr_calico_pool r = RR_CALICO_POOL_NONE;
	size_t i;

	for (i = 0; i < c->nippools; i++) {
		const struct rr_ippool *pl = &c->ippools[i];
		if (!pl->cidr.addr.af || !within(p, &pl->cidr))
			continue;
		if (pl->disable_bgp_export.set && pl->disable_bgp_export.v)
			return RR_CALICO_POOL_NO_EXPORT;
		r = RR_CALICO_POOL_IN;
	}
	return r;
}

/* The list a session's filter function reads: exportV4, importV4,
 * exportV6, importV6. */
static size_t
list_of(bool import, const struct rr_prefix *net)
{
	return (import ? 1u : 0u) + (net->addr.af == RR_AF_INET6 ? 2u : 0u);
}

enum rr_bird_verdict
rr_bgpfilters_eval(const struct rr_calico *c, const struct rr_neighbor *nb,
                   bool import, const struct rr_bird_route *r,
                   const struct rr_bgpfilter **filter,
                   const struct rr_bgpfilter_rule **rule)
{
	size_t i, list = list_of(import, &r->net);
	*filter = NULL;
	*rule = NULL;
	for (i = 0; i < nb->nfilters; i++) {
		const struct rr_bgpfilter *f = rr_calico_filter(c, nb->filters[i]);
		enum rr_bird_verdict v;
		if (!f)
			continue; /* calico-node skips a missing filter */
		v = rr_bgpfilter_eval(f, list, nb->export_internal, r, rule,
		                      NULL);
		if (v != RR_BIRD_CONTINUE) {
			*filter = f;
			return v;
		}
	}
	return RR_BIRD_CONTINUE;
}

bool
rr_bgpfilters_active(const struct rr_calico *c, const struct rr_neighbor *nb,
                     bool import)
{
	size_t i;
	for (i = 0; i < nb->nfilters; i++) {
		const struct rr_bgpfilter *f = rr_calico_filter(c, nb->filters[i]);
		if (f && f->nrules[import ? 1 : 0] + f->nrules[import ? 3 : 2])
			return true;
	}
	return false;
}

bool
rr_bgpfilters_interface(const struct rr_calico *c,
                        const struct rr_neighbor *nb)
{
	size_t i, k, j;
	for (i = 0; i < nb->nfilters; i++) {
		const struct rr_bgpfilter *f = rr_calico_filter(c, nb->filters[i]);
		for (k = 0; f && k < 4; k++)
			for (j = 0; j < f->nrules[k]; j++)
				if (f->rules[k][j].interface &&
				    *f->rules[k][j].interface)
					return true;
	}
	return false;
}

uint32_t
rr_calico_normal_lp(const struct rr_model *m, uint8_t af)
{
	const struct rr_bgpconfig *d = rr_calico_config(&m->calico, "default");
	const struct rr_opt_u32 *p =
	        !d ? NULL
	        : af == RR_AF_INET6 ? &d->ipv6_normal_route_priority
	                            : &d->ipv4_normal_route_priority;
	return BIRD_MAX - (p && p->set && p->v < BIRD_MAX ? p->v : 1024u);
}
