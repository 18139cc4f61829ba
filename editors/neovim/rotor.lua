-- rotor for Neovim's built-in LSP client (Neovim 0.7 or later): `.rotor` files get
-- rotor's diagnostics, quick fixes, completion, hover, signature help, go to definition,
-- formatting and (Neovim 0.9 or later) semantic highlighting from `rotor lsp`.
--
-- Install: copy this file to ~/.config/nvim/plugin/rotor.lua (or `dofile` it from your
-- init.lua). `rotor` must be on your PATH, or set `vim.g.rotor_cmd` to its full path
-- before this file runs. docs/EDITORS.md has the details.

vim.filetype.add({ extension = { rotor = 'rotor' } })
-- Neovim 0.7 still detects file types with filetype.vim, which takes a file that starts
-- with `#` comments for a config file: say what `.rotor` is after it.
vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
  pattern = '*.rotor',
  callback = function(args)
    vim.bo[args.buf].filetype = 'rotor'
  end,
})

-- `rotor lsp`, with `--allow-path DIR` for each folder in `vim.g.rotor_allow_paths`: a
-- strategy reads only its own folder otherwise (docs/SECURITY.md).
local function command()
  local cmd = { vim.g.rotor_cmd or 'rotor', 'lsp' }
  for _, dir in ipairs(vim.g.rotor_allow_paths or {}) do
    table.insert(cmd, '--allow-path')
    table.insert(cmd, dir)
  end
  return cmd
end

-- Neovim 0.7 has no vim.lsp.start: one client is started and attached to each buffer.
local client_id = nil

local function start(buffer)
  local config = {
    name = 'rotor',
    cmd = command(),
    root_dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buffer), ':p:h'),
  }
  if vim.lsp.start then
    vim.lsp.start(config, { bufnr = buffer })
    return
  end
  if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
    client_id = vim.lsp.start_client(config)
  end
  if client_id then
    vim.lsp.buf_attach_client(buffer, client_id)
  end
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'rotor',
  callback = function(args)
    start(args.buf)
    -- Comments start with `#`.
    vim.bo[args.buf].commentstring = '# %s'
  end,
})
