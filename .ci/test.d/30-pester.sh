#!/usr/bin/env bash
# flash.ps1's Pester tests (tests/Flash). Last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:$HOME/.dotnet/tools"
PESTER_VERSION=5.7.1
pester="${NUGET_PACKAGES:-$HOME/.nuget/packages}/pester/$PESTER_VERSION/tools/Pester.psd1"
if [ ! -f "$pester" ] || ! command -v pwsh >/dev/null; then
  echo "pwsh or Pester missing: run .ci/install.d/30-powershell.sh"
  echo "0 passed, 1 failed"
  exit 1
fi
PESTER_PSD1="$pester" pwsh -NoProfile -NonInteractive -Command '
  Import-Module $env:PESTER_PSD1 -Force
  $c = New-PesterConfiguration
  $c.Run.Path = "tests/Flash"
  $c.Run.PassThru = $true
  $c.Output.Verbosity = "Detailed"
  $r = Invoke-Pester -Configuration $c
  Write-Host ("{0} passed, {1} failed" -f $r.PassedCount, ($r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount))
  if ($r.Result -ne "Passed" -or $r.PassedCount -eq 0) { exit 1 }
'
