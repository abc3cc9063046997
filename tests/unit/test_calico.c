/*
 * parsers/calico.c: kinds and fields, API groups, list forms, merging,
 * delete mode, YAML 1.1 traps, value formats (libcalico-go validator),
 * and hostile input (bombs, nesting, binary, truncation).  Assertions are
 * on the model and on diagnostics' rule id and line:col, not on wording.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tests/unit/tfixture.h"

#include "parsers/parsers.h"
#include "resolve/resolve.h"
#include "validate/validate.h"

#define FILTER(rules)                                                          \
	"apiVersion: projectcalico.org/v3\nkind: BGPFilter\n"                \
	"metadata: {name: f}\nspec:\n  exportV4:\n" rules
#define CONFIG(name, body)                                                     \
	"apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"         \
	"metadata: {name: " name "}\nspec:\n" body

static int
px(struct fx *f, const char *yaml)
{
	return parse_calico(f->m, "t.yaml", yaml, strlen(yaml), NULL, &f->d);
}

static void
dump(const struct fx *f)
{
	size_t i;
	for (i = 0; i < f->d.n; i++)
		print_message(
		        "  diag %u:%u sev %d [%s] %s\n", f->d.v[i].loc.line,
		        f->d.v[i].loc.col, f->d.v[i].sev,
		        f->d.v[i].rule ? f->d.v[i].rule : "-", f->d.v[i].msg);
}

/* A diagnostic of `sev`/`rule` at line:col (col 0: any column). */
static bool
has_diag(const struct fx *f, enum rr_sev sev, const char *rule, uint32_t line,
         uint32_t col)
{
	size_t i;
	for (i = 0; i < f->d.n; i++) {
		const struct rr_diag *g = &f->d.v[i];
		if (g->sev != sev)
			continue;
		if (rule && (!g->rule || strcmp(g->rule, rule)))
			continue;
		if (!rule && g->rule)
			continue;
		if (g->loc.line == line && (!col || g->loc.col == col))
			return true;
	}
	return false;
}

#define WANT_DIAG(f, sev, rule, line, col)                                     \
	do {                                                                   \
		if (!has_diag((f), (sev), (rule), (line), (col))) {            \
			dump(f);                                               \
			fail_msg("no %s at %u:%u", (rule) ? (rule) : "fatal",  \
			         (unsigned)(line), (unsigned)(col));           \
		}                                                              \
	} while (0)

static const char *
astr(const struct rr_addr *a)
{
	static char buf[RR_ADDR_STRLEN];
	return rr_addr_str(a, buf);
}

static const char *
pstr(const struct rr_prefix *p)
{
	static char buf[RR_PREFIX_STRLEN];
	return rr_prefix_str(p, buf);
}

/* ---------------------------------------------------------------- kinds */

static void
test_bgpconfig(void **state)
{
	struct fx *f = *state;
	const struct rr_bgpconfig *b;
	assert_int_equal(
	        px(f,
	           "apiVersion: projectcalico.org/v3\n"
	           "kind: BGPConfiguration\n"
	           "metadata:\n"
	           "  name: default\n"
	           "spec:\n"
	           "  logSeverityScreen: info\n"
	           "  nodeToNodeMeshEnabled: false\n"
	           "  asNumber: 64512\n"
	           "  serviceClusterIPs:\n"
	           "  - cidr: 10.96.0.0/12\n"
	           "  serviceExternalIPs: [{cidr: 104.244.42.129/32}]\n"
	           "  serviceLoadBalancerIPs: [{cidr: 1.2.3.0/24}]\n"
	           "  serviceLoadBalancerAggregation: Disabled\n"
	           "  listenPort: 178\n"
	           "  nodeMeshMaxRestartTime: 2m\n"
	           "  bindMode: NodeIP\n"
	           "  ignoredInterfaces: [eth9, 'veth*']\n"
	           "  localWorkloadPeeringIPV4: 169.254.0.179\n"
	           "  programClusterRoutes: Enabled\n"
	           "  ipv4NormalRoutePriority: 1024\n"
	           "  communities:\n"
	           "  - {name: bgp-large-community, value: '63400:300:100'}\n"
	           "  prefixAdvertisements:\n"
	           "  - cidr: 172.218.4.0/26\n"
	           "    communities: [bgp-large-community, '63400:120']\n"
	           "  nodeMeshPassword:\n"
	           "    secretKeyRef: {name: bgp-secrets, key: mesh}\n"),
	        0);
	assert_int_equal(f->d.count[RR_SEV_ERROR] + f->d.count[RR_SEV_WARNING],
	                 0);
	assert_true(f->m->calico_present);
	assert_int_equal(f->m->calico.nbgpconfigs, 1);
	b = &f->m->calico.bgpconfigs[0];
	assert_string_equal(b->meta.name, "default");
	assert_string_equal(b->meta.api, "projectcalico.org/v3");
	assert_int_equal(b->meta.name_at.line, 4);
	assert_int_equal(b->meta.name_at.col, 9);
	assert_true(b->node_to_node_mesh_enabled.set);
	assert_false(b->node_to_node_mesh_enabled.v);
	assert_int_equal(b->node_to_node_mesh_enabled.at.line, 7);
	assert_int_equal(b->node_to_node_mesh_enabled.at.col, 26);
	assert_int_equal(b->as_number.v, 64512);
	assert_string_equal(b->log_severity_screen.v, "info");
	assert_int_equal(b->nservice_cluster_ips, 1);
	assert_string_equal(pstr(&b->service_cluster_ips[0].p), "10.96.0.0/12");
	assert_int_equal(b->service_cluster_ips[0].at.line, 10);
	assert_int_equal(b->nservice_external_ips, 1);
	assert_int_equal(b->nservice_lb_ips, 1);
	assert_string_equal(b->service_lb_aggregation.v, "Disabled");
	assert_int_equal(b->listen_port.v, 178);
	assert_int_equal(b->node_mesh_max_restart_time.v, 120);
	assert_string_equal(b->bind_mode.v, "NodeIP");
	assert_int_equal(b->nignored_interfaces, 2);
	assert_string_equal(b->ignored_interfaces[1], "veth*");
	assert_string_equal(astr(&b->local_workload_peering_ipv4.v),
	                    "169.254.0.179");
	assert_string_equal(b->program_cluster_routes.v, "Enabled");
	assert_int_equal(b->ipv4_normal_route_priority.v, 1024);
	assert_int_equal(b->ncommunities, 1);
	assert_string_equal(b->communities[0].value, "63400:300:100");
	assert_int_equal(b->nprefix_advertisements, 1);
	assert_int_equal(b->prefix_advertisements[0].ncommunities, 2);
	assert_true(b->node_mesh_password.set);
	assert_string_equal(b->node_mesh_password.name, "bgp-secrets");
	assert_string_equal(b->node_mesh_password.key, "mesh");
}

static void
test_bgppeer(void **state)
{
	struct fx *f = *state;
	const struct rr_bgppeer *p;
	assert_int_equal(px(f, "apiVersion: projectcalico.org/v3\n"
	                       "kind: BGPPeer\n"
	                       "metadata:\n"
	                       "  name: rr-peer\n"
	                       "  labels: {a: b}\n"
	                       "spec:\n"
	                       "  nodeSelector: \"route-reflector != 'true'\"\n"
	                       "  peerIP: '[aabb::ffff]:4444'\n"
	                       "  asNumber: \"1.10\"\n"
	                       "  localASNumber: 65000\n"
	                       "  nextHopMode: Self\n"
	                       "  password:\n"
	                       "    secretKeyRef:\n"
	                       "      name: bgp-secrets\n"
	                       "      key: rr-password\n"
	                       "  sourceAddress: None\n"
	                       "  maxRestartTime: 1.5s\n"
	                       "  keepaliveTime: 10s\n"
	                       "  numAllowedLocalASNumbers: 2\n"
	                       "  ttlSecurity: 1\n"
	                       "  reachableBy: aabb::1\n"
	                       "  filters: [f1, f2]\n"
	                       "  reversePeering: Manual\n"
	                       "  keepOriginalNextHop: false\n"),
	                 0);
	assert_int_equal(f->d.count[RR_SEV_ERROR] + f->d.count[RR_SEV_WARNING],
	                 0);
	assert_int_equal(f->m->calico.nbgppeers, 1);
	p = &f->m->calico.bgppeers[0];
	assert_string_equal(rr_labels_get(&p->meta.labels, "a"), "b");
	assert_non_null(p->node_selector);
	assert_string_equal(p->node_selector_text.v,
	                    "route-reflector != 'true'");
	assert_int_equal(p->node_selector_text.at.line, 7);
	assert_int_equal(p->node_selector_text.at.col, 17);
	assert_string_equal(astr(&p->peer_ip), "aabb::ffff");
	assert_int_equal(p->peer_port, 4444);
	assert_string_equal(p->peer_ip_text.v, "[aabb::ffff]:4444");
	assert_int_equal(p->as_number.v, 65546);
	assert_int_equal(p->local_as_number.v, 65000);
	assert_int_equal(p->next_hop_mode, RR_NH_SELF);
	assert_string_equal(p->next_hop_mode_text.v, "Self");
	assert_string_equal(p->password.name, "bgp-secrets");
	assert_string_equal(p->password.key, "rr-password");
	assert_int_equal(p->password.at.line, 14);
	assert_string_equal(p->source_address.v, "None");
	assert_int_equal(p->max_restart_time.v, 2);
	assert_int_equal(p->keepalive_time.v, 10);
	assert_int_equal(p->num_allowed_local_as_numbers.v, 2);
	assert_int_equal(p->ttl_security.v, 1);
	assert_string_equal(astr(&p->reachable_by.v), "aabb::1");
	assert_int_equal(p->nfilters, 2);
	assert_string_equal(p->filters[1], "f2");
	assert_string_equal(p->reverse_peering.v, "Manual");
	assert_true(p->keep_original_next_hop.set);
	assert_int_equal(p->tagged_selector_at.line, 0);
}

static void
test_node_v3(void **state)
{
	struct fx *f = *state;
	const struct rr_node *n;
	assert_int_equal(
	        px(f, "apiVersion: projectcalico.org/v3\n"
	              "kind: Node\n"
	              "metadata:\n"
	              "  name: node-a\n"
	              "  labels:\n"
	              "    route-reflector: \"true\"\n"
	              "spec:\n"
	              "  bgp:\n"
	              "    ipv4Address: 10.192.0.2/16\n"
	              "    ipv6Address: fd00::2\n"
	              "    asNumber: 64513\n"
	              "    routeReflectorClusterID: 244.0.0.1\n"
	              "    ipv4IPIPTunnelAddr: 10.0.0.1\n"
	              "  orchRefs: [{nodeName: node-a, orchestrator: k8s}]\n"
	              "---\n"
	              "apiVersion: projectcalico.org/v3\n"
	              "kind: Node\n"
	              "metadata: {name: node-b}\n"
	              "spec:\n"
	              "  bgp: {ipv4Address: 10.192.0.3}\n"),
	        0);
	assert_int_equal(f->d.count[RR_SEV_ERROR] + f->d.count[RR_SEV_WARNING],
	                 0);
	assert_int_equal(f->m->calico.nnodes, 2);
	n = &f->m->calico.nodes[0];
	assert_false(n->k8s);
	assert_true(n->has_bgp);
	assert_string_equal(pstr(&n->ipv4_address), "10.192.0.2/16");
	assert_string_equal(n->ipv4_address_text.v, "10.192.0.2/16");
	assert_int_equal(n->ipv4_address_text.at.line, 9);
	assert_int_equal(n->ipv4_address_text.at.col, 18);
	assert_string_equal(pstr(&n->ipv6_address), "fd00::2/128");
	assert_int_equal(n->as_number.v, 64513);
	assert_string_equal(astr(&n->route_reflector_cluster_id.v),
	                    "244.0.0.1");
	assert_string_equal(n->route_reflector_cluster_id_text.v, "244.0.0.1");
	assert_string_equal(astr(&n->ipv4_ipip_tunnel_addr.v), "10.0.0.1");
	assert_string_equal(rr_labels_get(&n->meta.labels, "route-reflector"),
	                    "true");
	n = &f->m->calico.nodes[1];
	assert_string_equal(pstr(&n->ipv4_address), "10.192.0.3/32");
	assert_true(f->m->calico.nodes[0].meta.order < n->meta.order);
	assert_int_equal(n->meta.loc.line, 16);
}

static void
test_node_k8s(void **state)
{
	struct fx *f = *state;
	const struct rr_node *n;
	assert_int_equal(
	        px(f,
	           "apiVersion: v1\n"
	           "kind: Node\n"
	           "metadata:\n"
	           "  name: node-1\n"
	           "  labels: {route-reflector: \"true\", rack: r1}\n"
	           "  annotations:\n"
	           "    projectcalico.org/IPv4Address: 192.168.1.10/24\n"
	           "    projectcalico.org/ASNumber: \"64512\"\n"
	           "    projectcalico.org/RouteReflectorClusterID: 244.0.0.1\n"
	           "    projectcalico.org/labels: "
	           "'{\"rack\":\"calico\",\"zone\":\"z1\"}'\n"
	           "    node.alpha.kubernetes.io/ttl: \"0\"\n"
	           "spec:\n"
	           "  podCIDR: 10.244.1.0/24\n"
	           "  podCIDRs: [10.244.1.0/24, 'fd00:1::/64']\n"
	           "  providerID: kind://docker/x\n"
	           "status:\n"
	           "  addresses: [{type: InternalIP, address: 172.18.0.2}]\n"),
	        0);
	assert_int_equal(f->d.count[RR_SEV_ERROR] + f->d.count[RR_SEV_WARNING],
	                 0);
	assert_int_equal(f->m->calico.nnodes, 1);
	n = &f->m->calico.nodes[0];
	assert_true(n->k8s);
	assert_true(n->has_bgp);
	assert_string_equal(n->meta.api, "v1");
	assert_string_equal(pstr(&n->ipv4_address), "192.168.1.10/24");
	assert_int_equal(n->ipv4_address_text.at.line, 7);
	assert_int_equal(n->as_number.v, 64512);
	assert_string_equal(astr(&n->route_reflector_cluster_id.v),
	                    "244.0.0.1");
	/* k8s labels win over projectcalico.org/labels */
	assert_string_equal(rr_labels_get(&n->meta.labels, "rack"), "r1");
	assert_string_equal(rr_labels_get(&n->meta.labels, "zone"), "z1");
	assert_string_equal(rr_labels_get(&n->meta.labels, "route-reflector"),
	                    "true");
	assert_int_equal(n->npod_cidrs, 2);
	assert_string_equal(pstr(&n->pod_cidrs[1]), "fd00:1::/64");
}

static void
test_pool_affinity_filter_secret(void **state)
{
	struct fx *f = *state;
	const struct rr_ippool *ip;
	const struct rr_block_affinity *ba;
	const struct rr_bgpfilter *bf;
	const struct rr_secret *s;
	assert_int_equal(
	        px(f, "apiVersion: projectcalico.org/v3\n"
	              "kind: IPPool\n"
	              "metadata: {name: pool1}\n"
	              "spec:\n"
	              "  cidr: 10.244.0.0/16\n"
	              "  blockSize: 26\n"
	              "  ipipMode: Never\n"
	              "  vxlanMode: CrossSubnet\n"
	              "  natOutgoing: true\n"
	              "  disabled: false\n"
	              "  disableBGPExport: true\n"
	              "  nodeSelector: all()\n"
	              "  allowedUses: [Workload, Tunnel]\n"
	              "---\n"
	              "apiVersion: crd.projectcalico.org/v1\n"
	              "kind: BlockAffinity\n"
	              "metadata: {name: kube-master-10-244-0-0-26}\n"
	              "spec:\n"
	              "  node: kube-master\n"
	              "  cidr: 10.244.0.0/26\n"
	              "  state: confirmed\n"
	              "  deleted: \"false\"\n"
	              "---\n"
	              "apiVersion: projectcalico.org/v3\n"
	              "kind: BGPFilter\n"
	              "metadata: {name: f1}\n"
	              "spec:\n"
	              "  exportV4:\n"
	              "  - action: Accept\n"
	              "    matchOperator: In\n"
	              "    cidr: 77.0.0.0/16\n"
	              "    prefixLength: {min: 24, max: 28}\n"
	              "  importV6:\n"
	              "  - action: Reject\n"
	              "---\n"
	              "apiVersion: v1\n"
	              "kind: Secret\n"
	              "metadata: {name: bgp-secrets, namespace: kube-system}\n"
	              "type: Opaque\n"
	              "data:\n"
	              "  rr-password: dmVyeS1zZWNyZXQ=\n"
	              "stringData:\n"
	              "  other: plain\n"),
	        0);
	assert_int_equal(f->d.count[RR_SEV_ERROR] + f->d.count[RR_SEV_WARNING],
	                 0);
	ip = &f->m->calico.ippools[0];
	assert_string_equal(pstr(&ip->cidr), "10.244.0.0/16");
	assert_int_equal(ip->block_size.v, 26);
	assert_string_equal(ip->ipip_mode.v, "Never");
	assert_string_equal(ip->vxlan_mode.v, "CrossSubnet");
	assert_true(ip->nat_outgoing.v);
	assert_true(ip->disabled.set);
	assert_false(ip->disabled.v);
	assert_true(ip->disable_bgp_export.v);
	assert_int_equal(ip->node_selector->op, RR_SEL_ALL);
	assert_int_equal(ip->nallowed_uses, 2);
	ba = &f->m->calico.affinities[0];
	assert_string_equal(ba->meta.api, "crd.projectcalico.org/v1");
	assert_string_equal(ba->node.v, "kube-master");
	assert_string_equal(pstr(&ba->cidr), "10.244.0.0/26");
	assert_int_equal(ba->cidr_at.line, 20);
	assert_string_equal(ba->state.v, "confirmed");
	assert_true(ba->deleted.set);
	assert_false(ba->deleted.v);
	bf = &f->m->calico.bgpfilters[0];
	assert_int_equal(bf->nrules[0], 1);
	assert_int_equal(bf->nrules[3], 1);
	assert_string_equal(bf->rules[0][0].action, "Accept");
	assert_string_equal(bf->rules[0][0].cidr, "77.0.0.0/16");
	assert_int_equal(bf->rules[0][0].prefix_min, 24);
	assert_int_equal(bf->rules[0][0].prefix_max, 28);
	assert_int_equal(bf->rules[3][0].prefix_min, -1);
	s = &f->m->calico.secrets[0];
	assert_string_equal(s->namespace_, "kube-system");
	assert_int_equal(s->ndata, 2);
	assert_string_equal(s->data[0].key, "rr-password");
	assert_string_equal(s->data[0].value, "very-secret");
	assert_string_equal(s->data[1].value, "plain");
}

/* Every BGPFilter rule field, as Calico's v3 API writes them. */
static void
test_bgpfilter_rules(void **state)
{
	struct fx *f = *state;
	const struct rr_bgpfilter_rule *r;
	assert_int_equal(
	        px(f, "apiVersion: projectcalico.org/v3\n"
	              "kind: BGPFilter\n"
	              "metadata: {name: f}\n"
	              "spec:\n"
	              "  importV4:\n"
	              "  - action: Accept\n"
	              "    cidr: 10.0.0.0/8\n"
	              "    matchOperator: NotIn\n"
	              "    prefixLength: {max: 24}\n"
	              "    source: RemotePeers\n"
	              "    interface: 'eth*'\n"
	              "    peerType: eBGP\n"
	              "    communities: {values: [\"65000:100\"]}\n"
	              "    asPathPrefix: [65001, \"1.10\"]\n"
	              "    priority: 512\n"
	              "    operations:\n"
	              "    - addCommunity: {value: \"1:2:3\"}\n"
	              "    - prependASPath: {prefix: [65000, 65002]}\n"
	              "    - setPriority: {value: 256}\n"
	              "  exportV6:\n"
	              "  - action: Reject\n"),
	        0);
	if (f->d.count[RR_SEV_ERROR] + f->d.count[RR_SEV_WARNING]) {
		dump(f);
		fail();
	}
	r = &f->m->calico.bgpfilters[0].rules[1][0];
	assert_string_equal(r->cidr, "10.0.0.0/8");
	assert_string_equal(pstr(&r->cidr_p), "10.0.0.0/8");
	assert_true(r->prefix_length);
	assert_int_equal(r->prefix_min, -1);
	assert_int_equal(r->prefix_max, 24);
	assert_string_equal(r->source, "RemotePeers");
	assert_string_equal(r->interface, "eth*");
	assert_string_equal(r->peer_type, "eBGP");
	assert_string_equal(r->community, "65000:100");
	assert_int_equal(r->nas_path_prefix, 2);
	assert_int_equal(r->as_path_prefix[1], 65546);
	assert_int_equal(r->priority.v, 512);
	assert_int_equal(r->nops, 3);
	assert_int_equal(r->ops[0].kind, RR_BFOP_ADD_COMMUNITY);
	assert_string_equal(r->ops[0].community, "1:2:3");
	assert_int_equal(r->ops[1].kind, RR_BFOP_PREPEND_AS_PATH);
	assert_int_equal(r->ops[1].nasns, 2);
	assert_int_equal(r->ops[1].asns[1], 65002);
	assert_int_equal(r->ops[2].kind, RR_BFOP_SET_PRIORITY);
	assert_int_equal(r->ops[2].priority, 256);
	assert_int_equal(f->m->calico.bgpfilters[0].nrules[2], 1);
}

/* BGPFilter values Calico rejects: each an error at its value. */
static void
test_bgpfilter_invalid(void **state)
{
	static const struct {
		const char *what, *in;
		uint32_t col;
	} cases[] = {
	        {"two communities",
	         "communities: {values: [\"1:2\", \"3:4\"]}", 27},
	        {"community 17 bits", "communities: {values: [\"65536:1\"]}",
	         28},
	        {"community words", "communities: {values: [\"a:b\"]}", 28},
	        {"cidr not masked", "cidr: 10.0.0.1/8", 11},
	        {"prefix length word", "prefixLength: {min: x}", 25},
	        {"priority 0", "priority: 0", 15},
	        {"unknown operation", "operations: [{dropIt: {}}]", 19},
	        {"prepend nothing", "operations: [{prependASPath: {prefix: []}}]",
	         34},
	        {"priority op word", "operations: [{setPriority: {value: x}}]",
	         40},
	};
	struct fx *f = *state;
	size_t i;
	char buf[512];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset(f);
		snprintf(buf, sizeof(buf),
		         "apiVersion: projectcalico.org/v3\nkind: BGPFilter\n"
		         "metadata: {name: x}\nspec:\n  exportV4:\n"
		         "  - action: Accept\n    %s\n",
		         cases[i].in);
		assert_int_equal(px(f, buf), 0);
		if (!has_diag(f, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, 7,
		              cases[i].col)) {
			dump(f);
			fail_msg("%s: no calico-invalid at 7:%u", cases[i].what,
			         cases[i].col);
		}
	}
}

/* Kubernetes Services and EndpointSlices: what the route generator reads;
 * the rest of a Service is accepted silently. */
static void
test_service_slice(void **state)
{
	struct fx *f = *state;
	const struct rr_k8s_service *s;
	const struct rr_endpoint_slice *es;
	assert_int_equal(
	        px(f, "apiVersion: v1\n"
	              "kind: Service\n"
	              "metadata: {name: web, namespace: shop}\n"
	              "spec:\n"
	              "  type: LoadBalancer\n"
	              "  externalTrafficPolicy: Local\n"
	              "  clusterIP: 10.96.0.10\n"
	              "  clusterIPs: [10.96.0.10, 'fd00::10']\n"
	              "  ipFamilies: [IPv4, IPv6]\n"
	              "  externalIPs: [203.0.113.5]\n"
	              "  loadBalancerIP: 192.0.2.1\n"
	              "  ports: [{port: 80, targetPort: 8080}]\n"
	              "  selector: {app: web}\n"
	              "status:\n"
	              "  loadBalancer:\n"
	              "    ingress: [{ip: 192.0.2.1}, {hostname: lb.example}]\n"
	              "---\n"
	              "apiVersion: discovery.k8s.io/v1\n"
	              "kind: EndpointSlice\n"
	              "metadata:\n"
	              "  name: web-abc\n"
	              "  namespace: shop\n"
	              "  labels: {kubernetes.io/service-name: web}\n"
	              "addressType: IPv4\n"
	              "endpoints:\n"
	              "- addresses: [192.168.1.5]\n"
	              "  nodeName: n1\n"
	              "  conditions: {ready: false}\n"
	              "- addresses: [192.168.1.6]\n"
	              "ports: [{port: 8080}]\n"
	              "---\n"
	              "apiVersion: v1\n"
	              "kind: Service\n"
	              "metadata: {name: plain}\n"
	              "spec: {clusterIP: 10.96.0.11}\n"),
	        0);
	if (f->d.count[RR_SEV_ERROR] + f->d.count[RR_SEV_WARNING]) {
		dump(f);
		fail();
	}
	assert_int_equal(f->m->calico.nservices, 2);
	s = &f->m->calico.services[0];
	assert_string_equal(s->namespace_, "shop");
	assert_string_equal(s->type.v, "LoadBalancer");
	assert_string_equal(s->external_traffic_policy.v, "Local");
	assert_int_equal(s->ncluster_ips, 2);
	assert_string_equal(astr(&s->cluster_ips[1].a), "fd00::10");
	assert_true(s->family_v4 && s->family_v6);
	assert_int_equal(s->nexternal_ips, 1);
	assert_int_equal(s->nlb_ingress, 1);
	assert_string_equal(s->lb_ip.text, "192.0.2.1");
	s = &f->m->calico.services[1];
	assert_string_equal(s->namespace_, "default");
	assert_int_equal(s->ncluster_ips, 1); /* from clusterIP */
	assert_true(s->family_v4 && !s->family_v6);
	es = &f->m->calico.endpoint_slices[0];
	assert_string_equal(es->service_name, "web");
	assert_string_equal(es->address_type, "IPv4");
	assert_int_equal(es->nendpoints, 2);
	assert_string_equal(es->endpoints[0].node_name, "n1");
	assert_true(es->endpoints[0].ready.set && !es->endpoints[0].ready.v);
	assert_null(es->endpoints[1].node_name);
	assert_false(es->endpoints[1].ready.set);
}

/* A repeated `filters:` key replaces the list, locations included (the
 * fuzzer found a write past the first list's locations). */
static void
test_repeated_filters(void **state)
{
	struct fx *f = *state;
	const struct rr_bgppeer *bp;
	assert_int_equal(px(f, "apiVersion: projectcalico.org/v3\n"
	                       "kind: BGPPeer\n"
	                       "metadata: {name: p}\n"
	                       "spec:\n"
	                       "  filters: [a, b, c]\n"
	                       "  filters: [d]\n"),
	                 0);
	bp = &f->m->calico.bgppeers[0];
	assert_int_equal(bp->nfilters, 1);
	assert_string_equal(bp->filters[0], "d");
	assert_int_equal(bp->filters_at[0].line, 6);
	assert_int_equal(bp->filters_at[0].col, 13);
}

/* What Calico rejects across fields (validate/calico.c): BGPFilter CEL
 * rules and formats, BGPConfiguration communities and default-only
 * fields, filters naming no BGPFilter.  { .what, .in, .want line }, the
 * line 0 meaning no calico-invalid at all. */
static void
test_calico_rejects(void **state)
{
	static const struct {
		const char *what, *in;
		uint32_t line;
	} cases[] = {
	        {"filter fine", FILTER("  - {action: Accept, cidr: 10.0.0.0/8, "
	                               "matchOperator: In}\n"), 0},
	        {"cidr without operator",
	         FILTER("  - {action: Accept, cidr: 10.0.0.0/8}\n"), 6},
	        {"operator without cidr",
	         FILTER("  - {action: Accept, matchOperator: In}\n"), 6},
	        {"prefixLength without cidr",
	         FILTER("  - {action: Accept, prefixLength: {min: 8}}\n"), 6},
	        {"operations on Reject",
	         FILTER("  - action: Reject\n    operations:\n"
	                "    - setPriority: {value: 5}\n"), 8},
	        {"prefix length over 32",
	         FILTER("  - {action: Accept, cidr: 10.0.0.0/8, matchOperator: "
	                "In, prefixLength: {max: 33}}\n"), 6},
	        {"v6 cidr in a V4 list",
	         FILTER("  - {action: Accept, cidr: 'fd00::/8', matchOperator: "
	                "In}\n"), 6},
	        {"interface too long",
	         FILTER("  - {action: Accept, interface: abcdefghijklmnop}\n"), 6},
	        {"communities unused",
	         CONFIG("default", "  communities: [{name: a, value: '1:2'}]\n"),
	         5},
	        {"community value too wide",
	         CONFIG("default", "  communities: [{name: a, value: '1:70000'}]\n"
	                "  prefixAdvertisements: [{cidr: 10.0.0.0/8, "
	                "communities: [a]}]\n"), 5},
	        {"community name undefined",
	         CONFIG("default", "  prefixAdvertisements: [{cidr: 10.0.0.0/8, "
	                "communities: [nope]}]\n"), 5},
	        {"community literal and defined name fine",
	         CONFIG("default", "  communities: [{name: a, value: '1:2:3'}]\n"
	                "  prefixAdvertisements: [{cidr: 10.0.0.0/8, "
	                "communities: [a, '65535:1']}]\n"), 0},
	        {"asNumber on a node config",
	         CONFIG("node.n1", "  asNumber: 65000\n"), 5},
	        {"listenPort on a node config fine",
	         CONFIG("node.n1", "  listenPort: 1790\n"), 0},
	        {"resource name with upper case",
	         CONFIG("Node.n1", "  listenPort: 1790\n"), 3},
	        {"resource name with an underscore",
	         "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	         "metadata: {name: to_rr}\nspec:\n  peerIP: 10.0.0.1\n"
	         "  asNumber: 65000\n", 3},
	        {"resource name ending in a dash",
	         FILTER("  - {action: Accept, cidr: 10.0.0.0/8, "
	                "matchOperator: In}\n") "---\n"
	         "apiVersion: projectcalico.org/v3\nkind: IPPool\n"
	         "metadata: {name: pool-}\nspec: {cidr: 10.1.0.0/16}\n", 10},
	        {"a crd.projectcalico.org/v1 name is not Calico's to check",
	         "apiVersion: crd.projectcalico.org/v1\nkind: BGPPeer\n"
	         "metadata: {name: to_rr}\nspec:\n  peerIP: 10.0.0.1\n"
	         "  asNumber: 65000\n", 0},
	        {"community name with upper case",
	         CONFIG("default", "  communities: [{name: Lb, value: '1:2'}]\n"
	                "  prefixAdvertisements: [{cidr: 10.0.0.0/8, "
	                "communities: [Lb]}]\n"), 5},
	        /* not refused: bgpfilter-missing, a warning (confd skips
	         * the name; samples/broken/bgpfilter-missing) */
	        {"filter not found",
	         "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	         "metadata: {name: p}\nspec:\n  peerIP: 10.0.0.1\n"
	         "  asNumber: 65000\n  filters: [nope]\n", 0},
	};
	struct fx *f = *state;
	size_t i, k;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool hit = false, any = false;
		reset(f);
		assert_int_equal(px(f, cases[i].in), 0);
		assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
		val_run(f->m, &f->d);
		for (k = 0; k < f->d.n; k++) {
			const struct rr_diag *g = &f->d.v[k];
			if (!g->rule || strcmp(g->rule, RR_RULE_CALICO_INVALID))
				continue;
			any = true;
			hit |= g->loc.line == cases[i].line;
		}
		if (cases[i].line ? !hit : any) {
			dump(f);
			fail_msg("%s: want calico-invalid at line %u", cases[i].what,
			         cases[i].line);
		}
	}
}

/* ---------------------------------------------------- documents, lists */

static void
test_list_forms(void **state)
{
	static const struct {
		const char *what, *in;
		size_t want; /* peers */
	} cases[] = {
	        {"typed list",
	         "apiVersion: projectcalico.org/v3\n"
	         "items:\n"
	         "- apiVersion: projectcalico.org/v3\n"
	         "  kind: BGPPeer\n"
	         "  metadata: {name: p1}\n"
	         "  spec: {peerIP: 1.1.1.1, asNumber: 1}\n"
	         "- apiVersion: projectcalico.org/v3\n"
	         "  kind: BGPPeer\n"
	         "  metadata: {name: p2}\n"
	         "  spec: {peerIP: 1.1.1.2, asNumber: 1}\n"
	         "kind: BGPPeerList\n"
	         "metadata: {resourceVersion: \"12\"}\n",
	         2},
	        {"v1 List",
	         "apiVersion: v1\nkind: List\nitems:\n"
	         "- {apiVersion: crd.projectcalico.org/v1, kind: BGPPeer, "
	         "metadata: {name: p1}, spec: {peerIP: 1.1.1.1}}\n"
	         "- {apiVersion: apps/v1, kind: Deployment, metadata: {name: "
	         "d}}\n",
	         1},
	        {"sequence",
	         "- {apiVersion: projectcalico.org/v3, kind: BGPPeer, "
	         "metadata: {name: p1}}\n"
	         "- {apiVersion: projectcalico.org/v3, kind: BGPPeer, "
	         "metadata: {name: p2}}\n"
	         "- {apiVersion: projectcalico.org/v3, kind: BGPPeer, "
	         "metadata: {name: p3}}\n",
	         3},
	        {"multi-doc",
	         "---\napiVersion: projectcalico.org/v3\nkind: "
	         "BGPPeer\nmetadata: {name: p1}\n"
	         "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: "
	         "c}\ndata: {a: b}\n"
	         "---\napiVersion: projectcalico.org/v3\nkind: "
	         "BGPPeer\nmetadata: {name: p2}\n...\n",
	         2},
	        {"same name twice in one file",
	         "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: "
	         "{name: p1}\n"
	         "---\napiVersion: projectcalico.org/v3\nkind: "
	         "BGPPeer\nmetadata: {name: p1}\n",
	         1},
	        {"typed list, bare items",
	         "apiVersion: projectcalico.org/v3\nkind: BGPPeerList\n"
	         "items:\n- metadata: {name: p1}\n  spec: {peerIP: 1.1.1.1}\n",
	         1},
	        {"empty", "", 0},
	        {"other kinds only",
	         "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n",
	         0},
	};
	struct fx *f = *state;
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset(f);
		if (px(f, cases[i].in) != 0) {
			dump(f);
			fail_msg("%s: rc", cases[i].what);
		}
		if (f->m->calico.nbgppeers != cases[i].want)
			fail_msg("%s: %zu peers, want %zu", cases[i].what,
			         f->m->calico.nbgppeers, cases[i].want);
		assert_int_equal(f->d.count[RR_SEV_ERROR], 0);
	}
}

static void
test_replace_across_files(void **state)
{
	struct fx *f = *state;
	const struct rr_bgppeer *p;
	assert_int_equal(px(f, "apiVersion: projectcalico.org/v3\nkind: "
	                       "BGPPeer\nmetadata: {name: a}\n"
	                       "spec: {peerIP: 1.1.1.1, asNumber: 1}\n---\n"
	                       "apiVersion: projectcalico.org/v3\nkind: "
	                       "BGPPeer\nmetadata: {name: b}\n"
	                       "spec: {peerIP: 2.2.2.2, asNumber: 2}\n"),
	                 0);
	assert_int_equal(
	        parse_calico(
	                f->m, "u.yaml",
	                "apiVersion: crd.projectcalico.org/v1\nkind: BGPPeer\n"
	                "metadata: {name: a}\nspec: {peerIP: 3.3.3.3, "
	                "asNumber: 3}\n",
	                strlen("apiVersion: crd.projectcalico.org/v1\nkind: "
	                       "BGPPeer\n"
	                       "metadata: {name: a}\nspec: {peerIP: 3.3.3.3, "
	                       "asNumber: 3}\n"),
	                NULL, &f->d),
	        0);
	assert_int_equal(f->m->calico.nbgppeers, 2);
	/* the replacement takes the later position */
	p = &f->m->calico.bgppeers[0];
	assert_string_equal(p->meta.name, "b");
	p = &f->m->calico.bgppeers[1];
	assert_string_equal(p->meta.name, "a");
	assert_string_equal(astr(&p->peer_ip), "3.3.3.3");
	assert_string_equal(p->meta.loc.file, "u.yaml");
	assert_true(p->meta.order > f->m->calico.bgppeers[0].meta.order);
}

static void
test_delete_mode(void **state)
{
	struct fx *f = *state;
	struct parse_calico_opts o = {.delete_mode = true};
	const char *del = "apiVersion: projectcalico.org/v3\nkind: "
	                  "BGPPeer\nmetadata: {name: a}\n"
	                  "spec: {peerIP: 'not an ip'}\n---\n"
	                  "apiVersion: projectcalico.org/v3\nkind: "
	                  "IPPool\nmetadata: {name: nope}\n";
	assert_int_equal(px(f, "apiVersion: projectcalico.org/v3\nkind: "
	                       "BGPPeer\nmetadata: {name: a}\n---\n"
	                       "apiVersion: projectcalico.org/v3\nkind: "
	                       "BGPPeer\nmetadata: {name: b}\n"),
	                 0);
	assert_int_equal(
	        parse_calico(f->m, "del.yaml", del, strlen(del), &o, &f->d), 0);
	assert_int_equal(f->m->calico.nbgppeers, 1);
	assert_string_equal(f->m->calico.bgppeers[0].meta.name, "b");
	assert_int_equal(f->d.count[RR_SEV_ERROR], 0);
}

/* ------------------------------------------------------ YAML 1.1 traps */

static void
test_yaml11_labels(void **state)
{
	static const struct {
		const char *what, *in, *want;
		bool warn;
	} cases[] = {
	        {"yes", "yes", "true", true},
	        {"Y", "Y", "true", true},
	        {"ON", "ON", "true", true},
	        {"off", "off", "false", true},
	        {"No", "No", "false", true},
	        {"quoted yes", "'yes'", "yes", false},
	        {"octal", "010", "8", true},
	        {"float", "1.10", "1.1", true},
	        {"plain", "rack1", "rack1", false},
	        {"int", "12", "12", false},
	        {"empty", "''", "", false},
	};
	struct fx *f = *state;
	size_t i;
	char buf[512];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset(f);
		snprintf(buf, sizeof(buf),
		         "apiVersion: projectcalico.org/v3\nkind: Node\n"
		         "metadata:\n  name: node1\n  labels:\n    "
		         "route-reflector: %s\n",
		         cases[i].in);
		assert_int_equal(px(f, buf), 0);
		if (strcmp(rr_labels_get(&f->m->calico.nodes[0].meta.labels,
		                         "route-reflector"),
		           cases[i].want))
			fail_msg("%s: got '%s'", cases[i].what,
			         rr_labels_get(
			                 &f->m->calico.nodes[0].meta.labels,
			                 "route-reflector"));
		if (cases[i].warn)
			WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 6,
			          22);
		else if (f->d.count[RR_SEV_WARNING]) {
			dump(f);
			fail_msg("%s: unexpected warning", cases[i].what);
		}
	}
}

static void
test_tag_trap(void **state)
{
	struct fx *f = *state;
	const struct rr_bgppeer *p;
	assert_int_equal(px(f, "apiVersion: projectcalico.org/v3\n"
	                       "kind: BGPPeer\n"
	                       "metadata:\n"
	                       "  name: peer-to-rrs\n"
	                       "spec:\n"
	                       "  nodeSelector: !has(i-am-a-route-reflector)\n"
	                       "  peerSelector: has(i-am-a-route-reflector)\n"),
	                 0);
	p = &f->m->calico.bgppeers[0];
	assert_null(p->node_selector);
	assert_false(p->node_selector_text.set);
	assert_int_equal(p->tagged_selector_at.line, 6);
	assert_int_equal(p->tagged_selector_at.col, 17);
	assert_non_null(p->peer_selector);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_SELECTOR_TAG, 6, 17);
	assert_int_equal(f->d.count[RR_SEV_ERROR], 1);
}

static void
test_selector_error_location(void **state)
{
	struct fx *f = *state;
	assert_int_equal(px(f, "apiVersion: projectcalico.org/v3\n"
	                       "kind: BGPPeer\n"
	                       "metadata: {name: p}\n"
	                       "spec:\n"
	                       "  nodeSelector: a == b\n"
	                       "  peerSelector: \"a == 'b' &&\"\n"),
	                 0);
	/* value col 17, error offset 5 */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, 5, 22);
	/* quoted: col 17 + 1 + offset 11 */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, 6, 29);
	assert_null(f->m->calico.bgppeers[0].node_selector);
}

/* ------------------------------------------------------- value formats */

static void
test_peer_ip(void **state)
{
	/* libcalico-go validator_test.go / numorstring_test.go */
	static const struct {
		const char *what, *in, *addr;
		uint16_t port;
	} cases[] = {
	        {"v4", "1.2.3.4", "1.2.3.4", 0},
	        {"v6", "aabb:aabb::ffff", "aabb:aabb::ffff", 0},
	        {"v4 port", "9.9.9.9:4444", "9.9.9.9", 4444},
	        {"v6 port", "'[aabb::ffff]:4444'", "aabb::ffff", 4444},
	        {"v4 500", "192.168.1.1:500", "192.168.1.1", 500},
	        {"v6 500", "'[9000::]:500'", "9000::", 500},
	        {"bad v4", "999.999.999.999", NULL, 0},
	        {"bad v6", "'xyz:::'", NULL, 0},
	        {"[v4]:big", "'[192.168.0.0]:98956'", NULL, 0},
	        {"port 65536", "192.168.0.0:65536", NULL, 0},
	        {"port 0", "192.168.0.0:0", NULL, 0},
	        {"bad v4 port", "192.168.0.330:170", NULL, 0},
	        {"v6 big", "'[9000::]:98956'", NULL, 0},
	        {"v6 65536", "'[9000::]:65536'", NULL, 0},
	        {"v6 0", "'[9000::]:0'", NULL, 0},
	        {"bad v6 port", "'[9000::FFFFF]:170'", NULL, 0},
	        {"empty port", "'192.168.0.0:'", NULL, 0},
	        {"v6 empty port", "'[9000::]:'", NULL, 0},
	        {"no host", "':8552'", NULL, 0},
	        {"empty brackets", "'[]:8552'", NULL, 0},
	        {"brackets no port", "'[9000::]'", NULL, 0},
	};
	struct fx *f = *state;
	size_t i;
	char buf[512];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_bgppeer *p;
		reset(f);
		snprintf(buf, sizeof(buf),
		         "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
		         "metadata: {name: p}\nspec:\n  peerIP: %s\n",
		         cases[i].in);
		assert_int_equal(px(f, buf), 0);
		p = &f->m->calico.bgppeers[0];
		if (cases[i].addr) {
			if (f->d.count[RR_SEV_ERROR]) {
				dump(f);
				fail_msg("%s: rejected", cases[i].what);
			}
			assert_string_equal(astr(&p->peer_ip), cases[i].addr);
			assert_int_equal(p->peer_port, cases[i].port);
			assert_true(p->peer_ip_text.set);
		} else {
			if (!has_diag(f, RR_SEV_ERROR, RR_RULE_CALICO_INVALID,
			              5, 11))
				fail_msg("%s: accepted", cases[i].what);
			assert_false(p->peer_ip_text.set);
		}
	}
}

static void
test_asn(void **state)
{
	/* numorstring_test.go, plus YAML 1.1 scalar traps */
	static const struct {
		const char *what, *in;
		int ok; /* 1 value, 0 rejected */
		uint32_t want;
		bool warn;
	} cases[] = {
	        {"zero", "0", 1, 0, false},
	        {"max", "4294967295", 1, 4294967295u, false},
	        {"quoted", "\"0\"", 1, 0, false},
	        {"quoted max", "\"4294967295\"", 1, 4294967295u, false},
	        {"asdot", "\"1.10\"", 1, 65546, false},
	        {"asdot zeros", "\"00.00\"", 1, 0, false},
	        {"asdot 00.01", "\"00.01\"", 1, 1, false},
	        {"asdot max", "\"65535.65535\"", 1, 4294967295u, false},
	        {"negative", "-1", 0, 0, false},
	        {"too big", "4294967296", 0, 0, false},
	        {"three parts", "\"1.1.1\"", 0, 0, false},
	        {"high too big", "\"65536.65535\"", 0, 0, false},
	        {"low too big", "\"65535.65536\"", 0, 0, false},
	        {"negative low", "\"0.-1\"", 0, 0, false},
	        {"unquoted float", "1.10", 1, 65546, true},
	        {"octal trap", "064512", 1, 26954, true},
	        {"leading zero non-octal", "0645129", 1, 645129, true},
	        {"junk", "AS64512", 0, 0, false},
	};
	struct fx *f = *state;
	size_t i;
	char buf[512];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_bgppeer *p;
		reset(f);
		snprintf(buf, sizeof(buf),
		         "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
		         "metadata: {name: p}\nspec:\n  asNumber: %s\n",
		         cases[i].in);
		assert_int_equal(px(f, buf), 0);
		p = &f->m->calico.bgppeers[0];
		if (cases[i].ok) {
			if (!p->as_number.set ||
			    p->as_number.v != cases[i].want) {
				dump(f);
				fail_msg("%s: got %u", cases[i].what,
				         p->as_number.v);
			}
			if (cases[i].warn)
				WANT_DIAG(f, RR_SEV_WARNING,
				          RR_RULE_PARSE_WARNING, 5, 13);
			else
				assert_int_equal(f->d.count[RR_SEV_WARNING], 0);
		} else {
			assert_false(p->as_number.set);
			WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, 5,
			          13);
		}
	}
}

static void
test_durations(void **state)
{
	static const struct {
		const char *in;
		int ok;
		uint32_t want;
	} cases[] = {
	        {"10s", 1, 10},  {"2m", 1, 120},   {"1h30m", 1, 5400},
	        {"500ms", 1, 1}, {"499ms", 1, 0},  {"1.5s", 1, 2},
	        {"0", 1, 0},     {"120s", 1, 120}, {"1m0.5s", 1, 61},
	        {"90", 0, 0},    {"10x", 0, 0},    {"s", 0, 0},
	        {"-5s", 0, 0},   {"''", 0, 0},
	};
	struct fx *f = *state;
	size_t i;
	char buf[512];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_bgppeer *p;
		reset(f);
		snprintf(buf, sizeof(buf),
		         "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
		         "metadata: {name: p}\nspec:\n  maxRestartTime: %s\n",
		         cases[i].in);
		assert_int_equal(px(f, buf), 0);
		p = &f->m->calico.bgppeers[0];
		if (cases[i].ok) {
			if (!p->max_restart_time.set ||
			    p->max_restart_time.v != cases[i].want)
				fail_msg("%s: got %u", cases[i].in,
				         p->max_restart_time.v);
		} else {
			assert_false(p->max_restart_time.set);
			WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, 5,
			          19);
		}
	}
}

static void
test_invalid_values(void **state)
{
	/* { .what, .in (spec line of a BGPPeer / Node), .want col } */
	static const struct {
		const char *what, *kind, *in;
		uint32_t col;
	} cases[] = {
	        {"mapping for string", "BGPPeer", "node: {a: b}", 9},
	        {"string for bool", "BGPPeer", "keepOriginalNextHop: 'true'",
	         24},
	        {"word for bool", "BGPPeer", "keepOriginalNextHop: maybe", 24},
	        {"quoted number", "BGPPeer", "ttlSecurity: '1'", 16},
	        {"ttl too big", "BGPPeer", "ttlSecurity: 256", 16},
	        {"bad enum", "BGPPeer", "nextHopMode: Invalid", 16},
	        {"bad source", "BGPPeer", "sourceAddress: rubbish", 18},
	        {"bad reachableBy", "BGPPeer", "reachableBy: 999.999.999.999",
	         16},
	        {"list for string", "BGPPeer", "node: [a]", 9},
	        {"cluster id int", "Node",
	         "bgp: {routeReflectorClusterID: '1'}", 34},
	        {"cluster id bad", "Node",
	         "bgp: {routeReflectorClusterID: 300.34.3.1}", 34},
	        {"v6 in v4", "Node", "bgp: {ipv4Address: 'fd00::1'}", 22},
	        {"pool not masked", "IPPool", "cidr: 10.0.0.1/16", 9},
	        {"pool mode case", "IPPool", "ipipMode: never", 13},
	        {"listen port 0", "BGPConfiguration", "listenPort: 0", 15},
	        {"log level", "BGPConfiguration",
	         "logSeverityScreen: invalidLvl", 22},
	};
	struct fx *f = *state;
	size_t i;
	char buf[512];
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset(f);
		snprintf(buf, sizeof(buf),
		         "apiVersion: projectcalico.org/v3\nkind: %s\n"
		         "metadata: {name: x}\nspec:\n  %s\n",
		         cases[i].kind, cases[i].in);
		assert_int_equal(px(f, buf), 0);
		if (!has_diag(f, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, 5,
		              cases[i].col)) {
			dump(f);
			fail_msg("%s: no calico-invalid at 5:%u", cases[i].what,
			         cases[i].col);
		}
	}
}

static void
test_unknown_field(void **state)
{
	struct fx *f = *state;
	assert_int_equal(px(f, "apiVersion: projectcalico.org/v3\n"
	                       "kind: BGPPeer\n"
	                       "metadata:\n"
	                       "  name: p\n"
	                       "  scope: global\n"
	                       "spec:\n"
	                       "  peerIP: 1.2.3.4\n"
	                       "  asNumbr: 64512\n"
	                       "  node: n1\n"
	                       "extra: 1\n"),
	                 0);
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 8, 3);
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 5, 3);
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 10, 1);
	assert_string_equal(f->m->calico.bgppeers[0].node.v, "n1");
	assert_int_equal(f->d.count[RR_SEV_ERROR], 0);
}

static void
test_missing_name(void **state)
{
	struct fx *f = *state;
	assert_int_equal(px(f,
	                    "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	                    "spec: {peerIP: 1.2.3.4}\n"),
	                 0);
	assert_int_equal(f->m->calico.nbgppeers, 0);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_CALICO_INVALID, 1, 1);
}

/* ------------------------------------------------------- hostile input */

static void
test_fatal_inputs(void **state)
{
	static const struct {
		const char *what, *in;
		uint32_t line, col;
	} cases[] = {
	        {"truncated flow",
	         "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata: "
	         "{name: p\n",
	         4, 1},
	        {"bad indent", "apiVersion: v1\nkind: Node\n  metadata: x\n", 3,
	         11},
	        {"unterminated quote", "apiVersion: v1\nkind: 'Node\n", 3, 1},
	        {"tab", "a:\n\t- b\n", 2, 1},
	        {"binary", "apiVersion: v1\nkind: \x01\x02\x03\n", 2, 7},
	        {"NUL", "apiVersion: v1\n\0kind: Node\n", 2, 1},
	        {"bad utf8", "apiVersion: v1\nkind: \xff\xfe Node\n", 2, 7},
	        {"undefined alias", "a: *nope\n", 1, 4},
	};
	struct fx *f = *state;
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);
		reset(f);
		if (!strcmp(cases[i].what, "NUL"))
			len = 27;
		assert_int_equal(parse_calico(f->m, "t.yaml", cases[i].in, len,
		                              NULL, &f->d),
		                 -1);
		if (!has_diag(f, RR_SEV_FATAL, NULL, cases[i].line,
		              cases[i].col)) {
			dump(f);
			fail_msg("%s: no fatal at %u:%u", cases[i].what,
			         cases[i].line, cases[i].col);
		}
	}
}

static void
test_legacy_v1(void **state)
{
	struct fx *f = *state;
	assert_int_equal(
	        px(f,
	           "apiVersion: v1\nkind: bgpPeer\nmetadata:\n  scope: global\n"
	           "  peerIP: 192.20.30.40\nspec:\n  asNumber: 64567\n"),
	        -1);
	WANT_DIAG(f, RR_SEV_FATAL, NULL, 2, 7);
	assert_int_equal(f->m->calico.nbgppeers, 0);
}

/* This process's CPU time: other processes on a loaded machine (make
 * check runs suites side by side) do not count in it, wall time would. */
static double
cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_alias_bomb(void **state)
{
	struct fx *f = *state;
	const char *bomb = "a: &a "
	                   "[\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
	                   "\"lol\",\"lol\",\"lol\"]\n"
	                   "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	                   "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	                   "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	                   "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	                   "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	                   "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	                   "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	                   "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	double t0 = cpu_now();
	assert_int_equal(px(f, bomb), -1);
	assert_true(rr_diags_has_fatal(&f->d));
	assert_true(cpu_now() - t0 < 1.0);
	/* many harmless aliases are refused too (> 100) */
	reset(f);
	{
		char *buf = malloc(200 * 8 + 64), *p = buf;
		int k;
		p += sprintf(p, "x: &x 1\ny: [");
		for (k = 0; k < 150; k++)
			p += sprintf(p, "*x,");
		sprintf(p, "]\n");
		assert_int_equal(px(f, buf), -1);
		free(buf);
	}
	WANT_DIAG(f, RR_SEV_FATAL, NULL, 2, 0);
}

static void
test_deep_nesting(void **state)
{
	struct fx *f = *state;
	size_t n = 10000, i;
	char *buf = malloc(2 * n + 2);
	double t0 = cpu_now();
	for (i = 0; i < n; i++)
		buf[i] = '[';
	for (i = 0; i < n; i++)
		buf[n + i] = ']';
	buf[2 * n] = '\n';
	buf[2 * n + 1] = '\0';
	assert_int_equal(px(f, buf), -1);
	WANT_DIAG(f, RR_SEV_FATAL, NULL, 1, 65);
	assert_true(cpu_now() - t0 < 1.0);
	free(buf);
}

/* n nodes as one YAML stream. */
static char *
nodes_yaml(size_t n, size_t *len)
{
	size_t i, cap = n * 400 + 1024;
	char *buf = malloc(cap);
	assert_non_null(buf);
	*len = 0;
	for (i = 0; i < n; i++)
		*len += (size_t)snprintf(
		        buf + *len, cap - *len,
		        "---\napiVersion: projectcalico.org/v3\nkind: Node\n"
		        "metadata:\n  name: node-%zu\n  labels: {rack: r%zu, "
		        "kubernetes.io/hostname: node-%zu}\nspec:\n  bgp:\n"
		        "    ipv4Address: 10.%zu.%zu.%zu/16\n    asNumber: "
		        "64512\n",
		        i, i % 16, i, (i >> 16) & 255, (i >> 8) & 255, i & 255);
	return buf;
}

/* The best of three parses of n nodes (twice into one model: the second
 * replaces every node), in CPU time. */
static double
parse_time(size_t n)
{
	size_t len, k;
	char *buf = nodes_yaml(n, &len);
	double best = 1e9;
	for (k = 0; k < 3; k++) {
		struct rr_model *m = rr_model_new();
		struct rr_diags d;
		double t0;
		rr_diags_init(&d);
		t0 = cpu_now();
		assert_int_equal(parse_calico(m, "a.yaml", buf, len, NULL, &d), 0);
		assert_int_equal(parse_calico(m, "b.yaml", buf, len, NULL, &d), 0);
		if (cpu_now() - t0 < best)
			best = cpu_now() - t0;
		assert_int_equal(m->calico.nnodes, n);
		assert_string_equal(m->calico.nodes[0].meta.loc.file, "b.yaml");
		rr_diags_release(&d);
		rr_model_free(m);
	}
	free(buf);
	return best;
}

/* Reading (and replacing) nodes stays linear: four times the nodes take
 * about four times as long, not sixteen (a ratio of CPU times, so neither
 * a loaded machine nor a sanitizer build makes it fail; make bench has
 * the figures). */
static void
test_big_cluster(void **state)
{
	double small, big;
	(void)state;
	small = parse_time(1250);
	big = parse_time(5000);
	print_message("5000-node YAML parsed twice: %.3f s (1250 nodes: "
	              "%.3f s)\n",
	              big, small);
	assert_true(big < 10 * small);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_bgpconfig),
	        T(test_bgppeer),
	        T(test_node_v3),
	        T(test_node_k8s),
	        T(test_pool_affinity_filter_secret),
	        T(test_bgpfilter_rules),
	        T(test_bgpfilter_invalid),
	        T(test_service_slice),
	        T(test_repeated_filters),
	        T(test_calico_rejects),
	        T(test_list_forms),
	        T(test_replace_across_files),
	        T(test_delete_mode),
	        T(test_yaml11_labels),
	        T(test_tag_trap),
	        T(test_selector_error_location),
	        T(test_peer_ip),
	        T(test_asn),
	        T(test_durations),
	        T(test_invalid_values),
	        T(test_unknown_field),
	        T(test_missing_name),
	        T(test_fatal_inputs),
	        T(test_legacy_v1),
	        T(test_alias_bomb),
	        T(test_deep_nesting),
	        T(test_big_cluster),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
