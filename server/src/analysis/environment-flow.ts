// Where a sequence runs — Windows PE or the installed OS — followed step by step, for the rules that
// judge placement (run-environment, setup-windows-in-full-os, winpe-without-boot-image). The walk
// narrows on `_SMSTSInWinPE` conditions, changes at Restart Computer and Setup Windows and
// ConfigMgr, and carries the state into and out of child sequences. A sequence that no other one
// in the workspace runs starts where its deployment can start it: in Windows PE only when it has
// a boot image ("For any deployment that requires a boot image, specify it on the parent task
// sequence", https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps#child-task-sequence;
// `_SMSTSBootImageID` "isn't set" without one), else in the full OS. The walk runs once per
// analysis of a file and the rules share it.

import type { RuleContext } from './rule';
import type { SequenceModel, SeqNode, StepNode } from '../model/sequence';
import { option } from '../model/sequence';
import type { TsqDocument } from '../model/document';
import type { MediaModel } from '../model/media';
import type { RunEnvironment } from '../catalog/types';
import type { Workspace } from '../semantics/workspace';
import { stepDef } from '../semantics/knowledge';
import { requiredEnvironment } from '../semantics/condition-facts';
import { childCalls } from '../semantics/children';

export type Env = 'WinPE' | 'FullOS';

export const ENV_LABEL: Record<Env, string> = { WinPE: 'Windows PE', FullOS: 'the full OS' };

/** Why the sequence is in the full OS at its start: it has no boot image to start Windows PE from. */
export const NO_BOOT_IMAGE = '\u0000no boot image';

/** Where the engine may be, and which step put it there (for messages; NO_BOOT_IMAGE at the start). */
type EnvState = Map<Env, string>;

const BOTH = (): EnvState => new Map<Env, string>([['WinPE', ''], ['FullOS', '']]);

/** The sequence is in the full OS only because it has no boot image to start Windows PE from. */
function withoutBootImage(env: EnvState): boolean {
  return env.size === 1 && env.get('FullOS') === NO_BOOT_IMAGE;
}

function allows(runIn: RunEnvironment, env: Env): boolean {
  return runIn === 'WinPEandFullOS' || runIn === env;
}

function union(a: EnvState, b: EnvState): EnvState {
  const out = new Map(a);
  for (const [k, v] of b) if (!out.has(k)) out.set(k, v);
  return out;
}

export type PlacementKind =
  /** A step that runs only in one environment, where the sequence is in the other. */
  | 'wrong-environment'
  /** The documentation names another environment than ConfigMgr writes (a warning). */
  | 'documented-environment'
  /** Setup Windows and ConfigMgr where the sequence is already in the full OS. */
  | 'setup-in-full-os'
  /** A Windows PE step, or a restart into Windows PE, in a sequence without a boot image. */
  | 'no-boot-image';

export interface Placement {
  kind: PlacementKind;
  step: StepNode;
  doc: TsqDocument;
  /** The environment the step needs, and the one the sequence is in (with the step that put it there). */
  needs?: Env;
  isIn: Env;
  since: string;
}

class Walker {
  readonly found: Placement[] = [];
  private readonly active = new Set<string>();

  constructor(private readonly ws: Workspace) {}

  sequence(doc: TsqDocument, env: EnvState): EnvState {
    if (this.active.has(doc.id) || this.active.size > 16) return BOTH();
    this.active.add(doc.id);
    try {
      return this.nodes(doc, (doc.model as SequenceModel).steps, env);
    } finally {
      this.active.delete(doc.id);
    }
  }

  private nodes(doc: TsqDocument, nodes: SeqNode[], env: EnvState): EnvState {
    let cur = env;
    for (const node of nodes) {
      if (node.disabled) continue;
      let inside = cur;
      const req = node.when ? requiredEnvironment(node.when.text) : undefined;
      if (req) {
        if (!cur.has(req)) {
          // The condition cannot be true here: the node never runs. In a sequence without a boot
          // image what waits for Windows PE never does, and its Windows PE steps are reported.
          if (req === 'WinPE' && withoutBootImage(cur)) {
            if (node.kind === 'group') this.nodes(doc, node.steps, cur);
            else this.step(doc, node, cur);
          }
          continue;
        }
        inside = new Map([[req, cur.get(req) ?? '']]);
      }
      const after = node.kind === 'group' ? this.nodes(doc, node.steps, inside) : this.step(doc, node, inside);
      // A node that may be skipped or may stop half-way leaves either state behind; a step whose
      // failure ends the run whatever continue on error says (Setup Windows and ConfigMgr) does not.
      const continues = node.continueOnError && !(node.kind === 'step' && stepDef(node.action)?.failureFailsSequence);
      cur = node.when || continues ? union(cur, after) : after;
    }
    return cur;
  }

  private step(doc: TsqDocument, step: StepNode, env: EnvState): EnvState {
    const def = stepDef(step.action);
    if (!def) return env;
    const possible = [...env.keys()];
    const onlyIn = possible.length === 1 ? possible[0] : undefined;
    const noBootImage = withoutBootImage(env);
    const report = (kind: PlacementKind, needs?: Env) => this.found.push({ kind, step, doc, needs, isIn: possible[0], since: env.get(possible[0]) ?? '' });
    if (possible.length > 0 && possible.every((e) => !allows(def.runIn, e))) {
      report(noBootImage ? 'no-boot-image' : 'wrong-environment', def.runIn as Env);
    } else if (def.docEnvironment && def.docEnvironment !== def.runIn && possible.length > 0 && possible.every((e) => !allows(def.docEnvironment!, e))) {
      report('documented-environment', def.docEnvironment as Env);
    }
    switch (step.action) {
      case 'RestartComputer': {
        const t = option(step, 'target');
        const target = typeof t?.value === 'string' ? t.value.toLowerCase() : undefined;
        if (target === 'winpe') {
          // Without a boot image the restart fails the run: the walk stays where it was.
          if (noBootImage) {
            report('no-boot-image', 'WinPE');
            return env;
          }
          return new Map([['WinPE', step.name]]);
        }
        if (target === 'hd') return new Map([['FullOS', step.name]]);
        return BOTH();
      }
      case 'SetupWindowsAndConfigMgr':
        if (onlyIn === 'FullOS') report(noBootImage ? 'no-boot-image' : 'setup-in-full-os', 'WinPE');
        return new Map([['FullOS', step.name]]);
      case 'RunTaskSequence': {
        const call = childCalls(this.ws, doc.id, { steps: [step] } as SequenceModel)[0];
        const child = call?.target.doc;
        return child && child.kind === 'sequence' && child.model ? this.sequence(child, env) : env;
      }
      default:
        return env;
    }
  }
}

/** Whether another sequence of the workspace runs `doc`, or a media file carries it (which may start Windows PE itself). */
function startedElsewhere(ws: Workspace, doc: TsqDocument): boolean {
  for (const other of ws.all()) {
    if (other === doc || !other.model) continue;
    if (other.kind === 'sequence' && childCalls(ws, other.id, other.model as SequenceModel).some((c) => c.target.doc?.id === doc.id)) return true;
    if (other.kind === 'media') {
      const ref = (other.model as MediaModel).sequence?.value.trim();
      if (ref && ws.resolvePath(other.id, ref).doc?.id === doc.id) return true;
    }
  }
  return false;
}

/** Where the top of `doc` can run when it starts. */
function startState(ws: Workspace, doc: TsqDocument): EnvState {
  const model = doc.model as SequenceModel;
  if (model.bootImage?.value.trim() || startedElsewhere(ws, doc)) return BOTH();
  return new Map([['FullOS', NO_BOOT_IMAGE]]);
}

/** Every placement problem of the file being analysed and of the children it runs (computed once per analysis). */
export function placements(ctx: RuleContext): Placement[] {
  return ctx.memo('environment-flow', () => {
    const w = new Walker(ctx.ws);
    w.sequence(ctx.doc, startState(ctx.ws, ctx.doc));
    return w.found;
  });
}

/** “ (since “Restart into Windows PE”)” for messages; nothing at the start of the sequence. */
export function sinceText(since: string): string {
  if (since === NO_BOOT_IMAGE) return ' (it has no boot image)';
  return since ? ` (since “${since}”)` : '';
}

/** What a rule says about one placement problem of its kind; undefined for other kinds. */
export type PlacementWords = (p: Placement) => { message: string; hint: string; severity?: 'warning' } | undefined;

/**
 * Reports a rule's placement problems: those in the file at the step's action, those inside the
 * child sequences it runs (errors only, the first of each child) at the Run Task Sequence step that
 * leads to them.
 */
export function reportPlacements(ctx: RuleContext, words: PlacementWords): void {
  const found = placements(ctx);
  for (const p of found) {
    if (p.doc.id !== ctx.doc.id) continue;
    const w = words(p);
    if (!w) continue;
    const span = p.step.actionSpan ?? p.step.nameSpan;
    ctx.report({ start: span.start, end: span.end, message: w.message, hint: w.hint, severity: w.severity });
  }
  for (const call of childCalls(ctx.ws, ctx.doc.id, ctx.doc.model as SequenceModel)) {
    for (const p of found) {
      if (p.doc.id === ctx.doc.id || p.doc.id !== call.target.doc?.id) continue;
      const w = words(p);
      if (!w || w.severity) continue;
      ctx.report({ start: call.refStart, end: call.refEnd, message: `In this child sequence, step “${p.step.name}”: ${w.message}`, hint: w.hint });
      break;
    }
  }
}
