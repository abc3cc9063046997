/*
 * parsers/calico_fastyaml.c against libyaml: for each case, whether the
 * fast reader reads it or gives up, and where it reads it, that libyaml
 * builds the same trees (type, style, value bytes, line, column, end line,
 * weight).  Also: a file it gives up on halfway stores what libyaml's
 * reading stores, once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/calico_priv.h"

/* The trees one reader builds of text, as text in *buf. */
static int
trees(const char *text, enum cal_reader r, char **buf)
{
	size_t len;

	return cal_yaml_trees(text, strlen(text), r, buf, &len);
}

/* The fast reader reads `text` (or gives up, as `reads` says); where it
 * reads it, libyaml reads the same trees. */
static void
same(const char *text, bool reads)
{
	char *fast = NULL, *slow = NULL;
	int rc = trees(text, CAL_READ_FAST, &fast);

	if (rc != (reads ? 0 : 1))
		fail_msg("fast reader %s:\n%s", rc ? "gave up" : "read it",
		         text);
	if (reads) {
		assert_int_equal(trees(text, CAL_READ_LIBYAML, &slow), 0);
		if (strcmp(fast, slow))
			fail_msg("trees differ for:\n%s\nfast:\n%s\nlibyaml:\n%s",
			         text, fast, slow);
	}
	free(fast);
	free(slow);
}

static void
reads_block_yaml(void **state)
{
	static const char *const cases[] = {
	        /* kubectl's compact sequence at the key's indentation */
	        "items:\n- a: 1\n  b: 2\n- c\nnext: x\n",
	        "a:\n  - x\n  - y\nb: z\n",
	        "a:\n- x\n-\n- y\n",
	        "- - x\n  - y\n- - - z\n",
	        "- a: 1\n  b:\n  - c\n  d: e\n",
	        /* trailing spaces, comments after values, empty values */
	        "a: b   \nc: d # comment\ne:    # no value\nf:\n",
	        "a:\n  b:\n  c:\n    d:\n",
	        "# only a comment\n",
	        "",
	        "a: b#not a comment\nc: 'd # e'\n",
	        /* quoted keys and values; ": " inside quotes */
	        "\"a: b\": 'c: d'\n'it''s': \"q\\\"\\\\ \\t \\/\"\n",
	        "'': \"\"\n",
	        "- 'x': 1\n  \"y\": 2\n",
	        "key  : value\n",
	        "url: http://example.com:80/a?b=c\ntime: 12:30\n",
	        "-1: -x\n-: y\n",
	        /* document markers */
	        "---\na: 1\n---\nb: 2\n...\n---\n- c\n",
	        "---\n---\n...\n",
	        "---",
	        "--- # c\na: 1\n... # end\n",
	        "a: 1\n---\n",
	        "a:\n---\nb:\n",
	        "a: 1\n--- \nb: 2",
	        /* no newline at the end, CRLF, empty collections */
	        "a: b",
	        "a:",
	        "a:\n  - x\n# c",
	        "a: 1\r\nb:\r\n- c\r\n- 'd'\r\n",
	        "status: {}\nitems: []\nx:\n- {}\n- []\n",
	        "  indented: 1\n  root: 2\n",
	        "scalar root\n",
	        "'quoted root'\n",
	        "a: x,y [z] {w}\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same(cases[i], true);
}

static void
gives_up(void **state)
{
	static const char *const cases[] = {
	        /* outside the subset */
	        "a: {b: 1}\n", "a: [1, 2]\n", "a: &x 1\nb: *x\n",
	        "a: !!str 1\n", "%YAML 1.1\n---\na: 1\n", "? a\n: b\n",
	        "a: |\n  x\n", "a: >-\n  x\n", "a: b\n  c\n",
	        "a: 'b\n  c'\n", "a:\tb\n", "a: caf\xc3\xa9\n",
	        ("\xef\xbb\xbf" "a: 1\n"), "a: \"\\u0041\"\n", "a: 1\rb: 2\n",
	        "--- a\n", "a: 1\n...\nb: 2\n",
	        /* what libyaml calls an error */
	        "a: b: c\n", "a: - b\n", "a:\n  b: 1\n c: 2\n",
	        "- a\nb: 1\n", "a: 1\n  b: 2\n", "a\nb: 1\n", "a: 'b'c\n",
	        "a: \"b\n", "a: 1\nb\n", "...\n", "a: 1\nb: 2\n- c\n",
	        "[]: 1\n", "a: {} x\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same(cases[i], false);
}

/* A key over 1,000 characters: given up (libyaml forgets simple keys past
 * 1,024). */
static void
long_key(void **state)
{
	char buf[2100];

	(void)state;
	memset(buf, 'k', 1200);
	strcpy(buf + 1200, ": v\n");
	same(buf, false);
	memset(buf, 'k', 900);
	strcpy(buf + 900, ": v\n");
	same(buf, true);
}

/* Given up in the third document: the first two, handed over by the fast
 * reader, are undone and read again by libyaml -- each resource once. */
static void
falls_back_whole_file(void **state)
{
	const char *yaml = "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	                   "metadata:\n  name: a\nspec:\n  peerIP: 10.0.0.1\n"
	                   "  asNumber: 64512\n---\n"
	                   "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	                   "metadata:\n  name: b\nspec:\n  peerIP: 10.0.0.2\n"
	                   "  asNumber: 64512\n---\n"
	                   "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
	                   "metadata: {name: c}\nspec:\n  peerIP: 10.0.0.3\n"
	                   "  asNumber: 64512\n";
	struct rr_model *m = rr_model_new();
	struct rr_diags d;

	(void)state;
	rr_diags_init(&d);
	assert_int_equal(parse_calico(m, "t.yaml", yaml, strlen(yaml), NULL,
	                              &d),
	                 0);
	assert_int_equal(m->calico.nbgppeers, 3);
	assert_string_equal(m->calico.bgppeers[2].meta.name, "c");
	assert_int_equal(d.n, 0);
	rr_diags_release(&d);
	rr_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(reads_block_yaml),
	        cmocka_unit_test(gives_up),
	        cmocka_unit_test(long_key),
	        cmocka_unit_test(falls_back_whole_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
