/*
 * Driving the state machines of bgp/ (RFC 4271 8): one machine per
 * connection, at most two per side while a collision is settled (RFC 4271
 * 6.8, bgp_fsm_collision: the connection opened by the lower BGP
 * identifier closes with Cease 6/7; an Established session wins).  Events
 * go in, the machine's actions are carried out here: bytes to tcp.c,
 * timers to the clock, UPDATEs to inbound.c, up and down to the RIB and
 * the Adj-RIB-Out.  A side shows the state of its most advanced machine;
 * side_set_state() is the one place that changes it, and the event log
 * says why.
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

/* Machines live in an array that grows (realloc): hold no pointer to one
 * across session_alloc(). */
static struct wfsm *
slot(const struct world *w, uint32_t i)
{
	return &w->fsm[i];
}

/* ------------------------------------------------------- machines */

uint32_t
session_alloc(struct world *w, uint32_t si)
{
	uint32_t i, t;
	struct wfsm *s;

	if (w->fsm_free != SIM_NONE) {
		i = w->fsm_free;
		w->fsm_free = slot(w, i)->next_free;
	} else {
		if (w->nfsm == w->capfsm) {
			w->capfsm = w->capfsm ? w->capfsm * 2 : 64;
			w->fsm = rr_xrealloc(w->fsm,
			                     w->capfsm * sizeof(*w->fsm));
		}
		i = w->nfsm++;
		memset(slot(w, i), 0, sizeof(struct wfsm));
	}
	s = slot(w, i);
	bgp_fsm_init(&s->f, &w->side[si].cfg);
	s->side = si;
	s->conn = SIM_NONE;
	s->end = 0;
	s->live = true;
	s->next_free = SIM_NONE;
	for (t = 0; t < FSM_TMR_COUNT; t++)
		sched_timer_init(&s->tm[t]);
	return i;
}

void
session_free(struct world *w, uint32_t fi)
{
	struct wfsm *s = slot(w, fi);
	struct wside *sd = &w->side[s->side];
	uint32_t t;

	if (!s->live)
		return;
	tcp_close(w, fi);
	sd->done_in += s->f.msgs_in;
	sd->done_out += s->f.msgs_out;
	sd->done_upd_in += s->f.updates_in;
	bgp_fsm_release(&s->f);
	for (t = 0; t < FSM_TMR_COUNT; t++)
		sched_timer_stop(&s->tm[t]);
	s->live = false;
	if (sd->main == fi)
		sd->main = SIM_NONE;
	if (sd->second == fi)
		sd->second = SIM_NONE;
	s->next_free = w->fsm_free;
	w->fsm_free = fi;
}

/* ------------------------------------------------------- actions */

struct step {
	bool open_received, established, down;
	enum fsm_down why;
	uint8_t code, sub;
	uint32_t wait_s; /* an IdleHold wait begun, 0: none */
};

static struct fsm_actions *
acts_push(struct world *w)
{
	struct fsm_actions *a;

	if (w->actdepth == 4)
		RR_BUG("sim: machines nest too deep");
	a = &w->acts[w->actdepth++];
	a->n = 0;
	a->used = 0;
	return a;
}

static void side_refresh(struct world *w, uint32_t si, const struct step *st);
static void after_step(struct world *w, uint32_t fi, struct step *st);

static const enum fsm_event timer_event[FSM_TMR_COUNT] = {
        [FSM_TMR_CONNECT_RETRY] = FSM_EV_CONNECT_RETRY_EXPIRES,
        [FSM_TMR_HOLD] = FSM_EV_HOLD_EXPIRES,
        [FSM_TMR_KEEPALIVE] = FSM_EV_KEEPALIVE_EXPIRES,
        [FSM_TMR_DELAY_OPEN] = FSM_EV_DELAY_OPEN_EXPIRES,
        [FSM_TMR_IDLE_HOLD] = FSM_EV_IDLE_HOLD_EXPIRES,
};

/* UPDATEs of an adjout batch being sent (session_send_batch) */
struct batch_ctx {
	struct adjout_batch *bt;
	bool tmpl;
	uint32_t first, n;
};

/* The counters of messages sent: one, or the UPDATEs of a batch. */
static void
count_sent(struct world *w, struct wside *sd, const uint8_t *b, size_t len,
           const struct batch_ctx *bc)
{
	uint32_t i;

	w->stats.bytes += len;
	if (!bc) {
		w->stats.messages++;
		if (bgp_msg_peek_type(b, len) == BGP_MSG_UPDATE) {
			w->stats.updates++;
			sd->pub.updates_out++;
		}
		return;
	}
	w->stats.messages += bc->n;
	w->stats.updates += bc->n;
	sd->pub.updates_out += bc->n;
	for (i = bc->first; i < bc->first + bc->n; i++)
		w->stats.prefixes_sent += bc->bt->npfx[i];
}

static void
run_actions(struct world *w, uint32_t fi, const struct fsm_actions *a,
            struct step *st, struct cache_dec *cd, const struct batch_ctx *bc)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct fsm_action *x = &a->v[i];
		struct wfsm *s = slot(w, fi);
		struct wside *sd = &w->side[s->side];

		switch (x->kind) {
		case FSM_ACT_SEND: {
			const uint8_t *b = bgp_fsm_action_bytes(a, x);
			const struct batch_ctx *c = x->ext ? bc : NULL;
			if (c ? tcp_send_batch(w, fi, c->bt, c->tmpl, c->first,
			                       c->n)
			      : tcp_send(w, fi, b, x->len))
				count_sent(w, sd, b, x->len, c);
			break;
		}
		case FSM_ACT_CONNECT:
			tcp_dial(w, fi);
			break;
		case FSM_ACT_CLOSE:
			tcp_close(w, fi);
			break;
		case FSM_ACT_TIMER_START:
			if (x->timer == FSM_TMR_IDLE_HOLD && x->secs)
				st->wait_s = x->secs;
			sched_timer_start(&w->sched, &s->tm[x->timer],
			                  w->sched.now +
			                          (uint64_t)x->secs * 1000,
			                  fi, x->timer);
			break;
		case FSM_ACT_TIMER_STOP:
			sched_timer_stop(&s->tm[x->timer]);
			break;
		case FSM_ACT_OPEN_RECEIVED:
			st->open_received = true;
			break;
		case FSM_ACT_ESTABLISHED:
			st->established = true;
			break;
		case FSM_ACT_DELIVER:
			if (x->msg && x->msg->type == BGP_MSG_UPDATE)
				inbound_update(w, s->side, &x->msg->u.update,
				               cd);
			else if (x->msg &&
			         x->msg->type == BGP_MSG_ROUTE_REFRESH)
				adjout_side_up(w, s->side); /* RFC 2918 4 */
			break;
		case FSM_ACT_DOWN:
			st->down = true;
			st->why = x->down;
			st->code = x->code;
			st->sub = x->subcode;
			break;
		default:
			break;
		}
	}
}

/* The machine that stays takes over the one that goes as the side's
 * main: the error wait in force and the last error are the protocol's
 * (BIRD keeps one startup delay per protocol). */
static void
inherit_errors(struct world *w, uint32_t from, uint32_t to)
{
	slot(w, to)->f.error_wait = slot(w, from)->f.error_wait;
	slot(w, to)->f.last_error_ms = slot(w, from)->f.last_error_ms;
}

static void
fsm_event(struct world *w, uint32_t fi, enum fsm_event ev, struct step *st)
{
	struct fsm_actions *a = acts_push(w);

	slot(w, fi)->f.now_ms = w->sched.now;
	bgp_fsm_event(&slot(w, fi)->f, ev, a);
	run_actions(w, fi, a, st, NULL, NULL);
	w->actdepth--;
}

void
session_kick(struct world *w, uint32_t fi, enum fsm_event ev)
{
	struct step st;

	memset(&st, 0, sizeof(st));
	fsm_event(w, fi, ev, &st);
	after_step(w, fi, &st);
}

/*
 * Decode a message into the world's scratch (the machine's own arena
 * would take a 64 KiB block per message); let the scratch go now and then,
 * never while a message decoded in it may still be in use (deliveries do
 * not nest).  False when it does not decode.
 */
static bool
scratch_decode(struct world *w, struct fsm *f, const uint8_t *b, size_t n,
               struct bgp_msg *m)
{
	struct bgp_error e;
	uint8_t *copy;

	if (++w->nscratch >= 4096) {
		rr_arena_release(&w->scratch);
		rr_arena_init(&w->scratch);
		w->nscratch = 0;
	}
	copy = rr_arena_alloc(&w->scratch, n ? n : 1);
	if (n)
		memcpy(copy, b, n);
	return bgp_msg_decode(copy, n, &f->rx, &w->scratch, m, &e) == 0;
}

void
session_recv(struct world *w, uint32_t fi, const uint8_t *b, size_t n)
{
	struct fsm_actions *a = acts_push(w);
	struct wfsm *s = slot(w, fi);
	struct cache_dec *cd = NULL;
	struct bgp_msg m;
	enum fsm_state before;
	struct step st;

	memset(&st, 0, sizeof(st));
	/* UPDATEs: one decode for every receiver of the same bytes */
	if (bgp_msg_peek_type(b, n) == BGP_MSG_UPDATE)
		cd = cache_decoded(w, &s->f.rx, b, n);
	before = s->f.state;
	s->f.now_ms = w->sched.now;
	if (cd)
		bgp_fsm_recv_decoded(&s->f, b, n, &cd->msg, a);
	else if (scratch_decode(w, &s->f, b, n, &m))
		bgp_fsm_recv_decoded(&s->f, b, n, &m, a);
	else
		bgp_fsm_recv(&s->f, b, n, a); /* it reports the error */
	if (s->f.open_arena.head)
		cache_share_open(w, &s->f);
	run_actions(w, fi, a, &st, cd, NULL);
	if (cd)
		cache_unpin(w);
	/* the decoded message is consumed: give its storage back */
	s = slot(w, fi);
	if (s->live)
		rr_arena_release(&s->f.scratch);
	w->actdepth--;
	/* an UPDATE or KEEPALIVE in Established changes nothing a step
	 * settles (no collision, no state change): the side stays as is */
	if (before == FSM_ST_ESTABLISHED && s->live &&
	    s->f.state == FSM_ST_ESTABLISHED && !st.open_received &&
	    !st.established && !st.down)
		return;
	after_step(w, fi, &st);
}

/* ------------------------------------------------------- the side */

static const char *
down_text(struct world *w, const struct wside *s, enum fsm_down d, uint8_t code,
          uint8_t sub, bool was_up)
{
	const char *name = bgp_err_name(code), *sn = bgp_suberr_name(code, sub);

	if (sn && *sn && sub)
		name = sn;
	if (!name)
		name = "unknown error";
	switch (d) {
	case FSM_DOWN_NOTIF_SENT:
	case FSM_DOWN_FSM_ERROR:
		return rr_arena_printf(&w->arena, "NOTIFICATION sent %u/%u %s",
		                       code, sub, name);
	case FSM_DOWN_NOTIF_RECEIVED:
		return rr_arena_printf(&w->arena,
		                       "NOTIFICATION received %u/%u %s", code,
		                       sub, name);
	case FSM_DOWN_HOLD_EXPIRED:
		return "down: hold timer expired";
	case FSM_DOWN_TCP_FAILED:
		if (s->pub.sock == SIM_SOCK_REFUSED)
			return "connect refused";
		return was_up ? "down: connection closed" : "connection closed";
	case FSM_DOWN_STOP:
		return "stopped";
	case FSM_DOWN_COLLISION:
		return "connection collision";
	default:
		return "down";
	}
}

static bool
same_event(const struct sim_event *e, enum fsm_state st, const char *what)
{
	return e->state == st &&
	       (e->what == what || (e->what && what && !strcmp(e->what, what)));
}

/* The one place a side's state changes; the event log says why. */
static void
side_set_state(struct world *w, uint32_t si, enum fsm_state st,
               const char *what)
{
	struct sim_event *e;
	struct wside *sd = &w->side[si];
	enum fsm_state old = sd->pub.state;

	sd->pub.state = st;
	/* BIRD's "since" is its protocol's last state change
	 * (proto_notify_state, nest/proto.c): started (session_on_start),
	 * up, down.  A protocol that goes down on an error is started again
	 * at once and waits its error wait inside start (bgp_start,
	 * "Startup delayed"); a connection that fails and is dialled again
	 * within start (Connect, Active, OpenSent, OpenConfirm) changes
	 * nothing. */
	if (!w->spk[sd->pub.speaker].bird || st == FSM_ST_IDLE ||
	    old == FSM_ST_ESTABLISHED || st == FSM_ST_ESTABLISHED)
		sd->pub.since_ms = w->sched.now;

	/* A, B, then A again: A counts once more, and B will */
	if (sd->ev_last[0] && sd->ev_last[1]) {
		struct sim_event *a = &w->ev[sd->ev_last[1] - 1],
		                 *b = &w->ev[sd->ev_last[0] - 1];
		if (same_event(a, st, what) && !same_event(b, st, what) &&
		    a->repeat < UINT32_MAX) {
			a->repeat++;
			a->last_ms = w->sched.now;
			sd->ev_last[1] = sd->ev_last[0];
			sd->ev_last[0] = (size_t)(a - w->ev) + 1;
			return;
		}
	}
	if (w->nev == w->capev) {
		w->capev = w->capev ? w->capev * 2 : 256;
		w->ev = rr_xrealloc(w->ev, w->capev * sizeof(*w->ev));
	}
	e = &w->ev[w->nev++];
	e->t_ms = w->sched.now;
	e->session = si;
	e->state = st;
	e->what = what;
	e->repeat = 0;
	e->last_ms = w->sched.now;
	sd->ev_last[1] = sd->ev_last[0];
	sd->ev_last[0] = w->nev;
}

static unsigned
rank(enum fsm_state s)
{
	switch (s) {
	case FSM_ST_ESTABLISHED:
		return 4;
	case FSM_ST_OPENCONFIRM:
		return 3;
	case FSM_ST_OPENSENT:
		return 2;
	case FSM_ST_CONNECT:
	case FSM_ST_ACTIVE:
		return 1;
	default:
		return 0;
	}
}

/* Settle collisions and the side's view after a step of machine fi. */
static void
after_step(struct world *w, uint32_t fi, struct step *st)
{
	struct wfsm *s = slot(w, fi);
	uint32_t si = s->side;
	struct wside *sd = &w->side[si];
	uint32_t other;

	if (!s->live)
		return;
	other = fi == sd->main ? sd->second : sd->main;
	if (st->open_received && other != SIM_NONE && slot(w, other)->live &&
	    slot(w, other)->conn != SIM_NONE) {
		/* RFC 4271 6.8: a = on the connection we opened */
		uint32_t a = slot(w, fi)->end == 0 ? fi : other;
		uint32_t b = a == fi ? other : fi;
		struct fsm *loser;
		if (slot(w, a)->end == slot(w, b)->end)
			loser = &slot(w, sd->main)->f; /* peer dialled twice */
		else
			loser = bgp_fsm_collision(&slot(w, a)->f,
			                          &slot(w, b)->f);
		if (loser) {
			uint32_t li = loser == &slot(w, fi)->f ? fi : other;
			struct step ls;
			memset(&ls, 0, sizeof(ls));
			fsm_event(w, li, FSM_EV_COLLISION_DUMP, &ls);
			if (li == sd->main)
				inherit_errors(w, li, li == fi ? other : fi);
			session_free(w, li);
			if (sd->main == SIM_NONE) {
				sd->main = sd->second;
				sd->second = SIM_NONE;
			}
			if (li == fi) {
				side_refresh(w, si, NULL);
				return;
			}
		}
	}
	s = slot(w, fi);
	other = fi == sd->main ? sd->second : sd->main;
	if (st->established && other != SIM_NONE && slot(w, other)->live) {
		/* the session is up on fi: the other connection goes */
		struct wfsm *o = slot(w, other);
		if (o->f.state == FSM_ST_OPENSENT ||
		    o->f.state == FSM_ST_OPENCONFIRM) {
			struct step ls;
			memset(&ls, 0, sizeof(ls));
			fsm_event(w, other, FSM_EV_COLLISION_DUMP, &ls);
		}
		if (other == sd->main)
			inherit_errors(w, other, fi);
		session_free(w, other);
		sd->main = fi;
		sd->second = SIM_NONE;
	}
	if (st->down && st->why != FSM_DOWN_COLLISION) {
		bool was_up = sd->pub.state == FSM_ST_ESTABLISHED;
		sd->pub.down = st->why;
		sd->pub.last_error =
		        down_text(w, sd, st->why, st->code, st->sub, was_up);
		if (st->why == FSM_DOWN_NOTIF_SENT ||
		    st->why == FSM_DOWN_NOTIF_RECEIVED ||
		    st->why == FSM_DOWN_FSM_ERROR ||
		    st->why == FSM_DOWN_HOLD_EXPIRED) {
			sd->pub.notif = true;
			sd->pub.notif_sent = st->why != FSM_DOWN_NOTIF_RECEIVED;
			sd->pub.code = st->code;
			sd->pub.subcode = st->sub;
			sd->pub.sock = SIM_SOCK_NONE;
		}
	}
	if (st->wait_s) {
		/* BIRD keeps the delay of its last error (error_amnesia): a
		 * wait after no error is that error's */
		bool kept = s->f.cfg.profile->error_amnesia &&
		            s->f.last_error_ms != w->sched.now;
		sd->pub.wait_at_ms = w->sched.now;
		sd->pub.wait_s = st->wait_s;
		sd->pub.wait_error_ms =
		        kept ? s->f.last_error_ms : w->sched.now;
		sd->pub.wait_why = kept                 ? NULL
		                   : sd->pub.last_error ? sd->pub.last_error
		                                        : "down";
		sd->pub.waits++;
	}
	/* a second machine that went back to Idle is done; a main one in
	 * Idle gives way to a second one that still works */
	if (fi == sd->second && s->f.state == FSM_ST_IDLE)
		session_free(w, fi);
	else if (fi == sd->main && s->f.state == FSM_ST_IDLE &&
	         sd->second != SIM_NONE) {
		session_free(w, fi);
		sd->main = sd->second;
		sd->second = SIM_NONE;
	}
	side_refresh(w, si, st);
}

/* The side's state is that of its most advanced machine. */
static void
side_refresh(struct world *w, uint32_t si, const struct step *st)
{
	struct wside *sd = &w->side[si];
	enum fsm_state vis = FSM_ST_IDLE;
	uint32_t k, f[2] = {sd->main, sd->second};
	const struct fsm *up = NULL;
	const char *what;

	for (k = 0; k < 2; k++) {
		const struct wfsm *s;
		if (f[k] == SIM_NONE)
			continue;
		s = slot(w, f[k]);
		if (k == 0 || rank(s->f.state) > rank(vis))
			vis = s->f.state;
		if (s->f.state == FSM_ST_ESTABLISHED)
			up = &s->f;
	}
	if (vis == sd->pub.state)
		return;
	if (vis == FSM_ST_ESTABLISHED)
		what = "Established";
	else if (st && st->down && st->why != FSM_DOWN_COLLISION)
		what = sd->pub.last_error;
	else
		what = bgp_fsm_state_name(vis);
	if (sd->pub.state == FSM_ST_ESTABLISHED) {
		sd->pub.up_down_ms = w->sched.now;
		world_changed(w);
		side_set_state(w, si, vis, what);
		rib_side_down(w, si);
		adjout_side_down(w, si);
		return;
	}
	side_set_state(w, si, vis, what);
	if (up) {
		const struct bgp_open *po = bgp_fsm_peer_open(up);
		sd->pub.established_at_ms = w->sched.now;
		sd->pub.up_down_ms = w->sched.now;
		sd->pub.negotiated = true;
		sd->pub.hold = up->hold;
		sd->pub.keepalive = up->keepalive;
		sd->pub.peer_as = up->peer_as;
		sd->pub.peer_id = po ? po->bgp_id : 0;
		sd->pub.last_error = NULL;
		sd->pub.sock = SIM_SOCK_NONE;
		if (up->keepalive > w->max_keepalive)
			w->max_keepalive = up->keepalive;
		world_changed(w);
		adjout_side_up(w, si);
	}
}

/* ------------------------------------------------------- sending */

struct fsm *
session_fsm(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];

	if (sd->main != SIM_NONE &&
	    slot(w, sd->main)->f.state == FSM_ST_ESTABLISHED)
		return &slot(w, sd->main)->f;
	if (sd->second != SIM_NONE &&
	    slot(w, sd->second)->f.state == FSM_ST_ESTABLISHED)
		return &slot(w, sd->second)->f;
	return NULL;
}

static uint32_t
session_slot(const struct world *w, uint32_t si)
{
	const struct wside *sd = &w->side[si];

	if (sd->main != SIM_NONE &&
	    slot(w, sd->main)->f.state == FSM_ST_ESTABLISHED)
		return sd->main;
	if (sd->second != SIM_NONE &&
	    slot(w, sd->second)->f.state == FSM_ST_ESTABLISHED)
		return sd->second;
	return SIM_NONE;
}

uint32_t
session_room(const struct world *w, uint32_t si)
{
	uint32_t fi = session_slot(w, si), win;
	uint64_t in;

	if (fi == SIM_NONE || slot(w, fi)->conn == SIM_NONE)
		return 0;
	in = tcp_inflight(w, fi);
	win = tcp_window(w, fi);
	return in < win ? (uint32_t)(win - in) : 0;
}

bool
session_send_batch(struct world *w, uint32_t si, struct adjout_batch *bt,
                   bool tmpl, uint32_t first, uint32_t n)
{
	uint32_t fi = session_slot(w, si), off = first ? bt->end[first - 1] : 0;
	struct batch_ctx ctx = {bt, tmpl, first, n};
	struct fsm_actions *a;
	struct step st;
	int rc;

	if (fi == SIM_NONE || !n)
		return false;
	a = acts_push(w);
	memset(&st, 0, sizeof(st));
	slot(w, fi)->f.now_ms = w->sched.now;
	rc = bgp_fsm_send_updates(&slot(w, fi)->f, bt->bytes + off,
	                          bt->end[first + n - 1] - off, n, a);
	run_actions(w, fi, a, &st, NULL, &ctx);
	w->actdepth--;
	return rc == 0;
}

bool
session_recv_batch(struct world *w, uint32_t fi, struct adjout_batch *t,
                   uint32_t first, uint32_t n)
{
	struct wfsm *s = slot(w, fi);
	struct adjout_reading *rd;
	struct fsm_actions *a;
	struct step st;
	struct cache_batch cb;
	uint32_t i, nl, si = s->side;

	if (!s->live || s->f.state != FSM_ST_ESTABLISHED)
		return false;
	rd = inbound_reading(w, si, t, first, n);
	if (!rd->clean)
		return false;
	a = acts_push(w);
	memset(&st, 0, sizeof(st));
	s->f.now_ms = w->sched.now;
	if (bgp_fsm_recv_updates(&s->f, n, a) < 0)
		RR_BUG("sim: an Established machine refuses UPDATEs");
	run_actions(w, fi, a, &st, NULL, NULL);
	w->actdepth--;
	for (i = first, nl = 0; i < first + n; i++)
		nl += rd->ru[i].nnlri;
	cache_side_reserve(w, si, nl);
	if (!cache_batch_get(w, si, rd, first, n, &cb)) {
		for (i = first; i < first + n; i++)
			rib_import(w, si, &rd->ru[i]);
		cache_batch_put(w, &cb);
	}
	cache_side_seal(w, si);
	return true;
}

/* ------------------------------------------------------- starting */

uint32_t
session_take(struct world *w, uint32_t ti)
{
	struct wside *t = &w->side[ti];
	struct wfsm *m;
	uint32_t fi;

	if (t->main == SIM_NONE)
		return SIM_NONE;
	m = slot(w, t->main);
	if (m->f.state == FSM_ST_IDLE) {
		if (w->spk[t->pub.speaker].bird)
			return SIM_NONE; /* error wait: refused */
		/* IOS listens again at once after an error: leave the
		 * IdleHold wait and accept passively */
		m->f.running[FSM_TMR_IDLE_HOLD] = false;
		sched_timer_stop(&m->tm[FSM_TMR_IDLE_HOLD]);
		session_kick(w, t->main, FSM_EV_AUTO_START_PASSIVE);
		return t->main;
	}
	if (!m->f.conn && m->conn == SIM_NONE)
		return t->main;
	if (t->second != SIM_NONE)
		return SIM_NONE;
	fi = session_alloc(w, ti);
	t->second = fi;
	session_kick(w, fi, FSM_EV_AUTO_START_PASSIVE);
	return fi;
}

void
session_on_start(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];

	if (!sd->pub.enabled || sd->main != SIM_NONE ||
	    world_failed(w, sd->pub.speaker))
		return;
	sd->main = session_alloc(w, si);
	sd->pub.since_ms = w->sched.now;
	session_kick(w, sd->main,
	         sd->cfg.passive ? FSM_EV_MANUAL_START_PASSIVE
	                         : FSM_EV_MANUAL_START);
}


void
session_on_timer(struct world *w, const struct sched_ev *ev)
{
	struct wfsm *s = slot(w, ev->a);

	if (!s->live || world_failed(w, w->side[s->side].pub.speaker))
		return;
	if (sched_timer_due(&w->sched, &s->tm[ev->b], ev))
		session_kick(w, ev->a, timer_event[ev->b]);
}

void
session_sock(struct world *w, uint32_t si, enum sim_sock_err e)
{
	w->side[si].pub.sock = e;
}

/* A failed speaker's side: its machines stop where they are. */
void
session_fail(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];

	if (sd->pub.state == FSM_ST_IDLE)
		return;
	sd->pub.last_error = "speaker failed";
	side_set_state(w, si, FSM_ST_IDLE, "down: speaker failed");
}

void
session_release(struct world *w)
{
	uint32_t i;

	for (i = 0; i < w->nfsm; i++)
		if (slot(w, i)->live)
			bgp_fsm_release(&slot(w, i)->f);
	free(w->fsm);
	free(w->acts);
	free(w->ev);
}
