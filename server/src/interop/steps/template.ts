// Builds a step's `<action>` command line from the catalog's template for its class. The template
// language, as the catalog writes it: `%N` is the value of the property with commandLineArg N,
// `%%` is a literal percent sign (so `%%OSDImageIndex%%` stays `%OSDImageIndex%` for the engine to
// expand), `\<?N: ...>` is a part written only when property N has a value, and `\\"` is a quote.

export type ArgumentValues = (n: number) => string | undefined;

/** Renders `template` with the values `arg(n)` gives for each `%N`. */
export function renderActionTemplate(template: string, arg: ArgumentValues): string {
  let out = '';
  let i = 0;
  let skipping = false;
  let inConditional = false;
  while (i < template.length) {
    const c = template[i];
    if (c === '\\' && template.startsWith('\\<?', i)) {
      const m = /^\\<\?(\d+):/.exec(template.slice(i));
      if (m) {
        const value = arg(Number(m[1]));
        inConditional = true;
        skipping = value === undefined || value === '';
        i += m[0].length;
        continue;
      }
    }
    if (c === '\\' && template.startsWith('\\\\"', i)) {
      if (!skipping) out += '"';
      i += 3;
      continue;
    }
    if (c === '>' && inConditional) {
      inConditional = false;
      skipping = false;
      i++;
      continue;
    }
    if (c === '%') {
      if (template[i + 1] === '%') {
        if (!skipping) out += '%';
        i += 2;
        continue;
      }
      const m = /^%(\d+)/.exec(template.slice(i, i + 4));
      if (m) {
        if (!skipping) out += arg(Number(m[1])) ?? '';
        i += m[0].length;
        continue;
      }
    }
    if (!skipping) out += c;
    i++;
  }
  return out;
}
