// `tsq diff A B`: compares two task sequences by meaning — XML files, ConfigMgr export .zips or
// *.tsq.yaml files, in any mix — and lists what differs, step by step.
// Exit code: 0 the same; 1 different; 2 usage or I/O problem, or an input tsq cannot read.

import { parseCommandLine } from './arguments';
import { loadPaths, requireFile } from '../frontend/load-paths';
import { UsageError } from '../frontend/usage-error';
import { displayPath } from '../frontend/diagnostic-report';
import type { CliIO } from './io';
import { isTsqFileName } from '../model/kinds';
import { normalisePath } from '../util/paths';
import { diffSequences } from '../interop/diff/diff';
import { sequenceOf, type DiffSource } from '../interop/diff/sources';
import { readInteropInput } from './import';
import { changeReportDocument } from '../report/change-report';
import { renderMarkdown } from '../report/markdown';

export const DIFF_USAGE = `Usage: tsq diff A B [--package ID] [--format text|json|md]

Compares two task sequences by meaning: same groups and steps in the same order, same names,
settings, conditions, variables and references. Formatting, attribute order and spellings
ConfigMgr treats alike do not count (docs/interop.md lists them). A and B may each be a
sequence .xml, a ConfigMgr export .zip or a *.tsq.yaml file.
  --package   the package ID to compare when a .zip holds several sequences
  --format    text (default), json (an array of {path, message}) or md (a change report for a
              pull request: steps added, removed, renamed and moved, options and conditions in words)
Exit code: 0 the same, 1 different, 2 usage or I/O problem or an unreadable input.`;

function source(file: string): DiffSource {
  requireFile(file);
  if (isTsqFileName(file)) {
    const { ws } = loadPaths([file]);
    const doc = ws.get(normalisePath(file));
    if (!doc || doc.kind !== 'sequence') throw new UsageError(`${file} is not a sequence file.`);
    return { name: displayPath(file), bytes: Buffer.alloc(0), document: { doc, ws } };
  }
  return { name: displayPath(file), bytes: readInteropInput(file) };
}

export async function runDiff(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine({
    args: argv,
    allowPositionals: true,
    options: {
      package: { type: 'string' },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(DIFF_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError('Give two files to compare.');
  if (values.format !== 'text' && values.format !== 'json' && values.format !== 'md')
    throw new UsageError(`Unknown format \`${values.format}\`; use text, json or md.`);
  const [a, b] = await Promise.all(positionals.map((p) => sequenceOf(source(p), values.package)));
  for (const r of [a, b]) {
    if (!r.ok) {
      io.err(`tsq diff: ${r.error.message}${r.error.hint ? `\n  ${r.error.hint}` : ''}\n`);
      return 2;
    }
  }
  if (!a.ok || !b.ok) return 2;
  const diffs = diffSequences(a.value, b.value);
  if (values.format === 'md')
    io.out(
      renderMarkdown(
        changeReportDocument(a.value, b.value, { nameA: positionals[0], nameB: positionals[1], differences: diffs }),
      ),
    );
  else if (values.format === 'json') io.out(JSON.stringify(diffs, null, 2) + '\n');
  else if (diffs.length === 0) io.out('The sequences are the same.\n');
  else {
    io.out(
      `${diffs.length} difference${diffs.length === 1 ? '' : 's'} between ${positionals[0]} and ${positionals[1]}:\n`,
    );
    for (const d of diffs) io.out(`  ${d.path ? `${d.path}: ` : ''}${d.message}\n`);
  }
  return diffs.length === 0 ? 0 : 1;
}
