// What an analysis rule is: a stable code, a default severity, a description for the docs, the
// file kinds it checks, and a `check` that reports findings through a context. Rules are small
// modules under ./rules, listed in ./rules/index.ts.

import type { FileKind } from '../model/kinds';
import type { TsqDocument } from '../model/document';
import type { Workspace } from '../semantics/workspace';
import type { Diagnostic, DiagnosticData, RelatedInformation, Severity } from './diagnostic';

export interface Rule {
  code: string;
  defaultSeverity: Severity;
  /** One line for lists (CLI `--rules`, docs, SARIF rule descriptors). */
  title: string;
  /** Why the rule exists and what it checks, in plain words (docs and hover). */
  description: string;
  /** File kinds the rule checks; `any` also runs for files whose kind is unknown. */
  kinds: readonly (FileKind | 'any')[];
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

  constructor(readonly ws: Workspace, readonly doc: TsqDocument, private rule: Rule) {}

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
