-- dockerfile-lsp for Neovim's built-in client.
--
-- Neovim >= 0.11: with editors/neovim on 'runtimepath', `vim.lsp.enable('dockerfile_lsp')`.
-- Change settings with vim.lsp.config('dockerfile_lsp', { settings = { dockerfile = { ... } } }).
-- Neovim 0.8-0.10 can pass this same table to vim.lsp.start() (see README.md).

-- The server's settings (section `dockerfile`) with their defaults. vim.empty_dict() makes
-- the empty maps go out as JSON objects (`{}`), not arrays.
local defaults = {
  rules = vim.empty_dict(), -- { StageNameCasing = 'error', UnpinnedBaseImage = 'off', ... }
  buildArgs = vim.empty_dict(), -- { NODE_VERSION = '20' }, as `docker build --build-arg`
  target = '', -- target stage; '' = the last stage
  context = '', -- build context, relative to the root directory; '' = the Dockerfile's directory
  cache = {
    baseline = 'disk', -- 'disk' (last saved version) or 'git' (HEAD)
    inlayHints = true,
    codeLens = true,
  },
  formatting = {
    -- Re-indenting RUN continuations changes the build cache key, hence off.
    reindentContinuations = false,
  },
}

return {
  cmd = { 'dockerfile-lsp' },
  filetypes = { 'dockerfile' },
  -- Tried in order: the repository root first (one server per repository, and `context` is
  -- relative to it), else the nearest directory with a .dockerignore. Without either the
  -- server still starts, for the single file.
  root_markers = { '.git', '.dockerignore' },
  -- Answers the server's workspace/configuration requests for section `dockerfile`, and is
  -- sent as workspace/didChangeConfiguration { settings = { dockerfile = ... } } after init.
  settings = { dockerfile = vim.deepcopy(defaults) },
  init_options = vim.deepcopy(defaults),
  -- Keep initializationOptions equal to settings.dockerfile, so that overriding `settings`
  -- alone (the documented way) also changes what the server sees at startup.
  before_init = function(params, config)
    local s = config.settings and config.settings.dockerfile
    if s ~= nil then
      params.initializationOptions = s
    end
  end,
}
