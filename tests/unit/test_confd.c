/*
 * The confd oracle: replay every case of
 * ../shared/corpus/calico-confd/cases.tsv through parse_calico +
 * resolve_calico and compare, for the case's node, every `protocol bgp`
 * block of the expected bird.cfg / bird6.cfg with the sessions resolve
 * computed: name, neighbor address, port, AS, local AS, rr client, rr
 * cluster id, passive, password (present, and the same secret), ttl
 * security, multihop, next hop keep/self, source address, graceful
 * restart time, keepalive time, allow local as, and whether the export
 * filter treats the peer as internal; plus the node's router id and
 * listen port.  `count:N` cases compare the number of IPv4 sessions.
 *
 * Then, for every golden case, the six files emit_bird_file writes are
 * compared with confd's byte for byte (blank lines left out, as Calico's
 * own template tests compare them), the self-contained file emit_bird
 * writes with bird.cfg whose includes are replaced by the two golden
 * files, and what the model says the node originates (blocks, service
 * routes) and routes by reachableBy with the `route` lines of
 * bird_aggr.cfg / bird6_aggr.cfg.
 *
 * Prints "confd: N/90 cases equal", "confd files: N/704 equal" and
 * "confd routes: N/88 cases equal" and fails below the minimums (the
 * numbers reached; raise them, never lower them).  $RRKIT_SHARED (default
 * ../shared); skipped with a reason when the corpus is absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/tutil.h"

#include "emitters/emitters.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"

/* fixed-size fields; truncation of absurd input is fine here */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#define CONFD_MIN 90
#define FILES_MIN 704
#define ROUTES_MIN 88
#define LINE 512

/* what one run adds up */
struct tally {
	int files, files_ok, routes, routes_ok;
};

struct sbuf {
	char *s;
	size_t n, cap;
};

static void sb_add(struct sbuf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;
	if (!b->s) {
		b->cap = 4096;
		b->s = malloc(b->cap);
		assert_non_null(b->s);
	}
	for (;;) {
		size_t room = b->cap - b->n;
		va_start(ap, fmt);
		k = vsnprintf(b->s + b->n, room, fmt, ap);
		va_end(ap);
		if (k >= 0 && (size_t)k < room) {
			b->n += (size_t)k;
			return;
		}
		b->cap = b->cap ? b->cap * 2 + (size_t)k : 4096;
		b->s = realloc(b->s, b->cap);
		assert_non_null(b->s);
	}
}

/* ------------------------------------------ expected: BIRD config */

struct proto {
	char line[LINE];
};

struct protos {
	struct proto *v;
	size_t n, cap;
	char router_id[64];
	char listen[96];
};

static void
protos_add(struct protos *p, const char *line)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		assert_non_null(p->v);
	}
	snprintf(p->v[p->n++].line, LINE, "%s", line);
}

static int
cmp_proto(const void *a, const void *b)
{
	return strcmp(((const struct proto *)a)->line,
		      ((const struct proto *)b)->line);
}

static const char *
skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

struct fields {
	char name[128], neighbor[64], port[8], as[16], local_as[16];
	char source[64], ttl[8], multihop[8], next_hop[8], gr[16], ka[16];
	char allow[8], cluster[64], pwhash[24], internal[8];
	bool rr_client, passive, password;
};

static void
fields_line(const struct fields *f, char *out)
{
	snprintf(out, LINE,
		 "%s neighbor=%s port=%s as=%s local-as=%s rr-client=%d "
		 "cluster=%s passive=%d password=%s source=%s ttl=%s "
		 "multihop=%s next-hop=%s gr=%s keepalive=%s allow-local-as=%s "
		 "internal=%s",
		 f->name, f->neighbor, f->port[0] ? f->port : "-", f->as,
		 f->local_as, f->rr_client, f->cluster[0] ? f->cluster : "-",
		 f->passive, f->password ? f->pwhash : "-",
		 f->source[0] ? f->source : "-", f->ttl,
		 f->multihop[0] ? f->multihop : "-",
		 f->next_hop[0] ? f->next_hop : "-", f->gr[0] ? f->gr : "-",
		 f->ka[0] ? f->ka : "-", f->allow[0] ? f->allow : "-",
		 f->internal);
}

/* Read the `protocol bgp` blocks of one bird.cfg. */
static void
parse_bird(const char *text, struct protos *out)
{
	const char *p = text;
	char tmpl_as[16] = "";
	struct fields f;
	bool in = false;
	char line[LINE];

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *s;
		char a[128], b[128], c[128];
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (e ? 1 : 0);
		s = skip_ws(line);
		if (!in) {
			if (sscanf(s, "router id %63[^;];", out->router_id) == 1)
				continue;
			if (!strncmp(s, "listen bgp", 10)) {
				snprintf(out->listen, sizeof(out->listen), "%s",
					 s);
				continue;
			}
			if (sscanf(s, "local as %15[0-9];", tmpl_as) == 1)
				continue;
			if (sscanf(s, "protocol bgp %127s from", a) == 1) {
				memset(&f, 0, sizeof(f));
				snprintf(f.name, sizeof(f.name), "%s", a);
				snprintf(f.local_as, sizeof(f.local_as), "%s",
					 tmpl_as);
				snprintf(f.ttl, sizeof(f.ttl), "off");
				in = true;
			}
			continue;
		}
		if (line[0] == '}') {
			fields_line(&f, line);
			protos_add(out, line);
			in = false;
			continue;
		}
		if (sscanf(s, "local as %15[0-9];", f.local_as) == 1)
			continue;
		if (sscanf(s, "neighbor %63s port %7[0-9] as %15[0-9];", a, b,
			   c) == 3) {
			snprintf(f.neighbor, sizeof(f.neighbor), "%s", a);
			snprintf(f.port, sizeof(f.port), "%s", b);
			snprintf(f.as, sizeof(f.as), "%s", c);
			continue;
		}
		if (sscanf(s, "neighbor %63s as %15[0-9];", a, c) == 2) {
			snprintf(f.neighbor, sizeof(f.neighbor), "%s", a);
			snprintf(f.as, sizeof(f.as), "%s", c);
			continue;
		}
		if (sscanf(s, "source address %63[^;];", f.source) == 1)
			continue;
		if (!strcmp(s, "ttl security on;")) {
			snprintf(f.ttl, sizeof(f.ttl), "on");
			continue;
		}
		if (!strcmp(s, "multihop;")) {
			snprintf(f.multihop, sizeof(f.multihop), "64");
			continue;
		}
		if (sscanf(s, "multihop %7[0-9];", f.multihop) == 1)
			continue;
		if (!strcmp(s, "passive on;"))
			f.passive = true;
		else if (!strcmp(s, "rr client;"))
			f.rr_client = true;
		else if (sscanf(s, "rr cluster id %63[^;];", f.cluster) == 1)
			;
		else if (!strncmp(s, "password \"", 10)) {
			const char *q = s + 10, *qe = strrchr(q, '"');
			f.password = true;
			snprintf(f.pwhash, sizeof(f.pwhash), "%016llx",
				 (unsigned long long)rr_hash64(
					 q, qe && qe > q ? (size_t)(qe - q) : 0));
		} else if (!strcmp(s, "next hop keep;"))
			snprintf(f.next_hop, sizeof(f.next_hop), "keep");
		else if (!strcmp(s, "next hop self;"))
			snprintf(f.next_hop, sizeof(f.next_hop), "self");
		else if (sscanf(s, "graceful restart time %15[0-9];", f.gr) == 1)
			;
		else if (sscanf(s, "keepalive time %15[0-9];", f.ka) == 1)
			;
		else if (sscanf(s, "allow local as %7[0-9];", f.allow) == 1)
			;
		else if (!strcmp(s, "calico_export_to_bgp_peers(true);"))
			snprintf(f.internal, sizeof(f.internal), "true");
		else if (!strcmp(s, "calico_export_to_bgp_peers(false);"))
			snprintf(f.internal, sizeof(f.internal), "false");
	}
}

/* ------------------------------------------- actual: the model */

static void
model_protos(const struct rr_speaker *s, uint8_t family, struct protos *out)
{
	size_t i;
	char line[LINE];
	char a[RR_ADDR_STRLEN];

	for (i = 0; i < s->nneighbors; i++) {
		const struct rr_neighbor *nb = &s->neighbors[i];
		struct fields f;
		if (nb->family != family)
			continue;
		memset(&f, 0, sizeof(f));
		snprintf(f.name, sizeof(f.name), "%s", nb->name);
		snprintf(f.neighbor, sizeof(f.neighbor), "%s",
			 rr_addr_str(&nb->peer, a));
		if (nb->port)
			snprintf(f.port, sizeof(f.port), "%u", nb->port);
		snprintf(f.as, sizeof(f.as), "%u", nb->remote_as.v);
		snprintf(f.local_as, sizeof(f.local_as), "%u",
		         rr_nb_rare(nb)->local_as.set
		                 ? rr_nb_rare(nb)->local_as.v
		                 : s->asn.v);
		if (nb->source_address.set)
			rr_addr_str(&nb->source_address.v, f.source);
		snprintf(f.ttl, sizeof(f.ttl), "%s",
			 nb->ttl_security.set ? "on" : "off");
		if (nb->ebgp_multihop.set)
			snprintf(f.multihop, sizeof(f.multihop), "%u",
				 nb->ebgp_multihop.v);
		f.passive = nb->passive;
		f.rr_client = nb->rr_client.set && nb->rr_client.v;
		if (rr_nb_rare(nb)->rr_cluster_id.set) {
			struct rr_addr c = rr_addr_from_v4(
			        rr_nb_rare(nb)->rr_cluster_id.v);
			rr_addr_str(&c, f.cluster);
		}
		f.password = nb->password.set && nb->password.v;
		snprintf(f.pwhash, sizeof(f.pwhash), "%016llx",
			 (unsigned long long)nb->password_hash);
		if (nb->next_hop == RR_NH_KEEP)
			snprintf(f.next_hop, sizeof(f.next_hop), "keep");
		else if (nb->next_hop == RR_NH_SELF)
			snprintf(f.next_hop, sizeof(f.next_hop), "self");
		if (nb->graceful_restart.set)
			snprintf(f.gr, sizeof(f.gr), "%u",
				 nb->graceful_restart.v);
		if (nb->keepalive.set)
			snprintf(f.ka, sizeof(f.ka), "%u", nb->keepalive.v);
		if (rr_nb_rare(nb)->allow_local_as.set)
			snprintf(f.allow, sizeof(f.allow), "%u",
			         rr_nb_rare(nb)->allow_local_as.v);
		snprintf(f.internal, sizeof(f.internal), "%s",
			 nb->export_internal ? "true" : "false");
		fields_line(&f, line);
		protos_add(out, line);
	}
}

/* -------------------------------------------------------- a case */

struct ccase {
	char name[128], node[64], aff[16], env[96], apply[1024], expect[32];
};

static int
split_tsv(char *line, char **col, int max)
{
	int n = 0;
	char *p = line;
	while (n < max) {
		char *t = strchr(p, '\t');
		col[n++] = p;
		if (!t)
			break;
		*t = '\0';
		p = t + 1;
	}
	return n;
}

static bool
load_into(struct rr_model *m, struct rr_diags *d, const char *path,
	  bool del, char ***bufs, size_t *nbufs)
{
	size_t len;
	char *text = slurp(path, &len);
	struct parse_calico_opts o = {.delete_mode = del};
	if (!text) {
		print_message("cannot read %s\n", path);
		return false;
	}
	*bufs = realloc(*bufs, (*nbufs + 1) * sizeof(**bufs));
	(*bufs)[(*nbufs)++] = text;
	(void)parse_calico(m, rr_model_file(m, path), text, len, &o, d);
	return true;
}

/* The protocols emit_bird writes for the node read back as the golden's
 * (the emitter's own oracle: the same 90 cases). */
static int
emitted_equal(const struct rr_model *m, const char *node, int fam,
	      const struct protos *want, struct sbuf *why)
{
	struct emit_bird_opts o = {.secrets = true};
	struct rr_diags d;
	struct protos got = {0};
	char *text = NULL;
	size_t len, a = 0, b = 0, i;
	int equal = 1;
	struct protos w = *want;

	rr_diags_init(&d);
	if (emit_bird(m, node, fam ? RR_AF_INET6 : RR_AF_INET, &o, &text, &len,
		      &d) < 0) {
		sb_add(why, "  emit_bird failed\n");
		rr_diags_release(&d);
		return 0;
	}
	parse_bird(text, &got);
	free(text);
	rr_diags_release(&d);
	/* sort copies: `want` is sorted by the caller afterwards */
	w.v = malloc((want->n ? want->n : 1) * sizeof(*w.v));
	assert_non_null(w.v);
	for (i = 0; i < want->n; i++)
		w.v[i] = want->v[i];
	if (w.n)
		qsort(w.v, w.n, sizeof(*w.v), cmp_proto);
	if (got.n)
		qsort(got.v, got.n, sizeof(*got.v), cmp_proto);
	while (a < w.n || b < got.n) {
		int c = a == w.n   ? 1
			: b == got.n ? -1
				     : strcmp(w.v[a].line, got.v[b].line);
		if (!c) {
			a++, b++;
			continue;
		}
		equal = 0;
		if (c < 0)
			sb_add(why, "  emitted lacks %s\n", w.v[a++].line);
		else
			sb_add(why, "  emitted has   %s\n", got.v[b++].line);
	}
	if (strcmp(w.router_id, got.router_id)) {
		sb_add(why, "  emitted router id %s, want %s\n", got.router_id,
		       w.router_id);
		equal = 0;
	}
	if (strcmp(w.listen, got.listen)) {
		sb_add(why, "  emitted '%s', want '%s'\n", got.listen, w.listen);
		equal = 0;
	}
	free(w.v);
	free(got.v);
	return equal;
}

/* Drop blank lines and a missing final newline: the goldens were
 * normalised so (upstream normalizeBlankLines). */
static char *
normalise(const char *t)
{
	size_t n = strlen(t), k = 0;
	char *o = malloc(n + 2);
	const char *p = t;
	assert_non_null(o);
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p), i;
		for (i = 0; i < l && (p[i] == ' ' || p[i] == '\t'); i++)
			;
		if (i < l) {
			memcpy(o + k, p, l);
			k += l;
			o[k++] = '\n';
		}
		p += l + (e ? 1 : 0);
	}
	o[k] = '\0';
	return o;
}

/* 1 when equal; else the first differing line goes to `why`. */
static int
same_text(const char *label, const char *want, const char *got,
	  struct sbuf *why)
{
	char *w = normalise(want), *g = normalise(got);
	const char *a = w, *b = g;
	int line = 1, eq = !strcmp(w, g);
	while (!eq && *a && *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		if (ea - a != eb - b || strncmp(a, b, (size_t)(ea - a)))
			break;
		a = ea + 1, b = eb + 1, line++;
	}
	if (!eq)
		sb_add(why, "  %s line %d:\n    want: %.*s\n    got:  %.*s\n",
		       label, line, (int)strcspn(a, "\n"), a,
		       (int)strcspn(b, "\n"), b);
	free(w);
	free(g);
	return eq;
}

static char *
golden(const struct ccase *cc, const char *file)
{
	char path[2048];
	size_t len;
	snprintf(path, sizeof(path),
		 "%s/corpus/calico-confd/scenarios/%s/expected/%s", shared(),
		 cc->name, file);
	return slurp(path, &len);
}

/* The six files, and bird.cfg with its includes inlined. */
static void
compare_files(const struct rr_model *m, const struct ccase *cc,
	      struct tally *t, struct sbuf *why)
{
	struct emit_bird_opts o = {.secrets = true};
	int fam, f;
	for (fam = 0; fam < 2; fam++) {
		uint8_t af = fam ? RR_AF_INET6 : RR_AF_INET;
		char *want[3], *got[3] = {NULL, NULL, NULL}, *inl = NULL;
		size_t len;
		struct rr_diags d;
		rr_diags_init(&d);
		for (f = 0; f < 3; f++) {
			const char *name =
				emit_bird_file_name(af, (enum emit_bird_file)f);
			want[f] = golden(cc, name);
			t->files++;
			if (emit_bird_file(m, cc->node, af,
					   (enum emit_bird_file)f, &o, &got[f],
					   &len, &d) < 0) {
				sb_add(why, "  %s: emit_bird_file failed\n",
				       name);
				continue;
			}
			if (want[f] && same_text(name, want[f], got[f], why))
				t->files_ok++;
		}
		/* self-contained: the include lines replaced by the files */
		if (want[0] && want[1] && want[2] &&
		    emit_bird(m, cc->node, af, &o, &inl, &len, &d) == 0) {
			struct sbuf x = {0};
			const char *inc = strstr(want[0], "include \"");
			const char *after = inc ? strchr(strchr(inc, '\n') + 1,
							 '\n')
						: NULL;
			if (inc && after) {
				sb_add(&x, "%.*s%s\n%s\n%s", (int)(inc - want[0]),
				       want[0], want[1], want[2], after + 1);
				t->files++;
				if (same_text("inlined", x.s, inl, why))
					t->files_ok++;
			}
			free(x.s);
		}
		free(inl);
		for (f = 0; f < 3; f++) {
			free(want[f]);
			free(got[f]);
		}
		rr_diags_release(&d);
	}
}

/* The `route` lines of both aggr goldens against the model. */
static void
compare_routes(const struct rr_speaker *s, const struct ccase *cc,
	       struct tally *t, struct sbuf *why)
{
	struct protos want = {0}, got = {0};
	char line[LINE], b[RR_PREFIX_STRLEN], a[RR_ADDR_STRLEN];
	size_t i, x = 0, y = 0;
	int fam, eq = 1;

	for (fam = 0; fam < 2; fam++) {
		char *text = golden(cc, fam ? "bird6_aggr.cfg" : "bird_aggr.cfg");
		const char *p = text;
		while (p && *p) {
			char r[128], v[128];
			const char *e = strchr(p, '\n');
			size_t n = e ? (size_t)(e - p) : strlen(p);
			snprintf(line, sizeof(line), "%.*s", (int)n, p);
			p += n + (e ? 1 : 0);
			if (sscanf(line, " route %127s via %127[^;];", r,
				   v) == 2) {
				snprintf(line, sizeof(line), "%s via %s", r, v);
				protos_add(&want, line);
			} else if (strstr(line, " blackhole;") &&
				   sscanf(line, " route %127s", r) == 1) {
				snprintf(line, sizeof(line), "%s blackhole", r);
				protos_add(&want, line);
			}
		}
		free(text);
	}
	for (i = 0; i < s->noriginates; i++) {
		const struct rr_prefix *p = &s->originates[i].p;
		if (s->originates[i].kind == RR_ORIG_BLOCK &&
		    p->len == (p->addr.af == RR_AF_INET6 ? 128 : 32))
			continue; /* a /32 block: aggregation only */
		snprintf(line, sizeof(line), "%s blackhole",
			 rr_prefix_str(p, b));
		protos_add(&got, line);
	}
	for (i = 0; i < s->npeer_routes; i++) {
		snprintf(line, sizeof(line), "%s via %s",
			 rr_prefix_str(&s->peer_routes[i].p, b),
			 rr_addr_str(&s->peer_routes[i].via, a));
		protos_add(&got, line);
	}
	if (want.n)
		qsort(want.v, want.n, sizeof(*want.v), cmp_proto);
	if (got.n)
		qsort(got.v, got.n, sizeof(*got.v), cmp_proto);
	while (x < want.n || y < got.n) {
		int c = x == want.n   ? 1
			: y == got.n ? -1
				     : strcmp(want.v[x].line, got.v[y].line);
		if (!c) {
			x++, y++;
			continue;
		}
		eq = 0;
		if (c < 0)
			sb_add(why, "  route want %s\n", want.v[x++].line);
		else
			sb_add(why, "  route got  %s\n", got.v[y++].line);
	}
	t->routes++;
	t->routes_ok += eq;
	free(want.v);
	free(got.v);
}

/* 1 equal, 0 differ; the differences go to `why`. */
static int
run_case(const struct ccase *cc, struct tally *t, struct sbuf *why)
{
	struct rr_model *m = rr_model_new();
	struct rr_diags d;
	struct resolve_opts ro = {0};
	char path[2048], *apply, *tok, *save = NULL;
	char **bufs = NULL;
	size_t nbufs = 0, i;
	int equal = 1, fam;
	const struct rr_speaker *s;

	rr_diags_init(&d);
	if (!strcmp(cc->aff, "standard")) {
		snprintf(path, sizeof(path),
			 "%s/corpus/calico-confd/fixtures/"
			 "block_affinities.reconstructed.yaml",
			 shared());
		load_into(m, &d, path, false, &bufs, &nbufs);
	}
	apply = strdup(cc->apply);
	for (tok = strtok_r(apply, ";", &save); tok;
	     tok = strtok_r(NULL, ";", &save)) {
		bool del = !strncmp(tok, "DELETE:", 7);
		snprintf(path, sizeof(path), "%s/corpus/calico-confd/scenarios/%s",
			 shared(), del ? tok + 7 : tok);
		load_into(m, &d, path, del, &bufs, &nbufs);
	}
	free(apply);
	if (!strncmp(cc->env, "CALICO_ROUTER_ID=", 17))
		ro.router_id_env = cc->env + 17;
	resolve_calico(m, &ro, &d);
	for (i = 0; i < d.n; i++)
		if (d.v[i].sev == RR_SEV_FATAL) {
			sb_add(why, "  fatal: %s\n", d.v[i].msg);
			equal = 0;
		}

	s = rr_model_find_speaker(m, cc->node);
	if (!s) {
		sb_add(why, "  no speaker for node %s\n", cc->node);
		equal = 0;
		goto out;
	}
	if (!strncmp(cc->expect, "count:", 6)) {
		struct protos got = {0};
		model_protos(s, RR_AF_INET, &got);
		if (got.n != (size_t)atoi(cc->expect + 6)) {
			sb_add(why, "  %zu sessions, want %s\n", got.n,
			       cc->expect + 6);
			equal = 0;
		}
		free(got.v);
		goto out;
	}
	{
		int f0 = t->files - t->files_ok, r0 = t->routes - t->routes_ok;
		compare_files(m, cc, t, why);
		compare_routes(s, cc, t, why);
		if (t->files - t->files_ok != f0 || t->routes - t->routes_ok != r0)
			equal = 0;
	}
	for (fam = 0; fam < 2; fam++) {
		struct protos want = {0}, got = {0};
		size_t len, a = 0, b = 0;
		char *text;
		snprintf(path, sizeof(path),
			 "%s/corpus/calico-confd/scenarios/%s/expected/%s",
			 shared(), cc->name, fam ? "bird6.cfg" : "bird.cfg");
		text = slurp(path, &len);
		if (!text) {
			sb_add(why, "  cannot read %s\n", path);
			equal = 0;
			continue;
		}
		parse_bird(text, &want);
		free(text);
		model_protos(s, fam ? RR_AF_INET6 : RR_AF_INET, &got);
		equal &= emitted_equal(m, cc->node, fam, &want, why);
		if (want.n)
			qsort(want.v, want.n, sizeof(*want.v), cmp_proto);
		if (got.n)
			qsort(got.v, got.n, sizeof(*got.v), cmp_proto);
		while (a < want.n || b < got.n) {
			int c = a == want.n   ? 1
				: b == got.n ? -1
					     : strcmp(want.v[a].line,
						      got.v[b].line);
			if (!c) {
				a++, b++;
				continue;
			}
			equal = 0;
			if (c < 0)
				sb_add(why, "  want %s\n", want.v[a++].line);
			else
				sb_add(why, "  got  %s\n", got.v[b++].line);
		}
		if (!fam && want.router_id[0]) {
			char rid[RR_ADDR_STRLEN] = "";
			if (s->router_id.set)
				rr_addr_str(&s->router_id.v, rid);
			if (strcmp(rid, want.router_id)) {
				sb_add(why, "  router id %s, want %s\n", rid,
				       want.router_id);
				equal = 0;
			}
		}
		if (!fam) {
			char l[96] = "";
			if (s->listen_port.set || s->bind_node_ip) {
				char a2[RR_ADDR_STRLEN];
				int k = snprintf(l, sizeof(l), "listen bgp");
				if (s->bind_node_ip && s->naddrs)
					k += snprintf(l + k, sizeof(l) - (size_t)k,
						      " address %s",
						      rr_addr_str(&s->addrs[0].p.addr,
								  a2));
				if (s->listen_port.set)
					snprintf(l + k, sizeof(l) - (size_t)k,
						 " port %u", s->listen_port.v);
				strcat(l, ";");
			}
			if (strcmp(l, want.listen)) {
				sb_add(why, "  '%s', want '%s'\n", l,
				       want.listen);
				equal = 0;
			}
		}
		free(want.v);
		free(got.v);
	}
out:
	rr_diags_release(&d);
	rr_model_free(m);
	for (i = 0; i < nbufs; i++)
		free(bufs[i]);
	free(bufs);
	return equal;
}

static void
test_confd_oracle(void **state)
{
	char path[1024], line[4096];
	FILE *f;
	int total = 0, ok = 0;
	struct tally t = {0, 0, 0, 0};
	struct sbuf report = {0};
	const char *only = getenv("CONFD_CASE");

	(void)state;
	snprintf(path, sizeof(path), "%s/corpus/calico-confd/cases.tsv",
		 shared());
	f = fopen(path, "r");
	if (!f) {
		printf("confd: skipped: %s not found (run from the repository "
		       "root beside ../shared, or set RRKIT_SHARED)\n",
		       path);
		skip();
	}
	while (fgets(line, sizeof(line), f)) {
		char *col[10];
		struct ccase cc;
		struct sbuf why = {0};
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || !line[0])
			continue;
		if (split_tsv(line, col, 10) < 8)
			continue;
		memset(&cc, 0, sizeof(cc));
		snprintf(cc.name, sizeof(cc.name), "%s", col[0]);
		snprintf(cc.node, sizeof(cc.node), "%s", col[1]);
		snprintf(cc.aff, sizeof(cc.aff), "%s", col[2]);
		snprintf(cc.env, sizeof(cc.env), "%s", col[3]);
		snprintf(cc.apply, sizeof(cc.apply), "%s", col[4]);
		snprintf(cc.expect, sizeof(cc.expect), "%s", col[7]);
		if (only && strcmp(only, cc.name))
			continue;
		total++;
		if (run_case(&cc, &t, &why)) {
			ok++;
		} else {
			sb_add(&report, "confd: %s differs:\n%s", cc.name,
			       why.s ? why.s : "");
		}
		free(why.s);
	}
	fclose(f);
	if (report.s)
		fputs(report.s, stdout);
	free(report.s);
	printf("confd: %d/%d cases equal\n", ok, total);
	printf("confd files: %d/%d equal\n", t.files_ok, t.files);
	printf("confd routes: %d/%d cases equal\n", t.routes_ok, t.routes);
	if (!only) {
		assert_true(ok >= CONFD_MIN);
		assert_true(t.files_ok >= FILES_MIN);
		assert_true(t.routes_ok >= ROUTES_MIN);
	} else {
		assert_int_equal(ok, total);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_confd_oracle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
