/*
 * What the CI report writers share: the findings of a run picked out of
 * the diagnostics and sorted, their strings made valid UTF-8 (JSON, XML
 * 1.0 and SARIF consumers all reject anything else), the rule lookup, and
 * the hash used for fingerprints.
 */
#include "cli/report_ci.h"

#include <stdlib.h>
#include <string.h>

bool
rci_is_error(enum rr_sev sev)
{
	return sev >= RR_SEV_ERROR;
}

const char *
rci_level(enum rr_sev sev)
{
	if (sev >= RR_SEV_ERROR)
		return "error";
	return sev == RR_SEV_WARNING ? "warning" : "note";
}

static int
rule_cmp(const void *key, const void *elem)
{
	const struct report_rule *r = elem;
	return strcmp(key, r->id);
}

const struct report_rule *
rci_rule(const struct report_ctx *c, const char *id)
{
	const struct report_rule *r;
	size_t i;

	if (!id || !c->rules || !c->nrules)
		return NULL;
	r = bsearch(id, c->rules, c->nrules, sizeof(c->rules[0]), rule_cmp);
	/* a table that is not sorted after all still works, slower */
	for (i = 0; !r && i < c->nrules; i++)
		if (!strcmp(c->rules[i].id, id))
			r = &c->rules[i];
	return r;
}

/*
 * Length of the character at p (1..4) when it is well-formed UTF-8
 * (rr_utf8_len) and a character XML 1.0 allows (§2.2: no C0 control but
 * tab, LF and CR, no U+FFFE or U+FFFF); 0 otherwise.
 */
static size_t
good_char(const unsigned char *p)
{
	unsigned char c = p[0];

	if (c < 0x80)
		return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1
		                                                          : 0;
	if (c == 0xef && p[1] == 0xbf && p[2] >= 0xbe)
		return 0; /* U+FFFE, U+FFFF */
	return rr_utf8_len((const char *)p);
}

const char *
rci_clean(struct rr_arena *a, const char *s)
{
	const unsigned char *p;
	char *out, *o;
	size_t k;

	if (!s)
		return NULL;
	for (p = (const unsigned char *)s; *p; p += k)
		if (!(k = good_char(p)))
			break;
	if (!*p)
		return s;
	/* each bad byte becomes 3 bytes (U+FFFD) */
	out = rr_arena_alloc(a, strlen(s) * 3 + 1);
	o = out;
	for (p = (const unsigned char *)s; *p;) {
		if ((k = good_char(p))) {
			memcpy(o, p, k);
			o += k;
			p += k;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	return out;
}

const char *
rci_short(struct rr_arena *a, const char *msg, size_t max)
{
	size_t n = strcspn(msg, "\r\n");
	char *out;

	if (n <= max && !msg[n])
		return msg;
	if (n > max) {
		n = max;
		/* back to the start of a character */
		while (n > 0 && ((unsigned char)msg[n] & 0xc0) == 0x80)
			n--;
	}
	out = rr_arena_alloc(a, n + 4);
	memcpy(out, msg, n);
	while (n > 0 && out[n - 1] == ' ')
		n--;
	memcpy(out + n, "...", 4);
	return out;
}

const char *
rci_path(const char *path)
{
	if (!path)
		return NULL;
	while (path[0] == '.' && path[1] == '/') {
		path += 2;
		while (*path == '/')
			path++;
	}
	return path;
}

uint64_t
rci_fnv(uint64_t h, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

int
rci_write(FILE *f, const char *p, size_t n)
{
	if (n && fwrite(p, 1, n, f) != n)
		return -1;
	if (fflush(f) != 0 || ferror(f))
		return -1;
	return 0;
}

static int
str_cmp(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return a ? -1 : 1; /* no file sorts last */
	return strcmp(a, b);
}

/* file, line, column, rule, message, then the order of recording */
static int
finding_cmp(const void *x, const void *y)
{
	const struct rci_finding *a = x, *b = y;
	const struct rr_loc *la = &a->g->loc, *lb = &b->g->loc;
	int c;

	if ((c = str_cmp(la->file, lb->file)))
		return c;
	if (la->line != lb->line)
		return la->line < lb->line ? -1 : 1;
	if (la->col != lb->col)
		return la->col < lb->col ? -1 : 1;
	if ((c = strcmp(a->g->rule, b->g->rule)))
		return c;
	if ((c = strcmp(a->msg, b->msg)))
		return c;
	return a->g < b->g ? -1 : a->g > b->g;
}

/* The message with runs of white space made one space, ends trimmed,
 * and without the counts lint appends: " (1 session down, 4 routes
 * missing)" on a finding of the analysis. */
static const char *
what_of(struct rr_arena *a, const struct rr_diag *g, const char *msg)
{
	size_t n = strlen(msg), o = 0, i;
	char *out = rr_arena_alloc(a, n + 1);
	bool space = false;

	if ((g->sessions || g->routes) && n && msg[n - 1] == ')') {
		const char *open = NULL, *p;
		for (p = msg; (p = strstr(p, " (")); p++)
			open = p;
		if (open && open[2] >= '0' && open[2] <= '9')
			n = (size_t)(open - msg);
	}
	for (i = 0; i < n; i++) {
		char ch = msg[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = o > 0;
			continue;
		}
		if (space)
			out[o++] = ' ';
		out[o++] = ch;
		space = false;
	}
	out[o] = '\0';
	return out;
}

void
rci_identity(struct rr_arena *a, struct rci_finding *f)
{
	const char *file = f->file ? rci_path(f->file) : "";
	uint64_t h = RCI_FNV_INIT;

	f->what = what_of(a, f->g, f->msg);
	h = rci_fnv(h, f->g->rule, strlen(f->g->rule) + 1);
	h = rci_fnv(h, file, strlen(file) + 1);
	f->id = rci_fnv(h, f->what, strlen(f->what));
}

static int
id_cmp(const void *x, const void *y)
{
	const struct rci_finding *const *a = x, *const *b = y;
	if ((*a)->id != (*b)->id)
		return (*a)->id < (*b)->id ? -1 : 1;
	return *a < *b ? -1 : *a > *b; /* location order: s->v is sorted */
}

/* nth and the fingerprint of every finding of a sorted set */
static void
number(struct rci_set *s)
{
	struct rci_finding **k = rr_arena_calloc(&s->arena, s->n + 1, sizeof(*k));
	size_t i;
	unsigned nth = 0;

	for (i = 0; i < s->n; i++)
		k[i] = &s->v[i];
	if (s->n > 1)
		qsort(k, s->n, sizeof(*k), id_cmp);
	for (i = 0; i < s->n; i++) {
		nth = i && k[i]->id == k[i - 1]->id ? nth + 1 : 1;
		k[i]->nth = nth;
		k[i]->fingerprint = rr_arena_printf(
		        &s->arena, "%016llx:%u", (unsigned long long)k[i]->id,
		        nth);
	}
}

void
rci_collect(struct rci_set *s, const struct report_ctx *c)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	rr_arena_init(&s->arena);
	for (i = 0; c->d && i < c->d->n; i++) {
		const struct rr_diag *g = &c->d->v[i];
		struct rci_finding *f;

		if (!g->rule || g->sev < RR_SEV_WARNING)
			continue;
		f = RR_PUSH(&s->arena, s->v, s->n, s->cap);
		f->g = g;
		f->rule = rci_rule(c, g->rule);
		f->file = rci_clean(&s->arena, g->loc.file);
		f->msg = rci_clean(&s->arena, g->msg ? g->msg : "");
		rci_identity(&s->arena, f);
		if (rci_is_error(g->sev))
			s->errors++;
		else
			s->warnings++;
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(s->v[0]), finding_cmp);
	number(s);
}

void
rci_release(struct rci_set *s)
{
	rr_arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}
