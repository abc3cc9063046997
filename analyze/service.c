/*
 * Service routes at a router.  calico-node advertises each service range
 * (serviceClusterIPs, serviceExternalIPs, serviceLoadBalancerIPs) and a
 * Service's own address under `externalTrafficPolicy: Cluster` from every
 * node that is not excluded: an IOS router peering with the nodes receives
 * one prefix over many sessions, equal paths (same LOCAL_PREF, AS_PATH,
 * ORIGIN and MED).  Without `maximum-paths ibgp N` (iBGP) or
 * `maximum-paths N` (eBGP) it installs only the best of them (Cisco IOS IP
 * Routing: BGP Configuration Guide, "BGP Multipath Load Sharing for Both
 * eBGP and iBGP"; RFC 4271 9.1.2 picks one): every packet to the range
 * then goes to one node.  Nothing is lost, so this is a warning, one per
 * router and kind of session, naming the line to add.
 *
 * A node counts as a path when its session to the router is up, carries
 * the prefix's family, and the session's BGPFilters let the node's own
 * static route out (model/bgpfilter.c, as for blocks).  Paths a router
 * learns from another reflector or an in-cluster reflector are not
 * counted (those send their best path only).
 */
#include "analyze/az_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 5000 -> "5,000" */
static const char *
count_s(uint32_t v, char *buf)
{
	char t[16];
	size_t n, i, o = 0;

	n = (size_t)snprintf(t, sizeof(t), "%u", v);
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *
az_service_words(char *buf, size_t len, const char *router,
		 const struct rr_prefix *p, uint32_t paths, uint32_t used,
		 bool mp_set, bool ebgp)
{
	char b[RR_PREFIX_STRLEN], n1[24], n2[24], mp[48];

	if (mp_set)
		snprintf(mp, sizeof(mp), "maximum-paths %s%u",
			 ebgp ? "" : "ibgp ", used);
	else
		snprintf(mp, sizeof(mp), "no maximum-paths");
	snprintf(buf, len, "service %s: '%s' has %s path%s, uses %s (%s)",
		 rr_prefix_str(p, b), router, count_s(paths, n1),
		 paths == 1 ? "" : "s", count_s(used, n2), mp);
	return buf;
}

struct svpath {
	struct rr_prefix p;
	uint32_t node;
	const struct rr_origin *o;
	bool ebgp;
};

static int
cmp_svpath(const void *x, const void *y)
{
	const struct svpath *a = x, *b = y;
	int c = (int)a->ebgp - (int)b->ebgp;

	if (c)
		return c;
	if ((c = rr_prefix_cmp(&a->p, &b->p)))
		return c;
	return a->node < b->node ? -1 : a->node > b->node;
}

/* Does node side `ns` send the node's own route for origin o? */
static bool
node_sends(const struct az *a, const struct az_side *ns,
	   const struct rr_origin *o)
{
	const struct rr_bgpfilter_rule *rule;
	struct az_path own;

	if ((o->p.addr.af == RR_AF_INET6) != ns->ipv6 || !ns->fam_active)
		return false;
	if (!ns->pol_out)
		return true;
	memset(&own, 0, sizeof(own));
	own.side = AZ_NONE;
	own.nh_owner = AZ_NONE;
	own.has_lp = true;
	own.local_pref = rr_calico_normal_lp(a->m, o->p.addr.af);
	return az_bird_filters(a, ns, false, &o->p, &own, &rule) !=
	       RR_BIRD_REJECT;
}

static void
warn(struct az *a, uint32_t k, const struct svpath *first, uint32_t npaths,
     uint32_t nprefixes, bool ebgp)
{
	const struct rr_speaker *s = a->spk[k].s;
	const struct rr_opt_u32 *mp =
		ebgp ? &s->maximum_paths : &s->maximum_paths_ibgp;
	uint32_t ci = az_cause_new(a, AZ_W_SERVICE_MULTIPATH, AZ_NONE, AZ_NONE);
	struct az_cause *c = &a->cause[ci];

	c->sev = RR_SEV_WARNING;
	c->spk = k;
	c->spk2 = first->node;
	c->at = mp->set ? mp->at : s->loc;
	c->pfx = first->p;
	c->v1 = npaths;
	c->v2 = nprefixes;
	c->v3 = ebgp;
}

/* One router: its node paths per prefix and kind of session. */
static void
router(struct az *a, uint32_t k, struct svpath **v, size_t *cap)
{
	const struct az_spk *r = &a->spk[k];
	const struct rr_speaker *s = r->s;
	size_t n = 0, i, j;
	uint32_t d, q;

	for (d = 0; d < r->nsides; d++) {
		const struct az_side *rs = &a->side[r->first_side + d];
		const struct az_sess *ss;
		const struct az_side *ns;
		const struct az_spk *node;
		if (!rs->up || rs->peer_spk == AZ_NONE)
			continue;
		node = &a->spk[rs->peer_spk];
		if (!node->bird || node->dup_of != AZ_NONE || node->dup_proto)
			continue;
		ss = &a->sess[rs->session];
		ns = &a->side[ss->a == r->first_side + d ? ss->b : ss->a];
		for (q = 0; q < node->s->noriginates; q++) {
			const struct rr_origin *o = &node->s->originates[q];
			if (o->kind == RR_ORIG_BLOCK || !node_sends(a, ns, o))
				continue;
			if (n == *cap) {
				*cap = *cap ? *cap * 2 : 64;
				*v = rr_xrealloc(*v, *cap * sizeof(**v));
			}
			(*v)[n++] = (struct svpath){rr_prefix_masked(&o->p),
						    rs->peer_spk, o, !rs->ibgp};
		}
	}
	if (!n)
		return;
	qsort(*v, n, sizeof(**v), cmp_svpath);
	for (q = 0; q < 2; q++) {
		bool ebgp = q == 1;
		const struct rr_opt_u32 *mp =
			ebgp ? &s->maximum_paths : &s->maximum_paths_ibgp;
		const struct svpath *first = NULL;
		uint32_t most = 0, prefixes = 0;
		if (mp->set && mp->v > 1)
			continue;
		for (i = 0; i < n; i = j) {
			uint32_t nodes = 1;
			for (j = i + 1; j < n && (*v)[j].ebgp == (*v)[i].ebgp &&
					!rr_prefix_cmp(&(*v)[j].p, &(*v)[i].p);
			     j++)
				nodes += (*v)[j].node != (*v)[j - 1].node;
			if ((*v)[i].ebgp != ebgp || nodes < 2)
				continue;
			prefixes++;
			if (nodes > most) {
				most = nodes;
				first = &(*v)[i];
			}
		}
		if (first)
			warn(a, k, first, most, prefixes, ebgp);
	}
}

void
az_service_multipath(struct az *a)
{
	struct svpath *v = NULL;
	size_t cap = 0;
	uint32_t k;

	for (k = 0; k < a->nspk; k++)
		if (!a->spk[k].bird)
			router(a, k, &v, &cap);
	free(v);
}
