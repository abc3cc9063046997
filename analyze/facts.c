/*
 * Derived facts, computed once and used everywhere in analyze/: who owns
 * an address (the first speaker in model order, as bgpsim's world sees
 * it), which side of a speaker accepts a connection from a source address,
 * each speaker's BGP identifier (IOS: `bgp router-id`, else the highest
 * loopback address, else the highest interface address; Calico:
 * CALICO_ROUTER_ID or the node's IPv4 address, set by resolve) and IOS cluster id (`bgp
 * cluster-id`, else the router id: RFC 4456 7), the local address of a
 * session (update-source / `source address`, else the own address on the
 * peer's subnet, else the first of that family), and the hold time each
 * side offers in its OPEN (RFC 4271 4.2).
 */
#include "analyze/az_priv.h"

#include <stdlib.h>
#include <string.h>

struct az_tab {
	struct az_tabent {
		uint32_t tag; /* speaker + 1, or 0 */
		uint32_t val; /* value + 1; 0: empty (so calloc'd is empty) */
		struct rr_addr addr;
	} *v;
	uint32_t cap, n;
};

static uint32_t
tab_hash(uint32_t tag, const struct rr_addr *x)
{
	uint64_t h = rr_hash64(x->b, x->af == RR_AF_INET6 ? 16 : 4);
	h ^= (uint64_t)tag * 0x9e3779b97f4a7c15ull;
	h ^= h >> 31;
	return (uint32_t)h;
}

static struct az_tab *
tab_new(uint32_t want)
{
	struct az_tab *t = rr_xcalloc(1, sizeof(*t));

	t->cap = 64;
	while (t->cap < want + want / 2)
		t->cap *= 2;
	t->v = rr_xcalloc(t->cap, sizeof(*t->v));
	return t;
}

static void tab_put(struct az_tab *t, uint32_t tag, const struct rr_addr *x,
		    uint32_t val);

static void
tab_grow(struct az_tab *t)
{
	struct az_tab old = *t;
	uint32_t i;

	t->cap *= 2;
	t->n = 0;
	t->v = rr_xcalloc(t->cap, sizeof(*t->v));
	for (i = 0; i < old.cap; i++)
		if (old.v[i].val)
			tab_put(t, old.v[i].tag, &old.v[i].addr,
				old.v[i].val - 1);
	free(old.v);
}

/* The first value put for a key stays. */
static void
tab_put(struct az_tab *t, uint32_t tag, const struct rr_addr *x, uint32_t val)
{
	uint32_t i;

	if ((t->n + 1) * 3 > t->cap * 2)
		tab_grow(t);
	for (i = tab_hash(tag, x) & (t->cap - 1); t->v[i].val;
	     i = (i + 1) & (t->cap - 1))
		if (t->v[i].tag == tag && rr_addr_eq(&t->v[i].addr, x))
			return;
	t->v[i].tag = tag;
	t->v[i].addr = *x;
	t->v[i].val = val + 1;
	t->n++;
}

static uint32_t
tab_get(const struct az_tab *t, uint32_t tag, const struct rr_addr *x)
{
	uint32_t i;

	if (!t || !x->af)
		return AZ_NONE;
	for (i = tab_hash(tag, x) & (t->cap - 1); t->v[i].val;
	     i = (i + 1) & (t->cap - 1))
		if (t->v[i].tag == tag && rr_addr_eq(&t->v[i].addr, x))
			return t->v[i].val - 1;
	return AZ_NONE;
}

static void
tab_free(struct az_tab *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}

uint32_t
az_owner(const struct az *a, const struct rr_addr *addr)
{
	return tab_get(a->owner, 0, addr);
}

uint32_t
az_acceptor(const struct az *a, uint32_t spk, const struct rr_addr *src)
{
	return tab_get(a->acceptor, spk + 1, src);
}

void
az_acceptor_init(struct az *a, uint32_t n)
{
	a->acceptor = tab_new(n + 1);
}

void
az_acceptor_put(struct az *a, uint32_t spk, const struct rr_addr *src,
		uint32_t side)
{
	tab_put(a->acceptor, spk + 1, src, side);
}

void
az_tabs_free(struct az *a)
{
	tab_free(a->owner);
	tab_free(a->acceptor);
	a->owner = a->acceptor = NULL;
}

/* ------------------------------------------------------------ speakers */

static uint32_t
v4(const struct rr_addr *x)
{
	return x->af == RR_AF_INET ? rr_addr_v4(x) : 0;
}

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
			uint32_t x = v4(&f->addrs[k].p.addr);
			if (loop && x > lo)
				lo = x;
			if (x > best)
				best = x;
		}
	}
	if (lo)
		return lo;
	for (i = 0; i < s->naddrs; i++)
		if (v4(&s->addrs[i].p.addr) > best)
			best = v4(&s->addrs[i].p.addr);
	return best;
}

bool
az_on(const struct rr_opt_bool *o)
{
	return o->set && o->v;
}

struct rr_addr
az_local_toward(const struct rr_speaker *s, const struct rr_addr *peer)
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

/* On one of the speaker's connected subnets. */
bool
az_connected(const struct rr_speaker *s, const struct rr_addr *x)
{
	size_t i;

	for (i = 0; i < s->naddrs; i++)
		if (rr_prefix_contains(&s->addrs[i].p, x))
			return true;
	return false;
}

/* Connected, or covered by a static route. */
bool
az_routed(const struct rr_speaker *s, const struct rr_addr *x)
{
	size_t i;

	if (az_connected(s, x))
		return true;
	for (i = 0; i < s->nstatic_routes; i++)
		if (rr_prefix_contains(&s->static_routes[i].p, x))
			return true;
	return false;
}

uint16_t
az_offered_hold(const struct az *a, const struct az_side *d)
{
	if (d->hold_zero)
		return 0;
	if (d->hold)
		return d->hold;
	return (uint16_t)(a->spk[d->spk].bird ? AZ_BIRD_HOLD : AZ_IOS_HOLD);
}

const struct rr_loc *
az_nb_loc(const struct az_side *d)
{
	return &d->nb->loc;
}

const struct rr_loc *
az_hold_loc(const struct az *a, const struct az_side *d)
{
	const struct rr_speaker *s = a->spk[d->spk].s;

	if (d->nb->hold.set && d->nb->hold.at.line)
		return &d->nb->hold.at;
	if (!a->spk[d->spk].bird && s->hold.set && s->hold.at.line)
		return &s->hold.at;
	return az_nb_loc(d);
}

/* Where the AS a side announces comes from. */
const struct rr_loc *
az_as_loc(const struct az *a, const struct az_side *d)
{
	const struct rr_speaker *s = a->spk[d->spk].s;

	if (rr_nb_rare(d->nb)->local_as.set &&
	    rr_nb_rare(d->nb)->local_as.at.line)
		return &rr_nb_rare(d->nb)->local_as.at;
	if (s->asn.at.line)
		return &s->asn.at;
	return &s->loc;
}

void
az_facts(struct az *a)
{
	const struct rr_model *m = a->m;
	uint32_t k, naddr = 0;
	size_t i;

	a->nspk = (uint32_t)m->nspeakers;
	a->spk = rr_xcalloc(a->nspk + 1, sizeof(*a->spk));
	for (k = 0; k < a->nspk; k++)
		naddr += (uint32_t)m->speakers[k]->naddrs;
	a->owner = tab_new(naddr + 1);
	for (k = 0; k < a->nspk; k++) {
		const struct rr_speaker *s = m->speakers[k];
		struct az_spk *p = &a->spk[k];
		p->s = s;
		p->bird = s->kind == RR_SPK_CALICO;
		p->router_id = router_id(s);
		p->cluster_id = s->cluster_id.set ? s->cluster_id.v
						  : p->router_id;
		p->listen_port = p->bird && s->listen_port.set &&
						 s->listen_port.v <= 0xffff
					 ? (uint16_t)s->listen_port.v
					 : (uint16_t)AZ_PORT;
		p->cls = AZ_NONE;
		for (i = 0; i < s->naddrs; i++) {
			const struct rr_addr *x = &s->addrs[i].p.addr;
			tab_put(a->owner, 0, x, k);
			if (x->af == RR_AF_INET)
				p->fam[0] = true;
			else if (x->af == RR_AF_INET6)
				p->fam[1] = true;
		}
		p->node = p->bird && s->bgp_configured && s->naddrs;
		a->nios += !p->bird;
		a->nbird += p->bird;
	}
	/* two nodes with one BGP address: the second calico-node refuses to
	 * start ("already using the IPv4 address"), in input order; and the
	 * others' confd render two protocols of one name toward it (Mesh_,
	 * Node_ by peerSelector), so BIRD refuses their whole configuration
	 * ("Symbol already defined") */
	for (k = 0; k < a->nspk; k++) {
		struct az_spk *p = &a->spk[k];
		const struct rr_speaker *s = p->s;
		p->dup_of = AZ_NONE;
		for (i = 0; p->bird && i < s->nneighbors; i++) {
			size_t j;
			for (j = i + 1; s->neighbors[i].name &&
					j < s->nneighbors &&
					s->neighbors[j].family ==
						s->neighbors[i].family &&
					!p->dup_proto;
			     j++)
				if (s->neighbors[j].name &&
				    !strcmp(s->neighbors[i].name,
					    s->neighbors[j].name))
					p->dup_proto = &s->neighbors[j];
				else
					break; /* sorted by name (R14) */
		}
		if (p->dup_proto)
			p->node = false;
		for (i = 0; p->bird && i < p->s->naddrs; i++) {
			uint32_t o = az_owner(a, &p->s->addrs[i].p.addr);
			if (o != k && o != AZ_NONE && a->spk[o].bird) {
				p->dup_of = o;
				p->node = false;
			}
		}
	}
}
