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

int
cmd_version(int argc, char **argv)
{
	const struct opt_cmd *self = opts_command("version");
	struct opts o;
	int ch, rc = EXIT_CLEAN;

	opts_init(&o, self, argc, argv);
	while ((ch = opts_next(&o)) != OPTS_DONE)
		if (ch == OPTS_EXIT) {
			rc = o.status;
			goto out;
		}
	if (o.optind < argc) {
		rc = opts_fail(self, "unexpected argument '%s'", argv[o.optind]);
		goto out;
	}
	cli_version(stdout);
out:
	opts_release(&o);
	return rc;
}

int
cmd_completion(int argc, char **argv)
{
	const struct opt_cmd *self = opts_command("completion");
	struct opts o;
	int ch, rc = EXIT_CLEAN;

	opts_init(&o, self, argc, argv);
	while ((ch = opts_next(&o)) != OPTS_DONE)
		if (ch == OPTS_EXIT) {
			rc = o.status;
			goto out;
		}
	if (o.optind + 1 != argc) {
		rc = opts_fail(self, "name one shell: bash or zsh");
		goto out;
	}
	if (opts_completion(stdout, argv[o.optind]) < 0)
		rc = opts_fail(self, "'%s': bash or zsh", argv[o.optind]);
out:
	opts_release(&o);
	return rc;
}
