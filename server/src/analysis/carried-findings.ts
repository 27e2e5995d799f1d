// The findings the incremental analysis (incremental.ts) keeps from one revision of a file to the
// next, moved through each edit in place. A file that is wrong the same way everywhere keeps tens
// of thousands of them (the long-conditions shape of `npm run bench -- lsp` keeps 50,000
// `undefined-variable` findings, of which the editor is shown 100: finding-cap.ts), and copying
// every one of them on every keystroke, twice, was most of an edit's time and garbage.
//
// Moving them in place is safe because a kept finding is owned by its list alone: it is made
// fresh by the rules (`RuleContext.report`), taken over with `own`, and never handed out:
// `shownCopies` copies the few that are shown. What a finding points to (related information,
// quick-fix data) may be shared with the rules' caches, so it is replaced, never changed.

import type { StepsChange, TextEdit } from '../model/incremental';
import type { Diagnostic, DiagnosticData } from './diagnostic';
import { keepFindings, plainFinding } from './kept-finding';

declare const owned: unique symbol;

/** Findings held by the incremental analysis alone: move them with the functions below, show them with `shownCopies`. */
export type OwnedFindings = Diagnostic[] & { readonly [owned]: true };

/** Takes over findings the rules have just made (nothing else holds them yet), a long list in its compact form (kept-finding.ts). */
export function own(fresh: Diagnostic[]): OwnedFindings {
  return keepFindings(fresh) as OwnedFindings;
}

/**
 * Moves every finding of `list` through `edit` (which shifted the text after it by `delta`), in
 * place. Returns false, leaving `list` as it was, when a finding starts or ends inside the
 * replaced text: the rule must run again.
 */
export function carryThrough(list: OwnedFindings, edit: TextEdit, delta: number): boolean {
  if (!delta) return list.every((d) => outside(d.start, edit) && outside(d.end, edit));
  for (const d of list) if (!outside(d.start, edit) || !outside(d.end, edit)) return false;
  for (const d of list) {
    if (d.start >= edit.end) d.start += delta;
    if (d.end >= edit.end) d.end += delta;
    movePointers(d, delta, edit.end);
  }
  return true;
}

/**
 * `known` with the findings of what was rebuilt replaced by `fresh` (those of `fresh` inside the
 * rebuilt text), the ones after it moved in place.
 */
export function replaceRebuilt(known: OwnedFindings, change: StepsChange, fresh: Diagnostic[]): OwnedFindings {
  const { removed, added, delta, from } = change;
  const before: Diagnostic[] = [];
  const after: Diagnostic[] = [];
  for (const d of known) {
    if (d.start < removed.start) before.push(d);
    else if (d.start > removed.end) {
      if (delta) {
        d.start += delta;
        d.end += delta;
        movePointers(d, delta, from);
      }
      after.push(d);
    }
  }
  const inside = fresh.filter((d) => d.start >= added.start && d.start <= added.end);
  inside.sort((a, b) => a.start - b.start);
  return before.concat(inside, after) as OwnedFindings;
}

/** Copies of findings to hand out (the caller may change them; the kept ones stay as they are). */
export function shownCopies(list: readonly Diagnostic[]): Diagnostic[] {
  return list.map(plainFinding);
}

function outside(p: number, edit: TextEdit): boolean {
  return p < edit.start || p >= edit.end;
}

/**
 * Related places in the same file and quick-fix offsets at or after `from` move by `delta` (new
 * objects: they may be shared). Every finding after an edit comes through here on each keystroke
 * (about 6,000 on the every-step bench file), so looking costs no garbage.
 */
function movePointers(d: Diagnostic, delta: number, from: number): void {
  if (d.related?.some((r) => r.docId === d.docId && r.start >= from))
    d.related = d.related.map((r) =>
      r.docId === d.docId && r.start >= from ? { ...r, start: r.start + delta, end: r.end + delta } : r,
    );
  if (d.data && holdsOffsetFrom(d.data, from)) d.data = moveData(d.data, delta, from);
}

function holdsOffsetFrom(data: DiagnosticData, from: number): boolean {
  const fields = data as Record<string, unknown>;
  for (const k in fields) {
    const v = fields[k];
    if (Object.hasOwn(fields, k) && offsetField(k, v) && v >= from) return true;
  }
  return false;
}

/** Quick-fix data holds offsets in fields named `...Start` / `...End` (e.g. the step to delete). */
function offsetField(key: string, value: unknown): value is number {
  return typeof value === 'number' && (key.endsWith('Start') || key.endsWith('End'));
}

function moveData(data: DiagnosticData, delta: number, from: number): DiagnosticData {
  const out: Record<string, unknown> = { ...data };
  for (const k in out) {
    const v = out[k];
    if (offsetField(k, v) && v >= from) out[k] = v + delta;
  }
  return out as DiagnosticData;
}
