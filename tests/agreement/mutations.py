"""The catalogue of real misconfigurations, as mutations of a design.

Each entry: an id, a one-line description (what an engineer did), which
designs it applies to, what the real network then does (`expect`: "break"
when some session or block is lost, "valid" when every session comes up
and every block arrives, "depends" when it depends on the design or on
something rrkit is not given), and a function that applies it to a
`Design` with the case's random generator and returns a note for the
files' headers, or None when the design has nothing to apply it to.

`expect` documents the catalogue; the runner checks that lint and sim
agree with each other, and tests/interop checks sim against real daemons
where the semantics are debatable.
"""
import ipaddress
from families import AS, NET, host, node_ip


def node_nbrs(d):
    """(router, neighbor, node) for every per-node neighbor line."""
    out = []
    for r in d.routers:
        for nb in r.nbrs:
            if nb.group or ":" in nb.addr:
                continue
            for nd in d.calico.nodes:
                if nd.ipv4 and node_ip(nd) == nb.addr:
                    out.append((r, nb, nd))
    return out


def node_groups(d):
    """(router, group) for peer-groups / listen-range groups of nodes."""
    return [(r, nb) for r in d.routers for nb in r.nbrs if nb.group]


def pick(rng, xs):
    return rng.choice(xs) if xs else None


# ----------------------------------------------------------- mutations

def m_remote_as_neighbor(d, rng):
    x = pick(rng, [t for t in node_nbrs(d) if t[1].remote_as is not None])
    if not x:
        return None
    r, nb, nd = x
    nb.remote_as += 1
    return "%s: neighbor %s remote-as %d (node %s)" % (r.name, nb.addr,
                                                       nb.remote_as, nd.name)


def m_remote_as_group(kind):
    def f(d, rng):
        if ("style-" + kind) not in d.tags:
            return None
        r, g = pick(rng, node_groups(d))
        g.remote_as += 1
        return "%s: %s %s remote-as %d" % (r.name, kind, g.addr, g.remote_as)
    return f


def m_node_as(d, rng):
    nd = pick(rng, [n for n in d.calico.nodes if n.ipv4])
    cur = nd.asn if nd.asn is not None else (d.calico.asn or AS)
    nd.asn = cur + 1 if cur != 64999 else 64998
    return "node %s asNumber %d" % (nd.name, nd.asn)


def m_bgppeer_as(d, rng):
    ps = [s for _, s in d.calico.peers if "peerIP" in s]
    if not ps:
        return None
    s = pick(rng, ps)
    s["asNumber"] += 1
    return "BGPPeer peerIP %s asNumber %d" % (s["peerIP"], s["asNumber"])


def _in_range(r, addr):
    a = ipaddress.ip_address(addr)
    return any(a in ipaddress.ip_network(p) for p, _ in r.ranges)


def m_neighbor_missing(d, rng):
    # a node in one of the router's listen ranges is then a dynamic
    # neighbor: nothing is missing
    x = pick(rng, [t for t in node_nbrs(d) if not _in_range(t[0], t[1].addr)])
    if not x:
        return None
    r, nb, nd = x
    r.nbrs.remove(nb)
    return "%s: no neighbor for node %s" % (r.name, nd.name)


def m_not_activated_one(d, rng):
    x = pick(rng, [t for t in node_nbrs(d) if not t[1].peer_group])
    if not x:
        return None
    r, nb, nd = x
    r.default_ipv4 = False
    for o in r.nbrs:
        if o.fam() == "ipv4" and not o.peer_group:
            o.activate = True
        elif o.peer_group:
            o.activate = False
    nb.activate = False
    return "%s: no bgp default ipv4-unicast, neighbor %s never activated" % (
        r.name, nb.addr)


def m_default_off(d, rng):
    """Configs that rely on the default activation, then the default is off."""
    rs = [r for r in d.routers if r.default_ipv4 and
          any(nb.fam() == "ipv4" for nb in r.nbrs)]
    r = pick(rng, rs)
    if not r:
        return None
    r.default_ipv4 = False
    for nb in r.nbrs:
        if nb.fam() == "ipv4":
            nb.activate = False
    return "%s: no bgp default ipv4-unicast without any activate" % r.name


def m_shutdown(d, rng):
    x = pick(rng, node_nbrs(d))
    if not x:
        return None
    r, nb, nd = x
    nb.shutdown = True
    return "%s: neighbor %s shutdown" % (r.name, nb.addr)


def m_max_prefix(d, rng):
    x = pick(rng, node_nbrs(d))
    if not x:
        return None
    r, nb, nd = x
    nb.maximum_prefix = 1
    # two more blocks for the node, after the last IPv4 block in use: it
    # then sends three prefixes (unless the design keeps them from the
    # router).  IOS goes down past 1; FRR 8.4, the real run's stand-in,
    # checks the count before it adds a prefix and trips one later, so
    # with two prefixes it would stay up where IOS does not
    v4 = [ipaddress.ip_network(c) for _, c in d.calico.blocks if ":" not in c]
    if v4:
        last = max(v4, key=lambda n: int(n.network_address))
        for _ in range(2):
            last = ipaddress.ip_network("%s/%d" % (
                last.network_address + last.num_addresses, last.prefixlen))
            d.calico.blocks.append((nd.name, str(last)))
    return "%s: neighbor %s maximum-prefix 1, %s has three blocks" % (
        r.name, nb.addr, nd.name)


def m_max_prefix_transient(d, rng):
    """rr2 prefers what rr1 reflects (weight on its inbound route-map), rr1
    has maximum-prefix 1 toward rr2: once settled rr2 sends rr1 only what
    rr1 cannot send it, but a session to rr1 coming up sends rr1 every
    block rr2 holds from its clients before rr1's paths arrive -- IOS and
    FRR count at each UPDATE, so the session goes down (FRR + BIRD 1.6 do
    so at start), and again each time it comes back."""
    # distinct cluster-ids: with one, each drops the other's reflected
    # paths (CLUSTER_LIST loop), not counted by IOS nor FRR
    if "distinct" not in d.tags:
        return None
    rr1, rr2 = d.router("rr1"), d.router("rr2")
    if len(d.calico.blocks) < 2:
        return None
    rr2.policy += ["route-map FROM-RR1 permit 10", " set weight 100", "!"]
    rr2.nbr(host(NET, 1)).route_map_in = "FROM-RR1"
    rr1.nbr(host(NET, 2)).maximum_prefix = 1
    return ("rr2: route-map FROM-RR1 in (set weight 100) on rr1; rr1: "
            "neighbor %s maximum-prefix 1" % host(NET, 2))


def m_shutdown_group(d, rng):
    x = pick(rng, node_groups(d))
    if not x:
        return None
    r, g = x
    g.shutdown = True
    return "%s: neighbor %s shutdown (the nodes' group)" % (r.name, g.addr)


def m_router_no_route(d, rng):
    """The router's node-facing address a /32 and no static route: IOS
    has no route back to its node neighbors (one finding, not one per
    neighbor)."""
    import ipaddress
    rs = []
    for r in d.routers:
        for i in r.ifaces:
            for k, a in enumerate(i.addrs):
                if ":" in a:
                    continue
                net = ipaddress.ip_interface(a).network
                if any(nd.ipv4 and ipaddress.ip_address(node_ip(nd)) in net
                       for nd in d.calico.nodes) and _all_router_nbrs(d, r):
                    rs.append((r, i, k))
    x = pick(rng, rs)
    if not x:
        return None
    r, i, k = x
    i.addrs[k] = i.addrs[k].split("/")[0] + "/32"
    r.statics = []
    return "%s: %s is %s, no static route: no route to the nodes" % (
        r.name, i.name, i.addrs[k])


def _router_side(d, rng):
    """The router neighbor lines serving the nodes of one BGPPeer."""
    gs = node_groups(d)
    if gs:
        return pick(rng, gs)
    x = pick(rng, node_nbrs(d))
    return (x[0], x[1]) if x else None


def _router_peer(d, r):
    """The BGPPeer that points at router r."""
    addrs = set(r.addresses())
    for name, s in d.calico.peers:
        if s.get("peerIP", "").split(":")[0] in addrs or \
           s.get("peerIP") in addrs:
            return name, s
    return None


def _all_router_nbrs(d, r):
    """Router r's neighbors (and groups) for the nodes, both families."""
    addrs = {node_ip(nd) for nd in d.calico.nodes if nd.ipv4} | \
        {nd.ipv6.split("/")[0] for nd in d.calico.nodes if nd.ipv6}
    return [nb for nb in r.nbrs if nb.group or nb.addr in addrs]


def _set_router_pw(d, r, pw):
    for nb in _all_router_nbrs(d, r):
        if not nb.peer_group:
            nb.password = pw


def _set_peer_pw(d, spec, name, pw, with_secret=True):
    spec["password"] = {"secretKeyRef": {"name": "bgp-secrets",
                                         "key": name + "-password"}}
    if with_secret:
        kv = dict(d.calico.secrets[0][1]) if d.calico.secrets else {}
        kv[name + "-password"] = pw
        d.calico.secrets = [("bgp-secrets", kv)]


def _router_peers(d, r):
    """Every BGPPeer toward router r (one per node in some designs, one
    per family in dual-stack ones)."""
    addrs = set(r.addresses())
    return [(n, sp) for n, sp in d.calico.peers
            if sp.get("peerIP", "").split(":")[0] in addrs or
            sp.get("peerIP") in addrs]


def _peered_router(d, rng):
    """A router with node neighbors and the BGPPeer toward it, or None."""
    rs = [r for r in d.routers if _router_peer(d, r) and
          _all_router_nbrs(d, r)]
    r = pick(rng, rs)
    return (r,) + _router_peer(d, r) if r else None


def _set_router_ttl(d, r):
    for nb in _all_router_nbrs(d, r):
        if not nb.peer_group:
            nb.ttl_security = 1
            nb.ebgp_multihop = None


def _md5(kind):
    def f(d, rng):
        x = _peered_router(d, rng)
        if not x:
            return None
        r, name, spec = x
        peers = _router_peers(d, r)
        if kind in ("router-only", "different", "same", "secret-missing"):
            _set_router_pw(d, r, "s3cret-" + r.name)
        for n, sp in peers:
            if kind == "node-only" or kind == "same":
                _set_peer_pw(d, sp, n, "s3cret-" + r.name)
            if kind == "different":
                _set_peer_pw(d, sp, n, "other-" + r.name)
            if kind == "secret-missing":
                _set_peer_pw(d, sp, n, "s3cret-" + r.name,
                             with_secret=False)
        if kind == "secret-missing":
            # rrkit assumes a Secret it was not given exists (and says
            # so); the real run has none to give BIRD
            d.unfit.append("the Secret is not in the inputs: rrkit assumes "
                           "it exists, the real run has none")
        return "TCP MD5 %s between %s and BGPPeer %s%s" % (
            kind, r.name, name,
            " (and the %d others toward it)" % (len(peers) - 1)
            if len(peers) > 1 else "")
    return f


def m_rr_client_missing(count):
    def f(d, rng):
        xs = [t for t in node_nbrs(d) if t[1].rr_client]
        if len(xs) < max(count, 3):
            return None
        # the nodes of one reflector
        r = pick(rng, list({id(t[0]): t[0] for t in xs}.values()))
        xs = [t for t in xs if t[0] is r]
        if len(xs) < max(count, 3):
            return None
        got = rng.sample(xs, count)
        for _, nb, _ in got:
            nb.rr_client = False
        return "%s: %s without route-reflector-client" % (
            r.name, ", ".join(t[1].addr for t in got))
    return f


def m_rr_client_group(d, rng):
    gs = [(r, g) for r, g in node_groups(d) if g.rr_client]
    x = pick(rng, gs)
    if not x:
        return None
    x[1].rr_client = False
    return "%s: peer-group %s without route-reflector-client" % (x[0].name,
                                                                 x[1].addr)


def m_cluster_id(kind):
    def f(d, rng):
        if "rr2" not in d.tags:
            return None
        a, b = d.router("rr1"), d.router("rr2")
        if kind == "shared":
            if a.cluster_id == b.cluster_id:
                return None
            a.cluster_id = b.cluster_id = "1"
        elif kind == "distinct":
            if a.cluster_id != b.cluster_id:
                return None
            a.cluster_id, b.cluster_id = "1", "2"
        else:
            a.cluster_id = b.cluster_id = None
        return "rr1 and rr2 cluster-id %s" % kind
    return f


def m_listen_limit(d, rng):
    if "style-listen-range" not in d.tags:
        return None
    r = d.routers[0]
    # the limit counts dynamic neighbors only: a node with a neighbor of
    # its own is not one
    dyn = [nd for nd in d.calico.nodes if r.nbr(node_ip(nd)) is None]
    if len(dyn) < 2:
        return None
    r.listen_limit = max(1, len(dyn) - rng.randint(1, 2))
    return "%s: bgp listen limit %d for %d nodes in the range" % (
        r.name, r.listen_limit, len(dyn))


def m_listen_range_narrow(d, rng):
    if "style-listen-range" not in d.tags:
        return None
    r = d.routers[0]
    p, g = r.ranges[0]
    r.ranges[0] = ("10.213.50.0/29", g)
    return "%s: bgp listen range 10.213.50.0/29 misses the nodes" % r.name


def m_ttl_router(d, rng):
    rs = [r for r in d.routers if _all_router_nbrs(d, r)]
    r = pick(rng, rs)
    if not r:
        return None
    _set_router_ttl(d, r)
    if r.ranges:
        # seen: FRR 8.4 brings dynamic neighbors up whatever their
        # peer-group's ttl-security; IOS applies the group's settings
        d.unfit.append("%s: FRR does not apply a listen range's "
                       "ttl-security to its dynamic neighbors" % r.name)
    return "%s: ttl-security hops 1 toward the nodes, none on the nodes" % (
        r.name)


def m_ttl_node(both):
    def f(d, rng):
        x = _peered_router(d, rng)
        if not x:
            return None
        r, name, spec = x
        for _, sp in _router_peers(d, r):
            sp["ttlSecurity"] = 1
        if both:
            _set_router_ttl(d, r)
            return "ttl-security hops 1 on %s and BGPPeer %s" % (r.name, name)
        return "BGPPeer %s ttlSecurity 1, none on %s" % (name, r.name)
    return f


def m_multihop_missing(d, rng):
    if "tor-loopback" not in d.tags:
        return None
    x = pick(rng, [t for t in node_nbrs(d) if t[1].ebgp_multihop])
    r, nb, nd = x
    nb.ebgp_multihop = None
    return "%s: no ebgp-multihop for %s (peering from Loopback0)" % (r.name,
                                                                     nb.addr)


def m_port(d, rng):
    ps = [s for _, s in d.calico.peers if "peerIP" in s and
          ":" not in s["peerIP"]]
    s = pick(rng, ps)
    if not s:
        return None
    s["peerIP"] = s["peerIP"] + ":1179"
    return "BGPPeer peerIP %s" % s["peerIP"]


def m_reach_off_subnet(d, rng):
    """reachableBy through a gateway on none of the nodes' subnets: BIRD
    does not install the route (a warning), the session follows the
    nodes' other routes and comes up."""
    ps = [s for _, s in d.calico.peers if "peerIP" in s and
          ":" not in s["peerIP"]]
    s = pick(rng, ps)
    if not s:
        return None
    s["reachableBy"] = "10.213.99.1"
    return "BGPPeer %s reachableBy 10.213.99.1" % s["peerIP"]


def m_hold(where):
    def f(d, rng):
        if where == "router":
            r = pick(rng, d.routers)
            if not r:
                return None
            r.timers = (1, 2) if rng.random() < 0.5 else (10, 2)
            return "%s: timers bgp %d %d" % ((r.name,) + r.timers)
        x = pick(rng, node_nbrs(d))
        if not x:
            return None
        x[1].timers = (1, 2)
        return "%s: neighbor %s timers 1 2" % (x[0].name, x[1].addr)
    return f


def m_router_id_node(d, rng):
    x = pick(rng, [t for t in node_nbrs(d) if t[0].asn == (
        t[2].asn or d.calico.asn or AS)])
    if not x:
        return None
    r, nb, nd = x
    r.router_id = node_ip(nd)
    return "%s: bgp router-id %s, node %s's address" % (r.name, r.router_id,
                                                       nd.name)


def m_router_id_rrs(d, rng):
    if "rr2" not in d.tags:
        return None
    d.router("rr2").router_id = d.router("rr1").router_id
    return "rr2: bgp router-id %s, the same as rr1" % d.router("rr1").router_id


def m_peerip_typo(d, rng):
    ps = [s for _, s in d.calico.peers if "peerIP" in s]
    s = pick(rng, ps)
    if not s:
        return None
    a = s["peerIP"]
    s["peerIP"] = a[:-1] + ("7" if a[-1] != "7" else "8")
    return "BGPPeer peerIP %s (meant %s)" % (s["peerIP"], a)


def m_peerip_vip(d, rng):
    if "rr1" not in d.tags or "v6" in d.tags:
        return None
    r = d.routers[0]
    vip = host(NET, 254)
    r.statics = []
    for i in r.ifaces:
        if i.name == "GigabitEthernet0/0":
            i.standby = vip
    for _, s in d.calico.peers:
        s["peerIP"] = vip
    return "%s: HSRP standby 1 ip %s; BGPPeer peerIP at the virtual address" % (
        r.name, vip)


def m_node_no_address(d, rng):
    nd = pick(rng, [n for n in d.calico.nodes if n.ipv4 and not n.ipv6 and
                    not n.rr_cluster_id])
    if not nd:
        return None
    old = nd.ipv4
    nd.ipv4 = None
    return "node %s without spec.bgp.ipv4Address (was %s), keeps its block" % (
        nd.name, old)


def m_peer_excludes(d, rng):
    if "mesh-off" not in d.tags:
        return None
    if "per-node-peers" in d.tags:
        x = pick(rng, [p for p in d.calico.peers if "node" in p[1]])
        d.calico.peers.remove(x)
        return "no BGPPeer for node %s (%s deleted)" % (x[1]["node"], x[0])
    ps = [(n, s) for n, s in d.calico.peers if s.get("nodeSelector") in
          ("all()", None) and "peerIP" in s and "node" not in s]
    x = pick(rng, ps)
    if not x:
        return None
    nd = pick(rng, d.calico.nodes)
    x[1]["nodeSelector"] = "kubernetes.io/hostname != '%s'" % nd.name
    return "BGPPeer %s selects every node but %s" % (x[0], nd.name)


def m_mesh(on):
    def f(d, rng):
        if on and "mesh-off" not in d.tags:
            return None
        if not on and "mesh-on" not in d.tags:
            return None
        d.calico.bgpconfig = True
        d.calico.mesh = on
        return "nodeToNodeMeshEnabled: %s" % ("true" if on else "false")
    return f


def m_peer_dup_mesh(d, rng):
    """A BGPPeer from one node toward another the mesh already peers with
    (peer-duplicate): BIRD runs Mesh_, Node_ waits for its lock."""
    if d.calico.mesh is False:
        return None
    ns = [n for n in d.calico.nodes if n.ipv4 and not n.rr_cluster_id]
    if len(ns) < 2:
        return None
    a = pick(rng, ns)
    b = pick(rng, [n for n in ns if n is not a])
    asn = b.asn or d.calico.asn or 64512
    d.calico.peers.append(("dup-%s-%s" % (a.name, b.name),
                           {"node": a.name, "peerIP": b.ipv4.split("/")[0],
                            "asNumber": asn}))
    return "BGPPeer from %s to %s beside the mesh" % (a.name, b.name)


def m_no_bgpconfig(d, rng):
    if not d.calico.bgpconfig or "mesh-off" not in d.tags:
        return None
    d.calico.bgpconfig = False
    return "no BGPConfiguration (mesh on, AS 64512 by default)"


def m_loop_fix_removed(d, rng):
    if "loop" not in d.tags:
        return None
    for _, s in d.calico.peers:
        s.pop("numAllowedLocalASNumbers", None)
    for r in d.routers:
        for nb in r.nbrs:
            nb.as_override = False
    return "no numAllowedLocalASNumbers, no as-override"


def m_allowas_removed(d, rng):
    if "allowas" not in d.tags:
        return None
    for r in d.routers:
        for nb in r.nbrs:
            nb.allowas_in = None
    return "ToRs in one AS without allowas-in"


def m_update_source(d, rng):
    x = pick(rng, [t for t in node_nbrs(d) if not t[1].update_source])
    if not x:
        return None
    r, nb, nd = x
    nb.update_source = "Loopback0"
    if nb.remote_as != r.asn:
        nb.ebgp_multihop = 2
    # IOS refuses a connection to an address other than the neighbor's
    # update-source ("passive open failed"); FRR 8.4, given the address,
    # takes it and the session comes up (seen in tests/interop)
    d.unfit.append("%s: FRR accepts the node's connection to an address "
                   "other than the update-source, where IOS refuses it"
                   % r.name)
    return "%s: neighbor %s update-source Loopback0, the node peers with the " \
        "interface address" % (r.name, nb.addr)


def m_node_readdressed(d, rng):
    # a node in one of the router's listen ranges keeps its session as a
    # dynamic neighbor at its new address
    xs = [t for t in node_nbrs(d) if not _in_range(t[0], t[1].addr)]
    x = pick(rng, xs)
    if not x:
        return None
    nd = x[2]
    used = {n.ipv4.split("/")[0] for n in d.calico.nodes if n.ipv4}
    ip = node_ip(nd)
    base = ip.rsplit(".", 1)[0]
    for k in range(200, 250):
        if "%s.%d" % (base, k) not in used:
            nd.ipv4 = "%s.%d/24" % (base, k)
            break
    return "node %s re-addressed to %s, %s still has neighbor %s" % (
        nd.name, nd.ipv4, x[0].name, ip)


def m_node_address_duplicate(d, rng):
    ns = [n for n in d.calico.nodes if n.ipv4]
    if len(ns) < 2:
        return None
    a, b = rng.sample(ns, 2)
    b.ipv4 = a.ipv4
    return "nodes %s and %s with one address %s" % (a.name, b.name, a.ipv4)


def m_rr_label_removed(d, rng):
    rrs = [n for n in d.calico.nodes if n.rr_cluster_id]
    nd = pick(rng, rrs)
    if not nd:
        return None
    del nd.labels["route-reflector"]
    return "node %s lost its route-reflector label (keeps its cluster id)" % (
        nd.name)


def m_rr_cluster_removed(d, rng):
    rrs = [n for n in d.calico.nodes if n.rr_cluster_id]
    nd = pick(rng, rrs)
    if not nd:
        return None
    nd.rr_cluster_id = None
    return "node %s lost routeReflectorClusterID (keeps its label)" % nd.name


def m_rr_cluster_distinct(d, rng):
    rrs = [n for n in d.calico.nodes if n.rr_cluster_id]
    if len(rrs) < 2:
        return None
    rrs[1].rr_cluster_id = "244.0.0.2"
    return "node %s routeReflectorClusterID 244.0.0.2" % rrs[1].name


def m_v6_not_activated(d, rng):
    if "v6" not in d.tags:
        return None
    r = d.routers[0]
    nb = pick(rng, [n for n in r.nbrs if n.fam() == "ipv6"])
    nb.activate = False
    return "%s: IPv6 neighbor %s never activated" % (r.name, nb.addr)


def m_v6_only_in_ipv4(d, rng):
    if "v6" not in d.tags:
        return None
    r = d.routers[0]
    r.default_ipv4 = True
    for nb in r.nbrs:
        if nb.fam() == "ipv6":
            nb.activate = False
    return "%s: IPv6 neighbors active in IPv4 only (default ipv4-unicast)" % (
        r.name)


def m_rr_client_ebgp(d, rng):
    xs = [t for t in node_nbrs(d) if t[1].remote_as is not None and
          t[1].remote_as != t[0].asn]
    x = pick(rng, xs)
    if not x:
        return None
    x[1].rr_client = True
    return "%s: route-reflector-client on eBGP neighbor %s" % (x[0].name,
                                                             x[1].addr)


def _deny_map(r, name, prefixes):
    """route-map NAME on router r: deny what prefix-list NAME-PL permits
    (PREFIXES: "A/L" or "A/L le 32"), permit the rest."""
    for i, p in enumerate(prefixes):
        r.policy.append("ip prefix-list %s-PL seq %d permit %s" % (
            name, 5 * (i + 1), p))
    r.policy += ["route-map %s deny 10" % name,
                 " match ip address prefix-list %s-PL" % name,
                 "route-map %s permit 20" % name, "!"]


def _blocks_of(d, node):
    return [c for n, c in d.calico.blocks if n == node and ":" not in c]


def m_route_map_in_block(d, rng):
    # inbound policy may differ per peer-group member (IOS and FRR)
    x = pick(rng, [t for t in node_nbrs(d) if _blocks_of(d, t[2].name)])
    if not x:
        return None
    r, nb, nd = x
    blk = _blocks_of(d, nd.name)[0]
    _deny_map(r, "DENY-BLOCK-IN", [blk])
    nb.route_map_in = "DENY-BLOCK-IN"
    return "%s: route-map in on neighbor %s denies %s's block %s" % (
        r.name, nb.addr, nd.name, blk)


def m_route_map_out_pods(d, rng):
    # outbound policy on a neighbor of its own (a peer-group member's
    # outbound policy is the group's in IOS)
    x = pick(rng, [t for t in node_nbrs(d) if not t[1].peer_group])
    pools = [c for _, c, _ in d.calico.pools if ":" not in c]
    if not x or not pools:
        return None
    r, nb, nd = x
    _deny_map(r, "NO-PODS-OUT", ["%s le 32" % p for p in pools])
    nb.route_map_out = "NO-PODS-OUT"
    return "%s: route-map out on neighbor %s denies every pod block to %s" % (
        r.name, nb.addr, nd.name)


def m_route_map_permit(d, rng):
    targets = [nb for _, nb in node_groups(d)] or \
        [t[1] for t in node_nbrs(d) if not t[1].peer_group]
    if not targets:
        return None
    for r in d.routers:
        r.policy += ["route-map PERMIT-ALL permit 10", "!"]
    for nb in targets:
        nb.route_map_in = nb.route_map_out = "PERMIT-ALL"
    return "route-map PERMIT-ALL (permit 10, no match) in and out on the " \
        "nodes' neighbors"


def m_group_in_deny(own):
    """The nodes' group's inbound route-map denies one node's block: a node
    with inbound policy of its own (own=True: a peer-group member's own
    route-map in, or a configured neighbor beside the listen range) does
    not read the group's (IOS: a member's inbound policy overrides the
    group's; FRR alike), so its block still arrives; any other node's is
    dropped."""
    def f(d, rng):
        if "policy" not in d.tags:
            return None
        xs = [(r, g) for r, g in node_groups(d) if g.route_map_in]
        if not xs:
            return None
        r, g = xs[0]
        mine = set()
        for nb in r.nbrs:
            if not nb.group and nb.route_map_in:
                mine.add(nb.addr)
        in_group = [nd for nd in d.calico.nodes if nd.ipv4 and
                    _blocks_of(d, nd.name) and
                    (node_ip(nd) in mine) == own and
                    (r.nbr(node_ip(nd)) is None or
                     r.nbr(node_ip(nd)).peer_group == g.addr or own)]
        nd = pick(rng, in_group)
        if not nd:
            return None
        blk = _blocks_of(d, nd.name)[0]
        r.policy += ["ip prefix-list DENY-ONE seq 5 permit %s" % blk,
                     "route-map %s deny 5" % g.route_map_in,
                     " match ip address prefix-list DENY-ONE", "!"]
        return "%s: route-map %s (the %s group's, in) denies %s's block %s%s" % (
            r.name, g.route_map_in, g.addr, nd.name, blk,
            " (its neighbor has a route-map in of its own)" if own else "")
    return f


def _peers_to_routers(d):
    addrs = {a for r in d.routers for a in r.addresses()}
    return [(n, sp) for n, sp in d.calico.peers
            if sp.get("peerIP", "").split(":")[0] in addrs and
            ":" not in sp.get("peerIP", "")]


def m_bgpfilter_import(d, rng):
    x = pick(rng, _peers_to_routers(d))
    blks = [(n, c) for n, c in d.calico.blocks if ":" not in c]
    if not x or not blks:
        return None
    name, spec = x
    node, blk = rng.choice(blks)
    d.calico.filters.append(("no-block-in", {"importV4": [
        {"action": "Reject", "matchOperator": "Equal", "cidr": blk}]}))
    spec["filters"] = ["no-block-in"]
    return "BGPFilter importV4 Reject %s (%s's block) on BGPPeer %s" % (
        blk, node, name)


def m_bgpfilter_export(d, rng):
    x = pick(rng, _peers_to_routers(d))
    pools = [c for _, c, _ in d.calico.pools if ":" not in c]
    if not x or not pools:
        return None
    name, spec = x
    d.calico.filters.append(("no-pods-out", {"exportV4": [
        {"action": "Reject", "matchOperator": "In", "cidr": p}
        for p in pools]}))
    spec["filters"] = ["no-pods-out"]
    return "BGPFilter exportV4 Reject the pools on BGPPeer %s" % name


def m_bgpfilter_accept(d, rng):
    peers = _peers_to_routers(d)
    pools = [c for _, c, _ in d.calico.pools if ":" not in c]
    if not peers or not pools:
        return None
    rules = [{"action": "Accept", "matchOperator": "In", "cidr": p}
             for p in pools]
    d.calico.filters.append(("pods-only", {"exportV4": rules,
                                           "importV4": rules}))
    for _, spec in peers:
        spec["filters"] = ["pods-only"]
    return "BGPFilter accepting the pools in and out on every BGPPeer"


# id, description, expect, function
CATALOGUE = [
    ("none", "the design as built", "valid", lambda d, rng: "none"),
    ("remote-as-neighbor", "wrong remote-as on one node's neighbor", "break",
     m_remote_as_neighbor),
    ("remote-as-peer-group", "wrong remote-as on the nodes' peer-group",
     "break", m_remote_as_group("peer-group")),
    ("remote-as-listen-range", "wrong remote-as on the listen range's group",
     "break", m_remote_as_group("listen-range")),
    ("node-as-changed", "one node's asNumber changed", "depends", m_node_as),
    ("bgppeer-as", "BGPPeer asNumber not the router's AS", "break",
     m_bgppeer_as),
    ("neighbor-missing", "no router neighbor for one node", "break",
     m_neighbor_missing),
    ("not-activated", "no bgp default ipv4-unicast, one node never activated",
     "break", m_not_activated_one),
    ("default-ipv4-off", "no bgp default ipv4-unicast on a config that relied "
     "on it", "break", m_default_off),
    ("neighbor-shutdown", "one node's neighbor shut down", "break", m_shutdown),
    ("shutdown-group", "the nodes' peer-group shut down", "break",
     m_shutdown_group),
    ("maximum-prefix", "maximum-prefix 1 on one node's neighbor (trips when "
     "the node sends two prefixes or more)", "depends", m_max_prefix),
    ("maximum-prefix-transient", "maximum-prefix 1 between two reflectors "
     "where the other one, once settled, sends nothing (it prefers the "
     "paths this one reflects) but sends its clients' blocks first when "
     "the session comes up", "break", m_max_prefix_transient),
    ("router-no-route", "the router's node-facing address a /32, no static "
     "route: no route back to the nodes", "break", m_router_no_route),
    ("md5-router-only", "TCP MD5 on the router only", "break",
     _md5("router-only")),
    ("md5-node-only", "TCP MD5 on the BGPPeer only", "break", _md5("node-only")),
    ("md5-different", "TCP MD5 keys differ", "break", _md5("different")),
    ("md5-same", "TCP MD5 on both sides, same key", "valid", _md5("same")),
    ("md5-secret-missing", "TCP MD5 on both; the Secret is not given to rrkit",
     "depends", _md5("secret-missing")),
    ("rr-client-missing-one", "one node neighbor without "
     "route-reflector-client (break when another non-client, such as a "
     "second reflector, needs the node's routes)", "depends",
     m_rr_client_missing(1)),
    ("rr-client-missing-two", "two node neighbors without "
     "route-reflector-client (valid when another reflector serves both)",
     "depends", m_rr_client_missing(2)),
    ("rr-client-missing-group", "the nodes' peer-group without "
     "route-reflector-client", "break", m_rr_client_group),
    ("cluster-id-shared", "the two reflectors share a cluster-id", "depends",
     m_cluster_id("shared")),
    ("cluster-id-distinct", "the two reflectors get distinct cluster-ids",
     "valid", m_cluster_id("distinct")),
    ("cluster-id-removed", "no bgp cluster-id on either reflector", "valid",
     m_cluster_id("removed")),
    ("listen-limit", "bgp listen limit below the number of nodes", "break",
     m_listen_limit),
    ("listen-range-narrow", "the listen range misses the nodes", "break",
     m_listen_range_narrow),
    ("ttl-security-router", "ttl-security on the router only", "break",
     m_ttl_router),
    ("ttl-security-node", "ttlSecurity on the BGPPeer only", "depends",
     m_ttl_node(False)),
    ("ttl-security-both", "ttl-security on both sides", "valid",
     m_ttl_node(True)),
    ("ebgp-multihop-missing", "the ToR sources eBGP from its loopback without "
     "ebgp-multihop (real FRR and BIRD: up, the node's address is on a "
     "connected segment; it breaks where the node is a routed hop away)",
     "depends", m_multihop_missing),
    ("port-in-peerip", "a port in the BGPPeer's peerIP", "depends", m_port),
    ("reachable-by-off-subnet", "a BGPPeer's reachableBy gateway off the "
     "nodes' subnets (BIRD installs no route; up over the node's others)",
     "valid", m_reach_off_subnet),
    ("hold-time-router", "timers bgp with hold time 2", "break",
     m_hold("router")),
    ("hold-time-neighbor", "neighbor timers 1 2", "break", m_hold("neighbor")),
    ("router-id-node", "the router's bgp router-id is a node's address",
     "break", m_router_id_node),
    ("router-id-rrs", "the two reflectors share a router id", "break",
     m_router_id_rrs),
    ("peerip-typo", "a typo in the BGPPeer's peerIP (lost when the node has "
     "no other session and nothing given peers with the address; not "
     "analysed when every node points there: a router rrkit was not given "
     "could be there; no loss with a second reflector or the mesh)",
     "depends", m_peerip_typo),
    ("peerip-hsrp-vip", "BGPPeer at the router's HSRP virtual address",
     "break", m_peerip_vip),
    ("node-no-address", "a node without a BGP address that owns a block",
     "break", m_node_no_address),
    ("peer-excludes-node", "mesh off and one node left out of a BGPPeer's "
     "selector (lost unless another BGPPeer still selects it)",
     "depends", m_peer_excludes),
    ("mesh-left-on", "the mesh turned on next to the reflectors", "valid",
     m_mesh(True)),
    ("mesh-off", "the mesh turned off", "depends", m_mesh(False)),
    ("peer-duplicates-mesh", "a BGPPeer between two nodes the mesh already "
     "peers (BIRD runs Mesh_, Node_ waits: peer-duplicate)", "valid",
     m_peer_dup_mesh),
    ("no-bgpconfig", "no BGPConfiguration at all", "depends", m_no_bgpconfig),
    ("loop-fix-removed", "one AS behind eBGP ToRs without "
     "numAllowedLocalASNumbers or as-override", "break", m_loop_fix_removed),
    ("allowas-in-removed", "ToRs sharing an AS without allowas-in", "break",
     m_allowas_removed),
    ("update-source-mismatch", "router sources from Loopback0, the node "
     "peers with the interface address", "depends", m_update_source),
    ("node-readdressed", "a node's address changed, the router's neighbor "
     "not", "break", m_node_readdressed),
    ("node-address-duplicate", "two nodes with one address", "break",
     m_node_address_duplicate),
    ("rr-label-removed", "an in-cluster reflector lost its label", "depends",
     m_rr_label_removed),
    ("rr-cluster-id-removed", "an in-cluster reflector lost its cluster id",
     "depends", m_rr_cluster_removed),
    ("rr-cluster-id-distinct", "the in-cluster reflectors in two clusters",
     "valid", m_rr_cluster_distinct),
    ("ipv6-not-activated", "an IPv6 neighbor never activated", "break",
     m_v6_not_activated),
    ("ipv6-in-ipv4-only", "IPv6 neighbors active in IPv4 unicast only",
     "break", m_v6_only_in_ipv4),
    ("rr-client-ebgp", "route-reflector-client on an eBGP neighbor",
     "depends", m_rr_client_ebgp),
    ("route-map-in-block", "the router's inbound route-map on one node's "
     "neighbor denies that node's block (lost unless another reflector "
     "carries it)", "depends", m_route_map_in_block),
    ("route-map-out-pods", "the router's outbound route-map on one node's "
     "neighbor denies every pod block", "depends", m_route_map_out_pods),
    ("route-map-permit-all", "a permit-everything route-map in and out on "
     "the nodes' neighbors", "valid", m_route_map_permit),
    ("route-map-group-in-deny", "the nodes' group's inbound route-map "
     "denies the block of a node that reads it", "break",
     m_group_in_deny(False)),
    ("route-map-group-in-deny-own", "the nodes' group's inbound route-map "
     "denies the block of a node whose neighbor has a route-map in of its "
     "own (a peer-group member's override, or a configured neighbor beside "
     "the listen range): unused for it", "valid", m_group_in_deny(True)),
    ("bgpfilter-import-block", "a BGPFilter on one BGPPeer rejects one "
     "node's block on import", "depends", m_bgpfilter_import),
    ("bgpfilter-export-pools", "a BGPFilter on one BGPPeer rejects the "
     "pools on export", "depends", m_bgpfilter_export),
    ("bgpfilter-accept-pools", "a BGPFilter accepting the pools in and out "
     "on every BGPPeer", "valid", m_bgpfilter_accept),
]

BY_ID = {c[0]: c for c in CATALOGUE}
