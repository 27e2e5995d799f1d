// Quick fixes, from the facts the rules attach to their findings: for a broken reference the
// three remedies of ConfigMgr's task sequence editor (correct it to one of the closest IDs of the
// right kind, delete the step, disable the step:
// https://learn.microsoft.com/mem/configmgr/osd/plan-design/planning-considerations-for-automating-tasks#BKMK_TSEdit), "did you mean" for unknown actions, options and values, adding an
// option a step lacks, removing what should not be there (a value, or a whole `key: value`),
// Set Dynamic Variables rules stored as XML rewritten as the YAML list, a step that depends on MDT
// replaced as `tsq migrate` would (or the whole file), a disabled step enabled where it alone would
// have set a variable (enable-step-fix.ts), and a comment that silences one rule on one line where
// the author knows better.

import { CodeActionKind, type CodeAction, type TextEdit } from 'vscode-languageserver';
import type { Diagnostic } from '../analysis/diagnostic';
import type { TsqDocument } from '../model/document';
import type { SeqNode } from '../model/sequence';
import { keyStartAt, pairCount, pairEndAt, pairIndexAt, pairsOf, valueAt, type YMap } from '../model/yaml/nodes';
import { columnOf, locate, seqNodeAt } from './context';
import { toLspDiagnostic } from './diagnostics';
import type { FileEntry, FileIndex } from './projects';
import { emitYaml, scalarString } from '../model/yaml/emit';
import { lineEndOf, lineStartOf, nextLineStart, stepEntryRange } from '../model/step-edits';
import { migrateSequence, migrateStep } from '../migrate/migrate-sequence';
import { rulesXmlAsYaml } from '../semantics/dynamic-rules';
import { enableStepFix } from './enable-step-fix';

const MAX_CANDIDATES = 5;
const MIGRATE_FILE = 'Migrate every MDT step in this file (as `tsq migrate` does)';

/** A diagnostic as the client sent it back: its code and the first line of its message. */
export interface ClientDiagnostic {
  code?: string | number;
  message: string;
}

export function codeActions(
  index: FileIndex,
  entry: FileEntry,
  diagnostics: readonly Diagnostic[],
  start: number,
  end: number,
  only?: string[],
  asked: readonly ClientDiagnostic[] = [],
): CodeAction[] {
  if (
    only &&
    !only.some(
      (k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty,
    )
  )
    return [];
  const out: CodeAction[] = [];
  // The findings the editor asks about (those under the cursor when it sends none).
  const wanted = (d: Diagnostic) =>
    asked.length === 0 || asked.some((a) => a.code === d.code && a.message.split('\n')[0] === d.message);
  const titles = new Set<string>();
  for (const d of diagnostics) {
    if (d.end < start || d.start > end || !wanted(d)) continue;
    const lsp = toLspDiagnostic(index, entry, d);
    const action = (title: string, edits: TextEdit[], preferred = false): CodeAction => ({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [lsp],
      isPreferred: preferred || undefined,
      edit: { changes: { [entry.uri]: edits } },
    });
    const push = (a: CodeAction) => {
      if (titles.has(a.title)) return;
      titles.add(a.title);
      out.push(a);
    };
    const edit = (from: number, to: number, newText: string): TextEdit => ({
      range: { start: index.positions(entry).positionAt(from), end: index.positions(entry).positionAt(to) },
      newText,
    });
    const data = d.data;
    if (data?.fix === 'replace' || data?.fix === 'reference') {
      data.candidates.slice(0, MAX_CANDIDATES).forEach((c, i) => {
        const label = data.fix === 'reference' ? describeCandidate(entry, data.kind, c) : `\`${c}\``;
        const title =
          data.fix === 'reference' && data.kind === 'bootImage' ? `Use boot image ${label}` : `Change to ${label}`;
        push(
          action(
            title,
            [edit(d.start, d.end, keepQuotes(entry.doc.text.slice(d.start, d.end), c))],
            i === 0 && data.candidates.length === 1,
          ),
        );
      });
    }
    if (data?.fix === 'reference') {
      const step = seqNodeAt(entry.doc, data.stepStart);
      if (step && step.span.start === data.stepStart) {
        const del = stepEntryRange(entry.doc.text, step);
        if (del) push(action(`Delete step “${step.name}”`, [edit(del.start, del.end, '')]));
        const off = disableStep(entry.doc, step);
        if (off) push(action(`Disable step “${step.name}”`, [edit(off.start, off.end, off.text)]));
      }
    }
    if (data?.fix === 'add-property') {
      const step = seqNodeAt(entry.doc, data.stepStart);
      const add =
        step && step.span.start === data.stepStart
          ? addOption(entry.doc, step, data.property, data.example)
          : undefined;
      if (add) push(action(`Add \`${data.property}\` to the step`, [edit(add.start, add.start, add.text)], true));
    }
    if (data?.fix === 'add-condition') {
      const step = seqNodeAt(entry.doc, data.stepStart);
      const add =
        step && step.span.start === data.stepStart ? addCondition(entry.doc, step, data.condition) : undefined;
      if (add)
        push(action(`Run “${step!.name}” only when \`${data.condition}\``, [edit(add.start, add.end, add.text)], true));
    }
    if (data?.fix === 'migrate-step') {
      const step = seqNodeAt(entry.doc, data.stepStart);
      const migrated =
        step?.kind === 'step' && step.span.start === data.stepStart ? migrateStep(entry.doc, step) : undefined;
      if (migrated?.edit) {
        const to = migrated.migration.outcome.kind === 'remove' ? 'Remove' : `Replace with ${migrated.migration.to}`;
        push(
          action(
            `${to}: “${step!.name}” without MDT${migrated.migration.status === 'review' ? ' (then review it)' : ''}`,
            [edit(migrated.edit.start, migrated.edit.end, migrated.edit.text)],
            migrated.migration.status === 'migrated',
          ),
        );
      }
      if (!titles.has(MIGRATE_FILE)) {
        const whole = migratedText(entry.doc);
        const text = entry.doc.text;
        // Offered when it does more than the fix of this one step.
        const oneStep = migrated?.edit
          ? text.slice(0, migrated.edit.start) + migrated.edit.text + text.slice(migrated.edit.end)
          : text;
        if (whole !== text && whole !== oneStep) push(action(MIGRATE_FILE, [edit(0, text.length, whole)]));
      }
    }
    if (data?.fix === 'enable-step') {
      const fix = enableStepFix(entry.doc, data.stepStart);
      if (fix)
        push(
          action(
            fix.title,
            fix.changes.map((c) => edit(c.start, c.end, c.text)),
            true,
          ),
        );
    }
    if (data?.fix === 'remove') push(action('Remove it', [edit(d.start, d.end, '')], true));
    if (data?.fix === 'remove-key') {
      const cut = removeKey(entry.doc, d.start);
      if (cut) push(action(`Remove \`${cut.key}\``, [edit(cut.start, cut.end, '')], true));
    }
    if (data?.fix === 'convert-rules') {
      const list = rulesAsList(entry.doc, d.start);
      if (list)
        push(
          action(
            list.hidden.length
              ? `Write the rules as a YAML list (hidden values of ${list.hidden.map((n) => `\`${n}\``).join(', ')} become \`{ missing: true }\`)`
              : 'Write the rules as a YAML list',
            [edit(list.start, list.end, list.text)],
            true,
          ),
        );
    }
    const silence = suppressLine(entry.doc, d);
    if (silence) push(action(`Ignore \`${d.code}\` on this line`, [edit(silence.start, silence.start, silence.text)]));
  }
  return out;
}

/** The whole file migrated, once per version of the document: the editor asks again at every cursor move. */
const MIGRATED = new WeakMap<TsqDocument, string>();
function migratedText(doc: TsqDocument): string {
  let text = MIGRATED.get(doc);
  if (text === undefined) MIGRATED.set(doc, (text = migrateSequence(doc).text));
  return text;
}

function describeCandidate(entry: FileEntry, kind: string, id: string): string {
  const e = kind === 'childSequence' ? undefined : entry.project.ws.catalog.lookup(kind as never, id);
  const about = [e?.name, kind === 'bootImage' ? e?.architectures.join('/') : undefined].filter(Boolean).join(', ');
  return about ? `\`${id}\` (${about})` : `\`${id}\``;
}

/** The replacement written the way the replaced value was quoted. */
function keepQuotes(old: string, replacement: string): string {
  const q = old.charAt(0);
  if ((q === '"' || q === "'") && old.length >= 2 && old.endsWith(q))
    return q === '"' ? `"${replacement.replace(/["\\]/g, '\\$&')}"` : `'${replacement.replace(/'/g, "''")}'`;
  return replacement;
}

/** `disabled: true` for a step that is not disabled yet: its `disabled:` value changed, or a new key written after its last one. */
function disableStep(doc: TsqDocument, step: SeqNode): { start: number; end: number; text: string } | undefined {
  if (step.disabled) return undefined;
  const map = step.node;
  const existing = pairsOf(map.pairs).find((p) => p.key.kind === 'scalar' && p.key.text === 'disabled');
  if (existing)
    return existing.value.start === existing.value.end
      ? { start: existing.value.start, end: existing.value.end, text: ' true' }
      : { start: existing.value.start, end: existing.value.end, text: 'true' };
  return insertKey(doc, map, 'disabled', 'true');
}

function insertKey(
  doc: TsqDocument,
  map: YMap,
  key: string,
  value: string,
): { start: number; end: number; text: string } | undefined {
  if (map.flow) {
    if (doc.text.charAt(map.end - 1) !== '}') return undefined;
    const n = pairCount(map.pairs);
    if (n === 0) return { start: map.end - 1, end: map.end - 1, text: `${key}: ${value}` };
    const lastEnd = pairEndAt(map.pairs, n - 1);
    return { start: lastEnd, end: lastEnd, text: `, ${key}: ${value}` };
  }
  if (pairCount(map.pairs) === 0) return undefined;
  const indent = ' '.repeat(columnOf(doc.text, keyStartAt(map.pairs, 0)));
  // After the mapping's last line, comment included, so that comments stay where they were.
  const at = lineEndOf(doc.text, map.end);
  return { start: at, end: at, text: `\n${indent}${key}: ${value}` };
}

/**
 * The text to cut for the `key: value` pair whose key starts at `keyStart`: its lines in a block
 * mapping (when the key begins its line), the pair and one comma in a flow mapping.
 */
function removeKey(doc: TsqDocument, keyStart: number): { start: number; end: number; key: string } | undefined {
  const loc = locate(doc, keyStart);
  const pair = loc.onKey;
  const map = loc.chain[loc.chain.length - 1]?.node;
  if (!pair || pair.key.kind !== 'scalar' || map?.kind !== 'map' || pair.key.start !== keyStart) return undefined;
  const text = doc.text;
  const key = pair.key.text;
  if (map.flow) {
    // Pairs are told apart by their starts (a key node made from the list is new at each call).
    const i = pairIndexAt(map.pairs, pair.start);
    if (i + 1 < pairCount(map.pairs)) return { start: pair.key.start, end: keyStartAt(map.pairs, i + 1), key };
    const prevValue = i >= 1 ? valueAt(map.pairs, i - 1) : undefined;
    return { start: prevValue ? prevValue.end : pair.key.start, end: pair.value.end, key };
  }
  const start = lineStartOf(text, pair.key.start);
  if (text.slice(start, pair.key.start).trim() !== '') return undefined;
  return { start, end: nextLineStart(text, pair.value.end), key };
}

/**
 * The `rules: <XML>` pair at `valueStart` rewritten as `rules:` and the YAML list, indented under
 * its key. Only in a block mapping: a flow mapping (`with: { rules: ... }`) cannot hold the block list.
 */
function rulesAsList(
  doc: TsqDocument,
  valueStart: number,
): { start: number; end: number; text: string; hidden: string[] } | undefined {
  const loc = locate(doc, valueStart);
  const last = loc.chain[loc.chain.length - 1];
  const owner = loc.chain[loc.chain.length - 2]?.node;
  const pair = last?.pair;
  if (
    !pair ||
    last.key !== 'rules' ||
    owner?.kind !== 'map' ||
    owner.flow ||
    pair.value.kind !== 'scalar' ||
    typeof pair.value.value !== 'string'
  )
    return undefined;
  const converted = rulesXmlAsYaml(pair.value.value);
  if (!converted) return undefined;
  const column = columnOf(doc.text, pair.key.start);
  const eol = /\r\n/.test(doc.text) ? '\r\n' : '\n';
  const lines = emitYaml({ rules: converted.rules }, { width: Math.max(60, 100 - column) })
    .replace(/\n$/, '')
    .split('\n');
  const text = lines.map((l, i) => (i === 0 ? l : ' '.repeat(column) + l)).join(eol);
  return { start: pair.key.start, end: pair.value.end, text, hidden: converted.hidden };
}

/** `when: condition` on a step, joined with `and` to a condition it already has. */
function addCondition(
  doc: TsqDocument,
  step: SeqNode,
  condition: string,
): { start: number; end: number; text: string } | undefined {
  const flow = step.node.flow;
  const pair = pairsOf(step.node.pairs).find((p) => p.key.kind === 'scalar' && p.key.text === 'when');
  if (!pair) return insertKey(doc, step.node, 'when', scalarString(condition, flow));
  const old = pair.value;
  if (old.kind !== 'scalar') return undefined;
  if (old.value === null || old.text.trim() === '')
    return {
      start: old.start,
      end: old.end,
      text: `${old.start === old.end ? ' ' : ''}${scalarString(condition, flow)}`,
    };
  return { start: old.start, end: old.end, text: scalarString(`(${old.text.trim()}) and ${condition}`, flow) };
}

/** Adds `property: example` under the step's `with:` (making `with:` when there is none). */
function addOption(
  doc: TsqDocument,
  step: SeqNode,
  property: string,
  example: string,
): { start: number; text: string } | undefined {
  const withPair = pairsOf(step.node.pairs).find((p) => p.key.kind === 'scalar' && p.key.text === 'with');
  if (withPair && withPair.value.kind === 'map') {
    const r = insertKey(doc, withPair.value, property, example);
    if (r) return { start: r.start, text: r.text };
    if (!withPair.value.flow) return undefined;
  }
  if (withPair && withPair.value.kind === 'scalar' && withPair.value.implicit) {
    const indent = ' '.repeat(columnOf(doc.text, withPair.key.start) + 2);
    return { start: withPair.value.start, text: `\n${indent}${property}: ${example}` };
  }
  if (withPair) return undefined;
  const r = insertKey(doc, step.node, 'with', step.node.flow ? `{ ${property}: ${example} }` : '');
  if (!r) return undefined;
  if (step.node.flow) return { start: r.start, text: r.text };
  const indent = ' '.repeat(columnOf(doc.text, keyStartAt(step.node.pairs, 0)) + 2);
  return { start: r.start, text: `${r.text.trimEnd()}\n${indent}${property}: ${example}` };
}

/**
 * A `# tsq-disable-next-line CODE` line above the finding's line (or the code added to one that
 * is already there), unless that line is inside a multi-line string, where a comment would be text.
 */
function suppressLine(doc: TsqDocument, d: Diagnostic): { start: number; text: string } | undefined {
  if (d.code === 'suppression' || d.code === 'internal-error') return undefined;
  const text = doc.text;
  const start = lineStartOf(text, d.start);
  const loc = locate(doc, start);
  const inner = loc.chain[loc.chain.length - 1]?.node;
  if (inner?.kind === 'scalar' && inner.start < start && inner.end > start) return undefined;
  if (start > 0) {
    const end = text.charCodeAt(start - 1) === 10 && text.charCodeAt(start - 2) === 13 ? start - 2 : start - 1;
    const above = lineStartOf(text, end);
    const m = /^([ \t]*#\s*tsq-disable-next-line\b[^#\r\n]*?)[ \t]*(?:\r?\n|\r)$/.exec(text.slice(above, start));
    if (m && /tsq-disable-next-line\s+\S/.test(m[1])) return { start: above + m[1].length, text: `, ${d.code}` };
  }
  const indent = /^[ \t]*/.exec(text.slice(start))![0];
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  return { start, text: `${indent}# tsq-disable-next-line ${d.code}${eol}` };
}
