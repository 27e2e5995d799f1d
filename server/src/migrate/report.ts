// The migration report an admin acts on: per sequence, what happened to each MDT step (migrated,
// review, kept, with the reason), how many of each, which MDT scripts and deployment share paths
// the migrated sequence still names, which MDT variables it still reads and who would set them
// now, and the lint errors left in the migrated file. One report object for `tsq migrate`'s JSON;
// text is written from it here, Markdown by report/migration-report.ts.

import type { TsqDocument } from '../model/document';
import { pathOf, walk, type SequenceModel, type StepNode } from '../model/sequence';
import { findMdtVariable, withoutMdt, type MdtVariableOrigin } from '../catalog/mdt-variables';
import { variableReads, variableWrites } from '../semantics/variable-flow';
import { isBuiltInVariable } from '../semantics/variable-scope';
import { mdtDependency, mdtReferencesIn } from './detect';
import type { SequenceMigration } from './migrate-sequence';
import type { MigrationStatus } from './table';

/** One step of the report, as the JSON contract of `tsq migrate` has it (plus the file). */
export interface ReportStep {
  file: string;
  path: string;
  name: string;
  from: string;
  to: string;
  status: MigrationStatus;
  reason: string;
}

export interface StillNamed {
  /** The script (`ZTIGather.wsf`) or path (`%SCRIPTROOT%\ZTIBde.wsf`). */
  name: string;
  /** The steps that name it, by path. */
  steps: string[];
}

export interface StillRead {
  name: string;
  origin: MdtVariableOrigin;
  /** Who set it in MDT. */
  setBy: string;
  /** Who would set it without MDT. */
  now: string;
  docs?: string;
  /** The steps and groups that read it, by path. */
  readBy: string[];
}

export interface Problem {
  line: number;
  code: string;
  message: string;
}

export interface SequenceReport {
  /** The input file (for an imported XML file, the XML file). */
  file: string;
  /** The migrated copy written (absent when nothing was written). */
  out?: string;
  name: string;
  counts: Record<MigrationStatus, number>;
  steps: ReportStep[];
  scripts: StillNamed[];
  sharePaths: StillNamed[];
  variables: StillRead[];
  /** Errors `tsq lint` reports on the migrated file. */
  problems: Problem[];
}

export interface MigrationReport {
  steps: ReportStep[];
  sequences: SequenceReport[];
}

/** The report of one migrated sequence (`problems` are added by the front end, which lints the copy in its workspace). */
export function sequenceReport(
  file: string,
  out: string | undefined,
  migration: SequenceMigration,
  problems: Problem[] = [],
): SequenceReport {
  const steps = migration.steps.map((s): ReportStep => ({
    file,
    path: s.path,
    name: s.step.name,
    from: s.from,
    to: s.to,
    status: s.status,
    reason: s.reason,
  }));
  const counts: Record<MigrationStatus, number> = { migrated: 0, review: 0, kept: 0 };
  for (const s of steps) counts[s.status]++;
  const doc = migration.doc;
  const model = doc.model as SequenceModel | undefined;
  return {
    file,
    out,
    name: model?.name ?? '',
    counts,
    steps,
    ...stillNamed(doc),
    variables: stillRead(doc),
    problems,
  };
}

export function migrationReport(sequences: SequenceReport[]): MigrationReport {
  return { steps: sequences.flatMap((s) => s.steps), sequences };
}

/** MDT scripts and deployment share paths the steps of `doc` still name; an MDT step runs its script. */
function stillNamed(doc: TsqDocument): { scripts: StillNamed[]; sharePaths: StillNamed[] } {
  const scripts = new Map<string, StillNamed>();
  const paths = new Map<string, StillNamed>();
  const add = (into: Map<string, StillNamed>, name: string, step: StepNode) => {
    const key = name.toLowerCase();
    const entry = into.get(key) ?? { name, steps: [] };
    if (!entry.steps.includes(pathOf(step))) entry.steps.push(pathOf(step));
    into.set(key, entry);
  };
  const model = doc.model as SequenceModel | undefined;
  if (!model) return { scripts: [], sharePaths: [] };
  for (const n of walk(model.steps)) {
    if (n.kind !== 'step') continue;
    const d = mdtDependency(doc, n);
    if (d?.use.kind === 'step' && d.entry.match.script) add(scripts, d.entry.match.script, n);
    const found = mdtReferencesIn(stringsOf(n).join('\n'));
    for (const s of found.scripts) add(scripts, s, n);
    for (const p of found.paths) add(paths, p, n);
  }
  return { scripts: [...scripts.values()], sharePaths: [...paths.values()] };
}

/** The text a step's options and kept MDT action hold. */
function stringsOf(step: StepNode): string[] {
  const out: string[] = [];
  const collect = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) collect(x, depth + 1);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x, depth + 1);
  };
  for (const o of step.options) collect(o.value, 0);
  const action = (step.xml as { action?: unknown } | undefined)?.action;
  collect(action, 0);
  return out;
}

/** MDT variables the sequence reads that neither ConfigMgr nor a step of the sequence sets. */
function stillRead(doc: TsqDocument): StillRead[] {
  const set = new Set(variableWrites(doc).map((w) => w.name.toLowerCase()));
  const byName = new Map<string, StillRead>();
  for (const r of variableReads(doc)) {
    const lower = r.name.toLowerCase();
    if (set.has(lower) || isBuiltInVariable(r.name)) continue;
    const v = findMdtVariable(r.name);
    if (!v) continue;
    const entry = byName.get(lower) ?? {
      name: r.name,
      origin: v.origin,
      setBy: v.setBy,
      now: withoutMdt(v),
      docs: v.docs,
      readBy: [],
    };
    const path = pathOf(r.node);
    if (!entry.readBy.includes(path)) entry.readBy.push(path);
    byName.set(lower, entry);
  }
  return [...byName.values()];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function countsLine(c: Record<MigrationStatus, number>): string {
  return `${c.migrated} migrated, ${c.review} to review, ${c.kept} kept`;
}

/** The report as text for a terminal. */
export function formatReportText(report: MigrationReport): string {
  const lines: string[] = [];
  for (const s of report.sequences) {
    lines.push(`${s.file}${s.out ? ` → ${s.out}` : ''}${s.name ? `  (${s.name})` : ''}`);
    lines.push(`  ${s.steps.length ? countsLine(s.counts) : 'no step depends on MDT'}`);
    for (const step of s.steps) {
      lines.push(`  ${step.status.padEnd(8)} ${step.path}: ${step.from} → ${step.to}`);
      if (step.status !== 'migrated' || step.reason) lines.push(`           ${step.reason}`);
    }
    if (s.scripts.length)
      lines.push(`  MDT scripts still run: ${s.scripts.map((x) => `${x.name} (${x.steps.join('; ')})`).join(', ')}`);
    if (s.sharePaths.length)
      lines.push(
        `  Deployment share paths still read: ${s.sharePaths.map((x) => `${x.name} (${x.steps.join('; ')})`).join(', ')}`,
      );
    if (s.variables.length) {
      lines.push('  MDT variables still read:');
      for (const v of s.variables)
        lines.push(`    ${v.name}, set by ${v.setBy}, read by ${v.readBy.join('; ')}. ${v.now}`);
    }
    if (s.problems.length) {
      lines.push(`  ${plural(s.problems.length, 'error')} in the migrated file:`);
      for (const p of s.problems) lines.push(`    line ${p.line} [${p.code}] ${p.message}`);
    }
    lines.push('');
  }
  lines.push(totalLine(report));
  return lines.join('\n') + '\n';
}

export function totalLine(report: MigrationReport): string {
  const c: Record<MigrationStatus, number> = { migrated: 0, review: 0, kept: 0 };
  for (const s of report.steps) c[s.status]++;
  return `${plural(report.sequences.length, 'sequence')}: ${countsLine(c)}.`;
}
