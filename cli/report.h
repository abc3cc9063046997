/*
 * Rendering diagnostics for people: gcc style
 *   file:line:col: error: message [rule-id]
 *    14 |  neighbor 192.168.1.10 remote-as 64513
 *       |                                  ^
 *   file:line:col: note: ...
 */
#ifndef RR_CLI_REPORT_H
#define RR_CLI_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"

struct report_opts {
	bool color;
	bool quote_source; /* source line and caret */
	enum rr_sev min_sev; /* print diagnostics at least this severe */
};

/* Print every diagnostic of `d` (sorted by location first). */
void report_text(FILE *f, struct rr_diags *d, const struct report_opts *o);
/* One diagnostic. */
void report_one(FILE *f, const struct rr_diags *d, const struct rr_diag *g,
		const struct report_opts *o);
const char *report_sev_name(enum rr_sev s);

#endif
