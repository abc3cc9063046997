/*
 * `rrkit lint --format json`: the findings and a summary, as documented in
 * docs/json.md ("rrkit lint --format json").
 */
#include "cli/json.h"
#include "cli/report_ci.h"

static void
loc_fields(struct json *j, const char *file, const struct rr_loc *loc)
{
	json_kstr(j, "file", file);
	json_key(j, "line");
	if (loc->line)
		json_u64(j, loc->line);
	else
		json_null(j);
	json_key(j, "col");
	if (loc->line)
		json_u64(j, loc->col ? loc->col : 1);
	else
		json_null(j);
}

static void
finding(struct json *j, struct rci_set *s, const struct rci_finding *f)
{
	size_t k;

	json_obj(j);
	json_kstr(j, "rule", rci_clean(&s->arena, f->g->rule));
	json_kstr(j, "severity", rci_level(f->g->sev));
	loc_fields(j, f->file, &f->g->loc);
	json_kstr(j, "message", f->msg);
	json_ku64(j, "sessions", f->g->sessions);
	json_ku64(j, "routes", f->g->routes);
	json_key(j, "notes");
	json_arr(j);
	for (k = 0; k < f->g->nnotes; k++) {
		const struct rr_diag_note *n = &f->g->notes[k];
		json_obj(j);
		loc_fields(j, rci_clean(&s->arena, n->loc.file), &n->loc);
		json_kstr(j, "message",
		          rci_clean(&s->arena, n->msg ? n->msg : ""));
		json_end_obj(j);
	}
	json_end_arr(j);
	json_end_obj(j);
}

static void
verdict(struct json *j, struct rci_set *s, const struct report_verdict *v)
{
	size_t i;

	json_key(j, "verdict");
	json_obj(j);
	json_ku64(j, "sessions_up", v->sessions_up);
	json_ku64(j, "sessions_expected", v->sessions_expected);
	json_ku64(j, "sessions_not_analysed", v->sessions_unknown);
	json_ku64(j, "routes_ok", v->routes_ok);
	json_ku64(j, "routes_expected", v->routes_expected);
	json_ku64(j, "routes_not_analysed", v->routes_unknown);
	json_ku64(j, "mesh_not_analysed", v->mesh_elided);
	json_kbool(j, "ok", v->ok);
	json_key(j, "notes");
	json_arr(j);
	for (i = 0; i < v->nnotes; i++)
		json_str(j, rci_clean(&s->arena, v->notes[i]));
	json_end_arr(j);
	json_end_obj(j);
}

int
report_json(FILE *f, const struct report_ctx *c)
{
	struct rci_set s;
	struct strbuf b;
	struct json j;
	size_t i;
	int rc;

	rci_collect(&s, c);
	sb_init(&b);
	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "findings");
	json_arr(&j);
	for (i = 0; i < s.n; i++)
		finding(&j, &s, &s.v[i]);
	json_end_arr(&j);
	json_key(&j, "summary");
	json_obj(&j);
	json_ku64(&j, "errors", s.errors);
	json_ku64(&j, "warnings", s.warnings);
	json_ku64(&j, "files", c->nfiles);
	if (c->d && c->d->dropped)
		json_ku64(&j, "dropped", c->d->dropped);
	json_end_obj(&j);
	if (c->verdict)
		verdict(&j, &s, c->verdict);
	json_end_obj(&j);
	rc = rci_write(f, b.p, b.n);
	sb_release(&b);
	rci_release(&s);
	return rc;
}

int
report_rules_json(FILE *f, const struct report_rule *rules, size_t n)
{
	struct strbuf b;
	struct json j;
	size_t i;
	int rc;

	sb_init(&b);
	json_init(&j, &b, true);
	json_obj(&j);
	json_key(&j, "rules");
	json_arr(&j);
	for (i = 0; i < n; i++) {
		json_obj(&j);
		json_kstr(&j, "id", rules[i].id);
		json_kstr(&j, "severity", rci_level(rules[i].sev));
		json_kstr(&j, "family", rules[i].family);
		json_kstr(&j, "summary", rules[i].summary);
		json_kbool(&j, "enabled", rules[i].checked);
		json_kbool(&j, "retired", rules[i].retired);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_end_obj(&j);
	sb_puts(&b, "\n");
	rc = rci_write(f, b.p, b.n);
	sb_release(&b);
	return rc;
}
