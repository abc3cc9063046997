/*
 * The verdict of a run: every expected session up, and every node holding
 * a route to every other node's blocks whose next hop leads to that node.
 *
 * What is expected, and why something is missing, is the analysis's
 * (analyze/: one verdict).  Each miss is counted under the finding lint
 * prints for it: the same rule id, words and locations.  A miss the
 * analysis does not explain keeps the engine's own words and is marked
 * unexplained (a bug: the agreement suite fails on it); a fault (--fail,
 * --cut) keeps its own wording.  Before the run, the sessions the
 * analysis finds down for a reason the engine does not play (TTL security,
 * `bgp listen limit`, an eBGP single-hop peer off every connected subnet)
 * are held down, so the run and the verdict tell one story.
 *
 * The engine's words, for what the analysis does not explain: for a
 * session, the refusing side's expectation (RFC 4271 6.2 OPEN errors), TCP
 * MD5 (RFC 2385), a refused connection, a side never started; for a
 * route, the session its node or its origin lacks, or the hop where it
 * stops (iBGP split horizon and reflection, RFC 4456 6 and 8; Calico's
 * export policy; an import drop).  Memory stays bounded whatever the
 * number of misses.
 */
#include "analyze/analyze.h"
#include "bgpsim/simpriv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cause being worked out, before it is looked up among the known ones. */
struct why {
	char msg[512];
	struct rr_loc loc;   /* line 0: none */
	uint32_t session;    /* the side the words name, SIM_NONE */
	bool fault, unexplained;
};

/* The causes found so far, by (words, location). */
struct causes {
	struct sim *s;
	uint32_t *tab; /* open addressing: cause index + 1 */
	uint64_t *hash;
	uint32_t cap, nkept;
	size_t max;    /* distinct causes kept, then one "more" */
	uint32_t more; /* that one, SIM_NONE */
	uint32_t *node_cause; /* speaker -> its route cause + 1 (memo) */
	uint32_t mesh;        /* the mesh not built, SIM_NONE */
	uint8_t *seen;        /* explain(): speakers visited */
	struct az *az;        /* the analysis of the same model */
	uint32_t *fcause;     /* analysis finding -> cause + 1 */
	uint32_t *azside;     /* sim side -> analysis side (AZ_NONE) */
	uint32_t *simside;    /* analysis side -> sim side (SIM_NONE) */
	bool fallback;        /* words of the engine: not explained */
};

static void say(struct why *y, const char *fmt, ...) RR_PRINTF(2, 3);

static void
say(struct why *y, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(y->msg, sizeof(y->msg), fmt, ap);
	va_end(ap);
}

static void
why_init(struct why *y)
{
	memset(y, 0, sizeof(*y));
	y->session = SIM_NONE;
}

/* ------------------------------------------------------------ causes */

static uint64_t
why_hash(const struct why *y)
{
	uint64_t h = chash_bytes((const uint8_t *)y->msg, strlen(y->msg));

	h ^= ((uint64_t)y->loc.line << 32 | y->loc.col) * 0x9e3779b97f4a7c15ull;
	h ^= (uint64_t)(uintptr_t)y->loc.file * 0xff51afd7ed558ccdull;
	return h ^ (uint64_t)y->fault << 1 ^ (uint64_t)y->unexplained;
}

static bool
why_is(const struct sim_cause *c, const struct why *y)
{
	return c->fault == y->fault && c->unexplained == y->unexplained &&
	       c->diag.loc.line == y->loc.line &&
	       c->diag.loc.col == y->loc.col &&
	       c->diag.loc.file == y->loc.file && !strcmp(c->diag.msg, y->msg);
}

static uint32_t
cause_new(struct causes *cs, const struct why *y)
{
	struct sim *s = cs->s;
	struct sim_cause *c;

	if (s->ncauses == s->capcauses) {
		s->capcauses = s->capcauses ? s->capcauses * 2 : 16;
		s->causes =
		        rr_xrealloc(s->causes, s->capcauses * sizeof(*c));
	}
	c = &s->causes[s->ncauses];
	memset(c, 0, sizeof(*c));
	c->diag.sev = RR_SEV_ERROR;
	c->diag.loc = y->loc;
	c->diag.msg = rr_arena_strndup(&s->w.arena, y->msg, strlen(y->msg));
	c->fault = y->fault;
	c->unexplained = y->unexplained;
	return (uint32_t)s->ncauses++;
}

/* Past the most causes kept: everything else is counted here. */
static uint32_t
cause_more(struct causes *cs)
{
	struct why y;

	why_init(&y);
	y.unexplained = true;
	say(&y, "more distinct causes than the verdict keeps (%zu): these "
	        "are counted here",
	    cs->max);
	return cause_new(cs, &y);
}

static void
grow(struct causes *cs)
{
	uint32_t cap = cs->cap ? cs->cap * 2 : 64, i, j;
	uint32_t *tab = rr_xcalloc(cap, sizeof(uint32_t));
	uint64_t *hash = rr_xcalloc(cap, sizeof(uint64_t));

	for (i = 0; i < cs->cap; i++) {
		if (!cs->tab[i])
			continue;
		for (j = (uint32_t)cs->hash[i] & (cap - 1); tab[j];
		     j = (j + 1) & (cap - 1))
			;
		tab[j] = cs->tab[i];
		hash[j] = cs->hash[i];
	}
	free(cs->tab);
	free(cs->hash);
	cs->tab = tab;
	cs->hash = hash;
	cs->cap = cap;
}

/* The index of the cause with these words and location (a new one). */
static uint32_t
cause_of(struct causes *cs, const struct why *yin)
{
	struct why yy = *yin, *y = &yy;
	uint64_t h;
	uint32_t i;

	if (cs->fallback && !y->fault)
		y->unexplained = true; /* the analysis does not explain it */
	h = why_hash(y);

	if ((cs->nkept + 1) * 2 > cs->cap)
		grow(cs);
	for (i = (uint32_t)h & (cs->cap - 1); cs->tab[i];
	     i = (i + 1) & (cs->cap - 1))
		if (cs->hash[i] == h &&
		    why_is(&cs->s->causes[cs->tab[i] - 1], y))
			return cs->tab[i] - 1;
	if (cs->nkept == cs->max) {
		if (cs->more == SIM_NONE)
			cs->more = cause_more(cs);
		return cs->more;
	}
	cs->nkept++;
	cs->tab[i] = cause_new(cs, y) + 1;
	cs->hash[i] = h;
	return cs->tab[i] - 1;
}

static void
count_session(struct causes *cs, uint32_t ci, uint32_t si)
{
	struct sim_cause *c = &cs->s->causes[ci];

	if (c->nsession_ex < SIM_CAUSE_EXAMPLES && si != SIM_NONE)
		c->session_ex[c->nsession_ex++] = si;
	c->sessions++;
}

static void
count_route(struct causes *cs, uint32_t ci, uint32_t n, uint32_t m,
            uint32_t pid)
{
	struct sim_cause *c = &cs->s->causes[ci];

	if (c->nroute_ex < SIM_CAUSE_EXAMPLES) {
		struct sim_route_ref *r = &c->route_ex[c->nroute_ex++];
		r->node = n;
		r->origin = m;
		r->prefix = *rib_prefix(&cs->s->w, pid);
	}
	c->routes++;
}

/* ------------------------------------------------------ session causes */

static const char *
addr_s(const struct rr_addr *a, char *buf)
{
	return a->af ? rr_addr_str(a, buf) : "-";
}

static const char *
spk_name(const struct world *w, uint32_t k)
{
	return k == SIM_NONE ? "?" : w->spk[k].pub.name;
}

static const struct rr_loc *
nb_loc(const struct wside *sd)
{
	return &sd->pub.nb->loc;
}

/* Where a Calico session's BGPFilters are named (the BGPPeer's filters). */
static struct rr_loc
filters_loc(const struct wside *d)
{
	const struct rr_bgppeer *bp = d->pub.nb->bgppeer;
	if (bp && bp->nfilters && bp->filters_at)
		return bp->filters_at[0];
	return *nb_loc(d);
}

/* Where an IOS neighbor's policy of one direction is written. */
static struct rr_loc
policy_loc(const struct wside *d, bool in)
{
	const struct rr_neighbor *n = d->pub.nb;
	const struct rr_opt_str *o[3];
	size_t i;

	o[0] = in ? &rr_nb_rare(n)->route_map_in
	          : &rr_nb_rare(n)->route_map_out;
	o[1] = in ? &rr_nb_rare(n)->prefix_list_in
	          : &rr_nb_rare(n)->prefix_list_out;
	o[2] = in ? &rr_nb_rare(n)->filter_list_in
	          : &rr_nb_rare(n)->filter_list_out;
	for (i = 0; i < 3; i++)
		if (o[i]->set)
			return o[i]->at;
	return *nb_loc(d);
}

static const struct rr_loc *
hold_loc(const struct world *w, const struct wside *sd)
{
	const struct rr_speaker *s = w->spk[sd->pub.speaker].pub.spk;

	if (sd->pub.nb->hold.set)
		return &sd->pub.nb->hold.at;
	if (s->hold.set)
		return &s->hold.at;
	return nb_loc(sd);
}

static bool
cut_at_end(const struct world *w, uint32_t a, uint32_t b)
{
	size_t i;

	for (i = 0; i < w->ncuts; i++)
		if (w->cuts[i].cut &&
		    ((w->cuts[i].a == a && w->cuts[i].b == b) ||
		     (w->cuts[i].a == b && w->cuts[i].b == a)))
			return true;
	return false;
}

/* Why an expected session is not up: words, config line, side blamed. */
static void
session_cause(struct sim *s, uint32_t si, struct why *y)
{
	struct world *w = &s->w;
	const struct wside *sd = &w->side[si], *t = NULL, *r = NULL, *o;
	char b1[RR_ADDR_STRLEN];
	uint32_t ti = sd->pub.partner;

	y->session = si;
	y->loc = *nb_loc(sd);
	if (ti != SIM_NONE)
		t = &w->side[ti];
	{
		uint32_t p = sd->pub.peer_speaker;
		uint32_t dead =
		        w->spk[sd->pub.speaker].pub.failed ? sd->pub.speaker
		        : p != SIM_NONE && w->spk[p].pub.failed ? p
		                                                : SIM_NONE;
		if (dead != SIM_NONE) {
			uint64_t at = w->spk[dead].pub.failed_at_ms;
			say(y, "%s failed at %llu.%03llu s (--fail)",
			    spk_name(w, dead), (unsigned long long)(at / 1000),
			    (unsigned long long)(at % 1000));
			y->fault = true;
			memset(&y->loc, 0, sizeof(y->loc));
			return;
		}
		if (p != SIM_NONE && cut_at_end(w, sd->pub.speaker, p)) {
			say(y, "the link %s - %s is cut (--cut)",
			    spk_name(w, sd->pub.speaker), spk_name(w, p));
			y->fault = true;
			memset(&y->loc, 0, sizeof(y->loc));
			return;
		}
	}
	if (t && !t->pub.enabled) {
		y->session = ti;
		say(y, "%s: neighbor %s %s", spk_name(w, t->pub.speaker),
		        addr_s(&t->pub.peer, b1), t->disabled_why);
		y->loc = t->disabled_at;
		return;
	}
	if (!sd->pub.enabled) {
		say(y, "%s: %s %s", spk_name(w, sd->pub.speaker),
		        addr_s(&sd->pub.peer, b1), sd->disabled_why);
		y->loc = sd->disabled_at;
		return;
	}
	if (!t) {
		uint32_t p = sd->pub.peer_speaker;
		if (p == SIM_NONE)
			say(y, "no speaker in the inputs owns %s",
			        addr_s(&sd->pub.peer, b1));
		else if (w->spk[p].pub.kind == RR_SPK_IOS)
			say(y, "%s has no neighbor or listen range for %s: it "
			        "refuses the connection",
			        spk_name(w, p), addr_s(&sd->pub.local, b1));
		else
			say(y, "%s has no session toward %s: BIRD drops the "
			        "connection (Unexpected connect from unknown "
			        "address)",
			        spk_name(w, p), addr_s(&sd->pub.local, b1));
		return;
	}
	/* an OPEN refused: blame the refusing side's expectation */
	if (sd->pub.notif && sd->pub.notif_sent && sd->pub.code == ERR_OPEN)
		r = sd, o = t;
	else if (t->pub.notif && t->pub.notif_sent && t->pub.code == ERR_OPEN)
		r = t, o = sd;
	if (r) {
		uint32_t ri = (uint32_t)(r - w->side),
		         oi = (uint32_t)(o - w->side);
		y->session = ri;
		switch (r->pub.subcode) {
		case ERR_OPEN_PEER_AS:
			say(y, "%s expects AS %u from %s, which has AS %u "
			        "(NOTIFICATION 2/2 Bad Peer AS)",
			        spk_name(w, r->pub.speaker), r->cfg.remote_as,
			        spk_name(w, o->pub.speaker), o->cfg.local_as);
			y->loc = r->pub.nb->remote_as.set
			                 ? r->pub.nb->remote_as.at
			                 : *nb_loc(r);
			return;
		case ERR_OPEN_HOLDTIME: {
			uint16_t h = o->cfg.open ? o->cfg.open->hold : 0;
			y->session = oi;
			say(y, "%s offers hold time %u s, which %s refuses "
			        "(NOTIFICATION 2/6 Unacceptable Hold Time)",
			        spk_name(w, o->pub.speaker), h,
			        spk_name(w, r->pub.speaker));
			y->loc = *hold_loc(w, o);
			return;
		}
		case ERR_OPEN_BGPID: {
			const struct wside *ios =
			        w->spk[o->pub.speaker].pub.kind == RR_SPK_IOS
			                ? o
			                : r;
			const struct rr_speaker *sp =
			        w->spk[ios->pub.speaker].pub.spk;
			struct rr_addr id = rr_addr_from_v4(o->cfg.router_id);
			y->session = (uint32_t)(ios - w->side);
			say(y, "%s and %s use the same BGP identifier %s "
			        "(NOTIFICATION 2/3 Bad BGP Identifier)",
			        spk_name(w, r->pub.speaker),
			        spk_name(w, o->pub.speaker),
			        rr_addr_str(&id, b1));
			y->loc = sp->router_id.set ? sp->router_id.at : sp->loc;
			return;
		}
		default:
			say(y, "%s refuses the OPEN of %s: %s",
			        spk_name(w, r->pub.speaker),
			        spk_name(w, o->pub.speaker),
			        r->pub.last_error ? r->pub.last_error
			                          : "NOTIFICATION");
			y->loc = *nb_loc(r);
			return;
		}
	}
	if ((sd->pw || sd->pw_unknown) != (t->pw || t->pw_unknown) ||
	    (sd->pw && t->pw && sd->pw_hash != t->pw_hash)) {
		const struct wside *h = sd->pw ? sd : t;
		y->session = (uint32_t)(h - w->side);
		say(y, sd->pw && t->pw
		                ? "the TCP MD5 passwords of %s and %s differ: "
		                  "the SYNs are dropped"
		                : "only %s sets a TCP MD5 password (not %s): "
		                  "the SYNs are dropped",
		        spk_name(w, h->pub.speaker),
		        spk_name(w, (h == sd ? t : sd)->pub.speaker));
		y->loc = h->pub.nb->password.set ? h->pub.nb->password.at
		                                 : *nb_loc(h);
		return;
	}
	if (sd->cfg.passive && t->cfg.passive) {
		say(y, "%s and %s are both passive: nobody dials",
		        spk_name(w, sd->pub.speaker),
		        spk_name(w, t->pub.speaker));
		return;
	}
	{
		const struct wside *d =
		        sd->pub.port != w->spk[t->pub.speaker].listen_port ? sd
		        : t->pub.port != w->spk[sd->pub.speaker].listen_port
		                ? t
		                : NULL;
		if (d) {
			const struct wside *e = d == sd ? t : sd;
			y->session = (uint32_t)(d - w->side);
			say(y, "%s dials port %u, but %s listens on %u",
			        spk_name(w, d->pub.speaker), d->pub.port,
			        spk_name(w, e->pub.speaker),
			        w->spk[e->pub.speaker].listen_port);
			y->loc = *nb_loc(d);
			return;
		}
	}
	y->unexplained = true;
	say(y, "not established (%s: %s; %s: %s)",
	        spk_name(w, sd->pub.speaker),
	        sd->pub.last_error ? sd->pub.last_error
	                           : bgp_fsm_state_name(sd->pub.state),
	        spk_name(w, t->pub.speaker),
	        t->pub.last_error ? t->pub.last_error
	                          : bgp_fsm_state_name(t->pub.state));
}

static bool
session_up(const struct world *w, uint32_t si)
{
	const struct wside *sd = &w->side[si];

	if (sd->pub.state != FSM_ST_ESTABLISHED)
		return false;
	return sd->pub.partner == SIM_NONE ||
	       w->side[sd->pub.partner].pub.state == FSM_ST_ESTABLISHED;
}

static bool
any_up(const struct world *w, uint32_t k)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t i;

	for (i = 0; i < sp->pub.nsessions; i++)
		if (w->side[sp->pub.first_session + i].pub.state ==
		    FSM_ST_ESTABLISHED)
			return true;
	return false;
}

/* Does the best path of pid at n lead (hop by hop) to node m? */
static bool
reaches(const struct world *w, uint32_t n, uint32_t pid, uint32_t m)
{
	uint32_t cur = n, depth, ia, src;

	for (depth = 0; depth < 8; depth++) {
		const struct rib_attrs *a;
		src = rib_best(w, cur, pid, &ia);
		if (src == SIM_NONE)
			return false;
		if (src == RIB_SRC_LOCAL)
			return cur == m;
		a = rib_attrs(w, ia);
		if (a->nh_owner == m)
			return true;
		if (a->nh_owner == SIM_NONE || a->nh_owner == cur ||
		    w->spk[a->nh_owner].pub.failed)
			return false;
		cur = a->nh_owner;
	}
	return false;
}

/* reaches(), the next hop of n's best paths looked up once for the page
 * n shares with other nodes (cache_nh_page): nh and asked per page */
static bool
reaches_paged(struct world *w, const uint32_t **nh, uint8_t *asked,
              uint32_t n, uint32_t pid, uint32_t m)
{
	uint32_t i = pid / RIB_PAGE;

	if (!asked[i]) {
		nh[i] = cache_nh_page(w, n, i);
		asked[i] = 1;
	}
	if (nh[i] && nh[i][pid % RIB_PAGE] == m)
		return true;
	return reaches(w, n, pid, m);
}

/* The first expected session of speaker k that is down, SIM_NONE. */
static uint32_t
first_down(const struct world *w, uint32_t k)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t i;

	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t si = sp->pub.first_session + i;
		const struct wside *sd = &w->side[si];
		if (sd->pub.state == FSM_ST_ESTABLISHED)
			continue;
		if (sd->pub.expected)
			return si;
		if (sd->pub.partner != SIM_NONE &&
		    w->side[sd->pub.partner].pub.expected)
			return sd->pub.partner;
	}
	return sp->pub.nsessions ? sp->pub.first_session : SIM_NONE;
}

static void
why_text(struct sim *s, uint32_t x, uint32_t pid, uint32_t pi, enum rib_why why,
         struct why *y)
{
	struct world *w = &s->w;
	const struct wside *p = &w->side[pi];
	uint32_t ia, src = rib_best(w, x, pid, &ia);
	char b1[RR_ADDR_STRLEN], b2[RR_ADDR_STRLEN];
	const char *to = spk_name(w, p->pub.peer_speaker);

	y->session = pi;
	y->loc = *nb_loc(p);
	switch (why) {
	case RIB_SPLIT_HORIZON:
		say(y, "%s does not pass it on to %s: it came from %s, and "
		        "neither is a route-reflector client (iBGP split "
		        "horizon)",
		        spk_name(w, x), to,
		        src < w->nside ? addr_s(&w->side[src].pub.peer, b1)
		                       : "itself");
		break;
	case RIB_NO_C2C:
		say(y, "%s does not reflect between clients (no bgp "
		        "client-to-client reflection)",
		        spk_name(w, x));
		if (w->spk[x].pub.spk->client_to_client.set)
			y->loc = w->spk[x].pub.spk->client_to_client.at;
		break;
	case RIB_CALICO_POOL:
		say(y, "%s exports only its blocks and routes inside its "
		        "IPPools (confd's bird_ipam.cfg.template)",
		        spk_name(w, x));
		break;
	case RIB_CALICO_DISABLED:
		say(y, "%s: the IPPool has disableBGPExport",
		        spk_name(w, x));
		break;
	case RIB_BGPFILTER:
		say(y, "%s does not send it to %s: a BGPFilter export rule "
		        "rejects it",
		        spk_name(w, x), to);
		y->loc = filters_loc(p);
		break;
	case RIB_FAMILY:
		say(y, "%s's session to %s carries only IPv%d routes: no "
		        "IPv%d session carries it",
		        spk_name(w, x), to, p->pub.ipv6 ? 6 : 4,
		        p->pub.ipv6 ? 4 : 6);
		break;
	case RIB_NOT_ACTIVATED:
		say(y, "%s: neighbor %s is not activated for this address "
		        "family",
		        spk_name(w, x), addr_s(&p->pub.peer, b2));
		break;
	case RIB_POLICY_OUT:
		say(y, "%s does not send it to %s: the outbound policy of "
		        "neighbor %s (filter-list, prefix-list or route-map) "
		        "denies it",
		        spk_name(w, x), to, addr_s(&p->pub.peer, b2));
		y->loc = policy_loc(p, false);
		break;
	default:
		say(y, "%s does not send it to %s",
		                        spk_name(w, x), to);
		break;
	}
}

static bool
drop_text(struct sim *s, uint32_t di, struct why *y)
{
	struct world *w = &s->w;
	const struct wside *d = &w->side[di];
	const struct wspk *sp = &w->spk[d->pub.speaker];
	const struct rr_speaker *spk = sp->pub.spk;
	struct rr_addr c = rr_addr_from_v4(d->rib.drop_val);
	char b1[RR_ADDR_STRLEN];

	y->session = di;
	switch (d->rib.drop) {
	case RIB_DROP_CLUSTER:
		say(y, "%s drops it: its CLUSTER_LIST holds %s, %s's own "
		        "cluster id (reflectors sharing a cluster id must "
		        "share their clients)",
		        sp->pub.name, rr_addr_str(&c, b1), sp->pub.name);
		y->loc = spk->cluster_id.set  ? spk->cluster_id.at
		         : spk->router_id.set ? spk->router_id.at
		                              : spk->loc;
		return true;
	case RIB_DROP_ORIGINATOR:
		say(y, "%s drops it: its ORIGINATOR_ID is %s's own router id",
		        sp->pub.name, sp->pub.name);
		y->loc = spk->router_id.set ? spk->router_id.at : spk->loc;
		return true;
	case RIB_DROP_ASLOOP:
		say(y, "%s drops it: its AS_PATH holds AS %u",
		        sp->pub.name, d->cfg.local_as);
		y->loc = *nb_loc(d);
		return true;
	case RIB_DROP_FAMILY:
		say(y, "%s ignores it: the session does not carry this "
		        "address family",
		        sp->pub.name);
		y->loc = *nb_loc(d);
		return true;
	case RIB_DROP_WITHDRAW:
		say(y, "%s treats it as withdrawn (malformed, RFC 7606)",
		        sp->pub.name);
		y->loc = *nb_loc(d);
		return true;
	case RIB_DROP_BGPFILTER:
		say(y, "%s drops it: a BGPFilter import rule of its session "
		        "to %s rejects it",
		        sp->pub.name, addr_s(&d->pub.peer, b1));
		y->loc = filters_loc(d);
		return true;
	case RIB_DROP_POLICY:
		say(y, "%s drops it: the inbound policy of neighbor %s "
		        "(filter-list, prefix-list or route-map) denies it",
		        sp->pub.name, addr_s(&d->pub.peer, b1));
		y->loc = policy_loc(d, true);
		return true;
	default:
		return false;
	}
}

/* Walk from n toward the origin m: who has the route and why it stops. */
static bool
explain(struct sim *s, uint32_t n, uint32_t pid, uint32_t m, unsigned depth,
        uint8_t *seen, struct why *y)
{
	struct world *w = &s->w;
	const struct wspk *sp = &w->spk[n];
	uint32_t i;

	if (depth > 6)
		return false;
	seen[n] = 1;
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t di = sp->pub.first_session + i, pi, peer, ia;
		const struct wside *d = &w->side[di];
		if (d->pub.state != FSM_ST_ESTABLISHED)
			continue;
		pi = d->pub.partner;
		peer = d->pub.peer_speaker;
		if (pi == SIM_NONE || peer == SIM_NONE ||
		    w->side[pi].pub.state != FSM_ST_ESTABLISHED)
			continue;
		if (rib_best(w, peer, pid, &ia) == SIM_NONE)
			continue;
		{
			enum rib_why why = rib_export_why(w, peer, pid, pi);
			if (why != RIB_OK) {
				why_text(s, peer, pid, pi, why, y);
				return true;
			}
			if (d->rib.ndrops && drop_text(s, di, y))
				return true;
		}
	}
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t di = sp->pub.first_session + i;
		const struct wside *d = &w->side[di];
		uint32_t peer = d->pub.peer_speaker;
		if (d->pub.state != FSM_ST_ESTABLISHED || peer == SIM_NONE ||
		    seen[peer] || peer == m)
			continue;
		if (explain(s, peer, pid, m, depth + 1, seen, y))
			return true;
	}
	return false;
}

/* -------------------------------------------------------- route causes */

/* The cause a node's routes share when it or the origin has no session
 * up: that session's own cause; worked out once per node. */
static uint32_t
node_cause(struct causes *cs, uint32_t who)
{
	struct sim *s = cs->s;
	struct world *w = &s->w;
	struct why y;

	if (cs->node_cause[who])
		return cs->node_cause[who] - 1;
	if (!w->spk[who].pub.nsessions && cs->mesh != SIM_NONE)
		return cs->mesh; /* its sessions were not built */
	why_init(&y);
	if (!w->spk[who].pub.nsessions) {
		y.loc = w->spk[who].pub.spk->loc;
		say(&y,
		    "%s has no BGP session (no mesh and no BGPPeer selects it)",
		    spk_name(w, who));
	} else {
		session_cause(s, first_down(w, who), &y);
	}
	cs->node_cause[who] = cause_of(cs, &y) + 1;
	return cs->node_cause[who] - 1;
}

/* Why node n has no route to m's block pid that leads to m. */
static uint32_t
route_cause(struct causes *cs, uint32_t n, uint32_t pid, uint32_t m)
{
	struct sim *s = cs->s;
	struct world *w = &s->w;
	char b1[RR_PREFIX_STRLEN], b2[RR_ADDR_STRLEN];
	struct why y;
	uint32_t ia;

	if (!w->spk[n].pub.nsessions || !any_up(w, n))
		return node_cause(cs, n);
	if (!w->spk[m].pub.nsessions || !any_up(w, m))
		return node_cause(cs, m);
	why_init(&y);
	y.loc = w->spk[n].pub.spk->loc;
	if (rib_best(w, n, pid, &ia) != SIM_NONE) {
		const struct rib_attrs *a = rib_attrs(w, ia);
		say(&y,
		    "%s's route for %s points at next hop %s, which does not "
		    "lead to %s",
		    spk_name(w, n), rr_prefix_str(&w->pfx[pid].p, b1),
		    addr_s(&a->next_hop, b2), spk_name(w, m));
		return cause_of(cs, &y);
	}
	memset(cs->seen, 0, w->nspk);
	if (!explain(s, n, pid, m, 0, cs->seen, &y)) {
		y.unexplained = true;
		say(&y, "no path from %s reaches %s", spk_name(w, m),
		    spk_name(w, n));
	}
	return cause_of(cs, &y);
}

static bool
is_node(const struct world *w, uint32_t k)
{
	const struct rr_speaker *s = w->spk[k].pub.spk;

	return s->kind == RR_SPK_CALICO && s->bgp_configured && s->naddrs &&
	       !w->spk[k].pub.failed;
}

static bool
has_family(const struct rr_speaker *s, uint8_t af)
{
	size_t i;

	for (i = 0; i < s->naddrs; i++)
		if (s->addrs[i].p.addr.af == af)
			return true;
	return false;
}

/* The mesh too large to build: its sessions count as expected, not up. */
static void
mesh_elided(struct causes *cs)
{
	struct world *w = &cs->s->w;
	const struct rr_calico *c = &w->m->calico;
	struct why y;
	size_t i;
	uint32_t ci;

	why_init(&y);
	say(&y,
	    "the node-to-node mesh (%llu sessions) is too large to simulate "
	    "and was not built",
	    (unsigned long long)w->stats.mesh_sessions);
	for (i = 0; i < c->nbgpconfigs; i++)
		if (c->bgpconfigs[i].meta.name &&
		    !strcmp(c->bgpconfigs[i].meta.name, "default"))
			y.loc = c->bgpconfigs[i].node_to_node_mesh_enabled.set
			                ? c->bgpconfigs[i]
			                          .node_to_node_mesh_enabled.at
			                : c->bgpconfigs[i].meta.loc;
	ci = cause_of(cs, &y);
	cs->s->causes[ci].sessions += w->stats.mesh_sessions;
	cs->mesh = ci;
	cs->s->verdict.sessions_expected += w->stats.mesh_sessions;
}

/* Faults change what is expected: a dead speaker's sessions and routes,
 * sessions over a link still cut. */
static void
unexpect_faults(struct world *w)
{
	uint32_t si;

	for (si = 0; si < w->nside; si++) {
		struct wside *sd = &w->side[si];
		uint32_t a = sd->pub.speaker, b = sd->pub.peer_speaker;
		if (w->spk[a].pub.failed ||
		    (b != SIM_NONE &&
		     (w->spk[b].pub.failed || cut_at_end(w, a, b))))
			sd->pub.expected = false;
	}
}

/* ------------------------------------------------------ the analysis */

/* Sim side <-> analysis side: both are built the same way (analyze/
 * session.c follows world.c), so normally the same index. */
static void
map_sides(const struct world *w, const struct az *az, uint32_t **to_az,
          uint32_t **to_sim)
{
	uint32_t si, n = (uint32_t)az_nsides(az), k;

	*to_az = rr_xcalloc(w->nside + 1, sizeof(uint32_t));
	*to_sim = rr_xcalloc(n + 1, sizeof(uint32_t));
	for (k = 0; k < n; k++)
		(*to_sim)[k] = SIM_NONE;
	for (si = 0; si < w->nside; si++) {
		const struct wside *sd = &w->side[si];
		const struct az_side_info *x = si < n ? az_side(az, si) : NULL;
		if (x && x->speaker == sd->pub.speaker && x->nb == sd->pub.nb &&
		    rr_addr_eq(&x->peer, &sd->pub.peer))
			k = si;
		else
			k = az_side_find(az, sd->pub.speaker, sd->pub.nb,
			                 &sd->pub.peer);
		(*to_az)[si] = k;
		if (k != AZ_NONE)
			(*to_sim)[k] = si;
	}
}

void
verdict_prepare(struct sim *s)
{
	struct world *w = &s->w;
	struct az *az = az_run(w->m, NULL);
	uint32_t *to_az, *to_sim, i;

	map_sides(w, az, &to_az, &to_sim);
	for (i = 0; i < az_nsessions(az); i++) {
		const struct az_session_info *x = az_session(az, i);
		const struct az_finding *f;
		struct wside *sd;
		uint32_t si;
		if (!x->not_simulated || x->blamed_side == AZ_NONE ||
		    (si = to_sim[x->blamed_side]) == SIM_NONE ||
		    x->finding == AZ_NONE)
			continue;
		f = az_finding(az, x->finding);
		sd = &w->side[si];
		if (!sd->pub.enabled)
			continue;
		sd->pub.enabled = false;
		sd->disabled_why = rr_arena_printf(
		        &w->arena, "held down (not played by the simulator): %s",
		        f->diag->msg);
		sd->disabled_at = f->diag->loc;
		sd->pub.last_error = sd->disabled_why;
		if (f->rule == AZ_R_MAXIMUM_PREFIX) {
			/* a limit passed while converging: IOS sent its
			 * Cease, Maximum Number of Prefixes Reached (RFC 4486
			 * 3), and shows the neighbor as Idle (PfxCt) */
			sd->pub.notif = sd->pub.notif_sent = true;
			sd->pub.code = ERR_CEASE;
			sd->pub.subcode = ERR_CEASE_MAXPREFIX;
		}
	}
	free(to_az);
	free(to_sim);
	az_free(az);
}

/* An analysis diagnostic (finding or note) kept in the run's arena: the
 * analysis is freed before the verdict is read. */
static void
diag_copy(struct rr_arena *a, struct rr_diag *to, const struct rr_diag *g)
{
	size_t i;

	memset(to, 0, sizeof(*to));
	to->sev = g->sev;
	to->rule = g->rule;
	to->loc = g->loc;
	to->msg = rr_arena_strdup(a, g->msg);
	if (g->nnotes) {
		to->notes = rr_arena_calloc(a, g->nnotes, sizeof(*to->notes));
		for (i = 0; i < g->nnotes; i++) {
			to->notes[i].loc = g->notes[i].loc;
			to->notes[i].msg = rr_arena_strdup(a, g->notes[i].msg);
		}
		to->nnotes = to->capnotes = g->nnotes;
	}
	to->sessions = g->sessions;
	to->routes = g->routes;
}

/* The cause for analysis finding f: its diagnostic, as lint prints it. */
static uint32_t
finding_cause(struct causes *cs, uint32_t f)
{
	struct sim *s = cs->s;
	const struct rr_diag *g = az_finding(cs->az, f)->diag;
	struct sim_cause *c;

	if (cs->fcause[f])
		return cs->fcause[f] - 1;
	if (cs->nkept == cs->max) {
		if (cs->more == SIM_NONE)
			cs->more = cause_more(cs);
		return cs->more;
	}
	cs->nkept++;
	if (s->ncauses == s->capcauses) {
		s->capcauses = s->capcauses ? s->capcauses * 2 : 16;
		s->causes = rr_xrealloc(s->causes, s->capcauses * sizeof(*c));
	}
	c = &s->causes[s->ncauses];
	memset(c, 0, sizeof(*c));
	diag_copy(&s->w.arena, &c->diag, g);
	cs->fcause[f] = (uint32_t)s->ncauses + 1;
	return (uint32_t)s->ncauses++;
}

/* The analysis's expectation, then the faults'. */
static void
expect(struct causes *cs)
{
	struct world *w = &cs->s->w;
	uint32_t si;

	for (si = 0; si < w->nside; si++) {
		uint32_t k = cs->azside[si];
		const struct az_session_info *x;
		w->side[si].pub.expected = false;
		if (k == AZ_NONE)
			continue;
		x = az_session(cs->az, az_side(cs->az, k)->session);
		w->side[si].pub.expected = x->expected && x->side_a == k;
	}
	unexpect_faults(w);
}

static void
verdict_sessions(struct causes *cs)
{
	struct sim *s = cs->s;
	struct world *w = &s->w;
	struct sim_verdict *v = &s->verdict;
	uint32_t si;

	for (si = 0; si < w->nside; si++) {
		const struct az_session_info *x = NULL;
		struct why y;
		if (!w->side[si].pub.expected)
			continue;
		v->sessions_expected++;
		if (session_up(w, si)) {
			v->sessions_up++;
			continue;
		}
		if (cs->azside[si] != AZ_NONE)
			x = az_session(cs->az,
			               az_side(cs->az, cs->azside[si])->session);
		why_init(&y);
		session_cause(s, si, &y);
		if (!y.fault && x && x->state == AZ_DOWN &&
		    x->finding != AZ_NONE) {
			count_session(cs, finding_cause(cs, x->finding), si);
			continue;
		}
		cs->fallback = true;
		count_session(cs, cause_of(cs, &y), y.session);
		cs->fallback = false;
	}
}

/* A speaker failed or a link is still cut at the end: a route the
 * analysis finds arriving may be missing for it (the analysis knows no
 * faults), and the engine's words say so. */
static bool
faults_active(const struct world *w)
{
	uint32_t k;
	size_t i;

	for (k = 0; k < w->nspk; k++)
		if (w->spk[k].pub.failed)
			return true;
	for (i = 0; i < w->ncuts; i++)
		if (w->cuts[i].cut)
			return true;
	return false;
}

/* Every node's blocks at every other node, in the family it has. */
struct vblock {
	uint32_t pid, m, i; /* prefix id, its node, its originates[i] */
	uint8_t af;
	bool node; /* m is a node (is_node) */
};

static void
verdict_routes(struct causes *cs)
{
	struct world *w = &cs->s->w;
	struct sim_verdict *v = &cs->s->verdict;
	bool faulted = faults_active(w);
	struct vblock *b = NULL;
	const uint32_t **nh;
	uint8_t *asked;
	uint32_t n, m, npg, nb = 0, cap = 0, j;
	size_t i;

	/* the blocks to deliver, in the order of their nodes (a node
	 * without a BGP address still owns its blocks; a service route is
	 * anycast, many nodes originate it: not a block to deliver) */
	for (m = 0; m < w->nspk; m++) {
		const struct rr_speaker *sp = w->spk[m].pub.spk;
		if (sp->kind != RR_SPK_CALICO || w->spk[m].pub.failed)
			continue;
		for (i = 0; i < sp->noriginates; i++) {
			uint32_t pid = rib_prefix_id(w, &sp->originates[i].p);
			if (sp->originates[i].kind != RR_ORIG_BLOCK)
				continue;
			if (nb == cap) {
				cap = cap ? cap * 2 : 256;
				b = rr_xrealloc(b, cap * sizeof(*b));
			}
			b[nb].pid = pid;
			b[nb].m = m;
			b[nb].i = (uint32_t)i;
			b[nb].af = sp->originates[i].p.addr.af;
			b[nb].node = is_node(w, m);
			nb++;
		}
	}
	npg = w->npfx / RIB_PAGE + 1;
	nh = rr_xcalloc(npg, sizeof(*nh));
	asked = rr_xcalloc(npg, 1);
	for (n = 0; n < w->nspk; n++) {
		const struct rr_speaker *ns = w->spk[n].pub.spk;
		const struct rib_map *local = &w->spk[n].rib.local;
		bool v4, v6;
		if (!is_node(w, n))
			continue;
		v4 = has_family(ns, RR_AF_INET);
		v6 = has_family(ns, RR_AF_INET6);
		memset(asked, 0, npg);
		for (j = 0; j < nb; j++) {
			const struct vblock *x = &b[j];
			const struct rr_speaker *ms;
			uint32_t f;
			enum az_state st;
			if (x->m == n ||
			    !(x->af == RR_AF_INET    ? v4
			      : x->af == RR_AF_INET6 ? v6
			                             : has_family(ns, x->af)) ||
			    (local->count && rib_map_get(local, x->pid)))
				continue;
			if (x->node &&
			    reaches_paged(w, nh, asked, n, x->pid, x->m)) {
				v->routes_expected++;
				v->routes_ok++;
				continue;
			}
			ms = w->spk[x->m].pub.spk;
			st = az_route(cs->az, n, x->m, &ms->originates[x->i].p,
			              &f);
			if (st == AZ_UNKNOWN)
				continue; /* not analysed: not expected */
			v->routes_expected++;
			if (st == AZ_DOWN && f != AZ_NONE) {
				count_route(cs, finding_cause(cs, f), n, x->m,
				            x->pid);
				continue;
			}
			cs->fallback = !faulted;
			count_route(cs, route_cause(cs, n, x->pid, x->m), n,
			            x->m, x->pid);
			cs->fallback = false;
		}
	}
	free(b);
	free(nh);
	free(asked);
}

/* One service prefix at router k: the distinct next hops of the paths
 * IOS may install beside the best one (rib.c's multipath test), and how
 * many of them maximum-paths lets it use. */
static void
service_at(struct world *w, uint32_t k, uint32_t pid, struct sim_service *sv,
           struct rr_addr *hops, uint32_t caphops)
{
	const struct wspk *sp = &w->spk[k];
	uint32_t ba, best = rib_best(w, k, pid, &ba), i, h, n = 0;

	sv->paths = 0;
	if (best == SIM_NONE || best == RIB_SRC_LOCAL)
		return;
	hops[n++] = rib_attrs(w, ba)->next_hop;
	for (i = 0; i < sp->pub.nsessions; i++) {
		uint32_t si = sp->pub.first_session + i;
		uint32_t x = rib_map_get(&w->side[si].rib.in, pid);
		const struct rr_addr *nx;
		if (!x || !rib_multipath_ok(w, k, best, ba, si, x))
			continue;
		nx = &rib_attrs(w, x)->next_hop;
		for (h = 0; h < n && rr_addr_cmp(&hops[h], nx); h++)
			;
		if (h == n && n < caphops)
			hops[n++] = *nx;
	}
	sv->paths = n;
	sv->used = rib_multipath_max(w, k, best);
	if (sv->used > n)
		sv->used = n;
	sv->ebgp = !w->side[best].pub.ibgp;
	{
		const struct rr_speaker *s = sp->pub.spk;
		const struct rr_opt_u32 *o =
		        sv->ebgp ? &s->maximum_paths : &s->maximum_paths_ibgp;
		sv->mp_set = o->set || s->maximum_paths_eibgp.set;
	}
}

/* Is a before b among the examples: more paths unused, then input order. */
static bool
service_worse(const struct sim_service *a, const struct sim_service *b)
{
	return a->paths - a->used > b->paths - b->used;
}

/* Every service prefix at every router (a speaker that is not a Calico
 * node): its multipath set as the simulated RIB holds it. */
static void
verdict_services(struct causes *cs)
{
	struct world *w = &cs->s->w;
	struct sim_verdict *v = &cs->s->verdict;
	uint32_t *pids = NULL, npids = 0, cap = 0, k, i, j;
	uint8_t *seen;
	struct rr_addr *hops;
	uint32_t caphops = 0;
	size_t q;

	for (k = 0; k < w->nspk; k++) {
		const struct rr_speaker *sp = w->spk[k].pub.spk;
		if (sp->kind != RR_SPK_CALICO || w->spk[k].pub.failed)
			continue;
		for (q = 0; q < sp->noriginates; q++) {
			if (sp->originates[q].kind == RR_ORIG_BLOCK)
				continue;
			if (npids == cap) {
				cap = cap ? cap * 2 : 16;
				pids = rr_xrealloc(pids, cap * sizeof(*pids));
			}
			pids[npids++] = rib_prefix_id(w, &sp->originates[q].p);
		}
	}
	if (!npids)
		return;
	/* each prefix once, in the order first met */
	seen = rr_xcalloc(w->npfx + 1, 1);
	for (i = j = 0; i < npids; i++)
		if (!seen[pids[i]]) {
			seen[pids[i]] = 1;
			pids[j++] = pids[i];
		}
	npids = j;
	free(seen);
	for (k = 0; k < w->nspk; k++)
		if (w->spk[k].pub.nsessions + 1 > caphops)
			caphops = w->spk[k].pub.nsessions + 1;
	hops = rr_xcalloc(caphops, sizeof(*hops));
	for (k = 0; k < w->nspk; k++) {
		if (w->spk[k].pub.spk->kind == RR_SPK_CALICO ||
		    w->spk[k].pub.failed)
			continue;
		for (i = 0; i < npids; i++) {
			struct sim_service sv;
			uint32_t at;
			memset(&sv, 0, sizeof(sv));
			service_at(w, k, pids[i], &sv, hops, caphops);
			if (!sv.paths)
				continue;
			v->services++;
			if (sv.used == sv.paths) {
				v->services_balanced++;
				continue;
			}
			sv.router = k;
			sv.prefix = *rib_prefix(w, pids[i]);
			for (at = v->nservices_ex;
			     at && service_worse(&sv, &v->services_ex[at - 1]);
			     at--)
				;
			if (at >= SIM_CAUSE_EXAMPLES)
				continue;
			if (v->nservices_ex < SIM_CAUSE_EXAMPLES)
				v->nservices_ex++;
			memmove(&v->services_ex[at + 1], &v->services_ex[at],
			        (v->nservices_ex - 1 - at) * sizeof(sv));
			v->services_ex[at] = sv;
		}
	}
	free(hops);
	free(pids);
}

/* Nothing the analysis could judge (router-only or Calico-only input) is
 * not "ok": its finding says so. */
static void
nothing_analysed(struct causes *cs)
{
	size_t i;

	for (i = 0; i < az_nfindings(cs->az); i++)
		if (az_finding(cs->az, i)->rule == AZ_R_NOTHING_ANALYSED) {
			finding_cause(cs, (uint32_t)i);
			cs->s->verdict.ok = false;
		}
}

/* The analysis's warnings and notes, and what it could not judge: next
 * to the verdict, in lint's words (never a confident wrong answer). */
static void
not_analysed(struct causes *cs)
{
	struct sim *s = cs->s;
	struct rr_arena *a = &s->w.arena;
	struct sim_verdict *v = &s->verdict;
	const struct az_verdict *x = az_verdict(cs->az);
	struct rr_diag *notes, *warn;
	size_t i, n = az_nnotes(cs->az), nf = az_nfindings(cs->az), nw = 0;

	v->sessions_not_analysed = x->sessions_unknown;
	v->routes_not_analysed = x->routes_unknown;
	notes = rr_arena_calloc(a, n + 1, sizeof(*notes));
	for (i = 0; i < n; i++)
		diag_copy(a, &notes[i], az_note(cs->az, i));
	v->notes = notes;
	v->nnotes = n;
	/* a warning that already counts a miss is among the causes */
	for (i = 0; i < nf; i++)
		nw += az_finding(cs->az, i)->diag->sev == RR_SEV_WARNING &&
		      !cs->fcause[i];
	warn = rr_arena_calloc(a, nw + 1, sizeof(*warn));
	for (i = nw = 0; i < nf; i++) {
		const struct rr_diag *g = az_finding(cs->az, i)->diag;
		if (g->sev == RR_SEV_WARNING && !cs->fcause[i])
			diag_copy(a, &warn[nw++], g);
	}
	v->warnings = warn;
	v->nwarnings = nw;
}

void
verdict_finish(struct sim *s)
{
	struct world *w = &s->w;
	struct sim_verdict *v = &s->verdict;
	struct causes cs;

	memset(&cs, 0, sizeof(cs));
	cs.s = s;
	cs.max = w->opts.max_causes;
	cs.more = SIM_NONE;
	cs.mesh = SIM_NONE;
	cs.node_cause = rr_xcalloc(w->nspk + 1, sizeof(uint32_t));
	cs.seen = rr_xcalloc(w->nspk + 1, 1);
	cs.az = az_run(w->m, NULL);
	cs.fcause = rr_xcalloc(az_nfindings(cs.az) + 1, sizeof(uint32_t));
	map_sides(w, cs.az, &cs.azside, &cs.simside);
	expect(&cs);
	verdict_sessions(&cs);
	if (w->stats.mesh_elided)
		mesh_elided(&cs);
	verdict_routes(&cs);
	verdict_services(&cs);
	v->ok = v->sessions_up == v->sessions_expected &&
	        v->routes_ok == v->routes_expected && !w->stats.mesh_elided;
	nothing_analysed(&cs);
	not_analysed(&cs);
	v->causes = s->causes;
	v->ncauses = s->ncauses;
	free(cs.tab);
	free(cs.hash);
	free(cs.node_cause);
	free(cs.seen);
	free(cs.fcause);
	free(cs.azside);
	free(cs.simside);
	az_free(cs.az);
}
