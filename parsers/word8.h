/*
 * Eight bytes at a time (parsers/detect.c, parsers/calico_fastyaml.c): the
 * checks a byte loop makes over every input, on a 64-bit word first, the
 * byte loop only where a word may hold a byte that matters.  The tests are
 * exact ("Determine if a word has a byte less than n / between m and n",
 * Sean Eron Anderson's Bit Twiddling Hacks).
 */
#ifndef RR_PARSERS_WORD8_H
#define RR_PARSERS_WORD8_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define W8_ONES 0x0101010101010101ull
#define W8_HIGHS 0x8080808080808080ull

static inline uint64_t
w8_load(const void *s)
{
	uint64_t v;

	memcpy(&v, s, sizeof(v));
	return v;
}

/* Whether a byte of v is below n (n <= 128). */
static inline bool
w8_has_less(uint64_t v, unsigned n)
{
	return ((v - W8_ONES * n) & ~v & W8_HIGHS) != 0;
}

/* Whether a byte of v, all of them below 0x80, is strictly between m and
 * n (m <= 127, n <= 128). */
static inline bool
w8_has_between(uint64_t v, unsigned m, unsigned n)
{
	uint64_t low = v & (W8_ONES * 127);

	return ((W8_ONES * (127 + n) - low) & ~v &
	        (low + W8_ONES * (127 - m)) & W8_HIGHS) != 0;
}

/* Whether a byte of v is c. */
static inline bool
w8_has_byte(uint64_t v, unsigned char c)
{
	return w8_has_less(v ^ (W8_ONES * c), 1);
}

#endif
