/*
 * Loading inputs: files and directories become one resolved model.
 */
#ifndef RR_CLI_LOAD_H
#define RR_CLI_LOAD_H

#include "model/model.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"

#include <sys/types.h>

#define LOAD_MAX_FILE (64u * 1024 * 1024) /* bytes per input file */
#define LOAD_MAX_TOTAL (256u * 1024 * 1024) /* bytes of all inputs */
#define LOAD_MAX_DEPTH 16 /* directories below a directory named */
#define LOAD_STDIN "<stdin>" /* the file name of "-" in diagnostics */

struct load_inode {
	bool used;
	dev_t dev;
	ino_t ino;
};

struct load {
	struct rr_model *m;
	struct rr_diags diags;
	char **bufs; /* file contents, kept for caret lines */
	size_t nbufs;
	size_t nfiles; /* files read */
	size_t total;  /* bytes read */
	struct resolve_addr_hint *hints;
	size_t nhints;
	struct resolve_opts ropts;
	struct load_inode *seen; /* files and directories read: a hash set */
	size_t nseen, capseen;
	/* Inputs not to read (lint's .rrkit.yaml "exclude"), files and
	 * directories alike, walked or named; NULL: none. */
	bool (*exclude)(const void *ctx, const char *path);
	const void *exclude_ctx;
};

void load_init(struct load *l);
void load_release(struct load *l);
/* "NAME=IP" for --address; -1 (message printed) when malformed. */
int load_add_address(struct load *l, const char *arg);
/*
 * Read, detect and parse every path (directories are walked in name
 * order), then resolve.  Returns 0, or -1 when an input was unreadable or
 * invalid (RR_SEV_FATAL diagnostics say which).
 */
int load_paths(struct load *l, char *const *paths, size_t n);
/*
 * The same for texts held in memory (copied), each named as a file; what
 * is neither IOS nor YAML is skipped, as in a directory walked.
 */
int load_buffers(struct load *l, const char *const *names,
                 const char *const *bufs, const size_t *lens, size_t n);
/*
 * Whether the inputs hold a value Calico would reject (an error without a
 * rule, calico-invalid, as-invalid): the model is then not what the
 * systems would run.  Findings Calico accepts and silently acts on
 * (selector-yaml-tag) do not count: show and sim show their effect.  Nor
 * do errors in an IOS configuration (ios-invalid, as-invalid): IOS refuses
 * that one line and runs the rest, and so does the model.
 */
bool load_invalid(const struct load *l);
/* Lines an IOS configuration holds that IOS refuses (show and sim exit 1
 * after their output). */
bool load_ios_errors(const struct load *l);

#endif
