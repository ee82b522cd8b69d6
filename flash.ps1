#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Installs Pigeon on an ESP32 board: nanoFramework firmware, the Pigeon application, and
    optionally a seed config on the board's I:\ drive.

.DESCRIPTION
    1. installs or updates nanoff (the nanoFramework flasher, a .NET tool);
    2. flashes the board's nanoFramework firmware at the version pinned in
       firmware/Pigeon.Device/firmware-pin.json (managed packages and firmware move together);
    3. deploys the Pigeon application image at the board profile's deploy address;
    4. copies the setup page (gzip) to I:\ and, with -Config, a seed config to I:\config.json;
    5. prints what to do next.
    Before any of that it prints how many relay sessions (phones' connections at once) the board
    will hold with the config it installs (`Pigeon.Host config check [FILE] --board NAME`, built
    once from firmware/Pigeon.Host), and stops if that config has errors.
    Every failure stops with a plain message and a non-zero exit code.

.PARAMETER Board
    A profile name from hardware/boards (for example esp32-devkitc). See hardware/README.md.
.PARAMETER Port
    Serial port (COM5, /dev/ttyUSB0, /dev/cu.usbserial-0001). Found automatically when exactly
    one USB serial port is present. A dry run needs none: without one it shows <PORT> in the plan.
.PARAMETER Config
    Optional seed config (JSON) written to I:\config.json.
.PARAMETER Image
    The application image (.bin). Without it the script builds firmware/Pigeon.Device where the
    nanoFramework toolchain exists (Windows + Visual Studio with the nanoFramework extension).
.PARAMETER SkipFirmware
    Do not flash the nanoFramework firmware (the board already has the pinned version).
.PARAMETER DryRun
    Print the session budget and the exact commands; install nothing, touch no hardware (only
    Pigeon.Host's config check is built, to compute the budget).
.PARAMETER Nanoff
    Use this nanoff executable instead of installing/updating the dotnet tool (offline machines).

.EXAMPLE
    ./flash.ps1 -Board esp32-devkitc
.EXAMPLE
    ./flash.ps1 -Board wt32-eth01 -Port COM7 -Config my-config.json -DryRun
#>
[CmdletBinding()]
param(
    [string]$Board,
    [string]$Port,
    [string]$Config,
    [string]$Image,
    [switch]$SkipFirmware,
    [switch]$DryRun,
    [string]$Nanoff
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# Exit codes: 0 done; 2 bad arguments, missing file or a config with errors; 3 no/ambiguous
# serial port; 4 nanoff missing or failed to install; 5 nanoff failed; 6 image cannot be built here.
function Stop-Flash([int]$Code, [string]$Message) {
    [Console]::Error.WriteLine("flash.ps1: $Message")
    exit $Code
}

function Format-Command([string[]]$Parts) {
    ($Parts | ForEach-Object { if ($_ -match '[\s"]') { '"' + ($_ -replace '"', '\"') + '"' } else { $_ } }) -join ' '
}

$root = $PSScriptRoot
$boardsDir = Join-Path $root 'hardware' 'boards'
$pinFile = Join-Path $root 'firmware' 'Pigeon.Device' 'firmware-pin.json'

# --- board profile -------------------------------------------------------------------------
$known = @(Get-ChildItem -Path $boardsDir -Filter '*.json' -ErrorAction SilentlyContinue |
           ForEach-Object { $_.BaseName } | Sort-Object)
if (-not $Board) {
    Stop-Flash 2 ("-Board is required. Supported boards: " + ($known -join ', ') + " (see hardware/README.md).")
}
if ($Board -notmatch '^[a-z0-9]+(-[a-z0-9]+)*$' -or $known -notcontains $Board) {
    Stop-Flash 2 ("unknown board '$Board'. Supported boards: " + ($known -join ', ') + " (see hardware/README.md).")
}
try {
    $boardProfile = Get-Content -Raw -Path (Join-Path $boardsDir "$Board.json") | ConvertFrom-Json
} catch {
    Stop-Flash 2 "the profile hardware/boards/$Board.json is not valid JSON: $($_.Exception.Message)"
}
foreach ($field in 'nanoffTarget', 'deployAddress', 'displayName') {
    if (-not ($boardProfile.PSObject.Properties.Name -contains $field) -or -not $boardProfile.$field) {
        Stop-Flash 2 "the profile hardware/boards/$Board.json has no '$field'."
    }
}
$target = [string]$boardProfile.nanoffTarget
$address = [string]$boardProfile.deployAddress

try {
    $pin = Get-Content -Raw -Path $pinFile | ConvertFrom-Json
    $fwVersion = [string]$pin.nanoffFirmwareVersion
} catch {
    Stop-Flash 2 "cannot read the firmware pin $pinFile."
}
if ($fwVersion -notmatch '^\d+\.\d+\.\d+\.\d+$') {
    Stop-Flash 2 "firmware-pin.json has no valid nanoffFirmwareVersion."
}

# --- files -----------------------------------------------------------------------------------
if ($Config) {
    if (-not (Test-Path -LiteralPath $Config -PathType Leaf)) {
        Stop-Flash 2 "config file not found: $Config"
    }
    $Config = (Resolve-Path -LiteralPath $Config).Path
    try { Get-Content -Raw -LiteralPath $Config | ConvertFrom-Json | Out-Null }
    catch { Stop-Flash 2 "config file is not valid JSON: $Config" }
}

$projectDir = Join-Path $root 'firmware' 'Pigeon.Device'
# The image is every .pe the application needs, concatenated by the nanoFramework build: mscorlib,
# the nanoFramework libraries, Pigeon.Core.pe and Pigeon.Reach.pe (firmware/Pigeon.Core.Board and
# Pigeon.Reach.Board: one assembly with the whole core overflows nanoCLR's limits) and Pigeon.Device.pe.
$builtImage = Join-Path $projectDir 'bin' 'Release' 'Pigeon.Device.bin'
$buildImage = $false
if ($Image) {
    if (-not (Test-Path -LiteralPath $Image -PathType Leaf)) {
        Stop-Flash 2 "image file not found: $Image"
    }
    $Image = (Resolve-Path -LiteralPath $Image).Path
} else {
    $Image = $builtImage
    $buildImage = $true
}

# --- serial port -----------------------------------------------------------------------------
function Get-SerialPorts {
    # PIGEON_FLASH_PORTS (';'-separated, may be empty) replaces discovery: used by the tests.
    if (Test-Path Env:PIGEON_FLASH_PORTS) {
        return @($env:PIGEON_FLASH_PORTS -split ';' | Where-Object { $_ })
    }
    if ($IsWindows) {
        return @([System.IO.Ports.SerialPort]::GetPortNames() | Sort-Object -Unique)
    }
    $patterns = if ($IsMacOS) {
        '/dev/cu.usbserial*', '/dev/cu.SLAB_USBtoUART*', '/dev/cu.wchusbserial*', '/dev/cu.usbmodem*'
    } else {
        '/dev/ttyUSB*', '/dev/ttyACM*'
    }
    return @($patterns | ForEach-Object { Get-ChildItem -Path $_ -ErrorAction SilentlyContinue } |
             ForEach-Object { $_.FullName } | Sort-Object -Unique)
}

$portNote = $null
if (-not $Port) {
    $ports = @(Get-SerialPorts)
    if ($ports.Count -eq 1) {
        $Port = $ports[0]
    } elseif ($DryRun) {
        # A dry run touches no hardware, so it needs no board: the plan shows where the port goes.
        $portNote = if ($ports.Count -eq 0) { 'no serial port found' } else { 'more than one serial port found (' + ($ports -join ', ') + ')' }
        $Port = '<PORT>'
    } elseif ($ports.Count -eq 0) {
        Stop-Flash 3 "no serial port found. Plug the board in with a USB DATA cable (charge-only cables do not work), install the USB driver (CP210x or CH340) if your computer asks for one, or name the port with -Port."
    } else {
        Stop-Flash 3 ("more than one serial port found (" + ($ports -join ', ') + "): unplug the other devices or name the board's port with -Port.")
    }
} elseif (-not $DryRun -and -not $IsWindows -and -not (Test-Path -LiteralPath $Port)) {
    Stop-Flash 3 "serial port not found: $Port"
}

# --- the session budget: Pigeon.Host config check [FILE] --board NAME ------------------------------
# The same plan the board makes at start (Relay.SessionBudget), with the profile's heap estimate.
# PIGEON_HOST (a built Pigeon.Host.dll) skips the build: used by the tests.
function Get-SessionBudget {
    $hostDll = $env:PIGEON_HOST
    if (-not $hostDll) {
        if (-not (Get-Command 'dotnet' -ErrorAction SilentlyContinue)) {
            return @{ Code = -1; Lines = @('sessions: unknown (the .NET SDK is needed to compute it)') }
        }
        $hostProject = Join-Path $root 'firmware' 'Pigeon.Host' 'Pigeon.Host.csproj'
        $hostOut = Join-Path ([System.IO.Path]::GetTempPath()) 'pigeon-flash-host'
        $built = & dotnet build $hostProject -c Release -nologo -v q -o $hostOut 2>&1
        if ($LASTEXITCODE -ne 0) {
            return @{ Code = -1; Lines = @("sessions: unknown (Pigeon.Host did not build: $(($built | Select-Object -Last 1)))") }
        }
        $hostDll = Join-Path $hostOut 'Pigeon.Host.dll'
    }
    $checkArgs = @('config', 'check')
    if ($Config) { $checkArgs += $Config }
    $checkArgs += @('--board', $Board)
    $lines = @(& dotnet $hostDll @checkArgs 2>&1 | ForEach-Object { "$_" })
    @{ Code = $LASTEXITCODE; Lines = $lines }
}

$budget = Get-SessionBudget
$configName = if ($Config) { $Config } else { 'the default config' }
if ($budget.Code -eq 1) {
    [Console]::Error.WriteLine("flash.ps1: $configName has errors; the board would not use it:")
    foreach ($line in $budget.Lines) { [Console]::Error.WriteLine("  $line") }
    exit 2
}

# --- the plan ----------------------------------------------------------------------------------
$nanoffCmd = if ($Nanoff) { $Nanoff } else { 'nanoff' }
$steps = New-Object System.Collections.Generic.List[object]
if (-not $Nanoff) {
    $steps.Add(@{ What = 'install or update nanoff'; Exe = 'dotnet'; Args = @('tool', 'update', '--global', 'nanoff') })
}
if ($buildImage) {
    $steps.Add(@{ What = 'build the application image'; Exe = 'msbuild'; Build = $true;
                  Args = @((Join-Path $projectDir 'Pigeon.Device.nfproj'), '-restore', '-p:RestorePackagesConfig=true', "-p:SolutionDir=$root$([System.IO.Path]::DirectorySeparatorChar)", '-p:Configuration=Release') })
    # SolutionDir: packages.config restores into packages\ beside Firmware.sln, where the .nfproj hint paths look.
}
if (-not $SkipFirmware) {
    $steps.Add(@{ What = "flash nanoFramework $fwVersion ($target)"; Exe = $nanoffCmd;
                  Args = @('--update', '--target', $target, '--fwversion', $fwVersion, '--serialport', $Port) })
}
$steps.Add(@{ What = "deploy Pigeon at $address"; Exe = $nanoffCmd;
              Args = @('--target', $target, '--serialport', $Port, '--deploy', '--image', $Image, '--address', $address, '--reset') })
# Files for I:\ : the setup page (gzip copies made here, the board cannot compress; raw copies
# only of small files, see FlashPortalAssets.cs), its third-party licence, and the seed config.
$portalDir = Join-Path $root 'firmware' 'portal'
$portalSources = @('index.html', 'app.css', 'app.js', (Join-Path 'vendor' 'qrcode.js'))
$maxRawBytes = 20 * 1024
$stageDir = Join-Path ([System.IO.Path]::GetTempPath()) "pigeon-flash-$PID"
$deployJson = Join-Path ([System.IO.Path]::GetTempPath()) "pigeon-filedeployment-$PID.json"
$deployFiles = New-Object System.Collections.Generic.List[object]
foreach ($rel in $portalSources) {
    $src = Join-Path $portalDir $rel
    if (-not (Test-Path -LiteralPath $src -PathType Leaf)) {
        Stop-Flash 2 "the setup page file is missing: $src (a complete checkout or release is needed)."
    }
    $name = Split-Path -Leaf $src
    $deployFiles.Add(@{ DestinationFilePath = "I:\www-$name.gz"; SourceFilePath = (Join-Path $stageDir "www-$name.gz"); Gzip = $src })
    if ((Get-Item -LiteralPath $src).Length -le $maxRawBytes) {
        $deployFiles.Add(@{ DestinationFilePath = "I:\www-$name"; SourceFilePath = $src })
    }
}
$license = Join-Path $portalDir 'vendor' 'LICENSE-qrcode-generator.txt'
if (Test-Path -LiteralPath $license) {
    $deployFiles.Add(@{ DestinationFilePath = 'I:\www-LICENSE-qrcode-generator.txt'; SourceFilePath = $license })
}
if ($Config) {
    $deployFiles.Add(@{ DestinationFilePath = 'I:\config.json'; SourceFilePath = $Config })
}
$what = if ($Config) { 'copy the setup page and the seed config to I:\' } else { 'copy the setup page to I:\' }
$steps.Add(@{ What = $what; Exe = $nanoffCmd; FileDeployment = $true;
              Args = @('--target', $target, '--serialport', $Port, '--filedeployment', $deployJson) })

function Get-DeploymentDocument {
    @{ serialport = $Port; files = @($deployFiles | ForEach-Object { @{ DestinationFilePath = $_.DestinationFilePath; SourceFilePath = $_.SourceFilePath } }) }
}

function New-GzipCopies {
    New-Item -ItemType Directory -Path $stageDir -Force | Out-Null
    foreach ($f in $deployFiles) {
        if (-not $f.ContainsKey('Gzip')) { continue }
        $in = [System.IO.File]::OpenRead($f.Gzip)
        $out = [System.IO.File]::Create($f.SourceFilePath)
        try {
            $gz = New-Object System.IO.Compression.GZipStream($out, [System.IO.Compression.CompressionLevel]::Optimal)
            $in.CopyTo($gz)
            $gz.Dispose()
        } finally {
            $in.Dispose()
            $out.Dispose()
        }
    }
}

Write-Host "Pigeon flash: $($boardProfile.displayName) on $Port (firmware $fwVersion, deploy address $address)"
if ($portNote) { Write-Host "Serial port: $portNote; the real run finds the board's port when it is the only one plugged in, or takes -Port." }
Write-Host "Relay sessions with $configName (one per phone connection at once; heap figures are estimates):"
foreach ($line in $budget.Lines) { if ($line -notmatch ': OK, \d+ warning') { Write-Host "  $line" } }
if ($DryRun) {
    Write-Host 'Dry run: these are the commands; nothing is installed and no hardware is touched.'
    foreach ($s in $steps) {
        Write-Host ("  # " + $s.What)
        Write-Host ("  " + (Format-Command (@($s.Exe) + $s.Args)))
        if ($s.ContainsKey('FileDeployment')) {
            Write-Host ("  # $deployJson would hold: " + ((Get-DeploymentDocument) | ConvertTo-Json -Compress -Depth 4))
            Write-Host ("  # (the .gz files are made in $stageDir from firmware/portal when this runs for real)")
        }
    }
    exit 0
}

# --- do it -------------------------------------------------------------------------------------
if ($Nanoff) {
    if (-not (Get-Command $Nanoff -ErrorAction SilentlyContinue)) {
        Stop-Flash 4 "nanoff not found at '$Nanoff'."
    }
} elseif (-not (Get-Command 'dotnet' -ErrorAction SilentlyContinue)) {
    Stop-Flash 4 "the .NET SDK (dotnet) is needed to install nanoff: install it from the official .NET download page, then run this again."
}

foreach ($s in $steps) {
    Write-Host "== $($s.What)"
    if ($s.ContainsKey('Build')) {
        $msbuild = $null
        if ($IsWindows -and ${env:ProgramFiles(x86)}) {
            $vswhere = Join-Path ${env:ProgramFiles(x86)} 'Microsoft Visual Studio' 'Installer' 'vswhere.exe'
            if (Test-Path $vswhere) {
                $msbuild = & $vswhere -latest -requires Microsoft.Component.MSBuild -find 'MSBuild\**\Bin\MSBuild.exe' | Select-Object -First 1
            }
        }
        if (-not $msbuild) {
            Stop-Flash 6 "the Pigeon image can only be built on Windows with Visual Studio and the nanoFramework extension. Download a released Pigeon.Device.bin and pass it with -Image."
        }
        $buildArgs = $s.Args
        & $msbuild @buildArgs
        if ($LASTEXITCODE -ne 0) { Stop-Flash 6 "the build failed (exit $LASTEXITCODE)." }
        if (-not (Test-Path -LiteralPath $Image)) { Stop-Flash 6 "the build did not produce $Image." }
        continue
    }
    if ($s.ContainsKey('FileDeployment')) {
        New-GzipCopies
        Get-DeploymentDocument | ConvertTo-Json -Depth 4 | Set-Content -LiteralPath $deployJson -Encoding utf8
    }
    try {
        $stepArgs = $s.Args
        & $s.Exe @stepArgs
        $rc = $LASTEXITCODE
    } catch {
        $rc = -1
        [Console]::Error.WriteLine($_.Exception.Message)
    }
    if (Test-Path -LiteralPath $deployJson) { Remove-Item -LiteralPath $deployJson -Force }
    if (Test-Path -LiteralPath $stageDir) { Remove-Item -LiteralPath $stageDir -Recurse -Force }
    if ($rc -ne 0) {
        if ($s.Exe -eq 'dotnet') { Stop-Flash 4 "could not install or update nanoff (exit $rc). Check the internet connection and run again." }
        Stop-Flash 5 "nanoff failed while trying to $($s.What) (exit $rc). Check the cable and the port; hold the board's BOOT button while it starts if it does not answer."
    }
}

$ssidHint = 'Pigeon-XXXX (XXXX: the last four characters of the board''s address, shown on the serial console)'
Write-Host ''
Write-Host 'Done. Next:'
if ($boardProfile.PSObject.Properties.Name -contains 'ethernet' -and $boardProfile.ethernet) {
    Write-Host '  1. Plug the board into your router with a network cable and power it.'
    Write-Host '  2. Find "pigeon" in the router''s list of devices and open http://<its address>/ in a browser,'
    Write-Host "     or, without a cable: join the Wi-Fi network $ssidHint and open http://192.168.4.1/."
} else {
    Write-Host "  1. On a phone or laptop, join the Wi-Fi network $ssidHint."
    Write-Host '  2. The setup page opens by itself; if not, open http://192.168.4.1/ in a browser.'
}
Write-Host '  3. Choose your home Wi-Fi, save, and wait for the LED to blink slowly (relaying).'
Write-Host '  4. Forward the relay ports on your router as the setup page shows, then share the proxy address.'
exit 0
