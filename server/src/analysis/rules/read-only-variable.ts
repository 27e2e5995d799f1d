// read-only-variable: names starting with `_` belong to the task sequence engine. Set Task
// Sequence Variable, Set Dynamic Variables, a sequence's `variables:`, output variables and
// collection or device variables cannot write them; ConfigMgr refuses or ignores such writes.
// https://learn.microsoft.com/mem/configmgr/osd/understand/using-task-sequence-variables#bkmk_read-only

import type { Rule } from '../rule';
import { variableWrites, type WriteKind } from '../../semantics/variable-flow';
import { variableDef } from '../../semantics/knowledge';

const WHERE: Record<WriteKind, string> = {
  'sequence-variables': 'as a sequence variable',
  'set-step': 'with Set Task Sequence Variable',
  'dynamic-rule': 'with Set Dynamic Variables',
  output: 'as an output variable',
  'drive-letter': 'as a drive-letter variable',
  'download-base': 'as a download base variable',
  machine: 'as a collection or device variable',
  collection: 'as a collection variable',
};

export const readOnlyVariable: Rule = {
  code: 'read-only-variable',
  defaultSeverity: 'error',
  title: 'A read-only variable is written',
  description: 'Variables whose names start with `_` are set by the task sequence engine and are read-only: a sequence, a step, a collection or a device cannot set them, and names of your own cannot start with `_`.',
  kinds: ['sequence', 'machine', 'catalog'],
  incremental: 'per-node',
  check(ctx) {
    for (const w of variableWrites(ctx.doc)) {
      if (!w.name.startsWith('_')) continue;
      const builtIn = variableDef(w.name);
      ctx.report({
        start: w.start,
        end: w.end,
        message: builtIn
          ? `\`${builtIn.name}\` is read-only: the task sequence engine sets it, so it cannot be set ${WHERE[w.kind]}.`
          : `Variable names starting with \`_\` are reserved for the task sequence engine; \`${w.name}\` cannot be set ${WHERE[w.kind]}.`,
        hint: 'Use a name without the leading underscore for a variable of your own.',
      });
    }
  },
};
