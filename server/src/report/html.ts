// Renders a report document as one self-contained HTML file an admin can keep, mail or open from
// a share: the styles are inline, there is no script, nothing is fetched from the network, and a
// strict Content-Security-Policy (no sources at all but the one stylesheet, allowed by its hash)
// means that even a name that slipped through could not run or load anything. Every text is
// escaped. The VS Code webviews show the same HTML.

import { createHash } from 'node:crypto';
import { pieces, safeHref, type Block, type Inline, type ReportDocument, type TreeItem } from './document';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** Colours follow the viewer's light or dark scheme; inside VS Code the theme's variables win. */
export const REPORT_CSS = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 14px); line-height: 1.45; margin: 1.5em auto; max-width: 80em; padding: 0 1em; color: var(--vscode-foreground, CanvasText); background: var(--vscode-editor-background, Canvas); }
h1 { font-size: 1.6em; border-bottom: 1px solid #8884; padding-bottom: .2em; }
h2 { font-size: 1.3em; margin-top: 1.6em; }
h3 { font-size: 1.1em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th, td { border: 1px solid #8886; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #8882; }
tr:nth-child(even) td { background: #8880a; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.4em; margin: 0; }
ul.tree { padding-left: 0; }
.mark { display: inline-block; width: 1.3em; }
.detail, .note, .quiet { opacity: .75; }
.note { font-style: italic; margin-left: 1.3em; }
.good .mark { color: #2a7a2a; }
.bad, .bad .mark { color: #c0392b; }
.warn .mark { color: #b7791f; }
a { color: var(--vscode-textLink-foreground, LinkText); }
@media print { body { max-width: none; } a { color: inherit; } }
`.trim();

/** The CSP source that allows exactly REPORT_CSS and nothing else. */
export function styleHashSource(css: string = REPORT_CSS): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/** The Content-Security-Policy of a report: no scripts, no network, no frames, no forms, one stylesheet. */
export function reportCsp(css: string = REPORT_CSS): string {
  return `default-src 'none'; style-src ${styleHashSource(css)}; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;
}

function inline(text: Inline): string {
  return pieces(text)
    .map((p) => {
      if (typeof p === 'string') return escapeHtml(p);
      const href = safeHref(p.href);
      return href === undefined ? escapeHtml(p.text) : `<a href="${escapeHtml(href)}">${escapeHtml(p.text)}</a>`;
    })
    .join('');
}

function treeHtml(items: readonly TreeItem[]): string {
  const out: string[] = ['<ul class="tree">'];
  let depth = 0;
  let open = false;
  for (const item of items) {
    const d = Math.max(0, Math.min(item.depth, depth + (open ? 1 : 0)));
    if (d > depth) {
      out.push('<ul>');
      depth = d;
    } else {
      if (open) out.push('</li>');
      for (; depth > d; depth--) out.push('</ul></li>');
    }
    const cls = item.tone ? ` class="${item.tone}"` : '';
    const mark = item.mark ? `<span class="mark">${escapeHtml(item.mark)}</span>` : '';
    const detail = item.detail ? ` <span class="detail">— ${escapeHtml(item.detail)}</span>` : '';
    const notes = (item.notes ?? []).map((n) => `<div class="note">${escapeHtml(n)}</div>`).join('');
    out.push(`<li${cls}>${mark}${inline(item.text)}${detail}${notes}`);
    open = true;
  }
  if (open) out.push('</li>');
  for (; depth > 0; depth--) out.push('</ul></li>');
  out.push('</ul>');
  return out.join('\n');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}${b.anchor ? ` id="${escapeHtml(b.anchor)}"` : ''}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p${b.tone ? ` class="${b.tone}"` : ''}>${inline(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((i) => `<li>${inline(i)}</li>`).join('\n')}\n</ul>`;
    case 'table':
      return [
        '<table>',
        `<thead><tr>${b.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`,
        '<tbody>',
        ...b.rows.map(
          (r) => `<tr>${b.columns.map((_, i) => `<td>${r[i] === undefined ? '' : inline(r[i])}</td>`).join('')}</tr>`,
        ),
        '</tbody>',
        '</table>',
      ].join('\n');
    case 'tree':
      return treeHtml(b.items);
  }
}

export interface HtmlOptions {
  /**
   * A CSP to use instead of the report's own (a VS Code webview adds its own source for styles).
   * It must stay at least as strict.
   */
  csp?: string;
}

export function renderHtml(doc: ReportDocument, options: HtmlOptions = {}): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(options.csp ?? reportCsp())}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    ...doc.blocks.map(block),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
