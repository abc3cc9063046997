/*
 * AS numbers: reserved values (RFC 7607 AS 0, RFC 6793 AS_TRANS 23456,
 * RFC 7300 65535 and 4294967295) and the two directions of every session
 * (a router's `remote-as` against the AS the node announces, a node's
 * expected AS against the router's `router bgp`).  BIRD answers a wrong
 * one with NOTIFICATION 2/2 Bad Peer AS (calico-semantics.md §3.7).
 */
#include "validate/val_priv.h"

#include <string.h>

static const char *
reserved(uint32_t as)
{
	switch (as) {
	case 0:
		return "AS 0 is reserved (RFC 7607)";
	case 23456:
		return "AS 23456 is AS_TRANS (RFC 6793), not a real AS";
	case 65535:
	case 4294967295u:
		return "the last AS of a range is reserved (RFC 7300)";
	default:
		return NULL;
	}
}

static void
speaker_as(struct val_ctx *v, const struct rr_speaker *s)
{
	const char *why;
	size_t i;

	if (s->asn.set && (why = reserved(s->asn.v)) &&
	    (s->kind == RR_SPK_IOS || s->node->as_number.set))
		val_report_once(v, "as-invalid", val_loc(&s->asn.at, &s->loc),
				"%s '%s' runs AS %u: %s",
				s->kind == RR_SPK_IOS ? "router" : "node",
				s->name, s->asn.v, why);
	if (s->kind != RR_SPK_IOS)
		return;
	for (i = 0; i < s->nneighbors; i++) {
		const struct rr_neighbor *nb = &s->neighbors[i];
		if (nb->remote_as.set && (why = reserved(nb->remote_as.v)))
			val_report(v, "as-invalid",
				   val_loc(&nb->remote_as.at, &nb->loc),
				   "neighbor remote-as %u: %s", nb->remote_as.v,
				   why);
	}
}

/* A BGPPeer toward an outside address without asNumber: BIRD renders
 * `as 0` and refuses the whole config ("Remote AS number must be set"). */
static void
peer_as(struct val_ctx *v, const struct rr_bgppeer *bp)
{
	const char *why;
	if (bp->peer_ip_text.set && !bp->as_number.set &&
	    !val_owner(v, &bp->peer_ip))
		val_report(v, "as-invalid", &bp->peer_ip_text.at,
			   "BGPPeer '%s' has a peerIP and no asNumber: BIRD "
			   "renders 'as 0' and refuses the configuration",
			   bp->meta.name);
	else if (bp->as_number.set && bp->as_number.v &&
		 (why = reserved(bp->as_number.v)))
		val_report(v, "as-invalid", &bp->as_number.at,
			   "BGPPeer '%s' asNumber %u: %s", bp->meta.name,
			   bp->as_number.v, why);
}

static void
to_router(struct val_ctx *v, const struct rr_speaker *n,
	  const struct rr_neighbor *nb, const struct rr_speaker *r)
{
	char a[RR_ADDR_STRLEN], b[RR_ADDR_STRLEN];
	const struct rr_addr *src = val_session_src(n, nb);
	const struct rr_neighbor *rn;
	uint32_t mine = val_local_as(n, nb);
	struct rr_diag *g;

	if (r->asn.set && nb->remote_as.v != r->asn.v && nb->remote_as.v) {
		g = val_report_once(
			v, "as-mismatch", val_loc(&nb->remote_as.at, &nb->loc),
			"node '%s' expects AS %u from router '%s' (%s), but "
			"'%s' runs AS %u",
			n->name, nb->remote_as.v, r->name,
			val_addr_str(&nb->peer, a), r->name, r->asn.v);
		if (g)
			rr_diag_note(v->d, g, val_loc(&r->asn.at, &r->loc),
				     "'router bgp %u' is here", r->asn.v);
	}
	if (!src || !(rn = val_ios_neighbor(v, r, src)) || !rn->remote_as.set ||
	    rn->remote_as.v == mine)
		return;
	g = val_report(v, "as-mismatch", val_loc(&rn->remote_as.at, &rn->loc),
		       "neighbor %s remote-as %u, but node '%s' has AS %u",
		       rn->is_range ? "listen range" : val_addr_str(&rn->peer, b),
		       rn->remote_as.v, n->name, mine);
	if (nb->local_as.set)
		rr_diag_note(v->d, g, &nb->local_as.at,
			     "the node announces localASNumber %u here", mine);
	else if (n->asn.at.line)
		rr_diag_note(v->d, g, &n->asn.at,
			     "the node's AS %u is set here", mine);
	else
		rr_diag_note(v->d, g, &n->loc,
			     "no asNumber anywhere: Calico's default AS %u",
			     mine);
}

static void
to_node(struct val_ctx *v, const struct rr_speaker *n,
	const struct rr_neighbor *nb, const struct rr_speaker *o)
{
	char a[RR_ADDR_STRLEN];
	const struct rr_addr *src = val_session_src(n, nb);
	uint32_t theirs = o->asn.v;
	size_t i;
	struct rr_diag *g;

	for (i = 0; src && i < o->nneighbors; i++)
		if (rr_addr_eq(&o->neighbors[i].peer, src)) {
			theirs = val_local_as(o, &o->neighbors[i]);
			break;
		}
	if (!nb->remote_as.v || nb->remote_as.v == theirs)
		return;
	g = val_report_once(v, "as-mismatch",
			    val_loc(&nb->remote_as.at, &nb->loc),
			    "node '%s' expects AS %u from node '%s' (%s), but "
			    "'%s' announces AS %u",
			    n->name, nb->remote_as.v, o->name,
			    val_addr_str(&nb->peer, a), o->name, theirs);
	if (g && o->asn.at.line)
		rr_diag_note(v->d, g, &o->asn.at, "'%s' AS %u is set here",
			     o->name, o->asn.v);
}

void
val_as(struct val_ctx *v)
{
	const struct rr_model *m = v->m;
	size_t i, j;

	for (i = 0; i < m->calico.nbgppeers; i++)
		peer_as(v, &m->calico.bgppeers[i]);
	for (i = 0; i < m->nspeakers; i++) {
		const struct rr_speaker *s = m->speakers[i];
		speaker_as(v, s);
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->nneighbors; j++) {
			const struct rr_neighbor *nb = &s->neighbors[j];
			const struct rr_speaker *o = val_owner(v, &nb->peer);
			if (!o || o == s)
				continue;
			if (o->kind == RR_SPK_IOS)
				to_router(v, s, nb, o);
			else
				to_node(v, s, nb, o);
		}
	}
}
