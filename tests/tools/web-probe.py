#!/usr/bin/env python3
"""What a censor's prober sees on port 443: the same probes against nginx (Debian's
nginx-light, its default site with a certificate) and against Pigeon's TLS chat route, both on
127.0.0.1, side by side (issue 22; docs/server.md, "What a prober sees").

Each probe reduces an answer to what a prober can compare: the status line, the header names in
order and the values that do not vary by site (Server's product, Connection, Content-Type), the
error page's text, whether the connection stays open, and how and when a silent connection ends.
Values that belong to the site (its page, dates, ETag) are compared by presence. A difference
is a failure unless it is listed in KNOWN with its reason.

    web-probe.py --nginx PORT --pigeon PORT [--quick]

--quick leaves out the timing probes (60-75 s). The last line is "N passed, M failed".
"""
import argparse
import re
import socket
import ssl
import sys
import threading
import time

HOST = "127.0.0.1"

# Differences kept on purpose, each with its reason (docs/server.md).
KNOWN = {
    # A chat opening inside the TLS is relayed to WhatsApp (not probed here: it would dial out).
}


def context(alpn=None):
    c = ssl.create_default_context()
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    if alpn:
        c.set_alpn_protocols(alpn)
    return c


def tls(port, sni="www.example.org", alpn=None, timeout=5):
    raw = socket.create_connection((HOST, port), timeout=timeout)
    return context(alpn).wrap_socket(raw, server_hostname=sni)


def exchange(port, data, linger=1.5):
    """Sends data inside TLS; returns (bytes answered, 'eof' | 'open' | error name)."""
    s = tls(port)
    s.sendall(data)
    s.settimeout(linger)
    out = b""
    end = "open"
    try:
        while True:
            d = s.recv(65536)
            if not d:
                end = "eof"
                break
            out += d
    except socket.timeout:
        end = "open"
    except (ssl.SSLError, OSError) as e:
        end = type(e).__name__
    s.close()
    return out, end


def shape(answer, end):
    """An answer as a prober compares it."""
    if not answer:
        return "no answer, " + end
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0]
    names = []
    values = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        names.append(name)
        values[name.lower()] = value.strip()
    server = re.sub(r"/[0-9.]+$", "", values.get("server", "-"))  # the product, not its version
    page = body.decode("latin-1")
    title = re.search(r"<title>(.*?)</title>", page)
    error = title.group(1) if title and status.split(" ")[1] != "200" else "-"
    return "%s | headers %s | Server %s | Connection %s | Content-Type %s | page %s | %s" % (
        status, ",".join(names), server, values.get("connection", "-"), values.get("content-type", "-"), error, end)


PROBES = [
    ("GET /", b"GET / HTTP/1.1\r\nHost: www.example.org\r\nUser-Agent: probe\r\n\r\n"),
    ("GET / then Connection: close", b"GET / HTTP/1.1\r\nHost: www.example.org\r\nConnection: close\r\n\r\n"),
    ("HEAD /", b"HEAD / HTTP/1.1\r\nHost: www.example.org\r\n\r\n"),
    ("GET /admin (missing page)", b"GET /admin HTTP/1.1\r\nHost: www.example.org\r\n\r\n"),
    ("POST /", b"POST / HTTP/1.1\r\nHost: www.example.org\r\nContent-Length: 3\r\n\r\nabc"),
    ("OPTIONS /", b"OPTIONS / HTTP/1.1\r\nHost: www.example.org\r\n\r\n"),
    ("TRACE /", b"TRACE / HTTP/1.1\r\nHost: www.example.org\r\n\r\n"),
    ("HTTP/1.0", b"GET / HTTP/1.0\r\n\r\n"),
    ("HTTP/1.0 keep-alive", b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
    ("HTTP/1.1 without Host", b"GET / HTTP/1.1\r\n\r\n"),
    ("HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
    ("HTTP/2.0 request line", b"GET / HTTP/2.0\r\nHost: www.example.org\r\n\r\n"),
    ("lower-case method", b"get / HTTP/1.1\r\nHost: www.example.org\r\n\r\n"),
    ("CONNECT", b"CONNECT example.org:443 HTTP/1.1\r\nHost: example.org\r\n\r\n"),
    ("path out of the root", b"GET /../etc HTTP/1.1\r\nHost: www.example.org\r\n\r\n"),
    ("absolute URL", b"GET http://www.example.org/ HTTP/1.1\r\nHost: www.example.org\r\n\r\n"),
    ("bare LF line ends", b"GET / HTTP/1.1\nHost: www.example.org\n\n"),
    ("random bytes", bytes(range(1, 40))),
    ("a TLS ClientHello inside the TLS", b"\x16\x03\x01\x00\x2f\x01\x00\x00\x2b\x03\x03" + bytes(32) + b"\x00\x00\x02\x13\x01\x01\x00"),
    ("a line of text", b"hello\r\n"),
]


def alpn_probe(port, offered):
    try:
        s = tls(port, alpn=offered)
        chosen = s.selected_alpn_protocol()
        s.close()
        return "handshake ok, ALPN " + (chosen or "none")
    except (ssl.SSLError, OSError) as e:
        return "handshake failed: " + type(e).__name__


def timing_probes(port, results):
    """How each kind of silent connection ends, and after how long (to the second)."""

    def ended(s, t0):
        s.settimeout(120)
        try:
            d = s.recv(4096)
            how = "FIN" if not d else "data " + d[:12].decode("latin-1", "replace")
        except ConnectionResetError:
            how = "RST"
        except (ssl.SSLError, OSError) as e:
            how = type(e).__name__
        return "%s after %d s" % (how, round(time.time() - t0))

    def run(name, fn):
        try:
            results[name] = fn()
        except Exception as e:  # a probe that could not even start is a result too
            results[name] = "error " + type(e).__name__

    def silent_tcp():
        s = socket.create_connection((HOST, port))
        return ended(s, time.time())

    def partial_hello():
        s = socket.create_connection((HOST, port))
        s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
        return ended(s, time.time())

    def silent_after_handshake():
        s = tls(port, timeout=120)
        return ended(s, time.time())

    def partial_request():
        s = tls(port, timeout=120)
        s.sendall(b"GET / HTTP/1.1\r\nHost: www.example.org\r\n")
        return ended(s, time.time())

    def kept_alive():
        s = tls(port, timeout=120)
        s.sendall(b"GET /admin HTTP/1.1\r\nHost: www.example.org\r\n\r\n")
        got = b""
        while b"</html>" not in got:
            got += s.recv(65536)
        return ended(s, time.time())

    threads = [threading.Thread(target=run, args=(n, f)) for n, f in (
        ("timing: silent TCP, no ClientHello", silent_tcp),
        ("timing: half a ClientHello", partial_hello),
        ("timing: silent after the handshake", silent_after_handshake),
        ("timing: half a request head", partial_request),
        ("timing: kept alive after an answer", kept_alive),
    )]
    for t in threads:
        t.start()
    return threads


def observe(port, quick):
    seen = {}
    seen["ALPN offered h2,http/1.1"] = alpn_probe(port, ["h2", "http/1.1"])
    seen["ALPN offered none"] = alpn_probe(port, None)
    for name, data in PROBES:
        seen[name] = shape(*exchange(port, data))
    threads = [] if quick else timing_probes(port, seen)
    return seen, threads


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--nginx", type=int, required=True)
    p.add_argument("--pigeon", type=int, required=True)
    p.add_argument("--quick", action="store_true")
    a = p.parse_args()
    nginx, nt = observe(a.nginx, a.quick)
    pigeon, pt = observe(a.pigeon, a.quick)
    for t in nt + pt:
        t.join()
    passed = failed = 0
    for name in nginx:
        same = nginx[name] == pigeon.get(name)
        known = KNOWN.get(name)
        ok = same or known is not None
        passed += ok
        failed += not ok
        mark = "same" if same else ("KNOWN: " + known) if known else "DIFFERENT"
        print("== %s: %s" % (name, mark))
        print("   nginx : %s" % nginx[name])
        if not same:
            print("   pigeon: %s" % pigeon.get(name))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
