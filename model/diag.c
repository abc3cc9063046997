/*
 * The diagnostic sink: findings and input errors with their locations.
 * Library code never prints; it adds diagnostics here and cli/ renders them.
 */
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

#define DIAG_DEFAULT_LIMIT 10000

void
rr_diags_init(struct rr_diags *d)
{
	memset(d, 0, sizeof(*d));
	rr_arena_init(&d->arena);
}

void
rr_diags_release(struct rr_diags *d)
{
	rr_arena_release(&d->arena);
	memset(d, 0, sizeof(*d));
}

struct rr_diag *
rr_diag_vadd(struct rr_diags *d, enum rr_sev sev, const char *rule,
	     const struct rr_loc *loc, const char *fmt, va_list ap)
{
	size_t limit = d->limit ? d->limit : DIAG_DEFAULT_LIMIT;
	struct rr_diag *g;

	d->count[sev]++;
	if (d->n >= limit && sev != RR_SEV_FATAL) {
		d->dropped++;
		memset(&d->overflow, 0, sizeof(d->overflow));
		return &d->overflow;
	}
	g = RR_PUSH(&d->arena, d->v, d->n, d->cap);
	g->sev = sev;
	g->rule = rule;
	if (loc)
		g->loc = *loc;
	g->msg = rr_arena_vprintf(&d->arena, fmt, ap);
	return g;
}

struct rr_diag *
rr_diag_add(struct rr_diags *d, enum rr_sev sev, const char *rule,
	    const struct rr_loc *loc, const char *fmt, ...)
{
	va_list ap;
	struct rr_diag *g;

	va_start(ap, fmt);
	g = rr_diag_vadd(d, sev, rule, loc, fmt, ap);
	va_end(ap);
	return g;
}

void
rr_diag_note(struct rr_diags *d, struct rr_diag *g, const struct rr_loc *loc,
	     const char *fmt, ...)
{
	va_list ap;
	struct rr_diag_note *n;

	if (!g->msg) /* the overflow sink */
		return;
	n = RR_PUSH(&d->arena, g->notes, g->nnotes, g->capnotes);
	if (loc)
		n->loc = *loc;
	va_start(ap, fmt);
	n->msg = rr_arena_vprintf(&d->arena, fmt, ap);
	va_end(ap);
}

void
rr_diags_add_source(struct rr_diags *d, const char *path, const char *text,
		    size_t len)
{
	struct rr_source *s = RR_PUSH(&d->arena, d->src, d->nsrc, d->capsrc);
	s->path = path;
	s->text = text;
	s->len = len;
}

const struct rr_source *
rr_diags_source(const struct rr_diags *d, const char *path)
{
	size_t i;
	if (!path)
		return NULL;
	for (i = d->nsrc; i-- > 0;)
		if (d->src[i].path == path || !strcmp(d->src[i].path, path))
			return &d->src[i];
	return NULL;
}

bool
rr_diags_has_fatal(const struct rr_diags *d)
{
	return d->count[RR_SEV_FATAL] > 0;
}

static int
loc_cmp(const struct rr_loc *a, const struct rr_loc *b)
{
	int c;
	if (a->file != b->file) {
		if (!a->file || !b->file)
			return a->file ? 1 : -1;
		c = strcmp(a->file, b->file);
		if (c)
			return c;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	return 0;
}

struct keyed {
	struct rr_diag g;
	size_t pos;
};

static int
keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = loc_cmp(&x->g.loc, &y->g.loc);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void
rr_diags_sort(struct rr_diags *d)
{
	struct keyed *k;
	size_t i;

	if (d->n < 2)
		return;
	k = rr_xcalloc(d->n, sizeof(*k));
	for (i = 0; i < d->n; i++) {
		k[i].g = d->v[i];
		k[i].pos = i;
	}
	qsort(k, d->n, sizeof(*k), keyed_cmp); /* stable by pos */
	for (i = 0; i < d->n; i++)
		d->v[i] = k[i].g;
	free(k);
}
