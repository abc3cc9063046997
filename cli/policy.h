/*
 * What a repository decides about lint's findings, beyond the command
 * line (docs/ci.md "Living with rrkit in a repository"):
 *
 *   cli/policy.c    .rrkit.yaml, found from the current directory upward
 *                   or named by --config: per-rule severity (off, warning,
 *                   error), excluded input paths, the baseline, strict
 *   cli/suppress.c  inline suppressions in the inputs themselves:
 *                   IOS "! rrkit: disable=RULE[,RULE]" and YAML
 *                   "# rrkit: disable=RULE" on the line before or at the
 *                   end of the line, or the annotation
 *                   "rrkit.io/disable: RULE[,RULE]" on a resource; each
 *                   suppression that suppresses nothing is reported
 *   cli/baseline.c  --baseline FILE: findings accepted once are not
 *                   reported again, by identity (rci_identity: rule, file,
 *                   message; not the line), the identity of SARIF
 *                   fingerprints and JUnit names
 */
#ifndef RR_CLI_POLICY_H
#define RR_CLI_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/report_ci.h"
#include "model/model.h"
#include "parsers/parsers.h"

#define POLICY_FILE ".rrkit.yaml"
#define POLICY_MAX_FILE (1024u * 1024)

struct policy {
	struct rr_arena arena;
	struct parse_config cfg; /* empty (strict -1) without a file */
	const char *config;      /* the file read, or NULL */
	const char *baseline;    /* --baseline, else the file's baseline: */
	bool write_baseline;     /* --write-baseline */
	/* what policy_apply did */
	size_t suppressed, baselined, stale, written;
};

void policy_init(struct policy *p);
void policy_release(struct policy *p);
/*
 * Read `path`, or without it the first .rrkit.yaml from the current
 * directory upward (none: nothing to do).  Errors are RR_SEV_FATAL
 * diagnostics in `d` (with the file's text to quote); returns -1 then.
 */
int policy_load(struct policy *p, const char *path, struct rr_diags *d);
/* The file's rule severities onto the rule table: "off" turns a rule
 * off (enabled[i] false), warning/error become its severity.  An id the
 * table does not know is a fatal diagnostic; -1. */
int policy_rules(struct policy *p, struct report_rule *rules, bool *enabled,
                 size_t nrules, struct rr_diags *d);
/* Whether an input path is excluded (fnmatch(3) against the path as
 * given or walked, "./" dropped, and against its last component). */
bool policy_excluded(const struct policy *p, const char *path);
/*
 * The findings of a run (rules switched off already gone): severities
 * from the file, inline suppressions (unused ones become warnings without
 * a rule), then the baseline (read, or with write_baseline written from
 * these findings).  Returns 0, or -1 when the baseline could not be read
 * or written (message printed).
 */
int policy_apply(struct policy *p, struct rr_diags *fd,
                 const struct report_rule *rules, size_t nrules);

/* "rrkit: lint: not reported: ..." when something was (stderr). */
void policy_summary(const struct policy *p, FILE *f);

/* ---------------------------------------------------- cli/suppress.c */

/* Drop the findings an inline suppression covers; warn about each
 * suppression that covered none of them.  Returns how many were dropped. */
size_t suppress_apply(struct rr_diags *fd, const struct report_rule *rules,
                      size_t nrules);

/* ---------------------------------------------------- cli/baseline.c */

/* Drop the findings whose identity the baseline holds.  Sets *stale to
 * the entries that matched nothing.  -1 when unreadable (printed). */
int baseline_apply(const char *path, struct rr_diags *fd, size_t *dropped,
                   size_t *stale);
/* Write every finding's identity to `path` (atomically); -1 (printed). */
int baseline_write(const char *path, const struct rr_diags *fd,
                   size_t *written);

/* Remove the diagnostics whose drop[i] is set (counts kept right). */
void policy_compact(struct rr_diags *d, const bool *drop);

#endif
