/*
 * What Calico itself rejects and the parser cannot see field by field
 * (the CEL rules of Calico's BGPPeer CRD, libcalico-go validator): BGPPeer field combinations,
 * filters naming no BGPFilter, and two nodes with one BGP address
 * (calico-node refuses to start; BIRD would define one protocol twice);
 * BGPFilter rules (the CEL rules of Calico's BGPFilterRuleV4/V6 and the
 * validator's netv4/netv6, bgpFilterInterface, prefix length tags) and
 * BGPConfiguration communities, prefixAdvertisements and default-only
 * fields (libcalico-go validator.go validateBGPConfigurationSpec and
 * clientv3 bgpconfig.go).
 */
#include "validate/val_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
combos(struct val_ctx *v, const struct rr_bgppeer *p)
{
	if (p->node.set && p->node_selector_text.set)
		val_report(v, "calico-invalid", &p->node_selector_text.at,
			   "BGPPeer '%s': node and nodeSelector cannot both "
			   "be set",
			   p->meta.name);
	if (p->peer_ip_text.set && p->peer_selector_text.set)
		val_report(v, "calico-invalid", &p->peer_selector_text.at,
			   "BGPPeer '%s': peerIP and peerSelector cannot both "
			   "be set",
			   p->meta.name);
	if (p->peer_selector_text.set && p->as_number.set && p->as_number.v)
		val_report(v, "calico-invalid", &p->as_number.at,
			   "BGPPeer '%s': asNumber must be empty when "
			   "peerSelector is set",
			   p->meta.name);
	if (p->local_workload_selector_text.set &&
	    (p->peer_ip_text.set || p->peer_selector_text.set))
		val_report(v, "calico-invalid",
			   &p->local_workload_selector_text.at,
			   "BGPPeer '%s': peerIP and peerSelector must be "
			   "empty when localWorkloadSelector is set",
			   p->meta.name);
	if (p->local_workload_selector_text.set && !p->as_number.set)
		val_report(v, "calico-invalid",
			   &p->local_workload_selector_text.at,
			   "BGPPeer '%s': asNumber is required when "
			   "localWorkloadSelector is set",
			   p->meta.name);
	if (p->reachable_by.set && !p->peer_ip_text.set)
		val_report(v, "calico-invalid", &p->reachable_by.at,
			   "BGPPeer '%s': reachableBy must be empty when "
			   "peerIP is empty",
			   p->meta.name);
	if (p->reachable_by.set && p->peer_ip.af &&
	    p->reachable_by.v.af != p->peer_ip.af)
		val_report(v, "calico-invalid", &p->reachable_by.at,
			   "BGPPeer '%s': reachableBy and peerIP address "
			   "family mismatched",
			   p->meta.name);
	if (p->keep_original_next_hop.set && p->keep_original_next_hop.v &&
	    p->next_hop_mode_text.set)
		val_report(v, "calico-invalid", &p->next_hop_mode_text.at,
			   "BGPPeer '%s': keepOriginalNextHop and nextHopMode "
			   "cannot both be set",
			   p->meta.name);
}

/* A BGPPeer's filters entry naming no BGPFilter.  libcalico-go's client
 * (calicoctl, the API server) refuses to create or update such a BGPPeer
 * (clientv3 bgpPeers.validate: "BGPFilter(s) not found"), but the filter
 * can be deleted afterwards and a crd.projectcalico.org/v1 BGPPeer applied
 * with kubectl is not checked; confd looks each name up and skips the ones
 * it does not find (buildImportFilter, buildExportFilter), so the session
 * runs without it.  resolve records it and drops the name, as confd does. */
static void
missing_filters(struct val_ctx *v)
{
	size_t i;
	for (i = 0; i < v->m->nmissing_filters; i++) {
		const struct rr_missing_filter *mf = &v->m->missing_filters[i];
		val_report(v, "bgpfilter-missing", &mf->at,
			   "BGPPeer '%s' names BGPFilter '%s', which does not "
			   "exist: calico-node skips the name and runs the "
			   "session without that filter",
			   mf->bgppeer->meta.name, mf->name);
	}
}

/* ------------------------------------------------------ BGPFilter */

static bool
iface_ok(const char *s)
{
	size_t n = strlen(s);
	return n >= 1 && n <= 15 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.*-") == n;
}

static void
filter_rule(struct val_ctx *v, const struct rr_bgpfilter *f, size_t list,
	    const struct rr_bgpfilter_rule *r)
{
	static const char *const lists[] = {"exportV4", "importV4",
					    "exportV6", "importV6"};
	const char *l = lists[list], *n = f->meta.name;
	bool v6 = list >= 2, has_cidr = r->cidr && *r->cidr;
	int32_t max = v6 ? 128 : 32;

	if (has_cidr != (r->match_operator && *r->match_operator))
		val_report(v, "calico-invalid", &r->at,
			   "BGPFilter '%s' %s: cidr and matchOperator must "
			   "both be set or both be empty",
			   n, l);
	if (r->prefix_length && !has_cidr)
		val_report(v, "calico-invalid", &r->at,
			   "BGPFilter '%s' %s: cidr is required when "
			   "prefixLength is set",
			   n, l);
	if (r->nops && r->action && strcmp(r->action, "Accept"))
		val_report(v, "calico-invalid", &r->ops[0].at,
			   "BGPFilter '%s' %s: operations may only be used "
			   "with action Accept",
			   n, l);
	if (r->nops > 10)
		val_report(v, "calico-invalid", &r->ops[10].at,
			   "BGPFilter '%s' %s: at most 10 operations", n, l);
	if (r->prefix_min > max || r->prefix_max > max)
		val_report(v, "calico-invalid", &r->at,
			   "BGPFilter '%s' %s: prefixLength must be within "
			   "0-%d",
			   n, l, max);
	if (has_cidr && r->cidr_p.addr.af &&
	    r->cidr_p.addr.af != (v6 ? RR_AF_INET6 : RR_AF_INET))
		val_report(v, "calico-invalid", &r->at,
			   "BGPFilter '%s' %s: cidr '%s' is not an IPv%c "
			   "network",
			   n, l, r->cidr, v6 ? '6' : '4');
	if (r->interface && !iface_ok(r->interface))
		val_report(v, "calico-invalid", &r->at,
			   "BGPFilter '%s' %s: interface '%s' must be 1-15 of "
			   "[a-zA-Z0-9_.*-]",
			   n, l, r->interface);
}

static void
filters(struct val_ctx *v)
{
	const struct rr_calico *c = &v->m->calico;
	size_t i, k, j;
	for (i = 0; i < c->nbgpfilters; i++)
		for (k = 0; k < 4; k++)
			for (j = 0; j < c->bgpfilters[i].nrules[k]; j++)
				filter_rule(v, &c->bgpfilters[i], k,
					    &c->bgpfilters[i].rules[k][j]);
}

/* ------------------------------------------------ BGPConfiguration */

/* "a:b" or "a:b:c", decimal parts of at most 32 bits. */
static bool
community_ok(const char *s)
{
	int n = 0;
	char *e;
	if (!s)
		return false;
	for (;;) {
		if (*s < '0' || *s > '9' || n == 3 ||
		    strtoull(s, &e, 10) > 4294967295ull)
			return false;
		n++;
		if (*e != ':')
			break;
		s = e + 1;
	}
	return !*e && n >= 2;
}

static bool
community_width_ok(const char *s)
{
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (c2)
		return true; /* large: each part 32 bits (community_ok) */
	return strtoull(s, NULL, 10) <= 65535 &&
	       strtoull(c1 + 1, NULL, 10) <= 65535;
}

static void
communities(struct val_ctx *v, const struct rr_bgpconfig *b)
{
	const char *n = b->meta.name;
	size_t i, j, k;

	if (b->ncommunities && !b->nprefix_advertisements)
		val_report(v, "calico-invalid", &b->communities[0].at,
			   "BGPConfiguration '%s': communities are defined but "
			   "not used in prefixAdvertisements",
			   n);
	for (i = 0; i < b->ncommunities; i++) {
		const struct rr_community_def *d = &b->communities[i];
		if (!d->name || !*d->name || !d->value || !*d->value)
			val_report(v, "calico-invalid", &d->at,
				   "BGPConfiguration '%s': a community needs "
				   "both name and value",
				   n);
		else if (!community_ok(d->value) || !community_width_ok(d->value))
			val_report(v, "calico-invalid", &d->at,
				   "BGPConfiguration '%s': community '%s' "
				   "value '%s' is not aa:nn (16-bit parts) or "
				   "aa:nn:mm (32-bit parts)",
				   n, d->name, d->value);
	}
	for (i = 0; i < b->nprefix_advertisements; i++) {
		const struct rr_prefix_adv *pa = &b->prefix_advertisements[i];
		if (!pa->cidr_text)
			val_report(v, "calico-invalid", &pa->at,
				   "BGPConfiguration '%s': a prefixAdvertisement "
				   "needs a cidr",
				   n);
		if (!pa->ncommunities)
			val_report(v, "calico-invalid", &pa->at,
				   "BGPConfiguration '%s': a prefixAdvertisement "
				   "needs communities",
				   n);
		for (j = 0; j < pa->ncommunities; j++) {
			const char *c = pa->communities[j];
			bool ok = strchr(c, ':') ? community_ok(c) &&
							   community_width_ok(c)
						 : false;
			for (k = 0; !ok && !strchr(c, ':') &&
				    k < b->ncommunities;
			     k++)
				ok = b->communities[k].name &&
				     !strcmp(b->communities[k].name, c);
			if (!ok)
				val_report(v, "calico-invalid", &pa->at,
					   "BGPConfiguration '%s': community "
					   "'%s' used is invalid or not defined",
					   n, c);
		}
	}
}

/* libcalico-go's validator (lib/validator/v3/validator.go nameRegex):
 * a DNS-1123 subdomain, lower-case labels of [a-z0-9-] that begin and end
 * with a letter or digit, joined by dots; at most 253 bytes for a
 * resource name (validateObjectMeta). */
static bool
name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || s[0] == '.' || s[n - 1] == '.' || s[0] == '-' ||
	    s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i], p = i ? s[i - 1] : '.', q = s[i + 1];
		if (c == '.') {
			if (p == '.' || p == '-' || q == '-')
				return false;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			     c == '-')) {
			return false;
		}
	}
	return true;
}

/* A projectcalico.org/v3 resource's name, as Calico's API (calicoctl,
 * the API server) checks it before storing the resource; one applied as
 * a crd.projectcalico.org/v1 custom resource with kubectl is not. */
static void
meta_name(struct val_ctx *v, const struct rr_meta *m, const char *kind)
{
	const struct rr_loc *at = m->name_at.line ? &m->name_at : &m->loc;

	if (!m->name || !m->api || strcmp(m->api, "projectcalico.org/v3"))
		return;
	if (strlen(m->name) > 253)
		val_report(v, "calico-invalid", at,
			   "%s name is too long by %zu bytes (at most 253)",
			   kind, strlen(m->name) - 253);
	else if (!name_ok(m->name))
		val_report(v, "calico-invalid", at,
			   "%s '%s': name must consist of lower case "
			   "alphanumeric characters, '-' or '.', each part "
			   "beginning and ending with a letter or digit",
			   kind, m->name);
}

static void
names(struct val_ctx *v)
{
	const struct rr_calico *c = &v->m->calico;
	size_t i, j;

	for (i = 0; i < c->nbgpconfigs; i++) {
		const struct rr_bgpconfig *b = &c->bgpconfigs[i];
		meta_name(v, &b->meta, "BGPConfiguration");
		/* Community.Name: validate:"required,name" */
		for (j = 0; b->meta.api &&
			    !strcmp(b->meta.api, "projectcalico.org/v3") &&
			    j < b->ncommunities;
		     j++)
			if (b->communities[j].name &&
			    *b->communities[j].name &&
			    !name_ok(b->communities[j].name))
				val_report(v, "calico-invalid",
					   &b->communities[j].at,
					   "BGPConfiguration '%s': community "
					   "name '%s' must consist of lower "
					   "case alphanumeric characters, '-' "
					   "or '.'",
					   b->meta.name, b->communities[j].name);
	}
	for (i = 0; i < c->nbgppeers; i++)
		meta_name(v, &c->bgppeers[i].meta, "BGPPeer");
	for (i = 0; i < c->nbgpfilters; i++)
		meta_name(v, &c->bgpfilters[i].meta, "BGPFilter");
	for (i = 0; i < c->nippools; i++)
		meta_name(v, &c->ippools[i].meta, "IPPool");
	for (i = 0; i < c->nnodes; i++)
		meta_name(v, &c->nodes[i].meta, "Node");
}

/* clientv3: fields only the `default` BGPConfiguration may set. */
static void
default_only(struct val_ctx *v, const struct rr_bgpconfig *b)
{
	const struct {
		bool set;
		const struct rr_loc *at;
		const char *field;
	} f[] = {
		{b->node_to_node_mesh_enabled.set,
		 &b->node_to_node_mesh_enabled.at, "nodeToNodeMeshEnabled"},
		{b->as_number.set, &b->as_number.at, "asNumber"},
		{b->nservice_lb_ips > 0,
		 b->nservice_lb_ips ? &b->service_lb_ips[0].at : NULL,
		 "serviceLoadBalancerIPs"},
		{b->nservice_external_ips > 0,
		 b->nservice_external_ips ? &b->service_external_ips[0].at
					  : NULL,
		 "serviceExternalIPs"},
		{b->nservice_cluster_ips > 0,
		 b->nservice_cluster_ips ? &b->service_cluster_ips[0].at : NULL,
		 "serviceClusterIPs"},
		{b->node_mesh_password.set, &b->node_mesh_password.at,
		 "nodeMeshPassword"},
		{b->node_mesh_max_restart_time.set,
		 &b->node_mesh_max_restart_time.at, "nodeMeshMaxRestartTime"},
	};
	size_t i;
	if (!b->meta.name || !strcmp(b->meta.name, "default"))
		return;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].set)
			val_report(v, "calico-invalid", f[i].at,
				   "BGPConfiguration '%s': cannot set %s on a "
				   "non default BGP Configuration",
				   b->meta.name, f[i].field);
}

struct naddr {
	struct rr_addr a;
	const struct rr_speaker *s;
	size_t k; /* input order: the later node is the one refused */
};

static int
cmp_naddr(const void *x, const void *y)
{
	const struct naddr *p = x, *q = y;
	int c = rr_addr_cmp(&p->a, &q->a);

	if (c)
		return c;
	return p->k < q->k ? -1 : p->k > q->k;
}

static void
duplicate_addresses(struct val_ctx *v)
{
	struct naddr *t;
	size_t i, j, n = 0;
	char a[RR_ADDR_STRLEN];

	t = rr_xcalloc(v->nown ? v->nown : 1, sizeof(*t));
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *s = v->m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->naddrs; j++) {
			t[n].a = s->addrs[j].p.addr;
			t[n].k = i;
			t[n++].s = s;
		}
	}
	qsort(t, n, sizeof(*t), cmp_naddr);
	for (i = 1; i < n; i++) {
		struct rr_diag *g;
		if (!rr_addr_eq(&t[i].a, &t[i - 1].a))
			continue;
		g = val_report(v, "calico-invalid", &t[i].s->loc,
			       "nodes '%s' and '%s' both use the BGP address "
			       "%s: calico-node refuses to start ('already "
			       "using the IPv4 address')",
			       t[i - 1].s->name, t[i].s->name,
			       val_addr_str(&t[i].a, a));
		rr_diag_note(v->d, g, &t[i - 1].s->loc, "'%s' is here",
			     t[i - 1].s->name);
	}
	free(t);
}

/* confd (pkg/backends/calico) visits BGPPeers in map order and
 * the first to claim a session wins. */
static void
conflicts(struct val_ctx *v)
{
	size_t i;
	char a[RR_ADDR_STRLEN], port[16] = "";
	for (i = 0; i < v->m->npeer_conflicts; i++) {
		const struct rr_peer_conflict *c = &v->m->peer_conflicts[i];
		struct rr_diag *g;
		port[0] = '\0';
		if (c->port)
			snprintf(port, sizeof(port), " port %u", c->port);
		char who[160];
		if (!c->node)
			snprintf(who, sizeof(who), "every node");
		else if (c->more)
			snprintf(who, sizeof(who), "node '%s' and %zu more",
				 c->node, c->more);
		else
			snprintf(who, sizeof(who), "node '%s'", c->node);
		g = val_report(v, "peer-conflict", &c->lost->meta.loc,
			       "BGPPeers '%s' and '%s' both make %s peer with "
			       "%s%s, with different settings: calico-node keeps "
			       "whichever it reads first (map order), so the "
			       "session's settings are not predictable",
			       c->kept->meta.name, c->lost->meta.name, who,
			       val_addr_str(&c->peer, a), port);
		rr_diag_note(v->d, g, &c->kept->meta.loc, "'%s' is here",
			     c->kept->meta.name);
	}
}

void
val_calico(struct val_ctx *v)
{
	size_t i;
	for (i = 0; i < v->m->calico.nbgppeers; i++)
		combos(v, &v->m->calico.bgppeers[i]);
	missing_filters(v);
	filters(v);
	for (i = 0; i < v->m->calico.nbgpconfigs; i++) {
		communities(v, &v->m->calico.bgpconfigs[i]);
		default_only(v, &v->m->calico.bgpconfigs[i]);
	}
	names(v);
	duplicate_addresses(v);
	conflicts(v);
}
