/*
 * rollout/: rehearsing a change (rrkit rollout, docs/rollout.md).
 *
 * A rehearsal takes the models of the successive states of a network
 * (models[0] the current one, models[n-1] the target), builds one simulated
 * world holding every session any of them configures, starts the sessions
 * of the first state, lets it converge, then applies each following state
 * at its time: session by session, the difference between the two states
 * as BIRD 1.6 and IOS apply a configuration change (ro_diff_neighbor), and
 * records every interval in which a Calico node had no route for a prefix
 * it had when the first step was applied (a service route aside), or a
 * router none for a service route it had, with its cause.
 *
 * Depends on model/, bgpsim/sim.h and libc only.
 */
#ifndef RR_ROLLOUT_ROLLOUT_H
#define RR_ROLLOUT_ROLLOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgpsim/sim.h"
#include "model/model.h"

/* ------------------------------------------------------------ the diff */

enum ro_change_kind {
	RO_ADDED = 0,   /* a session that was not configured starts */
	RO_REMOVED,     /* de-configured: Cease 6/3, routes withdrawn */
	RO_SHUTDOWN,    /* IOS `neighbor shutdown`: Cease 6/2 */
	RO_RESTARTED,   /* options changed: Cease 6/6, then starts again */
	RO_REPLACED,    /* BIRD: the protocol's name changed (one removed,
	                   Cease 6/3, one added) */
	RO_CHANGED,     /* changed in place, the session runs on */
	RO_CLUSTER_ID,  /* IOS bgp cluster-id */
	RO_KIND_N
};
extern const char *const ro_change_names[RO_KIND_N];

/*
 * What a configuration change from neighbor a to neighbor b (same speaker,
 * peer and port; NULL: not configured) does to the running session, on a
 * BIRD (Calico) or IOS speaker.  Returns false when nothing changes; else
 * the kind, the simulator's action and the Cease subcode it sends.
 */
bool ro_diff_neighbor(bool bird, const struct rr_neighbor *a,
                      const struct rr_neighbor *b, enum ro_change_kind *kind,
                      enum sim_reconf *how, uint8_t *cease);

/* --------------------------------------------------------- a rehearsal */

struct ro_change {
	enum ro_change_kind kind;
	const char *speaker; /* its name */
	const char *session; /* BIRD protocol name, NULL for IOS */
	const char *old_session; /* RO_REPLACED: the protocol removed */
	struct rr_addr peer;     /* unset for a listen range */
	struct rr_prefix range;  /* IOS listen range */
	bool is_range;
	uint16_t port;
	uint8_t cease; /* the Cease subcode sent, 0: none */
	uint32_t old_id, new_id; /* RO_CLUSTER_ID */
};

/* A session that waited before starting again, during a step. */
struct ro_wait {
	uint32_t speaker;
	const char *session; /* "Node_10_0_0_1 (to rr1)", in the arena */
	uint64_t at_ms;      /* the last wait of the step began */
	uint32_t secs;
	/* the error that set it: at at_ms, what went wrong (why); earlier,
	 * a BIRD startup delay kept from that error (why NULL) */
	uint64_t error_ms;
	const char *why;
	bool bird;         /* BIRD's startup delay, else the IdleHold timer */
	uint32_t forget_s; /* BIRD: error forget time, 0 */
	uint32_t count;    /* waits begun in the step */
};

struct ro_step {
	uint64_t at_ms;
	struct ro_change *changes;
	size_t nchanges;
	/* sessions Established when the next step is applied (or at the end) */
	uint64_t established;
	uint64_t added, removed, restarted; /* session counts by kind */
	/* sessions that waited before starting again, until the next step
	 * (or the end): the first RO_MAX_WAITS, by session */
	struct ro_wait *waits;
	size_t nwaits;
	uint64_t waits_dropped;
};

#define RO_MAX_WAITS 10000

/* One interval without a route. */
struct ro_loss {
	uint32_t node;   /* speaker index in the rehearsal's world */
	uint32_t origin; /* the node that originates the prefix, SIM_NONE */
	bool service;    /* a service route (origin SIM_NONE: every node
	                    advertising it) */
	struct rr_prefix prefix;
	uint64_t start_ms, end_ms; /* end SIM_NEVER: not back at the end */
	const char *cause;       /* what took it away */
	const char *group_cause; /* the same without node-specific names */
	const char *restored_by; /* the session it came back on, NULL */
};

/* What one node went through. */
struct ro_node_loss {
	uint32_t node;
	bool router;      /* a router (it lost service routes) */
	uint64_t routes;  /* (prefix, interval) pairs */
	uint64_t loss_ms; /* summed; an interval not closed counts to end */
	uint64_t first_ms, last_ms; /* window: first loss, last return */
	bool open;        /* a route is still missing at the end */
	const char *story; /* the group key: counts and causes */
};

#define RO_MAX_LOSSES 100000 /* intervals kept one by one */

struct ro_result {
	struct rr_arena arena;
	uint64_t converged_ms; /* the current state was quiet (step 1) */
	uint64_t end_ms;
	bool capped;          /* the simulated-time cap stopped the run */
	struct ro_step *steps; /* steps[i] brings models[i + 1] */
	size_t nsteps;
	struct ro_loss *loss; /* by node, then start */
	size_t nloss;
	uint64_t loss_dropped; /* intervals past RO_MAX_LOSSES, counted only */
	struct ro_node_loss *nodes; /* nodes that lost a route, model order */
	size_t nnodes;
	uint64_t routes_lost;     /* (node, prefix) pairs that lost a route */
	uint64_t intervals;       /* every interval, kept or not */
	uint64_t loss_ms;         /* node-milliseconds: summed per node and
	                             prefix, an interval not closed counting
	                             to the end */
	uint64_t worst_routes;    /* most routes missing at one moment */
	uint64_t worst_start_ms, worst_end_ms;
	uint32_t nspeakers;
	const char **speaker_names; /* by speaker index */
	/* what the rehearsal does not model and could change the answer */
	const char **notes;
	size_t nnotes;
};

struct ro_opts {
	uint64_t interval_ms; /* between two steps (0: 30 s) */
	uint32_t latency_ms;  /* sim_opts.latency_ms */
	bool plain;           /* sim_opts.plain */
	/* the simulated-time cap: the steps' intervals plus this (0: 1200
	 * s); a network still changing then is reported as stopped by it */
	uint64_t settle_ms;
};

/*
 * Rehearse the change through models[0..n) (n >= 2, resolved; the result
 * holds no pointer into them).  Returns 0, or -1 with RR_SEV_FATAL diagnostics in d
 * (a model holding a node-to-node mesh too large to simulate: returns -2).
 */
int ro_rehearse(const struct rr_model *const *models, size_t n,
                const struct ro_opts *o, struct ro_result *out,
                struct rr_diags *d);
void ro_result_release(struct ro_result *r);

/* ------------------------------------- a Calico file, resource by resource */

/* One YAML document of a file: a resource as calicoctl/kubectl name it. */
struct ro_doc {
	size_t off, len; /* its bytes in the file, the `---` line excluded */
	unsigned line;   /* its first line, 1-based */
	char api[96], kind[64], name[254], ns[64];
};

/*
 * The resources of a YAML file (documents holding only comments are
 * skipped), in file order, in *out (free()).  Returns -1 when a document
 * has no identity this reader is sure of (no kind, apiVersion or
 * metadata.name in block style at the top level, a List, flow style,
 * content after `---`): the caller then treats the file as one change.
 */
int ro_split_yaml(const char *buf, size_t len, struct ro_doc **out,
                  size_t *nout);
/* Whether two documents say the same, comments and blank lines aside. */
bool ro_same_doc(const char *a, size_t na, const char *b, size_t nb);

/*
 * A BGPPeer document (one ro_split_yaml accepted) rewritten as a temporary
 * peer of one node: a comment saying so, metadata holding only `name:
 * NAME`, spec without its node and nodeSelector and with `node: NODE`, the
 * rest as written (comments dropped).  NULL when the document has no
 * top-level metadata or spec block.  free() the result (*outlen bytes).
 */
char *ro_node_peer_doc(const char *doc, size_t len, const char *node,
                       const char *name, size_t *outlen);

/* ------------------------------------- a router's change, in two steps */

/*
 * The old IOS text with the lines of the neighbors the new text adds
 * (`neighbor X ...` and `no neighbor X ...` of an X the old text never
 * names, and new `bgp listen range` lines, within `router bgp`) inserted
 * at the end of the section each has in the new text, before that
 * section's subsections.  NULL when the change is not worth two steps: it
 * adds no neighbor, or it does nothing else (no line gone, none added but
 * those), or a new neighbor's section is not in the old text.  free() the
 * result (*outlen bytes, NUL-terminated).  Any text: bounded, no crash.
 */
char *ro_ios_add_neighbors(const char *old, size_t olen, const char *new_,
                           size_t nlen, size_t *outlen);

#endif
