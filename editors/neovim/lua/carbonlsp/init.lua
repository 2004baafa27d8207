-- CarbonLsp for Neovim: energy and CO2e of text-to-image prompts in *.prompts.json files.
-- Works on Neovim 0.7 (vim.lsp.start_client) and 0.8+ (vim.lsp.start); no plugin manager needed.
--
--   require('carbonlsp').setup({
--     cmd = { 'carbonlsp', 'serve' },          -- or { 'dotnet', '/path/to/carbonlsp.dll', 'serve' }
--     settings = { region = 'DE', device = 'nvidia-rtx-4090' },   -- the server's `carbonlsp` section
--   })
local M = {}

M.name = 'carbonlsp'
M.pattern = '*.prompts.json'

local defaults = {
  cmd = nil, -- nil: $CARBONLSP_SERVER, else `carbonlsp serve` from PATH
  settings = {}, -- answered to workspace/configuration (section "carbonlsp") and sent on didChangeConfiguration
  init_options = nil, -- initializationOptions; defaults to settings
  root_markers = { '.git', 'carbonlsp.json' },
  codelens = true, -- refresh code lenses (the per-prompt footprint) on enter and after edits
  inlay_hints = true, -- Neovim 0.10+: show the footprint inlay hints
  on_attach = nil, -- function(client, bufnr), e.g. for key maps
  capabilities = nil,
}

M.config = vim.deepcopy(defaults)
local clients_by_root = {} -- 0.7 only: one client per root directory

local function default_cmd()
  local env = os.getenv('CARBONLSP_SERVER')
  if env and env ~= '' then
    return { env, 'serve' }
  end
  return { 'carbonlsp', 'serve' }
end

-- The directory that holds a root marker, else the file's directory.
local function root_dir(fname)
  local dir = vim.fn.fnamemodify(fname, ':p:h')
  local current = dir
  while current and current ~= '' do
    for _, marker in ipairs(M.config.root_markers) do
      if vim.fn.isdirectory(current .. '/' .. marker) == 1 or vim.fn.filereadable(current .. '/' .. marker) == 1 then
        return current
      end
    end
    local parent = vim.fn.fnamemodify(current, ':h')
    if parent == current then
      break
    end
    current = parent
  end
  return dir
end

local function on_attach(client, bufnr)
  -- Completion with <C-x><C-o> (Neovim 0.7-0.9 do not set it themselves).
  vim.api.nvim_buf_set_option(bufnr, 'omnifunc', 'v:lua.vim.lsp.omnifunc')
  if M.config.codelens and vim.lsp.codelens then
    vim.api.nvim_create_autocmd({ 'BufEnter', 'InsertLeave', 'TextChanged' }, {
      buffer = bufnr,
      callback = function()
        pcall(vim.lsp.codelens.refresh)
      end,
    })
    pcall(vim.lsp.codelens.refresh)
  end
  if M.config.inlay_hints and vim.lsp.inlay_hint and vim.lsp.inlay_hint.enable then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr })
  end
  if M.config.on_attach then
    M.config.on_attach(client, bufnr)
  end
end

local function client_config(bufnr)
  local fname = vim.api.nvim_buf_get_name(bufnr)
  local settings = { carbonlsp = M.config.settings or {} }
  return {
    name = M.name,
    cmd = M.config.cmd or default_cmd(),
    root_dir = root_dir(fname),
    settings = settings,
    init_options = M.config.init_options or M.config.settings or {},
    capabilities = M.config.capabilities or vim.lsp.protocol.make_client_capabilities(),
    on_attach = on_attach,
  }
end

--- Starts (or reuses) the server for a buffer and attaches it. Returns the client id, or nil.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local config = client_config(bufnr)
  if vim.lsp.start then -- Neovim 0.8+
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_by_root[config.root_dir]
  local existing = id and vim.lsp.get_client_by_id(id)
  if not existing or existing.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      vim.notify('carbonlsp: cannot start ' .. table.concat(config.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients_by_root[config.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

--- The CarbonLsp client attached to a buffer, if any.
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local clients
  if vim.lsp.get_clients then -- 0.10+
    clients = vim.lsp.get_clients({ bufnr = bufnr, name = M.name })
  elseif vim.fn.has('nvim-0.8') == 1 then
    clients = vim.lsp.get_active_clients({ bufnr = bufnr, name = M.name })
  else
    clients = vim.lsp.buf_get_clients(bufnr)
  end
  for _, c in pairs(clients) do
    if c.name == M.name then
      return c
    end
  end
  return nil
end

-- client:request_sync on 0.11+ (method call), client.request_sync before.
local function request_sync(c, method, params, timeout_ms, bufnr)
  if vim.fn.has('nvim-0.11') == 1 then
    return c:request_sync(method, params, timeout_ms, bufnr)
  end
  return c.request_sync(method, params, timeout_ms, bufnr)
end

--- carbonlsp/summary for a buffer: { file = {...} | nil, workspace = {...} }, synchronously.
function M.summary(bufnr, timeout_ms)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local c = M.client(bufnr)
  if not c then
    return nil, 'CarbonLsp is not attached to this buffer'
  end
  local res = request_sync(c, 'carbonlsp/summary', { textDocument = { uri = vim.uri_from_bufnr(bufnr) } }, timeout_ms or 2000, bufnr)
  if not res or res.err then
    return nil, res and vim.inspect(res.err) or 'no answer'
  end
  return res.result
end

--- Writes the workspace's HTML footprint report (the server command carbonlsp.report) and returns its
--- path; with opts.open, opens it with the system's viewer (vim.ui.open, Neovim 0.10+).
function M.report(bufnr, opts)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  opts = opts or {}
  local c = M.client(bufnr)
  if not c then
    return nil, 'CarbonLsp is not attached to this buffer'
  end
  local root = c.config and c.config.root_dir or vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':h')
  local res = request_sync(c, 'workspace/executeCommand', { command = 'carbonlsp.report', arguments = { vim.uri_from_fname(root) } }, opts.timeout_ms or 60000, bufnr)
  if not res or res.err then
    return nil, res and (res.err.message or vim.inspect(res.err)) or 'no answer'
  end
  local path = res.result.path
  if opts.open and vim.ui and vim.ui.open then
    vim.ui.open(path)
  end
  return path
end

--- A one-line text for a status line, e.g. "CO2e 1.20 g (workspace 3.40 g)".
function M.statusline(bufnr)
  local s = M.summary(bufnr, 500)
  if not s or not s.file then
    return ''
  end
  local text = string.format('CO2e %.2f g', s.file.co2eGrams)
  if s.workspace then
    text = text .. string.format(' (workspace %.2f g)', s.workspace.co2eGrams)
  end
  if s.file.budgetExceeded then
    text = text .. ' over budget'
  end
  return text
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  local group = vim.api.nvim_create_augroup('carbonlsp', { clear = true })
  vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
    group = group,
    pattern = M.pattern,
    callback = function(args)
      if vim.bo[args.buf].filetype == '' then
        vim.bo[args.buf].filetype = 'json'
      end
      M.attach(args.buf)
    end,
  })
  vim.api.nvim_create_user_command('CarbonSummary', function()
    local s, err = M.summary(0)
    if not s then
      vim.notify('carbonlsp: ' .. tostring(err), vim.log.levels.WARN)
    else
      local line = M.statusline(0)
      vim.notify(line ~= '' and line or vim.inspect(s))
    end
  end, { desc = 'CarbonLsp: footprint of this file and the workspace' })
  vim.api.nvim_create_user_command('CarbonReport', function()
    local path, err = M.report(0, { open = true })
    if not path then
      vim.notify('carbonlsp: ' .. tostring(err), vim.log.levels.WARN)
    else
      vim.notify('carbonlsp: footprint report written to ' .. path)
    end
  end, { desc = 'CarbonLsp: write (and open) the HTML footprint report of the workspace' })
  -- Buffers already open when setup runs.
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.api.nvim_buf_get_name(b):match('%.prompts%.json$') then
      M.attach(b)
    end
  end
end

return M
