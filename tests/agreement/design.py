"""A cluster design as an operator writes it, and its files.

A `Design` holds the IOS routers (interfaces, `router bgp`, neighbors,
peer-groups, listen ranges) and the Calico resources (BGPConfiguration,
BGPPeers, Nodes, IPPools, BlockAffinities, Secrets) of one topology as
plain Python objects, so that a mutation (mutations.py) changes one
setting the way an engineer would, and `write()` renders the result as the
files rrkit reads: one `<hostname>.ios` per router (`show running-config`
shape: interfaces, then `router bgp` with the session commands at router
level and the address-family commands under `address-family ipv4|ipv6`)
and one `calico.yaml` stream (plus `secrets.yaml` when the design carries
Secrets); with frr=True also `.frr/<hostname>.conf`, each router in FRR's
dialect for tests/interop (a hidden directory: rrkit does not read it), and
`.frr/routes`, the static routes the namespaces need ("SPEAKER PREFIX GW":
a BGPPeer's reachableBy, which calico-node turns into a kernel route).  Only the Python standard library is used.
"""
import ipaddress
import os


class Iface:
    def __init__(self, name, addrs, standby=None, shutdown=False):
        self.name = name
        self.addrs = list(addrs)      # "A/len", IPv4 or IPv6
        self.standby = standby        # HSRP virtual address, or None
        self.shutdown = shutdown


class Nbr:
    """An IOS neighbor, peer-group or listen range (group=True: a peer-group)."""

    def __init__(self, addr, remote_as=None, **kw):
        self.addr = addr              # address, or a peer-group name
        self.remote_as = remote_as
        self.group = kw.pop("group", False)
        self.peer_group = kw.pop("peer_group", None)
        self.description = kw.pop("description", None)
        self.rr_client = kw.pop("rr_client", False)
        self.activate = kw.pop("activate", True)  # explicit activate line
        self.shutdown = kw.pop("shutdown", False)
        self.password = kw.pop("password", None)
        self.update_source = kw.pop("update_source", None)
        self.ebgp_multihop = kw.pop("ebgp_multihop", None)
        self.ttl_security = kw.pop("ttl_security", None)
        self.timers = kw.pop("timers", None)   # (keepalive, hold)
        self.allowas_in = kw.pop("allowas_in", None)
        self.as_override = kw.pop("as_override", False)
        self.next_hop_self = kw.pop("next_hop_self", False)
        self.maximum_prefix = kw.pop("maximum_prefix", None)  # N
        self.route_map_in = kw.pop("route_map_in", None)    # route-map name
        self.route_map_out = kw.pop("route_map_out", None)
        self.family = kw.pop("family", None)   # "ipv4" | "ipv6"; None: by addr
        assert not kw, kw

    def fam(self):
        if self.family:
            return self.family
        return "ipv6" if ":" in self.addr else "ipv4"


class Router:
    def __init__(self, name, asn, router_id=None, cluster_id=None):
        self.name = name
        self.asn = asn
        self.router_id = router_id
        self.cluster_id = cluster_id
        self.ifaces = []
        self.nbrs = []                # Nbr, groups first
        self.ranges = []              # (prefix, group name)
        self.listen_limit = None
        self.default_ipv4 = True
        self.timers = (10, 30)
        self.statics = []             # "A M NH"
        self.flat = False             # IPv4 settings at router level
        self.policy = []              # ip prefix-list / route-map lines
                                      # (IOS and FRR read them alike)
        self.comment = ""

    def nbr(self, addr):
        for n in self.nbrs:
            if n.addr == addr:
                return n
        return None

    def group(self, name):
        for n in self.nbrs:
            if n.group and n.addr == name:
                return n
        return None

    def addresses(self):
        return [a.split("/")[0] for i in self.ifaces if not i.shutdown
                for a in i.addrs]


class Node:
    def __init__(self, name, ipv4=None, ipv6=None, asn=None, labels=None):
        self.name = name
        self.ipv4 = ipv4              # "A/len"
        self.ipv6 = ipv6
        self.asn = asn
        self.rr_cluster_id = None
        self.labels = {"kubernetes.io/hostname": name}
        self.labels.update(labels or {})


class Calico:
    def __init__(self, asn=64512, mesh=False):
        self.asn = asn                # None: no asNumber written
        self.mesh = mesh              # True / False / None (unset: on)
        self.bgpconfig = True
        self.peers = []               # (name, spec dict)
        self.nodes = []
        self.pools = []               # (name, cidr, block size)
        self.blocks = []              # (node name, cidr)
        self.secrets = []             # (name, {key: value})
        self.filters = []             # BGPFilters: (name, spec dict)

    def node(self, name):
        for n in self.nodes:
            if n.name == name:
                return n
        return None

    def peer(self, name):
        for p in self.peers:
            if p[0] == name:
                return p[1]
        return None


class Design:
    def __init__(self, family, seed):
        self.family = family
        self.seed = seed
        self.routers = []
        self.calico = Calico()
        self.tags = set()             # what the family is made of
        self.notes = []               # one line per mutation applied
        self.routes = []              # (speaker, prefix, gateway): statics
                                      # the real-daemon runs install
        self.unfit = []               # why FRR cannot stand in (.frr/unfit)

    def router(self, name):
        for r in self.routers:
            if r.name == name:
                return r
        return None

    def write(self, d, frr=False):
        os.makedirs(d, exist_ok=True)
        if frr:
            os.makedirs(os.path.join(d, ".frr"), exist_ok=True)
            for r in self.routers:
                with open(os.path.join(d, ".frr", r.name + ".conf"), "w") as f:
                    f.write(render_frr(r))
            with open(os.path.join(d, ".frr", "routes"), "w") as f:
                for rt in self.routes:
                    f.write("%s %s %s\n" % rt)
            why = list(self.unfit) + [w for r in self.routers
                                      for w in frr_unfit(r)]
            nets = {str(ipaddress.ip_interface(n.ipv4).network)
                    for n in self.calico.nodes if n.ipv4}
            if self.calico.mesh is not False and len(nets) > 1:
                # the mesh across racks needs the fabric to route between
                # the racks' subnets; each namespace knows its own only
                why.append("the node-to-node mesh spans %d subnets: the "
                           "real run routes between none of them"
                           % len(nets))
            seen = {}
            for n in self.calico.nodes:
                for a in (getattr(n, "ipv4", None), getattr(n, "ipv6", None)):
                    if a and a.split("/")[0] in seen:
                        # calico-node's startup refuses the second node
                        # (checkConflictingNodes in node/pkg/lifecycle/
                        # startup): not something BIRD does
                        why.append("nodes %s and %s share %s: calico-node "
                                   "refuses to start on one, which a run of "
                                   "BIRD alone does not do"
                                   % (seen[a.split("/")[0]], n.name, a))
                    elif a:
                        seen[a.split("/")[0]] = n.name
            if why:
                with open(os.path.join(d, ".frr", "unfit"), "w") as f:
                    f.write("; ".join(why) + "\n")
        for r in self.routers:
            with open(os.path.join(d, r.name + ".ios"), "w") as f:
                f.write(render_ios(r, self))
        with open(os.path.join(d, "calico.yaml"), "w") as f:
            f.write(render_calico(self))
        if self.calico.secrets:
            with open(os.path.join(d, "secrets.yaml"), "w") as f:
                f.write(render_secrets(self.calico))


# ------------------------------------------------------------------ IOS

def mask(plen):
    return str(ipaddress.IPv4Network("0.0.0.0/%d" % plen).netmask)


def render_ios(r, dsg):
    out = ["!", "! %s: generated design '%s' (seed %d)" % (r.name, dsg.family,
                                                          dsg.seed)]
    if r.comment:
        out.append("! " + r.comment)
    for n in dsg.notes:
        out.append("! mutation: " + n)
    out += ["!", "version 15.7", "service timestamps log datetime msec",
            "no service password-encryption", "!", "hostname " + r.name, "!"]
    for i in r.ifaces:
        out.append("interface " + i.name)
        v4 = [a for a in i.addrs if ":" not in a]
        v6 = [a for a in i.addrs if ":" in a]
        if not v4 and not v6:
            out.append(" no ip address")
        for k, a in enumerate(v4):
            ip, plen = a.split("/")
            out.append(" ip address %s %s%s" % (ip, mask(int(plen)),
                                                " secondary" if k else ""))
        if i.standby:
            out.append(" standby 1 ip " + i.standby)
            out.append(" standby 1 priority 110")
            out.append(" standby 1 preempt")
        for a in v6:
            out.append(" ipv6 address " + a)
        if i.shutdown:
            out.append(" shutdown")
        out.append("!")
    out += render_bgp(r)
    for s in r.statics:
        out.append("ip route " + s)
    if r.policy:
        out += ["!"] + r.policy
    out += ["!", "line vty 0 4", " login", "!", "end", ""]
    return "\n".join(out)


def _nbr_session_lines(n):
    a = n.addr
    out = []
    if n.group:
        out.append(" neighbor %s peer-group" % a)
    if n.remote_as is not None:
        out.append(" neighbor %s remote-as %d" % (a, n.remote_as))
    if n.peer_group:
        out.append(" neighbor %s peer-group %s" % (a, n.peer_group))
    if n.description:
        out.append(" neighbor %s description %s" % (a, n.description))
    if n.password:
        out.append(" neighbor %s password %s" % (a, n.password))
    if n.update_source:
        out.append(" neighbor %s update-source %s" % (a, n.update_source))
    if n.ebgp_multihop:
        out.append(" neighbor %s ebgp-multihop %d" % (a, n.ebgp_multihop))
    if n.ttl_security:
        out.append(" neighbor %s ttl-security hops %d" % (a, n.ttl_security))
    if n.timers:
        out.append(" neighbor %s timers %d %d" % (a, n.timers[0], n.timers[1]))
    if n.shutdown:
        out.append(" neighbor %s shutdown" % a)
    return out


def _nbr_af_lines(n):
    a = n.addr
    out = []
    if n.activate:
        out.append("  neighbor %s activate" % a)
    if n.rr_client:
        out.append("  neighbor %s route-reflector-client" % a)
    if n.next_hop_self:
        out.append("  neighbor %s next-hop-self" % a)
    if n.as_override:
        out.append("  neighbor %s as-override" % a)
    if n.allowas_in:
        out.append("  neighbor %s allowas-in %d" % (a, n.allowas_in))
    if n.maximum_prefix:
        out.append("  neighbor %s maximum-prefix %d" % (a, n.maximum_prefix))
    if n.route_map_in:
        out.append("  neighbor %s route-map %s in" % (a, n.route_map_in))
    if n.route_map_out:
        out.append("  neighbor %s route-map %s out" % (a, n.route_map_out))
    return out


def render_bgp(r):
    out = ["router bgp %d" % r.asn]
    if r.router_id:
        out.append(" bgp router-id " + r.router_id)
    if r.cluster_id is not None:
        out.append(" bgp cluster-id %s" % r.cluster_id)
    out.append(" bgp log-neighbor-changes")
    if not r.default_ipv4:
        out.append(" no bgp default ipv4-unicast")
    for p, g in r.ranges:
        out.append(" bgp listen range %s peer-group %s" % (p, g))
    if r.listen_limit is not None:
        out.append(" bgp listen limit %d" % r.listen_limit)
    if r.timers:
        out.append(" timers bgp %d %d" % r.timers)
    for n in r.nbrs:
        out += _nbr_session_lines(n)
    flat = r.flat and r.default_ipv4
    for fam in ("ipv4", "ipv6"):
        lines = []
        for n in r.nbrs:
            if n.fam() == fam:
                lines += _nbr_af_lines(n)
        if flat and fam == "ipv4":
            # the flat NVGEN shape (ios-bgp: both shapes are one neighbor)
            out += [l[1:] for l in lines if not l.endswith(" activate")]
        elif lines or fam == "ipv4":
            out += [" !", " address-family " + fam] + lines
            out.append(" exit-address-family")
    out.append("!")
    return out


# --------------------------------------------------------------- Calico

def _scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    s = str(v)
    plain = s and all(c.isalnum() or c in "-_./:" for c in s) \
        and not s[0].isdigit() and s not in ("true", "false", "yes", "no",
                                            "on", "off", "null", "~")
    if plain:
        return s
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_lines(v, ind=0):
    """A small block-style YAML writer: dicts (insertion order), lists, scalars."""
    pad = "  " * ind
    out = []
    if isinstance(v, dict):
        for k, x in v.items():
            if isinstance(x, (dict, list)) and x:
                out.append("%s%s:" % (pad, k))
                out += yaml_lines(x, ind + 1)
            elif isinstance(x, dict):
                out.append("%s%s: {}" % (pad, k))
            elif isinstance(x, list):
                out.append("%s%s: []" % (pad, k))
            else:
                out.append("%s%s: %s" % (pad, k, _scalar(x)))
    elif isinstance(v, list):
        for x in v:
            if not isinstance(x, (dict, list)):
                out.append("%s- %s" % (pad, _scalar(x)))
                continue
            sub = yaml_lines(x, ind + 1)
            out.append("%s- %s" % (pad, sub[0].lstrip()))
            out += sub[1:]
    return out


def doc(api, kind, name, spec, ns=None, extra=None):
    md = {"name": name}
    if ns:
        md["namespace"] = ns
    d = {"apiVersion": api, "kind": kind, "metadata": md}
    if extra:
        d.update(extra)
    if spec is not None:
        d["spec"] = spec
    return "\n".join(yaml_lines(d)) + "\n"


def render_calico(dsg):
    c = dsg.calico
    docs = []
    head = "# Calico side of generated design '%s' (seed %d)\n" % (dsg.family,
                                                                  dsg.seed)
    for n in dsg.notes:
        head += "# mutation: %s\n" % n
    if c.bgpconfig:
        spec = {"logSeverityScreen": "Info"}
        if c.mesh is not None:
            spec["nodeToNodeMeshEnabled"] = c.mesh
        if c.asn is not None:
            spec["asNumber"] = c.asn
        docs.append(doc("projectcalico.org/v3", "BGPConfiguration", "default",
                        spec))
    for name, spec in c.filters:
        docs.append(doc("projectcalico.org/v3", "BGPFilter", name, spec))
    for name, spec in c.peers:
        docs.append(doc("projectcalico.org/v3", "BGPPeer", name, spec))
    for name, cidr, bs in c.pools:
        spec = {"cidr": cidr, "blockSize": bs}
        if ":" not in cidr:
            spec["ipipMode"] = "Never"
        spec["vxlanMode"] = "Never"
        spec["natOutgoing"] = True
        spec["nodeSelector"] = "all()"
        docs.append(doc("projectcalico.org/v3", "IPPool", name, spec))
    for n in c.nodes:
        bgp = {}
        if n.ipv4:
            bgp["ipv4Address"] = n.ipv4
        if n.ipv6:
            bgp["ipv6Address"] = n.ipv6
        if n.asn is not None:
            bgp["asNumber"] = n.asn
        if n.rr_cluster_id:
            bgp["routeReflectorClusterID"] = n.rr_cluster_id
        spec = {"bgp": bgp} if bgp else {}
        d = {"apiVersion": "projectcalico.org/v3", "kind": "Node",
             "metadata": {"name": n.name, "labels": dict(n.labels)},
             "spec": spec}
        docs.append("\n".join(yaml_lines(d)) + "\n")
    for node, cidr in c.blocks:
        name = "%s-%s" % (node, cidr.replace(".", "-").replace(":", "-")
                          .replace("/", "-"))
        docs.append(doc("crd.projectcalico.org/v1", "BlockAffinity", name,
                        {"node": node, "cidr": cidr, "state": "confirmed",
                         "deleted": "false"}))
    return head + "---\n".join(docs)


def render_secrets(c):
    docs = []
    for name, kv in c.secrets:
        docs.append(doc("v1", "Secret", name, None, ns="kube-system",
                        extra={"type": "Opaque", "stringData": dict(kv)}))
    return "---\n".join(docs)


# ------------------------------------------------------------------ FRR

def frr_unfit(r):
    """Why FRR cannot stand in for router r in a real run (sim.sh skips
    the case and says why): what IOS runs and FRR refuses or lacks."""
    why = []
    holds = [r.timers] + [n.timers for n in r.nbrs]
    if any(t and t[1] in (1, 2) for t in holds):
        # bgp_vty.c: "hold time value must be either 0 or greater than 3";
        # IOS takes it and offers it, and its peers refuse the OPEN
        why.append("%s: FRR refuses a hold time of 1 or 2 s and runs with "
                   "its default, where IOS offers it" % r.name)
    if any(getattr(i, "standby", None) for i in r.ifaces):
        why.append("%s: HSRP has no FRR equivalent" % r.name)
    return why


def render_frr(r):
    """Router r in FRR bgpd's dialect, for the real-daemon runs.

    A direct translation of the design (not of rrkit's reading of the IOS
    file), so that what rrkit does not model -- as-override, allowas-in,
    listen limits, TTL security -- still reaches the real daemon.  FRR runs
    without zebra there: update-source names an address, not an interface.
    HSRP and hold times of 1 or 2 s have no FRR equivalent (frr_unfit),
    and calico-node's refusal to start on a node whose address another
    node has is not BIRD's: sim.sh skips those cases and says why
    (.frr/unfit).
    """
    ifaddr = {}
    for i in r.ifaces:
        if i.addrs and not i.shutdown:
            ifaddr[i.name] = i.addrs[0].split("/")[0]
    out = ["! %s: FRR translation of the generated design" % r.name,
           "frr defaults traditional", "hostname " + r.name, "!",
           "router bgp %d" % r.asn]
    if r.router_id:
        out.append(" bgp router-id " + r.router_id)
    if r.cluster_id is not None:
        out.append(" bgp cluster-id %s" % r.cluster_id)
    out.append(" bgp log-neighbor-changes")
    out.append(" no bgp ebgp-requires-policy")
    if not r.default_ipv4:
        out.append(" no bgp default ipv4-unicast")
    if r.timers:
        out.append(" timers bgp %d %d" % r.timers)
    for n in r.nbrs:
        for line in _nbr_session_lines(n):
            if " update-source " in line:
                line = line.replace(n.update_source,
                                    ifaddr.get(n.update_source,
                                               n.update_source))
            if n.ttl_security and " ebgp-multihop " in line:
                continue  # FRR refuses both on one neighbor
            out.append(line)
    for p, g in r.ranges:
        out.append(" bgp listen range %s peer-group %s" % (p, g))
    if r.listen_limit is not None:
        out.append(" bgp listen limit %d" % r.listen_limit)
    for fam in ("ipv4", "ipv6"):
        lines = []
        for n in r.nbrs:
            if n.fam() == fam:
                lines += _nbr_af_lines(n)
        if not r.default_ipv4 or lines:
            out += [" !", " address-family %s unicast" % fam] + lines
            out.append(" exit-address-family")
    out += ["exit", "!"] + r.policy + ["!", "end", ""]
    return "\n".join(out)
