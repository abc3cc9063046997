/*
 * parsers/ios_util.c: helpers of the IOS reader that know nothing of
 * modes: a hash table, interface-name canonicalisation (IOS
 * accepts unique abbreviations), Cisco type 7 decoding, the list of IOS global
 * configuration commands whose sections are skipped, classful lengths.
 */
#include "parsers/ios_priv.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ hashing */

/* The table's hash: eight bytes at a time (a neighbor's key is about 20
 * bytes; a byte-wise FNV-1a cost a fifth of reading 5,000 neighbors). */
static uint64_t
hkey(const void *key, size_t n)
{
	const unsigned char *p = key;
	uint64_t h = (uint64_t)n * 0x9e3779b97f4a7c15ull, v;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&v, p, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	v = 0;
	memcpy(&v, p, n);
	h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
	return h ^ h >> 29;
}

static size_t
slot_of(const struct ios_htab *t, uint64_t h, const void *key, size_t klen)
{
	size_t mask = t->cap - 1, i = (size_t)h & mask;

	while (t->v[i].key) {
		if (t->v[i].h == h && t->v[i].klen == klen &&
		    !memcmp(t->v[i].key, key, klen))
			return i;
		i = (i + 1) & mask;
	}
	return i;
}

void *
ios_htab_get(const struct ios_htab *t, const void *key, size_t klen)
{
	size_t i;

	if (!t->cap)
		return NULL;
	i = slot_of(t, hkey(key, klen), key, klen);
	return t->v[i].key ? t->v[i].val : NULL;
}

static void
grow(struct rr_arena *a, struct ios_htab *t)
{
	struct ios_htab n;
	size_t i;

	n.cap = t->cap ? t->cap * 2 : 64;
	n.n = t->n;
	n.v = rr_arena_calloc(a, n.cap, sizeof(*n.v));
	for (i = 0; i < t->cap; i++) {
		if (!t->v[i].key)
			continue;
		n.v[slot_of(&n, t->v[i].h, t->v[i].key, t->v[i].klen)] =
		        t->v[i];
	}
	*t = n; /* the old array stays in the arena until the parse ends */
}

void
ios_htab_put(struct rr_arena *a, struct ios_htab *t, const void *key,
             size_t klen, void *val)
{
	uint64_t h;
	size_t i;
	char *k;

	if ((t->n + 1) * 2 > t->cap)
		grow(a, t);
	h = hkey(key, klen);
	i = slot_of(t, h, key, klen);
	if (!t->v[i].key) {
		k = rr_arena_alloc(a, klen ? klen : 1);
		memcpy(k, key, klen);
		t->v[i].key = k;
		t->v[i].klen = klen;
		t->v[i].h = h;
		t->n++;
	}
	t->v[i].val = val;
}

/* ------------------------------------------------- interface names */

/*
 * Interface types in the order an abbreviation is tried (the first type
 * the written prefix matches wins, as the IOS parser's priority does for
 * the common cases: "F" is FastEthernet, "Fo" FortyGigabitEthernet).
 * `alias` is a second full spelling that canonicalises to `name`.
 */
static const struct {
	const char *name, *alias;
} iface_types[] = {
        {"Ethernet", NULL},
        {"FastEthernet", NULL},
        {"GigabitEthernet", NULL},
        {"TenGigabitEthernet", NULL},
        {"TwoGigabitEthernet", NULL},
        {"TwentyFiveGigE", "TwentyFiveGigabitEthernet"},
        {"FiveGigabitEthernet", NULL},
        {"FortyGigabitEthernet", "FortyGigE"},
        {"FiftyGigE", "FiftyGigabitEthernet"},
        {"HundredGigE", "HundredGigabitEthernet"},
        {"TwoHundredGigE", "TwoHundredGigabitEthernet"},
        {"FourHundredGigE", "FourHundredGigabitEthernet"},
        {"Loopback", NULL},
        {"Tunnel", NULL},
        {"Port-channel", NULL},
        {"Serial", NULL},
        {"Vlan", NULL},
        {"Virtual-Template", NULL},
        {"Virtual-Access", NULL},
        {"VirtualPortGroup", NULL},
        {"Null", NULL},
        {"Multilink", NULL},
        {"Dialer", NULL},
        {"BDI", NULL},
        {"BVI", NULL},
        {"Cellular", NULL},
        {"Async", NULL},
        {"ATM", NULL},
        {"POS", NULL},
        {"AppGigabitEthernet", NULL},
        {"Group-Async", NULL},
        {"Dot11Radio", NULL},
        {"Embedded-Service-Engine", NULL},
        {"Service-Engine", NULL},
        {"Wlan-GigabitEthernet", NULL},
        {"nve", NULL},
        {"LISP", NULL},
        {"Overlay", NULL},
        {"Bluetooth", NULL},
        {"CEM", NULL},
        {"Auto-Template", NULL},
};

static bool
prefix_of(const char *p, size_t n, const char *full)
{
	return full && strlen(full) >= n && !strncasecmp(p, full, n);
}

const char *
ios_iface_canon(struct rr_arena *a, const char *name)
{
	size_t n = 0, i;

	while (name[n] && !isdigit((unsigned char)name[n]))
		n++;
	if (n == 0 || !name[n])
		return rr_arena_strdup(a, name);
	/* an exact full spelling (or alias) first, then abbreviations */
	for (i = 0; i < sizeof(iface_types) / sizeof(iface_types[0]); i++)
		if ((strlen(iface_types[i].name) == n &&
		     !strncasecmp(name, iface_types[i].name, n)) ||
		    (iface_types[i].alias &&
		     strlen(iface_types[i].alias) == n &&
		     !strncasecmp(name, iface_types[i].alias, n)))
			goto found;
	for (i = 0; i < sizeof(iface_types) / sizeof(iface_types[0]); i++)
		if (prefix_of(name, n, iface_types[i].name) ||
		    prefix_of(name, n, iface_types[i].alias))
			goto found;
	return rr_arena_strdup(a, name);
found:
	return rr_arena_printf(a, "%s%s", iface_types[i].name, name + n);
}

/* ------------------------------------------------------------ type 7 */

/* The Cisco type 7 key (a Vigenère-style XOR; it is obfuscation only). */
static const char t7key[] =
        "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87";

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

long
ios_type7_decode(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s), i, k = sizeof(t7key) - 1;
	unsigned seed;

	if (n < 4 || n % 2 || !isdigit((unsigned char)s[0]) ||
	    !isdigit((unsigned char)s[1]))
		return -1;
	seed = (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
	if (seed >= k)
		return -1;
	for (i = 0; 2 + 2 * i < n; i++) {
		int hi = hexval(s[2 + 2 * i]), lo = hexval(s[3 + 2 * i]);
		if (hi < 0 || lo < 0 || i >= cap)
			return -1;
		out[i] = (char)((hi << 4 | lo) ^ t7key[(seed + i) % k]);
	}
	return (long)i;
}

/* ------------------------------------------------ global commands */

/*
 * IOS / IOS-XE global configuration commands (first word).  Their lines,
 * and the indented bodies that follow, say nothing about BGP peering and
 * are skipped without a warning; a first word not listed here is an
 * unknown command.  `interface`, `router`, `hostname`, `banner`, `macro`
 * and `end` are handled before this list is consulted.
 */
static const char *const top_cmds[] = {
        "aaa",
        "access-list",
        "access-session",
        "alias",
        "app-hosting",
        "archive",
        "arp",
        "async-bootp",
        "authentication",
        "auto",
        "avc",
        "banner",
        "bba-group",
        "bfd",
        "bfd-template",
        "boot",
        "boot-end-marker",
        "boot-start-marker",
        "bridge",
        "Building",
        "buffers",
        "call-home",
        "card",
        "cdp",
        "chat-script",
        "class-map",
        "clock",
        "cns",
        "config-register",
        "configuration",
        "control-plane",
        "controller",
        "crypto",
        "cts",
        "Current",
        "default",
        "define",
        "device-sensor",
        "device-tracking",
        "dhcp",
        "diagnostic",
        "dial-peer",
        "dialer",
        "dialer-list",
        "domain",
        "dot1x",
        "downward-compatible-config",
        "ecmp",
        "eigrp",
        "enable",
        "energywise",
        "epm",
        "errdisable",
        "ethernet",
        "event",
        "exception",
        "exit",
        "fhrp",
        "file",
        "flow",
        "fpd",
        "gnxi",
        "guest-shell",
        "hostname",
        "hw-module",
        "hw-switch",
        "identity",
        "interface",
        "iox",
        "ip",
        "ipv6",
        "isdn",
        "kron",
        "key",
        "l2",
        "l2protocol-tunnel",
        "l2tp-class",
        "l2vpn",
        "lacp",
        "ldap",
        "license",
        "line",
        "lldp",
        "location",
        "logging",
        "login",
        "mac",
        "mac-address-table",
        "macro",
        "main-cpu",
        "map-class",
        "map-list",
        "memory",
        "memory-size",
        "menu",
        "mgcp",
        "mka",
        "mls",
        "mmi",
        "module",
        "monitor",
        "mpls",
        "mrinfo",
        "multilink",
        "mvr",
        "netconf",
        "netconf-yang",
        "network-clock",
        "network-policy",
        "no",
        "ntp",
        "object-group",
        "onep",
        "parameter-map",
        "parser",
        "password",
        "performance",
        "performance-monitor",
        "platform",
        "pnp",
        "policy-map",
        "port-channel",
        "power",
        "privilege",
        "process",
        "process-max-time",
        "profile",
        "pseudowire-class",
        "ptp",
        "qos",
        "radius",
        "radius-server",
        "redundancy",
        "remote-management",
        "resource",
        "restconf",
        "rmon",
        "route-map",
        "route-tag",
        "router",
        "rtr",
        "sampler",
        "scheduler",
        "scripting",
        "sdm",
        "secure",
        "security",
        "segment-routing",
        "sensor",
        "service",
        "service-insertion",
        "service-template",
        "setup",
        "sla",
        "snmp",
        "snmp-server",
        "spanning-tree",
        "srr-queue",
        "stackwise-virtual",
        "stack-mac",
        "subscriber",
        "switch",
        "system",
        "table-map",
        "tacacs",
        "tacacs-server",
        "telemetry",
        "template",
        "tftp-server",
        "time-range",
        "track",
        "transceiver",
        "udld",
        "username",
        "utd",
        "version",
        "virtual-service",
        "vlan",
        "voice",
        "voice-card",
        "vpdn",
        "vpdn-group",
        "vrf",
        "vstack",
        "vtp",
        "wism",
        "wsma",
        "x25",
        "xconnect",
        "zone",
        "zone-pair",
};

static int
cmp_ci(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* A binary search in a sorted copy of the list (was: up to 191
 * strcasecmp per line; rrkit is single-threaded). */
bool
ios_top_known(const char *w)
{
	enum { N = sizeof(top_cmds) / sizeof(top_cmds[0]) };
	static const char *sorted[N];
	static bool ready;

	if (!ready) {
		memcpy(sorted, top_cmds, sizeof(sorted));
		qsort(sorted, N, sizeof(sorted[0]), cmp_ci);
		ready = true;
	}
	return bsearch(&w, sorted, N, sizeof(sorted[0]), cmp_ci) != NULL;
}

uint8_t
ios_classful_len(const struct rr_addr *a)
{
	uint32_t v = rr_addr_v4(a);

	if (v == 0)
		return 0;
	if (v < 0x80000000u)
		return 8;
	if (v < 0xc0000000u)
		return 16;
	if (v < 0xe0000000u)
		return 24;
	return 32;
}
