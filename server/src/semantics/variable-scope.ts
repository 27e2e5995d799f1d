// Which variable names are known at a point of a sequence: built-in ConfigMgr variables (and the
// indexed forms of array variables), Windows environment variables, MDT's variables from the point
// something of MDT has set them (MDT's rule below), and everything written before that point — in
// this file, by parent sequences before they run this one, and as collection or machine variables
// in the workspace.
//
// MDT's rule, whose data and Microsoft sources are `known` in catalog/data/mdt-variables.json
// (docs/rules.md, undefined-variable): a local fact ZTIGather sets (`IsLaptop`) is known after a
// step that runs ZTIGather — a Gather step or a command line that runs ZTIGather.wsf — in this
// sequence or in a parent before it runs this one, and from the start of a Lite Touch sequence
// (one that runs an LTI script: LiteTouch.wsf gathers before it starts it); a property of
// CustomSettings.ini, the MDT database or BootStrap.ini after such a step that also processes the
// rules (not `localOnly: true`, not /localonly). Where Microsoft does not say at which step MDT sets a
// variable (BootStrap.ini, the Deployment Wizard, MDT steps' settings, the MDT scripts), it is
// also known anywhere in a sequence that uses MDT, as every MDT variable was before.
//
// A disabled step, or any step in a disabled group, never runs (disabled-steps.ts): it sets
// nothing, runs no Gather and passes nothing down to a child. Where such a step is what would have
// set a name a read needs, the scope says which (`disabledSetter`, `disabledGather`), so that the
// finding can name it and offer to enable it.

import type { TsqDocument } from '../model/document';
import type { SeqNode, SequenceModel, StepNode } from '../model/sequence';
import { walk } from '../model/sequence';
import type { Workspace } from './workspace';
import { childGraph, type ChildGraph } from './child-graph';
import { variableWrites, type VariableWrite } from './variable-flow';
import { variableDef, builtInVariableNames } from './knowledge';
import { gatherKindOf, runsLiteTouchScript } from './mdt-gather';
import { disabledChain, mayHaveDisabledNode, neverRuns } from './disabled-steps';
import {
  findMdtVariable,
  knownFrom,
  plainMdtVariableNames,
  type MdtKnownFrom,
  type MdtVariable,
} from '../catalog/mdt-variables';
import external from './data/external-variables.json';

const WINDOWS = new Set(external.windows.map((n) => n.toLowerCase()));

export interface VariableScope {
  isKnownAt(name: string, offset: number): boolean;
  /** Names a reader at `offset` could mean (for "did you mean"): written before it in this file or outside it. */
  namesBefore(offset: number): string[];
  /**
   * For an MDT variable that only a step running ZTIGather sets, not known at `offset` because no
   * such step runs before it: which kind of Gather it waits for.
   */
  awaitedGather(name: string, offset: number): MdtKnownFrom['after'];
  /**
   * For a name not known at `offset`: the disabled step that would have set it before, in this
   * file, or in a parent that runs this one (the setter, or the Run Task Sequence step that would
   * have passed it down); undefined when no disabled step would have.
   */
  disabledSetter(name: string, offset: number): DisabledSetter | undefined;
  /** For an MDT variable awaiting a Gather of kind `after` at `offset`: a disabled step before it that would have run it. */
  disabledGather(after: 'gather' | 'rules-gather', offset: number): DisabledSetter | undefined;
  /** Whether any disabled step would set a name or run Gather, here or in a parent before its call (most files: none). */
  anyDisabledSetter(): boolean;
}

/** A step that would have made a name known, had it run, and why it does not. */
export interface DisabledSetter {
  /** The file the step is in: this one, or a parent's. */
  doc: TsqDocument;
  /** The step that sets the name (`setter`), or the parent's Run Task Sequence step that would pass it down (`call`). */
  step: StepNode;
  kind: 'setter' | 'call';
  /** What keeps the step from running, innermost first: the step itself and each disabled group around it. */
  disabled: SeqNode[];
}

/**
 * Names the index of inherited names keeps for "a step that runs ZTIGather came before" (any
 * kind, and the kind that processes rules): spaces cannot be in a variable name, so no read
 * asks for them, and "did you mean" leaves them out.
 */
const GATHERED = ' gathered';
const RULES_GATHERED = ' rules gathered';

/**
 * The steps of `doc` that run ZTIGather, as writes of the names above from their end on; a
 * sequence that runs a Lite Touch script has both from its start (LiteTouch.wsf gathered before
 * it started the sequence: mdt-gather.ts). A disabled Gather step runs no ZTIGather and is left
 * out; with `disabled`, only those are listed instead. A Lite Touch script's step counts even when
 * disabled: what it tells is that LiteTouch.wsf starts the sequence, which gathers before the
 * first step whatever steps are enabled.
 */
function gatherMarks(doc: TsqDocument, disabled = false): VariableWrite[] {
  const model = doc.kind === 'sequence' ? (doc.model as SequenceModel | undefined) : undefined;
  // The disabled ones of a file with no disabled node: none, without a walk of every step.
  if (!model || (disabled && !mayHaveDisabledNode(doc))) return [];
  const out: VariableWrite[] = [];
  const mark = (name: string, step: StepNode, from: number) =>
    out.push({ name, start: step.span.start, end: step.span.start, effectiveFrom: from, kind: 'set-step', step });
  let liteTouch = disabled;
  for (const n of walk(model.steps)) {
    if (n.kind !== 'step') continue;
    const kind = gatherKindOf(n);
    if (kind && neverRuns(n) === disabled) {
      mark(GATHERED, n, n.span.end);
      if (kind === 'rules') mark(RULES_GATHERED, n, n.span.end);
    }
    if (!liteTouch && runsLiteTouchScript(n)) {
      liteTouch = true;
      mark(GATHERED, n, 0);
      mark(RULES_GATHERED, n, 0);
    }
  }
  return out;
}

/** The writes of `doc` whose steps run (every write of a machine or a catalog). */
function runningWrites(doc: TsqDocument): VariableWrite[] {
  return variableWrites(doc).filter((w) => !w.step || !neverRuns(w.step));
}

export function isBuiltInVariable(name: string): boolean {
  return !!variableDef(name) || WINDOWS.has(name.toLowerCase());
}

/** Names set outside a file before it runs, as `knownVariables` asks about them. */
interface InheritedNames {
  /** Whether `lower` (a name in lower case) is set outside: by a parent before its call, a collection or a machine. */
  has(lower: string): boolean;
  /** Whether a download base variable set outside is a prefix of `lower`. */
  hasPrefixOf(lower: string): boolean;
  /** Every name set outside (for "did you mean"). */
  names(): string[];
}

/**
 * What the files of a workspace revision pass down to their children. A file inherits the names
 * every parent sets before running it, and what their parents pass down in turn; sequences that
 * run each other in a loop (one strongly connected component of the child graph) therefore
 * inherit the same names. So the names are gathered per component, as one bit per distinct name,
 * each component's set made once from its own calls and its parents' sets: time and memory grow
 * with files × distinct names / 32 words, where following every parent of every file again took
 * minutes for a few hundred files.
 */
class InheritedIndex {
  private readonly keys = new Map<string, number>();
  /** One write for each distinct name, for its spelling. */
  private readonly writes: VariableWrite[] = [];
  private readonly prefixKeys: number[] = [];
  /** Names of collections and machines: every sequence sees them. */
  private readonly everywhere = new Set<number>();
  private readonly sets: (Uint32Array | undefined)[];
  /** Per component: names the calls into it pass down, gathered on first use. */
  private passedIn?: number[][];

  constructor(
    ws: Workspace,
    private graph: ChildGraph,
  ) {
    this.sets = new Array<Uint32Array | undefined>(graph.componentCount);
    for (const d of ws.all()) {
      if (d.kind === 'machine' || d.kind === 'catalog')
        for (const w of variableWrites(d)) this.everywhere.add(this.key(w));
    }
  }

  private key(w: VariableWrite): number {
    const k = `${w.prefix ? '*' : ''}${w.name.toLowerCase()}`;
    let n = this.keys.get(k);
    if (n === undefined) {
      n = this.writes.length;
      this.keys.set(k, n);
      this.writes.push(w);
      if (w.prefix) this.prefixKeys.push(n);
    }
    return n;
  }

  /** For every component, the keys its parents set before calling one of its members. */
  private gatherCalls(): number[][] {
    const graph = this.graph;
    const into: Set<number>[] = Array.from({ length: graph.componentCount }, () => new Set<number>());
    for (let from = 0; from < graph.docs.length; from++) {
      const calls = graph.calls[from];
      // The last call into each component counts: earlier ones pass down a part of what it does.
      const lastCall = new Map<number, number>();
      calls.forEach((call, i) => {
        const to = graph.targetOf(from, i);
        // A disabled Run Task Sequence step (or one in a disabled group) runs no child.
        if (to < 0 || to === from || neverRuns(call.step)) return;
        const c = graph.component(to);
        lastCall.set(c, Math.max(lastCall.get(c) ?? -1, call.step.span.start));
      });
      if (lastCall.size === 0) continue;
      const writes = [...runningWrites(graph.docs[from]), ...gatherMarks(graph.docs[from])];
      // Each write's key is made once, on its first use, whatever the number of children it is
      // passed down to (the order of first uses, which numbers the keys, stays that of the loop).
      const keys = new Int32Array(writes.length).fill(-1);
      for (const [c, at] of lastCall) {
        const set = into[c];
        for (let i = 0; i < writes.length; i++) {
          graph.work++;
          if (writes[i].effectiveFrom > at) continue;
          if (keys[i] < 0) keys[i] = this.key(writes[i]);
          set.add(keys[i]);
        }
      }
    }
    return into.map((s) => [...s]);
  }

  /** The bit set of names a component inherits, made (with its ancestors') on first use. */
  private setOf(component: number): Uint32Array {
    const known = this.sets[component];
    if (known) return known;
    const passedIn = (this.passedIn ??= this.gatherCalls());
    const graph = this.graph;
    const parentComponents = (c: number) => {
      const out = new Set<number>();
      for (const m of graph.membersOf(c))
        for (const p of graph.parentsOf(m)) if (graph.component(p) !== c) out.add(graph.component(p));
      return [...out];
    };
    // Parents before children, without recursion: a chain of thousands of files is a deep stack.
    const stack: { c: number; parents?: number[] }[] = [{ c: component }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (this.sets[top.c]) {
        stack.pop();
        continue;
      }
      if (!top.parents) {
        top.parents = parentComponents(top.c);
        for (const p of top.parents) if (!this.sets[p]) stack.push({ c: p });
        continue;
      }
      stack.pop();
      const bits = new Uint32Array((this.writes.length + 31) >>> 5);
      for (const p of top.parents) {
        const from = this.sets[p]!;
        for (let i = 0; i < from.length; i++) bits[i] |= from[i];
        graph.work++;
      }
      for (const k of passedIn[top.c]) bits[k >>> 5] |= 1 << (k & 31);
      this.sets[top.c] = bits;
    }
    return this.sets[component]!;
  }

  /**
   * Whether no sequence but its own members' selves runs a component: then nothing is passed down
   * to it, and its set is empty without gathering every file's calls. The file being edited is
   * most often such a top-level sequence, and its index is new on each edit.
   */
  private runByNoOther(component: number): boolean {
    for (const m of this.graph.membersOf(component)) for (const p of this.graph.parentsOf(m)) if (p !== m) return false;
    return true;
  }

  /**
   * Carries the index over to a later revision of the workspace whose links are the same
   * (`Workspace.linksRevision`, link-fingerprint.ts): every name and every set stays as it is;
   * what is still to be gathered is read from the graph of now.
   */
  keptFor(graph: ChildGraph): void {
    this.graph = graph;
  }

  namesFor(doc: TsqDocument): InheritedNames {
    const node = this.graph.nodeOf(doc);
    const component = node === undefined ? -1 : this.graph.component(node);
    const bits = component < 0 || this.runByNoOther(component) ? new Uint32Array(0) : this.setOf(component);
    const holds = (k: number | undefined) =>
      k !== undefined && (this.everywhere.has(k) || ((bits[k >>> 5] ?? 0) & (1 << (k & 31))) !== 0);
    return {
      has: (lower) => holds(this.keys.get(lower)) || holds(this.keys.get(`*${lower}`)),
      hasPrefixOf: (lower) =>
        this.prefixKeys.some((k) => holds(k) && lower.startsWith(this.writes[k].name.toLowerCase())),
      names: () => {
        const out: string[] = [];
        for (let k = 0; k < this.writes.length; k++)
          if (holds(k) && !this.writes[k].name.startsWith(' ')) out.push(this.writes[k].name);
        return out;
      },
    };
  }
}

const indexes = new WeakMap<Workspace, { generation: number; links: number; index: InheritedIndex }>();

/**
 * Names set outside `doc` before it runs: by parents before their call, and by collections and
 * machines. The index is made again only when the links between files changed: an edit that kept
 * every reference and write (link-fingerprint.ts) keeps it.
 */
function inheritedNames(ws: Workspace, doc: TsqDocument): InheritedNames {
  let known = indexes.get(ws);
  if (!known || known.links !== ws.linksRevision) {
    known = { generation: ws.generation, links: ws.linksRevision, index: new InheritedIndex(ws, childGraph(ws)) };
    indexes.set(ws, known);
  } else if (known.generation !== ws.generation) {
    known.index.keptFor(childGraph(ws));
    known.generation = ws.generation;
  }
  return known.index.namesFor(doc);
}

/**
 * The names known at each point of `doc`. `usesMdt` says whether the sequence uses MDT (an MDT
 * step or script, or a path into the deployment share: migrate/detect.ts): MDT variables that
 * are not tied to Gather are known anywhere in it.
 */
export function knownVariables(ws: Workspace, doc: TsqDocument, usesMdt = false): VariableScope {
  const all = variableWrites(doc);
  const own: VariableWrite[] = [];
  // Writes of steps that never run, by name (lower case), in text order; most files have none.
  let offWrites: Map<string, VariableWrite[]> | undefined;
  let offPrefixes: VariableWrite[] | undefined;
  for (const w of all) {
    if (!w.step || !neverRuns(w.step)) own.push(w);
    else if (w.prefix) (offPrefixes ??= []).push(w);
    else {
      const k = w.name.toLowerCase();
      offWrites ??= new Map();
      const list = offWrites.get(k);
      if (list) list.push(w);
      else offWrites.set(k, [w]);
    }
  }
  // Made only when a name is neither built in nor set in this file (the child graph is not needed otherwise).
  let inheritedOnce: InheritedNames | undefined;
  const inherited = () => (inheritedOnce ??= inheritedNames(ws, doc));
  let fromParentsOnce: ParentsDisabled | undefined;
  const fromParents = () => (fromParentsOnce ??= disabledInParents(ws, doc));
  let offGathersOnce: VariableWrite[] | undefined;
  const offGathers = () => (offGathersOnce ??= gatherMarks(doc, true));
  // Earliest point from which each name (lower case) is set in this file.
  const firstSet = new Map<string, number>();
  for (const w of own) {
    const k = w.name.toLowerCase();
    const prev = firstSet.get(k);
    if (prev === undefined || w.effectiveFrom < prev) firstSet.set(k, w.effectiveFrom);
  }
  const prefixes = own.filter((w) => w.prefix);
  // From where a step that runs ZTIGather has run in this file (any kind, and one that processes
  // rules); found on first use, as most checks read no name that is not known otherwise.
  let gatheredOnce: { any: number; rules: number } | undefined;
  const gatheredHere = () => {
    if (gatheredOnce) return gatheredOnce;
    gatheredOnce = { any: Infinity, rules: Infinity };
    for (const m of gatherMarks(doc)) {
      if (m.name === GATHERED) gatheredOnce.any = Math.min(gatheredOnce.any, m.effectiveFrom);
      else gatheredOnce.rules = Math.min(gatheredOnce.rules, m.effectiveFrom);
    }
    return gatheredOnce;
  };
  /** Whether a step that runs ZTIGather (of the kind `after` names) has run before `offset`, here or in a parent before its call. */
  const gathered = (after: 'gather' | 'rules-gather', offset: number) =>
    after === 'gather'
      ? gatheredHere().any <= offset || inherited().has(GATHERED)
      : gatheredHere().rules <= offset || inherited().has(RULES_GATHERED);
  // MDT's variables are known only in a sequence that uses MDT or where ZTIGather ran (here or in a
  // parent); elsewhere, as in most sequences, an unknown name is not looked up among them at all.
  let mdtPossible: boolean | undefined;
  const mdtMayBeKnown = () => (mdtPossible ??= usesMdt || gatheredHere().any < Infinity || inherited().has(GATHERED));
  const mdtVariables = new Map<string, MdtVariable | null>();
  /** Whether the MDT variable `name` is known at `offset` by MDT's rule (false too for names that are no MDT variable). */
  const mdtKnown = (name: string, offset: number): boolean => {
    if (!mdtMayBeKnown()) return false;
    let v = mdtVariables.get(name);
    if (v === undefined) mdtVariables.set(name, (v = findMdtVariable(name) ?? null));
    if (!v) return false;
    const known = knownFrom(v);
    return (known.anywhere && usesMdt) || (!!known.after && gathered(known.after, offset));
  };
  return {
    isKnownAt(name, offset) {
      const lower = name.toLowerCase();
      if (isBuiltInVariable(name)) return true;
      const from = firstSet.get(lower);
      if (from !== undefined && from <= offset) return true;
      if (prefixes.some((w) => w.effectiveFrom <= offset && lower.startsWith(w.name.toLowerCase()))) return true;
      if (mdtKnown(name, offset)) return true;
      // Set outside, before this file starts (download bases included).
      return inherited().has(lower) || inherited().hasPrefixOf(lower);
    },
    namesBefore(offset) {
      const names = new Set<string>();
      for (const w of own) if (w.effectiveFrom <= offset) names.add(w.name);
      for (const n of inherited().names()) names.add(n);
      for (const n of builtInVariableNames()) names.add(n);
      if (mdtMayBeKnown()) for (const n of plainMdtVariableNames()) if (mdtKnown(n, offset)) names.add(n);
      return [...names];
    },
    awaitedGather(name, offset) {
      const v = findMdtVariable(name);
      const known = v && knownFrom(v);
      if (!known?.after || known.anywhere || gathered(known.after, offset)) return undefined;
      return known.after;
    },
    disabledSetter(name, offset) {
      const lower = name.toLowerCase();
      // The last disabled write before the read: the one its author most likely meant to set it.
      let last: VariableWrite | undefined;
      for (const w of offWrites?.get(lower) ?? []) if (w.effectiveFrom <= offset) last = w;
      for (const w of offPrefixes ?? [])
        if (w.effectiveFrom <= offset && lower.startsWith(w.name.toLowerCase()) && (!last || w.start > last.start))
          last = w;
      if (last?.step) return { doc, step: last.step, kind: 'setter', disabled: disabledChain(last.step) };
      return fromParents().setterOf(lower);
    },
    disabledGather(after, offset) {
      let last: VariableWrite | undefined;
      const wanted = after === 'gather' ? GATHERED : RULES_GATHERED;
      for (const m of offGathers()) if (m.name === wanted && m.effectiveFrom <= offset) last = m;
      if (last?.step) return { doc, step: last.step, kind: 'setter', disabled: disabledChain(last.step) };
      return fromParents().setterOf(wanted);
    },
    anyDisabledSetter() {
      return !!offWrites || !!offPrefixes || offGathers().length > 0 || !fromParents().empty;
    },
  };
}

/** What the parents that run a file would have passed down to it but for a disabled step. */
interface ParentsDisabled {
  setterOf(lower: string): DisabledSetter | undefined;
  empty: boolean;
}

/**
 * For each name (lower case; the Gather marks by their names above) that a parent of `doc` would
 * set before running it: the disabled step that keeps it from doing so — its Run Task Sequence
 * step (or a group around it) when that is disabled, else a disabled step that would set the name
 * before the call. Only direct parents are asked; it is worked out when a finding is worded, not
 * for every read.
 */
function disabledInParents(ws: Workspace, doc: TsqDocument): ParentsDisabled {
  const graph = childGraph(ws);
  const node = graph.nodeOf(doc);
  const byName = new Map<string, DisabledSetter>();
  const prefixes: { name: string; setter: DisabledSetter }[] = [];
  const note = (w: VariableWrite, setter: DisabledSetter) => {
    const lower = w.name.toLowerCase();
    if (w.prefix) prefixes.push({ name: lower, setter });
    else if (!byName.has(lower)) byName.set(lower, setter);
  };
  for (const p of node === undefined ? [] : graph.parentsOf(node)) {
    if (p === node) continue;
    const parent = graph.docs[p];
    // Nothing in the parent is disabled: every call runs, and every setter before it.
    if (!mayHaveDisabledNode(parent)) continue;
    const calls = graph.calls[p];
    // Made once per parent, which may run this file from many steps (a walk of the parent each).
    let running: VariableWrite[] | undefined;
    let off: VariableWrite[] | undefined;
    for (let i = 0; i < calls.length; i++) {
      if (graph.targetOf(p, i) !== node) continue;
      const call = calls[i];
      const at = call.step.span.start;
      if (neverRuns(call.step)) {
        const setter: DisabledSetter = {
          doc: parent,
          step: call.step,
          kind: 'call',
          disabled: disabledChain(call.step),
        };
        running ??= [...runningWrites(parent), ...gatherMarks(parent)];
        for (const w of running) if (w.effectiveFrom <= at) note(w, setter);
      } else {
        off ??= [...variableWrites(parent), ...gatherMarks(parent, true)].filter((w) => w.step && neverRuns(w.step));
        for (const w of off)
          if (w.effectiveFrom <= at)
            note(w, { doc: parent, step: w.step!, kind: 'setter', disabled: disabledChain(w.step!) });
      }
    }
  }
  return {
    setterOf: (lower) => byName.get(lower) ?? prefixes.find((w) => lower.startsWith(w.name))?.setter,
    empty: byName.size === 0 && prefixes.length === 0,
  };
}
