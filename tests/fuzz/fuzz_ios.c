/*
 * libFuzzer target: parsers/ios*.c on arbitrary bytes.  The input is
 * parsed twice into one model (two speakers, the second under another
 * file name) so interning and per-parse state are exercised, and once
 * more after format detection, as the CLI would.  Every route-map, list
 * and regular expression read is then evaluated on a few routes
 * (model/policy.c), as the analysis and the simulator would.
 */
#include <stddef.h>
#include <stdint.h>

#include "parsers/parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
eval_policies(const struct rr_speaker *s)
{
	static const uint32_t comms[] = {64512u << 16 | 100, RR_COMM_NO_EXPORT};
	static const char *const paths[] = {"", "65001 64512", "1 {2,3}"};
	struct rr_route_facts r = {.comms = comms, .ncomms = 2};
	struct rr_rm_actions act;
	size_t i, k;

	rr_prefix_parse("10.244.1.0/26", &r.prefix, false);
	for (k = 0; k < 3; k++) {
		r.aspath = paths[k];
		for (i = 0; i < s->nroute_maps; i++)
			(void)rr_route_map_eval(s, &s->route_maps[i], &r, &act);
		for (i = 0; i < s->nprefix_lists; i++)
			(void)rr_prefix_list_eval(&s->prefix_lists[i], &r.prefix);
		for (i = 0; i < s->naspath_lists; i++)
			(void)rr_aspath_list_eval(&s->aspath_lists[i], r.aspath);
		for (i = 0; i < s->ncommunity_lists; i++)
			(void)rr_community_list_eval(&s->community_lists[i],
			                             comms, 2, k == 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rr_model *m = rr_model_new();
	struct rr_diags d;
	const char *text = (const char *)data;

	rr_diags_init(&d);
	(void)parse_ios(m, "fuzz.ios", text, size, &d);
	(void)parse_ios(m, "dir/fuzz2.cfg", text, size, &d);
	if (parse_detect(text, size) == PARSE_FMT_IOS)
		(void)parse_ios(m, "fuzz.ios", text, size, &d);
	if (m->nspeakers)
		eval_policies(m->speakers[0]);
	rr_diags_release(&d);
	rr_model_free(m);
	return 0;
}
