// One option of a step (`with:` entries and the `run:` / `package:` shorthand), whose two spans
// are read from its YAML nodes when asked for rather than stored. A step has two to ten options;
// stored, their key and value spans were two objects each, a quarter of a 10,000-step model's
// objects, each kept alive and moved on every keystroke. The nodes already carry the same offsets
// and model/yaml/incremental.ts already moves them in place, so a span read from them is always
// the one a full read would give (test/unit/incremental.test.ts compares the two after random
// edits). Each read gives a new object: callers may keep or spread it, never change the option.
// Its key is kept as where it is in its mapping's pair list (`KeyAt`), not as a node: most keys are
// kept as their text there (see `PairList` in ./yaml/nodes.ts), and the list's starts move too.

import { keySpanOf, type KeyAt, type PairList, type YNode } from './yaml/nodes';
import type { Span } from './text';

export interface StepOption extends KeyAt {
  /** DSL property name under `with:` (or `commandLine`/`package` from the `run:` shorthand). */
  readonly name: string;
  readonly keySpan: Span;
  /** Plain value (aliases and merges expanded). */
  readonly value: unknown;
  readonly node: YNode;
  readonly span: Span;
  /** True when the option came from the `run:` / `package:` shorthand at step level. */
  readonly fromShorthand?: boolean;
}

/**
 * The getters of every option; options are object literals with this as their prototype, never
 * instances made by `new` (./sequence-items.ts says why: V8 pretenures what a literal makes).
 */
class OptionOfStep implements StepOption {
  declare readonly name: string;
  /** The key as written (`with:` entry or `run:` / `package:`): pair `at` of `pairs`. */
  declare readonly pairs: PairList;
  declare readonly at: number;
  declare readonly value: unknown;
  declare readonly node: YNode;
  declare readonly fromShorthand: true | undefined;

  get keySpan(): Span {
    return keySpanOf(this);
  }

  get span(): Span {
    return { start: this.node.start, end: this.node.end };
  }
}

/** The option `name` written as pair `at` of `pairs`, whose value is `node` and plain value `value`. */
export function stepOption(
  name: string,
  pairs: PairList,
  at: number,
  value: unknown,
  node: YNode,
  fromShorthand?: true,
): StepOption {
  return { name, pairs, at, value, node, fromShorthand, __proto__: OptionOfStep.prototype } as unknown as StepOption;
}
