// run-environment: a step that can only run in Windows PE placed where the sequence can only be in
// the full OS, or the reverse. The environment is followed through the sequence as far as it can
// be known: `_SMSTSInWinPE` conditions narrow it, Restart Computer, Setup Windows and ConfigMgr
// and Prepare Windows for Capture (which restarts into Windows PE) change it, child sequences carry it in and out. Only certain mismatches are errors; a step whose
// documented environment differs from what ConfigMgr writes (Capture User State, Release State
// Store) gets a warning.

import type { Rule, RuleContext } from '../rule';
import type { SequenceModel, SeqNode, StepNode } from '../../model/sequence';
import { option } from '../../model/sequence';
import type { TsqDocument } from '../../model/document';
import type { RunEnvironment } from '../../catalog/types';
import { stepDef } from '../../semantics/knowledge';
import { requiredEnvironment } from '../../semantics/condition-facts';
import { childCalls } from '../../semantics/children';

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

class Walker {
  readonly problems: Problem[] = [];
  private readonly active = new Set<string>();

  constructor(private readonly ctx: RuleContext) {}

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
        if (!cur.has(req)) continue; // the condition cannot be true here: the node never runs
        inside = new Map([[req, cur.get(req) ?? '']]);
      }
      const after = node.kind === 'group' ? this.nodes(doc, node.steps, inside) : this.step(doc, node, inside);
      // A node that may be skipped or may stop half-way leaves either state behind.
      cur = node.when || node.continueOnError ? union(cur, after) : after;
    }
    return cur;
  }

  private step(doc: TsqDocument, step: StepNode, env: EnvState): EnvState {
    const def = stepDef(step.action);
    if (!def) return env;
    const possible = [...env.keys()];
    if (possible.length > 0 && possible.every((e) => !allows(def.runIn, e))) {
      const e = possible[0];
      const why = env.get(e);
      this.problems.push({
        step,
        doc,
        severity: 'error',
        message: `${def.displayName} runs only in ${LABEL[def.runIn as Env]}, but the sequence is in ${LABEL[e]} here${why ? ` (since “${why}”)` : ''}.`,
        hint: def.runIn === 'WinPE' ? 'Restart into Windows PE first (Restart Computer with `target: winpe`), or move the step before Setup Windows and ConfigMgr.' : 'Move the step after Setup Windows and ConfigMgr, or restart into the installed OS first (Restart Computer with `target: hd`).',
      });
    } else if (def.docEnvironment && def.docEnvironment !== def.runIn && possible.length > 0 && possible.every((e) => !allows(def.docEnvironment!, e))) {
      this.problems.push({ step, doc, severity: 'warning', message: `The ConfigMgr documentation says ${def.displayName} runs in ${LABEL[def.docEnvironment as Env] ?? def.docEnvironment}, but here the sequence is in ${LABEL[possible[0]]}.`, hint: 'ConfigMgr accepts it, but check that the step does what you expect in this environment.' });
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
        const call = childCalls(this.ctx.ws, doc.id, { steps: [step] } as SequenceModel)[0];
        const child = call?.target.doc;
        return child && child.kind === 'sequence' && child.model ? this.sequence(child, env) : env;
      }
      default:
        return env;
    }
  }
}

export const runEnvironment: Rule = {
  code: 'run-environment',
  defaultSeverity: 'error',
  title: 'A step runs where it cannot (Windows PE vs full OS)',
  description: 'Follows where the sequence runs — Windows PE or the installed OS — through `_SMSTSInWinPE` conditions, Restart Computer, Setup Windows and ConfigMgr, Prepare Windows for Capture (which restarts into Windows PE) and child sequences, and reports steps that can only run in the other environment.',
  kinds: ['sequence'],
  check(ctx) {
    const w = new Walker(ctx);
    w.sequence(ctx.doc, BOTH());
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
