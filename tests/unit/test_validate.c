/*
 * validate/: the rule table (sorted, unique, each id with a broken sample
 * and a section in docs/rules.md), every samples/broken/<id>/ triggering
 * exactly its rule and no other, samples/seed clean, and a few rules on
 * inline inputs with their locations.  Run from the repository root.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tests/unit/tutil.h"

#include "analyze/analyze.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"
#include "validate/validate.h"

struct fx {
	struct rr_model *m;
	struct rr_diags d;
	char *bufs[16];
	size_t nbufs;
};

static int
setup(void **state)
{
	struct fx *f = test_calloc(1, sizeof(*f));
	f->m = rr_model_new();
	rr_diags_init(&f->d);
	*state = f;
	return 0;
}

static void
release(struct fx *f)
{
	size_t i;
	rr_diags_release(&f->d);
	rr_model_free(f->m);
	for (i = 0; i < f->nbufs; i++)
		free(f->bufs[i]);
	f->nbufs = 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	release(f);
	test_free(f);
	return 0;
}

static void
reset(struct fx *f)
{
	release(f);
	f->m = rr_model_new();
	rr_diags_init(&f->d);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
load_file(struct fx *f, const char *path)
{
	size_t len = 0;
	char *text = slurp(path, &len);
	const char *file;
	assert_non_null(text);
	assert_true(f->nbufs < 16);
	f->bufs[f->nbufs++] = text;
	file = rr_model_file(f->m, path);
	switch (parse_detect(text, len)) {
	case PARSE_FMT_IOS:
		parse_ios(f->m, file, text, len, &f->d);
		break;
	case PARSE_FMT_YAML:
		parse_calico(f->m, file, text, len, NULL, &f->d);
		break;
	default:
		fail_msg("%s: not IOS or YAML", path);
	}
}

/* Load every file of a directory (name order), resolve, validate. */
static void
load_dir(struct fx *f, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[16];
	size_t n = 0, i;
	char path[1024];

	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && n < 16)
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		load_file(f, path);
		free(names[i]);
	}
	assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
	val_run(f->m, &f->d);
}

/* The rule ids of findings (>= warning), comma-joined, sorted, unique. */
static void
rules_found(const struct rr_diags *d, char *out, size_t cap)
{
	const char *ids[64];
	size_t n = 0, i, j, k = 0;
	out[0] = '\0';
	for (i = 0; i < d->n; i++) {
		bool dup = false;
		if (d->v[i].sev < RR_SEV_WARNING)
			continue;
		for (j = 0; j < n; j++)
			dup |= !strcmp(ids[j], d->v[i].rule ? d->v[i].rule : "-");
		if (!dup && n < 64)
			ids[n++] = d->v[i].rule ? d->v[i].rule : "-";
	}
	qsort(ids, n, sizeof(*ids), cmp_str);
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? "," : "",
				      ids[i]);
}

static void
print_findings(const struct rr_diags *d)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		if (d->v[i].sev >= RR_SEV_WARNING)
			printf("    %s:%u:%u: %s [%s]\n",
			       d->v[i].loc.file ? d->v[i].loc.file : "-",
			       d->v[i].loc.line, d->v[i].loc.col, d->v[i].msg,
			       d->v[i].rule ? d->v[i].rule : "-");
}

static void
test_table(void **state)
{
	size_t i;
	(void)state;
	assert_true(val_nrules >= 20);
	for (i = 0; i < val_nrules; i++) {
		const char *p;
		if (i)
			assert_true(strcmp(val_rules[i - 1].id, val_rules[i].id) <
				    0);
		for (p = val_rules[i].id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '-');
		assert_ptr_equal(val_rule_find(val_rules[i].id), &val_rules[i]);
		assert_true(val_rules[i].sev == RR_SEV_ERROR ||
			    val_rules[i].sev == RR_SEV_WARNING);
	}
	assert_null(val_rule_find("no-such-rule"));
	/* every rule the analysis reports under is in the table (an
	 * analysis rule, or as-invalid and calico-invalid: an AS missing
	 * where BIRD needs one, two nodes with one address, are both a value
	 * and sessions that never start) */
	for (i = 0; i < AZ_R_COUNT; i++) {
		const struct val_rule *r = val_rule_find(az_rule_ids[i]);
		assert_non_null(r);
		assert_true(r->analysis || i == AZ_R_AS_INVALID ||
			    i == AZ_R_CALICO_INVALID);
		assert_false(r->retired);
	}
}

static void
test_seed_clean(void **state)
{
	struct fx *f = *state;
	char got[1024];
	load_dir(f, "samples/seed");
	rules_found(&f->d, got, sizeof(got));
	if (got[0])
		print_findings(&f->d);
	assert_string_equal(got, "");
}

/* Every rule has samples/broken/<id>/ triggering it and nothing else. */
static void
test_broken_samples(void **state)
{
	struct fx *f = *state;
	size_t i, bad = 0;
	char dir[256], got[1024];
	struct stat st;

	for (i = 0; i < val_nrules; i++) {
		if (val_rules[i].retired)
			continue; /* never reported: docs/rules.md says why */
		snprintf(dir, sizeof(dir), "samples/broken/%s", val_rules[i].id);
		if (stat(dir, &st) != 0) {
			printf("  no sample %s\n", dir);
			bad++;
			continue;
		}
		reset(f);
		load_dir(f, dir);
		rules_found(&f->d, got, sizeof(got));
		if (strcmp(got, val_rules[i].id)) {
			printf("  %s: found '%s'\n", dir, got);
			print_findings(&f->d);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* docs/rules.md has a section "## `<id>`" for exactly the table's ids. */
static void
test_docs(void **state)
{
	size_t len = 0, i, n = 0;
	char *text = slurp("docs/rules.md", &len), *p;
	(void)state;
	assert_non_null(text);
	for (p = text; (p = strstr(p, "\n## `")); p += 5) {
		char id[64];
		if (sscanf(p + 5, "%63[a-z-]`", id) != 1)
			continue;
		assert_non_null(val_rule_find(id));
		n++;
	}
	for (i = 0; i < val_nrules; i++) {
		char want[80];
		snprintf(want, sizeof(want), "\n## `%s`", val_rules[i].id);
		if (!strstr(text, want))
			fail_msg("docs/rules.md has no section for '%s'",
				 val_rules[i].id);
	}
	assert_int_equal(n, val_nrules);
	free(text);
}

/* A finding names the exact line, and the note the other side. */
static void
test_as_mismatch_location(void **state)
{
	struct fx *f = *state;
	const char *ios = "hostname rr1\ninterface Gi0/0\n"
			  " ip address 10.0.0.1 255.255.255.0\n"
			  "router bgp 64512\n bgp cluster-id 1\n"
			  " neighbor 10.0.0.10 remote-as 64513\n"
			  " neighbor 10.0.0.10 route-reflector-client\n";
	const char *cal = "apiVersion: projectcalico.org/v3\n"
			  "kind: BGPConfiguration\nmetadata:\n  name: default\n"
			  "spec:\n  nodeToNodeMeshEnabled: false\n"
			  "  asNumber: 64512\n---\n"
			  "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
			  "metadata:\n  name: rr\nspec:\n  peerIP: 10.0.0.1\n"
			  "  asNumber: 64512\n---\n"
			  "apiVersion: projectcalico.org/v3\nkind: Node\n"
			  "metadata:\n  name: n1\nspec:\n  bgp:\n"
			  "    ipv4Address: 10.0.0.10/24\n";
	size_t i, hits = 0;
	parse_ios(f->m, "r.ios", ios, strlen(ios), &f->d);
	parse_calico(f->m, "c.yaml", cal, strlen(cal), NULL, &f->d);
	assert_int_equal(resolve_calico(f->m, NULL, &f->d), 0);
	val_run(f->m, &f->d);
	for (i = 0; i < f->d.n; i++) {
		const struct rr_diag *g = &f->d.v[i];
		if (!g->rule || strcmp(g->rule, "as-mismatch"))
			continue;
		hits++;
		assert_string_equal(g->loc.file, "r.ios");
		assert_int_equal(g->loc.line, 6);
		assert_int_equal(g->nnotes, 1);
		assert_string_equal(g->notes[0].loc.file, "c.yaml");
		assert_int_equal(g->notes[0].loc.line, 7);
	}
	assert_int_equal(hits, 1);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_table),	       T(test_seed_clean),
		T(test_broken_samples), T(test_docs),
		T(test_as_mismatch_location),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
