// Where a condition mentions task sequence variables, for the undefined-variable lint,
// completion and rename; and a walk over every node for other tools that need one.

import type { ConditionNode, Identifier } from './ast';

/** Calls `visit` on the node and every node below it, platforms' tests included. */
export function walkCondition(node: ConditionNode, visit: (node: ConditionNode) => void): void {
  const stack: ConditionNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    visit(current);
    switch (current.kind) {
      case 'condition':
      case 'and':
      case 'or':
      case 'not':
        for (let i = current.children.length - 1; i >= 0; i--) stack.push(current.children[i]);
        break;
      case 'osVersion':
        for (let i = current.platforms.length - 1; i >= 0; i--) {
          const tests = current.platforms[i].tests;
          for (let j = tests.length - 1; j >= 0; j--) stack.push(tests[j]);
        }
        break;
      default:
        break; // a test: no nodes below it
    }
  }
}

/** Every variable name the condition reads, in text order, with the offsets of the name. */
export function variableReferences(node: ConditionNode): Identifier[] {
  const found: Identifier[] = [];
  walkCondition(node, (n) => {
    if (n.kind === 'compare' || n.kind === 'exists') found.push({ ...n.variable });
  });
  return found;
}
