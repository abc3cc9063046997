/*
 * cli: the rrkit command line.  One file per subcommand, dispatched from
 * the table in main.c.  Only cli/ maps outcomes to exit statuses:
 * 0 clean, 1 findings (or refused/not established), 2 usage or bad input,
 * 3 (sim) the network is too large for rrkit to simulate whole.
 */
#ifndef RR_CLI_H
#define RR_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "model/model.h"

enum {
	EXIT_CLEAN = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	EXIT_LIMIT = 3, /* sim: rrkit could not simulate it all (a limit of
	                   rrkit, not a verdict on the network) */
	EXIT_NOMEM = RR_EXIT_NOMEM, /* out of memory (model/arena.c) */
};

#define RRKIT_VERSION "0.1.0"

int cmd_show(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_sim(int, char **);
int cmd_rollout(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_completion(int argc, char **argv);

/* The version, commit, build date and modelled Calico release. */
void cli_version(FILE *f);
/* The URI of `file` ("" for the folder) in the documentation:
 * $RRKIT_DOCS_URI, else the installed copy
 * ("file:///usr/local/share/doc/rrkit/"). */
const char *cli_docs_uri(struct rr_arena *a, const char *file);

/* "rrkit: <msg>" on stderr; usage errors. */
void cli_error(const char *fmt, ...) RR_PRINTF(1, 2);

/* Write `len` bytes to `path` through cli/out.h (atomically: temporary
 * file in the same directory, fsync, rename).  "-" means stdout.  Returns
 * 0 or -1 (message printed). */
int cli_write_file(const char *path, const char *data, size_t len);
/* The same for a file that holds a secret: a new file gets mode 0600. */
int cli_write_secret_file(const char *path, const char *data, size_t len);

/* Whether stdout/stderr should be coloured: --color, NO_COLOR,
 * FORCE_COLOR, a terminal. */
bool cli_color(FILE *f);
/* --color=WHEN: "auto", "always" or "never"; -1 for another word. */
int cli_set_color(const char *when);

#endif
