/*
 * Generate large inputs for `make bench`:
 *   bench_gen calico N   a cluster of N nodes (mesh off, one BGPPeer to the
 *                        reflector, one IPPool, one BlockAffinity per node)
 *   bench_gen ios N      an IOS route reflector with N client neighbors
 * Nodes use 10.0.0.0/8 addresses; blocks are /26 out of 100.64.0.0/10.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
node_addr(unsigned i, char *buf, size_t n)
{
	unsigned v = 10u << 24 | (i + 10);
	snprintf(buf, n, "%u.%u.%u.%u", v >> 24, (v >> 16) & 255, (v >> 8) & 255,
		 v & 255);
}

static void
block(unsigned i, char *buf, size_t n)
{
	unsigned v = (100u << 24 | 64u << 16) + i * 64;
	snprintf(buf, n, "%u.%u.%u.%u/26", v >> 24, (v >> 16) & 255,
		 (v >> 8) & 255, v & 255);
}

static void
gen_calico(unsigned n)
{
	char a[32], b[32];
	unsigned i;

	printf("apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	       "metadata:\n  name: default\nspec:\n  nodeToNodeMeshEnabled: false\n"
	       "  asNumber: 64512\n---\n"
	       "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n"
	       "  name: rr1\nspec:\n  nodeSelector: all()\n  peerIP: 10.0.0.1\n"
	       "  asNumber: 64512\n---\n"
	       "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n"
	       "  name: pods\nspec:\n  cidr: 100.64.0.0/10\n  blockSize: 26\n"
	       "  ipipMode: Never\n  vxlanMode: Never\n  natOutgoing: true\n");
	for (i = 0; i < n; i++) {
		node_addr(i, a, sizeof(a));
		block(i, b, sizeof(b));
		printf("---\napiVersion: projectcalico.org/v3\nkind: Node\n"
		       "metadata:\n  name: node-%05u\n  labels:\n"
		       "    kubernetes.io/hostname: node-%05u\n    rack: r%02u\n"
		       "spec:\n  bgp:\n    ipv4Address: %s/8\n",
		       i, i, i % 40, a);
		printf("---\napiVersion: crd.projectcalico.org/v1\nkind: BlockAffinity\n"
		       "metadata:\n  name: node-%05u-blk\nspec:\n  node: node-%05u\n"
		       "  cidr: %s\n  state: confirmed\n  deleted: \"false\"\n",
		       i, i, b);
	}
}

static void
gen_ios(unsigned n)
{
	char a[32];
	unsigned i;

	printf("hostname rr1\n!\ninterface GigabitEthernet0/0\n"
	       " ip address 10.0.0.1 255.0.0.0\n!\nrouter bgp 64512\n"
	       " bgp router-id 10.0.0.1\n bgp cluster-id 1\n"
	       " bgp log-neighbor-changes\n timers bgp 10 30\n");
	for (i = 0; i < n; i++) {
		node_addr(i, a, sizeof(a));
		printf(" neighbor %s remote-as 64512\n", a);
		printf(" neighbor %s description node-%05u\n", a, i);
	}
	printf(" !\n address-family ipv4\n");
	for (i = 0; i < n; i++) {
		node_addr(i, a, sizeof(a));
		printf("  neighbor %s activate\n", a);
		printf("  neighbor %s route-reflector-client\n", a);
	}
	printf(" exit-address-family\n!\nend\n");
}

int
main(int argc, char **argv)
{
	unsigned n;
	if (argc != 3) {
		fprintf(stderr, "usage: bench_gen calico|ios N\n");
		return 2;
	}
	n = (unsigned)strtoul(argv[2], NULL, 10);
	if (!strcmp(argv[1], "calico"))
		gen_calico(n);
	else if (!strcmp(argv[1], "ios"))
		gen_ios(n);
	else
		return 2;
	return 0;
}
