/*
 * The simulation run: build the world, originate every speaker's routes,
 * start every session at time zero, apply the faults at their times, and
 * stop when the world is quiet (nothing but timers queued and no route or
 * session change for three times the largest keepalive, at least 30 s),
 * at --until, or at the time cap.  Then the verdict: every expected
 * session up, and every node holding a route to every other node's blocks
 * whose next hop leads to that node; each miss gets a cause pointing at
 * the configuration line behind it.
 *
 * Also BIRD's words for what `birdc show protocols` shows (proto/bgp/
 * packets.c bgp_msg_table, bgp.c bgp_state_dsc, bgp_err_classes), which
 * calicoctl node status repeats (calico-semantics.md 3.8).
 */
#include "bgpsim/simpriv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sim {
	struct world w;
	struct sim_verdict verdict;
	struct sim_missing *missing;
	size_t nmissing, capmissing;
	bool ran;
};

/* ------------------------------------------------------------ faults */

static int
parse_secs(const char *s, uint64_t *ms)
{
	uint64_t v = 0, frac = 0;
	int nd = 0, nf = 0;

	for (; *s >= '0' && *s <= '9'; s++, nd++) {
		if (v > UINT64_MAX / 10000)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, nf++) {
			if (nf >= 3)
				return -1;
			frac = frac * 10 + (uint64_t)(*s - '0');
		}
		if (!nf)
			return -1;
	}
	if (*s || !nd)
		return -1;
	for (; nf < 3; nf++)
		frac *= 10;
	*ms = v * 1000 + frac;
	return 0;
}

int
sim_fault_parse(enum sim_fault_kind kind, const char *text, struct rr_arena *a,
                struct sim_fault *out, const char **why)
{
	const char *at = strrchr(text, '@'), *comma;

	memset(out, 0, sizeof(*out));
	out->kind = kind;
	if (!at || at == text) {
		*why = kind == SIM_FAULT_FAIL ? "expected SPEAKER@SECONDS"
		                              : "expected A,B@SECONDS";
		return -1;
	}
	if (parse_secs(at + 1, &out->at_ms) < 0) {
		*why = "the time is not a number of seconds";
		return -1;
	}
	if (kind == SIM_FAULT_FAIL) {
		out->a = rr_arena_strndup(a, text, (size_t)(at - text));
		return 0;
	}
	comma = memchr(text, ',', (size_t)(at - text));
	if (!comma || comma == text || comma + 1 == at) {
		*why = "expected A,B@SECONDS";
		return -1;
	}
	out->a = rr_arena_strndup(a, text, (size_t)(comma - text));
	out->b = rr_arena_strndup(a, comma + 1, (size_t)(at - comma - 1));
	return 0;
}

uint32_t
sim_find_speaker(const struct sim *s, const char *name)
{
	struct rr_addr a;
	uint32_t k;

	for (k = 0; k < s->w.nspk; k++)
		if (s->w.spk[k].pub.name && !strcmp(s->w.spk[k].pub.name, name))
			return k;
	if (rr_addr_parse(name, &a) == 0)
		return world_owner(&s->w, &a);
	return SIM_NONE;
}

/* ------------------------------------------------------------ build */

int
sim_new(const struct rr_model *m, const struct sim_opts *o, struct sim **out,
        struct rr_diags *d)
{
	static const char *const flag[] = {"--fail", "--cut", "--restore"};
	struct sim *s = rr_xcalloc(1, sizeof(*s));
	struct world *w = &s->w;
	size_t i;
	int rc = 0;

	*out = NULL;
	world_build(w, m, o, d);
	w->fault_a = rr_xcalloc(o->nfaults + 1, sizeof(uint32_t));
	w->fault_b = rr_xcalloc(o->nfaults + 1, sizeof(uint32_t));
	for (i = 0; i < o->nfaults; i++) {
		const struct sim_fault *f = &o->faults[i];
		w->fault_a[i] = sim_find_speaker(s, f->a);
		w->fault_b[i] = f->b ? sim_find_speaker(s, f->b) : SIM_NONE;
		if (w->fault_a[i] == SIM_NONE ||
		    (f->kind != SIM_FAULT_FAIL && w->fault_b[i] == SIM_NONE)) {
			rr_diag_add(d, RR_SEV_FATAL, NULL, NULL,
			            "%s: no speaker is named '%s' or owns that "
			            "address",
			            flag[f->kind],
			            w->fault_a[i] == SIM_NONE ? f->a : f->b);
			rc = -1;
		} else if (f->kind != SIM_FAULT_FAIL &&
		           w->fault_a[i] == w->fault_b[i]) {
			rr_diag_add(d, RR_SEV_FATAL, NULL, NULL,
			            "%s: '%s' and '%s' are the same speaker",
			            flag[f->kind], f->a, f->b);
			rc = -1;
		}
	}
	if (rc < 0) {
		sim_free(s);
		return -1;
	}
	rib_originate(w);
	w->stats.mesh_sessions = m->mesh_sessions;
	w->stats.mesh_elided = m->mesh_elided;
	*out = s;
	return 0;
}

struct world *
sim_world(struct sim *s)
{
	return &s->w;
}

void
sim_free(struct sim *s)
{
	if (!s)
		return;
	world_release(&s->w);
	free(s->missing);
	free(s);
}

/* --------------------------------------------------------------- run */

static uint64_t
quiet_ms(const struct world *w)
{
	uint64_t k = w->max_keepalive ? w->max_keepalive : w->offered_keepalive;
	uint64_t q = 3 * k * 1000;
	return q < 30000 ? 30000 : q;
}

static void finish(struct sim *s);

void
sim_run(struct sim *s)
{
	struct world *w = &s->w;
	uint64_t stop = w->opts.until_ms ? w->opts.until_ms : w->opts.cap_ms;
	uint64_t end = 0;
	uint32_t i;
	struct sched_ev ev;

	if (s->ran)
		return;
	s->ran = true;
	for (i = 0; i < w->nside; i++)
		if (w->side[i].pub.enabled)
			sched_push(&w->sched, 0, SEV_START, i, 0, 0);
	for (i = 0; i < w->opts.nfaults; i++)
		sched_push(&w->sched, w->opts.faults[i].at_ms, SEV_FAULT, i, 0,
		           0);
	for (;;) {
		uint64_t next = sched_next(&w->sched);
		uint64_t q = (w->last_change > w->last_fault ? w->last_change
		                                             : w->last_fault) +
		             quiet_ms(w);
		if (!w->opts.until_ms && !w->sched.nontimer &&
		    (next == SIM_NEVER || next > q)) {
			end = q < stop ? q : stop;
			w->stats.converged = q <= stop;
			w->stats.capped = q > stop;
			break;
		}
		if (next == SIM_NEVER || next > stop) {
			end = stop;
			w->stats.capped = !w->opts.until_ms;
			break;
		}
		sched_pop(&w->sched, &ev);
		world_dispatch(w, &ev);
	}
	w->sched.now = end;
	w->stats.end_ms = end;
	w->stats.events = w->sched.popped;
	finish(s);
}

/* ----------------------------------------------------------- verdict */

static struct sim_missing *
add_missing(struct sim *s, enum sim_missing_kind kind)
{
	struct sim_missing *x;

	if (s->nmissing == s->capmissing) {
		s->capmissing = s->capmissing ? s->capmissing * 2 : 16;
		s->missing =
		        rr_xrealloc(s->missing, s->capmissing * sizeof(*x));
	}
	x = &s->missing[s->nmissing++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->session = x->speaker = x->origin = SIM_NONE;
	return x;
}

static const char *
addr_s(const struct rr_addr *a, char *buf)
{
	return a->af ? rr_addr_str(a, buf) : "-";
}

static const char *
spk_name(const struct world *w, uint32_t k)
{
	return k == SIM_NONE ? "?" : w->spk[k].pub.name;
}

static const struct rr_loc *
nb_loc(const struct wside *sd)
{
	return &sd->pub.nb->loc;
}

static const struct rr_loc *
hold_loc(const struct world *w, const struct wside *sd)
{
	const struct rr_speaker *s = w->spk[sd->pub.speaker].pub.spk;

	if (sd->pub.nb->hold.set)
		return &sd->pub.nb->hold.at;
	if (s->hold.set)
		return &s->hold.at;
	return nb_loc(sd);
}

static bool
cut_at_end(const struct world *w, uint32_t a, uint32_t b)
{
	size_t i;

	for (i = 0; i < w->ncuts; i++)
		if (w->cuts[i].cut &&
		    ((w->cuts[i].a == a && w->cuts[i].b == b) ||
		     (w->cuts[i].a == b && w->cuts[i].b == a)))
			return true;
	return false;
}

/* Why an expected session is not up: text, config line, side blamed. */
static void
session_cause(struct sim *s, uint32_t si, struct sim_missing *x)
{
	struct world *w = &s->w;
	struct rr_arena *a = &w->arena;
	const struct wside *sd = &w->side[si], *t = NULL, *r = NULL, *o;
	char b1[RR_ADDR_STRLEN], b2[RR_ADDR_STRLEN];
	uint32_t ti = sd->pub.partner;

	x->session = si;
	x->loc = *nb_loc(sd);
	if (ti != SIM_NONE)
		t = &w->side[ti];
	{
		uint32_t p = sd->pub.peer_speaker;
		uint32_t dead =
		        w->spk[sd->pub.speaker].pub.failed ? sd->pub.speaker
		        : p != SIM_NONE && w->spk[p].pub.failed ? p
		                                                : SIM_NONE;
		if (dead != SIM_NONE) {
			x->cause = rr_arena_printf(
			        a, "%s failed at %llu.%03llu s (--fail)",
			        spk_name(w, dead),
			        (unsigned long long)(w->spk[dead]
			                                     .pub.failed_at_ms /
			                             1000),
			        (unsigned long long)(w->spk[dead]
			                                     .pub.failed_at_ms %
			                             1000));
			return;
		}
		if (p != SIM_NONE && cut_at_end(w, sd->pub.speaker, p)) {
			x->cause = rr_arena_printf(
			        a, "the link %s - %s is cut (--cut)",
			        spk_name(w, sd->pub.speaker), spk_name(w, p));
			return;
		}
	}
	if (t && !t->pub.enabled) {
		x->session = ti;
		x->cause = rr_arena_printf(
		        a, "%s: neighbor %s %s", spk_name(w, t->pub.speaker),
		        addr_s(&t->pub.peer, b1), t->disabled_why);
		x->loc = t->disabled_at;
		return;
	}
	if (!sd->pub.enabled) {
		x->cause = rr_arena_printf(
		        a, "%s: %s %s", spk_name(w, sd->pub.speaker),
		        addr_s(&sd->pub.peer, b1), sd->disabled_why);
		x->loc = sd->disabled_at;
		return;
	}
	if (!t) {
		uint32_t p = sd->pub.peer_speaker;
		if (p == SIM_NONE)
			x->cause = rr_arena_printf(
			        a, "no speaker in the inputs owns %s",
			        addr_s(&sd->pub.peer, b1));
		else if (w->spk[p].pub.kind == RR_SPK_IOS)
			x->cause = rr_arena_printf(
			        a,
			        "%s has no neighbor or listen range for %s: it "
			        "refuses the connection",
			        spk_name(w, p), addr_s(&sd->pub.local, b1));
		else
			x->cause = rr_arena_printf(
			        a,
			        "%s has no session toward %s: BIRD drops the "
			        "connection (Unexpected connect from unknown "
			        "address)",
			        spk_name(w, p), addr_s(&sd->pub.local, b1));
		return;
	}
	/* an OPEN refused: blame the refusing side's expectation */
	if (sd->pub.notif && sd->pub.notif_sent && sd->pub.code == ERR_OPEN)
		r = sd, o = t;
	else if (t->pub.notif && t->pub.notif_sent && t->pub.code == ERR_OPEN)
		r = t, o = sd;
	if (r) {
		uint32_t ri = (uint32_t)(r - w->side),
		         oi = (uint32_t)(o - w->side);
		x->session = ri;
		switch (r->pub.subcode) {
		case ERR_OPEN_PEER_AS:
			x->cause = rr_arena_printf(
			        a,
			        "%s expects AS %u from %s, which has AS %u "
			        "(NOTIFICATION 2/2 Bad Peer AS)",
			        spk_name(w, r->pub.speaker), r->cfg.remote_as,
			        spk_name(w, o->pub.speaker), o->cfg.local_as);
			x->loc = r->pub.nb->remote_as.set
			                 ? r->pub.nb->remote_as.at
			                 : *nb_loc(r);
			return;
		case ERR_OPEN_HOLDTIME: {
			uint16_t h = o->cfg.open ? o->cfg.open->hold : 0;
			x->session = oi;
			x->cause = rr_arena_printf(
			        a,
			        "%s offers hold time %u s, which %s refuses "
			        "(NOTIFICATION 2/6 Unacceptable Hold Time)",
			        spk_name(w, o->pub.speaker), h,
			        spk_name(w, r->pub.speaker));
			x->loc = *hold_loc(w, o);
			return;
		}
		case ERR_OPEN_BGPID: {
			const struct wside *ios =
			        w->spk[o->pub.speaker].pub.kind == RR_SPK_IOS
			                ? o
			                : r;
			const struct rr_speaker *sp =
			        w->spk[ios->pub.speaker].pub.spk;
			struct rr_addr id = rr_addr_from_v4(o->cfg.router_id);
			x->session = (uint32_t)(ios - w->side);
			x->cause = rr_arena_printf(
			        a,
			        "%s and %s use the same BGP identifier %s "
			        "(NOTIFICATION 2/3 Bad BGP Identifier)",
			        spk_name(w, r->pub.speaker),
			        spk_name(w, o->pub.speaker),
			        rr_addr_str(&id, b1));
			x->loc = sp->router_id.set ? sp->router_id.at : sp->loc;
			return;
		}
		default:
			x->cause = rr_arena_printf(
			        a, "%s refuses the OPEN of %s: %s",
			        spk_name(w, r->pub.speaker),
			        spk_name(w, o->pub.speaker),
			        r->pub.last_error ? r->pub.last_error
			                          : "NOTIFICATION");
			x->loc = *nb_loc(r);
			return;
		}
	}
	if (sd->pw != t->pw || (sd->pw && sd->pw_hash != t->pw_hash)) {
		const struct wside *h = sd->pw ? sd : t;
		x->session = (uint32_t)(h - w->side);
		x->cause = rr_arena_printf(
		        a,
		        sd->pw && t->pw
		                ? "the TCP MD5 passwords of %s and %s differ: "
		                  "the SYNs are dropped"
		                : "only %s sets a TCP MD5 password (not %s): "
		                  "the SYNs are dropped",
		        spk_name(w, h->pub.speaker),
		        spk_name(w, (h == sd ? t : sd)->pub.speaker));
		x->loc = h->pub.nb->password.set ? h->pub.nb->password.at
		                                 : *nb_loc(h);
		return;
	}
	if (sd->cfg.passive && t->cfg.passive) {
		x->cause = rr_arena_printf(
		        a, "%s and %s are both passive: nobody dials",
		        spk_name(w, sd->pub.speaker),
		        spk_name(w, t->pub.speaker));
		return;
	}
	{
		const struct wside *d =
		        sd->pub.port != w->spk[t->pub.speaker].listen_port ? sd
		        : t->pub.port != w->spk[sd->pub.speaker].listen_port
		                ? t
		                : NULL;
		if (d) {
			const struct wside *e = d == sd ? t : sd;
			x->session = (uint32_t)(d - w->side);
			x->cause = rr_arena_printf(
			        a, "%s dials port %u, but %s listens on %u",
			        spk_name(w, d->pub.speaker), d->pub.port,
			        spk_name(w, e->pub.speaker),
			        w->spk[e->pub.speaker].listen_port);
			x->loc = *nb_loc(d);
			return;
		}
	}
	x->cause = rr_arena_printf(
	        a, "not established (%s: %s; %s: %s)",
	        spk_name(w, sd->pub.speaker),
	        sd->pub.last_error ? sd->pub.last_error
	                           : bgp_fsm_state_name(sd->pub.state),
	        spk_name(w, t->pub.speaker),
	        t->pub.last_error ? t->pub.last_error
	                          : bgp_fsm_state_name(t->pub.state));
	(void)b2;
}

static bool
session_up(const struct world *w, uint32_t si)
{
	const struct wside *sd = &w->side[si];

	if (sd->pub.state != FSM_ST_ESTABLISHED)
		return false;
	return sd->pub.partner == SIM_NONE ||
	       w->side[sd->pub.partner].pub.state == FSM_ST_ESTABLISHED;
}

static bool
any_up(const struct world *w, uint32_t k)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t i;

	for (i = 0; i < sp->pub.nsessions; i++)
		if (w->side[sp->pub.first_session + i].pub.state ==
		    FSM_ST_ESTABLISHED)
			return true;
	return false;
}

/* Does the best path of pid at n lead (hop by hop) to node m? */
static bool
reaches(const struct world *w, uint32_t n, uint32_t pid, uint32_t m)
{
	uint32_t cur = n, depth, ia, src;

	for (depth = 0; depth < 8; depth++) {
		const struct rib_attrs *a;
		src = rib_best(w, cur, pid, &ia);
		if (src == SIM_NONE)
			return false;
		if (src == RIB_SRC_LOCAL)
			return cur == m;
		a = rib_attrs(w, ia);
		if (a->nh_owner == m)
			return true;
		if (a->nh_owner == SIM_NONE || a->nh_owner == cur ||
		    w->spk[a->nh_owner].pub.failed)
			return false;
		cur = a->nh_owner;
	}
	return false;
}

/* The first expected session of speaker k that is down, SIM_NONE. */
static uint32_t
first_down(const struct world *w, uint32_t k)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t i;

	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t si = sp->pub.first_session + i;
		const struct wside *sd = &w->side[si];
		if (sd->pub.state == FSM_ST_ESTABLISHED)
			continue;
		if (sd->pub.expected)
			return si;
		if (sd->pub.partner != SIM_NONE &&
		    w->side[sd->pub.partner].pub.expected)
			return sd->pub.partner;
	}
	return sp->pub.nsessions ? sp->pub.first_session : SIM_NONE;
}

static void
why_text(struct sim *s, uint32_t x, uint32_t pid, uint32_t pi, enum rib_why why,
         struct sim_missing *m)
{
	struct world *w = &s->w;
	const struct wside *p = &w->side[pi];
	uint32_t ia, src = rib_best(w, x, pid, &ia);
	char b1[RR_ADDR_STRLEN], b2[RR_ADDR_STRLEN];
	const char *to = spk_name(w, p->pub.peer_speaker);

	m->session = pi;
	m->loc = *nb_loc(p);
	switch (why) {
	case RIB_SPLIT_HORIZON:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s does not pass it on to %s: it came from %s, and "
		        "neither is a route-reflector client (iBGP split "
		        "horizon)",
		        spk_name(w, x), to,
		        src < w->nside ? addr_s(&w->side[src].pub.peer, b1)
		                       : "itself");
		break;
	case RIB_NO_C2C:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s does not reflect between clients (no bgp "
		        "client-to-client reflection)",
		        spk_name(w, x));
		if (w->spk[x].pub.spk->client_to_client.set)
			m->loc = w->spk[x].pub.spk->client_to_client.at;
		break;
	case RIB_CALICO_POOL:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s exports only its blocks and routes inside its "
		        "IPPools (calico-semantics R32)",
		        spk_name(w, x));
		break;
	case RIB_CALICO_DISABLED:
		m->cause = rr_arena_printf(
		        &w->arena, "%s: the IPPool has disableBGPExport",
		        spk_name(w, x));
		break;
	case RIB_FAMILY:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s's session to %s carries only IPv%d routes: no "
		        "IPv%d session carries it",
		        spk_name(w, x), to, p->pub.ipv6 ? 6 : 4,
		        p->pub.ipv6 ? 4 : 6);
		break;
	case RIB_NOT_ACTIVATED:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s: neighbor %s is not activated for this address "
		        "family",
		        spk_name(w, x), addr_s(&p->pub.peer, b2));
		break;
	default:
		m->cause =
		        rr_arena_printf(&w->arena, "%s does not send it to %s",
		                        spk_name(w, x), to);
		break;
	}
}

static bool
drop_text(struct sim *s, uint32_t di, struct sim_missing *m)
{
	struct world *w = &s->w;
	const struct wside *d = &w->side[di];
	const struct wspk *sp = &w->spk[d->pub.speaker];
	const struct rr_speaker *spk = sp->pub.spk;
	struct rr_addr c = rr_addr_from_v4(d->rib.drop_val);
	char b1[RR_ADDR_STRLEN];

	m->session = di;
	switch (d->rib.drop) {
	case RIB_DROP_CLUSTER:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s drops it: its CLUSTER_LIST holds %s, %s's own "
		        "cluster id (reflectors sharing a cluster id must "
		        "share their clients)",
		        sp->pub.name, rr_addr_str(&c, b1), sp->pub.name);
		m->loc = spk->cluster_id.set  ? spk->cluster_id.at
		         : spk->router_id.set ? spk->router_id.at
		                              : spk->loc;
		return true;
	case RIB_DROP_ORIGINATOR:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s drops it: its ORIGINATOR_ID is %s's own router id",
		        sp->pub.name, sp->pub.name);
		m->loc = spk->router_id.set ? spk->router_id.at : spk->loc;
		return true;
	case RIB_DROP_ASLOOP:
		m->cause = rr_arena_printf(
		        &w->arena, "%s drops it: its AS_PATH holds AS %u",
		        sp->pub.name, d->cfg.local_as);
		m->loc = *nb_loc(d);
		return true;
	case RIB_DROP_FAMILY:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s ignores it: the session does not carry this "
		        "address family",
		        sp->pub.name);
		m->loc = *nb_loc(d);
		return true;
	case RIB_DROP_WITHDRAW:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s treats it as withdrawn (malformed, RFC 7606)",
		        sp->pub.name);
		m->loc = *nb_loc(d);
		return true;
	default:
		return false;
	}
}

/* Walk from n toward the origin m: who has the route and why it stops. */
static bool
explain(struct sim *s, uint32_t n, uint32_t pid, uint32_t m, unsigned depth,
        uint8_t *seen, struct sim_missing *x)
{
	struct world *w = &s->w;
	const struct wspk *sp = &w->spk[n];
	uint32_t i;

	if (depth > 6)
		return false;
	seen[n] = 1;
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t di = sp->pub.first_session + i, pi, peer, ia;
		const struct wside *d = &w->side[di];
		if (d->pub.state != FSM_ST_ESTABLISHED)
			continue;
		pi = d->pub.partner;
		peer = d->pub.peer_speaker;
		if (pi == SIM_NONE || peer == SIM_NONE ||
		    w->side[pi].pub.state != FSM_ST_ESTABLISHED)
			continue;
		if (rib_best(w, peer, pid, &ia) == SIM_NONE)
			continue;
		{
			enum rib_why why = rib_export_why(w, peer, pid, pi);
			if (why != RIB_OK) {
				why_text(s, peer, pid, pi, why, x);
				return true;
			}
			if (d->rib.ndrops && drop_text(s, di, x))
				return true;
		}
	}
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t di = sp->pub.first_session + i;
		const struct wside *d = &w->side[di];
		uint32_t peer = d->pub.peer_speaker;
		if (d->pub.state != FSM_ST_ESTABLISHED || peer == SIM_NONE ||
		    seen[peer] || peer == m)
			continue;
		if (explain(s, peer, pid, m, depth + 1, seen, x))
			return true;
	}
	return false;
}

static void
route_cause(struct sim *s, uint32_t n, uint32_t pid, uint32_t m,
            struct sim_missing *x, uint8_t *seen)
{
	struct world *w = &s->w;
	char b1[RR_PREFIX_STRLEN], b2[RR_ADDR_STRLEN];
	uint32_t ia, si;

	x->loc = w->spk[n].pub.spk->loc;
	if (rib_best(w, n, pid, &ia) != SIM_NONE) {
		const struct rib_attrs *a = rib_attrs(w, ia);
		x->cause = rr_arena_printf(
		        &w->arena,
		        "%s's route for %s points at next hop %s, which does "
		        "not lead to %s",
		        spk_name(w, n), rr_prefix_str(&w->pfx[pid].p, b1),
		        addr_s(&a->next_hop, b2), spk_name(w, m));
		return;
	}
	if (!w->spk[n].pub.nsessions || !w->spk[m].pub.nsessions) {
		uint32_t who = w->spk[n].pub.nsessions ? m : n;
		x->loc = w->spk[who].pub.spk->loc;
		x->cause = rr_arena_printf(
		        &w->arena,
		        "%s has no BGP session (no mesh and no BGPPeer selects "
		        "it)",
		        spk_name(w, who));
		return;
	}
	if (!any_up(w, n) || !any_up(w, m)) {
		struct sim_missing sc;
		uint32_t who = any_up(w, n) ? m : n;
		si = first_down(w, who);
		memset(&sc, 0, sizeof(sc));
		session_cause(s, si, &sc);
		x->session = sc.session;
		x->loc = sc.loc;
		x->cause = rr_arena_printf(&w->arena,
		                           "%s has no established session: %s",
		                           spk_name(w, who), sc.cause);
		return;
	}
	memset(seen, 0, w->nspk);
	if (explain(s, n, pid, m, 0, seen, x))
		return;
	x->cause = rr_arena_printf(&w->arena, "no path from %s reaches %s",
	                           spk_name(w, m), spk_name(w, n));
}

static bool
is_node(const struct world *w, uint32_t k)
{
	const struct rr_speaker *s = w->spk[k].pub.spk;

	return s->kind == RR_SPK_CALICO && s->bgp_configured && s->naddrs &&
	       !w->spk[k].pub.failed;
}

static bool
has_family(const struct rr_speaker *s, uint8_t af)
{
	size_t i;

	for (i = 0; i < s->naddrs; i++)
		if (s->addrs[i].p.addr.af == af)
			return true;
	return false;
}

static void
finish(struct sim *s)
{
	struct world *w = &s->w;
	struct sim_verdict *v = &s->verdict;
	uint32_t si, n, m;
	size_t i;
	uint64_t budget = w->opts.max_missing;
	uint8_t *seen = rr_xcalloc(w->nspk + 1, 1);
	uint32_t **origin_pids = rr_xcalloc(w->nspk + 1, sizeof(uint32_t *));

	/* the counters of every machine a side ever had */
	for (si = 0; si < w->nside; si++) {
		struct wside *sd = &w->side[si];
		uint32_t f[2] = {sd->main, sd->second}, k;
		sd->pub.msgs_in = sd->done_in;
		sd->pub.msgs_out = sd->done_out;
		sd->pub.updates_in = sd->done_upd_in;
		for (k = 0; k < 2; k++)
			if (f[k] != SIM_NONE) {
				sd->pub.msgs_in += w->fsm[f[k]].f.msgs_in;
				sd->pub.msgs_out += w->fsm[f[k]].f.msgs_out;
				sd->pub.updates_in += w->fsm[f[k]].f.updates_in;
			}
	}
	/* faults change what is expected: a dead speaker's sessions and
	 * routes, sessions over a link still cut */
	for (si = 0; si < w->nside; si++) {
		struct wside *sd = &w->side[si];
		uint32_t a = sd->pub.speaker, b = sd->pub.peer_speaker;
		if (w->spk[a].pub.failed ||
		    (b != SIM_NONE &&
		     (w->spk[b].pub.failed || cut_at_end(w, a, b))))
			sd->pub.expected = false;
	}
	for (si = 0; si < w->nside; si++) {
		if (!w->side[si].pub.expected)
			continue;
		v->sessions_expected++;
		if (session_up(w, si)) {
			v->sessions_up++;
			continue;
		}
		if (budget) {
			budget--;
			session_cause(s, si, add_missing(s, SIM_MISS_SESSION));
		} else {
			v->unexplained++;
		}
	}
	if (w->stats.mesh_elided) {
		const struct rr_calico *c = &w->m->calico;
		struct sim_missing *x = add_missing(s, SIM_MISS_SESSION);
		v->sessions_expected += w->stats.mesh_sessions;
		x->cause = rr_arena_printf(
		        &w->arena,
		        "the node-to-node mesh (%llu sessions) is too large to "
		        "simulate and was not built",
		        (unsigned long long)w->stats.mesh_sessions);
		for (i = 0; i < c->nbgpconfigs; i++)
			if (c->bgpconfigs[i].meta.name &&
			    !strcmp(c->bgpconfigs[i].meta.name, "default"))
				x->loc =
				        c->bgpconfigs[i].node_to_node_mesh_enabled
				                        .set
				                ? c->bgpconfigs[i]
				                          .node_to_node_mesh_enabled
				                          .at
				                : c->bgpconfigs[i].meta.loc;
	}
	for (n = 0; n < w->nspk; n++) {
		const struct rr_speaker *sp = w->spk[n].pub.spk;
		if (!is_node(w, n) || !sp->noriginates)
			continue;
		origin_pids[n] = rr_xcalloc(sp->noriginates, sizeof(uint32_t));
		for (i = 0; i < sp->noriginates; i++)
			origin_pids[n][i] =
			        rib_prefix_id(w, &sp->originates[i].p);
	}
	for (n = 0; n < w->nspk; n++) {
		const struct rr_speaker *ns = w->spk[n].pub.spk;
		if (!is_node(w, n))
			continue;
		for (m = 0; m < w->nspk; m++) {
			const struct rr_speaker *ms = w->spk[m].pub.spk;
			if (m == n || !origin_pids[m])
				continue;
			for (i = 0; i < ms->noriginates; i++) {
				uint32_t pid = origin_pids[m][i];
				struct sim_missing *x;
				if (!has_family(ns,
				                ms->originates[i].p.addr.af) ||
				    rib_map_get(&w->spk[n].rib.local, pid))
					continue;
				v->routes_expected++;
				if (reaches(w, n, pid, m)) {
					v->routes_ok++;
					continue;
				}
				if (!budget) {
					v->unexplained++;
					continue;
				}
				budget--;
				x = add_missing(s, SIM_MISS_ROUTE);
				x->speaker = n;
				x->origin = m;
				x->prefix = w->pfx[pid].p;
				route_cause(s, n, pid, m, x, seen);
			}
		}
	}
	v->ok = v->sessions_up == v->sessions_expected &&
	        v->routes_ok == v->routes_expected && !w->stats.mesh_elided;
	v->missing = s->missing;
	v->nmissing = s->nmissing;
	for (n = 0; n < w->nspk; n++)
		free(origin_pids[n]);
	free(origin_pids);
	free(seen);
}

/* ---------------------------------------------------------- accessors */

size_t
sim_nspeakers(const struct sim *s)
{
	return s->w.nspk;
}

const struct sim_speaker *
sim_speaker(const struct sim *s, size_t i)
{
	return &s->w.spk[i].pub;
}

size_t
sim_nsessions(const struct sim *s)
{
	return s->w.nside;
}

const struct sim_session *
sim_session(const struct sim *s, size_t i)
{
	return &s->w.side[i].pub;
}

size_t
sim_nevents(const struct sim *s)
{
	return s->w.nev;
}

const struct sim_event *
sim_event(const struct sim *s, size_t i)
{
	return &s->w.ev[i];
}

const struct sim_verdict *
sim_verdict(const struct sim *s)
{
	return &s->verdict;
}

const struct sim_stats *
sim_stats(const struct sim *s)
{
	return &s->w.stats;
}

struct pid_sort {
	const struct world *w;
	uint32_t pid;
};

static int
cmp_pfx(const void *a, const void *b)
{
	const struct pid_sort *x = a, *y = b;
	return rr_prefix_cmp(&x->w->pfx[x->pid].p, &y->w->pfx[y->pid].p);
}

static void
fill_route(const struct world *w, uint32_t k, uint32_t pid, uint32_t src,
           uint32_t ia, bool best, struct sim_route *r, uint32_t *asbuf,
           size_t ascap)
{
	const struct rib_attrs *a = rib_attrs(w, ia);
	uint32_t i = 0;

	memset(r, 0, sizeof(*r));
	r->speaker = k;
	r->prefix = w->pfx[pid].p;
	r->best = best;
	r->session = src == RIB_SRC_LOCAL ? SIM_NONE : src;
	if (src != RIB_SRC_LOCAL) {
		r->from = w->side[src].pub.peer;
		r->next_hop = a->next_hop;
	}
	r->origin = a->origin;
	r->has_local_pref = a->has_lp;
	r->local_pref = a->local_pref;
	r->has_med = a->has_med;
	r->med = a->med;
	r->has_originator = a->has_orig;
	r->originator_id = a->originator_id;
	r->cluster_list = a->clusters;
	r->ncluster = a->ncluster;
	while (i + 1 < a->nsegs_words) {
		uint32_t n = a->segs[i + 1], j;
		for (j = 0; j < n && r->nas_path < ascap; j++)
			asbuf[r->nas_path++] = a->segs[i + 2 + j];
		i += 2 + n;
	}
	r->as_path = asbuf;
}

size_t
sim_routes(const struct sim *s, uint32_t k, sim_route_fn fn, void *ctx)
{
	const struct world *w = &s->w;
	const struct wspk *sp = &w->spk[k];
	struct rr_arena a;
	uint8_t *mark;
	struct pid_sort *v;
	uint32_t nv = 0, i, j, n, *keys;
	size_t count = 0;
	uint32_t asbuf[256];

	if (sp->pub.failed)
		return 0;
	rr_arena_init(&a);
	mark = rr_arena_calloc(&a, w->npfx + 1, 1);
	v = rr_arena_calloc(&a, w->npfx + 1, sizeof(*v));
	keys = rib_map_keys(&sp->rib.local, &a, &n);
	for (j = 0; j < n; j++)
		if (!mark[keys[j]]++)
			v[nv++] = (struct pid_sort){w, keys[j]};
	for (i = 0; i < sp->pub.nsessions; i++) {
		keys = rib_map_keys(&w->side[sp->pub.first_session + i].rib.in,
		                    &a, &n);
		for (j = 0; j < n; j++)
			if (!mark[keys[j]]++)
				v[nv++] = (struct pid_sort){w, keys[j]};
	}
	qsort(v, nv, sizeof(*v), cmp_pfx);
	for (j = 0; j < nv; j++) {
		uint32_t pid = v[j].pid, ia, best = rib_best(w, k, pid, &ia);
		struct sim_route r;
		uint32_t la = rib_map_get(&sp->rib.local, pid);
		if (best != SIM_NONE) {
			fill_route(w, k, pid, best, ia, true, &r, asbuf, 256);
			fn(ctx, &r);
			count++;
		}
		if (la && best != RIB_SRC_LOCAL) {
			fill_route(w, k, pid, RIB_SRC_LOCAL, la, false, &r,
			           asbuf, 256);
			fn(ctx, &r);
			count++;
		}
		for (i = 0; i < sp->pub.nsessions; i++) {
			uint32_t si = sp->pub.first_session + i;
			uint32_t x = rib_map_get(&w->side[si].rib.in, pid);
			if (!x || si == best)
				continue;
			fill_route(w, k, pid, si, x, false, &r, asbuf, 256);
			fn(ctx, &r);
			count++;
		}
	}
	rr_arena_release(&a);
	return count;
}

/* --------------------------------------------------------- BIRD words */

/* proto/bgp/packets.c bgp_msg_table */
static const struct {
	uint8_t code, sub;
	const char *msg;
} bird_msgs[] = {
        {1, 0, "Invalid message header"},
        {1, 1, "Connection not synchronized"},
        {1, 2, "Bad message length"},
        {1, 3, "Bad message type"},
        {2, 0, "Invalid OPEN message"},
        {2, 1, "Unsupported version number"},
        {2, 2, "Bad peer AS"},
        {2, 3, "Bad BGP identifier"},
        {2, 4, "Unsupported optional parameter"},
        {2, 5, "Authentication failure"},
        {2, 6, "Unacceptable hold time"},
        {2, 7, "Required capability missing"},
        {2, 8, "No supported AFI/SAFI"},
        {3, 0, "Invalid UPDATE message"},
        {3, 1, "Malformed attribute list"},
        {3, 2, "Unrecognized well-known attribute"},
        {3, 3, "Missing mandatory attribute"},
        {3, 4, "Invalid attribute flags"},
        {3, 5, "Invalid attribute length"},
        {3, 6, "Invalid ORIGIN attribute"},
        {3, 7, "AS routing loop"},
        {3, 8, "Invalid NEXT_HOP attribute"},
        {3, 9, "Optional attribute error"},
        {3, 10, "Invalid network field"},
        {3, 11, "Malformed AS_PATH"},
        {4, 0, "Hold timer expired"},
        {5, 0, "Finite state machine error"},
        {5, 1, "Unexpected message in OpenSent state"},
        {5, 2, "Unexpected message in OpenConfirm state"},
        {5, 3, "Unexpected message in Established state"},
        {6, 0, "Cease"},
        {6, 1, "Maximum number of prefixes reached"},
        {6, 2, "Administrative shutdown"},
        {6, 3, "Peer de-configured"},
        {6, 4, "Administrative reset"},
        {6, 5, "Connection rejected"},
        {6, 6, "Other configuration change"},
        {6, 7, "Connection collision resolution"},
        {6, 8, "Out of Resources"},
        {7, 0, "Invalid ROUTE-REFRESH message"},
        {7, 1, "Invalid ROUTE-REFRESH message length"},
};

const char *
sim_bird_notif_name(unsigned code, unsigned subcode)
{
	size_t i;

	for (i = 0; i < sizeof(bird_msgs) / sizeof(bird_msgs[0]); i++)
		if (bird_msgs[i].code == code && bird_msgs[i].sub == subcode)
			return bird_msgs[i].msg;
	for (i = 0; i < sizeof(bird_msgs) / sizeof(bird_msgs[0]); i++)
		if (bird_msgs[i].code == code && bird_msgs[i].sub == 0)
			return bird_msgs[i].msg;
	return "Unknown error";
}

const char *
sim_bird_proto_state(const struct sim_session *ss)
{
	if (!ss->enabled)
		return "down";
	return ss->state == FSM_ST_ESTABLISHED ? "up" : "start";
}

const char *
sim_bird_info(const struct sim_session *ss, char *buf, size_t len)
{
	const char *st = bgp_fsm_state_name(ss->state);
	char err[96] = "";

	if (!ss->enabled) {
		snprintf(buf, len, "Down");
		return buf;
	}
	if (ss->state == FSM_ST_ESTABLISHED) {
		snprintf(buf, len, "Established");
		return buf;
	}
	/* BIRD goes to Active (connect retry) after a socket error, and
	 * shows a passive protocol that waits as Passive (bgp_state_dsc) */
	if (ss->state == FSM_ST_IDLE && ss->sock != SIM_SOCK_NONE)
		st = "Active";
	else if (ss->state == FSM_ST_ACTIVE && ss->nb && ss->nb->passive)
		st = "Passive";
	if (ss->sock == SIM_SOCK_REFUSED)
		snprintf(err, sizeof(err), " Socket: Connection refused");
	else if (ss->sock == SIM_SOCK_CLOSED)
		snprintf(err, sizeof(err), " Socket: Connection closed");
	else if (ss->notif)
		snprintf(err, sizeof(err), " %s%s",
		         ss->notif_sent ? "BGP Error: " : "Received: ",
		         sim_bird_notif_name(ss->code, ss->subcode));
	snprintf(buf, len, "%s%s", st, err);
	return buf;
}
