#!/usr/bin/env bash
# Firmware.sln holds every project, the nanoFramework ones too: without the nanoFramework
# extension they must be skipped with a message, not fail the build (docs/device.md,
# "Building the device projects"). Last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp)
dotnet build Firmware.sln -nologo -v minimal 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
passed=0
failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else echo "FAILED: $1"; failed=$((failed + 1)); fi; }
check "dotnet build Firmware.sln exits 0" '[ "$rc" -eq 0 ]'
check "Pigeon.Device skipped with a message" 'grep -q "Pigeon.Device: skipped, it needs the .NET nanoFramework extension" "$out"'
check "Pigeon.DeviceTests skipped with a message" 'grep -q "Pigeon.DeviceTests: skipped, it needs the .NET nanoFramework extension" "$out"'
check "Pigeon.Core.Board skipped with a message" 'grep -q "Pigeon.Core.Board: skipped, it needs the .NET nanoFramework extension" "$out"'
check "Pigeon.DeviceTests.Target skipped with a message" 'grep -q "Pigeon.DeviceTests.Target: skipped, it needs the .NET nanoFramework extension" "$out"'
check "Pigeon.Portal.Board skipped with a message" 'grep -q "Pigeon.Portal.Board: skipped, it needs the .NET nanoFramework extension" "$out"'
check "no build errors" '! grep -qE " error [A-Z]+[0-9]+" "$out"'
rm -f "$out"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
