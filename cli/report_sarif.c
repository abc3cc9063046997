/*
 * `rrkit lint --format sarif`: SARIF 2.1.0 (OASIS), one run, the shape
 * GitHub code scanning and GitLab accept (tests/schemas/ has the schema
 * the tests validate against).
 *
 * - tool.driver.rules lists every rule of the table with its default
 *   level; rules --disable/--only kept from running are switched off in
 *   invocations[0].ruleConfigurationOverrides (SARIF §3.20.5).
 * - Each result has ruleId, ruleIndex, level, message and one
 *   physicalLocation (a finding without a file, about the run as a whole,
 *   at line 1 of the first input): a relative uri (uriBaseId
 *   %SRCROOT%) or a file: uri for an absolute path, 1-based startLine and
 *   startColumn; columns count code points (run.columnKind).  Notes
 *   without a file end the message text.
 * - Each rule carries its fullDescription and help (text and markdown)
 *   from docs/rules.md, compiled in; helpUri and informationUri when the
 *   caller gives the documentation's URI.
 * - A note with a file is a relatedLocation, referenced from the message
 *   as an embedded link "[text](id)" (SARIF §3.11.6), which is what makes
 *   GitHub show the other side of a finding.
 * - partialFingerprints["rrkit/v2"] is the finding's identity
 *   (rci_identity: rule, file and message without counts; never the line),
 *   so a finding keeps its alert when lines are added above it; equal
 *   findings in one file are told apart by ":<n>" in location order.
 * - A finding with a mechanical fix (rr_diag_fix) carries it in "fixes"
 *   (SARIF §3.55): one replacement of a region of one line.
 * - No empty object or array is written (kube-score#698), except
 *   "results": an empty array there says the run found nothing, while an
 *   absent one says it could not tell (SARIF §3.14.23).
 */
#include "cli/json.h"
#include "cli/report_ci.h"
#include "cli/rules_doc.h"

#include <stdlib.h>
#include <string.h>

/* v2: the identity of rci_identity (no counts in it) */
#define FINGERPRINT_KEY "rrkit/v2"

#define SARIF_SCHEMA                                                           \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"  \
	"sarif-schema-2.1.0.json"

struct sarif {
	const struct report_ctx *c;
	struct rci_set s;
	struct json j;
};

/* RFC 3986 §2: unreserved and sub-delims, "/" and "@" stay; ":" is
 * encoded so a relative first segment never reads as a scheme (§4.2). */
static void
uri_path(struct strbuf *b, const char *p)
{
	static const char keep[] = "-._~!$&'()*+,;=/@";
	const unsigned char *u = (const unsigned char *)p;

	for (; *u; u++) {
		if ((*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z') ||
		    (*u >= '0' && *u <= '9') || strchr(keep, *u))
			sb_add(b, (const char *)u, 1);
		else
			sb_printf(b, "%%%02X", *u);
	}
}

/* The artifact uri of a (clean) path; *relative says whether it is
 * relative to the checkout (uriBaseId %SRCROOT%). */
static const char *
artifact_uri(struct rr_arena *a, const char *path, bool *relative)
{
	struct strbuf b;
	const char *out;

	path = rci_path(path);
	sb_init(&b);
	*relative = path[0] != '/';
	if (!*relative)
		sb_puts(&b, "file://");
	uri_path(&b, path);
	out = rr_arena_strdup(a, b.p ? b.p : "");
	sb_release(&b);
	return out;
}

static void
physical(struct sarif *x, const char *file, const struct rr_loc *l)
{
	struct json *j = &x->j;
	bool rel;
	const char *uri = artifact_uri(&x->s.arena, file, &rel);

	json_key(j, "physicalLocation");
	json_obj(j);
	json_key(j, "artifactLocation");
	json_obj(j);
	json_kstr(j, "uri", uri);
	if (rel)
		json_kstr(j, "uriBaseId", "%SRCROOT%");
	json_end_obj(j);
	if (l->line) {
		json_key(j, "region");
		json_obj(j);
		json_ku64(j, "startLine", l->line);
		json_ku64(j, "startColumn", l->col ? l->col : 1);
		json_end_obj(j);
	}
	json_end_obj(j);
}

/* "as-mismatch" -> "AsMismatch" (reportingDescriptor.name) */
static const char *
pascal(struct rr_arena *a, const char *id)
{
	char *out = rr_arena_strdup(a, id), *o = out;
	bool up = true;

	for (; *id; id++) {
		if (*id == '-' || *id == '_') {
			up = true;
			continue;
		}
		*o++ = up && *id >= 'a' && *id <= 'z' ? (char)(*id - 'a' + 'A')
		                                      : *id;
		up = false;
	}
	*o = '\0';
	return out;
}

/* fullDescription and help from the rule catalogue (docs/rules.md,
 * compiled in: cli/rules_doc.h); GitHub shows them with each alert. */
static void
rule_help(struct sarif *x, const char *id, const struct report_rule *r)
{
	struct json *j = &x->j;
	struct rr_arena *a = &x->s.arena;
	const struct rules_doc *d = rules_doc_find(r->id);
	const char *what = d ? d->what : r->summary;

	if (!what || !*what)
		return;
	json_key(j, "fullDescription");
	json_obj(j);
	json_kstr(j, "text", rci_clean(a, what));
	json_end_obj(j);
	json_key(j, "help");
	json_obj(j);
	if (d) {
		json_kstr(j, "text",
		          rci_clean(a, rr_arena_printf(
		                               a,
		                               "%s\n\nWhy it matters. %s\n\n"
		                               "How to fix it. %s",
		                               d->what, d->why, d->fix)));
		json_kstr(j, "markdown",
		          rci_clean(a, rr_arena_printf(
		                               a,
		                               "**%s**\n\n**What it catches.** "
		                               "%s\n\n**Why it matters.** %s\n\n"
		                               "**How to fix it.** %s",
		                               id, d->what, d->why, d->fix)));
	} else {
		json_kstr(j, "text", rci_clean(a, what));
	}
	json_end_obj(j);
}

static void
rules(struct sarif *x)
{
	struct json *j = &x->j;
	struct rr_arena *a = &x->s.arena;
	size_t i;

	if (!x->c->nrules)
		return;
	json_key(j, "rules");
	json_arr(j);
	for (i = 0; i < x->c->nrules; i++) {
		const struct report_rule *r = &x->c->rules[i];
		const char *id = rci_clean(a, r->id);
		json_obj(j);
		json_kstr(j, "id", id);
		json_kstr(j, "name", pascal(a, id));
		if (r->summary && *r->summary) {
			json_key(j, "shortDescription");
			json_obj(j);
			json_kstr(j, "text", rci_clean(a, r->summary));
			json_end_obj(j);
		}
		rule_help(x, id, r);
		if (x->c->rules_uri)
			json_kstr(j, "helpUri",
			          rr_arena_printf(a, "%s#%s", x->c->rules_uri,
			                          id));
		json_key(j, "defaultConfiguration");
		json_obj(j);
		json_kstr(j, "level", rci_level(r->sev));
		json_end_obj(j);
		if (r->family && *r->family) {
			json_key(j, "properties");
			json_obj(j);
			json_key(j, "tags");
			json_arr(j);
			json_str(j, rci_clean(a, r->family));
			json_end_arr(j);
			json_end_obj(j);
		}
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void
tool(struct sarif *x)
{
	struct json *j = &x->j;

	json_key(j, "tool");
	json_obj(j);
	json_key(j, "driver");
	json_obj(j);
	json_kstr(j, "name", "rrkit");
	if (x->c->version)
		json_kstr(j, "version", x->c->version);
	if (x->c->information_uri)
		json_kstr(j, "informationUri", x->c->information_uri);
	rules(x);
	json_end_obj(j);
	json_end_obj(j);
}

static void
invocation(struct sarif *x)
{
	struct json *j = &x->j;
	size_t i, off = 0;

	json_key(j, "invocations");
	json_arr(j);
	json_obj(j);
	json_kbool(j, "executionSuccessful",
	           !x->c->d || !rr_diags_has_fatal(x->c->d));
	for (i = 0; i < x->c->nrules; i++)
		off += !x->c->rules[i].checked;
	if (off) {
		json_key(j, "ruleConfigurationOverrides");
		json_arr(j);
		for (i = 0; i < x->c->nrules; i++) {
			if (x->c->rules[i].checked)
				continue;
			json_obj(j);
			json_key(j, "descriptor");
			json_obj(j);
			json_kstr(j, "id",
			          rci_clean(&x->s.arena, x->c->rules[i].id));
			json_ku64(j, "index", i);
			json_end_obj(j);
			json_key(j, "configuration");
			json_obj(j);
			json_kbool(j, "enabled", false);
			json_end_obj(j);
			json_end_obj(j);
		}
		json_end_arr(j);
	}
	json_end_obj(j);
	json_end_arr(j);
}

/* ------------------------------------------------------------ results */

/* Text for a message that has embedded links: "\\", "[" and "]" are
 * escaped (SARIF §3.11.6). */
static void
link_text(struct strbuf *m, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '[' || *s == ']')
			sb_add(m, "\\", 1);
		sb_add(m, s, 1);
	}
}

/* The message; each note with a file is an embedded link to its related
 * location ("[text](id)", SARIF §3.11.6), the way GitHub shows the other
 * side of a finding; notes without a file end the text. */
static void
message(struct sarif *x, const struct rci_finding *f)
{
	struct rr_arena *a = &x->s.arena;
	struct strbuf m;
	size_t k, id = 0;

	sb_init(&m);
	link_text(&m, f->msg);
	for (k = 0; k < f->g->nnotes; k++) {
		const struct rr_diag_note *n = &f->g->notes[k];
		if (!n->loc.file)
			continue;
		sb_puts(&m, "\nnote: [");
		link_text(&m, rci_clean(a, n->msg && *n->msg ? n->msg : "note"));
		sb_printf(&m, "](%zu)", id++);
	}
	for (k = 0; k < f->g->nnotes; k++) {
		const struct rr_diag_note *n = &f->g->notes[k];
		if (n->loc.file)
			continue;
		sb_puts(&m, "\nnote: ");
		link_text(&m, rci_clean(a, n->msg ? n->msg : ""));
	}
	json_key(&x->j, "message");
	json_obj(&x->j);
	json_kstr(&x->j, "text", m.p ? m.p : "");
	json_end_obj(&x->j);
	sb_release(&m);
}

static void
related(struct sarif *x, const struct rci_finding *f)
{
	struct json *j = &x->j;
	size_t k, id = 0;

	for (k = 0; k < f->g->nnotes; k++)
		if (f->g->notes[k].loc.file)
			break;
	if (k == f->g->nnotes)
		return;
	json_key(j, "relatedLocations");
	json_arr(j);
	for (k = 0; k < f->g->nnotes; k++) {
		const struct rr_diag_note *n = &f->g->notes[k];
		if (!n->loc.file)
			continue;
		json_obj(j);
		json_ku64(j, "id", id++);
		physical(x, rci_clean(&x->s.arena, n->loc.file), &n->loc);
		json_key(j, "message");
		json_obj(j);
		json_kstr(j, "text",
		          rci_clean(&x->s.arena,
		                    n->msg && *n->msg ? n->msg : "note"));
		json_end_obj(j);
		json_end_obj(j);
	}
	json_end_arr(j);
}

/* SARIF §3.55: one fix per mechanical fix of the finding, each replacing
 * a region of one line.  A fix on a line that holds a secret is left out:
 * no report quotes a secret. */
static void
fixes(struct sarif *x, const struct rci_finding *f)
{
	struct json *j = &x->j;
	size_t k, n = 0;

	for (k = 0; k < f->g->nfixes; k++) {
		const struct rr_diag_fix *fx = &f->g->fixes[k];
		const struct rr_source *src =
		        x->c->d ? rr_diags_source(x->c->d, fx->loc.file) : NULL;
		bool rel;
		if (src && rr_source_secret_col(src, fx->loc.line))
			continue;
		if (!n++) {
			json_key(j, "fixes");
			json_arr(j);
		}
		json_obj(j);
		if (fx->what && *fx->what) {
			json_key(j, "description");
			json_obj(j);
			json_kstr(j, "text", rci_clean(&x->s.arena, fx->what));
			json_end_obj(j);
		}
		json_key(j, "artifactChanges");
		json_arr(j);
		json_obj(j);
		json_key(j, "artifactLocation");
		json_obj(j);
		json_kstr(j, "uri",
		          artifact_uri(&x->s.arena,
		                       rci_clean(&x->s.arena, fx->loc.file), &rel));
		if (rel)
			json_kstr(j, "uriBaseId", "%SRCROOT%");
		json_end_obj(j);
		json_key(j, "replacements");
		json_arr(j);
		json_obj(j);
		json_key(j, "deletedRegion");
		json_obj(j);
		json_ku64(j, "startLine", fx->loc.line);
		json_ku64(j, "startColumn", fx->loc.col ? fx->loc.col : 1);
		json_ku64(j, "endColumn",
		          (fx->loc.col ? fx->loc.col : 1) + (uint64_t)fx->len);
		json_end_obj(j);
		json_key(j, "insertedContent");
		json_obj(j);
		json_kstr(j, "text", rci_clean(&x->s.arena, fx->text));
		json_end_obj(j);
		json_end_obj(j);
		json_end_arr(j);
		json_end_obj(j);
		json_end_arr(j);
		json_end_obj(j);
	}
	if (n)
		json_end_arr(j);
}

static void
result(struct sarif *x, size_t i)
{
	const struct rci_finding *f = &x->s.v[i];
	struct json *j = &x->j;

	json_obj(j);
	json_kstr(j, "ruleId", rci_clean(&x->s.arena, f->g->rule));
	if (f->rule)
		json_ku64(j, "ruleIndex", (uint64_t)(f->rule - x->c->rules));
	json_kstr(j, "level", rci_level(f->g->sev));
	message(x, f);
	if (f->file) {
		json_key(j, "locations");
		json_arr(j);
		json_obj(j);
		physical(x, f->file, &f->g->loc);
		json_end_obj(j);
		json_end_arr(j);
	} else if (x->c->d && x->c->d->nsrc && x->c->d->src[0].path) {
		/* a finding about the run as a whole (nothing-analysed): GitHub
		 * takes no result without a location, so it is shown at the
		 * first line of the first input */
		struct rr_loc l = {x->c->d->src[0].path, 1, 1};
		json_key(j, "locations");
		json_arr(j);
		json_obj(j);
		physical(x, rci_clean(&x->s.arena, l.file), &l);
		json_end_obj(j);
		json_end_arr(j);
	}
	related(x, f);
	fixes(x, f);
	json_key(j, "partialFingerprints");
	json_obj(j);
	json_kstr(j, FINGERPRINT_KEY, f->fingerprint);
	json_end_obj(j);
	json_end_obj(j);
}

int
report_sarif(FILE *f, const struct report_ctx *c)
{
	struct sarif x;
	struct strbuf b;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.c = c;
	rci_collect(&x.s, c);
	sb_init(&b);
	json_init(&x.j, &b, true);
	json_obj(&x.j);
	json_kstr(&x.j, "$schema", SARIF_SCHEMA);
	json_kstr(&x.j, "version", "2.1.0");
	json_key(&x.j, "runs");
	json_arr(&x.j);
	json_obj(&x.j);
	tool(&x);
	invocation(&x);
	json_kstr(&x.j, "columnKind", "unicodeCodePoints");
	json_key(&x.j, "results");
	json_arr(&x.j);
	for (i = 0; i < x.s.n; i++)
		result(&x, i);
	json_end_arr(&x.j);
	json_end_obj(&x.j);
	json_end_arr(&x.j);
	json_end_obj(&x.j);
	rc = rci_write(f, b.p, b.n);
	sb_release(&b);
	rci_release(&x.s);
	return rc;
}
