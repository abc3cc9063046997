/*
 * rrkit sim, text: summary first, so that a 5,000-node run fits a terminal
 * and a CI log.  In order: the run line; the verdict and its causes, each
 * rendered as `rrkit lint` renders a finding (file:line:col: error: message
 * [rule-id], the source line, notes) with the number of sessions and
 * routes it accounts for and the first examples; each router's `show ip
 * bgp summary` as IOS prints it (a large one without its Established
 * neighbors, counted instead); the nodes grouped by identical outcome in
 * `calicoctl node status` terms, every node outside the largest group
 * named.  On request: the full table of a speaker (--node, --all), the
 * route tables (--routes), the state changes (with --node, --all).
 * Written as produced (cli/out.h).
 */
#include "analyze/analyze.h"
#include "cli/cli.h"
#include "cli/report.h"
#include "cli/sim_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a router with more neighbors than this lists only those not up */
#define TEXT_ROUTER_ROWS 20
/* a group of nodes this small is named even when it is the largest */
#define TEXT_GROUP_NAMES 10
/* causes printed in full (source quoted); the rest one line each */
#define TEXT_CAUSES_QUOTED 20
#define TEXT_CAUSES        200

/* ------------------------------------------------------------ verdict */

static void
affects(struct out *o, const struct sim_cause *x)
{
	char a[32], b[32];

	out_printf(o, "  affects %s session%s and %s route%s%s\n",
	           simv_count(x->sessions, a, sizeof(a)),
	           x->sessions == 1 ? "" : "s",
	           simv_count(x->routes, b, sizeof(b)),
	           x->routes == 1 ? "" : "s",
	           x->nsession_ex || x->nroute_ex ? "; first:" : "");
}

static void
examples(struct out *o, const struct simcli *c, const struct sim_cause *x)
{
	char p[RR_PREFIX_STRLEN], a1[RR_ADDR_STRLEN], a2[RR_ADDR_STRLEN];
	uint32_t i;

	for (i = 0; i < x->nsession_ex && i < SIMV_EXAMPLES; i++) {
		const struct sim_session *ss =
		        sim_session(c->s, x->session_ex[i]);
		out_printf(o, "  session %s %s - %s %s\n",
		           sim_speaker(c->s, ss->speaker)->name,
		           simv_addr(&ss->local, a1, "-"),
		           ss->peer_speaker != SIM_NONE
		                   ? sim_speaker(c->s, ss->peer_speaker)->name
		                   : "nobody at",
		           simv_addr(&ss->peer, a2, "-"));
	}
	for (i = 0; i < x->nroute_ex && i < SIMV_EXAMPLES; i++)
		out_printf(o, "  route %s of %s missing at %s\n",
		           rr_prefix_str(&x->route_ex[i].prefix, p),
		           sim_speaker(c->s, x->route_ex[i].origin)->name,
		           sim_speaker(c->s, x->route_ex[i].node)->name);
}

static void
cause(struct out *o, const struct simcli *c, const struct sim_cause *x,
      bool quote)
{
	struct report_opts ro = {c->color, quote, RR_SEV_NOTE};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		rr_oom();
	report_one(f, c->diags, &x->diag, &ro);
	fclose(f);
	out_write(o, buf, len);
	free(buf);
	affects(o, x);
	examples(o, c, x);
}

/* Next to the verdict, as lint prints them: the analysis's warnings
 * (quoted), then what rrkit did not analyse or model and could change
 * the answer. */
static void
notes(struct out *o, const struct simcli *c, const struct sim_verdict *v)
{
	struct report_opts rw = {c->color, true, RR_SEV_NOTE};
	struct report_opts rn = {c->color, false, RR_SEV_NOTE};
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	if (!v->nwarnings && !v->nnotes)
		return;
	f = open_memstream(&buf, &len);
	if (!f)
		rr_oom();
	for (i = 0; i < v->nwarnings && i < TEXT_CAUSES; i++) {
		rw.quote_source = i < TEXT_CAUSES_QUOTED;
		report_one(f, c->diags, &v->warnings[i], &rw);
	}
	if (v->nwarnings > TEXT_CAUSES)
		fprintf(f, "... and %zu more warnings (--format json lists "
		           "them all)\n",
		        v->nwarnings - TEXT_CAUSES);
	for (i = 0; i < v->nnotes; i++)
		report_one(f, c->diags, &v->notes[i], &rn);
	fclose(f);
	out_write(o, buf, len);
	free(buf);
}

/* The service prefixes a router does not balance over every path, in
 * the words of lint's service-multipath-missing finding. */
static void
services(struct out *o, const struct simcli *c, const struct sim_verdict *v)
{
	uint64_t left = v->services - v->services_balanced;
	char w[256], a[32];
	uint32_t i;

	for (i = 0; i < v->nservices_ex; i++) {
		const struct sim_service *x = &v->services_ex[i];
		out_printf(o, "  %s\n",
		           az_service_words(w, sizeof(w),
		                            sim_speaker(c->s, x->router)->name,
		                            &x->prefix, x->paths, x->used,
		                            x->mp_set, x->ebgp));
	}
	if (left > v->nservices_ex)
		out_printf(o, "  ... and %s more (--format json lists the "
		              "first %d)\n",
		           simv_count(left - v->nservices_ex, a, sizeof(a)),
		           SIM_CAUSE_EXAMPLES);
}

static void
verdict(struct out *o, const struct simcli *c)
{
	const struct sim_verdict *v = sim_verdict(c->s);
	const struct sim_stats *st = sim_stats(c->s);
	char a[32], b[32], d[32], e[32];
	size_t i;

	out_printf(o, "verdict: %s/%s sessions established",
	           simv_count(v->sessions_up, a, sizeof(a)),
	           simv_count(v->sessions_expected, b, sizeof(b)));
	if (v->sessions_not_analysed)
		out_printf(o, " (%s not analysed)",
		           simv_count(v->sessions_not_analysed, a, sizeof(a)));
	out_printf(o, ", %s/%s pod routes reachable",
	           simv_count(v->routes_ok, d, sizeof(d)),
	           simv_count(v->routes_expected, e, sizeof(e)));
	if (v->routes_not_analysed)
		out_printf(o, " (%s not analysed)",
		           simv_count(v->routes_not_analysed, a, sizeof(a)));
	if (v->services)
		out_printf(o, ", %s/%s service prefixes use every path",
		           simv_count(v->services_balanced, d, sizeof(d)),
		           simv_count(v->services, e, sizeof(e)));
	out_printf(o, ": %s\n",
	           v->ok      ? "ok"
	           : c->limit ? "NOT SIMULATED (a limit of rrkit, exit 3)"
	                      : "NOT OK");
	if (c->limit)
		out_printf(o,
		           "rrkit: the node-to-node mesh (%s sessions) is too "
		           "large for rrkit to build, so it was not simulated: "
		           "its sessions, and the routes that would cross it, "
		           "are not known; this is a limit of rrkit, not a "
		           "fault of the network\n",
		           simv_count(st->mesh_sessions, a, sizeof(a)));
	services(o, c, v);
	for (i = 0; i < v->ncauses && i < TEXT_CAUSES; i++)
		cause(o, c, &v->causes[i], i < TEXT_CAUSES_QUOTED);
	if (v->ncauses > TEXT_CAUSES)
		out_printf(o, "... and %zu more causes (--format json lists "
		              "them all)\n",
		           v->ncauses - TEXT_CAUSES);
	notes(o, c, v);
}

/* the verdict alone, as sim prints it (rrkit rollout's end state) */
void
sim_write_verdict_text(struct out *o, const struct simcli *c)
{
	verdict(o, c);
}

/* ------------------------------------------------------------ routers */

struct sess_sort {
	const struct sim_session *ss;
	uint32_t i;
};

static int
cmp_sess(const void *a, const void *b)
{
	const struct sess_sort *x = a, *y = b;
	int r = rr_addr_cmp(&x->ss->peer, &y->ss->peer);
	return r ? r : (x->i < y->i ? -1 : x->i > y->i);
}

static void
ios_row(struct out *o, const struct simcli *c, const struct sim_speaker *sp,
        const struct sim_session *ss)
{
	char st[32], a[RR_ADDR_STRLEN], peer[RR_ADDR_STRLEN + 2], t[32];
	uint32_t ras = ss->nb && ss->nb->remote_as.set ? ss->nb->remote_as.v
	                                               : 0;

	if (ss->dynamic && ss->peer_as)
		ras = ss->peer_as; /* alternate-as: the AS it came with */

	snprintf(peer, sizeof(peer), "%s%s", ss->dynamic ? "*" : "",
	         simv_addr(&ss->peer, a, "-"));
	if (ss->state == FSM_ST_ESTABLISHED)
		snprintf(st, sizeof(st), "%8u", ss->pfx_rcvd);
	else if (!ss->enabled && ss->nb && ss->nb->shutdown.set &&
	         ss->nb->shutdown.v)
		snprintf(st, sizeof(st), "Idle (Admin)");
	else if (!ss->enabled && ss->notif && ss->notif_sent &&
	         ss->code == 6 && ss->subcode == 1)
		/* held down by maximum-prefix (Cease 6/1, RFC 4486 3) */
		snprintf(st, sizeof(st), "Idle (PfxCt)");
	else
		snprintf(st, sizeof(st), "%s", bgp_fsm_state_name(ss->state));
	if (ss->up_down_ms == SIM_NEVER)
		snprintf(t, sizeof(t), "never");
	else
		simv_clock(sim_stats(c->s)->end_ms - ss->up_down_ms, t,
		           sizeof(t));
	out_printf(o, "%-15s %1d %12u %7llu %7llu %8llu %4u %4u %-8s %s\n",
	           peer, 4, ras, (unsigned long long)ss->msgs_in,
	           (unsigned long long)ss->msgs_out,
	           (unsigned long long)(ss->state == FSM_ST_ESTABLISHED
	                                        ? sp->table_version
	                                        : 0),
	           0u, 0u, t, st);
}

/* IOS `show ip bgp summary`, neighbors sorted by address */
static void
text_ios(struct out *o, const struct simcli *c, uint32_t k)
{
	const struct sim_speaker *sp = sim_speaker(c->s, k);
	struct sess_sort *v;
	char id[RR_ADDR_STRLEN], n1[32], n2[32];
	uint32_t i, nup = 0;
	uint64_t pfx = 0;
	bool dyn = false, full = simv_detailed(c, k) ||
	                         sp->nsessions <= TEXT_ROUTER_ROWS;

	out_printf(o, "BGP router identifier %s, local AS number %u\n",
	           simv_id(sp->router_id, id), sp->asn);
	out_printf(o,
	           "BGP table version is %llu, main routing table version "
	           "%llu\n",
	           (unsigned long long)sp->table_version,
	           (unsigned long long)sp->table_version);
	out_printf(o, "%u network entries\n\n", sp->nbest);
	if (!sp->nsessions) {
		out_puts(o, "% No BGP neighbors configured\n");
		return;
	}
	v = rr_xcalloc(sp->nsessions, sizeof(*v));
	for (i = 0; i < sp->nsessions; i++) {
		v[i].ss = sim_session(c->s, sp->first_session + i);
		v[i].i = i;
	}
	qsort(v, sp->nsessions, sizeof(*v), cmp_sess);
	out_puts(o, "Neighbor        V           AS MsgRcvd MsgSent   TblVer  "
	            "InQ OutQ Up/Down  State/PfxRcd\n");
	for (i = 0; i < sp->nsessions; i++) {
		const struct sim_session *ss = v[i].ss;
		if (!full && ss->state == FSM_ST_ESTABLISHED) {
			nup++;
			pfx += ss->pfx_rcvd;
			continue;
		}
		dyn |= ss->dynamic;
		ios_row(o, c, sp, ss);
	}
	if (dyn)
		out_puts(o, "* Dynamically created based on a listen range "
		            "command\n");
	if (nup)
		out_printf(o,
		           "(%s%s neighbor%s Established, %s prefixes received "
		           "from them: --node %s lists them)\n",
		           nup < sp->nsessions ? "and " : "",
		           simv_count(nup, n1, sizeof(n1)), nup == 1 ? "" : "s",
		           simv_count(pfx, n2, sizeof(n2)), sp->name);
	free(v);
}

/* -------------------------------------------------------------- nodes */

struct row {
	char cell[5][128];
};

static void
table_line(struct out *o, const size_t *wd)
{
	size_t i, k;
	for (i = 0; i < 5; i++) {
		out_puts(o, "+");
		for (k = 0; k < wd[i] + 2; k++)
			out_puts(o, "-");
	}
	out_puts(o, "+\n");
}

static void
table_row(struct out *o, const size_t *wd, const struct row *r, bool center)
{
	size_t i;
	for (i = 0; i < 5; i++) {
		size_t n = strlen(r->cell[i]), pad = wd[i] - n,
		       left = center ? pad / 2 : 0;
		out_printf(o, "| %*s%s%*s ", (int)left, "", r->cell[i],
		           (int)(pad - left), "");
	}
	out_puts(o, "|\n");
}

/* calicoctl node status: one table per family, BIRD's words */
static void
text_node(struct out *o, const struct simcli *c, uint32_t k)
{
	const struct sim_speaker *sp = sim_speaker(c->s, k);
	static const char *const hdr[5] = {"PEER ADDRESS", "PEER TYPE", "STATE",
	                                   "SINCE", "INFO"};
	struct row *rows = rr_xcalloc(sp->nsessions + 1, sizeof(*rows));
	int fam;

	out_puts(o, "Calico process is running.\n");
	for (fam = 0; fam < 2; fam++) {
		size_t n = 0, wd[5], i;
		uint32_t s;
		struct row h;
		for (i = 0; i < 5; i++) {
			wd[i] = strlen(hdr[i]);
			snprintf(h.cell[i], sizeof(h.cell[i]), "%s", hdr[i]);
		}
		for (s = 0; s < sp->nsessions; s++) {
			const struct sim_session *ss =
			        sim_session(c->s, sp->first_session + s);
			const char *type;
			struct row *r = &rows[n];
			if (ss->ipv6 != (fam == 1) ||
			    !simv_peer(ss, r->cell[0], sizeof(r->cell[0]),
			               &type))
				continue;
			snprintf(r->cell[1], sizeof(r->cell[1]), "%s", type);
			snprintf(r->cell[2], sizeof(r->cell[2]), "%s",
			         sim_bird_proto_state(ss));
			simv_clock(ss->since_ms, r->cell[3], sizeof(r->cell[3]));
			sim_bird_info(ss, r->cell[4], sizeof(r->cell[4]));
			for (i = 0; i < 5; i++)
				if (strlen(r->cell[i]) > wd[i])
					wd[i] = strlen(r->cell[i]);
			n++;
		}
		out_printf(o, "\nIPv%d BGP status\n", fam ? 6 : 4);
		if (!n) {
			out_printf(o, "No IPv%d peers found.\n", fam ? 6 : 4);
			continue;
		}
		table_line(o, wd);
		table_row(o, wd, &h, true);
		table_line(o, wd);
		for (i = 0; i < n; i++)
			table_row(o, wd, &rows[i], false);
		table_line(o, wd);
	}
	free(rows);
}

/* the names of a group's nodes, wrapped at 80 columns */
static void
names(struct out *o, const struct simcli *c, const struct sim_group *g)
{
	size_t i, col = 0;
	for (i = 0; i < g->n; i++) {
		const char *nm = sim_speaker(c->s, g->member[i])->name;
		size_t w = strlen(nm) + 1;
		if (col && col + w > 78) {
			out_puts(o, "\n");
			col = 0;
		}
		out_printf(o, "%s%s", col ? " " : "  ", nm);
		col += w + (col ? 0 : 1);
	}
	out_puts(o, "\n");
}

static void
text_groups(struct out *o, const struct simcli *c)
{
	char n[32];
	size_t i;

	if (!c->nodes.n)
		return;
	out_puts(o, "\n== nodes (calicoctl node status)\n");
	for (i = 0; i < c->nodes.n; i++) {
		const struct sim_group *g = &c->nodes.v[i];
		out_printf(o, "%s node%s: %s\n", simv_count(g->n, n, sizeof(n)),
		           g->n == 1 ? "" : "s", g->what);
		if (i || g->n <= TEXT_GROUP_NAMES)
			names(o, c, g);
	}
}

/* ------------------------------------------------------------- routes */

struct route_ctx {
	struct out *o;
	size_t n;
};

static void
text_route(void *ctx, const struct sim_route *r)
{
	struct route_ctx *x = ctx;
	char p[RR_PREFIX_STRLEN], a[RR_ADDR_STRLEN];
	size_t i;

	x->n++;
	out_printf(x->o, "  %s %-18s",
	           r->best ? "*>" : r->multipath ? "*m" : "* ",
	           rr_prefix_str(&r->prefix, p));
	if (r->session == SIM_NONE) {
		out_puts(x->o, " local\n");
		return;
	}
	out_printf(x->o, " via %s", simv_addr(&r->next_hop, a, "-"));
	out_printf(x->o, " from %s", simv_addr(&r->from, a, "-"));
	if (r->has_local_pref)
		out_printf(x->o, " lp %u", r->local_pref);
	if (r->nas_path) {
		out_puts(x->o, " as-path");
		for (i = 0; i < r->nas_path; i++)
			out_printf(x->o, " %u", r->as_path[i]);
	}
	if (r->has_originator)
		out_printf(x->o, " originator %s",
		           simv_id(r->originator_id, a));
	if (r->ncluster) {
		out_puts(x->o, " cluster-list");
		for (i = 0; i < r->ncluster; i++)
			out_printf(x->o, " %s", simv_id(r->cluster_list[i], a));
	}
	if (r->ncommunities) {
		out_puts(x->o, " community");
		for (i = 0; i < r->ncommunities; i++)
			out_printf(x->o, " %u:%u", r->communities[i] >> 16,
			           r->communities[i] & 0xffff);
	}
	if (r->nlarge_words >= 3) {
		out_puts(x->o, " large-community");
		for (i = 0; i + 2 < r->nlarge_words; i += 3)
			out_printf(x->o, " %u:%u:%u", r->large_communities[i],
			           r->large_communities[i + 1],
			           r->large_communities[i + 2]);
	}
	out_puts(x->o, "\n");
}

/* the speakers whose routes --routes prints: those asked for, else all */
static bool
routes_of(const struct simcli *c, uint32_t k)
{
	size_t i;
	if (!c->routes)
		return false;
	for (i = 0; i < c->nwant; i++)
		if (c->want[i])
			return c->want[k];
	return true;
}

static void
text_speaker(struct out *o, const struct simcli *c, uint32_t k)
{
	const struct sim_speaker *sp = sim_speaker(c->s, k);
	bool node = simv_detailed(c, k) && sp->kind == RR_SPK_CALICO;
	bool routes = routes_of(c, k);
	struct route_ctx x = {o, 0};
	char t[32];

	if (!node && !routes)
		return; /* a router's table is above */
	out_printf(o, "\n== %s (%s)\n", sp->name,
	           node ? "calicoctl node status" : "routes");
	if (sp->failed) {
		simv_secs(sp->failed_at_ms, t, sizeof(t));
		out_printf(o, "failed at %s s (--fail): no answer\n", t);
		return;
	}
	if (node)
		text_node(o, c, k);
	if (!routes)
		return;
	out_puts(o, node ? "\nroutes:\n" : "");
	sim_routes(c->s, k, text_route, &x);
	if (!x.n)
		out_puts(o, "  none\n");
}

static void
text_events(struct out *o, const struct simcli *c)
{
	char t[32], a[RR_ADDR_STRLEN];
	size_t i, nev = 0;
	bool any = c->all;

	for (i = 0; i < c->nwant && !any; i++)
		any = c->want[i];
	if (!any)
		return;
	out_puts(o, "\nevents:\n");
	for (i = 0; i < sim_nevents(c->s); i++) {
		const struct sim_event *e = sim_event(c->s, i);
		const struct sim_session *ss = sim_session(c->s, e->session);
		if (!simv_detailed(c, ss->speaker))
			continue;
		nev++;
		simv_secs(e->t_ms, t, sizeof(t));
		out_printf(o, "  %9s  %-16s %-16s %s", t,
		           sim_speaker(c->s, ss->speaker)->name,
		           simv_addr(&ss->peer, a, "-"), e->what);
		if (e->repeat) {
			simv_secs(e->last_ms, t, sizeof(t));
			out_printf(o, " (again %u time%s, the last at %s s)",
			           e->repeat, e->repeat == 1 ? "" : "s", t);
		}
		out_puts(o, "\n");
	}
	if (!nev)
		out_puts(o, "  none\n");
}

void
sim_write_text(struct out *o, const struct simcli *c)
{
	const struct sim_stats *st = sim_stats(c->s);
	char t[32], a[32], b[32], d[32], e[32], lc[32], why[96];
	uint32_t k;

	simv_secs(st->end_ms, t, sizeof(t));
	simv_secs(st->last_change_ms, lc, sizeof(lc));
	if (st->converged)
		snprintf(why, sizeof(why),
		         "converged at %s s", lc);
	else
		snprintf(why, sizeof(why), "%s",
		         st->capped ? "time cap reached" : "stopped by --until");
	out_printf(o,
	           "simulated %s s (%s): %s speakers, %s sessions, %s "
	           "messages, %s UPDATEs\n\n",
	           t, why,
	           simv_count(sim_nspeakers(c->s), a, sizeof(a)),
	           simv_count(sim_nsessions(c->s), b, sizeof(b)),
	           simv_count(st->messages, d, sizeof(d)),
	           simv_count(st->updates, e, sizeof(e)));
	verdict(o, c);
	for (k = 0; k < sim_nspeakers(c->s); k++) {
		const struct sim_speaker *sp = sim_speaker(c->s, k);
		if (sp->kind != RR_SPK_IOS)
			continue;
		out_printf(o, "\n== %s (show ip bgp summary)\n", sp->name);
		if (sp->failed) {
			simv_secs(sp->failed_at_ms, t, sizeof(t));
			out_printf(o, "failed at %s s (--fail): no answer\n",
			           t);
			continue;
		}
		text_ios(o, c, k);
	}
	text_groups(o, c);
	for (k = 0; k < sim_nspeakers(c->s); k++)
		text_speaker(o, c, k);
	text_events(o, c);
}
