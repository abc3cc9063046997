/*
 * emitters/ios.c: the router plan (router.c) as Cisco IOS / IOS-XE
 * configuration, in the address-family NVGEN shape `show running-config` prints:
 * process settings, peer-groups, then neighbors sorted by address at
 * router level for the session commands; activation and route-reflector
 * clients under `address-family ipv4` / `ipv6`, closed by
 * `exit-address-family`.  Only `hostname` and `router bgp` are written;
 * interfaces, routes and the rest stay on the router.  IOS keeps no
 * comments, so the notes go in `!` lines at the top.
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

/* Session-level lines of a neighbor or peer-group (router level). */
static void
session(FILE *f, const struct emit_peer *p, const char *ind)
{
	char b[RR_ADDR_STRLEN];
	const char *id = peer_id(p, b);

	if (p->group_name)
		fprintf(f, "%sneighbor %s peer-group\n", ind, id);
	if (p->has_remote_as)
		fprintf(f, "%sneighbor %s remote-as %u\n", ind, id,
		        p->remote_as);
	if (p->member_of)
		fprintf(f, "%sneighbor %s peer-group %s\n", ind, id,
		        p->member_of);
	if (p->description)
		fprintf(f, "%sneighbor %s description %s\n", ind, id,
		        p->description);
	if (p->local_as)
		fprintf(f, "%sneighbor %s local-as %u\n", ind, id, p->local_as);
	if (p->ttl_security)
		fprintf(f, "%sneighbor %s ttl-security hops %u\n", ind, id,
		        p->ttl_security);
	else if (p->ebgp_multihop)
		fprintf(f, "%sneighbor %s ebgp-multihop %u\n", ind, id,
		        p->ebgp_multihop);
	if (p->password)
		fprintf(f,
		        "%sneighbor %s password " EMIT_PASSWORD_PLACEHOLDER
		        "\n",
		        ind, id);
	if (p->kept.update_source)
		fprintf(f, "%sneighbor %s update-source %s\n", ind, id,
		        p->kept.update_source);
	if (p->kept.has_timers) {
		fprintf(f, "%sneighbor %s timers %u %u", ind, id, p->kept.keepalive,
		        p->kept.hold);
		if (p->kept.min_hold)
			fprintf(f, " %u", p->kept.min_hold);
		fputc('\n', f);
	}
	if (p->kept.shutdown)
		fprintf(f, "%sneighbor %s shutdown\n", ind, id);
}


/* Address-family lines of a neighbor or peer-group. */
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
		        p->kept.next_hop_self_all ? " all" : "");
	if (p->kept.next_hop_unchanged)
		fprintf(f, "  neighbor %s next-hop-unchanged\n", id);
	if (p->kept.send_community)
		fprintf(f, "  neighbor %s send-community%s%s\n", id,
		        strcmp(p->kept.send_community, "standard") &&
		                        *p->kept.send_community
		                ? " "
		                : "",
		        strcmp(p->kept.send_community, "standard")
		                ? p->kept.send_community
		                : "");
	if (p->kept.route_map_in)
		fprintf(f, "  neighbor %s route-map %s in\n", id,
		        p->kept.route_map_in);
	if (p->kept.route_map_out)
		fprintf(f, "  neighbor %s route-map %s out\n", id,
		        p->kept.route_map_out);
	emit_kept_af_lines(f, &p->kept, id, false);
}

static bool
af_used(const struct emit_router *r, enum emit_afi afi)
{
	size_t i;
	for (i = 0; i < r->ngroups; i++)
		if (r->groups[i].activate[afi])
			return true;
	for (i = 0; i < r->npeers; i++)
		if (!r->peers[i].vrf && r->peers[i].activate[afi])
			return true;
	for (i = 0; i < r->nnetworks; i++)
		if (!r->networks[i].vrf &&
		    (r->networks[i].p.addr.af == RR_AF_INET6) ==
		            (afi == EMIT_AFI_V6))
			return true;
	return afi == EMIT_AFI_V4 &&
	       (r->nredistribute || r->maximum_paths || r->maximum_paths_ibgp ||
	        r->maximum_paths_eibgp);
}

static void
address_family(FILE *f, const struct emit_router *r, enum emit_afi afi)
{
	char b[RR_PREFIX_STRLEN], m[RR_ADDR_STRLEN];
	size_t i;

	if (!af_used(r, afi))
		return;
	fprintf(f, " !\n address-family %s\n",
	        afi == EMIT_AFI_V6 ? "ipv6" : "ipv4");
	for (i = 0; i < r->nnetworks; i++) {
		const struct rr_network *n = &r->networks[i];
		if (n->vrf ||
		    (n->p.addr.af == RR_AF_INET6) != (afi == EMIT_AFI_V6))
			continue;
		if (afi == EMIT_AFI_V6)
			fprintf(f, "  network %s\n", rr_prefix_str(&n->p, b));
		else
			fprintf(f, "  network %s mask %s\n",
			        rr_addr_str(&n->p.addr, b),
			        emit_mask_str(n->p.len, m));
	}
	for (i = 0; afi == EMIT_AFI_V4 && i < r->nredistribute; i++)
		fprintf(f, "  redistribute %s\n", r->redistribute[i]);
	if (afi == EMIT_AFI_V4 && r->maximum_paths)
		fprintf(f, "  maximum-paths %u\n", r->maximum_paths);
	if (afi == EMIT_AFI_V4 && r->maximum_paths_ibgp)
		fprintf(f, "  maximum-paths ibgp %u\n", r->maximum_paths_ibgp);
	if (afi == EMIT_AFI_V4 && r->maximum_paths_eibgp)
		fprintf(f, "  maximum-paths eibgp %u\n", r->maximum_paths_eibgp);
	for (i = 0; i < r->ngroups; i++)
		af_lines(f, &r->groups[i], afi);
	for (i = 0; i < r->npeers; i++)
		if (!r->peers[i].vrf)
			af_lines(f, &r->peers[i], afi);
	fputs(" exit-address-family\n", f);
}

/* VRF neighbors: their whole config lives under `address-family ipv4 vrf`. */
static void
vrfs(FILE *f, const struct emit_router *r)
{
	size_t i, j;
	for (i = 0; i < r->npeers; i = j) {
		const char *v = r->peers[i].vrf;
		if (!v) {
			j = i + 1;
			continue;
		}
		fprintf(f, " !\n address-family ipv4 vrf %s\n", v);
		for (j = i; j < r->npeers && r->peers[j].vrf &&
		            !strcmp(r->peers[j].vrf, v);
		     j++) {
			session(f, &r->peers[j], "  ");
			af_lines(f, &r->peers[j], EMIT_AFI_V4);
		}
		fputs(" exit-address-family\n", f);
	}
}

static void
router_bgp(FILE *f, const struct emit_router *r)
{
	char b[RR_PREFIX_STRLEN];
	size_t i;

	fprintf(f, "router bgp %u\n", r->asn);
	if (r->has_router_id)
		fprintf(f, " bgp router-id %s\n",
		        rr_addr_str(&r->router_id, b));
	if (r->cluster_id)
		fprintf(f, " bgp cluster-id %s\n", r->cluster_id);
	if (r->confed_id)
		fprintf(f, " bgp confederation identifier %u\n", r->confed_id);
	if (r->nconfed_peers) {
		fputs(" bgp confederation peers", f);
		for (i = 0; i < r->nconfed_peers; i++)
			fprintf(f, " %u", r->confed_peers[i]);
		fputc('\n', f);
	}
	if (r->log_neighbor_changes)
		fputs(" bgp log-neighbor-changes\n", f);
	emit_bestpath_lines(f, r);
	if (r->graceful_restart)
		fputs(" bgp graceful-restart\n", f);
	for (i = 0; i < r->nranges; i++)
		fprintf(f, " bgp listen range %s peer-group %s\n",
		        rr_prefix_str(&r->ranges[i].p, b), r->ranges[i].group);
	if (r->listen_limit)
		fprintf(f, " bgp listen limit %u\n", r->listen_limit);
	if (r->no_default_ipv4)
		fputs(" no bgp default ipv4-unicast\n", f);
	if (r->no_client_to_client)
		fputs(" no bgp client-to-client reflection\n", f);
	if (r->has_timers) {
		fprintf(f, " timers bgp %u %u", r->keepalive, r->hold);
		if (r->min_hold)
			fprintf(f, " %u", r->min_hold);
		fputc('\n', f);
	}
	for (i = 0; i < r->ngroups; i++)
		session(f, &r->groups[i], " ");
	for (i = 0; i < r->npeers; i++)
		if (!r->peers[i].vrf)
			session(f, &r->peers[i], " ");
	address_family(f, r, EMIT_AFI_V4);
	address_family(f, r, EMIT_AFI_V6);
	vrfs(f, r);
}

int
emit_ios(const struct rr_model *m, const struct emit_opts *o, char **out,
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
	f = open_memstream(&buf, &n);
	if (!f)
		rr_oom();
	fputs("! rrkit gen cisco\n", f);
	for (i = 0; i < r.nnotes; i++)
		fprintf(f, "! %s\n", r.notes[i]);
	fputs("!\n", f);
	if (r.hostname)
		fprintf(f, "hostname %s\n!\n", r.hostname);
	router_bgp(f, &r);
	fputs("!\nend\n", f);
	if (fclose(f))
		rr_oom();
	rr_arena_release(&a);
	*out = buf;
	*len = n;
	return 0;
}
