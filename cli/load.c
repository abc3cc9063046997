/*
 * Inputs: read each file (bounded size), tell its format by content, hand
 * it to the parser, then resolve the Calico side into speakers.  A
 * directory is walked in name order; every file and directory is read
 * once (by device and inode: symlink loops end), and a walk opens only
 * regular files and directories, saying what it skipped.
 */
#include "cli/load.h"
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
load_init(struct load *l)
{
	memset(l, 0, sizeof(*l));
	l->m = rr_model_new();
	rr_diags_init(&l->diags);
}

void
load_release(struct load *l)
{
	size_t i;
	for (i = 0; i < l->nbufs; i++)
		free(l->bufs[i]);
	free(l->bufs);
	free(l->hints);
	free(l->seen);
	rr_diags_release(&l->diags);
	rr_model_free(l->m);
	memset(l, 0, sizeof(*l));
}

int
load_add_address(struct load *l, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct resolve_addr_hint *h;
	struct rr_addr a;

	if (!eq || eq == arg || rr_addr_parse(eq + 1, &a) < 0) {
		cli_error("--address '%s': expected NAME=IP", arg);
		return -1;
	}
	l->hints = rr_xrealloc(l->hints, (l->nhints + 1) * sizeof(*l->hints));
	h = &l->hints[l->nhints++];
	h->speaker = rr_arena_strndup(&l->m->arena, arg, (size_t)(eq - arg));
	h->addr = a;
	return 0;
}

static void fatal_file(struct load *l, const char *path, const char *fmt, ...)
	RR_PRINTF(3, 4);

static void
fatal_file(struct load *l, const char *path, const char *fmt, ...)
{
	struct rr_loc loc = { rr_model_file(l->m, path), 0, 0 };
	va_list ap;
	va_start(ap, fmt);
	rr_diag_vadd(&l->diags, RR_SEV_FATAL, NULL, &loc, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------- files read once, by inode */

static uint64_t
inode_hash(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)dev * 0x9e3779b97f4a7c15ull ^ (uint64_t)ino;
	h ^= h >> 31;
	return h * 0xbf58476d1ce4e5b9ull;
}

/* Record a file or directory as read; false when it already was (a
 * symlink loop, or one file reached twice). */
static bool
first_visit(struct load *l, const struct stat *st)
{
	size_t i, mask;

	if (l->nseen * 2 >= l->capseen) {
		struct load_inode *old = l->seen;
		size_t oldcap = l->capseen, j;
		l->capseen = oldcap ? oldcap * 2 : 64;
		l->seen = rr_xcalloc(l->capseen, sizeof(*l->seen));
		mask = l->capseen - 1;
		for (j = 0; j < oldcap; j++) {
			if (!old[j].used)
				continue;
			i = inode_hash(old[j].dev, old[j].ino) & mask;
			while (l->seen[i].used)
				i = (i + 1) & mask;
			l->seen[i] = old[j];
		}
		free(old);
	}
	mask = l->capseen - 1;
	for (i = inode_hash(st->st_dev, st->st_ino) & mask; l->seen[i].used;
	     i = (i + 1) & mask)
		if (l->seen[i].dev == st->st_dev && l->seen[i].ino == st->st_ino)
			return false;
	l->seen[i].used = true;
	l->seen[i].dev = st->st_dev;
	l->seen[i].ino = st->st_ino;
	l->nseen++;
	return true;
}

static const char *
file_type(mode_t m)
{
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	return "not a regular file";
}

/* Read all of `fd` (a file, or a pipe named on the command line), at most
 * LOAD_MAX_FILE bytes.  NUL-terminated; NULL after a FATAL diagnostic. */
static char *
read_fd(struct load *l, int fd, const char *path, const struct stat *st,
	size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf;

	if (S_ISREG(st->st_mode)) {
		if ((uintmax_t)st->st_size > LOAD_MAX_FILE) {
			fatal_file(l, path,
				   "'%s' is %jd bytes; rrkit reads files of at "
				   "most %u MiB",
				   path, (intmax_t)st->st_size,
				   LOAD_MAX_FILE / (1024 * 1024));
			return NULL;
		}
		/* room for one more byte: the read that sees the end */
		cap = (size_t)st->st_size + 2;
	}
	buf = rr_xmalloc(cap);
	for (;;) {
		ssize_t r;
		if (n + 1 >= cap) {
			if (n > LOAD_MAX_FILE) {
				fatal_file(l, path,
					   "'%s' is larger than %u MiB, the "
					   "most rrkit reads",
					   path, LOAD_MAX_FILE / (1024 * 1024));
				free(buf);
				return NULL;
			}
			cap = cap * 2 > LOAD_MAX_FILE + 2 ? LOAD_MAX_FILE + 2
							  : cap * 2;
			buf = rr_xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fatal_file(l, path, "cannot read '%s': %s", path,
				   strerror(errno));
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int load_fd(struct load *l, int fd, const char *path,
		   const struct stat *st, bool explicit_, int depth);

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * An entry of a walked directory: only directories and regular files are
 * opened (a FIFO would block the walk, a device is nobody's config), and
 * each is checked again once open, so a file swapped meanwhile is caught.
 */
/* An input the configuration excludes: skipped, with a note. */
static bool
excluded(struct load *l, const char *path)
{
	struct rr_loc at;
	if (!l->exclude || !l->exclude(l->exclude_ctx, path))
		return false;
	at = (struct rr_loc){rr_model_file(l->m, path), 0, 0};
	rr_diag_add(&l->diags, RR_SEV_NOTE, NULL, &at,
	            "excluded by the configuration: skipped");
	return true;
}

static int
load_entry(struct load *l, const char *path, int depth)
{
	struct stat st;
	int fd, rc;

	if (excluded(l, path))
		return 0;
	if (stat(path, &st) < 0) {
		struct rr_loc at = { rr_model_file(l->m, path), 0, 0 };
		rr_diag_add(&l->diags, RR_SEV_WARNING, NULL, &at,
			    "skipped: %s", strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		struct rr_loc at = { rr_model_file(l->m, path), 0, 0 };
		rr_diag_add(&l->diags, RR_SEV_WARNING, NULL, &at,
			    "%s, not a regular file: skipped",
			    file_type(st.st_mode));
		return 0;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		fatal_file(l, path, "cannot open '%s': %s", path,
			   strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))) {
		struct rr_loc at = { rr_model_file(l->m, path), 0, 0 };
		rr_diag_add(&l->diags, RR_SEV_WARNING, NULL, &at,
			    "changed while it was opened: skipped");
		close(fd);
		return 0;
	}
	rc = load_fd(l, fd, path, &st, false, depth);
	close(fd);
	return rc;
}

/* Walk a directory in name order; hidden entries are skipped.  Takes `fd`. */
static int
load_dir(struct load *l, int fd, const char *path, int depth)
{
	DIR *dir;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i, plen = strlen(path);
	int rc = 0, dfd;

	if (depth > LOAD_MAX_DEPTH) {
		fatal_file(l, path,
			   "'%s': directories nested more than %d deep", path,
			   LOAD_MAX_DEPTH);
		return -1;
	}
	while (plen > 1 && path[plen - 1] == '/')
		plen--; /* "samples/seed/" names files samples/seed/x */
	dfd = dup(fd);
	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		fatal_file(l, path, "cannot open directory '%s': %s", path,
			   strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	while ((e = readdir(dir))) {
		size_t k;
		if (e->d_name[0] == '.')
			continue;
		k = plen + strlen(e->d_name) + 2;
		names = rr_xrealloc(names, (n + 1) * sizeof(*names));
		names[n] = rr_xmalloc(k);
		snprintf(names[n], k, "%.*s/%s", (int)plen, path, e->d_name);
		n++;
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		if (l->total <= LOAD_MAX_TOTAL &&
		    load_entry(l, names[i], depth + 1) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

/*
 * UTF-16 text with a byte order mark (a config saved on Windows) becomes
 * UTF-8, so lines and columns stay those of the text.  Returns the new
 * buffer (the old one is freed) or NULL when it is not such text.
 */
static char *
from_utf16(char *buf, size_t *len)
{
	const unsigned char *u = (const unsigned char *)buf;
	bool le;
	size_t i, o = 0;
	char *out;

	if (*len < 2 || !((u[0] == 0xff && u[1] == 0xfe) ||
			  (u[0] == 0xfe && u[1] == 0xff)))
		return NULL;
	le = u[0] == 0xff;
	out = rr_xmalloc(*len / 2 * 3 + 4);
	for (i = 2; i + 1 < *len; i += 2) {
		uint32_t c = le ? (uint32_t)(u[i] | u[i + 1] << 8)
				: (uint32_t)(u[i] << 8 | u[i + 1]);
		if (c >= 0xd800 && c <= 0xdbff && i + 3 < *len) {
			uint32_t d = le ? (uint32_t)(u[i + 2] | u[i + 3] << 8)
					: (uint32_t)(u[i + 2] << 8 | u[i + 3]);
			if (d >= 0xdc00 && d <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
				i += 2;
			}
		}
		o += rr_utf8_put(c, out + o); /* a lone surrogate: U+FFFD */
	}
	out[o] = '\0';
	free(buf);
	*len = o;
	return out;
}

/* Whether "}}" occurs in [p, e). */
static bool
closes(const char *p, const char *e)
{
	for (; p + 1 < e; p++)
		if (p[0] == '}' && p[1] == '}')
			return true;
	return false;
}

/*
 * Text that is not a configuration yet or at all, skipped with a warning
 * rather than failing the run: a template ("{{ ... }}" on a line: Helm
 * and Go templates, Jinja for IOS configs) whose values only its renderer
 * knows, or a script ("#!" first).  The warning says what to give instead.
 */
static bool
not_config(struct load *l, const char *file, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *bol = buf, *o, *nl;
	uint32_t line = 1;
	struct rr_loc at = {file, 1, 1};

	if (len >= 2 && buf[0] == '#' && buf[1] == '!') {
		rr_diag_add(&l->diags, RR_SEV_WARNING, NULL, &at,
		            "a script ('#!'), not an IOS config or YAML: "
		            "skipped");
		return true;
	}
	/* the first "{{" of each line: '{' found with memchr, the line
	 * counted only up to where one is */
	while ((o = memchr(p, '{', (size_t)(end - p)))) {
		const char *e;
		if (o + 1 >= end || o[1] != '{') {
			p = o + 1;
			continue;
		}
		while ((nl = memchr(bol, '\n', (size_t)(o - bol)))) {
			bol = nl + 1;
			line++;
		}
		e = memchr(o, '\n', (size_t)(end - o));
		if (!e)
			e = end;
		if (closes(o + 2, e)) {
			at.line = line;
			at.col = (uint32_t)(o - bol) + 1;
			rr_diag_add(&l->diags, RR_SEV_WARNING, NULL, &at,
			            "a template ('{{ ... }}'), not a "
			            "configuration yet: skipped; give rrkit the "
			            "rendered files (helm template ..., or what "
			            "renders it)");
			return true;
		}
		p = e; /* the rest of the line is not looked at */
	}
	return false;
}

/* An open file or directory (`st` its fstat), read once. */
static int
load_fd(struct load *l, int fd, const char *path, const struct stat *st,
	bool explicit_, int depth)
{
	char *buf;
	size_t len = 0;
	const char *file;
	enum parse_format fmt;

	if (!first_visit(l, st)) {
		struct rr_loc at = { rr_model_file(l->m, path), 0, 0 };
		rr_diag_add(&l->diags, RR_SEV_NOTE, NULL, &at,
			    "a %s read already: skipped",
			    S_ISDIR(st->st_mode) ? "directory" : "file");
		return 0;
	}
	if (S_ISDIR(st->st_mode))
		return load_dir(l, fd, path, depth);
	{ /* opened non-blocking to check it first; now read it */
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0 && (fl & O_NONBLOCK))
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	buf = read_fd(l, fd, path, st, &len);
	if (!buf)
		return -1;
	l->total += len;
	if (l->total > LOAD_MAX_TOTAL) {
		fatal_file(l, path,
			   "the inputs are larger than %u MiB together, the "
			   "most rrkit reads in one run",
			   LOAD_MAX_TOTAL / (1024 * 1024));
		free(buf);
		return -1;
	}
	file = rr_model_file(l->m, path);
	{
		char *u8 = from_utf16(buf, &len);
		if (u8) {
			struct rr_loc at = {file, 0, 0};
			buf = u8;
			rr_diag_add(&l->diags, RR_SEV_NOTE, NULL, &at,
				    "'%s' is UTF-16 text: read as UTF-8", file);
		}
	}
	l->bufs = rr_xrealloc(l->bufs, (l->nbufs + 1) * sizeof(*l->bufs));
	l->bufs[l->nbufs++] = buf;
	rr_diags_add_source(&l->diags, file, buf, len);
	if (not_config(l, file, l->bufs[l->nbufs - 1], len))
		return 0;
	fmt = parse_detect(buf, len);
	switch (fmt) {
	case PARSE_FMT_IOS:
		l->nfiles++;
		return parse_ios(l->m, file, buf, len, &l->diags);
	case PARSE_FMT_YAML:
		l->nfiles++;
		return parse_calico(l->m, file, buf, len, NULL, &l->diags);
	case PARSE_FMT_BINARY:
		if (!explicit_)
			return 0; /* binaries in a walked directory: skipped */
		fatal_file(l, file,
			   "'%s' is binary data, not an IOS config or YAML",
			   file);
		return -1;
	default:
		if (!explicit_)
			return 0;
		if (len == 0)
			fatal_file(l, file, "'%s' is empty", file);
		else
			fatal_file(l, file,
				   "cannot tell what '%s' is: expected an IOS "
				   "config (router bgp, interface, hostname) "
				   "or Calico YAML (apiVersion, kind)",
				   file);
		return -1;
	}
}

/* A path named on the command line: a file, a directory to walk, a
 * pipe (`<(kubectl get ...)`) read to its end, or "-", standard input. */
static int
load_one(struct load *l, const char *path)
{
	struct stat st;
	int fd, rc;

	if (!strcmp(path, "-")) {
		/* standard input, as kubectl apply -f - reads it; named
		 * "<stdin>" in diagnostics, as gcc names it */
		path = LOAD_STDIN;
		fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
		if (fd < 0) {
			fatal_file(l, path, "cannot read standard input: %s",
			           strerror(errno));
			return -1;
		}
		goto opened;
	}
	if (excluded(l, path))
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fatal_file(l, path, "cannot open '%s': %s", path,
			   strerror(errno));
		return -1;
	}
opened:
	if (fstat(fd, &st) < 0) {
		fatal_file(l, path, "cannot read '%s': %s", path,
			   strerror(errno));
		close(fd);
		return -1;
	}
	rc = load_fd(l, fd, path, &st, true, 0);
	close(fd);
	return rc;
}

static int load_resolve(struct load *l);

int
load_paths(struct load *l, char *const *paths, size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && l->total <= LOAD_MAX_TOTAL; i++)
		if (load_one(l, paths[i]) < 0)
			rc = -1;
	if (rc == 0 && l->nfiles == 0) {
		rr_diag_add(&l->diags, RR_SEV_FATAL, NULL, NULL,
			    "no IOS config or Calico YAML found in the inputs");
		rc = -1;
	}
	if (rr_diags_has_fatal(&l->diags))
		rc = -1;
	if (rc < 0)
		return rc;
	return load_resolve(l);
}

int
load_buffers(struct load *l, const char *const *names,
             const char *const *bufs, const size_t *lens, size_t n)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		const char *file = rr_model_file(l->m, names[i]);
		char *buf = rr_xrealloc(NULL, lens[i] + 1);
		memcpy(buf, bufs[i], lens[i]);
		buf[lens[i]] = 0;
		l->bufs = rr_xrealloc(l->bufs, (l->nbufs + 1) * sizeof(*l->bufs));
		l->bufs[l->nbufs++] = buf;
		l->total += lens[i];
		rr_diags_add_source(&l->diags, file, buf, lens[i]);
		switch (parse_detect(buf, lens[i])) {
		case PARSE_FMT_IOS:
			l->nfiles++;
			if (parse_ios(l->m, file, buf, lens[i], &l->diags) < 0)
				rc = -1;
			break;
		case PARSE_FMT_YAML:
			l->nfiles++;
			if (parse_calico(l->m, file, buf, lens[i], NULL,
			                 &l->diags) < 0)
				rc = -1;
			break;
		default:
			break; /* what load_paths skips in a directory */
		}
	}
	if (rc == 0 && l->nfiles == 0) {
		rr_diag_add(&l->diags, RR_SEV_FATAL, NULL, NULL,
			    "no IOS config or Calico YAML found in the inputs");
		rc = -1;
	}
	if (rc < 0 || rr_diags_has_fatal(&l->diags))
		return -1;
	return load_resolve(l);
}

static int
load_resolve(struct load *l)
{
	l->ropts.addr_hints = l->hints;
	l->ropts.naddr_hints = l->nhints;
	if (!l->ropts.router_id_env)
		l->ropts.router_id_env = getenv("CALICO_ROUTER_ID");
	if (resolve_calico(l->m, &l->ropts, &l->diags) < 0 ||
	    rr_diags_has_fatal(&l->diags))
		return -1;
	return 0;
}

/* A diagnostic about an IOS configuration (file names are interned). */
static bool
in_ios_file(const struct load *l, const struct rr_diag *g)
{
	size_t i;
	for (i = 0; g->loc.file && i < l->m->nspeakers; i++)
		if (l->m->speakers[i]->kind == RR_SPK_IOS &&
		    l->m->speakers[i]->file == g->loc.file)
			return true;
	return false;
}

bool
load_invalid(const struct load *l)
{
	size_t i;
	for (i = 0; i < l->diags.n; i++) {
		const struct rr_diag *g = &l->diags.v[i];
		if (g->sev < RR_SEV_ERROR)
			continue;
		/* IOS drops a line it refuses and runs the rest: so does
		 * rrkit (the error still sets the exit status) */
		if (in_ios_file(l, g) && g->sev == RR_SEV_ERROR && g->rule)
			continue;
		if (!g->rule || !strcmp(g->rule, RR_RULE_CALICO_INVALID) ||
		    !strcmp(g->rule, RR_RULE_AS_INVALID))
			return true;
	}
	return false;
}

bool
load_ios_errors(const struct load *l)
{
	size_t i;
	for (i = 0; i < l->diags.n; i++)
		if (l->diags.v[i].sev >= RR_SEV_ERROR &&
		    in_ios_file(l, &l->diags.v[i]))
			return true;
	return false;
}
