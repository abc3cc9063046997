/*
 * emitters/ on small inline inputs: the router plan (which router, its
 * clients in each style, cluster-id, IPv6 activation), the IOS, FRR and
 * Calico texts, the fixed point gen(parse(gen(parse(x)))) == gen(parse(x))
 * in memory, passwords only as placeholders, and the errors that leave no
 * output (two routers without --router, a listen range over nodes that
 * need different settings, nothing to generate); BIRD as confd writes it
 * (the self-contained form, a filter confd cannot render).  The confd
 * oracle (test_confd.c) compares gen bird with Calico's goldens.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emitters/emitters.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"

#define NODE(name, addr, extra)                                                \
	"---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n"       \
	"  name: " name "\n  labels:\n    kubernetes.io/hostname: " name       \
	"\nspec:\n  bgp:\n    ipv4Address: " addr "\n" extra

static const char *const cfg =
        "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
        "metadata:\n  name: default\nspec:\n  nodeToNodeMeshEnabled: false\n"
        "  asNumber: 64512\n";
static const char *const peer =
        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n"
        "  name: rr1\nspec:\n  nodeSelector: all()\n  peerIP: 192.168.1.1\n"
        "  asNumber: 64512\n";
static const char *const nodes = NODE("node-a", "192.168.1.10/24", "")
        NODE("node-b", "192.168.1.11/24", "")
                NODE("node-c", "192.168.1.12/24", "");

static const char *const router =
        "hostname rr1\n!\ninterface GigabitEthernet0/0\n"
        " ip address 192.168.1.1 255.255.255.0\n!\n"
        "router bgp 64512\n bgp router-id 192.168.1.1\n bgp cluster-id 1\n"
        " timers bgp 10 30\n"
        " neighbor 192.168.1.10 remote-as 64512\n"
        " neighbor 192.168.1.10 password s3cret\n"
        " neighbor 192.168.1.11 remote-as 64512\n"
        " neighbor 192.168.1.11 password s3cret\n"
        " neighbor 203.0.113.1 remote-as 65000\n"
        " !\n address-family ipv4\n"
        "  neighbor 192.168.1.10 activate\n"
        "  neighbor 192.168.1.10 route-reflector-client\n"
        "  neighbor 192.168.1.11 activate\n"
        "  neighbor 192.168.1.11 route-reflector-client\n"
        "  neighbor 203.0.113.1 activate\n"
        " exit-address-family\n!\nend\n";

struct fx {
	struct rr_model *m;
	struct rr_diags d;
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
	rr_arena_release(&f->a);
	rr_diags_release(&f->d);
	rr_model_free(f->m);
	test_free(f);
	return 0;
}

/* A fresh model from texts: name ending in .ios is IOS, else YAML. */
static void
load(struct fx *f, const char *const *names, const char *const *texts, size_t n)
{
	size_t i;
	rr_diags_release(&f->d);
	rr_model_free(f->m);
	f->m = rr_model_new();
	rr_diags_init(&f->d);
	for (i = 0; i < n; i++) {
		const char *file = rr_model_file(f->m, names[i]);
		size_t len = strlen(texts[i]);
		if (strstr(names[i], ".ios"))
			assert_int_equal(
			        parse_ios(f->m, file, texts[i], len, &f->d), 0);
		else
			assert_int_equal(parse_calico(f->m, file, texts[i], len,
			                              NULL, &f->d),
			                 0);
	}
	assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
	for (i = 0; i < f->d.n; i++)
		assert_true(f->d.v[i].sev < RR_SEV_ERROR);
}

static void
load1(struct fx *f, const char *name, const char *text)
{
	load(f, &name, &text, 1);
}

static char *
cat(struct fx *f, const char *a, const char *b, const char *c)
{
	return rr_arena_printf(&f->a, "%s%s%s", a, b, c ? c : "");
}

typedef int (*emit_fn)(const struct rr_model *, const struct emit_opts *,
                       char **, size_t *, struct rr_diags *);

static char *
gen(struct fx *f, emit_fn fn, const struct emit_opts *o)
{
	char *out = NULL, *copy;
	size_t len = 0;
	assert_int_equal(fn(f->m, o, &out, &len, &f->d), 0);
	assert_non_null(out);
	assert_int_equal(strlen(out), len);
	copy = rr_arena_strdup(&f->a, out);
	emit_free(out);
	return copy;
}

static void
has(const char *text, const char *line)
{
	if (!strstr(text, line))
		fail_msg("missing '%s' in:\n%s", line, text);
}

static void
hasnt(const char *text, const char *line)
{
	if (strstr(text, line))
		fail_msg("unexpected '%s' in:\n%s", line, text);
}

/* ---------------------------------------------------------- tests */

static void
plan_seed_neighbor(void **state)
{
	struct fx *f = *state;
	struct emit_router r;
	size_t i;

	load1(f, "c.yaml", cat(f, cfg, peer, nodes));
	assert_int_equal(emit_router_plan(f->m, NULL, &f->a, &r, &f->d), 0);
	assert_int_equal(r.asn, 64512);
	assert_true(r.has_router_id);
	assert_string_equal(r.cluster_id, "192.168.1.1");
	assert_null(r.hostname);
	assert_int_equal(r.nclients, 3);
	assert_int_equal(r.npeers, 3);
	assert_int_equal(r.ngroups, 0);
	assert_false(r.no_default_ipv4);
	for (i = 0; i < r.npeers; i++) {
		assert_true(r.peers[i].rr_client);
		assert_true(r.peers[i].activate[EMIT_AFI_V4]);
		assert_int_equal(r.peers[i].remote_as, 64512);
		assert_non_null(r.peers[i].node);
	}
	assert_string_equal(r.peers[0].description, "node-a");
	assert_string_equal(r.peers[2].description, "node-c");
}

static void
plan_styles(void **state)
{
	struct fx *f = *state;
	struct emit_router r;
	struct emit_opts o = {.style = EMIT_STYLE_PEER_GROUP};
	char b[RR_PREFIX_STRLEN];

	load1(f, "c.yaml", cat(f, cfg, peer, nodes));
	assert_int_equal(emit_router_plan(f->m, &o, &f->a, &r, &f->d), 0);
	assert_int_equal(r.ngroups, 1);
	assert_string_equal(r.groups[0].group_name, EMIT_GROUP_NAME);
	assert_true(r.groups[0].rr_client);
	assert_int_equal(r.npeers, 3);
	assert_string_equal(r.peers[1].member_of, EMIT_GROUP_NAME);
	assert_false(r.peers[1].has_remote_as);

	o.style = EMIT_STYLE_LISTEN_RANGE;
	assert_int_equal(emit_router_plan(f->m, &o, &f->a, &r, &f->d), 0);
	assert_int_equal(r.npeers, 0);
	assert_int_equal(r.nranges, 1);
	assert_string_equal(rr_prefix_str(&r.ranges[0].p, b), "192.168.1.0/24");
	assert_string_equal(r.ranges[0].group, EMIT_GROUP_NAME);
}

static void
ios_text_seed(void **state)
{
	struct fx *f = *state;
	struct emit_opts o = {.hostname = "rr1"};
	char *t;

	load1(f, "c.yaml", cat(f, cfg, peer, nodes));
	t = gen(f, emit_ios, &o);
	has(t, "\nhostname rr1\n");
	has(t, "\nrouter bgp 64512\n bgp router-id 192.168.1.1\n"
	       " bgp cluster-id 192.168.1.1\n bgp log-neighbor-changes\n"
	       " neighbor 192.168.1.10 remote-as 64512\n"
	       " neighbor 192.168.1.10 description node-a\n");
	has(t, " !\n address-family ipv4\n  neighbor 192.168.1.10 activate\n"
	       "  neighbor 192.168.1.10 route-reflector-client\n");
	has(t, "  neighbor 192.168.1.12 route-reflector-client\n"
	       " exit-address-family\n!\nend\n");
	has(t, "! from BGPPeer rr1 (c.yaml:");
	hasnt(t, "no bgp default ipv4-unicast");
}

/* gen cisco on its own output, merged with the same manifests, and gen
 * cisco on a router alone: byte for byte the same. */
static void
ios_fixed_point(void **state)
{
	struct fx *f = *state;
	static const enum emit_style st[] = {EMIT_STYLE_NEIGHBOR,
	                                     EMIT_STYLE_PEER_GROUP,
	                                     EMIT_STYLE_LISTEN_RANGE};
	const char *cal = cat(f, cfg, peer, nodes);
	size_t i;

	for (i = 0; i < 3; i++) {
		struct emit_opts o = {.style = st[i]};
		const char *names[] = {"gen.ios", "c.yaml"};
		const char *texts[2];
		char *a, *b;
		load1(f, "c.yaml", cal);
		a = gen(f, emit_ios, &o);
		texts[0] = a;
		texts[1] = cal;
		load(f, names, texts, 2);
		b = gen(f, emit_ios, NULL); /* the style read back */
		assert_string_equal(a, b);
	}
	{
		char *a, *b;
		load1(f, "r.ios", router);
		a = gen(f, emit_ios, NULL);
		load1(f, "again.ios", a);
		b = gen(f, emit_ios, NULL);
		assert_string_equal(a, b);
	}
}

static void
ios_merge_keeps_uplink(void **state)
{
	struct fx *f = *state;
	const char *names[] = {"r.ios", "c.yaml"};
	const char *texts[] = {router, cat(f, cfg, peer, nodes)};
	char *t;

	load(f, names, texts, 2);
	t = gen(f, emit_ios, NULL);
	has(t, "\nhostname rr1\n");
	has(t, " bgp cluster-id 1\n");
	has(t, " timers bgp 10 30\n");
	/* node-c joins, the uplink stays, the nodes' passwords go away
	 * (the BGPPeer has none) */
	has(t, " neighbor 192.168.1.12 remote-as 64512\n");
	has(t, " neighbor 203.0.113.1 remote-as 65000\n");
	has(t, "  neighbor 203.0.113.1 activate\n");
	hasnt(t, "203.0.113.1 route-reflector-client");
	hasnt(t, "password");
	hasnt(t, "s3cret");
}

static void
passwords_are_placeholders(void **state)
{
	struct fx *f = *state;
	const char *pw =
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	        "metadata:\n  name: rr1\nspec:\n  peerIP: 192.168.1.1\n"
	        "  asNumber: 64512\n  password:\n    secretKeyRef:\n"
	        "      name: bgp\n      key: pw\n"
	        "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bgp\n"
	        "  namespace: calico-system\nstringData:\n  pw: hunter2\n";
	char *t;

	load1(f, "c.yaml", cat(f, cfg, pw, nodes));
	t = gen(f, emit_ios, NULL);
	has(t,
	    " neighbor 192.168.1.10 password " EMIT_PASSWORD_PLACEHOLDER "\n");
	has(t, "key 'pw' of Secret 'bgp'");
	hasnt(t, "hunter2");
	t = gen(f, emit_frr, NULL);
	hasnt(t, "hunter2");
	load1(f, "r.ios", router);
	t = gen(f, emit_ios, NULL);
	has(t, " neighbor 192.168.1.10 password " EMIT_PASSWORD_PLACEHOLDER);
	hasnt(t, "s3cret");
	t = gen(f, emit_calico, NULL);
	has(t, "      name: rr1-bgp-password\n      key: password\n");
	hasnt(t, "s3cret");
}

static void
ipv6_clients(void **state)
{
	struct fx *f = *state;
	const char *v6peer =
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	        "metadata:\n  name: rr1-v6\nspec:\n  peerIP: 2001:db8::1\n"
	        "  asNumber: 64512\n";
	const char *n6 = NODE("node-a", "192.168.1.10/24",
	                      "    ipv6Address: 2001:db8::10/64\n");
	struct emit_router r;
	char *t;

	load1(f, "c.yaml", cat(f, cfg, peer, cat(f, v6peer, n6, NULL)));
	assert_int_equal(emit_router_plan(f->m, NULL, &f->a, &r, &f->d), 0);
	assert_int_equal(r.npeers, 2);
	assert_true(r.no_default_ipv4);
	assert_int_equal(r.peers[1].family, RR_AF_INET6);
	assert_false(r.peers[1].activate[EMIT_AFI_V4]);
	assert_true(r.peers[1].activate[EMIT_AFI_V6]);
	t = gen(f, emit_ios, NULL);
	has(t, " no bgp default ipv4-unicast\n");
	has(t, " address-family ipv6\n  neighbor 2001:db8::10 activate\n"
	       "  neighbor 2001:db8::10 route-reflector-client\n");
	t = gen(f, emit_frr, NULL);
	has(t, " address-family ipv6 unicast\n");
}

static void
frr_text(void **state)
{
	struct fx *f = *state;
	const char *ebgp =
	        NODE("node-d", "192.168.1.13/24", "    asNumber: 64513\n");
	struct emit_opts o = {.style = EMIT_STYLE_LISTEN_RANGE};
	char *t;

	load1(f, "c.yaml", cat(f, cfg, peer, nodes));
	t = gen(f, emit_frr, &o);
	has(t, "frr defaults traditional\n");
	/* the group first: FRR refuses a range naming an unknown group */
	has(t, " neighbor CALICO peer-group\n neighbor CALICO remote-as 64512\n"
	       " bgp listen range 192.168.1.0/24 peer-group CALICO\n");
	has(t, " address-family ipv4 unicast\n");
	has(t, " exit-address-family\nexit\n");
	hasnt(t, "ebgp-requires-policy");
	load1(f, "c.yaml", cat(f, cfg, peer, cat(f, nodes, ebgp, NULL)));
	t = gen(f, emit_frr, NULL);
	has(t, " no bgp ebgp-requires-policy\n");
	has(t, " neighbor 192.168.1.13 remote-as 64513\n");
	hasnt(t, "192.168.1.13 route-reflector-client");
}

static void
errors_leave_no_output(void **state)
{
	struct fx *f = *state;
	const char *rr2 =
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	        "metadata:\n  name: rr2\nspec:\n  node: node-c\n"
	        "  peerIP: 192.168.1.2\n  asNumber: 64512\n";
	const char *ebgp =
	        NODE("node-d", "192.168.1.13/24", "    asNumber: 64513\n");
	struct emit_opts o = {.style = EMIT_STYLE_LISTEN_RANGE};
	char *out = (char *)1;
	size_t len = 1;

	load1(f, "c.yaml", cat(f, cfg, peer, cat(f, nodes, rr2, NULL)));
	assert_int_equal(emit_ios(f->m, NULL, &out, &len, &f->d), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_true(f->d.count[RR_SEV_ERROR] > 0);
	/* --router picks one */
	o.style = EMIT_STYLE_AUTO;
	assert_int_equal(rr_addr_parse("192.168.1.2", &o.router[0]), 0);
	o.nrouter = 1;
	out = gen(f, emit_ios, &o);
	has(out, " neighbor 192.168.1.12 remote-as 64512\n");
	hasnt(out, "192.168.1.10");

	/* one subnet, two ASes: no single listen range fits */
	load1(f, "c.yaml", cat(f, cfg, peer, cat(f, nodes, ebgp, NULL)));
	o = (struct emit_opts){.style = EMIT_STYLE_LISTEN_RANGE};
	assert_int_equal(emit_ios(f->m, &o, &out, &len, &f->d), -1);
	assert_null(out);

	/* nothing to say */
	load1(f, "c.yaml", nodes);
	assert_int_equal(emit_calico(f->m, NULL, &out, &len, &f->d), -1);
	assert_int_equal(emit_ios(f->m, NULL, &out, &len, &f->d), -1);
}

static void
calico_from_router(void **state)
{
	struct fx *f = *state;
	char *t, *t2;
	const char *names[] = {"r.ios", "gen.yaml"};
	const char *texts[2];

	load1(f, "r.ios", router);
	t = gen(f, emit_calico, NULL);
	has(t, "# rrkit gen calico\n");
	has(t, "---\napiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	       "metadata:\n  name: default\nspec:\n"
	       "  nodeToNodeMeshEnabled: false\n  asNumber: 64512\n");
	/* no Node resources: the clients are all the nodes, a global peer */
	has(t, "kind: BGPPeer\nmetadata:\n  name: rr1\nspec:\n"
	       "  peerIP: 192.168.1.1\n  asNumber: 64512\n");
	hasnt(t, "nodeSelector");
	hasnt(t, "203.0.113.1");
	texts[0] = router;
	texts[1] = t;
	load(f, names, texts, 2);
	t2 = gen(f, emit_calico, NULL);
	assert_string_equal(t, t2);
}

static void
calico_selects_nodes(void **state)
{
	struct fx *f = *state;
	const char *names[] = {"r.ios", "n.yaml"};
	const char *texts[] = {router, nodes};
	char *t;

	load(f, names, texts, 2);
	t = gen(f, emit_calico, NULL);
	/* rr1 lists node-a and node-b, not node-c */
	has(t, "  nodeSelector: kubernetes.io/hostname in {\"node-a\", "
	       "\"node-b\"}\n  peerIP: 192.168.1.1\n");
}

static void
calico_reprint_quotes(void **state)
{
	struct fx *f = *state;
	const char *y =
	        "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n"
	        "  name: tor\n  labels:\n    rack: \"yes\"\n    n: \"012\"\n"
	        "spec:\n  nodeSelector: \"!has(rr)\"\n  peerIP: 10.0.0.1:1790\n"
	        "  asNumber: 65001\n  keepaliveTime: 1m\n";
	char *t, *t2;

	load1(f, "p.yaml", y);
	t = gen(f, emit_calico, NULL);
	has(t, "  labels:\n    \"n\": \"012\"\n    rack: \"yes\"\n");
	has(t, "  nodeSelector: '!has(rr)'\n  peerIP: 10.0.0.1:1790\n"
	       "  asNumber: 65001\n  keepaliveTime: 60s\n");
	load1(f, "again.yaml", t);
	t2 = gen(f, emit_calico, NULL);
	assert_string_equal(t, t2);
}

static void
mask_str(void **state)
{
	char b[RR_ADDR_STRLEN];
	(void)state;
	assert_string_equal(emit_mask_str(24, b), "255.255.255.0");
	assert_string_equal(emit_mask_str(0, b), "0.0.0.0");
	assert_string_equal(emit_mask_str(32, b), "255.255.255.255");
	assert_string_equal(emit_mask_str(17, b), "255.255.128.0");
}

/* ------------------------------------------------------------ BIRD */

static char *
bird(struct fx *f, const char *node, uint8_t af, int which, int *rc)
{
	struct emit_bird_opts o = {false};
	char *out = NULL, *copy;
	size_t len = 0;
	*rc = which < 0 ? emit_bird(f->m, node, af, &o, &out, &len, &f->d)
			: emit_bird_file(f->m, node, af,
					 (enum emit_bird_file)which, &o, &out,
					 &len, &f->d);
	if (*rc < 0)
		return NULL;
	copy = rr_arena_strdup(&f->a, out);
	emit_free(out);
	return copy;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

/* The one-file form is bird.cfg with its includes replaced: every
 * function defined once, before it is called; service routes, reachableBy
 * routes, BGPFilter functions and communities where confd puts them. */
static void
bird_self_contained(void **state)
{
	struct fx *f = *state;
	int rc;
	char *t;
	const char *y =
	        "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	        "metadata:\n  name: default\nspec:\n"
	        "  nodeToNodeMeshEnabled: false\n"
	        "  serviceClusterIPs: [{cidr: 10.96.0.0/12}]\n"
	        "  communities: [{name: c, value: \"65000:7\"}]\n"
	        "  prefixAdvertisements:\n"
	        "  - {cidr: 10.96.0.0/12, communities: [c]}\n"
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPFilter\n"
	        "metadata:\n  name: no-default\nspec:\n  importV4:\n"
	        "  - {action: Reject, cidr: 0.0.0.0/0, matchOperator: Equal}\n"
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	        "metadata:\n  name: rr1\nspec:\n  peerIP: 192.168.2.1\n"
	        "  asNumber: 64512\n  reachableBy: 192.168.1.254\n"
	        "  filters: [no-default]\n"
	        NODE("node-a", "192.168.1.10/24", "");

	load1(f, "c.yaml", y);
	t = bird(f, "node-a", RR_AF_INET, -1, &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(count(t, "include \""), 0);
	assert_int_equal(count(t, "function calico_aggr ()"), 1);
	assert_int_equal(count(t, "function calico_export_to_bgp_peers("), 1);
	assert_true(strstr(t, "function calico_aggr ()") <
	            strstr(t, "calico_aggr();"));
	assert_non_null(strstr(t, "   route 10.96.0.0/12 blackhole;\n"));
	assert_non_null(strstr(t, "   route 192.168.2.1/32 via 192.168.1.254;\n"));
	assert_non_null(strstr(t, "  if ( net ~ 10.96.0.0/12 ) then { reject; }\n"));
	assert_non_null(strstr(t, "      if ( net ~ 10.96.0.0/12 ) then {\n"
	                          "          bgp_community.add((65000, 7));\n"));
	assert_non_null(strstr(t, "function 'bgp_no-default_importFilterV4'() {\n"
	                          "  if ((net = 0.0.0.0/0)) then { reject; }\n}\n"));
	assert_non_null(strstr(t, "    'bgp_no-default_importFilterV4'();\n"));
	/* the split form: bird.cfg includes the other two */
	t = bird(f, "node-a", RR_AF_INET, EMIT_BIRD_MAIN, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(t, "include \"bird_aggr.cfg\";\n"
	                          "include \"bird_ipam.cfg\";\n"));
	t = bird(f, "node-a", RR_AF_INET6, EMIT_BIRD_MAIN, &rc);
	assert_non_null(strstr(t, "# IPv6 disabled on this node.\n"));
	assert_string_equal(emit_bird_file_name(RR_AF_INET6, EMIT_BIRD_IPAM),
	                    "bird6_ipam.cfg");
}

/* A rule confd cannot render (cidr without matchOperator: Calico's CEL
 * rejects it, a kubectl-applied CRD may still hold it): an error, no
 * text, as confd keeps BIRD's old configuration. */
static void
bird_filter_error(void **state)
{
	struct fx *f = *state;
	int rc;
	const char *y =
	        "---\napiVersion: projectcalico.org/v3\nkind: BGPFilter\n"
	        "metadata:\n  name: bad\nspec:\n  exportV4:\n"
	        "  - {action: Accept, cidr: 10.0.0.0/8}\n"
	        NODE("node-a", "192.168.1.10/24", "");
	const char *name = "c.yaml";
	size_t i;
	bool found = false;

	rr_diags_release(&f->d);
	rr_model_free(f->m);
	f->m = rr_model_new();
	rr_diags_init(&f->d);
	assert_int_equal(parse_calico(f->m, name, y, strlen(y), NULL, &f->d), 0);
	assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
	assert_null(bird(f, "node-a", RR_AF_INET, EMIT_BIRD_MAIN, &rc));
	assert_int_equal(rc, -1);
	for (i = 0; i < f->d.n; i++)
		found |= f->d.v[i].sev == RR_SEV_ERROR &&
		         f->d.v[i].loc.line == 8;
	assert_true(found);
	/* no such node, no router id */
	assert_null(bird(f, "nope", RR_AF_INET, -1, &rc));
	assert_int_equal(rc, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(plan_seed_neighbor, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(plan_styles, setup, teardown),
	        cmocka_unit_test_setup_teardown(ios_text_seed, setup, teardown),
	        cmocka_unit_test_setup_teardown(ios_fixed_point, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(ios_merge_keeps_uplink, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(passwords_are_placeholders,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(ipv6_clients, setup, teardown),
	        cmocka_unit_test_setup_teardown(frr_text, setup, teardown),
	        cmocka_unit_test_setup_teardown(errors_leave_no_output, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(calico_from_router, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(calico_selects_nodes, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(calico_reprint_quotes, setup,
	                                        teardown),
	        cmocka_unit_test(mask_str),
	        cmocka_unit_test_setup_teardown(bird_self_contained, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(bird_filter_error, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
