/*
 * IOS route policy evaluation: prefix-lists, as-path access-lists,
 * community-lists and route-maps applied to one route, as IOS applies them
 * (Cisco IOS IP Routing: BGP Command Reference, `route-map`, `ip
 * prefix-list`, `ip as-path access-list`, `ip community-list`).  libc only:
 * regular expressions are matched through the function pointer the IOS
 * parser set in each struct rr_regex, so the analysis and the simulator
 * call this file without linking pcre2.
 */
#include "model/model.h"

#include <stdio.h>
#include <string.h>

const struct rr_route_map *
rr_route_map_find(const struct rr_speaker *s, const char *name)
{
	size_t i;

	for (i = 0; name && i < s->nroute_maps; i++)
		if (!strcmp(s->route_maps[i].name, name))
			return &s->route_maps[i];
	return NULL;
}

const struct rr_prefix_list *
rr_prefix_list_find(const struct rr_speaker *s, const char *name, uint8_t af)
{
	size_t i;

	for (i = 0; name && i < s->nprefix_lists; i++)
		if (s->prefix_lists[i].af == af &&
		    !strcmp(s->prefix_lists[i].name, name))
			return &s->prefix_lists[i];
	return NULL;
}

const struct rr_aspath_list *
rr_aspath_list_find(const struct rr_speaker *s, const char *name)
{
	size_t i;

	for (i = 0; name && i < s->naspath_lists; i++)
		if (!strcmp(s->aspath_lists[i].name, name))
			return &s->aspath_lists[i];
	return NULL;
}

const struct rr_community_list *
rr_community_list_find(const struct rr_speaker *s, const char *name)
{
	size_t i;

	for (i = 0; name && i < s->ncommunity_lists; i++)
		if (!strcmp(s->community_lists[i].name, name))
			return &s->community_lists[i];
	return NULL;
}

/* ------------------------------------------------------ prefix-list */

static bool
pl_entry_matches(const struct rr_pl_entry *e, const struct rr_prefix *p)
{
	uint8_t full = p->addr.af == RR_AF_INET6 ? 128 : 32;
	uint8_t lo, hi;

	if (p->addr.af != e->p.addr.af || p->len < e->p.len ||
	    !rr_prefix_contains(&e->p, &p->addr))
		return false;
	if (!e->ge && !e->le)
		return p->len == e->p.len;
	lo = e->ge ? e->ge : e->p.len;
	hi = e->le ? e->le : full;
	return p->len >= lo && p->len <= hi;
}

/* An empty or undefined prefix-list permits every prefix (`ip
 * prefix-list` usage guidelines); otherwise the implicit last entry
 * denies. */
enum rr_policy_verdict
rr_prefix_list_eval(const struct rr_prefix_list *l, const struct rr_prefix *p)
{
	size_t i;

	if (!l || !l->n)
		return RR_POLICY_PERMIT;
	for (i = 0; i < l->n; i++)
		if (pl_entry_matches(&l->v[i], p))
			return l->v[i].permit ? RR_POLICY_PERMIT
			                      : RR_POLICY_DENY;
	return RR_POLICY_DENY;
}

/* ------------------------------------------------ as-path, community */

static int
re_match(const struct rr_regex *re, const char *s)
{
	if (!re->match || !re->code)
		return -1;
	return re->match(re, s, strlen(s));
}

enum rr_policy_verdict
rr_aspath_list_eval(const struct rr_aspath_list *l, const char *aspath)
{
	size_t i;

	if (!l)
		return RR_POLICY_UNKNOWN;
	for (i = 0; i < l->n; i++) {
		int r = re_match(&l->v[i].re, aspath ? aspath : "");
		if (r < 0)
			return RR_POLICY_UNKNOWN;
		if (r)
			return l->v[i].permit ? RR_POLICY_PERMIT
			                      : RR_POLICY_DENY;
	}
	return RR_POLICY_DENY;
}

static bool
has_comm(const uint32_t *c, size_t n, uint32_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i] == v)
			return true;
	return false;
}

/* The communities as IOS shows them: "AA:NN" with new-format, else the
 * 32-bit number; well-known ones by name.  Separated by one blank. */
static const char *
comm_text(char *buf, size_t cap, const uint32_t *c, size_t n, bool nf)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < n && o + 24 < cap; i++) {
		const char *wk = c[i] == RR_COMM_NO_EXPORT      ? "no-export"
		                 : c[i] == RR_COMM_NO_ADVERTISE ? "no-advertise"
		                 : c[i] == RR_COMM_LOCAL_AS     ? "local-AS"
		                                                : NULL;
		int k;
		if (wk)
			k = snprintf(buf + o, cap - o, "%s%s", i ? " " : "", wk);
		else if (nf)
			k = snprintf(buf + o, cap - o, "%s%u:%u", i ? " " : "",
			             (unsigned)(c[i] >> 16),
			             (unsigned)(c[i] & 0xffff));
		else
			k = snprintf(buf + o, cap - o, "%s%u", i ? " " : "",
			             (unsigned)c[i]);
		if (k < 0)
			break;
		o += (size_t)k;
	}
	return buf;
}

enum rr_policy_verdict
rr_community_list_eval(const struct rr_community_list *l, const uint32_t *c,
                       size_t n, bool new_format)
{
	char text[4096];
	size_t i, k;

	if (!l)
		return RR_POLICY_UNKNOWN;
	if (l->expanded)
		comm_text(text, sizeof(text), c, n, new_format);
	for (i = 0; i < l->n; i++) {
		const struct rr_comm_entry *e = &l->v[i];
		bool hit;
		if (l->expanded) {
			int r = re_match(&e->re, text);
			if (r < 0)
				return RR_POLICY_UNKNOWN;
			hit = r > 0;
		} else {
			hit = true;
			for (k = 0; k < e->ncomms && hit; k++)
				hit = has_comm(c, n, e->comms[k]);
			hit = hit && (e->any || e->ncomms);
		}
		if (hit)
			return e->permit ? RR_POLICY_PERMIT : RR_POLICY_DENY;
	}
	return RR_POLICY_DENY;
}

/* ------------------------------------------------------- route-map */

/* `match community L exact-match`: the route's communities are exactly
 * the ones the permitting standard entry lists. */
static enum rr_policy_verdict
comm_exact(const struct rr_community_list *l, const uint32_t *c, size_t n)
{
	size_t i, k;

	if (!l || l->expanded)
		return RR_POLICY_UNKNOWN;
	for (i = 0; i < l->n; i++) {
		const struct rr_comm_entry *e = &l->v[i];
		bool hit = e->ncomms == n;
		for (k = 0; k < e->ncomms && hit; k++)
			hit = has_comm(c, n, e->comms[k]);
		if (hit && n)
			return e->permit ? RR_POLICY_PERMIT : RR_POLICY_DENY;
	}
	return RR_POLICY_DENY;
}

/* One match clause: PERMIT when any list named matches the route. */
static enum rr_policy_verdict
match_one(const struct rr_speaker *s, const struct rr_rm_match *m,
          const struct rr_route_facts *r)
{
	bool unknown = false;
	size_t i;

	if (m->kind == RR_RM_MATCH_OTHER)
		return RR_POLICY_UNKNOWN;
	for (i = 0; i < m->nnames; i++) {
		enum rr_policy_verdict v = RR_POLICY_DENY;
		switch (m->kind) {
		case RR_RM_MATCH_PREFIX_LIST:
			v = rr_prefix_list_eval(
			        rr_prefix_list_find(s, m->names[i],
			                            r->prefix.addr.af),
			        &r->prefix);
			break;
		case RR_RM_MATCH_AS_PATH:
			v = rr_aspath_list_eval(
			        rr_aspath_list_find(s, m->names[i]), r->aspath);
			break;
		case RR_RM_MATCH_COMMUNITY: {
			const struct rr_community_list *l =
			        rr_community_list_find(s, m->names[i]);
			v = m->exact ? comm_exact(l, r->comms, r->ncomms)
			             : rr_community_list_eval(
			                       l, r->comms, r->ncomms,
			                       s->community_new_format);
			break;
		}
		case RR_RM_MATCH_OTHER:
			break;
		}
		if (v == RR_POLICY_PERMIT)
			return RR_POLICY_PERMIT;
		if (v == RR_POLICY_UNKNOWN)
			unknown = true;
	}
	return unknown ? RR_POLICY_UNKNOWN : RR_POLICY_DENY;
}

enum rr_policy_verdict
rr_route_map_eval(const struct rr_speaker *s, const struct rr_route_map *rm,
                  const struct rr_route_facts *r, struct rr_rm_actions *act)
{
	size_t i, k;

	if (act)
		memset(act, 0, sizeof(*act));
	if (!rm)
		return RR_POLICY_DENY; /* an undefined route-map denies all */
	for (i = 0; i < rm->n; i++) {
		const struct rr_rm_entry *e = &rm->v[i];
		enum rr_policy_verdict v = RR_POLICY_PERMIT;
		for (k = 0; k < e->nmatches && v != RR_POLICY_DENY; k++) {
			enum rr_policy_verdict m = match_one(s, &e->matches[k], r);
			if (m != RR_POLICY_PERMIT)
				v = m;
		}
		if (v == RR_POLICY_DENY)
			continue;
		if (v == RR_POLICY_UNKNOWN || (e->permit && e->has_continue))
			return RR_POLICY_UNKNOWN;
		if (!e->permit)
			return RR_POLICY_DENY;
		if (act) {
			act->entry = e;
			for (k = 0; k < e->nsets; k++) {
				act->v[e->sets[k].kind] = &e->sets[k];
				if (e->sets[k].kind == RR_RM_SET_OTHER)
					act->other = true;
			}
		}
		return RR_POLICY_PERMIT;
	}
	return RR_POLICY_DENY;
}
