/*
 * cli/out.h: the one place every rrkit command opens an output file.
 *
 * An output is standard output ("-") or a file.  A file is written to a
 * temporary file in the target's directory and appears under its name only
 * when the command finished writing it (fsync, then rename(2) over the
 * target): a reader never sees half a report, and a failed or interrupted
 * run leaves the previous file as it was.  Bytes are written as they are
 * produced through a fixed buffer, so no command holds its whole output in
 * memory.  Errors are remembered (the first errno) and reported once, by
 * out_close(), as "rrkit: cannot write 'PATH': REASON".  Needs libc only
 * (no other cli/ file), so test drivers can link it alone.
 */
#ifndef RR_CLI_OUT_H
#define RR_CLI_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define OUT_BUFSZ 65536

enum out_flags {
	OUT_PRIVATE = 1, /* the file may hold secrets: mode 0600 */
};

struct out {
	const char *path; /* as given; "-" is standard output */
	char *target;     /* the file written: path with symlinks followed */
	char *tmp;        /* the temporary file, NULL for standard output */
	int fd;
	int err;        /* the first errno a write met, 0: none */
	uint64_t bytes; /* accepted by out_write so far */
	unsigned flags;
	char *buf;
	size_t n;
};

/* Open `path` ("-": standard output).  Returns 0, or -1 with a message
 * printed (nothing was created). */
int out_open(struct out *o, const char *path, unsigned flags);
void out_write(struct out *o, const void *p, size_t n);
void out_puts(struct out *o, const char *s);
void out_printf(struct out *o, const char *fmt, ...) RR_PRINTF(2, 3);
/* out_write for a callback: ctx is the struct out (json_sink_fn). */
void out_sink(void *ctx, const char *p, size_t n);
/* Hand what is buffered to the kernel (to order it with other writes to
 * the same terminal).  Returns 0, or -1 once a write failed. */
int out_flush(struct out *o);
/* Whether a write failed so far. */
bool out_failed(const struct out *o);
/* Whether a failed write to standard output was reported already (main's
 * last check then says nothing more). */
bool out_stdout_reported(void);
/* Finish: flush; a file is synced and renamed over `path`.  Returns 0, or
 * -1 with a message printed and the temporary file removed. */
int out_close(struct out *o);
/* Give up: a file's temporary is removed and `path` is left untouched;
 * standard output is flushed. */
void out_abort(struct out *o);

#endif
