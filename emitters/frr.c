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
 * warning.  Configuration blocks close with `exit`.
 */
#include "emitters/emitters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (p->update_source)
		fprintf(f, " neighbor %s update-source %s\n", id,
		        p->update_source);
	if (p->has_timers)
		fprintf(f, " neighbor %s timers %u %u\n", id, p->keepalive,
		        p->hold);
	if (p->shutdown)
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
	if (p->next_hop_self)
		fprintf(f, "  neighbor %s next-hop-self%s\n", id,
		        p->next_hop_self_all ? " force" : "");
	if (p->next_hop_unchanged)
		fprintf(f, "  neighbor %s attribute-unchanged next-hop\n", id);
	if (p->send_community)
		fprintf(f, "  neighbor %s send-community %s\n", id,
		        *p->send_community ? p->send_community : "standard");
	if (p->route_map_in)
		fprintf(f, "  neighbor %s route-map %s in\n", id,
		        p->route_map_in);
	if (p->route_map_out)
		fprintf(f, "  neighbor %s route-map %s out\n", id,
		        p->route_map_out);
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
	return false;
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
	if (r->no_default_ipv4)
		fputs(" no bgp default ipv4-unicast\n", f);
	if (r->has_ebgp)
		fputs(" no bgp ebgp-requires-policy\n", f);
	if (r->no_client_to_client && !vrf)
		fputs(" no bgp client-to-client reflection\n", f);
	if (r->has_timers && !vrf)
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
	for (i = 0; i < r->npeers; i++)
		minhold |= r->peers[i].min_hold != 0;
	if (minhold)
		rr_diag_add(d, RR_SEV_WARNING, NULL, NULL,
		            "FRR has no minimum hold time: left out");
	for (i = 0; i < r->nredistribute; i++)
		if (!frr_redistribute(r->redistribute[i]))
			rr_diag_add(d, RR_SEV_WARNING, NULL, NULL,
			            "'redistribute %s' is IOS syntax: left "
			            "out of the FRR config",
			            r->redistribute[i]);
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
	fputs("!\nend\n", f);
	if (fclose(f))
		rr_oom();
	rr_arena_release(&a);
	*out = buf;
	*len = n;
	return 0;
}
