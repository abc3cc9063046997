/*
 * bench_sim: `rrkit sim` on a generated cluster, next to a baseline
 * measured in the same run.
 *   bench_sim N [R] [--raw] [--no-baseline]
 * N nodes (mesh off, one IPPool, one /26 BlockAffinity each, a BGPPeer per
 * reflector) and R IOS reflectors (default 1; each with N
 * route-reflector-client neighbors, `timers bgp 10 30`, cluster-id 1).
 * Prints wall time of the simulation (parsing and resolving apart),
 * simulated seconds, peak RSS, messages exchanged; then the baseline: the
 * same number of UPDATEs like the reflector's (one prefix, ORIGIN,
 * AS_PATH, NEXT_HOP, LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST) encoded and
 * decoded with bgp_msg_encode/bgp_msg_decode without the simulator, and the
 * ratio.  --raw prints "<sim ms> <peak KiB> <messages> <baseline ms>" only
 * (bench/run.sh); --no-baseline skips the baseline (0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bgpsim/sim.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
node_addr(unsigned i, char *buf, size_t n)
{
	unsigned v = 10u << 24 | (i + 10);
	snprintf(buf, n, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255,
	         (v >> 8) & 255, v & 255);
}

static char *
gen_calico(unsigned n, unsigned r, size_t *len)
{
	char *p = NULL, a[32];
	size_t sz = 0;
	FILE *f = open_memstream(&p, &sz);
	unsigned i;

	fprintf(f, "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	           "metadata:\n  name: default\nspec:\n"
	           "  nodeToNodeMeshEnabled: false\n  asNumber: 64512\n"
	           "---\napiVersion: projectcalico.org/v3\nkind: IPPool\n"
	           "metadata:\n  name: pods\nspec:\n  cidr: 100.64.0.0/10\n"
	           "  blockSize: 26\n  ipipMode: Never\n  vxlanMode: Never\n");
	for (i = 0; i < r; i++)
		fprintf(f,
		        "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
		        "metadata:\n  name: rr%u\nspec:\n  nodeSelector: "
		        "all()\n"
		        "  peerIP: 10.0.0.%u\n  asNumber: 64512\n",
		        i + 1, i + 1);
	for (i = 0; i < n; i++) {
		unsigned b = (100u << 24 | 64u << 16) + i * 64;
		node_addr(i, a, sizeof(a));
		fprintf(f,
		        "---\napiVersion: projectcalico.org/v3\nkind: Node\n"
		        "metadata:\n  name: node-%05u\nspec:\n  bgp:\n"
		        "    ipv4Address: %s/8\n",
		        i, a);
		fprintf(f,
		        "---\napiVersion: crd.projectcalico.org/v1\n"
		        "kind: BlockAffinity\nmetadata:\n  name: "
		        "node-%05u-blk\n"
		        "spec:\n  node: node-%05u\n  cidr: %u.%u.%u.%u/26\n"
		        "  state: confirmed\n",
		        i, i, b >> 24, (b >> 16) & 255, (b >> 8) & 255,
		        b & 255);
	}
	fclose(f);
	*len = sz;
	return p;
}

static char *
gen_ios(unsigned n, unsigned k, size_t *len)
{
	char *p = NULL, a[32];
	size_t sz = 0;
	FILE *f = open_memstream(&p, &sz);
	unsigned i;

	fprintf(f,
	        "hostname rr%u\n!\ninterface GigabitEthernet0/0\n"
	        " ip address 10.0.0.%u 255.0.0.0\n!\nrouter bgp 64512\n"
	        " bgp router-id 10.0.0.%u\n bgp cluster-id 1\n"
	        " timers bgp 10 30\n",
	        k, k, k);
	for (i = 0; i < n; i++) {
		node_addr(i, a, sizeof(a));
		fprintf(f, " neighbor %s remote-as 64512\n", a);
	}
	fprintf(f, " address-family ipv4\n");
	for (i = 0; i < n; i++) {
		node_addr(i, a, sizeof(a));
		fprintf(f, "  neighbor %s activate\n", a);
		fprintf(f, "  neighbor %s route-reflector-client\n", a);
	}
	fprintf(f, " exit-address-family\n!\nend\n");
	fclose(f);
	*len = sz;
	return p;
}

/* The baseline: encode + decode `count` reflected one-prefix UPDATEs. */
static double
baseline(uint64_t count)
{
	struct bgp_codec c = {true, false, false, false};
	struct bgp_attr at[6];
	struct bgp_seg seg;
	uint32_t as = 64512, cl = 1;
	struct bgp_nlri nl;
	struct bgp_msg m, out;
	struct bgp_error e;
	struct rr_arena a;
	uint8_t buf[BGP_MAX_LEN];
	uint64_t i;
	double t0;
	volatile size_t sink = 0;

	memset(at, 0, sizeof(at));
	memset(&m, 0, sizeof(m));
	memset(&nl, 0, sizeof(nl));
	at[0].flags = BGP_ATTR_F_TRANSITIVE;
	at[0].code = BGP_ATTR_ORIGIN;
	at[1].flags = BGP_ATTR_F_TRANSITIVE;
	at[1].code = BGP_ATTR_AS_PATH;
	seg.type = BGP_SEG_SEQUENCE;
	seg.n = 1;
	seg.asns = &as;
	at[1].u.aspath.segs = &seg;
	at[1].u.aspath.nsegs = 0; /* iBGP: empty, as the reflector's */
	at[2].flags = BGP_ATTR_F_TRANSITIVE;
	at[2].code = BGP_ATTR_NEXT_HOP;
	at[2].u.next_hop = rr_addr_from_v4(0x0a00000a);
	at[3].flags = BGP_ATTR_F_TRANSITIVE;
	at[3].code = BGP_ATTR_LOCAL_PREF;
	at[3].u.u32 = 2147482623u;
	at[4].flags = BGP_ATTR_F_OPTIONAL;
	at[4].code = BGP_ATTR_ORIGINATOR_ID;
	at[4].u.u32 = 0x0a00000a;
	at[5].flags = BGP_ATTR_F_OPTIONAL;
	at[5].code = BGP_ATTR_CLUSTER_LIST;
	at[5].u.list.v = &cl;
	at[5].u.list.n = 1;
	for (i = 0; i < 6; i++)
		at[i].decoded = true;
	nl.prefix = (struct rr_prefix){rr_addr_from_v4(0x64400000), 26};
	m.type = BGP_MSG_UPDATE;
	m.u.update.attrs = at;
	m.u.update.nattrs = 6;
	m.u.update.nlri = &nl;
	m.u.update.nnlri = 1;
	t0 = now_ms();
	for (i = 0; i < count; i++) {
		long n;
		nl.prefix.addr.b[2] = (uint8_t)(i >> 2);
		nl.prefix.addr.b[3] = (uint8_t)(i << 6);
		n = bgp_msg_encode(&m, &c, buf, sizeof(buf));
		rr_arena_init(&a);
		if (n < 0 ||
		    bgp_msg_decode(buf, (size_t)n, &c, &a, &out, &e) < 0)
			abort();
		sink += out.u.update.nnlri;
		rr_arena_release(&a);
	}
	(void)sink;
	return now_ms() - t0;
}

int
main(int argc, char **argv)
{
	unsigned n, r = 1, k;
	bool raw = false, no_base = false;
	struct rr_model *m;
	struct rr_diags d;
	struct resolve_opts ro;
	struct sim_opts so;
	struct sim *s;
	const struct sim_stats *st;
	const struct sim_verdict *v;
	struct rusage ru;
	char *y;
	size_t ylen;
	double t0, t1, t2, base;
	uint64_t updates;
	bool ok;
	int i;

	if (argc < 2) {
		fprintf(stderr,
		        "usage: bench_sim N [R] [--raw] [--no-baseline]\n");
		return 2;
	}
	n = (unsigned)strtoul(argv[1], NULL, 10);
	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--raw"))
			raw = true;
		else if (!strcmp(argv[i], "--no-baseline"))
			no_base = true;
		else
			r = (unsigned)strtoul(argv[i], NULL, 10);
	if (!n || !r || r > 200)
		return 2;
	t0 = now_ms();
	m = rr_model_new();
	rr_diags_init(&d);
	y = gen_calico(n, r, &ylen);
	if (parse_calico(m, "cluster.yaml", y, ylen, NULL, &d) < 0)
		return 3;
	for (k = 1; k <= r; k++) {
		size_t ilen;
		char *t = gen_ios(n, k, &ilen);
		char name[32];
		snprintf(name, sizeof(name), "rr%u.ios", k);
		if (parse_ios(m, rr_model_file(m, name), t, ilen, &d) < 0)
			return 3;
		free(t);
	}
	memset(&ro, 0, sizeof(ro));
	if (resolve_calico(m, &ro, &d) < 0)
		return 3;
	t1 = now_ms();
	memset(&so, 0, sizeof(so));
	if (sim_new(m, &so, &s, &d) < 0)
		return 3;
	sim_run(s);
	t2 = now_ms();
	getrusage(RUSAGE_SELF, &ru);
	st = sim_stats(s);
	v = sim_verdict(s);
	if (raw) {
		/* "<sim ms> <peak KiB> <messages> <baseline ms>" */
		double ms = t2 - t1;
		long kib = ru.ru_maxrss;
		unsigned long long msgs = (unsigned long long)st->messages;
		ok = v->ok;
		updates = st->updates;
		sim_free(s);
		base = no_base ? 0 : baseline(updates);
		printf("%.0f %ld %llu %.0f\n", ms, kib, msgs, base);
		rr_diags_release(&d);
		rr_model_free(m);
		free(y);
		return ok ? 0 : 1;
	}
	printf("sim %u nodes, %u reflector%s: %.0f ms (load %.0f ms), peak "
	       "%.0f MB, %llu.%03llu s simulated (%s), %zu sessions, %llu "
	       "messages (%llu UPDATEs, %llu prefixes sent), %.2fM "
	       "messages/s\n",
	       n, r, r > 1 ? "s" : "", t2 - t1, t1 - t0,
	       (double)ru.ru_maxrss / 1024.0,
	       (unsigned long long)(st->end_ms / 1000),
	       (unsigned long long)(st->end_ms % 1000),
	       st->converged ? "converged" : "not converged", sim_nsessions(s),
	       (unsigned long long)st->messages,
	       (unsigned long long)st->updates,
	       (unsigned long long)st->prefixes_sent,
	       (double)st->messages / ((t2 - t1) * 1e3));
	printf("  verdict: %llu/%llu sessions, %llu/%llu pod routes: %s\n",
	       (unsigned long long)v->sessions_up,
	       (unsigned long long)v->sessions_expected,
	       (unsigned long long)v->routes_ok,
	       (unsigned long long)v->routes_expected, v->ok ? "ok" : "NOT OK");
	ok = v->ok;
	updates = st->updates;
	sim_free(s);
	if (no_base) {
		rr_diags_release(&d);
		rr_model_free(m);
		free(y);
		return ok ? 0 : 1;
	}
	base = baseline(updates);
	printf("  baseline: the same %llu UPDATEs encoded+decoded without the "
	       "simulator: %.0f ms; ratio %.1fx\n",
	       (unsigned long long)updates, base,
	       base > 0 ? (t2 - t1) / base : 0.0);
	rr_diags_release(&d);
	rr_model_free(m);
	free(y);
	return ok ? 0 : 1;
}
