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

/* One IOS router's exact neighbors by address (default VRF), sorted. */
struct val_rix {
	const struct rr_speaker *r;
	struct val_nbent {
		struct rr_addr a;
		const struct rr_neighbor *nb;
	} *v;
	size_t n;
};

struct val_ctx {
	const struct rr_model *m;
	struct rr_diags *d;
	struct val_owner *own; /* every speaker address, sorted */
	size_t nown;
	size_t nios, ncalico;
	bool mesh; /* some node has a full-mesh session (or it was elided) */
	struct val_rix *rix; /* one per IOS router */
	struct val_seen *seen;
	size_t nseen, capseen;
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
/* The IOS neighbor (exact address first, then a listen range) that
 * serves a session from `a`, in the default VRF; NULL if none. */
const struct rr_neighbor *val_ios_neighbor(const struct val_ctx *v,
					   const struct rr_speaker *r,
					   const struct rr_addr *a);
/* The effective cluster id of an IOS reflector (cluster-id, else its
 * router id); false when neither is known. */
bool val_cluster_id(const struct rr_speaker *r, uint32_t *out);
/* The address of speaker `s` in the family of `a` (its first one). */
const struct rr_addr *val_addr_of(const struct rr_speaker *s, uint8_t af);
/* The local address a Calico session leaves from. */
const struct rr_addr *val_session_src(const struct rr_speaker *s,
				      const struct rr_neighbor *nb);
const char *val_addr_str(const struct rr_addr *a, char *buf);
/* The AS a speaker announces on a session (local-as override). */
uint32_t val_local_as(const struct rr_speaker *s, const struct rr_neighbor *nb);
/* IOS: active for IPv4 unicast (explicit or by bgp default ipv4-unicast) */
bool val_active_v4(const struct rr_neighbor *nb);
bool val_active_any(const struct rr_neighbor *nb);
/* A location, or the speaker's when the value has none. */
const struct rr_loc *val_loc(const struct rr_loc *l, const struct rr_loc *dflt);

void val_as(struct val_ctx *v);
void val_rr(struct val_ctx *v);
void val_topology(struct val_ctx *v);
void val_session(struct val_ctx *v);
void val_pool(struct val_ctx *v);
void val_calico(struct val_ctx *v);

#endif
