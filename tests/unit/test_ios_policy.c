/*
 * IOS route policy: route-map, ip prefix-list, ip as-path access-list and
 * ip community-list read into the model with locations (parsers/
 * ios_policy.c), and evaluated as IOS does (model/policy.c): first match
 * decides, implicit deny, ge/le, IOS regular expressions with `_`,
 * standard and expanded community lists, route-map set clauses, and
 * "unknown" where a clause rrkit does not evaluate could decide.
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
#include "tests/unit/tios.h"

static struct rr_prefix
pfx(const char *s)
{
	struct rr_prefix p;
	assert_int_equal(rr_prefix_parse(s, &p, false), 0);
	return p;
}

/* ------------------------------------------------------ prefix-list */

static const char pl_text[] =
        "ip prefix-list PODS seq 5 deny 10.244.99.0/24\n"     /* 1 */
        "ip prefix-list PODS seq 10 permit 10.244.0.0/16 ge 24 le 26\n"
        "ip prefix-list PODS description pod blocks\n"       /* 3 */
        "ip prefix-list AUTO permit 0.0.0.0/0\n"             /* 4 */
        "ip prefix-list AUTO permit 10.0.0.0/8 le 32\n"      /* 5 */
        "ip prefix-list PODS seq 7 permit 10.96.0.0/12 ge 32\n"
        "ipv6 prefix-list V6 seq 5 permit 2001:db8::/32 le 64\n"
        "ip prefix-list EMPTY description nothing\n"         /* 8 */
        "router bgp 64512\n";

static void
test_prefix_list(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(f, pl_text);
	const struct rr_prefix_list *pl = rr_prefix_list_find(s, "PODS", 4);
	const struct rr_prefix_list *au = rr_prefix_list_find(s, "AUTO", 4);
	const struct {
		const char *p;
		enum rr_policy_verdict want;
	} cases[] = {
	        {"10.244.1.0/24", RR_POLICY_PERMIT},
	        {"10.244.1.64/26", RR_POLICY_PERMIT},
	        {"10.244.1.0/27", RR_POLICY_DENY},  /* longer than le */
	        {"10.244.0.0/16", RR_POLICY_DENY},  /* shorter than ge */
	        {"10.244.99.0/24", RR_POLICY_DENY}, /* seq 5 first */
	        {"10.96.0.1/32", RR_POLICY_PERMIT},
	        {"10.96.0.0/24", RR_POLICY_DENY},
	        {"192.168.0.0/24", RR_POLICY_DENY}, /* implicit deny */
	};
	size_t i;

	NO_DIAGS(f);
	assert_non_null(pl);
	assert_int_equal(pl->n, 3);
	assert_int_equal(pl->v[0].seq, 5);
	assert_int_equal(pl->v[1].seq, 7); /* sorted */
	assert_int_equal(pl->v[1].at.line, 6);
	assert_int_equal(pl->v[2].ge, 24);
	assert_int_equal(pl->v[2].le, 26);
	assert_false(pl->v[0].permit);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rr_prefix p = pfx(cases[i].p);
		if (rr_prefix_list_eval(pl, &p) != cases[i].want)
			fail_msg("%s", cases[i].p);
	}
	/* sequence numbers without `seq`: 5, 10 */
	assert_int_equal(au->v[0].seq, 5);
	assert_int_equal(au->v[1].seq, 10);
	{
		struct rr_prefix d = pfx("0.0.0.0/0"), h = pfx("10.1.2.3/32"),
		                 o = pfx("11.0.0.0/8");
		assert_int_equal(rr_prefix_list_eval(au, &d), RR_POLICY_PERMIT);
		assert_int_equal(rr_prefix_list_eval(au, &h), RR_POLICY_PERMIT);
		assert_int_equal(rr_prefix_list_eval(au, &o), RR_POLICY_DENY);
	}
	{
		const struct rr_prefix_list *v6 = rr_prefix_list_find(s, "V6", 6);
		struct rr_prefix a = pfx("2001:db8:1::/48"),
		                 b = pfx("2001:db8:1::/80");
		assert_non_null(v6);
		assert_null(rr_prefix_list_find(s, "V6", 4));
		assert_int_equal(rr_prefix_list_eval(v6, &a), RR_POLICY_PERMIT);
		assert_int_equal(rr_prefix_list_eval(v6, &b), RR_POLICY_DENY);
	}
	/* an empty or undefined list permits everything */
	{
		struct rr_prefix p = pfx("192.0.2.0/24");
		assert_int_equal(rr_prefix_list_eval(NULL, &p), RR_POLICY_PERMIT);
	}
}

static void
test_prefix_list_errors(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s =
	        pio(f, "ip prefix-list A seq 5 permit 10.0.0.0/8\n"
	               "ip prefix-list A seq 5 permit 11.0.0.0/8\n"
	               "ip prefix-list A permit 10.0.0.0/8 ge 8\n"
	               "ip prefix-list A permit 10.0.0.0/8 ge 30 le 20\n"
	               "ip prefix-list A permit 10.0.0.0\n"
	               "ip prefix-list A allow 10.0.0.0/8\n"
	               "ip prefix-list A permit 10.1.0.0/8 le 40\n"
	               "ip prefix-list A permit 10.1.0.0/8 ge 9 foo 3\n"
	               "ip prefix-list A permit 10.1.0.0/8 le 24\n");
	const struct rr_prefix_list *a = rr_prefix_list_find(s, "A", 4);

	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 2, 16); /* duplicate seq */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 3, 16); /* ge == len */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 4, 16); /* ge > le */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 5, 25); /* no length */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 6, 18); /* permit|deny */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 7, 39); /* le > 32 */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 8, 41); /* ge|le */
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 9, 25);
	assert_int_equal(a->n, 2);
	assert_string_equal(pstr(&a->v[1].p), "10.0.0.0/8"); /* host bits */
}

/* -------------------------------------------------- as-path, community */

static void
test_aspath_regex(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(f, "ip as-path access-list 10 deny _64666_\n"
	                              "ip as-path access-list 10 permit ^$\n"
	                              "ip as-path access-list 10 permit ^65[0-9]+$\n"
	                              "ip as-path access-list 11 permit .*\n"
	                              "ip as-path access-list 12 permit ^1 2$\n"
	                              "ip as-path access-list 13 permit _\\{1,2\\}$\n"
	                              "ip as-path access-list 14 permit _100_\n");
	const struct rr_aspath_list *l10 = rr_aspath_list_find(s, "10");
	const struct {
		const char *list, *path;
		enum rr_policy_verdict want;
	} cases[] = {
	        {"10", "", RR_POLICY_PERMIT},
	        {"10", "65001", RR_POLICY_PERMIT},
	        {"10", "65001 64666", RR_POLICY_DENY},
	        {"10", "64666", RR_POLICY_DENY},
	        {"10", "164666", RR_POLICY_DENY}, /* implicit deny, not _ */
	        {"10", "65001 65002", RR_POLICY_DENY},
	        {"11", "1 2 3", RR_POLICY_PERMIT},
	        {"12", "1 2", RR_POLICY_PERMIT},
	        {"13", "7 {1,2}", RR_POLICY_PERMIT},
	        {"14", "(100) 200", RR_POLICY_PERMIT},
	        {"14", "1100", RR_POLICY_DENY},
	        {"14", "100", RR_POLICY_PERMIT},
	        {"99", "100", RR_POLICY_UNKNOWN}, /* undefined */
	};
	size_t i;

	NO_DIAGS(f);
	assert_int_equal(l10->n, 3);
	assert_string_equal(l10->v[0].re.text, "_64666_");
	assert_int_equal(l10->v[2].at.line, 3);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (rr_aspath_list_eval(rr_aspath_list_find(s, cases[i].list),
		                        cases[i].path) != cases[i].want)
			fail_msg("list %s on '%s'", cases[i].list,
			         cases[i].path);
}

/* A pattern pcre2 refuses is an error at the pattern; one that explodes
 * at match time is undecided, not a hang. */
static void
test_aspath_hostile(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(f, "ip as-path access-list 1 permit ^(12\n"
	                              "ip as-path access-list 2 permit ^(a+)+$\n");
	char subject[64];

	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 1, 33);
	assert_int_equal(rr_aspath_list_eval(rr_aspath_list_find(s, "1"), "12"),
	                 RR_POLICY_UNKNOWN);
	memset(subject, 'a', 40);
	subject[40] = 'b';
	subject[41] = '\0';
	assert_int_equal(rr_aspath_list_eval(rr_aspath_list_find(s, "2"),
	                                     subject),
	                 RR_POLICY_UNKNOWN);
}

static void
test_community_lists(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s =
	        pio(f, "ip community-list 1 permit 64512:100 64512:200\n" /* 1 */
	               "ip community-list 1 deny no-export\n"             /* 2 */
	               "ip community-list standard ANY permit internet\n" /* 3 */
	               "ip community-list expanded PODS permit ^64512:1[0-9][0-9]$\n"
	               "ip community-list 100 permit 64512:.*\n"          /* 5 */
	               "ip community-list 2 permit 4227858532\n"          /* 6 */
	               "ip community-list 3 permit 70000:1\n"             /* 7 */
	               "ip community-list 3 maybe 1:1\n"                  /* 8 */
	               "ip community-list standard ANY permit ^1\n");     /* 9 */
	const uint32_t both[] = {64512u << 16 | 100, 64512u << 16 | 200};
	const uint32_t one[] = {64512u << 16 | 100};
	const uint32_t noexp[] = {RR_COMM_NO_EXPORT};
	const struct rr_community_list *c1 = rr_community_list_find(s, "1");

	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 7, 28);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 8, 21);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 9, 39);
	assert_false(c1->expanded);
	assert_int_equal(c1->v[0].ncomms, 2);
	assert_int_equal(rr_community_list_eval(c1, both, 2, false),
	                 RR_POLICY_PERMIT);
	assert_int_equal(rr_community_list_eval(c1, one, 1, false),
	                 RR_POLICY_DENY);
	assert_int_equal(rr_community_list_eval(c1, noexp, 1, false),
	                 RR_POLICY_DENY);
	assert_int_equal(rr_community_list_eval(rr_community_list_find(s, "ANY"),
	                                        NULL, 0, false),
	                 RR_POLICY_PERMIT);
	assert_true(rr_community_list_find(s, "PODS")->expanded);
	assert_true(rr_community_list_find(s, "100")->expanded);
	/* expanded lists match "AA:NN" with new-format, numbers without */
	assert_int_equal(rr_community_list_eval(rr_community_list_find(s, "PODS"),
	                                        one, 1, true),
	                 RR_POLICY_PERMIT);
	assert_int_equal(rr_community_list_eval(rr_community_list_find(s, "PODS"),
	                                        one, 1, false),
	                 RR_POLICY_DENY);
	assert_int_equal(rr_community_list_eval(rr_community_list_find(s, "2"),
	                                        one, 1, false),
	                 RR_POLICY_PERMIT); /* 64512:100 as a number */
}

/* -------------------------------------------------------- route-map */

static const char rm_text[] =
        "ip prefix-list PODS seq 5 permit 10.244.0.0/16 le 26\n"     /* 1 */
        "ip as-path access-list 1 permit ^$\n"                       /* 2 */
        "ip community-list standard GOLD permit 64512:1\n"           /* 3 */
        "route-map FROM-NODES deny 5\n"                              /* 4 */
        " match community GOLD\n"                                    /* 5 */
        " match as-path 1\n"                                         /* 6 */
        "route-map FROM-NODES permit 20\n"                           /* 7 */
        " description pod blocks only\n"                             /* 8 */
        " match ip address prefix-list PODS\n"                       /* 9 */
        " set local-preference 200\n"                                /* 10 */
        " set community 64512:7 no-export additive\n"                /* 11 */
        " set as-path prepend 64512 64512\n"                         /* 12 */
        " set weight 100\n"                                          /* 13 */
        " set metric +10\n"                                          /* 14 */
        " set ip next-hop 192.168.1.254\n"                           /* 15 */
        " set origin incomplete\n"                                   /* 16 */
        " set tag 5\n"                                               /* 17 */
        "route-map FROM-NODES permit 10\n"                           /* 18 */
        " match ip address 10\n"                                     /* 19 */
        "route-map CONT permit 10\n"                                 /* 20 */
        " continue 20\n"                                             /* 21 */
        "route-map ALL\n"                                            /* 22 */
        " set ip next-hop peer-address\n"                            /* 23 */
        "router bgp 64512\n"                                         /* 24 */
        " neighbor 192.168.1.10 remote-as 64512\n"
        " neighbor 192.168.1.10 route-map FROM-NODES in\n";

static void
test_route_map(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(f, rm_text);
	const struct rr_route_map *rm = rr_route_map_find(s, "FROM-NODES");
	const struct rr_rm_entry *e;
	struct rr_rm_actions act;
	struct rr_route_facts r;
	const uint32_t gold[] = {64512u << 16 | 1};

	NO_DIAGS(f);
	assert_non_null(rm);
	assert_int_equal(rm->n, 3);
	assert_int_equal(rm->v[0].seq, 5);
	assert_int_equal(rm->v[1].seq, 10);
	assert_int_equal(rm->v[2].seq, 20);
	e = &rm->v[2];
	assert_true(e->permit);
	assert_int_equal(e->at.line, 7);
	assert_int_equal(e->nmatches, 1);
	assert_int_equal(e->matches[0].kind, RR_RM_MATCH_PREFIX_LIST);
	assert_string_equal(e->matches[0].names[0], "PODS");
	assert_int_equal(e->nsets, 8);
	assert_int_equal(e->sets[1].kind, RR_RM_SET_COMMUNITY);
	assert_true(e->sets[1].additive);
	assert_int_equal(e->sets[1].nlist, 2);
	assert_int_equal(e->sets[1].list[1], RR_COMM_NO_EXPORT);
	assert_int_equal(e->sets[2].kind, RR_RM_SET_PREPEND);
	assert_int_equal(e->sets[2].nlist, 2);
	assert_int_equal(e->sets[4].kind, RR_RM_SET_METRIC);
	assert_int_equal(e->sets[4].delta, 1);
	assert_int_equal(e->sets[4].v, 10);
	assert_int_equal(e->sets[6].v, 2);
	assert_int_equal(e->sets[7].kind, RR_RM_SET_OTHER);
	assert_int_equal(e->sets[7].at.line, 17);
	assert_false(rm->v[0].permit);
	assert_int_equal(rm->v[0].nmatches, 2);
	assert_int_equal(rm->v[1].matches[0].kind, RR_RM_MATCH_OTHER);
	/* `route-map ALL` alone: permit 10 */
	assert_true(rr_route_map_find(s, "ALL")->v[0].permit);
	assert_int_equal(rr_route_map_find(s, "ALL")->v[0].seq, 10);
	assert_string_equal(rr_nb_rare(&s->neighbors[0])->route_map_in.v,
	                    "FROM-NODES");

	/* seq 5 denies a GOLD route with an empty path */
	memset(&r, 0, sizeof(r));
	r.prefix = pfx("10.244.3.0/26");
	r.aspath = "";
	r.comms = gold;
	r.ncomms = 1;
	assert_int_equal(rr_route_map_eval(s, rm, &r, &act), RR_POLICY_DENY);
	/* seq 10 matches an ACL rrkit does not evaluate: unknown */
	r.ncomms = 0;
	assert_int_equal(rr_route_map_eval(s, rm, &r, &act), RR_POLICY_UNKNOWN);

	/* without the ACL entry: seq 20 permits and sets */
	{
		struct rr_route_map m2 = *rm;
		m2.v = rm->v + 2;
		m2.n = 1;
		assert_int_equal(rr_route_map_eval(s, &m2, &r, &act),
		                 RR_POLICY_PERMIT);
		assert_ptr_equal(act.entry, rm->v + 2);
		assert_int_equal(act.v[RR_RM_SET_LOCAL_PREF]->v, 200);
		assert_int_equal(act.v[RR_RM_SET_WEIGHT]->v, 100);
		assert_string_equal(astr(&act.v[RR_RM_SET_NEXT_HOP]->nh),
		                    "192.168.1.254");
		assert_true(act.other);
		r.prefix = pfx("10.245.0.0/24");
		assert_int_equal(rr_route_map_eval(s, &m2, &r, &act),
		                 RR_POLICY_DENY);
		assert_null(act.entry);
	}
	/* continue: not evaluated; an undefined map denies */
	assert_int_equal(rr_route_map_eval(s, rr_route_map_find(s, "CONT"), &r,
	                                   NULL),
	                 RR_POLICY_UNKNOWN);
	assert_int_equal(rr_route_map_eval(s, rr_route_map_find(s, "NOPE"), &r,
	                                   &act),
	                 RR_POLICY_DENY);
	assert_int_equal(rr_route_map_eval(s, rr_route_map_find(s, "ALL"), &r,
	                                   &act),
	                 RR_POLICY_PERMIT);
	assert_non_null(act.v[RR_RM_SET_NEXT_HOP_PEER]);
}

static void
test_route_map_errors(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(f, "route-map A permit 70000\n"    /* 1 */
	                              "route-map B permit 10\n"       /* 2 */
	                              " set local-preference x\n"     /* 3 */
	                              " set community 1:99999\n"      /* 4 */
	                              " match as-path\n"              /* 5 */
	                              " frobnicate\n"                 /* 6 */
	                              " set as-path prepend 0.5\n"    /* 7 */
	                              "interface Loopback0\n");       /* 8 */
	const struct rr_route_map *b = rr_route_map_find(s, "B");

	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 1, 20);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 3, 23);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 4, 16);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 5, 15);
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 6, 2);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_AS_INVALID, 7, 22);
	assert_null(rr_route_map_find(s, "A"));
	assert_int_equal(b->v[0].nmatches, 0);
	/* a set clause rrkit could not read is kept as "other" */
	assert_int_equal(b->v[0].nsets, 3);
	assert_int_equal(b->v[0].sets[0].kind, RR_RM_SET_OTHER);
	assert_int_equal(s->nifaces, 1);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_prefix_list),   T(test_prefix_list_errors),
	        T(test_aspath_regex),  T(test_aspath_hostile),
	        T(test_community_lists), T(test_route_map),
	        T(test_route_map_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
