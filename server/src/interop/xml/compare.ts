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
  const attrs = Object.entries(e.attrs).map(([k, v]) => `${k}="${v}"`).join(' ');
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
    const ax = Object.keys(x.attrs), ay = Object.keys(y.attrs);
    if (ax.join('\u0000') !== ay.join('\u0000')) out.push(`${path}: attributes ${describe(x)} became ${describe(y)}`);
    else for (const k of ax) if (x.attrs[k] !== y.attrs[k]) out.push(`${path}: ${k}="${x.attrs[k]}" became ${k}="${y.attrs[k]}"`);
    const cx = significant(x.children), cy = significant(y.children);
    const ex = cx.filter((c): c is XmlElement => c.kind === 'element'), ey = cy.filter((c): c is XmlElement => c.kind === 'element');
    const tx = textOfRun(cx), ty = textOfRun(cy);
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

/** Whether two trees are the same as written text (whitespace between elements aside). */
export function sameXml(a: XmlElement, b: XmlElement): boolean {
  return xmlDifferences(a, b, 1).length === 0;
}
