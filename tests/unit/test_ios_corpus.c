/*
 * parsers/ios*.c over the shared corpus: every configuration in
 * corpus/ios and every show_running-config capture in corpus/ios-lab
 * parses without crash or leak; real NVGEN output parses without a single
 * warning; per file the neighbors, warnings and warned commands are
 * printed; and facts read by hand from a few files are checked.
 * $RRKIT_SHARED (default ../shared, relative to the repository root).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "tests/unit/tutil.h"

#include "parsers/parsers.h"

struct parsed {
	struct rr_model *m;
	struct rr_diags d;
	struct rr_speaker *s; /* NULL when refused */
	int rc;
	enum parse_format fmt;
};

static bool
have_corpus(void)
{
	char dir[1024];
	struct stat st;
	snprintf(dir, sizeof(dir), "%s/corpus/ios", shared());
	return stat(dir, &st) == 0;
}

#define NEED_CORPUS()                                                          \
	do {                                                                   \
		if (!have_corpus()) {                                          \
			printf("corpus not found under %s/corpus (set "        \
			       "RRKIT_SHARED); skipped\n",                     \
			       shared());                                      \
			skip();                                                \
		}                                                              \
	} while (0)

/* Parse corpus/<rel> into p (fresh model). */
static void
parse_rel(struct parsed *p, const char *rel)
{
	char path[2048];
	size_t len = 0;
	char *text;

	snprintf(path, sizeof(path), "%s/corpus/%s", shared(), rel);
	text = slurp(path, &len);
	if (!text)
		fail_msg("cannot read %s", path);
	p->m = rr_model_new();
	rr_diags_init(&p->d);
	p->fmt = parse_detect(text, len);
	p->rc = parse_ios(p->m, path, text, len, &p->d);
	p->s = p->m->nspeakers ? p->m->speakers[0] : NULL;
	free(text);
}

static void
release(struct parsed *p)
{
	rr_diags_release(&p->d);
	rr_model_free(p->m);
}

static bool
is_config(const char *dir, const char *name)
{
	size_t n = strlen(name), k = strlen(".show_running-config.txt");
	if (name[0] == '.' || !strcmp(name, "README.md") ||
	    !strncmp(name, "LICENSE", 7))
		return false;
	if (!strcmp(dir, "ios-lab"))
		return n > k &&
		       !strcmp(name + n - k, ".show_running-config.txt");
	return true;
}

/* Real NVGEN output: must parse without a single warning. */
static bool
is_nvgen(const char *dir, const char *name)
{
	return !strcmp(dir, "ios-lab") || !strncmp(name, "lv-", 3) ||
	       !strncmp(name, "bf-ex-", 6) || !strncmp(name, "bf-hc-", 6);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The first 'quoted' part of a message: the command a warning names. */
static void
quoted(const char *msg, char *out, size_t cap)
{
	const char *a = strchr(msg, '\''), *b = a ? strchr(a + 1, '\'') : NULL;
	size_t n;
	if (!a || !b) {
		snprintf(out, cap, "%s", msg);
		return;
	}
	n = (size_t)(b - a - 1);
	if (n >= cap)
		n = cap - 1;
	memcpy(out, a + 1, n);
	out[n] = '\0';
}

static void
test_corpus_all(void **state)
{
	static const char *const dirs[] = {"ios", "ios-lab"};
	size_t files = 0, total_warn = 0, total_err = 0, total_nb = 0, di;
	size_t nvgen = 0;

	(void)state;
	NEED_CORPUS();
	for (di = 0; di < 2; di++) {
		char dir[1024];
		struct dirent **ents;
		int ne, ei;

		snprintf(dir, sizeof(dir), "%s/corpus/%s", shared(), dirs[di]);
		ne = scandir(dir, &ents, NULL, alphasort);
		assert_true(ne > 0);
		for (ei = 0; ei < ne; ei++) {
			const char *name = ents[ei]->d_name;
			char rel[1024], cmds[1024] = "", one[128];
			const char *seen[64];
			size_t nseen = 0, i, warn, err;
			struct parsed p;

			if (!is_config(dirs[di], name)) {
				free(ents[ei]);
				continue;
			}
			snprintf(rel, sizeof(rel), "%s/%s", dirs[di], name);
			parse_rel(&p, rel);
			files++;
			warn = p.d.count[RR_SEV_WARNING];
			err = p.d.count[RR_SEV_ERROR];
			for (i = 0; i < p.d.n; i++) {
				size_t k;
				if (p.d.v[i].sev < RR_SEV_WARNING)
					continue;
				quoted(p.d.v[i].msg, one, sizeof(one));
				for (k = 0; k < nseen; k++)
					if (!strcmp(seen[k], one))
						break;
				if (k == nseen && nseen < 64)
					seen[nseen++] = rr_arena_strdup(
					        &p.d.arena, one);
			}
			qsort(seen, nseen, sizeof(seen[0]), cmp_str);
			for (i = 0; i < nseen; i++) {
				size_t o = strlen(cmds);
				snprintf(cmds + o, sizeof(cmds) - o, "%s'%s'",
				         i ? ", " : "", seen[i]);
			}
			printf("  %-64s %-6s %3zu nb %2zu warn %2zu err%s%s\n",
			       rel, parse_format_name(p.fmt),
			       p.s ? p.s->nneighbors : 0, warn, err,
			       nseen ? "  " : "", cmds);
			if (p.rc != 0) {
				/* only UTF-16 is refused as a whole */
				assert_true(rr_diags_has_fatal(&p.d));
				assert_int_equal(p.fmt, PARSE_FMT_BINARY);
			} else {
				assert_non_null(p.s);
				assert_non_null(p.s->name);
				total_nb += p.s->nneighbors;
			}
			if (is_nvgen(dirs[di], name)) {
				nvgen++;
				if (warn + err) {
					for (i = 0; i < p.d.n; i++)
						printf("    %u:%u %s\n",
						       p.d.v[i].loc.line,
						       p.d.v[i].loc.col,
						       p.d.v[i].msg);
					fail_msg("real NVGEN output %s warns",
					         rel);
				}
			}
			total_warn += warn;
			total_err += err;
			release(&p);
			free(ents[ei]);
		}
		free(ents);
	}
	printf("ios corpus: %zu files (%zu real NVGEN, all clean), %zu "
	       "neighbors, %zu warnings, %zu errors\n",
	       files, nvgen, total_nb, total_warn, total_err);
	assert_true(files >= 120);
}

/* ------------------------------------------------- facts by hand */

static const struct rr_neighbor *
find_nb(const struct rr_speaker *s, const char *peer, const char *vrf)
{
	size_t i;
	char buf[RR_PREFIX_STRLEN];
	for (i = 0; i < s->nneighbors; i++) {
		const struct rr_neighbor *n = &s->neighbors[i];
		const char *t = n->is_range ? rr_prefix_str(&n->range, buf)
		                            : rr_addr_str(&n->peer, buf);
		if (!strcmp(t, peer) &&
		    (vrf ? n->vrf && !strcmp(n->vrf, vrf) : !n->vrf))
			return n;
	}
	fail_msg("no neighbor %s", peer);
	return NULL;
}

static const char *
astr(const struct rr_addr *a)
{
	static char buf[RR_ADDR_STRLEN];
	return rr_addr_str(a, buf);
}

static void
test_route_reflector_lab(void **state)
{
	static const char *const clients[] = {"2.1.1.1", "2.1.1.2", "2.1.3.1",
	                                      "2.1.3.2"};
	struct parsed p;
	size_t i;

	(void)state;
	NEED_CORPUS();
	/* a real IOS 15.2 route reflector (ios_example_network.README) */
	parse_rel(&p, "ios-lab/ios_example_network-as2core1.show_running-"
	              "config.txt");
	assert_string_equal(p.s->name, "as2core1");
	assert_int_equal(p.s->asn.v, 2);
	assert_string_equal(astr(&p.s->router_id.v), "2.1.2.1");
	assert_false(p.s->cluster_id.set); /* cluster id = router id */
	assert_int_equal(p.s->nneighbors, 4);
	assert_int_equal(p.s->naddrs, 6); /* Ethernet0/0 is shut */
	for (i = 0; i < 4; i++) {
		const struct rr_neighbor *n = find_nb(p.s, clients[i], NULL);
		assert_int_equal(n->remote_as.v, 2);
		assert_string_equal(n->remote_as.via, "as2");
		assert_true(n->rr_client.v);
		assert_string_equal(n->rr_client.via, "as2");
		assert_string_equal(n->send_community.v, "standard");
		assert_true(n->af[RR_AFS_IPV4].set && n->af[RR_AFS_IPV4].v);
		assert_string_equal(n->update_source.v, "Loopback0");
		assert_string_equal(astr(&n->source_address.v), "2.1.2.1");
	}
	assert_int_equal(p.s->nnetworks, 1);
	release(&p);

	/* the client: peers with both reflectors through peer-group as2 */
	parse_rel(&p, "ios-lab/ios_example_network-as2dist1.show_running-"
	              "config.txt");
	assert_false(find_nb(p.s, "2.1.2.1", NULL)->rr_client.set);
	assert_string_equal(find_nb(p.s, "2.1.2.2", NULL)->peer_group, "as2");
	assert_int_equal(find_nb(p.s, "2.34.101.4", NULL)->remote_as.v, 65001);
	release(&p);

	/* Batfish's RR rig: client and non-client groups at router level */
	parse_rel(&p, "ios/bf-dp-rrrc-rr");
	assert_int_equal(p.s->nneighbors, 4);
	assert_true(find_nb(p.s, "10.0.46.0", NULL)->rr_client.v);
	assert_false(find_nb(p.s, "10.0.26.0", NULL)->rr_client.set);
	release(&p);
}

static void
test_lab_sessions(void **state)
{
	struct parsed p;
	const struct rr_neighbor *n;

	(void)state;
	NEED_CORPUS();
	/* neighbor X timers 10 30 30, send-community both, default-originate */
	parse_rel(&p, "ios-lab/eos_iosxe_aws_demo-exitgw.show_running-"
	              "config.txt");
	assert_int_equal(p.s->asn.v, 65100);
	assert_int_equal(p.s->nneighbors, 6);
	n = find_nb(p.s, "169.254.25.161", NULL);
	assert_int_equal(n->remote_as.v, 64512);
	assert_int_equal(n->keepalive.v, 10);
	assert_int_equal(n->hold.v, 30);
	assert_int_equal(rr_nb_rare(n)->min_hold.v, 30);
	assert_string_equal(find_nb(p.s, "10.10.100.1", NULL)->send_community.v,
	                    "both");
	release(&p);

	/* local-as (ios_nxos_bgp_local_as.README) */
	parse_rel(&p, "ios-lab/ios_nxos_bgp_local_as-ios1.show_running-"
	              "config.txt");
	n = find_nb(p.s, "10.1.1.2", NULL);
	assert_int_equal(p.s->asn.v, 65500);
	assert_int_equal(n->remote_as.v, 65502);
	assert_int_equal(rr_nb_rare(n)->local_as.v, 65501);
	assert_int_equal(p.s->nnetworks, 2);
	assert_int_equal(p.s->networks[0].p.len, 24); /* classful */
	release(&p);

	/* peer-group FW without remote-as: members bring their own */
	parse_rel(&p, "ios/bf-hc-lhr-border-02.cfg");
	assert_int_equal(p.s->nneighbors, 6);
	n = find_nb(p.s, "10.10.10.45", NULL);
	assert_string_equal(n->peer_group, "FW");
	assert_int_equal(n->remote_as.v, 65202);
	assert_null(n->remote_as.via);
	assert_true(find_nb(p.s, "10.10.255.7", NULL)->next_hop_self.v);
	release(&p);

	/* neighbors and peer-groups inside address-family ipv4 vrf */
	parse_rel(&p, "ios/lv-iosxe_vrf_route_leaking_bgp_peering-d1_v12.cfg");
	n = find_nb(p.s, "10.14.21.2", "vrf2");
	assert_int_equal(n->remote_as.v, 65004);
	assert_string_equal(n->remote_as.via, "d44");
	assert_string_equal(n->send_community.v, "both");
	assert_true(n->af[RR_AFS_IPV4].v);
	assert_string_equal(astr(&p.s->router_id.v), "192.168.1.1");
	release(&p);
}

static void
test_dynamic_and_templates(void **state)
{
	struct parsed p;
	const struct rr_neighbor *n;

	(void)state;
	NEED_CORPUS();
	/* listen range written before the group's remote-as */
	parse_rel(&p, "ios/bf-dp-bgp-dynamic-session-r2");
	assert_int_equal(p.d.count[RR_SEV_WARNING] + p.d.count[RR_SEV_ERROR],
	                 0);
	n = find_nb(p.s, "9.9.9.0/24", NULL);
	assert_true(n->is_range && n->passive);
	assert_string_equal(n->peer_group, "r3r4group");
	assert_int_equal(n->remote_as.v, 3);
	assert_string_equal(n->remote_as.via, "r3r4group");
	assert_string_equal(astr(&n->source_address.v), "2.2.2.2");
	release(&p);

	/* remote-as on the listen line; the group is never defined */
	parse_rel(&p, "ios/bf-gc-ios-bgp-neighbor");
	assert_int_equal(p.s->nneighbors, 4);
	n = find_nb(p.s, "2001:db8::/32", NULL);
	assert_true(n->is_range);
	assert_int_equal(n->remote_as.v, 2);
	assert_int_equal(p.d.count[RR_SEV_ERROR], 2);
	release(&p);

	/* a template defined after its use, reached indirectly */
	parse_rel(&p, "ios/bf-gc-ios-bgp-peer-session-inheritance");
	n = find_nb(p.s, "10.10.10.2", NULL);
	assert_int_equal(rr_nb_rare(n)->rr_cluster_id.v, 23);
	assert_string_equal(rr_nb_rare(n)->rr_cluster_id.via,
	                    "INDIRECT-PARENT");
	assert_string_equal(n->description.v, "direct-parent");
	assert_string_equal(n->description.via, "DIRECT-PARENT");
	assert_string_equal(n->session_template, "DIRECT-PARENT");
	release(&p);

	/* crossed template kinds are errors, not silently accepted */
	parse_rel(&p, "ios/bf-pt-ios_xe_bgp");
	assert_int_equal(p.d.count[RR_SEV_ERROR], 2);
	assert_false(find_nb(p.s, "1.1.1.1", NULL)->remote_as.set);
	release(&p);
}

static void
test_odd_files(void **state)
{
	struct parsed p;
	const struct rr_iface *f;
	size_t i;

	(void)state;
	NEED_CORPUS();
	parse_rel(&p, "ios/bf-gc-ios-bgp-procnum-dotted");
	assert_int_equal(p.s->asn.v, 62918u * 65536 + 62741);
	assert_int_equal(find_nb(p.s, "2.2.2.3", NULL)->remote_as.v, 131077);
	release(&p);

	parse_rel(&p, "ios/bf-gc-ios-bgp-procnum-long");
	assert_int_equal(p.s->asn.v, 4123456789u);
	release(&p);

	/* the same process entered twice merges */
	parse_rel(&p, "ios/bf-gc-ios-bgp-reenter-process");
	assert_int_equal(p.s->nneighbors, 2);
	release(&p);

	/* a second process with another AS is refused */
	parse_rel(&p, "ios/bf-gc-ios-bgp-multiple-routers");
	assert_int_equal(p.d.count[RR_SEV_ERROR], 1);
	release(&p);

	parse_rel(&p, "ios/bf-pt-ios_bgp_aggregate_address");
	assert_true(p.s->default_ipv4_unicast.set);
	assert_false(p.s->default_ipv4_unicast.v);
	release(&p);

	/* CRLF banners */
	parse_rel(&p, "ios/bf-pt-ios_banner_dos");
	assert_string_equal(p.s->name, "ios_banner_dos");
	assert_int_equal(p.d.count[RR_SEV_WARNING], 0);
	release(&p);

	/* interface-name abbreviations */
	parse_rel(&p, "ios/bf-gc-ios-interface");
	assert_int_equal(p.s->nifaces, 9);
	assert_string_equal(p.s->ifaces[0].canon, "FiftyGigE1/0/0");
	assert_string_equal(p.s->ifaces[2].canon, "FiftyGigE3/0/0");
	assert_string_equal(p.s->ifaces[5].canon, "FortyGigabitEthernet2/0/0");
	assert_string_equal(p.s->ifaces[7].canon, "HundredGigE2/0/0");
	assert_string_equal(p.s->ifaces[8].canon, "TwoPiGigabitEthernet1/0/1");
	release(&p);

	/* Latin-1 0xA0 as indentation: detect takes it as IOS, the reader
	 * reads the no-break space as a blank */
	parse_rel(&p, "ios/bf-gc-encoding_test");
	assert_int_equal(p.fmt, PARSE_FMT_IOS);
	f = &p.s->ifaces[0];
	assert_string_equal(f->canon, "Loopback0");
	assert_int_equal(f->naddrs, 1);
	release(&p);

	/* UTF-16 is refused by the parser (cli/load.c transcodes it first) */
	parse_rel(&p, "ios/bf-gc-ios-unicode-bom");
	assert_int_equal(p.rc, -1);
	assert_null(p.s);
	release(&p);

	/* ` end` inside router bgp stops the configuration (a device
	 * leaves configuration mode there) */
	parse_rel(&p, "ios/bf-pt-cisco_bgp");
	for (i = 0; i < p.d.n; i++)
		if (p.d.v[i].sev == RR_SEV_WARNING)
			assert_int_equal(p.d.v[i].loc.line, 13);
	release(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_corpus_all),
	        cmocka_unit_test(test_route_reflector_lab),
	        cmocka_unit_test(test_lab_sessions),
	        cmocka_unit_test(test_dynamic_and_templates),
	        cmocka_unit_test(test_odd_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
