#!/usr/bin/env pwsh
# CarbonLsp build script. Runs through the local tool manifest on any machine with the .NET SDK:
#   dotnet tool restore && dotnet pwsh ./build.ps1 test
# Targets: build, test, bench, publish, package (the VS Code extension with the bundled server).
# Exit code is the failing step's.
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'bench', 'publish', 'package')]
    [string]$Target = 'build',
    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Release',
    # ONNX Runtime flavour for generation: cpu (default package), cuda, directml (restored from the user's own feed).
    [ValidateSet('cpu', 'cuda', 'directml')]
    [string]$Accelerator = 'cpu',
    # Runtime identifier for publish; default: this machine's.
    [string]$Runtime = '',
    # BenchmarkDotNet filter for bench.
    [string]$Filter = '*'
)

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
Set-Location $PSScriptRoot

function Invoke-Step([string]$Name, [scriptblock]$Body) {
    Write-Host "==> $Name"
    & $Body
    if ($LASTEXITCODE -ne 0) {
        Write-Host "build.ps1: '$Name' failed with exit code $LASTEXITCODE"
        exit $LASTEXITCODE
    }
}

$common = @('-c', $Configuration, "-p:Accelerator=$Accelerator", '-nologo')

function Build {
    Invoke-Step 'build' { dotnet build CarbonLsp.sln @common }
}

function Test {
    Build
    $results = Join-Path $PSScriptRoot 'artifacts/test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    # Test projects run one after another: the machine has two cores and the end-to-end tests start processes.
    dotnet test CarbonLsp.sln @common --no-build --logger 'trx' --results-directory $results
    $code = $LASTEXITCODE
    # One plain closing line for CI, summed over every test project.
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem -Path $results -Filter *.trx -Recurse -ErrorAction SilentlyContinue) {
        [xml]$doc = Get-Content -LiteralPath $trx.FullName
        $c = $doc.TestRun.ResultSummary.Counters
        $passed += [int]$c.passed; $failed += [int]$c.failed
        # A skipped xUnit test is a result with outcome NotExecuted; the counters' notExecuted stays 0 for it.
        $skipped += @($doc.TestRun.Results.UnitTestResult | Where-Object { $_.outcome -eq 'NotExecuted' }).Count
    }
    # The VS Code extension's own tests (node's test runner), when its dependencies are installed.
    $ext = Join-Path $PSScriptRoot 'editors/vscode'
    if (Test-Path (Join-Path $ext 'node_modules')) {
        $nodeOut = & npm test --prefix $ext 2>&1
        $nodeCode = $LASTEXITCODE
        $nodeOut | Write-Host
        $text = ($nodeOut | Out-String)
        if ($text -match '# pass (\d+)') { $passed += [int]$Matches[1] }
        if ($text -match '# fail (\d+)') { $failed += [int]$Matches[1] }
        if ($text -match '# skipped (\d+)') { $skipped += [int]$Matches[1] }
        if ($nodeCode -ne 0 -and $code -eq 0) { $code = $nodeCode }
    }
    elseif ($env:CI) {
        Write-Host "build.ps1: editors/vscode/node_modules is missing (run npm ci --prefix editors/vscode)"
        $code = 1
    }
    else {
        Write-Host "build.ps1: skipped the VS Code extension's tests (run npm ci --prefix editors/vscode to include them)"
    }
    Write-Host ""
    Write-Host "tests: $passed passed, $failed failed, $skipped skipped"
    if ($code -ne 0) { exit $code }
    if ($passed -eq 0) { Write-Host 'build.ps1: no test ran'; exit 1 }
}

function Package {
    Publish
    $rid = if ($Runtime) { $Runtime } else { [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier -replace '^(debian|ubuntu|alpine|fedora|rhel)[^-]*-', 'linux-' }
    $ext = Join-Path $PSScriptRoot 'editors/vscode'
    $server = Join-Path $ext "server/$rid"
    if (Test-Path (Join-Path $ext 'server')) { Remove-Item -Recurse -Force (Join-Path $ext 'server') }
    New-Item -ItemType Directory -Force $server | Out-Null
    Copy-Item -Recurse -Force (Join-Path $PSScriptRoot "artifacts/publish/$rid/*") $server
    Invoke-Step 'npm ci (extension)' { npm ci --prefix $ext --no-audit --no-fund }
    Invoke-Step 'vsce package' { npm run package --prefix $ext }
    Write-Host "packaged $(Join-Path $ext 'carbonlsp.vsix')"
}

function Bench {
    Invoke-Step 'bench' { dotnet run -c Release --project bench/CarbonLsp.Benchmarks -- --filter $Filter }
}

function Publish {
    $rid = if ($Runtime) { $Runtime } else { [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier -replace '^(debian|ubuntu|alpine|fedora|rhel)[^-]*-', 'linux-' }
    $out = Join-Path $PSScriptRoot "artifacts/publish/$rid"
    # Self-contained and ReadyToRun, not trimmed: trimming breaks StreamJsonRpc's reflection.
    # Not composite (issue 18, third pass): a composite image (framework and our assemblies precompiled as one
    # unit) started ~20 ms sooner (227 vs 247 ms to the initialize response on the 2-core VM) but kept 68 MB of
    # the image mapped, against 52 MB; with the idle trim the server rests at 140 MB with a 10,000-prompt file
    # instead of 158-161 MB, under the 150 MB target (docs/perf.md).
    # A fresh folder: files left by an earlier publish of another flavour (a composite image, its framework stubs)
    # are newer than the ones publish would copy, so they would stay, and the server would abort at start-up
    # ("MVID mismatch ... carbonlsp.r2r.dll").
    if (Test-Path $out) { Remove-Item -Recurse -Force $out }
    Invoke-Step "publish $rid" { dotnet publish src/CarbonLsp -c Release -r $rid --self-contained true -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=false "-p:Accelerator=$Accelerator" -o $out -nologo }
    Write-Host "published to $out"
}

switch ($Target) {
    'build' { Build }
    'test' { Test }
    'bench' { Bench }
    'publish' { Publish }
    'package' { Package }
}
exit 0
