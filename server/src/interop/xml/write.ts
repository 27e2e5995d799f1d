// Prints the tree of ./tree.ts as XML text. Elements whose children are all elements are indented
// (admins diff exports); elements holding text are written on one line with the text exactly as
// it is. Characters XML 1.0 cannot carry are refused rather than silently changed.
//
// The writer encodes straight into a growing UTF-8 byte buffer, escaping and checking each
// character in the same pass. Measured on a 10 MB export: joining the millions of small strings an
// element tree gives (or concatenating them) took ~150 ms; filling bytes takes ~45 ms.

import { InteropError } from '../errors';
import { UNWRITABLE_CHARACTER_HINT, unwritableCharacterMessage } from './characters';
import type { XmlElement } from './tree';

export interface WriteXmlOptions {
  /** Indentation unit; '' writes everything on one line (as ConfigMgr stores it). */
  indent?: string;
  /** Write `<?xml version="1.0" encoding="utf-8"?>` first. */
  declaration?: boolean;
}

/** How `ByteSink.put` treats a string. */
const RAW = 0; // names and markup: written as they are
const TEXT = 1; // element text: `& < > CR` escaped
const ATTR = 2; // attribute values: also `" LF TAB` escaped, so they read back unchanged
const CDATA = 3; // checked, not escaped

/** Strings each mode writes as they are, byte for byte: printable ASCII without what it escapes. */
const VERBATIM = [
  /^[\x20-\x7e]*$/,
  /^[\x20-\x25\x27-\x3b\x3d\x3f-\x7e]*$/,
  /^[\x20\x21\x23-\x25\x27-\x3b\x3d\x3f-\x7e]*$/,
  /^[\x20-\x7e]*$/,
];
/** Shorter strings are copied by the loop in `put`; longer ones by one native copy when verbatim. */
const NATIVE_COPY_FROM = 24;
/** Largest chunk the sink allocates by itself (larger ones only for a longer string). */
const MAX_CHUNK = 1 << 20;

/**
 * UTF-8 bytes in chunks: a full chunk is kept and a new one started, so growing never copies what
 * was written (a 10 MB export used to copy ~16 MB while doubling one buffer). `put` checks and
 * escapes in one pass and returns the index of the first character XML cannot hold (control
 * characters other than tab, LF and CR, unpaired surrogates, U+FFFE and U+FFFF), or -1; in RAW
 * mode nothing is refused and an unpaired surrogate becomes U+FFFD, as any conversion of the
 * text to UTF-8 would make it. A string is never split across chunks.
 */
class ByteSink {
  private readonly full: Buffer[] = [];
  buf: Buffer;
  pos = 0;

  constructor(size = 1 << 14) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > 0) this.full.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(n, Math.min(this.buf.length * 2, MAX_CHUNK)));
    this.pos = 0;
  }

  /** What has been written, in order (views, not copies). */
  chunks(): Buffer[] {
    return this.pos > 0 ? [...this.full, this.buf.subarray(0, this.pos)] : [...this.full];
  }

  /** What has been written, as one buffer (a view when it fits in one chunk). */
  bytes(): Buffer {
    return this.full.length === 0 ? this.buf.subarray(0, this.pos) : Buffer.concat(this.chunks());
  }

  put(s: string, mode: number): number {
    const n = s.length;
    if (n >= NATIVE_COPY_FROM && VERBATIM[mode].test(s)) {
      this.reserve(n);
      this.pos += this.buf.write(s, this.pos, 'latin1');
      return -1;
    }
    // The longest encoding of one UTF-16 unit is `&quot;` (6 bytes).
    this.reserve(n * 6);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        // Letters, digits and most marks: the common case, no decision needed.
        if (
          c > 0x3e ||
          (c >= 0x27 && c <= 0x3b) ||
          c === 0x20 ||
          c === 0x21 ||
          c === 0x23 ||
          c === 0x24 ||
          c === 0x25 ||
          c === 0x3d ||
          mode === RAW
        ) {
          b[p++] = c;
          continue;
        }
        if (c >= 0x20) {
          // One of `" & < >`
          if (mode === CDATA || (c === 0x22 && mode === TEXT)) b[p++] = c;
          else if (c === 0x26) p = ascii(b, p, '&amp;');
          else if (c === 0x3c) p = ascii(b, p, '&lt;');
          else if (c === 0x3e) p = ascii(b, p, '&gt;');
          else p = ascii(b, p, '&quot;');
          continue;
        }
        if (c === 0x0a || c === 0x09 || c === 0x0d) {
          if (mode === CDATA || (mode === TEXT && c !== 0x0d)) b[p++] = c;
          else p = ascii(b, p, c === 0x0d ? '&#xD;' : c === 0x0a ? '&#xA;' : '&#x9;');
          continue;
        }
        this.pos = p;
        return i;
      }
      if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          b[p++] = 0xf0 | (cp >> 18);
          b[p++] = 0x80 | ((cp >> 12) & 0x3f);
          b[p++] = 0x80 | ((cp >> 6) & 0x3f);
          b[p++] = 0x80 | (cp & 0x3f);
          i++;
          continue;
        }
        if (mode !== RAW) {
          this.pos = p;
          return i;
        }
        p = ascii(b, p, '\xef\xbf\xbd');
        continue;
      }
      if ((c === 0xfffe || c === 0xffff) && mode !== RAW) {
        this.pos = p;
        return i;
      }
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
    this.pos = p;
    return -1;
  }
}

/** Copies a string of byte values (ASCII markup, or pre-encoded bytes) into `b` at `p`. */
function ascii(b: Buffer, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

function refuse(s: string, at: number, where: string): never {
  throw new InteropError(unwritableCharacterMessage(where, s, at), UNWRITABLE_CHARACTER_HINT);
}

/** The XML text of `root`. */
export function writeXml(root: XmlElement, options: WriteXmlOptions = {}): string {
  // Chunks hold whole characters (see ByteSink), so each decodes on its own.
  let text = '';
  for (const chunk of fill(root, options).chunks()) text += chunk.toString('utf8');
  return text;
}

/** The XML of `root` as UTF-8 bytes (what files and zip entries hold). */
export function writeXmlBytes(root: XmlElement, options: WriteXmlOptions = {}): Buffer {
  return Buffer.from(fill(root, options).bytes());
}

function fill(root: XmlElement, options: WriteXmlOptions): ByteSink {
  const indent = options.indent ?? '  ';
  const sink = new ByteSink();
  if (options.declaration)
    sink.put(indent ? '<?xml version="1.0" encoding="utf-8"?>\n' : '<?xml version="1.0" encoding="utf-8"?>', RAW);
  writeElement(root, 0, indent, sink);
  if (indent) sink.put('\n', RAW);
  return sink;
}

/**
 * Writes an element's children ahead of the element itself, exactly as `writeXml` writes them
 * inside it, so a long document can be written part by part and each part let go once written
 * (sequence export: the body is written before the reference list that precedes it is known).
 * `add` the children in order, then `finish` with the element's name, attributes and the
 * children that go before and after the added ones (all elements). A character XML cannot hold
 * is remembered rather than thrown, so `finish` refuses in document order: the element's
 * attributes and the children before come first.
 */
export class ChildStream {
  private readonly sink = new ByteSink();
  private readonly indent: string;
  private count = 0;
  private refusal?: InteropError;

  constructor(private readonly options: WriteXmlOptions = {}) {
    this.indent = options.indent ?? '  ';
  }

  add(child: XmlElement): void {
    this.count++;
    if (this.refusal) return;
    try {
      if (this.indent) this.sink.put(padding(this.indent, 1), RAW);
      writeElement(child, 1, this.indent, this.sink);
    } catch (e) {
      if (!(e instanceof InteropError)) throw e;
      this.refusal = e;
    }
  }

  finish(name: string, attrs: Record<string, string>, before: XmlElement[], after: XmlElement[]): Buffer {
    const indent = this.indent;
    const head = new ByteSink();
    if (this.options.declaration)
      head.put(indent ? '<?xml version="1.0" encoding="utf-8"?>\n' : '<?xml version="1.0" encoding="utf-8"?>', RAW);
    writeStartTag(name, attrs, head);
    if (before.length + this.count + after.length === 0) {
      head.put(indent ? '/>\n' : '/>', RAW);
      return Buffer.from(head.bytes());
    }
    head.put('>', RAW);
    for (const c of before) {
      if (indent) head.put(padding(indent, 1), RAW);
      writeElement(c, 1, indent, head);
    }
    if (this.refusal) throw this.refusal;
    const tail = new ByteSink();
    for (const c of after) {
      if (indent) tail.put(padding(indent, 1), RAW);
      writeElement(c, 1, indent, tail);
    }
    if (indent) tail.put(padding(indent, 0), RAW);
    tail.put('</', RAW);
    tail.put(name, RAW);
    tail.put(indent ? '>\n' : '>', RAW);
    // One copy of the (long) middle, straight into the result.
    return Buffer.concat([...head.chunks(), ...this.sink.chunks(), ...tail.chunks()]);
  }
}

/** `<name` and the attributes (the tag is left open). */
function writeStartTag(name: string, attrs: Record<string, string>, out: ByteSink): void {
  out.put('<', RAW);
  out.put(name, RAW);
  for (const a in attrs) {
    const v = attrs[a];
    out.put(' ', RAW);
    out.put(a, RAW);
    out.put('="', RAW);
    const bad = out.put(v, ATTR);
    if (bad >= 0) refuse(v, bad, `The attribute ${a} of <${name}>`);
    out.put('"', RAW);
  }
}

function writeElement(e: XmlElement, depth: number, indent: string, out: ByteSink): void {
  writeStartTag(e.name, e.attrs, out);
  const children = e.children;
  if (children.length === 0) {
    out.put('/>', RAW);
    return;
  }
  out.put('>', RAW);
  let onlyElements = true;
  for (let i = 0; i < children.length && onlyElements; i++) onlyElements = children[i].kind === 'element';
  if (onlyElements && indent) {
    const pad = padding(indent, depth + 1);
    for (let i = 0; i < children.length; i++) {
      out.put(pad, RAW);
      writeElement(children[i] as XmlElement, depth + 1, indent, out);
    }
    out.put(padding(indent, depth), RAW);
  } else {
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      if (c.kind === 'element') writeElement(c, depth + 1, '', out);
      else if (c.cdata) {
        out.put('<![CDATA[', RAW);
        // `]]>` cannot appear inside one section; split it across two.
        const body = c.text.includes(']]>') ? c.text.replace(/]]>/g, ']]]]><![CDATA[>') : c.text;
        const bad = out.put(body, CDATA);
        if (bad >= 0) refuse(body, bad, `The text of <${e.name}>`);
        out.put(']]>', RAW);
      } else {
        const bad = out.put(c.text, TEXT);
        if (bad >= 0) refuse(c.text, bad, `The text of <${e.name}>`);
      }
    }
  }
  out.put('</', RAW);
  out.put(e.name, RAW);
  out.put('>', RAW);
}

const pads = new Map<string, string[]>();
/** A newline followed by `depth` indents (cached: the same few strings are used thousands of times). */
function padding(indent: string, depth: number): string {
  let list = pads.get(indent);
  if (!list) pads.set(indent, (list = []));
  return (list[depth] ??= '\n' + indent.repeat(depth));
}
