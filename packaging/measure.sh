#!/usr/bin/env bash
# Start-up time and size of Pigeon builds (docs/server.md): each NAME=COMMAND is started
# ROUNDS times (default 10), the builds taking turns round by round so a busy machine slows
# them alike, with the same config (two routes and the portal on 127.0.0.1, the host's default
# session slots, --no-reach) and a NOTIFY_SOCKET. Start-up = exec to READY=1 (every listener
# accepts); memory = resident set at READY=1. Prints one JSON object.
#
#   bash packaging/build.sh with PIGEON_AOT=both, then for example:
#   bash packaging/measure.sh single-file=artifacts/compare/jit/pigeon aot=artifacts/compare/aot/pigeon \
#        "dll=dotnet firmware/Pigeon.Host/bin/Release/net10.0/Pigeon.Host.dll"
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${ROUNDS:-10}
[ $# -gt 0 ] || { sed -n '2,12p' "$0"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

names=()
commands=()
for pair in "$@"; do
  names+=("${pair%%=*}")
  commands+=("${pair#*=}")
done

for ((round = 1; round <= rounds; round++)); do
  for i in "${!names[@]}"; do
    a=$(free_port); b=$(free_port); portal=$(free_port)
    data="$work/${names[$i]}-$round"
    mkdir -p "$data"
    echo "{ \"relay\": { \"routes\": [
      { \"name\": \"a\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": $a, \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": 9 },
      { \"name\": \"b\", \"listenAddress\": \"127.0.0.1\", \"listenPort\": $b, \"upstreamHost\": \"127.0.0.1\", \"upstreamPort\": 9 } ] },
      \"portal\": { \"listenAddress\": \"127.0.0.1\", \"port\": $portal } }" > "$data/config.json"
    # shellcheck disable=SC2086 # COMMAND is split into words on purpose
    python3 "$root/tests/tools/service-probe.py" notify --port "$a" --port "$b" --port "$portal" -- \
      ${commands[$i]} --no-reach --data-dir "$data" > "$work/${names[$i]}-$round.json"
  done
done

python3 - "$work" "$rounds" "${names[@]}" -- "${commands[@]}" <<'PY'
import json, os, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
split = sys.argv.index("--")
names, commands = sys.argv[3:split], sys.argv[split + 1:]
result = {"rounds": rounds, "loadavg": open("/proc/loadavg").read().split()[:3], "builds": {}}
for name, command in zip(names, commands):
    runs = [json.load(open(os.path.join(work, "%s-%d.json" % (name, r)))) for r in range(1, rounds + 1)]
    ready = [r["ready_ms"] for r in runs if r["ready"]]
    rss = [r["rss_kb"] for r in runs if r["rss_kb"]]
    files = [w for w in command.split() if os.path.isfile(w)]
    result["builds"][name] = {
        "command": command,
        "bytes": os.path.getsize(files[-1]) if files else None,
        "ready": "%d of %d" % (len(ready), rounds),
        "ready_ms_median": round(statistics.median(ready), 1) if ready else None,
        "ready_ms_min": min(ready) if ready else None,
        "ready_ms_max": max(ready) if ready else None,
        "rss_mb_median": round(statistics.median(rss) / 1024, 1) if rss else None,
        "threads": runs[-1]["threads"],
    }
print(json.dumps(result, indent=1))
PY
