// Reads untrusted XML bytes into the plain tree of ./tree.ts, or refuses them with a message that
// says why. The parser is saxes (strict XML 1.0 well-formedness, no DTD processing at all); on
// top of it this module decodes UTF-8 and UTF-16 only, refuses any DOCTYPE (so no entity
// declarations, no entity expansion, no external fetches), caps nesting depth and input size,
// and keeps CDATA apart from text so object.xml's embedded sequence is found exactly.

import { SaxesParser } from 'saxes';
import { InteropError } from '../errors';
import { setAttribute, type XmlElement, type XmlNode } from './tree';

export const XML_LIMITS = {
  /** Largest XML document tsq reads (a 10,000-step sequence is about 10 MB). */
  maxBytes: 64 * 1024 * 1024,
  /** Deepest element nesting; real sequences stay below 40 (groups and conditions included). */
  maxDepth: 200,
};

export interface ReadXmlOptions {
  /** Name used in messages (a file name or a zip entry). */
  source: string;
  maxBytes?: number;
  maxDepth?: number;
  /**
   * Called as each element closes (children complete), with the elements still open above it,
   * root first. A node it returns takes the element's place among its parent's children: a
   * reader that maps parts of the document as they complete lets the rest of each part go at
   * once. It must not throw.
   */
  closed?: (element: XmlElement, ancestors: readonly XmlElement[]) => XmlNode | undefined;
}

export interface XmlDocument {
  root: XmlElement;
  /** Comments and processing instructions met (not kept in the tree), for the import report. */
  dropped: { comments: number; instructions: number };
}

// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Decodes XML bytes as UTF-8 or UTF-16 (by byte order mark or by the first `<`), or refuses. */
export function decodeXmlBytes(bytes: Uint8Array, source: string): string {
  let text: string;
  const b0 = bytes[0],
    b1 = bytes[1];
  try {
    if (b0 === 0xff && b1 === 0xfe) text = decodeUtf16(bytes.subarray(2), true);
    else if (b0 === 0xfe && b1 === 0xff) text = decodeUtf16(bytes.subarray(2), false);
    else if (b0 === 0x3c && b1 === 0x00) text = decodeUtf16(bytes, true);
    else if (b0 === 0x00 && b1 === 0x3c) text = decodeUtf16(bytes, false);
    else {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
  } catch {
    throw new InteropError(
      `${source} is neither UTF-8 nor UTF-16 text.`,
      'Save it again as UTF-8 (or export it from ConfigMgr again); tsq reads no other encodings.',
    );
  }
  const declared = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(text)?.[1];
  if (declared && !/^(utf-?8|utf-?16(le|be)?|unicode)$/i.test(declared) && !ASCII_ONLY.test(text)) {
    throw new InteropError(
      `${source} declares the encoding "${declared}"; tsq reads UTF-8 and UTF-16 only.`,
      'Save the file as UTF-8 and change the declaration to encoding="utf-8".',
    );
  }
  return text;
}

function decodeUtf16(bytes: Uint8Array, littleEndian: boolean): string {
  if (bytes.length % 2 !== 0) throw new Error('odd length');
  if (littleEndian) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1];
    swapped[i + 1] = bytes[i];
  }
  return new TextDecoder('utf-16le', { fatal: true }).decode(swapped);
}

class Stop {}

/** Children of an element still being read (replaced when it closes). */
const NOT_CLOSED: XmlNode[] = [];

function hasElement(nodes: XmlNode[], from: number): boolean {
  for (let i = from; i < nodes.length; i++) if (nodes[i].kind === 'element') return true;
  return false;
}

type SaxesEvents = Parameters<SaxesParser['on']>[0];

/** The only events tsq listens to, registered in this order on every parser. */
const EVENTS = ['opentag', 'closetag', 'text', 'cdata', 'doctype', 'error'] as const;

/**
 * A saxes parser with exactly the six handlers tsq uses, always in the same order. saxes keeps
 * handlers as properties added after construction; with more than six of them V8 turns the
 * parser into a slow dictionary-mode object (measured: 5x slower on a 10 MB file), and parsers
 * with different sets of them make saxes's hot loop polymorphic.
 */
export function newSaxesParser(
  handlers: Partial<Record<(typeof EVENTS)[number], (...args: never[]) => void>>,
): SaxesParser {
  const parser = new SaxesParser({ xmlns: false, position: true });
  for (const name of EVENTS) parser.on(name as SaxesEvents, (handlers[name] ?? (() => undefined)) as never);
  return parser;
}

/** Parses XML text into a tree. Throws InteropError for anything that is not safe, well-formed XML. */
export function parseXmlText(xml: string, options: ReadXmlOptions): XmlDocument {
  const maxDepth = options.maxDepth ?? XML_LIMITS.maxDepth;
  const source = options.source;
  if (!/\S/.test(xml))
    // A 0-byte file (a download or copy that failed) is no XML either, but says so plainly.
    throw new InteropError(
      `${source} is empty.`,
      'Choose a task sequence XML file, a ConfigMgr export .zip or a .tsqpkg; if it came from a download or a copy, fetch it again.',
    );
  if (!/^\s*</.test(xml)) {
    throw new InteropError(
      `${source} is not XML: it does not start with "<".`,
      'Choose a task sequence XML file (or a ConfigMgr export .zip).',
    );
  }
  const closed = options.closed;
  // Open elements, root first; `top` is the innermost (undefined outside the root).
  const stack: XmlElement[] = [];
  let top: XmlElement | undefined;
  // The children of every open element, innermost last; `starts` says where each element's begin.
  // An element gets its children array when it closes, sized exactly: arrays grown by push hold
  // spare room (most elements here have one child), which on a 10 MB file was a third of the tree.
  const pending: XmlNode[] = [];
  const starts: number[] = [0];
  let start = 0;
  let problem: InteropError | undefined;
  // Comments are not part of a sequence; count them for the report without a (costly) handler.
  const dropped = { comments: xml.includes('<!--') ? (xml.match(/<!--/g) ?? []).length : 0, instructions: 0 };
  const fail = (e: InteropError): never => {
    problem ??= e;
    throw new Stop();
  };

  const handlers = {
    doctype: () => {
      fail(
        new InteropError(
          `${source} declares a DOCTYPE (line ${parser.line}); tsq refuses DTDs and entity declarations.`,
          'Task sequence XML never needs one: entity declarations can expand without bound or fetch other files. Remove the <!DOCTYPE ...> part.',
        ),
      );
    },
    opentag: (tag: { name: string; attributes: unknown }) => {
      if (stack.length >= maxDepth) {
        fail(
          new InteropError(
            `${source} nests elements more than ${maxDepth} levels deep (line ${parser.line}).`,
            'Real task sequences nest far less; the file is damaged or was built to exhaust the reader.',
          ),
        );
      }
      // Copy saxes's null-prototype record into a plain one: far smaller once thousands are kept.
      const attrs: Record<string, string> = {};
      const given = tag.attributes as Record<string, string>;
      for (const k in given) setAttribute(attrs, k, given[k]);
      const el: XmlElement = { kind: 'element', name: tag.name, attrs, children: NOT_CLOSED };
      pending.push(el);
      stack.push(el);
      starts.push((start = pending.length));
      top = el;
    },
    closetag: () => {
      const el = stack.pop()!;
      const count = pending.length - start;
      let end = pending.length;
      // Indentation between child elements is not content; drop it to keep the tree small.
      if (count > 1 && hasElement(pending, start)) {
        end = start;
        for (let i = start; i < pending.length; i++) {
          const c = pending[i];
          if (c.kind === 'element' || c.cdata || c.text.trim() !== '') pending[end++] = c;
        }
      }
      el.children = pending.slice(start, end);
      // (Popping is far cheaper than setting the length, a call into the runtime.)
      while (pending.length > start) pending.pop();
      starts.pop();
      start = starts[starts.length - 1];
      top = stack[stack.length - 1];
      if (closed) {
        const replacement = closed(el, stack);
        if (replacement) pending[pending.length - 1] = replacement;
      }
    },
    text: (t: string) => {
      if (!top) return;
      const last = pending.length > start ? pending[pending.length - 1] : undefined;
      if (last && last.kind === 'text' && !last.cdata) last.text += t;
      else pending.push({ kind: 'text', text: t });
    },
    cdata: (t: string) => {
      if (!top) return;
      pending.push({ kind: 'text', text: t, cdata: true });
    },
    error: (err: Error) => {
      fail(
        new InteropError(
          `${source} is not well-formed XML: ${err.message.replace(/^(?:[^:]*:)?(\d+):(\d+): /, 'line $1, column $2: ')}`,
          'Check that the file is complete and was not edited by hand; export it again if in doubt.',
        ),
      );
    },
  };
  const parser = newSaxesParser(handlers);

  try {
    parser.write(xml).close();
  } catch (e) {
    if (!(e instanceof Stop)) {
      if (e instanceof Error && !problem) fail(new InteropError(`${source} is not well-formed XML: ${e.message}`));
      else throw e;
    }
  }
  if (problem) throw problem;
  // The document's own children (the root, once closed) are what is left pending.
  const root = pending.find((c): c is XmlElement => c.kind === 'element');
  if (!root) throw new InteropError(`${source} has no root element.`);
  return { root, dropped };
}

/** Decodes and parses XML bytes (the usual entry point for files and zip entries). */
export function readXml(bytes: Uint8Array, options: ReadXmlOptions): XmlDocument {
  const maxBytes = options.maxBytes ?? XML_LIMITS.maxBytes;
  if (bytes.length > maxBytes) {
    throw new InteropError(
      `${options.source} is ${(bytes.length / 1048576).toFixed(1)} MB; tsq reads XML files up to ${(maxBytes / 1048576).toFixed(0)} MB.`,
    );
  }
  return parseXmlText(decodeXmlBytes(bytes, options.source), options);
}

/** Every node of a tree, depth first (used by tests and the diff). */
export function* walkXml(node: XmlNode): Generator<XmlNode> {
  const stack: XmlNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    if (n.kind === 'element') for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}
