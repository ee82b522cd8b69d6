#!/usr/bin/env bash
# PowerShell 7 (as a .NET global tool) and Pester 5 (from NuGet, through a restore-only project),
# for flash.ps1's tests (.ci/test.d/30-pester.sh). Idempotent.
set -euo pipefail
PWSH_VERSION=7.6.9
PESTER_VERSION=5.7.1
export PATH="$PATH:$HOME/.dotnet/tools"

if ! pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null | grep -qx "$PWSH_VERSION"; then
  dotnet tool update --global PowerShell --version "$PWSH_VERSION" \
    || dotnet tool install --global PowerShell --version "$PWSH_VERSION"
fi

pkgs="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
if [ ! -f "$pkgs/pester/$PESTER_VERSION/tools/Pester.psd1" ]; then
  work=$(mktemp -d)
  cat > "$work/pester.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$PESTER_VERSION]" /></ItemGroup>
</Project>
XML
  dotnet restore "$work/pester.csproj" --nologo -v q
  rm -rf "$work"
fi
test -f "$pkgs/pester/$PESTER_VERSION/tools/Pester.psd1"
echo "pwsh $PWSH_VERSION, Pester $PESTER_VERSION ready"
