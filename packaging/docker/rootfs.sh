#!/usr/bin/env bash
# The container image's whole file system, as a tar for the Dockerfile's ADD, made from this
# Debian system's files: no base image is pulled (docs/server.md, "The container image").
#
#   bash packaging/docker/rootfs.sh ARCH BINARY OUT.tar
#
# ARCH is amd64 or arm64; BINARY the linux program packaging/build.sh made for it
# (artifacts/pigeon-<version>-linux-x64/pigeon, or -linux-arm64), whatever kind it is (native
# AOT, which needs libc and libm; or with PIGEON_AOT=jit the single file, which also needs
# libstdc++ and libgcc_s): the libraries it needs are read from it.
# It holds:
#   /usr/bin/pigeon                       the program
#   /usr/lib/<triplet>/...                the shared libraries the program needs (its ELF NEEDED
#                                         entries, and theirs), its loader, and libssl.so.3 with
#                                         libcrypto.so.3, which .NET opens at run time (TLS, PBKDF2)
#   /etc/ssl/certs/ca-certificates.crt    the CA bundle (HTTPS to a dynamic DNS service)
#   /etc/passwd, /etc/group               the user pigeon, 10001:10001, which the image runs as
#   /data                                 the state volume, 10001's, mode 0700
#   /usr/share/doc/pigeon/                the licences: LICENSE, the Debian copyright file, the
#                                         .NET runtime's third-party notices
# No time zone data: Pigeon writes only UTC. No ICU: it runs with invariant globalization. No
# shell, no package manager.
# A foreign ARCH needs its libraries installed here first (dpkg --add-architecture arm64;
# apt-get install libc6:arm64 libssl3:arm64). Needs readelf
# (binutils) and ca-certificates.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 3 ] || { sed -n '2,24p' "$0"; exit 2; }
arch=$1 binary=$2 out=$3
case "$arch" in
  amd64) triplet=x86_64-linux-gnu ;;
  arm64) triplet=aarch64-linux-gnu ;;
  *) echo "rootfs.sh: ARCH must be amd64 or arm64" >&2; exit 2 ;;
esac
for tool in readelf tar; do command -v "$tool" >/dev/null || { echo "rootfs.sh: $tool is missing (apt-get install binutils tar)" >&2; exit 1; }; done
[ -f /etc/ssl/certs/ca-certificates.crt ] || { echo "rootfs.sh: no CA bundle (apt-get install ca-certificates)" >&2; exit 1; }
[ -x "$binary" ] || { echo "rootfs.sh: $binary is not an executable" >&2; exit 1; }
notices="$(dirname "$binary")/dotnet-runtime-third-party-notices.txt"

fs=$(mktemp -d)
trap 'rm -rf "$fs"' EXIT
mkdir -p "$fs/usr/bin" "$fs/usr/lib/$triplet" "$fs/etc/ssl/certs" "$fs/data" "$fs/usr/share/doc/pigeon" "$fs/tmp"
ln -s usr/lib "$fs/lib"
cp "$binary" "$fs/usr/bin/pigeon"
chmod 755 "$fs/usr/bin/pigeon"

# find SONAME: the library's file for this architecture (Debian keeps them in the multiarch folder).
find_lib() {
  local dir
  for dir in "/usr/lib/$triplet" "/lib/$triplet"; do
    if [ -e "$dir/$1" ]; then echo "$dir/$1"; return 0; fi
  done
  echo "rootfs.sh: $1 ($arch) is not installed here" >&2
  return 1
}

# The loader, where the program asks for it (PT_INTERP), and every library, breadth first.
interp=$(readelf -l "$binary" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[ -n "$interp" ] || { echo "rootfs.sh: $binary names no program interpreter" >&2; exit 1; }
cp -L "$(find_lib "$(basename "$interp")")" "$fs/usr/lib/$triplet/"
case "$interp" in
  /lib64/*) mkdir -p "$fs/usr/lib64"; ln -s usr/lib64 "$fs/lib64"; ln -s "/usr/lib/$triplet/$(basename "$interp")" "$fs/usr/lib64/$(basename "$interp")" ;;
  /lib/*) [ -e "$fs/usr/lib/$(basename "$interp")" ] || ln -s "$triplet/$(basename "$interp")" "$fs/usr/lib/$(basename "$interp")" ;;
  *) echo "rootfs.sh: unexpected interpreter $interp" >&2; exit 1 ;;
esac
queue=($(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p') libssl.so.3)
seen=" $(basename "$interp") "
while [ ${#queue[@]} -gt 0 ]; do
  lib=${queue[0]}
  queue=("${queue[@]:1}")
  case "$seen" in *" $lib "*) continue ;; esac
  seen="$seen$lib "
  file=$(find_lib "$lib")
  cp -L "$file" "$fs/usr/lib/$triplet/$lib"
  queue+=($(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'))
done

cp -L /etc/ssl/certs/ca-certificates.crt "$fs/etc/ssl/certs/"
printf 'pigeon:x:10001:10001:Pigeon WhatsApp proxy relay:/data:/usr/sbin/nologin\n' > "$fs/etc/passwd"
printf 'pigeon:x:10001:\n' > "$fs/etc/group"
cp "$root/LICENSE" "$fs/usr/share/doc/pigeon/LICENSE"
cp "$root/packaging/debian/copyright" "$fs/usr/share/doc/pigeon/copyright"
if [ -f "$notices" ]; then cp "$notices" "$fs/usr/share/doc/pigeon/"; fi
chmod 1777 "$fs/tmp"
chmod 700 "$fs/data"

# Everything root's but /data; ADD keeps the owners a tar names.
tar --numeric-owner --owner=0 --group=0 --exclude=./data -C "$fs" -cf "$out" .
tar --numeric-owner --owner=10001 --group=10001 -C "$fs" -rf "$out" ./data
echo "rootfs.sh: $out ($arch): $(du -sb "$fs" | cut -f1) bytes in $(find "$fs" -type f | wc -l) files; libraries: $(echo $seen)"
