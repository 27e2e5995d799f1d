// The typed model of a `sequence:` file: the ordered tree of groups and steps with their options,
// each carrying the source spans its values came from. Built from the YAML tree without consulting
// the built-in catalog (analysis resolves action names), and without ever failing: malformed parts
// are left out and reported by the schema rules.

import {
  keyTextAt,
  pairCount,
  pairsOf,
  valueAt,
  type PairList,
  type YMap,
  type YNode,
  type YScalar,
} from './yaml/nodes';
import { ExpansionBudget, effectivePairs, resolve, toJS } from './yaml/expand';
import { MapReader, boolScalarOf, integerScalarOf, scalarOf, spanOf, textScalarOf, type Located } from './fields';
import type { Span } from './text';
import { stepOption, type StepOption } from './step-option';
import { EntryStack } from './yaml/entry-stack';
import {
  NODE_MEMO,
  conditionOfItem,
  groupItem,
  nodeValue,
  stepItem,
  type NodeValue,
  type GroupNode,
  type NodeMemo,
  type SeqNode,
  type StepNode,
} from './sequence-items';

export type { StepOption } from './step-option';
export { NODE_MEMO };
export type { GroupNode, NodeMemo, SeqNode, StepNode, WhenClause } from './sequence-items';

export interface VariableDecl {
  name: string;
  value: string;
  nameSpan: Span;
  valueSpan: Span;
}

export interface SequenceModel {
  kind: 'sequence';
  name: string;
  nameSpan: Span;
  description?: string;
  /** ConfigMgr package ID of this sequence (used on export and for references by ID). */
  packageId?: Located<string>;
  bootImage?: Located<string>;
  variables: VariableDecl[];
  steps: SeqNode[];
  /** Preserved ConfigMgr package properties (object.xml) from an import. */
  configMgr?: unknown;
  root: YMap;
  /** Counts the in-place updates of model/incremental.ts, so that what is derived from the model knows when it is out of date. */
  revision: number;
}

/** Parses `timeout:`: a number of minutes (as the console shows it) or a string with a unit. */
export function parseTimeout(node: YScalar): number | undefined {
  const seconds = timeoutSeconds(node);
  return seconds !== undefined && Number.isFinite(seconds) ? Math.round(seconds) : undefined;
}

/**
 * The seconds a `timeout:` value means, exactly as written (fractions and `.inf` included, for the
 * checks of what ConfigMgr can store); undefined when it is no duration at all.
 */
export function timeoutSeconds(node: YScalar): number | undefined {
  if (typeof node.value === 'number') return node.value >= 0 ? node.value * 60 : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)\s*$/i.exec(node.text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  return unit.startsWith('s') ? n : unit.startsWith('m') ? n * 60 : n * 3600;
}

export function buildSequence(root: YMap, budget: ExpansionBudget): SequenceModel {
  const r = new MapReader(root, budget);
  const name = r.string('sequence');
  const model: SequenceModel = {
    kind: 'sequence',
    name: name?.value ?? '',
    nameSpan: name?.span ?? spanOf(r.key('sequence') ?? root),
    description: r.string('description')?.value,
    packageId: r.string('packageId'),
    bootImage: r.string('bootImage'),
    variables: [],
    steps: [],
    configMgr: r.has('configMgr') ? r.js('configMgr') : undefined,
    root,
    revision: 0,
  };
  const vars = r.map('variables');
  if (vars) {
    for (const p of pairsOf(new MapReader(vars, budget).pairs)) {
      if (p.key.kind !== 'scalar') continue;
      const v = resolve(p.value, budget);
      model.variables.push({
        name: p.key.text,
        value: v && v.kind === 'scalar' && v.value !== null ? v.text : '',
        nameSpan: spanOf(p.key),
        valueSpan: v ? spanOf(v) : spanOf(p.key),
      });
    }
  }
  model.steps = buildItems(r.node('steps'), null, budget);
  return model;
}

/**
 * The groups and steps being built, on one stack for every level: each list is copied out at its
 * exact length (./yaml/entry-stack.ts says why), where a list grown by `push` keeps room for 16.
 */
const itemStack = new EntryStack();
/** A step's options as they are read, copied out the same way (nothing else runs while they are read). */
const optionStack = new EntryStack();

function buildItems(list: YNode | undefined, parent: GroupNode | null, budget: ExpansionBudget): SeqNode[] {
  if (!list || list.kind !== 'seq') return [];
  const mark = itemStack.mark();
  try {
    for (const raw of list.items) {
      const item = resolve(raw, budget);
      if (!item || item.kind !== 'map') continue;
      itemStack.push(buildItem(item, parent, itemStack.count(mark), budget));
    }
  } catch (e) {
    itemStack.take(mark);
    throw e;
  }
  return itemStack.take<SeqNode>(mark);
}

/**
 * The values of a group or step the model reads, the last one of each key (as `MapReader.value`),
 * and the keys of `run` and `package` (a shorthand option is located at its key).
 * Every field is set from the start, so that all of them share one shape: filled in from an empty
 * object, each step's record took one of many shapes by the order its keys were written. One record
 * serves every item (`ITEM_PAIRS`): a group reads what it needs from it before its steps are built.
 */
class ItemPairs {
  group: YNode | undefined = undefined;
  name: YNode | undefined = undefined;
  when: YNode | undefined = undefined;
  id: YNode | undefined = undefined;
  description: YNode | undefined = undefined;
  continueOnError: YNode | undefined = undefined;
  disabled: YNode | undefined = undefined;
  xml: YNode | undefined = undefined;
  steps: YNode | undefined = undefined;
  run: YNode | undefined = undefined;
  action: YNode | undefined = undefined;
  package: YNode | undefined = undefined;
  with: YNode | undefined = undefined;
  timeout: YNode | undefined = undefined;
  successCodes: YNode | undefined = undefined;
  retryCount: YNode | undefined = undefined;
  runFromNet: YNode | undefined = undefined;
  /** The pairs read last, and where in them the keys of `run` and `package` are (-1: not written). */
  pairs: PairList = NO_PAIRS;
  runAt = -1;
  packageAt = -1;

  /** Finds every pair the model reads in one pass (a long sequence has tens of thousands of items). */
  read(pairs: PairList): this {
    this.group = this.name = this.when = this.id = this.description = undefined;
    this.continueOnError = this.disabled = this.xml = this.steps = this.run = undefined;
    this.action = this.package = this.with = this.timeout = this.successCodes = undefined;
    this.retryCount = this.runFromNet = undefined;
    this.pairs = pairs;
    this.runAt = this.packageAt = -1;
    for (let i = 0, n = pairCount(pairs); i < n; i++) {
      const key = keyTextAt(pairs, i);
      if (key === undefined) continue;
      const value = valueAt(pairs, i);
      switch (key) {
        case 'group':
          this.group = value;
          break;
        case 'name':
          this.name = value;
          break;
        case 'when':
          this.when = value;
          break;
        case 'id':
          this.id = value;
          break;
        case 'description':
          this.description = value;
          break;
        case 'continueOnError':
          this.continueOnError = value;
          break;
        case 'disabled':
          this.disabled = value;
          break;
        case 'xml':
          this.xml = value;
          break;
        case 'steps':
          this.steps = value;
          break;
        case 'run':
          this.run = value;
          this.runAt = i;
          break;
        case 'action':
          this.action = value;
          break;
        case 'package':
          this.package = value;
          this.packageAt = i;
          break;
        case 'with':
          this.with = value;
          break;
        case 'timeout':
          this.timeout = value;
          break;
        case 'successCodes':
          this.successCodes = value;
          break;
        case 'retryCount':
          this.retryCount = value;
          break;
        case 'runFromNet':
          this.runFromNet = value;
          break;
      }
    }
    return this;
  }
}

/** What `ITEM_PAIRS` is left reading once an item is built: it lives as long as the process, and a scalar it held would keep its file's text. */
const NO_PAIRS: PairList = [];
const ITEM_PAIRS = new ItemPairs();

/** The written, non-null scalar `value` as text, located at that scalar (see `MapReader.string`). */
function textOf(value: YNode | undefined, budget: ExpansionBudget): NodeValue<string> | undefined {
  const s = textScalarOf(value, budget);
  return s && nodeValue(s.text, s);
}

/** The group or step an entry of a `steps:` list describes (exported for incremental updates). */
export function buildItem(map: YMap, parent: GroupNode | null, index: number, budget: ExpansionBudget): SeqNode {
  const f = ITEM_PAIRS.read(effectivePairs(map, budget));
  const isGroup = f.group !== undefined;
  const named = textScalarOf(isGroup ? f.group : f.name, budget);
  const whenNode = textScalarOf(f.when, budget);
  const descriptionText = textScalarOf(f.description, budget)?.text;
  const id = textOf(f.id, budget);
  const when = whenNode && conditionOfItem(whenNode.text, whenNode);
  const continueOnError = boolScalarOf(f.continueOnError, budget)?.value ?? false;
  const disabled = boolScalarOf(f.disabled, budget)?.value ?? false;
  const xml = f.xml ? toJS(f.xml, budget) : undefined;
  if (isGroup) {
    const steps = resolve(f.steps, budget);
    const group = groupItem(
      named ? named.text : '',
      named,
      id,
      descriptionText,
      when,
      continueOnError,
      disabled,
      xml,
      map,
      parent,
      index,
    );
    group.steps = buildItems(steps, group, budget);
    ITEM_PAIRS.read(NO_PAIRS);
    return group;
  }
  const step = stepItem(
    named ? named.text : '',
    named,
    id,
    descriptionText,
    when,
    continueOnError,
    disabled,
    xml,
    map,
    parent,
    index,
  );
  const run = f.run;
  const itemPairs = f.pairs;
  const runAt = f.runAt;
  const pkg = f.package;
  const packageAt = f.packageAt;
  const action = textScalarOf(f.action, budget);
  const options = optionStack.mark();
  if (action) {
    step.action = action.text;
    step.actionNode = action;
  } else if (run && runAt >= 0) {
    step.action = 'RunCommandLine';
    step.actionNode = { pairs: itemPairs, at: runAt };
    step.shorthand = true;
    const v = resolve(run, budget);
    if (v) optionStack.push(stepOption('commandLine', itemPairs, runAt, toJS(v, budget), v, true));
    const pv = pkg && resolve(pkg, budget);
    if (packageAt >= 0 && pv) optionStack.push(stepOption('package', itemPairs, packageAt, toJS(pv, budget), pv, true));
  }
  const withMap = f.with && resolve(f.with, budget);
  if (withMap && withMap.kind === 'map') {
    step.withNode = withMap;
    const pairs = effectivePairs(withMap, budget);
    for (let i = 0, n = pairCount(pairs); i < n; i++) {
      const key = keyTextAt(pairs, i);
      if (key === undefined) continue;
      const v = resolve(valueAt(pairs, i), budget);
      if (!v) continue;
      optionStack.push(stepOption(key, pairs, i, toJS(v, budget), v));
    }
  }
  if (optionStack.count(options) > 0) step.options = optionStack.take<StepOption>(options);
  const timeout = scalarOf(f.timeout, budget);
  if (timeout) {
    const seconds = parseTimeout(timeout);
    if (seconds !== undefined) step.timeout = nodeValue(seconds, timeout);
  }
  const codes = resolve(f.successCodes, budget);
  if (codes) {
    const values = codes.kind === 'seq' ? codes.items.map((n) => resolve(n, budget)) : [codes];
    const nums = values.map((n) => (n && n.kind === 'scalar' ? Number(n.text) : NaN));
    if (nums.length > 0 && nums.every((n) => Number.isInteger(n))) step.successCodes = nodeValue(nums, codes);
  }
  const retryCount = integerScalarOf(f.retryCount, budget);
  const runFromNet = boolScalarOf(f.runFromNet, budget);
  if (retryCount) step.retryCount = nodeValue(retryCount.value, retryCount);
  if (runFromNet) step.runFromNet = nodeValue(runFromNet.value, runFromNet);
  ITEM_PAIRS.read(NO_PAIRS);
  return step;
}

/** The memory slot of a node, made on first use. */
export function memoOf(node: SeqNode): NodeMemo {
  return (node[NODE_MEMO] ??= { facts: [] });
}

/** The option named `name` of a step (the last one when written twice). */
export function option(step: StepNode, name: string): StepOption | undefined {
  for (let i = step.options.length - 1; i >= 0; i--) if (step.options[i].name === name) return step.options[i];
  return undefined;
}

/** Every group and step in document order (depth first), with the path of names from the root. */
export function* walk(nodes: SeqNode[]): Generator<SeqNode> {
  const stack: { list: SeqNode[]; i: number }[] = [{ list: nodes, i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.list.length) {
      stack.pop();
      continue;
    }
    const n = top.list[top.i++];
    yield n;
    if (n.kind === 'group' && n.steps.length) stack.push({ list: n.steps, i: 0 });
  }
}

/** `Group/Subgroup/Step` — the path of a node as `tsq simulate` reports it. */
export function pathOf(node: SeqNode): string {
  const names: string[] = [];
  for (let n: SeqNode | null = node; n; n = n.parent) names.push(n.name);
  return names.reverse().join('/');
}
