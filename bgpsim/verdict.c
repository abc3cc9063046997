/*
 * The verdict of a run: every expected session up, and every node holding
 * a route to every other node's blocks whose next hop leads to that node.
 * Each miss gets a cause pointing at the configuration line behind it: for
 * a session, the refusing side's expectation (RFC 4271 6.2 OPEN errors),
 * TCP MD5 (RFC 2385), a refused connection, a side never started; for a
 * route, the hop where it stops (iBGP split horizon and reflection, RFC
 * 4456 6 and 8; Calico's export policy; an import drop).
 */
#include "bgpsim/simpriv.h"

#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------- verdict */

static struct sim_missing *
add_missing(struct sim *s, enum sim_missing_kind kind)
{
	struct sim_missing *x;

	if (s->nmissing == s->capmissing) {
		s->capmissing = s->capmissing ? s->capmissing * 2 : 16;
		s->missing =
		        rr_xrealloc(s->missing, s->capmissing * sizeof(*x));
	}
	x = &s->missing[s->nmissing++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->session = x->speaker = x->origin = SIM_NONE;
	return x;
}

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

/* Why an expected session is not up: text, config line, side blamed. */
static void
session_cause(struct sim *s, uint32_t si, struct sim_missing *x)
{
	struct world *w = &s->w;
	struct rr_arena *a = &w->arena;
	const struct wside *sd = &w->side[si], *t = NULL, *r = NULL, *o;
	char b1[RR_ADDR_STRLEN], b2[RR_ADDR_STRLEN];
	uint32_t ti = sd->pub.partner;

	x->session = si;
	x->loc = *nb_loc(sd);
	if (ti != SIM_NONE)
		t = &w->side[ti];
	{
		uint32_t p = sd->pub.peer_speaker;
		uint32_t dead =
		        w->spk[sd->pub.speaker].pub.failed ? sd->pub.speaker
		        : p != SIM_NONE && w->spk[p].pub.failed ? p
		                                                : SIM_NONE;
		if (dead != SIM_NONE) {
			x->cause = rr_arena_printf(
			        a, "%s failed at %llu.%03llu s (--fail)",
			        spk_name(w, dead),
			        (unsigned long long)(w->spk[dead]
			                                     .pub.failed_at_ms /
			                             1000),
			        (unsigned long long)(w->spk[dead]
			                                     .pub.failed_at_ms %
			                             1000));
			return;
		}
		if (p != SIM_NONE && cut_at_end(w, sd->pub.speaker, p)) {
			x->cause = rr_arena_printf(
			        a, "the link %s - %s is cut (--cut)",
			        spk_name(w, sd->pub.speaker), spk_name(w, p));
			return;
		}
	}
	if (t && !t->pub.enabled) {
		x->session = ti;
		x->cause = rr_arena_printf(
		        a, "%s: neighbor %s %s", spk_name(w, t->pub.speaker),
		        addr_s(&t->pub.peer, b1), t->disabled_why);
		x->loc = t->disabled_at;
		return;
	}
	if (!sd->pub.enabled) {
		x->cause = rr_arena_printf(
		        a, "%s: %s %s", spk_name(w, sd->pub.speaker),
		        addr_s(&sd->pub.peer, b1), sd->disabled_why);
		x->loc = sd->disabled_at;
		return;
	}
	if (!t) {
		uint32_t p = sd->pub.peer_speaker;
		if (p == SIM_NONE)
			x->cause = rr_arena_printf(
			        a, "no speaker in the inputs owns %s",
			        addr_s(&sd->pub.peer, b1));
		else if (w->spk[p].pub.kind == RR_SPK_IOS)
			x->cause = rr_arena_printf(
			        a,
			        "%s has no neighbor or listen range for %s: it "
			        "refuses the connection",
			        spk_name(w, p), addr_s(&sd->pub.local, b1));
		else
			x->cause = rr_arena_printf(
			        a,
			        "%s has no session toward %s: BIRD drops the "
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
		x->session = ri;
		switch (r->pub.subcode) {
		case ERR_OPEN_PEER_AS:
			x->cause = rr_arena_printf(
			        a,
			        "%s expects AS %u from %s, which has AS %u "
			        "(NOTIFICATION 2/2 Bad Peer AS)",
			        spk_name(w, r->pub.speaker), r->cfg.remote_as,
			        spk_name(w, o->pub.speaker), o->cfg.local_as);
			x->loc = r->pub.nb->remote_as.set
			                 ? r->pub.nb->remote_as.at
			                 : *nb_loc(r);
			return;
		case ERR_OPEN_HOLDTIME: {
			uint16_t h = o->cfg.open ? o->cfg.open->hold : 0;
			x->session = oi;
			x->cause = rr_arena_printf(
			        a,
			        "%s offers hold time %u s, which %s refuses "
			        "(NOTIFICATION 2/6 Unacceptable Hold Time)",
			        spk_name(w, o->pub.speaker), h,
			        spk_name(w, r->pub.speaker));
			x->loc = *hold_loc(w, o);
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
			x->session = (uint32_t)(ios - w->side);
			x->cause = rr_arena_printf(
			        a,
			        "%s and %s use the same BGP identifier %s "
			        "(NOTIFICATION 2/3 Bad BGP Identifier)",
			        spk_name(w, r->pub.speaker),
			        spk_name(w, o->pub.speaker),
			        rr_addr_str(&id, b1));
			x->loc = sp->router_id.set ? sp->router_id.at : sp->loc;
			return;
		}
		default:
			x->cause = rr_arena_printf(
			        a, "%s refuses the OPEN of %s: %s",
			        spk_name(w, r->pub.speaker),
			        spk_name(w, o->pub.speaker),
			        r->pub.last_error ? r->pub.last_error
			                          : "NOTIFICATION");
			x->loc = *nb_loc(r);
			return;
		}
	}
	if (sd->pw != t->pw || (sd->pw && sd->pw_hash != t->pw_hash)) {
		const struct wside *h = sd->pw ? sd : t;
		x->session = (uint32_t)(h - w->side);
		x->cause = rr_arena_printf(
		        a,
		        sd->pw && t->pw
		                ? "the TCP MD5 passwords of %s and %s differ: "
		                  "the SYNs are dropped"
		                : "only %s sets a TCP MD5 password (not %s): "
		                  "the SYNs are dropped",
		        spk_name(w, h->pub.speaker),
		        spk_name(w, (h == sd ? t : sd)->pub.speaker));
		x->loc = h->pub.nb->password.set ? h->pub.nb->password.at
		                                 : *nb_loc(h);
		return;
	}
	if (sd->cfg.passive && t->cfg.passive) {
		x->cause = rr_arena_printf(
		        a, "%s and %s are both passive: nobody dials",
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
			x->session = (uint32_t)(d - w->side);
			x->cause = rr_arena_printf(
			        a, "%s dials port %u, but %s listens on %u",
			        spk_name(w, d->pub.speaker), d->pub.port,
			        spk_name(w, e->pub.speaker),
			        w->spk[e->pub.speaker].listen_port);
			x->loc = *nb_loc(d);
			return;
		}
	}
	x->cause = rr_arena_printf(
	        a, "not established (%s: %s; %s: %s)",
	        spk_name(w, sd->pub.speaker),
	        sd->pub.last_error ? sd->pub.last_error
	                           : bgp_fsm_state_name(sd->pub.state),
	        spk_name(w, t->pub.speaker),
	        t->pub.last_error ? t->pub.last_error
	                          : bgp_fsm_state_name(t->pub.state));
	(void)b2;
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
         struct sim_missing *m)
{
	struct world *w = &s->w;
	const struct wside *p = &w->side[pi];
	uint32_t ia, src = rib_best(w, x, pid, &ia);
	char b1[RR_ADDR_STRLEN], b2[RR_ADDR_STRLEN];
	const char *to = spk_name(w, p->pub.peer_speaker);

	m->session = pi;
	m->loc = *nb_loc(p);
	switch (why) {
	case RIB_SPLIT_HORIZON:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s does not pass it on to %s: it came from %s, and "
		        "neither is a route-reflector client (iBGP split "
		        "horizon)",
		        spk_name(w, x), to,
		        src < w->nside ? addr_s(&w->side[src].pub.peer, b1)
		                       : "itself");
		break;
	case RIB_NO_C2C:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s does not reflect between clients (no bgp "
		        "client-to-client reflection)",
		        spk_name(w, x));
		if (w->spk[x].pub.spk->client_to_client.set)
			m->loc = w->spk[x].pub.spk->client_to_client.at;
		break;
	case RIB_CALICO_POOL:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s exports only its blocks and routes inside its "
		        "IPPools (calico-semantics R32)",
		        spk_name(w, x));
		break;
	case RIB_CALICO_DISABLED:
		m->cause = rr_arena_printf(
		        &w->arena, "%s: the IPPool has disableBGPExport",
		        spk_name(w, x));
		break;
	case RIB_FAMILY:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s's session to %s carries only IPv%d routes: no "
		        "IPv%d session carries it",
		        spk_name(w, x), to, p->pub.ipv6 ? 6 : 4,
		        p->pub.ipv6 ? 4 : 6);
		break;
	case RIB_NOT_ACTIVATED:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s: neighbor %s is not activated for this address "
		        "family",
		        spk_name(w, x), addr_s(&p->pub.peer, b2));
		break;
	default:
		m->cause =
		        rr_arena_printf(&w->arena, "%s does not send it to %s",
		                        spk_name(w, x), to);
		break;
	}
}

static bool
drop_text(struct sim *s, uint32_t di, struct sim_missing *m)
{
	struct world *w = &s->w;
	const struct wside *d = &w->side[di];
	const struct wspk *sp = &w->spk[d->pub.speaker];
	const struct rr_speaker *spk = sp->pub.spk;
	struct rr_addr c = rr_addr_from_v4(d->rib.drop_val);
	char b1[RR_ADDR_STRLEN];

	m->session = di;
	switch (d->rib.drop) {
	case RIB_DROP_CLUSTER:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s drops it: its CLUSTER_LIST holds %s, %s's own "
		        "cluster id (reflectors sharing a cluster id must "
		        "share their clients)",
		        sp->pub.name, rr_addr_str(&c, b1), sp->pub.name);
		m->loc = spk->cluster_id.set  ? spk->cluster_id.at
		         : spk->router_id.set ? spk->router_id.at
		                              : spk->loc;
		return true;
	case RIB_DROP_ORIGINATOR:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s drops it: its ORIGINATOR_ID is %s's own router id",
		        sp->pub.name, sp->pub.name);
		m->loc = spk->router_id.set ? spk->router_id.at : spk->loc;
		return true;
	case RIB_DROP_ASLOOP:
		m->cause = rr_arena_printf(
		        &w->arena, "%s drops it: its AS_PATH holds AS %u",
		        sp->pub.name, d->cfg.local_as);
		m->loc = *nb_loc(d);
		return true;
	case RIB_DROP_FAMILY:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s ignores it: the session does not carry this "
		        "address family",
		        sp->pub.name);
		m->loc = *nb_loc(d);
		return true;
	case RIB_DROP_WITHDRAW:
		m->cause = rr_arena_printf(
		        &w->arena,
		        "%s treats it as withdrawn (malformed, RFC 7606)",
		        sp->pub.name);
		m->loc = *nb_loc(d);
		return true;
	default:
		return false;
	}
}

/* Walk from n toward the origin m: who has the route and why it stops. */
static bool
explain(struct sim *s, uint32_t n, uint32_t pid, uint32_t m, unsigned depth,
        uint8_t *seen, struct sim_missing *x)
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
				why_text(s, peer, pid, pi, why, x);
				return true;
			}
			if (d->rib.ndrops && drop_text(s, di, x))
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
		if (explain(s, peer, pid, m, depth + 1, seen, x))
			return true;
	}
	return false;
}

static void
route_cause(struct sim *s, uint32_t n, uint32_t pid, uint32_t m,
            struct sim_missing *x, uint8_t *seen)
{
	struct world *w = &s->w;
	char b1[RR_PREFIX_STRLEN], b2[RR_ADDR_STRLEN];
	uint32_t ia, si;

	x->loc = w->spk[n].pub.spk->loc;
	if (rib_best(w, n, pid, &ia) != SIM_NONE) {
		const struct rib_attrs *a = rib_attrs(w, ia);
		x->cause = rr_arena_printf(
		        &w->arena,
		        "%s's route for %s points at next hop %s, which does "
		        "not lead to %s",
		        spk_name(w, n), rr_prefix_str(&w->pfx[pid].p, b1),
		        addr_s(&a->next_hop, b2), spk_name(w, m));
		return;
	}
	if (!w->spk[n].pub.nsessions || !w->spk[m].pub.nsessions) {
		uint32_t who = w->spk[n].pub.nsessions ? m : n;
		x->loc = w->spk[who].pub.spk->loc;
		x->cause = rr_arena_printf(
		        &w->arena,
		        "%s has no BGP session (no mesh and no BGPPeer selects "
		        "it)",
		        spk_name(w, who));
		return;
	}
	if (!any_up(w, n) || !any_up(w, m)) {
		struct sim_missing sc;
		uint32_t who = any_up(w, n) ? m : n;
		si = first_down(w, who);
		memset(&sc, 0, sizeof(sc));
		session_cause(s, si, &sc);
		x->session = sc.session;
		x->loc = sc.loc;
		x->cause = rr_arena_printf(&w->arena,
		                           "%s has no established session: %s",
		                           spk_name(w, who), sc.cause);
		return;
	}
	memset(seen, 0, w->nspk);
	if (explain(s, n, pid, m, 0, seen, x))
		return;
	x->cause = rr_arena_printf(&w->arena, "no path from %s reaches %s",
	                           spk_name(w, m), spk_name(w, n));
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

void
verdict_finish(struct sim *s)
{
	struct world *w = &s->w;
	struct sim_verdict *v = &s->verdict;
	uint32_t si, n, m;
	size_t i;
	uint64_t budget = w->opts.max_missing;
	uint8_t *seen = rr_xcalloc(w->nspk + 1, 1);
	uint32_t **origin_pids = rr_xcalloc(w->nspk + 1, sizeof(uint32_t *));

	/* faults change what is expected: a dead speaker's sessions and
	 * routes, sessions over a link still cut */
	for (si = 0; si < w->nside; si++) {
		struct wside *sd = &w->side[si];
		uint32_t a = sd->pub.speaker, b = sd->pub.peer_speaker;
		if (w->spk[a].pub.failed ||
		    (b != SIM_NONE &&
		     (w->spk[b].pub.failed || cut_at_end(w, a, b))))
			sd->pub.expected = false;
	}
	for (si = 0; si < w->nside; si++) {
		if (!w->side[si].pub.expected)
			continue;
		v->sessions_expected++;
		if (session_up(w, si)) {
			v->sessions_up++;
			continue;
		}
		if (budget) {
			budget--;
			session_cause(s, si, add_missing(s, SIM_MISS_SESSION));
		} else {
			v->unexplained++;
		}
	}
	if (w->stats.mesh_elided) {
		const struct rr_calico *c = &w->m->calico;
		struct sim_missing *x = add_missing(s, SIM_MISS_SESSION);
		v->sessions_expected += w->stats.mesh_sessions;
		x->cause = rr_arena_printf(
		        &w->arena,
		        "the node-to-node mesh (%llu sessions) is too large to "
		        "simulate and was not built",
		        (unsigned long long)w->stats.mesh_sessions);
		for (i = 0; i < c->nbgpconfigs; i++)
			if (c->bgpconfigs[i].meta.name &&
			    !strcmp(c->bgpconfigs[i].meta.name, "default"))
				x->loc =
				        c->bgpconfigs[i].node_to_node_mesh_enabled
				                        .set
				                ? c->bgpconfigs[i]
				                          .node_to_node_mesh_enabled
				                          .at
				                : c->bgpconfigs[i].meta.loc;
	}
	for (n = 0; n < w->nspk; n++) {
		const struct rr_speaker *sp = w->spk[n].pub.spk;
		if (!is_node(w, n) || !sp->noriginates)
			continue;
		origin_pids[n] = rr_xcalloc(sp->noriginates, sizeof(uint32_t));
		for (i = 0; i < sp->noriginates; i++)
			origin_pids[n][i] =
			        rib_prefix_id(w, &sp->originates[i].p);
	}
	for (n = 0; n < w->nspk; n++) {
		const struct rr_speaker *ns = w->spk[n].pub.spk;
		if (!is_node(w, n))
			continue;
		for (m = 0; m < w->nspk; m++) {
			const struct rr_speaker *ms = w->spk[m].pub.spk;
			if (m == n || !origin_pids[m])
				continue;
			for (i = 0; i < ms->noriginates; i++) {
				uint32_t pid = origin_pids[m][i];
				struct sim_missing *x;
				if (!has_family(ns,
				                ms->originates[i].p.addr.af) ||
				    rib_map_get(&w->spk[n].rib.local, pid))
					continue;
				v->routes_expected++;
				if (reaches(w, n, pid, m)) {
					v->routes_ok++;
					continue;
				}
				if (!budget) {
					v->unexplained++;
					continue;
				}
				budget--;
				x = add_missing(s, SIM_MISS_ROUTE);
				x->speaker = n;
				x->origin = m;
				x->prefix = w->pfx[pid].p;
				route_cause(s, n, pid, m, x, seen);
			}
		}
	}
	v->ok = v->sessions_up == v->sessions_expected &&
	        v->routes_ok == v->routes_expected && !w->stats.mesh_elided;
	v->missing = s->missing;
	v->nmissing = s->nmissing;
	for (n = 0; n < w->nspk; n++)
		free(origin_pids[n]);
	free(origin_pids);
	free(seen);
}

