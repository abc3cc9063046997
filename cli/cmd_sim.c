/*
 * rrkit sim: replay the peering the configs describe (bgpsim/sim.h), then
 * write the verdict, what each router's `show ip bgp summary` and the
 * nodes' `calicoctl node status` would say, and on request routes and
 * state changes, as text, JSON or Graphviz (cli/sim_text.c, sim_json.c,
 * sim_dot.c), each streamed to standard output or to a file that appears
 * whole (cli/out.h); the wire as pcap.  docs/sim.md, docs/json.md.
 * Exit 0 when every expected session is up and every node reaches every
 * other node's blocks, 1 when not, 2 on bad usage or input, 3 when rrkit
 * could not simulate the whole network (a full mesh too large to build)
 * and nothing else is broken.
 */
#include "bgpsim/sim.h"
#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/load.h"
#include "cli/out.h"
#include "cli/report.h"
#include "cli/sim_out.h"

#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FAULTS 64

enum sim_fmt { SF_TEXT = 0, SF_JSON, SF_DOT, SF_N };
static const char *const fmt_names[SF_N] = {"text", "json", "dot"};

struct fmt_out {
	enum sim_fmt fmt;
	const char *path; /* NULL: --output, else standard output */
};

static void
sim_usage(FILE *f)
{
	opts_usage(f, opts_command("sim"));
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

static int
parse_format(const char *arg, struct fmt_out *fo, size_t *nfo)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg), i;

	for (i = 0; i < SF_N; i++)
		if (strlen(fmt_names[i]) == n && !strncmp(arg, fmt_names[i], n))
			break;
	if (i == SF_N) {
		cli_error("sim: unknown format '%.*s' (text, json or dot)",
		          (int)n, arg);
		return -1;
	}
	if (eq && !eq[1]) {
		cli_error("sim: --format %s= wants a file name", fmt_names[i]);
		return -1;
	}
	if (*nfo == SF_N) {
		cli_error("sim: at most %d --format options", SF_N);
		return -1;
	}
	fo[*nfo].fmt = (enum sim_fmt)i;
	fo[*nfo].path = eq ? eq + 1 : NULL;
	(*nfo)++;
	return 0;
}

static const char *
fmt_path(const struct fmt_out *fo, const char *output)
{
	return fo->path ? fo->path : output ? output : "-";
}

/* write one format to its open output; 0, or -1 (message printed,
 * nothing left behind) */
static int
write_one(const struct fmt_out *fo, struct out *o, struct simcli *c)
{
	c->color = !strcmp(o->path, "-") && cli_color(stdout);
	if (fo->fmt == SF_JSON)
		sim_write_json(o, c);
	else if (fo->fmt == SF_DOT)
		sim_write_dot(o, c);
	else
		sim_write_text(o, c);
	return out_close(o);
}

/* ----------------------------------------------------------- progress */

/*
 * A progress line on stderr: on a terminal once the run has taken a second
 * (rewritten in place every 0.2 s, erased at the end); with --progress also
 * when stderr is not a terminal, one line a second from the start.
 */
struct progress {
	bool tty, shown;
	uint64_t start_ms, last_ms, delay_ms, every_ms;
};

static uint64_t
wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
progress_show(void *ctx, const struct sim_progress *p)
{
	struct progress *pr = ctx;
	uint64_t now = wall_ms();
	char t[32], m[32], u[32], e[32];

	if (now - pr->start_ms < pr->delay_ms ||
	    (pr->shown && now - pr->last_ms < pr->every_ms))
		return;
	pr->last_ms = now;
	pr->shown = true;
	simv_secs(p->t_ms, t, sizeof(t));
	fprintf(stderr,
	        "%srrkit sim: %s s simulated, %s messages, %s/%s sessions "
	        "up%s",
	        pr->tty ? "\r" : "", t, simv_count(p->messages, m, sizeof(m)),
	        simv_count(p->sessions_up, u, sizeof(u)),
	        simv_count(p->sessions_expected, e, sizeof(e)),
	        pr->tty ? "\033[K" : "\n");
	fflush(stderr);
}

static void
progress_start(struct progress *pr, bool forced, struct sim_opts *so)
{
	memset(pr, 0, sizeof(*pr));
	pr->tty = isatty(STDERR_FILENO) && !(getenv("TERM") &&
	                                     !strcmp(getenv("TERM"), "dumb"));
	if (!pr->tty && !forced)
		return;
	pr->start_ms = wall_ms();
	pr->delay_ms = forced ? 0 : 1000;
	pr->every_ms = pr->tty ? 200 : 1000;
	so->progress = progress_show;
	so->progress_ctx = pr;
}

static void
progress_end(const struct progress *pr)
{
	if (pr->shown && pr->tty)
		fputs("\r\033[K", stderr);
}

/* 0 ok, 1 network broken, 3 not all of it simulated (docs/sim.md) */
static int
outcome(const struct simcli *c)
{
	const struct sim_verdict *v = sim_verdict(c->s);
	const struct sim_stats *st = sim_stats(c->s);

	if (v->ok)
		return EXIT_CLEAN;
	if (!st->mesh_elided)
		return EXIT_FINDINGS;
	/* the mesh was not built: a failure elsewhere is still a failure;
	 * the mesh's sessions, and routes (they may travel the mesh), are
	 * not known */
	if (v->sessions_up + st->mesh_sessions < v->sessions_expected)
		return EXIT_FINDINGS;
	return EXIT_LIMIT;
}

struct simargs {
	struct fmt_out fo[SF_N];
	size_t nfo;
	const char *output, *pcap;
	const char **nodes; /* --node, argv strings */
	size_t nnodes;
	bool all, routes, progress;
	struct sim_fault faults[MAX_FAULTS];
	struct out out[SF_N + 1]; /* the formats', then the pcap's */
};

/* Open every output before the run: a path that cannot be written fails
 * at once, not after a long simulation, and nothing is left behind. */
static bool
unnamed_format(const struct simargs *a)
{
	size_t i;
	for (i = 0; i < a->nfo; i++)
		if (!a->fo[i].path)
			return true;
	return false;
}

static int
open_outputs(struct simargs *a)
{
	size_t i, k;

	for (i = 0; i <= a->nfo; i++) {
		const char *path = i < a->nfo ? fmt_path(&a->fo[i], a->output)
		                              : a->pcap;
		if (!path)
			continue;
		if (out_open(&a->out[i], path, 0) == 0)
			continue;
		for (k = 0; k < i; k++)
			out_abort(&a->out[k]);
		return -1;
	}
	return 0;
}

static int
resolve_nodes(struct simcli *c, const struct simargs *a)
{
	size_t i;

	c->nwant = sim_nspeakers(c->s);
	c->want = rr_xcalloc(c->nwant + 1, sizeof(*c->want));
	for (i = 0; i < a->nnodes; i++) {
		uint32_t k = sim_find_speaker(c->s, a->nodes[i]);
		if (k == SIM_NONE) {
			cli_error("sim: no speaker named '%s' in the inputs",
			          a->nodes[i]);
			return -1;
		}
		c->want[k] = true;
	}
	return 0;
}

/* --pcap: the capture written to its file as the run produces it */
struct pcap_stream {
	struct sim_pcap *p;
	struct out *o;
	bool open; /* o is open: write as it comes */
};

static void
pcap_drain(struct pcap_stream *ps)
{
	size_t n;
	const uint8_t *b = sim_pcap_take(ps->p, &n);
	out_write(ps->o, b, n);
}

static void
pcap_trace(void *ctx, const struct sim_trace *t)
{
	struct pcap_stream *ps = ctx;
	sim_pcap_trace(ps->p, t);
	if (ps->open)
		pcap_drain(ps);
}

static int
write_all(struct simcli *c, struct simargs *a, struct pcap_stream *ps)
{
	size_t i;
	int rc = outcome(c);

	if (ps->p) {
		pcap_drain(ps);
		if (out_close(ps->o) < 0)
			rc = EXIT_USAGE;
	}
	simv_build(c);
	for (i = 0; i < a->nfo; i++)
		if (write_one(&a->fo[i], &a->out[i], c) < 0)
			rc = EXIT_USAGE;
	simv_release(c);
	return rc;
}

/* The notes sim_new added after the first nd diagnostics (clauses of a
 * route policy it does not evaluate), on stderr as the load's are. */
static void
report_since(const struct load *l, size_t nd)
{
	struct report_opts ro = {cli_color(stderr), true, RR_SEV_NOTE};
	struct rr_diags d;
	size_t i, k;

	if (l->diags.n <= nd)
		return;
	rr_diags_init(&d);
	for (i = 0; i < l->diags.nsrc; i++)
		rr_diags_add_source(&d, l->diags.src[i].path,
		                    l->diags.src[i].text, l->diags.src[i].len);
	for (i = nd; i < l->diags.n; i++) {
		const struct rr_diag *g = &l->diags.v[i];
		struct rr_diag *c = rr_diag_add(&d, g->sev, g->rule, &g->loc,
		                                "%s", g->msg);
		for (k = 0; k < g->nnotes; k++)
			rr_diag_note(&d, c, &g->notes[k].loc, "%s",
			             g->notes[k].msg);
	}
	report_text(stderr, &d, &ro);
	rr_diags_release(&d);
}

static int
simulate(struct load *l, struct simargs *a, struct sim_opts *so)
{
	struct report_opts ro = {cli_color(stderr), true, RR_SEV_FATAL};
	struct pcap_stream ps = {NULL, &a->out[a->nfo], false};
	struct progress pr;
	struct simcli c;
	size_t nd;
	int rc;

	memset(&c, 0, sizeof(c));
	nd = l->diags.n;
	so->faults = a->faults;
	progress_start(&pr, a->progress, so);
	if (a->pcap) {
		sim_pcap_new(&ps.p);
		so->trace = pcap_trace;
		so->trace_ctx = &ps;
	}
	if (sim_new(l->m, so, &c.s, &l->diags) < 0) {
		report_text(stderr, &l->diags, &ro);
		sim_pcap_free(ps.p);
		return EXIT_USAGE;
	}
	report_since(l, nd); /* what the simulation does not model */
	c.m = l->m;
	c.diags = &l->diags;
	c.all = a->all;
	c.routes = a->routes;
	if (resolve_nodes(&c, a) < 0 || open_outputs(a) < 0) {
		rc = EXIT_USAGE;
	} else {
		ps.open = true;
		sim_run(c.s);
		progress_end(&pr);
		c.limit = sim_stats(c.s)->mesh_elided;
		rc = write_all(&c, a, &ps);
	}
	free(c.want);
	sim_free(c.s);
	sim_pcap_free(ps.p);
	return rc;
}

int
cmd_sim(int argc, char **argv)
{
	struct simargs *a = rr_xcalloc(1, sizeof(*a));
	struct report_opts ro = {false, true, RR_SEV_NOTE};
	struct opts p;
	struct sim_opts so;
	struct load l;
	struct rr_arena fa;
	const char *why;
	int ch, rc = EXIT_USAGE;

	memset(&so, 0, sizeof(so));
	/* every cache of the simulator off: the plain suite of make check */
	so.plain = getenv("RRKIT_SIM_PLAIN") && *getenv("RRKIT_SIM_PLAIN") &&
	           strcmp(getenv("RRKIT_SIM_PLAIN"), "0") != 0;
	load_init(&l);
	rr_arena_init(&fa);
	a->nodes = rr_xcalloc((size_t)argc + 1, sizeof(*a->nodes));
	opts_init(&p, opts_command("sim"), argc, argv);
	while ((ch = opts_next(&p)) != OPTS_DONE) {
		enum sim_fault_kind kind = SIM_FAULT_FAIL;
		switch (ch) {
		case 'f':
			if (parse_format(p.arg, a->fo, &a->nfo) < 0)
				goto usage_p;
			break;
		case 'o':
			a->output = p.arg;
			break;
		case 'P':
			a->pcap = p.arg;
			break;
		case 'u':
			if (parse_until(p.arg, &so.until_ms) < 0 ||
			    !so.until_ms) {
				cli_error("sim: --until wants seconds, not '%s'",
				          p.arg);
				goto usage_p;
			}
			break;
		case 'C':
		case 'R':
		case 'F':
			if (ch != 'F')
				kind = ch == 'C' ? SIM_FAULT_CUT
				                 : SIM_FAULT_RESTORE;
			if (so.nfaults == MAX_FAULTS) {
				cli_error("sim: at most %d faults", MAX_FAULTS);
				goto usage_p;
			}
			if (sim_fault_parse(kind, p.arg, &fa,
			                    &a->faults[so.nfaults], &why) < 0) {
				cli_error("sim: '%s': %s", p.arg, why);
				goto usage_p;
			}
			so.nfaults++;
			break;
		case 'n':
			a->nodes[a->nnodes++] = p.arg;
			break;
		case 'r':
			a->routes = true;
			break;
		case 'A':
			a->all = true;
			break;
		case 'p':
			a->progress = true;
			break;
		case 'a':
			if (load_add_address(&l, p.arg) < 0)
				goto usage_p;
			break;
		case 'b':
			l.ropts.assume_blocks = true;
			break;
		default: /* OPTS_EXIT: --help, or a usage error said */
			opts_release(&p);
			rc = p.status;
			goto out;
		}
	}
	opts_release(&p);
	ro.color = cli_color(stderr);
	if (p.optind >= argc) {
		cli_error("sim: no input files");
		goto usage;
	}
	if (!a->nfo)
		a->fo[a->nfo++].fmt = SF_TEXT;
	if (a->output && !unnamed_format(a)) {
		cli_error("sim: --output: every --format names its own file");
		goto usage;
	}
	if (load_paths(&l, argv + p.optind, (size_t)(argc - p.optind)) < 0) {
		report_text(stderr, &l.diags, &ro);
		goto out;
	}
	report_text(stderr, &l.diags, &ro);
	if (load_invalid(&l)) {
		cli_error("sim: the inputs have errors (above)");
		goto out;
	}
	rc = simulate(&l, a, &so);
	/* a line IOS refuses is left out, as the router leaves it out; the
	 * exit status still reports it (docs/ios.md) */
	if ((rc == EXIT_CLEAN || rc == EXIT_LIMIT) && load_ios_errors(&l))
		rc = EXIT_FINDINGS;
	goto out;
usage_p:
	opts_release(&p);
usage:
	sim_usage(stderr);
out:
	load_release(&l);
	rr_arena_release(&fa);
	free(a->nodes);
	free(a);
	return rc;
}
