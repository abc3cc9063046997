/*
 * parsers/detect.c: format by content.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parsers/parsers.h"

static void
test_detect_table(void **state)
{
	static const struct {
		const char *what, *in;
		size_t len; /* 0: strlen */
		enum parse_format want;
	} cases[] = {
	        {"calico yaml",
	         "apiVersion: projectcalico.org/v3\nkind: BGPPeer\n", 0,
	         PARSE_FMT_YAML},
	        {"doc marker", "---\n# comment\na: b\n", 0, PARSE_FMT_YAML},
	        {"json", "{\"apiVersion\": \"v1\", \"kind\": \"List\"}\n", 0,
	         PARSE_FMT_YAML},
	        {"yaml list", "- apiVersion: v1\n  kind: Node\n", 0,
	         PARSE_FMT_YAML},
	        {"kind first",
	         "kind: BGPConfiguration\napiVersion: projectcalico.org/v3\n",
	         0, PARSE_FMT_YAML},
	        {"bom yaml",
	         "\xef\xbb\xbf"
	         "apiVersion: v1\nkind: Node\n",
	         0, PARSE_FMT_YAML},
	        {"ios",
	         "hostname rr1\n!\ninterface GigabitEthernet0/0\n ip address "
	         "192.168.1.1 255.255.255.0\n!\nrouter bgp 64512\n neighbor "
	         "192.168.1.10 remote-as 64512\n!\nend\n",
	         0, PARSE_FMT_IOS},
	        {"ios banner",
	         "Building configuration...\n\nCurrent configuration : 1234 "
	         "bytes\n!\nversion 15.2\n",
	         0, PARSE_FMT_IOS},
	        {"ios crlf",
	         "router bgp 1\r\n neighbor 1.1.1.1 remote-as 1\r\n", 0,
	         PARSE_FMT_IOS},
	        {"ios bangs only", "!\n!\n", 0, PARSE_FMT_IOS},
	        {"nul", "apiVersion: v1\n\0kind: Node\n", 28, PARSE_FMT_BINARY},
	        /* Latin-1 in an IOS config is read (banners, no-break
	         * spaces); in YAML it is not UTF-8, so refused */
	        {"latin1 ios", "hostname \xff\xfe\n", 0, PARSE_FMT_IOS},
	        {"latin1 ios nbsp", "interface Lo0\n\xa0ip address 1.1.1.1 "
	         "255.255.255.255\n", 0, PARSE_FMT_IOS},
	        {"bad utf8 yaml", "apiVersion: v1\nkind: \xff\n", 0,
	         PARSE_FMT_BINARY},
	        {"control junk", "router bgp 1\n\x01\x02\x03\x04\n", 0,
	         PARSE_FMT_BINARY},
	        {"overlong utf8", "a: \xc0\xaf\n", 0, PARSE_FMT_BINARY},
	        {"truncated utf8", "a: \xe2\x82", 0, PARSE_FMT_BINARY},
	        {"utf16 bom", "\xff\xfeh\0o\0", 6, PARSE_FMT_BINARY},
	        {"good utf8", "# caf\xc3\xa9\napiVersion: v1\n", 0,
	         PARSE_FMT_YAML},
	        {"prose", "hello world\nthis is text\n", 0, PARSE_FMT_UNKNOWN},
	        {"yaml comments only", "# no Secrets at this step\n# none\n", 0,
	         PARSE_FMT_YAML},
	        {"empty", "", 0, PARSE_FMT_UNKNOWN},
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].in);
		enum parse_format got = parse_detect(cases[i].in, len);
		if (got != cases[i].want)
			fail_msg("%s: %s, want %s", cases[i].what,
			         parse_format_name(got),
			         parse_format_name(cases[i].want));
	}
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(parse_format_name(PARSE_FMT_IOS), "ios");
	assert_string_equal(parse_format_name(PARSE_FMT_YAML), "yaml");
	assert_string_equal(parse_format_name(PARSE_FMT_BINARY), "binary");
	assert_string_equal(parse_format_name(PARSE_FMT_UNKNOWN), "unknown");
	assert_string_equal(parse_format_name((enum parse_format)42),
	                    "unknown");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_detect_table),
	        cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
