#!/usr/bin/env python3
"""Write the seed inputs of the fuzz targets that do not read samples/.

    tests/fuzz/seeds/make-seeds.py      # rewrites tests/fuzz/seeds/<target>/

tests/fuzz/run.sh copies tests/fuzz/seeds/<target>/ into an empty corpus.
Each seed is a small, valid case of what its target reads (the layout of
each target's input is described at the top of tests/fuzz/fuzz_<target>.c),
so the fuzzer starts from the states a real session reaches instead of
finding them byte by byte.  BGP messages follow RFC 4271 section 4, the
capabilities RFC 5492, RFC 4760, RFC 6793, RFC 7911 and RFC 8654.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- BGP messages (RFC 4271 4.1: marker, length, type) ---------------------

def msg(typ, body):
    return b"\xff" * 16 + struct.pack(">HB", 19 + len(body), typ) + body


def cap(code, value=b""):
    return struct.pack("BB", code, len(value)) + value


def open_msg(asn, hold, rid, caps):
    params = b"".join(b"\x02" + bytes([len(c)]) + c for c in caps)
    my_as = asn if asn < 65536 else 23456  # AS_TRANS, RFC 6793
    return msg(1, struct.pack(">BHH4sB", 4, my_as, hold, bytes(rid),
                              len(params)) + params)


def attr(flags, code, value):
    if len(value) > 255:
        return struct.pack(">BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("BBB", flags, code, len(value)) + value


def prefix(p, plen):
    return bytes([plen]) + bytes(p[: (plen + 7) // 8])


def update(withdrawn, attrs, nlri):
    a = b"".join(attrs)
    return msg(2, struct.pack(">H", len(withdrawn)) + withdrawn +
               struct.pack(">H", len(a)) + a + nlri)


def as_path(asns, four):
    fmt = ">I" if four else ">H"
    return b"\x02" + bytes([len(asns)]) + b"".join(struct.pack(fmt, a)
                                                    for a in asns)


CAPS_BIRD = [cap(1, b"\x00\x01\x00\x01"), cap(2), cap(65, struct.pack(">I", 64512))]
CAPS_IOS = [cap(1, b"\x00\x01\x00\x01"), cap(128), cap(2), cap(70),
            cap(65, struct.pack(">I", 4200000001))]
CAPS_V6 = [cap(1, b"\x00\x02\x00\x01"), cap(5, b"\x00\x01\x00\x01\x00\x02"),
           cap(6), cap(69, b"\x00\x01\x01\x03"), cap(64, b"\x00\x78"),
           cap(65, struct.pack(">I", 64512))]
OPENS = [open_msg(64512, 240, [10, 0, 0, 1], CAPS_BIRD),
         open_msg(4200000001, 180, [192, 168, 1, 1], CAPS_IOS),
         open_msg(64512, 90, [10, 0, 0, 2], CAPS_V6)]
KEEPALIVE = msg(4, b"")
NOTIFICATION = msg(3, b"\x06\x02")  # Cease, administrative shutdown
NOTIF_OPEN = msg(3, b"\x02\x02\x00\x00")  # bad peer AS
ROUTE_REFRESH = msg(5, b"\x00\x01\x00\x01")

ORIGIN = attr(0x40, 1, b"\x00")
NH = attr(0x40, 3, bytes([10, 0, 0, 2]))
LP = attr(0x40, 5, struct.pack(">I", 100))
MED = attr(0x80, 4, struct.pack(">I", 10))
COMM = attr(0xc0, 8, struct.pack(">II", 64512 << 16 | 100, 0xffffff01))
ORIG_ID = attr(0x80, 9, bytes([10, 0, 0, 2]))
CLUSTER = attr(0x80, 10, bytes([192, 168, 1, 1]))
EXT_COMM = attr(0xc0, 16, b"\x00\x02\xfc\x00\x00\x00\x00\x64")
LARGE = attr(0xc0, 32, struct.pack(">III", 64512, 1, 2))
POD = prefix([10, 244, 1, 0], 26)
UPDATES_AS2 = [
    update(b"", [ORIGIN, attr(0x40, 2, b""), NH, LP], POD),
    update(b"", [ORIGIN, attr(0x40, 2, as_path([65001, 64512], False)), NH,
                 MED, COMM, ORIG_ID, CLUSTER],
           POD + prefix([10, 96, 0, 0], 12)),
    update(POD, [], b""),  # a withdrawal
    update(b"", [], b""),  # End-of-RIB, RFC 4724
]
UPDATES_AS4 = [
    update(b"", [ORIGIN, attr(0x40, 2, as_path([4200000001, 64512], True)),
                 NH, LP, EXT_COMM, LARGE], POD),
    # IPv6 by MP_REACH_NLRI (RFC 4760), then withdrawn by MP_UNREACH
    update(b"", [ORIGIN, attr(0x40, 2, b""), LP,
                 attr(0x80, 14, b"\x00\x02\x01\x10" + bytes([0xfd, 0] + [0] * 13 + [2]) +
                      b"\x00" + prefix([0xfd, 0, 0, 0x10] + [0] * 12, 122))], b""),
    update(b"", [attr(0x80, 15, b"\x00\x02\x01" +
                      prefix([0xfd, 0, 0, 0x10] + [0] * 12, 122))], b""),
]
ADDPATH_UPDATE = update(b"", [ORIGIN, attr(0x40, 2, b""), NH, LP],
                        struct.pack(">I", 1) + POD)


def wire():
    # first byte: bit 0 4-octet AS, 1 extended messages, 2/3 ADD-PATH v4/v6
    n = 0
    for m in OPENS + [KEEPALIVE, NOTIFICATION, NOTIF_OPEN, ROUTE_REFRESH]:
        n += 1
        write("fuzz_wire", "msg-%02d" % n, b"\x01" + m)
    for m in UPDATES_AS2:
        n += 1
        write("fuzz_wire", "msg-%02d" % n, b"\x00" + m)
    for m in UPDATES_AS4:
        n += 1
        write("fuzz_wire", "msg-%02d" % n, b"\x01" + m)
    write("fuzz_wire", "addpath", b"\x05" + ADDPATH_UPDATE)
    big = update(b"", [ORIGIN, attr(0x40, 2, b""), NH, LP],
                 POD * 1200)  # over 4096 bytes: extended messages only
    write("fuzz_wire", "extended", b"\x03" + big)


def fsm():
    # first byte: options (bit 0 IOS, 1 any AS, 2 passive, 3 auto restart,
    # 4 hold 30, 5 keepalive 10, 6 AS4 required); then ops: op % 8 is
    # 0/1 event, 2 OPEN (sel byte ...), 3 KEEPALIVE, 4 UPDATE, 5
    # NOTIFICATION, 6 raw of a type, 7 raw bytes; op bit 7 sends an UPDATE
    # once Established
    def ev(e):
        return bytes([0, e])

    def raw(m):  # op 7: length byte, then the message bytes
        assert len(m) < 256
        return bytes([7, len(m)]) + m

    up = UPDATES_AS2[0][19:]
    notif = NOTIFICATION[19:]
    active = ev(1) + ev(17)  # ManualStart, TcpConnectionConfirmed
    passive = ev(4) + ev(14) + ev(17)
    est = bytes([2, 0x07, 3 | 0x80])  # their OPEN, then KEEPALIVE; send
    write("fuzz_fsm", "established", b"\x00" + active + est)
    write("fuzz_fsm", "established-ios", b"\x31" + active + bytes([2, 0x0f]) +
          bytes([3]) + bytes([4, len(up)]) + up + ev(11) + ev(10))
    write("fuzz_fsm", "passive-as4", b"\x44" + passive + bytes([2, 0x17, 3]) +
          bytes([5, len(notif)]) + notif + ev(13))
    write("fuzz_fsm", "bad-as", b"\x00" + active + bytes([2, 0x06, 0xfd, 0xe9]) +
          ev(18) + ev(9))
    write("fuzz_fsm", "raw-open", b"\x08" + active + raw(OPENS[0]) +
          raw(KEEPALIVE) + raw(UPDATES_AS2[2]) + raw(ROUTE_REFRESH) +
          ev(2) + ev(3))
    write("fuzz_fsm", "hold-zero", b"\xd0" + active + bytes([2, 0x27, 0]) +
          bytes([3]) + ev(12) + ev(20) + ev(23))
    write("fuzz_fsm", "version", b"\x00" + active + bytes([2, 0x27, 3, 3]) +
          bytes([6, 1, 0]) + ev(24))


def pcap():
    # records of 4 bytes (+2 for data): c (bits 0-2 connection, bit 2 IPv6,
    # 4 take, 6 other direction, 7 no address), kind % 6 (SYN, accept,
    # refuse, drop, data, FIN), time (16 bits), its shift; data: length
    def rec(c, kind, t=1, shift=0, length=None):
        b = bytes([c, kind]) + struct.pack(">HB", t, shift)
        if length is not None:
            b += struct.pack(">H", length)
        return b

    def session(c):
        return (rec(c, 0) + rec(c, 1, 2) + rec(c, 4, 3, 0, 60) +
                rec(c | 0x40, 4, 3, 0, 60) + rec(c | 0x10, 4, 30, 3, 19) +
                rec(c, 5, 90, 4))

    write("fuzz_pcap", "ipv4", session(0))
    write("fuzz_pcap", "ipv6", session(4) + session(5))
    write("fuzz_pcap", "refused", rec(1, 0) + rec(1, 2) + rec(2, 0) +
          rec(2, 3) + rec(0x83, 0))
    write("fuzz_pcap", "segments", rec(0, 0) + rec(0, 1) +
          rec(0x10, 4, 1, 0, 1499) + rec(0x40, 4, 1, 0, 0xff10) + rec(0, 5))


def selector():
    for i, s in enumerate([
            "all()", "has(route-reflector)", "!has(route-reflector)",
            "rack == 'r1'", "route-reflector == 'true'",
            "kubernetes.io/hostname in {'node-a', 'node-b'}",
            'kubernetes.io/hostname not in {"node-c"}',
            "kubernetes.io/hostname != 'node-c'",
            "rack == 'a' && !(zone == 'b' || has(edge))",
            "name contains 'rr' || name starts with 'node' && name ends with '-1'",
            "global()", "  ( all() )  "]):
        write("fuzz_selector", "sel-%02d" % (i + 1), s)


def config():
    write("fuzz_config", "full.rrkit.yaml", """\
rules:
  cluster-id-missing: off
  mesh-not-disabled: error
  parse-warning: warning
exclude:
  - "*.tmpl"
  - charts
baseline: .rrkit-baseline
strict: true
""")
    write("fuzz_config", "flow.rrkit.yaml",
          "{rules: {md5-mismatch: error}, exclude: [a/*, b], strict: false}\n")
    write("fuzz_config", "empty.rrkit.yaml", "# nothing configured\n")


wire()
fsm()
pcap()
selector()
config()
