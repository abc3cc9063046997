/*
 * Kubernetes Services and EndpointSlices: what calico-node's route
 * generator reads to advertise a Service's own addresses (Calico
 * confd/pkg/backends/calico/routes.go).  Only the fields it reads are
 * kept; the many others a Service carries (ports, selector, session
 * affinity, ...) are accepted silently, as kubectl output has them all.
 */
#include "parsers/calico_fields.h"

#include <string.h>

static const char *
namespace_of(struct cal_ctx *c, const struct yn *doc)
{
	const struct yn *ns = cal_map_get(cal_map_get(doc, "metadata"), "namespace");
	const char *s = ns && !cal_is_null(ns) ? cal_str(c, ns, "namespace")
	                                       : NULL;
	/* kubectl puts an object without one in the default namespace */
	return s && *s ? s : "default";
}

/* An address as the route generator takes it: net.ParseIP, else skipped
 * (calico-node logs "Could not parse"); kept with af 0 to say so. */
static void
read_ip(struct cal_ctx *c, const struct yn *v, const char *key,
        struct rr_k8s_ip *out)
{
	const char *s = cal_str(c, v, key);
	if (!s)
		return;
	out->text = s;
	out->at = cal_loc(c, v);
	if (rr_addr_parse(s, &out->a)) {
		memset(&out->a, 0, sizeof(out->a));
		cal_warn(c, v, "'%s: %s' is not an IP address: calico-node "
		               "skips it",
		         key, s);
	}
}

static void
read_ips(struct cal_ctx *c, const struct yn *v, const char *key,
         struct rr_k8s_ip **vec, size_t *n, size_t *cap)
{
	size_t i;
	if (!v || cal_is_null(v) || !cal_want(c, v, YN_SEQ, key))
		return;
	for (i = 0; i < v->n; i++) {
		struct rr_k8s_ip ip = {{0}, NULL, {NULL, 0, 0}};
		read_ip(c, v->kids[i], key, &ip);
		if (ip.text)
			*(struct rr_k8s_ip *)rr_arena_push(
			        &c->m->arena, (void **)vec, n, cap,
			        sizeof(ip)) = ip;
	}
}

static void
opt_str(struct cal_ctx *c, const struct yn *map, const char *key,
        struct rr_opt_str *o)
{
	const struct yn *v = cal_map_get(map, key);
	const char *s;
	if (!v || cal_is_null(v) || !(s = cal_str(c, v, key)))
		return;
	o->set = true;
	o->v = s;
	o->at = cal_loc(c, v);
}

void
cal_k8s_service(struct cal_ctx *c, const struct yn *doc,
                struct rr_k8s_service *s)
{
	const struct yn *spec = cal_map_get(doc, "spec"), *v;
	size_t i;

	s->namespace_ = namespace_of(c, doc);
	if (spec && !cal_is_null(spec) && !cal_want(c, spec, YN_MAP, "spec"))
		spec = NULL;
	opt_str(c, spec, "type", &s->type);
	opt_str(c, spec, "externalTrafficPolicy", &s->external_traffic_policy);
	opt_str(c, spec, "clusterIP", &s->cluster_ip);
	/* spec.clusterIPs; the API server fills it from clusterIP */
	read_ips(c, cal_map_get(spec, "clusterIPs"), "clusterIPs", &s->cluster_ips,
	         &s->ncluster_ips, &s->cap1);
	if (!s->ncluster_ips && s->cluster_ip.set && *s->cluster_ip.v &&
	    strcmp(s->cluster_ip.v, "None")) {
		struct rr_k8s_ip x = {{0}, NULL, {NULL, 0, 0}};
		read_ip(c, cal_map_get(spec, "clusterIP"), "clusterIP", &x);
		*RR_PUSH(&c->m->arena, s->cluster_ips, s->ncluster_ips,
		         s->cap1) = x;
	}
	read_ips(c, cal_map_get(spec, "externalIPs"), "externalIPs", &s->external_ips,
	         &s->nexternal_ips, &s->cap2);
	if ((v = cal_map_get(spec, "loadBalancerIP")) && !cal_is_null(v))
		read_ip(c, v, "loadBalancerIP", &s->lb_ip);
	v = cal_map_get(cal_map_get(cal_map_get(doc, "status"), "loadBalancer"), "ingress");
	if (v && !cal_is_null(v) && cal_want(c, v, YN_SEQ, "ingress"))
		for (i = 0; i < v->n; i++) {
			const struct yn *ip = cal_map_get(v->kids[i], "ip");
			struct rr_k8s_ip x = {{0}, NULL, {NULL, 0, 0}};
			if (!ip || cal_is_null(ip))
				continue; /* a hostname ingress */
			read_ip(c, ip, "ip", &x);
			if (x.text)
				*RR_PUSH(&c->m->arena, s->lb_ingress,
				         s->nlb_ingress, s->cap3) = x;
		}
	/* spec.ipFamilies, else what the API server defaults it to: the
	 * families of the cluster IPs */
	v = cal_map_get(spec, "ipFamilies");
	if (v && !cal_is_null(v) && cal_want(c, v, YN_SEQ, "ipFamilies")) {
		for (i = 0; i < v->n; i++) {
			const char *f = cal_str(c, v->kids[i], "ipFamilies");
			if (f && !strcmp(f, "IPv4"))
				s->family_v4 = true;
			else if (f && !strcmp(f, "IPv6"))
				s->family_v6 = true;
			else if (f)
				cal_warn(c, v->kids[i],
				         "'ipFamilies' entry '%s' is not IPv4 "
				         "or IPv6",
				         f);
		}
	} else {
		for (i = 0; i < s->ncluster_ips; i++) {
			s->family_v4 |= s->cluster_ips[i].a.af == RR_AF_INET;
			s->family_v6 |= s->cluster_ips[i].a.af == RR_AF_INET6;
		}
	}
}

static void
read_endpoint(struct cal_ctx *c, const struct yn *v, struct rr_endpoint_slice *es)
{
	struct rr_k8s_endpoint *ep;
	const struct yn *x;
	size_t i;

	if (!cal_want(c, v, YN_MAP, "endpoints"))
		return;
	ep = RR_PUSH(&c->m->arena, es->endpoints, es->nendpoints, es->cape);
	ep->at = cal_loc(c, v);
	x = cal_map_get(v, "addresses");
	if (x && !cal_is_null(x) && cal_want(c, x, YN_SEQ, "addresses"))
		for (i = 0; i < x->n; i++) {
			const char *s = cal_str(c, x->kids[i], "addresses");
			struct rr_k8s_ip *ip;
			if (!s)
				continue;
			ip = RR_PUSH(&c->m->arena, ep->addresses,
			             ep->naddresses, ep->capa);
			ip->text = s;
			ip->at = cal_loc(c, x->kids[i]);
			(void)rr_addr_parse(s, &ip->a); /* FQDN slices: af 0 */
		}
	x = cal_map_get(v, "nodeName");
	if (x && !cal_is_null(x))
		ep->node_name = cal_str(c, x, "nodeName");
	x = cal_map_get(cal_map_get(v, "conditions"), "ready");
	if (x && !cal_is_null(x) && cal_want(c, x, YN_SCALAR, "ready")) {
		int b = cal_yaml11_bool(x->val);
		if (b < 0 || x->style != YN_PLAIN)
			cal_warn(c, x, "'ready: %s' is not true or false; "
			               "taken as ready",
			         x->val);
		else
			ep->ready = (struct rr_opt_bool){
			        .set = true, .at = cal_loc(c, x), .v = b == 1};
	}
}

void
cal_k8s_endpoint_slice(struct cal_ctx *c, const struct yn *doc,
                       struct rr_endpoint_slice *es)
{
	const struct yn *v;
	size_t i;

	es->namespace_ = namespace_of(c, doc);
	es->service_name =
	        rr_labels_get(&es->meta.labels, "kubernetes.io/service-name");
	v = cal_map_get(doc, "addressType");
	if (v && !cal_is_null(v))
		es->address_type = cal_str(c, v, "addressType");
	v = cal_map_get(doc, "endpoints");
	if (v && !cal_is_null(v) && cal_want(c, v, YN_SEQ, "endpoints"))
		for (i = 0; i < v->n; i++)
			read_endpoint(c, v->kids[i], es);
}
