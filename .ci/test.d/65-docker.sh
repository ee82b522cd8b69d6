#!/usr/bin/env bash
# The container image (issue 19, docs/server.md "The container image"), on this machine as root
# with no image registry: builds the linux-x64 program (packaging/build.sh), the image from it and
# this Debian system's libraries (packaging/docker/build.sh, FROM scratch), then runs it:
#   - on the host's network with --read-only, every capability dropped, the state in a bind-mounted
#     folder and its settings from the environment (PIGEON_PUBLIC_HOST, PIGEON_ADMIN_PASSWORD_FILE):
#     plain chat and an allowed media ClientHello relayed to fake upstreams on 127.0.0.1
#     (tests/tools/relay-probe.py), a disallowed one refused, the HEALTHCHECK healthy, the process
#     not root, the page's login with the password from the file, an orderly stop;
#   - with the image's own defaults on a bridge network, as the README's docker run: all four
#     WhatsApp ports (443 and 587 too) open as a non-root user.
# Starts dockerd itself when none answers (and stops it again). PIGEON_BINARY skips the build.
# Last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
. .ci/suite.sh
work=$(mktemp -d -t pigeon-docker-XXXXXX)
chmod 755 "$work"
started_dockerd=
name=pigeon-ci-$$
bridge=pigeon-ci-bridge-$$
volume=pigeon-ci-data-$$
image=pigeon:ci-$$
cleanup() {
  docker rm -f "$name" "$bridge" >/dev/null 2>&1
  docker volume rm -f "$volume" >/dev/null 2>&1
  docker image rm -f "$image" >/dev/null 2>&1
  if [ -n "$started_dockerd" ]; then kill "$started_dockerd" 2>/dev/null; wait "$started_dockerd" 2>/dev/null; fi
  [ -n "${KEEP_TMP:-}" ] && echo "kept $work" || rm -rf "$work"
}
finish() { cleanup; echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]; exit $?; }

if [ "$(id -u)" -ne 0 ]; then bad "running as root (dockerd, bind mounts)"; finish; fi
if ! command -v dockerd >/dev/null 2>&1; then bad "docker.io installed (.ci/install.d/55-docker.sh)"; finish; fi

# --- dockerd -------------------------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  dockerd --pidfile "$work/dockerd.pid" > "$work/dockerd.log" 2>&1 &
  started_dockerd=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
if docker info >/dev/null 2>&1; then ok "dockerd answers${started_dockerd:+ (started by this suite)}"; else tail -20 "$work/dockerd.log"; bad "dockerd answers"; finish; fi

# --- the image -----------------------------------------------------------------------------------
binary=${PIGEON_BINARY:-}
if [ -z "$binary" ]; then
  version="0.0.0+ci.$(git rev-parse --short=10 HEAD 2>/dev/null || echo local)"
  if ARTIFACTS="$work/artifacts" PIGEON_VERSION="$version" PIGEON_TARGETS=linux-x64 bash packaging/build.sh > "$work/build.log" 2>&1; then
    ok "packaging/build.sh (linux-x64)"
  else
    tail -30 "$work/build.log"; bad "packaging/build.sh (linux-x64)"; finish
  fi
  binary="$work/artifacts/pigeon-$version-linux-x64/pigeon"
fi
start=$(date +%s)
if PIGEON_IMAGE="$image" bash packaging/docker/build.sh "$binary" > "$work/image.log" 2>&1; then
  ok "docker build from the shipped binary and Debian's files in $(( $(date +%s) - start )) s, no registry: $(grep -E '^(rootfs.sh|image)' "$work/image.log" | tr '\n' ' ')"
else
  cat "$work/image.log"; bad "docker build"; finish
fi
check "the image has one layer on scratch and runs as 10001:10001" \
  '[ "$(docker image inspect -f "{{len .RootFS.Layers}} {{.Config.User}}" "$image")" = "1 10001:10001" ]'
check "the image publishes 443, 5222, 587 and 7777 (as the README) and has a HEALTHCHECK with pigeon health" \
  '[ "$(docker image inspect -f "{{json .Config.ExposedPorts}}" "$image")" = "{\"443/tcp\":{},\"5222/tcp\":{},\"587/tcp\":{},\"7777/tcp\":{}}" ] && docker image inspect -f "{{json .Config.Healthcheck.Test}}" "$image" | grep -q "\"/usr/bin/pigeon\",\"health\""'

# --- relaying on the host's network, read-only, no capabilities, settings from the environment --
chat=$(free_port); media=$(free_port); chat_up=$(free_port); media_up=$(free_port); portal=$(free_port)
data="$work/data"
mkdir -p "$data" "$work/secrets"
probe_config "$data/config.json" "$chat" "$chat_up" "$media" "$media_up" "$portal"
printf 'a long admin password\n' > "$work/secrets/admin"
chown -R 10001:10001 "$data"
chmod 700 "$data"
chmod 644 "$work/secrets/admin"
if docker run -d --name "$name" --network host --read-only --cap-drop ALL --security-opt no-new-privileges \
    --health-interval 2s --health-start-period 5s \
    -v "$data:/data" -v "$work/secrets/admin:/run/secrets/admin:ro" \
    -e PIGEON_PUBLIC_HOST=relay.example.org -e PIGEON_ADMIN_PASSWORD_FILE=/run/secrets/admin \
    "$image" --no-reach > /dev/null; then
  ok "docker run --read-only --cap-drop ALL --network host"
else
  bad "docker run"; finish
fi
for _ in $(seq 1 60); do [ "$(docker inspect -f '{{.State.Health.Status}}' "$name")" = healthy ] && break; sleep 1; done
docker logs "$name" > "$work/run.log" 2>&1
sed 's/^/  container: /' "$work/run.log"
check "HEALTHCHECK (pigeon health inside the container) says healthy" '[ "$(docker inspect -f "{{.State.Health.Status}}" "$name")" = healthy ]'
check "pigeon health: relaying on 2 of 2 routes" 'docker exec "$name" /usr/bin/pigeon health | grep -q "^healthy: relaying on 2 of 2 routes"'
check "the settings from the environment were applied before the start" \
  'grep -q "setup from the environment: public host: relay.example.org" "$work/run.log" && grep -q "setup from the environment: admin password: set from /run/secrets/admin" "$work/run.log"'
pid=$(docker inspect -f '{{.State.Pid}}' "$name")
check "the relay runs as uid 10001, with no capability" \
  'grep -qE "^Uid:\s+10001\s+10001\s+10001\s+10001" /proc/$pid/status && grep -q "^CapEff:\s*0000000000000000" /proc/$pid/status'
check "its root file system is read-only" '[ "$(docker inspect -f "{{.HostConfig.ReadonlyRootfs}}" "$name")" = true ]'

if python3 tests/tools/relay-probe.py --chat "$chat" --chat-upstream "$chat_up" --media "$media" --media-upstream "$media_up" > "$work/probe.json"; then
  ok "relayed through the container: $(cat "$work/probe.json")"
else
  bad "relay-probe: $(cat "$work/probe.json")"
fi

code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$portal/api/status")
check "the page wants a login (the password was set from the file): $code" '[ "$code" = 401 ]'
code=$(curl -s -c "$work/cookies" -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"password":"a long admin password"}' "http://127.0.0.1:$portal/api/login")
check "logging in with the file's password: $code" '[ "$code" = 200 ]'
check "the status page shares relay.example.org" \
  'curl -s -b "$work/cookies" "http://127.0.0.1:$portal/api/status" | python3 -c "import json,sys; sys.exit(json.load(sys.stdin)[\"share\"][\"link\"] != \"https://wa.me/proxy?host=relay.example.org&chatPort=$chat&mediaPort=$media&chatTLS=false\")"'

# FROM scratch with exactly what the binary loads: after relaying and a login (PBKDF2 through
# libcrypto), every library in the image is mapped into the relay, and it maps no other.
libs_in_image=$(cd "/proc/$pid/root/usr/lib" && find . -name '*.so*' -printf '%f\n' | sort | tr '\n' ' ')
libs_mapped=$(grep -o '/usr/lib/[^ ]*\.so[^ ]*' "/proc/$pid/maps" | xargs -n1 basename | sort -u | tr '\n' ' ')
echo "  libraries in the image: $libs_in_image; mapped by the relay: $libs_mapped"
check "the image's libraries are exactly those the relay maps (the AOT binary: the loader, libc, libm, libssl, libcrypto)" \
  '[ "$libs_in_image" = "$libs_mapped" ] && [ "$libs_in_image" = "ld-linux-x86-64.so.2 libc.so.6 libcrypto.so.3 libm.so.6 libssl.so.3 " ]'

docker stop -t 30 "$name" > /dev/null
docker logs "$name" > "$work/run.log" 2>&1
check "docker stop: an orderly stop (exit 0, \"stopped\" logged)" \
  '[ "$(docker inspect -f "{{.State.ExitCode}}" "$name")" = 0 ] && grep -q "stopped$" "$work/run.log"'
check "all state is in /data, owned by 10001 and owner-only (config, tally, no TLS key: no TLS route)" \
  '( for f in config.json config.json.bak activity.json; do [ "$(stat -c "%u %a" "$data/$f")" = "10001 600" ] || exit 1; done )'
check "config.json holds the public host and the password's hash" \
  'grep -q "\"publicHost\": \"relay.example.org\"" "$data/config.json" && grep -q "\"passwordHash\": \"pbkdf2-sha256\\$" "$data/config.json"'

# --- the README's docker run: the image's defaults on a bridge network, a named volume -------------
if docker run -d --name "$bridge" --read-only --health-interval 2s -p 127.0.0.1::443 -p 127.0.0.1::5222 -p 127.0.0.1::587 -p 127.0.0.1::7777 \
    -v "$volume:/data" "$image" --no-reach > /dev/null; then
  for _ in $(seq 1 60); do [ "$(docker inspect -f '{{.State.Health.Status}}' "$bridge")" = healthy ] && break; sleep 1; done
  check "the default config as uid 10001: every WhatsApp port open, 443 and 587 too (pigeon health: 4 of 4)" \
    'docker exec "$bridge" /usr/bin/pigeon health | grep -q "^healthy: relaying on 4 of 4 routes"'
  docker logs "$bridge" 2>&1 | sed 's/^/  bridge: /' | head -12
else
  bad "docker run on a bridge network"
fi

size=$(docker image inspect -f '{{.Size}}' "$image")
echo "image $image: $size bytes ($(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e6 }') MB)"
finish
