/*
 * rrkit gen: write the other side's configuration.
 *   gen cisco   Calico manifests (+ the router config to merge into) ->
 *               the route reflector's IOS `router bgp`
 *   gen frr     the same router in FRR bgpd's dialect
 *   gen calico  the router config(s) (+ the manifests to merge into) ->
 *               BGPConfiguration default and the BGPPeers
 *   gen bird    the Calico manifests -> the BIRD 1.6 config calico-node
 *               runs for one node (bird.cfg, or bird6.cfg with --family 6,
 *               its includes inlined), or with --confd-dir the six files
 *               confd writes
 * The text is built in memory and written with cli_write_file (temporary
 * file + rename), so on any error nothing is written.  Exit 0 written,
 * 2 usage, unreadable or unusable input.
 */
#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/load.h"
#include "cli/report.h"
#include "emitters/emitters.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

enum gen_target { GEN_CISCO, GEN_FRR, GEN_CALICO, GEN_BIRD };

struct bird_args {
	const char *node;
	uint8_t af;
	struct emit_bird_opts o;
	const char *confd_dir; /* write confd's six files there */
};

static void
gen_usage(FILE *f)
{
	opts_usage(f, opts_command("gen"));
}

static int
parse_style(const char *s, enum emit_style *out)
{
	static const struct {
		const char *name;
		enum emit_style st;
	} t[] = {
	        {"neighbor", EMIT_STYLE_NEIGHBOR},
	        {"peer-group", EMIT_STYLE_PEER_GROUP},
	        {"listen-range", EMIT_STYLE_LISTEN_RANGE},
	};
	size_t i;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(s, t[i].name)) {
			*out = t[i].st;
			return 0;
		}
	cli_error("gen: unknown style '%s' (neighbor, peer-group or "
	          "listen-range)",
	          s);
	return -1;
}

/* Input the emitters cannot build on: unreadable files, values the
 * parsers could not use, and resources Calico itself rejects. */
static bool
unusable(const struct rr_diags *d)
{
	size_t i;
	if (rr_diags_has_fatal(d))
		return true;
	for (i = 0; i < d->n; i++)
		if (d->v[i].sev >= RR_SEV_ERROR)
			return true;
	return false;
}

/* confd's six files for one node into `dir`: all rendered first, so an
 * error writes none. */
static int
bird_files(const struct bird_args *ba, struct load *l)
{
	static const uint8_t fams[2] = {RR_AF_INET, RR_AF_INET6};
	char *text[6] = {NULL};
	size_t len[6], i;
	int r = 0;

	for (i = 0; i < 6 && r == 0; i++)
		r = emit_bird_file(l->m, ba->node, fams[i / 3],
		                   (enum emit_bird_file)(i % 3), &ba->o,
		                   &text[i], &len[i], &l->diags);
	if (r == 0 && mkdir(ba->confd_dir, 0755) < 0 && errno != EEXIST) {
		cli_error("gen bird: cannot create '%s': %s", ba->confd_dir,
		          strerror(errno));
		r = -2;
	}
	for (i = 0; i < 6 && r == 0; i++) {
		char *path = rr_xmalloc(strlen(ba->confd_dir) + 32);
		sprintf(path, "%s/%s", ba->confd_dir,
		        emit_bird_file_name(fams[i / 3],
		                            (enum emit_bird_file)(i % 3)));
		if ((ba->o.secrets ? cli_write_secret_file : cli_write_file)(
		            path, text[i], len[i]) < 0)
			r = -2;
		free(path);
	}
	for (i = 0; i < 6; i++)
		emit_free(text[i]);
	return r;
}

static int
run(enum gen_target t, const struct emit_opts *o, const struct bird_args *ba,
    struct load *l, const char *output, char **paths, size_t npaths)
{
	struct report_opts ro = {cli_color(stderr), true, RR_SEV_WARNING};
	char *text = NULL;
	size_t len = 0;
	int r;

	if (load_paths(l, paths, npaths) < 0 || unusable(&l->diags)) {
		report_text(stderr, &l->diags, &ro);
		cli_error("gen: nothing written: the input is not usable");
		return EXIT_USAGE;
	}
	switch (t) {
	case GEN_CISCO:
		r = emit_ios(l->m, o, &text, &len, &l->diags);
		break;
	case GEN_FRR:
		r = emit_frr(l->m, o, &text, &len, &l->diags);
		break;
	case GEN_BIRD:
		if (ba->confd_dir) {
			r = bird_files(ba, l);
			report_text(stderr, &l->diags, &ro);
			if (r == -1 || unusable(&l->diags))
				cli_error("gen: nothing written");
			return r < 0 || unusable(&l->diags) ? EXIT_USAGE
			                                    : EXIT_CLEAN;
		}
		r = emit_bird(l->m, ba->node, ba->af, &ba->o, &text, &len,
		              &l->diags);
		break;
	default:
		r = emit_calico(l->m, o, &text, &len, &l->diags);
		break;
	}
	report_text(stderr, &l->diags, &ro);
	if (r < 0 || unusable(&l->diags)) {
		emit_free(text);
		cli_error("gen: nothing written");
		return EXIT_USAGE;
	}
	r = (t == GEN_BIRD && ba->o.secrets ? cli_write_secret_file
	                                    : cli_write_file)(
	        output ? output : "-", text, len);
	emit_free(text);
	return r < 0 ? EXIT_USAGE : EXIT_CLEAN;
}

int
cmd_gen(int argc, char **argv)
{
	struct emit_opts o;
	struct bird_args ba = {NULL, RR_AF_INET, {false}, NULL};
	struct load l;
	const char *output = NULL;
	enum gen_target t;
	struct opts p;
	int c, rc;

	memset(&o, 0, sizeof(o));
	load_init(&l);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc < 2)
			gen_usage(stderr);
		else
			opts_help(stdout, opts_command("gen"));
		rc = argc < 2 ? EXIT_USAGE : EXIT_CLEAN;
		goto out;
	}
	if (!strcmp(argv[1], "cisco") || !strcmp(argv[1], "ios")) {
		t = GEN_CISCO;
	} else if (!strcmp(argv[1], "frr")) {
		t = GEN_FRR;
	} else if (!strcmp(argv[1], "calico")) {
		t = GEN_CALICO;
	} else if (!strcmp(argv[1], "bird")) {
		t = GEN_BIRD;
	} else {
		cli_error("gen: unknown target '%s' (cisco, frr, calico or bird)",
		          argv[1]);
		goto usage;
	}
	argc--;
	argv++;
	opts_init(&p, opts_command("gen"), argc, argv);
	while ((c = opts_next(&p)) != OPTS_DONE) {
		switch (c) {
		case 's':
			if (parse_style(p.arg, &o.style) < 0)
				goto usage_p;
			break;
		case 'H':
			o.hostname = p.arg;
			break;
		case 'r':
			if (o.nrouter == EMIT_MAX_ROUTER_ADDRS ||
			    rr_addr_parse(p.arg, &o.router[o.nrouter]) < 0) {
				cli_error("gen: --router '%s': expected an IP "
				          "address (at most %d)",
				          p.arg, EMIT_MAX_ROUTER_ADDRS);
				goto usage_p;
			}
			o.nrouter++;
			break;
		case 'a':
			if (load_add_address(&l, p.arg) < 0)
				goto usage_p;
			break;
		case 'o':
			output = p.arg;
			break;
		case 'n':
			ba.node = p.arg;
			break;
		case 'F':
			if (strcmp(p.arg, "4") && strcmp(p.arg, "6")) {
				cli_error("gen bird: --family '%s': 4 or 6",
				          p.arg);
				goto usage_p;
			}
			ba.af = p.arg[0] == '6' ? RR_AF_INET6 : RR_AF_INET;
			break;
		case 'S':
			ba.o.secrets = true;
			break;
		case 'C':
			ba.confd_dir = p.arg;
			break;
		default: /* OPTS_EXIT: --help, or a usage error said */
			opts_release(&p);
			rc = p.status;
			goto out;
		}
	}
	opts_release(&p);
	if (t == GEN_BIRD && !ba.node) {
		cli_error("gen bird: --node NAME is required");
		goto usage;
	}
	if (t != GEN_BIRD && (ba.node || ba.o.secrets || ba.confd_dir)) {
		cli_error("gen: --node, --family, --secrets and --confd-dir are "
		          "for gen bird");
		goto usage;
	}
	if (ba.confd_dir && (output || !*ba.confd_dir)) {
		cli_error("gen bird: --confd-dir DIR writes all six files: not "
		          "with --output");
		goto usage;
	}
	if ((t == GEN_CALICO || t == GEN_BIRD) &&
	    (o.style || o.hostname || o.nrouter)) {
		cli_error("gen calico: --style, --hostname and --router are "
		          "for gen cisco and gen frr");
		goto usage;
	}
	if (output && !*output) {
		cli_error("gen: --output names no file");
		goto usage;
	}
	if (p.optind >= argc) {
		cli_error("gen: no input files");
		goto usage;
	}
	rc = run(t, &o, &ba, &l, output, argv + p.optind,
	         (size_t)(argc - p.optind));
	goto out;
usage_p:
	opts_release(&p);
usage:
	gen_usage(stderr);
	rc = EXIT_USAGE;
out:
	load_release(&l);
	return rc;
}
