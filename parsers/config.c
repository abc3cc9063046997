/*
 * .rrkit.yaml, rrkit's own configuration (docs/ci.md "Configuration"):
 *
 *   rules:                      # per rule: off, warning or error
 *     cluster-id-missing: off
 *     mesh-not-disabled: error
 *   exclude:                    # inputs not to read (fnmatch patterns)
 *     - "*.tmpl"
 *   baseline: .rrkit-baseline   # accepted findings (rrkit lint --baseline)
 *   strict: true                # warnings fail the run too
 *
 * Read with libyaml's event parser into struct parse_config (libc types
 * only).  Anything else in the file is an error at its line and column;
 * whether a rule id exists is the caller's question (validate/ owns the
 * table).  No aliases: a configuration has no use for them.
 */
#include "parsers/parsers.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct cfg {
	yaml_parser_t p;
	yaml_event_t e;
	bool have; /* e holds an event */
	struct rr_arena *a;
	const char *path;
	struct parse_config *out;
	struct rr_diags *d;
	int rc;
};

static void
err(struct cfg *c, const yaml_mark_t *m, const char *msg)
{
	struct rr_loc at = {c->path, (uint32_t)m->line + 1,
	                    (uint32_t)m->column + 1};
	rr_diag_add(c->d, RR_SEV_FATAL, NULL, &at, "%s", msg);
	c->rc = -1;
}

/* The next event into c->e; false (error said) at a syntax error. */
static bool
next(struct cfg *c)
{
	if (c->have)
		yaml_event_delete(&c->e);
	c->have = false;
	if (!yaml_parser_parse(&c->p, &c->e)) {
		err(c, &c->p.problem_mark, c->p.problem ? c->p.problem : "invalid YAML");
		return false;
	}
	c->have = true;
	if (c->e.type == YAML_ALIAS_EVENT) {
		err(c, &c->e.start_mark, "aliases are not used here");
		return false;
	}
	return true;
}

static const char *
scalar(struct cfg *c)
{
	return rr_arena_strdup(c->a, (const char *)c->e.data.scalar.value);
}

static bool
want(struct cfg *c, yaml_event_type_t t, const char *what)
{
	if (c->e.type == t)
		return true;
	err(c, &c->e.start_mark, rr_arena_printf(c->a, "expected %s", what));
	return false;
}

/* rules: {id: off|warning|error} */
static bool
rules(struct cfg *c)
{
	struct parse_config *o = c->out;

	if (!next(c) || !want(c, YAML_MAPPING_START_EVENT,
	                      "a mapping of rule ids to off, warning or error"))
		return false;
	for (;;) {
		struct parse_config_rule *r;
		const char *v;
		if (!next(c))
			return false;
		if (c->e.type == YAML_MAPPING_END_EVENT)
			return true;
		if (!want(c, YAML_SCALAR_EVENT, "a rule id"))
			return false;
		r = RR_PUSH(c->a, o->rules, o->nrules, o->caprules);
		r->id = scalar(c);
		r->loc = (struct rr_loc){c->path, (uint32_t)c->e.start_mark.line + 1,
		                         (uint32_t)c->e.start_mark.column + 1};
		if (!next(c) || !want(c, YAML_SCALAR_EVENT, "off, warning or error"))
			return false;
		v = (const char *)c->e.data.scalar.value;
		if (!strcmp(v, "off") || !strcmp(v, "false"))
			r->sev = PARSE_CONFIG_OFF;
		else if (!strcmp(v, "warning"))
			r->sev = PARSE_CONFIG_WARNING;
		else if (!strcmp(v, "error"))
			r->sev = PARSE_CONFIG_ERROR;
		else {
			err(c, &c->e.start_mark,
			    rr_arena_printf(c->a,
			                    "'%s': a rule is off, warning or error",
			                    v));
			return false;
		}
	}
}

/* exclude: [pattern, ...] (a single pattern is accepted too) */
static bool
excludes(struct cfg *c)
{
	struct parse_config *o = c->out;
	bool seq;

	if (!next(c))
		return false;
	seq = c->e.type == YAML_SEQUENCE_START_EVENT;
	if (!seq && !want(c, YAML_SCALAR_EVENT, "a list of path patterns"))
		return false;
	for (;;) {
		if (seq && !next(c))
			return false;
		if (seq && c->e.type == YAML_SEQUENCE_END_EVENT)
			return true;
		if (!want(c, YAML_SCALAR_EVENT, "a path pattern"))
			return false;
		*RR_PUSH(c->a, o->exclude, o->nexclude, o->capexclude) = scalar(c);
		if (!seq)
			return true;
	}
}

static bool
top_key(struct cfg *c, const char *k)
{
	const char *v;

	if (!strcmp(k, "rules"))
		return rules(c);
	if (!strcmp(k, "exclude"))
		return excludes(c);
	if (!strcmp(k, "baseline")) {
		if (!next(c) || !want(c, YAML_SCALAR_EVENT, "a file name"))
			return false;
		c->out->baseline = scalar(c);
		return true;
	}
	if (!strcmp(k, "strict")) {
		if (!next(c) || !want(c, YAML_SCALAR_EVENT, "true or false"))
			return false;
		v = (const char *)c->e.data.scalar.value;
		if (!strcmp(v, "true") || !strcmp(v, "false")) {
			c->out->strict = v[0] == 't' ? 1 : 0;
			return true;
		}
		err(c, &c->e.start_mark,
		    rr_arena_printf(c->a, "'%s': strict is true or false", v));
		return false;
	}
	err(c, &c->e.start_mark,
	    rr_arena_printf(c->a,
	                    "unknown key '%s' (rules, exclude, baseline or "
	                    "strict)",
	                    k));
	return false;
}

static void
document(struct cfg *c)
{
	if (!next(c) || !want(c, YAML_STREAM_START_EVENT, "a YAML stream") ||
	    !next(c))
		return;
	if (c->e.type == YAML_STREAM_END_EVENT)
		return; /* an empty file: the defaults */
	if (!want(c, YAML_DOCUMENT_START_EVENT, "a document") || !next(c))
		return;
	if (c->e.type == YAML_SCALAR_EVENT && !*c->e.data.scalar.value)
		return; /* only comments */
	if (!want(c, YAML_MAPPING_START_EVENT,
	          "a mapping (rules, exclude, baseline, strict)"))
		return;
	for (;;) {
		const char *k;
		if (!next(c))
			return;
		if (c->e.type == YAML_MAPPING_END_EVENT)
			break;
		if (!want(c, YAML_SCALAR_EVENT, "a key"))
			return;
		k = scalar(c);
		if (!top_key(c, k))
			return;
	}
	if (!next(c) || !want(c, YAML_DOCUMENT_END_EVENT, "one document") ||
	    !next(c))
		return;
	if (c->e.type != YAML_STREAM_END_EVENT)
		err(c, &c->e.start_mark, "a configuration is one YAML document");
}

int
parse_config(struct rr_arena *a, const char *path, const char *text,
             size_t len, struct parse_config *out, struct rr_diags *d)
{
	struct cfg c;

	memset(out, 0, sizeof(*out));
	out->strict = -1;
	out->path = path;
	memset(&c, 0, sizeof(c));
	c.a = a;
	c.path = path;
	c.out = out;
	c.d = d;
	if (!yaml_parser_initialize(&c.p))
		rr_oom();
	yaml_parser_set_input_string(&c.p, (const unsigned char *)text, len);
	document(&c);
	if (c.have)
		yaml_event_delete(&c.e);
	yaml_parser_delete(&c.p);
	return c.rc;
}
