// Texts that the simulator keeps for the whole process, made strings of their own. Variable slots
// (variables.ts), action plans with their option layouts and option numbers (plan.ts), the objects
// whose content steps need: these live as long as the process — the debug adapter, a language
// server that simulates — and are filled from the files it reads. V8 makes a slice of 13
// characters or more a view on the text it was cut from (a "sliced string"), and cutting from a
// slice views the same text, so a name or ID kept as it was read from a scalar keeps the whole file
// for as long as the process lives: megabytes for a large sequence, one more for every file read.
// A copy keeps only itself. Such texts are new rarely (each distinct name or ID once per process),
// so copying them costs nothing a run can see (docs/performance.md, "A first visit in place,
// seventh pass"). What a compile reuses from one step or frame to the next (program.ts's scratch
// lists, the last template and upper case) is let go when the frame's compile ends instead.
// test/simulator/closed-file-text.test.ts and name-table.test.ts pin both with heap snapshots.

/** Shortest slice V8 makes a view on its text (V8's SlicedString::kMinLength); shorter ones are copies already. */
const SHORTEST_VIEW = 13;

/** One object per call: its only key is the text `ownText` hands back in V8's table of keys. */
type KeyHolder = Record<string, 0>;

/**
 * `text.slice(from, to)` (the whole text by default) as a string of its own. Made the key of an
 * object, a text is entered in V8's table of property keys, which holds flat copies ("internalized"
 * strings) and hands back the one it holds when the text is already there: for a name the engine
 * also spells in its code (`_SMSTSCurrentActionName`, a catalog's variable), the very string the
 * code uses. A slice joined to one character and cut again (the first form of this copy) was a view
 * on a copy, compared through one more indirection by every lookup that met it: `optionNumber`'s
 * map (plan.ts), looked up by the engine's own spellings on every step, took about twice its CPU
 * with such keys (docs/performance.md, "A first visit in place, seventh pass"). No text of 13
 * characters or more is an array index, so the key stays a string.
 */
export function ownText(text: string, from = 0, to = text.length): string {
  if (to - from < SHORTEST_VIEW) return text.slice(from, to);
  const holder: KeyHolder = {};
  holder[text.slice(from, to)] = 0;
  for (const key in holder) return key;
  return text.slice(from, to);
}
