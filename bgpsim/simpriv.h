/*
 * bgpsim-private: what the simulator's files share (its interface is
 * sim.h).  For the module and its tests only.  One section per file, in
 * the order a message travels:
 *
 *   sched.c    the virtual clock
 *   chash.c    the one hash table every lookup and cache is built on
 *   world.c    model -> world: speakers, sides, their configuration
 *   tcp.c      connections and faults
 *   session.c  driving the state machines of bgp/ (one per connection)
 *   inbound.c  an UPDATE received: read into prefix ids and a set
 *   attrs.c    prefix ids, interned attribute sets, prefix maps
 *   rib.c      the RFC core: Adj-RIB-In, decision, reflection, export
 *   adjout.c   Adj-RIB-Out, update building, update groups
 *   cache.c    every cache, behind one object (off with sim_opts.plain)
 *   verdict.c  what is expected, what is missing and why
 *   sim.c      the run, the accessors
 */
#ifndef RR_BGPSIM_SIMPRIV_H
#define RR_BGPSIM_SIMPRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgp/bgp.h"
#include "bgpsim/sim.h"

struct world;

/* ------------------------------------------------------------ sched.c */

enum sev_kind {
	SEV_TIMER = 1, /* a: fsm slot, b: timer, c: generation */
	SEV_START,     /* a: side */
	SEV_SYN,       /* a: conn slot, c: conn generation */
	SEV_SYNACK,    /* a: conn, c: generation */
	SEV_RST,       /* a: conn, c: generation */
	SEV_DATA,      /* a: conn, b: direction, c: generation */
	SEV_FAULT,     /* a: fault */
	SEV_EXPORT,    /* a: speaker, or SIM_NONE: the sides queued */
	SEV_MAXPFX,    /* a: side past its IOS maximum-prefix */
	/* a: side held down by maximum-prefix ... restart M, b: generation;
	 * like a timer, it does not keep a quiet run going */
	SEV_MAXPFX_RESTART,
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

/* ------------------------------------------------------------ chash.c */

/*
 * An open-addressing table of (64-bit hash, value): the caller keeps the
 * keys (values are its indexes + 1, never 0) and confirms a candidate
 * with eq().  As OpenBGPD's chash serves every table of its RDE, this one
 * serves every table here, each with an owner that keeps the keys.
 */
struct chash {
	uint64_t *h;
	uint32_t *v;
	uint32_t cap, n;
};
typedef bool (*chash_eq_fn)(const void *ctx, uint32_t v);

void chash_release(struct chash *t);
void chash_clear(struct chash *t);
/* The value stored under h for which eq(ctx, value) holds, 0: none. */
uint32_t chash_find(const struct chash *t, uint64_t h, chash_eq_fn eq,
                    const void *ctx);
void chash_add(struct chash *t, uint64_t h, uint32_t v);
uint64_t chash_bytes(const void *b, size_t n);
static inline uint64_t
chash_mix(uint64_t h, uint64_t v)
{
	h = (h ^ (v * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

/* ------------------------------------------------------------ attrs.c */

/*
 * prefix id -> 32-bit value (0: absent).  Small maps are hashed; large
 * ones are pages of a dense array.  A page written since the map was last
 * sealed is its own; cache_seal() may replace it by an identical page
 * other maps hold (thousands of clients of a reflector hold the same
 * Adj-RIB-In but for their own routes), which is then never written:
 * writing copies it first.
 */
#define RIB_PAGE      256
#define RIB_MAP_DIRTY 16
struct rib_page {
	uint32_t refs; /* maps holding it (+ 1 while the cache shares it) */
	uint32_t n;    /* values set */
	uint64_t hash; /* of the values (attrs.c page_term) */
	bool shared;   /* interned by the cache: read only */
	bool dirty;    /* written since the last seal */
	uint32_t v[RIB_PAGE];
};

struct rib_map {
	uint32_t *keys, *vals; /* open addressing, key = prefix id + 1 */
	struct rib_page **pages; /* dense: page pid / RIB_PAGE */
	uint32_t cap, count, npages;
	uint32_t dirty[RIB_MAP_DIRTY]; /* pages written since the seal */
	uint32_t ndirty;               /* (more than RIB_MAP_DIRTY: all) */
	uint32_t last;                 /* the page written last */
};
void rib_page_drop(struct rib_page *p);

static inline uint32_t
rib_mix32(uint32_t k)
{
	k *= 0x9e3779b1u;
	return k ^ (k >> 15);
}

/* The value of pid, 0 when absent (inline: the RIB's every step). */
static inline uint32_t
rib_map_get(const struct rib_map *m, uint32_t pid)
{
	uint32_t i, mask;

	if (m->pages) {
		const struct rib_page *p;
		i = pid / RIB_PAGE;
		p = i < m->npages ? m->pages[i] : NULL;
		return p ? p->v[pid % RIB_PAGE] : 0;
	}
	if (!m->cap)
		return 0;
	mask = m->cap - 1;
	for (i = rib_mix32(pid) & mask; m->keys[i]; i = (i + 1) & mask)
		if (m->keys[i] == pid + 1)
			return m->vals[i];
	return 0;
}
void rib_map_set(const struct world *w, struct rib_map *m, uint32_t pid,
                 uint32_t v);
/* about to receive up to n more values: dense now if it will be (no
 * growing hash on the way) */
void rib_map_reserve(const struct world *w, struct rib_map *m, uint32_t n);
void rib_map_release(struct rib_map *m);
/* page i of m becomes p (a reference taken; NULL: empty), the count
 * kept */
void rib_map_put_page(struct rib_map *m, uint32_t i, struct rib_page *p);
/* every prefix id with a value, ascending (storage from a) */
uint32_t *rib_map_keys(const struct rib_map *m, struct rr_arena *a,
                       uint32_t *n);

struct rib_pfx {
	struct rr_prefix p;
	uint8_t pool; /* enum rib_pool */
};

/* An interned path attribute set (id 0 means none). */
struct rib_attrs {
	uint64_t hash;
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
	uint32_t weight;   /* IOS weight (local to the router, never sent) */
	uint32_t *lcomms; /* LARGE_COMMUNITIES: three words per entry */
	uint32_t nlcomm;  /* words */
	uint32_t nh_owner; /* speaker owning the next hop, SIM_NONE */
	/* the attributes as sent (ascending type codes; NEXT_HOP only for
	 * an IPv4 next hop: IPv6 goes in MP_REACH), and their encoded size */
	struct bgp_attr *wire;
	uint32_t nwire, wire_len;
};

uint32_t rib_prefix_id(struct world *w, const struct rr_prefix *p);
const struct rr_prefix *rib_prefix(const struct world *w, uint32_t pid);
/* The id of this set (interned; its arrays are copied). */
uint32_t rib_attrs_intern(struct world *w, const struct rib_attrs *key);
/* rib_attrs(w, id): the set of id, NULL for 0 (inline: after struct world) */
/* The attributes of an UPDATE as a set (unknown attributes are not
 * kept); words: room for the AS_PATH. */
void rib_attrs_read(const struct bgp_update *u, struct rib_attrs *k,
                    uint32_t *words, size_t nwords,
                    const struct bgp_mp **reach, const struct bgp_mp **unreach);
void rib_attr_set(struct bgp_attr *at, uint8_t flags, uint8_t code,
                  uint16_t len);
/* set id as sent, its wire fields filled on first use */
const struct rib_attrs *rib_attrs_wire(struct world *w, uint32_t id);

/* -------------------------------------------------------------- rib.c */

/* One candidate path as the decision process sees it. */
struct rib_path {
	uint32_t weight; /* IOS: the highest first (own routes 32768) */
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
	bool selected;  /* the speaker's best path when the decision runs */
	/* the speaker's rules, alike on both paths: IOS keeps the older of
	 * two eBGP paths (off with `bgp bestpath compare-routerid`), `bgp
	 * bestpath as-path ignore`, `bgp always-compare-med`, `bgp bestpath
	 * med missing-as-worst` (BIRD: all off) */
	bool oldest_ebgp, as_path_ignore, always_med;
};
/* RFC 4271 9.1.2.2 with RFC 4456 9: is a preferred over b? */
bool rib_decide(const struct rib_path *a, const struct rib_path *b);

/* RFC 4456 §6 / BIRD 1.6 proto/bgp/attrs.c bgp_import_control: may an iBGP-learned route from a
 * (client or not) go to b (client or not)?  IOS: a client's routes go to
 * everyone (to other clients only with client-to-client reflection), a
 * non-client's to clients; BIRD: when either side is an rr client. */
bool rib_reflect_ok(bool bird, bool from_client, bool to_client,
                    bool client_to_client);

enum rib_drop {
	RIB_DROP_NONE = 0,
	RIB_DROP_CLUSTER,    /* CLUSTER_LIST holds our cluster id */
	RIB_DROP_ORIGINATOR, /* ORIGINATOR_ID is our router id */
	RIB_DROP_ASLOOP,     /* AS_PATH holds our AS */
	RIB_DROP_WITHDRAW,   /* RFC 7606 treat-as-withdraw */
	RIB_DROP_FAMILY,     /* a family the session does not carry */
	RIB_DROP_POLICY,     /* IOS filter-list, prefix-list or route-map in */
	RIB_DROP_BGPFILTER,  /* a Calico BGPFilter import rule */
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
	RIB_POLICY_OUT, /* IOS filter-list, prefix-list or route-map out */
	RIB_BGPFILTER, /* a BGPFilter export rule rejects it */
};

/* R32: where a prefix sits among the Calico IPPools */
enum rib_pool { RIB_POOL_NONE = 1, RIB_POOL_IN, RIB_POOL_NO_EXPORT };

/* the speaker's side of the RIB */
struct rib_spk {
	struct rib_map local; /* own routes: pid -> attrs */
	uint32_t nbest;       /* prefixes with a best path */
	bool calico;          /* R32 export policy */
};

/* one side's part: its Adj-RIB-In, and the first import drop */
struct rib_side {
	struct rib_map in; /* after import checks: pid -> attrs */
	bool split_horizon; /* nothing learned here goes out (rib_sides_init) */
	uint32_t peer_rank; /* the order of peer addresses (rib_sides_init) */
	uint8_t drop;
	uint32_t ndrops, drop_pid, drop_val;
};

/*
 * What an UPDATE says, read into the RIB's terms (inbound.c): prefixes
 * withdrawn and prefixes reachable with one attribute set, or the reason
 * the whole UPDATE is not taken (family, RFC 7606 treat-as-withdraw).
 */
struct rib_update {
	const uint32_t *withdrawn;
	uint32_t nwithdrawn;
	const uint32_t *nlri;
	uint32_t nnlri;
	uint32_t first;     /* the first prefix written (names a drop) */
	uint32_t attrs;     /* the set, 0 when dropped */
	enum rib_drop drop; /* before the import checks */
};

#define RIB_SRC_LOCAL (UINT32_MAX - 1)

/* an UPDATE delivered on side si, read */
void rib_import(struct world *w, uint32_t si, const struct rib_update *u);
/* side si left Established: its routes are withdrawn */
void rib_side_down(struct world *w, uint32_t si);
/* derived once from the configuration (split horizon per side) */
void rib_sides_init(struct world *w);
/* own routes of every speaker (R30, IOS network statements) */
void rib_originate(struct world *w);
/* RFC 4271 9.1.2: the best source of pid at speaker k: side index,
 * RIB_SRC_LOCAL or SIM_NONE; *attrs its set */
uint32_t rib_decision(const struct world *w, uint32_t k, uint32_t pid,
                      uint32_t *attrs);
/* IOS `maximum-paths [ibgp|eibgp] N`: how many paths speaker k installs
 * for a prefix whose best source is best (1: no multipath); whether path
 * (src, ia) may join best's (ba) set; which of two joins first (the
 * decision's order) */
uint32_t rib_multipath_max(const struct world *w, uint32_t k, uint32_t best);
/* a Calico node's kernel protocol, `merge paths on` (BIRD 1.6's default
 * limit): the next hops of its ECMP kernel route */
#define BIRD_MERGE_LIMIT 16
bool rib_multipath_ok(const struct world *w, uint32_t k, uint32_t best,
                      uint32_t ba, uint32_t src, uint32_t ia);
bool rib_multipath_before(const struct world *w, uint32_t k, uint32_t sa,
                          uint32_t ia, uint32_t sb, uint32_t ib);
/* the Loc-RIB: the best source, stored or computed (cache.c) */
uint32_t rib_best(const struct world *w, uint32_t k, uint32_t pid,
                  uint32_t *attrs);
void rib_best_set(struct world *w, uint32_t k, uint32_t pid, uint32_t src);
/* is route (src, ia) for pid exportable on some side of k? */
bool rib_exportable(const struct world *w, uint32_t k, uint32_t pid,
                    uint32_t src, uint32_t ia);
enum rib_pool rib_pool_class(const struct rr_model *m,
                             const struct rr_prefix *p);
/* Policy only: may speaker k send route (src, ia) for pid on side di? */
enum rib_why rib_export_policy(const struct world *w, uint32_t k,
                               uint32_t pid, uint32_t src, uint32_t ia,
                               uint32_t di);
/* ... with the session's state, for the verdict */
enum rib_why rib_export_why(const struct world *w, uint32_t k, uint32_t pid,
                            uint32_t si);

/*
 * Sides of one speaker that export alike (adjout.c): the attributes a
 * route leaves with depend on the side only through these.
 */
struct rib_class {
	bool ibgp, nh_self, nh_self_all, nh_keep;
	bool no_comms; /* IOS without `send-community`: COMMUNITIES stripped */
	uint32_t cluster_id, local_as;
	uint32_t override_as; /* IOS as-override: the peer's AS, else 0 */
	struct rr_addr local;
	/* IOS toward eBGP: the subnet shared with the peer (RFC 4271 5.1.3
	 * third-party next hop), len 0 / af 0 when none */
	struct rr_prefix shared;
};
/* The attributes route (src, ia) of speaker k leaves with toward class
 * c: RFC 4456 8 reflection, RFC 4271 5.1 toward eBGP; 0 when they cannot
 * be built (an AS_PATH or CLUSTER_LIST too long). */
uint32_t rib_export_attrs(struct world *w, uint32_t k, uint32_t src,
                          uint32_t ia, const struct rib_class *c);

/* ------------------------------------------------------ bird_policy.c */

/* A Calico node's BIRD filters as confd writes them.  The export policy
 * of side di for a route (RIB_OK, RIB_BGPFILTER, RIB_CALICO_*); the
 * attributes it leaves with after the filter (communities, BGPFilter
 * operations), before BGP's own export changes; an imported route after
 * the session's BGPFilter import rules (0: rejected). */
enum rib_why bird_export_policy(const struct world *w, uint32_t di,
                                uint32_t pid, uint32_t src, uint32_t ia);
uint32_t bird_export_attrs(struct world *w, uint32_t di, uint32_t pid,
                           uint32_t src, uint32_t ia);
uint32_t bird_import(struct world *w, uint32_t si, uint32_t pid, uint32_t ia);
/* BIRD gives a received route without LOCAL_PREF the value 0. */
uint32_t bird_import_lp(struct world *w, uint32_t ia, bool ebgp);
/* Once the world is built: each session's BGPFilters; notes on what the
 * simulation cannot evaluate. */
void bird_policy_build(struct world *w, struct rr_diags *d);

/* ----------------------------------------------------------- adjout.c */

/* A prefix in a speaker's log: the best path when logged (kept current
 * while the entry stands). */
struct rib_logent {
	uint32_t pid;
	uint32_t src, ia;
	uint32_t gen; /* the log's version when last written */
	bool stale;   /* a later entry stands for the prefix */
};

/* Sides of a speaker that the export treats alike: an update group. */
struct adjout_group {
	uint32_t cls; /* destination class + 1 */
	uint8_t kind; /* the session's codec (adjout.c codec_kind) */
	bool ipv6, v4_active, rr_client, client_to_client;
	/* a Calico node's BGPFilters: their export rules decide too (sides
	 * with the same filters, in the same order, share a group) */
	const struct rr_bgpfilter **filters;
	size_t nfilters;
};

/* a speaker's outbound part */
struct adjout_spk {
	struct rib_logent *log; /* prefixes whose exportable best changed */
	uint32_t nlog, caplog;
	struct rib_map logpos; /* pid -> last log index + 1 */
	uint32_t nvalid;       /* prefixes in the log */
	uint32_t version;      /* bumped by every write to the log */
	uint32_t epoch;        /* bumped when the log is compacted */
	struct rib_class *classes;
	uint32_t nclasses, capclasses;
	struct adjout_group *groups;
	uint32_t ngroups, capgroups;
};

struct adjout_reading;

/*
 * UPDATEs composed for one side from a range of the log, back to back:
 * message i ends at end[i] and carries npfx[i] prefixes (which: mpids).  A side's own,
 * or a template the cache keeps for its update group: then also what it
 * was composed from, so that another member can check it would compose
 * the same (no change in the range since, no route of its own in it, the
 * same advertised bits where something is withdrawn).
 */
struct adjout_batch {
	uint8_t *bytes;
	uint32_t len, cap;
	uint32_t *end, *npfx;
	uint32_t nmsg, capmsg;
	uint32_t *mpids, *mend; /* the prefixes of message i: mpids[mend[i-1]
	                           .. mend[i]) */
	uint32_t capmp;
	uint32_t version;    /* the log's version when composed */
	uint32_t *on, *off;  /* prefixes announced, withdrawn */
	uint32_t *cand;      /* prefixes not exported... */
	uint8_t *cand_adv;   /* ... and whether the composer had them out */
	uint32_t non, noff, ncand, capon, capoff, capcand;
	struct adjout_reading *readings; /* templates: as receivers read it */
};

/* a side's Adj-RIB-Out */
struct adjout_side {
	uint32_t cursor; /* next log entry to compose */
	uint64_t *adv;   /* advertised prefixes, a bit each */
	uint32_t nadv;   /* words */
	uint32_t cls;    /* destination class + 1 */
	uint32_t grp;    /* update group + 1, while up */
	bool pending;    /* queued for export */
	struct adjout_batch *cur; /* being sent: a template or &own */
	uint32_t next;                  /* its next message */
	struct adjout_batch own;
};

/* the best path of pid at speaker k changed from (old, oa) to (nw, na) */
void adjout_best_changed(struct world *w, uint32_t k, uint32_t pid,
                         uint32_t old, uint32_t oa, uint32_t nw, uint32_t na);
/* side si came up (or was asked to refresh): send it the table */
void adjout_side_up(struct world *w, uint32_t si);
void adjout_side_down(struct world *w, uint32_t si);
/* send what side si still owes its peer while its window allows */
void adjout_export_side(struct world *w, uint32_t si);
/* queue the export of speaker k (or only side si) at the current time */
void adjout_queue_speaker(struct world *w, uint32_t k);
void adjout_queue_side(struct world *w, uint32_t si);
/* an SEV_EXPORT event */
void adjout_run(struct world *w, uint32_t k);
void adjout_batch_free(struct adjout_batch *b);
void adjout_release(struct world *w);

/* ------------------------------------------------------------ cache.c */

/*
 * Every cache of the simulator, behind one object.  None of them changes
 * what happens; with `plain` every lookup misses and nothing is kept, and
 * the run is the same byte for byte (the plain suite of make check):
 *
 *   decoded UPDATEs by their bytes (a reflector's clients receive the
 *     same bytes), with what inbound.c read from each;
 *   update-group templates: UPDATEs composed for one member, sent by
 *     the others, read once per kind of receiver;
 *   received attribute bytes -> attribute set;
 *   export attributes: (speaker, set, source, class) -> set out;
 *   the Loc-RIB of speakers with many sessions (else computed);
 *   peers' OPENs (most differ only in identifier and hold time);
 *   batches taken alike (cache_batch_*): RIB pages before -> after.
 */
struct cache_dec {
	const uint8_t *bytes;
	uint32_t len;
	uint8_t codec;
	struct bgp_msg msg;
	/* inbound.c's reading of it: the set of its attribute bytes and
	 * the ids of its NLRI (NULL: not read yet) */
	uint32_t raw_id;
	uint32_t *nlri_pids;
};

struct cache_raw {
	const uint8_t *bytes;
	uint32_t len, id;
	bool as4;
};

struct cache_xf {
	uint32_t k, ia, src, cls, out;
};

struct cache_tmpl {
	uint32_t k, grp, epoch, a, b;
	struct adjout_batch *t;
};

struct cache_open {
	const uint8_t *key; /* the OPEN re-encoded with identifier and hold 0 */
	size_t len;
	struct bgp_open open;
};

struct sim_cache {
	bool plain;
	/* decoded UPDATEs: kept until CACHE_DEC_MAX, then let go at once
	 * (when none is being delivered) */
	struct chash dec;
	struct cache_dec **decv; /* stable: entries live in dec_arena */
	uint32_t ndec, capdec, busy;
	struct rr_arena dec_arena;
	/* received attribute bytes */
	struct chash raw;
	struct cache_raw *rawv;
	uint32_t nraw, capraw;
	/* export attributes */
	struct chash xf;
	struct cache_xf *xfv;
	uint32_t nxf, capxf;
	/* Loc-RIB per speaker: pid -> source code (1 local, side + 2) */
	struct rib_map *best;
	bool *stored;
	uint32_t nspk;
	/* Adj-RIB-In pages shared by content (at most CACHE_PAGES) */
	struct chash pages;
	struct rib_page **pagev;
	uint32_t npage, cappage, page_sweep;
	uint64_t page_hits;
	/* update-group templates, kept for the run (at most
	 * CACHE_TMPL_BYTES) */
	struct chash tmpl;
	struct cache_tmpl *tmplv;
	uint32_t ntmpl, captmpl;
	size_t tmpl_bytes;
	uint64_t tmpl_hits, tmpl_misses;
	/* batches taken alike (at most CACHE_BO_MAX) */
	struct chash bo;
	struct cache_bo *bov;
	uint32_t nbo, capbo;
	uint64_t bo_hits, bo_misses;
	struct cache_batch *rec; /* being recorded, with the hook */
	struct chash seg; /* what a batch's messages are */
	struct cache_seg **segv;
	uint32_t nseg, capseg;
	struct rr_arena seg_arena;
	/* next-hop owners of best paths by the pages they come from */
	struct chash nh;
	struct cache_nh **nhv; /* stable: entries live in arena */
	uint32_t nnh, capnh;
	uint64_t nh_hits;
	/* peers' OPENs */
	struct chash opens;
	struct cache_open *openv;
	uint32_t nopen, capopen;
	struct rr_arena arena; /* keys, raw bytes, shared OPENs */
	uint64_t dec_hits, dec_misses, read_hits;
};

void cache_init(struct world *w, bool plain);
void cache_release(struct sim_cache *c);
/* UPDATE bytes decoded with codec rx (pinned until cache_unpin), NULL
 * when plain or when they do not decode (the machine decodes them and
 * reports the error) */
struct cache_dec *cache_decoded(struct world *w, const struct bgp_codec *rx,
                                const uint8_t *b, size_t n);
void cache_unpin(struct world *w);
uint32_t cache_raw_get(struct world *w, const uint8_t *b, size_t n, bool as4);
void cache_raw_put(struct world *w, const uint8_t *b, size_t n, bool as4,
                   uint32_t id);
uint32_t cache_xf_get(struct world *w, uint32_t k, uint32_t ia, uint32_t src,
                      uint32_t cls);
void cache_xf_put(struct world *w, uint32_t k, uint32_t ia, uint32_t src,
                  uint32_t cls, uint32_t out);
/* the stored Loc-RIB of k: true with *code (0 none, 1 local, side + 2) */
bool cache_best_get(const struct world *w, uint32_t k, uint32_t pid,
                    uint32_t *code);
void cache_best_put(struct world *w, uint32_t k, uint32_t pid,
                    uint32_t code);
/* the template of update group grp of speaker k for log range [a, b) in
 * this epoch, NULL; _put keeps a copy of b (NULL when full or plain) */
struct adjout_batch *cache_tmpl_get(struct world *w, uint32_t k, uint32_t grp,
                                    uint32_t epoch, uint32_t a, uint32_t b);
struct adjout_batch *cache_tmpl_put(struct world *w, uint32_t k,
                                          uint32_t grp, uint32_t epoch,
                                          uint32_t a, uint32_t b,
                                          const struct adjout_batch *batch);
/* share the pages of Adj-RIB-In m written since the last seal with the
 * identical ones other maps hold */
void cache_seal(struct world *w, struct rib_map *m);
/* side si is about to take up to n routes: its Adj-RIB-In and its
 * speaker's stored Loc-RIB turn into pages first if they will be large;
 * after: both sealed */
void cache_side_reserve(struct world *w, uint32_t si, uint32_t n);
void cache_side_seal(struct world *w, uint32_t si);
/* the machine's peer OPEN, shared with every machine that got the same
 * one (its own copy is let go) */
void cache_share_open(struct world *w, struct fsm *f);

/*
 * Batches taken alike: a Calico node's Adj-RIB-In and Loc-RIB after a
 * template's messages [first, first + n) arrive on one of its sessions
 * depend only on the reading, the pages of its RIBs those messages touch
 * and how its sessions are configured -- the same for thousands of
 * clients of a reflector but for their own blocks.  cache_batch_get()
 * gives a speaker in a state met before the pages it ended with (true:
 * taken, nothing else to do); otherwise, when the batch qualifies, it
 * notes the state and cache_batch_put() keeps the outcome once
 * rib_import() has taken the messages.
 */
#define CACHE_BO_PAGES 4 /* pages one batch touches, at most */
#define CACHE_BO_SIDES 4 /* sessions of the speaker, at most */
struct cache_bo {
	const struct adjout_reading *rd;
	uint32_t first, n, slot, ns, npg;
	uint32_t pg[CACHE_BO_PAGES];
	uint32_t peer_id[CACHE_BO_SIDES], rank[CACHE_BO_SIDES];
	struct rr_addr peer[CACHE_BO_SIDES];
	/* before: Loc-RIB, then each session's Adj-RIB-In; after: Loc-RIB,
	 * the Adj-RIB-In of session slot (NULL: empty) */
	struct rib_page *pre[CACHE_BO_PAGES][1 + CACHE_BO_SIDES];
	struct rib_page *post[CACHE_BO_PAGES][2];
	/* the best-route hook's calls (rrkit rollout): prefix, from, to
	 * (session slots, SIM_NONE), in order */
	uint32_t *calls;
	uint32_t ncalls, capcalls;
	int32_t dbest;       /* prefixes with a best path gained */
	uint32_t nchanged;   /* best-path changes */
	bool in_changed;     /* the Adj-RIB-In changed */
	uint64_t hash;
};
struct cache_batch {
	bool rec; /* a state to record the outcome of */
	uint32_t si, k;
	uint64_t version, nbest, tv;
	uint32_t ndrops;
	bool hook_bad; /* a hook call that cannot be replayed */
	sim_best_fn hook;
	void *hook_ctx;
	struct cache_bo e;
};
/* For each prefix of page i: the speaker owning the next hop of speaker
 * k's best path (SIM_NONE: no best path, its own route, no owner) --
 * worked out once for every speaker whose Loc-RIB and Adj-RIB-In pages
 * there are the same shared pages (the verdict asks it for every node);
 * NULL when plain or when the pages are not shared. */
const uint32_t *cache_nh_page(struct world *w, uint32_t k, uint32_t i);
bool cache_batch_get(struct world *w, uint32_t si,
                     const struct adjout_reading *rd, uint32_t first,
                     uint32_t n, struct cache_batch *b);
void cache_batch_put(struct world *w, struct cache_batch *b);

/* ------------------------------------------------------------ world.c */

/* bytes one end of a connection sent the other, not yet delivered */
struct wmark {
	uint64_t sent_ms;
	uint64_t end; /* byte count through which this batch goes */
	bool fin;
	bool batch; /* UPDATEs of one adjout batch, nothing else */
	struct adjout_batch *tmpl; /* ... of this template, NULL */
	const uint8_t *ext; /* the template's bytes (not in the buffer) */
	uint32_t first, n;               /* its messages */
};
struct wpipe {
	uint8_t *buf; /* bytes [done, total) at buf[head..], but for the
	                 marks whose bytes are a template's (ext) */
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
	bool pw_unknown; /* from a Secret not given: matches a peer's */
	uint64_t pw_hash;
	bool v4_active;        /* IOS: IPv4 unicast activated */
	bool client_to_client; /* IOS reflection between clients */
	uint32_t cluster_id;   /* the id prepended when reflecting */
	bool bird_nh_self, bird_nh_keep, ios_nhs, ios_nhs_all;
	bool pol_in, pol_out; /* IOS neighbor policy (policy.c) */
	/* IOS `maximum-prefix N [warning-only]`: N (0: none), and whether
	 * the count went past it */
	uint32_t max_prefix;
	uint32_t max_prefix_restart; /* minutes, 0: until 'clear ip bgp' */
	uint32_t max_prefix_gen;     /* bumped by each stop (restart events) */
	bool max_prefix_warn, max_prefix_hit;
	/* Calico: the session's BGPFilters that exist, in order */
	const struct rr_bgpfilter **bird_filters;
	size_t nbird_filters;
	const char *disabled_why;
	struct rr_loc disabled_at;
	bool deconfigured; /* rollout: removed by a step (sim_reconf) */
	/* the side's last two events (index + 1, 0: none), the last first:
	 * a change that repeats the one before the last folds into it */
	size_t ev_last[2];
	uint64_t done_in, done_out, done_upd_in; /* counters of released fsms */
	struct rib_side rib;
	struct adjout_side out;
};

/* policy.c: IOS neighbor filter-list, prefix-list, route-map and weight */
/* IOS `neighbor X send-community [standard|both]`: does side s send
 * COMMUNITIES?  (IOS sends none without it; a Calico node always does.) */
bool policy_sends_comms(const struct world *w, const struct wside *s);
/* Whether side s (an IOS neighbor) has a policy in direction `in`. */
bool policy_side_has(const struct world *w, const struct wside *s, bool in);
/* The attributes route (pid, ia) is kept with after side si's inbound
 * policy, 0: denied. */
uint32_t policy_import(struct world *w, uint32_t si, uint32_t pid,
                       uint32_t ia);
/* Whether side di's outbound filters let route (pid, ia) leave. */
bool policy_export_ok(const struct world *w, uint32_t di, uint32_t pid,
                      uint32_t ia);
/* `out` (the attributes after RFC 4271/4456 export) with side di's
 * outbound route-map set clauses applied. */
uint32_t policy_export_sets(struct world *w, uint32_t di, uint32_t pid,
                            uint32_t src, uint32_t ia, uint32_t out);
/* Notes for the clauses sim does not evaluate (world build). */
void policy_check(const struct world *w, struct rr_diags *d);

/* reconfig.c: every machine of side si stops, a Cease with subcode `sub`
 * where a session exists */
void stop_side(struct world *w, uint32_t si, uint8_t sub);
/* reconfig.c: side si went past its maximum-prefix (an SEV_MAXPFX) */
void max_prefix_stop(struct world *w, uint32_t si);
/* reconfig.c: IOS brings a side stopped by maximum-prefix back (restart) */
void max_prefix_restart(struct world *w, uint32_t si, uint32_t gen);

struct wspk {
	struct sim_speaker pub;
	uint16_t listen_port;
	bool bird;
	uint16_t next_port; /* ephemeral ports */
	bool export_queued;
	struct rib_spk rib;
	struct adjout_spk out;
};

struct wcut {
	uint32_t a, b;
	bool cut;
};

/* address -> speaker, (speaker, source address) -> side */
struct waddr {
	uint32_t tag; /* 0: owner table; speaker + 1: acceptor table */
	struct rr_addr a;
	uint32_t val;
};

struct world {
	const struct rr_model *m;
	struct rr_arena arena;
	struct sim_opts opts;
	uint32_t bird_prio[2]; /* Calico normal route priority, IPv4, IPv6 */
	struct sched sched;
	struct wspk *spk;
	uint32_t nspk;
	struct wside *side;
	uint32_t nside;
	bool built; /* world_build done (world_lock_holder) */
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
	/* address tables */
	struct chash addrs;
	struct waddr *addrv;
	uint32_t naddr, capaddr;
	/* our own OPENs, one per (profile, AS, identifier, hold, family) */
	struct wopen **own;
	uint32_t nown, capown;
	/* sides with an export queued (adjout.c) */
	uint32_t *pend;
	uint32_t npend, cappend;
	bool pend_queued;
	/* prefixes and attribute sets (attrs.c) */
	struct rib_pfx *pfx;
	uint32_t npfx, cappfx;
	struct chash pfx_hash;
	struct rib_attrs **attrs;
	uint32_t nattrs, capattrs;
	struct chash attr_hash;
	struct rr_arena rib_arena;
	/* scratch for building UPDATEs */
	struct bgp_nlri *nlri_buf;
	struct bgp_attr *attr_buf;
	uint32_t *pidbuf;
	uint32_t npidbuf;
	/* messages decoded one by one (session.c) */
	struct rr_arena scratch;
	uint32_t nscratch;
	struct sim_cache cache;
	struct sim_stats stats;
};

static inline const struct rib_attrs *
rib_attrs(const struct world *w, uint32_t id)
{
	return id ? w->attrs[id - 1] : NULL;
}

/* Our own OPEN, built once. */
struct wopen {
	const struct bgp_profile *profile;
	uint32_t asn, router_id;
	uint16_t hold;
	bool ipv6;
	unsigned afs; /* rr_nb_af_mask of an IOS neighbor, 0: ipv6's family */
	uint32_t
	        gr_time; /* BIRD's graceful restart time, UINT32_MAX: default */
	struct bgp_open open;
};

int world_build(struct world *w, const struct rr_model *m,
                const struct sim_opts *o, struct rr_diags *d);
void world_release(struct world *w);
uint32_t world_owner(const struct world *w, const struct rr_addr *a);
/* the side of speaker k for a connection from src, SIM_NONE */
uint32_t world_acceptor(const struct world *w, uint32_t k,
                        const struct rr_addr *src);
/* side si configured anew with nb (rrkit rollout, reconfig.c) */
uint32_t world_lock_holder(const struct world *w, uint32_t si);
bool world_lock_check(struct world *w, uint32_t si);
uint32_t world_lock_release(struct world *w, uint32_t si);
void world_repair(struct world *w, uint32_t si);
void world_side_config(struct world *w, uint32_t si,
                       const struct rr_neighbor *nb);
/* something a route or session verdict depends on changed now */
void world_changed(struct world *w);
bool world_failed(const struct world *w, uint32_t k);

/* -------------------------------------------------------------- tcp.c */

void tcp_on_syn(struct world *w, uint32_t ci);
void tcp_on_synack(struct world *w, uint32_t ci);
void tcp_on_rst(struct world *w, uint32_t ci);
void tcp_on_data(struct world *w, uint32_t ci, uint8_t e);
void tcp_on_fault(struct world *w, uint32_t i);
/* machine fi dials its side's peer */
void tcp_dial(struct world *w, uint32_t fi);
/* machine fi lets its connection go (a FIN leaves when it was up) */
void tcp_close(struct world *w, uint32_t fi);
/* bytes machine fi sends; false when it has no connection */
bool tcp_send(struct world *w, uint32_t fi, const uint8_t *b, size_t n);
/* messages [first, first + n) of batch bt sent by machine fi, in one
 * piece of the stream (tmpl: bt when it is a template) */
bool tcp_send_batch(struct world *w, uint32_t fi, struct adjout_batch *bt,
                    bool tmpl, uint32_t first, uint32_t n);
/* bytes in flight from machine fi */
uint64_t tcp_inflight(const struct world *w, uint32_t fi);
/* the receiving end's window on fi's connection (bytes) */
uint32_t tcp_window(const struct world *w, uint32_t fi);
bool tcp_link_cut(const struct world *w, uint32_t a, uint32_t b);
void tcp_release(struct world *w);

/* ---------------------------------------------------------- session.c */

/* a new machine for side si */
uint32_t session_alloc(struct world *w, uint32_t si);
void session_free(struct world *w, uint32_t fi);
/* one event into machine fi and everything that follows from it */
void session_kick(struct world *w, uint32_t fi, enum fsm_event ev);
/* a whole message received by machine fi */
void session_recv(struct world *w, uint32_t fi, const uint8_t *b, size_t n);
/* the machine of side ti that takes a new connection, SIM_NONE */
uint32_t session_take(struct world *w, uint32_t ti);
/* the socket-level outcome of side si's attempt (BIRD's "Socket:") */
void session_sock(struct world *w, uint32_t si, enum sim_sock_err e);
/* a failed speaker's side: down, no message */
void session_fail(struct world *w, uint32_t si);
void session_on_start(struct world *w, uint32_t si);
void session_on_timer(struct world *w, const struct sched_ev *ev);
/* the Established machine of side si, or NULL */
struct fsm *session_fsm(struct world *w, uint32_t si);
/* bytes side si may still put in flight (0: wait for the peer) */
uint32_t session_room(const struct world *w, uint32_t si);
/* messages [first, first + n) of batch bt on side si (Established) */
bool session_send_batch(struct world *w, uint32_t si,
                        struct adjout_batch *bt, bool tmpl,
                        uint32_t first, uint32_t n);
/* messages [first, first + n) of template t received by machine fi at
 * once; false when they must go one by one (not Established, or they do
 * not read cleanly) */
bool session_recv_batch(struct world *w, uint32_t fi,
                        struct adjout_batch *t, uint32_t first,
                        uint32_t n);
void session_release(struct world *w);

/* ---------------------------------------------------------- inbound.c */

/* an UPDATE delivered to side si (cd: its cache entry, NULL) */
void inbound_update(struct world *w, uint32_t si, const struct bgp_update *u,
                    struct cache_dec *cd);

/* a template's messages as one kind of receiver reads them */
struct adjout_reading {
	struct adjout_reading *next;
	uint32_t key;  /* inbound_key() */
	bool clean;    /* every message read decoded: else one by one */
	struct rib_update *ru; /* per message... */
	bool *done;            /* ... once read */
};
uint32_t inbound_key(struct world *w, uint32_t si);
/* template t as side si reads it, messages [first, first + n) read (in
 * the cache's arena, on first use) */
struct adjout_reading *inbound_reading(struct world *w, uint32_t si,
                                       struct adjout_batch *t, uint32_t first,
                                       uint32_t n);

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
/* one event of the run (sim_run, reconfig.c) */
void sim_dispatch(struct world *w, const struct sched_ev *ev);
/* how long nothing may change before the run is quiet */
uint64_t sim_quiet_ms(const struct world *w);

/* ---------------------------------------------------------- verdict.c */

/* before the run: hold down the sessions the analysis finds down for a
 * reason the engine does not play */
void verdict_prepare(struct sim *s);
/* after the run: count and explain what is expected and missing */
void verdict_finish(struct sim *s);

#endif
