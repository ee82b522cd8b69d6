#!/usr/bin/env bash
# The portal's browser tests (tests/Pigeon.Tests/Host/Portal) drive Debian's Chromium headless
# through Debian's chromedriver; dnsutils gives them a real `dig` for the captive DNS test.
# Idempotent: installs only what is missing.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
[ -x /usr/bin/dig ] || need+=(dnsutils)
if [ ${#need[@]} -eq 0 ]; then
  echo "chromium, chromium-driver and dnsutils already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}"
/usr/bin/chromium --version
