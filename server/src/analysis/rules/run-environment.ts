// run-environment: a step that can only run in Windows PE placed where the sequence can only be in
// the full OS, or the reverse. The environment is followed through the sequence as far as it can
// be known: `_SMSTSInWinPE` conditions narrow it, Restart Computer, Setup Windows and ConfigMgr
// and Prepare Windows for Capture (which restarts into Windows PE) change it, child sequences carry it in and out. Only certain mismatches are errors; a step whose
// documented environment differs from what ConfigMgr writes (Capture User State, Release State
// Store) gets a warning.

import type { Rule, RuleContext } from '../rule';
import type { SequenceModel, SeqNode, StepNode } from '../../model/sequence';
import { option, walk } from '../../model/sequence';
import type { TsqDocument } from '../../model/document';
import type { RunEnvironment } from '../../catalog/types';
import { stepDef } from '../../semantics/knowledge';
import { requiredEnvironment } from '../../semantics/condition-facts';
import { childCalls } from '../../semantics/children';
import { eachNode, valueText, type NodeInputs } from '../node-reads';
import { childGraph, type ChildGraph } from '../../semantics/child-graph';
import type { Workspace } from '../../semantics/workspace';

type Env = 'WinPE' | 'FullOS';

/** Where the engine may be, and which step put it there (for the message). */
type EnvState = Map<Env, string>;

const BOTH = (): EnvState => new Map<Env, string>([['WinPE', ''], ['FullOS', '']]);

function allows(runIn: RunEnvironment, env: Env): boolean {
  return runIn === 'WinPEandFullOS' || runIn === env;
}

function union(a: EnvState, b: EnvState): EnvState {
  const out = new Map(a);
  for (const [k, v] of b) if (!out.has(k)) out.set(k, v);
  return out;
}

const LABEL: Record<Env, string> = { WinPE: 'Windows PE', FullOS: 'the full OS' };

interface Problem {
  step: StepNode;
  doc: TsqDocument;
  message: string;
  hint: string;
  severity: 'error' | 'warning';
}

/** Children are followed this many levels deep; below that the environment is taken as unknown. */
const MAX_FOLLOWED_DEPTH = 16;

/** What walking one sequence's own steps found: the environment after it, and its steps' problems. */
interface Walked {
  after: EnvState;
  problems: Problem[];
}

/**
 * Walks of child sequences, shared by the checks of every file of one workspace revision: a
 * sequence entered in the same environment at the same depth is walked once, however many parents
 * (and paths through shared grandchildren) lead to it. Walking every path again took time
 * exponential in the depth for children that share grandchildren, level after level.
 */
const walkedByWorkspace = new WeakMap<Workspace, { generation: number; walked: Map<string, Walked> }>();

class Walker {
  readonly problems: Problem[] = [];
  private shared?: { graph: ChildGraph; walked: Map<string, Walked> };

  constructor(private readonly ctx: RuleContext) {}

  /** The child graph and the shared walks, looked up only for a file that runs children. */
  private get children(): { graph: ChildGraph; walked: Map<string, Walked> } {
    if (!this.shared) {
      const ws = this.ctx.ws;
      let known = walkedByWorkspace.get(ws);
      if (!known || known.generation !== ws.generation) walkedByWorkspace.set(ws, (known = { generation: ws.generation, walked: new Map() }));
      this.shared = { graph: childGraph(ws), walked: known.walked };
    }
    return this.shared;
  }

  /** The checked file itself (perhaps a view of the one step that changed): walked afresh. */
  root(doc: TsqDocument, env: EnvState): EnvState {
    return this.nodes(doc, (doc.model as SequenceModel).steps, env, 0, this.problems);
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
    const key = `${depth}\u0000${child.id}\u0000${[...env].map(([e, why]) => `${e}=${why}`).join('\u0000')}`;
    let walked = shared.get(key);
    if (!walked) {
      const problems: Problem[] = [];
      walked = { after: this.nodes(child, (child.model as SequenceModel).steps, env, depth, problems), problems };
      shared.set(key, walked);
    }
    // Only direct children's problems are reported (at the call); deeper ones at their own parents.
    if (depth === 1) this.problems.push(...walked.problems);
    return walked.after;
  }

  /** The sequence a Run Task Sequence step of `doc` runs, resolved once per workspace revision. */
  private childOf(doc: TsqDocument, step: StepNode): TsqDocument | undefined {
    const known = this.children.graph.callOfStep(step);
    if (known && known.docId === doc.id) return known.call.target.doc;
    return childCalls(this.ctx.ws, doc.id, { steps: [step] } as SequenceModel)[0]?.target.doc;
  }

  private nodes(doc: TsqDocument, nodes: SeqNode[], env: EnvState, depth: number, sink: Problem[]): EnvState {
    let cur = env;
    for (const node of nodes) {
      if (node.disabled) continue;
      let inside = cur;
      const req = node.when ? requiredEnvironment(node.when.text) : undefined;
      if (req) {
        if (!cur.has(req)) continue; // the condition cannot be true here: the node never runs
        inside = new Map([[req, cur.get(req) ?? '']]);
      }
      const after = node.kind === 'group' ? this.nodes(doc, node.steps, inside, depth, sink) : this.step(doc, node, inside, depth, sink);
      // A node that may be skipped or may stop half-way leaves either state behind.
      cur = node.when || node.continueOnError ? union(cur, after) : after;
    }
    return cur;
  }

  private step(doc: TsqDocument, step: StepNode, env: EnvState, depth: number, sink: Problem[]): EnvState {
    const def = stepDef(step.action);
    if (!def) return env;
    const possible = [...env.keys()];
    if (possible.length > 0 && possible.every((e) => !allows(def.runIn, e))) {
      const e = possible[0];
      const why = env.get(e);
      sink.push({
        step,
        doc,
        severity: 'error',
        message: `${def.displayName} runs only in ${LABEL[def.runIn as Env]}, but the sequence is in ${LABEL[e]} here${why ? ` (since “${why}”)` : ''}.`,
        hint: def.runIn === 'WinPE' ? 'Restart into Windows PE first (Restart Computer with `target: winpe`), or move the step before Setup Windows and ConfigMgr.' : 'Move the step after Setup Windows and ConfigMgr, or restart into the installed OS first (Restart Computer with `target: hd`).',
      });
    } else if (def.docEnvironment && def.docEnvironment !== def.runIn && possible.length > 0 && possible.every((e) => !allows(def.docEnvironment!, e))) {
      sink.push({ step, doc, severity: 'warning', message: `The ConfigMgr documentation says ${def.displayName} runs in ${LABEL[def.docEnvironment as Env] ?? def.docEnvironment}, but here the sequence is in ${LABEL[possible[0]]}.`, hint: 'ConfigMgr accepts it, but check that the step does what you expect in this environment.' });
    }
    switch (step.action) {
      case 'RestartComputer': {
        const t = option(step, 'target');
        const target = typeof t?.value === 'string' ? t.value.toLowerCase() : undefined;
        if (target === 'winpe') return new Map([['WinPE', step.name]]);
        if (target === 'hd') return new Map([['FullOS', step.name]]);
        return BOTH();
      }
      case 'SetupWindowsAndConfigMgr':
        return new Map([['FullOS', step.name]]);
      // "This step runs Sysprep, and then reboots the computer into the Windows PE boot image
      // specified for the task sequence" (task-sequence-steps#BKMK_PrepareWindowsforCapture);
      // told to shut down instead, nothing is known of what comes next.
      case 'PrepareWindowsForCapture':
        return option(step, 'shutdownPreparedOs')?.value === true ? BOTH() : new Map([['WinPE', step.name]]);
      case 'RunTaskSequence': {
        const child = this.childOf(doc, step);
        return child && child.kind === 'sequence' && child.model ? this.child(doc, child, env, depth + 1) : env;
      }
      default:
        return env;
    }
  }
}

/**
 * After an edit: what moves the environment (disabled, continue on error, `_SMSTSInWinPE` in a
 * condition, the action and where it is, a restart's target, whether Prepare Windows for Capture
 * shuts down, a child sequence).
 */
const inputs: NodeInputs = (_doc, node, at) => eachNode(node, (n) => {
  const own = `${n.disabled}|${n.continueOnError}|${n.when ? `when:${requiredEnvironment(n.when.text) ?? ''}` : ''}`;
  if (n.kind !== 'step') return own;
  const where = n.actionSpan ?? n.nameSpan;
  const target = n.action === 'RestartComputer' ? valueText(option(n, 'target')?.value) : n.action === 'PrepareWindowsForCapture' ? String(option(n, 'shutdownPreparedOs')?.value === true) : '';
  const child = n.action === 'RunTaskSequence' ? option(n, 'sequence') : undefined;
  return `${own}|${n.action}@${at(where.start)}-${at(where.end)}|${target}|${child ? `${valueText(child.value)}@${at(child.span.start)}-${at(child.span.end)}` : ''}`;
});

/**
 * The names of steps that move the sequence between Windows PE and the full OS (Prepare Windows
 * for Capture restarts into Windows PE) appear in
 * messages about later steps ("since “Restart into Windows PE”").
 */
const cited = (node: SeqNode): string[] => [...walk([node])].filter((n): n is StepNode => n.kind === 'step' && (n.action === 'RestartComputer' || n.action === 'SetupWindowsAndConfigMgr' || n.action === 'PrepareWindowsForCapture')).map((n) => n.name);

export const runEnvironment: Rule = {
  code: 'run-environment',
  defaultSeverity: 'error',
  title: 'A step runs where it cannot (Windows PE vs full OS)',
  description: 'Follows where the sequence runs — Windows PE or the installed OS — through `_SMSTSInWinPE` conditions, Restart Computer, Setup Windows and ConfigMgr, Prepare Windows for Capture (which restarts into Windows PE) and child sequences, and reports steps that can only run in the other environment.',
  kinds: ['sequence'],
  incremental: { inputs, cited },
  check(ctx) {
    const w = new Walker(ctx);
    w.root(ctx.doc, BOTH());
    for (const p of w.problems) {
      if (p.doc.id === ctx.doc.id) {
        const span = p.step.actionSpan ?? p.step.nameSpan;
        ctx.report({ start: span.start, end: span.end, message: p.message, hint: p.hint, severity: p.severity });
      }
    }
    // Problems inside children are reported at the Run Task Sequence step that leads to them.
    for (const call of childCalls(ctx.ws, ctx.doc.id, ctx.doc.model as SequenceModel)) {
      const inner = w.problems.filter((p) => p.doc.id !== ctx.doc.id && p.doc.id === call.target.doc?.id && p.severity === 'error');
      if (inner.length === 0) continue;
      const first = inner[0];
      ctx.report({ start: call.refStart, end: call.refEnd, message: `In this child sequence, step “${first.step.name}”: ${first.message}`, hint: first.hint });
    }
  },
};
