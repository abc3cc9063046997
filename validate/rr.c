/*
 * Route reflection (RFC 4456) on the IOS reflectors: clients marked and
 * active for IPv4 unicast, iBGP only, cluster ids present, consistent
 * between reflectors that serve the same clients, and not shared by
 * reflectors whose clients are split between them (§8: a reflector drops
 * a route whose CLUSTER_LIST holds its own cluster id).
 */
#include "validate/val_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const af_names[RR_AFS_COUNT] = {
	"ipv4", "ipv6", "vpnv4", "vpnv6", "ipv4 multicast", "other"};

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

/* The family a neighbor (or a listen range) is of. */
static bool
fam6(const struct rr_neighbor *nb)
{
	return (nb->is_range ? nb->range.addr.af : nb->peer.af) == RR_AF_INET6;
}

static const char *
active_list(const struct rr_neighbor *nb, char *buf, size_t cap)
{
	size_t i, k = 0;
	buf[0] = '\0';
	for (i = 0; i < RR_AFS_COUNT; i++)
		if (nb->af[i].v && k + strlen(af_names[i]) + 3 < cap)
			k += (size_t)snprintf(buf + k, cap - k, "%s%s",
					      k ? ", " : "", af_names[i]);
	return buf;
}

static void
router_clients(struct val_ctx *v, const struct rr_speaker *r)
{
	char a[RR_ADDR_STRLEN], afs[64];
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
				       "only iBGP peers can be clients",
				       who, nb->remote_as.v, r->asn.v);
			rr_diag_note(v->d, g, val_loc(&nb->remote_as.at, &nb->loc),
				     "remote-as %u is here", nb->remote_as.v);
		}
		/* route-reflector-client is per family: the neighbor's own
		 * (an IPv6 neighbor's is for IPv6 unicast) */
		if (fam6(nb) ? nb->af[RR_AFS_IPV6].v : val_active_v4(nb))
			continue;
		if (!val_active_any(nb))
			g = val_report(v, "rr-client-not-activated", at,
				       "neighbor %s is a route-reflector-client "
				       "but active in no address family: the "
				       "router never starts the session",
				       who);
		else
			g = val_report(v, "rr-client-not-activated", at,
				       "neighbor %s is a route-reflector-client "
				       "but active only for %s: the session "
				       "comes up and carries no %s routes",
				       who, active_list(nb, afs, sizeof(afs)),
				       fam6(nb) ? "IPv6" : "IPv4");
		if (r->default_ipv4_unicast.set && !r->default_ipv4_unicast.v)
			rr_diag_note(v->d, g, &r->default_ipv4_unicast.at,
				     "'no bgp default ipv4-unicast' is here: "
				     "add 'neighbor %s activate' under "
				     "'address-family ipv4'",
				     who);
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

/* iBGP node neighbors that are not clients (mesh off).  RFC 4456 §6: a
 * client's routes are reflected to clients and non-clients, a non-client's
 * to clients only; so one non-client still learns everything, but between
 * two non-clients nothing is ever reflected (iBGP split horizon). */
static void
missing_clients(struct val_ctx *v, const struct rr_speaker *r)
{
	char a[RR_ADDR_STRLEN];
	size_t i, j, k = 0, cap = 8;
	const struct rr_neighbor **nbs;
	const struct rr_speaker **nodes;

	if (v->ncalico < 2)
		return;
	nbs = rr_xcalloc(cap, sizeof(*nbs));
	nodes = rr_xcalloc(cap, sizeof(*nodes));
	for (i = 0; i < r->nneighbors; i++) {
		const struct rr_neighbor *nb = &r->neighbors[i];
		const struct rr_speaker *n = NULL;
		bool meshed = false;
		if (is_client(nb) || nb->vrf ||
		    (nb->shutdown.set && nb->shutdown.v) ||
		    (nb->remote_as.set && r->asn.set &&
		     nb->remote_as.v != r->asn.v))
			continue;
		if (nb->is_range) {
			for (j = 0; j < v->nown && !n; j++)
				if (v->own[j].s->kind == RR_SPK_CALICO &&
				    rr_prefix_contains(&nb->range, &v->own[j].a))
					n = v->own[j].s;
		} else {
			n = val_owner(v, &nb->peer);
		}
		if (!n || n->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < n->nneighbors && !meshed; j++)
			meshed = n->neighbors[j].scope == RR_SCOPE_MESH;
		if (meshed)
			continue;
		if (k == cap) {
			cap *= 2;
			nbs = rr_xrealloc(nbs, cap * sizeof(*nbs));
			nodes = rr_xrealloc(nodes, cap * sizeof(*nodes));
		}
		nbs[k] = nb;
		nodes[k++] = n;
	}
	for (i = 0; k >= 2 && i < k; i++)
		val_report(v, "rr-client-missing", &nbs[i]->loc,
			   "neighbor %s (node '%s') is iBGP but not a "
			   "route-reflector-client, like %zu other node "
			   "neighbor%s (first '%s'): '%s' never reflects routes "
			   "between non-clients, so they never learn each "
			   "other's pod routes",
			   nbs[i]->is_range ? "listen range"
					    : val_addr_str(&nbs[i]->peer, a),
			   nodes[i]->name, k - 1, k - 1 == 1 ? "" : "s",
			   nodes[i == 0 ? 1 : 0]->name, r->name);
	free(nbs);
	free(nodes);
}

/* The IOS reflectors that have node n as a client (up to 8). */
static size_t
reflectors_of(struct val_ctx *v, const struct rr_speaker *n,
	      const struct rr_speaker **out, const struct rr_neighbor **nbs)
{
	size_t i, k = 0;
	for (i = 0; i < v->nios && k < 8; i++) {
		const struct rr_addr *a = val_addr_of(n, RR_AF_INET);
		const struct rr_neighbor *nb;
		if (!a)
			continue;
		nb = val_ios_neighbor(v, v->rix[i].r, a);
		if (is_client(nb)) {
			out[k] = v->rix[i].r;
			nbs[k++] = nb;
		}
	}
	return k;
}

static bool
peers_with(const struct val_ctx *v, const struct rr_speaker *a,
	   const struct rr_speaker *b)
{
	size_t i;
	for (i = 0; i < b->naddrs; i++)
		if (val_ios_neighbor(v, a, &b->addrs[i].p.addr))
			return true;
	return false;
}

static void
cluster_ids(struct val_ctx *v)
{
	size_t i, j, k, q;
	/* pair state: reported conflict; clients of one only */
	size_t np = v->nios * v->nios;
	uint8_t *done = rr_xcalloc(np ? np : 1, 1);
	const struct rr_speaker **only = rr_xcalloc(np ? np : 1, sizeof(*only));

	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *n = v->m->speakers[i];
		const struct rr_speaker *rs[8];
		const struct rr_neighbor *nbs[8];
		size_t nr;
		if (n->kind != RR_SPK_CALICO)
			continue;
		nr = reflectors_of(v, n, rs, nbs);
		for (j = 0; j < nr; j++)
			for (k = j + 1; k < nr; k++) {
				uint32_t c1, c2;
				size_t x, y;
				struct rr_diag *g;
				for (x = 0; v->rix[x].r != rs[j]; x++)
					;
				for (y = 0; v->rix[y].r != rs[k]; y++)
					;
				if (done[x * v->nios + y] ||
				    !val_cluster_id(rs[j], &c1) ||
				    !val_cluster_id(rs[k], &c2) || c1 == c2)
					continue;
				done[x * v->nios + y] = 1;
				g = val_report(
					v, "cluster-id-conflict",
					val_loc(&rs[k]->cluster_id.at, &rs[k]->loc),
					"reflectors '%s' and '%s' both serve node "
					"'%s' but use cluster-ids %u and %u",
					rs[j]->name, rs[k]->name, n->name, c1, c2);
				rr_diag_note(v->d, g,
					     val_loc(&rs[j]->cluster_id.at,
						     &rs[j]->loc),
					     "'%s' cluster-id is here",
					     rs[j]->name);
			}
		/* clients served by one reflector only, per pair */
		for (j = 0; j < v->nios; j++) {
			bool cj = false;
			for (q = 0; q < nr; q++)
				cj |= rs[q] == v->rix[j].r;
			if (!cj)
				continue;
			for (k = 0; k < v->nios; k++) {
				bool ck = false;
				for (q = 0; q < nr; q++)
					ck |= rs[q] == v->rix[k].r;
				if (k != j && !ck && !only[j * v->nios + k])
					only[j * v->nios + k] = n;
			}
		}
	}
	for (j = 0; j < v->nios; j++)
		for (k = j + 1; k < v->nios; k++) {
			const struct rr_speaker *a = v->rix[j].r, *b = v->rix[k].r;
			const struct rr_speaker *oa = only[j * v->nios + k],
						*ob = only[k * v->nios + j];
			uint32_t c1, c2;
			struct rr_diag *g;
			if (!oa || !ob || !a->cluster_id.set ||
			    !b->cluster_id.set || !val_cluster_id(a, &c1) ||
			    !val_cluster_id(b, &c2) || c1 != c2 ||
			    !(peers_with(v, a, b) || peers_with(v, b, a)))
				continue;
			g = val_report(
				v, "cluster-id-shared",
				val_loc(&b->cluster_id.at, &b->loc),
				"reflectors '%s' and '%s' share cluster-id %s "
				"and peer with each other, but node '%s' is a "
				"client of '%s' only and node '%s' of '%s' only: "
				"each drops what the other reflects (CLUSTER_LIST "
				"loop, RFC 4456 section 8), so they never learn "
				"each other's routes",
				a->name, b->name,
				b->cluster_id_text ? b->cluster_id_text : "?",
				oa->name, a->name, ob->name, b->name);
			rr_diag_note(v->d, g, val_loc(&a->cluster_id.at, &a->loc),
				     "'%s' cluster-id is here", a->name);
		}
	free(done);
	free(only);
}

void
val_rr(struct val_ctx *v)
{
	size_t i;
	for (i = 0; i < v->nios; i++) {
		router_clients(v, v->rix[i].r);
		missing_clients(v, v->rix[i].r);
	}
	if (v->nios > 1)
		cluster_ids(v);
}
