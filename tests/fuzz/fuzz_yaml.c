/*
 * libFuzzer target: the fast YAML reader (parsers/calico_fastyaml.c)
 * against libyaml.  Where the fast reader reads an input, libyaml must
 * read it too and build the same trees, node by node: type, style, tag,
 * value bytes, line, column, end line and weight (cal_yn_dump).  Where it
 * gives up, the input goes through libyaml as before (nothing to compare).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/calico_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fast = NULL, *slow = NULL;
	size_t nfast = 0, nslow = 0;

	if (cal_yaml_trees((const char *)data, size, CAL_READ_FAST, &fast,
	                   &nfast) == 0) {
		if (cal_yaml_trees((const char *)data, size, CAL_READ_LIBYAML,
		                   &slow, &nslow) != 0) {
			fprintf(stderr, "fast reader read what libyaml "
			                "refuses:\n%s", fast);
			abort();
		}
		if (nfast != nslow || memcmp(fast, slow, nfast)) {
			fprintf(stderr, "trees differ\nfast:\n%s\nlibyaml:\n%s",
			        fast, slow);
			abort();
		}
	}
	free(fast);
	free(slow);
	return 0;
}
