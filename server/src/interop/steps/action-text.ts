// Compares command lines the way the process that runs them reads them: leading and trailing
// blanks do not count, and a run of blanks between arguments is one separator — except inside
// double quotes, where every character is part of the argument.

export function normaliseCommandLine(s: string): string {
  let out = '';
  let quoted = false;
  let pendingSpace = false;
  for (const ch of s.trim()) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && /\s/.test(ch)) {
      pendingSpace = true;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += ch;
  }
  return out;
}

export function sameCommandLine(a: string, b: string): boolean {
  return a === b || normaliseCommandLine(a) === normaliseCommandLine(b);
}
