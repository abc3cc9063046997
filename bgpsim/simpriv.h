/*
 * bgpsim-private: what sched.c, world.c, rib.c, sim.c and verdict.c
 * share (the simulator's interface is sim.h).  For the module and its
 * tests only.
 */
#ifndef RR_BGPSIM_SIMPRIV_H
#define RR_BGPSIM_SIMPRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgp/bgp.h"
#include "bgpsim/sim.h"

/* ------------------------------------------------------------ sched.c */

enum sev_kind {
	SEV_TIMER = 1, /* a: fsm slot, b: timer, c: generation */
	SEV_START,     /* a: side */
	SEV_SYN,       /* a: conn slot, c: conn generation */
	SEV_SYNACK,    /* a: conn, c: generation */
	SEV_RST,       /* a: conn, c: generation */
	SEV_DATA,      /* a: conn, b: direction, c: generation */
	SEV_FAULT,     /* a: fault */
	SEV_EXPORT,    /* a: speaker */
};

struct sched_ev {
	uint64_t t, seq;
	uint32_t kind, a, b, c;
};

/* A binary heap of events ordered by (time, insertion sequence). */
struct sched {
	struct sched_ev *v;
	size_t n, cap;
	uint64_t now, seq;
	uint64_t nontimer; /* queued events that are not timers */
	uint64_t popped;
};

void sched_init(struct sched *s);
void sched_release(struct sched *s);
void sched_push(struct sched *s, uint64_t t, uint32_t kind, uint32_t a,
                uint32_t b, uint32_t c);
/* The earliest event (its time becomes `now`); false when empty. */
bool sched_pop(struct sched *s, struct sched_ev *ev);
/* Time of the earliest event, SIM_NEVER when empty. */
uint64_t sched_next(const struct sched *s);

/*
 * A timer that is restarted far more often than it expires (the hold
 * timer on every message) costs one queued event: a restart to a later
 * time leaves the queued event alone, which re-arms itself when it comes
 * up early.  Expiry is exact.
 */
struct sched_timer {
	uint64_t deadline; /* SIM_NEVER: stopped */
	uint64_t queued;   /* time of the live queued event, SIM_NEVER */
	uint32_t gen;      /* generation of the live queued event */
};
void sched_timer_init(struct sched_timer *t);
void sched_timer_start(struct sched *s, struct sched_timer *t, uint64_t at,
                       uint32_t a, uint32_t b);
void sched_timer_stop(struct sched_timer *t);
/* An SEV_TIMER event for t came up: true when the timer expires now. */
bool sched_timer_due(struct sched *s, struct sched_timer *t,
                     const struct sched_ev *ev);

/* -------------------------------------------------------------- rib.c */

/* prefix id -> 32-bit value (0: absent); small ones hashed, large dense */
struct rib_map {
	uint32_t *keys, *vals; /* open addressing, key = prefix id + 1 */
	uint32_t *dense;       /* when dense: dense[pid] */
	uint32_t cap, count, ndense;
};

/* An interned path attribute set (id 0 means none). */
struct rib_attrs {
	uint32_t hash, next; /* hash chain */
	uint8_t origin;
	bool has_med, has_lp, has_orig, atomic;
	uint32_t med, local_pref, originator_id;
	struct rr_addr next_hop;
	uint32_t *segs; /* AS_PATH: per segment type, n, then n ASNs */
	uint32_t nsegs_words;
	uint32_t aspath_len; /* RFC 4271 9.1.2.2 a: a set counts one */
	uint32_t first_as;   /* neighbour AS (MED comparison), 0: none */
	uint32_t *clusters;
	uint32_t ncluster;
	uint32_t *comms;
	uint32_t ncomm;
	/* the attributes as sent, built on first use (NEXT_HOP only for an
	 * IPv4 next hop: IPv6 goes in MP_REACH) */
	struct bgp_attr *wire;
	uint32_t nwire;
	uint32_t nh_owner; /* speaker owning the next hop, SIM_NONE */
	uint32_t wire_len; /* their encoded size */
};

struct rib_pfx {
	struct rr_prefix p;
	uint8_t pool; /* R32: 0 not looked at, 1 no pool, 2 pool, 3 export
	                 disabled */
};

/* the speaker's side of the RIB */
struct rib_spk {
	struct rib_map local;   /* own routes: pid -> attrs */
	struct rib_map best;    /* stored_best: pid -> source + 1 */
	bool stored_best;       /* else computed from the Adj-RIBs-In */
	struct rib_logent *log; /* prefixes whose exportable best changed */
	uint32_t nlog, caplog;
	struct rib_map logpos; /* pid -> last log index + 1 */
	uint32_t nbest;
	/* memo (attrs in, source side, destination class) -> attrs out */
	uint32_t *memo;
	uint32_t memocap, memocount;
	/* destination classes: sides treated alike on export */
	struct rib_class *classes;
	uint32_t nclasses, capclasses;
	bool calico;     /* R32 export policy */
	uint32_t nvalid; /* prefixes in the log */
};

/* A prefix in a speaker's log: the best path when logged (kept current
 * while the entry stands) and the last attributes it was sent with. */
struct rib_logent {
	uint32_t pid;
	uint32_t src, ia;
	uint32_t cls, out; /* destination class -> attributes out */
	bool stale;        /* a later entry stands for the prefix */
};

/* Received attribute blocks (the bytes) -> attribute set id. */
struct rib_raw {
	uint32_t hash, next, id, len;
	bool as4;
	const uint8_t *bytes;
};

struct rib_class {
	bool ibgp, nh_self, nh_self_all, nh_keep;
	uint32_t cluster_id, local_as;
	struct rr_addr local;
};

/* one side's part */
struct rib_side {
	struct rib_map in; /* Adj-RIB-In after import checks: pid -> attrs */
	uint32_t cursor;   /* next log entry to send */
	uint64_t *adv;     /* Adj-RIB-Out: advertised prefixes, a bit each */
	uint32_t nadv;     /* words */
	uint32_t dst_class;
	/* the first import drop and how many */
	uint8_t drop;
	uint32_t ndrops, drop_pid, drop_val;
};

enum rib_drop {
	RIB_DROP_NONE = 0,
	RIB_DROP_CLUSTER,    /* CLUSTER_LIST holds our cluster id */
	RIB_DROP_ORIGINATOR, /* ORIGINATOR_ID is our router id */
	RIB_DROP_ASLOOP,     /* AS_PATH holds our AS */
	RIB_DROP_WITHDRAW,   /* RFC 7606 treat-as-withdraw */
	RIB_DROP_FAMILY,     /* a family the session does not carry */
};

/* Why a speaker does not send its best path for a prefix on a side. */
enum rib_why {
	RIB_OK = 0,
	RIB_NO_ROUTE,
	RIB_NOT_UP,
	RIB_FAMILY,
	RIB_TO_SOURCE,
	RIB_SPLIT_HORIZON, /* iBGP from a non-client to a non-client */
	RIB_NO_C2C,        /* no bgp client-to-client reflection */
	RIB_CALICO_POOL,   /* R32: outside the node's pools */
	RIB_CALICO_DISABLED,
	RIB_NOT_ACTIVATED,
};

/* One candidate path as the decision process sees it. */
struct rib_path {
	bool local; /* originated here */
	bool ebgp;  /* learned over eBGP */
	uint32_t local_pref;
	uint32_t aspath_len;
	uint8_t origin;
	uint32_t first_as; /* neighbouring AS, 0: none */
	uint32_t med;
	uint32_t id; /* ORIGINATOR_ID, else the peer's BGP identifier */
	uint32_t ncluster;
	struct rr_addr peer;
	uint32_t order; /* last resort: configuration order */
};
/* RFC 4271 9.1.2.2 with RFC 4456 9: is a preferred over b? */
bool rib_decide(const struct rib_path *a, const struct rib_path *b);

/* RFC 4456 6 / calico-semantics.md 3.7: may an iBGP-learned route from a
 * (client or not) go to b (client or not)?  IOS: a client's routes go to
 * everyone (to other clients only with client-to-client reflection), a
 * non-client's to clients; BIRD: when either side is an rr client. */
bool rib_reflect_ok(bool bird, bool from_client, bool to_client,
                    bool client_to_client);

struct world;

void rib_init(struct world *w);
void rib_release(struct world *w);
uint32_t rib_prefix_id(struct world *w, const struct rr_prefix *p);
const struct rr_prefix *rib_prefix(const struct world *w, uint32_t pid);
/* own routes of every speaker (R30, IOS network statements) */
void rib_originate(struct world *w);
/* an UPDATE delivered on side si */
void rib_import(struct world *w, uint32_t si, const struct bgp_update *u);
/* side si left Established: its routes are withdrawn */
void rib_side_down(struct world *w, uint32_t si);
/* side si came up: send it the table */
void rib_side_up(struct world *w, uint32_t si);
/* send what side si still owes its peer while its window allows */
void rib_export_side(struct world *w, uint32_t si);
/* every side of speaker k */
void rib_export_speaker(struct world *w, uint32_t k);
/* the best source of pid at speaker k: side index, SIM_NONE, or
 * RIB_SRC_LOCAL; *attrs gets its attribute set id */
#define RIB_SRC_LOCAL (UINT32_MAX - 1)
uint32_t rib_best(const struct world *w, uint32_t k, uint32_t pid,
                  uint32_t *attrs);
const struct rib_attrs *rib_attrs(const struct world *w, uint32_t id);
uint32_t rib_map_get(const struct rib_map *m, uint32_t pid);
enum rib_why rib_export_why(const struct world *w, uint32_t k, uint32_t pid,
                            uint32_t si);
/* every prefix id with a value, ascending (storage from a) */
uint32_t *rib_map_keys(const struct rib_map *m, struct rr_arena *a,
                       uint32_t *n);

/* ------------------------------------------------------------ world.c */

/* bytes one end of a connection sent the other, not yet delivered */
struct wmark {
	uint64_t sent_ms;
	uint64_t end; /* byte count through which this batch goes */
	bool fin;
};
struct wpipe {
	uint8_t *buf; /* bytes [done, total) at buf[head..] */
	size_t head, len, cap;
	uint64_t total, done;
	struct wmark *marks;
	uint32_t mhead, mlen, mcap;
	bool fin_sent;
};

enum { CONN_FREE = 0, CONN_SYN, CONN_UP, CONN_DEAD };

struct wconn {
	uint32_t gen, serial;
	uint8_t state;
	uint32_t side[2]; /* [0] dialler, [1] acceptor (SIM_NONE: none) */
	uint32_t fsm[2];  /* slot at each end, SIM_NONE when let go */
	uint32_t spk[2];
	struct rr_addr addr[2];
	uint16_t port[2];
	struct wpipe pipe[2]; /* pipe[e]: from end e to end 1 - e */
	uint32_t next_free;
	bool bird_reject; /* accepted then closed by BIRD */
	bool busy;        /* being delivered on: not freed yet */
};

struct wfsm {
	struct fsm f;
	uint32_t side, conn;
	uint8_t end;
	bool live;
	struct sched_timer tm[FSM_TMR_COUNT];
	uint32_t next_free;
};

struct wside {
	struct sim_session pub;
	const struct rr_neighbor *range; /* dynamic: the listen range */
	struct fsm_config cfg;
	uint32_t main, second; /* fsm slots, SIM_NONE */
	bool pw;
	uint64_t pw_hash;
	bool v4_active;        /* IOS: IPv4 unicast activated */
	bool client_to_client; /* IOS reflection between clients */
	uint32_t cluster_id;   /* the id prepended when reflecting */
	bool bird_nh_self, bird_nh_keep, ios_nhs, ios_nhs_all;
	bool ebgp_direct; /* an eBGP next hop on the shared subnet is kept */
	const char *disabled_why;
	struct rr_loc disabled_at;
	uint64_t done_in, done_out, done_upd_in; /* counters of released fsms */
	bool export_pending;
	struct rib_side rib;
};

struct wspk {
	struct sim_speaker pub;
	uint16_t listen_port;
	bool bird;
	uint16_t next_port; /* ephemeral ports */
	bool export_queued;
	struct rib_spk rib;
	/* pools (R32) */
	const struct rr_ippool **pools;
	uint32_t npools;
};

struct wcut {
	uint32_t a, b;
	bool cut;
};

struct world {
	const struct rr_model *m;
	struct rr_arena arena;
	struct sim_opts opts;
	struct sched sched;
	struct wspk *spk;
	uint32_t nspk;
	struct wside *side;
	uint32_t nside;
	struct wfsm *fsm;
	uint32_t nfsm, capfsm, fsm_free;
	struct wconn *conn;
	uint32_t nconn, capconn, conn_free, conn_serial;
	struct fsm_actions *acts; /* a small stack: fsm calls nest */
	uint32_t actdepth;
	struct sim_event *ev;
	size_t nev, capev;
	struct wcut *cuts;
	size_t ncuts, capcuts;
	/* faults resolved to speakers */
	uint32_t *fault_a, *fault_b;
	uint64_t last_change, last_fault;
	uint32_t max_keepalive;
	uint32_t offered_keepalive;
	/* the OPENs the world built or received, shared by many machines */
	struct wopen **opens;
	uint32_t nopens, capopens;
	uint32_t *open_hash;
	uint32_t open_hcap;
	struct wopen **own;
	uint32_t nown, capown;
	void *tabs;     /* world.c: owner and acceptor address tables */
	uint32_t *pend; /* sides with an export queued */
	uint32_t npend, cappend;
	bool pend_queued;
	/* rib.c */
	struct rib_pfx *pfx;
	uint32_t npfx, cappfx;
	uint32_t *pfx_hash;
	uint32_t pfx_hcap;
	struct rib_attrs **attrs;
	uint32_t nattrs, capattrs;
	uint32_t *attr_hash;
	uint32_t attr_hcap;
	struct rr_arena rib_arena;
	struct rib_raw *raw;
	uint32_t nraw, capraw;
	uint32_t *raw_hash;
	uint32_t raw_hcap;
	/* scratch for building UPDATEs */
	struct bgp_nlri *nlri_buf;
	uint32_t *grp_buf;
	struct bgp_attr *attr_buf;
	/* codec caches: decoded UPDATEs by bytes, encoded by content */
	struct wdec_key *dec_key; /* WDEC_SLOTS: the keys apart, small */
	struct wdec *dec;
	struct wdec *dec_cur;         /* the one being delivered, NULL */
	struct rr_arena dec_arena[2]; /* [epoch & 1] */
	uint32_t dec_epoch, dec_count;
	bool dec_busy;
	struct wenc *enc;
	bool codec_cache_off; /* tests: every message coded on its own */
	uint64_t dec_hits, dec_misses, enc_hits, enc_misses;
	struct sim_stats stats;
	uint64_t version;
	uint32_t window; /* bytes a side may have in flight */
};

/* A shared OPEN (ours, or a peer's with the identifier and hold put in). */
struct wopen {
	uint32_t hash, next;
	const uint8_t *key; /* the masked message bytes */
	size_t len;
	struct bgp_open open;
	/* for our own OPENs */
	const struct bgp_profile *profile;
	uint32_t asn, router_id;
	uint16_t hold;
	bool ipv6, own;
};

/* A decoded UPDATE kept by its bytes (world.c): many receivers get the
 * same bytes (a reflector's clients, two reflectors' copies). */
struct wdec_key {
	uint64_t tag;   /* the last 8 bytes */
	uint32_t epoch; /* valid in this epoch and the next, 0: unused */
	uint16_t len;
	uint8_t codec;
};
struct wdec {
	const uint8_t *bytes;
	struct bgp_msg msg;
	/* rib_import's reading of it (prefix and attribute set ids are
	 * never given back): the set of its attribute bytes, NLRI ids */
	uint32_t raw_id;
	uint32_t *nlri_pids; /* u.nnlri ids, NULL: not yet */
	uint32_t epoch;      /* its storage: dec_arena[epoch & 1] */
};
#define WDEC_SLOTS 8192 /* two ways; at most half of them per epoch */

/* An encoded UPDATE kept by what it carries (rib.c): the same message to
 * every peer of an update group. */
#define WENC_INLINE_PIDS  2
#define WENC_INLINE_BYTES 96
struct wenc {
	uint64_t hash;
	uint32_t id; /* attribute set, 0: withdrawals */
	uint32_t npids;
	uint8_t kind; /* v6, path ids, codec bits */
	bool used;
	uint32_t len, capbytes, cappids; /* heap capacities */
	uint32_t *hpids;                 /* more than WENC_INLINE_PIDS */
	uint8_t *hbytes;                 /* more than WENC_INLINE_BYTES */
	uint32_t ipids[WENC_INLINE_PIDS];
	uint8_t ibytes[WENC_INLINE_BYTES]; /* a one-prefix UPDATE fits */
};
#define WENC_SLOTS 4096

/* 64-bit hash of a byte string, 8 bytes at a time */
static inline uint64_t
sim_hash_bytes(const uint8_t *b, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t v;
		memcpy(&v, b + i, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	h ^= h >> 29;
	return h;
}

int world_build(struct world *w, const struct rr_model *m,
                const struct sim_opts *o, struct rr_diags *d);
void world_release(struct world *w);
void world_dispatch(struct world *w, const struct sched_ev *ev);
/* the Established machine of side si, or NULL */
struct fsm *world_session_fsm(struct world *w, uint32_t si);
/* bytes side si may still put in flight (0: wait for the peer) */
uint32_t world_send_room(const struct world *w, uint32_t si);
/* send an UPDATE on side si (Established); false if it did not encode.
 * With copy: the encoded bytes are copied there (*len, at most cap). */
bool world_send_update(struct world *w, uint32_t si, const struct bgp_update *u,
                       uint8_t *copy, size_t cap, size_t *len);
/* send an UPDATE already encoded with side si's codec */
bool world_send_encoded(struct world *w, uint32_t si, const uint8_t *b,
                        size_t len);
/* something a route or session verdict depends on changed now */
void world_changed(struct world *w);
/* queue the export of speaker k (or only side si) at the current time */
void world_queue_export(struct world *w, uint32_t k);
void world_queue_export_side(struct world *w, uint32_t si);
uint32_t world_owner(const struct world *w, const struct rr_addr *a);

/* ------------------------------------------------------------ sim.c */

struct sim {
	struct world w;
	struct sim_verdict verdict;
	struct sim_cause *causes; /* verdict.c */
	size_t ncauses, capcauses;
	bool ran;
};

/* the world of a simulation (tests) */
struct world *sim_world(struct sim *s);

/* ---------------------------------------------------------- verdict.c */

/* after the run: count and explain what is expected and missing */
void verdict_finish(struct sim *s);

#endif
