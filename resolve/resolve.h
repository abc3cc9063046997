/*
 * resolve: Calico resources as written -> what each calico-node does with
 * them, exactly as calico-node's confd renders BIRD's configuration
 * (projectcalico/calico confd/pkg/backends/calico/{client.go,
 * bgp_processor.go,routes.go} and the templates in
 * node/filesystem/etc/calico/confd/templates): one RR_SPK_CALICO speaker
 * per Calico Node with the BGP sessions it opens and the prefixes it
 * originates.  Not a parser: model in, model out.
 *
 * Comments here and in emitters/bird.c, analyze/ and bgpsim/ number the
 * steps of that rendering R1..R36 (in confd's order; "template" is
 * bird.cfg.template, "ipam" bird_ipam.cfg.template, "aggr"
 * bird_aggr.cfg.template):
 *   R1 local AS: Node asNumber, else the default BGPConfiguration's, else
 *      64512.  R2 router id: CALICO_ROUTER_ID (`hash`: SHA-256 of the node
 *      name), else the node's IPv4 address.  R3 a family without a node
 *      address gets no BGP at all.  R4 `listen bgp` from listenPort and
 *      bindMode.  R5 debug.  R6 the direct protocol's interfaces.
 *   R7 the node-to-node mesh (nodeToNodeMeshEnabled, Mesh_ protocols).
 *   R8 global pass and R9 node pass over BGPPeers (peerIP, peerSelector,
 *      node, nodeSelector) into Global and Node keys; R10 peerIP
 *      expansion (IP:port, a Calico node's own address); R11 a key set
 *      first is never overwritten; R12 automatic reverse peering; R13 two
 *      BGPPeers with one key: the first processed wins; R14 a node renders
 *      the Global keys and its own Node keys, never itself; R15 protocol
 *      names Global_/Node_/Mesh_/Local_Workload_ + the address.
 *   R16-R29 the template's statements per protocol: local as
 *      (localASNumber), neighbor, source address, ttl security, import and
 *      export filters, passive, graceful restart, keepalive, rr client and
 *      cluster id, password (a missing Secret omits it), next hop keep,
 *      next hop self, allow local as.
 *   R30 originated routes (aggr: a blackhole per block, service and
 *      reachableBy routes); R31 calico_aggr(); R32 ipam's
 *      calico_export_to_bgp_peers (pools, blocks, services, what an
 *      in-cluster reflector re-exports); R33 communities; R34 LOCAL_PREF
 *      from the route priority; R35 import; R36 kernel programming.
 *
 * This header depends on model/ only.
 */
#ifndef RR_RESOLVE_H
#define RR_RESOLVE_H

#include "model/model.h"

struct resolve_addr_hint {
	const char *speaker; /* IOS speaker name */
	struct rr_addr addr;
};

struct resolve_opts {
	/* CALICO_ROUTER_ID: NULL unset, "hash", or an address (R2). */
	const char *router_id_env;
	/* --address NAME=IP for IOS configs without interfaces. */
	const struct resolve_addr_hint *addr_hints;
	size_t naddr_hints;
	/* When a node has no confirmed BlockAffinity, originate nothing and say
	 * so in a note (default), or assume blocks from its pools. */
	bool assume_blocks;
	/* Largest full mesh (nodes per family) held in the model; a larger
	 * one is counted in m->mesh_sessions, not built.  0 = 300. */
	size_t max_mesh_nodes;
};

/*
 * Build one RR_SPK_CALICO speaker per Calico Node with the sessions
 * calico-node's confd renders for it (R1-R29), per family, sorted by BIRD
 * protocol name; set what each node originates (R30).  Also give IOS
 * speakers without interfaces an address (hints, else inferred from the
 * BGPPeers that point at them, with a note).  Sets m->resolved.  Returns
 * 0, or -1 after an RR_SEV_FATAL diagnostic.
 */
int resolve_calico(struct rr_model *m, const struct resolve_opts *o,
		   struct rr_diags *d);

/* R2: the router id CALICO_ROUTER_ID=hash gives a node name. */
struct rr_addr resolve_router_id_hash(const char *node_name);

#endif
