// The task sequence variable environment of a simulated run: names matched ignoring case (the
// spelling first written is kept for display), every change journaled for stepping back, and
// `%Name%` expansion as the engine does it — a name that is not set stays as written.
//
// Every variable name gets a slot number, the same for the whole process (names are interned
// once, ignoring case). Step plans and compiled conditions resolve their names to slots when
// they are built, so a run reads and writes variables by array index instead of hashing names.

import type { Journal } from './journal';
import { NameTable } from './name-table';
import { ownText } from './own-text';

export interface SimVariable {
  name: string;
  value: string;
}

const WHITESPACE = /\s/;

/**
 * Slot by name, ASCII letters' case ignored (name-table.ts): every spelling met finds its slot in
 * one lookup, and a name made only of ASCII characters, as nearly all are, gets a new slot without
 * being lower-cased. A name with other characters is matched by its Unicode lower case through
 * `slotByUnicodeKey`, which holds the lower case of every such name: `toLowerCase` may make one of
 * those equal to an ASCII name (the Kelvin sign's is `k`), which the table alone would not see.
 */
const slotBySpelling = new NameTable();
const slotByUnicodeKey = new Map<string, number>();
/** The spelling each slot was made for (its order key, `keyOf`, is worked out only when a list is sorted). */
const nameBySlot: string[] = [];
const keyBySlot: (string | undefined)[] = [];

/** The slot of a variable name (ignoring case), made on first use. */
export function variableSlot(name: string): number {
  return variableSlotIn(name, 0, name.length);
}

/** `variableSlot(text.slice(from, to))`, without cutting the name out when it has a slot already. */
export function variableSlotIn(text: string, from: number, to: number): number {
  let slot = slotBySpelling.find(text, from, to);
  if (slot >= 0) return slot;
  // A copy, even of a whole text: the name may itself be a slice of a file's text (own-text.ts).
  const name = ownText(text, from, to);
  slot = unicodeSlot(name);
  if (slot < 0) {
    slot = nameBySlot.length;
    nameBySlot.push(name);
    keyBySlot.push(undefined);
    if (!isAscii(name)) slotByUnicodeKey.set(name.toLowerCase(), slot);
  }
  slotBySpelling.add(name, slot);
  return slot;
}

/** The slot of a name the table did not find, through the lower case of names outside ASCII; -1 when none. */
function unicodeSlot(name: string): number {
  if (isAscii(name)) return slotByUnicodeKey.size === 0 ? -1 : (slotByUnicodeKey.get(name.toLowerCase()) ?? -1);
  const key = name.toLowerCase();
  const slot = slotByUnicodeKey.get(key);
  if (slot !== undefined) return slot;
  return isAscii(key) ? slotBySpelling.find(key, 0, key.length) : -1;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** The lower case of the name of a slot: the order `VariableStore.list` sorts by. */
function keyOf(slot: number): string {
  return (keyBySlot[slot] ??= nameBySlot[slot].toLowerCase());
}

/** The slot of a name that has one; undefined for a name no run has ever written or planned. */
export function existingSlot(name: string): number | undefined {
  const slot = slotBySpelling.find(name, 0, name.length);
  if (slot >= 0) return slot;
  const other = unicodeSlot(name);
  return other >= 0 ? other : undefined;
}

/**
 * A text with `%Name%` references, taken apart once: where its `%` signs are and, for each `%`
 * that could open a reference, the slot of the name up to the next `%` (-1 when no name fits).
 * Most texts have two `%` signs (one reference); those keep them in fields, the others in arrays
 * (`marks`, `slots`): a large file keeps tens of thousands of templates, one object each.
 */
export class Template {
  /** Whether expanding can give an empty text: only when the text starts and ends with a `%`. */
  readonly canBeEmpty: boolean;
  /** With at most two `%`: where they are (-1 where there is none) and the slot of the name between them (-1: none). */
  readonly first: number;
  readonly second: number;
  readonly slot: number;
  /** With more than two `%`: every `%`, and per `%` but the last the slot of the name up to the next one. */
  readonly marks: number[] | undefined;
  readonly slots: number[] | undefined;

  constructor(readonly text: string) {
    this.canBeEmpty = text.startsWith('%') && text.endsWith('%');
    const first = text.indexOf('%');
    const second = first < 0 ? -1 : text.indexOf('%', first + 1);
    const third = second < 0 ? -1 : text.indexOf('%', second + 1);
    this.first = first;
    this.second = second;
    this.slot = second < 0 ? -1 : nameSlot(text, first + 1, second);
    if (third < 0) {
      this.marks = this.slots = undefined;
      return;
    }
    let count = 3;
    for (let at = text.indexOf('%', third + 1); at >= 0; at = text.indexOf('%', at + 1)) count++;
    const marks = (this.marks = new Array<number>(count));
    for (let at = first, k = 0; at >= 0; at = text.indexOf('%', at + 1)) marks[k++] = at;
    const slots = (this.slots = new Array<number>(count - 1));
    for (let k = 0; k + 1 < count; k++) slots[k] = nameSlot(text, marks[k] + 1, marks[k + 1]);
  }
}

/** The slot of the name `text.slice(from, to)` between two `%`; -1 when it is empty or holds whitespace (not a reference). */
function nameSlot(text: string, from: number, to: number): number {
  return from < to && !hasWhitespace(text, from, to) ? variableSlotIn(text, from, to) : -1;
}

/** Whether `text` holds whitespace (as `\s` reads it) between `from` and `to`. */
function hasWhitespace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
    if (c >= 0x80) return WHITESPACE.test(text.slice(from, to));
  }
  return false;
}

export class VariableStore {
  /** Value by slot; undefined: not set. */
  private readonly values: (string | undefined)[] = [];
  /** The spelling first written, by slot (meaningful while the variable is set). */
  private readonly names: (string | undefined)[] = [];

  constructor(private readonly journal: Journal) {
    this.reserve(nameBySlot.length);
  }

  /** Makes room for slots below `n`, so reads and writes stay on a dense array. */
  private reserve(n: number): void {
    const values = this.values,
      names = this.names;
    while (values.length < n) {
      values.push(undefined);
      names.push(undefined);
    }
  }

  get(name: string): string | undefined {
    const slot = existingSlot(name);
    return slot === undefined ? undefined : this.at(slot);
  }

  /** The value in a slot (the hot path of conditions and steps). */
  at(slot: number): string | undefined {
    return slot < this.values.length ? this.values[slot] : undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  set(name: string, value: string): void {
    this.setAt(variableSlot(name), name, value);
  }

  /** `set` with the slot worked out beforehand. */
  setAt(slot: number, name: string, value: string): void {
    if (slot >= this.values.length) this.reserve(slot + 1);
    const values = this.values;
    if (!this.journal.recording) {
      // Without history a write is just a store: comparing the texts would only cost time.
      if (values[slot] === undefined) this.names[slot] = name;
      values[slot] = value;
      return;
    }
    const current = values[slot];
    if (current === value) return;
    if (current === undefined) this.journal.set(this.names, slot, name);
    this.journal.set(values, slot, value);
  }

  delete(name: string): void {
    const slot = existingSlot(name);
    if (slot !== undefined) this.deleteAt(slot);
  }

  deleteAt(slot: number): void {
    if (this.at(slot) === undefined) return;
    if (this.journal.recording) this.journal.set(this.values, slot, undefined);
    else this.values[slot] = undefined;
  }

  get size(): number {
    let n = 0;
    for (const v of this.values) if (v !== undefined) n++;
    return n;
  }

  /** Every variable, sorted by name ignoring case (a stable order for output and the debugger). */
  list(): SimVariable[] {
    const slots: number[] = [];
    this.values.forEach((v, slot) => {
      if (v !== undefined) slots.push(slot);
    });
    slots.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
    return slots.map((slot) => ({ name: this.names[slot]!, value: this.values[slot]! }));
  }

  /** `expand(template.text)`, with the reading of the text done beforehand. */
  fill(template: Template): string {
    const text = template.text;
    const marks = template.marks,
      slots = template.slots;
    if (!marks || !slots) {
      const value = template.slot >= 0 ? this.at(template.slot) : undefined;
      return value === undefined ? text : text.slice(0, template.first) + value + text.slice(template.second + 1);
    }
    let out = '';
    let from = 0;
    let k = 0;
    while (k + 1 < marks.length) {
      const value = slots[k] >= 0 ? this.at(slots[k]) : undefined;
      if (value === undefined) {
        // As in `expand`: the `%` stays as written and the next one may open a reference.
        k++;
        continue;
      }
      out += text.slice(from, marks[k]) + value;
      from = marks[k + 1] + 1;
      k += 2;
    }
    return from === 0 ? text : out + text.slice(from);
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
      const value = name && !WHITESPACE.test(name) ? this.get(name) : undefined;
      if (value === undefined) {
        // Not a variable (or not set): the first % stays as written and may open the next reference.
        open = close;
        continue;
      }
      out += text.slice(from, open) + value;
      from = close + 1;
      open = text.indexOf('%', from);
    }
    return from === 0 ? text : out + text.slice(from);
  }
}
