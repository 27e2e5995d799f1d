// Reads the values of `%N` arguments back out of a step's `<action>` with the catalog's template.
// Some settings live only in the command line (Apply OS Image's target drive variable, BitLocker's
// drive); without this an import would keep them only inside a verbatim `xml.action`. A reading
// is used only when rendering the template with it gives the same command line back.

import { normaliseCommandLine, sameCommandLine } from './action-text';
import { renderActionTemplate } from './template';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function templateRegex(template: string): { regex: RegExp; args: number[] } | undefined {
  let src = '';
  const args: number[] = [];
  let i = 0;
  let open = false;
  while (i < template.length) {
    if (template.startsWith('\\<?', i)) {
      const m = /^\\<\?(\d+):/.exec(template.slice(i));
      if (!m || open) return undefined;
      src += '(?:';
      open = true;
      i += m[0].length;
      continue;
    }
    if (template.startsWith('\\\\"', i)) {
      src += '"';
      i += 3;
      continue;
    }
    const c = template[i];
    if (c === '>' && open) {
      src += ')?';
      open = false;
      i++;
      continue;
    }
    if (c === '%') {
      if (template[i + 1] === '%') {
        src += '%';
        i += 2;
        continue;
      }
      const m = /^%(\d+)/.exec(template.slice(i, i + 4));
      if (m) {
        args.push(Number(m[1]));
        src += '(.*?)';
        i += m[0].length;
        continue;
      }
    }
    src += c === ' ' ? ' *' : escapeRegex(c);
    i++;
  }
  if (open) return undefined;
  try {
    return { regex: new RegExp(`^ *${src} *$`, 's'), args };
  } catch {
    // eslint-disable-next-line no-restricted-syntax -- a template that makes no valid pattern cannot match; the step keeps its command line as written
    return undefined;
  }
}

/** The `%N` values the command line holds, or undefined when the template does not fit it. */
export function readActionArguments(template: string, action: string): Map<number, string> | undefined {
  const t = templateRegex(template);
  if (!t || t.args.length === 0) return undefined;
  const m = t.regex.exec(normaliseCommandLine(action));
  if (!m) return undefined;
  const values = new Map<number, string>();
  for (let k = 0; k < t.args.length; k++) {
    const v = m[k + 1];
    if (v === undefined) continue;
    const known = values.get(t.args[k]);
    if (known !== undefined && known !== v) return undefined;
    values.set(t.args[k], v);
  }
  if (
    !sameCommandLine(
      renderActionTemplate(template, (n) => values.get(n)),
      action,
    )
  )
    return undefined;
  return values;
}
