-- zonels for Neovim: file types for zone files, the `zonels lsp` client, and the
-- tree-sitter parser for nvim-treesitter users.
--
--   require('zonels').setup({
--     cmd = { 'zonels', 'lsp' },          -- the server command
--     settings = { offline = true },      -- the `zonels` settings section (see the README)
--     host_files = true,                  -- also octoDNS YAML, dnsconfig.js and Terraform
--   })
--
-- Neovim 0.11+ uses vim.lsp.config/vim.lsp.enable; 0.8–0.10 use vim.lsp.start from a
-- FileType autocommand. setup() may run before or after files are opened.

local M = {}

M.zone_filetypes = { 'bindzone', 'dns-zone' }
M.host_filetypes = { 'yaml', 'javascript', 'terraform', 'hcl' }
M.root_markers = { 'zonels.toml', '.git' }

local defaults = {
  cmd = { 'zonels', 'lsp' },
  settings = {},
  host_files = true,
  filetypes = nil,
  -- Use vim.lsp.config/vim.lsp.enable (Neovim 0.11+); false starts clients with
  -- vim.lsp.start from a FileType autocommand, as on 0.8–0.10.
  lsp_enable = nil,
}

local function has(feature)
  return vim.fn.has(feature) == 1
end

--- The directory of this plugin (editors/neovim), for the bundled queries and grammar.
local function plugin_root()
  local src = debug.getinfo(1, 'S').source:sub(2)
  return vim.fn.fnamemodify(src, ':p:h:h:h')
end

--- Zone files: `*.zone`, `*.db`, `db.*`; Neovim already calls them `bindzone`.
function M.register_filetypes()
  vim.filetype.add({
    extension = { zone = 'bindzone' },
    pattern = {
      ['.*%.db'] = { 'bindzone', { priority = -1 } },
      ['.*/db%.[^/]+'] = 'bindzone',
    },
  })
end

--- The workspace root of a file: the folder holding zonels.toml, else the repository.
function M.root_dir(fname)
  local dir = vim.fn.fnamemodify(fname, ':p:h')
  if vim.fs and vim.fs.find then
    local found = vim.fs.find(M.root_markers, { path = dir, upward = true })[1]
    if found then
      return vim.fn.fnamemodify(found, ':h')
    end
  end
  return dir
end

--- The tree-sitter parser `dnszone` for `bindzone` buffers, and its install recipe for
--- nvim-treesitter (`:TSInstall dnszone`) when that plugin is present.
function M.register_treesitter()
  local grammar = plugin_root() .. '/../../grammars/tree-sitter-dnszone'
  grammar = vim.fn.fnamemodify(grammar, ':p')
  if vim.treesitter and vim.treesitter.language and vim.treesitter.language.register then
    pcall(vim.treesitter.language.register, 'dnszone', 'bindzone')
  end
  local ok, parsers = pcall(require, 'nvim-treesitter.parsers')
  if ok and parsers.get_parser_configs then
    parsers.get_parser_configs().dnszone = {
      install_info = { url = grammar, files = { 'src/parser.c', 'src/scanner.c' } },
      filetype = 'bindzone',
    }
  end
end

local function client_config(opts)
  local filetypes = opts.filetypes or vim.list_extend(vim.deepcopy(M.zone_filetypes), opts.host_files and M.host_filetypes or {})
  return {
    name = 'zonels',
    cmd = opts.cmd,
    filetypes = filetypes,
    root_markers = M.root_markers,
    settings = { zonels = opts.settings },
    init_options = { settings = { zonels = opts.settings } },
  }
end

local function start_legacy(config, bufnr)
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == '' then
    return
  end
  local c = vim.deepcopy(config)
  c.root_markers = nil
  c.filetypes = nil
  c.root_dir = M.root_dir(fname)
  vim.lsp.start(c, { bufnr = bufnr })
end

-- `:ZonelsAudit`: compares the current buffer's zone with the published DNS (online, only
-- when asked); the differences show as diagnostics until the buffer is edited.
function M.audit(bufnr)
  local buf = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local params = { command = 'zonels.audit', arguments = { vim.uri_from_bufnr(buf) } }
  vim.lsp.buf_request(buf, 'workspace/executeCommand', params, function(err, result)
    if err then
      vim.notify('zonels audit: ' .. (err.message or tostring(err)), vim.log.levels.ERROR)
    elseif result then
      vim.notify(('zonels audit: %d differences from the published DNS'):format(result.findings or 0))
    end
  end)
end

function M.setup(user)
  local opts = vim.tbl_deep_extend('force', defaults, user or {})
  M.options = opts
  vim.api.nvim_create_user_command('ZonelsAudit', function()
    M.audit(0)
  end, { desc = 'zonels: audit this zone against the published DNS' })
  M.register_filetypes()
  M.register_treesitter()
  local config = client_config(opts)
  local use_enable = opts.lsp_enable
  if use_enable == nil then
    use_enable = has('nvim-0.11')
  end
  if use_enable then
    vim.lsp.config('zonels', config)
    vim.lsp.enable('zonels')
    -- Before VimEnter (`-c`, a plugin manager's early setup) enable() does not revisit
    -- buffers whose FileType has already fired: do it here.
    if vim.v.vim_did_enter == 0 then
      vim.cmd('silent! doautoall nvim.lsp.enable FileType')
    end
    return
  end
  if not vim.lsp.start then
    vim.notify('zonels needs Neovim 0.8 or newer', vim.log.levels.ERROR)
    return
  end
  local group = vim.api.nvim_create_augroup('zonels', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(ev)
      start_legacy(config, ev.buf)
    end,
  })
  -- Buffers already open.
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(config.filetypes, vim.bo[buf].filetype) then
      start_legacy(config, buf)
    end
  end
end

return M
