/*
 * bgp: the BGP protocol without I/O: the codec, the session state machine,
 * the speaker profiles.  The module's one public header; bgp/wire.h is
 * private to the module and its tests.
 *
 * wire.c, attr.c and cap.c are the RFC 4271 codec (with RFC 4760, 2918,
 * 7313, 6793, 4724, 7911, 8654, 1997, 4456, 4486, 6608, 7606): bytes <->
 * struct bgp_msg.  fsm.c is the RFC 4271 section 8 session state machine:
 * it takes events (TCP came up, timer expired, these bytes arrived) and
 * returns actions (send these bytes, start that timer, connect, close,
 * deliver this UPDATE, the session is up/down), so the same code drives the
 * simulator (bgpsim/) and `rrkit probe` over real TCP.  profile.c holds the
 * timers and capabilities of the two kinds of speaker rrkit models (Cisco
 * IOS, calico-node BIRD 1.6).
 *
 * Depends on model/model.h and libc only.
 */
#ifndef RR_BGP_H
#define RR_BGP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* ------------------------------------------------------------ constants */

#define BGP_VERSION     4
#define BGP_PORT        179
#define BGP_HEADER_LEN  19     /* RFC 4271 4.1: marker 16, length 2, type 1 */
#define BGP_MAX_LEN     4096   /* RFC 4271 4.1 */
#define BGP_EXT_MAX_LEN 65535  /* RFC 8654 */
#define BGP_AS_TRANS    23456u /* RFC 6793 */

/* RFC 4271 4.1 message types, RFC 2918 ROUTE-REFRESH */
enum bgp_msg_type {
	BGP_MSG_NONE = 0,
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5,
	BGP_MSG_TYPE_COUNT
};
const char *bgp_msg_type_name(unsigned type);

/* RFC 4271 4.5 error codes; 5 from RFC 6608, 6 from RFC 4486, 7 RFC 7313 */
enum bgp_err {
	ERR_NONE = 0,
	ERR_HEADER = 1,
	ERR_OPEN = 2,
	ERR_UPDATE = 3,
	ERR_HOLD = 4,
	ERR_FSM = 5,
	ERR_CEASE = 6,
	ERR_REFRESH = 7,
	ERR_CODE_COUNT
};

/* RFC 4271 6.1 */
enum bgp_err_header {
	ERR_HEADER_UNSPEC = 0,
	ERR_HEADER_SYNC = 1,
	ERR_HEADER_LENGTH = 2,
	ERR_HEADER_TYPE = 3,
	ERR_HEADER_COUNT
};
/* RFC 4271 6.2; 7 RFC 5492; 11 RFC 9234 */
enum bgp_err_open {
	ERR_OPEN_UNSPEC = 0,
	ERR_OPEN_VERSION = 1,
	ERR_OPEN_PEER_AS = 2,
	ERR_OPEN_BGPID = 3,
	ERR_OPEN_OPTPARAM = 4,
	ERR_OPEN_AUTH = 5, /* deprecated */
	ERR_OPEN_HOLDTIME = 6,
	ERR_OPEN_CAPABILITY = 7,
	ERR_OPEN_8 = 8,   /* deprecated */
	ERR_OPEN_9 = 9,   /* deprecated */
	ERR_OPEN_10 = 10, /* deprecated */
	ERR_OPEN_ROLE = 11,
	ERR_OPEN_COUNT
};
/* RFC 4271 6.3 */
enum bgp_err_update {
	ERR_UPDATE_UNSPEC = 0,
	ERR_UPDATE_ATTRLIST = 1,
	ERR_UPDATE_UNKNOWN_WELLKNOWN = 2,
	ERR_UPDATE_MISSING_WELLKNOWN = 3,
	ERR_UPDATE_FLAGS = 4,
	ERR_UPDATE_LENGTH = 5,
	ERR_UPDATE_ORIGIN = 6,
	ERR_UPDATE_LOOP = 7, /* deprecated */
	ERR_UPDATE_NEXTHOP = 8,
	ERR_UPDATE_OPTATTR = 9,
	ERR_UPDATE_NETWORK = 10,
	ERR_UPDATE_ASPATH = 11,
	ERR_UPDATE_COUNT
};
/* RFC 6608 3 */
enum bgp_err_fsm {
	ERR_FSM_UNSPEC = 0,
	ERR_FSM_OPENSENT = 1,
	ERR_FSM_OPENCONFIRM = 2,
	ERR_FSM_ESTABLISHED = 3,
	ERR_FSM_COUNT
};
/* RFC 4486 3; 9 RFC 8538; 10 RFC 9384 */
enum bgp_err_cease {
	ERR_CEASE_UNSPEC = 0,
	ERR_CEASE_MAXPREFIX = 1,
	ERR_CEASE_ADMIN_SHUTDOWN = 2,
	ERR_CEASE_DECONFIGURED = 3,
	ERR_CEASE_ADMIN_RESET = 4,
	ERR_CEASE_REJECTED = 5,
	ERR_CEASE_CONFIG_CHANGE = 6,
	ERR_CEASE_COLLISION = 7,
	ERR_CEASE_RESOURCES = 8,
	ERR_CEASE_HARD_RESET = 9,
	ERR_CEASE_BFD_DOWN = 10,
	ERR_CEASE_COUNT
};
/* RFC 7313 5 */
enum bgp_err_refresh {
	ERR_REFRESH_RESERVED = 0,
	ERR_REFRESH_LENGTH = 1,
	ERR_REFRESH_COUNT
};
/* "OPEN Message Error", NULL for an unknown code */
const char *bgp_err_name(unsigned code);
/* "Unacceptable Hold Time"; NULL when the code has no such subcode */
const char *bgp_suberr_name(unsigned code, unsigned subcode);
/* "OPEN Message Error / Unacceptable Hold Time" (or with numbers) */
const char *bgp_notif_str(unsigned code, unsigned subcode, char *buf,
                          size_t len);

/*
 * What to do with a malformed UPDATE (RFC 7606 2): the session-reset of
 * RFC 4271, or the gentler treat-as-withdraw and attribute-discard.
 */
enum bgp_action {
	BGP_ACT_NONE = 0,
	BGP_ACT_ATTR_DISCARD,
	BGP_ACT_TREAT_AS_WITHDRAW,
	BGP_ACT_SESSION_RESET,
	BGP_ACT_COUNT
};
const char *bgp_action_name(enum bgp_action a);

/* A decoding error: the NOTIFICATION it calls for and how to handle it. */
struct bgp_error {
	uint8_t code, subcode;
	enum bgp_action action;
	uint8_t attr;     /* path attribute type concerned, 0 if none */
	const char *what; /* static text naming the check (for logs/tests) */
	uint8_t data[8];  /* NOTIFICATION data (RFC 4271 6.x says what) */
	size_t ndata;
};

/* ---------------------------------------------------------- AFI / SAFI */

enum bgp_afi { BGP_AFI_IPV4 = 1, BGP_AFI_IPV6 = 2 };
enum bgp_safi { BGP_SAFI_UNICAST = 1, BGP_SAFI_MULTICAST = 2 };
/* "ipv4-unicast", or "afi-25-safi-70" into buf */
const char *bgp_afisafi_str(uint16_t afi, uint8_t safi, char *buf, size_t len);

/* -------------------------------------------------------- capabilities */

/* RFC 5492 and the IANA capability registry */
enum bgp_cap_code {
	BGP_CAP_MP = 1,                /* RFC 4760 */
	BGP_CAP_ROUTE_REFRESH = 2,     /* RFC 2918 */
	BGP_CAP_EXT_NEXTHOP = 5,       /* RFC 8950 */
	BGP_CAP_EXT_MESSAGE = 6,       /* RFC 8654 */
	BGP_CAP_ROLE = 9,              /* RFC 9234 */
	BGP_CAP_GRACEFUL_RESTART = 64, /* RFC 4724 */
	BGP_CAP_AS4 = 65,              /* RFC 6793 */
	BGP_CAP_DYNAMIC = 67,          /* draft-ietf-idr-dynamic-cap */
	BGP_CAP_ADD_PATH = 69,         /* RFC 7911 */
	BGP_CAP_ENHANCED_RR = 70,      /* RFC 7313 */
	BGP_CAP_LLGR = 71,             /* RFC 9494 */
	BGP_CAP_FQDN = 73,         /* draft-walton-bgp-hostname-capability */
	BGP_CAP_SOFT_VERSION = 75, /* draft-abraitis-bgp-version-capability */
	BGP_CAP_CISCO_RR = 128,    /* pre-standard route refresh (Cisco) */
};

/* RFC 7911 4: Send/Receive field */
enum bgp_addpath_mode {
	BGP_ADDPATH_RECEIVE = 1,
	BGP_ADDPATH_SEND = 2,
	BGP_ADDPATH_BOTH = 3,
};

#define BGP_CAP_MAX_TUPLES 16

struct bgp_afs {
	uint16_t afi;
	uint8_t safi;
	uint8_t flags; /* GR: forwarding state; ADD-PATH: send/receive */
};

struct bgp_cap {
	uint8_t code;
	uint8_t len;        /* value length as received/encoded */
	const uint8_t *raw; /* the value bytes (decoder: in the arena) */
	bool decoded; /* the fields below are valid (known and well formed) */
	union {
		struct bgp_afs mp; /* MP: afi, safi */
		uint32_t as4;
		struct {
			uint8_t flags; /* R (restart), N (notification) bits */
			uint16_t time; /* 12-bit restart time */
			struct bgp_afs afs[BGP_CAP_MAX_TUPLES];
			size_t n;
		} gr;
		struct {
			struct bgp_afs afs[BGP_CAP_MAX_TUPLES];
			size_t n;
		} addpath;
		struct {
			const char *host, *domain; /* NUL-terminated, arena */
			uint8_t hostlen, domainlen;
		} fqdn;
		uint8_t role;
	} u;
};
/* "route-refresh", or NULL for an unknown code */
const char *bgp_cap_name(unsigned code);
/* One capability as text, e.g. "graceful-restart time 120 ipv4-unicast" */
const char *bgp_cap_str(const struct bgp_cap *c, char *buf, size_t len);

/* ------------------------------------------------------------- messages */

/* RFC 5492 / RFC 4271 4.2 optional parameter (type 2 = capabilities) */
struct bgp_optparam {
	uint8_t type;
	/* type 2: the capabilities it carries (grouping kept for re-encoding)
	 */
	struct bgp_cap *caps;
	size_t ncaps;
	/* other types: raw value */
	const uint8_t *raw;
	size_t len;
};

struct bgp_open {
	uint8_t version;
	uint16_t my_as; /* the 2-octet field (AS_TRANS for a 4-octet AS) */
	uint16_t hold;
	uint32_t bgp_id; /* host byte order */
	bool ext_params; /* RFC 9072 extended optional parameters length */
	struct bgp_optparam *params;
	size_t nparams;
};
/* The first capability with this code in an OPEN, or NULL. */
const struct bgp_cap *bgp_open_cap(const struct bgp_open *o, uint8_t code);
/* The speaker's AS: the 4-octet capability if present, else My AS. */
uint32_t bgp_open_asn(const struct bgp_open *o);

/* A prefix in NLRI/withdrawn routes; path_id with ADD-PATH (RFC 7911 3). */
struct bgp_nlri {
	uint32_t path_id;
	struct rr_prefix prefix; /* bits past len kept as received */
};

/* RFC 4271 5: path attribute type codes (and the RFCs adding others) */
enum bgp_attr_code {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,        /* RFC 1997 */
	BGP_ATTR_ORIGINATOR_ID = 9,      /* RFC 4456 */
	BGP_ATTR_CLUSTER_LIST = 10,      /* RFC 4456 */
	BGP_ATTR_MP_REACH = 14,          /* RFC 4760 */
	BGP_ATTR_MP_UNREACH = 15,        /* RFC 4760 */
	BGP_ATTR_EXT_COMMUNITIES = 16,   /* RFC 4360 */
	BGP_ATTR_AS4_PATH = 17,          /* RFC 6793 */
	BGP_ATTR_AS4_AGGREGATOR = 18,    /* RFC 6793 */
	BGP_ATTR_LARGE_COMMUNITIES = 32, /* RFC 8092 */
};

/* RFC 4271 4.3 attribute flags */
#define BGP_ATTR_F_OPTIONAL   0x80
#define BGP_ATTR_F_TRANSITIVE 0x40
#define BGP_ATTR_F_PARTIAL    0x20
#define BGP_ATTR_F_EXTLEN     0x10

enum bgp_origin {
	BGP_ORIGIN_IGP = 0,
	BGP_ORIGIN_EGP = 1,
	BGP_ORIGIN_INCOMPLETE = 2
};

/* RFC 4271 4.3 AS_PATH segment types; 3/4 from RFC 5065 */
enum bgp_seg_type {
	BGP_SEG_SET = 1,
	BGP_SEG_SEQUENCE = 2,
	BGP_SEG_CONFED_SEQUENCE = 3,
	BGP_SEG_CONFED_SET = 4,
};

struct bgp_seg {
	uint8_t type;
	uint8_t n;
	uint32_t *asns;
};

struct bgp_aspath {
	struct bgp_seg *segs;
	size_t nsegs;
};

struct bgp_mp {
	uint16_t afi;
	uint8_t safi;
	/* MP_REACH only: next hop (16 or 32 bytes for IPv6, RFC 2545 3) */
	uint8_t nh_len;
	uint8_t nh[32];
	uint8_t reserved; /* RFC 4760 3: the reserved octet, kept */
	/* afi 1/2 safi 1/2: decoded prefixes; else raw NLRI bytes */
	struct bgp_nlri *nlri;
	size_t nnlri;
	const uint8_t *raw;
	size_t rawlen;
};

struct bgp_attr {
	uint8_t flags; /* as received (the Extended Length bit is kept) */
	uint8_t code;
	uint16_t len;       /* value length as received/encoded */
	const uint8_t *raw; /* value bytes */
	bool decoded;       /* the union below is valid */
	union {
		uint8_t origin;
		struct bgp_aspath aspath; /* AS_PATH and AS4_PATH */
		struct rr_addr next_hop;
		uint32_t u32; /* MED, LOCAL_PREF, ORIGINATOR_ID */
		struct {
			uint32_t asn;
			struct rr_addr addr;
		} aggregator;
		struct {
			uint32_t
			        *v; /* COMMUNITIES, CLUSTER_LIST, LARGE_COMMUNITIES
			             * (three words each), host order */
			size_t n;
		} list;
		struct bgp_mp mp;
	} u;
};
/* "AS_PATH", or NULL for an unknown code */
const char *bgp_attr_name(unsigned code);
/* The attribute's value as text ("64512 64513", "192.0.2.1", ...) */
const char *bgp_attr_str(const struct bgp_attr *a, char *buf, size_t len);

struct bgp_update {
	struct bgp_nlri *withdrawn;
	size_t nwithdrawn;
	struct bgp_attr *attrs;
	size_t nattrs;
	struct bgp_nlri *nlri;
	size_t nnlri;
	/*
	 * RFC 7606: non-fatal problems found while decoding.  With
	 * BGP_ACT_TREAT_AS_WITHDRAW every prefix of the message (NLRI and
	 * MP_REACH) must be handled as withdrawn; with BGP_ACT_ATTR_DISCARD
	 * the offending attributes were dropped from attrs.
	 */
	enum bgp_action action;
	struct bgp_error err; /* the first such problem */
	/* RFC 4724 2 / RFC 4760: an End-of-RIB marker, for end_afi/end_safi */
	bool end_of_rib;
	uint16_t end_afi;
	uint8_t end_safi;
};
/* The attribute with this code, or NULL. */
const struct bgp_attr *bgp_update_attr(const struct bgp_update *u,
                                       uint8_t code);

struct bgp_notification {
	uint8_t code, subcode;
	const uint8_t *data;
	size_t len;
};

/* RFC 2918 3, RFC 7313 3 (subtype in the reserved octet) */
enum bgp_rr_subtype { BGP_RR_NORMAL = 0, BGP_RR_BORR = 1, BGP_RR_EORR = 2 };
struct bgp_refresh {
	uint16_t afi;
	uint8_t subtype;
	uint8_t safi;
	const uint8_t *rest; /* subtype 0: ORF entries (RFC 5291), raw */
	size_t restlen;
};

struct bgp_msg {
	uint8_t type; /* enum bgp_msg_type */
	uint16_t len; /* total length including the header */
	union {
		struct bgp_open open;
		struct bgp_update update;
		struct bgp_notification notification;
		struct bgp_refresh refresh;
	} u;
};

/*
 * What was negotiated on a session, which changes how messages are read
 * and written: 2- or 4-octet AS numbers (RFC 6793 4), path identifiers
 * per family (RFC 7911 3), the message size limit (RFC 8654).
 */
struct bgp_codec {
	bool as4;
	bool ext_msg;
	bool addpath_v4; /* NLRI/withdrawn and MP ipv4-unicast carry path ids */
	bool addpath_v6;
};

/* ------------------------------------------------------------ the codec */

/*
 * How many bytes the message at the start of buf (a TCP stream) has:
 * >0 its length (a whole message is there when <= len), 0 when fewer than
 * 19 bytes are buffered, -1 for a header error (err filled: 1/1, 1/2).
 */
long bgp_msg_frame(const uint8_t *buf, size_t len, const struct bgp_codec *c,
                   struct bgp_error *err);
/* The type of the message at the start of buf (enum bgp_msg_type), read
 * without checking the rest of the header; -1 when fewer than 19 bytes. */
int bgp_msg_peek_type(const uint8_t *buf, size_t len);
/* The length field of the message at the start of buf, read without
 * checking the rest of the header; -1 when fewer than 19 bytes. */
long bgp_msg_peek_len(const uint8_t *buf, size_t len);

/*
 * Decode one whole message of exactly len bytes.  Storage comes from
 * `scratch` (reset it per message).  Returns 0 (msg filled; an UPDATE may
 * carry a non-fatal RFC 7606 action in msg->u.update.action), or -1 with
 * err holding the NOTIFICATION to send (RFC 4271 6 / RFC 7606); err->action
 * is then BGP_ACT_SESSION_RESET.  Never reads past buf + len.
 */
int bgp_msg_decode(const uint8_t *buf, size_t len, const struct bgp_codec *c,
                   struct rr_arena *scratch, struct bgp_msg *msg,
                   struct bgp_error *err);

/*
 * Encode msg into buf (cap bytes).  Known attributes and capabilities are
 * written from their decoded fields, others from raw.  Returns the length,
 * or -1 when it does not fit in cap or in the message size limit.
 */
long bgp_msg_encode(const struct bgp_msg *msg, const struct bgp_codec *c,
                    uint8_t *buf, size_t cap);

/* Shorthands for the messages a session sends itself. */
long bgp_encode_keepalive(uint8_t *buf, size_t cap);
long bgp_encode_notification(uint8_t code, uint8_t subcode, const uint8_t *data,
                             size_t ndata, uint8_t *buf, size_t cap);

/*
 * How messages from `sender` to `receiver` are coded, given both OPENs:
 * 4-octet AS and extended messages when both advertise them (RFC 6793 4,
 * RFC 8654 3); path ids per family when the sender may send them and the
 * receiver receive them (RFC 7911 4).
 */
struct bgp_codec bgp_codec_negotiate(const struct bgp_open *sender,
                                     const struct bgp_open *receiver);

/* ------------------------------------------------------------- profiles */

/*
 * How one kind of speaker behaves: timers and the OPEN it sends.  Each
 * field's source is cited where the two profiles are defined (profile.c).
 */
struct bgp_profile {
	const char *name;
	uint16_t hold;         /* offered in OPEN */
	uint16_t keepalive;    /* 0: negotiated hold / 3 */
	bool keepalive_capped; /* keepalive = min(configured, hold / 3) */
	uint16_t min_hold;     /* smallest acceptable peer hold (besides 0) */
	uint16_t open_hold;    /* hold timer while waiting for OPEN (8.2.2) */
	uint16_t connect_retry;
	uint16_t connect_delay; /* wait before the first connect */
	uint16_t error_wait_min, error_wait_max; /* IdleHold after an error */
	/* 0: the error wait is forgotten once Established (8.1.1
	 * DampPeerOscillations as IOS is modelled).  BIRD: it stays, and a
	 * restart that is no error (a Cease received -- proto/bgp/packets.c
	 * bgp_rx_notification tests code != 6 --, the connection lost
	 * when Established) waits it too, until an error comes error_amnesia
	 * seconds or more after the one before (proto/bgp/bgp.c
	 * bgp_update_startup_delay, bgp_initiate: "Startup delayed by N
	 * seconds due to errors") */
	uint16_t error_amnesia;
	/* a connection that fails before Established (refused, reset,
	 * closed) leaves the protocol started: dial again after the connect
	 * delay, no error wait (BIRD: proto/bgp/bgp.c bgp_sock_err ->
	 * bgp_conn_enter_idle_state -> bgp_decision -> bgp_active) */
	bool tcp_fail_redial;
	uint16_t delay_open;                     /* 0: DelayOpen off */
	/* capabilities sent */
	bool cap_mp; /* ipv4-unicast (and ipv6-unicast for IPv6 sessions) */
	bool cap_route_refresh;
	bool cap_cisco_rr;
	bool cap_enhanced_rr;
	bool cap_as4;
	bool cap_gr;
	uint16_t gr_time;
	uint8_t cap_addpath; /* enum bgp_addpath_mode, 0: not sent */
	bool cap_ext_msg;
	bool cap_llgr_empty; /* long-lived GR (RFC 9494) with no families */
	bool caps_one_param; /* all capabilities in one optional parameter */
	/* propagation */
	bool reflect_to_source; /* sends a route back to the peer it came from
	                         */
	bool up_without_af;     /* session comes up with no address family */
};
extern const struct bgp_profile bgp_profile_ios;
extern const struct bgp_profile bgp_profile_bird16;

/*
 * The OPEN a speaker with this profile sends for a session (storage from
 * arena).  `ipv6` selects the IPv6 unicast family (bird6) instead of IPv4.
 */
void bgp_profile_open(const struct bgp_profile *p, uint32_t asn,
                      uint32_t router_id, uint16_t hold, bool ipv6,
                      struct rr_arena *arena, struct bgp_open *out);
/* The same with a Multiprotocol capability (RFC 4760 8) for each of the n
 * families in afs (an IOS neighbor: the families it is activated for);
 * n == 0 gives the session's own family, as bgp_profile_open. */
void bgp_profile_open_afs(const struct bgp_profile *p, uint32_t asn,
                          uint32_t router_id, uint16_t hold, bool ipv6,
                          const struct bgp_afs *afs, size_t n,
                          struct rr_arena *arena, struct bgp_open *out);
/*
 * BIRD's `graceful restart time N` (Calico: a BGPPeer's maxRestartTime,
 * the mesh's nodeMeshMaxRestartTime) in the OPEN's graceful restart
 * capability, as BIRD 1.6 writes it: N cut to 16 bits over the flags and
 * the 12-bit time (observed: 10 -> restart-time 10, 5000 -> 904 with flag
 * bit 0x1, 70000 -> 368).  No graceful restart capability: no change.
 */
void bgp_open_set_gr_time(struct bgp_open *o, uint32_t n);
/* Whether two OPENs share an address family: their Multiprotocol
 * capabilities, an OPEN without any standing for IPv4 unicast (RFC 4760
 * 8). */
bool bgp_open_afs_shared(const struct bgp_open *a, const struct bgp_open *b);
/* The families both OPENs offer, in a's order, each once: the first max
 * into out; returns how many there are. */
size_t bgp_open_afs_common(const struct bgp_open *a, const struct bgp_open *b,
                           struct bgp_afs *out, size_t max);

/* ------------------------------------------------------ state machine */

/* RFC 4271 8.2.2 */
enum fsm_state {
	FSM_ST_IDLE = 0,
	FSM_ST_CONNECT,
	FSM_ST_ACTIVE,
	FSM_ST_OPENSENT,
	FSM_ST_OPENCONFIRM,
	FSM_ST_ESTABLISHED,
	FSM_ST_COUNT
};
const char *bgp_fsm_state_name(enum fsm_state s);

/* RFC 4271 8.1, numbered as there */
enum fsm_event {
	FSM_EV_NONE = 0,
	FSM_EV_MANUAL_START = 1,
	FSM_EV_MANUAL_STOP = 2,
	FSM_EV_AUTO_START = 3,
	FSM_EV_MANUAL_START_PASSIVE = 4,
	FSM_EV_AUTO_START_PASSIVE = 5,
	FSM_EV_AUTO_START_DAMP = 6,
	FSM_EV_AUTO_START_DAMP_PASSIVE = 7,
	FSM_EV_AUTO_STOP = 8,
	FSM_EV_CONNECT_RETRY_EXPIRES = 9,
	FSM_EV_HOLD_EXPIRES = 10,
	FSM_EV_KEEPALIVE_EXPIRES = 11,
	FSM_EV_DELAY_OPEN_EXPIRES = 12,
	FSM_EV_IDLE_HOLD_EXPIRES = 13,
	FSM_EV_TCP_VALID = 14,
	FSM_EV_TCP_INVALID = 15,
	FSM_EV_TCP_ACKED = 16,
	FSM_EV_TCP_CONFIRMED = 17,
	FSM_EV_TCP_FAILS = 18,
	FSM_EV_OPEN = 19,
	FSM_EV_OPEN_DELAYED = 20,
	FSM_EV_HEADER_ERR = 21,
	FSM_EV_OPEN_ERR = 22,
	FSM_EV_COLLISION_DUMP = 23,
	FSM_EV_NOTIF_VERSION = 24,
	FSM_EV_NOTIF = 25,
	FSM_EV_KEEPALIVE = 26,
	FSM_EV_UPDATE = 27,
	FSM_EV_UPDATE_ERR = 28,
	FSM_EV_COUNT
};
const char *bgp_fsm_event_name(enum fsm_event e);

/* RFC 4271 8 / 10 timers */
enum fsm_timer {
	FSM_TMR_CONNECT_RETRY = 0,
	FSM_TMR_HOLD,
	FSM_TMR_KEEPALIVE,
	FSM_TMR_DELAY_OPEN,
	FSM_TMR_IDLE_HOLD,
	FSM_TMR_COUNT
};
const char *bgp_fsm_timer_name(enum fsm_timer t);

enum fsm_act {
	FSM_ACT_SEND = 0,      /* bytes */
	FSM_ACT_CONNECT,       /* open the TCP connection */
	FSM_ACT_CLOSE,         /* drop the TCP connection */
	FSM_ACT_TIMER_START,   /* timer, secs (restart if running) */
	FSM_ACT_TIMER_STOP,    /* timer */
	FSM_ACT_OPEN_RECEIVED, /* an acceptable OPEN: check for collision (6.8)
	                        */
	FSM_ACT_ESTABLISHED,
	FSM_ACT_DELIVER, /* msg: an UPDATE (or ROUTE-REFRESH) for the RIB */
	FSM_ACT_DOWN,    /* left a non-Idle state for Idle; down reason */
	FSM_ACT_COUNT
};
const char *bgp_fsm_act_name(enum fsm_act a);

/* Why a session went back to Idle. */
enum fsm_down {
	FSM_DOWN_NONE = 0,
	FSM_DOWN_STOP,           /* ManualStop / AutomaticStop */
	FSM_DOWN_TCP_FAILED,     /* connection refused, reset or closed */
	FSM_DOWN_NOTIF_RECEIVED, /* peer sent a NOTIFICATION: code/subcode */
	FSM_DOWN_NOTIF_SENT,     /* we sent one (bad OPEN, UPDATE, ...) */
	FSM_DOWN_HOLD_EXPIRED,   /* 4/0 sent */
	FSM_DOWN_COLLISION,      /* 6/7 sent */
	FSM_DOWN_FSM_ERROR,      /* unexpected event: 5/x sent or closed */
	FSM_DOWN_COUNT
};
const char *bgp_fsm_down_name(enum fsm_down d);

struct fsm_action {
	enum fsm_act kind;
	enum fsm_timer timer;
	uint32_t secs;
	size_t off, len;           /* SEND: bytes at fsm_actions.buf + off */
	const uint8_t *ext;        /* SEND: or the caller's bytes here */
	const struct bgp_msg *msg; /* DELIVER: valid until the next call */
	enum fsm_down down;
	uint8_t code, subcode; /* DOWN: the NOTIFICATION, if any */
};

#define FSM_MAX_ACTIONS 24
#define FSM_ACT_BUF     (2 * BGP_MAX_LEN + 64)

struct fsm_actions {
	struct fsm_action v[FSM_MAX_ACTIONS];
	size_t n;
	uint8_t buf[FSM_ACT_BUF];
	size_t used;
};
/* Bytes of a SEND action. */
const uint8_t *bgp_fsm_action_bytes(const struct fsm_actions *a,
                                    const struct fsm_action *act);

struct fsm_config {
	const struct bgp_profile *profile; /* timers, capabilities */
	uint32_t local_as;
	uint32_t remote_as; /* 0: accept any peer AS */
	uint32_t router_id; /* host byte order */
	uint16_t hold;  /* 0 in config means "profile default"; see hold_zero */
	bool hold_zero; /* really offer hold 0 (no keepalives) */
	uint16_t keepalive; /* 0: profile */
	uint16_t min_hold;  /* 0: profile */
	bool passive; /* only accept (RFC 4271 8.1.1 PassiveTcpEstablishment) */
	bool ipv6;    /* the session's family for MP */
	bool auto_restart; /* IdleHold timer after an error, then restart */
	/* RFC 5492 5: capabilities the peer must send, else 2/7 */
	uint8_t required_caps[8];
	size_t nrequired;
	/* the OPEN to send; NULL: built from the profile */
	const struct bgp_open *open;
};

struct fsm {
	struct fsm_config cfg;
	enum fsm_state state;
	bool running[FSM_TMR_COUNT];
	bool conn;    /* a TCP connection (or attempt) exists */
	bool passive; /* started with PassiveTcpEstablishment */
	uint32_t connect_retry_counter; /* RFC 4271 8 */
	uint16_t error_wait; /* current IdleHold (doubles per error) */
	/* the owner's clock, kept current before each call (0: unknown,
	 * error_amnesia never applies), and the last error's time */
	uint64_t now_ms, last_error_ms;
	/* after OPENs: what was negotiated */
	uint16_t hold, keepalive;
	struct bgp_codec rx, tx; /* how we read the peer's, write ours */
	bool have_peer_open;
	struct bgp_open local_open, peer_open; /* in arena / open_arena */
	uint32_t peer_as;
	/* the last reason for going down */
	enum fsm_down down;
	uint8_t down_code, down_subcode;
	struct bgp_error err;  /* the NOTIFICATION an error event sends */
	/* the Cease subcode ManualStop sends in OpenSent, OpenConfirm and
	 * Established (RFC 4486; 0: 2, administrative shutdown): a removed
	 * peer sends 3, a configuration change 6 (rrkit rollout) */
	uint8_t stop_subcode;
	struct rr_arena arena; /* local OPEN (lives as long as the session) */
	struct rr_arena open_arena; /* the peer's OPEN */
	struct rr_arena scratch;    /* the last received message */
	struct bgp_msg last;        /* the last decoded message */
	uint64_t msgs_in, msgs_out, updates_in;
};

void bgp_fsm_init(struct fsm *f, const struct fsm_config *cfg);
void bgp_fsm_release(struct fsm *f);
/* Feed an event (no message events: those come through bgp_fsm_recv). */
void bgp_fsm_event(struct fsm *f, enum fsm_event ev, struct fsm_actions *out);
/*
 * One whole message received (len from bgp_msg_frame): decodes it and runs
 * the events it causes (BGPOpen, KeepAliveMsg, UpdateMsg, NotifMsg, the
 * error events).
 */
void bgp_fsm_recv(struct fsm *f, const uint8_t *msg, size_t len,
                  struct fsm_actions *out);
/* Send an UPDATE in Established (restarts the KeepaliveTimer, 8.2.2).
 * Returns 0, or -1 when not Established or the message does not encode. */
int bgp_fsm_send_update(struct fsm *f, const struct bgp_update *u,
                        struct fsm_actions *out);
/*
 * bgp_fsm_recv for a message already decoded: `m` is what bgp_msg_decode
 * made of exactly these bytes with this machine's f->rx (successfully).
 * Runs the same events, counters and actions; a DELIVER action points at
 * f->last, a copy of *m whose storage is the caller's: keep it until the
 * actions are carried out.  Lets one decode serve many receivers of the
 * same bytes (a reflector's clients).
 */
void bgp_fsm_recv_decoded(struct fsm *f, const uint8_t *msg, size_t len,
                          const struct bgp_msg *m, struct fsm_actions *out);
/*
 * bgp_fsm_send_update for an UPDATE already encoded with this machine's
 * f->tx (the same bytes bgp_fsm_send_update would produce): the
 * Established check, the counters, the KeepaliveTimer restart and the
 * SEND action, without encoding.  Lets a speaker encode once for all the
 * peers of an update group.  Returns 0, or -1 when not Established or the
 * bytes are no UPDATE or too long.
 */
int bgp_fsm_send_encoded(struct fsm *f, const uint8_t *msg, size_t len,
                         struct fsm_actions *out);
/*
 * n UPDATEs encoded with f->tx, back to back in msgs (len bytes), sent at
 * one instant in Established: what n calls of bgp_fsm_send_encoded do
 * (the counters, the KeepaliveTimer restart), with one SEND action that
 * points at the caller's bytes (no copy: keep them until the actions are
 * carried out).  Returns 0, or -1 when not Established or the bytes are
 * not n whole UPDATEs.
 */
int bgp_fsm_send_updates(struct fsm *f, const uint8_t *msgs, size_t len,
                         uint32_t n, struct fsm_actions *out);
/*
 * n UPDATEs received at one instant in Established, which the caller
 * decoded cleanly with f->rx and delivers itself: what n calls of
 * bgp_fsm_recv_decoded do (the counters, the HoldTimer restart) without
 * the DELIVER actions.  Returns 0, or -1 when not Established (then feed
 * them one by one).
 */
int bgp_fsm_recv_updates(struct fsm *f, uint32_t n, struct fsm_actions *out);
enum fsm_state bgp_fsm_state(const struct fsm *f);
/* The peer's OPEN once received (OpenConfirm and later), else NULL. */
const struct bgp_open *bgp_fsm_peer_open(const struct fsm *f);
/*
 * Connection collision (RFC 4271 6.8): two sessions with the same peer,
 * `a` on the connection we opened, `b` on the one the peer opened, at
 * least one having received the peer's OPEN.  Returns the one to close
 * with OpenCollisionDump, or NULL when it cannot be decided yet.
 */
struct fsm *bgp_fsm_collision(struct fsm *a, struct fsm *b);

#endif
