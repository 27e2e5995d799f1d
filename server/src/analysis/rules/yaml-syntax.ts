// yaml-syntax: the file is not valid YAML (or cannot be read as text). Each mistake is reported
// once where it is, with what to do; the rest of the file is still read and checked.

import type { Rule } from '../rule';

export const yamlSyntax: Rule = {
  code: 'yaml-syntax',
  defaultSeverity: 'error',
  mostSevere: 'error',
  title: 'The file is not valid YAML',
  description:
    'Reports YAML mistakes (indentation, unclosed quotes or brackets, tabs, duplicate keys, lists or mappings used as keys, aliases that expand without bound) and files that cannot be read as UTF-8 or UTF-16 text.',
  kinds: ['any'],
  incremental: 'whole-file',
  check(ctx) {
    const { doc } = ctx;
    for (const e of doc.yaml.errors) {
      ctx.report({ start: e.start, end: e.end, message: e.message, hint: e.hint, severity: e.severity });
    }
    for (const e of doc.budget.errors) ctx.report({ start: e.start, end: e.end, message: e.message, hint: e.hint });
    for (const p of doc.problems) {
      if (p.code === 'unreadable-file')
        ctx.report({ start: p.start, end: p.end, message: p.message, hint: p.hint, severity: p.severity });
    }
  },
};
