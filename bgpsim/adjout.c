/*
 * Adj-RIB-Out and update building (RFC 4271 9.2): each speaker keeps a log
 * of the prefixes whose exportable best path changed; each side walks it
 * from its cursor while its connection has room (a TCP window), applies
 * the export policy of rib.c, and sends what changed: withdrawals first,
 * then one UPDATE per attribute set, as many prefixes per message as fit
 * in 4096 bytes.  A bit per prefix says what the side advertised, hence
 * what to withdraw.  IPv6 goes in MP_REACH/MP_UNREACH (RFC 4760); with
 * ADD-PATH negotiated the best path goes with path id 1 (RFC 7911).
 *
 * Update groups (as IOS and FRR have them): sides of a speaker that export
 * alike form a destination class, and the attributes a route leaves with
 * are worked out once per class (cache_xf_*); an UPDATE that goes to many
 * peers with the same codec is encoded once (cache_encoded*) and the bytes
 * go to each through its state machine.
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

#define EXPORT_BATCH 256
#define NLRI_MAX     1100

static uint32_t
mix32(uint32_t k)
{
	k *= 0x9e3779b1u;
	return k ^ (k >> 15);
}

/* --------------------------------------------------- classes */

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
	c.cluster_id = d->cluster_id;
	c.local_as = d->cfg.local_as;
	if (!calico && !c.ibgp && d->pub.nb && d->pub.nb->as_override.set &&
	    d->pub.nb->as_override.v)
		c.override_as = d->cfg.remote_as;
	c.local = d->pub.local;
	for (i = 0; i < r->nclasses; i++)
		if (!memcmp(&r->classes[i], &c, sizeof(c)))
			break;
	if (i == r->nclasses) {
		if (r->nclasses == r->capclasses) {
			r->capclasses = r->capclasses ? r->capclasses * 2 : 4;
			r->classes = rr_xrealloc(r->classes,
			                         r->capclasses * sizeof(c));
		}
		memset(&r->classes[i], 0, sizeof(c));
		r->classes[i] = c;
		r->nclasses++;
	}
	d->out.cls = i + 1;
	return i + 1;
}

/* ------------------------------------------------------- the log */

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
		}
		return;
	}
	if (!pos)
		r->nvalid++;
	else
		r->log[pos - 1].stale = true;
	if (pos && r->nlog > 1024 && r->nlog > 2 * r->nvalid)
		log_compact(w, k);
	if (r->nlog == r->caplog) {
		r->caplog = r->caplog ? r->caplog * 2 : 16;
		r->log = rr_xrealloc(r->log, r->caplog * sizeof(*r->log));
	}
	e = &r->log[r->nlog++];
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->src = src;
	e->ia = ia;
	rib_map_set(w, &r->logpos, pid, r->nlog);
}

/* The best path of pid at speaker k changed: a new log entry when it is
 * (or was) exportable somewhere, else the standing entry follows. */
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

/* ------------------------------------------------------- sending */

void
adjout_side_up(struct world *w, uint32_t si)
{
	struct wside *s = &w->side[si];

	s->out.cursor = 0;
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
}

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

/* Send NLRI (set id, or withdrawals when 0) in as few messages as fit;
 * false when the session went away. */
static bool
send_group(struct world *w, uint32_t si, uint32_t id, const uint32_t *pids,
           uint32_t n)
{
	struct wside *s = &w->side[si];
	struct fsm *f = session_fsm(w, si);
	bool v6 = s->pub.ipv6, ap;
	const struct rib_attrs *a = id ? rib_attrs_wire(w, id) : NULL;
	uint32_t room, used, i = 0, j;
	uint8_t kind, tmp[BGP_MAX_LEN];

	if (!f)
		return false;
	ap = v6 ? f->tx.addpath_v6 : f->tx.addpath_v4;
	kind = (uint8_t)((v6 ? 1u : 0u) | (ap ? 2u : 0u) |
	                 (f->tx.as4 ? 4u : 0u) | (f->tx.ext_msg ? 8u : 0u));
	room = BGP_MAX_LEN - BGP_HEADER_LEN - 4 - (a ? a->wire_len : 0) -
	       (v6 ? 10u + (id ? 17u : 0u) : 0u);
	while (i < n) {
		const struct cache_enc *e;
		struct bgp_update u;
		uint32_t nn = 0;
		size_t len;

		for (used = 0, j = i; j < n && nn < NLRI_MAX; j++) {
			uint32_t b = nlri_bytes(&w->pfx[pids[j]].p, ap);
			if (used + b > room)
				break;
			used += b;
			nn++;
		}
		/* the same message to another peer of the update group: the
		 * bytes encoded for the first */
		e = cache_encoded(w, id, kind, pids + i, nn);
		if (e) {
			if (!session_send_encoded(w, si, e->bytes, e->len))
				return false;
		} else {
			build_update(w, v6, ap, a, pids + i, nn, &u);
			if (!session_send_update(w, si, &u, tmp, sizeof(tmp),
			                         &len))
				return false; /* cannot happen: sized to fit */
			if (len)
				cache_encoded_put(w, id, kind, pids + i, nn, tmp,
				                  len);
		}
		w->stats.prefixes_sent += nn;
		i = j;
	}
	return true;
}

struct grp {
	uint32_t id, first, last, n;
};

/* Send the batch: withdrawals, then one group per attribute set. */
static void
flush(struct world *w, uint32_t si, const uint32_t *wd, uint32_t nwd,
      const uint32_t *ids, const uint32_t *pids, uint32_t n)
{
	struct grp g[EXPORT_BATCH];
	uint32_t next[EXPORT_BATCH], ng = 0, i, j, out[EXPORT_BATCH];
	/* set id -> group + 1, open addressing */
	uint16_t tab[EXPORT_BATCH * 2];
	uint32_t mask = EXPORT_BATCH * 2 - 1, t;

	if (nwd && !send_group(w, si, 0, wd, nwd))
		return;
	memset(tab, 0, sizeof(tab));
	for (i = 0; i < n; i++) {
		for (t = mix32(ids[i]) & mask; tab[t]; t = (t + 1) & mask)
			if (g[tab[t] - 1].id == ids[i])
				break;
		j = tab[t] ? tab[t] - 1u : UINT32_MAX;
		if (j == UINT32_MAX) {
			tab[t] = (uint16_t)(ng + 1);
			j = ng++;
			g[j].id = ids[i];
			g[j].first = i;
			g[j].n = 0;
		} else {
			next[g[j].last] = i;
		}
		g[j].last = i;
		g[j].n++;
		next[i] = UINT32_MAX;
	}
	for (j = 0; j < ng; j++) {
		uint32_t k = 0;
		for (i = g[j].first; i != UINT32_MAX; i = next[i])
			out[k++] = pids[i];
		if (!send_group(w, si, g[j].id, out, k))
			return;
	}
}

/* The attributes log entry e leaves side si with, 0: not exported. */
static uint32_t
export_attrs(struct world *w, uint32_t si, const struct rib_logent *e)
{
	uint32_t k = w->side[si].pub.speaker, cls, out;

	if (rib_export_policy(w, k, e->pid, e->src, e->ia, si) != RIB_OK)
		return 0;
	/* the peers of one class share the result */
	cls = class_of(w, si);
	out = cache_xf_get(w, k, e->ia, e->src, cls);
	if (!out) {
		out = rib_export_attrs(w, k, e->src, e->ia,
		                       &w->spk[k].out.classes[cls - 1]);
		cache_xf_put(w, k, e->ia, e->src, cls, out);
	}
	/* an outbound route-map's set clauses depend on the prefix too */
	if (w->side[si].pol_out)
		out = policy_export_sets(w, si, e->pid, e->src, e->ia, out);
	return out;
}

void
adjout_export_side(struct world *w, uint32_t si)
{
	struct wside *s = &w->side[si];
	struct adjout_spk *r = &w->spk[s->pub.speaker].out;

	if (!session_fsm(w, si))
		return;
	for (;;) {
		uint32_t wd[EXPORT_BATCH], ids[EXPORT_BATCH],
		        pids[EXPORT_BATCH];
		uint32_t nwd = 0, n = 0, seen = 0, last = 0;
		uint32_t room = session_room(w, si), est = 0;
		if (s->out.cursor >= r->nlog || !room)
			break;
		/* a batch about as large as the window has room for */
		while (s->out.cursor < r->nlog && seen < EXPORT_BATCH &&
		       est < room) {
			const struct rib_logent *e = &r->log[s->out.cursor++];
			uint32_t pid = e->pid, out;
			if (e->stale)
				continue; /* a later entry stands for it */
			seen++;
			out = export_attrs(w, si, e);
			if (!out) {
				if (adv_get(&s->out, pid)) {
					est += nwd ? 5 : BGP_HEADER_LEN + 9;
					wd[nwd++] = pid;
					adv_set(&s->out, pid, false);
				}
				continue;
			}
			if (out != last)
				est += BGP_HEADER_LEN + 4 +
				       rib_attrs_wire(w, out)->wire_len;
			last = out;
			est += 5u + (s->pub.ipv6 ? 12u : 0u);
			ids[n] = out;
			pids[n++] = pid;
			adv_set(&s->out, pid, true);
		}
		flush(w, si, wd, nwd, ids, pids, n);
	}
}

/* ------------------------------------------------------ queueing */

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
	if (w->npend == w->cappend) {
		w->cappend = w->cappend ? w->cappend * 2 : 64;
		w->pend = rr_xrealloc(w->pend, w->cappend * sizeof(*w->pend));
	}
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

	for (i = 0; i < w->nside; i++)
		free(w->side[i].out.adv);
	for (k = 0; k < w->nspk; k++) {
		struct adjout_spk *r = &w->spk[k].out;
		free(r->log);
		rib_map_release(&r->logpos);
		free(r->classes);
	}
	free(w->pend);
}
