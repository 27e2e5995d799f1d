// A small document model shared by every report tsq writes (sequence documents, run reports,
// change reports, and later the migration report): headings, paragraphs, lists, tables and
// trees of plain text. Builders say what to show; the renderers (markdown.ts, html.ts) decide how,
// and they alone escape text, so a hostile name in a sequence stays text in every format.

/** A piece of text, optionally a link (only `#anchor` or a relative file name; others are shown as text). */
export interface Link {
  text: string;
  href: string;
}

/** Text, or a run of text pieces and links. */
export type Inline = string | Link | readonly (string | Link)[];

export interface TreeItem {
  /** Nesting depth, 0 at the top. */
  depth: number;
  /** A mark in front (✔, ✘, ↷). */
  mark?: string;
  text: Inline;
  /** Quieter text after the main text (a reason, an exit code). */
  detail?: string;
  /** Notes under the item. */
  notes?: readonly string[];
  /** A class of the item for styles: `good`, `bad`, `warn` or `quiet`. */
  tone?: Tone;
}

export type Tone = 'good' | 'bad' | 'warn' | 'quiet';

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; anchor?: string }
  | { kind: 'paragraph'; text: Inline; tone?: Tone }
  | { kind: 'list'; items: readonly Inline[] }
  | { kind: 'table'; columns: readonly string[]; rows: readonly (readonly Inline[])[] }
  | { kind: 'tree'; items: readonly TreeItem[] };

export interface ReportDocument {
  title: string;
  blocks: Block[];
}

/** The plain text of an inline, without links. */
export function plainText(inline: Inline): string {
  if (typeof inline === 'string') return inline;
  if (Array.isArray(inline))
    return (inline as readonly (string | Link)[]).map((p) => (typeof p === 'string' ? p : p.text)).join('');
  return (inline as Link).text;
}

/** The pieces of an inline, in order. */
export function pieces(inline: Inline): readonly (string | Link)[] {
  if (typeof inline === 'string') return [inline];
  if (Array.isArray(inline)) return inline as readonly (string | Link)[];
  return [inline as Link];
}

/** A page of Microsoft Learn: exactly that host, then a path without spaces or backslashes. */
const MICROSOFT_LEARN = /^https:\/\/learn\.microsoft\.com\/[^\s\\]*$/;

/**
 * The link target a renderer may write: an anchor in the same document, a relative file name, or a
 * page of Microsoft's documentation (`https://learn.microsoft.com/…`, which tsq's own catalogs cite).
 * Any other scheme (`javascript:`, `data:`, other `https:` hosts), a protocol-relative `//`, or
 * control characters are refused, so that a name from a sequence can never become an active link
 * to anything but Microsoft's documentation.
 */
export function safeHref(href: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  if (/[\u0000-\u001f\u007f]/.test(href)) return undefined;
  if (MICROSOFT_LEARN.test(href)) return href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//') || href.startsWith('\\\\')) return undefined;
  return href;
}

/** An anchor made of letters, digits and dashes from any text (stable for the same text). */
export function anchorOf(text: string): string {
  const a = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return a || 'section';
}
