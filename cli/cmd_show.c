/*
 * rrkit show: the resolved model, one speaker after another with the
 * sessions it opens (text for people, JSON per docs/json.md).
 */
#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/json.h"
#include "cli/load.h"
#include "cli/report.h"
#include "analyze/analyze.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
	[RR_SPK_IOS] = "ios-router",
	[RR_SPK_CALICO] = "calico-node",
};

static const char *const scope_names[] = {
	[RR_SCOPE_NONE] = "neighbor", [RR_SCOPE_MESH] = "mesh",
	[RR_SCOPE_GLOBAL] = "global", [RR_SCOPE_NODE] = "node",
	[RR_SCOPE_LOCAL_WORKLOAD] = "local-workload",
};

static const char *const afs_names[] = {
	[RR_AFS_IPV4] = "ipv4", [RR_AFS_IPV6] = "ipv6",
	[RR_AFS_VPNV4] = "vpnv4", [RR_AFS_VPNV6] = "vpnv6",
	[RR_AFS_IPV4_MULTICAST] = "ipv4-multicast", [RR_AFS_OTHER] = "other",
};

/* Why a Calico node originates a prefix (confd bird_aggr.cfg). */
static const char *const origin_kinds[] = {
	[RR_ORIG_BLOCK] = "block",
	[RR_ORIG_SVC_CLUSTER] = "serviceClusterIPs",
	[RR_ORIG_SVC_EXTERNAL] = "serviceExternalIPs",
	[RR_ORIG_SVC_LB] = "serviceLoadBalancerIPs",
	[RR_ORIG_SVC_IP] = "service",
};

static const char *
peer_text(const struct rr_neighbor *n, char *buf)
{
	if (n->is_range)
		return rr_prefix_str(&n->range, buf);
	return rr_addr_str(&n->peer, buf);
}

static uint8_t
session_family(const struct rr_neighbor *n)
{
	if (n->family)
		return n->family;
	return n->is_range ? n->range.addr.af : n->peer.af;
}

static uint32_t
local_as(const struct rr_speaker *s, const struct rr_neighbor *n)
{
	return rr_nb_rare(n)->local_as.set ? rr_nb_rare(n)->local_as.v
	                                   : s->asn.v;
}

static const char *
next_hop_text(const struct rr_neighbor *n)
{
	if (n->next_hop == RR_NH_KEEP)
		return "keep";
	if (n->next_hop == RR_NH_SELF || (n->next_hop_self.set && n->next_hop_self.v))
		return n->next_hop_self_all ? "self-all" : "self";
	return "auto";
}

/* TTL of a multihop session, 0 when single-hop/direct. */
static uint32_t
multihop_ttl(const struct rr_speaker *s, const struct rr_neighbor *n)
{
	if (n->ttl_security.set && n->ttl_security.v)
		return n->ttl_security.v;
	if (n->ebgp_multihop.set)
		return n->ebgp_multihop.v;
	if (s->kind == RR_SPK_CALICO)
		return 64; /* R19: `multihop;` = BIRD's default TTL 64 */
	return 0;
}

static void
cluster_text(const struct rr_speaker *s, char *buf)
{
	struct rr_addr a = rr_addr_from_v4(s->cluster_id.v);
	rr_addr_str(&a, buf);
}

/* ------------------------------------------------------------- JSON */

static void
json_kopt_u32(struct json *j, const char *k, const struct rr_opt_u32 *o)
{
	json_key(j, k);
	if (o->set)
		json_u64(j, o->v);
	else
		json_null(j);
}

static void
json_kopt_str(struct json *j, const char *k, const struct rr_opt_str *o)
{
	json_kstr(j, k, o->set ? o->v : NULL);
}

/* IOS neighbor facts added for issue 16 (docs/json.md). */
static void
json_ios_session(struct json *j, const struct rr_neighbor *n)
{
	size_t k;

	json_kstr(j, "vrf", n->vrf);
	json_key(j, "alternate_as");
	json_arr(j);
	for (k = 0; rr_nb_rare(n)->alternate_as.set &&
	            k < rr_nb_rare(n)->alternate_as.n;
	     k++)
		json_u64(j, rr_nb_rare(n)->alternate_as.v[k].asn);
	json_end_arr(j);
	json_kbool(j, "as_override",
	           rr_nb_rare(n)->as_override.set &&
	                   rr_nb_rare(n)->as_override.v);
	json_kopt_u32(j, "allowas_in", &rr_nb_rare(n)->allowas_in);
	json_kopt_u32(j, "weight", &rr_nb_rare(n)->weight);
	json_kopt_str(j, "route_map_in", &rr_nb_rare(n)->route_map_in);
	json_kopt_str(j, "route_map_out", &rr_nb_rare(n)->route_map_out);
	json_kopt_str(j, "prefix_list_in", &rr_nb_rare(n)->prefix_list_in);
	json_kopt_str(j, "prefix_list_out", &rr_nb_rare(n)->prefix_list_out);
	json_kopt_str(j, "filter_list_in", &rr_nb_rare(n)->filter_list_in);
	json_kopt_str(j, "filter_list_out", &rr_nb_rare(n)->filter_list_out);
	json_kopt_u32(j, "maximum_prefix", &rr_nb_rare(n)->maximum_prefix);
}

static const char *const fhrp_names[] = {
	[RR_FHRP_HSRP] = "hsrp", [RR_FHRP_VRRP] = "vrrp",
	[RR_FHRP_GLBP] = "glbp",
};

/* IOS speaker facts added for issue 16 (docs/json.md). */
static void
json_ios_speaker(struct json *j, const struct rr_speaker *s)
{
	char buf[RR_PREFIX_STRLEN];
	bool ios = s->kind == RR_SPK_IOS;
	size_t k;

	json_key(j, "vrf_addresses");
	json_arr(j);
	for (k = 0; k < s->nvrf_addrs; k++) {
		json_obj(j);
		json_kstr(j, "address", rr_prefix_str(&s->vrf_addrs[k].p, buf));
		json_kstr(j, "vrf", s->vrf_addrs[k].vrf);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "virtual_addresses");
	json_arr(j);
	for (k = 0; k < s->nvips; k++) {
		const struct rr_vip *v = &s->vips[k];
		json_obj(j);
		json_kstr(j, "address", rr_addr_str(&v->addr, buf));
		json_kstr(j, "protocol", fhrp_names[v->proto]);
		json_ku64(j, "group", v->group);
		json_kstr(j, "interface", v->iface);
		json_kstr(j, "vrf", v->vrf);
		json_kloc(j, "source", &v->at);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "igps");
	json_arr(j);
	for (k = 0; k < s->nigps; k++) {
		json_obj(j);
		json_kstr(j, "protocol", s->igps[k].proto);
		json_kstr(j, "id", s->igps[k].id);
		json_kstr(j, "vrf", s->igps[k].vrf);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "listen_limit");
	if (ios)
		json_u64(j, s->listen_limit.v);
	else
		json_null(j);
	json_key(j, "maximum_paths");
	if (ios) {
		json_obj(j);
		json_ku64(j, "ebgp", s->maximum_paths.v);
		json_ku64(j, "ibgp", s->maximum_paths_ibgp.v);
		json_ku64(j, "eibgp", s->maximum_paths_eibgp.v);
		json_end_obj(j);
	} else {
		json_null(j);
	}
}

static void
json_session(struct json *j, const struct rr_speaker *s,
	     const struct rr_neighbor *n)
{
	char buf[RR_PREFIX_STRLEN];
	size_t k;
	uint32_t ttl = multihop_ttl(s, n);

	json_obj(j);
	json_kstr(j, "name", n->name);
	json_kstr(j, "peer", peer_text(n, buf));
	json_ku64(j, "port", n->port ? n->port : 179);
	json_key(j, "peer_as");
	if (n->remote_as.set)
		json_u64(j, n->remote_as.v);
	else
		json_null(j);
	json_ku64(j, "local_as", local_as(s, n));
	json_kbool(j, "rr_client", n->rr_client.set && n->rr_client.v);
	json_key(j, "rr_cluster_id");
	if (rr_nb_rare(n)->rr_cluster_id.set) {
		struct rr_addr a =
		        rr_addr_from_v4(rr_nb_rare(n)->rr_cluster_id.v);
		json_str(j, rr_addr_str(&a, buf));
	} else {
		json_null(j);
	}
	json_kbool(j, "passive", n->passive);
	json_kbool(j, "password", n->password.set && n->password.v);
	json_kstr(j, "family", session_family(n) == RR_AF_INET6 ? "ipv6" : "ipv4");
	json_kaddr(j, "source_address",
		   n->source_address.set ? &n->source_address.v : NULL);
	json_key(j, "ttl_security");
	if (n->ttl_security.set && n->ttl_security.v)
		json_u64(j, n->ttl_security.v);
	else
		json_null(j);
	json_key(j, "multihop");
	if (ttl)
		json_u64(j, ttl);
	else
		json_null(j);
	json_kstr(j, "next_hop", next_hop_text(n));
	json_kloc(j, "source", &n->loc);
	/* additions beyond the minimum of issue 3 */
	json_kstr(j, "scope", scope_names[n->scope]);
	json_kbool(j, "range", n->is_range);
	json_kstr(j, "remote_node", n->remote_node);
	json_kbool(j, "shutdown", n->shutdown.set && n->shutdown.v);
	json_key(j, "activated");
	json_arr(j);
	for (k = 0; k < RR_AFS_COUNT; k++)
		if (rr_nb_af(n, (int)k)->v)
			json_str(j, afs_names[k]);
	json_end_arr(j);
	json_key(j, "hold");
	if (n->hold.set)
		json_u64(j, n->hold.v);
	else
		json_null(j);
	json_key(j, "keepalive");
	if (n->keepalive.set)
		json_u64(j, n->keepalive.v);
	else
		json_null(j);
	json_kstr(j, "peer_group", n->peer_group);
	json_kstr(j, "bgppeer", n->bgppeer ? n->bgppeer->meta.name : NULL);
	json_ios_session(j, n);
	json_kaddr(j, "reachable_by",
	           rr_nb_rare(n)->reachable_by.set
	                   ? &rr_nb_rare(n)->reachable_by.v
	                   : NULL);
	json_key(j, "filters");
	json_arr(j);
	for (k = 0; k < n->nfilters; k++)
		json_str(j, n->filters[k]);
	json_end_arr(j);
	json_end_obj(j);
}

/* What a Calico node originates and why, its reachableBy routes and the
 * communities it adds on export. */
static void
json_calico_routes(struct json *j, const struct rr_speaker *s)
{
	char buf[RR_PREFIX_STRLEN];
	size_t k, v;

	json_key(j, "origins");
	json_arr(j);
	for (k = 0; k < s->noriginates; k++) {
		const struct rr_origin *o = &s->originates[k];
		json_obj(j);
		json_kstr(j, "prefix", rr_prefix_str(&o->p, buf));
		json_kstr(j, "kind", origin_kinds[o->kind]);
		json_kstr(j, "service", o->service);
		json_kbool(j, "local", o->local_policy);
		json_kbool(j, "assumed", o->assumed);
		json_kloc(j, "source", &o->at);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "static_routes");
	json_arr(j);
	for (k = 0; k < s->npeer_routes; k++) {
		const struct rr_peer_route *r = &s->peer_routes[k];
		json_obj(j);
		json_kstr(j, "prefix", rr_prefix_str(&r->p, buf));
		json_kaddr(j, "via", &r->via);
		json_kstr(j, "bgppeer", r->bgppeer->meta.name);
		{
			struct rr_prefix net;
			json_kbool(j, "installed",
				   az_reach_gateway_of(s, &r->via, &net) ==
					   AZ_REACH_OK);
		}
		json_kloc(j, "source", &r->at);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "communities");
	json_arr(j);
	for (k = 0; k < s->nadv_communities; k++) {
		const struct rr_community_rule *c = &s->adv_communities[k];
		json_obj(j);
		json_kstr(j, "prefix", c->cidr_text);
		json_key(j, "values");
		json_arr(j);
		for (v = 0; v < c->nvalues; v++)
			json_str(j, c->values[v]);
		json_end_arr(j);
		json_kloc(j, "source", &c->at);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void
json_speaker(struct json *j, const struct rr_speaker *s)
{
	char buf[RR_PREFIX_STRLEN];
	size_t k;

	json_obj(j);
	json_kstr(j, "name", s->name);
	json_kstr(j, "kind", kind_names[s->kind]);
	json_key(j, "asn");
	if (s->asn.set || s->kind == RR_SPK_CALICO)
		json_u64(j, s->asn.v);
	else
		json_null(j);
	json_kaddr(j, "router_id", s->router_id.set ? &s->router_id.v : NULL);
	json_key(j, "addresses");
	json_arr(j);
	for (k = 0; k < s->naddrs; k++)
		json_str(j, rr_prefix_str(&s->addrs[k].p, buf));
	json_end_arr(j);
	json_key(j, "cluster_id");
	if (s->cluster_id.set) {
		cluster_text(s, buf);
		json_str(j, buf);
	} else {
		json_null(j);
	}
	json_key(j, "originates");
	json_arr(j);
	for (k = 0; k < s->noriginates; k++)
		json_str(j, rr_prefix_str(&s->originates[k].p, buf));
	json_end_arr(j);
	json_key(j, "sessions");
	json_arr(j);
	for (k = 0; k < s->nneighbors; k++)
		json_session(j, s, &s->neighbors[k]);
	json_end_arr(j);
	json_kloc(j, "source", &s->loc);
	json_key(j, "hold");
	if (s->hold.set)
		json_u64(j, s->hold.v);
	else
		json_null(j);
	json_key(j, "keepalive");
	if (s->keepalive.set)
		json_u64(j, s->keepalive.v);
	else
		json_null(j);
	json_ios_speaker(j, s);
	if (s->kind == RR_SPK_CALICO)
		json_calico_routes(j, s);
	json_end_obj(j);
}

static void
json_diags(struct json *j, const struct rr_diags *d)
{
	size_t i, k;
	json_key(j, "diagnostics");
	json_arr(j);
	for (i = 0; i < d->n; i++) {
		const struct rr_diag *g = &d->v[i];
		json_obj(j);
		json_kstr(j, "severity", report_sev_name(g->sev));
		json_kstr(j, "rule", g->rule);
		json_kstr(j, "file", g->loc.file);
		json_key(j, "line");
		if (g->loc.line)
			json_u64(j, g->loc.line);
		else
			json_null(j);
		json_key(j, "col");
		if (g->loc.line)
			json_u64(j, g->loc.col ? g->loc.col : 1);
		else
			json_null(j);
		json_kstr(j, "message", g->msg);
		json_key(j, "notes");
		json_arr(j);
		for (k = 0; k < g->nnotes; k++) {
			json_obj(j);
			json_kstr(j, "file", g->notes[k].loc.file);
			json_key(j, "line");
			if (g->notes[k].loc.line)
				json_u64(j, g->notes[k].loc.line);
			else
				json_null(j);
			json_key(j, "col");
			if (g->notes[k].loc.line)
				json_u64(j, g->notes[k].loc.col ? g->notes[k].loc.col : 1);
			else
				json_null(j);
			json_kstr(j, "message", g->notes[k].msg);
			json_end_obj(j);
		}
		json_end_arr(j);
		json_end_obj(j);
	}
	json_end_arr(j);
}

/* ------------------------------------------------------------- text */

static void
text_sessions(struct strbuf *b, const struct rr_speaker *s)
{
	char peer[RR_PREFIX_STRLEN], src[RR_ADDR_STRLEN];
	size_t k;

	if (!s->nneighbors) {
		sb_puts(b, "  no sessions\n");
		return;
	}
	sb_printf(b, "  %-26s %-18s %5s %-10s %-10s %-9s %-7s %-8s %-15s %s\n",
		  s->kind == RR_SPK_CALICO ? "SESSION" : "NEIGHBOR", "PEER",
		  "PORT", "PEER-AS", "LOCAL-AS", "RR-CLIENT", "PASSIVE",
		  "PASSWORD", "SOURCE-ADDRESS", "FROM");
	for (k = 0; k < s->nneighbors; k++) {
		const struct rr_neighbor *n = &s->neighbors[k];
		char as[RR_ASN_STRLEN] = "-", las[RR_ASN_STRLEN], from[96] = "-";
		const char *name = n->name;
		if (!name)
			name = n->is_range ? "listen-range"
			       : n->peer_group ? n->peer_group
					       : "-";
		if (n->remote_as.set)
			rr_asn_str(n->remote_as.v, as);
		rr_asn_str(local_as(s, n), las);
		if (n->loc.line)
			snprintf(from, sizeof(from), "%s:%u", n->loc.file,
				 (unsigned)n->loc.line);
		sb_printf(b, "  %-26s %-18s %5u %-10s %-10s %-9s %-7s %-8s %-15s %s%s%s%s\n",
			  name, peer_text(n, peer), n->port ? n->port : 179u,
			  as, las,
			  n->rr_client.set && n->rr_client.v ? "yes" : "no",
			  n->passive ? "yes" : "no",
			  n->password.set && n->password.v ? "yes" : "no",
			  n->source_address.set
				  ? rr_addr_str(&n->source_address.v, src)
				  : "-",
			  from, n->shutdown.set && n->shutdown.v ? " (shutdown)" : "",
			  n->vrf ? " vrf " : "", n->vrf ? n->vrf : "");
	}
}

/* Lines only an IOS router with these features has. */
static void
text_ios_extra(struct strbuf *b, const struct rr_speaker *s)
{
	char buf[RR_PREFIX_STRLEN];
	size_t k;

	if (s->nvrf_addrs) {
		sb_puts(b, "  vrf addresses:");
		for (k = 0; k < s->nvrf_addrs; k++)
			sb_printf(b, " %s (vrf %s)",
				  rr_prefix_str(&s->vrf_addrs[k].p, buf),
				  s->vrf_addrs[k].vrf);
		sb_puts(b, "\n");
	}
	if (s->nvips) {
		sb_puts(b, "  virtual addresses (not the router's own):");
		for (k = 0; k < s->nvips; k++)
			sb_printf(b, " %s (%s %u on %s)",
				  rr_addr_str(&s->vips[k].addr, buf),
				  fhrp_names[s->vips[k].proto],
				  (unsigned)s->vips[k].group, s->vips[k].iface);
		sb_puts(b, "\n");
	}
	if (s->nigps) {
		sb_puts(b, "  IGPs (not modelled):");
		for (k = 0; k < s->nigps; k++)
			sb_printf(b, " %s%s%s%s%s", s->igps[k].proto,
				  s->igps[k].id ? " " : "",
				  s->igps[k].id ? s->igps[k].id : "",
				  s->igps[k].vrf ? " vrf " : "",
				  s->igps[k].vrf ? s->igps[k].vrf : "");
		sb_puts(b, "\n");
	}
}

static void
text_calico_routes(struct strbuf *b, const struct rr_speaker *s)
{
	char buf[RR_PREFIX_STRLEN], via[RR_ADDR_STRLEN];
	size_t k, v;

	sb_puts(b, "  originates:");
	for (k = 0; k < s->noriginates; k++) {
		const struct rr_origin *o = &s->originates[k];
		sb_printf(b, " %s", rr_prefix_str(&o->p, buf));
		if (o->assumed)
			sb_puts(b, " (assumed)");
		else if (o->kind == RR_ORIG_SVC_IP)
			sb_printf(b, " (Service %s%s)", o->service,
				  o->local_policy ? ", Local" : "");
		else if (o->kind != RR_ORIG_BLOCK)
			sb_printf(b, " (%s)", origin_kinds[o->kind]);
	}
	if (!s->noriginates)
		sb_puts(b, " nothing");
	sb_puts(b, "\n");
	if (s->npeer_routes) {
		sb_puts(b, "  static routes:");
		for (k = 0; k < s->npeer_routes; k++)
		{
			struct rr_prefix net;
			enum az_reach why = az_reach_gateway_of(
				s, &s->peer_routes[k].via, &net);
			sb_printf(b, " %s via %s (reachableBy of BGPPeer %s%s)",
				  rr_prefix_str(&s->peer_routes[k].p, buf),
				  rr_addr_str(&s->peer_routes[k].via, via),
				  s->peer_routes[k].bgppeer->meta.name,
				  why == AZ_REACH_OFF_SUBNET
				      ? "; not installed: the gateway is on "
					"none of the node's subnets"
				  : why == AZ_REACH_INVALID
				      ? "; not installed: not a gateway "
					"address BIRD takes"
				  : why == AZ_REACH_NET_BCAST
				      ? "; not installed: the subnet's "
					"network or broadcast address"
				      : "");
		}
		sb_puts(b, "\n");
	}
	for (k = 0; k < s->nadv_communities; k++) {
		const struct rr_community_rule *c = &s->adv_communities[k];
		if (!c->nvalues)
			continue;
		sb_printf(b, "  communities: %s ->", c->cidr_text);
		for (v = 0; v < c->nvalues; v++)
			sb_printf(b, " %s", c->values[v]);
		sb_puts(b, "\n");
	}
}

static void
text_speaker(struct strbuf *b, const struct rr_speaker *s)
{
	char buf[RR_PREFIX_STRLEN], as[RR_ASN_STRLEN];
	size_t k;

	sb_printf(b, "%s %s", kind_names[s->kind], s->name);
	if (s->loc.line)
		sb_printf(b, "  (%s:%u)", s->loc.file, (unsigned)s->loc.line);
	else if (s->file)
		sb_printf(b, "  (%s)", s->file);
	sb_puts(b, "\n");
	sb_printf(b, "  AS %s", s->asn.set || s->kind == RR_SPK_CALICO
					? rr_asn_str(s->asn.v, as)
					: "-");
	sb_printf(b, ", router id %s",
		  s->router_id.set ? rr_addr_str(&s->router_id.v, buf) : "-");
	if (s->cluster_id.set) {
		cluster_text(s, buf);
		sb_printf(b, ", cluster id %s", buf);
	}
	if (s->hold.set)
		sb_printf(b, ", timers %u/%u", (unsigned)s->keepalive.v,
			  (unsigned)s->hold.v);
	sb_puts(b, "\n  addresses:");
	for (k = 0; k < s->naddrs; k++)
		sb_printf(b, " %s", rr_prefix_str(&s->addrs[k].p, buf));
	if (!s->naddrs)
		sb_puts(b, " none");
	if (s->addrs_inferred)
		sb_puts(b, " (inferred)");
	sb_puts(b, "\n");
	text_ios_extra(b, s);
	if (s->kind == RR_SPK_CALICO)
		text_calico_routes(b, s);
	text_sessions(b, s);
}

static void
show_usage(FILE *f)
{
	opts_usage(f, opts_command("show"));
}

int
cmd_show(int argc, char **argv)
{
	const char *node = NULL, *format = "text";
	struct load l;
	struct strbuf out;
	struct report_opts ro = { false, true, RR_SEV_NOTE };
	struct opts o;
	int c, rc = EXIT_CLEAN;
	size_t i, shown = 0;

	load_init(&l);
	opts_init(&o, opts_command("show"), argc, argv);
	while ((c = opts_next(&o)) != OPTS_DONE) {
		switch (c) {
		case 'n':
			node = o.arg;
			break;
		case 'f':
			format = o.arg;
			break;
		case 'a':
			if (load_add_address(&l, o.arg) < 0)
				goto usage;
			break;
		case 'b':
			l.ropts.assume_blocks = true;
			break;
		default: /* OPTS_EXIT: --help, or a usage error said */
			opts_release(&o);
			load_release(&l);
			return o.status;
		}
	}
	opts_release(&o);
	ro.color = cli_color(stderr);
	if (strcmp(format, "text") && strcmp(format, "json")) {
		cli_error("show: unknown format '%s' (text or json)", format);
		goto usage;
	}
	if (o.optind >= argc) {
		cli_error("show: no input files");
		goto usage;
	}
	if (load_paths(&l, argv + o.optind, (size_t)(argc - o.optind)) < 0) {
		report_text(stderr, &l.diags, &ro);
		load_release(&l);
		return EXIT_USAGE;
	}
	if (node && !rr_model_find_speaker(l.m, node)) {
		cli_error("show: no speaker named '%s' in the inputs", node);
		report_text(stderr, &l.diags, &ro);
		load_release(&l);
		return EXIT_USAGE;
	}
	report_text(stderr, &l.diags, &ro);
	if (load_invalid(&l)) {
		/* a value Calico would reject: the model is not what the
		 * systems would run (lint reports these as findings) */
		cli_error("show: the inputs have errors (above)");
		load_release(&l);
		return EXIT_USAGE;
	}
	sb_init(&out);
	if (!strcmp(format, "json")) {
		struct json j;
		json_init(&j, &out, true);
		json_obj(&j);
		json_key(&j, "speakers");
		json_arr(&j);
		for (i = 0; i < l.m->nspeakers; i++)
			if (!node || !strcmp(l.m->speakers[i]->name, node))
				json_speaker(&j, l.m->speakers[i]);
		json_end_arr(&j);
		json_diags(&j, &l.diags);
		json_end_obj(&j);
	} else {
		for (i = 0; i < l.m->nspeakers; i++) {
			if (node && strcmp(l.m->speakers[i]->name, node))
				continue;
			if (shown++)
				sb_puts(&out, "\n");
			text_speaker(&out, l.m->speakers[i]);
		}
	}
	/* lines IOS refuses are left out of the model, as the router
	 * leaves them out; the exit status still reports them */
	if (load_ios_errors(&l))
		rc = EXIT_FINDINGS;
	if (out.n && cli_write_file("-", out.p, out.n) < 0)
		rc = EXIT_USAGE;
	sb_release(&out);
	load_release(&l);
	return rc;
usage:
	show_usage(stderr);
	load_release(&l);
	return EXIT_USAGE;
}
