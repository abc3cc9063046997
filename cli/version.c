/*
 * rrkit version: the release, the commit and date of the build (the
 * version stamp tools/version.sh writes into BUILD/version.h), and the
 * Calico release whose behaviour rrkit models (README, "Which Calico is
 * modelled").
 */
#include "cli/cli.h"

#include "version.h"

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
