"""Families of cluster designs that operators run, each built from a seed.

Every family returns a `Design` (design.py) that is correct as built: the
sessions come up and every node learns every other node's pod blocks.
The seed picks the sizes and the variants an operator would choose
between (how many nodes and racks, explicit `activate` lines or the IOS
default, `nodeSelector: all()` or a global BGPPeer, ...), so two seeds of
one family are two different real designs.

Address plan (shared with tests/interop, whose namespaces accept any
address): the node network 10.213.50.0/24 (routers .1 .2, nodes .10 up)
and fd00:213:50::/64; rack r 10.213.(60+r).0/24 (ToR .1); the spine
segment 10.213.49.0/24 (spine .1, ToR r .(10+r)); loopbacks
10.213.255.0/24; pods 10.244.0.0/16 in /26 blocks and fd00:10:244::/48 in
/122 blocks.

Families (name: what it is):
  rr1-neighbor, rr1-peer-group, rr1-listen-range
      one external IOS route reflector (`rrkit gen cisco --style` shapes,
      some in the flat NVGEN shape without address-family), mesh off, one
      BGPPeer for every node (nodeSelector all(), global, or one BGPPeer
      per node with spec.node)
  rr1-ipv6      the same, dual stack: IPv4 and IPv6 sessions and blocks
  rr2-shared    two reflectors with one cluster-id, every node homed to both
  rr2-distinct  two reflectors with their own cluster-ids, homed to both
  rr2-split     two reflectors (distinct ids) that peer with each other;
                nodeSelectors home each rack to one of them
  in-cluster-rr nodes with routeReflectorClusterID and the
                `peer-with-route-reflectors` BGPPeer of Calico's docs,
                plus an iBGP edge router peering with the reflector nodes
  tor-ibgp      AS per rack: a ToR reflecting for its rack's nodes (iBGP),
                eBGP from the ToRs to a spine
  tor-ebgp      AS per node: eBGP from every node to its rack's ToR
                (variant: ToR loopback peering with ebgp-multihop)
  tor-one-as    every node in one AS behind eBGP ToRs, the AS-path loop
                fixed by numAllowedLocalASNumbers on the BGPPeers
  tor-as-override  the same, fixed by IOS as-override on the ToRs
  tor-shared-as ToRs sharing one AS (allowas-in toward the spine), nodes
                in an AS per rack with numAllowedLocalASNumbers
  mesh          Calico's default: the node-to-node mesh, no router
  mesh-tor      the mesh plus a global BGPPeer to a ToR that is not a
                reflector (the mesh carries the routes)
  mesh-rr       the mesh left on next to a reflector that carries all
  rr1-policy    one external reflector whose route policy differs from
                node to node: a peer-group's inbound route-map with member
                overrides (IOS and FRR take a member's own inbound policy
                over the group's), or a listen range's group next to
                neighbors of their own (configured neighbors are never
                dynamic) with maps in and out; on the Calico side a
                BGPFilter on the BGPPeer of some nodes (a nodeSelector, or
                one node's spec.node) next to a BGPPeer without one.
                Every map and filter lets the pod blocks through, some
                setting LOCAL_PREF or MED on the way
  in-cluster-policy  in-cluster reflectors (as in-cluster-rr) with one
                peerSelector BGPPeer per rack, only rack r1's carrying a
                BGPFilter, and the edge router's route-maps on one of the
                reflector nodes only
"""
import ipaddress

from design import Calico, Design, Iface, Nbr, Node, Router

NET = ipaddress.ip_network("10.213.50.0/24")
NET6 = ipaddress.ip_network("fd00:213:50::/64")
POOL = ipaddress.ip_network("10.244.0.0/16")
POOL6 = ipaddress.ip_network("fd00:10:244::/48")
AS = 64512
CID_NODES = "244.0.0.1"


def host(net, i):
    return str(net.network_address + i)


def lo(i):
    return "10.213.255.%d/32" % i


def rack_net(r):
    return ipaddress.ip_network("10.213.%d.0/24" % (60 + r))


def add_blocks(d):
    c = d.calico
    c.pools.append(("default-ipv4-ippool", str(POOL), 26))
    if any(n.ipv6 for n in c.nodes):
        c.pools.append(("default-ipv6-ippool", str(POOL6), 122))
    for i, n in enumerate(c.nodes):
        c.blocks.append((n.name, "%s/26" % (POOL.network_address + 64 * i)))
        if n.ipv6:
            c.blocks.append((n.name, "%s/122" % (POOL6.network_address
                                                   + 64 * i)))


def flat_nodes(d, n, v6=False, racks=1):
    """n nodes on the node network; rack labels r1.. round robin."""
    for i in range(n):
        name = "node-%02d" % (i + 1)
        nd = Node(name, "%s/24" % host(NET, 10 + i),
                  "%s/64" % host(NET6, 0x10 + i) if v6 else None,
                  labels={"rack": "r%d" % (i % racks + 1)})
        d.calico.nodes.append(nd)


def node_ip(nd):
    return nd.ipv4.split("/")[0]


def node_ip6(nd):
    return nd.ipv6.split("/")[0]


def ios_router(name, addr, idx, asn=AS, cid=None, v6addr=None, rid=None):
    r = Router(name, asn, router_id=rid or addr, cluster_id=cid)
    r.ifaces.append(Iface("Loopback0", [lo(idx)]))
    addrs = ["%s/24" % addr] + (["%s/64" % v6addr] if v6addr else [])
    r.ifaces.append(Iface("GigabitEthernet0/0", addrs))
    r.ifaces.append(Iface("GigabitEthernet0/1", [], shutdown=True))
    r.statics.append("0.0.0.0 0.0.0.0 %s" % host(NET, 254))
    return r


def rr_clients(rng, r, nodes, style, explicit_activate=True):
    """The node neighbors of a reflector in one of gen cisco's styles."""
    d_act = explicit_activate
    if style == "neighbor":
        for nd in nodes:
            r.nbrs.append(Nbr(node_ip(nd), AS, description=nd.name,
                              rr_client=True, activate=d_act))
    elif style == "peer-group":
        r.nbrs.append(Nbr("CALICO", AS, group=True, rr_client=True,
                          activate=d_act))
        for nd in nodes:
            r.nbrs.append(Nbr(node_ip(nd), None, peer_group="CALICO",
                              description=nd.name, activate=False))
    elif style == "listen-range":
        r.nbrs.append(Nbr("CALICO", AS, group=True, rr_client=True,
                          activate=d_act))
        r.ranges.append((str(NET), "CALICO"))
    else:
        raise ValueError(style)


def peer(d, name, peer_ip, asn, selector="all()", **extra):
    spec = {}
    if selector is not None:
        spec["nodeSelector"] = selector
    spec["peerIP"] = peer_ip
    spec["asNumber"] = asn
    spec.update(extra)
    d.calico.peers.append((name, spec))


# ------------------------------------------------------------- families

def fam_rr1(style):
    def build(rng, seed, v6=False):
        d = Design("rr1-" + style if not v6 else "rr1-ipv6", seed)
        d.tags |= {"ext-rr", "rr1", "mesh-off", "style-" + style}
        n = rng.randint(3, 8)
        flat_nodes(d, n, v6=v6, racks=2)
        explicit = rng.random() < 0.5 or v6
        addr = host(NET, 1)
        r = ios_router("rr1", addr, 1, cid=rng.choice(["1", "10.213.255.1"]),
                       v6addr=host(NET6, 1) if v6 else None)
        r.comment = "route reflector for %d Calico nodes" % n
        rr_clients(rng, r, d.calico.nodes, style, explicit)
        if v6:
            d.tags.add("v6")
            r.default_ipv4 = False
            for nd in d.calico.nodes:
                r.nbrs.append(Nbr(node_ip6(nd), AS, description=nd.name,
                                  rr_client=True, family="ipv6"))
        d.routers.append(r)
        if not explicit:
            d.tags.add("implicit-activate")
        sel = rng.choice(["all()", None, "per-node"])
        if sel == "per-node":
            # one BGPPeer per node (spec.node), as some operators write them
            d.tags.add("per-node-peers")
            for nd in d.calico.nodes:
                d.calico.peers.append(("rr1-" + nd.name, {
                    "node": nd.name, "peerIP": addr, "asNumber": AS}))
        else:
            peer(d, "rr1", addr, AS, sel)
        if v6:
            peer(d, "rr1-v6", host(NET6, 1), AS,
                 sel if sel != "per-node" else "all()")
        # older IOS prints IPv4 unicast settings at router level (no
        # address-family block) while bgp default ipv4-unicast is on
        r.flat = not v6 and rng.random() < 0.3
        add_blocks(d)
        return d
    return build


def fam_rr1_ipv6(rng, seed):
    return fam_rr1("neighbor")(rng, seed, v6=True)


def two_rrs(d, rng, cids, homing):
    nodes = d.calico.nodes
    rrs = []
    for k in (1, 2):
        r = ios_router("rr%d" % k, host(NET, k), k, cid=cids[k - 1])
        mine = nodes if homing == "both" else \
            [nd for nd in nodes if nd.labels["rack"] == "r%d" % k]
        rr_clients(rng, r, mine, "neighbor", rng.random() < 0.5)
        r.comment = "route reflector %d of 2 for %d Calico nodes" % (k,
                                                                   len(mine))
        rrs.append(r)
    # the two reflectors peer with each other (iBGP, not clients)
    for k, r in enumerate(rrs):
        other = rrs[1 - k]
        r.nbrs.insert(0, Nbr(host(NET, 2 - k), AS, description=other.name))
    d.routers += rrs
    for k in (1, 2):
        sel = "all()" if homing == "both" else "rack == 'r%d'" % k
        peer(d, "rr%d" % k, host(NET, k), AS, sel)


def fam_rr2(kind):
    def build(rng, seed):
        d = Design("rr2-" + kind, seed)
        d.tags |= {"ext-rr", "rr2", "mesh-off", "style-neighbor", kind}
        flat_nodes(d, rng.randint(3, 8) if kind != "split" else
                   rng.randint(4, 10), racks=2)
        cids = {"shared": ["1", "1"], "distinct": ["1", "2"],
                "split": rng.choice([["1", "2"], ["10.213.255.1",
                                                  "10.213.255.2"]])}[kind]
        two_rrs(d, rng, cids, "split" if kind == "split" else "both")
        add_blocks(d)
        return d
    return build


def fam_rr2_ipv6(rng, seed):
    """Two reflectors (distinct cluster-ids) for dual-stack nodes, homed to
    both or split by rack; every session twice, over IPv4 and over IPv6
    (the reflectors' own too), each activated for its own family only
    (no bgp default ipv4-unicast)."""
    d = Design("rr2-ipv6", seed)
    d.tags |= {"ext-rr", "rr2", "mesh-off", "style-neighbor", "distinct",
               "v6"}
    homing = rng.choice(["both", "split"])
    flat_nodes(d, rng.randint(3, 6) if homing == "both" else
               rng.randint(4, 8), v6=True, racks=2)
    rrs = []
    for k in (1, 2):
        r = ios_router("rr%d" % k, host(NET, k), k, cid=str(k),
                       v6addr=host(NET6, k))
        r.default_ipv4 = False
        mine = d.calico.nodes if homing == "both" else \
            [nd for nd in d.calico.nodes if nd.labels["rack"] == "r%d" % k]
        rr_clients(rng, r, mine, "neighbor", True)
        for nd in mine:
            r.nbrs.append(Nbr(node_ip6(nd), AS, description=nd.name,
                              rr_client=True, family="ipv6"))
        r.comment = "route reflector %d of 2 for %d dual-stack Calico " \
            "nodes" % (k, len(mine))
        rrs.append(r)
    for k, r in enumerate(rrs):
        other = rrs[1 - k]
        r.nbrs.insert(0, Nbr(host(NET, 2 - k), AS, description=other.name))
        r.nbrs.insert(1, Nbr(host(NET6, 2 - k), AS, description=other.name,
                             family="ipv6"))
    d.routers += rrs
    for k in (1, 2):
        sel = "all()" if homing == "both" else "rack == 'r%d'" % k
        peer(d, "rr%d" % k, host(NET, k), AS, sel)
        peer(d, "rr%d-v6" % k, host(NET6, k), AS, sel)
    add_blocks(d)
    return d


def fam_in_cluster(rng, seed):
    d = Design("in-cluster-rr", seed)
    d.tags |= {"in-cluster", "mesh-off"}
    n = rng.randint(4, 10)
    nrr = rng.randint(1, 2)
    flat_nodes(d, n, racks=2)
    for nd in d.calico.nodes[:nrr]:
        nd.rr_cluster_id = CID_NODES
        nd.labels["route-reflector"] = "true"
    d.calico.peers.append(("peer-with-route-reflectors", {
        "nodeSelector": "all()",
        "peerSelector": "route-reflector == 'true'"}))
    if rng.random() < 0.75:
        d.tags.add("edge")
        addr = host(NET, 1)
        r = ios_router("edge1", addr, 1)
        r.comment = "edge router: iBGP with the in-cluster reflectors"
        for nd in d.calico.nodes[:nrr]:
            r.nbrs.append(Nbr(node_ip(nd), AS, description=nd.name))
        d.routers.append(r)
        peer(d, "edge1", addr, AS, "route-reflector == 'true'")
    add_blocks(d)
    return d


def tor_fabric(d, rng, racks, tor_as, node_as, rr=False, loopback=False,
               allowas=False):
    """Racks of nodes on 10.213.(60+r).0/24 behind ToRs, a spine above."""
    spine = Router("spine1", 65000, router_id="10.213.255.100")
    spine.ifaces.append(Iface("Loopback0", ["10.213.255.100/32"]))
    spine.ifaces.append(Iface("GigabitEthernet0/0", ["10.213.49.1/24"]))
    spine.comment = "spine: eBGP with every ToR"
    idx = 0
    for r in range(1, racks + 1):
        net = rack_net(r)
        tas = tor_as(r)
        tor = Router("tor%d" % r, tas, router_id="10.213.255.%d" % (10 + r),
                     cluster_id=("%d" % r) if rr else None)
        tor.ifaces.append(Iface("Loopback0", [lo(10 + r)]))
        tor.ifaces.append(Iface("GigabitEthernet0/0",
                                ["10.213.49.%d/24" % (10 + r)]))
        tor.ifaces.append(Iface("GigabitEthernet0/1", ["%s/24" % host(net, 1)]))
        tor.comment = "top of rack r%d" % r
        up = Nbr("10.213.49.1", 65000, description="spine1")
        if allowas:
            up.allowas_in = 1
        tor.nbrs.append(up)
        spine.nbrs.append(Nbr("10.213.49.%d" % (10 + r), tas,
                              description=tor.name))
        nodes = []
        for j in range(rng.randint(2, 4)):
            nd = Node("r%d-node-%d" % (r, j + 1), "%s/24" % host(net, 10 + j),
                      labels={"rack": "r%d" % r})
            a = node_as(r, idx)
            if a is not None:
                nd.asn = a
            idx += 1
            nodes.append(nd)
            nb = Nbr(node_ip(nd), a if a is not None else AS,
                     description=nd.name, rr_client=rr, next_hop_self=rr)
            if loopback:
                nb.update_source = "Loopback0"
                nb.ebgp_multihop = 2
            tor.nbrs.append(nb)
        d.calico.nodes += nodes
        d.routers.append(tor)
        tip = lo(10 + r).split("/")[0] if loopback else host(net, 1)
        extra = {}
        if loopback:
            extra["reachableBy"] = host(net, 1)
            # what reachableBy asks for: a route to the ToR's loopback
            for nd in nodes:
                d.routes.append((nd.name, tip + "/32", host(net, 1)))
        peer(d, "tor-r%d" % r, tip, tas, "rack == 'r%d'" % r, **extra)
    d.routers.append(spine)


def fam_tor_ibgp(rng, seed):
    d = Design("tor-ibgp", seed)
    d.tags |= {"tor", "ext-rr", "mesh-off", "style-neighbor"}
    d.calico.asn = None
    tor_fabric(d, rng, rng.randint(2, 3), lambda r: 65100 + r,
               lambda r, i: 65100 + r, rr=True)
    add_blocks(d)
    return d


def fam_tor_ebgp(rng, seed):
    d = Design("tor-ebgp", seed)
    d.tags |= {"tor", "ebgp", "mesh-off"}
    loopback = rng.random() < 0.4
    if loopback:
        d.tags.add("tor-loopback")
    tor_fabric(d, rng, rng.randint(2, 3), lambda r: 65100 + r,
               lambda r, i: 64600 + i, loopback=loopback)
    add_blocks(d)
    return d


def fam_tor_one_as(fix):
    def build(rng, seed):
        d = Design("tor-one-as" if fix == "allow-local-as" else
                   "tor-as-override", seed)
        d.tags |= {"tor", "ebgp", "mesh-off", "loop", "fix-" + fix}
        tor_fabric(d, rng, rng.randint(2, 3), lambda r: 65100 + r,
                   lambda r, i: None)
        if fix == "allow-local-as":
            for _, spec in d.calico.peers:
                spec["numAllowedLocalASNumbers"] = 1
        else:
            for r in d.routers:
                for nb in r.nbrs:
                    if nb.remote_as == AS:
                        nb.as_override = True
        add_blocks(d)
        return d
    return build


def fam_tor_shared_as(rng, seed):
    d = Design("tor-shared-as", seed)
    d.tags |= {"tor", "ebgp", "mesh-off", "loop", "allowas"}
    tor_fabric(d, rng, rng.randint(2, 3), lambda r: 65100,
               lambda r, i: 64600 + r, allowas=True)
    for _, spec in d.calico.peers:
        spec["numAllowedLocalASNumbers"] = 1
    add_blocks(d)
    return d


def fam_mesh(rng, seed):
    d = Design("mesh", seed)
    d.tags |= {"mesh-on"}
    flat_nodes(d, rng.randint(3, 8), racks=2)
    v = rng.choice(["unset", "true", "no-bgpconfig"])
    d.calico.mesh = None if v == "unset" else True
    d.calico.bgpconfig = v != "no-bgpconfig"
    add_blocks(d)
    return d


def fam_mesh_tor(rng, seed):
    d = Design("mesh-tor", seed)
    d.tags |= {"mesh-on", "tor-plain"}
    flat_nodes(d, rng.randint(3, 8), racks=2)
    d.calico.mesh = rng.choice([None, True])
    addr = host(NET, 1)
    r = ios_router("tor1", addr, 1)
    r.comment = "top of rack, iBGP with every node, not a route reflector"
    for nd in d.calico.nodes:
        r.nbrs.append(Nbr(node_ip(nd), AS, description=nd.name))
    d.routers.append(r)
    peer(d, "tor1", addr, AS, None)
    add_blocks(d)
    return d


def fam_mesh_rr(rng, seed):
    d = fam_rr1("neighbor")(rng, seed)
    d.family = "mesh-rr"
    d.tags = (d.tags - {"mesh-off"}) | {"mesh-on"}
    d.calico.mesh = True
    return d


POLICY = [
    "ip prefix-list PODS seq 5 permit %s le 32" % POOL,
    "!",
    "route-map CALICO-IN permit 10",
    " match ip address prefix-list PODS",
    "!",
    "route-map NODE-PREF-IN permit 10",
    " match ip address prefix-list PODS",
    " set local-preference 200",
    "!",
    "route-map NODE-MED-OUT permit 10",
    " set metric 50",
    "!",
]


def pods_filter(d, name, how):
    """A BGPFilter letting the pools through: Accept rules on import and
    export (how="accept"), or a Reject of a prefix no node sends
    (how="reject-other": the service range; BIRD falls through to the
    template's own filter)."""
    pools = [c for _, c, _ in d.calico.pools if ":" not in c]
    if how == "accept":
        rules = [{"action": "Accept", "matchOperator": "In", "cidr": p}
                 for p in pools]
        spec = {"exportV4": rules, "importV4": rules}
    else:
        spec = {"importV4": [{"action": "Reject", "matchOperator": "In",
                              "cidr": "10.96.0.0/12"}]}
    d.calico.filters.append((name, spec))


def fam_rr1_policy(rng, seed):
    d = Design("rr1-policy", seed)
    style = rng.choice(["peer-group", "listen-range"])
    d.tags |= {"ext-rr", "rr1", "mesh-off", "style-" + style, "policy"}
    n = rng.randint(4, 8)
    flat_nodes(d, n, racks=2)
    nodes = d.calico.nodes
    addr = host(NET, 1)
    r = ios_router("rr1", addr, 1, cid=rng.choice(["1", "10.213.255.1"]))
    r.comment = "route reflector for %d Calico nodes, policy per node" % n
    r.policy += POLICY
    explicit = rng.random() < 0.5
    r.nbrs.append(Nbr("CALICO", AS, group=True, rr_client=True,
                      activate=explicit, route_map_in="CALICO-IN"))
    special = rng.sample(nodes, rng.randint(1, 2))
    if style == "peer-group":
        for nd in nodes:
            nb = Nbr(node_ip(nd), None, peer_group="CALICO",
                     description=nd.name, activate=False)
            if nd in special:
                # a member's own inbound policy replaces the group's
                nb.route_map_in = "NODE-PREF-IN"
            r.nbrs.append(nb)
    else:
        r.ranges.append((str(NET), "CALICO"))
        for nd in special:
            # a configured neighbor inside the range: never dynamic
            r.nbrs.append(Nbr(node_ip(nd), AS, description=nd.name,
                              rr_client=True, activate=explicit or
                              rng.random() < 0.5,
                              route_map_in="NODE-PREF-IN",
                              route_map_out=rng.choice([None,
                                                        "NODE-MED-OUT"])))
    if not explicit:
        d.tags.add("implicit-activate")
    d.routers.append(r)
    add_blocks(d)
    how = rng.choice(["accept", "reject-other"])
    pods_filter(d, "pods-only", how)
    if rng.random() < 0.5:
        peer(d, "rr1-r1", addr, AS, "rack == 'r1'", filters=["pods-only"])
        peer(d, "rr1-others", addr, AS, "rack != 'r1'")
    else:
        one = rng.choice(nodes)
        d.calico.peers.append(("rr1-" + one.name, {
            "node": one.name, "peerIP": addr, "asNumber": AS,
            "filters": ["pods-only"]}))
        peer(d, "rr1-others", addr, AS,
             "kubernetes.io/hostname != '%s'" % one.name)
    return d


def fam_in_cluster_policy(rng, seed):
    d = Design("in-cluster-policy", seed)
    d.tags |= {"in-cluster", "mesh-off", "edge", "policy"}
    n = rng.randint(4, 10)
    nrr = 2
    flat_nodes(d, n, racks=2)
    for nd in d.calico.nodes[:nrr]:
        nd.rr_cluster_id = CID_NODES
        nd.labels["route-reflector"] = "true"
    add_blocks(d)
    pods_filter(d, "pods-only", rng.choice(["accept", "reject-other"]))
    for k in (1, 2):
        spec = {"nodeSelector": "rack == 'r%d'" % k,
                "peerSelector": "route-reflector == 'true'"}
        if k == 1:
            spec["filters"] = ["pods-only"]
        d.calico.peers.append(("r%d-with-route-reflectors" % k, spec))
    addr = host(NET, 1)
    r = ios_router("edge1", addr, 1)
    r.comment = "edge router: iBGP with the in-cluster reflectors"
    r.policy += POLICY
    for k, nd in enumerate(d.calico.nodes[:nrr]):
        nb = Nbr(node_ip(nd), AS, description=nd.name)
        if k == 0:
            nb.route_map_in = "NODE-PREF-IN"
            nb.route_map_out = rng.choice([None, "NODE-MED-OUT"])
        r.nbrs.append(nb)
    d.routers.append(r)
    peer(d, "edge1", addr, AS, "route-reflector == 'true'")
    return d


FAMILIES = {
    "rr1-neighbor": fam_rr1("neighbor"),
    "rr1-peer-group": fam_rr1("peer-group"),
    "rr1-listen-range": fam_rr1("listen-range"),
    "rr1-ipv6": fam_rr1_ipv6,
    "rr2-shared": fam_rr2("shared"),
    "rr2-distinct": fam_rr2("distinct"),
    "rr2-split": fam_rr2("split"),
    "rr2-ipv6": fam_rr2_ipv6,
    "in-cluster-rr": fam_in_cluster,
    "tor-ibgp": fam_tor_ibgp,
    "tor-ebgp": fam_tor_ebgp,
    "tor-one-as": fam_tor_one_as("allow-local-as"),
    "tor-as-override": fam_tor_one_as("as-override"),
    "tor-shared-as": fam_tor_shared_as,
    "mesh": fam_mesh,
    "mesh-tor": fam_mesh_tor,
    "mesh-rr": fam_mesh_rr,
    "rr1-policy": fam_rr1_policy,
    "in-cluster-policy": fam_in_cluster_policy,
}

__all__ = ["FAMILIES", "Calico", "AS", "NET", "host", "node_ip"]
