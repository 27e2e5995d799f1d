// The list of every analysis rule, in the order they run. Adding a rule: write a module in this
// folder exporting a Rule, add it here, document it in docs/rules.md, and give it tests.

import type { Rule } from '../rule';
import { yamlSyntax } from './yaml-syntax';
import { duplicateId } from './duplicate-id';
import { childCycle } from './child-cycle';

export const ALL_RULES: readonly Rule[] = [yamlSyntax, duplicateId, childCycle];

/** Codes that diagnostics can carry besides the rules' own (internal failures, suppressions). */
export const EXTRA_CODES = ['internal-error', 'suppression'] as const;

export const RULE_CODES: ReadonlySet<string> = new Set([...ALL_RULES.map((r) => r.code), ...EXTRA_CODES]);
