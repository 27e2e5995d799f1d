// Glob patterns (`*`, `**`, `?`, `[a-z]`, `[!a-z]`) matched in time linear in the length of the
// name, whatever the pattern: the pattern is compiled into a list of tokens and matched as a
// nondeterministic automaton whose set of live states is a bit set, advanced one character at a
// time (no backtracking, so `*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c` against a long name is instant).
// The work is at most (name length) × (pattern length / 32) word operations. A regular expression
// built from a glob is not used because V8's regular expressions backtrack: picomatch and
// minimatch take over half a second on that pattern against 30 letters, and double with each few
// letters more (measured in docs/reading-files.md).
//
// `*` matches any run of characters except `/`; `**` any run including `/`, and `**/` also
// matches nothing (so `**/build` matches `build` too); `?` one character except `/`; `[...]` one
// character of a set (`[!...]` or `[^...]` one not in it; never `/`). Matching ignores case.

type Token =
  | { kind: 'char'; code: number }
  | { kind: 'any' }
  | { kind: 'class'; negated: boolean; ranges: number[] }
  | { kind: 'star' }
  | { kind: 'globstar' }
  /** Before `**` + `/`: either into the `**`, or past the `/` too (the pair matching nothing). */
  | { kind: 'entry' };

const SLASH = 0x2f;

export class Glob {
  private readonly tokens: Token[] = [];
  /** Bit j: state j passes to j + 1 on nothing (token j is `*`, `**` or an entry). */
  private readonly skipOne: Uint32Array;
  /** Bit j: state j passes to j + 3 on nothing (an entry: past `**` and `/`). */
  private readonly skipThree: Uint32Array;
  /** Bit j: token j is `**` (state j stays on any character, `/` included). */
  private readonly loopAny: Uint32Array;
  /** Bit j: token j is `*` (state j stays on any character but `/`). */
  private readonly loopInName: Uint32Array;
  /** Bit j: token j is `?` (one character but `/`). */
  private readonly anyOne: Uint32Array;
  /** Per character code: bit j when token j is that literal character. */
  private readonly literals = new Map<number, Uint32Array>();
  private readonly classes: number[] = [];
  private readonly words: number;

  constructor(readonly pattern: string) {
    this.compile(pattern.toLowerCase());
    this.words = Math.ceil((this.tokens.length + 1) / 32);
    const mask = () => new Uint32Array(this.words);
    this.skipOne = mask();
    this.skipThree = mask();
    this.loopAny = mask();
    this.loopInName = mask();
    this.anyOne = mask();
    this.tokens.forEach((t, j) => {
      if (t.kind === 'star') {
        set(this.loopInName, j);
        set(this.skipOne, j);
      } else if (t.kind === 'globstar') {
        set(this.loopAny, j);
        set(this.skipOne, j);
      } else if (t.kind === 'entry') {
        set(this.skipOne, j);
        set(this.skipThree, j);
      } else if (t.kind === 'any') set(this.anyOne, j);
      else if (t.kind === 'class') this.classes.push(j);
      else {
        let m = this.literals.get(t.code);
        if (!m) this.literals.set(t.code, (m = mask()));
        set(m, j);
      }
    });
  }

  private compile(p: string): void {
    for (let i = 0; i < p.length;) {
      const c = p[i];
      if (c === '*') {
        let n = 0;
        for (; p[i] === '*'; i++) n++;
        if (n === 1) this.tokens.push({ kind: 'star' });
        else if (p[i] !== '/') this.tokens.push({ kind: 'globstar' });
        else {
          i++;
          // `**/` twice in a row means the same as once.
          const t = this.tokens;
          const repeated = t.length >= 3 && t[t.length - 3].kind === 'entry';
          if (!repeated) t.push({ kind: 'entry' }, { kind: 'globstar' }, { kind: 'char', code: SLASH });
        }
        continue;
      }
      if (c === '?') {
        this.tokens.push({ kind: 'any' });
        i++;
        continue;
      }
      if (c === '[') {
        const cls = readClass(p, i);
        if (cls) {
          this.tokens.push(cls.token);
          i = cls.next;
          continue;
        }
      }
      const code = p.codePointAt(i)!;
      this.tokens.push({ kind: 'char', code });
      i += code > 0xffff ? 2 : 1;
    }
  }

  /** Whether the whole of `name` matches the pattern (case ignored). */
  matches(name: string): boolean {
    const s = name.toLowerCase();
    const w = this.words;
    let live = new Uint32Array(w);
    let next = new Uint32Array(w);
    const single = new Uint32Array(w);
    live[0] = 1;
    this.close(live);
    for (let i = 0; i < s.length;) {
      const code = s.codePointAt(i)!;
      i += code > 0xffff ? 2 : 1;
      this.singleMask(code, single);
      const lit = this.literals.get(code);
      // next = ((live & moves) << 1) | (live & stays)
      let carry = 0;
      let any = 0;
      for (let k = 0; k < w; k++) {
        const moving = live[k] & (single[k] | (lit ? lit[k] : 0));
        const staying = live[k] & (code === SLASH ? this.loopAny[k] : this.loopAny[k] | this.loopInName[k]);
        next[k] = ((moving << 1) | carry | staying) >>> 0;
        carry = moving >>> 31;
        any |= next[k];
      }
      if (!any) return false;
      this.close(next);
      [live, next] = [next, live];
    }
    const end = this.tokens.length;
    return (live[end >>> 5] & (1 << (end & 31))) !== 0;
  }

  /** States reached from live ones on no character: past a star, into or past a `**` + `/`. */
  private close(live: Uint32Array): void {
    for (let changed = true; changed;) {
      changed = false;
      let carry1 = 0;
      let carry3 = 0;
      for (let k = 0; k < this.words; k++) {
        const a = live[k] & this.skipOne[k];
        const b = live[k] & this.skipThree[k];
        const add = ((a << 1) | carry1 | (b << 3) | carry3) >>> 0;
        carry1 = a >>> 31;
        carry3 = b >>> 29;
        const merged = (live[k] | add) >>> 0;
        if (merged !== live[k]) {
          live[k] = merged;
          changed = true;
        }
      }
    }
  }

  /** Tokens that consume `code` and move on: `?` and the sets that hold it. */
  private singleMask(code: number, out: Uint32Array): void {
    for (let k = 0; k < this.words; k++) out[k] = code === SLASH ? 0 : this.anyOne[k];
    if (code === SLASH) return;
    for (const j of this.classes) {
      const t = this.tokens[j] as Extract<Token, { kind: 'class' }>;
      let inside = false;
      for (let r = 0; r < t.ranges.length; r += 2) if (code >= t.ranges[r] && code <= t.ranges[r + 1]) inside = true;
      if (inside !== t.negated) set(out, j);
    }
  }
}

function set(mask: Uint32Array, bit: number): void {
  mask[bit >>> 5] |= 1 << (bit & 31);
}

/** The set starting at `p[i] === '['`, or undefined when it is not closed (then `[` is a character). */
function readClass(p: string, i: number): { token: Token; next: number } | undefined {
  let j = i + 1;
  const negated = p[j] === '!' || p[j] === '^';
  if (negated) j++;
  const ranges: number[] = [];
  let first = true;
  while (j < p.length && (p[j] !== ']' || first)) {
    first = false;
    const lo = p.codePointAt(j)!;
    j += lo > 0xffff ? 2 : 1;
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      const hi = p.codePointAt(j + 1)!;
      j += hi > 0xffff ? 3 : 2;
      ranges.push(Math.min(lo, hi), Math.max(lo, hi));
    } else ranges.push(lo, lo);
  }
  if (j >= p.length) return undefined;
  return { token: { kind: 'class', negated, ranges }, next: j + 1 };
}
