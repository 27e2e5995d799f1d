// Builds a step's `<action>` command line from the catalog's template for its class. The template
// language, as the catalog writes it: `%N` is the value of the property with commandLineArg N,
// `%%` is a literal percent sign (so `%%OSDImageIndex%%` stays `%OSDImageIndex%` for the engine to
// expand), `\<?N: ...>` is a part written only when property N has a value, and `\\"` is a quote.
// A template is read once into a short list of parts; rendering then joins a few strings instead
// of walking the template character by character for every step.

export type ArgumentValues = (n: number) => string | undefined;

/** A literal piece, `%N` (a number), the start of `\<?N:` ({ when: N }) or its closing `>` (null). */
type Part = string | number | { when: number } | null;

const compiled = new Map<string, Part[]>();

function compile(template: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push(literal);
    literal = '';
  };
  let i = 0;
  let inConditional = false;
  while (i < template.length) {
    const c = template[i];
    if (c === '\\' && template.startsWith('\\<?', i)) {
      const m = /^\\<\?(\d+):/.exec(template.slice(i));
      if (m) {
        flush();
        parts.push({ when: Number(m[1]) });
        inConditional = true;
        i += m[0].length;
        continue;
      }
    }
    if (c === '\\' && template.startsWith('\\\\"', i)) {
      literal += '"';
      i += 3;
      continue;
    }
    if (c === '>' && inConditional) {
      flush();
      parts.push(null);
      inConditional = false;
      i++;
      continue;
    }
    if (c === '%') {
      if (template[i + 1] === '%') {
        literal += '%';
        i += 2;
        continue;
      }
      const m = /^%(\d+)/.exec(template.slice(i, i + 4));
      if (m) {
        flush();
        parts.push(Number(m[1]));
        i += m[0].length;
        continue;
      }
    }
    literal += c;
    i++;
  }
  flush();
  return parts;
}

/** Renders `template` with the values `arg(n)` gives for each `%N`. */
export function renderActionTemplate(template: string, arg: ArgumentValues): string {
  let parts = compiled.get(template);
  if (!parts) {
    // Templates come from the catalog, so the cache stays small; the cap guards odd callers.
    if (compiled.size > 1000) compiled.clear();
    compiled.set(template, (parts = compile(template)));
  }
  let out = '';
  let skipping = false;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (typeof part === 'string') {
      if (!skipping) out += part;
    } else if (typeof part === 'number') {
      if (!skipping) out += arg(part) ?? '';
    } else if (part === null) {
      skipping = false;
    } else {
      const value = arg(part.when);
      skipping = value === undefined || value === '';
    }
  }
  return out;
}
