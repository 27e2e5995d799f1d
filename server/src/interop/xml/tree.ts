// The small XML tree import and export work on: elements with ordered attributes and children,
// and text. It is deliberately plain (no DOM): the reader builds it, the writer prints it, and the
// sequence mapping walks it with the helpers below.

export interface XmlElement {
  kind: 'element';
  name: string;
  /** Attributes in document order (own properties only; see `attributeRecord` for `__proto__`). */
  attrs: Record<string, string>;
  children: XmlNode[];
}

export interface XmlText {
  kind: 'text';
  text: string;
  /** Written as a CDATA section (as object.xml carries the sequence). */
  cdata?: boolean;
}

export type XmlNode = XmlElement | XmlText;

/**
 * A plain object holding attributes. Plain objects share hidden classes and stay small (an order
 * of magnitude less memory than dictionary-mode ones on large documents); a name such as
 * `__proto__` is defined as an own property, so it is kept and never touches the prototype.
 */
export function setAttribute(record: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__')
    Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}

export function element(
  name: string,
  attrs: Record<string, string | undefined> = {},
  children: XmlNode[] = [],
): XmlElement {
  const a: Record<string, string> = {};
  for (const k in attrs) {
    const v = attrs[k];
    if (v !== undefined && Object.prototype.hasOwnProperty.call(attrs, k)) setAttribute(a, k, v);
  }
  return { kind: 'element', name, attrs: a, children };
}

export function text(value: string, cdata = false): XmlText {
  return cdata ? { kind: 'text', text: value, cdata: true } : { kind: 'text', text: value };
}

export function attr(e: XmlElement, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(e.attrs, name) ? e.attrs[name] : undefined;
}

export function hasAttr(e: XmlElement, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(e.attrs, name);
}

export function childElements(e: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of e.children) if (c.kind === 'element') out.push(c);
  return out;
}

export function firstChild(e: XmlElement, name: string): XmlElement | undefined {
  for (const c of e.children) if (c.kind === 'element' && c.name === name) return c;
  return undefined;
}

/** The concatenated text content of an element's direct text children. */
export function textOf(e: XmlElement): string {
  let s = '';
  for (const c of e.children) if (c.kind === 'text') s += c.text;
  return s;
}

/** True when an element has neither attributes, element children nor non-whitespace text. */
export function isEmptyElement(e: XmlElement): boolean {
  if (Object.keys(e.attrs).length > 0) return false;
  for (const c of e.children) {
    if (c.kind === 'element') return false;
    if (c.text.trim() !== '') return false;
  }
  return true;
}
