/*
 * parsers/ios*.c: the two NVGEN shapes, peer-group and template
 * inheritance (.via, .at), listen ranges, activation and `bgp default
 * ipv4-unicast`, asdot, cluster ids, passwords (type 0 / 7, never kept),
 * interfaces and the router id, banners, unknown commands with their
 * line:col, CRLF and hostile bytes, the seed sample, and a 5,000-neighbor
 * configuration against the time budget.  Assertions are on the model and
 * on diagnostics' rule id and line:col, not on wording.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "tests/unit/tfixture.h"
#include "tests/unit/tios.h"
#include "tests/unit/tutil.h"

/* ------------------------------------------------------ seed sample */

static void
check_seed(struct fx *f, const struct rr_speaker *s)
{
	const char *peers[] = {"192.168.1.10", "192.168.1.11", "192.168.1.12"};
	const char *descr[] = {"node-a", "node-b", "node-c"};
	size_t i;

	NO_DIAGS(f);
	assert_int_equal(s->kind, RR_SPK_IOS);
	assert_string_equal(s->name, "rr1");
	assert_true(s->bgp_configured);
	assert_int_equal(s->loc.line, 25);
	assert_true(s->asn.set);
	assert_int_equal(s->asn.v, 64512);
	assert_string_equal(astr(&s->router_id.v), "192.168.1.1");
	assert_null(s->router_id.via);
	assert_int_equal(s->router_id.at.line, 26);
	assert_true(s->cluster_id.set);
	assert_int_equal(s->cluster_id.v, 1);
	assert_string_equal(s->cluster_id_text, "1");
	assert_true(s->log_neighbor_changes);
	assert_int_equal(s->keepalive.v, 10);
	assert_int_equal(s->hold.v, 30);
	assert_false(s->min_hold.set);
	assert_false(s->default_ipv4_unicast.set);
	assert_true(s->default_ipv4_unicast.v);
	assert_int_equal(s->nifaces, 3);
	assert_true(iface(s, "GigabitEthernet0/1")->shutdown);
	assert_int_equal(s->naddrs, 2);
	assert_string_equal(pstr(&s->addrs[0].p), "10.255.0.1/32");
	assert_string_equal(pstr(&s->addrs[1].p), "192.168.1.1/24");
	assert_int_equal(s->nneighbors, 3);
	for (i = 0; i < 3; i++) {
		const struct rr_neighbor *n = nb(s, peers[i]);
		assert_int_equal(n->loc.line, 30 + 2 * i);
		assert_int_equal(n->loc.col, 2);
		assert_int_equal(n->remote_as.v, 64512);
		assert_true(n->rr_client.set && n->rr_client.v);
		assert_int_equal(n->rr_client.at.line, 39 + 2 * i);
		assert_int_equal(n->rr_client.at.col, 3);
		assert_null(n->rr_client.via);
		assert_true(n->af[RR_AFS_IPV4].set && n->af[RR_AFS_IPV4].v);
		assert_int_equal(n->af[RR_AFS_IPV4].at.line, 38 + 2 * i);
		assert_false(n->af[RR_AFS_IPV6].v);
		assert_string_equal(n->description.v, descr[i]);
		assert_false(n->password.set);
		assert_false(n->is_range);
		assert_false(n->passive);
		assert_null(n->vrf);
		assert_string_equal(astr(&n->source_address.v), "192.168.1.1");
		assert_string_equal(n->source_address.via,
		                    "interface GigabitEthernet0/0");
	}
}

static void
test_seed(void **state)
{
	struct fx *f = *state;
	size_t len = 0, i, o = 0;
	char *text = slurp("samples/seed/router.ios", &len), *crlf;

	if (!text)
		skip();
	check_seed(f, pio(f, text));

	/* the same file with CRLF line ends and no final newline */
	reset(f);
	crlf = malloc(2 * len + 1);
	assert_non_null(crlf);
	for (i = 0; i < len; i++) {
		if (text[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = text[i];
	}
	while (o && (crlf[o - 1] == '\n' || crlf[o - 1] == '\r'))
		o--;
	assert_int_equal(parse_ios(f->m, "t.ios", crlf, o, &f->d), 0);
	check_seed(f, f->m->speakers[0]);
	free(crlf);
	free(text);
}

/* ------------------------------------------------- the two shapes */

static const char af_shape[] =
        "hostname rr\n"
        "router bgp 64512\n"
        " bgp router-id 192.168.1.1\n"
        " bgp cluster-id 1\n"
        " bgp log-neighbor-changes\n"
        " timers bgp 10 30\n"
        " neighbor 192.168.1.10 remote-as 64512\n"
        " neighbor 192.168.1.10 update-source Loopback0\n"
        " !\n"
        " address-family ipv4\n"
        "  network 10.0.0.0 mask 255.255.0.0\n"
        "  neighbor 192.168.1.10 activate\n"
        "  neighbor 192.168.1.10 route-reflector-client\n"
        "  neighbor 192.168.1.10 next-hop-self\n"
        "  neighbor 192.168.1.10 send-community both\n"
        "  neighbor 192.168.1.10 route-map IN in\n"
        " exit-address-family\n";

static const char flat_shape[] =
        "hostname rr\n"
        "router bgp 64512\n"
        " bgp router-id 192.168.1.1\n"
        " bgp cluster-id 1\n"
        " bgp log-neighbor-changes\n"
        " timers bgp 10 30\n"
        " network 10.0.0.0 mask 255.255.0.0\n"
        " neighbor 192.168.1.10 remote-as 64512\n"
        " neighbor 192.168.1.10 update-source Loopback0\n"
        " neighbor 192.168.1.10 route-reflector-client\n"
        " neighbor 192.168.1.10 next-hop-self\n"
        " neighbor 192.168.1.10 send-community both\n"
        " neighbor 192.168.1.10 route-map IN in\n";

static void
test_two_shapes(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *a = pio(f, af_shape), *b = pio(f, flat_shape);
	const struct rr_neighbor *x, *y;

	NO_DIAGS(f);
	assert_int_equal(a->nneighbors, 1);
	assert_int_equal(b->nneighbors, 1);
	x = &a->neighbors[0];
	y = &b->neighbors[0];
	assert_true(rr_addr_eq(&x->peer, &y->peer));
	assert_int_equal(x->remote_as.v, y->remote_as.v);
	assert_int_equal(x->rr_client.set, y->rr_client.set);
	assert_int_equal(x->rr_client.v, y->rr_client.v);
	assert_true(x->rr_client.v);
	assert_true(x->af[RR_AFS_IPV4].v && y->af[RR_AFS_IPV4].v);
	/* written in the AF shape, implied by the default in the flat one */
	assert_true(x->af[RR_AFS_IPV4].set);
	assert_false(y->af[RR_AFS_IPV4].set);
	assert_true(x->next_hop_self.v && y->next_hop_self.v);
	assert_int_equal(x->next_hop, RR_NH_SELF);
	assert_int_equal(y->next_hop, RR_NH_SELF);
	assert_string_equal(x->send_community.v, "both");
	assert_string_equal(y->send_community.v, "both");
	assert_string_equal(rr_nb_rare(x)->route_map_in.v, "IN");
	assert_string_equal(rr_nb_rare(y)->route_map_in.v, "IN");
	assert_string_equal(x->update_source.v, y->update_source.v);
	assert_int_equal(a->nnetworks, 1);
	assert_int_equal(b->nnetworks, 1);
	assert_int_equal(rr_prefix_cmp(&a->networks[0].p, &b->networks[0].p),
	                 0);
	assert_string_equal(pstr(&a->networks[0].p), "10.0.0.0/16");
	assert_int_equal(a->cluster_id.v, b->cluster_id.v);
	assert_int_equal(a->hold.v, b->hold.v);
}

/* --------------------------------------------------- inheritance */

static void
test_peer_group(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s = pio(
	        f, "router bgp 64512\n"                              /* 1 */
	           " neighbor CALICO peer-group\n"                   /* 2 */
	           " neighbor CALICO remote-as 64512\n"              /* 3 */
	           " neighbor CALICO update-source Lo0\n"            /* 4 */
	           " neighbor CALICO password 0 s3cret\n"            /* 5 */
	           " neighbor CALICO timers 10 30 30\n"              /* 6 */
	           " neighbor 10.0.0.1 peer-group CALICO\n"          /* 7 */
	           " neighbor 10.0.0.2 peer-group CALICO\n"          /* 8 */
	           " neighbor 10.0.0.2 remote-as 65000\n"            /* 9 */
	           " neighbor 10.0.0.2 timers 5 15\n"                /* 10 */
	           " neighbor 10.0.0.2 description own text\n"       /* 11 */
	           " address-family ipv4\n"                          /* 12 */
	           "  neighbor CALICO activate\n"                    /* 13 */
	           "  neighbor CALICO route-reflector-client\n"      /* 14 */
	           "  no neighbor 10.0.0.2 route-reflector-client\n" /* 15 */
	           " exit-address-family\n"                          /* 16 */
	           "interface Loopback0\n"                           /* 17 */
	           " ip address 10.255.0.1 255.255.255.255\n");      /* 18 */
	const struct rr_neighbor *a, *b;

	NO_DIAGS(f);
	assert_int_equal(s->nneighbors, 2); /* the group is no neighbor */
	a = nb(s, "10.0.0.1");
	b = nb(s, "10.0.0.2");
	assert_int_equal(a->loc.line, 7);
	assert_string_equal(a->peer_group, "CALICO");
	assert_int_equal(a->remote_as.v, 64512);
	assert_string_equal(a->remote_as.via, "CALICO");
	assert_int_equal(a->remote_as.at.line, 3);
	assert_string_equal(a->update_source.v, "Lo0");
	assert_string_equal(a->update_source.via, "CALICO");
	assert_string_equal(astr(&a->source_address.v), "10.255.0.1");
	assert_string_equal(a->source_address.via, "interface Loopback0");
	assert_int_equal(a->source_address.at.line, 18);
	assert_true(a->password.set);
	assert_string_equal(a->password.via, "CALICO");
	assert_true(a->password_hash == rr_hash64("s3cret", 6));
	assert_int_equal(a->hold.v, 30);
	assert_int_equal(rr_nb_rare(a)->min_hold.v, 30);
	assert_string_equal(a->hold.via, "CALICO");
	assert_true(a->rr_client.v);
	assert_string_equal(a->rr_client.via, "CALICO");
	assert_int_equal(a->rr_client.at.line, 14);
	assert_true(a->af[RR_AFS_IPV4].set && a->af[RR_AFS_IPV4].v);
	assert_string_equal(a->af[RR_AFS_IPV4].via, "CALICO");

	/* values written on the member win */
	assert_int_equal(b->remote_as.v, 65000);
	assert_null(b->remote_as.via);
	assert_int_equal(b->remote_as.at.line, 9);
	assert_int_equal(b->hold.v, 15);
	assert_false(
	        rr_nb_rare(b)->min_hold.set); /* timers inherit as one line */
	assert_string_equal(b->description.v, "own text");
	assert_true(b->rr_client.set);
	assert_false(b->rr_client.v);
	assert_null(b->rr_client.via);
}

static void
test_templates(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s =
	        pio(f, "router bgp 64512\n"                              /* 1 */
	               " neighbor 10.0.0.1 inherit peer-session CHILD\n" /* 2 */
	               " template peer-session CHILD\n"                  /* 3 */
	               "  timers 10 30\n"                                /* 4 */
	               "  inherit peer-session PARENT\n"                 /* 5 */
	               " exit-peer-session\n"                            /* 6 */
	               " template peer-session PARENT\n"                 /* 7 */
	               "  remote-as 64512\n"                             /* 8 */
	               "  password 7 0822455D0A16\n"                     /* 9 */
	               "  cluster-id 0.0.0.23\n"                       /* 10 */
	               "  timers 1 3\n"                                /* 11 */
	               " exit-peer-session\n"                          /* 12 */
	               " template peer-policy RRC\n"                   /* 13 */
	               "  route-reflector-client\n"                    /* 14 */
	               "  send-community\n"                            /* 15 */
	               "  send-community extended\n"                   /* 16 */
	               "  inherit peer-policy BASE 20\n"               /* 17 */
	               " exit-peer-policy\n"                           /* 18 */
	               " template peer-policy BASE\n"                  /* 19 */
	               "  route-map OUT out\n"                         /* 20 */
	               "  route-reflector-client\n"                    /* 21 */
	               " exit-peer-policy\n"                           /* 22 */
	               " address-family ipv4\n"                        /* 23 */
	               "  neighbor 10.0.0.1 activate\n"                /* 24 */
	               "  neighbor 10.0.0.1 inherit peer-policy RRC\n" /* 25 */
	               " exit-address-family\n");                      /* 26 */
	const struct rr_neighbor *n;

	NO_DIAGS(f);
	assert_int_equal(s->nneighbors, 1);
	n = nb(s, "10.0.0.1");
	assert_int_equal(n->loc.line, 2);
	assert_string_equal(n->session_template, "CHILD");
	assert_string_equal(n->policy_template, "RRC");
	assert_null(n->peer_group);
	assert_int_equal(n->remote_as.v, 64512);
	assert_string_equal(n->remote_as.via, "PARENT");
	assert_int_equal(n->remote_as.at.line, 8);
	/* the nearer template wins */
	assert_int_equal(n->keepalive.v, 10);
	assert_string_equal(n->keepalive.via, "CHILD");
	assert_int_equal(n->keepalive.at.line, 4);
	assert_int_equal(rr_nb_rare(n)->rr_cluster_id.v, 23);
	assert_true(n->password.set);
	assert_true(n->password_hash == rr_hash64("cisco", 5));
	assert_true(n->rr_client.v);
	assert_string_equal(n->rr_client.via, "RRC");
	assert_int_equal(n->rr_client.at.line, 14);
	assert_string_equal(n->send_community.v, "both");
	assert_string_equal(rr_nb_rare(n)->route_map_out.v, "OUT");
	assert_string_equal(rr_nb_rare(n)->route_map_out.via, "BASE");
	assert_int_equal(rr_nb_rare(n)->route_map_out.at.line, 20);
}

static void
test_template_errors(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s =
	        pio(f, "router bgp 1\n"                                 /* 1 */
	               " template peer-policy POL\n"                    /* 2 */
	               "  route-map MAP in\n"                           /* 3 */
	               "  remote-as 5\n"                                /* 4 */
	               " exit-peer-policy\n"                            /* 5 */
	               " template peer-session SESS:A\n"                /* 6 */
	               "  remote-as 65444\n"                            /* 7 */
	               "  route-reflector-client\n"                     /* 8 */
	               " exit-peer-session\n"                           /* 9 */
	               " neighbor 1.1.1.1 inherit peer-session POL\n"   /* 10 */
	               " neighbor 1.1.1.1 inherit peer-policy SESS:A\n" /* 11 */
	               " neighbor 2.2.2.2 inherit peer-session NOPE\n"  /* 12 */
	               " template peer-session LOOP\n"                  /* 13 */
	               "  inherit peer-session LOOP\n"                  /* 14 */
	               " exit-peer-session\n");                         /* 15 */

	/* commands of the wrong kind of template */
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 4, 3);
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 8, 3);
	/* a template of the other kind, an undefined one, a loop */
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 10, 40);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 11, 39);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 12, 40);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 13, 2);
	assert_false(nb(s, "1.1.1.1")->remote_as.set);
	assert_false(rr_nb_rare(nb(s, "1.1.1.1"))->route_map_in.set);
}

/* ----------------------------------------------------- listen range */

static void
test_listen_range(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s =
	        pio(
	                f, "router bgp 64512\n" /* 1 */
	                   " bgp listen range 192.168.1.0/24 peer-group "
	                   "CALICO\n"                /* 2 */
	                   " bgp listen limit 200\n" /* 3 */
	                   " bgp listen range 10.0.0.0/26 peer-group G2 "
	                   "remote-as 3\n" /* 4 */
	                   " bgp listen range 172.16.0.0/16 peer-group "
	                   "MISSING\n"                                  /* 5 */
	                   " neighbor CALICO peer-group\n"              /* 6 */
	                   " neighbor CALICO remote-as 64512\n"         /* 7 */
	                   " neighbor G2 peer-group\n"                  /* 8 */
	                   " !\n"                                       /* 9 */
	                   " address-family ipv4\n"                     /* 10 */
	                   "  neighbor CALICO activate\n"               /* 11 */
	                   "  neighbor CALICO route-reflector-client\n" /* 12 */
	                   " exit-address-family\n");                   /* 13 */
	const struct rr_neighbor *r, *r2;

	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 5, 44);
	assert_int_equal(ndiags(f), 1);
	assert_int_equal(s->listen_limit.v, 200);
	assert_int_equal(s->nneighbors, 3);
	r = nb(s, "192.168.1.0/24");
	assert_true(r->is_range);
	assert_true(r->passive);
	assert_int_equal(r->loc.line, 2);
	assert_string_equal(r->peer_group, "CALICO");
	assert_int_equal(r->remote_as.v, 64512);
	assert_string_equal(r->remote_as.via, "CALICO");
	assert_int_equal(r->remote_as.at.line, 7);
	assert_true(r->rr_client.v);
	assert_string_equal(r->rr_client.via, "CALICO");
	assert_true(r->af[RR_AFS_IPV4].set && r->af[RR_AFS_IPV4].v);
	r2 = nb(s, "10.0.0.0/26");
	assert_int_equal(r2->remote_as.v, 3);
	assert_null(r2->remote_as.via);
	assert_false(r2->rr_client.set);
	assert_true(r2->af[RR_AFS_IPV4].v); /* by the default */
	assert_false(r2->af[RR_AFS_IPV4].set);
}

/* --------------------------------------------------------- activation */

static void
test_default_ipv4_unicast(void **state)
{
	struct fx *f = *state;
	static const char body[] =
	        " neighbor 10.0.0.1 remote-as 1\n"
	        " neighbor 10.0.0.2 remote-as 1\n"
	        " neighbor 10.0.0.3 remote-as 1\n"
	        " neighbor 2001:db8::1 remote-as 1\n"
	        " address-family ipv4\n"
	        "  neighbor 10.0.0.1 activate\n"
	        "  no neighbor 10.0.0.3 activate\n"
	        " exit-address-family\n"
	        " address-family ipv6\n"
	        "  neighbor 2001:db8::1 activate\n"
	        "  neighbor 2001:db8::1 route-reflector-client\n"
	        " exit-address-family\n"
	        " address-family vpnv4\n"
	        "  neighbor 10.0.0.2 activate\n"
	        " exit-address-family\n";
	char buf[1024];
	const struct rr_speaker *s;
	const struct rr_neighbor *n;

	snprintf(buf, sizeof(buf), "router bgp 1\n%s", body);
	s = pio(f, buf);
	NO_DIAGS(f);
	assert_true(s->default_ipv4_unicast.v);
	n = nb(s, "10.0.0.1");
	assert_true(n->af[RR_AFS_IPV4].set && n->af[RR_AFS_IPV4].v);
	n = nb(s, "10.0.0.2"); /* implied */
	assert_false(n->af[RR_AFS_IPV4].set);
	assert_true(n->af[RR_AFS_IPV4].v);
	assert_true(rr_nb_af(n, RR_AFS_VPNV4)->v);
	n = nb(s, "10.0.0.3");
	assert_true(n->af[RR_AFS_IPV4].set);
	assert_false(n->af[RR_AFS_IPV4].v);
	n = nb(s, "2001:db8::1");
	assert_true(n->af[RR_AFS_IPV4].v); /* IOS activates it too */
	assert_true(n->af[RR_AFS_IPV6].set && n->af[RR_AFS_IPV6].v);
	assert_true(n->rr_client.v); /* its own family's client flag */

	reset(f);
	snprintf(buf, sizeof(buf),
	         "router bgp 1\n no bgp default ipv4-unicast\n%s", body);
	s = pio(f, buf);
	NO_DIAGS(f);
	assert_true(s->default_ipv4_unicast.set);
	assert_false(s->default_ipv4_unicast.v);
	assert_int_equal(s->default_ipv4_unicast.at.line, 2);
	assert_true(nb(s, "10.0.0.1")->af[RR_AFS_IPV4].v);
	n = nb(s, "10.0.0.2");
	assert_false(n->af[RR_AFS_IPV4].v);
	assert_true(rr_nb_af(n, RR_AFS_VPNV4)->v);
	assert_false(nb(s, "10.0.0.3")->af[RR_AFS_IPV4].v);
	n = nb(s, "2001:db8::1");
	assert_false(n->af[RR_AFS_IPV4].v);
	assert_true(n->af[RR_AFS_IPV6].v);
}

static void
test_vrf_neighbors(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s =
	        pio(f, "router bgp 1\n"
	               " neighbor 10.1.1.2 remote-as 2\n"
	               " address-family ipv4 vrf CUST:A\n"
	               "  neighbor 10.1.1.2 remote-as 65001\n"
	               "  neighbor 10.1.1.2 route-reflector-client\n"
	               "  network 10.9.0.0 mask 255.255.0.0\n"
	               "  bgp router-id 9.9.9.9\n"
	               " exit-address-family\n"
	               " neighbor 10.1.1.2 description default-vrf\n"
	               "interface Gi0/1\n"
	               " vrf forwarding CUST:A\n"
	               " ip address 10.1.1.1 255.255.255.0\n");
	const struct rr_neighbor *d, *v;

	NO_DIAGS(f);
	assert_int_equal(s->nneighbors, 2);
	d = nbv(s, "10.1.1.2", NULL);
	v = nbv(s, "10.1.1.2", "CUST:A");
	assert_int_equal(d->remote_as.v, 2);
	assert_string_equal(d->description.v, "default-vrf");
	assert_false(d->rr_client.set);
	assert_false(d->source_address.set); /* the subnet is in the VRF */
	assert_int_equal(v->remote_as.v, 65001);
	assert_true(v->rr_client.v);
	assert_false(v->description.set);
	assert_true(v->af[RR_AFS_IPV4].v);
	assert_string_equal(astr(&v->source_address.v), "10.1.1.1");
	assert_false(s->router_id.set); /* per-VRF ids are not the router's */
	assert_int_equal(s->naddrs, 0); /* VRF addresses are not own */
	assert_string_equal(s->networks[0].vrf, "CUST:A");
}

/* --------------------------------------------------- values, tables */

static void
test_asn(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *what, *in;
		bool ok;
		uint32_t want;
		uint32_t col; /* of the error */
	} cases[] = {
	        {"asplain", "router bgp 64512\n", true, 64512, 0},
	        {"4-byte asplain", "router bgp 4123456789\n", true, 4123456789u,
	         0},
	        {"asdot", "router bgp 1.10\n", true, 65546, 0},
	        {"asdot max", "router bgp 65535.65535\n", true, 4294967295u, 0},
	        {"too big", "router bgp 4294967296\n", false, 0, 12},
	        {"asdot high part 0", "router bgp 0.5\n", false, 0, 12},
	        {"asdot high too big", "router bgp 70000.1\n", false, 0, 12},
	        {"asdot low too big", "router bgp 1.70000\n", false, 0, 12},
	        {"not a number", "router bgp abc\n", false, 0, 12},
	        {"missing", "router bgp\n", false, 0, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_speaker *s;
		reset(f);
		print_message("asn: %s\n", cases[i].what);
		s = pio(f, cases[i].in);
		assert_true(s->bgp_configured);
		if (cases[i].ok) {
			NO_DIAGS(f);
			assert_true(s->asn.set);
			assert_int_equal(s->asn.v, cases[i].want);
		} else {
			assert_false(s->asn.set);
			WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_AS_INVALID, 1,
			          cases[i].col);
		}
	}

	reset(f);
	{
		const struct rr_speaker *s =
		        pio(f, "router bgp 62918.62741\n"
		               " neighbor 2.2.2.3 remote-as 2.5\n"
		               " neighbor 3.3.3.4 remote-as 65000.65000\n"
		               " neighbor 4.4.4.4 remote-as 1.99999\n"
		               " neighbor 2.2.2.3 local-as 7.7\n");
		WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_AS_INVALID, 4, 29);
		assert_int_equal(ndiags(f), 1);
		assert_int_equal(s->asn.v, 62918u * 65536 + 62741);
		assert_int_equal(nb(s, "2.2.2.3")->remote_as.v, 131077);
		assert_int_equal(nb(s, "3.3.3.4")->remote_as.v,
		                 65000u * 65536 + 65000);
		assert_int_equal(rr_nb_rare(nb(s, "2.2.2.3"))->local_as.v,
		                 7u * 65536 + 7);
		assert_int_equal(s->nneighbors, 2);
	}
}

static void
test_cluster_id(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *what, *in;
		bool ok;
		uint32_t want;
	} cases[] = {
	        {"numeric", "router bgp 1\n bgp cluster-id 1\n", true, 1},
	        {"dotted", "router bgp 1\n bgp cluster-id 10.0.0.1\n", true,
	         0x0a000001u},
	        {"dotted = numeric", "router bgp 1\n bgp cluster-id 0.0.0.1\n",
	         true, 1},
	        {"max", "router bgp 1\n bgp cluster-id 4294967295\n", true,
	         4294967295u},
	        {"too big", "router bgp 1\n bgp cluster-id 4294967296\n", false,
	         0},
	        {"three dots", "router bgp 1\n bgp cluster-id 1.2.3\n", false,
	         0},
	        {"word", "router bgp 1\n bgp cluster-id rr\n", false, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_speaker *s;
		reset(f);
		print_message("cluster-id: %s\n", cases[i].what);
		s = pio(f, cases[i].in);
		if (cases[i].ok) {
			NO_DIAGS(f);
			assert_true(s->cluster_id.set);
			assert_int_equal(s->cluster_id.v, cases[i].want);
			assert_int_equal(s->cluster_id.at.line, 2);
			assert_non_null(s->cluster_id_text);
		} else {
			assert_false(s->cluster_id.set);
			WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 2, 17);
		}
	}
	reset(f);
	assert_string_equal(pio(f, "router bgp 1\n bgp cluster-id 10.0.0.1\n")
	                            ->cluster_id_text,
	                    "10.0.0.1");
}

/* The arena chunk layout of model/arena.c, to scan every byte a model
 * or a diagnostic sink holds (keep in step with arena.c). */
struct scan_chunk {
	struct scan_chunk *next;
	size_t size, used;
	max_align_t data[];
};

static bool
arena_has(const struct rr_arena *a, const char *needle)
{
	const struct scan_chunk *c;
	size_t n = strlen(needle), i;

	for (c = (const struct scan_chunk *)(const void *)a->head; c;
	     c = c->next) {
		const char *p = (const char *)c->data;
		for (i = 0; i + n <= c->used; i++)
			if (!memcmp(p + i, needle, n))
				return true;
	}
	return false;
}

static void
test_passwords(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *what, *line, *plain; /* NULL plain: refused */
	} cases[] = {
	        {"type 0", "password 0 Zq-secret-1", "Zq-secret-1"},
	        {"no type", "password Zq-secret-1", "Zq-secret-1"},
	        {"with blanks", "password 0 Zq secret  two ", "Zq secret  two"},
	        {"type 7 cisco", "password 7 0822455D0A16", "cisco"},
	        {"type 7 lower hex", "password 7 0822455d0a16", "cisco"},
	        {"type 7 seed 0", "password 7 00071A150754", "cisco"},
	        {"type 7 odd length", "password 7 0822455D0A1", NULL},
	        {"type 7 not hex", "password 7 08ZZ455D0A16", NULL},
	        {"type 5", "password 5 abc", NULL},
	};
	const char *secrets[] = {"Zq-secret-1", "Zq secret", "cisco",
	                         "0822455D0A16", "00071A150754"};
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[256];
		const struct rr_neighbor *n;
		reset(f);
		print_message("password: %s\n", cases[i].what);
		snprintf(buf, sizeof(buf),
		         "router bgp 1\n neighbor 10.0.0.1 remote-as 1\n"
		         " neighbor 10.0.0.1 %s\n",
		         cases[i].line);
		n = nb(pio(f, buf), "10.0.0.1");
		if (cases[i].plain) {
			NO_DIAGS(f);
			assert_true(n->password.set && n->password.v);
			assert_int_equal(n->password.at.line, 3);
			assert_true(n->password_hash ==
			            rr_hash64(cases[i].plain,
			                      strlen(cases[i].plain)));
		} else {
			WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 3, 0);
			assert_false(n->password.set);
		}
		/* the scanner sees model strings... */
		assert_true(arena_has(&f->m->arena, "t.ios"));
		/* ...and the secret is nowhere in the model or the sink */
		for (k = 0; k < sizeof(secrets) / sizeof(secrets[0]); k++) {
			assert_false(arena_has(&f->m->arena, secrets[k]));
			assert_false(arena_has(&f->d.arena, secrets[k]));
		}
	}
}

static void
test_interfaces(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s = pio(
	        f, "interface Lo0\n"                                   /* 1 */
	           " ip address 10.255.0.1 255.255.255.255\n"          /* 2 */
	           "interface Loopback1\n"                             /* 3 */
	           " ip address 10.255.0.9 255.255.255.255\n"          /* 4 */
	           " shutdown\n"                                       /* 5 */
	           "interface Gi0/0.100\n"                             /* 6 */
	           " encapsulation dot1Q 100\n"                        /* 7 */
	           " ip address 192.168.1.1 255.255.255.0\n"           /* 8 */
	           " ip address 192.168.2.1 255.255.255.0 secondary\n" /* 9 */
	           " ipv6 address 2001:DB8::1/64\n"                    /* 10 */
	           " ipv6 address FE80::1 link-local\n"                /* 11 */
	           " no shutdown\n"                                    /* 12 */
	           "interface Fo2/0/0\n"                               /* 13 */
	           " ip address 10.1.0.1 255.255.0.255\n"              /* 14 */
	           " ip address 10.2.0.1/16\n"                         /* 15 */
	           "interface GigabitEthernet 0/2\n"                   /* 16 */
	           " ip address 172.16.0.1 255.255.255.0\n"            /* 17 */
	           " vrf forwarding X\n"                               /* 18 */
	           "interface Hu2/0/0\n"                               /* 19 */
	           " ip address 300.1.1.1 255.255.255.0\n"             /* 20 */
	           "router bgp 1\n"                                    /* 21 */
	           " neighbor 192.168.2.7 remote-as 1\n"               /* 22 */
	           " neighbor 10.9.9.9 remote-as 1\n"                  /* 23 */
	           " neighbor 10.9.9.9 update-source Gi0/0.100\n"      /* 24 */
	           " neighbor 10.8.8.8 remote-as 1\n"                  /* 25 */
	           " neighbor 10.8.8.8 update-source Loopback9\n");    /* 26 */
	const struct rr_iface *g;
	const struct rr_neighbor *n;

	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 14, 22);
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 18, 2);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 20, 13);
	assert_int_equal(ndiags(f), 3);
	assert_int_equal(s->nifaces, 6);
	assert_string_equal(s->ifaces[0].name, "Lo0");
	assert_string_equal(s->ifaces[0].canon, "Loopback0");
	assert_string_equal(s->ifaces[2].canon, "GigabitEthernet0/0.100");
	assert_string_equal(s->ifaces[3].canon, "FortyGigabitEthernet2/0/0");
	assert_string_equal(s->ifaces[4].canon, "GigabitEthernet0/2");
	assert_string_equal(s->ifaces[5].canon, "HundredGigE2/0/0");
	g = iface(s, "GigabitEthernet0/0.100");
	assert_false(g->shutdown);
	assert_int_equal(g->naddrs, 3);
	assert_false(g->addrs[0].secondary);
	assert_true(g->addrs[1].secondary);
	assert_string_equal(pstr(&g->addrs[2].p), "2001:db8::1/64");
	assert_int_equal(g->addrs[1].at.line, 9);
	g = iface(s, "GigabitEthernet0/2");
	assert_string_equal(g->vrf, "X");
	assert_int_equal(g->naddrs, 0); /* IOS drops it with the VRF change */
	assert_true(iface(s, "Loopback1")->shutdown);
	/* own addresses: up, default VRF, all families */
	assert_int_equal(s->naddrs, 5);
	assert_string_equal(pstr(&s->addrs[4].p), "10.2.0.1/16");
	/* router id: the highest up loopback, not the shut one */
	assert_true(s->router_id.set);
	assert_string_equal(astr(&s->router_id.v), "10.255.0.1");
	assert_string_equal(s->router_id.via, "interface Loopback0");
	assert_int_equal(s->router_id.at.line, 2);
	/* connected subnet (a secondary one) gives the source */
	n = nb(s, "192.168.2.7");
	assert_string_equal(astr(&n->source_address.v), "192.168.2.1");
	n = nb(s, "10.9.9.9");
	assert_string_equal(n->update_source.v, "Gi0/0.100");
	assert_string_equal(astr(&n->source_address.v), "192.168.1.1");
	assert_int_equal(n->source_address.at.line, 8);
	n = nb(s, "10.8.8.8"); /* no such interface */
	assert_true(n->update_source.set);
	assert_false(n->source_address.set);
}

static void
test_router_id_fallback(void **state)
{
	struct fx *f = *state;
	const char *edge;
	const struct rr_speaker *s =
	        pio(f, "interface Gi1\n ip address 10.0.0.1 255.255.255.0\n"
	               "interface Gi2\n ip address 10.0.9.1 255.255.255.0\n"
	               " shutdown\n"
	               "interface Gi3\n ip address 10.0.5.1 255.255.255.0\n"
	               "router bgp 1\n");
	assert_string_equal(astr(&s->router_id.v), "10.0.5.1");
	assert_string_equal(s->router_id.via, "interface GigabitEthernet3");
	assert_int_equal(s->router_id.at.line, 7);

	/* no router bgp: a speaker all the same, named by the file */
	reset(f);
	edge = "interface Lo0\n ip address 1.1.1.1 255.255.255.255\n";
	assert_int_equal(parse_ios(f->m, "some/dir/edge-1.cfg", edge,
	                           strlen(edge), &f->d),
	                 0);
	s = f->m->speakers[0];
	assert_string_equal(s->name, "edge-1");
	assert_false(s->bgp_configured);
	assert_false(s->router_id.set);
	assert_int_equal(s->naddrs, 1);
	assert_int_equal(s->nneighbors, 0);
}

/* ------------------------------------------------------------ banners */

static void
test_banners(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *what, *in;
		size_t nneighbors;
		uint32_t warn_line; /* 0: no diagnostics */
	} cases[] = {
	        {"multi-line ^C",
	         "banner motd ^C\nrouter bgp 1\n neighbor 1.1.1.1 remote-as 1\n"
	         "^C\nrouter bgp 2\n neighbor 2.2.2.2 remote-as 2\n",
	         1, 0},
	        {"same line",
	         "banner exec ^Cone line^C\nrouter bgp 2\n"
	         " neighbor 2.2.2.2 remote-as 2\n",
	         1, 0},
	        {"glued text, trailing text ignored",
	         "banner exec ^CFirst line.\nneighbor 9.9.9.9 x^Cignored text\n"
	         "router bgp 2\n neighbor 2.2.2.2 remote-as 2\n",
	         1, 0},
	        {"single caret",
	         "banner login ^First line.\nSecond line.^\nrouter bgp 2\n"
	         " neighbor 2.2.2.2 remote-as 2\n",
	         1, 0},
	        {"other delimiter with ^C inside",
	         "banner motd #\nhello ^C world\n#\nrouter bgp 2\n"
	         " neighbor 2.2.2.2 remote-as 2\n",
	         1, 0},
	        {"ETX byte",
	         "banner motd \003\nNOTICE\n\003\nrouter bgp 2\n"
	         " neighbor 2.2.2.2 remote-as 2\n",
	         1, 0},
	        {"no type",
	         "banner %hi%\nrouter bgp 2\n"
	         " neighbor 2.2.2.2 remote-as 2\n",
	         1, 0},
	        {"not terminated",
	         "router bgp 2\n neighbor 2.2.2.2 remote-as 2\nbanner motd ^C\n"
	         "text\n",
	         1, 3},
	        {"no delimiter",
	         "banner motd\nrouter bgp 2\n"
	         " neighbor 2.2.2.2 remote-as 2\n",
	         1, 1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct rr_speaker *s;
		reset(f);
		print_message("banner: %s\n", cases[i].what);
		s = pio(f, cases[i].in);
		if (cases[i].warn_line)
			WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING,
			          cases[i].warn_line, 0);
		else
			NO_DIAGS(f);
		assert_int_equal(s->nneighbors, cases[i].nneighbors);
		assert_string_equal(astr(&s->neighbors[0].peer), "2.2.2.2");
	}
}

/* ------------------------------------------------- diagnostics table */

static void
test_diagnostics(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *what, *in;
		enum rr_sev sev;
		const char *rule;
		uint32_t line, col;
	} cases[] = {
	        {"unknown global command", "hostname a\nfrobnicate now\n",
	         RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 2, 1},
	        {"unknown bgp command", "router bgp 1\n  frob 1\n",
	         RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 2, 3},
	        {"unknown neighbor command",
	         "router bgp 1\n neighbor 1.1.1.1 remote-as 1\n"
	         " neighbor 1.1.1.1 fail-over bfd\n",
	         RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 3, 19},
	        {"abbreviated keyword", "router bgp 1\n nei 1.1.1.1 rem 1\n",
	         RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 2, 2},
	        {"abbreviated subcommand",
	         "router bgp 1\n neighbor 1.1.1.1 rem 1\n", RR_SEV_WARNING,
	         RR_RULE_PARSE_WARNING, 2, 19},
	        {"unknown bgp subcommand", "router bgp 1\n bgp frobnicate\n",
	         RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 2, 6},
	        {"router-id without bgp", "router bgp 1\n router-id 1.1.1.1\n",
	         RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 2, 2},
	        {"tab indentation", "router bgp 1\n\t\tfrob\n", RR_SEV_WARNING,
	         RR_RULE_PARSE_WARNING, 2, 3},
	        {"CIDR network", "router bgp 1\n network 10.0.0.0/8\n",
	         RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 2, 10},
	        {"unknown address family",
	         "router bgp 1\n address-family ipx\n", RR_SEV_WARNING,
	         RR_RULE_PARSE_WARNING, 2, 17},
	        {"text after end", "hostname a\nend\n\n!\nhostname b\n",
	         RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 5, 1},
	        {"undefined neighbor",
	         "router bgp 1\n neighbor 1.1.1.1 activate\n", RR_SEV_ERROR,
	         RR_RULE_IOS_INVALID, 2, 11},
	        {"undefined peer-group",
	         "router bgp 1\n neighbor PG ebgp-multihop 2\n", RR_SEV_ERROR,
	         RR_RULE_IOS_INVALID, 2, 11},
	        {"member of an undefined group",
	         "router bgp 1\n neighbor 1.1.1.1 peer-group PG\n",
	         RR_SEV_ERROR, RR_RULE_IOS_INVALID, 2, 30},
	        {"bad neighbor address",
	         "router bgp 1\n neighbor 1.1.1.300 remote-as 1\n",
	         RR_SEV_ERROR, RR_RULE_IOS_INVALID, 2, 11},
	        {"bad remote-as",
	         "router bgp 1\n neighbor 1.1.1.1 remote-as 99999999999\n",
	         RR_SEV_ERROR, RR_RULE_AS_INVALID, 2, 29},
	        {"bad mask",
	         "interface Gi1\n ip address 10.0.0.1 255.0.255.0\n",
	         RR_SEV_ERROR, RR_RULE_IOS_INVALID, 2, 22},
	        {"bad router-id", "router bgp 1\n bgp router-id 1.2.3\n",
	         RR_SEV_ERROR, RR_RULE_IOS_INVALID, 2, 16},
	        {"bad timers", "router bgp 1\n timers bgp 10 x\n", RR_SEV_ERROR,
	         RR_RULE_IOS_INVALID, 2, 16},
	        {"bad multihop",
	         "router bgp 1\n neighbor 1.1.1.1 remote-as 2\n"
	         " neighbor 1.1.1.1 ebgp-multihop 256\n",
	         RR_SEV_ERROR, RR_RULE_IOS_INVALID, 3, 33},
	        {"route-map without direction",
	         "router bgp 1\n neighbor 1.1.1.1 remote-as 2\n"
	         " neighbor 1.1.1.1 route-map M\n",
	         RR_SEV_ERROR, RR_RULE_IOS_INVALID, 3, 0},
	        {"second process",
	         "router bgp 1\n neighbor 1.1.1.1 remote-as 2\nrouter bgp 2\n",
	         RR_SEV_ERROR, RR_RULE_IOS_INVALID, 3, 12},
	        {"interface after bgp, no warning for its body",
	         "router bgp 1\ninterface Gi1\n frob\nfrob2\n", RR_SEV_WARNING,
	         RR_RULE_PARSE_WARNING, 4, 1},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reset(f);
		print_message("diag: %s\n", cases[i].what);
		(void)pio(f, cases[i].in);
		WANT_DIAG(f, cases[i].sev, cases[i].rule, cases[i].line,
		          cases[i].col);
		if (ndiags(f) != 1) {
			dump(f);
			fail_msg("expected exactly one diagnostic");
		}
	}
}

/* ---------------------------------------------------- neighbor values */

static void
test_neighbor_values(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s = pio(
	        f, "router bgp 64512\n"
	           " neighbor 10.0.0.1 remote-as 65001\n"
	           " neighbor 10.0.0.1 ebgp-multihop\n"
	           " neighbor 10.0.0.1 local-as 65100 no-prepend replace-as\n"
	           " neighbor 10.0.0.1 description  to the   ISP \n"
	           " neighbor 10.0.0.1 shutdown\n"
	           " neighbor 10.0.0.1 timers 10 30 30\n"
	           " neighbor 10.0.0.1 transport connection-mode passive\n"
	           " neighbor 10.0.0.1 soft-reconfiguration inbound\n"
	           " neighbor 10.0.0.1 fall-over bfd\n"
	           " neighbor 10.0.0.2 remote-as 65002\n"
	           " neighbor 10.0.0.2 ebgp-multihop 2\n"
	           " neighbor 10.0.0.2 ttl-security hops 3\n"
	           " neighbor 10.0.0.2 cluster-id 7\n"
	           " address-family ipv4 unicast\n"
	           "  neighbor 10.0.0.1 next-hop-self all\n"
	           "  neighbor 10.0.0.1 send-community\n"
	           "  neighbor 10.0.0.1 send-community extended\n"
	           "  neighbor 10.0.0.1 route-map IN in\n"
	           "  neighbor 10.0.0.1 route-map OUT out\n"
	           "  neighbor 10.0.0.2 next-hop-unchanged\n"
	           "  neighbor 10.0.0.2 send-community both\n"
	           "  no neighbor 10.0.0.2 send-community standard\n"
	           "  redistribute connected route-map C\n"
	           "  network 192.168.122.0\n"
	           " exit-address-family\n"
	           " bgp confederation identifier 100\n"
	           " bgp confederation peers 65001 65002\n"
	           " no bgp client-to-client reflection\n");
	const struct rr_neighbor *a, *b;

	NO_DIAGS(f);
	a = nb(s, "10.0.0.1");
	b = nb(s, "10.0.0.2");
	assert_int_equal(a->ebgp_multihop.v, 255);
	assert_int_equal(rr_nb_rare(a)->local_as.v, 65100);
	assert_string_equal(a->description.v, "to the   ISP");
	assert_true(a->shutdown.set && a->shutdown.v);
	assert_int_equal(a->keepalive.v, 10);
	assert_int_equal(a->hold.v, 30);
	assert_int_equal(rr_nb_rare(a)->min_hold.v, 30);
	assert_true(a->passive);
	assert_true(a->next_hop_self.v);
	assert_true(a->next_hop_self_all);
	assert_string_equal(a->send_community.v, "both");
	assert_string_equal(rr_nb_rare(a)->route_map_in.v, "IN");
	assert_string_equal(rr_nb_rare(a)->route_map_out.v, "OUT");
	assert_int_equal(b->ebgp_multihop.v, 2);
	assert_int_equal(b->ttl_security.v, 3);
	assert_int_equal(rr_nb_rare(b)->rr_cluster_id.v, 7);
	assert_int_equal(b->next_hop, RR_NH_KEEP);
	assert_string_equal(b->send_community.v, "extended");
	assert_false(b->passive);
	assert_int_equal(s->nredistribute, 1);
	assert_string_equal(s->redistribute[0], "connected route-map C");
	assert_string_equal(pstr(&s->networks[0].p), "192.168.122.0/24");
	assert_int_equal(s->confed_id.v, 100);
	assert_int_equal(s->nconfed_peers, 2);
	assert_int_equal(s->confed_peers[1], 65002);
	assert_true(s->client_to_client.set);
	assert_false(s->client_to_client.v);
}

/* -------------------------------------------------- modes, layout */

static void
test_modes(void **state)
{
	struct fx *f = *state;
	const struct rr_speaker *s;

	/* address-family in column 1 inside router bgp (bf-pt-network6) */
	s = pio(f,
	        "router bgp 1\naddress-family ipv6\n  network 2001:db8::/32\n"
	        "exit-address-family\n");
	NO_DIAGS(f);
	assert_int_equal(s->nnetworks, 1);
	assert_string_equal(pstr(&s->networks[0].p), "2001:db8::/32");

	/* a command of the outer mode ends the address family */
	reset(f);
	s = pio(f, "router bgp 1\n"
	           " neighbor 1.1.1.1 remote-as 1\n"
	           " address-family ipv6\n"
	           " neighbor 1.1.1.1 activate\n"
	           " bgp log-neighbor-changes\n"
	           " neighbor 1.1.1.1 route-reflector-client\n"
	           " address-family ipv4 vrf V\n"
	           " exit\n"
	           " neighbor 1.1.1.1 next-hop-self\n");
	NO_DIAGS(f);
	assert_true(nb(s, "1.1.1.1")->af[RR_AFS_IPV6].v);
	assert_true(nb(s, "1.1.1.1")->rr_client.v); /* IPv4: router level */
	assert_true(nb(s, "1.1.1.1")->next_hop_self.v);

	/* re-entering the same process merges; `end` inside stops */
	reset(f);
	s = pio(f, "router bgp 2\n neighbor 1.1.1.1 remote-as 2\n!\n"
	           "ip route 0.0.0.0 0.0.0.0 1.1.1.1\n"
	           "router bgp 2\n neighbor 1.1.1.2 remote-as 2\n end\n"
	           "router bgp 2\n neighbor 1.1.1.3 remote-as 2\n");
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 8, 1);
	assert_int_equal(s->nneighbors, 2);

	/* skipped sections: bodies never warn; headers and comments */
	reset(f);
	s = pio(f, "Building configuration...\n\n"
	           "Current configuration : 1234 bytes\n"
	           "!RANCID-CONTENT-TYPE: cisco\n"
	           "! Last configuration change at 10:00\n"
	           "version 15.7\n"
	           "route-map X permit 10\n match ip address 1\n set weight 2\n"
	           "line vty 0 4\n transport input ssh\n"
	           "crypto pki certificate chain TP\n certificate 01\n"
	           "  3082 0220\n  \tquit\n"
	           "macro name M\nneighbor 1.2.3.4 frob\n@\n"
	           "no ip domain lookup\n"
	           "vrf definition A\n rd 1:1\n address-family ipv4\n"
	           " exit-address-family\n"
	           "router ospf 1\n network 10.0.0.0 0.255.255.255 area 0\n"
	           "hostname  ok \n");
	NO_DIAGS(f);
	assert_string_equal(s->name, "ok");
	assert_false(s->bgp_configured);
}

/* ------------------------------------------------------ hostile bytes */

static void
test_hostile(void **state)
{
	struct fx *f = *state;
	size_t n = 1 << 20, i;
	char *big = malloc(n + 64);
	unsigned seed = 12345;
	static const char *const frags[] = {
	        "router bgp 1\n",
	        " neighbor ",
	        "1.1.1.1 ",
	        "PG ",
	        "peer-group ",
	        "remote-as ",
	        "inherit peer-session T\n",
	        "template peer-session T\n",
	        " address-family ipv4\n",
	        "banner motd ^C",
	        "^C",
	        "\r\n",
	        "\n",
	        "\t",
	        "\xa0",
	        "\xc2\xa0",
	        "password 7 ",
	        "0822",
	        "interface Lo0\n",
	        " ip address ",
	        "10.0.0.1 255.255.255.0",
	        " secondary",
	        "end\n",
	        "bgp listen range 1.0.0.0/8 peer-group PG",
	        "\0",
	        " exit-peer-session\n",
	        "!",
	        "no ",
	        "vrf ",
	};

	assert_non_null(big);
	/* one huge line, one with thousands of words */
	memset(big, 'a', n);
	assert_int_equal(parse_ios(f->m, "big", big, n, &f->d), 0);
	reset(f);
	for (i = 0; i < n; i += 2) {
		big[i] = 'x';
		big[i + 1] = ' ';
	}
	memcpy(big, " neighbor 1.1.1.1 description ", 30);
	assert_int_equal(parse_ios(f->m, "big", big, n, &f->d), 0);
	/* random splices of meaningful fragments */
	for (i = 0; i < 300; i++) {
		size_t len = 0, k;
		reset(f);
		for (k = 0; k < 40 && len < n - 64; k++) {
			const char *p;
			size_t pl;
			seed = seed * 1103515245u + 12345u;
			p = frags[(seed >> 16) %
			          (sizeof(frags) / sizeof(frags[0]))];
			pl = *p ? strlen(p) : 1;
			memcpy(big + len, p, pl);
			len += pl;
		}
		assert_int_equal(parse_ios(f->m, "rnd", big, len, &f->d), 0);
	}
	/* UTF-16 is refused as a whole */
	reset(f);
	assert_int_equal(parse_ios(f->m, "u16", "\xff\xfeh\0i\0", 6, &f->d),
	                 -1);
	assert_true(rr_diags_has_fatal(&f->d));
	assert_int_equal(f->m->nspeakers, 0);
	/* empty input, a UTF-8 BOM */
	reset(f);
	assert_int_equal(parse_ios(f->m, "e.ios", "", 0, &f->d), 0);
	assert_int_equal(
	        parse_ios(f->m, "b.ios", "\xef\xbb\xbfhostname b\n", 14, &f->d),
	        0);
	assert_string_equal(f->m->speakers[1]->name, "b");
	NO_DIAGS(f);
	free(big);
}

/* ------------------------------------------ 5,000 neighbors, read right */

static void
test_scale(void **state)
{
	struct fx *f = *state;
	size_t cap = 4u << 20, len = 0, i;
	char *t = malloc(cap);
	struct timespec a, b;
	double ms;

	assert_non_null(t);
	len += (size_t)snprintf(t + len, cap - len,
	                        "hostname big\ninterface Loopback0\n"
	                        " ip address 10.255.0.1 255.255.255.255\n"
	                        "router bgp 64512\n"
	                        " bgp cluster-id 1\n"
	                        " neighbor RR peer-group\n"
	                        " neighbor RR remote-as 64512\n");
	for (i = 0; i < 5000; i++)
		len += (size_t)snprintf(
		        t + len, cap - len,
		        " neighbor 10.%u.%u.%u remote-as 64512\n"
		        " neighbor 10.%u.%u.%u description node-%05u\n"
		        " neighbor 10.%u.%u.%u update-source Loopback0\n"
		        " neighbor 10.%u.%u.%u password 7 0822455D0A16\n"
		        " neighbor 10.%u.%u.%u timers 10 30\n",
		        (unsigned)(i >> 16), (unsigned)(i >> 8 & 255),
		        (unsigned)(i & 255), (unsigned)(i >> 16),
		        (unsigned)(i >> 8 & 255), (unsigned)(i & 255),
		        (unsigned)i, (unsigned)(i >> 16),
		        (unsigned)(i >> 8 & 255), (unsigned)(i & 255),
		        (unsigned)(i >> 16), (unsigned)(i >> 8 & 255),
		        (unsigned)(i & 255), (unsigned)(i >> 16),
		        (unsigned)(i >> 8 & 255), (unsigned)(i & 255));
	len += (size_t)snprintf(t + len, cap - len, " address-family ipv4\n");
	for (i = 0; i < 5000; i++)
		len += (size_t)snprintf(
		        t + len, cap - len,
		        "  neighbor 10.%u.%u.%u activate\n"
		        "  neighbor 10.%u.%u.%u route-reflector-client\n",
		        (unsigned)(i >> 16), (unsigned)(i >> 8 & 255),
		        (unsigned)(i & 255), (unsigned)(i >> 16),
		        (unsigned)(i >> 8 & 255), (unsigned)(i & 255));
	len += (size_t)snprintf(t + len, cap - len, " exit-address-family\n");
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(parse_ios(f->m, "big.ios", t, len, &f->d), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = (double)(b.tv_sec - a.tv_sec) * 1e3 +
	     (double)(b.tv_nsec - a.tv_nsec) / 1e6;
	print_message("5000 neighbors, %zu bytes: %.1f ms\n", len, ms);
	NO_DIAGS(f);
	assert_int_equal(f->m->speakers[0]->nneighbors, 5000);
	assert_true(f->m->speakers[0]->neighbors[4999].rr_client.v);
	assert_string_equal(
	        astr(&f->m->speakers[0]->neighbors[4999].source_address.v),
	        "10.255.0.1");
	/* time is measured (make bench), never asserted: a loaded machine
	 * must not fail the suite */
	free(t);
}

/* `ip route`: default-VRF static routes are kept (peer-unreachable). */
static void
test_static_routes(void **state)
{
	struct fx *f = *state;
	char b[RR_PREFIX_STRLEN];
	struct rr_speaker *s = pio(f, "hostname r\n"
	                              "ip route 0.0.0.0 0.0.0.0 192.168.1.254\n"
	                              "ip route 10.9.0.0 255.255.0.0 Null0 200\n"
	                              "ip route vrf X 10.8.0.0 255.255.0.0 1.1.1.1\n"
	                              "ip route 10.7.0.0 255.0.255.0 1.1.1.1\n");
	assert_int_equal(s->nstatic_routes, 2);
	assert_string_equal(rr_prefix_str(&s->static_routes[0].p, b), "0.0.0.0/0");
	assert_string_equal(rr_prefix_str(&s->static_routes[1].p, b),
	                    "10.9.0.0/16");
	assert_int_equal(s->static_routes[1].at.line, 3);
	/* a non-contiguous mask warns at the prefix */
	assert_int_equal(f->d.count[RR_SEV_WARNING], 1);
	assert_int_equal(f->d.v[0].loc.line, 5);
	assert_int_equal(f->d.v[0].loc.col, 10);
}

/* ------------------------------------------- issue 16: more of IOS */

/* Neighbor commands kept for the analysis and the simulator, set on a
 * peer-group and inherited with .via, or on the neighbor itself. */
static void
test_neighbor_policy_fields(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(
	        f, "router bgp 64512\n"                                      /* 1 */
	           " bgp listen range 10.0.0.0/24 peer-group DYN\n"          /* 2 */
	           " neighbor DYN peer-group\n"                              /* 3 */
	           " neighbor DYN remote-as 64600 alternate-as 64601 4.1\n"  /* 4 */
	           " neighbor DYN transport connection-mode passive\n"       /* 5 */
	           " neighbor 192.0.2.1 remote-as 65001\n"                   /* 6 */
	           " neighbor 192.0.2.1 local-as 65100 no-prepend replace-as dual-as\n"
	           " neighbor 192.0.2.1 disable-connected-check\n"           /* 8 */
	           " address-family ipv4\n"                                  /* 9 */
	           "  neighbor DYN as-override\n"                            /* 10 */
	           "  neighbor DYN allowas-in\n"                             /* 11 */
	           "  neighbor DYN weight 200\n"                             /* 12 */
	           "  neighbor DYN maximum-prefix 1000 80 warning-only\n"    /* 13 */
	           "  neighbor 192.0.2.1 allowas-in 5\n"                     /* 14 */
	           "  neighbor 192.0.2.1 prefix-list PODS in\n"              /* 15 */
	           "  neighbor 192.0.2.1 prefix-list OUT out\n"              /* 16 */
	           "  neighbor 192.0.2.1 filter-list 10 in\n"                /* 17 */
	           "  neighbor 192.0.2.1 distribute-list 5 out\n"            /* 18 */
	           "  neighbor 192.0.2.1 default-originate route-map DEF\n"  /* 19 */
	           "  neighbor 192.0.2.1 remove-private-as all\n"            /* 20 */
	           "  neighbor 192.0.2.1 soft-reconfiguration inbound\n"     /* 21 */
	           "  neighbor 192.0.2.1 next-hop-self all\n"                /* 22 */
	           "  neighbor 192.0.2.1 maximum-prefix 500 restart 30\n"    /* 23 */
	           " exit-address-family\n");
	const struct rr_neighbor *r = nb(s, "10.0.0.0/24"), *n;

	NO_DIAGS(f);
	assert_true(rr_nb_rare(r)->alternate_as.set);
	assert_int_equal(rr_nb_rare(r)->alternate_as.n, 2);
	assert_int_equal(rr_nb_rare(r)->alternate_as.v[0].asn, 64601);
	assert_int_equal(rr_nb_rare(r)->alternate_as.v[1].asn, 4 * 65536 + 1);
	assert_int_equal(rr_nb_rare(r)->alternate_as.v[1].at.line, 4);
	assert_int_equal(rr_nb_rare(r)->alternate_as.v[1].at.col, 50);
	assert_string_equal(rr_nb_rare(r)->alternate_as.via, "DYN");
	assert_true(rr_nb_rare(r)->transport_passive.set &&
	            rr_nb_rare(r)->transport_passive.v);
	assert_int_equal(rr_nb_rare(r)->transport_passive.at.line, 5);
	assert_true(r->passive);
	assert_true(rr_nb_rare(r)->as_override.v);
	assert_string_equal(rr_nb_rare(r)->as_override.via, "DYN");
	assert_int_equal(rr_nb_rare(r)->allowas_in.v, 3); /* IOS default */
	assert_int_equal(rr_nb_rare(r)->weight.v, 200);
	assert_int_equal(rr_nb_rare(r)->maximum_prefix.v, 1000);
	assert_true(rr_nb_rare(r)->maximum_prefix_warning_only);
	assert_int_equal(rr_nb_rare(r)->maximum_prefix.at.line, 13);
	assert_int_equal(rr_nb_rare(r)->maximum_prefix_threshold, 80);
	assert_int_equal(rr_nb_rare(r)->maximum_prefix_restart, 0);

	n = nb(s, "192.0.2.1");
	/* restart M: IOS brings the neighbor back after M minutes */
	assert_int_equal(rr_nb_rare(n)->maximum_prefix.v, 500);
	assert_int_equal(rr_nb_rare(n)->maximum_prefix_threshold, 0);
	assert_int_equal(rr_nb_rare(n)->maximum_prefix_restart, 30);
	assert_false(rr_nb_rare(n)->maximum_prefix_warning_only);
	assert_false(rr_nb_rare(n)->alternate_as.set);
	assert_false(rr_nb_rare(n)->transport_passive.set);
	assert_int_equal(rr_nb_rare(n)->local_as.v, 65100);
	assert_true(rr_nb_rare(n)->local_as_no_prepend &&
	            rr_nb_rare(n)->local_as_replace_as &&
	            rr_nb_rare(n)->local_as_dual_as);
	assert_true(rr_nb_rare(n)->disable_connected_check.v);
	assert_int_equal(rr_nb_rare(n)->allowas_in.v, 5);
	assert_string_equal(rr_nb_rare(n)->prefix_list_in.v, "PODS");
	assert_int_equal(rr_nb_rare(n)->prefix_list_in.at.line, 15);
	assert_string_equal(rr_nb_rare(n)->prefix_list_out.v, "OUT");
	assert_string_equal(rr_nb_rare(n)->filter_list_in.v, "10");
	assert_false(rr_nb_rare(n)->filter_list_out.set);
	assert_string_equal(rr_nb_rare(n)->distribute_list_out.v, "5");
	assert_true(rr_nb_rare(n)->default_originate.v);
	assert_string_equal(rr_nb_rare(n)->default_originate_map, "DEF");
	assert_true(rr_nb_rare(n)->remove_private_as.v);
	assert_true(rr_nb_rare(n)->soft_reconfig_in.v);
	assert_true(n->next_hop_self_all);
	assert_false(rr_nb_rare(n)->as_override.set);
	assert_false(rr_nb_rare(n)->weight.set);
}

/* Bad values IOS refuses: the line is dropped with a located error. */
static void
test_neighbor_policy_errors(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(
	        f, "router bgp 64512\n"
	           " neighbor 192.0.2.1 remote-as 65001 alternate-as 65002 x\n"
	           " neighbor 192.0.2.1 allowas-in 11\n"
	           " neighbor 192.0.2.1 weight 70000\n"
	           " neighbor 192.0.2.1 prefix-list P sideways\n");
	const struct rr_neighbor *n = nb(s, "192.0.2.1");

	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_AS_INVALID, 2, 56);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 3, 32);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 4, 28);
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 5, 35);
	assert_int_equal(n->remote_as.v, 65001); /* kept: IOS took it */
	assert_false(rr_nb_rare(n)->alternate_as.set);
	assert_false(rr_nb_rare(n)->allowas_in.set);
	assert_false(rr_nb_rare(n)->weight.set);
	assert_false(rr_nb_rare(n)->prefix_list_in.set);
}

/* Process knobs: listen limit (default 100), maximum-paths, best path,
 * default local-preference. */
static void
test_process_knobs(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(f, "router bgp 64512\n");

	NO_DIAGS(f);
	assert_false(s->listen_limit.set);
	assert_int_equal(s->listen_limit.v, 100);
	assert_int_equal(s->maximum_paths.v, 1);
	assert_int_equal(s->maximum_paths_ibgp.v, 1);
	assert_int_equal(s->default_local_pref.v, 100);
	assert_false(s->bestpath_compare_routerid.v);
	assert_true(s->enforce_first_as.v);

	reset(f);
	s = pio(f, "router bgp 64512\n"
	           " bgp listen limit 2000\n"
	           " bgp bestpath compare-routerid\n"
	           " bgp always-compare-med\n"
	           " bgp bestpath as-path multipath-relax\n"
	           " bgp default local-preference 200\n"
	           " no bgp enforce-first-as\n"
	           " bgp graceful-restart\n"
	           " maximum-paths 4\n"
	           " address-family ipv4\n"
	           "  maximum-paths ibgp 8\n"
	           "  maximum-paths eibgp 2\n"
	           " exit-address-family\n"
	           " address-family ipv4 vrf A\n"
	           "  maximum-paths 16\n"
	           " exit-address-family\n");
	NO_DIAGS(f);
	assert_int_equal(s->listen_limit.v, 2000);
	assert_int_equal(s->listen_limit.at.line, 2);
	assert_true(s->bestpath_compare_routerid.set &&
	            s->bestpath_compare_routerid.v);
	assert_true(s->bestpath_always_compare_med.v);
	assert_true(s->bestpath_multipath_relax.v);
	assert_int_equal(s->default_local_pref.v, 200);
	assert_true(s->enforce_first_as.set && !s->enforce_first_as.v);
	assert_true(s->graceful_restart.v);
	assert_int_equal(s->maximum_paths.v, 4); /* the VRF's 16 is not it */
	assert_int_equal(s->maximum_paths.at.line, 9);
	assert_int_equal(s->maximum_paths_ibgp.v, 8);
	assert_int_equal(s->maximum_paths_eibgp.v, 2);

	reset(f);
	s = pio(f, "router bgp 64512\n maximum-paths 0\n");
	WANT_DIAG(f, RR_SEV_ERROR, RR_RULE_IOS_INVALID, 2, 16);
	assert_int_equal(s->maximum_paths.v, 1);
}

/* bgp router-id interface X: X's address; a missing or unaddressed X is a
 * warning and IOS's own choice, never a fatal error. */
static void
test_router_id_interface(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(f, "interface Loopback0\n"
	                              " ip address 10.255.0.9 255.255.255.255\n"
	                              "interface Loopback1\n"
	                              " ip address 10.255.0.20 255.255.255.255\n"
	                              "router bgp 64512\n"
	                              " bgp router-id interface Lo0\n");
	NO_DIAGS(f);
	assert_string_equal(astr(&s->router_id.v), "10.255.0.9");
	assert_string_equal(s->router_id.via, "interface Loopback0");
	assert_int_equal(s->router_id.at.line, 6);
	assert_string_equal(s->router_id_interface.v, "Lo0");

	reset(f);
	s = pio(f, "interface Loopback1\n"
	           " ip address 10.255.0.20 255.255.255.255\n"
	           "router bgp 64512\n"
	           " bgp router-id interface Loopback7\n");
	WANT_DIAG(f, RR_SEV_WARNING, RR_RULE_PARSE_WARNING, 4, 2);
	assert_int_equal(f->d.count[RR_SEV_ERROR] + f->d.count[RR_SEV_FATAL], 0);
	assert_string_equal(astr(&s->router_id.v), "10.255.0.20");
	assert_string_equal(s->router_id.via, "interface Loopback1");
}

/* HSRP / VRRP / GLBP virtual addresses: kept apart from the router's own
 * addresses, with group, interface, VRF and line. */
static void
test_fhrp_virtual_addresses(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(
	        f, "interface Vlan10\n"                           /* 1 */
	           " ip address 192.168.1.2 255.255.255.0\n"      /* 2 */
	           " standby version 2\n"                         /* 3 */
	           " standby 10 ip 192.168.1.1\n"                 /* 4 */
	           " standby 10 ip 192.168.1.100 secondary\n"     /* 5 */
	           " standby 10 priority 110\n"                   /* 6 */
	           "interface Vlan20\n"                           /* 7 */
	           " vrf forwarding RED\n"                        /* 8 */
	           " ip address 192.168.2.2 255.255.255.0\n"      /* 9 */
	           " vrrp 20 ip 192.168.2.1\n"                    /* 10 */
	           "interface Vlan30\n"                           /* 11 */
	           " ip address 192.168.3.2 255.255.255.0\n"      /* 12 */
	           " glbp 3 ip 192.168.3.1\n"                     /* 13 */
	           " shutdown\n"                                  /* 14 */
	           "interface Vlan40\n"                           /* 15 */
	           " ip address 192.168.4.2 255.255.255.0\n"      /* 16 */
	           " standby ip 192.168.4.1\n"                    /* 17 */
	           " vrrp 4 address-family ipv4\n"                /* 18 */
	           "  address 192.168.4.254 primary\n"            /* 19 */
	           "  priority 120\n"                             /* 20 */
	           " description x\n"                             /* 21 */
	           "router bgp 64512\n");
	size_t i;

	NO_DIAGS(f);
	assert_int_equal(s->nvips, 5);
	assert_int_equal(s->vips[0].proto, RR_FHRP_HSRP);
	assert_int_equal(s->vips[0].group, 10);
	assert_string_equal(astr(&s->vips[0].addr), "192.168.1.1");
	assert_string_equal(s->vips[0].iface, "Vlan10");
	assert_int_equal(s->vips[0].at.line, 4);
	assert_true(s->vips[1].secondary);
	assert_int_equal(s->vips[2].proto, RR_FHRP_VRRP);
	assert_string_equal(s->vips[2].vrf, "RED");
	/* Vlan30 is shut: its GLBP address is not there */
	assert_int_equal(s->vips[3].proto, RR_FHRP_HSRP);
	assert_int_equal(s->vips[3].group, 0);
	assert_int_equal(s->vips[4].proto, RR_FHRP_VRRP);
	assert_int_equal(s->vips[4].group, 4);
	assert_string_equal(astr(&s->vips[4].addr), "192.168.4.254");
	assert_int_equal(s->vips[4].at.line, 19);
	for (i = 0; i < s->naddrs; i++)
		assert_true(strcmp(astr(&s->addrs[i].p.addr), "192.168.1.1"));
	/* the VRF interface's address is a VRF address, not an own one */
	assert_int_equal(s->naddrs, 2);
	assert_int_equal(s->nvrf_addrs, 1);
	assert_string_equal(s->vrf_addrs[0].vrf, "RED");
	assert_string_equal(pstr(&s->vrf_addrs[0].p), "192.168.2.2/24");
}

/* IGP processes and VRF definitions are recorded, their bodies skipped. */
static void
test_igps_and_vrfs(void **state)
{
	struct fx *f = *state;
	struct rr_speaker *s = pio(f, "vrf definition RED\n"
	                              " rd 1:1\n"
	                              " address-family ipv4\n"
	                              " exit-address-family\n"
	                              "ip vrf BLUE\n"
	                              " rd 1:2\n"
	                              "router ospf 1\n"
	                              " network 10.0.0.0 0.255.255.255 area 0\n"
	                              "router ospf 2 vrf RED\n"
	                              "router isis CORE\n"
	                              "router eigrp 100\n"
	                              "ipv6 router ospf 3\n"
	                              "router rip\n"
	                              "router odr\n"
	                              "router bgp 64512\n");
	NO_DIAGS(f);
	assert_int_equal(s->nvrfs, 2);
	assert_string_equal(s->vrfs[0].name, "RED");
	assert_string_equal(s->vrfs[1].name, "BLUE");
	assert_int_equal(s->vrfs[1].at.line, 5);
	assert_int_equal(s->nigps, 6);
	assert_string_equal(s->igps[0].proto, "ospf");
	assert_string_equal(s->igps[0].id, "1");
	assert_null(s->igps[0].vrf);
	assert_string_equal(s->igps[1].vrf, "RED");
	assert_string_equal(s->igps[2].proto, "isis");
	assert_string_equal(s->igps[2].id, "CORE");
	assert_string_equal(s->igps[3].proto, "eigrp");
	assert_string_equal(s->igps[4].proto, "ospf");
	assert_int_equal(s->igps[4].at.line, 12);
	assert_string_equal(s->igps[5].proto, "rip");
	assert_null(s->igps[5].id);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(test_seed),
	        T(test_static_routes),
	        T(test_two_shapes),
	        T(test_peer_group),
	        T(test_templates),
	        T(test_template_errors),
	        T(test_listen_range),
	        T(test_default_ipv4_unicast),
	        T(test_vrf_neighbors),
	        T(test_asn),
	        T(test_cluster_id),
	        T(test_passwords),
	        T(test_interfaces),
	        T(test_router_id_fallback),
	        T(test_banners),
	        T(test_diagnostics),
	        T(test_neighbor_values),
	        T(test_modes),
	        T(test_hostile),
	        T(test_scale),
	        T(test_neighbor_policy_fields),
	        T(test_neighbor_policy_errors),
	        T(test_process_knobs),
	        T(test_router_id_interface),
	        T(test_fhrp_virtual_addresses),
	        T(test_igps_and_vrfs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
