/*
 * The BGP session state machine of RFC 4271 section 8, without I/O.
 *
 * The caller feeds events (bgp_fsm_event: start/stop, TCP up/down, timer
 * expiry) and whole received messages (bgp_fsm_recv, which decodes them
 * and raises the message events of 8.1.4/8.1.5), and carries out the
 * actions returned: send bytes, connect, close, start/stop a timer,
 * deliver an UPDATE, report the session up or down.  One function per
 * state (8.2.2).  OPEN checks are those of 6.2 (with RFC 5492 5 for
 * capabilities, RFC 6286 2.2 for the identifier), hold-time negotiation
 * 4.2/10, collision detection 6.8 (with RFC 6286 2.3), NOTIFICATION codes
 * of RFC 6608 for unexpected messages and RFC 4486 for Cease.
 *
 * Deviations, all on error paths: a NOTIFICATION received in OpenSent
 * closes without answering (8.2.2 would send an FSM error back); an OPEN
 * received again in OpenConfirm is an FSM error (5/2), collisions being
 * resolved across two sessions by bgp_fsm_collision().
 */
#include "bgp/wire.h"

#include <string.h>

static const char *const state_names[FSM_ST_COUNT] = {
        [FSM_ST_IDLE] = "Idle",
        [FSM_ST_CONNECT] = "Connect",
        [FSM_ST_ACTIVE] = "Active",
        [FSM_ST_OPENSENT] = "OpenSent",
        [FSM_ST_OPENCONFIRM] = "OpenConfirm",
        [FSM_ST_ESTABLISHED] = "Established",
};

static const char *const event_names[FSM_EV_COUNT] = {
        [FSM_EV_NONE] = "None",
        [FSM_EV_MANUAL_START] = "ManualStart",
        [FSM_EV_MANUAL_STOP] = "ManualStop",
        [FSM_EV_AUTO_START] = "AutomaticStart",
        [FSM_EV_MANUAL_START_PASSIVE] =
                "ManualStart_with_PassiveTcpEstablishment",
        [FSM_EV_AUTO_START_PASSIVE] =
                "AutomaticStart_with_PassiveTcpEstablishment",
        [FSM_EV_AUTO_START_DAMP] = "AutomaticStart_with_DampPeerOscillations",
        [FSM_EV_AUTO_START_DAMP_PASSIVE] =
                ("AutomaticStart_with_DampPeerOscillations_and_"
                 "PassiveTcpEstablishment"),
        [FSM_EV_AUTO_STOP] = "AutomaticStop",
        [FSM_EV_CONNECT_RETRY_EXPIRES] = "ConnectRetryTimer_Expires",
        [FSM_EV_HOLD_EXPIRES] = "HoldTimer_Expires",
        [FSM_EV_KEEPALIVE_EXPIRES] = "KeepaliveTimer_Expires",
        [FSM_EV_DELAY_OPEN_EXPIRES] = "DelayOpenTimer_Expires",
        [FSM_EV_IDLE_HOLD_EXPIRES] = "IdleHoldTimer_Expires",
        [FSM_EV_TCP_VALID] = "TcpConnection_Valid",
        [FSM_EV_TCP_INVALID] = "Tcp_CR_Invalid",
        [FSM_EV_TCP_ACKED] = "Tcp_CR_Acked",
        [FSM_EV_TCP_CONFIRMED] = "TcpConnectionConfirmed",
        [FSM_EV_TCP_FAILS] = "TcpConnectionFails",
        [FSM_EV_OPEN] = "BGPOpen",
        [FSM_EV_OPEN_DELAYED] = "BGPOpen_with_DelayOpenTimer_running",
        [FSM_EV_HEADER_ERR] = "BGPHeaderErr",
        [FSM_EV_OPEN_ERR] = "BGPOpenMsgErr",
        [FSM_EV_COLLISION_DUMP] = "OpenCollisionDump",
        [FSM_EV_NOTIF_VERSION] = "NotifMsgVerErr",
        [FSM_EV_NOTIF] = "NotifMsg",
        [FSM_EV_KEEPALIVE] = "KeepAliveMsg",
        [FSM_EV_UPDATE] = "UpdateMsg",
        [FSM_EV_UPDATE_ERR] = "UpdateMsgErr",
};

static const char *const timer_names[FSM_TMR_COUNT] = {
        [FSM_TMR_CONNECT_RETRY] = "ConnectRetryTimer",
        [FSM_TMR_HOLD] = "HoldTimer",
        [FSM_TMR_KEEPALIVE] = "KeepaliveTimer",
        [FSM_TMR_DELAY_OPEN] = "DelayOpenTimer",
        [FSM_TMR_IDLE_HOLD] = "IdleHoldTimer",
};

static const char *const act_names[FSM_ACT_COUNT] = {
        [FSM_ACT_SEND] = "send",
        [FSM_ACT_CONNECT] = "connect",
        [FSM_ACT_CLOSE] = "close",
        [FSM_ACT_TIMER_START] = "timer-start",
        [FSM_ACT_TIMER_STOP] = "timer-stop",
        [FSM_ACT_OPEN_RECEIVED] = "open-received",
        [FSM_ACT_ESTABLISHED] = "established",
        [FSM_ACT_DELIVER] = "deliver",
        [FSM_ACT_DOWN] = "down",
};

static const char *const down_names[FSM_DOWN_COUNT] = {
        [FSM_DOWN_NONE] = "none",
        [FSM_DOWN_STOP] = "stopped",
        [FSM_DOWN_TCP_FAILED] = "connection failed",
        [FSM_DOWN_NOTIF_RECEIVED] = "notification received",
        [FSM_DOWN_NOTIF_SENT] = "notification sent",
        [FSM_DOWN_HOLD_EXPIRED] = "hold timer expired",
        [FSM_DOWN_COLLISION] = "connection collision",
        [FSM_DOWN_FSM_ERROR] = "unexpected event",
};

const char *
bgp_fsm_state_name(enum fsm_state s)
{
	return (unsigned)s < FSM_ST_COUNT ? state_names[s] : "?";
}

const char *
bgp_fsm_event_name(enum fsm_event e)
{
	return (unsigned)e < FSM_EV_COUNT ? event_names[e] : "?";
}

const char *
bgp_fsm_timer_name(enum fsm_timer t)
{
	return (unsigned)t < FSM_TMR_COUNT ? timer_names[t] : "?";
}

const char *
bgp_fsm_act_name(enum fsm_act a)
{
	return (unsigned)a < FSM_ACT_COUNT ? act_names[a] : "?";
}

const char *
bgp_fsm_down_name(enum fsm_down d)
{
	return (unsigned)d < FSM_DOWN_COUNT ? down_names[d] : "?";
}

/* ------------------------------------------------------------ actions */

static struct fsm_action *
act(struct fsm_actions *out, enum fsm_act kind)
{
	struct fsm_action *a;

	if (out->n == FSM_MAX_ACTIONS)
		RR_BUG("fsm: action list full");
	a = &out->v[out->n++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	return a;
}

const uint8_t *
bgp_fsm_action_bytes(const struct fsm_actions *a, const struct fsm_action *act_)
{
	return act_->ext ? act_->ext : &a->buf[act_->off];
}

/* The room left in out->buf for one message. */
static uint8_t *
send_room(struct fsm_actions *out, size_t *cap)
{
	*cap = sizeof(out->buf) - out->used;
	return &out->buf[out->used];
}

static void
send_bytes(struct fsm *f, struct fsm_actions *out, long len)
{
	struct fsm_action *a;

	if (len < 0)
		RR_BUG("fsm: a message of our own does not encode");
	a = act(out, FSM_ACT_SEND);
	a->off = out->used;
	a->len = (size_t)len;
	out->used += (size_t)len;
	f->msgs_out++;
}

static void
send_keepalive(struct fsm *f, struct fsm_actions *out)
{
	size_t cap;
	uint8_t *b = send_room(out, &cap);
	send_bytes(f, out, bgp_encode_keepalive(b, cap));
}

static void
send_notif(struct fsm *f, struct fsm_actions *out, uint8_t code,
           uint8_t subcode, const uint8_t *data, size_t ndata)
{
	size_t cap;
	uint8_t *b = send_room(out, &cap);
	send_bytes(f, out,
	           bgp_encode_notification(code, subcode, data, ndata, b, cap));
	f->down_code = code;
	f->down_subcode = subcode;
}

static void
send_open(struct fsm *f, struct fsm_actions *out)
{
	struct bgp_msg m;
	size_t cap;
	uint8_t *b = send_room(out, &cap);

	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_OPEN;
	m.u.open = f->local_open;
	send_bytes(f, out, bgp_msg_encode(&m, NULL, b, cap));
}

static void
timer_start(struct fsm *f, struct fsm_actions *out, enum fsm_timer t,
            uint32_t secs)
{
	struct fsm_action *a = act(out, FSM_ACT_TIMER_START);
	a->timer = t;
	a->secs = secs;
	f->running[t] = true;
}

static void
timer_stop(struct fsm *f, struct fsm_actions *out, enum fsm_timer t)
{
	if (!f->running[t])
		return;
	act(out, FSM_ACT_TIMER_STOP)->timer = t;
	f->running[t] = false;
}

static void
tcp_connect(struct fsm *f, struct fsm_actions *out)
{
	act(out, FSM_ACT_CONNECT);
	f->conn = true;
}

static void
tcp_close(struct fsm *f, struct fsm_actions *out)
{
	if (!f->conn)
		return;
	act(out, FSM_ACT_CLOSE);
	f->conn = false;
}

static void
report_down(struct fsm *f, struct fsm_actions *out, enum fsm_down why)
{
	struct fsm_action *a = act(out, FSM_ACT_DOWN);

	f->down = why;
	if (why != FSM_DOWN_NOTIF_RECEIVED && why != FSM_DOWN_NOTIF_SENT &&
	    why != FSM_DOWN_HOLD_EXPIRED && why != FSM_DOWN_COLLISION &&
	    why != FSM_DOWN_FSM_ERROR)
		f->down_code = f->down_subcode = 0;
	a->down = why;
	a->code = f->down_code;
	a->subcode = f->down_subcode;
}

/* the error wait after w: doubled, up to the profile's cap */
static uint16_t
doubled_wait(const struct bgp_profile *p, uint16_t w)
{
	return (uint16_t)(w * 2u > p->error_wait_max ? p->error_wait_max
	                                             : w * 2u);
}

/*
 * BIRD 1.6 restarting its protocol (proto/bgp/bgp.c): an error (a
 * NOTIFICATION sent or received other than a Cease, the hold timer, an FSM
 * error) sets the startup delay -- 5 s, doubled per error up to 30 s, back
 * to 5 s when the error before was error_amnesia seconds ago or more
 * (bgp_update_startup_delay); a Cease sent or received, or the connection
 * lost while Established, is no error and leaves it.  Each start of the
 * protocol waits the delay in force (bgp_initiate), Established or not in
 * between; a Cease before Established only closes that connection, the
 * protocol stays started and dials again after its connect delay.
 */
static void
bird_restart(struct fsm *f, struct fsm_actions *out, enum fsm_down why,
             bool was_up)
{
	const struct bgp_profile *p = f->cfg.profile;
	/* a Cease sent or received (a collision's 6/7 too) is no error:
	 * bgp_error and bgp_rx_notification test code != 6 */
	bool notif =
	        why == FSM_DOWN_NOTIF_RECEIVED || why == FSM_DOWN_NOTIF_SENT;
	bool error = why != FSM_DOWN_TCP_FAILED && why != FSM_DOWN_COLLISION &&
	             !(notif && f->down_code == ERR_CEASE);

	if (error) {
		if (f->now_ms && f->last_error_ms &&
		    f->now_ms - f->last_error_ms >= p->error_amnesia * 1000ull)
			f->error_wait = 0;
		f->last_error_ms = f->now_ms;
		f->error_wait = f->error_wait ? doubled_wait(p, f->error_wait)
		                              : p->error_wait_min;
	}
	timer_start(f, out, FSM_TMR_IDLE_HOLD,
	            error || was_up ? f->error_wait : 0);
}

/* Every timer stopped, the connection closed, the way down reported (not
 * from Idle) and counted (8: ConnectRetryCounter; a stop is not counted). */
static void
drop(struct fsm *f, struct fsm_actions *out, enum fsm_down why)
{
	enum fsm_timer t;

	for (t = 0; t < FSM_TMR_COUNT; t++)
		timer_stop(f, out, t);
	tcp_close(f, out);
	if (f->state != FSM_ST_IDLE)
		report_down(f, out, why);
	if (why != FSM_DOWN_STOP)
		f->connect_retry_counter++;
}

/*
 * Back to Idle (8.2.2 "releases all BGP resources, drops the TCP
 * connection"): timers stopped, connection closed.  After an error, with
 * auto_restart, the IdleHoldTimer brings the session back (8.1.1
 * DampPeerOscillations; BIRD's "error wait time", doubling up to a cap).
 */
static void
to_idle(struct fsm *f, struct fsm_actions *out, enum fsm_down why)
{
	const struct bgp_profile *p = f->cfg.profile;
	bool was_up = f->state == FSM_ST_ESTABLISHED;

	drop(f, out, why);
	f->state = FSM_ST_IDLE;
	if (!f->cfg.auto_restart || why == FSM_DOWN_STOP)
		return;
	if (p->error_amnesia) {
		bird_restart(f, out, why, was_up);
	} else {
		uint16_t w = f->error_wait ? f->error_wait : p->error_wait_min;
		timer_start(f, out, FSM_TMR_IDLE_HOLD, w);
		f->error_wait = doubled_wait(p, w);
	}
}

/*
 * TcpConnectionFails before Established.  RFC 4271 8.2.2 goes to Idle
 * (Connect, Active, OpenConfirm) or Active (OpenSent); a profile with
 * tcp_fail_redial (BIRD 1.6) keeps the session started instead: the
 * connection is closed, the session listens and dials again after the
 * connect delay (at least 1 s: bgp_active), with no error wait.
 */
static bool
tcp_failed_redial(struct fsm *f, struct fsm_actions *out)
{
	const struct bgp_profile *p = f->cfg.profile;

	if (!p->tcp_fail_redial)
		return false;
	drop(f, out, FSM_DOWN_TCP_FAILED);
	if (f->passive)
		timer_start(f, out, FSM_TMR_CONNECT_RETRY, p->connect_retry);
	else
		timer_start(f, out, FSM_TMR_CONNECT_RETRY,
		            p->connect_delay ? p->connect_delay : 1);
	f->state = FSM_ST_ACTIVE;
	return true;
}

/* Send a NOTIFICATION, then Idle. */
static void
fail(struct fsm *f, struct fsm_actions *out, enum fsm_down why, uint8_t code,
     uint8_t subcode)
{
	send_notif(f, out, code, subcode, NULL, 0);
	to_idle(f, out, why);
}

/* The pending decode error (BGPHeaderErr, BGPOpenMsgErr, UpdateMsgErr). */
static void
fail_pending(struct fsm *f, struct fsm_actions *out)
{
	send_notif(f, out, f->err.code, f->err.subcode, f->err.data,
	           f->err.ndata);
	to_idle(f, out, FSM_DOWN_NOTIF_SENT);
}

/* 8.2.2: on TCP up, send OPEN (or wait DelayOpenTime), hold timer large. */
static void
tcp_up(struct fsm *f, struct fsm_actions *out)
{
	const struct bgp_profile *p = f->cfg.profile;

	f->conn = true;
	timer_stop(f, out, FSM_TMR_CONNECT_RETRY);
	if (p->delay_open) {
		timer_start(f, out, FSM_TMR_DELAY_OPEN, p->delay_open);
		return;
	}
	send_open(f, out);
	timer_start(f, out, FSM_TMR_HOLD, p->open_hold);
	f->state = FSM_ST_OPENSENT;
}

/* ---------------------------------------------------------- OPEN */

static uint16_t
local_hold(const struct fsm *f)
{
	return f->local_open.hold;
}

/*
 * RFC 4271 6.2 in its order: version, peer AS, hold time, BGP identifier,
 * optional parameters; then RFC 5492 5 for required capabilities.
 * Returns 0, or -1 with f->err set.
 */
static int
open_check(struct fsm *f, const struct bgp_open *o)
{
	const struct bgp_profile *p = f->cfg.profile;
	uint32_t as = bgp_open_asn(o);
	uint16_t min = f->cfg.min_hold ? f->cfg.min_hold : p->min_hold;
	size_t i;

	memset(&f->err, 0, sizeof(f->err));
	if (o->version != BGP_VERSION) {
		wire_err(&f->err, ERR_OPEN, ERR_OPEN_VERSION,
		         BGP_ACT_SESSION_RESET, "unsupported version");
		f->err.data[1] = BGP_VERSION; /* largest supported, 2 octets */
		f->err.ndata = 2;
		return -1;
	}
	if (f->cfg.remote_as && as != f->cfg.remote_as) {
		wire_err(&f->err, ERR_OPEN, ERR_OPEN_PEER_AS,
		         BGP_ACT_SESSION_RESET, "peer AS differs from config");
		return -1;
	}
	/* 6.2: 1 and 2 are never acceptable; 0 always is */
	if (o->hold != 0 && (o->hold < 3 || o->hold < min)) {
		wire_err(&f->err, ERR_OPEN, ERR_OPEN_HOLDTIME,
		         BGP_ACT_SESSION_RESET, "unacceptable hold time");
		return -1;
	}
	/* RFC 6286 2.2: non-zero; unique within the AS (iBGP) */
	if (o->bgp_id == 0 ||
	    (as == f->cfg.local_as && o->bgp_id == f->local_open.bgp_id)) {
		wire_err(&f->err, ERR_OPEN, ERR_OPEN_BGPID,
		         BGP_ACT_SESSION_RESET, "bad BGP identifier");
		return -1;
	}
	for (i = 0; i < o->nparams; i++)
		if (o->params[i].type != 2) {
			wire_err(&f->err, ERR_OPEN, ERR_OPEN_OPTPARAM,
			         BGP_ACT_SESSION_RESET,
			         "unsupported optional parameter");
			return -1;
		}
	/* no address family in common: IOS (and FRR) answer 2/7, "unsupported/
	 * disjoint capability" (Cisco's BGP troubleshooting notes; FRR's
	 * bgp_open.c: "Configured AFI/SAFIs do not overlap with received MP
	 * capabilities"); BIRD 1.6 lets the session come up with none */
	if (!p->up_without_af && !bgp_open_afs_shared(o, &f->local_open)) {
		wire_err(&f->err, ERR_OPEN, ERR_OPEN_CAPABILITY,
		         BGP_ACT_SESSION_RESET,
		         "no address family in common");
		return -1;
	}
	for (i = 0; i < f->cfg.nrequired; i++)
		if (!bgp_open_cap(o, f->cfg.required_caps[i])) {
			/* RFC 5492 5: data lists the missing capability */
			wire_err(&f->err, ERR_OPEN, ERR_OPEN_CAPABILITY,
			         BGP_ACT_SESSION_RESET,
			         "required capability not advertised");
			f->err.data[0] = f->cfg.required_caps[i];
			f->err.ndata = 2;
			return -1;
		}
	return 0;
}

/* RFC 4271 4.2: hold = min of both (0 stays 0); keepalive = a third. */
static void
negotiate(struct fsm *f, const struct bgp_open *o)
{
	const struct bgp_profile *p = f->cfg.profile;
	uint16_t h = local_hold(f) < o->hold ? local_hold(f) : o->hold;
	uint16_t k = f->cfg.keepalive ? f->cfg.keepalive : p->keepalive;

	f->hold = h;
	if (h == 0)
		f->keepalive = 0;
	else if (!k)
		f->keepalive = (uint16_t)(h / 3 ? h / 3 : 1);
	else if (p->keepalive_capped && k > h / 3)
		f->keepalive = (uint16_t)(h / 3 ? h / 3 : 1);
	else
		f->keepalive = k;
	f->peer_as = bgp_open_asn(o);
	f->rx = bgp_codec_negotiate(o, &f->local_open);
	f->tx = bgp_codec_negotiate(&f->local_open, o);
}

/* An acceptable OPEN: KEEPALIVE back, timers, OpenConfirm (8.2.2). */
static void
open_accept(struct fsm *f, struct fsm_actions *out)
{
	negotiate(f, &f->peer_open);
	f->have_peer_open = true;
	act(out, FSM_ACT_OPEN_RECEIVED);
	send_keepalive(f, out);
	if (f->hold) {
		timer_start(f, out, FSM_TMR_KEEPALIVE, f->keepalive);
		timer_start(f, out, FSM_TMR_HOLD, f->hold);
	} else {
		timer_stop(f, out, FSM_TMR_HOLD);
	}
	f->state = FSM_ST_OPENCONFIRM;
}

static void
on_open(struct fsm *f, struct fsm_actions *out)
{
	timer_stop(f, out, FSM_TMR_DELAY_OPEN);
	timer_stop(f, out, FSM_TMR_CONNECT_RETRY);
	if (open_check(f, &f->peer_open) < 0) {
		fail_pending(f, out);
		return;
	}
	open_accept(f, out);
}

/* ----------------------------------------------------------- states */

static void
start(struct fsm *f, struct fsm_actions *out, bool passive)
{
	const struct bgp_profile *p = f->cfg.profile;

	f->connect_retry_counter = 0;
	f->passive = passive || f->cfg.passive;
	if (f->passive) {
		timer_start(f, out, FSM_TMR_CONNECT_RETRY, p->connect_retry);
		f->state = FSM_ST_ACTIVE;
	} else if (p->connect_delay) {
		/* BIRD's connect delay: listen first, dial when it ends */
		timer_start(f, out, FSM_TMR_CONNECT_RETRY, p->connect_delay);
		f->state = FSM_ST_ACTIVE;
	} else {
		timer_start(f, out, FSM_TMR_CONNECT_RETRY, p->connect_retry);
		tcp_connect(f, out);
		f->state = FSM_ST_CONNECT;
	}
}

static void
st_idle(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	switch (ev) {
	case FSM_EV_MANUAL_START:
	case FSM_EV_AUTO_START:
	case FSM_EV_AUTO_START_DAMP:
	case FSM_EV_IDLE_HOLD_EXPIRES:
		start(f, out, false);
		break;
	case FSM_EV_MANUAL_START_PASSIVE:
	case FSM_EV_AUTO_START_PASSIVE:
	case FSM_EV_AUTO_START_DAMP_PASSIVE:
		start(f, out, true);
		break;
	default:
		/* 8.2.2 Idle: other events are ignored; an incoming TCP
		 * connection is refused by the caller */
		break;
	}
}

/* Events Connect and Active treat alike (8.2.2). */
static bool
st_connecting_common(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	const struct bgp_profile *p = f->cfg.profile;

	switch (ev) {
	case FSM_EV_MANUAL_STOP:
		to_idle(f, out, FSM_DOWN_STOP);
		f->connect_retry_counter = 0;
		return true;
	case FSM_EV_DELAY_OPEN_EXPIRES:
		send_open(f, out);
		timer_start(f, out, FSM_TMR_HOLD, p->open_hold);
		f->state = FSM_ST_OPENSENT;
		return true;
	case FSM_EV_TCP_VALID:
	case FSM_EV_TCP_INVALID:
		return true;
	case FSM_EV_TCP_ACKED:
	case FSM_EV_TCP_CONFIRMED:
		tcp_up(f, out);
		return true;
	case FSM_EV_OPEN_DELAYED:
		/* 8.2.2: OPEN while DelayOpen runs -> OPEN, KEEPALIVE */
		timer_stop(f, out, FSM_TMR_CONNECT_RETRY);
		timer_stop(f, out, FSM_TMR_DELAY_OPEN);
		if (open_check(f, &f->peer_open) < 0) {
			fail_pending(f, out);
			return true;
		}
		send_open(f, out);
		open_accept(f, out);
		return true;
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
		fail_pending(f, out);
		return true;
	case FSM_EV_NOTIF_VERSION:
		to_idle(f, out, FSM_DOWN_NOTIF_RECEIVED);
		return true;
	default:
		return false;
	}
}

static void
st_connect(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	const struct bgp_profile *p = f->cfg.profile;

	if (st_connecting_common(f, ev, out))
		return;
	switch (ev) {
	case FSM_EV_CONNECT_RETRY_EXPIRES:
		tcp_close(f, out);
		timer_start(f, out, FSM_TMR_CONNECT_RETRY, p->connect_retry);
		timer_stop(f, out, FSM_TMR_DELAY_OPEN);
		tcp_connect(f, out);
		break;
	case FSM_EV_TCP_FAILS:
		if (tcp_failed_redial(f, out))
			break;
		if (f->running[FSM_TMR_DELAY_OPEN]) {
			timer_start(f, out, FSM_TMR_CONNECT_RETRY,
			            p->connect_retry);
			timer_stop(f, out, FSM_TMR_DELAY_OPEN);
			f->conn = false;
			f->state = FSM_ST_ACTIVE;
		} else {
			f->conn = false;
			to_idle(f, out, FSM_DOWN_TCP_FAILED);
		}
		break;
	default:
		/* 8.2.2 Connect: any other event -> Idle */
		to_idle(f, out,
		        ev == FSM_EV_NOTIF ? FSM_DOWN_NOTIF_RECEIVED
		                           : FSM_DOWN_FSM_ERROR);
		break;
	}
}

static void
st_active(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	const struct bgp_profile *p = f->cfg.profile;

	if (st_connecting_common(f, ev, out))
		return;
	switch (ev) {
	case FSM_EV_CONNECT_RETRY_EXPIRES:
		timer_start(f, out, FSM_TMR_CONNECT_RETRY, p->connect_retry);
		if (!f->passive) {
			tcp_connect(f, out);
			f->state = FSM_ST_CONNECT;
		}
		break;
	case FSM_EV_TCP_FAILS:
		if (tcp_failed_redial(f, out))
			break;
		f->conn = false;
		to_idle(f, out, FSM_DOWN_TCP_FAILED);
		break;
	default:
		to_idle(f, out,
		        ev == FSM_EV_NOTIF ? FSM_DOWN_NOTIF_RECEIVED
		                           : FSM_DOWN_FSM_ERROR);
		break;
	}
}

/* Events OpenSent, OpenConfirm and Established treat alike (8.2.2). */
static bool
st_open_common(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	switch (ev) {
	case FSM_EV_MANUAL_STOP:
		fail(f, out, FSM_DOWN_STOP, ERR_CEASE,
		     f->stop_subcode ? f->stop_subcode
		                     : ERR_CEASE_ADMIN_SHUTDOWN);
		f->connect_retry_counter = 0;
		return true;
	case FSM_EV_AUTO_STOP:
		fail(f, out, FSM_DOWN_STOP, ERR_CEASE, ERR_CEASE_UNSPEC);
		return true;
	case FSM_EV_HOLD_EXPIRES:
		fail(f, out, FSM_DOWN_HOLD_EXPIRED, ERR_HOLD, 0);
		return true;
	case FSM_EV_TCP_VALID:
	case FSM_EV_TCP_INVALID:
	case FSM_EV_TCP_ACKED:
	case FSM_EV_TCP_CONFIRMED:
		/* a second connection: the caller tracks it (6.8) */
		return true;
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
		fail_pending(f, out);
		return true;
	case FSM_EV_COLLISION_DUMP:
		fail(f, out, FSM_DOWN_COLLISION, ERR_CEASE,
		     ERR_CEASE_COLLISION);
		return true;
	case FSM_EV_NOTIF_VERSION:
	case FSM_EV_NOTIF:
		to_idle(f, out, FSM_DOWN_NOTIF_RECEIVED);
		return true;
	default:
		return false;
	}
}

static void
st_opensent(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	const struct bgp_profile *p = f->cfg.profile;

	if (st_open_common(f, ev, out))
		return;
	switch (ev) {
	case FSM_EV_TCP_FAILS:
		if (tcp_failed_redial(f, out))
			break;
		/* 8.2.2: close, restart ConnectRetry, listen in Active */
		f->conn = false;
		timer_stop(f, out, FSM_TMR_HOLD);
		timer_start(f, out, FSM_TMR_CONNECT_RETRY, p->connect_retry);
		report_down(f, out, FSM_DOWN_TCP_FAILED);
		f->state = FSM_ST_ACTIVE;
		break;
	case FSM_EV_OPEN:
		on_open(f, out);
		break;
	default:
		/* RFC 6608 3 */
		fail(f, out, FSM_DOWN_FSM_ERROR, ERR_FSM, ERR_FSM_OPENSENT);
		break;
	}
}

static void
st_openconfirm(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	if (st_open_common(f, ev, out))
		return;
	switch (ev) {
	case FSM_EV_KEEPALIVE_EXPIRES:
		send_keepalive(f, out);
		timer_start(f, out, FSM_TMR_KEEPALIVE, f->keepalive);
		break;
	case FSM_EV_TCP_FAILS:
		if (tcp_failed_redial(f, out))
			break;
		f->conn = false;
		to_idle(f, out, FSM_DOWN_TCP_FAILED);
		break;
	case FSM_EV_KEEPALIVE:
		if (f->hold)
			timer_start(f, out, FSM_TMR_HOLD, f->hold);
		f->state = FSM_ST_ESTABLISHED;
		if (!f->cfg.profile->error_amnesia)
			f->error_wait = 0;
		act(out, FSM_ACT_ESTABLISHED);
		break;
	default:
		fail(f, out, FSM_DOWN_FSM_ERROR, ERR_FSM, ERR_FSM_OPENCONFIRM);
		break;
	}
}

static void
st_established(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	if (st_open_common(f, ev, out))
		return;
	switch (ev) {
	case FSM_EV_KEEPALIVE_EXPIRES:
		send_keepalive(f, out);
		timer_start(f, out, FSM_TMR_KEEPALIVE, f->keepalive);
		break;
	case FSM_EV_TCP_FAILS:
		f->conn = false;
		to_idle(f, out, FSM_DOWN_TCP_FAILED);
		break;
	case FSM_EV_KEEPALIVE:
		if (f->hold)
			timer_start(f, out, FSM_TMR_HOLD, f->hold);
		break;
	case FSM_EV_UPDATE:
		if (f->hold)
			timer_start(f, out, FSM_TMR_HOLD, f->hold);
		f->updates_in++;
		act(out, FSM_ACT_DELIVER)->msg = &f->last;
		break;
	case FSM_EV_UPDATE_ERR:
		fail_pending(f, out);
		break;
	default:
		fail(f, out, FSM_DOWN_FSM_ERROR, ERR_FSM, ERR_FSM_ESTABLISHED);
		break;
	}
}

static void (*const state_fn[FSM_ST_COUNT])(struct fsm *, enum fsm_event,
                                            struct fsm_actions *) = {
        [FSM_ST_IDLE] = st_idle,
        [FSM_ST_CONNECT] = st_connect,
        [FSM_ST_ACTIVE] = st_active,
        [FSM_ST_OPENSENT] = st_opensent,
        [FSM_ST_OPENCONFIRM] = st_openconfirm,
        [FSM_ST_ESTABLISHED] = st_established,
};

/* ------------------------------------------------------------ public */

void
bgp_fsm_init(struct fsm *f, const struct fsm_config *cfg)
{
	const struct bgp_profile *p;
	uint16_t hold;

	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	if (!f->cfg.profile)
		f->cfg.profile = &bgp_profile_bird16;
	p = f->cfg.profile;
	rr_arena_init(&f->arena);
	rr_arena_init(&f->open_arena);
	rr_arena_init(&f->scratch);
	hold = f->cfg.hold_zero ? 0 : f->cfg.hold ? f->cfg.hold : p->hold;
	if (cfg->open)
		f->local_open = *cfg->open;
	else
		bgp_profile_open(p, cfg->local_as, cfg->router_id, hold,
		                 cfg->ipv6, &f->arena, &f->local_open);
	f->cfg.open = NULL;
	f->state = FSM_ST_IDLE;
}

void
bgp_fsm_release(struct fsm *f)
{
	rr_arena_release(&f->arena);
	rr_arena_release(&f->open_arena);
	rr_arena_release(&f->scratch);
}

void
bgp_fsm_event(struct fsm *f, enum fsm_event ev, struct fsm_actions *out)
{
	static const enum fsm_timer timer_of[FSM_EV_COUNT] = {
	        [FSM_EV_CONNECT_RETRY_EXPIRES] = FSM_TMR_CONNECT_RETRY,
	        [FSM_EV_HOLD_EXPIRES] = FSM_TMR_HOLD,
	        [FSM_EV_KEEPALIVE_EXPIRES] = FSM_TMR_KEEPALIVE,
	        [FSM_EV_DELAY_OPEN_EXPIRES] = FSM_TMR_DELAY_OPEN,
	        [FSM_EV_IDLE_HOLD_EXPIRES] = FSM_TMR_IDLE_HOLD,
	};

	if ((unsigned)ev >= FSM_EV_COUNT || ev == FSM_EV_NONE)
		return;
	if (ev >= FSM_EV_CONNECT_RETRY_EXPIRES &&
	    ev <= FSM_EV_IDLE_HOLD_EXPIRES) {
		/* a timer the machine stopped cannot expire */
		if (!f->running[timer_of[ev]])
			return;
		f->running[timer_of[ev]] = false;
	}
	state_fn[f->state](f, ev, out);
}

/* Keep a copy of the peer's OPEN for the life of the session. */
static int
keep_peer_open(struct fsm *f, const uint8_t *msg, size_t len)
{
	uint8_t *copy;
	struct bgp_msg m;
	struct bgp_error e;

	rr_arena_release(&f->open_arena);
	rr_arena_init(&f->open_arena);
	copy = rr_arena_alloc(&f->open_arena, len);
	memcpy(copy, msg, len);
	if (bgp_msg_decode(copy, len, NULL, &f->open_arena, &m, &e) < 0)
		return -1;
	f->peer_open = m.u.open;
	return 0;
}

/* The events a decoded message (f->last, from `msg`) raises. */
static void
recv_events(struct fsm *f, const uint8_t *msg, size_t len,
            struct fsm_actions *out)
{
	enum fsm_event ev;

	switch (f->last.type) {
	case BGP_MSG_OPEN:
		if (keep_peer_open(f, msg, len) < 0)
			RR_BUG("fsm: an OPEN that decoded once does not again");
		ev = f->running[FSM_TMR_DELAY_OPEN] ? FSM_EV_OPEN_DELAYED
		                                    : FSM_EV_OPEN;
		break;
	case BGP_MSG_NOTIFICATION:
		f->down_code = f->last.u.notification.code;
		f->down_subcode = f->last.u.notification.subcode;
		ev = f->down_code == ERR_OPEN &&
		                     f->down_subcode == ERR_OPEN_VERSION
		             ? FSM_EV_NOTIF_VERSION
		             : FSM_EV_NOTIF;
		break;
	case BGP_MSG_KEEPALIVE:
		ev = FSM_EV_KEEPALIVE;
		break;
	case BGP_MSG_UPDATE:
		ev = FSM_EV_UPDATE;
		break;
	case BGP_MSG_ROUTE_REFRESH:
		/* RFC 2918 4: acted on in Established, ignored before */
		if (f->state == FSM_ST_ESTABLISHED)
			act(out, FSM_ACT_DELIVER)->msg = &f->last;
		return;
	default:
		RR_BUG("fsm: decoder returned an unknown type");
	}
	state_fn[f->state](f, ev, out);
}

void
bgp_fsm_recv(struct fsm *f, const uint8_t *msg, size_t len,
             struct fsm_actions *out)
{
	uint8_t *copy;
	enum fsm_event ev;
	struct bgp_error e;

	rr_arena_release(&f->scratch);
	rr_arena_init(&f->scratch);
	copy = rr_arena_alloc(&f->scratch, len ? len : 1);
	if (len)
		memcpy(copy, msg, len);
	f->msgs_in++;
	if (bgp_msg_decode(copy, len, &f->rx, &f->scratch, &f->last, &e) < 0) {
		f->err = e;
		if (e.code == ERR_HEADER)
			ev = FSM_EV_HEADER_ERR;
		else if (e.code == ERR_OPEN)
			ev = FSM_EV_OPEN_ERR;
		else
			ev = FSM_EV_UPDATE_ERR;
		state_fn[f->state](f, ev, out);
		return;
	}
	recv_events(f, copy, len, out);
}

void
bgp_fsm_recv_decoded(struct fsm *f, const uint8_t *msg, size_t len,
                     const struct bgp_msg *m, struct fsm_actions *out)
{
	/* nothing of the machine's own points at an older message */
	rr_arena_release(&f->scratch);
	rr_arena_init(&f->scratch);
	f->msgs_in++;
	f->last = *m;
	recv_events(f, msg, len, out);
}

int
bgp_fsm_send_update(struct fsm *f, const struct bgp_update *u,
                    struct fsm_actions *out)
{
	struct bgp_msg m;
	size_t cap;
	uint8_t *b;
	long n;

	if (f->state != FSM_ST_ESTABLISHED)
		return -1;
	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_UPDATE;
	m.u.update = *u;
	b = send_room(out, &cap);
	n = bgp_msg_encode(&m, &f->tx, b, cap);
	if (n < 0)
		return -1;
	send_bytes(f, out, n);
	/* 8.2.2 Established: sending an UPDATE restarts the KeepaliveTimer */
	if (f->hold)
		timer_start(f, out, FSM_TMR_KEEPALIVE, f->keepalive);
	return 0;
}

int
bgp_fsm_send_encoded(struct fsm *f, const uint8_t *msg, size_t len,
                     struct fsm_actions *out)
{
	size_t cap;
	uint8_t *b;

	if (f->state != FSM_ST_ESTABLISHED)
		return -1;
	if (bgp_msg_peek_type(msg, len) != BGP_MSG_UPDATE ||
	    len > (f->tx.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN))
		return -1;
	b = send_room(out, &cap);
	if (len > cap)
		return -1;
	memcpy(b, msg, len);
	send_bytes(f, out, (long)len);
	/* 8.2.2 Established: sending an UPDATE restarts the KeepaliveTimer */
	if (f->hold)
		timer_start(f, out, FSM_TMR_KEEPALIVE, f->keepalive);
	return 0;
}

int
bgp_fsm_send_updates(struct fsm *f, const uint8_t *msgs, size_t len,
                     uint32_t n, struct fsm_actions *out)
{
	struct fsm_action *a;
	size_t off = 0;
	uint32_t k;

	if (f->state != FSM_ST_ESTABLISHED || !n)
		return -1;
	/* our own bytes: their lengths and types are checked, not the
	 * rest of the header (bgp_fsm_send_encoded checks as little) */
	for (k = 0; k < n; k++) {
		long m = bgp_msg_peek_len(msgs + off, len - off);
		if (m < BGP_HEADER_LEN + 4 || (size_t)m > len - off ||
		    (size_t)m > (f->tx.ext_msg ? BGP_EXT_MAX_LEN : BGP_MAX_LEN) ||
		    bgp_msg_peek_type(msgs + off, len - off) != BGP_MSG_UPDATE)
			return -1;
		off += (size_t)m;
	}
	if (off != len)
		return -1;
	a = act(out, FSM_ACT_SEND);
	a->ext = msgs;
	a->len = len;
	f->msgs_out += n;
	/* 8.2.2 Established: sending an UPDATE restarts the KeepaliveTimer */
	if (f->hold)
		timer_start(f, out, FSM_TMR_KEEPALIVE, f->keepalive);
	return 0;
}

int
bgp_fsm_recv_updates(struct fsm *f, uint32_t n, struct fsm_actions *out)
{
	if (f->state != FSM_ST_ESTABLISHED || !n)
		return -1;
	rr_arena_release(&f->scratch);
	rr_arena_init(&f->scratch);
	f->msgs_in += n;
	f->updates_in += n;
	/* 8.2.2 Established, UpdateMsg: the HoldTimer restarts */
	if (f->hold)
		timer_start(f, out, FSM_TMR_HOLD, f->hold);
	return 0;
}

enum fsm_state
bgp_fsm_state(const struct fsm *f)
{
	return f->state;
}

const struct bgp_open *
bgp_fsm_peer_open(const struct fsm *f)
{
	return f->have_peer_open ? &f->peer_open : NULL;
}

static bool
open_phase(const struct fsm *f)
{
	return f->state == FSM_ST_OPENSENT || f->state == FSM_ST_OPENCONFIRM ||
	       f->state == FSM_ST_ESTABLISHED;
}

struct fsm *
bgp_fsm_collision(struct fsm *a, struct fsm *b)
{
	const struct fsm *known;
	uint32_t local_id, remote_id;

	if (!open_phase(a) || !open_phase(b))
		return NULL;
	/* 6.8: an Established session wins over a new connection */
	if (a->state == FSM_ST_ESTABLISHED)
		return b;
	if (b->state == FSM_ST_ESTABLISHED)
		return a;
	known = a->have_peer_open ? a : b->have_peer_open ? b : NULL;
	if (!known)
		return NULL; /* both in OpenSent: identifier unknown yet */
	local_id = known->local_open.bgp_id;
	remote_id = known->peer_open.bgp_id;
	/* keep the connection opened by the higher identifier; equal ones
	 * (eBGP, RFC 6286 2.3): by the higher AS */
	if (local_id != remote_id)
		return local_id < remote_id ? a : b;
	if (known->cfg.local_as != known->peer_as)
		return known->cfg.local_as < known->peer_as ? a : b;
	return NULL;
}
