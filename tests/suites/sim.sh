#!/bin/sh
# rrkit sim on the seed and the broken samples: exit status and the lines
# that say why (BIRD's and IOS's words, the verdict, the cause), faults,
# JSON shape, determinism, bad input.  Runs the normal and the ASan build.
#   tests/suites/sim.sh BUILD_DIR
# Exit 0 pass, 77 skip (no rrkit with `sim`), else fail.
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0

bins=""
for b in "$O/rrkit" "$O/asan/rrkit"; do
	[ -x "$b" ] && "$b" sim --help >/dev/null 2>&1 && bins="$bins $b"
done
if [ -z "$bins" ]; then
	echo "sim: skipped: no $O/rrkit with a sim command"
	exit 77
fi

# expect NAME STATUS 'REGEX~REGEX...' rrkit-sim-args...
# every REGEX (extended, '~' separates them) must match a line of the
# output (stdout and stderr)
expect() {
	name=$1 want=$2 res=$3
	shift 3
	for bin in $bins; do
		ASAN_OPTIONS=detect_leaks=1 NO_COLOR=1 timeout 60 "$bin" sim "$@" \
			>"$tmp/out" 2>"$tmp/err" </dev/null
		got=$?
		cat "$tmp/out" "$tmp/err" >"$tmp/all"
		ok=1
		[ "$got" = "$want" ] || ok=0
		old=$IFS
		IFS='~'
		for re in $res; do
			grep -Eq -- "$re" "$tmp/all" || { ok=0; echo "  missing: $re"; }
		done
		IFS=$old
		if grep -Eq 'Sanitizer|runtime error|BUG' "$tmp/err"; then
			ok=0
			echo "  sanitizer report:"
			head -5 "$tmp/err"
		fi
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
		else
			failn=$((failn + 1))
			echo "FAIL $name ($bin): exit $got (want $want)"
			grep -E 'verdict|rrkit:' "$tmp/all" | head -3
		fi
	done
	echo "ok   $name: $(grep -E '^verdict' "$tmp/out" | head -1 | cut -c1-100)"
}

cd "$root" || exit 2
B=samples/broken

expect seed 0 '^verdict: 3/3 sessions established, 6/6 pod routes reachable: ok$~^BGP router identifier 192.168.1.1, local AS number 64512$~^192.168.1.10 +4 +64512 .* 00:00:[0-9][0-9] +1$~^\| 192.168.1.1 +\| node specific \| up +\| [0-9:]+ \| Established \|$~^  \*> 10.244.0.64/26 +via 192.168.1.11 from 192.168.1.1 lp 2147482623 originator 192.168.1.11 cluster-list 0.0.0.1$' --all --routes samples/seed
expect as-mismatch 1 'Idle Received: Bad peer AS~router.ios:33:34: error: neighbor 192.168.1.11 of .rr1. expects AS 64513, but node .node-b. announces AS 64512.*\[as-mismatch\]~^  affects 1 session and 4 routes; first:$~^  session rr1 192.168.1.1 - node-b 192.168.1.11$~2/6 pod routes~^1 node: 0/1 BGP peers Established, 0 routes received; 192.168.1.1 \(node specific\) start Idle Received: Bad peer AS$~^  node-b$' $B/as-mismatch
expect as-mismatch-all 1 'NOTIFICATION sent 2/2 Bad Peer AS' --all $B/as-mismatch
expect password-mismatch 1 'router.ios:33:[0-9]+: error: .*sets a TCP MD5 password, but .node-a. sends none.*\[password-mismatch\]~2/3 sessions' $B/password-mismatch
expect cluster-id-shared 1 'router2.ios:28:[0-9]+: error: .*CLUSTER_LIST holds 0.0.0.1, its own cluster id.*\[cluster-id-shared\]~4/4 sessions established, 2/6 pod routes' $B/cluster-id-shared
expect node-without-neighbor 1 'Active Socket: Connection refused~.rr1. has no neighbor or listen range for 192.168.1.12.*\[node-without-neighbor\]' $B/node-without-neighbor
expect rr-client-not-activated 1 'router.ios:36:[0-9]+: error: .*is active in no address family.*\[rr-client-not-activated\]~Active Socket: Connection refused' $B/rr-client-not-activated
expect rr-client-missing 1 'split horizon~3/3 sessions established, 4/6 pod routes' $B/rr-client-missing
expect hold-time-invalid 1 'Idle BGP Error: Unacceptable hold time~router.ios:30:[0-9]+: error: .*.rr1. offers hold time 2 s.*\[hold-time-invalid\]' $B/hold-time-invalid
expect router-id-duplicate 1 'Bad BGP identifier~error: .*both use BGP identifier 192.168.1.10.*\[router-id-duplicate\]~router.ios:27:[0-9]+: note:' $B/router-id-duplicate
expect node-isolated 1 'node .node-c. has no IPv4 BGP session.*\[node-isolated\]~^1 node: no BGP peers$' $B/node-isolated
expect peer-address-unknown 0 '3/3 sessions established \(1 not analysed\), 6/6 pod routes reachable: ok~calico.yaml:28:11: warning: node .node-a. peers with 192.168.1.2, which no given router or node owns.*\[peer-address-unknown\]~^rrkit: note: 1 session toward addresses no input owns is not analysed~^1 node: 1/2 BGP peers Established, 2 routes received; 192.168.1.2 \(node specific\) start Connect$' $B/peer-address-unknown
expect mesh-not-disabled 0 'node-to-node mesh +\| up~6/6 sessions established, 6/6 pod routes reachable: ok~^3 nodes: 3/3 BGP peers Established, 4 routes received$' --all $B/mesh-not-disabled
expect port-mismatch 0 '192.168.1.1.port.1179 +\| node specific \| up' --node node-a $B/port-mismatch
expect neighbor-without-node 0 '192.168.1.13 +4 +64512 .*(Active|Connect)$~3/3 sessions' $B/neighbor-without-node
expect fail-rr1 1 'down: hold timer expired~rr1 failed at 60.000 s~failed at 60.000 s \(--fail\): no answer' --all --fail rr1@60 samples/seed
expect failover 0 '3/3 sessions established, 6/6 pod routes reachable: ok' --fail rr1@60 $B/cluster-id-conflict
expect cut-restore 0 'node-a +192.168.1.1 +down: hold timer expired~3/3 sessions established, 6/6' --all --cut node-a,rr1@30 --restore 192.168.1.10,192.168.1.1@80 samples/seed
expect until 0 'stopped by --until~^simulated 1.500 s' --until 1.5 samples/seed
expect node-filter 0 '^== node-b~3/3 sessions' --node node-b samples/seed
expect bad-fault 2 "--fail: no speaker is named 'nobody'" --fail nobody@5 samples/seed
expect bad-fault-syntax 2 "'rr1': expected SPEAKER@SECONDS" --fail rr1 samples/seed
expect bad-until 2 '--until wants seconds' --until soon samples/seed
expect bad-format 2 "unknown format 'xml'" --format xml samples/seed
expect fail-node-group 0 '^1 node: failed at 60.000 s \(--fail\)$~^  node-a$~^2 nodes: 1/1 BGP peers Established, 1 route received$' --fail node-a@60 samples/seed
expect node-twice 0 '^== node-a \(calicoctl node status\)$~^== node-c \(calicoctl node status\)$~^  \*> 10.244.0.0/26 +local$' --node node-a --node 192.168.1.12 --routes samples/seed
expect node-unknown 2 "no speaker named 'nobody'" --node nobody samples/seed
expect output-unused 2 'every --format names its own file' --format json=/nonexistent/x --output /nonexistent/y samples/seed
mkdir -p "$tmp/badsel"
sed 's/nodeSelector: all()/nodeSelector: "has(rack) \&\& "/' samples/seed/calico.yaml >"$tmp/badsel/calico.yaml"
expect bad-input 2 'inputs have errors' "$tmp/badsel"
# a selector lost to a YAML tag is what Calico runs: simulated (global peer)
expect yaml-tag 0 'Global_192_168_1_1|3/3 sessions established' $B/selector-yaml-tag

# JSON: every output valid against docs/schemas/sim.schema.json, strictly
# (no field the schema does not list), the same bytes twice, and the values
cat >"$tmp/schema.py" <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
def strict(o):
    if isinstance(o, dict):
        if "properties" in o and o.get("type") == "object":
            o["additionalProperties"] = False
        for v in o.values():
            strict(v)
    elif isinstance(o, list):
        for v in o:
            strict(v)
strict(schema)
v = jsonschema.Draft7Validator(schema)
bad = 0
for f in sys.argv[2:]:
    for e in v.iter_errors(json.load(open(f))):
        print("%s: %s at %s" % (f, e.message, "/".join(map(str, e.absolute_path))))
        bad += 1
sys.exit(1 if bad else 0)
EOF
if python3 -c 'import jsonschema' 2>/dev/null; then
	n=0
	for d in samples/seed samples/broken/*/; do
		n=$((n + 1))
		"$O/rrkit" sim --format json "$d" >"$tmp/v$n.json" 2>/dev/null
		[ $? = 2 ] && rm -f "$tmp/v$n.json"
	done
	"$O/rrkit" sim --format json --routes samples/seed >"$tmp/vr.json" 2>/dev/null
	"$O/rrkit" sim --format json --routes --node node-b samples/broken/as-mismatch >"$tmp/vn.json" 2>/dev/null
	"$O/rrkit" sim --format json --fail rr1@60 samples/seed >"$tmp/vf.json" 2>/dev/null
	if python3 "$tmp/schema.py" docs/schemas/sim.schema.json "$tmp"/v*.json; then
		pass=$((pass + 1))
		echo "ok   json schema: $(ls "$tmp"/v*.json | wc -l) documents valid"
	else
		failn=$((failn + 1))
		echo "FAIL json schema"
	fi
else
	echo "sim: json schema check skipped: python3-jsonschema missing (tools/deps.sh installs it)"
fi
for bin in $bins; do
	"$bin" sim --format json --routes samples/seed >"$tmp/a.json" 2>/dev/null
	"$bin" sim --format json --routes samples/seed >"$tmp/b.json" 2>/dev/null
	if cmp -s "$tmp/a.json" "$tmp/b.json" && python3 - "$tmp/a.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(d) == ["events", "node_groups", "routes", "run", "sessions", "verdict"], sorted(d)
assert len(d["sessions"]) == 6 and all(x["state"] == "Established" for x in d["sessions"])
assert d["run"]["messages"] == 39 and d["run"]["stopped"] == "converged"
r = [x for x in d["routes"] if x["speaker"] == "node-a" and x["prefix"] == "10.244.0.64/26"][0]
assert r["next_hop"] == "192.168.1.11" and r["originator_id"] == "192.168.1.11"
assert r["cluster_list"] == ["0.0.0.1"] and r["best"] is True
assert d["node_groups"] == [{"outcome": "1/1 BGP peers Established, 2 routes received",
    "count": 3, "nodes": ["node-a", "node-b", "node-c"]}], d["node_groups"]
assert d["verdict"] == {"sessions_up": 3, "sessions_expected": 3,
    "routes_ok": 6, "routes_expected": 6, "ok": True, "complete": True,
    "causes": [], "sessions_not_analysed": 0, "routes_not_analysed": 0,
    "warnings": [], "notes": []}, d["verdict"]
EOF
	then
		pass=$((pass + 1))
		echo "ok   json ($bin)"
	else
		failn=$((failn + 1))
		echo "FAIL json ($bin)"
	fi
done
"$O/rrkit" sim --format json samples/broken/as-mismatch >"$tmp/c.json" 2>/dev/null
if python3 -c "
import json,sys
d=json.load(open('$tmp/c.json'))
n=[s for s in d['sessions'] if s['speaker']=='rr1' and s['peer_address']=='192.168.1.11'][0]
assert n['notification']=={'code':2,'subcode':2,'name':'Bad Peer AS'}, n
assert n['established_at'] is None and n['state']=='Idle' and n['peer_speaker']=='node-b'
v=d['verdict']
assert v['ok'] is False and v['complete'] is True and d['routes'] is None
assert len(v['causes'])==1, v['causes']
c=v['causes'][0]
assert c['file'].endswith('as-mismatch/router.ios') and c['line']==33, c
assert c['sessions']==1 and c['routes']==4 and not c['unexplained'], c
assert c['examples'][0]=={'kind':'session','speaker':'rr1','speaker_address':'192.168.1.1','peer_speaker':'node-b','peer_address':'192.168.1.11'}, c['examples']
assert [e['kind'] for e in c['examples']]==['session']+['route']*4 and c['fault'] is False
assert [g['count'] for g in d['node_groups']]==[2,1] and d['node_groups'][1]['nodes']==['node-b']
"; then pass=$((pass + 1)); echo "ok   json as-mismatch"; else failn=$((failn + 1)); echo "FAIL json as-mismatch"; fi
# what the analysis did not analyse, next to the verdict as lint says it
"$O/rrkit" sim --format json $B/peer-address-unknown >"$tmp/u.json" 2>/dev/null
"$O/rrkit" lint --format json $B/peer-address-unknown >"$tmp/ul.json" 2>/dev/null
if python3 -c "
import json
v=json.load(open('$tmp/u.json'))['verdict']
l=json.load(open('$tmp/ul.json'))
assert v['ok'] is True and v['sessions_not_analysed']==1, v
w=v['warnings']
assert [x['rule'] for x in w]==['peer-address-unknown'] and w[0]['line']==28 and w[0]['col']==11, w
f=[x for x in l['findings'] if x['rule']=='peer-address-unknown'][0]
assert (w[0]['file'],w[0]['message'])==(f['file'],f['message']), (w[0],f)
assert [n['message'] for n in v['notes']]==l['verdict']['notes'] and len(v['notes'])==1, v['notes']
"; then pass=$((pass + 1)); echo "ok   json peer-address-unknown"; else failn=$((failn + 1)); echo "FAIL json peer-address-unknown"; fi

# the verdict's service term on a generated cluster (300 nodes: more
# originators of one prefix than a byte counts), two reflectors without
# maximum-paths: each holds 300 equal paths per range and uses one, in the
# words of lint's service-multipath-missing finding
if [ -x "$O/bench/bench_gen" ]; then
	"$O/bench/bench_gen" calico 300 2 |
		sed 's/^  asNumber: 64512$/  asNumber: 64512\n  serviceClusterIPs: [{cidr: 10.96.0.0\/12}]\n  serviceExternalIPs: [{cidr: 198.51.100.0\/24}]/' \
		>"$tmp/svc.yaml"
	"$O/bench/bench_gen" ios 300 1 >"$tmp/svc-r1.ios"
	"$O/bench/bench_gen" ios 300 2 >"$tmp/svc-r2.ios"
	"$O/rrkit" sim --format json "$tmp/svc.yaml" "$tmp/svc-r1.ios" \
		"$tmp/svc-r2.ios" >"$tmp/svc.json" 2>/dev/null
	"$O/rrkit" lint --format json "$tmp/svc.yaml" "$tmp/svc-r1.ios" \
		"$tmp/svc-r2.ios" >"$tmp/svc-lint.json" 2>/dev/null
	if python3 - "$tmp/svc.json" "$tmp/svc-lint.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["verdict"]
lint = json.load(open(sys.argv[2]))["findings"]
s = v["services"]
assert (s["at_routers"], s["balanced"]) == (4, 0), s
got = sorted((u["router"], u["prefix"], u["paths"], u["used"]) for u in s["unbalanced"])
assert got == sorted((r, p, 300, 1) for r in ("rr1", "rr2")
                     for p in ("10.96.0.0/12", "198.51.100.0/24")), got
lw = [f["message"] for f in lint if f["rule"] == "service-multipath-missing"]
assert len(lw) == 2, lw
for u in s["unbalanced"]:
    if u["prefix"] == "10.96.0.0/12":
        assert any(m.startswith(u["message"] + ":") for m in lw), (u, lw)
PY
	then
		pass=$((pass + 1))
		echo "ok   service term: 300 nodes, two reflectors, lint's words"
	else
		failn=$((failn + 1))
		echo "FAIL service term: 300 nodes, two reflectors"
	fi
fi

echo "sim: $pass passed, $failn failed"
[ $failn = 0 ]
