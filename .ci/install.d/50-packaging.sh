#!/usr/bin/env bash
# What packaging/build.sh and its suite (.ci/test.d/60-packaging.sh) need from Debian:
# debhelper (dpkg-buildpackage, dh_installsystemd), binutils (readelf: the binary's libraries),
# zip (the Windows archive), systemd (systemd-analyze verify/security; it is not started),
# util-linux (setpriv: run as nobody with one capability), python3 (the notify socket probe and
# build.sh's notices) and lintian (the built packages must show no error; it brings man-db, with
# which the suite reads `man pigeon`); for the native AOT builds of both architectures, clang (the
# AOT compiler's linker driver) and Debian's cross toolchain for the other one (its linker, GCC's
# start files and libgcc, and the C library to link against). Idempotent: installs only what is
# missing.
set -euo pipefail
need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
case "$(dpkg --print-architecture)" in
  amd64) cross=aarch64-linux-gnu; gcc=gcc-aarch64-linux-gnu; libc=libc6-dev-arm64-cross ;;
  arm64) cross=x86_64-linux-gnu; gcc=gcc-x86-64-linux-gnu; libc=libc6-dev-amd64-cross ;;
  *) echo "no native AOT cross toolchain for $(dpkg --print-architecture)" >&2; exit 1 ;;
esac
command -v "$cross-ld" >/dev/null 2>&1 && compgen -G "/usr/lib/gcc-cross/$cross/*/crtbeginS.o" >/dev/null || need+=("$gcc")
[ -e "/usr/$cross/lib/crti.o" ] || need+=("$libc")
# The suite runs the cross-compiled arm64 binary under qemu-user, checks the ACME client against
# Pebble with openssl and curl.
if [ "$(dpkg --print-architecture)" = amd64 ]; then command -v qemu-aarch64 >/dev/null 2>&1 || need+=(qemu-user); fi
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# The reachability check: network namespaces joined by a veth pair (ip), entered with nsenter.
command -v ip >/dev/null 2>&1 || need+=(iproute2)
# The unit's MemoryDenyWriteExecute=yes is applied by tests/tools/deny-write-execute.py (libseccomp).
/usr/bin/python3 -c 'import seccomp' >/dev/null 2>&1 || need+=(python3-seccomp)
command -v curl >/dev/null 2>&1 || need+=(curl)
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
clang --version | head -1
"$cross-ld" --version | head -1
