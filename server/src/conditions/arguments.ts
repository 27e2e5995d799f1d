// The arguments of the condition functions: what each one means, and which argument of which call
// a place in a condition is in. The editor's hover and completion use it inside `wmi(...)`,
// `registry(...)`, `fileExists(...)` and the others, where the function's name alone says too
// little. Meanings follow the ConfigMgr condition classes
// (https://learn.microsoft.com/en-us/mem/configmgr/develop/reference/osd/sms_tasksequence_conditionexpression-server-wmi-class).

import type { Token } from './lexer';
import { findFunction, type ConditionFunction, type FunctionOption } from './vocabulary';

export interface ArgumentHelp {
  name: string;
  summary: string;
  /** Values to offer when completing it. */
  examples?: string[];
}

const REGISTRY_KEY: ArgumentHelp = {
  name: 'key',
  summary:
    'Registry key, starting with its hive: `HKEY_LOCAL_MACHINE\\SOFTWARE\\…` (or `HKLM\\…`, written out in full on export).',
  examples: ['HKEY_LOCAL_MACHINE\\SOFTWARE\\'],
};
const REGISTRY_VALUE: ArgumentHelp = {
  name: 'value name',
  summary: 'Name of the value under the key; `""` for the key\'s default value.',
};

/** Positional arguments, in order, of the functions that take fixed ones. */
const POSITIONAL: Record<string, ArgumentHelp[]> = {
  exists: [{ name: 'variable', summary: 'Task sequence variable name, bare (not in quotes or `%…%`).' }],
  notExists: [{ name: 'variable', summary: 'Task sequence variable name, bare (not in quotes or `%…%`).' }],
  fileExists: [
    {
      name: 'path',
      summary: 'Full path of the file on the device as the step sees it (in Windows PE, X: is the boot image).',
    },
  ],
  folderExists: [
    {
      name: 'path',
      summary: 'Full path of the folder on the device; a path ending in `\\` needs it doubled: `"C:\\Logs\\\\"`.',
    },
  ],
  registry: [REGISTRY_KEY, REGISTRY_VALUE],
  registryExists: [REGISTRY_KEY, REGISTRY_VALUE],
  registryNotExists: [REGISTRY_KEY, REGISTRY_VALUE],
  wmi: [
    {
      name: 'query',
      summary: 'WQL query; the check is true when it returns at least one instance.',
      examples: [
        "SELECT * FROM Win32_ComputerSystem WHERE Model LIKE '%%'",
        "SELECT * FROM Win32_OperatingSystem WHERE Version LIKE '10.0.2%'",
      ],
    },
  ],
  installed: [
    {
      name: 'product code',
      summary:
        'Windows Installer product code in braces, `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`: this exact product must be installed.',
    },
  ],
  installedAnyVersion: [
    { name: 'upgrade code', summary: 'Windows Installer upgrade code in braces: any product of the family counts.' },
  ],
  osLanguage: [
    {
      name: 'language ID',
      summary: 'Windows display language as a decimal LCID, e.g. 1033 for English (United States).',
    },
  ],
  expression: [
    { name: 'class', summary: 'ConfigMgr condition class, kept as stored (`SMS_TaskSequence_…ConditionExpression`).' },
  ],
};

/** Arguments that repeat (every argument is one more of the same). */
const REPEATED: Record<string, ArgumentHelp> = {
  osVersion: {
    name: 'platform',
    summary:
      'Supported platform by the name ConfigMgr lists, e.g. `All x64 Windows 11 and higher`; the architecture in the name must match the boot image.',
    examples: ['All x64 Windows 11 and higher', 'All x64 Windows 10 and higher', 'All ARM64 Windows 11 and higher'],
  },
  platform: { name: 'platform', summary: 'The platform name, then the tests ConfigMgr stored for it.' },
  all: { name: 'check', summary: 'A check; every one must be true.' },
  any: { name: 'check', summary: 'A check; at least one must be true.' },
  none: { name: 'check', summary: 'A check; none may be true.' },
};

/** Values offered after `option=`. */
export const OPTION_VALUES: Record<string, string[]> = {
  namespace: ['root\\cimv2', 'root\\wmi', 'root\\Microsoft\\Windows\\Storage'],
};

export interface ArgumentSpot {
  fn: ConditionFunction;
  /** Which positional argument (0-based), counting only arguments not written `name=` or `name <op>`. */
  index: number;
  /** The argument's meaning, when tsq knows it. */
  help?: ArgumentHelp;
  /** Set when the place is on an option (`namespace=`, `version >=`) or its value. */
  option?: FunctionOption;
  /** True when the place is on the option's value rather than its name. */
  onOptionValue?: boolean;
}

export function argumentHelp(fn: ConditionFunction, index: number): ArgumentHelp | undefined {
  return POSITIONAL[fn.name]?.[index] ?? REPEATED[fn.name];
}

/**
 * The argument of the innermost call that the token at `at` belongs to (or that a new token at
 * `at` would start); undefined outside calls and on the function's own name.
 */
export function argumentAt(tokens: readonly Token[], at: number): ArgumentSpot | undefined {
  interface Frame {
    fn?: ConditionFunction;
    index: number;
    option?: FunctionOption;
    optionValue: boolean;
  }
  const stack: Frame[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind === 'eof' || t.start >= at) break;
    const top = stack[stack.length - 1];
    if (t.kind === 'lparen') {
      const prev = tokens[k - 1];
      stack.push({ fn: prev?.kind === 'word' ? findFunction(prev.text) : undefined, index: 0, optionValue: false });
    } else if (t.kind === 'rparen') {
      if (t.end <= at) stack.pop();
    } else if (t.kind === 'comma') {
      if (top) {
        if (!top.option) top.index++;
        top.option = undefined;
        top.optionValue = false;
      }
    } else if (top?.fn && t.kind === 'word' && tokens[k + 1]?.kind === 'op') {
      const option = top.fn.options.find((o) => o.name.toLowerCase() === t.text.toLowerCase());
      if (option) {
        top.option = option;
        if (tokens[k + 1].end <= at) top.optionValue = true;
      }
    } else if (top?.option && t.kind === 'op' && t.end <= at) top.optionValue = true;
  }
  const top = stack[stack.length - 1];
  if (!top?.fn) return undefined;
  return {
    fn: top.fn,
    index: top.index,
    help: top.option ? undefined : argumentHelp(top.fn, top.index),
    option: top.option,
    onOptionValue: top.option ? top.optionValue : undefined,
  };
}
