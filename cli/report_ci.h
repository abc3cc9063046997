/*
 * Machine-readable reports of `rrkit lint` for CI (docs/ci.md): json
 * (docs/json.md), JUnit XML, GitHub workflow commands and SARIF 2.1.0.
 * The gcc-style text report is cli/report.h.
 *
 * A finding is a diagnostic with a rule id and a severity of at least
 * RR_SEV_WARNING; every other diagnostic is ignored here.  Each writer
 * sorts the findings itself (by file, line, column, rule, message), so its
 * output depends on the findings only, never on the order rules ran in.
 * Strings are written as valid UTF-8 whatever the input held (invalid bytes
 * and control characters other than tab, LF and CR become U+FFFD).
 */
#ifndef RR_CLI_REPORT_CI_H
#define RR_CLI_REPORT_CI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/model.h"

struct report_rule {
	const char *id;      /* "as-mismatch" */
	const char *family;  /* "as", "rr", ... (JUnit testsuite per family) */
	enum rr_sev sev;     /* default severity */
	const char *summary; /* one line */
	bool checked; /* the rule ran (not disabled by --disable/--only) */
	bool retired; /* never reported any more (docs/rules.md) */
};

/* lint's verdict: what the analysis counted (docs/json.md). */
struct report_verdict {
	uint64_t sessions_expected, sessions_up, sessions_unknown;
	uint64_t routes_expected, routes_ok, routes_unknown;
	uint64_t mesh_elided;
	bool ok;
	const char *const *notes; /* what was not modelled */
	size_t nnotes;
};

struct report_ctx {
	/* findings = diagnostics with rule != NULL and sev >= RR_SEV_WARNING;
	 * the others are ignored */
	const struct rr_diags *d;
	const struct report_rule *rules; /* sorted by id */
	size_t nrules;
	size_t nfiles;       /* input files read */
	const char *version; /* "0.1.0" */
	/* Optional (NULL omits them), absolute URIs for SARIF:
	 * tool.driver.informationUri, and the rule catalogue whose "#<id>"
	 * anchors become each rule's helpUri ("https://.../docs/rules.md"). */
	const char *information_uri;
	const char *rules_uri;
	/* Optional: the analysis's verdict (json writes it). */
	const struct report_verdict *verdict;
};

/* All return 0, or -1 on an I/O error; the caller writes to a memstream
 * and renames into place. */
int report_json(FILE *f, const struct report_ctx *c);
int report_junit(FILE *f, const struct report_ctx *c); /* libxml2 */
int report_github(FILE *f, const struct report_ctx *c);
int report_sarif(FILE *f, const struct report_ctx *c);
/* `rrkit lint --list-rules --format json` (docs/json.md). */
int report_rules_json(FILE *f, const struct report_rule *rules, size_t n);

/* ------------------------------------- shared by cli/report_*.c only */

/* At most this many annotations per level (GitHub keeps 10 per step). */
#define RCI_GITHUB_PER_LEVEL 10

struct rci_finding {
	const struct rr_diag *g;
	const struct report_rule *rule; /* NULL: the id is not in the table */
	const char *file;               /* clean UTF-8, or NULL */
	const char *msg;                /* clean UTF-8 */
	/* The finding's identity (rci_identity): what it says about which
	 * object, without where; the same in SARIF fingerprints, JUnit names
	 * and baselines. */
	const char *what; /* msg without the counts lint appends */
	uint64_t id;      /* hash of rule, file and `what` */
	unsigned nth;     /* 1, 2, ... among findings of one id, in order */
	const char *fingerprint; /* "<id as 16 hex digits>:<nth>" */
};

/* The findings of a report, sorted by location, and a scratch arena for
 * the strings the writers build. */
struct rci_set {
	struct rr_arena arena;
	struct rci_finding *v;
	size_t n, cap;
	size_t errors, warnings;
};

void rci_collect(struct rci_set *s, const struct report_ctx *c);
void rci_release(struct rci_set *s);
/*
 * A finding's identity, stable when lines are added or removed above it:
 * the rule, the file (without "./") and the message with its white space
 * collapsed and without the "(N sessions down, N routes missing)" lint
 * appends (those change as the cluster grows), hashed; never the line or
 * the column.  Messages name the objects (neighbor, node, resource), so
 * this is "rule + object".  Equal identities in one file are told apart
 * by their order (nth).  Sets `what`, `id`; rci_collect sets `nth` and
 * `fingerprint`.
 */
void rci_identity(struct rr_arena *a, struct rci_finding *f);
/* RR_SEV_ERROR and RR_SEV_FATAL findings count as errors. */
bool rci_is_error(enum rr_sev sev);
/* "error", "warning" or "note" (SARIF level names). */
const char *rci_level(enum rr_sev sev);
const struct report_rule *rci_rule(const struct report_ctx *c, const char *id);
/* `s` itself when it is valid UTF-8 without forbidden control characters,
 * else a cleaned copy in `a`.  NULL stays NULL. */
const char *rci_clean(struct rr_arena *a, const char *s);
/* The first line of a clean message, cut at `max` bytes on a character
 * boundary with "..." appended when longer. */
const char *rci_short(struct rr_arena *a, const char *msg, size_t max);
/* The path as CI systems want it: without leading "./". */
const char *rci_path(const char *path);
/* FNV-1a, 64 bits, continued from `h` (start with RCI_FNV_INIT). */
#define RCI_FNV_INIT 0xcbf29ce484222325ull
uint64_t rci_fnv(uint64_t h, const char *s, size_t n);
/* Write all of p[0..n) and flush; 0 or -1. */
int rci_write(FILE *f, const char *p, size_t n);

#endif
