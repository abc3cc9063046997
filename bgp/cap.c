/*
 * Capabilities (RFC 5492): one descriptor row per capability code with
 * its decoder, encoder and printer.  Codes without a row are kept raw and
 * written back as received.
 *
 * RFC 4760 8 (multiprotocol), RFC 2918 2 (route refresh), RFC 8654 3
 * (extended message), RFC 9234 4.1 (role), RFC 4724 3 (graceful restart),
 * RFC 6793 3 (4-octet AS), RFC 7911 4 (ADD-PATH), RFC 7313 3 (enhanced
 * route refresh), draft-walton-bgp-hostname-capability 3 (FQDN); kept
 * raw but printed: RFC 8950 3 (extended next hop), RFC 9494 3 (long-lived
 * graceful restart), draft-abraitis-bgp-version-capability 3.  A
 * recognized capability whose value is malformed is an OPEN error with
 * subcode 0 (RFC 4271 6.2, "recognized, but is malformed").
 */
#include "bgp/wire.h"

#include <stdio.h>
#include <string.h>

static int
cap_empty_decode(struct rd *r, struct rr_arena *a, struct bgp_cap *out)
{
	(void)a;
	(void)out;
	return rd_left(r) == 0 ? 0 : -1;
}

static void
cap_empty_encode(struct wr *w, const struct bgp_cap *in)
{
	(void)w;
	(void)in;
}

static void
cap_name_format(const struct bgp_cap *in, char *buf, size_t len)
{
	(void)in;
	if (len)
		buf[0] = '\0';
}

/* RFC 4760 8: AFI, reserved, SAFI */
static int
cap_mp_decode(struct rd *r, struct rr_arena *a, struct bgp_cap *out)
{
	(void)a;
	if (rd_left(r) != 4 || rd_u16(r, &out->u.mp.afi) < 0 ||
	    rd_u8(r, &out->u.mp.flags) < 0 || rd_u8(r, &out->u.mp.safi) < 0)
		return -1;
	return 0;
}

static void
cap_mp_encode(struct wr *w, const struct bgp_cap *in)
{
	wr_u16(w, in->u.mp.afi);
	wr_u8(w, in->u.mp.flags);
	wr_u8(w, in->u.mp.safi);
}

static void
cap_mp_format(const struct bgp_cap *in, char *buf, size_t len)
{
	bgp_afisafi_str(in->u.mp.afi, in->u.mp.safi, buf, len);
}

static int
cap_u8_decode(struct rd *r, struct rr_arena *a, struct bgp_cap *out)
{
	(void)a;
	return rd_left(r) == 1 ? rd_u8(r, &out->u.role) : -1;
}

static void
cap_u8_encode(struct wr *w, const struct bgp_cap *in)
{
	wr_u8(w, in->u.role);
}

static void
cap_role_format(const struct bgp_cap *in, char *buf, size_t len)
{
	/* RFC 9234 4.1 */
	static const char *const roles[] = {"provider", "rs", "rs-client",
	                                    "customer", "peer"};
	if (in->u.role < sizeof(roles) / sizeof(roles[0]))
		snprintf(buf, len, "%s", roles[in->u.role]);
	else
		snprintf(buf, len, "%u", in->u.role);
}

/* RFC 6793 3 */
static int
cap_as4_decode(struct rd *r, struct rr_arena *a, struct bgp_cap *out)
{
	(void)a;
	return rd_left(r) == 4 ? rd_u32(r, &out->u.as4) : -1;
}

static void
cap_as4_encode(struct wr *w, const struct bgp_cap *in)
{
	wr_u32(w, in->u.as4);
}

static void
cap_as4_format(const struct bgp_cap *in, char *buf, size_t len)
{
	snprintf(buf, len, "%u", in->u.as4);
}

/* AFI(2) SAFI(1) flags(1) tuples: RFC 4724 3, RFC 7911 4 */
static int
tuples_decode(struct rd *r, struct bgp_afs *v, size_t *n)
{
	*n = 0;
	if (rd_left(r) % 4)
		return -1;
	while (rd_left(r) > 0) {
		struct bgp_afs t;
		if (rd_u16(r, &t.afi) < 0 || rd_u8(r, &t.safi) < 0 ||
		    rd_u8(r, &t.flags) < 0)
			return -1;
		if (*n == BGP_CAP_MAX_TUPLES)
			return 1; /* well formed, but kept raw */
		v[(*n)++] = t;
	}
	return 0;
}

static void
tuples_encode(struct wr *w, const struct bgp_afs *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		wr_u16(w, v[i].afi);
		wr_u8(w, v[i].safi);
		wr_u8(w, v[i].flags);
	}
}

/* GR: the F bit is the top bit of the flags (RFC 4724 3); ADD-PATH: the
 * Send/Receive value 1..3 (RFC 7911 4) */
static void
tuples_format(const struct bgp_afs *v, size_t n, const char *const *flagnames,
              bool gr, char *buf, size_t len)
{
	size_t i, off = strlen(buf);
	char af[32];

	for (i = 0; i < n && off < len; i++) {
		const char *f = flagnames[gr ? (v[i].flags & 0x80 ? 1 : 0)
		                             : v[i].flags & 3];
		int k = snprintf(
		        buf + off, len - off, "%s%s%s%s", off ? " " : "",
		        bgp_afisafi_str(v[i].afi, v[i].safi, af, sizeof(af)),
		        *f ? ":" : "", f);
		if (k < 0)
			return;
		off += (size_t)k;
	}
}

static int
cap_gr_decode(struct rd *r, struct rr_arena *a, struct bgp_cap *out)
{
	uint16_t v;
	(void)a;
	if (rd_u16(r, &v) < 0)
		return -1;
	out->u.gr.flags = (uint8_t)(v >> 12);
	out->u.gr.time = v & 0x0fff;
	return tuples_decode(r, out->u.gr.afs, &out->u.gr.n);
}

static void
cap_gr_encode(struct wr *w, const struct bgp_cap *in)
{
	wr_u16(w, (uint16_t)((unsigned)(in->u.gr.flags & 0xf) << 12 |
	                     (in->u.gr.time & 0x0fff)));
	tuples_encode(w, in->u.gr.afs, in->u.gr.n);
}

static void
cap_gr_format(const struct bgp_cap *in, char *buf, size_t len)
{
	static const char *const fl[] = {"", "forwarding"};
	/* RFC 4724 3 "R" (restart state) is the top bit; RFC 8538 "N" next */
	snprintf(buf, len, "restart-time %u%s%s", in->u.gr.time,
	         in->u.gr.flags & 8 ? " restarting" : "",
	         in->u.gr.flags & 4 ? " notification" : "");
	tuples_format(in->u.gr.afs, in->u.gr.n, fl, true, buf, len);
}

static int
cap_addpath_decode(struct rd *r, struct rr_arena *a, struct bgp_cap *out)
{
	(void)a;
	return tuples_decode(r, out->u.addpath.afs, &out->u.addpath.n);
}

static void
cap_addpath_encode(struct wr *w, const struct bgp_cap *in)
{
	tuples_encode(w, in->u.addpath.afs, in->u.addpath.n);
}

static void
cap_addpath_format(const struct bgp_cap *in, char *buf, size_t len)
{
	static const char *const fl[] = {"none", "receive", "send",
	                                 "send/receive"};
	if (len)
		buf[0] = '\0';
	tuples_format(in->u.addpath.afs, in->u.addpath.n, fl, false, buf, len);
}

/* draft-walton-bgp-hostname-capability 3: len, host, len, domain */
static int
cap_fqdn_decode(struct rd *r, struct rr_arena *a, struct bgp_cap *out)
{
	const uint8_t *h, *d;

	if (rd_u8(r, &out->u.fqdn.hostlen) < 0 ||
	    rd_bytes(r, out->u.fqdn.hostlen, &h) < 0 ||
	    rd_u8(r, &out->u.fqdn.domainlen) < 0 ||
	    rd_bytes(r, out->u.fqdn.domainlen, &d) < 0 || rd_left(r) != 0)
		return 1; /* not what the draft says: keep raw, no error */
	out->u.fqdn.host =
	        rr_arena_strndup(a, (const char *)h, out->u.fqdn.hostlen);
	out->u.fqdn.domain =
	        rr_arena_strndup(a, (const char *)d, out->u.fqdn.domainlen);
	return 0;
}

static void
cap_fqdn_encode(struct wr *w, const struct bgp_cap *in)
{
	wr_u8(w, in->u.fqdn.hostlen);
	wr_bytes(w, in->u.fqdn.host, in->u.fqdn.hostlen);
	wr_u8(w, in->u.fqdn.domainlen);
	wr_bytes(w, in->u.fqdn.domain, in->u.fqdn.domainlen);
}

static void
cap_fqdn_format(const struct bgp_cap *in, char *buf, size_t len)
{
	size_t i, o = 0;
	const char *parts[2] = {in->u.fqdn.host, in->u.fqdn.domain};

	/* printable ASCII only: the name comes from the peer */
	for (i = 0; i < 2; i++) {
		const char *s = parts[i];
		if (i == 1 && *s && o + 1 < len)
			buf[o++] = '.';
		for (; *s && o + 1 < len; s++)
			buf[o++] = (*s > 0x20 && *s < 0x7f) ? *s : '?';
	}
	if (len)
		buf[o < len ? o : len - 1] = '\0';
}

/* ---- capabilities kept raw, printed from their bytes: a well-formed
 * value as its fields, anything else as its length */

static void
afs_str(uint16_t afi, uint16_t safi, char *buf, size_t len)
{
	if (safi < 256)
		bgp_afisafi_str(afi, (uint8_t)safi, buf, len);
	else
		snprintf(buf, len, "afi-%u-safi-%u", afi, safi);
}

/* append ", " (after the first) and s; false when it does not fit */
static bool
put_item(char *buf, size_t len, size_t *o, const char *s)
{
	int k = snprintf(buf + *o, len - *o, "%s%s", *o ? ", " : "", s);
	if (k < 0 || (size_t)k >= len - *o)
		return false;
	*o += (size_t)k;
	return true;
}

static void
raw_len(const struct bgp_cap *in, char *buf, size_t len)
{
	snprintf(buf, len, "(%u bytes)", in->len);
}

/* RFC 8950 3: <NLRI AFI (2), NLRI SAFI (2), Nexthop AFI (2)>, repeated */
static void
cap_extnh_format(const struct bgp_cap *in, char *buf, size_t len)
{
	struct rd r = rd_make(in->raw, in->len);
	uint16_t afi, safi, nh;
	size_t o = 0;
	char a[48], t[96];

	if (!in->len || in->len % 6) {
		raw_len(in, buf, len);
		return;
	}
	while (rd_u16(&r, &afi) == 0 && rd_u16(&r, &safi) == 0 &&
	       rd_u16(&r, &nh) == 0) {
		afs_str(afi, safi, a, sizeof(a));
		if (nh == BGP_AFI_IPV4 || nh == BGP_AFI_IPV6)
			snprintf(t, sizeof(t), "%s via %s", a,
			         nh == BGP_AFI_IPV4 ? "ipv4" : "ipv6");
		else
			snprintf(t, sizeof(t), "%s via afi-%u", a, nh);
		if (!put_item(buf, len, &o, t)) {
			raw_len(in, buf, len);
			return;
		}
	}
}

/* RFC 9494 3: <AFI (2), SAFI (1), Flags (1), Long-lived Stale Time (3)>,
 * repeated; the F bit (0x80) says forwarding state was preserved */
static void
cap_llgr_format(const struct bgp_cap *in, char *buf, size_t len)
{
	struct rd r = rd_make(in->raw, in->len);
	const uint8_t *st;
	uint16_t afi;
	uint8_t safi, flags;
	size_t o = 0;
	char a[48], t[96];

	if (in->len % 7) {
		raw_len(in, buf, len);
		return;
	}
	if (!in->len && len)
		buf[0] = '\0';
	while (rd_u16(&r, &afi) == 0 && rd_u8(&r, &safi) == 0 &&
	       rd_u8(&r, &flags) == 0 && rd_bytes(&r, 3, &st) == 0) {
		afs_str(afi, safi, a, sizeof(a));
		snprintf(t, sizeof(t), "%s stale-time %u%s", a,
		         (unsigned)st[0] << 16 | (unsigned)st[1] << 8 | st[2],
		         flags & 0x80 ? " forwarding" : "");
		if (!put_item(buf, len, &o, t)) {
			raw_len(in, buf, len);
			return;
		}
	}
}

/* draft-abraitis-bgp-version-capability 3: Version Length (1), Version;
 * printable ASCII only, the text comes from the peer */
static void
cap_softver_format(const struct bgp_cap *in, char *buf, size_t len)
{
	size_t i, n, o = 0;

	if (!in->len || (size_t)in->raw[0] + 1 != in->len) {
		raw_len(in, buf, len);
		return;
	}
	n = in->raw[0];
	for (i = 0; i < n && o + 1 < len; i++) {
		uint8_t ch = in->raw[1 + i];
		buf[o++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	if (len)
		buf[o < len ? o : len - 1] = '\0';
}

static const struct cap_desc cap_table[] = {
        {BGP_CAP_MP, "multiprotocol", cap_mp_decode, cap_mp_encode,
         cap_mp_format},
        {BGP_CAP_ROUTE_REFRESH, "route-refresh", cap_empty_decode,
         cap_empty_encode, cap_name_format},
        {BGP_CAP_EXT_NEXTHOP, "extended-nexthop", NULL, NULL, cap_extnh_format},
        {BGP_CAP_EXT_MESSAGE, "extended-message", cap_empty_decode,
         cap_empty_encode, cap_name_format},
        {BGP_CAP_ROLE, "role", cap_u8_decode, cap_u8_encode, cap_role_format},
        {BGP_CAP_GRACEFUL_RESTART, "graceful-restart", cap_gr_decode,
         cap_gr_encode, cap_gr_format},
        {BGP_CAP_AS4, "4-octet-as", cap_as4_decode, cap_as4_encode,
         cap_as4_format},
        {BGP_CAP_DYNAMIC, "dynamic", NULL, NULL, NULL},
        {BGP_CAP_ADD_PATH, "add-path", cap_addpath_decode, cap_addpath_encode,
         cap_addpath_format},
        {BGP_CAP_ENHANCED_RR, "enhanced-route-refresh", cap_empty_decode,
         cap_empty_encode, cap_name_format},
        {BGP_CAP_LLGR, "long-lived-graceful-restart", NULL, NULL,
         cap_llgr_format},
        {BGP_CAP_FQDN, "fqdn", cap_fqdn_decode, cap_fqdn_encode,
         cap_fqdn_format},
        {BGP_CAP_SOFT_VERSION, "software-version", NULL, NULL,
         cap_softver_format},
        {BGP_CAP_CISCO_RR, "cisco-route-refresh", cap_empty_decode,
         cap_empty_encode, cap_name_format},
};

const struct cap_desc *
wire_cap_desc(uint8_t code)
{
	size_t i;
	for (i = 0; i < sizeof(cap_table) / sizeof(cap_table[0]); i++)
		if (cap_table[i].code == code)
			return &cap_table[i];
	return NULL;
}

const char *
bgp_cap_name(unsigned code)
{
	const struct cap_desc *d =
	        code < 256 ? wire_cap_desc((uint8_t)code) : NULL;
	return d ? d->name : NULL;
}

const char *
bgp_cap_str(const struct bgp_cap *c, char *buf, size_t len)
{
	const struct cap_desc *d = wire_cap_desc(c->code);
	char val[256] = "";
	int k;

	/* a row without a decoder prints from the raw bytes */
	if (d && d->format && (c->decoded || (!d->decode && c->raw)))
		d->format(c, val, sizeof(val));
	else if (c->len)
		snprintf(val, sizeof(val), "(%u bytes)", c->len);
	if (d)
		k = snprintf(buf, len, "%s%s%s", d->name, *val ? " " : "", val);
	else
		k = snprintf(buf, len, "capability-%u%s%s", c->code,
		             *val ? " " : "", val);
	(void)k;
	return buf;
}

/* RFC 5492 4: Capability Code, Length, Value, repeated */
int
wire_caps_decode(struct rd *r, struct rr_arena *a, struct bgp_optparam *p,
                 struct bgp_error *err)
{
	size_t cap = 0;

	while (rd_left(r) > 0) {
		struct bgp_cap *c;
		const struct cap_desc *d;
		struct rd v;
		uint8_t code, len;
		int rc;

		if (rd_u8(r, &code) < 0 || rd_u8(r, &len) < 0 ||
		    rd_sub(r, len, &v) < 0) {
			wire_err(err, ERR_OPEN, ERR_OPEN_UNSPEC,
			         BGP_ACT_SESSION_RESET,
			         "capability overruns its parameter");
			return -1;
		}
		c = RR_PUSH(a, p->caps, p->ncaps, cap);
		c->code = code;
		c->len = len;
		c->raw = v.p;
		d = wire_cap_desc(code);
		if (!d || !d->decode)
			continue;
		rc = d->decode(&v, a, c);
		if (rc < 0) {
			wire_err(err, ERR_OPEN, ERR_OPEN_UNSPEC,
			         BGP_ACT_SESSION_RESET,
			         "malformed capability value");
			err->data[0] = code;
			err->ndata = 1;
			return -1;
		}
		c->decoded = rc == 0;
		if (!c->decoded)
			memset(&c->u, 0, sizeof(c->u));
	}
	return 0;
}

void
wire_caps_encode(struct wr *w, const struct bgp_optparam *p)
{
	size_t i;

	for (i = 0; i < p->ncaps; i++) {
		const struct bgp_cap *c = &p->caps[i];
		const struct cap_desc *d = wire_cap_desc(c->code);
		size_t lenoff, start;

		wr_u8(w, c->code);
		lenoff = w->off;
		wr_u8(w, 0);
		start = w->off;
		if (c->decoded && d && d->encode)
			d->encode(w, c);
		else
			wr_bytes(w, c->raw, c->len);
		if (w->off - start > 255)
			w->overflow = true;
		else
			wr_patch_u8(w, lenoff, (uint8_t)(w->off - start));
	}
}
