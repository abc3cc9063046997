/*
 * resolve: Calico resources as written -> what each calico-node does with
 * them, exactly as calico-node's confd renders BIRD's configuration
 * (projectcalico/calico confd/pkg/backends/calico/{client.go,
 * bgp_processor.go,routes.go} and the templates in
 * node/filesystem/etc/calico/confd/templates): one RR_SPK_CALICO speaker
 * per Calico Node with the BGP sessions it opens and the prefixes it
 * originates.  Not a parser: model in, model out.
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
