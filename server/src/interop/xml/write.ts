// Prints the tree of ./tree.ts as XML text. Elements whose children are all elements are indented
// (admins diff exports); elements holding text are written on one line with the text exactly as
// it is. Characters XML 1.0 cannot carry are refused rather than silently changed.

import { InteropError } from '../errors';
import type { XmlElement } from './tree';

export interface WriteXmlOptions {
  /** Indentation unit; '' writes everything on one line (as ConfigMgr stores it). */
  indent?: string;
  /** Write `<?xml version="1.0" encoding="utf-8"?>` first. */
  declaration?: boolean;
}

// Control characters other than tab, LF, CR; surrogates (checked in detail only when present);
// U+FFFE/U+FFFF.
const SUSPECT = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function check(s: string, where: string): void {
  if (!SUSPECT.test(s)) return;
  const m = FORBIDDEN.exec(s);
  if (m) {
    const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new InteropError(`${where} contains the character U+${code}, which XML cannot hold.`, 'Remove it from the value (it is usually a paste accident).');
  }
}

export function escapeText(s: string): string {
  if (!/[&<>\r]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
}

export function escapeAttr(s: string): string {
  if (!/[&<>"\r\n\t]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#xD;').replace(/\n/g, '&#xA;').replace(/\t/g, '&#x9;');
}

function cdata(s: string): string {
  // `]]>` cannot appear inside one section; split it across two.
  return `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

export function writeXml(root: XmlElement, options: WriteXmlOptions = {}): string {
  const indent = options.indent ?? '  ';
  const out: string[] = [];
  if (options.declaration) out.push('<?xml version="1.0" encoding="utf-8"?>', indent ? '\n' : '');
  writeElement(root, 0, indent, out);
  if (indent) out.push('\n');
  return out.join('');
}

function writeElement(e: XmlElement, depth: number, indent: string, out: string[]): void {
  out.push('<', e.name);
  const attrs = e.attrs;
  for (const name in attrs) {
    const v = attrs[name];
    check(v, `The attribute ${name} of <${e.name}>`);
    out.push(' ', name, '="', escapeAttr(v), '"');
  }
  const children = e.children;
  if (children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  let onlyElements = true;
  for (let i = 0; i < children.length && onlyElements; i++) onlyElements = children[i].kind === 'element';
  if (onlyElements && indent) {
    const pad = padding(indent, depth + 1);
    for (let i = 0; i < children.length; i++) {
      out.push(pad);
      writeElement(children[i] as XmlElement, depth + 1, indent, out);
    }
    out.push(padding(indent, depth), '</', e.name, '>');
    return;
  }
  for (let i = 0; i < children.length; i++) {
    const c = children[i];
    if (c.kind === 'element') writeElement(c, depth + 1, '', out);
    else {
      check(c.text, `The text of <${e.name}>`);
      out.push(c.cdata ? cdata(c.text) : escapeText(c.text));
    }
  }
  out.push('</', e.name, '>');
}

const pads = new Map<string, string[]>();
/** A newline followed by `depth` indents (cached: the same few strings are used thousands of times). */
function padding(indent: string, depth: number): string {
  let list = pads.get(indent);
  if (!list) pads.set(indent, (list = []));
  return (list[depth] ??= '\n' + indent.repeat(depth));
}
