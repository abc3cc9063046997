/*
 * bench_wire: bgpsim codec throughput.  For a 68-byte reflected UPDATE
 * (ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST, one
 * /24) and a 4096-byte UPDATE (same attributes, 1008 /24s), messages per
 * second for decode + encode, next to a memcpy of the same bytes measured
 * in the same run.  Best of 3 rounds of ~0.3 s each.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bgp/bgp.h"

static const uint8_t attrs[] = {
        0x40, 1,  1, 0,                                  /* ORIGIN IGP */
        0x40, 2,  6, 2,    1,    0,    0,    0xfd, 0xe8, /* AS_PATH 65000 */
        0x40, 3,  4, 192,  168,  1,    10,               /* NEXT_HOP */
        0x40, 5,  4, 0x7f, 0xff, 0xff, 0xff,             /* LOCAL_PREF */
        0x80, 9,  4, 192,  168,  1,    10,               /* ORIGINATOR_ID */
        0x80, 10, 4, 0,    0,    0,    1,                /* CLUSTER_LIST */
};

static size_t
build(uint8_t *b, size_t nprefixes)
{
	size_t n = 19, i;

	memset(b, 0xff, 16);
	b[18] = BGP_MSG_UPDATE;
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = 0;
	b[n++] = sizeof(attrs);
	memcpy(b + n, attrs, sizeof(attrs));
	n += sizeof(attrs);
	for (i = 0; i < nprefixes; i++) {
		b[n++] = 24;
		b[n++] = 10;
		b[n++] = (uint8_t)(i >> 8);
		b[n++] = (uint8_t)i;
	}
	b[16] = (uint8_t)(n >> 8);
	b[17] = (uint8_t)n;
	return n;
}

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static volatile uint8_t sink;

/* messages per second, best of 3 */
static double
run(const uint8_t *msg, size_t len, int codec)
{
	static uint8_t out[BGP_EXT_MAX_LEN];
	struct bgp_codec c = {true, false, false, false};
	double best = 0;
	int round;

	for (round = 0; round < 3; round++) {
		double t0 = now(), t;
		long iters = 0;
		do {
			int k;
			for (k = 0; k < 256; k++) {
				if (codec) {
					struct rr_arena a;
					struct bgp_msg m;
					struct bgp_error e;
					rr_arena_init(&a);
					if (bgp_msg_decode(msg, len, &c, &a, &m,
					                   &e) < 0 ||
					    bgp_msg_encode(&m, &c, out,
					                   sizeof(out)) !=
					            (long)len)
						return -1;
					rr_arena_release(&a);
				} else {
					memcpy(out, msg, len);
				}
				sink = out[len - 1];
			}
			iters += 256;
			t = now();
		} while (t - t0 < 0.3);
		if ((double)iters / (t - t0) > best)
			best = (double)iters / (t - t0);
	}
	return best;
}

int
main(void)
{
	static uint8_t b[8192];
	size_t sizes[2] = {1, 1008}, i;

	for (i = 0; i < 2; i++) {
		size_t len = build(b, sizes[i]);
		double codec = run(b, len, 1), base = run(b, len, 0);
		if (codec < 0) {
			fprintf(stderr, "bench_wire: codec failed\n");
			return 1;
		}
		printf("wire %zu-byte UPDATE (%zu prefixes): decode+encode "
		       "%.0f msgs/s (%.0f ns/msg, %.0f MB/s)\n",
		       len, sizes[i], codec, 1e9 / codec,
		       codec * (double)len / 1e6);
		printf("  baseline memcpy of the same bytes: %.0f msgs/s "
		       "(%.0f ns/msg); ratio %.1fx\n",
		       base, 1e9 / base, base / codec);
	}
	return 0;
}
