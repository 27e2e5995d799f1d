// Migrating a whole sequence: every step that depends on MDT converted (migrate/convert-step.ts)
// and its edit applied to the text, in one pass; then the toolkit steps (Use Toolkit Package,
// Copy Scripts), which go only when nothing left in the migrated text needs MDT — the same test
// the editor's quick fix makes on the file as it stands. Also the one-step migration the quick
// fix applies.

import { parseDocument, type TsqDocument } from '../model/document';
import type { StepNode } from '../model/sequence';
import { mdtDependencies, mdtDependency } from './detect';
import { convertStep, type StepMigration } from './convert-step';
import { stepEdit, type TextEdit } from './step-text';

export interface MigratedStep extends StepMigration {
  /** Where the step is in the migrated text (absent when it was removed). */
  at?: number;
}

export interface SequenceMigration {
  /** The migrated text of the file. */
  text: string;
  /** The migrated document (parsed from `text`, with the input's id). */
  doc: TsqDocument;
  steps: MigratedStep[];
}

/** One step's migration and the edit that applies it (undefined: the step stays as it is). */
export function migrateStep(
  doc: TsqDocument,
  step: StepNode,
): { migration: StepMigration; edit?: TextEdit } | undefined {
  const dependency = mdtDependency(doc, step);
  if (!dependency) return undefined;
  const migration = settle(doc, convertStep(doc, step, dependency));
  return { migration, edit: stepEdit(doc, step, migration.outcome) };
}

/** A conversion whose text cannot be edited safely (a `-` sharing its line) stays as it is, and says so. */
function settle(doc: TsqDocument, m: StepMigration): StepMigration {
  if (m.outcome.kind === 'keep' || stepEdit(doc, m.step, m.outcome)) return m;
  return {
    ...m,
    to: '(kept)',
    status: 'kept',
    outcome: { kind: 'keep' },
    reason: `${m.reason} tsq could not rewrite this step's text (it shares its line with other YAML): make the change by hand.`,
  };
}

export function migrateSequence(doc: TsqDocument): SequenceMigration {
  const isToolkit = (m: StepMigration) => m.dependency.entry.convert === 'toolkit';
  const first = pass(doc, (m) => !isToolkit(m));
  const second = pass(first.doc, isToolkit);
  // The first pass neither adds nor removes toolkit steps: the second meets them in the same order.
  const toolkitSteps = mdtDependencies(doc)
    .filter((d) => d.dependency.entry.convert === 'toolkit')
    .map((d) => d.step.node.start);
  const placed = [
    ...first.steps.map((s, i) => ({
      s: s.at === undefined ? s : { ...s, at: moved(s.at, second.edits) },
      origin: first.origins[i],
    })),
    ...second.steps.map((s, i) => ({ s, origin: toolkitSteps[i] ?? Infinity })),
  ];
  return { text: second.doc.text, doc: second.doc, steps: placed.sort((a, b) => a.origin - b.origin).map((x) => x.s) };
}

interface Pass {
  doc: TsqDocument;
  steps: MigratedStep[];
  /** Where each step was in the text the pass started from. */
  origins: number[];
  edits: TextEdit[];
}

function pass(doc: TsqDocument, wanted: (m: StepMigration) => boolean): Pass {
  const steps: MigratedStep[] = [];
  const origins: number[] = [];
  const edits: TextEdit[] = [];
  for (const { step, dependency } of mdtDependencies(doc)) {
    const m = convertStep(doc, step, dependency);
    if (!wanted(m)) continue;
    const settled = settle(doc, m);
    const edit = stepEdit(doc, step, settled.outcome);
    if (edit) edits.push(edit);
    steps.push({ ...settled, at: step.node.start });
    origins.push(step.node.start);
  }
  const text = applyEdits(doc.text, edits);
  for (const s of steps) s.at = s.outcome.kind === 'remove' ? undefined : moved(s.at!, edits);
  return { doc: edits.length ? parseDocument(doc.id, text) : doc, steps, origins, edits };
}

/** `text` with `edits` (which do not overlap) applied, in one pass. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    parts.push(text.slice(at, e.start), e.text);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Where `offset` of the text before `edits` is after them (an offset inside an edit stays at its start). */
function moved(offset: number, edits: readonly TextEdit[]): number {
  let delta = 0;
  for (const e of edits) if (e.end <= offset && e.start < offset) delta += e.text.length - (e.end - e.start);
  return offset + delta;
}
