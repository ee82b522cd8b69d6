#!/usr/bin/env python3
"""Resident memory and threads of one relay holding N idle sessions, plain or TLS (docs/performance.md).

    python3 tests/tools/idle-rss.py RELAY [--tls] [--steps 1000,5000,9000] [--env NAME=VALUE]...

RELAY is a Pigeon.Host executable (a published build: native AOT, the single file), dll:PATH for
`dotnet PATH`, or `haproxy` (2.6, `mode tcp`, `bind ... ssl crt` with an ECDSA P-256 certificate
under --tls). Each client opens a connection (and under --tls a TLS 1.3 handshake, no tickets
kept), sends a chat opening ("WA" 6 5) and nothing more; a separate holder process accepts the
relayed connections and keeps them. After each step (and 2 s to settle) it prints VmRSS and
Threads from /proc/PID/status, then one JSON line. Run each relay in a fresh process, one at a
time: memory freed by one run serves the next, in HAProxy's pools as in the GC. 127.0.0.1 only;
needs an open-file limit above 2 x the sessions (the clients and the holder are separate processes).
"""
import argparse
import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HOLDER = r'''
import selectors, socket, sys, time
port, path = int(sys.argv[1]), sys.argv[2]
sel = selectors.DefaultSelector()
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", port)); listener.listen(4096); listener.setblocking(False)
sel.register(listener, selectors.EVENT_READ)
held, last = 0, 0
while True:
    for key, _ in sel.select(0.2):
        if key.fileobj is listener:
            while True:
                try:
                    c, _ = listener.accept()
                except BlockingIOError:
                    break
                c.setblocking(False); sel.register(c, selectors.EVENT_READ); held += 1
        else:
            try:
                data = key.fileobj.recv(4096)
            except (BlockingIOError, ConnectionError):
                data = b"x"
            if not data:
                sel.unregister(key.fileobj); key.fileobj.close(); held -= 1
    if time.time() - last > 0.2:
        with open(path, "w") as f:
            f.write(str(held))
        last = time.time()
'''


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def status(pid):
    rss = threads = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return rss, threads


def held(path):
    try:
        with open(path) as f:
            return int(f.read() or -1)
    except (OSError, ValueError):
        return -1


def relay_command(relay, tls, listen, target, folder):
    if relay == "haproxy":
        bind = ""
        if tls:
            pem = os.path.join(folder, "relay.pem")
            subprocess.check_call(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                   "-keyout", pem + ".key", "-out", pem + ".crt", "-days", "30", "-subj", "/CN=bench.example"],
                                  stderr=subprocess.DEVNULL)
            with open(pem, "w") as f:
                f.write(open(pem + ".crt").read() + open(pem + ".key").read())
            bind = " ssl crt " + pem
        config = os.path.join(folder, "haproxy.cfg")
        with open(config, "w") as f:
            f.write("global\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 200s\n  timeout server 200s\n"
                    "listen idle\n  bind 127.0.0.1:%d%s\n  server holder 127.0.0.1:%d\n" % (listen, bind, target))
        return ["haproxy", "-f", config, "-db"]

    route = {"name": "idle", "listenAddress": "127.0.0.1", "listenPort": listen, "upstreamHost": "127.0.0.1", "upstreamPort": target}
    if tls:
        route["terminateTls"] = True  # the certificate Pigeon makes itself (ECDSA P-256)
    config = os.path.join(folder, "config.json")
    with open(config, "w") as f:
        json.dump({"schemaVersion": 1, "portal": {"listenAddress": "127.0.0.1", "port": free_port()},
                   "relay": {"maxSessions": 10000, "maxSessionsPerClient": 0, "bufferBytes": 65536, "routes": [route]}}, f)
    options = ["--config", config, "--data-dir", folder, "--stats-interval", "1000", "--no-reach", "--pump", "events"]
    return (["dotnet", relay[4:]] if relay.startswith("dll:") else [relay]) + options


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("relay")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--steps", default="1000,5000,9000")
    parser.add_argument("--env", action="append", default=[])
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="pigeon-idle-rss-")
    holder_port, listen = free_port(), free_port()
    held_path = os.path.join(folder, "held")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(holder_port), held_path])
    env = dict(os.environ)
    for pair in args.env:
        name, value = pair.split("=", 1)
        env[name] = value
    relay = subprocess.Popen(relay_command(args.relay, args.tls, listen, holder_port, folder), env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = {"relay": args.relay, "tls": args.tls}
    clients = []
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", listen), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1.5)  # the probe's own session ends
        rss, threads = status(relay.pid)
        result["0"] = [round(rss / 1024, 1), threads]
        print("0 sessions: %.1f MB resident, %d threads" % (rss / 1024, threads), flush=True)
        context = None
        if args.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.minimum_version = ssl.TLSVersion.TLSv1_3
        for step in [int(s) for s in args.steps.split(",")]:
            while len(clients) < step:
                s = socket.create_connection(("127.0.0.1", listen))
                if context:
                    s = context.wrap_socket(s, server_hostname="bench.example")
                s.sendall(b"WA\x06\x05")
                clients.append(s)
            start = time.time()
            while held(held_path) < step and time.time() - start < 60:
                time.sleep(0.1)
            time.sleep(2)  # settle: the relay's post-accept work done, pages touched
            rss, threads = status(relay.pid)
            result[str(step)] = [round(rss / 1024, 1), threads]
            print("%d sessions: %.1f MB resident, %d threads (%d reached the holder)" % (step, rss / 1024, threads, held(held_path)), flush=True)
    finally:
        for s in clients:
            s.close()
        relay.kill()
        holder.kill()
        relay.wait()
        holder.wait()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
