/*
 * What a calico-node advertises besides its blocks, as Calico's confd
 * computes it:
 *
 *  - service ranges (confd/pkg/backends/calico/client.go
 *    updateGlobalRoutes): every serviceClusterIPs CIDR, every
 *    serviceExternalIPs CIDR that is not a single address, and every
 *    serviceLoadBalancerIPs CIDR that is not a single address while
 *    serviceLoadBalancerAggregation is Enabled -- from every node not
 *    labelled node.kubernetes.io/exclude-from-external-load-balancers=true;
 *  - a Service's own addresses, /32 and /128 (routes.go
 *    advertiseThisService, getAllRoutesForService): its cluster IPs when
 *    serviceClusterIPs is set, its external IPs and load-balancer ingress
 *    IPs that fall in the configured ranges; from the nodes with a ready
 *    local endpoint (externalTrafficPolicy Local), or from every node
 *    (Cluster) when the Service has a single-address LB or external IP, or
 *    when aggregation is Disabled and it has a ready endpoint anywhere;
 *  - the communities of prefixAdvertisements (bgp_processor.go
 *    processCommunityRules): node.<name>'s replace the default's.
 *
 * A CIDR written without a prefix length ("10.96.0.10") passes Calico's
 * validation but not calico-node's net.ParseCIDR: that family of ranges
 * is then not advertised at all, and rrkit says so.
 */
#include "resolve/resolve_priv.h"

#include <stdlib.h>
#include <string.h>

#define EXCLUDE_LABEL "node.kubernetes.io/exclude-from-external-load-balancers"

/* One family of service ranges (cluster, external, LB) as calico-node
 * holds it after onClusterIPsUpdate / onExternalIPsUpdate /
 * onLoadBalancerIPsUpdate. */
struct ranges {
	const struct rr_cidr_ent *v;
	size_t n;
	bool broken; /* an entry net.ParseCIDR refuses: nothing advertised */
};

struct svc_ctx {
	struct rr_model *m;
	struct rr_diags *d;
	const struct rr_bgpconfig *def;
	struct ranges cluster, external, lb;
	bool aggregate; /* serviceLoadBalancerAggregation Enabled (default) */
	struct rr_speaker **nodes; /* Calico speakers by name */
	size_t nn;
	const struct rr_endpoint_slice **slices; /* by namespace, service */
	size_t nslices;
};

static bool
has_len(const struct rr_cidr_ent *e)
{
	return e->text && strchr(e->text, '/');
}

/* A single address, as filterNonSingleIPsFromCIDRs tests it: by suffix. */
static bool
single_text(const struct rr_cidr_ent *e)
{
	size_t n = e->text ? strlen(e->text) : 0;
	if (e->p.addr.af == RR_AF_INET6 || (e->text && strchr(e->text, ':')))
		return n > 4 && !strcmp(e->text + n - 4, "/128");
	return n > 3 && !strcmp(e->text + n - 3, "/32");
}

static void
ranges_init(struct svc_ctx *x, struct ranges *r, const struct rr_cidr_ent *v,
            size_t n, const char *field, bool filter_single)
{
	size_t i;
	r->v = v;
	r->n = n;
	for (i = 0; i < n; i++) {
		if (has_len(&v[i]) || (filter_single && single_text(&v[i])))
			continue;
		r->broken = true;
		rr_diag_add(x->d, RR_SEV_WARNING, NULL, &v[i].at,
		            "%s entry '%s' has no prefix length: calico-node "
		            "cannot parse it and advertises none of the %s "
		            "(write '%s/%u')",
		            field, v[i].text, field, v[i].text, v[i].p.len);
		return;
	}
}

static int
cmp_speaker(const void *a, const void *b)
{
	return strcmp((*(struct rr_speaker *const *)a)->name,
	              (*(struct rr_speaker *const *)b)->name);
}

static int
slice_key_cmp(const char *ns, const char *svc,
              const struct rr_endpoint_slice *s)
{
	int c = strcmp(ns, s->namespace_);
	return c ? c : strcmp(svc, s->service_name);
}

static int
cmp_slice(const void *a, const void *b)
{
	const struct rr_endpoint_slice *x =
	        *(const struct rr_endpoint_slice *const *)a;
	return slice_key_cmp(x->namespace_, x->service_name,
	                     *(const struct rr_endpoint_slice *const *)b);
}

static bool
excluded(const struct rr_speaker *s)
{
	const char *v = rr_labels_get(&s->labels, EXCLUDE_LABEL);
	return v && !strcmp(v, "true");
}

static bool
in_ranges(const struct ranges *r, const struct rr_addr *a, bool single_only)
{
	size_t i;
	if (r->broken || !a->af)
		return false;
	for (i = 0; i < r->n; i++) {
		unsigned full = r->v[i].p.addr.af == RR_AF_INET6 ? 128 : 32;
		if (!has_len(&r->v[i]) || !rr_prefix_contains(&r->v[i].p, a))
			continue;
		if (!single_only || r->v[i].p.len == full)
			return true;
	}
	return false;
}

static void
add_origin(struct rr_model *m, struct rr_speaker *s, const struct rr_prefix *p,
           enum rr_origin_kind kind, const struct rr_loc *at,
           const char *service, bool local)
{
	struct rr_origin *o;
	size_t i;
	for (i = 0; i < s->noriginates; i++)
		if (s->originates[i].kind != RR_ORIG_BLOCK &&
		    !rr_prefix_cmp(&s->originates[i].p, p))
			return; /* one static route per prefix (refcounted) */
	o = RR_PUSH(&m->arena, s->originates, s->noriginates, s->capo);
	o->p = *p;
	o->at = *at;
	o->kind = kind;
	o->service = service;
	o->local_policy = local;
}

/* The ranges calico-node routes (updateGlobalRoutes). */
static void
global_ranges(struct svc_ctx *x, const struct ranges *r,
              enum rr_origin_kind kind, bool skip_single)
{
	struct rr_model *m = x->m;
	size_t i, k;
	if (r->broken)
		return;
	for (i = 0; i < r->n; i++) {
		struct rr_service_range *sr;
		if (skip_single && single_text(&r->v[i]))
			continue;
		for (k = 0; k < m->nservice_ranges; k++)
			if (!rr_prefix_cmp(&m->service_ranges[k].p, &r->v[i].p))
				break;
		if (k < m->nservice_ranges)
			continue;
		sr = RR_PUSH(&m->arena, m->service_ranges, m->nservice_ranges,
		             m->capsvr);
		sr->p = r->v[i].p;
		sr->kind = kind;
		sr->at = r->v[i].at;
	}
}

/* ... originated by every node not excluded. */
static void
global_routes(struct svc_ctx *x)
{
	const struct rr_model *m = x->m;
	size_t i, k;
	for (k = 0; k < x->nn; k++) {
		if (excluded(x->nodes[k]))
			continue;
		for (i = 0; i < m->nservice_ranges; i++)
			add_origin(x->m, x->nodes[k], &m->service_ranges[i].p,
			           m->service_ranges[i].kind,
			           &m->service_ranges[i].at, NULL, false);
	}
}

/* ------------------------------------------------ per Service */

static bool
svc_type_ok(const struct rr_k8s_service *s)
{
	const char *t = s->type.set ? s->type.v : "ClusterIP";
	return !strcmp(t, "ClusterIP") || !strcmp(t, "NodePort") ||
	       !strcmp(t, "LoadBalancer");
}

static bool
svc_local(const struct rr_k8s_service *s)
{
	return s->external_traffic_policy.set &&
	       !strcmp(s->external_traffic_policy.v, "Local");
}

/* externalTrafficPolicy Cluster: written, or the API server's default for
 * NodePort and LoadBalancer Services (a ClusterIP Service has none). */
static bool
svc_cluster(const struct rr_k8s_service *s)
{
	if (s->external_traffic_policy.set)
		return !strcmp(s->external_traffic_policy.v, "Cluster");
	return s->type.set && (!strcmp(s->type.v, "NodePort") ||
	                       !strcmp(s->type.v, "LoadBalancer"));
}

/* hasAnySingleLoadBalancerIP, and an external IP in a single range. */
static bool
svc_single(const struct svc_ctx *x, const struct rr_k8s_service *s)
{
	size_t i;
	bool lb = s->type.set && !strcmp(s->type.v, "LoadBalancer");
	if (lb && s->lb_ip.text && in_ranges(&x->lb, &s->lb_ip.a, true))
		return true;
	for (i = 0; lb && i < s->nlb_ingress; i++)
		if (in_ranges(&x->lb, &s->lb_ingress[i].a, true))
			return true;
	for (i = 0; i < s->nexternal_ips; i++)
		if (in_ranges(&x->external, &s->external_ips[i].a, true))
			return true;
	return false;
}

static bool
family_ok(const struct rr_k8s_service *s, const struct rr_endpoint_slice *es)
{
	if (!es->address_type)
		return false;
	return (s->family_v4 && !strcmp(es->address_type, "IPv4")) ||
	       (s->family_v6 && !strcmp(es->address_type, "IPv6"));
}

static bool
ready(const struct rr_k8s_endpoint *ep)
{
	return !ep->ready.set || ep->ready.v;
}

/* The addresses getAllRoutesForService returns, as /32 and /128. */
static size_t
svc_routes(const struct svc_ctx *x, const struct rr_k8s_service *s,
           struct rr_prefix *out, struct rr_loc *at, size_t cap)
{
	size_t i, n = 0;
#define ADD(ip)                                                               \
	do {                                                                  \
		if ((ip).a.af && n < cap) {                                   \
			out[n].addr = (ip).a;                                 \
			out[n].len = (ip).a.af == RR_AF_INET6 ? 128 : 32;      \
			at[n++] = (ip).at;                                    \
		}                                                             \
	} while (0)
	if (x->cluster.n && !x->cluster.broken)
		for (i = 0; i < s->ncluster_ips; i++)
			ADD(s->cluster_ips[i]);
	for (i = 0; i < s->nexternal_ips; i++)
		if (in_ranges(&x->external, &s->external_ips[i].a, false))
			ADD(s->external_ips[i]);
	for (i = 0; i < s->nlb_ingress; i++)
		if (in_ranges(&x->lb, &s->lb_ingress[i].a, false))
			ADD(s->lb_ingress[i]);
#undef ADD
	return n;
}

static struct rr_speaker *
node_named(const struct svc_ctx *x, const char *name)
{
	size_t lo = 0, hi = x->nn;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(x->nodes[mid]->name, name);
		if (!c)
			return x->nodes[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
advertise_on(struct svc_ctx *x, struct rr_speaker *s, const char *id,
             bool local, const struct rr_prefix *r, const struct rr_loc *at,
             size_t nr)
{
	size_t i;
	if (excluded(s))
		return;
	for (i = 0; i < nr; i++)
		add_origin(x->m, s, &r[i], RR_ORIG_SVC_IP, &at[i], id, local);
}

static void
one_service(struct svc_ctx *x, const struct rr_k8s_service *s)
{
	struct rr_prefix r[64];
	struct rr_loc at[64];
	const struct rr_endpoint_slice *key_es;
	size_t lo = 0, hi = x->nslices, first, i, j, k, nr;
	bool local = svc_local(s), all = false;
	const char *id;

	if (!svc_type_ok(s) || !s->ncluster_ips ||
	    (s->cluster_ip.set && !strcmp(s->cluster_ip.v, "None")))
		return;
	/* the Service's EndpointSlices; with none, calico-node never
	 * evaluates it (setRouteForSvc returns early) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (slice_key_cmp(s->namespace_, s->meta.name,
		                  x->slices[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	if (first >= x->nslices ||
	    slice_key_cmp(s->namespace_, s->meta.name, x->slices[first]))
		return;
	nr = svc_routes(x, s, r, at, sizeof(r) / sizeof(r[0]));
	if (!nr)
		return;
	id = rr_arena_printf(&x->m->arena, "%s/%s", s->namespace_,
	                     s->meta.name);
	if (svc_cluster(s) && svc_single(x, s))
		all = true;
	else if (!local && x->aggregate)
		return; /* the ranges advertise it */
	for (i = first; !all && i < x->nslices; i++) {
		key_es = x->slices[i];
		if (slice_key_cmp(s->namespace_, s->meta.name, key_es))
			break;
		if (!family_ok(s, key_es))
			continue;
		for (j = 0; j < key_es->nendpoints; j++) {
			const struct rr_k8s_endpoint *ep = &key_es->endpoints[j];
			struct rr_speaker *n;
			if (!ready(ep))
				continue;
			if (!local) {
				all = true;
				break;
			}
			if (ep->node_name && (n = node_named(x, ep->node_name)))
				advertise_on(x, n, id, true, r, at, nr);
		}
	}
	if (all)
		for (k = 0; k < x->nn; k++)
			advertise_on(x, x->nodes[k], id, local, r, at, nr);
}

/* ------------------------------------------------ communities */

static bool
community_literal(const char *s)
{
	int parts = 0;
	for (;;) {
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
		parts++;
		if (*s != ':')
			break;
		s++;
	}
	return !*s && (parts == 2 || parts == 3);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* getPrefixAdvertisementsKVPair: names resolved against the same
 * resource's communities, duplicates dropped, sorted as text. */
static void
community_rules(struct rr_model *m, struct rr_speaker *s,
                const struct rr_bgpconfig *bc)
{
	size_t i, j, k;
	for (i = 0; i < bc->nprefix_advertisements; i++) {
		const struct rr_prefix_adv *pa = &bc->prefix_advertisements[i];
		struct rr_community_rule *cr;
		const char **v;
		size_t n = 0;
		if (!pa->cidr_text || !*pa->cidr_text)
			continue;
		v = rr_arena_calloc(&m->arena,
		                    pa->ncommunities ? pa->ncommunities : 1,
		                    sizeof(*v));
		for (j = 0; j < pa->ncommunities; j++) {
			const char *c = pa->communities[j];
			if (!community_literal(c)) {
				c = NULL;
				for (k = 0; k < bc->ncommunities; k++)
					if (bc->communities[k].name &&
					    !strcmp(bc->communities[k].name,
					            pa->communities[j])) {
						c = bc->communities[k].value;
						break;
					}
			}
			for (k = 0; c && k < n; k++)
				if (!strcmp(v[k], c))
					c = NULL;
			if (c)
				v[n++] = c;
		}
		if (n > 1)
			qsort(v, n, sizeof(*v), cmp_str);
		cr = RR_PUSH(&m->arena, s->adv_communities,
		             s->nadv_communities, s->capac);
		cr->cidr = pa->cidr;
		cr->cidr_text = pa->cidr_text;
		cr->values = v;
		cr->nvalues = n;
		cr->at = pa->at;
	}
}

/* ------------------------------------------------ entry */

static int
cmp_origin(const void *a, const void *b)
{
	const struct rr_origin *x = a, *y = b;
	int c = rr_prefix_cmp(&x->p, &y->p);
	if (c)
		return c;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

void
resolve_advertise(struct rr_model *m, struct rr_diags *d)
{
	const struct rr_calico *c = &m->calico;
	struct svc_ctx x;
	size_t i, k;

	memset(&x, 0, sizeof(x));
	x.m = m;
	x.d = d;
	x.def = rr_calico_config(c, "default");
	for (i = 0; i < m->nspeakers; i++)
		if (m->speakers[i]->kind == RR_SPK_CALICO)
			x.nn++;
	x.nodes = rr_xcalloc(x.nn ? x.nn : 1, sizeof(*x.nodes));
	for (i = 0, k = 0; i < m->nspeakers; i++)
		if (m->speakers[i]->kind == RR_SPK_CALICO)
			x.nodes[k++] = m->speakers[i];
	qsort(x.nodes, x.nn, sizeof(*x.nodes), cmp_speaker);

	/* communities: node.<name> prefixAdvertisements replace the
	 * default's entirely */
	for (k = 0; k < x.nn; k++) {
		char name[300];
		const struct rr_bgpconfig *nc;
		snprintf(name, sizeof(name), "node.%s", x.nodes[k]->name);
		nc = rr_calico_config(c, name);
		if (!nc || !nc->nprefix_advertisements)
			nc = x.def;
		if (nc)
			community_rules(m, x.nodes[k], nc);
	}

	if (x.def) {
		x.aggregate = !(x.def->service_lb_aggregation.set &&
		                !strcmp(x.def->service_lb_aggregation.v,
		                        "Disabled"));
		ranges_init(&x, &x.cluster, x.def->service_cluster_ips,
		            x.def->nservice_cluster_ips, "serviceClusterIPs",
		            false);
		ranges_init(&x, &x.external, x.def->service_external_ips,
		            x.def->nservice_external_ips, "serviceExternalIPs",
		            true);
		/* without aggregation no LB range is routed, so none is
		 * parsed as a CIDR (the allow list skips bad entries) */
		if (x.aggregate)
			ranges_init(&x, &x.lb, x.def->service_lb_ips,
			            x.def->nservice_lb_ips,
			            "serviceLoadBalancerIPs", true);
		else {
			x.lb.v = x.def->service_lb_ips;
			x.lb.n = x.def->nservice_lb_ips;
		}
		global_ranges(&x, &x.cluster, RR_ORIG_SVC_CLUSTER, false);
		global_ranges(&x, &x.external, RR_ORIG_SVC_EXTERNAL, true);
		if (x.aggregate)
			global_ranges(&x, &x.lb, RR_ORIG_SVC_LB, true);
		global_routes(&x);
	}

	x.slices = rr_xcalloc(c->nendpoint_slices ? c->nendpoint_slices : 1,
	                      sizeof(*x.slices));
	for (i = 0; i < c->nendpoint_slices; i++)
		if (c->endpoint_slices[i].service_name)
			x.slices[x.nslices++] = &c->endpoint_slices[i];
	qsort(x.slices, x.nslices, sizeof(*x.slices), cmp_slice);
	if (x.def && (x.cluster.n || x.external.n || x.lb.n))
		for (i = 0; i < c->nservices; i++)
			one_service(&x, &c->services[i]);

	for (k = 0; k < x.nn; k++)
		if (x.nodes[k]->noriginates > 1)
			qsort(x.nodes[k]->originates, x.nodes[k]->noriginates,
			      sizeof(struct rr_origin), cmp_origin);
	free(x.nodes);
	free(x.slices);
}
