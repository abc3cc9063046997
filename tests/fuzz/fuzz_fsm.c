/*
 * libFuzzer target: bgpsim's state machine (fsm.c) driven by a script of
 * events and messages.  The first byte picks the profile and options; each
 * following op is an event, a well-formed OPEN (fields from the input),
 * a KEEPALIVE, an UPDATE or NOTIFICATION body, or raw bytes, so the fuzzer
 * reaches every state.  Checks: the state stays valid, Idle keeps no timer
 * but IdleHold, and every message the machine sends decodes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/bgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct in {
	const uint8_t *p;
	size_t n;
};

static uint8_t
take(struct in *in)
{
	uint8_t v;
	if (!in->n)
		return 0;
	v = *in->p;
	in->p++;
	in->n--;
	return v;
}

static size_t
mkopen(struct in *in, uint8_t *b, size_t cap)
{
	struct rr_arena a;
	struct bgp_msg m;
	uint8_t sel = take(in);
	uint32_t as = sel & 1 ? 64512 : (uint32_t)take(in) << 8 | take(in);
	uint16_t hold = sel & 2 ? 240 : take(in);
	uint32_t id = sel & 4 ? 0x0a000002 : (uint32_t)take(in);
	long n;

	rr_arena_init(&a);
	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_OPEN;
	bgp_profile_open(sel & 8 ? &bgp_profile_ios : &bgp_profile_bird16, as,
	                 id, hold, sel & 16, &a, &m.u.open);
	if (sel & 32)
		m.u.open.version = take(in);
	n = bgp_msg_encode(&m, NULL, b, cap);
	rr_arena_release(&a);
	return n > 0 ? (size_t)n : 0;
}

/* header + body from the input */
static size_t
mkraw(struct in *in, uint8_t type, uint8_t *b, size_t cap)
{
	size_t len = take(in), i;
	if (len + 19 > cap)
		len = cap - 19;
	memset(b, 0xff, 16);
	for (i = 0; i < len; i++)
		b[19 + i] = take(in);
	b[16] = (uint8_t)((len + 19) >> 8);
	b[17] = (uint8_t)(len + 19);
	b[18] = type;
	return len + 19;
}

static void
check(const struct fsm *f, const struct fsm_actions *out)
{
	struct rr_arena a;
	size_t i;
	int t;

	if ((unsigned)f->state >= FSM_ST_COUNT || out->n > FSM_MAX_ACTIONS)
		abort();
	if (f->state == FSM_ST_IDLE)
		for (t = 0; t < FSM_TMR_COUNT; t++)
			if (t != FSM_TMR_IDLE_HOLD && f->running[t])
				abort();
	rr_arena_init(&a);
	for (i = 0; i < out->n; i++) {
		struct bgp_msg m;
		struct bgp_error e;
		if (out->v[i].kind != FSM_ACT_SEND)
			continue;
		if (bgp_msg_decode(bgp_fsm_action_bytes(out, &out->v[i]),
		                   out->v[i].len, &f->tx, &a, &m, &e) < 0)
			abort();
	}
	rr_arena_release(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fsm_actions out;
	static uint8_t b[4096];
	struct in in = {data, size};
	struct fsm_config c;
	struct fsm f;
	uint8_t opt = take(&in);
	int steps = 0;

	memset(&c, 0, sizeof(c));
	c.profile = opt & 1 ? &bgp_profile_ios : &bgp_profile_bird16;
	c.local_as = 64512;
	c.remote_as = opt & 2 ? 0 : 64512;
	c.router_id = 0x0a000001;
	c.passive = opt & 4;
	c.auto_restart = opt & 8;
	c.hold = opt & 16 ? 30 : 0;
	c.keepalive = opt & 32 ? 10 : 0;
	c.hold_zero = (opt & 0xc0) == 0xc0;
	if (opt & 64) {
		c.required_caps[0] = BGP_CAP_AS4;
		c.nrequired = 1;
	}
	bgp_fsm_init(&f, &c);
	while (in.n && steps++ < 256) {
		uint8_t op = take(&in);
		size_t n = 0;

		out.n = out.used = 0;
		switch (op % 8) {
		case 0:
		case 1:
			bgp_fsm_event(
			        &f, (enum fsm_event)(take(&in) % FSM_EV_COUNT),
			        &out);
			check(&f, &out);
			continue;
		case 2:
			n = mkopen(&in, b, sizeof(b));
			break;
		case 3:
			n = (size_t)bgp_encode_keepalive(b, sizeof(b));
			break;
		case 4:
			n = mkraw(&in, BGP_MSG_UPDATE, b, sizeof(b));
			break;
		case 5:
			n = mkraw(&in, BGP_MSG_NOTIFICATION, b, sizeof(b));
			break;
		case 6:
			n = mkraw(&in, take(&in), b, sizeof(b));
			break;
		default:
			n = take(&in);
			for (size_t i = 0; i < n; i++)
				b[i] = take(&in);
			break;
		}
		if (!n)
			continue;
		bgp_fsm_recv(&f, b, n, &out);
		check(&f, &out);
		if (bgp_fsm_state(&f) == FSM_ST_ESTABLISHED && (op & 0x80)) {
			struct bgp_update u;
			memset(&u, 0, sizeof(u));
			out.n = out.used = 0;
			if (bgp_fsm_send_update(&f, &u, &out) < 0)
				abort();
			check(&f, &out);
		}
	}
	bgp_fsm_release(&f);
	return 0;
}
