/*
 * Timer values on one speaker, whatever the peer: a hold time must be 0
 * or at least 3 s (RFC 4271 4.2: peers answer NOTIFICATION 2/6
 * Unacceptable Hold Time) and a configured keepalive below it.  What two
 * ends of a session negotiate, and whether MD5, ports, identifiers and
 * activation let it come up, is analyze/'s.
 */
#include "validate/val_priv.h"

static void
timers(struct val_ctx *v, const char *what, const struct rr_opt_u32 *ka,
       const struct rr_opt_u32 *hold, const struct rr_loc *dflt)
{
	if (!hold->set)
		return;
	if (hold->v == 1 || hold->v == 2)
		val_report(v, "hold-time-invalid", val_loc(&hold->at, dflt),
			   "%s hold time %u s: it must be 0 or at least 3 s "
			   "(RFC 4271 section 4.2); peers answer "
			   "NOTIFICATION 2/6 Unacceptable Hold Time",
			   what, hold->v);
	else if (ka->set && hold->v && ka->v >= hold->v)
		val_report(v, "hold-time-invalid", val_loc(&ka->at, dflt),
			   "%s keepalive %u s is not below the hold time %u s: "
			   "the session expires between keepalives",
			   what, ka->v, hold->v);
}

void
val_session(struct val_ctx *v)
{
	size_t i, j;
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *s = v->m->speakers[i];
		if (s->kind != RR_SPK_IOS)
			continue;
		timers(v, "'timers bgp'", &s->keepalive, &s->hold, &s->loc);
		for (j = 0; j < s->nneighbors; j++)
			timers(v, "neighbor", &s->neighbors[j].keepalive,
			       &s->neighbors[j].hold, &s->neighbors[j].loc);
	}
}
