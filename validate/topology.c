/*
 * Who peers with whom: every node session toward a router finds a
 * neighbor (or listen range) there, every router neighbor is a node that
 * dials it, the mesh is off where reflectors carry the routes, no node is
 * left without a session, and every router neighbor is reachable
 * (ios-bgp.md §1.6: the checks Batfish does not make).
 */
#include "validate/val_priv.h"

#include <string.h>

static bool
has_session_to(const struct rr_speaker *n, const struct rr_speaker *r)
{
	size_t i, j;
	for (i = 0; i < n->nneighbors; i++)
		for (j = 0; j < r->naddrs; j++)
			if (rr_addr_eq(&n->neighbors[i].peer, &r->addrs[j].p.addr))
				return true;
	return false;
}

static void
node_sessions(struct val_ctx *v, const struct rr_speaker *n)
{
	char a[RR_ADDR_STRLEN], b[RR_ADDR_STRLEN];
	size_t i;

	for (i = 0; i < n->nneighbors; i++) {
		const struct rr_neighbor *nb = &n->neighbors[i];
		const struct rr_speaker *o = val_owner(v, &nb->peer);
		const struct rr_addr *src = val_session_src(n, nb);
		struct rr_diag *g;
		if (nb->scope == RR_SCOPE_MESH ||
		    nb->scope == RR_SCOPE_LOCAL_WORKLOAD)
			continue;
		if (!o) {
			if (v->nios)
				val_report_once(
					v, "peer-address-unknown", &nb->loc,
					"node '%s' peers with %s, which no given "
					"router config owns (a typo in peerIP, or "
					"a router rrkit was not given)",
					n->name, val_addr_str(&nb->peer, a));
			continue;
		}
		if (o->kind != RR_SPK_IOS || !src ||
		    val_ios_neighbor(v, o, src))
			continue;
		g = val_report_once(
			v, "node-without-neighbor", &nb->loc,
			"node '%s' peers with router '%s' (%s), but '%s' has no "
			"neighbor or listen range for %s",
			n->name, o->name, val_addr_str(&nb->peer, a), o->name,
			val_addr_str(src, b));
		if (g)
			rr_diag_note(v->d, g, val_loc(&o->asn.at, &o->loc),
				     "add 'neighbor %s remote-as %u' under "
				     "'router bgp' here",
				     b, val_local_as(n, nb));
	}
}

static void
router_neighbors(struct val_ctx *v, const struct rr_speaker *r)
{
	char a[RR_ADDR_STRLEN];
	size_t i;

	if (!v->ncalico)
		return;
	for (i = 0; i < r->nneighbors; i++) {
		const struct rr_neighbor *nb = &r->neighbors[i];
		const struct rr_speaker *o;
		if (nb->is_range || nb->vrf)
			continue;
		o = val_owner(v, &nb->peer);
		if (o && o->kind == RR_SPK_IOS)
			continue; /* another router: reflector mesh, uplink */
		if (!o) {
			/* an eBGP uplink is not a node: only iBGP ones, or
			 * ones inside a node subnet, are suspicious */
			size_t j;
			bool in_nodes = false;
			for (j = 0; j < v->nown && !in_nodes; j++)
				in_nodes = v->own[j].s->kind == RR_SPK_CALICO &&
					   rr_prefix_contains(
						   &v->own[j].s->addrs[0].p,
						   &nb->peer);
			if (!in_nodes &&
			    !(nb->remote_as.set && nb->remote_as.v == r->asn.v))
				continue;
			val_report(v, "neighbor-without-node", &nb->loc,
				   "neighbor %s matches no Calico node: no node "
				   "has this address",
				   val_addr_str(&nb->peer, a));
			continue;
		}
		if (!has_session_to(o, r))
			val_report(v, "neighbor-without-node", &nb->loc,
				   "neighbor %s is node '%s', but no BGPPeer "
				   "makes '%s' peer with '%s': BIRD drops the "
				   "router's connection (unexpected connect "
				   "from unknown address)",
				   val_addr_str(&nb->peer, a), o->name, o->name,
				   r->name);
	}
}

/* peer-unreachable: neither a connected subnet nor a static route of the
 * router covers the neighbor (IOS then has no route to open TCP). */
static void
reachability(struct val_ctx *v, const struct rr_speaker *r)
{
	char a[RR_ADDR_STRLEN];
	size_t i, j;

	if (r->addrs_inferred || !r->naddrs)
		return; /* a BGP-only snippet: interfaces unknown */
	for (i = 0; i < r->nneighbors; i++) {
		const struct rr_neighbor *nb = &r->neighbors[i];
		bool ok = false;
		if (nb->is_range || nb->vrf ||
		    (nb->shutdown.set && nb->shutdown.v))
			continue;
		for (j = 0; j < r->naddrs && !ok; j++)
			ok = rr_prefix_contains(&r->addrs[j].p, &nb->peer);
		for (j = 0; j < r->nstatic_routes && !ok; j++)
			ok = rr_prefix_contains(&r->static_routes[j].p,
						&nb->peer);
		if (!ok)
			val_report(v, "peer-unreachable", &nb->loc,
				   "neighbor %s is in no connected subnet of "
				   "'%s' and no static route covers it",
				   val_addr_str(&nb->peer, a), r->name);
	}
}

static const struct rr_loc *
mesh_loc(const struct val_ctx *v)
{
	const struct rr_calico *c = &v->m->calico;
	size_t i;
	for (i = 0; i < c->nbgpconfigs; i++)
		if (c->bgpconfigs[i].meta.name &&
		    !strcmp(c->bgpconfigs[i].meta.name, "default"))
			return c->bgpconfigs[i].node_to_node_mesh_enabled.set
				       ? &c->bgpconfigs[i]
						  .node_to_node_mesh_enabled.at
				       : &c->bgpconfigs[i].meta.loc;
	return c->nbgppeers ? &c->bgppeers[0].meta.loc : NULL;
}

/* Mesh on while every node also peers with a reflector (an IOS router or
 * a Calico node with a cluster id): the BGPPeers add sessions, they do
 * not replace the mesh (calico-semantics.md §6, calico#3916). */
static void
mesh(struct val_ctx *v)
{
	size_t i, j, nodes = 0, reflected = 0;
	const struct rr_calico *c = &v->m->calico;
	bool has_default = false;

	for (i = 0; i < c->nbgpconfigs; i++)
		has_default |= c->bgpconfigs[i].meta.name &&
			       !strcmp(c->bgpconfigs[i].meta.name, "default");
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *n = v->m->speakers[i];
		bool r = false;
		if (n->kind != RR_SPK_CALICO || !n->bgp_configured)
			continue;
		nodes++;
		for (j = 0; j < n->nneighbors && !r; j++) {
			const struct rr_neighbor *nb = &n->neighbors[j];
			const struct rr_speaker *o = val_owner(v, &nb->peer);
			if (nb->scope == RR_SCOPE_MESH)
				continue;
			r = (o && o->kind == RR_SPK_IOS) ||
			    (o && o->cluster_id.set) ||
			    n->cluster_id.set;
		}
		reflected += r;
	}
	if (v->mesh && nodes && reflected == nodes)
		val_report(v, "mesh-not-disabled", mesh_loc(v),
			   "the node-to-node mesh is %s while all %zu nodes "
			   "peer with a route reflector: set "
			   "'nodeToNodeMeshEnabled: false' in the 'default' "
			   "BGPConfiguration",
			   has_default ? "on" : "on by default (no 'default' "
						"BGPConfiguration)",
			   nodes);
}

static void
isolated(struct val_ctx *v, const struct rr_speaker *n)
{
	if (v->mesh || !n->bgp_configured || n->nneighbors)
		return;
	val_report(v, "node-isolated", &n->loc,
		   "node '%s' has no BGP session: the mesh is off and no "
		   "BGPPeer selects it%s",
		   n->name,
		   n->cluster_id.set ? " (a route reflector node never "
				       "meshes)"
				     : "");
}

void
val_topology(struct val_ctx *v)
{
	size_t i;
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *s = v->m->speakers[i];
		if (s->kind == RR_SPK_CALICO) {
			node_sessions(v, s);
			isolated(v, s);
		} else {
			router_neighbors(v, s);
			reachability(v, s);
		}
	}
	mesh(v);
}
