// read-only-variable: names starting with `_` belong to the task sequence engine. Set Task
// Sequence Variable, Set Dynamic Variables, a sequence's `variables:`, output variables and
// collection or device variables cannot write them; ConfigMgr refuses or ignores such writes
// (https://learn.microsoft.com/mem/configmgr/osd/understand/using-task-sequence-variables#bkmk_read-only).
// No `_` variable of ConfigMgr's reference is documented as settable. One is in MDT's:
// `_SMSTSOrgName`, which ConfigMgr documents as read-only (it holds the Organization name client
// setting) but MDT documents setting from its rules. In a sequence that uses MDT steps, setting
// such a variable in the sequence is a warning that points to MDT's documented way.

import type { Rule } from '../rule';
import type { SequenceModel } from '../../model/sequence';
import { eachNode, stepOnly, type NodeInputs } from '../node-reads';
import {
  eachVariableWrite,
  stepVariableWrites,
  type VariableWrite,
  type WriteKind,
} from '../../semantics/variable-flow';
import { variableDef } from '../../semantics/knowledge';
import type { VariableDefinition } from '../../catalog/types';
import { isMdtStep, usesMdtSteps } from '../../semantics/dialect';

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

const UNDERSCORE = 0x5f;

/** Writes the sequence itself makes (what MDT's sequences do), as opposed to collection or step outputs. */
const SEQUENCE_WRITES: ReadonlySet<WriteKind> = new Set(['sequence-variables', 'set-step']);

/** Where ConfigMgr's own documentation says the organization name comes from. */
const ORG_NAME_PAGE = 'https://learn.microsoft.com/mem/configmgr/osd/understand/user-experience';

/**
 * After an edit: the underscore names a step writes, and whether the step comes with MDT (which
 * makes writing `_SMSTSOrgName` in the sequence a warning instead of an error everywhere in the file).
 */
const inputs: NodeInputs = (doc, node, at) =>
  eachNode(
    node,
    stepOnly((s) => {
      const writes = stepVariableWrites(doc, s)
        .filter((w) => w.name.startsWith('_'))
        .map((w) => `${w.name}:${w.kind}@${at(w.start)}-${at(w.end)}`);
      return `${isMdtStep(s) ? 'mdt|' : ''}${writes.join(',')}`;
    }),
  );

export const readOnlyVariable: Rule = {
  code: 'read-only-variable',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'A read-only variable is written',
  description:
    'Variables whose names start with `_` are set by the task sequence engine and are read-only: a sequence, a step, a collection or a device cannot set them, and names of your own cannot start with `_` (https://learn.microsoft.com/mem/configmgr/osd/understand/using-task-sequence-variables). One exception is documented by MDT: `_SMSTSOrgName` (read-only in ConfigMgr, where the Organization name client setting fills it) may be set from MDT’s rules (https://learn.microsoft.com/mem/configmgr/mdt/toolkit-reference#_smstsorgname); in a sequence that uses MDT steps, setting it in the sequence is a warning that names MDT’s way.',
  kinds: ['sequence', 'machine', 'catalog'],
  incremental: { inputs },
  check(ctx) {
    const writes: VariableWrite[] = [];
    eachVariableWrite(ctx.doc, (w) => {
      if (w.name.charCodeAt(0) === UNDERSCORE) writes.push(w);
    });
    if (writes.length === 0) return;
    const model = ctx.doc.kind === 'sequence' ? (ctx.doc.model as SequenceModel | undefined) : undefined;
    const mdt = model ? usesMdtSteps(model.steps) : false;
    for (const w of writes) {
      const builtIn = variableDef(w.name);
      if (builtIn?.settableByMdt && mdt && SEQUENCE_WRITES.has(w.kind)) {
        ctx.report({
          start: w.start,
          end: w.end,
          severity: 'warning',
          message: `\`${builtIn.name}\` is read-only in ConfigMgr, but MDT documents setting it, and this sequence uses MDT: set it in MDT’s rules rather than ${WHERE[w.kind]}.`,
          hint: `MDT sets it from Bootstrap.ini, CustomSettings.ini or the MDT database (${builtIn.settableByMdt}); ConfigMgr otherwise fills it from the Organization name client setting (${ORG_NAME_PAGE}).`,
        });
        continue;
      }
      ctx.report({ start: w.start, end: w.end, message: messageOf(w, builtIn), hint: hintOf(builtIn) });
    }
  },
};

function messageOf(w: VariableWrite, builtIn: VariableDefinition | undefined): string {
  return builtIn
    ? `\`${builtIn.name}\` is read-only: the task sequence engine sets it, so it cannot be set ${WHERE[w.kind]}.`
    : `Variable names starting with \`_\` are reserved for the task sequence engine; \`${w.name}\` cannot be set ${WHERE[w.kind]}.`;
}

function hintOf(builtIn: VariableDefinition | undefined): string {
  if (!builtIn?.settableByMdt) return 'Use a name without the leading underscore for a variable of your own.';
  const configMgr =
    builtIn.name === '_SMSTSOrgName'
      ? `ConfigMgr fills it from the Organization name client setting (Computer Agent group; ${ORG_NAME_PAGE})`
      : 'ConfigMgr fills it itself';
  return `${configMgr}; a sequence that uses MDT steps can set it in MDT’s rules (${builtIn.settableByMdt}).`;
}
