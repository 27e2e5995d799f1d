// The text a snippet (VS Code's snippet syntax, as snippets/tasksequence.json writes its templates)
// gives when every placeholder keeps its suggestion: `${n:text}` becomes text (which may nest),
// `${n|a,b|}` its first choice, `$n` and `${n}` nothing, and `\$`, `\}`, `\\` the character escaped.
// "New from Template" writes this text to disk before the editor turns it into a snippet again, and
// the snippet tests lint it.

export function snippetText(body: string): string {
  let out = '';
  let i = 0;
  const placeholder = (): string => {
    let j = i + 2;
    while (/\d/.test(body[j] ?? '')) j++;
    if (body[j] === '}') {
      i = j + 1;
      return '';
    }
    if (body[j] === '|') {
      const end = body.indexOf('|}', j + 1);
      if (end < 0) {
        i = body.length;
        return body.slice(j + 1).split(',')[0];
      }
      i = end + 2;
      return body.slice(j + 1, end).split(',')[0];
    }
    i = j + 1;
    let text = '';
    while (i < body.length && body[i] !== '}') text += step();
    i++;
    return text;
  };
  const step = (): string => {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1])) {
      i += 2;
      return body[i - 1];
    }
    if (c === '$' && body[i + 1] === '{') return placeholder();
    if (c === '$' && /\d/.test(body[i + 1] ?? '')) {
      i++;
      while (/\d/.test(body[i] ?? '')) i++;
      return '';
    }
    i++;
    return c;
  };
  while (i < body.length) out += step();
  return out;
}
