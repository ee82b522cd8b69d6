#!/usr/bin/env bash
# Pebble, the ACME (RFC 8555) test server, and pebble-challtestsrv (its DNS for the test name),
# both from Debian's `pebble` package: tests/Pigeon.Tests/Host/Acme/AcmePebbleTests.cs runs them on
# 127.0.0.1 against the host's built-in ACME client. The package ships no test certificate for
# Pebble's own HTTPS; the tests make one per run and trust it. Idempotent.
set -euo pipefail
if [ -x /usr/bin/pebble ] && [ -x /usr/bin/pebble-challtestsrv ]; then
  echo "pebble already installed"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq pebble
dpkg-query -W pebble
