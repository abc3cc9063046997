import subprocess, os
# Regenerate docs/rules.md from validate/rules.c and the broken samples:
#   make all && python3 tools/gen-rules-doc.py
root=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
docs = {
'as-invalid': ("An AS number that cannot be used: AS 0 (RFC 7607), 23456 (AS_TRANS, RFC 6793), 65535 and 4294967295 (RFC 7300), a value out of range or a bad asdot; or a BGPPeer with a `peerIP` and no `asNumber`, which BIRD renders as `as 0` and refuses.",
  "A reserved AS is refused in OPEN or by the daemon's own config check; BIRD rejects the whole generated config, so calico-node keeps the old one.",
  "Use the AS the peer really runs; give every `peerIP` BGPPeer an `asNumber`."),
'as-mismatch': ("A router's `neighbor X remote-as N` differs from the AS the node announces (Node `asNumber`, else BGPConfiguration `asNumber`, else 64512), or a BGPPeer's `asNumber` differs from the router's `router bgp`. Checked in both directions; the note points at the other side.",
  "The OPEN carries the wrong AS: NOTIFICATION 2/2 Bad Peer AS, `Idle BGP Error: Bad peer AS` in `calicoctl node status` (calico#2021, #2373).",
  "Make `remote-as` equal to the node's AS (or fix the node's/BGPPeer's `asNumber`)."),
'calico-invalid': ("A resource Calico itself rejects: bad values (found by the parser), field combinations its CEL rules forbid (`node` with `nodeSelector`, `peerIP` with `peerSelector`, `asNumber` with `peerSelector`, `reachableBy` without `peerIP`, `keepOriginalNextHop` with `nextHopMode`, ...), a `filters` name with no BGPFilter, two nodes with one BGP address.",
  "`calicoctl apply` or the API server refuses the resource, or calico-node refuses to start; what you reviewed is not what runs.",
  "Fix the field the message names (calico-semantics.md §2)."),
'cluster-id-conflict': ("Two IOS reflectors serve the same node as a client but use different cluster-ids.",
  "Usually an accident of copy-paste; with different ids each reflector accepts what the other reflects, so clients get every route twice and the reflectors carry each other's reflected routes.",
  "Decide: one cluster (same id on both) or two clusters on purpose; make the configs say so."),
'cluster-id-missing': ("A reflector with route-reflector clients and no `bgp cluster-id`.",
  "IOS then uses its router id as the cluster id; adding a second reflector later silently gives them different ids, and a router-id change changes the cluster.",
  "Set `bgp cluster-id` explicitly."),
'cluster-id-shared': ("Two reflectors that peer with each other share one cluster-id while some clients are served by one of them only.",
  "A reflector drops a route whose CLUSTER_LIST already holds its own cluster-id (RFC 4456 §8): what one reflects to the other is discarded, so single-homed clients of different reflectors never learn each other's pod routes.",
  "Give every client sessions to both reflectors, or give the reflectors different cluster-ids."),
'hold-time-invalid': ("A hold time of 1 or 2 s (`timers bgp K H`, `neighbor X timers K H`), a keepalive not below the hold time, or a Calico `keepaliveTime` not below the hold time negotiated with the router (min of 240 and the router's).",
  "RFC 4271 §4.2 allows 0 or at least 3 s: peers answer NOTIFICATION 2/6 Unacceptable Hold Time; a keepalive at or above the hold time lets the session expire between keepalives.",
  "Use hold 0 or >= 3 and keepalive about a third of it (e.g. `timers bgp 10 30`)."),
'ios-invalid': ("A line of an IOS configuration that IOS itself refuses: an address or mask that is not one, a number out of range, a neighbor command for an address that has no `remote-as` (or peer-group) yet, an undefined peer-group or template, a template of the wrong kind, a second `router bgp` with another AS, a regular expression that does not compile. A bad AS number is `as-invalid` instead.",
  "The router drops that one line and runs the rest: a setting you meant to make (here, a route-reflector client) is not there. rrkit does the same: the rest of the file is read, `show` and `sim` show the router without the line and exit 1, `lint` reports it with this id.",
  "Fix the word the caret points at; for \"not defined\", define the neighbor (`neighbor A remote-as N`) or the peer-group before the line that uses it."),
'mesh-not-disabled': ("The node-to-node mesh is on — explicitly, or by default because there is no `default` BGPConfiguration or it does not say `nodeToNodeMeshEnabled: false` — while every node also peers with a route reflector.",
  "BGPPeers add sessions, they do not replace the mesh (calico#3916): n(n-1)/2 sessions stay, and toggling the mesh around reflectors has stopped config updates (calico#3785).",
  "Set `nodeToNodeMeshEnabled: false` in the `default` BGPConfiguration."),
'neighbor-not-activated': ("Under `no bgp default ipv4-unicast`, a router neighbor (not a reflector client) that no `address-family` activates.",
  "IOS never starts a session for a neighbor active in no address family; Batfish does not check it (ios-bgp.md §1.6).",
  "Add `neighbor X activate` under `address-family ipv4`."),
'neighbor-without-node': ("A router neighbor (iBGP, or inside a node subnet) that is no Calico node's address, or a node no BGPPeer makes peer with this router.",
  "The router keeps trying a session nobody answers; BIRD drops its connection (`Unexpected connect from unknown address`). Often a node renumbered or removed, or a BGPPeer selector that misses a node.",
  "Remove the neighbor, or fix the node address / BGPPeer selector."),
'node-isolated': ("The mesh is off and a node has no BGP session at all: no BGPPeer selects it (a route-reflector node never meshes either).",
  "The node learns no routes and advertises none: its pods are unreachable from other nodes.",
  "Widen the BGPPeer's `nodeSelector`, or add a BGPPeer for it."),
'node-without-neighbor': ("A node peers with a router, but the router has no `neighbor` (nor `bgp listen range`) for the node's address.",
  "IOS refuses the TCP connection from an unknown source; the node stays `Active` / `Connect`.",
  "Add `neighbor <node> remote-as <AS>` (with `route-reflector-client` and `activate`), or a listen range covering the nodes."),
'parse-warning': ("A line of the IOS config or a field of a Calico resource the parser did not understand and skipped.",
  "What rrkit did not read it cannot check: a typo like `bgp log-neighbour-changes` is also refused by IOS.",
  "Fix the typo; if it is a valid command rrkit does not know, `--disable parse-warning` (docs/ios.md lists what is deliberately skipped)."),
'password-mismatch': ("One side of a node–router session sets a TCP MD5 password and the other does not, or both set different ones (compared by hash; no secret is ever printed). A BGPPeer whose Secret or key is missing counts as no password.",
  "RFC 2385: every segment without the right signature is dropped silently; the session never leaves `Connect`/`Active` and nothing says why.",
  "Set the same password on both sides (IOS `neighbor X password`, Calico `password.secretKeyRef` to an existing Secret)."),
'peer-address-unknown': ("A node peers with an address that no router config given to rrkit owns (interfaces, or the inferred address).",
  "Typically a typo in `peerIP` (the router is at .1, the BGPPeer says .2); or a router rrkit was not given.",
  "Fix the `peerIP`, or pass the router's config too."),
'peer-conflict': ("Two BGPPeers that produce the same session (the same node, or every node, toward the same peer address and port) with different settings (AS, password, TTL security, next hop, timers, filters, local AS...).",
  "confd visits BGPPeers in map order and keeps the first one that claims a session (calico-semantics.md R13): which settings the node runs is not predictable, and can change on a calico-node restart.",
  "Merge the two BGPPeers, or make their node selectors disjoint."),
'peer-unreachable': ("A router neighbor that no connected subnet and no static route of the router covers.",
  "IOS cannot open TCP to it; the session stays `Idle`/`Active`.",
  "Fix the neighbor address, or add the interface or route that reaches it."),
'pool-encapsulation': ("An IPPool with `ipipMode` or `vxlanMode` `Always` or `CrossSubnet`.",
  "With encapsulation the pod traffic rides in tunnels: the BGP routes to the router are not what forwards it, and a native-routing design silently isn't.",
  "Set both modes to `Never` for native BGP routing."),
'pool-overlap': ("IPPools overlapping each other, the node network (a node's `ipv4Address` subnet) or a router interface subnet — Calico's default `192.168.0.0/16` does for many host networks.",
  "IPAM hands out node-network addresses to pods; NAT-outgoing and routing break (calico#1401).",
  "Choose a pool outside every host and router subnet."),
'port-mismatch': ("A node dials a router on a port other than 179 (`peerIP: ip:port`, or a listen port).",
  "IOS accepts BGP on 179 only: the node's connections are refused. The session still comes up when the router dials the node (a plain neighbor; checked in rrkit sim), but never with a `bgp listen range` — the router never dials those — and the config says something it does not do.",
  "Drop the port from `peerIP`."),
'router-id-duplicate': ("Two iBGP speakers (routers or nodes) with one router id.",
  "RFC 4271 §6.2: an OPEN with the receiver's own identifier is rejected with NOTIFICATION 2/3 Bad BGP Identifier (calico#689).",
  "Give the router its own `bgp router-id`; give nodes distinct addresses or `CALICO_ROUTER_ID`."),
'rr-client-ebgp': ("`route-reflector-client` on an eBGP neighbor.",
  "Route reflection is an iBGP mechanism (RFC 4456); IOS refuses the command, BIRD refuses the config (`Only internal neighbor can be RR client`).",
  "Remove `route-reflector-client`, or fix the neighbor's AS."),
'rr-client-missing': ("Two or more iBGP router neighbors that are Calico nodes (with the mesh off) and not `route-reflector-client`s.",
  "RFC 4456 §6: a reflector passes a client's routes to everyone, but a non-client's routes only to clients; between two non-clients nothing is ever reflected (iBGP split horizon), so they never learn each other's pod routes. (A single non-client still learns everything; checked against real FRR in the interop tests.)",
  "Add `neighbor X route-reflector-client` in `address-family ipv4` for every node."),
'rr-client-not-activated': ("A route-reflector client not active for IPv4 unicast under `no bgp default ipv4-unicast`: active in no address family (the router never starts the session), or only in another family (the session comes up and carries no IPv4 routes).",
  "Looks configured, and `show run` shows the client line; the pods are still unreachable.",
  "Add `neighbor X activate` under `address-family ipv4`."),
'selector-yaml-tag': ("An unquoted selector that starts with `!` (`nodeSelector: !has(route-reflector)`): YAML reads `!has(...)` as a tag, and the selector is lost.",
  "The BGPPeer silently becomes global: every node, reflectors included, peers with it (calico#2385).",
  "Quote the selector: `nodeSelector: \"!has(route-reflector)\"`."),
}
import sys
out=["# rrkit lint rules","",
"Every finding of `rrkit lint` carries one of these ids. Ids are an interface: CI configs",
"suppress them (`--disable ID`), so they are never renamed and never change meaning.",
"Each rule has a sample under `samples/broken/<id>/` that triggers it and no other rule",
"(the unit test `test_validate` checks that, and that this page lists exactly the",
"rule table). `rrkit lint --list-rules` prints the table.","",
"| id | severity | family | finding |","|---|---|---|---|"]
tab=subprocess.run([root+'/build/rrkit','lint','--list-rules'],capture_output=True,text=True).stdout if os.path.exists(root+'/build/rrkit') else ''
import re
rows=[]
src=open(root+'/validate/rules.c').read()
for m in re.finditer(r'\{"([a-z-]+)", "([a-z]+)", RR_SEV_(ERROR|WARNING),\s*((?:"[^"]*"\s*)+)\}', src):
    summ=''.join(re.findall(r'"([^"]*)"', m.group(4)))
    rows.append((m.group(1), m.group(3).lower(), m.group(2), summ))
assert len(rows)==len(docs), (len(rows), len(docs))
for r in rows: out.append("| [`%s`](#%s) | %s | %s | %s |" % (r[0], r[0], r[1], r[2], r[3]))
out.append("")
for r in rows:
    what, why, fix = docs[r[0]]
    out += ["## `%s`" % r[0], "", "**Severity:** %s. **Family:** %s." % (r[1], r[2]), "",
            "**What it catches.** " + what, "", "**Why it matters.** " + why, "",
            "**How to fix it.** " + fix, ""]
    ex = open(os.path.join(root,'samples/broken',r[0],'router.ios')).readline().strip()[len('! BROKEN: '):]
    out += ["**Example** (`samples/broken/%s/`: %s):" % (r[0], ex), "", "```", "$ rrkit lint samples/broken/%s" % r[0]]
    if os.path.exists(root+'/build/rrkit'):
        res=subprocess.run([root+'/build/rrkit','lint','samples/broken/'+r[0]],capture_output=True,text=True,cwd=root,env={'NO_COLOR':'1','PATH':'/usr/bin:/bin'})
        out += res.stdout.rstrip('\n').split('\n')
    out += ["```",""]
open(root+'/docs/rules.md','w').write('\n'.join(out))
print("ok", len(rows))
