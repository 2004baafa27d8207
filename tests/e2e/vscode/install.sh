#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3, the last release that runs on Node 20) and playwright-core
# for tests/e2e/vscode/vscode.mjs. Needs Node 20 with its headers (/usr/include/node), g++ and make, and from
# apt: libkrb5-dev (code-server's kerberos module), ripgrep, chromium. Reaches only the npm registry.
set -euo pipefail
cd "$(dirname "$0")"
# Already installed from this lock file: nothing to do (local reruns; a CI cache of node_modules).
stamp=node_modules/.carbonlsp-installed
if [ -f "$stamp" ] && cmp -s package-lock.json "$stamp"; then
  echo "tests/e2e/vscode: already installed"
  exit 0
fi
# @vscode/ripgrep's install script downloads rg from GitHub unless its cache folder already holds the
# archive: put Debian's rg there, under the name it looks for.
rgcache="$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rgcache"
tmp=$(mktemp -d)
cp "$(command -v rg)" "$tmp/rg"
tar czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$tmp" rg
rm -rf "$tmp"
# node-gyp builds against the installed Node's headers (no download); no browser download (Debian's chromium
# is used); code-server's install script refuses root without unsafe-perm.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_nodedir=/usr npm_config_yes=true npm_config_unsafe_perm=true
# code-server's install script runs npm install inside its lib/vscode, whose native modules must be allowed
# to build there (npm 11 takes the list from that package.json only): unpack without scripts, write the list,
# then run the two install scripts this package.json allows.
npm ci --ignore-scripts --no-audit --no-fund
node -e '
const fs = require("fs");
const file = "node_modules/code-server/lib/vscode/package.json";
const p = JSON.parse(fs.readFileSync(file, "utf8"));
p.allowScripts = Object.fromEntries(["kerberos", "node-pty", "@parcel/watcher", "@vscode/ripgrep", "native-watchdog", "@vscode/spdlog",
  "@vscode/deviceid", "@vscode/windows-process-tree", "@vscode/windows-registry"].map(n => [n, true]));
fs.writeFileSync(file, JSON.stringify(p, null, 2));'
npm rebuild argon2 code-server --no-audit --no-fund
test -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg
test -f node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node
cp package-lock.json "$stamp"
