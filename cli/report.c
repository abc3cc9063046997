/*
 * Text rendering of diagnostics, with the source line and a caret under
 * the column, as gcc and clang print them (netplan's error.c does the
 * same for YAML).  A
 * quoted line stops where a secret the parsers registered begins.
 */
#include "cli/report.h"

#include <stdlib.h>
#include <string.h>

/* Line start offsets of one source, built once per report (a 100 MB file
 * with thousands of findings must not be rescanned per finding). */
struct line_index {
	const struct rr_source *src;
	size_t *start;
	size_t n;
};

struct index_cache {
	struct line_index *v;
	size_t n;
};

static const struct line_index *
index_of(struct index_cache *c, const struct rr_source *s)
{
	struct line_index *li;
	size_t i, cap = 1024;

	for (i = 0; i < c->n; i++)
		if (c->v[i].src == s)
			return &c->v[i];
	c->v = rr_xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	li = &c->v[c->n++];
	li->src = s;
	li->n = 0;
	li->start = rr_xmalloc(cap * sizeof(size_t));
	li->start[li->n++] = 0;
	for (i = 0; i < s->len; i++) {
		if (s->text[i] != '\n')
			continue;
		if (li->n == cap) {
			cap *= 2;
			li->start = rr_xrealloc(li->start, cap * sizeof(size_t));
		}
		li->start[li->n++] = i + 1;
	}
	return li;
}

static void
cache_release(struct index_cache *c)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		free(c->v[i].start);
	free(c->v);
}

const char *
report_sev_name(enum rr_sev s)
{
	static const char *const names[] = {
		[RR_SEV_NOTE] = "note",
		[RR_SEV_WARNING] = "warning",
		[RR_SEV_ERROR] = "error",
		[RR_SEV_FATAL] = "error",
	};
	return names[s];
}

static const char *
sev_color(enum rr_sev s)
{
	switch (s) {
	case RR_SEV_NOTE:
		return "\033[1;36m";
	case RR_SEV_WARNING:
		return "\033[1;35m";
	default:
		return "\033[1;31m";
	}
}

/* Find line `line` (1-based) of a source; *len gets its length without EOL. */
static const char *
source_line(const struct rr_source *s, struct index_cache *c, uint32_t line,
	    size_t *len)
{
	const struct line_index *li = index_of(c, s);
	const char *p, *end = s->text + s->len, *nl;

	if (line == 0 || line > li->n)
		return NULL;
	p = s->text + li->start[line - 1];
	if (p > end)
		return NULL;
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (*len && p[*len - 1] == '\r')
		(*len)--;
	return p;
}

static void
print_loc(FILE *f, const struct rr_loc *loc, bool color)
{
	if (color)
		fputs("\033[1m", f);
	if (loc && loc->line && loc->file)
		fprintf(f, "%s:%u:%u: ", loc->file, (unsigned)loc->line,
			(unsigned)(loc->col ? loc->col : 1));
	else if (loc && loc->file)
		fprintf(f, "%s: ", loc->file);
	else
		fputs("rrkit: ", f);
	if (color)
		fputs("\033[0m", f);
}

static void
quote(FILE *f, const struct rr_diags *d, struct index_cache *c,
      const struct rr_loc *loc, bool color)
{
	const struct rr_source *s;
	const char *line;
	size_t len, i, shown, open;
	uint32_t col, secret;

	if (!loc || !loc->line || !(s = rr_diags_source(d, loc->file)))
		return;
	line = source_line(s, c, loc->line, &len);
	if (!line)
		return;
	/* a secret the parser registered is never shown (model.h) */
	secret = rr_source_secret_col(s, loc->line);
	open = secret && secret - 1 < len ? secret - 1 : len;
	shown = open > 200 ? 200 : open;
	fprintf(f, "%5u | ", (unsigned)loc->line);
	for (i = 0; i < shown; i++) {
		unsigned char ch = (unsigned char)line[i];
		fputc(ch == '\t' ? ' ' : (ch < 0x20 || ch == 0x7f) ? '?' : ch, f);
	}
	fputs(shown < open ? " ...\n" : open < len ? "<hidden>\n" : "\n", f);
	col = loc->col ? loc->col : 1;
	fputs("      | ", f);
	for (i = 1; i < col && i <= shown; i++)
		fputc(' ', f);
	fputs(color ? "\033[1;32m^\033[0m\n" : "^\n", f);
}

static void
render(FILE *f, const struct rr_diags *d, struct index_cache *c,
       const struct rr_diag *g, const struct report_opts *o)
{
	size_t i;

	print_loc(f, &g->loc, o->color);
	if (o->color)
		fprintf(f, "%s%s:\033[0m ", sev_color(g->sev),
			report_sev_name(g->sev));
	else
		fprintf(f, "%s: ", report_sev_name(g->sev));
	fputs(g->msg, f);
	if (g->rule)
		fprintf(f, " [%s]", g->rule);
	fputc('\n', f);
	if (o->quote_source)
		quote(f, d, c, &g->loc, o->color);
	for (i = 0; i < g->nnotes; i++) {
		/* a note with no place of its own belongs to the finding
		 * above it: indented, not "rrkit:" */
		if (g->notes[i].loc.file)
			print_loc(f, &g->notes[i].loc, o->color);
		else
			fputs("  ", f);
		if (o->color)
			fprintf(f, "%snote:\033[0m ", sev_color(RR_SEV_NOTE));
		else
			fputs("note: ", f);
		fprintf(f, "%s\n", g->notes[i].msg);
		if (o->quote_source)
			quote(f, d, c, &g->notes[i].loc, o->color);
	}
}

void
report_one(FILE *f, const struct rr_diags *d, const struct rr_diag *g,
	   const struct report_opts *o)
{
	struct index_cache c = { NULL, 0 };
	render(f, d, &c, g, o);
	cache_release(&c);
}

void
report_text(FILE *f, struct rr_diags *d, const struct report_opts *o)
{
	struct index_cache c = { NULL, 0 };
	size_t i;
	rr_diags_sort(d);
	for (i = 0; i < d->n; i++)
		if (d->v[i].sev >= o->min_sev)
			render(f, d, &c, &d->v[i], o);
	cache_release(&c);
	if (d->dropped)
		fprintf(f, "rrkit: %zu more diagnostics not shown\n", d->dropped);
}
