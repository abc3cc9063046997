/*
 * validate: every "is this consistent" judgement, each under a stable rule
 * id.  The rules read the resolved model (const) and add diagnostics to a
 * sink; they never print.  One table lists every rule (rules.c); one file
 * per family holds the checks: as.c, rr.c, topology.c, session.c,
 * pool.c, calico.c.  The parsers emit three of the ids themselves
 * (parse-warning, calico-invalid for values, as-invalid for bad text,
 * selector-yaml-tag).
 */
#ifndef RR_VALIDATE_H
#define RR_VALIDATE_H

#include "model/model.h"

struct val_rule {
	const char *id; /* lowercase-hyphenated, never renamed */
	const char *family;
	enum rr_sev sev; /* default severity */
	const char *summary; /* one line */
};

/* Sorted by id. */
extern const struct val_rule val_rules[];
extern const size_t val_nrules;

const struct val_rule *val_rule_find(const char *id);

/* Run every rule over a resolved model.  Returns 0. */
int val_run(const struct rr_model *m, struct rr_diags *d);

#endif
