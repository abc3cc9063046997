/*
 * bgp-private: the bounds-checked reader and writer the codec is built
 * on, and the descriptor tables of path attributes and capabilities.
 *
 * A reader never moves past its end: every get either succeeds whole or
 * returns -1 and leaves the cursor where it was (as OpenBGPD's ibuf_get_*).
 * Received bytes are only ever reached through a reader.  A writer records
 * overflow instead of writing past its capacity; the caller checks once.
 */
#ifndef RR_BGP_WIRE_H
#define RR_BGP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bgp/bgp.h"

struct rd {
	const uint8_t *p;
	size_t len, off;
};

static inline struct rd
rd_make(const uint8_t *p, size_t len)
{
	struct rd r = {p, len, 0};
	return r;
}

static inline size_t
rd_left(const struct rd *r)
{
	return r->len - r->off;
}

static inline int
rd_u8(struct rd *r, uint8_t *v)
{
	if (rd_left(r) < 1)
		return -1;
	*v = r->p[r->off++];
	return 0;
}

static inline int
rd_u16(struct rd *r, uint16_t *v)
{
	if (rd_left(r) < 2)
		return -1;
	*v = (uint16_t)((unsigned)r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return 0;
}

static inline int
rd_u32(struct rd *r, uint32_t *v)
{
	if (rd_left(r) < 4)
		return -1;
	*v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
	     (uint32_t)r->p[r->off + 2] << 8 | (uint32_t)r->p[r->off + 3];
	r->off += 4;
	return 0;
}

/* The next byte without consuming it. */
static inline int
rd_peek_u8(const struct rd *r, uint8_t *v)
{
	if (rd_left(r) < 1)
		return -1;
	*v = r->p[r->off];
	return 0;
}

/* n bytes: *out points at them (inside the buffer). */
static inline int
rd_bytes(struct rd *r, size_t n, const uint8_t **out)
{
	if (rd_left(r) < n)
		return -1;
	*out = r->len ? &r->p[r->off] : r->p;
	r->off += n;
	return 0;
}

static inline int
rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *b;
	if (rd_bytes(r, n, &b) < 0)
		return -1;
	if (n)
		memcpy(dst, b, n);
	return 0;
}

/* A reader over the next n bytes, which this one skips. */
static inline int
rd_sub(struct rd *r, size_t n, struct rd *sub)
{
	const uint8_t *b;
	if (rd_bytes(r, n, &b) < 0)
		return -1;
	*sub = rd_make(b, n);
	return 0;
}

struct wr {
	uint8_t *p;
	size_t cap, off;
	bool overflow;
};

static inline struct wr
wr_make(uint8_t *p, size_t cap)
{
	struct wr w = {p, cap, 0, false};
	return w;
}

static inline bool
wr_room(struct wr *w, size_t n)
{
	if (w->overflow || w->cap - w->off < n) {
		w->overflow = true;
		return false;
	}
	return true;
}

static inline void
wr_u8(struct wr *w, uint8_t v)
{
	if (wr_room(w, 1))
		w->p[w->off++] = v;
}

static inline void
wr_u16(struct wr *w, uint16_t v)
{
	if (!wr_room(w, 2))
		return;
	w->p[w->off++] = (uint8_t)(v >> 8);
	w->p[w->off++] = (uint8_t)v;
}

static inline void
wr_u32(struct wr *w, uint32_t v)
{
	if (!wr_room(w, 4))
		return;
	w->p[w->off++] = (uint8_t)(v >> 24);
	w->p[w->off++] = (uint8_t)(v >> 16);
	w->p[w->off++] = (uint8_t)(v >> 8);
	w->p[w->off++] = (uint8_t)v;
}

static inline void
wr_bytes(struct wr *w, const void *b, size_t n)
{
	if (n && wr_room(w, n)) {
		memcpy(&w->p[w->off], b, n);
		w->off += n;
	}
}

/* Overwrite 2 bytes at off (a length written after its contents). */
static inline void
wr_patch_u16(struct wr *w, size_t off, uint16_t v)
{
	if (w->overflow || off + 2 > w->off)
		return;
	w->p[off] = (uint8_t)(v >> 8);
	w->p[off + 1] = (uint8_t)v;
}

static inline void
wr_patch_u8(struct wr *w, size_t off, uint8_t v)
{
	if (w->overflow || off + 1 > w->off)
		return;
	w->p[off] = v;
}

/* --------------------------------------------------- path attributes */

/*
 * One row per known path attribute (BIRD's bgp_attr_table): the flags it
 * must carry, its RFC 7606 handling when malformed, and how to read,
 * write and print its value.
 */
struct attr_desc {
	uint8_t code;
	const char *name;
	uint8_t flags;            /* expected Optional and Transitive bits */
	enum bgp_action on_error; /* RFC 7606 7.x */
	uint8_t subcode; /* RFC 4271 6.3 subcode for a malformed value */
	/* 0, or -1 with err->what set (code/subcode/action from the row) */
	int (*decode)(struct rd *r, const struct bgp_codec *c,
	              struct rr_arena *a, struct bgp_attr *out,
	              struct bgp_error *err);
	void (*encode)(struct wr *w, const struct bgp_codec *c,
	               const struct bgp_attr *in);
	void (*format)(const struct bgp_attr *in, char *buf, size_t len);
};
const struct attr_desc *wire_attr_desc(uint8_t code);

struct cap_desc {
	uint8_t code;
	const char *name;
	int (*decode)(struct rd *r, struct rr_arena *a, struct bgp_cap *out);
	void (*encode)(struct wr *w, const struct bgp_cap *in);
	void (*format)(const struct bgp_cap *in, char *buf, size_t len);
};
const struct cap_desc *wire_cap_desc(uint8_t code);

/* NLRI list (RFC 4271 4.3, RFC 7911 3); af 4 or 6.  -1 on a bad prefix. */
int wire_nlri_decode(struct rd *r, uint8_t af, bool addpath, struct rr_arena *a,
                     struct bgp_nlri **out, size_t *n);
void wire_nlri_encode(struct wr *w, bool addpath, const struct bgp_nlri *v,
                      size_t n);

/* UPDATE body (after the header) and the capabilities of an OPEN. */
int wire_update_decode(struct rd *r, const struct bgp_codec *c,
                       struct rr_arena *a, struct bgp_update *u,
                       struct bgp_error *err);
void wire_update_encode(struct wr *w, const struct bgp_codec *c,
                        const struct bgp_update *u);
int wire_caps_decode(struct rd *r, struct rr_arena *a, struct bgp_optparam *p,
                     struct bgp_error *err);
void wire_caps_encode(struct wr *w, const struct bgp_optparam *p);

/* Fill err: code/subcode/action, one static text naming the check. */
void wire_err(struct bgp_error *err, uint8_t code, uint8_t subcode,
              enum bgp_action act, const char *what);

#endif
