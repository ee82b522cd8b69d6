#!/usr/bin/env bash
# Runs Pigeon.Host with a config whose routes and upstreams are on 127.0.0.1 (so the router port
# mapper has nothing to map and never searches the network, and no upstream is probed), reads
# /metrics from the portal address with the token, and checks the page with Prometheus's own
# parser (`promtool check metrics`). Also checks that the page is refused without the token, and
# that with --no-reach it is still the relay's counters.
# Last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*"; failed=$((failed + 1)); }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

host_dll=firmware/Pigeon.Host/bin/Debug/net10.0/Pigeon.Host.dll
if [ ! -f "$host_dll" ]; then
  dotnet build firmware/Pigeon.Host -v q >/dev/null || { bad "build Pigeon.Host"; echo "$passed passed, $failed failed"; exit 1; }
fi

tmp=$(mktemp -d)
token="ci-metrics-token-$RANDOM$RANDOM"
portal=$(free_port)
chat=$(free_port)
media=$(free_port)
cat > "$tmp/config.json" <<JSON
{
  "schemaVersion": 1,
  "relay": {
    "maxSessions": 4,
    "routes": [
      { "name": "chat-test", "listenAddress": "127.0.0.1", "listenPort": $chat, "upstreamHost": "127.0.0.1", "upstreamPort": 9, "proxyProtocol": true },
      { "name": "media-test", "listenAddress": "127.0.0.1", "listenPort": $media, "upstreamHost": "127.0.0.1", "upstreamPort": 9, "allowedSni": ["whatsapp.net", "*.whatsapp.net"] }
    ]
  },
  "portal": { "listenAddress": "127.0.0.1", "port": $portal },
  "network": { "portMapping": true, "metricsToken": "$token" }
}
JSON

dotnet "$host_dll" --config "$tmp/config.json" --data-dir "$tmp" > "$tmp/host.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q "portal" "$tmp/host.log" 2>/dev/null && break
  sleep 0.2
done

# One refused client so a counter is non-zero: plain text on the SNI route.
printf 'GET / HTTP/1.1\r\n\r\n' | timeout 5 python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$media)); s.sendall(sys.stdin.buffer.read()); s.settimeout(3);
try: s.recv(16)
except Exception: pass" || true
sleep 0.5

code=$(curl -s -o "$tmp/metrics.txt" -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$portal/metrics")
if [ "$code" = "200" ]; then ok "GET /metrics with the token: 200"; else bad "GET /metrics with the token: $code"; fi

if promtool check metrics < "$tmp/metrics.txt" > "$tmp/promtool.txt" 2>&1; then
  ok "promtool check metrics: $(grep -c '^pigeon_' "$tmp/metrics.txt") samples, no problems"
else
  bad "promtool check metrics:"; cat "$tmp/promtool.txt"
fi

if grep -q '^pigeon_route_refused_total{route="media-test",reason="not_tls"} 1$' "$tmp/metrics.txt"; then
  ok "the refused plain-text client is counted"
else
  bad "pigeon_route_refused_total for media-test/not_tls is not 1"; grep refused "$tmp/metrics.txt" | head -5
fi

code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$portal/metrics")
if [ "$code" = "401" ]; then ok "GET /metrics without the token: 401"; else bad "GET /metrics without the token: $code"; fi

if grep -q "$token" "$tmp/host.log"; then bad "the token appears in the log"; else ok "the token is not logged"; fi

kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

# With --no-reach the relay's counters are still there (they once answered the setup page's HTML).
dotnet "$host_dll" --config "$tmp/config.json" --data-dir "$tmp" --no-reach > "$tmp/host2.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q "portal" "$tmp/host2.log" 2>/dev/null && break
  sleep 0.2
done
code=$(curl -s -o "$tmp/metrics2.txt" -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$portal/metrics")
if [ "$code" = "200" ] && promtool check metrics < "$tmp/metrics2.txt" > /dev/null 2>&1 && grep -q '^pigeon_sessions_max 4$' "$tmp/metrics2.txt"; then
  ok "--no-reach: GET /metrics is the relay's counters (200, promtool clean)"
else
  bad "--no-reach: GET /metrics: $code"; head -3 "$tmp/metrics2.txt"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$portal/api/nothing")
if [ "$code" = "404" ]; then ok "an unknown API path: 404"; else bad "an unknown API path: $code"; fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
