/*
 * UPDATE messages: withdrawn routes, path attributes, NLRI.
 *
 * RFC 4271 4.3 (format), 5 (attributes), 6.3 (UPDATE errors); RFC 7606
 * (revised error handling: treat-as-withdraw, attribute-discard and
 * session-reset, per attribute in section 7); RFC 4760 (MP_REACH_NLRI,
 * MP_UNREACH_NLRI); RFC 6793 (AS4_PATH, AS4_AGGREGATOR, AS_TRANS); RFC 1997,
 * 4360, 8092 (communities); RFC 4456 (ORIGINATOR_ID, CLUSTER_LIST); RFC
 * 7911 (path identifiers); RFC 4724 2 (End-of-RIB).
 *
 * One descriptor row per attribute carries its required flags, the RFC
 * 7606 action for a malformed value, and its decoder, encoder and printer.
 * Attributes without a row are kept raw (optional ones) or reset the
 * session (an unrecognized well-known attribute, RFC 4271 6.3).
 */
#include "bgp/wire.h"

#include <stdio.h>
#include <string.h>

#define F_WK_MANDATORY BGP_ATTR_F_TRANSITIVE
#define F_OPT_TRANS    (BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE)
#define F_OPT_NONTRANS BGP_ATTR_F_OPTIONAL

/* --------------------------------------------------------------- NLRI */

/* RFC 4271 4.3 (length, prefix), RFC 7911 3 (path identifier first) */
int
wire_nlri_decode(struct rd *r, uint8_t af, bool addpath, struct rr_arena *a,
                 struct bgp_nlri **out, size_t *n)
{
	size_t cap = 0;
	unsigned maxlen = af == RR_AF_INET ? 32 : 128;

	*out = NULL;
	*n = 0;
	while (rd_left(r) > 0) {
		struct bgp_nlri *p;
		uint32_t id = 0;
		uint8_t plen;

		if (addpath && rd_u32(r, &id) < 0)
			return -1;
		if (rd_u8(r, &plen) < 0 || plen > maxlen)
			return -1;
		p = RR_PUSH(a, *out, *n, cap);
		p->path_id = id;
		p->prefix.addr.af = af;
		p->prefix.len = plen;
		if (rd_copy(r, p->prefix.addr.b, (plen + 7u) / 8) < 0)
			return -1;
	}
	return 0;
}

void
wire_nlri_encode(struct wr *w, bool addpath, const struct bgp_nlri *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (addpath)
			wr_u32(w, v[i].path_id);
		wr_u8(w, v[i].prefix.len);
		wr_bytes(w, v[i].prefix.addr.b, (v[i].prefix.len + 7u) / 8);
	}
}

static void
nlri_format(const struct bgp_nlri *v, size_t n, char *buf, size_t len)
{
	size_t i, off = strlen(buf);
	char p[RR_PREFIX_STRLEN];

	for (i = 0; i < n && off + 1 < len; i++) {
		int k = snprintf(buf + off, len - off, "%s%s", off ? " " : "",
		                 rr_prefix_str(&v[i].prefix, p));
		if (k < 0)
			return;
		off += (size_t)k;
		if (v[i].path_id && off < len) {
			k = snprintf(buf + off, len - off, "#%u", v[i].path_id);
			if (k < 0)
				return;
			off += (size_t)k;
		}
	}
}

/* ----------------------------------------------------- attribute rows */

/* RFC 4271 5.1.1; RFC 7606 7.1 */
static int
origin_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
              struct bgp_attr *out, struct bgp_error *err)
{
	(void)c;
	(void)a;
	if (rd_left(r) != 1 || rd_u8(r, &out->u.origin) < 0) {
		err->subcode = ERR_UPDATE_LENGTH;
		err->what = "ORIGIN length is not 1";
		return -1;
	}
	if (out->u.origin > BGP_ORIGIN_INCOMPLETE) {
		err->subcode = ERR_UPDATE_ORIGIN;
		err->what = "undefined ORIGIN value";
		return -1;
	}
	return 0;
}

static void
origin_encode(struct wr *w, const struct bgp_codec *c,
              const struct bgp_attr *in)
{
	(void)c;
	wr_u8(w, in->u.origin);
}

static void
origin_format(const struct bgp_attr *in, char *buf, size_t len)
{
	static const char *const names[] = {"IGP", "EGP", "incomplete"};
	snprintf(buf, len, "%s", in->u.origin <= 2 ? names[in->u.origin] : "?");
}

/* RFC 4271 4.3 AS_PATH; RFC 6793 3 (AS4_PATH, always 4 octets); RFC 7606
 * 7.2: overrun, a lone trailing octet, a zero-length segment or an
 * unknown segment type make it malformed. */
static int
aspath_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
              struct bgp_attr *out, struct bgp_error *err)
{
	bool four = out->code == BGP_ATTR_AS4_PATH || c->as4;
	size_t cap = 0;

	err->subcode = out->code == BGP_ATTR_AS_PATH ? ERR_UPDATE_ASPATH
	                                             : ERR_UPDATE_OPTATTR;
	while (rd_left(r) > 0) {
		struct bgp_seg *s;
		uint8_t type, n;
		size_t i;

		if (rd_u8(r, &type) < 0 || rd_u8(r, &n) < 0) {
			err->what = "AS_PATH segment header cut short";
			return -1;
		}
		if (type < BGP_SEG_SET || type > BGP_SEG_CONFED_SET) {
			err->what = "unknown AS_PATH segment type";
			return -1;
		}
		if (n == 0) {
			err->what = "AS_PATH segment of length zero";
			return -1;
		}
		if (rd_left(r) < (size_t)n * (four ? 4 : 2)) {
			err->what = "AS_PATH segment overruns the attribute";
			return -1;
		}
		s = RR_PUSH(a, out->u.aspath.segs, out->u.aspath.nsegs, cap);
		s->type = type;
		s->n = n;
		s->asns = rr_arena_calloc(a, n, sizeof(uint32_t));
		for (i = 0; i < n; i++) {
			uint16_t v16;
			if (four) {
				if (rd_u32(r, &s->asns[i]) < 0)
					return -1;
			} else {
				if (rd_u16(r, &v16) < 0)
					return -1;
				s->asns[i] = v16;
			}
		}
	}
	return 0;
}

static void
aspath_encode(struct wr *w, const struct bgp_codec *c,
              const struct bgp_attr *in)
{
	bool four = in->code == BGP_ATTR_AS4_PATH || (c && c->as4);
	size_t i, j;

	for (i = 0; i < in->u.aspath.nsegs; i++) {
		const struct bgp_seg *s = &in->u.aspath.segs[i];
		wr_u8(w, s->type);
		wr_u8(w, s->n);
		for (j = 0; j < s->n; j++) {
			if (four)
				wr_u32(w, s->asns[j]);
			else /* RFC 6793 4.2.2 */
				wr_u16(w, s->asns[j] > 0xffff
				                  ? (uint16_t)BGP_AS_TRANS
				                  : (uint16_t)s->asns[j]);
		}
	}
}

static void
aspath_format(const struct bgp_attr *in, char *buf, size_t len)
{
	size_t i, j, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < in->u.aspath.nsegs; i++) {
		const struct bgp_seg *s = &in->u.aspath.segs[i];
		bool set =
		        s->type == BGP_SEG_SET || s->type == BGP_SEG_CONFED_SET;
		for (j = 0; j < s->n && off + 1 < len; j++) {
			int k = snprintf(buf + off, len - off, "%s%s%u%s",
			                 off ? " " : "", set && !j ? "{" : "",
			                 s->asns[j],
			                 set && j + 1 == s->n ? "}" : "");
			if (k < 0)
				return;
			off += (size_t)k;
		}
	}
}

/* RFC 4271 5.1.3; RFC 7606 7.3 */
static int
nexthop_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
               struct bgp_attr *out, struct bgp_error *err)
{
	(void)c;
	(void)a;
	out->u.next_hop.af = RR_AF_INET;
	if (rd_left(r) != 4 || rd_copy(r, out->u.next_hop.b, 4) < 0) {
		err->subcode = ERR_UPDATE_LENGTH;
		err->what = "NEXT_HOP length is not 4";
		return -1;
	}
	return 0;
}

static void
nexthop_encode(struct wr *w, const struct bgp_codec *c,
               const struct bgp_attr *in)
{
	(void)c;
	wr_bytes(w, in->u.next_hop.b, 4);
}

static void
addr_format(const struct bgp_attr *in, char *buf, size_t len)
{
	char a[RR_ADDR_STRLEN];
	snprintf(buf, len, "%s", rr_addr_str(&in->u.next_hop, a));
}

/* MED (RFC 4271 5.1.4, RFC 7606 7.4), LOCAL_PREF (5.1.5, 7.5),
 * ORIGINATOR_ID (RFC 4456 8, RFC 7606 7.9) */
static int
u32_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
           struct bgp_attr *out, struct bgp_error *err)
{
	(void)c;
	(void)a;
	if (rd_left(r) != 4 || rd_u32(r, &out->u.u32) < 0) {
		err->subcode = ERR_UPDATE_LENGTH;
		err->what = "attribute length is not 4";
		return -1;
	}
	return 0;
}

static void
u32_encode(struct wr *w, const struct bgp_codec *c, const struct bgp_attr *in)
{
	(void)c;
	wr_u32(w, in->u.u32);
}

static void
u32_format(const struct bgp_attr *in, char *buf, size_t len)
{
	snprintf(buf, len, "%u", in->u.u32);
}

static void
id_format(const struct bgp_attr *in, char *buf, size_t len)
{
	uint32_t v = in->u.u32;
	snprintf(buf, len, "%u.%u.%u.%u", v >> 24, v >> 16 & 255, v >> 8 & 255,
	         v & 255);
}

/* RFC 4271 5.1.6; RFC 7606 7.6 */
static int
empty_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
             struct bgp_attr *out, struct bgp_error *err)
{
	(void)c;
	(void)a;
	(void)out;
	if (rd_left(r) != 0) {
		err->subcode = ERR_UPDATE_LENGTH;
		err->what = "ATOMIC_AGGREGATE length is not 0";
		return -1;
	}
	return 0;
}

static void
empty_encode(struct wr *w, const struct bgp_codec *c, const struct bgp_attr *in)
{
	(void)w;
	(void)c;
	(void)in;
}

static void
empty_format(const struct bgp_attr *in, char *buf, size_t len)
{
	(void)in;
	if (len)
		buf[0] = '\0';
}

/* RFC 4271 5.1.7 (6 octets, 8 with 4-octet AS: RFC 6793 4); AS4_AGGREGATOR
 * always 8 (RFC 6793 3); RFC 7606 7.7: attribute-discard */
static int
aggregator_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
                  struct bgp_attr *out, struct bgp_error *err)
{
	bool four = out->code == BGP_ATTR_AS4_AGGREGATOR || c->as4;
	uint16_t v16;

	(void)a;
	err->subcode = ERR_UPDATE_LENGTH;
	err->what = "AGGREGATOR length wrong";
	if (rd_left(r) != (four ? 8u : 6u))
		return -1;
	if (four) {
		if (rd_u32(r, &out->u.aggregator.asn) < 0)
			return -1;
	} else {
		if (rd_u16(r, &v16) < 0)
			return -1;
		out->u.aggregator.asn = v16;
	}
	out->u.aggregator.addr.af = RR_AF_INET;
	return rd_copy(r, out->u.aggregator.addr.b, 4);
}

static void
aggregator_encode(struct wr *w, const struct bgp_codec *c,
                  const struct bgp_attr *in)
{
	bool four = in->code == BGP_ATTR_AS4_AGGREGATOR || (c && c->as4);
	uint32_t asn = in->u.aggregator.asn;

	if (four)
		wr_u32(w, asn);
	else
		wr_u16(w,
		       asn > 0xffff ? (uint16_t)BGP_AS_TRANS : (uint16_t)asn);
	wr_bytes(w, in->u.aggregator.addr.b, 4);
}

static void
aggregator_format(const struct bgp_attr *in, char *buf, size_t len)
{
	char a[RR_ADDR_STRLEN];
	snprintf(buf, len, "%u %s", in->u.aggregator.asn,
	         rr_addr_str(&in->u.aggregator.addr, a));
}

/* COMMUNITIES (RFC 1997, RFC 7606 7.8), CLUSTER_LIST (RFC 4456 8, RFC
 * 7606 7.10): a non-zero multiple of 4 octets */
static int
list_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
            struct bgp_attr *out, struct bgp_error *err)
{
	size_t i, n = rd_left(r) / 4;

	(void)c;
	if (rd_left(r) == 0 || rd_left(r) % 4) {
		err->subcode = ERR_UPDATE_LENGTH;
		err->what = "length is not a non-zero multiple of 4";
		return -1;
	}
	out->u.list.v = rr_arena_calloc(a, n, sizeof(uint32_t));
	out->u.list.n = n;
	for (i = 0; i < n; i++)
		if (rd_u32(r, &out->u.list.v[i]) < 0)
			return -1;
	return 0;
}

static void
list_encode(struct wr *w, const struct bgp_codec *c, const struct bgp_attr *in)
{
	size_t i;
	(void)c;
	for (i = 0; i < in->u.list.n; i++)
		wr_u32(w, in->u.list.v[i]);
}

static void
community_format(const struct bgp_attr *in, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < in->u.list.n && off + 1 < len; i++) {
		uint32_t v = in->u.list.v[i];
		int k = snprintf(buf + off, len - off, "%s%u:%u",
		                 off ? " " : "", v >> 16, v & 0xffff);
		if (k < 0)
			return;
		off += (size_t)k;
	}
}

static void
cluster_format(const struct bgp_attr *in, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < in->u.list.n && off + 1 < len; i++) {
		uint32_t v = in->u.list.v[i];
		int k = snprintf(buf + off, len - off, "%s%u.%u.%u.%u",
		                 off ? " " : "", v >> 24, v >> 16 & 255,
		                 v >> 8 & 255, v & 255);
		if (k < 0)
			return;
		off += (size_t)k;
	}
}

static bool
mp_known(uint16_t afi, uint8_t safi)
{
	return (afi == BGP_AFI_IPV4 || afi == BGP_AFI_IPV6) &&
	       (safi == BGP_SAFI_UNICAST || safi == BGP_SAFI_MULTICAST);
}

static bool
mp_addpath(const struct bgp_codec *c, uint16_t afi, uint8_t safi)
{
	if (safi != BGP_SAFI_UNICAST)
		return false;
	return afi == BGP_AFI_IPV4 ? c->addpath_v4 : c->addpath_v6;
}

/* RFC 4760 3 and 4; RFC 7606 7.11: malformed -> session reset */
static int
mp_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
          struct bgp_attr *out, struct bgp_error *err)
{
	struct bgp_mp *mp = &out->u.mp;
	bool reach = out->code == BGP_ATTR_MP_REACH;

	err->subcode = ERR_UPDATE_OPTATTR;
	err->what = "MP_REACH/MP_UNREACH cut short";
	if (rd_u16(r, &mp->afi) < 0 || rd_u8(r, &mp->safi) < 0)
		return -1;
	if (reach) {
		if (rd_u8(r, &mp->nh_len) < 0)
			return -1;
		if (mp->nh_len > sizeof(mp->nh)) {
			err->what = "MP_REACH next hop longer than 32";
			return -1;
		}
		if (rd_copy(r, mp->nh, mp->nh_len) < 0 ||
		    rd_u8(r, &mp->reserved) < 0)
			return -1;
	}
	if (!mp_known(mp->afi, mp->safi)) {
		mp->rawlen = rd_left(r);
		return rd_bytes(r, mp->rawlen, &mp->raw);
	}
	if (wire_nlri_decode(r,
	                     mp->afi == BGP_AFI_IPV4 ? RR_AF_INET : RR_AF_INET6,
	                     mp_addpath(c, mp->afi, mp->safi), a, &mp->nlri,
	                     &mp->nnlri) < 0) {
		err->subcode = ERR_UPDATE_NETWORK;
		err->what = "MP NLRI prefix malformed";
		return -1;
	}
	return 0;
}

static void
mp_encode(struct wr *w, const struct bgp_codec *c, const struct bgp_attr *in)
{
	const struct bgp_mp *mp = &in->u.mp;
	struct bgp_codec none = {false, false, false, false};

	if (!c)
		c = &none;
	wr_u16(w, mp->afi);
	wr_u8(w, mp->safi);
	if (in->code == BGP_ATTR_MP_REACH) {
		wr_u8(w, mp->nh_len);
		wr_bytes(w, mp->nh, mp->nh_len);
		wr_u8(w, mp->reserved);
	}
	if (!mp_known(mp->afi, mp->safi))
		wr_bytes(w, mp->raw, mp->rawlen);
	else
		wire_nlri_encode(w, mp_addpath(c, mp->afi, mp->safi), mp->nlri,
		                 mp->nnlri);
}

static void
mp_format(const struct bgp_attr *in, char *buf, size_t len)
{
	const struct bgp_mp *mp = &in->u.mp;
	char af[32], nh[RR_ADDR_STRLEN] = "";
	int k;

	if (in->code == BGP_ATTR_MP_REACH && mp->nh_len >= 4) {
		struct rr_addr a;
		memset(&a, 0, sizeof(a));
		a.af = mp->nh_len >= 16 ? RR_AF_INET6 : RR_AF_INET;
		memcpy(a.b, mp->nh, a.af == RR_AF_INET6 ? 16 : 4);
		rr_addr_str(&a, nh);
	}
	k = snprintf(buf, len, "%s%s%s",
	             bgp_afisafi_str(mp->afi, mp->safi, af, sizeof(af)),
	             *nh ? " nexthop " : "", nh);
	if (k < 0 || (size_t)k >= len)
		return;
	nlri_format(mp->nlri, mp->nnlri, buf, len);
}

/* Length checks only; the value is kept raw (RFC 4360 2, RFC 7606 7.14;
 * RFC 8092 3, RFC 8092 6) */
static int
multiple_decode(struct rd *r, size_t unit, struct bgp_error *err)
{
	if (rd_left(r) == 0 || rd_left(r) % unit) {
		err->subcode = ERR_UPDATE_LENGTH;
		err->what = "length is not a non-zero multiple of the unit";
		return -1;
	}
	return 1;
}

static int
extcomm_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
               struct bgp_attr *out, struct bgp_error *err)
{
	(void)c;
	(void)a;
	(void)out;
	return multiple_decode(r, 8, err);
}

/* LARGE_COMMUNITIES (RFC 8092 3): 12-octet entries, kept as three words
 * each (global administrator, local data 1, local data 2) in u.list. */
static int
largecomm_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
                 struct bgp_attr *out, struct bgp_error *err)
{
	if (multiple_decode(r, 12, err) < 0)
		return -1;
	return list_decode(r, c, a, out, err);
}

static void
largecomm_format(const struct bgp_attr *in, char *buf, size_t len)
{
	size_t i, off = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i + 2 < in->u.list.n && off + 1 < len; i += 3) {
		int k = snprintf(buf + off, len - off, "%s%u:%u:%u",
		                 off ? " " : "", in->u.list.v[i],
		                 in->u.list.v[i + 1], in->u.list.v[i + 2]);
		if (k < 0)
			return;
		off += (size_t)k;
	}
}

static const struct attr_desc attr_table[] = {
        {BGP_ATTR_ORIGIN, "ORIGIN", F_WK_MANDATORY, BGP_ACT_TREAT_AS_WITHDRAW,
         ERR_UPDATE_ORIGIN, origin_decode, origin_encode, origin_format},
        {BGP_ATTR_AS_PATH, "AS_PATH", F_WK_MANDATORY, BGP_ACT_TREAT_AS_WITHDRAW,
         ERR_UPDATE_ASPATH, aspath_decode, aspath_encode, aspath_format},
        {BGP_ATTR_NEXT_HOP, "NEXT_HOP", F_WK_MANDATORY,
         BGP_ACT_TREAT_AS_WITHDRAW, ERR_UPDATE_NEXTHOP, nexthop_decode,
         nexthop_encode, addr_format},
        {BGP_ATTR_MED, "MULTI_EXIT_DISC", F_OPT_NONTRANS,
         BGP_ACT_TREAT_AS_WITHDRAW, ERR_UPDATE_OPTATTR, u32_decode, u32_encode,
         u32_format},
        /* RFC 7606 7.5: treat-as-withdraw on iBGP (discard on eBGP; the
         * codec does not know which, so the stronger action) */
        {BGP_ATTR_LOCAL_PREF, "LOCAL_PREF", F_WK_MANDATORY,
         BGP_ACT_TREAT_AS_WITHDRAW, ERR_UPDATE_LENGTH, u32_decode, u32_encode,
         u32_format},
        {BGP_ATTR_ATOMIC_AGGREGATE, "ATOMIC_AGGREGATE", F_WK_MANDATORY,
         BGP_ACT_ATTR_DISCARD, ERR_UPDATE_LENGTH, empty_decode, empty_encode,
         empty_format},
        {BGP_ATTR_AGGREGATOR, "AGGREGATOR", F_OPT_TRANS, BGP_ACT_ATTR_DISCARD,
         ERR_UPDATE_LENGTH, aggregator_decode, aggregator_encode,
         aggregator_format},
        {BGP_ATTR_COMMUNITIES, "COMMUNITIES", F_OPT_TRANS,
         BGP_ACT_TREAT_AS_WITHDRAW, ERR_UPDATE_OPTATTR, list_decode,
         list_encode, community_format},
        {BGP_ATTR_ORIGINATOR_ID, "ORIGINATOR_ID", F_OPT_NONTRANS,
         BGP_ACT_TREAT_AS_WITHDRAW, ERR_UPDATE_OPTATTR, u32_decode, u32_encode,
         id_format},
        {BGP_ATTR_CLUSTER_LIST, "CLUSTER_LIST", F_OPT_NONTRANS,
         BGP_ACT_TREAT_AS_WITHDRAW, ERR_UPDATE_OPTATTR, list_decode,
         list_encode, cluster_format},
        {BGP_ATTR_MP_REACH, "MP_REACH_NLRI", F_OPT_NONTRANS,
         BGP_ACT_SESSION_RESET, ERR_UPDATE_OPTATTR, mp_decode, mp_encode,
         mp_format},
        {BGP_ATTR_MP_UNREACH, "MP_UNREACH_NLRI", F_OPT_NONTRANS,
         BGP_ACT_SESSION_RESET, ERR_UPDATE_OPTATTR, mp_decode, mp_encode,
         mp_format},
        {BGP_ATTR_EXT_COMMUNITIES, "EXTENDED_COMMUNITIES", F_OPT_TRANS,
         BGP_ACT_TREAT_AS_WITHDRAW, ERR_UPDATE_OPTATTR, extcomm_decode, NULL,
         NULL},
        /* RFC 6793 6: a malformed AS4_PATH / AS4_AGGREGATOR is discarded */
        {BGP_ATTR_AS4_PATH, "AS4_PATH", F_OPT_TRANS, BGP_ACT_ATTR_DISCARD,
         ERR_UPDATE_OPTATTR, aspath_decode, aspath_encode, aspath_format},
        {BGP_ATTR_AS4_AGGREGATOR, "AS4_AGGREGATOR", F_OPT_TRANS,
         BGP_ACT_ATTR_DISCARD, ERR_UPDATE_OPTATTR, aggregator_decode,
         aggregator_encode, aggregator_format},
        {BGP_ATTR_LARGE_COMMUNITIES, "LARGE_COMMUNITY", F_OPT_TRANS,
         BGP_ACT_TREAT_AS_WITHDRAW, ERR_UPDATE_OPTATTR, largecomm_decode,
         list_encode, largecomm_format},
};

const struct attr_desc *
wire_attr_desc(uint8_t code)
{
	size_t i;
	for (i = 0; i < sizeof(attr_table) / sizeof(attr_table[0]); i++)
		if (attr_table[i].code == code)
			return &attr_table[i];
	return NULL;
}

const char *
bgp_attr_name(unsigned code)
{
	const struct attr_desc *d =
	        code < 256 ? wire_attr_desc((uint8_t)code) : NULL;
	return d ? d->name : NULL;
}

const char *
bgp_attr_str(const struct bgp_attr *a, char *buf, size_t len)
{
	const struct attr_desc *d = wire_attr_desc(a->code);

	if (d && d->format && a->decoded)
		d->format(a, buf, len);
	else
		snprintf(buf, len, "(%u bytes)", a->len);
	return buf;
}

const struct bgp_attr *
bgp_update_attr(const struct bgp_update *u, uint8_t code)
{
	size_t i;
	for (i = 0; i < u->nattrs; i++)
		if (u->attrs[i].code == code)
			return &u->attrs[i];
	return NULL;
}

/* ---------------------------------------------------------- UPDATE */

/* Keep the strongest RFC 7606 action seen (and the first error for it). */
static int
note_error(struct bgp_update *u, const struct bgp_error *e,
           struct bgp_error *err)
{
	if (e->action == BGP_ACT_SESSION_RESET) {
		*err = *e;
		return -1;
	}
	if (e->action > u->action) {
		u->action = e->action;
		u->err = *e;
	}
	return 0;
}

/* RFC 4271 4.3 / 6.3: the flags an attribute row demands.  Well-known and
 * optional non-transitive attributes must have Partial clear. */
static bool
flags_ok(const struct attr_desc *d, uint8_t flags)
{
	uint8_t ot = flags & (BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE);

	if (ot != d->flags)
		return false;
	if ((flags & BGP_ATTR_F_PARTIAL) && d->flags != F_OPT_TRANS)
		return false;
	return true;
}

/* One attribute's value: the row's checks, RFC 7606 3 (c) for flags. */
static int
attr_value(struct bgp_update *u, struct bgp_attr *at, struct rd *v,
           const struct bgp_codec *c, struct rr_arena *a, struct bgp_error *err,
           bool *keep)
{
	const struct attr_desc *d = wire_attr_desc(at->code);
	struct bgp_error e;
	int rc;

	*keep = true;
	if (!d) {
		if (!(at->flags & BGP_ATTR_F_OPTIONAL)) {
			/* RFC 4271 6.3: data is the attribute */
			wire_err(err, ERR_UPDATE, ERR_UPDATE_UNKNOWN_WELLKNOWN,
			         BGP_ACT_SESSION_RESET,
			         "unrecognized well-known attribute");
			err->attr = at->code;
			return -1;
		}
		return 0; /* optional: kept raw (RFC 4271 5) */
	}
	wire_err(&e, ERR_UPDATE, 0, d->on_error, NULL);
	e.attr = at->code;
	if (!flags_ok(d, at->flags)) {
		e.subcode = ERR_UPDATE_FLAGS;
		e.what = "attribute flags conflict with the type code";
		rc = -1;
	} else if (d->decode) {
		rc = d->decode(v, c, a, at, &e);
		if (rc < 0 && !e.subcode)
			e.subcode = d->subcode;
		if (rc < 0 && !e.what)
			e.what = "malformed attribute value";
	} else {
		rc = 1;
	}
	if (rc >= 0) {
		at->decoded = rc == 0 && d->encode;
		return 0;
	}
	memset(&at->u, 0, sizeof(at->u));
	if (e.action == BGP_ACT_ATTR_DISCARD)
		*keep = false;
	return note_error(u, &e, err);
}

/* RFC 4271 4.3 path attributes; RFC 7606 4 for lengths, 3 (g) duplicates */
static int
attrs_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
             struct bgp_update *u, struct bgp_error *err)
{
	uint8_t seen[32];
	size_t cap = 0;
	struct bgp_error e;

	memset(seen, 0, sizeof(seen));
	while (rd_left(r) > 0) {
		struct bgp_attr at;
		struct rd v;
		uint8_t flags, code, l8;
		uint16_t len;
		bool keep;

		memset(&at, 0, sizeof(at));
		if (rd_u8(r, &flags) < 0 || rd_u8(r, &code) < 0)
			goto overrun;
		if (flags & BGP_ATTR_F_EXTLEN) {
			if (rd_u16(r, &len) < 0)
				goto overrun;
		} else {
			if (rd_u8(r, &l8) < 0)
				goto overrun;
			len = l8;
		}
		if (rd_sub(r, len, &v) < 0)
			goto overrun;
		at.flags = flags;
		at.code = code;
		at.len = len;
		at.raw = v.p;
		if (seen[code / 8] & (1u << (code % 8))) {
			bool mp = code == BGP_ATTR_MP_REACH ||
			          code == BGP_ATTR_MP_UNREACH;
			wire_err(&e, ERR_UPDATE, ERR_UPDATE_ATTRLIST,
			         mp ? BGP_ACT_SESSION_RESET
			            : BGP_ACT_ATTR_DISCARD,
			         "attribute appears more than once");
			e.attr = code;
			if (note_error(u, &e, err) < 0)
				return -1;
			continue;
		}
		seen[code / 8] = (uint8_t)(seen[code / 8] | (1u << (code % 8)));
		if (attr_value(u, &at, &v, c, a, err, &keep) < 0)
			return -1;
		if (keep)
			*(struct bgp_attr *)RR_PUSH(a, u->attrs, u->nattrs,
			                            cap) = at;
	}
	return 0;
overrun:
	/* RFC 7606 4: an attribute overrunning Total Path Attribute Length,
	 * or too few octets left for one: treat-as-withdraw, and the NLRI is
	 * found through the total length */
	wire_err(&e, ERR_UPDATE, ERR_UPDATE_ATTRLIST, BGP_ACT_TREAT_AS_WITHDRAW,
	         "attribute overruns the path attributes");
	return note_error(u, &e, err);
}

/* RFC 4271 6.3 / RFC 7606 3 (d): mandatory attributes when reachability
 * is carried; NEXT_HOP only for NLRI in the IPv4 field (RFC 4760 3). */
static void
mandatory_check(struct bgp_update *u, bool mp_reach)
{
	static const uint8_t need[] = {BGP_ATTR_ORIGIN, BGP_ATTR_AS_PATH,
	                               BGP_ATTR_NEXT_HOP};
	struct bgp_error e, dummy;
	size_t i;

	if (!u->nnlri && !mp_reach)
		return;
	if (u->action == BGP_ACT_TREAT_AS_WITHDRAW)
		return;
	for (i = 0; i < sizeof(need); i++) {
		if (need[i] == BGP_ATTR_NEXT_HOP && !u->nnlri)
			continue;
		if (bgp_update_attr(u, need[i]))
			continue;
		wire_err(&e, ERR_UPDATE, ERR_UPDATE_MISSING_WELLKNOWN,
		         BGP_ACT_TREAT_AS_WITHDRAW,
		         "missing well-known mandatory attribute");
		e.attr = need[i];
		e.data[0] = need[i];
		e.ndata = 1;
		(void)note_error(u, &e, &dummy);
		return;
	}
}

int
wire_update_decode(struct rd *r, const struct bgp_codec *c, struct rr_arena *a,
                   struct bgp_update *u, struct bgp_error *err)
{
	struct bgp_codec none = {false, false, false, false};
	struct rd wd, at;
	uint16_t wlen, alen;
	const struct bgp_attr *unreach;

	if (!c)
		c = &none;
	/* RFC 4271 6.3: lengths too large for the message */
	if (rd_u16(r, &wlen) < 0 || rd_sub(r, wlen, &wd) < 0 ||
	    rd_u16(r, &alen) < 0 || rd_sub(r, alen, &at) < 0) {
		wire_err(err, ERR_UPDATE, ERR_UPDATE_ATTRLIST,
		         BGP_ACT_SESSION_RESET,
		         "withdrawn or attribute length exceeds the message");
		return -1;
	}
	/* RFC 7606 5.3: a bad prefix in the fixed fields resets */
	if (wire_nlri_decode(&wd, RR_AF_INET, c->addpath_v4, a, &u->withdrawn,
	                     &u->nwithdrawn) < 0) {
		wire_err(err, ERR_UPDATE, ERR_UPDATE_NETWORK,
		         BGP_ACT_SESSION_RESET, "withdrawn prefix malformed");
		return -1;
	}
	if (attrs_decode(&at, c, a, u, err) < 0)
		return -1;
	if (wire_nlri_decode(r, RR_AF_INET, c->addpath_v4, a, &u->nlri,
	                     &u->nnlri) < 0) {
		wire_err(err, ERR_UPDATE, ERR_UPDATE_NETWORK,
		         BGP_ACT_SESSION_RESET, "NLRI prefix malformed");
		return -1;
	}
	mandatory_check(u, bgp_update_attr(u, BGP_ATTR_MP_REACH) != NULL);
	/* RFC 4724 2: End-of-RIB */
	unreach = bgp_update_attr(u, BGP_ATTR_MP_UNREACH);
	if (!u->nwithdrawn && !u->nnlri && !u->nattrs && !alen) {
		u->end_of_rib = true;
		u->end_afi = BGP_AFI_IPV4;
		u->end_safi = BGP_SAFI_UNICAST;
	} else if (!u->nwithdrawn && !u->nnlri && u->nattrs == 1 && unreach &&
	           unreach->decoded && !unreach->u.mp.nnlri &&
	           !unreach->u.mp.rawlen) {
		u->end_of_rib = true;
		u->end_afi = unreach->u.mp.afi;
		u->end_safi = unreach->u.mp.safi;
	}
	return 0;
}

/* Flags, type, length (1 or 2 octets: RFC 4271 4.3 Extended Length) and
 * the value.  A value over 255 octets forces the Extended Length bit. */
static void
attr_encode(struct wr *w, const struct bgp_codec *c, const struct bgp_attr *at)
{
	const struct attr_desc *d = wire_attr_desc(at->code);
	bool ext = at->flags & BGP_ATTR_F_EXTLEN;
	size_t flagoff = w->off, lenoff, start, vlen;

	wr_u8(w, at->flags);
	wr_u8(w, at->code);
	lenoff = w->off;
	if (ext)
		wr_u16(w, 0);
	else
		wr_u8(w, 0);
	start = w->off;
	if (at->decoded && d && d->encode)
		d->encode(w, c, at);
	else
		wr_bytes(w, at->raw, at->len);
	if (w->overflow)
		return;
	vlen = w->off - start;
	if (vlen > 0xffff) {
		w->overflow = true;
		return;
	}
	if (!ext && vlen > 255) {
		if (!wr_room(w, 1))
			return;
		memmove(&w->p[start + 1], &w->p[start], vlen);
		w->off++;
		wr_patch_u8(w, flagoff,
		            (uint8_t)(at->flags | BGP_ATTR_F_EXTLEN));
		ext = true;
	}
	if (ext)
		wr_patch_u16(w, lenoff, (uint16_t)vlen);
	else
		wr_patch_u8(w, lenoff, (uint8_t)vlen);
}

void
wire_update_encode(struct wr *w, const struct bgp_codec *c,
                   const struct bgp_update *u)
{
	struct bgp_codec none = {false, false, false, false};
	size_t lenoff, start, i;

	if (!c)
		c = &none;
	lenoff = w->off;
	wr_u16(w, 0);
	start = w->off;
	wire_nlri_encode(w, c->addpath_v4, u->withdrawn, u->nwithdrawn);
	if (w->off - start > 0xffff)
		w->overflow = true;
	wr_patch_u16(w, lenoff, (uint16_t)(w->off - start));
	lenoff = w->off;
	wr_u16(w, 0);
	start = w->off;
	for (i = 0; i < u->nattrs; i++)
		attr_encode(w, c, &u->attrs[i]);
	if (w->off - start > 0xffff)
		w->overflow = true;
	wr_patch_u16(w, lenoff, (uint16_t)(w->off - start));
	wire_nlri_encode(w, c->addpath_v4, u->nlri, u->nnlri);
}
