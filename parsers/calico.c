/*
 * Calico / Kubernetes YAML -> m->calico (Calico's projectcalico.org/v3 API
 * and its CRD form crd.projectcalico.org/v1, libcalico-go validator).
 *
 * Documents come from calico_yaml.c as a bounded tree; each resource is
 * dispatched by apiVersion and kind, its metadata read, and its spec walked
 * against the field table of its kind (calico_fields.c holds the generic
 * handlers).  Lists (typed *List, v1 List, a top-level sequence) are
 * flattened.  A later resource of the same kind and name replaces an
 * earlier one, as `calicoctl apply` in order would.
 */
#include "parsers/calico_fields.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define API_V3  "projectcalico.org/v3"
#define API_CRD "crd.projectcalico.org/v1"

const char *const cal_kind_names[K_COUNT] = {
        "BGPConfiguration", "BGPPeer",   "Node",    "IPPool",
        "BlockAffinity",    "BGPFilter", "Secret",  "Service",
        "EndpointSlice",
};

/* ------------------------------------------------------------- tables */

static const char *const log_levels[] = {"Trace", "Debug", "Info", "Warning",
                                         "Error", "Fatal", "",     NULL};
static const char *const enabled_disabled[] = {"Enabled", "Disabled", NULL};
static const char *const bind_modes[] = {"None", "NodeIP", NULL};
static const char *const cluster_routes[] = {
        "Enabled", "Disabled", "EnabledIPIPOnly", "EnabledNoEncapOnly", NULL};
static const char *const source_addrs[] = {"UseNodeIP", "None", NULL};
static const char *const reverse_modes[] = {"Auto", "Manual", NULL};
static const char *const encap_modes[] = {"Never", "Always", "CrossSubnet",
                                          NULL};
static const char *const assign_modes[] = {"Automatic", "Manual", NULL};
static const char *const aff_states[] = {"confirmed", "pending",
                                         "pendingDeletion", "", NULL};
static const char *const actions[] = {"Accept", "Reject", NULL};
static const char *const match_ops[] = {"Equal", "NotEqual", "In", "NotIn",
                                        NULL};
static const char *const sources[] = {"RemotePeers", NULL};
static const char *const peer_types[] = {"eBGP", "iBGP", NULL};

static void communities_fn(struct cal_ctx *c, const struct cal_field *f,
                           const struct yn *v, void *base);
static void prefix_adv_fn(struct cal_ctx *c, const struct cal_field *f,
                          const struct yn *v, void *base);
static void node_bgp_fn(struct cal_ctx *c, const struct cal_field *f,
                        const struct yn *v, void *base);
static void filter_rules_fn(struct cal_ctx *c, const struct cal_field *f,
                            const struct yn *v, void *base);
static void prefix_len_fn(struct cal_ctx *c, const struct cal_field *f,
                          const struct yn *v, void *base);
static void rule_cidr_fn(struct cal_ctx *c, const struct cal_field *f,
                         const struct yn *v, void *base);
static void rule_communities_fn(struct cal_ctx *c, const struct cal_field *f,
                                const struct yn *v, void *base);
static void rule_aspath_fn(struct cal_ctx *c, const struct cal_field *f,
                           const struct yn *v, void *base);
static void rule_ops_fn(struct cal_ctx *c, const struct cal_field *f,
                        const struct yn *v, void *base);
static void peer_filters_fn(struct cal_ctx *c, const struct cal_field *f,
                            const struct yn *v, void *base);
static void node_wireguard_fn(struct cal_ctx *c, const struct cal_field *f,
                              const struct yn *v, void *base);

#define C(T, f) offsetof(struct T, f)

/* clang-format off */

static const struct cal_field bgpconfig_tab[] = {
	{ "logSeverityScreen", CF_ENUM_CI, C(rr_bgpconfig, log_severity_screen), 0, log_levels, 0, 0, NULL },
	{ "nodeToNodeMeshEnabled", CF_BOOL, C(rr_bgpconfig, node_to_node_mesh_enabled), 0, NULL, 0, 0, NULL },
	{ "asNumber", CF_ASN, C(rr_bgpconfig, as_number), 0, NULL, 0, 0, NULL },
	{ "serviceClusterIPs", CF_CIDRLIST, C(rr_bgpconfig, service_cluster_ips), C(rr_bgpconfig, nservice_cluster_ips), NULL, 0, 0, NULL },
	{ "serviceExternalIPs", CF_CIDRLIST, C(rr_bgpconfig, service_external_ips), C(rr_bgpconfig, nservice_external_ips), NULL, 0, 0, NULL },
	{ "serviceLoadBalancerIPs", CF_CIDRLIST, C(rr_bgpconfig, service_lb_ips), C(rr_bgpconfig, nservice_lb_ips), NULL, 0, 0, NULL },
	{ "serviceLoadBalancerAggregation", CF_ENUM, C(rr_bgpconfig, service_lb_aggregation), 0, enabled_disabled, 0, 0, NULL },
	{ "communities", CF_CUSTOM, 0, 0, NULL, 0, 0, communities_fn },
	{ "prefixAdvertisements", CF_CUSTOM, 0, 0, NULL, 0, 0, prefix_adv_fn },
	{ "listenPort", CF_U32, C(rr_bgpconfig, listen_port), 0, NULL, 1, 65535, NULL },
	{ "nodeMeshPassword", CF_SECRETREF, C(rr_bgpconfig, node_mesh_password), 0, NULL, 0, 0, NULL },
	{ "nodeMeshMaxRestartTime", CF_DURATION, C(rr_bgpconfig, node_mesh_max_restart_time), 0, NULL, 0, 0, NULL },
	{ "bindMode", CF_ENUM, C(rr_bgpconfig, bind_mode), 0, bind_modes, 0, 0, NULL },
	{ "ignoredInterfaces", CF_STRLIST, C(rr_bgpconfig, ignored_interfaces), C(rr_bgpconfig, nignored_interfaces), NULL, 0, 0, NULL },
	{ "localWorkloadPeeringIPV4", CF_ADDR, C(rr_bgpconfig, local_workload_peering_ipv4), 0, NULL, 4, 0, NULL },
	{ "localWorkloadPeeringIPV6", CF_ADDR, C(rr_bgpconfig, local_workload_peering_ipv6), 0, NULL, 6, 0, NULL },
	{ "programClusterRoutes", CF_ENUM, C(rr_bgpconfig, program_cluster_routes), 0, cluster_routes, 0, 0, NULL },
	{ "ipv4NormalRoutePriority", CF_U32, C(rr_bgpconfig, ipv4_normal_route_priority), 0, NULL, 1, 2147483646, NULL },
	{ "ipv6NormalRoutePriority", CF_U32, C(rr_bgpconfig, ipv6_normal_route_priority), 0, NULL, 1, 2147483646, NULL },
	{ NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
};

static const struct cal_field bgppeer_tab[] = {
	{ "node", CF_STR, C(rr_bgppeer, node), 0, NULL, 0, 0, NULL },
	{ "nodeSelector", CF_SELECTOR, C(rr_bgppeer, node_selector_text), C(rr_bgppeer, node_selector), "peer", 0, 0, NULL },
	{ "peerIP", CF_PEERIP, C(rr_bgppeer, peer_ip_text), 0, NULL, 0, 0, NULL },
	{ "peerSelector", CF_SELECTOR, C(rr_bgppeer, peer_selector_text), C(rr_bgppeer, peer_selector), "peer", 0, 0, NULL },
	{ "asNumber", CF_ASN, C(rr_bgppeer, as_number), 0, NULL, 0, 0, NULL },
	{ "localASNumber", CF_ASN, C(rr_bgppeer, local_as_number), 0, NULL, 0, 0, NULL },
	{ "keepOriginalNextHop", CF_BOOL, C(rr_bgppeer, keep_original_next_hop), 0, NULL, 0, 0, NULL },
	{ "nextHopMode", CF_NEXTHOP, C(rr_bgppeer, next_hop_mode_text), C(rr_bgppeer, next_hop_mode), NULL, 0, 0, NULL },
	{ "password", CF_SECRETREF, C(rr_bgppeer, password), 0, NULL, 0, 0, NULL },
	{ "sourceAddress", CF_ENUM, C(rr_bgppeer, source_address), 0, source_addrs, 0, 0, NULL },
	{ "maxRestartTime", CF_DURATION, C(rr_bgppeer, max_restart_time), 0, NULL, 0, 0, NULL },
	{ "keepaliveTime", CF_DURATION, C(rr_bgppeer, keepalive_time), 0, NULL, 0, 0, NULL },
	{ "numAllowedLocalASNumbers", CF_U32, C(rr_bgppeer, num_allowed_local_as_numbers), 0, NULL, 0, 2147483647, NULL },
	{ "ttlSecurity", CF_U32, C(rr_bgppeer, ttl_security), 0, NULL, 0, 255, NULL },
	{ "reachableBy", CF_ADDR, C(rr_bgppeer, reachable_by), 0, NULL, 0, 0, NULL },
	{ "filters", CF_CUSTOM, 0, 0, NULL, 0, 0, peer_filters_fn },
	{ "localWorkloadSelector", CF_SELECTOR, C(rr_bgppeer, local_workload_selector_text), C(rr_bgppeer, local_workload_selector), "peer", 0, 0, NULL },
	{ "reversePeering", CF_ENUM, C(rr_bgppeer, reverse_peering), 0, reverse_modes, 0, 0, NULL },
	{ NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
};

static const struct cal_field node_bgp_tab[] = {
	{ "ipv4Address", CF_NODEADDR, C(rr_node, ipv4_address_text), C(rr_node, ipv4_address), NULL, 4, 0, NULL },
	{ "ipv6Address", CF_NODEADDR, C(rr_node, ipv6_address_text), C(rr_node, ipv6_address), NULL, 6, 0, NULL },
	{ "asNumber", CF_ASN, C(rr_node, as_number), 0, NULL, 0, 0, NULL },
	{ "routeReflectorClusterID", CF_CLUSTERID, C(rr_node, route_reflector_cluster_id_text), C(rr_node, route_reflector_cluster_id), NULL, 0, 0, NULL },
	{ "ipv4IPIPTunnelAddr", CF_ADDR, C(rr_node, ipv4_ipip_tunnel_addr), 0, NULL, 4, 0, NULL },
	{ NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
};

static const struct cal_field node_tab[] = {
	{ "bgp", CF_SUB, 0, 0, NULL, 0, 0, node_bgp_fn },
	{ "ipv4VXLANTunnelAddr", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ "ipv6VXLANTunnelAddr", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ "vxlanTunnelMACAddr", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ "vxlanTunnelMACAddrV6", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ "wireguard", CF_SUB, 0, 0, NULL, 0, 0, node_wireguard_fn },
	{ "addresses", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ "orchRefs", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ "interfaces", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
};

static const struct cal_field ippool_tab[] = {
	{ "cidr", CF_POOLCIDR, C(rr_ippool, cidr_text), C(rr_ippool, cidr), NULL, 0, 0, NULL },
	{ "blockSize", CF_U32, C(rr_ippool, block_size), 0, NULL, 0, 128, NULL },
	{ "ipipMode", CF_ENUM, C(rr_ippool, ipip_mode), 0, encap_modes, 0, 0, NULL },
	{ "vxlanMode", CF_ENUM, C(rr_ippool, vxlan_mode), 0, encap_modes, 0, 0, NULL },
	{ "natOutgoing", CF_BOOL, C(rr_ippool, nat_outgoing), 0, NULL, 0, 0, NULL },
	{ "disabled", CF_BOOL, C(rr_ippool, disabled), 0, NULL, 0, 0, NULL },
	{ "disableBGPExport", CF_BOOL, C(rr_ippool, disable_bgp_export), 0, NULL, 0, 0, NULL },
	{ "nodeSelector", CF_SELECTOR, C(rr_ippool, node_selector_text), C(rr_ippool, node_selector), NULL, 0, 0, NULL },
	{ "namespaceSelector", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ "allowedUses", CF_STRLIST, C(rr_ippool, allowed_uses), C(rr_ippool, nallowed_uses), NULL, 0, 0, NULL },
	{ "assignmentMode", CF_IGNORE, 0, 0, assign_modes, 0, 0, NULL },
	/* deprecated v3 fields calicoctl still accepts */
	{ "ipip", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ "nat-outgoing", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
};

static const struct cal_field affinity_tab[] = {
	{ "node", CF_STR, C(rr_block_affinity, node), 0, NULL, 0, 0, NULL },
	{ "cidr", CF_PREFIX, C(rr_block_affinity, cidr), C(rr_block_affinity, cidr_at), NULL, 0, 0, NULL },
	{ "state", CF_ENUM, C(rr_block_affinity, state), 0, aff_states, 0, 0, NULL },
	{ "deleted", CF_BOOLSTR, C(rr_block_affinity, deleted), 0, NULL, 0, 0, NULL },
	{ "type", CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
	{ NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
};

static const struct cal_field filter_tab[] = {
	{ "exportV4", CF_CUSTOM, 0, 0, NULL, 0, 0, filter_rules_fn },
	{ "importV4", CF_CUSTOM, 1, 0, NULL, 0, 0, filter_rules_fn },
	{ "exportV6", CF_CUSTOM, 2, 0, NULL, 0, 0, filter_rules_fn },
	{ "importV6", CF_CUSTOM, 3, 0, NULL, 0, 0, filter_rules_fn },
	{ NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
};

static const struct cal_field rule_tab[] = {
	{ "action", CF_RAWSTR, C(rr_bgpfilter_rule, action), 0, actions, 0, 0, NULL },
	{ "cidr", CF_CUSTOM, 0, 0, NULL, 0, 0, rule_cidr_fn },
	{ "matchOperator", CF_RAWSTR, C(rr_bgpfilter_rule, match_operator), 0, match_ops, 0, 0, NULL },
	{ "source", CF_RAWSTR, C(rr_bgpfilter_rule, source), 0, sources, 0, 0, NULL },
	{ "interface", CF_RAWSTR, C(rr_bgpfilter_rule, interface), 0, NULL, 0, 0, NULL },
	{ "peerType", CF_RAWSTR, C(rr_bgpfilter_rule, peer_type), 0, peer_types, 0, 0, NULL },
	{ "prefixLength", CF_CUSTOM, 0, 0, NULL, 0, 0, prefix_len_fn },
	{ "communities", CF_CUSTOM, 0, 0, NULL, 0, 0, rule_communities_fn },
	{ "asPathPrefix", CF_CUSTOM, 0, 0, NULL, 0, 0, rule_aspath_fn },
	{ "priority", CF_U32, C(rr_bgpfilter_rule, priority), 0, NULL, 1, 2147483646, NULL },
	{ "operations", CF_CUSTOM, 0, 0, NULL, 0, 0, rule_ops_fn },
	{ NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL },
};

/* clang-format on */

/* ---------------------------------------------------- custom handlers */

static const struct yn *
map_get(const struct yn *map, const char *key)
{
	size_t i;
	if (!map || map->type != YN_MAP)
		return NULL;
	for (i = 0; i + 1 < map->n; i += 2)
		if (map->kids[i]->type == YN_SCALAR &&
		    map->kids[i]->val[0] == key[0] &&
		    !strcmp(map->kids[i]->val, key))
			return map->kids[i + 1];
	return NULL;
}

const struct yn *
cal_map_get(const struct yn *map, const char *key)
{
	return map_get(map, key);
}

static void
communities_fn(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
               void *base)
{
	struct rr_bgpconfig *bc = base;
	size_t i;

	if (!cal_want(c, v, YN_SEQ, f->key))
		return;
	for (i = 0; i < v->n; i++) {
		const struct yn *it = v->kids[i], *nm, *val;
		struct rr_community_def *e;
		if (!cal_want(c, it, YN_MAP, f->key))
			continue;
		nm = map_get(it, "name");
		val = map_get(it, "value");
		e = RR_PUSH(&c->m->arena, bc->communities, bc->ncommunities,
		            bc->cap4);
		e->name =
		        nm && !cal_is_null(nm) ? cal_str(c, nm, "name") : NULL;
		e->value = val && !cal_is_null(val) ? cal_str(c, val, "value")
		                                    : NULL;
		e->at = cal_loc(c, it);
	}
}

static void
prefix_adv_fn(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
              void *base)
{
	struct rr_bgpconfig *bc = base;
	size_t i, j;

	if (!cal_want(c, v, YN_SEQ, f->key))
		return;
	for (i = 0; i < v->n; i++) {
		const struct yn *it = v->kids[i], *cv, *cl;
		struct rr_prefix_adv *e;
		if (!cal_want(c, it, YN_MAP, f->key))
			continue;
		e = RR_PUSH(&c->m->arena, bc->prefix_advertisements,
		            bc->nprefix_advertisements, bc->cap5);
		e->at = cal_loc(c, it);
		cv = map_get(it, "cidr");
		if (cv && !cal_is_null(cv) &&
		    cal_want(c, cv, YN_SCALAR, "cidr")) {
			e->cidr_text = rr_arena_strdup(&c->m->arena, cv->val);
			if (rr_prefix_parse(cv->val, &e->cidr, true))
				cal_invalid(c, cv, "invalid CIDR '%s' in '%s'",
				            cv->val, f->key);
		}
		cl = map_get(it, "communities");
		if (cl && !cal_is_null(cl) &&
		    cal_want(c, cl, YN_SEQ, "communities"))
			for (j = 0; j < cl->n; j++) {
				const char *s =
				        cal_str(c, cl->kids[j], "communities");
				if (s)
					*(const char **)RR_PUSH(
					        &c->m->arena, e->communities,
					        e->ncommunities, e->capc) = s;
			}
	}
}

static void
node_bgp_fn(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
            void *base)
{
	struct rr_node *n = base;
	(void)f;
	if (cal_is_null(v))
		return;
	n->has_bgp = true;
	cal_walk(c, v, node_bgp_tab, n, "spec.bgp");
}

/* prefixLength.min / max: 0..128 (the rule's family narrows it to 32 for
 * IPv4: validation's job); -1 when absent or unusable. */
static int32_t
prefix_bound(struct cal_ctx *c, const struct yn *v, const char *key)
{
	if (!v || cal_is_null(v))
		return -1;
	if (v->type != YN_SCALAR || v->style != YN_PLAIN || !v->len ||
	    v->len > 3 || strspn(v->val, "0123456789") != v->len ||
	    atoi(v->val) > 128) {
		cal_invalid(c, v, "'prefixLength.%s' must be a number from 0 "
		                  "to 128",
		            key);
		return -1;
	}
	return (int32_t)atoi(v->val);
}

static void
prefix_len_fn(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
              void *base)
{
	struct rr_bgpfilter_rule *r = base;
	const struct yn *mn = map_get(v, "min"), *mx = map_get(v, "max");
	(void)f;
	if (!cal_want(c, v, YN_MAP, "prefixLength"))
		return;
	r->prefix_length = true;
	r->prefix_min = prefix_bound(c, mn, "min");
	r->prefix_max = prefix_bound(c, mx, "max");
}

/* A community value as BGPFilter and prefixAdvertisements write it:
 * "aa:nn" (16-bit parts) or "aa:nn:mm" (32-bit parts). */
static bool
community_ok(const char *s)
{
	unsigned long long x;
	int parts = 0;
	char *e;
	for (;;) {
		if (*s < '0' || *s > '9')
			return false;
		x = strtoull(s, &e, 10);
		parts++;
		if (x > 4294967295ull)
			return false;
		if (*e != ':')
			break;
		s = e + 1;
	}
	return !*e && (parts == 3 || parts == 2);
}

static bool
community_16bit(const char *s)
{
	const char *colon = strchr(s, ':');
	return colon && !strchr(colon + 1, ':') &&
	       strtoull(s, NULL, 10) <= 65535 &&
	       strtoull(colon + 1, NULL, 10) <= 65535;
}

static void
rule_cidr_fn(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
             void *base)
{
	struct rr_bgpfilter_rule *r = base;
	int rc;
	if (!(r->cidr = cal_str(c, v, f->key)))
		return;
	rc = rr_prefix_parse(r->cidr, &r->cidr_p, true);
	if (rc) {
		cal_invalid(c, v, "'cidr: %s' is not a %s", r->cidr,
		            rc == -2 ? "strictly masked CIDR" : "valid CIDR");
		memset(&r->cidr_p, 0, sizeof(r->cidr_p));
	}
}

/* communities: {values: ["aa:nn"]} -- exactly one value. */
static void
rule_communities_fn(struct cal_ctx *c, const struct cal_field *f,
                    const struct yn *v, void *base)
{
	struct rr_bgpfilter_rule *r = base;
	const struct yn *vals;
	size_t i;
	if (!cal_want(c, v, YN_MAP, f->key))
		return;
	for (i = 0; i + 1 < v->n; i += 2)
		if (v->kids[i]->type == YN_SCALAR &&
		    strcmp(v->kids[i]->val, "values"))
			cal_warn(c, v->kids[i],
			         "unknown field '%s' in 'communities' skipped",
			         v->kids[i]->val);
	vals = map_get(v, "values");
	if (!vals || cal_is_null(vals) || !cal_want(c, vals, YN_SEQ, "values"))
		return;
	if (vals->n != 1) {
		cal_invalid(c, vals,
		            "'communities.values' must hold exactly one "
		            "value, not %zu",
		            vals->n);
		if (!vals->n)
			return;
	}
	r->community = cal_str(c, vals->kids[0], "values");
	if (r->community && !community_ok(r->community))
		cal_invalid(c, vals->kids[0],
		            "'%s' is not a community (aa:nn or aa:nn:mm)",
		            r->community);
	else if (r->community && !strchr(strchr(r->community, ':') + 1, ':') &&
	         !community_16bit(r->community))
		cal_invalid(c, vals->kids[0],
		            "community '%s': each part of aa:nn is 16 bits",
		            r->community);
}

static void
push_asn(struct cal_ctx *c, const struct yn *v, const char *key,
         uint32_t **vec, size_t *n, size_t *cap)
{
	uint32_t x;
	if (cal_asn(c, v, key, &x) == 0)
		*(uint32_t *)rr_arena_push(&c->m->arena, (void **)vec, n, cap,
		                           sizeof(uint32_t)) = x;
}

static void
rule_aspath_fn(struct cal_ctx *c, const struct cal_field *f,
               const struct yn *v, void *base)
{
	struct rr_bgpfilter_rule *r = base;
	size_t i;
	if (!cal_want(c, v, YN_SEQ, f->key))
		return;
	for (i = 0; i < v->n; i++)
		push_asn(c, v->kids[i], f->key, &r->as_path_prefix,
		         &r->nas_path_prefix, &r->capasp);
}

/* One operation: exactly one of addCommunity {value}, prependASPath
 * {prefix: [asn...]}, setPriority {value}. */
static void
rule_op(struct cal_ctx *c, const struct yn *it, struct rr_bgpfilter_rule *r)
{
	struct rr_bgpfilter_op *op;
	const struct yn *k, *x, *val;
	size_t i;

	if (!cal_want(c, it, YN_MAP, "operations"))
		return;
	if (it->n != 2) {
		cal_invalid(c, it,
		            "an operation has exactly one of addCommunity, "
		            "prependASPath, setPriority");
		if (it->n < 2)
			return;
	}
	k = it->kids[0];
	x = it->kids[1];
	op = RR_PUSH(&c->m->arena, r->ops, r->nops, r->capops);
	op->at = cal_loc(c, k);
	if (k->type != YN_SCALAR || !cal_want(c, x, YN_MAP, k->val ? k->val : "operations")) {
		r->nops--;
		return;
	}
	if (!strcmp(k->val, "addCommunity")) {
		op->kind = RR_BFOP_ADD_COMMUNITY;
		val = map_get(x, "value");
		if (val && !cal_is_null(val))
			op->community = cal_str(c, val, "value");
		if (!op->community || !community_ok(op->community)) {
			cal_invalid(c, val ? val : x,
			            "'addCommunity.value' must be a community "
			            "(aa:nn or aa:nn:mm)");
			r->nops--;
		}
	} else if (!strcmp(k->val, "prependASPath")) {
		op->kind = RR_BFOP_PREPEND_AS_PATH;
		val = map_get(x, "prefix");
		if (val && !cal_is_null(val) &&
		    cal_want(c, val, YN_SEQ, "prefix"))
			for (i = 0; i < val->n; i++)
				push_asn(c, val->kids[i], "prefix", &op->asns,
				         &op->nasns, &op->capasns);
		if (!op->nasns) {
			cal_invalid(c, x, "'prependASPath.prefix' must list "
			                  "1 to 10 AS numbers");
			r->nops--;
		}
	} else if (!strcmp(k->val, "setPriority")) {
		uint64_t p;
		op->kind = RR_BFOP_SET_PRIORITY;
		val = map_get(x, "value");
		if (!val || val->type != YN_SCALAR || val->style != YN_PLAIN ||
		    !val->val[0] || strspn(val->val, "0123456789") != val->len ||
		    val->len > 10 || (p = strtoull(val->val, NULL, 10)) < 1 ||
		    p > 2147483646) {
			cal_invalid(c, val ? val : x,
			            "'setPriority.value' must be a number from "
			            "1 to 2147483646");
			r->nops--;
			return;
		}
		op->priority = (uint32_t)p;
	} else {
		cal_invalid(c, k, "unknown operation '%s' (addCommunity, "
		                  "prependASPath or setPriority)",
		            k->val);
		r->nops--;
	}
}

static void
rule_ops_fn(struct cal_ctx *c, const struct cal_field *f, const struct yn *v,
            void *base)
{
	size_t i;
	if (!cal_want(c, v, YN_SEQ, f->key))
		return;
	for (i = 0; i < v->n; i++)
		rule_op(c, v->kids[i], base);
}

/* filters: BGPFilter names, each with where it is written. */
static void
peer_filters_fn(struct cal_ctx *c, const struct cal_field *f,
                const struct yn *v, void *base)
{
	struct rr_bgppeer *bp = base;
	size_t i, n = 0, cap = 0;
	if (!cal_want(c, v, YN_SEQ, f->key))
		return;
	/* a repeated key replaces the list */
	bp->filters = NULL;
	bp->nfilters = 0;
	bp->filters_at = rr_arena_calloc(&c->m->arena, v->n ? v->n : 1,
	                                  sizeof(*bp->filters_at));
	for (i = 0; i < v->n; i++) {
		const char *s = cal_str(c, v->kids[i], f->key);
		if (!s)
			continue;
		bp->filters_at[bp->nfilters] = cal_loc(c, v->kids[i]);
		*(const char **)rr_arena_push(&c->m->arena,
		                              (void **)&bp->filters, &n, &cap,
		                              sizeof(char *)) = s;
		bp->nfilters = n;
	}
}

static void
node_wireguard_fn(struct cal_ctx *c, const struct cal_field *f,
                  const struct yn *v, void *base)
{
	static const struct cal_field wg_tab[] = {
	        {"interfaceIPv4Address", CF_ADDR,
	         offsetof(struct rr_node, wireguard_ipv4), 0, NULL, 4, 0, NULL},
	        {"interfaceIPv6Address", CF_ADDR,
	         offsetof(struct rr_node, wireguard_ipv6), 0, NULL, 6, 0, NULL},
	        {NULL, CF_IGNORE, 0, 0, NULL, 0, 0, NULL},
	};
	(void)f;
	if (!cal_is_null(v))
		cal_walk(c, v, wg_tab, base, "spec.wireguard");
}

static void
filter_rules_fn(struct cal_ctx *c, const struct cal_field *f,
                const struct yn *v, void *base)
{
	struct rr_bgpfilter *bf = base;
	size_t which = f->off, i;

	if (!cal_want(c, v, YN_SEQ, f->key))
		return;
	for (i = 0; i < v->n; i++) {
		struct rr_bgpfilter_rule *r =
		        RR_PUSH(&c->m->arena, bf->rules[which],
		                bf->nrules[which], bf->caprules[which]);
		r->prefix_min = r->prefix_max = -1;
		r->at = cal_loc(c, v->kids[i]);
		cal_walk(c, v->kids[i], rule_tab, r, f->key);
		if (!r->action)
			cal_invalid(c, v->kids[i],
			            "BGPFilter rule without 'action'");
	}
}

/* ------------------------------------------------------------ metadata */

static void
read_labels(struct cal_ctx *c, const struct yn *v, struct rr_labels *l,
            const char *where)
{
	size_t i;

	if (cal_is_null(v) || !cal_want(c, v, YN_MAP, where))
		return;
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct yn *k = v->kids[i], *x = v->kids[i + 1];
		const char *s;
		struct rr_loc at = cal_loc(c, x);
		if (k->type != YN_SCALAR) {
			cal_warn(c, k, "non-scalar key in '%s' skipped", where);
			continue;
		}
		s = cal_is_null(x) ? "" : cal_str(c, x, k->val);
		if (s)
			rr_labels_set(&c->m->arena, l, k->val, s, &at);
	}
}

/* Keys of Kubernetes ObjectMeta we accept and ignore. */
static const char *const meta_ignored[] = {"resourceVersion",
                                           "uid",
                                           "creationTimestamp",
                                           "generation",
                                           "managedFields",
                                           "ownerReferences",
                                           "finalizers",
                                           "generateName",
                                           "deletionTimestamp",
                                           "selfLink",
                                           "deletionGracePeriodSeconds",
                                           "namespace",
                                           "annotations",
                                           NULL};

static bool
read_meta(struct cal_ctx *c, const struct yn *doc, const struct yn *md,
          const char *api, struct rr_meta *meta)
{
	size_t i, k;

	meta->api = rr_arena_strdup(&c->m->arena, api);
	meta->loc = cal_loc(c, doc);
	if (!md || cal_is_null(md)) {
		cal_invalid(c, doc, "resource without 'metadata.name'");
		return false;
	}
	if (!cal_want(c, md, YN_MAP, "metadata"))
		return false;
	for (i = 0; i + 1 < md->n; i += 2) {
		const struct yn *key = md->kids[i], *v = md->kids[i + 1];
		if (key->type != YN_SCALAR)
			continue;
		if (!strcmp(key->val, "name")) {
			meta->name = cal_str(c, v, "name");
			meta->name_at = cal_loc(c, v);
		} else if (!strcmp(key->val, "labels")) {
			read_labels(c, v, &meta->labels, "metadata.labels");
		} else {
			for (k = 0; meta_ignored[k]; k++)
				if (!strcmp(key->val, meta_ignored[k]))
					break;
			if (!meta_ignored[k])
				cal_warn(c, key,
				         "unknown field '%s' in 'metadata' "
				         "skipped",
				         key->val);
		}
	}
	if (!meta->name || !*meta->name) {
		cal_invalid(c, md, "resource without 'metadata.name'");
		return false;
	}
	return true;
}

/* ------------------------------------------------- Kubernetes Node/Secret */

/* `projectcalico.org/labels`: a JSON object of strings (JSON is YAML). */
static void
json_labels(struct cal_ctx *c, const struct yn *v, struct rr_labels *l)
{
	yaml_parser_t p;
	yaml_event_t e;
	int state = 0; /* 0 before map, 1 key, 2 value, 3 done */
	char *key = NULL;
	bool bad = false;
	struct rr_loc at = cal_loc(c, v);

	if (!yaml_parser_initialize(&p))
		rr_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)v->val, v->len);
	for (;;) {
		if (!yaml_parser_parse(&p, &e)) {
			bad = true;
			break;
		}
		if (e.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&e);
			break;
		}
		if (e.type == YAML_MAPPING_START_EVENT && state == 0) {
			state = 1;
		} else if (e.type == YAML_MAPPING_END_EVENT && state == 1) {
			state = 3;
		} else if (e.type == YAML_SCALAR_EVENT && state == 1) {
			key = rr_arena_strndup(
			        &c->tmp, (const char *)e.data.scalar.value,
			        e.data.scalar.length);
			state = 2;
		} else if (e.type == YAML_SCALAR_EVENT && state == 2) {
			char *val = rr_arena_strndup(
			        &c->tmp, (const char *)e.data.scalar.value,
			        e.data.scalar.length);
			rr_labels_set(&c->m->arena, l, key, val, &at);
			state = 1;
		} else if (e.type != YAML_STREAM_START_EVENT &&
		           e.type != YAML_DOCUMENT_START_EVENT &&
		           e.type != YAML_DOCUMENT_END_EVENT) {
			bad = true;
		}
		yaml_event_delete(&e);
		if (bad)
			break;
	}
	yaml_parser_delete(&p);
	if (bad || state != 3)
		cal_warn(c, v,
		         "annotation 'projectcalico.org/labels' is not a JSON "
		         "object of strings; ignored");
}

static void
k8s_annotation(struct cal_ctx *c, struct rr_node *n, const char *key,
               const struct yn *v, struct rr_labels *calico_labels)
{
	const char *s;
	struct rr_prefix p;
	struct rr_addr a;
	uint32_t asn;
	struct rr_loc at = cal_loc(c, v);

	if (strncmp(key, "projectcalico.org/", 18) != 0)
		return;
	key += 18;
	if (!strcmp(key, "labels")) {
		if (v->type == YN_SCALAR)
			json_labels(c, v, calico_labels);
		return;
	}
	if (!strcmp(key, "IPv4WireguardInterfaceAddr") ||
	    !strcmp(key, "IPv6WireguardInterfaceAddr")) {
		bool v4 = key[3] == '4';
		if (!(s = cal_str(c, v, key)))
			return;
		if (rr_addr_parse(s, &a) ||
		    a.af != (v4 ? RR_AF_INET : RR_AF_INET6)) {
			cal_warn(c, v,
			         "annotation '%s' is not an IPv%c address; "
			         "ignored",
			         key, v4 ? '4' : '6');
			return;
		}
		*(v4 ? &n->wireguard_ipv4 : &n->wireguard_ipv6) =
		        (struct rr_opt_addr){.set = true, .at = at, .v = a};
		return;
	}
	if (strcmp(key, "IPv4Address") && strcmp(key, "IPv6Address") &&
	    strcmp(key, "ASNumber") && strcmp(key, "RouteReflectorClusterID") &&
	    strcmp(key, "IPv4IPIPTunnelAddr"))
		return;
	if (!(s = cal_str(c, v, key)))
		return;
	/* calico-node ignores invalid annotation values with a log line */
	if (!strcmp(key, "IPv4Address") || !strcmp(key, "IPv6Address")) {
		bool v4 = key[3] == '4';
		if (rr_prefix_parse(s, &p, false) ||
		    p.addr.af != (v4 ? RR_AF_INET : RR_AF_INET6)) {
			cal_warn(c, v,
			         "annotation '%s' is not an IPv%c address; "
			         "ignored",
			         key, v4 ? '4' : '6');
			return;
		}
		if (v4) {
			n->ipv4_address = p;
			n->ipv4_address_text = (struct rr_opt_str){
			        .set = true, .at = at, .v = s};
		} else {
			n->ipv6_address = p;
			n->ipv6_address_text = (struct rr_opt_str){
			        .set = true, .at = at, .v = s};
		}
	} else if (!strcmp(key, "ASNumber")) {
		const char *why = NULL;
		if (rr_asn_parse(s, &asn, &why)) {
			cal_warn(c, v,
			         "annotation 'ASNumber' '%s' is not an AS "
			         "number; ignored",
			         s);
			return;
		}
		n->as_number =
		        (struct rr_opt_u32){.set = true, .at = at, .v = asn};
	} else if (!strcmp(key, "RouteReflectorClusterID")) {
		n->route_reflector_cluster_id_text =
		        (struct rr_opt_str){.set = true, .at = at, .v = s};
		if (rr_addr_parse(s, &a) || a.af != RR_AF_INET) {
			cal_warn(c, v,
			         "annotation 'RouteReflectorClusterID' '%s' is "
			         "not a dotted IPv4 address",
			         s);
			return;
		}
		n->route_reflector_cluster_id =
		        (struct rr_opt_addr){.set = true, .at = at, .v = a};
	} else {
		if (rr_addr_parse(s, &a) || a.af != RR_AF_INET) {
			cal_warn(c, v,
			         "annotation '%s' is not an IPv4 address; "
			         "ignored",
			         key);
			return;
		}
		n->ipv4_ipip_tunnel_addr =
		        (struct rr_opt_addr){.set = true, .at = at, .v = a};
	}
	n->has_bgp = true;
}

static void
push_pod_cidr(struct cal_ctx *c, struct rr_node *n, const struct yn *v)
{
	const char *s = cal_str(c, v, "podCIDRs");
	struct rr_prefix p;
	if (!s)
		return;
	if (rr_prefix_parse(s, &p, false)) {
		cal_invalid(c, v, "'podCIDRs' entry '%s' is not a CIDR", s);
		return;
	}
	*RR_PUSH(&c->m->arena, n->pod_cidrs, n->npod_cidrs, n->capp) = p;
}

static void
k8s_node(struct cal_ctx *c, const struct yn *doc, struct rr_node *n)
{
	const struct yn *md = map_get(doc, "metadata");
	const struct yn *ann = map_get(md, "annotations");
	const struct yn *spec = map_get(doc, "spec");
	const struct yn *pc;
	struct rr_labels calico = {NULL, 0, 0};
	size_t i;

	n->k8s = true;
	if (ann && ann->type == YN_MAP)
		for (i = 0; i + 1 < ann->n; i += 2)
			if (ann->kids[i]->type == YN_SCALAR)
				k8s_annotation(c, n, ann->kids[i]->val,
				               ann->kids[i + 1], &calico);
	/* Calico labels = projectcalico.org/labels, then the k8s labels */
	for (i = 0; i < n->meta.labels.n; i++)
		rr_labels_set(&c->m->arena, &calico, n->meta.labels.v[i].key,
		              n->meta.labels.v[i].value,
		              &n->meta.labels.v[i].loc);
	n->meta.labels = calico;
	if ((pc = map_get(spec, "podCIDRs")) && pc->type == YN_SEQ) {
		for (i = 0; i < pc->n; i++)
			push_pod_cidr(c, n, pc->kids[i]);
	} else if ((pc = map_get(spec, "podCIDR")) && !cal_is_null(pc)) {
		push_pod_cidr(c, n, pc);
	}
}

static int
b64val(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/*
 * A Secret's `data` value as Kubernetes decodes it (Go's
 * base64.StdEncoding, RFC 4648 §4, what encoding/json does with []byte):
 * the standard alphabet only, padded to whole quanta of 4, nothing after
 * the padding; CR and LF are ignored anywhere, every other byte (a blank,
 * the URL-safe '-' and '_') is an error.  NULL if invalid.
 */
static char *
b64_decode(struct rr_arena *a, const char *s, size_t n)
{
	char *out = rr_arena_alloc(a, n / 4 * 3 + 4);
	uint32_t acc = 0;
	size_t o = 0, i;
	int k = 0, pad = 0, x;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\r' || ch == '\n')
			continue;
		if (ch == '=') {
			/* "xx==" or "xxx=": 2 or 3 digits, then padding */
			if (k < 2 || k + ++pad > 4)
				return NULL;
			continue;
		}
		if (pad || (x = b64val(ch)) < 0)
			return NULL;
		acc = acc << 6 | (uint32_t)x;
		if (++k == 4) {
			out[o++] = (char)(acc >> 16);
			out[o++] = (char)(acc >> 8);
			out[o++] = (char)acc;
			acc = 0;
			k = 0;
		}
	}
	if (k && k + pad != 4)
		return NULL; /* an unpadded or incomplete last quantum */
	if (k == 2) {
		out[o++] = (char)(acc >> 4);
	} else if (k == 3) {
		out[o++] = (char)(acc >> 10);
		out[o++] = (char)(acc >> 2);
	}
	out[o] = '\0';
	return out;
}

/*
 * Every scalar under a document's `data` or `stringData` is a secret (or
 * its base64): registered before anything is said about it, so no excerpt
 * or message shows it (model.h), whatever the kind turns out to be.
 */
static void
register_secrets(struct cal_ctx *c, const struct yn *v, int depth)
{
	size_t i;
	uint32_t l;

	if (!v || depth > CAL_MAX_DEPTH)
		return;
	if (v->type == YN_SCALAR) {
		rr_diags_secret(c->d, c->file, v->line, v->col);
		for (l = v->line + 1; l <= v->eline && l > v->line; l++)
			rr_diags_secret(c->d, c->file, l, 1);
		return;
	}
	for (i = v->type == YN_MAP ? 1 : 0; i < v->n;
	     i += v->type == YN_MAP ? 2 : 1)
		register_secrets(c, v->kids[i], depth + 1);
}

static void
secret_map(struct cal_ctx *c, struct rr_secret *s, const struct yn *v,
           bool base64)
{
	size_t i;
	if (cal_is_null(v) ||
	    !cal_want(c, v, YN_MAP, base64 ? "data" : "stringData"))
		return;
	for (i = 0; i + 1 < v->n; i += 2) {
		const struct yn *k = v->kids[i], *x = v->kids[i + 1];
		struct rr_secret_kv *kv;
		const char *val;
		if (k->type != YN_SCALAR || !cal_want(c, x, YN_SCALAR, k->val))
			continue;
		if (base64) {
			val = b64_decode(&c->m->arena, x->val, x->len);
			if (!val) {
				cal_invalid(c, x,
				            "Secret data '%s' is not base64",
				            k->val);
				continue;
			}
		} else {
			val = rr_arena_strndup(&c->m->arena, x->val, x->len);
		}
		kv = RR_PUSH(&c->m->arena, s->data, s->ndata, s->capd);
		kv->key = rr_arena_strdup(&c->m->arena, k->val);
		kv->value = val;
		kv->at = cal_loc(c, x);
	}
}

/* ------------------------------------------------------------ dispatch */

static const char *
scalar_of(const struct yn *v)
{
	return v && v->type == YN_SCALAR ? v->val : NULL;
}

static bool
is_calico_api(const char *api)
{
	return !strcmp(api, API_V3) || !strcmp(api, API_CRD);
}

static int
kind_of(const char *kind)
{
	int k;
	for (k = 0; k < K_COUNT; k++)
		if (!strcmp(kind, cal_kind_names[k]))
			return k;
	return -1;
}

/* Kinds Kubernetes itself defines (Node also exists as a Calico kind). */
static bool
k8s_kind(int k)
{
	return k == K_NODE || k == K_SECRET || k == K_SERVICE || k == K_EPSLICE;
}

static bool
api_fits(enum cal_kind k, const char *api)
{
	switch (k) {
	case K_NODE:
		return !strcmp(api, "v1") || is_calico_api(api);
	case K_SECRET:
	case K_SERVICE:
		return !strcmp(api, "v1");
	case K_EPSLICE:
		return !strcmp(api, "discovery.k8s.io/v1") ||
		       !strcmp(api, "discovery.k8s.io/v1beta1");
	default:
		return is_calico_api(api);
	}
}

/* Top-level keys a resource may carry besides its spec. */
static bool
top_key_ok(const char *k)
{
	static const char *const ok[] = {
	        "apiVersion", "kind",       "metadata", "spec",      "status",
	        "data",       "stringData", "type",     "immutable",
	        /* EndpointSlice */
	        "addressType", "endpoints", "ports",    NULL};
	size_t i;
	for (i = 0; ok[i]; i++)
		if (!strcmp(k, ok[i]))
			return true;
	return false;
}

static void
read_resource(struct cal_ctx *c, const struct yn *doc, enum cal_kind kind,
              const char *api)
{
	const struct yn *md = map_get(doc, "metadata");
	const struct yn *spec = map_get(doc, "spec");
	union {
		struct rr_bgpconfig bc;
		struct rr_bgppeer bp;
		struct rr_node n;
		struct rr_ippool ip;
		struct rr_block_affinity ba;
		struct rr_bgpfilter bf;
		struct rr_secret s;
		struct rr_k8s_service svc;
		struct rr_endpoint_slice es;
	} r;
	struct rr_meta *meta = &r.bc.meta;
	bool k8s = kind == K_NODE && !is_calico_api(api);
	size_t i;

	memset(&r, 0, sizeof(r));
	if (!read_meta(c, doc, md, api, meta))
		return;
	for (i = 0; i + 1 < doc->n; i += 2) {
		const struct yn *k = doc->kids[i];
		if (k->type == YN_SCALAR && !top_key_ok(k->val))
			cal_warn(c, k, "unknown field '%s' skipped", k->val);
	}
	if (c->o && c->o->delete_mode) {
		cal_store(c, kind, &r);
		return;
	}
	if (kind == K_SECRET) {
		const struct yn *ns = map_get(md, "namespace");
		if (ns && !cal_is_null(ns))
			r.s.namespace_ = cal_str(c, ns, "namespace");
		secret_map(c, &r.s, map_get(doc, "data"), true);
		secret_map(c, &r.s, map_get(doc, "stringData"), false);
		cal_store(c, kind, &r);
		return;
	}
	if (k8s) {
		k8s_node(c, doc, &r.n);
		cal_store(c, kind, &r);
		return;
	}
	if (kind == K_SERVICE || kind == K_EPSLICE) {
		if (kind == K_SERVICE)
			cal_k8s_service(c, doc, &r.svc);
		else
			cal_k8s_endpoint_slice(c, doc, &r.es);
		cal_store(c, kind, &r);
		return;
	}
	if (spec && !cal_is_null(spec)) {
		static const struct cal_field *const tabs[] = {
		        [K_BGPCONFIG] = bgpconfig_tab,
		        [K_BGPPEER] = bgppeer_tab,
		        [K_NODE] = node_tab,
		        [K_IPPOOL] = ippool_tab,
		        [K_AFFINITY] = affinity_tab,
		        [K_BGPFILTER] = filter_tab,
		};
		cal_walk(c, spec, tabs[kind], &r, "spec");
	}
	cal_store(c, kind, &r);
}

static void do_doc(struct cal_ctx *c, const struct yn *doc, int depth,
                   const char *dapi, const char *dkind);

/*
 * calico-node's endpoint-status files (CALICO_ENDPOINT_STATUS_PATH_PREFIX):
 * one JSON object per local workload, {ifaceName, ipv4Nets, ipv6Nets,
 * bgpPeerName}, named by the file; or several such objects in one mapping
 * keyed by workload name.  They give the Local_Workload_ peers (R15).
 */
static bool
is_endpoint_status(const struct yn *v)
{
	return v && v->type == YN_MAP && map_get(v, "ifaceName");
}

static void
read_workload(struct cal_ctx *c, const char *name, const struct yn *v)
{
	struct rr_arena *a = &c->m->arena;
	struct rr_workload *w = RR_PUSH(a, c->m->calico.workloads,
	                                c->m->calico.nworkloads,
	                                c->m->calico.cap8);
	const char *keys[] = {"ipv4Nets", "ipv6Nets"};
	size_t k, i;

	w->name = rr_arena_strdup(a, name);
	w->loc = cal_loc(c, v);
	if (scalar_of(map_get(v, "ifaceName")))
		w->iface = rr_arena_strdup(a, scalar_of(map_get(v, "ifaceName")));
	if (scalar_of(map_get(v, "bgpPeerName")))
		w->bgp_peer =
		        rr_arena_strdup(a, scalar_of(map_get(v, "bgpPeerName")));
	for (k = 0; k < 2; k++) {
		const struct yn *l = map_get(v, keys[k]);
		if (!l || l->type != YN_SEQ)
			continue;
		for (i = 0; i < l->n; i++) {
			struct rr_prefix p;
			const char *t = scalar_of(l->kids[i]);
			if (!t || rr_prefix_parse(t, &p, false)) {
				cal_warn(c, l->kids[i],
				         "'%s' entry is not a CIDR; skipped",
				         keys[k]);
				continue;
			}
			*(struct rr_prefix *)RR_PUSH(a, w->nets, w->nnets,
			                             w->capn) = p;
		}
	}
}

static bool
read_endpoint_status(struct cal_ctx *c, const struct yn *doc)
{
	size_t i, found = 0;
	if (is_endpoint_status(doc)) {
		const char *base = strrchr(c->file, '/');
		read_workload(c, base ? base + 1 : c->file, doc);
		return true;
	}
	for (i = 0; i + 1 < doc->n; i += 2)
		if (is_endpoint_status(doc->kids[i + 1]))
			found++;
	if (!found)
		return false;
	for (i = 0; i + 1 < doc->n; i += 2)
		if (is_endpoint_status(doc->kids[i + 1]) &&
		    scalar_of(doc->kids[i]))
			read_workload(c, scalar_of(doc->kids[i]),
			              doc->kids[i + 1]);
	return true;
}

/* Items of a typed list (BGPPeerList) may omit apiVersion and kind. */
static void
do_items(struct cal_ctx *c, const struct yn *items, int depth, const char *api,
         const char *kind)
{
	char *ikind = NULL;
	size_t i, kl = strlen(kind);

	if (cal_is_null(items) || !cal_want(c, items, YN_SEQ, "items"))
		return;
	if (kl > 4)
		ikind = rr_arena_strndup(&c->tmp, kind, kl - 4);
	for (i = 0; i < items->n; i++)
		do_doc(c, items->kids[i], depth + 1, ikind ? api : NULL, ikind);
}

static void
do_doc(struct cal_ctx *c, const struct yn *doc, int depth, const char *dapi,
       const char *dkind)
{
	const char *api, *kind;
	size_t klen;
	int k;

	if (depth > CAL_MAX_DEPTH || cal_is_null(doc))
		return;
	if (doc->type == YN_SEQ) {
		/* a top-level sequence of resources (calicoctl accepts it) */
		size_t i;
		for (i = 0; i < doc->n; i++)
			do_doc(c, doc->kids[i], depth + 1, NULL, NULL);
		return;
	}
	if (doc->type != YN_MAP) {
		cal_warn(c, doc,
		         "document is not a resource (a mapping); skipped");
		return;
	}
	register_secrets(c, map_get(doc, "data"), 0);
	register_secrets(c, map_get(doc, "stringData"), 0);
	api = scalar_of(map_get(doc, "apiVersion"));
	kind = scalar_of(map_get(doc, "kind"));
	if (!api && !kind && dapi) {
		api = dapi;
		kind = dkind;
	}
	if (!api && !kind && read_endpoint_status(c, doc))
		return;
	if (!api || !kind) {
		cal_warn(c, doc,
		         "document without 'apiVersion' and 'kind'; skipped");
		return;
	}
	if (!strcmp(api, "v1") && kind[0] >= 'a' && kind[0] <= 'z') {
		/* legacy Calico API v1 (pre-2017): calicoctl v3 refuses it */
		struct rr_loc l = cal_loc(c, map_get(doc, "kind"));
		if (!c->legacy)
			rr_diag_add(c->d, RR_SEV_FATAL, NULL, &l,
			            "legacy Calico API v1 resource 'kind: %s' "
			            "is not supported; convert it with "
			            "'calicoctl convert'",
			            kind);
		c->legacy = true;
		c->rc = -1;
		return;
	}
	klen = strlen(kind);
	if (klen >= 4 && !strcmp(kind + klen - 4, "List") &&
	    map_get(doc, "items")) {
		do_items(c, map_get(doc, "items"), depth, api, kind);
		return;
	}
	k = kind_of(kind);
	if (k >= 0 && !k8s_kind(k) && !strcmp(api, "v1")) {
		cal_warn(c, map_get(doc, "apiVersion"),
		         "'%s' with 'apiVersion: v1': expected %s or %s; "
		         "skipped",
		         kind, API_V3, API_CRD);
		return;
	}
	if (k < 0 || !api_fits((enum cal_kind)k, api)) {
		c->skipped++;
		return;
	}
	read_resource(c, doc, (enum cal_kind)k, api);
}

static void
each_doc(struct cal_ctx *c, const struct yn *root)
{
	do_doc(c, root, 0, NULL, NULL);
}

int
parse_calico(struct rr_model *m, const char *path, const char *text, size_t len,
             const struct parse_calico_opts *o, struct rr_diags *d)
{
	struct cal_ctx c;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.d = d;
	c.file = rr_model_file(m, path ? path : "<input>");
	c.text = text ? text : "";
	c.len = text ? len : 0;
	c.o = o;
	rr_arena_init(&c.tmp);
	cal_mark(&c);
	if (cal_yaml_load(&c, each_doc)) {
		rr_arena_release(&c.tmp);
		return -1;
	}
	cal_store_finish(&c);
	if (c.skipped) {
		struct rr_loc l = {c.file, 0, 0};
		rr_diag_add(
		        d, RR_SEV_NOTE, NULL, &l,
		        "skipped %zu resource(s) of kinds rrkit does not read",
		        c.skipped);
	}
	rr_arena_release(&c.tmp);
	return c.rc;
}
