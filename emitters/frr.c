/*
 * emitters/frr.c: the router plan (router.c) in FRR bgpd's dialect, so a
 * real BGP daemon can load what `gen cisco` describes (`bgpd -C` checks
 * it).  Differences from IOS that matter here: peer-groups must exist
 * before `bgp listen range` names them; address families are
 * `ipv4 unicast` / `ipv6 unicast`; eBGP sessions exchange no routes
 * without a policy unless `no bgp ebgp-requires-policy` (RFC 8212);
 * `next-hop-self force` is IOS `next-hop-self all`; VRF neighbors live in
 * their own `router bgp ASN vrf NAME`; IOS-only knobs (minimum hold time,
 * `redistribute` other than connected/static) are left out with a
 * warning; the router config's route-maps and lists are written too (FRR
 * denies every route through a route-map it does not have).
 * Configuration blocks close with `exit`.
 */
#include "emitters/emitters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FRR refuses a hold time of 1 or 2 s ("hold time value must be either 0
 * or greater than 3", bgp_vty.c) and runs without the line; IOS takes it
 * and offers it, and the peers refuse the OPEN (RFC 4271 4.2) */
static bool
frr_hold_ok(uint32_t hold)
{
	return hold != 1 && hold != 2;
}

static const char *
peer_id(const struct emit_peer *p, char buf[RR_ADDR_STRLEN])
{
	return p->group_name ? p->group_name : rr_addr_str(&p->addr, buf);
}

static void
session(FILE *f, const struct emit_peer *p)
{
	char b[RR_ADDR_STRLEN];
	const char *id = peer_id(p, b);

	if (p->group_name)
		fprintf(f, " neighbor %s peer-group\n", id);
	if (p->has_remote_as)
		fprintf(f, " neighbor %s remote-as %u\n", id, p->remote_as);
	if (p->member_of)
		fprintf(f, " neighbor %s peer-group %s\n", id, p->member_of);
	if (p->description)
		fprintf(f, " neighbor %s description %s\n", id, p->description);
	if (p->local_as)
		fprintf(f, " neighbor %s local-as %u\n", id, p->local_as);
	if (p->ttl_security)
		fprintf(f, " neighbor %s ttl-security hops %u\n", id,
		        p->ttl_security);
	else if (p->ebgp_multihop)
		fprintf(f, " neighbor %s ebgp-multihop %u\n", id,
		        p->ebgp_multihop);
	if (p->password)
		fprintf(f,
		        " neighbor %s password " EMIT_PASSWORD_PLACEHOLDER "\n",
		        id);
	if (p->kept.update_source)
		fprintf(f, " neighbor %s update-source %s\n", id,
		        p->kept.update_source);
	if (p->kept.has_timers && frr_hold_ok(p->kept.hold))
		fprintf(f, " neighbor %s timers %u %u\n", id, p->kept.keepalive,
		        p->kept.hold);
	if (p->kept.shutdown)
		fprintf(f, " neighbor %s shutdown\n", id);
}


static void
af_lines(FILE *f, const struct emit_peer *p, enum emit_afi afi)
{
	char b[RR_ADDR_STRLEN];
	const char *id = peer_id(p, b);
	bool own = (p->family == RR_AF_INET6) == (afi == EMIT_AFI_V6);

	if (p->activate[afi])
		fprintf(f, "  neighbor %s activate\n", id);
	if (!own || !p->activate[afi])
		return;
	if (p->rr_client)
		fprintf(f, "  neighbor %s route-reflector-client\n", id);
	if (p->kept.next_hop_self)
		fprintf(f, "  neighbor %s next-hop-self%s\n", id,
		        p->kept.next_hop_self_all ? " force" : "");
	if (p->kept.next_hop_unchanged)
		fprintf(f, "  neighbor %s attribute-unchanged next-hop\n", id);
	/* FRR sends every community type by default, IOS none without
	 * send-community: what IOS leaves out is turned off (large
	 * communities: FRR's default) */
	if (!p->member_of) {
		const char *sc = p->kept.send_community;
		bool std = sc && strcmp(sc, "extended") != 0;
		bool ext = sc && (!strcmp(sc, "extended") ||
		                  !strcmp(sc, "both"));
		if (!std)
			fprintf(f, "  no neighbor %s send-community\n", id);
		if (!ext)
			fprintf(f, "  no neighbor %s send-community extended\n",
			        id);
	}
	if (p->kept.route_map_in)
		fprintf(f, "  neighbor %s route-map %s in\n", id,
		        p->kept.route_map_in);
	if (p->kept.route_map_out)
		fprintf(f, "  neighbor %s route-map %s out\n", id,
		        p->kept.route_map_out);
	emit_kept_af_lines(f, &p->kept, id, true);
}

static bool
frr_redistribute(const char *r)
{
	return !strcmp(r, "connected") || !strcmp(r, "static");
}

static bool
af_used(const struct emit_router *r, enum emit_afi afi, const char *vrf)
{
	size_t i;
	for (i = 0; !vrf && i < r->ngroups; i++)
		if (r->groups[i].activate[afi])
			return true;
	for (i = 0; i < r->npeers; i++)
		if (!r->peers[i].vrf == !vrf &&
		    (!vrf || !strcmp(vrf, r->peers[i].vrf)) &&
		    r->peers[i].activate[afi])
			return true;
	for (i = 0; !vrf && i < r->nnetworks; i++)
		if (!r->networks[i].vrf &&
		    (r->networks[i].p.addr.af == RR_AF_INET6) ==
		            (afi == EMIT_AFI_V6))
			return true;
	for (i = 0; !vrf && afi == EMIT_AFI_V4 && i < r->nredistribute; i++)
		if (frr_redistribute(r->redistribute[i]))
			return true;
	return !vrf && afi == EMIT_AFI_V4 &&
	       (r->maximum_paths || r->maximum_paths_ibgp);
}

static void
address_family(FILE *f, const struct emit_router *r, enum emit_afi afi,
               const char *vrf)
{
	char b[RR_PREFIX_STRLEN];
	size_t i;

	if (!af_used(r, afi, vrf))
		return;
	fprintf(f, " !\n address-family %s unicast\n",
	        afi == EMIT_AFI_V6 ? "ipv6" : "ipv4");
	for (i = 0; !vrf && i < r->nnetworks; i++) {
		const struct rr_network *n = &r->networks[i];
		if (!n->vrf &&
		    (n->p.addr.af == RR_AF_INET6) == (afi == EMIT_AFI_V6))
			fprintf(f, "  network %s\n", rr_prefix_str(&n->p, b));
	}
	for (i = 0; !vrf && afi == EMIT_AFI_V4 && i < r->nredistribute; i++)
		if (frr_redistribute(r->redistribute[i]))
			fprintf(f, "  redistribute %s\n", r->redistribute[i]);
	/* IOS installs one path unless told more, FRR as many as it was
	 * built for (64): the number is always written */
	if (!vrf && afi == EMIT_AFI_V4) {
		fprintf(f, "  maximum-paths %u\n",
		        r->maximum_paths ? r->maximum_paths : 1);
		fprintf(f, "  maximum-paths ibgp %u\n",
		        r->maximum_paths_ibgp ? r->maximum_paths_ibgp : 1);
	}
	for (i = 0; !vrf && i < r->ngroups; i++)
		af_lines(f, &r->groups[i], afi);
	for (i = 0; i < r->npeers; i++)
		if (!r->peers[i].vrf == !vrf &&
		    (!vrf || !strcmp(vrf, r->peers[i].vrf)))
			af_lines(f, &r->peers[i], afi);
	fputs(" exit-address-family\n", f);
}

static void
process(FILE *f, const struct emit_router *r, const char *vrf)
{
	char b[RR_PREFIX_STRLEN];
	size_t i;

	if (vrf)
		fprintf(f, "!\nrouter bgp %u vrf %s\n", r->asn, vrf);
	else
		fprintf(f, "router bgp %u\n", r->asn);
	if (r->has_router_id && !vrf)
		fprintf(f, " bgp router-id %s\n",
		        rr_addr_str(&r->router_id, b));
	if (r->cluster_id && !vrf) {
		struct rr_addr a = rr_addr_from_v4(r->cluster_id_v);
		fprintf(f, " bgp cluster-id %s\n", rr_addr_str(&a, b));
	}
	if (r->confed_id && !vrf)
		fprintf(f, " bgp confederation identifier %u\n", r->confed_id);
	if (r->nconfed_peers && !vrf) {
		fputs(" bgp confederation peers", f);
		for (i = 0; i < r->nconfed_peers; i++)
			fprintf(f, " %u", r->confed_peers[i]);
		fputc('\n', f);
	}
	if (r->log_neighbor_changes)
		fputs(" bgp log-neighbor-changes\n", f);
	if (!vrf)
		emit_bestpath_lines(f, r);
	/* IOS neither restarts gracefully nor keeps a restarting peer's
	 * routes without `bgp graceful-restart` (disabled by default); FRR
	 * is a helper by default (FRR's user guide, "Graceful Restart"):
	 * without the line FRR would keep a killed calico-node's block where
	 * IOS withdraws it */
	if (!vrf)
		fputs(r->graceful_restart ? " bgp graceful-restart\n"
		                          : " bgp graceful-restart-disable\n",
		      f);
	if (r->no_default_ipv4)
		fputs(" no bgp default ipv4-unicast\n", f);
	if (r->has_ebgp)
		fputs(" no bgp ebgp-requires-policy\n", f);
	if (r->no_client_to_client && !vrf)
		fputs(" no bgp client-to-client reflection\n", f);
	if (r->has_timers && !vrf && frr_hold_ok(r->hold))
		fprintf(f, " timers bgp %u %u\n", r->keepalive, r->hold);
	for (i = 0; !vrf && i < r->ngroups; i++)
		session(f, &r->groups[i]);
	for (i = 0; !vrf && i < r->nranges; i++)
		fprintf(f, " bgp listen range %s peer-group %s\n",
		        rr_prefix_str(&r->ranges[i].p, b), r->ranges[i].group);
	if (r->listen_limit && !vrf)
		fprintf(f, " bgp listen limit %u\n", r->listen_limit);
	for (i = 0; i < r->npeers; i++)
		if (!r->peers[i].vrf == !vrf &&
		    (!vrf || !strcmp(vrf, r->peers[i].vrf)))
			session(f, &r->peers[i]);
	address_family(f, r, EMIT_AFI_V4, vrf);
	address_family(f, r, EMIT_AFI_V6, vrf);
	fputs("exit\n", f);
}

static void
warn_unsupported(const struct emit_router *r, struct rr_diags *d)
{
	size_t i;
	bool minhold = r->min_hold != 0;
	bool hold = r->has_timers && !frr_hold_ok(r->hold);
	for (i = 0; i < r->npeers; i++) {
		minhold |= r->peers[i].kept.min_hold != 0;
		hold |= r->peers[i].kept.has_timers &&
		        !frr_hold_ok(r->peers[i].kept.hold);
	}
	for (i = 0; i < r->ngroups; i++)
		hold |= r->groups[i].kept.has_timers &&
		        !frr_hold_ok(r->groups[i].kept.hold);
	if (minhold)
		rr_diag_add(d, RR_SEV_WARNING, NULL, NULL,
		            "FRR has no minimum hold time: left out");
	if (hold)
		rr_diag_add(d, RR_SEV_WARNING, NULL, NULL,
		            "FRR refuses a hold time of 1 or 2 s, which IOS "
		            "offers (and its peers refuse the OPEN, RFC 4271 "
		            "4.2): left out, FRR runs with its default");
	if (r->maximum_paths_eibgp)
		rr_diag_add(d, RR_SEV_WARNING, NULL, NULL,
		            "FRR has no 'maximum-paths eibgp': left out");
	for (i = 0; i < r->nredistribute; i++)
		if (!frr_redistribute(r->redistribute[i]))
			rr_diag_add(d, RR_SEV_WARNING, NULL, NULL,
			            "'redistribute %s' is IOS syntax: left "
			            "out of the FRR config",
			            r->redistribute[i]);
}

/* ------------------------------------------------------ route policy */

/* Route policy of the router config in FRR's words (the same as IOS's but
 * `bgp as-path access-list` and `bgp community-list`): FRR denies every
 * route through a route-map it does not have, so the definitions go with
 * the neighbors that use them.  Clauses rrkit does not read (ACLs, tags,
 * `continue`) are left out with a warning. */
static void
comm_word(FILE *f, uint32_t v)
{
	switch (v) {
	case RR_COMM_NO_EXPORT:
		fputs(" no-export", f);
		break;
	case RR_COMM_NO_ADVERTISE:
		fputs(" no-advertise", f);
		break;
	case RR_COMM_LOCAL_AS:
		fputs(" local-AS", f);
		break;
	default:
		fprintf(f, " %u:%u", v >> 16, v & 0xffff);
	}
}

static void
prefix_lists(FILE *f, const struct rr_speaker *s)
{
	char b[RR_PREFIX_STRLEN];
	size_t i, k;

	for (i = 0; i < s->nprefix_lists; i++) {
		const struct rr_prefix_list *l = &s->prefix_lists[i];
		for (k = 0; k < l->n; k++) {
			const struct rr_pl_entry *e = &l->v[k];
			fprintf(f, "%s prefix-list %s seq %u %s %s",
			        l->af == RR_AF_INET6 ? "ipv6" : "ip", l->name,
			        e->seq, e->permit ? "permit" : "deny",
			        rr_prefix_str(&e->p, b));
			if (e->ge)
				fprintf(f, " ge %u", e->ge);
			if (e->le)
				fprintf(f, " le %u", e->le);
			fputc('\n', f);
		}
	}
}

static void
bgp_lists(FILE *f, const struct rr_speaker *s)
{
	size_t i, k, j;

	for (i = 0; i < s->naspath_lists; i++)
		for (k = 0; k < s->aspath_lists[i].n; k++)
			if (s->aspath_lists[i].v[k].re.code)
				fprintf(f, "bgp as-path access-list %s %s %s\n",
				        s->aspath_lists[i].name,
				        s->aspath_lists[i].v[k].permit ? "permit"
				                                       : "deny",
				        s->aspath_lists[i].v[k].re.text);
	for (i = 0; i < s->ncommunity_lists; i++) {
		const struct rr_community_list *l = &s->community_lists[i];
		bool num = l->name[0] >= '0' && l->name[0] <= '9';
		for (k = 0; k < l->n; k++) {
			const struct rr_comm_entry *e = &l->v[k];
			if (l->expanded && !e->re.code)
				continue;
			fprintf(f, "bgp community-list %s%s %s",
			        num ? "" : l->expanded ? "expanded " : "standard ",
			        l->name, e->permit ? "permit" : "deny");
			if (l->expanded)
				fprintf(f, " %s", e->re.text);
			if (e->any)
				fputs(" internet", f);
			for (j = 0; j < e->ncomms; j++)
				comm_word(f, e->comms[j]);
			fputc('\n', f);
		}
	}
}

static bool
rm_match(FILE *f, const struct rr_rm_match *m)
{
	static const char *const kw[] = {
	        [RR_RM_MATCH_PREFIX_LIST] = "ip address prefix-list",
	        [RR_RM_MATCH_AS_PATH] = "as-path",
	        [RR_RM_MATCH_COMMUNITY] = "community",
	};

	/* FRR takes one list per match line: several names (IOS: any of
	 * them) would become all of them, so those are left out */
	if (m->kind == RR_RM_MATCH_OTHER || m->nnames != 1)
		return false;
	fprintf(f, " match %s %s%s\n",
	        m->ipv6 ? "ipv6 address prefix-list" : kw[m->kind],
	        m->names[0], m->exact ? " exact-match" : "");
	return true;
}

static bool
rm_set(FILE *f, const struct rr_rm_set *st)
{
	char b[RR_ADDR_STRLEN];
	size_t i;

	switch (st->kind) {
	case RR_RM_SET_LOCAL_PREF:
		fprintf(f, " set local-preference %u\n", st->v);
		break;
	case RR_RM_SET_WEIGHT:
		fprintf(f, " set weight %u\n", st->v);
		break;
	case RR_RM_SET_METRIC:
		fprintf(f, " set metric %s%u\n",
		        st->delta > 0 ? "+" : st->delta < 0 ? "-" : "", st->v);
		break;
	case RR_RM_SET_NEXT_HOP:
		fprintf(f, " set ip next-hop %s\n", rr_addr_str(&st->nh, b));
		break;
	case RR_RM_SET_NEXT_HOP_PEER:
		fputs(" set ip next-hop peer-address\n", f);
		break;
	case RR_RM_SET_COMMUNITY:
		fputs(" set community", f);
		if (st->none)
			fputs(" none", f);
		for (i = 0; i < st->nlist; i++)
			comm_word(f, st->list[i]);
		fputs(st->additive ? " additive\n" : "\n", f);
		break;
	case RR_RM_SET_COMM_DELETE:
		fprintf(f, " set comm-list %s delete\n", st->name);
		break;
	case RR_RM_SET_PREPEND:
		if (st->last_as) {
			fprintf(f, " set as-path prepend last-as %u\n", st->v);
			break;
		}
		fputs(" set as-path prepend", f);
		for (i = 0; i < st->nlist; i++)
			fprintf(f, " %u", st->list[i]);
		fputc('\n', f);
		break;
	case RR_RM_SET_ORIGIN:
		fprintf(f, " set origin %s\n",
		        st->v == 0 ? "igp" : st->v == 1 ? "egp" : "incomplete");
		break;
	default:
		return false;
	}
	return true;
}

static void
route_maps(FILE *f, const struct rr_speaker *s, struct rr_diags *d)
{
	size_t i, k, j;

	for (i = 0; i < s->nroute_maps; i++) {
		const struct rr_route_map *rm = &s->route_maps[i];
		for (k = 0; k < rm->n; k++) {
			const struct rr_rm_entry *e = &rm->v[k];
			fprintf(f, "route-map %s %s %u\n", rm->name,
			        e->permit ? "permit" : "deny", e->seq);
			for (j = 0; j < e->nmatches; j++)
				if (!rm_match(f, &e->matches[j]))
					rr_diag_add(d, RR_SEV_WARNING, NULL,
					            &e->matches[j].at,
					            "route-map %s %u: 'match %s' "
					            "is left out of the FRR config",
					            rm->name, e->seq,
					            e->matches[j].text);
			for (j = 0; j < e->nsets; j++)
				if (!rm_set(f, &e->sets[j]))
					rr_diag_add(d, RR_SEV_WARNING, NULL,
					            &e->sets[j].at,
					            "route-map %s %u: 'set %s' is "
					            "left out of the FRR config",
					            rm->name, e->seq, e->sets[j].text);
			if (e->has_continue)
				rr_diag_add(d, RR_SEV_WARNING, NULL, &e->at,
				            "route-map %s %u: 'continue' is left "
				            "out of the FRR config",
				            rm->name, e->seq);
			fputs("exit\n", f);
		}
	}
}

static void
policy(FILE *f, const struct emit_router *r, struct rr_diags *d)
{
	const struct rr_speaker *s = r->policy;

	if (!s || !(s->nprefix_lists || s->naspath_lists ||
	            s->ncommunity_lists || s->nroute_maps))
		return;
	fputs("!\n", f);
	prefix_lists(f, s);
	bgp_lists(f, s);
	route_maps(f, s, d);
}

int
emit_frr(const struct rr_model *m, const struct emit_opts *o, char **out,
         size_t *len, struct rr_diags *d)
{
	struct rr_arena a;
	struct emit_router r;
	char *buf = NULL;
	size_t n = 0, i;
	FILE *f;

	*out = NULL;
	*len = 0;
	rr_arena_init(&a);
	if (emit_router_plan(m, o, &a, &r, d) < 0) {
		rr_arena_release(&a);
		return -1;
	}
	warn_unsupported(&r, d);
	f = open_memstream(&buf, &n);
	if (!f)
		rr_oom();
	fputs("! rrkit gen frr\n", f);
	for (i = 0; i < r.nnotes; i++)
		fprintf(f, "! %s\n", r.notes[i]);
	fputs("!\nfrr defaults traditional\n", f);
	if (r.hostname)
		fprintf(f, "hostname %s\n", r.hostname);
	fputs("!\n", f);
	process(f, &r, NULL);
	for (i = 0; i < r.npeers; i++)
		if (r.peers[i].vrf &&
		    (!i || !r.peers[i - 1].vrf ||
		     strcmp(r.peers[i - 1].vrf, r.peers[i].vrf)))
			process(f, &r, r.peers[i].vrf);
	policy(f, &r, d);
	fputs("!\nend\n", f);
	if (fclose(f))
		rr_oom();
	rr_arena_release(&a);
	*out = buf;
	*len = n;
	return 0;
}
