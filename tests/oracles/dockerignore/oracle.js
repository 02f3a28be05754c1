#!/usr/bin/env node
// Differential-test oracle for dockerfile-lsp's .dockerignore matcher.
//
// stdin:  {"patterns": [...lines...], "paths": [...]}            -> stdout: [bool, ...]
//     or  [{"patterns": [...], "paths": [...]}, ...]  (a batch)  -> stdout: [[bool, ...], ...]
// Each bool is "excluded" as @balena/dockerignore decides it, with Docker's case-sensitive
// matching (`ignorecase: false`). Patterns are raw .dockerignore lines (comments, spaces and
// `!` are processed by the library, as Docker's ignorefile.ReadAll does).
'use strict';

const ignore = require('@balena/dockerignore');

function decide(c) {
  const ig = ignore({ ignorecase: false }).add(c.patterns);
  return c.paths.map((p) => ig.ignores(p));
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const req = JSON.parse(input);
  const out = Array.isArray(req) ? req.map(decide) : decide(req);
  process.stdout.write(JSON.stringify(out));
});
