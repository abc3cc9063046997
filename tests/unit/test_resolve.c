/*
 * resolve/resolve.c on small inline clusters: the seed topology, mesh
 * passivity and the mesh cap, reverse peering, route-reflector clients,
 * peerIP ports, router ids (CALICO_ROUTER_ID), passwords from Secrets,
 * originated blocks (confirmed, pending, assumed), service routes (ranges,
 * a Service's own addresses by traffic policy and endpoints), communities,
 * reachableBy routes, and the address of an IOS router whose config has no
 * interfaces.  The confd oracle
 * (test_confd.c) checks the same rules against Calico's own goldens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/tfixture.h"

#include "parsers/parsers.h"
#include "resolve/resolve.h"

static void
yaml(struct fx *f, const char *y)
{
	assert_int_equal(parse_calico(f->m, "t.yaml", y, strlen(y), NULL, &f->d),
			 0);
}

static int
resolve(struct fx *f, const struct resolve_opts *o)
{
	return resolve_calico(f->m, o, &f->d);
}

static const struct rr_speaker *
spk(struct fx *f, const char *name)
{
	const struct rr_speaker *s = rr_model_find_speaker(f->m, name);
	assert_non_null(s);
	return s;
}

static const struct rr_neighbor *
nb(const struct rr_speaker *s, const char *name)
{
	size_t i;
	for (i = 0; i < s->nneighbors; i++)
		if (s->neighbors[i].name && !strcmp(s->neighbors[i].name, name))
			return &s->neighbors[i];
	fail_msg("speaker '%s' has no session '%s'", s->name, name);
	return NULL;
}

static const char *
addr(const struct rr_addr *a)
{
	static char b[4][RR_ADDR_STRLEN];
	static int k;
	return rr_addr_str(a, b[k++ & 3]);
}

#define NODE(name, ip, extra)                                                 \
	"---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n"     \
	"  name: " name "\n" extra "spec:\n  bgp:\n    ipv4Address: " ip "\n"
#define MESH_OFF                                                              \
	"---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"    \
	"metadata:\n  name: default\nspec:\n  nodeToNodeMeshEnabled: false\n" \
	"  asNumber: 64512\n"

static void
test_seed(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *a;
	const struct rr_neighbor *n;

	yaml(f, MESH_OFF
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: rr1\nspec:\n  nodeSelector: all()\n"
	     "  peerIP: 192.168.1.1\n  asNumber: 64512\n"
	     NODE("node-a", "192.168.1.10/24", "")
	     NODE("node-b", "192.168.1.11/24", "")
	     NODE("node-c", "192.168.1.12/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	assert_true(f->m->resolved);
	a = spk(f, "node-a");
	assert_int_equal(a->kind, RR_SPK_CALICO);
	assert_int_equal(a->asn.v, 64512);
	assert_string_equal(addr(&a->router_id.v), "192.168.1.10");
	assert_int_equal(a->nneighbors, 1);
	n = nb(a, "Node_192_168_1_1");
	assert_string_equal(addr(&n->peer), "192.168.1.1");
	assert_int_equal(n->scope, RR_SCOPE_NODE);
	assert_int_equal(n->remote_as.v, 64512);
	assert_false(n->passive);
	assert_false(n->rr_client.set);
	assert_true(n->export_internal);
	assert_string_equal(addr(&n->source_address.v), "192.168.1.10");
	assert_int_equal(n->ebgp_multihop.v, 64);
	/* the session points at the peerIP line */
	assert_int_equal(n->loc.line, 16);
}

/* R7, R22: the mesh, passive toward the greater address text. */
static void
test_mesh_passive(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s;

	yaml(f, NODE("n9", "10.0.0.9/24", "") NODE("n10", "10.0.0.10/24", "")
		NODE("n11", "10.0.0.11/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	s = spk(f, "n9");
	assert_int_equal(s->nneighbors, 2);
	/* "10.0.0.10" < "10.0.0.9" byte-wise: n9 initiates to nobody... */
	assert_false(nb(s, "Mesh_10_0_0_10")->passive);
	assert_false(nb(s, "Mesh_10_0_0_11")->passive);
	s = spk(f, "n10");
	assert_true(nb(s, "Mesh_10_0_0_9")->passive);
	assert_true(nb(s, "Mesh_10_0_0_11")->passive);
	assert_int_equal(nb(s, "Mesh_10_0_0_9")->scope, RR_SCOPE_MESH);
	assert_int_equal(f->m->mesh_sessions, 3);
	assert_false(f->m->mesh_elided);
}

/* A mesh too large to hold is counted, not built. */
static void
test_mesh_cap(void **state)
{
	struct fx *f = *state;
	struct resolve_opts o = {.max_mesh_nodes = 2};
	size_t i;
	bool warned = false;

	yaml(f, NODE("a", "10.0.0.1/24", "") NODE("b", "10.0.0.2/24", "")
		NODE("c", "10.0.0.3/24", ""));
	assert_int_equal(resolve(f, &o), 0);
	assert_true(f->m->mesh_elided);
	assert_int_equal(f->m->mesh_sessions, 3);
	assert_int_equal(spk(f, "a")->nneighbors, 0);
	for (i = 0; i < f->d.n; i++)
		warned |= f->d.v[i].sev == RR_SEV_WARNING &&
			  strstr(f->d.v[i].msg, "3 sessions") != NULL;
	assert_true(warned);
}

/* R12, R25: a peerSelector to an in-cluster reflector is reversed, and
 * the reflector makes its iBGP peers clients. */
static void
test_reverse_rr(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *rr, *c;
	const struct rr_neighbor *n;

	yaml(f, MESH_OFF
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: to-rr\nspec:\n  nodeSelector: all()\n"
	     "  peerSelector: route-reflector == 'true'\n"
	     "---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n"
	     "  name: rr\n  labels:\n    route-reflector: yes\nspec:\n"
	     "  bgp:\n    ipv4Address: 10.0.0.1/24\n"
	     "    routeReflectorClusterID: 224.0.0.1\n"
	     NODE("w1", "10.0.0.11/24", "") NODE("w2", "10.0.0.12/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	rr = spk(f, "rr");
	assert_int_equal(rr->nneighbors, 2);
	n = nb(rr, "Node_10_0_0_11");
	assert_true(n->rr_client.v);
	assert_int_equal(rr_nb_rare(n)->rr_cluster_id.v, 0xe0000001u);
	assert_string_equal(n->remote_node, "w1");
	c = spk(f, "w1");
	assert_int_equal(c->nneighbors, 1);
	n = nb(c, "Node_10_0_0_1");
	assert_false(n->rr_client.set);
	assert_string_equal(n->remote_node, "rr");
	assert_int_equal(rr->cluster_id.v, 0xe0000001u);
}

/* R10: a peerIP that is a Calico node takes its listen port; R15 name. */
static void
test_peerip_port(void **state)
{
	struct fx *f = *state;
	const struct rr_neighbor *n;

	yaml(f, MESH_OFF
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	     "metadata:\n  name: node.b\nspec:\n  listenPort: 1790\n"
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: p\nspec:\n  peerIP: 10.0.0.2\n"
	     "  asNumber: 64512\n"
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: q\nspec:\n  peerIP: 10.9.9.9:1234\n"
	     "  asNumber: 65001\n  password:\n    secretKeyRef:\n"
	     "      name: bgp\n      key: q\n"
	     "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bgp\n"
	     "  namespace: kube-system\nstringData:\n  q: s3cret\n"
	     NODE("a", "10.0.0.1/24", "") NODE("b", "10.0.0.2/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	n = nb(spk(f, "a"), "Global_10_0_0_2_port_1790");
	assert_int_equal(n->port, 1790);
	assert_true(n->passive); /* a Calico node with the greater text */
	n = nb(spk(f, "a"), "Global_10_9_9_9_port_1234");
	assert_false(n->passive);
	assert_false(n->export_internal); /* eBGP */
	assert_true(n->password.v);
	assert_int_equal(n->password_hash, rr_hash64("s3cret", 6));
	/* b never peers with itself (R14); it peers with the outsider, and
	 * back with a by reverse peering (R12): a matched b's address+AS */
	assert_int_equal(spk(f, "b")->nneighbors, 2);
	assert_int_equal(nb(spk(f, "b"), "Node_10_0_0_1")->remote_as.v, 64512);
	assert_int_equal(spk(f, "b")->listen_port.v, 1790);
}

/* R26: a Secret that is missing leaves the session without password. */
static void
test_password_missing(void **state)
{
	struct fx *f = *state;
	const struct rr_neighbor *n;
	yaml(f, MESH_OFF
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: p\nspec:\n  peerIP: 10.9.9.9\n"
	     "  asNumber: 64512\n  password:\n    secretKeyRef:\n"
	     "      name: nope\n      key: k\n"
	     NODE("a", "10.0.0.1/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	n = nb(spk(f, "a"), "Global_10_9_9_9");
	assert_false(n->password.set);
	assert_true(n->password_unresolved);
}

/* R2 */
static void
test_router_id(void **state)
{
	struct fx *f = *state;
	struct resolve_opts o = {.router_id_env = "hash"};
	struct rr_addr a = resolve_router_id_hash("kube-master");
	assert_string_equal(addr(&a), "25.79.212.8");
	yaml(f, NODE("kube-master", "10.0.0.1/24", ""));
	assert_int_equal(resolve(f, &o), 0);
	assert_string_equal(addr(&spk(f, "kube-master")->router_id.v),
			    "25.79.212.8");
}

/* R30: confirmed blocks only; a note when a node has none. */
static void
test_originates(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s;
	size_t i;
	bool noted = false;

	yaml(f, NODE("a", "10.0.0.1/24", "") NODE("b", "10.0.0.2/24", "")
	     "---\napiVersion: crd.projectcalico.org/v1\nkind: BlockAffinity\n"
	     "metadata:\n  name: x\nspec:\n  node: a\n  cidr: 10.244.1.0/26\n"
	     "  state: confirmed\n"
	     "---\napiVersion: crd.projectcalico.org/v1\nkind: BlockAffinity\n"
	     "metadata:\n  name: y\nspec:\n  node: a\n  cidr: 10.244.0.0/26\n"
	     "  state: confirmed\n"
	     "---\napiVersion: crd.projectcalico.org/v1\nkind: BlockAffinity\n"
	     "metadata:\n  name: z\nspec:\n  node: b\n  cidr: 10.244.2.0/26\n"
	     "  state: pending\n");
	assert_int_equal(resolve(f, NULL), 0);
	s = spk(f, "a");
	assert_int_equal(s->noriginates, 2);
	assert_int_equal(s->originates[0].p.addr.b[2], 0); /* sorted */
	assert_int_equal(s->originates[1].p.addr.b[2], 1);
	assert_int_equal(spk(f, "b")->noriginates, 0);
	for (i = 0; i < f->d.n; i++)
		noted |= f->d.v[i].sev == RR_SEV_NOTE &&
			 strstr(f->d.v[i].msg, "'b'") != NULL;
	assert_true(noted);
}

static void
test_assume_blocks(void **state)
{
	struct fx *f = *state;
	struct resolve_opts o = {.assume_blocks = true};
	char b[RR_PREFIX_STRLEN];

	yaml(f, NODE("a", "10.0.0.1/24", "") NODE("b", "10.0.0.2/24", "")
	     "---\napiVersion: projectcalico.org/v3\nkind: IPPool\n"
	     "metadata:\n  name: p\nspec:\n  cidr: 10.244.0.0/16\n"
	     "  blockSize: 26\n");
	assert_int_equal(resolve(f, &o), 0);
	assert_int_equal(spk(f, "a")->noriginates, 1);
	assert_true(spk(f, "a")->originates[0].assumed);
	assert_string_equal(rr_prefix_str(&spk(f, "a")->originates[0].p, b),
			    "10.244.0.0/26");
	assert_string_equal(rr_prefix_str(&spk(f, "b")->originates[0].p, b),
			    "10.244.0.64/26");
}

/* An IOS router without interfaces gets the address the nodes peer with
 * when its neighbors are those nodes; --address overrides. */
static void
test_router_address(void **state)
{
	struct fx *f = *state;
	const char *ios = "hostname rr1\n!\nrouter bgp 64512\n"
			  " neighbor 192.168.1.10 remote-as 64512\n"
			  " neighbor 192.168.1.11 remote-as 64512\n";
	const struct rr_speaker *r;
	char b[RR_PREFIX_STRLEN];

	assert_int_equal(parse_ios(f->m, "r.ios", ios, strlen(ios), &f->d), 0);
	yaml(f, MESH_OFF
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: rr1\nspec:\n  peerIP: 192.168.1.1\n"
	     "  asNumber: 64512\n"
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: other\nspec:\n  peerIP: 172.16.0.1\n"
	     "  asNumber: 65000\n  node: c\n"
	     NODE("a", "192.168.1.10/24", "") NODE("b", "192.168.1.11/24", "")
	     NODE("c", "192.168.1.12/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	r = spk(f, "rr1");
	assert_int_equal(r->naddrs, 1);
	assert_true(r->addrs_inferred);
	assert_string_equal(rr_prefix_str(&r->addrs[0].p, b), "192.168.1.1/32");
}

static void
test_router_address_hint(void **state)
{
	struct fx *f = *state;
	const char *ios = "hostname rr1\n!\nrouter bgp 64512\n"
			  " neighbor 192.168.1.10 remote-as 64512\n";
	struct resolve_addr_hint h = {.speaker = "rr1"};
	struct resolve_opts o = {.addr_hints = &h, .naddr_hints = 1};
	char b[RR_PREFIX_STRLEN];

	assert_int_equal(rr_addr_parse("192.168.1.2", &h.addr), 0);
	assert_int_equal(parse_ios(f->m, "r.ios", ios, strlen(ios), &f->d), 0);
	yaml(f, MESH_OFF NODE("a", "192.168.1.10/24", ""));
	assert_int_equal(resolve(f, &o), 0);
	assert_string_equal(rr_prefix_str(&spk(f, "rr1")->addrs[0].p, b),
			    "192.168.1.2/32");
	/* a hint naming no router is bad input */
	reset(f);
	h.speaker = "nope";
	yaml(f, NODE("a", "192.168.1.10/24", ""));
	assert_int_equal(resolve(f, &o), -1);
	assert_true(rr_diags_has_fatal(&f->d));
}

/* Per-node AS overrides the global one (R1); the mesh uses the remote's
 * own AS, else the local node's (R7). */
static void
test_node_as(void **state)
{
	struct fx *f = *state;
	yaml(f, "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
		"metadata:\n  name: default\nspec:\n  asNumber: 64600\n"
	     "---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n"
	     "  name: a\nspec:\n  bgp:\n    ipv4Address: 10.0.0.1/24\n"
	     "    asNumber: 65001\n" NODE("b", "10.0.0.2/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	assert_int_equal(spk(f, "a")->asn.v, 65001);
	assert_int_equal(spk(f, "b")->asn.v, 64600);
	assert_int_equal(nb(spk(f, "a"), "Mesh_10_0_0_2")->remote_as.v, 65001);
	assert_int_equal(nb(spk(f, "b"), "Mesh_10_0_0_1")->remote_as.v, 65001);
	assert_false(nb(spk(f, "b"), "Mesh_10_0_0_1")->export_internal);
}

/* R13: two BGPPeers claiming one session: recorded when they differ. */
static void
test_peer_conflict(void **state)
{
	struct fx *f = *state;
#define TWO(extra)                                                            \
	MESH_OFF "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"    \
		 "metadata:\n  name: p1\nspec:\n  peerIP: 10.9.9.9\n"        \
		 "  asNumber: 65000\n"                                         \
		 "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"     \
		 "metadata:\n  name: p2\nspec:\n  peerIP: 10.9.9.9\n"        \
		 "  asNumber: 65000\n" extra NODE("a", "10.0.0.1/24", "")      \
			 NODE("b", "10.0.0.2/24", "")

	yaml(f, TWO("  keepaliveTime: 20s\n"));
	assert_int_equal(resolve(f, NULL), 0);
	assert_int_equal(f->m->npeer_conflicts, 1);
	assert_string_equal(f->m->peer_conflicts[0].kept->meta.name, "p1");
	assert_string_equal(f->m->peer_conflicts[0].lost->meta.name, "p2");
	assert_null(f->m->peer_conflicts[0].node); /* a global session */
	/* the first one wins: no keepalive on the session */
	assert_false(nb(spk(f, "a"), "Global_10_9_9_9")->keepalive.set);

	reset(f);
	yaml(f, TWO(""));
	assert_int_equal(resolve(f, NULL), 0);
	assert_int_equal(f->m->npeer_conflicts, 0); /* the same settings */
}

/* ------------------------------------------------ service routes */

/* The node's originations of one kind, as "p1 p2 ..." in model order. */
static const char *
origins(struct fx *f, const char *node, int kind)
{
	static char out[1024];
	const struct rr_speaker *s = spk(f, node);
	char b[RR_PREFIX_STRLEN];
	size_t i, n = 0;
	out[0] = '\0';
	for (i = 0; i < s->noriginates; i++)
		if (kind < 0 || (int)s->originates[i].kind == kind)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s",
					      n ? " " : "",
					      rr_prefix_str(&s->originates[i].p,
							    b));
	return out;
}

#define SVC_CONFIG(extra)                                                     \
	"---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"    \
	"metadata:\n  name: default\nspec:\n  nodeToNodeMeshEnabled: false\n" \
	extra
#define THREE_NODES                                                           \
	NODE("a", "10.0.0.1/24", "") NODE("b", "10.0.0.2/24", "")             \
	NODE("c", "10.0.0.3/24", "  labels:\n"                                \
		  "    node.kubernetes.io/exclude-from-external-load-balancers: " \
		  "\"true\"\n")
#define SERVICE(name, type, policy, extra)                                    \
	"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " name "\n"   \
	"spec:\n  type: " type "\n  externalTrafficPolicy: " policy "\n" extra
#define SLICE(svc, fam, node, ready)                                          \
	"---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"        \
	"metadata:\n  name: " svc "-" node "\n  labels:\n"                    \
	"    kubernetes.io/service-name: " svc "\naddressType: " fam "\n"     \
	"endpoints:\n- addresses: [\"192.168.9.9\"]\n  nodeName: " node "\n"  \
	"  conditions:\n    ready: " ready "\n"

/* Ranges from every node not excluded; single addresses are not ranges
 * (external) or not routed at all (LB, aggregated); a Local Service's own
 * address only from nodes with a ready local endpoint. */
static void
test_service_ranges(void **state)
{
	struct fx *f = *state;

	yaml(f, SVC_CONFIG("  serviceClusterIPs:\n  - cidr: 10.96.0.0/12\n"
			   "  - {}\n"
			   "  serviceExternalIPs:\n  - cidr: 203.0.113.0/24\n"
			   "  - cidr: 198.51.100.7/32\n"
			   "  serviceLoadBalancerIPs:\n  - cidr: 192.0.2.0/24\n"
			   "  - cidr: 192.0.2.200/32\n")
	     THREE_NODES
	     SERVICE("web", "LoadBalancer", "Local",
		     "  clusterIP: 10.96.0.10\n")
	     SLICE("web", "IPv4", "b", "true") SLICE("web", "IPv4", "a", "false")
	     SLICE("web", "IPv4", "c", "true"));
	assert_int_equal(resolve(f, NULL), 0);
	assert_string_equal(origins(f, "a", -1),
			    "10.96.0.0/12 192.0.2.0/24 203.0.113.0/24");
	assert_string_equal(origins(f, "b", RR_ORIG_SVC_IP), "10.96.0.10/32");
	assert_true(spk(f, "b")->originates[1].local_policy);
	assert_string_equal(spk(f, "b")->originates[1].service, "default/web");
	assert_string_equal(origins(f, "c", -1), ""); /* excluded */
	/* the kernel never gets the ranges, also on the excluded node */
	assert_int_equal(f->m->nservice_ranges, 3);
}

/* Cluster policy: aggregated by the ranges, except a single-address LB
 * or external IP (then from every node, whatever the endpoints); without
 * aggregation, from every node once an endpoint is ready anywhere. */
static void
test_service_cluster(void **state)
{
	struct fx *f = *state;
#define LB_SINGLE                                                             \
	"  clusterIP: 10.96.0.11\nstatus:\n  loadBalancer:\n"                 \
	"    ingress:\n    - ip: 192.0.2.200\n"

	yaml(f, SVC_CONFIG("  serviceClusterIPs:\n  - cidr: 10.96.0.0/12\n"
			   "  serviceLoadBalancerIPs:\n"
			   "  - cidr: 192.0.2.200/32\n")
	     THREE_NODES SERVICE("agg", "LoadBalancer", "Cluster",
				 "  clusterIP: 10.96.0.12\n")
	     SLICE("agg", "IPv4", "a", "true"));
	assert_int_equal(resolve(f, NULL), 0);
	/* aggregated: the range (here serviceClusterIPs) carries it */
	assert_string_equal(origins(f, "a", RR_ORIG_SVC_IP), "");

	reset(f);
	yaml(f, SVC_CONFIG("  serviceClusterIPs:\n  - cidr: 10.96.0.0/12\n"
			   "  serviceLoadBalancerIPs:\n"
			   "  - cidr: 192.0.2.200/32\n")
	     THREE_NODES SERVICE("one", "LoadBalancer", "Cluster", LB_SINGLE)
	     SLICE("one", "IPv4", "b", "false"));
	assert_int_equal(resolve(f, NULL), 0);
	/* no ready endpoint, yet every node: a single LB address */
	assert_string_equal(origins(f, "a", RR_ORIG_SVC_IP),
			    "10.96.0.11/32 192.0.2.200/32");
	assert_string_equal(origins(f, "c", RR_ORIG_SVC_IP), "");

	reset(f);
	yaml(f, SVC_CONFIG("  serviceLoadBalancerIPs:\n  - cidr: 192.0.2.0/24\n"
			   "  serviceLoadBalancerAggregation: Disabled\n")
	     THREE_NODES
	     SERVICE("x", "LoadBalancer", "Cluster",
		     "  clusterIP: 10.96.0.11\nstatus:\n  loadBalancer:\n"
		     "    ingress:\n    - ip: 192.0.2.7\n")
	     SLICE("x", "IPv4", "b", "true"));
	assert_int_equal(resolve(f, NULL), 0);
	/* no range, and the cluster IP only with serviceClusterIPs */
	assert_string_equal(origins(f, "a", -1), "192.0.2.7/32");
	assert_int_equal(f->m->nservice_ranges, 0);
}

/* What stops a Service's own address: an endpoint of the other family, a
 * not-ready one, no EndpointSlice at all, a headless Service. */
static void
test_service_none(void **state)
{
	struct fx *f = *state;
	yaml(f, SVC_CONFIG("  serviceClusterIPs:\n  - cidr: fd00:96::/112\n"
			   "  - cidr: 10.96.0.0/12\n")
	     THREE_NODES
	     SERVICE("v6", "ClusterIP", "Local", "  clusterIP: fd00:96::25\n")
	     SLICE("v6", "IPv4", "a", "true")
	     SERVICE("notready", "LoadBalancer", "Local",
		     "  clusterIP: 10.96.0.2\n")
	     SLICE("notready", "IPv4", "a", "false")
	     SERVICE("noslice", "LoadBalancer", "Local",
		     "  clusterIP: 10.96.0.3\n")
	     SERVICE("headless", "ClusterIP", "Local", "  clusterIP: None\n")
	     SLICE("headless", "IPv4", "a", "true"));
	assert_int_equal(resolve(f, NULL), 0);
	assert_string_equal(origins(f, "a", RR_ORIG_SVC_IP), "");
}

/* "10.96.0.10" passes Calico's validation but not calico-node's
 * net.ParseCIDR: no cluster route and no cluster IP at all, said so. */
static void
test_service_bare_address(void **state)
{
	struct fx *f = *state;
	size_t i;
	bool warned = false;
	yaml(f, SVC_CONFIG("  serviceClusterIPs:\n  - cidr: 10.96.0.0/12\n"
			   "  - cidr: 10.100.0.1\n")
	     NODE("a", "10.0.0.1/24", "")
	     SERVICE("web", "LoadBalancer", "Local", "  clusterIP: 10.96.0.10\n")
	     SLICE("web", "IPv4", "a", "true"));
	assert_int_equal(resolve(f, NULL), 0);
	assert_string_equal(origins(f, "a", -1), "");
	for (i = 0; i < f->d.n; i++)
		warned |= f->d.v[i].sev == RR_SEV_WARNING &&
			  strstr(f->d.v[i].msg, "10.100.0.1") != NULL;
	assert_true(warned);
}

/* prefixAdvertisements: names resolved in the same resource, duplicates
 * dropped, sorted as text; node.<name>'s replace the default's. */
static void
test_communities(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *a, *b;
	yaml(f, SVC_CONFIG("  communities:\n  - name: big\n    value: 1:2:3\n"
			   "  prefixAdvertisements:\n"
			   "  - cidr: 10.244.0.0/16\n"
			   "    communities: [big, \"65000:9\", big, nope]\n")
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	     "metadata:\n  name: node.b\nspec:\n"
	     "  prefixAdvertisements:\n  - cidr: 10.244.1.0/24\n"
	     "    communities: [\"7:7\"]\n"
	     NODE("a", "10.0.0.1/24", "") NODE("b", "10.0.0.2/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	a = spk(f, "a");
	b = spk(f, "b");
	assert_int_equal(a->nadv_communities, 1);
	assert_int_equal(a->adv_communities[0].nvalues, 2);
	assert_string_equal(a->adv_communities[0].values[0], "1:2:3");
	assert_string_equal(a->adv_communities[0].values[1], "65000:9");
	assert_int_equal(b->nadv_communities, 1);
	assert_string_equal(b->adv_communities[0].cidr_text, "10.244.1.0/24");
}

/* reachableBy: the session records the gateway, the node a static route
 * (global peers, node peers); a filter naming no BGPFilter is recorded. */
static void
test_reachable_by(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *a;
	yaml(f, MESH_OFF
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: tor\nspec:\n  peerIP: 10.9.0.1\n"
	     "  asNumber: 65000\n  reachableBy: 10.0.0.254\n"
	     "  filters: [gone]\n"
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: v6\nspec:\n  peerIP: 10.9.0.2\n"
	     "  asNumber: 65000\n  reachableBy: fe80::1\n"
	     NODE("a", "10.0.0.1/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	a = spk(f, "a");
	assert_true(rr_nb_rare(nb(a, "Global_10_9_0_1"))->reachable_by.set);
	assert_string_equal(
	        addr(&rr_nb_rare(nb(a, "Global_10_9_0_1"))->reachable_by.v),
	        "10.0.0.254");
	assert_int_equal(a->nneighbors, 1); /* the family mismatch drops v6 */
	assert_int_equal(a->npeer_routes, 1);
	assert_true(a->peer_routes[0].global);
	assert_string_equal(addr(&a->peer_routes[0].via), "10.0.0.254");
	assert_int_equal(a->peer_routes[0].p.len, 32);
	assert_int_equal(f->m->nmissing_filters, 1);
	assert_string_equal(f->m->missing_filters[0].name, "gone");
	assert_int_equal(f->m->missing_filters[0].at.line, 18);
}

/* confd's keys write port 179 as no port: X:179 and X are one session. */
static void
test_port_179(void **state)
{
	struct fx *f = *state;
	yaml(f, MESH_OFF
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: p1\nspec:\n  peerIP: 10.9.9.9:179\n"
	     "  asNumber: 65000\n"
	     "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	     "metadata:\n  name: p2\nspec:\n  peerIP: 10.9.9.9\n"
	     "  asNumber: 65000\n" NODE("a", "10.0.0.1/24", ""));
	assert_int_equal(resolve(f, NULL), 0);
	assert_int_equal(spk(f, "a")->nneighbors, 1);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_seed),		 T(test_mesh_passive),
		T(test_mesh_cap),	 T(test_reverse_rr),
		T(test_peerip_port),	 T(test_password_missing),
		T(test_router_id),	 T(test_originates),
		T(test_assume_blocks),	 T(test_router_address),
		T(test_router_address_hint), T(test_node_as),
		T(test_peer_conflict),	 T(test_service_ranges),
		T(test_service_cluster), T(test_service_none),
		T(test_service_bare_address), T(test_communities),
		T(test_reachable_by),	 T(test_port_179),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
