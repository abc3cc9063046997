/*
 * libFuzzer target: rollout/ on arbitrary input.  The input is two states
 * separated by "\n@@@\n" (none: the second is the first), each an IOS
 * config, "\n---\n", Calico YAML (as fuzz_analyze reads one).  Both are
 * resolved and rehearsed as a change.  Whatever the input: no crash, and
 * the result holds together: every interval starts at or after the first
 * step and ends after it starts (or is still open), every loss is at a
 * speaker of the world, the counts agree, every wait a step reports began
 * within the step and after its error; and a state rehearsed against
 * the same text changes nothing and loses nothing (the diff of a configuration
 * with itself is empty).  The input is also split into resources
 * (ro_split_yaml): the documents lie in the input, in order, without
 * overlap, each with its kind and name; each says the same as itself.
 * The two states' texts are the old and new text of a router's change in
 * two steps (ro_ios_add_neighbors): the new-neighbors text is longer than
 * the old one and holds it, line by line, in order; a text against itself
 * is never split.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/parsers.h"
#include "resolve/resolve.h"
#include "rollout/rollout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* sep, which starts with a newline: memcmp only at newlines (an
 * intercepted, traced memcmp at every byte was 8% of a run) */
static const char *
find(const char *t, size_t n, const char *sep)
{
	const char *p = t, *end = t + n;
	size_t k = strlen(sep);

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL &&
	       (size_t)(end - p) >= k) {
		if (!memcmp(p, sep, k))
			return p;
		p++;
	}
	return NULL;
}

/* a state: IOS, "\n---\n", YAML; NULL when it does not resolve */
static struct rr_model *
state(const char *t, size_t n, struct rr_diags *d)
{
	struct rr_model *m = rr_model_new();
	struct resolve_opts ro = {0};
	const char *sep = find(t, n, "\n---\n");
	size_t ni = sep ? (size_t)(sep - t) : n;

	ro.max_mesh_nodes = 12;
	(void)parse_ios(m, "fuzz.ios", t, ni, d);
	if (sep)
		(void)parse_calico(m, "fuzz.yaml", sep + 1, n - ni - 1, NULL, d);
	if (resolve_calico(m, &ro, d) != 0 || m->nspeakers > 24) {
		rr_model_free(m);
		return NULL;
	}
	return m;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = (const char *)data;
	const char *sep = find(t, size, "\n@@@\n");
	size_t na = sep ? (size_t)(sep - t) : size, i, k;
	struct rr_model *m[2] = {NULL, NULL};
	struct rr_diags d;
	struct ro_result r;
	struct ro_opts o = {0};
	bool same = !sep;

	/* a network that never settles (sessions colliding for ever, say) is
	 * simulated up to the cap: 300 s instead of 1200 s spares such a run
	 * most of its work and leaves out no code */
	o.settle_ms = 300000;
	if (size > 8192)
		return 0;
	{
		struct ro_doc *v;
		size_t nv, end = 0;
		if (ro_split_yaml(t, size, &v, &nv) == 0) {
			for (i = 0; i < nv; i++) {
				check(v[i].off >= end && v[i].len <= size &&
				      v[i].off + v[i].len <= size);
				check(v[i].kind[0] && v[i].name[0] && v[i].line);
				check(ro_same_doc(t + v[i].off, v[i].len,
				                  t + v[i].off, v[i].len));
				/* the temporary peer rollout plans for a node
				 * moving between peers, with a name as long as
				 * rollout makes them */
				if (!strcmp(v[i].kind, "BGPPeer")) {
					size_t ol = 0;
					char *tp = ro_node_peer_doc(
					    t + v[i].off, v[i].len, "node-x",
					    "rollout-tmp-node-x-a-rather-long-"
					    "bgppeer-name-0123456789",
					    &ol);
					check(!tp || ol > 0);
					free(tp);
				}
				end = v[i].off + v[i].len;
			}
			free(v);
		} else {
			check(nv == 0 && v == NULL);
		}
	}
	{
		/* a router's change in two: the old text, lines inserted */
		const char *nt = sep ? sep + 5 : t;
		size_t nn = sep ? size - na - 5 : size, ml = 0, at = 0;
		char *mt = ro_ios_add_neighbors(t, na, nt, nn, &ml);
		if (mt) {
			check(ml > na && !mt[ml]);
			for (i = 0; i < ml && at < na; i++)
				if (mt[i] == t[at])
					at++;
			check(at == na); /* a subsequence */
			free(mt);
		}
		check(!ro_ios_add_neighbors(t, na, t, na, &ml));
	}
	rr_diags_init(&d);
	m[0] = state(t, na, &d);
	if (sep) {
		size_t nb = size - na - 5;
		m[1] = state(sep + 5, nb, &d);
		same = nb == na && !memcmp(t, sep + 5, na);
	} else {
		m[1] = state(t, size, &d);
	}
	if (m[0] && m[1] &&
	    ro_rehearse((const struct rr_model *const *)m, 2, &o, &r, &d) ==
	            0) {
		check(r.nsteps == 1 && r.steps[0].at_ms == r.converged_ms);
		check(r.end_ms >= r.converged_ms);
		check(r.nloss <= r.intervals && r.routes_lost <= r.intervals);
		check(r.nloss + r.loss_dropped == r.intervals);
		for (i = 0; i < r.nloss; i++) {
			const struct ro_loss *l = &r.loss[i];
			check(l->start_ms >= r.converged_ms);
			check(l->end_ms == SIM_NEVER ||
			      (l->end_ms >= l->start_ms && l->end_ms <= r.end_ms));
			check(l->node < r.nspeakers && l->cause);
		}
		for (i = 0, k = 0; i < r.nnodes; i++)
			k += r.nodes[i].routes;
		check(k == r.routes_lost);
		/* a step's waits began in it, after the error that set them */
		for (i = 0; i < r.nsteps; i++) {
			const struct ro_step *s = &r.steps[i];
			uint64_t until = i + 1 < r.nsteps ? r.steps[i + 1].at_ms
			                                  : r.end_ms;
			check(s->nwaits <= RO_MAX_WAITS);
			check(!s->waits_dropped || s->nwaits == RO_MAX_WAITS);
			for (k = 0; k < s->nwaits; k++) {
				const struct ro_wait *w = &s->waits[k];
				check(w->speaker < r.nspeakers && w->session);
				check(w->secs > 0 && w->count > 0);
				check(w->at_ms >= s->at_ms &&
				      w->at_ms <= until);
				check(w->error_ms <= w->at_ms);
				/* no reason: BIRD's delay kept from an
				 * earlier error */
				check(w->why || (w->bird && w->forget_s &&
				                 w->error_ms < w->at_ms));
				check(w->bird == (w->forget_s != 0));
			}
		}
		if (same) {
			check(r.steps[0].nchanges == 0);
			check(r.routes_lost == 0 && r.loss_ms == 0);
		}
		ro_result_release(&r);
	}
	rr_model_free(m[0]);
	rr_model_free(m[1]);
	rr_diags_release(&d);
	return 0;
}
