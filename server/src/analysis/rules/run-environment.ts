// run-environment: a step that can only run in Windows PE placed where the sequence can only be in
// the full OS, or the reverse. The environment is followed through the sequence as far as it can
// be known: `_SMSTSInWinPE` conditions narrow it, Restart Computer and Setup Windows and ConfigMgr
// change it, child sequences carry it in and out. Only certain mismatches are errors; a step whose
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

/**
 * After an edit: what moves the environment (disabled, continue on error, `_SMSTSInWinPE` in a
 * condition, the action and where it is, a restart's target, a child sequence).
 */
const inputs: NodeInputs = (_doc, node, at) => eachNode(node, (n) => {
  const own = `${n.disabled}|${n.continueOnError}|${n.when ? `when:${requiredEnvironment(n.when.text) ?? ''}` : ''}`;
  if (n.kind !== 'step') return own;
  const where = n.actionSpan ?? n.nameSpan;
  const target = n.action === 'RestartComputer' ? valueText(option(n, 'target')?.value) : '';
  const child = n.action === 'RunTaskSequence' ? option(n, 'sequence') : undefined;
  return `${own}|${n.action}@${at(where.start)}-${at(where.end)}|${target}|${child ? `${valueText(child.value)}@${at(child.span.start)}-${at(child.span.end)}` : ''}`;
});

/**
 * The names of steps that move the sequence between Windows PE and the full OS appear in
 * messages about later steps ("since “Restart into Windows PE”").
 */
const cited = (node: SeqNode): string[] => [...walk([node])].filter((n): n is StepNode => n.kind === 'step' && (n.action === 'RestartComputer' || n.action === 'SetupWindowsAndConfigMgr')).map((n) => n.name);

export const runEnvironment: Rule = {
  code: 'run-environment',
  defaultSeverity: 'error',
  title: 'A step runs where it cannot (Windows PE vs full OS)',
  description: 'Follows where the sequence runs — Windows PE or the installed OS — through `_SMSTSInWinPE` conditions, Restart Computer, Setup Windows and ConfigMgr and child sequences, and reports steps that can only run in the other environment.',
  kinds: ['sequence'],
  incremental: { inputs, cited },
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
