-- Drives lm-eval-lens-server over stdio from Neovim's built-in LSP client (0.7+), headless:
-- one diagnostic, one hover and one code action (applied) on the seed script. Prints a JSON
-- summary; exit code 0 when every check held, 1 otherwise.
-- Run: LENS_SERVER_JS=bin/lm-eval-lens-server.js LENS_FILE=/tmp/x/seed.sh nvim --headless --clean -c 'luafile lsp-check.lua'
local server_js, file = os.getenv('LENS_SERVER_JS'), os.getenv('LENS_FILE')
local node = os.getenv('LENS_NODE') or 'node'
local timeout_ms = tonumber(os.getenv('LENS_TIMEOUT_MS') or '20000')
local out = { checks = {} }

local function finish()
  local ok = #out.checks >= 3
  for _, c in ipairs(out.checks) do ok = ok and c.ok end
  out.ok = ok
  io.stdout:write(vim.fn.json_encode(out) .. '\n')
  vim.cmd(ok and 'qall!' or 'cquit 1')
end
local function check(name, ok, detail)
  table.insert(out.checks, { name = name, ok = ok and true or false, detail = detail })
  return ok
end
-- 0.7 keeps the LSP code in user_data.lsp; 0.8+ also sets diagnostic.code
local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end
local function float32_diagnostic()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if code_of(d) == 'float32-weights' then return d end
  end
end
local function find_line(pattern)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local col = l:find(pattern, 1, true)
    if col then return i - 1, col - 1 end
  end
end

local ok_run, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  vim.bo.filetype = 'sh'
  local client_id = vim.lsp.start_client({
    name = 'lm-eval-lens',
    cmd = { node, server_js, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    settings = { lmEvalLens = {} },
  })
  assert(client_id, 'the server did not start')
  vim.lsp.buf_attach_client(0, client_id)
  local uri = vim.uri_from_bufnr(0)

  -- 1. diagnostic
  local d
  vim.wait(timeout_ms, function() d = float32_diagnostic(); return d ~= nil end, 50)
  if not check('diagnostic float32-weights', d ~= nil, d and d.message or 'none within the timeout') then return end
  out.diagnostic = { line = d.lnum + 1, col = d.col + 1, message = d.message, source = d.source }

  -- 2. hover on the model_args' pretrained= pair
  local line, col = find_line('pretrained=')
  local hover = ''
  for _, r in pairs(vim.lsp.buf_request_sync(0, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = line, character = col + 2 } }, timeout_ms) or {}) do
    if r.result and r.result.contents then hover = hover .. (r.result.contents.value or '') end
  end
  check('hover shows Weights / GiB / A100-80GB', hover:find('Weights', 1, true) and hover:find('GiB', 1, true) and hover:find('A100-80GB', 1, true), hover:sub(1, 200))

  -- 3. the preferred code action, applied
  local lsp_diags = vim.lsp.diagnostic.get_line_diagnostics(0, d.lnum)
  local range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } }
  local preferred
  local titles = {}
  for _, r in pairs(vim.lsp.buf_request_sync(0, 'textDocument/codeAction', { textDocument = { uri = uri }, range = range, context = { diagnostics = lsp_diags } }, timeout_ms) or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(titles, a.title)
      if a.isPreferred and not preferred then preferred = a end
    end
  end
  out.code_actions = titles
  if not check('preferred code action is "Set dtype=auto"', preferred and preferred.title == 'Set dtype=auto' and preferred.edit, table.concat(titles, ' | ')) then return end
  vim.lsp.util.apply_workspace_edit(preferred.edit, 'utf-16')
  local fixed_line = vim.api.nvim_buf_get_lines(0, line, line + 1, false)[1]
  out.line_after_fix = fixed_line
  check('the edit sets dtype=auto', fixed_line:find('dtype=auto,', 1, true) ~= nil, fixed_line)
  local gone = vim.wait(timeout_ms, function() return float32_diagnostic() == nil end, 50)
  check('the float32-weights diagnostic goes away', gone, gone and 'republished without it' or 'still there')
end)
if not ok_run then check('no Lua error', false, tostring(err)) end
finish()
