/*
 * Inline suppressions, read from the inputs' text the diagnostics sink
 * keeps (cli/policy.h):
 *
 *   ! rrkit: disable=as-mismatch              IOS: covers the next line
 *   # rrkit: disable=as-mismatch,port-mismatch  YAML: a line of its own
 *                                             covers the next line; at
 *                                             the end of a line, that line
 *   rrkit.io/disable: "as-mismatch"           an annotation: covers the
 *                                             resource it is written in
 *
 * "all" stands for every rule.  A finding is covered when its location or
 * the location of one of its notes (the other side of a mismatch) is a
 * covered line, so whoever owns either side can accept it.  Comment lines
 * stack: a suppression covers the first line after it that is not a
 * comment.  A suppression that covers no finding of a rule that ran is
 * reported, as a warning without a rule id (it does not fail the run).
 *
 * An annotation's resource is found in the text: from the nearest line
 * above it that starts a resource ("---", or "apiVersion:" as the first
 * key of a document or a list item, as kubectl and calicoctl write them)
 * to the next one.
 */
#include "cli/policy.h"

#include <stdlib.h>
#include <string.h>

#define ANNOTATION "rrkit.io/disable:"

struct supp {
	const char *file;
	uint32_t at;          /* where it is written */
	uint32_t first, last; /* the lines it covers */
	const char *list;     /* "a,b" (in the arena) */
	bool *used;           /* per item of the list */
	size_t nitems;
};

struct supps {
	struct rr_arena a;
	struct supp *v;
	size_t n, cap;
};

struct line {
	const char *p;
	size_t n;
};

static const char *
skip_ws(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	return s;
}

/* "rrkit:" then "disable=" then the list, from s; the list, or NULL */
static const char *
marker(struct rr_arena *a, const char *s, const char *e)
{
	const char *l;
	size_t n;

	s = skip_ws(s, e);
	if ((size_t)(e - s) < 6 || memcmp(s, "rrkit:", 6))
		return NULL;
	s = skip_ws(s + 6, e);
	if ((size_t)(e - s) < 8 || memcmp(s, "disable=", 8))
		return NULL;
	l = s + 8;
	for (n = 0; l + n < e && (l[n] == ',' || l[n] == '-' ||
	                          (l[n] >= 'a' && l[n] <= 'z') ||
	                          (l[n] >= '0' && l[n] <= '9'));
	     n++)
		;
	return n ? rr_arena_printf(a, "%.*s", (int)n, l) : NULL;
}

static bool
is_comment(const struct line *l)
{
	const char *s = skip_ws(l->p, l->p + l->n);
	return s < l->p + l->n && (*s == '!' || *s == '#');
}

static bool
blank(const struct line *l)
{
	return skip_ws(l->p, l->p + l->n) == l->p + l->n;
}

/* A line that starts a resource: "---", "apiVersion:" or "- apiVersion:" */
static bool
starts_resource(const struct line *l)
{
	const char *s = l->p, *e = l->p + l->n;
	if (l->n >= 3 && !memcmp(s, "---", 3))
		return true;
	s = skip_ws(s, e);
	if (s < e && *s == '-') {
		s = skip_ws(s + 1, e);
	} else if (s != l->p) {
		return false; /* an indented key belongs to something above */
	}
	return (size_t)(e - s) >= 11 && !memcmp(s, "apiVersion:", 11);
}

static void
add(struct supps *s, const char *file, uint32_t at, uint32_t first,
    uint32_t last, const char *list)
{
	struct supp *x = RR_PUSH(&s->a, s->v, s->n, s->cap);
	const char *c;

	x->file = file;
	x->at = at;
	x->first = first;
	x->last = last;
	x->list = list;
	x->nitems = 1;
	for (c = list; *c; c++)
		x->nitems += *c == ',';
	x->used = rr_arena_calloc(&s->a, x->nitems, sizeof(*x->used));
}

/* The annotation's value (quotes dropped), or NULL. */
static const char *
annotation(struct rr_arena *a, const struct line *l)
{
	const char *s = skip_ws(l->p, l->p + l->n), *e = l->p + l->n;
	size_t k = strlen(ANNOTATION), n;

	if (s < e && (*s == '"' || *s == '\'')) /* a quoted key */
		s++;
	if ((size_t)(e - s) < k || memcmp(s, ANNOTATION, k - 1))
		return NULL;
	s += k - 1;
	if (s < e && (*s == '"' || *s == '\''))
		s++;
	if (s >= e || *s != ':')
		return NULL;
	s = skip_ws(s + 1, e);
	if (s < e && (*s == '"' || *s == '\''))
		s++;
	for (n = 0; s + n < e && s[n] != '"' && s[n] != '\'' && s[n] != ' ' &&
	            s[n] != '#' && s[n] != '\r';
	     n++)
		;
	return n ? rr_arena_printf(a, "%.*s", (int)n, s) : NULL;
}

static void
scan_source(struct supps *s, const struct rr_source *src)
{
	struct line *ln = NULL;
	size_t n = 0, cap = 0, i, j;
	const char *p = src->text, *end = src->text + src->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct line *l = RR_PUSH(&s->a, ln, n, cap);
		l->p = p;
		l->n = (size_t)((nl ? nl : end) - p);
		p = nl ? nl + 1 : end;
	}
	for (i = 0; i < n; i++) {
		const char *b = skip_ws(ln[i].p, ln[i].p + ln[i].n);
		const char *e = ln[i].p + ln[i].n, *h, *list;
		if (b < e && (*b == '!' || *b == '#')) {
			/* a comment line: covers the next line of code */
			if (!(list = marker(&s->a, b + 1, e)))
				continue;
			for (j = i + 1; j < n && (is_comment(&ln[j]) || blank(&ln[j]));
			     j++)
				;
			if (j < n)
				add(s, src->path, (uint32_t)i + 1, (uint32_t)j + 1,
				    (uint32_t)j + 1, list);
			else
				add(s, src->path, (uint32_t)i + 1, 0, 0, list);
			continue;
		}
		if ((h = memchr(b, '#', (size_t)(e - b))) &&
		    (list = marker(&s->a, h + 1, e))) {
			add(s, src->path, (uint32_t)i + 1, (uint32_t)i + 1,
			    (uint32_t)i + 1, list);
			continue;
		}
		if ((list = annotation(&s->a, &ln[i]))) {
			size_t first = i, last = i + 1;
			while (first > 0 && !starts_resource(&ln[first]))
				first--;
			while (last < n && !starts_resource(&ln[last]))
				last++;
			add(s, src->path, (uint32_t)i + 1, (uint32_t)first + 1,
			    (uint32_t)last, list);
		}
	}
}

/* The index of `rule` in the list, "all" matching any; -1 */
static int
item(const struct supp *x, const char *rule)
{
	const char *c = x->list;
	size_t k = 0, n = strlen(rule);
	while (*c) {
		size_t m = strcspn(c, ",");
		if ((m == n && !memcmp(c, rule, n)) ||
		    (m == 3 && !memcmp(c, "all", 3)))
			return (int)k;
		c += m + (c[m] == ',');
		k++;
	}
	return -1;
}

static bool
covers(const struct supp *x, const struct rr_loc *l)
{
	/* lines first: the cheap test rules out nearly every pair */
	return l->file && l->line && x->first && l->line >= x->first &&
	       l->line <= x->last &&
	       (l->file == x->file || !strcmp(l->file, x->file));
}

/* Whether an item of a suppression names a rule that ran. */
static bool
ran(const char *it, size_t n, const struct report_rule *rules, size_t nrules)
{
	size_t i;
	if (n == 3 && !memcmp(it, "all", 3))
		return true;
	for (i = 0; i < nrules; i++)
		if (strlen(rules[i].id) == n && !memcmp(rules[i].id, it, n))
			return rules[i].checked;
	return true; /* an unknown id: say so below */
}

static bool
known(const char *it, size_t n, const struct report_rule *rules,
      size_t nrules)
{
	size_t i;
	if (n == 3 && !memcmp(it, "all", 3))
		return true;
	for (i = 0; i < nrules; i++)
		if (strlen(rules[i].id) == n && !memcmp(rules[i].id, it, n))
			return true;
	return false;
}

static void
report_unused(struct rr_diags *fd, const struct supps *s,
              const struct report_rule *rules, size_t nrules)
{
	size_t i, k;
	for (i = 0; i < s->n; i++) {
		const struct supp *x = &s->v[i];
		const char *c = x->list;
		struct rr_loc at = {x->file, x->at, 1};
		for (k = 0; k < x->nitems; k++) {
			size_t m = strcspn(c, ",");
			if (!known(c, m, rules, nrules))
				rr_diag_add(fd, RR_SEV_WARNING, NULL, &at,
				            "suppression of unknown rule '%.*s'",
				            (int)m, c);
			else if (!x->used[k] && ran(c, m, rules, nrules))
				rr_diag_add(fd, RR_SEV_WARNING, NULL, &at,
				            "suppression of '%.*s' suppresses "
				            "nothing: remove it",
				            (int)m, c);
			c += m + (c[m] == ',');
		}
	}
}

size_t
suppress_apply(struct rr_diags *fd, const struct report_rule *rules,
               size_t nrules)
{
	struct supps s;
	bool *drop;
	size_t i, j, k, dropped = 0, n = fd->n;

	memset(&s, 0, sizeof(s));
	rr_arena_init(&s.a);
	for (i = 0; i < fd->nsrc; i++)
		if (fd->src[i].text)
			scan_source(&s, &fd->src[i]);
	drop = rr_arena_calloc(&s.a, n + 1, sizeof(*drop));
	for (i = 0; s.n && i < n; i++) {
		const struct rr_diag *g = &fd->v[i];
		if (!g->rule || g->sev < RR_SEV_WARNING)
			continue;
		for (j = 0; j < s.n; j++) {
			int it = item(&s.v[j], g->rule);
			bool hit = it >= 0 && covers(&s.v[j], &g->loc);
			for (k = 0; it >= 0 && !hit && k < g->nnotes; k++)
				hit = covers(&s.v[j], &g->notes[k].loc);
			if (!hit)
				continue;
			s.v[j].used[it] = true;
			if (!drop[i])
				dropped++;
			drop[i] = true;
		}
	}
	if (dropped)
		policy_compact(fd, drop);
	report_unused(fd, &s, rules, nrules);
	rr_arena_release(&s.a);
	return dropped;
}
