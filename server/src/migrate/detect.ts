// Which steps of a sequence depend on MDT, and how: an MDT step type (Gather, Use Toolkit
// Package, …), a command line or step action that runs an MDT script (`ZTI*.wsf`, `LTI*.wsf`),
// a path into the deployment share or toolkit folder (`%SCRIPTROOT%`, `%DEPLOYROOT%`, …, or
// MDT's ZTIUtility), or a native step written the way MDT writes it (a command line without a
// step type, a restart without a target). Each finding carries the mapping table entry that
// says what replaces it. The lint rule, hover, quick fixes and `tsq migrate` all start here.

import type { TsqDocument } from '../model/document';
import { option, walk, type SequenceModel, type StepNode } from '../model/sequence';
import { firstValueOf, type YMap, type YNode } from '../model/yaml/nodes';
import { effectivePairs, resolve } from '../model/yaml/expand';
import { findStep } from '../catalog';
import { moveSpan, perNode } from '../semantics/node-cache';
import { entryForAction, entryForForm, entryForScript, entryForShare, type MappingEntry, type MdtForm } from './table';

export type MdtUse =
  | { kind: 'step' }
  | { kind: 'script'; script: string; args: string; via: 'command' | 'action' }
  | { kind: 'share'; path: string }
  | { kind: 'form'; form: MdtForm };

export interface MdtDependency {
  use: MdtUse;
  entry: MappingEntry;
  /** Where to point at it: the action, the command line, the MDT action kept under `xml:`, or the name. */
  start: number;
  end: number;
}

/** An MDT script and the rest of the command line after it. */
const SCRIPT = /(?:^|[\\/"'\s=])((?:ZTI|LTI)[A-Za-z0-9_-]*\.wsf)\b["']?(.*)$/i;
const SCRIPT_NAME = /(?:^|[\\/"'\s=])((?:ZTI|LTI)[A-Za-z0-9_-]*\.wsf)\b/i;
/** The variables MDT points at its deployment share, toolkit folder and their drives with; or its script library. */
const SHARE =
  /%(?:SCRIPTROOT|DEPLOYROOT|TOOLROOT|RESOURCEROOT|DEPLOYDRIVE|RESOURCEDRIVE)%[^\s"']*|\bZTIUtility(?:\.vbs|\.psm1)?\b/i;

/** The MDT script `text` (a command line) runs, if any. */
export function mdtScriptIn(text: string): { script: string; args: string } | undefined {
  const m = SCRIPT.exec(text);
  return m ? { script: m[1], args: m[2].trim() } : undefined;
}

/** The first deployment share path (or ZTIUtility use) in `text`, if any. */
export function sharePathIn(text: string): string | undefined {
  return SHARE.exec(text)?.[0];
}

/** Every MDT script and every deployment share path (or ZTIUtility use) `text` names, in order. */
export function mdtReferencesIn(text: string): { scripts: string[]; paths: string[] } {
  const scripts = [...text.matchAll(new RegExp(SCRIPT_NAME.source, 'gi'))].map((m) => m[1]);
  const paths = [...text.matchAll(new RegExp(SHARE.source, 'gi'))].map((m) => m[0]);
  return { scripts, paths };
}

/** How `step` depends on MDT (memoised per step; do not modify or keep the result). */
export function mdtDependency(doc: TsqDocument, step: StepNode): MdtDependency | undefined {
  return dependencyOf(step, () => {
    const found = findDependency(doc, step);
    return found ? [found] : [];
  })[0];
}

const dependencyOf = perNode<MdtDependency>(moveSpan);

/** Every step of the sequence that depends on MDT, in document order. */
export function mdtDependencies(doc: TsqDocument): { step: StepNode; dependency: MdtDependency }[] {
  if (doc.kind !== 'sequence' || !doc.model) return [];
  const out: { step: StepNode; dependency: MdtDependency }[] = [];
  for (const n of walk((doc.model as SequenceModel).steps)) {
    if (n.kind !== 'step') continue;
    const dependency = mdtDependency(doc, n);
    if (dependency) out.push({ step: n, dependency });
  }
  return out;
}

/** Whether the sequence runs MDT steps or scripts or reads the deployment share (MDT's variables are then known). */
export function usesMdt(doc: TsqDocument): boolean {
  return mdtDependencies(doc).some((d) => d.dependency.use.kind !== 'form');
}

function findDependency(doc: TsqDocument, step: StepNode): MdtDependency | undefined {
  const where = step.actionSpan ?? step.nameSpan;
  const at = (span: { start: number; end: number }) => ({ start: span.start, end: span.end });
  if (findStep(step.action)?.source === 'mdt' && step.action === findStep(step.action)?.key) {
    const entry = entryForAction(step.action);
    if (entry) return { use: { kind: 'step' }, entry, ...at(where) };
  }
  const xml = step.xml as { action?: unknown; type?: unknown; variables?: unknown } | undefined;
  if (xml && typeof xml.action === 'string') {
    const run = mdtScriptIn(xml.action);
    if (run)
      return {
        use: { kind: 'script', ...run, via: 'action' },
        entry: entryForScript(run.script, run.args),
        ...at(xmlActionSpan(doc, step) ?? where),
      };
  }
  const commandLine = option(step, 'commandLine');
  if (commandLine && typeof commandLine.value === 'string') {
    const run = mdtScriptIn(commandLine.value);
    if (run)
      return {
        use: { kind: 'script', ...run, via: 'command' },
        entry: entryForScript(run.script, run.args),
        ...at(commandLine.span),
      };
  }
  for (const o of step.options) {
    const path = typeof o.value === 'string' ? sharePathIn(o.value) : undefined;
    if (path) return { use: { kind: 'share', path }, entry: entryForShare(), ...at(o.span) };
  }
  if (xml && xml.type === null && step.action === 'RunCommandLine')
    return { use: { kind: 'form', form: 'untyped-command' }, entry: entryForForm('untyped-command'), ...at(where) };
  if (step.action === 'RestartComputer' && !option(step, 'target') && keptVariable(xml, 'Target') !== undefined) {
    return { use: { kind: 'form', form: 'restart' }, entry: entryForForm('restart'), ...at(where) };
  }
  return undefined;
}

/** The value of a variable an import kept verbatim under the step's `xml.variables` (name compared without case). */
export function keptVariable(xml: unknown, name: string): string | undefined {
  const list = (xml as { variables?: unknown } | undefined)?.variables;
  if (!Array.isArray(list)) return undefined;
  for (const v of list) {
    const item = v as { name?: unknown; value?: unknown };
    if (typeof item.name === 'string' && item.name.toLowerCase() === name.toLowerCase())
      return typeof item.value === 'string'
        ? item.value
        : typeof item.value === 'number' || typeof item.value === 'boolean'
          ? String(item.value)
          : '';
  }
  return undefined;
}

/** The span of the step's `xml: { action: … }` value. */
function xmlActionSpan(doc: TsqDocument, step: StepNode): { start: number; end: number } | undefined {
  const xml = pairValue(doc, step.node, 'xml');
  const action = xml && xml.kind === 'map' ? pairValue(doc, xml, 'action') : undefined;
  return action ? { start: action.start, end: action.end } : undefined;
}

function pairValue(doc: TsqDocument, map: YMap, key: string): YNode | undefined {
  return resolve(firstValueOf(effectivePairs(map, doc.budget), key), doc.budget);
}
