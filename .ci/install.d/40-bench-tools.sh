#!/usr/bin/env bash
# The benchmark's relays and tools (tests/Pigeon.Bench, docs/performance.md): socat and HAProxy
# are what Pigeon is compared with; iperf3 is there for cross-checks by hand. Idempotent.
# (Chromium, which tests/tools/capture-hellos.sh also uses, comes from 20-chromium.sh.)
set -euo pipefail
pkgs=()
command -v socat >/dev/null 2>&1 || pkgs+=(socat)
command -v haproxy >/dev/null 2>&1 || pkgs+=(haproxy)
command -v iperf3 >/dev/null 2>&1 || pkgs+=(iperf3)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi
socat -V >/dev/null && haproxy -v >/dev/null && iperf3 --version >/dev/null
