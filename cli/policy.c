/*
 * .rrkit.yaml for `rrkit lint` (cli/policy.h): found from the current
 * directory upward (the way .yamllint and .kube-linter.yaml are found) or
 * named by --config, read by parsers/config.c, and applied to a run:
 * rule severities, excluded inputs, the baseline, strict.
 */
#include "cli/policy.h"
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	rr_arena_init(&p->arena);
	p->cfg.strict = -1;
}

void
policy_release(struct policy *p)
{
	rr_arena_release(&p->arena);
	memset(p, 0, sizeof(*p));
}

/* The first .rrkit.yaml from the current directory upward, or NULL. */
static const char *
find_config(struct rr_arena *a)
{
	char dir[PATH_MAX];
	size_t n;

	if (!getcwd(dir, sizeof(dir)))
		return NULL;
	for (;;) {
		const char *f = rr_arena_printf(a, "%s%s" POLICY_FILE, dir,
		                                strcmp(dir, "/") ? "/" : "");
		struct stat st;
		if (stat(f, &st) == 0 && S_ISREG(st.st_mode))
			return f;
		if (!strcmp(dir, "/"))
			return NULL;
		n = strlen(dir);
		while (n > 1 && dir[n - 1] != '/')
			n--;
		dir[n > 1 ? n - 1 : 1] = '\0';
	}
}

static char *
read_file(struct rr_arena *a, const char *path, size_t *len, const char **why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *buf;
	size_t n = 0;

	*why = NULL;
	if (fd < 0 || fstat(fd, &st) < 0) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)POLICY_MAX_FILE) {
		*why = S_ISREG(st.st_mode) ? "larger than 1 MiB"
		                           : "not a regular file";
		close(fd);
		return NULL;
	}
	buf = rr_arena_alloc(a, (size_t)st.st_size + 1);
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* "dir/.rrkit.yaml" + "x" -> "dir/x"; an absolute x stays. */
static const char *
beside(struct rr_arena *a, const char *config, const char *x)
{
	const char *slash = strrchr(config, '/');
	if (x[0] == '/' || !slash)
		return x;
	return rr_arena_printf(a, "%.*s/%s", (int)(slash - config), config, x);
}

int
policy_load(struct policy *p, const char *path, struct rr_diags *d)
{
	const char *file = path ? path : find_config(&p->arena), *why;
	char *text;
	size_t len = 0;

	if (!file)
		return 0;
	text = read_file(&p->arena, file, &len, &why);
	if (!text) {
		struct rr_loc at = {file, 0, 0};
		rr_diag_add(d, RR_SEV_FATAL, NULL, &at,
		            "cannot read the configuration '%s': %s", file, why);
		return -1;
	}
	p->config = rr_arena_strdup(&p->arena, file);
	rr_diags_add_source(d, p->config, text, len);
	if (parse_config(&p->arena, p->config, text, len, &p->cfg, d) < 0)
		return -1;
	if (p->cfg.baseline && !p->baseline)
		p->baseline = beside(&p->arena, p->config, p->cfg.baseline);
	return 0;
}

int
policy_rules(struct policy *p, struct report_rule *rules, bool *enabled,
             size_t nrules, struct rr_diags *d)
{
	size_t i, k;
	int rc = 0;

	for (k = 0; k < p->cfg.nrules; k++) {
		const struct parse_config_rule *c = &p->cfg.rules[k];
		for (i = 0; i < nrules && strcmp(rules[i].id, c->id); i++)
			;
		if (i == nrules) {
			rr_diag_add(d, RR_SEV_FATAL, NULL, &c->loc,
			            "unknown rule '%s' (see 'rrkit lint "
			            "--list-rules')",
			            c->id);
			rc = -1;
			continue;
		}
		if (c->sev == PARSE_CONFIG_OFF) {
			enabled[i] = false;
			rules[i].checked = false;
		} else {
			rules[i].sev = c->sev == PARSE_CONFIG_ERROR
			                       ? RR_SEV_ERROR
			                       : RR_SEV_WARNING;
		}
	}
	return rc;
}

bool
policy_excluded(const struct policy *p, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i;

	while (path[0] == '.' && path[1] == '/')
		path += 2;
	base = base ? base + 1 : path;
	for (i = 0; i < p->cfg.nexclude; i++) {
		const char *pat = p->cfg.exclude[i];
		if (fnmatch(pat, path, 0) == 0 ||
		    (!strchr(pat, '/') && fnmatch(pat, base, 0) == 0))
			return true;
	}
	return false;
}

/* The severity the file gives a rule, or -1. */
static int
rule_sev(const struct policy *p, const char *id)
{
	size_t k;
	for (k = p->cfg.nrules; k-- > 0;)
		if (!strcmp(p->cfg.rules[k].id, id))
			return p->cfg.rules[k].sev == PARSE_CONFIG_ERROR
			               ? RR_SEV_ERROR
			       : p->cfg.rules[k].sev == PARSE_CONFIG_WARNING
			               ? RR_SEV_WARNING
			               : -1;
	return -1;
}

void
policy_compact(struct rr_diags *d, const bool *drop)
{
	size_t i, k = 0;
	for (i = 0; i < d->n; i++) {
		if (drop[i]) {
			d->count[d->v[i].sev]--;
			continue;
		}
		d->v[k++] = d->v[i];
	}
	/* the sink reuses these slots and expects them zeroed */
	memset(d->v + k, 0, (d->n - k) * sizeof(*d->v));
	d->n = k;
}

int
policy_apply(struct policy *p, struct rr_diags *fd,
             const struct report_rule *rules, size_t nrules)
{
	size_t i;

	for (i = 0; i < fd->n; i++) {
		struct rr_diag *g = &fd->v[i];
		int s;
		if (!g->rule || g->sev < RR_SEV_WARNING ||
		    g->sev == RR_SEV_FATAL || (s = rule_sev(p, g->rule)) < 0)
			continue;
		fd->count[g->sev]--;
		g->sev = (enum rr_sev)s;
		fd->count[g->sev]++;
	}
	p->suppressed = suppress_apply(fd, rules, nrules);
	if (!p->baseline)
		return 0;
	if (p->write_baseline)
		return baseline_write(p->baseline, fd, &p->written);
	return baseline_apply(p->baseline, fd, &p->baselined, &p->stale);
}

void
policy_summary(const struct policy *p, FILE *f)
{
	if (!p->suppressed && !p->baselined && !p->stale)
		return;
	fprintf(f, "rrkit: lint: not reported: %zu suppressed in the inputs, "
	           "%zu in the baseline",
	        p->suppressed, p->baselined);
	if (p->stale)
		fprintf(f, " (%zu baseline entr%s match%s nothing any more)",
		        p->stale, p->stale == 1 ? "y" : "ies",
		        p->stale == 1 ? "es" : "");
	fputc('\n', f);
}
