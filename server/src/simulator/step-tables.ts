// The flat tables a frame program keeps for its steps (program.ts), filled by `planStep` (plan.ts)
// and read here only: the variables each step writes before it runs, and each step's options in
// text form. A list of steps keeps one table of each kind, every step a range of it, so a visit
// reads neighbouring entries instead of chasing objects spread over the heap.
//
// Write table: WRITE_SIZE entries per write — the variable's slot, its name and its value. A value
// with a `%` to expand is a Template, and its slot is stored as ~slot (negative): a run learns
// which kind of value it has from the number beside it, without reading the value itself, which
// for a fixed text lies somewhere in the heap (each such read was a cache miss on large files).
//
// Option texts: TEXT_SIZE entries per option — its number (plan.ts's `optionNumber`) and its text
// (null: the option has no text form; a Template for a text with a `%`, the same one its write fills).

import { Scratch } from './scratch';
import { Template, type VariableStore } from './variables';

/** What a step writes into a variable: a fixed text, or a text with `%Name%` to fill in when the step runs. */
export type WriteValue = string | Template;
/** An option's text as a step gives it; null when its value has no text form. */
export type TextForm = string | Template | null;

/** What the tables are filled with, while a list of steps is compiled. */
export type WriteEntry = number | string | Template;
export type TextEntry = number | TextForm;

/** Entries per write, and where each part of one is. */
const WRITE_SIZE = 3;
const WRITE_SLOT = 0, WRITE_NAME = 1, WRITE_VALUE = 2;
/** Entries per option text, and where each part of one is. */
const TEXT_SIZE = 2;
const TEXT_OPTION = 0, TEXT_FORM = 1;

/** Where a table has no such entry (no command line, an option not given). */
export const NONE = -1;

/** Writes, laid out as described above; read them with `applyWrites` (a run) or `writeAt`. */
export type WriteTable = readonly WriteEntry[];
/** Option texts, laid out as described above; read them with `findText` and `textAt`. */
export type TextTable = readonly TextEntry[];

/** A text as a step writes it: taken apart once when it has a `%` to fill in. */
export function writeValue(text: string): WriteValue {
  return text.includes('%') ? new Template(text) : text;
}

/** Adds a write; returns where it is, for `applyWrites`' command line. */
export function addWrite(out: Scratch<WriteEntry>, slot: number, name: string, value: WriteValue): number {
  const at = out.length;
  out.push3(typeof value === 'string' ? slot : ~slot, name, value);
  return at;
}

/** Adds every write of `writes` (a table of its own, such as an action's default writes). */
export function addWrites(out: Scratch<WriteEntry>, writes: WriteTable): void {
  for (let w = 0; w < writes.length; w++) out.push(writes[w]);
}

/** A table of the writes `build` adds, copied out at its exact size. */
export function writeTable(build: (out: Scratch<WriteEntry>) => void): WriteTable {
  const out = new Scratch<WriteEntry>();
  build(out);
  return out.copy();
}

/** How many writes a table holds. */
export function writeCount(writes: WriteTable): number {
  return writes.length / WRITE_SIZE;
}

/** Write number `k` of a table, for reading it back (tests, tools); a run uses `applyWrites`. */
export function writeAt(writes: WriteTable, k: number): { slot: number; name: string; value: WriteValue } {
  const at = k * WRITE_SIZE;
  const slot = writes[at + WRITE_SLOT] as number;
  return { slot: slot >= 0 ? slot : ~slot, name: writes[at + WRITE_NAME] as string, value: writes[at + WRITE_VALUE] as WriteValue };
}

/**
 * Makes the writes from `from` to `to` (positions `addWrite` returned, `to` exclusive), filling
 * in each `%Name%` as the variables are at that moment; returns the value written at `commandLine`
 * (NONE: none). A command line that fills in to nothing is filled in again after the writes (a
 * fixed one is what it is): a later write of the same step may have set what it names.
 */
export function applyWrites(writes: WriteTable, from: number, to: number, commandLine: number, vars: VariableStore): string | undefined {
  let cmd: string | undefined;
  // Fixed values are stored as they are, without reading them (see the header).
  for (let w = from; w < to; w += WRITE_SIZE) {
    const slot = writes[w + WRITE_SLOT] as number;
    const value = slot >= 0 ? (writes[w + WRITE_VALUE] as string) : vars.fill(writes[w + WRITE_VALUE] as Template);
    vars.setAt(slot >= 0 ? slot : ~slot, writes[w + WRITE_NAME] as string, value);
    if (w === commandLine) cmd = value;
  }
  if (commandLine !== NONE && !cmd && (writes[commandLine + WRITE_SLOT] as number) < 0) {
    const template = writes[commandLine + WRITE_VALUE] as Template;
    if (template.canBeEmpty) return vars.fill(template);
  }
  return cmd;
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
