// Lints an in-memory workspace for tests: files are given as name → text, findings come back
// with 1-based line/column and the text they cover, so tests read like what an admin sees.

import { parseDocument } from '../../server/src/model/document';
import { Workspace } from '../../server/src/semantics/workspace';
import { analyzeDocument, type AnalyzeOptions } from '../../server/src/analysis/analyze';
import type { Diagnostic } from '../../server/src/analysis/diagnostic';

export const ROOT = '/ws';

export interface Finding {
  file: string;
  line: number;
  column: number;
  code: string;
  severity: Diagnostic['severity'];
  message: string;
  hint?: string;
  /** The source text the finding covers. */
  text: string;
  data?: Diagnostic['data'];
}

export function workspaceOf(files: Record<string, string>): Workspace {
  const ws = new Workspace();
  for (const [name, text] of Object.entries(files)) ws.upsert(parseDocument(`${ROOT}/${name}`, text));
  return ws;
}

/** Findings for `file` (default: the first file) in a workspace made of `files`. */
export function lint(files: Record<string, string>, file = Object.keys(files)[0], options?: AnalyzeOptions): Finding[] {
  const ws = workspaceOf(files);
  const doc = ws.get(`${ROOT}/${file}`)!;
  return analyzeDocument(ws, doc, options).map((d) => {
    const p = doc.lineMap.positionAt(d.start);
    return {
      file,
      line: p.line + 1,
      column: p.character + 1,
      code: d.code,
      severity: d.severity,
      message: d.message,
      hint: d.hint,
      text: doc.text.slice(d.start, d.end),
      data: d.data,
    };
  });
}

/** Findings of one rule code. */
export function findings(code: string, files: Record<string, string>, file?: string): Finding[] {
  return lint(files, file).filter((f) => f.code === code);
}

/** Joins lines: keeps test fixtures readable without leading indentation games. */
export function yaml(...lines: string[]): string {
  return lines.join('\n') + '\n';
}
