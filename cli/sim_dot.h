/* rrkit sim --format dot (cli/sim_dot.c). */
#ifndef RR_CLI_SIM_DOT_H
#define RR_CLI_SIM_DOT_H

#include "bgpsim/sim.h"
#include "cli/json.h"

void sim_write_dot(struct strbuf *b, const struct sim *s);

#endif
