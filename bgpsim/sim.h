/*
 * bgpsim/sim.h: the simulator, the bgpsim module's one public header.  It
 * includes bgp/bgp.h (codec, state machine, profiles), on which the
 * simulator is built.
 *
 * sim_new() builds a world from a resolved, read-only model: one speaker
 * per IOS router and per Calico node, one side per configured session on
 * each speaker (IOS neighbors, the dynamic neighbors an IOS listen range
 * would create, BIRD protocols), each side driven by the I/O-free state
 * machine of bgp/ with the IOS or BIRD 1.6 profile.  sim_run() plays it on
 * a virtual clock: TCP connections that succeed only where the target owns
 * the address, listens on the port, accepts the source and agrees on TCP
 * MD5; real BGP bytes both ways (every UPDATE built as struct bgp_update,
 * encoded with the sender's codec and decoded with the receiver's, once per
 * update group and once per distinct bytes, docs/sim.md); RFC 4271
 * 9.1 decision process and RFC 4456 route reflection; the faults asked for.
 * Afterwards the accessors below read the sessions, the state changes, the
 * routes each speaker holds and the verdict.  No I/O, no global state, no
 * wall clock: two runs on the same model give the same result.
 *
 * Depends on bgp/, model/model.h and libc only.
 */
#ifndef RR_BGPSIM_SIM_H
#define RR_BGPSIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp/bgp.h"
#include "model/model.h"

#define SIM_NONE  UINT32_MAX /* no speaker / session */
#define SIM_NEVER UINT64_MAX /* a time that never came */

/* ------------------------------------------------------------- faults */

enum sim_fault_kind {
	SIM_FAULT_FAIL = 0, /* the speaker stops silently (no NOTIFICATION,
	                       no FIN): peers notice by their hold timer */
	SIM_FAULT_CUT,      /* the link between two speakers stops delivering */
	SIM_FAULT_RESTORE,  /* ... and delivers again (held bytes go through) */
};

struct sim_fault {
	enum sim_fault_kind kind;
	const char *a, *b; /* a speaker's name or one of its addresses */
	uint64_t at_ms;
};

/*
 * "SPEAKER@S" (fail) or "A,B@S" (cut, restore); S in seconds, with up to
 * three decimals.  Strings are copied into `a`.  Returns 0, or -1 with
 * *why set to a static reason.
 */
int sim_fault_parse(enum sim_fault_kind kind, const char *text,
                    struct rr_arena *a, struct sim_fault *out,
                    const char **why);

/* -------------------------------------------------------------- trace */

/*
 * Everything that crosses a simulated wire, in the order it happens, for a
 * pcap writer or a debugger.  Ports: the listener's (179 or the BIRD listen
 * port) and an ephemeral one per connection on the dialling side.
 */
enum sim_trace_kind {
	SIM_TR_SYN = 0, /* a connection attempt leaves the dialler */
	SIM_TR_ACCEPT,  /* the listener accepts it (SYN-ACK leaves) */
	SIM_TR_REFUSE,  /* the listener answers with a reset */
	SIM_TR_DROP,    /* lost: no such host, TCP MD5, cut, failed speaker */
	SIM_TR_DATA,    /* bytes: one or more whole BGP messages */
	SIM_TR_FIN,     /* one end closes */
};

struct sim_trace {
	enum sim_trace_kind kind;
	uint64_t t_ms;     /* when it leaves the sender */
	uint32_t conn;     /* connection number, unique in the run */
	uint32_t from, to; /* speakers (SIM_NONE: nobody owns the address) */
	struct rr_addr src, dst;
	uint16_t sport, dport;
	uint64_t seq; /* DATA, FIN: bytes this direction carried before */
	const uint8_t *bytes; /* DATA */
	size_t len;
	const char *why; /* REFUSE, DROP: static reason */
};
typedef void (*sim_trace_fn)(void *ctx, const struct sim_trace *t);

/* ----------------------------------------------------------- progress */

/*
 * Where a run is, for a progress line: called from sim_run() every
 * sim_opts.progress_every events (a few milliseconds of work apart; how
 * often to show something on a terminal is the caller's business).
 */
struct sim_progress {
	uint64_t t_ms;        /* simulated time */
	uint64_t events;      /* events handled so far */
	uint64_t messages;    /* BGP messages sent so far */
	uint64_t sessions_up; /* expected sessions Established now */
	uint64_t sessions_expected;
};
typedef void (*sim_progress_fn)(void *ctx, const struct sim_progress *p);

/* ------------------------------------------------------------ options */

/*
 * Speaker k's best route for prefix p went from session `from` to session
 * `to` at t_ms, one of them SIM_NONE (no route); SIM_LOCAL: its own.  pid
 * is p's index among the prefixes of the run: dense from 0, the same for
 * the same prefix until sim_free (a table indexed by it needs no hash).
 */
#define SIM_LOCAL (UINT32_MAX - 1)
typedef void (*sim_best_fn)(void *ctx, uint64_t t_ms, uint32_t k,
                            const struct rr_prefix *p, uint32_t pid,
                            uint32_t from, uint32_t to);

struct sim_opts {
	uint64_t until_ms;   /* stop there (0: until converged and quiet) */
	uint64_t cap_ms;     /* simulated-time bound (0: 600 s) */
	uint32_t latency_ms; /* one-way link latency (0: 1 ms) */
	const struct sim_fault *faults;
	size_t nfaults;
	sim_trace_fn trace; /* NULL: none */
	void *trace_ctx;
	sim_progress_fn progress; /* NULL: none */
	void *progress_ctx;
	uint64_t progress_every; /* events between two calls (0: 65536) */
	/* most distinct causes the verdict keeps (0: 1000); past it, what
	 * is missing is counted under one last cause that says so */
	size_t max_causes;	/* every cache off (bgpsim/cache.c): slower, and the same run byte
	 * for byte; for the tests that prove it */
	bool plain;
	/* called when a speaker's best route for a prefix appears or goes
	 * (rrkit rollout's loss accounting); NULL: none */
	sim_best_fn best;
	void *best_ctx;
};

/* ------------------------------------------------------------ results */

struct sim_speaker {
	const struct rr_speaker *spk;
	const char *name;
	enum rr_speaker_kind kind;
	const struct bgp_profile *profile;
	struct rr_addr addr; /* the address it is known by (node IP, router
	                        id when it owns it, else its first address) */
	uint32_t asn, router_id, cluster_id; /* host order; cluster: the id it
	                                        reflects with */
	bool failed;
	uint64_t failed_at_ms;
	uint32_t first_session, nsessions; /* its sessions, contiguous */
	uint64_t table_version;            /* best-path changes + 1 */
	uint32_t nbest;                    /* prefixes with a best path */
};

/* Socket-level outcome of the last connection attempt (BIRD's "Socket:"). */
enum sim_sock_err {
	SIM_SOCK_NONE = 0,
	SIM_SOCK_REFUSED, /* RST: "Connection refused" */
	SIM_SOCK_CLOSED,  /* the peer closed: "Connection closed" */
};

/* One configured session seen from one side. */
struct sim_session {
	uint32_t speaker;
	uint32_t peer_speaker; /* owner of peer address, SIM_NONE: nobody */
	uint32_t partner;      /* the other side's session, SIM_NONE: none */
	const struct rr_neighbor *nb; /* for a dynamic one: the listen range */
	bool dynamic;  /* IOS: created by a listen range for this peer */
	bool enabled;  /* started: not shutdown, activated, configurable */
	bool expected; /* counted by the verdict (one side per session) */
	/* BIRD: another protocol holds the lock on this neighbor's address
	 * and port; this one waits, start/Idle (not enabled) */
	bool lock_wait;
	bool ibgp;
	bool rr_client; /* the peer is this side's route-reflector client */
	bool ipv6;
	struct rr_addr local, peer;
	uint16_t port; /* the port it dials */
	enum fsm_state state;
	uint64_t since_ms;          /* last state change */
	uint64_t established_at_ms; /* last time it came up, SIM_NEVER */
	uint64_t up_down_ms;        /* last Established up/down change */
	bool negotiated;            /* hold/keepalive below are negotiated */
	uint16_t hold, keepalive;
	const char *last_error; /* why it last went down, NULL: never */
	enum fsm_down down;
	bool notif, notif_sent; /* the last NOTIFICATION, sent or received */
	uint8_t code, subcode;
	enum sim_sock_err sock;
	uint32_t peer_id, peer_as; /* from the peer's OPEN */
	uint64_t msgs_in, msgs_out, updates_in, updates_out;
	uint32_t pfx_rcvd; /* prefixes in its Adj-RIB-In */
	/* the last wait before the session starts again (the IdleHold
	 * timer; BIRD: the startup delay, "Startup delayed by N seconds due
	 * to errors"): when it began, how long, the error that set it (at
	 * wait_at_ms: this down was the error; earlier: BIRD kept the delay
	 * of that error) and what went wrong (NULL exactly when the delay
	 * was kept) */
	uint64_t wait_at_ms, wait_error_ms;
	uint32_t wait_s;
	const char *wait_why;
	uint32_t waits; /* waits begun */
};

/* A session state change, as `events` in the JSON. */
struct sim_event {
	uint64_t t_ms;
	uint32_t session;
	enum fsm_state state;
	const char *what; /* "Established", "down: hold timer expired", ... */
	/* the same change again `repeat` more times, the last at last_ms: a
	 * session that goes back and forth between two changes (a peer that
	 * refuses it every connect delay, a flap) keeps two events */
	uint32_t repeat;
	uint64_t last_ms;
};

/* A route a speaker holds: its own, or received and not dropped. */
struct sim_route {
	uint32_t speaker;
	struct rr_prefix prefix;
	bool best;
	/* installed beside the best one (`*m`): IOS `maximum-paths`; on a
	 * Calico node BIRD's `merge paths on` (one ECMP kernel route) */
	bool multipath;
	uint32_t session;        /* received on, SIM_NONE: originated here */
	struct rr_addr from;     /* the peer it came from (unset: local) */
	struct rr_addr next_hop; /* unset: local */
	uint8_t origin;
	bool has_local_pref, has_med, has_originator;
	uint32_t local_pref, med, originator_id;
	const uint32_t *cluster_list;
	size_t ncluster;
	const uint32_t *as_path; /* AS numbers in order (sets flattened) */
	size_t nas_path;
	const uint32_t *communities; /* RFC 1997, as received */
	size_t ncommunities;
	const uint32_t *large_communities; /* RFC 8092: three words each */
	size_t nlarge_words;
};
typedef void (*sim_route_fn)(void *ctx, const struct sim_route *r);

/*
 * The verdict.  Every expected session that is not up and every expected
 * route that does not arrive is counted under exactly one cause; a cause
 * is one root cause (a configuration line, a fault), with how many
 * sessions and routes it accounts for and the first few of them.  Memory
 * is bounded whatever the number of failures: at most max_causes causes
 * and SIM_CAUSE_EXAMPLES examples each.
 *
 * A cause is worded as a diagnostic (struct rr_diag, as lint reports it):
 * rule id, severity, location, message, notes (the other side's
 * locations).  The rule id is NULL for a fault (--fail, --cut) and where
 * no finding explains the miss; `unexplained` says rrkit cannot tell why.
 */
#define SIM_CAUSE_EXAMPLES 5

/* A route missing at a node. */
struct sim_route_ref {
	uint32_t node;   /* the node without the route */
	uint32_t origin; /* the node that originates it */
	struct rr_prefix prefix;
};

struct sim_cause {
	struct rr_diag diag;
	bool fault;       /* --fail or --cut, not the configuration */
	bool unexplained; /* rrkit cannot say why */
	uint64_t sessions, routes; /* what it accounts for */
	/* the first sessions: a side of each (the one whose configuration
	 * the cause names), an index for sim_session() */
	uint32_t session_ex[SIM_CAUSE_EXAMPLES];
	uint32_t nsession_ex;
	struct sim_route_ref route_ex[SIM_CAUSE_EXAMPLES];
	uint32_t nroute_ex;
};

struct sim_verdict {
	uint64_t sessions_up, sessions_expected;
	uint64_t routes_ok, routes_expected;
	bool ok;
	/* what the analysis could not judge (a peer no input owns, a Secret
	 * not given): not expected, and said in the notes with what rrkit
	 * does not model and could change the answer (IGPs, route-maps);
	 * a note has no rule id, a location where one line stands for it */
	uint64_t sessions_not_analysed, routes_not_analysed;
	const struct rr_diag *notes;
	size_t nnotes;
	/* the analysis's warnings, as lint prints them (rule id, message,
	 * locations): what works but is one change from breaking, or a
	 * session it did not analyse (a peer no input owns) */
	const struct rr_diag *warnings;
	size_t nwarnings;
	/* in the order first met: session causes, then route causes */
	const struct sim_cause *causes;
	size_t ncauses;
	/* service prefixes (the routes Calico nodes originate that are not
	 * blocks: service ranges, a Service's /32 and /128) at every router
	 * that holds one from a node: how many (router, prefix) pairs, how
	 * many use every equal path, and the others, the most paths left
	 * unused first (at most SIM_CAUSE_EXAMPLES).  A path is a distinct
	 * next hop IOS may install beside the best (same weight, LOCAL_PREF,
	 * AS_PATH, ORIGIN, MED); used: as many as `maximum-paths` allows.
	 * Nothing is lost, so this never makes the verdict not ok; the
	 * analysis's service-multipath-missing warning says what to add. */
	uint64_t services, services_balanced;
	struct sim_service {
		uint32_t router;
		struct rr_prefix prefix;
		uint32_t paths, used;
		bool mp_set; /* maximum-paths written (1 or more) */
		bool ebgp;   /* the best path is eBGP */
	} services_ex[SIM_CAUSE_EXAMPLES];
	uint32_t nservices_ex;
};

struct sim_stats {
	uint64_t end_ms;
	/* the last session state change, route change or fault: a converged
	 * run then stays quiet for three keepalive intervals (at least 30 s)
	 * to show that no hold timer expires, and ends there */
	uint64_t last_change_ms;
	bool converged; /* stopped because nothing changed any more */
	bool capped;    /* stopped by the simulated-time cap */
	uint64_t messages, bytes, updates, prefixes_sent;
	uint64_t connections, events;
	uint64_t mesh_sessions; /* m->mesh_sessions */
	bool mesh_elided;       /* the full mesh was too large to simulate */
};

/* ---------------------------------------------------------------- API */

struct sim;

/*
 * Build the world for `m` (resolved, read-only for the simulator's
 * lifetime).  Returns 0, or -1 with RR_SEV_FATAL diagnostics in d (a fault
 * naming no speaker, a speaker without addresses named by a fault...).
 */
int sim_new(const struct rr_model *m, const struct sim_opts *o,
            struct sim **out, struct rr_diags *d);
/* Run until converged and quiet, opts.until_ms, or the cap. */
void sim_run(struct sim *s);
void sim_free(struct sim *s);

size_t sim_nspeakers(const struct sim *s);
const struct sim_speaker *sim_speaker(const struct sim *s, size_t i);
/* The speaker with this name or address, SIM_NONE. */
uint32_t sim_find_speaker(const struct sim *s, const char *name_or_addr);
size_t sim_nsessions(const struct sim *s);
const struct sim_session *sim_session(const struct sim *s, size_t i);
size_t sim_nevents(const struct sim *s);
const struct sim_event *sim_event(const struct sim *s, size_t i);
/* The routes of one speaker, by prefix, the best one first; returns the
 * number of routes. */
size_t sim_routes(const struct sim *s, uint32_t speaker, sim_route_fn fn,
                  void *ctx);
const struct sim_verdict *sim_verdict(const struct sim *s);
const struct sim_stats *sim_stats(const struct sim *s);

/* BIRD's words for a NOTIFICATION ("Bad peer AS"; proto/bgp/packets.c). */
const char *sim_bird_notif_name(unsigned code, unsigned subcode);
/*
 * How `birdc show protocols` (and so `calicoctl node status`) shows a
 * session: the protocol state ("up", "start") and the info column
 * ("Established", "Active Socket: Connection refused",
 * "Idle Received: Bad peer AS", "Connect").
 */
const char *sim_bird_proto_state(const struct sim_session *ss);
const char *sim_bird_info(const struct sim_session *ss, char *buf, size_t len);

/* ----------------------------------------------------------- reconfig */

/*
 * bgpsim/reconfig.c: a configuration change applied to a running world
 * (rrkit rollout).  sim_start() starts the sessions that are enabled (as
 * sim_run() does at time 0), sim_advance() plays the events before `t_ms`
 * (SIM_NEVER: until converged and quiet, as sim_run() decides it) and
 * returns where the clock stands; between two calls the changes below act
 * at the clock's time.
 */
void sim_start(struct sim *s);
uint64_t sim_advance(struct sim *s, uint64_t t_ms);
/* Where the simulated clock stands. */
uint64_t sim_now(const struct sim *s);

enum sim_reconf {
	SIM_RC_STOP = 0, /* the session is de-configured (or shut down) */
	SIM_RC_START,    /* it is configured with `nb` and starts */
	SIM_RC_RESTART,  /* stopped, configured with `nb`, started again */
	SIM_RC_INPLACE,  /* configured with `nb`, the session runs on */
};
/*
 * Session si gets `nb` (a neighbor of the same speaker, peer and port; for
 * a dynamic side, the listen range).  STOP and RESTART send a Cease with
 * `cease_sub` (RFC 4486) when the session is past Active; a stopped session
 * is not restarted until START.  Before sim_start(), STOP only marks it
 * not started.
 */
void sim_reconf(struct sim *s, uint32_t si, enum sim_reconf how,
                const struct rr_neighbor *nb, uint8_t cease_sub);
/* An IOS speaker's `bgp cluster-id`: used for what it reflects from now. */
void sim_reconf_cluster_id(struct sim *s, uint32_t k, uint32_t id);
/* Sessions Established on both sides now (the enabled ones). */
uint64_t sim_established(const struct sim *s);

/* --------------------------------------------------------------- pcap */

/* bgpsim/pcap.c: a run's wire as a libpcap file (Ethernet/IP/TCP around
 * the real BGP bytes), fed by the trace hook. */
struct sim_pcap;

int sim_pcap_new(struct sim_pcap **out);
void sim_pcap_free(struct sim_pcap *p);
/* A sim_trace_fn: give it as sim_opts.trace with the sim_pcap as ctx. */
void sim_pcap_trace(void *ctx, const struct sim_trace *t);
/* The whole file so far (since the last sim_pcap_take). */
const uint8_t *sim_pcap_bytes(const struct sim_pcap *p, size_t *len);
/* What was added since the last call (the whole file so far the first
 * time), for a caller that writes the file as it grows; the buffer is
 * reused, so the bytes are valid until the next sim_pcap_trace(). */
const uint8_t *sim_pcap_take(struct sim_pcap *p, size_t *len);
uint64_t sim_pcap_frames(const struct sim_pcap *p);


#endif
