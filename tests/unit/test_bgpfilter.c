/*
 * BGPFilters in the analysis (lint's verdict, and sim's through it): the
 * rules of a Calico session's filters decide, as BIRD runs the functions
 * confd writes, which blocks a node sends and accepts; with and without
 * the grouping of alike nodes into classes the outcome of every (node,
 * block) pair is the same (runs are per block when a filter is in play).
 *
 * The design: one IOS route reflector, eight nodes with two blocks each,
 * one global BGPPeer naming the filter under test.
 *
 * Communities: prefixAdvertisements tag a node's blocks on the way out
 * (calico_export_to_bgp_peers()'s apply_communities()), an import rule
 * matching the community refuses them; a standard community crosses the
 * IOS reflector only with send-community, a large one as sim carries it.
 *
 * Service routes at the router (service-multipath-missing): a service
 * range every node advertises reaches a router without `maximum-paths
 * ibgp` over eight equal paths: one warning naming the line; none with
 * the line, none when the nodes' filters keep the range in.
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

#define NODES 8

/* rr1 reflecting for the nodes' listen range; `extra` goes under the
 * peer-group, `tail` after the range */
#define ROUTER(extra, tail)                                                    \
	"hostname rr1\n"                                                        \
	"interface GigabitEthernet0/0\n"                                        \
	" ip address 192.168.1.1 255.255.255.0\n"                               \
	"router bgp 64512\n"                                                    \
	" bgp router-id 192.168.1.1\n"                                          \
	" neighbor CALICO peer-group\n"                                         \
	" neighbor CALICO remote-as 64512\n"                                    \
	" neighbor CALICO route-reflector-client\n" extra                       \
	" bgp listen range 192.168.1.0/24 peer-group CALICO\n" tail

static const char router[] = ROUTER("", "");
static const char router_mp[] =
	ROUTER("", " address-family ipv4\n  maximum-paths ibgp 8\n");
static const char router_sc[] = ROUTER(" neighbor CALICO send-community\n", "");
static const char *svc = "";

/* The Calico side: `filter` is the BGPFilter's spec (YAML, indented). */
static char *
calico(const char *filter)
{
	size_t cap = 16384, n = 0, i;
	char *b = malloc(cap);
	assert_non_null(b);
	n += (size_t)snprintf(
		b + n, cap - n,
		"apiVersion: projectcalico.org/v3\n"
		"kind: BGPConfiguration\n"
		"metadata: {name: default}\n"
		"spec: {nodeToNodeMeshEnabled: false, asNumber: 64512%s}\n"
		"---\n"
		"apiVersion: projectcalico.org/v3\n"
		"kind: BGPPeer\n"
		"metadata: {name: rr1}\n"
		"spec:\n"
		"  nodeSelector: all()\n"
		"  peerIP: 192.168.1.1\n"
		"  asNumber: 64512\n"
		"  filters: [f]\n"
		"---\n"
		"apiVersion: projectcalico.org/v3\n"
		"kind: BGPFilter\n"
		"metadata: {name: f}\n"
		"spec:\n%s"
		"---\n"
		"apiVersion: projectcalico.org/v3\n"
		"kind: IPPool\n"
		"metadata: {name: p}\n"
		"spec: {cidr: 10.244.0.0/16, blockSize: 26}\n",
		svc, filter);
	for (i = 0; i < NODES; i++)
		n += (size_t)snprintf(
			b + n, cap - n,
			"---\n"
			"apiVersion: projectcalico.org/v3\n"
			"kind: Node\n"
			"metadata: {name: n%zu}\n"
			"spec: {bgp: {ipv4Address: 192.168.1.%zu/24}}\n"
			"---\n"
			"apiVersion: crd.projectcalico.org/v1\n"
			"kind: BlockAffinity\n"
			"metadata: {name: n%zu-a}\n"
			"spec: {node: n%zu, cidr: 10.244.%zu.0/26, state: "
			"confirmed}\n"
			"---\n"
			"apiVersion: crd.projectcalico.org/v1\n"
			"kind: BlockAffinity\n"
			"metadata: {name: n%zu-b}\n"
			"spec: {node: n%zu, cidr: 10.244.%zu.64/26, state: "
			"confirmed}\n",
			i, 10 + i, i, i, i, i, i, i);
	assert_true(n < cap);
	return b;
}

static void
load_with(struct fx *f, const char *filter, const char *ios)
{
	char *c = calico(filter);
	reset(f);
	parse_ios(f->m, rr_model_file(f->m, "rr1.ios"), ios, strlen(ios),
		  &f->d);
	parse_calico(f->m, rr_model_file(f->m, "c.yaml"), c, strlen(c), NULL,
		     &f->d);
	free(c);
	assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
}

static void
load(struct fx *f, const char *filter)
{
	load_with(f, filter, router);
}

/* Each (node, block) pair: the same state with and without classes; the
 * number of pairs that do not arrive, and the rule of the first. */
static uint64_t
missing(const struct rr_model *m, enum az_rule *rule)
{
	struct az_opts plain = {.no_classes = true};
	struct az *a = az_run(m, NULL), *b = az_run(m, &plain);
	uint64_t miss = 0;
	size_t n, o, k;

	*rule = AZ_R_COUNT;
	for (n = 0; n < m->nspeakers; n++)
		for (o = 0; o < m->nspeakers; o++) {
			const struct rr_speaker *s = m->speakers[o];
			if (n == o || s->kind != RR_SPK_CALICO ||
			    m->speakers[n]->kind != RR_SPK_CALICO)
				continue;
			for (k = 0; k < s->noriginates; k++) {
				uint32_t fa, fb;
				enum az_state sa = az_route(
					a, (uint32_t)n, (uint32_t)o,
					&s->originates[k].p, &fa);
				enum az_state sb = az_route(
					b, (uint32_t)n, (uint32_t)o,
					&s->originates[k].p, &fb);
				assert_int_equal(sa, sb);
				if (sa != AZ_DOWN)
					continue;
				miss++;
				assert_int_equal(az_finding(a, fa)->rule,
						 az_finding(b, fb)->rule);
				if (*rule == AZ_R_COUNT)
					*rule = az_finding(a, fa)->rule;
			}
		}
	assert_int_equal(az_verdict(a)->routes_ok, az_verdict(b)->routes_ok);
	az_free(a);
	az_free(b);
	return miss;
}

/* An export rule rejecting one block of one node: only that block is
 * missing, at every other node (classes must not carry the verdict of
 * n3's first block over to its second). */
static void
test_export_reject_one_block(void **state)
{
	struct fx *f = *state;
	enum az_rule r;
	load(f,
	     "  exportV4:\n"
	     "  - {action: Reject, matchOperator: Equal, cidr: "
	     "10.244.3.64/26}\n");
	assert_int_equal(missing(f->m, &r), NODES - 1);
	assert_int_equal(r, AZ_R_ROUTE_POLICY_DENY);
}

/* An import rule with prefixLength: every node refuses the blocks of n5,
 * whatever their order (the first rule that matches decides). */
static void
test_import_reject_prefix_length(void **state)
{
	struct fx *f = *state;
	enum az_rule r;
	load(f,
	     "  importV4:\n"
	     "  - {action: Accept, matchOperator: In, cidr: 10.244.0.0/24}\n"
	     "  - {action: Reject, matchOperator: In, cidr: 10.244.5.0/24, "
	     "prefixLength: {min: 26, max: 26}}\n");
	assert_int_equal(missing(f->m, &r), 2 * (NODES - 1));
	assert_int_equal(r, AZ_R_ROUTE_POLICY_DENY);
}

/* NotIn: a node refuses every route outside 10.244.0.0/22 -- blocks of
 * n4..n7 -- and no rule rejects what it does not match. */
static void
test_import_not_in(void **state)
{
	struct fx *f = *state;
	enum az_rule r;
	load(f,
	     "  importV4:\n"
	     "  - {action: Reject, matchOperator: NotIn, cidr: "
	     "10.244.0.0/22}\n");
	/* 4 origins x 2 blocks, each missing at the 7 other nodes */
	assert_int_equal(missing(f->m, &r), 4 * 2 * (NODES - 1));
	assert_int_equal(r, AZ_R_ROUTE_POLICY_DENY);
}

/* The first rule that matches decides: an accepting rule (with its
 * operations) lets n0..n3's blocks out before the rule rejecting the
 * whole pool; n4..n7's are rejected.  The operations (a prepended AS, a
 * priority) change no outcome. */
static void
test_accept_ends_filter(void **state)
{
	struct fx *f = *state;
	enum az_rule r;
	load(f,
	     "  exportV4:\n"
	     "  - action: Accept\n"
	     "    matchOperator: In\n"
	     "    cidr: 10.244.0.0/22\n"
	     "    operations:\n"
	     "    - prependASPath: {prefix: [65001]}\n"
	     "    - setPriority: {value: 512}\n"
	     "  - {action: Reject, matchOperator: In, cidr: 10.244.0.0/16}\n");
	assert_int_equal(missing(f->m, &r), 4 * 2 * (NODES - 1));
	assert_int_equal(r, AZ_R_ROUTE_POLICY_DENY);
}

/* prefixAdvertisements tag n4..n7's blocks; every node's import rule
 * refuses the tag.  Large: it crosses rr1 (sim carries it); standard:
 * only with send-community. */
static void
test_advertised_community_refused(void **state)
{
	struct fx *f = *state;
	enum az_rule r;
	static const char *const imp =
		"  importV4:\n"
		"  - action: Reject\n"
		"    communities: {values: ['%s']}\n";
	char filter[256];

	svc = ", prefixAdvertisements: [{cidr: 10.244.4.0/22, "
	      "communities: ['64512:1:300']}]";
	snprintf(filter, sizeof(filter), imp, "64512:1:300");
	load(f, filter);
	assert_int_equal(missing(f->m, &r), 4 * 2 * (NODES - 1));
	assert_int_equal(r, AZ_R_ROUTE_POLICY_DENY);

	svc = ", prefixAdvertisements: [{cidr: 10.244.4.0/22, "
	      "communities: ['64512:300']}]";
	snprintf(filter, sizeof(filter), imp, "64512:300");
	load(f, filter);
	assert_int_equal(missing(f->m, &r), 0);
	load_with(f, filter, router_sc);
	assert_int_equal(missing(f->m, &r), 4 * 2 * (NODES - 1));
	assert_int_equal(r, AZ_R_ROUTE_POLICY_DENY);

	/* node.n2's own prefixAdvertisements replace the default's: only
	 * its blocks are tagged (n2 is a class of its own) */
	svc = "";
	snprintf(filter, sizeof(filter), imp, "64512:1:300");
	strcat(filter, "---\n"
		       "apiVersion: projectcalico.org/v3\n"
		       "kind: BGPConfiguration\n"
		       "metadata: {name: node.n2}\n"
		       "spec: {prefixAdvertisements: [{cidr: 10.244.0.0/16, "
		       "communities: ['64512:1:300']}]}\n");
	load(f, filter);
	assert_int_equal(missing(f->m, &r), 2 * (NODES - 1));
	assert_int_equal(r, AZ_R_ROUTE_POLICY_DENY);
	svc = "";
}

/* The service-multipath-missing findings of a design, and the message
 * of the first. */
static size_t
multipath_warnings(const struct rr_model *m, const char **msg)
{
	struct az *a = az_run(m, NULL);
	size_t i, n = 0;
	static char buf[512];

	*msg = NULL;
	for (i = 0; i < az_nfindings(a); i++) {
		const struct az_finding *x = az_finding(a, i);
		if (x->rule != AZ_R_SERVICE_MULTIPATH_MISSING)
			continue;
		assert_int_equal(x->diag->sev, RR_SEV_WARNING);
		if (!n++) {
			snprintf(buf, sizeof(buf), "%s", x->diag->msg);
			*msg = buf;
		}
	}
	az_free(a);
	return n;
}

static void
test_service_multipath(void **state)
{
	struct fx *f = *state;
	const char *msg;
	const char *pass = "  exportV4:\n"
			   "  - {action: Accept, matchOperator: In, cidr: "
			   "10.244.0.0/16}\n";

	svc = ", serviceClusterIPs: [{cidr: 10.96.0.0/12}]";
	load_with(f, pass, router);
	assert_int_equal(multipath_warnings(f->m, &msg), 1);
	assert_non_null(strstr(msg, "service 10.96.0.0/12: '"));
	assert_non_null(
		strstr(msg, "' has 8 paths, uses 1 (no maximum-paths)"));
	assert_non_null(strstr(msg, "'maximum-paths ibgp 8'"));
	/* the line is there: no warning */
	load_with(f, pass, router_mp);
	assert_int_equal(multipath_warnings(f->m, &msg), 0);
	/* the nodes' filter keeps the range in: no path at all */
	load_with(f,
		  "  exportV4:\n"
		  "  - {action: Reject, matchOperator: In, cidr: 10.96.0.0/12}\n",
		  router);
	assert_int_equal(multipath_warnings(f->m, &msg), 0);
	/* no service range */
	svc = "";
	load_with(f, pass, router);
	assert_int_equal(multipath_warnings(f->m, &msg), 0);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_export_reject_one_block),
		T(test_import_reject_prefix_length),
		T(test_import_not_in),
		T(test_accept_ends_filter),
		T(test_advertised_community_refused),
		T(test_service_multipath),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
