/*
 * The simulator's wire as a capture file: every SYN, SYN-ACK, reset, BGP
 * byte and FIN of a run (struct sim_trace) inside synthetic Ethernet, IPv4
 * or IPv6 (RFC 791, RFC 8200) and TCP (RFC 9293) framing, in the classic
 * libpcap format (link type 1, Ethernet), so Wireshark and tshark decode
 * the BGP sessions.  Sequence and acknowledgement numbers follow the bytes
 * each direction carried; data is cut into segments of at most 1448
 * bytes; IPv4 header and TCP checksums are computed.
 */
#include "bgpsim/sim.h"

#include <stdlib.h>
#include <string.h>

#define PCAP_MSS 1448u
#define PCAP_SNAPLEN 65535u

struct pcap_conn {
	uint32_t id;
	uint32_t isn[2]; /* [0] dialler, [1] listener */
	uint64_t sent[2]; /* bytes each direction carried (SYN/FIN count) */
	struct rr_addr addr[2];
	uint16_t port[2];
};

struct sim_pcap {
	uint8_t *buf;
	size_t n, cap;
	struct pcap_conn *conns;
	size_t nconns, capconns;
	uint64_t frames;
};

static void
grow(struct sim_pcap *p, size_t more)
{
	if (p->n + more <= p->cap)
		return;
	while (p->n + more > p->cap)
		p->cap = p->cap ? p->cap * 2 : 65536;
	p->buf = rr_xrealloc(p->buf, p->cap);
}

static void
put_le32(struct sim_pcap *p, uint32_t v)
{
	grow(p, 4);
	p->buf[p->n++] = (uint8_t)v;
	p->buf[p->n++] = (uint8_t)(v >> 8);
	p->buf[p->n++] = (uint8_t)(v >> 16);
	p->buf[p->n++] = (uint8_t)(v >> 24);
}

static void
be16(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

int
sim_pcap_new(struct sim_pcap **out)
{
	struct sim_pcap *p = rr_xcalloc(1, sizeof(*p));
	/* libpcap global header: magic, 2.4, GMT, accuracy, snaplen, DLT */
	put_le32(p, 0xa1b2c3d4u);
	grow(p, 4);
	p->buf[p->n++] = 2;
	p->buf[p->n++] = 0;
	p->buf[p->n++] = 4;
	p->buf[p->n++] = 0;
	put_le32(p, 0);
	put_le32(p, 0);
	put_le32(p, PCAP_SNAPLEN);
	put_le32(p, 1); /* LINKTYPE_ETHERNET */
	*out = p;
	return 0;
}

void
sim_pcap_free(struct sim_pcap *p)
{
	if (!p)
		return;
	free(p->buf);
	free(p->conns);
	free(p);
}

const uint8_t *
sim_pcap_bytes(const struct sim_pcap *p, size_t *len)
{
	*len = p->n;
	return p->buf;
}

const uint8_t *
sim_pcap_take(struct sim_pcap *p, size_t *len)
{
	*len = p->n;
	p->n = 0;
	return p->buf;
}

uint64_t
sim_pcap_frames(const struct sim_pcap *p)
{
	return p->frames;
}

static struct pcap_conn *
conn_of(struct sim_pcap *p, const struct sim_trace *t)
{
	size_t i;
	struct pcap_conn *c;
	for (i = 0; i < p->nconns; i++)
		if (p->conns[i].id == t->conn)
			return &p->conns[i];
	if (p->nconns == p->capconns) {
		p->capconns = p->capconns ? p->capconns * 2 : 64;
		p->conns = rr_xrealloc(p->conns, p->capconns * sizeof(*p->conns));
	}
	c = &p->conns[p->nconns++];
	memset(c, 0, sizeof(*c));
	c->id = t->conn;
	/* deterministic initial sequence numbers per connection */
	c->isn[0] = (uint32_t)(t->conn * 2654435761u) ^ 0x1000u;
	c->isn[1] = (uint32_t)(t->conn * 2246822519u) ^ 0x80000u;
	c->addr[0] = t->src;
	c->addr[1] = t->dst;
	c->port[0] = t->sport;
	c->port[1] = t->dport;
	return c;
}

/* 0 when the segment goes dialler -> listener, 1 the other way. */
static int
dir_of(const struct pcap_conn *c, const struct sim_trace *t)
{
	return rr_addr_eq(&t->src, &c->addr[0]) && t->sport == c->port[0] ? 0
									   : 1;
}

static uint32_t
sum16(uint32_t acc, const uint8_t *b, size_t n)
{
	size_t i;
	for (i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		acc += (uint32_t)b[n - 1] << 8;
	return acc;
}

static uint16_t
fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffffu) + (acc >> 16);
	return (uint16_t)~acc;
}

enum { TCP_FIN = 1, TCP_SYN = 2, TCP_RST = 4, TCP_PSH = 8, TCP_ACK = 16 };

/* One frame from side `d` of connection c. */
static void
frame(struct sim_pcap *p, uint64_t t_ms, const struct pcap_conn *c, int d,
      uint8_t flags, uint32_t seq, uint32_t ack, const uint8_t *data,
      size_t len)
{
	const struct rr_addr *src = &c->addr[d], *dst = &c->addr[1 - d];
	bool v6 = src->af == RR_AF_INET6;
	size_t iph = v6 ? 40 : 20, tcph = 20;
	size_t total = 14 + iph + tcph + len;
	uint8_t *f;
	uint8_t *ip, *tcp;
	uint32_t acc;

	put_le32(p, (uint32_t)(t_ms / 1000));
	put_le32(p, (uint32_t)(t_ms % 1000 * 1000));
	put_le32(p, (uint32_t)total);
	put_le32(p, (uint32_t)total);
	grow(p, total);
	f = p->buf + p->n;
	memset(f, 0, total);
	/* Ethernet: locally administered MACs from the last address bytes */
	f[0] = 0x02, f[4] = dst->b[v6 ? 14 : 2], f[5] = dst->b[v6 ? 15 : 3];
	f[6] = 0x02, f[10] = src->b[v6 ? 14 : 2], f[11] = src->b[v6 ? 15 : 3];
	be16(f + 12, v6 ? 0x86dd : 0x0800);
	ip = f + 14;
	tcp = ip + iph;
	if (v6) {
		ip[0] = 0x60;
		be16(ip + 4, (uint32_t)(tcph + len));
		ip[6] = 6;  /* TCP */
		ip[7] = 64; /* hop limit */
		memcpy(ip + 8, src->b, 16);
		memcpy(ip + 24, dst->b, 16);
	} else {
		ip[0] = 0x45;
		be16(ip + 2, (uint32_t)(iph + tcph + len));
		be16(ip + 4, (uint32_t)(p->frames & 0xffffu));
		ip[6] = 0x40; /* DF */
		ip[8] = 64;
		ip[9] = 6;
		memcpy(ip + 12, src->b, 4);
		memcpy(ip + 16, dst->b, 4);
		be16(ip + 10, fold(sum16(0, ip, 20)));
	}
	be16(tcp, c->port[d]);
	be16(tcp + 2, c->port[1 - d]);
	be32(tcp + 4, seq);
	be32(tcp + 8, (flags & TCP_ACK) ? ack : 0);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	be16(tcp + 14, 65535);
	if (len)
		memcpy(tcp + tcph, data, len);
	/* checksum over the pseudo header (RFC 9293 3.1, RFC 8200 8.1) */
	acc = v6 ? sum16(sum16(0, src->b, 16), dst->b, 16)
		 : sum16(sum16(0, src->b, 4), dst->b, 4);
	acc += 6 + (uint32_t)(tcph + len);
	acc = sum16(acc, tcp, tcph + len);
	be16(tcp + 16, fold(acc));
	p->n += total;
	p->frames++;
}

static uint32_t
seq_of(const struct pcap_conn *c, int d)
{
	return (uint32_t)(c->isn[d] + c->sent[d]);
}

void
sim_pcap_trace(void *ctx, const struct sim_trace *t)
{
	struct sim_pcap *p = ctx;
	struct pcap_conn *c;
	int d;
	size_t off;

	if (!p || !t->src.af || !t->dst.af)
		return;
	c = conn_of(p, t);
	d = dir_of(c, t);
	switch (t->kind) {
	case SIM_TR_SYN:
		if (c->sent[0] == 0) {
			frame(p, t->t_ms, c, 0, TCP_SYN, c->isn[0], 0, NULL, 0);
			c->sent[0] = 1; /* the SYN takes one number */
		}
		break;
	case SIM_TR_ACCEPT:
		if (c->sent[1] == 0) {
			frame(p, t->t_ms, c, 1, TCP_SYN | TCP_ACK, c->isn[1],
			      seq_of(c, 0), NULL, 0);
			c->sent[1] = 1;
			frame(p, t->t_ms, c, 0, TCP_ACK, seq_of(c, 0),
			      seq_of(c, 1), NULL, 0);
		}
		break;
	case SIM_TR_REFUSE:
		frame(p, t->t_ms, c, 1, TCP_RST | TCP_ACK, 0, seq_of(c, 0), NULL,
		      0);
		break;
	case SIM_TR_DROP:
		break; /* the SYN or segment never arrives: nothing more */
	case SIM_TR_DATA:
		for (off = 0; off < t->len; off += PCAP_MSS) {
			size_t n = t->len - off < PCAP_MSS ? t->len - off
							   : PCAP_MSS;
			frame(p, t->t_ms, c, d, TCP_ACK | TCP_PSH, seq_of(c, d),
			      seq_of(c, 1 - d), t->bytes + off, n);
			c->sent[d] += n;
		}
		break;
	case SIM_TR_FIN:
		frame(p, t->t_ms, c, d, TCP_FIN | TCP_ACK, seq_of(c, d),
		      seq_of(c, 1 - d), NULL, 0);
		c->sent[d] += 1;
		frame(p, t->t_ms, c, 1 - d, TCP_ACK, seq_of(c, 1 - d),
		      seq_of(c, d), NULL, 0);
		break;
	}
}
