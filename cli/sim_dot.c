/*
 * rrkit sim --format dot: the topology for Graphviz.  One vertex per
 * speaker (routers as boxes, Calico nodes as ellipses, a failed speaker
 * dashed), one edge per session pair, coloured by its state: green
 * Established both ways, red when a NOTIFICATION ended it, orange while it
 * tries (Connect, Active, OpenSent, OpenConfirm), grey when never started;
 * the label says the states and the last error.
 */
#include "cli/sim_dot.h"

#include <stdio.h>
#include <string.h>

static void
quoted(struct strbuf *b, const char *s)
{
	sb_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '\n') {
			sb_puts(b, "\\n");
			continue;
		}
		if (*s == '"' || *s == '\\')
			sb_puts(b, "\\");
		if ((unsigned char)*s >= 0x20)
			sb_add(b, s, 1);
	}
	sb_puts(b, "\"");
}

static const char *
colour(const struct sim_session *a, const struct sim_session *b)
{
	bool up = a->state == FSM_ST_ESTABLISHED &&
		  (!b || b->state == FSM_ST_ESTABLISHED);
	if (up)
		return "forestgreen";
	if ((a->notif) || (b && b->notif))
		return "red";
	if (!a->enabled && (!b || !b->enabled))
		return "grey";
	if (a->state != FSM_ST_IDLE || (b && b->state != FSM_ST_IDLE))
		return "orange";
	return "red";
}

void
sim_write_dot(struct strbuf *b, const struct sim *s)
{
	size_t i, n = sim_nspeakers(s);
	char addr[RR_ADDR_STRLEN];

	sb_puts(b, "graph rrkit_sim {\n"
		   "  graph [overlap=false, splines=true, fontname=\"Helvetica\"];\n"
		   "  node [fontname=\"Helvetica\", fontsize=10];\n"
		   "  edge [fontname=\"Helvetica\", fontsize=8];\n");
	for (i = 0; i < n; i++) {
		const struct sim_speaker *sp = sim_speaker(s, i);
		sb_printf(b, "  s%zu [label=", i);
		sb_printf(b, "\"%s\\n%s\\nAS %u\"", sp->name,
			  rr_addr_str(&sp->addr, addr), sp->asn);
		sb_printf(b, ", shape=%s%s];\n",
			  sp->kind == RR_SPK_IOS ? "box" : "ellipse",
			  sp->failed ? ", style=dashed" : "");
	}
	for (i = 0; i < sim_nsessions(s); i++) {
		const struct sim_session *a = sim_session(s, i), *p = NULL;
		char label[160];
		if (a->partner != SIM_NONE) {
			if (a->partner < i)
				continue; /* drawn from the other side */
			p = sim_session(s, a->partner);
		}
		if (a->peer_speaker == SIM_NONE) {
			/* nobody owns the address: a dangling vertex */
			sb_printf(b, "  x%zu [label=\"%s\\n(nobody)\", shape=plaintext];\n",
				  i, rr_addr_str(&a->peer, addr));
			sb_printf(b, "  s%u -- x%zu", a->speaker, i);
		} else {
			sb_printf(b, "  s%u -- s%u", a->speaker, a->peer_speaker);
		}
		snprintf(label, sizeof(label), "%s%s%s%s%s",
			 bgp_fsm_state_name(a->state), p ? " / " : "",
			 p ? bgp_fsm_state_name(p->state) : "",
			 a->last_error ? "\n" : "",
			 a->last_error ? a->last_error : "");
		sb_puts(b, " [label=");
		quoted(b, label);
		sb_printf(b, ", color=%s%s];\n", colour(a, p),
			  a->rr_client || (p && p->rr_client) ? ", penwidth=2"
							      : "");
	}
	sb_puts(b, "}\n");
}
