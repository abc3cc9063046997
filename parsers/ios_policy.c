/*
 * parsers/ios_policy.c: IOS route policy objects into the model —
 * `route-map NAME [permit|deny] [SEQ]` with its match / set lines,
 * `ip|ipv6 prefix-list`, `ip as-path access-list`, `ip community-list`
 * (Cisco IOS IP Routing: BGP Command Reference).  Evaluation is in
 * model/policy.c; this file only records what was written, with
 * locations.
 *
 * IOS regular expressions (as-path and expanded community lists) are
 * compiled here with pcre2, the one library allowed to do it (pcre2
 * only in parsers/, tools/check-deps.sh).  The compiled code, its match data and a match
 * context with bounded limits live in the model's arena through a pcre2
 * general context whose allocator is the arena, so freeing the model frees
 * them; the model exposes only a function pointer (struct rr_regex.match),
 * which keeps the analysis and the simulator libc-only.  IOS's `_` becomes
 * `(?:^|$|[ ,{}()])` and braces are literal (IOS has no {m,n}).
 */
#include "parsers/ios_priv.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ----------------------------------------------------------- regex */

static void *
arena_malloc(size_t n, void *data)
{
	return rr_arena_alloc(data, n ? n : 1);
}

static void
arena_free(void *p, void *data)
{
	(void)p; /* the arena frees everything with the model */
	(void)data;
}

static int
regex_match(const struct rr_regex *re, const char *s, size_t n)
{
	int rc = pcre2_match((const pcre2_code *)re->code, (PCRE2_SPTR)s, n, 0,
	                     0, (pcre2_match_data *)re->data,
	                     (pcre2_match_context *)re->mctx);

	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

/* IOS regex -> PCRE2 (NUL-terminated, in the arena). */
static const char *
translate(struct rr_arena *a, const char *s)
{
	static const char us[] = "(?:^|$|[ ,{}()])";
	size_t n = strlen(s), o = 0;
	char *out = rr_arena_alloc(a, n * (sizeof(us) - 1) + 1);
	bool cls = false;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			out[o++] = *s++;
			out[o++] = *s;
		} else if (cls) {
			out[o++] = *s;
			if (*s == ']')
				cls = false;
		} else if (*s == '[') {
			out[o++] = *s;
			cls = true;
			if (s[1] == '^')
				out[o++] = *++s;
			if (s[1] == ']')
				out[o++] = *++s; /* a leading ] is literal */
		} else if (*s == '_') {
			memcpy(out + o, us, sizeof(us) - 1);
			o += sizeof(us) - 1;
		} else if (*s == '{' || *s == '}') {
			out[o++] = '\\';
			out[o++] = *s;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
	return out;
}

static void
regex_contexts(struct ios_ctx *c)
{
	pcre2_general_context *g;

	if (c->re_gctx)
		return;
	g = pcre2_general_context_create(arena_malloc, arena_free,
	                                 &c->m->arena);
	if (!g)
		rr_oom();
	c->re_gctx = g;
	c->re_cctx = pcre2_compile_context_create(g);
	c->re_mctx = pcre2_match_context_create(g);
	if (!c->re_cctx || !c->re_mctx)
		rr_oom();
	/* hostile patterns end as "undecided", never as a hang */
	pcre2_set_match_limit(c->re_mctx, 200000);
	pcre2_set_depth_limit(c->re_mctx, 10000);
	pcre2_set_heap_limit(c->re_mctx, 4096); /* KiB */
	pcre2_set_max_pattern_length(c->re_cctx, 4096);
}

/* Compile the rest of the line from word w into re; error at w. */
static void
regex_compile(struct ios_ctx *c, size_t w, struct rr_regex *re)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code;

	re->text = ios_rest(c, w);
	re->pcre = translate(&c->m->arena, re->text);
	regex_contexts(c);
	code = pcre2_compile((PCRE2_SPTR)re->pcre, PCRE2_ZERO_TERMINATED, 0,
	                     &err, &off, c->re_cctx);
	if (!code) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(err, msg, sizeof(msg));
		ios_error(c, w, "invalid regular expression '%.80s': %s",
		          re->text, (const char *)msg);
		re->pcre = NULL;
		return;
	}
	re->code = code;
	re->data = pcre2_match_data_create_from_pattern(code, c->re_gctx);
	if (!re->data)
		rr_oom();
	re->mctx = c->re_mctx;
	re->match = regex_match;
}

/* ------------------------------------------------------ small parts */

static int
permit_deny(struct ios_ctx *c, size_t w, bool *permit)
{
	if (ios_kw(&c->ln, w, "permit"))
		*permit = true;
	else if (ios_kw(&c->ln, w, "deny"))
		*permit = false;
	else {
		ios_error(c, w, "expected 'permit' or 'deny'");
		return -1;
	}
	return 0;
}

static const char *
mstr(struct ios_ctx *c, size_t w)
{
	return rr_arena_strdup(&c->m->arena, c->ln.w[w].s);
}

/* -------------------------------------------------------- route-map */

static struct rr_route_map *
rm_get(struct ios_ctx *c, const char *name)
{
	struct rr_speaker *s = c->s;
	struct rr_route_map *rm;
	size_t i;

	for (i = 0; i < s->nroute_maps; i++)
		if (!strcmp(s->route_maps[i].name, name))
			return &s->route_maps[i];
	rm = RR_PUSH(&c->m->arena, s->route_maps, s->nroute_maps, s->caprm);
	rm->name = rr_arena_strdup(&c->m->arena, name);
	rm->at = ios_wloc(c, 0);
	return rm;
}

static struct rr_rm_entry *
rm_cur(struct ios_ctx *c)
{
	return &c->s->route_maps[c->rm].v[c->rm_entry];
}

/* route-map NAME [permit|deny] [SEQ]: enter (or re-enter) one entry. */
void
ios_route_map_enter(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	struct rr_route_map *rm;
	struct rr_rm_entry *e;
	bool permit = true;
	uint32_t seq = 10;
	size_t w = 2, i;

	c->mode = IOS_M_SKIP;
	if (l->n < 2) {
		ios_error(c, 1, "missing route-map name");
		return;
	}
	if (ios_kw(l, 2, "permit") || ios_kw(l, 2, "deny")) {
		permit = ios_kw(l, 2, "permit");
		w = 3;
	}
	if (w < l->n && ios_u32(c, w, 65535, "sequence number", &seq) < 0)
		return;
	rm = rm_get(c, l->w[1].s);
	c->rm = (size_t)(rm - c->s->route_maps);
	for (i = 0; i < rm->n; i++)
		if (rm->v[i].seq == seq)
			break;
	if (i == rm->n) {
		e = RR_PUSH(&c->m->arena, rm->v, rm->n, rm->cap);
		e->seq = seq;
		e->at = ios_wloc(c, 0);
	}
	e = &rm->v[i];
	e->permit = permit;
	c->rm_entry = i;
	c->mode = IOS_M_RMAP;
}

/* Words w.. as list names of a match clause. */
static void
match_names(struct ios_ctx *c, struct rr_rm_match *m, size_t w)
{
	for (; w < c->ln.n; w++) {
		if (m->kind == RR_RM_MATCH_COMMUNITY &&
		    ios_kw(&c->ln, w, "exact-match")) {
			m->exact = true;
			continue;
		}
		*RR_PUSH(&c->m->arena, m->names, m->nnames, m->capn) =
		        mstr(c, w);
	}
}

/* A clause of the same kind adds names to it, as IOS merges them. */
static struct rr_rm_match *
match_of(struct ios_ctx *c, enum rr_rm_match_kind k)
{
	struct rr_rm_entry *e = rm_cur(c);
	struct rr_rm_match *m;
	size_t i;

	for (i = 0; k != RR_RM_MATCH_OTHER && i < e->nmatches; i++)
		if (e->matches[i].kind == k)
			return &e->matches[i];
	m = RR_PUSH(&c->m->arena, e->matches, e->nmatches, e->capm);
	m->kind = k;
	m->at = ios_wloc(c, 0);
	m->text = ios_rest(c, 1);
	return m;
}

static void
rm_match(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	struct rr_rm_match *m;
	size_t w;

	if (l->n < 2) {
		ios_error(c, 1, "incomplete command 'match'");
		return;
	}
	if ((ios_kw(l, 1, "ip") || ios_kw(l, 1, "ipv6")) &&
	    ios_kw(l, 2, "address") && ios_kw(l, 3, "prefix-list")) {
		w = 4;
		m = match_of(c, RR_RM_MATCH_PREFIX_LIST);
		m->ipv6 = ios_kw(l, 1, "ipv6");
	} else if (ios_kw(l, 1, "as-path")) {
		w = 2;
		m = match_of(c, RR_RM_MATCH_AS_PATH);
	} else if (ios_kw(l, 1, "community")) {
		w = 2;
		m = match_of(c, RR_RM_MATCH_COMMUNITY);
	} else {
		match_of(c, RR_RM_MATCH_OTHER); /* ACLs, next-hop, tags... */
		return;
	}
	if (w >= l->n) {
		ios_error(c, w, "missing list name");
		rm_cur(c)->nmatches--;
		return;
	}
	match_names(c, m, w);
}

static struct rr_rm_set *
set_new(struct ios_ctx *c, enum rr_rm_set_kind k)
{
	struct rr_rm_entry *e = rm_cur(c);
	struct rr_rm_set *st;
	size_t i;

	/* the same set command again replaces the earlier one */
	for (i = 0; k != RR_RM_SET_OTHER && i < e->nsets; i++)
		if (e->sets[i].kind == k) {
			memset(&e->sets[i], 0, sizeof(e->sets[i]));
			st = &e->sets[i];
			goto init;
		}
	st = RR_PUSH(&c->m->arena, e->sets, e->nsets, e->caps);
init:
	st->kind = k;
	st->at = ios_wloc(c, 0);
	st->text = ios_rest(c, 1);
	return st;
}

/* A community value AA:NN, a number, or a well-known name. */
int
ios_community(const char *s, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t v;
	} wk[] = {
	        {"no-export", RR_COMM_NO_EXPORT},
	        {"no-advertise", RR_COMM_NO_ADVERTISE},
	        {"local-as", RR_COMM_LOCAL_AS},
	        {"gshut", RR_COMM_GSHUT},
	};
	const char *colon = strchr(s, ':');
	char *end;
	unsigned long a, b;
	size_t i;

	for (i = 0; i < sizeof(wk) / sizeof(wk[0]); i++)
		if (!strcasecmp(s, wk[i].name)) {
			*out = wk[i].v;
			return 0;
		}
	if (!*s || *s < '0' || *s > '9')
		return -1;
	a = strtoul(s, &end, 10);
	if (colon) {
		if (end != colon || colon[1] < '0' || colon[1] > '9' ||
		    a > 65535)
			return -1;
		b = strtoul(colon + 1, &end, 10);
		if (*end || b > 65535)
			return -1;
		*out = (uint32_t)(a << 16 | b);
		return 0;
	}
	if (*end || a > 4294967295ul || strlen(s) > 10)
		return -1;
	*out = (uint32_t)a;
	return 0;
}

static void
set_community(struct ios_ctx *c, struct rr_rm_set *st, size_t w)
{
	const struct ios_line *l = &c->ln;
	uint32_t v;

	if (ios_kw(l, w, "none") && w + 1 == l->n) {
		st->none = true;
		return;
	}
	for (; w < l->n; w++) {
		if (ios_kw(l, w, "additive")) {
			st->additive = true;
			continue;
		}
		if (ios_community(l->w[w].s, &v) < 0) {
			ios_error(c, w, "invalid community '%.40s'",
			          l->w[w].s);
			st->kind = RR_RM_SET_OTHER;
			return;
		}
		*RR_PUSH(&c->m->arena, st->list, st->nlist, st->caplist) = v;
	}
}

static void
set_prepend(struct ios_ctx *c, struct rr_rm_set *st, size_t w)
{
	const struct ios_line *l = &c->ln;
	uint32_t asn;

	if (ios_kw(l, w, "last-as")) {
		st->last_as = true;
		if (ios_u32(c, w + 1, 10, "count", &st->v) < 0)
			st->kind = RR_RM_SET_OTHER;
		return;
	}
	if (w >= l->n) {
		ios_error(c, w, "missing AS number");
		st->kind = RR_RM_SET_OTHER;
		return;
	}
	for (; w < l->n; w++) {
		if (ios_asn(c, w, &asn) < 0) {
			st->kind = RR_RM_SET_OTHER;
			return;
		}
		*RR_PUSH(&c->m->arena, st->list, st->nlist, st->caplist) = asn;
	}
}

static void
set_metric(struct ios_ctx *c, struct rr_rm_set *st)
{
	const char *s = c->ln.n > 2 ? c->ln.w[2].s : "";
	char *end;
	unsigned long v;

	if (*s == '+' || *s == '-') {
		st->delta = *s == '+' ? 1 : -1;
		s++;
	}
	v = strtoul(s, &end, 10);
	if (!*s || *end || v > 4294967295ul || strlen(s) > 10) {
		ios_error(c, 2, "invalid metric '%.40s'",
		          c->ln.n > 2 ? c->ln.w[2].s : "");
		st->kind = RR_RM_SET_OTHER;
		return;
	}
	st->v = (uint32_t)v;
}

static void
set_next_hop(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	struct rr_rm_set *st;

	if (ios_kw(l, 3, "peer-address")) {
		set_new(c, RR_RM_SET_NEXT_HOP_PEER);
	} else if (ios_kw(l, 3, "self")) {
		set_new(c, RR_RM_SET_NEXT_HOP_SELF);
	} else if (l->n == 4 && strchr(l->w[3].s, '.')) {
		st = set_new(c, RR_RM_SET_NEXT_HOP);
		if (rr_addr_parse(l->w[3].s, &st->nh) < 0 ||
		    st->nh.af != RR_AF_INET) {
			ios_error(c, 3, "invalid next hop '%.60s'", l->w[3].s);
			st->kind = RR_RM_SET_OTHER;
		}
	} else {
		set_new(c, RR_RM_SET_OTHER); /* several hops, verify-... */
	}
}

static void
rm_set(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	struct rr_rm_set *st;

	if (l->n < 2) {
		ios_error(c, 1, "incomplete command 'set'");
		return;
	}
	if (ios_kw(l, 1, "local-preference")) {
		st = set_new(c, RR_RM_SET_LOCAL_PREF);
		if (ios_u32(c, 2, 4294967295u, "local preference", &st->v) < 0)
			st->kind = RR_RM_SET_OTHER;
	} else if (ios_kw(l, 1, "weight")) {
		st = set_new(c, RR_RM_SET_WEIGHT);
		if (ios_u32(c, 2, 65535, "weight", &st->v) < 0)
			st->kind = RR_RM_SET_OTHER;
	} else if (ios_kw(l, 1, "metric") && l->n == 3) {
		set_metric(c, set_new(c, RR_RM_SET_METRIC));
	} else if (ios_kw(l, 1, "ip") && ios_kw(l, 2, "next-hop")) {
		set_next_hop(c);
	} else if (ios_kw(l, 1, "community")) {
		set_community(c, set_new(c, RR_RM_SET_COMMUNITY), 2);
	} else if (ios_kw(l, 1, "comm-list") && ios_kw(l, 3, "delete")) {
		st = set_new(c, RR_RM_SET_COMM_DELETE);
		st->name = mstr(c, 2);
	} else if (ios_kw(l, 1, "as-path") && ios_kw(l, 2, "prepend")) {
		set_prepend(c, set_new(c, RR_RM_SET_PREPEND), 3);
	} else if (ios_kw(l, 1, "origin") &&
	           (ios_kw(l, 2, "igp") || ios_kw(l, 2, "egp") ||
	            ios_kw(l, 2, "incomplete"))) {
		st = set_new(c, RR_RM_SET_ORIGIN);
		st->v = ios_kw(l, 2, "igp") ? 0 : ios_kw(l, 2, "egp") ? 1 : 2;
	} else {
		set_new(c, RR_RM_SET_OTHER);
	}
}

/* A line inside a route-map entry; false: not a route-map command. */
bool
ios_route_map_line(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;

	if (ios_kw(l, 0, "match"))
		rm_match(c);
	else if (ios_kw(l, 0, "set"))
		rm_set(c);
	else if (ios_kw(l, 0, "continue"))
		rm_cur(c)->has_continue = true;
	else if (ios_kw(l, 0, "description"))
		;
	else if (ios_kw(l, 0, "exit") && l->n == 1)
		c->mode = IOS_M_TOP;
	else if (ios_kw(l, 0, "no") && l->indent > 0)
		; /* removing a clause: not modelled */
	else if (l->indent > 0)
		ios_warn(c, 0, "unknown command '%.40s' under 'route-map %s'",
		         l->w[0].s, c->s->route_maps[c->rm].name);
	else
		return false;
	return true;
}

/* ------------------------------------------------------ prefix-list */

/* [ip|ipv6] prefix-list NAME [seq N] permit|deny P [ge G] [le L];
 * `b` is the index of `prefix-list`. */
void
ios_prefix_list(struct ios_ctx *c, size_t b, uint8_t af)
{
	const struct ios_line *l = &c->ln;
	struct rr_speaker *s = c->s;
	struct rr_prefix_list *pl = NULL;
	struct rr_pl_entry e, *slot;
	struct rr_prefix masked;
	uint32_t seq = 0, v;
	uint8_t full = af == RR_AF_INET6 ? 128 : 32;
	size_t w = b + 2, i;
	int rc;

	c->mode = IOS_M_SKIP;
	if (b + 1 >= l->n) {
		ios_error(c, b + 1, "missing prefix-list name");
		return;
	}
	if (ios_kw(l, b + 1, "sequence-number") ||
	    ios_kw(l, w, "description"))
		return;
	memset(&e, 0, sizeof(e));
	e.at = ios_wloc(c, 0);
	if (ios_kw(l, w, "seq")) {
		if (ios_u32(c, w + 1, 4294967294u, "sequence number", &seq) < 0)
			return;
		w += 2;
	}
	if (permit_deny(c, w, &e.permit) < 0)
		return;
	w++;
	rc = w < l->n ? rr_prefix_parse(l->w[w].s, &e.p, false) : -1;
	if (rc < 0 || e.p.addr.af != af || !strchr(l->w[w].s, '/')) {
		ios_error(c, w, "invalid prefix '%.60s'",
		          w < l->n ? l->w[w].s : "");
		return;
	}
	masked = rr_prefix_masked(&e.p);
	if (!rr_addr_eq(&masked.addr, &e.p.addr))
		ios_warn(c, w, "prefix '%.60s' has host bits set (IOS clears "
		         "them)", l->w[w].s);
	e.p = masked;
	for (w++; w < l->n; w += 2) {
		bool ge = ios_kw(l, w, "ge");
		if (!ge && !ios_kw(l, w, "le")) {
			ios_error(c, w, "expected 'ge' or 'le'");
			return;
		}
		if (ios_u32(c, w + 1, full, ge ? "ge length" : "le length",
		            &v) < 0)
			return;
		if (ge)
			e.ge = (uint8_t)v;
		else
			e.le = (uint8_t)v;
	}
	/* IOS: len < ge <= le <= full, else "% Invalid prefix range" */
	if ((e.ge && e.ge <= e.p.len) || (e.le && e.le <= e.p.len) ||
	    (e.ge && e.le && e.ge > e.le)) {
		ios_error(c, b + 1, "invalid prefix range: IOS needs length < "
		          "ge <= le");
		return;
	}
	for (i = 0; i < s->nprefix_lists; i++)
		if (s->prefix_lists[i].af == af &&
		    !strcmp(s->prefix_lists[i].name, l->w[b + 1].s))
			pl = &s->prefix_lists[i];
	if (!pl) {
		pl = RR_PUSH(&c->m->arena, s->prefix_lists, s->nprefix_lists,
		             s->cappl);
		pl->name = mstr(c, b + 1);
		pl->af = af;
		pl->at = ios_wloc(c, 0);
	}
	if (!seq) { /* IOS numbers from the highest + 5 */
		for (i = 0; i < pl->n; i++)
			if (pl->v[i].seq > seq)
				seq = pl->v[i].seq;
		seq += 5;
	}
	for (i = 0; i < pl->n; i++)
		if (pl->v[i].seq == seq) {
			ios_error(c, b + 1, "duplicate sequence number %u in "
			          "prefix-list '%s'", (unsigned)seq, pl->name);
			return;
		}
	e.seq = seq;
	slot = RR_PUSH(&c->m->arena, pl->v, pl->n, pl->cap);
	*slot = e;
}

/* ---------------------------------------------- as-path, community */

/* ip as-path access-list N permit|deny REGEX; b is `as-path`. */
void
ios_aspath_list(struct ios_ctx *c, size_t b)
{
	const struct ios_line *l = &c->ln;
	struct rr_speaker *s = c->s;
	struct rr_aspath_list *al = NULL;
	struct rr_aspath_entry *e;
	bool permit;
	size_t i;

	c->mode = IOS_M_SKIP;
	if (!ios_kw(l, b + 1, "access-list") || b + 2 >= l->n) {
		ios_error(c, b + 1, "expected 'access-list NAME'");
		return;
	}
	if (permit_deny(c, b + 3, &permit) < 0)
		return;
	if (b + 4 >= l->n) {
		ios_error(c, b + 4, "missing regular expression");
		return;
	}
	for (i = 0; i < s->naspath_lists; i++)
		if (!strcmp(s->aspath_lists[i].name, l->w[b + 2].s))
			al = &s->aspath_lists[i];
	if (!al) {
		al = RR_PUSH(&c->m->arena, s->aspath_lists, s->naspath_lists,
		             s->capal);
		al->name = mstr(c, b + 2);
		al->at = ios_wloc(c, 0);
	}
	e = RR_PUSH(&c->m->arena, al->v, al->n, al->cap);
	e->permit = permit;
	e->at = ios_wloc(c, 0);
	regex_compile(c, b + 4, &e->re);
}

/* Numbered lists: 1-99 standard, 100-500 expanded. */
static int
comm_list_kind(struct ios_ctx *c, size_t w, bool *expanded, size_t *name)
{
	const struct ios_line *l = &c->ln;
	uint32_t n;

	if (ios_kw(l, w, "standard") || ios_kw(l, w, "expanded")) {
		*expanded = ios_kw(l, w, "expanded");
		if (w + 1 >= l->n) {
			ios_error(c, w + 1, "missing community-list name");
			return -1;
		}
		*name = w + 1;
		return 0;
	}
	if (ios_u32(c, w, 500, "community-list number", &n) < 0)
		return -1;
	if (n == 0) {
		ios_error(c, w, "invalid community-list number '0' (1 to 500)");
		return -1;
	}
	*expanded = n >= 100;
	*name = w;
	return 0;
}

/* ip community-list N|standard NAME|expanded NAME permit|deny ...;
 * b is `community-list`. */
void
ios_community_list(struct ios_ctx *c, size_t b)
{
	const struct ios_line *l = &c->ln;
	struct rr_speaker *s = c->s;
	struct rr_community_list *cl = NULL;
	struct rr_comm_entry *e;
	bool expanded, permit;
	size_t nw, w, i;
	uint32_t v;

	c->mode = IOS_M_SKIP;
	if (comm_list_kind(c, b + 1, &expanded, &nw) < 0 ||
	    permit_deny(c, nw + 1, &permit) < 0)
		return;
	for (i = 0; i < s->ncommunity_lists; i++)
		if (!strcmp(s->community_lists[i].name, l->w[nw].s))
			cl = &s->community_lists[i];
	if (cl && cl->expanded != expanded) {
		ios_error(c, nw, "community-list '%s' is already %s",
		          cl->name, cl->expanded ? "expanded" : "standard");
		return;
	}
	if (!cl) {
		cl = RR_PUSH(&c->m->arena, s->community_lists,
		             s->ncommunity_lists, s->capcl);
		cl->name = mstr(c, nw);
		cl->expanded = expanded;
		cl->at = ios_wloc(c, 0);
	}
	e = RR_PUSH(&c->m->arena, cl->v, cl->n, cl->cap);
	e->permit = permit;
	e->at = ios_wloc(c, 0);
	if (expanded) {
		if (nw + 2 >= l->n) {
			ios_error(c, nw + 2, "missing regular expression");
			cl->n--;
			return;
		}
		regex_compile(c, nw + 2, &e->re);
		return;
	}
	for (w = nw + 2; w < l->n; w++) {
		if (ios_kw(l, w, "internet")) {
			e->any = true;
			continue;
		}
		if (ios_community(l->w[w].s, &v) < 0) {
			ios_error(c, w, "invalid community '%.40s'", l->w[w].s);
			cl->n--;
			return;
		}
		*RR_PUSH(&c->m->arena, e->comms, e->ncomms, e->capc) = v;
	}
	if (!e->any && !e->ncomms) {
		ios_error(c, nw + 2, "missing community");
		cl->n--;
	}
}

/* ------------------------------------------------------------ end */

static int
cmp_pl(const void *a, const void *b)
{
	const struct rr_pl_entry *x = a, *y = b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
cmp_rm(const void *a, const void *b)
{
	const struct rr_rm_entry *x = a, *y = b;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Entries in sequence order (sequence numbers are unique per list). */
void
ios_policy_finish(struct ios_ctx *c)
{
	struct rr_speaker *s = c->s;
	size_t i;

	for (i = 0; i < s->nprefix_lists; i++)
		if (s->prefix_lists[i].n > 1)
			qsort(s->prefix_lists[i].v, s->prefix_lists[i].n,
			      sizeof(s->prefix_lists[i].v[0]), cmp_pl);
	for (i = 0; i < s->nroute_maps; i++)
		if (s->route_maps[i].n > 1)
			qsort(s->route_maps[i].v, s->route_maps[i].n,
			      sizeof(s->route_maps[i].v[0]), cmp_rm);
}
