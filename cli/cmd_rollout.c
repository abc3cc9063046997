/*
 * rrkit rollout: rehearse a change (rollout/rollout.h, docs/rollout.md).
 * The states come from --from, --step... and --to (each a file set read
 * as rrkit sim reads it), or are derived from what differs between
 * --from and --to, one change per Calico resource (or per file when the
 * files cannot be split for sure) and per router, in the orders that make
 * sense; each order is one rehearsal, and the one with the least loss is
 * reported with a plan an engineer can follow.  The end state gets rrkit
 * sim's verdict (cli/sim_text.c, sim_json.c).  Exit 0 when no route was
 * lost and the end state is ok, 1 otherwise, 2 on bad usage or input, 3
 * when the node-to-node mesh is too large to simulate.
 */
#include "bgpsim/sim.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "cli/load.h"
#include "cli/opts.h"
#include "cli/out.h"
#include "cli/report.h"
#include "cli/sim_out.h"
#include "parsers/parsers.h"
#include "rollout/rollout.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_STEPS 64
#define PLAN_LINES 24 /* configuration lines shown per router step */

enum ro_order {
	ORD_MBB = 0, /* make-before-break */
	ORD_ROUTER_FIRST,
	ORD_ROUTER_LAST,
	ORD_GIVEN,
	ORD_TOGETHER, /* the routers, then every Calico change at once */
	ORD_BRIDGE, /* make-before-break with temporary BGPPeers: a node
	               moving between peers peers with both on the way */
	ORD_SEARCH,
	ORD_N
};
static const char *const order_names[ORD_N] = {
        "make-before-break", "router-first", "router-last", "given",
        "together", "temporary-peers", "search"};

/* ------------------------------------------------------------ files */

struct rdoc;

struct rfile {
	char *rel;        /* path below --from / --to */
	char *from, *to;  /* full paths, NULL: absent there */
	char *fbuf, *tbuf; /* their contents */
	size_t flen, tlen;
	bool config;      /* an IOS configuration or YAML (else skipped) */
	bool ios;
	/* resource by resource (YAML, every file split): the documents */
	struct ro_doc *fdocs, *tdocs;
	size_t nfdocs, ntdocs;
	struct rdoc **fres, **tres; /* each document's resource */
	bool temp; /* the temporary BGPPeers (ORD_BRIDGE), no file */
	struct unit *unit; /* the file changed as a whole, NULL */
	/* a router whose change adds neighbors and does more: unit brings
	 * its new neighbors (mbuf: the old text with their lines), unit2
	 * the rest (ro_ios_add_neighbors) */
	char *mbuf;
	size_t mlen;
	struct unit *unit2;
};

/* a resource (kind, namespace, name) in --from and in --to */
struct rdoc {
	struct rfile *ff, *tf;          /* NULL: absent there */
	const struct ro_doc *fd, *td;
	struct unit *unit;              /* NULL: the same in both */
	struct unit *undo; /* a temporary resource: its deletion */
};

/* one change: a resource or a whole file added, removed or changed */
struct unit {
	struct rfile *f;   /* the file (of the resource) */
	struct rdoc *res;  /* the resource, NULL: the whole file */
	bool router;   /* an IOS configuration */
	bool kubectl;  /* a crd.projectcalico.org or core resource */
	int bucket;    /* make-before-break: 0 adds, 1 changes, 2 removes */
	bool applied;  /* scratch: in the state being built */
	bool undo;     /* deletes a temporary resource (res->undo) */
	int part;      /* a router's change in two: 1 its new neighbors,
	                  2 the rest; 0 whole */
};

static const char *const part_names[3] = {NULL, "new-neighbors", "rest"};

struct fileset {
	struct rfile *v;
	size_t n, cap;
	struct rfile *bridge; /* the temporary BGPPeers, NULL: none */
};

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, k;

	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = rr_xrealloc(buf, cap + 1);
		}
		k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (!k || n > LOAD_MAX_FILE)
			break;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

static struct rfile *
fs_get(struct fileset *fs, const char *rel)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (!strcmp(fs->v[i].rel, rel))
			return &fs->v[i];
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 32;
		fs->v = rr_xrealloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	memset(&fs->v[fs->n], 0, sizeof(fs->v[0]));
	fs->v[fs->n].rel = strdup(rel);
	if (!fs->v[fs->n].rel)
		rr_xrealloc(NULL, SIZE_MAX); /* out of memory */
	return &fs->v[fs->n++];
}

static char *
join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = rr_xrealloc(NULL, n);

	snprintf(p, n, "%s%s%s", a, *b ? "/" : "", b);
	return p;
}

/* the files below root (a directory, walked in name order, names
 * starting with '.' skipped as rrkit's loader skips them) */
static int
walk(struct fileset *fs, const char *root, const char *rel, bool to,
     int depth)
{
	char *path = *rel ? join(root, rel) : strdup(root);
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (!path || stat(path, &st) < 0) {
		cli_error("rollout: cannot read '%s': %s", path ? path : root,
		          strerror(errno));
		free(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		struct rfile *f;
		const char *base = strrchr(path, '/');
		f = fs_get(fs, *rel ? rel : base ? base + 1 : path);
		if (to)
			f->to = path;
		else
			f->from = path;
		return 0;
	}
	if (depth > LOAD_MAX_DEPTH || !(d = opendir(path))) {
		cli_error("rollout: cannot read directory '%s'", path);
		free(path);
		return -1;
	}
	while ((e = readdir(d)) && rc == 0) {
		char *r;
		if (e->d_name[0] == '.')
			continue;
		r = *rel ? join(rel, e->d_name) : strdup(e->d_name);
		rc = walk(fs, root, r, to, depth + 1);
		free(r);
	}
	closedir(d);
	free(path);
	return rc;
}

static int
cmp_rfile(const void *a, const void *b)
{
	return strcmp(((const struct rfile *)a)->rel,
	              ((const struct rfile *)b)->rel);
}

static bool
same_file(const struct rfile *f)
{
	return f->fbuf && f->tbuf && f->flen == f->tlen &&
	       !memcmp(f->fbuf, f->tbuf, f->flen);
}

/* the files' contents, once; what is neither IOS nor YAML is skipped as
 * the loader skips it in a directory */
static int
read_files(struct fileset *fs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		struct rfile *f = &fs->v[i];
		enum parse_format t;
		if (f->from && !(f->fbuf = read_all(f->from, &f->flen))) {
			cli_error("rollout: cannot read '%s': %s", f->from,
			          strerror(errno));
			return -1;
		}
		if (f->to && !(f->tbuf = read_all(f->to, &f->tlen))) {
			cli_error("rollout: cannot read '%s': %s", f->to,
			          strerror(errno));
			return -1;
		}
		t = f->tbuf ? parse_detect(f->tbuf, f->tlen)
		            : parse_detect(f->fbuf, f->flen);
		if (f->fbuf && f->tbuf && t != parse_detect(f->fbuf, f->flen))
			t = PARSE_FMT_YAML == t ? t : parse_detect(f->fbuf,
			                                           f->flen);
		f->config = t == PARSE_FMT_IOS || t == PARSE_FMT_YAML;
		f->ios = t == PARSE_FMT_IOS;
	}
	return 0;
}

/* resources: the same apiVersion family (Calico's two spellings are one
 * resource), kind, namespace and name */
static int
cmp_res(const struct ro_doc *a, const struct ro_doc *b)
{
	bool ca = strstr(a->api, "projectcalico.org") != NULL,
	     cb = strstr(b->api, "projectcalico.org") != NULL;
	int c;

	if (ca != cb)
		return ca ? 1 : -1;
	if (!ca && (c = strcmp(a->api, b->api)) != 0)
		return c;
	if ((c = strcasecmp(a->kind, b->kind)) != 0)
		return c;
	if ((c = strcmp(a->ns, b->ns)) != 0)
		return c;
	return strcmp(a->name, b->name);
}

/* a document of one side, for matching */
struct dref {
	struct rfile *f;
	const struct ro_doc *d;
	int side; /* 0 --from, 1 --to */
};

static int
cmp_dref(const void *a, const void *b)
{
	const struct dref *x = a, *y = b;
	int c = cmp_res(x->d, y->d);

	return c ? c : x->side - y->side;
}

struct resset {
	struct rdoc *v;
	size_t n;
};

static void
split_release(struct fileset *fs, struct resset *rs)
{
	size_t i;

	for (i = 0; i < fs->n; i++) {
		struct rfile *f = &fs->v[i];
		free(f->fdocs);
		free(f->tdocs);
		free(f->fres);
		free(f->tres);
		f->fdocs = f->tdocs = NULL;
		f->fres = f->tres = NULL;
		f->nfdocs = f->ntdocs = 0;
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/*
 * Every YAML file split into its resources, matched across --from and
 * --to by identity (a resource may move between files).  False (nothing
 * kept) when a file does not split or a resource is named twice on one
 * side: the changes are then whole files.
 */
static bool
split_files(struct fileset *fs, struct resset *rs)
{
	struct dref *v = NULL;
	size_t i, k, n = 0, cap = 0;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < fs->n; i++) {
		struct rfile *f = &fs->v[i];
		int side;
		if (!f->config || f->ios)
			continue;
		if ((f->fbuf && ro_split_yaml(f->fbuf, f->flen, &f->fdocs,
		                              &f->nfdocs) < 0) ||
		    (f->tbuf && ro_split_yaml(f->tbuf, f->tlen, &f->tdocs,
		                              &f->ntdocs) < 0))
			goto whole;
		f->fres = rr_xcalloc(f->nfdocs + 1, sizeof(*f->fres));
		f->tres = rr_xcalloc(f->ntdocs + 1, sizeof(*f->tres));
		for (side = 0; side < 2; side++) {
			const struct ro_doc *d = side ? f->tdocs : f->fdocs;
			size_t nd = side ? f->ntdocs : f->nfdocs;
			for (k = 0; k < nd; k++) {
				if (n == cap) {
					cap = cap ? cap * 2 : 256;
					v = rr_xrealloc(v, cap * sizeof(*v));
				}
				v[n].f = f;
				v[n].d = &d[k];
				v[n++].side = side;
			}
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_dref);
	rs->v = rr_xcalloc(n + 1, sizeof(*rs->v));
	for (i = 0; i < n; i++) {
		struct rdoc *r;
		bool same = i && !cmp_res(v[i - 1].d, v[i].d);
		if (same && v[i - 1].side == v[i].side)
			goto whole; /* named twice on one side */
		r = same ? &rs->v[rs->n - 1] : &rs->v[rs->n++];
		if (v[i].side) {
			r->tf = v[i].f;
			r->td = v[i].d;
			v[i].f->tres[v[i].d - v[i].f->tdocs] = r;
		} else {
			r->ff = v[i].f;
			r->fd = v[i].d;
			v[i].f->fres[v[i].d - v[i].f->fdocs] = r;
		}
	}
	free(v);
	return true;
whole:
	free(v);
	split_release(fs, rs);
	return false;
}


static bool
res_changed(const struct rdoc *r)
{
	return !r->fd || !r->td ||
	       !ro_same_doc(r->ff->fbuf + r->fd->off, r->fd->len,
	                    r->tf->tbuf + r->td->off, r->td->len);
}

static bool
res_calicoctl(const struct ro_doc *d)
{
	return strstr(d->api, "projectcalico.org/v3") &&
	       !strstr(d->api, "crd.");
}

static bool
has_line(const char *text, const char *prefix)
{
	const char *p = text;
	size_t n = strlen(prefix);

	while (p && *p) {
		if (!strncmp(p, prefix, n))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

static void
classify(struct unit *u)
{
	const char *t = u->f->tbuf ? u->f->tbuf : u->f->fbuf;

	if (u->res) {
		u->kubectl = !res_calicoctl(u->res->td ? u->res->td
		                                       : u->res->fd);
		return;
	}
	u->router = u->f->ios;
	u->kubectl = t && !u->router &&
	             !has_line(t, "apiVersion: projectcalico.org");
}

/* the changes, in path order (a file's resources in the order of --to,
 * then those it no longer holds); split: resource by resource */
static struct unit *
make_units(struct fileset *fs, struct resset *rs, bool split, size_t *n)
{
	struct unit *u = rr_xcalloc(2 * fs->n + rs->n + 1, sizeof(*u));
	size_t i, k;

	*n = 0;
	for (i = 0; i < fs->n; i++) {
		struct rfile *f = &fs->v[i];
		if (!f->config)
			continue;
		if (f->ios && f->fbuf && f->tbuf && !same_file(f) &&
		    (f->mbuf || (f->mbuf = ro_ios_add_neighbors(
		                         f->fbuf, f->flen, f->tbuf, f->tlen,
		                         &f->mlen)))) {
			u[*n].f = f;
			u[(*n)++].part = 1;
			u[*n].f = f;
			u[(*n)++].part = 2;
			continue;
		}
		if (!split || f->ios) {
			if (!same_file(f))
				u[(*n)++].f = f;
			continue;
		}
		for (k = 0; k < f->ntdocs; k++)
			if (!f->tres[k]->unit && res_changed(f->tres[k])) {
				u[*n].f = f;
				u[*n].res = f->tres[k];
				f->tres[k]->unit = &u[(*n)++];
			}
		for (k = 0; k < f->nfdocs; k++)
			if (!f->fres[k]->unit && !f->fres[k]->td) {
				u[*n].f = f;
				u[*n].res = f->fres[k];
				f->fres[k]->unit = &u[(*n)++];
			}
	}
	for (i = 0; i < *n; i++) {
		if (u[i].part == 2)
			u[i].f->unit2 = &u[i];
		else if (!u[i].res)
			u[i].f->unit = &u[i];
		classify(&u[i]);
	}
	return u;
}

/* ------------------------------------------------------------ states */

struct state {
	struct load l;
	bool loaded;
	const char *label; /* what it adds: a file or a --step path */
};

static int
load_state(struct state *s, char **paths, size_t n, const char *const *addr,
           size_t naddr, bool assume_blocks, bool quiet)
{
	struct report_opts ro = {cli_color(stderr), true, RR_SEV_NOTE};
	size_t i;

	load_init(&s->l);
	s->loaded = true;
	s->l.ropts.assume_blocks = assume_blocks;
	for (i = 0; i < naddr; i++)
		if (load_add_address(&s->l, addr[i]) < 0)
			return -1;
	if (load_paths(&s->l, paths, n) < 0) {
		report_text(stderr, &s->l.diags, &ro);
		return -1;
	}
	if (!quiet)
		report_text(stderr, &s->l.diags, &ro);
	if (load_invalid(&s->l)) {
		if (quiet)
			report_text(stderr, &s->l.diags, &ro);
		cli_error("rollout: the inputs have errors (above)");
		return -1;
	}
	return 0;
}

static void
state_release(struct state *s)
{
	if (s->loaded)
		load_release(&s->l);
	s->loaded = false;
}

/* ------------------------------------------------------------ args */

struct rargs {
	const char *from, *to;
	const char *steps[MAX_STEPS];
	size_t nsteps;
	enum ro_order order;
	bool order_set;
	uint64_t interval_ms;
	bool json, text, all;
	const char *json_path, *text_path, *output;
	bool svg;
	const char *svg_path;
	const char **addr;
	size_t naddr;
	bool assume_blocks;
	const char *note; /* how the changes were cut, when it matters */
};

/* one rehearsal of an order */
struct trial {
	enum ro_order order;
	struct unit **units; /* the order's changes, NULL with --step */
	size_t nunits;
	/* step i applies units [first[i], first[i + 1]) */
	size_t *first;
	size_t ngroups;
	struct state *states; /* nunits + 1 */
	size_t nstates;
	struct ro_result r;
	bool done;
	/* the same steps as an order rehearsed before: not rehearsed again
	 * (the rehearsal is deterministic), its result is that one's */
	const struct trial *as;
};

static const struct ro_result *
res_of(const struct trial *t)
{
	return t->as ? &t->as->r : &t->r;
}

/* the same changes in the same steps */
static bool
same_steps(const struct trial *a, const struct trial *b)
{
	return a->nunits == b->nunits && a->ngroups == b->ngroups &&
	       !memcmp(a->units, b->units, a->nunits * sizeof(*a->units)) &&
	       !memcmp(a->first, b->first,
	               (a->ngroups + 1) * sizeof(*a->first));
}

/* an intermediate state: texts named as files */
struct vfiles {
	const char **names;
	char **bufs;
	size_t *lens;
	size_t n;
};

static void
vf_add(struct vfiles *vf, const char *name, char *buf, size_t len)
{
	vf->names = rr_xrealloc(vf->names, (vf->n + 1) * sizeof(*vf->names));
	vf->bufs = rr_xrealloc(vf->bufs, (vf->n + 1) * sizeof(*vf->bufs));
	vf->lens = rr_xrealloc(vf->lens, (vf->n + 1) * sizeof(*vf->lens));
	vf->names[vf->n] = name;
	vf->bufs[vf->n] = buf;
	vf->lens[vf->n++] = len;
}

static void
vfiles_release(struct vfiles *vf)
{
	size_t i;

	for (i = 0; i < vf->n; i++)
		free(vf->bufs[i]);
	free(vf->names);
	free(vf->bufs);
	free(vf->lens);
}

/* the documents of one side of f that belong to the state */
static void
vf_docs(struct vfiles *vf, const char *name, const char *buf,
        const struct ro_doc *d, struct rdoc *const *res, size_t nd,
        bool to)
{
	char *out = NULL;
	size_t len = 0, k;

	for (k = 0; k < nd; k++) {
		const struct unit *u = res[k]->unit;
		bool applied = u && u->applied &&
		               !(res[k]->undo && res[k]->undo->applied);
		if (to ? !applied : applied)
			continue;
		out = rr_xrealloc(out, len + d[k].len + 6);
		memcpy(out + len, "---\n", 4);
		len += 4;
		memcpy(out + len, buf + d[k].off, d[k].len);
		len += d[k].len;
		if (d[k].len && buf[d[k].off + d[k].len - 1] != '\n')
			out[len++] = '\n';
	}
	if (out)
		vf_add(vf, name, out, len);
}

static char *
dup_buf(const char *b, size_t n)
{
	char *p = rr_xrealloc(NULL, n + 1);

	memcpy(p, b, n);
	p[n] = 0;
	return p;
}

/* the state with the units marked applied: whole files from the side
 * their unit is on, resources from theirs (unchanged ones: --from) */
static void
build_state(struct vfiles *vf, const struct fileset *fs)
{
	size_t i;

	memset(vf, 0, sizeof(*vf));
	for (i = 0; i < fs->n; i++) {
		const struct rfile *f = &fs->v[i];
		if (!f->config)
			continue;
		if (f->fres || f->tres) {
			if (f->fbuf)
				vf_docs(vf, f->from, f->fbuf, f->fdocs, f->fres,
				        f->nfdocs, false);
			if (f->tbuf)
				vf_docs(vf, f->to, f->tbuf, f->tdocs, f->tres,
				        f->ntdocs, true);
			continue;
		}
		if (f->unit2 && f->unit->applied && !f->unit2->applied) {
			/* its new neighbors, not yet the rest */
			vf_add(vf, f->to, dup_buf(f->mbuf, f->mlen), f->mlen);
		} else if (f->unit && (f->unit2 ? f->unit2 : f->unit)->applied) {
			if (f->tbuf)
				vf_add(vf, f->to, dup_buf(f->tbuf, f->tlen),
				       f->tlen);
		} else if (f->fbuf) {
			vf_add(vf, f->from, dup_buf(f->fbuf, f->flen), f->flen);
		}
	}
	if (fs->bridge)
		vf_docs(vf, fs->bridge->to, fs->bridge->tbuf, fs->bridge->tdocs,
		        fs->bridge->tres, fs->bridge->ntdocs, true);
}

/* an intermediate state, quietly unless it fails (as load_state) */
static int
load_state_bufs(struct state *s, const struct vfiles *vf,
                const struct rargs *a)
{
	struct report_opts ro = {cli_color(stderr), true, RR_SEV_NOTE};
	size_t i;

	load_init(&s->l);
	s->loaded = true;
	s->l.ropts.assume_blocks = a->assume_blocks;
	for (i = 0; i < a->naddr; i++)
		if (load_add_address(&s->l, a->addr[i]) < 0)
			return -1;
	if (load_buffers(&s->l, vf->names, (const char *const *)vf->bufs,
	                 vf->lens, vf->n) < 0 ||
	    load_invalid(&s->l)) {
		report_text(stderr, &s->l.diags, &ro);
		cli_error("rollout: an intermediate state (the changes before "
		          "a step applied) has errors (above)");
		return -1;
	}
	return 0;
}

static int
rehearse(struct trial *t, const struct rargs *a, struct fileset *fs,
         struct state *from, struct state *to)
{
	const struct rr_model **models;
	struct ro_opts o;
	struct rr_diags d;
	size_t k;
	int rc = 0;

	t->nstates = t->ngroups + 1;
	t->states = rr_xcalloc(t->nstates, sizeof(*t->states));
	models = rr_xcalloc(t->nstates, sizeof(*models));
	models[0] = from->l.m;
	models[t->nstates - 1] = to->l.m;
	for (k = 1; k + 1 < t->nstates && rc == 0; k++) {
		struct vfiles vf;
		size_t u;
		for (u = 0; u < t->nunits; u++)
			t->units[u]->applied = u < t->first[k];
		build_state(&vf, fs);
		rc = load_state_bufs(&t->states[k], &vf, a);
		models[k] = t->states[k].l.m;
		vfiles_release(&vf);
	}
	if (rc == 0) {
		memset(&o, 0, sizeof(o));
		o.interval_ms = a->interval_ms;
		rr_diags_init(&d);
		rc = ro_rehearse(models, t->nstates, &o, &t->r, &d);
		if (rc < 0) {
			struct report_opts ro = {cli_color(stderr), true,
			                         RR_SEV_NOTE};
			report_text(stderr, &d, &ro);
		} else {
			t->done = true;
		}
		rr_diags_release(&d);
	}
	/* the result holds no pointer into the states: let them go */
	for (k = 1; k + 1 < t->nstates; k++)
		state_release(&t->states[k]);
	free(models);
	return rc;
}

static void
trial_release(struct trial *t)
{
	size_t k;

	for (k = 0; t->states && k < t->nstates; k++)
		state_release(&t->states[k]);
	free(t->states);
	if (t->done)
		ro_result_release(&t->r);
	free(t->units);
	free(t->first);
	memset(t, 0, sizeof(*t));
}

/* the order's changes, and which go together */
/* Make-before-break buckets from what each change did in the path-order
 * rehearsal g: 0 only adds sessions, 2 only removes, 1 both or restarts. */
static void
set_buckets(struct unit *u, size_t n, const struct ro_result *g)
{
	size_t i;

	for (i = 0; i < n && i < g->nsteps; i++)
		u[i].bucket = g->steps[i].removed == 0 ? 0
		              : g->steps[i].added == 0 &&
		                              g->steps[i].restarted == 0
		                      ? 2
		                      : 1;
}

static void
order_units(struct trial *t, struct unit *u, size_t n, enum ro_order ord)
{
	size_t i, k = 0, g = 0;
	int pass, b;

	t->order = ord;
	t->units = rr_xcalloc(n + 1, sizeof(*t->units));
	t->first = rr_xcalloc(n + 2, sizeof(*t->first));
	t->nunits = n;
	switch (ord) {
	case ORD_ROUTER_FIRST:
	case ORD_ROUTER_LAST:
	case ORD_TOGETHER:
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < n; i++)
				if (u[i].router ==
				    ((pass == 0) == (ord != ORD_ROUTER_LAST)))
					t->units[k++] = &u[i];
		break;
	case ORD_MBB:
		for (b = 0; b < 3; b++)
			for (pass = 0; pass < 2; pass++)
				for (i = 0; i < n; i++)
					if (u[i].bucket == b &&
					    u[i].router == (pass == 0))
						t->units[k++] = &u[i];
		break;
	default:
		for (i = 0; i < n; i++)
			t->units[k++] = &u[i];
	}
	for (i = 0; i < n; i++)
		if (ord != ORD_TOGETHER || t->units[i]->router || !i ||
		    t->units[i - 1]->router)
			t->first[g++] = i;
	t->first[g] = n;
	t->ngroups = g;
}

/* -------------------------------------------------- temporary peers */

/*
 * A node moving from one set of peers to another (its BGPPeers change, or
 * the labels their nodeSelectors match): in one Calico change confd
 * removes the old protocols (Cease 6/3, routes withdrawn at once) and adds
 * the new ones, which dial after BIRD's connect delay -- a loss no order
 * of the changes avoids.  What an engineer does instead: peer the moving
 * nodes with their new peers first, through a temporary BGPPeer per node
 * and new peer (the new BGPPeer's spec with `node: NAME`: the same
 * session, so its removal at the end changes nothing), make the change,
 * then delete the temporary ones.
 */

static bool
same_peer(const struct rr_neighbor *a, const struct rr_neighbor *b)
{
	return !a->is_range && !b->is_range && a->port == b->port &&
	       rr_addr_eq(&a->peer, &b->peer);
}

static bool
has_peer(const struct rr_speaker *s, const struct rr_neighbor *nb)
{
	size_t i;

	for (i = 0; i < s->nneighbors; i++)
		if (same_peer(&s->neighbors[i], nb))
			return true;
	return false;
}

/* "rollout-tmp-NODE-PEER" as a name Calico accepts (libcalico-go's
 * validator: a DNS-1123 subdomain, at most 253 bytes): lower case,
 * anything but a letter or digit as '-' */
static void
temp_name(char *buf, size_t len, const char *node, const char *peer)
{
	size_t i, n;

	snprintf(buf, len, "rollout-tmp-%s-%s", node, peer);
	n = strlen(buf);
	for (i = 0; i < n; i++) {
		char c = buf[i];
		if (c >= 'A' && c <= 'Z')
			buf[i] = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
			buf[i] = '-';
	}
	while (n && buf[n - 1] == '-')
		buf[--n] = 0;
}

/* the to-state's BGPPeer named so */
static const struct rdoc *
bgppeer_res(const struct resset *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct rdoc *r = &rs->v[i];
		if (r->td && !strcasecmp(r->td->kind, "BGPPeer") &&
		    strstr(r->td->api, "projectcalico.org") &&
		    !strcmp(r->td->name, name))
			return r;
	}
	return NULL;
}

struct bridge {
	struct rfile *f;
	struct rdoc *res;
	struct unit *units; /* [0, n) apply, [n, 2n) delete */
	size_t n;
};

static void
bridge_release(struct bridge *b)
{
	if (b->f) {
		free(b->f->rel);
		free(b->f->to);
		free(b->f->tbuf);
		free(b->f->tdocs);
		free(b->f->tres);
		free(b->f);
	}
	free(b->res);
	free(b->units);
	memset(b, 0, sizeof(*b));
}

/*
 * The temporary BGPPeers for the nodes that move: a Calico node of both
 * states that gains a session to a router (a BGPPeer with peerIP) and
 * loses another.  Returns the number made (0: none needed or possible).
 */
static size_t
bridge_build(struct bridge *b, const struct rr_model *from,
             const struct rr_model *to, const struct resset *rs)
{
	char *text = NULL;
	size_t len = 0, i, j;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < to->nspeakers; i++) {
		const struct rr_speaker *t = to->speakers[i], *f;
		bool lost = false;
		if (t->kind != RR_SPK_CALICO || !t->name)
			continue;
		f = i < from->nspeakers && from->speakers[i]->name &&
		                    !strcmp(from->speakers[i]->name, t->name)
		            ? from->speakers[i]
		            : rr_model_find_speaker(from, t->name);
		if (!f || f->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < f->nneighbors && !lost; j++)
			lost = !has_peer(t, &f->neighbors[j]);
		if (!lost)
			continue;
		for (j = 0; j < t->nneighbors; j++) {
			const struct rr_neighbor *nb = &t->neighbors[j];
			const struct rdoc *r;
			char name[254], *doc;
			size_t dl;
			if (!nb->bgppeer || nb->remote_node || nb->is_range ||
			    !nb->bgppeer->meta.name || has_peer(f, nb))
				continue;
			r = bgppeer_res(rs, nb->bgppeer->meta.name);
			if (!r)
				continue;
			temp_name(name, sizeof(name), t->name,
			          nb->bgppeer->meta.name);
			doc = ro_node_peer_doc(r->tf->tbuf + r->td->off,
			                    r->td->len, t->name, name, &dl);
			if (!doc)
				continue;
			text = rr_xrealloc(text, len + dl + 8);
			memcpy(text + len, "---\n", 4);
			memcpy(text + len + 4, doc, dl);
			len += dl + 4;
			free(doc);
		}
	}
	if (!text)
		return 0;
	b->f = rr_xcalloc(1, sizeof(*b->f));
	b->f->rel = rr_xstrdup("(temporary)");
	b->f->to = rr_xstrdup("(temporary)");
	b->f->tbuf = text;
	b->f->tlen = len;
	b->f->config = true;
	b->f->temp = true;
	if (ro_split_yaml(text, len, &b->f->tdocs, &b->f->ntdocs) < 0 ||
	    !b->f->ntdocs) {
		bridge_release(b);
		return 0;
	}
	b->n = b->f->ntdocs;
	b->f->tres = rr_xcalloc(b->n, sizeof(*b->f->tres));
	b->res = rr_xcalloc(b->n, sizeof(*b->res));
	b->units = rr_xcalloc(2 * b->n, sizeof(*b->units));
	for (i = 0; i < b->n; i++) {
		struct unit *ua = &b->units[i], *ud = &b->units[b->n + i];
		b->res[i].tf = b->f;
		b->res[i].td = &b->f->tdocs[i];
		b->res[i].unit = ua;
		b->res[i].undo = ud;
		b->f->tres[i] = &b->res[i];
		ua->f = ud->f = b->f;
		ua->res = ud->res = &b->res[i];
		ud->undo = true;
		classify(ua);
		classify(ud);
	}
	return b->n;
}

/* make-before-break with the temporary peers: the changes that only add
 * sessions, the temporary peers (one step), the others as
 * make-before-break orders them, the temporary peers deleted (one step) */
static void
order_bridge(struct trial *t, struct unit *u, size_t n,
             const struct bridge *b)
{
	size_t i, k = 0, g = 0;
	int pass, bk;

	t->order = ORD_BRIDGE;
	t->nunits = n + 2 * b->n;
	t->units = rr_xcalloc(t->nunits + 1, sizeof(*t->units));
	t->first = rr_xcalloc(t->nunits + 2, sizeof(*t->first));
	for (bk = 0; bk < 3; bk++) {
		for (pass = 0; pass < 2; pass++)
			for (i = 0; i < n; i++)
				if (u[i].bucket == bk &&
				    u[i].router == (pass == 0)) {
					t->first[g++] = k;
					t->units[k++] = &u[i];
				}
		if (bk == 0) {
			t->first[g++] = k;
			for (i = 0; i < b->n; i++)
				t->units[k++] = &b->units[i];
		}
	}
	t->first[g++] = k;
	for (i = 0; i < b->n; i++)
		t->units[k++] = &b->units[b->n + i];
	t->first[g] = k;
	t->ngroups = g;
}

/* ------------------------------------------------------------ output */

static void
secs(char *buf, size_t len, uint64_t ms)
{
	if (ms == SIM_NEVER)
		snprintf(buf, len, "never");
	else
		snprintf(buf, len, "%llu.%03u", (unsigned long long)(ms / 1000),
		         (unsigned)(ms % 1000));
}

/* a resource's document, the one of --to when it has one */
static const struct ro_doc *
res_doc(const struct unit *u)
{
	return u->res->td ? u->res->td : u->res->fd;
}

/* whether the resource shares its file with others (then named) */
static bool
res_shared(const struct unit *u)
{
	const struct rdoc *r = u->res;

	return r && (u->f->temp || (r->tf && r->tf->ntdocs > 1) ||
	             (r->ff && r->ff->nfdocs > 1) || (r->ff && r->tf &&
	                                              r->ff != r->tf));
}

/* "calico.yaml: BGPPeer rr2", or the file alone when it holds only the
 * resource */
static const char *
unit_label(const struct unit *u, char *buf, size_t len)
{
	const struct ro_doc *d;

	if (u->part) {
		snprintf(buf, len, "%s (%s)", u->f->rel,
		         u->part == 1 ? "its new neighbors" : "the rest");
		return buf;
	}
	if (!res_shared(u))
		return u->f->rel;
	d = res_doc(u);
	snprintf(buf, len, "%s: %s %s%s%s", u->f->rel, d->kind,
	         d->ns[0] ? d->ns : "", d->ns[0] ? "/" : "", d->name);
	return buf;
}

static const char *
step_label(const struct trial *t, size_t i, const struct rargs *a)
{
	static char buf[1024];
	char one[512];
	size_t u, off = 0;

	if (!t->units)
		return i < a->nsteps ? a->steps[i] : a->to;
	if (t->first[i + 1] - t->first[i] == 1)
		return unit_label(t->units[t->first[i]], buf, sizeof(buf));
	buf[0] = 0;
	for (u = t->first[i]; u < t->first[i + 1] && off < sizeof(buf); u++)
		off += (size_t)snprintf(
		        buf + off, sizeof(buf) - off, "%s%s",
		        u > t->first[i] ? " + " : "",
		        unit_label(t->units[u], one, sizeof(one)));
	return buf;
}

static bool
ok_of(const struct trial *t, const struct simcli *end)
{
	return t->r.routes_lost == 0 && sim_verdict(end->s)->ok;
}

static void
change_text(struct out *o, const struct ro_change *c)
{
	char a[RR_PREFIX_STRLEN];
	const unsigned x = c->old_id, y = c->new_id;

	if (c->kind == RO_CLUSTER_ID) {
		out_printf(o,
		           "    %s: bgp cluster-id %u.%u.%u.%u -> %u.%u.%u.%u\n",
		           c->speaker, x >> 24, x >> 16 & 255, x >> 8 & 255,
		           x & 255, y >> 24, y >> 16 & 255, y >> 8 & 255,
		           y & 255);
		return;
	}
	if (c->is_range)
		rr_prefix_str(&c->range, a);
	else
		rr_addr_str(&c->peer, a);
	if (c->session)
		out_printf(o, "    %s: %s (%s) %s", c->speaker, c->session, a,
		           ro_change_names[c->kind]);
	else
		out_printf(o, "    %s: %s %s %s", c->speaker,
		           c->is_range ? "listen range" : "neighbor", a,
		           ro_change_names[c->kind]);
	if (c->old_session)
		out_printf(o, " (was %s)", c->old_session);
	if (c->cease)
		out_printf(o, ", Cease 6/%u sent", c->cease);
	out_printf(o, "\n");
}

/* IOS configuration lines: `router bgp` and its sections, as the lines
 * that differ between the two files (a line gone is negated) */
struct cline {
	char *ctx;  /* the section headers, "\n"-joined */
	char *line; /* trimmed */
	char *shown; /* the line as printed: a secret in it <hidden>, or NULL */
	int indent;
};

/* The column from which each line of an IOS text holds a secret (a
 * password, a key), as the IOS reader registers them: a plan never
 * prints one.  cols[i] for line i + 1; 0 = none. */
static uint32_t *
secret_cols(const char *path, const char *text, size_t len, size_t *n)
{
	struct rr_model *m = rr_model_new();
	struct rr_diags d;
	const struct rr_source *src;
	uint32_t *cols;
	size_t lines = 1, i;

	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	cols = rr_xrealloc(NULL, lines * sizeof(*cols));
	rr_diags_init(&d);
	rr_diags_add_source(&d, path, text, len);
	(void)parse_ios(m, path, text, len, &d);
	src = rr_diags_source(&d, path);
	for (i = 0; i < lines; i++)
		cols[i] = src ? rr_source_secret_col(src, (uint32_t)i + 1) : 0;
	rr_diags_release(&d);
	rr_model_free(m);
	*n = lines;
	return cols;
}

static size_t
config_lines(const char *path, const char *text, struct cline **out)
{
	const char *p = text;
	char *hdr[8] = {0};
	int hind[8] = {0};
	size_t n = 0, cap = 0, nh = 0, ncols, lineno = 0;
	struct cline *v = NULL;
	uint32_t *cols = secret_cols(path, text, strlen(text), &ncols);

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int ind = 0;
		char *line, *shown = NULL;
		size_t k;
		uint32_t col = lineno < ncols ? cols[lineno] : 0;
		lineno++;
		while ((size_t)ind < len && p[ind] == ' ')
			ind++;
		if (col && col - 1 >= (uint32_t)ind && col - 1 < len) {
			size_t keep = col - 1 - (size_t)ind;
			shown = rr_xrealloc(NULL, keep + sizeof("<hidden>"));
			memcpy(shown, p + ind, keep);
			memcpy(shown + keep, "<hidden>", sizeof("<hidden>"));
		}
		while (len > (size_t)ind && (p[len - 1] == '\r' || p[len - 1] == ' '))
			len--;
		line = rr_xrealloc(NULL, len - (size_t)ind + 1);
		memcpy(line, p + ind, len - (size_t)ind);
		line[len - (size_t)ind] = 0;
		p = e ? e + 1 : NULL;
		if (!*line || line[0] == '!' || !strcmp(line, "end") ||
		    !strcmp(line, "exit-address-family")) {
			free(line);
			free(shown);
			continue;
		}
		while (nh && hind[nh - 1] >= ind)
			free(hdr[--nh]);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = rr_xrealloc(v, cap * sizeof(*v));
		}
		{
			size_t cl = 1;
			char *ctx;
			for (k = 0; k < nh; k++)
				cl += strlen(hdr[k]) + 1;
			ctx = rr_xrealloc(NULL, cl);
			ctx[0] = 0;
			for (k = 0; k < nh; k++) {
				strcat(ctx, hdr[k]);
				strcat(ctx, "\n");
			}
			v[n].ctx = ctx;
		}
		v[n].line = line;
		v[n].shown = shown;
		v[n].indent = ind;
		n++;
		if (nh < 8) {
			hdr[nh] = strdup(line);
			hind[nh++] = ind;
		}
	}
	while (nh)
		free(hdr[--nh]);
	free(cols);
	*out = v;
	return n;
}

/* a set of strings (a router's configuration lines, neighbor tokens):
 * a plan of a 5,000-neighbor router compared every line with every other */
struct sset {
	char **k;
	size_t n, cap;
};

static size_t
sset_at(const struct sset *s, const char *a, size_t na, const char *b,
        size_t nb)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a of a then b */
	size_t i;

	for (i = 0; i < na + nb; i++)
		h = (h ^ (unsigned char)(i < na ? a[i] : b[i - na])) *
		    1099511628211ull;
	h ^= h >> 32;
	i = (size_t)h & (s->cap - 1);

	for (; s->k[i]; i = (i + 1) & (s->cap - 1))
		if (strlen(s->k[i]) == na + nb && !memcmp(s->k[i], a, na) &&
		    !memcmp(s->k[i] + na, b, nb))
			break;
	return i;
}

/* the string a b (b may be empty) */
static void
sset_add(struct sset *s, const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap) {
		struct sset g = {NULL, 0, s->cap ? s->cap * 2 : 64};
		g.k = rr_xcalloc(g.cap, sizeof(*g.k));
		for (i = 0; i < s->cap; i++)
			if (s->k[i])
				g.k[sset_at(&g, s->k[i], strlen(s->k[i]), "",
				            0)] = s->k[i];
		g.n = s->n;
		free(s->k);
		*s = g;
	}
	i = sset_at(s, a, na, b, nb);
	if (s->k[i])
		return;
	s->k[i] = rr_xrealloc(NULL, na + nb + 1);
	memcpy(s->k[i], a, na);
	memcpy(s->k[i] + na, b, nb);
	s->k[i][na + nb] = 0;
	s->n++;
}

static bool
sset_has(const struct sset *s, const char *a, size_t na, const char *b,
         size_t nb)
{
	return s->cap && s->k[sset_at(s, a, na, b, nb)];
}

static void
sset_release(struct sset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->k[i]);
	free(s->k);
	memset(s, 0, sizeof(*s));
}

/* the lines of a file as a set ("CTX\tLINE"), and their "neighbor X "
 * tokens */
struct clines {
	struct cline *v;
	size_t n;
	struct sset lines, tokens;
};

/* "neighbor X " of a line, its length; 0: not a neighbor line */
static size_t
nb_token(const char *line)
{
	const char *sp;

	if (strncmp(line, "neighbor ", 9) || !(sp = strchr(line + 9, ' ')))
		return 0;
	return (size_t)(sp - line) + 1;
}

static void
clines_index(struct clines *c)
{
	size_t i, t;

	for (i = 0; i < c->n; i++) {
		sset_add(&c->lines, c->v[i].ctx, strlen(c->v[i].ctx),
		         c->v[i].line, strlen(c->v[i].line));
		if ((t = nb_token(c->v[i].line)))
			sset_add(&c->tokens, c->v[i].line, t, "", 0);
	}
}

static bool
has_cline(const struct clines *c, const struct cline *x)
{
	return sset_has(&c->lines, x->ctx, strlen(x->ctx), x->line,
	                strlen(x->line));
}

static void
print_ctx(struct out *o, const char *ctx, const char **last)
{
	const char *p = ctx, *q = *last ? *last : "";
	int depth = 0;

	if (*last && !strcmp(*last, ctx))
		return;
	/* the section lines the last one did not open, by depth */
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = (size_t)(e - p);
		bool open = !strncmp(p, q, n) && q[n] == '\n';
		if (open)
			q += n + 1;
		else {
			q = "";
			out_printf(o, "         %*s%.*s\n", depth, "", (int)n,
			           p);
		}
		depth++;
		p = e + 1;
	}
	*last = ctx;
}

static int
depth_of(const char *ctx)
{
	int d = 0;

	for (; *ctx; ctx++)
		d += *ctx == '\n';
	return d;
}

/* the context a line opens for the lines below it */
static const char *
opened(const char *ctx, const char *line)
{
	static char buf[4096];

	if (!*line)
		return ctx;
	snprintf(buf, sizeof(buf), "%s%s\n", ctx, line);
	return buf;
}

/* "neighbor X remote-as ..." and X is no neighbor in the new file:
 * `no neighbor X` removes it whole */
static bool
gone_line(const char *line, const struct clines *b)
{
	const char *r = strstr(line, " remote-as");
	size_t n, i;

	if (strncmp(line, "neighbor ", 9) || !r)
		return false;
	n = (size_t)(r - line) + 1; /* "neighbor X " */
	if (n == nb_token(line))
		return !sset_has(&b->tokens, line, n, "", 0);
	for (i = 0; i < b->n; i++)
		if (!strncmp(b->v[i].line, line, n))
			return false;
	return true;
}

/* a line of neighbor X where `no neighbor X` is said instead (gone: the
 * tokens of the old file's gone lines) */
static bool
neighbor_gone(const struct sset *gone, const struct clines *b,
              const struct cline *x)
{
	size_t n = nb_token(x->line);

	return n && !gone_line(x->line, b) &&
	       sset_has(gone, x->line, n, "", 0);
}

static void
router_plan(struct out *o, const struct rfile *f, int part)
{
	size_t i, j, t, shown = 0, more = 0;
	/* a step of two: the old text to its new neighbors, or those to the
	 * new text (ro_ios_add_neighbors) */
	const char *ta = part == 2 ? f->mbuf : f->fbuf;
	const char *tb = part == 1 ? f->mbuf : f->tbuf;
	struct clines ca = {0}, cb = {0}, *c;
	struct sset gone = {0};
	const struct cline *va, *vb;
	const char *last = NULL;

	if (ta)
		ca.n = config_lines(part == 2 ? f->to : f->from, ta, &ca.v);
	if (tb)
		cb.n = config_lines(f->to, tb, &cb.v);
	clines_index(&ca);
	clines_index(&cb);
	va = ca.v;
	vb = cb.v;
	for (i = 0; i < ca.n; i++)
		if ((t = nb_token(va[i].line)) && gone_line(va[i].line, &cb))
			sset_add(&gone, va[i].line, t, "", 0);
	out_printf(o, "         configure terminal\n");
	/* negations first (a neighbor removed), then the new lines */
	for (i = 0; i < ca.n; i++) {
		if (!strncmp(va[i].line, "no ", 3) || has_cline(&cb, &va[i]) ||
		    neighbor_gone(&gone, &cb, &va[i]))
			continue;
		if (shown == PLAN_LINES) {
			more++;
			continue;
		}
		print_ctx(o, va[i].ctx, &last);
		last = opened(va[i].ctx, "");
		if (gone_line(va[i].line, &cb))
			out_printf(o, "         %*sno %.*s\n", depth_of(va[i].ctx),
			           "", (int)(strstr(va[i].line, " remote-as") -
			                     va[i].line),
			           va[i].line);
		else
			out_printf(o, "         %*sno %s\n", depth_of(va[i].ctx),
			           "", va[i].shown ? va[i].shown : va[i].line);
		shown++;
	}
	for (i = 0; i < cb.n; i++) {
		if (has_cline(&ca, &vb[i]))
			continue;
		if (shown == PLAN_LINES) {
			more++;
			continue;
		}
		print_ctx(o, vb[i].ctx, &last);
		last = opened(vb[i].ctx, vb[i].line);
		out_printf(o, "         %*s%s\n",
		           depth_of(vb[i].ctx),
		           "", vb[i].shown ? vb[i].shown : vb[i].line);
		shown++;
	}
	if (more)
		out_printf(o, "         ! ... %zu more lines: see %s\n", more,
		           f->to ? f->to : f->from);
	out_printf(o, "         end\n");
	for (j = 0; j < 2; j++) {
		c = j ? &cb : &ca;
		for (i = 0; i < c->n; i++) {
			free(c->v[i].ctx);
			free(c->v[i].line);
			free(c->v[i].shown);
		}
		free(c->v);
		sset_release(&c->lines);
		sset_release(&c->tokens);
	}
	sset_release(&gone);
}

static const char *
router_name(const struct rfile *f)
{
	static char name[128];
	size_t n;
	char *t = read_all(f->to ? f->to : f->from, &n), *p;

	snprintf(name, sizeof(name), "the router of %s", f->rel);
	if (t && (p = strstr(t, "\nhostname ")) != NULL) {
		p += 10;
		n = strcspn(p, "\r\n ");
		if (n && n < 100)
			snprintf(name, sizeof(name), "%.*s", (int)n, p);
	}
	free(t);
	return name;
}

#define RES_LINES 200 /* lines of a resource shown in a plan */

/* the command that applies (or deletes) one resource: the file when it
 * holds only that resource, else the resource itself on standard input */
static void
res_plan(struct out *o, const char *no, const struct unit *u)
{
	const struct rdoc *r = u->res;
	const struct ro_doc *d = res_doc(u);
	const char *tool = u->kubectl ? "kubectl" : "calicoctl";
	const char *p, *e;
	size_t n = 0;

	if (u->undo) {
		out_printf(o, "  %s %s delete bgppeer %s   # the temporary "
		              "peer: the move is done\n",
		           no, tool, d->name);
		return;
	}
	if (u->f->temp) {
		/* the whole document: it is in no file */
		out_printf(o, "  %s %s apply -f - <<'EOF'\n", no, tool);
		p = r->tf->tbuf + d->off;
		e = p + d->len;
		while (p < e) {
			const char *l = memchr(p, '\n', (size_t)(e - p));
			if (!l)
				l = e;
			out_printf(o, "         %.*s\n", (int)(l - p), p);
			p = l < e ? l + 1 : e;
		}
		out_printf(o, "         EOF\n");
		return;
	}
	if (!r->td) {
		char kind[64];
		size_t i;
		for (i = 0; d->kind[i] && i + 1 < sizeof(kind); i++)
			kind[i] = (char)(d->kind[i] >= 'A' && d->kind[i] <= 'Z'
			                         ? d->kind[i] - 'A' + 'a'
			                         : d->kind[i]);
		kind[i] = 0;
		out_printf(o, "  %s %s delete %s %s%s%s   # was in %s:%u\n",
		           no, tool, kind, d->name, d->ns[0] ? " -n " : "",
		           d->ns, r->ff->from, d->line);
		return;
	}
	if (r->tf->ntdocs == 1) {
		out_printf(o, "  %s %s apply -f %s\n", no, tool, r->tf->to);
		return;
	}
	if (!strcasecmp(d->kind, "Secret")) {
		/* never printed: the plan is not the place for a secret */
		out_printf(o, "  %s %s apply -f -   # the Secret %s%s%s at "
		              "%s:%u (its data not shown)\n",
		           no, tool, d->ns, d->ns[0] ? "/" : "", d->name,
		           r->tf->to, d->line);
		return;
	}
	out_printf(o, "  %s %s apply -f - <<'EOF'   # from %s:%u\n", no, tool,
	           r->tf->to, d->line);
	p = r->tf->tbuf + d->off;
	e = p + d->len;
	while (p < e && n < RES_LINES) {
		const char *l = memchr(p, '\n', (size_t)(e - p));
		if (!l)
			l = e;
		out_printf(o, "         %.*s\n", (int)(l - p), p);
		p = l < e ? l + 1 : e;
		n++;
	}
	if (p < e)
		out_printf(o, "         # ... the rest: %s:%u\n", r->tf->to,
		           d->line + (unsigned)n);
	out_printf(o, "         EOF\n");
}

static void
plan_text(struct out *o, const struct trial *t, const struct rargs *a)
{
	size_t i;

	out_printf(o, "\nplan (order %s):\n", order_names[t->order]);
	for (i = 0; i < t->r.nsteps; i++) {
		const struct ro_step *st = &t->r.steps[i];
		if (t->units) {
			size_t k;
			for (k = t->first[i]; k < t->first[i + 1]; k++) {
				const struct unit *u = t->units[k];
				char no[24];
				snprintf(no, sizeof(no), "%2zu.", i + 1);
				if (k > t->first[i])
					snprintf(no, sizeof(no), "   ");
				if (u->router) {
					out_printf(o, "  %s on %s (as %s%s):\n", no,
					           router_name(u->f), u->f->rel,
					           u->part == 1 ? ", its new neighbors: "
					                          "the removals come later"
					           : u->part == 2 ? ", the rest"
					                          : "");
					router_plan(o, u->f, u->part);
				} else if (u->res) {
					res_plan(o, no, u);
				} else if (u->f->to) {
					out_printf(o, "  %s %s apply -f %s\n", no,
					           u->kubectl ? "kubectl"
					                      : "calicoctl",
					           u->f->to);
				} else {
					out_printf(o, "  %s %s delete -f %s\n", no,
					           u->kubectl ? "kubectl"
					                      : "calicoctl",
					           u->f->from);
				}
			}
		} else {
			out_printf(o, "  %2zu. apply %s\n", i + 1,
			           step_label(t, i, a));
		}
		out_printf(o,
		           "      wait until %llu sessions are Established "
		           "(calicoctl node status, show ip bgp summary)\n",
		           (unsigned long long)st->established);
	}
}

static void
loss_text(struct out *o, const struct trial *t, bool all)
{
	const struct ro_result *r = &t->r;
	struct simv_groups gs;
	char s1[32], s2[32], s3[32];
	size_t i, g;

	if (!r->routes_lost) {
		out_printf(o, "\nloss: none\n");
		return;
	}
	secs(s1, sizeof(s1), r->worst_start_ms);
	secs(s2, sizeof(s2), r->worst_end_ms);
	secs(s3, sizeof(s3), r->loss_ms);
	for (i = 0, g = 0; i < r->nnodes; i++)
		g += r->nodes[i].router;
	out_printf(o, "\nloss: %llu routes at %zu nodes", 
	           (unsigned long long)r->routes_lost, r->nnodes - g);
	if (g)
		out_printf(o, " and %zu router%s (service routes)", g,
		           g == 1 ? "" : "s");
	out_printf(o,
	           ", %s node-seconds; worst: "
	           "%llu routes missing at once from %s s to %s%s\n",
	           s3, (unsigned long long)r->worst_routes, s1,
	           r->worst_end_ms == SIM_NEVER ? "the end" : s2,
	           r->worst_end_ms == SIM_NEVER ? "" : " s");
	simv_groups_init(&gs, r->nnodes);
	for (i = 0; i < r->nnodes; i++)
		simv_groups_add(&gs, r->nodes[i].story, (uint32_t)i);
	simv_groups_finish(&gs);
	for (g = 0; g < gs.n; g++) {
		const struct sim_group *sg = &gs.v[g];
		uint64_t first = SIM_NEVER, last = 0, worst = 0;
		size_t k;
		for (k = 0; k < sg->n; k++) {
			const struct ro_node_loss *nl = &r->nodes[sg->member[k]];
			if (nl->first_ms < first)
				first = nl->first_ms;
			if (nl->last_ms > last)
				last = nl->last_ms;
			if (nl->loss_ms > worst)
				worst = nl->loss_ms;
		}
		secs(s1, sizeof(s1), first);
		secs(s2, sizeof(s2), last);
		secs(s3, sizeof(s3), worst);
		out_printf(o, "  %zu %s%s (", sg->n,
		           r->nodes[sg->member[0]].router ? "router" : "node",
		           sg->n == 1 ? "" : "s");
		for (k = 0; k < sg->n && k < 4; k++)
			out_printf(o, "%s%s", k ? ", " : "",
			           r->speaker_names[r->nodes[sg->member[k]].node]);
		if (sg->n > 4)
			out_printf(o, ", ... %zu more", sg->n - 4);
		out_printf(o, "): %s\n      from %s s to %s s, at most %s "
		              "node-seconds each\n",
		           sg->what, s1, s2, s3);
	}
	simv_groups_release(&gs);
	if (!all) {
		out_printf(o, "  (--all lists every interval)\n");
		return;
	}
	for (i = 0; i < r->nloss; i++) {
		const struct ro_loss *l = &r->loss[i];
		char p[RR_PREFIX_STRLEN];
		secs(s1, sizeof(s1), l->start_ms);
		secs(s2, sizeof(s2), l->end_ms);
		secs(s3, sizeof(s3),
		     (l->end_ms == SIM_NEVER ? r->end_ms : l->end_ms) -
		             l->start_ms);
		out_printf(o, "  %s: %s (%s%s) %s-%s s (%s s): %s%s%s\n",
		           r->speaker_names[l->node], rr_prefix_str(&l->prefix, p),
		           l->service ? "a service route" : "of ",
		           l->service ? ""
		           : l->origin == SIM_NONE ? "?"
		                                   : r->speaker_names[l->origin],
		           s1, s2, s3, l->cause,
		           l->restored_by ? "; back over " : "",
		           l->restored_by ? l->restored_by : "");
	}
	if (r->loss_dropped)
		out_printf(o, "  ... and %llu more intervals\n",
		           (unsigned long long)r->loss_dropped);
}

/* why a wait (or waits told alike, their errors from emin to emax)
 * began, after "...: " */
static void
wait_why_text(struct out *o, const struct ro_wait *w, uint64_t emin,
              uint64_t emax)
{
	char s1[32], s2[32];

	secs(s1, sizeof(s1), emin);
	secs(s2, sizeof(s2), emax);
	if (!w->why)
		out_printf(
		        o,
		        "BIRD's startup delay, kept from an error at %s%s%s s "
		        "(forgotten only at an error %u s after the last)",
		        s1, emin == emax ? "" : " to ", emin == emax ? "" : s2,
		        w->forget_s);
	else if (w->bird)
		out_printf(o, "BIRD's startup delay after an error (%s)",
		           w->why);
	else
		out_printf(o,
		           "the IdleHold timer after %s (how long IOS waits "
		           "is not documented, assumed to be its ConnectRetry "
		           "time)",
		           w->why);
}

/*
 * The sessions of a step that waited before starting again, told alike
 * (same length, kind, reason or kept, count) grouped as the loss is
 * (simv_groups: largest first): one line for one session ("    node-a:
 * Node_10_0_0_1 (to rr1) waits 5 s from 42.006 s before it starts again:
 * ..."), a line and the first sessions' names for several; 8 groups.
 * --all: every session on a line of its own, in model order.
 */
static void
waits_text(struct out *o, const struct ro_result *r, const struct ro_step *st,
           bool all)
{
	struct simv_groups gs;
	size_t i, k, g, more = 0;
	char key[512];

	if (!st->nwaits)
		return;
	simv_groups_init(&gs, st->nwaits);
	for (i = 0; i < st->nwaits; i++) {
		const struct ro_wait *w = &st->waits[i];
		if (all)
			snprintf(key, sizeof(key), "%zu", i);
		else
			snprintf(key, sizeof(key), "%d %u %u %d %s", w->bird,
			         w->secs, w->count, !w->why,
			         w->why ? w->why : "");
		simv_groups_add(&gs, key, (uint32_t)i);
	}
	simv_groups_finish(&gs);
	for (g = 0; g < gs.n; g++) {
		const struct sim_group *sg = &gs.v[g];
		const struct ro_wait *w = &st->waits[sg->member[0]];
		uint64_t amin = w->at_ms, amax = w->at_ms, emin = w->error_ms,
		         emax = w->error_ms;
		char s1[32], s2[32];
		if (!all && g == 8) {
			for (; g < gs.n; g++)
				more += gs.v[g].n;
			break;
		}
		for (k = 1; k < sg->n; k++) {
			const struct ro_wait *x = &st->waits[sg->member[k]];
			amin = x->at_ms < amin ? x->at_ms : amin;
			amax = x->at_ms > amax ? x->at_ms : amax;
			emin = x->error_ms < emin ? x->error_ms : emin;
			emax = x->error_ms > emax ? x->error_ms : emax;
		}
		secs(s1, sizeof(s1), amin);
		secs(s2, sizeof(s2), amax);
		if (sg->n == 1)
			out_printf(o,
			           "    %s: %s waits %u s from %s s before it "
			           "starts again: ",
			           r->speaker_names[w->speaker], w->session,
			           w->secs, s1);
		else
			out_printf(o,
			           "    %zu sessions wait %u s from %s%s%s s "
			           "before they start again: ",
			           sg->n, w->secs, s1,
			           amin == amax ? "" : " to ",
			           amin == amax ? "" : s2);
		wait_why_text(o, w, emin, emax);
		if (w->count > 1)
			out_printf(o,
			           "; %u waits %sin this step, the last shown",
			           w->count, sg->n > 1 ? "each " : "");
		out_printf(o, "\n");
		if (sg->n == 1)
			continue;
		out_printf(o, "      ");
		for (k = 0; k < sg->n && k < 4; k++)
			out_printf(o, "%s%s: %s", k ? ", " : "",
			           r->speaker_names[st->waits[sg->member[k]]
			                                    .speaker],
			           st->waits[sg->member[k]].session);
		if (sg->n > 4)
			out_printf(o, ", ... %zu more", sg->n - 4);
		out_printf(o, "\n");
	}
	simv_groups_release(&gs);
	if (more || st->waits_dropped)
		out_printf(o, "    ... and %llu more sessions waited (%s)\n",
		           (unsigned long long)(more + st->waits_dropped),
		           more ? "--all" : "past the first 10000");
}

static void
write_text(struct out *o, const struct trial *best, const struct trial *tr,
           size_t ntr, const struct simcli *end, const struct rargs *a)
{
	const struct ro_result *r = &best->r;
	char s1[32], s2[32];
	size_t i, k;

	secs(s1, sizeof(s1), r->loss_ms);
	out_printf(o,
	           "rollout: %s: %zu step%s (order %s), %llu routes lost for "
	           "%s node-seconds, end state %s\n",
	           ok_of(best, end) ? "ok" : "NOT OK", r->nsteps,
	           r->nsteps == 1 ? "" : "s", order_names[best->order],
	           (unsigned long long)r->routes_lost, s1,
	           sim_verdict(end->s)->ok ? "ok" : "NOT OK");
	secs(s1, sizeof(s1), r->converged_ms);
	secs(s2, sizeof(s2), r->end_ms);
	out_printf(o, "current state converged at %s s; quiet again at %s s%s\n",
	           s1, s2, r->capped ? " (stopped by the time cap)" : "");
	for (i = 0; i < r->nsteps; i++) {
		const struct ro_step *st = &r->steps[i];
		secs(s1, sizeof(s1), st->at_ms);
		out_printf(o, "\nstep %zu at %s s: %s: %llu added, %llu removed, "
		              "%llu restarted\n",
		           i + 1, s1, step_label(best, i, a),
		           (unsigned long long)st->added,
		           (unsigned long long)st->removed,
		           (unsigned long long)st->restarted);
		for (k = 0; k < st->nchanges && (a->all || k < 8); k++)
			change_text(o, &st->changes[k]);
		if (k < st->nchanges)
			out_printf(o, "    ... and %zu more (--all)\n",
			           st->nchanges - k);
		waits_text(o, r, st, a->all);
		out_printf(o, "    %llu sessions Established %s\n",
		           (unsigned long long)st->established,
		           i + 1 < r->nsteps ? "when the next step is applied"
		                             : "at the end");
	}
	loss_text(o, best, a->all);
	if (ntr > 1) {
		size_t nreh = 0;
		for (i = 0; i < ntr; i++)
			nreh += !tr[i].as;
		out_printf(o, "\norders tried (%zu changes; %zu orders, %zu "
		              "of them different, each rehearsed):\n",
		           tr[0].nunits, ntr, nreh);
		for (i = 0; i < ntr; i++) {
			secs(s1, sizeof(s1), res_of(&tr[i])->loss_ms);
			out_printf(o, "  %-18s %llu routes lost, %s node-seconds",
			           order_names[tr[i].order],
			           (unsigned long long)res_of(&tr[i])->routes_lost,
			           s1);
			if (tr[i].as)
				out_printf(o, " (the steps of %s)",
				           order_names[tr[i].as->order]);
			out_printf(o, "%s\n",
			           &tr[i] == best ? "  <- the plan" : "");
		}
	}
	plan_text(o, best, a);
	for (i = 0; i < r->nnotes; i++)
		out_printf(o, "note: %s\n", r->notes[i]);
	if (a->note)
		out_printf(o, "note: %s\n", a->note);
	out_printf(o, "\nend state (%s), as rrkit sim sees it:\n", a->to);
	sim_write_verdict_text(o, end);
}

static void
jsecs(struct json *j, const char *k, uint64_t ms)
{
	char t[40];

	json_key(j, k);
	if (ms == SIM_NEVER) {
		json_null(j);
		return;
	}
	json_u64(j, ms / 1000);
	snprintf(t, sizeof(t), ".%03u", (unsigned)(ms % 1000));
	json_raw(j, t);
}

static void
json_change(struct json *j, const struct ro_change *c)
{
	char a[RR_PREFIX_STRLEN];

	json_obj(j);
	json_kstr(j, "speaker", c->speaker);
	json_kstr(j, "change", ro_change_names[c->kind]);
	if (c->kind == RO_CLUSTER_ID) {
		json_ku64(j, "old_cluster_id", c->old_id);
		json_ku64(j, "new_cluster_id", c->new_id);
	} else {
		json_kstr(j, "session", c->session);
		json_kstr(j, "old_session", c->old_session);
		if (c->is_range)
			json_kstr(j, "range", rr_prefix_str(&c->range, a));
		else
			json_kstr(j, "peer", rr_addr_str(&c->peer, a));
		json_ku64(j, "port", c->port);
		json_key(j, "cease");
		if (c->cease)
			json_u64(j, c->cease);
		else
			json_null(j);
	}
	json_end_obj(j);
}

/* {"kind": ..., "name": ..., "namespace": ...} */
static void
json_res(struct json *j, const struct unit *u)
{
	const struct ro_doc *d = res_doc(u);

	json_obj(j);
	json_kstr(j, "api_version", d->api);
	json_kstr(j, "kind", d->kind);
	json_kstr(j, "name", d->name);
	json_kstr(j, "namespace", d->ns[0] ? d->ns : NULL);
	json_end_obj(j);
}

static void
write_json(struct out *o, const struct trial *best, const struct trial *tr,
           size_t ntr, const struct simcli *end, const struct rargs *a)
{
	const struct ro_result *r = &best->r;
	struct json j;
	size_t i, k;
	char p[RR_PREFIX_STRLEN];

	json_init_sink(&j, out_sink, o, true);
	json_obj(&j);
	json_kstr(&j, "order", order_names[best->order]);
	json_kbool(&j, "ok", ok_of(best, end));
	json_ku64(&j, "interval_ms", a->interval_ms);
	jsecs(&j, "converged_s", r->converged_ms);
	jsecs(&j, "end_s", r->end_ms);
	json_kbool(&j, "capped", r->capped);
	json_key(&j, "steps");
	json_arr(&j);
	for (i = 0; i < r->nsteps; i++) {
		const struct ro_step *st = &r->steps[i];
		json_obj(&j);
		json_ku64(&j, "index", i + 1);
		jsecs(&j, "at_s", st->at_ms);
		json_key(&j, "files");
		json_arr(&j);
		if (best->units)
			for (k = best->first[i]; k < best->first[i + 1]; k++)
				json_str(&j, best->units[k]->f->rel);
		else
			json_str(&j, step_label(best, i, a));
		json_end_arr(&j);
		if (best->units) {
			const struct unit *u = best->units[best->first[i]];
			json_key(&j, "resources");
			json_arr(&j);
			for (k = best->first[i]; k < best->first[i + 1]; k++)
				if (best->units[k]->res)
					json_res(&j, best->units[k]);
			json_end_arr(&j);
			json_kstr(&j, "from_file",
			          u->res ? (u->res->ff ? u->res->ff->from : NULL)
			                 : u->f->from);
			json_kstr(&j, "to_file",
			          u->res ? (u->res->tf ? u->res->tf->to : NULL)
			                 : u->f->to);
			json_kbool(&j, "router", u->router);
			if (u->part)
				json_kstr(&j, "router_part", part_names[u->part]);
		}
		json_key(&j, "changes");
		json_arr(&j);
		for (k = 0; k < st->nchanges; k++)
			json_change(&j, &st->changes[k]);
		json_end_arr(&j);
		json_ku64(&j, "sessions_established", st->established);
		json_key(&j, "waits");
		json_arr(&j);
		for (k = 0; k < st->nwaits; k++) {
			const struct ro_wait *wt = &st->waits[k];
			json_obj(&j);
			json_kstr(&j, "speaker", r->speaker_names[wt->speaker]);
			json_kstr(&j, "session", wt->session);
			jsecs(&j, "at_s", wt->at_ms);
			json_ku64(&j, "seconds", wt->secs);
			json_kstr(&j, "kind",
			          wt->bird ? "bird-startup-delay"
			                   : "idle-hold");
			/* IOS's wait after an error: not documented */
			json_kbool(&j, "assumed", !wt->bird);
			jsecs(&j, "error_s", wt->error_ms);
			json_kstr(&j, "error", wt->why);
			json_ku64(&j, "count", wt->count);
			json_end_obj(&j);
		}
		json_end_arr(&j);
		json_ku64(&j, "waits_dropped", st->waits_dropped);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_key(&j, "summary");
	json_obj(&j);
	json_ku64(&j, "routes_lost", r->routes_lost);
	json_ku64(&j, "intervals", r->intervals);
	json_ku64(&j, "nodes", r->nnodes);
	jsecs(&j, "node_seconds", r->loss_ms);
	json_key(&j, "worst");
	if (r->worst_routes) {
		json_obj(&j);
		json_ku64(&j, "routes", r->worst_routes);
		jsecs(&j, "start_s", r->worst_start_ms);
		jsecs(&j, "end_s", r->worst_end_ms);
		json_end_obj(&j);
	} else {
		json_null(&j);
	}
	json_end_obj(&j);
	json_key(&j, "losses");
	json_arr(&j);
	for (i = 0; i < r->nloss; i++) {
		const struct ro_loss *l = &r->loss[i];
		json_obj(&j);
		json_kstr(&j, "node", r->speaker_names[l->node]);
		json_kstr(&j, "prefix", rr_prefix_str(&l->prefix, p));
		json_kstr(&j, "origin", l->origin == SIM_NONE
		                                ? NULL
		                                : r->speaker_names[l->origin]);
		jsecs(&j, "start_s", l->start_ms);
		jsecs(&j, "end_s", l->end_ms);
		jsecs(&j, "duration_s",
		      (l->end_ms == SIM_NEVER ? r->end_ms : l->end_ms) -
		              l->start_ms);
		json_kstr(&j, "cause", l->cause);
		json_kstr(&j, "restored_by", l->restored_by);
		json_kbool(&j, "service", l->service);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_ku64(&j, "losses_left_out", r->loss_dropped);
	json_key(&j, "groups");
	json_arr(&j);
	for (i = 0; i < r->nnodes; i++) {
		const struct ro_node_loss *nl = &r->nodes[i];
		json_obj(&j);
		json_kstr(&j, "node", r->speaker_names[nl->node]);
		json_ku64(&j, "routes_lost", nl->routes);
		jsecs(&j, "node_seconds", nl->loss_ms);
		jsecs(&j, "first_s", nl->first_ms);
		jsecs(&j, "last_s", nl->last_ms);
		json_kbool(&j, "open", nl->open);
		json_kstr(&j, "story", nl->story);
		json_kbool(&j, "router", nl->router);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_key(&j, "orders");
	json_arr(&j);
	for (i = 0; i < ntr; i++) {
		json_obj(&j);
		json_kstr(&j, "order", order_names[tr[i].order]);
		json_ku64(&j, "routes_lost", res_of(&tr[i])->routes_lost);
		jsecs(&j, "node_seconds", res_of(&tr[i])->loss_ms);
		json_kstr(&j, "same_as",
		          tr[i].as ? order_names[tr[i].as->order] : NULL);
		json_kbool(&j, "chosen", &tr[i] == best);
		json_end_obj(&j);
	}
	json_end_arr(&j);
	json_key(&j, "plan");
	json_arr(&j);
	for (i = 0; i < r->nsteps; i++) {
		size_t u0 = best->units ? best->first[i] : 0,
		       u1 = best->units ? best->first[i + 1] : 1;
		for (k = u0; k < u1; k++) {
			json_obj(&j);
			json_ku64(&j, "step", i + 1);
			if (best->units) {
				const struct unit *u = best->units[k];
				bool gone = u->undo ||
				            (u->res ? !u->res->td : !u->f->to);
				json_kstr(&j, "kind", u->router ? "router"
				                      : gone    ? "delete"
				                                : "apply");
				if (u->res) {
					const struct rfile *rf =
					        gone && !u->undo ? u->res->ff
					                         : u->res->tf;
					json_kstr(&j, "file",
					          gone && !u->undo ? rf->from
					                           : rf->to);
					json_key(&j, "resource");
					json_res(&j, u);
					json_ku64(&j, "line", res_doc(u)->line);
				} else {
					json_kstr(&j, "file", u->f->to ? u->f->to
					                               : u->f->from);
				}
				if (u->part)
					json_kstr(&j, "router_part",
					          part_names[u->part]);
				json_kstr(&j, "tool", u->router      ? "ios"
				                      : u->kubectl ? "kubectl"
				                                   : "calicoctl");
			} else {
				json_kstr(&j, "kind", "state");
				json_kstr(&j, "file", step_label(best, i, a));
			}
			json_ku64(&j, "wait_established",
			          r->steps[i].established);
			json_end_obj(&j);
		}
	}
	json_end_arr(&j);
	json_key(&j, "notes");
	json_arr(&j);
	for (i = 0; i < r->nnotes; i++)
		json_str(&j, r->notes[i]);
	if (a->note)
		json_str(&j, a->note);
	json_end_arr(&j);
	json_key(&j, "end_state");
	json_obj(&j);
	sim_write_verdict_json(&j, end);
	json_end_obj(&j);
	json_end_obj(&j);
}

/* ------------------------------------------------------------ svg */

#define SVG_ROWS 40   /* groups drawn; the others counted */
#define SVG_W 1200    /* px */
#define SVG_X0 360    /* the time axis starts here */
#define SVG_X1 1180
#define SVG_ROW 24
#define SVG_TOP 70

static void
svg_text(struct out *o, const char *t, size_t max)
{
	size_t i;

	for (i = 0; t && t[i] && i < max; i++)
		switch (t[i]) {
		case '&': out_puts(o, "&amp;"); break;
		case '<': out_puts(o, "&lt;"); break;
		case '>': out_puts(o, "&gt;"); break;
		case '"': out_puts(o, "&quot;"); break;
		default:
			if ((unsigned char)t[i] >= 0x20)
				out_write(o, &t[i], 1);
		}
	if (t && i == max && t[i])
		out_puts(o, "...");
}

struct span {
	uint64_t a, b;
	bool open;
};

static int
cmp_span(const void *x, const void *y)
{
	const struct span *p = x, *q = y;

	return p->a < q->a ? -1 : p->a > q->a ? 1 : 0;
}

/*
 * An SVG timeline (--format svg): one row per group of nodes with the
 * same story (as the text groups them, largest first), each row the union
 * of its nodes' intervals without a route (data-start-s/data-end-s as in
 * the JSON), the steps as vertical lines.  Bounded: SVG_ROWS rows, the
 * intervals kept (RO_MAX_LOSSES), whatever the cluster's size.
 */
static void
write_svg(struct out *o, const struct trial *best, const struct rargs *a)
{
	const struct ro_result *r = &best->r;
	struct simv_groups gs;
	uint32_t *grp = rr_xcalloc(r->nspeakers + 1, sizeof(*grp));
	struct span *sp = NULL;
	size_t i, g, k, rows, cap = 0;
	uint64_t t0, t1, span, pad, tick, t;
	unsigned h;
	char s1[32], s2[32];

	simv_groups_init(&gs, r->nnodes);
	for (i = 0; i < r->nnodes; i++)
		simv_groups_add(&gs, r->nodes[i].story, (uint32_t)i);
	simv_groups_finish(&gs);
	rows = gs.n < SVG_ROWS ? gs.n : SVG_ROWS;
	for (g = 0; g < gs.n; g++)
		for (k = 0; k < gs.v[g].n; k++)
			grp[r->nodes[gs.v[g].member[k]].node] = (uint32_t)g + 1;
	t0 = r->nsteps ? r->steps[0].at_ms : r->converged_ms;
	t1 = r->end_ms > t0 ? r->end_ms : t0 + 1000;
	pad = (t1 - t0) / 40 + 500;
	t0 = t0 > pad ? t0 - pad : 0;
	t1 += pad;
	span = t1 - t0;
	{
		static const unsigned nice[] = {1,  2,   5,   10,  20,  30,
		                                60, 120, 300, 600, 1800, 3600};
		tick = 7200000;
		for (i = 0; i < sizeof(nice) / sizeof(nice[0]); i++)
			if (span / (nice[i] * 1000ull) <= 12) {
				tick = nice[i] * 1000ull;
				break;
			}
	}
	h = SVG_TOP + (unsigned)(rows ? rows : 1) * SVG_ROW + 60;
#define X(ms) (SVG_X0 + (double)((ms) - t0) * (SVG_X1 - SVG_X0) / (double)span)
	out_printf(o,
	           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	           "height=\"%u\" viewBox=\"0 0 %d %u\" "
	           "font-family=\"sans-serif\" font-size=\"12\">\n"
	           "<title>rrkit rollout: ",
	           SVG_W, h, SVG_W, h);
	svg_text(o, a->from, 200);
	out_puts(o, " to ");
	svg_text(o, a->to, 200);
	out_printf(o, " (order %s)</title>\n", order_names[best->order]);
	out_printf(o, "<rect width=\"%d\" height=\"%u\" fill=\"white\"/>\n",
	           SVG_W, h);
	secs(s1, sizeof(s1), r->loss_ms);
	out_printf(o,
	           "<text x=\"10\" y=\"20\" font-size=\"14\" "
	           "font-weight=\"bold\">rrkit rollout, order %s: %llu "
	           "routes lost at %zu speakers, %s node-seconds</text>\n",
	           order_names[best->order],
	           (unsigned long long)r->routes_lost, r->nnodes, s1);
	out_printf(o, "<text x=\"10\" y=\"38\" fill=\"#555\">each row: the "
	              "nodes with the same loss; red: no route (the union of "
	              "their intervals); a line: a step</text>\n");
	/* the time axis */
	out_printf(o, "<g class=\"axis\" stroke=\"#ccc\">\n");
	for (t = (t0 + tick - 1) / tick * tick; t <= t1; t += tick) {
		secs(s1, sizeof(s1), t);
		out_printf(o, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%u\"/>"
		              "<text x=\"%.1f\" y=\"%d\" stroke=\"none\" "
		              "fill=\"#555\" text-anchor=\"middle\">%llu s</text>\n",
		           X(t), SVG_TOP - 8, X(t), h - 40, X(t), SVG_TOP - 12,
		           (unsigned long long)(t / 1000));
	}
	out_printf(o, "</g>\n");
	/* the rows */
	for (g = 0; g < rows; g++) {
		const struct sim_group *sg = &gs.v[g];
		double y = SVG_TOP + (double)g * SVG_ROW;
		size_t n = 0, m;
		out_printf(o, "<g class=\"group\" data-nodes=\"");
		for (k = 0; k < sg->n; k++) {
			out_puts(o, k ? " " : "");
			svg_text(o, r->speaker_names[r->nodes[sg->member[k]].node],
			         256);
		}
		out_printf(o, "\">\n<title>");
		svg_text(o, sg->what, 2000);
		out_printf(o, "</title>\n<text x=\"10\" y=\"%.1f\">%zu %s%s (",
		           y + 16, sg->n,
		           r->nodes[sg->member[0]].router ? "router" : "node",
		           sg->n == 1 ? "" : "s");
		for (k = 0; k < sg->n && k < 2; k++) {
			out_puts(o, k ? ", " : "");
			svg_text(o, r->speaker_names[r->nodes[sg->member[k]].node],
			         40);
		}
		if (sg->n > 2)
			out_printf(o, ", ... %zu more", sg->n - 2);
		out_printf(o, ")</text>\n");
		for (i = 0; i < r->nloss; i++) {
			const struct ro_loss *l = &r->loss[i];
			if (grp[l->node] != g + 1)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				sp = rr_xrealloc(sp, cap * sizeof(*sp));
			}
			sp[n].a = l->start_ms;
			sp[n].open = l->end_ms == SIM_NEVER;
			sp[n].b = sp[n].open ? r->end_ms : l->end_ms;
			n++;
		}
		if (n)
			qsort(sp, n, sizeof(*sp), cmp_span);
		for (i = 0, m = 0; i < n; i++) {
			if (m && sp[i].a <= sp[m - 1].b) {
				if (sp[i].b >= sp[m - 1].b) {
					sp[m - 1].open = sp[i].b > sp[m - 1].b
					                         ? sp[i].open
					                         : sp[m - 1].open || sp[i].open;
					sp[m - 1].b = sp[i].b;
				}
				continue;
			}
			sp[m++] = sp[i];
		}
		for (i = 0; i < m; i++) {
			double w = X(sp[i].b) - X(sp[i].a);
			secs(s1, sizeof(s1), sp[i].a);
			secs(s2, sizeof(s2), sp[i].b);
			out_printf(o,
			           "<rect class=\"loss\" x=\"%.1f\" y=\"%.1f\" "
			           "width=\"%.1f\" height=\"%d\" fill=\"%s\" "
			           "data-start-s=\"%s\" data-end-s=\"%s\"%s>"
			           "<title>%s s to %s s%s</title></rect>\n",
			           X(sp[i].a), y + 4, w < 1 ? 1.0 : w, SVG_ROW - 8,
			           sp[i].open ? "#800" : "#d22", s1, s2,
			           sp[i].open ? " data-open=\"true\"" : "", s1, s2,
			           sp[i].open ? ": not back at the end" : "");
		}
		out_printf(o, "</g>\n");
	}
	if (!gs.n)
		out_printf(o, "<text x=\"10\" y=\"%d\">no route lost</text>\n",
		           SVG_TOP + 16);
	if (gs.n > rows || r->loss_dropped)
		out_printf(o, "<text x=\"10\" y=\"%u\" fill=\"#555\">%zu more "
		              "groups not drawn; %llu intervals past the first "
		              "%d not drawn (rrkit rollout --format json)</text>\n",
		           h - 22, gs.n - rows,
		           (unsigned long long)r->loss_dropped, RO_MAX_LOSSES);
	/* the steps */
	for (i = 0; i < r->nsteps; i++) {
		char lb[600];
		double x = X(r->steps[i].at_ms);
		secs(s1, sizeof(s1), r->steps[i].at_ms);
		snprintf(lb, sizeof(lb), "%s", step_label(best, i, a));
		out_printf(o,
		           "<g class=\"step\" data-at-s=\"%s\"><line x1=\"%.1f\" "
		           "y1=\"%d\" x2=\"%.1f\" y2=\"%u\" stroke=\"#226\" "
		           "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%u\" "
		           "fill=\"#226\">%zu</text><title>step %zu at %s s: ",
		           s1, x, SVG_TOP - 4, x, h - 36, x + 2, h - 26, i + 1,
		           i + 1, s1);
		svg_text(o, lb, sizeof(lb));
		out_printf(o, "</title></g>\n");
	}
#undef X
	out_printf(o, "</svg>\n");
	free(sp);
	free(grp);
	simv_groups_release(&gs);
}

/* ------------------------------------------------------------ main */

static int
parse_secs(const char *s, uint64_t *ms)
{
	char *e;
	double v;

	errno = 0;
	v = strtod(s, &e);
	if (errno || e == s || *e || !(v >= 1) || v > 86400)
		return -1;
	*ms = (uint64_t)(v * 1000 + 0.5);
	return 0;
}

static int
parse_format(struct rargs *a, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : strlen(arg);

	if (eq && !eq[1]) {
		cli_error("rollout: --format %.*s= wants a file name", (int)n,
		          arg);
		return -1;
	}
	if (n == 4 && !strncmp(arg, "text", 4)) {
		a->text = true;
		a->text_path = eq ? eq + 1 : NULL;
	} else if (n == 4 && !strncmp(arg, "json", 4)) {
		a->json = true;
		a->json_path = eq ? eq + 1 : NULL;
	} else if (n == 3 && !strncmp(arg, "svg", 3)) {
		a->svg = true;
		a->svg_path = eq ? eq + 1 : NULL;
	} else {
		cli_error("rollout: unknown format '%.*s' (text, json or svg)",
		          (int)n, arg);
		return -1;
	}
	return 0;
}

/* where one format goes: its own FILE, else --output, else stdout */
static const char *
out_path(const char *own, const struct rargs *a)
{
	return own ? own : a->output ? a->output : "-";
}

static int
run(struct rargs *a)
{
	struct fileset fs = {0};
	struct resset rs = {0};
	struct unit *units = NULL;
	size_t nunits = 0, i, ntr = 0;
	struct trial tr[ORD_N];
	struct bridge br = {0};
	struct state from, to;
	struct simcli end;
	struct sim_opts so;
	const struct trial *best = NULL;
	char **paths = NULL;
	size_t np;
	struct out outs[3];
	int rc = EXIT_USAGE, nout = 0;

	memset(tr, 0, sizeof(tr));
	memset(&from, 0, sizeof(from));
	memset(&to, 0, sizeof(to));
	memset(&end, 0, sizeof(end));
	if (walk(&fs, a->from, "", false, 0) < 0 ||
	    walk(&fs, a->to, "", true, 0) < 0)
		goto out;
	if (fs.n)
		qsort(fs.v, fs.n, sizeof(*fs.v), cmp_rfile);
	if (read_files(&fs) < 0)
		goto out;
	paths = rr_xcalloc(fs.n + 1, sizeof(*paths));
	for (np = 0, i = 0; i < fs.n; i++)
		if (fs.v[i].from)
			paths[np++] = fs.v[i].from;
	if (load_state(&from, paths, np, a->addr, a->naddr, a->assume_blocks,
	               false) < 0)
		goto out;
	for (np = 0, i = 0; i < fs.n; i++)
		if (fs.v[i].to)
			paths[np++] = fs.v[i].to;
	if (load_state(&to, paths, np, a->addr, a->naddr, a->assume_blocks,
	               false) < 0)
		goto out;
	if (a->nsteps) {
		/* the states given */
		struct trial *t = &tr[ntr++];
		t->order = ORD_GIVEN;
		t->nstates = a->nsteps + 2;
		t->states = rr_xcalloc(t->nstates, sizeof(*t->states));
		{
			const struct rr_model **models =
			        rr_xcalloc(t->nstates, sizeof(*models));
			struct ro_opts o;
			struct rr_diags d;
			int r2 = 0;
			models[0] = from.l.m;
			models[t->nstates - 1] = to.l.m;
			for (i = 0; i < a->nsteps && r2 == 0; i++) {
				char *p1 = strdup(a->steps[i]);
				r2 = p1 ? load_state(&t->states[i + 1], &p1, 1,
				                a->addr, a->naddr,
				                a->assume_blocks, true) : -1;
				free(p1);
				models[i + 1] = t->states[i + 1].l.m;
			}
			if (r2 == 0) {
				memset(&o, 0, sizeof(o));
				o.interval_ms = a->interval_ms;
				rr_diags_init(&d);
				r2 = ro_rehearse(models, t->nstates, &o, &t->r,
				                 &d);
				if (r2 < 0) {
					struct report_opts ro = {
					        cli_color(stderr), true,
					        RR_SEV_NOTE};
					report_text(stderr, &d, &ro);
				} else {
					t->done = true;
				}
				rr_diags_release(&d);
			}
			free(models);
			if (r2 < 0) {
				rc = r2 == -2 ? EXIT_LIMIT : EXIT_USAGE;
				goto out;
			}
		}
		best = t;
	} else {
		enum ro_order ords[ORD_N];
		size_t nord = 0, k;
		bool split = split_files(&fs, &rs);
		units = make_units(&fs, &rs, split, &nunits);
		if (split && nunits > MAX_STEPS) {
			/* too many resources: a step per file */
			for (i = 0; i < fs.n; i++)
				fs.v[i].unit = NULL;
			free(units);
			split_release(&fs, &rs);
			split = false;
			units = make_units(&fs, &rs, false, &nunits);
			a->note = "more resources changed than rrkit rehearses "
			          "one by one: a step per file";
		}
		if (!nunits) {
			cli_error("rollout: --from and --to hold the same "
			          "files: nothing to rehearse");
			goto out;
		}
		if (nunits > MAX_STEPS) {
			cli_error("rollout: %zu files differ; at most %d "
			          "changes are rehearsed (give --step states, "
			          "or put resources that go together in one "
			          "file)",
			          nunits, MAX_STEPS);
			goto out;
		}
		if (a->order == ORD_SEARCH && nunits == 1) {
			ords[nord++] = ORD_GIVEN;
		} else if (a->order == ORD_SEARCH) {
			/* path order first: it says what each change does */
			ords[nord++] = ORD_GIVEN;
			ords[nord++] = ORD_MBB;
			ords[nord++] = ORD_ROUTER_FIRST;
			ords[nord++] = ORD_ROUTER_LAST;
			ords[nord++] = ORD_TOGETHER;
		} else {
			ords[nord++] = a->order;
			if (a->order == ORD_MBB)
				ords[0] = ORD_GIVEN, ords[nord++] = ORD_MBB;
		}
		for (k = 0; k < nord; k++) {
			struct trial *t = &tr[ntr++];
			int r2;
			if (ords[k] == ORD_MBB)
				set_buckets(units, nunits, &tr[0].r);
			order_units(t, units, nunits, ords[k]);
			for (i = 0; i < k && !t->as; i++)
				if (!tr[i].as && same_steps(&tr[i], t))
					t->as = &tr[i];
			if (t->as)
				continue;
			r2 = rehearse(t, a, &fs, &from, &to);
			if (r2 < 0) {
				rc = r2 == -2 ? EXIT_LIMIT : EXIT_USAGE;
				goto out;
			}
		}
		/* the least loss; ties: the first tried after path order */
		for (k = 0; k < ntr; k++) {
			if (a->order == ORD_MBB && tr[k].order != ORD_MBB)
				continue;
			if (tr[k].as && a->order == ORD_SEARCH)
				continue; /* its twin was tried first */
			if (!best ||
			    tr[k].r.loss_ms < best->r.loss_ms ||
			    (tr[k].r.loss_ms == best->r.loss_ms &&
			     tr[k].r.routes_lost < best->r.routes_lost) ||
			    (best->order == ORD_GIVEN && a->order == ORD_SEARCH &&
			     tr[k].r.loss_ms == best->r.loss_ms &&
			     tr[k].r.routes_lost == best->r.routes_lost))
				best = &tr[k];
		}
		/* no order without loss: the moving nodes bridged by
		 * temporary peers, when that loses less */
		if (a->order == ORD_SEARCH && split && best &&
		    best->r.routes_lost) {
			set_buckets(units, nunits, &tr[0].r);
			if (bridge_build(&br, from.l.m, to.l.m, &rs)) {
				struct trial *t = &tr[ntr++];
				int r2;
				fs.bridge = br.f;
				order_bridge(t, units, nunits, &br);
				r2 = rehearse(t, a, &fs, &from, &to);
				if (r2 < 0) {
					rc = r2 == -2 ? EXIT_LIMIT : EXIT_USAGE;
					goto out;
				}
				if (t->r.loss_ms < best->r.loss_ms ||
				    (t->r.loss_ms == best->r.loss_ms &&
				     t->r.routes_lost < best->r.routes_lost))
					best = t;
			}
		}
		/* one order asked for: the others are not reported */
		if (a->order != ORD_SEARCH) {
			best = &tr[ntr - 1];
			if (ntr > 1 && tr[1].as) {
				/* make-before-break is the path order */
				tr[0].order = tr[1].order;
				trial_release(&tr[1]);
				ntr = 1;
				best = &tr[0];
			} else if (ntr > 1) {
				trial_release(&tr[0]);
				tr[0] = tr[1];
				memset(&tr[1], 0, sizeof(tr[1]));
				ntr = 1;
				best = &tr[0];
			}
		}
	}
	/* the end state's verdict, as rrkit sim gives it */
	memset(&so, 0, sizeof(so));
	if (sim_new(to.l.m, &so, &end.s, &to.l.diags) < 0) {
		struct report_opts ro = {cli_color(stderr), true, RR_SEV_FATAL};
		report_text(stderr, &to.l.diags, &ro);
		goto out;
	}
	sim_run(end.s);
	end.m = to.l.m;
	end.diags = &to.l.diags;
	end.limit = sim_stats(end.s)->mesh_elided;
	if (!a->text && !a->json && !a->svg)
		a->text = true;
	if (a->text) {
		if (out_open(&outs[nout], out_path(a->text_path, a), 0) < 0)
			goto out;
		end.color = !strcmp(outs[nout].path, "-") && cli_color(stdout);
		write_text(&outs[nout], best, tr, ntr, &end, a);
		nout++;
	}
	if (a->json) {
		if (out_open(&outs[nout], out_path(a->json_path, a), 0) < 0)
			goto close;
		end.color = false;
		write_json(&outs[nout], best, tr, ntr, &end, a);
		nout++;
	}
	if (a->svg) {
		if (out_open(&outs[nout], out_path(a->svg_path, a), 0) < 0)
			goto close;
		write_svg(&outs[nout], best, a);
		nout++;
	}
	rc = ok_of(best, &end) ? EXIT_CLEAN
	     : end.limit && !best->r.routes_lost ? EXIT_LIMIT
	                                          : EXIT_FINDINGS;
close:
	while (nout > 0)
		if (out_close(&outs[--nout]) < 0)
			rc = EXIT_USAGE;
out:
	sim_free(end.s);
	for (i = 0; i < ntr; i++)
		trial_release(&tr[i]);
	state_release(&from);
	state_release(&to);
	split_release(&fs, &rs);
	for (i = 0; i < fs.n; i++) {
		free(fs.v[i].rel);
		free(fs.v[i].from);
		free(fs.v[i].to);
		free(fs.v[i].fbuf);
		free(fs.v[i].tbuf);
		free(fs.v[i].mbuf);
	}
	free(fs.v);
	free(units);
	bridge_release(&br);
	free(paths);
	return rc;
}

int
cmd_rollout(int argc, char **argv)
{
	struct rargs a;
	struct opts p;
	int ch, rc;

	memset(&a, 0, sizeof(a));
	a.order = ORD_SEARCH;
	a.interval_ms = 30000;
	a.addr = rr_xcalloc((size_t)argc + 1, sizeof(*a.addr));
	opts_init(&p, opts_command("rollout"), argc, argv);
	while ((ch = opts_next(&p)) != OPTS_DONE) {
		size_t i;
		switch (ch) {
		case 'F':
			a.from = p.arg;
			break;
		case 'T':
			a.to = p.arg;
			break;
		case 'S':
			if (a.nsteps == MAX_STEPS) {
				cli_error("rollout: at most %d --step", MAX_STEPS);
				goto usage_p;
			}
			a.steps[a.nsteps++] = p.arg;
			break;
		case 'O':
			for (i = 0; i < ORD_N; i++)
				if (!strcmp(p.arg, order_names[i]))
					break;
			if (i == ORD_N || i == ORD_BRIDGE) {
				cli_error("rollout: unknown order '%s' (search, "
				          "given, router-first, router-last, "
				          "make-before-break, together)",
				          p.arg);
				goto usage_p;
			}
			a.order = (enum ro_order)i;
			a.order_set = true;
			break;
		case 'i':
			if (parse_secs(p.arg, &a.interval_ms) < 0) {
				cli_error("rollout: --interval wants seconds "
				          "from 1 to 86400, not '%s'",
				          p.arg);
				goto usage_p;
			}
			break;
		case 'f':
			if (parse_format(&a, p.arg) < 0)
				goto usage_p;
			break;
		case 'o':
			a.output = p.arg;
			break;
		case 'A':
			a.all = true;
			break;
		case 'a':
			a.addr[a.naddr++] = p.arg;
			break;
		case 'b':
			a.assume_blocks = true;
			break;
		default:
			opts_release(&p);
			rc = p.status;
			goto done;
		}
	}
	opts_release(&p);
	if (p.optind < argc) {
		cli_error("rollout: unexpected operand '%s' (the inputs are "
		          "--from and --to)",
		          argv[p.optind]);
		goto usage;
	}
	if (!a.from || !a.to) {
		cli_error("rollout: --from and --to are both needed");
		goto usage;
	}
	if (a.nsteps && a.order_set && a.order != ORD_GIVEN) {
		cli_error("rollout: with --step the order is the one given");
		goto usage;
	}
	{
		/* formats asked for, and those without a file of their own */
		int nf = a.text + a.json + a.svg;
		int nd = (a.text && !a.text_path) + (a.json && !a.json_path) +
		         (a.svg && !a.svg_path);
		if (a.output && nf && !nd) {
			cli_error("rollout: --output: every --format names its "
			          "own file");
			goto usage;
		}
		if (nd > 1) {
			cli_error("rollout: %s both to one output: name a "
			          "file (--format json=FILE)",
			          nd == 3 ? "text, json and svg"
			          : !a.svg ? "text and json"
			          : a.text && !a.text_path ? "text and svg"
			                                   : "json and svg");
			goto usage;
		}
	}
	rc = run(&a);
	goto done;
usage_p:
	opts_release(&p);
usage:
	opts_usage(stderr, opts_command("rollout"));
	rc = EXIT_USAGE;
done:
	free(a.addr);
	return rc;
}
