#!/bin/sh
# rrkit rollout on samples/rollout: exit status, the loss each order shows
# (the naive mesh -> reflector order loses routes, the plan's order none),
# the intervals' lengths (BIRD's connect delay), --step states, the JSON
# against docs/schemas/rollout.schema.json (strictly), the same bytes
# twice, bad input.  Runs the normal and the ASan build.
#   tests/suites/rollout.sh BUILD_DIR
# Exit 0 pass, 77 skip (no rrkit with `rollout`), else fail.
O=${1:-build}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 failn=0
S=samples/rollout

bins=""
for b in "$O/rrkit" "$O/asan/rrkit"; do
	[ -x "$b" ] && "$b" rollout --help >/dev/null 2>&1 && bins="$bins $b"
done
if [ -z "$bins" ]; then
	echo "rollout: skipped: no $O/rrkit with a rollout command"
	exit 77
fi

# expect NAME STATUS 'REGEX~REGEX...' rrkit-rollout-args...
expect() {
	name=$1 want=$2 res=$3
	shift 3
	for bin in $bins; do
		ASAN_OPTIONS=detect_leaks=1 NO_COLOR=1 timeout 60 "$bin" rollout "$@" \
			>"$tmp/out" 2>"$tmp/err" </dev/null
		got=$?
		cat "$tmp/out" "$tmp/err" >"$tmp/all"
		ok=1
		[ "$got" = "$want" ] || { ok=0; echo "  status $got, want $want"; }
		old=$IFS
		IFS='~'
		for re in $res; do
			grep -Eq -- "$re" "$tmp/all" || { ok=0; echo "  missing: $re"; }
		done
		IFS=$old
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
			echo "ok   $name ($(basename "$(dirname "$bin")"))"
		else
			failn=$((failn + 1))
			echo "FAIL $name ($bin)"
			head -20 "$tmp/all"
		fi
	done
}

m="--from $S/mesh-to-rr/from --to $S/mesh-to-rr/to"
W="--from $S/swap-racks/from --to $S/swap-racks/to"
expect mesh-search 0 '^rollout: ok: 3 steps \(order make-before-break\), 0 routes lost~^  given +6 routes lost~make-before-break +0 routes lost, 0.000 node-seconds  <- the plan~^   1\. on rr1~neighbor 192.168.1.10 route-reflector-client~calicoctl apply -f .*bgppeer-rr1.yaml~^   3\. calicoctl apply -f .*bgpconfiguration.yaml~wait until 6 sessions are Established~verdict: 3/3 sessions established' $m
expect mesh-naive 1 '^rollout: NOT OK: 3 steps \(order given\), 6 routes lost~^loss: 6 routes at 3 nodes~Mesh_192_168_1_11 \(to node-b\) stopped by step 1; back over Node_192_168_1_1 \(to rr1\)~node-a: Mesh_192_168_1_11 \(192.168.1.11\) removed, Cease 6/3 sent' --order given --all $m
expect mesh-router-first 1 'order router-first\), 6 routes lost' --order router-first $m
# everything Calico at once (calico#3819): the blocks gone for BIRD's
# connect delay
expect mesh-together 1 'order together\), 6 routes lost for 12.0[0-9]* node-seconds~step 2 at .*: bgpconfiguration.yaml \+ bgppeer-rr1.yaml: 3 added, 6 removed~^      calicoctl apply -f .*bgppeer-rr1.yaml' --order together $m
expect second-rr 0 '^rollout: ok: 3 steps~rr2: neighbor 10.213.50.10 added~7 sessions Established at the end' --from $S/add-second-rr/from --to $S/add-second-rr/to
expect cluster-id 0 '^rollout: ok: 1 step \(order given\)~rr2: bgp cluster-id 0.0.0.1 -> 0.0.0.2~no bgp cluster-id 1~ bgp cluster-id 2~note: a changed bgp cluster-id' --from $S/cluster-id/from --to $S/cluster-id/to
# a node moved between reflectors: no order of the three changes is
# lossless (its Calico change removes one protocol and adds the other);
# node-03 peering with both through a temporary BGPPeer first is
expect move-node-mbb 1 'order make-before-break\), 4 routes lost~node-03: Node_10_213_50_1 \(10.213.50.1\) removed, Cease 6/3 sent~no neighbor 10.213.50.12$~verdict: 4/4 sessions established, 6/6 pod routes reachable: ok' --order make-before-break --from $S/move-node/from --to $S/move-node/to
expect move-node 0 '^rollout: ok: 5 steps \(order temporary-peers\), 0 routes lost~^orders tried \(3 changes; 6 orders, 4 of them different, each rehearsed\):~^  make-before-break +4 routes lost, 8.016 node-seconds$~^  together +4 routes lost, 248.016 node-seconds \(the steps of router-first\)$~^  temporary-peers +0 routes lost, 0.000 node-seconds  <- the plan~^   2\. calicoctl apply -f - <<.EOF.$~^ +name: rollout-tmp-node-03-rr2$~^ +node: node-03$~^   3\. calicoctl apply -f .*move-node/to/node-03.yaml~^   5\. calicoctl delete bgppeer rollout-tmp-node-03-rr2 ~step 3 at .*: node-03.yaml: 0 added, 1 removed~step 5 at .*: \(temporary\): BGPPeer rollout-tmp-node-03-rr2: 0 added, 0 removed, 0 restarted' --from $S/move-node/from --to $S/move-node/to
# a node moved by its label (selector BGPPeers): the plan's temporary
# BGPPeer is the one tests/interop/rollout/move-rack/2-temporary plays on
# the real daemons
R=tests/interop/rollout/move-rack
expect move-rack 0 '^rollout: ok: 5 steps \(order temporary-peers\), 0 routes lost~^  make-before-break +6 routes lost~^ +name: rollout-tmp-node-b-rack-r2$~^   5\. calicoctl delete bgppeer rollout-tmp-node-b-rack-r2 ' --from $R/0-current --to $R/5-target
"$O/rrkit" rollout --from $R/0-current --to $R/5-target 2>/dev/null |
	sed -n "/^   2\. calicoctl apply -f - <<'EOF'\$/,/^         EOF\$/p" |
	sed '1d;$d;s/^         //' >"$tmp/temp.yaml"
if grep -q "^  node: node-b$" "$tmp/temp.yaml" &&
	sed -n '/^# temporary:/,/^  asNumber/p' $R/2-temporary/calico.yaml | cmp -s - "$tmp/temp.yaml"; then
	pass=$((pass + 1)); echo "ok   move-rack temporary BGPPeer as played live"
else
	failn=$((failn + 1)); echo "FAIL move-rack temporary BGPPeer as played live"; cat "$tmp/temp.yaml"
fi
# --order temporary-peers is the search's own, not asked for
expect order-temp 2 "unknown order 'temporary-peers'" --order temporary-peers --from $S/move-node/from --to $S/move-node/to
# one file holding every Calico resource: a step per resource changed, so
# the search can add the BGPPeers before the mesh goes; the plan applies
# each resource alone (the file holds others)
t="--from $S/mesh-to-two-rr/from --to $S/mesh-to-two-rr/to"
expect two-rr-one-file 0 '^rollout: ok: 5 steps \(order make-before-break\), 0 routes lost~step 3 at .*: calico.yaml: BGPPeer rr1: 3 added~step 4 at .*: calico.yaml: BGPPeer rr2: 3 added~step 5 at .*: calico.yaml: BGPConfiguration default: 0 added, 6 removed~calicoctl apply -f - <<.EOF.   # from .*to/calico.yaml:12$~^ +peerIP: 192.168.1.2$~^ +EOF$~wait until 9 sessions~^  together +6 routes lost' $t
expect two-rr-one-file-given 1 'order given\), 6 routes lost~step 1 at .*: calico.yaml: BGPConfiguration default: 0 added, 6 removed' --order given $t
# a resource deleted from a file that keeps others: calicoctl delete
mkdir -p "$tmp/del"
cp $S/mesh-to-two-rr/to/* "$tmp/del/"
cp $S/mesh-to-two-rr/from/rr2.ios "$tmp/del/"
python3 - "$tmp/del/calico.yaml" <<'EOF2'
import sys
p = sys.argv[1]
docs = open(p).read().split("\n---\n")
open(p, "w").write("\n---\n".join(d for d in docs if "name: rr2" not in d))
EOF2
expect delete-resource 0 '^rollout: ok: 2 steps~calico.yaml: BGPPeer rr2: 0 added, 3 removed~^ +[12]\. calicoctl delete bgppeer rr2   # was in .*mesh-to-two-rr/to/calico.yaml:21$' --from $S/mesh-to-two-rr/to --to "$tmp/del"
# service routes: the router's cluster-id changed (its only reflector):
# the router loses the service routes the nodes advertise while its
# sessions are down (what the outside reaches the Services by); the nodes
# lose the blocks, not the service addresses (kube-proxy answers those)
mkdir -p "$tmp/svc-a" "$tmp/svc-b"
cp samples/services/* "$tmp/svc-a/"
cp samples/services/* "$tmp/svc-b/"
sed -i 's/ bgp cluster-id 1$/ bgp cluster-id 2/' "$tmp/svc-b/router.ios"
expect services 1 '^loss: 17 routes at 4 nodes and 1 router \(service routes\), ~^  1 router \(rr1\): 5 routes lost~^  rr1: 10.96.0.0/12 \(a service route\) 30.005-32.011 s \(2.006 s\)~^  rr1: 10.96.0.20/32 \(a service route\)~^  node-a: 10.244.0.64/26 \(of node-b\)' --all --from "$tmp/svc-a" --to "$tmp/svc-b"
if "$O/rrkit" rollout --format json --from "$tmp/svc-a" --to "$tmp/svc-b" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
svc = [x for x in d["losses"] if x["service"]]
assert sorted(x["prefix"] for x in svc) == ["10.96.0.0/12", "10.96.0.20/32", "198.51.100.0/24", "198.51.100.10/32", "203.0.113.0/24"], svc
assert all(x["node"] == "rr1" and x["origin"] is None and x["end_s"] for x in svc)
assert not [x for x in d["losses"] if not x["service"] and x["node"] == "rr1"]
assert [g["router"] for g in d["groups"] if g["node"] == "rr1"] == [True]
'; then pass=$((pass + 1)); echo "ok   services json"; else failn=$((failn + 1)); echo "FAIL services json"; fi
# --step: the states given, in order
mkdir -p "$tmp/s1"
cp $S/mesh-to-rr/from/* "$tmp/s1/"
cp $S/mesh-to-rr/to/rr1.ios $S/mesh-to-rr/to/bgppeer-rr1.yaml "$tmp/s1/"
expect step-safe 0 '^rollout: ok: 2 steps \(order given\)~step 1 at .*s1: 6 added' --step "$tmp/s1" $m
# a password change: the plan says where, never what (IOS text or type 7)
mkdir -p "$tmp/pw-a" "$tmp/pw-b"
cp samples/gen/password/calico.yaml samples/gen/password/router.ios "$tmp/pw-a/"
sed 's/s3cret-rr1/n3w-s3cret/' "$tmp/pw-a/router.ios" >"$tmp/pw-b/router.ios"
sed 's/s3cret-rr1/n3w-s3cret/' "$tmp/pw-a/calico.yaml" >"$tmp/pw-b/calico.yaml"
expect password-plan 1 '^ *no neighbor 192.168.1.10 password <hidden>$~^ *neighbor 192.168.1.10 password <hidden>$' --from "$tmp/pw-a" --to "$tmp/pw-b"
for f in text json; do
	"$O/rrkit" rollout --all --format $f --from "$tmp/pw-a" --to "$tmp/pw-b" >"$tmp/pw.out" 2>&1
	if grep -q 's3cret\|n3w-s3cret' "$tmp/pw.out"; then
		failn=$((failn + 1)); echo "FAIL password-secret-$f: a secret printed"
	else pass=$((pass + 1)); echo "ok   password-secret-$f"; fi
done
# bad usage and input
# the mesh and a BGPPeer toward one node (peer-duplicate): Node_ waits for
# BIRD's lock while Mesh_ runs, and gets it when the mesh goes (before,
# the two were one session and the rehearsal said nothing changed; and
# sim's never-settling collisions showed instead)
mkdir -p "$tmp/dup-to"
cp tests/interop/topo/mesh-and-peer/* "$tmp/dup-to/"
sed -i 's/nodeToNodeMeshEnabled: true/nodeToNodeMeshEnabled: false/' "$tmp/dup-to/calico.yaml"
expect lock-handover 0 '^rollout: ok: 1 step~^current state converged at 2[0-9.]* s~node-a: Mesh_10_213_50_11 \(10.213.50.11\) removed, Cease 6/3 sent~node-b: Mesh_10_213_50_10 \(10.213.50.10\) removed~4 sessions Established at the end~note: a session between two Calico nodes starts at both ends in one step and both dial~verdict: 4/4 sessions established' --order given --from tests/interop/topo/mesh-and-peer --to "$tmp/dup-to"
expect no-to 2 'both needed' --from $S/mesh-to-rr/from
expect missing 2 "cannot read 'nowhere'" --from nowhere --to $S/mesh-to-rr/to
expect same 2 'the same files: nothing to rehearse' --from $S/mesh-to-rr/to --to $S/mesh-to-rr/to
expect bad-order 2 "unknown order 'sideways'" --order sideways $m
expect bad-interval 2 'interval wants seconds' --interval 0 $m
expect operand 2 "unexpected operand" $m extra
expect step-order 2 'with --step the order is the one given' --order router-first --step "$tmp/s1" $m
mkdir -p "$tmp/bad"
cp $S/mesh-to-rr/to/* "$tmp/bad/"
printf 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: x\nspec:\n  peerIP: 300.1.1.1\n' >"$tmp/bad/x.yaml"
expect bad-input 2 'inputs have errors' --from $S/mesh-to-rr/from --to "$tmp/bad"

# the loss of a node moved between reflectors: BIRD's connect delay (2 s)
# plus the exchange, at node-03 and at the nodes that lose its block
"$O/rrkit" rollout --format json --order make-before-break --from $S/move-node/from --to $S/move-node/to >"$tmp/move-mbb.json" 2>/dev/null
"$O/rrkit" rollout --format json --from $S/move-node/from --to $S/move-node/to >"$tmp/move.json" 2>/dev/null
if python3 - "$tmp/move-mbb.json" "$tmp/move.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
assert m["order"] == "make-before-break" and len(m["orders"]) == 1, m["orders"]
l = m["losses"]
assert len(l) == 4, l
for x in l:
    assert 2.0 <= x["duration_s"] < 2.1, x
    assert x["end_s"] is not None and x["restored_by"], x
assert {x["node"] for x in l} == {"node-01", "node-02", "node-03"}
d = json.load(open(sys.argv[2]))
assert d["ok"] and d["order"] == "temporary-peers" and d["losses"] == [], d["losses"]
assert [x["order"] for x in d["orders"]] == ["given", "make-before-break", "router-first", "router-last", "together", "temporary-peers"]
assert [x["routes_lost"] for x in d["orders"]] == [4, 4, 4, 4, 4, 0], d["orders"]
assert [x["chosen"] for x in d["orders"]] == [False] * 5 + [True]
s = d["steps"]
assert [x["files"] for x in s] == [["rr2.ios"], ["(temporary)"], ["node-03.yaml"], ["rr1.ios"], ["(temporary)"]], s
assert [c["change"] for c in s[1]["changes"]] == ["added"] and s[1]["changes"][0]["speaker"] == "node-03"
assert s[4]["changes"] == [] and s[4]["sessions_established"] == 4
p = d["plan"]
assert [(x["step"], x["kind"]) for x in p] == [(1, "router"), (2, "apply"), (3, "apply"), (4, "router"), (5, "delete")], p
assert p[1]["resource"]["name"] == p[4]["resource"]["name"] == "rollout-tmp-node-03-rr2", p
assert p[1]["resource"]["kind"] == "BGPPeer" and p[1]["tool"] == "calicoctl"
# orders with the very same steps are rehearsed once
assert [x["same_as"] for x in d["orders"]] == [None, None, None, "given", "router-first", None], d["orders"]
assert d["orders"][3]["node_seconds"] == d["orders"][0]["node_seconds"]
assert m["summary"]["routes_lost"] == 4 and not m["ok"]
assert d["end_state"]["verdict"]["ok"] is True
s = m["steps"]
assert [x["files"] for x in s] == [["rr2.ios"], ["node-03.yaml"], ["rr1.ios"]], s
assert s[1]["at_s"] - s[0]["at_s"] == 30
EOF
then pass=$((pass + 1)); echo "ok   move-node intervals"; else failn=$((failn + 1)); echo "FAIL move-node intervals"; fi

# --format svg: well-formed XML; each row's intervals are the union of
# its nodes' intervals in the JSON of the same run, the steps at the
# JSON's times
cat >"$tmp/svg.py" <<'EOF'
import json, sys
import xml.etree.ElementTree as E
ns = "{http://www.w3.org/2000/svg}"
svg = E.parse(sys.argv[1]).getroot()
d = json.load(open(sys.argv[2]))
end = d["end_s"]
rows = [g for g in svg.iter(ns + "g") if g.get("class") == "group"]
assert len(rows) == len({x["story"] for x in d["groups"]}), (len(rows), d["groups"])
seen = set()
for g in rows:
    nodes = set(g.get("data-nodes").split())
    assert nodes and not nodes & seen
    seen |= nodes
    assert len({x["story"] for x in d["groups"] if x["node"] in nodes}) == 1
    iv = sorted((x["start_s"], x["end_s"] if x["end_s"] is not None else end)
                for x in d["losses"] if x["node"] in nodes)
    merged = []
    for a, b in iv:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    got = [[float(r.get("data-start-s")), float(r.get("data-end-s"))]
           for r in g.iter(ns + "rect") if r.get("class") == "loss"]
    assert got == merged, (sorted(nodes), got, merged)
assert seen == {x["node"] for x in d["groups"]}
steps = [float(g.get("data-at-s")) for g in svg.iter(ns + "g") if g.get("class") == "step"]
assert steps == [x["at_s"] for x in d["steps"]], steps
EOF
n=0
for c in "--order given $m" "--from $S/move-node/from --to $S/move-node/to" \
	"--from $tmp/svc-a --to $tmp/svc-b" "$t"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$O/rrkit" rollout --format svg="$tmp/t$n.svg" --format json="$tmp/t$n.json" $c >/dev/null 2>&1
	if python3 "$tmp/svg.py" "$tmp/t$n.svg" "$tmp/t$n.json"; then
		pass=$((pass + 1)); echo "ok   svg $n"
	else
		failn=$((failn + 1)); echo "FAIL svg $n: $c"
	fi
done
expect svg-and-text 2 'text and svg both to one output' --format text --format svg $m

# JSON: valid against the schema, strictly; the end state's verdict
# against sim's; the same bytes twice
cat >"$tmp/schema.py" <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
sim = json.load(open(sys.argv[2]))
def strict(o):
    if isinstance(o, dict):
        if "properties" in o and o.get("type") == "object" and "verdict" not in o["properties"]:
            o["additionalProperties"] = False
        for v in o.values():
            strict(v)
    elif isinstance(o, list):
        for v in o:
            strict(v)
strict(schema)
strict(sim)
v = jsonschema.Draft7Validator(schema)
vv = jsonschema.Draft7Validator({"$ref": "#/definitions/verdict", "definitions": sim["definitions"]})
bad = 0
for f in sys.argv[3:]:
    d = json.load(open(f))
    for e in list(v.iter_errors(d)) + list(vv.iter_errors(d["end_state"]["verdict"])):
        print("%s: %s at %s" % (f, e.message, "/".join(map(str, e.absolute_path))))
        bad += 1
sys.exit(1 if bad else 0)
EOF
if python3 -c 'import jsonschema' 2>/dev/null; then
	n=0
	for c in "$m" "--order given $m" "--from $S/add-second-rr/from --to $S/add-second-rr/to" \
		"--from $S/cluster-id/from --to $S/cluster-id/to" "--step $tmp/s1 $m" "$t" \
		"--from $S/mesh-to-two-rr/to --to $tmp/del" "--from $tmp/svc-a --to $tmp/svc-b" "$W"; do
		n=$((n + 1))
		# shellcheck disable=SC2086
		"$O/rrkit" rollout --format json $c >"$tmp/v$n.json" 2>/dev/null
	done
	cp "$tmp/move.json" "$tmp/v0.json"
	if python3 "$tmp/schema.py" docs/schemas/rollout.schema.json docs/schemas/sim.schema.json "$tmp"/v*.json; then
		pass=$((pass + 1))
		echo "ok   json schema: $(ls "$tmp"/v*.json | wc -l) documents valid"
	else
		failn=$((failn + 1))
		echo "FAIL json schema"
	fi
else
	echo "rollout: json schema check skipped: python3-jsonschema missing (tools/deps.sh installs it)"
fi
# shellcheck disable=SC2086
"$O/rrkit" rollout --format json --order given $m >"$tmp/a.json" 2>/dev/null
# shellcheck disable=SC2086
"$O/rrkit" rollout --format json --order given $m >"$tmp/b.json" 2>/dev/null
if cmp -s "$tmp/a.json" "$tmp/b.json"; then pass=$((pass + 1)); echo "ok   deterministic"; else failn=$((failn + 1)); echo "FAIL deterministic"; fi
# both formats at once, each to its file
# shellcheck disable=SC2086
if "$O/rrkit" rollout --format text="$tmp/r.txt" --format json="$tmp/r.json" $m >/dev/null 2>&1 &&
	grep -q '^rollout: ok' "$tmp/r.txt" && python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/r.json"; then
	pass=$((pass + 1)); echo "ok   two outputs"
else
	failn=$((failn + 1)); echo "FAIL two outputs"
fi

# two racks swap reflectors (samples/rollout/swap-racks): each router's
# change adds neighbors and removes others, so it is two steps, its new
# neighbors then the rest; with the nodes bridged by temporary BGPPeers
# between them, nothing is lost (one step per router file lost 10 routes)
expect swap-racks 0 '^rollout: ok: 8 steps \(order temporary-peers\), 0 routes lost~^step 1 at .*: rr1.ios \(its new neighbors\): 2 added, 0 removed~^step 2 at .*: rr2.ios \(its new neighbors\): 2 added, 0 removed~^step 6 at .*: rr1.ios \(the rest\): 0 added, 2 removed~^   1\. on rr1 \(as rr1.ios, its new neighbors: the removals come later\):$~^          neighbor 10.213.50.12 remote-as 64512$~^           neighbor 10.213.50.12 route-reflector-client$~^   6\. on rr1 \(as rr1.ios, the rest\):$~^          no neighbor 10.213.50.10$~^orders tried \(6 changes; 6 orders' $W
# the same swap on the routers only (every node has a BGPPeer to both
# reflectors, each accepts its racks): make-before-break, both routers'
# new neighbors first, loses nothing; the end state refuses the sessions
# of the racks a reflector no longer takes (exit 1 for that alone)
mkdir -p "$tmp/ro-from" "$tmp/ro-to"
for side in from to; do
	cp $S/swap-racks/from/nodes.yaml $S/swap-racks/from/bgpconfiguration.yaml $S/swap-racks/$side/rr1.ios $S/swap-racks/$side/rr2.ios "$tmp/ro-$side/"
	for r in 1 2; do
		printf 'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: rr%s\nspec:\n  nodeSelector: all()\n  peerIP: 10.213.50.%s\n  asNumber: 64512\n' $r $r >"$tmp/ro-$side/bgppeer-rr$r.yaml"
	done
done
expect swap-routers-only 1 '^rollout: NOT OK: 4 steps \(order make-before-break\), 0 routes lost for 0.000 node-seconds, end state NOT OK~^step 2 at .*: rr2.ios \(its new neighbors\): 2 added, 0 removed~^step 3 at .*: rr1.ios \(the rest\): 0 added, 2 removed~^  given +[1-9][0-9]* routes lost~node-without-neighbor' --from "$tmp/ro-from" --to "$tmp/ro-to"

# the live case tests/interop/rollout/swap-racks plays the states of the
# plan rrkit rollout gives for it: the search's steps make the very same
# session changes as those states given with --step
R=tests/interop/rollout/swap-racks
"$O/rrkit" rollout --format json --interval 6 --from $R/0-current --to $R/8-target >"$tmp/sw1.json" 2>/dev/null
# shellcheck disable=SC2046
"$O/rrkit" rollout --format json --interval 6 --from $R/0-current --to $R/8-target $(for s in 1-rr1-add 2-rr2-add 3-temporary 4-peer-r1 5-peer-r2 6-rr1-del 7-rr2-del; do echo --step $R/$s; done) >"$tmp/sw2.json" 2>/dev/null
if python3 - "$tmp/sw1.json" "$tmp/sw2.json" <<'EOF'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
assert a["order"] == "temporary-peers" and a["summary"]["routes_lost"] == 0
assert [s.get("router_part") for s in a["steps"]] == ["new-neighbors", "new-neighbors", None, None, None, "rest", "rest", None]
assert [s["changes"] for s in a["steps"]] == [s["changes"] for s in b["steps"]]
assert b["summary"]["routes_lost"] == 0
EOF
then
	pass=$((pass + 1)); echo "ok   swap-racks plan as played live"
else
	failn=$((failn + 1)); echo "FAIL swap-racks plan as played live"
fi

# more intervals than are kept one by one (RO_MAX_LOSSES, 100,000): 330
# nodes of one reflector whose cluster-id changes each lose the 329 other
# blocks (108,570 intervals); the kept ones are each closed by the session
# that came back (the loss bookkeeping finds them past the cap), the rest
# counted, and the totals hold every one
big="$tmp/big"
mkdir -p "$big/from" "$big/to"
awk 'BEGIN {
	print "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  nodeToNodeMeshEnabled: false\n  asNumber: 64512"
	print "---\napiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: rr1\nspec:\n  nodeSelector: all()\n  peerIP: 10.0.0.1\n  asNumber: 64512"
	print "---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pods\nspec:\n  cidr: 100.64.0.0/10\n  blockSize: 26\n  ipipMode: Never\n  vxlanMode: Never"
	for (i = 0; i < 330; i++) {
		printf "---\napiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: n%d\nspec:\n  bgp:\n    ipv4Address: 10.0.%d.%d/8\n", i, int(i / 200) + 1, i % 200 + 10
		printf "---\napiVersion: crd.projectcalico.org/v1\nkind: BlockAffinity\nmetadata:\n  name: n%d-blk\nspec:\n  node: n%d\n  cidr: 100.64.%d.%d/26\n  state: confirmed\n  deleted: \"false\"\n", i, i, int(i / 4), (i % 4) * 64
	}
}' >"$big/from/calico.yaml"
cp "$big/from/calico.yaml" "$big/to/calico.yaml"
for id in 1 3; do
	awk -v id=$id 'BEGIN {
		print "hostname rr1\n!\ninterface GigabitEthernet0/0\n ip address 10.0.0.1 255.0.0.0\n!\nrouter bgp 64512\n bgp router-id 10.0.0.1\n bgp cluster-id " id
		for (i = 0; i < 330; i++)
			printf " neighbor 10.0.%d.%d remote-as 64512\n", int(i / 200) + 1, i % 200 + 10
		print " address-family ipv4"
		for (i = 0; i < 330; i++)
			printf "  neighbor 10.0.%d.%d route-reflector-client\n", int(i / 200) + 1, i % 200 + 10
		print " exit-address-family\n!\nend"
	}' >"$big/rr1-$id.ios"
done
mv "$big/rr1-1.ios" "$big/from/rr1.ios"
mv "$big/rr1-3.ios" "$big/to/rr1.ios"
for bin in $bins; do
	ASAN_OPTIONS=detect_leaks=1 timeout 120 "$bin" rollout --order given --format json \
		--from "$big/from" --to "$big/to" >"$tmp/big.json" 2>"$tmp/big.err"
	st=$?
	if [ $st = 1 ] && python3 - "$tmp/big.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = d["totals"] if "totals" in d else d
def find(o, k):
    if isinstance(o, dict):
        if k in o:
            return o[k]
        for v in o.values():
            r = find(v, k)
            if r is not None:
                return r
    return None
n = 330 * 329
ls = d["losses"]
assert find(d, "intervals") == n, find(d, "intervals")
assert find(d, "routes_lost") == n, find(d, "routes_lost")
assert len(ls) == 100000 and find(d, "losses_left_out") == n - 100000
assert all(l["end_s"] is not None and l["restored_by"] for l in ls), "an interval kept not closed"
assert len({(l["node"], l["prefix"]) for l in ls}) == 100000
# every node loses every block for the same 2.006 s (Cease 6/6, BIRD's
# connect delay): the intervals past the cap are in the total
assert all(l["duration_s"] == 2.006 for l in ls)
assert abs(find(d, "node_seconds") - n * 2.006) < 0.5, find(d, "node_seconds")
PY
	then
		pass=$((pass + 1)); echo "ok   more intervals than kept ($(basename "$(dirname "$bin")"))"
	else
		failn=$((failn + 1)); echo "FAIL more intervals than kept ($bin, status $st)"; head -5 "$tmp/big.err"
	fi
done

echo "rollout: $pass passed, $failn failed"
[ $failn = 0 ]
