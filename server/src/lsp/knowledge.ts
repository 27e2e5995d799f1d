// What the editor features say about things, in one place: the variables a project knows
// (built in, or set somewhere in its files), catalog entries, and the Markdown shown for steps,
// step options, variables and site content in hovers and completion details.

import {
  allVariables,
  findStep,
  findVariable,
  type StepDefinition,
  type StepProperty,
  type VariableDefinition,
  type ReferenceKind,
  referenceKindInfo,
} from '../catalog';
import type { CatalogEntry } from '../model/site-catalog';
import { variableWrites, type VariableWrite, type WriteKind } from '../semantics/variable-flow';
import { relativeFrom } from '../util/paths';
import { codeSpanMarkdown as code, escapeMarkdown as md } from '../report/markdown';
import type { FileEntry, Project } from './projects';

export interface ProjectVariable {
  name: string;
  builtIn?: VariableDefinition;
  readOnly: boolean;
  /** Where files of the project set it. */
  writes: { entry: FileEntry; write: VariableWrite }[];
}

/** Built-in variables and every variable a file of the project sets, by lower-case name. */
export function projectVariables(project: Project): Map<string, ProjectVariable> {
  const out = new Map<string, ProjectVariable>();
  for (const v of allVariables())
    out.set(v.name.toLowerCase(), { name: v.name, builtIn: v, readOnly: v.readOnly, writes: [] });
  for (const entry of project.files.values()) {
    for (const write of variableWrites(entry.doc)) {
      const key = write.name.toLowerCase();
      let v = out.get(key);
      if (!v) out.set(key, (v = { name: write.name, readOnly: write.name.startsWith('_'), writes: [] }));
      v.writes.push({ entry, write });
    }
  }
  return out;
}

const RUNS_IN: Record<string, string> = {
  WinPE: 'Windows PE only',
  FullOS: 'the installed OS only',
  WinPEandFullOS: 'Windows PE and the installed OS',
};

function typeOf(p: StepProperty): string {
  switch (p.type) {
    case 'enum':
      return (p.enum ?? []).map((e) => `\`${e.value}\``).join(' \\| ');
    case 'reference':
      return `${p.reference ? referenceKindInfo(p.reference).label : 'reference'} ID`;
    case 'referenceList':
      return `list of ${p.reference ? referenceKindInfo(p.reference).label : 'reference'} IDs`;
    case 'objectList':
      return 'list of entries';
    case 'stringList':
      return 'list of text';
    case 'dynamicRules':
      return 'list of rules (or the XML ConfigMgr stores)';
    default:
      return p.type === 'string' ? 'text' : p.type === 'integer' ? 'whole number' : 'true/false';
  }
}

function requirement(p: StepProperty): string {
  if (p.required) return 'required';
  if (p.requiredIf)
    return `required when \`${p.requiredIf.property}\` is ${p.requiredIf.is === 'set' ? 'set' : 'empty'}`;
  return p.default !== undefined ? `default \`${String(p.default)}\`` : 'optional';
}

export function stepMarkdown(def: StepDefinition): string {
  const lines = [
    `**${def.displayName}** — \`action: ${def.key}\``,
    '',
    def.summary,
    '',
    `Runs in ${RUNS_IN[def.runIn] ?? def.runIn}.${def.source === 'mdt' ? ' Comes with MDT.' : ''}`,
  ];
  const props = def.properties.filter((p) => !p.countOf);
  if (props.length) {
    lines.push('', '| option | takes | |', '| --- | --- | --- |');
    for (const p of props) lines.push(`| \`${p.name}\` | ${typeOf(p)} | ${requirement(p)} |`);
  }
  if (def.docUrl) lines.push('', `[ConfigMgr documentation](${def.docUrl})`);
  return lines.join('\n');
}

export function propertyMarkdown(def: StepDefinition, p: StepProperty): string {
  const lines = [`**${p.name}** (${typeOf(p)}, ${requirement(p)}) — option of ${def.displayName}`, '', p.summary];
  if (p.enum?.length) {
    lines.push('');
    for (const e of p.enum) lines.push(`- \`${e.value}\`${e.summary ? ` — ${e.summary}` : ''}`);
  }
  if (p.minimum !== undefined || p.maximum !== undefined)
    lines.push('', `From ${p.minimum ?? '…'} to ${p.maximum ?? '…'}.`);
  if (p.secret)
    lines.push('', 'A secret: write `{ env: NAME }`, `{ prompt: true }` or `{ missing: true }`, never the value.');
  if (p.items?.length) lines.push('', `Each entry takes: ${p.items.map((i) => `\`${i.name}\``).join(', ')}.`);
  return lines.join('\n');
}

const WRITE_WORDS: Record<WriteKind, string> = {
  'sequence-variables': 'sequence variable',
  'set-step': 'Set Task Sequence Variable',
  'dynamic-rule': 'Set Dynamic Variables',
  output: 'output of a step',
  'drive-letter': 'drive letter of a partition',
  'download-base': 'download location (base name)',
  machine: 'machine variable',
  collection: 'collection variable',
};

export function variableMarkdown(from: FileEntry, v: ProjectVariable): string {
  const def = v.builtIn ?? findVariable(v.name);
  const lines = [
    `**${md(def?.name ?? v.name)}** — ${def ? 'built-in ' : ''}task sequence variable${v.readOnly ? ', **read-only**' : ''}`,
  ];
  if (def) {
    lines.push('', def.summary);
    const facts: string[] = [];
    if (def.type !== 'string') facts.push(`type ${def.type}`);
    if (def.values?.length) facts.push(`values ${def.values.map((x) => `\`${x}\``).join(', ')}`);
    if (def.default !== undefined) facts.push(`default \`${def.default}\``);
    if (facts.length) lines.push('', `${facts.join('; ')}.`);
    const setters = def.usages
      .filter((u) => u.direction === 'output')
      .map((u) => findStep(u.step)?.displayName ?? u.step);
    const readers = def.usages
      .filter((u) => u.direction !== 'output')
      .map((u) => findStep(u.step)?.displayName ?? u.step);
    if (v.readOnly) lines.push('', 'Set by the task sequence engine; sequences cannot change it.');
    if (def.settableByMdt)
      lines.push(
        '',
        `MDT documents setting it from its rules (Bootstrap.ini, CustomSettings.ini, the MDT database): [MDT toolkit reference](${def.settableByMdt}).`,
      );
    if (setters.length) lines.push('', `Set by: ${[...new Set(setters)].join(', ')}.`);
    if (readers.length) lines.push('', `Read by: ${[...new Set(readers)].join(', ')}.`);
  }
  if (v.writes.length) {
    lines.push('', 'Set in this workspace:');
    for (const { entry, write } of v.writes.slice(0, 8)) {
      const line = entry.doc.lineMap.positionAt(write.start).line + 1;
      const file = entry.id === from.id ? 'this file' : md(relativeFrom(from.id, entry.id));
      lines.push(
        `- ${file}, line ${line}: ${WRITE_WORDS[write.kind]}${write.step ? ` (step “${md(write.step.name)}”)` : ''}`,
      );
    }
    if (v.writes.length > 8) lines.push(`- … and ${v.writes.length - 8} more`);
  } else if (!def) {
    lines.push('', 'Nothing in this workspace sets it.');
  }
  return lines.join('\n');
}

export function describeEntry(e: CatalogEntry): string {
  return [
    e.name,
    e.version ? `version ${e.version}` : undefined,
    e.architectures.length ? e.architectures.join('/') : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function entryMarkdown(e: CatalogEntry, catalogFile: string | undefined, from: FileEntry): string {
  const lines = [`**${md(e.name ?? e.id)}** — ${referenceKindInfo(e.kind).label} ${code(e.id)}`];
  const facts: string[] = [];
  if (e.version) facts.push(`Version: ${md(e.version)}`);
  facts.push(`Architecture: ${e.architectures.length ? md(e.architectures.join(', ')) : 'not stated'}`);
  if (e.distributed !== undefined)
    facts.push(`Distributed: ${e.distributed ? 'yes' : '**no** — steps using it will not find its content'}`);
  if (e.programs.length) facts.push(`Programs: ${e.programs.map((p) => code(p.value)).join(', ')}`);
  if (e.indexes.length)
    facts.push(
      `Image indexes: ${e.indexes.map((i) => (i.name ? `${i.index} (${md(i.name)})` : String(i.index))).join(', ')}`,
    );
  if (e.sizeMB !== undefined) facts.push(`Size: ${e.sizeMB} MB`);
  lines.push('', ...facts.map((f) => `- ${f}`));
  if (catalogFile)
    lines.push('', `From ${catalogFile === from.id ? 'this file' : md(relativeFrom(from.id, catalogFile))}.`);
  return lines.join('\n');
}

/** Catalog entries of a kind in the project (every catalog file counts). */
export function entriesOf(project: Project, kind: ReferenceKind): CatalogEntry[] {
  return project.ws.catalog.entries(kind);
}
