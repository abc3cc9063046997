/*
 * IOS route policy on the simulated router's sessions: `neighbor X
 * filter-list`, `prefix-list` and `route-map` in and out, and `neighbor X
 * weight` (Cisco IOS IP Routing: BGP Command Reference).  The lists and
 * route-maps are the model's, evaluated by model/policy.c as IOS
 * evaluates them; this file feeds them a route's facts and applies what a
 * permitting route-map entry sets.
 *
 * Inbound, per prefix: filter-list, prefix-list, then route-map (a deny
 * drops the route); the neighbor's weight, then the entry's set clauses
 * (local-preference, weight, metric, next hop, community, comm-list
 * delete, as-path prepend, origin).  Outbound: the same filters decide
 * whether a route leaves (on the route as the router holds it), then the
 * set clauses change it on the way out; as IOS does, they do not apply to
 * routes reflected to iBGP peers (RFC 4456 reflection keeps attributes).
 * A clause rrkit does not evaluate (an ACL, `continue`, an undefined
 * as-path or community list) lets the route through, and world build
 * says so once per clause with its location: never a silent guess.
 */
#include "bgpsim/simpriv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The AS_PATH as IOS prints it for regular expressions: "1 2 {3,4}",
 * confederation segments in parentheses / brackets, "" when empty. */
static const char *
aspath_text(const struct rib_attrs *a, char *buf, size_t cap)
{
	size_t o = 0;
	uint32_t i = 0, j;

	buf[0] = '\0';
	while (i + 1 < a->nsegs_words && o + 16 < cap) {
		uint32_t type = a->segs[i], n = a->segs[i + 1];
		bool set = type == BGP_SEG_SET || type == BGP_SEG_CONFED_SET;
		const char *open = type == BGP_SEG_SET            ? "{"
		                   : type == BGP_SEG_CONFED_SEQUENCE ? "("
		                   : type == BGP_SEG_CONFED_SET      ? "["
		                                                     : "";
		const char *close = type == BGP_SEG_SET            ? "}"
		                    : type == BGP_SEG_CONFED_SEQUENCE ? ")"
		                    : type == BGP_SEG_CONFED_SET      ? "]"
		                                                      : "";
		int k = snprintf(buf + o, cap - o, "%s%s", o ? " " : "", open);
		o += k > 0 ? (size_t)k : 0;
		for (j = 0; j < n && i + 2 + j < a->nsegs_words && o + 16 < cap;
		     j++) {
			k = snprintf(buf + o, cap - o, "%s%u",
			             j ? (set ? "," : " ") : "",
			             (unsigned)a->segs[i + 2 + j]);
			o += k > 0 ? (size_t)k : 0;
		}
		k = snprintf(buf + o, cap - o, "%s", close);
		o += k > 0 ? (size_t)k : 0;
		i += 2 + n;
	}
	return buf;
}

static const char *
name_of(const struct rr_opt_str *o)
{
	return o->set ? o->v : NULL;
}

/* The lists of one direction. */
struct dir {
	const char *fl, *pl, *rm;
};

static struct dir
dir_of(const struct rr_neighbor *n, bool in)
{
	struct dir d;

	d.fl = name_of(in ? &rr_nb_rare(n)->filter_list_in
	                  : &rr_nb_rare(n)->filter_list_out);
	d.pl = name_of(in ? &rr_nb_rare(n)->prefix_list_in
	                  : &rr_nb_rare(n)->prefix_list_out);
	d.rm = name_of(in ? &rr_nb_rare(n)->route_map_in
	                  : &rr_nb_rare(n)->route_map_out);
	return d;
}

bool
policy_sends_comms(const struct world *w, const struct wside *s)
{
	const struct rr_neighbor *n = s->pub.nb;

	if (!n || w->spk[s->pub.speaker].bird)
		return true;
	return n->send_community.set && n->send_community.v &&
	       strcmp(n->send_community.v, "extended") != 0;
}

bool
policy_side_has(const struct world *w, const struct wside *s, bool in)
{
	const struct rr_neighbor *n = s->pub.nb;
	struct dir d;

	if (!n || w->spk[s->pub.speaker].bird)
		return false;
	d = dir_of(n, in);
	return d.fl || d.pl || d.rm || (in && rr_nb_rare(n)->weight.set);
}

/* Filters and route-map of one direction: PERMIT with the route-map's
 * actions in *act (act->entry NULL: no route-map), or DENY. */
static enum rr_policy_verdict
decide(const struct world *w, const struct wside *s, bool in, uint32_t pid,
       const struct rib_attrs *a, struct rr_rm_actions *act)
{
	const struct rr_speaker *spk = w->spk[s->pub.speaker].pub.spk;
	struct dir d = dir_of(s->pub.nb, in);
	struct rr_route_facts r;
	char path[1024];

	memset(act, 0, sizeof(*act));
	memset(&r, 0, sizeof(r));
	r.prefix = *rib_prefix(w, pid);
	r.aspath = aspath_text(a, path, sizeof(path));
	r.comms = a->comms;
	r.ncomms = a->ncomm;
	if (d.fl && rr_aspath_list_eval(rr_aspath_list_find(spk, d.fl),
	                                r.aspath) == RR_POLICY_DENY)
		return RR_POLICY_DENY;
	if (d.pl &&
	    rr_prefix_list_eval(rr_prefix_list_find(spk, d.pl,
	                                            r.prefix.addr.af),
	                        &r.prefix) == RR_POLICY_DENY)
		return RR_POLICY_DENY;
	if (d.rm &&
	    rr_route_map_eval(spk, rr_route_map_find(spk, d.rm), &r, act) ==
	            RR_POLICY_DENY)
		return RR_POLICY_DENY;
	return RR_POLICY_PERMIT;
}

bool
policy_export_ok(const struct world *w, uint32_t di, uint32_t pid,
                 uint32_t ia)
{
	struct rr_rm_actions act;

	return decide(w, &w->side[di], false, pid, rib_attrs(w, ia), &act) !=
	       RR_POLICY_DENY;
}

/* ------------------------------------------------------- set clauses */

struct scratch {
	uint32_t comms[256];
	uint32_t segs[256 + 32];
};

static void
set_comms(const struct rr_speaker *spk, const struct rr_rm_actions *act,
          struct rib_attrs *a, struct scratch *b)
{
	const struct rr_rm_set *st = act->v[RR_RM_SET_COMMUNITY];
	const struct rr_rm_set *del = act->v[RR_RM_SET_COMM_DELETE];
	uint32_t n = 0, i, j;

	if (st && !st->additive)
		a->ncomm = 0;
	for (i = 0; i < a->ncomm && n < 256; i++)
		b->comms[n++] = a->comms[i];
	for (i = 0; st && i < st->nlist && n < 256; i++) {
		for (j = 0; j < n && b->comms[j] != st->list[i]; j++)
			;
		if (j == n)
			b->comms[n++] = st->list[i];
	}
	if (del) {
		const struct rr_community_list *l =
		        rr_community_list_find(spk, del->name);
		uint32_t o = 0;
		for (i = 0; i < n; i++)
			if (!l || rr_community_list_eval(l, &b->comms[i], 1,
			                                 spk->community_new_format) !=
			                  RR_POLICY_PERMIT)
				b->comms[o++] = b->comms[i];
		n = o;
	}
	a->comms = b->comms;
	a->ncomm = n;
}

/* set as-path prepend A...: inbound in front of the path; outbound after
 * the router's own AS, which it puts first (at = 1 word past it). */
static void
prepend(const struct rr_rm_set *st, struct rib_attrs *a, bool after_own,
        struct scratch *b)
{
	uint32_t n = 0, first = 0, i, add = (uint32_t)st->nlist;

	if (st->last_as || !add || a->nsegs_words + add + 2 > 256 + 32)
		return;
	if (a->nsegs_words >= 2 && a->segs[0] == BGP_SEG_SEQUENCE &&
	    a->segs[1] + add < 255) {
		b->segs[n++] = BGP_SEG_SEQUENCE;
		b->segs[n++] = a->segs[1] + add;
		if (after_own && a->segs[1]) {
			b->segs[n++] = a->segs[2];
			first = 1;
		}
		for (i = 0; i < add; i++)
			b->segs[n++] = st->list[i];
		memcpy(b->segs + n, a->segs + 2 + first,
		       (a->nsegs_words - 2 - first) * sizeof(uint32_t));
		n += a->nsegs_words - 2 - first;
	} else {
		b->segs[n++] = BGP_SEG_SEQUENCE;
		b->segs[n++] = add;
		for (i = 0; i < add; i++)
			b->segs[n++] = st->list[i];
		if (a->nsegs_words)
			memcpy(b->segs + n, a->segs,
			       a->nsegs_words * sizeof(uint32_t));
		n += a->nsegs_words;
	}
	a->segs = b->segs;
	a->nsegs_words = n;
}

static void
set_metric(const struct rr_rm_set *st, struct rib_attrs *a)
{
	uint32_t m = a->has_med ? a->med : 0;

	if (st->delta > 0)
		m = m > UINT32_MAX - st->v ? UINT32_MAX : m + st->v;
	else if (st->delta < 0)
		m = m < st->v ? 0 : m - st->v;
	else
		m = st->v;
	a->has_med = true;
	a->med = m;
}

/* Apply act to a copy of attributes a on side s; `in`: received routes
 * (the peer is the next hop of peer-address), else sent ones. */
static void
apply(const struct world *w, const struct wside *s, bool in,
      const struct rr_rm_actions *act, struct rib_attrs *a,
      struct scratch *b)
{
	const struct rr_speaker *spk = w->spk[s->pub.speaker].pub.spk;
	const struct rr_rm_set *const *v = act->v;

	if (v[RR_RM_SET_LOCAL_PREF] && (in || s->pub.ibgp)) {
		a->has_lp = true;
		a->local_pref = v[RR_RM_SET_LOCAL_PREF]->v;
	}
	if (v[RR_RM_SET_WEIGHT] && in)
		a->weight = v[RR_RM_SET_WEIGHT]->v;
	if (v[RR_RM_SET_METRIC])
		set_metric(v[RR_RM_SET_METRIC], a);
	if (v[RR_RM_SET_NEXT_HOP])
		a->next_hop = v[RR_RM_SET_NEXT_HOP]->nh;
	if (v[RR_RM_SET_NEXT_HOP_PEER])
		a->next_hop = in ? s->pub.peer : s->pub.local;
	if (v[RR_RM_SET_NEXT_HOP_SELF] && !in)
		a->next_hop = s->pub.local;
	if (v[RR_RM_SET_COMMUNITY] || v[RR_RM_SET_COMM_DELETE])
		set_comms(spk, act, a, b);
	if (v[RR_RM_SET_PREPEND])
		prepend(v[RR_RM_SET_PREPEND], a, !in && !s->pub.ibgp, b);
	if (v[RR_RM_SET_ORIGIN])
		a->origin = (uint8_t)v[RR_RM_SET_ORIGIN]->v;
}

uint32_t
policy_import(struct world *w, uint32_t si, uint32_t pid, uint32_t ia)
{
	const struct wside *s = &w->side[si];
	struct rr_rm_actions act;
	struct rib_attrs a;
	struct scratch b;

	if (!ia)
		return 0;
	a = *rib_attrs(w, ia);
	if (decide(w, s, true, pid, &a, &act) == RR_POLICY_DENY)
		return 0;
	if (rr_nb_rare(s->pub.nb)->weight.set)
		a.weight = rr_nb_rare(s->pub.nb)->weight.v;
	apply(w, s, true, &act, &a, &b);
	a.wire = NULL;
	return rib_attrs_intern(w, &a);
}

uint32_t
policy_export_sets(struct world *w, uint32_t di, uint32_t pid, uint32_t src,
                   uint32_t ia, uint32_t out)
{
	const struct wside *d = &w->side[di];
	struct rr_rm_actions act;
	struct rib_attrs a;
	struct scratch b;

	if (!out || !rr_nb_rare(d->pub.nb)->route_map_out.set)
		return out;
	/* reflected routes keep their attributes (IOS ignores outbound set
	 * clauses toward iBGP peers for them) */
	if (src < w->nside && w->side[src].pub.ibgp && d->pub.ibgp)
		return out;
	if (decide(w, d, false, pid, rib_attrs(w, ia), &act) ==
	            RR_POLICY_DENY ||
	    !act.entry || !act.entry->nsets)
		return out;
	a = *rib_attrs(w, out);
	apply(w, d, false, &act, &a, &b);
	if (!policy_sends_comms(w, d)) {
		/* a set community goes nowhere without send-community */
		a.ncomm = 0;
		a.comms = NULL;
	}
	a.wire = NULL;
	return rib_attrs_intern(w, &a);
}

/* -------------------------------------------------- what is not read */

static void say_once(struct rr_diags *d, const struct rr_loc *at,
                     const char *fmt, ...) RR_PRINTF(3, 4);

/* A note at `at`, once (many neighbors share a route-map). */
static void
say_once(struct rr_diags *d, const struct rr_loc *at, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].sev == RR_SEV_NOTE && d->v[i].loc.file == at->file &&
		    d->v[i].loc.line == at->line && d->v[i].loc.col == at->col)
			return;
	va_start(ap, fmt);
	rr_diag_vadd(d, RR_SEV_NOTE, NULL, at, fmt, ap);
	va_end(ap);
}

static void
check_map(const struct rr_speaker *spk, const struct rr_route_map *rm,
          struct rr_diags *d)
{
	size_t i, k, j;

	for (i = 0; i < rm->n; i++) {
		const struct rr_rm_entry *e = &rm->v[i];
		for (k = 0; k < e->nmatches; k++) {
			const struct rr_rm_match *m = &e->matches[k];
			bool undefined = false;
			for (j = 0; j < m->nnames; j++)
				undefined |=
				        (m->kind == RR_RM_MATCH_AS_PATH &&
				         !rr_aspath_list_find(spk, m->names[j])) ||
				        (m->kind == RR_RM_MATCH_COMMUNITY &&
				         !rr_community_list_find(spk,
				                                 m->names[j]));
			if (m->kind == RR_RM_MATCH_OTHER || undefined)
				say_once(d, &m->at,
				         "route-map %s: 'match %s' is not "
				         "simulated: sim lets a route it could "
				         "decide through, without set clauses",
				         rm->name, m->text);
		}
		for (k = 0; k < e->nsets; k++)
			if (e->sets[k].kind == RR_RM_SET_OTHER ||
			    (e->sets[k].kind == RR_RM_SET_PREPEND &&
			     e->sets[k].last_as))
				say_once(d, &e->sets[k].at,
				         "route-map %s: 'set %s' is not "
				         "simulated",
				         rm->name, e->sets[k].text);
		if (e->has_continue)
			say_once(d, &e->at,
			         "route-map %s: 'continue' is not simulated: "
			         "sim lets the route through without set "
			         "clauses",
			         rm->name);
	}
}

/* Does route-map `name` of spk set a MED (`set metric`)? */
static bool
map_sets_med(const struct rr_speaker *spk, const struct rr_opt_str *name)
{
	const struct rr_route_map *rm =
	        name->set ? rr_route_map_find(spk, name->v) : NULL;
	size_t i, k;

	for (i = 0; rm && i < rm->n; i++)
		for (k = 0; k < rm->v[i].nsets; k++)
			if (rm->v[i].sets[k].kind == RR_RM_SET_METRIC)
				return true;
	return false;
}

/*
 * Without `bgp deterministic-med` IOS compares a prefix's paths newest
 * first, pair by pair, and MEDs only between paths of one neighbouring AS:
 * with paths from several ASes and MEDs that differ inside one AS, the
 * winner depends on the order the paths arrived in (Cisco IOS IP Routing:
 * BGP Command Reference, "bgp deterministic-med").  sim compares each new
 * path with the best so far, which is not that order: a note at `router
 * bgp` where it can matter -- sessions from two neighbouring ASes or
 * more, two from one of them, and a MED that can differ: a peer that is
 * not a Calico node (a router may send one) or an inbound `set metric`.
 */
static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
med_order_check(const struct world *w, uint32_t k, struct rr_diags *d)
{
	const struct wspk *sp = &w->spk[k];
	const struct rr_speaker *spk = sp->pub.spk;
	uint32_t *as, *mas, n = 0, nm = 0, nas = 0, i;
	bool shared = false;

	if (sp->bird || !spk->bgp_configured || sp->pub.nsessions < 2 ||
	    (spk->deterministic_med.set && spk->deterministic_med.v) ||
	    (spk->bestpath_always_compare_med.set &&
	     spk->bestpath_always_compare_med.v))
		return;
	as = rr_xcalloc(2 * (size_t)sp->pub.nsessions, sizeof(*as));
	mas = as + sp->pub.nsessions;
	for (i = 0; i < sp->pub.nsessions; i++) {
		const struct wside *s = &w->side[sp->pub.first_session + i];
		uint32_t ra = s->pub.ibgp ? 0 : s->cfg.remote_as;
		if (!s->pub.enabled)
			continue;
		as[n++] = ra;
		/* a session that can bring a MED: a peer that is not a
		 * Calico node (whose BIRD exports its blocks without one),
		 * or an inbound `set metric` */
		if (s->pub.peer_speaker == SIM_NONE ||
		    !w->spk[s->pub.peer_speaker].bird ||
		    (s->pub.nb &&
		     map_sets_med(spk, &rr_nb_rare(s->pub.nb)->route_map_in)))
			mas[nm++] = ra;
	}
	qsort(as, n, sizeof(*as), cmp_u32);
	for (i = 0; i < n; i++)
		nas += !i || as[i] != as[i - 1];
	qsort(mas, nm, sizeof(*mas), cmp_u32);
	/* two paths of one neighbouring AS that can differ in MED: two
	 * such sessions from one AS, or an iBGP one (its paths come from
	 * any AS) beside another */
	for (i = 0; i < nm; i++)
		shared |= (i && mas[i] == mas[i - 1]) || (!mas[i] && nm > 1);
	free(as);
	if (shared && nas >= 2)
		say_once(d, &spk->loc,
		         "%s has no 'bgp deterministic-med': where a prefix "
		         "has paths from several neighbouring ASes and MEDs "
		         "differ inside one, IOS's choice depends on the "
		         "order the paths arrived in (newest first); sim "
		         "compares each new path with the best so far and may "
		         "choose another",
		         spk->name);
}

void
policy_check(const struct world *w, struct rr_diags *d)
{
	uint32_t si, sk;

	if (!d)
		return;
	for (sk = 0; sk < w->nspk; sk++)
		med_order_check(w, sk, d);
	for (si = 0; si < w->nside; si++) {
		const struct wside *s = &w->side[si];
		const struct rr_speaker *spk = w->spk[s->pub.speaker].pub.spk;
		const struct rr_neighbor *n = s->pub.nb;
		const struct rr_opt_str *rms[2];
		size_t k;
		if (!policy_side_has(w, s, true) &&
		    !policy_side_has(w, s, false))
			continue;
		rms[0] = &rr_nb_rare(n)->route_map_in;
		rms[1] = &rr_nb_rare(n)->route_map_out;
		for (k = 0; k < 2; k++) {
			const struct rr_route_map *rm;
			if (!rms[k]->set)
				continue;
			rm = rr_route_map_find(spk, rms[k]->v);
			if (rm)
				check_map(spk, rm, d);
			else
				say_once(d, &rms[k]->at,
				         "route-map %s is not defined: IOS "
				         "denies every route through it",
				         rms[k]->v);
		}
	}
}
