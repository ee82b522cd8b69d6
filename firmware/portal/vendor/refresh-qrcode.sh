#!/usr/bin/env bash
# Refreshes vendor/qrcode.js from the npm package "qrcode-generator" (MIT, Kazuhiko Arase).
# Usage: firmware/portal/vendor/refresh-qrcode.sh [VERSION]   (default: the pinned version below)
# Review the diff, run the browser tests, then commit qrcode.js and VERSION together.
set -euo pipefail
cd "$(dirname "$0")"
version="${1:-$(cat VERSION)}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "qrcode-generator@${version}" >/dev/null && tar xzf qrcode-generator-*.tgz)
grep -q '"license": "MIT"' "$tmp/package/package.json" || { echo "licence is no longer MIT: stop and review" >&2; exit 1; }
cp "$tmp/package/dist/qrcode.js" qrcode.js
echo "$version" > VERSION
echo "qrcode.js <- qrcode-generator@${version} ($(wc -c < qrcode.js) bytes)"
