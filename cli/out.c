/*
 * Output files and standard output, written as produced (cli/out.h).
 *
 * A file is built as "PATH.tmpXXXXXX" next to the target (same directory,
 * so rename(2) is atomic: POSIX rename), synced, and renamed over PATH on
 * success; on failure the temporary is unlinked.  A target that exists and
 * is not a regular file (a device such as /dev/null, a FIFO) is written in
 * place: renaming over it would replace it.
 */
#include "cli/out.h"
#include "cli/cli.h" /* cli_write_file */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void RR_PRINTF(1, 2)
say(const char *fmt, ...)
{
	va_list ap;
	fputs("rrkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool
is_stdout(const struct out *o)
{
	return !strcmp(o->path, "-");
}

static int
open_in_place(struct out *o)
{
	o->fd = open(o->path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	return o->fd < 0 ? -1 : 0;
}

static int
open_temp(struct out *o)
{
	size_t n = strlen(o->path) + 16;
	mode_t mask;

	o->tmp = rr_xmalloc(n);
	snprintf(o->tmp, n, "%s.tmpXXXXXX", o->path);
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	if (o->flags & OUT_PRIVATE)
		return 0; /* mkstemp made it 0600 */
	mask = umask(0);
	umask(mask);
	if (fchmod(o->fd, 0666 & ~mask) < 0) {
		int e = errno;
		close(o->fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		errno = e;
		return -1;
	}
	return 0;
}

int
out_open(struct out *o, const char *path, unsigned flags)
{
	struct stat st;
	int r;

	memset(o, 0, sizeof(*o));
	o->path = path;
	o->flags = flags;
	o->fd = -1;
	if (is_stdout(o)) {
		fflush(stdout); /* what printf wrote before goes first */
		o->fd = STDOUT_FILENO;
	} else {
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
		    !S_ISDIR(st.st_mode))
			r = open_in_place(o);
		else
			r = open_temp(o);
		if (r < 0) {
			say("cannot create '%s': %s", path,
			          strerror(errno));
			return -1;
		}
	}
	o->buf = rr_xmalloc(OUT_BUFSZ);
	return 0;
}

static void
drain(struct out *o, const char *p, size_t n)
{
	while (n && !o->err) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			o->err = w < 0 ? errno : EIO;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

int
out_flush(struct out *o)
{
	drain(o, o->buf, o->n);
	o->n = 0;
	return o->err ? -1 : 0;
}

void
out_write(struct out *o, const void *p, size_t n)
{
	o->bytes += n;
	if (o->err)
		return;
	if (o->n + n > OUT_BUFSZ) {
		out_flush(o);
		if (n >= OUT_BUFSZ) {
			drain(o, p, n);
			return;
		}
	}
	memcpy(o->buf + o->n, p, n);
	o->n += n;
}

void
out_sink(void *ctx, const char *p, size_t n)
{
	out_write(ctx, p, n);
}

void
out_puts(struct out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

void
out_printf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	char small[512], *big;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		out_write(o, small, (size_t)n);
		return;
	}
	big = rr_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	out_write(o, big, (size_t)n);
	free(big);
}

bool
out_failed(const struct out *o)
{
	return o->err != 0;
}

static void
release(struct out *o)
{
	free(o->buf);
	free(o->tmp);
	o->buf = o->tmp = NULL;
	o->fd = -1;
}

static int
failed(struct out *o, int e)
{
	if (is_stdout(o))
		say("cannot write to standard output: %s", strerror(e));
	else
		say("cannot write '%s': %s", o->path, strerror(e));
	if (o->tmp)
		unlink(o->tmp);
	release(o);
	return -1;
}

int
out_close(struct out *o)
{
	int fd = o->fd;

	out_flush(o);
	if (is_stdout(o)) {
		if (o->err)
			return failed(o, o->err);
		release(o);
		return 0;
	}
	if (!o->err && o->tmp && fsync(fd) < 0)
		o->err = errno;
	if (close(fd) < 0 && !o->err)
		o->err = errno;
	if (!o->err && o->tmp && rename(o->tmp, o->path) < 0)
		o->err = errno;
	if (o->err)
		return failed(o, o->err);
	release(o);
	return 0;
}

void
out_abort(struct out *o)
{
	if (!o->buf)
		return;
	if (is_stdout(o)) {
		out_flush(o);
	} else {
		close(o->fd);
		if (o->tmp)
			unlink(o->tmp);
	}
	release(o);
}

int
cli_write_file(const char *path, const char *data, size_t len)
{
	struct out o;

	if (out_open(&o, path, 0) < 0)
		return -1;
	out_write(&o, data, len);
	return out_close(&o);
}
