/*
 * Private to validate/: the context every family's checks share, with the
 * indexes built once per run (who owns an address, which IOS neighbor
 * serves an address).
 */
#ifndef RR_VALIDATE_PRIV_H
#define RR_VALIDATE_PRIV_H

#include "validate/validate.h"

struct val_owner {
	struct rr_addr a;
	const struct rr_speaker *s;
};

/* A finding reported once per location (one BGPPeer seen from many
 * nodes): later hits only count, and a closing note says how many. */
struct val_seen {
	const char *rule;
	struct rr_loc loc;
	size_t diag; /* index into the sink */
	size_t more;
};

struct val_ctx {
	const struct rr_model *m;
	struct rr_diags *d;
	struct val_owner *own; /* every speaker address, sorted */
	size_t nown;
	struct val_seen *seen;
	size_t nseen, capseen;
	/* the analysis's findings in the sink: [first, end) */
	size_t first_analysis, end_analysis;
	struct rr_diag scratch; /* returned for a finding not repeated */
};

/* Add a finding under `rule` (its table severity).  NULL loc allowed. */
struct rr_diag *val_report(struct val_ctx *v, const char *rule,
			   const struct rr_loc *loc, const char *fmt, ...)
	RR_PRINTF(4, 5);

/* The same, but once per (rule, loc); NULL when already reported. */
struct rr_diag *val_report_once(struct val_ctx *v, const char *rule,
				const struct rr_loc *loc, const char *fmt, ...)
	RR_PRINTF(4, 5);

const struct rr_speaker *val_owner(const struct val_ctx *v,
				   const struct rr_addr *a);
const char *val_addr_str(const struct rr_addr *a, char *buf);
/* A location, or the speaker's when the value has none. */
const struct rr_loc *val_loc(const struct rr_loc *l, const struct rr_loc *dflt);

void val_as(struct val_ctx *v);
void val_rr(struct val_ctx *v);
void val_session(struct val_ctx *v);
void val_pool(struct val_ctx *v);
void val_calico(struct val_ctx *v);

#endif
