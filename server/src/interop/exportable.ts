// What ConfigMgr's task sequence XML can hold, decided in one place for the two that must agree:
// `tsq lint` reports every problem found here at its place (rule `invalid-value`), and export
// refuses a file with the first of them, in the same words. So a file that lints clean exports,
// and export never drops or rewrites a value behind the admin's back. Checked here:
//   - characters XML 1.0 cannot carry (control characters other than tab, line feed and carriage
//     return, unpaired surrogates, U+FFFE, U+FFFF), in any text of the file;
//   - step time-outs: ConfigMgr keeps them as a whole number of seconds in an unsigned 32-bit
//     property (`UInt32 Timeout`, https://learn.microsoft.com/en-us/mem/configmgr/develop/reference/osd/sms_tasksequence_action-server-wmi-class);
//   - success codes: process exit codes are 32-bit values (GetExitCodeProcess,
//     https://learn.microsoft.com/en-us/windows/win32/api/processthreadsapi/nf-processthreadsapi-getexitcodeprocess);
//   - step settings export would leave out, computed by the same code export writes them with;
//   - a child sequence named by a path whose file has no `packageId:`;
//   - ConfigMgr XML kept from an import (`xml:`, `configMgr.xml`) that is not well-formed, and
//     attribute names in it that are not XML names; parts of it export ignores (warnings).

import type { TsqDocument } from '../model/document';
import type { SequenceModel, SeqNode, StepNode } from '../model/sequence';
import { timeoutSeconds } from '../model/sequence';
import {
  keyEndAt,
  keyNodeAt,
  keyStartAt,
  keyTextAt,
  pairAt,
  pairCount,
  pairIndexOf,
  valueAt,
  type YMap,
  type YNode,
  type YPair,
} from '../model/yaml/nodes';
import { effectivePairs, resolve } from '../model/yaml/expand';
import { scalarOffsets } from '../model/yaml/sourcemap';
import type { Workspace } from '../semantics/workspace';
import { InteropError } from './errors';
import { parseXmlText } from './xml/read';
import { readNodeXml, readSequenceXml } from './export/nodexml';
import { stepData } from './export/step-data';
import { mayHaveSettingProblems, settingProblems } from './steps/settings';
import { findStep } from '../catalog';
import type { ChildInfo, StepContext } from './steps/stepdata';
import {
  isXmlName,
  UNWRITABLE_CHARACTER_HINT,
  unwritableCharacterIndex,
  unwritableCharacterMessage,
} from './xml/characters';
import { sequenceNodes } from '../semantics/sequence-nodes';

/** Longest step time-out ConfigMgr can store: the largest unsigned 32-bit number of seconds. */
export const MAX_TIMEOUT_SECONDS = 0xffffffff;
/** Exit codes are 32 bits; admins write them signed (-2147024891) or unsigned (2147942405). */
export const MIN_EXIT_CODE = -0x80000000;
export const MAX_EXIT_CODE = 0xffffffff;

/** Why a step time-out of `seconds` (as written: `written`) cannot be exported as it is, or undefined. */
export function timeoutProblem(seconds: number, written: string): string | undefined {
  if (!Number.isFinite(seconds) || seconds > MAX_TIMEOUT_SECONDS) {
    return `A time-out of \`${written}\` is longer than ConfigMgr can store: at most ${MAX_TIMEOUT_SECONDS.toLocaleString('en-US')} seconds (about 136 years).`;
  }
  if (Math.abs(seconds - Math.round(seconds)) > 1e-6) {
    return `ConfigMgr keeps a time-out in whole seconds; \`${written}\` is ${Number(seconds.toFixed(3))} seconds, which export would change to ${Math.round(seconds)}.`;
  }
  return undefined;
}

/** Why `code` cannot be a success code, or undefined. Non-whole numbers are the schema's business. */
export function exitCodeProblem(code: number): string | undefined {
  if (Number.isFinite(code) && !Number.isInteger(code)) return undefined;
  if (!Number.isFinite(code) || code < MIN_EXIT_CODE || code > MAX_EXIT_CODE) {
    return `\`${code}\` is not an exit code: exit codes are 32-bit numbers (${MIN_EXIT_CODE.toLocaleString('en-US')} to ${MAX_EXIT_CODE.toLocaleString('en-US')}).`;
  }
  return undefined;
}

export interface ExportProblem {
  start: number;
  end: number;
  /** Errors make export refuse the file; warnings are parts export ignores (and says so). */
  severity: 'error' | 'warning';
  message: string;
  hint: string;
}

/**
 * Everything in a sequence file that export would refuse, leave out or change, at its place. For
 * a view of part of a file (the editor's incremental checks) only that part is looked at.
 */
export function exportProblems(ws: Workspace, doc: TsqDocument): ExportProblem[] {
  const model = doc.kind === 'sequence' ? (doc.model as SequenceModel | undefined) : undefined;
  if (!model) return [];
  const out: ExportProblem[] = [];
  // The document's own tree: for a view of one step (or of all but the steps) only that part.
  const root = doc.yaml.root;
  if (root?.kind === 'map') unwritableText(doc, root, out);
  const childCtx = packageIdContext(ws, doc);
  const limits = mayHaveStepLimits(doc.text);
  const nodes = sequenceNodes(model);
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n];
    keptXml(doc, node, out);
    if (node.kind !== 'step') continue;
    if (limits) {
      const { timeout, codes } = timeoutAndCodes(doc, node);
      if (timeout) stepTimeout(doc, timeout, out);
      if (codes) successCodes(doc, codes, out);
    }
    settingsLeftOut(doc, node, childCtx, out);
  }
  if (root?.kind === 'map') sequenceKeptXml(doc, root, model, out);
  return out.sort((a, b) => a.start - b.start);
}

/** Refuses `doc` (an InteropError naming the place) when export cannot write it as it is. */
export function refuseUnexportable(ws: Workspace, doc: TsqDocument): void {
  const first = exportProblems(ws, doc).find((p) => p.severity === 'error');
  if (!first) return;
  const at = doc.lineMap.positionAt(first.start);
  throw new InteropError(`${doc.id}:${at.line + 1}:${at.character + 1}: ${first.message}`, first.hint);
}

// ---------------------------------------------------------------- the checks

function pairsOf(node: YNode | undefined, doc: TsqDocument): Map<string, { key: YNode; value: YNode }> {
  const out = new Map<string, { key: YNode; value: YNode }>();
  const map = resolve(node, doc.budget);
  if (map?.kind !== 'map') return out;
  const pairs = effectivePairs(map, doc.budget);
  for (let i = 0, n = pairCount(pairs); i < n; i++) {
    const key = keyTextAt(pairs, i);
    if (key !== undefined) out.set(key, { key: keyNodeAt(pairs, i), value: valueAt(pairs, i) });
  }
  return out;
}

/**
 * The pair of `key` in the mapping `node` (the last one, as `pairsOf` keeps it), found without
 * building the map: it is asked for a few keys of every step of the file.
 */
function pairOf(node: YNode | undefined, doc: TsqDocument, key: string): YPair | undefined {
  const map = resolve(node, doc.budget);
  if (map?.kind !== 'map') return undefined;
  const pairs = effectivePairs(map, doc.budget);
  const i = pairIndexOf(pairs, key);
  return i < 0 ? undefined : pairAt(pairs, i);
}

/**
 * A step's `timeout:` and `successCodes:` values (the last of each), found in one look through its
 * keys: asked of every step of the file, which nearly always has neither.
 */
function timeoutAndCodes(doc: TsqDocument, step: StepNode): { timeout?: YNode; codes?: YNode } {
  const map = resolve(step.node, doc.budget);
  if (map?.kind !== 'map') return NEITHER;
  const pairs = effectivePairs(map, doc.budget);
  let timeout: YNode | undefined;
  let codes: YNode | undefined;
  for (let i = 0, n = pairCount(pairs); i < n; i++) {
    const k = keyTextAt(pairs, i);
    if (k === 'timeout') timeout = valueAt(pairs, i);
    else if (k === 'successCodes') codes = valueAt(pairs, i);
  }
  return timeout || codes ? { timeout, codes } : NEITHER;
}

const NEITHER: { timeout?: YNode; codes?: YNode } = {};

/**
 * Whether a step of the file `text` may have a `timeout:` or `successCodes:` key: the words are
 * written in the text, or a backslash is (a double-quoted key's escapes are the only way a key's
 * text holds characters its source does not; a merge key's or an alias's keys are written in the
 * file too). Why: looking through every step's keys for them touches every step's YAML mapping
 * and keys, which nothing else the check before a run reads there, and a file without either word
 * (most files) needs no look at all: on a 100,000-step file the two searches of the text cost
 * about half of what the look did (docs/performance.md, "The check's reads of each step"). The answer
 * for the last text is kept: the editor asks about each entry of a file in turn, in views of the
 * same text.
 */
const limitsSeen = { text: '', mayHave: true };
/** One search for both words (two `includes` took twice as long on an 18 MB text). */
const LIMIT_KEYS = /timeout|successCodes/;

function mayHaveStepLimits(text: string): boolean {
  if (text !== limitsSeen.text) {
    limitsSeen.text = text;
    limitsSeen.mayHave = text.indexOf('\\') >= 0 || LIMIT_KEYS.test(text);
  }
  return limitsSeen.mayHave;
}

/**
 * Every character of `text` in [from, to) that XML cannot hold or that may stand for one: a
 * backslash starts the escapes of a double-quoted scalar (`"\\x01"`), the only way a scalar's text
 * gets a character its source does not have. Surrogates are all listed, paired or not.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const SUSPECT = /[\0-\x08\x0b\x0c\x0e-\x1f\\\ud800-\udfff\ufffe\uffff]/g;

/**
 * The suspect characters of the last text asked about, found by scanning it forward from
 * `scanStart` as far as asked (`scannedTo`), in order. Why: the editor's first check of an open
 * file asks about each top-level entry of `steps:` in turn, each a view of the same text (10,000
 * on the `long-conditions` bench shape); scanning each entry on its own was one regular
 * expression run per entry, where going forward from the last suspect found (or the end of the
 * text) looks at each character once in all (docs/performance.md, "The error check's conditions
 * and wording"). Holds the last text checked until another is.
 */
const scan = { text: '', scanStart: 0, scannedTo: 0, found: [] as number[] };

const NO_SUSPECTS: readonly number[] = Object.freeze([]);

function suspects(text: string, from: number, to: number): readonly number[] {
  if (text !== scan.text || from < scan.scanStart) {
    scan.text = text;
    scan.scanStart = scan.scannedTo = from;
    scan.found = [];
  }
  const found = scan.found;
  if (scan.scannedTo < to) {
    // As far as asked only: an edit's view asks about one entry of a new text, and a search left
    // to run on to the next suspect read the rest of the file (all of it, in a file without any)
    // on every keystroke.
    const scanFrom = scan.scannedTo;
    const window = text.slice(scanFrom, to);
    SUSPECT.lastIndex = 0;
    for (let m = SUSPECT.exec(window); m; m = SUSPECT.exec(window)) found.push(scanFrom + m.index);
    scan.scannedTo = to;
  }
  let first = firstAtOrAfter(found, from);
  if (first >= found.length || found[first] >= to) return NO_SUSPECTS;
  const out: number[] = [];
  for (; first < found.length && found[first] < to; first++) out.push(found[first]);
  return out;
}

/** The index of the first of a sorted list of offsets at or after `at` (the list's length if none). */
function firstAtOrAfter(offsets: readonly number[], at: number): number {
  let lo = 0,
    hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a sorted list of offsets has one in [start, end). */
function anyWithin(offsets: readonly number[], start: number, end: number): boolean {
  const lo = firstAtOrAfter(offsets, start);
  return lo < offsets.length && offsets[lo] < end;
}

/**
 * Every scalar written in the file (keys too; aliases point at scalars seen where they are
 * written). A node's text comes from its own span of the source, so only the nodes whose span holds
 * a suspect character (see SUSPECT) are looked at: one scan of the text instead of a walk of every
 * node, which in a file without any (the usual case) is all there is.
 */
function unwritableText(doc: TsqDocument, root: YMap, out: ExportProblem[]): void {
  const pairs = root.pairs;
  for (let i = 0, n = pairCount(pairs); i < n; i++) {
    // Only the top-level entries (a view of one step holds that step alone, in a root as long as the file).
    const value = valueAt(pairs, i);
    const offsets = suspects(
      doc.text,
      Math.min(keyStartAt(pairs, i), value.start),
      Math.max(keyEndAt(pairs, i), value.end),
    );
    if (offsets.length) unwritableIn(doc, [keyNodeAt(pairs, i), value], offsets, out);
  }
}

function unwritableIn(doc: TsqDocument, nodes: YNode[], offsets: readonly number[], out: ExportProblem[]): void {
  const stack = nodes;
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'alias' || !anyWithin(offsets, n.start, n.end)) continue;
    if (n.kind === 'map')
      for (let k = 0, count = pairCount(n.pairs); k < count; k++)
        stack.push(keyNodeAt(n.pairs, k), valueAt(n.pairs, k));
    else if (n.kind === 'seq') for (const item of n.items) stack.push(item);
    else {
      const i = unwritableCharacterIndex(n.text);
      if (i < 0) continue;
      const offsets = scalarOffsets(doc.text, n);
      out.push({
        start: offsets[i],
        end: Math.max(offsets[i] + 1, offsets[i + 1] ?? n.end),
        severity: 'error',
        message: unwritableCharacterMessage('This text', n.text, i),
        hint: UNWRITABLE_CHARACTER_HINT,
      });
    }
  }
}

function stepTimeout(doc: TsqDocument, written: YNode, out: ExportProblem[]): void {
  const value = resolve(written, doc.budget);
  if (value?.kind !== 'scalar') return;
  const seconds = timeoutSeconds(value);
  // Text that is no duration at all is the schema's to report.
  if (seconds === undefined) return;
  const problem = timeoutProblem(seconds, value.text.trim());
  if (problem)
    out.push({
      start: value.start,
      end: value.end,
      severity: 'error',
      message: problem,
      hint: 'Write the time-out in minutes (`timeout: 90`) or as `90s`, `15m` or `2h`, in whole seconds.',
    });
}

function successCodes(doc: TsqDocument, written: YNode, out: ExportProblem[]): void {
  const value = resolve(written, doc.budget);
  if (!value) return;
  for (const item of value.kind === 'seq' ? value.items : [value]) {
    const n = resolve(item, doc.budget);
    if (n?.kind !== 'scalar' || typeof n.value !== 'number') continue;
    const problem = exitCodeProblem(n.value);
    if (problem)
      out.push({
        start: n.start,
        end: n.end,
        severity: 'error',
        message: problem,
        hint: 'Give the exit codes the command really returns, such as `[0, 3010]`.',
      });
  }
}

/** Resolves child sequences for their package IDs only (export's own context also gathers their references). */
function packageIdContext(ws: Workspace, doc: TsqDocument): StepContext {
  return {
    child(ref): ChildInfo | undefined {
      const target = ws.resolveChild(doc.id, ref);
      const model = target.doc?.kind === 'sequence' ? (target.doc.model as SequenceModel | undefined) : undefined;
      if (model) return { packageId: model.packageId?.value, name: model.name };
      return target.byPackageId ? { packageId: ref } : undefined;
    },
  };
}

/** Settings export would leave out (or refuse, for a child without a package ID): export's own check of them. */
function settingsLeftOut(doc: TsqDocument, step: StepNode, ctx: StepContext, out: ExportProblem[]): void {
  // Only written options can have a problem, and nearly every step has none: the step's StepData
  // (a map of its options, its kept XML over its style) is made only for one that may.
  if (step.options.length === 0) return;
  const def = findStep(step.action);
  if (!def || def.key !== step.action || !mayHaveSettingProblems(def, step.options, ctx)) return;
  const data = stepData(step, []);
  if (!data.def) return;
  for (const p of settingProblems(data, ctx)) {
    const span = optionSpan(doc, step, p.path);
    const child = /no packageId/.test(p.message);
    // A child that is not there at all is a broken reference, reported as one.
    const packageId = data.options.get(p.path);
    if (
      child &&
      !ctx.child(typeof packageId === 'string' || typeof packageId === 'number' ? String(packageId).trim() : '')
    )
      continue;
    out.push({
      ...span,
      severity: 'error',
      message: `${p.message.charAt(0).toUpperCase()}${p.message.slice(1)}${child ? '.' : '; export would leave it out.'}`,
      hint: child
        ? 'Add `packageId:` to the child sequence file (its ConfigMgr package ID), or name the child by package ID.'
        : 'Give a value of the type the setting takes (docs/steps.md lists them).',
    });
  }
}

/** Where `name`, `name[i]` or `name[i].item` of a step's options is written. */
function optionSpan(doc: TsqDocument, step: StepNode, path: string): { start: number; end: number } {
  const m = /^([^[.]+)(?:\[(\d+)\](?:\.(.+))?)?$/.exec(path);
  const option = m ? step.options.find((o) => o.name === m[1]) : undefined;
  if (!m || !option) return step.nameSpan;
  let node: YNode | undefined = option.node;
  if (m[2] !== undefined) {
    const list = resolve(node, doc.budget);
    node = list?.kind === 'seq' ? list.items[Number(m[2])] : undefined;
    if (node && m[3] !== undefined) node = pairOf(node, doc, m[3])?.value ?? node;
  }
  return node ? { start: node.start, end: node.end } : option.span;
}

const KEPT_XML_HINT = 'Fix or remove it in the `xml:` key (import writes it; tsq export writes it back as it is).';

/** Kept XML text that must parse: it is written into the export as elements. */
function wellFormed(doc: TsqDocument, node: YNode | undefined, what: string, out: ExportProblem[]): void {
  const n = resolve(node, doc.budget);
  if (n?.kind !== 'scalar' || typeof n.value !== 'string') return;
  try {
    parseXmlText(n.text, { source: what });
  } catch (e) {
    if (!(e instanceof InteropError)) throw e;
    out.push({
      start: n.start,
      end: n.end,
      severity: 'error',
      message: e.message.endsWith('.') ? e.message : `${e.message}.`,
      hint: KEPT_XML_HINT,
    });
  }
}

function attributeNames(doc: TsqDocument, node: YNode | undefined, out: ExportProblem[]): void {
  for (const [name, p] of pairsOf(node, doc)) {
    if (!isXmlName(name))
      out.push({
        start: p.key.start,
        end: p.key.end,
        severity: 'error',
        message: `\`${name}\` is not an XML attribute name, so export cannot write it.`,
        hint: KEPT_XML_HINT,
      });
  }
}

function keptXml(doc: TsqDocument, node: SeqNode, out: ExportProblem[]): void {
  // The model reads the same last `xml:` pair: without a value there, nothing below can be reported.
  if (node.xml === undefined) return;
  const pair = pairOf(node.node, doc, 'xml');
  if (!pair) return;
  const problems: string[] = [];
  readNodeXml(node.xml, problems);
  for (const p of problems)
    out.push({
      start: pair.key.start,
      end: pair.value.end,
      severity: 'warning',
      message: `${p.charAt(0).toUpperCase()}${p.slice(1)}${/ignored$/.test(p) ? '' : '; export ignores it'}.`,
      hint: KEPT_XML_HINT,
    });
  const xml = pairsOf(pair.value, doc);
  attributeNames(doc, xml.get('attributes')?.value, out);
  wellFormed(doc, xml.get('condition')?.value, 'The kept condition', out);
  for (const key of ['elements', 'variables']) {
    const list = resolve(xml.get(key)?.value, doc.budget);
    if (list?.kind === 'seq')
      list.items.forEach((item, i) =>
        wellFormed(doc, item, key === 'elements' ? `Kept element ${i + 1}` : `Kept variable ${i + 1}`, out),
      );
  }
}

/** The sequence's own `configMgr.xml` (only where the file's top level is looked at, not in a view of one step). */
function sequenceKeptXml(doc: TsqDocument, root: YMap, model: SequenceModel, out: ExportProblem[]): void {
  const pair = pairOf(root, doc, 'configMgr');
  if (!pair) return;
  const xmlPair = pairOf(pair.value, doc, 'xml');
  const problems: string[] = [];
  readSequenceXml(model.configMgr, problems);
  for (const p of problems)
    out.push({
      start: (xmlPair ?? pair).key.start,
      end: (xmlPair ?? pair).value.end,
      severity: 'warning',
      message: `${p.charAt(0).toUpperCase()}${p.slice(1)}; export ignores it.`,
      hint: KEPT_XML_HINT,
    });
  if (!xmlPair) return;
  const xml = pairsOf(xmlPair.value, doc);
  attributeNames(doc, xml.get('attributes')?.value, out);
  const list = resolve(xml.get('elements')?.value, doc.budget);
  if (list?.kind === 'seq')
    list.items.forEach((item, i) => wellFormed(doc, item, `Kept element ${i + 1} of the sequence`, out));
}
