/*
 * A configuration change applied to a running world, for rrkit rollout
 * (rollout/): the run in pieces (sim_start, sim_advance up to a step's
 * time), and a session de-configured, configured, restarted or changed in
 * place at the clock's time, as BIRD's `birdc configure` and an IOS
 * configuration change do it (docs/rollout.md).  A stopped session sends
 * its Cease through the state machine (ManualStop with the subcode), its
 * routes are withdrawn by the usual down path (rib_side_down), and it is
 * not started again until configured again.
 */
#include "bgpsim/simpriv.h"

#include <string.h>

void
sim_start(struct sim *s)
{
	struct world *w = &s->w;
	uint32_t i;

	if (s->ran)
		return;
	s->ran = true;
	for (i = 0; i < w->nside; i++)
		if (w->side[i].pub.enabled)
			sched_push(&w->sched, 0, SEV_START, i, 0, 0);
	for (i = 0; i < w->opts.nfaults; i++)
		sched_push(&w->sched, w->opts.faults[i].at_ms, SEV_FAULT, i, 0,
		           0);
}

uint64_t
sim_advance(struct sim *s, uint64_t t_ms)
{
	struct world *w = &s->w;
	struct sched_ev ev;

	for (;;) {
		uint64_t next = sched_next(&w->sched);
		if (t_ms == SIM_NEVER) {
			uint64_t q = (w->last_change > w->last_fault
			                      ? w->last_change
			                      : w->last_fault) +
			             sim_quiet_ms(w);
			if (q < w->sched.now)
				q = w->sched.now;
			if (!w->sched.nontimer &&
			    (next == SIM_NEVER || next > q)) {
				w->sched.now = q;
				w->stats.converged = true;
				break;
			}
			if (next > w->opts.cap_ms) {
				/* the clock never goes back: a step applied
				 * past the cap (the current state converged
				 * after it) ends the run where it stands */
				if (w->sched.now < w->opts.cap_ms)
					w->sched.now = w->opts.cap_ms;
				w->stats.capped = true;
				break;
			}
		} else if (next == SIM_NEVER || next >= t_ms) {
			if (t_ms > w->sched.now)
				w->sched.now = t_ms;
			break;
		}
		sched_pop(&w->sched, &ev);
		sim_dispatch(w, &ev);
	}
	w->stats.end_ms = w->sched.now;
	w->stats.events = w->sched.popped;
	return w->sched.now;
}

uint64_t
sim_now(const struct sim *s)
{
	return s->w.sched.now;
}

/* Every machine of side si stops (a Cease with `sub` where a session
 * exists) and is let go. */
void
stop_side(struct world *w, uint32_t si, uint8_t sub)
{
	struct wside *sd = &w->side[si];
	int guard;

	for (guard = 0; guard < 4; guard++) {
		uint32_t fi = sd->second != SIM_NONE ? sd->second : sd->main;
		if (fi == SIM_NONE)
			break;
		if (w->fsm[fi].live && w->fsm[fi].f.state != FSM_ST_IDLE) {
			w->fsm[fi].f.stop_subcode = sub;
			session_kick(w, fi, FSM_EV_MANUAL_STOP);
		}
		/* the kick may have let it go already */
		if (w->fsm[fi].live && (sd->main == fi || sd->second == fi))
			session_free(w, fi);
	}
	world_changed(w);
}

/*
 * IOS `neighbor X maximum-prefix N`: once more than N prefixes are taken
 * from X (after its inbound policy), IOS sends a Cease with subcode 1,
 * Maximum Number of Prefixes Reached (RFC 4486 3), and keeps the neighbor
 * down ("Idle (PfxCt)") until `clear ip bgp X`, or for M minutes with
 * `restart M` (Cisco IOS IP Routing: BGP Command Reference,
 * "neighbor maximum-prefix"); FRR does the same (bgp_maximum_prefix_overflow
 * in bgpd/bgp_route.c, its restart timer bgp_maximum_prefix_restart_timer).
 * `warning-only` only logs.  A restart is due M minutes later: it does not
 * keep a quiet run going (a timer), --until past it plays it.
 */
void
max_prefix_stop(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];
	const struct rr_nb_rare *r = rr_nb_rare(sd->pub.nb);
	uint32_t got = sd->rib.in.count;

	if (!sd->pub.enabled || !sd->max_prefix_hit)
		return;
	stop_side(w, si, ERR_CEASE_MAXPREFIX);
	sd->pub.enabled = false;
	/* the Cease it sent is what `show ip bgp summary` (Idle (PfxCt))
	 * and the session's last NOTIFICATION tell */
	sd->pub.notif = sd->pub.notif_sent = true;
	sd->pub.code = ERR_CEASE;
	sd->pub.subcode = ERR_CEASE_MAXPREFIX;
	sd->pub.sock = SIM_SOCK_NONE;
	if (sd->max_prefix_restart) {
		sd->disabled_why = rr_arena_printf(
		        &w->arena,
		        "maximum-prefix %u: %u prefixes received, more than "
		        "the limit: IOS sends a Cease (maximum number of "
		        "prefixes reached) and keeps the neighbor down for %u "
		        "minute%s ('restart %u'), then again each time more "
		        "arrive",
		        sd->max_prefix, got, sd->max_prefix_restart,
		        sd->max_prefix_restart == 1 ? "" : "s",
		        sd->max_prefix_restart);
		sched_push(&w->sched,
		           w->sched.now +
		                   (uint64_t)sd->max_prefix_restart * 60000u,
		           SEV_MAXPFX_RESTART, si, ++sd->max_prefix_gen, 0);
	} else {
		sd->disabled_why = rr_arena_printf(
		        &w->arena,
		        "maximum-prefix %u: %u prefixes received, more than "
		        "the limit: IOS sends a Cease (maximum number of "
		        "prefixes reached) and keeps the neighbor down until "
		        "'clear ip bgp'",
		        sd->max_prefix, got);
	}
	sd->disabled_at = r->maximum_prefix.at;
	sd->pub.last_error = sd->disabled_why;
	world_changed(w);
}

void
max_prefix_restart(struct world *w, uint32_t si, uint32_t gen)
{
	struct wside *sd = &w->side[si];

	/* a later stop, or a reconfiguration, made this one stale */
	if (gen != sd->max_prefix_gen || sd->pub.enabled || !sd->max_prefix_hit)
		return;
	sd->max_prefix_hit = false;
	sd->pub.enabled = true;
	sd->disabled_why = NULL;
	sd->disabled_at.line = 0;
	world_changed(w);
	sched_push(&w->sched, w->sched.now, SEV_START, si, 0, 0);
}

void
sim_reconf(struct sim *s, uint32_t si, enum sim_reconf how,
           const struct rr_neighbor *nb, uint8_t cease_sub)
{
	struct world *w = &s->w;
	struct wside *sd = &w->side[si];
	bool waited = sd->pub.lock_wait;

	if (how == SIM_RC_STOP || how == SIM_RC_RESTART) {
		uint32_t next;
		stop_side(w, si, cease_sub);
		/* BIRD frees the lock on the neighbor's address and port: the
		 * first protocol waiting for it starts (world_lock_holder) */
		next = world_lock_release(w, si);
		if (next != SIM_NONE && s->ran)
			sched_push(&w->sched, w->sched.now, SEV_START, next, 0,
			           0);
	}
	if (how == SIM_RC_STOP) {
		sd->pub.enabled = false;
		sd->pub.lock_wait = false;
		sd->deconfigured = true;
		sd->disabled_why = "de-configured";
		world_changed(w);
		return;
	}
	sd->deconfigured = false;
	sd->pub.lock_wait = false;
	world_side_config(w, si, nb);
	/* a new or restarted protocol queues for the lock behind the one
	 * holding it; one waiting and changed in place waits on */
	if (how != SIM_RC_INPLACE || waited)
		(void)world_lock_check(w, si);
	if (how != SIM_RC_INPLACE)
		world_repair(w, si);
	world_changed(w);
	if (how != SIM_RC_INPLACE && s->ran && sd->pub.enabled &&
	    sd->main == SIM_NONE)
		sched_push(&w->sched, w->sched.now, SEV_START, si, 0, 0);
}

void
sim_reconf_cluster_id(struct sim *s, uint32_t k, uint32_t id)
{
	struct world *w = &s->w;
	struct wspk *sp = &w->spk[k];
	uint32_t i;

	sp->pub.cluster_id = id;
	if (sp->bird)
		return;
	for (i = 0; i < sp->pub.nsessions; i++)
		w->side[sp->pub.first_session + i].cluster_id = id;
}

uint64_t
sim_established(const struct sim *s)
{
	const struct world *w = &s->w;
	uint64_t n = 0;
	uint32_t si;

	for (si = 0; si < w->nside; si++) {
		const struct wside *sd = &w->side[si];
		uint32_t t = sd->pub.partner;
		if (sd->pub.state != FSM_ST_ESTABLISHED)
			continue;
		if (t == SIM_NONE ||
		    (t > si && w->side[t].pub.state == FSM_ST_ESTABLISHED))
			n++;
	}
	return n;
}
