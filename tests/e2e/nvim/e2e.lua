-- End-to-end test of CarbonLsp through headless Neovim (0.7.2 from Debian 12, also 0.8+), using the
-- shipped editors/neovim module exactly as a user would load it.
--
--   CARBONLSP_REPO=<repo> CARBONLSP_DLL=<carbonlsp.dll> CARBONLSP_E2E_FILE=<copy of a .prompts.json> \
--     nvim --headless -u NONE -i NONE -c 'luafile tests/e2e/nvim/e2e.lua'
--
-- Prints "ok <step> <ms>" lines; exits 0 on success, 1 on a failed check, 3 on timeout (via :cquit).
local started = vim.loop.hrtime()
local function ms()
  return math.floor((vim.loop.hrtime() - started) / 1e6)
end
local function out(s)
  io.stdout:write(s .. '\n')
end
local function finish(code, message)
  if message then
    out(message)
  end
  io.stdout:flush()
  if code == 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit ' .. code)
  end
end
local function check(cond, message)
  if not cond then
    error(message, 0)
  end
end

local repo = assert(os.getenv('CARBONLSP_REPO'), 'CARBONLSP_REPO is not set')
local dll = assert(os.getenv('CARBONLSP_DLL'), 'CARBONLSP_DLL is not set')
local file = assert(os.getenv('CARBONLSP_E2E_FILE'), 'CARBONLSP_E2E_FILE is not set')
local timeout = tonumber(os.getenv('CARBONLSP_E2E_TIMEOUT_MS') or '45000')
vim.defer_fn(function()
  finish(3, 'FAIL timed out after ' .. timeout .. ' ms')
end, timeout)

local function run()
  vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
  local carbonlsp = require('carbonlsp')
  carbonlsp.setup({ cmd = { 'dotnet', dll, 'serve' }, settings = { debounceMs = 50 } })

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(bufnr)
  local client
  check(vim.wait(20000, function()
    client = carbonlsp.client(bufnr)
    return client ~= nil and client.initialized ~= false and not client.is_stopped()
  end, 20), 'the CarbonLsp client did not attach')
  out('ok attach ' .. ms())

  local function lsp_diagnostics()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local raw = (d.user_data and d.user_data.lsp) or {}
      raw.code = raw.code or d.code
      raw.range = raw.range or { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } }
      raw.message = raw.message or d.message
      table.insert(list, raw)
    end
    return list
  end
  local function find(code)
    for _, d in ipairs(lsp_diagnostics()) do
      if d.code == code then
        return d
      end
    end
  end

  check(vim.wait(20000, function()
    return find('CL101') ~= nil
  end, 20), 'no CL101 diagnostic arrived')
  out('ok diagnostics ' .. ms())

  -- Edit like a user: Germany -> France. The file's footprint must drop.
  local function summary()
    local res, err = carbonlsp.summary(bufnr, 5000)
    check(res and res.file, 'carbonlsp/summary failed: ' .. tostring(err))
    return res.file
  end
  local before = summary()
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local edited = false
  for i, line in ipairs(lines) do
    local s, e = line:find('"DE"', 1, true)
    if s then
      vim.api.nvim_buf_set_text(bufnr, i - 1, s - 1, i - 1, e, { '"FR"' })
      edited = true
      break
    end
  end
  check(edited, 'the fixture has no "DE" region')
  local after
  check(vim.wait(10000, function()
    after = summary()
    return after.co2eGrams < before.co2eGrams
  end, 50), 'the edit did not lower CO2e')
  out(string.format('ok edit %d (%.3f g -> %.3f g)', ms(), before.co2eGrams, after.co2eGrams))

  -- Hover on the "steps" key of the prompt with CL101.
  local diag = find('CL101')
  check(diag, 'CL101 vanished after the region edit')
  local line = diag.range.start.line
  local col = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]:find('"steps"', 1, true)
  check(col, 'no "steps" on the diagnostic line')
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = line, character = col + 1 },
  }, 5000)
  local hover_text = ''
  for _, r in pairs(hover or {}) do
    if r.result and r.result.contents then
      hover_text = hover_text .. (type(r.result.contents) == 'string' and r.result.contents or (r.result.contents.value or ''))
    end
  end
  check(hover_text:find('each extra step costs', 1, true), 'hover on steps: ' .. hover_text)
  out('ok hover ' .. ms())

  -- Code lenses (the per-prompt footprint).
  local lenses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeLens', { textDocument = { uri = uri } }, 5000)
  local lens_title
  for _, r in pairs(lenses or {}) do
    if r.result and r.result[1] and r.result[1].command then
      lens_title = r.result[1].command.title
    end
  end
  check(lens_title and lens_title:find('CO2e', 1, true), 'no code lens with CO2e')
  out('ok codelens ' .. ms())

  -- Quick fix: ask as Neovim's code_action() does and apply the WorkspaceEdit with Neovim's own function.
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = diag.range,
    context = { diagnostics = { diag } },
  }, 5000)
  local fix
  for _, r in pairs(responses or {}) do
    for _, action in ipairs(r.result or {}) do
      if action.title:match('^Use %d+ steps') then
        fix = action
      end
    end
  end
  check(fix and fix.edit, 'no "Use N steps" quick fix with an edit')
  check(fix.kind == 'quickfix' and fix.isPreferred == true, 'the fix is not a preferred quickfix')
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  check(vim.wait(10000, function()
    return find('CL101') == nil and #lsp_diagnostics() > 0
  end, 20), 'CL101 is still there after the quick fix')
  out('ok quickfix ' .. ms())

  -- The HTML footprint report through the server command, as :CarbonReport does (without opening a viewer).
  local report, report_err = carbonlsp.report(bufnr, { open = false })
  check(report and vim.fn.filereadable(report) == 1, 'no report: ' .. tostring(report_err))
  local html = table.concat(vim.fn.readfile(report), '\n')
  check(html:find('Footprint report', 1, true) and html:find('data-chart="co2-by-prompt"', 1, true), 'the report has no title or chart')
  out('ok report ' .. ms())

  local id = client.id
  vim.lsp.stop_client(id)
  vim.wait(5000, function()
    return vim.lsp.get_client_by_id(id) == nil
  end, 20)
  out('ok shutdown ' .. ms())
end

local ok, err = pcall(run)
if ok then
  finish(0)
else
  finish(1, 'FAIL ' .. tostring(err))
end
