/*
 * The option table of every rrkit command (cli/opts.h): what --help, the
 * man pages (docs/man/) and the completion scripts say, and what each
 * cmd_*.c parses.  An option's id is the letter its cmd_*.c switches on.
 */
#include "cli/opts.h"
#include "cli/cli.h"

#include <stddef.h>

/* The date the man pages carry: the month the tables last changed. */
const char opts_man_date[] = "2026-12-04";

#define END {0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0}
#define ADDRESS_OPT(letter, example)                                                    \
	{letter, 'a', "address", "NAME=IP",                                    \
	 "Give the router NAME (its IOS hostname) the address IP, for a "      \
	 "BGP-only snippet without interfaces. Without it rrkit takes the "    \
	 "address from the Calico BGPPeer that points at the router when "     \
	 "that is unambiguous, and says so in a note.",                        \
	 NULL, example, NULL, OPT_REPEAT}
#define ASSUME_BLOCKS_OPT                                                      \
	{'b', 'b', "assume-blocks", NULL,                                      \
	 "Without BlockAffinity resources, take one block per node from its "  \
	 "IPPools (marked \"assumed\") instead of saying that no block is "    \
	 "known.",                                                             \
	 NULL, NULL, NULL, 0}

/* ------------------------------------------------------------- show */

static const struct opt show_opts[] = {
	{'n', 'n', "node", "NAME",
	 "Print only the speaker NAME (a router's hostname or a Calico node's "
	 "name).",
	 "every speaker", "show --node node-a", NULL, 0},
	{'f', 'f', "format", "FORMAT",
	 "text for people, or json (a stable interface: docs/json.md).",
	 "text", "show --format json", "text json", 0},
	ADDRESS_OPT('a', "show --address rr1=192.168.1.1 rr1.ios calico/"),
	ASSUME_BLOCKS_OPT,
	END,
};

static const struct opt_example show_examples[] = {
	{"show samples/seed",
	 "every speaker of the reference topology and the sessions it opens"},
	{"show --node node-a --format json router.ios calico/",
	 "one node's sessions, as JSON"},
	{NULL, NULL},
};

static const struct opt_cmd show_cmd = {
	.name = "show",
	.summary = "print the resolved model: every speaker and the sessions it "
	           "opens",
	.operands = "FILE|DIR...",
	.operand_values = "@file",
	.description =
		"Prints every speaker (IOS routers, then Calico nodes) with its "
		"AS, router id, addresses, the prefixes it originates and the "
		"sessions it will open: for a Calico node exactly the protocol "
		"bgp blocks calico-node would write into BIRD's configuration.\n\n"
		"Inputs are files and directories (walked in name order): IOS "
		"configurations (show running-config) and Calico or Kubernetes "
		"YAML.",
	.opts = show_opts,
	.examples = show_examples,
	.exit_status = "0  printed\n"
	               "1  printed, but a line of an IOS configuration is one "
	               "IOS refuses\n"
	               "2  usage, or input unreadable or invalid",
	.fn = cmd_show,
};

/* ------------------------------------------------------------- lint */

static const struct opt lint_opts[] = {
	{'f', 'f', "format", "F[=FILE]",
	 "A report: text (gcc style, for people), json (docs/json.md), junit "
	 "(GitLab, Jenkins), github (Actions annotations) or sarif (GitHub "
	 "code scanning). Repeat it for several reports in one run; =FILE "
	 "writes that one to FILE.",
	 "text", "lint --format github --format sarif=rrkit.sarif",
	 "text json junit github sarif", OPT_REPEAT},
	{'o', 'o', "output", "FILE",
	 "Write the reports that name no file of their own to FILE, whole or "
	 "not at all (temporary file, then rename).",
	 "standard output", "lint --format junit --output rrkit.xml", "@file", 0},
	{'s', 's', "strict", NULL,
	 "Exit 1 on warnings as well as errors.", NULL, NULL, NULL, 0},
	{'d', 'd', "disable", "ID,...",
	 "Do not run these rules (ids from --list-rules).", NULL,
	 "lint --disable cluster-id-missing,mesh-not-disabled", "@rule", 0},
	{'O', 'O', "only", "ID,...", "Run only these rules.", "every rule",
	 "lint --only as-mismatch", "@rule", 0},
	{'c', 'c', "config", "FILE",
	 "Read the configuration (rule severities, excluded paths, the "
	 "baseline, strict) from FILE.",
	 "the first " ".rrkit.yaml" " from the current directory upward",
	 "lint --config ci/rrkit.yaml router/ calico/", "@file", 0},
	{'B', 0, "baseline", "FILE",
	 "Do not report the findings FILE accepts (by identity: rule, file "
	 "and message, not the line). A finding that is not in it is "
	 "reported as usual.",
	 "baseline: in .rrkit.yaml, else none",
	 "lint --baseline .rrkit-baseline router/ calico/", "@file", 0},
	{'W', 0, "write-baseline", NULL,
	 "Write this run's findings to the --baseline file, report nothing "
	 "and exit 0: accept what is there today, report what is new "
	 "tomorrow.",
	 NULL, "lint --baseline .rrkit-baseline --write-baseline router/ calico/",
	 NULL, 0},
	ADDRESS_OPT('a', "lint --address rr1=192.168.1.1 rr1.ios calico/"),
	{'L', 'L', "list-rules", NULL,
	 "Print every rule: id, default severity, family and meaning, then "
	 "exit.",
	 NULL, NULL, NULL, 0},
	END,
};

static const struct opt_example lint_examples[] = {
	{"lint router/ calico/",
	 "the findings for people, then the verdict line"},
	{"lint --format github --format sarif=rrkit.sarif router/ calico/",
	 "GitHub Actions: annotations in the log, SARIF for code scanning"},
	{"lint --format text --format junit=rrkit-junit.xml router/ calico/",
	 "GitLab CI: the log, and a JUnit report for the merge request"},
	{NULL, NULL},
};

static const struct opt_cmd lint_cmd = {
	.name = "lint",
	.summary = "cross-check router configs and Calico manifests; findings "
	           "for people and CI",
	.operands = "FILE|DIR...",
	.operand_values = "@file",
	.description =
		"Works out, from both sides together, which BGP sessions "
		"establish and which pod blocks reach which node, and reports "
		"why not: one finding per root cause with the number of "
		"sessions and routes it breaks, located on both sides. Then the "
		"local rules (values, Calico's own validation, pools). The last "
		"line is the verdict. Nothing analysed at all is the error "
		"nothing-analysed, not a clean run.\n\n"
		"A repository can keep its decisions next to its inputs: "
		".rrkit.yaml (rules: severity or off per rule; exclude: path "
		"patterns; baseline: a file; strict: true), comments in the "
		"inputs ('! rrkit: disable=RULE' in IOS, '# rrkit: "
		"disable=RULE' in YAML, on the line before or at the end of the "
		"line; the annotation rrkit.io/disable: RULE on a resource), and "
		"a baseline of accepted findings. A suppression that suppresses "
		"nothing is reported.\n\n"
		"Inputs are files and directories (walked in name order): IOS "
		"configurations (show running-config) and Calico or Kubernetes "
		"YAML (calicoctl get bgpconfig,bgppeer,node,ippool -o yaml; "
		"kubectl get blockaffinities.crd.projectcalico.org -o yaml).",
	.opts = lint_opts,
	.examples = lint_examples,
	.exit_status = "0  no errors (warnings may be present)\n"
	               "1  errors; with --strict, warnings too\n"
	               "2  usage, or input unreadable or invalid",
	.fn = cmd_lint,
};

/* ------------------------------------------------------------ probe */

static const struct opt probe_opts[] = {
	{'a', 0, "as", "ASN",
	 "The AS number to announce in the OPEN (asplain or asdot).", NULL,
	 "probe --as 64512", NULL, OPT_REQUIRED},
	{'p', 0, "peer", "IP[:PORT]",
	 "The router to open the session to; an IPv6 address with a port is "
	 "written [IP]:PORT.",
	 NULL, "probe --peer 192.168.1.1", NULL, OPT_REQUIRED},
	{'r', 0, "router-id", "ID", "The BGP identifier to announce.",
	 "the local address of the connection", "probe --router-id 192.168.1.99",
	 NULL, 0},
	{'H', 0, "hold", "S",
	 "The hold time to offer, in seconds (0 to 65535; RFC 4271 §4.2 "
	 "allows 0, or 3 and more).",
	 "calico-node's (BIRD's 240)", "probe --hold 90", NULL, 0},
	{'s', 0, "source", "IP", "Connect from this local address.",
	 "the kernel's choice", "probe --source 192.168.1.99", NULL, 0},
	{'P', 0, "password-file", "FILE",
	 "Use TCP MD5 (RFC 2385) with the password in FILE (its first line).",
	 NULL, "probe --password-file /run/secrets/bgp", "@file", 0},
	{'t', 0, "timeout", "S",
	 "Give up after S seconds (1 to 3600). An MD5 mismatch looks like a "
	 "timeout.",
	 "10", "probe --timeout 5", NULL, 0},
	{'f', 0, "format", "FORMAT", "text, or json (docs/json.md).", "text",
	 "probe --format json", "text json", 0},
	END,
};

static const struct opt_example probe_examples[] = {
	{"probe --as 64512 --peer 192.168.1.1",
	 "does the router accept a node of AS 64512 from this address?"},
	{NULL, NULL},
};

static const struct opt_cmd probe_cmd = {
	.name = "probe",
	.summary = "open one real BGP session to a router, advertise nothing, "
	           "report the answer",
	.operands = NULL,
	.description =
		"Opens one real TCP session to a router, sends an OPEN that "
		"advertises no routes, reports what came back (the router's "
		"OPEN with its AS, hold time, router id and capabilities, "
		"and the hold time and address families the two OPENs "
		"negotiate; or its NOTIFICATION; or connection refused or "
		"timed out), then "
		"closes with a Cease NOTIFICATION. It never advertises a "
		"prefix.",
	.opts = probe_opts,
	.examples = probe_examples,
	.exit_status = "0  the session would establish\n"
	               "1  the router refused it\n"
	               "2  usage, or a network error (a timeout too)",
	.fn = cmd_probe,
};

/* -------------------------------------------------------------- gen */

static const struct opt gen_opts[] = {
	{'s', 's', "style", "STYLE",
	 "gen cisco and gen frr: one neighbor block per node, a peer-group, "
	 "or a bgp listen range.",
	 "what the router config given already uses, else neighbor",
	 "gen cisco --style peer-group", "neighbor peer-group listen-range", 0},
	{'H', 'H', "hostname", "NAME",
	 "gen cisco and gen frr: the router's hostname.",
	 "the one of the router config given", "gen cisco --hostname rr1", NULL, 0},
	{'r', 'r', "router", "IP",
	 "gen cisco and gen frr: an address of the router (the BGPPeer that "
	 "points at it tells which router is meant).",
	 NULL, "gen cisco --router 192.168.1.1", NULL, OPT_REPEAT},
	ADDRESS_OPT('a', "gen calico --address rr1=192.168.1.1 rr1.ios"),
	{'o', 'o', "output", "FILE",
	 "Write to FILE, whole or not at all (temporary file, then rename).",
	 "standard output", "gen cisco --output rr1-bgp.cfg", "@file", 0},
	{'n', 'n', "node", "NAME", "gen bird: the node whose config to write.",
	 NULL, "gen bird --node node-a", NULL, 0},
	{'F', 'F', "family", "4|6",
	 "gen bird: bird.cfg (4) or bird6.cfg (6).", "4", "gen bird --family 6", "4 6",
	 0},
	{'S', 'S', "secrets", NULL,
	 "gen bird: write the BGP passwords themselves (the file is then "
	 "created with mode 0600).",
	 "passwords are masked", NULL, NULL, 0},
	{'C', 'C', "confd-dir", "DIR",
	 "gen bird: write the six files confd writes into DIR (not with "
	 "--output).",
	 NULL, "gen bird --confd-dir out/", "@dir", 0},
	END,
};

static const struct opt_example gen_examples[] = {
	{"gen cisco samples/seed/calico.yaml",
	 "the route reflector's router bgp for these Calico manifests"},
	{"gen calico samples/seed/router.ios",
	 "the BGPConfiguration and BGPPeers that match this router"},
	{"gen bird --node node-a samples/seed",
	 "the BIRD configuration calico-node would run on node-a"},
	{NULL, NULL},
};

static const struct opt_cmd gen_cmd = {
	.name = "gen",
	.summary = "write the other side: the router's BGP config, or the "
	           "Calico manifests",
	.operands = "FILE|DIR...",
	.operand_values = "cisco frr calico bird",
	.usage = "gen cisco|frr [--style neighbor|peer-group|listen-range]\n"
	         "                 [--hostname H] [--router IP]... [--address "
	         "NAME=IP]\n"
	         "                 [--output FILE] FILE|DIR...\n"
	         "gen calico [--address NAME=IP] [--output FILE] FILE|DIR...\n"
	         "gen bird --node NAME [--family 4|6] [--secrets] "
	         "[--output FILE | --confd-dir DIR]\n"
	         "                 FILE|DIR...",
	.description =
		"gen cisco (or ios) and gen frr write the route reflector's "
		"router bgp for the Calico manifests given, merged into the "
		"router config when one is given. gen calico writes the "
		"BGPConfiguration and BGPPeers matching the router configs "
		"given. gen bird writes the BIRD 1.6 configuration calico-node "
		"runs on one node. On any error nothing is written.",
	.opts = gen_opts,
	.examples = gen_examples,
	.exit_status = "0  written\n"
	               "2  usage, or input unreadable or unusable",
	.fn = cmd_gen,
};

/* -------------------------------------------------------------- sim */

static const struct opt sim_opts[] = {
	{'f', 'f', "format", "F[=FILE]",
	 "text (a summary first), json (docs/json.md) or dot (Graphviz). "
	 "Repeat it for several outputs; =FILE writes that one to FILE.",
	 "text", "sim --format text --format json=sim.json", "text json dot",
	 OPT_REPEAT},
	{'o', 'o', "output", "FILE",
	 "Write the outputs that name no file of their own to FILE.",
	 "standard output", NULL, "@file", 0},
	{'P', 'P', "pcap", "FILE",
	 "Write every simulated BGP message to FILE (pcap, for Wireshark or "
	 "tshark).",
	 NULL, "sim --pcap bgp.pcap", "@file", 0},
	{'n', 'n', "node", "NAME",
	 "Add this speaker's full session table and state changes.", NULL,
	 "sim --node node-a", NULL, OPT_REPEAT},
	{'r', 'r', "routes", NULL,
	 "Add the route tables (of the --node speakers, else of all).", NULL,
	 NULL, NULL, 0},
	{'A', 'A', "all", NULL,
	 "Add every speaker's table and every state change.", NULL, NULL,
	 NULL, 0},
	{'p', 'p', "progress", NULL,
	 "Report progress on standard error while simulating.", NULL, NULL,
	 NULL, 0},
	{'u', 'u', "until", "S",
	 "Stop the simulated clock at S seconds.",
	 "when converged and quiet", "sim --until 300", NULL, 0},
	{'F', 'F', "fail", "SPEAKER@S",
	 "The speaker stops silently at S seconds (no NOTIFICATION, no FIN).",
	 NULL, "sim --fail rr1@60", NULL, OPT_REPEAT},
	{'C', 'C', "cut", "A,B@S",
	 "The link between two speakers stops delivering at S seconds.", NULL,
	 "sim --cut rr1,node-a@60", NULL, OPT_REPEAT},
	{'R', 'R', "restore", "A,B@S",
	 "The link delivers again at S seconds.", NULL,
	 "sim --restore rr1,node-a@120", NULL, OPT_REPEAT},
	ADDRESS_OPT('a', "sim --address rr1=192.168.1.1 rr1.ios calico/"),
	ASSUME_BLOCKS_OPT,
	END,
};

static const struct opt_example sim_examples[] = {
	{"sim samples/seed", "the verdict, each router's show ip bgp summary, "
	                     "the nodes grouped by outcome"},
	{"sim --fail rr1@60 --until 300 samples/seed",
	 "what the nodes lose when the reflector dies after a minute"},
	{NULL, NULL},
};

static const struct opt_cmd sim_cmd = {
	.name = "sim",
	.summary = "replay the sessions and routes with real BGP messages; say "
	           "what comes up",
	.operands = "FILE|DIR...",
	.operand_values = "@file",
	.description =
		"One simulated speaker per router and per node, TCP connections "
		"that succeed only where the target owns the address, listens "
		"and accepts the source, and real BGP messages both ways through "
		"rrkit's RFC 4271 codec and state machine, with the timers and "
		"behaviour of IOS and of calico-node's BIRD 1.6. Routes go "
		"through the RFC 4271 decision process and RFC 4456 route "
		"reflection. The output is a summary first: the verdict and its "
		"causes (the same rule ids as lint), each router's show ip bgp "
		"summary, the nodes grouped by outcome.",
	.opts = sim_opts,
	.examples = sim_examples,
	.exit_status = "0  every session up and every block at every node\n"
	               "1  not so (the causes are printed)\n"
	               "2  usage, or input unreadable or invalid\n"
	               "3  the network is too large to simulate whole",
	.fn = cmd_sim,
};

/* ---------------------------------------------------------- rollout */

static const struct opt rollout_opts[] = {
	{'F', 'F', "from", "PATH",
	 "The current state: a directory or file of IOS configs and Calico "
	 "manifests.",
	 NULL, "rollout --from now/ --to next/", "@file", OPT_REQUIRED},
	{'T', 'T', "to", "PATH", "The target state, read as --from.", NULL,
	 NULL, "@file", OPT_REQUIRED},
	{'S', 'S', "step", "PATH",
	 "An intermediate state (a complete file set), applied in the order "
	 "given; without it the steps are the resources that differ.",
	 NULL, "rollout --from a/ --step b/ --to c/", "@file", OPT_REPEAT},
	{'O', 'O', "order", "ORDER",
	 "The order of the changes: search tries the others and keeps the "
	 "one with the least loss.",
	 "search", "rollout --order router-last --from a/ --to b/",
	 "search given router-first router-last make-before-break together",
	 0},
	{'i', 'i', "interval", "S",
	 "Simulated seconds between two steps.", "30", NULL, NULL, 0},
	{'f', 'f', "format", "F[=FILE]",
	 "text (a summary first), json (docs/json.md) or svg (a timeline: "
	 "the loss of each group of nodes, the steps). Repeat it for "
	 "several; =FILE writes that one to FILE.",
	 "text", "rollout --format json=rollout.json --format svg=rollout.svg ...",
	 "text json svg", OPT_REPEAT},
	{'o', 'o', "output", "FILE",
	 "Write the output that names no file of its own to FILE.",
	 "standard output", NULL, "@file", 0},
	{'A', 'A', "all", NULL,
	 "List every session change and every interval without a route.",
	 NULL, NULL, NULL, 0},
	ADDRESS_OPT('a', "rollout --address rr1=192.168.1.1 --from a/ --to b/"),
	ASSUME_BLOCKS_OPT,
	END,
};

static const struct opt_example rollout_examples[] = {
	{"rollout --from samples/rollout/mesh-to-rr/from "
	 "--to samples/rollout/mesh-to-rr/to",
	 "the order of changes that loses no route, and the plan"},
	{"rollout --order router-last --from now/ --to next/",
	 "what that order loses, node by node"},
	{NULL, NULL},
};

static const struct opt_cmd rollout_cmd = {
        .name = "rollout",
        .summary = "rehearse a change: every route lost on the way, and the "
                   "order that loses none",
        .description =
                "Converges the current state as sim does, then applies the "
                "change step by step on the same clock the way BIRD 1.6 "
                "(birdc configure after confd re-renders) and IOS apply it: "
                "sessions removed send a Cease and their routes go, new ones "
                "start after BIRD's connect delay, changed ones restart, "
                "errors start BIRD's startup delay. Names under each step the "
                "sessions that waited before starting again, and reports "
                "every interval in which a node had no route to another "
                "node's block, with its cause, grouped by nodes with the same "
                "story; tries the orders that make sense and gives "
                "the one with the least loss as a plan with checkpoints; ends "
                "with sim's verdict on the target. docs/rollout.md.",
        .opts = rollout_opts,
        .examples = rollout_examples,
        .exit_status = "0  no route lost and the end state ok\n"
                       "1  a route lost on the way, or the end state not ok\n"
                       "2  usage, or input unreadable or invalid\n"
                       "3  the network is too large to simulate whole",
        .fn = cmd_rollout,
};

/* ---------------------------------------------- version, help, completion */

static const struct opt none_opts[] = {END};

static const struct opt help_opts[] = {
	{'m', 0, "man", NULL,
	 "Print the man page (troff) of COMMAND, or of rrkit itself.", NULL,
	 "help --man lint", NULL, 0},
	END,
};

static const struct opt_cmd version_cmd = {
	.name = "version",
	.summary = "print the version, the commit, the build date and the "
	           "Calico release modelled",
	.opts = none_opts,
	.exit_status = "0  printed",
	.fn = cmd_version,
};

static const struct opt_cmd help_cmd = {
	.name = "help",
	.summary = "list the commands, or explain one (rrkit help lint)",
	.operands = "[COMMAND]",
	.opts = help_opts,
	.exit_status = "0  printed\n2  no such command",
	.fn = cmd_help,
};

static const struct opt_cmd completion_cmd = {
	.name = "completion",
	.summary = "print the bash or zsh completion script",
	.operands = "bash|zsh",
	.operand_values = "bash zsh",
	.description = "make install installs both. To try one in the shell "
	               "at hand: source <(rrkit completion bash).",
	.opts = none_opts,
	.exit_status = "0  printed\n2  no such shell",
	.fn = cmd_completion,
};

const struct opt_cmd *const cli_commands[] = {
	&show_cmd, &lint_cmd,    &probe_cmd, &gen_cmd,
	&sim_cmd,  &rollout_cmd, &version_cmd, &help_cmd,  &completion_cmd,
};
const size_t cli_ncommands = sizeof(cli_commands) / sizeof(cli_commands[0]);
