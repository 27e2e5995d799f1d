// Renders a report document as Markdown (GitHub's flavour: pipe tables, nested lists). Every text
// from a sequence is escaped, so names such as `<script>` or `| pipes |` stay text in a pull
// request or a wiki, and nothing renders as HTML.

import { pieces, safeHref, type Block, type Inline, type ReportDocument } from './document';

/** Escapes text for Markdown: punctuation that could start markup, and `<`, `>`, `&` as entities. */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, ' ')
      .replace(/[\\`*_{}[\]#|~]/g, (c) => `\\${c}`)
      // A list marker or a numbered item at the start would turn a name into a list.
      .replace(
        /^(\s*)([-+](?=\s|$)|\d+(?=[.)](?:\s|$)))/,
        (_, space: string, mark: string) => `${space}${/^\d/.test(mark) ? mark.replace(/(\d)$/, '$1\\') : `\\${mark}`}`,
      )
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
  );
}

/**
 * Text as a Markdown code span: the fence is one backtick longer than the longest run of them in
 * the text, so no text can close it early; a space pads a text that starts or ends with one.
 */
export function codeSpanMarkdown(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function inline(text: Inline): string {
  return pieces(text)
    .map((p) => {
      if (typeof p === 'string') return escapeMarkdown(p);
      const href = safeHref(p.href);
      return href === undefined
        ? escapeMarkdown(p.text)
        : `[${escapeMarkdown(p.text)}](<${href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
    })
    .join('');
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`;
    case 'paragraph':
      return inline(b.text) || '&nbsp;';
    case 'list':
      return b.items.map((i) => `- ${inline(i)}`).join('\n');
    case 'table': {
      const row = (cells: readonly string[]) => `| ${cells.map((c) => c || ' ').join(' | ')} |`;
      return [
        row(b.columns.map(escapeMarkdown)),
        row(b.columns.map(() => '---')),
        ...b.rows.map((r) => row(b.columns.map((_, i) => (r[i] === undefined ? '' : inline(r[i]))))),
      ].join('\n');
    }
    case 'tree':
      return b.items
        .map((item) => {
          const indent = '  '.repeat(item.depth);
          const head = `${indent}- ${item.mark ? `${item.mark} ` : ''}${inline(item.text)}${item.detail ? ` — ${escapeMarkdown(item.detail)}` : ''}`;
          return [head, ...(item.notes ?? []).map((n) => `${indent}  - *${escapeMarkdown(n)}*`)].join('\n');
        })
        .join('\n');
  }
}

export function renderMarkdown(doc: ReportDocument): string {
  return [`# ${escapeMarkdown(doc.title)}`, ...doc.blocks.map(block)].join('\n\n') + '\n';
}
