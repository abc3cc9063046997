/*
 * `rrkit lint --format github`: GitHub Actions workflow commands, one
 * annotation per finding:
 *   ::error file=router/rr1.cfg,line=42,col=2,title=as-mismatch::message
 * escaped as actions/toolkit core/command.ts does (data: % CR LF;
 * property values also : and ,).  GitHub keeps 10 error, 10 warning and
 * 10 notice annotations per step and drops the rest silently, so errors
 * come first, at most RCI_GITHUB_PER_LEVEL of each level are written, and
 * one ::notice says how many were left out.
 */
#include "cli/json.h"
#include "cli/report_ci.h"

#include <stdlib.h>
#include <string.h>

static void
escape(struct strbuf *b, const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%':
			sb_puts(b, "%25");
			break;
		case '\r':
			sb_puts(b, "%0D");
			break;
		case '\n':
			sb_puts(b, "%0A");
			break;
		case ':':
			sb_puts(b, property ? "%3A" : ":");
			break;
		case ',':
			sb_puts(b, property ? "%2C" : ",");
			break;
		default:
			sb_add(b, s, 1);
		}
	}
}

/* "file:line:col: " of a note, as gcc prints it */
static void
note_loc(struct strbuf *m, const char *file, const struct rr_loc *l)
{
	if (file && l->line)
		sb_printf(m, "%s:%u:%u: ", file, (unsigned)l->line,
		          (unsigned)(l->col ? l->col : 1));
	else if (file)
		sb_printf(m, "%s: ", file);
}

static void
annotation(struct strbuf *b, struct rci_set *s, const struct rci_finding *f)
{
	const struct rr_loc *l = &f->g->loc;
	const char *file = rci_path(f->file);
	struct strbuf m;
	size_t k;

	sb_printf(b, "::%s ", rci_is_error(f->g->sev) ? "error" : "warning");
	if (file) {
		sb_puts(b, "file=");
		escape(b, file, true);
		sb_puts(b, ",");
		if (l->line)
			sb_printf(b, "line=%u,col=%u,", (unsigned)l->line,
			          (unsigned)(l->col ? l->col : 1));
	}
	sb_puts(b, "title=");
	escape(b, rci_clean(&s->arena, f->g->rule), true);
	sb_puts(b, "::");
	sb_init(&m);
	sb_puts(&m, f->msg);
	for (k = 0; k < f->g->nnotes; k++) {
		const struct rr_diag_note *n = &f->g->notes[k];
		sb_puts(&m, "\n");
		note_loc(&m, rci_path(rci_clean(&s->arena, n->loc.file)),
		         &n->loc);
		sb_puts(&m, "note: ");
		sb_puts(&m, rci_clean(&s->arena, n->msg ? n->msg : ""));
	}
	escape(b, m.p, false);
	sb_release(&m);
	sb_puts(b, "\n");
}

static int
severity_first(const void *x, const void *y)
{
	const struct rci_finding *const *a = x, *const *b = y;
	bool ea = rci_is_error((*a)->g->sev), eb = rci_is_error((*b)->g->sev);

	if (ea != eb)
		return ea ? -1 : 1;
	return *a < *b ? -1 : *a > *b; /* then by location: s.v is sorted */
}

static void
more(struct strbuf *b, size_t n, const char *what, bool *first)
{
	if (!n)
		return;
	sb_printf(b, "%s%zu more %s%s", *first ? "" : " and ", n, what,
	          n == 1 ? "" : "s");
	*first = false;
}

int
report_github(FILE *f, const struct report_ctx *c)
{
	struct rci_set s;
	const struct rci_finding **order;
	size_t i, shown[2] = {0, 0}, left[2] = {0, 0};
	struct strbuf b;
	bool first = true;
	int rc;

	rci_collect(&s, c);
	order = rr_arena_calloc(&s.arena, s.n + 1, sizeof(*order));
	for (i = 0; i < s.n; i++)
		order[i] = &s.v[i];
	if (s.n > 1)
		qsort(order, s.n, sizeof(*order), severity_first);
	sb_init(&b);
	sb_add(&b, "", 0);
	for (i = 0; i < s.n; i++) {
		int lv = rci_is_error(order[i]->g->sev) ? 0 : 1;
		if (shown[lv] == RCI_GITHUB_PER_LEVEL) {
			left[lv]++;
			continue;
		}
		shown[lv]++;
		annotation(&b, &s, order[i]);
	}
	if (left[0] || left[1]) {
		sb_puts(&b, "::notice title=rrkit::");
		more(&b, left[0], "error", &first);
		more(&b, left[1], "warning", &first);
		sb_printf(&b,
		          " not annotated (GitHub shows at most %d of each "
		          "per step); the text, json and sarif formats "
		          "list every finding\n",
		          RCI_GITHUB_PER_LEVEL);
	}
	rc = rci_write(f, b.p, b.n);
	sb_release(&b);
	rci_release(&s);
	return rc;
}
