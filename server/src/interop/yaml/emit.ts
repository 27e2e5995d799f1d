// Writes plain JavaScript values (objects keep their key order) as readable YAML for admins:
// block mappings and lists, short mappings and lists of scalars in flow style on one line,
// strings plain when that reads back as the same string, single-quoted when they hold
// backslashes (Windows paths), double-quoted with escapes when they hold control characters,
// and literal blocks for multi-line text. tsq's own parser must read every output back to the
// same values (pinned by test/interop/yaml-emit.test.ts), also under YAML 1.1 readers.

import { resolvePlain } from '../../model/yaml/scalars';

export interface EmitOptions {
  /** Longest line a flow collection may make before it is written in block style. */
  width?: number;
  /** Objects (by identity) always written in block style, even when short. */
  block?: WeakSet<object>;
  /** Objects after which a blank line is written (between top-level groups, for instance). */
  spaceAfter?: WeakSet<object>;
}

const INDENT = '  ';
const YAML11_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=)$/;
const YAML11_NUMBERISH = /^[-+]?(\.?[0-9][0-9_:.,eE+-]*|0b[01_]+|0x[0-9a-fA-F_]+)$/;
const FIRST_INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`\s]/;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

// Words that read as something else than a string somewhere (YAML 1.2 or 1.1).
const SPECIAL_WORDS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);
// Most values are names and words: letters first, then letters, digits, blanks and a few marks.
const SIMPLE = /^[A-Za-z_][A-Za-z0-9_ .()/-]*[A-Za-z0-9_.)]$|^[A-Za-z_]$/;

export function isPlainSafe(s: string, flow: boolean): boolean {
  if (SIMPLE.test(s)) return !SPECIAL_WORDS.has(s.toLowerCase()) && !s.includes(' #');
  if (s === '' || FIRST_INDICATOR.test(s) || /\s$/.test(s) || /[\n\r\t]/.test(s) || CONTROL.test(s)) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return false;
  if (flow && /[,[\]{}]/.test(s)) return false;
  if (s.startsWith('---') || s.startsWith('...') || s === '<<') return false;
  if (resolvePlain(s) !== s) return false;
  if (YAML11_WORDS.test(s) || YAML11_NUMBERISH.test(s)) return false;
  return true;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\n': out += '\\n'; continue;
      case '\t': out += '\\t'; continue;
      case '\r': out += '\\r'; continue;
      case '\0': out += '\\0'; continue;
    }
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x2028 || c === 0x2029 || c === 0xfeff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

function singleQuoted(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** A string as a YAML scalar on one line. */
export function scalarString(s: string, flow: boolean): string {
  if (isPlainSafe(s, flow)) return s;
  if (CONTROL.test(s) || /[\n\r\t]/.test(s)) return doubleQuoted(s);
  if (s.includes('\\')) return singleQuoted(s);
  return doubleQuoted(s);
}

function scalar(v: unknown, flow: boolean): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan';
  return scalarString(String(v), flow);
}

const isCollection = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Text that can be a literal block (`|`): several lines, printable, no trailing blanks, no leading space. */
function literalBlock(s: string, indent: string): string | undefined {
  if (!s.includes('\n') || s.includes('\r') || CONTROL.test(s) || /^[ \t]/.test(s) || /[ \t]\n|[ \t]$/.test(s)) return undefined;
  let body = s, chomp = '';
  if (s.endsWith('\n')) {
    body = s.slice(0, -1);
    if (body.endsWith('\n')) return undefined;
  } else chomp = '-';
  if (body.split('\n').some((l) => /^[ \t]/.test(l) && l.trim() !== '')) return undefined;
  if (body === '') return undefined;
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  return `|${chomp}\n${lines.join('\n')}`;
}

function flowOf(v: unknown): string | undefined {
  if (!isCollection(v)) return scalar(v, true);
  if (Array.isArray(v)) {
    const parts: string[] = [];
    for (const x of v) {
      if (isCollection(x)) return undefined;
      parts.push(scalar(x, true));
    }
    return `[${parts.join(', ')}]`;
  }
  const parts: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    let inner: string | undefined;
    if (Array.isArray(x)) inner = flowOf(x);
    else if (isCollection(x)) {
      const entries = Object.entries(x).filter(([, y]) => y !== undefined);
      if (entries.some(([, y]) => isCollection(y))) return undefined;
      inner = flowOf(x);
    } else inner = scalar(x, true);
    if (inner === undefined) return undefined;
    parts.push(`${scalarString(k, true)}: ${inner}`);
  }
  return `{ ${parts.join(', ')} }`.replace('{  }', '{}');
}

class Emitter {
  readonly out: string[] = [];
  constructor(private readonly options: Required<Pick<EmitOptions, 'width'>> & EmitOptions) {}

  private canFlow(v: object, column: number): string | undefined {
    if (this.options.block?.has(v)) return undefined;
    const f = flowOf(v);
    if (f === undefined || column + f.length > this.options.width) return undefined;
    return f;
  }

  /** Writes `value` after `prefix` (e.g. `key:` or `-`) at `indent`. */
  value(prefix: string, value: unknown, indent: string): void {
    if (!isCollection(value)) {
      if (typeof value === 'string') {
        const block = prefix.endsWith(':') ? literalBlock(value, indent + INDENT) : undefined;
        if (block) {
          this.out.push(`${indent}${prefix} ${block}`);
          return;
        }
      }
      this.out.push(`${indent}${prefix} ${scalar(value, false)}`);
      return;
    }
    const entries = Array.isArray(value) ? value : Object.entries(value).filter(([, x]) => x !== undefined);
    if (entries.length === 0) {
      this.out.push(`${indent}${prefix} ${Array.isArray(value) ? '[]' : '{}'}`);
      return;
    }
    const flow = this.canFlow(value, indent.length + prefix.length + 1);
    if (flow !== undefined) {
      this.out.push(`${indent}${prefix} ${flow}`);
      return;
    }
    if (prefix === '-') {
      this.listItem(value, indent);
      return;
    }
    this.out.push(`${indent}${prefix}`);
    this.collection(value, indent + INDENT);
  }

  /** A list item whose value is a collection: `- key: value` with the rest aligned under it. */
  private listItem(value: object, indent: string): void {
    const start = this.out.length;
    this.collection(value, indent + INDENT);
    // Pull the first line up onto the dash.
    this.out[start] = `${indent}- ${this.out[start].slice(indent.length + INDENT.length)}`;
  }

  collection(value: object, indent: string): void {
    if (Array.isArray(value)) {
      for (const item of value) {
        this.value('-', item, indent);
        if (isCollection(item) && this.options.spaceAfter?.has(item)) this.out.push('');
      }
      return;
    }
    for (const [k, x] of Object.entries(value)) {
      if (x === undefined) continue;
      this.value(`${scalarString(k, false)}:`, x, indent);
    }
  }
}

/** YAML text for a mapping (the whole file), ending with a newline. */
export function emitYaml(doc: Record<string, unknown>, options: EmitOptions = {}): string {
  const e = new Emitter({ width: 100, ...options });
  e.collection(doc, '');
  while (e.out.length && e.out[e.out.length - 1] === '') e.out.pop();
  return e.out.join('\n') + '\n';
}
