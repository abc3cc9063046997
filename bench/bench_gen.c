/*
 * Generate large inputs for `make bench`:
 *   bench_gen calico N [R]  a cluster of N nodes (mesh off, one BGPPeer to each
 *                           of R reflectors 10.0.0.1.., one IPPool, one
 *                           BlockAffinity per node); R defaults to 1
 *   bench_gen ios N [K]     IOS route reflector rrK (10.0.0.K, cluster-id 1)
 *                           with the N nodes as clients; K defaults to 1
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
gen_calico(unsigned n, unsigned r)
{
	char a[32], b[32];
	unsigned i;

	printf("apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\n"
	       "metadata:\n  name: default\nspec:\n  nodeToNodeMeshEnabled: false\n"
	       "  asNumber: 64512\n---\n");
	for (i = 1; i <= r; i++)
		printf("apiVersion: projectcalico.org/v3\nkind: BGPPeer\n"
		       "metadata:\n  name: rr%u\nspec:\n  nodeSelector: all()\n"
		       "  peerIP: 10.0.0.%u\n  asNumber: 64512\n---\n",
		       i, i);
	printf("apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n"
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
gen_ios(unsigned n, unsigned k)
{
	char a[32];
	unsigned i;

	printf("hostname rr%u\n!\ninterface GigabitEthernet0/0\n"
	       " ip address 10.0.0.%u 255.0.0.0\n!\nrouter bgp 64512\n"
	       " bgp router-id 10.0.0.%u\n bgp cluster-id 1\n"
	       " bgp log-neighbor-changes\n timers bgp 10 30\n",
	       k, k, k);
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
	unsigned n, k = 1;
	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: bench_gen calico N [R] | ios N [K]\n");
		return 2;
	}
	n = (unsigned)strtoul(argv[2], NULL, 10);
	if (argc == 4)
		k = (unsigned)strtoul(argv[3], NULL, 10);
	if (k < 1 || k > 9)
		return 2;
	if (!strcmp(argv[1], "calico"))
		gen_calico(n, k);
	else if (!strcmp(argv[1], "ios"))
		gen_ios(n, k);
	else
		return 2;
	return 0;
}
