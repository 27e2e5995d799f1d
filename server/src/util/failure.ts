// A failure in one line for a log: the error and the place it was thrown, without the rest of
// the stack (a log line per failure, whatever a client sent).

export function failureLine(e: unknown): string {
  if (!(e instanceof Error)) return String(e).replace(/\s+/g, ' ').slice(0, 300);
  const frame = /\n\s+at (.+)/.exec(e.stack ?? '')?.[1];
  // `fn (/long/path/to/server.js:31440:12)` → `fn (server.js:31440:12)`
  const place = frame?.replace(/\((?:[^()]*[\\/])?([^\\/()]+)\)$/, '($1)').replace(/^(?:[^ ]*[\\/])([^\\/]+)$/, '$1');
  return `${e.name}: ${e.message.replace(/\s+/g, ' ').slice(0, 300)}${place ? ` (at ${place})` : ''}`;
}
