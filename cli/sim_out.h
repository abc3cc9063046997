/*
 * rrkit sim's writers (cli/ only): text (cli/sim_text.c), JSON
 * (cli/sim_json.c) and Graphviz (cli/sim_dot.c), each streamed to a
 * struct out as it is produced, and what they share: which speakers were
 * asked for, the grouping of nodes by outcome (cli/sim_view.c).
 */
#ifndef RR_CLI_SIM_OUT_H
#define RR_CLI_SIM_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgpsim/sim.h"
#include "cli/out.h"
#include "model/model.h"

/* examples of each kind a text cause shows */
#define SIMV_EXAMPLES 3

/* Nodes with the same outcome (cli/sim_view.c). */
struct sim_group {
	char *what;       /* "1/1 BGP peers Established, 2 routes received" */
	uint32_t *member; /* speaker indexes, in model order */
	size_t n;
};

/* Groups of speakers by a key (the key is the group's `what`). */
struct simv_groups {
	struct sim_group *v; /* after simv_groups_finish: largest first */
	size_t n, cap;
	void *slot;
	size_t nslot;
};
void simv_groups_init(struct simv_groups *gs, size_t hint);
void simv_groups_add(struct simv_groups *gs, const char *key, uint32_t member);
void simv_groups_finish(struct simv_groups *gs);
void simv_groups_release(struct simv_groups *gs);

struct simcli {
	struct sim *s;
	const struct rr_model *m;
	const struct rr_diags *diags; /* sources, for quoting lines */
	bool color;
	bool *want; /* per speaker: asked for with --node */
	size_t nwant;
	bool all;    /* --all: every speaker's table and every event */
	bool routes; /* --routes: the route tables of the speakers shown */
	bool limit;  /* the result is incomplete (mesh not built) */
	struct simv_groups nodes; /* Calico nodes by outcome */
};

void simv_build(struct simcli *c);
void simv_release(struct simcli *c);
/* Whether a speaker's full table (and its events) is shown. */
bool simv_detailed(const struct simcli *c, uint32_t k);

void simv_secs(uint64_t ms, char *buf, size_t len);   /* "30.005" */
void simv_clock(uint64_t ms, char *buf, size_t len);  /* "00:00:30" */
const char *simv_addr(const struct rr_addr *a, char *buf, const char *none);
const char *simv_id(uint32_t v, char *buf);
const char *simv_notif_name(uint8_t code, uint8_t sub);
/* calicoctl's PEER ADDRESS and PEER TYPE of a BIRD protocol (Global_,
 * Node_, Mesh_); false for a session calicoctl does not list. */
bool simv_peer(const struct sim_session *ss, char *out, size_t len,
               const char **type);
/* "12,497,500" */
const char *simv_count(uint64_t v, char *buf, size_t len);

void sim_write_text(struct out *o, const struct simcli *c);
void sim_write_json(struct out *o, const struct simcli *c);
void sim_write_dot(struct out *o, const struct simcli *c);
/* the verdict alone (rrkit rollout's end state): text, and a "verdict"
 * member of the JSON object open in j */
struct json;
void sim_write_verdict_text(struct out *o, const struct simcli *c);
void sim_write_verdict_json(struct json *j, const struct simcli *c);

#endif
