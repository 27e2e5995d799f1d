// One string per distinct variable name, for the variable reads that analysis keeps.
//
// Why: a file names few variables many times. On the `long-conditions` bench shape (docs/performance.md)
// 10,000 conditions test about ten variables each, and every test held a name string of its own
// (a copy, or a slice that pins the whole file text): 100,000 strings kept in the condition facts and
// as many again in the reads made from them, for a few thousand distinct names. Interned, each
// name is one string the facts and the reads share.
//
// A name is stored as a fresh copy the first time it is seen, never as the slice it came as: a
// slice keeps the text it was cut from alive (a whole file, or an edit's text long replaced), and
// this table outlives documents. It is emptied when it reaches MAX_NAMES, so it cannot grow without
// bound over a long session; names read after that are interned again from there on.

/** How many distinct names the table holds before it starts again. */
const MAX_NAMES = 100_000;

let names = new Map<string, string>();

/** `name` itself or the equal string seen before it: equal names come back as the same string. */
export function internVariableName(name: string): string {
  const known = names.get(name);
  if (known !== undefined) return known;
  if (names.size >= MAX_NAMES) names = new Map();
  const own = ownCopy(name);
  names.set(own, own);
  return own;
}

/** A string equal to `name` that shares no storage with the text `name` may be a slice of. */
function ownCopy(name: string): string {
  // Joining builds the characters anew (V8 copies strings shorter than 13 characters when sliced
  // anyway, but keeps longer slices as views into their parent).
  return name.length < 13 ? name : name.split('').join('');
}
