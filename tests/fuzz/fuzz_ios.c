/*
 * libFuzzer target: parsers/ios*.c on arbitrary bytes.  The input is
 * parsed twice into one model (two speakers, the second under another
 * file name) so interning and per-parse state are exercised, and once
 * more after format detection, as the CLI would.
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
	const char *text = (const char *)data;

	rr_diags_init(&d);
	(void)parse_ios(m, "fuzz.ios", text, size, &d);
	(void)parse_ios(m, "dir/fuzz2.cfg", text, size, &d);
	if (parse_detect(text, size) == PARSE_FMT_IOS)
		(void)parse_ios(m, "fuzz.ios", text, size, &d);
	rr_diags_release(&d);
	rr_model_free(m);
	return 0;
}
