/*
 * Route-reflector settings on one router, whatever the sessions do:
 * route-reflector-client on an eBGP neighbor (RFC 4456 applies to iBGP
 * only; BIRD refuses it outright: "Only internal neighbor can be RR
 * client"), and a reflector with clients but no explicit `bgp
 * cluster-id` (it then uses its router id, RFC 4456 7).  Whether routes
 * are reflected where they must be is analyze/'s (rr-client-missing,
 * cluster-id-shared, client-reflection-off, rr-client-single).
 */
#include "validate/val_priv.h"

static bool
is_client(const struct rr_neighbor *nb)
{
	return nb && nb->rr_client.set && nb->rr_client.v;
}

/* The neighbor is a speaker rrkit knows in the router's own AS: a wrong
 * remote-as is as-mismatch, not an eBGP client. */
static bool
same_as_peer(const struct val_ctx *v, const struct rr_speaker *r,
	     const struct rr_neighbor *nb)
{
	const struct rr_speaker *o = nb->is_range ? NULL : val_owner(v, &nb->peer);
	return o && o->asn.set && o->asn.v == r->asn.v;
}

static void
router_clients(struct val_ctx *v, const struct rr_speaker *r)
{
	char a[RR_ADDR_STRLEN];
	size_t i, clients = 0;
	struct rr_diag *g;

	for (i = 0; i < r->nneighbors; i++) {
		const struct rr_neighbor *nb = &r->neighbors[i];
		const char *who = nb->is_range ? "listen range"
					       : val_addr_str(&nb->peer, a);
		const struct rr_loc *at = val_loc(&nb->rr_client.at, &nb->loc);
		if (!is_client(nb))
			continue;
		clients++;
		if (nb->remote_as.set && r->asn.set &&
		    nb->remote_as.v != r->asn.v && !same_as_peer(v, r, nb)) {
			g = val_report(v, "rr-client-ebgp", at,
				       "neighbor %s is a route-reflector-client "
				       "but eBGP (remote-as %u, local AS %u): "
				       "only iBGP peers can be clients, IOS "
				       "refuses the line and it has no effect",
				       who, nb->remote_as.v, r->asn.v);
			rr_diag_note(v->d, g, val_loc(&nb->remote_as.at, &nb->loc),
				     "remote-as %u is here", nb->remote_as.v);
		}
	}
	if (clients && !r->cluster_id.set) {
		char id[RR_ADDR_STRLEN] = "its router id";
		if (r->router_id.set)
			val_addr_str(&r->router_id.v, id);
		val_report(v, "cluster-id-missing", val_loc(&r->asn.at, &r->loc),
			   "route reflector '%s' has %zu client%s but no 'bgp "
			   "cluster-id': it uses %s, so a second reflector "
			   "cannot share or differ on purpose",
			   r->name, clients, clients == 1 ? "" : "s", id);
	}
}

void
val_rr(struct val_ctx *v)
{
	size_t i;
	for (i = 0; i < v->m->nspeakers; i++)
		if (v->m->speakers[i]->kind == RR_SPK_IOS)
			router_clients(v, v->m->speakers[i]);
}
