#!/usr/bin/env bash
# The server package (issue 11, docs/server.md), on this machine as root, with no systemd
# running (a CI container): builds the Linux binaries and both Debian packages, installs the
# amd64 one with dpkg -i, verifies its unit with systemd-analyze, runs the installed binary as
# `nobody` holding only CAP_NET_BIND_SERVICE (it binds a port below 1024 on 127.0.0.1; without
# the capability it cannot), checks READY=1 on a test NOTIFY_SOCKET arrives when the listeners
# accept and STOPPING=1 on SIGTERM, the journal's line format, the ExecStartPre check, lintian
# (no error), the man page, `pigeon setup` on the package's /etc/pigeon/config.json, hand edits of it
# (used; with an error: refused by the check and the start), an upgrade that keeps it, then removes
# and purges the package. Native AOT (issue 20): the binaries' libraries and dependencies, the
# relay run under the unit's MemoryDenyWriteExecute filter (tests/tools/deny-write-execute.py),
# the installed binary's ACME client against Pebble, the arm64 binary under qemu-user.
# Last line: "N passed, N failed".
#
# CI builds linux-x64 and linux-arm64 only (the two packages); osx-arm64 and win-x64 are built
# by the release workflow (.github/workflows/release.yml), which runs packaging/build.sh whole.
# PIGEON_CI_TARGETS overrides the list (e.g. all four).
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
. .ci/suite.sh
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; exit $?; }
probe="$repo/tests/tools/service-probe.py"
jq_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=eval("d"+sys.argv[2]); print(json.dumps(v) if not isinstance(v,str) else v)' "$1" "$2"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "needs root (dpkg -i, setpriv): run in CI or with sudo"
  bad "running as root"
  finish
fi

# The system temporary folder ($TMPDIR, else /tmp); the service under test runs as nobody, so
# the folder is opened to it.
work=$(mktemp -d -t pigeon-pkg-XXXXXX)
chmod 755 "$work"
export ARTIFACTS="$work/artifacts"
version="0.0.0+ci.$(git rev-parse --short=10 HEAD 2>/dev/null || echo local)"

# --- build --------------------------------------------------------------------------------------
start=$(date +%s)
if PIGEON_VERSION="$version" PIGEON_TARGETS="${PIGEON_CI_TARGETS:-linux-x64 linux-arm64}" bash packaging/build.sh > "$work/build.log" 2>&1; then
  ok "packaging/build.sh in $(( $(date +%s) - start )) s"
else
  tail -40 "$work/build.log"
  bad "packaging/build.sh"
  finish
fi
grep '^== ' "$work/build.log"
amd64="$ARTIFACTS/pigeon_${version}_amd64.deb"
arm64="$ARTIFACTS/pigeon_${version}_arm64.deb"
check "pigeon_${version}_amd64.deb and _arm64.deb built" '[ -s "$amd64" ] && [ -s "$arm64" ]'
check "SHA256SUMS verifies every artifact" '(cd "$ARTIFACTS" && sha256sum --quiet -c SHA256SUMS) && [ "$(wc -l < "$ARTIFACTS/SHA256SUMS")" -ge 4 ]'
check "the linux-x64 binary is an x86-64 ELF, the linux-arm64 one AArch64" \
  'readelf -h "$ARTIFACTS/pigeon-$version-linux-x64/pigeon" | grep -q "X86-64" && readelf -h "$ARTIFACTS/pigeon-$version-linux-arm64/pigeon" | grep -q "AArch64"'
# Native AOT (issue 20): one ELF that needs the C library only (libssl is opened at run time), no
# .NET single-file bundle after it; the packages say which C library it was linked against.
for rid in linux-x64 linux-arm64; do
  check "the $rid binary is native AOT: it needs libc and libm only, and carries no single-file bundle" \
    '[ "$(readelf -d "$ARTIFACTS/pigeon-$version-$rid/pigeon" | sed -n "s/.*(NEEDED).*\[\(.*\)\]/\1/p" | grep -v "^ld-linux" | sort | tr "\n" " ")" = "libc.so.6 libm.so.6 " ] && ! grep -q "libclrjit\|Pigeon.Host.deps.json" "$ARTIFACTS/pigeon-$version-$rid/pigeon"'
done
check "both packages depend on libc6 (>= 2.34), the newest glibc symbol version the AOT binary names, and on libssl3; not on libstdc++" \
  'for deb in "$amd64" "$arm64"; do dpkg-deb -f "$deb" Depends | grep -q "libc6 (>= 2.34), libssl3 | libssl3t64" && ! dpkg-deb -f "$deb" Depends | grep -q libstdc || exit 1; done'
check "the arm64 package holds the AArch64 binary" '[ "$(dpkg-deb -f "$arm64" Architecture)" = arm64 ] && dpkg-deb -x "$arm64" "$work/arm64" && readelf -h "$work/arm64/usr/bin/pigeon" | grep -q "AArch64"'
contents=$(dpkg-deb -c "$amd64")
check "the package holds /usr/bin/pigeon, the unit, /etc/default/pigeon, /etc/pigeon/config.json, the man page and the licences" \
  'for f in ./usr/bin/pigeon ./lib/systemd/system/pigeon.service ./etc/default/pigeon ./etc/pigeon/config.json ./usr/share/man/man1/pigeon.1.gz ./usr/share/doc/pigeon/copyright ./usr/share/doc/pigeon/dotnet-runtime-third-party-notices.txt.gz ./usr/lib/sysusers.d/pigeon.conf ./usr/lib/tmpfiles.d/pigeon.conf; do grep -q " $f$" <<< "$contents" || exit 1; done'
check "its conffiles: /etc/default/pigeon and /etc/pigeon/config.json" '[ "$(dpkg-deb -I "$amd64" conffiles | sort | tr "\n" " ")" = "/etc/default/pigeon /etc/pigeon/config.json " ]'
check "the tar.gz holds the program, LICENSE.txt, the runtime's notices and the board profiles" \
  '[ "$(tar -tzf "$ARTIFACTS/pigeon-$version-linux-x64.tar.gz" | grep -v "^hardware/boards/.*\.json$" | sort | tr "\n" " ")" = "LICENSE.txt dotnet-runtime-third-party-notices.txt hardware/ hardware/boards/ pigeon " ] && [ "$(tar -tzf "$ARTIFACTS/pigeon-$version-linux-x64.tar.gz" | grep -c "^hardware/boards/.*\.json$")" = "$(ls hardware/boards/*.json | wc -l)" ]'
check "the Maintainer is who built it, not a made-up address" '! dpkg-deb -f "$amd64" Maintainer | grep -q "@invalid"'

# --- lintian ------------------------------------------------------------------------------------
for deb in "$amd64" "$arm64"; do
  lintian -I --tag-display-limit 0 "$deb" > "$work/lintian.txt" 2>&1
  sed "s/^/  lintian $(dpkg-deb -f "$deb" Architecture): /" "$work/lintian.txt"
  # The AOT binary embeds no zlib, so the single file's override (kept for PIGEON_AOT=jit) is not shipped.
  check "lintian $(basename "$deb"): no error, no override shipped or left unused" '! grep -q "^E: " "$work/lintian.txt" && ! grep -q "unused-override" "$work/lintian.txt" && ! dpkg-deb -c "$deb" | grep -q lintian/overrides'
done

# --- install ------------------------------------------------------------------------------------
dpkg -P pigeon >/dev/null 2>&1 || true # a previous run's leftovers
rm -rf /var/lib/private/pigeon /var/lib/pigeon /etc/pigeon
if dpkg -i "$amd64" > "$work/dpkg-i.log" 2>&1; then ok "dpkg -i the amd64 package"; else cat "$work/dpkg-i.log"; bad "dpkg -i"; fi
check "dpkg says pigeon $version is installed" '[ "$(dpkg-query -W -f="\${Status} \${Version}" pigeon 2>/dev/null)" = "install ok installed $version" ]'
check "the service is enabled (multi-user.target.wants link)" '[ "$(readlink /etc/systemd/system/multi-user.target.wants/pigeon.service)" = "/lib/systemd/system/pigeon.service" ]'
check "/usr/bin/pigeon runs (--help, --version $version)" '/usr/bin/pigeon --help | grep -q "^usage: pigeon " && [ "$(/usr/bin/pigeon --version)" = "pigeon $version" ]'
check "the installed relay finds the board profiles (config check --board esp32-devkitc)" '/usr/bin/pigeon config check --board esp32-devkitc > "$work/board.txt" 2>&1 && grep -q "^sessions: " "$work/board.txt"'
check "the user pigeon exists, with no login" '[ "$(getent passwd pigeon | cut -d: -f7)" = /usr/sbin/nologin ]'
check "/etc/pigeon is pigeon's, 0700" '[ "$(stat -c "%U %a" /etc/pigeon)" = "pigeon 700" ]'
check "man pigeon: the installed page documents setup and the files" \
  'zcat /usr/share/man/man1/pigeon.1.gz | grep -q "^.B pigeon setup" && { ! command -v man >/dev/null || MANPAGER=cat man pigeon 2>/dev/null | grep -q "/etc/pigeon/config.json"; }'

unit=/lib/systemd/system/pigeon.service
if out=$(systemd-analyze verify "$unit" 2>&1) && [ -z "$out" ]; then ok "systemd-analyze verify $unit: no findings"; else echo "$out"; bad "systemd-analyze verify"; fi
exposure=$(systemd-analyze security --offline=true --no-pager "$unit" 2>/dev/null | sed -nE 's/.*Overall exposure level for pigeon.service: ([0-9.]+).*/\1/p')
check "systemd-analyze security: exposure $exposure (at most 2.0, \"OK\")" 'awk -v e="$exposure" "BEGIN { exit !(e != \"\" && e <= 2.0) }"'
check "the unit: User=pigeon, StateDirectory, /etc/pigeon writable, Type=notify, ExecStartPre config check, only CAP_NET_BIND_SERVICE, no writable executable memory" \
  'grep -qx "User=pigeon" $unit && grep -qx "StateDirectory=pigeon" $unit && grep -qx "ReadWritePaths=/etc/pigeon" $unit && grep -qx "Type=notify" $unit && grep -qx "ExecStartPre=/usr/bin/pigeon config check --config /etc/pigeon/config.json" $unit && grep -qx "ExecStart=/usr/bin/pigeon --config /etc/pigeon/config.json --data-dir %S/pigeon \$PIGEON_OPTS" $unit && grep -qx "AmbientCapabilities=CAP_NET_BIND_SERVICE" $unit && grep -qx "CapabilityBoundingSet=CAP_NET_BIND_SERVICE" $unit && grep -qx "MemoryDenyWriteExecute=yes" $unit'

# --- the installed binary as nobody with only CAP_NET_BIND_SERVICE ------------------------------
free_low_port() {
  python3 - "$@" <<'PY'
import socket, sys
for port in (443, 587, 853, 993, 995, 636, 989, 990):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port)); print(port); break
    except OSError:
        pass
    finally:
        s.close()
PY
}
low=$(free_low_port)
high=$(free_port)
tls=$(free_port)
portal=$(free_port)
data="$work/data"
mkdir -p "$data"
cat > "$data/config.json" <<JSON
{ "relay": { "maxSessions": 8, "routes": [
    { "name": "chat-low", "listenAddress": "127.0.0.1", "listenPort": $low, "upstreamHost": "127.0.0.1", "upstreamPort": 9 },
    { "name": "chat-high", "listenAddress": "127.0.0.1", "listenPort": $high, "upstreamHost": "127.0.0.1", "upstreamPort": 9 },
    { "name": "chat-tls", "listenAddress": "127.0.0.1", "listenPort": $tls, "upstreamHost": "127.0.0.1", "upstreamPort": 9, "terminateTls": true } ] },
  "portal": { "listenAddress": "127.0.0.1", "port": $portal } }
JSON
chown -R nobody:nogroup "$data"
as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs)
one_cap=(--inh-caps=-all,+net_bind_service --ambient-caps=-all,+net_bind_service --bounding-set=-all,+net_bind_service)

# The unit's MemoryDenyWriteExecute=yes, as systemd's seccomp filter applies it (no systemd as
# PID 1 here): the AOT binary writes no machine code, so all that follows runs under it.
cp "$repo/tests/tools/deny-write-execute.py" "$work/"
chmod 755 "$work/deny-write-execute.py"
no_wx=(/usr/bin/python3 "$work/deny-write-execute.py")
check "ExecStartPre's check passes on this data folder (as nobody)" '"${as_nobody[@]}" /usr/bin/pigeon config check --data-dir "$data" > "$work/check.log" 2>&1'
python3 "$probe" notify --port "$low" --port "$high" --port "$tls" --port "$portal" --http "http://127.0.0.1:$portal/" --tls "$tls" \
  --post "http://127.0.0.1:$portal/api/admin-password" '{"password":"a long admin password"}' -- \
  "${as_nobody[@]}" "${one_cap[@]}" "${no_wx[@]}" /usr/bin/pigeon --no-reach --data-dir "$data" > "$work/run.json"
cat "$work/run.json"; echo
check "READY=1 arrived on the test NOTIFY_SOCKET" '[ "$(jq_get "$work/run.json" "[\"ready\"]")" = true ]'
check "at READY=1 every listener accepted ($low, $high, $tls, portal $portal)" '[ "$(jq_get "$work/run.json" "[\"accept_at_ready\"]")" = "{\"$low\": true, \"$high\": true, \"$tls\": true, \"$portal\": true}" ]'
# Whatever the load: no attempt begun after READY=1 arrived was refused (the probe's polling may
# lag behind READY=1 on a busy machine; it never sees a closed port that was open).
check "no listener refused a connection once READY=1 had arrived, and each was seen accepting" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not (len(d[\"first_accept_ms\"]) == 4 and d[\"refused_after_ready\"] == []))" "$work/run.json"'
check "STATUS= says all routes listen" '[ "$(jq_get "$work/run.json" "[\"ready_message\"]")" = "READY=1
STATUS=relaying on 3 of 3 routes; portal http://127.0.0.1:$portal/" ]'
check "the AOT binary, with no writable executable memory, terminates TLS on the terminateTls route (its own certificate, through libssl)" '[ "$(jq_get "$work/run.json" "[\"tls_version\"]")" = TLSv1.3 ]'
check "it ran as nobody (uid 65534)" '[ "$(jq_get "$work/run.json" "[\"uid\"][0]")" = 65534 ]'
check "its effective, permitted and bounding capabilities are CAP_NET_BIND_SERVICE only (0x400)" \
  '[ "$(jq_get "$work/run.json" "[\"cap_eff\"]")" = 0000000000000400 ] && [ "$(jq_get "$work/run.json" "[\"cap_prm\"]")" = 0000000000000400 ] && [ "$(jq_get "$work/run.json" "[\"cap_bnd\"]")" = 0000000000000400 ]'
check "it bound 127.0.0.1:$low (below 1024)" 'grep -q "route chat-low: listening on 127.0.0.1:$low" <<< "$(jq_get "$work/run.json" "[\"output\"]")"'
check "the portal page answered 200" '[ "$(jq_get "$work/run.json" "[\"http_status\"]")" = 200 ]'
check "setting the admin password answered 200 (PBKDF2 through the system's libssl, a save)" '[ "$(jq_get "$work/run.json" "[\"post_status\"]")" = 200 ]'
check "STOPPING=1 on SIGTERM, then exit 0" '[ "$(jq_get "$work/run.json" "[\"stop_message\"]")" = STOPPING=1 ] && [ "$(jq_get "$work/run.json" "[\"exit_code\"]")" = 0 ]'
check "config.json, config.json.bak (the hand-written 0644 copy, renamed), activity.json and tls-key.pem: nobody's, mode 0600" \
  '( for f in config.json config.json.bak activity.json tls-key.pem; do [ "$(stat -c "%U %a" "$data/$f")" = "nobody 600" ] || exit 1; done )'
# The probe's own connections (open, then close without a byte) are what the relay counted.
check "pigeon status reads the stopped relay's 24-hour line (exit 3: not running)" \
  '/usr/bin/pigeon status --data-dir "$data" > "$work/status.txt"; rc=$?; sed "s/^/  status: /" "$work/status.txt"; [ $rc -eq 3 ] && grep -q "^pigeon: not running" "$work/status.txt" && grep -qE "^last 24 h: 0 sessions served, 0\.0 MB relayed, [1-9][0-9]* refused \(mostly: closed before sending anything\)$" "$work/status.txt"'

# The control: the same command without the capability cannot open the low port.
python3 "$probe" notify --port "$high" -- "${as_nobody[@]}" --inh-caps=-all --bounding-set=-all /usr/bin/pigeon --no-reach --data-dir "$data" > "$work/nocap.json"
check "without the capability: port $low skipped with 'permission denied', the rest runs" \
  'grep -q "port $low skipped: permission denied" <<< "$(jq_get "$work/nocap.json" "[\"output\"]")" && [ "$(jq_get "$work/nocap.json" "[\"ready_message\"]" | tail -1)" = "STATUS=relaying on 2 of 3 routes; portal http://127.0.0.1:$portal/" ]'

# The journal: stdout on a socket named by JOURNAL_STREAM gets syslog priorities, no time stamps.
python3 "$probe" journal -- "${as_nobody[@]}" "${one_cap[@]}" /usr/bin/pigeon --no-reach --data-dir "$data" > "$work/journal.json"
check "journal lines carry <6> and no time stamp" \
  'lines=$(jq_get "$work/journal.json" "[\"lines\"]") && grep -q "\"<6>relay up: 3 of 3 routes" <<< "$lines" && ! grep -q "\"20[0-9][0-9]-" <<< "$lines"'

# ExecStartPre refuses a portal open to the network before an admin password exists.
open="$work/open"
mkdir -p "$open"
echo "{ \"portal\": { \"listenAddress\": \"0.0.0.0\", \"port\": $portal } }" > "$open/config.json"
/usr/bin/pigeon config check --data-dir "$open" > "$work/open.txt" 2>&1
rc=$?
check "config check refuses portal 0.0.0.0 without a password (exit 1, says why)" '[ $rc -eq 1 ] && grep -q "no admin password is set" "$work/open.txt"'

# --- the AOT binary's ACME client against Pebble (as tests/Pigeon.Tests/Host/Acme does in-process) --
# HTTPS to the CA with the system's trust (SSL_CERT_FILE: Pebble's API certificate, made here), the
# account key and JWS, the order, the challenge's answer, the CSR, the chain kept and presented.
acme_run() {
  local challenge=$1 dir="$work/acme-$1"
  mkdir -p "$dir/state"
  local api=$(free_port) mgmt=$(free_port) tls=$(free_port) http=$(free_port) dnsm=$(free_port) portal=$(free_port)
  local dns
  dns=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=pebble test api" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$dir/api-key.pem" -out "$dir/api.pem" 2>/dev/null
  echo "{\"pebble\":{\"listenAddress\":\"127.0.0.1:$api\",\"managementListenAddress\":\"127.0.0.1:$mgmt\",\"certificate\":\"$dir/api.pem\",\"privateKey\":\"$dir/api-key.pem\",\"httpPort\":$http,\"tlsPort\":$tls,\"ocspResponderURL\":\"\",\"externalAccountBindingRequired\":false}}" > "$dir/pebble.json"
  pebble-challtestsrv -defaultIPv4 127.0.0.1 -defaultIPv6 "" -dns01 "127.0.0.1:$dns" -http01 "" -https01 "" -tlsalpn01 "" -management "127.0.0.1:$dnsm" > "$dir/dns.log" 2>&1 &
  local dns_pid=$!
  PEBBLE_VA_NOSLEEP=1 pebble -config "$dir/pebble.json" -dnsserver "127.0.0.1:$dns" > "$dir/pebble.log" 2>&1 &
  local pebble_pid=$!
  for _ in $(seq 1 100); do curl -s --cacert "$dir/api.pem" -o /dev/null "https://127.0.0.1:$api/dir" && break; sleep 0.1; done
  cat > "$dir/state/config.json" <<JSON
{ "relay": { "maxSessions": 8, "httpPort": $http, "acme": true, "acmeDirectoryUrl": "https://127.0.0.1:$api/dir",
    "acmeChallenge": "$challenge", "acmeEmail": "volunteer@pigeon.test", "routes": [
    { "name": "chat-tls", "listenAddress": "127.0.0.1", "listenPort": $tls, "upstreamHost": "127.0.0.1", "upstreamPort": 9, "terminateTls": true } ] },
  "network": { "publicHost": "relay.pigeon.test" },
  "portal": { "listenAddress": "127.0.0.1", "port": $portal } }
JSON
  SSL_CERT_FILE="$dir/api.pem" /usr/bin/pigeon --no-reach --data-dir "$dir/state" > "$dir/pigeon.log" 2>&1 &
  local pigeon_pid=$!
  for _ in $(seq 1 120); do grep -q "^.* ACME: \(certificate\|no certificate\) for" "$dir/pigeon.log" && break; sleep 0.5; done
  echo | openssl s_client -connect "127.0.0.1:$tls" -servername relay.pigeon.test 2>/dev/null | openssl x509 -noout -issuer > "$dir/issuer.txt" 2>&1
  kill -TERM "$pigeon_pid"; wait "$pigeon_pid"
  kill "$pebble_pid" "$dns_pid" 2>/dev/null; wait "$pebble_pid" "$dns_pid" 2>/dev/null
  grep "ACME" "$dir/pigeon.log" | sed "s/^/  acme $challenge: /"
  check "ACME $challenge with the AOT binary: a certificate from Pebble, presented on the TLS route, kept 0600" \
    'grep -q "ACME: certificate for relay.pigeon.test from" "$dir/pigeon.log" && grep -q "issuer=CN = Pebble Intermediate CA" "$dir/issuer.txt" && [ "$(stat -c %a "$dir/state/acme-certificate.pem")" = 600 ]'
}
if command -v pebble >/dev/null 2>&1 && command -v pebble-challtestsrv >/dev/null 2>&1; then
  acme_run tls-alpn-01
  acme_run http-01
else
  bad "pebble installed (.ci/install.d/25-pebble.sh), for the AOT binary's ACME check"
fi

# --- reachability: the installed binary and a NAT-PMP router, in network namespaces of its own ----
# The relay's namespace has a veth pair to a second one, the "router" (192.0.2.1, a documentation
# address) running tests/tools/natpmp-router.py; nothing leaves the two. Without --no-reach the
# relay's UPnP search gets no answer, NAT-PMP maps its chat port, and its stop deletes the mapping.
reach="$work/reach"
mkdir -p "$reach/data"
cp "$repo/tests/tools/natpmp-router.py" "$reach/"
cat > "$reach/data/config.json" <<JSON
{ "relay": { "maxSessions": 8, "routes": [
    { "name": "chat", "listenAddress": "0.0.0.0", "listenPort": 5222, "upstreamHost": "127.0.0.1", "upstreamPort": 9 } ] },
  "portal": { "listenAddress": "127.0.0.1", "port": 8080 } }
JSON
cat > "$reach/run.sh" <<'SH'
cd "$1"
ip link set lo up
unshare --net sleep 120 &
router=$!
for _ in $(seq 1 50); do [ "$(readlink /proc/$router/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break; sleep 0.1; done
ip link add pigeon0 type veth peer name router0
ip link set router0 netns "$router"
ip addr add 192.0.2.2/24 dev pigeon0 && ip link set pigeon0 up && ip route add default via 192.0.2.1
nsenter -t "$router" -n sh -c 'ip link set lo up && ip addr add 192.0.2.1/24 dev router0 && ip link set router0 up'
nsenter -t "$router" -n python3 natpmp-router.py 192.0.2.1 203.0.113.7 > router.log 2>&1 &
sleep 1
/usr/bin/pigeon --data-dir data > pigeon.log 2>&1 &
pigeon=$!
for _ in $(seq 1 60); do grep -q "mapped by NAT-PMP" pigeon.log && break; sleep 0.5; done
kill -TERM "$pigeon"; wait "$pigeon"
kill "$router"
SH
if command -v unshare >/dev/null 2>&1 && command -v nsenter >/dev/null 2>&1 && command -v ip >/dev/null 2>&1; then
  timeout 90 unshare --net --fork bash "$reach/run.sh" "$reach" > "$reach/run.log" 2>&1
  grep "port mapping" "$reach/pigeon.log" | sed 's/^/  reach: /'
  sed 's/^/  router: /' "$reach/router.log"
  check "reachability with the AOT binary: NAT-PMP found the router, mapped the chat port, the stop deleted it" \
    'grep -q "port mapping: NAT-PMP router at 192.0.2.1" "$reach/pigeon.log" && grep -q "port mapping: port 5222 mapped by NAT-PMP" "$reach/pigeon.log" && grep -qx "external" "$reach/router.log" && grep -q "^map tcp 5222 -> 5222" "$reach/router.log" && grep -qx "delete tcp 5222" "$reach/router.log"'
else
  bad "unshare, nsenter and ip installed (util-linux, iproute2), for the reachability check"
fi

# --- the arm64 AOT binary, cross-compiled here, run under qemu-user -----------------------------
# Debian's arm64 C library for cross-compiling (/usr/aarch64-linux-gnu) is what it loads; there
# is no arm64 libssl here, so the routes are plain: relaying, the page, the config check.
if [ "$(dpkg --print-architecture)" != amd64 ]; then
  : # built natively and tested above as the installed package
elif command -v qemu-aarch64 >/dev/null 2>&1; then
  arm="$ARTIFACTS/pigeon-$version-linux-arm64/pigeon"
  qemu=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
  check "under qemu-aarch64: pigeon --version says $version" '[ "$("${qemu[@]}" "$arm" --version)" = "pigeon $version" ]'
  chat=$(free_port); media=$(free_port); chat_up=$(free_port); media_up=$(free_port); aportal=$(free_port)
  mkdir -p "$work/arm64-data"
  probe_config "$work/arm64-data/config.json" "$chat" "$chat_up" "$media" "$media_up" "$aportal"
  check "under qemu-aarch64: config check passes" '"${qemu[@]}" "$arm" config check --data-dir "$work/arm64-data" > "$work/arm64-check.txt" 2>&1'
  "${qemu[@]}" "$arm" --no-reach --data-dir "$work/arm64-data" > "$work/arm64-run.log" 2>&1 &
  arm_pid=$!
  for _ in $(seq 1 100); do grep -q "portal: listening" "$work/arm64-run.log" && break; sleep 0.2; done
  if python3 tests/tools/relay-probe.py --chat "$chat" --chat-upstream "$chat_up" --media "$media" --media-upstream "$media_up" > "$work/arm64-probe.json"; then
    ok "under qemu-aarch64: relayed chat and an allowed media hello, refused another: $(cat "$work/arm64-probe.json")"
  else
    bad "under qemu-aarch64: relay-probe: $(cat "$work/arm64-probe.json")"
  fi
  check "under qemu-aarch64: the page (embedded resources) answers 200" '[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$aportal/")" = 200 ]'
  kill -TERM "$arm_pid"; wait "$arm_pid"
  check "under qemu-aarch64: an orderly stop on SIGTERM" 'grep -q "stopped$" "$work/arm64-run.log"'
else
  bad "qemu-aarch64 installed (.ci/install.d/50-packaging.sh), to run the cross-compiled arm64 binary"
fi

# --- the operator's config in /etc/pigeon, set up without a browser, edited by hand ----------------
# What the unit does before each start, as root: chown -Rh pigeon:pigeon /etc/pigeon, then the check
# as pigeon. `pigeon setup` without --config or --data-dir, where there is no ./pigeon-data, sets up
# the package's config.
as_pigeon=(setpriv --reuid=pigeon --regid=pigeon --clear-groups --no-new-privs)
prestart() { chown -Rh pigeon:pigeon /etc/pigeon && "${as_pigeon[@]}" /usr/bin/pigeon config check --config /etc/pigeon/config.json > "$work/prestart.txt" 2>&1; }
mkdir -p "$work/elsewhere"
(umask 077; printf 'a long admin password\n' > "$work/admin-password")
check "pigeon setup (as root, no options but the two) writes the package's /etc/pigeon/config.json" \
  '(cd "$work/elsewhere" && /usr/bin/pigeon setup --public-host relay.example.org --admin-password-file "$work/admin-password" > "$work/setup.txt" 2>&1); rc=$?; sed "s/^/  setup: /" "$work/setup.txt"; [ $rc -eq 0 ] && grep -q "^/etc/pigeon/config.json: saved" "$work/setup.txt" && grep -q "share (first choice, chat port 443 with TLS on): https://wa.me/proxy?host=relay.example.org&chatPort=443&mediaPort=587&chatTLS=true" "$work/setup.txt" && [ ! -e "$work/elsewhere/pigeon-data" ]'
check "ExecStartPre's check passes on it, as pigeon" 'prestart'
sed -i 's/"idleTimeoutSeconds": 200/"idleTimeoutSeconds": 321/' /etc/pigeon/config.json
check "a hand edit that keeps the checksum line: used, and said so" 'prestart && grep -q "note: /etc/pigeon/config.json was written or edited by hand" "$work/prestart.txt"'
sed -i 's/"maxSessions": 4096/"maxSessions": 0/' /etc/pigeon/config.json
check "a hand edit with an error: the check exits 1 with the field and the reason" '! prestart && grep -q "^error: relay.maxSessions: must be from 1" "$work/prestart.txt"'
"${as_pigeon[@]}" /usr/bin/pigeon --no-reach --config /etc/pigeon/config.json --data-dir "$work/state-none" > "$work/refused.txt" 2>&1
rc=$?
check "and the start refuses it (exit 2, the reason), never the defaults" '[ $rc -eq 2 ] && grep -q "relay.maxSessions: must be from 1" "$work/refused.txt" && [ ! -e "$work/state-none" ]'
sed -i 's/"maxSessions": 0/"maxSessions": 4096/' /etc/pigeon/config.json

# An upgrade (the same package as version $version+1) keeps the operator's file as it is.
dpkg-deb -R "$amd64" "$work/next"
sed -i "s/^Version: .*/Version: $version+1/" "$work/next/DEBIAN/control"
dpkg-deb -b "$work/next" "$work/next.deb" > /dev/null
if dpkg -i "$work/next.deb" > "$work/upgrade.log" 2>&1; then ok "dpkg -i: an upgrade to $version+1"; else cat "$work/upgrade.log"; bad "the upgrade"; fi
check "after the upgrade /etc/pigeon/config.json is the operator's (the edit, the password)" \
  'grep -q "\"idleTimeoutSeconds\": 321" /etc/pigeon/config.json && grep -q "\"publicHost\": \"relay.example.org\"" /etc/pigeon/config.json'

# --- remove and purge ---------------------------------------------------------------------------
# What the service leaves behind in a real run: its state folder.
mkdir -p /var/lib/pigeon
cp "$data/activity.json" /var/lib/pigeon/
chown -R pigeon:pigeon /var/lib/pigeon
chmod 700 /var/lib/pigeon
if dpkg -r pigeon > "$work/remove.log" 2>&1; then ok "dpkg -r pigeon"; else cat "$work/remove.log"; bad "dpkg -r pigeon"; fi
check "after remove: no /usr/bin/pigeon, no unit; the conffiles and the state stay" \
  '[ ! -e /usr/bin/pigeon ] && [ ! -e $unit ] && [ -e /etc/default/pigeon ] && [ -e /etc/pigeon/config.json ] && [ -e /var/lib/pigeon/activity.json ]'
if dpkg -P pigeon > "$work/purge.log" 2>&1; then ok "dpkg -P pigeon"; else cat "$work/purge.log"; bad "dpkg -P pigeon"; fi
check "after purge: the config, its copies, the state, /etc/default/pigeon and the enable link are gone; dpkg knows no pigeon" \
  '[ ! -e /etc/pigeon ] && [ ! -e /var/lib/pigeon ] && [ ! -e /etc/default/pigeon ] && [ ! -e /etc/systemd/system/multi-user.target.wants/pigeon.service ] && ! dpkg-query -W pigeon >/dev/null 2>&1'

[ -n "${KEEP_TMP:-}" ] && echo "kept $work" || rm -rf "$work"
finish
