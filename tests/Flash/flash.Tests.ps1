# Pester 5 tests of flash.ps1. Each case runs the real script in a child pwsh and checks its exit
# code and output. Nothing here touches hardware: dry runs, or a fake nanoff (-Nanoff) that only
# records its arguments.

BeforeAll {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
    $script:Flash = Join-Path $Root 'flash.ps1'
    # The pwsh on PATH (a .NET tool's apphost), not this process's path (dotnet, for a tool).
    $script:Pwsh = (Get-Command pwsh -CommandType Application | Select-Object -First 1).Source
    $script:Pin = Get-Content -Raw (Join-Path $Root 'firmware' 'Pigeon.Device' 'firmware-pin.json') | ConvertFrom-Json
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ("pigeon-flash-tests-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $Work | Out-Null
    # flash.ps1 prints the board's session budget with Pigeon.Host; build it once for every case.
    $script:HostOut = Join-Path $Work 'host'
    & dotnet build (Join-Path $Root 'firmware' 'Pigeon.Host' 'Pigeon.Host.csproj') -c Release -nologo -v q -o $HostOut | Out-Null
    $script:HostDll = Join-Path $HostOut 'Pigeon.Host.dll'

    function Invoke-Flash {
        param([string[]]$Arguments, [hashtable]$Environment = @{})
        $psi = [System.Diagnostics.ProcessStartInfo]::new($Pwsh)
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $Flash) + $Arguments) { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $psi.Environment.Remove('PIGEON_FLASH_PORTS') | Out-Null
        $psi.Environment['PIGEON_HOST'] = $HostDll
        foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
        $p = [System.Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync()
        $err = $p.StandardError.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ Code = $p.ExitCode; Out = $out.Result; Err = $err }
    }

    # A nanoff stand-in: appends its arguments to calls.txt, exits with the code in exit.txt.
    function New-FakeNanoff([int]$ExitCode) {
        $dir = Join-Path $Work ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $dir | Out-Null
        Set-Content -Path (Join-Path $dir 'exit.txt') -Value $ExitCode
        $fake = Join-Path $dir 'nanoff.ps1'
        Set-Content -Path $fake -Value @'
Add-Content -Path (Join-Path $PSScriptRoot 'calls.txt') -Value ($args -join ' ')
$i = [array]::IndexOf($args, '--filedeployment')
if ($i -ge 0) {
    Copy-Item -Path $args[$i + 1] -Destination (Join-Path $PSScriptRoot 'deploy.json')
    $doc = Get-Content -Raw $args[$i + 1] | ConvertFrom-Json
    foreach ($f in $doc.files) {
        if (-not (Test-Path -LiteralPath $f.SourceFilePath)) { Add-Content -Path (Join-Path $PSScriptRoot 'missing.txt') -Value $f.SourceFilePath }
        if ($f.DestinationFilePath -eq 'I:\www-app.js.gz') { Copy-Item -LiteralPath $f.SourceFilePath -Destination (Join-Path $PSScriptRoot 'app.js.gz') }
    }
}
exit [int](Get-Content (Join-Path $PSScriptRoot 'exit.txt'))
'@
        $fake
    }

    $script:Image = Join-Path $Work 'app.bin'
    Set-Content -Path $Image -Value 'image'
    $script:FakePort = Join-Path $Work 'ttyUSB9'
    Set-Content -Path $FakePort -Value ''
    $script:GoodConfig = Join-Path $Work 'config.json'
    Set-Content -Path $GoodConfig -Value '{ "schemaVersion": 1 }'
}

AfterAll {
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}

Describe 'flash.ps1 -DryRun for every board profile' {
    $boards = Get-ChildItem (Join-Path $PSScriptRoot '..' '..' 'hardware' 'boards') -Filter '*.json' |
        ForEach-Object { @{ Name = $_.BaseName; Path = $_.FullName } }

    It 'DryRun_<Name>_PrintsFirmwareAndDeployCommandsFromTheProfile' -TestCases $boards {
        param($Name, $Path)
        $p = Get-Content -Raw $Path | ConvertFrom-Json
        $r = Invoke-Flash @('-Board', $Name, '-Port', 'COM7', '-DryRun')
        $r.Code | Should -Be 0 -Because $r.Err
        $r.Out | Should -Match 'nothing is installed'
        $r.Out | Should -Match ([regex]::Escape("dotnet tool update --global nanoff"))
        $r.Out | Should -Match ([regex]::Escape("nanoff --update --target $($p.nanoffTarget) --fwversion $($Pin.nanoffFirmwareVersion) --serialport COM7"))
        $expectedImage = Join-Path $Root 'firmware' 'Pigeon.Device' 'bin' 'Release' 'Pigeon.Device.bin'
        $r.Out | Should -Match ([regex]::Escape("nanoff --target $($p.nanoffTarget) --serialport COM7 --deploy --image $expectedImage --address $($p.deployAddress)"))
        $r.Out | Should -Match 'Pigeon.Device.nfproj'
    }

    It 'DryRun_<Name>_PrintsTheSessionBudgetOfTheDefaultConfig' -TestCases $boards {
        param($Name, $Path)
        $p = Get-Content -Raw $Path | ConvertFrom-Json
        $r = Invoke-Flash @('-Board', $Name, '-Port', 'COM7', '-DryRun')
        $r.Code | Should -Be 0 -Because $r.Err
        $r.Out | Should -Match 'Relay sessions with the default config'
        # What Pigeon.Host says for this board, word for word.
        $expected = (& dotnet $HostDll config check --board $Name | Select-Object -First 1)
        $expected | Should -Match '^sessions: \d+ '
        $r.Out | Should -Match ([regex]::Escape("  $expected"))
        $r.Out | Should -Match '  sockets: '
        $r.Out | Should -Match '  heap: '
        if ($p.maxSockets -ge 16) { $expected | Should -Match '^sessions: 5 ' }
    }
}

Describe 'flash.ps1 session budget' {
    It 'DryRun_Config_PrintsTheBudgetOfThatConfig' {
        $four = Join-Path $Work 'four-routes.json'
        $routes = @(443, 5222) | ForEach-Object { @{ name = "chat-$_"; listenPort = $_; upstreamHost = 'g.whatsapp.net'; upstreamPort = 5222; fallbackHost = 'g-fallback.whatsapp.net'; proxyProtocol = $true } }
        $routes += @(587, 7777) | ForEach-Object { @{ name = "media-$_"; listenPort = $_; upstreamHost = 'whatsapp.net'; upstreamPort = 443; allowedSni = @('whatsapp.net', '*.whatsapp.net', '*.whatsapp.com') } }
        @{ schemaVersion = 1; relay = @{ routes = $routes } } | ConvertTo-Json -Depth 5 | Set-Content -Path $four
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM3', '-Image', $Image, '-Config', $four, '-DryRun')
        $r.Code | Should -Be 0 -Because $r.Err
        $r.Out | Should -Match ([regex]::Escape("Relay sessions with $four"))
        $r.Out | Should -Match '  sessions: 4 \(sockets allow 4'
        $r.Out | Should -Match '4 listeners \(443, 5222, 587, 7777\)'
    }

    It 'ConfigWithErrors_Exits2BeforeAnythingRuns' {
        $bad = Join-Path $Work 'bad-relay.json'
        Set-Content -Path $bad -Value '{ "schemaVersion": 1, "relay": { "maxSessions": 0 } }'
        $fake = New-FakeNanoff 0
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', $FakePort, '-Image', $Image, '-Config', $bad, '-Nanoff', $fake)
        $r.Code | Should -Be 2
        $r.Err | Should -Match 'has errors; the board would not use it'
        $r.Err | Should -Match 'relay.maxSessions'
        Test-Path (Join-Path (Split-Path $fake) 'calls.txt') | Should -BeFalse
    }
}

Describe 'flash.ps1 -DryRun options' {
    It 'DryRun_WithImage_DeploysThatImageAndBuildsNothing' {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM3', '-Image', $Image, '-DryRun')
        $r.Code | Should -Be 0
        $r.Out | Should -Match ([regex]::Escape("--deploy --image $Image --address 0x1E0000"))
        $r.Out | Should -Not -Match 'nfproj'
    }

    It 'DryRun_SkipFirmware_HasNoFirmwareUpdate' {
        $r = Invoke-Flash @('-Board', 'esp32-s3-devkitc', '-Port', 'COM3', '-Image', $Image, '-SkipFirmware', '-DryRun')
        $r.Code | Should -Be 0
        $r.Out | Should -Not -Match '--update'
        $r.Out | Should -Match '--address 0x1B0000'
    }

    It 'DryRun_Config_ShowsFileDeploymentToDriveI' {
        $r = Invoke-Flash @('-Board', 'esp32-c3-supermini', '-Port', 'COM3', '-Config', $GoodConfig, '-DryRun')
        $r.Code | Should -Be 0
        $r.Out | Should -Match '--filedeployment'
        $r.Out | Should -Match ([regex]::Escape('I:\\config.json'))
    }

    It 'DryRun_WithoutConfig_StillCopiesTheSetupPageOnly' {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM3', '-Image', $Image, '-DryRun')
        $r.Code | Should -Be 0
        $r.Out | Should -Match 'copy the setup page to I:'
        $r.Out | Should -Match ([regex]::Escape('I:\\www-index.html.gz'))
        $r.Out | Should -Match ([regex]::Escape('I:\\www-qrcode.js.gz'))
        $r.Out | Should -Not -Match ([regex]::Escape('I:\\www-qrcode.js"'))
        $r.Out | Should -Not -Match 'config.json'
    }

    It 'DryRun_OnePortAttached_UsesItWithoutPort' {
        $r = Invoke-Flash @('-Board', 'wt32-eth01', '-DryRun') @{ PIGEON_FLASH_PORTS = '/dev/ttyUSB4' }
        $r.Code | Should -Be 0
        $r.Out | Should -Match '--serialport /dev/ttyUSB4'
    }

    It 'DryRun_NoBoardAttached_ShowsThePlanWithAPortPlaceholder' {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-DryRun') @{ PIGEON_FLASH_PORTS = '' }
        $r.Code | Should -Be 0
        $r.Out | Should -Match 'on <PORT> \(firmware'
        $r.Out | Should -Match 'Serial port: no serial port found'
        $r.Out | Should -Match '--serialport <PORT>'
        $r.Out | Should -Match 'sessions: '
    }

    It 'DryRun_TwoPortsAttached_NamesThemAndShowsThePlaceholder' {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-DryRun') @{ PIGEON_FLASH_PORTS = 'COM3;COM4' }
        $r.Code | Should -Be 0
        $r.Out | Should -Match 'more than one serial port found \(COM3, COM4\)'
        $r.Out | Should -Match '--serialport <PORT>'
    }

    It 'DryRun_WithNanoff_NeverRunsIt' {
        $fake = New-FakeNanoff 0
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM3', '-Image', $Image, '-Nanoff', $fake, '-DryRun')
        $r.Code | Should -Be 0
        Test-Path (Join-Path (Split-Path $fake) 'calls.txt') | Should -BeFalse
        $r.Out | Should -Not -Match 'dotnet tool'
    }
}

Describe 'flash.ps1 failures stop with a plain message and a non-zero exit' {
    It 'NoBoard_Exits2' {
        $r = Invoke-Flash @('-DryRun')
        $r.Code | Should -Be 2
        $r.Err | Should -Match '-Board is required'
        $r.Err | Should -Match 'esp32-devkitc'
    }

    It 'UnknownBoard_Exits2AndListsBoards' {
        $r = Invoke-Flash @('-Board', 'esp8266', '-Port', 'COM3', '-DryRun')
        $r.Code | Should -Be 2
        $r.Err | Should -Match "unknown board 'esp8266'"
        $r.Err | Should -Match 'wt32-eth01'
    }

    It 'BoardWithPathCharacters_Exits2' {
        $r = Invoke-Flash @('-Board', '../board', '-Port', 'COM3', '-DryRun')
        $r.Code | Should -Be 2
    }

    It 'MissingConfig_Exits2' {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM3', '-Config', (Join-Path $Work 'none.json'), '-DryRun')
        $r.Code | Should -Be 2
        $r.Err | Should -Match 'config file not found'
    }

    It 'ConfigNotJson_Exits2' {
        $bad = Join-Path $Work 'bad.json'
        Set-Content -Path $bad -Value '{ not json'
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM3', '-Config', $bad, '-DryRun')
        $r.Code | Should -Be 2
        $r.Err | Should -Match 'not valid JSON'
    }

    It 'MissingImage_Exits2' {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', 'COM3', '-Image', (Join-Path $Work 'none.bin'), '-DryRun')
        $r.Code | Should -Be 2
        $r.Err | Should -Match 'image file not found'
    }

    It 'NoSerialPort_Exits3BeforeNanoffRuns' {
        $fake = New-FakeNanoff 0
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Image', $Image, '-Nanoff', $fake) @{ PIGEON_FLASH_PORTS = '' }
        $r.Code | Should -Be 3
        $r.Err | Should -Match 'no serial port found'
        Test-Path (Join-Path (Split-Path $fake) 'calls.txt') | Should -BeFalse
    }

    It 'TwoSerialPorts_Exits3BeforeNanoffRuns' {
        $fake = New-FakeNanoff 0
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Image', $Image, '-Nanoff', $fake) @{ PIGEON_FLASH_PORTS = 'COM3;COM4' }
        $r.Code | Should -Be 3
        $r.Err | Should -Match 'more than one serial port'
        Test-Path (Join-Path (Split-Path $fake) 'calls.txt') | Should -BeFalse
    }

    It 'PortThatDoesNotExist_Exits3' -Skip:$IsWindows {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', (Join-Path $Work 'ttyNONE'), '-Image', $Image, '-Nanoff', (New-FakeNanoff 0))
        $r.Code | Should -Be 3
        $r.Err | Should -Match 'serial port not found'
    }

    It 'NanoffMissing_Exits4' {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', $FakePort, '-Image', $Image, '-Nanoff', (Join-Path $Work 'no-nanoff.ps1'))
        $r.Code | Should -Be 4
        $r.Err | Should -Match 'nanoff not found'
    }

    It 'NanoffFails_Exits5AndStopsAtTheFirstStep' {
        $fake = New-FakeNanoff 1
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', $FakePort, '-Image', $Image, '-Nanoff', $fake)
        $r.Code | Should -Be 5
        $r.Err | Should -Match 'nanoff failed'
        @(Get-Content (Join-Path (Split-Path $fake) 'calls.txt')).Count | Should -Be 1
    }

    It 'NoImageAndNoToolchain_Exits6' -Skip:$IsWindows {
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', $FakePort, '-Nanoff', (New-FakeNanoff 0))
        $r.Code | Should -Be 6
        $r.Err | Should -Match 'pass it with -Image'
    }
}

Describe 'flash.ps1 with a working nanoff' {
    It 'Run_AllSteps_CallsNanoffWithPinnedVersionAddressAndSeedConfig' {
        $fake = New-FakeNanoff 0
        $r = Invoke-Flash @('-Board', 'olimex-esp32-poe', '-Port', $FakePort, '-Image', $Image, '-Config', $GoodConfig, '-Nanoff', $fake)
        $r.Code | Should -Be 0 -Because $r.Err
        $dir = Split-Path $fake
        $calls = @(Get-Content (Join-Path $dir 'calls.txt'))
        $calls.Count | Should -Be 3
        $calls[0] | Should -Be "--update --target ESP32_OLIMEX --fwversion $($Pin.nanoffFirmwareVersion) --serialport $FakePort"
        $calls[1] | Should -Be "--target ESP32_OLIMEX --serialport $FakePort --deploy --image $Image --address 0x1E0000 --reset"
        $calls[2] | Should -Match "^--target ESP32_OLIMEX --serialport $([regex]::Escape($FakePort)) --filedeployment "
        $deploy = Get-Content -Raw (Join-Path (Split-Path $fake) 'deploy.json') | ConvertFrom-Json
        $deploy.serialport | Should -Be $FakePort
        $seed = @($deploy.files | Where-Object { $_.DestinationFilePath -eq 'I:\config.json' })
        $seed.Count | Should -Be 1
        $seed[0].SourceFilePath | Should -Be $GoodConfig
        foreach ($page in 'index.html', 'app.css', 'app.js', 'qrcode.js') {
            @($deploy.files | Where-Object { $_.DestinationFilePath -eq "I:\www-$page.gz" }).Count | Should -Be 1 -Because $page
        }
        Test-Path (Join-Path $dir 'missing.txt') | Should -BeFalse -Because 'every file named in the deployment exists when nanoff runs'
        # The gzip copy decompresses to the page file byte for byte.
        $in = [System.IO.File]::OpenRead((Join-Path $dir 'app.js.gz'))
        $gz = New-Object System.IO.Compression.GZipStream($in, [System.IO.Compression.CompressionMode]::Decompress)
        $ms = New-Object System.IO.MemoryStream
        $gz.CopyTo($ms); $gz.Dispose(); $in.Dispose()
        $original = [System.IO.File]::ReadAllBytes((Join-Path $Root 'firmware' 'portal' 'app.js'))
        [Convert]::ToBase64String($ms.ToArray()) | Should -Be ([Convert]::ToBase64String($original))
        Test-Path ($calls[2] -split ' ')[-1] | Should -BeFalse -Because 'the temporary deployment file is removed'
        $r.Out | Should -Match 'network cable'
        $r.Out | Should -Match 'Pigeon-XXXX'
    }

    It 'Run_WifiBoard_PrintsJoinTheSetupNetwork' {
        $fake = New-FakeNanoff 0
        $r = Invoke-Flash @('-Board', 'esp32-devkitc', '-Port', $FakePort, '-Image', $Image, '-SkipFirmware', '-Nanoff', $fake)
        $r.Code | Should -Be 0
        $calls = @(Get-Content (Join-Path (Split-Path $fake) 'calls.txt'))
        $calls.Count | Should -Be 2 -Because 'deploy, then the setup page to I:\'
        $calls[0] | Should -Match '--deploy'
        $calls[1] | Should -Match '--filedeployment'
        $r.Out | Should -Match 'join the Wi-Fi network Pigeon-XXXX'
        $r.Out | Should -Match '192\.168\.4\.1'
    }
}
