// Writes diagnostics for terminals and machines: text (file:line:col, clickable in terminals and
// editors), json (the stable array of the CLI contract), and SARIF 2.1.0 for code-scanning UIs.

import * as path from 'node:path';
import type { Diagnostic, Severity } from '../analysis/diagnostic';
import type { Workspace } from '../semantics/workspace';
import type { Rule } from '../analysis/rule';
import { pathToFileURL } from 'node:url';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

/** Path shown to the user: relative to the working folder when inside it. */
export function displayPath(id: string, cwd = process.cwd()): string {
  if (/^[a-z][a-z0-9+.-]+:/i.test(id) && !/^[A-Za-z]:[\\/]/.test(id)) return id;
  const rel = path.relative(cwd, id);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : id;
}

export function toJson(ws: Workspace, diags: Diagnostic[], cwd?: string): JsonDiagnostic[] {
  return diags.map((d) => {
    const lm = ws.get(d.docId)!.lineMap;
    const s = lm.positionAt(d.start);
    const e = lm.positionAt(d.end);
    return {
      file: displayPath(d.docId, cwd),
      line: s.line + 1,
      column: s.character + 1,
      endLine: e.line + 1,
      endColumn: e.character + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
  });
}

const COLORS = {
  error: '\x1b[31m',
  warning: '\x1b[33m',
  information: '\x1b[36m',
  hint: '\x1b[90m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  reset: '\x1b[0m',
  green: '\x1b[32m',
};

/** One line per diagnostic (`file:line:col severity message [code]`) and its hint, without a summary. */
export function formatDiagnosticLines(ws: Workspace, diags: Diagnostic[], color: boolean, cwd?: string): string[] {
  const c = (k: keyof typeof COLORS, s: string) => (color ? COLORS[k] + s + COLORS.reset : s);
  const lines: string[] = [];
  toJson(ws, diags, cwd).forEach((j, i) => {
    lines.push(
      `${c('bold', `${j.file}:${j.line}:${j.column}`)} ${c(j.severity, j.severity)} ${j.message} ${c('dim', `[${j.code}]`)}`,
    );
    const hint = diags[i].hint;
    if (hint) lines.push(`    ${c('dim', `hint: ${hint}`)}`);
  });
  return lines;
}

export function formatText(
  ws: Workspace,
  diags: Diagnostic[],
  fileCount: number,
  color: boolean,
  cwd?: string,
): string {
  const c = (k: keyof typeof COLORS, s: string) => (color ? COLORS[k] + s + COLORS.reset : s);
  const lines = formatDiagnosticLines(ws, diags, color, cwd);
  const count = (s: Severity) => diags.filter((d) => d.severity === s).length;
  const errors = count('error'),
    warnings = count('warning'),
    infos = count('information') + count('hint');
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  if (diags.length === 0) lines.push(c('green', `✔ ${files} checked, no problems.`));
  else if (errors === 0 && warnings === 0) {
    // Notes alone are not a warning: the sign says the files are fine, the count says there is more to read.
    lines.push(
      (lines.length ? '\n' : '') +
        c('green', `✔ ${files} checked: no errors or warnings, ${infos} note${infos === 1 ? '' : 's'}.`),
    );
  } else {
    const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
    if (infos) parts.push(`${infos} note${infos === 1 ? '' : 's'}`);
    lines.push(
      (lines.length ? '\n' : '') +
        c(errors ? 'error' : 'warning', `${errors ? '✖' : '⚠'} ${files} checked: ${parts.join(', ')}.`),
    );
  }
  return lines.join('\n') + '\n';
}

export function toSarif(
  ws: Workspace,
  diags: Diagnostic[],
  rules: readonly Rule[],
  version: string,
  cwd = process.cwd(),
): unknown {
  const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const ruleIds = [...new Set([...rules.map((r) => r.code), ...diags.map((d) => d.code)])];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tsq',
            version,
            informationUri: 'https://example.invalid/tsq',
            rules: ruleIds.map((id) => {
              const r = rules.find((x) => x.code === id);
              return {
                id,
                shortDescription: { text: r?.title ?? id },
                fullDescription: { text: r?.description ?? id },
                defaultConfiguration: { level: level(r?.defaultSeverity ?? 'warning') },
              };
            }),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        results: diags.map((d) => {
          const lm = ws.get(d.docId)!.lineMap;
          const s = lm.positionAt(d.start);
          const e = lm.positionAt(d.end);
          const rel = path.relative(cwd, d.docId);
          const inside = rel && !rel.startsWith('..') && !path.isAbsolute(rel);
          return {
            ruleId: d.code,
            ruleIndex: ruleIds.indexOf(d.code),
            level: level(d.severity),
            message: { text: d.hint ? `${d.message} ${d.hint}` : d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: inside
                    ? { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' }
                    : { uri: pathToFileURL(d.docId).href },
                  region: {
                    startLine: s.line + 1,
                    startColumn: s.character + 1,
                    endLine: e.line + 1,
                    endColumn: e.character + 1,
                  },
                },
              },
            ],
          };
        }),
      },
    ],
  };
}
