/*
 * libFuzzer target: the pcap writer (bgpsim/pcap.c) on any sequence of
 * trace records -- SYN, accept, refuse, drop, data of any length, FIN, on
 * IPv4 and IPv6 connections, with sim_pcap_take between them as the
 * streaming writer does.  The capture is then read back: the libpcap
 * header, every record within the file and no longer than the snap
 * length, Ethernet type and IP version agreeing, IP and TCP lengths and
 * checksums right, exactly sim_pcap_frames() frames, and every data byte
 * handed over present in the TCP payloads.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgpsim/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                            \
	do {                                                                \
		if (!(c)) {                                                 \
			fprintf(stderr, "pcap: %s\n", #c);                  \
			abort();                                            \
		}                                                           \
	} while (0)

/*
 * The read-back check is not what is fuzzed: its loops (a checksum over
 * every byte) are left without coverage instrumentation, which made them
 * half of a run.
 */
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))

struct rd {
	const uint8_t *p, *end;
};

static unsigned
u8(struct rd *r)
{
	return r->p < r->end ? *r->p++ : 0;
}

static unsigned
u16(struct rd *r)
{
	unsigned hi = u8(r);
	return hi << 8 | u8(r);
}

NO_COVERAGE static uint32_t
sum16(uint32_t acc, const uint8_t *b, size_t n)
{
	size_t i;
	for (i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)b[i] << 8 | b[i + 1];
	if (n & 1)
		acc += (uint32_t)b[n - 1] << 8;
	return acc;
}

NO_COVERAGE static uint16_t
fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffffu) + (acc >> 16);
	return (uint16_t)acc;
}

NO_COVERAGE static uint32_t
le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

/* Check the capture; the TCP payload bytes it carries. */
NO_COVERAGE static size_t
check(const uint8_t *b, size_t n, uint64_t frames)
{
	size_t off = 24, payload = 0;
	uint64_t k = 0;

	CHECK(n >= 24 && le32(b) == 0xa1b2c3d4u && le32(b + 20) == 1);
	while (off < n) {
		uint32_t incl, orig;
		const uint8_t *f, *ip, *tcp;
		size_t iph, l4;
		bool v6;
		uint32_t acc;

		CHECK(n - off >= 16);
		incl = le32(b + off + 8);
		orig = le32(b + off + 12);
		CHECK(incl == orig && incl <= 65535 && incl >= 54);
		CHECK(n - off - 16 >= incl);
		f = b + off + 16;
		v6 = f[12] == 0x86 && f[13] == 0xdd;
		CHECK(v6 || (f[12] == 0x08 && f[13] == 0x00));
		ip = f + 14;
		if (v6) {
			CHECK(ip[0] >> 4 == 6 && ip[6] == 6);
			CHECK(incl >= 74);
			iph = 40;
			l4 = (size_t)(ip[4] << 8 | ip[5]);
			CHECK(l4 == incl - 54);
			acc = sum16(sum16(0, ip + 8, 16), ip + 24, 16);
		} else {
			CHECK(ip[0] == 0x45 && ip[9] == 6);
			iph = 20;
			CHECK((size_t)(ip[2] << 8 | ip[3]) == incl - 14);
			CHECK(fold(sum16(0, ip, 20)) == 0xffff);
			l4 = incl - 34;
			acc = sum16(sum16(0, ip + 12, 4), ip + 16, 4);
		}
		tcp = ip + iph;
		CHECK(l4 >= 20 && tcp[12] >> 4 == 5);
		acc += 6 + (uint32_t)l4;
		CHECK(fold(sum16(acc, tcp, l4)) == 0xffff);
		payload += l4 - 20;
		off += 16 + incl;
		k++;
	}
	CHECK(k == frames);
	return payload;
}

/* room for n more bytes after nall (doubling: ASan's realloc copies) */
static uint8_t *
append(uint8_t *all, size_t nall, size_t *cap, size_t n)
{
	if (nall + n + 1 <= *cap)
		return all;
	while (nall + n + 1 > *cap)
		*cap = *cap ? *cap * 2 : 65536;
	all = realloc(all, *cap);
	CHECK(all != NULL);
	return all;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t bytes[70000];
	/* the capture read back, kept from run to run (a fresh one over
	 * 128 KiB is a new mapping under ASan, its pages faulted in) */
	static uint8_t *all;
	static size_t capall;
	struct rd r = {data, data + size};
	struct sim_pcap *p;
	size_t nall = 0, given = 0, i;
	unsigned steps = 0;
	bool big = false;

	if (!bytes[0])
		for (i = 0; i < sizeof(bytes); i++)
			bytes[i] = (uint8_t)(i * 7 + 3);
	if (sim_pcap_new(&p) < 0)
		abort();
	while (r.p < r.end && steps++ < 24) {
		struct sim_trace t;
		unsigned c = u8(&r), conn = c & 7;
		bool v6 = conn & 4;
		memset(&t, 0, sizeof(t));
		t.kind = (enum sim_trace_kind)(u8(&r) % 6);
		t.t_ms = (uint64_t)u16(&r) * 977u << (u8(&r) & 31);
		t.conn = conn;
		t.src.af = t.dst.af = v6 ? RR_AF_INET6 : RR_AF_INET;
		if (c & 0x80) /* a record with no address is skipped */
			t.dst.af = RR_AF_NONE;
		t.src.b[v6 ? 15 : 3] = (uint8_t)(1 + (conn & 1));
		t.dst.b[v6 ? 15 : 3] = (uint8_t)(3 + (conn & 1));
		t.sport = (uint16_t)(40000 + conn);
		t.dport = 179;
		if (c & 0x40) { /* the other direction */
			struct rr_addr a = t.src;
			uint16_t s = t.sport;
			t.src = t.dst, t.sport = t.dport;
			t.dst = a, t.dport = s;
		}
		if (t.kind == SIM_TR_DATA) {
			unsigned k = u16(&r);
			/*
			 * mostly small; now and then one over 64 KiB, at most
			 * one a run: a second splits into segments the same
			 * way, and 24 of them made a run write and read back
			 * 1.6 MB (most of its CPU was page faults and copies)
			 */
			t.len = k % 1500;
			if ((k & 0xff00) == 0xff00 && !big)
				t.len += 65000, big = true;
			t.bytes = bytes;
			if (t.src.af && t.dst.af)
				given += t.len;
		}
		t.why = "fuzz";
		sim_pcap_trace(p, &t);
		if (c & 0x10) { /* the streaming writer takes what is there */
			size_t n;
			const uint8_t *b = sim_pcap_take(p, &n);
			all = append(all, nall, &capall, n);
			memcpy(all + nall, b, n);
			nall += n;
		}
	}
	{
		size_t n;
		const uint8_t *b = sim_pcap_bytes(p, &n);
		all = append(all, nall, &capall, n);
		memcpy(all + nall, b, n);
		nall += n;
	}
	CHECK(check(all, nall, sim_pcap_frames(p)) == given);
	sim_pcap_free(p);

	return 0;
}
