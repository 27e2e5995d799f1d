// The groups and steps of a sequence model, and the located values they hold (an `id:`, a `when:`,
// a `timeout:` ...), with their spans read from their YAML nodes when asked for instead of stored.
// Stored, a step's spans were four to six objects of its own (the item, its name, its action, its
// `with:`, its id, its condition): about 40 % of what a 100,000-step model keeps, made for every
// step of every read and moved one by one after every keystroke. The nodes carry the same offsets
// and model/yaml/incremental.ts moves them in place, so a span read from them is always the one a
// full read would give (test/unit/incremental.test.ts compares the two after random edits), and
// model/incremental.ts has nothing of theirs left to move. Each read gives a new object, as a step
// option's spans do (./step-option.ts): callers may keep, spread or change it without changing the
// model. The classes keep the model's interfaces, so readers see plain fields; only what the spans
// are read from is stored (`nameNode`, `actionNode`, `withNode`, a value's `node`).

import { keySpanOf, type KeyAt, type YMap, type YNode, type YScalar } from './yaml/nodes';
import type { Span } from './text';
import { spanOf, type Located } from './fields';
import type { StepOption } from './step-option';

/**
 * Where the engine keeps per-node memory (facts analysis reads again and again). Every node has the
 * slot from its creation, so that filling it does not change the node's shape, which would make
 * every access to nodes slower.
 */
export const NODE_MEMO: unique symbol = Symbol('tsq.node-memo');

export interface NodeMemo {
  /** Indexed by cache (see semantics/node-cache.ts). */
  facts: unknown[];
}

export interface WhenClause {
  /** The condition text (decoded YAML string). */
  readonly text: string;
  /** The YAML scalar it came from (for mapping offsets inside the text back to the file). */
  readonly node: YScalar;
  readonly span: Span;
}

interface SeqNodeBase {
  [NODE_MEMO]: NodeMemo | undefined;
  name: string;
  /** Span of the name value (or of the item's first character when the name is missing). */
  readonly nameSpan: Span;
  id?: Located<string>;
  description?: string;
  when?: WhenClause;
  continueOnError: boolean;
  disabled: boolean;
  /** Preserved ConfigMgr XML details that tsq does not model (kept for lossless export). */
  xml?: unknown;
  /** The item's YAML mapping and its full span. */
  node: YMap;
  readonly span: Span;
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
  readonly actionSpan?: Span;
  shorthand: boolean;
  options: StepOption[];
  /** Span of the `with:` mapping, when present. */
  readonly withSpan?: Span;
  /** Step time limit in seconds (`timeout:` minutes, or `90s` / `15m` / `2h`). */
  timeout?: Located<number>;
  successCodes?: Located<number[]>;
  retryCount?: Located<number>;
  runFromNet?: Located<boolean>;
}

export type SeqNode = GroupNode | StepNode;

/**
 * The options of every step that has none (one in five in a generated `mixed` file): one shared
 * empty list rather than one each. Nothing changes a step's options in place.
 */
const NO_OPTIONS: StepOption[] = [];
/** The steps of a group until they are set (a group's list is always replaced, never changed in place). */
const NO_ITEMS: SeqNode[] = [];

// Every item, value and condition of a model is made by an object literal whose prototype holds
// the span getters (`{ ...fields, __proto__: StepItem.prototype }`), never by `new`: the model lives
// as long as its document, and V8 makes what a literal makes directly among the long-lived objects
// once it has seen that such objects live on (allocation-site pretenuring), which it never does for
// class instances. Made by `new`, every step, option and value of a 100,000-step file was copied
// twice by the young generation's collector before it settled: six scavenges while the model was
// built, two now, and the build 4 % cheaper (docs/performance.md, "A model made by literals"). The
// classes below only carry the getters and the fields' types; their constructors are never called,
// and `instanceof` still holds. Fields are written in one order for both kinds, the memory slot (a
// computed key) after them and `__proto__` last: written before the computed key, it sent V8 down a
// slow path that made each object five times as slowly as `new`.

/** A value read from `node` (its text, its number ...), located where the node is. */
export class NodeValue<T> implements Located<T> {
  declare readonly value: T;
  declare readonly node: YNode;

  get span(): Span {
    return spanOf(this.node);
  }
}

/** The value `value` read from `node`. */
export function nodeValue<T>(value: T, node: YNode): NodeValue<T> {
  return { value, node, __proto__: NodeValue.prototype } as unknown as NodeValue<T>;
}

/** A `when:` condition, read from its scalar. */
export class ConditionOfItem implements WhenClause {
  declare readonly text: string;
  declare readonly node: YScalar;

  get span(): Span {
    return spanOf(this.node);
  }
}

/** The condition `text` read from `node`. */
export function conditionOfItem(text: string, node: YScalar): ConditionOfItem {
  return { text, node, __proto__: ConditionOfItem.prototype } as unknown as ConditionOfItem;
}

/** What a group and a step share: their fields, and the spans of the item and of its name. */
abstract class ItemOfSequence {
  declare name: string;
  /** The name's scalar, undefined when the name is missing. */
  declare nameNode: YScalar | undefined;
  declare id: Located<string> | undefined;
  declare description: string | undefined;
  declare when: WhenClause | undefined;
  declare continueOnError: boolean;
  declare disabled: boolean;
  declare xml: unknown;
  declare node: YMap;
  declare parent: GroupNode | null;
  declare index: number;

  get span(): Span {
    return spanOf(this.node);
  }

  get nameSpan(): Span {
    return this.nameNode ? spanOf(this.nameNode) : { start: this.node.start, end: this.node.start };
  }
}

export class GroupItem extends ItemOfSequence implements GroupNode {
  declare readonly kind: 'group';
  declare steps: SeqNode[];
  declare [NODE_MEMO]: NodeMemo | undefined;
}

export class StepItem extends ItemOfSequence implements StepNode {
  declare readonly kind: 'step';
  declare action: string;
  /** What the action was read from: the `action:` value, or where the `run:` key of the shorthand is. */
  declare actionNode: YNode | KeyAt | undefined;
  declare shorthand: boolean;
  declare options: StepOption[];
  /** The `with:` mapping, when there is one. */
  declare withNode: YMap | undefined;
  declare timeout: Located<number> | undefined;
  declare successCodes: Located<number[]> | undefined;
  declare retryCount: Located<number> | undefined;
  declare runFromNet: Located<boolean> | undefined;
  declare [NODE_MEMO]: NodeMemo | undefined;

  get actionSpan(): Span | undefined {
    const from = this.actionNode;
    if (from === undefined) return undefined;
    return 'kind' in from ? spanOf(from) : keySpanOf(from);
  }

  get withSpan(): Span | undefined {
    return this.withNode && spanOf(this.withNode);
  }
}

/** A group, its steps still to be set. */
export function groupItem(
  name: string,
  nameNode: YScalar | undefined,
  id: Located<string> | undefined,
  description: string | undefined,
  when: WhenClause | undefined,
  continueOnError: boolean,
  disabled: boolean,
  xml: unknown,
  node: YMap,
  parent: GroupNode | null,
  index: number,
): GroupItem {
  return {
    name,
    nameNode,
    id,
    description,
    when,
    continueOnError,
    disabled,
    xml,
    node,
    parent,
    index,
    kind: 'group',
    steps: NO_ITEMS,
    [NODE_MEMO]: undefined,
    __proto__: GroupItem.prototype,
  } as unknown as GroupItem;
}

/** A step, its action and options still to be set. */
export function stepItem(
  name: string,
  nameNode: YScalar | undefined,
  id: Located<string> | undefined,
  description: string | undefined,
  when: WhenClause | undefined,
  continueOnError: boolean,
  disabled: boolean,
  xml: unknown,
  node: YMap,
  parent: GroupNode | null,
  index: number,
): StepItem {
  return {
    name,
    nameNode,
    id,
    description,
    when,
    continueOnError,
    disabled,
    xml,
    node,
    parent,
    index,
    kind: 'step',
    action: '',
    actionNode: undefined,
    shorthand: false,
    options: NO_OPTIONS,
    withNode: undefined,
    timeout: undefined,
    successCodes: undefined,
    retryCount: undefined,
    runFromNet: undefined,
    [NODE_MEMO]: undefined,
    __proto__: StepItem.prototype,
  } as unknown as StepItem;
}
