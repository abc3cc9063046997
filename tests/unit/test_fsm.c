/*
 * bgpsim/fsm.c: the RFC 4271 8.2.2 transition table per state, the OPEN
 * checks of 6.2, hold-time negotiation, timers, collision detection
 * (6.8), passive peers, auto-restart, two machines talking to each
 * other through their actions, and the shortcuts of update groups
 * (bgp_fsm_send_encoded, bgp_fsm_recv_decoded) against the normal path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bgp/bgp.h"

#define LOCAL_ID 0x0a000001u
#define PEER_ID  0x0a000002u

enum input {
	IN_EVENT = 0,
	IN_OPEN, /* acceptable OPEN from AS 64512, hold 240 */
	IN_OPEN_BADAS,
	IN_OPEN_HOLD1,
	IN_OPEN_HOLD2,
	IN_OPEN_HOLD0,
	IN_OPEN_ID0,
	IN_OPEN_SAMEID,
	IN_OPEN_VERSION3,
	IN_OPEN_OPTPARAM,
	IN_OPEN_V6, /* bird6's: Multiprotocol IPv6 unicast only */
	IN_KEEPALIVE,
	IN_UPDATE,
	IN_UPDATE_BAD, /* session reset: NLRI /33 */
	IN_UPDATE_TAW, /* treat-as-withdraw: still delivered */
	IN_NOTIF,
	IN_NOTIF_VERSION,
	IN_GARBAGE, /* bad marker */
	IN_REFRESH,
};

static size_t
peer_open(enum input in, uint8_t *b, size_t cap)
{
	struct rr_arena a;
	struct bgp_msg m;
	uint32_t as = in == IN_OPEN_BADAS ? 64999 : 64512;
	uint32_t id = in == IN_OPEN_ID0      ? 0
	              : in == IN_OPEN_SAMEID ? LOCAL_ID
	                                     : PEER_ID;
	uint16_t hold = in == IN_OPEN_HOLD1   ? 1
	                : in == IN_OPEN_HOLD2 ? 2
	                : in == IN_OPEN_HOLD0 ? 0
	                                      : 240;
	long n;

	rr_arena_init(&a);
	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_OPEN;
	bgp_profile_open(&bgp_profile_bird16, as, id, hold, in == IN_OPEN_V6,
	                 &a, &m.u.open);
	if (in == IN_OPEN_VERSION3)
		m.u.open.version = 3;
	if (in == IN_OPEN_OPTPARAM)
		m.u.open.params[0].type = 1; /* deprecated authentication */
	n = bgp_msg_encode(&m, NULL, b, cap);
	rr_arena_release(&a);
	assert_true(n > 0);
	return (size_t)n;
}

static size_t
mkmsg(enum input in, uint8_t *b, size_t cap)
{
	static const uint8_t upd[] = {
	        0, 0, 0, 21,   0x40, 1, 1, 0, 0x40, 2,   0,  0x40, 3,   4, 10,
	        0, 0, 2, 0x40, 5,    4, 0, 0, 0,    100, 24, 10,   244, 1};
	size_t n;

	memset(b, 0xff, 16);
	switch (in) {
	case IN_KEEPALIVE:
		return (size_t)bgp_encode_keepalive(b, cap);
	case IN_NOTIF:
		return (size_t)bgp_encode_notification(6, 2, NULL, 0, b, cap);
	case IN_NOTIF_VERSION:
		return (size_t)bgp_encode_notification(2, 1, NULL, 0, b, cap);
	case IN_UPDATE:
	case IN_UPDATE_BAD:
	case IN_UPDATE_TAW:
		memcpy(b + 19, upd, sizeof(upd));
		n = 19 + sizeof(upd);
		if (in == IN_UPDATE_BAD)
			b[n - 4] = 33;
		if (in == IN_UPDATE_TAW)
			b[19 + 7] = 9; /* ORIGIN 9 */
		b[16] = 0;
		b[17] = (uint8_t)n;
		b[18] = BGP_MSG_UPDATE;
		return n;
	case IN_GARBAGE:
		n = (size_t)bgp_encode_keepalive(b, cap);
		b[3] = 0;
		return n;
	case IN_REFRESH:
		b[16] = 0;
		b[17] = 23;
		b[18] = BGP_MSG_ROUTE_REFRESH;
		b[19] = 0;
		b[20] = 1;
		b[21] = 0;
		b[22] = 1;
		return 23;
	default:
		return peer_open(in, b, cap);
	}
}

static void
cfg_init(struct fsm_config *c, const struct bgp_profile *p)
{
	memset(c, 0, sizeof(*c));
	c->profile = p;
	c->local_as = 64512;
	c->remote_as = 64512;
	c->router_id = LOCAL_ID;
}

static void
feed(struct fsm *f, enum input in, enum fsm_event ev, struct fsm_actions *out)
{
	uint8_t b[4096];
	size_t n;

	out->n = 0;
	out->used = 0;
	if (in == IN_EVENT) {
		bgp_fsm_event(f, ev, out);
		return;
	}
	n = mkmsg(in, b, sizeof(b));
	bgp_fsm_recv(f, b, n, out);
}

/* The first NOTIFICATION sent in out, as code*100+subcode, or -1. */
static int
notif_sent(const struct fsm_actions *out)
{
	size_t i;
	for (i = 0; i < out->n; i++) {
		const uint8_t *b;
		if (out->v[i].kind != FSM_ACT_SEND)
			continue;
		b = bgp_fsm_action_bytes(out, &out->v[i]);
		if (b[18] == BGP_MSG_NOTIFICATION)
			return b[19] * 100 + b[20];
	}
	return -1;
}

static int
sent_type(const struct fsm_actions *out, uint8_t type)
{
	size_t i, k = 0;
	for (i = 0; i < out->n; i++)
		if (out->v[i].kind == FSM_ACT_SEND &&
		    bgp_fsm_action_bytes(out, &out->v[i])[18] == type)
			k++;
	return (int)k;
}

static const struct fsm_action *
find_act(const struct fsm_actions *out, enum fsm_act kind)
{
	size_t i;
	for (i = 0; i < out->n; i++)
		if (out->v[i].kind == kind)
			return &out->v[i];
	return NULL;
}

/* Drive a fresh machine (IOS profile: no connect delay) to `st`. */
static void
drive(struct fsm *f, const struct fsm_config *c, enum fsm_state st)
{
	struct fsm_actions out;

	bgp_fsm_init(f, c);
	if (st == FSM_ST_IDLE)
		return;
	if (st == FSM_ST_ACTIVE) {
		feed(f, IN_EVENT, FSM_EV_MANUAL_START_PASSIVE, &out);
		assert_int_equal(bgp_fsm_state(f), FSM_ST_ACTIVE);
		return;
	}
	feed(f, IN_EVENT, FSM_EV_MANUAL_START, &out);
	if (bgp_fsm_state(f) == FSM_ST_ACTIVE) /* connect delay */
		feed(f, IN_EVENT, FSM_EV_CONNECT_RETRY_EXPIRES, &out);
	assert_int_equal(bgp_fsm_state(f), FSM_ST_CONNECT);
	if (st == FSM_ST_CONNECT)
		return;
	feed(f, IN_EVENT, FSM_EV_TCP_CONFIRMED, &out);
	assert_int_equal(bgp_fsm_state(f), FSM_ST_OPENSENT);
	if (st == FSM_ST_OPENSENT)
		return;
	feed(f, IN_OPEN, 0, &out);
	assert_int_equal(bgp_fsm_state(f), FSM_ST_OPENCONFIRM);
	if (st == FSM_ST_OPENCONFIRM)
		return;
	feed(f, IN_KEEPALIVE, 0, &out);
	assert_int_equal(bgp_fsm_state(f), FSM_ST_ESTABLISHED);
}

struct tcase {
	const char *what;
	enum fsm_state from;
	enum input in;
	enum fsm_event ev;
	enum fsm_state to;
	int notif;         /* code*100+subcode sent, -1 none */
	bool down;         /* a DOWN action */
	enum fsm_act also; /* another action expected (FSM_ACT_COUNT: none) */
};

#define NONE FSM_ACT_COUNT
#define I    FSM_ST_IDLE
#define C    FSM_ST_CONNECT
#define A    FSM_ST_ACTIVE
#define S    FSM_ST_OPENSENT
#define OC   FSM_ST_OPENCONFIRM
#define E    FSM_ST_ESTABLISHED

static const struct tcase table[] = {
        /* Idle */
        {"idle start", I, IN_EVENT, FSM_EV_MANUAL_START, C, -1, false,
         FSM_ACT_CONNECT},
        {"idle auto start", I, IN_EVENT, FSM_EV_AUTO_START, C, -1, false,
         FSM_ACT_CONNECT},
        {"idle passive start", I, IN_EVENT, FSM_EV_MANUAL_START_PASSIVE, A, -1,
         false, FSM_ACT_TIMER_START},
        {"idle stop ignored", I, IN_EVENT, FSM_EV_MANUAL_STOP, I, -1, false,
         NONE},
        {"idle tcp ignored", I, IN_EVENT, FSM_EV_TCP_CONFIRMED, I, -1, false,
         NONE},
        {"idle open ignored", I, IN_OPEN, 0, I, -1, false, NONE},
        {"idle stale timer", I, IN_EVENT, FSM_EV_HOLD_EXPIRES, I, -1, false,
         NONE},
        /* Connect */
        {"connect tcp up", C, IN_EVENT, FSM_EV_TCP_CONFIRMED, S, -1, false,
         FSM_ACT_SEND},
        {"connect tcp acked", C, IN_EVENT, FSM_EV_TCP_ACKED, S, -1, false,
         FSM_ACT_SEND},
        {"connect refused", C, IN_EVENT, FSM_EV_TCP_FAILS, I, -1, true, NONE},
        {"connect retry", C, IN_EVENT, FSM_EV_CONNECT_RETRY_EXPIRES, C, -1,
         false, FSM_ACT_CONNECT},
        {"connect stop", C, IN_EVENT, FSM_EV_MANUAL_STOP, I, -1, true,
         FSM_ACT_CLOSE},
        {"connect keepalive msg", C, IN_KEEPALIVE, 0, I, -1, true, NONE},
        {"connect header error", C, IN_GARBAGE, 0, I, 101, true, NONE},
        /* Active */
        {"active tcp up", A, IN_EVENT, FSM_EV_TCP_CONFIRMED, S, -1, false,
         FSM_ACT_SEND},
        {"active passive retry stays", A, IN_EVENT,
         FSM_EV_CONNECT_RETRY_EXPIRES, A, -1, false, FSM_ACT_TIMER_START},
        {"active stop", A, IN_EVENT, FSM_EV_MANUAL_STOP, I, -1, true, NONE},
        {"active tcp fails", A, IN_EVENT, FSM_EV_TCP_FAILS, I, -1, true, NONE},
        {"active update", A, IN_UPDATE, 0, I, -1, true, NONE},
        /* OpenSent */
        {"opensent good open", S, IN_OPEN, 0, OC, -1, false,
         FSM_ACT_OPEN_RECEIVED},
        {"opensent hold 0 accepted", S, IN_OPEN_HOLD0, 0, OC, -1, false,
         FSM_ACT_TIMER_STOP},
        {"opensent bad peer AS", S, IN_OPEN_BADAS, 0, I, 202, true, NONE},
        {"opensent hold 1", S, IN_OPEN_HOLD1, 0, I, 206, true, NONE},
        {"opensent hold 2", S, IN_OPEN_HOLD2, 0, I, 206, true, NONE},
        {"opensent id 0", S, IN_OPEN_ID0, 0, I, 203, true, NONE},
        {"opensent iBGP same id", S, IN_OPEN_SAMEID, 0, I, 203, true, NONE},
        {"opensent version 3", S, IN_OPEN_VERSION3, 0, I, 201, true, NONE},
        {"opensent auth parameter", S, IN_OPEN_OPTPARAM, 0, I, 204, true, NONE},
        {"opensent hold expires", S, IN_EVENT, FSM_EV_HOLD_EXPIRES, I, 400,
         true, NONE},
        {"opensent stop", S, IN_EVENT, FSM_EV_MANUAL_STOP, I, 602, true, NONE},
        {"opensent tcp fails", S, IN_EVENT, FSM_EV_TCP_FAILS, A, -1, true,
         FSM_ACT_TIMER_START},
        {"opensent keepalive", S, IN_KEEPALIVE, 0, I, 501, true, NONE},
        {"opensent update", S, IN_UPDATE, 0, I, 501, true, NONE},
        {"opensent notification", S, IN_NOTIF, 0, I, -1, true, NONE},
        {"opensent version notification", S, IN_NOTIF_VERSION, 0, I, -1, true,
         NONE},
        {"opensent garbage", S, IN_GARBAGE, 0, I, 101, true, NONE},
        {"opensent collision", S, IN_EVENT, FSM_EV_COLLISION_DUMP, I, 607, true,
         NONE},
        {"opensent refresh ignored", S, IN_REFRESH, 0, S, -1, false, NONE},
        /* OpenConfirm */
        {"openconfirm keepalive", OC, IN_KEEPALIVE, 0, E, -1, false,
         FSM_ACT_ESTABLISHED},
        {"openconfirm keepalive timer", OC, IN_EVENT, FSM_EV_KEEPALIVE_EXPIRES,
         OC, -1, false, FSM_ACT_SEND},
        {"openconfirm hold expires", OC, IN_EVENT, FSM_EV_HOLD_EXPIRES, I, 400,
         true, NONE},
        {"openconfirm notification", OC, IN_NOTIF, 0, I, -1, true, NONE},
        {"openconfirm second open", OC, IN_OPEN, 0, I, 502, true, NONE},
        {"openconfirm update", OC, IN_UPDATE, 0, I, 502, true, NONE},
        {"openconfirm tcp fails", OC, IN_EVENT, FSM_EV_TCP_FAILS, I, -1, true,
         NONE},
        {"openconfirm stop", OC, IN_EVENT, FSM_EV_MANUAL_STOP, I, 602, true,
         NONE},
        {"openconfirm collision", OC, IN_EVENT, FSM_EV_COLLISION_DUMP, I, 607,
         true, NONE},
        /* Established */
        {"established update", E, IN_UPDATE, 0, E, -1, false, FSM_ACT_DELIVER},
        {"established treat-as-withdraw", E, IN_UPDATE_TAW, 0, E, -1, false,
         FSM_ACT_DELIVER},
        {"established bad update", E, IN_UPDATE_BAD, 0, I, 310, true, NONE},
        {"established keepalive", E, IN_KEEPALIVE, 0, E, -1, false,
         FSM_ACT_TIMER_START},
        {"established keepalive timer", E, IN_EVENT, FSM_EV_KEEPALIVE_EXPIRES,
         E, -1, false, FSM_ACT_SEND},
        {"established hold expires", E, IN_EVENT, FSM_EV_HOLD_EXPIRES, I, 400,
         true, NONE},
        {"established notification", E, IN_NOTIF, 0, I, -1, true, NONE},
        {"established open", E, IN_OPEN, 0, I, 503, true, NONE},
        {"established stop", E, IN_EVENT, FSM_EV_MANUAL_STOP, I, 602, true,
         FSM_ACT_CLOSE},
        {"established auto stop", E, IN_EVENT, FSM_EV_AUTO_STOP, I, 600, true,
         NONE},
        {"established tcp fails", E, IN_EVENT, FSM_EV_TCP_FAILS, I, -1, true,
         NONE},
        {"established refresh", E, IN_REFRESH, 0, E, -1, false,
         FSM_ACT_DELIVER},
        {"established garbage", E, IN_GARBAGE, 0, I, 101, true, NONE},
        {"established collision", E, IN_EVENT, FSM_EV_COLLISION_DUMP, I, 607,
         true, NONE},
        {"established delay-open timer (stale)", E, IN_EVENT,
         FSM_EV_DELAY_OPEN_EXPIRES, E, -1, false, NONE},
};

static void
test_transitions(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct tcase *t = &table[i];
		struct fsm_config c;
		struct fsm f;
		struct fsm_actions out;
		int n;

		cfg_init(&c, &bgp_profile_ios);
		drive(&f, &c, t->from);
		feed(&f, t->in, t->ev, &out);
		if (bgp_fsm_state(&f) != t->to)
			fail_msg("%s: state %s, want %s", t->what,
			         bgp_fsm_state_name(bgp_fsm_state(&f)),
			         bgp_fsm_state_name(t->to));
		n = notif_sent(&out);
		if (n != t->notif)
			fail_msg("%s: notification %d, want %d", t->what, n,
			         t->notif);
		if ((find_act(&out, FSM_ACT_DOWN) != NULL) != t->down)
			fail_msg("%s: down %d, want %d", t->what,
			         find_act(&out, FSM_ACT_DOWN) != NULL, t->down);
		if (t->also != NONE && !find_act(&out, t->also))
			fail_msg("%s: no %s action", t->what,
			         bgp_fsm_act_name(t->also));
		if (t->to == I) {
			size_t k;
			for (k = 0; k < FSM_TMR_COUNT; k++)
				if (f.running[k])
					fail_msg("%s: %s still running in Idle",
					         t->what,
					         bgp_fsm_timer_name(
					                 (enum fsm_timer)k));
		}
		bgp_fsm_release(&f);
	}
}

/* Hold negotiation (RFC 4271 4.2, 10): min of both; keepalive a third,
 * capped for IOS, as configured for BIRD; 0 = no keepalives */
static void
test_hold_negotiation(void **state)
{
	static const struct {
		const char *what;
		const struct bgp_profile *p;
		uint16_t hold, keepalive;
		enum input peer;
		uint16_t want_hold, want_ka;
	} cases[] = {
	        {"ios default vs bird 240", &bgp_profile_ios, 0, 0, IN_OPEN,
	         180, 60},
	        {"ios timers 10 30 vs bird", &bgp_profile_ios, 30, 10, IN_OPEN,
	         30, 10},
	        {"ios keepalive capped", &bgp_profile_ios, 30, 20, IN_OPEN, 30,
	         10},
	        {"bird default", &bgp_profile_bird16, 0, 0, IN_OPEN, 240, 80},
	        {"bird keepalive as configured", &bgp_profile_bird16, 30, 20,
	         IN_OPEN, 30, 20},
	        {"peer hold 0", &bgp_profile_ios, 0, 0, IN_OPEN_HOLD0, 0, 0},
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fsm_config c;
		struct fsm f;
		struct fsm_actions out;
		const struct fsm_action *a;

		cfg_init(&c, cases[i].p);
		c.hold = cases[i].hold;
		c.keepalive = cases[i].keepalive;
		drive(&f, &c, FSM_ST_OPENSENT);
		feed(&f, cases[i].peer, 0, &out);
		assert_int_equal(bgp_fsm_state(&f), FSM_ST_OPENCONFIRM);
		if (f.hold != cases[i].want_hold ||
		    f.keepalive != cases[i].want_ka)
			fail_msg("%s: hold %u keepalive %u, want %u %u",
			         cases[i].what, f.hold, f.keepalive,
			         cases[i].want_hold, cases[i].want_ka);
		a = find_act(&out, FSM_ACT_TIMER_START);
		if (cases[i].want_hold) {
			assert_non_null(a);
			assert_int_equal(a->timer, FSM_TMR_KEEPALIVE);
			assert_int_equal(a->secs, cases[i].want_ka);
		} else {
			assert_false(f.running[FSM_TMR_HOLD]);
			assert_false(f.running[FSM_TMR_KEEPALIVE]);
		}
		bgp_fsm_release(&f);
	}
}

/* the configured minimum hold (IOS `timers bgp K H M`) and required
 * capabilities (RFC 5492 5) */
static void
test_open_policy(void **state)
{
	struct fsm_config c;
	struct fsm f;
	struct fsm_actions out;
	(void)state;

	cfg_init(&c, &bgp_profile_ios);
	c.min_hold = 300;
	drive(&f, &c, FSM_ST_OPENSENT);
	feed(&f, IN_OPEN, 0, &out);
	assert_int_equal(notif_sent(&out), 206);
	bgp_fsm_release(&f);

	cfg_init(&c, &bgp_profile_ios);
	c.required_caps[0] = BGP_CAP_EXT_MESSAGE;
	c.nrequired = 1;
	drive(&f, &c, FSM_ST_OPENSENT);
	feed(&f, IN_OPEN, 0, &out);
	assert_int_equal(notif_sent(&out), 207);
	assert_int_equal(f.down, FSM_DOWN_NOTIF_SENT);
	bgp_fsm_release(&f);

	/* no address family in common (RFC 4760 8): IOS, activated for IPv4
	 * unicast only, refuses bird6's OPEN with 2/7; activated for IPv6
	 * too, it takes it; BIRD 1.6 takes any */
	{
		struct rr_arena oa;
		struct bgp_open lo;
		static const struct bgp_afs v4[] = {{1, 1, 0}},
		                            v46[] = {{1, 1, 0}, {2, 1, 0}};
		rr_arena_init(&oa);
		cfg_init(&c, &bgp_profile_ios);
		bgp_profile_open_afs(&bgp_profile_ios, 64512, LOCAL_ID, 180,
		                     true, v4, 1, &oa, &lo);
		c.open = &lo;
		drive(&f, &c, FSM_ST_OPENSENT);
		feed(&f, IN_OPEN_V6, 0, &out);
		assert_int_equal(notif_sent(&out), 207);
		bgp_fsm_release(&f);
		/* an OPEN without Multiprotocol capabilities offers IPv4 */
		{
			struct bgp_open none;
			memset(&none, 0, sizeof(none));
			assert_true(bgp_open_afs_shared(&none, &lo));
			assert_true(bgp_open_afs_shared(&lo, &none));
		}

		cfg_init(&c, &bgp_profile_ios);
		bgp_profile_open_afs(&bgp_profile_ios, 64512, LOCAL_ID, 180,
		                     true, v46, 2, &oa, &lo);
		c.open = &lo;
		drive(&f, &c, FSM_ST_OPENSENT);
		feed(&f, IN_OPEN_V6, 0, &out);
		assert_int_equal(bgp_fsm_state(&f), FSM_ST_OPENCONFIRM);
		bgp_fsm_release(&f);

		cfg_init(&c, &bgp_profile_bird16);
		drive(&f, &c, FSM_ST_OPENSENT);
		feed(&f, IN_OPEN_V6, 0, &out);
		assert_int_equal(bgp_fsm_state(&f), FSM_ST_OPENCONFIRM);
		bgp_fsm_release(&f);
		rr_arena_release(&oa);
	}

	/* remote_as 0 accepts any AS (rrkit probe) */
	cfg_init(&c, &bgp_profile_bird16);
	c.remote_as = 0;
	drive(&f, &c, FSM_ST_OPENSENT);
	feed(&f, IN_OPEN_BADAS, 0, &out);
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_OPENCONFIRM);
	assert_int_equal(f.peer_as, 64999);
	assert_non_null(bgp_fsm_peer_open(&f));
	bgp_fsm_release(&f);
}

/* BIRD's connect delay, connect retry and error wait (5 s doubling to
 * 30 s) with auto restart; a refused connection is dialled again after the
 * connect delay, with no error wait (BIRD 1.6 bgp_sock_err, bgp_active) */
static void
test_bird_timers(void **state)
{
	struct fsm_config c;
	struct fsm f;
	struct fsm_actions out;
	const struct fsm_action *a;
	unsigned want[] = {5, 10, 20, 30, 30};
	size_t i, k;
	(void)state;

	cfg_init(&c, &bgp_profile_bird16);
	c.auto_restart = true;
	bgp_fsm_init(&f, &c);
	feed(&f, IN_EVENT, FSM_EV_AUTO_START, &out);
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_ACTIVE);
	a = find_act(&out, FSM_ACT_TIMER_START);
	assert_int_equal(a->timer, FSM_TMR_CONNECT_RETRY);
	assert_int_equal(a->secs, 2);
	feed(&f, IN_EVENT, FSM_EV_CONNECT_RETRY_EXPIRES, &out);
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_CONNECT);
	assert_non_null(find_act(&out, FSM_ACT_CONNECT));
	a = find_act(&out, FSM_ACT_TIMER_START);
	assert_int_equal(a->secs, 5);
	/* refused three times: Active, dial again in 2 s, never IdleHold */
	for (i = 0; i < 3; i++) {
		feed(&f, IN_EVENT, FSM_EV_TCP_FAILS, &out);
		assert_int_equal(bgp_fsm_state(&f), FSM_ST_ACTIVE);
		a = find_act(&out, FSM_ACT_DOWN);
		assert_non_null(a);
		assert_int_equal(a->down, FSM_DOWN_TCP_FAILED);
		for (k = 0; k < out.n; k++)
			assert_false(out.v[k].kind == FSM_ACT_TIMER_START &&
			             out.v[k].timer == FSM_TMR_IDLE_HOLD);
		a = &out.v[out.n - 1];
		assert_int_equal(a->kind, FSM_ACT_TIMER_START);
		assert_int_equal(a->timer, FSM_TMR_CONNECT_RETRY);
		assert_int_equal(a->secs, 2);
		feed(&f, IN_EVENT, FSM_EV_CONNECT_RETRY_EXPIRES, &out);
		assert_int_equal(bgp_fsm_state(&f), FSM_ST_CONNECT);
		assert_non_null(find_act(&out, FSM_ACT_CONNECT));
	}
	/* protocol errors: the error wait, doubling up to 30 s */
	for (i = 0; i < 5; i++) {
		feed(&f, IN_KEEPALIVE, 0, &out); /* Connect: an FSM error */
		assert_int_equal(bgp_fsm_state(&f), FSM_ST_IDLE);
		a = &out.v[out.n - 1];
		assert_int_equal(a->kind, FSM_ACT_TIMER_START);
		assert_int_equal(a->timer, FSM_TMR_IDLE_HOLD);
		assert_int_equal(a->secs, want[i]);
		feed(&f, IN_EVENT, FSM_EV_IDLE_HOLD_EXPIRES, &out);
		assert_int_equal(bgp_fsm_state(&f), FSM_ST_ACTIVE);
		feed(&f, IN_EVENT, FSM_EV_CONNECT_RETRY_EXPIRES, &out);
		assert_int_equal(bgp_fsm_state(&f), FSM_ST_CONNECT);
	}
	bgp_fsm_release(&f);

	/* IOS keeps RFC 4271 8.2.2: a failed connection goes to Idle */
	cfg_init(&c, &bgp_profile_ios);
	c.auto_restart = true;
	bgp_fsm_init(&f, &c);
	feed(&f, IN_EVENT, FSM_EV_AUTO_START, &out);
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_CONNECT);
	feed(&f, IN_EVENT, FSM_EV_TCP_FAILS, &out);
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_IDLE);
	a = &out.v[out.n - 1];
	assert_int_equal(a->kind, FSM_ACT_TIMER_START);
	assert_int_equal(a->timer, FSM_TMR_IDLE_HOLD);
	bgp_fsm_release(&f);
}

/* the IdleHold the last output started (its seconds), -1 none */
static int
idle_hold(const struct fsm_actions *out)
{
	size_t i;
	int s = -1;

	for (i = 0; i < out->n; i++)
		if (out->v[i].kind == FSM_ACT_TIMER_START &&
		    out->v[i].timer == FSM_TMR_IDLE_HOLD)
			s = (int)out->v[i].secs;
	return s;
}

/* from Idle with IdleHold running to Connect, BIRD's connect delay between */
static void
to_connect(struct fsm *f)
{
	struct fsm_actions out;

	feed(f, IN_EVENT, FSM_EV_IDLE_HOLD_EXPIRES, &out);
	assert_int_equal(bgp_fsm_state(f), FSM_ST_ACTIVE);
	feed(f, IN_EVENT, FSM_EV_CONNECT_RETRY_EXPIRES, &out);
	assert_int_equal(bgp_fsm_state(f), FSM_ST_CONNECT);
}

/* BIRD's startup delay (proto/bgp/bgp.c bgp_update_startup_delay,
 * bgp_initiate): set by errors, kept when the session comes up, waited by
 * a restart that is no error (a Cease received), back to 5 s when the
 * error before is error_amnesia (300 s) old */
static void
test_bird_startup_delay(void **state)
{
	struct fsm_config c;
	struct fsm f;
	struct fsm_actions out;
	(void)state;

	cfg_init(&c, &bgp_profile_bird16);
	c.auto_restart = true;
	drive(&f, &c, FSM_ST_OPENSENT);
	f.now_ms = 10000;
	feed(&f, IN_NOTIF_VERSION, 0, &out); /* 2/1: an error */
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_IDLE);
	assert_int_equal(idle_hold(&out), 5);
	to_connect(&f);
	feed(&f, IN_EVENT, FSM_EV_TCP_CONFIRMED, &out);
	feed(&f, IN_OPEN, 0, &out);
	feed(&f, IN_KEEPALIVE, 0, &out);
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_ESTABLISHED);
	/* a Cease: no error, but the delay in force is waited */
	f.now_ms = 20000;
	feed(&f, IN_NOTIF, 0, &out);
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_IDLE);
	assert_int_equal(idle_hold(&out), 5);
	/* an error 20 s after the last one: doubled */
	to_connect(&f);
	f.now_ms = 30000;
	feed(&f, IN_KEEPALIVE, 0, &out); /* Connect: an FSM error */
	assert_int_equal(idle_hold(&out), 10);
	/* one 300 s after it: forgotten, 5 s again */
	to_connect(&f);
	f.now_ms = 330000;
	feed(&f, IN_KEEPALIVE, 0, &out);
	assert_int_equal(idle_hold(&out), 5);
	/* a Cease before Established closes that connection only: the
	 * protocol stays started, no delay */
	to_connect(&f);
	feed(&f, IN_EVENT, FSM_EV_TCP_CONFIRMED, &out);
	assert_int_equal(bgp_fsm_state(&f), FSM_ST_OPENSENT);
	feed(&f, IN_NOTIF, 0, &out);
	assert_int_equal(idle_hold(&out), 0);
	bgp_fsm_release(&f);

	/* IOS as modelled: its error wait after an error, unchanged */
	cfg_init(&c, &bgp_profile_ios);
	c.auto_restart = true;
	drive(&f, &c, FSM_ST_ESTABLISHED);
	f.now_ms = 10000;
	feed(&f, IN_NOTIF_VERSION, 0, &out);
	assert_int_equal(idle_hold(&out), 120);
	bgp_fsm_release(&f);
}

/* RFC 4271 6.8: keep the connection opened by the higher identifier */
static void
test_collision(void **state)
{
	struct fsm_config c;
	struct fsm ours, theirs;
	struct fsm_actions out;
	(void)state;

	cfg_init(&c, &bgp_profile_ios);
	/* local 10.0.0.1 < peer 10.0.0.2: dump the one we opened */
	drive(&ours, &c, FSM_ST_OPENCONFIRM);
	drive(&theirs, &c, FSM_ST_OPENSENT);
	assert_ptr_equal(bgp_fsm_collision(&ours, &theirs), &ours);
	bgp_fsm_release(&ours);
	bgp_fsm_release(&theirs);

	c.router_id = 0x0a0000ffu; /* now local > peer */
	drive(&ours, &c, FSM_ST_OPENCONFIRM);
	drive(&theirs, &c, FSM_ST_OPENCONFIRM);
	assert_ptr_equal(bgp_fsm_collision(&ours, &theirs), &theirs);
	feed(&theirs, IN_EVENT, FSM_EV_COLLISION_DUMP, &out);
	assert_int_equal(notif_sent(&out), 607);
	bgp_fsm_release(&theirs);
	/* Established beats a new connection */
	drive(&theirs, &c, FSM_ST_OPENSENT);
	feed(&ours, IN_KEEPALIVE, 0, &out);
	assert_ptr_equal(bgp_fsm_collision(&ours, &theirs), &theirs);
	bgp_fsm_release(&ours);
	/* both in OpenSent, no identifier known: undecided */
	drive(&ours, &c, FSM_ST_OPENSENT);
	assert_null(bgp_fsm_collision(&ours, &theirs));
	bgp_fsm_release(&ours);
	bgp_fsm_release(&theirs);
}

/* Two machines wired back to back through their actions: an IOS router
 * and a BIRD node come up, exchange an UPDATE, and the node stops.  Each
 * direction is a FIFO, as a TCP connection is. */
struct wirequeue {
	uint8_t msg[16][4096];
	size_t len[16];
	size_t head, tail;
};

static void
enqueue(struct wirequeue *q, const struct fsm_actions *out, int *est)
{
	size_t i;
	for (i = 0; i < out->n; i++) {
		const struct fsm_action *a = &out->v[i];
		if (a->kind == FSM_ACT_ESTABLISHED)
			(*est)++;
		if (a->kind != FSM_ACT_SEND)
			continue;
		assert_true(q->tail < 16);
		memcpy(q->msg[q->tail], bgp_fsm_action_bytes(out, a), a->len);
		q->len[q->tail++] = a->len;
	}
}

/* deliver until both directions are empty; a->b travels in qa */
static void
pump2(struct fsm *a, struct fsm *b, struct wirequeue *qa, struct wirequeue *qb,
      int *est)
{
	struct fsm_actions next;

	while (qa->head < qa->tail || qb->head < qb->tail) {
		if (qa->head < qa->tail) {
			next.n = next.used = 0;
			bgp_fsm_recv(b, qa->msg[qa->head], qa->len[qa->head],
			             &next);
			qa->head++;
			enqueue(qb, &next, est);
		}
		if (qb->head < qb->tail) {
			next.n = next.used = 0;
			bgp_fsm_recv(a, qb->msg[qb->head], qb->len[qb->head],
			             &next);
			qb->head++;
			enqueue(qa, &next, est);
		}
	}
}

static void
pump(struct fsm *from, struct fsm *to, struct fsm_actions *out, int *est)
{
	static struct wirequeue q1, q2;
	memset(&q1, 0, sizeof(q1));
	memset(&q2, 0, sizeof(q2));
	enqueue(&q1, out, est);
	pump2(from, to, &q1, &q2, est);
}

static void
test_back_to_back(void **state)
{
	struct fsm_config rc, nc;
	struct fsm r, n;
	struct fsm_actions out;
	int est = 0;
	struct bgp_update u;
	struct bgp_attr at[3];
	struct bgp_nlri nl;
	static const uint8_t nh[4] = {192, 168, 1, 10};
	(void)state;

	cfg_init(&rc, &bgp_profile_ios);
	rc.hold = 30;
	rc.keepalive = 10;
	rc.router_id = 0xc0a80101;
	cfg_init(&nc, &bgp_profile_bird16);
	nc.router_id = 0xc0a8010a;
	bgp_fsm_init(&r, &rc);
	bgp_fsm_init(&n, &nc);
	feed(&r, IN_EVENT, FSM_EV_MANUAL_START_PASSIVE, &out);
	feed(&n, IN_EVENT, FSM_EV_MANUAL_START, &out);
	feed(&n, IN_EVENT, FSM_EV_CONNECT_RETRY_EXPIRES, &out); /* delay */
	assert_non_null(find_act(&out, FSM_ACT_CONNECT));
	feed(&r, IN_EVENT, FSM_EV_TCP_CONFIRMED, &out);
	pump(&r, &n, &out,
	     &est); /* OPEN before the node's TCP is up: Idle (8.2.2 Connect) */
	assert_int_equal(bgp_fsm_state(&n), FSM_ST_IDLE);
	bgp_fsm_release(&r);
	bgp_fsm_release(&n);

	/* properly: the node's TCP comes up first */
	bgp_fsm_init(&r, &rc);
	bgp_fsm_init(&n, &nc);
	feed(&r, IN_EVENT, FSM_EV_MANUAL_START_PASSIVE, &out);
	feed(&n, IN_EVENT, FSM_EV_MANUAL_START, &out);
	feed(&n, IN_EVENT, FSM_EV_CONNECT_RETRY_EXPIRES, &out);
	feed(&n, IN_EVENT, FSM_EV_TCP_ACKED, &out);
	assert_int_equal(sent_type(&out, BGP_MSG_OPEN), 1);
	{
		static struct wirequeue qn, qr;
		struct fsm_actions o2;
		o2.n = o2.used = 0;
		bgp_fsm_event(&r, FSM_EV_TCP_CONFIRMED, &o2);
		memset(&qn, 0, sizeof(qn));
		memset(&qr, 0, sizeof(qr));
		enqueue(&qn, &out, &est);
		enqueue(&qr, &o2, &est);
		pump2(&n, &r, &qn, &qr, &est);
	}
	assert_int_equal(bgp_fsm_state(&r), FSM_ST_ESTABLISHED);
	assert_int_equal(bgp_fsm_state(&n), FSM_ST_ESTABLISHED);
	assert_int_equal(est, 2);
	assert_int_equal(r.hold, 30);
	assert_int_equal(r.keepalive, 10);
	assert_int_equal(n.hold, 30);
	assert_int_equal(n.keepalive, 10);
	assert_true(n.tx.as4);

	/* the node sends its pod block */
	memset(&u, 0, sizeof(u));
	memset(at, 0, sizeof(at));
	at[0].flags = BGP_ATTR_F_TRANSITIVE;
	at[0].code = BGP_ATTR_ORIGIN;
	at[0].decoded = true;
	at[1].flags = BGP_ATTR_F_TRANSITIVE;
	at[1].code = BGP_ATTR_AS_PATH;
	at[1].decoded = true;
	at[2].flags = BGP_ATTR_F_TRANSITIVE;
	at[2].code = BGP_ATTR_NEXT_HOP;
	at[2].decoded = true;
	at[2].u.next_hop.af = RR_AF_INET;
	memcpy(at[2].u.next_hop.b, nh, 4);
	memset(&nl, 0, sizeof(nl));
	assert_int_equal(rr_prefix_parse("10.244.1.0/26", &nl.prefix, true), 0);
	u.attrs = at;
	u.nattrs = 3;
	u.nlri = &nl;
	u.nnlri = 1;
	out.n = out.used = 0;
	assert_int_equal(bgp_fsm_send_update(&n, &u, &out), 0);
	{
		struct fsm_actions o2;
		const struct fsm_action *d;
		o2.n = o2.used = 0;
		bgp_fsm_recv(&r, bgp_fsm_action_bytes(&out, &out.v[0]),
		             out.v[0].len, &o2);
		d = find_act(&o2, FSM_ACT_DELIVER);
		assert_non_null(d);
		assert_int_equal(d->msg->u.update.nnlri, 1);
		assert_int_equal(d->msg->u.update.nlri[0].prefix.len, 26);
	}
	/* the node stops: Cease reaches the router, which goes down */
	out.n = out.used = 0;
	bgp_fsm_event(&n, FSM_EV_MANUAL_STOP, &out);
	assert_int_equal(notif_sent(&out), 602);
	{
		struct fsm_actions o2;
		const struct fsm_action *d;
		o2.n = o2.used = 0;
		bgp_fsm_recv(&r, bgp_fsm_action_bytes(&out, &out.v[0]),
		             out.v[0].len, &o2);
		d = find_act(&o2, FSM_ACT_DOWN);
		assert_non_null(d);
		assert_int_equal(d->down, FSM_DOWN_NOTIF_RECEIVED);
		assert_int_equal(d->code, 6);
		assert_int_equal(d->subcode, 2);
	}
	bgp_fsm_release(&r);
	bgp_fsm_release(&n);
}

/* Two machines given the same input end up alike, action for action. */
static void
same_actions(const struct fsm *f1, const struct fsm_actions *o1,
             const struct fsm *f2, const struct fsm_actions *o2)
{
	size_t i;

	assert_int_equal(bgp_fsm_state(f1), bgp_fsm_state(f2));
	assert_int_equal(f1->msgs_in, f2->msgs_in);
	assert_int_equal(f1->msgs_out, f2->msgs_out);
	assert_int_equal(f1->updates_in, f2->updates_in);
	assert_int_equal(f1->down, f2->down);
	assert_int_equal(o1->n, o2->n);
	for (i = 0; i < o1->n; i++) {
		const struct fsm_action *a = &o1->v[i], *b = &o2->v[i];
		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->timer, b->timer);
		assert_int_equal(a->secs, b->secs);
		assert_int_equal(a->len, b->len);
		assert_int_equal(a->down, b->down);
		assert_int_equal(a->code, b->code);
		assert_int_equal(a->subcode, b->subcode);
		if (a->kind == FSM_ACT_SEND)
			assert_memory_equal(bgp_fsm_action_bytes(o1, a),
			                    bgp_fsm_action_bytes(o2, b),
			                    a->len);
		if (a->kind == FSM_ACT_DELIVER) {
			assert_non_null(a->msg);
			assert_non_null(b->msg);
			assert_int_equal(a->msg->type, b->msg->type);
			assert_int_equal(a->msg->len, b->msg->len);
			if (a->msg->type == BGP_MSG_UPDATE) {
				assert_int_equal(a->msg->u.update.nnlri,
				                 b->msg->u.update.nnlri);
				assert_int_equal(a->msg->u.update.nattrs,
				                 b->msg->u.update.nattrs);
				assert_int_equal(a->msg->u.update.action,
				                 b->msg->u.update.action);
			}
		}
	}
}

/*
 * bgp_fsm_recv_decoded: in every state, for every message that decodes,
 * the same events, counters and actions as bgp_fsm_recv.
 */
static void
test_recv_decoded(void **state)
{
	static const enum input ins[] = {
	        IN_OPEN,      IN_OPEN_BADAS,    IN_OPEN_HOLD1,
	        IN_KEEPALIVE, IN_UPDATE,        IN_UPDATE_TAW,
	        IN_NOTIF,     IN_NOTIF_VERSION, IN_REFRESH,
	};
	struct fsm_config c;
	enum fsm_state st;
	size_t k;
	(void)state;

	cfg_init(&c, &bgp_profile_ios);
	for (st = FSM_ST_IDLE; st < FSM_ST_COUNT; st++)
		for (k = 0; k < sizeof(ins) / sizeof(ins[0]); k++) {
			struct fsm f1, f2;
			struct fsm_actions o1, o2;
			uint8_t b[4096];
			size_t n = mkmsg(ins[k], b, sizeof(b));
			struct rr_arena a;
			struct bgp_msg m;
			struct bgp_error e;
			drive(&f1, &c, st);
			drive(&f2, &c, st);
			rr_arena_init(&a);
			assert_int_equal(
			        bgp_msg_decode(b, n, &f2.rx, &a, &m, &e), 0);
			o1.n = o1.used = 0;
			o2.n = o2.used = 0;
			bgp_fsm_recv(&f1, b, n, &o1);
			bgp_fsm_recv_decoded(&f2, b, n, &m, &o2);
			same_actions(&f1, &o1, &f2, &o2);
			if (bgp_fsm_peer_open(&f1)) {
				assert_non_null(bgp_fsm_peer_open(&f2));
				assert_int_equal(f1.hold, f2.hold);
				assert_int_equal(f1.keepalive, f2.keepalive);
				assert_int_equal(f1.peer_as, f2.peer_as);
			}
			/* the message may go once the actions are done */
			rr_arena_release(&a);
			bgp_fsm_release(&f1);
			bgp_fsm_release(&f2);
		}
}

/*
 * bgp_fsm_send_encoded: what bgp_fsm_send_update would do with the same
 * UPDATE, in every state; refused for bytes that are no UPDATE.
 */
static void
test_send_encoded(void **state)
{
	struct fsm_config c;
	enum fsm_state st;
	struct bgp_update u;
	struct bgp_attr at[3];
	struct bgp_nlri nl;
	static const uint8_t nh[4] = {192, 168, 1, 10};
	(void)state;

	memset(&u, 0, sizeof(u));
	memset(at, 0, sizeof(at));
	at[0].flags = BGP_ATTR_F_TRANSITIVE;
	at[0].code = BGP_ATTR_ORIGIN;
	at[0].decoded = true;
	at[1].flags = BGP_ATTR_F_TRANSITIVE;
	at[1].code = BGP_ATTR_AS_PATH;
	at[1].decoded = true;
	at[2].flags = BGP_ATTR_F_TRANSITIVE;
	at[2].code = BGP_ATTR_NEXT_HOP;
	at[2].decoded = true;
	at[2].u.next_hop.af = RR_AF_INET;
	memcpy(at[2].u.next_hop.b, nh, 4);
	memset(&nl, 0, sizeof(nl));
	assert_int_equal(rr_prefix_parse("10.244.1.0/26", &nl.prefix, true), 0);
	u.attrs = at;
	u.nattrs = 3;
	u.nlri = &nl;
	u.nnlri = 1;
	cfg_init(&c, &bgp_profile_ios);
	for (st = FSM_ST_IDLE; st < FSM_ST_COUNT; st++) {
		struct fsm f1, f2;
		struct fsm_actions o1, o2;
		uint8_t b[4096];
		size_t n;
		int r1, r2;
		struct bgp_msg m;
		drive(&f1, &c, st);
		drive(&f2, &c, st);
		/* the bytes: encoded as the machine would, with its codec */
		memset(&m, 0, sizeof(m));
		m.type = BGP_MSG_UPDATE;
		m.u.update = u;
		n = (size_t)bgp_msg_encode(&m, &f2.tx, b, sizeof(b));
		o1.n = o1.used = 0;
		o2.n = o2.used = 0;
		r1 = bgp_fsm_send_update(&f1, &u, &o1);
		r2 = bgp_fsm_send_encoded(&f2, b, n, &o2);
		assert_int_equal(r1, r2);
		assert_int_equal(r1, st == FSM_ST_ESTABLISHED ? 0 : -1);
		same_actions(&f1, &o1, &f2, &o2);
		if (st == FSM_ST_ESTABLISHED) {
			assert_non_null(find_act(&o2, FSM_ACT_SEND));
			assert_non_null(find_act(&o2, FSM_ACT_TIMER_START));
			/* a KEEPALIVE is no UPDATE; nor is a short message */
			o2.n = o2.used = 0;
			n = mkmsg(IN_KEEPALIVE, b, sizeof(b));
			assert_int_equal(bgp_fsm_send_encoded(&f2, b, n, &o2),
			                 -1);
			assert_int_equal(bgp_fsm_send_encoded(&f2, b, 10, &o2),
			                 -1);
			assert_int_equal(o2.n, 0);
			assert_int_equal(f1.msgs_out, f2.msgs_out);
		}
		bgp_fsm_release(&f1);
		bgp_fsm_release(&f2);
	}
}

/*
 * bgp_fsm_send_updates / bgp_fsm_recv_updates: three UPDATEs at once do
 * what three single calls do (counters, timers, the bytes sent), in every
 * state; bytes that are not whole UPDATEs are refused.
 */
static void
test_batch_calls(void **state)
{
	struct fsm_config c;
	enum fsm_state st;
	(void)state;

	cfg_init(&c, &bgp_profile_ios);
	for (st = FSM_ST_IDLE; st < FSM_ST_COUNT; st++) {
		struct fsm f1, f2;
		struct fsm_actions o1, o2;
		uint8_t one[4096], three[3 * 4096];
		size_t n = mkmsg(IN_UPDATE, one, sizeof(one)), k;
		const struct fsm_action *s1, *s2;
		bool up = st == FSM_ST_ESTABLISHED;
		int r;
		drive(&f1, &c, st);
		drive(&f2, &c, st);
		for (k = 0; k < 3; k++)
			memcpy(three + k * n, one, n);
		o1.n = o1.used = 0;
		o2.n = o2.used = 0;
		for (k = 0; k < 3; k++)
			r = bgp_fsm_send_encoded(&f1, one, n, &o1);
		assert_int_equal(bgp_fsm_send_updates(&f2, three, 3 * n, 3, &o2),
		                 up ? 0 : -1);
		assert_int_equal(f1.msgs_out, f2.msgs_out);
		assert_int_equal(f1.state, f2.state);
		if (up) {
			/* one SEND of all the bytes, the caller's */
			s2 = find_act(&o2, FSM_ACT_SEND);
			assert_non_null(s2);
			assert_ptr_equal(bgp_fsm_action_bytes(&o2, s2), three);
			assert_int_equal(s2->len, 3 * n);
			s1 = find_act(&o1, FSM_ACT_TIMER_START);
			assert_non_null(s1);
			assert_int_equal(s1->timer, FSM_TMR_KEEPALIVE);
			assert_int_equal(find_act(&o2, FSM_ACT_TIMER_START)->secs,
			                 s1->secs);
			/* two messages are not three; a KEEPALIVE is no UPDATE */
			o2.n = o2.used = 0;
			assert_int_equal(
			        bgp_fsm_send_updates(&f2, three, 2 * n, 3, &o2),
			        -1);
			n = mkmsg(IN_KEEPALIVE, one, sizeof(one));
			assert_int_equal(bgp_fsm_send_updates(&f2, one, n, 1, &o2),
			                 -1);
			assert_int_equal(o2.n, 0);
		}
		/* receiving */
		n = mkmsg(IN_UPDATE, one, sizeof(one));
		o1.n = o1.used = 0;
		o2.n = o2.used = 0;
		if (up)
			for (k = 0; k < 3; k++)
				bgp_fsm_recv(&f1, one, n, &o1);
		r = bgp_fsm_recv_updates(&f2, 3, &o2);
		assert_int_equal(r, up ? 0 : -1);
		if (up) {
			assert_int_equal(f1.msgs_in, f2.msgs_in);
			assert_int_equal(f1.updates_in, f2.updates_in);
			assert_non_null(find_act(&o2, FSM_ACT_TIMER_START));
			assert_int_equal(find_act(&o2, FSM_ACT_TIMER_START)->timer,
			                 FSM_TMR_HOLD);
			assert_null(find_act(&o2, FSM_ACT_DELIVER));
			assert_int_equal(f2.state, FSM_ST_ESTABLISHED);
		} else {
			assert_int_equal(o2.n, 0);
		}
		bgp_fsm_release(&f1);
		bgp_fsm_release(&f2);
	}
}

static void
test_names(void **state)
{
	unsigned i;
	(void)state;
	for (i = 0; i < FSM_ST_COUNT; i++)
		assert_non_null(bgp_fsm_state_name((enum fsm_state)i));
	for (i = 1; i < FSM_EV_COUNT; i++)
		assert_non_null(bgp_fsm_event_name((enum fsm_event)i));
	assert_string_equal(bgp_fsm_event_name(FSM_EV_OPEN), "BGPOpen");
	assert_string_equal(bgp_fsm_state_name(FSM_ST_OPENCONFIRM),
	                    "OpenConfirm");
	assert_string_equal(bgp_fsm_timer_name(FSM_TMR_IDLE_HOLD),
	                    "IdleHoldTimer");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_transitions),
	        cmocka_unit_test(test_hold_negotiation),
	        cmocka_unit_test(test_open_policy),
	        cmocka_unit_test(test_bird_timers),
	        cmocka_unit_test(test_bird_startup_delay),
	        cmocka_unit_test(test_collision),
	        cmocka_unit_test(test_back_to_back),
	        cmocka_unit_test(test_recv_decoded),
	        cmocka_unit_test(test_send_encoded),
	        cmocka_unit_test(test_batch_calls),
	        cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
