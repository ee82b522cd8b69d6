#!/usr/bin/env python3
"""Relays through a running Pigeon to fake upstreams on 127.0.0.1 and reports what arrived, as one
JSON line.

  relay-probe.py --chat PORT --chat-upstream PORT --media PORT --media-upstream PORT

Listens on the two upstream ports (the relay's config points its routes there), then:
  chat    connects to the chat route, sends a WhatsApp-like opening ("WA" and 4 KB); the upstream
          reads the PROXY v1 line and the bytes, and echoes them; the client reads them back;
  media   sends a real TLS ClientHello (Python's ssl, SNI mmg.whatsapp.net) to the media route;
          the upstream must receive exactly those bytes (passed through untouched) and answers a
          few bytes, which the client must receive;
  refused sends a ClientHello for example.org to the media route: the relay must close it and
          the media upstream must see no connection.
Every socket is on 127.0.0.1. Used by .ci/test.d/65-docker.sh.
"""
import argparse
import json
import os
import socket
import ssl
import sys
import threading


def client_hello(name):
    """The first flight of a TLS client for `name`, as bytes (nothing is sent anywhere)."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ssl.create_default_context().wrap_bio(incoming, outgoing, server_hostname=name)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def read_exactly(conn, count, timeout=10):
    conn.settimeout(timeout)
    data = b""
    while len(data) < count:
        chunk = conn.recv(count - len(data))
        if not chunk:
            break
        data += chunk
    return data


class Upstream:
    """One listening socket on 127.0.0.1; `handle` runs for each connection in a thread."""

    def __init__(self, port, handle):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(8)
        self.handle = handle
        self.connections = 0
        self.results = []
        threading.Thread(target=self.loop, daemon=True).start()

    def loop(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        try:
            self.results.append(self.handle(conn))
        except Exception as e:  # reported, never raised in a thread
            self.results.append({"error": repr(e)})
        finally:
            conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--chat", type=int, required=True)
    p.add_argument("--chat-upstream", type=int, required=True)
    p.add_argument("--media", type=int, required=True)
    p.add_argument("--media-upstream", type=int, required=True)
    a = p.parse_args()
    payload = b"WA\x06\x03" + os.urandom(4096)
    hello = client_hello("mmg.whatsapp.net")
    answer = b"\x16\x03\x03\x00\x02hi"

    def chat(conn):
        conn.settimeout(10)
        line = b""
        while not line.endswith(b"\r\n") and len(line) < 108:
            b = conn.recv(1)
            if not b:
                break
            line += b
        body = read_exactly(conn, len(payload))
        conn.sendall(body)
        return {"proxy_line": line.decode("ascii", "replace").strip(), "bytes": len(body), "same": body == payload}

    def media(conn):
        got = read_exactly(conn, len(hello))
        conn.sendall(answer)
        read_exactly(conn, 1, timeout=2)  # until the client closes
        return {"bytes": len(got), "same": got == hello}

    chat_up = Upstream(a.chat_upstream, chat)
    media_up = Upstream(a.media_upstream, media)
    result = {}

    with socket.create_connection(("127.0.0.1", a.chat), timeout=10) as c:
        c.sendall(payload)
        echoed = read_exactly(c, len(payload))
    result["chat_echoed"] = echoed == payload
    result["chat_upstream"] = chat_up.results[0] if chat_up.results else None

    with socket.create_connection(("127.0.0.1", a.media), timeout=10) as c:
        c.sendall(hello)
        back = read_exactly(c, len(answer))
    result["media_hello_bytes"] = len(hello)
    result["media_answer_received"] = back == answer
    threading.Event().wait(0.5)
    result["media_upstream"] = media_up.results[0] if media_up.results else None

    before = media_up.connections
    with socket.create_connection(("127.0.0.1", a.media), timeout=10) as c:
        c.sendall(client_hello("example.org"))
        c.settimeout(10)
        try:
            closed = c.recv(1) == b""
        except (ConnectionResetError, socket.timeout):
            closed = True
    threading.Event().wait(2)
    result["refused_closed"] = closed
    result["refused_reached_upstream"] = media_up.connections != before

    result["ok"] = bool(result["chat_echoed"] and result["chat_upstream"] and result["chat_upstream"].get("same")
                        and result["chat_upstream"]["proxy_line"].startswith("PROXY TCP4 127.0.0.1 ")
                        and result["media_answer_received"] and result["media_upstream"] and result["media_upstream"].get("same")
                        and result["refused_closed"] and not result["refused_reached_upstream"])
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
