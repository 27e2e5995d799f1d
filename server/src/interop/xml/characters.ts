// Which text XML 1.0 can carry, and which names it takes: one answer for the XML writer (which
// refuses what it cannot write) and for lint (which reports it first, see ../exportable.ts).
// XML 1.0 has no way to write control characters other than tab, line feed and carriage return,
// unpaired UTF-16 surrogates, U+FFFE or U+FFFF — not even as character references.

export const UNWRITABLE_CHARACTER_HINT = 'Remove it from the value (it is usually a paste accident).';

/** Index of the first character of `text` that XML 1.0 cannot carry, or -1. */
export function unwritableCharacterIndex(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = text.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) i++;
      else return i;
    } else if (c === 0xfffe || c === 0xffff) return i;
  }
  return -1;
}

/** "`subject` contains the character U+0001, which XML cannot hold." — export's words and lint's. */
export function unwritableCharacterMessage(subject: string, text: string, index: number): string {
  return `${subject} contains the character U+${text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')}, which XML cannot hold.`;
}

/** An XML name (attribute names kept from an import are written as they are, so they must be one). */
export function isXmlName(name: string): boolean {
  // XML 1.0's NameStartChar and NameChar ranges, one UTF-16 unit at a time (joiners and combining
  // marks are allowed name characters there, not joined sequences).
  // eslint-disable-next-line no-misleading-character-class -- see above
  return /^[A-Za-z_:\u00C0-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD][A-Za-z0-9_:.\-\u00B7\u00C0-\u02FF\u0300-\u036F\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]*$/.test(
    name,
  );
}
