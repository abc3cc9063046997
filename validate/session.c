/*
 * Session parameters both ends must agree on: hold and keepalive (RFC
 * 4271 §4.2, §10: hold 0 or at least 3 s; keepalive below hold), TCP MD5
 * (RFC 2385: a one-sided or different key drops every segment), the TCP
 * port, BGP identifiers (§6.2: an iBGP OPEN with the receiver's own id is
 * Bad BGP Identifier), and IOS activation (a neighbor active in no
 * address family is never started).
 */
#include "validate/val_priv.h"

#include <stdlib.h>
#include <string.h>

#define IOS_HOLD_DEFAULT 180u /* ios-bgp.md §2.10 */
#define BIRD_HOLD 240u	      /* calico-semantics.md §3.5 */

static void
timers(struct val_ctx *v, const char *what, const struct rr_opt_u32 *ka,
       const struct rr_opt_u32 *hold, const struct rr_loc *dflt)
{
	if (!hold->set)
		return;
	if (hold->v == 1 || hold->v == 2)
		val_report(v, "hold-time-invalid", val_loc(&hold->at, dflt),
			   "%s hold time %u s: it must be 0 or at least 3 s "
			   "(RFC 4271 section 4.2); peers answer "
			   "NOTIFICATION 2/6 Unacceptable Hold Time",
			   what, hold->v);
	else if (ka->set && hold->v && ka->v >= hold->v)
		val_report(v, "hold-time-invalid", val_loc(&ka->at, dflt),
			   "%s keepalive %u s is not below the hold time %u s: "
			   "the session expires between keepalives",
			   what, ka->v, hold->v);
}

static uint32_t
ios_hold(const struct rr_speaker *r, const struct rr_neighbor *rn)
{
	if (rn && rn->hold.set)
		return rn->hold.v;
	return r->hold.set ? r->hold.v : IOS_HOLD_DEFAULT;
}

static void
pair(struct val_ctx *v, const struct rr_speaker *n,
     const struct rr_neighbor *nb, const struct rr_speaker *r)
{
	char a[RR_ADDR_STRLEN], b[RR_ADDR_STRLEN];
	const struct rr_addr *src = val_session_src(n, nb);
	const struct rr_neighbor *rn = src ? val_ios_neighbor(v, r, src) : NULL;
	bool np = nb->password.set && nb->password.v;
	bool rp = rn && rn->password.set && rn->password.v;
	struct rr_diag *g;

	if (nb->port && nb->port != 179)
		val_report_once(
			v, "port-mismatch", &nb->loc,
			"node '%s' dials router '%s' on port %u, but IOS accepts "
			"BGP on port 179 only: %s",
			n->name, r->name, nb->port,
			rn && rn->is_range
				? "the node's connections are refused and the "
				  "router never dials a listen range, so the "
				  "session never comes up"
				: "the node's connections are refused; the "
				  "session comes up only because the router "
				  "dials the node");
	if (!rn)
		return;
	if (nb->keepalive.set) {
		uint32_t h = ios_hold(r, rn);
		h = h < BIRD_HOLD ? h : BIRD_HOLD;
		if (h && nb->keepalive.v >= h)
			val_report_once(v, "hold-time-invalid",
					&nb->keepalive.at,
					"node '%s' keepaliveTime %u s is not "
					"below the hold time %u s negotiated "
					"with '%s': the session flaps",
					n->name, nb->keepalive.v, h, r->name);
	}
	if (np == rp && (!np || nb->password_hash == rn->password_hash))
		return;
	val_addr_str(src, a);
	if (rp && !np)
		g = val_report(v, "password-mismatch",
			       val_loc(&rn->password.at, &rn->loc),
			       "neighbor %s has a TCP MD5 password, but node "
			       "'%s' sends none%s: every segment is dropped",
			       rn->is_range ? "listen range" : a, n->name,
			       nb->password_unresolved
				       ? " (its BGPPeer's Secret or key is "
					 "missing)"
				       : "");
	else if (np && !rp)
		g = val_report(v, "password-mismatch",
			       val_loc(&nb->password.at, &nb->loc),
			       "node '%s' sets a TCP MD5 password toward '%s' "
			       "(%s), but the router's neighbor %s has none: "
			       "every segment is dropped",
			       n->name, r->name, val_addr_str(&nb->peer, b),
			       rn->is_range ? "listen range" : a);
	else
		g = val_report(v, "password-mismatch",
			       val_loc(&rn->password.at, &rn->loc),
			       "neighbor %s and node '%s' set different TCP "
			       "MD5 passwords: every segment is dropped",
			       rn->is_range ? "listen range" : a, n->name);
	if (rp && np)
		rr_diag_note(v->d, g, &nb->password.at,
			     "the node's password comes from here");
	else if (rp && nb->bgppeer)
		rr_diag_note(v->d, g, &nb->loc,
			     "the node's session comes from BGPPeer '%s'",
			     nb->bgppeer->meta.name);
	else if (np)
		rr_diag_note(v->d, g, &rn->loc, "the router's neighbor is here");
}

struct rid {
	uint32_t id;
	const struct rr_speaker *s;
};

static int
cmp_rid(const void *a, const void *b)
{
	const struct rid *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->s->asn.v < y->s->asn.v ? -1 : x->s->asn.v > y->s->asn.v;
}

static void
router_ids(struct val_ctx *v)
{
	struct rid *ids = rr_xcalloc(v->m->nspeakers + 1, sizeof(*ids));
	size_t i, n = 0;
	char a[RR_ADDR_STRLEN];

	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *s = v->m->speakers[i];
		if (!s->router_id.set || s->router_id.v.af != RR_AF_INET ||
		    !s->bgp_configured)
			continue;
		ids[n].id = rr_addr_v4(&s->router_id.v);
		ids[n++].s = s;
	}
	qsort(ids, n, sizeof(*ids), cmp_rid);
	for (i = 0; i + 1 < n; i++) {
		const struct rr_speaker *x = ids[i].s, *y = ids[i + 1].s;
		struct rr_diag *g;
		if (ids[i].id != ids[i + 1].id || x->asn.v != y->asn.v)
			continue;
		g = val_report(v, "router-id-duplicate",
			       val_loc(&y->router_id.at, &y->loc),
			       "'%s' and '%s' both use router id %s in AS %u: "
			       "their iBGP OPENs are refused with Bad BGP "
			       "Identifier",
			       x->name, y->name, val_addr_str(&y->router_id.v, a),
			       y->asn.v);
		rr_diag_note(v->d, g, val_loc(&x->router_id.at, &x->loc),
			     "'%s' router id %s", x->name, a);
	}
	free(ids);
}

static void
ios(struct val_ctx *v, const struct rr_speaker *r)
{
	char a[RR_ADDR_STRLEN];
	size_t i;
	timers(v, "'timers bgp'", &r->keepalive, &r->hold, &r->loc);
	for (i = 0; i < r->nneighbors; i++) {
		const struct rr_neighbor *nb = &r->neighbors[i];
		const char *who = nb->is_range ? "listen range"
					       : val_addr_str(&nb->peer, a);
		timers(v, "neighbor", &nb->keepalive, &nb->hold, &nb->loc);
		if (val_active_any(nb) || (nb->rr_client.set && nb->rr_client.v) ||
		    (nb->shutdown.set && nb->shutdown.v))
			continue; /* rr clients: rr-client-not-activated */
		val_report(v, "neighbor-not-activated", &nb->loc,
			   "neighbor %s is active in no address family "
			   "('no bgp default ipv4-unicast' and no 'activate'): "
			   "the router never starts the session",
			   who);
	}
}

void
val_session(struct val_ctx *v)
{
	size_t i, j;
	for (i = 0; i < v->m->nspeakers; i++) {
		const struct rr_speaker *s = v->m->speakers[i];
		if (s->kind == RR_SPK_IOS) {
			ios(v, s);
			continue;
		}
		for (j = 0; j < s->nneighbors; j++) {
			const struct rr_speaker *o =
				val_owner(v, &s->neighbors[j].peer);
			if (o && o->kind == RR_SPK_IOS)
				pair(v, s, &s->neighbors[j], o);
		}
	}
	router_ids(v);
}
