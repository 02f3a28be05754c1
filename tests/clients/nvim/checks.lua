-- Drives Neovim's own LSP client (0.7 or 0.11+) against dockerfile-lsp, started by the
-- configuration under test (the README's init.lua, loaded with `-u`), and checks what the
-- editor ends up with: diagnostics (their severity shows the settings arrived) and their
-- removal after a fix, the code lenses it draws, the hover and signature help windows, where
-- go-to-definition jumps, the references and symbol lists, the completion items, the buffer
-- after a quick fix, a rename and formatting; on 0.11 also inlay hints, semantic tokens and
-- folds; and which file names get the server.
--
-- Run by tests/tests/client_neovim.rs as
--   nvim --headless --clean -u init.lua -c 'luafile checks.lua'
-- in a temp dir holding tests/clients/fixtures/Dockerfile and a .dockerignore (a root
-- marker). Each check appends "ok <name>" or "FAIL <name>: <why>" to $DOCKERFILE_LSP_RESULT
-- as it goes, so a run killed on timeout still shows how far it got. Exits with :cquit 1 on
-- the first failure. Every wait is vim.wait with a deadline, never a bare sleep.

local result_file = assert(vim.env.DOCKERFILE_LSP_RESULT, 'DOCKERFILE_LSP_RESULT is not set')
local TIMEOUT = 8000 -- ms; generous for a loaded CI machine, each wait normally takes < 100 ms

local function record(line)
  vim.fn.writefile({ line }, result_file, 'a')
end

local Failure = {}

local function fail(name, why)
  error(setmetatable({ name = name, why = why }, Failure), 0)
end

local function inspect(v)
  return (vim.inspect(v):gsub('\n%s*', ' '))
end

-- Runs one named check; `fn` returns a short detail for the log or raises via fail().
local function check(name, fn)
  local ok, err = pcall(fn)
  if ok then
    record('ok ' .. name .. (err and (': ' .. tostring(err)) or ''))
    return
  end
  if getmetatable(err) == Failure then
    error(err, 0)
  end
  fail(name, 'Lua error: ' .. tostring(err))
end

local function wait_for(name, what, cond)
  if not vim.wait(TIMEOUT, cond, 20) then
    fail(name, 'timed out waiting for ' .. what)
  end
end

local nvim011 = vim.fn.has('nvim-0.11') == 1

local function clients_of(buf)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = buf })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(buf)) -- 0.7: a map id -> client
end

local function our_client(buf)
  for _, c in ipairs(clients_of(buf)) do
    if c.name == 'dockerfile_lsp' then
      return c
    end
  end
end

local function lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

-- 0-based line and byte column of the `nth` (default 1) plain occurrence of `needle` on a
-- line that contains `context`.
local function find(buf, context, needle, nth)
  nth = nth or 1
  for i, l in ipairs(lines(buf)) do
    if l:find(context, 1, true) then
      local from = 1
      for k = 1, nth do
        local s = l:find(needle, from, true)
        if not s then
          break
        end
        if k == nth then
          return i - 1, s - 1
        end
        from = s + 1
      end
    end
  end
  error(('no %q on a line with %q'):format(needle, context))
end

local function diagnostic_code(d)
  -- 0.11 copies the LSP code to d.code; 0.7 keeps it only in user_data.
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function diagnostics_with(buf, code)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if diagnostic_code(d) == code then
      table.insert(found, d)
    end
  end
  return found
end

local function floating_windows()
  local wins = {}
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= '' then
      table.insert(wins, w)
    end
  end
  return wins
end

local function close_floats()
  for _, w in ipairs(floating_windows()) do
    vim.api.nvim_win_close(w, true)
  end
end

-- The text of the first floating window (hover, signature help) once one opens.
local function wait_float_text(name, what)
  local text
  wait_for(name, what, function()
    local wins = floating_windows()
    if #wins == 0 then
      return false
    end
    text = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(wins[1]), 0, -1, false), '\n')
    return true
  end)
  close_floats()
  return text
end

-- The virtual text the editor draws on each line (0-based), e.g. code lenses.
local function virtual_text(buf)
  local by_line = {}
  for _, ns in pairs(vim.api.nvim_get_namespaces()) do
    for _, m in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
      for _, chunk in ipairs(m[4].virt_text or {}) do
        by_line[m[2]] = (by_line[m[2]] or '') .. chunk[1]
      end
    end
  end
  return by_line
end

local function position_params(buf, line, col)
  return {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = col },
  }
end

local function main()
  local cwd = vim.fn.getcwd()
  -- 0.7 refuses to :edit away from a modified buffer (0.11 defaults to 'hidden').
  vim.o.hidden = true
  vim.cmd('edit Dockerfile')
  local buf = vim.api.nvim_get_current_buf()
  local win = vim.api.nvim_get_current_win()
  local client

  check('attach', function()
    if vim.bo[buf].filetype ~= 'dockerfile' then
      fail('attach', 'filetype is ' .. vim.bo[buf].filetype)
    end
    wait_for('attach', 'dockerfile_lsp to attach and initialize', function()
      client = our_client(buf)
      return client ~= nil and client.initialized
    end)
    -- The package's root_markers (or the 0.7 recipe's search): the .dockerignore here.
    local root = client.config.root_dir
    if vim.fn.resolve(root) ~= vim.fn.resolve(cwd) then
      fail('attach', ('root_dir %s, expected %s'):format(root, cwd))
    end
    return 'root ' .. root
  end)

  check('diagnostics', function()
    wait_for('diagnostics', 'UndefinedVar and StageNameCasing', function()
      return #diagnostics_with(buf, 'UndefinedVar') > 0 and #diagnostics_with(buf, 'StageNameCasing') > 0
    end)
    local undefined = diagnostics_with(buf, 'UndefinedVar')
    local d = undefined[1]
    local line = find(buf, '/usr/local/bin/$APP_NAME', 'COPY')
    if #undefined ~= 1 or d.lnum ~= line or not d.message:find("'$APP_NAME'", 1, true) then
      fail('diagnostics', 'UndefinedVar: ' .. inspect(undefined))
    end
    -- An undefined variable may come from the base image, so it is only a hint.
    if d.severity ~= vim.diagnostic.severity.HINT then
      fail('diagnostics', 'UndefinedVar severity ' .. tostring(d.severity))
    end
    -- Warning by default; the README's settings make it an error, so this proves that the
    -- configured settings reached the server.
    local casing = diagnostics_with(buf, 'StageNameCasing')[1]
    if casing.severity ~= vim.diagnostic.severity.ERROR then
      fail('diagnostics', 'StageNameCasing severity ' .. tostring(casing.severity) .. ' (settings not applied?)')
    end
    return ('%d diagnostics'):format(#vim.diagnostic.get(buf))
  end)

  check('code_lens', function()
    -- Requested by the README's configuration when the server attached (0.11: LspAttach
    -- snippet; 0.7: on_attach); nothing here asks for them.
    local instructions = 0
    for _, l in ipairs(lines(buf)) do
      if l:match('^%u') then
        instructions = instructions + 1
      end
    end
    local lenses
    wait_for('code_lens', ('%d resolved code lenses'):format(instructions), function()
      lenses = vim.lsp.codelens.get(buf)
      if #lenses ~= instructions then
        return false
      end
      for _, lens in ipairs(lenses) do
        if lens.command == nil then
          return false
        end
      end
      return true
    end)
    local from = find(buf, 'FROM golang:1.22 AS builder', 'FROM')
    local cmd = find(buf, 'CMD ["app"]', 'CMD')
    local titles = {}
    for _, lens in ipairs(lenses) do
      titles[lens.range.start.line] = lens.command.title
    end
    -- Editing the first FROM rebuilds every step of all three stages.
    if not (titles[from] or ''):find('^edit → 7 steps rebuild') then
      fail('code_lens', ('lens on the first FROM: %q'):format(tostring(titles[from])))
    end
    if titles[cmd] ~= 'no cache effect' then
      fail('code_lens', ('lens on CMD: %q'):format(tostring(titles[cmd])))
    end
    -- And the editor draws them.
    local drawn
    wait_for('code_lens', 'the lenses to be drawn', function()
      drawn = virtual_text(buf)
      return drawn[from] == titles[from] and drawn[cmd] == titles[cmd]
    end)
    return titles[from]
  end)

  check('hover', function()
    local line, col = find(buf, 'COPY --from=builder /out/app', 'builder')
    vim.api.nvim_win_set_cursor(0, { line + 1, col + 1 })
    vim.lsp.buf.hover()
    local text = wait_float_text('hover', 'the hover window')
    for _, word in ipairs({ 'stage', 'builder', 'golang:1.22', 'WorkingDir' }) do
      if not text:find(word, 1, true) then
        fail('hover', ('no %q in the hover window: %q'):format(word, text))
      end
    end
    return (text:gsub('\n.*', ''))
  end)

  check('signature_help', function()
    local line, col = find(buf, 'COPY go.mod', 'go.mod')
    vim.api.nvim_win_set_cursor(0, { line + 1, col })
    vim.lsp.buf.signature_help()
    local text = wait_float_text('signature_help', 'the signature help window')
    if not text:find('COPY [--from=<stage|image|context>]', 1, true) then
      fail('signature_help', ('unexpected signature help: %q'):format(text))
    end
    return (text:gsub('\n.*', ''))
  end)

  check('definition', function()
    local line, col = find(buf, 'COPY --from=builder /src/go.mod', 'builder')
    local target = find(buf, 'AS builder', 'FROM')
    vim.api.nvim_win_set_cursor(0, { line + 1, col + 2 })
    vim.lsp.buf.definition()
    wait_for('definition', 'the cursor to jump to the FROM line', function()
      return vim.api.nvim_win_get_cursor(0)[1] == target + 1
    end)
    local cursor = vim.api.nvim_win_get_cursor(0)
    if vim.api.nvim_get_current_buf() ~= buf then
      fail('definition', 'jumped to another buffer')
    end
    return ('jumped to %d:%d %q'):format(cursor[1], cursor[2], lines(buf)[cursor[1]])
  end)

  check('references', function()
    local line, col = find(buf, 'AS builder', 'builder')
    vim.fn.setqflist({}, 'r')
    vim.api.nvim_win_set_cursor(0, { line + 1, col })
    vim.lsp.buf.references()
    local items
    wait_for('references', 'the quickfix list', function()
      items = vim.fn.getqflist()
      return #items > 0
    end)
    vim.cmd('cclose')
    vim.api.nvim_set_current_win(win)
    local got = {}
    for _, item in ipairs(items) do
      table.insert(got, item.lnum)
    end
    table.sort(got)
    local want = {
      line + 1,
      find(buf, 'COPY --from=builder /out/app', 'COPY') + 1,
      find(buf, 'COPY --from=builder /src/go.mod', 'COPY') + 1,
    }
    if not vim.deep_equal(got, want) then
      fail('references', ('lines %s, expected %s'):format(inspect(got), inspect(want)))
    end
    return ('lines %s'):format(table.concat(got, ', '))
  end)

  check('document_symbols', function()
    -- 0.11 fills the location list, 0.7 the quickfix list.
    vim.fn.setloclist(win, {}, 'r')
    vim.fn.setqflist({}, 'r')
    vim.lsp.buf.document_symbol()
    local items
    wait_for('document_symbols', 'the location or quickfix list', function()
      items = vim.fn.getloclist(win)
      if #items == 0 then
        items = vim.fn.getqflist()
      end
      return #items > 0
    end)
    vim.cmd('lclose | cclose')
    vim.api.nvim_set_current_win(win)
    local text = {}
    for _, item in ipairs(items) do
      table.insert(text, item.text)
    end
    local joined = table.concat(text, ' | ')
    -- Stage names are case-insensitive; the server names them as BuildKit does, lowercased.
    for _, stage in ipairs({ 'builder (golang:1.22)', 'runtime (alpine:3.20)', 'debug (runtime)' }) do
      if not joined:find(stage, 1, true) then
        fail('document_symbols', ('no %q in %q'):format(stage, joined))
      end
    end
    return ('%d symbols'):format(#items)
  end)

  check('completion', function()
    -- Type a new COPY --from= in the `runtime` stage: only earlier stages are offered.
    local after = find(buf, 'COPY --from=builder /out/app', 'COPY')
    vim.api.nvim_buf_set_lines(buf, after + 1, after + 1, false, { 'COPY --from=' })
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/completion', position_params(buf, after + 1, 12), TIMEOUT)
    vim.api.nvim_buf_set_lines(buf, after + 1, after + 2, false, {})
    local labels = {}
    for _, r in pairs(responses or {}) do
      if r.err then
        fail('completion', inspect(r.err))
      end
      local items = r.result and (r.result.items or r.result) or {}
      for _, item in ipairs(items) do
        labels[item.label] = true
      end
    end
    if not labels.builder then
      fail('completion', 'builder not offered: ' .. inspect(vim.tbl_keys(labels)))
    end
    for _, later in ipairs({ 'runtime', 'Debug' }) do
      if labels[later] then
        fail('completion', later .. ' (not an earlier stage) offered: ' .. inspect(vim.tbl_keys(labels)))
      end
    end
    local all = vim.tbl_keys(labels)
    table.sort(all)
    return table.concat(all, ', ')
  end)

  check('diagnostics_clear', function()
    local line = find(buf, '/usr/local/bin/$APP_NAME', 'COPY')
    vim.api.nvim_buf_set_lines(buf, line, line, false, { 'ARG APP_NAME=app' })
    wait_for('diagnostics_clear', 'UndefinedVar to go away after the fix', function()
      return #diagnostics_with(buf, 'UndefinedVar') == 0
    end)
    -- Still analysed, not merely wiped: the other problem is still reported.
    if #diagnostics_with(buf, 'StageNameCasing') ~= 1 then
      fail('diagnostics_clear', 'StageNameCasing gone too: ' .. inspect(vim.diagnostic.get(buf)))
    end
  end)

  if nvim011 then
    check('inlay_hints', function()
      -- The ARG added just now (unsaved) changes what the later steps see: those rebuild.
      if not vim.lsp.inlay_hint.is_enabled({ bufnr = buf }) then
        fail('inlay_hints', 'not enabled (the README LspAttach snippet enables them)')
      end
      local copy = find(buf, '/usr/local/bin/$APP_NAME', 'COPY')
      local run = find(buf, 'RUN apk add', 'RUN')
      local labels
      wait_for('inlay_hints', 'rebuild hints on the COPY and RUN after the new ARG', function()
        labels = {}
        for _, h in ipairs(vim.lsp.inlay_hint.get({ bufnr = buf })) do
          local label = h.inlay_hint.label
          if type(label) == 'table' then
            label = table.concat(vim.tbl_map(function(part)
              return part.value
            end, label))
          end
          labels[h.inlay_hint.position.line] = label
        end
        return labels[copy] ~= nil and labels[run] ~= nil
      end)
      for _, line in ipairs({ copy, run }) do
        if not labels[line]:find('rebuilds', 1, true) then
          fail('inlay_hints', ('hint on line %d: %q'):format(line + 1, labels[line]))
        end
      end
      if labels[find(buf, 'FROM golang', 'FROM')] ~= nil then
        fail('inlay_hints', 'a hint on the unchanged first stage: ' .. inspect(labels))
      end
      return labels[copy]
    end)
  end

  check('quick_fix', function()
    -- What a user does: code action on the diagnostic's line, pick the fix from the menu.
    local line, col = find(buf, 'AS Debug', 'Debug')
    vim.api.nvim_win_set_cursor(0, { line + 1, col })
    local offered = {}
    local select = vim.ui.select
    vim.ui.select = function(items, opts, on_choice)
      vim.ui.select = select
      local chosen
      for i, item in ipairs(items) do
        local title = opts.format_item and opts.format_item(item) or tostring(item)
        table.insert(offered, title)
        if chosen == nil and title:find('Rename the stage to debug', 1, true) then
          chosen = i
        end
      end
      on_choice(chosen and items[chosen], chosen)
    end
    vim.lsp.buf.code_action()
    wait_for('quick_fix', 'the stage to be renamed to debug', function()
      return lines(buf)[line + 1] == 'FROM runtime AS debug'
    end)
    vim.ui.select = select
    wait_for('quick_fix', 'StageNameCasing to go away', function()
      return #diagnostics_with(buf, 'StageNameCasing') == 0
    end)
    return table.concat(offered, ' | ')
  end)

  check('rename', function()
    local line, col = find(buf, 'AS builder', 'builder')
    vim.api.nvim_win_set_cursor(0, { line + 1, col })
    vim.lsp.buf.rename('compile')
    wait_for('rename', 'the buffer to change', function()
      return not table.concat(lines(buf), '\n'):find('builder', 1, true)
    end)
    local text = table.concat(lines(buf), '\n')
    local _, stages = text:gsub('AS compile\n', '')
    local _, refs = text:gsub('COPY %-%-from=compile ', '')
    if stages ~= 1 or refs ~= 2 then
      fail('rename', 'buffer after rename:\n' .. text)
    end
    return '1 stage and 2 references renamed'
  end)

  check('formatting', function()
    local line = find(buf, 'WORKDIR /src', 'WORKDIR')
    vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { 'workdir /src' })
    if vim.lsp.buf.format then
      vim.lsp.buf.format({ async = false, timeout_ms = TIMEOUT })
    else
      vim.lsp.buf.formatting_sync(nil, TIMEOUT) -- 0.7
    end
    if lines(buf)[line + 1] ~= 'WORKDIR /src' then
      fail('formatting', ('line after formatting: %q'):format(lines(buf)[line + 1]))
    end
  end)

  if nvim011 then
    check('semantic_tokens', function()
      local line = find(buf, 'AS compile', 'FROM')
      local tokens
      wait_for('semantic_tokens', 'a semantic token on FROM', function()
        tokens = vim.lsp.semantic_tokens.get_at_pos(buf, line, 1) or {}
        return #tokens > 0
      end)
      return tokens[1].type
    end)

    check('folding', function()
      vim.wo.foldmethod = 'expr'
      vim.wo.foldexpr = 'v:lua.vim.lsp.foldexpr()'
      local first = find(buf, 'AS compile', 'FROM')
      local last = find(buf, 'RUN go build', 'RUN')
      wait_for('folding', 'a fold over the first stage', function()
        return vim.fn.foldlevel(first + 1) > 0 and vim.fn.foldlevel(last + 1) > 0
      end)
      vim.wo.foldmethod = 'manual'
    end)
  end

  -- File names: the package's ftdetect, then the same server for the same root.
  local names = {
    { 'Dockerfile.production', 'dockerfile' },
    { 'Containerfile', 'dockerfile' },
    { 'api.dockerfile', 'dockerfile' }, -- unknown to 0.7's own rules
    { 'Dockerfile.go', 'dockerfile' }, -- an extension that Neovim alone would win
    -- BuildKit's per-Dockerfile ignore file: what .dockerignore gets (0.7 has no gitignore).
    { 'Dockerfile.dockerignore', nvim011 and 'gitignore' or '' },
  }
  for _, case in ipairs(names) do
    local name, ft = case[1], case[2]
    check('file ' .. name, function()
      vim.fn.writefile({ 'FROM alpine:3.20', 'RUN true' }, name)
      vim.cmd('edit ' .. name)
      local b = vim.api.nvim_get_current_buf()
      if vim.bo[b].filetype ~= ft then
        fail('file ' .. name, ('filetype %q, expected %q'):format(vim.bo[b].filetype, ft))
      end
      if ft ~= 'dockerfile' then
        -- Give a wrongly attached client the time to show up.
        vim.wait(200, function()
          return our_client(b) ~= nil
        end, 20)
        if our_client(b) ~= nil then
          fail('file ' .. name, 'dockerfile_lsp attached to a non-Dockerfile')
        end
        return 'filetype ' .. ft .. ', no server'
      end
      wait_for('file ' .. name, 'dockerfile_lsp to attach', function()
        return our_client(b) ~= nil
      end)
      if our_client(b).id ~= client.id then
        fail('file ' .. name, 'a second server started for the same root')
      end
      return 'filetype ' .. ft .. ', same server'
    end)
  end
end

-- Last: the server wrote no error or panic to stderr, which Neovim logs to lsp.log.
local function server_stderr()
  check('server_stderr', function()
    local path = vim.lsp.get_log_path()
    local bad = {}
    if vim.fn.filereadable(path) == 1 then
      for _, l in ipairs(vim.fn.readfile(path)) do
        if l:find('"stderr"', 1, true) and (l:find('ERROR', 1, true) or l:find('panicked', 1, true)) then
          table.insert(bad, l)
        end
      end
    end
    if #bad > 0 then
      fail('server_stderr', table.concat(bad, '\n'))
    end
  end)
end

local ok, err = pcall(function()
  main()
  server_stderr()
end)
if ok then
  record('DONE')
  vim.cmd('qall!')
else
  if getmetatable(err) == Failure then
    record(('FAIL %s: %s'):format(err.name, err.why))
  else
    record('FAIL script: ' .. tostring(err))
  end
  vim.cmd('cquit 1')
end
