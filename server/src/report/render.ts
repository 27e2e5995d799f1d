// The report formats tsq writes and the one call that renders a document in either, shared by
// `tsq doc`, `tsq simulate --report` and the editor.

import type { ReportDocument } from './document';
import { renderHtml, type HtmlOptions } from './html';
import { renderMarkdown } from './markdown';

export type ReportFormat = 'md' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'html'];

/** The format a file name asks for (`.md`, `.markdown`, `.html`, `.htm`), if any. */
export function formatOfFile(file: string): ReportFormat | undefined {
  if (/\.(md|markdown)$/i.test(file)) return 'md';
  if (/\.html?$/i.test(file)) return 'html';
  return undefined;
}

export function renderDocument(doc: ReportDocument, format: ReportFormat, html: HtmlOptions = {}): string {
  return format === 'html' ? renderHtml(doc, html) : renderMarkdown(doc);
}
