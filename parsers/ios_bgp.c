/*
 * parsers/ios_bgp.c: `router bgp` as IOS reads it (Cisco IOS IP Routing: BGP
 * Command Reference).
 *
 * Router mode, address-family blocks and peer-session / peer-policy
 * templates.  Neighbor, peer-group and template settings are recorded on
 * entities as written; ios_inherit.c resolves them into neighbors at the
 * end.  Both NVGEN shapes land in the same place: an address-family
 * command written at router level (the flat shape) is an IPv4 unicast
 * setting, exactly as when written under `address-family ipv4`.
 */
#include "parsers/ios_priv.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* -------------------------------------------------------- entities */

size_t
ios_ent_key(char *buf, size_t cap, enum ios_ent_kind kind, const char *vrf,
            const void *key, size_t klen)
{
	size_t vl = vrf ? strlen(vrf) : 0, n;

	if (2 + vl + klen > cap) /* absurdly long names: truncate the key */
		klen = cap > 2 + vl ? cap - 2 - vl : 0;
	if (2 + vl + klen > cap)
		vl = cap - 2 - klen;
	buf[0] = (char)('0' + kind);
	memcpy(buf + 1, vrf ? vrf : "", vl);
	buf[1 + vl] = '\0';
	memcpy(buf + 2 + vl, key, klen);
	n = 2 + vl + klen;
	return n;
}

static struct ios_ent *
ent_get(struct ios_ctx *c, enum ios_ent_kind kind, const char *vrf,
        const void *key, size_t klen)
{
	char buf[512];
	size_t n;
	struct ios_ent *e;

	/* a neighbor's lines come together: the last entity found first */
	if (c->last_get && c->last_get->kind == kind &&
	    c->last_get->vrf == vrf && kind == IOS_ENT_NB &&
	    klen == sizeof(c->last_get->addr) &&
	    !memcmp(&c->last_get->addr, key, klen))
		return c->last_get;
	n = ios_ent_key(buf, sizeof(buf), kind, vrf, key, klen);
	e = ios_htab_get(&c->ents, buf, n);
	if (e && kind == IOS_ENT_NB)
		c->last_get = e;
	return e;
}

static struct ios_ent *
ent_new(struct ios_ctx *c, enum ios_ent_kind kind, const char *vrf,
        const void *key, size_t klen)
{
	struct ios_ent *e = rr_arena_calloc(&c->tmp, 1, sizeof(*e));

	if (++c->nents > IOS_MAX_ENTS && !c->too_many) {
		struct rr_loc at = ios_wloc(c, 0);
		c->too_many = true; /* reading stops after this line */
		rr_diag_add(c->d, RR_SEV_FATAL, NULL, &at,
		            "more than %u BGP neighbors, listen ranges, "
		            "peer-groups and templates: rrkit reads at most "
		            "%u in all router configs together",
		            IOS_MAX_ENTS, IOS_MAX_ENTS);
	}
	e->kind = kind;
	e->vrf = vrf;
	e->loc = ios_wloc(c, 0);
	c->last_get = NULL; /* the table may now map its key elsewhere */
	if (key) {
		char buf[512];
		size_t n = ios_ent_key(buf, sizeof(buf), kind, vrf, key, klen);
		ios_htab_put(&c->tmp, &c->ents, buf, n, e);
	}
	if (c->last)
		c->last->next = e;
	else
		c->first = e;
	c->last = e;
	return e;
}

static const void *
addr_key(const struct rr_addr *a, size_t *klen)
{
	*klen = sizeof(*a);
	return a;
}

/* A named entity as seen from the current VRF: its own, else global. */
static struct ios_ent *
group_find(struct ios_ctx *c, const char *vrf, const char *name)
{
	struct ios_ent *g = NULL;

	if (vrf)
		g = ent_get(c, IOS_ENT_GROUP, vrf, name, strlen(name));
	if (!g)
		g = ent_get(c, IOS_ENT_GROUP, NULL, name, strlen(name));
	return g;
}

/* ---------------------------------------------------------- context */

static const char *
cur_vrf(const struct ios_ctx *c)
{
	return c->in_af ? c->af_vrf : NULL;
}

static enum rr_afi_safi
cur_af(const struct ios_ctx *c)
{
	return c->in_af ? c->af : RR_AFS_IPV4;
}

static const char *
ctx_text(struct ios_ctx *c)
{
	if ((c->mode == IOS_M_TSESS || c->mode == IOS_M_TPOL) && c->tmpl)
		return rr_arena_printf(&c->tmp, "template %s %s",
		                       c->mode == IOS_M_TSESS ? "peer-session"
		                                              : "peer-policy",
		                       c->tmpl->name);
	if (c->in_af)
		return c->af_text;
	return "router bgp";
}

/*
 * The address-family settings a neighbor command changes: a policy
 * template has one set; otherwise IPv4 unicast at router level or under
 * `address-family ipv4 [vrf X]`, IPv6 unicast under `address-family
 * ipv6`.  Other families are read but not modelled (NULL).
 */
static struct ios_pol *
cur_pol(struct ios_ctx *c, struct ios_ent *e)
{
	if (e->kind == IOS_ENT_TPOL)
		return ios_pol_of(c, e, IOS_POL_V4);
	switch (cur_af(c)) {
	case RR_AFS_IPV4:
		return ios_pol_of(c, e, IOS_POL_V4);
	case RR_AFS_IPV6:
		return ios_pol_of(c, e, IOS_POL_V6);
	default:
		return NULL;
	}
}

struct ios_pol *
ios_pol_of(struct ios_ctx *c, struct ios_ent *e, int k)
{
	if (!e->pol[k])
		e->pol[k] = rr_arena_calloc(&c->tmp, 1, sizeof(*e->pol[k]));
	return e->pol[k];
}

struct ios_ent_rare *
ios_ent_rare(struct ios_ctx *c, struct ios_ent *e)
{
	if (!e->rare)
		e->rare = rr_arena_calloc(&c->tmp, 1, sizeof(*e->rare));
	return e->rare;
}

struct ios_pol_rare *
ios_pol_rare(struct ios_ctx *c, struct ios_pol *p)
{
	if (!p->rare)
		p->rare = rr_arena_calloc(&c->tmp, 1, sizeof(*p->rare));
	return p->rare;
}

static struct rr_loc
loc0(const struct ios_ctx *c)
{
	return ios_wloc(c, 0);
}

#define SET_OPT(o, val, at_)                                                   \
	do {                                                                   \
		(o).set = true;                                                \
		(o).v = (val);                                                 \
		(o).at = (at_);                                                \
		(o).via = NULL;                                                \
	} while (0)
#define CLEAR_OPT(o) memset(&(o), 0, sizeof(o))

/* ------------------------------------------------ neighbor commands */

/* `a` is the index of the first word after the subcommand keyword. */
typedef void (*nb_fn)(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no);

/*
 * remote-as A alternate-as B C ...: the AS numbers a dynamic (listen
 * range) neighbor may also have (IOS takes up to five).  Each keeps its
 * own location; a bad one drops the list (IOS refuses the line).
 */
static void
alternate_as(struct ios_ctx *c, struct ios_ent *e, size_t w)
{
	const struct ios_line *l = &c->ln;
	struct rr_asn_at *v;
	size_t i, n = l->n > w ? l->n - w : 0;

	if (!n) {
		ios_as_error(c, w, "missing");
		return;
	}
	v = rr_arena_calloc(&c->m->arena, n, sizeof(*v));
	for (i = 0; i < n; i++) {
		if (ios_asn(c, w + i, &v[i].asn) < 0)
			return;
		v[i].at = ios_wloc(c, w + i);
	}
	SET_OPT(ios_ent_rare(c, e)->alternate_as, v, ios_wloc(c, w - 1));
	e->rare->alternate_as.n = n;
}

static void
nb_remote_as(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	uint32_t asn;

	if (no) {
		CLEAR_OPT(e->remote_as);
		if (e->rare)
			CLEAR_OPT(e->rare->alternate_as);
		return;
	}
	if (ios_asn(c, a, &asn) < 0)
		return;
	SET_OPT(e->remote_as, asn, ios_wloc(c, a)); /* caret under the AS */
	if (e->rare)
		CLEAR_OPT(e->rare->alternate_as);
	if (ios_kw(&c->ln, a + 1, "alternate-as"))
		alternate_as(c, e, a + 2);
}

static void
nb_local_as(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_ent_rare *r;
	uint32_t asn;

	if (no) {
		if ((r = e->rare)) {
			CLEAR_OPT(r->local_as);
			r->la_no_prepend = r->la_replace_as = r->la_dual_as =
			        false;
		}
		return;
	}
	if (ios_asn(c, a, &asn) < 0)
		return;
	r = ios_ent_rare(c, e);
	SET_OPT(r->local_as, asn, loc0(c));
	/* no-prepend [replace-as [dual-as]] */
	r->la_no_prepend = ios_kw(&c->ln, a + 1, "no-prepend");
	r->la_replace_as =
	        r->la_no_prepend && ios_kw(&c->ln, a + 2, "replace-as");
	r->la_dual_as = r->la_replace_as && ios_kw(&c->ln, a + 3, "dual-as");
}

/*
 * password [0 | 7] TEXT: only a hash of the plaintext is kept (type 7 is
 * decoded first, so it compares with a Calico Secret's value).  The text
 * runs to the end of the line; it never reaches the model or a message.
 */
static void
nb_password(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	const struct ios_line *l = &c->ln;
	const char *p, *end;
	int type = 0;
	long n;

	if (no) {
		CLEAR_OPT(e->password);
		e->password_hash = 0;
		return;
	}
	if (a >= l->n) {
		ios_error(c, a, "missing password");
		return;
	}
	if (a + 1 < l->n && l->w[a].s[0] >= '0' && l->w[a].s[0] <= '9' &&
	    !l->w[a].s[1]) {
		type = l->w[a].s[0] - '0';
		a++;
		if (type != 0 && type != 7) {
			ios_error(c, a - 1,
			          "unsupported password encryption type %d",
			          type);
			return;
		}
	}
	if (type == 7) {
		size_t need = strlen(l->w[a].s) / 2 + 1;
		if (c->scratch_cap < need) {
			if (c->scratch)
				memset(c->scratch, 0, c->scratch_cap);
			free(c->scratch);
			c->scratch_cap = need < 256 ? 256 : need;
			c->scratch = rr_xmalloc(c->scratch_cap);
		}
		n = ios_type7_decode(l->w[a].s, c->scratch, c->scratch_cap);
		if (n < 0) {
			ios_error(c, a, "invalid type 7 password");
			return;
		}
		e->password_hash = rr_hash64(c->scratch, (size_t)n);
		memset(c->scratch, 0, (size_t)n);
	} else {
		p = l->raw + l->w[a].off;
		end = l->raw + l->len;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		e->password_hash = rr_hash64(p, (size_t)(end - p));
	}
	SET_OPT(e->password, true, loc0(c));
}

/* The interface name in words a.. (`Gi 0/1` is one name). */
static const char *
iface_arg(struct ios_ctx *c, size_t a)
{
	const struct ios_line *l = &c->ln;

	if (a + 1 < l->n && l->w[a + 1].s[0] >= '0' && l->w[a + 1].s[0] <= '9')
		return rr_arena_printf(&c->m->arena, "%s%s", l->w[a].s,
		                       l->w[a + 1].s);
	return rr_arena_strdup(&c->m->arena, l->w[a].s);
}

static void
nb_update_source(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	if (no) {
		CLEAR_OPT(e->update_source);
		return;
	}
	if (a >= c->ln.n) {
		ios_error(c, a, "missing interface name");
		return;
	}
	SET_OPT(e->update_source, iface_arg(c, a), loc0(c));
}

static void
nb_shutdown(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	(void)a; /* `shutdown graceful N ...` (IOS-XE) also ends shut */
	SET_OPT(e->shutdown, !no, loc0(c));
}

static void
nb_timers(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	uint32_t k, h, mh = 0;
	struct rr_loc at = loc0(c);
	struct ios_ent_rare *r;

	if (no) {
		if ((r = e->rare)) {
			CLEAR_OPT(r->keepalive);
			CLEAR_OPT(r->hold);
			CLEAR_OPT(r->min_hold);
		}
		return;
	}
	if (ios_u32(c, a, 65535, "keepalive", &k) < 0 ||
	    ios_u32(c, a + 1, 65535, "hold time", &h) < 0)
		return;
	if (a + 2 < c->ln.n &&
	    ios_u32(c, a + 2, 65535, "minimum hold time", &mh) < 0)
		return;
	r = ios_ent_rare(c, e);
	SET_OPT(r->keepalive, k, at);
	SET_OPT(r->hold, h, at);
	if (a + 2 < c->ln.n)
		SET_OPT(r->min_hold, mh, at);
	else
		CLEAR_OPT(r->min_hold);
}

static void
nb_description(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	if (no)
		CLEAR_OPT(e->description);
	else
		SET_OPT(e->description, ios_rest(c, a), loc0(c));
}

/* [no] ... [N]: N in 1..max, `dflt` when it is left out. */
static void
opt_count(struct ios_ctx *c, struct rr_opt_u32 *o, size_t a, bool no,
          uint32_t max, uint32_t dflt, const char *what)
{
	uint32_t n = dflt;

	if (no) {
		CLEAR_OPT(*o);
		return;
	}
	if (a < c->ln.n && (ios_u32(c, a, max, what, &n) < 0 || !n)) {
		if (!n)
			ios_error(c, a, "invalid %s '0' (1 to %u)", what,
			          (unsigned)max);
		return;
	}
	SET_OPT(*o, n, loc0(c));
}

static void
nb_multihop(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	opt_count(c, &ios_ent_rare(c, e)->ebgp_multihop, a, no, 255, 255,
	          "TTL");
}

static void
nb_ttl_security(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	uint32_t hops;

	if (no) {
		if (e->rare)
			CLEAR_OPT(e->rare->ttl_security);
		return;
	}
	if (!ios_kw(&c->ln, a, "hops")) {
		ios_error(c, a, "expected 'hops' after 'ttl-security'");
		return;
	}
	if (ios_u32(c, a + 1, 254, "hop count", &hops) == 0)
		SET_OPT(ios_ent_rare(c, e)->ttl_security, hops, loc0(c));
}

/* A cluster id: a number or a dotted quad (IOS `bgp cluster-id`). */
static int
cluster_id_arg(struct ios_ctx *c, size_t a, uint32_t *out)
{
	struct rr_addr ad;

	if (a < c->ln.n && strchr(c->ln.w[a].s, '.')) {
		if (rr_addr_parse(c->ln.w[a].s, &ad) < 0 ||
		    ad.af != RR_AF_INET) {
			ios_error(c, a, "invalid cluster id '%.40s'",
			          c->ln.w[a].s);
			return -1;
		}
		*out = rr_addr_v4(&ad);
		return 0;
	}
	return ios_u32(c, a, 4294967295u, "cluster id", out);
}

static void
nb_cluster_id(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	uint32_t v;

	if (no) {
		if (e->rare)
			CLEAR_OPT(e->rare->cluster_id);
	} else if (cluster_id_arg(c, a, &v) == 0)
		SET_OPT(ios_ent_rare(c, e)->cluster_id, v, loc0(c));
}

/* transport connection-mode passive|active; path-mtu-discovery ... */
static void
nb_transport(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	if (!ios_kw(&c->ln, a, "connection-mode"))
		return;
	if (no)
		CLEAR_OPT(e->passive);
	else if (ios_kw(&c->ln, a + 1, "passive"))
		SET_OPT(e->passive, true, loc0(c));
	else if (ios_kw(&c->ln, a + 1, "active"))
		SET_OPT(e->passive, false, loc0(c));
	else
		ios_warn(c, a + 1, "unknown connection mode '%.40s'",
		         a + 1 < c->ln.n ? c->ln.w[a + 1].s : "");
}

static void
nb_activate(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	(void)a;
	SET_OPT(e->act[cur_af(c)], !no, loc0(c));
}

/* An address-family on/off setting at offset `off` of struct ios_pol. */
static void
pol_flag(struct ios_ctx *c, struct ios_ent *e, bool no, size_t off)
{
	struct ios_pol *p = cur_pol(c, e);

	if (p)
		SET_OPT(*(struct rr_opt_bool *)(void *)((char *)p + off), !no,
		        loc0(c));
}

/* The same, for a flag of struct ios_pol_rare. */
static void
pol_rare_flag(struct ios_ctx *c, struct ios_ent *e, bool no, size_t off)
{
	struct ios_pol *p = cur_pol(c, e);

	if (p)
		SET_OPT(*(struct rr_opt_bool *)(void *)((char *)ios_pol_rare(
		                c, p) + off),
		        !no, loc0(c));
}

static void
nb_rr_client(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	(void)a;
	pol_flag(c, e, no, offsetof(struct ios_pol, rr_client));
}

static void
nb_nhs(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *p = cur_pol(c, e);

	if (!p)
		return;
	SET_OPT(p->nhs, !no, loc0(c));
	p->nhs_all = !no && ios_kw(&c->ln, a, "all");
}

static void
nb_nh_unchanged(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	(void)a;
	pol_flag(c, e, no, offsetof(struct ios_pol, nh_unchanged));
}

/* send-community [standard | extended | both]; lines add up. */
static void
nb_send_community(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	static const char *const names[] = {NULL, "standard", "extended",
	                                    "both"};
	struct ios_pol *p = cur_pol(c, e);
	unsigned have = 0, bits = 1;

	if (!p)
		return;
	if (p->send_community.set && p->send_community.v)
		for (have = 1; have < 4; have++)
			if (!strcmp(p->send_community.v, names[have]))
				break;
	if (have > 3)
		have = 0;
	if (ios_kw(&c->ln, a, "extended"))
		bits = 2;
	else if (ios_kw(&c->ln, a, "both"))
		bits = 3;
	else if (a < c->ln.n && !ios_kw(&c->ln, a, "standard")) {
		ios_warn(c, a, "unknown community type '%.40s'", c->ln.w[a].s);
		return;
	}
	have = no ? (have & ~bits) : (have | bits);
	if (!have)
		CLEAR_OPT(p->send_community);
	else
		SET_OPT(p->send_community, names[have], loc0(c));
}

static void
nb_route_map(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *p = cur_pol(c, e);
	struct rr_opt_str *o;

	if (ios_kw(&c->ln, a + 1, "in"))
		o = p ? &p->rm_in : NULL;
	else if (ios_kw(&c->ln, a + 1, "out"))
		o = p ? &p->rm_out : NULL;
	else {
		ios_error(c, a + 1, "expected 'in' or 'out' after route-map");
		return;
	}
	if (!o)
		return;
	if (no)
		CLEAR_OPT(*o);
	else
		SET_OPT(*o, rr_arena_strdup(&c->m->arena, c->ln.w[a].s),
		        loc0(c));
}

/* as-override, remove-private-as [all] [replace-as], soft-reconfiguration
 * inbound: address-family flags. */
static void
nb_as_override(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	(void)a;
	pol_rare_flag(c, e, no, offsetof(struct ios_pol_rare, as_override));
}

static void
nb_remove_private(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	(void)a;
	pol_rare_flag(c, e, no,
	              offsetof(struct ios_pol_rare, remove_private_as));
}

static void
nb_soft_reconfig(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	if (ios_kw(&c->ln, a, "inbound"))
		pol_rare_flag(c, e, no, offsetof(struct ios_pol_rare, soft_in));
}

/* allowas-in [N]: accept routes with the own AS up to N times (1-10,
 * default 3). */
static void
nb_allowas_in(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *p = cur_pol(c, e);

	if (p)
		opt_count(c, &ios_pol_rare(c, p)->allowas_in, a, no, 10, 3,
		          "occurrences");
}

static void
nb_weight(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *q = cur_pol(c, e);
	struct ios_pol_rare *p;
	uint32_t w;

	if (!q)
		return;
	p = ios_pol_rare(c, q);
	if (no)
		CLEAR_OPT(p->weight);
	else if (ios_u32(c, a, 65535, "weight", &w) == 0)
		SET_OPT(p->weight, w, loc0(c));
}

/* maximum-prefix N [THRESHOLD] [warning-only | restart M] */
static void
nb_max_prefix(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *q = cur_pol(c, e);
	struct ios_pol_rare *p;
	uint32_t n, v;
	size_t w;

	if (!q)
		return;
	p = ios_pol_rare(c, q);
	if (no) {
		CLEAR_OPT(p->max_prefix);
		p->max_prefix_warning = false;
		p->max_prefix_threshold = 0;
		p->max_prefix_restart = 0;
		return;
	}
	if (ios_u32(c, a, 4294967295u, "prefix count", &n) < 0)
		return;
	SET_OPT(p->max_prefix, n, loc0(c));
	p->max_prefix_warning = false;
	p->max_prefix_threshold = 0;
	p->max_prefix_restart = 0;
	w = a + 1;
	/* the warning threshold in percent (IOS: 1-100, default 75) */
	if (w < c->ln.n && !ios_kw(&c->ln, w, "warning-only") &&
	    !ios_kw(&c->ln, w, "restart")) {
		if (ios_u32(c, w, 100, "threshold", &v) == 0 && v)
			p->max_prefix_threshold = (uint8_t)v;
		w++;
	}
	for (; w < c->ln.n; w++)
		if (ios_kw(&c->ln, w, "warning-only")) {
			p->max_prefix_warning = true;
		} else if (ios_kw(&c->ln, w, "restart") && w + 1 < c->ln.n) {
			/* minutes, 1-65535 */
			if (ios_u32(c, w + 1, 65535, "restart interval",
				    &v) == 0 && v)
				p->max_prefix_restart = v;
			w++;
		}
}

/* default-originate [route-map M] */
static void
nb_default_originate(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *q = cur_pol(c, e);
	struct ios_pol_rare *p;

	if (!q)
		return;
	p = ios_pol_rare(c, q);
	SET_OPT(p->default_originate, !no, loc0(c));
	p->default_originate_map =
	        !no && ios_kw(&c->ln, a, "route-map") && a + 1 < c->ln.n
	                ? rr_arena_strdup(&c->m->arena, c->ln.w[a + 1].s)
	                : NULL;
}

/* prefix-list | filter-list | distribute-list NAME in|out */
static void
nb_named_list(struct ios_ctx *c, size_t a, bool no, struct rr_opt_str *in,
              struct rr_opt_str *out)
{
	struct rr_opt_str *o;

	if (a >= c->ln.n) {
		ios_error(c, a, "missing list name");
		return;
	}
	if (ios_kw(&c->ln, a + 1, "in"))
		o = in;
	else if (ios_kw(&c->ln, a + 1, "out"))
		o = out;
	else {
		ios_error(c, a + 1, "expected 'in' or 'out' after the list "
		          "name");
		return;
	}
	if (no)
		CLEAR_OPT(*o);
	else
		SET_OPT(*o, rr_arena_strdup(&c->m->arena, c->ln.w[a].s),
		        loc0(c));
}

static void
nb_prefix_list(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *p = cur_pol(c, e);

	if (p)
		nb_named_list(c, a, no, &ios_pol_rare(c, p)->pl_in,
		              &ios_pol_rare(c, p)->pl_out);
}

static void
nb_filter_list(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *p = cur_pol(c, e);

	if (p)
		nb_named_list(c, a, no, &ios_pol_rare(c, p)->fl_in,
		              &ios_pol_rare(c, p)->fl_out);
}

static void
nb_distribute_list(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	struct ios_pol *p = cur_pol(c, e);

	if (p)
		nb_named_list(c, a, no, &ios_pol_rare(c, p)->dl_in,
		              &ios_pol_rare(c, p)->dl_out);
}

static void
nb_disable_cc(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	(void)a;
	SET_OPT(ios_ent_rare(c, e)->disable_cc, !no, loc0(c));
}

/* inherit peer-session T | inherit peer-policy T [SEQ] */
static void
nb_inherit(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	const struct ios_line *l = &c->ln;
	bool sess = ios_kw(l, a, "peer-session");
	struct ios_pol *p;
	struct ios_pinh *h;
	uint32_t seq = 0;

	if (!sess && !ios_kw(l, a, "peer-policy")) {
		ios_warn(c, a,
		         "expected 'peer-session' or 'peer-policy' after "
		         "'inherit'");
		return;
	}
	if ((sess && e->kind == IOS_ENT_TPOL) ||
	    (!sess && e->kind == IOS_ENT_TSESS)) {
		ios_warn(c, a, "'inherit %s' is not valid in a %s template",
		         l->w[a].s, sess ? "peer-policy" : "peer-session");
		return;
	}
	if (a + 1 >= l->n) {
		ios_error(c, a + 1, "missing template name");
		return;
	}
	if (sess) {
		if (no)
			CLEAR_OPT(e->sess);
		else
			SET_OPT(e->sess,
			        rr_arena_strdup(&c->m->arena, l->w[a + 1].s),
			        ios_wloc(c, a + 1));
		return;
	}
	p = cur_pol(c, e);
	if (!p)
		return;
	if (a + 2 < l->n && ios_u32(c, a + 2, 65535, "sequence", &seq) < 0)
		return;
	if (no) {
		p->ninh = 0;
		return;
	}
	h = RR_PUSH(&c->tmp, p->inh, p->ninh, p->capinh);
	h->name = rr_arena_strdup(&c->m->arena, l->w[a + 1].s);
	h->seq = seq;
	h->at = ios_wloc(c, a + 1);
}

static void
nb_ignore(struct ios_ctx *c, struct ios_ent *e, size_t a, bool no)
{
	(void)c;
	(void)e;
	(void)a;
	(void)no;
}

#define NBC_SESS 1u /* valid in a peer-session template */
#define NBC_POL  2u /* valid in a peer-policy template */

/*
 * Neighbor subcommands.  The ones with nb_ignore are IOS commands that do
 * not change whether or how a session comes up or what rrkit models
 * (policy knobs, logging, BFD...): read without a warning.
 */
static const struct nb_cmd {
	const char *kw;
	unsigned scope;
	nb_fn fn;
} nb_cmds[] = {
        {"remote-as", NBC_SESS, nb_remote_as},
        {"activate", 0, nb_activate},
        {"update-source", NBC_SESS, nb_update_source},
        {"route-reflector-client", NBC_POL, nb_rr_client},
        {"description", NBC_SESS, nb_description},
        {"password", NBC_SESS, nb_password},
        {"timers", NBC_SESS, nb_timers},
        {"send-community", NBC_POL, nb_send_community},
        {"route-map", NBC_POL, nb_route_map},
        {"next-hop-self", NBC_POL, nb_nhs},
        {"next-hop-unchanged", NBC_POL, nb_nh_unchanged},
        {"ebgp-multihop", NBC_SESS, nb_multihop},
        {"ttl-security", NBC_SESS, nb_ttl_security},
        {"local-as", NBC_SESS, nb_local_as},
        {"shutdown", NBC_SESS, nb_shutdown},
        {"inherit", NBC_SESS | NBC_POL, nb_inherit},
        {"cluster-id", NBC_SESS, nb_cluster_id},
        {"transport", NBC_SESS, nb_transport},
        {"soft-reconfiguration", NBC_POL, nb_soft_reconfig},
        {"advertise", NBC_POL, nb_ignore},
        {"additional-paths", NBC_POL, nb_ignore},
        {"default-originate", NBC_POL, nb_default_originate},
        {"prefix-list", NBC_POL, nb_prefix_list},
        {"distribute-list", NBC_POL, nb_distribute_list},
        {"filter-list", NBC_POL, nb_filter_list},
        {"maximum-prefix", NBC_POL, nb_max_prefix},
        {"weight", NBC_POL, nb_weight},
        {"allowas-in", NBC_POL, nb_allowas_in},
        {"as-override", NBC_POL, nb_as_override},
        {"remove-private-as", NBC_POL, nb_remove_private},
        {"unsuppress-map", NBC_POL, nb_ignore},
        {"advertise-map", NBC_POL, nb_ignore},
        {"advertisement-interval", NBC_POL, nb_ignore},
        {"send-label", NBC_POL, nb_ignore},
        {"soo", NBC_POL, nb_ignore},
        {"dmzlink-bw", NBC_POL, nb_ignore},
        {"slow-peer", NBC_POL, nb_ignore},
        {"aigp", NBC_POL, nb_ignore},
        {"translate-update", NBC_POL, nb_ignore},
        {"accept-route-legacy-rt", NBC_POL, nb_ignore},
        {"route-server-client", NBC_POL, nb_ignore},
        {"fall-over", NBC_SESS, nb_ignore},
        {"version", NBC_SESS, nb_ignore},
        {"disable-connected-check", NBC_SESS, nb_disable_cc},
        {"dont-capability-negotiate", NBC_SESS, nb_ignore},
        {"capability", NBC_SESS | NBC_POL, nb_ignore},
        {"log-neighbor-changes", NBC_SESS, nb_ignore},
        {"ha-mode", NBC_SESS, nb_ignore},
        {"path-attribute", NBC_SESS, nb_ignore},
};

static const struct nb_cmd *
nb_cmd_find(const char *w)
{
	size_t i;
	char f = (char)ios_lower((unsigned char)w[0]); /* keywords: lower case */

	for (i = 0; i < sizeof(nb_cmds) / sizeof(nb_cmds[0]); i++)
		if (nb_cmds[i].kw[0] == f && ios_ieq(w, nb_cmds[i].kw))
			return &nb_cmds[i];
	return NULL;
}

/* ------------------------------------------------- neighbor lines */

/* Word x names an address (true, *a set), or a name; -1: bad address. */
/* A dotted-quad IPv4 address inet_pton accepts, read without it (most
 * neighbor lines name one); -1: anything else, for rr_addr_parse. */
static int
ipv4_fast(const char *s, struct rr_addr *a)
{
	uint8_t b[4];
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = (unsigned)(unsigned char)*s - '0', d;
		if (v > 9)
			return -1;
		if ((d = (unsigned)(unsigned char)*++s - '0') <= 9) {
			if (v == 0) /* a leading zero: inet_pton refuses it */
				return -1;
			v = v * 10 + d;
			if ((d = (unsigned)(unsigned char)*++s - '0') <= 9) {
				v = v * 10 + d;
				s++;
				if (v > 255)
					return -1;
			}
		}
		b[i] = (uint8_t)v;
		if (*s++ != (i < 3 ? '.' : '\0'))
			return -1;
	}
	memset(a, 0, sizeof(*a));
	a->af = RR_AF_INET;
	memcpy(a->b, b, 4);
	return 0;
}

static int
nb_target(struct ios_ctx *c, size_t x, struct rr_addr *a)
{
	const char *s = c->ln.w[x].s;
	size_t n = c->ln.w[x].len;

	/* a neighbor's lines come together: its address read once */
	if (n == c->nbt_len && n < sizeof(c->nbt_text) &&
	    !memcmp(s, c->nbt_text, n)) {
		*a = c->nbt_addr;
		return 1;
	}
	if (ipv4_fast(s, a) == 0 || rr_addr_parse(s, a) == 0) {
		if (n < sizeof(c->nbt_text)) {
			memcpy(c->nbt_text, s, n);
			c->nbt_len = n;
			c->nbt_addr = *a;
		}
		return 1;
	}
	if (strspn(s, "0123456789.") == strlen(s)) {
		ios_error(c, x, "invalid neighbor address '%.60s'", s);
		return -1;
	}
	return 0;
}

/* A neighbor ent_get did not find. */
static struct ios_ent *
nb_new(struct ios_ctx *c, const struct rr_addr *a)
{
	size_t klen;
	const void *k = addr_key(a, &klen);
	struct ios_ent *e = ent_new(c, IOS_ENT_NB, cur_vrf(c), k, klen);

	e->addr = *a;
	if (c->in_af) {
		e->def_in_af = true;
		e->def_af = c->af;
	}
	c->last_get = e; /* its next lines name it again */
	return e;
}

static struct ios_ent *
nb_define(struct ios_ctx *c, const struct rr_addr *a)
{
	size_t klen;
	const void *k = addr_key(a, &klen);
	struct ios_ent *e = ent_get(c, IOS_ENT_NB, cur_vrf(c), k, klen);

	return e ? e : nb_new(c, a);
}

/* neighbor NAME peer-group [nlri ...] | neighbor ADDR peer-group NAME */
static void
nb_peer_group(struct ios_ctx *c, size_t b, bool isaddr, const struct rr_addr *a,
              bool no)
{
	const struct ios_line *l = &c->ln;
	const char *x = l->w[b + 1].s;
	struct ios_ent *e, *g;

	if (b + 3 >= l->n || ios_kw(l, b + 3, "nlri") ||
	    ios_kw(l, b + 3, "passive")) {
		if (isaddr) {
			ios_error(c, b + 1,
			          "a peer-group needs a name, not an address");
			return;
		}
		if (no)
			return; /* removing a group: not modelled */
		if (!ent_get(c, IOS_ENT_GROUP, cur_vrf(c), x, strlen(x))) {
			e = ent_new(c, IOS_ENT_GROUP, cur_vrf(c), x, strlen(x));
			e->name = rr_arena_strdup(&c->m->arena, x);
		}
		return;
	}
	if (!isaddr) {
		ios_error(c, b + 1, "'%.60s' is not a neighbor address", x);
		return;
	}
	g = group_find(c, cur_vrf(c), l->w[b + 3].s);
	if (!g) {
		ios_error(c, b + 3, "peer-group '%.60s' is not defined",
		          l->w[b + 3].s);
		return;
	}
	if (no) {
		size_t klen;
		const void *k = addr_key(a, &klen);
		e = ent_get(c, IOS_ENT_NB, cur_vrf(c), k, klen);
		if (e)
			CLEAR_OPT(e->group);
		return;
	}
	e = nb_define(c, a);
	SET_OPT(e->group, g->name, ios_wloc(c, b + 3));
}

/* [no] neighbor X SUBCOMMAND ...; b is the index of `neighbor`. */
static void
nb_line(struct ios_ctx *c, size_t b, bool no)
{
	const struct ios_line *l = &c->ln;
	const struct nb_cmd *cmd;
	struct rr_addr a;
	struct ios_ent *e;
	int isaddr;

	if (b + 2 >= l->n) {
		ios_warn(c, b + (b + 1 < l->n ? 1 : 0),
		         "incomplete command 'neighbor' under '%s'",
		         ctx_text(c));
		return;
	}
	isaddr = nb_target(c, b + 1, &a);
	if (isaddr < 0)
		return;
	if (ios_kw(l, b + 2, "peer-group")) {
		nb_peer_group(c, b, isaddr, &a, no);
		return;
	}
	cmd = nb_cmd_find(l->w[b + 2].s);
	if (!cmd) {
		ios_warn(c, b + 2,
		         "unknown neighbor command '%.40s' under '%s'",
		         l->w[b + 2].s, ctx_text(c));
		return;
	}
	if (isaddr) {
		size_t klen;
		const void *k = addr_key(&a, &klen);
		uint32_t asn;
		e = ent_get(c, IOS_ENT_NB, cur_vrf(c), k, klen);
		/* IOS refuses the whole line: no neighbor without an AS */
		if (!e && !no && cmd->fn == nb_remote_as &&
		    ios_asn(c, b + 3, &asn) < 0)
			return;
		if (!e && !no &&
		    (cmd->fn == nb_remote_as ||
		     (cmd->fn == nb_inherit &&
		      ios_kw(l, b + 3, "peer-session"))))
			e = nb_new(c, &a);
		if (!e) {
			ios_error(c, b + 1,
			          "neighbor '%.60s' is not defined (no "
			          "remote-as or peer-group before this line)",
			          l->w[b + 1].s);
			return;
		}
	} else {
		e = group_find(c, cur_vrf(c), l->w[b + 1].s);
		if (!e) {
			ios_error(c, b + 1, "peer-group '%.60s' is not defined",
			          l->w[b + 1].s);
			return;
		}
	}
	cmd->fn(c, e, b + 3, no);
}

/* A subcommand line inside a template (no `neighbor X` prefix). */
static bool
tmpl_line(struct ios_ctx *c, size_t b, bool no)
{
	const struct nb_cmd *cmd = nb_cmd_find(c->ln.w[b].s);
	unsigned need = c->mode == IOS_M_TSESS ? NBC_SESS : NBC_POL;

	if (!cmd || !(cmd->scope & need))
		return false;
	cmd->fn(c, c->tmpl, b + 1, no);
	return true;
}

/* ------------------------------------------------- router commands */

static void
leave_af(struct ios_ctx *c)
{
	c->in_af = false;
	c->af_vrf = NULL;
}

/* address-family AFI [SAFI] [vrf NAME] (IOS `address-family`) */
static void
af_enter(struct ios_ctx *c, size_t b)
{
	const struct ios_line *l = &c->ln;
	size_t v;
	bool unicast;

	leave_af(c);
	c->in_af = true;
	c->af_known = true;
	c->af_text = ios_rest(c, b);
	for (v = b + 1; v < l->n && !ios_kw(l, v, "vrf"); v++)
		;
	if (v + 1 < l->n)
		c->af_vrf = rr_arena_strdup(&c->m->arena, l->w[v + 1].s);
	unicast = b + 2 >= l->n || ios_kw(l, b + 2, "unicast") ||
	          ios_kw(l, b + 2, "vrf");
	if (ios_kw(l, b + 1, "ipv4")) {
		if (unicast)
			c->af = RR_AFS_IPV4;
		else if (ios_kw(l, b + 2, "multicast"))
			c->af = RR_AFS_IPV4_MULTICAST;
		else
			c->af = RR_AFS_OTHER;
	} else if (ios_kw(l, b + 1, "ipv6")) {
		c->af = unicast ? RR_AFS_IPV6 : RR_AFS_OTHER;
	} else if (ios_kw(l, b + 1, "vpnv4")) {
		c->af = RR_AFS_VPNV4;
	} else if (ios_kw(l, b + 1, "vpnv6")) {
		c->af = RR_AFS_VPNV6;
	} else if (ios_kw(l, b + 1, "l2vpn") || ios_kw(l, b + 1, "nsap") ||
	           ios_kw(l, b + 1, "rtfilter") ||
	           ios_kw(l, b + 1, "link-state")) {
		c->af = RR_AFS_OTHER;
	} else {
		ios_warn(c, b + 1 < l->n ? b + 1 : b,
		         "unknown address family '%.40s'",
		         b + 1 < l->n ? l->w[b + 1].s : "");
		c->af = RR_AFS_OTHER;
		c->af_known = false;
	}
}

/* template peer-session NAME | template peer-policy NAME */
static void
tmpl_enter(struct ios_ctx *c, size_t b)
{
	const struct ios_line *l = &c->ln;
	enum ios_ent_kind k;
	struct ios_ent *e;
	const char *name;

	if (ios_kw(l, b + 1, "peer-session"))
		k = IOS_ENT_TSESS;
	else if (ios_kw(l, b + 1, "peer-policy"))
		k = IOS_ENT_TPOL;
	else {
		ios_warn(c, b + 1, "unknown template type '%.40s'",
		         b + 1 < l->n ? l->w[b + 1].s : "");
		return;
	}
	if (b + 2 >= l->n) {
		ios_error(c, b + 2, "missing template name");
		return;
	}
	name = l->w[b + 2].s;
	leave_af(c);
	e = ent_get(c, k, NULL, name, strlen(name));
	if (!e) {
		e = ent_new(c, k, NULL, name, strlen(name));
		e->name = rr_arena_strdup(&c->m->arena, name);
	}
	c->tmpl = e;
	c->tmpl_indent = l->indent;
	c->mode = k == IOS_ENT_TSESS ? IOS_M_TSESS : IOS_M_TPOL;
}

/* network A [mask M] [route-map R] [backdoor] | network P/len (IPv6) */
static void
network(struct ios_ctx *c, size_t b)
{
	const struct ios_line *l = &c->ln;
	struct rr_prefix p;
	struct rr_network *n;
	const char *a;

	if (b + 1 >= l->n) {
		ios_error(c, b + 1, "missing network address");
		return;
	}
	a = l->w[b + 1].s;
	if (strchr(a, '/')) {
		if (rr_prefix_parse(a, &p, false) < 0) {
			ios_error(c, b + 1, "invalid prefix '%.60s'", a);
			return;
		}
		if (p.addr.af == RR_AF_INET) {
			ios_warn(c, b + 1,
			         "'network A/len' is not IOS syntax (IOS "
			         "writes 'network A mask M')");
			return;
		}
	} else if (ios_kw(l, b + 2, "mask")) {
		if (b + 3 >= l->n ||
		    rr_prefix_from_mask(a, l->w[b + 3].s, &p) < 0) {
			struct rr_addr t;
			if (rr_addr_parse(a, &t) < 0 || t.af != RR_AF_INET)
				ios_error(c, b + 1, "invalid address '%.60s'",
				          a);
			else
				ios_error(c, b + 3, "invalid mask '%.60s'",
				          b + 3 < l->n ? l->w[b + 3].s : "");
			return;
		}
	} else {
		if (rr_addr_parse(a, &p.addr) < 0 || p.addr.af != RR_AF_INET) {
			ios_error(c, b + 1, "invalid address '%.60s'", a);
			return;
		}
		p.len = ios_classful_len(&p.addr);
	}
	n = RR_PUSH(&c->m->arena, c->s->networks, c->s->nnetworks, c->s->capn);
	n->p = p;
	n->vrf = cur_vrf(c);
	n->at = loc0(c);
}

static void
redistribute(struct ios_ctx *c, size_t b)
{
	const char **r;

	if (b + 1 >= c->ln.n) {
		ios_error(c, b + 1, "missing protocol after 'redistribute'");
		return;
	}
	if (cur_vrf(c))
		return; /* VRF routes: the model holds the default VRF only */
	r = RR_PUSH(&c->m->arena, c->s->redistribute, c->s->nredistribute,
	            c->s->capr);
	*r = ios_rest(c, b + 1);
}

/* bgp listen range P peer-group G [remote-as N] | bgp listen limit N */
static void
listen(struct ios_ctx *c, size_t b)
{
	const struct ios_line *l = &c->ln;
	struct rr_prefix p, mp;
	struct ios_ent *e;
	uint32_t v, asn;

	if (ios_kw(l, b + 2, "limit")) {
		if (ios_u32(c, b + 3, 2000000, "listen limit", &v) == 0)
			SET_OPT(c->s->listen_limit, v, loc0(c));
		return;
	}
	if (!ios_kw(l, b + 2, "range")) {
		ios_warn(c, b + 2,
		         "unknown command 'bgp listen %.40s' under '%s'",
		         b + 2 < l->n ? l->w[b + 2].s : "", ctx_text(c));
		return;
	}
	if (b + 3 >= l->n || rr_prefix_parse(l->w[b + 3].s, &p, false) < 0) {
		ios_error(c, b + 3, "invalid listen range '%.60s'",
		          b + 3 < l->n ? l->w[b + 3].s : "");
		return;
	}
	mp = rr_prefix_masked(&p);
	if (!rr_addr_eq(&mp.addr, &p.addr))
		ios_warn(c, b + 3, "listen range '%.60s' has host bits set",
		         l->w[b + 3].s);
	if (!ios_kw(l, b + 4, "peer-group") || b + 5 >= l->n) {
		ios_error(c, b + 4,
		          "expected 'peer-group NAME' after the range");
		return;
	}
	e = ent_new(c, IOS_ENT_RANGE, cur_vrf(c), NULL, 0);
	e->range = mp;
	if (c->in_af) {
		e->def_in_af = true;
		e->def_af = c->af;
	}
	SET_OPT(e->group, rr_arena_strdup(&c->m->arena, l->w[b + 5].s),
	        ios_wloc(c, b + 5));
	if (ios_kw(l, b + 6, "remote-as") && ios_asn(c, b + 7, &asn) == 0)
		SET_OPT(e->remote_as, asn, loc0(c));
}

static void
confederation(struct ios_ctx *c, size_t b, bool no)
{
	const struct ios_line *l = &c->ln;
	struct rr_speaker *s = c->s;
	uint32_t asn;
	size_t i;

	if (ios_kw(l, b + 2, "identifier")) {
		if (no)
			CLEAR_OPT(s->confed_id);
		else if (ios_asn(c, b + 3, &asn) == 0)
			SET_OPT(s->confed_id, asn, loc0(c));
	} else if (ios_kw(l, b + 2, "peers")) {
		if (no) {
			s->nconfed_peers = 0;
			return;
		}
		for (i = b + 3; i < l->n; i++)
			if (ios_asn(c, i, &asn) == 0)
				*RR_PUSH(&c->m->arena, s->confed_peers,
				         s->nconfed_peers, s->capconfed) = asn;
	} else {
		ios_warn(c, b + 2,
		         "unknown command 'bgp confederation %.40s' under '%s'",
		         b + 2 < l->n ? l->w[b + 2].s : "", ctx_text(c));
	}
}

/* `bgp` subcommands read without a warning and not modelled: best-path
 * selection, dampening, timers of the scanner, logging, update groups. */
static const char *const bgp_ignored[] = {
        "additional-paths",
        "advertise-best-external",
        "aggregate-timer",
        "asnotation",
        "consistency-checker",
        "dampening",
        "dynamic-med-interval",
        "fast-external-fallover",
        "graceful-shutdown",
        "inject-map",
        "maxas-limit",
        "nexthop",
        "nopeerup-delay",
        "recursion",
        "redistribute-internal",
        "refresh",
        "regexp",
        "route-map-cache",
        "scan-time",
        "slow-peer",
        "soft-reconfig-backup",
        "sso",
        "suppress-inactive",
        "transport",
        "update-delay",
        "update-group",
        "upgrade-cli",
        "ha-mode",
        "mpls-local-label",
        "route-target",
        "rr-group",
};

static void
default_local_pref(struct ios_ctx *c, size_t b, bool no)
{
	uint32_t v;

	if (cur_vrf(c))
		return;
	if (no)
		CLEAR_OPT(c->s->default_local_pref);
	else if (ios_u32(c, b + 3, 4294967295u, "local preference", &v) == 0)
		SET_OPT(c->s->default_local_pref, v, loc0(c));
	if (!c->s->default_local_pref.set)
		c->s->default_local_pref.v = 100;
}

/* Best-path knobs (and enforce-first-as, graceful-restart) of the
 * default VRF; other `bgp bestpath` forms are read, not modelled. */
static void
bestpath(struct ios_ctx *c, size_t b, bool no)
{
	const struct ios_line *l = &c->ln;
	struct rr_speaker *s = c->s;
	struct rr_opt_bool *o = NULL;

	if (cur_vrf(c))
		return;
	if (ios_kw(l, b + 1, "always-compare-med"))
		o = &s->bestpath_always_compare_med;
	else if (ios_kw(l, b + 1, "deterministic-med"))
		o = &s->deterministic_med;
	else if (ios_kw(l, b + 1, "enforce-first-as"))
		o = &s->enforce_first_as;
	else if (ios_kw(l, b + 1, "graceful-restart") && b + 2 >= l->n)
		o = &s->graceful_restart;
	else if (ios_kw(l, b + 2, "compare-routerid"))
		o = &s->bestpath_compare_routerid;
	else if (ios_kw(l, b + 2, "med") && ios_kw(l, b + 3, "missing-as-worst"))
		o = &s->bestpath_med_missing_as_worst;
	else if (ios_kw(l, b + 2, "as-path") && ios_kw(l, b + 3, "ignore"))
		o = &s->bestpath_as_path_ignore;
	else if (ios_kw(l, b + 2, "as-path") &&
	         ios_kw(l, b + 3, "multipath-relax"))
		o = &s->bestpath_multipath_relax;
	if (!o)
		return;
	SET_OPT(*o, !no, loc0(c));
}

/* maximum-paths [ibgp | eibgp] N: default VRF, IPv4 unicast. */
static void
maximum_paths(struct ios_ctx *c, size_t b, bool no)
{
	const struct ios_line *l = &c->ln;
	struct rr_speaker *s = c->s;
	struct rr_opt_u32 *o = &s->maximum_paths;
	size_t w = b + 1;
	uint32_t n;

	if (cur_vrf(c) || cur_af(c) != RR_AFS_IPV4)
		return; /* other tables: read, not modelled */
	if (ios_kw(l, w, "ibgp"))
		o = &s->maximum_paths_ibgp;
	else if (ios_kw(l, w, "eibgp"))
		o = &s->maximum_paths_eibgp;
	if (o != &s->maximum_paths)
		w++;
	if (ios_kw(l, w, "unequal-cost"))
		w++;
	if (no) {
		CLEAR_OPT(*o);
		o->v = 1;
		return;
	}
	if (ios_u32(c, w, 64, "number of paths", &n) < 0)
		return;
	if (!n) {
		ios_error(c, w, "invalid number of paths '0' (1 to 64)");
		return;
	}
	SET_OPT(*o, n, loc0(c));
}

static void
bgp_sub(struct ios_ctx *c, size_t b, bool no)
{
	const struct ios_line *l = &c->ln;
	struct rr_speaker *s = c->s;
	const char *w = b + 1 < l->n ? l->w[b + 1].s : "";
	struct rr_addr a;
	uint32_t v;
	size_t i;

	if (!strcasecmp(w, "router-id")) {
		if (cur_vrf(c) || ios_kw(l, b + 2, "vrf"))
			return; /* per-VRF ids: the model holds the default */
		if (no) {
			CLEAR_OPT(s->router_id);
			CLEAR_OPT(s->router_id_interface);
		} else if (ios_kw(l, b + 2, "interface")) {
			/* resolved against the interfaces at the end */
			if (b + 3 >= l->n)
				ios_error(c, b + 3, "missing interface name");
			else
				SET_OPT(s->router_id_interface,
				        iface_arg(c, b + 3), loc0(c));
		} else if (b + 2 >= l->n ||
		           rr_addr_parse(l->w[b + 2].s, &a) < 0 ||
		           a.af != RR_AF_INET) {
			ios_error(c, b + 2, "invalid router id '%.60s'",
			          b + 2 < l->n ? l->w[b + 2].s : "");
		} else {
			SET_OPT(s->router_id, a, loc0(c));
			CLEAR_OPT(s->router_id_interface);
		}
	} else if (!strcasecmp(w, "cluster-id")) {
		if (no) {
			CLEAR_OPT(s->cluster_id);
			s->cluster_id_text = NULL;
		} else if (cluster_id_arg(c, b + 2, &v) == 0) {
			SET_OPT(s->cluster_id, v, loc0(c));
			s->cluster_id_text =
			        rr_arena_strdup(&c->m->arena, l->w[b + 2].s);
		}
	} else if (!strcasecmp(w, "log-neighbor-changes")) {
		s->log_neighbor_changes = !no;
	} else if (!strcasecmp(w, "default")) {
		if (ios_kw(l, b + 2, "ipv4-unicast"))
			SET_OPT(s->default_ipv4_unicast, !no, loc0(c));
		else if (ios_kw(l, b + 2, "local-preference"))
			default_local_pref(c, b, no);
		else if (!ios_kw(l, b + 2, "ipv6-nexthop") &&
		         !ios_kw(l, b + 2, "route-target"))
			ios_warn(c, b + 2,
			         "unknown command 'bgp default %.40s' under "
			         "'%s'",
			         b + 2 < l->n ? l->w[b + 2].s : "",
			         ctx_text(c));
	} else if (!strcasecmp(w, "listen")) {
		if (!no)
			listen(c, b);
	} else if (!strcasecmp(w, "confederation")) {
		confederation(c, b, no);
	} else if (!strcasecmp(w, "bestpath") ||
	           !strcasecmp(w, "always-compare-med") ||
	           !strcasecmp(w, "deterministic-med") ||
	           !strcasecmp(w, "enforce-first-as") ||
	           !strcasecmp(w, "graceful-restart")) {
		bestpath(c, b, no);
	} else if (!strcasecmp(w, "client-to-client")) {
		/* the intra-cluster form is not modelled */
		if (ios_kw(l, b + 2, "reflection") && b + 3 >= l->n)
			SET_OPT(s->client_to_client, !no, loc0(c));
	} else {
		for (i = 0; i < sizeof(bgp_ignored) / sizeof(bgp_ignored[0]);
		     i++)
			if (!strcasecmp(w, bgp_ignored[i]))
				return;
		ios_warn(c, b + 1 < l->n ? b + 1 : b,
		         "unknown command 'bgp %.40s' under '%s'", w,
		         ctx_text(c));
	}
}

static void
timers(struct ios_ctx *c, size_t b, bool no)
{
	struct rr_speaker *s = c->s;
	uint32_t k, h, mh = 0;
	struct rr_loc at = loc0(c);

	if (!ios_kw(&c->ln, b + 1, "bgp")) {
		ios_warn(c, b + 1 < c->ln.n ? b + 1 : b,
		         "unknown command 'timers %.40s' under '%s'",
		         b + 1 < c->ln.n ? c->ln.w[b + 1].s : "", ctx_text(c));
		return;
	}
	if (no) {
		CLEAR_OPT(s->keepalive);
		CLEAR_OPT(s->hold);
		CLEAR_OPT(s->min_hold);
		return;
	}
	if (ios_u32(c, b + 2, 65535, "keepalive", &k) < 0 ||
	    ios_u32(c, b + 3, 65535, "hold time", &h) < 0)
		return;
	if (b + 4 < c->ln.n &&
	    ios_u32(c, b + 4, 65535, "minimum hold time", &mh) < 0)
		return;
	SET_OPT(s->keepalive, k, at);
	SET_OPT(s->hold, h, at);
	if (b + 4 < c->ln.n)
		SET_OPT(s->min_hold, mh, at);
}

/* Router-mode commands (first word), what they do, and whether the
 * command is invalid inside an address family (so it ends the block:
 * IOS mode fall-through). */
enum bgp_op {
	OP_NEIGHBOR,
	OP_BGP,
	OP_AF,
	OP_EXIT_AF,
	OP_EXIT,
	OP_TEMPLATE,
	OP_EXIT_TMPL,
	OP_NETWORK,
	OP_REDIST,
	OP_TIMERS,
	OP_MAXPATHS,
	OP_IGNORE,
};

static const struct {
	const char *kw;
	enum bgp_op op;
	bool router_only;
} bgp_cmds[] = {
        {"neighbor", OP_NEIGHBOR, false},
        {"bgp", OP_BGP, false},
        {"address-family", OP_AF, true},
        {"exit-address-family", OP_EXIT_AF, false},
        {"exit", OP_EXIT, false},
        {"template", OP_TEMPLATE, true},
        {"exit-peer-session", OP_EXIT_TMPL, false},
        {"exit-peer-policy", OP_EXIT_TMPL, false},
        {"network", OP_NETWORK, false},
        {"redistribute", OP_REDIST, false},
        {"timers", OP_TIMERS, true},
        {"aggregate-address", OP_IGNORE, false},
        {"maximum-paths", OP_MAXPATHS, false},
        {"maximum-secondary-paths", OP_IGNORE, false},
        {"distance", OP_IGNORE, false},
        {"default-information", OP_IGNORE, false},
        {"default-metric", OP_IGNORE, false},
        {"synchronization", OP_IGNORE, false},
        {"auto-summary", OP_IGNORE, false},
        {"table-map", OP_IGNORE, false},
        {"distribute-list", OP_IGNORE, false},
        {"import", OP_IGNORE, false},
        {"snmp", OP_IGNORE, false},
};

static int
bgp_cmd_index(const char *w)
{
	size_t i;
	char f = (char)ios_lower((unsigned char)w[0]); /* keywords: lower case */

	for (i = 0; i < sizeof(bgp_cmds) / sizeof(bgp_cmds[0]); i++)
		if (bgp_cmds[i].kw[0] == f && ios_ieq(w, bgp_cmds[i].kw))
			return (int)i;
	return -1;
}

void
ios_bgp_enter(struct ios_ctx *c)
{
	struct rr_speaker *s = c->s;
	uint32_t asn = 0;
	int rc = -1;

	if (c->ln.n < 3)
		ios_as_error(c, 2, "missing");
	else
		rc = ios_asn(c, 2, &asn);
	c->mode = IOS_M_BGP;
	c->tmpl = NULL;
	leave_af(c);
	c->bgp_skip = false;
	if (!c->bgp_seen) {
		c->bgp_seen = true;
		c->bgp_at = loc0(c);
		s->bgp_configured = true;
		if (rc == 0)
			SET_OPT(s->asn, asn, loc0(c));
		return;
	}
	if (rc == 0 && s->asn.set && asn != s->asn.v) {
		char buf[RR_ASN_STRLEN];
		struct rr_diag *g;
		struct rr_loc at = ios_wloc(c, 2);
		g = rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_IOS_INVALID, &at,
		                "BGP is already running with AS %s; this "
		                "'router bgp' block is ignored",
		                rr_asn_str(s->asn.v, buf));
		rr_diag_note(c->d, g, &s->asn.at, "the BGP process is here");
		c->bgp_skip = true;
		c->mode = IOS_M_SKIP;
	}
	/* the same AS again: the same process goes on, as IOS does */
}

static void
bgp_dispatch(struct ios_ctx *c, int i, size_t b, bool no)
{
	if (c->in_af && bgp_cmds[i].router_only)
		leave_af(c);
	switch (bgp_cmds[i].op) {
	case OP_NEIGHBOR:
		nb_line(c, b, no);
		break;
	case OP_BGP:
		if (c->in_af && c->af_vrf == NULL &&
		    (ios_kw(&c->ln, b + 1, "log-neighbor-changes") ||
		     ios_kw(&c->ln, b + 1, "router-id") ||
		     ios_kw(&c->ln, b + 1, "cluster-id") ||
		     ios_kw(&c->ln, b + 1, "default") ||
		     ios_kw(&c->ln, b + 1, "listen")))
			leave_af(c); /* router-level only: fall through */
		bgp_sub(c, b, no);
		break;
	case OP_AF:
		if (!no)
			af_enter(c, b);
		break;
	case OP_EXIT_AF:
		leave_af(c);
		break;
	case OP_EXIT:
		if (c->in_af)
			leave_af(c);
		else
			c->mode = IOS_M_TOP;
		break;
	case OP_TEMPLATE:
		if (!no)
			tmpl_enter(c, b);
		break;
	case OP_EXIT_TMPL:
		break;
	case OP_NETWORK:
		if (!no)
			network(c, b);
		break;
	case OP_REDIST:
		if (!no)
			redistribute(c, b);
		break;
	case OP_TIMERS:
		timers(c, b, no);
		break;
	case OP_MAXPATHS:
		maximum_paths(c, b, no);
		break;
	case OP_IGNORE:
		break;
	}
}

bool
ios_bgp_line(struct ios_ctx *c)
{
	const struct ios_line *l = &c->ln;
	bool no = ios_kw(l, 0, "no");
	size_t b = no ? 1 : 0;
	int i;

	if (b >= l->n)
		return l->indent == 0
		               ? false
		               : (ios_warn(c, 0, "incomplete command 'no'"),
		                  true);
	if (c->mode == IOS_M_TSESS || c->mode == IOS_M_TPOL) {
		if (ios_kw(l, b, "exit-peer-session") ||
		    ios_kw(l, b, "exit-peer-policy") || ios_kw(l, b, "exit")) {
			c->mode = IOS_M_BGP;
			c->tmpl = NULL;
			return true;
		}
		if (tmpl_line(c, b, no))
			return true;
		if (bgp_cmd_index(l->w[b].s) < 0 &&
		    l->indent > c->tmpl_indent) {
			ios_warn(c, b, "unknown command '%.40s' under '%s'",
			         l->w[b].s, ctx_text(c));
			return true;
		}
		c->mode = IOS_M_BGP; /* fall through to router mode */
		c->tmpl = NULL;
	}
	i = bgp_cmd_index(l->w[b].s);
	if (i < 0) {
		if (l->indent == 0)
			return false; /* a global command */
		ios_warn(c, b, "unknown command '%.40s' under '%s'", l->w[b].s,
		         ctx_text(c));
		return true;
	}
	bgp_dispatch(c, i, b, no);
	return true;
}
