/*
 * rrkit: dispatch to one subcommand.
 */
#include "cli/cli.h"
#include "cli/opts.h"
#include "cli/out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* --color: the one setting every command shares (cli_set_color) */
static enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;

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

int
cli_set_color(const char *when)
{
	if (!strcmp(when, "auto"))
		color_mode = COLOR_AUTO;
	else if (!strcmp(when, "always"))
		color_mode = COLOR_ALWAYS;
	else if (!strcmp(when, "never"))
		color_mode = COLOR_NEVER;
	else
		return -1;
	return 0;
}

/* --color=always|never decides; else NO_COLOR (set and not empty) turns
 * colour off, FORCE_COLOR (set and not empty) on; else a terminal other
 * than TERM=dumb is coloured (no-color.org, force-color.org). */
bool
cli_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	const char *fc = getenv("FORCE_COLOR");
	const char *term = getenv("TERM");
	if (color_mode != COLOR_AUTO)
		return color_mode == COLOR_ALWAYS;
	if (nc && *nc)
		return false;
	if (fc && *fc)
		return true;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(fileno(f));
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
	if (!out_stdout_reported()) /* said once */
		cli_error("cannot write to standard output%s%s",
			  e ? ": " : "", e ? strerror(e) : "");
	return EXIT_USAGE;
}

static int
dispatch(int argc, char **argv)
{
	const struct opt_cmd *c;

	if (argc < 2) {
		opts_help_all(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(argc - 1, argv + 1);
	if ((c = opts_command(argv[1])))
		return c->fn(argc - 1, argv + 1);
	cli_error("'%s' is not an rrkit command (see 'rrkit help')", argv[1]);
	return EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	return finish(dispatch(argc, argv));
}
