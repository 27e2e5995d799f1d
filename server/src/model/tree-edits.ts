// Changes to a sequence's tree of groups and steps, as text changes on its YAML: add a step or a
// group, delete, move, rename, disable or enable one, set or clear its condition. The Task
// Sequence view asks for them (lsp/sequence-tree.ts). Each change touches only the lines of the
// entries it is about, so comments and formatting elsewhere survive; a change the text's layout
// does not allow (an entry in flow style, an alias, a list item sharing its line) is refused with
// a reason the admin can act on.

import { exampleValue, mustBeWritten, type StepDefinition } from '../catalog';
import type { SeqNode, SequenceModel } from './sequence';
import { findPair, keyStartAt, pairAt, pairCount, pairStartAt, type YMap, type YPair } from './yaml/nodes';
import { scalarString } from './yaml/emit';

export interface TextChange {
  start: number;
  end: number;
  text: string;
}

/** Where a node is: its index in the sequence's `steps:`, then in each group's `steps:` down to it. */
export type NodePath = readonly number[];

/** A place in a list: before the `index`th node of the group at `parent` ([] is the sequence's own list); index = length appends. */
export interface Placement {
  parent: NodePath;
  index: number;
}

export type TreeEdit =
  | { ok: true; changes: TextChange[]; /** Where the node the edit is about ends up. */ path?: number[] }
  | { ok: false; message: string };

const refuse = (message: string): TreeEdit => ({ ok: false, message });

export function nodeAt(model: SequenceModel, path: NodePath): SeqNode | undefined {
  let list = model.steps;
  let node: SeqNode | undefined;
  for (const i of path) {
    node = Number.isInteger(i) && i >= 0 ? list[i] : undefined;
    if (!node) return undefined;
    list = node.kind === 'group' ? node.steps : [];
  }
  return node;
}

export function pathOf(node: SeqNode): number[] {
  const out: number[] = [];
  for (let n: SeqNode | null = node; n; n = n.parent) out.unshift(n.index);
  return out;
}

function listAt(model: SequenceModel, parent: NodePath): { items: SeqNode[]; owner: YMap } | undefined {
  if (parent.length === 0) return { items: model.steps, owner: model.root };
  const group = nodeAt(model, parent);
  return group?.kind === 'group' ? { items: group.steps, owner: group.node } : undefined;
}

function lineStart(text: string, p: number): number {
  while (p > 0 && text.charCodeAt(p - 1) !== 10 && text.charCodeAt(p - 1) !== 13) p--;
  return p;
}

function lineEnd(text: string, p: number): number {
  while (p < text.length && text.charCodeAt(p) !== 10 && text.charCodeAt(p) !== 13) p++;
  return p;
}

function nextLine(text: string, p: number): number {
  p = lineEnd(text, p);
  if (text.charCodeAt(p) === 13 && text.charCodeAt(p + 1) === 10) return p + 2;
  return Math.min(text.length, p + 1);
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

const nameOf = (node: SeqNode) => `${node.kind} “${node.name || '(unnamed)'}”`;

/** The lines of a node's list entry, from the line of its `-` to the end of its last line. */
interface Entry {
  start: number;
  end: number;
  /** Column of the `-`. */
  column: number;
}

function entryOf(text: string, node: SeqNode): Entry | string {
  let p = node.node.start - 1;
  while (p >= 0 && (text.charAt(p) === ' ' || text.charAt(p) === '\t')) p--;
  const start = lineStart(text, Math.max(p, 0));
  if (text.charAt(p) !== '-' || text.slice(start, p).trim() !== '') {
    return `The ${nameOf(node)} is not written as a \`- \` entry on lines of its own (flow style or an alias); edit it in the text.`;
  }
  const rest = text.slice(node.node.end, lineEnd(text, node.node.end)).trim();
  if (rest !== '' && !rest.startsWith('#'))
    return `The ${nameOf(node)} shares its last line with other text; edit it in the text.`;
  return { start, end: nextLine(text, node.node.end), column: p - start };
}

/** The entry's lines moved `delta` columns (blank lines stay as they are); undefined when a line is not indented enough to move left. */
function reindent(block: string, delta: number): string | undefined {
  if (delta === 0) return block;
  const lines = block.split(/(?<=\n)/);
  const out: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') out.push(line);
    else if (delta > 0) out.push(' '.repeat(delta) + line);
    else if (/^ */.exec(line)![0].length >= -delta) out.push(line.slice(-delta));
    else return undefined;
  }
  return out.join('');
}

/** The entry's text with a line break at its end (the last line of a file may have none). */
function entryText(text: string, entry: Entry): string {
  const block = text.slice(entry.start, entry.end);
  return /[\r\n]$/.test(block) ? block : block + eolOf(text);
}

/** The pair at `index` of a mapping (negative counts from the end), or undefined. */
function nthPair(map: YMap, index: number): YPair | undefined {
  const n = pairCount(map.pairs);
  const i = index < 0 ? n + index : index;
  return i >= 0 && i < n ? pairAt(map.pairs, i) : undefined;
}

/** Where an entry goes in a list: its `-` column and the change that puts a block (written at column 0) there. */
interface Slot {
  column: number;
  put(block: string): TextChange;
}

function slotFor(text: string, model: SequenceModel, placement: Placement): Slot | string {
  const list = listAt(model, placement.parent);
  if (!list) return 'There is no group there any more; the view was out of date.';
  const { items, owner } = list;
  const index = placement.index;
  if (!Number.isInteger(index) || index < 0 || index > items.length)
    return 'That place is not in the list any more; the view was out of date.';
  const eol = eolOf(text);
  if (items.length > 0) {
    const first = entryOf(text, items[0]);
    if (typeof first === 'string') return first;
    if (index < items.length) {
      const at = entryOf(text, items[index]);
      if (typeof at === 'string') return at;
      return { column: first.column, put: (block) => ({ start: at.start, end: at.start, text: block }) };
    }
    const last = entryOf(text, items[items.length - 1]);
    if (typeof last === 'string') return last;
    const needsBreak = !/[\r\n]$/.test(text.slice(last.start, last.end));
    return {
      column: first.column,
      put: (block) => ({ start: last.end, end: last.end, text: needsBreak ? eol + block : block }),
    };
  }
  if (owner.flow) return 'The group is written in flow style (`{ ... }`); edit it in the text.';
  const steps = findPair(owner, 'steps');
  const trimmed = (block: string) => block.replace(/(\r?\n)$/, '');
  if (steps) {
    const v = steps.value;
    const empty =
      (v.kind === 'seq' && v.items.length === 0) || (v.kind === 'scalar' && (v.implicit || v.value === null));
    if (!empty) return 'The `steps:` list holds entries that are not groups or steps; fix them in the text first.';
    const colon = text.indexOf(':', steps.key.end);
    const column = steps.key.start - lineStart(text, steps.key.start) + 2;
    return {
      column,
      put: (block) => ({ start: colon + 1, end: Math.max(colon + 1, v.end), text: eol + trimmed(block) }),
    };
  }
  if (pairCount(owner.pairs) === 0) return 'The group has no keys to place `steps:` beside; edit it in the text.';
  const firstKey = keyStartAt(owner.pairs, 0);
  const keyColumn = firstKey - lineStart(text, firstKey);
  const at = lineEnd(text, owner.end);
  return {
    column: keyColumn + 2,
    put: (block) => ({ start: at, end: at, text: `${eol}${' '.repeat(keyColumn)}steps:${eol}${trimmed(block)}` }),
  };
}

function insertBlock(text: string, model: SequenceModel, placement: Placement, block: string): TreeEdit {
  const slot = slotFor(text, model, placement);
  if (typeof slot === 'string') return refuse(slot);
  return { ok: true, changes: [slot.put(reindent(block, slot.column)!)], path: [...placement.parent, placement.index] };
}

/** A new step of a built-in action, its required options filled with placeholders the checks then point at. */
export function addStep(
  text: string,
  model: SequenceModel,
  placement: Placement,
  step: StepDefinition,
  name = step.displayName,
): TreeEdit {
  const eol = eolOf(text);
  const required = step.properties.filter((p) => p.required && mustBeWritten(p));
  const lines = [`- name: ${scalarString(name, false)}`, `  action: ${step.key}`];
  if (required.length) lines.push('  with:', ...required.map((p) => `    ${p.name}: ${exampleValue(p)}`));
  return insertBlock(text, model, placement, lines.join(eol) + eol);
}

export function addGroup(text: string, model: SequenceModel, placement: Placement, name: string): TreeEdit {
  const eol = eolOf(text);
  return insertBlock(text, model, placement, `- group: ${scalarString(name, false)}${eol}  steps: []${eol}`);
}

export function deleteNode(text: string, node: SeqNode): TreeEdit {
  const entry = entryOf(text, node);
  if (typeof entry === 'string') return refuse(entry);
  const changes: TextChange[] = [{ start: entry.start, end: entry.end, text: '' }];
  // The last entry of a list leaves `steps: []`, so that the group stays a group.
  const siblings = node.parent ? node.parent.steps : undefined;
  const owner = node.parent?.node;
  const steps = owner && findPair(owner, 'steps');
  if (siblings?.length === 1 && steps?.value.kind === 'seq' && steps.value.items.length === 1 && !steps.value.flow) {
    const colon = text.indexOf(':', steps.key.end);
    if (colon >= 0 && colon < entry.start) changes.unshift({ start: colon + 1, end: colon + 1, text: ' []' });
  }
  return { ok: true, changes };
}

/** Moves a node to another place; a group cannot go inside itself. */
export function moveNode(text: string, model: SequenceModel, node: SeqNode, to: Placement): TreeEdit {
  const from = pathOf(node);
  if (to.parent.length >= from.length && from.every((i, k) => to.parent[k] === i))
    return refuse(`The ${nameOf(node)} cannot go inside itself.`);
  const sameList = to.parent.length === from.length - 1 && to.parent.every((i, k) => from[k] === i);
  const own = from[from.length - 1];
  if (sameList && (to.index === own || to.index === own + 1)) return { ok: true, changes: [], path: from };
  const entry = entryOf(text, node);
  if (typeof entry === 'string') return refuse(entry);
  const slot = slotFor(text, model, to);
  if (typeof slot === 'string') return refuse(slot);
  const block = reindent(reindent(entryText(text, entry), -entry.column)!, slot.column);
  if (block === undefined)
    return refuse(`The lines of the ${nameOf(node)} are not indented enough to move; edit it in the text.`);
  const put = slot.put(block);
  const removal = deleteNode(text, node);
  if (!removal.ok) return removal;
  // Where it lands, counted after it has left its old place.
  const path = [...to.parent, to.index];
  const depth = from.length - 1;
  if (path.length > depth && from.slice(0, depth).every((i, k) => path[k] === i) && path[depth] > own) path[depth]--;
  return { ok: true, changes: [...removal.changes, put].sort((a, b) => a.start - b.start), path };
}

/** Moves a node one place up or down among its siblings. */
export function moveBy(text: string, model: SequenceModel, node: SeqNode, delta: -1 | 1): TreeEdit {
  const siblings = node.parent ? node.parent.steps : model.steps;
  const target = node.index + delta;
  if (target < 0 || target >= siblings.length)
    return refuse(`The ${nameOf(node)} is already the ${delta < 0 ? 'first' : 'last'} in its list.`);
  const parent = pathOf(node).slice(0, -1);
  return moveNode(text, model, node, { parent, index: delta < 0 ? target : target + 1 });
}

/** A key's value on one line of a block mapping: written after the name (and id) of the node, or replaced where it is. */
function setKey(text: string, node: SeqNode, key: string, value: string | undefined): TreeEdit {
  const map = node.node;
  const pair = findPair(map, key);
  if (pair) {
    if (value !== undefined) {
      const v = pair.value;
      const start = v.kind === 'scalar' && v.implicit ? pair.key.end + 1 : v.start;
      return {
        ok: true,
        changes: [
          { start, end: Math.max(start, v.end), text: v.kind === 'scalar' && v.implicit ? ` ${value}` : value },
        ],
      };
    }
    if (map.flow || pair.start === pairStartAt(map.pairs, 0))
      return refuse(`\`${key}:\` cannot be taken out of the ${nameOf(node)} here; edit it in the text.`);
    const from = lineStart(text, pair.start);
    if (text.slice(from, pair.start).trim() !== '')
      return refuse(`\`${key}:\` shares its line with other text; edit it in the text.`);
    return { ok: true, changes: [{ start: from, end: nextLine(text, pair.end), text: '' }] };
  }
  if (value === undefined) return { ok: true, changes: [] };
  if (map.flow) {
    const last = nthPair(map, -1);
    if (!last || text.charAt(map.end - 1) !== '}')
      return refuse(`The ${nameOf(node)} is written in flow style; edit it in the text.`);
    return { ok: true, changes: [{ start: last.end, end: last.end, text: `, ${key}: ${value}` }] };
  }
  const anchor = findPair(map, 'id') ?? findPair(map, node.kind === 'group' ? 'group' : 'name') ?? nthPair(map, 0);
  if (!anchor) return refuse(`The ${nameOf(node)} has no keys; edit it in the text.`);
  const firstKey = keyStartAt(map.pairs, 0);
  const column = firstKey - lineStart(text, firstKey);
  const oneLine =
    anchor.value.kind === 'scalar' && !anchor.value.block && lineEnd(text, anchor.key.start) >= anchor.value.end;
  const at = oneLine ? lineEnd(text, anchor.value.end) : lineEnd(text, map.end);
  return { ok: true, changes: [{ start: at, end: at, text: `${eolOf(text)}${' '.repeat(column)}${key}: ${value}` }] };
}

/** `disabled: true`, or the key taken away again (a node runs unless it says otherwise). */
export function setDisabled(text: string, node: SeqNode, disabled: boolean): TreeEdit {
  if (disabled) return setKey(text, node, 'disabled', 'true');
  const removed = setKey(text, node, 'disabled', undefined);
  return removed.ok ? removed : setKey(text, node, 'disabled', 'false');
}

export function rename(text: string, node: SeqNode, name: string): TreeEdit {
  if (name.trim() === '') return refuse('A name cannot be empty.');
  if (/[\r\n]/.test(name)) return refuse('A name is one line.');
  return setKey(text, node, node.kind === 'group' ? 'group' : 'name', scalarString(name, node.node.flow));
}

/** Sets the node's `when:` (or takes it away when `condition` is empty). */
export function setCondition(text: string, node: SeqNode, condition: string): TreeEdit {
  const trimmed = condition.trim();
  if (/[\r\n]/.test(trimmed)) return refuse('A condition is written on one line here.');
  return setKey(text, node, 'when', trimmed === '' ? undefined : scalarString(trimmed, node.node.flow));
}
