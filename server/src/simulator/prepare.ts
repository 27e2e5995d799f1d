// Everything a front end checks before a simulated run: the files are of the right kinds, the
// sequence and every child it runs pass lint without errors, the machine profile and deployment
// have no unknown keys, and the machine's outcomes name steps that exist (a warning otherwise).
// Also turns a deployment file into run options. Files are already in the workspace: this module
// reads no disk.

import type { TsqDocument } from '../model/document';
import type { SequenceModel } from '../model/sequence';
import { walk } from '../model/sequence';
import type { MachineModel } from '../model/machine';
import { contentOptionOf, type DeploymentModel } from '../model/deployment';
import type { Workspace } from '../semantics/workspace';
import { analyzeDocument } from '../analysis/analyze';
import { childCalls } from '../semantics/children';
import type { Diagnostic } from '../analysis/diagnostic';
import type { SimulationOptions } from './types';

export interface SimulationInput {
  ws: Workspace;
  sequence: TsqDocument;
  machine?: TsqDocument;
  deployment?: TsqDocument;
  /** The media the run starts from. */
  media?: TsqDocument;
}

/** The sequence and, transitively, the child sequences it runs that are in the workspace. */
export function reachableSequenceDocs(ws: Workspace, root: TsqDocument): TsqDocument[] {
  const out = [root];
  const seen = new Set([root.id]);
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    if (d.kind !== 'sequence' || !d.model) continue;
    for (const call of childCalls(ws, d.id, d.model as SequenceModel)) {
      const c = call.target.doc;
      if (c && !seen.has(c.id)) {
        seen.add(c.id);
        out.push(c);
      }
    }
  }
  return out;
}

/** A problem with the kind of a file, in words for the user; undefined when the files fit. */
export function kindProblem(input: SimulationInput): string | undefined {
  const what = (d: TsqDocument) => (d.kind ? `a ${d.kind} file` : 'not a tsq file');
  if (input.sequence.kind !== 'sequence') return `${input.sequence.id} is ${what(input.sequence)}, not a sequence.`;
  if (input.machine && input.machine.kind !== 'machine') return `${input.machine.id} is ${what(input.machine)}, not a machine profile.`;
  if (input.deployment && input.deployment.kind !== 'deployment') return `${input.deployment.id} is ${what(input.deployment)}, not a deployment.`;
  if (input.media && input.media.kind !== 'media') return `${input.media.id} is ${what(input.media)}, not a media file.`;
  return undefined;
}

/**
 * Lint findings that stop a run (errors in the sequence, its children, the machine profile, the
 * deployment or the media) followed by warnings about the machine profile (outcomes that name no step).
 */
export function validateInput(input: SimulationInput): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const docs = [...reachableSequenceDocs(input.ws, input.sequence), ...(input.machine ? [input.machine] : []), ...(input.deployment ? [input.deployment] : []), ...(input.media ? [input.media] : [])];
  const errors: Diagnostic[] = [];
  for (const d of docs) errors.push(...analyzeDocument(input.ws, d).filter((x) => x.severity === 'error'));
  const warnings: Diagnostic[] = [];
  const machine = input.machine?.model as MachineModel | undefined;
  if (input.machine && machine?.kind === 'machine' && machine.outcomes.length) {
    const known = new Set<string>();
    for (const d of reachableSequenceDocs(input.ws, input.sequence)) {
      for (const n of walk((d.model as SequenceModel | undefined)?.steps ?? [])) {
        if (n.kind !== 'step') continue;
        known.add(n.name);
        if (n.id) known.add(n.id.value);
      }
    }
    for (const o of machine.outcomes) {
      if (known.has(o.target)) continue;
      warnings.push({
        docId: input.machine.id,
        start: o.targetSpan.start,
        end: o.targetSpan.end,
        severity: 'warning',
        code: 'unused-outcome',
        message: `No step of the sequence has the id or name \`${o.target}\`, so this outcome is never used.`,
        hint: 'Outcomes match a step’s `id:` or its exact `name:`.',
      });
    }
  }
  return { errors, warnings };
}

/**
 * Run options a deployment file implies: its content option (`content:` with one of the
 * simulator's modes) and the variables of the collection it targets, from the catalog.
 */
export function deploymentOptions(ws: Workspace, deployment: TsqDocument | undefined): SimulationOptions {
  const model = deployment?.model as DeploymentModel | undefined;
  if (!model || model.kind !== 'deployment') return {};
  const out: SimulationOptions = { deploymentId: model.id?.value ?? model.name, content: contentOptionOf(model) };
  const collection = model.collection ? ws.catalog.collection(model.collection.value) : undefined;
  const vars = collection?.raw.variables;
  if (vars && typeof vars === 'object' && !Array.isArray(vars)) {
    out.collectionVariables = Object.fromEntries(Object.entries(vars as Record<string, unknown>).filter(([, v]) => v !== null && typeof v !== 'object').map(([k, v]) => [k, String(v)]));
  }
  return out;
}
