/*
 * Private to resolve/: the steps resolve_calico() runs after the sessions.
 */
#ifndef RR_RESOLVE_PRIV_H
#define RR_RESOLVE_PRIV_H

#include "resolve/resolve.h"

#include <stdio.h>

/* advertise.c: service ranges and Service addresses each node originates,
 * and the communities it adds on export (prefixAdvertisements). */
void resolve_advertise(struct rr_model *m, struct rr_diags *d);

#endif
