/*
 * IPPools (Calico's IPPool API, libcalico-go validator): encapsulation where the design
 * is native BGP routing, and overlaps with each other, with the node
 * network and with router subnets (calico#1401: Calico's default
 * 192.168.0.0/16 overlaps many host networks).
 */
#include "validate/val_priv.h"

#include <stdlib.h>
#include <string.h>

static bool
encaps(const struct rr_opt_str *o)
{
	return o->set && o->v &&
	       (!strcmp(o->v, "Always") || !strcmp(o->v, "CrossSubnet"));
}

static void
encapsulation(struct val_ctx *v, const struct rr_ippool *p)
{
	const struct rr_opt_str *o = encaps(&p->ipip_mode)    ? &p->ipip_mode
				     : encaps(&p->vxlan_mode) ? &p->vxlan_mode
							      : NULL;
	if (!o || (p->disabled.set && p->disabled.v))
		return;
	val_report(v, "pool-encapsulation", &o->at,
		   "IPPool '%s' uses %s %s: pod traffic is %s, and the "
		   "routes BGP carries are not what forwards it; use "
		   "'Never' for native routing",
		   p->meta.name, o == &p->ipip_mode ? "ipipMode" : "vxlanMode",
		   o->v,
		   !strcmp(o->v, "Always") ? "always encapsulated"
					   : "encapsulated across subnets");
}

struct net {
	struct rr_prefix p;
	const struct rr_speaker *s;
	const struct rr_loc *at;
};

static int
cmp_net(const void *a, const void *b)
{
	return rr_prefix_cmp(&((const struct net *)a)->p,
			     &((const struct net *)b)->p);
}

void
val_pool(struct val_ctx *v)
{
	const struct rr_calico *c = &v->m->calico;
	struct net *nets;
	size_t i, j, n = 0;
	char a[RR_PREFIX_STRLEN], b[RR_PREFIX_STRLEN];

	for (i = 0; i < c->nippools; i++) {
		encapsulation(v, &c->ippools[i]);
		for (j = 0; j < i; j++) {
			const struct rr_ippool *x = &c->ippools[j],
					       *y = &c->ippools[i];
			struct rr_diag *g;
			if (!x->cidr.addr.af || !y->cidr.addr.af ||
			    !rr_prefix_overlaps(&x->cidr, &y->cidr))
				continue;
			g = val_report(v, "pool-overlap", &y->cidr_text.at,
				       "IPPool '%s' (%s) overlaps IPPool '%s' "
				       "(%s)",
				       y->meta.name, rr_prefix_str(&y->cidr, a),
				       x->meta.name, rr_prefix_str(&x->cidr, b));
			rr_diag_note(v->d, g, &x->cidr_text.at,
				     "'%s' is defined here", x->meta.name);
		}
	}
	if (!c->nippools)
		return;
	/* the distinct subnets of nodes and routers */
	for (i = 0; i < v->m->nspeakers; i++)
		n += v->m->speakers[i]->naddrs;
	nets = rr_xcalloc(n ? n : 1, sizeof(*nets));
	n = 0;
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *s = v->m->speakers[i];
		if (s->addrs_inferred)
			continue;
		for (j = 0; j < s->naddrs; j++) {
			nets[n].p = rr_prefix_masked(&s->addrs[j].p);
			nets[n].s = s;
			nets[n++].at = &s->addrs[j].at;
		}
	}
	qsort(nets, n, sizeof(*nets), cmp_net);
	for (i = 0; i < n; i++) {
		if (i && !rr_prefix_cmp(&nets[i].p, &nets[i - 1].p))
			continue;
		for (j = 0; j < c->nippools; j++) {
			const struct rr_ippool *p = &c->ippools[j];
			struct rr_diag *g;
			if (!p->cidr.addr.af ||
			    !rr_prefix_overlaps(&p->cidr, &nets[i].p))
				continue;
			g = val_report(v, "pool-overlap", &p->cidr_text.at,
				       "IPPool '%s' (%s) overlaps the %s "
				       "network %s of '%s'",
				       p->meta.name, rr_prefix_str(&p->cidr, a),
				       nets[i].s->kind == RR_SPK_IOS ? "router"
								     : "node",
				       rr_prefix_str(&nets[i].p, b),
				       nets[i].s->name);
			rr_diag_note(v->d, g, val_loc(nets[i].at, &nets[i].s->loc),
				     "'%s' has %s here", nets[i].s->name, b);
		}
	}
	free(nets);
}
