// Compares two XML trees as written text would: element names, attributes with their values in
// their order, text and child elements in order. Whitespace-only text between elements does not
// count (indentation); every other character does. Import uses it to check that export will give
// a step back exactly; the round-trip tests use it to list what differs.

import type { XmlElement, XmlNode } from './tree';

function significant(children: XmlNode[]): XmlNode[] {
  const hasElement = children.some((c) => c.kind === 'element');
  return children.filter((c) => c.kind === 'element' || !hasElement || c.text.trim() !== '');
}

function textOfRun(nodes: XmlNode[]): string {
  let s = '';
  for (const n of nodes) if (n.kind === 'text') s += n.text;
  return s;
}

function describe(e: XmlElement): string {
  const attrs = Object.entries(e.attrs)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  return `<${e.name}${attrs ? ' ' + attrs : ''}>`;
}

/**
 * Where `a` and `b` differ, one line each (`path: what`), at most `limit` lines; empty when they
 * are the same. The path names elements by their position (`sequence/group[2]/step[1]`).
 */
export function xmlDifferences(a: XmlElement, b: XmlElement, limit = 50): string[] {
  const out: string[] = [];
  const visit = (x: XmlElement, y: XmlElement, path: string) => {
    if (out.length >= limit) return;
    if (x.name !== y.name) {
      out.push(`${path}: element <${x.name}> became <${y.name}>`);
      return;
    }
    const ax = Object.keys(x.attrs),
      ay = Object.keys(y.attrs);
    if (ax.join('\u0000') !== ay.join('\u0000')) out.push(`${path}: attributes ${describe(x)} became ${describe(y)}`);
    else
      for (const k of ax)
        if (x.attrs[k] !== y.attrs[k]) out.push(`${path}: ${k}="${x.attrs[k]}" became ${k}="${y.attrs[k]}"`);
    const cx = significant(x.children),
      cy = significant(y.children);
    const ex = cx.filter((c): c is XmlElement => c.kind === 'element'),
      ey = cy.filter((c): c is XmlElement => c.kind === 'element');
    const tx = textOfRun(cx),
      ty = textOfRun(cy);
    if (tx !== ty) out.push(`${path}: text ${JSON.stringify(tx)} became ${JSON.stringify(ty)}`);
    const names = (list: XmlElement[]) => list.map((e) => e.name).join(' ');
    if (names(ex) !== names(ey)) {
      out.push(`${path}: children [${names(ex)}] became [${names(ey)}]`);
      return;
    }
    const counts = new Map<string, number>();
    ex.forEach((c, i) => {
      const n = (counts.get(c.name) ?? 0) + 1;
      counts.set(c.name, n);
      visit(c, ey[i], `${path}/${c.name}[${n}]`);
    });
  };
  visit(a, b, a.name);
  return out;
}

const NOT_BLANK = /\S/;

/**
 * Whether two trees are the same as written text (whitespace between elements aside): what
 * `xmlDifferences` finds nothing in, decided without building a description (import asks this of
 * every step).
 */
export function sameXml(a: XmlElement, b: XmlElement): boolean {
  if (a.name !== b.name) return false;
  const ka = Object.keys(a.attrs),
    kb = Object.keys(b.attrs);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || a.attrs[ka[i]] !== b.attrs[kb[i]]) return false;
  const ca = a.children,
    cb = b.children;
  const indentedA = ca.some((c) => c.kind === 'element'),
    indentedB = cb.some((c) => c.kind === 'element');
  let textA = '',
    textB = '';
  let i = 0,
    j = 0;
  for (;;) {
    for (; i < ca.length; i++) {
      const c = ca[i];
      if (c.kind === 'element') break;
      if (!indentedA || NOT_BLANK.test(c.text)) textA += c.text;
    }
    for (; j < cb.length; j++) {
      const c = cb[j];
      if (c.kind === 'element') break;
      if (!indentedB || NOT_BLANK.test(c.text)) textB += c.text;
    }
    if (i === ca.length || j === cb.length) return i === ca.length && j === cb.length && textA === textB;
    if (!sameXml(ca[i] as XmlElement, cb[j] as XmlElement)) return false;
    i++;
    j++;
  }
}
