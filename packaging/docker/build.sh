#!/usr/bin/env bash
# Builds the container image here, with no image registry (only this Debian system's files):
#
#   bash packaging/docker/build.sh [BINARY]
#
# BINARY: the linux program packaging/build.sh made for this machine's architecture (default:
# the newest artifacts/pigeon-*-linux-x64/pigeon, or -linux-arm64 on arm64). Environment:
#   PIGEON_IMAGE   the image's name (default pigeon:<version>, the version from the binary's folder)
#   ARTIFACTS      where build.sh put its files (default: artifacts/ in the repository)
# Prints the image's name and size. Needs docker (apt-get install docker.io; dockerd running).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${ARTIFACTS:-$root/artifacts}
arch=$(dpkg --print-architecture)
case "$arch" in amd64) rid=linux-x64 ;; arm64) rid=linux-arm64 ;; *) echo "no image for $arch" >&2; exit 2 ;; esac
binary=${1:-$(ls -td "$out"/pigeon-*-"$rid" 2>/dev/null | head -1)/pigeon}
[ -x "$binary" ] || { echo "no $binary: run packaging/build.sh first (PIGEON_TARGETS=$rid is enough)" >&2; exit 1; }
version=$(basename "$(dirname "$binary")" | sed -E "s/^pigeon-(.*)-$rid\$/\\1/")
image=${PIGEON_IMAGE:-pigeon:$(echo "$version" | tr '+~' '--')}
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
bash "$root/packaging/docker/rootfs.sh" "$arch" "$binary" "$context/rootfs-$arch.tar"
cp "$root/packaging/docker/Dockerfile" "$context/"
docker build -q --build-arg TARGETARCH="$arch" -t "$image" "$context" >/dev/null
echo "image $image: $(docker image inspect -f '{{.Size}}' "$image") bytes"
