/*
 * Helpers of the IOS reader's unit tests (include after <cmocka.h> and
 * tfixture.h): parse inline text, find neighbors and interfaces, assert
 * diagnostics by severity, rule and line:col.
 */
#ifndef RR_TESTS_TIOS_H
#define RR_TESTS_TIOS_H

#include <string.h>

#include "parsers/parsers.h"

/* Parse `text` as one file; returns the speaker. */
static inline struct rr_speaker *
pio(struct fx *f, const char *text)
{
	size_t n = f->m->nspeakers;
	assert_int_equal(parse_ios(f->m, "t.ios", text, strlen(text), &f->d),
	                 0);
	assert_int_equal(f->m->nspeakers, n + 1);
	return f->m->speakers[n];
}

static inline void
dump(const struct fx *f)
{
	size_t i;
	for (i = 0; i < f->d.n; i++)
		print_message(
		        "  diag %u:%u sev %d [%s] %s\n", f->d.v[i].loc.line,
		        f->d.v[i].loc.col, f->d.v[i].sev,
		        f->d.v[i].rule ? f->d.v[i].rule : "-", f->d.v[i].msg);
}

static inline size_t
ndiags(const struct fx *f)
{
	return f->d.count[RR_SEV_WARNING] + f->d.count[RR_SEV_ERROR] +
	       f->d.count[RR_SEV_FATAL];
}

#define NO_DIAGS(f)                                                            \
	do {                                                                   \
		if (ndiags(f)) {                                               \
			dump(f);                                               \
			fail_msg("unexpected diagnostics");                    \
		}                                                              \
	} while (0)

/* A diagnostic of `sev`/`rule` at line:col (col 0: any column). */
static inline bool
has_diag(const struct fx *f, enum rr_sev sev, const char *rule, uint32_t line,
         uint32_t col)
{
	size_t i;
	for (i = 0; i < f->d.n; i++) {
		const struct rr_diag *g = &f->d.v[i];
		if (g->sev != sev)
			continue;
		if (rule && (!g->rule || strcmp(g->rule, rule)))
			continue;
		if (!rule && g->rule)
			continue;
		if (g->loc.line == line && (!col || g->loc.col == col))
			return true;
	}
	return false;
}

#define WANT_DIAG(f, sev, rule, line, col)                                     \
	do {                                                                   \
		if (!has_diag((f), (sev), (rule), (line), (col))) {            \
			dump(f);                                               \
			fail_msg("no diagnostic [%s] at %u:%u",                \
			         (rule) ? (rule) : "-", (unsigned)(line),      \
			         (unsigned)(col));                             \
		}                                                              \
	} while (0)

static inline const char *
astr(const struct rr_addr *a)
{
	static char buf[RR_ADDR_STRLEN];
	return rr_addr_str(a, buf);
}

static inline const char *
pstr(const struct rr_prefix *p)
{
	static char buf[RR_PREFIX_STRLEN];
	return rr_prefix_str(p, buf);
}

/* The neighbor for `peer` (address or range prefix) in `vrf`. */
static inline const struct rr_neighbor *
nbv(const struct rr_speaker *s, const char *peer, const char *vrf)
{
	size_t i;
	for (i = 0; i < s->nneighbors; i++) {
		const struct rr_neighbor *n = &s->neighbors[i];
		const char *t = n->is_range ? pstr(&n->range) : astr(&n->peer);
		if (strcmp(t, peer))
			continue;
		if ((vrf == NULL) != (n->vrf == NULL))
			continue;
		if (vrf && strcmp(vrf, n->vrf))
			continue;
		return n;
	}
	fail_msg("no neighbor %s", peer);
	return NULL;
}

static inline const struct rr_neighbor *
nb(const struct rr_speaker *s, const char *peer)
{
	return nbv(s, peer, NULL);
}

static inline const struct rr_iface *
iface(const struct rr_speaker *s, const char *canon)
{
	size_t i;
	for (i = 0; i < s->nifaces; i++)
		if (!strcmp(s->ifaces[i].canon, canon))
			return &s->ifaces[i];
	fail_msg("no interface %s", canon);
	return NULL;
}

#endif
