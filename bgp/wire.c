/*
 * BGP messages on the wire: the header, OPEN, NOTIFICATION, KEEPALIVE and
 * ROUTE-REFRESH, and the printable names of every code.
 *
 * RFC 4271 4 (formats) and 6.1/6.2 (header and OPEN errors), RFC 5492
 * (capabilities optional parameter), RFC 9072 (extended optional parameter
 * length), RFC 2918 and RFC 7313 (ROUTE-REFRESH), RFC 8654 (extended
 * messages), RFC 4486/6608/7313 (NOTIFICATION codes).  UPDATE bodies are in
 * attr.c, capabilities in cap.c.  Every byte received is read through the
 * bounds-checked reader of wire.h; no length is trusted before it has been
 * checked against what is really there.
 */
#include "bgp/wire.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- names */

static const char *const msg_names[BGP_MSG_TYPE_COUNT] = {
        [BGP_MSG_OPEN] = "OPEN",
        [BGP_MSG_UPDATE] = "UPDATE",
        [BGP_MSG_NOTIFICATION] = "NOTIFICATION",
        [BGP_MSG_KEEPALIVE] = "KEEPALIVE",
        [BGP_MSG_ROUTE_REFRESH] = "ROUTE-REFRESH",
};

static const char *const err_names[ERR_CODE_COUNT] = {
        [ERR_HEADER] = "Message Header Error",
        [ERR_OPEN] = "OPEN Message Error",
        [ERR_UPDATE] = "UPDATE Message Error",
        [ERR_HOLD] = "Hold Timer Expired",
        [ERR_FSM] = "Finite State Machine Error",
        [ERR_CEASE] = "Cease",
        [ERR_REFRESH] = "ROUTE-REFRESH Message Error",
};

static const char *const suberr_header_names[ERR_HEADER_COUNT] = {
        [ERR_HEADER_UNSPEC] = "Unspecific",
        [ERR_HEADER_SYNC] = "Connection Not Synchronized",
        [ERR_HEADER_LENGTH] = "Bad Message Length",
        [ERR_HEADER_TYPE] = "Bad Message Type",
};

static const char *const suberr_open_names[ERR_OPEN_COUNT] = {
        [ERR_OPEN_UNSPEC] = "Unspecific",
        [ERR_OPEN_VERSION] = "Unsupported Version Number",
        [ERR_OPEN_PEER_AS] = "Bad Peer AS",
        [ERR_OPEN_BGPID] = "Bad BGP Identifier",
        [ERR_OPEN_OPTPARAM] = "Unsupported Optional Parameter",
        [ERR_OPEN_AUTH] = "Authentication Failure (deprecated)",
        [ERR_OPEN_HOLDTIME] = "Unacceptable Hold Time",
        [ERR_OPEN_CAPABILITY] = "Unsupported Capability",
        [ERR_OPEN_8] = "Deprecated (8)",
        [ERR_OPEN_9] = "Deprecated (9)",
        [ERR_OPEN_10] = "Deprecated (10)",
        [ERR_OPEN_ROLE] = "Role Mismatch",
};

static const char *const suberr_update_names[ERR_UPDATE_COUNT] = {
        [ERR_UPDATE_UNSPEC] = "Unspecific",
        [ERR_UPDATE_ATTRLIST] = "Malformed Attribute List",
        [ERR_UPDATE_UNKNOWN_WELLKNOWN] = "Unrecognized Well-known Attribute",
        [ERR_UPDATE_MISSING_WELLKNOWN] = "Missing Well-known Attribute",
        [ERR_UPDATE_FLAGS] = "Attribute Flags Error",
        [ERR_UPDATE_LENGTH] = "Attribute Length Error",
        [ERR_UPDATE_ORIGIN] = "Invalid ORIGIN Attribute",
        [ERR_UPDATE_LOOP] = "AS Routing Loop (deprecated)",
        [ERR_UPDATE_NEXTHOP] = "Invalid NEXT_HOP Attribute",
        [ERR_UPDATE_OPTATTR] = "Optional Attribute Error",
        [ERR_UPDATE_NETWORK] = "Invalid Network Field",
        [ERR_UPDATE_ASPATH] = "Malformed AS_PATH",
};

static const char *const suberr_fsm_names[ERR_FSM_COUNT] = {
        [ERR_FSM_UNSPEC] = "Unspecified Error",
        [ERR_FSM_OPENSENT] = "Receive Unexpected Message in OpenSent State",
        [ERR_FSM_OPENCONFIRM] =
                "Receive Unexpected Message in OpenConfirm State",
        [ERR_FSM_ESTABLISHED] =
                "Receive Unexpected Message in Established State",
};

static const char *const suberr_cease_names[ERR_CEASE_COUNT] = {
        [ERR_CEASE_UNSPEC] = "Unspecific",
        [ERR_CEASE_MAXPREFIX] = "Maximum Number of Prefixes Reached",
        [ERR_CEASE_ADMIN_SHUTDOWN] = "Administrative Shutdown",
        [ERR_CEASE_DECONFIGURED] = "Peer De-configured",
        [ERR_CEASE_ADMIN_RESET] = "Administrative Reset",
        [ERR_CEASE_REJECTED] = "Connection Rejected",
        [ERR_CEASE_CONFIG_CHANGE] = "Other Configuration Change",
        [ERR_CEASE_COLLISION] = "Connection Collision Resolution",
        [ERR_CEASE_RESOURCES] = "Out of Resources",
        [ERR_CEASE_HARD_RESET] = "Hard Reset",
        [ERR_CEASE_BFD_DOWN] = "BFD Down",
};

static const char *const suberr_refresh_names[ERR_REFRESH_COUNT] = {
        [ERR_REFRESH_RESERVED] = "Reserved",
        [ERR_REFRESH_LENGTH] = "Invalid Message Length",
};

static const struct {
	const char *const *names;
	size_t n;
} suberr_tables[ERR_CODE_COUNT] = {
        [ERR_HEADER] = {suberr_header_names, ERR_HEADER_COUNT},
        [ERR_OPEN] = {suberr_open_names, ERR_OPEN_COUNT},
        [ERR_UPDATE] = {suberr_update_names, ERR_UPDATE_COUNT},
        [ERR_FSM] = {suberr_fsm_names, ERR_FSM_COUNT},
        [ERR_CEASE] = {suberr_cease_names, ERR_CEASE_COUNT},
        [ERR_REFRESH] = {suberr_refresh_names, ERR_REFRESH_COUNT},
};

static const char *const action_names[BGP_ACT_COUNT] = {
        [BGP_ACT_NONE] = "none",
        [BGP_ACT_ATTR_DISCARD] = "attribute-discard",
        [BGP_ACT_TREAT_AS_WITHDRAW] = "treat-as-withdraw",
        [BGP_ACT_SESSION_RESET] = "session-reset",
};

const char *
bgp_msg_type_name(unsigned type)
{
	return type < BGP_MSG_TYPE_COUNT ? msg_names[type] : NULL;
}

const char *
bgp_err_name(unsigned code)
{
	return code < ERR_CODE_COUNT ? err_names[code] : NULL;
}

const char *
bgp_suberr_name(unsigned code, unsigned subcode)
{
	if (code >= ERR_CODE_COUNT)
		return NULL;
	if (code == ERR_HOLD)
		return subcode == 0 ? "" : NULL; /* RFC 4271 4.5: no subcodes */
	if (!suberr_tables[code].names || subcode >= suberr_tables[code].n)
		return NULL;
	return suberr_tables[code].names[subcode];
}

const char *
bgp_notif_str(unsigned code, unsigned subcode, char *buf, size_t len)
{
	const char *c = bgp_err_name(code), *s = bgp_suberr_name(code, subcode);

	if (!c)
		snprintf(buf, len, "error code %u subcode %u", code, subcode);
	else if (s && *s)
		snprintf(buf, len, "%s / %s", c, s);
	else if (s)
		snprintf(buf, len, "%s", c);
	else
		snprintf(buf, len, "%s / subcode %u", c, subcode);
	return buf;
}

const char *
bgp_action_name(enum bgp_action a)
{
	return (unsigned)a < BGP_ACT_COUNT ? action_names[a] : "?";
}

const char *
bgp_afisafi_str(uint16_t afi, uint8_t safi, char *buf, size_t len)
{
	const char *a = afi == BGP_AFI_IPV4   ? "ipv4"
	                : afi == BGP_AFI_IPV6 ? "ipv6"
	                                      : NULL;
	const char *s = safi == BGP_SAFI_UNICAST     ? "unicast"
	                : safi == BGP_SAFI_MULTICAST ? "multicast"
	                                             : NULL;

	if (a && s)
		snprintf(buf, len, "%s-%s", a, s);
	else
		snprintf(buf, len, "afi-%u-safi-%u", afi, safi);
	return buf;
}

void
wire_err(struct bgp_error *err, uint8_t code, uint8_t subcode,
         enum bgp_action act, const char *what)
{
	memset(err, 0, sizeof(*err));
	err->code = code;
	err->subcode = subcode;
	err->action = act;
	err->what = what;
}

static void
err_data16(struct bgp_error *err, uint16_t v)
{
	err->data[0] = (uint8_t)(v >> 8);
	err->data[1] = (uint8_t)v;
	err->ndata = 2;
}

/* --------------------------------------------------------------- header */

static size_t
max_len(uint8_t type, const struct bgp_codec *c)
{
	/* RFC 8654 4: OPEN and KEEPALIVE stay within 4096 */
	if (c && c->ext_msg && type != BGP_MSG_OPEN &&
	    type != BGP_MSG_KEEPALIVE)
		return BGP_EXT_MAX_LEN;
	return BGP_MAX_LEN;
}

/* RFC 4271 6.1: marker, length, type. */
static int
header_check(struct rd *r, const struct bgp_codec *c, uint16_t *len,
             uint8_t *type, struct bgp_error *err)
{
	const uint8_t *marker;
	size_t i;

	if (rd_bytes(r, 16, &marker) < 0 || rd_u16(r, len) < 0 ||
	    rd_u8(r, type) < 0) {
		wire_err(err, ERR_HEADER, ERR_HEADER_LENGTH,
		         BGP_ACT_SESSION_RESET, "short header");
		return -1;
	}
	for (i = 0; i < 16; i++)
		if (marker[i] != 0xff) {
			wire_err(err, ERR_HEADER, ERR_HEADER_SYNC,
			         BGP_ACT_SESSION_RESET, "marker not all ones");
			return -1;
		}
	if (*len < BGP_HEADER_LEN || *len > max_len(*type, c)) {
		wire_err(err, ERR_HEADER, ERR_HEADER_LENGTH,
		         BGP_ACT_SESSION_RESET, "length out of range");
		err_data16(err, *len);
		return -1;
	}
	return 0;
}

long
bgp_msg_frame(const uint8_t *buf, size_t len, const struct bgp_codec *c,
              struct bgp_error *err)
{
	struct rd r = rd_make(buf, len);
	uint16_t mlen;
	uint8_t type;

	if (len < BGP_HEADER_LEN)
		return 0;
	if (header_check(&r, c, &mlen, &type, err) < 0)
		return -1;
	return mlen;
}

long
bgp_msg_peek_len(const uint8_t *buf, size_t len)
{
	struct rd r = rd_make(buf, len);
	const uint8_t *marker;
	uint16_t n;

	if (len < BGP_HEADER_LEN || rd_bytes(&r, 16, &marker) < 0 ||
	    rd_u16(&r, &n) < 0)
		return -1;
	return n;
}

int
bgp_msg_peek_type(const uint8_t *buf, size_t len)
{
	struct rd r = rd_make(buf, len);
	const uint8_t *head;
	uint8_t type;

	if (rd_bytes(&r, BGP_HEADER_LEN - 1, &head) < 0 || rd_u8(&r, &type) < 0)
		return -1;
	return type;
}

/* RFC 4271 6.1: the length each type must have. */
static int
type_check(uint8_t type, uint16_t len, struct bgp_error *err)
{
	bool ok;

	switch (type) {
	case BGP_MSG_OPEN:
		ok = len >= 29;
		break;
	case BGP_MSG_UPDATE:
		ok = len >= 23;
		break;
	case BGP_MSG_NOTIFICATION:
		ok = len >= 21;
		break;
	case BGP_MSG_KEEPALIVE:
		ok = len == BGP_HEADER_LEN;
		break;
	case BGP_MSG_ROUTE_REFRESH:
		ok = len >= 23; /* RFC 2918 3 */
		break;
	default:
		wire_err(err, ERR_HEADER, ERR_HEADER_TYPE,
		         BGP_ACT_SESSION_RESET, "unknown message type");
		err->data[0] = type;
		err->ndata = 1;
		return -1;
	}
	if (!ok) {
		wire_err(err, ERR_HEADER, ERR_HEADER_LENGTH,
		         BGP_ACT_SESSION_RESET, "length wrong for the type");
		err_data16(err, len);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ OPEN */

/* RFC 4271 4.2, RFC 5492 4, RFC 9072 2 */
static int
open_decode(struct rd *r, struct rr_arena *a, struct bgp_open *o,
            struct bgp_error *err)
{
	uint8_t optlen8, ptype, next = 0;
	uint16_t optlen, plen;
	struct rd params, pr;
	size_t cap = 0;

	if (rd_u8(r, &o->version) < 0 || rd_u16(r, &o->my_as) < 0 ||
	    rd_u16(r, &o->hold) < 0 || rd_u32(r, &o->bgp_id) < 0 ||
	    rd_u8(r, &optlen8) < 0)
		goto len;
	optlen = optlen8;
	/* RFC 9072 2: Non-Ext OP Len 255 and Non-Ext OP Type 255 */
	if (optlen8 == 255 && rd_left(r) >= 3 && rd_peek_u8(r, &next) == 0 &&
	    next == 255) {
		if (rd_u8(r, &next) < 0 || rd_u16(r, &optlen) < 0)
			goto len;
		o->ext_params = true;
	}
	if (rd_left(r) != optlen)
		goto len;
	if (rd_sub(r, optlen, &params) < 0)
		goto len;
	while (rd_left(&params) > 0) {
		struct bgp_optparam *p;

		if (rd_u8(&params, &ptype) < 0)
			goto malformed;
		if (o->ext_params) {
			if (rd_u16(&params, &plen) < 0)
				goto malformed;
		} else {
			uint8_t l8;
			if (rd_u8(&params, &l8) < 0)
				goto malformed;
			plen = l8;
		}
		if (rd_sub(&params, plen, &pr) < 0)
			goto malformed;
		p = RR_PUSH(a, o->params, o->nparams, cap);
		p->type = ptype;
		p->len = plen;
		if (plen)
			p->raw = pr.p;
		if (ptype == 2 && wire_caps_decode(&pr, a, p, err) < 0)
			return -1;
	}
	return 0;
len:
	/* RFC 4271 6.2 leaves an inconsistent length open; like BIRD, a
	 * header length error carrying the message length */
	wire_err(err, ERR_HEADER, ERR_HEADER_LENGTH, BGP_ACT_SESSION_RESET,
	         "OPEN optional parameters length inconsistent");
	err_data16(err, (uint16_t)(r->len + BGP_HEADER_LEN));
	return -1;
malformed:
	/* RFC 4271 6.2: a recognized but malformed optional parameter */
	wire_err(err, ERR_OPEN, ERR_OPEN_UNSPEC, BGP_ACT_SESSION_RESET,
	         "optional parameter overruns the OPEN");
	return -1;
}

static void
open_encode(struct wr *w, const struct bgp_open *o)
{
	size_t lenoff, start, i;
	uint16_t optlen;

	wr_u8(w, o->version);
	wr_u16(w, o->my_as);
	wr_u16(w, o->hold);
	wr_u32(w, o->bgp_id);
	if (o->ext_params) {
		wr_u8(w, 255);
		wr_u8(w, 255);
		lenoff = w->off;
		wr_u16(w, 0);
	} else {
		lenoff = w->off;
		wr_u8(w, 0);
	}
	start = w->off;
	for (i = 0; i < o->nparams; i++) {
		const struct bgp_optparam *p = &o->params[i];
		size_t plenoff, pstart;

		wr_u8(w, p->type);
		plenoff = w->off;
		if (o->ext_params)
			wr_u16(w, 0);
		else
			wr_u8(w, 0);
		pstart = w->off;
		if (p->type == 2)
			wire_caps_encode(w, p);
		else
			wr_bytes(w, p->raw, p->len);
		if (o->ext_params)
			wr_patch_u16(w, plenoff, (uint16_t)(w->off - pstart));
		else if (w->off - pstart > 255)
			w->overflow = true;
		else
			wr_patch_u8(w, plenoff, (uint8_t)(w->off - pstart));
	}
	optlen = (uint16_t)(w->off - start);
	if (o->ext_params)
		wr_patch_u16(w, lenoff, optlen);
	else if (optlen > 255)
		w->overflow = true;
	else
		wr_patch_u8(w, lenoff, (uint8_t)optlen);
}

const struct bgp_cap *
bgp_open_cap(const struct bgp_open *o, uint8_t code)
{
	size_t i, j;

	for (i = 0; i < o->nparams; i++)
		for (j = 0; j < o->params[i].ncaps; j++)
			if (o->params[i].caps[j].code == code)
				return &o->params[i].caps[j];
	return NULL;
}

/* The n-th (afi, safi) of o's Multiprotocol capabilities: false past the
 * last.  An OPEN without any offers IPv4 unicast alone (RFC 4760 8). */
static bool
open_mp(const struct bgp_open *o, size_t n, struct bgp_afs *out)
{
	size_t i, j, k = 0;
	bool any = false;

	for (i = 0; i < o->nparams; i++)
		for (j = 0; j < o->params[i].ncaps; j++) {
			const struct bgp_cap *c = &o->params[i].caps[j];
			if (c->code != BGP_CAP_MP || !c->decoded)
				continue;
			any = true;
			if (k++ == n) {
				*out = c->u.mp;
				return true;
			}
		}
	if (any || n)
		return false;
	out->afi = BGP_AFI_IPV4;
	out->safi = BGP_SAFI_UNICAST;
	return true;
}

size_t
bgp_open_afs_common(const struct bgp_open *a, const struct bgp_open *b,
                    struct bgp_afs *out, size_t max)
{
	struct bgp_afs x, y;
	size_t i, j, k, n = 0;

	for (i = 0; open_mp(a, i, &x); i++)
		for (j = 0; open_mp(b, j, &y); j++) {
			if (x.afi != y.afi || x.safi != y.safi)
				continue;
			for (k = 0; k < n && k < max; k++)
				if (out[k].afi == x.afi && out[k].safi == x.safi)
					break;
			if (k < n)
				break; /* offered twice */
			if (n < max)
				out[n] = x;
			n++;
			break;
		}
	return n;
}

bool
bgp_open_afs_shared(const struct bgp_open *a, const struct bgp_open *b)
{
	return bgp_open_afs_common(a, b, NULL, 0) > 0;
}

uint32_t
bgp_open_asn(const struct bgp_open *o)
{
	const struct bgp_cap *c = bgp_open_cap(o, BGP_CAP_AS4);

	/* RFC 6793 4.1: the capability carries the real AS */
	if (c && c->decoded)
		return c->u.as4;
	return o->my_as;
}

static uint8_t
addpath_mode(const struct bgp_open *o, uint16_t afi, uint8_t safi)
{
	const struct bgp_cap *c = bgp_open_cap(o, BGP_CAP_ADD_PATH);
	size_t i;

	if (!c || !c->decoded)
		return 0;
	for (i = 0; i < c->u.addpath.n; i++)
		if (c->u.addpath.afs[i].afi == afi &&
		    c->u.addpath.afs[i].safi == safi)
			return c->u.addpath.afs[i].flags;
	return 0;
}

struct bgp_codec
bgp_codec_negotiate(const struct bgp_open *sender,
                    const struct bgp_open *receiver)
{
	struct bgp_codec c = {false, false, false, false};

	c.as4 = bgp_open_cap(sender, BGP_CAP_AS4) &&
	        bgp_open_cap(receiver, BGP_CAP_AS4);
	c.ext_msg = bgp_open_cap(sender, BGP_CAP_EXT_MESSAGE) &&
	            bgp_open_cap(receiver, BGP_CAP_EXT_MESSAGE);
	c.addpath_v4 = (addpath_mode(sender, BGP_AFI_IPV4, BGP_SAFI_UNICAST) &
	                BGP_ADDPATH_SEND) &&
	               (addpath_mode(receiver, BGP_AFI_IPV4, BGP_SAFI_UNICAST) &
	                BGP_ADDPATH_RECEIVE);
	c.addpath_v6 = (addpath_mode(sender, BGP_AFI_IPV6, BGP_SAFI_UNICAST) &
	                BGP_ADDPATH_SEND) &&
	               (addpath_mode(receiver, BGP_AFI_IPV6, BGP_SAFI_UNICAST) &
	                BGP_ADDPATH_RECEIVE);
	return c;
}

/* --------------------------------------------- NOTIFICATION, REFRESH */

/* RFC 4271 4.5 */
static int
notification_decode(struct rd *r, struct bgp_notification *n)
{
	if (rd_u8(r, &n->code) < 0 || rd_u8(r, &n->subcode) < 0)
		return -1;
	n->len = rd_left(r);
	return rd_bytes(r, n->len, &n->data);
}

/* RFC 2918 3, RFC 7313 3 and 5 */
static int
refresh_decode(struct rd *r, struct bgp_refresh *rr, struct bgp_error *err)
{
	if (rd_u16(r, &rr->afi) < 0 || rd_u8(r, &rr->subtype) < 0 ||
	    rd_u8(r, &rr->safi) < 0) {
		wire_err(err, ERR_HEADER, ERR_HEADER_LENGTH,
		         BGP_ACT_SESSION_RESET, "short ROUTE-REFRESH");
		return -1;
	}
	rr->restlen = rd_left(r);
	if (rr->restlen &&
	    (rr->subtype == BGP_RR_BORR || rr->subtype == BGP_RR_EORR)) {
		wire_err(err, ERR_REFRESH, ERR_REFRESH_LENGTH,
		         BGP_ACT_SESSION_RESET,
		         "BoRR/EoRR ROUTE-REFRESH longer than 4 bytes");
		return -1;
	}
	return rd_bytes(r, rr->restlen, &rr->rest);
}

/* ---------------------------------------------------------- whole msgs */

int
bgp_msg_decode(const uint8_t *buf, size_t len, const struct bgp_codec *c,
               struct rr_arena *scratch, struct bgp_msg *msg,
               struct bgp_error *err)
{
	struct rd r = rd_make(buf, len), body;
	uint16_t mlen;
	uint8_t type;

	memset(msg, 0, sizeof(*msg));
	memset(err, 0, sizeof(*err));
	if (header_check(&r, c, &mlen, &type, err) < 0)
		return -1;
	if (mlen != len) {
		/* the framer said otherwise: the length field lies */
		wire_err(err, ERR_HEADER, ERR_HEADER_LENGTH,
		         BGP_ACT_SESSION_RESET, "length field disagrees");
		err_data16(err, mlen);
		return -1;
	}
	if (type_check(type, mlen, err) < 0)
		return -1;
	msg->type = type;
	msg->len = mlen;
	if (rd_sub(&r, rd_left(&r), &body) < 0)
		RR_BUG("reader");
	switch (type) {
	case BGP_MSG_OPEN:
		return open_decode(&body, scratch, &msg->u.open, err);
	case BGP_MSG_UPDATE:
		return wire_update_decode(&body, c, scratch, &msg->u.update,
		                          err);
	case BGP_MSG_NOTIFICATION:
		return notification_decode(&body, &msg->u.notification);
	case BGP_MSG_KEEPALIVE:
		return 0;
	case BGP_MSG_ROUTE_REFRESH:
		return refresh_decode(&body, &msg->u.refresh, err);
	}
	RR_BUG("type_check let an unknown type through");
}

long
bgp_msg_encode(const struct bgp_msg *msg, const struct bgp_codec *c,
               uint8_t *buf, size_t cap)
{
	struct wr w = wr_make(buf, cap);
	static const uint8_t marker[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                                   0xff, 0xff, 0xff, 0xff};

	wr_bytes(&w, marker, sizeof(marker));
	wr_u16(&w, 0);
	wr_u8(&w, msg->type);
	switch (msg->type) {
	case BGP_MSG_OPEN:
		open_encode(&w, &msg->u.open);
		break;
	case BGP_MSG_UPDATE:
		wire_update_encode(&w, c, &msg->u.update);
		break;
	case BGP_MSG_NOTIFICATION:
		wr_u8(&w, msg->u.notification.code);
		wr_u8(&w, msg->u.notification.subcode);
		wr_bytes(&w, msg->u.notification.data, msg->u.notification.len);
		break;
	case BGP_MSG_KEEPALIVE:
		break;
	case BGP_MSG_ROUTE_REFRESH:
		wr_u16(&w, msg->u.refresh.afi);
		wr_u8(&w, msg->u.refresh.subtype);
		wr_u8(&w, msg->u.refresh.safi);
		wr_bytes(&w, msg->u.refresh.rest, msg->u.refresh.restlen);
		break;
	default:
		return -1;
	}
	if (w.overflow || w.off > max_len(msg->type, c))
		return -1;
	wr_patch_u16(&w, 16, (uint16_t)w.off);
	return (long)w.off;
}

long
bgp_encode_keepalive(uint8_t *buf, size_t cap)
{
	struct bgp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_KEEPALIVE;
	return bgp_msg_encode(&m, NULL, buf, cap);
}

long
bgp_encode_notification(uint8_t code, uint8_t subcode, const uint8_t *data,
                        size_t ndata, uint8_t *buf, size_t cap)
{
	struct bgp_msg m;

	memset(&m, 0, sizeof(m));
	m.type = BGP_MSG_NOTIFICATION;
	m.u.notification.code = code;
	m.u.notification.subcode = subcode;
	m.u.notification.data = data;
	m.u.notification.len = ndata;
	return bgp_msg_encode(&m, NULL, buf, cap);
}
