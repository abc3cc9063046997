/*
 * rrkit sim --format json (docs/json.md, schema docs/schemas/sim.schema.json):
 * the run, every session, the routes on request (--routes), every state
 * change, the nodes grouped by outcome, and the verdict with every cause.
 * Streamed to the output as it is produced.
 */
#include "analyze/analyze.h"
#include "cli/json.h"
#include "cli/report.h"
#include "cli/sim_out.h"

#include <stdio.h>
#include <string.h>

static bool
shown(const struct simcli *c, uint32_t k)
{
	size_t i;
	for (i = 0; i < c->nwant; i++)
		if (c->want[i])
			return c->want[k];
	return true;
}

static void
secs(struct json *j, uint64_t ms)
{
	char t[8];
	/* the writer has integers only: the decimals follow in place */
	json_u64(j, ms / 1000);
	snprintf(t, sizeof(t), ".%03u", (unsigned)(ms % 1000));
	json_raw(j, t);
}

static void
opt_u64(struct json *j, const char *k, bool set, uint64_t v)
{
	json_key(j, k);
	if (set)
		json_u64(j, v);
	else
		json_null(j);
}

static void
run(struct json *j, const struct simcli *c)
{
	const struct sim_stats *st = sim_stats(c->s);

	json_key(j, "run");
	json_obj(j);
	json_key(j, "simulated");
	secs(j, st->end_ms);
	json_kstr(j, "stopped", st->converged ? "converged"
	                        : st->capped  ? "time cap"
	                                      : "until");
	json_key(j, "last_change");
	secs(j, st->last_change_ms);
	json_ku64(j, "speakers", sim_nspeakers(c->s));
	json_ku64(j, "sessions", sim_nsessions(c->s));
	json_ku64(j, "messages", st->messages);
	json_ku64(j, "updates", st->updates);
	json_ku64(j, "mesh_sessions", st->mesh_sessions);
	json_kbool(j, "mesh_simulated", !st->mesh_elided);
	json_end_obj(j);
}

static void
session(struct json *j, const struct simcli *c, const struct sim_session *ss)
{
	char b1[RR_ADDR_STRLEN], b2[RR_ADDR_STRLEN];

	json_obj(j);
	json_kstr(j, "speaker", sim_speaker(c->s, ss->speaker)->name);
	json_kstr(j, "speaker_address", simv_addr(&ss->local, b1, NULL));
	json_kstr(j, "peer_address", simv_addr(&ss->peer, b2, NULL));
	json_kstr(j, "state", bgp_fsm_state_name(ss->state));
	opt_u64(j, "hold", ss->negotiated, ss->hold);
	opt_u64(j, "keepalive", ss->negotiated, ss->keepalive);
	json_kstr(j, "last_error", ss->last_error);
	json_key(j, "notification");
	if (ss->notif) {
		json_obj(j);
		json_ku64(j, "code", ss->code);
		json_ku64(j, "subcode", ss->subcode);
		json_kstr(j, "name", simv_notif_name(ss->code, ss->subcode));
		json_end_obj(j);
	} else {
		json_null(j);
	}
	json_key(j, "established_at");
	if (ss->established_at_ms != SIM_NEVER)
		secs(j, ss->established_at_ms);
	else
		json_null(j);
	json_kstr(j, "peer_speaker",
	          ss->peer_speaker != SIM_NONE
	                  ? sim_speaker(c->s, ss->peer_speaker)->name
	                  : NULL);
	/* a Calico node's BIRD protocol (two may face one address, one
	 * waiting for BIRD's lock: lock_wait) */
	json_kstr(j, "protocol",
	          sim_speaker(c->s, ss->speaker)->kind == RR_SPK_CALICO &&
	                          ss->nb
	                  ? ss->nb->name
	                  : NULL);
	json_end_obj(j);
}

static void
sessions(struct json *j, const struct simcli *c)
{
	size_t i;

	json_key(j, "sessions");
	json_arr(j);
	for (i = 0; i < sim_nsessions(c->s); i++) {
		const struct sim_session *ss = sim_session(c->s, i);
		if (shown(c, ss->speaker))
			session(j, c, ss);
	}
	json_end_arr(j);
}

struct route_ctx {
	struct json *j;
	const struct sim_speaker *sp;
};

static void
route(void *ctx, const struct sim_route *r)
{
	struct route_ctx *x = ctx;
	struct json *j = x->j;
	char b[RR_PREFIX_STRLEN];
	size_t i;

	json_obj(j);
	json_kstr(j, "speaker", x->sp->name);
	json_kstr(j, "speaker_address", simv_addr(&x->sp->addr, b, NULL));
	json_kstr(j, "prefix", rr_prefix_str(&r->prefix, b));
	json_kstr(j, "next_hop", simv_addr(&r->next_hop, b, NULL));
	json_kstr(j, "from", simv_addr(&r->from, b, NULL));
	json_kbool(j, "best", r->best);
	json_kbool(j, "multipath", r->multipath);
	opt_u64(j, "local_pref", r->has_local_pref, r->local_pref);
	json_kstr(j, "originator_id",
	          r->has_originator ? simv_id(r->originator_id, b) : NULL);
	json_key(j, "cluster_list");
	json_arr(j);
	for (i = 0; i < r->ncluster; i++)
		json_str(j, simv_id(r->cluster_list[i], b));
	json_end_arr(j);
	json_key(j, "communities");
	json_arr(j);
	for (i = 0; i < r->ncommunities; i++) {
		snprintf(b, sizeof(b), "%u:%u", r->communities[i] >> 16,
		         r->communities[i] & 0xffff);
		json_str(j, b);
	}
	json_end_arr(j);
	json_key(j, "large_communities");
	json_arr(j);
	for (i = 0; i + 2 < r->nlarge_words; i += 3) {
		snprintf(b, sizeof(b), "%u:%u:%u", r->large_communities[i],
		         r->large_communities[i + 1],
		         r->large_communities[i + 2]);
		json_str(j, b);
	}
	json_end_arr(j);
	json_key(j, "as_path");
	json_arr(j);
	for (i = 0; i < r->nas_path; i++)
		json_u64(j, r->as_path[i]);
	json_end_arr(j);
	opt_u64(j, "med", r->has_med, r->med);
	json_end_obj(j);
}

static void
routes(struct json *j, const struct simcli *c)
{
	uint32_t k;

	json_key(j, "routes");
	if (!c->routes) {
		json_null(j);
		return;
	}
	json_arr(j);
	for (k = 0; k < sim_nspeakers(c->s); k++) {
		struct route_ctx x = {j, sim_speaker(c->s, k)};
		if (shown(c, k))
			sim_routes(c->s, k, route, &x);
	}
	json_end_arr(j);
}

static void
events(struct json *j, const struct simcli *c)
{
	char b[RR_ADDR_STRLEN];
	size_t i;

	json_key(j, "events");
	json_arr(j);
	for (i = 0; i < sim_nevents(c->s); i++) {
		const struct sim_event *e = sim_event(c->s, i);
		const struct sim_session *ss = sim_session(c->s, e->session);
		if (!shown(c, ss->speaker))
			continue;
		json_obj(j);
		json_key(j, "t");
		secs(j, e->t_ms);
		json_kstr(j, "speaker", sim_speaker(c->s, ss->speaker)->name);
		json_kstr(j, "peer", simv_addr(&ss->peer, b, NULL));
		json_kstr(j, "what", e->what);
		if (e->repeat) {
			json_ku64(j, "again", e->repeat);
			json_key(j, "last");
			secs(j, e->last_ms);
		}
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void
groups(struct json *j, const struct simcli *c)
{
	size_t i, k;

	json_key(j, "node_groups");
	json_arr(j);
	for (i = 0; i < c->nodes.n; i++) {
		const struct sim_group *g = &c->nodes.v[i];
		json_obj(j);
		json_kstr(j, "outcome", g->what);
		json_ku64(j, "count", g->n);
		json_key(j, "nodes");
		json_arr(j);
		for (k = 0; k < g->n; k++)
			json_str(j, sim_speaker(c->s, g->member[k])->name);
		json_end_arr(j);
		json_end_obj(j);
	}
	json_end_arr(j);
}

static void
loc_fields(struct json *j, const struct rr_loc *l)
{
	json_kstr(j, "file", l->line ? l->file : NULL);
	opt_u64(j, "line", l->line != 0, l->line);
	opt_u64(j, "col", l->line && l->col, l->col);
}

static void
examples(struct json *j, const struct simcli *c, const struct sim_cause *x)
{
	char p[RR_PREFIX_STRLEN], a[RR_ADDR_STRLEN];
	uint32_t i;

	json_key(j, "examples");
	json_arr(j);
	for (i = 0; i < x->nsession_ex; i++) {
		const struct sim_session *ss =
		        sim_session(c->s, x->session_ex[i]);
		json_obj(j);
		json_kstr(j, "kind", "session");
		json_kstr(j, "speaker", sim_speaker(c->s, ss->speaker)->name);
		json_kstr(j, "speaker_address", simv_addr(&ss->local, a, NULL));
		json_kstr(j, "peer_speaker",
		          ss->peer_speaker != SIM_NONE
		                  ? sim_speaker(c->s, ss->peer_speaker)->name
		                  : NULL);
		json_kstr(j, "peer_address", simv_addr(&ss->peer, a, NULL));
		json_end_obj(j);
	}
	for (i = 0; i < x->nroute_ex; i++) {
		const struct sim_route_ref *r = &x->route_ex[i];
		json_obj(j);
		json_kstr(j, "kind", "route");
		json_kstr(j, "node", sim_speaker(c->s, r->node)->name);
		json_kstr(j, "origin", sim_speaker(c->s, r->origin)->name);
		json_kstr(j, "prefix", rr_prefix_str(&r->prefix, p));
		json_end_obj(j);
	}
	json_end_arr(j);
}

/* A note: {"file", "line", "col", "message"}. */
static void
note(struct json *j, const struct rr_loc *l, const char *msg)
{
	json_obj(j);
	loc_fields(j, l);
	json_kstr(j, "message", msg);
	json_end_obj(j);
}

/* A diagnostic's fields, as lint's JSON writes a finding. */
static void
diag_fields(struct json *j, const struct rr_diag *g)
{
	size_t i;

	json_kstr(j, "rule", g->rule);
	json_kstr(j, "severity", report_sev_name(g->sev));
	loc_fields(j, &g->loc);
	json_kstr(j, "message", g->msg);
	json_key(j, "notes");
	json_arr(j);
	for (i = 0; i < g->nnotes; i++)
		note(j, &g->notes[i].loc, g->notes[i].msg);
	json_end_arr(j);
}

static void
cause(struct json *j, const struct simcli *c, const struct sim_cause *x)
{
	json_obj(j);
	diag_fields(j, &x->diag);
	json_kbool(j, "fault", x->fault);
	json_kbool(j, "unexplained", x->unexplained);
	json_ku64(j, "sessions", x->sessions);
	json_ku64(j, "routes", x->routes);
	examples(j, c, x);
	json_end_obj(j);
}

static void
verdict(struct json *j, const struct simcli *c)
{
	const struct sim_verdict *v = sim_verdict(c->s);
	size_t i;

	json_key(j, "verdict");
	json_obj(j);
	json_ku64(j, "sessions_up", v->sessions_up);
	json_ku64(j, "sessions_expected", v->sessions_expected);
	json_ku64(j, "routes_ok", v->routes_ok);
	json_ku64(j, "routes_expected", v->routes_expected);
	json_kbool(j, "ok", v->ok);
	json_kbool(j, "complete", !c->limit);
	json_key(j, "causes");
	json_arr(j);
	for (i = 0; i < v->ncauses; i++)
		cause(j, c, &v->causes[i]);
	json_end_arr(j);
	/* only where nodes originate service prefixes */
	if (v->services) {
		json_key(j, "services");
		json_obj(j);
		json_ku64(j, "at_routers", v->services);
		json_ku64(j, "balanced", v->services_balanced);
		json_key(j, "unbalanced");
		json_arr(j);
		for (i = 0; i < v->nservices_ex; i++) {
			const struct sim_service *x = &v->services_ex[i];
			char p[RR_PREFIX_STRLEN], w[256];
			json_obj(j);
			json_kstr(j, "router",
			          sim_speaker(c->s, x->router)->name);
			json_kstr(j, "prefix", rr_prefix_str(&x->prefix, p));
			json_ku64(j, "paths", x->paths);
			json_ku64(j, "used", x->used);
			json_kbool(j, "maximum_paths_set", x->mp_set);
			json_kbool(j, "ebgp", x->ebgp);
			json_kstr(j, "message",
			          az_service_words(
			                  w, sizeof(w),
			                  sim_speaker(c->s, x->router)->name,
			                  &x->prefix, x->paths, x->used,
			                  x->mp_set, x->ebgp));
			json_end_obj(j);
		}
		json_end_arr(j);
		json_end_obj(j);
	}
	json_ku64(j, "sessions_not_analysed", v->sessions_not_analysed);
	json_ku64(j, "routes_not_analysed", v->routes_not_analysed);
	json_key(j, "warnings");
	json_arr(j);
	for (i = 0; i < v->nwarnings; i++) {
		json_obj(j);
		diag_fields(j, &v->warnings[i]);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "notes");
	json_arr(j);
	for (i = 0; i < v->nnotes; i++)
		note(j, &v->notes[i].loc, v->notes[i].msg);
	json_end_arr(j);
	json_end_obj(j);
}

/* the verdict alone, as sim writes it (rrkit rollout's end state) */
void
sim_write_verdict_json(struct json *j, const struct simcli *c)
{
	verdict(j, c);
}

void
sim_write_json(struct out *o, const struct simcli *c)
{
	struct json j;

	json_init_sink(&j, out_sink, o, true);
	json_obj(&j);
	run(&j, c);
	sessions(&j, c);
	routes(&j, c);
	events(&j, c);
	groups(&j, c);
	verdict(&j, c);
	json_end_obj(&j);
}
