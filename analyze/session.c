/*
 * Sessions: one side per configured session on each speaker, built as
 * bgpsim builds its world (every IOS neighbor of the default VRF, the
 * dynamic neighbor an IOS `bgp listen range` creates for each address that
 * dials into it, every BIRD protocol but Local_Workload_ ones), paired
 * with the side of the peer that accepts its connections; then, for each
 * pair, whether it establishes and every cause that keeps it down, in the
 * order a real session meets them:
 *
 *   1. a side that never starts: `neighbor shutdown`, active in no
 *      address family (IOS), no remote AS (BIRD refuses the config), no
 *      local address, an eBGP single-hop peer off every connected subnet
 *      (IOS: Idle, "not directly connected"), a dynamic neighbor beyond
 *      `bgp listen limit`;
 *   2. TCP: someone must dial (a passive side and a listen range never
 *      do) the port the peer listens on, from the address the peer has a
 *      session for, with the same TCP MD5 key (RFC 2385), and with a TTL
 *      the peer's GTSM accepts (RFC 5082);
 *   3. OPEN (RFC 4271 6.2): the AS each side expects, the hold time (0 or
 *      at least 3 s and not below the receiver's minimum), the BGP
 *      identifier (RFC 6286 2.2: not 0, not the receiver's own on iBGP);
 *   4. keepalive: a BIRD `keepalive time` not below the negotiated hold
 *      makes the peer's hold timer expire: the session flaps.
 */
#include "analyze/az_priv.h"

#include <stdlib.h>
#include <string.h>

/* a side before it is placed */
struct spec {
	uint32_t spk;
	const struct rr_neighbor *nb;
	struct rr_addr local, peer;
};

static uint16_t
u16(uint32_t v)
{
	return v > 0xffff ? 0xffff : (uint16_t)v;
}

/* An IOS eBGP neighbor that must be directly connected. */
static bool
single_hop(const struct az_side *d)
{
	const struct rr_neighbor *n = d->nb;

	return !d->ibgp && !n->is_range && !(n->ebgp_multihop.set) &&
	       !(n->ttl_security.set && n->ttl_security.v);
}

/*
 * BIRD locks a neighbor's address and port for the protocol that talks to
 * it (BIRD 1.6 proto/bgp/bgp.c, bgp_start: olock_acquire of an OBJLOCK_TCP
 * on the remote address, port and interface; nest/locks.c): a second
 * protocol toward the same address and port waits in state start/Idle
 * while the first runs, and takes over when the first is removed or
 * restarted.  The first in configuration order has it: confd writes the
 * protocols sorted by name (R14), BIRD starts them in that order.  A
 * BGPPeer toward a node the mesh already peers with (Node_X or Global_X
 * beside Mesh_X) makes such a pair; two BGPPeers do not (confd keeps one
 * key per address and port, and skips a node key a global one has, R11).
 */
static void
lock_check(struct az *a, struct az_side *d)
{
	uint32_t j = az_acceptor(a, d->spk, &d->peer), i;

	if (j == AZ_NONE)
		return;
	if (a->side[j].port != d->port) {
		/* the first toward the address dials another port */
		for (j = AZ_NONE, i = a->spk[d->spk].first_side;
		     i < a->nside && j == AZ_NONE; i++)
			if (a->side[i].port == d->port &&
			    rr_addr_eq(&a->side[i].peer, &d->peer))
				j = i;
		if (j == AZ_NONE)
			return;
	}
	d->dis = AZ_W_BIRD_LOCKED;
	d->lock_holder = j;
}

static void
config_ios(struct az *a, struct az_side *d, const struct rr_neighbor *n)
{
	const struct rr_speaker *s = a->spk[d->spk].s;
	const struct rr_opt_u32 *ho = n->hold.set ? &n->hold : &s->hold;
	const struct rr_opt_u32 *ko = n->hold.set ? &n->keepalive
						  : &s->keepalive;
	const struct rr_opt_u32 *mo = rr_nb_rare(n)->min_hold.set
	                                      ? &rr_nb_rare(n)->min_hold
	                                      : &s->min_hold;

	if (ho->set) {
		d->hold = u16(ho->v);
		d->hold_zero = ho->v == 0;
	}
	if (ko->set)
		d->keepalive = u16(ko->v);
	if (mo->set)
		d->min_hold = u16(mo->v);
	d->cluster_id = a->spk[d->spk].cluster_id;
	d->c2c = !s->client_to_client.set || s->client_to_client.v;
	d->nh_self = az_on(&n->next_hop_self);
	d->nh_self_all = n->next_hop_self_all;
	d->fam_active = n->af[d->ipv6 ? RR_AFS_IPV6 : RR_AFS_IPV4].v;
	/* `neighbor X allowas-in [N]` (3 when left out) */
	if (rr_nb_rare(n)->allowas_in.set)
		d->allow_local_as = rr_nb_rare(n)->allowas_in.v;
	d->as_override = !d->ibgp && az_on(&rr_nb_rare(n)->as_override);
	/* `neighbor X send-community [both|standard]`: without it IOS
	 * sends no COMMUNITIES (as bgpsim/policy.c policy_sends_comms) */
	d->no_comms = !(n->send_community.set && n->send_community.v &&
			strcmp(n->send_community.v, "extended") != 0);
	if (az_on(&n->shutdown))
		d->dis = AZ_W_SHUTDOWN;
	else if (!rr_nb_af_mask(n))
		d->dis = AZ_W_NOT_ACTIVATED;
	else if (!d->remote_as)
		d->dis = AZ_W_NO_REMOTE_AS;
	else if (single_hop(d) && d->peer.af && !s->addrs_inferred &&
		 s->naddrs && !az_connected(s, &d->peer))
		d->dis = AZ_W_NOT_CONNECTED;
	else if (d->peer.af && !s->addrs_inferred && s->naddrs && !s->nigps &&
		 !az_routed(s, &d->peer))
		/* no connected subnet, no static route, no IGP: IOS has no
		 * route to the peer (with an IGP, reachability is assumed) */
		d->dis = AZ_W_NO_ROUTE;
}

static void
config_bird(struct az *a, struct az_side *d, const struct rr_neighbor *n)
{
	const struct rr_model *m = a->m;

	if (n->keepalive.set)
		d->keepalive = u16(n->keepalive.v);
	if (n->hold.set) {
		d->hold = u16(n->hold.v);
		d->hold_zero = n->hold.v == 0;
	}
	d->cluster_id = rr_nb_rare(n)->rr_cluster_id.set
	                        ? rr_nb_rare(n)->rr_cluster_id.v
	                        : a->spk[d->spk].router_id;
	d->nh_self = d->nh_self_all = n->next_hop == RR_NH_SELF;
	d->nh_keep = n->next_hop == RR_NH_KEEP;
	d->fam_active = true;
	if (rr_nb_rare(n)->allow_local_as.set)
		d->allow_local_as = rr_nb_rare(n)->allow_local_as.v;
	if (!d->remote_as)
		d->dis = AZ_W_REMOTE_AS_ZERO;
	/* R26: a Secret rrkit was not given may well exist in the cluster;
	 * one given without the key is known to render no password */
	d->pw_unknown = rr_password_unknown(&m->calico, n);
}

/* The router's connected subnet holding address x, or a zero prefix. */
static struct rr_prefix
shared_subnet(const struct rr_speaker *s, const struct rr_addr *x)
{
	struct rr_prefix none;
	size_t i;

	memset(&none, 0, sizeof(none));
	for (i = 0; i < s->naddrs; i++) {
		const struct rr_prefix *p = &s->addrs[i].p;
		if (p->addr.af == x->af &&
		    p->len < (x->af == RR_AF_INET6 ? 128 : 32) &&
		    rr_prefix_contains(p, x))
			return rr_prefix_masked(p);
	}
	return none;
}

static void
config(struct az *a, struct az_side *d, const struct rr_neighbor *nb,
       const struct rr_neighbor *range)
{
	const struct az_spk *k = &a->spk[d->spk];
	const struct rr_neighbor *n = range ? range : nb;

	d->nb = n;
	d->local_as = rr_nb_rare(n)->local_as.set ? rr_nb_rare(n)->local_as.v
	                                          : k->s->asn.v;
	d->remote_as = n->remote_as.set ? n->remote_as.v : 0;
	d->ipv6 = d->peer.af == RR_AF_INET6;
	d->passive = n->passive || range != NULL;
	d->port = n->port ? n->port : (uint16_t)AZ_PORT;
	d->ibgp = d->remote_as == d->local_as;
	d->rr_client = az_on(&n->rr_client);
	d->pw = az_on(&n->password) && !n->password_unresolved;
	d->pw_hash = n->password_hash;
	if (k->bird)
		config_bird(a, d, n);
	else
		config_ios(a, d, n);
	if (k->dup_of != AZ_NONE)
		d->dis = AZ_W_DUP_ADDRESS;
	else if (k->dup_proto)
		d->dis = AZ_W_DUP_PROTOCOL;
	if (!d->dis && k->bird)
		lock_check(a, d);
	if (!d->dis && !d->local.af)
		d->dis = AZ_W_NO_LOCAL_ADDR;
	if (!k->bird && !d->ibgp)
		d->shared = shared_subnet(k->s, &d->peer);
	d->pol_in = az_policy_side(a, d, true);
	d->pol_out = az_policy_side(a, d, false);
}

/* `remote-as A alternate-as B C ...` on a listen range's group: a
 * speaker dialling from AS B is accepted as AS B (IOS BGP Dynamic
 * Neighbors). */
static void
alternate_as(struct az *a, struct az_side *d, const struct spec *from)
{
	const struct rr_neighbor *r = d->nb, *nb = from->nb;
	uint32_t as = rr_nb_rare(nb)->local_as.set ? rr_nb_rare(nb)->local_as.v
	                                           : a->spk[from->spk].s->asn.v;
	size_t i;

	if (!rr_nb_rare(r)->alternate_as.set || as == d->remote_as)
		return;
	for (i = 0; i < rr_nb_rare(r)->alternate_as.n; i++)
		if (rr_nb_rare(r)->alternate_as.v[i].asn == as) {
			d->remote_as = as;
			d->ibgp = as == d->local_as;
			d->as_override =
			        !d->ibgp && az_on(&rr_nb_rare(r)->as_override);
			if (!d->ibgp)
				d->shared = shared_subnet(a->spk[d->spk].s,
							  &d->peer);
			return;
		}
}

static void
place(struct az *a, const struct spec *sp, const struct rr_neighbor *range,
      const struct spec *from)
{
	struct az_side *d = &a->side[a->nside];

	memset(d, 0, sizeof(*d));
	d->spk = sp->spk;
	d->local = sp->local;
	d->peer = sp->peer;
	d->dynamic = range != NULL;
	d->partner = d->session = AZ_NONE;
	d->peer_spk = az_owner(a, &sp->peer);
	config(a, d, sp->nb, range);
	if (range && from)
		alternate_as(a, d, from);
	if (range) {
		/* IOS accepts at most `bgp listen limit` dynamic neighbors
		 * (default 100), whichever connect first */
		const struct rr_speaker *s = a->spk[sp->spk].s;
		uint32_t lim = s->listen_limit.set ? s->listen_limit.v
						   : AZ_LISTEN_LIMIT;
		if (a->spk[sp->spk].ndyn++ >= lim && !d->dis)
			d->dis = AZ_W_LISTEN_LIMIT;
	}
	az_acceptor_put(a, sp->spk, &sp->peer, a->nside);
	a->nside++;
}

/* The listen ranges of a router (default VRF), in configuration order. */
static const struct rr_neighbor **
ranges_of(const struct rr_speaker *s, size_t *n)
{
	const struct rr_neighbor **v = NULL;
	size_t i;

	*n = 0;
	for (i = 0; i < s->nneighbors; i++)
		if (s->neighbors[i].is_range && !s->neighbors[i].vrf) {
			v = rr_xrealloc(v, (*n + 1) * sizeof(*v));
			v[(*n)++] = &s->neighbors[i];
		}
	return v;
}

static const struct rr_neighbor *
range_for(const struct rr_neighbor *const *r, size_t n,
	  const struct rr_addr *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rr_prefix_contains(&r[i]->range, x))
			return r[i];
	return NULL;
}

static struct spec *
specs(const struct az *a, size_t *nsp)
{
	struct spec *sp;
	size_t n = 0, cap = 0, i;
	uint32_t k;

	/* at most one per neighbor: sized once (growing it by doubling
	 * copied megabytes at 5,000 nodes); not cleared: each one used is
	 * written whole, and the rest is never touched (no pages for it) */
	for (k = 0; k < a->nspk; k++)
		cap += a->spk[k].s->nneighbors;
	sp = rr_xmalloc((cap + 1) * sizeof(*sp));
	for (k = 0; k < a->nspk; k++) {
		const struct rr_speaker *s = a->spk[k].s;
		for (i = 0; i < s->nneighbors; i++) {
			const struct rr_neighbor *nb = &s->neighbors[i];
			struct spec *p;
			if (nb->is_range || nb->vrf || !nb->peer.af)
				continue;
			if (s->kind == RR_SPK_CALICO &&
			    nb->scope == RR_SCOPE_LOCAL_WORKLOAD)
				continue; /* pods: not analysed */
			p = &sp[n++];
			p->spk = k;
			p->nb = nb;
			p->peer = nb->peer;
			p->local = nb->source_address.set
					   ? nb->source_address.v
					   : az_local_toward(s, &nb->peer);
		}
	}
	*nsp = n;
	return sp;
}

static void
build_sides(struct az *a)
{
	size_t nsp, i = 0, j, nr;
	struct spec *sp = specs(a, &nsp);
	const struct rr_neighbor **ranges;
	uint32_t k;

	/* room for a dynamic side per spec too; not cleared: place() clears
	 * each side it takes, and what no side takes is never touched */
	a->side = rr_xmalloc((nsp * 2 + 1) * sizeof(*a->side));
	for (k = 0; k < a->nspk; k++) {
		const struct rr_speaker *s = a->spk[k].s;
		a->spk[k].first_side = a->nside;
		for (; i < nsp && sp[i].spk == k; i++)
			place(a, &sp[i], NULL, NULL);
		nr = 0;
		ranges = s->kind == RR_SPK_IOS ? ranges_of(s, &nr) : NULL;
		/* (a static neighbor for the address is already an acceptor:
		 * it takes precedence over the ranges) */
		for (j = 0; nr && j < nsp; j++) {
				const struct rr_neighbor *r;
				struct spec dyn;
				if (sp[j].spk == k ||
				    az_owner(a, &sp[j].peer) != k ||
				    az_acceptor(a, k, &sp[j].local) != AZ_NONE)
					continue;
				r = range_for(ranges, nr, &sp[j].local);
				if (!r)
					continue;
				dyn.spk = k;
				dyn.nb = r;
				dyn.peer = sp[j].local;
				dyn.local = sp[j].peer;
				place(a, &dyn, r, &sp[j]);
		}
		free(ranges);
		a->spk[k].nsides = a->nside - a->spk[k].first_side;
	}
	free(sp);
}

/* ------------------------------------------------------------- pairs */

static void
pair_sides(struct az *a)
{
	uint32_t i;

	for (i = 0; i < a->nside; i++) {
		struct az_side *d = &a->side[i];
		if (d->peer_spk != AZ_NONE)
			d->partner = az_acceptor(a, d->peer_spk, &d->local);
	}
	for (i = 0; i < a->nside; i++) {
		uint32_t t = a->side[i].partner;
		if (t != AZ_NONE && a->side[t].partner == AZ_NONE)
			a->side[t].partner = i;
	}
	a->sess = rr_xcalloc(a->nside + 1, sizeof(*a->sess));
	for (i = 0; i < a->nside; i++) {
		struct az_side *d = &a->side[i];
		uint32_t t = d->partner;
		struct az_sess *s;
		if (t != AZ_NONE && t < i && a->side[t].partner == i)
			continue; /* counted with its partner */
		s = &a->sess[a->nsess];
		s->a = i;
		s->b = t;
		s->cause = AZ_NONE;
		d->session = a->nsess;
		if (t != AZ_NONE && a->side[t].partner == i)
			a->side[t].session = a->nsess;
		a->nsess++;
	}
	/* a side whose partner pairs with another side: its own session
	 * above; make every side know one */
	for (i = 0; i < a->nside; i++)
		if (a->side[i].session == AZ_NONE)
			a->side[i].session = a->side[a->side[i].partner].session;
}

/* ------------------------------------------------------------ causes */

uint32_t
az_cause_new(struct az *a, enum az_why why, uint32_t side, uint32_t other)
{
	struct az_cause *c;

	if (a->ncause == a->capcause) {
		a->capcause = a->capcause ? a->capcause * 2 : 64;
		a->cause = rr_xrealloc(a->cause, a->capcause * sizeof(*c));
	}
	c = &a->cause[a->ncause];
	memset(c, 0, sizeof(*c));
	c->why = (uint8_t)why;
	c->sev = RR_SEV_ERROR;
	c->side = side;
	c->other = other;
	c->spk = side != AZ_NONE ? a->side[side].spk : AZ_NONE;
	c->spk2 = other != AZ_NONE ? a->side[other].spk : AZ_NONE;
	c->node = c->origin = AZ_NONE;
	c->finding = AZ_NONE;
	c->first_session = AZ_NONE;
	if (side != AZ_NONE)
		c->at = *az_nb_loc(&a->side[side]);
	if (other != AZ_NONE)
		c->at2 = *az_nb_loc(&a->side[other]);
	c->rule = (uint8_t)az_why_rule(a, c);
	return a->ncause++;
}

/* The session's causes: the first one stays its cause; the others are
 * kept for lint (each is a root cause of its own). */
static void
add_cause(struct az *a, uint32_t si, uint32_t ci)
{
	struct az_sess *s = &a->sess[si];

	if (s->cause == AZ_NONE) {
		s->cause = ci;
		return;
	}
	if (a->nsess_more + 2 > a->capsess_more) {
		a->capsess_more = a->capsess_more ? a->capsess_more * 2 : 64;
		a->sess_more = rr_xrealloc(a->sess_more,
					   a->capsess_more * sizeof(uint32_t));
	}
	a->sess_more[a->nsess_more++] = si;
	a->sess_more[a->nsess_more++] = ci;
}

/* A side that never starts: where it says so. */
static uint32_t
disabled_cause(struct az *a, uint32_t di, uint32_t other)
{
	const struct az_side *d = &a->side[di];
	uint32_t ci = az_cause_new(a, (enum az_why)d->dis, di, other);
	struct az_cause *c = &a->cause[ci];
	const struct rr_speaker *s = a->spk[d->spk].s;

	switch (d->dis) {
	case AZ_W_SHUTDOWN:
		c->at = d->nb->shutdown.at.line ? d->nb->shutdown.at
						: d->nb->loc;
		break;
	case AZ_W_NOT_ACTIVATED:
		if (s->default_ipv4_unicast.set && !s->default_ipv4_unicast.v)
			c->at2 = s->default_ipv4_unicast.at;
		break;
	case AZ_W_REMOTE_AS_ZERO:
		if (d->nb->bgppeer && d->nb->bgppeer->peer_ip_text.set)
			c->at = d->nb->bgppeer->peer_ip_text.at;
		break;
	case AZ_W_DUP_PROTOCOL:
		c->at = s->loc;
		c->at2 = a->spk[d->spk].dup_proto->loc;
		break;
	case AZ_W_DUP_ADDRESS:
		c->at = s->loc;
		c->at2 = a->spk[a->spk[d->spk].dup_of].s->loc;
		c->spk2 = a->spk[d->spk].dup_of;
		break;
	case AZ_W_BIRD_LOCKED:
		c->at2 = a->side[d->lock_holder].nb->loc;
		c->sev = RR_SEV_WARNING;
		break;
	case AZ_W_LISTEN_LIMIT:
		/* the limit (or `router bgp` when it is the default) first */
		c->at2 = c->at;
		c->at = s->listen_limit.set ? s->listen_limit.at
					    : (s->asn.at.line ? s->asn.at : s->loc);
		c->v1 = s->listen_limit.set ? s->listen_limit.v
					    : AZ_LISTEN_LIMIT;
		break;
	default:
		break;
	}
	return ci;
}

/* What y's TTL is when it reaches x, and what x's GTSM needs. */
static uint32_t
sent_ttl(const struct az *a, const struct az_side *y)
{
	const struct rr_neighbor *n = y->nb;

	if (n->ttl_security.set && n->ttl_security.v)
		return 255;
	if (a->spk[y->spk].bird)
		return 64; /* BIRD `multihop;` without a number */
	if (y->ibgp)
		return 255; /* IOS iBGP */
	return n->ebgp_multihop.set ? n->ebgp_multihop.v : 1;
}

static bool
gtsm_drops(const struct az *a, const struct az_side *x,
	   const struct az_side *y)
{
	const struct rr_neighbor *n = x->nb;
	uint32_t hops, need;

	if (!(n->ttl_security.set && n->ttl_security.v))
		return false;
	hops = n->ttl_security.v;
	/* BIRD: TTL >= 256 - multihop; IOS: TTL >= 255 - hops */
	need = a->spk[x->spk].bird ? 256 - (hops > 255 ? 255 : hops)
				   : 255 - (hops > 254 ? 254 : hops);
	return sent_ttl(a, y) < need;
}

static bool
md5_ok(const struct az_side *x, const struct az_side *y)
{
	if (x->pw_unknown || y->pw_unknown)
		return true; /* judged apart: not analysed */
	return x->pw == y->pw && (!x->pw || x->pw_hash == y->pw_hash);
}

/* IOS with `neighbor X update-source IF` opens the session from IF's
 * address and takes it only there: a connection to another of the
 * router's addresses is refused (Cisco IOS IP Routing: BGP Command
 * Reference, "neighbor update-source"; Batfish checks the same).  Does
 * IOS side y refuse x's connection for that? */
static bool
us_refuses(const struct az *a, const struct az_side *y,
           const struct az_side *x)
{
	return !a->spk[y->spk].bird && y->nb && y->nb->update_source.set &&
	       y->local.af && !rr_addr_eq(&x->peer, &y->local);
}

/* Can x's connection reach y and be taken by it? */
static bool
dials(const struct az *a, const struct az_side *x, uint32_t yi)
{
	uint32_t acc;
	const struct az_side *y = &a->side[yi];

	if (x->dis || y->dis || x->passive || x->peer_spk != y->spk)
		return false;
	if (x->port != a->spk[y->spk].listen_port)
		return false;
	acc = az_acceptor(a, y->spk, &x->local);
	if (acc != yi)
		return false;
	return !us_refuses(a, y, x) && md5_ok(x, y) && !gtsm_drops(a, y, x) &&
	       !gtsm_drops(a, x, y);
}

/* Why neither side's connection gets through: every reason. */
static void
tcp_causes(struct az *a, uint32_t si)
{
	struct az_sess *s = &a->sess[si];
	const struct az_side *x = &a->side[s->a], *y = &a->side[s->b], *usd;
	uint32_t ci;
	int k;

	if (!md5_ok(x, y)) {
		const struct az_side *h = x->pw ? x : y;
		uint32_t hi = (uint32_t)(h - a->side);
		ci = az_cause_new(a, AZ_W_MD5, hi, hi == s->a ? s->b : s->a);
		a->cause[ci].v1 = x->pw && y->pw;
		if (h->nb->password.at.line)
			a->cause[ci].at = h->nb->password.at;
		add_cause(a, si, ci);
	}
	if (gtsm_drops(a, x, y) || gtsm_drops(a, y, x)) {
		const struct az_side *g = gtsm_drops(a, x, y) ? x : y;
		uint32_t gi = (uint32_t)(g - a->side);
		ci = az_cause_new(a, AZ_W_TTL, gi, gi == s->a ? s->b : s->a);
		a->cause[ci].v1 = g->nb->ttl_security.v;
		a->cause[ci].v2 = sent_ttl(a, gi == s->a ? y : x);
		if (g->nb->ttl_security.at.line)
			a->cause[ci].at = g->nb->ttl_security.at;
		add_cause(a, si, ci);
	}
	if (x->passive && y->passive) {
		add_cause(a, si, az_cause_new(a, AZ_W_PASSIVE, s->a, s->b));
		return;
	}
	/* an IOS side with update-source that refuses the other's
	 * connection: its own, from that address, is part of the story */
	usd = us_refuses(a, y, x) ? y : us_refuses(a, x, y) ? x : NULL;
	for (k = 0; k < 2; k++) {
		uint32_t di = k ? s->b : s->a, ei = k ? s->a : s->b;
		const struct az_side *d = &a->side[di];
		const struct az_side *e = &a->side[ei];
		if (d->passive || d == usd)
			continue;
		if (d->port != a->spk[e->spk].listen_port) {
			ci = az_cause_new(a, AZ_W_PORT, di, ei);
			a->cause[ci].v1 = d->port;
			a->cause[ci].v2 = a->spk[e->spk].listen_port;
			add_cause(a, si, ci);
		} else if (az_acceptor(a, e->spk, &d->local) != ei &&
			   !rr_addr_eq(&e->peer, &d->local)) {
			/* (a connection the peer binds to another session
			 * toward the same address is that session's) */
			ci = az_cause_new(a, AZ_W_SOURCE, di, ei);
			add_cause(a, si, ci);
		} else if (e == usd) {
			ci = az_cause_new(a, AZ_W_SOURCE_DST, ei, di);
			if (e->nb->update_source.at.line)
				a->cause[ci].at = e->nb->update_source.at;
			add_cause(a, si, ci);
		}
	}
}

/* x reads y's OPEN (RFC 4271 6.2 in its order). */
static void
open_causes(struct az *a, uint32_t si, uint32_t xi, uint32_t yi)
{
	const struct az_side *x = &a->side[xi], *y = &a->side[yi];
	uint16_t hold = az_offered_hold(a, y);
	uint16_t min = x->min_hold ? x->min_hold : 3;
	uint32_t yid = a->spk[y->spk].router_id, ci;

	if (x->remote_as && y->local_as != x->remote_as) {
		ci = az_cause_new(a, AZ_W_PEER_AS, xi, yi);
		a->cause[ci].v1 = x->remote_as;
		a->cause[ci].v2 = y->local_as;
		if (x->nb->remote_as.at.line)
			a->cause[ci].at = x->nb->remote_as.at;
		a->cause[ci].at2 = *az_as_loc(a, y);
		add_cause(a, si, ci);
		return;
	}
	if (hold != 0 && (hold < 3 || hold < min)) {
		ci = az_cause_new(a, AZ_W_HOLD, yi, xi);
		a->cause[ci].v1 = hold;
		a->cause[ci].v2 = min;
		a->cause[ci].at = *az_hold_loc(a, y);
		if (hold >= 3 && rr_nb_rare(x->nb)->min_hold.set)
			a->cause[ci].at2 = rr_nb_rare(x->nb)->min_hold.at;
		else if (hold >= 3 && a->spk[x->spk].s->min_hold.set)
			a->cause[ci].at2 = a->spk[x->spk].s->min_hold.at;
		add_cause(a, si, ci);
		return;
	}
	if (yid == 0 ||
	    (y->local_as == x->local_as && yid == a->spk[x->spk].router_id)) {
		const struct rr_speaker *ys = a->spk[y->spk].s;
		const struct rr_speaker *xs = a->spk[x->spk].s;
		ci = az_cause_new(a, AZ_W_BGPID, yi, xi);
		a->cause[ci].v1 = yid;
		a->cause[ci].at = ys->router_id.at.line ? ys->router_id.at
							: ys->loc;
		a->cause[ci].at2 = xs->router_id.at.line ? xs->router_id.at
							 : xs->loc;
		add_cause(a, si, ci);
	}
}

static unsigned
offered_afs(const struct az *a, const struct az_side *d)
{
	return rr_offered_afs(d->nb, a->spk[d->spk].bird, d->ipv6);
}

/* RFC 4760 8 / RFC 5492: with no family in common IOS answers the OPEN with
 * NOTIFICATION 2/7 ("unsupported/disjoint capability"): an IPv6 neighbor
 * activated only under address-family ipv4 toward a node's bird6, say.
 * A family rrkit cannot name (RR_AFS_OTHER) is assumed shared. */
static void
family_causes(struct az *a, uint32_t si)
{
	const struct az_sess *s = &a->sess[si];
	const struct az_side *x = &a->side[s->a], *y = &a->side[s->b], *d;
	unsigned mx = offered_afs(a, x), my = offered_afs(a, y);
	uint32_t di, ci;
	const struct rr_speaker *sp;

	if (!mx || !my || (mx & my) ||
	    ((mx | my) & (1u << RR_AFS_OTHER)))
		return;
	d = !a->spk[x->spk].bird && !x->fam_active ? x : y;
	di = (uint32_t)(d - a->side);
	ci = az_cause_new(a, AZ_W_FAMILY_DISJOINT, di, di == s->a ? s->b : s->a);
	a->cause[ci].v1 = d == x ? mx : my;
	a->cause[ci].v2 = d == x ? my : mx;
	sp = a->spk[d->spk].s;
	if (sp->default_ipv4_unicast.set && !sp->default_ipv4_unicast.v)
		a->cause[ci].at2 = sp->default_ipv4_unicast.at;
	add_cause(a, si, ci);
}

/* RFC 4271 4.2: hold = the smaller offer; BIRD sends keepalives at its
 * configured interval even when that is not below the hold time. */
static void
keepalive_causes(struct az *a, uint32_t si)
{
	struct az_sess *s = &a->sess[si];
	uint16_t ha = az_offered_hold(a, &a->side[s->a]);
	uint16_t hb = az_offered_hold(a, &a->side[s->b]);
	uint16_t h = ha < hb ? ha : hb;
	int k;

	if (!h)
		return;
	for (k = 0; k < 2; k++) {
		uint32_t di = k ? s->b : s->a;
		const struct az_side *d = &a->side[di];
		uint32_t ci;
		if (!a->spk[d->spk].bird || !d->keepalive || d->keepalive < h)
			continue;
		ci = az_cause_new(a, AZ_W_KEEPALIVE, di, k ? s->a : s->b);
		a->cause[ci].v1 = d->keepalive;
		a->cause[ci].v2 = h;
		if (d->nb->keepalive.at.line)
			a->cause[ci].at = d->nb->keepalive.at;
		add_cause(a, si, ci);
	}
}

static bool
in_node_subnet(const struct az *a, const struct rr_addr *x)
{
	uint32_t k;

	for (k = 0; k < a->nspk; k++)
		if (a->spk[k].bird && a->spk[k].s->naddrs &&
		    rr_prefix_contains(&a->spk[k].s->addrs[0].p, x))
			return true;
	return false;
}

/* A router's HSRP/VRRP/GLBP virtual address, and which router (*k). */
static const struct rr_vip *
vip_of(const struct az *a, const struct rr_addr *x, uint32_t *k)
{
	size_t i;

	for (*k = 0; *k < a->nspk; (*k)++) {
		const struct rr_speaker *s = a->spk[*k].s;
		for (i = 0; !a->spk[*k].bird && i < s->nvips; i++)
			if (!s->vips[i].vrf && rr_addr_eq(&s->vips[i].addr, x))
				return &s->vips[i];
	}
	return NULL;
}

/* A router's interface address in a VRF equal to x: the router (*k) and
 * the address; NULL when none.  rrkit keeps VRF neighbors apart. */
static const struct rr_iface_addr *
vrf_addr_of(const struct az *a, const struct rr_addr *x, uint32_t *k)
{
	size_t i;

	for (*k = 0; *k < a->nspk; (*k)++) {
		const struct rr_speaker *s = a->spk[*k].s;
		for (i = 0; !a->spk[*k].bird && i < s->nvrf_addrs; i++)
			if (rr_addr_eq(&s->vrf_addrs[i].p.addr, x))
				return &s->vrf_addrs[i];
	}
	return NULL;
}

/* A side with no partner. */
static void
lone(struct az *a, uint32_t si)
{
	struct az_sess *s = &a->sess[si];
	const struct az_side *d = &a->side[s->a];
	bool node = a->spk[d->spk].bird;
	const struct rr_vip *vip;
	uint32_t ci, vk;

	s->state = AZ_DOWN;
	if (d->peer_spk == AZ_NONE && node &&
	    (vip = vip_of(a, &d->peer, &vk)) != NULL) {
		/* a first-hop redundancy address: BGP never runs on it */
		s->expected = true;
		ci = az_cause_new(a, AZ_W_VIRTUAL, s->a, AZ_NONE);
		a->cause[ci].at2 = vip->at;
		a->cause[ci].spk2 = vk;
		a->cause[ci].v1 = vip->proto;
		s->cause = ci;
		return;
	}
	if (d->peer_spk == AZ_NONE) {
		/* a peer rrkit was not given (or a typo): not analysed;
		 * what is wrong on this side alone still is */
		s->state = AZ_UNKNOWN;
		s->expected = false;
		if (d->dis)
			s->cause = disabled_cause(a, s->a, AZ_NONE);
		else if (node && a->nios) {
			/* with no router given, nothing-analysed says it */
			const struct rr_iface_addr *va;
			s->cause = az_cause_new(a, AZ_W_UNKNOWN_PEER, s->a,
						AZ_NONE);
			va = vrf_addr_of(a, &d->peer, &vk);
			if (va) {
				/* a router's address in a VRF: not simulated,
				 * not a typo */
				a->cause[s->cause].spk2 = vk;
				a->cause[s->cause].at2 = va->at;
				a->cause[s->cause].v1 = 1;
				a->cause[s->cause].v2 = (uint32_t)(
					va - a->spk[vk].s->vrf_addrs);
			}
		}
		else if (!node && a->nbird &&
			 (d->ibgp || in_node_subnet(a, &d->peer)))
			/* an iBGP neighbor, or one among the nodes: most
			 * likely a node that is gone */
			s->cause = az_cause_new(a, AZ_W_WITHOUT_NODE, s->a,
						AZ_NONE);
		if (s->cause != AZ_NONE)
			a->cause[s->cause].sev = RR_SEV_WARNING;
		return;
	}
	if (d->dis) {
		/* never starts anyway: a node's side is still expected (not
		 * one waiting for BIRD's lock: another protocol carries it) */
		s->expected = node && d->dis != AZ_W_BIRD_LOCKED;
		s->cause = disabled_cause(a, s->a, AZ_NONE);
		return;
	}
	if (!node && a->spk[d->peer_spk].bird) {
		/* a router neighbor for a node that does not peer back: the
		 * node does not want it (a leftover) */
		s->expected = false;
		ci = az_cause_new(a, AZ_W_WITHOUT_NODE, s->a, AZ_NONE);
		a->cause[ci].sev = RR_SEV_WARNING;
		s->cause = ci;
		return;
	}
	s->expected = true;
	ci = az_cause_new(a, AZ_W_NO_NEIGHBOR, s->a, AZ_NONE);
	a->cause[ci].at2 = a->spk[d->peer_spk].s->asn.at.line
				   ? a->spk[d->peer_spk].s->asn.at
				   : a->spk[d->peer_spk].s->loc;
	s->cause = ci;
}

/* What BIRD 1.6 makes of the static route confd writes for a node
 * side's BGPPeer reachableBy (bird_aggr.cfg: `route <peer>/32 via
 * <gateway>;`).  BIRD installs a `via` route only when the gateway is a
 * neighbor on a connected subnet of an interface that is up (proto/static/
 * static.c static_add and static_decide, nest/neighbor.c neigh_find2 and
 * if_connected): otherwise the route stays out of BIRD's table and of the
 * kernel's, and the session -- multihop, as confd writes every BGPPeer's
 * -- follows the node's other routes.  AZ_REACH_*, with the node's
 * subnet holding the gateway or not in *net. */

static bool
bytes_all(const uint8_t *b, size_t from, size_t to, uint8_t v)
{
	for (; from < to; from++)
		if (b[from] != v)
			return false;
	return true;
}

uint32_t
az_reach_gateway(const struct az *a, const struct az_side *d,
		 struct rr_prefix *net)
{
	memset(net, 0, sizeof(*net));
	if (!a->spk[d->spk].bird || !rr_nb_rare(d->nb)->reachable_by.set ||
	    !rr_nb_rare(d->nb)->reachable_by.v.af)
		return AZ_REACH_OK;
	return az_reach_gateway_of(a->spk[d->spk].s,
	                           &rr_nb_rare(d->nb)->reachable_by.v, net);
}

enum az_reach
az_reach_gateway_of(const struct rr_speaker *s, const struct rr_addr *g,
		    struct rr_prefix *net)
{
	bool v6 = g->af == RR_AF_INET6, known = false;
	unsigned host = v6 ? 128 : 32;
	size_t i;

	memset(net, 0, sizeof(*net));
	/* ipa_classify(): scope host or link, or not a unicast address */
	if (v6 ? (g->b[0] == 0xfe && (g->b[1] & 0xc0) == 0x80) ||
			 g->b[0] == 0xff ||
			 (bytes_all(g->b, 0, 15, 0) && g->b[15] <= 1)
	       : g->b[0] == 0 || g->b[0] == 127 || g->b[0] >= 224)
		return AZ_REACH_INVALID;
	for (i = 0; i < s->naddrs; i++) {
		const struct rr_prefix *p = &s->addrs[i].p;
		if (p->addr.af != g->af || p->len >= host)
			continue; /* a host address: its subnet is not known */
		known = true;
		if (!rr_prefix_contains(p, g))
			continue;
		*net = *p;
		if (!v6 && p->len < 31) {
			/* if_connected(): not the network, not the
			 * broadcast address */
			uint32_t x = (uint32_t)g->b[0] << 24 |
				     (uint32_t)g->b[1] << 16 |
				     (uint32_t)g->b[2] << 8 | g->b[3];
			uint32_t m = 0xffffffffu >> p->len;
			if ((x & m) == 0 || (x & m) == m)
				return AZ_REACH_NET_BCAST;
		}
		return AZ_REACH_OK;
	}
	if (known) {
		for (i = 0; i < s->naddrs; i++)
			if (s->addrs[i].p.addr.af == g->af) {
				*net = s->addrs[i].p;
				break;
			}
		return AZ_REACH_OFF_SUBNET;
	}
	return AZ_REACH_OK;
}

/* An up session whose node side's reachableBy route BIRD does not
 * install: a warning (the session is assumed to come up over the node's
 * other routes, which rrkit is not given). */
static bool
reach_cause(struct az *a, struct az_sess *s, uint32_t xi, uint32_t yi)
{
	struct az_side *x = &a->side[xi];
	struct rr_prefix net;
	uint32_t k = az_reach_gateway(a, x, &net), ci;

	if (k == AZ_REACH_OK)
		return false;
	ci = az_cause_new(a, AZ_W_REACH_UNUSED, xi, yi);
	a->cause[ci].sev = RR_SEV_WARNING;
	a->cause[ci].v1 = k;
	a->cause[ci].nh = rr_nb_rare(x->nb)->reachable_by.v;
	a->cause[ci].pfx = net;
	a->cause[ci].at = rr_nb_rare(x->nb)->reachable_by.at;
	s->cause = ci;
	return true;
}

static void
judge(struct az *a, uint32_t si)
{
	struct az_sess *s = &a->sess[si];
	struct az_side *x, *y;
	bool up;

	if (s->b == AZ_NONE) {
		lone(a, si);
		return;
	}
	x = &a->side[s->a];
	y = &a->side[s->b];
	s->expected = (!x->dis || !y->dis) && x->dis != AZ_W_BIRD_LOCKED &&
		      y->dis != AZ_W_BIRD_LOCKED;
	if (y->dis)
		add_cause(a, si, disabled_cause(a, s->b, s->a));
	if (x->dis)
		add_cause(a, si, disabled_cause(a, s->a, s->b));
	up = dials(a, x, s->b) || dials(a, y, s->a);
	if (!up && !x->dis && !y->dis)
		tcp_causes(a, si);
	open_causes(a, si, s->a, s->b);
	open_causes(a, si, s->b, s->a);
	family_causes(a, si);
	keepalive_causes(a, si);
	if ((x->pw_unknown || y->pw_unknown) && s->cause == AZ_NONE &&
	    !((x->pw || x->pw_unknown) && (y->pw || y->pw_unknown))) {
		/* one side's password comes from a Secret rrkit was not
		 * given, the other sets none: up or down depending on that
		 * Secret.  When both sides set one, they are assumed to match
		 * (a GitOps repository rarely holds its Secrets): the session
		 * is analysed and a note says so. */
		s->state = AZ_UNKNOWN;
		s->expected = false;
		s->cause = az_cause_new(a, AZ_W_MD5_UNKNOWN,
					x->pw_unknown ? s->a : s->b,
					x->pw_unknown ? s->b : s->a);
		a->cause[s->cause].sev = RR_SEV_NOTE;
		return;
	}
	if (s->cause != AZ_NONE) {
		s->state = AZ_DOWN;
		return;
	}
	s->state = AZ_UP;
	x->up = y->up = true;
	/* up, but one way only: one change from down */
	if (x->port != a->spk[y->spk].listen_port && !x->passive) {
		uint32_t ci = az_cause_new(a, AZ_W_PORT_ONEWAY, s->a, s->b);
		a->cause[ci].sev = RR_SEV_WARNING;
		a->cause[ci].v1 = x->port;
		a->cause[ci].v2 = a->spk[y->spk].listen_port;
		s->cause = ci;
	} else if (y->port != a->spk[x->spk].listen_port && !y->passive) {
		uint32_t ci = az_cause_new(a, AZ_W_PORT_ONEWAY, s->b, s->a);
		a->cause[ci].sev = RR_SEV_WARNING;
		a->cause[ci].v1 = y->port;
		a->cause[ci].v2 = a->spk[x->spk].listen_port;
		s->cause = ci;
	} else if (!reach_cause(a, s, s->a, s->b)) {
		reach_cause(a, s, s->b, s->a);
	}
}

void
az_sessions(struct az *a)
{
	uint32_t i;

	uint32_t n = 0;

	for (i = 0; i < a->nspk; i++)
		n += (uint32_t)a->spk[i].s->nneighbors;
	az_acceptor_init(a, n);
	build_sides(a);
	pair_sides(a);
	for (i = 0; i < a->nsess; i++)
		judge(a, i);
}
