// Prints the tree of ./tree.ts as XML text. Elements whose children are all elements are indented
// (admins diff exports); elements holding text are written on one line with the text exactly as
// it is. Characters XML 1.0 cannot carry are refused rather than silently changed.

import { InteropError } from '../errors';
import type { XmlElement, XmlNode } from './tree';

export interface WriteXmlOptions {
  /** Indentation unit; '' writes everything on one line (as ConfigMgr stores it). */
  indent?: string;
  /** Write `<?xml version="1.0" encoding="utf-8"?>` first. */
  declaration?: boolean;
}

// Control characters other than tab, LF, CR; lone surrogates; U+FFFE/U+FFFF.
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function check(s: string, where: string): void {
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
  let open = `<${e.name}`;
  for (const name in e.attrs) {
    const v = e.attrs[name];
    check(v, `The attribute ${name} of <${e.name}>`);
    open += ` ${name}="${escapeAttr(v)}"`;
  }
  if (e.children.length === 0) {
    out.push(open, '/>');
    return;
  }
  out.push(open, '>');
  const onlyElements = e.children.every((c) => c.kind === 'element');
  if (onlyElements && indent) {
    const pad = '\n' + indent.repeat(depth + 1);
    for (const c of e.children) {
      out.push(pad);
      writeElement(c as XmlElement, depth + 1, indent, out);
    }
    out.push('\n', indent.repeat(depth), `</${e.name}>`);
    return;
  }
  for (const c of e.children) writeNode(c, depth + 1, out, e.name);
  out.push(`</${e.name}>`);
}

function writeNode(n: XmlNode, depth: number, out: string[], parent: string): void {
  if (n.kind === 'element') {
    writeElement(n, depth, '', out);
    return;
  }
  check(n.text, `The text of <${parent}>`);
  out.push(n.cdata ? cdata(n.text) : escapeText(n.text));
}
