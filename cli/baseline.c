/*
 * `rrkit lint --baseline FILE`: findings accepted once are not reported
 * again (cli/policy.h).  A finding is known by its identity
 * (rci_identity: rule, file, message without counts, and its occurrence
 * number; never the line), the same string as its SARIF fingerprint, so
 * an edit above a finding keeps it accepted while a new finding, or the
 * same problem on another object, is reported.
 *
 * The file is text, one finding a line, sorted, so a review sees what
 * was accepted:
 *
 *   # rrkit baseline: accepted findings (rrkit lint --write-baseline)
 *   3f2c...e1:1 as-mismatch router.ios: neighbor 192.168.1.11 of 'rr1' ...
 *
 * Only the first word of a line counts; '#' lines and blank lines are
 * comments.  --write-baseline writes the findings of the run (atomically).
 */
#include "cli/cli.h"
#include "cli/policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_HEADER                                                        \
	"# rrkit baseline: accepted findings (rrkit lint --write-baseline)\n"  \
	"# one a line: identity, rule, file: message; only the identity "     \
	"counts\n"

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The identities of the file, sorted; *n of them.  NULL with *n 0 and
 * *err set when unreadable. */
static char **
read_ids(const char *path, size_t *n, int *err)
{
	FILE *f = fopen(path, "r");
	char **v = NULL, *line = NULL;
	size_t cap = 0, lcap = 0;
	ssize_t r;

	*n = 0;
	*err = 0;
	if (!f) {
		*err = errno;
		return NULL;
	}
	while ((r = getline(&line, &lcap, f)) >= 0) {
		char *w = line + strspn(line, " \t");
		size_t k = strcspn(w, " \t\r\n");
		if (!k || *w == '#')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = rr_xrealloc(v, cap * sizeof(*v));
		}
		w[k] = '\0';
		v[(*n)++] = rr_xstrdup(w);
	}
	if (ferror(f))
		*err = errno ? errno : EIO;
	free(line);
	fclose(f);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), str_cmp);
	return v;
}

int
baseline_apply(const char *path, struct rr_diags *fd, size_t *dropped,
               size_t *stale)
{
	struct report_ctx c = {.d = fd};
	struct rci_set s;
	size_t n, i;
	int err;
	char **ids = read_ids(path, &n, &err);
	bool *used, *drop;

	*dropped = *stale = 0;
	if (err) {
		cli_error("lint: cannot read the baseline '%s': %s", path,
		          strerror(err));
		return -1;
	}
	used = rr_xcalloc(n + 1, sizeof(*used));
	drop = rr_xcalloc(fd->n + 1, sizeof(*drop));
	rci_collect(&s, &c);
	for (i = 0; i < s.n; i++) {
		const char *fp = s.v[i].fingerprint;
		char **hit = n ? bsearch(&fp, ids, n, sizeof(*ids), str_cmp)
		               : NULL;
		if (!hit)
			continue;
		used[hit - ids] = true;
		drop[s.v[i].g - fd->v] = true;
		(*dropped)++;
	}
	for (i = 0; i < n; i++) {
		*stale += !used[i];
		free(ids[i]);
	}
	rci_release(&s);
	if (*dropped)
		policy_compact(fd, drop);
	free(ids);
	free(used);
	free(drop);
	return 0;
}

int
baseline_write(const char *path, const struct rr_diags *fd, size_t *written)
{
	struct report_ctx c = {.d = fd};
	struct rci_set s;
	struct rr_arena a;
	const char **lines;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&buf, &len);
	int rc;

	if (!m)
		rr_oom();
	rr_arena_init(&a);
	rci_collect(&s, &c);
	lines = rr_arena_calloc(&a, s.n + 1, sizeof(*lines));
	for (i = 0; i < s.n; i++) {
		const struct rci_finding *f = &s.v[i];
		lines[i] = rr_arena_printf(
		        &a, "%s %s %s: %s\n", f->fingerprint, f->g->rule,
		        f->file ? rci_path(f->file) : "-",
		        rci_short(&a, f->what, 200));
	}
	if (s.n > 1)
		qsort(lines, s.n, sizeof(*lines), str_cmp);
	fputs(BASELINE_HEADER, m);
	for (i = 0; i < s.n; i++)
		fputs(lines[i], m);
	*written = s.n;
	rci_release(&s);
	rr_arena_release(&a);
	if (fclose(m) != 0) {
		free(buf);
		cli_error("lint: cannot write the baseline '%s'", path);
		return -1;
	}
	rc = cli_write_file(path, buf, len);
	free(buf);
	return rc;
}
