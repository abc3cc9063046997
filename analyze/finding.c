/*
 * Findings: the causes grouped one per root cause, each worded once (lint
 * prints it, sim's verdict names it) and located on both sides.
 *
 * Two causes of one rule that share a configuration line are one root
 * cause: a wrong remote-as on a peer-group is one line every member's
 * session points at; 1,000 neighbor lines that expect another AS than the
 * one BGPConfiguration line gives every node are one finding too.  A
 * finding is located at the line most of its causes share, counts the
 * sessions it keeps down and the routes it keeps from arriving, and lists
 * the first few other places as notes.  A cause that breaks nothing the
 * analysis counts (a neighbor toward a peer rrkit was not given, a
 * session one change from down) is a warning.
 */
#include "analyze/az_priv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const az_rule_ids[AZ_R_COUNT] = {
	[AZ_R_AS_INVALID] = "as-invalid",
	[AZ_R_AS_MISMATCH] = "as-mismatch",
	[AZ_R_AS_PATH_LOOP] = "as-path-loop",
	[AZ_R_BLOCK_OUTSIDE_POOL] = "block-outside-pool",
	[AZ_R_CALICO_INVALID] = "calico-invalid",
	[AZ_R_CLIENT_REFLECTION_OFF] = "client-reflection-off",
	[AZ_R_CLUSTER_ID_SHARED] = "cluster-id-shared",
	[AZ_R_HOLD_TIME_INVALID] = "hold-time-invalid",
	[AZ_R_LISTEN_LIMIT] = "listen-limit",
	[AZ_R_MAXIMUM_PREFIX] = "maximum-prefix",
	[AZ_R_MESH_NOT_DISABLED] = "mesh-not-disabled",
	[AZ_R_NEIGHBOR_NOT_ACTIVATED] = "neighbor-not-activated",
	[AZ_R_NEIGHBOR_ONE_SIDED] = "neighbor-one-sided",
	[AZ_R_NEIGHBOR_SHUTDOWN] = "neighbor-shutdown",
	[AZ_R_NEIGHBOR_WITHOUT_NODE] = "neighbor-without-node",
	[AZ_R_NEXT_HOP_UNREACHABLE] = "next-hop-unreachable",
	[AZ_R_NODE_ISOLATED] = "node-isolated",
	[AZ_R_NODE_WITHOUT_ADDRESS] = "node-without-address",
	[AZ_R_NODE_WITHOUT_NEIGHBOR] = "node-without-neighbor",
	[AZ_R_NOTHING_ANALYSED] = "nothing-analysed",
	[AZ_R_PASSWORD_MISMATCH] = "password-mismatch",
	[AZ_R_PEER_ADDRESS_UNKNOWN] = "peer-address-unknown",
	[AZ_R_PEER_DUPLICATE] = "peer-duplicate",
	[AZ_R_PEER_UNREACHABLE] = "peer-unreachable",
	[AZ_R_PEER_VIRTUAL_ADDRESS] = "peer-virtual-address",
	[AZ_R_PORT_MISMATCH] = "port-mismatch",
	[AZ_R_REACHABLE_BY_UNUSED] = "reachable-by-unused",
	[AZ_R_ROUTE_POLICY_DENY] = "route-policy-deny",
	[AZ_R_ROUTER_ID_DUPLICATE] = "router-id-duplicate",
	[AZ_R_RR_CLIENT_MISSING] = "rr-client-missing",
	[AZ_R_RR_CLIENT_NOT_ACTIVATED] = "rr-client-not-activated",
	[AZ_R_RR_CLIENT_SINGLE] = "rr-client-single",
	[AZ_R_SERVICE_MULTIPATH_MISSING] = "service-multipath-missing",
	[AZ_R_SESSION_PASSIVE] = "session-passive",
	[AZ_R_TOPOLOGY_PARTITIONED] = "topology-partitioned",
	[AZ_R_TTL_SECURITY] = "ttl-security",
	[AZ_R_UPDATE_SOURCE_MISMATCH] = "update-source-mismatch",
};

enum az_rule
az_why_rule(const struct az *a, const struct az_cause *c)
{
	const struct az_side *s = c->side != AZ_NONE ? &a->side[c->side] : NULL;
	bool client = s && s->rr_client;

	switch ((enum az_why)c->why) {
	case AZ_W_UNKNOWN_PEER:
		return AZ_R_PEER_ADDRESS_UNKNOWN;
	case AZ_W_NO_NEIGHBOR:
		return s && !a->spk[s->spk].bird ? AZ_R_NEIGHBOR_ONE_SIDED
						 : AZ_R_NODE_WITHOUT_NEIGHBOR;
	case AZ_W_SHUTDOWN:
		return AZ_R_NEIGHBOR_SHUTDOWN;
	case AZ_W_NOT_ACTIVATED:
	case AZ_W_FAMILY:
	case AZ_W_FAMILY_DISJOINT:
		return client ? AZ_R_RR_CLIENT_NOT_ACTIVATED
			      : AZ_R_NEIGHBOR_NOT_ACTIVATED;
	case AZ_W_NO_REMOTE_AS:
	case AZ_W_REMOTE_AS_ZERO:
		return AZ_R_AS_INVALID;
	case AZ_W_DUP_ADDRESS:
	case AZ_W_DUP_PROTOCOL:
		return AZ_R_CALICO_INVALID;
	case AZ_W_NO_LOCAL_ADDR:
	case AZ_W_NOT_CONNECTED:
	case AZ_W_NO_ROUTE:
		return AZ_R_PEER_UNREACHABLE;
	case AZ_W_VIRTUAL:
		return AZ_R_PEER_VIRTUAL_ADDRESS;
	case AZ_W_LISTEN_LIMIT:
		return AZ_R_LISTEN_LIMIT;
	case AZ_W_BIRD_LOCKED:
		return AZ_R_PEER_DUPLICATE;
	case AZ_W_MAX_PREFIX:
		return AZ_R_MAXIMUM_PREFIX;
	case AZ_W_MD5:
	case AZ_W_MD5_UNKNOWN:
		return AZ_R_PASSWORD_MISMATCH;
	case AZ_W_PASSIVE:
		return AZ_R_SESSION_PASSIVE;
	case AZ_W_PORT:
	case AZ_W_PORT_ONEWAY:
		return AZ_R_PORT_MISMATCH;
	case AZ_W_REACH_UNUSED:
		return AZ_R_REACHABLE_BY_UNUSED;
	case AZ_W_SOURCE:
	case AZ_W_SOURCE_DST:
		return AZ_R_UPDATE_SOURCE_MISMATCH;
	case AZ_W_TTL:
		return AZ_R_TTL_SECURITY;
	case AZ_W_PEER_AS:
		return AZ_R_AS_MISMATCH;
	case AZ_W_HOLD:
	case AZ_W_KEEPALIVE:
		return AZ_R_HOLD_TIME_INVALID;
	case AZ_W_BGPID:
	case AZ_W_ORIGINATOR:
		return AZ_R_ROUTER_ID_DUPLICATE;
	case AZ_W_ISOLATED:
		return AZ_R_NODE_ISOLATED;
	case AZ_W_NO_ADDRESS:
		return AZ_R_NODE_WITHOUT_ADDRESS;
	case AZ_W_SPLIT_HORIZON:
		return AZ_R_RR_CLIENT_MISSING;
	case AZ_W_NO_C2C:
		return AZ_R_CLIENT_REFLECTION_OFF;
	case AZ_W_CLUSTER_LOOP:
		return AZ_R_CLUSTER_ID_SHARED;
	case AZ_W_AS_LOOP:
		return AZ_R_AS_PATH_LOOP;
	case AZ_W_POOL:
		return AZ_R_BLOCK_OUTSIDE_POOL;
	case AZ_W_NEXT_HOP:
		return AZ_R_NEXT_HOP_UNREACHABLE;
	case AZ_W_PARTITION:
		return AZ_R_TOPOLOGY_PARTITIONED;
	case AZ_W_POLICY:
		return AZ_R_ROUTE_POLICY_DENY;
	case AZ_W_WITHOUT_NODE:
		return AZ_R_NEIGHBOR_WITHOUT_NODE;
	case AZ_W_SINGLE_NONCLIENT:
		return AZ_R_RR_CLIENT_SINGLE;
	case AZ_W_MESH_REDUNDANT:
		return AZ_R_MESH_NOT_DISABLED;
	case AZ_W_SERVICE_MULTIPATH:
		return AZ_R_SERVICE_MULTIPATH_MISSING;
	case AZ_W_NOTHING:
		return AZ_R_NOTHING_ANALYSED;
	default:
		RR_BUG("a cause without a rule");
	}
}

/* ------------------------------------------------------------ wording */

static const char *
addr_s(const struct rr_addr *x, char *buf)
{
	return x->af ? rr_addr_str(x, buf) : "-";
}

static const char *
name(const struct az *a, uint32_t k)
{
	return k == AZ_NONE ? "?" : a->spk[k].s->name;
}

static const char *
kind(const struct az *a, uint32_t k)
{
	return k != AZ_NONE && a->spk[k].bird ? "node" : "router";
}

/* "neighbor 10.0.0.1" (IOS), "listen range 10.0.0.0/24", or the BGPPeer
 * a Calico session comes from. */
static const char *
side_s(struct az *a, uint32_t di)
{
	const struct az_side *d = &a->side[di];
	char b[RR_PREFIX_STRLEN];

	if (!a->spk[d->spk].bird) {
		if (d->dynamic)
			return rr_arena_printf(&a->arena, "listen range %s",
					       rr_prefix_str(&d->nb->range, b));
		return rr_arena_printf(&a->arena, "neighbor %s",
				       rr_addr_str(&d->peer, b));
	}
	if (d->nb->scope == RR_SCOPE_MESH)
		return rr_arena_printf(&a->arena, "mesh session %s",
				       d->nb->name ? d->nb->name : "?");
	if (d->nb->bgppeer && d->nb->bgppeer->meta.name)
		return rr_arena_printf(&a->arena, "BGPPeer '%s'",
				       d->nb->bgppeer->meta.name);
	return rr_arena_printf(&a->arena, "session %s",
			       d->nb->name ? d->nb->name : "?");
}

/* side_s, with the BIRD protocol's name when side_s does not give it */
static const char *
proto_s(struct az *a, uint32_t di)
{
	const struct az_side *d = &a->side[di];

	if (a->spk[d->spk].bird && d->nb->scope != RR_SCOPE_MESH &&
	    d->nb->bgppeer && d->nb->bgppeer->meta.name && d->nb->name)
		return rr_arena_printf(&a->arena, "%s (%s)", side_s(a, di),
				       d->nb->name);
	return side_s(a, di);
}

static const char *
cid_s(uint32_t v, char *buf)
{
	struct rr_addr x = rr_addr_from_v4(v);
	return rr_addr_str(&x, buf);
}

/* The speaker at the other end of side di's session. */
static uint32_t
far_spk(const struct az *a, uint32_t di)
{
	const struct az_sess *s = &a->sess[a->side[di].session];
	uint32_t o = s->a == di ? s->b : s->a;
	return o == AZ_NONE ? a->side[di].peer_spk : a->side[o].spk;
}

static const char *
fam_s(uint32_t v6)
{
	return v6 ? "IPv6" : "IPv4";
}

/* "IPv4", "IPv4 and IPv6", "VPNv4, IPv6 and IPv4 multicast": the families
 * of an rr_nb_af_mask */
static const char *
afs_s(uint32_t mask, char *buf, size_t len)
{
	static const char *const nm[RR_AFS_COUNT] = {
		[RR_AFS_IPV4] = "IPv4",
		[RR_AFS_IPV6] = "IPv6",
		[RR_AFS_VPNV4] = "VPNv4",
		[RR_AFS_VPNV6] = "VPNv6",
		[RR_AFS_IPV4_MULTICAST] = "IPv4 multicast",
		[RR_AFS_OTHER] = "another family",
	};
	int k, n = 0, left = 0;
	size_t o = 0;

	for (k = 0; k < RR_AFS_COUNT; k++)
		left += (mask >> k) & 1u;
	buf[0] = 0;
	for (k = 0; k < RR_AFS_COUNT && o < len; k++) {
		if (!((mask >> k) & 1u))
			continue;
		n++;
		o += (size_t)snprintf(buf + o, len - o, "%s%s",
				      n == 1 ? "" : n == left ? " and " : ", ",
				      nm[k]);
	}
	return buf;
}

static const char *
dup_words(struct az *a, const struct az_cause *c)
{
	if (c->why == AZ_W_DUP_PROTOCOL)
		return rr_arena_printf(
			&a->arena,
			"node '%s' would run two BIRD protocols named %s (two "
			"nodes with one address): BIRD refuses the whole "
			"configuration (Symbol already defined), so '%s' runs "
			"no BGP",
			name(a, c->spk), a->spk[c->spk].dup_proto->name,
			name(a, c->spk));
	return rr_arena_printf(
		&a->arena,
		"nodes '%s' and '%s' both use one BGP address: calico-node "
		"refuses to start on '%s' ('already using the IPv4 address'), "
		"which then runs no BGP",
		name(a, c->spk2), name(a, c->spk), name(a, c->spk));
}

static int loc_cmp(const struct rr_loc *x, const struct rr_loc *y);

static const char *
word_session(struct az *a, const struct az_cause *c)
{
	char b1[RR_ADDR_STRLEN], b2[RR_ADDR_STRLEN];
	const struct az_side *x = c->side != AZ_NONE ? &a->side[c->side] : NULL;
	const struct az_side *y =
		c->other != AZ_NONE ? &a->side[c->other] : NULL;
	struct rr_arena *ar = &a->arena;

	switch ((enum az_why)c->why) {
	case AZ_W_UNKNOWN_PEER:
		if (c->v1 && c->spk2 != AZ_NONE)
			return rr_arena_printf(
				ar,
				"node '%s' peers with %s, an address of router "
				"'%s' in VRF '%s': rrkit keeps VRF neighbors "
				"apart from the global table and does not "
				"simulate them, so the session is not analysed",
				name(a, c->spk), addr_s(&x->peer, b1),
				name(a, c->spk2),
				a->spk[c->spk2].s->vrf_addrs[c->v2].vrf);
		if (c->v3 == AZ_UNKNOWN_LOST && c->routes)
			return rr_arena_printf(
				ar,
				"node '%s' has no session up but one toward %s, "
				"which no given router or node owns (a typo in "
				"peerIP?) and none peers with: whatever answers "
				"there, its routes and the others' never meet",
				name(a, c->spk), addr_s(&x->peer, b1));
		return rr_arena_printf(
			ar,
			"node '%s' peers with %s, which no given router or node "
			"owns (a typo in peerIP, or a router rrkit was not "
			"given): the session is not analysed",
			name(a, c->spk), addr_s(&x->peer, b1));
	case AZ_W_NO_NEIGHBOR:
		if (!a->spk[x->spk].bird)
			return rr_arena_printf(
				ar,
				"router '%s' has neighbor %s ('%s'), but '%s' "
				"has no neighbor for %s: the session never "
				"comes up",
				name(a, x->spk), addr_s(&x->peer, b1),
				name(a, x->peer_spk), name(a, x->peer_spk),
				addr_s(&x->local, b2));
		if (!a->spk[x->peer_spk].bird)
			return rr_arena_printf(
				ar,
				"node '%s' peers with router '%s' (%s), but "
				"'%s' has no neighbor or listen range for %s: "
				"it refuses the connection",
				name(a, x->spk), name(a, x->peer_spk),
				addr_s(&x->peer, b1), name(a, x->peer_spk),
				addr_s(&x->local, b2));
		return rr_arena_printf(
			ar,
			"node '%s' peers with node '%s' (%s), but '%s' has no "
			"session for %s: BIRD drops the connection (Unexpected "
			"connect from unknown address)",
			name(a, x->spk), name(a, x->peer_spk),
			addr_s(&x->peer, b1), name(a, x->peer_spk),
			addr_s(&x->local, b2));
	case AZ_W_VIRTUAL:
		return rr_arena_printf(
			ar,
			"node '%s' peers with %s, the %s virtual address of "
			"router '%s': BGP does not run on a first-hop "
			"redundancy address, so the session never comes up; "
			"peer with the router's own address",
			name(a, x->spk), addr_s(&x->peer, b1),
			c->v1 == RR_FHRP_HSRP ? "HSRP"
			: c->v1 == RR_FHRP_VRRP ? "VRRP"
						: "GLBP",
			name(a, c->spk2));
	case AZ_W_SHUTDOWN:
		if (c->side != AZ_NONE && a->side[c->side].nb->shutdown.via)
			return rr_arena_printf(
				ar,
				"'%s' of '%s' is shut down: the sessions of "
				"the neighbors that inherit it never come up "
				"(Idle Admin)",
				a->side[c->side].nb->shutdown.via,
				name(a, x->spk));
		return rr_arena_printf(ar,
				       "%s of '%s' is shut down: the session "
				       "never comes up (Idle Admin)",
				       side_s(a, c->side), name(a, x->spk));
	case AZ_W_NOT_ACTIVATED:
		return rr_arena_printf(
			ar,
			"%s of '%s' is active in no address family ('no bgp "
			"default ipv4-unicast' and no 'activate'): the router "
			"never starts the session%s%s%s",
			side_s(a, c->side), name(a, x->spk),
			x->peer_spk != AZ_NONE ? " with '" : "",
			x->peer_spk != AZ_NONE ? name(a, x->peer_spk) : "",
			x->peer_spk != AZ_NONE ? "'" : "");
	case AZ_W_NO_REMOTE_AS:
		return rr_arena_printf(ar,
				       "%s of '%s' has no remote-as: the router "
				       "never starts the session",
				       side_s(a, c->side), name(a, x->spk));
	case AZ_W_REMOTE_AS_ZERO:
		return rr_arena_printf(
			ar,
			"%s gives node '%s' a peer (%s) without asNumber: BIRD "
			"renders 'as 0' and refuses the configuration (Remote "
			"AS number must be set)",
			side_s(a, c->side), name(a, x->spk),
			addr_s(&x->peer, b1));
	case AZ_W_BIRD_LOCKED:
		return rr_arena_printf(
			ar,
			"node '%s' has two BGP protocols toward %s port %u: "
			"BIRD runs one per neighbor address and port, %s, and "
			"%s waits in start/Idle",
			name(a, x->spk), addr_s(&x->peer, b1), x->port,
			proto_s(a, x->lock_holder), proto_s(a, c->side));
	case AZ_W_NO_LOCAL_ADDR:
		return rr_arena_printf(ar,
				       "'%s' has no %s address to open the "
				       "session with %s from",
				       name(a, x->spk), fam_s(x->ipv6),
				       addr_s(&x->peer, b1));
	case AZ_W_NOT_CONNECTED:
		return rr_arena_printf(
			ar,
			"%s of '%s' is eBGP without ebgp-multihop or "
			"ttl-security and on no connected subnet: IOS keeps it "
			"Idle (not directly connected)",
			side_s(a, c->side), name(a, x->spk));
	case AZ_W_NO_ROUTE:
		return rr_arena_printf(
			ar,
			"%s of '%s' is on no connected subnet, no static route "
			"covers it and the router runs no IGP: IOS has no route "
			"to it and the session never comes up",
			side_s(a, c->side), name(a, x->spk));
	case AZ_W_LISTEN_LIMIT:
		return rr_arena_printf(
			ar,
			"'%s' accepts at most %u dynamic neighbors (bgp listen "
			"limit), and more speakers dial its listen ranges: "
			"those beyond the limit are refused",
			name(a, x->spk), c->v1);
	case AZ_W_MAX_PREFIX: {
		uint32_t m = rr_nb_rare(x->nb)->maximum_prefix_restart;
		if (c->v3)
			/* only while the network converges */
			return rr_arena_printf(
				ar,
				"%s of '%s' has maximum-prefix %u and '%s' "
				"sends it %u prefixes when the session comes "
				"up (%u once settled: it then prefers paths "
				"'%s' sends it): IOS counts at every UPDATE, "
				"sends a Cease (maximum number of prefixes "
				"reached) and %s",
				side_s(a, c->side), name(a, x->spk), c->v1,
				name(a, c->spk2), c->v2, c->v3 - 1,
				name(a, x->spk),
				m ? "brings the neighbor back later only to "
				    "take it down again"
				  : "keeps the neighbor down until 'clear ip "
				    "bgp'");
		if (m)
			return rr_arena_printf(
				ar,
				"%s of '%s' has maximum-prefix %u and '%s' "
				"sends it %u prefixes: IOS sends a Cease "
				"(maximum number of prefixes reached) and "
				"brings the neighbor back after %u minute%s "
				"('restart %u') only to take it down again",
				side_s(a, c->side), name(a, x->spk), c->v1,
				name(a, c->spk2), c->v2, m, m == 1 ? "" : "s",
				m);
		return rr_arena_printf(
			ar,
			"%s of '%s' has maximum-prefix %u and '%s' sends it "
			"%u prefixes: IOS sends a Cease (maximum number of "
			"prefixes reached) and keeps the neighbor down until "
			"'clear ip bgp'",
			side_s(a, c->side), name(a, x->spk), c->v1,
			name(a, c->spk2), c->v2);
	}
	case AZ_W_MD5:
		if (c->v1)
			return rr_arena_printf(
				ar,
				"'%s' and '%s' set different TCP MD5 passwords "
				"on their session: every segment is dropped "
				"(RFC 2385)",
				name(a, x->spk), name(a, y->spk));
		return rr_arena_printf(
			ar,
			"%s of '%s' sets a TCP MD5 password, but '%s' sends "
			"none%s: every segment is dropped (RFC 2385)",
			side_s(a, c->side), name(a, x->spk), name(a, y->spk),
			y->nb->password_unresolved
				? " (its BGPPeer's Secret has no such key)"
				: "");
	case AZ_W_DUP_ADDRESS:
	case AZ_W_DUP_PROTOCOL:
		return dup_words(a, c);
	case AZ_W_MD5_UNKNOWN:
		return rr_arena_printf(
			ar,
			"the TCP MD5 password of '%s' toward '%s' comes from a "
			"Secret rrkit was not given: whether it matches is not "
			"analysed",
			name(a, x->spk), name(a, y->spk));
	case AZ_W_PASSIVE:
		return rr_arena_printf(ar,
				       "'%s' and '%s' both wait for the other to "
				       "connect (passive): nobody dials",
				       name(a, x->spk), name(a, y->spk));
	case AZ_W_PORT:
		return rr_arena_printf(
			ar,
			"'%s' dials '%s' (%s) on port %u, but '%s' listens on "
			"%u: the connection is refused",
			name(a, x->spk), name(a, y->spk), addr_s(&x->peer, b1),
			c->v1, name(a, y->spk), c->v2);
	case AZ_W_SOURCE:
		return rr_arena_printf(
			ar,
			"'%s' connects to '%s' from %s, but '%s' expects the "
			"session from %s: the connection is refused",
			name(a, x->spk), name(a, y->spk), addr_s(&x->local, b1),
			name(a, y->spk), addr_s(&y->peer, b2));
	case AZ_W_SOURCE_DST:
		return rr_arena_printf(
			ar,
			"'%s' dials '%s' at %s, but %s of '%s' has update-source "
			"%s: IOS takes the session only on %s, opens it from "
			"there and refuses the connection to %s (peer with %s, "
			"or drop update-source)",
			name(a, y->spk), name(a, x->spk), addr_s(&y->peer, b1),
			side_s(a, c->side), name(a, x->spk),
			x->nb->update_source.v, addr_s(&x->local, b2),
			addr_s(&y->peer, b1), addr_s(&x->local, b2));
	case AZ_W_TTL:
		return rr_arena_printf(
			ar,
			"%s of '%s' uses TTL security (%u hops), but '%s' does "
			"not and sends TTL %u: every packet is dropped (RFC "
			"5082)",
			side_s(a, c->side), name(a, x->spk), c->v1,
			name(a, y->spk), c->v2);
	case AZ_W_PEER_AS:
		return rr_arena_printf(
			ar,
			"%s of '%s' expects AS %u, but %s '%s' announces AS %u: "
			"the OPEN is refused (NOTIFICATION 2/2 Bad Peer AS)",
			side_s(a, c->side), name(a, x->spk), c->v1,
			kind(a, y->spk), name(a, y->spk), c->v2);
	case AZ_W_FAMILY_DISJOINT: {
		char f1[64], f2[64];
		return rr_arena_printf(
			ar,
			"%s of '%s' is activated for %s only and %s '%s' "
			"offers %s only: no address family in common, '%s' "
			"refuses the OPEN (NOTIFICATION 2/7 Unsupported "
			"Capability, RFC 5492) and the session never comes up",
			side_s(a, c->side), name(a, x->spk),
			afs_s(c->v1, f1, sizeof(f1)), kind(a, y->spk),
			name(a, y->spk), afs_s(c->v2, f2, sizeof(f2)),
			name(a, a->spk[x->spk].bird ? y->spk : x->spk));
	}
	case AZ_W_HOLD:
		return rr_arena_printf(
			ar,
			"'%s' offers hold time %u s, which '%s' refuses "
			"(NOTIFICATION 2/6 Unacceptable Hold Time: 0 or at "
			"least %u s)",
			name(a, x->spk), c->v1, name(a, y->spk),
			c->v2 > 3 ? c->v2 : 3);
	case AZ_W_KEEPALIVE:
		return rr_arena_printf(
			ar,
			"node '%s' sends keepalives every %u s, not below the "
			"hold time of %u s negotiated with '%s': the hold "
			"timer expires and the session flaps",
			name(a, x->spk), c->v1, c->v2, name(a, y->spk));
	case AZ_W_BGPID: {
		struct rr_addr id = rr_addr_from_v4(c->v1);
		if (!c->v1)
			return rr_arena_printf(ar,
					       "'%s' has no BGP identifier (router "
					       "id 0): '%s' refuses its OPEN "
					       "(NOTIFICATION 2/3)",
					       name(a, x->spk), name(a, y->spk));
		return rr_arena_printf(
			ar,
			"'%s' and '%s' both use BGP identifier %s: the OPEN is "
			"refused (NOTIFICATION 2/3 Bad BGP Identifier)",
			name(a, y->spk), name(a, x->spk), rr_addr_str(&id, b1));
	}
	case AZ_W_WITHOUT_NODE:
		if (x->peer_spk == AZ_NONE)
			return rr_arena_printf(
				ar,
				"%s of '%s' matches no Calico node: no node "
				"has this address (a node that is gone, or a "
				"typo)",
				side_s(a, c->side), name(a, x->spk));
		return rr_arena_printf(
			ar,
			"%s of '%s' is node '%s', but no BGPPeer makes '%s' "
			"peer with '%s': the session never comes up (BIRD drops "
			"the router's connection)",
			side_s(a, c->side), name(a, x->spk),
			name(a, x->peer_spk), name(a, x->peer_spk),
			name(a, x->spk));
	case AZ_W_PORT_ONEWAY:
		return rr_arena_printf(
			ar,
			"'%s' dials '%s' on port %u, but '%s' listens on %u: "
			"the session comes up only because '%s' dials",
			name(a, x->spk), name(a, y->spk), c->v1,
			name(a, y->spk), c->v2, name(a, y->spk));
	case AZ_W_REACH_UNUSED: {
		char b3[RR_PREFIX_STRLEN];
		uint32_t i, more = 0;
		for (i = 0; i < a->ncause; i++)
			more += &a->cause[i] != c &&
				a->cause[i].why == AZ_W_REACH_UNUSED &&
				!loc_cmp(&a->cause[i].at, &c->at);
		const char *why =
			c->v1 == 2
				? "an address BIRD takes only with an "
				  "interface, or never ('Static route "
				  "destination ... is invalid')"
			: c->v1 == 3
				? rr_arena_printf(ar,
						  "the network or broadcast "
						  "address of its subnet %s",
						  rr_prefix_str(&c->pfx, b3))
				: rr_arena_printf(
					  ar, "a gateway on none of its subnets (%s)",
					  rr_prefix_str(&c->pfx, b3));
		return rr_arena_printf(
			ar,
			"node '%s' routes %s via %s (reachableBy), %s: BIRD "
			"does not install the route, and the session to '%s' "
			"follows the node's other routes (assumed to reach "
			"it)%s",
			name(a, x->spk), addr_s(&x->peer, b1),
			addr_s(&c->nh, b2), why, name(a, y->spk),
			!more ? ""
			      : rr_arena_printf(ar, "; %u more session%s alike",
						more, more == 1 ? "" : "s"));
	}
	default:
		return NULL;
	}
}

static const char *
word_route(struct az *a, const struct az_cause *c)
{
	char b1[RR_PREFIX_STRLEN], b2[RR_ADDR_STRLEN];
	const struct az_side *x = c->side != AZ_NONE ? &a->side[c->side] : NULL;
	const struct az_side *y =
		c->other != AZ_NONE ? &a->side[c->other] : NULL;
	struct rr_arena *ar = &a->arena;

	switch ((enum az_why)c->why) {
	case AZ_W_DUP_ADDRESS:
	case AZ_W_DUP_PROTOCOL:
		return dup_words(a, c);
	case AZ_W_ISOLATED:
		return rr_arena_printf(
			ar,
			"node '%s' has no %s BGP session: no mesh and no "
			"BGPPeer gives it one, so its blocks go nowhere and it "
			"learns none",
			name(a, c->spk), fam_s(c->v1));
	case AZ_W_NO_ADDRESS:
		return rr_arena_printf(
			ar,
			"node '%s' owns block %s but has no %s BGP address "
			"(spec.bgp.%s): calico-node runs no BGP for it and the "
			"block is never advertised",
			name(a, c->spk), rr_prefix_str(&c->pfx, b1),
			fam_s(c->v1), c->v1 ? "ipv6Address" : "ipv4Address");
	case AZ_W_SPLIT_HORIZON:
		return rr_arena_printf(
			ar,
			"'%s' does not pass the routes it learns from '%s' to "
			"'%s': both sessions are iBGP and neither is a "
			"route-reflector client (iBGP split horizon, RFC 4456 "
			"6)",
			name(a, x->spk), name(a, y ? far_spk(a, c->other) : AZ_NONE),
			name(a, far_spk(a, c->side)));
	case AZ_W_NO_C2C:
		return rr_arena_printf(
			ar,
			"'%s' has 'no bgp client-to-client reflection': it does "
			"not reflect routes between its clients",
			name(a, x->spk));
	case AZ_W_CLUSTER_LOOP:
		return rr_arena_printf(
			ar,
			"'%s' drops the routes '%s' reflects: their CLUSTER_LIST "
			"holds %s, its own cluster id (RFC 4456 8); reflectors "
			"sharing a cluster id must share their clients",
			name(a, x->spk), name(a, y ? y->spk : AZ_NONE),
			cid_s(c->v1, b2));
	case AZ_W_ORIGINATOR:
		return rr_arena_printf(
			ar,
			"'%s' drops the routes of '%s': their ORIGINATOR_ID is "
			"its own router id (RFC 4456 8)",
			name(a, x->spk), name(a, c->spk2));
	case AZ_W_AS_LOOP:
		return rr_arena_printf(
			ar,
			"'%s' drops the routes '%s' sends: their AS_PATH holds "
			"its own AS %u; nodes of one AS behind eBGP need "
			"numAllowedLocalASNumbers, as-override or allowas-in, "
			"or one AS per rack",
			name(a, x->spk), name(a, y ? y->spk : AZ_NONE), c->v1);
	case AZ_W_FAMILY:
		return rr_arena_printf(
			ar,
			"%s of '%s' is not activated for %s: the session comes "
			"up and carries none of those routes",
			side_s(a, c->side), name(a, x->spk), fam_s(x->ipv6));
	case AZ_W_POOL:
		return rr_arena_printf(
			ar,
			"node '%s' does not re-export %s to '%s': calico-node "
			"re-exports only routes inside its IPPools "
			"(calico_export_to_bgp_peers)",
			name(a, x->spk), rr_prefix_str(&c->pfx, b1),
			name(a, far_spk(a, c->side)));
	case AZ_W_NEXT_HOP:
		return rr_arena_printf(
			ar,
			"the route of '%s' for %s at '%s' points at next hop %s, "
			"which does not lead to '%s'",
			name(a, c->spk2), rr_prefix_str(&c->pfx, b1),
			name(a, c->spk), addr_s(&c->nh, b2), name(a, c->spk2));
	case AZ_W_POLICY:
		if (a->spk[x->spk].bird) {
			const struct rr_bgpfilter *f = az_bgpfilter_at(a, &c->at);
			return rr_arena_printf(
				ar,
				"%s of '%s': a rule of BGPFilter '%s' rejects %s "
				"%s (calico-node's BIRD %s filter)",
				side_s(a, c->side), name(a, x->spk),
				f && f->meta.name ? f->meta.name : "?",
				c->v1 ? "the routes it receives, like"
				      : "sending routes like",
				rr_prefix_str(&c->pfx, b1),
				c->v1 ? "import" : "export");
		}
		return rr_arena_printf(
			ar,
			"%s of '%s' denies %s %s (IOS route policy: route-map, "
			"prefix-list or filter-list)",
			side_s(a, c->side), name(a, x->spk),
			c->v1 ? "the routes it receives, like" : "sending routes like",
			rr_prefix_str(&c->pfx, b1));
	case AZ_W_PARTITION:
		if (c->v3)
			return rr_arena_printf(
				ar,
				"the %s sessions that come up form separate "
				"islands (one with '%s', one with '%s'), linked "
				"only by %s sessions: no %s route crosses "
				"between them",
				fam_s(c->v3 - 1), name(a, c->spk),
				name(a, c->spk2), fam_s(c->v3 == 1),
				fam_s(c->v3 - 1));
		return rr_arena_printf(
			ar,
			"the sessions that come up form separate islands (one "
			"with '%s', one with '%s'): no route crosses between "
			"them",
			name(a, c->spk), name(a, c->spk2));
	default:
		return NULL;
	}
}

static const char *
word_extra(struct az *a, const struct az_cause *c)
{
	char b1[RR_PREFIX_STRLEN];
	struct rr_arena *ar = &a->arena;

	switch ((enum az_why)c->why) {
	case AZ_W_SERVICE_MULTIPATH: {
		const struct rr_speaker *s = a->spk[c->spk].s;
		const struct rr_opt_u32 *mp =
			c->v3 ? &s->maximum_paths : &s->maximum_paths_ibgp;
		char w[256];
		return rr_arena_printf(
			ar,
			"%s: all its traffic goes to one node%s%.0u%s; add "
			"'maximum-paths %s%u' under 'router bgp' to balance it",
			az_service_words(w, sizeof(w), name(a, c->spk), &c->pfx,
					 c->v1, 1, mp->set, c->v3),
			c->v2 > 1 ? " (" : "", c->v2 > 1 ? c->v2 - 1 : 0,
			c->v2 > 2   ? " more service prefixes alike)"
			: c->v2 > 1 ? " more service prefix alike)"
				    : "",
			c->v3 ? "" : "ibgp ", c->v1 < 32 ? c->v1 : 32);
	}
	case AZ_W_SINGLE_NONCLIENT:
		return rr_arena_printf(
			ar,
			"neighbor %s of '%s' (node '%s') is not a "
			"route-reflector-client: routes still flow (RFC 4456 "
			"6), but one more such node and the two never learn "
			"each other's routes",
			addr_s(&a->side[c->side].peer, b1), name(a, c->spk),
			name(a, c->spk2));
	case AZ_W_NOTHING:
		if (c->v1 && c->v2 && c->v3)
			return rr_arena_printf(
				ar,
				"no session between the given speakers was "
				"analysed (%u router%s, %u Calico node%s): %s "
				"between them %s on what rrkit does not model or "
				"was not given (the warnings and notes say what)",
				c->v1, c->v1 == 1 ? "" : "s", c->v2,
				c->v2 == 1 ? "" : "s",
				c->v3 == 1 ? "the one session" : "every session",
				"depends");
		return rr_arena_printf(
			ar,
			"no session between the given speakers was analysed (%u "
			"router%s, %u Calico node%s): %s",
			c->v1, c->v1 == 1 ? "" : "s", c->v2,
			c->v2 == 1 ? "" : "s",
			c->v1 && c->v2
				? "no node peers with an address a given "
				  "router owns, and no router neighbor is a "
				  "node that peers back (the warnings say which)"
				: "give both the router configurations and the "
				  "Calico manifests, or disable this rule to "
				  "check one side alone");
	case AZ_W_MESH_REDUNDANT:
		return rr_arena_printf(
			ar,
			"the node-to-node mesh is %s (%u sessions) while the "
			"other sessions carry every route without it: set "
			"'nodeToNodeMeshEnabled: false' in the 'default' "
			"BGPConfiguration",
			c->v2 ? "on" : "on by default (no 'default' "
				       "BGPConfiguration)",
			c->v1);
	default:
		return NULL;
	}
}

static const char *
word(struct az *a, const struct az_cause *c)
{
	const char *s = word_session(a, c);

	if (!s)
		s = word_route(a, c);
	if (!s)
		s = word_extra(a, c);
	if (!s)
		RR_BUG("a cause without wording");
	return s;
}

/* ----------------------------------------------------------- grouping */

/* A place a cause names: its blamed line (any cause naming the line has
 * the same root), or the other side's line (one root only with the same
 * values: 1,000 neighbor lines expecting AS 64513 from nodes that all take
 * 64512 from one BGPConfiguration line are one; two typos are two). */
struct lk {
	uint8_t rule, other;
	struct rr_loc loc;
	uint32_t v1, v2;
	uint32_t cause;
};

static int
loc_cmp(const struct rr_loc *x, const struct rr_loc *y)
{
	int c;

	if (x->file != y->file) {
		c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
		if (c)
			return c;
	}
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static int
cmp_lk(const void *p, const void *q)
{
	const struct lk *x = p, *y = q;

	int c;

	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->other != y->other)
		return x->other < y->other ? -1 : 1;
	c = loc_cmp(&x->loc, &y->loc);
	if (c || !x->other)
		return c;
	if (x->v1 != y->v1)
		return x->v1 < y->v1 ? -1 : 1;
	return x->v2 < y->v2 ? -1 : x->v2 > y->v2;
}

/* Causes whose two lines are both at fault (neither neighbor is a client,
 * both reflectors have the cluster id, both speakers the identifier). */
static bool
both_blamed(const struct az_cause *c)
{
	switch ((enum az_why)c->why) {
	case AZ_W_SPLIT_HORIZON:
	case AZ_W_CLUSTER_LOOP:
	case AZ_W_BGPID:
	case AZ_W_ORIGINATOR:
	case AZ_W_PASSIVE:
	case AZ_W_PARTITION:
		return true;
	default:
		return false;
	}
}

/* Causes whose root is one speaker's routing table (no route to the
 * peers, no connected subnet for eBGP single-hop peers) or one router's
 * neighbors toward nodes that do not peer with it: 1,000 node neighbors
 * on a subnet the router cannot reach are one finding. */
static bool
one_table(const struct az_cause *c)
{
	return c->spk != AZ_NONE &&
	       (c->why == AZ_W_NO_ROUTE || c->why == AZ_W_NOT_CONNECTED ||
		c->why == AZ_W_WITHOUT_NODE);
}

/* One address no input owns that 1,000 BGPPeers name (a typo in a
 * template) is one root cause. */
static uint64_t
addr_key(const struct rr_addr *x)
{
	uint8_t k[17];

	k[0] = x->af;
	memcpy(k + 1, x->b, 16);
	if (x->af == RR_AF_INET)
		memset(k + 5, 0, 12);
	return rr_hash64(k, sizeof(k));
}

static uint32_t
uf_find(uint32_t *par, uint32_t x)
{
	while (par[x] != x) {
		par[x] = par[par[x]];
		x = par[x];
	}
	return x;
}

static void
uf_union(uint32_t *par, uint32_t x, uint32_t y)
{
	x = uf_find(par, x);
	y = uf_find(par, y);
	if (x != y)
		par[x > y ? x : y] = x < y ? x : y;
}

/* Which causes are findings, and how severe. */
static bool *
reportable(struct az *a)
{
	bool *rep = rr_xcalloc(a->ncause + 1, sizeof(bool));
	uint32_t i;

	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		struct az_cause *c;
		if (s->cause == AZ_NONE)
			continue;
		c = &a->cause[s->cause];
		if (s->state == AZ_DOWN && s->expected) {
			c->sessions++;
			if (c->first_session == AZ_NONE)
				c->first_session = i;
		} else if (c->sev == RR_SEV_ERROR) {
			c->sev = RR_SEV_WARNING; /* breaks nothing counted */
		}
	}
	for (i = 0; i + 1 < a->nsess_more; i += 2) {
		const struct az_sess *s = &a->sess[a->sess_more[i]];
		struct az_cause *c = &a->cause[a->sess_more[i + 1]];
		if (s->state == AZ_DOWN && s->expected) {
			c->sessions++;
			if (c->first_session == AZ_NONE)
				c->first_session = a->sess_more[i];
		} else if (c->sev == RR_SEV_ERROR) {
			c->sev = RR_SEV_WARNING;
		}
	}
	for (i = 0; i < a->ncause; i++) {
		struct az_cause *c = &a->cause[i];
		/* a session toward a peer not given whose node's routes are
		 * lost whatever that peer is (route.c down_cause) */
		if (c->why == AZ_W_UNKNOWN_PEER && c->v3 == AZ_UNKNOWN_LOST &&
		    c->routes)
			c->sev = RR_SEV_ERROR;
		rep[i] = c->sev == RR_SEV_WARNING || c->sessions || c->routes ||
			 c->why == AZ_W_NOTHING;
		if (c->sev == RR_SEV_NOTE)
			rep[i] = false;
	}
	/* a warning cause that nothing refers to was superseded */
	return rep;
}

static void
note_other(struct az *a, struct rr_diag *g, const struct az_cause *c,
	   const struct rr_loc *primary)
{
	const char *who = c->spk2 != AZ_NONE ? name(a, c->spk2)
					     : name(a, c->spk);

	if (loc_cmp(primary, &c->at) && c->at.line) {
		/* the finding sits on the shared line: say where this one is */
		rr_diag_note(&a->diags, g, &c->at, "%s of '%s' is here",
			     c->side != AZ_NONE ? side_s(a, c->side) : "it",
			     name(a, c->spk));
		return;
	}
	if (!c->at2.line || !loc_cmp(&c->at2, primary))
		return;
	switch ((enum az_why)c->why) {
	case AZ_W_PEER_AS:
		rr_diag_note(&a->diags, g, &c->at2, "'%s' announces AS %u here",
			     who, c->v2);
		break;
	case AZ_W_NO_NEIGHBOR:
		rr_diag_note(&a->diags, g, &c->at2,
			     "add a neighbor (or listen range) for it under "
			     "'router bgp' here");
		break;
	case AZ_W_HOLD:
		if (c->v2 > 3)
			rr_diag_note(&a->diags, g, &c->at2,
				     "'%s' minimum hold time %u s is set here",
				     who, c->v2);
		else
			rr_diag_note(&a->diags, g, &c->at2,
				     "the other side ('%s') is here", who);
		break;
	case AZ_W_NOT_ACTIVATED:
		rr_diag_note(&a->diags, g, &c->at2,
			     "'no bgp default ipv4-unicast' is here: add "
			     "'neighbor ... activate' under 'address-family'");
		break;
	case AZ_W_FAMILY_DISJOINT:
		rr_diag_note(&a->diags, g, &c->at2,
			     "'no bgp default ipv4-unicast' is here: activate "
			     "the neighbor under the address-family of its "
			     "session");
		break;
	case AZ_W_LISTEN_LIMIT:
		rr_diag_note(&a->diags, g, &c->at2, "the listen range is here");
		break;
	case AZ_W_MAX_PREFIX:
		rr_diag_note(&a->diags, g, &c->at2,
			     "'%s' peers with it here: raise the limit above "
			     "what it sends, or add 'warning-only'",
			     who);
		if (c->v3)
			rr_diag_note(
				&a->diags, g, NULL,
				"on a first start whether the count passes "
				"the limit depends on the order the UPDATEs "
				"arrive in; each time this session comes up "
				"again alone, '%s' sends what it holds "
				"without it before the paths over it arrive",
				who);
		break;
	case AZ_W_ISOLATED:
		rr_diag_note(&a->diags, g, &c->at2,
			     "the node-to-node mesh is set here");
		break;
	case AZ_W_AS_LOOP:
		rr_diag_note(&a->diags, g, &c->at2, "'%s' AS %u is set here",
			     name(a, c->spk), c->v1);
		break;
	case AZ_W_CLUSTER_LOOP:
		rr_diag_note(&a->diags, g, &c->at2, "'%s' cluster id is set here",
			     who);
		break;
	case AZ_W_DUP_ADDRESS:
		rr_diag_note(&a->diags, g, &c->at2,
			     "'%s' has the address first (it runs)", who);
		break;
	case AZ_W_UNKNOWN_PEER:
		rr_diag_note(&a->diags, g, &c->at2,
			     "the address is on an interface of '%s' in a VRF "
			     "here", who);
		break;
	default:
		if (c->other != AZ_NONE &&
		    !loc_cmp(&c->at2, az_nb_loc(&a->side[c->other])))
			rr_diag_note(&a->diags, g, &c->at2, "%s of '%s' is here",
				     side_s(a, c->other),
				     name(a, a->side[c->other].spk));
		else
			rr_diag_note(&a->diags, g, &c->at2,
				     "the other side ('%s') is here", who);
		break;
	}
}

struct grp {
	uint32_t root, lead;
	uint8_t rule, sev;
	struct rr_loc loc;
	uint64_t sessions, routes;
	uint32_t ncauses;
};

static int
cmp_grp(const void *p, const void *q)
{
	const struct grp *x = p, *y = q;
	int c = loc_cmp(&x->loc, &y->loc);

	if (c)
		return c;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Sessions per group: a session two causes of one group keep down counts
 * once. */
static void
count_sessions(const struct az *a, const uint32_t *par, const bool *rep,
	       struct grp *g, uint32_t ng)
{
	uint32_t *gi = rr_xmalloc((a->ncause + 1) * sizeof(uint32_t));
	uint32_t *last = rr_xmalloc((ng + 1) * sizeof(uint32_t));
	uint32_t i, j;

	for (i = 0; i < a->ncause; i++)
		gi[i] = AZ_NONE;
	for (j = 0; j < ng; j++) {
		gi[g[j].root] = j;
		g[j].sessions = 0;
		last[j] = AZ_NONE;
	}
	for (i = 0; i < a->ncause; i++)
		gi[i] = rep[i] ? gi[par[i]] : AZ_NONE;
	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		if (s->state != AZ_DOWN || !s->expected ||
		    s->cause == AZ_NONE || gi[s->cause] == AZ_NONE)
			continue;
		g[gi[s->cause]].sessions++;
		last[gi[s->cause]] = i;
	}
	for (i = 0; i + 1 < a->nsess_more; i += 2) {
		const struct az_sess *s = &a->sess[a->sess_more[i]];
		uint32_t c = a->sess_more[i + 1];
		if (s->state != AZ_DOWN || !s->expected ||
		    gi[c] == AZ_NONE || last[gi[c]] == a->sess_more[i])
			continue;
		/* sess_more lists a session's extra causes together, after
		 * its first one: the same group twice in a row is one */
		if (gi[s->cause] == gi[c])
			continue;
		g[gi[c]].sessions++;
		last[gi[c]] = a->sess_more[i];
	}
	free(gi);
	free(last);
}

/* The location most of the group's causes share. */
static struct rr_loc
shared_loc(const struct az *a, const uint32_t *par, uint32_t root,
	   const struct az_cause *lead)
{
	uint32_t i, na = 0, nb = 0;

	for (i = 0; i < a->ncause; i++) {
		const struct az_cause *c = &a->cause[i];
		if (par[i] != root)
			continue;
		na += !loc_cmp(&c->at, &lead->at) ||
		      !loc_cmp(&c->at2, &lead->at);
		nb += lead->at2.line && (!loc_cmp(&c->at, &lead->at2) ||
					 !loc_cmp(&c->at2, &lead->at2));
	}
	return nb > na ? lead->at2 : lead->at;
}

static void
examples(struct az *a, struct az_finding *f, const uint32_t *par,
	 uint32_t root)
{
	size_t max = a->o.max_examples ? a->o.max_examples : 5, n = 0;
	struct az_example *ex = rr_arena_calloc(&a->arena, max,
						sizeof(*ex));
	uint32_t i;

	for (i = 0; i < a->ncause && n < max; i++) {
		const struct az_cause *c = &a->cause[i];
		if (par[i] != root)
			continue;
		if (c->first_session != AZ_NONE) {
			ex[n].session = c->first_session;
			ex[n].node = ex[n].origin = AZ_NONE;
			n++;
		} else if (c->routes && n < max) {
			ex[n].session = AZ_NONE;
			ex[n].node = c->node;
			ex[n].origin = c->origin;
			ex[n].prefix = c->pfx;
			n++;
		}
	}
	f->examples = ex;
	f->nexamples = n;
}

static void
more_notes(struct az *a, struct rr_diag *g, const uint32_t *par, uint32_t root,
	   const struct rr_loc *primary, const struct az_cause *lead)
{
	uint32_t i, shown = 0, more = 0;
	const struct rr_loc *seen[4];

	for (i = 0; i < a->ncause; i++) {
		const struct az_cause *c = &a->cause[i];
		const struct rr_loc *l = !loc_cmp(&c->at, primary) ||
						 !loc_cmp(&c->at, &lead->at2)
					 ? &c->at2
					 : &c->at;
		uint32_t k;
		bool dup = false;
		if (par[i] != root || c == lead || !l->line ||
		    !loc_cmp(l, primary) || !loc_cmp(l, &lead->at) ||
		    !loc_cmp(l, &lead->at2))
			continue;
		for (k = 0; k < shown; k++)
			dup |= !loc_cmp(seen[k], l);
		if (dup)
			continue;
		if (shown == 4) {
			more++;
			continue;
		}
		seen[shown++] = l;
		if (l == &c->at2 && c->other != AZ_NONE)
			rr_diag_note(&a->diags, g, l, "likewise %s of '%s'",
				     side_s(a, c->other),
				     name(a, a->side[c->other].spk));
		else if (c->side != AZ_NONE)
			rr_diag_note(&a->diags, g, l, "likewise %s of '%s'",
				     side_s(a, c->side), name(a, c->spk));
		else
			rr_diag_note(&a->diags, g, l, "likewise '%s'",
				     name(a, c->spk));
	}
	if (more)
		rr_diag_note(&a->diags, g, NULL, "and %u more places alike",
			     more);
}

void
az_findings(struct az *a)
{
	bool *rep = reportable(a);
	uint32_t *par = rr_xcalloc(a->ncause + 1, sizeof(uint32_t));
	struct lk *v = rr_xcalloc(3 * (size_t)a->ncause + 1, sizeof(*v));
	struct grp *g = rr_xcalloc(a->ncause + 1, sizeof(*g));
	uint32_t i, j, n = 0, ng = 0;

	for (i = 0; i < a->ncause; i++) {
		const struct az_cause *c = &a->cause[i];
		par[i] = i;
		if (!rep[i])
			continue;
		if (c->at.line)
			v[n++] = (struct lk){c->rule, 0, c->at, 0, 0, i};
		if (c->at2.line && both_blamed(c))
			v[n++] = (struct lk){c->rule, 0, c->at2, 0, 0, i};
		else if (c->at2.line)
			v[n++] = (struct lk){c->rule, 1, c->at2, c->v1, c->v2, i};
		if (one_table(c))
			v[n++] = (struct lk){c->rule, 2, {0}, c->spk, c->why, i};
		else if (c->why == AZ_W_UNKNOWN_PEER && c->side != AZ_NONE) {
			uint64_t h = addr_key(&a->side[c->side].peer);
			v[n++] = (struct lk){c->rule, 3, {0}, (uint32_t)h,
					     (uint32_t)(h >> 32), i};
		}
	}
	qsort(v, n, sizeof(*v), cmp_lk);
	for (i = 1; i < n; i++)
		if (!cmp_lk(&v[i - 1], &v[i]))
			uf_union(par, v[i - 1].cause, v[i].cause);
	for (i = 0; i < a->ncause; i++)
		par[i] = uf_find(par, i);
	/* one group per root; the cause breaking most leads */
	for (i = 0; i < a->ncause; i++) {
		const struct az_cause *c = &a->cause[i];
		struct grp *q;
		if (!rep[i])
			continue;
		for (j = 0; j < ng && g[j].root != par[i]; j++)
			;
		q = &g[j];
		if (j == ng) {
			ng++;
			q->root = par[i];
			q->lead = i;
			q->rule = c->rule;
		}
		if (c->sessions + c->routes >
		    a->cause[q->lead].sessions + a->cause[q->lead].routes)
			q->lead = i;
		if (c->sev > q->sev)
			q->sev = c->sev;
		q->sessions += c->sessions;
		q->routes += c->routes;
		q->ncauses++;
	}
	count_sessions(a, par, rep, g, ng);
	for (j = 0; j < ng; j++)
		g[j].loc = shared_loc(a, par, g[j].root, &a->cause[g[j].lead]);
	qsort(g, ng, sizeof(*g), cmp_grp);
	a->findings = rr_xcalloc(ng + 1, sizeof(*a->findings));
	a->finding_diag = rr_xcalloc(ng + 1, sizeof(uint32_t));
	for (j = 0; j < ng; j++) {
		const struct az_cause *lead = &a->cause[g[j].lead];
		struct az_finding *f = &a->findings[j];
		struct rr_diag *d;
		d = rr_diag_add(&a->diags, (enum rr_sev)g[j].sev,
				az_rule_ids[g[j].rule], &g[j].loc, "%s",
				word(a, lead));
		note_other(a, d, lead, &g[j].loc);
		more_notes(a, d, par, g[j].root, &g[j].loc, lead);
		a->finding_diag[j] = (uint32_t)(d - a->diags.v);
		f->rule = (enum az_rule)g[j].rule;
		f->sessions = g[j].sessions;
		f->routes = g[j].routes;
		examples(a, f, par, g[j].root);
		for (i = 0; i < a->ncause; i++)
			if (par[i] == g[j].root && rep[i])
				a->cause[i].finding = j;
	}
	a->nfindings = ng;
	free(rep);
	free(par);
	free(v);
	free(g);
}

/* Pointers last: the sink's array moves while diagnostics are added. */
void
az_findings_link(struct az *a)
{
	size_t j;

	for (j = 0; j < a->nfindings; j++) {
		struct rr_diag *g = &a->diags.v[a->finding_diag[j]];
		g->sessions = a->findings[j].sessions;
		g->routes = a->findings[j].routes;
		a->findings[j].diag = g;
	}
}

void
az_findings_free(struct az *a)
{
	free(a->findings);
	free(a->finding_diag);
	a->findings = NULL;
	a->finding_diag = NULL;
}

/* ------------------------------------------------------------- notes */

static void
note(struct az *a, const struct rr_loc *at, const char *fmt, ...)
	RR_PRINTF(3, 4);

static void
note(struct az *a, const struct rr_loc *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rr_diag_vadd(&a->diags, RR_SEV_NOTE, NULL, at, fmt, ap);
	va_end(ap);
	a->nnotes++;
}

/* A route-map with a clause rrkit does not evaluate (a match on an ACL,
 * `continue`, a set it does not apply). */
static bool
rm_unevaluated(const struct rr_speaker *s, const struct rr_opt_str *name)
{
	const struct rr_route_map *rm;
	size_t i, j;

	if (!name->set || !(rm = rr_route_map_find(s, name->v)))
		return false;
	for (i = 0; i < rm->n; i++) {
		const struct rr_rm_entry *e = &rm->v[i];
		if (e->has_continue)
			return true;
		for (j = 0; j < e->nmatches; j++)
			if (e->matches[j].kind == RR_RM_MATCH_OTHER)
				return true;
		for (j = 0; j < e->nsets; j++)
			if (e->sets[j].kind == RR_RM_SET_OTHER)
				return true;
	}
	return false;
}

/* What the analysis does not model and could change its answer. */
void
az_notes(struct az *a)
{
	uint32_t i, unknown = 0, md5 = 0, policy = 0, igp = 0, vrf = 0;
	uint32_t k, confed = 0, md5_assumed = 0, gw = 0;
	const struct rr_loc *policy_at = NULL, *igp_at = NULL, *vrf_at = NULL;
	const struct rr_loc *gw_at = NULL;
	const struct rr_addr *gw_addr = NULL;
	/* IOS neighbor settings read, not analysed (docs/ios.md) */
	uint32_t deforig = 0, privas = 0, locas = 0;
	const struct rr_loc *deforig_at = NULL;
	const struct rr_loc *privas_at = NULL, *locas_at = NULL;

	a->notes_at = a->diags.n;
	for (i = 0; i < a->nsess; i++) {
		const struct az_sess *s = &a->sess[i];
		uint32_t q[2] = {s->a, s->b}, j;
		if (s->state == AZ_UNKNOWN && s->cause != AZ_NONE &&
		    a->cause[s->cause].why == AZ_W_MD5_UNKNOWN)
			md5++;
		else if (s->state == AZ_UNKNOWN &&
			 a->spk[a->side[s->a].spk].bird &&
			 !(s->cause != AZ_NONE &&
			   a->cause[s->cause].why == AZ_W_UNKNOWN_PEER &&
			   a->cause[s->cause].v1))
			/* (toward a router's address in a VRF: its own
			 * warning names the router) */
			unknown++;
		if (s->state != AZ_UP)
			continue;
		md5_assumed += a->side[s->a].pw_unknown || a->side[s->b].pw_unknown;
		for (j = 0; j < 2; j++) {
			const struct az_side *d = &a->side[q[j]];
			const struct rr_neighbor *n = d->nb;
			const struct rr_speaker *sp = a->spk[d->spk].s;
			if ((a->spk[d->spk].bird &&
			     rr_bgpfilters_interface(&a->m->calico, n)) ||
			    rm_unevaluated(sp, &rr_nb_rare(n)->route_map_in) ||
			    rm_unevaluated(sp, &rr_nb_rare(n)->route_map_out)) {
				if (!policy++)
					policy_at =
					        n->nfilters ? &n->loc
					        : rm_unevaluated(
					                  sp,
					                  &rr_nb_rare(n)
					                           ->route_map_in)
					                ? &rr_nb_rare(n)
					                           ->route_map_in
					                           .at
					                : &rr_nb_rare(n)
					                           ->route_map_out
					                           .at;
			}
			if (!a->spk[d->spk].bird && !sp->addrs_inferred &&
			    sp->naddrs && !az_routed(sp, &d->peer) && !igp++)
				igp_at = &n->loc;
			if (a->spk[d->spk].bird &&
			    rr_nb_rare(n)->reachable_by.set) {
				/* the kernel route via a gateway on the
				 * node's subnet that no input owns */
				struct rr_prefix net;
				const struct rr_addr *g =
				        &rr_nb_rare(n)->reachable_by.v;
				if (az_reach_gateway(a, d, &net) == 0 &&
				    net.addr.af && !rr_addr_eq(g, &d->peer) &&
				    az_owner(a, g) == AZ_NONE && !gw++) {
					gw_at = &rr_nb_rare(n)->reachable_by.at;
					gw_addr = g;
				}
			}
			if (!a->spk[d->spk].bird) {
				const struct rr_nb_rare *r = rr_nb_rare(n);
				if (az_on(&r->default_originate) && !deforig++)
					deforig_at = &r->default_originate.at;
				if (!d->ibgp && az_on(&r->remove_private_as) &&
				    !privas++)
					privas_at = &r->remove_private_as.at;
				if (!d->ibgp && rr_nb_rare(n)->local_as.set &&
				    (!r->local_as_no_prepend ||
				     !r->local_as_replace_as ||
				     r->local_as_dual_as) &&
				    !locas++)
					locas_at = &rr_nb_rare(n)->local_as.at;
			}
		}
	}
	for (k = 0; k < a->nspk; k++) {
		const struct rr_speaker *s = a->spk[k].s;
		size_t q;
		confed += s->confed_id.set;
		for (q = 0; q < s->nneighbors; q++)
			if (s->neighbors[q].vrf && !vrf++)
				vrf_at = &s->neighbors[q].loc;
	}
	if (a->verdict.mesh_elided)
		note(a, NULL,
		     "the node-to-node mesh (%llu sessions) is too large for "
		     "the model and was not analysed; nor are the routes",
		     (unsigned long long)a->verdict.mesh_elided);
	if (unknown)
		note(a, NULL,
		     "%u session%s toward addresses no input owns %s not "
		     "analysed (give rrkit the router's configuration)",
		     unknown, unknown == 1 ? "" : "s",
		     unknown == 1 ? "is" : "are");
	if (md5)
		note(a, NULL,
		     "%u session%s use%s a TCP MD5 password from a Secret rrkit "
		     "was not given toward a peer that sets none: whether "
		     "they come up depends on that Secret (not analysed)",
		     md5, md5 == 1 ? "" : "s", md5 == 1 ? "s" : "");
	if (md5_assumed)
		note(a, NULL,
		     "%u session%s take%s a TCP MD5 password from a Secret "
		     "rrkit was not given: assumed to match the peer's (give "
		     "the Secret to check it)",
		     md5_assumed, md5_assumed == 1 ? "" : "s",
		     md5_assumed == 1 ? "s" : "");
	if (igp)
		note(a, igp_at,
		     "reachability of %u neighbor%s beyond the router's "
		     "connected subnets and static routes is assumed (IGPs are "
		     "not modelled)",
		     igp, igp == 1 ? "" : "s");
	if (gw) {
		char b[RR_ADDR_STRLEN];
		note(a, gw_at,
		     "%u session%s reach%s the peer through a reachableBy "
		     "gateway no input owns (%s first): assumed to forward; "
		     "where no host answers, the route confd installs sends "
		     "them nowhere (No route to host)",
		     gw, gw == 1 ? "" : "s", gw == 1 ? "es" : "",
		     rr_addr_str(gw_addr, b));
	}
	if (policy)
		note(a, policy_at,
		     "BGPFilter rules on interface names, and route-map "
		     "clauses rrkit does not evaluate (ACLs, continue), on %u "
		     "session side%s: the routes they could filter are counted "
		     "as arriving",
		     policy, policy == 1 ? "" : "s");
	if (deforig)
		note(a, deforig_at,
		     "default-originate on %u neighbor%s is not modelled: the "
		     "default route IOS sends them is in neither the analysis "
		     "nor the simulation",
		     deforig, deforig == 1 ? "" : "s");
	if (privas)
		note(a, privas_at,
		     "remove-private-as toward %u eBGP neighbor%s is not "
		     "modelled: the AS_PATH keeps its private ASes, so the "
		     "neighbor's AS_PATH loop check may drop a route IOS lets "
		     "through",
		     privas, privas == 1 ? "" : "s");
	if (locas)
		note(a, locas_at,
		     "local-as on %u eBGP neighbor%s without 'no-prepend "
		     "replace-as', or with dual-as: rrkit models it as "
		     "'local-as N no-prepend replace-as' (only N in the "
		     "AS_PATH, the peer must use N), where IOS also puts the "
		     "process's AS in the AS_PATH and with dual-as takes a peer "
		     "using either AS: path lengths, loop checks and that "
		     "session may differ",
		     locas, locas == 1 ? "" : "s");
	for (k = 0; k < 2; k++) {
		uint32_t si = az_cross_family(a, k == 1);
		const struct az_sess *s;
		if (si == AZ_NONE)
			continue;
		s = &a->sess[si];
		note(a, &rr_nb_af(a->side[s->a].nb,
				  k ? RR_AFS_IPV6 : RR_AFS_IPV4)->at,
		     "the session '%s' - '%s' runs over %s and both routers "
		     "activate it for %s: BGP carries %s routes over it "
		     "(RFC 4760), which rrkit does not model; the %s routes "
		     "that could only cross such sessions are not analysed",
		     name(a, a->side[s->a].spk), name(a, a->side[s->b].spk),
		     fam_s(k == 0), fam_s(k), fam_s(k), fam_s(k));
	}
	if (vrf)
		note(a, vrf_at, "%u neighbor%s in VRFs %s not analysed", vrf,
		     vrf == 1 ? "" : "s", vrf == 1 ? "is" : "are");
	if (confed)
		note(a, NULL, "BGP confederations are not modelled");
	if (a->max_prefix_skipped)
		note(a, NULL,
		     "%u neighbor%s with maximum-prefix: what the peer sends "
		     "while the network converges was not counted (only what "
		     "it sends once settled)",
		     a->max_prefix_skipped,
		     a->max_prefix_skipped == 1 ? "" : "s");
	if (a->unsettled)
		note(a, NULL,
		     "the routes of %u block%s did not settle (the paths keep "
		     "changing: a BGP oscillation?); what arrives is what the "
		     "analysis held when it stopped",
		     a->unsettled, a->unsettled == 1 ? "" : "s");
}
