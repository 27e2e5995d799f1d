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
import { option, walk } from '../model/sequence';
import type { TsqDocument } from '../model/document';
import type { MediaModel } from '../model/media';
import type { DeploymentModel } from '../model/deployment';
import type { RunEnvironment } from '../catalog/types';
import type { Workspace } from '../semantics/workspace';
import { stepDef } from '../semantics/knowledge';
import { requiredEnvironment } from '../semantics/condition-facts';
import { childCalls } from '../semantics/children';
import { childGraph, type ChildGraph } from '../semantics/child-graph';
import { eachNode, valueText, type NodeReads } from './node-reads';

export type Env = 'WinPE' | 'FullOS';

export const ENV_LABEL: Record<Env, string> = { WinPE: 'Windows PE', FullOS: 'the full OS' };

/** Why the sequence is in the full OS at its start: it has no boot image to start Windows PE from. */
export const NO_BOOT_IMAGE = '\u0000no boot image';

/** Where the engine may be, and which step put it there (for messages; NO_BOOT_IMAGE at the start). */
type EnvState = Map<Env, string>;

const BOTH = (): EnvState => new Map<Env, string>().set('WinPE', '').set('FullOS', '');

/** The sequence is in the full OS only because it has no boot image to start Windows PE from. */
function withoutBootImage(env: EnvState): boolean {
  return env.size === 1 && env.get('FullOS') === NO_BOOT_IMAGE;
}

function allows(runIn: RunEnvironment, env: Env): boolean {
  return runIn === 'WinPEandFullOS' || runIn === env;
}

/** Whether a step that runs in `runIn` may run in one of the environments of `env`. */
function allowsAny(runIn: RunEnvironment, env: EnvState): boolean {
  return (env.has('WinPE') && allows(runIn, 'WinPE')) || (env.has('FullOS') && allows(runIn, 'FullOS'));
}

/** A state of one environment (a Map made from a list of pairs goes through the list's iterator). */
function only(e: Env, why: string): EnvState {
  return new Map<Env, string>().set(e, why);
}

/** Either state; `a` itself when `b` adds nothing to it (states are never changed once made). */
function union(a: EnvState, b: EnvState): EnvState {
  let adds = false;
  for (const k of b.keys()) if (!a.has(k)) adds = true;
  if (!adds) return a;
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

/** The actions `Walker.step` follows: they move the sequence between environments, or into a child. */
const MOVES_ENVIRONMENT: ReadonlySet<string> = new Set([
  'RestartComputer',
  'PrepareWindowsForCapture',
  'SetupWindowsAndConfigMgr',
  'RunTaskSequence',
]);

/** Stand-ins, in a shared walk of a child, for the caller's steps that put it in each environment. */
const CALLERS_STEP: Record<Env, string> = { WinPE: '\u0000caller: WinPE', FullOS: '\u0000caller: FullOS' };

/** Children are followed this many levels deep; below that the environment is taken as unknown. */
const MAX_FOLLOWED_DEPTH = 16;

/** What walking one sequence's own steps found: the environment after it, and its steps' placements. */
interface Walked {
  after: EnvState;
  found: Placement[];
}

/**
 * Walks of child sequences, shared by the checks of every file of one workspace revision: a
 * sequence entered in the same environment at the same depth is walked once, however many parents
 * (and paths through shared grandchildren) lead to it. Walking every path again took time
 * exponential in the depth for children that share grandchildren, level after level. With them,
 * the sequences media files carry (they may start Windows PE themselves).
 */
const byWorkspace = new WeakMap<Workspace, SharedWalks>();

interface SharedWalks {
  generation: number;
  /** By child sequence, then by depth and entered state (`depth * STATE_CODES + stateCode(env)`). */
  walked: Map<string, Walked[]>;
  named?: Map<'media' | 'deployment', Set<string>>;
}

function workspaceShared(ws: Workspace): SharedWalks {
  let known = byWorkspace.get(ws);
  if (!known || known.generation !== ws.generation)
    byWorkspace.set(ws, (known = { generation: ws.generation, walked: new Map() }));
  return known;
}

/**
 * What of a state entering a child steers its walk, as a number below STATE_CODES: which
 * environments, in their order, and whether "no boot image" is why (each entry one of four digits
 * in base 5, so every state has its own). A key text per Run Task Sequence step walked, made only
 * to be looked up, cost more than the walks it found on a workspace of many children.
 */
function stateCode(env: EnvState): number {
  let code = 0;
  for (const [e, why] of env) code = code * 5 + (e === 'WinPE' ? 1 : 2) + (why === NO_BOOT_IMAGE ? 2 : 0);
  return code;
}

/** Two entries of four digits each, in base 5. */
const STATE_CODES = 25;

class Walker {
  readonly found: Placement[] = [];
  private shared?: { graph: ChildGraph; walked: Map<string, Walked[]> };

  constructor(private readonly ctx: RuleContext) {}

  /** The child graph and the shared walks, looked up only for a file that runs children. */
  private get children(): { graph: ChildGraph; walked: Map<string, Walked[]> } {
    this.shared ??= { graph: childGraph(this.ctx.ws), walked: workspaceShared(this.ctx.ws).walked };
    return this.shared;
  }

  /** The checked file itself: walked afresh. */
  root(doc: TsqDocument, env: EnvState): EnvState {
    return this.nodes(doc, (doc.model as SequenceModel).steps, env, 0, this.found);
  }

  /**
   * A child entered in `env`. Within a loop (the child runs its caller again, directly or not) the
   * environment after the call is unknown: the loop never ends, and child-cycle reports it. So a
   * walk only follows calls into other parts of the child graph, and what it finds depends on the
   * child, the environment and the depth alone.
   */
  private child(caller: TsqDocument, child: TsqDocument, env: EnvState, depth: number): EnvState {
    // A sequence that runs itself: unknown after the call (and child-cycle's business).
    if (depth > MAX_FOLLOWED_DEPTH || (depth === 1 && child.id === this.ctx.doc.id)) return BOTH();
    const { graph, walked: shared } = this.children;
    const from = graph.nodeOf(caller);
    const to = graph.nodeOf(child);
    if (to === undefined) return BOTH();
    const callerIsGraphDoc = from !== undefined && graph.docs[from] === caller;
    if (callerIsGraphDoc && depth > 1 && graph.component(from) === graph.component(to)) return BOTH();
    // The steps that put the caller where it is (the states' values) only flow through a child's
    // walk into messages and the state after it, so the walk is shared by every caller that enters
    // the child in the same environments: it runs with placeholders, each caller's own steps are
    // put back in. Only "no boot image" steers the walk, and it stays in the key.
    let walks = shared.get(child.id);
    if (!walks) shared.set(child.id, (walks = []));
    const key = depth * STATE_CODES + stateCode(env);
    let walked = walks[key];
    if (!walked) {
      const found: Placement[] = [];
      const entered: EnvState = new Map([...env].map(([e, why]) => [e, why === NO_BOOT_IMAGE ? why : CALLERS_STEP[e]]));
      walked = { after: this.nodes(child, (child.model as SequenceModel).steps, entered, depth, found), found };
      walks[key] = walked;
    }
    const callers = (e: Env, why: string): string => (why === CALLERS_STEP[e] ? (env.get(e) ?? '') : why);
    // Only direct children's placements are reported (at the call); deeper ones at their own parents.
    if (depth === 1)
      for (const p of walked.found)
        this.found.push(
          p.isIn !== undefined && p.since === CALLERS_STEP[p.isIn] ? { ...p, since: callers(p.isIn, p.since) } : p,
        );
    return new Map([...walked.after].map(([e, why]) => [e, callers(e, why)]));
  }

  /** The sequence a Run Task Sequence step of `doc` runs, resolved once per workspace revision. */
  private childOf(doc: TsqDocument, step: StepNode): TsqDocument | undefined {
    const known = this.children.graph.callOfStep(step);
    if (known && known.docId === doc.id) return known.call.target.doc;
    return childCalls(this.ctx.ws, doc.id, { steps: [step] } as SequenceModel)[0]?.target.doc;
  }

  private nodes(doc: TsqDocument, nodes: SeqNode[], env: EnvState, depth: number, sink: Placement[]): EnvState {
    let cur = env;
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      if (node.disabled) continue;
      let inside = cur;
      const req = node.when ? requiredEnvironment(node.when.text) : undefined;
      if (req) {
        if (!cur.has(req)) {
          // The condition cannot be true here: the node never runs. In a sequence without a boot
          // image what waits for Windows PE never does, and its Windows PE steps are reported.
          if (req === 'WinPE' && withoutBootImage(cur)) {
            if (node.kind === 'group') this.nodes(doc, node.steps, cur, depth, sink);
            else this.step(doc, node, cur, depth, sink);
          }
          continue;
        }
        inside = only(req, cur.get(req) ?? '');
      }
      const after =
        node.kind === 'group'
          ? this.nodes(doc, node.steps, inside, depth, sink)
          : this.step(doc, node, inside, depth, sink);
      // A node that may be skipped or may stop half-way leaves either state behind; a step whose
      // failure ends the run whatever continue on error says (Setup Windows and ConfigMgr) does not.
      const continues = node.continueOnError && !(node.kind === 'step' && stepDef(node.action)?.failureFailsSequence);
      cur = node.when || continues ? union(cur, after) : after;
    }
    return cur;
  }

  private step(doc: TsqDocument, step: StepNode, env: EnvState, depth: number, sink: Placement[]): EnvState {
    const def = stepDef(step.action);
    if (!def) return env;
    // Most steps run anywhere and move nothing: nothing below can report them or change the state.
    if (
      def.runIn === 'WinPEandFullOS' &&
      (!def.docEnvironment || def.docEnvironment === 'WinPEandFullOS') &&
      !MOVES_ENVIRONMENT.has(step.action)
    )
      return env;
    // The state's environments asked by name (there are two), not listed: a Restart Computer step
    // comes every few steps in a long sequence, and each listing was an array and a closure or two.
    const onlyIn: Env | undefined = env.size === 1 ? (env.has('WinPE') ? 'WinPE' : 'FullOS') : undefined;
    const noBootImage = withoutBootImage(env);
    const report = (kind: PlacementKind, needs?: Env) => {
      const isIn = env.keys().next().value as Env;
      sink.push({ kind, step, doc, needs, isIn, since: env.get(isIn) ?? '' });
    };
    if (env.size > 0 && !allowsAny(def.runIn, env)) {
      report(noBootImage ? 'no-boot-image' : 'wrong-environment', def.runIn as Env);
    } else if (
      def.docEnvironment &&
      def.docEnvironment !== def.runIn &&
      env.size > 0 &&
      !allowsAny(def.docEnvironment, env)
    ) {
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
          return only('WinPE', step.name);
        }
        if (target === 'hd') return only('FullOS', step.name);
        return BOTH();
      }
      // "This step runs Sysprep, and then reboots the computer into the Windows PE boot image
      // specified for the task sequence" (task-sequence-steps#BKMK_PrepareWindowsforCapture);
      // told to shut down instead, nothing is known of what comes next.
      case 'PrepareWindowsForCapture':
        return option(step, 'shutdownPreparedOs')?.value === true ? BOTH() : only('WinPE', step.name);
      case 'SetupWindowsAndConfigMgr':
        if (onlyIn === 'FullOS') report(noBootImage ? 'no-boot-image' : 'setup-in-full-os', 'WinPE');
        return only('FullOS', step.name);
      case 'RunTaskSequence': {
        const child = this.childOf(doc, step);
        return child && child.kind === 'sequence' && child.model ? this.child(doc, child, env, depth + 1) : env;
      }
      default:
        return env;
    }
  }
}

/** The sequences media files and deployment files of the workspace name, once per revision. */
function namedBy(ws: Workspace, kind: 'media' | 'deployment'): Set<string> {
  const shared = workspaceShared(ws);
  const known = (shared.named ??= new Map<'media' | 'deployment', Set<string>>());
  let ids = known.get(kind);
  if (!ids) {
    ids = new Set<string>();
    for (const other of ws.all()) {
      if (other.kind !== kind || !other.model) continue;
      const ref = (other.model as MediaModel | DeploymentModel).sequence?.value.trim();
      const target = ref ? ws.resolvePath(other.id, ref).doc : undefined;
      if (target) ids.add(target.id);
    }
    known.set(kind, ids);
  }
  return ids;
}

/** Whether another sequence of the workspace runs `doc`, or a media file carries it (which may start Windows PE itself). */
function startedElsewhere(ws: Workspace, doc: TsqDocument): boolean {
  const graph = childGraph(ws);
  const node = graph.nodeOf(doc);
  if (node !== undefined && graph.docs[node] === doc && graph.parentsOf(node).some((p) => p !== node)) return true;
  return namedBy(ws, 'media').has(doc.id);
}

/**
 * Where the top of `doc` can run when it starts. Only a sequence a deployment file of the
 * workspace deploys is known to have no boot image when it has no `bootImage:`: a sequence XML
 * imported on its own lacks it because that XML does not carry the boot image (it is a setting of
 * the task sequence, not of its steps), so elsewhere the start stays unknown.
 */
function startState(ws: Workspace, doc: TsqDocument): EnvState {
  const model = doc.model as SequenceModel;
  if (model.bootImage?.value.trim() || !namedBy(ws, 'deployment').has(doc.id) || startedElsewhere(ws, doc))
    return BOTH();
  return new Map([['FullOS', NO_BOOT_IMAGE]]);
}

/**
 * What the placement rules read of each node, for the editor's incremental checker: what moves the
 * environment (disabled, continue on error, `_SMSTSInWinPE` in a condition, the action and where
 * it is, a restart's target, a child sequence). The names of steps that move the sequence between
 * Windows PE and the full OS are quoted in messages about later steps ("since “Restart into
 * Windows PE”").
 */
export const ENVIRONMENT_READS: NodeReads = {
  inputs: (_doc, node, at) =>
    eachNode(node, (n) => {
      const own = `${n.disabled}|${n.continueOnError}|${n.when ? `when:${requiredEnvironment(n.when.text) ?? ''}` : ''}`;
      if (n.kind !== 'step') return own;
      const where = n.actionSpan ?? n.nameSpan;
      const target =
        n.action === 'RestartComputer'
          ? valueText(option(n, 'target')?.value)
          : n.action === 'PrepareWindowsForCapture'
            ? String(option(n, 'shutdownPreparedOs')?.value === true)
            : '';
      const child = n.action === 'RunTaskSequence' ? option(n, 'sequence') : undefined;
      return `${own}|${n.action}@${at(where.start)}-${at(where.end)}|${target}|${child ? `${valueText(child.value)}@${at(child.span.start)}-${at(child.span.end)}` : ''}`;
    }),
  cited: (node) =>
    [...walk([node])]
      .filter(
        (n): n is StepNode =>
          n.kind === 'step' &&
          (n.action === 'RestartComputer' ||
            n.action === 'SetupWindowsAndConfigMgr' ||
            n.action === 'PrepareWindowsForCapture'),
      )
      .map((n) => n.name),
};

/** Every placement problem of the file being analysed and of the children it runs (computed once per analysis). */
export function placements(ctx: RuleContext): Placement[] {
  return ctx.memo('environment-flow', () => {
    const w = new Walker(ctx);
    w.root(ctx.doc, startState(ctx.ws, ctx.doc));
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
  // The children's placements by child, in the order found: a file of thousands of steps runs
  // its few children many times, and going through every placement for each call took longer
  // than the walk itself (about 95 calls × 5,000 placements on the bench's every-step file).
  const inChildren = new Map<string, Placement[]>();
  for (const p of found) {
    if (p.doc.id === ctx.doc.id) continue;
    const list = inChildren.get(p.doc.id);
    if (list) list.push(p);
    else inChildren.set(p.doc.id, [p]);
  }
  if (inChildren.size === 0) return;
  for (const call of childCalls(ctx.ws, ctx.doc.id, ctx.doc.model as SequenceModel)) {
    const target = call.target.doc;
    for (const p of (target && inChildren.get(target.id)) || []) {
      const w = words(p);
      if (!w || w.severity) continue;
      ctx.report({
        start: call.refStart,
        end: call.refEnd,
        message: `In this child sequence, step “${p.step.name}”: ${w.message}`,
        hint: w.hint,
      });
      break;
    }
  }
}
