/*
 * validate: every "is this consistent" judgement, each under a stable rule
 * id.  The rules read the resolved model (const) and add diagnostics to a
 * sink; they never print.  One table lists every rule (rules.c).
 *
 * Two kinds.  The topology, session and route-reflection rules are the
 * explanations of analyze/: a finding exists because a session will not
 * come up or a block will not arrive (or the design is one change away
 * from that), one finding per root cause, with what it breaks.  The local
 * rules check one value or one resource: as.c (reserved ASNs), rr.c
 * (reflector settings), session.c (timer values), pool.c, calico.c.  The
 * parsers emit a few ids themselves (parse-warning, calico-invalid for
 * values, as-invalid for bad text, selector-yaml-tag).
 */
#ifndef RR_VALIDATE_H
#define RR_VALIDATE_H

#include "model/model.h"

struct val_rule {
	const char *id; /* lowercase-hyphenated, never renamed */
	const char *family;
	enum rr_sev sev; /* default severity */
	const char *summary; /* one line */
	bool analysis; /* explains analyze/'s findings (else a local rule) */
	bool retired; /* never reported any more; the id stays accepted */
};

/* Sorted by id. */
extern const struct val_rule val_rules[];
extern const size_t val_nrules;

const struct val_rule *val_rule_find(const char *id);

struct az;
struct az_verdict;

/* Run every rule over a resolved model.  Returns 0. */
int val_run(const struct rr_model *m, struct rr_diags *d);
/* The same, with the analysis kept for the caller (the verdict line and
 * its notes); free it with val_analysis_free(). */
int val_run_analysis(const struct rr_model *m, struct rr_diags *d,
		     struct az **out);
void val_analysis_free(struct az *a);

#endif
