#!/usr/bin/env bash
# nginx-light (Debian's) for the 443 probe suite (.ci/test.d/55-web-probe.sh): Pigeon's TLS chat
# route is probed side by side with nginx's default site. The service is not started; the suite
# runs its own nginx on 127.0.0.1. Idempotent.
set -euo pipefail
if ! command -v nginx >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends nginx-light >/dev/null
fi
command -v openssl >/dev/null 2>&1 || apt-get -o DPkg::Lock::Timeout=600 install -y -qq openssl >/dev/null
nginx -v
