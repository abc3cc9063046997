/*
 * The simulated world, built from the model: one speaker per IOS router
 * and per Calico node, one side per configured session on each (IOS
 * neighbors, the dynamic neighbors an IOS `bgp listen range` creates for
 * the nodes that dial it, calico-node's BIRD protocols), each side's
 * state-machine configuration (timers, local and remote AS, passive,
 * TCP MD5, next-hop and reflection settings, the OPEN it sends) worked
 * out once here, and which sessions the verdict expects.
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ address tables */

struct addr_key {
	const struct world *w;
	uint32_t tag;
	const struct rr_addr *a;
};

static bool
addr_is(const void *ctx, uint32_t v)
{
	const struct addr_key *k = ctx;
	const struct waddr *e = &k->w->addrv[v - 1];
	return e->tag == k->tag && rr_addr_eq(&e->a, k->a);
}

static uint64_t
addr_hash(uint32_t tag, const struct rr_addr *a)
{
	return chash_mix(chash_bytes(a->b, a->af == RR_AF_INET6 ? 16 : 4),
	                 (uint64_t)tag << 8 | a->af);
}

static uint32_t
addr_get(const struct world *w, uint32_t tag, const struct rr_addr *a)
{
	struct addr_key k = {w, tag, a};
	uint32_t v = chash_find(&w->addrs, addr_hash(tag, a), addr_is, &k);

	return v ? w->addrv[v - 1].val : SIM_NONE;
}

/* The first one stays. */
static void
addr_put(struct world *w, uint32_t tag, const struct rr_addr *a, uint32_t val)
{
	struct waddr *e;

	if (addr_get(w, tag, a) != SIM_NONE)
		return;
	if (w->naddr == w->capaddr) {
		w->capaddr = w->capaddr ? w->capaddr * 2 : 64;
		w->addrv = rr_xrealloc(w->addrv, w->capaddr * sizeof(*e));
	}
	e = &w->addrv[w->naddr++];
	e->tag = tag;
	e->a = *a;
	e->val = val;
	chash_add(&w->addrs, addr_hash(tag, a), w->naddr);
}

/* The speaker owning an address (tag 0). */
uint32_t
world_owner(const struct world *w, const struct rr_addr *a)
{
	return addr_get(w, 0, a);
}

/* Speaker k's side for a peer at src (tag k + 1): the first configured
 * toward it; for BIRD the first still configured and not waiting for the
 * lock on the neighbor (bgp_find_proto walks the running configuration). */
uint32_t
world_acceptor(const struct world *w, uint32_t k, const struct rr_addr *src)
{
	uint32_t si = addr_get(w, k + 1, src), i, end;

	if (si == SIM_NONE ||
	    !(w->side[si].deconfigured || w->side[si].pub.lock_wait))
		return si;
	end = w->spk[k].pub.first_session + w->spk[k].pub.nsessions;
	for (i = w->spk[k].pub.first_session; i < end; i++)
		if (!w->side[i].deconfigured && !w->side[i].pub.lock_wait &&
		    rr_addr_eq(&w->side[i].pub.peer, src))
			return i;
	return si;
}

bool
world_failed(const struct world *w, uint32_t k)
{
	return k != SIM_NONE && w->spk[k].pub.failed;
}

void
world_changed(struct world *w)
{
	w->last_change = w->sched.now;
}

/* ------------------------------------------------------------ OPENs */

/* Our own OPEN for (speaker, local AS, hold, family): built once. */
/* The Multiprotocol families of an IOS neighbor activated for the families
 * of mask (rr_nb_af_mask); one rrkit cannot name (RR_AFS_OTHER) stands for
 * the session's own, so that nothing unknown makes a session fail. */
static size_t
mask_afs(unsigned mask, bool ipv6, struct bgp_afs *out)
{
	static const struct bgp_afs known[RR_AFS_OTHER] = {
	        [RR_AFS_IPV4] = {BGP_AFI_IPV4, BGP_SAFI_UNICAST, 0},
	        [RR_AFS_IPV6] = {BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0},
	        [RR_AFS_VPNV4] = {BGP_AFI_IPV4, 128, 0},
	        [RR_AFS_VPNV6] = {BGP_AFI_IPV6, 128, 0},
	        [RR_AFS_IPV4_MULTICAST] = {BGP_AFI_IPV4, BGP_SAFI_MULTICAST, 0},
	};
	size_t n = 0;
	int k;

	if (mask & (1u << RR_AFS_OTHER))
		mask |= 1u << (ipv6 ? RR_AFS_IPV6 : RR_AFS_IPV4);
	for (k = 0; k < RR_AFS_OTHER; k++)
		if (mask & (1u << k))
			out[n++] = known[k];
	return n;
}

static const struct bgp_open *
own_open(struct world *w, const struct bgp_profile *p, uint32_t asn,
         uint32_t rid, uint16_t hold, bool ipv6, unsigned afs, uint32_t gr_time)
{
	struct bgp_afs mp[RR_AFS_COUNT];
	uint32_t i;
	struct wopen *o;

	for (i = w->nown; i-- > 0;) {
		o = w->own[i];
		if (o->profile == p && o->asn == asn && o->router_id == rid &&
		    o->hold == hold && o->ipv6 == ipv6 && o->afs == afs &&
		    o->gr_time == gr_time)
			return &o->open;
		if (w->nown - i > 8)
			break; /* only a speaker's recent ones */
	}
	o = rr_arena_calloc(&w->arena, 1, sizeof(*o));
	o->profile = p;
	o->asn = asn;
	o->router_id = rid;
	o->hold = hold;
	o->ipv6 = ipv6;
	o->afs = afs;
	o->gr_time = gr_time;
	bgp_profile_open_afs(p, asn, rid, hold, ipv6, mp,
	                     mask_afs(afs, ipv6, mp), &w->arena, &o->open);
	if (gr_time != UINT32_MAX)
		bgp_open_set_gr_time(&o->open, gr_time);
	if (w->nown == w->capown) {
		w->capown = w->capown ? w->capown * 2 : 64;
		w->own = rr_xrealloc(w->own, w->capown * sizeof(*w->own));
	}
	w->own[w->nown++] = o;
	return &o->open;
}

/* ------------------------------------------------------------ build */

static uint32_t
v4(const struct rr_addr *a)
{
	return a->af == RR_AF_INET ? rr_addr_v4(a) : 0;
}

/* IOS without `bgp router-id`: the highest loopback address, else the
 * highest interface address. */
static uint32_t
router_id(const struct rr_speaker *s)
{
	uint32_t best = 0, lo = 0;
	size_t i, k;

	if (s->router_id.set)
		return v4(&s->router_id.v);
	for (i = 0; i < s->nifaces; i++) {
		const struct rr_iface *f = &s->ifaces[i];
		bool loop = f->canon && !strncmp(f->canon, "Loopback", 8);
		if (f->shutdown)
			continue;
		for (k = 0; k < f->naddrs; k++) {
			uint32_t a = v4(&f->addrs[k].p.addr);
			if (loop && a > lo)
				lo = a;
			if (a > best)
				best = a;
		}
	}
	if (lo)
		return lo;
	for (i = 0; i < s->naddrs; i++)
		if (v4(&s->addrs[i].p.addr) > best)
			best = v4(&s->addrs[i].p.addr);
	return best;
}

/* The local address toward `peer`: the own address on its subnet, else
 * the first of that family. */
static struct rr_addr
local_toward(const struct rr_speaker *s, const struct rr_addr *peer)
{
	struct rr_addr none;
	size_t i;

	for (i = 0; i < s->naddrs; i++)
		if (s->addrs[i].p.addr.af == peer->af &&
		    rr_prefix_contains(&s->addrs[i].p, peer) &&
		    !rr_addr_eq(&s->addrs[i].p.addr, peer))
			return s->addrs[i].p.addr;
	for (i = 0; i < s->naddrs; i++)
		if (s->addrs[i].p.addr.af == peer->af)
			return s->addrs[i].p.addr;
	memset(&none, 0, sizeof(none));
	return none;
}

static bool
opt_on(const struct rr_opt_bool *o)
{
	return o->set && o->v;
}

/* a side before it is placed */
#define IOS_LISTEN_LIMIT 100 /* dynamic neighbors without `bgp listen limit` */

struct spec {
	uint32_t spk;
	const struct rr_neighbor *nb;
	struct rr_addr local, peer;
};

static void
disable(struct wside *sd, const char *why, const struct rr_loc *at)
{
	if (!sd->pub.enabled)
		return;
	sd->pub.enabled = false;
	sd->disabled_why = why;
	sd->disabled_at = *at;
	sd->pub.last_error = why;
}

static uint16_t
u16_clamp(uint32_t v)
{
	return v > 0xffff ? 0xffff : (uint16_t)v;
}

static void
side_config(struct world *w, struct wside *sd, const struct rr_neighbor *nb,
            const struct rr_neighbor *range)
{
	struct wspk *k = &w->spk[sd->pub.speaker];
	const struct rr_speaker *s = k->pub.spk;
	const struct rr_neighbor *n = range ? range : nb;
	struct fsm_config *c = &sd->cfg;
	uint32_t las = rr_nb_rare(n)->local_as.set ? rr_nb_rare(n)->local_as.v
	                                           : s->asn.v;
	uint16_t hold;

	memset(c, 0, sizeof(*c));
	c->profile = k->pub.profile;
	c->local_as = las;
	c->remote_as = n->remote_as.set ? n->remote_as.v : 0;
	c->router_id = k->pub.router_id;
	c->ipv6 = sd->pub.peer.af == RR_AF_INET6;
	c->auto_restart = true;
	c->passive = n->passive || range != NULL;
	sd->pub.nb = n;
	sd->pub.enabled = true;
	sd->pub.ipv6 = c->ipv6;
	sd->pub.port = n->port ? n->port : BGP_PORT;
	sd->pub.ibgp = c->remote_as == las;
	sd->pub.rr_client = opt_on(&n->rr_client);
	sd->pw = opt_on(&n->password) && !n->password_unresolved;
	sd->pw_unknown = rr_password_unknown(&w->m->calico, n);
	sd->pw_hash = n->password_hash;
	if (k->bird) {
		if (n->keepalive.set)
			c->keepalive = u16_clamp(n->keepalive.v);
		if (n->hold.set) {
			c->hold = u16_clamp(n->hold.v);
			c->hold_zero = n->hold.v == 0;
		}
		sd->cluster_id = rr_nb_rare(n)->rr_cluster_id.set
		                         ? rr_nb_rare(n)->rr_cluster_id.v
		                         : k->pub.router_id;
		sd->bird_nh_self = n->next_hop == RR_NH_SELF;
		sd->bird_nh_keep = n->next_hop == RR_NH_KEEP;
		sd->v4_active = true;
		if (!c->remote_as)
			disable(sd,
			        "BIRD refuses the config: Remote AS number "
			        "must be set",
			        &n->loc);
	} else {
		const struct rr_opt_u32 *ho = n->hold.set ? &n->hold : &s->hold;
		const struct rr_opt_u32 *ko =
		        n->hold.set ? &n->keepalive : &s->keepalive;
		const struct rr_opt_u32 *mo = rr_nb_rare(n)->min_hold.set
		                                      ? &rr_nb_rare(n)->min_hold
		                                      : &s->min_hold;
		if (ho->set) {
			c->hold = u16_clamp(ho->v);
			c->hold_zero = ho->v == 0;
		}
		if (ko->set)
			c->keepalive = u16_clamp(ko->v);
		if (mo->set)
			c->min_hold = u16_clamp(mo->v);
		sd->cluster_id = k->pub.cluster_id;
		sd->client_to_client =
		        !s->client_to_client.set || s->client_to_client.v;
		sd->ios_nhs = opt_on(&n->next_hop_self);
		sd->ios_nhs_all = n->next_hop_self_all;
		sd->max_prefix = rr_nb_rare(n)->maximum_prefix.set
		                         ? rr_nb_rare(n)->maximum_prefix.v
		                         : 0;
		sd->max_prefix_warn = rr_nb_rare(n)->maximum_prefix_warning_only;
		sd->max_prefix_restart = rr_nb_rare(n)->maximum_prefix_restart;
		sd->max_prefix_hit = false;
		sd->pol_in = policy_side_has(w, sd, true);
		sd->pol_out = policy_side_has(w, sd, false);
		sd->v4_active = n->af[c->ipv6 ? RR_AFS_IPV6 : RR_AFS_IPV4].v;
		if (opt_on(&n->shutdown))
			disable(sd, "neighbor shutdown", &n->shutdown.at);
		else if (!rr_nb_af_mask(n))
			disable(sd,
			        "never activated in any address family (no bgp "
			        "default ipv4-unicast): IOS never starts it",
			        &n->loc);
		else if (!c->remote_as)
			disable(sd, "no remote-as", &n->loc);
	}
	if (!sd->pub.local.af)
		disable(sd, "no local address toward the peer", &n->loc);
	hold = c->hold_zero ? 0 : c->hold ? c->hold : c->profile->hold;
	c->open = own_open(w, c->profile, las, c->router_id, hold, c->ipv6,
	                   rr_offered_afs(n, k->bird, c->ipv6),
	                   k->bird && n->graceful_restart.set
	                           ? n->graceful_restart.v
	                           : UINT32_MAX);
	/* the largest keepalive it would run with, for the quiet time */
	{
		uint32_t ka = c->keepalive ? c->keepalive : hold / 3u;
		if (ka > w->offered_keepalive)
			w->offered_keepalive = ka;
	}
}

void
world_side_config(struct world *w, uint32_t si, const struct rr_neighbor *nb)
{
	struct wside *sd = &w->side[si];

	if (sd->range)
		sd->range = nb;
	side_config(w, sd, nb, sd->range);
}

static void
place_side(struct world *w, const struct spec *sp,
           const struct rr_neighbor *range)
{
	struct wside *sd = &w->side[w->nside];

	memset(sd, 0, sizeof(*sd));
	sd->pub.speaker = sp->spk;
	sd->pub.local = sp->local;
	sd->pub.peer = sp->peer;
	sd->pub.dynamic = range != NULL;
	sd->pub.state = FSM_ST_IDLE;
	sd->pub.established_at_ms = SIM_NEVER;
	sd->pub.up_down_ms = SIM_NEVER;
	sd->pub.partner = SIM_NONE;
	sd->pub.peer_speaker = world_owner(w, &sp->peer);
	sd->range = range;
	sd->main = sd->second = SIM_NONE;
	side_config(w, sd, sp->nb, range);
	addr_put(w, sp->spk + 1, &sp->peer, w->nside);
	w->nside++;
}

/* IOS: the listen range of speaker k containing `a`, NULL. */
static const struct rr_neighbor *
range_for(const struct rr_speaker *s, const struct rr_addr *a)
{
	size_t i;

	for (i = 0; i < s->nneighbors; i++) {
		const struct rr_neighbor *n = &s->neighbors[i];
		if (n->is_range && !n->vrf && rr_prefix_contains(&n->range, a))
			return n;
	}
	return NULL;
}

/* Has the router a listen range?  Without one no source dials into a
 * range, and no spec need be checked against every neighbor. */
static bool
has_range(const struct rr_speaker *s)
{
	size_t i;

	for (i = 0; i < s->nneighbors; i++)
		if (s->neighbors[i].is_range && !s->neighbors[i].vrf)
			return true;
	return false;
}

static bool
has_static(const struct rr_speaker *s, const struct rr_addr *a)
{
	size_t i;

	for (i = 0; i < s->nneighbors; i++)
		if (!s->neighbors[i].is_range && !s->neighbors[i].vrf &&
		    rr_addr_eq(&s->neighbors[i].peer, a))
			return true;
	return false;
}

static void
build_speakers(struct world *w)
{
	const struct rr_model *m = w->m;
	uint32_t i;
	size_t a;

	w->nspk = (uint32_t)m->nspeakers;
	w->spk = rr_xcalloc(w->nspk ? w->nspk : 1, sizeof(*w->spk));
	for (i = 0; i < w->nspk; i++) {
		const struct rr_speaker *s = m->speakers[i];
		struct wspk *k = &w->spk[i];
		k->pub.spk = s;
		k->pub.name = s->name;
		k->pub.kind = s->kind;
		k->bird = s->kind == RR_SPK_CALICO;
		k->pub.profile =
		        k->bird ? &bgp_profile_bird16 : &bgp_profile_ios;
		k->pub.asn = s->asn.v;
		k->pub.router_id = router_id(s);
		k->pub.cluster_id =
		        s->cluster_id.set ? s->cluster_id.v : k->pub.router_id;
		k->listen_port = k->bird && s->listen_port.set
		                         ? u16_clamp(s->listen_port.v)
		                         : BGP_PORT;
		k->next_port = 49152;
		k->pub.table_version = 1;
		k->rib.calico = k->bird;
		for (a = 0; a < s->naddrs; a++)
			addr_put(w, 0, &s->addrs[a].p.addr, i);
		if (s->naddrs)
			k->pub.addr = s->addrs[0].p.addr;
		for (a = 0; a < s->naddrs; a++)
			if (!k->bird &&
			    v4(&s->addrs[a].p.addr) == k->pub.router_id &&
			    s->addrs[a].p.addr.af == RR_AF_INET)
				k->pub.addr = s->addrs[a].p.addr;
	}
}

/* `remote-as A alternate-as B C ...` on a listen range's group: a node
 * dialling from AS B is accepted as AS B (IOS BGP Dynamic Neighbors). */
static void
alternate_as(struct world *w, struct wside *sd, const struct spec *from)
{
	const struct rr_neighbor *r = sd->range, *nb = from->nb;
	const struct rr_speaker *node = w->m->speakers[from->spk];
	uint32_t as = rr_nb_rare(nb)->local_as.set ? rr_nb_rare(nb)->local_as.v
	                                           : node->asn.v;
	size_t i;

	if (!r || !rr_nb_rare(r)->alternate_as.set || as == sd->cfg.remote_as)
		return;
	for (i = 0; i < rr_nb_rare(r)->alternate_as.n; i++)
		if (rr_nb_rare(r)->alternate_as.v[i].asn == as) {
			sd->cfg.remote_as = as;
			sd->pub.ibgp = as == sd->cfg.local_as;
			return;
		}
}

static void
build_sides(struct world *w)
{
	const struct rr_model *m = w->m;
	struct spec *sp = NULL;
	size_t nsp = 0, capsp = 0, i, j;
	uint32_t ndyn;
	uint32_t k;

	/* every configured neighbor, as a spec */
	for (k = 0; k < w->nspk; k++) {
		const struct rr_speaker *s = m->speakers[k];
		for (i = 0; i < s->nneighbors; i++) {
			const struct rr_neighbor *n = &s->neighbors[i];
			struct spec *p;
			if (n->is_range || n->vrf || !n->peer.af)
				continue;
			if (s->kind == RR_SPK_CALICO &&
			    n->scope == RR_SCOPE_LOCAL_WORKLOAD)
				continue; /* pods are not simulated */
			if (nsp == capsp) {
				capsp = capsp ? capsp * 2 : 64;
				sp = rr_xrealloc(sp, capsp * sizeof(*sp));
			}
			p = &sp[nsp++];
			p->spk = k;
			p->nb = n;
			p->peer = n->peer;
			p->local = n->source_address.set
			                   ? n->source_address.v
			                   : local_toward(s, &n->peer);
		}
	}
	/* at most: every spec twice (its own side and a dynamic one) */
	w->side = rr_xcalloc(nsp * 2 + 1, sizeof(*w->side));
	for (k = 0, i = 0; k < w->nspk; k++) {
		const struct rr_speaker *s = m->speakers[k];
		w->spk[k].pub.first_session = w->nside;
		for (; i < nsp && sp[i].spk == k; i++)
			place_side(w, &sp[i], NULL);
		if (s->kind != RR_SPK_IOS || !has_range(s))
			goto done;
		/* dynamic neighbors for the sources that dial a range */
		ndyn = 0;
		for (j = 0; j < nsp; j++) {
			const struct rr_neighbor *r;
			struct spec d;
			if (sp[j].spk == k ||
			    world_owner(w, &sp[j].peer) != k ||
			    has_static(s, &sp[j].local))
				continue;
			r = range_for(s, &sp[j].local);
			if (!r || world_acceptor(w, k, &sp[j].local) != SIM_NONE)
				continue;
			d.spk = k;
			d.nb = r;
			d.peer = sp[j].local;
			d.local = sp[j].peer;
			place_side(w, &d, r);
			alternate_as(w, &w->side[w->nside - 1], &sp[j]);
			/* `bgp listen limit` (IOS default 100): the router
			 * refuses dynamic neighbors past it.  Which ones is
			 * the order they dial in; here, the order of specs */
			if (++ndyn > (s->listen_limit.set ? s->listen_limit.v
			                                  : IOS_LISTEN_LIMIT))
				disable(&w->side[w->nside - 1],
				        s->listen_limit.set
				                ? "bgp listen limit reached: IOS "
				                  "accepts no more dynamic "
				                  "neighbors (which nodes it "
				                  "refuses depends on the order "
				                  "they dial in)"
				                : "bgp listen limit reached (IOS "
				                  "default 100): IOS accepts no "
				                  "more dynamic neighbors (which "
				                  "nodes it refuses depends on "
				                  "the order they dial in)",
				        s->listen_limit.set ? &s->listen_limit.at
				                            : &r->loc);
		}
	done:
		w->spk[k].pub.nsessions =
		        w->nside - w->spk[k].pub.first_session;
	}
	free(sp);
}

/*
 * BIRD locks a neighbor's address and port for the protocol that talks to
 * it (BIRD 1.6 proto/bgp/bgp.c, bgp_start: olock_acquire of an OBJLOCK_TCP
 * on the remote address, port and interface; nest/locks.c): a second
 * protocol toward the same address and port waits in state start/Idle
 * while the first runs, and gets the lock when the first stops.  The
 * analysis says the same (analyze/session.c lock_check, rule
 * peer-duplicate).  At the start the first in configuration order holds
 * it (confd sorts the protocols by name; BIRD starts them in order).
 */

/* BIRD's lock key (nest/locks.c olock_same: address, port; no interface
 * or VRF here) */
static bool
same_lock(const struct wside *a, const struct wside *b)
{
	return a->pub.port == b->pub.port &&
	       rr_addr_eq(&a->pub.peer, &b->pub.peer);
}

/* The side of si's speaker that holds the lock on si's address and port
 * (configured, not waiting; started or not: a protocol BIRD cannot start
 * a session on still holds it), other than si; SIM_NONE. */
uint32_t
world_lock_holder(const struct world *w, uint32_t si)
{
	const struct wside *sd = &w->side[si];
	const struct wspk *k = &w->spk[sd->pub.speaker];
	/* while the world is built, the sides before si only: BIRD starts
	 * the protocols in order */
	uint32_t i,
	        end = w->built ? k->pub.first_session + k->pub.nsessions : si;

	if (!k->bird)
		return SIM_NONE;
	if (!w->built) {
		/* the first side toward the address (addr_put keeps the
		 * first): si itself, or the holder when it dials the same
		 * port; a scan only when it dials another */
		uint32_t j = addr_get(w, sd->pub.speaker + 1, &sd->pub.peer);
		if (j == SIM_NONE || j == si)
			return SIM_NONE;
		if (w->side[j].pub.port == sd->pub.port)
			return j;
	}
	for (i = k->pub.first_session; i < end; i++) {
		const struct wside *o = &w->side[i];
		if (i != si && !o->pub.lock_wait && !o->deconfigured &&
		    same_lock(o, sd))
			return i;
	}
	return SIM_NONE;
}

static void
lock_wait(struct world *w, uint32_t si, uint32_t holder)
{
	struct wside *sd = &w->side[si];

	sd->pub.lock_wait = true;
	sd->pub.enabled = false;
	sd->disabled_why = rr_arena_printf(
	        &w->arena,
	        "waits in start/Idle: BIRD runs one protocol per neighbor "
	        "address and port, and %s has it",
	        w->side[holder].pub.nb->name ? w->side[holder].pub.nb->name
	                                     : "another");
	sd->disabled_at = sd->pub.nb->loc;
	sd->pub.last_error = sd->disabled_why;
}

/* Side si (just configured, enabled) waits when another protocol holds
 * the lock; true if it does. */
bool
world_lock_check(struct world *w, uint32_t si)
{
	uint32_t h;

	if (!w->side[si].pub.enabled)
		return false;
	h = world_lock_holder(w, si);
	if (h == SIM_NONE)
		return false;
	lock_wait(w, si, h);
	return true;
}

/* Side si (re)configured while running: its partner is the peer's side
 * that accepts it now (the one at the start may have been removed, or
 * been waiting for BIRD's lock), and that side's partner is si. */
void
world_repair(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];
	uint32_t t;

	if (sd->pub.peer_speaker == SIM_NONE || sd->pub.lock_wait)
		return;
	t = world_acceptor(w, sd->pub.peer_speaker, &sd->pub.local);
	if (t == SIM_NONE || t == si)
		return;
	sd->pub.partner = t;
	w->side[t].pub.partner = si;
}

/* Side si stopped: the first side waiting for its lock gets it (is
 * enabled; the caller starts it); that side, or SIM_NONE. */
uint32_t
world_lock_release(struct world *w, uint32_t si)
{
	const struct wside *sd = &w->side[si];
	const struct wspk *k = &w->spk[sd->pub.speaker];
	uint32_t i, end = k->pub.first_session + k->pub.nsessions;

	if (!k->bird || sd->pub.lock_wait)
		return SIM_NONE;
	for (i = k->pub.first_session; i < end; i++) {
		struct wside *o = &w->side[i];
		if (i != si && o->pub.lock_wait && same_lock(o, sd)) {
			o->pub.lock_wait = false;
			o->pub.enabled = true;
			o->disabled_why = NULL;
			o->disabled_at.line = 0;
			o->pub.last_error = NULL;
			world_repair(w, i);
			return i;
		}
	}
	return SIM_NONE;
}

/* Partners, and which sessions the verdict expects. */
static void
pair_sides(struct world *w)
{
	uint32_t si;

	for (si = 0; si < w->nside; si++) {
		struct wside *s = &w->side[si];
		if (s->pub.peer_speaker != SIM_NONE)
			s->pub.partner =
			        world_acceptor(w, s->pub.peer_speaker, &s->pub.local);
	}
	for (si = 0; si < w->nside; si++) {
		struct wside *s = &w->side[si];
		uint32_t t = s->pub.partner;
		if (t != SIM_NONE && w->side[t].pub.partner == SIM_NONE)
			w->side[t].pub.partner = si;
	}
	for (si = 0; si < w->nside; si++) {
		struct wside *s = &w->side[si];
		uint32_t t = s->pub.partner;
		bool calico = w->spk[s->pub.speaker].bird;
		if (t != SIM_NONE) {
			/* one side per pair carries it: the first */
			if (t < si && w->side[t].pub.partner == si)
				continue;
			/* a protocol waiting for BIRD's lock: another one
			 * carries the session */
			s->pub.expected =
			        (s->pub.enabled || w->side[t].pub.enabled) &&
			        !s->pub.lock_wait && !w->side[t].pub.lock_wait;
		} else if (s->pub.lock_wait) {
			s->pub.expected = false;
		} else {
			s->pub.expected =
			        calico || (s->pub.peer_speaker != SIM_NONE &&
			                   s->pub.enabled);
		}
	}
}

int
world_build(struct world *w, const struct rr_model *m, const struct sim_opts *o,
            struct rr_diags *d)
{
	uint32_t si;

	memset(w, 0, sizeof(*w));
	w->m = m;
	rr_arena_init(&w->arena);
	rr_arena_init(&w->rib_arena);
	rr_arena_init(&w->scratch);
	w->opts = *o;
	if (!w->opts.latency_ms)
		w->opts.latency_ms = 1;
	if (!w->opts.cap_ms)
		w->opts.cap_ms = 600000;
	if (!w->opts.max_causes)
		w->opts.max_causes = 1000;
	if (!w->opts.progress_every)
		w->opts.progress_every = 65536;
	sched_init(&w->sched);
	w->fsm_free = SIM_NONE;
	w->conn_free = SIM_NONE;
	w->acts = rr_xcalloc(4, sizeof(*w->acts));
	w->nlri_buf = rr_xcalloc(1100, sizeof(*w->nlri_buf));
	w->attr_buf = rr_xcalloc(16, sizeof(*w->attr_buf));
	build_speakers(w);
	cache_init(w, o->plain);
	build_sides(w);
	for (si = 0; si < w->nside; si++)
		(void)world_lock_check(w, si);
	w->built = true;
	pair_sides(w);
	rib_sides_init(w);
	policy_check(w, d);
	return 0;
}

void
world_release(struct world *w)
{
	uint32_t i;

	session_release(w);
	tcp_release(w);
	adjout_release(w);
	for (i = 0; i < w->nside; i++)
		rib_map_release(&w->side[i].rib.in);
	for (i = 0; i < w->nspk; i++)
		rib_map_release(&w->spk[i].rib.local);
	cache_release(&w->cache);
	chash_release(&w->addrs);
	chash_release(&w->pfx_hash);
	chash_release(&w->attr_hash);
	free(w->addrv);
	free(w->pfx);
	free(w->attrs);
	free(w->nlri_buf);
	free(w->attr_buf);
	free(w->pidbuf);
	free(w->fault_a);
	free(w->fault_b);
	free(w->own);
	free(w->side);
	free(w->spk);
	sched_release(&w->sched);
	rr_arena_release(&w->rib_arena);
	rr_arena_release(&w->scratch);
	rr_arena_release(&w->arena);
	memset(w, 0, sizeof(*w));
}
