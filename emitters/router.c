/*
 * emitters/router.c: the one walk of the model that the IOS and FRR
 * emitters share.  It decides which router to write, takes its process
 * settings from the router config when one is given (the base), and turns
 * every Calico node session toward that router into a client: one
 * neighbor per node, or peer-group members, or a `bgp listen range` over
 * the node subnets (IOS BGP Configuration Guide: peer groups, dynamic
 * neighbors).  Route reflection
 * (RFC 4456 §6): every iBGP node is a route-reflector-client, and the
 * reflector gets an explicit cluster-id, shared with the other reflectors
 * its clients peer with (§7: reflectors of one cluster share the id).
 *
 * Base neighbors that are Calico nodes are replaced by the generated
 * clients; every other base neighbor (uplinks, other reflectors) is kept,
 * flattened: values inherited from a peer-group or template are written
 * on the neighbor itself.  Secrets never reach the plan: a password is a
 * flag the dialects print as a placeholder.
 */
#include "emitters/emitters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IOS_LISTEN_LIMIT 100u /* IOS `bgp listen limit` default */
#define MAX_NAMES        5    /* nodes named in one comment line */
#define MAX_GROUPS       64

struct client {
	struct rr_addr addr;
	struct rr_prefix subnet; /* the node's address with its prefix */
	uint8_t family;
	uint32_t as;
	const struct rr_speaker *node;
	const struct rr_neighbor *session;
	const struct rr_bgppeer *bp;
	bool password;
	uint32_t ttl;
	uint32_t multihop;
	bool passive;
	/* the base neighbor at this address, else the base listen range
	 * holding it, and the settings it carries */
	const struct rr_neighbor *old;
	struct emit_attrs kept;
	size_t key; /* group index (peer-group, listen-range) */
};

struct pctx {
	const struct rr_model *m;
	const struct emit_opts *o;
	struct rr_arena *a;
	struct rr_diags *d;
	struct emit_router *r;
	const struct rr_speaker *base;
	struct rr_addr addrs[EMIT_MAX_ROUTER_ADDRS + 16];
	size_t naddrs;
	struct client *cl;
	size_t ncl, capcl;
	enum emit_style style;
	const char *group_base; /* peer-group name of the base's nodes */
	size_t ncapg, ncapp, ncapr;
	size_t keyfirst[MAX_GROUPS]; /* first client of each group */
	const char *keyname[MAX_GROUPS];
	size_t nkeys;
	bool overflow;
};

static const struct rr_loc *
loc_or(const struct rr_loc *a, const struct rr_loc *b)
{
	return a->line ? a : b;
}

static const char *
astr(struct pctx *c, const struct rr_addr *a)
{
	char buf[RR_ADDR_STRLEN];
	return rr_arena_strdup(c->a, rr_addr_str(a, buf));
}

static void note(struct pctx *c, const char *fmt, ...) RR_PRINTF(2, 3);

static void
note(struct pctx *c, const char *fmt, ...)
{
	va_list ap;
	const char **slot;
	va_start(ap, fmt);
	slot = RR_PUSH(c->a, c->r->notes, c->r->nnotes, c->r->capnotes);
	*slot = rr_arena_vprintf(c->a, fmt, ap);
	va_end(ap);
}

static bool
is_router_addr(const struct pctx *c, const struct rr_addr *a)
{
	size_t i;
	for (i = 0; i < c->naddrs; i++)
		if (rr_addr_eq(&c->addrs[i], a))
			return true;
	return false;
}

static void
add_addr(struct pctx *c, const struct rr_addr *a)
{
	if (!a->af || is_router_addr(c, a) ||
	    c->naddrs == sizeof(c->addrs) / sizeof(c->addrs[0]))
		return;
	c->addrs[c->naddrs++] = *a;
}

static int
cmp_addr(const void *x, const void *y)
{
	return rr_addr_cmp(x, y);
}

/* A session a calico-node opens toward a BGP speaker outside the cluster
 * (mesh and local-workload sessions never are). */
static bool
external_session(const struct rr_neighbor *nb)
{
	return (nb->scope == RR_SCOPE_GLOBAL || nb->scope == RR_SCOPE_NODE) &&
	       nb->peer.af;
}

/* ------------------------------------------------- which router */

static int
router_from_sessions(struct pctx *c)
{
	const struct rr_model *m = c->m;
	struct rr_addr cand[64];
	size_t n = 0, i, j, v4 = 0, v6 = 0;
	char list[256] = "", buf[RR_ADDR_STRLEN];

	for (i = 0; i < m->nspeakers; i++) {
		const struct rr_speaker *s = m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->nneighbors; j++) {
			const struct rr_neighbor *nb = &s->neighbors[j];
			size_t k;
			if (!external_session(nb) ||
			    rr_model_owner(m, &nb->peer))
				continue;
			for (k = 0; k < n && !rr_addr_eq(&cand[k], &nb->peer);
			     k++)
				;
			if (k == n && n < sizeof(cand) / sizeof(cand[0]))
				cand[n++] = nb->peer;
		}
	}
	if (!n) {
		rr_diag_add(c->d, RR_SEV_ERROR, NULL, NULL,
		            "no Calico node peers with an address outside the "
		            "cluster: give the BGPPeers that point the nodes "
		            "at the router, a router config, or --router IP");
		return -1;
	}
	qsort(cand, n, sizeof(cand[0]), cmp_addr);
	for (i = 0; i < n; i++) {
		v4 += cand[i].af == RR_AF_INET;
		v6 += cand[i].af == RR_AF_INET6;
		if (strlen(list) + RR_ADDR_STRLEN + 8 < sizeof(list))
			snprintf(list + strlen(list),
			         sizeof(list) - strlen(list), "%s%s",
			         i ? ", " : "", rr_addr_str(&cand[i], buf));
	}
	if (v4 > 1 || v6 > 1) {
		rr_diag_add(c->d, RR_SEV_ERROR, NULL, NULL,
		            "the nodes peer with %zu routers (%s): choose one "
		            "with --router IP (repeat it for the IPv4 and IPv6 "
		            "address of one router)",
		            n, list);
		return -1;
	}
	/* at most one IPv4 and one IPv6 address: taken as one router */
	for (i = 0; i < n; i++)
		add_addr(c, &cand[i]);
	return 0;
}

static int
pick_router(struct pctx *c)
{
	const struct rr_model *m = c->m;
	const struct rr_speaker *only = NULL;
	size_t i, j, nios = 0;

	for (i = 0; i < c->o->nrouter; i++) {
		const struct rr_speaker *s =
		        rr_model_owner(m, &c->o->router[i]);
		char buf[RR_ADDR_STRLEN];
		if (s && s->kind == RR_SPK_CALICO) {
			rr_diag_add(c->d, RR_SEV_ERROR, NULL, &s->loc,
			            "--router %s is Calico node '%s', not an "
			            "external router",
			            rr_addr_str(&c->o->router[i], buf),
			            s->name);
			return -1;
		}
		add_addr(c, &c->o->router[i]);
	}
	for (i = 0; i < m->nspeakers; i++) {
		const struct rr_speaker *s = m->speakers[i];
		bool mine = false;
		if (s->kind != RR_SPK_IOS)
			continue;
		nios++;
		only = s;
		for (j = 0; j < s->naddrs && !mine; j++)
			mine = is_router_addr(c, &s->addrs[j].p.addr);
		if (s->router_id.set && is_router_addr(c, &s->router_id.v))
			mine = true;
		if (mine && !c->base)
			c->base = s;
	}
	if (!c->o->nrouter && nios > 1) {
		rr_diag_add(c->d, RR_SEV_ERROR, NULL, NULL,
		            "%zu router configs given: choose one with "
		            "--router IP",
		            nios);
		return -1;
	}
	if (!c->o->nrouter && nios == 1)
		c->base = only;
	if (c->base) {
		for (j = 0; j < c->base->naddrs; j++)
			add_addr(c, &c->base->addrs[j].p.addr);
		if (c->base->router_id.set)
			add_addr(c, &c->base->router_id.v);
		if (!c->base->asn.set) {
			rr_diag_add(c->d, RR_SEV_ERROR, NULL, &c->base->loc,
			            "router '%s' has no 'router bgp': nothing "
			            "to regenerate",
			            c->base->name);
			return -1;
		}
		return 0;
	}
	if (c->o->nrouter)
		return 0;
	return router_from_sessions(c);
}

/* ------------------------------------------- kept per-neighbor settings */

static const char *
opt_str(const struct rr_opt_str *o)
{
	return o->set ? o->v : NULL;
}

static bool
opt_on(const struct rr_opt_bool *o)
{
	return o->set && o->v;
}

/* Per-neighbor settings a base neighbor carries (session and policy). */
static void
copy_attrs(struct emit_attrs *p, const struct rr_neighbor *nb)
{
	p->update_source = opt_str(&nb->update_source);
	if (nb->keepalive.set || nb->hold.set) {
		p->has_timers = true;
		p->keepalive = nb->keepalive.set ? nb->keepalive.v : 60;
		p->hold = nb->hold.set ? nb->hold.v : 180;
		p->min_hold = rr_nb_rare(nb)->min_hold.set
		                      ? rr_nb_rare(nb)->min_hold.v
		                      : 0;
	}
	p->shutdown = opt_on(&nb->shutdown);
	if (nb->send_community.set)
		p->send_community =
		        nb->send_community.v ? nb->send_community.v : "";
	p->route_map_in = opt_str(&rr_nb_rare(nb)->route_map_in);
	p->route_map_out = opt_str(&rr_nb_rare(nb)->route_map_out);
	p->prefix_list_in = opt_str(&rr_nb_rare(nb)->prefix_list_in);
	p->prefix_list_out = opt_str(&rr_nb_rare(nb)->prefix_list_out);
	p->filter_list_in = opt_str(&rr_nb_rare(nb)->filter_list_in);
	p->filter_list_out = opt_str(&rr_nb_rare(nb)->filter_list_out);
	p->next_hop_self = opt_on(&nb->next_hop_self);
	p->next_hop_self_all = p->next_hop_self && nb->next_hop_self_all;
	p->next_hop_unchanged = !p->next_hop_self && nb->next_hop == RR_NH_KEEP;
	p->maximum_prefix = rr_nb_rare(nb)->maximum_prefix.set
	                            ? rr_nb_rare(nb)->maximum_prefix.v
	                            : 0;
	p->maximum_prefix_warning_only =
	        p->maximum_prefix &&
	        rr_nb_rare(nb)->maximum_prefix_warning_only;
	p->maximum_prefix_threshold =
	        p->maximum_prefix ? rr_nb_rare(nb)->maximum_prefix_threshold
	                          : 0;
	p->maximum_prefix_restart =
	        p->maximum_prefix ? rr_nb_rare(nb)->maximum_prefix_restart : 0;
	p->has_weight = rr_nb_rare(nb)->weight.set;
	p->weight = rr_nb_rare(nb)->weight.v;
	p->allowas_in = rr_nb_rare(nb)->allowas_in.set
	                        ? rr_nb_rare(nb)->allowas_in.v
	                        : 0;
	p->as_override = opt_on(&rr_nb_rare(nb)->as_override);
	p->soft_reconfig_in = opt_on(&rr_nb_rare(nb)->soft_reconfig_in);
	p->remove_private_as = opt_on(&rr_nb_rare(nb)->remove_private_as);
	p->default_originate = opt_on(&rr_nb_rare(nb)->default_originate);
	p->default_originate_map =
	        p->default_originate ? rr_nb_rare(nb)->default_originate_map
	                             : NULL;
}

static bool
str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The first kept setting two neighbors differ in (as IOS spells it), or
 * NULL when they carry the same ones. */
static const char *
attrs_diff(const struct emit_attrs *a, const struct emit_attrs *b)
{
	if (a->has_timers != b->has_timers || a->keepalive != b->keepalive ||
	    a->hold != b->hold || a->min_hold != b->min_hold)
		return "timers";
	if (!str_eq(a->update_source, b->update_source))
		return "update-source";
	if (a->shutdown != b->shutdown)
		return "shutdown";
	if (a->next_hop_self != b->next_hop_self ||
	    a->next_hop_self_all != b->next_hop_self_all ||
	    a->next_hop_unchanged != b->next_hop_unchanged)
		return "next-hop-self";
	if (!str_eq(a->send_community, b->send_community))
		return "send-community";
	if (!str_eq(a->route_map_in, b->route_map_in) ||
	    !str_eq(a->route_map_out, b->route_map_out))
		return "route-map";
	if (!str_eq(a->prefix_list_in, b->prefix_list_in) ||
	    !str_eq(a->prefix_list_out, b->prefix_list_out))
		return "prefix-list";
	if (!str_eq(a->filter_list_in, b->filter_list_in) ||
	    !str_eq(a->filter_list_out, b->filter_list_out))
		return "filter-list";
	if (a->maximum_prefix != b->maximum_prefix ||
	    a->maximum_prefix_warning_only != b->maximum_prefix_warning_only ||
	    a->maximum_prefix_threshold != b->maximum_prefix_threshold ||
	    a->maximum_prefix_restart != b->maximum_prefix_restart)
		return "maximum-prefix";
	if (a->has_weight != b->has_weight || a->weight != b->weight)
		return "weight";
	if (a->allowas_in != b->allowas_in)
		return "allowas-in";
	if (a->as_override != b->as_override)
		return "as-override";
	if (a->soft_reconfig_in != b->soft_reconfig_in)
		return "soft-reconfiguration";
	if (a->remove_private_as != b->remove_private_as)
		return "remove-private-as";
	if (a->default_originate != b->default_originate ||
	    !str_eq(a->default_originate_map, b->default_originate_map))
		return "default-originate";
	return NULL;
}

/* ------------------------------------------------------ clients */

static const struct rr_iface_addr *
node_addr(const struct rr_speaker *n, const struct rr_addr *a, uint8_t af)
{
	size_t i;
	for (i = 0; i < n->naddrs; i++)
		if (a ? rr_addr_eq(&n->addrs[i].p.addr, a)
		      : n->addrs[i].p.addr.af == af)
			return &n->addrs[i];
	return NULL;
}

/* Whether the router reaches the node on a connected subnet: the node's
 * subnet holds a router address, or a base interface holds the node. */
static bool
connected(const struct pctx *c, const struct client *k)
{
	size_t i;
	for (i = 0; i < c->naddrs; i++)
		if (k->subnet.len < (k->family == RR_AF_INET ? 32 : 128) &&
		    rr_prefix_contains(&k->subnet, &c->addrs[i]))
			return true;
	if (c->base && !c->base->addrs_inferred)
		for (i = 0; i < c->base->naddrs; i++) {
			const struct rr_prefix *p = &c->base->addrs[i].p;
			if (p->len < (p->addr.af == RR_AF_INET ? 32 : 128) &&
			    rr_prefix_contains(p, &k->addr))
				return true;
		}
	return false;
}

/* The base neighbor for a node address: its own neighbor (IOS prefers a
 * configured neighbor to a listen range), else the narrowest range. */
static const struct rr_neighbor *
base_neighbor(const struct pctx *c, const struct rr_addr *a)
{
	const struct rr_neighbor *range = NULL;
	size_t i;
	if (!c->base)
		return NULL;
	for (i = 0; i < c->base->nneighbors; i++) {
		const struct rr_neighbor *nb = &c->base->neighbors[i];
		if (nb->vrf)
			continue;
		if (!nb->is_range && rr_addr_eq(&nb->peer, a))
			return nb;
		if (nb->is_range && rr_prefix_contains(&nb->range, a) &&
		    (!range || nb->range.len > range->range.len))
			range = nb;
	}
	return range;
}

static void
add_client(struct pctx *c, const struct rr_speaker *n,
           const struct rr_neighbor *nb)
{
	const struct rr_iface_addr *src =
	        nb->source_address.set ? node_addr(n, &nb->source_address.v, 0)
	                               : node_addr(n, NULL, nb->peer.af);
	struct client *k;
	size_t i;
	char buf[RR_ADDR_STRLEN];

	if (!src && nb->source_address.set)
		src = node_addr(n, NULL, nb->peer.af);
	if (!src)
		return;
	for (i = 0; i < c->ncl; i++)
		if (rr_addr_eq(&c->cl[i].addr, &src->p.addr))
			return; /* one client per node address */
	if (nb->port && nb->port != 179)
		rr_diag_add(c->d, RR_SEV_WARNING, NULL, &nb->loc,
		            "node '%s' dials %s on port %u, but IOS accepts "
		            "BGP on port 179 only",
		            n->name, rr_addr_str(&nb->peer, buf), nb->port);
	k = RR_PUSH(c->a, c->cl, c->ncl, c->capcl);
	k->addr = src->p.addr;
	k->subnet = src->p;
	k->family = src->p.addr.af;
	k->as = rr_nb_rare(nb)->local_as.set ? rr_nb_rare(nb)->local_as.v
	                                     : n->asn.v;
	k->node = n;
	k->session = nb;
	k->bp = nb->bgppeer;
	k->password = (nb->password.set && nb->password.v) ||
	              (nb->bgppeer && nb->bgppeer->password.set);
	k->ttl = nb->ttl_security.set ? nb->ttl_security.v : 0;
	if (k->ttl > 254) {
		rr_diag_add(c->d, RR_SEV_WARNING, NULL, &nb->ttl_security.at,
		            "node '%s' ttlSecurity %u: IOS takes at most 254 "
		            "hops",
		            n->name, k->ttl);
		k->ttl = 254;
	}
	k->passive = nb->passive;
	k->old = base_neighbor(c, &k->addr);
	if (k->old)
		copy_attrs(&k->kept, k->old);
}

static int
cmp_client(const void *x, const void *y)
{
	const struct client *a = x, *b = y;
	return rr_addr_cmp(&a->addr, &b->addr);
}

static void
collect_clients(struct pctx *c)
{
	size_t i, j;
	for (i = 0; i < c->m->nspeakers; i++) {
		const struct rr_speaker *s = c->m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->nneighbors; j++)
			if (external_session(&s->neighbors[j]) &&
			    is_router_addr(c, &s->neighbors[j].peer))
				add_client(c, s, &s->neighbors[j]);
	}
	if (c->ncl)
		qsort(c->cl, c->ncl, sizeof(c->cl[0]), cmp_client);
	for (i = 0; i < c->ncl; i++) {
		struct client *k = &c->cl[i];
		if (k->as != c->r->asn && !k->ttl) {
			if (k->old && k->old->ebgp_multihop.set)
				k->multihop = k->old->ebgp_multihop.v;
			else if (!connected(c, k))
				k->multihop = 255;
		}
	}
	c->r->nclients = c->ncl;
}

/* ------------------------------------------------ process settings */

static bool
written_hostname(const struct rr_speaker *s)
{
	const char *b, *dot;
	size_t n;
	if (!s->name || !s->file)
		return false;
	b = strrchr(s->file, '/');
	b = b ? b + 1 : s->file;
	dot = strrchr(b, '.');
	n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
	/* parse_ios names a router without `hostname` after its file */
	return strlen(s->name) != n || strncmp(s->name, b, n) != 0;
}

static int
router_as(struct pctx *c)
{
	size_t i, j;
	uint32_t as = 0;
	const struct rr_neighbor *first = NULL;
	char buf[RR_ADDR_STRLEN];

	if (c->base) {
		c->r->asn = c->base->asn.v;
		return 0;
	}
	for (i = 0; i < c->m->nspeakers; i++) {
		const struct rr_speaker *s = c->m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->nneighbors; j++) {
			const struct rr_neighbor *nb = &s->neighbors[j];
			struct rr_diag *g;
			if (!external_session(nb) ||
			    !is_router_addr(c, &nb->peer) ||
			    !nb->remote_as.set || !nb->remote_as.v)
				continue;
			if (!first) {
				first = nb;
				as = nb->remote_as.v;
				continue;
			}
			if (nb->remote_as.v == as)
				continue;
			g = rr_diag_add(
			        c->d, RR_SEV_ERROR, NULL,
			        loc_or(&nb->remote_as.at, &nb->loc),
			        "the nodes disagree on the AS of router "
			        "%s: %u here, %u elsewhere",
			        rr_addr_str(&nb->peer, buf), nb->remote_as.v,
			        as);
			rr_diag_note(c->d, g,
			             loc_or(&first->remote_as.at, &first->loc),
			             "AS %u is here", as);
			return -1;
		}
	}
	if (!first) {
		rr_diag_add(c->d, RR_SEV_ERROR, NULL, NULL,
		            "no BGPPeer gives the AS of router %s "
		            "(asNumber)",
		            c->naddrs ? rr_addr_str(&c->addrs[0], buf) : "?");
		return -1;
	}
	c->r->asn = as;
	return 0;
}

static const char *
dotted(struct pctx *c, uint32_t v)
{
	struct rr_addr a = rr_addr_from_v4(v);
	return astr(c, &a);
}

/* The reflector's cluster-id: the base's, else the lowest IPv4 address
 * among this router and the other external routers its clients peer with,
 * so redundant reflectors of the same nodes agree (RFC 4456 §7). */
static void
cluster_id(struct pctx *c)
{
	struct emit_router *r = c->r;
	uint32_t best = 0;
	bool have = false, ibgp = false;
	size_t i, j;

	if (c->base && c->base->cluster_id.set) {
		r->cluster_id_v = c->base->cluster_id.v;
		r->cluster_id = c->base->cluster_id_text
		                        ? c->base->cluster_id_text
		                        : dotted(c, r->cluster_id_v);
		return;
	}
	for (i = 0; i < c->ncl; i++)
		ibgp |= c->cl[i].as == r->asn;
	if (!ibgp)
		return;
	if (r->has_router_id && r->router_id.af == RR_AF_INET) {
		best = rr_addr_v4(&r->router_id);
		have = true;
	}
	for (i = 0; i < c->ncl; i++) {
		const struct rr_speaker *n = c->cl[i].node;
		for (j = 0; j < n->nneighbors; j++) {
			const struct rr_neighbor *nb = &n->neighbors[j];
			const struct rr_speaker *o;
			if (!external_session(nb) || nb->peer.af != RR_AF_INET)
				continue;
			o = rr_model_owner(c->m, &nb->peer);
			if (o && o->kind == RR_SPK_CALICO)
				continue;
			if (!have || rr_addr_v4(&nb->peer) < best) {
				best = rr_addr_v4(&nb->peer);
				have = true;
			}
		}
	}
	if (!have)
		return;
	r->cluster_id_v = best;
	r->cluster_id = dotted(c, best);
}

static void
process_settings(struct pctx *c)
{
	struct emit_router *r = c->r;
	const struct rr_speaker *b = c->base;
	size_t i;

	if (c->o->hostname)
		r->hostname = c->o->hostname;
	else if (b && written_hostname(b))
		r->hostname = b->name;
	if (r->hostname)
		r->name = r->hostname;
	else if (c->naddrs)
		r->name = astr(c, &c->addrs[0]);
	else
		r->name = "the router";
	if (b && b->router_id.set) {
		r->has_router_id = true;
		r->router_id = b->router_id.v;
	} else if (!b) {
		for (i = 0; i < c->naddrs && !r->has_router_id; i++)
			if (c->addrs[i].af == RR_AF_INET) {
				r->has_router_id = true;
				r->router_id = c->addrs[i];
			}
	}
	r->log_neighbor_changes = b ? b->log_neighbor_changes : true;
	if (!b)
		return;
	r->no_default_ipv4 =
	        b->default_ipv4_unicast.set && !b->default_ipv4_unicast.v;
	r->no_client_to_client =
	        b->client_to_client.set && !b->client_to_client.v;
	if (b->hold.set || b->keepalive.set) {
		r->has_timers = true;
		r->keepalive = b->keepalive.set ? b->keepalive.v : 60;
		r->hold = b->hold.set ? b->hold.v : 180;
		r->min_hold = b->min_hold.set ? b->min_hold.v : 0;
	}
	r->listen_limit = b->listen_limit.set ? b->listen_limit.v : 0;
	r->graceful_restart = opt_on(&b->graceful_restart);
	r->compare_routerid = opt_on(&b->bestpath_compare_routerid);
	r->deterministic_med = opt_on(&b->deterministic_med);
	r->always_compare_med = opt_on(&b->bestpath_always_compare_med);
	r->med_missing_as_worst = opt_on(&b->bestpath_med_missing_as_worst);
	r->as_path_ignore = opt_on(&b->bestpath_as_path_ignore);
	r->multipath_relax = opt_on(&b->bestpath_multipath_relax);
	r->maximum_paths = b->maximum_paths.set ? b->maximum_paths.v : 0;
	r->maximum_paths_ibgp =
	        b->maximum_paths_ibgp.set ? b->maximum_paths_ibgp.v : 0;
	r->maximum_paths_eibgp =
	        b->maximum_paths_eibgp.set ? b->maximum_paths_eibgp.v : 0;
	r->confed_id = b->confed_id.set ? b->confed_id.v : 0;
	r->confed_peers = b->confed_peers;
	r->nconfed_peers = b->nconfed_peers;
	r->policy = b;
	r->networks = b->networks;
	r->nnetworks = b->nnetworks;
	r->redistribute = b->redistribute;
	r->nredistribute = b->nredistribute;
}

/* A router config without the address the nodes dial (a VIP, or a
 * BGP-only snippet): that address is the router's when the node it comes
 * from is one of the router's neighbors, or, for a family the router has
 * no address of yet, inside one of its listen ranges (a range also holds
 * nodes that peer elsewhere). */
static bool
has_family(const struct pctx *c, uint8_t af)
{
	size_t i;
	for (i = 0; i < c->naddrs; i++)
		if (c->addrs[i].af == af)
			return true;
	return false;
}

static void
session_addrs(struct pctx *c)
{
	size_t i, j, k;
	if (!c->base)
		return;
	for (i = 0; i < c->m->nspeakers; i++) {
		const struct rr_speaker *s = c->m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->nneighbors; j++) {
			const struct rr_neighbor *nb = &s->neighbors[j];
			if (!external_session(nb) ||
			    is_router_addr(c, &nb->peer) ||
			    rr_model_owner(c->m, &nb->peer))
				continue;
			for (k = 0; k < c->base->nneighbors; k++) {
				const struct rr_neighbor *bn =
				        &c->base->neighbors[k];
				const struct rr_iface_addr *src =
				        node_addr(s, NULL, nb->peer.af);
				if (!src || bn->vrf)
					continue;
				if (bn->is_range
				            ? !has_family(c, nb->peer.af) &&
				                      rr_prefix_contains(
				                              &bn->range,
				                              &src->p.addr)
				            : rr_addr_eq(&bn->peer,
				                         &src->p.addr)) {
					add_addr(c, &nb->peer);
					break;
				}
			}
		}
	}
}

/* ------------------------------------------------ base neighbors */

static bool
node_neighbor(const struct pctx *c, const struct rr_neighbor *nb)
{
	size_t i, j;
	if (nb->vrf)
		return false;
	if (!nb->is_range) {
		const struct rr_speaker *o = rr_model_owner(c->m, &nb->peer);
		if (o && o->kind == RR_SPK_CALICO)
			return true;
		for (i = 0; i < c->ncl; i++)
			if (rr_addr_eq(&c->cl[i].addr, &nb->peer))
				return true;
		return false;
	}
	for (i = 0; i < c->m->nspeakers; i++) {
		const struct rr_speaker *s = c->m->speakers[i];
		if (s->kind != RR_SPK_CALICO)
			continue;
		for (j = 0; j < s->naddrs; j++)
			if (rr_prefix_contains(&nb->range, &s->addrs[j].p.addr))
				return true;
	}
	return false;
}

static struct emit_peer *
new_peer(struct pctx *c, bool group)
{
	struct emit_router *r = c->r;
	if (group)
		return RR_PUSH(c->a, r->groups, r->ngroups, c->ncapg);
	return RR_PUSH(c->a, r->peers, r->npeers, c->ncapp);
}

static struct emit_peer *
find_group(struct pctx *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->r->ngroups; i++)
		if (!strcmp(c->r->groups[i].group_name, name))
			return &c->r->groups[i];
	return NULL;
}

static enum emit_afi
afi_of(uint8_t family)
{
	return family == RR_AF_INET6 ? EMIT_AFI_V6 : EMIT_AFI_V4;
}


static void
keep_neighbor(struct pctx *c, const struct rr_neighbor *nb)
{
	struct emit_peer *p;
	char buf[RR_PREFIX_STRLEN];
	const char *who;
	size_t k;
	uint8_t fam = nb->is_range ? nb->range.addr.af : nb->peer.af;

	if (nb->is_range) {
		const char *g = nb->peer_group ? nb->peer_group : "RANGE";
		struct emit_range *x =
		        RR_PUSH(c->a, c->r->ranges, c->r->nranges, c->ncapr);
		x->p = nb->range;
		x->group = g;
		if (find_group(c, g))
			return;
		p = new_peer(c, true);
		p->group_name = g;
		who = rr_prefix_str(&nb->range, buf);
	} else {
		p = new_peer(c, false);
		p->addr = nb->peer;
		p->vrf = nb->vrf;
		who = rr_addr_str(&nb->peer, buf);
	}
	p->family = fam;
	p->has_remote_as = nb->remote_as.set;
	p->remote_as = nb->remote_as.v;
	p->description = nb->description.set ? nb->description.v : NULL;
	p->password = nb->password.set && nb->password.v;
	if (p->password)
		note(c,
		     "neighbor %s: the router's TCP MD5 password is not "
		     "reproduced; replace " EMIT_PASSWORD_PLACEHOLDER
		     " with it",
		     who);
	p->local_as =
	        rr_nb_rare(nb)->local_as.set ? rr_nb_rare(nb)->local_as.v : 0;
	p->ebgp_multihop = nb->ebgp_multihop.set ? nb->ebgp_multihop.v : 0;
	p->ttl_security = nb->ttl_security.set ? nb->ttl_security.v : 0;
	copy_attrs(&p->kept, nb);
	p->activate[EMIT_AFI_V4] = nb->af[RR_AFS_IPV4].v;
	p->activate[EMIT_AFI_V6] = nb->af[RR_AFS_IPV6].v;
	p->rr_client = nb->rr_client.set && nb->rr_client.v;
	if (p->rr_client && nb->remote_as.set &&
	    nb->remote_as.v != (p->local_as ? p->local_as : c->r->asn)) {
		/* IOS and FRR refuse it: the router runs without it */
		p->rr_client = false;
		rr_diag_add(c->d, RR_SEV_WARNING, NULL, &nb->rr_client.at,
		            "neighbor %s: route-reflector-client on an eBGP "
		            "neighbor is refused by IOS and FRR: not written",
		            who);
	}
	for (k = RR_AFS_VPNV4; k < RR_AFS_COUNT; k++)
		if (rr_nb_af(nb, (int)k)->v) {
			rr_diag_add(c->d, RR_SEV_WARNING, NULL, &nb->loc,
			            "neighbor %s: its activation in address "
			            "families other than ipv4 and ipv6 "
			            "unicast is not reproduced",
			            who);
			break;
		}
}

/* Base neighbors: the nodes' are regenerated (their style and group name
 * are remembered), the others kept. */
static void
base_neighbors(struct pctx *c)
{
	size_t i;
	bool range = false, group = false;

	if (!c->base)
		return;
	for (i = 0; i < c->base->nneighbors; i++) {
		const struct rr_neighbor *nb = &c->base->neighbors[i];
		if (!node_neighbor(c, nb)) {
			keep_neighbor(c, nb);
			continue;
		}
		range |= nb->is_range;
		group |= nb->peer_group != NULL;
		if (nb->peer_group && !c->group_base &&
		    (nb->is_range ? nb->range.addr.af : nb->peer.af) ==
		            RR_AF_INET)
			c->group_base = nb->peer_group;
	}
	if (c->style == EMIT_STYLE_AUTO)
		c->style = range   ? EMIT_STYLE_LISTEN_RANGE
		           : group ? EMIT_STYLE_PEER_GROUP
		                   : EMIT_STYLE_NEIGHBOR;
}

/* ----------------------------------------------- generated clients */

static const char *
password_from(struct pctx *c, const struct client *k)
{
	const struct rr_secret_ref *ref = k->bp ? &k->bp->password : NULL;
	if (!k->password)
		return NULL;
	if (!ref || !ref->set)
		return rr_arena_printf(c->a, "the password of node '%s'",
		                       k->node->name);
	return rr_arena_printf(c->a, "key '%s' of Secret '%s' (BGPPeer %s)",
	                       ref->key ? ref->key : "?",
	                       ref->name ? ref->name : "?",
	                       k->bp->meta.name ? k->bp->meta.name : "?");
}

static void
client_common(struct pctx *c, struct emit_peer *p, const struct client *k)
{
	p->family = k->family;
	p->has_remote_as = true;
	p->remote_as = k->as;
	p->password = k->password;
	p->password_from = password_from(c, k);
	p->ttl_security = k->ttl;
	p->ebgp_multihop = k->multihop;
	p->activate[afi_of(k->family)] = true;
	p->rr_client = k->as == c->r->asn;
}

static void
style_neighbor(struct pctx *c)
{
	size_t i;
	for (i = 0; i < c->ncl; i++) {
		const struct client *k = &c->cl[i];
		struct emit_peer *p = new_peer(c, false);
		p->addr = k->addr;
		client_common(c, p, k);
		p->description = k->node->name;
		p->node = k->node->name;
		p->kept = k->kept;
	}
}

static bool
same_key(struct pctx *c, const struct client *a, const struct client *b)
{
	const char *pa = password_from(c, a), *pb = password_from(c, b);
	return a->family == b->family && a->as == b->as &&
	       a->password == b->password && a->ttl == b->ttl &&
	       a->multihop == b->multihop && (!pa || !pb || !strcmp(pa, pb)) &&
	       !attrs_diff(&a->kept, &b->kept);
}

/* One peer-group per set of clients that share every session setting. */
static void
make_groups(struct pctx *c)
{
	const char *base = c->group_base ? c->group_base : EMIT_GROUP_NAME;
	size_t i, j;

	for (i = 0; i < c->ncl; i++) {
		struct client *k = &c->cl[i];
		for (j = 0;
		     j < c->nkeys && !same_key(c, &c->cl[c->keyfirst[j]], k);
		     j++)
			;
		if (j == c->nkeys) {
			struct emit_peer *p;
			const char *name, *stem;
			unsigned n = 2;
			if (c->nkeys == MAX_GROUPS) {
				k->key = SIZE_MAX;
				c->overflow = true;
				continue;
			}
			stem = rr_arena_printf(c->a, "%s%s", base,
			                       k->family == RR_AF_INET6 ? "-V6"
			                                                : "");
			if (k->as != c->r->asn)
				stem = rr_arena_printf(c->a, "%s-AS%u", stem,
				                       k->as);
			name = stem;
			while (find_group(c, name))
				name = rr_arena_printf(c->a, "%s-%u", stem,
				                       n++);
			p = new_peer(c, true);
			p->group_name = name;
			client_common(c, p, k);
			p->kept = k->kept; /* members share the group's */
			c->keyfirst[c->nkeys] = i;
			c->keyname[c->nkeys++] = name;
		}
		k->key = j;
	}
}

static void
style_peer_group(struct pctx *c)
{
	size_t i;
	make_groups(c);
	for (i = 0; i < c->ncl; i++) {
		const struct client *k = &c->cl[i];
		struct emit_peer *p;
		if (k->key == SIZE_MAX)
			continue;
		p = new_peer(c, false);
		p->addr = k->addr;
		p->family = k->family;
		p->member_of = c->keyname[k->key];
		p->description = k->node->name;
		p->node = k->node->name;
		p->activate[afi_of(k->family)] = true;
	}
}

static int
cmp_range(const void *x, const void *y)
{
	const struct emit_range *a = x, *b = y;
	int r = rr_prefix_cmp(&a->p, &b->p);
	return r ? r : strcmp(a->group, b->group);
}

/* Two nodes in one listen range need different settings: a range maps to
 * one peer-group, so refuse and say which setting differs. */
static void
range_conflict(struct pctx *c, const struct client *k,
               const struct rr_prefix *p, const char *other_group)
{
	char a[RR_PREFIX_STRLEN], b[RR_ADDR_STRLEN];
	const struct client *o = NULL;
	const char *what = NULL;
	size_t i;

	for (i = 0; i < c->ncl && !o; i++)
		if (c->cl[i].key < c->nkeys &&
		    !strcmp(c->keyname[c->cl[i].key], other_group))
			o = &c->cl[i];
	if (o)
		what = attrs_diff(&k->kept, &o->kept);
	rr_diag_add(c->d, RR_SEV_ERROR, NULL, &k->node->loc,
	            "nodes in %s need different session settings (node '%s' "
	            "at %s: %s, others: %s%s%s%s), but a listen range maps to "
	            "one peer-group: use --style peer-group",
	            rr_prefix_str(p, a), k->node->name,
	            rr_addr_str(&k->addr, b), c->keyname[k->key], other_group,
	            what ? "; the router config gives them different '" : "",
	            what ? what : "", what ? "'" : "");
}

/* bgp listen range over each node subnet: the router only listens, so
 * every node must dial it (IOS "BGP Dynamic Neighbors"). */
static int
style_listen_range(struct pctx *c)
{
	struct emit_router *r = c->r;
	size_t i, j, limit;

	make_groups(c);
	for (i = 0; i < c->ncl; i++) {
		const struct client *k = &c->cl[i];
		struct rr_prefix p = rr_prefix_masked(&k->subnet);
		const char *g;
		struct emit_range *x;
		if (k->key == SIZE_MAX)
			continue;
		g = c->keyname[k->key];
		if (k->passive) {
			rr_diag_add(c->d, RR_SEV_ERROR, NULL, &k->session->loc,
			            "node '%s' never dials %s (passive), and a "
			            "listen range never dials the node: use "
			            "--style neighbor or peer-group",
			            k->node->name, r->name);
			return -1;
		}
		for (j = 0; j < r->nranges; j++)
			if (!rr_prefix_cmp(&r->ranges[j].p, &p))
				break;
		if (j < r->nranges) {
			if (strcmp(r->ranges[j].group, g)) {
				range_conflict(c, k, &p, r->ranges[j].group);
				return -1;
			}
			continue;
		}
		x = RR_PUSH(c->a, r->ranges, r->nranges, c->ncapr);
		x->p = p;
		x->group = g;
	}
	limit = r->listen_limit ? r->listen_limit : IOS_LISTEN_LIMIT;
	if (c->ncl > limit) {
		r->listen_limit = (uint32_t)c->ncl;
		rr_diag_add(c->d, RR_SEV_NOTE, NULL, NULL,
		            "%zu nodes in listen ranges: 'bgp listen limit "
		            "%zu' (the limit was %zu)",
		            c->ncl, c->ncl, limit);
	}
	return 0;
}

/* ------------------------------------------------------ comments */

static void
provenance(struct pctx *c)
{
	struct emit_router *r = c->r;
	size_t i, j, nodes = 0;

	if (!c->ncl) {
		note(c, "BGP configuration of %s%s", r->name,
		     c->m->calico_present ? ": no Calico node peers with it"
		                          : "");
		return;
	}
	for (i = 0; i < c->ncl; i++) {
		for (j = 0; j < i && c->cl[j].node != c->cl[i].node; j++)
			;
		nodes += j == i;
	}
	note(c,
	     "BGP configuration of route reflector %s for %zu Calico "
	     "node%s",
	     r->name, nodes, nodes == 1 ? "" : "s");
	for (i = 0; i < c->ncl; i++) {
		const struct rr_bgppeer *bp = c->cl[i].bp;
		char *line;
		size_t n = 0, shown = 0;
		for (j = 0; j < i && c->cl[j].bp != bp; j++)
			;
		if (j < i)
			continue; /* named with its first client */
		for (j = i; j < c->ncl; j++)
			n += c->cl[j].bp == bp;
		if (bp)
			line = rr_arena_printf(
			        c->a, "from BGPPeer %s (%s:%u):", bp->meta.name,
			        bp->meta.loc.file, bp->meta.loc.line);
		else
			line = rr_arena_strdup(c->a,
			                       "from the nodes' sessions:");
		line = rr_arena_printf(c->a, "%s node%s", line,
		                       n == 1 ? "" : "s");
		for (j = i; j < c->ncl; j++) {
			if (c->cl[j].bp != bp)
				continue;
			if (shown == MAX_NAMES && n > MAX_NAMES + 1) {
				line = rr_arena_printf(c->a, "%s and %zu more",
				                       line, n - shown);
				break;
			}
			line = rr_arena_printf(c->a, "%s%s %s", line,
			                       shown ? "," : "",
			                       c->cl[j].node->name);
			shown++;
		}
		note(c, "%s", line);
	}
	for (i = 0; i < c->ncl; i++) {
		const char *from = password_from(c, &c->cl[i]);
		bool dup = false;
		if (!from)
			continue;
		for (j = 0; j < i && !dup; j++) {
			const char *f2 = password_from(c, &c->cl[j]);
			dup = f2 && !strcmp(f2, from);
		}
		if (!dup)
			note(c,
			     "TCP MD5: replace " EMIT_PASSWORD_PLACEHOLDER
			     " with %s",
			     from);
	}
	if (c->style == EMIT_STYLE_LISTEN_RANGE)
		note(c, "listen ranges: the router accepts every node in them "
		        "and never dials one (calico-node dials it)");
}

/* --------------------------------------------------------- finish */

static int
cmp_peer(const void *x, const void *y)
{
	const struct emit_peer *a = x, *b = y;
	if (!a->vrf != !b->vrf)
		return a->vrf ? 1 : -1;
	if (a->vrf && strcmp(a->vrf, b->vrf))
		return strcmp(a->vrf, b->vrf);
	return rr_addr_cmp(&a->addr, &b->addr);
}

static int
cmp_group(const void *x, const void *y)
{
	const struct emit_peer *a = x, *b = y;
	return strcmp(a->group_name, b->group_name);
}

static void
finish(struct pctx *c)
{
	struct emit_router *r = c->r;
	size_t i;

	if (r->npeers)
		qsort(r->peers, r->npeers, sizeof(r->peers[0]), cmp_peer);
	if (r->ngroups)
		qsort(r->groups, r->ngroups, sizeof(r->groups[0]), cmp_group);
	if (r->nranges)
		qsort(r->ranges, r->nranges, sizeof(r->ranges[0]), cmp_range);
	/* An IPv6 or deactivated neighbor under the default would be
	 * activated for IPv4 unicast: print every activation instead. */
	for (i = 0; i < r->npeers; i++) {
		const struct emit_peer *p = &r->peers[i];
		const struct emit_peer *g =
		        p->member_of ? find_group(c, p->member_of) : NULL;
		bool v4 = p->activate[EMIT_AFI_V4] ||
		          (g && g->activate[EMIT_AFI_V4]);
		if (!p->vrf && !v4)
			r->no_default_ipv4 = true;
		if (p->has_remote_as && p->remote_as != r->asn)
			r->has_ebgp = true;
	}
	for (i = 0; i < r->ngroups; i++) {
		const struct emit_peer *g = &r->groups[i];
		if (!g->activate[EMIT_AFI_V4])
			r->no_default_ipv4 = true;
		if (g->has_remote_as && g->remote_as != r->asn)
			r->has_ebgp = true;
	}
}

int
emit_router_plan(const struct rr_model *m, const struct emit_opts *o,
                 struct rr_arena *a, struct emit_router *out,
                 struct rr_diags *d)
{
	static const struct emit_opts none;
	struct pctx c;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	c.m = m;
	c.o = o ? o : &none;
	c.a = a;
	c.d = d;
	c.r = out;
	c.style = c.o->style;
	if (pick_router(&c) < 0)
		return -1;
	session_addrs(&c);
	if (router_as(&c) < 0)
		return -1;
	process_settings(&c);
	collect_clients(&c);
	base_neighbors(&c);
	if (c.style == EMIT_STYLE_AUTO)
		c.style = EMIT_STYLE_NEIGHBOR;
	cluster_id(&c);
	switch (c.style) {
	case EMIT_STYLE_LISTEN_RANGE:
		if (style_listen_range(&c) < 0)
			return -1;
		break;
	case EMIT_STYLE_PEER_GROUP:
		style_peer_group(&c);
		break;
	default:
		style_neighbor(&c);
		break;
	}
	if (c.overflow) {
		rr_diag_add(d, RR_SEV_ERROR, NULL, NULL,
		            "the nodes need more than %d different session "
		            "settings: use --style neighbor",
		            MAX_GROUPS);
		return -1;
	}
	provenance(&c);
	finish(&c);
	return 0;
}

void
emit_bestpath_lines(FILE *f, const struct emit_router *r)
{
	if (r->compare_routerid)
		fputs(" bgp bestpath compare-routerid\n", f);
	if (r->deterministic_med)
		fputs(" bgp deterministic-med\n", f);
	if (r->always_compare_med)
		fputs(" bgp always-compare-med\n", f);
	if (r->med_missing_as_worst)
		fputs(" bgp bestpath med missing-as-worst\n", f);
	if (r->as_path_ignore)
		fputs(" bgp bestpath as-path ignore\n", f);
	if (r->multipath_relax)
		fputs(" bgp bestpath as-path multipath-relax\n", f);
}

void
emit_kept_af_lines(FILE *f, const struct emit_attrs *k, const char *id,
                   bool frr)
{
	if (k->prefix_list_in)
		fprintf(f, "  neighbor %s prefix-list %s in\n", id,
		        k->prefix_list_in);
	if (k->prefix_list_out)
		fprintf(f, "  neighbor %s prefix-list %s out\n", id,
		        k->prefix_list_out);
	if (k->filter_list_in)
		fprintf(f, "  neighbor %s filter-list %s in\n", id,
		        k->filter_list_in);
	if (k->filter_list_out)
		fprintf(f, "  neighbor %s filter-list %s out\n", id,
		        k->filter_list_out);
	if (k->has_weight)
		fprintf(f, "  neighbor %s weight %u\n", id, k->weight);
	if (k->allowas_in)
		fprintf(f, "  neighbor %s allowas-in %u\n", id, k->allowas_in);
	if (k->as_override)
		fprintf(f, "  neighbor %s as-override\n", id);
	if (k->remove_private_as)
		fprintf(f, "  neighbor %s remove-private-%s\n", id,
		        frr ? "AS" : "as");
	if (k->soft_reconfig_in)
		fprintf(f, "  neighbor %s soft-reconfiguration inbound\n", id);
	if (k->default_originate)
		fprintf(f, "  neighbor %s default-originate%s%s\n", id,
		        k->default_originate_map ? " route-map " : "",
		        k->default_originate_map ? k->default_originate_map
		                                 : "");
	if (k->maximum_prefix) {
		char th[8] = "", rs[24] = "";
		if (k->maximum_prefix_threshold)
			snprintf(th, sizeof(th), " %u",
			         (unsigned)k->maximum_prefix_threshold);
		if (k->maximum_prefix_restart && !k->maximum_prefix_warning_only)
			snprintf(rs, sizeof(rs), " restart %u",
			         (unsigned)k->maximum_prefix_restart);
		fprintf(f, "  neighbor %s maximum-prefix %u%s%s%s\n", id,
		        k->maximum_prefix, th,
		        k->maximum_prefix_warning_only ? " warning-only" : "",
		        rs);
	}
}

const char *
emit_mask_str(uint8_t len, char buf[RR_ADDR_STRLEN])
{
	uint32_t m = len >= 32 ? 0xffffffffu : len ? ~(0xffffffffu >> len) : 0;
	struct rr_addr a = rr_addr_from_v4(m);
	return rr_addr_str(&a, buf);
}

void
emit_free(char *text)
{
	free(text);
}
