-- Open every file name dockerfile-lsp is meant for as filetype `dockerfile`:
-- Dockerfile, Containerfile, Dockerfile.*, Containerfile.*, *.Dockerfile, *.dockerfile.
-- Neovim's own rules let an extension win over Dockerfile.* (Dockerfile.go opens as Go) and,
-- before 0.9, do not know *.dockerfile; these rules fix both. BuildKit's per-Dockerfile
-- ignore files (Dockerfile.dockerignore) are ignore files, not Dockerfiles.

local function is_ignore_file(name)
  return name:match('%.dockerignore$') ~= nil or name:match('%.containerignore$') ~= nil
end

if vim.filetype ~= nil and vim.filetype.add ~= nil and vim.fn.has('nvim-0.8') == 1 then
  local function dockerfile_dot_star(path)
    local name = path:match('[^/\\]*$')
    if is_ignore_file(name) then
      return 'gitignore' -- what Neovim uses for .dockerignore
    end
    return 'dockerfile'
  end
  vim.filetype.add({
    filename = {
      Dockerfile = 'dockerfile',
      dockerfile = 'dockerfile',
      Containerfile = 'dockerfile',
      containerfile = 'dockerfile',
    },
    extension = {
      Dockerfile = 'dockerfile',
      dockerfile = 'dockerfile',
      Containerfile = 'dockerfile',
      containerfile = 'dockerfile',
    },
    pattern = {
      -- With a '/', the pattern is matched against the full path in every Neovim version.
      -- Priority 10: before extension rules, so Dockerfile.go is a Dockerfile.
      ['.*/[Dd]ockerfile%.[^/]*'] = { dockerfile_dot_star, { priority = 10 } },
      ['.*/[Cc]ontainerfile%.[^/]*'] = { dockerfile_dot_star, { priority = 10 } },
    },
  })
else
  -- Neovim 0.7 (filetype.vim): plain autocommands.
  -- filetype.vim's own `Dockerfile.*` rule (StarSetf) runs before these autocommands, so it
  -- would make Dockerfile.dockerignore a Dockerfile (and start the server) first. StarSetf
  -- skips names that match g:ft_ignore_pat; such a file then gets no filetype, as
  -- .dockerignore does on 0.7 (tests/tests/client_neovim.rs checks it).
  local ignore_files = [[\(^\|[/\\]\)\([Dd]ocker\|[Cc]ontainer\)file\.\(.*\.\)\=\(docker\|container\)ignore$]]
  local pat = vim.g.ft_ignore_pat
  if type(pat) == 'string' and not pat:find(ignore_files, 1, true) then
    vim.g.ft_ignore_pat = pat .. [[\|]] .. ignore_files
  end
  vim.cmd([[
    augroup dockerfile_lsp_ftdetect
      autocmd!
      autocmd BufNewFile,BufRead Dockerfile,dockerfile,Containerfile,containerfile,*.Dockerfile,*.dockerfile,*.Containerfile,*.containerfile setfiletype dockerfile
      autocmd BufNewFile,BufRead Dockerfile.*,dockerfile.*,Containerfile.*,containerfile.* if expand('<afile>:t') !~# '\.\(docker\|container\)ignore$' | set filetype=dockerfile | endif
    augroup END
  ]])
end
