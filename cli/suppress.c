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

/* The line of `text` starting at `p` (its '\n' not included). */
static struct line
line_at(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	struct line l = {p, (size_t)((nl ? nl : end) - p)};
	return l;
}

/* The line before the one starting at `p` (`p` > `text`). */
static struct line
line_before(const char *text, const char *p)
{
	const char *b = p - 1; /* its '\n' */
	while (b > text && b[-1] != '\n')
		b--;
	return (struct line){b, (size_t)(p - 1 - b)};
}

/* What one line `l` (index `i`) holding "rrkit" suppresses. */
static void
scan_line(struct supps *s, const struct rr_source *src, struct line l,
	  uint32_t i)
{
	const char *text = src->text, *end = text + src->len;
	const char *b = skip_ws(l.p, l.p + l.n), *e = l.p + l.n, *h, *list;

	if (b < e && (*b == '!' || *b == '#')) {
		/* a comment line: covers the next line of code */
		const char *q = e < end ? e + 1 : end;
		uint32_t j = i + 1;
		struct line nx;
		if (!(list = marker(&s->a, b + 1, e)))
			return;
		for (; q < end; j++) {
			nx = line_at(q, end);
			if (!is_comment(&nx) && !blank(&nx))
				break;
			q = nx.p + nx.n + (nx.p + nx.n < end);
		}
		if (q < end)
			add(s, src->path, i + 1, j + 1, j + 1, list);
		else
			add(s, src->path, i + 1, 0, 0, list);
		return;
	}
	if ((h = memchr(b, '#', (size_t)(e - b))) &&
	    (list = marker(&s->a, h + 1, e))) {
		add(s, src->path, i + 1, i + 1, i + 1, list);
		return;
	}
	if ((list = annotation(&s->a, &l))) {
		/* from the line starting its resource to the line before the
		 * next one */
		uint32_t first = i, last = i + 1;
		struct line c = l;
		const char *q = e < end ? e + 1 : end;
		while (first > 0 && !starts_resource(&c)) {
			c = line_before(text, c.p);
			first--;
		}
		while (q < end) {
			c = line_at(q, end);
			if (starts_resource(&c))
				break;
			last++;
			q = c.p + c.n + (c.p + c.n < end);
		}
		add(s, src->path, i + 1, first + 1, last, list);
	}
}

/*
 * Every suppression of a source.  Only a line holding "rrkit" can hold
 * one (a marker "rrkit:", an annotation "rrkit.io/disable"): those are
 * found with memchr and read; the rest of the text is not split in lines.
 */
static void
scan_source(struct supps *s, const struct rr_source *src)
{
	const char *text = src->text, *end = text + src->len;
	const char *p = text, *cur = text, *k;
	uint32_t i = 0; /* the index of the line starting at `cur` */

	while (p < end && (k = memchr(p, 'k', (size_t)(end - p)))) {
		const char *nl;
		struct line l;
		if (k - text < 2 || end - k < 3 || memcmp(k - 2, "rrkit", 5)) {
			p = k + 1;
			continue;
		}
		while ((nl = memchr(cur, '\n', (size_t)(k - cur)))) {
			cur = nl + 1;
			i++;
		}
		l = line_at(cur, end);
		scan_line(s, src, l, i);
		p = l.p + l.n; /* the next line: its '\n' is counted above */
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

/* The suppressions covering lines, sorted by file and first line; each
 * with the furthest last line of its file's entries up to it, so a lookup
 * walks back only over entries that may still reach its line. */
struct span {
	const char *file;
	uint32_t first, last, reach;
	uint32_t i; /* in supps.v */
};

static int
cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int c = x->file == y->file ? 0 : strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static struct span *
spans(struct supps *s, size_t *n)
{
	struct span *v = rr_arena_alloc(&s->a, (s->n + 1) * sizeof(*v));
	size_t i, k = 0;

	for (i = 0; i < s->n; i++)
		if (s->v[i].first)
			v[k++] = (struct span){s->v[i].file, s->v[i].first,
					       s->v[i].last, 0, (uint32_t)i};
	qsort(v, k, sizeof(*v), cmp_span);
	for (i = 0; i < k; i++) {
		bool same = i && (v[i].file == v[i - 1].file ||
				  !strcmp(v[i].file, v[i - 1].file));
		v[i].reach = same && v[i - 1].reach > v[i].last ? v[i - 1].reach
							       : v[i].last;
	}
	*n = k;
	return v;
}

/* Mark what covers `l` for `rule`; whether anything did. */
static bool
cover(struct supps *s, const struct span *v, size_t n, const struct rr_loc *l,
      const char *rule)
{
	size_t lo = 0, hi = n;
	bool hit = false;

	if (!l->file || !l->line)
		return false;
	while (lo < hi) { /* the first entry past (file, line) */
		size_t mid = lo + (hi - lo) / 2;
		int c = v[mid].file == l->file ? 0 : strcmp(v[mid].file, l->file);
		if (c < 0 || (c == 0 && v[mid].first <= l->line))
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo-- > 0) {
		const struct span *x = &v[lo];
		int it;
		if (x->file != l->file && strcmp(x->file, l->file))
			break;
		if (x->reach < l->line)
			break;
		if (x->last < l->line || (it = item(&s->v[x->i], rule)) < 0)
			continue;
		s->v[x->i].used[it] = true;
		hit = true;
	}
	return hit;
}

size_t
suppress_apply(struct rr_diags *fd, const struct report_rule *rules,
               size_t nrules)
{
	struct supps s;
	struct span *v;
	bool *drop;
	size_t i, k, nv, dropped = 0, n = fd->n;

	memset(&s, 0, sizeof(s));
	rr_arena_init(&s.a);
	for (i = 0; i < fd->nsrc; i++)
		if (fd->src[i].text)
			scan_source(&s, &fd->src[i]);
	v = spans(&s, &nv);
	drop = rr_arena_calloc(&s.a, n + 1, sizeof(*drop));
	for (i = 0; nv && i < n; i++) {
		const struct rr_diag *g = &fd->v[i];
		bool hit;
		if (!g->rule || g->sev < RR_SEV_WARNING)
			continue;
		hit = cover(&s, v, nv, &g->loc, g->rule);
		for (k = 0; k < g->nnotes; k++)
			hit |= cover(&s, v, nv, &g->notes[k].loc, g->rule);
		if (hit) {
			drop[i] = true;
			dropped++;
		}
	}
	if (dropped)
		policy_compact(fd, drop);
	report_unused(fd, &s, rules, nrules);
	rr_arena_release(&s.a);
	return dropped;
}
