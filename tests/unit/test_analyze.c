/*
 * analyze/: the grouping of alike nodes into classes changes nothing (every
 * (node, block) outcome, every finding and count equal with and without
 * it, on generated designs with faults in them); one finding per root
 * cause with its counts; and the semantics of the cases issue 10 lists
 * (in-cluster reflectors, a plain ToR with the mesh, distinct cluster-ids,
 * split homing on a shared cluster-id, one AS behind eBGP ToRs with and
 * without `allow local as`, listen limit, a single non-client node).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze/analyze.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"

#include "tests/unit/tfixture.h"

/* ----------------------------------------------------------- builders */

struct buf {
	char *p;
	size_t n, cap;
};

static void bf(struct buf *b, const char *fmt, ...) RR_PRINTF(2, 3);

static void
bf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		va_start(ap, fmt);
		k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0,
			      fmt, ap);
		va_end(ap);
		if (b->p && (size_t)k < b->cap - b->n) {
			b->n += (size_t)k;
			return;
		}
		b->cap = (b->cap + (size_t)k + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
}

/* A design: nodes 10.0.0.10+i in racks, routers at 10.0.0.1+r. */
struct design {
	unsigned nodes, routers;
	bool mesh;
	bool ebgp; /* routers in AS 65000+r, nodes in 64512 */
	bool allow; /* numAllowedLocalASNumbers: 1 */
	bool split; /* node i peers with router i % routers only */
	bool shared_cid; /* routers share cluster-id 1 (else 1, 2, ...) */
	bool rr_peer; /* routers peer with each other */
	unsigned rr_max_prefix; /* with maximum-prefix N toward each other */
	unsigned in_cluster_rr; /* the first k nodes are reflectors */
	bool plain; /* the routers reflect nothing (no client) */
	/* faults */
	int bad_as_node; /* router 0's neighbor for this node: remote-as 1 */
	int nonclient_node; /* router 0's neighbor: no rr client */
	int shutdown_node; /* router 0's neighbor shut down */
	int isolated_node; /* no BGPPeer selects it */
	bool no_route; /* the routers' interface is a /32: no route to any
			* node (no static route, no IGP) */
	bool node_peers; /* one BGPPeer per node and router (node: n..) */
	bool peer_typo; /* the BGPPeers name 10.0.0.200, nobody's */
	int typo_node; /* node_peers: this node's BGPPeer toward router 0
			* names 10.0.0.200 */
	const char *reach_by; /* the BGPPeers' reachableBy */
};

static void
router_cfg(struct buf *b, const struct design *d, unsigned r)
{
	unsigned i;
	unsigned as = d->ebgp ? 65000 + r : 64512;

	bf(b, "hostname r%u\ninterface GigabitEthernet0/0\n"
	      " ip address 10.0.0.%u 255.255.255.%u\n"
	      "router bgp %u\n bgp router-id 10.0.0.%u\n bgp cluster-id %u\n",
	   r, 1 + r, d->no_route ? 255 : 0, as, 1 + r,
	   d->shared_cid ? 1 : 1 + r);
	if (d->rr_peer)
		for (i = 0; i < d->routers; i++)
			if (i != r) {
				bf(b, " neighbor 10.0.0.%u remote-as %u\n", 1 + i,
				   d->ebgp ? 65000 + i : 64512);
				if (d->rr_max_prefix)
					bf(b, " neighbor 10.0.0.%u maximum-prefix"
					      " %u\n",
					   1 + i, d->rr_max_prefix);
			}
	for (i = 0; i < d->nodes; i++) {
		if (d->in_cluster_rr && i >= d->in_cluster_rr)
			continue; /* plain nodes talk to the node reflectors */
		if (d->split && i % d->routers != r)
			continue;
		if ((int)i == d->isolated_node)
			continue;
		bf(b, " neighbor 10.0.0.%u remote-as %u\n", 10 + i,
		   r == 0 && (int)i == d->bad_as_node ? 1u : 64512u);
		if (r == 0 && (int)i == d->shutdown_node)
			bf(b, " neighbor 10.0.0.%u shutdown\n", 10 + i);
		if (!d->ebgp && !d->in_cluster_rr && !d->plain &&
		    !(r == 0 && (int)i == d->nonclient_node))
			bf(b, " neighbor 10.0.0.%u route-reflector-client\n",
			   10 + i);
	}
}

static void
calico_cfg(struct buf *b, const struct design *d)
{
	unsigned i, r;

	bf(b, "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	      "metadata:\n  name: default\nspec:\n"
	      "  nodeToNodeMeshEnabled: %s\n  asNumber: 64512\n",
	   d->mesh ? "true" : "false");
	bf(b, "---\napiVersion: projectcalico.org/v3\nkind: IPPool\n"
	      "metadata:\n  name: p\nspec:\n  cidr: 10.244.0.0/16\n"
	      "  blockSize: 26\n");
	for (r = 0; d->node_peers && r < d->routers; r++)
		for (i = 0; i < d->nodes; i++)
			bf(b, "---\napiVersion: projectcalico.org/v3\n"
			      "kind: BGPPeer\nmetadata:\n  name: r%u-n%02u\n"
			      "spec:\n  node: n%02u\n  peerIP: 10.0.0.%u\n"
			      "  asNumber: %u\n",
			   r, i, i,
			   d->peer_typo || (!r && (int)i == d->typo_node)
				   ? 200
				   : 1 + r,
			   d->ebgp ? 65000 + r : 64512);
	for (r = 0; !d->node_peers && r < d->routers; r++) {
		bf(b, "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
		      "metadata:\n  name: r%u\nspec:\n  peerIP: 10.0.0.%u\n"
		      "  asNumber: %u\n",
		   r, 1 + r, d->ebgp ? 65000 + r : 64512);
		if (d->allow)
			bf(b, "  numAllowedLocalASNumbers: 1\n");
		if (d->reach_by)
			bf(b, "  reachableBy: %s\n", d->reach_by);
		if (d->in_cluster_rr)
			bf(b, "  nodeSelector: has(rr)\n");
		else if (d->split)
			bf(b, "  nodeSelector: home == 'r%u'\n", r);
		else
			bf(b, "  nodeSelector: has(peer)\n");
	}
	if (d->in_cluster_rr)
		bf(b, "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
		      "metadata:\n  name: to-rr\nspec:\n"
		      "  nodeSelector: has(peer)\n  peerSelector: has(rr)\n"
		      "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
		      "metadata:\n  name: rr-mesh\nspec:\n"
		      "  nodeSelector: has(rr)\n  peerSelector: has(rr)\n");
	for (i = 0; i < d->nodes; i++) {
		bool rr = i < d->in_cluster_rr;
		bf(b, "---\napiVersion: projectcalico.org/v3\nkind: Node\n"
		      "metadata:\n  name: n%02u\n  labels:\n", i);
		if (rr)
			bf(b, "    rr: 'true'\n");
		else if ((int)i != d->isolated_node)
			bf(b, "    peer: 'true'\n");
		bf(b, "    home: r%u\n", d->routers ? i % d->routers : 0);
		bf(b, "spec:\n  bgp:\n    ipv4Address: 10.0.0.%u/24\n", 10 + i);
		if (rr)
			bf(b, "    routeReflectorClusterID: 244.0.0.1\n");
		bf(b, "---\napiVersion: crd.projectcalico.org/v1\n"
		      "kind: BlockAffinity\nmetadata:\n  name: b%u\nspec:\n"
		      "  node: n%02u\n  cidr: 10.244.%u.0/26\n  state: confirmed\n",
		   i, i, i);
	}
}

static void
load(struct fx *f, const struct design *d, struct buf *bufs)
{
	unsigned r;

	for (r = 0; r < d->routers; r++) {
		char name[32];
		snprintf(name, sizeof(name), "r%u.ios", r);
		router_cfg(&bufs[r], d, r);
		parse_ios(f->m, rr_model_file(f->m, name), bufs[r].p, bufs[r].n,
			  &f->d);
	}
	calico_cfg(&bufs[d->routers], d);
	parse_calico(f->m, rr_model_file(f->m, "c.yaml"), bufs[d->routers].p,
		     bufs[d->routers].n, NULL, &f->d);
	assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
}

static void
free_bufs(struct buf *bufs, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(bufs[i].p);
}

/* ------------------------------------------------------- equivalence */

static struct design
base(unsigned nodes, unsigned routers)
{
	struct design d;
	memset(&d, 0, sizeof(d));
	d.nodes = nodes;
	d.routers = routers;
	d.bad_as_node = d.nonclient_node = d.shutdown_node = d.isolated_node =
		d.typo_node = -1;
	return d;
}

/* Families of designs, each with each fault, with and without classes. */


/* The same outcome, finding rule and count with and without classes. */
static void
same(const struct rr_model *m)
{
	struct az_opts plain = {.no_classes = true};
	struct az *a = az_run(m, NULL), *b = az_run(m, &plain);
	const struct az_verdict *x = az_verdict(a), *y = az_verdict(b);
	size_t n, o, i, k;

	assert_int_equal(x->sessions_expected, y->sessions_expected);
	assert_int_equal(x->sessions_up, y->sessions_up);
	assert_int_equal(x->routes_expected, y->routes_expected);
	assert_int_equal(x->routes_ok, y->routes_ok);
	assert_int_equal(x->routes_unknown, y->routes_unknown);
	assert_int_equal(x->ok, y->ok);
	assert_int_equal(az_nfindings(a), az_nfindings(b));
	for (i = 0; i < az_nfindings(a); i++) {
		const struct az_finding *p = az_finding(a, i),
					*q = az_finding(b, i);
		assert_int_equal(p->rule, q->rule);
		assert_int_equal(p->sessions, q->sessions);
		assert_int_equal(p->routes, q->routes);
		assert_int_equal(p->diag->loc.line, q->diag->loc.line);
	}
	for (n = 0; n < m->nspeakers; n++)
		for (o = 0; o < m->nspeakers; o++) {
			const struct rr_speaker *s = m->speakers[o];
			for (k = 0; k < s->noriginates; k++) {
				uint32_t fa, fb;
				enum az_state sa = az_route(a, (uint32_t)n,
							    (uint32_t)o,
							    &s->originates[k].p,
							    &fa);
				enum az_state sb = az_route(b, (uint32_t)n,
							    (uint32_t)o,
							    &s->originates[k].p,
							    &fb);
				assert_int_equal(sa, sb);
				if (sa == AZ_DOWN)
					assert_int_equal(
						az_finding(a, fa)->rule,
						az_finding(b, fb)->rule);
			}
		}
	az_free(a);
	az_free(b);
}

/* ----------------------------------------------------------- findings */

static struct az *
run(struct fx *f, struct design d, struct buf *bufs)
{
	memset(bufs, 0, 8 * sizeof(*bufs));
	reset(f);
	load(f, &d, bufs);
	return az_run(f->m, NULL);
}

static const struct az_finding *
finding(const struct az *a, enum az_rule r)
{
	size_t i;
	for (i = 0; i < az_nfindings(a); i++)
		if (az_finding(a, i)->rule == r)
			return az_finding(a, i);
	return NULL;
}

static void
test_classes_change_nothing(void **state)
{
	struct fx *f = *state;
	size_t fam, fault;
	unsigned lim;

	for (fam = 0; fam < 9; fam++)
		for (fault = 0; fault < 6; fault++) {
			struct design d = base(6 + (unsigned)fam % 3,
					       fam < 2 ? 1 : 2);
			struct buf bufs[8];
			switch (fam) {
			case 3:
				d.split = d.shared_cid = d.rr_peer = true;
				break;
			case 4:
				d.split = d.rr_peer = true;
				break;
			case 5:
				d.ebgp = d.split = d.rr_peer = true;
				break;
			case 6:
				d.ebgp = d.rr_peer = d.allow = true;
				break;
			case 7:
				d.routers = 1;
				d.in_cluster_rr = 2;
				break;
			case 8:
				d.routers = 1;
				d.mesh = true;
				d.plain = fault % 2;
				break;
			default:
				break;
			}
			switch (fault) {
			case 1:
				d.bad_as_node = 2;
				break;
			case 2:
				d.nonclient_node = 1;
				break;
			case 3:
				d.nonclient_node = 1;
				d.shutdown_node = 4;
				break;
			case 4:
				d.isolated_node = 5;
				break;
			case 5:
				d.nonclient_node = 0;
				d.bad_as_node = 3;
				d.isolated_node = 1;
				break;
			default:
				break;
			}
			memset(bufs, 0, sizeof(bufs));
			reset(f);
			load(f, &d, bufs);
			same(f->m);
			free_bufs(bufs, 8);
			if (!d.rr_peer)
				continue;
			/* maximum-prefix between the routers: counted
			 * over classes, the same as node by node, below,
			 * at and above what the other router sends */
			for (lim = 1; lim <= 9; lim += 4) {
				d.rr_max_prefix = lim;
				memset(bufs, 0, sizeof(bufs));
				reset(f);
				load(f, &d, bufs);
				same(f->m);
				if (lim == 1 && !d.shared_cid && !fault) {
					/* each router sends the other its
					 * clients' blocks: far more than 1 */
					struct az *a = az_run(f->m, NULL);
					assert_non_null(finding(
						a, AZ_R_MAXIMUM_PREFIX));
					az_free(a);
				}
				free_bufs(bufs, 8);
			}
		}
}

static void
test_clean_designs(void **state)
{
	struct fx *f = *state;
	struct buf bufs[8];
	struct design d[5];
	size_t i;
	struct az *a;

	d[0] = base(6, 1);
	d[1] = base(6, 2); /* distinct cluster-ids: valid */
	d[2] = base(7, 1);
	d[2].in_cluster_rr = 2; /* Calico's documented design */
	d[3] = base(6, 2);
	d[3].ebgp = d[3].split = d[3].rr_peer = d[3].allow = true;
	d[4] = base(5, 1);
	d[4].mesh = true;
	d[4].plain = true; /* mesh + plain iBGP ToR: the mesh carries */
	for (i = 0; i < 5; i++) {
		a = run(f, d[i], bufs);
		if (!az_verdict(a)->ok || az_nfindings(a)) {
			size_t k;
			for (k = 0; k < az_nfindings(a); k++)
				fprintf(stderr, "  case %zu: %s [%s]\n", i,
				       az_finding(a, k)->diag->msg,
				       az_finding(a, k)->diag->rule);
		}
		assert_true(az_verdict(a)->ok);
		assert_int_equal(az_nfindings(a), 0);
		az_free(a);
		free_bufs(bufs, 8);
	}
}

static void
test_one_finding_per_root_cause(void **state)
{
	struct fx *f = *state;
	struct buf bufs[8];
	struct design d = base(8, 1);
	const struct az_finding *x;
	struct az *a;

	/* the nodes' AS changed cluster-wide: every neighbor line wrong,
	 * one BGPConfiguration line to blame: one finding */
	d.bad_as_node = 3;
	a = run(f, d, bufs);
	x = finding(a, AZ_R_AS_MISMATCH);
	assert_non_null(x);
	assert_int_equal(x->sessions, 1);
	assert_int_equal(x->routes, 2 * 7);
	assert_int_equal(az_verdict(a)->routes_ok, 8 * 7 - 14);
	az_free(a);
	free_bufs(bufs, 8);
}

static void
test_split_homing(void **state)
{
	struct fx *f = *state;
	struct buf bufs[8];
	struct design d = base(6, 2);
	struct az *a;

	/* shared cluster-id, nodes split, reflectors peer: CLUSTER_LIST */
	d.split = d.shared_cid = d.rr_peer = true;
	a = run(f, d, bufs);
	assert_false(az_verdict(a)->ok);
	assert_non_null(finding(a, AZ_R_CLUSTER_ID_SHARED));
	assert_int_equal(az_nfindings(a), 1);
	assert_int_equal(finding(a, AZ_R_CLUSTER_ID_SHARED)->routes,
			 2 * 3 * 3);
	az_free(a);
	free_bufs(bufs, 8);
	/* distinct cluster-ids: every route arrives */
	d.shared_cid = false;
	a = run(f, d, bufs);
	assert_true(az_verdict(a)->ok);
	az_free(a);
	free_bufs(bufs, 8);
	/* no session between the reflectors: two islands */
	d.rr_peer = false;
	a = run(f, d, bufs);
	assert_non_null(finding(a, AZ_R_TOPOLOGY_PARTITIONED));
	az_free(a);
	free_bufs(bufs, 8);
}

static void
test_as_path_loop(void **state)
{
	struct fx *f = *state;
	struct buf bufs[8];
	struct design d = base(6, 2);
	struct az *a;

	d.ebgp = d.split = d.rr_peer = true;
	a = run(f, d, bufs);
	assert_int_equal(az_verdict(a)->routes_ok, 0);
	assert_non_null(finding(a, AZ_R_AS_PATH_LOOP));
	assert_int_equal(az_nfindings(a), 1);
	az_free(a);
	free_bufs(bufs, 8);
}

static void
test_nonclients(void **state)
{
	struct fx *f = *state;
	struct buf bufs[8];
	struct design d = base(4, 1);
	struct az *a;

	/* one non-client: routes flow, a warning */
	d.nonclient_node = 2;
	a = run(f, d, bufs);
	assert_true(az_verdict(a)->ok);
	assert_non_null(finding(a, AZ_R_RR_CLIENT_SINGLE));
	assert_int_equal(finding(a, AZ_R_RR_CLIENT_SINGLE)->diag->sev,
			 RR_SEV_WARNING);
	az_free(a);
	free_bufs(bufs, 8);
}

static void
test_shutdown_and_isolated(void **state)
{
	struct fx *f = *state;
	struct buf bufs[8];
	struct design d = base(4, 1);
	struct az *a;

	d.shutdown_node = 1;
	d.isolated_node = 3;
	a = run(f, d, bufs);
	assert_int_equal(az_verdict(a)->sessions_expected, 3);
	assert_int_equal(az_verdict(a)->sessions_up, 2);
	assert_non_null(finding(a, AZ_R_NEIGHBOR_SHUTDOWN));
	assert_non_null(finding(a, AZ_R_NODE_ISOLATED));
	az_free(a);
	free_bufs(bufs, 8);
}

/* One router without a route to its 1,000 node neighbors is one root
 * cause (its routing table), one finding counting every session; a
 * peer-group shut down is one finding at the peer-group's line. */
static void
test_one_table_one_finding(void **state)
{
	struct fx *f = *state;
	struct buf bufs[8];
	struct design d = base(6, 1);
	const struct az_finding *x;
	struct az *a;

	d.no_route = d.node_peers = true;
	a = run(f, d, bufs);
	assert_int_equal(az_verdict(a)->sessions_up, 0);
	assert_int_equal(az_nfindings(a), 1);
	x = finding(a, AZ_R_PEER_UNREACHABLE);
	assert_non_null(x);
	assert_int_equal(x->sessions, 6);
	assert_int_equal(x->routes, 6 * 5);
	assert_int_equal(x->diag->sev, RR_SEV_ERROR);
	az_free(a);
	free_bufs(bufs, 8);
	/* every per-node BGPPeer names one address nobody owns: one
	 * warning for the address, one for the router's neighbors left
	 * without a partner, and nothing analysed */
	d.no_route = false;
	d.peer_typo = true;
	a = run(f, d, bufs);
	assert_int_equal(az_nfindings(a), 3);
	assert_non_null(finding(a, AZ_R_PEER_ADDRESS_UNKNOWN));
	assert_non_null(finding(a, AZ_R_NEIGHBOR_WITHOUT_NODE));
	assert_non_null(finding(a, AZ_R_NOTHING_ANALYSED));
	assert_int_equal(az_verdict(a)->sessions_unknown, 6);
	assert_false(az_verdict(a)->ok);
	az_free(a);
	free_bufs(bufs, 8);
}

/* A node whose only BGPPeer names an address nobody given owns: lost
 * for sure when nothing given peers with that address (an error with its
 * routes); not analysed when a second router still serves it (a warning). */
static void
test_peer_typo_one_node(void **state)
{
	struct fx *f = *state;
	struct design d = base(6, 1);
	struct buf bufs[8];
	const struct az_finding *x;
	struct az *a;

	d.node_peers = true;
	d.typo_node = 2;
	a = run(f, d, bufs);
	x = finding(a, AZ_R_PEER_ADDRESS_UNKNOWN);
	assert_non_null(x);
	assert_int_equal(x->diag->sev, RR_SEV_ERROR);
	assert_int_equal(x->routes, 2 * 5); /* its block out, 5 blocks in */
	assert_int_equal(az_verdict(a)->routes_unknown, 0);
	assert_false(az_verdict(a)->ok);
	same(f->m);
	az_free(a);
	free_bufs(bufs, 8);
	/* a second reflector serves node 2 too: nothing is lost */
	d = base(6, 2);
	d.node_peers = true;
	d.rr_peer = true;
	d.typo_node = 2;
	a = run(f, d, bufs);
	x = finding(a, AZ_R_PEER_ADDRESS_UNKNOWN);
	assert_non_null(x);
	assert_int_equal(x->diag->sev, RR_SEV_WARNING);
	assert_int_equal(x->routes, 0);
	assert_true(az_verdict(a)->ok);
	same(f->m);
	az_free(a);
	free_bufs(bufs, 8);
}

/* Three alike nodes, one block, on the lowest router id's neighbor: the
 * block's run stands for the class, and what it names must be the block's
 * own origin -- it named a member that originates nothing (and the
 * findings came in another order than without classes; fuzz_analyze). */
static void
test_class_run_names_its_origin(void **state)
{
	static const char ios[] =
	        "hostname r\n"
	        "router bgp 64512\n"
	        " neighbor 192.168.1.10 remote-as 64512\n"
	        " neighbor 192.168.1.11 remote-as 64512\n"
	        " neighbor 192.168.1.13 remote-as 64512\n";
	static const char yaml[] =
	        "apiVersion: projectcalico.org/v3\n"
	        "kind: BGPConfiguration\n"
	        "metadata: {name: default}\n"
	        "spec: {nodeToNodeMeshEnabled: false}\n"
	        "---\n"
	        "apiVersion: projectcalico.org/v3\n"
	        "kind: BGPPeer\n"
	        "metadata: {name: r}\n"
	        "spec: {peerIP: 192.168.1.1, asNumber: 64512}\n"
	        "---\n"
	        "apiVersion: projectcalico.org/v3\n"
	        "kind: Node\n"
	        "metadata: {name: node-a}\n"
	        "spec: {bgp: {ipv4Address: 192.168.1.10/24}}\n"
	        "---\n"
	        "apiVersion: projectcalico.org/v3\n"
	        "kind: Node\n"
	        "metadata: {name: node-b}\n"
	        "spec: {bgp: {ipv4Address: 192.168.1.11/24}}\n"
	        "---\n"
	        "apiVersion: projectcalico.org/v3\n"
	        "kind: Node\n"
	        "metadata: {name: node-c}\n"
	        "spec: {bgp: {ipv4Address: 192.168.1.13/24}}\n"
	        "---\n"
	        "apiVersion: crd.projectcalico.org/v1\n"
	        "kind: BlockAffinity\n"
	        "metadata: {name: c}\n"
	        "spec: {node: node-c, cidr: 10.244.0.192/26}\n";
	struct fx *f = *state;
	const struct az_finding *g;
	struct az *a;

	reset(f);
	parse_ios(f->m, rr_model_file(f->m, "r.ios"), ios, sizeof(ios) - 1,
		  &f->d);
	parse_calico(f->m, rr_model_file(f->m, "c.yaml"), yaml,
		     sizeof(yaml) - 1, NULL, &f->d);
	assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
	same(f->m);
	a = az_run(f->m, NULL);
	g = finding(a, AZ_R_RR_CLIENT_MISSING);
	assert_non_null(g);
	assert_int_equal(g->routes, 2);
	assert_non_null(strstr(g->diag->msg, "learns from 'node-c'"));
	az_free(a);
}

/* Router-only or Calico-only input is not "clean". */
static void
test_nothing_analysed(void **state)
{
	struct fx *f = *state;
	struct buf b;
	struct design d = base(3, 1);
	struct az *a;

	memset(&b, 0, sizeof(b));
	reset(f);
	calico_cfg(&b, &d);
	parse_calico(f->m, rr_model_file(f->m, "c.yaml"), b.p, b.n, NULL,
		     &f->d);
	assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
	a = az_run(f->m, NULL);
	assert_false(az_verdict(a)->ok);
	assert_int_equal(az_verdict(a)->sessions_expected, 0);
	assert_int_equal(az_verdict(a)->sessions_unknown, 3);
	assert_non_null(finding(a, AZ_R_NOTHING_ANALYSED));
	az_free(a);
	free(b.p);
}

/* reachableBy: a gateway BIRD takes no route through (off the nodes'
 * 10.0.0.0/24, its network or broadcast address, link-local) is one
 * warning for every node, the sessions still up; the router's address
 * says nothing; an address no input owns on the subnet, a note. */
static void
test_reachable_by(void **state)
{
	struct fx *f = *state;
	struct buf b[8];
	static const char *const unused[] = {"10.1.0.1", "10.0.0.0",
					     "10.0.0.255", "127.0.0.1"};
	struct design d = base(4, 1);
	const struct az_finding *x;
	struct az *a;
	size_t i, k;
	bool noted;

	for (i = 0; i < sizeof(unused) / sizeof(unused[0]); i++) {
		d.reach_by = unused[i];
		a = run(f, d, b);
		x = finding(a, AZ_R_REACHABLE_BY_UNUSED);
		assert_non_null(x);
		assert_int_equal(x->diag->sev, RR_SEV_WARNING);
		assert_non_null(strstr(x->diag->msg, "3 more sessions alike"));
		assert_int_equal(az_verdict(a)->sessions_up, 4);
		assert_true(az_verdict(a)->ok);
		az_free(a);
		free_bufs(b, 8);
	}
	for (k = 0; k < 2; k++) {
		d.reach_by = k ? "10.0.0.254" : "10.0.0.1";
		a = run(f, d, b);
		assert_null(finding(a, AZ_R_REACHABLE_BY_UNUSED));
		noted = false;
		for (i = 0; i < az_nnotes(a); i++)
			noted |= strstr(az_note(a, i)->msg,
					"reachableBy gateway no input owns "
					"(10.0.0.254 first)") != NULL;
		assert_int_equal(noted, k == 1);
		assert_true(az_verdict(a)->ok);
		az_free(a);
		free_bufs(b, 8);
	}
}

/* maximum-prefix between reflectors above what each sends once settled:
 * a counting pass per session for what the peer sends while the network
 * converges, at most 32 of them; a note counts the others, and
 * nothing goes down (distinct cluster-ids: a router sends the others its
 * own clients' blocks only, with and without any one session) */
static void
test_max_prefix_passes(void **state)
{
	struct fx *f = *state;
	struct buf b[8];
	struct design d = base(6, 7);
	struct az *a;
	size_t i;
	bool noted = false;

	d.rr_peer = true;
	d.rr_max_prefix = 1000;
	a = run(f, d, b);
	assert_null(finding(a, AZ_R_MAXIMUM_PREFIX));
	assert_true(az_verdict(a)->ok);
	/* 7 routers, 42 neighbors with a limit (21 sessions): each within
	 * its limit gets a pass, 32 of them, 10 left */
	for (i = 0; i < az_nnotes(a); i++)
		noted |= strstr(az_note(a, i)->msg,
				"10 neighbors with maximum-prefix: what the "
				"peer sends while the network converges was "
				"not counted") != NULL;
	assert_true(noted);
	az_free(a);
	free_bufs(b, 8);
	/* three routers: 6 sides, every one counted, no note */
	d = base(6, 3);
	d.rr_peer = true;
	d.rr_max_prefix = 1000;
	a = run(f, d, b);
	for (i = 0; i < az_nnotes(a); i++)
		assert_null(strstr(az_note(a, i)->msg, "was not counted"));
	assert_true(az_verdict(a)->ok);
	az_free(a);
	free_bufs(b, 8);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_classes_change_nothing),
		T(test_clean_designs),
		T(test_one_finding_per_root_cause),
		T(test_split_homing),
		T(test_as_path_loop),
		T(test_nonclients),
		T(test_shutdown_and_isolated),
		T(test_reachable_by), T(test_nothing_analysed),
		T(test_peer_typo_one_node),
		T(test_one_table_one_finding),
		T(test_max_prefix_passes),
		T(test_class_run_names_its_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
