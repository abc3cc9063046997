/* placeholder while the BGP engine is built (replaced in this change) */
#include "cli/cli.h"
int
cmd_probe(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("probe: not built yet");
	return EXIT_USAGE;
}
