#!/usr/bin/env bash
# Makes docs/img/neovim.png: Neovim (with editors/neovim as shipped) in tmux on
# examples/campaign.prompts.json, diagnostics shown and the hover on "steps" open.
# Needs: neovim, tmux, python3-pil (Debian python: /usr/bin/python3), fonts-dejavu-core, a built src/CarbonLsp (Debug).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
dll="${CARBONLSP_DLL:-$repo/src/CarbonLsp/bin/Debug/net10.0/carbonlsp.dll}"
work="$(mktemp -d)"
trap 'tmux -L carbonshot kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/examples"
cp "$repo/examples/campaign.prompts.json" "$work/examples/"
cat > "$work/init.lua" <<LUA
vim.opt.runtimepath:prepend('$repo/editors/neovim')
vim.g.vim_json_warnings = 0 -- prompt files allow comments and trailing commas
vim.opt.termguicolors = true
vim.opt.background = 'dark'
vim.opt.number = true
vim.opt.signcolumn = 'yes'
vim.opt.wrap = false
vim.opt.laststatus = 2
vim.cmd('syntax on')
vim.cmd('filetype on')
vim.diagnostic.config({ virtual_text = { prefix = '●' }, underline = true, signs = true })
require('carbonlsp').setup({ cmd = { 'dotnet', '$dll', 'serve' } })
vim.defer_fn(function()
  vim.fn.search('"steps": 80')
  vim.cmd('normal! w')
  vim.lsp.buf.hover()
end, 4000)
LUA
cd "$work"
tmux -L carbonshot -f /dev/null new-session -d -s shot -x 200 -y 26 \
  "TERM=tmux-256color nvim -u $work/init.lua -i NONE -n examples/campaign.prompts.json"
tmux -L carbonshot set -g default-terminal tmux-256color >/dev/null
sleep 7
tmux -L carbonshot capture-pane -t shot -e -p > "$work/capture.ansi"
/usr/bin/python3 "$repo/tests/e2e/screenshot/ansi2png.py" "$work/capture.ansi" "${1:-$repo/docs/img/neovim.png}" 200 26
echo "wrote ${1:-$repo/docs/img/neovim.png}"
