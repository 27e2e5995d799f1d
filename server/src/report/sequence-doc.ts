// The document of one task sequence, written from its source for the admins who keep, review or
// inherit it: its purpose, boot image, every group and step in order with the instruction number
// ConfigMgr gives it, what each step does and when it runs, the content it references (named from
// the catalogs), the variables it sets and reads, and the child sequences it runs.

import type { TsqDocument } from '../model/document';
import type { SeqNode, SequenceModel, StepNode } from '../model/sequence';
import type { Workspace } from '../semantics/workspace';
import { stepByKey, findVariable, referenceKindInfo } from '../catalog';
import type { ReferenceKind, StepDefinition } from '../catalog/types';
import { siteReferences } from '../semantics/references';
import { childCalls } from '../semantics/children';
import { variableReads, variableWrites } from '../semantics/variable-flow';
import { numberSequence } from '../runlog/numbering';
import { whenInWords } from './condition-words';
import type { Block, Inline, ReportDocument } from './document';

/** Longest option value shown in the step table before it is cut. */
const MAX_VALUE_CHARS = 80;
/** Most steps listed as users of one reference or variable before the rest are counted. */
const MAX_USERS = 8;

export interface SequenceDocOptions {
  /** The link to another sequence's document (a child sequence), when it is documented too. */
  linkOf?: (docId: string) => string | undefined;
  /** How to name a file in the document (relative to where it is kept). */
  nameOf?: (docId: string) => string;
}

function shortValue(value: unknown): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (Array.isArray(value))
    text = value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(', ');
  else text = JSON.stringify(value);
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** `name: value; name: value`, with secrets hidden. */
function keyOptions(step: StepNode, def: StepDefinition | undefined): string {
  return step.options
    .map((o) => {
      const prop = def?.properties.find((p) => p.name === o.name);
      return `${o.name}: ${prop?.secret ? '(hidden)' : shortValue(o.value)}`;
    })
    .join('; ');
}

function stepType(node: SeqNode): string {
  if (node.kind === 'group') return 'Group';
  return stepByKey(node.action)?.displayName ?? (node.action || '(no action)');
}

function groupPath(node: SeqNode): string {
  const names: string[] = [];
  for (let g = node.parent; g; g = g.parent) names.unshift(g.name);
  return names.join(' / ');
}

function usersText(labels: string[]): string {
  const unique = [...new Set(labels)];
  return unique.length > MAX_USERS
    ? `${unique.slice(0, MAX_USERS).join(', ')} and ${unique.length - MAX_USERS} more`
    : unique.join(', ');
}

export function sequenceDocument(ws: Workspace, doc: TsqDocument, options: SequenceDocOptions = {}): ReportDocument {
  const model = doc.model as SequenceModel | undefined;
  const nameOf = options.nameOf ?? ((id: string) => id);
  const title = model?.name || nameOf(doc.id);
  const blocks: Block[] = [];
  if (!model || doc.kind !== 'sequence') {
    blocks.push({ kind: 'paragraph', text: `${nameOf(doc.id)} is not a task sequence.` });
    return { title, blocks };
  }

  // Instruction numbers as ConfigMgr counts them (child sequences counted where they run); the
  // entries of this file only.
  const numbers = new Map<SeqNode, number | undefined>();
  for (const entry of numberSequence(ws, doc)) if (entry.docId === doc.id) numbers.set(entry.node, entry.pointer);
  const label = (node: SeqNode) => {
    const n = numbers.get(node);
    return n === undefined ? node.name : `${n} ${node.name}`;
  };

  blocks.push({
    kind: 'paragraph',
    text: model.description?.trim()
      ? model.description.trim()
      : 'No description: add a “description:” line to say what this sequence is for.',
  });
  const facts: Inline[] = [`File: ${nameOf(doc.id)}`];
  if (model.packageId?.value) facts.push(`Package ID: ${model.packageId.value}`);
  const boot = model.bootImage?.value.trim();
  if (boot) {
    const entry = ws.catalog.lookup('bootImage', boot);
    facts.push(
      `Boot image: ${boot}${entry ? ` — ${[entry.name, entry.version, entry.architectures.join(', ')].filter(Boolean).join(', ')}` : ws.catalog.present ? ' (not in the catalogs)' : ''}`,
    );
  } else facts.push('Boot image: none (the sequence runs in the full OS only)');
  if (model.variables.length) facts.push(`Sequence variables: ${model.variables.map((v) => v.name).join(', ')}`);
  blocks.push({ kind: 'list', items: facts });

  // Steps.
  const rows: Inline[][] = [];
  let steps = 0;
  const visit = (nodes: readonly SeqNode[]) => {
    for (const node of nodes) {
      const def = node.kind === 'step' ? stepByKey(node.action) : undefined;
      if (node.kind === 'step') steps++;
      rows.push([
        numbers.get(node)?.toString() ?? '?',
        groupPath(node),
        node.kind === 'group' ? `▸ ${node.name}` : node.name,
        stepType(node),
        node.kind === 'step' ? keyOptions(node, def) : '',
        node.when ? whenInWords(node.when.text) : '',
        node.continueOnError ? 'yes' : '',
        node.disabled ? 'disabled' : '',
      ]);
      if (node.kind === 'group') visit(node.steps);
    }
  };
  visit(model.steps);
  blocks.push({ kind: 'heading', level: 2, text: 'Groups and steps', anchor: 'steps' });
  blocks.push({
    kind: 'paragraph',
    text: `${rows.length - steps} groups and ${steps} steps. No. is the instruction number ConfigMgr gives each group and step (from 0, groups included, a child sequence's steps counted where it runs), as smsts.log shows it; "?" after a child sequence tsq could not read.`,
  });
  blocks.push({
    kind: 'table',
    columns: ['No.', 'Group', 'Name', 'Type', 'Key options', 'Runs when', 'Continue on error', 'Disabled'],
    rows,
  });

  // References.
  const refs = new Map<string, { kind: ReferenceKind; id: string; users: string[] }>();
  for (const r of siteReferences(model)) {
    const key = `${r.kind}\u0000${r.id.toUpperCase()}`;
    let ref = refs.get(key);
    if (!ref) refs.set(key, (ref = { kind: r.kind, id: r.id, users: [] }));
    ref.users.push(r.step ? label(r.step) : 'boot image');
  }
  blocks.push({ kind: 'heading', level: 2, text: 'Content it references', anchor: 'references' });
  if (refs.size === 0) blocks.push({ kind: 'paragraph', text: 'None.' });
  else {
    if (!ws.catalog.present)
      blocks.push({
        kind: 'paragraph',
        text: 'No catalog file is beside the sequence, so names, versions and architectures are unknown.',
      });
    blocks.push({
      kind: 'table',
      columns: ['Kind', 'ID', 'Name', 'Version', 'Architectures', 'Used by'],
      rows: [...refs.values()].map((r) => {
        const entry = ws.catalog.lookup(r.kind, r.id);
        return [
          referenceKindInfo(r.kind).label,
          r.id,
          entry?.name ?? (ws.catalog.present ? '(not in the catalogs)' : ''),
          entry?.version ?? '',
          entry?.architectures.join(', ') ?? '',
          usersText(r.users),
        ];
      }),
    });
  }

  // Variables.
  const setBy = new Map<string, string[]>();
  for (const w of variableWrites(doc)) {
    const list = setBy.get(w.name) ?? [];
    list.push(w.step ? label(w.step) : w.kind === 'sequence-variables' ? 'sequence variables' : w.kind);
    setBy.set(w.name, list);
  }
  const readBy = new Map<string, string[]>();
  for (const r of variableReads(doc)) {
    const list = readBy.get(r.name) ?? [];
    list.push(`${label(r.node)}${r.inCondition ? ' (condition)' : ''}`);
    readBy.set(r.name, list);
  }
  blocks.push({ kind: 'heading', level: 2, text: 'Variables', anchor: 'variables' });
  const names = [...new Set([...setBy.keys(), ...readBy.keys()])].sort((a, b) =>
    a.localeCompare(b, 'en', { sensitivity: 'base' }),
  );
  if (names.length === 0) blocks.push({ kind: 'paragraph', text: 'The sequence sets and reads no variables.' });
  else {
    blocks.push({
      kind: 'table',
      columns: ['Variable', 'Set by', 'Read by', 'About'],
      rows: names.map((n) => [
        n,
        usersText(setBy.get(n) ?? []),
        usersText(readBy.get(n) ?? []),
        findVariable(n)?.summary ?? '',
      ]),
    });
  }

  // Child sequences.
  const calls = childCalls(ws, doc.id, model);
  blocks.push({ kind: 'heading', level: 2, text: 'Child sequences', anchor: 'children' });
  if (calls.length === 0) blocks.push({ kind: 'paragraph', text: 'It runs no child sequences.' });
  else {
    blocks.push({
      kind: 'table',
      columns: ['Step', 'Runs', 'Document'],
      rows: calls.map((c) => {
        const child = c.target.doc;
        const childName = child?.kind === 'sequence' ? (child.model as SequenceModel | undefined)?.name : undefined;
        const href = child ? options.linkOf?.(child.id) : undefined;
        const target = childName ? `${childName} (${c.ref})` : `${c.ref}${child ? '' : ' (not found)'}`;
        return [label(c.step), target, href ? { text: childName ?? c.ref, href } : ''];
      }),
    });
  }
  return { title, blocks };
}
