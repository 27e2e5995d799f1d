// The flat tables a frame program keeps for its steps (program.ts), filled by `planStep` (plan.ts)
// through this file: the variables each step writes before it runs, and each step's options in
// text form. Everything that reads them is here, but for one loop: a run makes a step's writes in
// FrameProgram.writeVariables (program.ts), with the names of WriteField, because the same loop as
// a function of its own, called once per step, made later runs 15-25% slower (npm run bench). A list of steps keeps one table of each kind, every step a range of it, so a visit
// reads neighbouring entries instead of chasing objects spread over the heap.
//
// Write table: WriteField.SIZE entries per write — the variable's slot, its name and its value. The
// writes a step's defaults make (the options it leaves out) are a table of their own, shared by
// every step with the same layout of options and numbered by `shareWrites`: copying them into
// every step's range was a third of a large file's write table, made and kept per step. A value
// with a `%` to expand is a Template, and its slot is stored as ~slot (negative): a run learns
// which kind of value it has from the number beside it, without reading the value itself, which
// for a fixed text lies somewhere in the heap (each such read was a cache miss on large files).
//
// Option texts: TEXT_SIZE entries per option — its number (plan.ts's `optionNumber`) and its text
// (null: the option has no text form; a Template for a text with a `%`, the same one its write fills).

import { Scratch } from './scratch';
import { Template } from './variables';

/** What a step writes into a variable: a fixed text, or a text with `%Name%` to fill in when the step runs. */
export type WriteValue = string | Template;
/** An option's text as a step gives it; null when its value has no text form. */
export type TextForm = string | Template | null;

/** What the tables are filled with, while a list of steps is compiled. */
export type WriteEntry = number | string | Template;
export type TextEntry = number | TextForm;

/** Entries per write (SIZE), and where each part of one is (a const enum: bare numbers where it is read). */
export const enum WriteField {
  SLOT = 0,
  NAME = 1,
  VALUE = 2,
  SIZE = 3,
}
/** Entries per option text, and where each part of one is. */
const TEXT_SIZE = 2;
const TEXT_OPTION = 0,
  TEXT_FORM = 1;

/** Where a table has no such entry (no command line, an option not given). */
export const NONE = -1;

/** Writes, laid out as described above; a run reads them in FrameProgram.writeVariables, tools with `writeAt`. */
export type WriteTable = readonly WriteEntry[];
/** Option texts, laid out as described above; read them with `findText` and `textAt`. */
export type TextTable = readonly TextEntry[];

/** A text as a step writes it: taken apart once when it has a `%` to fill in. */
export function writeValue(text: string): WriteValue {
  return text.includes('%') ? new Template(text) : text;
}

/** The template made last for each option number (`optionValue`). */
const lastTemplates: (Template | undefined)[] = [];

/**
 * `writeValue` of the text a step gives option number `option`. Steps often give an option the
 * same text with a `%` as the step before them did (`-Step %_SMSTSCurrentActionName%` on every
 * script): that template is handed out again, so a large file keeps one where it kept one a step,
 * and the text is compared only with the last one (a map of every text met cost more than the
 * templates it saved, docs/performance.md).
 */
export function optionValue(option: number, text: string): WriteValue {
  if (!text.includes('%')) return text;
  const last = lastTemplates[option];
  if (last !== undefined && last.text === text) return last;
  return (lastTemplates[option] = new Template(text));
}

/** Forgets the templates `optionValue` would hand out again: when a frame's compile ends (own-text.ts says why). */
export function forgetLastTemplates(): void {
  // Emptied in place: the array keeps its room and its kind of elements (a frame's compile refills it).
  lastTemplates.fill(undefined);
}

/** Adds a write; returns where it is (what a step keeps to find its command line). */
export function addWrite(out: Scratch<WriteEntry>, slot: number, name: string, value: WriteValue): number {
  const at = out.length;
  out.push3(typeof value === 'string' ? slot : ~slot, name, value);
  return at;
}

/** A table of the writes `build` adds, copied out at its exact size. */
export function writeTable(build: (out: Scratch<WriteEntry>) => void): WriteTable {
  const out = new Scratch<WriteEntry>();
  build(out);
  return out.copy();
}

/** Tables of writes that many steps make alike (the defaults of a layout of options), by number + 1 (`sharedWrites`). */
const shared: WriteTable[] = [];

/**
 * A number for a table of writes that every step of one layout of options makes after its own
 * (plan.ts): 0 for none, else what `sharedWrites` reads back. Steps keep the number instead of a
 * copy of the table each.
 */
export function shareWrites(writes: WriteTable): number {
  if (writes.length === 0) return 0;
  shared.push(writes);
  return shared.length;
}

/** The table `shareWrites` numbered `number` (not 0). */
export function sharedWrites(number: number): WriteTable {
  return shared[number - 1];
}

/** How many writes a table holds. */
export function writeCount(writes: WriteTable): number {
  return writes.length / WriteField.SIZE;
}

/** Write number `k` of a table, for reading it back (tests, tools); a run uses FrameProgram.writeVariables. */
export function writeAt(writes: WriteTable, k: number): { slot: number; name: string; value: WriteValue } {
  const at = k * WriteField.SIZE;
  const slot = writes[at + WriteField.SLOT] as number;
  return {
    slot: slot >= 0 ? slot : ~slot,
    name: writes[at + WriteField.NAME] as string,
    value: writes[at + WriteField.VALUE] as WriteValue,
  };
}

/** Adds option number `option`'s text. */
export function addText(out: Scratch<TextEntry>, option: number, form: TextForm): void {
  out.push(option);
  out.push(form);
}

/** Where option number `option` is among the texts from `from` to `to` (the last one given wins); NONE when not given. */
export function findText(texts: TextTable, from: number, to: number, option: number): number {
  for (let t = to - TEXT_SIZE; t >= from; t -= TEXT_SIZE) if (texts[t + TEXT_OPTION] === option) return t;
  return NONE;
}

/** The text of the option `findText` found at `at`. */
export function textAt(texts: TextTable, at: number): TextForm {
  return texts[at + TEXT_FORM] as TextForm;
}
