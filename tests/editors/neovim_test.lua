-- Headless Neovim end to end: the plugin on 'runtimepath', the real `zonels lsp`.
--   ZONELS=path/to/zonels PLUGIN=editors/neovim nvim --headless --clean -u NONE \
--     [--cmd "luafile tests/editors/neovim_test.lua"] [-c "luafile …"] file.zone
-- Setup runs from --cmd (before the file is opened) or -c (after). Checks: the client
-- attaches with the workspace root, diagnostics arrive with the expected codes and lines,
-- hover answers, a quick fix applied through Neovim's own machinery makes its finding go.
-- Exit 0 on success; otherwise 1 with the reason on stdout.
local zonels = assert(os.getenv('ZONELS'), 'ZONELS must name the binary')
local plugin = assert(os.getenv('PLUGIN'), 'PLUGIN must name editors/neovim')
local timeout = tonumber(os.getenv('TIMEOUT_MS') or '20000')
vim.opt.runtimepath:prepend(plugin)

local function say(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
  io.stdout:flush()
end

local function finish(code, why)
  say('%s: %s (nvim %s)', code == 0 and 'ok' or 'FAIL', why, tostring(vim.version()))
  for _, c in ipairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    local pid = c.rpc and c.rpc.pid
    pcall(function() c:stop(true) end)
    if pid then pcall(vim.loop.kill, pid, 15) end
  end
  os.exit(code)
end

require('zonels').setup({ cmd = { zonels, 'lsp' }, settings = { offline = true }, lsp_enable = os.getenv('LEGACY') ~= '1' and nil or false })

local function run()
  local buf = vim.api.nvim_get_current_buf()
  local fname = vim.api.nvim_buf_get_name(buf)
  if vim.bo[buf].filetype ~= 'bindzone' then
    finish(1, 'filetype is ' .. vim.bo[buf].filetype .. ', not bindzone')
  end
  local client
  local attached = vim.wait(timeout, function()
    local cs = (vim.lsp.get_clients or vim.lsp.get_active_clients)({ bufnr = buf })
    client = cs[1]
    return client ~= nil and client.initialized
  end, 20)
  if not attached then finish(1, 'zonels did not attach to ' .. fname) end
  local want_root = vim.fn.fnamemodify(os.getenv('EXPECT_ROOT') or '', ':p'):gsub('/$', '')
  if client.config.root_dir ~= want_root then
    finish(1, 'root_dir ' .. tostring(client.config.root_dir) .. ' is not ' .. want_root)
  end

  -- Expected findings: "code@line,code@line" (1-based lines).
  local expect = vim.split(os.getenv('EXPECT') or '', ',', { trimempty = true })
  local function have(code, line)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == code and (line == nil or d.lnum + 1 == line) then return d end
    end
  end
  local ok = vim.wait(timeout, function()
    for _, e in ipairs(expect) do
      local code, line = e:match('^(.-)@(%d+)$')
      if not have(code, tonumber(line)) then return false end
    end
    return true
  end, 20)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    say('diagnostic %d:%d %s %s', d.lnum + 1, d.col + 1, tostring(d.code), d.message)
  end
  if not ok then finish(1, 'expected findings ' .. table.concat(expect, ', ') .. ' did not all arrive') end

  -- Hover on the first expected finding.
  local code0 = expect[1]:match('^(.-)@')
  local d0 = have(code0)
  local tdi = { uri = vim.uri_from_bufnr(buf) }
  local pos = { line = d0.lnum, character = d0.col }
  local hov = vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = tdi, position = pos }, timeout) or {}
  local hover
  for _, r in pairs(hov) do
    if r.result and r.result.contents then hover = r.result.contents.value or vim.inspect(r.result.contents) end
  end
  if not hover or hover == '' then finish(1, 'no hover at ' .. code0) end
  say('hover: %s', (hover:gsub('\n.*', '')))

  -- The quick fix for the finding named by FIX, applied as Neovim applies it.
  local fix_code = os.getenv('FIX')
  local d = have(fix_code)
  if not d then finish(1, 'no ' .. fix_code .. ' finding to fix') end
  local lsp_diag = d.user_data and d.user_data.lsp or {
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    message = d.message, code = d.code, severity = d.severity, source = d.source,
  }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = tdi,
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag } },
  }, timeout) or {}
  local action
  for _, r in pairs(res) do
    for _, a in ipairs(r.result or {}) do
      if a.kind == 'quickfix' and a.edit and not action then action = a end
    end
  end
  if not action then finish(1, 'no quick fix for ' .. fix_code) end
  say('applying: %s', action.title)
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
  local gone = vim.wait(timeout, function() return have(fix_code) == nil end, 20)
  if not gone then
    say('line now: %s', vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1])
    finish(1, fix_code .. ' is still reported after its fix')
  end
  finish(0, 'diagnostics, hover and a quick fix in ' .. fname)
end

if vim.v.vim_did_enter == 1 or vim.api.nvim_buf_get_name(0) ~= '' then
  vim.schedule(run)
else
  vim.api.nvim_create_autocmd('VimEnter', { once = true, callback = function() vim.schedule(run) end })
end
