/*
 * model/: addresses, prefixes, ASNs, arena, diagnostics, labels, selectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "model/model.h"

static void
test_asn_table(void **state)
{
	/* libcalico-go numorstring_test.go and RFC 5396 */
	static const struct {
		const char *what, *in;
		int rc;
		uint32_t want;
	} cases[] = {
		{ "zero", "0", 0, 0 },
		{ "max", "4294967295", 0, 4294967295u },
		{ "asdot 1.10", "1.10", 0, 65546 },
		{ "asdot zeros", "00.00", 0, 0 },
		{ "asdot leading zero", "00.01", 0, 1 },
		{ "asdot max", "65535.65535", 0, 4294967295u },
		{ "plain", "64512", 0, 64512 },
		{ "too big", "4294967296", -1, 0 },
		{ "negative", "-1", -1, 0 },
		{ "three parts", "1.1.1", -1, 0 },
		{ "high part too big", "65536.65535", -1, 0 },
		{ "low part too big", "65535.65536", -1, 0 },
		{ "negative low", "0.-1", -1, 0 },
		{ "empty", "", -1, 0 },
		{ "blank", " 1", -1, 0 },
		{ "trailing dot", "1.", -1, 0 },
		{ "letters", "AS64512", -1, 0 },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t v = 12345;
		const char *why = NULL;
		int rc = rr_asn_parse(cases[i].in, &v, &why);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d", cases[i].what, rc, cases[i].rc);
		if (rc == 0 && v != cases[i].want)
			fail_msg("%s: %u, want %u", cases[i].what, v, cases[i].want);
		if (rc < 0 && !why)
			fail_msg("%s: no reason", cases[i].what);
	}
}

static void
test_addr_prefix(void **state)
{
	struct rr_addr a, b;
	struct rr_prefix p, q;
	char buf[RR_PREFIX_STRLEN];
	(void)state;

	assert_int_equal(rr_addr_parse("192.168.1.10", &a), 0);
	assert_int_equal(a.af, RR_AF_INET);
	assert_int_equal(rr_addr_v4(&a), 0xc0a8010a);
	assert_string_equal(rr_addr_str(&a, buf), "192.168.1.10");
	assert_int_equal(rr_addr_parse("192.168.0.330", &a), -1);
	assert_int_equal(rr_addr_parse("xyz:::", &a), -1);
	assert_int_equal(rr_addr_parse("", &a), -1);
	assert_int_equal(rr_addr_parse("2001:0::102", &a), 0);
	assert_string_equal(rr_addr_str(&a, buf), "2001::102");

	assert_int_equal(rr_prefix_parse("10.192.0.2/16", &p, false), 0);
	assert_int_equal(p.len, 16);
	assert_int_equal(rr_prefix_parse("10.192.0.2/16", &p, true), -2);
	assert_int_equal(rr_prefix_parse("10.192.0.0/16", &p, true), 0);
	assert_int_equal(rr_prefix_parse("10.0.0.0/33", &p, false), -1);
	assert_int_equal(rr_prefix_parse("10.0.0.0/", &p, false), -1);
	assert_int_equal(rr_prefix_parse("fd00::/8", &p, true), 0);
	assert_int_equal(rr_prefix_parse("1.2.3.4", &p, true), 0);
	assert_int_equal(p.len, 32);

	assert_int_equal(rr_prefix_from_mask("192.168.1.1", "255.255.255.0", &p), 0);
	assert_int_equal(p.len, 24);
	assert_string_equal(rr_prefix_str(&p, buf), "192.168.1.1/24");
	assert_int_equal(rr_prefix_from_mask("192.168.1.1", "255.0.255.0", &p), -1);
	assert_int_equal(rr_prefix_from_mask("192.168.1.1", "0.0.0.0", &p), 0);
	assert_int_equal(p.len, 0);

	rr_prefix_parse("192.168.0.0/16", &p, true);
	rr_prefix_parse("192.168.1.0/24", &q, true);
	rr_addr_parse("192.168.1.77", &b);
	assert_true(rr_prefix_contains(&p, &b));
	assert_true(rr_prefix_contains(&q, &b));
	assert_true(rr_prefix_overlaps(&p, &q));
	assert_true(rr_prefix_overlaps(&q, &p));
	rr_prefix_parse("10.0.0.0/8", &q, true);
	assert_false(rr_prefix_overlaps(&p, &q));
	rr_addr_parse("fd00::1", &a);
	assert_false(rr_prefix_contains(&p, &a));
	assert_true(rr_prefix_cmp(&q, &p) < 0);
	a = rr_addr_from_v4(1);
	assert_string_equal(rr_addr_str(&a, buf), "0.0.0.1");
}

static void
test_arena_push(void **state)
{
	struct rr_arena a;
	int *v = NULL;
	size_t n = 0, cap = 0, i;
	char *s;
	(void)state;

	rr_arena_init(&a);
	for (i = 0; i < 10000; i++)
		*RR_PUSH(&a, v, n, cap) = (int)i;
	assert_int_equal(n, 10000);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i], (int)i);
	s = rr_arena_printf(&a, "%s-%d", "x", 42);
	assert_string_equal(s, "x-42");
	s = rr_arena_alloc(&a, 1 << 20); /* a block bigger than a chunk */
	assert_non_null(s);
	assert_int_equal(s[(1 << 20) - 1], 0);
	rr_arena_release(&a);
}

static void
test_diags(void **state)
{
	struct rr_diags d;
	struct rr_loc l1 = { "b.yaml", 3, 1 }, l2 = { "a.ios", 9, 2 },
		      l3 = { "a.ios", 2, 5 };
	struct rr_diag *g;
	(void)state;

	rr_diags_init(&d);
	rr_diag_add(&d, RR_SEV_WARNING, "parse-warning", &l1, "w %d", 1);
	g = rr_diag_add(&d, RR_SEV_ERROR, "as-mismatch", &l2, "e");
	rr_diag_note(&d, g, &l1, "the other side says %s", "64512");
	rr_diag_add(&d, RR_SEV_FATAL, NULL, &l3, "bad");
	rr_diag_add(&d, RR_SEV_NOTE, NULL, &l3, "same place, later");
	assert_true(rr_diags_has_fatal(&d));
	assert_int_equal(d.count[RR_SEV_ERROR], 1);
	rr_diags_sort(&d);
	assert_string_equal(d.v[0].msg, "bad");
	assert_string_equal(d.v[1].msg, "same place, later");
	assert_string_equal(d.v[2].rule, "as-mismatch");
	assert_int_equal(d.v[2].nnotes, 1);
	assert_string_equal(d.v[2].notes[0].msg, "the other side says 64512");
	assert_string_equal(d.v[3].loc.file, "b.yaml");
	rr_diags_release(&d);

	/* past the limit: counted, not stored, never a crash */
	rr_diags_init(&d);
	d.limit = 3;
	for (int i = 0; i < 10; i++) {
		g = rr_diag_add(&d, RR_SEV_WARNING, "parse-warning", &l1, "w");
		rr_diag_note(&d, g, &l1, "n");
	}
	assert_int_equal(d.n, 3);
	assert_int_equal(d.dropped, 7);
	assert_int_equal(d.count[RR_SEV_WARNING], 10);
	rr_diags_release(&d);
}

static struct rr_selector *
sel(struct rr_arena *a, enum rr_sel_op op, const char *label, const char *value)
{
	struct rr_selector *s = rr_arena_alloc(a, sizeof(*s));
	s->op = op;
	s->label = label;
	s->value = value;
	return s;
}

static void
test_selector_eval(void **state)
{
	struct rr_arena a;
	struct rr_labels l = { 0 };
	struct rr_selector *eq, *has, *not_, *and_, *in;
	static const char *set[] = { "a", "b" };
	(void)state;

	rr_arena_init(&a);
	rr_labels_set(&a, &l, "route-reflector", "true", NULL);
	rr_labels_set(&a, &l, "zone", "b", NULL);
	rr_labels_set(&a, &l, "zone", "a", NULL); /* replaces */
	assert_int_equal(l.n, 2);
	assert_string_equal(rr_labels_get(&l, "zone"), "a");

	eq = sel(&a, RR_SEL_EQ, "route-reflector", "true");
	has = sel(&a, RR_SEL_HAS, "rack", NULL);
	not_ = sel(&a, RR_SEL_NOT, NULL, NULL);
	not_->a = has;
	and_ = sel(&a, RR_SEL_AND, NULL, NULL);
	and_->a = eq;
	and_->b = not_;
	in = sel(&a, RR_SEL_IN, "zone", NULL);
	in->set = set;
	in->nset = 2;
	assert_true(rr_selector_eval(eq, &l));
	assert_false(rr_selector_eval(has, &l));
	assert_true(rr_selector_eval(and_, &l));
	assert_true(rr_selector_eval(in, &l));
	assert_true(rr_selector_eval(sel(&a, RR_SEL_NE, "x", "y"), &l));
	assert_false(rr_selector_eval(sel(&a, RR_SEL_STARTS, "zone", "b"), &l));
	assert_true(rr_selector_eval(NULL, &l));
	assert_string_equal(rr_selector_str(&a, and_),
			    "route-reflector == \"true\" && !has(rack)");
	assert_string_equal(rr_selector_str(&a, in), "zone in {\"a\", \"b\"}");
	rr_arena_release(&a);
}

static void
test_model_files(void **state)
{
	struct rr_model *m = rr_model_new();
	struct rr_speaker *s;
	struct rr_neighbor *n;
	struct rr_iface_addr *ia;
	struct rr_addr x;
	(void)state;

	assert_ptr_equal(rr_model_file(m, "a"), rr_model_file(m, "a"));
	assert_ptr_not_equal(rr_model_file(m, "a"), rr_model_file(m, "b"));
	s = rr_model_add_speaker(m, RR_SPK_IOS, "rr1");
	ia = RR_PUSH(&m->arena, s->addrs, s->naddrs, s->capaddr);
	rr_prefix_parse("192.168.1.1/24", &ia->p, false);
	n = rr_speaker_add_neighbor(m, s);
	rr_addr_parse("192.168.1.10", &n->peer);
	assert_ptr_equal(rr_model_find_speaker(m, "rr1"), s);
	assert_null(rr_model_find_speaker(m, "rr2"));
	rr_addr_parse("192.168.1.1", &x);
	assert_ptr_equal(rr_model_owner(m, &x), s);
	rr_addr_parse("192.168.1.2", &x);
	assert_null(rr_model_owner(m, &x));
	assert_int_not_equal(rr_hash64("a", 1), rr_hash64("b", 1));
	rr_model_free(m);
}

/* model/bgpfilter.c: BGPFilter rules as BIRD runs confd's functions.
 * { .what, rule fields, route, .want } */
static void
test_bgpfilter_eval(void **state)
{
	static const uint32_t comms[] = {65000u << 16 | 100};
	static const uint32_t lcomms[] = {1, 2, 3};
	static const uint32_t path[] = {65001, 65002, 65003};
	struct rr_bgpfilter_rule r;
	struct rr_bgpfilter f;
	struct rr_bird_route rt;
	const struct rr_bgpfilter_rule *hit;
	bool unknown = false;
	uint32_t asp[2] = {65001, 65002};

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(&rt, 0, sizeof(rt));
	assert_int_equal(rr_prefix_parse("10.1.2.0/24", &rt.net, true), 0);
	rt.bgp = true;
	rt.comms = comms;
	rt.ncomms = 1;
	rt.lcomms = lcomms;
	rt.nlcomm_words = 3;
	rt.aspath = path;
	rt.naspath_seq = 3;
	rt.has_lp = true;
	rt.lp = 2147483647u - 512;
	f.rules[0] = &r;
	f.nrules[0] = 1;
#define RULE(...)                                                             \
	do {                                                                  \
		memset(&r, 0, sizeof(r));                                     \
		r.prefix_min = r.prefix_max = -1;                             \
		r.action = "Accept";                                          \
		__VA_ARGS__;                                                  \
	} while (0)
#define WANT(v)                                                               \
	assert_int_equal(rr_bgpfilter_eval(&f, 0, true, &rt, &hit, &unknown), \
	                 (v))

	RULE((void)0); /* no condition: matches everything */
	WANT(RR_BIRD_ACCEPT);
	assert_ptr_equal(hit, &r);
	RULE(r.cidr = "10.0.0.0/8", r.match_operator = "In",
	     rr_prefix_parse("10.0.0.0/8", &r.cidr_p, true));
	WANT(RR_BIRD_ACCEPT);
	RULE(r.cidr = "10.0.0.0/8", r.match_operator = "Equal",
	     rr_prefix_parse("10.0.0.0/8", &r.cidr_p, true));
	WANT(RR_BIRD_CONTINUE);
	RULE(r.cidr = "10.0.0.0/8", r.match_operator = "NotIn",
	     rr_prefix_parse("10.0.0.0/8", &r.cidr_p, true));
	WANT(RR_BIRD_CONTINUE);
	/* [ 10.0.0.0/8{25,32} ]: a /24 is outside */
	RULE(r.cidr = "10.0.0.0/8", r.match_operator = "In",
	     rr_prefix_parse("10.0.0.0/8", &r.cidr_p, true),
	     r.prefix_length = true, r.prefix_min = 25);
	WANT(RR_BIRD_CONTINUE);
	/* '=' against a prefix set: BIRD's runtime error rejects */
	RULE(r.cidr = "10.0.0.0/8", r.match_operator = "Equal",
	     rr_prefix_parse("10.0.0.0/8", &r.cidr_p, true),
	     r.prefix_length = true);
	WANT(RR_BIRD_REJECT);
	RULE(r.peer_type = "eBGP");
	WANT(RR_BIRD_CONTINUE); /* same_as: iBGP */
	RULE(r.community = "65000:100", r.action = "Reject");
	WANT(RR_BIRD_REJECT);
	RULE(r.community = "1:2:3");
	WANT(RR_BIRD_ACCEPT);
	RULE(r.community = "1:2:4");
	WANT(RR_BIRD_CONTINUE);
	RULE(r.as_path_prefix = asp, r.nas_path_prefix = 2);
	WANT(RR_BIRD_ACCEPT);
	asp[1] = 65003;
	RULE(r.as_path_prefix = asp, r.nas_path_prefix = 2);
	WANT(RR_BIRD_CONTINUE);
	RULE(r.priority.set = true, r.priority.v = 512);
	WANT(RR_BIRD_ACCEPT);
	RULE(r.source = "RemotePeers");
	rt.bgp = false;
	WANT(RR_BIRD_CONTINUE);
	rt.bgp = true;
	RULE(r.interface = "eth*");
	WANT(RR_BIRD_CONTINUE);
	assert_true(unknown);
#undef RULE
#undef WANT
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asn_table),
		cmocka_unit_test(test_addr_prefix),
		cmocka_unit_test(test_arena_push),
		cmocka_unit_test(test_diags),
		cmocka_unit_test(test_selector_eval),
		cmocka_unit_test(test_model_files),
		cmocka_unit_test(test_bgpfilter_eval),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
