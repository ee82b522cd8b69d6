#!/usr/bin/env python3
"""Runs a Pigeon command the way systemd would and reports what it saw, as one JSON line.

  service-probe.py notify [--runs N] [--port P]... [--http URL] [--post URL JSON] [--tls PORT] -- COMMAND...
      Binds a NOTIFY_SOCKET, starts COMMAND with it, and meanwhile tries every --port on
      127.0.0.1 every 2 ms. Reports when READY=1 arrived, whether every port accepted a
      connection at that moment, when each port first accepted, the ports that refused an
      attempt begun after READY=1 arrived (there must be none), the STATUS= text, the process's
      capabilities and resident memory at READY, the status of GET --http and of POST --post
      (a JSON body), the TLS version a handshake on --tls PORT reached; then sends
      SIGTERM and reports STOPPING=1, the exit code and the output. With --runs N, repeats N
      times and adds the median and spread of the start-up time (exec to READY=1).

  service-probe.py journal -- COMMAND...
      Starts COMMAND with its standard output on a socket named by JOURNAL_STREAM (as systemd
      connects a service to the journal) and reports the first lines it wrote.

Used by .ci/test.d/60-packaging.sh and for the start-up figures in docs/performance.md.
"""
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def split_args(argv):
    if "--" not in argv:
        sys.exit("usage: service-probe.py notify|journal [options] -- COMMAND...")
    i = argv.index("--")
    return argv[:i], argv[i + 1:]


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def proc_status(pid):
    fields = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
    except OSError:
        pass
    return fields


def tls_version(port):
    """Completes a TLS handshake on 127.0.0.1:PORT (any certificate) and returns the version."""
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="relay.example") as tls:
                return tls.version()
    except (OSError, ssl.SSLError) as e:
        return str(e)


def notify_once(command, ports, http, post, tls):
    folder = tempfile.mkdtemp(prefix="pigeon-notify-")
    os.chmod(folder, 0o755)  # a service running as another user must reach the socket
    path = os.path.join(folder, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o777)
    sock.settimeout(60)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    first_accept = {}
    # Connection attempts begun after READY=1 arrived that were refused: none may be, whatever
    # the load (a slow poller only makes fewer attempts, never a false one).
    refused_after_ready = []
    ready_at = [None]
    stop_polling = threading.Event()
    start = time.monotonic()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def poll():
        while not stop_polling.is_set() and len(first_accept) < len(ports):
            for port in ports:
                if port in first_accept:
                    continue
                begun = time.monotonic()
                if accepts(port):
                    first_accept[port] = (time.monotonic() - start) * 1000
                elif ready_at[0] is not None and begun > ready_at[0]:
                    refused_after_ready.append(port)
            time.sleep(0.002)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    report = {"command": command}
    try:
        message = sock.recv(4096).decode()
        ready_at[0] = time.monotonic()
        ready_ms = (ready_at[0] - start) * 1000
    except socket.timeout:
        message, ready_ms = "", None
    accept_at_ready = {str(p): accepts(p) for p in ports}
    poller.join(2)  # until the poller has seen every port (or 2 s)
    stop_polling.set()
    poller.join()
    status = proc_status(proc.pid)
    report.update({
        "ready": message.startswith("READY=1"),
        "ready_message": message,
        "ready_ms": round(ready_ms, 1) if ready_ms is not None else None,
        "accept_at_ready": accept_at_ready,
        "first_accept_ms": {str(p): round(v, 1) for p, v in first_accept.items()},
        "refused_after_ready": sorted(set(refused_after_ready)),
        "uid": status.get("Uid", "").split()[:1],
        "cap_eff": status.get("CapEff"),
        "cap_prm": status.get("CapPrm"),
        "cap_bnd": status.get("CapBnd"),
        "rss_kb": int(status.get("VmRSS", "0 kB").split()[0]) if status.get("VmRSS") else None,
        "threads": int(status.get("Threads", "0")),
    })
    if http:
        try:
            with urllib.request.urlopen(http, timeout=10) as r:
                report["http_status"] = r.status
                report["http_bytes"] = len(r.read())
        except Exception as e:  # noqa: BLE001 - reported, not raised
            report["http_status"] = str(e)
    if tls:
        report["tls_version"] = tls_version(tls)
    if post:
        url, body = post
        request = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                report["post_status"] = r.status
        except urllib.error.HTTPError as e:
            report["post_status"] = e.code
        except Exception as e:  # noqa: BLE001 - reported, not raised
            report["post_status"] = str(e)
    proc.send_signal(signal.SIGTERM)
    try:
        report["stop_message"] = sock.recv(4096).decode()
    except socket.timeout:
        report["stop_message"] = ""
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    report["exit_code"] = proc.returncode
    report["output"] = out.decode(errors="replace").splitlines()[-12:]
    sock.close()
    os.unlink(path)
    os.rmdir(folder)
    return report


def notify(argv):
    options, command = split_args(argv)
    ports, runs, http, post, tls = [], 1, None, None, None
    i = 0
    while i < len(options):
        if options[i] == "--port":
            ports.append(int(options[i + 1])); i += 2
        elif options[i] == "--runs":
            runs = int(options[i + 1]); i += 2
        elif options[i] == "--http":
            http = options[i + 1]; i += 2
        elif options[i] == "--tls":
            tls = int(options[i + 1]); i += 2
        elif options[i] == "--post":
            post = (options[i + 1], options[i + 2]); i += 3
        else:
            sys.exit("unknown option " + options[i])
    reports = [notify_once(command, ports, http, post, tls) for _ in range(runs)]
    result = reports[-1]
    if runs > 1:
        times = [r["ready_ms"] for r in reports if r["ready_ms"] is not None]
        result["runs"] = runs
        result["ready_ms_all"] = times
        result["ready_ms_median"] = round(statistics.median(times), 1) if times else None
        result["ready_ms_min"] = min(times) if times else None
        result["ready_ms_max"] = max(times) if times else None
        result["rss_kb_median"] = statistics.median([r["rss_kb"] for r in reports if r["rss_kb"]])
    print(json.dumps(result))


def journal(argv):
    _, command = split_args(argv)
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    st = os.fstat(child.fileno())
    env = dict(os.environ, JOURNAL_STREAM="%d:%d" % (st.st_dev, st.st_ino))
    proc = subprocess.Popen(command, env=env, stdout=child.fileno(), stderr=child.fileno())
    child.close()
    parent.settimeout(30)
    data = b""
    deadline = time.monotonic() + 30
    while b"relay up" not in data and time.monotonic() < deadline:
        try:
            chunk = parent.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    print(json.dumps({"lines": data.decode(errors="replace").splitlines()[:12], "exit_code": proc.returncode}))


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("notify", "journal"):
        sys.exit(__doc__)
    (notify if sys.argv[1] == "notify" else journal)(sys.argv[2:])
