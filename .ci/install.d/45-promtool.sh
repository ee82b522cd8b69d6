#!/usr/bin/env bash
# promtool (Debian package "prometheus") checks the /metrics page with Prometheus's own parser
# in .ci/test.d/45-metrics-promtool.sh. Idempotent.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
command -v promtool >/dev/null
