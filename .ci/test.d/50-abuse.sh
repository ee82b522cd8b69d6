#!/usr/bin/env bash
# The abuse suite (tests/Pigeon.Abuse, docs/reliability.md): Pigeon.Host as a child process on
# 127.0.0.1 (--no-reach, routes and upstreams on 127.0.0.1), both pumps, under slow-hello and
# one-byte floods, connect/garbage churn, the half-close matrix, 1 and 8 hashed streams, TLS
# handshake floods, hostile HTTP and config bodies, junk DNS, kill -9 during config saves and during
# the portal's "new certificate".
# Fixed seed; about 1-2 minutes on 2 cores. The program's last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
if ! dotnet build tests/Pigeon.Abuse -nologo -v q; then
  echo "build of tests/Pigeon.Abuse failed"
  echo "0 passed, 1 failed"
  exit 1
fi
dotnet run --no-build --project tests/Pigeon.Abuse
