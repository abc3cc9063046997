/*
 * An UPDATE received, read into the RIB's terms: the prefixes it
 * withdraws, the prefixes it announces and the attribute set they carry
 * (RFC 4271 4.3; IPv6 in MP_REACH_NLRI and MP_UNREACH_NLRI, RFC 4760),
 * or why it is not taken: a family the session does not carry, an IOS
 * neighbor not activated for it, RFC 7606 treat-as-withdraw.  Then
 * rib.c's import.
 *
 * The reading is the same whoever reads the same bytes the same way: with
 * the cache, attribute bytes map to their set once (cache_raw_*), a
 * decoded message shared by many receivers (cache_decoded) keeps its
 * reading, and an update-group template (adjout.c) is read once per kind
 * of receiver (inbound_reading).
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

/* The path attribute block of a decoded UPDATE (first to last attribute,
 * as received), or NULL. */
static const uint8_t *
attr_block(const struct bgp_update *u, size_t *len)
{
	const struct bgp_attr *f, *l;
	const uint8_t *start;
	size_t i;

	if (!u->nattrs)
		return NULL;
	f = &u->attrs[0];
	l = &u->attrs[u->nattrs - 1];
	if (!f->raw || !l->raw)
		return NULL;
	for (i = 0; i < u->nattrs; i++)
		if (u->attrs[i].code == BGP_ATTR_MP_REACH ||
		    u->attrs[i].code == BGP_ATTR_MP_UNREACH)
			return NULL; /* NLRI inside: no reuse */
	start = f->raw - (f->flags & BGP_ATTR_F_EXTLEN ? 4 : 3);
	if (l->raw + l->len < start)
		return NULL;
	*len = (size_t)(l->raw + l->len - start);
	return start;
}

/* room for n prefix ids in the world's scratch */
static uint32_t *
pid_room(struct world *w, size_t n)
{
	if (n > w->npidbuf) {
		w->npidbuf = (uint32_t)(n < 1024 ? 1024 : n);
		w->pidbuf = rr_xrealloc(w->pidbuf, w->npidbuf * sizeof(uint32_t));
	}
	return w->pidbuf;
}

static bool
rx_as4(struct world *w, uint32_t si)
{
	const struct fsm *f = session_fsm(w, si);
	return f && f->rx.as4;
}

/* The set of u's attributes, by way of the cache for IPv4 UPDATEs whose
 * attribute bytes were seen before; 0 when it is still to be interned from
 * *key (once the UPDATE is known to be taken). */
static uint32_t
read_attrs(struct world *w, uint32_t si, const struct bgp_update *u,
           struct cache_dec *cd, struct rib_attrs *key, uint32_t *words,
           size_t nwords, const struct bgp_mp **reach,
           const struct bgp_mp **unreach)
{
	const uint8_t *blk;
	size_t blen = 0;
	uint32_t id = 0;

	*reach = *unreach = NULL;
	if (!w->side[si].pub.ipv6 && u->nnlri &&
	    (blk = attr_block(u, &blen)) != NULL) {
		id = cd && cd->raw_id ? cd->raw_id
		                      : cache_raw_get(w, blk, blen, rx_as4(w, si));
		if (cd)
			cd->raw_id = id;
		if (id)
			return id;
	}
	rib_attrs_read(u, key, words, nwords, reach, unreach);
	if (*reach && (*reach)->nlri) {
		const struct bgp_mp *r = *reach;
		if (r->afi == BGP_AFI_IPV6 && r->nh_len >= 16) {
			key->next_hop.af = RR_AF_INET6;
			memcpy(key->next_hop.b, r->nh, 16);
		} else if (r->afi == BGP_AFI_IPV4 && r->nh_len >= 4) {
			key->next_hop.af = RR_AF_INET;
			memcpy(key->next_hop.b, r->nh, 4);
		}
	}
	return 0;
}

/* Why the announced prefixes are not taken, RIB_DROP_NONE. */
static enum rib_drop
read_drop(const struct wside *s, const struct bgp_update *u,
          const struct bgp_mp *reach, size_t nnl)
{
	enum rib_drop why = RIB_DROP_NONE;
	bool v6 = s->pub.ipv6;

	if (!nnl)
		return why;
	if (reach && reach->nlri)
		why = (reach->afi == BGP_AFI_IPV6) != v6 ? RIB_DROP_FAMILY
		                                         : RIB_DROP_NONE;
	else if (v6)
		why = RIB_DROP_FAMILY;
	if (!s->v4_active)
		why = RIB_DROP_FAMILY; /* IOS: the family is not activated */
	if (u->action == BGP_ACT_TREAT_AS_WITHDRAW)
		why = RIB_DROP_WITHDRAW; /* RFC 7606 2 */
	return why;
}

/*
 * Read u as side si reads it into ru, whose prefix ids live in the
 * world's scratch until the next reading.
 */
static void
read_update(struct world *w, uint32_t si, const struct bgp_update *u,
            struct cache_dec *cd, struct rib_update *ru)
{
	struct wside *s = &w->side[si];
	struct rib_attrs key;
	uint32_t words[512], *pids;
	const struct bgp_mp *reach, *unreach;
	const struct bgp_nlri *nl = u->nlri;
	size_t nnl = u->nnlri, i, n = 0;
	bool v6 = s->pub.ipv6;

	memset(ru, 0, sizeof(*ru));
	memset(&key, 0, sizeof(key));
	ru->attrs = read_attrs(w, si, u, cd, &key, words,
	                       sizeof(words) / sizeof(words[0]), &reach,
	                       &unreach);
	pids = pid_room(w, u->nwithdrawn + (unreach ? unreach->nnlri : 0) +
	                           (reach ? reach->nnlri : 0) + nnl + 1);
	/* withdrawals first (RFC 4271 9), in the order they are written */
	for (i = 0; !v6 && i < u->nwithdrawn; i++)
		pids[n++] = rib_prefix_id(w, &u->withdrawn[i].prefix);
	if (unreach && unreach->nlri && (unreach->afi == BGP_AFI_IPV6) == v6)
		for (i = 0; i < unreach->nnlri; i++)
			pids[n++] = rib_prefix_id(w, &unreach->nlri[i].prefix);
	ru->withdrawn = pids;
	ru->nwithdrawn = (uint32_t)n;
	if (reach && reach->nlri) {
		nl = reach->nlri;
		nnl = reach->nnlri;
	}
	ru->drop = read_drop(s, u, reach, nnl);
	if (nnl && !ru->drop && !ru->attrs) {
		size_t blen;
		const uint8_t *blk = v6 ? NULL : attr_block(u, &blen);
		ru->attrs = rib_attrs_intern(w, &key);
		if (blk) {
			cache_raw_put(w, blk, blen, rx_as4(w, si), ru->attrs);
			if (cd)
				cd->raw_id = ru->attrs;
		}
	}
	ru->nlri = pids + n;
	if (ru->drop && nnl)
		ru->first = rib_prefix_id(w, &nl[0].prefix); /* names it */
	if (!ru->drop && cd && nl == u->nlri && cd->nlri_pids) {
		ru->nlri = cd->nlri_pids;
		ru->nnlri = (uint32_t)nnl;
	} else {
		for (i = 0; i < nnl; i++)
			if ((nl[i].prefix.addr.af == RR_AF_INET6) == v6)
				pids[n + ru->nnlri++] =
				        rib_prefix_id(w, &nl[i].prefix);
		if (!ru->drop && cd && nl == u->nlri && ru->nnlri == nnl) {
			cd->nlri_pids = rr_arena_calloc(&w->cache.dec_arena,
			                                nnl + 1, sizeof(uint32_t));
			memcpy(cd->nlri_pids, ru->nlri, nnl * sizeof(uint32_t));
		}
	}
	if (!ru->drop && ru->nnlri)
		ru->first = ru->nlri[0];
}

void
inbound_update(struct world *w, uint32_t si, const struct bgp_update *u,
               struct cache_dec *cd)
{
	struct rib_update ru;

	read_update(w, si, u, cd, &ru);
	rib_import(w, si, &ru);
	cache_side_seal(w, si);
}

/* ---------------------------------------------------------- templates */

/* What makes two receivers read the same bytes the same way. */
uint32_t
inbound_key(struct world *w, uint32_t si)
{
	const struct wside *s = &w->side[si];
	const struct fsm *f = session_fsm(w, si);
	uint32_t k = (s->pub.ipv6 ? 1u : 0u) | (s->v4_active ? 2u : 0u);

	if (f)
		k |= (f->rx.as4 ? 4u : 0u) | (f->rx.ext_msg ? 8u : 0u) |
		     (f->rx.addpath_v4 ? 16u : 0u) |
		     (f->rx.addpath_v6 ? 32u : 0u);
	return k;
}

static uint32_t *
keep_pids(struct world *w, const uint32_t *v, uint32_t n)
{
	uint32_t *c = rr_arena_calloc(&w->cache.arena, n + 1, sizeof(*c));
	if (n)
		memcpy(c, v, n * sizeof(*c));
	return c;
}

/* Message i of template t read by side si into rd (once). */
static void
read_message(struct world *w, uint32_t si, struct adjout_batch *t,
             struct adjout_reading *rd, uint32_t i)
{
	struct fsm *f = session_fsm(w, si);
	uint32_t off = i ? t->end[i - 1] : 0;
	struct rr_arena a;
	struct bgp_msg m;
	struct bgp_error e;
	struct rib_update *ru = &rd->ru[i];

	rd->done[i] = true;
	rr_arena_init(&a);
	if (!f ||
	    bgp_msg_decode(t->bytes + off, t->end[i] - off, &f->rx, &a, &m,
	                   &e) < 0 ||
	    m.type != BGP_MSG_UPDATE) {
		rd->clean = false;
		rr_arena_release(&a);
		return;
	}
	read_update(w, si, &m.u.update, NULL, ru);
	ru->withdrawn = keep_pids(w, ru->withdrawn, ru->nwithdrawn);
	ru->nlri = keep_pids(w, ru->nlri, ru->nnlri);
	rr_arena_release(&a);
}

struct adjout_reading *
inbound_reading(struct world *w, uint32_t si, struct adjout_batch *t,
                uint32_t first, uint32_t n)
{
	uint32_t key = inbound_key(w, si), i;
	struct adjout_reading *rd;

	for (rd = t->readings; rd; rd = rd->next)
		if (rd->key == key)
			break;
	if (rd)
		w->cache.read_hits++;
	else {
		rd = rr_arena_calloc(&w->cache.arena, 1, sizeof(*rd));
		rd->key = key;
		rd->clean = true;
		rd->ru = rr_arena_calloc(&w->cache.arena, t->nmsg + 1,
		                         sizeof(*rd->ru));
		rd->done = rr_arena_calloc(&w->cache.arena, t->nmsg + 1, 1);
		rd->next = t->readings;
		t->readings = rd;
	}
	/* in order, as they arrive: prefix ids and sets are made in the
	 * order one by one would make them */
	for (i = first; i < first + n && rd->clean; i++)
		if (!rd->done[i])
			read_message(w, si, t, rd, i);
	return rd;
}
