// Every difference between two XML trees, for the round-trip tests. Written apart from the
// importer's own comparison (server/src/interop/xml/compare.ts), so a fault there cannot hide a
// difference.
import type { XmlElement, XmlNode } from '../../server/src/interop/xml/tree';

/** Text children that only indent elements do not count; any other text counts character for character. */
function meaningful(children: XmlNode[]): XmlNode[] {
  const withElements = children.some((c) => c.kind === 'element');
  return children.filter((c) => c.kind === 'element' || !withElements || c.text.trim() !== '');
}

/**
 * Every difference between two trees, one line each, with the path of the element
 * (`sequence/group[2]/step[3]`, counted per element name). Written here, apart from the
 * importer's own comparison, so a fault there cannot hide a difference.
 */
export function differences(a: XmlElement, b: XmlElement, at = a.name, out: string[] = []): string[] {
  if (a.name !== b.name) {
    out.push(`${at}: <${a.name}> came back as <${b.name}>`);
    return out;
  }
  const attrsA = Object.entries(a.attrs)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  const attrsB = Object.entries(b.attrs)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  if (attrsA !== attrsB) out.push(`${at}: attributes [${attrsA}] came back as [${attrsB}]`);
  const ca = meaningful(a.children),
    cb = meaningful(b.children);
  const textA = ca.map((c) => (c.kind === 'text' ? c.text : '')).join('');
  const textB = cb.map((c) => (c.kind === 'text' ? c.text : '')).join('');
  if (textA !== textB) out.push(`${at}: text ${JSON.stringify(textA)} came back as ${JSON.stringify(textB)}`);
  const ea = ca.filter((c): c is XmlElement => c.kind === 'element');
  const eb = cb.filter((c): c is XmlElement => c.kind === 'element');
  if (ea.map((e) => e.name).join(' ') !== eb.map((e) => e.name).join(' ')) {
    out.push(`${at}: children [${ea.map((e) => e.name).join(' ')}] came back as [${eb.map((e) => e.name).join(' ')}]`);
    return out;
  }
  const seen = new Map<string, number>();
  ea.forEach((e, i) => {
    const n = (seen.get(e.name) ?? 0) + 1;
    seen.set(e.name, n);
    differences(e, eb[i], `${at}/${e.name}[${n}]`, out);
  });
  return out;
}
