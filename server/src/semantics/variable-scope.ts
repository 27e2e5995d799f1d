// Which variable names are known at a point of a sequence: built-in ConfigMgr variables (and the
// indexed forms of array variables), Windows environment variables, MDT variables when the
// sequence runs MDT's Gather, and everything written before that point — in this file, by parent
// sequences before they run this one, and as collection or machine variables in the workspace.

import type { TsqDocument } from '../model/document';
import type { SequenceModel } from '../model/sequence';
import { walk } from '../model/sequence';
import type { Workspace } from './workspace';
import { childCalls } from './children';
import { variableWrites, type VariableWrite } from './variable-flow';
import { variableDef, builtInVariableNames } from './knowledge';
import external from './data/external-variables.json';

const WINDOWS = new Set(external.windows.map((n) => n.toLowerCase()));
const MDT = new Set(external.mdt.map((n) => n.toLowerCase()));

export interface VariableScope {
  isKnownAt(name: string, offset: number): boolean;
  /** Names a reader at `offset` could mean (for "did you mean"): written before it in this file or outside it. */
  namesBefore(offset: number): string[];
}

export function isBuiltInVariable(name: string): boolean {
  return !!variableDef(name) || WINDOWS.has(name.toLowerCase());
}

/** Names set outside the file before it runs: by parents before their call, and by collections and machines. */
export function inheritedVariables(ws: Workspace, doc: TsqDocument, seen = new Set<string>()): VariableWrite[] {
  if (seen.has(doc.id)) return [];
  seen.add(doc.id);
  const out: VariableWrite[] = [];
  for (const other of ws.all()) {
    if (other.kind === 'machine' || other.kind === 'catalog') {
      out.push(...variableWrites(other));
      continue;
    }
    if (other.kind !== 'sequence' || !other.model || other.id === doc.id) continue;
    for (const call of childCalls(ws, other.id, other.model as SequenceModel)) {
      if (call.target.doc?.id !== doc.id) continue;
      out.push(...variableWrites(other).filter((w) => w.effectiveFrom <= call.step.span.start));
      out.push(...inheritedVariables(ws, other, seen));
    }
  }
  return out;
}

export function knownVariables(ws: Workspace, doc: TsqDocument): VariableScope {
  const own = variableWrites(doc);
  const inherited = inheritedVariables(ws, doc);
  const outside = new Set(inherited.map((w) => w.name.toLowerCase()));
  // Earliest point from which each name (lower case) is set in this file.
  const firstSet = new Map<string, number>();
  for (const w of own) {
    const k = w.name.toLowerCase();
    const prev = firstSet.get(k);
    if (prev === undefined || w.effectiveFrom < prev) firstSet.set(k, w.effectiveFrom);
  }
  const prefixes = [...own, ...inherited].filter((w) => w.prefix);
  const model = doc.model as SequenceModel | undefined;
  let gatherAt = Infinity;
  if (model) for (const n of walk(model.steps)) if (n.kind === 'step' && n.action === 'Gather') { gatherAt = n.span.start; break; }
  return {
    isKnownAt(name, offset) {
      const lower = name.toLowerCase();
      if (isBuiltInVariable(name) || outside.has(lower)) return true;
      if (MDT.has(lower) && gatherAt < offset) return true;
      const from = firstSet.get(lower);
      if (from !== undefined && from <= offset) return true;
      return prefixes.some((w) => w.effectiveFrom <= offset && lower.startsWith(w.name.toLowerCase()));
    },
    namesBefore(offset) {
      const names = new Set<string>();
      for (const w of own) if (w.effectiveFrom <= offset) names.add(w.name);
      for (const w of inherited) names.add(w.name);
      for (const n of builtInVariableNames()) names.add(n);
      return [...names];
    },
  };
}
