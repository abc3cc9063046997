/*
 * parsers/selector.c and model/selector.c: the Calico selector grammar
 * (libcalico-go lib/selector), upstream parser_test.go vectors, evaluation
 * and canonical printing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/parsers.h"

static int
setup(void **state)
{
	struct rr_arena *a = test_malloc(sizeof(*a));
	rr_arena_init(a);
	*state = a;
	return 0;
}

static int
teardown(void **state)
{
	rr_arena_release(*state);
	test_free(*state);
	return 0;
}

/* labels "k=v,k2=v2" */
static void
mklabels(struct rr_arena *a, struct rr_labels *l, const char *spec)
{
	char buf[256], *save = NULL, *tok;
	memset(l, 0, sizeof(*l));
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (eq)
			*eq++ = '\0';
		rr_labels_set(a, l, tok, eq ? eq : "", NULL);
	}
}

static void
test_eval_vectors(void **state)
{
	/* { .what = selector, .in = labels, .want = match } */
	static const struct {
		const char *what, *in;
		bool want;
	} cases[] = {
	        {"a == \"b\"", "a=b", true},
	        {"a == \"b\"", "a=c", false},
	        {"a == \"b\"", "", false},
	        {"a == 'b'", "a=b", true},
	        {"a != \"a\"", "", true},
	        {"a != \"a\"", "a=a", false},
	        {"a in {\"'\", '\"', \"c\"}", "a='", true},
	        {"a in {\"'\", '\"', \"c\"}", "a=\"", true},
	        {"a in {\"'\", '\"', \"c\"}", "a=c", true},
	        {"a in {\"'\", '\"', \"c\"}", "a=d", false},
	        {"a in {}", "a=", false},
	        {"a not in {\"x\",}", "a=x", false},
	        {"a not in {\"x\",}", "", true},
	        {"a notin {\"x\"}", "a=y", true},
	        {"a contains \"a\"", "a=bab", true},
	        {"a contains \"a\"", "a=bbb", false},
	        {"a starts with \"a\"", "a=ab", true},
	        {"a startswith \"a\"", "a=ba", false},
	        {"a ends with \"a\"", "a=ba", true},
	        {"a endswith \"a\"", "a=ab", false},
	        {"!(!has(a) || has(b))", "a=x", true},
	        {"!(!has(a) || has(b))", "a=x,b=y", false},
	        {"!!! has(a)", "a=x", false},
	        {"!!has(a)", "a=x", true},
	        {"has(a)", "a=", true},
	        {"has( a )", "a=", true},
	        {"all()", "", true},
	        {"global()", "", true},
	        {"", "", true},
	        {"   ", "x=y", true},
	        {"!a == \"x\" && b == \"y\"", "a=z,b=y", true},
	        {"!a == \"x\" && b == \"y\"", "a=x,b=y", false},
	        {"a == \"1\" || b == \"2\" && c == \"3\"", "a=1", true},
	        {"a == \"1\" || b == \"2\" && c == \"3\"", "b=2", false},
	        {"(a == \"1\" || b == \"2\") && c == \"3\"", "b=2,c=3", true},
	        {"kubernetes.io/hostname == 'n1'", "kubernetes.io/hostname=n1",
	         true},
	        {"route-reflector == 'true'", "route-reflector=true", true},
	        {"calico/k8s_ns/role=='x'", "calico/k8s_ns/role=x", true},
	};
	struct rr_arena *a = *state;
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_selector *s;
		const char *msg = NULL;
		size_t off = 0;
		struct rr_labels l;
		if (parse_selector(a, cases[i].what, &s, &msg, &off))
			fail_msg("'%s': %s at %zu", cases[i].what, msg, off);
		mklabels(a, &l, cases[i].in);
		if (rr_selector_eval(s, &l) != cases[i].want)
			fail_msg("'%s' on {%s}: want %d", cases[i].what,
			         cases[i].in, cases[i].want);
	}
}

static void
test_invalid_vectors(void **state)
{
	/* upstream bad selectors, with the offset of the error */
	static const struct {
		const char *what;
		size_t off;
	} cases[] = {
	        {"b == b", 5},
	        {"b contains b", 11},
	        {"'b1' == b", 0},
	        {"b", 1},
	        {"a b", 2},
	        {"!", 1},
	        {"foo == \"bar\" &", 13},
	        {"foo == \"bar\" |", 13},
	        {"foo != ||", 7},
	        {"foo in {\"\", ||", 12},
	        {"foo in \"\"", 7},
	        {"\"FOO", 0},
	        {"\"FOO'", 0},
	        {"'FOO", 0},
	        {"(", 1},
	        {"(a == \"foo\"", 11},
	        {")", 0},
	        {"()", 1},
	        {"%", 0},
	        {"a == \"b\" && %", 12},
	        {"a == \"b\" || %", 12},
	        {"a ", 2},
	        {"has(foo) &&", 11},
	        {"kubernetes.io/hostname: == 'x'", 22},
	        {"has (x)", 4},
	        {"a = \"b\"", 2},
	        {"a == \"b\"\n", 8},
	        {"a == \"b\" b == \"c\"", 9},
	        {"a in {\"x\" \"y\"}", 10},
	        {"all(x)", 4},
	};
	struct rr_arena *a = *state;
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_selector *s = (const void *)1;
		const char *msg = NULL;
		size_t off = 999;
		if (!parse_selector(a, cases[i].what, &s, &msg, &off))
			fail_msg("'%s' parsed", cases[i].what);
		if (!msg)
			fail_msg("'%s': no message", cases[i].what);
		if (off != cases[i].off)
			fail_msg("'%s': offset %zu, want %zu (%s)",
			         cases[i].what, off, cases[i].off, msg);
	}
}

static void
test_canonical(void **state)
{
	static const struct {
		const char *what, *want;
	} cases[] = {
	        {"", "all()"},
	        {" (all() )", "all()"},
	        {"a=='b'", "a == \"b\""},
	        {"a == '\"'", "a == '\"'"},
	        {"a in {'z','a','z',}", "a in {\"a\", \"z\"}"},
	        {"a notin {'x'}", "a not in {\"x\"}"},
	        {"a startswith 'x'", "a starts with \"x\""},
	        {"a   ends   with 'x'", "a ends with \"x\""},
	        {"has( x )", "has(x)"},
	        {"!!has(x)", "has(x)"},
	        {"!has(x)", "!has(x)"},
	        {"!(!has(x))", "has(x)"},
	        {"!(!(!has(x)))", "!has(x)"},
	        {"(a=='1'||b=='2')&&c=='3'",
	         "(a == \"1\" || b == \"2\") && c == \"3\""},
	        {"a=='1'||b=='2'&&c=='3'",
	         "a == \"1\" || b == \"2\" && c == \"3\""},
	        {"!(a=='1'&&b=='2')", "!(a == \"1\" && b == \"2\")"},
	        {"global()", "global()"},
	        {"a == '1' && (b == '2' && c == '3')",
	         "a == \"1\" && (b == \"2\" && c == \"3\")"},
	};
	struct rr_arena *a = *state;
	size_t i;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_selector *s, *s2;
		const char *msg = NULL, *txt;
		size_t off = 0;
		if (parse_selector(a, cases[i].what, &s, &msg, &off))
			fail_msg("'%s': %s", cases[i].what, msg);
		txt = rr_selector_str(a, s);
		if (strcmp(txt, cases[i].want) != 0)
			fail_msg("'%s' printed '%s', want '%s'", cases[i].what,
			         txt, cases[i].want);
		/* the canonical form parses back to itself */
		assert_int_equal(parse_selector(a, txt, &s2, &msg, &off), 0);
		assert_string_equal(rr_selector_str(a, s2), txt);
	}
}

static void
test_tree_shape(void **state)
{
	struct rr_arena *a = *state;
	const struct rr_selector *s;
	const char *msg;
	size_t off;

	assert_int_equal(
	        parse_selector(a, "a in {'b','a','b'}", &s, &msg, &off), 0);
	assert_int_equal(s->op, RR_SEL_IN);
	assert_int_equal(s->nset, 2);
	assert_string_equal(s->set[0], "a");
	assert_string_equal(s->set[1], "b");
	assert_int_equal(parse_selector(a, "global()", &s, &msg, &off), 0);
	assert_int_equal(s->op, RR_SEL_ALL);
	assert_true(s->is_global);
	assert_int_equal(parse_selector(a, "", &s, &msg, &off), 0);
	assert_int_equal(s->op, RR_SEL_ALL);
	assert_false(s->is_global);
}

static void
test_deep_nesting(void **state)
{
	struct rr_arena *a = *state;
	static char buf[20000];
	const struct rr_selector *s;
	const char *msg = NULL;
	size_t off = 0, i;

	for (i = 0; i < 5000; i++)
		buf[i] = '(';
	buf[i] = '\0';
	assert_int_equal(parse_selector(a, buf, &s, &msg, &off), -1);
	assert_non_null(msg);
	for (i = 0; i < 10000; i++)
		buf[i] = '!';
	strcpy(buf + i, "has(x)");
	assert_int_equal(parse_selector(a, buf, &s, &msg, &off), 0);
	assert_int_equal(s->op, RR_SEL_HAS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_eval_vectors, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_invalid_vectors, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_canonical, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_tree_shape, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_deep_nesting, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
