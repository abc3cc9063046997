/*
 * cli/opts.h: one option table per command (git's `struct option[]`).
 *
 * The table of a command is the only place its options are written down:
 * it drives the parsing (getopt_long underneath), `rrkit CMD --help` (every
 * option with its argument, default and an example), the man pages
 * (`rrkit help --man CMD`, docs/man/) and the bash and zsh completion
 * (`rrkit completion bash|zsh`).  The tables live in cli/commands.c; each
 * cmd_*.c switches on the ids its table gives.
 *
 * Every command also takes --help/-h and --color[=WHEN], handled here.
 */
#ifndef RR_CLI_OPTS_H
#define RR_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum {
	OPT_REPEAT = 1u,   /* may be given more than once */
	OPT_OPTARG = 2u,   /* --name[=ARG]: the argument is optional */
	OPT_HIDDEN = 4u,   /* parsed, but not in --help or completion */
	OPT_REQUIRED = 8u, /* the command needs it (shown without [ ]) */
};

/* What opts_next() returns besides an option's id. */
enum {
	OPTS_DONE = -1, /* no more options: operands from o->optind */
	OPTS_EXIT = -2, /* --help printed (status 0) or a usage error printed
	                   (status 2): return o->status */
};

struct opt {
	int id;             /* returned by opts_next(): a letter or >= 256 */
	char shortname;     /* 0: long only */
	const char *name;   /* long name, without "--" */
	const char *arg;    /* placeholder of the argument; NULL: a flag */
	const char *help;   /* what it does: sentences, no trailing newline */
	const char *def;    /* the default when not given, or NULL */
	const char *example; /* an example use, or NULL */
	/* Completion of the argument: words separated by spaces, or "@file",
	 * "@dir", "@rule" (the rule ids), NULL: nothing to offer. */
	const char *values;
	unsigned flags;
};

struct opt_example {
	const char *cmdline; /* after "rrkit " */
	const char *what;
};

struct opt_cmd {
	const char *name;     /* "lint" */
	const char *summary;  /* one line, for `rrkit help` */
	const char *operands; /* "FILE|DIR...", NULL: none */
	/* Completion of the operands: as opt.values; for a command whose first
	 * operand is a keyword (gen cisco|frr|...), the keywords. */
	const char *operand_values;
	const char *usage;       /* synopsis lines after "rrkit "; NULL: made
	                            from the table */
	const char *description; /* paragraphs separated by blank lines */
	const struct opt *opts;  /* ends with an entry whose name is NULL */
	const struct opt_example *examples; /* ends with cmdline NULL */
	const char *exit_status; /* lines "N  meaning" */
	int (*fn)(int argc, char **argv);
};

/* --color and --help, taken by every command after its own options. */
extern const struct opt opts_common[];

/* Every command, in the order `rrkit help` lists them. */
extern const struct opt_cmd *const cli_commands[];
extern const size_t cli_ncommands;
/* The date the man pages carry (cli/commands.c). */
extern const char opts_man_date[];
const struct opt_cmd *opts_command(const char *name);

struct opts {
	const struct opt_cmd *cmd;
	int argc;
	char **argv;
	int optind;      /* first operand once opts_next() returned DONE */
	const char *arg; /* the argument of the option returned */
	int status;      /* with OPTS_EXIT: 0 (help) or 2 (usage error) */
	void *longopts;  /* struct option[], built from the table */
	char *shortopts;
};

void opts_init(struct opts *o, const struct opt_cmd *c, int argc,
               char **argv);
void opts_release(struct opts *o);
/* The next option's id, OPTS_DONE, or OPTS_EXIT (message printed). */
int opts_next(struct opts *o);
/* A usage error found by the command: "rrkit: CMD: MSG" then the short
 * usage on stderr; returns 2. */
int opts_fail(const struct opt_cmd *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The synopsis ("usage: rrkit lint [--format F]... FILE|DIR..."). */
void opts_usage(FILE *f, const struct opt_cmd *c);
/* `rrkit CMD --help`: synopsis, description, every option, examples. */
void opts_help(FILE *f, const struct opt_cmd *c);
/* `rrkit help`: the commands and one line each. */
void opts_help_all(FILE *f);
/* The man page of one command (troff, man(7)); c NULL: rrkit(1). */
void opts_man(FILE *f, const struct opt_cmd *c);
/* A completion script for "bash" or "zsh"; -1 for another shell. */
int opts_completion(FILE *f, const char *shell);

#endif
