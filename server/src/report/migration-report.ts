// The MDT migration report (`tsq migrate --format md`) as a report document, written by the shared
// Markdown renderer: every name, path and value from the MDT sequence is escaped there, so a step
// called `<img onerror=…>` or `[x](javascript:…)` stays text in a pull request or a wiki. The only
// links are the MDT variables' pages on Microsoft Learn, from tsq's own catalog.

import type { Block } from './document';
import { renderMarkdown } from './markdown';
import { countsLine, totalLine, type MigrationReport, type StillNamed } from '../migrate/report';

/** The report as Markdown (a pull request, a wiki page). */
export function formatReportMarkdown(report: MigrationReport): string {
  const blocks: Block[] = [{ kind: 'paragraph', text: totalLine(report) }];
  for (const s of report.sequences) {
    blocks.push(
      { kind: 'heading', level: 2, text: s.name || s.file },
      {
        kind: 'paragraph',
        text: `From ${s.file}${s.out ? ` to ${s.out}` : ''}: ${s.steps.length ? countsLine(s.counts) : 'no step depends on MDT'}.`,
      },
    );
    if (s.steps.length)
      blocks.push({
        kind: 'table',
        columns: ['step', 'MDT', 'ConfigMgr', 'status', 'what to do'],
        rows: s.steps.map((step) => [step.path, step.from, step.to, step.status, step.reason]),
      });
    const named = (title: string, list: readonly StillNamed[]) => {
      if (list.length)
        blocks.push(
          { kind: 'heading', level: 3, text: title },
          { kind: 'list', items: list.map((x) => `${x.name} (${x.steps.join('; ')})`) },
        );
    };
    named('MDT scripts still run', s.scripts);
    named('Deployment share paths still read', s.sharePaths);
    if (s.variables.length)
      blocks.push(
        { kind: 'heading', level: 3, text: 'MDT variables still read' },
        {
          kind: 'list',
          items: s.variables.map((v) => [
            v.docs ? { text: v.name, href: v.docs } : v.name,
            `, set by ${v.setBy}, read by ${v.readBy.join('; ')}. ${v.now}`,
          ]),
        },
      );
    if (s.problems.length)
      blocks.push(
        { kind: 'heading', level: 3, text: 'Errors in the migrated file' },
        { kind: 'list', items: s.problems.map((p) => `line ${p.line} [${p.code}] ${p.message}`) },
      );
  }
  return renderMarkdown({ title: 'MDT migration report', blocks });
}
