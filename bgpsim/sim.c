/*
 * The simulation run: build the world, originate every speaker's routes,
 * start every session at time zero, apply the faults at their times, and
 * stop when the world is quiet (nothing but timers queued and no route or
 * session change for three times the largest keepalive, at least 30 s),
 * at --until, or at the time cap.  Then the verdict (verdict.c).
 *
 * Also BIRD's words for what `birdc show protocols` shows (proto/bgp/
 * packets.c bgp_msg_table, bgp.c bgp_state_dsc, bgp_err_classes), which
 * calicoctl node status repeats (calicoctl's node status command).
 */
#include "bgpsim/simpriv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	verdict_prepare(s);
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
	bird_policy_build(w, d);
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
	free(s->causes);
	free(s);
}

/* --------------------------------------------------------------- run */

void
sim_dispatch(struct world *w, const struct sched_ev *ev)
{
	switch (ev->kind) {
	case SEV_TIMER:
		session_on_timer(w, ev);
		break;
	case SEV_START:
		session_on_start(w, ev->a);
		break;
	case SEV_SYN:
	case SEV_SYNACK:
	case SEV_RST:
	case SEV_DATA: {
		const struct wconn *c = &w->conn[ev->a];
		if (c->gen != ev->c || c->state == CONN_FREE)
			break;
		if (ev->kind == SEV_SYN)
			tcp_on_syn(w, ev->a);
		else if (ev->kind == SEV_SYNACK)
			tcp_on_synack(w, ev->a);
		else if (ev->kind == SEV_RST)
			tcp_on_rst(w, ev->a);
		else
			tcp_on_data(w, ev->a, (uint8_t)ev->b);
		break;
	}
	case SEV_FAULT:
		tcp_on_fault(w, ev->a);
		break;
	case SEV_EXPORT:
		adjout_run(w, ev->a);
		break;
	case SEV_MAXPFX:
		max_prefix_stop(w, ev->a);
		break;
	case SEV_MAXPFX_RESTART:
		max_prefix_restart(w, ev->a, ev->b);
		break;
	default:
		RR_BUG("sim: unknown event");
	}
}

uint64_t
sim_quiet_ms(const struct world *w)
{
	uint64_t k = w->max_keepalive ? w->max_keepalive : w->offered_keepalive;
	uint64_t q = 3 * k * 1000;
	return q < 30000 ? 30000 : q;
}

/* Where the run is (sim_opts.progress): a scan of the sessions, at the
 * first event and every progress_every events. */
static void
progress(struct world *w)
{
	struct sim_progress p;
	uint32_t si;

	memset(&p, 0, sizeof(p));
	p.t_ms = w->sched.now;
	p.events = w->sched.popped;
	p.messages = w->stats.messages;
	for (si = 0; si < w->nside; si++) {
		const struct wside *sd = &w->side[si];
		uint32_t t = sd->pub.partner;
		if (!sd->pub.expected)
			continue;
		p.sessions_expected++;
		if (sd->pub.state == FSM_ST_ESTABLISHED &&
		    (t == SIM_NONE ||
		     w->side[t].pub.state == FSM_ST_ESTABLISHED))
			p.sessions_up++;
	}
	w->opts.progress(w->opts.progress_ctx, &p);
}

/* the counters of every machine a side ever had */
static void
collect_counters(struct world *w)
{
	uint32_t si;

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
}

void
sim_run(struct sim *s)
{
	struct world *w = &s->w;
	uint64_t stop = w->opts.until_ms ? w->opts.until_ms : w->opts.cap_ms;
	uint64_t end = 0;
	struct sched_ev ev;

	if (s->ran)
		return;
	sim_start(s); /* every enabled session at 0, the faults queued */
	for (;;) {
		uint64_t next = sched_next(&w->sched);
		uint64_t q = (w->last_change > w->last_fault ? w->last_change
		                                             : w->last_fault) +
		             sim_quiet_ms(w);
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
		sim_dispatch(w, &ev);
		if (w->opts.progress &&
		    (w->sched.popped % w->opts.progress_every == 0 ||
		     w->sched.popped == 1))
			progress(w);
	}
	w->sched.now = end;
	w->stats.end_ms = end;
	w->stats.last_change_ms =
	    w->last_change > w->last_fault ? w->last_change : w->last_fault;
	if (w->stats.last_change_ms > end)
		w->stats.last_change_ms = end;
	w->stats.events = w->sched.popped;
	collect_counters(w);
	verdict_finish(s);
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
	r->communities = a->comms;
	r->ncommunities = a->ncomm;
	r->large_communities = a->lcomms;
	r->nlarge_words = a->nlcomm;
	while (i + 1 < a->nsegs_words) {
		uint32_t n = a->segs[i + 1], j;
		for (j = 0; j < n && r->nas_path < ascap; j++)
			asbuf[r->nas_path++] = a->segs[i + 2 + j];
		i += 2 + n;
	}
	r->as_path = asbuf;
}

/* IOS maximum-paths: mark in mp[] (by session of k) the paths installed
 * beside the best one: equal to it up to the router id (rib.c), taken in
 * the decision's order, each with a next hop of its own, at most max - 1;
 * cand: room for nsessions session indexes */
static void
multipath(const struct world *w, uint32_t k, uint32_t pid, uint32_t best,
          uint32_t ba, uint8_t *mp, uint32_t *cand)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t max = rib_multipath_max(w, k, best), nc = 0, i, n;
	struct rr_addr hops[64];
	uint32_t nh = 0;

	if (max <= 1)
		return;
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t si = sp->pub.first_session + i;
		uint32_t x = rib_map_get(&w->side[si].rib.in, pid);
		if (x && rib_multipath_ok(w, k, best, ba, si, x))
			cand[nc++] = si;
	}
	hops[nh++] = rib_attrs(w, ba)->next_hop;
	for (n = 1; n < max && nc; n++) {
		uint32_t pick = SIM_NONE, pa = 0, j, h;
		for (i = 0; i < nc; i++) {
			uint32_t si = cand[i];
			uint32_t x = rib_map_get(&w->side[si].rib.in, pid);
			const struct rr_addr *nx = &rib_attrs(w, x)->next_hop;
			if (mp[si - sp->pub.first_session])
				continue;
			for (h = 0; h < nh && rr_addr_cmp(&hops[h], nx); h++)
				;
			if (h < nh)
				continue;
			if (pick == SIM_NONE ||
			    rib_multipath_before(w, k, si, x, pick, pa)) {
				pick = si;
				pa = x;
			}
		}
		if (pick == SIM_NONE)
			break;
		mp[pick - sp->pub.first_session] = 1;
		if (nh < sizeof(hops) / sizeof(hops[0]))
			hops[nh++] = rib_attrs(w, pa)->next_hop;
		for (j = 0; j < nc && cand[j] != pick; j++)
			;
		cand[j] = cand[--nc];
	}
}

size_t
sim_routes(const struct sim *s, uint32_t k, sim_route_fn fn, void *ctx)
{
	const struct world *w = &s->w;
	const struct wspk *sp = &w->spk[k];
	struct rr_arena a;
	uint8_t *mark;
	struct pid_sort *v;
	uint32_t nv = 0, i, j, n, *keys, *cand;
	uint8_t *mp;
	size_t count = 0;
	uint32_t asbuf[256];

	if (sp->pub.failed)
		return 0;
	rr_arena_init(&a);
	mark = rr_arena_calloc(&a, w->npfx + 1, 1);
	v = rr_arena_calloc(&a, w->npfx + 1, sizeof(*v));
	mp = rr_arena_calloc(&a, sp->pub.nsessions + 1, 1);
	cand = rr_arena_calloc(&a, sp->pub.nsessions + 1, sizeof(*cand));
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
		if (best != SIM_NONE)
			multipath(w, k, pid, best, ia, mp, cand);
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
			r.multipath = mp[i];
			mp[i] = 0;
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
	if (ss->lock_wait)
		return "start";
	if (!ss->enabled)
		return "down";
	return ss->state == FSM_ST_ESTABLISHED ? "up" : "start";
}

const char *
sim_bird_info(const struct sim_session *ss, char *buf, size_t len)
{
	const char *st = bgp_fsm_state_name(ss->state);
	char err[96] = "";

	if (ss->lock_wait) {
		snprintf(buf, len, "Idle"); /* waits for the lock */
		return buf;
	}
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
