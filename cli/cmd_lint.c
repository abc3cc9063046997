/*
 * rrkit lint: read the router configs and the Calico manifests together,
 * run the analysis (analyze/: which sessions come up, which blocks arrive)
 * and every rule of validate/, and report the findings for people (gcc
 * style, then what was not modelled and the verdict line: how many
 * sessions and routes were analysed and how many fail) and for CI (json,
 * junit, github, sarif; cli/report_ci.h).  Several formats in one run:
 * --format F[=FILE], repeated.
 * Exit 0 no errors, 1 errors (warnings too with --strict; nothing analysed
 * is the error nothing-analysed), 2 usage or unreadable/invalid input.
 */
#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/policy.h"
#include "cli/load.h"
#include "cli/report.h"
#include "cli/report_ci.h"
#include "analyze/analyze.h"
#include "validate/validate.h"

#include <stdlib.h>
#include <string.h>

#define LINT_MAX_OUT 8

enum lint_fmt { LF_TEXT, LF_JSON, LF_JUNIT, LF_GITHUB, LF_SARIF };
static const char *const fmt_names[] = {"text", "json", "junit", "github",
					"sarif"};

struct lint_out {
	enum lint_fmt fmt;
	const char *path; /* NULL: --output or stdout */
};

struct lint {
	struct load l;
	struct lint_out out[LINT_MAX_OUT];
	size_t nout;
	const char *output;
	bool strict;
	bool *enabled; /* per val_rules index */
	struct report_rule *rules;
	struct az *az; /* the analysis, for the verdict */
	struct report_verdict verdict;
	const char **notes;
	struct policy policy; /* .rrkit.yaml, suppressions, baseline */
};

static bool
excluded(const void *policy, const char *path)
{
	return policy_excluded(policy, path);
}

static void
lint_usage(FILE *f)
{
	opts_usage(f, opts_command("lint"));
}

static int
add_format(struct lint *t, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg), i;
	if (t->nout == LINT_MAX_OUT) {
		cli_error("lint: at most %d --format options", LINT_MAX_OUT);
		return -1;
	}
	for (i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++)
		if (strlen(fmt_names[i]) == n && !strncmp(arg, fmt_names[i], n)) {
			t->out[t->nout].fmt = (enum lint_fmt)i;
			t->out[t->nout++].path = eq ? eq + 1 : NULL;
			if (eq && !eq[1]) {
				cli_error("lint: '--format %s' names no file",
					  arg);
				return -1;
			}
			return 0;
		}
	cli_error("lint: unknown format '%.*s' (text, json, junit, github or "
		  "sarif)",
		  (int)n, arg);
	return -1;
}

/* --disable/--only: a comma-separated list of rule ids. */
static int
set_rules(struct lint *t, const char *list, bool only)
{
	char *dup = rr_xstrdup(list), *save = NULL, *id;
	size_t i;
	int rc = 0;
	if (only)
		for (i = 0; i < val_nrules; i++)
			t->enabled[i] = false;
	for (id = strtok_r(dup, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		const struct val_rule *r = val_rule_find(id);
		if (!r) {
			cli_error("lint: unknown rule '%s' (see 'rrkit lint "
				  "--list-rules')",
				  id);
			rc = -1;
			break;
		}
		t->enabled[r - val_rules] = only;
	}
	free(dup);
	return rc;
}

/* --list-rules: every rule with the severity this run gives it (.rrkit.yaml
 * may change it), as text or, with --format json, as JSON. */
static int
list_rules(const struct lint *t)
{
	size_t i;
	if (t->nout && t->out[0].fmt == LF_JSON)
		return report_rules_json(stdout, t->rules, val_nrules);
	for (i = 0; i < val_nrules; i++)
		printf("%-24s %-8s %-9s %s\n", val_rules[i].id,
		       val_rules[i].retired     ? "retired"
		       : !t->rules[i].checked   ? "off"
		       : t->rules[i].sev == RR_SEV_ERROR ? "error"
		                                         : "warning",
		       val_rules[i].family, val_rules[i].summary);
	return 0;
}

/* What a finding of the analysis breaks, after its words. */
static const char *
counts(struct rr_arena *a, uint64_t sessions, uint64_t routes)
{
	if (!routes && sessions <= 1)
		return "";
	if (!routes)
		return rr_arena_printf(a, " (%llu sessions down)",
				       (unsigned long long)sessions);
	if (!sessions)
		return rr_arena_printf(a, " (%llu route%s missing)",
				       (unsigned long long)routes,
				       routes == 1 ? "" : "s");
	return rr_arena_printf(a, " (%llu session%s down, %llu route%s missing)",
			       (unsigned long long)sessions,
			       sessions == 1 ? "" : "s",
			       (unsigned long long)routes,
			       routes == 1 ? "" : "s");
}

/* The findings of enabled rules, with their notes and sources. */
static void
filter(const struct lint *t, const struct rr_diags *in, struct rr_diags *out)
{
	size_t i, j;
	rr_diags_add_sources(out, in);
	for (i = 0; i < in->n; i++) {
		const struct rr_diag *g = &in->v[i];
		const struct val_rule *r = g->rule ? val_rule_find(g->rule) : NULL;
		struct rr_diag *c;
		if (g->rule && r && !t->enabled[r - val_rules])
			continue;
		c = rr_diag_add(out, g->sev, g->rule, &g->loc, "%s%s", g->msg,
				counts(&out->arena, g->sessions, g->routes));
		c->sessions = g->sessions;
		c->routes = g->routes;
		for (j = 0; j < g->nnotes; j++)
			rr_diag_note(out, c, &g->notes[j].loc, "%s",
				     g->notes[j].msg);
		for (j = 0; j < g->nfixes; j++)
			rr_diag_fix(out, c, &g->fixes[j].loc, g->fixes[j].len,
			            g->fixes[j].text, g->fixes[j].what);
	}
	out->dropped = in->dropped;
}

/* "3/3 sessions up, 6/6 pod routes arrive" and what was not analysed. */
static void
verdict_counts(FILE *f, const struct report_verdict *v)
{
	fprintf(f, "%llu/%llu sessions up",
		(unsigned long long)v->sessions_up,
		(unsigned long long)v->sessions_expected);
	if (v->sessions_unknown)
		fprintf(f, " (%llu not analysed)",
			(unsigned long long)v->sessions_unknown);
	fprintf(f, ", %llu/%llu pod routes arrive",
		(unsigned long long)v->routes_ok,
		(unsigned long long)v->routes_expected);
	if (v->routes_unknown)
		fprintf(f, " (%llu not analysed)",
			(unsigned long long)v->routes_unknown);
	if (v->mesh_elided)
		fprintf(f, ", node-to-node mesh (%llu sessions) not analysed",
			(unsigned long long)v->mesh_elided);
}

/* Text: the findings, what was not modelled, then the verdict line. */
static void
write_text(FILE *f, struct rr_diags *d, size_t nfiles, bool color,
	   const struct lint *t)
{
	struct report_opts ro = {color, true, RR_SEV_WARNING};
	struct report_opts rn = {color, false, RR_SEV_NOTE};
	size_t e = 0, w = 0, i;
	report_text(f, d, &ro);
	for (i = 0; t->az && i < az_nnotes(t->az); i++)
		report_one(f, d, az_note(t->az, i), &rn);
	for (i = 0; i < d->n; i++) {
		if (!d->v[i].rule)
			continue;
		e += d->v[i].sev >= RR_SEV_ERROR;
		w += d->v[i].sev == RR_SEV_WARNING;
	}
	verdict_counts(f, &t->verdict);
	fprintf(f, ": %zu error%s, %zu warning%s in %zu file%s\n", e,
		e == 1 ? "" : "s", w, w == 1 ? "" : "s", nfiles,
		nfiles == 1 ? "" : "s");
}

static int
emit(struct lint *t, const struct lint_out *o, struct rr_diags *d)
{
	struct report_ctx rc = {
		.d = d,
		.rules = t->rules,
		.nrules = val_nrules,
		.nfiles = t->l.nfiles,
		.version = RRKIT_VERSION,
		.verdict = t->az ? &t->verdict : NULL,
		.information_uri = cli_docs_uri(&d->arena, ""),
		.rules_uri = cli_docs_uri(&d->arena, "rules.md"),
	};
	const char *path = o->path ? o->path : t->output ? t->output : "-";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r = 0;

	if (!f)
		rr_oom();
	switch (o->fmt) {
	case LF_TEXT:
		write_text(f, d, t->l.nfiles,
			   !strcmp(path, "-") && cli_color(stdout), t);
		break;
	case LF_JSON:
		r = report_json(f, &rc);
		break;
	case LF_JUNIT:
		r = report_junit(f, &rc);
		break;
	case LF_GITHUB:
		r = report_github(f, &rc);
		break;
	case LF_SARIF:
		r = report_sarif(f, &rc);
		break;
	}
	if (fclose(f) || r < 0) {
		cli_error("lint: cannot write the %s report", fmt_names[o->fmt]);
		free(buf);
		return -1;
	}
	r = cli_write_file(path, buf, len);
	free(buf);
	return r;
}

static void
set_verdict(struct lint *t)
{
	const struct az_verdict *v = az_verdict(t->az);
	size_t i, n = az_nnotes(t->az);

	t->verdict = (struct report_verdict){
		.sessions_expected = v->sessions_expected,
		.sessions_up = v->sessions_up,
		.sessions_unknown = v->sessions_unknown,
		.routes_expected = v->routes_expected,
		.routes_ok = v->routes_ok,
		.routes_unknown = v->routes_unknown,
		.mesh_elided = v->mesh_elided,
		.ok = v->ok,
	};
	t->notes = rr_xcalloc(n + 1, sizeof(*t->notes));
	for (i = 0; i < n; i++)
		t->notes[i] = az_note(t->az, i)->msg;
	t->verdict.notes = t->notes;
	t->verdict.nnotes = n;
}

static int
run(struct lint *t, char **paths, size_t npaths)
{
	struct report_opts ro = {cli_color(stderr), true, RR_SEV_NOTE};
	struct rr_diags fd;
	size_t i, e = 0, w = 0;
	int rc = EXIT_CLEAN;

	if (load_paths(&t->l, paths, npaths) < 0) {
		report_text(stderr, &t->l.diags, &ro);
		return EXIT_USAGE;
	}
	for (i = 0; i < t->l.diags.n; i++)
		if (t->l.diags.v[i].sev >= RR_SEV_ERROR && !t->l.diags.v[i].rule) {
			/* a value the parser could not use: invalid input */
			report_text(stderr, &t->l.diags, &ro);
			return EXIT_USAGE;
		}
	val_run_analysis(t->l.m, &t->l.diags, &t->az);
	set_verdict(t);
	rr_diags_init(&fd);
	filter(t, &t->l.diags, &fd);
	if (policy_apply(&t->policy, &fd, t->rules, val_nrules) < 0) {
		rr_diags_release(&fd);
		return EXIT_USAGE;
	}
	if (t->policy.write_baseline) {
		fprintf(stderr, "rrkit: lint: wrote %zu finding%s to '%s'\n",
		        t->policy.written, t->policy.written == 1 ? "" : "s",
		        t->policy.baseline);
		rr_diags_release(&fd);
		return EXIT_CLEAN;
	}
	policy_summary(&t->policy, stderr);
	rr_diags_sort(&fd);
	for (i = 0; i < fd.n; i++) {
		if (!fd.v[i].rule)
			continue;
		e += fd.v[i].sev >= RR_SEV_ERROR;
		w += fd.v[i].sev == RR_SEV_WARNING;
	}
	if (!t->nout) {
		t->out[0].fmt = LF_TEXT;
		t->out[t->nout++].path = NULL;
	}
	for (i = 0; i < t->nout; i++)
		if (emit(t, &t->out[i], &fd) < 0)
			rc = EXIT_USAGE;
	rr_diags_release(&fd);
	if (rc == EXIT_USAGE)
		return rc;
	return e || (t->strict && w) ? EXIT_FINDINGS : EXIT_CLEAN;
}

int
cmd_lint(int argc, char **argv)
{
	struct lint t;
	const char *only = NULL, *disable = NULL, *config = NULL;
	bool list = false;
	struct opts o;
	int c, rc;
	size_t i;

	memset(&t, 0, sizeof(t));
	rr_mem_init(); /* malloc from a huge-page heap: model/arena.c */
	load_init(&t.l);
	policy_init(&t.policy);
	t.enabled = rr_xcalloc(val_nrules, sizeof(*t.enabled));
	t.rules = rr_xcalloc(val_nrules, sizeof(*t.rules));
	for (i = 0; i < val_nrules; i++)
		t.enabled[i] = true;
	opts_init(&o, opts_command("lint"), argc, argv);
	while ((c = opts_next(&o)) != OPTS_DONE) {
		switch (c) {
		case 'f':
			if (add_format(&t, o.arg) < 0)
				goto usage_o;
			break;
		case 'o':
			t.output = o.arg;
			break;
		case 's':
			t.strict = true;
			break;
		case 'd':
			disable = o.arg;
			break;
		case 'O':
			only = o.arg;
			break;
		case 'a':
			if (load_add_address(&t.l, o.arg) < 0)
				goto usage_o;
			break;
		case 'c':
			config = o.arg;
			break;
		case 'B':
			t.policy.baseline = o.arg;
			break;
		case 'W':
			t.policy.write_baseline = true;
			break;
		case 'L':
			list = true;
			break;
		default: /* OPTS_EXIT: --help, or a usage error said */
			rc = o.status;
			goto out_o;
		}
	}
	opts_release(&o);
	if ((only && set_rules(&t, only, true) < 0) ||
	    (disable && set_rules(&t, disable, false) < 0))
		goto usage;
	if (!list && o.optind >= argc) {
		cli_error("lint: no input files");
		goto usage;
	}
	for (i = 0; i < val_nrules; i++)
		t.rules[i] = (struct report_rule){
			.id = val_rules[i].id,
			.family = val_rules[i].family,
			.sev = val_rules[i].sev,
			.summary = val_rules[i].summary,
			.checked = t.enabled[i],
			.retired = val_rules[i].retired,
		};
	if (policy_load(&t.policy, config, &t.l.diags) < 0 ||
	    policy_rules(&t.policy, t.rules, t.enabled, val_nrules,
	                 &t.l.diags) < 0) {
		struct report_opts ro = {cli_color(stderr), true, RR_SEV_NOTE};
		report_text(stderr, &t.l.diags, &ro);
		rc = EXIT_USAGE;
		goto out;
	}
	if (list) {
		rc = list_rules(&t) < 0 ? EXIT_USAGE : EXIT_CLEAN;
		goto out;
	}
	if (t.policy.write_baseline && !t.policy.baseline) {
		cli_error("lint: --write-baseline needs --baseline FILE (or "
		          "baseline: in " POLICY_FILE ")");
		goto usage;
	}
	if (!t.strict && t.policy.cfg.strict == 1)
		t.strict = true;
	t.l.exclude = excluded;
	t.l.exclude_ctx = &t.policy;
	rc = run(&t, argv + o.optind, (size_t)(argc - o.optind));
	goto out;
usage_o:
	opts_release(&o);
usage:
	lint_usage(stderr);
	rc = EXIT_USAGE;
	goto out;
out_o:
	opts_release(&o);
out:
	free(t.enabled);
	free(t.rules);
	free(t.notes);
	val_analysis_free(t.az);
	load_release(&t.l);
	policy_release(&t.policy);
	return rc;
}
