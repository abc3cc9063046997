/*
 * analyze: what the network the model describes will do, decided once.
 *
 * For every session either side configures (IOS neighbors, the dynamic
 * neighbors a `bgp listen range` creates for the speakers that dial into
 * it, the BIRD protocols calico-node's confd renders), does it establish,
 * and if not its first cause, located on both sides.  Then every node's
 * pod blocks are propagated over the sessions that come up (RFC 4271 9.1
 * decision, iBGP split horizon, RFC 4456 reflection with IOS and BIRD's
 * own rules, ORIGINATOR_ID, CLUSTER_LIST, AS_PATH loops, next hops) and
 * every (node, block) that does not arrive gets where it stops and why.
 *
 * The failures are grouped into findings, one per root cause (a wrong
 * remote-as on a peer-group serving 1,000 nodes is one finding counting
 * 1,000 sessions), each an rr_diag with the rule id lint prints and sim's
 * verdict names.  Where rrkit does not model something that could change
 * the answer (IGPs, route-maps, VRFs, a Secret not given), a note says so
 * next to the verdict; it never turns into an error.
 *
 * Counting is sim's: a session is a pair of sides that accept each other
 * (counted once) or a node's side with no partner; a route is a (node,
 * other node's block) pair in a family the node runs BGP in.  At scale the
 * nodes the network treats alike are grouped into classes and every block
 * is propagated once per class (analyze/route.c); az_opts.no_classes turns
 * the grouping off, which must change nothing.
 *
 * Depends on model/ only; libc only.
 */
#ifndef RR_ANALYZE_H
#define RR_ANALYZE_H

#include "model/model.h"

#define AZ_NONE UINT32_MAX

/* The rule ids the analysis reports under (validate/rules.c has their
 * severities and summaries; a unit test holds the two together). */
enum az_rule {
	AZ_R_AS_INVALID = 0,
	AZ_R_AS_MISMATCH,
	AZ_R_AS_PATH_LOOP,
	AZ_R_BLOCK_OUTSIDE_POOL,
	AZ_R_CALICO_INVALID,
	AZ_R_CLIENT_REFLECTION_OFF,
	AZ_R_CLUSTER_ID_SHARED,
	AZ_R_HOLD_TIME_INVALID,
	AZ_R_LISTEN_LIMIT,
	AZ_R_MAXIMUM_PREFIX,
	AZ_R_MESH_NOT_DISABLED,
	AZ_R_NEIGHBOR_NOT_ACTIVATED,
	AZ_R_NEIGHBOR_ONE_SIDED,
	AZ_R_NEIGHBOR_SHUTDOWN,
	AZ_R_NEIGHBOR_WITHOUT_NODE,
	AZ_R_NEXT_HOP_UNREACHABLE,
	AZ_R_NODE_ISOLATED,
	AZ_R_NODE_WITHOUT_ADDRESS,
	AZ_R_NODE_WITHOUT_NEIGHBOR,
	AZ_R_NOTHING_ANALYSED,
	AZ_R_PASSWORD_MISMATCH,
	AZ_R_PEER_ADDRESS_UNKNOWN,
	AZ_R_PEER_DUPLICATE,
	AZ_R_PEER_UNREACHABLE,
	AZ_R_PEER_VIRTUAL_ADDRESS,
	AZ_R_PORT_MISMATCH,
	AZ_R_REACHABLE_BY_UNUSED,
	AZ_R_ROUTE_POLICY_DENY,
	AZ_R_ROUTER_ID_DUPLICATE,
	AZ_R_RR_CLIENT_MISSING,
	AZ_R_RR_CLIENT_NOT_ACTIVATED,
	AZ_R_RR_CLIENT_SINGLE,
	AZ_R_SERVICE_MULTIPATH_MISSING,
	AZ_R_SESSION_PASSIVE,
	AZ_R_TOPOLOGY_PARTITIONED,
	AZ_R_TTL_SECURITY,
	AZ_R_UPDATE_SOURCE_MISMATCH,
	AZ_R_COUNT
};
extern const char *const az_rule_ids[AZ_R_COUNT];

struct az_opts {
	bool no_classes; /* propagate every node on its own (tests) */
	size_t max_examples; /* per finding; 0 = 5 */
};

/* How one session ends. */
enum az_state {
	AZ_UP = 0,
	AZ_DOWN,
	AZ_UNKNOWN, /* depends on what rrkit does not know (not analysed) */
};

/* A finding: one root cause, with what it breaks. */
struct az_example {
	uint32_t session; /* AZ_NONE for a route */
	uint32_t node, origin; /* speaker indexes for a route */
	struct rr_prefix prefix;
};

struct az_finding {
	const struct rr_diag *diag; /* rule, severity, location, message,
				     * notes (the other side, first examples) */
	enum az_rule rule;
	uint64_t sessions; /* sessions it keeps down */
	uint64_t routes; /* (node, block) pairs it keeps from arriving */
	const struct az_example *examples;
	size_t nexamples;
};

struct az_verdict {
	uint64_t sessions_expected, sessions_up;
	uint64_t routes_expected, routes_ok;
	/* sessions and routes whose outcome depends on what rrkit was not
	 * given (a peer no input owns, a Secret not given): not counted
	 * above */
	uint64_t sessions_unknown, routes_unknown;
	/* full-mesh sessions resolve left out (too large), not analysed */
	uint64_t mesh_elided;
	bool ok; /* every expected session up, every expected route arrives,
		  * and something was analysed */
};

struct az;

/* Analyse a resolved model.  Never fails (out of memory aborts).  The
 * model must outlive the result. */
struct az *az_run(const struct rr_model *m, const struct az_opts *o);
void az_free(struct az *a);

const struct az_verdict *az_verdict(const struct az *a);

/* Findings, in the order of their locations. */
size_t az_nfindings(const struct az *a);
const struct az_finding *az_finding(const struct az *a, size_t i);

/* Notes about what was not modelled and could change the answer (no
 * rule id), for the verdict line. */
size_t az_nnotes(const struct az *a);
const struct rr_diag *az_note(const struct az *a, size_t i);

/* The analysed sessions.  A session is one pair of sides (or a lone side);
 * a side is one configured neighbor (or dynamic neighbor) of a speaker. */
struct az_session_info {
	uint32_t side_a, side_b; /* side_b AZ_NONE: no partner */
	enum az_state state;
	bool expected; /* counted in the verdict */
	uint32_t finding; /* the first cause's finding, AZ_NONE when up */
	/* down for a reason rrkit sim's engine does not play (TTL security,
	 * `bgp listen limit`, an eBGP single-hop peer off every subnet):
	 * the side whose configuration it is, for sim to hold it down */
	bool not_simulated;
	uint32_t blamed_side;
};
size_t az_nsessions(const struct az *a);
const struct az_session_info *az_session(const struct az *a, size_t i);

struct az_side_info {
	uint32_t speaker; /* index into model->speakers */
	uint32_t peer_speaker; /* owner of the peer address, AZ_NONE */
	const struct rr_neighbor *nb; /* for a dynamic neighbor: the range */
	struct rr_addr local, peer;
	bool dynamic;
	uint32_t session;
};
size_t az_nsides(const struct az *a);
const struct az_side_info *az_side(const struct az *a, size_t i);
/* The side of speaker `spk` for neighbor `nb` toward `peer`, AZ_NONE. */
uint32_t az_side_find(const struct az *a, uint32_t spk,
		      const struct rr_neighbor *nb, const struct rr_addr *peer);

/* Does origin's block `p` arrive at node `node` (speaker indexes)?
 * AZ_UP: it arrives; AZ_DOWN: *finding is its first cause; AZ_UNKNOWN:
 * not analysed, or not an expected route. */
enum az_state az_route(const struct az *a, uint32_t node, uint32_t origin,
		       const struct rr_prefix *p, uint32_t *finding);

/*
 * Whether BIRD installs a node's reachableBy route (bird_aggr.cfg: `route
 * <peer>/32 via <gateway>;`): only when the gateway is a neighbor on a
 * connected subnet of an interface that is up (BIRD 1.6 proto/static/
 * static.c static_add and static_decide, nest/neighbor.c neigh_find2 and
 * if_connected); otherwise the route stays out of BIRD's table and the
 * kernel's.  *net: the node's subnet holding the gateway, or its first one.
 */
enum az_reach {
	AZ_REACH_OK = 0, /* installed, or rrkit cannot tell */
	AZ_REACH_OFF_SUBNET, /* on none of the node's known subnets */
	AZ_REACH_INVALID, /* not a host address BIRD takes without an
			     interface: link-local, loopback, multicast */
	AZ_REACH_NET_BCAST, /* the subnet's network or broadcast address */
};
enum az_reach az_reach_gateway_of(const struct rr_speaker *s,
				  const struct rr_addr *g,
				  struct rr_prefix *net);

/* A service prefix at a router, in the words lint (the
 * service-multipath-missing finding) and sim's verdict share:
 * "service 10.96.0.0/12: 'rr1' has 3 paths, uses 1 (no maximum-paths)";
 * mp_set: maximum-paths is written (then it allows `used`). */
const char *az_service_words(char *buf, size_t len, const char *router,
			     const struct rr_prefix *p, uint32_t paths,
			     uint32_t used, bool mp_set, bool ebgp);

#endif
