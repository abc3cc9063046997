/*
 * Drives cli/out.c alone (it needs libc and model/arena.c only): opens an
 * output file, writes into its temporary, then ends the way argv[2] says --
 * a signal (INT, TERM, HUP, PIPE) or out of memory -- so robust.sh can check
 * that no temporary is left and the previous file is intact.
 *   out_signal FILE INT|TERM|HUP|PIPE|OOM
 */
#include "cli/out.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {{"INT", SIGINT}, {"TERM", SIGTERM}, {"HUP", SIGHUP},
		    {"PIPE", SIGPIPE}};
	struct out o;
	size_t i;

	/* as on a terminal: a shell that started us in the background made
	 * INT ignored, and out.c leaves an ignored signal alone */
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i].sig, SIG_DFL);
	if (argc != 3 || out_open(&o, argv[1], OUT_PRIVATE) < 0)
		return 2;
	out_puts(&o, "half a report\n");
	out_flush(&o);
	if (!o.tmp)
		return 2;
	printf("%s\n", o.tmp); /* the temporary that must go */
	fflush(stdout);
	if (!strcmp(argv[2], "OOM"))
		rr_oom();
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (!strcmp(argv[2], sigs[i].name))
			raise(sigs[i].sig);
	return 2; /* not reached */
}
