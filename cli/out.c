/*
 * Output files and standard output, written as produced (cli/out.h).
 *
 * A file is built as "PATH.tmpXXXXXX" next to the target (same directory,
 * so rename(2) is atomic: POSIX rename), synced, and renamed over PATH on
 * success; on failure the temporary is unlinked.  A target that exists and
 * is not a regular file (a device such as /dev/null, a FIFO) is written in
 * place: renaming over it would replace it.  A symlink is followed: the
 * file it names is replaced (temporary in that file's directory), the link
 * stays.  A directory is refused.  A file that is replaced keeps its mode
 * (and, where allowed, its owner); a new one gets 0666 less the umask, or
 * 0600 when it may hold secrets.  Temporaries are removed when a signal
 * (INT, TERM, HUP, QUIT, PIPE, ABRT) or out of memory ends the run.
 */
#include "cli/out.h"
#include "cli/cli.h" /* cli_write_file */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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

/* ------------------------------------ temporaries removed on signals */

/*
 * The temporaries being written.  Module state, because a signal handler
 * reaches nothing else; changed only with the signals below blocked.
 */
#define OUT_MAX_TEMPS 64
static const char *volatile temps[OUT_MAX_TEMPS];
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP,
                                      SIGQUIT, SIGPIPE, SIGABRT};

static void
remove_temps(void)
{
	size_t i;
	for (i = 0; i < OUT_MAX_TEMPS; i++)
		if (temps[i])
			unlink((const char *)temps[i]); /* async-signal-safe */
}

static void
on_signal(int sig)
{
	remove_temps();
	signal(sig, SIG_DFL);
	raise(sig); /* the run ends as the signal says */
}

static void
block(sigset_t *old)
{
	sigset_t set;
	size_t i;
	sigemptyset(&set);
	for (i = 0; i < sizeof(cleanup_signals) / sizeof(int); i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void
track(const char *tmp, bool on)
{
	static bool installed;
	sigset_t old;
	size_t i;

	if (on && !installed) {
		installed = true;
		for (i = 0; i < sizeof(cleanup_signals) / sizeof(int); i++) {
			struct sigaction sa, cur;
			/* a signal the caller ignores stays ignored */
			if (sigaction(cleanup_signals[i], NULL, &cur) < 0 ||
			    cur.sa_handler != SIG_DFL)
				continue;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = on_signal;
			sigemptyset(&sa.sa_mask);
			sigaction(cleanup_signals[i], &sa, NULL);
		}
		atexit(remove_temps); /* out of memory exits (rr_oom) */
	}
	block(&old);
	for (i = 0; i < OUT_MAX_TEMPS; i++)
		if (on ? !temps[i] : temps[i] == tmp) {
			temps[i] = on ? tmp : NULL;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ------------------------------------------------------------ targets */

/*
 * The file `path` names: symlinks followed (at most 40 in a row), the
 * last name possibly not existing yet (it will be created).  malloc'd.
 */
static char *
final_target(const char *path)
{
	char *p = rr_xstrdup(path);
	int hops;

	for (hops = 0; hops < 40; hops++) {
		struct stat st;
		char buf[PATH_MAX], *q, *slash;
		ssize_t n;

		if (lstat(p, &st) < 0 || !S_ISLNK(st.st_mode))
			break;
		n = readlink(p, buf, sizeof(buf) - 1);
		if (n < 0)
			break;
		buf[n] = '\0';
		slash = strrchr(p, '/');
		if (buf[0] == '/' || !slash) {
			q = rr_xstrdup(buf);
		} else { /* relative to the link's directory */
			size_t k = (size_t)(slash - p) + 1 + (size_t)n + 1;
			q = rr_xmalloc(k);
			snprintf(q, k, "%.*s%s", (int)(slash - p + 1), p, buf);
		}
		free(p);
		p = q;
	}
	return p;
}

static bool
is_stdout(const struct out *o)
{
	return !strcmp(o->path, "-");
}

static int
open_in_place(struct out *o)
{
	o->fd = open(o->target, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	return o->fd < 0 ? -1 : 0;
}

/* The temporary next to the target; `old` is the file it will replace
 * (NULL: none), whose mode and owner it takes. */
static int
open_temp(struct out *o, const struct stat *old)
{
	size_t n = strlen(o->target) + 16;
	mode_t mask, mode;
	int e;

	o->tmp = rr_xmalloc(n);
	snprintf(o->tmp, n, "%s.tmpXXXXXX", o->target);
	o->fd = mkstemp(o->tmp); /* mode 0600 */
	if (o->fd < 0) {
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	track(o->tmp, true);
	if (old) {
		/* root replacing a user's file gives it back to the user */
		mode = old->st_mode & 07777;
		if (fchown(o->fd, old->st_uid, old->st_gid) < 0)
			mode &= ~(mode_t)(S_IRWXG | S_ISGID); /* not its group */
	} else if (o->flags & OUT_PRIVATE) {
		return 0;
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(o->fd, mode) < 0) {
		e = errno;
		close(o->fd);
		unlink(o->tmp);
		track(o->tmp, false);
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
		o->target = final_target(path);
		if (stat(o->target, &st) < 0)
			r = errno == ENOENT ? open_temp(o, NULL) : -1;
		else if (S_ISDIR(st.st_mode))
			r = -2;
		else if (!S_ISREG(st.st_mode))
			r = open_in_place(o);
		else
			r = open_temp(o, &st);
		if (r == -2)
			say("cannot write '%s': it is a directory (give a file "
			    "name)",
			    path);
		else if (r < 0)
			say("cannot create '%s': %s", path, strerror(errno));
		if (r < 0) {
			free(o->target);
			o->target = NULL;
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
	if (o->tmp)
		track(o->tmp, false);
	free(o->buf);
	free(o->tmp);
	free(o->target);
	o->buf = o->tmp = o->target = NULL;
	o->fd = -1;
}

static bool stdout_reported;

bool
out_stdout_reported(void)
{
	return stdout_reported;
}

static int
failed(struct out *o, int e)
{
	if (is_stdout(o) && !stdout_reported) {
		stdout_reported = true;
		say("cannot write to standard output: %s", strerror(e));
	} else if (!is_stdout(o))
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
	if (!o->err && o->tmp && rename(o->tmp, o->target) < 0)
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

static int
write_file(const char *path, const char *data, size_t len, unsigned flags)
{
	struct out o;

	if (out_open(&o, path, flags) < 0)
		return -1;
	out_write(&o, data, len);
	return out_close(&o);
}

int
cli_write_file(const char *path, const char *data, size_t len)
{
	return write_file(path, data, len, 0);
}

int
cli_write_secret_file(const char *path, const char *data, size_t len)
{
	return write_file(path, data, len, OUT_PRIVATE);
}
