#!/usr/bin/env bash
# What packaging/build.sh and its suite (.ci/test.d/60-packaging.sh) need from Debian:
# debhelper (dpkg-buildpackage, dh_installsystemd), binutils (readelf: the binary's libraries),
# zip (the Windows archive), systemd (systemd-analyze verify/security; it is not started),
# util-linux (setpriv: run as nobody with one capability), python3 (the notify socket probe and
# build.sh's notices) and lintian (the built packages must show no error; it brings man-db, with
# which the suite reads `man pigeon`). Idempotent: installs only what is missing.
set -euo pipefail
need=()
command -v dh >/dev/null 2>&1 || need+=(debhelper)
command -v dpkg-buildpackage >/dev/null 2>&1 || need+=(dpkg-dev)
command -v readelf >/dev/null 2>&1 || need+=(binutils)
command -v zip >/dev/null 2>&1 || need+=(zip)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v lintian >/dev/null 2>&1 || need+=(lintian)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
dh --version >/dev/null 2>&1 || dpkg -s debhelper >/dev/null
systemd-analyze --version | head -1
lintian --version
