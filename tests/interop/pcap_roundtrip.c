/*
 * pcap_roundtrip FILE.pcap: every BGP message in a capture (classic pcap,
 * Ethernet or Linux cooked, IPv4, TCP port 179) must decode with bgpsim's
 * codec and re-encode to exactly the same bytes.  TCP streams are put
 * back together by sequence number; each direction is decoded with what
 * the two OPENs of its connection negotiated (4-octet AS, ADD-PATH).
 * Prints a one-line summary; exit 0 when all round-trip, 1 otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/bgp.h"

#define MAXFLOWS 32

struct flow {
	uint8_t src[4], dst[4];
	uint16_t sport, dport;
	uint32_t next;
	bool synced;
	uint8_t *data;
	size_t len, cap;
	struct rr_arena a;
	struct bgp_open open;
	bool have_open;
};

static struct flow flows[MAXFLOWS];
static size_t nflows;

static uint32_t
get32(const uint8_t *p, bool swap)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	             (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	if (swap)
		v = (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) |
		    (v << 24);
	return v;
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static struct flow *
flow_of(const uint8_t *src, const uint8_t *dst, uint16_t sp, uint16_t dp)
{
	size_t i;
	for (i = 0; i < nflows; i++)
		if (!memcmp(flows[i].src, src, 4) &&
		    !memcmp(flows[i].dst, dst, 4) && flows[i].sport == sp &&
		    flows[i].dport == dp)
			return &flows[i];
	if (nflows == MAXFLOWS)
		return NULL;
	memset(&flows[nflows], 0, sizeof(flows[0]));
	memcpy(flows[nflows].src, src, 4);
	memcpy(flows[nflows].dst, dst, 4);
	flows[nflows].sport = sp;
	flows[nflows].dport = dp;
	rr_arena_init(&flows[nflows].a);
	return &flows[nflows++];
}

static struct flow *
reverse(const struct flow *f)
{
	size_t i;
	for (i = 0; i < nflows; i++)
		if (!memcmp(flows[i].src, f->dst, 4) &&
		    !memcmp(flows[i].dst, f->src, 4) &&
		    flows[i].sport == f->dport && flows[i].dport == f->sport)
			return &flows[i];
	return NULL;
}

static int
add_segment(const uint8_t *ip, size_t iplen)
{
	size_t ihl, tcpoff, plen;
	const uint8_t *tcp;
	uint16_t sp, dp, tot;
	uint32_t seq;
	uint8_t flags;
	struct flow *f;

	if (iplen < 20 || (ip[0] >> 4) != 4 || ip[9] != 6)
		return 0;
	ihl = (size_t)(ip[0] & 15) * 4;
	tot = (uint16_t)(ip[2] << 8 | ip[3]);
	if (tot < iplen)
		iplen = tot;
	if (ihl < 20 || iplen < ihl + 20)
		return 0;
	tcp = ip + ihl;
	sp = (uint16_t)(tcp[0] << 8 | tcp[1]);
	dp = (uint16_t)(tcp[2] << 8 | tcp[3]);
	if (sp != 179 && dp != 179)
		return 0;
	seq = be32(tcp + 4);
	tcpoff = (size_t)(tcp[12] >> 4) * 4;
	flags = tcp[13];
	if (tcpoff < 20 || ihl + tcpoff > iplen)
		return -1;
	plen = iplen - ihl - tcpoff;
	f = flow_of(ip + 12, ip + 16, sp, dp);
	if (!f)
		return -1;
	if (flags & 0x02) { /* SYN */
		f->next = seq + 1;
		f->synced = true;
		return 0;
	}
	if (!plen)
		return 0;
	if (!f->synced) {
		fprintf(stderr, "data before SYN (capture started late)\n");
		return -1;
	}
	if ((int32_t)(seq - f->next) > 0) {
		fprintf(stderr, "gap in a TCP stream\n");
		return -1;
	}
	if ((int32_t)(seq + (uint32_t)plen - f->next) <= 0)
		return 0; /* retransmission */
	{
		size_t skip = f->next - seq;
		const uint8_t *p = tcp + tcpoff + skip;
		size_t n = plen - skip;
		if (f->len + n > f->cap) {
			f->cap = (f->len + n) * 2;
			f->data = realloc(f->data, f->cap);
			if (!f->data)
				abort();
		}
		memcpy(f->data + f->len, p, n);
		f->len += n;
		f->next += (uint32_t)n;
	}
	return 0;
}

static int
read_pcap(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t gh[24], rh[16];
	static uint8_t pkt[262144];
	bool swap;
	uint32_t magic, link;

	if (!fp) {
		perror(path);
		return -1;
	}
	if (fread(gh, 1, 24, fp) != 24) {
		fprintf(stderr, "%s: not a pcap file\n", path);
		fclose(fp);
		return -1;
	}
	magic = get32(gh, false);
	if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d)
		swap = false;
	else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1)
		swap = true;
	else {
		fprintf(stderr, "%s: not a classic pcap file\n", path);
		fclose(fp);
		return -1;
	}
	link = get32(gh + 20, swap);
	while (fread(rh, 1, 16, fp) == 16) {
		uint32_t incl = get32(rh + 8, swap);
		size_t off;
		uint16_t et;
		if (incl > sizeof(pkt) || fread(pkt, 1, incl, fp) != incl)
			break;
		if (link == 1) { /* Ethernet */
			if (incl < 14)
				continue;
			et = (uint16_t)(pkt[12] << 8 | pkt[13]);
			off = 14;
		} else if (link == 113) { /* Linux cooked */
			if (incl < 16)
				continue;
			et = (uint16_t)(pkt[14] << 8 | pkt[15]);
			off = 16;
		} else {
			fprintf(stderr, "link type %u not handled\n", link);
			fclose(fp);
			return -1;
		}
		if (et != 0x0800)
			continue;
		if (add_segment(pkt + off, incl - off) < 0) {
			fclose(fp);
			return -1;
		}
	}
	fclose(fp);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i, total = 0, per[BGP_MSG_TYPE_COUNT] = {0}, conns = 0;
	struct rr_arena scratch;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_roundtrip FILE.pcap\n");
		return 2;
	}
	if (read_pcap(argv[1]) < 0)
		return 1;
	rr_arena_init(&scratch);
	/* the OPEN opening each stream */
	for (i = 0; i < nflows; i++) {
		struct flow *f = &flows[i];
		struct bgp_msg m;
		struct bgp_error e;
		long n;
		if (!f->len)
			continue;
		conns++;
		n = bgp_msg_frame(f->data, f->len, NULL, &e);
		if (n >= 19 && (size_t)n <= f->len &&
		    bgp_msg_decode(f->data, (size_t)n, NULL, &f->a, &m, &e) ==
		            0 &&
		    m.type == BGP_MSG_OPEN) {
			f->open = m.u.open;
			f->have_open = true;
		}
	}
	for (i = 0; i < nflows; i++) {
		struct flow *f = &flows[i], *r = reverse(f);
		struct bgp_codec c = {false, false, false, false};
		size_t off = 0;

		if (f->have_open && r && r->have_open)
			c = bgp_codec_negotiate(&f->open, &r->open);
		while (off < f->len) {
			struct bgp_msg m;
			struct bgp_error e;
			uint8_t out[BGP_EXT_MAX_LEN];
			long n = bgp_msg_frame(f->data + off, f->len - off, &c,
			                       &e),
			     k;
			if (n <= 0 || (size_t)n > f->len - off) {
				if (n == 0 || n > 0) {
					fprintf(stderr, "stream ends inside a "
					                "message\n");
					break;
				}
				fprintf(stderr, "bad header at %zu: %u/%u\n",
				        off, e.code, e.subcode);
				bad++;
				break;
			}
			rr_arena_release(&scratch);
			rr_arena_init(&scratch);
			total++;
			if (bgp_msg_decode(f->data + off, (size_t)n, &c,
			                   &scratch, &m, &e) < 0) {
				fprintf(stderr, "message %zu: %u/%u %s\n",
				        total, e.code, e.subcode,
				        e.what ? e.what : "");
				bad++;
			} else {
				if (m.type < BGP_MSG_TYPE_COUNT)
					per[m.type]++;
				if (m.type == BGP_MSG_UPDATE &&
				    m.u.update.action != BGP_ACT_NONE) {
					fprintf(stderr, "message %zu: %s\n",
					        total,
					        bgp_action_name(
					                m.u.update.action));
					bad++;
				}
				k = bgp_msg_encode(&m, &c, out, sizeof(out));
				if (k != n || memcmp(out, f->data + off,
				                     (size_t)n) != 0) {
					fprintf(stderr,
					        "message %zu (%s, %ld bytes): "
					        "re-encodes differently\n",
					        total,
					        bgp_msg_type_name(m.type), n);
					bad++;
				}
			}
			off += (size_t)n;
		}
		free(f->data);
		rr_arena_release(&f->a);
	}
	rr_arena_release(&scratch);
	printf("%zu messages in %zu TCP streams (OPEN %zu, UPDATE %zu, "
	       "NOTIFICATION %zu, KEEPALIVE %zu, ROUTE-REFRESH %zu); %d "
	       "failed\n",
	       total, conns, per[1], per[2], per[3], per[4], per[5], bad);
	if (!per[BGP_MSG_OPEN] || !per[BGP_MSG_UPDATE]) {
		fprintf(stderr, "capture holds no OPEN or no UPDATE\n");
		return 1;
	}
	return bad ? 1 : 0;
}
