/*
 * Option tables (cli/opts.h): parsing through getopt_long, and from the
 * same tables the --help text, the man pages and the completion scripts.
 * Nothing here knows a particular command; cli/commands.c holds the tables.
 */
#include "cli/opts.h"
#include "cli/cli.h"
#include "validate/validate.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define OPT_HELP_ID 0x7001
#define OPT_COLOR_ID 0x7002
#define WRAP 78

/* The options every command takes after its own. */
const struct opt opts_common[] = {
	{OPT_COLOR_ID, 0, "color", "WHEN",
	 "Colour the diagnostics: auto (on a terminal, unless NO_COLOR is set "
	 "and not empty; FORCE_COLOR set and not empty colours a pipe too), "
	 "always, or never. --color alone is always.",
	 "auto", "--color=always", "auto always never", OPT_OPTARG},
	{OPT_HELP_ID, 'h', "help", NULL,
	 "Print this help and exit with status 0.", NULL, NULL, NULL, 0},
	{0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0},
};

const struct opt_cmd *
opts_command(const char *name)
{
	size_t i;
	for (i = 0; i < cli_ncommands; i++)
		if (!strcmp(cli_commands[i]->name, name))
			return cli_commands[i];
	return NULL;
}

static size_t
nopts(const struct opt *v)
{
	size_t n = 0;
	while (v && v[n].name)
		n++;
	return n;
}

/* Calls fn for each option of c, its own then the common ones. */
#define FOR_EACH_OPT(c, p)                                                     \
	for (const struct opt *const *tab_ =                                   \
	             (const struct opt *const[]){(c)->opts, opts_common, NULL}; \
	     *tab_; tab_++)                                                    \
		for ((p) = *tab_; (p) && (p)->name; (p)++)

void
opts_init(struct opts *o, const struct opt_cmd *c, int argc, char **argv)
{
	size_t n = nopts(c->opts) + nopts(opts_common), i = 0;
	struct option *lo = rr_xcalloc(n + 1, sizeof(*lo));
	char *so = rr_xcalloc(3 * n + 2, 1), *s = so;
	const struct opt *p;

	*s++ = ':'; /* missing argument: ':' rather than '?' */
	FOR_EACH_OPT(c, p)
	{
		lo[i].name = p->name;
		lo[i].has_arg = !p->arg                ? no_argument
		                : p->flags & OPT_OPTARG ? optional_argument
		                                        : required_argument;
		lo[i].val = p->id;
		i++;
		if (p->shortname) {
			*s++ = p->shortname;
			if (p->arg)
				*s++ = ':';
			if (p->arg && p->flags & OPT_OPTARG)
				*s++ = ':';
		}
	}
	memset(o, 0, sizeof(*o));
	o->cmd = c;
	o->argc = argc;
	o->argv = argv;
	o->longopts = lo;
	o->shortopts = so;
	optind = 1;
	opterr = 0;
}

void
opts_release(struct opts *o)
{
	free(o->longopts);
	free(o->shortopts);
	o->longopts = NULL;
	o->shortopts = NULL;
}

int
opts_fail(const struct opt_cmd *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "rrkit: %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	opts_usage(stderr, c);
	fprintf(stderr, "('rrkit %s --help' explains every option)\n", c->name);
	return EXIT_USAGE;
}

/* The option of `id` (for messages about a short option). */
static const struct opt *
by_id(const struct opt_cmd *c, int id)
{
	const struct opt *p;
	FOR_EACH_OPT(c, p)
	if (p->id == id)
		return p;
	return NULL;
}

/* The argv word getopt stopped at (optind has moved past it, or not). */
static const char *
bad_word(const struct opts *o)
{
	int i = optind - 1;
	if (i < 1 || i >= o->argc)
		i = optind < o->argc ? optind : o->argc - 1;
	return i >= 0 ? o->argv[i] : "";
}

int
opts_next(struct opts *o)
{
	const struct opt *p;
	int c = getopt_long(o->argc, o->argv, o->shortopts, o->longopts, NULL);

	o->arg = optarg;
	o->optind = optind;
	switch (c) {
	case -1:
		return OPTS_DONE;
	case OPT_HELP_ID:
	case 'h':
		opts_help(stdout, o->cmd);
		o->status = EXIT_CLEAN;
		return OPTS_EXIT;
	case OPT_COLOR_ID:
		if (cli_set_color(optarg ? optarg : "always") < 0) {
			o->status = opts_fail(o->cmd,
			                      "'--color=%s': auto, always or never",
			                      optarg);
			return OPTS_EXIT;
		}
		return opts_next(o);
	case ':':
		p = optopt ? by_id(o->cmd, optopt) : NULL;
		if (p)
			o->status = opts_fail(o->cmd,
			                      "'--%s' needs an argument (%s)",
			                      p->name, p->arg ? p->arg : "");
		else
			o->status = opts_fail(o->cmd, "'%s' needs an argument",
			                      bad_word(o));
		return OPTS_EXIT;
	case '?':
		if (optopt && optopt < 256 && optopt != '?')
			o->status = opts_fail(o->cmd, "unknown option '-%c'",
			                      optopt);
		else if (optopt)
			o->status = opts_fail(o->cmd,
			                      "'%s' takes no argument",
			                      bad_word(o));
		else
			o->status = opts_fail(o->cmd,
			                      "unknown or ambiguous option '%s'",
			                      bad_word(o));
		return OPTS_EXIT;
	default:
		return c;
	}
}

/* ------------------------------------------------------------- help */

/* Text wrapped at WRAP columns, every line indented by `ind`; "\n" in
 * the text starts a new line, "\n\n" a paragraph. */
static void
wrap(FILE *f, const char *s, int ind)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		const char *end = nl ? nl : s + strlen(s);
		while (s < end) {
			const char *cut = s, *w = s;
			/* the longest run of words that fits */
			while (w < end) {
				const char *sp = memchr(w, ' ', (size_t)(end - w));
				const char *we = sp ? sp : end;
				if (we - s > WRAP - ind && cut > s)
					break;
				cut = we;
				w = sp ? sp + 1 : end;
			}
			fprintf(f, "%*s%.*s\n", ind, "", (int)(cut - s), s);
			s = cut;
			while (s < end && *s == ' ')
				s++;
		}
		if (!nl)
			break;
		if (nl[1] == '\n')
			fputc('\n', f);
		s = nl[1] == '\n' ? nl + 2 : nl + 1;
	}
}

/* "-f, --format=F" */
static void
opt_label(FILE *f, const struct opt *p)
{
	if (p->shortname)
		fprintf(f, "-%c, ", p->shortname);
	fprintf(f, "--%s", p->name);
	if (p->arg)
		fprintf(f, p->flags & OPT_OPTARG ? "[=%s]" : " %s", p->arg);
}

/* The argument as the synopsis shows it: the values when the table
 * lists words ("text|json[=FILE]"), else the placeholder. */
static const char *
arg_words(char *buf, size_t size, const struct opt *p)
{
	const char *eq = strstr(p->arg, "[=");
	size_t i;
	int n;

	if (!p->values || p->values[0] == '@')
		return p->arg;
	n = snprintf(buf, size, "%s%s", p->values, eq ? eq : "");
	if (n < 0 || (size_t)n >= size)
		return p->arg;
	for (i = 0; buf[i] && buf + i != strstr(buf, "[="); i++)
		if (buf[i] == ' ')
			buf[i] = '|';
	return buf;
}

void
opts_usage(FILE *f, const struct opt_cmd *c)
{
	const struct opt *p;
	int col;

	if (c->usage) {
		const char *s = c->usage;
		const char *pre = "usage: rrkit ";
		while (*s) {
			const char *nl = strchr(s, '\n');
			int n = nl ? (int)(nl - s) : (int)strlen(s);
			/* an indented line continues the one before */
			fprintf(f, "%s%.*s\n", *s == ' ' ? "" : pre, n, s);
			pre = "       rrkit ";
			s += n + (nl != NULL);
		}
		return;
	}
	col = fprintf(f, "usage: rrkit %s", c->name);
	for (p = c->opts; p && p->name; p++) {
		char buf[200], words[120];
		int n;
		if (p->flags & OPT_HIDDEN)
			continue;
		n = snprintf(buf, sizeof(buf), "%s--%s%s%s%s%s%s",
		             p->flags & OPT_REQUIRED ? "" : "[", p->name,
		             p->arg ? (p->flags & OPT_OPTARG ? "[=" : " ") : "",
		             p->arg ? arg_words(words, sizeof(words), p) : "",
		             p->arg && p->flags & OPT_OPTARG ? "]" : "",
		             p->flags & OPT_REQUIRED ? "" : "]",
		             p->flags & OPT_REPEAT ? "..." : "");
		if (col + 1 + n > WRAP) {
			fprintf(f, "\n%*s", 13 + (int)strlen(c->name), "");
			col = 13 + (int)strlen(c->name);
		}
		fprintf(f, " %s", buf);
		col += 1 + n;
	}
	if (c->operands) {
		if (col + 1 + (int)strlen(c->operands) > WRAP)
			fprintf(f, "\n%*s", 13 + (int)strlen(c->name), "");
		fprintf(f, " %s", c->operands);
	}
	fputc('\n', f);
}

void
opts_help(FILE *f, const struct opt_cmd *c)
{
	const struct opt *p;
	const struct opt_example *e;

	opts_usage(f, c);
	fputc('\n', f);
	wrap(f, c->summary, 0);
	if (c->description) {
		fputc('\n', f);
		wrap(f, c->description, 0);
	}
	fputs("\noptions:\n", f);
	FOR_EACH_OPT(c, p)
	{
		if (p->flags & OPT_HIDDEN)
			continue;
		fputs("  ", f);
		opt_label(f, p);
		fputc('\n', f);
		wrap(f, p->help, 8);
		if (p->def)
			fprintf(f, "        default: %s\n", p->def);
		if (p->example)
			fprintf(f, "        example: rrkit %s\n", p->example);
	}
	if (c->examples && c->examples->cmdline) {
		fputs("\nexamples:\n", f);
		for (e = c->examples; e->cmdline; e++) {
			fprintf(f, "  rrkit %s\n", e->cmdline);
			wrap(f, e->what, 8);
		}
	}
	if (c->exit_status) {
		fputs("\nexit status:\n", f);
		wrap(f, c->exit_status, 2);
	}
}

void
opts_help_all(FILE *f)
{
	size_t i;
	fputs("usage: rrkit COMMAND [OPTIONS] [FILE|DIR]...\n\ncommands:\n",
	      f);
	for (i = 0; i < cli_ncommands; i++)
		fprintf(f, "  %-11s %s\n", cli_commands[i]->name,
		        cli_commands[i]->summary);
	fputs("\n'rrkit COMMAND --help' explains every option of a command;\n"
	      "'man rrkit-COMMAND' says the same.\n"
	      "exit status: 0 clean, 1 findings, 2 usage or unreadable input,\n"
	      "3 (sim) the network is too large for rrkit to simulate whole,\n"
	      "4 out of memory\n",
	      f);
}

/* -------------------------------------------------------------- man */

/* Text for troff: backslashes, a leading dot or quote, hyphens in words
 * that are options. */
static void
roff(FILE *f, const char *s, size_t n)
{
	size_t i;
	bool bol = true;
	for (i = 0; i < n && s[i]; i++) {
		char ch = s[i];
		if (bol && (ch == '.' || ch == '\''))
			fputs("\\&", f);
		if (ch == '\\')
			fputs("\\e", f);
		else if (ch == '-')
			fputs("\\-", f);
		else
			fputc(ch, f);
		bol = ch == '\n';
	}
}

static void
roff_s(FILE *f, const char *s)
{
	roff(f, s, strlen(s));
}

/* Paragraphs ("\n\n") become .PP; single newlines .br */
static void
roff_text(FILE *f, const char *s)
{
	while (*s) {
		const char *nl = strstr(s, "\n\n");
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		size_t i, st = 0;
		for (i = 0; i <= n; i++) {
			if (i < n && s[i] != '\n')
				continue;
			roff(f, s + st, i - st);
			fputs(i < n ? "\n.br\n" : "\n", f);
			st = i + 1;
		}
		if (!nl)
			break;
		fputs(".PP\n", f);
		s = nl + 2;
	}
}

static void
man_synopsis(FILE *f, const struct opt_cmd *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char *line, *save = NULL;

	if (!m)
		rr_oom();
	opts_usage(m, c);
	fclose(m);
	fputs(".SH SYNOPSIS\n.nf\n", f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "usage: ", 7))
			line += 7;
		if (*line == ' ') { /* a continuation: indent it a little */
			line += strspn(line, " ");
			fputs("    ", f);
		}
		roff_s(f, line);
		fputc('\n', f);
	}
	fputs(".fi\n", f);
	free(buf);
}

static void
man_opts(FILE *f, const struct opt_cmd *c)
{
	const struct opt *p;

	fputs(".SH OPTIONS\n", f);
	FOR_EACH_OPT(c, p)
	{
		if (p->flags & OPT_HIDDEN)
			continue;
		fputs(".TP\n", f);
		if (p->shortname)
			fprintf(f, "\\fB\\-%c\\fR, ", p->shortname);
		fputs("\\fB\\-\\-", f);
		roff_s(f, p->name);
		fputs("\\fR", f);
		if (p->arg) {
			fputs(p->flags & OPT_OPTARG ? "[=\\fI" : " \\fI", f);
			roff_s(f, p->arg);
			fputs(p->flags & OPT_OPTARG ? "\\fR]" : "\\fR", f);
		}
		fputc('\n', f);
		roff_text(f, p->help);
		if (p->def) {
			fputs(".br\nDefault: ", f);
			roff_s(f, p->def);
			fputc('\n', f);
		}
		if (p->example) {
			fputs(".br\nExample: \\fBrrkit ", f);
			roff_s(f, p->example);
			fputs("\\fR\n", f);
		}
	}
}

static void
man_page_cmd(FILE *f, const struct opt_cmd *c)
{
	const struct opt_example *e;

	fputs(".SH NAME\nrrkit\\-", f);
	roff_s(f, c->name);
	fputs(" \\- ", f);
	roff_s(f, c->summary);
	fputc('\n', f);
	man_synopsis(f, c);
	if (c->description) {
		fputs(".SH DESCRIPTION\n", f);
		roff_text(f, c->description);
	}
	man_opts(f, c);
	if (c->examples && c->examples->cmdline) {
		fputs(".SH EXAMPLES\n", f);
		for (e = c->examples; e->cmdline; e++) {
			fputs(".TP\n\\fBrrkit ", f);
			roff_s(f, e->cmdline);
			fputs("\\fR\n", f);
			roff_text(f, e->what);
		}
	}
	if (c->exit_status) {
		fputs(".SH EXIT STATUS\n.nf\n", f);
		roff_s(f, c->exit_status);
		fputs("\n.fi\n", f);
	}
}

static void
man_page_top(FILE *f)
{
	size_t i;

	fputs(".SH NAME\nrrkit \\- check, translate and simulate BGP peering "
	      "between Calico nodes and an IOS route reflector\n"
	      ".SH SYNOPSIS\n.nf\n\\fBrrkit\\fR \\fICOMMAND\\fR [\\fIOPTIONS"
	      "\\fR] [\\fIFILE\\fR|\\fIDIR\\fR]...\n.fi\n"
	      ".SH DESCRIPTION\n"
	      "rrkit reads a router's IOS configuration and a cluster's Calico "
	      "manifests into one model of the BGP peering between them, then "
	      "checks it, writes the other side's configuration, or replays "
	      "the sessions and routes with real BGP messages.\n"
	      ".SH COMMANDS\n",
	      f);
	for (i = 0; i < cli_ncommands; i++) {
		fprintf(f, ".TP\n\\fBrrkit\\-%s\\fR(1)\n", cli_commands[i]->name);
		roff_s(f, cli_commands[i]->summary);
		fputc('\n', f);
	}
	fputs(".SH EXIT STATUS\n.nf\n"
	      "0  clean\n1  findings\n2  usage, or unreadable input\n"
	      "3  (sim) the network is too large to simulate whole\n"
	      "4  out of memory\n.fi\n",
	      f);
}

void
opts_man(FILE *f, const struct opt_cmd *c)
{
	char up[64] = "";
	size_t i, k;

	/* .TH wants the title upper case */
	for (k = 0; c && c->name[k] && k + 1 < sizeof(up); k++)
		up[k] = (char)(c->name[k] >= 'a' && c->name[k] <= 'z'
		                       ? c->name[k] - 'a' + 'A'
		                       : c->name[k]);
	up[k] = '\0';
	fprintf(f, ".\\\" generated by 'rrkit help --man%s%s'; do not edit\n",
	        c ? " " : "", c ? c->name : "");
	fprintf(f, ".TH RRKIT%s%s 1 \"%s\" \"rrkit %s\" \"rrkit manual\"\n",
	        c ? "\\-" : "", up, opts_man_date, RRKIT_VERSION);
	fputs(".nh\n.ad l\n", f); /* no hyphenation, ragged right */
	if (c)
		man_page_cmd(f, c);
	else
		man_page_top(f);
	fputs(".SH ENVIRONMENT\n", f);
	if (!c || (c->operands && strstr(c->operands, "FILE")))
		fputs(".TP\n\\fBCALICO_ROUTER_ID\\fR\nApplied to the Calico "
		      "nodes as calico\\-node applies it: \\fBhash\\fR, or an "
		      "address.\n",
		      f);
	fputs(".TP\n\\fBNO_COLOR\\fR\nSet and not empty: no "
	      "colour unless \\fB\\-\\-color=always\\fR.\n.TP\n"
	      "\\fBFORCE_COLOR\\fR\nSet and not empty: colour even when the "
	      "output is not a terminal, unless \\fB\\-\\-color=never\\fR.\n",
	      f);
	fputs(".SH SEE ALSO\n", f);
	if (c)
		fputs("\\fBrrkit\\fR(1)", f);
	for (i = 0; i < cli_ncommands; i++) {
		if (c == cli_commands[i])
			continue;
		fprintf(f, "%s\\fBrrkit\\-%s\\fR(1)", c || i ? ", " : "",
		        cli_commands[i]->name);
	}
	fputs("\n", f);
}
