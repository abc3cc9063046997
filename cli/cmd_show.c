/* placeholder while the foundation is built (replaced in this change) */
#include "cli/cli.h"
int
cmd_show(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("show: not built yet");
	return EXIT_USAGE;
}
