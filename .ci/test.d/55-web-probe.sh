#!/usr/bin/env bash
# What a censor's prober sees on 443 (issue 22): tests/tools/web-probe.py runs the same probes
# against nginx-light (Debian's nginx.conf and default site, with a certificate) and against
# Pigeon.Host's TLS chat route (its defaults: chatOpeningCheck, Signal's hosts), both on
# 127.0.0.1, and fails on any difference it does not list with a reason (docs/server.md,
# "What a prober sees"). About 80 s: the timing probes wait for both servers' timeouts.
set -uo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d -t pigeon-probe.XXXXXX)
host_pid=""
cleanup() {
  [ -n "$host_pid" ] && kill "$host_pid" 2>/dev/null
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

nginx_port=$(free_port)
pigeon_port=$(free_port)
portal_port=$(free_port)
mkdir -p "$work/logs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -days 2 -subj "/CN=www.example.org" >/dev/null 2>&1
# Debian 12's /etc/nginx/nginx.conf and sites-available/default, with its "listen 443 ssl" lines
# enabled and pointed at 127.0.0.1 and a certificate.
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 768; }
http {
  sendfile on;
  tcp_nopush on;
  types_hash_max_size 2048;
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
  ssl_prefer_server_ciphers on;
  access_log off;
  gzip on;
  server {
    listen 127.0.0.1:$nginx_port ssl default_server;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    root /var/www/html;
    index index.html index.htm index.nginx-debian.html;
    server_name _;
    location / { try_files \$uri \$uri/ =404; }
  }
}
CONF
if [ ! -f /var/www/html/index.nginx-debian.html ]; then
  echo "nginx-light's default page is missing (/var/www/html/index.nginx-debian.html)"; echo "0 passed, 1 failed"; exit 1
fi
nginx -p "$work" -c "$work/nginx.conf" || { echo "nginx did not start"; echo "0 passed, 1 failed"; exit 1; }

cat > "$work/config.json" <<CONF
{ "relay": { "routes": [ { "name": "chat-tls", "listenAddress": "127.0.0.1", "listenPort": $pigeon_port,
    "upstreamHost": "127.0.0.1", "upstreamPort": 9, "terminateTls": true, "chatOpeningCheck": true } ] },
  "portal": { "listenAddress": "127.0.0.1", "port": $portal_port } }
CONF
dotnet build -c Release firmware/Pigeon.Host -v q -nologo >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
dotnet firmware/Pigeon.Host/bin/Release/net10.0/Pigeon.Host.dll --no-reach --config "$work/config.json" > "$work/host.log" 2>&1 &
host_pid=$!
for _ in $(seq 1 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $pigeon_port), 1)" 2>/dev/null && break
  sleep 0.2
done

python3 tests/tools/web-probe.py --nginx "$nginx_port" --pigeon "$pigeon_port"
