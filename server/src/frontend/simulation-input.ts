// What a simulated run needs, read and checked before it starts; shared by `tsq simulate` and the
// debug adapter. Reading: the sequence with the tsq files beside it (catalogs) and the child
// sequences it runs, the machine profile, the deployment and the media, refused with a UsageError
// when a file is missing, of the wrong kind, or does not fit the others. Checking: the sequence
// and every child it runs pass lint without errors, and so do the machine profile, the deployment
// and the media (only the rules that can report an error run: analysis/run-blocking-errors.ts);
// the machine's outcomes name steps that exist (a warning otherwise).

import * as path from 'node:path';
import type { TsqDocument } from '../model/document';
import type { SequenceModel } from '../model/sequence';
import { walk } from '../model/sequence';
import type { MachineModel } from '../model/machine';
import type { DeploymentModel } from '../model/deployment';
import type { MediaModel } from '../model/media';
import type { Workspace } from '../semantics/workspace';
import { reachableSequenceDocs } from '../semantics/sequence-closure';
import { resolveTarget, targetSequence } from '../semantics/deployment-targets';
import { runBlockingErrors } from '../analysis/run-blocking-errors';
import type { Diagnostic } from '../analysis/diagnostic';
import { mediaRunProblem } from '../simulator/media-run';
import { readDocument } from '../files/load';
import { loadPaths, requireFile } from './load-paths';
import { displayPath } from './diagnostic-report';
import { UsageError } from './usage-error';

export interface SimulationInput {
  ws: Workspace;
  sequence: TsqDocument;
  machine?: TsqDocument;
  deployment?: TsqDocument;
  /** The media the run starts from. */
  media?: TsqDocument;
}

/** A problem with the kind of a file, in words for the user; undefined when the files fit. */
function kindProblem(input: SimulationInput): string | undefined {
  const what = (d: TsqDocument) =>
    d.kind ? `a ${d.kind} file` : d.text.trim() === '' ? 'empty' : 'not a tsq file (no `sequence:`, `machine:`, … key)';
  if (input.sequence.kind !== 'sequence') return `${input.sequence.id} is ${what(input.sequence)}, not a sequence.`;
  if (input.machine && input.machine.kind !== 'machine')
    return `${input.machine.id} is ${what(input.machine)}, not a machine profile.`;
  if (input.deployment && input.deployment.kind !== 'deployment')
    return `${input.deployment.id} is ${what(input.deployment)}, not a deployment.`;
  if (input.media && input.media.kind !== 'media')
    return `${input.media.id} is ${what(input.media)}, not a media file.`;
  return undefined;
}

/**
 * Lint findings that stop a run (errors in the sequence, its children, the machine profile, the
 * deployment or the media) followed by warnings about the machine profile (outcomes that name no step).
 */
export function validateInput(input: SimulationInput): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const docs = [
    ...reachableSequenceDocs(input.ws, input.sequence),
    ...(input.machine ? [input.machine] : []),
    ...(input.deployment ? [input.deployment] : []),
    ...(input.media ? [input.media] : []),
  ];
  const errors: Diagnostic[] = [];
  for (const d of docs) errors.push(...runBlockingErrors(input.ws, d));
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

function readOptional(file: string | undefined): TsqDocument | undefined {
  if (!file) return undefined;
  requireFile(file);
  return notRefused(readDocument(file));
}

/** `doc`, unless it was not read at all (too large, not text): then a usage error saying why. */
function notRefused(doc: TsqDocument): TsqDocument {
  if (!doc.refused) return doc;
  const p = doc.problems[0];
  throw new UsageError(`${displayPath(doc.id)}: ${p.message}${p.hint ? ` ${p.hint}` : ''}`);
}

export interface SimulationFiles {
  /** The sequence; default the deployment's, else the media's. */
  sequence?: string;
  machine?: string;
  deployment?: string;
  media?: string;
}

/** The file a deployment or media names under `sequence:`, as a path on disk. */
function sequencePathOf(doc: TsqDocument): string | undefined {
  const ref = (doc.model as DeploymentModel | MediaModel | undefined)?.sequence?.value.trim();
  return ref ? path.resolve(path.dirname(doc.id), ref) : undefined;
}

/**
 * Reads what a simulated run needs: the sequence with the tsq files beside it (catalogs) and the
 * child sequences it runs, the machine profile, the deployment and the media. Throws UsageError
 * for missing files, files of the wrong kind and files that do not fit together.  */
export function loadSimulationFiles(files: SimulationFiles): SimulationInput {
  const deployment = readOptional(files.deployment);
  const media = readOptional(files.media);
  for (const [doc, kind] of [
    [deployment, 'deployment'],
    [media, 'media'],
  ] as const) {
    if (doc && doc.kind !== kind)
      throw new UsageError(
        `${doc.id} is ${doc.kind ? `a ${doc.kind} file` : 'not a tsq file'}, not a ${kind === 'media' ? 'media file' : 'deployment'}.`,
      );
  }
  const mediaProblem = media?.model ? mediaRunProblem(media.model as MediaModel, !!deployment) : undefined;
  if (mediaProblem) throw new UsageError(`${displayPath(media!.id)}: ${mediaProblem}.`);
  const file =
    files.sequence ??
    (deployment ? sequencePathOf(deployment) : undefined) ??
    (media ? sequencePathOf(media) : undefined);
  if (!file)
    throw new UsageError(
      deployment || media
        ? `${displayPath((deployment ?? media)!.id)} names no sequence: give the sequence file to simulate.`
        : 'Give the sequence file to simulate.',
    );
  requireFile(file);
  const { ws, targets } = loadPaths([file]);
  const input: SimulationInput = { ws, sequence: notRefused(ws.get(targets[0])!) };
  const adopt = (doc: TsqDocument) => {
    const existing = ws.get(doc.id);
    if (!existing) ws.upsert(doc);
    return existing ?? doc;
  };
  if (deployment) input.deployment = adopt(deployment);
  if (media) input.media = adopt(media);
  let machineFile = files.machine;
  const mediaMachine = input.media?.model && (input.media.model as MediaModel).machines[0];
  if (!machineFile && mediaMachine) machineFile = resolveTarget(ws, input.media!, mediaMachine)?.path;
  const machine = readOptional(machineFile);
  if (machine) input.machine = adopt(machine);
  const wrongKind = kindProblem(input);
  if (wrongKind) throw new UsageError(wrongKind);
  // The sequence given must be the one the deployment deploys (or the media carries).
  for (const carrier of [input.deployment, input.deployment ? undefined : input.media]) {
    if (!carrier?.model) continue;
    const target = targetSequence(ws, carrier, (carrier.model as DeploymentModel | MediaModel).sequence);
    if (target && target.id !== input.sequence.id)
      throw new UsageError(
        `${displayPath(carrier.id)} runs ${displayPath(target.id)}, not ${displayPath(input.sequence.id)}.`,
      );
  }
  return input;
}
