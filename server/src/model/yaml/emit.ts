// Writes plain JavaScript values (objects keep their key order) as readable YAML for admins:
// block mappings and lists, short mappings and lists of scalars in flow style on one line,
// strings plain when that reads back as the same string, single-quoted when they hold
// backslashes (Windows paths), double-quoted with escapes when they hold control characters,
// and literal blocks for multi-line text. tsq's own parser must read every output back to the
// same values (pinned by test/interop/yaml-emit.test.ts), also under YAML 1.1 readers.

import { resolvePlain } from './scalars';

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
// eslint-disable-next-line no-control-regex -- control characters are what it looks for: they must be escaped
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

// Words that read as something else than a string somewhere (YAML 1.2 or 1.1).
const SPECIAL_WORDS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);
// Most values are names and words: letters first, then letters, digits, blanks and a few marks.
const SIMPLE = /^[A-Za-z_][A-Za-z0-9_ .()/-]*[A-Za-z0-9_.)]$|^[A-Za-z_]$/;

export function isPlainSafe(s: string, flow: boolean): boolean {
  // (The special words are five letters or fewer; most names are longer.)
  if (SIMPLE.test(s)) return !(s.length <= 5 && SPECIAL_WORDS.has(s.toLowerCase())) && !s.includes(' #');
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
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\0':
        out += '\\0';
        continue;
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
  return scalarString(typeof v === 'string' ? v : String(v as bigint), flow);
}

const isCollection = (v: unknown): v is object => typeof v === 'object' && v !== null;

/** Text that can be a literal block (`|`): several lines, printable, no trailing blanks, no leading space. */
function literalBlock(s: string, indent: string): string | undefined {
  if (!s.includes('\n') || s.includes('\r') || CONTROL.test(s) || /^[ \t]/.test(s) || /[ \t]\n|[ \t]$/.test(s))
    return undefined;
  let body = s,
    chomp = '';
  if (s.endsWith('\n')) {
    body = s.slice(0, -1);
    if (body.endsWith('\n')) return undefined;
  } else chomp = '-';
  if (body.split('\n').some((l) => /^[ \t]/.test(l) && l.trim() !== '')) return undefined;
  if (body === '') return undefined;
  const lines = body.split('\n').map((l) => (l === '' ? '' : indent + l));
  return `|${chomp}\n${lines.join('\n')}`;
}

/** Keys repeat on every step (`name`, `action`, `with`, ...): their scalar forms are kept. */
const keyForms: [Map<string, string>, Map<string, string>] = [new Map<string, string>(), new Map<string, string>()];

function keyString(k: string, flow: boolean): string {
  const forms = keyForms[flow ? 1 : 0];
  let form = forms.get(k);
  if (form === undefined) {
    if (forms.size > 10000) forms.clear();
    forms.set(k, (form = scalarString(k, flow)));
  }
  return form;
}

/**
 * The flow form of `v` (`[a, b]`, `{ k: v }`; inner mappings only of scalars), or undefined when
 * it has none. Building stops early once it is longer than `room` (the caller then writes block
 * style), so the result may also be undefined or longer than `room` then.
 */
function flowOf(v: unknown, room = Infinity): string | undefined {
  if (!isCollection(v)) return scalar(v, true);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (isCollection(x)) return undefined;
      if (i > 0) out += ', ';
      out += scalar(x, true);
      if (out.length > room) return undefined;
    }
    return out + ']';
  }
  let out = '';
  const keys = Object.keys(v);
  for (let i = 0; i < keys.length; i++) {
    const x: unknown = (v as Record<string, unknown>)[keys[i]];
    if (x === undefined) continue;
    let inner: string | undefined;
    if (Array.isArray(x)) inner = flowOf(x);
    else if (isCollection(x)) {
      for (const y of Object.values(x)) if (isCollection(y)) return undefined;
      inner = flowOf(x);
    } else inner = scalar(x, true);
    if (inner === undefined) return undefined;
    out += (out === '' ? '{ ' : ', ') + keyString(keys[i], true) + ': ' + inner;
    if (out.length > room) return undefined;
  }
  return out === '' ? '{}' : out + ' }';
}

/** Whether a mapping has no value to write (every value undefined). */
function emptyMapping(v: object): boolean {
  for (const x of Object.values(v)) if (x !== undefined) return false;
  return true;
}

class Emitter {
  readonly out: string[] = [];
  /**
   * The dash (or dashes) of a list item whose value is a collection, waiting for the item's first
   * line: `- key: value` with the rest aligned under it.
   */
  private dash: string | undefined;

  constructor(private readonly options: Required<Pick<EmitOptions, 'width'>> & EmitOptions) {}

  /** Adds a line: `text` at `indent`, or after the waiting dash. */
  private line(indent: string, text: string): void {
    if (this.dash !== undefined) {
      this.out.push(this.dash + text);
      this.dash = undefined;
    } else this.out.push(indent + text);
  }

  /** Writes `value` after `prefix` (e.g. `key:` or `-`) at `indent`. */
  value(prefix: string, value: unknown, indent: string): void {
    if (!isCollection(value)) {
      if (typeof value === 'string') {
        const block = prefix.endsWith(':') ? literalBlock(value, indent + INDENT) : undefined;
        if (block) {
          this.line(indent, `${prefix} ${block}`);
          return;
        }
      }
      this.line(indent, `${prefix} ${scalar(value, false)}`);
      return;
    }
    const isList = Array.isArray(value);
    if (isList ? value.length === 0 : emptyMapping(value)) {
      this.line(indent, `${prefix} ${isList ? '[]' : '{}'}`);
      return;
    }
    if (!this.options.block?.has(value)) {
      // Flow style when it fits on the line (the waiting dash, if any, is already counted in `indent`).
      const room = this.options.width - (indent.length + prefix.length + 1);
      const flow = flowOf(value, room);
      if (flow !== undefined && flow.length <= room) {
        this.line(indent, `${prefix} ${flow}`);
        return;
      }
    }
    if (prefix === '-') {
      // The item's first line goes up onto the dash.
      this.dash = this.dash !== undefined ? `${this.dash}- ` : `${indent}- `;
      this.collection(value, indent + INDENT);
      return;
    }
    this.line(indent, prefix);
    this.collection(value, indent + INDENT);
  }

  collection(value: object, indent: string): void {
    if (Array.isArray(value)) {
      for (const item of value) {
        this.value('-', item, indent);
        if (isCollection(item) && this.options.spaceAfter?.has(item)) this.out.push('');
      }
      return;
    }
    const v = value as Record<string, unknown>;
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x === undefined) continue;
      this.value(`${keyString(k, false)}:`, x, indent);
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
