import subprocess, os, sys
# Regenerate docs/rules.md from validate/rules.c and the broken samples:
#   make all && python3 tools/gen-rules-doc.py
root=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
docs = {
'as-invalid': ("An AS number that cannot be used: AS 0 (RFC 7607), 23456 (AS_TRANS, RFC 6793), 65535 and 4294967295 (RFC 7300), a value out of range or a bad asdot; or a BGPPeer with a `peerIP` and no `asNumber`, which BIRD renders as `as 0` and refuses.",
  "A reserved AS is refused in OPEN or by the daemon's own config check; BIRD rejects the whole generated config, so calico-node keeps the old one.",
  "Use the AS the peer really runs; give every `peerIP` BGPPeer an `asNumber`."),
'as-mismatch': ("A session whose two ends disagree on the AS: a router's `neighbor X remote-as N` (or a peer-group's, or a listen range's) differs from the AS the node announces (Node `asNumber`, else BGPConfiguration `asNumber`, else 64512; `localASNumber` on its BGPPeer), or a BGPPeer's `asNumber` differs from the router's `router bgp` (or `local-as`). Checked in both directions; the note points at the other side. One wrong line shared by many sessions (a peer-group, a listen range, the cluster's `asNumber`) is one finding counting them all.",
  "The OPEN carries the wrong AS: NOTIFICATION 2/2 Bad Peer AS, `Idle BGP Error: Bad peer AS` in `calicoctl node status` (calico#2021, #2373).",
  "Make `remote-as` equal to the node's AS (or fix the node's/BGPPeer's `asNumber`)."),
'as-path-loop': ("Routes dropped because their AS_PATH holds the receiver's own AS: nodes of one AS behind an eBGP router or top-of-rack (or two racks in one AS behind a spine) receive each other's blocks with their own AS in the path (RFC 4271 \u00a79.1.2).",
  "Every node drops the others' blocks; the sessions are all Established, so nothing looks wrong.",
  "Set `numAllowedLocalASNumbers: 1` on the nodes' BGPPeer (BIRD `allow local as`), `neighbor X as-override` or `allowas-in` on the router, or give each rack its own AS."),
'bgpfilter-missing': ("A BGPPeer `filters` entry that names no BGPFilter (names are case-sensitive). calicoctl and the Calico API server refuse to create or update such a BGPPeer (libcalico-go `clientv3` BGPPeer validation: \"BGPFilter(s) not found\"), but nothing stops the BGPFilter being deleted afterwards, and a `crd.projectcalico.org/v1` BGPPeer applied with kubectl is not checked.",
  "calico-node's confd looks each name up and skips the ones it does not find (`buildImportFilter`/`buildExportFilter` in confd's `bgp_processor.go`): the session comes up without the filter and nothing is logged, so every route the filter was meant to stop (or change) passes. rrkit's analysis and `sim` do the same: the findings and routes shown are those of the session without the filter.",
  "Create the BGPFilter, or correct or remove the name in `filters`."),
'block-outside-pool': ("A node's block outside every IPPool, which another Calico node would have to pass on (an in-cluster route reflector, a node between two eBGP peers).",
  "calico-node re-exports only routes inside its IPPools (`calico_export_to_bgp_peers` in confd's bird_ipam.cfg.template): the block stops at the first node in the way.",
  "Create (or restore) the IPPool the block was allocated from, or release the stale BlockAffinity."),
'calico-invalid': ("A resource Calico itself rejects: bad values (found by the parser), field combinations its CEL rules forbid (`node` with `nodeSelector`, `peerIP` with `peerSelector`, `asNumber` with `peerSelector`, `reachableBy` without `peerIP`, `keepOriginalNextHop` with `nextHopMode`, ...), BGPConfiguration fields only `default` may set on a `node.<name>` one, community values and names (undefined, malformed), names that are not DNS-1123 subdomains (a `projectcalico.org/v3` resource's name, a community's name: libcalico-go's validator), two nodes with one BGP address.",
  "`calicoctl apply` or the API server refuses the resource, or calico-node refuses to start; what you reviewed is not what runs.",
  "Fix the field the message names (libcalico-go lib/validator/v3, Calico's CRD validation rules)."),
'client-reflection-off': ("`no bgp client-to-client reflection` on a reflector whose clients need it to learn each other's routes (they do not mesh).",
  "The reflector passes client routes only to non-clients; between clients nothing is reflected.",
  "Remove `no bgp client-to-client reflection` (it is for clients that are fully meshed)."),
'cluster-id-conflict': ("Retired. It warned when two reflectors serving the same client used different cluster-ids. The analysis shows that design is valid: each reflector is then its own cluster and accepts the other's reflections, so every client gets every route (twice) \u2014 real daemons deliver everything. It also named reflectors a node does not peer with. Breakage that cluster-ids really cause is `cluster-id-shared`.",
  "The id stays accepted by `--disable`/`--only` so existing CI configurations keep working; it is never reported.",
  "Nothing to fix. `samples/broken/cluster-id-conflict/` is kept as the two-cluster design that now lints clean."),
'cluster-id-missing': ("A reflector with route-reflector clients and no `bgp cluster-id`.",
  "IOS then uses its router id as the cluster id; adding a second reflector later silently gives them different ids, and a router-id change changes the cluster.",
  "Set `bgp cluster-id` explicitly."),
'cluster-id-shared': ("Routes dropped on CLUSTER_LIST (RFC 4456 \u00a78): a reflector receives a reflected route whose CLUSTER_LIST already holds its own cluster-id \u2014 two reflectors share one cluster-id while the sessions that come up (BGPPeer selectors, neighbors) home some clients to one of them only. Found from the sessions that really come up, not from neighbor lines.",
  "What one reflector reflects to the other is discarded, so single-homed clients of different reflectors never learn each other's pod routes.",
  "Give every client sessions to both reflectors, or give the reflectors different cluster-ids."),
'hold-time-invalid': ("A hold time of 1 or 2 s (`timers bgp K H`, `neighbor X timers K H`), or below the receiver's minimum (`timers bgp K H M`): the peer refuses the OPEN; a keepalive not below the hold time (as written, or a Calico `keepaliveTime` not below the hold time negotiated with the router: BIRD sends keepalives at the configured interval and the router's hold timer expires, so the session flaps).",
  "RFC 4271 \u00a74.2 allows 0 or at least 3 s: peers answer NOTIFICATION 2/6 Unacceptable Hold Time; a keepalive at or above the hold time lets the session expire between keepalives.",
  "Use hold 0 or >= 3 and keepalive about a third of it (e.g. `timers bgp 10 30`)."),
'ios-invalid': ("A line of an IOS configuration that IOS itself refuses: an address or mask that is not one, a number out of range, a neighbor command for an address that has no `remote-as` (or peer-group) yet, an undefined peer-group or template, a template of the wrong kind, a second `router bgp` with another AS, a regular expression that does not compile. A bad AS number is `as-invalid` instead.",
  "The router drops that one line and runs the rest: a setting you meant to make (here, a route-reflector client) is not there. rrkit does the same: the rest of the file is read, `show` and `sim` show the router without the line and exit 1, `lint` reports it with this id.",
  "Fix the word the caret points at; for \"not defined\", define the neighbor (`neighbor A remote-as N`) or the peer-group before the line that uses it."),
'listen-limit': ("More speakers dial a router's `bgp listen range` than `bgp listen limit` accepts (IOS default 100 dynamic neighbors).",
  "The router refuses every dynamic neighbor past the limit; which nodes lose their session depends on who connects first (rrkit takes the input order and says so).",
  "Raise `bgp listen limit` above the number of nodes, or use explicit neighbors."),
'maximum-prefix': ("A router neighbor with `neighbor X maximum-prefix N` (without `warning-only`) whose peer sends it more than N prefixes, counted after the neighbor's inbound policy in the converged network (a node's blocks and service routes, and what an in-cluster reflector or transit node passes on); or one whose peer sends more than N only while the network converges: when the session comes up, the peer sends what it holds without it before the paths over it arrive (a reflector that, once settled, prefers what this router reflects to it withdraws them then). IOS and FRR count at every UPDATE, so the session goes down; on a first start that depends on the order the UPDATEs arrive in (a note says so; FRR 8.4 with BIRD 1.6 in tests/interop went down), and each time the session comes back alone it goes down again. sim holds such a session down (the order its run plays is one of many) with the same finding.",
  "Past the limit IOS sends a Cease (maximum number of prefixes reached, RFC 4486) and keeps the neighbor down, `Idle (PfxCt)`, until `clear ip bgp` (or `restart M` minutes): every route of that node is gone, and the node loses the cluster's routes too. A cluster growing its IP pools or service ranges trips it without any change on the router.",
  "Raise N above what the peer sends (a node's blocks grow with its pods; add the service routes it advertises), or add `warning-only` to only log it."),
'mesh-not-disabled': ("The node-to-node mesh is on \u2014 explicitly, or by default because there is no `default` BGPConfiguration or it does not say `nodeToNodeMeshEnabled: false` \u2014 and the analysis, run again without the mesh sessions, finds every route still arrives over the other sessions (reflectors). Re-scoped: it used to fire whenever every node also peered with a reflector, including designs where the mesh carries routes nothing else carries (a top-of-rack that is not a reflector); following its advice there broke every route.",
  "BGPPeers add sessions, they do not replace the mesh (calico#3916): n(n-1)/2 sessions stay for nothing, and toggling the mesh around reflectors has stopped config updates (calico#3785).",
  "Set `nodeToNodeMeshEnabled: false` in the `default` BGPConfiguration."),
'neighbor-not-activated': ("A router neighbor not active for the family of its session: active in no address family under `no bgp default ipv4-unicast` (the router never starts the session), or active only in another family. Toward a Calico node, whose BIRD offers only its session's family (bird IPv4 unicast, bird6 IPv6 unicast), the two OPENs then share no family and IOS refuses the session with NOTIFICATION 2/7 (an IPv6 neighbor left active for IPv4 alone, as every neighbor is without `no bgp default ipv4-unicast`, and never activated under `address-family ipv6`); toward a router that offers that other family too, the session comes up and carries none of the routes. An error when it breaks a session or routes between the given speakers; a warning toward a peer rrkit was not given.",
  "IOS never starts a session for a neighbor active in no address family, and answers an OPEN that shares no family with 2/7 \"unsupported/disjoint capability\" (RFC 4760 §8, RFC 5492; FRR does the same, and calico-node shows `Received: Required capability missing`); Batfish checks neither.",
  "Add `neighbor X activate` under `address-family ipv4` (or `ipv6`)."),
'neighbor-one-sided': ("A router's neighbor is another router given to rrkit, and that router has no neighbor (nor listen range) for the first one's address.",
  "The second router refuses the connection; the session between the two (a reflector mesh, an uplink) never comes up.",
  "Add the neighbor on the other router, with the first router's source address."),
'neighbor-shutdown': ("A router neighbor under `neighbor X shutdown` whose session a node (or another router) wants.",
  "IOS keeps it `Idle (Admin)` and refuses the peer's connections: the node's session never comes up.",
  "Remove `neighbor X shutdown` (`no neighbor X shutdown`), or stop the node from peering."),
'neighbor-without-node': ("A router neighbor the nodes do not answer: its address is a node's, but no BGPPeer makes that node peer with this router; or no node has the address and the neighbor is iBGP or inside a node subnet (a node that is gone). The node's configuration says which sessions it wants, so this session is not counted as expected. One router's neighbors of this kind are one finding, the others listed as notes.",
  "The router keeps trying a session nobody answers; BIRD drops its connection (`Unexpected connect from unknown address`). Often a node renumbered or removed, or a BGPPeer selector that misses a node.",
  "Remove the neighbor, or fix the node address / BGPPeer selector."),
'next-hop-unreachable': ("A node's best route for a block points at a next hop that does not lead, speaker by speaker, to the node owning the block: two nodes claim one block, or a next hop rewritten to a speaker whose own route goes elsewhere.",
  "Traffic for those pods goes to the wrong node.",
  "Release the duplicate BlockAffinity; fix `next-hop-self` where the reflector does not forward."),
'node-isolated': ("A node with an address of a family but no BGP session of that family: the mesh is off (or the node is a reflector, which never meshes) and no BGPPeer gives it one.",
  "The node learns no routes and advertises none: its pods are unreachable from other nodes. The finding counts the routes lost.",
  "Widen the BGPPeer's `nodeSelector`, or add a BGPPeer for it."),
'node-without-address': ("A node owns a block (BlockAffinity) but has no BGP address of the block's family (`spec.bgp.ipv4Address` / `ipv6Address`, or the Kubernetes annotation): calico-node renders `# IPv4 disabled on this node` and runs no BGP for it (confd's bird.cfg.template).",
  "The block is never advertised: no other node reaches those pods. (Address autodetection that failed, or a Node resource written by hand.)",
  "Give the node its BGP address (or fix autodetection)."),
'node-without-neighbor': ("A node peers with a router or another node that has no session for the node's address: no `neighbor` (nor `bgp listen range`) on the router, or no protocol on the other node.",
  "IOS refuses the TCP connection from an unknown source; BIRD accepts and closes it (`Unexpected connect from unknown address`); the node stays `Active` / `Connect`.",
  "Add `neighbor <node> remote-as <AS>` (with `route-reflector-client` and `activate`), or a listen range covering the nodes."),
'nothing-analysed': ("No session between the given speakers could be analysed: only router configurations, only Calico manifests, or sessions only toward peers rrkit was not given.",
  "Zero checks passing is not a clean bill: an empty or one-sided lint used to print `0 errors` and exit 0.",
  "Give rrkit both sides (IOS configs and Calico manifests). To lint one side alone on purpose, `--disable nothing-analysed`."),
'parse-warning': ("A line of the IOS config or a field of a Calico resource the parser did not understand and skipped.",
  "What rrkit did not read it cannot check: a typo like `bgp log-neighbour-changes` is also refused by IOS.",
  "Fix the typo; if it is a valid command rrkit does not know, `--disable parse-warning` (docs/ios.md lists what is deliberately skipped)."),
'password-mismatch': ("One side of a session sets a TCP MD5 password and the other does not, or both set different ones (compared by hash; no secret is ever printed). A BGPPeer whose Secret is given without the key counts as no password (confd omits the line). A Secret rrkit was not given (a GitOps repository rarely holds its Secrets) is assumed to hold the password the peer sets: the session is analysed and a note says so; when the peer sets none, whether the session comes up depends on that Secret, and it is not analysed (a note), never an error.",
  "RFC 2385: every segment without the right signature is dropped silently; the session never leaves `Connect`/`Active` and nothing says why.",
  "Set the same password on both sides (IOS `neighbor X password`, Calico `password.secretKeyRef` to an existing Secret)."),
'peer-address-unknown': ("A node peers with an address that no router config or node given to rrkit owns (interfaces, or the inferred address). The session is not analysed (counted apart in the verdict line), not failed. Many BGPPeers naming one such address (a typo in a template) are one finding. It is an error when the routes are lost whatever is at that address: the node has no session up, and no given router or node peers with the address or accepts it from a listen range, so nothing there can carry the node's routes to the others (nor theirs to it).",
  "Typically a typo in `peerIP` (the router is at .1, the BGPPeer says .2); or a router rrkit was not given. When the node has no other way for its routes, the routes that cannot be analysed are counted apart too; when no peer outside the input could join the node to the others, they are counted missing.",
  "Fix the `peerIP`, or pass the router's config too."),
'peer-conflict': ("Two BGPPeers that produce the same session (the same node, or every node, toward the same peer address and port) with different settings (AS, password, TTL security, next hop, timers, filters, local AS...).",
  "confd visits BGPPeers in map order and keeps the first one that claims a session (confd pkg/backends/calico): which settings the node runs is not predictable, and can change on a calico-node restart.",
  "Merge the two BGPPeers, or make their node selectors disjoint."),
'peer-duplicate': ("Two BGP protocols of one node toward the same peer address and port: a BGPPeer toward a node the node-to-node mesh already peers with (`Node_X` beside `Mesh_X`, and the automatic reverse peering gives the other node the same pair). confd renders both (it merges only BGPPeers of one scope, and a node-specific key with a global one); BIRD runs one at a time: each BGP protocol locks the neighbor's address and port before it connects (`bgp_start` in BIRD 1.6's `proto/bgp/bgp.c`, object locks in `nest/locks.c`), and the first one in the configuration (confd sorts them by name) holds it.",
  "The second protocol stays in state `start`, `Idle` in `calicoctl node status` and adds nothing: the routes go over the first. Its own settings (password, timers, filters) never apply, and when the first is removed (the mesh disabled) the second takes over: a session restart, not a no-op. Checked against BIRD 1.6 in network namespaces: `Mesh_` Established, `Node_` start/Idle, stable.",
  "Remove the BGPPeer the mesh already covers, or disable the mesh (`nodeToNodeMeshEnabled: false`) if the BGPPeers are meant to replace it."),
'peer-unreachable': ("A session end with no way to reach its peer: an IOS eBGP neighbor without `ebgp-multihop` or `ttl-security` that is on no connected subnet (IOS keeps it Idle, \"not directly connected\"); a neighbor on no connected subnet that no static route covers on a router that runs no IGP (no route at all); a speaker with no address of the peer's family. Re-scoped: a neighbor reached only through an IGP (loopbacks over OSPF) is no longer an error — reachability the router's IGP provides is assumed and said in a note. The neighbors one router cannot reach are one finding (its routing table is the one root cause), counting every session.",
  "The router never opens the connection, or cannot answer it; the session stays `Idle`/`Active`.",
  "Add `ebgp-multihop`, peer on the connected address, add the static route (or the IGP), or give the speaker an address of the family."),
'peer-virtual-address': ("A node peers with a router's HSRP, VRRP or GLBP virtual address (`standby N ip A`, `vrrp N ip A`, `glbp N ip A`).",
  "A first-hop redundancy address answers ARP for hosts' default gateway; IOS does not run BGP on it, so the node's connection goes nowhere and the session never comes up.",
  "Point the BGPPeer's `peerIP` at the router's own interface address (one BGPPeer per router for redundancy)."),
'reachable-by-unused': ("A BGPPeer's `reachableBy` gateway is on none of the node's subnets (the node's BGP address and its prefix length), is the subnet's network or broadcast address, or is an address BIRD takes only with an interface (IPv6 link-local) or never (loopback, multicast). confd writes `route <peer>/32 via <gateway>;` in `bird_aggr.cfg` for it; BIRD 1.6 installs a `via` route only when the gateway is a neighbor on a connected subnet (`proto/static/static.c` `static_add`, `nest/neighbor.c` `neigh_find2`, `if_connected`), so the route is in neither BIRD's table nor the kernel's.",
  "The session (multihop, as confd writes every BGPPeer's) follows the node's other routes: rrkit assumes they reach the peer, as without `reachableBy`. What `reachableBy` is for -- the peer's address routed via the gateway whatever BGP learns -- is gone: a route to the peer's address learned over BGP can take the session's own traffic. (A gateway on the node's subnet that no input owns cannot be checked: a note says the sessions rely on it; if no host answers there, they fail with `No route to host`.)",
  "Set `reachableBy` to the node's gateway toward the peer, an address on the node's own subnet."),
'pool-encapsulation': ("An IPPool with `ipipMode` or `vxlanMode` `Always` or `CrossSubnet`.",
  "With encapsulation the pod traffic rides in tunnels: the BGP routes to the router are not what forwards it, and a native-routing design silently isn't.",
  "Set both modes to `Never` for native BGP routing."),
'pool-overlap': ("IPPools overlapping each other, the node network (a node's `ipv4Address` subnet) or a router interface subnet \u2014 Calico's default `192.168.0.0/16` does for many host networks.",
  "IPAM hands out node-network addresses to pods; NAT-outgoing and routing break (calico#1401).",
  "Choose a pool outside every host and router subnet."),
'port-mismatch': ("A speaker dials a port its peer does not listen on (a `peerIP: ip:port`, a Calico `listenPort`). IOS listens on 179 only. A warning while the session still comes up because the other side dials (a plain neighbor); an error when nobody else dials (a `bgp listen range` never does).",
  "The connections are refused; a design that works only one way is one change from down.",
  "Drop the port from `peerIP`, or make both ends use the same port."),
'route-policy-deny': ("An IOS `neighbor X route-map`, `prefix-list` or `filter-list` (in or out) that denies pod blocks a node should receive or send; the finding names the list that denied (evaluated as IOS does: first matching entry, implicit deny, an undefined route-map denies everything). Likewise a rule of a Calico BGPFilter named by the node's BGPPeer that rejects a block on export or import (evaluated as BIRD runs the functions calico-node's confd writes: the filters in the BGPPeer's order, the first matching rule decides, an accepting rule's operations apply); the finding points at the rule.",
  "The sessions are Established and nothing looks wrong; the denied blocks simply never arrive.",
  "Permit the pod blocks (for example a prefix-list entry for the IPPool with `le` the block size, or a BGPFilter `Accept` rule with `matchOperator: In` on the IPPool before the rejecting one), or remove the filter from the node neighbors."),
'router-id-duplicate': ("Two speakers with one BGP identifier where it matters: an iBGP session between them (the OPEN with the receiver's own identifier, or identifier 0, is refused) or a route reflected to one with the other as ORIGINATOR_ID (dropped, RFC 4456 \u00a78).",
  "RFC 4271 \u00a76.2: NOTIFICATION 2/3 Bad BGP Identifier (calico#689); reflected routes vanish without a message.",
  "Give the router its own `bgp router-id`; give nodes distinct addresses or `CALICO_ROUTER_ID`."),
'rr-client-ebgp': ("`route-reflector-client` on an eBGP neighbor.",
  "Route reflection is an iBGP mechanism (RFC 4456); IOS refuses the command, BIRD refuses the config (`Only internal neighbor can be RR client`).",
  "Remove `route-reflector-client`, or fix the neighbor's AS."),
'rr-client-missing': ("Routes that stop at a speaker because both the session they came in on and the one they would leave on are iBGP and neither is a route-reflector client: on IOS a reflector with two or more non-client node neighbors, on a Calico node a session without `rr client`. Found from the routes that do not arrive: node-to-node sessions, the mesh and in-cluster reflectors are accounted for.",
  "RFC 4456 \u00a76: a reflector passes a client's routes to everyone, but a non-client's routes only to clients; between two non-clients nothing is ever reflected (iBGP split horizon), so they never learn each other's pod routes.",
  "Add `neighbor X route-reflector-client` in `address-family ipv4` for every node."),
'rr-client-not-activated': ("A route-reflector client not active for its session's family: active in no address family under `no bgp default ipv4-unicast` (the router never starts the session), or only in another family: toward a Calico node, whose BIRD offers only its session's family, no family is shared and IOS refuses the OPEN (NOTIFICATION 2/7, as in `neighbor-not-activated`); toward a router offering the other family too, the session comes up and carries none of the routes.",
  "Looks configured, and `show run` shows the client line; the pods are still unreachable.",
  "Add `neighbor X activate` under `address-family ipv4`."),
'rr-client-single': ("A reflector with clients has exactly one iBGP node neighbor that is not a `route-reflector-client` (and the node does not mesh).",
  "Routes still flow \u2014 RFC 4456 \u00a76 reflects a client's routes to non-clients and a non-client's to clients \u2014 but the next node added the same way never learns this one's routes, and vice versa. Checked against real FRR in the interop tests.",
  "Add `neighbor X route-reflector-client` for it too."),
'selector-yaml-tag': ("An unquoted selector that starts with `!` (`nodeSelector: !has(route-reflector)`): YAML reads `!has(...)` as a tag, and the selector is lost.",
  "The BGPPeer silently becomes global: every node, reflectors included, peers with it (calico#2385).",
  "Quote the selector: `nodeSelector: \"!has(route-reflector)\"`."),
'service-multipath-missing': ("An IOS router that receives a service range (`serviceClusterIPs`, `serviceExternalIPs`, `serviceLoadBalancerIPs`, or a Service's own address under `externalTrafficPolicy: Cluster`) from several nodes over sessions that are up, with no `maximum-paths ibgp N` (iBGP) or `maximum-paths N` (eBGP). calico-node advertises those prefixes from every node that is not excluded, so the paths are equal; IOS installs only the best one. Counted from the nodes' own sessions to the router, after their BGPFilters; one finding per router and kind of session, located at `router bgp` (or the `maximum-paths 1` line), naming the line to add.",
  "Nothing is lost and every session is up, but all traffic to the range goes to one node (the lowest router id): that node's uplink and kube-proxy carry the whole cluster's service traffic, and when it fails the traffic moves to the next one only after BGP converges.",
  "Add `maximum-paths ibgp N` (or `maximum-paths N` for eBGP) under `router bgp`, N up to what the platform allows (`rrkit sim --routes` then shows the paths as `*m`)."),
'session-passive': ("Both ends of a session wait for the other to connect: IOS `transport connection-mode passive` on both routers, a BIRD `passive on` toward a passive peer, a listen range toward a passive speaker.",
  "Nobody dials; the session never comes up.",
  "Make one side active."),
'topology-partitioned': ("The sessions that come up form separate islands with no route between them: nodes homed to different reflectors (by BGPPeer selectors) whose reflectors do not peer, two clusters of nodes with no session in common. When a session that would join the islands is configured but down (an AS mismatch, `maximum-prefix`, a shutdown neighbor), the missing routes are counted on that session's finding instead: this rule is for islands that no configured session joins.",
  "Routes never cross from one island to the other although every session is Established.",
  "Peer the reflectors with each other (as clients or with distinct cluster-ids), or home every node to every reflector."),
'ttl-security': ("TTL security (GTSM, RFC 5082) on one side of a session only: IOS `neighbor X ttl-security hops N`, Calico `ttlSecurity` (BIRD `ttl security on`). The other side sends a low TTL (BIRD `multihop` sends 64, IOS eBGP 1 or its `ebgp-multihop` value; IOS iBGP sends 255, which passes).",
  "Every packet from the other side is dropped below the TTL threshold; the session never comes up and nothing logs why.",
  "Configure TTL security on both sides (or on neither)."),
'update-source-mismatch': ("A speaker connects from an address its peer has no session for (the peer expects another address, typically a loopback set by `update-source`), and the peer does not dial itself (passive). Or a Calico node (or router) dials an IOS router at one of its addresses while the router's neighbor for it has `update-source IF`: IOS opens that session from IF's address and takes it only there (Cisco IOS IP Routing: BGP Command Reference, `neighbor update-source`), so the node's connection is refused and the router's own, from IF's address, is refused by the node, which expects the address it dials. FRR 8.4 is no witness here: given the interface name of a loopback its namespace lacks it does not bring the session up either (`tests/interop/topo/update-source`), given the loopback's address it takes the node's connection.",
  "The peer refuses the connection; the session never comes up.",
  "Add `neighbor X update-source Loopback0` on the side that dials, or point the other side's neighbor at the address the connection really comes from. Toward an IOS neighbor with `update-source`: make the BGPPeer's `peerIP` that interface's address (`rrkit gen calico` does), or drop `update-source`."),
}
import sys
out=["# rrkit lint rules","",
"Every finding of `rrkit lint` carries one of these ids. Ids are an interface: CI configs",
"suppress them (`--disable ID`), so they are never renamed and never change meaning;",
"a rule the analysis showed to be wrong is re-scoped or retired (its section says so).",
"Each rule has a sample under `samples/broken/<id>/` that triggers it and no other rule",
"(the unit test `test_validate` checks that, and that this page lists exactly the",
"rule table). `rrkit lint --list-rules` prints the table.","",
"Two kinds. **Analysis** rules (topology, session, route reflection) explain what",
"`analyze/` found: a session that will not come up or a block that will not arrive",
"(an error, counting the sessions and routes it breaks), or a design one change away",
"from that (a warning). One root cause is one finding: a wrong line that many sessions",
"share is reported once, with the count and the first few places as notes. `rrkit sim`",
"names its failures with the same ids and words. **Local** rules check one value or",
"one resource.","",
"| id | severity | kind | family | finding |","|---|---|---|---|---|"]
root_rrkit=os.path.abspath(os.environ.get('RRKIT') or root+'/build/rrkit')
tab=subprocess.run([root_rrkit,'lint','--list-rules'],capture_output=True,text=True).stdout
import re
rows=[]
src=open(root+'/validate/rules.c').read()
for line in tab.splitlines():
    m=re.match(r'(\S+)\s+(\S+)\s+(\S+)\s+(.*)$', line)
    rid,sev,fam,summ=m.groups()
    blk=src[src.index('{"%s"' % rid):]
    blk=blk[:blk.index('},')]
    kind='analysis' if re.search(r'\bA\b', blk.split('",')[-1]) else 'local'
    rows.append((rid, sev, fam, summ, kind))
assert len(rows)==len(docs), (len(rows), len(docs))
for r in rows: out.append("| [`%s`](#%s) | %s | %s | %s | %s |" % (r[0], r[0], r[1], r[4], r[2], r[3]))
out.append("")
for r in rows:
    what, why, fix = docs[r[0]]
    out += ["## `%s`" % r[0], "", "**Severity:** %s. **Kind:** %s. **Family:** %s." % (r[1], r[4], r[2]), "",
            "**What it catches.** " + what, "", "**Why it matters.** " + why, "",
            "**How to fix it.** " + fix, ""]
    d=os.path.join(root,'samples/broken',r[0])
    ex=''
    for f in sorted(os.listdir(d)):
        first=open(os.path.join(d,f)).readline().strip()
        if 'BROKEN: ' in first:
            ex=first[first.index('BROKEN: ')+8:]
            break
    out += ["**Example** (`samples/broken/%s/`: %s):" % (r[0], ex), "", "```", "$ rrkit lint samples/broken/%s" % r[0]]
    res=subprocess.run([root_rrkit,'lint','samples/broken/'+r[0]],capture_output=True,text=True,cwd=root,env={'NO_COLOR':'1','PATH':'/usr/bin:/bin'})
    out += res.stdout.rstrip('\n').split('\n')
    out += ["```",""]
text='\n'.join(out)
if '--check' in sys.argv[1:]:
    # docs/rules.md must be what this script writes: a hand edit there is
    # lost at the next regeneration unless it is made here too
    cur=open(root+'/docs/rules.md').read()
    if cur!=text:
        import difflib
        sys.stdout.writelines(list(difflib.unified_diff(cur.splitlines(True), text.splitlines(True), 'docs/rules.md', 'generated'))[:40])
        print("docs/rules.md differs from tools/gen-rules-doc.py's output: edit the script and rerun it")
        sys.exit(1)
    print("ok", len(rows), "(docs/rules.md up to date)")
    sys.exit(0)
open(root+'/docs/rules.md','w').write(text)
print("ok", len(rows))
