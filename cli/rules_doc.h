/*
 * The rule catalogue's text (docs/rules.md), compiled in at build time by
 * tools/rules-doc.sh: what a rule catches, why it matters, how to fix it.
 * SARIF writes it as each rule's fullDescription and help.
 */
#ifndef RR_CLI_RULES_DOC_H
#define RR_CLI_RULES_DOC_H

#include <stddef.h>

struct rules_doc {
	const char *id;
	const char *what; /* "What it catches." (markdown) */
	const char *why;  /* "Why it matters." */
	const char *fix;  /* "How to fix it." */
};

extern const struct rules_doc rules_doc[];
extern const size_t rules_ndoc;
/* NULL when docs/rules.md has no section for `id`. */
const struct rules_doc *rules_doc_find(const char *id);

#endif
