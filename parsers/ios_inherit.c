/*
 * parsers/ios_inherit.c: peer-group and template inheritance, then the
 * neighbors of the speaker (IOS peer groups, peer templates, dynamic
 * neighbors).
 *
 * Nearer levels win: a value written on the neighbor, else its
 * peer-group's (which may itself come from the group's templates), else
 * the peer-session template chain (policy templates, in sequence order,
 * for address-family settings).  An inherited value keeps the location
 * of the line that set it and names in .via the group or template that
 * line belongs to.  Activation follows `bgp default ipv4-unicast`.
 */
#include "parsers/ios_priv.h"

#include <string.h>

#define INHERIT(dst, src, name)                                                \
	do {                                                                   \
		if (!(dst).set && (src).set) {                                 \
			(dst) = (src);                                         \
			if (!(dst).via)                                        \
				(dst).via = (name);                            \
		}                                                              \
	} while (0)

static void
copy_sess_rare(struct ios_ctx *c, struct ios_ent *de, const struct ios_ent *se)
{
	const char *n = se->name;
	const struct ios_ent_rare *s = se->rare;
	struct ios_ent_rare *d;

	if (!s)
		return;
	d = ios_ent_rare(c, de);
	if (!de->remote_as.set && se->remote_as.set)
		INHERIT(d->alternate_as, s->alternate_as, n);
	if (!d->local_as.set && s->local_as.set) {
		d->la_no_prepend = s->la_no_prepend;
		d->la_replace_as = s->la_replace_as;
		d->la_dual_as = s->la_dual_as;
	}
	INHERIT(d->local_as, s->local_as, n);
	INHERIT(d->disable_cc, s->disable_cc, n);
	if (!d->keepalive.set && !d->hold.set) { /* one `timers` line */
		INHERIT(d->keepalive, s->keepalive, n);
		INHERIT(d->hold, s->hold, n);
		INHERIT(d->min_hold, s->min_hold, n);
	}
	INHERIT(d->ebgp_multihop, s->ebgp_multihop, n);
	INHERIT(d->ttl_security, s->ttl_security, n);
	INHERIT(d->cluster_id, s->cluster_id, n);
}

static void
copy_sess(struct ios_ctx *c, struct ios_ent *d, const struct ios_ent *s)
{
	const char *n = s->name;

	copy_sess_rare(c, d, s); /* before remote-as: alternate-as goes with it */
	INHERIT(d->remote_as, s->remote_as, n);
	if (!d->password.set && s->password.set)
		d->password_hash = s->password_hash;
	INHERIT(d->password, s->password, n);
	INHERIT(d->shutdown, s->shutdown, n);
	INHERIT(d->passive, s->passive, n);
	INHERIT(d->update_source, s->update_source, n);
	INHERIT(d->description, s->description, n);
}

static void
copy_pol(struct ios_ctx *c, struct ios_pol *d, const struct ios_pol *s,
         const char *n)
{
	struct ios_pol_rare *dr;
	const struct ios_pol_rare *sr = s->rare;

	if (!d->nhs.set && s->nhs.set)
		d->nhs_all = s->nhs_all;
	INHERIT(d->nhs, s->nhs, n);
	INHERIT(d->rr_client, s->rr_client, n);
	INHERIT(d->nh_unchanged, s->nh_unchanged, n);
	INHERIT(d->send_community, s->send_community, n);
	INHERIT(d->rm_in, s->rm_in, n);
	INHERIT(d->rm_out, s->rm_out, n);
	if (!sr)
		return;
	dr = ios_pol_rare(c, d);
	INHERIT(dr->pl_in, sr->pl_in, n);
	INHERIT(dr->pl_out, sr->pl_out, n);
	INHERIT(dr->fl_in, sr->fl_in, n);
	INHERIT(dr->fl_out, sr->fl_out, n);
	INHERIT(dr->dl_in, sr->dl_in, n);
	INHERIT(dr->dl_out, sr->dl_out, n);
	INHERIT(dr->as_override, sr->as_override, n);
	INHERIT(dr->remove_private_as, sr->remove_private_as, n);
	INHERIT(dr->soft_in, sr->soft_in, n);
	if (!dr->default_originate.set && sr->default_originate.set)
		dr->default_originate_map = sr->default_originate_map;
	INHERIT(dr->default_originate, sr->default_originate, n);
	INHERIT(dr->allowas_in, sr->allowas_in, n);
	INHERIT(dr->weight, sr->weight, n);
	if (!dr->max_prefix.set && sr->max_prefix.set) {
		dr->max_prefix_warning = sr->max_prefix_warning;
		dr->max_prefix_threshold = sr->max_prefix_threshold;
		dr->max_prefix_restart = sr->max_prefix_restart;
	}
	INHERIT(dr->max_prefix, sr->max_prefix, n);
}

static struct ios_ent *
lookup(struct ios_ctx *c, enum ios_ent_kind k, const char *vrf,
       const char *name)
{
	char buf[512];
	size_t n = ios_ent_key(buf, sizeof(buf), k, vrf, name, strlen(name));
	struct ios_ent *e = ios_htab_get(&c->ents, buf, n);

	if (!e && vrf)
		return lookup(c, k, NULL, name);
	return e;
}

/* The template `name` of kind k, or NULL after an error at `at`. */
static struct ios_ent *
template_of(struct ios_ctx *c, enum ios_ent_kind k, const char *name,
            const struct rr_loc *at)
{
	static const char *const kn[] = {[IOS_ENT_TSESS] = "peer-session",
	                                 [IOS_ENT_TPOL] = "peer-policy"};
	enum ios_ent_kind other =
	        k == IOS_ENT_TSESS ? IOS_ENT_TPOL : IOS_ENT_TSESS;
	struct ios_ent *t = lookup(c, k, NULL, name);

	if (t)
		return t;
	if (lookup(c, other, NULL, name))
		rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_IOS_INVALID, at,
		            "'%s' is a %s template, not a %s template", name,
		            kn[other], kn[k]);
	else
		rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_IOS_INVALID, at,
		            "template %s '%s' is not defined", kn[k], name);
	return NULL;
}

static void resolve(struct ios_ctx *c, struct ios_ent *e);

/* Policy templates in sequence order (lower first: it wins). */
static void
resolve_pol_inh(struct ios_ctx *c, struct ios_pol *p)
{
	size_t i, j;

	for (i = 1; i < p->ninh; i++) /* insertion sort, stable */
		for (j = i; j > 0 && p->inh[j - 1].seq > p->inh[j].seq; j--) {
			struct ios_pinh t = p->inh[j];
			p->inh[j] = p->inh[j - 1];
			p->inh[j - 1] = t;
		}
	for (i = 0; i < p->ninh; i++) {
		struct ios_ent *t = template_of(c, IOS_ENT_TPOL, p->inh[i].name,
		                                &p->inh[i].at);
		if (!t)
			continue;
		resolve(c, t);
		if (t->pol[IOS_POL_V4])
			copy_pol(c, p, t->pol[IOS_POL_V4], t->name);
	}
}

static void
resolve(struct ios_ctx *c, struct ios_ent *e)
{
	size_t k;

	if (e->state == 2)
		return;
	if (e->state == 1) {
		rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_IOS_INVALID, &e->loc,
		            "template '%s' inherits from itself",
		            e->name ? e->name : "?");
		return;
	}
	e->state = 1;
	if (e->group.set) {
		struct ios_ent *g =
		        lookup(c, IOS_ENT_GROUP, e->vrf, e->group.v);
		if (!g) {
			rr_diag_add(c->d, RR_SEV_ERROR, RR_RULE_IOS_INVALID, &e->group.at,
			            "peer-group '%s' is not defined",
			            e->group.v);
		} else {
			resolve(c, g);
			copy_sess(c, e, g);
			for (k = 0; k < 2; k++)
				if (g->pol[k])
					copy_pol(c, ios_pol_of(c, e, (int)k),
					         g->pol[k], g->name);
			for (k = 0; k < RR_AFS_COUNT; k++)
				INHERIT(e->act[k], g->act[k], g->name);
		}
	}
	if (e->sess.set) {
		struct ios_ent *t =
		        template_of(c, IOS_ENT_TSESS, e->sess.v, &e->sess.at);
		if (t) {
			resolve(c, t);
			copy_sess(c, e, t);
		}
	}
	for (k = 0; k < 2; k++)
		if (e->pol[k])
			resolve_pol_inh(c, e->pol[k]);
	e->state = 2;
}

/* ---------------------------------------------------------- output */

static void
source_from(struct ios_ctx *c, struct rr_neighbor *n, const struct rr_iface *f,
            const struct rr_iface_addr *a)
{
	n->source_address.set = true;
	n->source_address.v = a->p.addr;
	n->source_address.at = a->at;
	if (c->via_canon != f->canon) { /* neighbors share an interface */
		c->via_canon = f->canon;
		c->via = rr_arena_printf(&c->m->arena, "interface %s", f->canon);
	}
	n->source_address.via = c->via;
}

/*
 * The local address: update-source's primary address of the neighbor's
 * family; else the address of the interface on the neighbor's connected
 * subnet, the source IOS chooses.  Unknown otherwise (chosen at run time).
 */
static void
source_address(struct ios_ctx *c, struct rr_neighbor *n, uint8_t af)
{
	const struct rr_speaker *s = c->s;
	size_t i, k;

	if (n->update_source.set) {
		const struct rr_iface *f =
		        ios_find_iface(c, n->update_source.v);
		if (!f)
			return;
		for (k = 0; k < f->naddrs; k++)
			if (f->addrs[k].p.addr.af == af &&
			    !f->addrs[k].secondary) {
				source_from(c, n, f, &f->addrs[k]);
				return;
			}
		return;
	}
	if (n->is_range)
		return;
	for (i = 0; i < s->nifaces; i++) {
		const struct rr_iface *f = &s->ifaces[i];
		if (f->shutdown ||
		    (f->vrf != n->vrf &&
		     (!f->vrf || !n->vrf || strcmp(f->vrf, n->vrf))))
			continue;
		for (k = 0; k < f->naddrs; k++) {
			const struct rr_iface_addr *a = &f->addrs[k];
			unsigned full = af == RR_AF_INET ? 32 : 128;
			if (a->p.addr.af != af || a->p.len >= full ||
			    rr_addr_eq(&a->p.addr, &n->peer) ||
			    !rr_prefix_contains(&a->p, &n->peer))
				continue;
			source_from(c, n, f, a);
			return;
		}
	}
}

static const char *
first_policy(const struct ios_pol *p)
{
	return p->ninh ? p->inh[0].name : NULL;
}

/*
 * The settings few neighbors have (struct rr_nb_rare), written only when
 * e or its address-family settings hold one: most neighbors hold none
 * and skip clearing and comparing the whole struct.
 */
static void
emit_rare(struct ios_ctx *c, struct rr_neighbor *n, const struct ios_ent *e,
          const struct ios_pol *p)
{
	static const struct ios_pol_rare none_rare;
	static const struct ios_ent_rare none_ent;
	const struct ios_ent_rare *er = e->rare ? e->rare : &none_ent;
	const struct ios_pol_rare *pr = p->rare ? p->rare : &none_rare;
	struct rr_nb_rare r;
	size_t k;

	if (!e->rare && !p->rare && !e->passive.set && !p->rm_in.set &&
	    !p->rm_out.set && !e->act[RR_AFS_VPNV4].set &&
	    !e->act[RR_AFS_VPNV6].set && !e->act[RR_AFS_IPV4_MULTICAST].set &&
	    !e->act[RR_AFS_OTHER].set &&
	    !(e->def_in_af && e->def_af > RR_AFS_IPV6))
		return; /* nothing rare to write */
	memset(&r, 0, sizeof(r));
	r.local_as = er->local_as;
	r.rr_cluster_id = er->cluster_id;
	for (k = RR_AFS_VPNV4; k < RR_AFS_COUNT; k++)
		r.af_more[k - RR_AFS_VPNV4] = e->act[k];
	if (e->def_in_af && e->def_af > RR_AFS_IPV6 &&
	    !e->act[e->def_af].set) /* remote-as inside the family */
		r.af_more[e->def_af - RR_AFS_VPNV4].v = true;
	r.min_hold = er->min_hold;
	r.route_map_in = p->rm_in;
	r.route_map_out = p->rm_out;
	r.alternate_as = er->alternate_as;
	r.transport_passive = e->passive;
	r.disable_connected_check = er->disable_cc;
	r.local_as_no_prepend = er->la_no_prepend;
	r.local_as_replace_as = er->la_replace_as;
	r.local_as_dual_as = er->la_dual_as;
	r.prefix_list_in = pr->pl_in;
	r.prefix_list_out = pr->pl_out;
	r.filter_list_in = pr->fl_in;
	r.filter_list_out = pr->fl_out;
	r.distribute_list_in = pr->dl_in;
	r.distribute_list_out = pr->dl_out;
	r.as_override = pr->as_override;
	r.remove_private_as = pr->remove_private_as;
	r.soft_reconfig_in = pr->soft_in;
	r.default_originate = pr->default_originate;
	r.default_originate_map = pr->default_originate_map;
	r.allowas_in = pr->allowas_in;
	r.weight = pr->weight;
	r.maximum_prefix = pr->max_prefix;
	r.maximum_prefix_warning_only = pr->max_prefix_warning;
	r.maximum_prefix_threshold = pr->max_prefix_threshold;
	r.maximum_prefix_restart = pr->max_prefix_restart;
	if (memcmp(&r, &rr_nb_rare_none, sizeof(r)))
		*rr_nb_rare_set(&c->m->arena, n) = r;
}

static void
emit(struct ios_ctx *c, struct ios_ent *e)
{
	struct rr_speaker *s = c->s;
	struct rr_neighbor *n = rr_speaker_add_neighbor(c->m, s);
	uint8_t af = e->kind == IOS_ENT_RANGE ? e->range.addr.af : e->addr.af;
	static const struct ios_pol none;
	static const struct ios_ent_rare none_ent;
	const struct ios_ent_rare *er = e->rare ? e->rare : &none_ent;
	const struct ios_pol *p =
	        e->pol[af == RR_AF_INET6 ? IOS_POL_V6 : IOS_POL_V4];
	const struct ios_ent *g =
	        e->group.set ? lookup(c, IOS_ENT_GROUP, e->vrf, e->group.v)
	                     : NULL;

	if (!p)
		p = &none;
	n->loc = e->loc;
	n->scope = RR_SCOPE_NONE;
	n->is_range = e->kind == IOS_ENT_RANGE;
	n->range = e->range;
	n->peer = e->addr;
	n->vrf = e->vrf;
	n->remote_as = e->remote_as;
	n->passive = n->is_range || (e->passive.set && e->passive.v);
	n->password = e->password;
	n->password_hash = e->password.set ? e->password_hash : 0;
	n->af[RR_AFS_IPV4] = e->act[RR_AFS_IPV4];
	n->af[RR_AFS_IPV6] = e->act[RR_AFS_IPV6];
	if (e->def_in_af && e->def_af <= RR_AFS_IPV6 &&
	    !e->act[e->def_af].set)
		n->af[e->def_af].v = true; /* remote-as inside the family */
	if (!e->vrf && !n->af[RR_AFS_IPV4].set &&
	    (!s->default_ipv4_unicast.set || s->default_ipv4_unicast.v))
		n->af[RR_AFS_IPV4].v = true; /* bgp default ipv4-unicast */
	n->update_source = e->update_source;
	n->shutdown = e->shutdown;
	n->keepalive = er->keepalive;
	n->hold = er->hold;
	n->description = e->description;
	n->ebgp_multihop = er->ebgp_multihop;
	n->ttl_security = er->ttl_security;
	n->rr_client = p->rr_client;
	n->next_hop_self = p->nhs;
	n->next_hop_self_all = p->nhs.set && p->nhs.v && p->nhs_all;
	if (p->nhs.set && p->nhs.v)
		n->next_hop = RR_NH_SELF;
	else if (p->nh_unchanged.set && p->nh_unchanged.v)
		n->next_hop = RR_NH_KEEP;
	n->send_community = p->send_community;
	n->peer_group = g ? g->name : NULL;
	n->session_template = e->sess.set        ? e->sess.v
	                      : g && g->sess.set ? g->sess.v
	                                         : NULL;
	n->policy_template = first_policy(p);
	if (!n->policy_template && g &&
	    g->pol[af == RR_AF_INET6 ? IOS_POL_V6 : IOS_POL_V4])
		n->policy_template = first_policy(
		        g->pol[af == RR_AF_INET6 ? IOS_POL_V6 : IOS_POL_V4]);
	source_address(c, n, af);
	emit_rare(c, n, e, p);
}

void
ios_finish_bgp(struct ios_ctx *c)
{
	struct rr_speaker *s = c->s;
	struct ios_ent *e;
	size_t n = 0;

	for (e = c->first; e; e = e->next) {
		resolve(c, e); /* templates never used are checked too */
		n += e->kind == IOS_ENT_NB || e->kind == IOS_ENT_RANGE;
	}
	if (n && !s->capnb) { /* one allocation, not a doubling series */
		s->neighbors = rr_arena_calloc(&c->m->arena, n,
		                               sizeof(*s->neighbors));
		s->capnb = n;
	}
	for (e = c->first; e; e = e->next)
		if (e->kind == IOS_ENT_NB || e->kind == IOS_ENT_RANGE)
			emit(c, e);
}
