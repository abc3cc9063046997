/*
 * Implementation profiles: how a Cisco IOS router and calico-node's BIRD
 * 1.6 behave on a session (timers, the OPEN they send, route propagation).
 *
 * Every value says where it comes from: RFC 4271, Cisco's IOS BGP
 * configuration guides and command reference, Calico's confd templates
 * (bird.cfg.template, bird_ipam.cfg.template) and BIRD 1.6's source, or
 * what the real daemons did in tests/interop/ (docs/bgp.md records
 * those observations).  No IOS image is available to the tests; the IOS
 * values are from Cisco's documentation, and FRR (whose bgpd takes IOS-like
 * configuration) is observed as a stand-in only for generic behaviour.
 */
#include "bgp/bgp.h"

#include <string.h>

const struct bgp_profile bgp_profile_ios = {
        .name = "ios",
        /* `timers bgp 60 180` is the default (Cisco IOS BGP Command
         * Reference, `timers bgp`; samples/seed overrides it with `timers
         * bgp 10 30`) */
        .hold = 180,
        .keepalive = 60,
        /* keepalive = min(configured, negotiated hold / 3): `timers bgp` */
        .keepalive_capped = true,
        /* hold 1 and 2 are refused (2/6); a configured minimum (`timers bgp
         * K H M`) raises this: `timers bgp` */
        .min_hold = 3,
        /* RFC 4271 8.2.2 suggests 4 minutes for the hold timer in OpenSent */
        .open_hold = 240,
        /* ConnectRetryTime 120 s: RFC 4271 10, the IOS default (`neighbor X
         * timers connect` is not modelled) */
        .connect_retry = 120,
        .connect_delay = 0,
        /* not in Cisco's documentation: IOS assumed to retry after ConnectRetry */
        .error_wait_min = 120,
        .error_wait_max = 120,
        .delay_open = 0,
        /* OPEN of IOS 15 / IOS-XE for an IPv4 neighbor: MP ipv4-unicast,
         * route refresh, the pre-standard Cisco route refresh (128), 4-octet
         * AS, enhanced route refresh; graceful restart and ADD-PATH only when
         * configured (`bgp graceful-restart`, `bgp additional-paths`,
         * Cisco IOS BGP configuration guide).  Not observed: no IOS in the
         * interop lab. */
        .cap_mp = true,
        .cap_route_refresh = true,
        .cap_cisco_rr = true,
        .cap_enhanced_rr = true,
        .cap_as4 = true,
        .cap_gr = false,
        .gr_time = 120,
        .cap_addpath = 0,
        .cap_ext_msg = false,
        .cap_llgr_empty = false,
        .caps_one_param = false,
        /* a reflector never sends a route back to the client it came from
         * (RFC 4456 8) */
        .reflect_to_source = false,
        /* a neighbor activated in no address family is never started
         * (`no bgp default ipv4-unicast`; rule rr-client-not-activated in
         * docs/rules.md) */
        .up_without_af = false,
};

const struct bgp_profile bgp_profile_bird16 = {
        .name = "bird1.6",
        /* BIRD's defaults, not written by confd: hold 240, startup hold 240,
         * keepalive = hold / 3 unless `keepalive time` (BIRD 1.6 user's
         * guide, BGP protocol options); keepalive used as configured, not
         * capped (proto/bgp/bgp.c) */
        .hold = 240,
        .keepalive = 0,
        .keepalive_capped = false,
        /* hold 1 or 2 -> 2/6 (BIRD 1.6 proto/bgp/packets.c); observed: BIRD
         * answers a probe with hold 1 or 2 with 2/6 (tests/interop) */
        .min_hold = 3,
        .open_hold = 240,
        /* the calico template: connect delay time 2, connect retry time 5,
         * error wait time 5,30 (Calico's confd bird.cfg.template) */
        .connect_retry = 5,
        .connect_delay = 2,
        .error_wait_min = 5,
        .error_wait_max = 30,
        /* `error forget time`, default 300 (BIRD 1.6 user's guide, BGP
         * options); Calico's template leaves it */
        /* a Cease received is no error: with no error before, the
         * protocol restarts at once (observed, tests/interop/rollout.sh:
         * "Received: Other configuration change", then "Connect delayed by
         * 2 seconds") */
        .error_amnesia = 300,
        /* "Connection lost (Connection refused)", then "Connect delayed
         * by 2 seconds", every 2 s while the peer refuses (observed,
         * tests/interop/rollout-open/replace-rr-naive; bgp_sock_err,
         * bgp_active in BIRD 1.6 proto/bgp/bgp.c: the error wait,
         * bgp_update_startup_delay, runs on protocol errors only) */
        .tcp_fail_redial = true,
        .delay_open = 0,
        /* capabilities (BIRD 1.6 with Calico's template): multiprotocol, route
         * refresh, graceful restart, 4-octet AS, ADD-PATH send+receive
         * (`add paths on`), enhanced route refresh.  Observed (tests/interop,
         * BIRD 1.6.8 with the calico template): exactly these, in this order,
         * all in one optional parameter, GR restart time 120 with the R bit
         * and the per-family F bit clear, then an empty long-lived graceful
         * restart capability (71) BIRD's documentation does not mention; no
         * extended message.  bgp_profile_open() reproduces that OPEN byte for
         * byte (tests/unit/test_wire.c) */
        .cap_mp = true,
        .cap_route_refresh = true,
        .cap_cisco_rr = false,
        .cap_enhanced_rr = true,
        .cap_as4 = true,
        .cap_gr = true,
        .gr_time = 120, /* `graceful restart time` default (3.5) */
        .cap_addpath = BGP_ADDPATH_BOTH,
        .cap_ext_msg = false,
        .cap_llgr_empty = true,
        .caps_one_param = true,
        /* a route from peer A is offered to B unless B == A
         * (BIRD 1.6 proto/bgp/attrs.c, bgp_import_control) */
        .reflect_to_source = false,
        /* assumed, not observed: BIRD 1.6's IPv4 build has no per-family
         * negotiation that could fail, so a session whose peer offers no
         * IPv4 family still comes up (and carries no routes) */
        .up_without_af = true,
};

static struct bgp_cap *
add_cap(struct rr_arena *a, struct bgp_open *o, bool one_param, uint8_t code)
{
	struct bgp_optparam *p;
	size_t pcap = o->nparams, ccap;
	struct bgp_cap *c;

	if (!one_param || o->nparams == 0) {
		p = RR_PUSH(a, o->params, o->nparams, pcap);
		p->type = 2;
	}
	p = &o->params[o->nparams - 1];
	ccap = p->ncaps;
	c = RR_PUSH(a, p->caps, p->ncaps, ccap);
	c->code = code;
	c->decoded = true;
	return c;
}

void
bgp_open_set_gr_time(struct bgp_open *o, uint32_t n)
{
	uint16_t raw = (uint16_t)n; /* BIRD's put_u16 */
	size_t i, j;

	for (i = 0; i < o->nparams; i++)
		for (j = 0; j < o->params[i].ncaps; j++) {
			struct bgp_cap *c = &o->params[i].caps[j];
			if (c->code != BGP_CAP_GRACEFUL_RESTART)
				continue;
			c->u.gr.flags = (uint8_t)(raw >> 12);
			c->u.gr.time = raw & 0x0fff;
		}
}

void
bgp_profile_open(const struct bgp_profile *p, uint32_t asn, uint32_t router_id,
                 uint16_t hold, bool ipv6, struct rr_arena *arena,
                 struct bgp_open *o)
{
	bgp_profile_open_afs(p, asn, router_id, hold, ipv6, NULL, 0, arena, o);
}

void
bgp_profile_open_afs(const struct bgp_profile *p, uint32_t asn,
                     uint32_t router_id, uint16_t hold, bool ipv6,
                     const struct bgp_afs *afs, size_t nafs,
                     struct rr_arena *arena, struct bgp_open *o)
{
	bool one = p->caps_one_param;
	uint16_t afi = ipv6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	struct bgp_cap *c;
	size_t i;

	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	/* RFC 6793 4.2.1: AS_TRANS when the AS does not fit in 2 octets; BIRD
	 * does so from 65535 up (BIRD 1.6 proto/bgp/packets.c) */
	o->my_as = asn > 0xffff ? (uint16_t)BGP_AS_TRANS : (uint16_t)asn;
	if (asn == 0xffff && p == &bgp_profile_bird16)
		o->my_as = (uint16_t)BGP_AS_TRANS;
	o->hold = hold;
	o->bgp_id = router_id;
	if (p->cap_mp && !nafs) {
		c = add_cap(arena, o, one, BGP_CAP_MP);
		c->len = 4;
		c->u.mp.afi = afi;
		c->u.mp.safi = BGP_SAFI_UNICAST;
	}
	for (i = 0; p->cap_mp && i < nafs; i++) {
		c = add_cap(arena, o, one, BGP_CAP_MP);
		c->len = 4;
		c->u.mp.afi = afs[i].afi;
		c->u.mp.safi = afs[i].safi;
	}
	if (p->cap_route_refresh)
		add_cap(arena, o, one, BGP_CAP_ROUTE_REFRESH);
	if (p->cap_cisco_rr)
		add_cap(arena, o, one, BGP_CAP_CISCO_RR);
	if (p->cap_ext_msg)
		add_cap(arena, o, one, BGP_CAP_EXT_MESSAGE);
	if (p->cap_gr) {
		c = add_cap(arena, o, one, BGP_CAP_GRACEFUL_RESTART);
		c->u.gr.time = p->gr_time;
		c->u.gr.n = 1;
		c->u.gr.afs[0].afi = afi;
		c->u.gr.afs[0].safi = BGP_SAFI_UNICAST;
	}
	if (p->cap_as4) {
		c = add_cap(arena, o, one, BGP_CAP_AS4);
		c->u.as4 = asn;
	}
	if (p->cap_addpath) {
		c = add_cap(arena, o, one, BGP_CAP_ADD_PATH);
		c->u.addpath.n = 1;
		c->u.addpath.afs[0].afi = afi;
		c->u.addpath.afs[0].safi = BGP_SAFI_UNICAST;
		c->u.addpath.afs[0].flags = p->cap_addpath;
	}
	if (p->cap_enhanced_rr)
		add_cap(arena, o, one, BGP_CAP_ENHANCED_RR);
	if (p->cap_llgr_empty) {
		/* no decoder for LLGR: an empty raw value */
		c = add_cap(arena, o, one, BGP_CAP_LLGR);
		c->decoded = false;
	}
}
