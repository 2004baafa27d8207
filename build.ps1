#!/usr/bin/env pwsh
# CarbonLsp build script. Runs through the local tool manifest on any machine with the .NET SDK:
#   dotnet tool restore && dotnet pwsh ./build.ps1 test
# Targets: build, test, bench, publish. Exit code is the failing step's.
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'bench', 'publish')]
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
        [xml]$doc = Get-Content $trx.FullName
        $c = $doc.TestRun.ResultSummary.Counters
        $passed += [int]$c.passed; $failed += [int]$c.failed; $skipped += [int]$c.notExecuted
    }
    Write-Host ""
    Write-Host "tests: $passed passed, $failed failed, $skipped skipped"
    if ($code -ne 0) { exit $code }
    if ($passed -eq 0) { Write-Host 'build.ps1: no test ran'; exit 1 }
}

function Bench {
    Invoke-Step 'bench' { dotnet run -c Release --project bench/CarbonLsp.Benchmarks -- --filter $Filter }
}

function Publish {
    $rid = if ($Runtime) { $Runtime } else { [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier -replace '^(debian|ubuntu|alpine|fedora|rhel)[^-]*-', 'linux-' }
    $out = Join-Path $PSScriptRoot "artifacts/publish/$rid"
    # Self-contained and ReadyToRun, not trimmed: trimming breaks StreamJsonRpc's reflection.
    Invoke-Step "publish $rid" { dotnet publish src/CarbonLsp -c Release -r $rid --self-contained true -p:PublishReadyToRun=true "-p:Accelerator=$Accelerator" -o $out -nologo }
    Write-Host "published to $out"
}

switch ($Target) {
    'build' { Build }
    'test' { Test }
    'bench' { Bench }
    'publish' { Publish }
}
exit 0
