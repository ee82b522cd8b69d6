#!/usr/bin/env bash
# Builds Pigeon for servers into artifacts/ (docs/server.md):
#
#   pigeon-<version>-<rid>/pigeon[.exe]     self-contained, no .NET needed: native AOT for linux-x64
#                                           and linux-arm64 (one ELF, libc and libssl only); one
#                                           file (trimmed, ReadyToRun) for osx-arm64 and win-x64
#   pigeon-<version>-<rid>.tar.gz | .zip    for linux-x64, linux-arm64, osx-arm64, win-x64
#   pigeon_<version>_amd64.deb, _arm64.deb  the Debian packages (debhelper, dpkg-buildpackage)
#   SHA256SUMS                              of every file above
#
# Needs the .NET 10 SDK, and for the packages debhelper, dpkg-dev and binutils (apt-get install
# debhelper dpkg-dev binutils), zip for the Windows archive; for native AOT clang, and for the
# other Linux architecture Debian's cross toolchain (on amd64: apt-get install clang
# gcc-aarch64-linux-gnu libc6-dev-arm64-cross; on arm64: clang gcc-x86-64-linux-gnu
# libc6-dev-amd64-cross). It checks for them before building anything. Environment:
#   PIGEON_VERSION   the version (default: from the latest v* tag, else 0.0.0+git.<commit>)
#   PIGEON_TARGETS   the runtime identifiers to build (default: all four, space-separated)
#   PIGEON_AOT       the linux builds: "aot" (native AOT: the default, docs/server.md), "jit" (the
#                    trimmed ReadyToRun single file, as macOS and Windows get: for a system whose
#                    C library is older than the AOT binary needs, glibc 2.34), or "both": ships
#                    AOT and also puts both linux-x64 builds in artifacts/compare/<kind>/pigeon
#                    for the benchmark (docs/performance.md)
#   PIGEON_DEB       "no": the binaries and archives only, no Debian packages (the benchmark's build)
#   ARTIFACTS        the output folder (default: artifacts/ in the repository)
#   PIGEON_MAINTAINER the packages' Maintainer, "Name <address>": who answers for the package
#                    built (default: DEBFULLNAME and DEBEMAIL, as dch takes them, else git's
#                    user.name and user.email, else the user at this host)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${ARTIFACTS:-$root/artifacts}
targets=${PIGEON_TARGETS:-linux-x64 linux-arm64 osx-arm64 win-x64}
aot=${PIGEON_AOT:-aot}
debs=${PIGEON_DEB:-yes}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

case "$aot" in jit|aot|both) ;; *) echo "PIGEON_AOT must be jit, aot or both" >&2; exit 2 ;; esac
case "$debs" in yes|no) ;; *) echo "PIGEON_DEB must be yes or no" >&2; exit 2 ;; esac

# kind RID: how RID is built. Native AOT compiles for the OS it runs on only (no Linux-hosted
# linker for Mach-O or PE), so macOS and Windows keep the single file.
kind() {
  case "$1" in
    linux-*) if [ "$aot" = jit ]; then echo jit; else echo aot; fi ;;
    *) echo jit ;;
  esac
}

# triplet RID: the GNU triplet of a linux RID's architecture.
triplet() {
  case "$1" in
    linux-x64) echo x86_64-linux-gnu ;;
    linux-arm64) echo aarch64-linux-gnu ;;
    *) echo "no triplet for $1" >&2; return 1 ;;
  esac
}
host_triplet=$(uname -m)-linux-gnu

# Every tool first: a missing one is said now, not after minutes of building.
missing=()
command -v dotnet >/dev/null 2>&1 || missing+=("dotnet (the .NET 10 SDK: https://dot.net)")
case " $targets " in
  *" linux-x64 "*|*" linux-arm64 "*)
    if [ "$debs" = yes ]; then
      command -v dh >/dev/null 2>&1 || missing+=("dh (apt-get install debhelper)")
      command -v dpkg-buildpackage >/dev/null 2>&1 || missing+=("dpkg-buildpackage (apt-get install dpkg-dev)")
    fi
    command -v readelf >/dev/null 2>&1 || missing+=("readelf (apt-get install binutils)") ;;
esac
command -v python3 >/dev/null 2>&1 || missing+=("python3 (apt-get install python3)")
case " $targets " in *" win-x64 "*) command -v zip >/dev/null 2>&1 || missing+=("zip (apt-get install zip)") ;; esac
for rid in $targets; do
  [ "$(kind "$rid")" = aot ] || continue
  command -v clang >/dev/null 2>&1 || missing+=("clang, the native AOT compiler's linker driver (apt-get install clang)")
  t=$(triplet "$rid")
  if [ "$t" != "$host_triplet" ]; then
    # Cross-linking: clang --target=$t finds Debian's cross toolchain in /usr/$t and
    # /usr/lib/gcc-cross/$t (the linker, crtbegin, libgcc, and the C library to link against).
    arch=${t%%-*}; arch=${arch//_/-}
    command -v "$t-ld" >/dev/null 2>&1 && compgen -G "/usr/lib/gcc-cross/$t/*/crtbeginS.o" >/dev/null \
      || missing+=("the $t linker and GCC's start files, for native AOT on $rid (apt-get install gcc-$arch-linux-gnu)")
    case "$t" in aarch64-*) debarch=arm64 ;; *) debarch=amd64 ;; esac
    [ -e "/usr/$t/lib/crti.o" ] && [ -e "/usr/$t/lib/libc.so" ] \
      || missing+=("the $t C library to link against, for native AOT on $rid (apt-get install libc6-dev-$debarch-cross)")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "packaging/build.sh needs, and this machine lacks:" >&2
  printf '  %s\n' "${missing[@]}" | sort -u >&2
  exit 1
fi

maintainer=${PIGEON_MAINTAINER:-}
if [ -z "$maintainer" ] && [ -n "${DEBEMAIL:-}" ]; then
  maintainer="${DEBFULLNAME:-$(id -un)} <$DEBEMAIL>"
fi
if [ -z "$maintainer" ] && git -C "$root" config user.email >/dev/null 2>&1; then
  maintainer="$(git -C "$root" config user.name 2>/dev/null || id -un) <$(git -C "$root" config user.email)>"
fi
maintainer=${maintainer:-"$(id -un) <$(id -un)@$(hostname -f 2>/dev/null || hostname)>"}

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
    -p:Version="$numeric" -p:InformationalVersion="$version" -p:IncludeSourceRevisionInInformationalVersion=false --artifacts-path "$work/dotnet-$kind" -o "$work/publish-$rid-$kind" --nologo -v quiet)
  if [ "$kind" = aot ]; then
    # Native AOT (docs/server.md, "Native AOT"): the ILCompiler packs come from NuGet at the
    # version the SDK picks; clang links, for another architecture through Debian's cross
    # toolchain. An AOT or trim warning fails the build (Pigeon.Host.csproj).
    args+=(-p:PublishAot=true -p:StripSymbols=true)
  else
    # Trimmed (74 MB -> 18 MB for linux-x64; every JSON goes through the core's reflection-free reader and writer), then
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
  # The board profiles `pigeon config check --board NAME` reads, beside the program.
  mkdir -p "$dest/hardware/boards"
  cp "$root"/hardware/boards/*.json "$dest/hardware/boards/"
  notices "$rid" "$kind" "$dest"
  log "$rid ($kind): $(stat -c %s "$dest/pigeon$suffix") bytes in $(elapsed "$start") s"
}

# notices RID KIND DEST: Pigeon's LICENSE, and the THIRD-PARTY-NOTICES.TXT of the .NET runtime
# pack the program was published with (a self-contained program carries that runtime).
notices() {
  local rid=$1 kind=$2 dest=$3
  local assets="$work/dotnet-$kind/obj/Pigeon.Host/project.assets.json"
  # The pack's name and version from the restore (runtime.<rid>, or runtime.nativeaot.<rid>).
  local pack
  pack=$(python3 - "$assets" "$rid" "$kind" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
# The pack the program's runtime came from: NativeAOT's for an AOT build (its restore lists both).
names = ["microsoft.netcore.app.runtime." + sys.argv[2]]
if sys.argv[3] == "aot":
    names.insert(0, "microsoft.netcore.app.runtime.nativeaot." + sys.argv[2])
found = {}
for f in d["project"]["frameworks"].values():
    for x in f.get("downloadDependencies", []):
        found[x["name"].lower()] = x["version"].strip("[]").split(",")[0].strip()
for name in names:
    if name in found:
        print(name + "/" + found[name])
        sys.exit(0)
sys.exit(1)
PY
)
  pack="${NUGET_PACKAGES:-$HOME/.nuget/packages}/$pack"
  cp "$root/LICENSE" "$dest/LICENSE.txt"
  cp "$pack/THIRD-PARTY-NOTICES.TXT" "$dest/dotnet-runtime-third-party-notices.txt"
}

# deb ARCH BINARY: the Debian package around one linux binary, built by debhelper.
deb() {
  local arch=$1 binary=$2
  local src="$work/deb-$arch/pigeon-$version"
  mkdir -p "$src"
  cp -r "$root/packaging/debian" "$src/debian"
  cp "$binary" "$src/pigeon"
  mkdir -p "$src/boards"
  cp "$root"/hardware/boards/*.json "$src/boards/"
  cp "$(dirname "$binary")/dotnet-runtime-third-party-notices.txt" "$src/"
  sed -i "s|@MAINTAINER@|$maintainer|" "$src/debian/control"
  cat > "$src/debian/changelog" <<EOF
pigeon ($version) unstable; urgency=medium

  * Built by packaging/build.sh from $(git -C "$root" rev-parse HEAD 2>/dev/null || echo "an unknown commit").

 -- $maintainer  $(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")
EOF
  # What the binary loads: native AOT links libc and libm only, against this Debian's C library,
  # so it needs at least the newest glibc symbol version it names (2.34); the single-file host
  # (Microsoft's build, for older C libraries) also links libstdc++ and libgcc_s. Both open
  # libssl at run time (TLS, PBKDF2, HTTPS). No ICU (invariant globalization).
  local glibc
  glibc=$(readelf -V --wide "$binary" | sed -n 's/.*Name: GLIBC_\([0-9][0-9.]*\).*/\1/p' | sort -uV | tail -1)
  local depends="libc6${glibc:+ (>= $glibc)}, libssl3 | libssl3t64"
  if readelf -d "$binary" 2>/dev/null | grep -q 'libstdc++'; then
    depends="$depends, libstdc++6, libgcc-s1"
    # The JIT writes machine code: the unit's W^X rule would stop it.
    sed -i '/^MemoryDenyWriteExecute=/d' "$src/debian/pigeon.service"
  else
    # The AOT linker keeps only what is called: no zlib in the binary, so lintian's override for
    # the single file's embedded zlib-ng would be an unused override.
    rm "$src/debian/pigeon.lintian-overrides"
  fi
  local start
  start=$(seconds)
  (cd "$src" && PIGEON_DEPENDS="$depends" dpkg-buildpackage -b -a"$arch" -d -us -uc --no-sign >"$work/deb-$arch/build.log" 2>&1) \
    || { cat "$work/deb-$arch/build.log" >&2; echo "dpkg-buildpackage failed for $arch" >&2; return 1; }
  cp "$work/deb-$arch/pigeon_${version}_$arch.deb" "$out/"
  log "pigeon_${version}_$arch.deb: $(stat -c %s "$out/pigeon_${version}_$arch.deb") bytes in $(elapsed "$start") s"
}

total=$(seconds)
log "version $version; targets: $targets; linux builds: $aot"
for rid in $targets; do
  kind=$(kind "$rid")
  dest="$out/pigeon-$version-$rid"
  publish "$rid" "$kind" "$dest"
  if [ "$rid" = linux-x64 ] && [ "$aot" = both ]; then
    mkdir -p "$out/compare/aot"
    cp "$dest/pigeon" "$out/compare/aot/pigeon"
    publish "$rid" jit "$out/compare/jit"
  fi
  case "$rid" in
    win-*) (cd "$out/pigeon-$version-$rid" && zip -q -r "../pigeon-$version-$rid.zip" pigeon.exe LICENSE.txt dotnet-runtime-third-party-notices.txt hardware) ;;
    *) tar -C "$out/pigeon-$version-$rid" -czf "$out/pigeon-$version-$rid.tar.gz" pigeon LICENSE.txt dotnet-runtime-third-party-notices.txt hardware ;;
  esac
done

for rid in $targets; do
  [ "$debs" = yes ] || break
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
