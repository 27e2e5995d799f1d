// What an analysis rule is: a stable code, a default severity, a title and description (the docs,
// docs/rules.md, are generated from them), the file kinds it checks, what the editor's incremental
// checker may assume about it, and a `check` that reports findings through a context. Rules are
// one module each under ./rules, listed in ./rules/index.ts, each with its fixture under
// test/rules/ (docs/adding-a-rule.md).

import type { FileKind } from '../model/kinds';
import type { TsqDocument } from '../model/document';
import type { Workspace } from '../semantics/workspace';
import type { Diagnostic, DiagnosticData, RelatedInformation, Severity } from './diagnostic';
import type { NodeReads } from './node-reads';

/**
 * How the editor's incremental checker (./incremental.ts) keeps a rule's findings after an edit
 * inside a sequence's `steps:` (other files are always checked whole):
 * - `'per-node'`: what the rule finds about a group or step depends only on that node (and on other
 *   files), so only the rebuilt node is checked again and every other finding is kept;
 * - `'whole-file'`: the rule runs on the whole file again after every such edit;
 * - `NodeReads`: the rule runs on the whole file again only when what it reads from the rebuilt
 *   node changed (or a word it quotes in a finding); otherwise its findings move with the text.
 * A wrong answer here shows as a difference between incremental and full analysis, which
 * test/unit/incremental-analysis.test.ts looks for after thousands of random edits.
 */
export type IncrementalUse = 'per-node' | 'whole-file' | NodeReads;

export interface Rule {
  code: string;
  defaultSeverity: Severity;
  /**
   * The most severe finding the rule can report: its default severity, or a finding's own when that
   * is higher. A rule that cannot report an error is left out when all that matters is whether a
   * file has errors (./run-blocking-errors.ts); test/unit/run-blocking-errors.test.ts checks that no
   * finding of a fixture or example is more severe than this.
   */
  mostSevere: Severity;
  /** One line for lists (CLI `--rules`, docs, SARIF rule descriptors). */
  title: string;
  /** Why the rule exists and what it checks, in plain words (docs and hover). */
  description: string;
  /** File kinds the rule checks; `any` also runs for files whose kind is unknown. */
  kinds: readonly (FileKind | 'any')[];
  incremental: IncrementalUse;
  /**
   * On a sequence, the findings depend on the catalogs' entries: after a catalog edit the
   * language server runs only these rules again on the sequences it touches
   * (semantics/catalog-dependants.ts; test/unit/catalog-dependants.test.ts finds rules that read
   * the catalogs without saying so).
   */
  readsCatalog?: true;
  check(ctx: RuleContext): void;
}

export interface Finding {
  start: number;
  end: number;
  message: string;
  hint?: string;
  /** Overrides the rule's default severity for this finding (e.g. a partial catalog lowers it). */
  severity?: Severity;
  /** Report under another code than the rule's own (for rules that emit related codes). */
  code?: string;
  data?: DiagnosticData;
  related?: RelatedInformation[];
  tags?: Diagnostic['tags'];
}

export class RuleContext {
  readonly findings: Diagnostic[] = [];
  private memos?: Map<string, unknown>;

  constructor(
    readonly ws: Workspace,
    readonly doc: TsqDocument,
    private rule: Rule,
  ) {}

  /** The rule being run (set by the analyser before each rule). */
  setRule(rule: Rule): void {
    this.rule = rule;
  }

  report(f: Finding): void {
    this.findings.push({
      docId: this.doc.id,
      start: f.start,
      end: Math.max(f.end, f.start),
      severity: f.severity ?? this.rule.defaultSeverity,
      code: f.code ?? this.rule.code,
      message: f.message,
      hint: f.hint,
      data: f.data,
      related: f.related,
      tags: f.tags,
    });
  }

  /** Computes a value once per document and analysis run, shared by all rules. */
  memo<T>(key: string, compute: () => T): T {
    const m = (this.memos ??= new Map());
    if (m.has(key)) return m.get(key) as T;
    const v = compute();
    m.set(key, v);
    return v;
  }
}
