/*
 * libFuzzer target: analyze/ on arbitrary input, differentially.  The
 * bytes up to the first "\n---\n" are read as an IOS config and the rest
 * as Calico YAML (so a router and a cluster meet in one model); the model
 * is resolved and analysed with and without the grouping of alike nodes
 * into classes, which must agree on every count, the same findings (rule,
 * sessions, routes; the node a finding names as its first example may be
 * another member of a class) and every (node, block) outcome.  A
 * disagreement aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* what a finding counts: its rule, sessions and routes */
struct fkey {
	uint64_t rule, sessions, routes;
};

static struct fkey
fkey(const struct az_finding *f)
{
	struct fkey k = {(uint64_t)f->rule, f->sessions, f->routes};
	return k;
}

static int
cmp_fkey(const void *x, const void *y)
{
	const struct fkey *p = x, *q = y;
	if (p->rule != q->rule)
		return p->rule < q->rule ? -1 : 1;
	if (p->sessions != q->sessions)
		return p->sessions < q->sessions ? -1 : 1;
	return p->routes < q->routes ? -1 : p->routes > q->routes;
}

static void
same(const struct rr_model *m, const struct az *a, const struct az *b)
{
	const struct az_verdict *x = az_verdict(a), *y = az_verdict(b);
	size_t i, n, o, k;

	check(x->sessions_expected == y->sessions_expected &&
	      x->sessions_up == y->sessions_up &&
	      x->routes_expected == y->routes_expected &&
	      x->routes_ok == y->routes_ok &&
	      x->routes_unknown == y->routes_unknown && x->ok == y->ok);
	check(az_nfindings(a) == az_nfindings(b));
	/* the same findings, in any order: the example a finding names (the
	 * first node a route misses) is one of the class's members, not
	 * always the one the plain run meets first, and findings sort by the
	 * line they point at */
	n = az_nfindings(a);
	{
		struct fkey *ka = calloc(n + 1, sizeof(*ka)),
		            *kb = calloc(n + 1, sizeof(*kb));
		check(ka && kb);
		for (i = 0; i < n; i++) {
			ka[i] = fkey(az_finding(a, i));
			kb[i] = fkey(az_finding(b, i));
		}
		qsort(ka, n, sizeof(*ka), cmp_fkey);
		qsort(kb, n, sizeof(*kb), cmp_fkey);
		for (i = 0; i < n; i++)
			check(!cmp_fkey(&ka[i], &kb[i]));
		free(ka);
		free(kb);
	}
	for (n = 0; n < m->nspeakers && n < 64; n++)
		for (o = 0; o < m->nspeakers && o < 64; o++)
			for (k = 0; k < m->speakers[o]->noriginates && k < 4;
			     k++) {
				const struct rr_prefix *p =
					&m->speakers[o]->originates[k].p;
				uint32_t fa, fb;
				enum az_state sa = az_route(a, (uint32_t)n,
							    (uint32_t)o, p, &fa);
				enum az_state sb = az_route(b, (uint32_t)n,
							    (uint32_t)o, p, &fb);
				check(sa == sb);
				if (sa == AZ_DOWN && fa != AZ_NONE &&
				    fb != AZ_NONE)
					check(az_finding(a, fa)->rule ==
					      az_finding(b, fb)->rule);
			}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rr_model *m = rr_model_new();
	struct rr_diags d;
	struct resolve_opts ro = {0};
	struct az_opts plain = {.no_classes = true};
	const char *t = (const char *)data, *sep = NULL;
	size_t i, ni = size;

	/* memcmp only at newlines (an intercepted, traced memcmp at every
	 * byte costs more than a short input's parse) */
	for (i = 0; i + 5 <= size; i++)
		if (t[i] == '\n' && !memcmp(t + i, "\n---\n", 5)) {
			sep = t + i;
			break;
		}
	if (sep)
		ni = (size_t)(sep - t);
	rr_diags_init(&d);
	ro.max_mesh_nodes = 40;
	(void)parse_ios(m, "fuzz.ios", t, ni, &d);
	if (sep)
		(void)parse_calico(m, "fuzz.yaml", sep + 1, size - ni - 1, NULL,
				   &d);
	if (resolve_calico(m, &ro, &d) == 0) {
		struct az *a = az_run(m, NULL), *b = az_run(m, &plain);
		same(m, a, b);
		az_free(a);
		az_free(b);
	}
	rr_diags_release(&d);
	rr_model_free(m);
	return 0;
}
