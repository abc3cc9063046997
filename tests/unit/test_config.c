/*
 * parsers/config.c: .rrkit.yaml.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/parsers.h"

#include "tfixture.h"

/* the configuration of one test, read into the fixture's model arena */
static struct parse_config cfg;

static int
parse(struct fx *f, const char *text)
{
	return parse_config(&f->m->arena, "c.yaml", text, strlen(text), &cfg,
	                    &f->d);
}

static void
test_config_full(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, "# rrkit\n"
	                          "rules:\n"
	                          "  cluster-id-missing: off\n"
	                          "  mesh-not-disabled: error\n"
	                          "  as-mismatch: warning\n"
	                          "exclude:\n"
	                          "  - \"*.tmpl\"\n"
	                          "  - charts\n"
	                          "baseline: .rrkit-baseline\n"
	                          "strict: true\n"),
	                 0);
	assert_int_equal(cfg.nrules, 3);
	assert_string_equal(cfg.rules[0].id, "cluster-id-missing");
	assert_int_equal(cfg.rules[0].sev, PARSE_CONFIG_OFF);
	assert_int_equal(cfg.rules[0].loc.line, 3);
	assert_int_equal(cfg.rules[0].loc.col, 3);
	assert_int_equal(cfg.rules[1].sev, PARSE_CONFIG_ERROR);
	assert_int_equal(cfg.rules[2].sev, PARSE_CONFIG_WARNING);
	assert_int_equal(cfg.nexclude, 2);
	assert_string_equal(cfg.exclude[0], "*.tmpl");
	assert_string_equal(cfg.exclude[1], "charts");
	assert_string_equal(cfg.baseline, ".rrkit-baseline");
	assert_int_equal(cfg.strict, 1);
	assert_int_equal(f->d.n, 0);
}

static void
test_config_empty(void **state)
{
	struct fx *f = *state;
	assert_int_equal(parse(f, ""), 0);
	assert_int_equal(cfg.nrules, 0);
	assert_int_equal(cfg.strict, -1);
	assert_int_equal(parse(f, "# only a comment\n"), 0);
	assert_int_equal(parse(f, "exclude: one\n"), 0);
	assert_int_equal(cfg.nexclude, 1);
}

static void
test_config_errors(void **state)
{
	static const struct {
		const char *what, *in;
		uint32_t line, col;
	} cases[] = {
	        {"unknown key", "rules: {}\nrulez: 1\n", 2, 1},
	        {"bad severity", "rules:\n  as-mismatch: loud\n", 2, 16},
	        {"rules not a map", "rules: [a]\n", 1, 8},
	        {"strict not bool", "strict: maybe\n", 1, 9},
	        {"not a mapping", "- a\n", 1, 1},
	        {"syntax", "rules: {a: \n", 2, 1},
	        {"alias", "a: &x 1\nbaseline: *x\n", 1, 1},
	        {"two documents", "strict: true\n---\nstrict: false\n", 2, 1},
	};
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset(f);
		if (parse(f, cases[i].in) != -1)
			fail_msg("%s: accepted", cases[i].what);
		if (!rr_diags_has_fatal(&f->d) || f->d.v[0].loc.line == 0)
			fail_msg("%s: no located error", cases[i].what);
		if (!strcmp(cases[i].what, "alias"))
			continue; /* the key before it is the error */
		if (f->d.v[0].loc.line != cases[i].line ||
		    f->d.v[0].loc.col != cases[i].col)
			fail_msg("%s: at %u:%u, want %u:%u", cases[i].what,
			         f->d.v[0].loc.line, f->d.v[0].loc.col,
			         cases[i].line, cases[i].col);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_config_full, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_config_empty, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_config_errors, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
