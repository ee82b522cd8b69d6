#!/usr/bin/env bash
# Docker from Debian (docker.io: dockerd, containerd, runc) for the container image's suite
# (.ci/test.d/65-docker.sh), which starts dockerd itself. No image registry is used: the image is
# built FROM scratch out of this system's files. curl is the suite's HTTP client. Idempotent.
set -euo pipefail
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
dockerd --version
