/*
 * Private to analyze/ (and its unit test): the speakers and sides as the
 * analysis sees them, the causes it finds, and the propagation state.
 *
 *   facts.c    derived facts computed once: router ids, cluster ids, the
 *              local address of a session, who owns an address
 *   session.c  sides (as bgpsim builds them), pairs, and whether each
 *              session establishes, with every cause that keeps it down
 *   route.c    classes of nodes the network treats alike, propagation of
 *              each block over the sessions that come up, route causes
 *   finding.c  causes grouped into findings (one per root cause), their
 *              wording, counts and examples; notes on what is not modelled
 *   az.c       the run, the verdict, the lookups
 */
#ifndef RR_ANALYZE_PRIV_H
#define RR_ANALYZE_PRIV_H

#include "analyze/analyze.h"

#define AZ_IOS_HOLD 180u /* IOS default hold (`timers bgp`) */
#define AZ_BIRD_HOLD 240u /* BIRD default hold (BIRD 1.6 bgp hold time) */
#define AZ_LISTEN_LIMIT 100u /* IOS `bgp listen limit` default */
#define AZ_PORT 179u

/* What stops a session or a route (one wording each, finding.c). */
enum az_why {
	AZ_W_NONE = 0,
	/* sessions */
	AZ_W_UNKNOWN_PEER, /* no input owns the peer address (v3:
			    * AZ_UNKNOWN_LOST when routes are lost anyway) */
	AZ_W_NO_NEIGHBOR, /* the peer has no session for our address */
	AZ_W_SHUTDOWN,
	AZ_W_NOT_ACTIVATED, /* IOS: active in no address family */
	AZ_W_NO_REMOTE_AS, /* IOS neighbor without remote-as */
	AZ_W_REMOTE_AS_ZERO, /* BIRD: Remote AS number must be set */
	AZ_W_NO_LOCAL_ADDR, /* no address of the peer's family */
	AZ_W_NOT_CONNECTED, /* IOS eBGP single-hop, peer not on a subnet */
	AZ_W_NO_ROUTE, /* IOS: no route to the peer (no IGP to assume one) */
	AZ_W_LISTEN_LIMIT, /* beyond `bgp listen limit` */
	AZ_W_MD5, /* one-sided or different TCP MD5 keys */
	AZ_W_MD5_UNKNOWN, /* a Secret not given: not analysed */
	AZ_W_PASSIVE, /* both sides passive */
	AZ_W_PORT, /* dials a port the peer does not listen on */
	AZ_W_SOURCE, /* connects from an address the peer does not expect */
	AZ_W_SOURCE_DST, /* dials an IOS router off its update-source address */
	AZ_W_TTL, /* GTSM on one side only */
	AZ_W_PEER_AS, /* 2/2 Bad Peer AS */
	AZ_W_HOLD, /* 2/6 Unacceptable Hold Time */
	AZ_W_KEEPALIVE, /* keepalive not below the negotiated hold: flaps */
	AZ_W_BGPID, /* 2/3 Bad BGP Identifier */
	AZ_W_DUP_ADDRESS, /* calico-node refuses to start: address in use */
	AZ_W_DUP_PROTOCOL, /* BIRD refuses the config: a name twice */
	AZ_W_BIRD_LOCKED, /* BIRD: an earlier protocol holds the neighbor
			   * (address, port): this one waits, Idle */
	AZ_W_VIRTUAL, /* the peer address is an HSRP/VRRP/GLBP address */
	AZ_W_MAX_PREFIX, /* IOS maximum-prefix: more prefixes than N */
	AZ_W_FAMILY_DISJOINT, /* 2/7: no address family in common */
	/* routes */
	AZ_W_ISOLATED, /* a node without any session */
	AZ_W_NO_ADDRESS, /* a node owns a block but runs no BGP for it */
	AZ_W_SPLIT_HORIZON, /* iBGP to iBGP without reflection */
	AZ_W_NO_C2C, /* no bgp client-to-client reflection */
	AZ_W_CLUSTER_LOOP, /* CLUSTER_LIST holds the receiver's id */
	AZ_W_ORIGINATOR, /* ORIGINATOR_ID is the receiver's router id */
	AZ_W_AS_LOOP, /* AS_PATH holds the receiver's AS */
	AZ_W_FAMILY, /* the session does not carry the family */
	AZ_W_POOL, /* a Calico node re-exports only inside its IPPools */
	AZ_W_NEXT_HOP, /* the best route's next hop does not lead there */
	AZ_W_PARTITION, /* no path: the sessions form separate islands */
	AZ_W_POLICY, /* a route-map, prefix-list or filter-list denies it */
	/* warnings: one change away */
	AZ_W_PORT_ONEWAY, /* port wrong one way; up because the other dials */
	AZ_W_REACH_UNUSED, /* BIRD does not install the reachableBy route */
	AZ_W_WITHOUT_NODE, /* router neighbor of a node that does not peer */
	AZ_W_SINGLE_NONCLIENT, /* one non-client node neighbor */
	AZ_W_MESH_REDUNDANT, /* the mesh carries nothing the reflectors do not */
	AZ_W_SERVICE_MULTIPATH, /* a router uses one of many service paths */
	AZ_W_NOTHING, /* no session and no route to analyse */
	AZ_W_COUNT
};

struct az_spk {
	const struct rr_speaker *s;
	bool bird; /* Calico node (BIRD) */
	bool node; /* a Calico node that runs BGP (has an address) */
	bool hub; /* not grouped into a class (route.c) */
	bool fam[2]; /* has an IPv4 / IPv6 address */
	uint32_t router_id, cluster_id; /* cluster_id: IOS */
	uint16_t listen_port;
	uint32_t first_side, nsides;
	uint32_t cls; /* class (route.c), AZ_NONE for hubs */
	uint32_t dup_of; /* a node whose address another node already uses:
			  * calico-node refuses to start (AZ_NONE: runs) */
	const struct rr_neighbor *dup_proto; /* BIRD refuses its config: two
					      * protocols of this name */
	uint32_t ndyn; /* dynamic neighbors accepted so far (listen limit) */
};

struct az_side {
	uint32_t spk, peer_spk, partner, session;
	const struct rr_neighbor *nb; /* the range for a dynamic neighbor */
	struct rr_addr local, peer;
	uint32_t local_as, remote_as, cluster_id, allow_local_as;
	uint64_t pw_hash;
	uint16_t port, hold, keepalive, min_hold;
	uint8_t dis; /* enum az_why: why it never starts, 0 = it does */
	uint32_t lock_holder; /* AZ_W_BIRD_LOCKED: the side that runs */
	bool dynamic, passive, ipv6, ibgp, rr_client, fam_active;
	bool pw, pw_unknown, hold_zero, c2c, nh_self, nh_self_all, nh_keep;
	bool as_override; /* IOS: the peer's AS in the path becomes ours */
	bool no_comms; /* IOS: no send-community (standard) on this side */
	bool pol_in, pol_out; /* IOS route policy on this side */
	/* IOS eBGP: the router's connected subnet holding the peer (a next
	 * hop on it is left as it is, RFC 4271 5.1.3), or a zero prefix */
	struct rr_prefix shared;
	bool up; /* the session it belongs to is up */
};

struct az_sess {
	uint32_t a, b;
	uint8_t state; /* enum az_state */
	bool expected;
	uint32_t cause; /* first cause, AZ_NONE */
};

/* az_cause.v3 of an AZ_W_UNKNOWN_PEER session whose node no peer outside
 * the input can join to the rest: its routes are lost (route.c) */
#define AZ_UNKNOWN_LOST 1u

/* One cause: what it is, where (both sides), what it breaks. */
struct az_cause {
	uint8_t why; /* enum az_why */
	uint8_t rule; /* enum az_rule */
	uint8_t sev; /* enum rr_sev: error, or warning for "one away" */
	uint32_t side, other; /* blamed side and the other one, AZ_NONE */
	uint32_t spk, spk2; /* speakers (blamed, other), AZ_NONE */
	struct rr_loc at, at2; /* config lines (blamed side, other side) */
	uint32_t v1, v2; /* values for the wording (AS, hold, port...) */
	uint32_t v3;
	struct rr_prefix pfx; /* a route cause: the first block */
	struct rr_addr nh; /* a next hop that leads nowhere */
	uint32_t node, origin; /* a route cause: the first pair */
	uint64_t sessions, routes;
	uint32_t finding;
	uint32_t first_session; /* example, AZ_NONE */
};

/* One path of a block at a speaker (RFC 4271 9.1 inputs). */
struct az_path {
	uint32_t side; /* received on; AZ_NONE: the speaker's own */
	uint32_t nh_owner; /* speaker owning the next hop, AZ_NONE */
	struct rr_addr nh;
	uint32_t local_pref, med, first_as, originator;
	uint32_t *aspath; /* AS numbers, flattened (sequence) */
	uint32_t *clusters;
	uint32_t *comms; /* COMMUNITIES (route-map set clauses) */
	uint32_t *lcomms; /* LARGE_COMMUNITIES, three words each */
	uint32_t weight; /* IOS weight (the router's own, never sent) */
	uint16_t naspath, ncluster, ncomm, nlcomm; /* nlcomm: words */
	uint8_t origin;
	bool has_lp, has_med, has_orig;
};

/* A finding under construction (finding.c). */
struct az_group {
	uint8_t rule;
	uint32_t first_cause; /* the one whose wording leads */
	uint64_t sessions, routes;
	uint32_t nexamples;
	struct az_example ex[8];
	size_t ncauses;
};

/* A propagation run (route.c): the blocks of one situation. */
struct az_run;

struct az {
	const struct rr_model *m;
	struct az_opts o;
	struct rr_arena arena;
	struct rr_diags diags; /* findings' diagnostics, then notes */

	struct az_spk *spk;
	uint32_t nspk;
	uint32_t nios, nbird; /* IOS routers, Calico nodes in the inputs */
	struct az_side *side;
	uint32_t nside;
	struct az_sess *sess;
	uint32_t nsess;
	/* address -> owner, (speaker, peer address) -> side */
	struct az_tab *owner, *acceptor;

	struct az_cause *cause;
	uint32_t ncause, capcause;
	/* extra causes of down sessions (beyond the first), for lint */
	uint32_t *sess_more; /* pairs: session, cause */
	uint32_t nsess_more, capsess_more;

	/* route.c */
	struct az_routes *routes;

	/* finding.c */
	struct az_finding *findings;
	size_t nfindings;
	uint32_t *finding_diag; /* finding -> diag index */
	size_t nnotes;
	size_t notes_at; /* first note's diag index */

	struct az_verdict verdict;
	uint32_t nothing; /* the nothing-analysed cause, AZ_NONE */
	uint32_t unsettled; /* propagations that did not settle */
	/* route.c az_routes_max_prefix: prefixes each side keeps from its
	 * peer (after its inbound policy), counted while non-NULL */
	uint32_t *pfx_count;
	/* az_routes_max_prefix: a side that sends nothing in a counting
	 * pass (AZ_NONE) */
	uint32_t mute_side;
	/* neighbors whose count while converging was not worked out
	 * (past AZ_MAX_PREFIX_PASSES): a note says so */
	uint32_t max_prefix_skipped;
	struct az_side_info *side_info;
	struct az_session_info *sess_info;
};

/* facts.c */
void az_facts(struct az *a);
uint32_t az_owner(const struct az *a, const struct rr_addr *addr);
uint32_t az_cross_family(const struct az *a, bool v6);
uint32_t az_acceptor(const struct az *a, uint32_t spk,
		     const struct rr_addr *src);
void az_acceptor_init(struct az *a, uint32_t n);
void az_acceptor_put(struct az *a, uint32_t spk, const struct rr_addr *src,
		     uint32_t side);
void az_tabs_free(struct az *a);
struct rr_addr az_local_toward(const struct rr_speaker *s,
			       const struct rr_addr *peer);
bool az_on(const struct rr_opt_bool *o);
bool az_connected(const struct rr_speaker *s, const struct rr_addr *a);
/* session.c: whether BIRD installs the route confd writes for a node
 * side's reachableBy (0), or why not (the wording's v1); *net: the node's
 * subnet holding the gateway, or its subnet of the family. */
uint32_t az_reach_gateway(const struct az *a, const struct az_side *d,
			  struct rr_prefix *net);
bool az_routed(const struct rr_speaker *s, const struct rr_addr *a);
uint16_t az_offered_hold(const struct az *a, const struct az_side *d);
/* Where the value of a session setting was written. */
const struct rr_loc *az_hold_loc(const struct az *a, const struct az_side *d);
const struct rr_loc *az_as_loc(const struct az *a, const struct az_side *d);
const struct rr_loc *az_nb_loc(const struct az_side *d);

/* session.c */
void az_sessions(struct az *a);

/* the cause table */
uint32_t az_cause_new(struct az *a, enum az_why why, uint32_t side,
		      uint32_t other);
enum az_rule az_why_rule(const struct az *a, const struct az_cause *c);

/* route.c */
void az_routes_run(struct az *a);
void az_routes_free(struct az *a);
/* Routes that would no longer arrive without the mesh sessions. */
uint64_t az_routes_without_mesh(struct az *a);
/* IOS `neighbor X maximum-prefix N` (not warning-only): the sessions that
 * bring the router more than N prefixes are torn down (state, cause);
 * returns how many. */
uint32_t az_routes_max_prefix(struct az *a);
enum az_state az_routes_lookup(const struct az *a, uint32_t node,
			       uint32_t origin, const struct rr_prefix *p,
			       uint32_t *cause);

/* policy.c */
bool az_policy_side(const struct az *a, const struct az_side *s, bool in);
enum rr_policy_verdict az_policy_decide(const struct az *a,
					const struct az_side *s, bool in,
					const struct rr_prefix *pfx,
					const struct az_path *p,
					struct rr_rm_actions *act,
					const struct rr_loc **at);
void az_policy_apply(const struct az *a, struct rr_arena *ar,
		     const struct az_side *s, bool in,
		     const struct rr_rm_actions *act, struct az_path *p);

/* A Calico session's BGPFilters (model/bgpfilter.c) on path p for pfx;
 * az_policy_decide and az_policy_apply call it for a Calico side. */
enum rr_bird_verdict az_bird_filters(const struct az *a,
				     const struct az_side *s, bool in,
				     const struct rr_prefix *pfx,
				     const struct az_path *p,
				     const struct rr_bgpfilter_rule **rule);
/* BIRD's export filter toward side s, once export_why let the path
 * out: an accepting BGPFilter rule's operations, or else
 * calico_export_to_bgp_peers()'s apply_communities(); on import an
 * accepting rule's operations. */
void az_bird_apply(const struct az *a, struct rr_arena *ar,
		   const struct az_side *s, bool in,
		   const struct rr_prefix *pfx, struct az_path *p);
/* The BGPFilter holding the rule written at `at`, or NULL. */
const struct rr_bgpfilter *az_bgpfilter_at(const struct az *a,
					   const struct rr_loc *at);

/* service.c: routers installing one of many equal service paths */
void az_service_multipath(struct az *a);

/* finding.c */
void az_findings(struct az *a);
void az_notes(struct az *a);
void az_findings_link(struct az *a);
void az_findings_free(struct az *a);

#endif
