/*
 * libFuzzer target: bgpsim's decoder (wire.c, attr.c, cap.c) on arbitrary
 * bytes.  The first byte picks the session codec (4-octet AS, extended
 * messages, ADD-PATH); the rest is one message, fed whole and through the
 * stream framer.  A message that decodes cleanly must re-encode to the same
 * bytes and decode again; printers must not overrun.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/bgp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
print_all(const struct bgp_msg *m)
{
	char buf[64];
	size_t i, j;

	if (m->type == BGP_MSG_OPEN) {
		for (i = 0; i < m->u.open.nparams; i++)
			for (j = 0; j < m->u.open.params[i].ncaps; j++)
				(void)bgp_cap_str(&m->u.open.params[i].caps[j],
				                  buf, sizeof(buf));
		(void)bgp_open_asn(&m->u.open);
	} else if (m->type == BGP_MSG_UPDATE) {
		for (i = 0; i < m->u.update.nattrs; i++)
			(void)bgp_attr_str(&m->u.update.attrs[i], buf,
			                   sizeof(buf));
	} else if (m->type == BGP_MSG_NOTIFICATION) {
		(void)bgp_notif_str(m->u.notification.code,
		                    m->u.notification.subcode, buf,
		                    sizeof(buf));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[BGP_EXT_MAX_LEN];
	struct bgp_codec c = {false, false, false, false};
	struct rr_arena a;
	struct bgp_msg m, m2;
	struct bgp_error e;
	uint8_t *copy;
	long n;

	if (size < 1)
		return 0;
	c.as4 = data[0] & 1;
	c.ext_msg = data[0] & 2;
	c.addpath_v4 = data[0] & 4;
	c.addpath_v6 = data[0] & 8;
	data++;
	size--;
	/* an exact-size copy so ASan sees any read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	(void)bgp_msg_frame(copy, size, &c, &e);
	rr_arena_init(&a);
	if (bgp_msg_decode(copy, size, &c, &a, &m, &e) == 0) {
		print_all(&m);
		n = bgp_msg_encode(&m, &c, out, sizeof(out));
		if (m.type != BGP_MSG_UPDATE ||
		    m.u.update.action == BGP_ACT_NONE) {
			/* a clean decode re-encodes to the same bytes */
			if (n != (long)size || memcmp(out, copy, size) != 0)
				abort();
		}
		if (n > 0 &&
		    bgp_msg_decode(out, (size_t)n, &c, &a, &m2, &e) < 0 &&
		    (m.type != BGP_MSG_UPDATE ||
		     m.u.update.action == BGP_ACT_NONE))
			abort();
	} else if (!e.what || !bgp_err_name(e.code) ||
	           e.action != BGP_ACT_SESSION_RESET) {
		abort(); /* every failure names its check and its NOTIFICATION
		          */
	}
	rr_arena_release(&a);
	free(copy);
	return 0;
}
