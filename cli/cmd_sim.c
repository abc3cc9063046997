/*
 * rrkit sim: replay the peering the configs describe (bgpsim/sim.h) and
 * show what the router's `show ip bgp summary` and each node's `calicoctl
 * node status` would say, the routes each speaker selected, every session
 * state change, and the verdict (docs/sim.md; JSON in docs/json.md).
 * Exit 0 when every expected session is up and every node reaches every
 * other node's blocks, 1 otherwise, 2 on bad input.
 */
#include "bgpsim/sim.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "cli/load.h"
#include "cli/report.h"

#include "cli/sim_dot.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FAULTS      64
#define TEXT_MAX_EVENTS 500
#define TEXT_MAX_MISS   100

struct simcli {
	struct sim *s;
	const struct rr_model *m;
	const char *node; /* --node */
	uint32_t node_k;
};

/* ------------------------------------------------------------ helpers */

static const char *
secs(uint64_t ms, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%03llu", (unsigned long long)(ms / 1000),
	         (unsigned long long)(ms % 1000));
	return buf;
}

/* hh:mm:ss of simulated time */
static const char *
clock_str(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000;
	snprintf(buf, len, "%02llu:%02llu:%02llu",
	         (unsigned long long)(s / 3600),
	         (unsigned long long)(s / 60 % 60),
	         (unsigned long long)(s % 60));
	return buf;
}

static const char *
addr_or(const struct rr_addr *a, char *buf, const char *none)
{
	return a->af ? rr_addr_str(a, buf) : none;
}

static const char *
id_str(uint32_t v, char *buf)
{
	struct rr_addr a = rr_addr_from_v4(v);
	return rr_addr_str(&a, buf);
}

static bool
shown(const struct simcli *c, uint32_t k)
{
	return !c->node || c->node_k == k;
}

static void
json_secs(struct json *j, uint64_t ms)
{
	/* the writer has integers only: the decimals follow in place */
	json_u64(j, ms / 1000);
	char t[8];
	snprintf(t, sizeof(t), ".%03u", (unsigned)(ms % 1000));
	json_raw(j, t);
}

static const char *
notif_name(uint8_t code, uint8_t sub)
{
	const char *c = bgp_err_name(code), *s = bgp_suberr_name(code, sub);
	if (s && *s && sub)
		return s;
	return c ? c : "unknown";
}

/* ------------------------------------------------------------- JSON */

static void
json_sessions(struct json *j, const struct simcli *c)
{
	char b1[RR_ADDR_STRLEN], b2[RR_ADDR_STRLEN];
	size_t i;

	json_key(j, "sessions");
	json_arr(j);
	for (i = 0; i < sim_nsessions(c->s); i++) {
		const struct sim_session *ss = sim_session(c->s, i);
		if (!shown(c, ss->speaker))
			continue;
		json_obj(j);
		json_kstr(j, "speaker", sim_speaker(c->s, ss->speaker)->name);
		json_kstr(j, "speaker_address", addr_or(&ss->local, b1, NULL));
		json_kstr(j, "peer_address", addr_or(&ss->peer, b2, NULL));
		json_kstr(j, "state", bgp_fsm_state_name(ss->state));
		json_key(j, "hold");
		if (ss->negotiated)
			json_u64(j, ss->hold);
		else
			json_null(j);
		json_key(j, "keepalive");
		if (ss->negotiated)
			json_u64(j, ss->keepalive);
		else
			json_null(j);
		json_kstr(j, "last_error", ss->last_error);
		json_key(j, "notification");
		if (ss->notif) {
			json_obj(j);
			json_ku64(j, "code", ss->code);
			json_ku64(j, "subcode", ss->subcode);
			json_kstr(j, "name", notif_name(ss->code, ss->subcode));
			json_end_obj(j);
		} else {
			json_null(j);
		}
		json_key(j, "established_at");
		if (ss->established_at_ms != SIM_NEVER)
			json_secs(j, ss->established_at_ms);
		else
			json_null(j);
		json_end_obj(j);
	}
	json_end_arr(j);
}

struct route_ctx {
	struct json *j;
	struct strbuf *b;
	const struct simcli *c;
	const struct sim_speaker *sp;
	size_t n;
};

static void
json_route(void *ctx, const struct sim_route *r)
{
	struct route_ctx *x = ctx;
	struct json *j = x->j;
	char b[RR_PREFIX_STRLEN];
	size_t i;

	json_obj(j);
	json_kstr(j, "speaker", x->sp->name);
	json_kstr(j, "speaker_address", addr_or(&x->sp->addr, b, NULL));
	json_kstr(j, "prefix", rr_prefix_str(&r->prefix, b));
	json_kstr(j, "next_hop", addr_or(&r->next_hop, b, NULL));
	json_kstr(j, "from", addr_or(&r->from, b, NULL));
	json_kbool(j, "best", r->best);
	json_key(j, "local_pref");
	if (r->has_local_pref)
		json_u64(j, r->local_pref);
	else
		json_null(j);
	json_kstr(j, "originator_id",
	          r->has_originator ? id_str(r->originator_id, b) : NULL);
	json_key(j, "cluster_list");
	json_arr(j);
	for (i = 0; i < r->ncluster; i++)
		json_str(j, id_str(r->cluster_list[i], b));
	json_end_arr(j);
	json_end_obj(j);
}

static void
json_all(struct json *j, const struct simcli *c)
{
	const struct sim_verdict *v = sim_verdict(c->s);
	char b[RR_ADDR_STRLEN];
	size_t i;
	uint32_t k;

	json_obj(j);
	json_sessions(j, c);
	json_key(j, "routes");
	json_arr(j);
	for (k = 0; k < sim_nspeakers(c->s); k++) {
		struct route_ctx x = {j, NULL, c, sim_speaker(c->s, k), 0};
		if (shown(c, k))
			sim_routes(c->s, k, json_route, &x);
	}
	json_end_arr(j);
	json_key(j, "events");
	json_arr(j);
	for (i = 0; i < sim_nevents(c->s); i++) {
		const struct sim_event *e = sim_event(c->s, i);
		const struct sim_session *ss = sim_session(c->s, e->session);
		if (!shown(c, ss->speaker))
			continue;
		json_obj(j);
		json_key(j, "t");
		json_secs(j, e->t_ms);
		json_kstr(j, "speaker", sim_speaker(c->s, ss->speaker)->name);
		json_kstr(j, "peer", addr_or(&ss->peer, b, NULL));
		json_kstr(j, "what", e->what);
		json_end_obj(j);
	}
	json_end_arr(j);
	json_key(j, "verdict");
	json_obj(j);
	json_ku64(j, "sessions_up", v->sessions_up);
	json_ku64(j, "sessions_expected", v->sessions_expected);
	json_ku64(j, "routes_ok", v->routes_ok);
	json_ku64(j, "routes_expected", v->routes_expected);
	json_kbool(j, "ok", v->ok);
	json_end_obj(j);
	json_end_obj(j);
}

/* ------------------------------------------------------------- text */

struct sess_sort {
	const struct sim_session *ss;
	uint32_t i;
};

static int
cmp_sess(const void *a, const void *b)
{
	const struct sess_sort *x = a, *y = b;
	int c = rr_addr_cmp(&x->ss->peer, &y->ss->peer);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* IOS: the neighbor table of `show ip bgp summary`, sorted by address */
static void
text_ios(struct strbuf *b, const struct simcli *c, uint32_t k)
{
	const struct sim_speaker *sp = sim_speaker(c->s, k);
	struct sess_sort *v = rr_xcalloc(sp->nsessions + 1, sizeof(*v));
	char id[RR_ADDR_STRLEN], peer[RR_ADDR_STRLEN + 2], t[32];
	uint32_t i;
	bool dyn = false;

	sb_printf(b, "BGP router identifier %s, local AS number %u\n",
	          id_str(sp->router_id, id), sp->asn);
	sb_printf(
	        b,
	        "BGP table version is %llu, main routing table version %llu\n",
	        (unsigned long long)sp->table_version,
	        (unsigned long long)sp->table_version);
	sb_printf(b, "%u network entries\n\n", sp->nbest);
	for (i = 0; i < sp->nsessions; i++) {
		v[i].ss = sim_session(c->s, sp->first_session + i);
		v[i].i = i;
	}
	qsort(v, sp->nsessions, sizeof(*v), cmp_sess);
	if (!sp->nsessions) {
		sb_puts(b, "% No BGP neighbors configured\n");
		free(v);
		return;
	}
	sb_puts(b, "Neighbor        V           AS MsgRcvd MsgSent   TblVer  "
	           "InQ OutQ Up/Down  State/PfxRcd\n");
	for (i = 0; i < sp->nsessions; i++) {
		const struct sim_session *ss = v[i].ss;
		char st[32], a[RR_ADDR_STRLEN];
		uint32_t ras = ss->nb && ss->nb->remote_as.set
		                       ? ss->nb->remote_as.v
		                       : 0;
		dyn |= ss->dynamic;
		snprintf(peer, sizeof(peer), "%s%s", ss->dynamic ? "*" : "",
		         addr_or(&ss->peer, a, "-"));
		if (ss->state == FSM_ST_ESTABLISHED)
			snprintf(st, sizeof(st), "%8u", ss->pfx_rcvd);
		else if (!ss->enabled && ss->nb && ss->nb->shutdown.set &&
		         ss->nb->shutdown.v)
			snprintf(st, sizeof(st), "Idle (Admin)");
		else
			snprintf(st, sizeof(st), "%s",
			         bgp_fsm_state_name(ss->state));
		sb_printf(b,
		          "%-15s %1d %12u %7llu %7llu %8llu %4u %4u %-8s %s\n",
		          peer, 4, ras, (unsigned long long)ss->msgs_in,
		          (unsigned long long)ss->msgs_out,
		          (unsigned long long)(ss->state == FSM_ST_ESTABLISHED
		                                       ? sp->table_version
		                                       : 0),
		          0u, 0u,
		          ss->up_down_ms == SIM_NEVER
		                  ? "never"
		                  : clock_str(sim_stats(c->s)->end_ms -
		                                      ss->up_down_ms,
		                              t, sizeof(t)),
		          st);
	}
	if (dyn)
		sb_puts(b, "* Dynamically created based on a listen range "
		           "command\n");
	free(v);
}

/* the PEER ADDRESS calicoctl derives from the protocol name (3.8): the
 * rest of the name with '_' back to '.' or ':' ("_port_N" stays) */
static bool
peer_of_name(const char *name, bool v6, char *out, size_t len,
             const char **type)
{
	static const struct {
		const char *prefix, *type;
	} kinds[] = {
	        {"Global_", "global"},
	        {"Node_", "node specific"},
	        {"Mesh_", "node-to-node mesh"},
	};
	size_t i, k, n;
	const char *rest = NULL;

	if (!name)
		return false;
	for (i = 0; i < 3; i++) {
		n = strlen(kinds[i].prefix);
		if (!strncmp(name, kinds[i].prefix, n) && name[n]) {
			rest = name + n;
			*type = kinds[i].type;
			break;
		}
	}
	if (!rest)
		return false;
	for (k = 0; rest[k] && k + 1 < len; k++)
		out[k] = rest[k] == '_' ? (v6 ? ':' : '.') : rest[k];
	out[k] = '\0';
	return true;
}

struct row {
	char cell[5][96];
};

static void
table_line(struct strbuf *b, const size_t *wd)
{
	size_t i, k;
	for (i = 0; i < 5; i++) {
		sb_puts(b, "+");
		for (k = 0; k < wd[i] + 2; k++)
			sb_puts(b, "-");
	}
	sb_puts(b, "+\n");
}

static void
table_row(struct strbuf *b, const size_t *wd, const struct row *r, bool center)
{
	size_t i;
	for (i = 0; i < 5; i++) {
		size_t n = strlen(r->cell[i]), pad = wd[i] - n,
		       left = center ? pad / 2 : 0;
		sb_printf(b, "| %*s%s%*s ", (int)left, "", r->cell[i],
		          (int)(pad - left), "");
	}
	sb_puts(b, "|\n");
}

/* calicoctl node status: one table per family, BIRD's words */
static void
text_node(struct strbuf *b, const struct simcli *c, uint32_t k)
{
	const struct sim_speaker *sp = sim_speaker(c->s, k);
	static const char *const hdr[5] = {"PEER ADDRESS", "PEER TYPE", "STATE",
	                                   "SINCE", "INFO"};
	struct row *rows = rr_xcalloc(sp->nsessions + 1, sizeof(*rows));
	int fam;

	sb_puts(b, "Calico process is running.\n");
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
			if (ss->ipv6 != (fam == 1) || !ss->nb ||
			    !peer_of_name(ss->nb->name, ss->ipv6, r->cell[0],
			                  sizeof(r->cell[0]), &type))
				continue;
			snprintf(r->cell[1], sizeof(r->cell[1]), "%s", type);
			snprintf(r->cell[2], sizeof(r->cell[2]), "%s",
			         sim_bird_proto_state(ss));
			clock_str(ss->since_ms, r->cell[3], sizeof(r->cell[3]));
			sim_bird_info(ss, r->cell[4], sizeof(r->cell[4]));
			for (i = 0; i < 5; i++)
				if (strlen(r->cell[i]) > wd[i])
					wd[i] = strlen(r->cell[i]);
			n++;
		}
		sb_printf(b, "\nIPv%d BGP status\n", fam ? 6 : 4);
		if (!n) {
			sb_printf(b, "No IPv%d peers found.\n", fam ? 6 : 4);
			continue;
		}
		table_line(b, wd);
		table_row(b, wd, &h, true);
		table_line(b, wd);
		for (i = 0; i < n; i++)
			table_row(b, wd, &rows[i], false);
		table_line(b, wd);
	}
	free(rows);
}

static void
text_route(void *ctx, const struct sim_route *r)
{
	struct route_ctx *x = ctx;
	char p[RR_PREFIX_STRLEN], a[RR_ADDR_STRLEN];
	size_t i;

	sb_printf(x->b, "  %s %-18s", r->best ? "*>" : "* ",
	          rr_prefix_str(&r->prefix, p));
	if (r->session == SIM_NONE) {
		sb_puts(x->b, " local\n");
		x->n++;
		return;
	}
	sb_printf(x->b, " via %s", addr_or(&r->next_hop, a, "-"));
	sb_printf(x->b, " from %s", addr_or(&r->from, a, "-"));
	if (r->has_local_pref)
		sb_printf(x->b, " lp %u", r->local_pref);
	if (r->nas_path) {
		sb_puts(x->b, " as-path");
		for (i = 0; i < r->nas_path; i++)
			sb_printf(x->b, " %u", r->as_path[i]);
	}
	if (r->has_originator)
		sb_printf(x->b, " originator %s", id_str(r->originator_id, a));
	if (r->ncluster) {
		sb_puts(x->b, " cluster-list");
		for (i = 0; i < r->ncluster; i++)
			sb_printf(x->b, " %s", id_str(r->cluster_list[i], a));
	}
	sb_puts(x->b, "\n");
	x->n++;
}

static void
text_loc(struct strbuf *b, const struct rr_loc *l)
{
	if (l->line)
		sb_printf(b, " (%s:%u)", l->file ? l->file : "?",
		          (unsigned)l->line);
}

static void
text_cause(struct strbuf *b, const struct simcli *c, const struct sim_cause *x)
{
	char p[RR_PREFIX_STRLEN], a1[RR_ADDR_STRLEN], a2[RR_ADDR_STRLEN];
	uint32_t i;

	sb_printf(b, "  %s", x->diag.msg);
	text_loc(b, &x->diag.loc);
	sb_printf(b, ": %llu session%s, %llu route%s\n",
	          (unsigned long long)x->sessions, x->sessions == 1 ? "" : "s",
	          (unsigned long long)x->routes, x->routes == 1 ? "" : "s");
	for (i = 0; i < x->nsession_ex; i++) {
		const struct sim_session *ss = sim_session(c->s, x->session_ex[i]);
		sb_printf(b, "    session %s %s - %s %s\n",
		          sim_speaker(c->s, ss->speaker)->name,
		          addr_or(&ss->local, a1, "-"),
		          ss->peer_speaker != SIM_NONE
		                  ? sim_speaker(c->s, ss->peer_speaker)->name
		                  : "nobody at",
		          addr_or(&ss->peer, a2, "-"));
	}
	for (i = 0; i < x->nroute_ex; i++)
		sb_printf(b, "    route %s of %s missing at %s\n",
		          rr_prefix_str(&x->route_ex[i].prefix, p),
		          sim_speaker(c->s, x->route_ex[i].origin)->name,
		          sim_speaker(c->s, x->route_ex[i].node)->name);
	if (x->sessions + x->routes > x->nsession_ex + x->nroute_ex)
		sb_printf(b, "    ... and %llu more\n",
		          (unsigned long long)(x->sessions + x->routes -
		                               x->nsession_ex - x->nroute_ex));
}

static void
text_verdict(struct strbuf *b, const struct simcli *c)
{
	const struct sim_verdict *v = sim_verdict(c->s);
	size_t i;

	sb_printf(b,
	          "verdict: %llu/%llu sessions established, %llu/%llu pod "
	          "routes reachable: %s\n",
	          (unsigned long long)v->sessions_up,
	          (unsigned long long)v->sessions_expected,
	          (unsigned long long)v->routes_ok,
	          (unsigned long long)v->routes_expected,
	          v->ok ? "ok" : "NOT OK");
	for (i = 0; i < v->ncauses && i < TEXT_MAX_MISS; i++)
		text_cause(b, c, &v->causes[i]);
	if (v->ncauses > i)
		sb_printf(b, "  ... and %zu more causes\n", v->ncauses - i);
}

static void
text_all(struct strbuf *b, const struct simcli *c)
{
	const struct sim_stats *st = sim_stats(c->s);
	char t[32], a[RR_ADDR_STRLEN];
	size_t i, nev = 0;
	uint32_t k;

	sb_printf(b,
	          "simulated %s s (%s): %zu speakers, %zu sessions, "
	          "%llu messages, %llu UPDATEs\n",
	          secs(st->end_ms, t, sizeof(t)),
	          st->converged ? "converged"
	          : st->capped  ? "time cap reached"
	                        : "stopped by --until",
	          sim_nspeakers(c->s), sim_nsessions(c->s),
	          (unsigned long long)st->messages,
	          (unsigned long long)st->updates);
	if (st->mesh_elided)
		sb_printf(b,
		          "note: the node-to-node mesh (%llu sessions) is "
		          "too large to simulate and was not built\n",
		          (unsigned long long)st->mesh_sessions);
	for (k = 0; k < sim_nspeakers(c->s); k++) {
		const struct sim_speaker *sp = sim_speaker(c->s, k);
		struct route_ctx x = {NULL, b, c, sp, 0};
		if (!shown(c, k))
			continue;
		sb_printf(b, "\n== %s (%s)\n", sp->name,
		          sp->kind == RR_SPK_IOS ? "show ip bgp summary"
		                                 : "calicoctl node status");
		if (sp->failed) {
			sb_printf(b, "failed at %s s (--fail): no answer\n",
			          secs(sp->failed_at_ms, t, sizeof(t)));
			continue;
		}
		if (sp->kind == RR_SPK_IOS)
			text_ios(b, c, k);
		else
			text_node(b, c, k);
		sb_puts(b, "\nroutes:\n");
		sim_routes(c->s, k, text_route, &x);
		if (!x.n)
			sb_puts(b, "  none\n");
	}
	sb_puts(b, "\nevents:\n");
	for (i = 0; i < sim_nevents(c->s); i++) {
		const struct sim_event *e = sim_event(c->s, i);
		const struct sim_session *ss = sim_session(c->s, e->session);
		if (!shown(c, ss->speaker))
			continue;
		if (nev++ == TEXT_MAX_EVENTS)
			continue;
		sb_printf(b, "  %9s  %-16s %-16s %s\n",
		          secs(e->t_ms, t, sizeof(t)),
		          sim_speaker(c->s, ss->speaker)->name,
		          addr_or(&ss->peer, a, "-"), e->what);
	}
	if (nev > TEXT_MAX_EVENTS)
		sb_printf(b,
		          "  ... and %zu more (--format json has them all)\n",
		          nev - TEXT_MAX_EVENTS);
	if (!nev)
		sb_puts(b, "  none\n");
	sb_puts(b, "\n");
	text_verdict(b, c);
}

/* ---------------------------------------------------------- command */

static void
sim_usage(FILE *f)
{
	fputs("usage: rrkit sim [--format text|json|dot] [--pcap FILE] [--until S] "
	      "[--fail SPEAKER@S] [--cut A,B@S] [--restore A,B@S]\n"
	      "                 [--node NAME] [--address NAME=IP] "
	      "[--assume-blocks] FILE...\n",
	      f);
}

static int
parse_until(const char *s, uint64_t *ms)
{
	struct rr_arena a;
	struct sim_fault f;
	const char *why;
	char buf[64];
	int rc;

	if (strlen(s) > 40)
		return -1;
	snprintf(buf, sizeof(buf), "x@%s", s);
	rr_arena_init(&a);
	rc = sim_fault_parse(SIM_FAULT_FAIL, buf, &a, &f, &why);
	rr_arena_release(&a);
	*ms = f.at_ms;
	return rc;
}

int
cmd_sim(int argc, char **argv)
{
	static const struct option opts[] = {
	        {"format", required_argument, NULL, 'f'},
	        {"pcap", required_argument, NULL, 'P'},
	        {"until", required_argument, NULL, 'u'},
	        {"fail", required_argument, NULL, 'F'},
	        {"cut", required_argument, NULL, 'C'},
	        {"restore", required_argument, NULL, 'R'},
	        {"node", required_argument, NULL, 'n'},
	        {"address", required_argument, NULL, 'a'},
	        {"assume-blocks", no_argument, NULL, 'b'},
	        {"help", no_argument, NULL, 'h'},
	        {NULL, 0, NULL, 0},
	};
	const char *format = "text", *pcap_path = NULL;
	struct sim_pcap *pcap = NULL;
	struct load l;
	struct rr_arena fa;
	struct sim_fault faults[MAX_FAULTS];
	struct sim_opts so;
	struct simcli c;
	struct strbuf out;
	struct report_opts ro = {cli_color(stderr), true, RR_SEV_NOTE};
	int ch, rc;
	const char *why;

	memset(&so, 0, sizeof(so));
	memset(&c, 0, sizeof(c));
	load_init(&l);
	rr_arena_init(&fa);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "f:P:u:F:C:R:n:a:bh", opts, NULL)) !=
	       -1) {
		enum sim_fault_kind kind = SIM_FAULT_FAIL;
		switch (ch) {
		case 'f':
			format = optarg;
			break;
		case 'P':
			pcap_path = optarg;
			break;
		case 'u':
			if (parse_until(optarg, &so.until_ms) < 0 ||
			    !so.until_ms) {
				cli_error(
				        "sim: --until wants seconds, not '%s'",
				        optarg);
				goto usage;
			}
			break;
		case 'C':
		case 'R':
			kind = ch == 'C' ? SIM_FAULT_CUT : SIM_FAULT_RESTORE;
			/* fallthrough */
		case 'F':
			if (so.nfaults == MAX_FAULTS) {
				cli_error("sim: at most %d faults", MAX_FAULTS);
				goto usage;
			}
			if (sim_fault_parse(kind, optarg, &fa,
			                    &faults[so.nfaults], &why) < 0) {
				cli_error("sim: '%s': %s", optarg, why);
				goto usage;
			}
			so.nfaults++;
			break;
		case 'n':
			c.node = optarg;
			break;
		case 'a':
			if (load_add_address(&l, optarg) < 0)
				goto usage;
			break;
		case 'b':
			l.ropts.assume_blocks = true;
			break;
		case 'h':
			sim_usage(stdout);
			load_release(&l);
			rr_arena_release(&fa);
			return EXIT_CLEAN;
		default:
			goto usage;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "dot")) {
		cli_error("sim: unknown format '%s' (text, json or dot)", format);
		goto usage;
	}
	if (optind >= argc) {
		cli_error("sim: no input files");
		goto usage;
	}
	if (load_paths(&l, argv + optind, (size_t)(argc - optind)) < 0) {
		report_text(stderr, &l.diags, &ro);
		goto bad;
	}
	report_text(stderr, &l.diags, &ro);
	if (load_invalid(&l)) {
		cli_error("sim: the inputs have errors (above)");
		goto bad;
	}
	so.faults = faults;
	if (pcap_path) {
		sim_pcap_new(&pcap);
		so.trace = sim_pcap_trace;
		so.trace_ctx = pcap;
	}
	if (sim_new(l.m, &so, &c.s, &l.diags) < 0) {
		struct report_opts r2 = ro;
		r2.min_sev = RR_SEV_FATAL;
		report_text(stderr, &l.diags, &r2);
		goto bad;
	}
	c.m = l.m;
	if (c.node) {
		c.node_k = sim_find_speaker(c.s, c.node);
		if (c.node_k == SIM_NONE) {
			cli_error("sim: no speaker named '%s' in the inputs",
			          c.node);
			sim_free(c.s);
			goto bad;
		}
	}
	sim_run(c.s);
	sb_init(&out);
	if (!strcmp(format, "json")) {
		struct json j;
		json_init(&j, &out, true);
		json_all(&j, &c);
	} else if (!strcmp(format, "dot")) {
		sim_write_dot(&out, c.s);
	} else {
		text_all(&out, &c);
	}
	rc = sim_verdict(c.s)->ok ? EXIT_CLEAN : EXIT_FINDINGS;
	if (load_ios_errors(&l))
		rc = EXIT_FINDINGS; /* an IOS line left out, as the router does */
	if (pcap) {
		size_t plen;
		const uint8_t *pb = sim_pcap_bytes(pcap, &plen);
		if (cli_write_file(pcap_path, (const char *)pb, plen) < 0)
			rc = EXIT_USAGE;
		sim_pcap_free(pcap);
		pcap = NULL;
	}
	if (out.n && cli_write_file("-", out.p, out.n) < 0)
		rc = EXIT_USAGE;
	sb_release(&out);
	sim_free(c.s);
	load_release(&l);
	rr_arena_release(&fa);
	return rc;
usage:
	sim_usage(stderr);
bad:
	sim_pcap_free(pcap);
	load_release(&l);
	rr_arena_release(&fa);
	return EXIT_USAGE;
}
