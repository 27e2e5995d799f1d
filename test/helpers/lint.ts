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
    return { file, line: p.line + 1, column: p.character + 1, code: d.code, severity: d.severity, message: d.message, hint: d.hint, text: doc.text.slice(d.start, d.end), data: d.data };
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

export const CATALOG = yaml(
  'catalog: Test site',
  'siteCode: TST',
  'packages:',
  '  - { id: TST00001, name: Client, version: 5 }',
  '  - { id: TST00077, name: Scripts, version: 4, programs: [Install, Configure], architectures: [x64] }',
  '  - { id: TST00078, name: Undistributed, distributed: false }',
  'applications:',
  '  - { id: App_7zip, name: 7-Zip, architectures: [x64] }',
  '  - { id: App_legacy, name: Legacy tool, architectures: [x86] }',
  'osImages:',
  '  - { id: TST00042, name: Windows 11, architecture: x64, indexes: [1, 3] }',
  '  - { id: TST00043, name: Windows 11 ARM, architecture: arm64, indexes: [1] }',
  'driverPackages:',
  '  - { id: TST00050, name: x64 drivers, architecture: x64 }',
  '  - { id: TST00059, name: x86 drivers, architecture: x86 }',
  'bootImages:',
  '  - { id: TST00005, name: Boot x64, architecture: x64 }',
  '  - { id: TST00006, name: Boot x86, architecture: x86 }',
  'taskSequences:',
  '  - { id: TST00100, name: Known child }',
  'collections:',
  '  - { id: TST00015, name: Lab, type: device, variables: { LabRing: one } }',
);
