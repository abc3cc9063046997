/*
 * bgpsim/sim.c and friends on small topologies read from inline IOS and
 * Calico YAML (parse_ios, parse_calico, resolve_calico): the seed topology,
 * a wrong remote-as, reflection without clients, TCP MD5 on one side, a
 * reflector failing silently, two reflectors sharing a cluster id, a full
 * mesh without a router, an elided mesh, a listen range, a cut link that
 * comes back, the trace of every message, determinism, update groups
 * (one encode and one decode for many peers, the same bytes as without);
 * and tables for the
 * decision process (RFC 4271 9.1.2.2, RFC 4456 9) and the reflection rules
 * (RFC 4456 6, BIRD).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bgpsim/simpriv.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"

struct fx {
	struct rr_model *m;
	struct rr_diags d;
	struct sim *s;
	struct rr_arena a;
};

static int
setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	f->m = rr_model_new();
	rr_diags_init(&f->d);
	rr_arena_init(&f->a);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	sim_free(f->s);
	rr_arena_release(&f->a);
	rr_diags_release(&f->d);
	rr_model_free(f->m);
	test_free(f);
	return 0;
}

/* ------------------------------------------------------------ inputs */

/* rr1: the seed reflector; %s: extra lines in `router bgp`, %s: the
 * address family body */
static const char ios_fmt[] = "hostname %s\n"
                              "interface GigabitEthernet0/0\n"
                              " ip address %s 255.255.255.0\n"
                              "router bgp 64512\n"
                              " bgp router-id %s\n"
                              " bgp cluster-id 1\n"
                              " timers bgp 10 30\n"
                              "%s"
                              " address-family ipv4\n"
                              "%s"
                              " exit-address-family\n"
                              "end\n";

static const char seed_neighbors[] = " neighbor 192.168.1.10 remote-as 64512\n"
                                     " neighbor 192.168.1.11 remote-as 64512\n"
                                     " neighbor 192.168.1.12 remote-as 64512\n";

static const char seed_af[] =
        "  neighbor 192.168.1.10 activate\n"
        "  neighbor 192.168.1.10 route-reflector-client\n"
        "  neighbor 192.168.1.11 activate\n"
        "  neighbor 192.168.1.11 route-reflector-client\n"
        "  neighbor 192.168.1.12 activate\n"
        "  neighbor 192.168.1.12 route-reflector-client\n";

static const char calico_head[] =
        "apiVersion: projectcalico.org/v3\n"
        "kind: BGPConfiguration\n"
        "metadata:\n  name: default\n"
        "spec:\n  nodeToNodeMeshEnabled: %s\n  asNumber: 64512\n"
        "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: IPPool\n"
        "metadata:\n  name: pool\n"
        "spec:\n  cidr: 10.244.0.0/16\n  blockSize: 26\n"
        "  ipipMode: Never\n  vxlanMode: Never\n";

static const char peer_fmt[] =
        "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: BGPPeer\n"
        "metadata:\n  name: %s\n"
        "spec:\n  nodeSelector: %s\n  peerIP: %s\n  asNumber: 64512\n";

static const char node_fmt[] =
        "---\n"
        "apiVersion: projectcalico.org/v3\n"
        "kind: Node\n"
        "metadata:\n  name: node-%c\n"
        "  labels:\n    kubernetes.io/hostname: node-%c\n"
        "spec:\n  bgp:\n    ipv4Address: 192.168.1.%u/24\n"
        "---\n"
        "apiVersion: crd.projectcalico.org/v1\n"
        "kind: BlockAffinity\n"
        "metadata:\n  name: node-%c-blk\n"
        "spec:\n  node: node-%c\n  cidr: 10.244.%u.%u/26\n"
        "  state: confirmed\n  deleted: \"false\"\n";

static void
ios(struct fx *f, const char *name, const char *addr, const char *extra,
    const char *af)
{
	char *t = rr_arena_printf(&f->a, ios_fmt, name, addr, addr, extra, af);
	char *path = rr_arena_printf(&f->a, "%s.ios", name);
	assert_int_equal(parse_ios(f->m, path, t, strlen(t), &f->d), 0);
}

/* `n` nodes node-a.. at 192.168.1.10.. with one /26 block each, and the
 * BGPPeers given as "name|selector|peerIP" strings */
static void
calico(struct fx *f, const char *mesh, unsigned n, const char *const *peers,
       size_t npeers)
{
	struct strbuf {
		char *p;
		size_t n;
	} b = {NULL, 0};
	FILE *fp = open_memstream(&b.p, &b.n);
	unsigned i;
	size_t k;

	assert_non_null(fp);
	fprintf(fp, calico_head, mesh);
	for (k = 0; k < npeers; k++) {
		char name[32], sel[96], ip[32];
		assert_int_equal(
		        sscanf(peers[k], "%31[^|]|%95[^|]|%31s", name, sel, ip),
		        3);
		fprintf(fp, peer_fmt, name, sel, ip);
	}
	for (i = 0; i < n; i++)
		fprintf(fp, node_fmt, 'a' + i, 'a' + i, 10 + i, 'a' + i,
		        'a' + i, i / 4, i % 4 * 64);
	fclose(fp);
	assert_int_equal(parse_calico(f->m, "c.yaml", b.p, b.n, NULL, &f->d),
	                 0);
	free(b.p);
}

static void
resolve(struct fx *f, size_t max_mesh)
{
	struct resolve_opts o;
	memset(&o, 0, sizeof(o));
	o.max_mesh_nodes = max_mesh;
	assert_int_equal(resolve_calico(f->m, &o, &f->d), 0);
	assert_int_equal(f->d.count[RR_SEV_ERROR], 0);
}

static void
run(struct fx *f, const struct sim_fault *faults, size_t nfaults)
{
	struct sim_opts o;
	memset(&o, 0, sizeof(o));
	o.faults = faults;
	o.nfaults = nfaults;
	assert_int_equal(sim_new(f->m, &o, &f->s, &f->d), 0);
	sim_run(f->s);
}

static void
seed(struct fx *f, const char *neighbors, const char *af)
{
	static const char *const peers[] = {"rr1|all()|192.168.1.1"};
	ios(f, "rr1", "192.168.1.1", neighbors, af);
	calico(f, "false", 3, peers, 1);
	resolve(f, 0);
}

/* -------------------------------------------------------- look-ups */

static uint32_t
spk(struct fx *f, const char *name)
{
	uint32_t k = sim_find_speaker(f->s, name);
	assert_int_not_equal(k, SIM_NONE);
	return k;
}

/* the session of speaker `name` toward `peer` */
static const struct sim_session *
sess(struct fx *f, const char *name, const char *peer)
{
	const struct sim_speaker *sp = sim_speaker(f->s, spk(f, name));
	struct rr_addr a;
	uint32_t i;

	assert_int_equal(rr_addr_parse(peer, &a), 0);
	for (i = 0; i < sp->nsessions; i++) {
		const struct sim_session *ss =
		        sim_session(f->s, sp->first_session + i);
		if (rr_addr_eq(&ss->peer, &a))
			return ss;
	}
	fail_msg("%s has no session toward %s", name, peer);
	return NULL;
}

struct routes {
	struct sim_route v[16];
	uint32_t cl[16][4];
	size_t n;
};

static void
collect(void *ctx, const struct sim_route *r)
{
	struct routes *x = ctx;
	size_t i;
	if (x->n == 16)
		return;
	x->v[x->n] = *r;
	for (i = 0; i < r->ncluster && i < 4; i++)
		x->cl[x->n][i] = r->cluster_list[i];
	x->v[x->n].cluster_list = x->cl[x->n];
	x->n++;
}

/* the best route of `name` for `prefix`, NULL */
static const struct sim_route *
best(struct fx *f, struct routes *rs, const char *name, const char *prefix)
{
	struct rr_prefix p;
	size_t i;

	memset(rs, 0, sizeof(*rs));
	sim_routes(f->s, spk(f, name), collect, rs);
	assert_int_equal(rr_prefix_parse(prefix, &p, true), 0);
	for (i = 0; i < rs->n; i++)
		if (rs->v[i].best && !rr_prefix_cmp(&rs->v[i].prefix, &p))
			return &rs->v[i];
	return NULL;
}

static uint32_t
v4(const char *s)
{
	struct rr_addr a;
	assert_int_equal(rr_addr_parse(s, &a), 0);
	return rr_addr_v4(&a);
}

static bool
has_event(struct fx *f, const char *name, const char *what, uint64_t from,
          uint64_t to)
{
	uint32_t k = spk(f, name);
	size_t i;

	for (i = 0; i < sim_nevents(f->s); i++) {
		const struct sim_event *e = sim_event(f->s, i);
		/* a folded event happened again up to last_ms */
		if (sim_session(f->s, e->session)->speaker == k &&
		    strstr(e->what, what) && e->last_ms >= from &&
		    e->t_ms <= to)
			return true;
	}
	return false;
}

/* ------------------------------------------------------------ tests */

static void
test_seed(void **state)
{
	struct fx *f = *state;
	const struct sim_verdict *v;
	const struct sim_route *r;
	struct routes rs;
	static const char *const nodes[] = {"node-a", "node-b", "node-c"};
	static const char *const addrs[] = {"192.168.1.10", "192.168.1.11",
	                                    "192.168.1.12"};
	static const char *const blocks[] = {"10.244.0.0/26", "10.244.0.64/26",
	                                     "10.244.0.128/26"};
	unsigned i, j;

	seed(f, seed_neighbors, seed_af);
	run(f, NULL, 0);
	assert_int_equal(sim_nsessions(f->s), 6);
	for (i = 0; i < 3; i++) {
		const struct sim_session *n = sess(f, nodes[i], "192.168.1.1");
		const struct sim_session *r1 = sess(f, "rr1", addrs[i]);
		assert_int_equal(n->state, FSM_ST_ESTABLISHED);
		assert_int_equal(r1->state, FSM_ST_ESTABLISHED);
		/* BIRD offers 240, IOS 30: 30 and a third of it */
		assert_int_equal(n->hold, 30);
		assert_int_equal(n->keepalive, 10);
		assert_int_equal(r1->hold, 30);
		assert_int_equal(r1->keepalive, 10);
		assert_false(n->notif);
		assert_ptr_equal(sim_session(f->s, n->partner), r1);
		assert_true(r1->rr_client);
		for (j = 0; j < 3; j++) {
			r = best(f, &rs, nodes[i], blocks[j]);
			assert_non_null(r);
			if (i == j) {
				assert_int_equal(r->session, SIM_NONE);
				continue;
			}
			/* next hop: the originating node (IOS keeps it) */
			assert_int_equal(rr_addr_v4(&r->next_hop),
			                 v4(addrs[j]));
			assert_int_equal(rr_addr_v4(&r->from),
			                 v4("192.168.1.1"));
			assert_true(r->has_originator);
			assert_int_equal(r->originator_id, v4(addrs[j]));
			assert_int_equal(r->ncluster, 1);
			assert_int_equal(r->cluster_list[0], 1);
			assert_true(r->has_local_pref);
			assert_int_equal(r->local_pref, 2147482623u); /* R34 */
		}
	}
	/* the reflector's own view: learned from each client */
	r = best(f, &rs, "rr1", "10.244.0.64/26");
	assert_non_null(r);
	assert_false(r->has_originator);
	assert_int_equal(r->ncluster, 0);
	v = sim_verdict(f->s);
	assert_int_equal(v->sessions_up, 3);
	assert_int_equal(v->sessions_expected, 3);
	assert_int_equal(v->routes_ok, 6);
	assert_int_equal(v->routes_expected, 6);
	assert_true(v->ok);
	assert_int_equal(v->ncauses, 0);
	assert_true(sim_stats(f->s)->converged);
	assert_true(has_event(f, "node-a", "Established", 0, 5000));
}

/* A sender may have the receiver's TCP window in flight: 64 KiB toward a
 * Calico node (Linux), 4 KiB toward IOS; converged, nothing is in flight. */
static void
test_windows(void **state)
{
	struct fx *f = *state;
	struct world *w;
	const struct wside *to_node, *to_rr;

	seed(f, seed_neighbors, seed_af);
	run(f, NULL, 0);
	w = &f->s->w;
	to_node = (const struct wside *)(const void *)sess(f, "rr1",
	                                                   "192.168.1.10");
	to_rr = (const struct wside *)(const void *)sess(f, "node-a",
	                                                 "192.168.1.1");
	assert_int_equal(session_room(w, (uint32_t)(to_node - w->side)),
	                 65536);
	assert_int_equal(session_room(w, (uint32_t)(to_rr - w->side)), 4096);
}

static void
test_wrong_remote_as(void **state)
{
	struct fx *f = *state;
	const struct sim_session *n, *r1;
	const struct sim_verdict *v;
	struct routes rs;
	size_t i;
	bool named = false;

	seed(f,
	     " neighbor 192.168.1.10 remote-as 64512\n"
	     " neighbor 192.168.1.11 remote-as 64513\n"
	     " neighbor 192.168.1.12 remote-as 64512\n",
	     seed_af);
	run(f, NULL, 0);
	n = sess(f, "node-b", "192.168.1.1");
	r1 = sess(f, "rr1", "192.168.1.11");
	assert_int_not_equal(n->state, FSM_ST_ESTABLISHED);
	assert_int_equal(r1->state, FSM_ST_IDLE);
	assert_true(r1->notif);
	assert_true(r1->notif_sent);
	assert_int_equal(r1->code, ERR_OPEN);
	assert_int_equal(r1->subcode, ERR_OPEN_PEER_AS);
	assert_true(n->notif);
	assert_false(n->notif_sent);
	assert_int_equal(n->subcode, ERR_OPEN_PEER_AS);
	assert_non_null(r1->last_error);
	assert_string_equal(r1->last_error,
	                    "NOTIFICATION sent 2/2 Bad Peer AS");
	assert_true(has_event(
	        f, "node-b", "NOTIFICATION received 2/2 Bad Peer AS", 0, 1000));
	assert_null(best(f, &rs, "node-a", "10.244.0.64/26"));
	assert_null(best(f, &rs, "node-b", "10.244.0.0/26"));
	assert_non_null(best(f, &rs, "node-a", "10.244.0.128/26"));
	v = sim_verdict(f->s);
	assert_int_equal(v->sessions_up, 2);
	assert_int_equal(v->sessions_expected, 3);
	assert_int_equal(v->routes_ok, 2);
	assert_int_equal(v->routes_expected, 6);
	assert_false(v->ok);
	/* the cause points at `neighbor 192.168.1.11 remote-as 64513` */
	for (i = 0; i < v->ncauses; i++)
		if (v->causes[i].sessions) {
			const struct sim_cause *c = &v->causes[i];
			assert_string_equal(c->diag.loc.file, "rr1.ios");
			assert_int_equal(c->diag.loc.line, 9);
			assert_non_null(strstr(c->diag.msg, "2/2"));
			assert_false(c->fault);
			assert_false(c->unexplained);
			/* one root cause: the session and node-b's routes */
			assert_int_equal(c->sessions, 1);
			assert_int_equal(c->routes, 4);
			assert_int_equal(c->nsession_ex, 1);
			assert_int_equal(c->nroute_ex, 4);
			named = true;
		}
	assert_true(named);
	assert_int_equal(v->ncauses, 1);
	{
		char buf[96];
		assert_string_equal(sim_bird_info(n, buf, sizeof(buf)),
		                    "Idle Received: Bad peer AS");
		assert_string_equal(sim_bird_proto_state(n), "start");
	}
}

static void
test_no_rr_client(void **state)
{
	struct fx *f = *state;
	const struct sim_verdict *v;
	struct routes rs;

	seed(f, seed_neighbors,
	     "  neighbor 192.168.1.10 activate\n"
	     "  neighbor 192.168.1.11 activate\n"
	     "  neighbor 192.168.1.12 activate\n");
	run(f, NULL, 0);
	v = sim_verdict(f->s);
	/* up, but iBGP split horizon: nothing is reflected */
	assert_int_equal(v->sessions_up, 3);
	assert_int_equal(v->routes_ok, 0);
	assert_int_equal(v->routes_expected, 6);
	assert_null(best(f, &rs, "node-a", "10.244.0.64/26"));
	assert_non_null(best(f, &rs, "rr1", "10.244.0.64/26"));
	assert_int_equal(sess(f, "node-a", "192.168.1.1")->pfx_rcvd, 0);
	assert_true(v->ncauses > 0);
	assert_int_equal(v->causes[0].sessions, 0);
	assert_true(v->causes[0].routes > 0);
	assert_non_null(strstr(v->causes[0].diag.msg, "split horizon"));
	assert_string_equal(v->causes[0].diag.loc.file, "rr1.ios");
}

/* rr1 has no neighbor for node-c: it resets node-c's SYNs.  BIRD stays in
 * start and dials again every connect delay (2 s), no error wait
 * (bgp_sock_err, bgp_active); calicoctl's SINCE stays the protocol's
 * start; the event log keeps the back and forth as two events. */
static void
test_refused_redial(void **state)
{
	struct fx *f = *state;
	const struct sim_session *c;
	size_t i, n = 0;
	const struct sim_event *conn = NULL, *ref = NULL;

	seed(f,
	     " neighbor 192.168.1.10 remote-as 64512\n"
	     " neighbor 192.168.1.11 remote-as 64512\n",
	     "  neighbor 192.168.1.10 activate\n"
	     "  neighbor 192.168.1.10 route-reflector-client\n"
	     "  neighbor 192.168.1.11 activate\n"
	     "  neighbor 192.168.1.11 route-reflector-client\n");
	run(f, NULL, 0);
	c = sess(f, "node-c", "192.168.1.1");
	assert_int_not_equal(c->state, FSM_ST_ESTABLISHED);
	assert_int_equal(c->sock, SIM_SOCK_REFUSED);
	assert_true(c->since_ms < 1000);
	for (i = 0; i < sim_nevents(f->s); i++) {
		const struct sim_event *e = sim_event(f->s, i);
		if (sim_session(f->s, e->session) != c)
			continue;
		n++;
		if (!strcmp(e->what, "Connect"))
			conn = e;
		if (!strcmp(e->what, "connect refused"))
			ref = e;
	}
	assert_non_null(conn);
	assert_non_null(ref);
	/* the first dial after the 2 s connect delay, then every 2 s */
	assert_in_range(conn->t_ms, 2000, 2010);
	assert_true(conn->repeat >= 10);
	assert_int_equal(ref->repeat, conn->repeat);
	assert_in_range(ref->last_ms - conn->last_ms, 1, 10);
	assert_in_range((conn->last_ms - conn->t_ms) / conn->repeat, 2000,
	                2010);
	/* Active at the start, then the two folded ones */
	assert_int_equal(n, 3);
}

static void
test_md5_one_side(void **state)
{
	struct fx *f = *state;
	const struct sim_session *n, *r1;

	seed(f,
	     " neighbor 192.168.1.10 remote-as 64512\n"
	     " neighbor 192.168.1.10 password 0 s3cret\n"
	     " neighbor 192.168.1.11 remote-as 64512\n"
	     " neighbor 192.168.1.12 remote-as 64512\n",
	     seed_af);
	run(f, NULL, 0);
	n = sess(f, "node-a", "192.168.1.1");
	r1 = sess(f, "rr1", "192.168.1.10");
	/* the SYNs are dropped: no session, nothing on the wire */
	assert_true(n->state == FSM_ST_CONNECT || n->state == FSM_ST_ACTIVE);
	assert_true(r1->state == FSM_ST_CONNECT || r1->state == FSM_ST_ACTIVE);
	assert_false(n->notif);
	assert_false(r1->notif);
	assert_int_equal(n->msgs_out, 0);
	assert_int_equal(n->established_at_ms, SIM_NEVER);
	assert_int_equal(sim_verdict(f->s)->sessions_up, 2);
	assert_non_null(strstr(sim_verdict(f->s)->causes[0].diag.msg, "MD5"));
	assert_int_equal(sim_verdict(f->s)->causes[0].sessions, 1);
}

static void
test_fail_reflector(void **state)
{
	struct fx *f = *state;
	struct sim_fault fl;
	const char *why;
	const struct sim_verdict *v;
	struct routes rs;

	seed(f, seed_neighbors, seed_af);
	assert_int_equal(
	        sim_fault_parse(SIM_FAULT_FAIL, "rr1@60", &f->a, &fl, &why), 0);
	assert_int_equal(fl.at_ms, 60000);
	run(f, &fl, 1);
	assert_true(sim_speaker(f->s, spk(f, "rr1"))->failed);
	/* the last keepalive left rr1 at most 10 s before it died: the
	 * nodes' hold timers (30 s) expire between 80 and 90 s */
	assert_true(has_event(f, "node-a", "down: hold timer expired", 80000,
	                      90000));
	assert_false(
	        has_event(f, "node-a", "down: hold timer expired", 0, 79999));
	assert_int_not_equal(sess(f, "node-a", "192.168.1.1")->state,
	                     FSM_ST_ESTABLISHED);
	/* withdrawn */
	assert_null(best(f, &rs, "node-a", "10.244.0.64/26"));
	assert_non_null(best(f, &rs, "node-a", "10.244.0.0/26"));
	v = sim_verdict(f->s);
	/* sessions with a failed speaker are not expected */
	assert_int_equal(v->sessions_expected, 0);
	assert_int_equal(v->routes_ok, 0);
	assert_false(v->ok);
	/* one cause, the fault, with no configuration line */
	assert_int_equal(v->ncauses, 1);
	assert_true(v->causes[0].fault);
	assert_null(v->causes[0].diag.rule);
	assert_int_equal(v->causes[0].diag.loc.line, 0);
	assert_int_equal(v->causes[0].routes, 6);
	assert_int_equal(v->causes[0].nroute_ex, SIM_CAUSE_EXAMPLES);
}

/* Every miss is counted under exactly one cause, and no more than
 * max_causes causes are kept: the rest are counted under one more. */
struct prog {
	uint64_t calls, last_t, last_events, up;
};

static void
on_progress(void *ctx, const struct sim_progress *p)
{
	struct prog *g = ctx;

	assert_true(p->t_ms >= g->last_t);
	assert_true(p->events > g->last_events);
	assert_true(p->sessions_up <= p->sessions_expected);
	g->last_t = p->t_ms;
	g->last_events = p->events;
	g->up = p->sessions_up;
	g->calls++;
}

static void
test_causes_bounded(void **state)
{
	struct fx *f = *state;
	const struct sim_verdict *v;
	struct sim_opts o;
	struct prog g;
	uint64_t sessions = 0, routes = 0;
	size_t i, max;

	for (max = 1; max <= 4; max++) {
		seed(f,
		     " neighbor 192.168.1.10 remote-as 64513\n"
		     " neighbor 192.168.1.11 remote-as 64514\n"
		     " neighbor 192.168.1.12 remote-as 64512\n",
		     seed_af);
		memset(&o, 0, sizeof(o));
		memset(&g, 0, sizeof(g));
		o.max_causes = max;
		o.progress = on_progress;
		o.progress_ctx = &g;
		o.progress_every = 1;
		assert_int_equal(sim_new(f->m, &o, &f->s, &f->d), 0);
		sim_run(f->s);
		v = sim_verdict(f->s);
		assert_int_equal(v->sessions_up, 1);
		assert_int_equal(v->routes_ok, 0);
		/* two root causes: node-a's AS, node-b's AS */
		assert_int_equal(v->ncauses, max < 2 ? max + 1 : 2);
		sessions = routes = 0;
		for (i = 0; i < v->ncauses; i++) {
			sessions += v->causes[i].sessions;
			routes += v->causes[i].routes;
			assert_true(v->causes[i].nsession_ex <=
			            v->causes[i].sessions);
			assert_true(v->causes[i].nroute_ex <=
			            v->causes[i].routes);
		}
		assert_int_equal(sessions, 2);
		assert_int_equal(routes, 6);
		if (max < 2)
			assert_true(v->causes[max].unexplained);
		assert_int_equal(g.calls, sim_stats(f->s)->events);
		assert_int_equal(g.up, 1);
		sim_free(f->s);
		f->s = NULL;
		rr_diags_release(&f->d);
		rr_model_free(f->m);
		f->m = rr_model_new();
		rr_diags_init(&f->d);
	}
}

static void
test_two_reflectors_one_cluster(void **state)
{
	struct fx *f = *state;
	static const char *const peers[] = {
	        "rr1|kubernetes.io/hostname in {'node-a', "
	        "'node-b'}|192.168.1.1",
	        "rr2|kubernetes.io/hostname == 'node-c'|192.168.1.2",
	};
	const struct sim_verdict *v;
	struct routes rs;
	size_t i, drops = 0;

	ios(f, "rr1", "192.168.1.1",
	    " neighbor 192.168.1.2 remote-as 64512\n"
	    " neighbor 192.168.1.10 remote-as 64512\n"
	    " neighbor 192.168.1.11 remote-as 64512\n",
	    "  neighbor 192.168.1.2 activate\n"
	    "  neighbor 192.168.1.10 activate\n"
	    "  neighbor 192.168.1.10 route-reflector-client\n"
	    "  neighbor 192.168.1.11 activate\n"
	    "  neighbor 192.168.1.11 route-reflector-client\n");
	ios(f, "rr2", "192.168.1.2",
	    " neighbor 192.168.1.1 remote-as 64512\n"
	    " neighbor 192.168.1.12 remote-as 64512\n",
	    "  neighbor 192.168.1.1 activate\n"
	    "  neighbor 192.168.1.12 activate\n"
	    "  neighbor 192.168.1.12 route-reflector-client\n");
	calico(f, "false", 3, peers, 2);
	resolve(f, 0);
	run(f, NULL, 0);
	v = sim_verdict(f->s);
	/* rr1 - rr2 came up despite both dialling (collision, RFC 4271 6.8) */
	assert_int_equal(sess(f, "rr1", "192.168.1.2")->state,
	                 FSM_ST_ESTABLISHED);
	assert_int_equal(v->sessions_up, 4);
	assert_int_equal(v->sessions_expected, 4);
	/* rr1 reflects node-a's block to rr2 with CLUSTER_LIST [0.0.0.1]:
	 * rr2 holds that id itself and drops it (RFC 4456 8) */
	assert_null(best(f, &rs, "rr2", "10.244.0.0/26"));
	assert_null(best(f, &rs, "node-c", "10.244.0.0/26"));
	assert_null(best(f, &rs, "rr1", "10.244.0.128/26"));
	assert_non_null(best(f, &rs, "node-a", "10.244.0.64/26"));
	assert_int_equal(v->routes_ok, 2);
	for (i = 0; i < v->ncauses; i++)
		if (strstr(v->causes[i].diag.msg, "CLUSTER_LIST"))
			drops += v->causes[i].routes;
	assert_int_equal(drops, 4);
	assert_false(v->ok);
}

static void
test_full_mesh(void **state)
{
	struct fx *f = *state;
	const struct sim_verdict *v;
	struct routes rs;
	size_t i;

	calico(f, "true", 4, NULL, 0);
	resolve(f, 0);
	run(f, NULL, 0);
	assert_int_equal(sim_nsessions(f->s), 12);
	for (i = 0; i < 12; i++)
		assert_int_equal(sim_session(f->s, i)->state,
		                 FSM_ST_ESTABLISHED);
	v = sim_verdict(f->s);
	assert_int_equal(v->sessions_expected, 6);
	assert_int_equal(v->sessions_up, 6);
	assert_int_equal(v->routes_expected, 12);
	assert_int_equal(v->routes_ok, 12);
	assert_true(v->ok);
	/* a mesh peer's route: straight from the origin, no reflection */
	{
		const struct sim_route *r =
		        best(f, &rs, "node-a", "10.244.0.192/26");
		assert_non_null(r);
		assert_int_equal(rr_addr_v4(&r->next_hop), v4("192.168.1.13"));
		assert_false(r->has_originator);
	}
}

static void
test_mesh_elided(void **state)
{
	struct fx *f = *state;
	const struct sim_verdict *v;

	calico(f, "true", 5, NULL, 0);
	resolve(f, 3);
	assert_true(f->m->mesh_elided);
	run(f, NULL, 0);
	assert_int_equal(sim_nsessions(f->s), 0);
	assert_true(sim_stats(f->s)->mesh_elided);
	assert_int_equal(sim_stats(f->s)->mesh_sessions, f->m->mesh_sessions);
	v = sim_verdict(f->s);
	assert_int_equal(v->sessions_expected, f->m->mesh_sessions);
	assert_false(v->ok);
	/* the mesh is the one cause: its sessions and every route */
	assert_int_equal(v->ncauses, 1);
	assert_non_null(strstr(v->causes[0].diag.msg, "too large"));
	assert_int_equal(v->causes[0].sessions, f->m->mesh_sessions);
	assert_int_equal(v->causes[0].routes, v->routes_expected);
}

static void
test_listen_range(void **state)
{
	struct fx *f = *state;
	static const char *const peers[] = {"rr1|all()|192.168.1.1"};
	const struct sim_speaker *r1;
	uint32_t i;

	ios(f, "rr1", "192.168.1.1",
	    " bgp listen range 192.168.1.0/24 peer-group CALICO\n"
	    " neighbor CALICO peer-group\n"
	    " neighbor CALICO remote-as 64512\n",
	    "  neighbor CALICO activate\n"
	    "  neighbor CALICO route-reflector-client\n");
	calico(f, "false", 3, peers, 1);
	resolve(f, 0);
	run(f, NULL, 0);
	r1 = sim_speaker(f->s, spk(f, "rr1"));
	/* one dynamic neighbor per node that dials the range */
	assert_int_equal(r1->nsessions, 3);
	for (i = 0; i < 3; i++) {
		const struct sim_session *ss =
		        sim_session(f->s, r1->first_session + i);
		assert_true(ss->dynamic);
		assert_int_equal(ss->state, FSM_ST_ESTABLISHED);
	}
	assert_true(sim_verdict(f->s)->ok);
	assert_int_equal(sim_verdict(f->s)->routes_ok, 6);
}

static void
test_cut_restore(void **state)
{
	struct fx *f = *state;
	struct sim_fault fl[2];
	const char *why;
	const struct sim_session *n;

	seed(f, seed_neighbors, seed_af);
	assert_int_equal(sim_fault_parse(SIM_FAULT_CUT, "node-a,192.168.1.1@40",
	                                 &f->a, &fl[0], &why),
	                 0);
	assert_int_equal(sim_fault_parse(SIM_FAULT_RESTORE, "node-a,rr1@100.5",
	                                 &f->a, &fl[1], &why),
	                 0);
	assert_int_equal(fl[1].at_ms, 100500);
	run(f, fl, 2);
	assert_true(has_event(f, "node-a", "down: hold timer expired", 60000,
	                      70000));
	assert_true(has_event(f, "node-b", "Established", 0, 1000));
	assert_false(has_event(f, "node-b", "down", 0, SIM_NEVER));
	n = sess(f, "node-a", "192.168.1.1");
	assert_int_equal(n->state, FSM_ST_ESTABLISHED);
	assert_true(n->established_at_ms > 100500);
	assert_true(sim_verdict(f->s)->ok);
}

static void
test_fault_names(void **state)
{
	struct fx *f = *state;
	struct sim_fault fl;
	struct sim_opts o;
	const char *why;

	assert_int_equal(
	        sim_fault_parse(SIM_FAULT_FAIL, "rr1", &f->a, &fl, &why), -1);
	assert_int_equal(
	        sim_fault_parse(SIM_FAULT_CUT, "a@1", &f->a, &fl, &why), -1);
	assert_int_equal(
	        sim_fault_parse(SIM_FAULT_FAIL, "x@1.2345", &f->a, &fl, &why),
	        -1);
	seed(f, seed_neighbors, seed_af);
	assert_int_equal(
	        sim_fault_parse(SIM_FAULT_FAIL, "nobody@5", &f->a, &fl, &why),
	        0);
	memset(&o, 0, sizeof(o));
	o.faults = &fl;
	o.nfaults = 1;
	assert_int_equal(sim_new(f->m, &o, &f->s, &f->d), -1);
	assert_null(f->s);
	assert_true(rr_diags_has_fatal(&f->d));
}

struct tr {
	size_t syn, accept, data, msgs, bad;
};

static void
on_trace(void *ctx, const struct sim_trace *t)
{
	struct tr *x = ctx;
	struct rr_arena a;
	struct bgp_msg m;
	struct bgp_error e;
	size_t off = 0;

	if (t->kind == SIM_TR_SYN)
		x->syn++;
	if (t->kind == SIM_TR_ACCEPT)
		x->accept++;
	if (t->kind != SIM_TR_DATA)
		return;
	x->data++;
	rr_arena_init(&a);
	while (off < t->len) {
		long n = bgp_msg_frame(t->bytes + off, t->len - off, NULL, &e);
		if (n <= 0 || (size_t)n > t->len - off) {
			x->bad++;
			break;
		}
		/* without the negotiated codec only OPEN and others decode
		 * the same; every message must at least frame */
		if (t->bytes[off + 18] != BGP_MSG_UPDATE &&
		    bgp_msg_decode(t->bytes + off, (size_t)n, NULL, &a, &m,
		                   &e) < 0)
			x->bad++;
		x->msgs++;
		off += (size_t)n;
	}
	rr_arena_release(&a);
}

static void
test_trace(void **state)
{
	struct fx *f = *state;
	struct sim_opts o;
	struct tr x;

	memset(&x, 0, sizeof(x));
	seed(f, seed_neighbors, seed_af);
	memset(&o, 0, sizeof(o));
	o.trace = on_trace;
	o.trace_ctx = &x;
	assert_int_equal(sim_new(f->m, &o, &f->s, &f->d), 0);
	sim_run(f->s);
	assert_int_equal(x.syn, 3); /* rr1 dials each node once */
	assert_int_equal(x.accept, 3);
	assert_int_equal(x.bad, 0);
	assert_int_equal(x.msgs, sim_stats(f->s)->messages);
}

/* Everything a run says, as text. */
static char *
dump(struct sim *s)
{
	char *p = NULL, a[RR_PREFIX_STRLEN];
	size_t n = 0, i;
	FILE *fp = open_memstream(&p, &n);
	uint32_t k;

	for (i = 0; i < sim_nsessions(s); i++) {
		const struct sim_session *ss = sim_session(s, i);
		fprintf(fp, "%u %s %d %llu %llu %s %llu\n", ss->speaker,
		        rr_addr_str(&ss->peer, a), ss->state,
		        (unsigned long long)ss->since_ms,
		        (unsigned long long)ss->msgs_in,
		        ss->last_error ? ss->last_error : "-",
		        (unsigned long long)ss->established_at_ms);
	}
	for (i = 0; i < sim_nevents(s); i++)
		fprintf(fp, "%llu %u %s\n",
		        (unsigned long long)sim_event(s, i)->t_ms,
		        sim_event(s, i)->session, sim_event(s, i)->what);
	for (k = 0; k < sim_nspeakers(s); k++) {
		struct routes rs;
		memset(&rs, 0, sizeof(rs));
		sim_routes(s, k, collect, &rs);
		for (i = 0; i < rs.n; i++)
			fprintf(fp, "%u %s %d\n", k,
			        rr_prefix_str(&rs.v[i].prefix, a),
			        rs.v[i].best);
	}
	fprintf(fp, "%llu %llu\n", (unsigned long long)sim_stats(s)->messages,
	        (unsigned long long)sim_stats(s)->end_ms);
	fclose(fp);
	return p;
}

static void
test_deterministic(void **state)
{
	struct fx *f = *state;
	struct sim_fault fl;
	const char *why;
	struct sim_opts o;
	struct sim *s2;
	char *a, *b;

	seed(f,
	     " neighbor 192.168.1.10 remote-as 64512\n"
	     " neighbor 192.168.1.11 remote-as 64513\n"
	     " neighbor 192.168.1.12 remote-as 64512\n",
	     seed_af);
	assert_int_equal(
	        sim_fault_parse(SIM_FAULT_FAIL, "node-c@45", &f->a, &fl, &why),
	        0);
	run(f, &fl, 1);
	memset(&o, 0, sizeof(o));
	o.faults = &fl;
	o.nfaults = 1;
	assert_int_equal(sim_new(f->m, &o, &s2, &f->d), 0);
	sim_run(s2);
	a = dump(f->s);
	b = dump(s2);
	assert_string_equal(a, b);
	free(a);
	free(b);
	sim_free(s2);
}

/* every byte that crossed a wire, in order, as one hash */
struct wirehash {
	uint64_t h, n;
};

static void
on_wire(void *ctx, const struct sim_trace *t)
{
	struct wirehash *x = ctx;
	size_t i;

	x->h = (x->h ^ (uint64_t)t->kind ^ (uint64_t)t->conn << 8 ^
	        t->t_ms << 32) *
	       0x100000001b3ull;
	for (i = 0; i < t->len; i++)
		x->h = (x->h ^ t->bytes[i]) * 0x100000001b3ull;
	x->n++;
}

/*
 * Update groups: two reflectors with eight clients each send the same
 * UPDATEs to every client (encoded once, decoded once per distinct bytes);
 * the run is byte for byte the plain one (every cache off), where every
 * message is encoded by its sender's machine and decoded by its
 * receiver's.
 */
static void
test_update_groups(void **state)
{
	struct fx *f = *state;
	static const char *const peers[] = {"rr1|all()|192.168.1.1",
	                                    "rr2|all()|192.168.1.2"};
	char nb[1024], af[2048];
	struct sim_opts o;
	struct wirehash h1, h2;
	struct sim *s2;
	struct world *w;
	char *a, *b;
	size_t off = 0, off2 = 0;
	unsigned i;

	for (i = 0; i < 8; i++) {
		off += (size_t)snprintf(nb + off, sizeof(nb) - off,
		                        " neighbor 192.168.1.%u remote-as "
		                        "64512\n",
		                        10 + i);
		off2 += (size_t)snprintf(af + off2, sizeof(af) - off2,
		                         "  neighbor 192.168.1.%u activate\n"
		                         "  neighbor 192.168.1.%u "
		                         "route-reflector-client\n",
		                         10 + i, 10 + i);
	}
	ios(f, "rr1", "192.168.1.1", nb, af);
	ios(f, "rr2", "192.168.1.2", nb, af);
	calico(f, "false", 8, peers, 2);
	resolve(f, 0);
	memset(&o, 0, sizeof(o));
	memset(&h1, 0, sizeof(h1));
	memset(&h2, 0, sizeof(h2));
	o.trace = on_wire;
	o.trace_ctx = &h1;
	assert_int_equal(sim_new(f->m, &o, &f->s, &f->d), 0);
	sim_run(f->s);
	w = sim_world(f->s);
	/* 2 x 8 x 7 reflected UPDATEs of 8 distinct messages */
	/* the clients of a reflector are one update group: a template
	 * composed for one is sent by the others, and read once */
	assert_true(w->cache.tmpl_hits > 0);
	assert_true(w->cache.read_hits > 0);
	assert_true(sim_verdict(f->s)->ok);
	o.trace_ctx = &h2;
	o.plain = true;
	assert_int_equal(sim_new(f->m, &o, &s2, &f->d), 0);
	sim_run(s2);
	assert_int_equal(sim_world(s2)->cache.tmpl_hits, 0);
	assert_int_equal(sim_world(s2)->cache.read_hits, 0);
	assert_int_equal(sim_world(s2)->cache.dec_hits, 0);
	assert_int_equal(h1.n, h2.n);
	assert_true(h1.h == h2.h);
	a = dump(f->s);
	b = dump(s2);
	assert_string_equal(a, b);
	free(a);
	free(b);
	sim_free(s2);
}

/* every route of every speaker and every session's counters, hashed */
static void
hash_route(void *ctx, const struct sim_route *r)
{
	uint64_t *h = ctx;
	char a[RR_PREFIX_STRLEN], b[RR_ADDR_STRLEN];
	const char *p = rr_prefix_str(&r->prefix, a);

	for (; *p; p++)
		*h = (*h ^ (uint8_t)*p) * 0x100000001b3ull;
	for (p = rr_addr_str(&r->next_hop, b); *p; p++)
		*h = (*h ^ (uint8_t)*p) * 0x100000001b3ull;
	*h = (*h ^ ((uint64_t)r->speaker << 32 | (uint64_t)r->session << 1 |
	            r->best)) *
	     0x100000001b3ull;
	*h = (*h ^ ((uint64_t)r->local_pref << 32 | r->originator_id)) *
	     0x100000001b3ull;
}

static uint64_t
hash_world(struct sim *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < sim_nspeakers(s); i++) {
		const struct sim_speaker *sp = sim_speaker(s, (uint32_t)i);
		h = (h ^ sp->table_version ^ (uint64_t)sp->nbest << 40) *
		    0x100000001b3ull;
		sim_routes(s, (uint32_t)i, hash_route, &h);
	}
	for (i = 0; i < sim_nsessions(s); i++) {
		const struct sim_session *ss = sim_session(s, (uint32_t)i);
		h = (h ^ ss->pfx_rcvd ^ ss->msgs_in << 24 ^
		     ss->since_ms << 44) *
		    0x100000001b3ull;
	}
	return h ^ sim_stats(s)->messages ^ sim_stats(s)->end_ms << 32;
}

/* the best-route hook's calls, hashed in order */
static void
hash_best(void *ctx, uint64_t t, uint32_t k, const struct rr_prefix *p,
          uint32_t pid, uint32_t from, uint32_t to)
{
	uint64_t *h = ctx;
	char a[RR_PREFIX_STRLEN];
	const char *c = rr_prefix_str(p, a);

	for (; *c; c++)
		*h = (*h ^ (uint8_t)*c) * 0x100000001b3ull;
	*h = (*h ^ t ^ (uint64_t)k << 20 ^ (uint64_t)from << 40) *
	     0x100000001b3ull;
	*h = (*h ^ to) * 0x100000001b3ull;
	*h = (*h ^ pid) * 0x100000001b3ull;
}

/*
 * Batches taken alike (cache.c): 300 nodes of two reflectors take the
 * same UPDATEs into the same pages of their RIBs but their own blocks'
 * page; a node in a state met before takes the outcome.  Every route,
 * counter, table version and prefix id is the plain run's, with a session
 * cut and restored while the tables are sent; so is the verdict, which
 * reads the next hops of the pages nodes share once.
 */
static void
test_batches_alike(void **state)
{
	struct fx *f = *state;
	enum { N = 300 };
	static const char *const name[2] = {"rr1", "rr2"};
	struct sim_fault ft[2];
	struct sim_opts o;
	struct sim *s2;
	uint64_t hbest = 0;
	char *t;
	size_t n;
	FILE *fp;
	unsigned i, r;

	for (r = 0; r < 2; r++) {
		t = NULL;
		n = 0;
		fp = open_memstream(&t, &n);
		assert_non_null(fp);
		fprintf(fp,
		        "hostname %s\ninterface GigabitEthernet0/0\n"
		        " ip address 10.1.0.%u 255.255.0.0\n"
		        "router bgp 64512\n bgp router-id 10.1.0.%u\n"
		        " bgp cluster-id 1\n",
		        name[r], r + 1, r + 1);
		for (i = 0; i < N; i++)
			fprintf(fp, " neighbor 10.1.%u.%u remote-as 64512\n",
			        1 + i / 200, 10 + i % 200);
		fprintf(fp, " address-family ipv4\n");
		for (i = 0; i < N; i++)
			fprintf(fp,
			        "  neighbor 10.1.%u.%u activate\n"
			        "  neighbor 10.1.%u.%u route-reflector-client\n",
			        1 + i / 200, 10 + i % 200, 1 + i / 200,
			        10 + i % 200);
		fprintf(fp, " exit-address-family\nend\n");
		fclose(fp);
		assert_int_equal(parse_ios(f->m, r ? "rr2.ios" : "rr1.ios", t,
		                           n, &f->d),
		                 0);
		free(t);
	}
	t = NULL;
	n = 0;
	fp = open_memstream(&t, &n);
	assert_non_null(fp);
	fprintf(fp, calico_head, "false");
	fprintf(fp, peer_fmt, "rr1", "all()", "10.1.0.1");
	fprintf(fp, peer_fmt, "rr2", "all()", "10.1.0.2");
	for (i = 0; i < N; i++)
		fprintf(fp,
		        "---\napiVersion: projectcalico.org/v3\nkind: Node\n"
		        "metadata:\n  name: n%03u\n"
		        "spec:\n  bgp:\n    ipv4Address: 10.1.%u.%u/16\n"
		        "---\napiVersion: crd.projectcalico.org/v1\n"
		        "kind: BlockAffinity\nmetadata:\n  name: n%03u-blk\n"
		        "spec:\n  node: n%03u\n  cidr: 10.244.%u.%u/26\n"
		        "  state: confirmed\n  deleted: \"false\"\n",
		        i, 1 + i / 200, 10 + i % 200, i, i, i / 4, i % 4 * 64);
	fclose(fp);
	assert_int_equal(parse_calico(f->m, "c.yaml", t, n, NULL, &f->d), 0);
	free(t);
	resolve(f, 0);
	memset(ft, 0, sizeof(ft));
	ft[0].kind = SIM_FAULT_CUT;
	ft[0].a = "n250";
	ft[0].b = "rr1";
	ft[0].at_ms = 8;
	ft[1] = ft[0];
	ft[1].kind = SIM_FAULT_RESTORE;
	ft[1].at_ms = 400;
	memset(&o, 0, sizeof(o));
	o.faults = ft;
	o.nfaults = 2;
	assert_int_equal(sim_new(f->m, &o, &f->s, &f->d), 0);
	sim_run(f->s);
	assert_true(sim_world(f->s)->cache.bo_hits > 0);
	assert_true(sim_verdict(f->s)->ok);
	o.plain = true;
	assert_int_equal(sim_new(f->m, &o, &s2, &f->d), 0);
	sim_run(s2);
	assert_int_equal(sim_world(s2)->cache.bo_hits, 0);
	assert_true(hash_world(f->s) == hash_world(s2));
	/* the verdict read next hops once per shared page: the same */
	assert_true(sim_world(f->s)->cache.nh_hits > 0);
	assert_int_equal(sim_world(s2)->cache.nh_hits, 0);
	assert_int_equal(sim_verdict(f->s)->routes_expected, N * (N - 1));
	assert_int_equal(sim_verdict(f->s)->routes_ok,
	                 sim_verdict(s2)->routes_ok);
	assert_int_equal(sim_verdict(f->s)->routes_expected,
	                 sim_verdict(s2)->routes_expected);
	sim_free(s2);
	/* with a best-route hook (rrkit rollout's): the same calls in the
	 * same order, replayed for a batch taken alike */
	for (i = 0; i < 2; i++) {
		uint64_t hb = 0xcbf29ce484222325ull;
		o.plain = i == 1;
		o.best = hash_best;
		o.best_ctx = &hb;
		assert_int_equal(sim_new(f->m, &o, &s2, &f->d), 0);
		sim_run(s2);
		assert_true((sim_world(s2)->cache.bo_hits > 0) == !o.plain);
		if (!i)
			hbest = hb;
		else
			assert_true(hb == hbest);
		sim_free(s2);
	}
}

static void
test_until(void **state)
{
	struct fx *f = *state;
	struct sim_opts o;

	seed(f, seed_neighbors, seed_af);
	memset(&o, 0, sizeof(o));
	o.until_ms = 1500;
	assert_int_equal(sim_new(f->m, &o, &f->s, &f->d), 0);
	sim_run(f->s);
	assert_int_equal(sim_stats(f->s)->end_ms, 1500);
	assert_false(sim_stats(f->s)->converged);
	/* IOS dials at once, BIRD answers: up within milliseconds */
	assert_int_equal(sim_verdict(f->s)->sessions_up, 3);
}

/* ------------------------------------------------------ decision table */

static void
test_decide(void **state)
{
	static const struct {
		const char *what;
		struct rib_path a, b;
		bool want; /* a preferred */
	} cases[] = {
	        {"own route first",
	         {.local = true, .local_pref = 1},
	         {.local_pref = 500},
	         true},
	        {"higher LOCAL_PREF",
	         {.local_pref = 200},
	         {.local_pref = 100},
	         true},
	        {"lower LOCAL_PREF loses",
	         {.local_pref = 100},
	         {.local_pref = 200},
	         false},
	        {"shorter AS_PATH",
	         {.local_pref = 100, .aspath_len = 1},
	         {.local_pref = 100, .aspath_len = 2},
	         true},
	        {"lower ORIGIN",
	         {.local_pref = 100, .origin = 0},
	         {.local_pref = 100, .origin = 2},
	         true},
	        {"lower MED, same AS",
	         {.local_pref = 100, .first_as = 65000, .med = 5},
	         {.local_pref = 100, .first_as = 65000, .med = 10},
	         true},
	        {"MED ignored across ASes",
	         {.local_pref = 100, .first_as = 65001, .med = 50, .id = 1},
	         {.local_pref = 100, .first_as = 65000, .med = 10, .id = 2},
	         true},
	        {"eBGP over iBGP",
	         {.local_pref = 100, .ebgp = true, .id = 9},
	         {.local_pref = 100, .id = 1},
	         true},
	        {"lower ORIGINATOR_ID / router id",
	         {.local_pref = 100, .id = 1},
	         {.local_pref = 100, .id = 2},
	         true},
	        {"shorter CLUSTER_LIST",
	         {.local_pref = 100, .id = 1, .ncluster = 1},
	         {.local_pref = 100, .id = 1, .ncluster = 2},
	         true},
	        {"lower peer address",
	         {.local_pref = 100, .id = 1, .peer = {4, {10, 0, 0, 1}}},
	         {.local_pref = 100, .id = 1, .peer = {4, {10, 0, 0, 2}}},
	         true},
	        {"AS_PATH before ORIGIN",
	         {.local_pref = 100, .aspath_len = 1, .origin = 2},
	         {.local_pref = 100, .aspath_len = 2, .origin = 0},
	         true},
	        {"LOCAL_PREF before AS_PATH",
	         {.local_pref = 200, .aspath_len = 5},
	         {.local_pref = 100, .aspath_len = 0},
	         true},
	        {"IOS: the older eBGP path (the best) stays",
	         {.local_pref = 100, .ebgp = true, .id = 9, .selected = true,
	          .oldest_ebgp = true},
	         {.local_pref = 100, .ebgp = true, .id = 1, .oldest_ebgp = true},
	         true},
	        {"compare-routerid: the lower router id, not the older path",
	         {.local_pref = 100, .ebgp = true, .id = 9, .selected = true},
	         {.local_pref = 100, .ebgp = true, .id = 1},
	         false},
	        {"iBGP paths: the lower router id, not the older path",
	         {.local_pref = 100, .id = 9, .selected = true,
	          .oldest_ebgp = true},
	         {.local_pref = 100, .id = 1, .oldest_ebgp = true},
	         false},
	        {"the older eBGP path only after AS_PATH",
	         {.local_pref = 100, .ebgp = true, .aspath_len = 2, .id = 1,
	          .selected = true, .oldest_ebgp = true},
	         {.local_pref = 100, .ebgp = true, .aspath_len = 1, .id = 9,
	          .oldest_ebgp = true},
	         false},
	        {"bestpath as-path ignore",
	         {.local_pref = 100, .aspath_len = 3, .id = 1,
	          .as_path_ignore = true},
	         {.local_pref = 100, .aspath_len = 1, .id = 2,
	          .as_path_ignore = true},
	         true},
	        {"always-compare-med: MED across ASes",
	         {.local_pref = 100, .first_as = 65001, .med = 5, .id = 2,
	          .always_med = true},
	         {.local_pref = 100, .first_as = 65000, .med = 10, .id = 1,
	          .always_med = true},
	         true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (rib_decide(&cases[i].a, &cases[i].b) != cases[i].want)
			fail_msg("decision: %s", cases[i].what);
		if (rib_decide(&cases[i].b, &cases[i].a) == cases[i].want)
			fail_msg("decision (reversed): %s", cases[i].what);
	}
}

static void
test_reflect_rules(void **state)
{
	static const struct {
		bool bird, from_client, to_client, c2c, want;
	} cases[] = {
	        /* IOS, RFC 4456 6 */
	        {false, true, true, true, true},    /* client -> client */
	        {false, true, false, true, true},   /* client -> non-client */
	        {false, false, true, true, true},   /* non-client -> client */
	        {false, false, false, true, false}, /* split horizon */
	        {false, true, true, false, false},  /* no client-to-client */
	        {false, true, false, false, true},
	        /* BIRD: either side an rr client */
	        {true, true, true, true, true},
	        {true, true, false, true, true},
	        {true, false, true, true, true},
	        {true, false, false, true, false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(
		        rib_reflect_ok(cases[i].bird, cases[i].from_client,
		                       cases[i].to_client, cases[i].c2c),
		        cases[i].want);
}

static void
test_sched_order(void **state)
{
	struct sched s;
	struct sched_ev e;
	struct sched_timer t;
	uint64_t last = 0;
	uint32_t i, fired = 0;

	(void)state;
	sched_init(&s);
	/* ties run in insertion order */
	for (i = 0; i < 100; i++)
		sched_push(&s, (uint64_t)(i % 7) * 10, SEV_START, i, 0, 0);
	for (i = 0; sched_pop(&s, &e); i++) {
		assert_true(e.t >= last);
		if (e.t == last && i)
			assert_true(e.a > 0);
		last = e.t;
	}
	assert_int_equal(i, 100);
	/* a timer restarted 1000 times costs few events and fires once, at
	 * the last deadline */
	memset(&t, 0, sizeof(t)); /* slots start zeroed */
	sched_timer_init(&t);
	for (i = 0; i < 1000; i++) {
		s.now = i;
		sched_timer_start(&s, &t, i + 30000, 7, 1);
	}
	assert_true(s.n <= 2);
	while (sched_pop(&s, &e))
		if (sched_timer_due(&s, &t, &e)) {
			fired++;
			assert_int_equal(e.t, 999 + 30000);
		}
	assert_int_equal(fired, 1);
	/* stopped: never fires */
	s.now = 0;
	sched_timer_start(&s, &t, 5, 7, 1);
	sched_timer_stop(&t);
	while (sched_pop(&s, &e))
		assert_false(sched_timer_due(&s, &t, &e));
	sched_release(&s);
}

/* An IOS router as ios() writes it, with global lines after it (static
 * routes its `network` statements need). */
static void
router(struct fx *f, const char *name, const char *addr, const char *nbrs,
       const char *af, const char *tail)
{
	char *t = rr_arena_printf(&f->a, ios_fmt, name, addr, addr, nbrs, af);
	char *end = strstr(t, "end\n");
	char *path = rr_arena_printf(&f->a, "%s.ios", name);
	*end = '\0';
	t = rr_arena_printf(&f->a, "%s%send\n", t, tail);
	if (!strcmp(name, "tor")) /* an eBGP neighbour of the nodes */
		memcpy(strstr(t, "router bgp 64512") + 11, "65000", 5);
	assert_int_equal(parse_ios(f->m, path, t, strlen(t), &f->d), 0);
}

/* A Calico node's BIRD filters as confd writes them: a BGPFilter export
 * rule that accepts ends the filter (its own community, not the
 * prefixAdvertisements one); a rejecting rule keeps a service range from
 * the router; import rules per prefix; communities travel in the UPDATEs.
 * And BIRD's LOCAL_PREF 0 for a route received without one. */
static void
test_bird_filters(void **state)
{
	struct fx *f = *state;
	static const char *const peers[] = {"rr1|all()|192.168.1.1"};
	static const char extra[] =
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	        "metadata: {name: default}\nspec:\n"
	        "  nodeToNodeMeshEnabled: false\n  asNumber: 64512\n"
	        "  serviceClusterIPs: [{cidr: 10.96.0.0/12}]\n"
	        "  serviceLoadBalancerIPs: [{cidr: 198.51.100.0/24}]\n"
	        "  communities: [{name: c, value: '64512:200'}]\n"
	        "  prefixAdvertisements:\n"
	        "  - {cidr: 0.0.0.0/0, communities: [c, '1:2:3']}\n"
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPFilter\n"
	        "metadata: {name: f}\nspec:\n  exportV4:\n"
	        "  - {action: Accept, cidr: 10.244.0.0/16, matchOperator: In,\n"
	        "     operations: [{addCommunity: {value: '64512:100'}}]}\n"
	        "  - {action: Reject, cidr: 10.96.0.0/12, matchOperator: Equal}\n"
	        "  importV4:\n"
	        "  - {action: Reject, cidr: 10.0.0.0/8, matchOperator: NotIn}\n"
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	        "metadata: {name: rr1}\nspec:\n  nodeSelector: all()\n"
	        "  peerIP: 192.168.1.1\n  asNumber: 64512\n  filters: [f]\n";
	struct routes rs;
	const struct sim_route *r;

	router(f, "rr1", "192.168.1.1", seed_neighbors,
	       rr_arena_printf(&f->a, "%s%s", "  network 172.16.0.0 mask "
	                       "255.255.0.0\n  network 10.200.0.0 mask "
	                       "255.255.0.0\n", seed_af),
	       "ip route 172.16.0.0 255.255.0.0 192.168.1.254\n"
	       "ip route 10.200.0.0 255.255.0.0 192.168.1.254\n");
	calico(f, "false", 3, peers, 1);
	assert_int_equal(parse_calico(f->m, "x.yaml", extra, strlen(extra),
	                              NULL, &f->d),
	                 0);
	resolve(f, 0);
	run(f, NULL, 0);
	/* the block: the rule's community only */
	r = best(f, &rs, "rr1", "10.244.0.0/26");
	assert_non_null(r);
	assert_int_equal(r->ncommunities, 1);
	assert_int_equal(r->communities[0], 64512u << 16 | 100);
	assert_int_equal(r->nlarge_words, 0);
	/* Calico's own filter: the prefixAdvertisements communities */
	r = best(f, &rs, "rr1", "198.51.100.0/24");
	assert_non_null(r);
	assert_int_equal(r->ncommunities, 1);
	assert_int_equal(r->communities[0], 64512u << 16 | 200);
	assert_int_equal(r->nlarge_words, 3);
	assert_int_equal(r->large_communities[2], 3);
	/* the rejecting rule */
	assert_null(best(f, &rs, "rr1", "10.96.0.0/12"));
	/* import: in 10/8 taken, outside refused */
	assert_non_null(best(f, &rs, "node-a", "10.200.0.0/16"));
	assert_null(best(f, &rs, "node-a", "172.16.0.0/16"));
	assert_true(sim_verdict(f->s)->ok);
}

/* BIRD defines LOCAL_PREF 0 on a route received without one (eBGP), and
 * Calico's export filter keeps a defined LOCAL_PREF: a ToR's route inside
 * the pool reaches the reflector with LOCAL_PREF 0 (not the 2147482623 a
 * route without one would get). */
static void
test_bird_local_pref_zero(void **state)
{
	struct fx *f = *state;
	struct routes rs;
	const struct sim_route *r;
	static const char y[] =
	        "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	        "metadata: {name: default}\nspec:\n"
	        "  nodeToNodeMeshEnabled: false\n  asNumber: 64512\n"
	        "---\napiVersion: projectcalico.org/v3\nkind: IPPool\n"
	        "metadata: {name: pool}\nspec: {cidr: 10.244.0.0/16}\n"
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	        "metadata: {name: tor}\nspec:\n  peerIP: 192.168.1.2\n"
	        "  asNumber: 65000\n"
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	        "metadata: {name: rr}\nspec:\n  peerIP: 192.168.1.1\n"
	        "  asNumber: 64512\n"
	        "---\napiVersion: projectcalico.org/v3\nkind: Node\n"
	        "metadata: {name: node-n}\nspec:\n  bgp: {ipv4Address: "
	        "192.168.1.10/24}\n";

	router(f, "rr1", "192.168.1.1",
	       " neighbor 192.168.1.10 remote-as 64512\n",
	       "  neighbor 192.168.1.10 activate\n"
	       "  neighbor 192.168.1.10 route-reflector-client\n", "");
	router(f, "tor", "192.168.1.2",
	       " neighbor 192.168.1.10 remote-as 64512\n",
	       "  network 10.244.100.0 mask 255.255.255.0\n"
	       "  neighbor 192.168.1.10 activate\n",
	       "ip route 10.244.100.0 255.255.255.0 192.168.1.254\n");
	assert_int_equal(parse_calico(f->m, "c.yaml", y, strlen(y), NULL, &f->d),
	                 0);
	resolve(f, 0);
	run(f, NULL, 0);
	r = best(f, &rs, "rr1", "10.244.100.0/24");
	assert_non_null(r);
	assert_true(r->has_local_pref);
	assert_int_equal(r->local_pref, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_seed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_windows, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_wrong_remote_as, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_no_rr_client, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_refused_redial, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_md5_one_side, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_causes_bounded, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_fail_reflector, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_two_reflectors_one_cluster,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_full_mesh, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_mesh_elided, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_listen_range, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_cut_restore, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_fault_names, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_trace, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_deterministic, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_until, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_batches_alike, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_update_groups, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_bird_filters, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_bird_local_pref_zero, setup,
	                                        teardown),
	        cmocka_unit_test(test_decide),
	        cmocka_unit_test(test_reflect_rules),
	        cmocka_unit_test(test_sched_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
