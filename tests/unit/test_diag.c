/*
 * model/diag.c: what every message goes through as it is recorded (values
 * cut with "...", secrets hidden), and the secret places the parsers
 * register (an IOS password, a Kubernetes Secret's value, a YAML syntax
 * error inside one).
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
#include "tests/unit/tfixture.h"

static void
test_format_like_printf(void **state)
{
	struct fx *f = *state;
	struct rr_loc l = { "x", 1, 1 };
	char want[256];
	const struct rr_diag *g;

	g = rr_diag_add(&f->d, RR_SEV_NOTE, NULL, &l,
			"%d %i %u %zu %jd %x %X %o %c %5s|%-4d|%.*s %% %lu %lld "
			"%g %.2f %p %hhu %hd %ld",
			-1, 2, 3u, (size_t)4, (intmax_t)-5, 255u, 255u, 8u, 'z',
			"ab", 7, 3, "abcdef", 9ul, -10ll, 1.5, 2.25,
			(void *)0, (unsigned char)300, (short)-3, 11l);
	snprintf(want, sizeof(want),
		 "%d %i %u %zu %jd %x %X %o %c %5s|%-4d|%.*s %% %lu %lld "
		 "%g %.2f %p %hhu %hd %ld",
		 -1, 2, 3u, (size_t)4, (intmax_t)-5, 255u, 255u, 8u, 'z', "ab",
		 7, 3, "abcdef", 9ul, -10ll, 1.5, 2.25, (void *)0, (unsigned char)300, (short)-3, 11l);
	assert_string_equal(g->msg, want);
	g = rr_diag_add(&f->d, RR_SEV_NOTE, NULL, &l, "%*d|%-*s|", 4, 7, 3,
			"a");
	assert_string_equal(g->msg, "   7|a  |");
}

static void
test_values_cut(void **state)
{
	struct fx *f = *state;
	size_t big = 5u << 20, i;
	char *v = malloc(big + 1);
	struct rr_diag *g;
	struct rr_loc l = { "x", 1, 1 };

	memset(v, 'a', big);
	v[big] = '\0';
	g = rr_diag_add(&f->d, RR_SEV_ERROR, NULL, &l,
			"invalid AS number '%s': %s", v, "too big");
	assert_int_equal(strlen(g->msg), strlen("invalid AS number '': too big") +
						 RR_DIAG_MAX_VALUE + 3);
	assert_non_null(strstr(g->msg, "aaa...': too big"));
	/* a message copied whole ("%s") is bounded as a whole */
	g = rr_diag_add(&f->d, RR_SEV_ERROR, NULL, &l, "%s", v);
	assert_true(strlen(g->msg) <= 4096);
	assert_string_equal(g->msg + strlen(g->msg) - 3, "...");
	/* a short message copied whole is left alone */
	v[300] = '\0';
	g = rr_diag_add(&f->d, RR_SEV_ERROR, NULL, &l, "%s", v);
	assert_int_equal(strlen(g->msg), 300);
	/* cut on a character boundary: 2-byte characters, odd limit */
	for (i = 0; i + 1 < 600; i += 2)
		memcpy(v + i, "\xc3\xa9", 2);
	v[600] = '\0';
	g = rr_diag_add(&f->d, RR_SEV_ERROR, NULL, &l, "x%sy", v + 1);
	for (i = 1; g->msg[i] != '.'; i++)
		assert_true((unsigned char)g->msg[i] >= 0x80);
	assert_true(((unsigned char)g->msg[1] & 0xc0) == 0x80);
	assert_true(((unsigned char)g->msg[i - 1] & 0xc0) == 0x80);
	assert_true(((unsigned char)g->msg[i - 2] & 0xc0) == 0xc0);
	/* notes too */
	memset(v, 'b', 1000);
	v[1000] = '\0';
	rr_diag_note(&f->d, g, &l, "value '%s'", v);
	assert_true(strlen(g->notes[0].msg) < 300);
	free(v);
}

static const char ios_text[] =
	"hostname r1\n"
	" neighbor 10.0.0.1 password 0 s3cretWord-and-more\n"
	"enable secret 5 $1$abcd$efgh\n"
	" neighbor 10.0.0.1 Password 7 0822455D0A16\n"
	"username admin privilege 15 password\n";

static void
test_secret_places(void **state)
{
	struct fx *f = *state;
	const struct rr_source *s;
	struct rr_diags copy;
	const char *file = "r.ios";
	struct rr_diag *g;
	struct rr_loc l2 = { file, 2, 2 }, l1 = { file, 1, 1 };

	rr_diags_add_source(&f->d, file, ios_text, strlen(ios_text));
	rr_diags_secret(&f->d, file, 4, 30);
	rr_diags_secret(&f->d, file, 2, 31);
	rr_diags_secret(&f->d, file, 3, 17);
	rr_diags_secret(&f->d, file, 2, 40); /* the leftmost one counts */
	rr_diags_secret(&f->d, "unknown.ios", 2, 1); /* no source: ignored */
	s = rr_diags_source(&f->d, file);
	assert_int_equal(s->nsecrets, 3);
	assert_int_equal(rr_source_secret_col(s, 1), 0);
	assert_int_equal(rr_source_secret_col(s, 2), 31);
	assert_int_equal(rr_source_secret_col(s, 3), 17);
	assert_int_equal(rr_source_secret_col(s, 4), 30);
	assert_int_equal(rr_source_secret_col(s, 5), 0);

	/* a message about the line never repeats its secret's words, whole
	 * or cut */
	g = rr_diag_add(&f->d, RR_SEV_WARNING, "parse-warning", &l2,
			"unknown '%s' after '%.40s'", "s3cretWord-and-more",
			"s3cretWord-and-more");
	assert_null(strstr(g->msg, "s3cret"));
	assert_string_equal(g->msg, "unknown '<hidden>' after '<hidden>'");
	rr_diag_note(&f->d, g, &l2,
		     "see %s", "s3cretWord-and-more!");
	assert_string_equal(g->notes[0].msg, "see <hidden>!");
	/* another line is not touched */
	g = rr_diag_add(&f->d, RR_SEV_NOTE, NULL, &l1, "%s",
			"s3cretWord-and-more");
	assert_string_equal(g->msg, "s3cretWord-and-more");

	/* a filtered copy of the sink keeps the places (and outlives
	 * nothing: the copy owns them) */
	rr_diags_init(&copy);
	rr_diags_add_sources(&copy, &f->d);
	reset(f);
	s = rr_diags_source(&copy, file);
	assert_non_null(s);
	assert_int_equal(rr_source_secret_col(s, 2), 31);
	assert_int_equal(rr_source_secret_col(s, 4), 30);
	rr_diags_release(&copy);
}

static void
test_short_secret(void **state)
{
	struct fx *f = *state;
	static const char text[] = " neighbor 10.0.0.1 password ab1\n";
	struct rr_loc l = { "s.ios", 1, 2 };
	const struct rr_diag *g;

	rr_diags_add_source(&f->d, "s.ios", text, strlen(text));
	rr_diags_secret(&f->d, "s.ios", 1, 29);
	g = rr_diag_add(&f->d, RR_SEV_NOTE, NULL, &l, "lab1 ab1 ab12 'ab1'");
	assert_string_equal(g->msg, "lab1 <hidden> ab12 '<hidden>'");
}

static void
test_ios_registers(void **state)
{
	struct fx *f = *state;
	const struct rr_source *s;

	rr_diags_add_source(&f->d, "r.ios", ios_text, strlen(ios_text));
	parse_ios(f->m, "r.ios", ios_text, strlen(ios_text), &f->d);
	s = rr_diags_source(&f->d, "r.ios");
	assert_int_equal(rr_source_secret_col(s, 1), 0);
	/* after `password 0 `: the type stays visible */
	assert_int_equal(rr_source_secret_col(s, 2), 31);
	assert_int_equal(rr_source_secret_col(s, 3), 17);
	/* any case; a type 7 text is a secret too */
	assert_int_equal(rr_source_secret_col(s, 4), 31);
	/* nothing after the keyword: nothing to hide */
	assert_int_equal(rr_source_secret_col(s, 5), 0);
}

static void
test_calico_registers(void **state)
{
	struct fx *f = *state;
	static const char good[] =
		"apiVersion: v1\n"
		"kind: Secret\n"
		"metadata:\n"
		"  name: s\n"
		"data:\n"
		"  a: NOT-base64!!\n"
		"  b: [x, y]\n"
		"stringData:\n"
		"  c: |\n"
		"    line one\n"
		"    line two\n"
		"  d: plain\n";
	static const char broken[] =
		"apiVersion: v1\n"
		"kind: Secret\n"
		"metadata:\n"
		"  name: s\n"
		"stringData:\n"
		"  rr1: \"TOPSECRET\" junk\n";
	static const char other[] =
		"apiVersion: v1\n"
		"kind: Secret\n"
		"metadata: {name: \"unterminated\n";
	const struct rr_source *s;
	size_t i;
	bool found = false;

	rr_diags_add_source(&f->d, "g.yaml", good, strlen(good));
	parse_calico(f->m, "g.yaml", good, strlen(good), NULL, &f->d);
	s = rr_diags_source(&f->d, "g.yaml");
	assert_int_equal(rr_source_secret_col(s, 5), 0);
	assert_int_equal(rr_source_secret_col(s, 6), 6);
	assert_int_equal(rr_source_secret_col(s, 7), 7);
	assert_int_equal(rr_source_secret_col(s, 9), 6);
	assert_int_equal(rr_source_secret_col(s, 10), 1);
	assert_int_equal(rr_source_secret_col(s, 11), 1);
	assert_int_equal(rr_source_secret_col(s, 12), 6);
	for (i = 0; i < f->d.n; i++)
		if (f->d.v[i].loc.line == 6) {
			found = true;
			assert_null(strstr(f->d.v[i].msg, "NOT-base64"));
		}
	assert_true(found);

	reset(f);
	rr_diags_add_source(&f->d, "b.yaml", broken, strlen(broken));
	assert_int_equal(parse_calico(f->m, "b.yaml", broken, strlen(broken),
				      NULL, &f->d),
			 -1);
	s = rr_diags_source(&f->d, "b.yaml");
	assert_int_equal(f->d.v[0].loc.line, 6);
	assert_int_equal(rr_source_secret_col(s, 6), 3);

	/* no data in the document: a syntax error is quoted as it is */
	reset(f);
	rr_diags_add_source(&f->d, "o.yaml", other, strlen(other));
	parse_calico(f->m, "o.yaml", other, strlen(other), NULL, &f->d);
	s = rr_diags_source(&f->d, "o.yaml");
	assert_true(rr_diags_has_fatal(&f->d));
	assert_int_equal(s->nsecrets, 0);
}

/* A Secret's data value decoded as Kubernetes does (Go's
 * base64.StdEncoding), or refused as calico-invalid. */
static void
test_secret_base64(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *what, *in, *want; /* want NULL: refused */
	} cases[] = {
		{ "whole quanta", "YWJj", "abc" },
		{ "one pad", "YWI=", "ab" },
		{ "two pads", "YQ==", "a" },
		{ "empty", "\"\"", "" },
		{ "line breaks ignored", "\"YWJj\\nZGVm\\r\\n\"", "abcdef" },
		{ "break inside the padding", "\"YQ=\\n=\"", "a" },
		{ "unpadded", "YQ", NULL },
		{ "unpadded 3", "YWJ", NULL },
		{ "a blank", "\"YW Jj\"", NULL },
		{ "a tab", "\"YW\\tJj\"", NULL },
		{ "URL-safe alphabet", "-_8=", NULL },
		{ "data after padding", "YQ==YQ==", NULL },
		{ "half the padding", "YQ=", NULL },
		{ "padding too early", "Y===", NULL },
		{ "one digit", "Y", NULL },
		{ "not base64 at all", "s3cret!", NULL },
	};
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char doc[256];
		const struct rr_secret *sec;
		bool refused = false;
		int n = snprintf(doc, sizeof(doc),
				 "apiVersion: v1\nkind: Secret\nmetadata:\n"
				 "  name: s\ndata:\n  k: %s\n",
				 cases[i].in);
		reset(f);
		parse_calico(f->m, "s.yaml", doc, (size_t)n, NULL, &f->d);
		for (j = 0; j < f->d.n; j++)
			refused |= f->d.v[j].rule &&
				   !strcmp(f->d.v[j].rule, "calico-invalid");
		if (!cases[i].want) {
			if (!refused)
				fail_msg("%s: '%s' accepted", cases[i].what,
					 cases[i].in);
			continue;
		}
		if (refused || f->m->calico.nsecrets != 1)
			fail_msg("%s: '%s' refused", cases[i].what, cases[i].in);
		sec = &f->m->calico.secrets[0];
		assert_int_equal(sec->ndata, 1);
		if (strcmp(sec->data[0].value, cases[i].want))
			fail_msg("%s: '%s' gave '%s', want '%s'", cases[i].what,
				 cases[i].in, sec->data[0].value, cases[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_format_like_printf, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_values_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_places, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_short_secret, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ios_registers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_calico_registers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_secret_base64, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
