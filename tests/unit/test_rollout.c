/*
 * rollout/: the diff of two configurations of one session as BIRD 1.6 and
 * IOS apply it (a table), and rehearsals on small worlds read from inline
 * IOS and Calico YAML with exact loss intervals: the mesh switched off in
 * the same step as the reflector's BGPPeer appears (every node loses every
 * other block for BIRD's connect delay), the same change with the BGPPeer
 * first (no loss), a step that changes nothing, a cluster-id change;
 * the new-neighbors half of a router's change (ro_ios_add_neighbors).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/parsers.h"
#include "resolve/resolve.h"
#include "rollout/rollout.h"

/* ------------------------------------------------------------ the diff */

static void
opt_u32(struct rr_opt_u32 *o, uint32_t v)
{
	o->set = true;
	o->v = v;
}

static void
test_diff_rules(void **state)
{
	struct rr_neighbor a, b;
	struct rr_nb_rare rb = {0};
	enum ro_change_kind kind;
	enum sim_reconf how;
	uint8_t cease;
	const char *fa[] = {"f1"}, *fb[] = {"f2"};

	(void)state;
	memset(&a, 0, sizeof(a));
	opt_u32(&a.remote_as, 64512);
	a.name = "Node_10_0_0_1";
	b = a;
	/* nothing configured on either side, or the same */
	assert_false(ro_diff_neighbor(true, NULL, NULL, &kind, &how, &cease));
	assert_false(ro_diff_neighbor(true, &a, &b, &kind, &how, &cease));
	/* removed: Cease 6/3, stopped */
	assert_true(ro_diff_neighbor(true, &a, NULL, &kind, &how, &cease));
	assert_int_equal(kind, RO_REMOVED);
	assert_int_equal(how, SIM_RC_STOP);
	assert_int_equal(cease, 3);
	/* added */
	assert_true(ro_diff_neighbor(false, NULL, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_ADDED);
	assert_int_equal(how, SIM_RC_START);
	assert_int_equal(cease, 0);
	/* BIRD: another protocol name: the old one removed (6/3) */
	b.name = "Global_10_0_0_1";
	assert_true(ro_diff_neighbor(true, &a, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_REPLACED);
	assert_int_equal(how, SIM_RC_RESTART);
	assert_int_equal(cease, 3);
	/* BIRD: an option of the protocol: restart with 6/6 */
	b = a;
	opt_u32(&b.remote_as, 64513);
	assert_true(ro_diff_neighbor(true, &a, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_RESTARTED);
	assert_int_equal(cease, 6);
	b = a;
	b.passive = true;
	assert_true(ro_diff_neighbor(true, &a, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_RESTARTED);
	b = a;
	b.password.set = b.password.v = true;
	b.password_hash = 42;
	assert_true(ro_diff_neighbor(true, &a, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_RESTARTED);
	/* BIRD: the filters only: in place */
	a.filters = fa;
	a.nfilters = 1;
	b = a;
	b.filters = fb;
	assert_true(ro_diff_neighbor(true, &a, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_CHANGED);
	assert_int_equal(how, SIM_RC_INPLACE);
	assert_int_equal(cease, 0);
	/* IOS: shutdown 6/2, no shutdown starts it */
	memset(&a, 0, sizeof(a));
	opt_u32(&a.remote_as, 64512);
	b = a;
	b.shutdown.set = b.shutdown.v = true;
	assert_true(ro_diff_neighbor(false, &a, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_SHUTDOWN);
	assert_int_equal(how, SIM_RC_STOP);
	assert_int_equal(cease, 2);
	assert_true(ro_diff_neighbor(false, &b, &a, &kind, &how, &cease));
	assert_int_equal(kind, RO_ADDED);
	assert_int_equal(how, SIM_RC_START);
	/* IOS: route-reflector-client resets (6/6), a route-map does not */
	b = a;
	b.rr_client.set = b.rr_client.v = true;
	assert_true(ro_diff_neighbor(false, &a, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_RESTARTED);
	assert_int_equal(how, SIM_RC_RESTART);
	assert_int_equal(cease, 6);
	b = a;
	rb.route_map_in.set = true;
	rb.route_map_in.v = "RM";
	b.rare = &rb;
	assert_true(ro_diff_neighbor(false, &a, &b, &kind, &how, &cease));
	assert_int_equal(kind, RO_CHANGED);
	assert_int_equal(how, SIM_RC_INPLACE);
	/* IOS: the description is no change of the session */
	b = a;
	b.description.set = true;
	b.description.v = "node-a";
	assert_false(ro_diff_neighbor(false, &a, &b, &kind, &how, &cease));
}

/* ------------------------------------------------------- rehearsals */

static const char ios_fmt[] = "hostname rr1\n"
                              "interface GigabitEthernet0/0\n"
                              " ip address 192.168.1.1 255.255.255.0\n"
                              "router bgp 64512\n"
                              " bgp router-id 192.168.1.1\n"
                              " bgp cluster-id %u\n"
                              " timers bgp 10 30\n"
                              " neighbor 192.168.1.10 remote-as %u\n"
                              " neighbor 192.168.1.11 remote-as 64512\n"
                              " neighbor 192.168.1.12 remote-as 64512\n"
                              " address-family ipv4\n"
                              "  neighbor 192.168.1.10 route-reflector-client\n"
                              "  neighbor 192.168.1.11 route-reflector-client\n"
                              "  neighbor 192.168.1.12 route-reflector-client\n"
                              " exit-address-family\n"
                              "end\n";

static const char calico_fmt[] =
        "apiVersion: projectcalico.org/v3\n"
        "kind: BGPConfiguration\n"
        "metadata:\n  name: default\n"
        "spec:\n  nodeToNodeMeshEnabled: %s\n  asNumber: 64512\n"
        "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: IPPool\n"
        "metadata:\n  name: pool\n"
        "spec:\n  cidr: 10.244.0.0/16\n  blockSize: 26\n"
        "  ipipMode: Never\n  vxlanMode: Never\n"
        "%s"
        "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: Node\n"
        "metadata:\n  name: node-a\n"
        "spec:\n  bgp:\n    ipv4Address: 192.168.1.10/24\n"
        "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: Node\n"
        "metadata:\n  name: node-b\n"
        "spec:\n  bgp:\n    ipv4Address: 192.168.1.11/24\n"
        "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: Node\n"
        "metadata:\n  name: node-c\n"
        "spec:\n  bgp:\n    ipv4Address: 192.168.1.12/24\n"
        "---\n"
        "apiVersion: crd.projectcalico.org/v1\n"
        "kind: BlockAffinity\n"
        "metadata:\n  name: a\n"
        "spec:\n  node: node-a\n  cidr: 10.244.0.0/26\n"
        "  state: confirmed\n  deleted: \"false\"\n"
        "---\n"
        "apiVersion: crd.projectcalico.org/v1\n"
        "kind: BlockAffinity\n"
        "metadata:\n  name: b\n"
        "spec:\n  node: node-b\n  cidr: 10.244.0.64/26\n"
        "  state: confirmed\n  deleted: \"false\"\n"
        "---\n"
        "apiVersion: crd.projectcalico.org/v1\n"
        "kind: BlockAffinity\n"
        "metadata:\n  name: c\n"
        "spec:\n  node: node-c\n  cidr: 10.244.0.128/26\n"
        "  state: confirmed\n  deleted: \"false\"\n";

static const char peer[] = "---\n"
                           "apiVersion: projectcalico.org/v3\n"
                           "kind: BGPPeer\n"
                           "metadata:\n  name: rr1\n"
                           "spec:\n  peerIP: 192.168.1.1\n"
                           "  asNumber: 64512\n";

#define NSTATES 4

struct fx {
	struct rr_model *m[NSTATES];
	struct rr_diags d;
	struct ro_result r;
	bool have;
};

static int
setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	rr_diags_init(&f->d);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	size_t i;
	if (f->have)
		ro_result_release(&f->r);
	for (i = 0; i < NSTATES; i++)
		if (f->m[i])
			rr_model_free(f->m[i]);
	rr_diags_release(&f->d);
	test_free(f);
	return 0;
}

/* state i: mesh on or off, the BGPPeer to rr1 or not, rr1's cluster id,
 * the AS rr1 has for node-a */
static void
state_as(struct fx *f, size_t i, bool mesh, bool with_peer, unsigned cluster,
         unsigned as_a)
{
	char ios[2048], cal[4096];
	struct resolve_opts o;

	snprintf(ios, sizeof(ios), ios_fmt, cluster, as_a);
	snprintf(cal, sizeof(cal), calico_fmt, mesh ? "true" : "false",
	         with_peer ? peer : "");
	f->m[i] = rr_model_new();
	assert_int_equal(parse_ios(f->m[i], "rr1.ios", ios, strlen(ios), &f->d),
	                 0);
	assert_int_equal(parse_calico(f->m[i], "c.yaml", cal, strlen(cal),
	                              NULL, &f->d),
	                 0);
	memset(&o, 0, sizeof(o));
	assert_int_equal(resolve_calico(f->m[i], &o, &f->d), 0);
	assert_int_equal(f->d.count[RR_SEV_ERROR], 0);
}

static void
state(struct fx *f, size_t i, bool mesh, bool with_peer, unsigned cluster)
{
	state_as(f, i, mesh, with_peer, cluster, 64512);
}

static void
rehearse(struct fx *f, size_t n)
{
	struct ro_opts o;

	memset(&o, 0, sizeof(o));
	assert_int_equal(ro_rehearse((const struct rr_model *const *)f->m, n,
	                             &o, &f->r, &f->d),
	                 0);
	f->have = true;
}

/* The mesh off and the BGPPeer in one step: every node loses the two
 * other blocks from the step (its Mesh_ protocols removed, Cease 6/3)
 * until its new protocol, started then, has dialled after BIRD's 2 s
 * connect delay and received the reflector's routes. */
static void
test_mesh_off_naive(void **st)
{
	struct fx *f = *st;
	const struct ro_result *r;
	size_t i;

	state(f, 0, true, false, 1);
	state(f, 1, false, true, 1);
	rehearse(f, 2);
	r = &f->r;
	assert_int_equal(r->nsteps, 1);
	assert_int_equal(r->steps[0].at_ms, r->converged_ms);
	assert_int_equal(r->steps[0].added, 3);   /* Global_192_168_1_1 */
	assert_int_equal(r->steps[0].removed, 6); /* Mesh_ both ends */
	assert_int_equal(r->routes_lost, 6);
	assert_int_equal(r->intervals, 6);
	assert_int_equal(r->nloss, 6);
	assert_int_equal(r->nnodes, 3);
	assert_int_equal(r->worst_routes, 6);
	for (i = 0; i < r->nloss; i++) {
		const struct ro_loss *l = &r->loss[i];
		/* at the step, a few ms for the Ceases of the other end */
		assert_true(l->start_ms >= r->steps[0].at_ms);
		assert_true(l->start_ms <= r->steps[0].at_ms + 5);
		/* back after the connect delay and the exchange */
		assert_true(l->end_ms >= r->steps[0].at_ms + 2000);
		assert_true(l->end_ms < r->steps[0].at_ms + 2100);
		assert_non_null(strstr(l->restored_by, "Global_192_168_1_1"));
		assert_true(strstr(l->cause, "stopped by step 1") ||
		            strstr(l->cause, "6/3"));
		assert_int_not_equal(l->origin, l->node);
	}
	assert_true(r->loss_ms >= 6 * 2000 && r->loss_ms < 6 * 2100);
	assert_int_equal(r->steps[0].established, 3);
}

/* The BGPPeer first, then the mesh off: nothing lost */
static void
test_mesh_off_safe(void **st)
{
	struct fx *f = *st;

	state(f, 0, true, false, 1);
	state(f, 1, true, true, 1);
	state(f, 2, false, true, 1);
	rehearse(f, 3);
	assert_int_equal(f->r.nsteps, 2);
	assert_int_equal(f->r.steps[0].added, 3);
	assert_int_equal(f->r.steps[0].removed, 0);
	assert_int_equal(f->r.steps[0].established, 6); /* 3 mesh + 3 rr1 */
	assert_int_equal(f->r.steps[1].removed, 6);
	assert_int_equal(f->r.steps[1].established, 3);
	assert_int_equal(f->r.steps[1].at_ms - f->r.steps[0].at_ms, 30000);
	assert_int_equal(f->r.routes_lost, 0);
	assert_int_equal(f->r.loss_ms, 0);
	assert_int_equal(f->r.nnodes, 0);
}

/* The same state twice: no change, no loss */
static void
test_no_change(void **st)
{
	struct fx *f = *st;

	state(f, 0, false, true, 1);
	state(f, 1, false, true, 1);
	rehearse(f, 2);
	assert_int_equal(f->r.steps[0].nchanges, 0);
	assert_int_equal(f->r.routes_lost, 0);
	assert_int_equal(f->r.steps[0].established, 3);
	assert_int_equal(f->r.end_ms, f->r.converged_ms);
}

/* One reflector's cluster id changed: its iBGP sessions reset (Cease
 * 6/6): with no second reflector, every node loses the others' blocks
 * until the sessions are back */
static void
test_cluster_id_reset(void **st)
{
	struct fx *f = *st;
	const struct ro_result *r;

	state(f, 0, false, true, 1);
	state(f, 1, false, true, 2);
	rehearse(f, 2);
	r = &f->r;
	assert_int_equal(r->steps[0].nchanges, 1);
	assert_int_equal(r->steps[0].changes[0].kind, RO_CLUSTER_ID);
	assert_int_equal(r->steps[0].changes[0].old_id, 1);
	assert_int_equal(r->steps[0].changes[0].new_id, 2);
	assert_int_equal(r->steps[0].restarted, 3);
	assert_int_equal(r->routes_lost, 6);
	/* the Cease reaches the nodes one link latency later */
	assert_int_equal(r->loss[0].start_ms, r->steps[0].at_ms + 1);
	assert_true(r->loss[0].end_ms != SIM_NEVER);
	assert_non_null(strstr(r->loss[0].cause, "6/6"));
	assert_int_equal(r->steps[0].established, 3);
	assert_int_equal(r->nnotes, 1);
}

/* A typo in node-a's remote-as on rr1, fixed a step later, then rr1's
 * cluster id changed: node-a's BIRD gets 2/2 Bad Peer AS, an error, three
 * times in the step (its startup delay 5, 10, 20 s) and keeps the delay
 * after the fix, so the Cease of the last step costs node-a 20 s more
 * than the others.  Each step says which session waited, how long and
 * why. */
static void
test_waits(void **st)
{
	struct fx *f = *st;
	const struct ro_result *r;
	const struct ro_wait *w, *w0;
	size_t i;

	state(f, 0, false, true, 1);
	state_as(f, 1, false, true, 1, 64513);
	state(f, 2, false, true, 1);
	state(f, 3, false, true, 3);
	rehearse(f, 4);
	r = &f->r;
	assert_int_equal(r->nsteps, 3);
	/* step 1: node-a's protocol, on the error */
	for (i = 0, w = NULL; i < r->steps[0].nwaits; i++)
		if (!strcmp(r->speaker_names[r->steps[0].waits[i].speaker],
		            "node-a"))
			w = &r->steps[0].waits[i];
	/* 5 s, doubled at each 2/2 while the typo lasts (30 s): 5, 10, 20 */
	assert_non_null(w);
	assert_int_equal(w->count, 3);
	assert_int_equal(w->secs, 20);
	assert_true(w->bird);
	assert_non_null(w->why);
	assert_non_null(strstr(w->why, "2/2"));
	assert_int_equal(w->error_ms, w->at_ms);
	assert_true(w->at_ms > r->steps[0].at_ms &&
	            w->at_ms < r->steps[1].at_ms);
	w0 = w;
	/* step 2: the fix; nobody waits */
	assert_int_equal(r->steps[1].nwaits, 0);
	/* step 3: node-a alone waits, the delay kept from step 1's error */
	assert_int_equal(r->steps[2].nwaits, 1);
	w = &r->steps[2].waits[0];
	assert_string_equal(r->speaker_names[w->speaker], "node-a");
	assert_int_equal(w->secs, 20);
	assert_null(w->why);
	assert_int_equal(w->error_ms, w0->error_ms);
	assert_true(w->at_ms > r->steps[2].at_ms &&
	            w->at_ms < r->steps[2].at_ms + 10);
	assert_int_equal(w->count, 1);
	assert_int_equal(r->steps[2].waits_dropped, 0);
	/* and node-a's routes come back 5 s after the others' */
	for (i = 0; i < r->nloss; i++)
		if (r->loss[i].start_ms >= r->steps[2].at_ms)
			assert_true((r->loss[i].end_ms - r->steps[2].at_ms >=
			             20000) ==
			            (r->loss[i].node == w->speaker ||
			             r->loss[i].origin == w->speaker));
}

/* ------------------------------------------- a file, resource by resource */

static void
test_split_yaml(void **state)
{
	static const char y[] =
	        "# the cluster\n"
	        "apiVersion: projectcalico.org/v3\n"
	        "kind: BGPConfiguration\n"
	        "metadata:\n"
	        "  name: default # the only one\n"
	        "spec:\n"
	        "  nodeToNodeMeshEnabled: false\n"
	        "---\n"
	        "# only a comment\n"
	        "--- # a marker with a comment\n"
	        "kind: BGPPeer\n"
	        "apiVersion: projectcalico.org/v3\n"
	        "spec:\n"
	        "  name: not-this\n"
	        "metadata:\n"
	        "    labels:\n"
	        "      name: nor-this\n"
	        "    name: \"rr-2\"\n"
	        "---\n"
	        "apiVersion: v1\n"
	        "kind: Secret\n"
	        "metadata: \n"
	        "  namespace: 'kube-system'\n"
	        "  name: bgp-secrets";
	struct ro_doc *v;
	size_t n;

	(void)state;
	assert_int_equal(ro_split_yaml(y, sizeof(y) - 1, &v, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].kind, "BGPConfiguration");
	assert_string_equal(v[0].name, "default");
	assert_string_equal(v[0].ns, "");
	assert_int_equal(v[0].line, 1);
	assert_int_equal(v[0].off, 0);
	assert_string_equal(v[1].kind, "BGPPeer");
	assert_string_equal(v[1].name, "rr-2");
	assert_string_equal(v[1].api, "projectcalico.org/v3");
	assert_int_equal(v[1].line, 11);
	assert_string_equal(v[2].kind, "Secret");
	assert_string_equal(v[2].name, "bgp-secrets");
	assert_string_equal(v[2].ns, "kube-system");
	assert_int_equal(v[2].off + v[2].len, sizeof(y) - 1);
	assert_true(memcmp(y + v[2].off, "apiVersion: v1\n", 15) == 0);
	free(v);
	/* what it is not sure of: the file stays whole */
	{
		static const char *const bad[] = {
		        "apiVersion: v1\nkind: List\nmetadata:\n  name: x\n"
		        "items: []\n",
		        "{apiVersion: v1, kind: Node, metadata: {name: a}}\n",
		        "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n",
		        "apiVersion: v1\nkind: Node\nspec: {}\n",
		        "--- {apiVersion: v1}\n",
		        "apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n"
		        "  name: b\n",
		        "- apiVersion: v1\n",
		};
		size_t i;
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(
			        ro_split_yaml(bad[i], strlen(bad[i]), &v, &n),
			        -1);
			assert_null(v);
		}
	}
	/* comments and blank lines aside */
	assert_true(ro_same_doc("# a\nkind: X\n\nb: 1  \n", 19,
	                        "kind: X\nb: 1\n# z\n", 16));
	assert_false(ro_same_doc("kind: X\nb: 1\n", 13, "kind: X\nb: 2\n", 13));
	assert_false(ro_same_doc("kind: X\n", 8, "kind: X\nb: 2\n", 13));
}

/* a BGPPeer made the temporary peer of one node */
static void
test_node_peer_doc(void **state)
{
	static const char in[] =
	        "# rack r2's reflector\n"
	        "apiVersion: projectcalico.org/v3\n"
	        "kind: BGPPeer\n"
	        "metadata:\n"
	        "  name: rack-r2\n"
	        "  labels:\n"
	        "    team: net\n"
	        "  resourceVersion: \"12\"\n"
	        "spec:\n"
	        "  nodeSelector: >-\n"
	        "    rack == 'r2'\n"
	        "  peerIP: 10.0.0.2\n"
	        "  password:\n"
	        "    secretKeyRef:\n"
	        "      name: bgp\n"
	        "      key: node: x\n"
	        "  asNumber: 64512\n";
	static const char want[] =
	        "# temporary: node-b peers with both its old and new peers "
	        "during the move\n"
	        "apiVersion: projectcalico.org/v3\n"
	        "kind: BGPPeer\n"
	        "metadata:\n"
	        "  name: rollout-tmp-node-b-rack-r2\n"
	        "spec:\n"
	        "  node: node-b\n"
	        "  peerIP: 10.0.0.2\n"
	        "  password:\n"
	        "    secretKeyRef:\n"
	        "      name: bgp\n"
	        "      key: node: x\n"
	        "  asNumber: 64512\n";
	const char *nospec = "kind: BGPPeer\nmetadata:\n  name: a\n";
	char *out;
	size_t n = 0;
	struct ro_doc *v = NULL;
	size_t nv = 0;

	(void)state;
	out = ro_node_peer_doc(in, strlen(in), "node-b",
	                       "rollout-tmp-node-b-rack-r2", &n);
	assert_non_null(out);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	/* what it writes splits back into one BGPPeer of that name */
	assert_int_equal(ro_split_yaml(out, n, &v, &nv), 0);
	assert_int_equal(nv, 1);
	assert_string_equal(v[0].kind, "BGPPeer");
	assert_string_equal(v[0].name, "rollout-tmp-node-b-rack-r2");
	free(v);
	free(out);
	assert_null(ro_node_peer_doc(nospec, strlen(nospec), "n", "x", &n));
	assert_null(ro_node_peer_doc("", 0, "n", "x", &n));
	{
		/* a top-level metadata key repeated 200 times and a long
		 * name: the name is written once (it overflowed the output
		 * buffer, sized for twice the input, once per repetition) */
		char dup[4096], name[200];
		size_t k = 0;
		int i;
		k += (size_t)sprintf(dup, "kind: BGPPeer\n");
		for (i = 0; i < 200; i++)
			k += (size_t)sprintf(dup + k, "metadata:\n");
		k += (size_t)sprintf(dup + k, "spec:\n  peerIP: 10.0.0.1\n");
		memset(name, 'x', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		out = ro_node_peer_doc(dup, k, "node-a", name, &n);
		assert_non_null(out);
		assert_true(n < k);
		free(out);
	}
	{
		/* a document that ends in the middle of a key, in a buffer
		 * of exactly its length (no NUL after it): nothing is read
		 * past its end (ASan) */
		static const char t[] = "kind: BGPPeer\nmetadata:\n  name: a\n"
		                        "spec:\n  peerIP: 10.0.0.1\nspe";
		char *buf = malloc(sizeof(t) - 1);
		assert_non_null(buf);
		memcpy(buf, t, sizeof(t) - 1);
		out = ro_node_peer_doc(buf, sizeof(t) - 1, "n", "x", &n);
		assert_non_null(out);
		free(out);
		free(buf);
	}
}

/* ------------------------------------- a router's change, in two steps */

static void
test_ios_add_neighbors(void **state)
{
	/* rr1 gives neighbor .10 up and takes .12 (a peer-group member)
	 * and a listen range; the text without a trailing newline */
	static const char old[] =
	        "hostname rr1\n"
	        "router bgp 64512\n"
	        " bgp cluster-id 1\n"
	        " neighbor RR peer-group\n"
	        " neighbor 10.0.0.10 remote-as 64512\n"
	        " !\n"
	        " address-family ipv4\n"
	        "  neighbor 10.0.0.10 activate\n"
	        "  neighbor 10.0.0.10 route-reflector-client\n"
	        " exit-address-family\n"
	        "!\n"
	        "end";
	static const char new_[] =
	        "hostname rr1\n"
	        "router bgp 64512\n"
	        " bgp cluster-id 1\n"
	        " bgp listen range 10.1.0.0/24 peer-group RR\n"
	        " neighbor RR peer-group\n"
	        " neighbor 10.0.0.12 remote-as 64512\n"
	        " neighbor 10.0.0.12 peer-group RR\n"
	        " address-family ipv4\n"
	        "  neighbor 10.0.0.12 activate\n"
	        "  no neighbor 10.0.0.12 send-community\n"
	        " exit-address-family\n"
	        "end\n";
	static const char want[] =
	        "hostname rr1\n"
	        "router bgp 64512\n"
	        " bgp cluster-id 1\n"
	        " neighbor RR peer-group\n"
	        " neighbor 10.0.0.10 remote-as 64512\n"
	        " !\n"
	        " bgp listen range 10.1.0.0/24 peer-group RR\n"
	        " neighbor 10.0.0.12 remote-as 64512\n"
	        " neighbor 10.0.0.12 peer-group RR\n"
	        " address-family ipv4\n"
	        "  neighbor 10.0.0.10 activate\n"
	        "  neighbor 10.0.0.10 route-reflector-client\n"
	        "  neighbor 10.0.0.12 activate\n"
	        "  no neighbor 10.0.0.12 send-community\n"
	        " exit-address-family\n"
	        "!\n"
	        "end";
	static const char only_add[] =
	        "hostname rr1\n"
	        "router bgp 64512\n"
	        " bgp cluster-id 1\n"
	        " neighbor RR peer-group\n"
	        " neighbor 10.0.0.10 remote-as 64512\n"
	        " neighbor 10.0.0.11 remote-as 64512\n"
	        " address-family ipv4\n"
	        "  neighbor 10.0.0.10 activate\n"
	        "  neighbor 10.0.0.10 route-reflector-client\n"
	        " exit-address-family\n";
	static const char new_af[] =
	        "router bgp 64512\n"
	        " neighbor 10.0.0.12 remote-as 64512\n"
	        " address-family ipv6\n"
	        "  neighbor 10.0.0.12 activate\n";
	struct rr_model *m;
	struct rr_diags d;
	char *out;
	size_t n;

	(void)state;
	out = ro_ios_add_neighbors(old, strlen(old), new_, strlen(new_), &n);
	assert_non_null(out);
	assert_int_equal(n, strlen(want));
	assert_string_equal(out, want);
	/* it reads as IOS: rr1 with both neighbors and the range */
	m = rr_model_new();
	rr_diags_init(&d);
	(void)parse_ios(m, "m.ios", out, n, &d);
	assert_int_equal(m->nspeakers, 1);
	assert_int_equal(m->speakers[0]->nneighbors, 3);
	rr_diags_release(&d);
	rr_model_free(m);
	free(out);
	/* only neighbors added, or none: one step */
	assert_null(ro_ios_add_neighbors(old, strlen(old), only_add,
	                                 strlen(only_add), &n));
	assert_null(ro_ios_add_neighbors(only_add, strlen(only_add), old,
	                                 strlen(old), &n));
	assert_null(ro_ios_add_neighbors(old, strlen(old), old, strlen(old),
	                                 &n));
	/* a new neighbor in a section the old text lacks: one step */
	assert_null(ro_ios_add_neighbors(old, strlen(old), new_af,
	                                 strlen(new_af), &n));
	assert_null(ro_ios_add_neighbors("", 0, "", 0, &n));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_diff_rules),
	        cmocka_unit_test(test_split_yaml),
	        cmocka_unit_test(test_node_peer_doc),
	        cmocka_unit_test(test_ios_add_neighbors),
	        cmocka_unit_test_setup_teardown(test_mesh_off_naive, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_mesh_off_safe, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_no_change, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_waits, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_cluster_id_reset, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
