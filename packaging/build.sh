#!/usr/bin/env bash
# Builds Pigeon for servers into artifacts/ (docs/server.md):
#
#   pigeon-<version>-<rid>/pigeon[.exe]     self-contained, one file (trimmed, ReadyToRun), no .NET needed,
#   pigeon-<version>-<rid>.tar.gz | .zip    for linux-x64, linux-arm64, osx-arm64, win-x64
#   pigeon_<version>_amd64.deb, _arm64.deb  the Debian packages (debhelper, dpkg-buildpackage)
#   SHA256SUMS                              of every file above
#
# Needs the .NET 10 SDK, and for the packages debhelper (apt-get install debhelper); for the
# native AOT build, clang (apt-get install clang). Environment:
#   PIGEON_VERSION   the version (default: from the latest v* tag, else 0.0.0+git.<commit>)
#   PIGEON_TARGETS   the runtime identifiers to build (default: all four, space-separated)
#   PIGEON_AOT       linux-x64 build: "jit" (single-file, trimmed: the default; native AOT was
#                    measured and not adopted, docs/server.md) or "aot" (native AOT, needs clang);
#                    "both" ships jit and also puts both in artifacts/compare/<kind>/pigeon for
#                    the benchmark (docs/performance.md)
#   ARTIFACTS        the output folder (default: artifacts/ in the repository)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${ARTIFACTS:-$root/artifacts}
targets=${PIGEON_TARGETS:-linux-x64 linux-arm64 osx-arm64 win-x64}
aot=${PIGEON_AOT:-jit}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

case "$aot" in jit|aot|both) ;; *) echo "PIGEON_AOT must be jit, aot or both" >&2; exit 2 ;; esac

version=${PIGEON_VERSION:-}
if [ -z "$version" ]; then
  if tag=$(git -C "$root" describe --tags --match 'v[0-9]*' 2>/dev/null); then
    # v1.2.3 -> 1.2.3; v1.2.3-4-gabcdef -> 1.2.3+4.gabcdef (sorts after 1.2.3 for dpkg)
    version=$(echo "${tag#v}" | sed -E 's/-([0-9]+)-g([0-9a-f]+)$/+\1.g\2/')
  else
    version="0.0.0+git.$(git -C "$root" rev-parse --short=10 HEAD 2>/dev/null || echo unknown)"
  fi
fi
if ! echo "$version" | grep -qE '^[0-9][0-9A-Za-z.+~-]*$'; then
  echo "version \"$version\" is not a Debian version (digits first)" >&2
  exit 2
fi
# .NET's Version takes numbers only; the full text goes into InformationalVersion.
numeric=$(echo "$version" | sed -E 's/^([0-9]+(\.[0-9]+){0,3}).*/\1/')

mkdir -p "$out"
work="$out/obj"
rm -rf "$work"
mkdir -p "$work"
rm -rf "$out"/pigeon-* "$out"/pigeon_*.deb "$out"/SHA256SUMS
rm -rf "$out/compare"

log() { echo "== $*"; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

# publish RID KIND DEST: KIND "jit" = single-file, trimmed, self-contained; "aot" = native AOT.
publish() {
  local rid=$1 kind=$2 dest=$3
  local args=(-c Release -r "$rid" --self-contained -p:DebugType=none -p:DebugSymbols=false
    -p:Version="$numeric" -p:InformationalVersion="$version" --artifacts-path "$work/dotnet-$kind" -o "$work/publish-$rid-$kind" --nologo -v quiet)
  if [ "$kind" = aot ]; then
    args+=(-p:PublishAot=true -p:StripSymbols=true)
  else
    # Trimmed (74 MB -> 18 MB for linux-x64; --fake-wifi's JSON uses the generated reader), then
    # ReadyToRun: trimming drops the framework's precompiled code, and with it back the start
    # is 5x faster for 9.5 MB more (docs/server.md, "Size and start-up").
    args+=(-p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true)
  fi
  local start
  start=$(seconds)
  dotnet publish "$root/firmware/Pigeon.Host/Pigeon.Host.csproj" "${args[@]}"
  local exe=Pigeon.Host suffix=
  case "$rid" in win-*) exe=Pigeon.Host.exe; suffix=.exe ;; esac
  mkdir -p "$dest"
  cp "$work/publish-$rid-$kind/$exe" "$dest/pigeon$suffix"
  chmod 755 "$dest/pigeon$suffix"
  log "$rid ($kind): $(stat -c %s "$dest/pigeon$suffix") bytes in $(elapsed "$start") s"
}

# deb ARCH BINARY: the Debian package around one linux binary, built by debhelper.
deb() {
  local arch=$1 binary=$2
  local src="$work/deb-$arch/pigeon-$version"
  mkdir -p "$src"
  cp -r "$root/packaging/debian" "$src/debian"
  cp "$binary" "$src/pigeon"
  cat > "$src/debian/changelog" <<EOF
pigeon ($version) unstable; urgency=medium

  * Built by packaging/build.sh from $(git -C "$root" rev-parse HEAD 2>/dev/null || echo "an unknown commit").

 -- Pigeon volunteers <pigeon@invalid>  $(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")
EOF
  # What the binary loads: the single-file host links libstdc++ and libgcc_s; native AOT only
  # libc; both open libssl at run time (PBKDF2, HTTPS for dynamic DNS). No ICU (invariant).
  local depends="libc6, libssl3 | libssl3t64"
  if readelf -d "$binary" 2>/dev/null | grep -q 'libstdc++'; then
    depends="$depends, libstdc++6, libgcc-s1"
  fi
  local start
  start=$(seconds)
  (cd "$src" && PIGEON_DEPENDS="$depends" dpkg-buildpackage -b -a"$arch" -d -us -uc --no-sign >"$work/deb-$arch/build.log" 2>&1) \
    || { cat "$work/deb-$arch/build.log" >&2; echo "dpkg-buildpackage failed for $arch" >&2; return 1; }
  cp "$work/deb-$arch/pigeon_${version}_$arch.deb" "$out/"
  log "pigeon_${version}_$arch.deb: $(stat -c %s "$out/pigeon_${version}_$arch.deb") bytes in $(elapsed "$start") s"
}

total=$(seconds)
log "version $version; targets: $targets; linux-x64 build: $aot"
for rid in $targets; do
  kind=jit
  if [ "$rid" = linux-x64 ] && [ "$aot" = aot ]; then kind=aot; fi
  dest="$out/pigeon-$version-$rid"
  publish "$rid" "$kind" "$dest"
  if [ "$rid" = linux-x64 ] && [ "$aot" = both ]; then
    mkdir -p "$out/compare/jit" "$out/compare/aot"
    cp "$dest/pigeon" "$out/compare/jit/pigeon"
    publish "$rid" aot "$out/compare/aot"
  fi
  case "$rid" in
    win-*) (cd "$out" && zip -q -j "pigeon-$version-$rid.zip" "pigeon-$version-$rid/pigeon.exe") ;;
    *) tar -C "$out/pigeon-$version-$rid" -czf "$out/pigeon-$version-$rid.tar.gz" pigeon ;;
  esac
done

if ! command -v dh >/dev/null 2>&1; then
  echo "debhelper is missing (apt-get install debhelper): no Debian packages" >&2
  exit 1
fi
for rid in $targets; do
  case "$rid" in
    linux-x64) deb amd64 "$out/pigeon-$version-$rid/pigeon" ;;
    linux-arm64) deb arm64 "$out/pigeon-$version-$rid/pigeon" ;;
  esac
done

shopt -s nullglob
cd "$out"
files=(pigeon-*.tar.gz pigeon-*.zip pigeon_*.deb)
sha256sum "${files[@]}" > SHA256SUMS
log "artifacts in $out ($(elapsed "$total") s):"
ls -l "${files[@]}" SHA256SUMS
