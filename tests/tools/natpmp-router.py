#!/usr/bin/env python3
"""A home router's NAT-PMP (RFC 6886) for one test, in a network namespace the test made itself.

  natpmp-router.py ADDRESS EXTERNAL

Answers on ADDRESS:5351: the external address request with EXTERNAL, every TCP or UDP mapping
request granted as asked (a lifetime of 0 deletes it), a PCP request with "unsupported version".
Prints one line per request ("external", "map tcp 5222 -> 5222 for 7200 s", "delete tcp 5222").
Used by .ci/test.d/60-packaging.sh to watch the installed binary's reachability work
(docs/server.md, "Native AOT"); never bound to an address outside that namespace.
"""
import socket
import struct
import sys
import time


def main(address, external):
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind((address, 5351))
    start = time.time()
    while True:
        data, peer = server.recvfrom(1100)
        epoch = int(time.time() - start)
        if len(data) >= 2 and data[0] != 0:
            print("pcp version %d: unsupported" % data[0], flush=True)
            server.sendto(struct.pack("!BBHI", 0, 128 + (data[1] & 0x7F), 1, epoch), peer)
        elif len(data) == 2 and data[1] == 0:
            print("external", flush=True)
            server.sendto(struct.pack("!BBHI4s", 0, 128, 0, epoch, socket.inet_aton(external)), peer)
        elif len(data) == 12 and data[1] in (1, 2):
            _, op, _, internal, wanted, lifetime = struct.unpack("!BBHHHI", data)
            kind = "udp" if op == 1 else "tcp"
            if lifetime == 0:
                print("delete %s %d" % (kind, internal), flush=True)
            else:
                print("map %s %d -> %d for %d s" % (kind, internal, wanted or internal, lifetime), flush=True)
            server.sendto(struct.pack("!BBHIHHI", 0, 128 + op, 0, epoch, internal, wanted or internal, lifetime), peer)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
