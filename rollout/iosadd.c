/*
 * The "new neighbors" half of a router's change (rollout.h,
 * ro_ios_add_neighbors): the old IOS text with the lines of the neighbors
 * the new text adds (and its new `bgp listen range` lines) inserted in
 * the sections they have in the new text, so that a router whose change
 * both adds and removes neighbors can be applied make-before-break: the
 * new neighbors first, the removals once they are Established.
 *
 * Sections as IOS nests them (Cisco IOS "BGP configuration" guide:
 * `router bgp`, then `address-family ...` up to `exit-address-family`):
 * a line belongs to the nearest line above it that is indented less.  A
 * line is inserted at the end of its section's own lines, before the
 * section's first subsection (`neighbor X remote-as` before the
 * address families that activate X, as IOS wants it typed).
 */
#include "rollout/rollout.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8          /* nested sections followed */
#define MAX_LINES (1u << 22) /* beyond: not split */

struct ln {
	const char *p; /* content, indentation and trailing blanks off */
	size_t n;
	unsigned ind;
	bool content;  /* not blank, comment, `end`, `exit-address-family` */
	bool header;   /* some content line has it as parent */
	int32_t parent; /* the section it is in, -1: top level */
	uint64_t path;  /* hash of the parents' contents and its own */
};

struct text {
	struct ln *v;
	size_t n;
	uint32_t *tab; /* content lines by (parent path, content) */
	size_t cap;
};

static uint64_t
fnv(uint64_t h, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull;
}

static bool
eq(const char *a, size_t na, const char *b, size_t nb)
{
	return na == nb && !memcmp(a, b, na);
}

static bool
is(const struct ln *l, const char *s)
{
	return eq(l->p, l->n, s, strlen(s));
}

/* the lines of t, their sections as config lines nest them; false when
 * too many */
static bool
lines(struct text *t, const char *s, size_t len)
{
	const char *p = s, *e = s + len;
	int32_t stk[MAX_DEPTH];
	size_t nstk = 0, cap = 0;

	memset(t, 0, sizeof(*t));
	while (p < e) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e, *q = p;
		struct ln *l;
		if (t->n == MAX_LINES)
			return false;
		if (t->n == cap) {
			cap = cap ? cap * 2 : 256;
			t->v = rr_xrealloc(t->v, cap * sizeof(*t->v));
		}
		l = &t->v[t->n];
		memset(l, 0, sizeof(*l));
		while (q < le && *q == ' ')
			q++;
		l->ind = (unsigned)(q - p);
		while (le > q && (le[-1] == '\r' || le[-1] == ' '))
			le--;
		l->p = q;
		l->n = (size_t)(le - q);
		l->parent = -1;
		l->content = l->n && *q != '!' && !is(l, "end") &&
		             !is(l, "exit-address-family");
		if (l->content) {
			while (nstk && t->v[stk[nstk - 1]].ind >= l->ind)
				nstk--;
			l->parent = nstk ? stk[nstk - 1] : -1;
			if (l->parent >= 0)
				t->v[l->parent].header = true;
			l->path = fnv(l->parent >= 0 ? t->v[l->parent].path
			                             : 1469598103934665603ull,
			              l->p, l->n);
			if (nstk < MAX_DEPTH)
				stk[nstk++] = (int32_t)t->n;
		}
		t->n++;
		p = nl ? nl + 1 : e;
	}
	return true;
}

/* the same contents from the top down to a and b */
static bool
same_path(const struct text *ta, int32_t a, const struct text *tb,
          int32_t b)
{
	while (a >= 0 && b >= 0) {
		const struct ln *x = &ta->v[a], *y = &tb->v[b];
		if (x->path != y->path || !eq(x->p, x->n, y->p, y->n))
			return false;
		a = x->parent;
		b = y->parent;
	}
	return a < 0 && b < 0;
}

/* the slot of a line with l's path in t (empty: UINT32_MAX) */
static size_t
slot(const struct text *t, const struct text *lt, int32_t li)
{
	size_t i = (size_t)(lt->v[li].path ^ lt->v[li].path >> 29) &
	           (t->cap - 1);

	for (; t->tab[i] != UINT32_MAX; i = (i + 1) & (t->cap - 1))
		if (same_path(t, (int32_t)t->tab[i], lt, li))
			break;
	return i;
}

static void
index_lines(struct text *t)
{
	size_t i;

	for (t->cap = 64; t->cap < 2 * t->n + 2; t->cap *= 2)
		;
	t->tab = rr_xrealloc(NULL, t->cap * sizeof(*t->tab));
	memset(t->tab, 0xff, t->cap * sizeof(*t->tab));
	for (i = 0; i < t->n; i++) {
		size_t k;
		if (!t->v[i].content)
			continue;
		k = slot(t, t, (int32_t)i);
		if (t->tab[k] == UINT32_MAX)
			t->tab[k] = (uint32_t)i; /* the first of a repeated one */
	}
}

/* the line of t with the path of lt's line li, -1: none */
static int32_t
find(const struct text *t, const struct text *lt, int32_t li)
{
	uint32_t k = t->tab[slot(t, lt, li)];

	return k == UINT32_MAX ? -1 : (int32_t)k;
}

/* "neighbor X " or "no neighbor X ": X's bytes */
static bool
nb_of(const struct ln *l, const char **x, size_t *nx)
{
	const char *p = l->p, *e = l->p + l->n, *sp;

	if (l->n > 3 && !memcmp(p, "no ", 3))
		p += 3;
	if (e - p < 10 || memcmp(p, "neighbor ", 9))
		return false;
	p += 9;
	sp = memchr(p, ' ', (size_t)(e - p));
	if (!sp || sp == p)
		return false;
	*x = p;
	*nx = (size_t)(sp - p);
	return true;
}

/* whether the line is within `router bgp` */
static bool
in_bgp(const struct text *t, int32_t i)
{
	while (t->v[i].parent >= 0)
		i = t->v[i].parent;
	return t->v[i].n > 11 && !memcmp(t->v[i].p, "router bgp ", 11);
}

/* the neighbor names of t's `neighbor X ...` lines, a set */
struct names {
	const char **p;
	size_t *n;
	size_t cap;
};

static size_t
name_slot(const struct names *s, const char *x, size_t nx)
{
	size_t i = (size_t)fnv(7, x, nx) & (s->cap - 1);

	for (; s->p[i]; i = (i + 1) & (s->cap - 1))
		if (eq(s->p[i], s->n[i], x, nx))
			break;
	return i;
}

static void
names_of(struct names *s, const struct text *t)
{
	size_t i, k, nx;
	const char *x;

	for (s->cap = 64; s->cap < 2 * t->n + 2; s->cap *= 2)
		;
	s->p = rr_xcalloc(s->cap, sizeof(*s->p));
	s->n = rr_xcalloc(s->cap, sizeof(*s->n));
	for (i = 0; i < t->n; i++)
		if (t->v[i].content && nb_of(&t->v[i], &x, &nx)) {
			k = name_slot(s, x, nx);
			s->p[k] = x;
			s->n[k] = nx;
		}
}

/* where a line of section h goes: after its own lines, before its first
 * subsection or the line that ends it */
static size_t
insert_at(const struct text *t, int32_t h)
{
	size_t i;

	for (i = (size_t)h + 1; i < t->n; i++) {
		const struct ln *l = &t->v[i];
		if (!l->n)
			continue;
		if (l->ind <= t->v[h].ind)
			return i; /* the section ends (or a comment at its level) */
		if (l->content && l->parent == h && l->header)
			return i;
	}
	return t->n;
}

char *
ro_ios_add_neighbors(const char *old, size_t olen, const char *new_,
                     size_t nlen, size_t *outlen)
{
	struct text a, b;
	struct names na = {0};
	size_t i, nadd = 0, len = 0, cap;
	bool other = false;
	size_t *at = NULL, *head = NULL, *next = NULL, *ind = NULL, *ins = NULL;
	char *out = NULL;

	*outlen = 0;
	if (!lines(&a, old, olen) || !lines(&b, new_, nlen)) {
		free(a.v);
		free(b.v);
		return NULL;
	}
	index_lines(&a);
	index_lines(&b);
	names_of(&na, &a);
	at = rr_xcalloc(b.n + 1, sizeof(*at));
	/* each section's insertion point, found once (a scan per line added
	 * was quadratic in a 5,000-neighbor router) */
	ins = rr_xcalloc(a.n + 1, sizeof(*ins));
	ind = rr_xcalloc(b.n + 1, sizeof(*ind));
	/* the new text's lines: a new neighbor's (or listen range) to
	 * insert, or another difference */
	for (i = 0; i < b.n; i++) {
		const struct ln *l = &b.v[i];
		const char *x;
		size_t nx;
		int32_t h;
		bool add;
		at[i] = SIZE_MAX;
		if (!l->content || l->header || find(&a, &b, (int32_t)i) >= 0)
			continue;
		add = l->parent >= 0 && in_bgp(&b, (int32_t)i) &&
		      ((nb_of(l, &x, &nx) && !na.p[name_slot(&na, x, nx)]) ||
		       (l->n > 17 && !memcmp(l->p, "bgp listen range ", 17)));
		if (!add) {
			other = true;
			continue;
		}
		h = find(&a, &b, l->parent);
		if (h < 0)
			goto none; /* its section is new too: not split */
		if (!ins[h])
			ins[h] = insert_at(&a, h) + 1;
		at[i] = ins[h] - 1;
		ind[i] = a.v[h].ind + (l->ind > b.v[l->parent].ind
		                               ? l->ind - b.v[l->parent].ind
		                               : 1);
		nadd++;
	}
	for (i = 0; i < a.n && !other; i++)
		other = a.v[i].content && find(&b, &a, (int32_t)i) < 0;
	if (!nadd || !other)
		goto none;
	/* the old text with the lines inserted, in the new text's order */
	head = rr_xcalloc(a.n + 1, sizeof(*head));
	next = rr_xcalloc(b.n + 1, sizeof(*next));
	for (i = b.n; i-- > 0;)
		if (at[i] != SIZE_MAX) {
			next[i] = head[at[i]];
			head[at[i]] = i + 1;
		}
	cap = olen + 2;
	for (i = 0; i < b.n; i++)
		if (at[i] != SIZE_MAX)
			cap += ind[i] + b.v[i].n + 1;
	out = rr_xrealloc(NULL, cap + 1);
	for (i = 0; i <= a.n; i++) {
		size_t k;
		for (k = head[i]; k; k = next[k - 1]) {
			const struct ln *l = &b.v[k - 1];
			if (len && out[len - 1] != '\n')
				out[len++] = '\n';
			memset(out + len, ' ', ind[k - 1]);
			len += ind[k - 1];
			memcpy(out + len, l->p, l->n);
			len += l->n;
			out[len++] = '\n';
		}
		if (i < a.n) {
			const char *s = a.v[i].p - a.v[i].ind;
			const char *e = i + 1 < a.n ? a.v[i + 1].p - a.v[i + 1].ind
			                            : old + olen;
			memcpy(out + len, s, (size_t)(e - s));
			len += (size_t)(e - s);
		}
	}
	out[len] = 0;
	*outlen = len;
none:
	free(a.v);
	free(b.v);
	free(a.tab);
	free(b.tab);
	free(na.p);
	free(na.n);
	free(at);
	free(ind);
	free(ins);
	free(head);
	free(next);
	return out;
}
