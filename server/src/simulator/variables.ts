// The task sequence variable environment of a simulated run: names matched ignoring case (the
// spelling first written is kept for display), every change journaled for stepping back, and
// `%Name%` expansion as the engine does it — a name that is not set stays as written.

import type { Journal } from './journal';

export interface SimVariable {
  name: string;
  value: string;
}

const WHITESPACE = /\s/;

export class VariableStore {
  /** By lower-case name; a variable's entry keeps the spelling first written and changes its value in place. */
  private readonly map = new Map<string, SimVariable>();

  constructor(private readonly journal: Journal) {}

  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.setKeyed(name.toLowerCase(), name, value);
  }

  /** `set` with the lower-case key computed beforehand (the hot path of every step). */
  setKeyed(key: string, name: string, value: string): void {
    const entry = this.map.get(key);
    if (entry === undefined) this.journal.mapSet(this.map, key, { name, value });
    else if (entry.value !== value) this.journal.set(entry, 'value', value);
  }

  delete(name: string): void {
    this.journal.mapDelete(this.map, name.toLowerCase());
  }

  get size(): number {
    return this.map.size;
  }

  /** Every variable, sorted by name ignoring case (a stable order for output and the debugger). */
  list(): SimVariable[] {
    return [...this.map.keys()].sort().map((k) => ({ ...this.map.get(k)! }));
  }

  /** Replaces each `%Name%` by the variable's value; names that are not set stay as written. */
  expand(text: string): string {
    let open = text.indexOf('%');
    if (open < 0) return text;
    let out = '';
    let from = 0;
    while (open >= 0) {
      const close = text.indexOf('%', open + 1);
      if (close < 0) break;
      const name = text.slice(open + 1, close);
      const value = name && !WHITESPACE.test(name) ? this.map.get(name.toLowerCase())?.value : undefined;
      if (value === undefined) {
        // Not a variable (or not set): the first % stays as written and may open the next reference.
        out += text.slice(from, close);
        from = close;
        open = close;
        continue;
      }
      out += text.slice(from, open) + value;
      from = close + 1;
      open = text.indexOf('%', from);
    }
    return out + text.slice(from);
  }
}
