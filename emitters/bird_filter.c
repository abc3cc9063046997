/*
 * BGPFilter -> BIRD functions, as confd writes them into bird.cfg
 * (confd/pkg/resource/template/template_funcs.go BGPFilterBIRDFuncs and
 * filterStatement; the calls in bgp_processor.go buildImportFilter /
 * buildExportFilter).  One function per filter, direction and family that
 * has rules: `'bgp_<name>_importFilterV4'()`, taking `bool is_same_as` when
 * a rule matches on peerType.  Each rule is one line: its match conditions
 * joined by &&, its operations, then accept or reject.  Names longer than
 * 45 characters are cut and suffixed with 16 hex digits of their SHA-256
 * (BIRD symbols are at most 64 characters: TruncateAndHashName).
 */
#include "emitters/bird_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_NAME_MAX 45 /* 64 - strlen("bgp__importFilterV4") */

/* The filter's name as it appears in the BIRD symbol. */
static void
symbol_name(const char *name, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	uint8_t h[32];
	size_t n = strlen(name), keep = FILTER_NAME_MAX - 17, i;

	if (n <= FILTER_NAME_MAX || cap < FILTER_NAME_MAX + 1) {
		snprintf(out, cap, "%s", name);
		return;
	}
	rr_sha256(name, n, h);
	memcpy(out, name, keep);
	out[keep] = '_';
	for (i = 0; i < 8; i++) {
		out[keep + 1 + 2 * i] = hex[h[i] >> 4];
		out[keep + 2 + 2 * i] = hex[h[i] & 15];
	}
	out[FILTER_NAME_MAX] = '\0';
}

/* rules[] index: export v4, import v4, export v6, import v6 */
static size_t
dir_index(bool import, int v)
{
	return (size_t)(import ? 1 : 0) + (v == 6 ? 2 : 0);
}

static bool
has_peer_type(const struct rr_bgpfilter *f, size_t k)
{
	size_t i;
	for (i = 0; i < f->nrules[k]; i++)
		if (f->rules[k][i].peer_type && *f->rules[k][i].peer_type)
			return true;
	return false;
}

/* "a:b" -> "(a, b)", "a:b:c" -> "(a, b, c)"; false if neither. */
static bool
community_tuple(const char *s, char *out, size_t cap, bool *large)
{
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || (c2 && strchr(c2 + 1, ':')))
		return false;
	*large = c2 != NULL;
	if (c2)
		snprintf(out, cap, "(%.*s, %.*s, %s)", (int)(c1 - s), s,
			 (int)(c2 - c1 - 1), c1 + 1, c2 + 1);
	else
		snprintf(out, cap, "(%.*s, %s)", (int)(c1 - s), s, c1 + 1);
	return true;
}

static void
fail(struct bctx *b, const struct rr_bgpfilter_rule *r, const char *what)
{
	rr_diag_add(b->d, RR_SEV_ERROR, NULL, &r->at,
		    "BGPFilter rule %s: confd cannot render it and keeps "
		    "BIRD's previous configuration",
		    what);
	b->rc = -1;
}

static const char *
match_op(const char *op)
{
	static const char *const t[][2] = {
		{"Equal", "="}, {"NotEqual", "!="}, {"In", "~"}, {"NotIn", "!~"},
	};
	size_t i;
	for (i = 0; op && i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(op, t[i][0]))
			return t[i][1];
	return NULL;
}

/* filterMatchCIDR, with filterMatchPrefixLength. */
static bool
cidr_cond(struct bout *o, struct bctx *b, const struct rr_bgpfilter_rule *r)
{
	const char *op = match_op(r->match_operator);
	int32_t lo, hi;
	if (!op) {
		fail(b, r, r->match_operator ? "has an unknown matchOperator"
					     : "has a cidr without "
					       "matchOperator");
		return false;
	}
	if (!r->prefix_length) {
		bput(o, "(net %s %s)", op, r->cidr);
		return true;
	}
	if (!r->cidr_p.addr.af) {
		fail(b, r, "has a cidr that is not a CIDR");
		return false;
	}
	lo = r->cidr_p.len;
	hi = r->cidr_p.addr.af == RR_AF_INET6 ? 128 : 32;
	if (r->prefix_min >= 0 && r->prefix_min > lo)
		lo = r->prefix_min;
	if (r->prefix_max >= 0 && r->prefix_max < hi)
		hi = r->prefix_max;
	bput(o, "(net %s [ %s{%d,%d} ])", op, r->cidr, lo, hi);
	return true;
}

/* One rule: `if (<conditions>) then { <operations> <action>; }`. */
static void
rule_line(struct bout *o, struct bctx *b, const struct rr_bgpfilter_rule *r)
{
	struct bout c = {NULL, 0, 0};
	char t[96];
	bool large, ok = true;
	size_t i, j;

	if (!r->action ||
	    (strcmp(r->action, "Accept") && strcmp(r->action, "Reject"))) {
		fail(b, r, "has no action Accept or Reject");
		return;
	}
#define SEP() (c.n ? bput(&c, "&&") : (void)0)
	if (r->cidr && *r->cidr) {
		SEP();
		ok = cidr_cond(&c, b, r);
	}
	if (ok && r->source && *r->source) {
		SEP();
		bput(&c, "((defined(source))&&(source ~ [ RTS_BGP ]))");
	}
	if (ok && r->interface && *r->interface) {
		SEP();
		bput(&c, "((defined(ifname))&&(ifname ~ \"%s\"))", r->interface);
	}
	if (ok && r->community) {
		if (!community_tuple(r->community, t, sizeof(t), &large)) {
			fail(b, r, "has a community that is not aa:nn or "
				   "aa:nn:mm");
			ok = false;
		} else {
			SEP();
			bput(&c, "(%s ~ %s)", t,
			     large ? "bgp_large_community" : "bgp_community");
		}
	}
	if (ok && r->nas_path_prefix) {
		SEP();
		bput(&c, "(bgp_path ~ [=");
		for (i = 0; i < r->nas_path_prefix; i++)
			bput(&c, " %u", r->as_path_prefix[i]);
		bput(&c, " * =])");
	}
	if (ok && r->priority.set) {
		SEP();
		bput(&c, "(defined(bgp_local_pref)&&(bgp_local_pref = %u))",
		     BIRD_INT_MAX - r->priority.v);
	}
#undef SEP
	if (!ok) {
		free(c.p);
		return;
	}
	bput(o, "  ");
	if (r->peer_type && !strcmp(r->peer_type, "iBGP"))
		bput(o, "if (is_same_as) then { ");
	else if (r->peer_type && !strcmp(r->peer_type, "eBGP"))
		bput(o, "if (!is_same_as) then { ");
	if (c.n)
		bput(o, "if (%s) then { ", c.p);
	for (i = 0; i < r->nops; i++) {
		const struct rr_bgpfilter_op *op = &r->ops[i];
		if (op->kind == RR_BFOP_ADD_COMMUNITY &&
		    community_tuple(op->community, t, sizeof(t), &large))
			bput(o, "%s.add(%s); ",
			     large ? "bgp_large_community" : "bgp_community",
			     t);
		else if (op->kind == RR_BFOP_PREPEND_AS_PATH)
			for (j = op->nasns; j-- > 0;)
				bput(o, "bgp_path.prepend(%u); ", op->asns[j]);
		else if (op->kind == RR_BFOP_SET_PRIORITY)
			bput(o, "bgp_local_pref = %u; ",
			     BIRD_INT_MAX - op->priority);
	}
	bput(o, "%s;", r->action[0] == 'A' ? "accept" : "reject");
	if (c.n)
		bput(o, " }");
	if (r->peer_type &&
	    (!strcmp(r->peer_type, "iBGP") || !strcmp(r->peer_type, "eBGP")))
		bput(o, " }");
	bput(o, "\n");
	free(c.p);
}

static int
cmp_filter(const void *a, const void *b)
{
	return strcmp((*(const struct rr_bgpfilter *const *)a)->meta.name,
		      (*(const struct rr_bgpfilter *const *)b)->meta.name);
}

void
bird_filter_functions(struct bout *o, struct bctx *b)
{
	const struct rr_calico *c = &b->m->calico;
	const struct rr_bgpfilter **v;
	size_t i, n = 0, lines = 0, d, k;
	char sym[FILTER_NAME_MAX + 1];

	v = rr_xcalloc(c->nbgpfilters ? c->nbgpfilters : 1, sizeof(*v));
	for (i = 0; i < c->nbgpfilters; i++)
		if (c->bgpfilters[i].meta.name)
			v[n++] = &c->bgpfilters[i];
	qsort(v, n, sizeof(*v), cmp_filter);
	for (i = 0; i < n; i++) {
		const struct rr_bgpfilter *f = v[i];
		if (!f->nrules[dir_index(true, b->v)] &&
		    !f->nrules[dir_index(false, b->v)])
			continue;
		bput(o, "# v%d BGPFilter %s\n", b->v, f->meta.name);
		lines++;
		symbol_name(f->meta.name, sym, sizeof(sym));
		for (d = 0; d < 2; d++) {
			bool import = d == 0;
			size_t x = dir_index(import, b->v);
			if (!f->nrules[x])
				continue;
			bput(o, "function 'bgp_%s_%sFilterV%d'(%s) {\n", sym,
			     import ? "import" : "export", b->v,
			     has_peer_type(f, x) ? "bool is_same_as" : "");
			for (k = 0; k < f->nrules[x]; k++)
				rule_line(o, b, &f->rules[x][k]);
			bput(o, "}\n");
		}
	}
	if (!lines)
		bput(o, "# No v%d BGPFilters configured\n", b->v);
	free(v);
}

void
bird_filter_calls(struct bout *o, const struct bctx *b,
		  const struct rr_neighbor *nb, bool import)
{
	char sym[FILTER_NAME_MAX + 1];
	size_t i, x = dir_index(import, b->v);

	for (i = 0; i < nb->nfilters; i++) {
		const struct rr_bgpfilter *f = rr_calico_filter(&b->m->calico, nb->filters[i]);
		if (!f || !f->nrules[x])
			continue;
		symbol_name(f->meta.name, sym, sizeof(sym));
		bput(o, "    'bgp_%s_%sFilterV%d'(%s);\n", sym,
		     import ? "import" : "export", b->v,
		     has_peer_type(f, x)
			     ? (nb->export_internal ? "true" : "false")
			     : "");
	}
}
