/*
 * libFuzzer target: parsers/calico.c (and the selector parser through it)
 * on arbitrary bytes.  The first byte picks delete mode; then two parse
 * calls into one model exercise replace-on-same-name.
 */
#include <stddef.h>
#include <stdint.h>

#include "parsers/parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rr_model *m = rr_model_new();
	struct rr_diags d;
	struct parse_calico_opts o = {false};

	rr_diags_init(&d);
	if (size > 0 && data[0] == 'D')
		o.delete_mode = true;
	(void)parse_detect((const char *)data, size);
	(void)parse_calico(m, "fuzz.yaml", (const char *)data, size, NULL, &d);
	(void)parse_calico(m, "fuzz2.yaml", (const char *)data, size, &o, &d);
	rr_diags_release(&d);
	rr_model_free(m);
	return 0;
}
