# Sourced by the suites in .ci/test.d: their counters and checks. A suite prints its checks as
# "ok: ..." or "FAILED: ..." and ends with the line "N passed, N failed" (.ci/run adds them up).
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*"; failed=$((failed + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# probe_config FILE CHAT CHAT_UPSTREAM MEDIA MEDIA_UPSTREAM PORTAL: the config tests/tools/relay-probe.py
# expects (chat with a PROXY line, media allowing WhatsApp's names), every port on 127.0.0.1.
probe_config() {
  cat > "$1" <<JSON
{ "relay": { "maxSessions": 16, "routes": [
    { "name": "chat", "listenAddress": "127.0.0.1", "listenPort": $2, "upstreamHost": "127.0.0.1", "upstreamPort": $3, "proxyProtocol": true },
    { "name": "media", "listenAddress": "127.0.0.1", "listenPort": $4, "upstreamHost": "127.0.0.1", "upstreamPort": $5,
      "allowedSni": ["whatsapp.net", "*.whatsapp.net", "*.whatsapp.com"] } ] },
  "portal": { "listenAddress": "127.0.0.1", "port": $6 } }
JSON
}
