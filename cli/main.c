/*
 * rrkit: dispatch to one subcommand.
 */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

static const struct cli_cmd commands[] = {
	{ "show", cmd_show, "show [--node NAME] [--format text|json] [--address NAME=IP] FILE...",
	  "print the resolved model: every speaker and the sessions it opens" },
	{ "lint", cmd_lint,
	  "lint [--format F[=FILE]]... [--output FILE] [--strict] [--disable ID,...] "
	  "[--only ID,...] [--list-rules] FILE...",
	  "cross-check router configs and Calico manifests; findings for people and CI" },
	{ "probe", cmd_probe,
	  "probe --as ASN --peer IP[:PORT] [--router-id ID] [--hold S] [--source IP] "
	  "[--password-file F] [--timeout S] [--format text|json]",
	  "open one real BGP session to a router, advertise nothing, report the answer" },
	{ "gen", cmd_gen,
	  "gen cisco|frr|calico [--style neighbor|peer-group|listen-range] "
	  "[--hostname H] [--router IP]... [--output FILE] FILE...",
	  "write the other side: the router's BGP config, or the Calico manifests" },
	{ "sim", cmd_sim,
	  "sim [--format text|json|dot[=FILE]]... [--output FILE] [--pcap FILE] "
	  "[--node NAME]... [--routes] [--all] [--progress] [--until S] "
	  "[--fail SPEAKER@S] [--cut A,B@S] [--restore A,B@S] [--address NAME=IP] "
	  "[--assume-blocks] FILE...",
	  "replay the sessions and routes with real BGP messages; say what comes up" },
	{ "version", cmd_version, "version", "print the version" },
	{ "help", cmd_help, "help", "this list" },
};

void
cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("rrkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool
cli_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
}

static void
usage(FILE *f)
{
	size_t i;
	fprintf(f, "usage: rrkit COMMAND [OPTIONS] FILE...\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nrrkit COMMAND --help shows the options of one command.\n"
		   "exit status: 0 clean, 1 findings, 2 usage or unreadable input,\n"
		   "3 (sim) the network is too large for rrkit to simulate whole,\n"
		   "4 out of memory\n");
}

static int
cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_CLEAN;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("rrkit %s\n", RRKIT_VERSION);
	return EXIT_CLEAN;
}

/*
 * What a command printed on standard output must have been written: a
 * full disk or a closed pipe is an error (status 2), not a clean run --
 * whichever command printed (help, version, --list-rules, probe, ...).
 */
static int
finish(int rc)
{
	int e;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return rc;
	e = errno;
	if (rc != EXIT_USAGE) /* a command that failed said why already */
		cli_error("cannot write to standard output%s%s",
			  e ? ": " : "", e ? strerror(e) : "");
	return EXIT_USAGE;
}

static int
dispatch(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	cli_error("'%s' is not an rrkit command (see 'rrkit help')", argv[1]);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	return finish(dispatch(argc, argv));
}
