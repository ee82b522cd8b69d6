#!/usr/bin/env bash
# Firmware.sln holds every project, the nanoFramework ones too. Without the nanoFramework extension
# `dotnet build` compiles each .nfproj SDK-style against nanoFramework's mscorlib and the reference
# declarations (firmware/NanoBoard.props, docs/device.md "Building the board code"), with warnings as
# errors. Last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp)
dotnet build Firmware.sln -nologo -v minimal 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
passed=0
failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else echo "FAILED: $1"; failed=$((failed + 1)); fi; }
check "dotnet build Firmware.sln exits 0" '[ "$rc" -eq 0 ]'
check "no build errors" '! grep -qE " error [A-Z]+[0-9]+" "$out"'
check "no build warnings" '! grep -qE " warning [A-Z]+[0-9]+" "$out"'
for project in $(grep -oE '"[^"]+\.nfproj"' Firmware.sln | tr -d '"' | tr '\\' '/'); do
  name=$(basename "$project" .nfproj)
  check "$name compiled for nanoFramework" 'grep -q "$name: compiled against nanoFramework" "$out"'
  asm=$(grep -oE "<AssemblyName>[^<]+" "$project" "$(dirname "$project")/../Pigeon.DeviceTests.props" 2>/dev/null | head -1 | sed 's/.*>//')
  check "$name wrote bin/sdk/Debug/netstandard2.0/$asm.dll" '[ -f "$(dirname "$project")/bin/sdk/Debug/netstandard2.0/$asm.dll" ]'
done
check "every board project of the solution was checked" '[ "$(grep -c "\.nfproj" Firmware.sln)" -ge 6 ]'
rm -f "$out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
