/*
 * AS numbers that cannot be used, whatever the peer: reserved values (RFC
 * 7607 AS 0, RFC 6793 AS_TRANS 23456, RFC 7300 65535 and 4294967295) and a
 * BGPPeer toward an outside address without asNumber.  Whether the two
 * ends of a session agree on the AS is analyze/'s (as-mismatch).
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

void
val_as(struct val_ctx *v)
{
	const struct rr_model *m = v->m;
	size_t i;

	for (i = 0; i < m->calico.nbgppeers; i++)
		peer_as(v, &m->calico.bgppeers[i]);
	for (i = 0; i < m->nspeakers; i++)
		speaker_as(v, m->speakers[i]);
}
