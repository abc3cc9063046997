/*
 * `rrkit lint --format junit`: JUnit XML in the Ant/Jenkins shape
 * (tests/schemas/junit.xsd, after Jenkins' junit-4.xsd), written with
 * libxml2's xmlTextWriter.
 *
 * One <testsuite> per rule family.  Per rule: one failing <testcase> per
 * finding (classname = rule id, name = "file: short message", the
 * finding's identity (rci_identity) without line or column, so an edit
 * above it leaves the case as it was; the line is in line=), or
 * one passing case when the rule ran clean, or one <skipped> case when
 * --disable/--only kept it from running.  Errors and warnings are both
 * <failure>, told apart by type="error" / type="warning"; a finding about
 * input rrkit could not process (RR_SEV_FATAL) is an <error type="fatal">.
 * GitLab keys cases by classname + name and collapses equal pairs
 * (gitlab-foss#50964), so equal identities get " [2]", " [3]"... appended
 * in location order (as SARIF fingerprints count them).  It
 * also ignored failure/@message for years (gitlab-foss#53668): the element
 * text repeats the finding in gcc style, notes included.  rrkit does not
 * time rules, so every time is 0 and the report is reproducible.
 */
#include "cli/report.h"
#include "cli/report_ci.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#define X(s)         ((const xmlChar *)(s))
#define SHORT_MSG    100 /* bytes of the message in a testcase name */
#define OTHER_FAMILY "other"

struct counts {
	size_t tests, failures, errors, skipped;
};

/* A set of strings, to make testcase keys unique. */
struct strset {
	const char **slot;
	size_t cap;
};

struct junit {
	const struct report_ctx *c;
	struct rci_set s;
	const struct rci_finding **by_rule; /* sorted by rule id, location */
	struct strset seen;
	xmlTextWriterPtr w;
	int err; /* a libxml2 call failed */
};

static uint64_t
hash_str(const char *s)
{
	return rci_fnv(RCI_FNV_INIT, s, strlen(s));
}

/* Adds `key` unless present; returns whether it was added. */
static bool
strset_add(struct strset *t, const char *key)
{
	size_t i = (size_t)hash_str(key) & (t->cap - 1);

	while (t->slot[i]) {
		if (!strcmp(t->slot[i], key))
			return false;
		i = (i + 1) & (t->cap - 1);
	}
	t->slot[i] = key;
	return true;
}

static void
chk(struct junit *j, int rc)
{
	if (rc < 0)
		j->err = 1;
}

static const char *
family_of(const struct report_rule *r)
{
	return r && r->family && *r->family ? r->family : OTHER_FAMILY;
}

static int
by_rule_cmp(const void *x, const void *y)
{
	const struct rci_finding *a = *(const struct rci_finding *const *)x;
	const struct rci_finding *b = *(const struct rci_finding *const *)y;
	int c = strcmp(a->g->rule, b->g->rule);
	if (c)
		return c;
	return a < b ? -1 : a > b; /* location order: s.v is sorted */
}

/* The findings of rule `id`: *n of them from the returned index. */
static size_t
rule_range(const struct junit *j, const char *id, size_t *n)
{
	size_t lo = 0, hi = j->s.n, mid, first;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(j->by_rule[mid]->g->rule, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < j->s.n && !strcmp(j->by_rule[lo]->g->rule, id))
		lo++;
	*n = lo - first;
	return first;
}

static void
count_rule(const struct junit *j, const struct report_rule *r, struct counts *k)
{
	size_t n, i, first = rule_range(j, r->id, &n);

	if (!n) {
		k->tests++;
		if (!r->checked)
			k->skipped++;
		return;
	}
	for (i = first; i < first + n; i++) {
		k->tests++;
		if (j->by_rule[i]->g->sev == RR_SEV_FATAL)
			k->errors++;
		else
			k->failures++;
	}
}

static void
count_family(const struct junit *j, const char *fam, struct counts *k)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < j->c->nrules; i++)
		if (!strcmp(family_of(&j->c->rules[i]), fam))
			count_rule(j, &j->c->rules[i], k);
	if (strcmp(fam, OTHER_FAMILY))
		return;
	for (i = 0; i < j->s.n; i++) {
		if (j->by_rule[i]->rule)
			continue;
		k->tests++;
		if (j->by_rule[i]->g->sev == RR_SEV_FATAL)
			k->errors++;
		else
			k->failures++;
	}
}

static void
write_counts(struct junit *j, const struct counts *k)
{
	chk(j, xmlTextWriterWriteFormatAttribute(j->w, X("tests"), "%zu",
	                                         k->tests));
	chk(j, xmlTextWriterWriteFormatAttribute(j->w, X("failures"), "%zu",
	                                         k->failures));
	chk(j, xmlTextWriterWriteFormatAttribute(j->w, X("errors"), "%zu",
	                                         k->errors));
	chk(j, xmlTextWriterWriteFormatAttribute(j->w, X("skipped"), "%zu",
	                                         k->skipped));
	chk(j, xmlTextWriterWriteAttribute(j->w, X("time"), X("0")));
}

/* Start <testcase classname= name=> with a name unique for the class. */
static void
start_case(struct junit *j, const char *classname, const char *name)
{
	struct rr_arena *a = &j->s.arena;
	const char *key = rr_arena_printf(a, "%s\n%s", classname, name);
	const char *uniq = name;
	unsigned k;

	for (k = 2; !strset_add(&j->seen, key); k++) {
		uniq = rr_arena_printf(a, "%s [%u]", name, k);
		key = rr_arena_printf(a, "%s\n%s", classname, uniq);
	}
	chk(j, xmlTextWriterStartElement(j->w, X("testcase")));
	chk(j, xmlTextWriterWriteAttribute(j->w, X("classname"), X(classname)));
	chk(j, xmlTextWriterWriteAttribute(j->w, X("name"), X(uniq)));
}

/* The finding in gcc style with its notes (cli/report.c), for the
 * element text. */
static const char *
gcc_text(struct junit *j, const struct rr_diag *g)
{
	struct report_opts o = {false, false, RR_SEV_NOTE};
	char *p = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&p, &n);
	const char *t;

	if (!m) {
		j->err = 1;
		return "";
	}
	report_one(m, j->c->d, g, &o);
	if (fclose(m) != 0 || !p) {
		free(p);
		j->err = 1;
		return "";
	}
	t = rci_clean(&j->s.arena, p);
	t = t == p ? rr_arena_strdup(&j->s.arena, p) : t;
	free(p);
	return t;
}

static void
failure_case(struct junit *j, const char *classname,
             const struct rci_finding *f)
{
	struct rr_arena *a = &j->s.arena;
	const struct rr_loc *l = &f->g->loc;
	const char *sm = rci_short(a, f->what, SHORT_MSG);
	const char *name, *file = rci_path(f->file);
	bool fatal = f->g->sev == RR_SEV_FATAL;

	if (!*sm)
		sm = "(no message)";
	/* the identity, never the line: GitLab keys cases by classname and
	 * name, and an edit above a finding must not make it a new case */
	if (file)
		name = rr_arena_printf(a, "%s: %s", file, sm);
	else
		name = sm;
	if (f->nth > 1)
		name = rr_arena_printf(a, "%s [%u]", name, f->nth);
	start_case(j, classname, name);
	if (file)
		chk(j, xmlTextWriterWriteAttribute(j->w, X("file"), X(file)));
	if (file && l->line)
		chk(j, xmlTextWriterWriteFormatAttribute(j->w, X("line"), "%u",
		                                         (unsigned)l->line));
	chk(j, xmlTextWriterWriteAttribute(j->w, X("time"), X("0")));
	chk(j, xmlTextWriterStartElement(j->w, X(fatal ? "error" : "failure")));
	chk(j, xmlTextWriterWriteAttribute(j->w, X("message"), X(f->msg)));
	chk(j, xmlTextWriterWriteAttribute(
	               j->w, X("type"),
	               X(fatal ? "fatal" : rci_level(f->g->sev))));
	chk(j, xmlTextWriterWriteString(j->w, X(gcc_text(j, f->g))));
	chk(j, xmlTextWriterEndElement(j->w));
	chk(j, xmlTextWriterEndElement(j->w));
}

static void
rule_cases(struct junit *j, const struct report_rule *r)
{
	struct rr_arena *a = &j->s.arena;
	const char *id = rci_clean(a, r->id);
	const char *name = r->summary && *r->summary
	                           ? rci_clean(a, rci_short(a, r->summary, 200))
	                           : id;
	size_t n, i, first = rule_range(j, r->id, &n);

	for (i = first; i < first + n; i++)
		failure_case(j, id, j->by_rule[i]);
	if (n)
		return;
	start_case(j, id, name);
	chk(j, xmlTextWriterWriteAttribute(j->w, X("time"), X("0")));
	if (!r->checked) {
		chk(j, xmlTextWriterStartElement(j->w, X("skipped")));
		chk(j, xmlTextWriterWriteAttribute(
		               j->w, X("message"),
		               X("not run (--disable or --only)")));
		chk(j, xmlTextWriterEndElement(j->w));
	}
	chk(j, xmlTextWriterEndElement(j->w));
}

static void
suite(struct junit *j, const char *fam)
{
	struct counts k;
	size_t i;

	count_family(j, fam, &k);
	chk(j, xmlTextWriterStartElement(j->w, X("testsuite")));
	chk(j, xmlTextWriterWriteAttribute(j->w, X("name"),
	                                   X(rci_clean(&j->s.arena, fam))));
	write_counts(j, &k);
	for (i = 0; i < j->c->nrules; i++)
		if (!strcmp(family_of(&j->c->rules[i]), fam))
			rule_cases(j, &j->c->rules[i]);
	if (!strcmp(fam, OTHER_FAMILY))
		for (i = 0; i < j->s.n; i++)
			if (!j->by_rule[i]->rule)
				failure_case(j,
				             rci_clean(&j->s.arena,
				                       j->by_rule[i]->g->rule),
				             j->by_rule[i]);
	chk(j, xmlTextWriterEndElement(j->w));
}

static int
str_pcmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The families, sorted and unique; *n of them. */
static const char **
families(struct junit *j, size_t *n)
{
	const char **v =
	        rr_arena_calloc(&j->s.arena, j->c->nrules + 1, sizeof(*v));
	size_t i, m = 0, u = 0;

	for (i = 0; i < j->c->nrules; i++)
		v[m++] = family_of(&j->c->rules[i]);
	for (i = 0; i < j->s.n; i++)
		if (!j->s.v[i].rule) {
			v[m++] = OTHER_FAMILY;
			break;
		}
	qsort(v, m, sizeof(*v), str_pcmp);
	for (i = 0; i < m; i++)
		if (!u || strcmp(v[u - 1], v[i]))
			v[u++] = v[i];
	*n = u;
	return v;
}

static void
document(struct junit *j)
{
	struct counts total = {0, 0, 0, 0}, k;
	const char **fam;
	size_t nfam, i;

	fam = families(j, &nfam);
	for (i = 0; i < nfam; i++) {
		count_family(j, fam[i], &k);
		total.tests += k.tests;
		total.failures += k.failures;
		total.errors += k.errors;
		total.skipped += k.skipped;
	}
	chk(j, xmlTextWriterSetIndent(j->w, 1));
	chk(j, xmlTextWriterSetIndentString(j->w, X("  ")));
	chk(j, xmlTextWriterStartDocument(j->w, NULL, "UTF-8", NULL));
	chk(j, xmlTextWriterStartElement(j->w, X("testsuites")));
	chk(j, xmlTextWriterWriteAttribute(j->w, X("name"), X("rrkit lint")));
	write_counts(j, &total);
	for (i = 0; i < nfam; i++)
		suite(j, fam[i]);
	chk(j, xmlTextWriterEndElement(j->w));
	chk(j, xmlTextWriterEndDocument(j->w));
}

int
report_junit(FILE *f, const struct report_ctx *c)
{
	struct junit j;
	xmlBufferPtr buf;
	size_t i;
	int rc = -1;

	memset(&j, 0, sizeof(j));
	j.c = c;
	rci_collect(&j.s, c);
	j.by_rule = rr_arena_calloc(&j.s.arena, j.s.n + 1, sizeof(*j.by_rule));
	for (i = 0; i < j.s.n; i++)
		j.by_rule[i] = &j.s.v[i];
	if (j.s.n > 1)
		qsort(j.by_rule, j.s.n, sizeof(*j.by_rule), by_rule_cmp);
	for (j.seen.cap = 16; j.seen.cap < 2 * (j.s.n + c->nrules);)
		j.seen.cap *= 2;
	j.seen.slot =
	        rr_arena_calloc(&j.s.arena, j.seen.cap, sizeof(*j.seen.slot));
	buf = xmlBufferCreate();
	if (buf && (j.w = xmlNewTextWriterMemory(buf, 0))) {
		document(&j);
		xmlFreeTextWriter(j.w); /* flushes into buf */
		if (!j.err)
			rc = rci_write(f, (const char *)xmlBufferContent(buf),
			               (size_t)xmlBufferLength(buf));
	}
	if (buf)
		xmlBufferFree(buf);
	rci_release(&j.s);
	return rc;
}
