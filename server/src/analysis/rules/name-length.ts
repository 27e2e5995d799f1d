// name-length: how long a step's or group's name and description may be. Two limits apply, and
// only one of them stops ConfigMgr: the console's task sequence editor takes names of at most 50
// and descriptions of at most 256 characters, while ConfigMgr itself (its WMI classes, which
// imports and scripts write to) holds names of 1–100 and descriptions of 0–255 characters. A
// sequence imported from ConfigMgr may therefore carry longer names than the editor allows: that
// is a warning (the sequence runs; the editor wants the name shortened before it saves that
// step), and only what ConfigMgr cannot hold at all is an error. Sources:
// https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps (Properties for all
// steps: "The Name length can't exceed 50 characters", "The Description length can't exceed 256")
// https://learn.microsoft.com/mem/configmgr/develop/reference/osd/sms_tasksequence_step-server-wmi-class
// (`Name` AllowedLen("1-100"), `Description` AllowedLen("0-255"); groups inherit both).

import type { Rule, RuleContext } from '../rule';
import type { SeqNode } from '../../model/sequence';
import { findPair, type YPair } from '../../model/yaml/nodes';
import { nodesFor, nodeTest } from '../node-walk';

/** The console's task sequence editor (Properties tab of every step). */
export const EDITOR_NAME_LIMIT = 50;
export const EDITOR_DESCRIPTION_LIMIT = 256;
/** ConfigMgr's WMI classes (SMS_TaskSequence_Step and every class derived from it). */
export const WMI_NAME_LIMIT = 100;
export const WMI_DESCRIPTION_LIMIT = 255;

const EDITOR_PAGE = 'https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps';
const WMI_PAGE =
  'https://learn.microsoft.com/mem/configmgr/develop/reference/osd/sms_tasksequence_step-server-wmi-class';

/** The last `key:` pair of a node's mapping (the one that counts when a key is written twice). */
function pairOf(node: SeqNode, key: string): YPair | undefined {
  return findPair(node.node, key);
}

/** `text` cut to `limit` UTF-16 units without splitting a surrogate pair, trailing blanks dropped. */
export function shortened(text: string, limit: number): string {
  let end = Math.min(limit, text.length);
  const last = text.charCodeAt(end - 1);
  if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end).trimEnd();
}

/** A one-line plain or quoted value can be replaced by a shorter text; block scalars are left alone. */
function canShorten(pair: YPair | undefined): boolean {
  const v = pair?.value;
  return v?.kind === 'scalar' && (v.style === undefined || v.style === 'single' || v.style === 'double');
}

function checkName(ctx: RuleContext, node: SeqNode): void {
  const length = node.name.length;
  if (length <= EDITOR_NAME_LIMIT) return;
  const what = node.kind === 'group' ? 'group name' : 'step name';
  const pair = pairOf(node, node.kind === 'group' ? 'group' : 'name');
  const fix = canShorten(pair)
    ? { fix: 'replace' as const, candidates: [shortened(node.name, EDITOR_NAME_LIMIT)] }
    : undefined;
  if (length > WMI_NAME_LIMIT) {
    ctx.report({
      start: node.nameSpan.start,
      end: node.nameSpan.end,
      severity: 'error',
      message: `This ${what} is ${length} characters long; ConfigMgr holds at most ${WMI_NAME_LIMIT} (and its console editor ${EDITOR_NAME_LIMIT}).`,
      hint: `Shorten it to ${EDITOR_NAME_LIMIT} characters, so that the console can edit the step too. Limits: ${WMI_PAGE} (Name, 1–100) and ${EDITOR_PAGE} (50 in the editor).`,
      data: fix,
    });
    return;
  }
  ctx.report({
    start: node.nameSpan.start,
    end: node.nameSpan.end,
    severity: 'warning',
    message: `This ${what} is ${length} characters long; the console's task sequence editor takes at most ${EDITOR_NAME_LIMIT}.`,
    hint: `ConfigMgr stores and runs names of up to ${WMI_NAME_LIMIT} characters (an imported sequence keeps them), but the editor asks for a name of ${EDITOR_NAME_LIMIT} or fewer before it saves changes to this ${node.kind}. Limits: ${EDITOR_PAGE} (50 in the editor) and ${WMI_PAGE} (Name, 1–100).`,
    data: fix,
  });
}

function checkDescription(ctx: RuleContext, node: SeqNode): void {
  const text = node.description;
  if (text === undefined || text.length <= WMI_DESCRIPTION_LIMIT) return;
  const pair = pairOf(node, 'description');
  if (!pair) return;
  const fix = canShorten(pair)
    ? { fix: 'replace' as const, candidates: [shortened(text, WMI_DESCRIPTION_LIMIT)] }
    : undefined;
  const beyondBoth = text.length > EDITOR_DESCRIPTION_LIMIT;
  ctx.report({
    start: pair.value.start,
    end: pair.value.end,
    severity: beyondBoth ? 'error' : 'warning',
    message: beyondBoth
      ? `This description is ${text.length} characters long; ConfigMgr holds at most ${WMI_DESCRIPTION_LIMIT} (its console editor ${EDITOR_DESCRIPTION_LIMIT}).`
      : `This description is ${text.length} characters long: the console's editor takes ${EDITOR_DESCRIPTION_LIMIT}, but ConfigMgr's WMI class documents at most ${WMI_DESCRIPTION_LIMIT}.`,
    hint: `Shorten it to ${WMI_DESCRIPTION_LIMIT} characters. Limits: ${WMI_PAGE} (Description, 0–255) and ${EDITOR_PAGE} (256 in the editor).`,
    data: fix,
  });
}

/** The nodes with a name or description longer than the limits below which nothing is reported (found in the shared walk, analysis/node-walk.ts). */
const TOO_LONG = nodeTest(
  (node) =>
    node.name.length > EDITOR_NAME_LIMIT ||
    (node.description !== undefined && node.description.length > WMI_DESCRIPTION_LIMIT),
);

export const nameLength: Rule = {
  code: 'name-length',
  defaultSeverity: 'warning',
  mostSevere: 'error',
  title: 'A step or group name (or description) is longer than ConfigMgr or its console editor allows',
  description:
    'Step and group names longer than the 50 characters the console’s task sequence editor takes are warnings: ConfigMgr stores names of up to 100 characters (imported sequences keep them and run), but the editor wants a shorter name before it saves changes to that step. Names over 100 characters are errors, since ConfigMgr’s WMI classes hold at most 100. Descriptions: over 255 characters (the WMI limit) a warning while the editor’s 256 still allow it, an error beyond. The quick fix shortens the text. Sources: https://learn.microsoft.com/mem/configmgr/osd/understand/task-sequence-steps (Properties for all steps) and https://learn.microsoft.com/mem/configmgr/develop/reference/osd/sms_tasksequence_step-server-wmi-class (`Name` 1–100, `Description` 0–255).',
  kinds: ['sequence'],
  // Each group's or step's own name and description decide its findings.
  incremental: 'per-node',
  check(ctx) {
    const nodes = nodesFor(ctx, TOO_LONG);
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      checkName(ctx, node);
      checkDescription(ctx, node);
    }
  },
};
