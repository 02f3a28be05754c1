// Lists the build stages of a Dockerfile for "Build Stage…". Deliberately small: it follows
// BuildKit's line structure (escape directive, continuations, comment lines inside them,
// heredoc bodies) far enough to find `FROM image AS name`, and no further. The server has
// the real parser; this lets the command work even when the server is not running.

export interface Stage {
  /** 0-based position among all FROM instructions. */
  index: number;
  /** Stage name from `AS name`, as written; undefined for an unnamed stage. */
  name?: string;
  /** The base image (or stage) reference, as written. */
  image: string;
  /** 0-based line of the FROM keyword. */
  line: number;
}

const DIRECTIVE = /^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(.*?)\s*$/;
// BuildKit's heredoc syntax: <<EOF, <<-EOF, <<"EOF", <<'EOF' (only on RUN, COPY and ADD).
const HEREDOC = /<<(-?)(["']?)([A-Za-z0-9_.-]+)\2/g;
const HEREDOC_INSTRUCTIONS = new Set(['run', 'copy', 'add']);

export function parseStages(text: string): Stage[] {
  const lines = text.split(/\r\n|\r|\n/);
  const escape = escapeChar(lines);
  const stages: Stage[] = [];

  let i = 0;
  while (i < lines.length) {
    const first = lines[i];
    const trimmed = first.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }

    // Join the logical line. Inside a continuation BuildKit drops comment lines and blank
    // lines, so `FROM x \` / `# note` / `AS y` is still one instruction.
    const startLine = i;
    let logical = '';
    let current = first;
    for (;;) {
      const body = stripContinuation(current, escape);
      if (body === undefined) {
        logical += current;
        i++;
        break;
      }
      logical += body + ' ';
      i++;
      while (i < lines.length && (lines[i].trim() === '' || lines[i].trimStart().startsWith('#'))) i++;
      if (i >= lines.length) break;
      current = lines[i];
    }

    const words = logical.trim().split(/\s+/);
    const keyword = words[0].toLowerCase();
    if (keyword === 'from') {
      const stage = fromStage(words.slice(1), stages.length, startLine);
      if (stage !== undefined) stages.push(stage);
    } else if (HEREDOC_INSTRUCTIONS.has(keyword)) {
      i = skipHeredocBodies(logical, lines, i);
    }
  }
  return stages;
}

/** The named stages only: what `docker build --target` accepts. */
export function stageNames(text: string): string[] {
  return parseStages(text).flatMap((s) => (s.name === undefined ? [] : [s.name]));
}

function fromStage(args: string[], index: number, line: number): Stage | undefined {
  // Flags (`--platform=$BUILDPLATFORM`) come before the image.
  let k = 0;
  while (k < args.length && args[k].startsWith('--')) k++;
  const image = args[k];
  if (image === undefined || image === '') return undefined;
  const stage: Stage = { index, image, line };
  if (args[k + 1]?.toLowerCase() === 'as' && args[k + 2] !== undefined) stage.name = args[k + 2];
  return stage;
}

/** The `# escape=` parser directive; directives are only read before anything else. */
function escapeChar(lines: string[]): string {
  let escape = '\\';
  for (const line of lines) {
    const m = DIRECTIVE.exec(line.trim());
    if (m === null) break;
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  return escape;
}

/** The line without its trailing escape char, or undefined if it does not continue. */
function stripContinuation(line: string, escape: string): string | undefined {
  const end = line.trimEnd();
  return end.endsWith(escape) ? end.slice(0, -escape.length) : undefined;
}

/** Skips the bodies of the heredocs opened on `logical`; returns the next line to read. */
function skipHeredocBodies(logical: string, lines: string[], next: number): number {
  let i = next;
  for (const m of logical.matchAll(HEREDOC)) {
    const stripTabs = m[1] === '-';
    const delimiter = m[3];
    while (i < lines.length) {
      const line = stripTabs ? lines[i].replace(/^\t+/, '') : lines[i];
      i++;
      if (line === delimiter) break;
    }
  }
  return i;
}
