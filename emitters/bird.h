/*
 * emit_bird (emitters/bird.c): the BIRD 1.6 configuration calico-node
 * runs for one node, from the resolved model.  Part of the emitters
 * module's interface.
 */
#ifndef RR_EMITTERS_BIRD_H
#define RR_EMITTERS_BIRD_H

#include "model/model.h"

#define EMIT_BIRD_PASSWORD_PLACEHOLDER "<FILL-IN>"

struct emit_bird_opts {
	/* Write the real password (from the Calico Secret) instead of the
	 * placeholder: for a lab or a test, never by default. */
	bool secrets;
};

/*
 * bird.cfg (af RR_AF_INET) or bird6.cfg (RR_AF_INET6) for Calico node
 * `node`.  Returns 0 with the text in *out (free()), or -1 with an error
 * diagnostic (no such node, no router id).
 */
int emit_bird(const struct rr_model *m, const char *node, uint8_t af,
	      const struct emit_bird_opts *o, char **out, size_t *len,
	      struct rr_diags *d);

#endif
