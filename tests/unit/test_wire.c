/*
 * bgpsim/wire.c, attr.c, cap.c: every message type round-trips byte for
 * byte; a table of malformed messages each yields the NOTIFICATION code,
 * subcode and RFC 7606 action the RFCs prescribe; names of every code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bgp/bgp.h"
#include "bgp/wire.h"

#define MARKER "ffffffffffffffffffffffffffffffff"

struct ctx {
	struct rr_arena a;
};

static int
setup(void **state)
{
	static struct ctx c;
	rr_arena_init(&c.a);
	*state = &c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx *c = *state;
	rr_arena_release(&c->a);
	return 0;
}

static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			if (n == cap)
				fail_msg("hex too long");
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return n;
}

/* A message with a correct header around the body. */
static size_t
mk(uint8_t type, const char *body, uint8_t *out, size_t cap)
{
	size_t n = unhex(body, out + 19, cap - 19) + 19;
	memset(out, 0xff, 16);
	out[16] = (uint8_t)(n >> 8);
	out[17] = (uint8_t)n;
	out[18] = type;
	return n;
}

/* An UPDATE from its three fields. */
static size_t
mkupd(const char *wd, const char *attrs, const char *nlri, uint8_t *out,
      size_t cap)
{
	uint8_t w[4096], at[4096], nl[4096];
	size_t wn = unhex(wd, w, sizeof(w)), an = unhex(attrs, at, sizeof(at));
	size_t nn = unhex(nlri, nl, sizeof(nl)), n = 19;

	memset(out, 0xff, 16);
	out[18] = BGP_MSG_UPDATE;
	out[n++] = (uint8_t)(wn >> 8);
	out[n++] = (uint8_t)wn;
	memcpy(out + n, w, wn);
	n += wn;
	out[n++] = (uint8_t)(an >> 8);
	out[n++] = (uint8_t)an;
	memcpy(out + n, at, an);
	n += an;
	memcpy(out + n, nl, nn);
	n += nn;
	if (n > cap)
		fail_msg("too long");
	out[16] = (uint8_t)(n >> 8);
	out[17] = (uint8_t)n;
	return n;
}

static void
roundtrip(struct ctx *c, const uint8_t *b, size_t n, const struct bgp_codec *cd,
          struct bgp_msg *m, const char *what)
{
	struct bgp_error e;
	uint8_t out[8192];
	long k;

	if (bgp_msg_decode(b, n, cd, &c->a, m, &e) < 0)
		fail_msg("%s: decode failed: %u/%u %s", what, e.code, e.subcode,
		         e.what ? e.what : "");
	k = bgp_msg_encode(m, cd, out, sizeof(out));
	if (k < 0)
		fail_msg("%s: encode failed", what);
	if ((size_t)k != n || memcmp(out, b, n) != 0) {
		size_t i;
		for (i = 0; i < n && i < (size_t)k && out[i] == b[i]; i++)
			;
		fail_msg(
		        "%s: re-encoded %ld bytes, want %zu; first diff at %zu",
		        what, k, n, i);
	}
}

/* ------------------------------------------------------------ OPEN */

/* BIRD 1.6.8's OPEN as captured in tests/interop (calico template): AS
 * 64512, hold 240, id 10.213.1.2, one parameter: MP ipv4, RR, GR, AS4,
 * ADD-PATH, enhanced RR, empty LLGR */
#define OPEN_BIRD                                                              \
	"04 fc00 00f0 0ad50102 22"                                             \
	"02 20  01 04 0001 00 01  02 00  40 06 0078 0001 0100"                 \
	"41 04 0000fc00  45 04 0001 01 03  46 00  47 00"

static void
test_open_bird(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	size_t n = mk(BGP_MSG_OPEN, OPEN_BIRD, b, sizeof(b));
	struct bgp_msg m;
	const struct bgp_cap *cap;
	char s[128];

	roundtrip(c, b, n, NULL, &m, "bird open");
	assert_int_equal(m.type, BGP_MSG_OPEN);
	assert_int_equal(m.u.open.version, 4);
	assert_int_equal(m.u.open.hold, 240);
	assert_int_equal(m.u.open.bgp_id, 0x0ad50102);
	assert_int_equal(m.u.open.nparams, 1);
	assert_int_equal(m.u.open.params[0].ncaps, 7);
	assert_int_equal(bgp_open_asn(&m.u.open), 64512);
	cap = bgp_open_cap(&m.u.open, BGP_CAP_GRACEFUL_RESTART);
	assert_non_null(cap);
	assert_true(cap->decoded);
	assert_int_equal(cap->u.gr.time, 120);
	assert_int_equal(cap->u.gr.n, 1);
	assert_int_equal(cap->u.gr.afs[0].flags, 0);
	assert_string_equal(bgp_cap_str(cap, s, sizeof(s)),
	                    "graceful-restart restart-time 120 ipv4-unicast");
	cap = bgp_open_cap(&m.u.open, BGP_CAP_ADD_PATH);
	assert_string_equal(bgp_cap_str(cap, s, sizeof(s)),
	                    "add-path ipv4-unicast:send/receive");
	cap = bgp_open_cap(&m.u.open, BGP_CAP_MP);
	assert_string_equal(bgp_cap_str(cap, s, sizeof(s)),
	                    "multiprotocol ipv4-unicast");
}

/* FRR 8.4's OPEN as captured in tests/interop (hold 30, one capability
 * per parameter, FQDN "rrkit-frr", GR with R and N bits, LLGR) */
static void
test_open_frr_captured(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	size_t n = unhex(MARKER
	                 "00650104fc00001e0ad50202480206010400010001020280"
	                 "000202020002024600020641040000fc000202060002064504"
	                 "00010101020d490b0972726b69742d6672720002044002c078"
	                 "0209470700010180000000",
	                 b, sizeof(b));
	struct bgp_msg m;
	char s[128];

	roundtrip(c, b, n, NULL, &m, "frr captured open");
	assert_int_equal(m.u.open.nparams, 10);
	assert_int_equal(m.u.open.hold, 30);
	assert_string_equal(bgp_cap_str(bgp_open_cap(&m.u.open, BGP_CAP_FQDN),
	                                s, sizeof(s)),
	                    "fqdn rrkit-frr");
	assert_string_equal(
	        bgp_cap_str(bgp_open_cap(&m.u.open, BGP_CAP_GRACEFUL_RESTART),
	                    s, sizeof(s)),
	        "graceful-restart restart-time 120 restarting notification");
	assert_string_equal(
	        bgp_cap_str(bgp_open_cap(&m.u.open, BGP_CAP_ADD_PATH), s,
	                    sizeof(s)),
	        "add-path ipv4-unicast:receive");
	assert_string_equal(
	        bgp_cap_str(bgp_open_cap(&m.u.open, BGP_CAP_LLGR), s,
	                    sizeof(s)),
	        "long-lived-graceful-restart ipv4-unicast stale-time 0 "
	        "forwarding");
}

/* Capabilities kept raw are printed from their bytes: GoBGP's extended
 * next hop (RFC 8950), FRR's software version, LLGR with a stale time
 * (RFC 9494); a value of the wrong length prints as its length */
static void
test_open_raw_caps(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	size_t n = mk(BGP_MSG_OPEN,
	              "04 fc00 005a 0ad50914 33"
	              "02 08 05 06 0001 0001 0002" /* ext next hop */
	              "02 0d 4b 0b 0a 46 52 52 6f 75 74 69 6e 67 0a" /* FRR.. */
	              "02 09 47 07 0002 01 00 015180" /* LLGR 86400 s */
	              "02 07 05 05 0001 0001 00"      /* 5 bytes */
	              "02 04 4b 02 05 41",            /* length 5, 1 byte */
	              b, sizeof(b));
	static const char *const want[] = {
	        "extended-nexthop ipv4-unicast via ipv6",
	        "software-version FRRouting?",
	        "long-lived-graceful-restart ipv6-unicast stale-time 86400",
	        "extended-nexthop (5 bytes)",
	        "software-version (2 bytes)",
	};
	struct bgp_msg m;
	char s[160];
	size_t i;

	roundtrip(c, b, n, NULL, &m, "raw caps open");
	assert_int_equal(m.u.open.nparams, 5);
	for (i = 0; i < 5; i++) {
		const struct bgp_cap *cap = &m.u.open.params[i].caps[0];
		assert_false(cap->decoded);
		assert_string_equal(bgp_cap_str(cap, s, sizeof(s)), want[i]);
	}
}

/* The families two OPENs share (RFC 4760 8): in the first's order, each
 * once; an OPEN without a Multiprotocol capability offers IPv4 unicast */
static void
test_open_afs_common(void **state)
{
	struct ctx *c = *state;
	static const struct bgp_afs both[] = {
	        {BGP_AFI_IPV4, BGP_SAFI_UNICAST, 0},
	        {BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0},
	};
	static const struct bgp_afs v6twice[] = {
	        {BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0},
	        {BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0},
	};
	struct bgp_open a, b, none;
	struct bgp_afs out[4];

	bgp_profile_open_afs(&bgp_profile_ios, 64512, 1, 180, false, both, 2,
	                     &c->a, &a);
	bgp_profile_open_afs(&bgp_profile_ios, 64512, 2, 180, true, v6twice, 2,
	                     &c->a, &b);
	memset(&none, 0, sizeof(none)); /* no capability at all */
	assert_int_equal(bgp_open_afs_common(&a, &b, out, 4), 1);
	assert_int_equal(out[0].afi, BGP_AFI_IPV6);
	assert_int_equal(bgp_open_afs_common(&a, &none, out, 4), 1);
	assert_int_equal(out[0].afi, BGP_AFI_IPV4);
	assert_int_equal(bgp_open_afs_common(&b, &none, out, 4), 0);
	assert_false(bgp_open_afs_shared(&b, &none));
	assert_int_equal(bgp_open_afs_common(&a, &a, out, 4), 2);
	assert_int_equal(out[1].afi, BGP_AFI_IPV6);
}

/* FRR style: one capability per parameter, FQDN, an unknown capability
 * (kept raw), AS4 with AS_TRANS in My AS, hold 0 */
static void
test_open_frr(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	size_t n = mk(BGP_MSG_OPEN,
	              "04 5ba0 0000 c0000201 2c"
	              "02 06 01 04 0001 00 01"
	              "02 02 80 00"
	              "02 06 41 04 00010000"
	              "02 0b 49 09 05 72 6f 75 74 65 02 6c 6e" /* route.ln */
	              "02 05 c8 03 01 02 03"                   /* unknown 200 */
	              "02 02 46 00",
	              b, sizeof(b));
	struct bgp_msg m;
	const struct bgp_cap *cap;
	char s[128];

	roundtrip(c, b, n, NULL, &m, "frr open");
	assert_int_equal(m.u.open.nparams, 6);
	assert_int_equal(m.u.open.my_as, BGP_AS_TRANS);
	assert_int_equal(bgp_open_asn(&m.u.open), 65536);
	cap = bgp_open_cap(&m.u.open, BGP_CAP_FQDN);
	assert_true(cap->decoded);
	assert_string_equal(bgp_cap_str(cap, s, sizeof(s)), "fqdn route.ln");
	cap = bgp_open_cap(&m.u.open, 200);
	assert_false(cap->decoded);
	assert_int_equal(cap->len, 3);
	assert_string_equal(bgp_cap_str(cap, s, sizeof(s)),
	                    "capability-200 (3 bytes)");
	cap = bgp_open_cap(&m.u.open, BGP_CAP_CISCO_RR);
	assert_string_equal(bgp_cap_str(cap, s, sizeof(s)),
	                    "cisco-route-refresh");
}

/* RFC 9072 extended optional parameters */
static void
test_open_extended_params(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	size_t n = mk(BGP_MSG_OPEN,
	              "04 fc00 00b4 0a000001 ff ff 000b"
	              "02 0008 01 04 0001 00 01 02 00",
	              b, sizeof(b));
	struct bgp_msg m;

	roundtrip(c, b, n, NULL, &m, "rfc 9072 open");
	assert_true(m.u.open.ext_params);
	assert_int_equal(m.u.open.params[0].ncaps, 2);
}

static void
test_open_profiles(void **state)
{
	struct ctx *c = *state;
	const struct bgp_profile *ps[] = {&bgp_profile_bird16,
	                                  &bgp_profile_ios};
	size_t i;

	for (i = 0; i < 2; i++) {
		struct bgp_msg m, d;
		struct bgp_error e;
		uint8_t b[4096];
		long n;

		memset(&m, 0, sizeof(m));
		m.type = BGP_MSG_OPEN;
		bgp_profile_open(ps[i], 4200000000u, 0x0a000001, ps[i]->hold,
		                 false, &c->a, &m.u.open);
		n = bgp_msg_encode(&m, NULL, b, sizeof(b));
		assert_true(n > 29);
		assert_int_equal(
		        bgp_msg_decode(b, (size_t)n, NULL, &c->a, &d, &e), 0);
		assert_int_equal(d.u.open.my_as, BGP_AS_TRANS);
		assert_int_equal(bgp_open_asn(&d.u.open), 4200000000u);
		assert_int_equal(d.u.open.hold, ps[i]->hold);
		assert_non_null(bgp_open_cap(&d.u.open, BGP_CAP_MP));
		assert_non_null(bgp_open_cap(&d.u.open, BGP_CAP_ROUTE_REFRESH));
	}
	/* the BIRD profile's OPEN is byte for byte what BIRD 1.6.8 sent */
	{
		struct bgp_msg m;
		uint8_t b[4096], want[4096];
		size_t wn = mk(BGP_MSG_OPEN, OPEN_BIRD, want, sizeof(want));
		long n;

		memset(&m, 0, sizeof(m));
		m.type = BGP_MSG_OPEN;
		bgp_profile_open(&bgp_profile_bird16, 64512, 0x0ad50102, 240,
		                 false, &c->a, &m.u.open);
		n = bgp_msg_encode(&m, NULL, b, sizeof(b));
		assert_int_equal(n, (long)wn);
		assert_memory_equal(b, want, wn);
	}
	/* `graceful restart time N` as BIRD 1.6.8 sent it (rrkit probe):
	 * 10; 5000 and 70000 cut to 16 bits over the flags and the time */
	{
		static const struct {
			uint32_t n;
			const char *hex;
		} gr[] = {{10, "000a"},
		          {5000, "1388"},
		          {70000, "1170"},
		          {0, "0000"}};
		for (i = 0; i < sizeof(gr) / sizeof(gr[0]); i++) {
			struct bgp_msg m;
			uint8_t b[4096], want[4096];
			char hex[256];
			size_t wn;
			long n;
			snprintf(
			        hex, sizeof(hex),
			        "04 fc00 00f0 0ad50102 22"
			        "02 20  01 04 0001 00 01  02 00  40 06 %s 0001 "
			        "0100"
			        "41 04 0000fc00  45 04 0001 01 03  46 00  47 "
			        "00",
			        gr[i].hex);
			wn = mk(BGP_MSG_OPEN, hex, want, sizeof(want));
			memset(&m, 0, sizeof(m));
			m.type = BGP_MSG_OPEN;
			bgp_profile_open(&bgp_profile_bird16, 64512, 0x0ad50102,
			                 240, false, &c->a, &m.u.open);
			bgp_open_set_gr_time(&m.u.open, gr[i].n);
			n = bgp_msg_encode(&m, NULL, b, sizeof(b));
			assert_int_equal(n, (long)wn);
			assert_memory_equal(b, want, wn);
		}
	}
}

/* ---------------------------------------------------------- UPDATE */

/* The 68-byte reflected UPDATE (bench/bench_wire.c uses the same) */
#define UPD68_ATTRS                                                            \
	"40 01 01 00"             /* ORIGIN IGP */                             \
	"40 02 06 02 01 0000fde8" /* AS_PATH 65000 */                          \
	"40 03 04 c0a8010a"       /* NEXT_HOP 192.168.1.10 */                  \
	"40 05 04 7fffffff"       /* LOCAL_PREF */                             \
	"80 09 04 c0a8010a"       /* ORIGINATOR_ID */                          \
	"80 0a 04 00000001"       /* CLUSTER_LIST 0.0.0.1 */

static void
test_update_reflected(void **state)
{
	struct ctx *c = *state;
	struct bgp_codec cd = {true, false, false, false};
	uint8_t b[4096];
	size_t n = mkupd("", UPD68_ATTRS, "18 0af401", b, sizeof(b));
	struct bgp_msg m;
	const struct bgp_attr *a;
	char s[128], p[RR_PREFIX_STRLEN];

	assert_int_equal(n, 68);
	roundtrip(c, b, n, &cd, &m, "reflected update");
	assert_int_equal(m.u.update.action, BGP_ACT_NONE);
	assert_int_equal(m.u.update.nattrs, 6);
	assert_int_equal(m.u.update.nnlri, 1);
	assert_string_equal(rr_prefix_str(&m.u.update.nlri[0].prefix, p),
	                    "10.244.1.0/24");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_AS_PATH);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)), "65000");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_CLUSTER_LIST);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)), "0.0.0.1");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_ORIGINATOR_ID);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)), "192.168.1.10");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_NEXT_HOP);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)), "192.168.1.10");
	assert_false(m.u.update.end_of_rib);
}

/* Everything else: withdrawn, MED, ATOMIC_AGGREGATE, AGGREGATOR,
 * COMMUNITIES, AS4_PATH, AS4_AGGREGATOR, ext/large communities, an
 * unknown optional attribute, the Extended Length bit on a short value,
 * MP_REACH (IPv6, link-local next hop) and MP_UNREACH; 2-octet ASNs. */
static void
test_update_everything(void **state)
{
	struct ctx *c = *state;
	struct bgp_codec cd = {false, false, false, false};
	uint8_t b[4096];
	size_t n =
	        mkupd("10 0a01  20 0a020304",
	              "40 01 01 02"
	              "50 02 000a 02 02 5ba0 fde8 01 01 fde9" /* ext len */
	              "40 03 04 0a000001"
	              "80 04 04 00000064"
	              "40 06 00"
	              "c0 07 06 fde8 0a000001"
	              "c0 08 08 fde80001 ffffff01"
	              "c0 10 08 0002fde800000064"
	              "c0 11 0a 02 02 00010000 0000fde8"
	              "c0 12 08 00010000 0a000001"
	              "c0 20 0c 0000fde8 00000001 00000002"
	              "e0 63 02 beef" /* unknown optional transitive */
	              "90 0e 0031 0002 01 20 20010db8000000000000000000000001"
	              "fe800000000000000000000000000001 00"
	              "20 20010db8 30 20010db80001"
	              "80 0f 0c 0002 01 40 20010db800000002",
	              "18 0a0a0a  20 0a0a0b01", b, sizeof(b));
	struct bgp_msg m;
	const struct bgp_attr *a;
	char s[256];

	roundtrip(c, b, n, &cd, &m, "full update");
	assert_int_equal(m.u.update.action, BGP_ACT_NONE);
	assert_int_equal(m.u.update.nwithdrawn, 2);
	assert_int_equal(m.u.update.nnlri, 2);
	assert_int_equal(m.u.update.nattrs, 14);
	a = bgp_update_attr(&m.u.update, BGP_ATTR_AS_PATH);
	assert_true(a->flags & BGP_ATTR_F_EXTLEN);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)),
	                    "23456 65000 {65001}");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_AS4_PATH);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)), "65536 65000");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_COMMUNITIES);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)),
	                    "65000:1 65535:65281");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_AGGREGATOR);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)), "65000 10.0.0.1");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_LARGE_COMMUNITIES);
	assert_true(a->decoded);
	assert_int_equal(a->u.list.n, 3);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)), "65000:1:2");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_MP_REACH);
	assert_true(a->decoded);
	assert_int_equal(a->u.mp.nh_len, 32);
	assert_int_equal(a->u.mp.nnlri, 2);
	assert_string_equal(bgp_attr_str(a, s, sizeof(s)),
	                    "ipv6-unicast nexthop 2001:db8::1 2001:db8::/32 "
	                    "2001:db8:1::/48");
	a = bgp_update_attr(&m.u.update, BGP_ATTR_MP_UNREACH);
	assert_int_equal(a->u.mp.nnlri, 1);
	a = bgp_update_attr(&m.u.update, 0x63);
	assert_false(a->decoded);
	assert_int_equal(a->len, 2);
	assert_null(bgp_attr_name(0x63));
	assert_string_equal(bgp_attr_name(BGP_ATTR_MP_REACH), "MP_REACH_NLRI");
}

/* ADD-PATH (RFC 7911 3): path ids in NLRI, withdrawn and MP fields */
static void
test_update_addpath(void **state)
{
	struct ctx *c = *state;
	struct bgp_codec cd = {true, false, true, true};
	uint8_t b[4096];
	size_t n =
	        mkupd("00000007 18 0a0b0c",
	              "40 01 01 00 40 02 00 40 03 04 0a000001"
	              "80 0e 1e 0002 01 10 20010db8000000000000000000000001 00"
	              "00000002 20 20010db8",
	              "00000001 18 0af401  00000002 18 0af401", b, sizeof(b));
	struct bgp_msg m;

	roundtrip(c, b, n, &cd, &m, "add-path update");
	assert_int_equal(m.u.update.nnlri, 2);
	assert_int_equal(m.u.update.nlri[1].path_id, 2);
	assert_int_equal(m.u.update.withdrawn[0].path_id, 7);
}

/* RFC 4724 2: End-of-RIB for IPv4 (empty) and IPv6 (MP_UNREACH only) */
static void
test_end_of_rib(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	size_t n = mkupd("", "", "", b, sizeof(b));
	struct bgp_msg m;

	assert_int_equal(n, 23);
	roundtrip(c, b, n, NULL, &m, "eor v4");
	assert_true(m.u.update.end_of_rib);
	assert_int_equal(m.u.update.end_afi, 1);
	n = mkupd("", "80 0f 03 0002 01", "", b, sizeof(b));
	roundtrip(c, b, n, NULL, &m, "eor v6");
	assert_true(m.u.update.end_of_rib);
	assert_int_equal(m.u.update.end_afi, 2);
	assert_int_equal(m.u.update.end_safi, 1);
}

/* A value over 255 bytes gets the Extended Length bit when encoded */
static void
test_update_extlen_forced(void **state)
{
	struct ctx *c = *state;
	struct bgp_msg m, d;
	struct bgp_attr at[1];
	uint32_t comm[100];
	struct bgp_error e;
	uint8_t b[4096];
	long n;
	size_t i;

	(void)c;
	for (i = 0; i < 100; i++)
		comm[i] = (uint32_t)i;
	memset(&m, 0, sizeof(m));
	memset(at, 0, sizeof(at));
	m.type = BGP_MSG_UPDATE;
	at[0].flags = BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE;
	at[0].code = BGP_ATTR_COMMUNITIES;
	at[0].decoded = true;
	at[0].u.list.v = comm;
	at[0].u.list.n = 100;
	m.u.update.attrs = at;
	m.u.update.nattrs = 1;
	n = bgp_msg_encode(&m, NULL, b, sizeof(b));
	assert_int_equal(n, 19 + 4 + 4 + 400);
	assert_int_equal(b[23], 0xd0);
	assert_int_equal(bgp_msg_decode(b, (size_t)n, NULL, &c->a, &d, &e), 0);
	assert_int_equal(d.u.update.attrs[0].u.list.n, 100);
	/* too big for a 4096-byte message; fine with RFC 8654 */
	{
		static uint32_t big[1100];
		struct bgp_codec ext = {true, true, false, false};
		static uint8_t bb[8192];
		at[0].u.list.v = big;
		at[0].u.list.n = 1100;
		assert_int_equal(bgp_msg_encode(&m, NULL, bb, sizeof(bb)), -1);
		assert_int_equal(bgp_msg_encode(&m, &ext, bb, sizeof(bb)),
		                 19 + 4 + 4 + 4400);
	}
	/* a buffer too small is refused, never overrun */
	assert_int_equal(bgp_msg_encode(&m, NULL, b, 30), -1);
}

/* ------------------------------------------------- other messages */

static void
test_other_messages(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	struct bgp_msg m;
	size_t n;
	long k;
	char s[128];

	n = mk(BGP_MSG_KEEPALIVE, "", b, sizeof(b));
	roundtrip(c, b, n, NULL, &m, "keepalive");
	assert_int_equal(m.type, BGP_MSG_KEEPALIVE);

	n = mk(BGP_MSG_NOTIFICATION, "02 02 fde8", b, sizeof(b));
	roundtrip(c, b, n, NULL, &m, "notification");
	assert_int_equal(m.u.notification.code, 2);
	assert_int_equal(m.u.notification.subcode, 2);
	assert_int_equal(m.u.notification.len, 2);
	assert_string_equal(bgp_notif_str(2, 2, s, sizeof(s)),
	                    "OPEN Message Error / Bad Peer AS");

	n = mk(BGP_MSG_NOTIFICATION, "06 02 0473687574", b, sizeof(b));
	roundtrip(c, b, n, NULL, &m, "cease with shutdown message");

	n = mk(BGP_MSG_ROUTE_REFRESH, "0001 00 01", b, sizeof(b));
	roundtrip(c, b, n, NULL, &m, "route refresh");
	assert_int_equal(m.u.refresh.afi, 1);
	n = mk(BGP_MSG_ROUTE_REFRESH, "0002 01 01", b, sizeof(b));
	roundtrip(c, b, n, NULL, &m, "borr");
	assert_int_equal(m.u.refresh.subtype, BGP_RR_BORR);
	n = mk(BGP_MSG_ROUTE_REFRESH, "0001 00 01 40 0102", b, sizeof(b));
	roundtrip(c, b, n, NULL, &m, "route refresh with ORF");
	assert_int_equal(m.u.refresh.restlen, 3);

	k = bgp_encode_keepalive(b, sizeof(b));
	assert_int_equal(k, 19);
	k = bgp_encode_notification(6, 7, NULL, 0, b, sizeof(b));
	assert_int_equal(k, 21);
	assert_int_equal(b[19], 6);
	assert_int_equal(b[20], 7);
}

/* --------------------------------------------------- malformed table */

struct bad {
	const char *what;
	int kind; /* 0: raw hex; 1: OPEN body; 2: UPDATE w|a|n; 3: other */
	uint8_t type;
	const char *in, *attrs, *nlri;
	int rc;
	uint8_t code, subcode;
	enum bgp_action action;
	uint8_t attr;
};

#define R    BGP_ACT_SESSION_RESET
#define W    BGP_ACT_TREAT_AS_WITHDRAW
#define D    BGP_ACT_ATTR_DISCARD
#define BASE "40 01 01 00 40 02 00 40 03 04 0a000001 "

static const struct bad bad_cases[] = {
        /* RFC 4271 6.1 header */
        {"short header", 0, 0, MARKER "00", NULL, NULL, -1, 1, 2, R, 0},
        {"bad marker", 0, 0, "ffffffffffffffffffffffffffff00ff 0013 04", NULL,
         NULL, -1, 1, 1, R, 0},
        {"length below 19", 0, 0, MARKER "0012 04", NULL, NULL, -1, 1, 2, R, 0},
        {"length above 4096", 0, 0, MARKER "1001 04", NULL, NULL, -1, 1, 2, R,
         0},
        {"length field lies (longer)", 0, 0, MARKER "0020 04", NULL, NULL, -1,
         1, 2, R, 0},
        {"length field lies (shorter)", 0, 0, MARKER "0013 04 00", NULL, NULL,
         -1, 1, 2, R, 0},
        {"unknown type", 0, 0, MARKER "0013 09", NULL, NULL, -1, 1, 3, R, 0},
        {"type 0", 0, 0, MARKER "0013 00", NULL, NULL, -1, 1, 3, R, 0},
        {"KEEPALIVE with a body", 3, 4, "00", NULL, NULL, -1, 1, 2, R, 0},
        {"NOTIFICATION too short", 3, 3, "06", NULL, NULL, -1, 1, 2, R, 0},
        {"UPDATE too short", 3, 2, "0000", NULL, NULL, -1, 1, 2, R, 0},
        {"ROUTE-REFRESH too short", 3, 5, "0001 00", NULL, NULL, -1, 1, 2, R,
         0},
        {"BoRR longer than 4", 3, 5, "0001 01 01 00", NULL, NULL, -1, 7, 1, R,
         0},
        /* RFC 4271 6.2 OPEN */
        {"OPEN too short", 3, 1, "04 fc00 00f0 0a000001", NULL, NULL, -1, 1, 2,
         R, 0},
        {"OPEN optional length past the end", 1, 1,
         "04 fc00 00f0 0a000001 08"
         "02 02 02 00",
         NULL, NULL, -1, 1, 2, R, 0},
        {"OPEN optional length short of the end", 1, 1,
         "04 fc00 00f0 0a000001 02 02 02 02 00", NULL, NULL, -1, 1, 2, R, 0},
        {"OPEN parameter overruns", 1, 1,
         "04 fc00 00f0 0a000001 04"
         "02 05 02 00",
         NULL, NULL, -1, 2, 0, R, 0},
        {"OPEN capability overruns", 1, 1,
         "04 fc00 00f0 0a000001 04"
         "02 02 41 04",
         NULL, NULL, -1, 2, 0, R, 0},
        {"OPEN MP capability of 3 bytes", 1, 1,
         "04 fc00 00f0 0a000001 07"
         "02 05 01 03 000100",
         NULL, NULL, -1, 2, 0, R, 0},
        {"OPEN AS4 capability of 2 bytes", 1, 1,
         "04 fc00 00f0 0a000001 06"
         "02 04 41 02 fc00",
         NULL, NULL, -1, 2, 0, R, 0},
        {"OPEN route refresh with a value", 1, 1,
         "04 fc00 00f0 0a000001 05"
         "02 03 02 01 00",
         NULL, NULL, -1, 2, 0, R, 0},
        {"OPEN GR tuples not a multiple of 4", 1, 1,
         "04 fc00 00f0 0a000001 07 02 05 40 03 0078 00", NULL, NULL, -1, 2, 0,
         R, 0},
        /* RFC 4271 6.3 / RFC 7606 UPDATE */
        {"withdrawn length past the end", 0, 0, MARKER "0017 02 0010 0000",
         NULL, NULL, -1, 3, 1, R, 0},
        {"attribute length past the end", 0, 0, MARKER "0018 02 0000 0005 00",
         NULL, NULL, -1, 3, 1, R, 0},
        {"withdrawn prefix longer than 32", 2, 0, "21 0a000000", "", "", -1, 3,
         10, R, 0},
        {"withdrawn prefix overruns", 2, 0, "18 0a00", "", "", -1, 3, 10, R, 0},
        {"NLRI prefix longer than 32", 2, 0, "", BASE, "21 0a0000000", -1, 3,
         10, R, 0},
        {"NLRI prefix overruns", 2, 0, "", BASE, "18 0a00", -1, 3, 10, R, 0},
        {"attribute overruns the attributes", 2, 0, "", BASE "40 05 08 0000",
         "18 0a0000", 0, 3, 1, W, 0},
        {"two octets left for an attribute", 2, 0, "", BASE "40 05",
         "18 0a0000", 0, 3, 1, W, 0},
        {"extended length cut short", 2, 0, "", BASE "50 05 00", "18 0a0000", 0,
         3, 1, W, 0},
        {"duplicate ORIGIN", 2, 0, "", BASE "40 01 01 01", "18 0a0000", 0, 3, 1,
         D, 1},
        {"duplicate MP_REACH", 2, 0, "",
         "40 01 01 00 40 02 00 80 0e 05 0001 01 00 00 80 0e 05 0001 01 00 00",
         "", -1, 3, 1, R, 14},
        {"ORIGIN flagged optional", 2, 0, "",
         "c0 01 01 00 40 02 00 40 03 04 0a000001", "18 0a0000", 0, 3, 4, W, 1},
        {"ORIGIN flagged partial", 2, 0, "",
         "60 01 01 00 40 02 00 40 03 04 0a000001", "18 0a0000", 0, 3, 4, W, 1},
        {"CLUSTER_LIST flagged transitive", 2, 0, "", BASE "c0 0a 04 00000001",
         "18 0a0000", 0, 3, 4, W, 10},
        {"ORIGIN value 3", 2, 0, "", "40 01 01 03 40 02 00 40 03 04 0a000001",
         "18 0a0000", 0, 3, 6, W, 1},
        {"ORIGIN length 2", 2, 0, "",
         "40 01 02 0000 40 02 00 40 03 04 0a000001", "18 0a0000", 0, 3, 5, W,
         1},
        {"AS_PATH segment overrun", 2, 0, "",
         "40 01 01 00 40 02 04 02 02 fde8 40 03 04 0a000001", "18 0a0000", 0, 3,
         11, W, 2},
        {"AS_PATH lone trailing octet", 2, 0, "",
         "40 01 01 00 40 02 05 02 01 fde8 02 40 03 04 0a000001", "18 0a0000", 0,
         3, 11, W, 2},
        {"AS_PATH zero-length segment", 2, 0, "",
         "40 01 01 00 40 02 02 02 00 40 03 04 0a000001", "18 0a0000", 0, 3, 11,
         W, 2},
        {"AS_PATH unknown segment type", 2, 0, "",
         "40 01 01 00 40 02 04 07 01 fde8 40 03 04 0a000001", "18 0a0000", 0, 3,
         11, W, 2},
        {"NEXT_HOP of 5 bytes", 2, 0, "",
         "40 01 01 00 40 02 00 40 03 05 0a00000100", "18 0a0000", 0, 3, 5, W,
         3},
        {"LOCAL_PREF of 3 bytes", 2, 0, "", BASE "40 05 03 000064", "18 0a0000",
         0, 3, 5, W, 5},
        {"MED of 2 bytes", 2, 0, "", BASE "80 04 02 0064", "18 0a0000", 0, 3, 5,
         W, 4},
        {"missing NEXT_HOP", 2, 0, "", "40 01 01 00 40 02 00", "18 0a0000", 0,
         3, 3, W, 3},
        {"missing ORIGIN", 2, 0, "", "40 02 00 40 03 04 0a000001", "18 0a0000",
         0, 3, 3, W, 1},
        {"missing AS_PATH with MP_REACH", 2, 0, "",
         "40 01 01 00 80 0e 05 0001 01 00 00", "", 0, 3, 3, W, 2},
        {"unrecognized well-known", 2, 0, "", BASE "40 63 01 00", "18 0a0000",
         -1, 3, 2, R, 0x63},
        {"ATOMIC_AGGREGATE of 1 byte", 2, 0, "", BASE "40 06 01 00",
         "18 0a0000", 0, 3, 5, D, 6},
        {"AGGREGATOR of 5 bytes", 2, 0, "", BASE "c0 07 05 fde80a0000",
         "18 0a0000", 0, 3, 5, D, 7},
        {"COMMUNITIES of 3 bytes", 2, 0, "", BASE "c0 08 03 000001",
         "18 0a0000", 0, 3, 5, W, 8},
        {"COMMUNITIES empty", 2, 0, "", BASE "c0 08 00", "18 0a0000", 0, 3, 5,
         W, 8},
        {"ORIGINATOR_ID of 3 bytes", 2, 0, "", BASE "80 09 03 0a0000",
         "18 0a0000", 0, 3, 5, W, 9},
        {"CLUSTER_LIST empty", 2, 0, "", BASE "80 0a 00", "18 0a0000", 0, 3, 5,
         W, 10},
        {"EXT_COMMUNITIES of 7 bytes", 2, 0, "", BASE "c0 10 07 00020000000000",
         "18 0a0000", 0, 3, 5, W, 16},
        {"AS4_PATH segment overrun", 2, 0, "", BASE "c0 11 04 02 02 0001",
         "18 0a0000", 0, 3, 9, D, 17},
        {"MP_REACH next hop overruns", 2, 0, "",
         "40 01 01 00 40 02 00 80 0e 05 0002 01 10 00", "", -1, 3, 9, R, 14},
        {"MP_REACH next hop over 32", 2, 0, "",
         "40 01 01 00 40 02 00 80 0e 05 0002 01 21 00", "", -1, 3, 9, R, 14},
        {"MP_REACH IPv6 prefix longer than 128", 2, 0, "",
         "40 01 01 00 40 02 00 80 0e 0a 0002 01 00 00 81 00000000", "", -1, 3,
         10, R, 14},
        {"MP_UNREACH cut short", 2, 0, "", "80 0f 02 0002", "", -1, 3, 9, R,
         15},
        {"MP_REACH flagged well-known", 2, 0, "",
         "40 01 01 00 40 02 00 40 0e 05 0001 01 00 00", "", -1, 3, 4, R, 14},
};

static void
test_malformed(void **state)
{
	struct ctx *c = *state;
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad *t = &bad_cases[i];
		uint8_t b[4096];
		size_t n;
		struct bgp_msg m;
		struct bgp_error e;
		int rc;
		const struct bgp_error *got;

		if (t->kind == 0)
			n = unhex(t->in, b, sizeof(b));
		else if (t->kind == 2)
			n = mkupd(t->in, t->attrs, t->nlri, b, sizeof(b));
		else
			n = mk(t->kind == 1 ? BGP_MSG_OPEN : t->type, t->in, b,
			       sizeof(b));
		rc = bgp_msg_decode(b, n, NULL, &c->a, &m, &e);
		if (rc != t->rc)
			fail_msg("%s: rc %d, want %d (%u/%u %s)", t->what, rc,
			         t->rc, e.code, e.subcode,
			         e.what ? e.what : "");
		got = rc < 0 ? &e : &m.u.update.err;
		if (rc == 0 && m.u.update.action != t->action)
			fail_msg("%s: action %s, want %s", t->what,
			         bgp_action_name(m.u.update.action),
			         bgp_action_name(t->action));
		if (got->code != t->code || got->subcode != t->subcode ||
		    got->action != t->action)
			fail_msg("%s: %u/%u %s (%s), want %u/%u %s", t->what,
			         got->code, got->subcode,
			         bgp_action_name(got->action),
			         got->what ? got->what : "", t->code,
			         t->subcode, bgp_action_name(t->action));
		if (t->attr && got->attr != t->attr)
			fail_msg("%s: attribute %u, want %u", t->what,
			         got->attr, t->attr);
		if (!got->what)
			fail_msg("%s: no description", t->what);
		/* the code has a name */
		if (!bgp_suberr_name(got->code, got->subcode))
			fail_msg("%s: %u/%u has no name", t->what, got->code,
			         got->subcode);
	}
}

/* discarded attributes are gone; treat-as-withdraw keeps the NLRI */
static void
test_rfc7606_effects(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	struct bgp_msg m;
	struct bgp_error e;
	size_t n;

	n = mkupd("", BASE "40 06 01 00", "18 0a0000", b, sizeof(b));
	assert_int_equal(bgp_msg_decode(b, n, NULL, &c->a, &m, &e), 0);
	assert_null(bgp_update_attr(&m.u.update, BGP_ATTR_ATOMIC_AGGREGATE));
	assert_int_equal(m.u.update.nattrs, 3);
	n = mkupd("", "40 01 01 03 40 02 00 40 03 04 0a000001",
	          "18 0a0000 18 0a0001", b, sizeof(b));
	assert_int_equal(bgp_msg_decode(b, n, NULL, &c->a, &m, &e), 0);
	assert_int_equal(m.u.update.action, BGP_ACT_TREAT_AS_WITHDRAW);
	assert_int_equal(m.u.update.nnlri, 2);
	/* the framer: header errors on a stream */
	n = mk(BGP_MSG_KEEPALIVE, "", b, sizeof(b));
	assert_int_equal(bgp_msg_frame(b, 18, NULL, &e), 0);
	assert_int_equal(bgp_msg_frame(b, n, NULL, &e), 19);
	b[0] = 0;
	assert_int_equal(bgp_msg_frame(b, n, NULL, &e), -1);
	assert_int_equal(e.code, 1);
	assert_int_equal(e.subcode, 1);
}

/* every decoder prefix of a valid message fails cleanly (never reads past
 * the end: ASan would see it) */
static void
test_truncations(void **state)
{
	struct ctx *c = *state;
	uint8_t b[4096];
	size_t n = mkupd("10 0a01", UPD68_ATTRS "c0 08 04 fde80001",
	                 "18 0af401", b, sizeof(b)),
	       k;

	for (k = 0; k < n; k++) {
		uint8_t *t = test_malloc(k ? k : 1);
		struct bgp_msg m;
		struct bgp_error e;
		memcpy(t, b, k);
		if (k >= 18) {
			t[16] = (uint8_t)(k >> 8);
			t[17] = (uint8_t)k;
		}
		(void)bgp_msg_decode(t, k, NULL, &c->a, &m, &e);
		test_free(t);
	}
}

static void
test_names(void **state)
{
	unsigned code, sub;
	(void)state;
	assert_string_equal(bgp_msg_type_name(BGP_MSG_ROUTE_REFRESH),
	                    "ROUTE-REFRESH");
	assert_null(bgp_msg_type_name(6));
	for (code = 1; code < ERR_CODE_COUNT; code++)
		assert_non_null(bgp_err_name(code));
	assert_null(bgp_err_name(8));
	for (sub = 0; sub < ERR_OPEN_COUNT; sub++)
		assert_non_null(bgp_suberr_name(ERR_OPEN, sub));
	for (sub = 0; sub < ERR_UPDATE_COUNT; sub++)
		assert_non_null(bgp_suberr_name(ERR_UPDATE, sub));
	for (sub = 0; sub < ERR_CEASE_COUNT; sub++)
		assert_non_null(bgp_suberr_name(ERR_CEASE, sub));
	for (sub = 0; sub < ERR_FSM_COUNT; sub++)
		assert_non_null(bgp_suberr_name(ERR_FSM, sub));
	assert_string_equal(bgp_suberr_name(2, 6), "Unacceptable Hold Time");
	assert_string_equal(bgp_suberr_name(6, 7),
	                    "Connection Collision Resolution");
	assert_null(bgp_suberr_name(2, 12));
	{
		char s[96];
		assert_string_equal(bgp_notif_str(4, 0, s, sizeof(s)),
		                    "Hold Timer Expired");
		assert_string_equal(bgp_notif_str(2, 99, s, sizeof(s)),
		                    "OPEN Message Error / subcode 99");
		assert_string_equal(bgp_notif_str(42, 1, s, sizeof(s)),
		                    "error code 42 subcode 1");
	}
	assert_string_equal(bgp_cap_name(BGP_CAP_AS4), "4-octet-as");
	assert_string_equal(bgp_action_name(BGP_ACT_TREAT_AS_WITHDRAW),
	                    "treat-as-withdraw");
}

/* the reader never moves past its end */
static void
test_reader(void **state)
{
	static const uint8_t buf[3] = {1, 2, 3};
	struct rd r = rd_make(buf, 3), s;
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;
	const uint8_t *p;

	(void)state;
	assert_int_equal(rd_u32(&r, &v32), -1);
	assert_int_equal(r.off, 0);
	assert_int_equal(rd_u16(&r, &v16), 0);
	assert_int_equal(v16, 0x0102);
	assert_int_equal(rd_sub(&r, 2, &s), -1);
	assert_int_equal(rd_bytes(&r, 2, &p), -1);
	assert_int_equal(rd_u8(&r, &v8), 0);
	assert_int_equal(rd_u8(&r, &v8), -1);
	assert_int_equal(rd_left(&r), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_open_bird, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_open_frr, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_open_afs_common, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_open_raw_caps, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_open_frr_captured, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_open_extended_params,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_open_profiles, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_update_reflected, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_update_everything, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_update_addpath, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_end_of_rib, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_update_extlen_forced,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(test_other_messages, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_malformed, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_rfc7606_effects, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_truncations, setup,
	                                        teardown),
	        cmocka_unit_test(test_names),
	        cmocka_unit_test(test_reader),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
