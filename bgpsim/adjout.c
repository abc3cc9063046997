/*
 * Adj-RIB-Out and update building (RFC 4271 9.2).  Each speaker keeps a
 * log of the prefixes whose exportable best path changed.  Each side walks
 * it from its cursor, a batch of the log at a time: it applies the export
 * policy of rib.c to every entry and composes what changed into UPDATEs -
 * withdrawals first, then one UPDATE per attribute set, as many prefixes
 * per message as fit in 4096 bytes (IPv6 in MP_REACH/MP_UNREACH, RFC 4760;
 * with ADD-PATH the best path goes with path id 1, RFC 7911) - and sends
 * them while its connection has room (a TCP window).  A bit per prefix says
 * what the side advertised, hence what to withdraw.
 *
 * Batches are cut at fixed places of the log (every BATCH_ENTRIES entries,
 * or where the log ends when it is composed), so what a side sends does not
 * depend on how fast its peer reads.  That makes update groups possible,
 * as IOS and FRR have them: sides of a speaker that export alike (the same
 * destination class, policy and codec) form a group, and a batch composed
 * for one member is a template the others send as it is, when they would
 * compose the same: nothing in the range changed since, no route in it came
 * from them (never sent back to its source), and they advertised the same
 * where it withdraws.  A side with an outbound route policy of its own
 * (IOS route-map, prefix-list, filter-list) composes its own.  Each member still sends the bytes through its own
 * state machine and connection.  The cache keeps the templates (none with
 * sim_opts.plain: every side composes its own, the same bytes).
 */
#include "bgpsim/simpriv.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_ENTRIES 128
#define NLRI_MAX      1100

/* Room for one more of size bytes in a growing array. */
static void *
grow(void *v, uint32_t n, uint32_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 4; /* a node has one class, one group */
	return rr_xrealloc(v, (size_t)*cap * size);
}

/* --------------------------------------------------- classes, groups */

/* The router's connected subnet holding address a (the prefix, host
 * bits clear), or a zero prefix. */
static struct rr_prefix
shared_subnet(const struct rr_speaker *s, const struct rr_addr *a)
{
	struct rr_prefix none;
	size_t i;

	memset(&none, 0, sizeof(none));
	for (i = 0; i < s->naddrs; i++) {
		const struct rr_prefix *p = &s->addrs[i].p;
		if (p->addr.af == a->af &&
		    p->len < (a->af == RR_AF_INET6 ? 128 : 32) &&
		    rr_prefix_contains(p, a))
			return rr_prefix_masked(p);
	}
	return none;
}

static uint32_t
class_of(struct world *w, uint32_t di)
{
	struct wside *d = &w->side[di];
	struct adjout_spk *r = &w->spk[d->pub.speaker].out;
	bool calico = w->spk[d->pub.speaker].rib.calico;
	struct rib_class c;
	uint32_t i;

	if (d->out.cls)
		return d->out.cls;
	memset(&c, 0, sizeof(c));
	c.ibgp = d->pub.ibgp;
	c.nh_self = calico ? d->bird_nh_self : d->ios_nhs;
	c.nh_self_all = calico ? d->bird_nh_self : d->ios_nhs_all;
	c.nh_keep = calico && d->bird_nh_keep;
	c.no_comms = !policy_sends_comms(w, d);
	c.cluster_id = d->cluster_id;
	c.local_as = d->cfg.local_as;
	if (!calico && !c.ibgp && d->pub.nb &&
	    rr_nb_rare(d->pub.nb)->as_override.set &&
	    rr_nb_rare(d->pub.nb)->as_override.v)
		c.override_as = d->cfg.remote_as;
	c.local = d->pub.local;
	if (!calico && !c.ibgp)
		c.shared = shared_subnet(w->spk[d->pub.speaker].pub.spk,
		                         &d->pub.peer);
	for (i = 0; i < r->nclasses; i++)
		if (!memcmp(&r->classes[i], &c, sizeof(c)))
			break;
	if (i == r->nclasses) {
		r->classes = grow(r->classes, r->nclasses, &r->capclasses,
		                  sizeof(c));
		r->classes[r->nclasses++] = c;
	}
	d->out.cls = i + 1;
	return i + 1;
}

static uint8_t
codec_kind(const struct fsm *f, bool v6)
{
	bool ap = v6 ? f->tx.addpath_v6 : f->tx.addpath_v4;

	return (uint8_t)((v6 ? 1u : 0u) | (ap ? 2u : 0u) |
	                 (f->tx.as4 ? 4u : 0u) | (f->tx.ext_msg ? 8u : 0u));
}

static bool
same_group(const struct adjout_group *x, const struct adjout_group *y)
{
	return !memcmp(x, y, offsetof(struct adjout_group, filters)) &&
	       x->nfilters == y->nfilters &&
	       (!x->nfilters || !memcmp(x->filters, y->filters,
	                                x->nfilters * sizeof(*x->filters)));
}

/* The update group of side si (Established). */
static uint32_t
group_of(struct world *w, uint32_t si, const struct fsm *f)
{
	struct wside *d = &w->side[si];
	struct adjout_spk *r = &w->spk[d->pub.speaker].out;
	struct adjout_group g;
	uint32_t i;

	if (d->out.grp)
		return d->out.grp;
	memset(&g, 0, sizeof(g));
	g.cls = class_of(w, si);
	g.kind = codec_kind(f, d->pub.ipv6);
	g.ipv6 = d->pub.ipv6;
	g.v4_active = d->v4_active;
	g.rr_client = d->pub.rr_client;
	g.client_to_client = d->client_to_client;
	g.filters = d->bird_filters;
	g.nfilters = d->nbird_filters;
	for (i = 0; i < r->ngroups; i++)
		if (same_group(&r->groups[i], &g))
			break;
	if (i == r->ngroups) {
		r->groups = grow(r->groups, r->ngroups, &r->capgroups,
		                 sizeof(g));
		r->groups[r->ngroups++] = g;
	}
	d->out.grp = i + 1;
	return i + 1;
}

/* ------------------------------------------------------------ the log */

static void
log_compact(struct world *w, uint32_t k)
{
	struct wspk *sp = &w->spk[k];
	struct adjout_spk *r = &sp->out;
	uint32_t *newpos = rr_xcalloc(r->nlog + 1, sizeof(uint32_t));
	uint32_t i, n = 0;

	for (i = 0; i < r->nlog; i++) {
		newpos[i] = n;
		if (!r->log[i].stale) {
			r->log[n] = r->log[i];
			rib_map_set(w, &r->logpos, r->log[n].pid, n + 1);
			n++;
		}
	}
	newpos[r->nlog] = n;
	for (i = 0; i < sp->pub.nsessions; i++) {
		struct wside *s = &w->side[sp->pub.first_session + i];
		s->out.cursor = newpos[s->out.cursor];
	}
	r->nlog = n;
	r->epoch++;
	free(newpos);
}

/* The best path of pid changed: a new log entry when it is (or was)
 * exportable somewhere, else the standing entry follows the change. */
static void
log_note(struct world *w, uint32_t k, uint32_t pid, uint32_t src, uint32_t ia,
         bool append)
{
	struct adjout_spk *r = &w->spk[k].out;
	uint32_t pos = rib_map_get(&r->logpos, pid);
	struct rib_logent *e;

	if (!append) {
		if (pos) {
			r->log[pos - 1].src = src;
			r->log[pos - 1].ia = ia;
			r->log[pos - 1].gen = ++r->version;
		}
		return;
	}
	if (!pos) {
		r->nvalid++;
	} else {
		r->log[pos - 1].stale = true;
		r->log[pos - 1].gen = ++r->version;
	}
	if (pos && r->nlog > 1024 && r->nlog > 2 * r->nvalid)
		log_compact(w, k);
	r->log = grow(r->log, r->nlog, &r->caplog, sizeof(*r->log));
	e = &r->log[r->nlog++];
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->src = src;
	e->ia = ia;
	e->gen = ++r->version;
	rib_map_set(w, &r->logpos, pid, r->nlog);
}

void
adjout_best_changed(struct world *w, uint32_t k, uint32_t pid, uint32_t old,
                    uint32_t oa, uint32_t nw, uint32_t na)
{
	if (rib_exportable(w, k, pid, old, oa) ||
	    rib_exportable(w, k, pid, nw, na)) {
		log_note(w, k, pid, nw, na, true);
		adjout_queue_speaker(w, k);
	} else {
		log_note(w, k, pid, nw, na, false);
	}
}

/* ------------------------------------------------------ Adj-RIB-Out bits */

static bool
adv_get(const struct adjout_side *r, uint32_t pid)
{
	return pid / 64 < r->nadv && (r->adv[pid / 64] >> (pid % 64) & 1);
}

static void
adv_set(struct adjout_side *r, uint32_t pid, bool on)
{
	if (pid / 64 >= r->nadv) {
		uint32_t n = r->nadv ? r->nadv : 16;
		if (!on)
			return;
		while (n <= pid / 64)
			n *= 2;
		r->adv = rr_xrealloc(r->adv, n * sizeof(uint64_t));
		memset(r->adv + r->nadv, 0, (n - r->nadv) * sizeof(uint64_t));
		r->nadv = n;
	}
	if (on)
		r->adv[pid / 64] |= (uint64_t)1 << (pid % 64);
	else
		r->adv[pid / 64] &= ~((uint64_t)1 << (pid % 64));
}

/* ------------------------------------------------------------ batches */

void
adjout_batch_free(struct adjout_batch *b)
{
	free(b->bytes);
	free(b->end);
	free(b->npfx);
	free(b->mend);
	free(b->mpids);
	free(b->on);
	free(b->off);
	free(b->cand);
	free(b->cand_adv);
	memset(b, 0, sizeof(*b));
}

static void
batch_reset(struct adjout_batch *b)
{
	b->len = b->nmsg = b->non = b->noff = b->ncand = 0;
	b->version = 0;
	b->readings = NULL;
}

static void
batch_msg(struct adjout_batch *b, const uint8_t *bytes, size_t len,
          const uint32_t *pids, uint32_t npfx)
{
	uint32_t np = b->nmsg ? b->mend[b->nmsg - 1] : 0;

	if (b->len + len > b->cap) {
		b->cap = b->cap ? b->cap : 4096;
		while (b->len + len > b->cap)
			b->cap *= 2;
		b->bytes = rr_xrealloc(b->bytes, b->cap);
	}
	memcpy(b->bytes + b->len, bytes, len);
	b->len += (uint32_t)len;
	if (b->nmsg == b->capmsg) {
		b->capmsg = b->capmsg ? b->capmsg * 2 : 64;
		b->end = rr_xrealloc(b->end, b->capmsg * sizeof(*b->end));
		b->npfx = rr_xrealloc(b->npfx, b->capmsg * sizeof(*b->npfx));
		b->mend = rr_xrealloc(b->mend, b->capmsg * sizeof(*b->mend));
	}
	while (np + npfx > b->capmp) {
		b->capmp = b->capmp ? b->capmp * 2 : 256;
		b->mpids = rr_xrealloc(b->mpids, b->capmp * sizeof(*b->mpids));
	}
	memcpy(b->mpids + np, pids, npfx * sizeof(*pids));
	b->end[b->nmsg] = b->len;
	b->npfx[b->nmsg] = npfx;
	b->mend[b->nmsg++] = np + npfx;
}

static void
note_pid(uint32_t **v, uint32_t *n, uint32_t *cap, uint32_t pid)
{
	*v = grow(*v, *n, cap, sizeof(**v));
	(*v)[(*n)++] = pid;
}

/* ---------------------------------------------------------- composing */

static uint32_t
nlri_bytes(const struct rr_prefix *p, bool addpath)
{
	return 1u + (p->len + 7u) / 8u + (addpath ? 4u : 0u);
}

/* The UPDATE for prefixes pids[0..n) with set a (withdrawals when NULL)
 * on a session with this codec, in u (scratch from the world). */
static void
build_update(struct world *w, bool v6, bool ap, const struct rib_attrs *a,
             const uint32_t *pids, uint32_t n, struct bgp_update *u)
{
	struct bgp_attr *mp;
	uint32_t i, na = 0;

	for (i = 0; i < n; i++) {
		w->nlri_buf[i].path_id = ap ? 1 : 0;
		w->nlri_buf[i].prefix = w->pfx[pids[i]].p;
	}
	memset(u, 0, sizeof(*u));
	if (!v6 && a) {
		u->attrs = a->wire;
		u->nattrs = a->nwire;
		u->nlri = w->nlri_buf;
		u->nnlri = n;
		return;
	}
	if (!v6) {
		u->withdrawn = w->nlri_buf;
		u->nwithdrawn = n;
		return;
	}
	/* RFC 4760: IPv6 in MP_REACH_NLRI / MP_UNREACH_NLRI */
	if (a) {
		memcpy(w->attr_buf, a->wire, a->nwire * sizeof(*w->attr_buf));
		na = a->nwire;
	}
	mp = &w->attr_buf[na++];
	rib_attr_set(mp, BGP_ATTR_F_OPTIONAL,
	             a ? BGP_ATTR_MP_REACH : BGP_ATTR_MP_UNREACH, 0);
	mp->u.mp.afi = BGP_AFI_IPV6;
	mp->u.mp.safi = BGP_SAFI_UNICAST;
	if (a) {
		mp->u.mp.nh_len = 16;
		memcpy(mp->u.mp.nh, a->next_hop.b, 16);
	}
	mp->u.mp.nlri = w->nlri_buf;
	mp->u.mp.nnlri = n;
	u->attrs = w->attr_buf;
	u->nattrs = na;
}

/* NLRI (set id, or withdrawals when 0) into as few messages as fit, each
 * encoded with the session's codec and added to the batch. */
static void
encode_group(struct world *w, const struct fsm *f, bool v6, uint32_t id,
             const uint32_t *pids, uint32_t n, struct adjout_batch *b)
{
	bool ap = v6 ? f->tx.addpath_v6 : f->tx.addpath_v4;
	const struct rib_attrs *a = id ? rib_attrs_wire(w, id) : NULL;
	uint32_t room, used, i = 0, j;
	uint8_t tmp[BGP_MAX_LEN];

	room = BGP_MAX_LEN - BGP_HEADER_LEN - 4 - (a ? a->wire_len : 0) -
	       (v6 ? 10u + (id ? 17u : 0u) : 0u);
	while (i < n) {
		struct bgp_msg m;
		uint32_t nn = 0;
		long len;

		for (used = 0, j = i; j < n && nn < NLRI_MAX; j++) {
			uint32_t c = nlri_bytes(&w->pfx[pids[j]].p, ap);
			if (used + c > room)
				break;
			used += c;
			nn++;
		}
		memset(&m, 0, sizeof(m));
		m.type = BGP_MSG_UPDATE;
		build_update(w, v6, ap, a, pids + i, nn, &m.u.update);
		len = bgp_msg_encode(&m, &f->tx, tmp, sizeof(tmp));
		if (len <= 0)
			RR_BUG("sim: an UPDATE sized to fit does not encode");
		batch_msg(b, tmp, (size_t)len, pids + i, nn);
		i = j;
	}
}

/* The attributes log entry e leaves side si with, 0: not exported. */
static uint32_t
export_attrs(struct world *w, uint32_t si, const struct rib_logent *e)
{
	uint32_t k = w->side[si].pub.speaker, cls, out;

	uint32_t ia = e->ia;

	if (rib_export_policy(w, k, e->pid, e->src, e->ia, si) != RIB_OK)
		return 0;
	/* a Calico node's export filter may change the route first */
	if (w->spk[k].rib.calico)
		ia = bird_export_attrs(w, si, e->pid, e->src, ia);
	/* the peers of one class share the result */
	cls = class_of(w, si);
	out = cache_xf_get(w, k, ia, e->src, cls);
	if (!out) {
		out = rib_export_attrs(w, k, e->src, ia,
		                       &w->spk[k].out.classes[cls - 1]);
		cache_xf_put(w, k, ia, e->src, cls, out);
	}
	/* an outbound route-map's set clauses depend on the prefix too */
	if (w->side[si].pol_out)
		out = policy_export_sets(w, si, e->pid, e->src, e->ia, out);
	return out;
}

struct comp {
	uint32_t wd[BATCH_ENTRIES], ids[BATCH_ENTRIES], pids[BATCH_ENTRIES];
	uint32_t nwd, n;
};

/* Withdrawals, then one group per attribute set in the order met. */
static void
encode_batch(struct world *w, const struct fsm *f, bool v6,
             const struct comp *c, struct adjout_batch *b)
{
	uint32_t first[BATCH_ENTRIES], next[BATCH_ENTRIES], last[BATCH_ENTRIES];
	uint32_t gid[BATCH_ENTRIES], out[BATCH_ENTRIES], ng = 0, i, j;
	uint16_t tab[BATCH_ENTRIES * 2]; /* set id -> group + 1 */
	uint32_t mask = BATCH_ENTRIES * 2 - 1, t;

	if (c->nwd)
		encode_group(w, f, v6, 0, c->wd, c->nwd, b);
	memset(tab, 0, sizeof(tab));
	for (i = 0; i < c->n; i++) {
		for (t = rib_mix32(c->ids[i]) & mask; tab[t]; t = (t + 1) & mask)
			if (gid[tab[t] - 1] == c->ids[i])
				break;
		if (!tab[t]) {
			tab[t] = (uint16_t)(ng + 1);
			gid[ng] = c->ids[i];
			first[ng++] = i;
		} else {
			next[last[tab[t] - 1]] = i;
		}
		last[tab[t] - 1] = i;
		next[i] = UINT32_MAX;
	}
	for (j = 0; j < ng; j++) {
		uint32_t k = 0;
		for (i = first[j]; i != UINT32_MAX; i = next[i])
			out[k++] = c->pids[i];
		encode_group(w, f, v6, gid[j], out, k, b);
	}
}

/*
 * Compose log range [a, b) for side si into batch bt, updating the side's
 * advertised bits; with record, also what a template keeps.
 */
static void
compose(struct world *w, uint32_t si, const struct fsm *f, uint32_t a,
        uint32_t b, struct adjout_batch *bt, bool record)
{
	struct wside *s = &w->side[si];
	const struct adjout_spk *r = &w->spk[s->pub.speaker].out;
	struct comp c;
	uint32_t i;

	batch_reset(bt);
	bt->version = r->version;
	c.nwd = c.n = 0;
	for (i = a; i < b; i++) {
		const struct rib_logent *e = &r->log[i];
		uint32_t pid = e->pid, out;
		if (e->stale)
			continue; /* a later entry stands for it */
		out = export_attrs(w, si, e);
		if (!out) {
			bool had = adv_get(&s->out, pid);
			if (record) {
				note_pid(&bt->cand, &bt->ncand, &bt->capcand,
				         pid);
				bt->cand_adv = rr_xrealloc(bt->cand_adv,
				                           bt->capcand);
				bt->cand_adv[bt->ncand - 1] = had;
			}
			if (had) {
				c.wd[c.nwd++] = pid;
				adv_set(&s->out, pid, false);
				if (record)
					note_pid(&bt->off, &bt->noff,
					         &bt->capoff, pid);
			}
			continue;
		}
		c.ids[c.n] = out;
		c.pids[c.n++] = pid;
		adv_set(&s->out, pid, true);
		if (record)
			note_pid(&bt->on, &bt->non, &bt->capon, pid);
	}
	encode_batch(w, f, s->pub.ipv6, &c, bt);
}

/* ---------------------------------------------------------- templates */

/* Would side si compose template t for log range [a, b) the same? */
static bool
tmpl_fits(const struct world *w, uint32_t si, const struct adjout_batch *t,
          uint32_t a, uint32_t b)
{
	const struct wside *s = &w->side[si];
	const struct adjout_spk *r = &w->spk[s->pub.speaker].out;
	uint32_t i;

	for (i = a; i < b; i++)
		if (r->log[i].gen > t->version ||
		    (!r->log[i].stale && r->log[i].src == si))
			return false;
	for (i = 0; i < t->ncand; i++)
		if (adv_get(&s->out, t->cand[i]) != t->cand_adv[i])
			return false;
	return true;
}

/* Side si sends template t: its advertised bits follow. */
static void
tmpl_take(struct world *w, uint32_t si, const struct adjout_batch *t)
{
	struct adjout_side *o = &w->side[si].out;
	uint32_t i;

	for (i = 0; i < t->non; i++)
		adv_set(o, t->on[i], true);
	for (i = 0; i < t->noff; i++)
		adv_set(o, t->off[i], false);
}

/* Is pid among the n in v? */
static bool
among(const uint32_t *v, uint32_t n, uint32_t pid)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (v[i] == pid)
			return true;
	return false;
}

/*
 * Side si's batch for log range [a, b) from template t, when it differs
 * from t only by routes that came from si (never sent back to their
 * source), which si never advertised and which stand alone in their
 * messages: t's messages but those, as compose() would make them.  False
 * when it must compose.
 */
static bool
derive(struct world *w, uint32_t si, const struct adjout_batch *t, uint32_t a,
       uint32_t b)
{
	struct wside *s = &w->side[si];
	const struct adjout_spk *r = &w->spk[s->pub.speaker].out;
	struct adjout_batch *own = &s->out.own;
	uint32_t exc[BATCH_ENTRIES], nexc = 0, i, m, np = 0;

	for (i = a; i < b; i++) {
		const struct rib_logent *e = &r->log[i];
		if (e->gen > t->version)
			return false;
		if (!e->stale && e->src == si) {
			if (adv_get(&s->out, e->pid))
				return false; /* would withdraw it */
			exc[nexc++] = e->pid;
		}
	}
	for (i = 0; i < t->ncand; i++)
		if (adv_get(&s->out, t->cand[i]) != t->cand_adv[i] ||
		    among(exc, nexc, t->cand[i]))
			return false;
	batch_reset(own);
	for (m = 0; m < t->nmsg; np = t->mend[m++]) {
		uint32_t k = 0, o = m ? t->end[m - 1] : 0;
		for (i = np; i < t->mend[m]; i++)
			k += among(exc, nexc, t->mpids[i]);
		if (k == t->mend[m] - np)
			continue; /* routes of its own only: not sent */
		if (k) {
			batch_reset(own);
			return false;
		}
		batch_msg(own, t->bytes + o, t->end[m] - o, t->mpids + np,
		          t->npfx[m]);
	}
	own->version = t->version;
	for (i = 0; i < t->non; i++)
		if (!among(exc, nexc, t->on[i]))
			adv_set(&s->out, t->on[i], true);
	for (i = 0; i < t->noff; i++)
		adv_set(&s->out, t->off[i], false);
	return true;
}

/* No route of the range came from side si. */
static bool
generic(const struct world *w, uint32_t si, uint32_t a, uint32_t b)
{
	const struct adjout_spk *r = &w->spk[w->side[si].pub.speaker].out;
	uint32_t i;

	for (i = a; i < b; i++)
		if (!r->log[i].stale && r->log[i].src == si)
			return false;
	return true;
}

/*
 * The next batch of side si: log entries from its cursor to the next
 * multiple of BATCH_ENTRIES or the end of the log.  False when the log
 * is all sent.
 */
static bool
next_batch(struct world *w, uint32_t si, const struct fsm *f)
{
	struct wside *s = &w->side[si];
	uint32_t k = s->pub.speaker;
	const struct adjout_spk *r = &w->spk[k].out;
	uint32_t a = s->out.cursor, b, grp;
	struct adjout_batch *t;

	if (a >= r->nlog)
		return false;
	b = (a / BATCH_ENTRIES + 1) * BATCH_ENTRIES;
	if (b > r->nlog)
		b = r->nlog;
	s->out.cursor = b;
	s->out.next = 0;
	if (s->pol_out) {
		/* its own route policy: its own batches */
		compose(w, si, f, a, b, &s->out.own, false);
		s->out.cur = &s->out.own;
		return true;
	}
	grp = group_of(w, si, f);
	t = cache_tmpl_get(w, k, grp, r->epoch, a, b);
	if (t && tmpl_fits(w, si, t, a, b)) {
		tmpl_take(w, si, t);
		s->out.cur = t;
		return true;
	}
	if (!t && generic(w, si, a, b)) {
		compose(w, si, f, a, b, &s->out.own, true);
		t = cache_tmpl_put(w, k, grp, r->epoch, a, b, &s->out.own);
		if (t) {
			s->out.cur = t;
			return true;
		}
	} else if (!t || !derive(w, si, t, a, b)) {
		compose(w, si, f, a, b, &s->out.own, false);
	}
	s->out.cur = &s->out.own;
	return true;
}

/* ------------------------------------------------------------ sending */

void
adjout_export_side(struct world *w, uint32_t si)
{
	struct wside *s = &w->side[si];

	for (;;) {
		struct fsm *f = session_fsm(w, si);
		struct adjout_batch *bt = s->out.cur;
		uint32_t room, j, sent;
		if (!f || !(room = session_room(w, si)))
			return;
		if (!bt || s->out.next == bt->nmsg) {
			/* a side's own batch goes once sent: most sides
			 * compose few, and thousands of them are up */
			if (bt == &s->out.own)
				adjout_batch_free(&s->out.own);
			s->out.cur = NULL;
			if (!next_batch(w, si, f))
				return;
			continue;
		}
		/* whole messages while the window has room */
		for (j = s->out.next, sent = 0; j < bt->nmsg && sent < room;
		     j++)
			sent += bt->end[j] - (j ? bt->end[j - 1] : 0);
		if (!session_send_batch(w, si, bt, bt != &s->out.own,
		                        s->out.next, j - s->out.next))
			return;
		s->out.next = j;
	}
}

void
adjout_side_up(struct world *w, uint32_t si)
{
	struct wside *s = &w->side[si];

	s->out.cursor = 0;
	s->out.grp = 0;
	s->out.cur = NULL;
	s->out.next = 0;
	if (s->out.adv)
		memset(s->out.adv, 0, s->out.nadv * sizeof(uint64_t));
	adjout_queue_side(w, si);
}

void
adjout_side_down(struct world *w, uint32_t si)
{
	struct wside *s = &w->side[si];

	free(s->out.adv);
	s->out.adv = NULL;
	s->out.nadv = 0;
	s->out.cursor = 0;
	s->out.grp = 0;
	s->out.cur = NULL;
	s->out.next = 0;
	adjout_batch_free(&s->out.own);
}

/* ------------------------------------------------------------ queueing */

void
adjout_queue_speaker(struct world *w, uint32_t k)
{
	if (w->spk[k].export_queued)
		return;
	w->spk[k].export_queued = true;
	sched_push(&w->sched, w->sched.now, SEV_EXPORT, k, 0, 0);
}

void
adjout_queue_side(struct world *w, uint32_t si)
{
	struct wside *sd = &w->side[si];

	if (sd->out.pending || w->spk[sd->pub.speaker].export_queued)
		return;
	sd->out.pending = true;
	w->pend = grow(w->pend, w->npend, &w->cappend, sizeof(*w->pend));
	w->pend[w->npend++] = si;
	if (!w->pend_queued) {
		w->pend_queued = true;
		sched_push(&w->sched, w->sched.now, SEV_EXPORT, SIM_NONE, 0, 0);
	}
}

/* An SEV_EXPORT event: every side of speaker k, or (SIM_NONE) the sides
 * queued on their own; sides queued while this runs get an event of their
 * own. */
void
adjout_run(struct world *w, uint32_t k)
{
	uint32_t i;

	if (k != SIM_NONE) {
		const struct wspk *sp = &w->spk[k];
		w->spk[k].export_queued = false;
		if (world_failed(w, k))
			return;
		for (i = 0; i < sp->pub.nsessions; i++)
			adjout_export_side(w, sp->pub.first_session + i);
		return;
	}
	w->pend_queued = false;
	for (i = 0; i < w->npend; i++) {
		uint32_t si = w->pend[i];
		w->side[si].out.pending = false;
		if (!world_failed(w, w->side[si].pub.speaker))
			adjout_export_side(w, si);
	}
	w->npend = 0;
}

void
adjout_release(struct world *w)
{
	uint32_t k, i;

	for (i = 0; i < w->nside; i++) {
		free(w->side[i].out.adv);
		adjout_batch_free(&w->side[i].out.own);
	}
	for (k = 0; k < w->nspk; k++) {
		struct adjout_spk *r = &w->spk[k].out;
		free(r->log);
		rib_map_release(&r->logpos);
		free(r->classes);
		free(r->groups);
	}
	free(w->pend);
}
