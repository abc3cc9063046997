#!/bin/sh
# docs/rules.md -> C: each rule's "What it catches", "Why it matters" and
# "How to fix it" paragraphs, for the rule help SARIF carries
# (cli/rules_doc.h).  Written at build time, so the help in a report is
# always the catalogue's text.
#   tools/rules-doc.sh docs/rules.md >BUILD/gen/rules_doc.c
awk '
function c(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function flush() {
	if (id != "")
		printf "\t{%s,\n\t %s,\n\t %s,\n\t %s},\n", c(id), c(what), c(why), c(fix)
	id = what = why = fix = ""
}
BEGIN {
	print "/* written by tools/rules-doc.sh from docs/rules.md: do not edit */"
	print "#include \"cli/rules_doc.h\""
	print "#include <string.h>"
	print "const struct rules_doc rules_doc[] = {"
}
/^## `[a-z0-9-]+`$/ { flush(); id = $0; gsub(/^## `|`$/, "", id); next }
/^\*\*What it catches\.\*\* / { what = substr($0, length("**What it catches.** ") + 1); next }
/^\*\*Why it matters\.\*\* / { why = substr($0, length("**Why it matters.** ") + 1); next }
/^\*\*How to fix it\.\*\* / { fix = substr($0, length("**How to fix it.** ") + 1); next }
END {
	flush()
	print "};"
	print "const size_t rules_ndoc = sizeof(rules_doc) / sizeof(rules_doc[0]);"
	print "const struct rules_doc *"
	print "rules_doc_find(const char *id)"
	print "{"
	print "\tsize_t i;"
	print "\tfor (i = 0; i < rules_ndoc; i++)"
	print "\t\tif (!strcmp(rules_doc[i].id, id))"
	print "\t\t\treturn &rules_doc[i];"
	print "\treturn NULL;"
	print "}"
}' "$1"
