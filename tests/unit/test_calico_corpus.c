/*
 * parsers/calico.c over the shared corpus: every calico-manifests file and
 * every YAML file under calico-confd parses without crash or leak; a few
 * facts checked by reading the files.  $RRKIT_SHARED (default ../shared).
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

#include "parsers/parsers.h"

struct parsed {
	struct rr_model *m;
	struct rr_diags d;
	int rc;
};

static int
parse_file(struct parsed *p, const char *path, bool verbose)
{
	size_t len, i;
	char *text = slurp(path, &len);
	if (!text)
		return -2;
	struct parse_calico_opts o = {.delete_mode = false};
	const char *base = strrchr(path, '/');
	/* confd corpus: delete.yaml files name resources to delete */
	o.delete_mode = base && !strcmp(base, "/delete.yaml");
	p->rc = parse_calico(p->m, path, text, len, &o, &p->d);
	if (verbose)
		for (i = 0; i < p->d.n; i++)
			if (p->d.v[i].sev >= RR_SEV_WARNING &&
			    p->d.v[i].loc.file == rr_model_file(p->m, path))
				printf("  %s:%u:%u: %s [%s]\n", path,
				       p->d.v[i].loc.line, p->d.v[i].loc.col,
				       p->d.v[i].msg,
				       p->d.v[i].rule ? p->d.v[i].rule
				                      : "fatal");
	free(text);
	return p->rc;
}

static int
setup(void **state)
{
	struct parsed *p = calloc(1, sizeof(*p));
	struct stat st;
	char dir[1024];
	if (!p)
		return -1;
	snprintf(dir, sizeof(dir), "%s/corpus", shared());
	if (stat(dir, &st) != 0) {
		free(p);
		*state = NULL;
		return 0;
	}
	p->m = rr_model_new();
	rr_diags_init(&p->d);
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct parsed *p = *state;
	if (p) {
		rr_diags_release(&p->d);
		rr_model_free(p->m);
		free(p);
	}
	return 0;
}

static size_t
count_rule(const struct rr_diags *d, const char *rule, enum rr_sev sev)
{
	size_t i, n = 0;
	for (i = 0; i < d->n; i++)
		if (d->v[i].sev == sev &&
		    ((!rule && !d->v[i].rule) ||
		     (rule && d->v[i].rule && !strcmp(d->v[i].rule, rule))))
			n++;
	return n;
}

#define NEED_CORPUS(p)                                                         \
	do {                                                                   \
		if (!(p)) {                                                    \
			printf("corpus not found under %s (set "               \
			       "RRKIT_SHARED)\n",                              \
			       shared());                                      \
			skip();                                                \
		}                                                              \
	} while (0)

static void
walk(const char *dir, size_t *files, size_t *warn, size_t *errs, size_t *fatal)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	if (!dp)
		return;
	while ((e = readdir(dp))) {
		char path[2048];
		struct stat st;
		size_t l = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, files, warn, errs, fatal);
		} else if (l > 5 && !strcmp(e->d_name + l - 5, ".yaml")) {
			struct parsed p;
			p.m = rr_model_new();
			rr_diags_init(&p.d);
			printf("%s\n", path);
			parse_file(&p, path, true);
			(*files)++;
			*warn += p.d.count[RR_SEV_WARNING];
			*errs += p.d.count[RR_SEV_ERROR];
			*fatal += p.d.count[RR_SEV_FATAL];
			rr_diags_release(&p.d);
			rr_model_free(p.m);
		}
	}
	closedir(dp);
}

static void
test_all_files(void **state)
{
	char dir[1024];
	size_t files = 0, warn = 0, errs = 0, fatal = 0;
	NEED_CORPUS(*state);
	snprintf(dir, sizeof(dir), "%s/corpus/calico-manifests", shared());
	walk(dir, &files, &warn, &errs, &fatal);
	printf("calico-manifests: %zu files, %zu warnings, %zu errors, %zu "
	       "fatal\n",
	       files, warn, errs, fatal);
	assert_int_equal(files, 28);
	assert_int_equal(fatal, 1); /* the legacy v1 file */
	files = warn = errs = fatal = 0;
	snprintf(dir, sizeof(dir), "%s/corpus/calico-confd", shared());
	walk(dir, &files, &warn, &errs, &fatal);
	printf("calico-confd: %zu files, %zu warnings, %zu errors, %zu fatal\n",
	       files, warn, errs, fatal);
	assert_true(files > 100);
	assert_int_equal(fatal, 0);
}

static void
path_of(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/corpus/%s", shared(), rel);
}

static void
test_legacy_refused(void **state)
{
	struct parsed *p = *state;
	char path[1024];
	NEED_CORPUS(p);
	path_of(path, sizeof(path),
	        "calico-manifests/legacy-calico-v1-multi-resource.yaml");
	assert_int_equal(parse_file(p, path, false), -1);
	assert_true(rr_diags_has_fatal(&p->d));
	assert_int_equal(p->m->calico.nbgppeers, 0);
}

static void
test_lowercase_action(void **state)
{
	struct parsed *p = *state;
	char path[1024];
	NEED_CORPUS(p);
	path_of(path, sizeof(path),
	        "calico-manifests/docs-bgpfilter-sample-lowercase-action.yaml");
	assert_int_equal(parse_file(p, path, false), 0);
	assert_int_equal(p->m->calico.nbgpfilters, 1);
	assert_true(count_rule(&p->d, RR_RULE_CALICO_INVALID, RR_SEV_ERROR) >
	            0);
}

static void
test_convert_list(void **state)
{
	struct parsed *p = *state;
	char path[1024];
	NEED_CORPUS(p);
	path_of(path, sizeof(path),
	        "calico-manifests/calicoctl-convert-multi-resource-list.yaml");
	assert_int_equal(parse_file(p, path, false), 0);
	assert_int_equal(p->m->calico.nbgppeers, 3);
	assert_int_equal(p->m->calico.nippools, 2);
	assert_int_equal(p->d.count[RR_SEV_ERROR], 0);
}

static void
test_filters_and_peer(void **state)
{
	struct parsed *p = *state;
	char path[1024];
	NEED_CORPUS(p);
	path_of(path, sizeof(path),
	        "calico-manifests/docs-bgpfilter-two-filters-and-peer.yaml");
	assert_int_equal(parse_file(p, path, false), 0);
	assert_int_equal(p->m->calico.nbgpfilters, 2);
	assert_int_equal(p->m->calico.nbgppeers, 1);
	assert_int_equal(p->m->calico.bgppeers[0].nfilters, 2);
	assert_int_equal(p->d.count[RR_SEV_ERROR], 0);
}

static void
test_node_list(void **state)
{
	struct parsed *p = *state;
	char path[1024];
	NEED_CORPUS(p);
	path_of(path, sizeof(path),
	        "calico-manifests/calicoctl-convert-node-list.yaml");
	assert_int_equal(parse_file(p, path, false), 0);
	assert_int_equal(p->m->calico.nnodes, 2);
	assert_int_equal(p->m->calico.nodes[1].as_number.v, 12345);
	assert_int_equal(p->m->calico.nodes[1].ipv4_address.len, 24);
}

static void
test_seed_peer(void **state)
{
	struct parsed *p = *state;
	char path[1024];
	char buf[RR_ADDR_STRLEN];
	NEED_CORPUS(p);
	path_of(path, sizeof(path),
	        "calico-manifests/docs-bgppeer-global.yaml");
	assert_int_equal(parse_file(p, path, false), 0);
	assert_int_equal(p->m->calico.nbgppeers, 1);
	assert_string_equal(rr_addr_str(&p->m->calico.bgppeers[0].peer_ip, buf),
	                    "192.20.30.40");
	assert_int_equal(p->m->calico.bgppeers[0].as_number.v, 64567);
}

static void
test_yes_label(void **state)
{
	struct parsed *p = *state;
	char path[1024];
	size_t i;
	bool found = false;
	NEED_CORPUS(p);
	path_of(path, sizeof(path),
	        "calico-confd/scenarios/next_hop_mode/route_reflectors/"
	        "input.yaml");
	assert_int_equal(parse_file(p, path, false), 0);
	for (i = 0; i < p->m->calico.nnodes; i++) {
		const char *v = rr_labels_get(
		        &p->m->calico.nodes[i].meta.labels, "route-reflector");
		if (v) {
			assert_string_equal(v, "true");
			found = true;
		}
	}
	assert_true(found);
	assert_true(count_rule(&p->d, RR_RULE_PARSE_WARNING, RR_SEV_WARNING) >
	            0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_all_files, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_legacy_refused, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_lowercase_action, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_convert_list, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_seed_peer, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_filters_and_peer, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_node_list, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_yes_label, setup,
	                                        teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
