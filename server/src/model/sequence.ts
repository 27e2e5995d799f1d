// The typed model of a `sequence:` file: the ordered tree of groups and steps with their options,
// each carrying the source spans its values came from. Built from the YAML tree without consulting
// the built-in catalog (analysis resolves action names), and without ever failing: malformed parts
// are left out and reported by the schema rules.

import type { YMap, YNode, YPair, YScalar } from './yaml/nodes';
import { ExpansionBudget, effectivePairs, resolve, toJS } from './yaml/expand';
import { MapReader, boolOf, integerOf, scalarOf, spanOf, stringOf, type Located } from './fields';
import type { Span } from './text';
import { stepOption, type StepOption } from './step-option';
import { EntryStack } from './yaml/entry-stack';

export type { StepOption } from './step-option';

export interface WhenClause {
  /** The condition text (decoded YAML string). */
  text: string;
  /** The YAML scalar it came from (for mapping offsets inside the text back to the file). */
  node: YScalar;
  span: Span;
}

/**
 * Where the engine keeps per-node memory (moved spans of incremental updates, facts analysis
 * reads again and again). Every node has the slot from its creation, so that filling it does not
 * change the node's shape, which would make every access to nodes slower.
 */
export const NODE_MEMO: unique symbol = Symbol('tsq.node-memo');

export interface NodeMemo {
  spans: Span[] | undefined;
  /** Indexed by cache (see semantics/node-cache.ts). */
  facts: unknown[];
}

interface SeqNodeBase {
  [NODE_MEMO]: NodeMemo | undefined;
  name: string;
  /** Span of the name value (or of the item when the name is missing). */
  nameSpan: Span;
  id?: Located<string>;
  description?: string;
  when?: WhenClause;
  continueOnError: boolean;
  disabled: boolean;
  /** Preserved ConfigMgr XML details that tsq does not model (kept for lossless export). */
  xml?: unknown;
  /** The item's YAML mapping and its full span. */
  node: YMap;
  span: Span;
  parent: GroupNode | null;
  /** Index within the parent's (or the sequence's) steps. */
  index: number;
}

export interface GroupNode extends SeqNodeBase {
  kind: 'group';
  steps: SeqNode[];
}

export interface StepNode extends SeqNodeBase {
  kind: 'step';
  /** DSL action key as written (`RunCommandLine` for the `run:` shorthand); '' when missing. */
  action: string;
  actionSpan?: Span;
  shorthand: boolean;
  options: StepOption[];
  /** Span of the `with:` mapping, when present. */
  withSpan?: Span;
  /** Step time limit in seconds (`timeout:` minutes, or `90s` / `15m` / `2h`). */
  timeout?: Located<number>;
  successCodes?: Located<number[]>;
  retryCount?: Located<number>;
  runFromNet?: Located<boolean>;
}

export type SeqNode = GroupNode | StepNode;

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
    nameSpan: name?.span ?? spanOf(r.pair('sequence')?.key ?? root),
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
    for (const p of new MapReader(vars, budget).pairs) {
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
 * The pairs of a group or step the model reads, the last one of each key (as `MapReader.pair`).
 * Every field is set from the start, so that all of them share one shape: filled in from an empty
 * object, each step's record took one of many shapes by the order its keys were written.
 */
class ItemPairs {
  group: YPair | undefined = undefined;
  name: YPair | undefined = undefined;
  when: YPair | undefined = undefined;
  id: YPair | undefined = undefined;
  description: YPair | undefined = undefined;
  continueOnError: YPair | undefined = undefined;
  disabled: YPair | undefined = undefined;
  xml: YPair | undefined = undefined;
  steps: YPair | undefined = undefined;
  run: YPair | undefined = undefined;
  action: YPair | undefined = undefined;
  package: YPair | undefined = undefined;
  with: YPair | undefined = undefined;
  timeout: YPair | undefined = undefined;
  successCodes: YPair | undefined = undefined;
  retryCount: YPair | undefined = undefined;
  runFromNet: YPair | undefined = undefined;
}

/** Finds every pair the model reads in one pass (a long sequence has tens of thousands of items). */
function itemPairs(pairs: YPair[]): ItemPairs {
  const out = new ItemPairs();
  for (const p of pairs) {
    if (p.key.kind !== 'scalar') continue;
    switch (p.key.text) {
      case 'group':
        out.group = p;
        break;
      case 'name':
        out.name = p;
        break;
      case 'when':
        out.when = p;
        break;
      case 'id':
        out.id = p;
        break;
      case 'description':
        out.description = p;
        break;
      case 'continueOnError':
        out.continueOnError = p;
        break;
      case 'disabled':
        out.disabled = p;
        break;
      case 'xml':
        out.xml = p;
        break;
      case 'steps':
        out.steps = p;
        break;
      case 'run':
        out.run = p;
        break;
      case 'action':
        out.action = p;
        break;
      case 'package':
        out.package = p;
        break;
      case 'with':
        out.with = p;
        break;
      case 'timeout':
        out.timeout = p;
        break;
      case 'successCodes':
        out.successCodes = p;
        break;
      case 'retryCount':
        out.retryCount = p;
        break;
      case 'runFromNet':
        out.runFromNet = p;
        break;
    }
  }
  return out;
}

/** The group or step an entry of a `steps:` list describes (exported for incremental updates). */
export function buildItem(map: YMap, parent: GroupNode | null, index: number, budget: ExpansionBudget): SeqNode {
  const f = itemPairs(effectivePairs(map, budget));
  const isGroup = f.group !== undefined;
  const nameField = stringOf(isGroup ? f.group : f.name, budget);
  const whenNode = scalarOf(f.when, budget);
  const description = scalarOf(f.description, budget);
  // The fields every group and step has, written out in each literal rather than spread from a
  // shared one, and the step's optional fields there too (as undefined until set): both kinds of
  // node then keep one shape each, set from the start, and nothing is copied.
  const name = nameField?.value ?? '';
  const nameSpan = nameField?.span ?? { start: map.start, end: map.start };
  const id = stringOf(f.id, budget);
  const descriptionText = description && description.value !== null ? description.text : undefined;
  const when =
    whenNode && whenNode.value !== null ? { text: whenNode.text, node: whenNode, span: spanOf(whenNode) } : undefined;
  const continueOnError = boolOf(f.continueOnError, budget)?.value ?? false;
  const disabled = boolOf(f.disabled, budget)?.value ?? false;
  const xml = f.xml ? toJS(f.xml.value, budget) : undefined;
  const span = spanOf(map);
  if (isGroup) {
    const group: GroupNode = {
      kind: 'group',
      name,
      nameSpan,
      id,
      description: descriptionText,
      when,
      continueOnError,
      disabled,
      xml,
      node: map,
      span,
      parent,
      index,
      steps: [],
      [NODE_MEMO]: undefined,
    };
    group.steps = buildItems(resolve(f.steps?.value, budget), group, budget);
    return group;
  }
  const step: StepNode = {
    kind: 'step',
    name,
    nameSpan,
    id,
    description: descriptionText,
    when,
    continueOnError,
    disabled,
    xml,
    node: map,
    span,
    parent,
    index,
    action: '',
    actionSpan: undefined,
    shorthand: false,
    options: [],
    withSpan: undefined,
    timeout: undefined,
    successCodes: undefined,
    retryCount: undefined,
    runFromNet: undefined,
    // Last: a computed key makes V8 define every property after it one by one instead of copying
    // the literal's template, which for the twenty-odd fields of a step cost more than the rest of the model.
    [NODE_MEMO]: undefined,
  };
  const run = f.run;
  const action = stringOf(f.action, budget);
  const options = optionStack.mark();
  if (action) {
    step.action = action.value;
    step.actionSpan = action.span;
  } else if (run) {
    step.action = 'RunCommandLine';
    step.actionSpan = spanOf(run.key);
    step.shorthand = true;
    const v = resolve(run.value, budget);
    if (v) optionStack.push(stepOption('commandLine', run.key, toJS(v, budget), v, true));
    const pkg = f.package;
    const pv = pkg && resolve(pkg.value, budget);
    if (pkg && pv) optionStack.push(stepOption('package', pkg.key, toJS(pv, budget), pv, true));
  }
  const withMap = f.with && resolve(f.with.value, budget);
  if (withMap && withMap.kind === 'map') {
    step.withSpan = spanOf(withMap);
    for (const p of effectivePairs(withMap, budget)) {
      if (p.key.kind !== 'scalar') continue;
      const v = resolve(p.value, budget);
      if (!v) continue;
      optionStack.push(stepOption(p.key.text, p.key, toJS(v, budget), v));
    }
  }
  if (optionStack.count(options) > 0) step.options = optionStack.take<StepOption>(options);
  const timeout = scalarOf(f.timeout, budget);
  if (timeout) {
    const seconds = parseTimeout(timeout);
    if (seconds !== undefined) step.timeout = { value: seconds, span: spanOf(timeout) };
  }
  const codes = resolve(f.successCodes?.value, budget);
  if (codes) {
    const values = codes.kind === 'seq' ? codes.items.map((n) => resolve(n, budget)) : [codes];
    const nums = values.map((n) => (n && n.kind === 'scalar' ? Number(n.text) : NaN));
    if (nums.length > 0 && nums.every((n) => Number.isInteger(n)))
      step.successCodes = { value: nums, span: spanOf(codes) };
  }
  step.retryCount = integerOf(f.retryCount, budget);
  step.runFromNet = boolOf(f.runFromNet, budget);
  return step;
}

/** The memory slot of a node, made on first use. */
export function memoOf(node: SeqNode): NodeMemo {
  return (node[NODE_MEMO] ??= { spans: undefined, facts: [] });
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
