/*
 * rrkit help [--man] [COMMAND], rrkit version, rrkit completion bash|zsh:
 * the commands that describe rrkit itself, all from the option tables
 * (cli/commands.c) and the build's version stamp (cli/version.c).
 */
#include "cli/cli.h"
#include "cli/opts.h"

#include <string.h>

int
cmd_help(int argc, char **argv)
{
	const struct opt_cmd *self = opts_command("help"), *c = NULL;
	struct opts o;
	bool man = false;
	int ch, rc = EXIT_CLEAN;

	opts_init(&o, self, argc, argv);
	while ((ch = opts_next(&o)) != OPTS_DONE) {
		if (ch == OPTS_EXIT) {
			rc = o.status;
			goto out;
		}
		if (ch == 'm')
			man = true;
	}
	if (o.optind < argc && !(c = opts_command(argv[o.optind]))) {
		rc = opts_fail(self, "'%s' is not an rrkit command",
		               argv[o.optind]);
		goto out;
	}
	if (o.optind + 1 < argc) {
		rc = opts_fail(self, "one command at a time");
		goto out;
	}
	if (man)
		opts_man(stdout, c);
	else if (c)
		opts_help(stdout, c);
	else
		opts_help_all(stdout);
out:
	opts_release(&o);
	return rc;
}

/* A command without options of its own: --help and --color only.  The
 * index of its first operand, or -1 with *rc set (help printed, or a usage
 * error said). */
static int
no_options(const struct opt_cmd *self, int argc, char **argv, int *rc)
{
	struct opts o;
	int ch, first;

	opts_init(&o, self, argc, argv);
	while ((ch = opts_next(&o)) != OPTS_DONE && ch != OPTS_EXIT)
		;
	*rc = o.status;
	first = ch == OPTS_EXIT ? -1 : o.optind;
	opts_release(&o);
	return first;
}

int
cmd_version(int argc, char **argv)
{
	const struct opt_cmd *self = opts_command("version");
	int rc, first = no_options(self, argc, argv, &rc);

	if (first < 0)
		return rc;
	if (first < argc)
		return opts_fail(self, "unexpected argument '%s'", argv[first]);
	cli_version(stdout);
	return EXIT_CLEAN;
}

int
cmd_completion(int argc, char **argv)
{
	const struct opt_cmd *self = opts_command("completion");
	int rc, first = no_options(self, argc, argv, &rc);

	if (first < 0)
		return rc;
	if (first + 1 != argc)
		return opts_fail(self, "name one shell: bash or zsh");
	if (opts_completion(stdout, argv[first]) < 0)
		return opts_fail(self, "'%s': bash or zsh", argv[first]);
	return EXIT_CLEAN;
}
