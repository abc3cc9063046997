/*
 * libFuzzer target: the whole pipeline after parsing on arbitrary input.
 * The bytes are read both as an IOS config and as Calico YAML into one
 * model, which is resolved (resolve/), linted (validate/) and
 * emitted (emitters/: IOS, FRR, Calico, BIRD for the first node) — every
 * stage must cope with whatever a parser let through.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "emitters/emitters.h"
#include "parsers/parsers.h"
#include "resolve/resolve.h"
#include "validate/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rr_model *m = rr_model_new();
	struct rr_diags d;
	struct resolve_opts ro = {0};
	struct emit_opts eo = {0};
	struct emit_bird_opts bo = {false};
	char *out = NULL;
	size_t len, i;

	rr_diags_init(&d);
	ro.assume_blocks = size > 0 && (data[0] & 1);
	ro.max_mesh_nodes = 50;
	(void)parse_ios(m, "fuzz.ios", (const char *)data, size, &d);
	(void)parse_calico(m, "fuzz.yaml", (const char *)data, size, NULL, &d);
	if (resolve_calico(m, &ro, &d) == 0) {
		val_run(m, &d);
		if (emit_ios(m, &eo, &out, &len, &d) == 0)
			emit_free(out);
		if (emit_frr(m, &eo, &out, &len, &d) == 0)
			emit_free(out);
		if (emit_calico(m, &eo, &out, &len, &d) == 0)
			emit_free(out);
		for (i = 0; i < m->nspeakers; i++)
			if (m->speakers[i]->kind == RR_SPK_CALICO) {
				if (emit_bird(m, m->speakers[i]->name,
				              RR_AF_INET, &bo, &out, &len,
				              &d) == 0)
					free(out);
				break;
			}
	}
	rr_diags_release(&d);
	rr_model_free(m);
	return 0;
}
