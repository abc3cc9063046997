/*
 * UTF-8 for the outputs: JSON (RFC 8259 §8.1), YAML (1.2 §5.2) and DOT
 * consumers reject text that is not UTF-8, while an IOS config may be
 * Latin-1 (the reader accepts it, and a file name is any bytes).  A byte
 * that does not start a well-formed character is read as Latin-1
 * (ISO 8859-1 maps each byte to U+0000..U+00FF).
 */
#include "model/model.h"

#include <string.h>

size_t
rr_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char c = p[0];
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* also stops at the NUL */
	/* RFC 3629 §4: no overlong forms, no surrogates, <= U+10FFFF */
	if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0) ||
	    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

size_t
rr_utf8_put(uint32_t c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c >= 0xd800 && c <= 0xdfff)
		c = 0xfffd; /* a lone surrogate */
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	if (c > 0x10ffff)
		return rr_utf8_put(0xfffd, out);
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

const char *
rr_utf8(struct rr_arena *a, const char *s)
{
	const char *p;
	char *out, *o;
	size_t k;

	if (!s)
		return NULL;
	for (p = s; *p; p += k)
		if (!(k = rr_utf8_len(p)))
			break;
	if (!*p)
		return s;
	out = rr_arena_alloc(a, strlen(s) * 2 + 1);
	o = out;
	for (p = s; *p;) {
		if ((k = rr_utf8_len(p))) {
			memcpy(o, p, k);
			o += k;
			p += k;
		} else {
			o += rr_utf8_put((unsigned char)*p++, o);
		}
	}
	*o = '\0';
	return out;
}
