/*
 * rrkit version: the release, the commit and date of the build (the
 * version stamp tools/version.sh writes into BUILD/version.h), and the
 * Calico release whose behaviour rrkit models (README, "Which Calico is
 * modelled").
 */
#include "cli/cli.h"

#include "version.h"

#include <stdlib.h>
#include <string.h>

/* calico-node's confd templates and Go source rrkit follows */
#define RRKIT_CALICO "v3.32"

void
cli_version(FILE *f)
{
	fprintf(f,
	        "rrkit %s\n"
	        "commit: %s\n"
	        "built:  %s\n"
	        "models: Calico %s (calico-node's confd and BIRD 1.6), "
	        "Cisco IOS BGP\n",
	        RRKIT_VERSION, RRKIT_COMMIT, RRKIT_BUILD_DATE, RRKIT_CALICO);
}

/* The documentation's URI for SARIF (informationUri is the folder,
 * helpUri rules.md#<id> in it): $RRKIT_DOCS_URI (say, the repository's
 * docs/ folder on its forge), else the installed copy (make install). */
const char *
cli_docs_uri(struct rr_arena *a, const char *file)
{
	const char *e = getenv("RRKIT_DOCS_URI");
	const char *base = e && *e ? e : "file://" RRKIT_DOCDIR "/";
	size_t n = strlen(base);

	return rr_arena_printf(a, "%s%s%s", base,
	                       n && base[n - 1] == '/' ? "" : "/", file);
}
