-- Drives goward's language server from Neovim's built-in LSP client (0.7+), headless.
-- Env: GOWARD_BIN, GOWARD_FILE (the Go file), GOWARD_OUT (JSON results).
local bin = os.getenv("GOWARD_BIN")
local file = os.getenv("GOWARD_FILE")
local out = os.getenv("GOWARD_OUT")
local result = { diagnostics = {}, actions = {}, text = "" }

local function finish()
  local f = io.open(out, "w")
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd("qa!")
end

vim.cmd("edit " .. vim.fn.fnameescape(file))
vim.bo.filetype = "go"
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = "goward",
  cmd = { "node", bin, "lsp", "--stdio" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
})
vim.lsp.buf_attach_client(bufnr, client_id)

local ok = vim.wait(15000, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 50)
if not ok then
  result.error = "no diagnostics"
  return finish()
end
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  table.insert(result.diagnostics, { line = d.lnum, code = d.code, source = d.source, message = d.message })
end

-- Ask for code actions on the require-db-context diagnostic and apply its fix.
local target
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  if d.code == "require-db-context" then target = d end
end
local params = {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = { start = { line = target.lnum, character = target.col }, ["end"] = { line = target.end_lnum, character = target.end_col } },
  context = {
    diagnostics = {
      {
        range = { start = { line = target.lnum, character = target.col }, ["end"] = { line = target.end_lnum, character = target.end_col } },
        message = target.message,
        source = target.source,
        code = target.code,
        -- Neovim 0.7 keeps the server's `data` here; the server copes without it too.
        data = target.user_data and target.user_data.lsp and target.user_data.lsp.data or nil,
      },
    },
  },
}
local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000) or {}
for _, resp in pairs(responses) do
  for _, action in ipairs(resp.result or {}) do
    table.insert(result.actions, action.title)
    if action.title == "Fix: require-db-context" then
      vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
    end
  end
end
result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n")
finish()
