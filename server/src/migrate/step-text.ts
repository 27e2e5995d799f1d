// The text edit that applies one step's migration to the YAML: the step's entry removed, or its
// mapping rewritten with the new `action:` and `with:` while its name, id, description,
// condition and the other settings every step has stay as the author wrote them (comments inside
// those values included). The `xml:` details of the MDT form go: ConfigMgr's own form is written
// on export. No comment is lost: those of the replaced settings move above the new options. Kept
// steps are not edited.

import { pairIndexAt, pairsOf } from '../model/yaml/nodes';
import type { TsqDocument } from '../model/document';
import type { StepNode } from '../model/sequence';
import { effectivePairs, toJS } from '../model/yaml/expand';
import { emitYaml } from '../model/yaml/emit';
import { columnOf, lineEndOf, stepEntryRange } from '../model/step-edits';
import type { StepOutcome } from './convert-step';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Settings of any step that a replacement keeps as written. */
const KEPT_KEYS = new Set([
  'name',
  'id',
  'description',
  'when',
  'continueOnError',
  'disabled',
  'timeout',
  'successCodes',
  'retryCount',
  'runFromNet',
]);
/** What the old step was: its action, options and MDT form. */
const REPLACED_KEYS = new Set(['action', 'run', 'package', 'with', 'xml']);

/** The edit for `outcome` of `step`; undefined for a kept step, or when the step's text cannot be edited safely. */
export function stepEdit(doc: TsqDocument, step: StepNode, outcome: StepOutcome): TextEdit | undefined {
  if (outcome.kind === 'keep') return undefined;
  if (outcome.kind === 'remove') {
    const range = stepEntryRange(doc.text, step);
    return range ? { ...range, text: '' } : undefined;
  }
  const map = step.node;
  const indent = ' '.repeat(columnOf(doc.text, map.start));
  const eol = /\r\n/.test(doc.text) ? '\r\n' : '\n';
  // Raw parts are slices of the file: their continuation lines already sit at the right column.
  const parts: { text: string; raw: boolean }[] = [];
  let actionWritten = false;
  const writeAction = () => {
    if (!actionWritten) parts.push({ text: `action: ${outcome.action}`, raw: false });
    actionWritten = true;
  };
  // Comments on lines of their own between the settings: those before a kept setting stay
  // before it; those before or inside a replaced one move above the new options, so that no
  // note the author wrote is lost with the old step.
  const carried: string[] = [];
  let commentsFrom = map.start;
  for (const pair of pairsOf(effectivePairs(map, doc.budget))) {
    // A pair of a flow mapping, or one merged in from elsewhere, is written from its value (a pair
    // is the mapping's own when one of its pairs starts where it does).
    const own = !map.flow && pairIndexAt(map.pairs, pair.start) >= 0;
    const leading = own ? commentsBetween(doc, commentsFrom, pair.start) : [];
    if (own) commentsFrom = withTrailingComment(doc.text, pair.end);
    const key = pair.key.kind === 'scalar' ? pair.key.text : undefined;
    if (key === 'action' || key === 'run') writeAction();
    if (key === undefined || REPLACED_KEYS.has(key) || !KEPT_KEYS.has(key)) {
      carried.push(...leading);
      if (own) carried.push(...commentsBetween(doc, pair.start, commentsFrom));
      continue;
    }
    if (leading.length) parts.push({ text: leading.join('\n'), raw: false });
    parts.push(
      own
        ? { text: doc.text.slice(pair.start, withTrailingComment(doc.text, pair.end)), raw: true }
        : { text: emitYaml({ [key]: toJS(pair.value, doc.budget) }).trimEnd(), raw: false },
    );
  }
  writeAction();
  if (carried.length) parts.push({ text: carried.join('\n'), raw: false });
  if (Object.keys(outcome.options).length)
    parts.push({ text: emitYaml({ with: outcome.options }).trimEnd(), raw: false });
  const lines: string[] = [];
  for (const part of parts) {
    part.text.split(/\r?\n/).forEach((line, j) => {
      if (lines.length === 0) lines.push(line);
      else if (j === 0 || !part.raw) lines.push(line === '' ? line : indent + line);
      else lines.push(line);
    });
  }
  return { start: map.start, end: map.end, text: lines.join(eol) };
}

/** `end`, or the end of its line when only a comment follows it there (the comment stays with its setting). */
function withTrailingComment(text: string, end: number): number {
  const lineEnd = lineEndOf(text, end);
  return /^[ \t]*#/.test(text.slice(end, lineEnd)) ? lineEnd : end;
}

/** The text of every comment the parser found between `from` and `to` (the parser lists them in order). */
function commentsBetween(doc: TsqDocument, from: number, to: number): string[] {
  const comments = doc.yaml.comments;
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].start < from) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < comments.length && comments[i].end <= to; i++)
    out.push(doc.text.slice(comments[i].start, comments[i].end).trim());
  return out;
}
