// Who runs whom, for the whole workspace at once: every sequence file is a node, every Run Task
// Sequence step that names a sequence of the workspace an edge. Built once per workspace revision
// (each call resolved once) and split into strongly connected components with one pass of Tarjan's
// algorithm, so that the questions rules, the simulator, export and the editor ask — does this
// call close a loop, how deep do children nest below it, which sequences run this one — cost time
// in proportion to the files and calls, never to their square. A workspace of 3,000 sequences
// that run each other in a ring used to take minutes and gigabytes here (docs/rules.md#child-cycle).

import type { TsqDocument } from '../model/document';
import type { SequenceModel, StepNode } from '../model/sequence';
import type { Workspace } from './workspace';
import { childCalls, type ChildCall } from './children';

/** Loops of at most this many sequences are explained by their shortest path; longer ones in brief. */
export const EXACT_LOOP_LIMIT = 32;
/** How many sequences a brief explanation of a long loop names after the caller. */
const SHOWN_IN_LONG_LOOP = 4;

export interface LoopExplanation {
  /** Documents from the caller through the child back to the caller; an ellipsis is `undefined`. */
  chain: (TsqDocument | undefined)[];
  /** Sequences in the loop's strongly connected component (1 for a sequence that runs itself). */
  size: number;
}

export class ChildGraph {
  /** Every sequence file with a model, numbered in workspace order. */
  readonly docs: TsqDocument[] = [];
  /** The Run Task Sequence steps of each node, with what they name (resolved once). */
  readonly calls: (readonly ChildCall[])[] = [];
  private readonly numbers = new Map<string, number>();
  /** Node numbers each node's calls lead to, per call (-1: not a workspace sequence). */
  private readonly targets: Int32Array[] = [];
  /** Who runs whom, worked out from `targets`: the same for every graph `refreshed` from this one. */
  private readonly shape: GraphShape;
  private byStep?: Map<StepNode, { docId: string; call: ChildCall }>;
  /** Units of work done (calls resolved, edges followed): tests check that it grows linearly. */
  work = 0;

  /**
   * The graph of `ws` as it is now. With `kept`, a graph of an earlier revision whose links
   * are still those of `ws` (`Workspace.linksRevision`): its shape is taken over, and only the
   * documents and their calls are read again (their offsets and step nodes move with each edit).
   */
  constructor(ws: Workspace, kept?: ChildGraph) {
    if (kept) {
      for (const old of kept.docs) {
        const d = ws.get(old.id)!;
        this.numbers.set(d.id, this.docs.length);
        this.docs.push(d);
        this.calls.push(childCalls(ws, d.id, d.model as SequenceModel));
      }
      this.targets = kept.targets;
      this.shape = kept.shape;
      this.work = kept.work + this.docs.length;
      return;
    }
    for (const d of ws.all()) {
      if (d.kind !== 'sequence' || !d.model) continue;
      this.numbers.set(d.id, this.docs.length);
      this.docs.push(d);
    }
    for (let i = 0; i < this.docs.length; i++) {
      const d = this.docs[i];
      const calls = childCalls(ws, d.id, d.model as SequenceModel);
      const to = new Int32Array(calls.length);
      for (let k = 0; k < calls.length; k++) {
        const t = calls[k].target.doc;
        to[k] = t ? (this.numbers.get(t.id) ?? -1) : -1;
      }
      this.calls.push(calls);
      this.targets.push(to);
      this.work += calls.length + 1;
    }
    this.shape = {
      componentOf: new Int32Array(this.docs.length).fill(-1),
      componentSize: [],
      componentLoops: [],
      members: [],
      towardRoot: new Map(),
      exactLoops: new Map(),
    };
    this.findComponents();
  }

  private get componentOf(): Int32Array {
    return this.shape.componentOf;
  }

  private get componentSize(): number[] {
    return this.shape.componentSize;
  }

  private get componentLoops(): boolean[] {
    return this.shape.componentLoops;
  }

  private get members(): number[][] {
    return this.shape.members;
  }

  /** The node number of a document (undefined for files that are not sequences with a model). */
  nodeOf(doc: TsqDocument | string): number | undefined {
    return this.numbers.get(typeof doc === 'string' ? doc : doc.id);
  }

  /** The call a Run Task Sequence step of a workspace sequence makes, with the id of its file. */
  callOfStep(step: StepNode): { docId: string; call: ChildCall } | undefined {
    if (!this.byStep) {
      this.byStep = new Map();
      for (let n = 0; n < this.docs.length; n++)
        for (const call of this.calls[n]) this.byStep.set(call.step, { docId: this.docs[n].id, call });
    }
    return this.byStep.get(step);
  }

  /** The node a call leads to, or -1. */
  targetOf(node: number, callIndex: number): number {
    return this.targets[node][callIndex];
  }

  component(node: number): number {
    return this.componentOf[node];
  }

  /** True when `node` can reach itself through child calls (it is part of a loop). */
  inLoop(node: number): boolean {
    return this.componentLoops[this.componentOf[node]];
  }

  /** Number of components; component numbers run from 0 (children first) to this minus one. */
  get componentCount(): number {
    return this.members.length;
  }

  membersOf(component: number): readonly number[] {
    return this.members[component];
  }

  /** Distinct components the calls of a component's members lead to (other than itself). */
  childComponents(component: number): number[] {
    const out = new Set<number>();
    for (const m of this.members[component]) {
      for (const t of this.targets[m]) {
        this.work++;
        if (t >= 0 && this.componentOf[t] !== component) out.add(this.componentOf[t]);
      }
    }
    return [...out];
  }

  /**
   * How many levels deep children nest from `node` down (the node itself counts 1). A loop counts
   * as many levels as it has members: running through it once nests that deep, and the loop itself
   * is reported where it closes.
   */
  depth(node: number): number {
    if (!this.shape.depths) {
      const depths = new Int32Array(this.members.length);
      // Components are numbered children first, so every child component is done before its parents.
      for (let c = 0; c < this.members.length; c++) {
        let deepest = 0;
        for (const d of this.childComponents(c)) if (depths[d] > deepest) deepest = depths[d];
        depths[c] = this.componentSize[c] + deepest;
      }
      this.shape.depths = depths;
    }
    return this.shape.depths[this.componentOf[node]];
  }

  /** Nodes whose calls lead to `node` (each once, in node order). */
  parentsOf(node: number): readonly number[] {
    if (!this.shape.parents) {
      const parents: number[][] = this.docs.map(() => []);
      for (let from = 0; from < this.docs.length; from++) {
        let last = -1;
        for (const t of this.targets[from]) {
          this.work++;
          // A node that calls the same child twice is its parent once.
          if (t >= 0 && t !== last && parents[t][parents[t].length - 1] !== from) parents[t].push(from);
          last = t;
        }
      }
      this.shape.parents = parents;
    }
    return this.shape.parents[node];
  }

  /**
   * Why a call of `node` to `child` closes a loop, or undefined when it does not (the child never
   * runs `node` again). Small loops are shown whole along their shortest path; long ones by their
   * first few sequences and their size, so no message grows with the workspace.
   */
  explainLoop(node: number, child: number): LoopExplanation | undefined {
    if (child < 0 || this.componentOf[child] !== this.componentOf[node]) return undefined;
    const component = this.componentOf[node];
    const size = this.componentSize[component];
    if (child === node) return { chain: [this.docs[node], this.docs[node]], size };
    if (size <= EXACT_LOOP_LIMIT) {
      const path = this.shortestPath(child, node, component);
      return { chain: [this.docs[node], ...path.map((n) => this.docs[n])], size };
    }
    // A long loop: follow the shortest way from the child toward one fixed member of the loop
    // (found once per loop), naming the first few sequences on it.
    const { root, next } = this.pathsToRoot(component);
    const chain: (TsqDocument | undefined)[] = [this.docs[node]];
    let at = child;
    for (let shown = 0; ; shown++) {
      chain.push(this.docs[at]);
      if (at === node) return { chain, size };
      if (at === root || shown + 1 >= SHOWN_IN_LONG_LOOP) break;
      at = next.get(at)!;
    }
    chain.push(undefined, this.docs[node]);
    return { chain, size };
  }

  /** Tarjan's algorithm without recursion (chains of thousands of files would overflow the stack). */
  private findComponents(): void {
    const n = this.docs.length;
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const stack: number[] = [];
    const frames: { node: number; call: number }[] = [];
    let counter = 0;
    for (let start = 0; start < n; start++) {
      if (index[start] >= 0) continue;
      frames.push({ node: start, call: 0 });
      index[start] = low[start] = counter++;
      stack.push(start);
      onStack[start] = 1;
      while (frames.length) {
        const frame = frames[frames.length - 1];
        const v = frame.node;
        const to = this.targets[v];
        if (frame.call < to.length) {
          const w = to[frame.call++];
          this.work++;
          if (w < 0) continue;
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = 1;
            frames.push({ node: w, call: 0 });
          } else if (onStack[w] && index[w] < low[v]) {
            low[v] = index[w];
          }
          continue;
        }
        frames.pop();
        if (frames.length) {
          const parent = frames[frames.length - 1].node;
          if (low[v] < low[parent]) low[parent] = low[v];
        }
        if (low[v] !== index[v]) continue;
        const component = this.members.length;
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          this.componentOf[w] = component;
          members.push(w);
        } while (w !== v);
        members.reverse();
        this.members.push(members);
        this.componentSize.push(members.length);
        this.componentLoops.push(members.length > 1 || this.targets[v].includes(v));
      }
    }
  }

  /** Shortest path from `from` to `to` inside one (small) component, both ends included. */
  private shortestPath(from: number, to: number, component: number): number[] {
    const key = `${from}>${to}`;
    const known = this.shape.exactLoops.get(key);
    if (known) return known;
    const previous = new Map<number, number>([[from, from]]);
    const queue = [from];
    for (let i = 0; i < queue.length && !previous.has(to); i++) {
      const v = queue[i];
      for (const w of this.targets[v]) {
        this.work++;
        if (w < 0 || previous.has(w) || this.componentOf[w] !== component) continue;
        previous.set(w, v);
        queue.push(w);
      }
    }
    const path = [to];
    for (let at = to; at !== from;) path.push((at = previous.get(at)!));
    path.reverse();
    this.shape.exactLoops.set(key, path);
    return path;
  }

  /** For a (long) loop: one member as root, and for every member the next step of a shortest way to it. */
  private pathsToRoot(component: number): { root: number; next: Map<number, number> } {
    const known = this.shape.towardRoot.get(component);
    if (known) return known;
    const members = this.members[component];
    const root = members[0];
    // Breadth first from the root against the direction of the calls.
    const callers = new Map<number, number[]>();
    for (const m of members) {
      for (const t of this.targets[m]) {
        this.work++;
        if (t < 0 || this.componentOf[t] !== component) continue;
        let list = callers.get(t);
        if (!list) callers.set(t, (list = []));
        list.push(m);
      }
    }
    const next = new Map<number, number>([[root, root]]);
    const queue = [root];
    for (let i = 0; i < queue.length; i++) {
      for (const c of callers.get(queue[i]) ?? []) {
        this.work++;
        if (next.has(c)) continue;
        next.set(c, queue[i]);
        queue.push(c);
      }
    }
    const result = { root, next };
    this.shape.towardRoot.set(component, result);
    return result;
  }
}

/** What a graph works out from who runs whom: its components, and what it derives from them on first use. */
interface GraphShape {
  /** Component of each node; components are numbered children first (Tarjan's order). */
  readonly componentOf: Int32Array;
  readonly componentSize: number[];
  /** Whether a component can reach itself: more than one member, or a member that runs itself. */
  readonly componentLoops: boolean[];
  /** Nodes of each component, in discovery order. */
  readonly members: number[][];
  depths?: Int32Array;
  parents?: number[][];
  readonly towardRoot: Map<number, { root: number; next: Map<number, number> }>;
  readonly exactLoops: Map<string, number[]>;
}

const graphs = new WeakMap<Workspace, { generation: number; links: number; graph: ChildGraph }>();

/**
 * The child graph of the workspace as it is now: made at most once per workspace revision, and
 * built anew only when the links between sequences changed (link-fingerprint.ts); an edit that
 * kept them gets the graph of before with its documents and calls read again.
 */
export function childGraph(ws: Workspace): ChildGraph {
  const known = graphs.get(ws);
  if (known && known.generation === ws.generation) return known.graph;
  const graph = known && known.links === ws.linksRevision ? new ChildGraph(ws, known.graph) : new ChildGraph(ws);
  graphs.set(ws, { generation: ws.generation, links: ws.linksRevision, graph });
  return graph;
}
