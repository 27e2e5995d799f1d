// Analysis of a document that changes one edit at a time (the editor's case). Each rule says how
// it may be kept through an edit (`incremental` in rule.ts). Per-node rules judge each group or
// step on its own (its shape, its action, its options, its references, its condition): their
// findings for the rest of the file stay valid when one step changes, so they are kept, moved
// with the text, and computed again only for the rebuilt step, on a view of the document that
// holds just that step. Every other rule (flow through the sequence: variables defined before
// use, Windows PE vs full OS, architectures, duplicate ids) runs on the whole file again, unless
// what it reads from the rebuilt node is unchanged (node-reads.ts); the per-node caches of
// variable-flow.ts and references.ts keep that cheap. Kept findings move in place through each
// edit (carried-findings.ts says why that is safe). The result always equals `analyzeDocument`
// on the same text (test/unit/incremental-analysis.test.ts checks it on random edits).
//
// What is known is worked out in one of two ways (`FirstCheck`). A file open in the editor is
// checked a few top-level entries of `steps:` at a time (entry-view.ts), which keeps the memory of
// a check of one large file low. A file that is not open (the language server checks every file of a workspace
// folder for its health summary and, under `scope: workspace`, its Problems panel) is checked
// as `tsq lint` checks it: every rule that must run, in one pass over the whole file, sharing
// what rules compute alike (`RuleContext.memo`); the findings are then sorted into the same lists,
// so a later edit or catalog change finds them as if the file had been checked entry by entry.
// On 522 closed files that is about a third less work than entry by entry (docs/performance.md,
// "The server's first check as cheap as lint's").

import type { TsqDocument } from '../model/document';
import { documentShell } from '../model/document';
import type { StepsChange } from '../model/incremental';
import type { SequenceModel } from '../model/sequence';
import { pairIndexAt, pairsOf, withValueAt, type YNode } from '../model/yaml/nodes';
import type { Workspace } from '../semantics/workspace';
import type { Diagnostic } from './diagnostic';
import type { Rule } from './rule';
import { finishDiagnostics, runRulesApart, type AnalyzeOptions } from './analyze';
import { ALL_RULES } from './rules';
import { carryThrough, own, replaceRebuilt, shownCopies, type OwnedFindings } from './carried-findings';
import { entriesView, entryGroups } from './entry-view';

/**
 * How `analyze` works out what it does not know yet: `per-entry` (a few top-level entries of
 * `steps:` at a time; small, short-lived work, for files open in the editor) or `whole-file` (every rule
 * that must run in one pass, as `tsq lint` runs them; less work in all, for files not open).
 */
export type FirstCheck = 'per-entry' | 'whole-file';

export interface DocumentEdit {
  /** The document this one was updated from (the one analysed last). */
  previous: TsqDocument;
  /** What was rebuilt; absent when the model was built anew. */
  change?: StepsChange;
}

interface Known {
  /** The document this is known for. */
  doc: TsqDocument;
  /** Findings of the per-node rules that do not read catalogs, in text order, before suppressions and overrides. */
  local: OwnedFindings;
  /** The same of the per-node rules that read catalogs (`readsCatalog`), kept apart to be run again alone. */
  catalogLocal: OwnedFindings;
  /** `catalogLocal` is out of date (catalog entries changed): computed again by the next `analyze`. */
  catalogStale?: boolean;
  /** Findings of whole-file rules that are still valid for `doc`, by rule code. */
  global: Map<string, OwnedFindings>;
}

export class IncrementalAnalysis {
  private readonly local: Rule[];
  private readonly catalogLocal: Rule[];
  private readonly global: Rule[];
  private known?: Known;

  constructor(rules: readonly Rule[] = ALL_RULES) {
    this.local = rules.filter((r) => r.incremental === 'per-node' && !r.readsCatalog);
    this.catalogLocal = rules.filter((r) => r.incremental === 'per-node' && r.readsCatalog);
    this.global = rules.filter((r) => r.incremental !== 'per-node');
  }

  /** Forgets what was computed: call when other files of the workspace (catalogs, children, ...) changed. */
  invalidate(): void {
    this.known = undefined;
  }

  /**
   * Forgets only the findings of rules that read catalogs (`readsCatalog`), which the next
   * `analyze` computes again: call when catalog entries that this sequence references changed
   * and nothing else did (semantics/catalog-dependants.ts says when).
   */
  catalogChanged(): void {
    const known = this.known;
    if (!known) return;
    known.catalogStale = true;
    for (const rule of this.global) if (rule.readsCatalog) known.global.delete(rule.code);
  }

  /**
   * Carries what is known through one edit (cheap: the rebuilt step is checked by the per-node
   * rules; whole-file rules whose inputs changed are marked for a re-run). Call it after every
   * edit, in order, with `doc` already in `ws`; `analyze` then finishes the job.
   */
  update(ws: Workspace, doc: TsqDocument, edit: DocumentEdit, options: AnalyzeOptions = {}): void {
    const known = this.known;
    const change = edit.change;
    if (!known || !change || edit.previous !== known.doc || doc.kind !== 'sequence' || !doc.model) {
      this.known = undefined;
      return;
    }
    const view = entriesView(doc, { items: [change.item], nodes: change.node ? [change.node] : [] });
    const onRuleError = options.onRuleError;
    const byRule = runRulesApart(ws, view, [...this.local, ...this.catalogLocal], { onRuleError });
    const found = (rules: readonly Rule[]) => rules.flatMap((rule) => byRule.get(rule) ?? []);
    known.local = replaceRebuilt(known.local, change, found(this.local));
    known.catalogLocal = replaceRebuilt(known.catalogLocal, change, found(this.catalogLocal));
    for (const rule of this.global) {
      const list = known.global.get(rule.code);
      if (!list) continue;
      const kept = sameInputs(rule, edit.previous, doc, change, list) && carryThrough(list, change.edit, change.delta);
      if (!kept) known.global.delete(rule.code);
    }
    known.doc = doc;
  }

  /**
   * The diagnostics of `doc` (already in `ws`): what `update` kept, plus whatever must run again.
   * With `edit`, `update` is applied first. `options.severity` only affects the result, never
   * what is kept.
   */
  analyze(
    ws: Workspace,
    doc: TsqDocument,
    options: AnalyzeOptions = {},
    edit?: DocumentEdit,
    firstCheck: FirstCheck = 'per-entry',
  ): Diagnostic[] {
    if (edit) this.update(ws, doc, edit, options);
    const { severity, onRuleError } = options;
    const runOptions: AnalyzeOptions = { onRuleError };
    const global = this.global.filter((rule) => severity?.[rule.code] !== 'off');
    const known =
      firstCheck === 'whole-file'
        ? this.knownInOnePass(ws, doc, global, runOptions)
        : this.knownEntryByEntry(ws, doc, runOptions);
    const missing = global.filter((rule) => !known.global.has(rule.code));
    for (const [rule, list] of runRulesApart(ws, doc, missing, runOptions)) known.global.set(rule.code, own(list));
    // The kept findings themselves go through finishing (which changes none of them); only the shown ones are copied.
    const findings = known.local.concat(known.catalogLocal, ...global.map((rule) => known.global.get(rule.code)!));
    return shownCopies(finishDiagnostics(doc, findings, { severity }));
  }

  /** What is known of `doc`, its per-node rules' findings worked out entry by entry where missing. */
  private knownEntryByEntry(ws: Workspace, doc: TsqDocument, runOptions: AnalyzeOptions): Known {
    let known = this.known;
    if (!known || known.doc !== doc)
      known = this.known = {
        doc,
        ...this.bothLocal(ws, doc, runOptions),
        global: new Map(),
      };
    if (known.catalogStale) {
      known.catalogLocal = own(allLocalFindings(ws, doc, [this.catalogLocal], runOptions)[0]);
      known.catalogStale = false;
    }
    return known;
  }

  /** The findings of both kinds of per-node rules, worked out on the same views of `doc`. */
  private bothLocal(
    ws: Workspace,
    doc: TsqDocument,
    runOptions: AnalyzeOptions,
  ): Pick<Known, 'local' | 'catalogLocal'> {
    const [local, catalogLocal] = allLocalFindings(ws, doc, [this.local, this.catalogLocal], runOptions);
    return { local: own(local), catalogLocal: own(catalogLocal) };
  }

  /**
   * What is known of `doc`, with every missing list (per-node rules' and the whole-file rules of
   * `global`) worked out in one pass over the whole file, as `analyzeDocument` runs them.
   */
  private knownInOnePass(ws: Workspace, doc: TsqDocument, global: readonly Rule[], runOptions: AnalyzeOptions): Known {
    const previous = this.known?.doc === doc ? this.known : undefined;
    const known: Known = previous ?? { doc, local: own([]), catalogLocal: own([]), global: new Map() };
    const local = previous ? [] : this.local;
    const catalogLocal = previous && !previous.catalogStale ? [] : this.catalogLocal;
    const missing = global.filter((rule) => !known.global.has(rule.code));
    const byRule = runRulesApart(ws, doc, [...local, ...catalogLocal, ...missing], runOptions);
    const inTextOrder = (rules: readonly Rule[]) =>
      own(rules.flatMap((rule) => byRule.get(rule) ?? []).sort((a, b) => a.start - b.start));
    if (!previous) known.local = inTextOrder(local);
    if (catalogLocal.length) known.catalogLocal = inTextOrder(catalogLocal);
    known.catalogStale = false;
    for (const rule of missing) known.global.set(rule.code, own(byRule.get(rule) ?? []));
    return (this.known = known);
  }
}

/**
 * Findings of the per-node rules for a whole document, one list per group of `groups` (each in
 * text order). A sequence is checked a few top-level entries of `steps:` at a time (and the rest
 * of the file once): the same findings, but the work for each view is small and short-lived,
 * which keeps the server's memory low on large files. Every group runs on the same views, in one
 * context per view (entry-view.ts says why the views hold several entries).
 */
function allLocalFindings(
  ws: Workspace,
  doc: TsqDocument,
  groups: readonly (readonly Rule[])[],
  options: AnalyzeOptions,
): Diagnostic[][] {
  const rules = groups.flat();
  const out = groups.map((): Diagnostic[] => []);
  const collect = (byRule: Map<Rule, Diagnostic[]>, keep: (d: Diagnostic) => boolean) =>
    groups.forEach((group, g) => {
      for (const rule of group) for (const d of byRule.get(rule) ?? []) if (keep(d)) out[g].push(d);
    });
  const inTextOrder = () => out.map((list) => list.sort((a, b) => a.start - b.start));
  const model = doc.model as SequenceModel | undefined;
  const root = doc.yaml.root;
  const stepsPairs = root?.kind === 'map' ? pairsOf(root.pairs).filter((p) => isStepsOrMergeKey(p.key)) : [];
  const pair = stepsPairs[0];
  if (
    doc.kind !== 'sequence' ||
    !model ||
    !root ||
    root.kind !== 'map' ||
    stepsPairs.length !== 1 ||
    pair.value.kind !== 'seq' ||
    pair.value.flow ||
    doc.yaml.anchored
  ) {
    collect(runRulesApart(ws, doc, rules, options), () => true);
    return inTextOrder();
  }
  const seq = pair.value;
  const rest = documentShell(
    doc.id,
    doc.text,
    doc.version,
    {
      ...doc.yaml,
      root: { ...root, pairs: withValueAt(root.pairs, pairIndexAt(root.pairs, pair.start), { ...seq, items: [] }) },
    },
    doc.budget,
  );
  rest.kind = doc.kind;
  rest.problems = doc.problems;
  rest.model = { ...model, steps: [] };
  collect(runRulesApart(ws, rest, rules, options), () => true);
  for (const entries of entryGroups(seq.items, model.steps)) {
    const { items } = entries;
    collect(runRulesApart(ws, entriesView(doc, entries), rules, options), (d) => insideOneOf(items, d.start));
  }
  return inTextOrder();
}

/** Whether `offset` lies inside one of `items` (in text order, not overlapping). */
function insideOneOf(items: readonly YNode[], offset: number): boolean {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = items[mid];
    if (offset < item.start) hi = mid - 1;
    else if (offset > item.end) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * The rebuilt node gives `rule` the same inputs as the node it replaced (its old offsets carried
 * through the edit), and any word the rule quotes that changed is quoted by none of `findings`.
 */
function sameInputs(
  rule: Rule,
  previous: TsqDocument,
  doc: TsqDocument,
  change: StepsChange,
  findings: readonly Diagnostic[],
): boolean {
  const reads = rule.incremental;
  if (typeof reads === 'string') return false;
  const { edit, delta } = change;
  const carried = (p: number) => (p < edit.start ? String(p) : p >= edit.end ? String(p + delta) : `~${p}`);
  const old = change.oldNode ? reads.inputs(previous, change.oldNode, carried) : '';
  const now = change.node ? reads.inputs(doc, change.node, String) : '';
  if (old !== now) return false;
  if (!reads.cited) return true;
  const before = change.oldNode ? reads.cited(change.oldNode) : [];
  const after = change.node ? reads.cited(change.node) : [];
  if (before.join('\n') === after.join('\n')) return true;
  // An empty word is quoted by leaving a part of the message out: nothing shows whether it was.
  if (before.some((w) => !w)) return false;
  return !findings.some((f) => before.some((w) => f.message.includes(w) || !!f.hint?.includes(w)));
}

/** A top-level key that `steps:` may come from: `steps` itself, or a merge key that may bring it in. */
function isStepsOrMergeKey(key: YNode): boolean {
  return key.kind === 'scalar' && (key.text === 'steps' || key.text === '<<');
}
